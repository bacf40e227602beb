/*
 * test-libxl-lock.c: per-domain locks are upstream's domain userdata
 * lock: flock on <userdata dir>/userdata-l.<domid>.<uuid>.domain-
 * userdata-lock, the file gone when the last holder lets go.  Two
 * contenders (two ctxs, another process locking as upstream's libxl
 * does) exclude each other; the second waits within its bound, gives a
 * clear error after it, and gets the lock once the first lets go;
 * nested acquires in one ctx count; different domains do not contend; a
 * lock file removed or replaced under a waiter does not let two holders
 * in; a domain that does not exist (or is destroyed while we wait) is
 * not locked and leaves no file.
 */
#include <dirent.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include <cmocka.h>

#include "libxl_internal.h"
#include "libxl_sys.h"
#include "libxl_domain.h"
#include "libxl_dm.h"
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
    libxl__tun.userdata_dir = tmpdir;
    libxl__tun.run_dir = tmpdir;
    libxl__tun.lock_timeout_ms = 200;
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

/* upstream's name of domid's lock file when its uuid bytes are
 * seed, seed + 1, ... (fake_dom_add) */
static const char *path_of(uint32_t domid, uint8_t seed)
{
    static char path[256];
    uint8_t u[16];

    for (int i = 0; i < 16; i++)
        u[i] = (uint8_t)(seed + i);
    snprintf(path, sizeof(path),
             "%s/userdata-l.%u.%02x%02x%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x-%02x%02x%02x%02x%02x%02x.domain-userdata-lock",
             tmpdir, domid, u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7],
             u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
    return path;
}

/* Files in tmpdir, but the domid history (it outlives domains). */
static int files_in_tmpdir(void)
{
    DIR *d = opendir(tmpdir);
    struct dirent *e;
    int n = 0;

    assert_non_null(d);
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
            strcmp(e->d_name, "domid-history"))
            n++;
    closedir(d);
    return n;
}

static bool exists(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0;
}

static void test_path(void **state)
{
    libxl__domain_lock *l, *l2;
    libxl__gc ga;

    LIBXL_INIT_GC(ga, a);
    fake_dom_add(5, 0x50);
    assert_int_equal(libxl__domain_lock_acquire(&ga, 5, &l), 0);
    assert_non_null(l);
    assert_true(exists(path_of(5, 0x50)));
    assert_int_equal(files_in_tmpdir(), 1);
    assert_int_equal(libxl__domain_lock_acquire(&ga, 5, &l2), 0);
    libxl__domain_lock_release(&ga, l2);
    /* still held: still there */
    assert_true(exists(path_of(5, 0x50)));
    libxl__domain_lock_release(&ga, l);
    /* the last holder takes the file away, as upstream's unlock */
    assert_int_equal(files_in_tmpdir(), 0);
    libxl__free_all(&ga);
}

static void test_two_ctxs(void **state)
{
    libxl__domain_lock *la, *la2, *lb, *lc;
    libxl__gc ga, gb;
    int64_t t0;

    LIBXL_INIT_GC(ga, a);
    LIBXL_INIT_GC(gb, b);
    fake_dom_add(5, 0x50);
    fake_dom_add(6, 0x60);
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
    assert_non_null(lc);
    libxl__domain_lock_release(&gb, lc);
    /* one release of two: still held */
    libxl__domain_lock_release(&ga, la2);
    assert_int_equal(libxl__domain_lock_acquire(&gb, 5, &lb),
                     ERROR_LOCK_FAIL);
    libxl__domain_lock_release(&ga, la);
    assert_int_equal(libxl__domain_lock_acquire(&gb, 5, &lb), 0);
    assert_non_null(lb);
    libxl__domain_lock_release(&gb, lb);
    assert_int_equal(files_in_tmpdir(), 0);
    libxl__free_all(&ga);
    libxl__free_all(&gb);
}

/*
 * Another process locks as upstream's libxl does (open O_CREAT, flock
 * LOCK_EX; unlink, then close to unlock), says so on the pipe, holds it
 * hold_ms.
 */
static pid_t upstream_holder(const char *path, int hold_ms, int *ready_fd)
{
    int p[2];
    pid_t pid;
    char c;

    assert_int_equal(pipe(p), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(path, O_RDWR | O_CREAT, 0666);
        if (fd < 0 || flock(fd, LOCK_EX))
            _exit(1);
        if (write(p[1], "x", 1) != 1)
            _exit(1);
        nanosleep(&(struct timespec){ .tv_sec = hold_ms / 1000,
                                      .tv_nsec = (hold_ms % 1000) *
                                                 1000000L },
                  NULL);
        unlink(path);
        close(fd);
        /* Leave through exec: under valgrind a forked child's _exit is
         * leak-checked (it holds the parent's heap) and fails with
         * valgrind's error status; an exec'd /bin/true is not traced. */
        execl("/bin/true", "true", (char *)NULL);
        _exit(0);
    }
    close(p[1]);
    assert_int_equal(read(p[0], &c, 1), 1);
    *ready_fd = p[0];
    return pid;
}

