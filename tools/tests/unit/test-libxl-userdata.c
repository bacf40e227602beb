/*
 * test-libxl-userdata.c: userdata files (upstream's path layout, atomic
 * replace, absent = no data, bad keys refused, removal at destroy) and
 * the stored domain configuration behind
 * libxl_retrieve_domain_configuration.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "libxl_internal.h"
#include "libxl_domain.h"
#include "libxl_dm.h"
#include "fake-sys.h"

static libxl_ctx *ctx;
static char tmpdir[] = "/tmp/test-libxl-userdata.XXXXXX";

static int setup(void **state)
{
    fake_reset();
    fake_dom_add(0, 0x00);
    /* uuid 01020304-0506-0708-090a-0b0c0d0e0f10 */
    fake_dom_add(5, 0x01);
    fake_xs_set("/local/domain/5/name", "guest");
    ctx = fake_ctx(fake_log_level());
    if (!mkdtemp(tmpdir))
        return -1;
    libxl__tun.userdata_dir = tmpdir;
    libxl__tun.run_dir = tmpdir;
    return 0;
}

static int teardown(void **state)
{
    char cmd[128];

    fake_ctx_free(ctx);
    fake_reset();
    snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
    if (system(cmd))
        return -1;
    strcpy(tmpdir, "/tmp/test-libxl-userdata.XXXXXX");
    return 0;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = calloc(1, 65536);

    assert_non_null(f);
    *len = fread(buf, 1, 65535, f);
    fclose(f);
    return buf;
}

static void test_path(void **state)
{
    char want[256];
    GC_INIT(ctx);

    snprintf(want, sizeof(want),
             "%s/userdata-d.5.01020304-0506-0708-090a-0b0c0d0e0f10.xl",
             tmpdir);
    assert_string_equal(libxl__userdata_path(gc, 5, "xl", "d"), want);
    /* no such domain: no path */
    assert_null(libxl__userdata_path(gc, 6, "xl", "d"));
    GC_FREE;
}

static void test_store_retrieve_unlink(void **state)
{
    const uint8_t data[] = { 'a', 0, 'b', 0xff };
    uint8_t *got;
    int len;
    char path[256], *file;
    size_t flen;

    assert_int_equal(libxl_userdata_store(ctx, 5, "xl", data, 4), 0);
    snprintf(path, sizeof(path),
             "%s/userdata-d.5.01020304-0506-0708-090a-0b0c0d0e0f10.xl",
             tmpdir);
    file = slurp(path, &flen);
    assert_int_equal(flen, 4);
    assert_memory_equal(file, data, 4);
    free(file);
    /* no temporary file is left */
    snprintf(path, sizeof(path),
             "%s/userdata-n.5.01020304-0506-0708-090a-0b0c0d0e0f10.xl",
             tmpdir);
    assert_int_not_equal(access(path, F_OK), 0);

    assert_int_equal(libxl_userdata_retrieve(ctx, 5, "xl", &got, &len), 0);
    assert_int_equal(len, 4);
    assert_memory_equal(got, data, 4);
    free(got);
    /* replace */
    assert_int_equal(libxl_userdata_store(ctx, 5, "xl",
                                          (const uint8_t *)"zz", 2), 0);
    assert_int_equal(libxl_userdata_retrieve(ctx, 5, "xl", &got, &len), 0);
    assert_int_equal(len, 2);
    free(got);
    /* absent key: no data, no error */
    got = (uint8_t *)&got;
    assert_int_equal(libxl_userdata_retrieve(ctx, 5, "other", &got, &len),
                     0);
    assert_null(got);
    assert_int_equal(len, 0);
    /* unlink, twice */
    assert_int_equal(libxl_userdata_unlink(ctx, 5, "xl"), 0);
    assert_int_equal(libxl_userdata_unlink(ctx, 5, "xl"), 0);
    assert_int_equal(libxl_userdata_retrieve(ctx, 5, "xl", &got, &len), 0);
    assert_null(got);
    /* bad keys and domains */
    assert_int_equal(libxl_userdata_store(ctx, 5, "../x", data, 4),
                     ERROR_INVAL);
    assert_int_equal(libxl_userdata_store(ctx, 5, "", data, 4),
                     ERROR_INVAL);
    assert_int_equal(libxl_userdata_store(ctx, 5, "a/b", data, 4),
                     ERROR_INVAL);
    assert_int_equal(libxl_userdata_store(ctx, 5, "xl", data, -1),
                     ERROR_INVAL);
    assert_int_equal(libxl_userdata_store(ctx, 6, "xl", data, 4),
                     ERROR_FAIL);
}

