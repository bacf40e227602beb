/*
 * test-libxl-domid-history.c: the recently destroyed domids
 * (libxl_domid_history.c) and how creation picks a domid
 * (libxl__domain_create_fresh) on the fake hypervisor: destroy records
 * the domid in upstream's file format, a recent domid is never given to
 * a new domain (asked for, random or the hypervisor's pick), expired
 * and malformed entries are dropped, libxl_clear_domid_history forgets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "libxl_internal.h"
#include "libxl_domain.h"
#include "libxl_dm.h"
#include "libxl_create.h"
#include "fake-sys.h"

static libxl_ctx *ctx;
static char tmpdir[] = "/tmp/test-libxl-domid-history.XXXXXX";
static char history[256];

static unsigned long now_sec(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long)ts.tv_sec;
}

static void write_history(const char *text)
{
    FILE *f = fopen(history, "w");

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *read_history(void)
{
    static char buf[4096];
    FILE *f = fopen(history, "r");
    size_t n;

    if (!f)
        return NULL;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static int setup(void **state)
{
    fake_reset();
    fake_dom_add(0, 0);
    ctx = fake_ctx(fake_log_level());
    if (!mkdtemp(tmpdir))
        return -1;
    libxl__tun.userdata_dir = tmpdir;
    libxl__tun.run_dir = tmpdir;
    snprintf(history, sizeof(history), "%s/domid-history", tmpdir);
    unsetenv("LIBXL_DOMID_REUSE_TIMEOUT");
    return 0;
}

static int teardown(void **state)
{
    char cmd[128];

    fake_ctx_free(ctx);
    ctx = NULL;
    snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
    if (system(cmd))
        return -1;
    strcpy(tmpdir, "/tmp/test-libxl-domid-history.XXXXXX");
    return 0;
}

static int pick(uint32_t asked, uint32_t *domid)
{
    GC_INIT(ctx);
    struct xen_domctl_createdomain create = { 0 };
    int rc = libxl__domain_create_fresh(gc, asked, &create, domid);

    GC_FREE;
    return rc;
}

static bool recent(uint32_t domid)
{
    GC_INIT(ctx);
    bool r = false;

    assert_int_equal(libxl__domid_history_is_recent(gc, domid, &r), 0);
    GC_FREE;
    return r;
}

/* Destroy records the domid, "SECONDS DOMID" as upstream's file, and
 * leaves no lock file. */
static void test_destroy_records(void **state)
{
    unsigned long before = now_sec(), sec;
    unsigned int domid;
    char *text;

    fake_dom_add(7, 0x07);
    assert_false(recent(7));
    assert_int_equal(libxl_domain_destroy(ctx, 7, NULL), 0);
    assert_null(fake_dom_find(7));
    text = read_history();
    assert_non_null(text);
    assert_int_equal(sscanf(text, "%lu %u\n", &sec, &domid), 2);
    assert_int_equal(domid, 7);
    assert_true(sec >= before && sec <= now_sec());
    assert_true(recent(7));
    assert_false(recent(8));
    assert_int_equal(access(history, F_OK), 0);
    {
        char lock[300];
        snprintf(lock, sizeof(lock), "%s.lock", history);
        assert_int_equal(access(lock, F_OK), -1);
        snprintf(lock, sizeof(lock), "%s.new", history);
        assert_int_equal(access(lock, F_OK), -1);
    }
}

/* A domid asked for by number is refused while recent, without making
 * a domain; once the history is cleared it is given. */
static void test_asked_recent_refused(void **state)
{
    uint32_t domid = 0;

    fake_dom_add(9, 0x09);
    assert_int_equal(libxl_domain_destroy(ctx, 9, NULL), 0);
    assert_int_equal(pick(9, &domid), ERROR_FAIL);
    assert_null(fake_dom_find(9));
    assert_int_equal(fake_log_prefix("domain_create"), -1);
    assert_int_equal(libxl_clear_domid_history(ctx), 0);
    assert_int_equal(access(history, F_OK), -1);
    assert_int_equal(libxl_clear_domid_history(ctx), 0);    /* none: ok */
    assert_int_equal(pick(9, &domid), 0);
    assert_int_equal(domid, 9);
    assert_non_null(fake_dom_find(9));
}

/* The hypervisor's pick: a recent one is given back (destroyed, not
 * recorded) and the next one taken. */
