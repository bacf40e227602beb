/*
 * test-libxl-json.c: JSON of the libxl types.
 *
 * - every generated type, filled with non-default values in every field
 *   (libxl_test_fill_* generated from the IDL), survives
 *   to_json -> from_json -> to_json unchanged, and so does its copy;
 * - JSON written by upstream xl 4.17 (`xl -N create`, samples in
 *   ../fuzz/corpus/json/) parses and regenerates byte for byte;
 * - fields at their default are left out, and the formats of the
 *   builtin types are upstream's;
 * - malformed or contradictory JSON is an error, not a crash.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libxl_internal.h"

/* Builtin fillers the generated test support calls. */
static void test_fill_defbool(libxl_defbool *p, int k)
{
    libxl_defbool_set(p, k & 1);
}

static void test_fill_uuid(libxl_uuid *p, int k)
{
    for (int i = 0; i < 16; i++)
        p->uuid[i] = (uint8_t)(k * 7 + i * 13 + 1);
}

static void test_fill_mac(libxl_mac *p, int k)
{
    for (int i = 0; i < 6; i++)
        (*p)[i] = (uint8_t)(k + i * 0x31 + 1);
}

static void test_fill_bitmap(libxl_bitmap *p, int k)
{
    assert_int_equal(libxl_bitmap_alloc(NULL, p, 70), 0);
    libxl_bitmap_set(p, k % 8);
    libxl_bitmap_set(p, 9);
    libxl_bitmap_set(p, 69);
}

static void test_fill_hwcap(libxl_hwcap *p, int k)
{
    for (int i = 0; i < 8; i++)
        (*p)[i] = (uint32_t)(k * 0x01010101u + i * 0x1000u + 1);
}

static void test_fill_string_list(libxl_string_list *p, int k)
{
    *p = calloc(3, sizeof(char *));
    assert_true(asprintf(&(*p)[0], "a%d", k) > 0);
    (*p)[1] = strdup("-with \"quotes\"");
}

static void test_fill_key_value_list(libxl_key_value_list *p, int k)
{
    *p = calloc(5, sizeof(char *));
    assert_true(asprintf(&(*p)[0], "key%d", k) > 0);
    (*p)[1] = strdup("value");
    (*p)[2] = strdup("null-valued");
    (*p)[3] = NULL;
}

static void test_fill_ms_vm_genid(libxl_ms_vm_genid *p, int k)
{
    for (int i = 0; i < LIBXL_MS_VM_GENID_LEN; i++)
        p->bytes[i] = (uint8_t)(k + i);
}

