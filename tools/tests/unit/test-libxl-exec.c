/*
 * test-libxl-exec.c: child processes: output captured, exit status and
 * signals reported, exec failures named, bounded waits that kill and
 * reap, fds closed and env set in the child, detached daemons that are
 * not our children, kill of a process that ignores SIGTERM, pidfiles.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include <cmocka.h>

#include "libxl_internal.h"
#include "libxl_exec.h"
#include "fake-sys.h"

static libxl_ctx *ctx;

static int setup(void **state)
{
    fake_reset();
    ctx = fake_ctx(fake_log_level());
    return 0;
}

static int teardown(void **state)
{
    fake_ctx_free(ctx);
    fake_reset();
    return 0;
}

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool no_children_left(void)
{
    return waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD;
}

static void test_run_output_and_status(void **state)
{
    const char *ok[] = { "/bin/sh", "-c", "echo out; echo err >&2", NULL };
    const char *bad[] = { "/bin/sh", "-c", "echo why; exit 3", NULL };
    const char *sig[] = { "/bin/sh", "-c", "kill -9 $$", NULL };
    libxl__exec_spec s;
    char *out;
    GC_INIT(ctx);

    libxl__exec_spec_init(&s, ok);
    assert_int_equal(libxl__exec_run(gc, "ok", &s, 5000, &out), 0);
    assert_string_equal(out, "out\nerr\n");
    libxl__exec_spec_init(&s, bad);
    assert_int_equal(libxl__exec_run(gc, "bad", &s, 5000, &out), ERROR_FAIL);
    assert_string_equal(out, "why\n");
    libxl__exec_spec_init(&s, sig);
    assert_int_equal(libxl__exec_run(gc, "sig", &s, 5000, NULL), ERROR_FAIL);
    assert_true(no_children_left());
    GC_FREE;
}

static void test_exec_failure(void **state)
{
    const char *missing[] = { "/no/such/program", NULL };
    libxl__exec_spec s;
    pid_t pid = 0;
    GC_INIT(ctx);

    libxl__exec_spec_init(&s, missing);
    assert_int_equal(libxl__exec_spawn(gc, &s, &pid), ERROR_FAIL);
    assert_int_equal(libxl__exec_run(gc, "missing", &s, 1000, NULL),
                     ERROR_FAIL);
    assert_int_equal(libxl__exec_spawn_detached(gc, &s, &pid), ERROR_FAIL);
    assert_true(no_children_left());
    libxl__exec_spec_init(&s, NULL);
    assert_int_equal(libxl__exec_spawn(gc, &s, &pid), ERROR_INVAL);
    GC_FREE;
}

/* A child that outlives its bound is killed and reaped; a grandchild
 * holding the output pipe does not hold us. */
static void test_timeout(void **state)
{
    const char *slow[] = { "/bin/sleep", "10", NULL };
    const char *bg[] = { "/bin/sh", "-c", "sleep 5 & echo started", NULL };
    libxl__exec_spec s;
    int64_t t0;
    char *out;
    GC_INIT(ctx);

    libxl__exec_spec_init(&s, slow);
    t0 = now_ms();
    assert_int_equal(libxl__exec_run(gc, "slow", &s, 200, NULL),
                     ERROR_TIMEDOUT);
    assert_true(now_ms() - t0 < 2000);
    assert_true(no_children_left());

    libxl__exec_spec_init(&s, bg);
    t0 = now_ms();
    assert_int_equal(libxl__exec_run(gc, "bg", &s, 3000, &out), 0);
    assert_true(now_ms() - t0 < 2000);
    assert_string_equal(out, "started\n");
    GC_FREE;
}