static void test_hypervisor_pick_skips_recent(void **state)
{
    char text[128];
    uint32_t domid = 0;

    snprintf(text, sizeof(text), "%lu 1\n%lu 2\n", now_sec(), now_sec());
    write_history(text);
    assert_int_equal(pick(INVALID_DOMID, &domid), 0);
    assert_int_equal(domid, 3);
    assert_null(fake_dom_find(1));
    assert_null(fake_dom_find(2));
    assert_non_null(fake_dom_find(3));
    /* 0 in c_info (a config without domid) means the same */
    assert_int_equal(pick(0, &domid), 0);
    assert_int_equal(domid, 4);
    /* the given-back domids were not added to the history */
    assert_false(recent(3));
    assert_string_equal(read_history(), text);
}

/* Entries older than the timeout, malformed lines and non-guest
 * domids do not count, and the next write drops them. */
static void test_expired_and_malformed(void **state)
{
    char text[512], expect[64];
    unsigned long now = now_sec();

    snprintf(text, sizeof(text),
             "%lu 11\n"          /* expired (61 s) */
             "garbage\n"
             "%lu\n"             /* no domid */
             "%lu 0\n"           /* dom0 */
             "%lu 40000\n"       /* reserved */
             "%lu 12 extra\n"    /* trailing junk */
             "%lu 13\n",         /* in time */
             now - 61, now, now, now, now, now);
    write_history(text);
    assert_false(recent(11));
    assert_false(recent(12));
    assert_false(recent(0));
    assert_true(recent(13));
    /* The timeout comes from the environment, as upstream's. */
    setenv("LIBXL_DOMID_REUSE_TIMEOUT", "100", 1);
    assert_true(recent(11));
    setenv("LIBXL_DOMID_REUSE_TIMEOUT", "nonsense", 1);
    assert_false(recent(11));       /* back to 60 */
    unsetenv("LIBXL_DOMID_REUSE_TIMEOUT");
    fake_dom_add(14, 0x0e);
    assert_int_equal(libxl_domain_destroy(ctx, 14, NULL), 0);
    snprintf(expect, sizeof(expect), "%lu 13\n", now);
    assert_int_equal(strncmp(read_history(), expect, strlen(expect)), 0);
    assert_null(strstr(read_history(), " 11\n"));
    assert_null(strstr(read_history(), "garbage"));
    assert_true(recent(14));
    setenv("LIBXL_DOMID_REUSE_TIMEOUT", "100", 1);
    assert_false(recent(11));       /* gone from the file */
    unsetenv("LIBXL_DOMID_REUSE_TIMEOUT");
}

/* RANDOM_DOMID: a guest domid that is neither recent nor taken. */
static void test_random(void **state)
{
    FILE *f = fopen(history, "w");
    unsigned long now = now_sec();
    uint32_t domid = 0, first = 0;
    bool differ = false;

    /* Every even domid recent: the picks must be odd.  A long timeout:
     * a slow run (valgrind) must not see them expire. */
    setenv("LIBXL_DOMID_REUSE_TIMEOUT", "1000000", 1);
    assert_non_null(f);
    for (unsigned int d = 2; d < DOMID_FIRST_RESERVED; d += 2)
        fprintf(f, "%lu %u\n", now, d);
    fclose(f);
    for (int i = 0; i < 8; i++) {
        assert_int_equal(pick(RANDOM_DOMID, &domid), 0);
        assert_true(domid % 2 && domid < DOMID_FIRST_RESERVED);
        assert_non_null(fake_dom_find(domid));
        if (!first)
            first = domid;
        else if (domid != first)
            differ = true;
    }
    assert_true(differ);
    assert_int_equal(fake.n_doms, 9);       /* dom0 and the 8: no dups */
    unsetenv("LIBXL_DOMID_REUSE_TIMEOUT");
}

/* An unreadable history is an error, not "nothing recent". */
static void test_unreadable(void **state)
{
    uint32_t domid = 0;

    assert_int_equal(mkdir(history, 0755), 0);  /* a directory: EISDIR */
    assert_int_equal(pick(5, &domid), ERROR_FAIL);
    assert_null(fake_dom_find(5));
    rmdir(history);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_destroy_records, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_asked_recent_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_hypervisor_pick_skips_recent,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_expired_and_malformed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_random, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unreadable, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