static void test_fill_cpuid_policy_list(libxl_cpuid_policy_list *p, int k)
{
    struct libxl__cpu_policy *pol = calloc(1, sizeof(*pol));

    pol->cpuid = calloc(3, sizeof(*pol->cpuid));
    pol->cpuid[0].input[0] = 1;
    pol->cpuid[0].input[1] = XEN_CPUID_INPUT_UNUSED;
    pol->cpuid[0].policy[2] = strdup("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx0x");
    pol->cpuid[1].input[0] = 7;
    pol->cpuid[1].input[1] = (uint32_t)k % 3;
    pol->cpuid[1].policy[0] = strdup("1xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    pol->cpuid[1].policy[3] = strdup("kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk");
    pol->cpuid[2].input[0] = pol->cpuid[2].input[1] = XEN_CPUID_INPUT_UNUSED;
    pol->msr = calloc(2, sizeof(*pol->msr));
    pol->msr[0].index = 0x10a;
    memset(pol->msr[0].policy, 'x', 64);
    pol->msr[0].policy[63] = '1';
    pol->msr[1].index = XC_MSR_INPUT_UNUSED;
    *p = pol;
}

#include "_libxl_types_test.c"

/* Directory of the upstream samples, relative to this suite's dir. */
#define SAMPLES "../fuzz/corpus/json"

/*
 * Round trips of every type
 */

static void check_roundtrip(const struct libxl_test_type *t, int seed)
{
    void *a = calloc(1, t->size), *b = calloc(1, t->size);
    void *c = calloc(1, t->size), *d = calloc(1, t->size);
    char *s0, *s1, *s2, *s3;

    t->init(d);
    s0 = t->to_json(d);              /* all defaults */
    t->init(a);
    t->fill(a, seed);
    s1 = t->to_json(a);
    assert_non_null(s0);
    assert_non_null(s1);
    /* Every field filled: the JSON grows past the all-default one. */
    assert_true(strlen(s1) > strlen(s0));
    if (t->from_json(b, s1)) {
        print_error("%s (seed %d) does not parse back:\n%s\n", t->name,
                    seed, s1);
        fail();
    }
    s2 = t->to_json(b);
    assert_non_null(s2);
    if (strcmp(s1, s2)) {
        print_error("%s (seed %d):\n--- generated\n%s\n--- reparsed\n%s\n",
                    t->name, seed, s1, s2);
        fail();
    }
    t->copy(c, a);
    t->dispose(a);                   /* the copy must own its data */
    s3 = t->to_json(c);
    assert_string_equal(s1, s3);
    t->dispose(b);
    t->dispose(c);
    t->dispose(d);
    free(s0), free(s1), free(s2), free(s3);
    free(a), free(b), free(c), free(d);
}

static void test_roundtrip_every_type(void **state)
{
    for (size_t i = 0; i < ARRAY_SIZE(libxl_test_types); i++) {
        const struct libxl_test_type *t = &libxl_test_types[i];

        for (int seed = 0; seed < t->variants; seed++)
            check_roundtrip(t, seed);
    }
    /* The table covers the structs the brief names. */
    assert_true(ARRAY_SIZE(libxl_test_types) >= 37);
}

/* The fillers really set every field: no key of the filled JSON of a
 * keyed-union-free type is missing compared with its list of fields,
 * which we check on one type by hand. */
static void test_filled_has_every_field(void **state)
{
    libxl_device_disk disk;
    static const char *const keys[] = {
        "backend_domid", "backend_domname", "pdev_path", "vdev", "backend",
        "format", "script", "removable", "readwrite", "is_cdrom",
        "direct_io_safe", "discard_enable", "specification", "transport",
        "irq", "base", "colo_enable", "colo_restore_enable", "colo_host",
        "colo_port", "colo_export", "active_disk", "hidden_disk", "trusted",
    };
    const char *prev = NULL;
    char *s;

    libxl_device_disk_init(&disk);
    libxl_test_fill_device_disk(&disk, 0);
    s = libxl_device_disk_to_json(NULL, &disk);
    /* ... present, and in upstream's order */
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        char quoted[64];
        const char *at;

        snprintf(quoted, sizeof(quoted), "\"%s\":", keys[i]);
        at = strstr(s, quoted);
        assert_non_null(at);
        assert_true(!prev || at > prev);
        prev = at;
    }
    free(s);
    libxl_device_disk_dispose(&disk);
}

/*
 * Upstream samples
 */

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    char *buf;
    long n;

    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    buf = calloc(1, n + 1);
    assert_int_equal(fread(buf, 1, n, f), (size_t)n);
    fclose(f);
    return buf;
}

static void test_upstream_samples(void **state)
{
    DIR *dir = opendir(SAMPLES);
    struct dirent *de;
    int seen = 0;

    assert_non_null(dir);
    while ((de = readdir(dir))) {
        char path[512];
        libxl_domain_config dc;
        char *in, *out;

        /* upstream-*.json are verbatim `xl -N create` outputs. */
        if (strncmp(de->d_name, "upstream-", 9))
            continue;
        snprintf(path, sizeof(path), "%s/%s", SAMPLES, de->d_name);
        in = read_file(path);
        assert_int_equal(libxl_domain_config_from_json(NULL, &dc, in), 0);
        out = libxl_domain_config_to_json(NULL, &dc);
        if (strcmp(in, out)) {
            print_error("%s:\n--- upstream\n%s\n--- ours\n%s\n", path, in,
                        out);
            fail();
        }
        libxl_domain_config_dispose(&dc);
        free(in);
        free(out);
        seen++;
    }
    closedir(dir);
    assert_true(seen >= 5);
}

/*
 * Defaults and formats
 */

/* An initialised config is all defaults: only the aggregates remain
 * (upstream writes them even when empty). */