static void test_destroyall(void **state)
{
    char path[256];
    FILE *f;
    GC_INIT(ctx);

    assert_int_equal(libxl_userdata_store(ctx, 5, "a",
                                          (const uint8_t *)"1", 1), 0);
    assert_int_equal(libxl_userdata_store(ctx, 5, "b",
                                          (const uint8_t *)"1", 1), 0);
    /* another domain's (5 is a prefix of 55) */
    snprintf(path, sizeof(path), "%s/userdata-d.55.x.a", tmpdir);
    f = fopen(path, "w");
    fclose(f);
    assert_int_equal(libxl__userdata_destroyall(gc, 5), 0);
    assert_int_equal(access(path, F_OK), 0);
    assert_null(libxl__userdata_path(gc, 6, "a", "d"));
    {
        uint8_t *got;
        int len;
        assert_int_equal(libxl_userdata_retrieve(ctx, 5, "a", &got, &len),
                         0);
        assert_null(got);
    }
    /* nothing to remove is fine */
    assert_int_equal(libxl__userdata_destroyall(gc, 7), 0);
    GC_FREE;
}

static void test_config(void **state)
{
    libxl_domain_config cfg, got;
    GC_INIT(ctx);

    libxl_domain_config_init(&got);
    assert_int_equal(libxl_retrieve_domain_configuration(ctx, 5, &got,
                                                         NULL),
                     ERROR_JSON_CONFIG_EMPTY);
    libxl_domain_config_dispose(&got);

    libxl_domain_config_init(&cfg);
    cfg.c_info.name = strdup("guest");
    cfg.c_info.type = LIBXL_DOMAIN_TYPE_PVH;
    cfg.b_info.max_memkb = 65536;
    cfg.on_soft_reset = LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET;
    assert_int_equal(libxl__domain_config_store(gc, 5, &cfg), 0);
    libxl_domain_config_dispose(&cfg);

    /* the name in xenstore wins; the memory is xenstore's (what
     * upstream's retrieve needs there: test-libxl-retrieve.c has more) */
    fake_xs_set("/local/domain/5/name", "now-called");
    fake_xs_set("/local/domain/5/memory/target", "65536");
    fake_xs_set("/local/domain/5/memory/static-max", "65536");
    libxl_domain_config_init(&got);
    assert_int_equal(libxl_retrieve_domain_configuration(ctx, 5, &got,
                                                         NULL), 0);
    assert_string_equal(got.c_info.name, "now-called");
    assert_int_equal(got.c_info.type, LIBXL_DOMAIN_TYPE_PVH);
    assert_int_equal(got.b_info.max_memkb, 65536);
    assert_int_equal(got.on_soft_reset, LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET);
    libxl_domain_config_dispose(&got);

    /* a damaged file is an error, not a crash */
    assert_int_equal(libxl_userdata_store(ctx, 5, "libxl-json",
                                          (const uint8_t *)"{\"c_info\":",
                                          10), 0);
    libxl_domain_config_init(&got);
    assert_int_not_equal(libxl_retrieve_domain_configuration(ctx, 5, &got,
                                                             NULL), 0);
    libxl_domain_config_dispose(&got);
    GC_FREE;
}

/* A ctx given its own tunables (ctx->tun) works in its own directory;
 * the process-wide ones are untouched. */
static void test_own_tunables(void **state)
{
    char other[] = "/tmp/test-libxl-userdata-own.XXXXXX", path[256], cmd[128];
    libxl__tunables mine = libxl__tun;
    const libxl__tunables saved = libxl__tun;
    GC_INIT(ctx);

    assert_non_null(mkdtemp(other));
    mine.userdata_dir = other;
    ctx->tun = &mine;
    assert_int_equal(libxl_userdata_store(ctx, 5, "xl",
                                          (const uint8_t *)"zz", 2), 0);
    snprintf(path, sizeof(path),
             "%s/userdata-d.5.01020304-0506-0708-090a-0b0c0d0e0f10.xl",
             other);
    assert_int_equal(access(path, F_OK), 0);
    snprintf(path, sizeof(path),
             "%s/userdata-d.5.01020304-0506-0708-090a-0b0c0d0e0f10.xl",
             tmpdir);
    assert_int_not_equal(access(path, F_OK), 0);
    assert_string_equal(libxl__tun.userdata_dir, saved.userdata_dir);
    ctx->tun = &libxl__tun;
    snprintf(cmd, sizeof(cmd), "rm -rf %s", other);
    assert_int_equal(system(cmd), 0);
    GC_FREE;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_retrieve_unlink, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_destroyall, setup, teardown),
        cmocka_unit_test_setup_teardown(test_config, setup, teardown),
        cmocka_unit_test_setup_teardown(test_own_tunables, setup, teardown),
    };
    return cmocka_run_group_tests_name("libxl-userdata", tests, NULL, NULL);
}