/* Only 0-2 reach the child; env pairs are applied. */
static void test_fds_and_env(void **state)
{
    const char *cmd[] = { "/bin/sh", "-c",
                          "ls /proc/self/fd | wc -l; echo \"$FOO/$BAR/$HOME\"",
                          NULL };
    const char *env[] = { "FOO", "one", "BAR", "two", "HOME", NULL, NULL };
    libxl__exec_spec s;
    int leak = open("/dev/null", O_RDONLY);     /* not CLOEXEC */
    char *out;
    GC_INIT(ctx);

    assert_true(leak > 2);
    libxl__exec_spec_init(&s, cmd);
    s.env = env;
    assert_int_equal(libxl__exec_run(gc, "fds", &s, 5000, &out), 0);
    /* 0, 1, 2 and the one ls opens to read the directory */
    assert_string_equal(out, "4\none/two/\n");
    close(leak);
    GC_FREE;
}

/* Running (not gone, not a zombie waiting for its reaper). */
static bool alive(pid_t pid)
{
    char path[64], buf[256], *p;
    FILE *f;
    size_t n;

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    f = fopen(path, "r");
    if (!f)
        return false;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    p = strrchr(buf, ')');
    return p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

static void test_detached_and_kill(void **state)
{
    const char *daemon_[] = { "/bin/sh", "-c",
                              "trap '' TERM; : > \"$READY\"; "
                              "while :; do sleep 1; done",
                              NULL };
    char pidfile[] = "/tmp/test-libxl-exec.pid.XXXXXX";
    char ready[] = "/tmp/test-libxl-exec.ready.XXXXXX";
    const char *env[] = { "READY", ready, NULL };
    libxl__exec_spec s;
    pid_t pid, got;
    int fd;
    int64_t t0;
    GC_INIT(ctx);

    fd = mkstemp(ready);
    close(fd);
    unlink(ready);
    libxl__exec_spec_init(&s, daemon_);
    s.env = env;
    s.new_session = true;
    assert_int_equal(libxl__exec_spawn_detached(gc, &s, &pid), 0);
    /* until its trap is in place */
    for (int i = 0; i < 500 && access(ready, F_OK); i++)
        usleep(10 * 1000);
    assert_int_equal(access(ready, F_OK), 0);
    unlink(ready);
    assert_true(pid > 0);
    /* not our child: nothing to reap, but alive */
    assert_true(no_children_left());
    assert_true(alive(pid));
    assert_int_not_equal(getsid(pid), getsid(0));   /* own session */

    fd = mkstemp(pidfile);
    close(fd);
    assert_int_equal(libxl__pidfile_write(gc, pidfile, pid), 0);
    assert_int_equal(libxl__pidfile_read(gc, pidfile, &got), 0);
    assert_int_equal(got, pid);

    /* it ignores SIGTERM: SIGKILL after the bound */
    t0 = now_ms();
    assert_int_equal(libxl__exec_kill(gc, pid, "daemon", 200), 0);
    assert_true(now_ms() - t0 >= 190);
    assert_false(alive(pid));
    /* gone already: fine */
    assert_int_equal(libxl__exec_kill(gc, pid, "daemon", 200), 0);

    unlink(pidfile);
    assert_int_equal(libxl__pidfile_read(gc, pidfile, &got),
                     ERROR_NOTFOUND);
    fd = open(pidfile, O_WRONLY | O_CREAT, 0600);
    assert_int_equal(write(fd, "12x\n", 4), 4);
    close(fd);
    assert_int_equal(libxl__pidfile_read(gc, pidfile, &got), ERROR_FAIL);
    unlink(pidfile);
    GC_FREE;
}

/* Our own child stopped by kill is reaped. */
static void test_kill_child(void **state)
{
    const char *slow[] = { "/bin/sleep", "10", NULL };
    libxl__exec_spec s;
    pid_t pid;
    GC_INIT(ctx);

    libxl__exec_spec_init(&s, slow);
    assert_int_equal(libxl__exec_spawn(gc, &s, &pid), 0);
    assert_int_equal(libxl__exec_kill(gc, pid, "sleep", 1000), 0);
    assert_true(no_children_left());
    GC_FREE;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_run_output_and_status, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_exec_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fds_and_env, setup, teardown),
        cmocka_unit_test_setup_teardown(test_detached_and_kill, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_kill_child, setup, teardown),
    };
    return cmocka_run_group_tests_name("libxl-exec", tests, NULL, NULL);
}