static void test_defaults_omitted(void **state)
{
    static const char expected[] =
        "{\n"
        "    \"c_info\": {\n\n    },\n"
        "    \"b_info\": {\n"
        "        \"sched_params\": {\n\n        },\n"
        "        \"type.invalid\": {\n\n        },\n"
        "        \"arch_arm\": {\n\n        },\n"
        "        \"arch_x86\": {\n\n        }\n"
        "    }\n"
        "}\n";
    libxl_domain_config dc;
    char *s;

    libxl_domain_config_init(&dc);
    s = libxl_domain_config_to_json(NULL, &dc);
    assert_string_equal(s, expected);
    free(s);

    /* A field set back to its default disappears again. */
    dc.on_crash = LIBXL_ACTION_ON_SHUTDOWN_PRESERVE;
    s = libxl_domain_config_to_json(NULL, &dc);
    assert_non_null(strstr(s, "\"on_crash\": \"preserve\""));
    free(s);
    dc.on_crash = LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
    s = libxl_domain_config_to_json(NULL, &dc);
    assert_null(strstr(s, "on_crash"));
    free(s);
    libxl_domain_config_dispose(&dc);
}

static void test_builtin_formats(void **state)
{
    libxl_domain_config dc;
    char *s;

    libxl_domain_config_init(&dc);
    libxl_domain_build_info_init_type(&dc.b_info, LIBXL_DOMAIN_TYPE_PVH);
    libxl_defbool_set(&dc.c_info.hap, true);
    libxl_defbool_set(&dc.c_info.oos, false);
    libxl_bitmap_alloc(NULL, &dc.b_info.cpumap, 16);
    libxl_bitmap_set(&dc.b_info.cpumap, 3);
    libxl_bitmap_set(&dc.b_info.cpumap, 12);
    dc.b_info.max_memkb = 18446744073709551614ULL;
    dc.on_soft_reset = LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART;
    s = libxl_domain_config_to_json(NULL, &dc);
    assert_non_null(strstr(s, "\"hap\": \"True\""));
    assert_non_null(strstr(s, "\"oos\": \"False\""));
    assert_non_null(strstr(s, "\"cpumap\": [\n            3,\n"
                              "            12\n        ]"));
    assert_non_null(strstr(s, "\"max_memkb\": 18446744073709551614,"));
    assert_non_null(strstr(s, "\"type.pvh\": {\n\n        }"));
    assert_non_null(strstr(s, "\"on_soft_reset\": \"coredump_restart\""));
    free(s);
    libxl_domain_config_dispose(&dc);
}

static void test_enum_and_event_json(void **state)
{
    libxl_event ev, ev2;
    libxl_shutdown_reason r;
    char *s, *s2;

    s = libxl_shutdown_reason_to_json(NULL, LIBXL_SHUTDOWN_REASON_SOFT_RESET);
    assert_string_equal(s, "\"soft_reset\"\n");
    assert_int_equal(libxl_shutdown_reason_from_json(NULL, &r, s), 0);
    assert_int_equal(r, LIBXL_SHUTDOWN_REASON_SOFT_RESET);
    free(s);

    libxl_event_init(&ev);
    libxl_event_init_type(&ev, LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN);
    ev.domid = 7;
    ev.u.domain_shutdown.shutdown_reason = LIBXL_SHUTDOWN_REASON_SOFT_RESET;
    s = libxl_event_to_json(NULL, &ev);
    assert_string_equal(s, "{\n    \"domid\": 7,\n"
                           "    \"type.domain_shutdown\": {\n"
                           "        \"shutdown_reason\": 5\n    }\n}\n");
    assert_int_equal(libxl_event_from_json(NULL, &ev2, s), 0);
    assert_int_equal(ev2.type, LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN);
    s2 = libxl_event_to_json(NULL, &ev2);
    assert_string_equal(s, s2);
    free(s), free(s2);
    libxl_event_dispose(&ev);
    libxl_event_dispose(&ev2);
}

/*
 * Bad input
 */