static void reap(pid_t pid, int fd)
{
    int status;

    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(fd);
}

/* An upstream holder for 300 ms: we wait and get it, on a fresh file
 * (it unlinked its own on the way out). */
static void test_other_process(void **state)
{
    libxl__domain_lock *l;
    libxl__gc gb;
    int fd;
    pid_t pid;
    int64_t t0;

    LIBXL_INIT_GC(gb, b);
    fake_dom_add(7, 0x70);
    pid = upstream_holder(path_of(7, 0x70), 300, &fd);
    libxl__tun.lock_timeout_ms = 5000;
    t0 = now_ms();
    assert_int_equal(libxl__domain_lock_acquire(&gb, 7, &l), 0);
    assert_non_null(l);
    assert_true(now_ms() - t0 >= 200);
    assert_true(now_ms() - t0 < 4000);
    /* what we hold is the file at the path again */
    assert_true(exists(path_of(7, 0x70)));
    reap(pid, fd);
    /* and upstream's way of locking it now fails */
    {
        int ufd = open(path_of(7, 0x70), O_RDWR);
        assert_true(ufd >= 0);
        assert_int_equal(flock(ufd, LOCK_EX | LOCK_NB), -1);
        assert_int_equal(errno, EWOULDBLOCK);
        close(ufd);
    }
    libxl__domain_lock_release(&gb, l);
    assert_int_equal(files_in_tmpdir(), 0);
    libxl__free_all(&gb);
}

/* A holder that does not let go: a bounded wait and an error that says
 * what is busy and where. */
static void test_timeout_message(void **state)
{
    libxl__domain_lock *l;
    libxl__gc gc_;
    libxl_ctx *c;
    FILE *logf = tmpfile();
    xentoollog_logger *lg;
    char buf[1024] = "";
    size_t n;
    int fd;
    pid_t pid;
    int64_t t0;

    assert_non_null(logf);
    lg = (xentoollog_logger *)xtl_createlogger_stdiostream(logf, XTL_ERROR,
                                                           0);
    assert_int_equal(libxl__ctx_alloc_fake(&c, lg, &fake_ops), 0);
    LIBXL_INIT_GC(gc_, c);
    fake_dom_add(7, 0x70);
    pid = upstream_holder(path_of(7, 0x70), 1500, &fd);
    libxl__tun.lock_timeout_ms = 300;
    t0 = now_ms();
    assert_int_equal(libxl__domain_lock_acquire(&gc_, 7, &l),
                     ERROR_LOCK_FAIL);
    assert_null(l);
    assert_true(now_ms() - t0 >= 290);
    assert_true(now_ms() - t0 < 1400);
    fflush(logf);
    rewind(logf);
    n = fread(buf, 1, sizeof(buf) - 1, logf);
    buf[n] = '\0';
    assert_non_null(strstr(buf, "domain is busy"));
    assert_non_null(strstr(buf, path_of(7, 0x70)));
    assert_non_null(strstr(buf, "300 ms"));
    reap(pid, fd);
    libxl__free_all(&gc_);
    libxl_ctx_free(c);
    xtl_logger_destroy(lg);
    fclose(logf);
}

/* Destroy removes the file while holding the lock: a waiter that had
 * opened the old file must not hold "a" lock alongside a newcomer, and
 * the old holder's release must not take the newcomer's file away. */
static void test_removed_file(void **state)
{
    libxl__domain_lock *la, *lb, *lc;
    libxl__gc ga, gb;
    libxl_ctx *c = fake_ctx(XTL_CRITICAL);
    libxl__gc gc_;

    LIBXL_INIT_GC(ga, a);
    LIBXL_INIT_GC(gb, b);
    LIBXL_INIT_GC(gc_, c);
    fake_dom_add(8, 0x80);
    assert_int_equal(libxl__domain_lock_acquire(&ga, 8, &la), 0);
    libxl__domain_lock_remove(&ga, 8);
    assert_false(exists(path_of(8, 0x80)));
    /* a newcomer creates a fresh file and gets it */
    assert_int_equal(libxl__domain_lock_acquire(&gb, 8, &lb), 0);
    assert_non_null(lb);
    /* the old holder still holds its (unlinked) file; a third contender
     * sees the newcomer's lock */
    assert_int_equal(libxl__domain_lock_acquire(&gc_, 8, &lc),
                     ERROR_LOCK_FAIL);
    libxl__domain_lock_release(&ga, la);
    assert_true(exists(path_of(8, 0x80)));
    assert_int_equal(libxl__domain_lock_acquire(&gc_, 8, &lc),
                     ERROR_LOCK_FAIL);
    libxl__domain_lock_release(&gb, lb);
    assert_int_equal(libxl__domain_lock_acquire(&gc_, 8, &lc), 0);
    assert_non_null(lc);
    libxl__domain_lock_release(&gc_, lc);
    assert_int_equal(files_in_tmpdir(), 0);
    libxl__free_all(&ga);
    libxl__free_all(&gb);
    libxl__free_all(&gc_);
    fake_ctx_free(c);
}

