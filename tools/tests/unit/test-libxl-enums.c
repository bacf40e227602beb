/*
 * test-libxl-enums.c: every generated enumeration converts both ways
 * through its string table, from_string is case-insensitive as
 * upstream's, and unknown names and values are refused.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libxl_internal.h"

/* The generated support wants fillers for builtins; unused here. */
static void test_fill_defbool(libxl_defbool *p, int k) {}
static void test_fill_uuid(libxl_uuid *p, int k) {}
static void test_fill_mac(libxl_mac *p, int k) {}
static void test_fill_bitmap(libxl_bitmap *p, int k) {}
static void test_fill_hwcap(libxl_hwcap *p, int k) {}
static void test_fill_string_list(libxl_string_list *p, int k) {}
static void test_fill_key_value_list(libxl_key_value_list *p, int k) {}
static void test_fill_ms_vm_genid(libxl_ms_vm_genid *p, int k) {}
static void test_fill_cpuid_policy_list(libxl_cpuid_policy_list *p, int k) {}

#include "_libxl_types_test.c"

static void test_every_enum_both_ways(void **state)
{
    int checked = 0;

    for (size_t i = 0; i < ARRAY_SIZE(libxl_test_enums); i++) {
        const struct libxl_test_enum *e = &libxl_test_enums[i];
        int n = 0;

        for (const libxl_enum_string_table *t = e->table; t->s; t++, n++) {
            char upper[128];
            int v;

            /* the name is the lower-case C constant suffix */
            for (const char *c = t->s; *c; c++)
                assert_false(isupper((unsigned char)*c));
            assert_string_equal(e->to_string(t->v), t->s);
            assert_int_equal(e->from_string(t->s, &v), 0);
            assert_int_equal(v, t->v);

            snprintf(upper, sizeof(upper), "%s", t->s);
            for (char *c = upper; *c; c++)
                *c = (char)toupper((unsigned char)*c);
            assert_int_equal(e->from_string(upper, &v), 0);
            assert_int_equal(v, t->v);
            checked++;
        }
        /* the table has every value, and the terminator */
        assert_int_equal(n, e->nvalues);
        assert_null(e->table[n].s);
        assert_int_equal(e->table[n].v, -1);
    }
    assert_true(checked > 150);
}

static void test_unknown_rejected(void **state)
{
    static const char *const junk[] = {
        "", "nonsense", " hvm", "hvm ", "soft-reset", "soft_reset_",
        "destroyy", "1",
    };

    for (size_t i = 0; i < ARRAY_SIZE(libxl_test_enums); i++) {
        const struct libxl_test_enum *e = &libxl_test_enums[i];

        for (size_t j = 0; j < ARRAY_SIZE(junk); j++) {
            int v = 12345;

            /* "1" and friends are names of no value of any enum */
            if (!e->from_string(junk[j], &v)) {
                print_error("%s accepted \"%s\"\n", e->name, junk[j]);
                fail();
            }
        }
        assert_int_not_equal(e->from_string(NULL, &(int){ 0 }), 0);
        /* A value outside the enum has no name. */
        assert_null(e->to_string(-12345));
    }
}

/* The values the rest of the toolstack depends on. */
static void test_upstream_values(void **state)
{
    libxl_action_on_shutdown a;
    libxl_shutdown_reason r;
    libxl_domain_type t;

    assert_int_equal(LIBXL_ACTION_ON_SHUTDOWN_DESTROY, 1);
    assert_int_equal(LIBXL_ACTION_ON_SHUTDOWN_RESTART, 2);
    assert_int_equal(LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME, 3);
    assert_int_equal(LIBXL_ACTION_ON_SHUTDOWN_PRESERVE, 4);
    assert_int_equal(LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY, 5);
    assert_int_equal(LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART, 6);
    assert_int_equal(LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET, 7);
    assert_int_equal(LIBXL_SHUTDOWN_REASON_UNKNOWN, -1);
    assert_int_equal(LIBXL_SHUTDOWN_REASON_POWEROFF, 0);
    assert_int_equal(LIBXL_SHUTDOWN_REASON_SOFT_RESET, 5);
    assert_int_equal(LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN, 1);
    assert_int_equal(LIBXL_EVENT_TYPE_DOMAIN_CREATE_CONSOLE_AVAILABLE, 5);
    assert_int_equal(ERROR_FAIL, -3);
    assert_int_equal(ERROR_INVAL, -6);
    assert_int_equal(ERROR_QEMU_API, -32);
    assert_string_equal(libxl_error_to_string(ERROR_NOMEM), "nomem");

    assert_int_equal(libxl_action_on_shutdown_from_string("Soft_Reset", &a),
                     0);
    assert_int_equal(a, LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET);
    assert_string_equal(libxl_action_on_shutdown_to_string(
                            LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME),
                        "restart_rename");
    assert_int_equal(libxl_shutdown_reason_from_string("WATCHDOG", &r), 0);
    assert_int_equal(r, LIBXL_SHUTDOWN_REASON_WATCHDOG);
    assert_int_equal(libxl_domain_type_from_string("pvh", &t), 0);
    assert_int_equal(t, LIBXL_DOMAIN_TYPE_PVH);
    assert_string_equal(libxl_device_model_version_to_string(
                            LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN),
                        "qemu_xen");
    assert_string_equal(libxl_gic_version_to_string(LIBXL_GIC_VERSION_V3),
                        "v3");
    /* Failure leaves the output alone. */
    t = LIBXL_DOMAIN_TYPE_HVM;
    assert_int_equal(libxl_domain_type_from_string("xen", &t), ERROR_FAIL);
    assert_int_equal(t, LIBXL_DOMAIN_TYPE_HVM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_enum_both_ways),
        cmocka_unit_test(test_unknown_rejected),
        cmocka_unit_test(test_upstream_values),
    };

    (void)libxl_test_types;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