static void test_bad_json(void **state)
{
    static const char *const bad[] = {
        "", "   ", "{", "}", "[", "{\"c_info\": }", "{\"c_info\" {}}",
        "nul", "\"unterminated", "{\"a\": 1,}", "[1, 2", "\xff\xfe",
        /* valid JSON, not a domain_config */
        "[]", "42", "\"text\"", "null",
        /* unknown enum value, wrong member types */
        "{\"c_info\": {\"type\": \"xen\"}}",
        "{\"on_reboot\": \"reboot\"}",
        "{\"c_info\": {\"hap\": \"yes\"}}",
        "{\"c_info\": {\"uuid\": \"not-a-uuid\"}}",
        "{\"c_info\": {\"ssidref\": -1}}",
        "{\"c_info\": {\"ssidref\": 4294967296}}",
        "{\"b_info\": {\"max_vcpus\": 2147483648}}",
        "{\"b_info\": {\"avail_vcpus\": [-1]}}",
        "{\"b_info\": {\"avail_vcpus\": [0, \"1\"]}}",
        "{\"b_info\": {\"avail_vcpus\": [99999999999]}}",
        "{\"b_info\": {\"max_memkb\": -5}}",
        "{\"nics\": [{\"mac\": \"00:16:3e\"}]}",
        "{\"nics\": [{\"mac\": \"00:16:3e:00:00:0g\"}]}",
        "{\"disks\": [{\"format\": \"floppy\"}]}",
        "{\"disks\": [17]}",
        "{\"b_info\": {\"extra\": [\"a\", 1]}}",
        "{\"c_info\": {\"xsdata\": {\"k\": 1}}}",
        "{\"b_info\": {\"cpuid\": {\"cpuid\": []}}}",
        "{\"b_info\": {\"cpuid\": [{\"eax\": \"x\"}]}}",
        "{\"b_info\": {\"cpuid\": [{\"leaf\": 1, \"eax\": \"short\"}]}}",
        /* two members of one keyed union */
        "{\"b_info\": {\"type.hvm\": {}, \"type.pv\": {}}}",
        "{\"b_info\": {\"type.hvm\": {\"vga\": {\"kind\": \"vesa\"}}}}",
    };

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        libxl_domain_config dc;
        int rc = libxl_domain_config_from_json(NULL, &dc, bad[i]);

        if (!rc)
            print_error("accepted: %s\n", bad[i]);
        assert_int_not_equal(rc, 0);
        libxl_domain_config_dispose(&dc);
    }
}

/* Deep nesting is refused by the parser, not recursed into. */
static void test_deep_nesting(void **state)
{
    size_t n = 100000;
    char *s = malloc(2 * n + 1);
    libxl_domain_config dc;

    memset(s, '[', n);
    memset(s + n, ']', n);
    s[2 * n] = '\0';
    assert_int_not_equal(libxl_domain_config_from_json(NULL, &dc, s), 0);
    libxl_domain_config_dispose(&dc);
    free(s);
}

/* Unknown keys are ignored, as upstream does (newer writers). */
static void test_unknown_keys_ignored(void **state)
{
    libxl_domain_config dc;

    assert_int_equal(libxl_domain_config_from_json(NULL, &dc,
        "{\"c_info\": {\"name\": \"a\", \"future\": [1, {}]}, \"x\": 1}"), 0);
    assert_string_equal(dc.c_info.name, "a");
    libxl_domain_config_dispose(&dc);
}

/* Big uint64 values survive (they are beyond long long). */
static void test_uint64_range(void **state)
{
    libxl_domain_config dc;

    assert_int_equal(libxl_domain_config_from_json(NULL, &dc,
        "{\"b_info\": {\"max_memkb\": 18446744073709551615, "
        "\"target_memkb\": 9223372036854775808}}"), 0);
    assert_true(dc.b_info.max_memkb == UINT64_MAX);
    assert_true(dc.b_info.target_memkb == 9223372036854775808ULL);
    libxl_domain_config_dispose(&dc);
    assert_int_not_equal(libxl_domain_config_from_json(NULL, &dc,
        "{\"b_info\": {\"max_memkb\": 18446744073709551616}}"), 0);
    libxl_domain_config_dispose(&dc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_every_type),
        cmocka_unit_test(test_filled_has_every_field),
        cmocka_unit_test(test_upstream_samples),
        cmocka_unit_test(test_defaults_omitted),
        cmocka_unit_test(test_builtin_formats),
        cmocka_unit_test(test_enum_and_event_json),
        cmocka_unit_test(test_bad_json),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_unknown_keys_ignored),
        cmocka_unit_test(test_uint64_range),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
