/*
 * test-libxl-lock.c: per-domain locks: two contenders (two ctxs, and
 * another process) exclude each other; the second waits within its
 * bound and gets the lock once the first lets go; nested acquires in
 * one ctx count; different domains do not contend; a lock file removed
 * by destroy does not let two holders in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include <cmocka.h>

#include "libxl_internal.h"
#include "fake-sys.h"

static libxl_ctx *a, *b;
static char tmpdir[] = "/tmp/test-libxl-lock.XXXXXX";

static int setup(void **state)
{
    fake_reset();
    a = fake_ctx(XTL_CRITICAL);
    b = fake_ctx(XTL_CRITICAL);
    if (!mkdtemp(tmpdir))
        return -1;
    libxl__lock_dir = tmpdir;
    libxl__lock_timeout_ms = 200;
    return 0;
}

static int teardown(void **state)
{
    char cmd[128];

    fake_ctx_free(a);
    fake_ctx_free(b);
    fake_reset();
    snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
    if (system(cmd))
        return -1;
    strcpy(tmpdir, "/tmp/test-libxl-lock.XXXXXX");
    return 0;
}

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_two_ctxs(void **state)
{
    libxl__domain_lock *la, *la2, *lb, *lc;
    libxl__gc ga, gb;
    int64_t t0;

    LIBXL_INIT_GC(ga, a);
    LIBXL_INIT_GC(gb, b);
    assert_int_equal(libxl__domain_lock_acquire(&ga, 5, &la), 0);
    /* nested in the same ctx */
    assert_int_equal(libxl__domain_lock_acquire(&ga, 5, &la2), 0);
    assert_ptr_equal(la, la2);
    /* the other contender waits its bound, then fails */
    t0 = now_ms();
    assert_int_equal(libxl__domain_lock_acquire(&gb, 5, &lb),
                     ERROR_LOCK_FAIL);
    assert_null(lb);
    assert_true(now_ms() - t0 >= 190);
    /* another domain is free */
    assert_int_equal(libxl__domain_lock_acquire(&gb, 6, &lc), 0);
    libxl__domain_lock_release(&gb, lc);
    /* one release of two: still held */
    libxl__domain_lock_release(&ga, la2);
    assert_int_equal(libxl__domain_lock_acquire(&gb, 5, &lb),
                     ERROR_LOCK_FAIL);
    libxl__domain_lock_release(&ga, la);
    assert_int_equal(libxl__domain_lock_acquire(&gb, 5, &lb), 0);
    libxl__domain_lock_release(&gb, lb);
    libxl__free_all(&ga);
    libxl__free_all(&gb);
}

/* Another process holds the lock for 300 ms: we wait and get it. */
static void test_other_process(void **state)
{
    libxl__domain_lock *l;
    libxl__gc gb;
    int p[2], status;
    char c;
    pid_t pid;
    int64_t t0;

    LIBXL_INIT_GC(gb, b);
    assert_int_equal(pipe(p), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* flock(1) takes the same lock as libxl (another program), says
         * so on the pipe, holds it 300 ms */
        char path[256], fdarg[16];
        snprintf(path, sizeof(path), "%s/domain-7.lock", tmpdir);
        snprintf(fdarg, sizeof(fdarg), "%d", p[1]);
        close(p[0]);
        execlp("flock", "flock", "-x", path, "sh", "-c",
               "echo x >&$0; sleep 0.3", fdarg, (char *)NULL);
        _exit(127);
    }
    close(p[1]);
    p[1] = -1;
    assert_int_equal(read(p[0], &c, 1), 1);
    libxl__lock_timeout_ms = 5000;
    t0 = now_ms();
    assert_int_equal(libxl__domain_lock_acquire(&gb, 7, &l), 0);
    assert_true(now_ms() - t0 >= 200);
    assert_true(now_ms() - t0 < 4000);
    libxl__domain_lock_release(&gb, l);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(p[0]);
    libxl__free_all(&gb);
}

/* Destroy removes the file while holding the lock: a waiter that had
 * opened the old file must not hold "a" lock alongside a newcomer. */
static void test_removed_file(void **state)
{
    libxl__domain_lock *la, *lb, *lc;
    libxl__gc ga, gb;
    libxl_ctx *c = fake_ctx(XTL_CRITICAL);
    libxl__gc gc_;

    LIBXL_INIT_GC(ga, a);
    LIBXL_INIT_GC(gb, b);
    LIBXL_INIT_GC(gc_, c);
    assert_int_equal(libxl__domain_lock_acquire(&ga, 8, &la), 0);
    libxl__domain_lock_remove(&ga, 8);
    /* a newcomer creates a fresh file and gets it */
    assert_int_equal(libxl__domain_lock_acquire(&gb, 8, &lb), 0);
    /* the old holder still holds its (unlinked) file; a third contender
     * sees the newcomer's lock */
    assert_int_equal(libxl__domain_lock_acquire(&gc_, 8, &lc),
                     ERROR_LOCK_FAIL);
    libxl__domain_lock_release(&ga, la);
    libxl__domain_lock_release(&gb, lb);
    assert_int_equal(libxl__domain_lock_acquire(&gc_, 8, &lc), 0);
    libxl__domain_lock_release(&gc_, lc);
    libxl__free_all(&ga);
    libxl__free_all(&gb);
    libxl__free_all(&gc_);
    fake_ctx_free(c);
}

/* Public operations hold the lock: pause waits for another holder. */
static void test_public_ops_lock(void **state)
{
    libxl__domain_lock *la;
    libxl__gc ga;

    LIBXL_INIT_GC(ga, a);
    fake_dom_add(9, 0x09);
    assert_int_equal(libxl__domain_lock_acquire(&ga, 9, &la), 0);
    assert_int_equal(libxl_domain_pause(b, 9, NULL), ERROR_LOCK_FAIL);
    assert_false(fake_dom_find(9)->flags & XEN_DOMINF_paused);
    assert_int_equal(libxl_domain_destroy(b, 9, NULL), ERROR_LOCK_FAIL);
    assert_non_null(fake_dom_find(9));
    /* the holder itself may (nested) */
    assert_int_equal(libxl_domain_pause(a, 9, NULL), 0);
    libxl__domain_lock_release(&ga, la);
    assert_int_equal(libxl_domain_unpause(b, 9, NULL), 0);
    libxl__free_all(&ga);
}

static void test_bad_dir(void **state)
{
    libxl__domain_lock *l;
    libxl__gc ga;

    LIBXL_INIT_GC(ga, a);
    libxl__lock_dir = "/proc/no-such-dir/locks";
    assert_int_equal(libxl__domain_lock_acquire(&ga, 5, &l),
                     ERROR_LOCK_FAIL);
    libxl__lock_dir = tmpdir;
    libxl__free_all(&ga);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_two_ctxs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_process, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_removed_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_public_ops_lock, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bad_dir, setup, teardown),
    };
    return cmocka_run_group_tests_name("libxl-lock", tests, NULL, NULL);
}