/* A domain that does not exist is not locked and gets no file; the
 * operation on it says it is missing. */
static void test_missing_domain(void **state)
{
    libxl__domain_lock *l = (void *)1;
    libxl__gc ga;

    LIBXL_INIT_GC(ga, a);
    assert_int_equal(libxl__domain_lock_acquire(&ga, 42, &l), 0);
    assert_null(l);
    libxl__domain_lock_release(&ga, l);
    assert_int_equal(files_in_tmpdir(), 0);
    assert_int_equal(libxl_domain_pause(a, 42, NULL),
                     ERROR_DOMAIN_NOTFOUND);
    assert_int_equal(libxl_domain_destroy(a, 42, NULL),
                     ERROR_DOMAIN_NOTFOUND);
    assert_int_equal(files_in_tmpdir(), 0);
    libxl__free_all(&ga);
}

/*
 * The holder (ctx a, in a thread) destroys the domain, or replaces it by
 * another with the same domid, then lets go while ctx b waits.
 */
struct holder {
    libxl__domain_lock *lock;
    bool replace;
};

static void *destroy_and_release(void *arg)
{
    struct holder *h = arg;
    libxl__gc ga;

    LIBXL_INIT_GC(ga, a);
    nanosleep(&(struct timespec){ .tv_nsec = 200 * 1000000L }, NULL);
    libxl__domain_lock_remove(&ga, 9);
    fake_dom_remove(9);
    if (h->replace)
        fake_dom_add(9, 0x99);
    libxl__domain_lock_release(&ga, h->lock);
    libxl__free_all(&ga);
    return NULL;
}

static void destroyed_while_waiting(bool replace)
{
    struct holder h = { .replace = replace };
    libxl__domain_lock *l;
    libxl__gc ga, gb;
    pthread_t t;

    LIBXL_INIT_GC(ga, a);
    LIBXL_INIT_GC(gb, b);
    fake_dom_add(9, 0x90);
    libxl__tun.lock_timeout_ms = 5000;
    assert_int_equal(libxl__domain_lock_acquire(&ga, 9, &h.lock), 0);
    assert_int_equal(pthread_create(&t, NULL, destroy_and_release, &h), 0);
    assert_int_equal(libxl__domain_lock_acquire(&gb, 9, &l), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    if (!replace) {
        /* gone: nothing held, the file we made for it taken away */
        assert_null(l);
        assert_int_equal(files_in_tmpdir(), 0);
    } else {
        /* the new domain of that domid is the one locked */
        assert_non_null(l);
        assert_false(exists(path_of(9, 0x90)));
        assert_true(exists(path_of(9, 0x99)));
        libxl__domain_lock_release(&gb, l);
        assert_int_equal(files_in_tmpdir(), 0);
    }
    libxl__free_all(&ga);
    libxl__free_all(&gb);
}

static void test_destroyed_while_waiting(void **state)
{
    destroyed_while_waiting(false);
}

static void test_domid_reused_while_waiting(void **state)
{
    destroyed_while_waiting(true);
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
    /* destroy takes the file away with the domain */
    assert_int_equal(libxl_domain_destroy(b, 9, NULL), 0);
    assert_null(fake_dom_find(9));
    assert_int_equal(files_in_tmpdir(), 0);
    libxl__free_all(&ga);
}

static void test_bad_dir(void **state)
{
    libxl__domain_lock *l;
    libxl__gc ga;

    LIBXL_INIT_GC(ga, a);
    fake_dom_add(5, 0x50);
    libxl__tun.userdata_dir = "/proc/no-such-dir/locks";
    assert_int_equal(libxl__domain_lock_acquire(&ga, 5, &l),
                     ERROR_LOCK_FAIL);
    assert_null(l);
    libxl__tun.userdata_dir = tmpdir;
    libxl__tun.run_dir = tmpdir;
    libxl__free_all(&ga);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_ctxs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_process, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_timeout_message, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_removed_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_domain, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_destroyed_while_waiting, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_domid_reused_while_waiting,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_public_ops_lock, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bad_dir, setup, teardown),
    };
    return cmocka_run_group_tests_name("libxl-lock", tests, NULL, NULL);
}
