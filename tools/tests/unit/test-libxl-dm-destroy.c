/*
 * test-libxl-dm-destroy: stopping the device model with a fake xenstore
 * and stand-in processes (a shell whose command line carries
 * "-xen-domid N" like QEMU's): the process is stopped and gone, its
 * nodes, QMP sockets and save file removed; a recycled pid is never
 * killed; nothing at all is fine.  And spawn failures leave nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "libxl_internal.h"
#include "libxl_dm.h"
#include "fake-sys.h"

static libxl_ctx *ctx;
static char tmpdir[] = "/tmp/test-libxl-dm.XXXXXX";

static int setup(void **state)
{
    fake_reset();
    ctx = fake_ctx(fake_log_level());
    if (!mkdtemp(tmpdir))
        return -1;
    libxl__tun.run_dir = tmpdir;
    libxl__tun.dm_save_dir = tmpdir;
    libxl__tun.dm_log_dir = tmpdir;
    libxl__tun.dm_stop_timeout_ms = 3000;
    return 0;
}

static int teardown(void **state)
{
    if (fake_teardown(&ctx, tmpdir, "/tmp/test-libxl-dm.XXXXXX"))
        return -1;
    return 0;
}

/* A process whose argv has "-xen-domid <domid>" (when domid_arg). */
static pid_t stand_in(const char *domid_arg)
{
    pid_t pid = fork();

    assert_true(pid >= 0);
    if (!pid) {
        execl("/bin/sh", "sh", "-c", "while :; do sleep 0.05; done",
              "-xen-domid", domid_arg, (char *)NULL);
        _exit(127);
    }
    usleep(100 * 1000);         /* let it exec */
    return pid;
}

static void touch(const char *path)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fclose(f);
}

static bool exists(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0;
}

static void dm_nodes(uint32_t domid, pid_t pid)
{
    char p[128], v[32];

    snprintf(p, sizeof(p), "/local/domain/%u/image/device-model-pid", domid);
    snprintf(v, sizeof(v), "%d", (int)pid);
    fake_xs_set(p, v);
    snprintf(p, sizeof(p), "/local/domain/0/device-model/%u/state", domid);
    fake_xs_set(p, "running");
    snprintf(p, sizeof(p), "/local/domain/0/device-model/%u/backends/qusb",
             domid);
    fake_xs_set(p, "");
}

static void test_destroy_running(void **state)
{
    GC_INIT(ctx);
    pid_t pid = stand_in("7");
    int st;

    dm_nodes(7, pid);
    touch(libxl__dm_qmp_path(gc, 7));
    touch(libxl__dm_xenstat_qmp_path(gc, 7));
    touch(libxl__dm_save_path(gc, 7));

    assert_int_equal(libxl__dm_destroy(gc, 7), 0);
    /* Reaped (our child here): waitpid finds nothing left. */
    assert_int_equal(waitpid(pid, &st, WNOHANG), -1);
    assert_int_equal(kill(pid, 0), -1);
    assert_null(fake_xs_get("/local/domain/7/image/device-model-pid"));
    assert_int_equal(fake_xs_count("/local/domain/0/device-model/7"), 0);
    assert_false(exists(libxl__dm_qmp_path(gc, 7)));
    assert_false(exists(libxl__dm_xenstat_qmp_path(gc, 7)));
    assert_false(exists(libxl__dm_save_path(gc, 7)));
    GC_FREE;
}

static void test_stop_keeps_save_file(void **state)
{
    GC_INIT(ctx);
    pid_t pid = stand_in("8");

    dm_nodes(8, pid);
    touch(libxl__dm_save_path(gc, 8));
    assert_int_equal(libxl__dm_stop(gc, 8), 0);
    assert_int_equal(kill(pid, 0), -1);
    assert_true(exists(libxl__dm_save_path(gc, 8)));
    GC_FREE;
}

static void test_recycled_pid_not_killed(void **state)
{
    GC_INIT(ctx);
    pid_t other = stand_in("99");       /* some other domain's, or not QEMU */
    int st;

    dm_nodes(4, other);
    assert_int_equal(libxl__dm_destroy(gc, 4), 0);
    assert_int_equal(kill(other, 0), 0);        /* still there */
    assert_null(fake_xs_get("/local/domain/4/image/device-model-pid"));
    assert_int_equal(fake_xs_count("/local/domain/0/device-model/4"), 0);
    kill(other, SIGKILL);
    waitpid(other, &st, 0);
    GC_FREE;
}

static void test_nothing_there(void **state)
{
    GC_INIT(ctx);

    assert_int_equal(libxl__dm_destroy(gc, 12), 0);
    /* A pid of a process that is gone already. */
    fake_xs_set("/local/domain/12/image/device-model-pid", "2147483000");
    assert_int_equal(libxl__dm_destroy(gc, 12), 0);
    assert_null(fake_xs_get("/local/domain/12/image/device-model-pid"));
    GC_FREE;
}

