/*
 * test-libxl-ctx.c: libxl_ctx_alloc on a host that is not a Xen dom0
 * fails with ERROR_FAIL and says why in exactly one log line (no stack
 * of libxencall errors), through the caller's logger.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "libxl_internal.h"

/* A xentoollog logger that keeps what it is told. */
typedef struct {
    xentoollog_logger vtable;
    int count;
    xentoollog_level level;
    char context[32];
    char last[512];
} capture_logger;

static void capture_vmessage(xentoollog_logger *lg, xentoollog_level level,
                             int errnoval, const char *context,
                             const char *format, va_list al)
{
    capture_logger *c = (capture_logger *)lg;

    c->count++;
    c->level = level;
    snprintf(c->context, sizeof(c->context), "%s", context ? context : "");
    vsnprintf(c->last, sizeof(c->last), format, al);
}

static void capture_destroy(xentoollog_logger *lg)
{
}

static capture_logger new_capture(void)
{
    capture_logger c = {
        .vtable = { .vmessage = capture_vmessage, .destroy = capture_destroy },
    };
    return c;
}

static bool host_is_dom0(void)
{
    return !access("/dev/xen/privcmd", F_OK) ||
           !access("/proc/xen/privcmd", F_OK);
}

static void check_not_dom0(capture_logger *c, const char *path)
{
    libxl_ctx *ctx = (libxl_ctx *)&ctx;      /* must be reset to NULL */

    assert_int_equal(libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0,
                                     &c->vtable), ERROR_FAIL);
    assert_null(ctx);
    assert_int_equal(c->count, 1);
    assert_int_equal(c->level, XTL_ERROR);
    assert_string_equal(c->context, "libxl");
    assert_non_null(strstr(c->last, "cannot reach the Xen hypervisor"));
    assert_non_null(strstr(c->last, "not a Xen dom0"));
    assert_non_null(strstr(c->last, path));
    assert_non_null(strstr(c->last, "tools/testhost"));
    assert_null(strchr(c->last, '\n'));
}

static void test_no_xen_one_line(void **state)
{
    capture_logger c = new_capture();

    if (host_is_dom0())
        skip();             /* on the test host ctx_alloc succeeds */
    check_not_dom0(&c, "/dev/xen/privcmd");
}

/* The same through a device path that never exists, so that this part
 * runs on a dom0 as well. */
static void test_missing_device_path(void **state)
{
    static const char *const paths[] = { "/nonexistent/xen/privcmd", NULL };
    const char *const *saved = libxl__tun.privcmd_paths;
    capture_logger c = new_capture();

    libxl__tun.privcmd_paths = paths;
    check_not_dom0(&c, "/nonexistent/xen/privcmd");
    libxl__tun.privcmd_paths = saved;
}

static void test_version_mismatch(void **state)
{
    capture_logger c = new_capture();
    libxl_ctx *ctx = (libxl_ctx *)&ctx;

    assert_int_equal(libxl_ctx_alloc(&ctx, LIBXL_VERSION + 1, 0,
                                     &c.vtable), ERROR_VERSION);
    assert_null(ctx);
    assert_int_equal(libxl_ctx_free(NULL), 0);
}

/* Logging goes through the ctx's logger with file:line:function. */
static void test_log_through_ctx(void **state)
{
    capture_logger c = new_capture();
    libxl_ctx ctx = { .lg = &c.vtable };
    libxl__gc gc_buf = { .owner = &ctx }, *gc = &gc_buf;

    LOGD(WARN, 3, "hello %d", 42);
    assert_int_equal(c.count, 1);
    assert_int_equal(c.level, XTL_WARN);
    assert_non_null(strstr(c.last, "test-libxl-ctx.c:"));
    assert_non_null(strstr(c.last, "test_log_through_ctx: Domain 3:hello 42"));
    GC_FREE;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_xen_one_line),
        cmocka_unit_test(test_missing_device_path),
        cmocka_unit_test(test_version_mismatch),
        cmocka_unit_test(test_log_through_ctx),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
