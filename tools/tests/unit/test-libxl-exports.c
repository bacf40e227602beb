/*
 * test-libxl-exports.c: libxenlight.so exports the public API (libxl_*)
 * and nothing internal (libxl__*), under the soname libxenlight.so.4.17.
 */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

/* Relative to this suite's directory, where `make check` runs it. */
#define OUR_LIB "../../libxl/libxenlight.so.4.17"

static void test_exports(void **state)
{
    static const char *const public[] = {
        "libxl_ctx_alloc", "libxl_ctx_free", "libxl_domain_config_init",
        "libxl_domain_config_dispose", "libxl_domain_config_copy",
        "libxl_domain_config_to_json", "libxl_domain_config_from_json",
        "libxl_domain_config_gen_json", "libxl_domain_build_info_init_type",
        "libxl_action_on_shutdown_to_string",
        "libxl_shutdown_reason_from_string", "libxl_event_free",
        "libxl_bitmap_alloc", "libxl_defbool_set", "libxl_uuid_generate",
        "libxl_cpuid_parse_config", "libxl_error_string_table",
    };
    static const char *const internal[] = {
        "libxl__json_parse", "libxl__log", "libxl__zalloc",
        "libxl__domain_config_parse_json", "libxl__free_all",
    };
    void *h = dlopen(OUR_LIB, RTLD_NOW | RTLD_LOCAL);

    if (!h)
        print_error("dlopen: %s\n", dlerror());
    assert_non_null(h);
    for (size_t i = 0; i < sizeof(public) / sizeof(public[0]); i++) {
        if (!dlsym(h, public[i]))
            print_error("not exported: %s\n", public[i]);
        assert_non_null(dlsym(h, public[i]));
    }
    for (size_t i = 0; i < sizeof(internal) / sizeof(internal[0]); i++) {
        if (dlsym(h, internal[i]))
            print_error("exported: %s\n", internal[i]);
        assert_null(dlsym(h, internal[i]));
    }
    dlclose(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exports),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