static void test_bad_pid_node(void **state)
{
    GC_INIT(ctx);

    fake_xs_set("/local/domain/5/image/device-model-pid", "12abc");
    fake_xs_set("/local/domain/0/device-model/5/state", "running");
    assert_int_equal(libxl__dm_destroy(gc, 5), ERROR_FAIL);
    /* The rest still goes. */
    assert_int_equal(fake_xs_count("/local/domain/0/device-model/5"), 0);
    GC_FREE;
}

static void hvm_config(libxl_domain_config *cfg, const char *dm)
{
    libxl_domain_config_init(cfg);
    cfg->c_info.type = LIBXL_DOMAIN_TYPE_HVM;
    cfg->c_info.name = strdup("g");
    libxl_domain_build_info_init_type(&cfg->b_info, LIBXL_DOMAIN_TYPE_HVM);
    cfg->b_info.max_memkb = 65536;
    cfg->b_info.video_memkb = 0;
    cfg->b_info.max_vcpus = 1;
    cfg->b_info.device_model = dm ? strdup(dm) : NULL;
}

/* Only what must be there is: nothing of the device model. */
static void assert_nothing_left(libxl__gc *gc, uint32_t domid)
{
    char p[128];

    snprintf(p, sizeof(p), "/local/domain/%u/image/device-model-pid", domid);
    assert_null(fake_xs_get(p));
    snprintf(p, sizeof(p), "/local/domain/0/device-model/%u", domid);
    assert_int_equal(fake_xs_count(p), 0);
    assert_false(exists(libxl__dm_qmp_path(gc, domid)));
}

static void test_spawn_failures(void **state)
{
    GC_INIT(ctx);
    libxl_domain_config cfg;
    struct timespec t0, t1;
    char *log;

    fake_dom_add(3, 0x30);
    fake_xs_set("/local/domain/3/name", "g");

    /* A PV guest without a device only QEMU serves gets none: nothing
     * to do.  With a qdisk disk it gets one, and the same checks. */
    hvm_config(&cfg, NULL);
    cfg.b_info.type = LIBXL_DOMAIN_TYPE_PV;
    assert_int_equal(libxl__dm_spawn(gc, 3, &cfg), 0);
    cfg.b_info.type = LIBXL_DOMAIN_TYPE_HVM;
    libxl_domain_config_dispose(&cfg);
    hvm_config(&cfg, "/nonexistent/qemu");
    libxl_domain_build_info_dispose(&cfg.b_info);
    libxl_domain_build_info_init(&cfg.b_info);
    libxl_domain_build_info_init_type(&cfg.b_info, LIBXL_DOMAIN_TYPE_PV);
    cfg.b_info.max_memkb = cfg.b_info.target_memkb = 64 * 1024;
    cfg.b_info.device_model = strdup("/nonexistent/qemu");
    cfg.num_disks = 1;
    cfg.disks = calloc(1, sizeof(*cfg.disks));
    libxl_device_disk_init(&cfg.disks[0]);
    cfg.disks[0].vdev = strdup("xvda");
    cfg.disks[0].backend = LIBXL_DISK_BACKEND_QDISK;
    assert_int_equal(libxl__dm_spawn(gc, 3, &cfg), ERROR_FAIL);
    assert_nothing_left(gc, 3);
    libxl_domain_config_dispose(&cfg);

    /* Not executable. */
    hvm_config(&cfg, "/nonexistent/qemu");
    assert_int_equal(libxl__dm_spawn(gc, 3, &cfg), ERROR_FAIL);
    assert_nothing_left(gc, 3);
    libxl_domain_config_dispose(&cfg);

    /* Exits at once: noticed at once, not after the start timeout. */
    libxl__tun.dm_start_timeout_ms = 20000;
    hvm_config(&cfg, "/bin/false");
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(libxl__dm_spawn(gc, 3, &cfg), ERROR_FAIL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_true(t1.tv_sec - t0.tv_sec < 5);
    assert_nothing_left(gc, 3);
    /* Its log is where upstream puts it, and hvmloader got its BIOS. */
    log = GCSPRINTF("%s/qemu-dm-g.log", tmpdir);
    assert_true(exists(log));
    assert_string_equal(fake_xs_get("/local/domain/3/hvmloader/bios"),
                        "seabios");
    libxl_domain_config_dispose(&cfg);

    /* Never reports running: the bounded wait, then it is killed. */
    libxl__tun.dm_start_timeout_ms = 500;
    hvm_config(&cfg, GCSPRINTF("%s/fakeqemu", tmpdir));
    {
        FILE *f = fopen(cfg.b_info.device_model, "w");
        assert_non_null(f);
        fputs("#!/bin/sh\nexec sleep 30\n", f);
        fclose(f);
        chmod(cfg.b_info.device_model, 0755);
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(libxl__dm_spawn(gc, 3, &cfg), ERROR_TIMEDOUT);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_true(t1.tv_sec - t0.tv_sec < 10);
    assert_nothing_left(gc, 3);
    /* A second log: the first one rotated. */
    assert_true(exists(GCSPRINTF("%s.1", log)));
    libxl_domain_config_dispose(&cfg);
    GC_FREE;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_destroy_running),
        T(test_stop_keeps_save_file),
        T(test_recycled_pid_not_killed),
        T(test_nothing_there),
        T(test_bad_pid_node),
        T(test_spawn_failures),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
