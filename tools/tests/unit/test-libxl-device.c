/*
 * test-libxl-device.c: devices on the fake xenstore: vdev/devid
 * translation, disk backend choice, the nodes written for disks (phy,
 * qdisk, cdrom) and NICs with their permissions, hotplug scripts (a
 * recording stand-in script directory), removal order, timeouts,
 * script failures, teardown of all of a domain's devices, listing.
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
#include "libxl_device.h"
#include "fake-sys.h"

#define DOMID 5
#define BE "/local/domain/0/backend"
#define FE "/local/domain/5/device"

static libxl_ctx *ctx;
static char tmpdir[64];
static char calls_path[128];
/* The fake backend driver: answers InitWait and Closed when on. */
static bool backend_answers;
static bool backend_closes;
/* ... and the hotplug script reports "connected" (when on). */
static bool backend_status;

static void backend_hook(const char *path, const char *value)
{
    size_t l = strlen(path);
    char *p;

    if (strncmp(path, BE "/", strlen(BE "/")) || l < 6 ||
        strcmp(path + l - 6, "/state"))
        return;
    p = strndup(path, l - 6);
    if (backend_answers && !strcmp(value, "1")) {
        char *hs;
        fake_xs_set(path, "2");
        if (asprintf(&hs, "%s/hotplug-status", p) < 0)
            abort();
        if (backend_status)
            fake_xs_set(hs, "connected");
        free(hs);
        fake_fire(path, false);
    } else if (backend_closes && !strcmp(value, "5")) {
        fake_xs_set(path, "6");
        fake_fire(path, false);
    }
    free(p);
}

static void write_script(const char *name, const char *body)
{
    char *p;
    FILE *f;

    if (asprintf(&p, "%s/%s", tmpdir, name) < 0)
        abort();
    f = fopen(p, "w");
    assert_non_null(f);
    fprintf(f, "#!/bin/sh\n%s\n", body);
    fclose(f);
    chmod(p, 0755);
    free(p);
}

static int setup(void **state)
{
    fake_reset();
    fake_dom_add(0, 0x00);
    fake_dom_add(DOMID, 0x10);
    fake_xs_set("/local/domain/5/name", "guest");
    ctx = fake_ctx(fake_log_level());
    fake.on_write = backend_hook;
    backend_answers = backend_closes = backend_status = true;

    strcpy(tmpdir, "/tmp/test-libxl-device.XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    snprintf(calls_path, sizeof(calls_path), "%s/calls", tmpdir);
    /* Each run appends one line: its name, arguments and environment. */
    const char *rec =
        "echo \"$(basename $0) $* |$XENBUS_TYPE|$XENBUS_PATH|"
        "$XENBUS_BASE_PATH|$script|${vif-}|${netdev-}\" >> \"$(dirname $0)"
        "/calls\"";
    write_script("block", rec);
    write_script("vif-bridge", rec);
    write_script("fail", "echo 'no such bridge' >&2; exit 3");
    libxl__tun.xen_script_dir = tmpdir;
    libxl__tun.device_init_timeout_ms = 300;
    libxl__tun.device_destroy_timeout_ms = 300;
    libxl__tun.device_hotplug_timeout_ms = 5000;
    return 0;
}

static int teardown(void **state)
{
    char *cmd;

    fake_ctx_free(ctx);
    ctx = NULL;
    fake_reset();
    if (asprintf(&cmd, "rm -rf %s", tmpdir) < 0)
        abort();
    if (system(cmd))
        abort();
    free(cmd);
    return 0;
}

static void clear_log(void)
{
    for (int i = 0; i < fake.n_log; i++)
        free(fake.log[i]);
    fake.n_log = 0;
}

/* The script runs recorded, one line each ("" if none). */
static char *calls(void)
{
    static char buf[4096];
    FILE *f = fopen(calls_path, "r");
    size_t n = 0;

    buf[0] = '\0';
    if (f) {
        n = fread(buf, 1, sizeof(buf) - 1, f);
        fclose(f);
    }
    buf[n] = '\0';
    return buf;
}

static char *tmpfile_of(const char *name, size_t size)
{
    char *p;
    FILE *f;

    if (asprintf(&p, "%s/%s", tmpdir, name) < 0)
        abort();
    f = fopen(p, "w");
    assert_non_null(f);
    if (size && ftruncate(fileno(f), (off_t)size))
        abort();
    fclose(f);
    return p;
}

static void assert_node(const char *path, const char *value)
{
    const char *v = fake_xs_get(path);

    if (!v)
        fail_msg("%s absent (expected %s)", path, value);
    if (strcmp(v, value))
        fail_msg("%s = %s (expected %s)", path, v, value);
}

static unsigned int owner_of(const char *path)
{
    struct fake_node *n = fake_node_find(path);

    assert_non_null(n);
    return n->owner;
}

/*
 * Names and numbers.
 */
static void test_vdev_numbers(void **state)
{
    static const struct { const char *vdev; int devid, disk, part; } ok[] = {
        { "xvda", 51712, 0, 0 },       { "xvdb", 51728, 1, 0 },
        { "xvda1", 51713, 0, 1 },      { "xvdp15", 51967, 15, 15 },
        { "xvda16", (1 << 28) | 16, 0, 16 },
        { "xvdq", (1 << 28) | (16 << 8), 16, 0 },
        { "xvdaa", (1 << 28) | (26 << 8), 26, 0 },
        { "d0p0", 51712, 0, 0 },       { "d1p2", 51730, 1, 2 },
        { "d3", 51760, 3, 0 },
        { "d16p0", (1 << 28) | (16 << 8), 16, 0 },
        { "hda", 768, 0, 0 },          { "hdb", 832, 1, 0 },
        { "hdc", 5632, 2, 0 },         { "hdd1", 5697, 3, 1 },
        { "hda63", 831, 0, 63 },
        { "sda", 2048, 0, 0 },         { "sdb1", 2065, 1, 1 },
        { "sdp15", 2303, 15, 15 },
    };
    static const char *const bad[] = {
        "", "xvd", "xvda0", "xvda01", "xvdA", "foo", "hde", "hda64",
        "sdq", "sda16", "xvda256", "d0p256", "d", "dp1", "d1p", "xvda1x",
        "d0p1x", "-1",
    };
    int d, p;

    for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
        d = p = -7;
        int id = libxl__device_disk_dev_number(ok[i].vdev, &d, &p);
        if (id != ok[i].devid || d != ok[i].disk || p != ok[i].part)
            fail_msg("%s -> %d (disk %d part %d), expected %d (%d %d)",
                     ok[i].vdev, id, d, p, ok[i].devid, ok[i].disk,
                     ok[i].part);
    }
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
        if (libxl__device_disk_dev_number(bad[i], NULL, NULL) != -1)
            fail_msg("%s accepted", bad[i]);
    /* A plain number is a devid (but gives no disk/partition). */
    assert_int_equal(libxl__device_disk_dev_number("51712", NULL, NULL),
                     51712);
    assert_int_equal(libxl__device_disk_dev_number("0xca00", NULL, NULL),
                     51712);
    assert_int_equal(libxl__device_disk_dev_number("51712", &d, &p), -1);
}

static void test_devid_to_vdev(void **state)
{
    GC_INIT(ctx);
    static const char *const names[] = {
        "xvda", "xvdb", "xvdp", "xvda1", "xvdz", "xvdaa", "xvdzz", "xvdaaa",
        "xvdq7", "xvda200",
    };

    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        int id = libxl__device_disk_dev_number(names[i], NULL, NULL);
        assert_true(id > 0);
        assert_string_equal(libxl__devid_to_vdev(gc, id), names[i]);
    }
    assert_null(libxl__devid_to_vdev(gc, 768));         /* hda */
    assert_null(libxl__devid_to_vdev(gc, -1));
    GC_FREE;
}

/*
 * Disks.
 */
static void test_disk_setdefault(void **state)
{
    GC_INIT(ctx);
    libxl_device_disk d;
    char *raw = tmpfile_of("raw.img", 1 << 20);

    /* A raw file: blkback through the block script's loop device. */
    libxl_device_disk_init(&d);
    d.pdev_path = strdup(raw);
    d.vdev = strdup("xvda");
    d.readwrite = 1;
    assert_int_equal(libxl__device_disk_setdefault(gc, DOMID, &d), 0);
    assert_int_equal(d.backend, LIBXL_DISK_BACKEND_PHY);
    assert_int_equal(d.format, LIBXL_DISK_FORMAT_RAW);
    assert_string_equal(d.script, "block");
    assert_true(libxl_defbool_val(d.discard_enable));
    assert_true(libxl_defbool_val(d.trusted));
    libxl_device_disk_dispose(&d);

    /* qcow2: only QEMU reads it. */
    libxl_device_disk_init(&d);
    d.pdev_path = strdup(raw);
    d.vdev = strdup("xvdb");
    d.format = LIBXL_DISK_FORMAT_QCOW2;
    assert_int_equal(libxl__device_disk_setdefault(gc, DOMID, &d), 0);
    assert_int_equal(d.backend, LIBXL_DISK_BACKEND_QDISK);
    assert_null(d.script);
    assert_false(libxl_defbool_val(d.discard_enable));   /* read-only */
    /* ... and phy cannot be forced on it. */
    d.backend = LIBXL_DISK_BACKEND_PHY;
    assert_int_equal(libxl__device_disk_setdefault(gc, DOMID, &d),
                     ERROR_INVAL);
    libxl_device_disk_dispose(&d);

    /* An empty cdrom: QEMU. */
    libxl_device_disk_init(&d);
    d.vdev = strdup("hdc");
    d.is_cdrom = 1;
    assert_int_equal(libxl__device_disk_setdefault(gc, DOMID, &d), 0);
    assert_int_equal(d.backend, LIBXL_DISK_BACKEND_QDISK);
    assert_int_equal(d.format, LIBXL_DISK_FORMAT_EMPTY);
    libxl_device_disk_dispose(&d);

    /* Errors: empty non-cdrom, missing file, bad vdev, char device. */
    libxl_device_disk_init(&d);
    d.vdev = strdup("xvda");
    assert_int_equal(libxl__device_disk_setdefault(gc, DOMID, &d),
                     ERROR_INVAL);
    d.pdev_path = strdup("/nonexistent/disk.img");
    assert_int_equal(libxl__device_disk_setdefault(gc, DOMID, &d),
                     ERROR_INVAL);
    free(d.pdev_path);
    d.pdev_path = strdup(raw);
    free(d.vdev);
    d.vdev = strdup("xvd");
    assert_int_equal(libxl__device_disk_setdefault(gc, DOMID, &d),
                     ERROR_INVAL);
    free(d.vdev);
    d.vdev = strdup("xvda");
    free(d.pdev_path);
    d.pdev_path = strdup("/dev/null");
    d.backend = LIBXL_DISK_BACKEND_PHY;
    assert_int_equal(libxl__device_disk_setdefault(gc, DOMID, &d),
                     ERROR_INVAL);
    libxl_device_disk_dispose(&d);
    free(raw);
    GC_FREE;
}

#define be BE "/vbd/5/51712"
#define fe FE "/vbd/51712"
#define lp "/libxl/5/device/vbd/51712"
static void test_disk_phy_nodes(void **state)
{
    libxl_device_disk d;
    char *raw = tmpfile_of("raw.img", 1 << 20);
    char *line;

    libxl_device_disk_init(&d);
    d.pdev_path = strdup(raw);
    d.vdev = strdup("xvda");
    d.readwrite = 1;
    assert_int_equal(libxl_device_disk_add(ctx, DOMID, &d, NULL), 0);

    assert_node(fe "/backend", be);
    assert_node(fe "/backend-id", "0");
    assert_node(fe "/state", "1");
    assert_node(fe "/virtual-device", "51712");
    assert_node(fe "/device-type", "disk");
    assert_node(fe "/trusted", "1");
    assert_node(be "/frontend", fe);
    assert_node(be "/frontend-id", "5");
    assert_node(be "/online", "1");
    assert_node(be "/removable", "0");
    assert_node(be "/bootable", "1");
    assert_node(be "/state", "2");        /* the fake backend answered */
    assert_node(be "/dev", "xvda");
    assert_node(be "/type", "phy");
    assert_node(be "/mode", "w");
    assert_node(be "/device-type", "disk");
    assert_node(be "/params", raw);
    assert_node(be "/discard-enable", "1");
    assert_node(be "/specification", "xen");
    assert_node(fe "/protocol", "x86_64-abi");   /* a PV guest */
    line = NULL;
    if (asprintf(&line, "%s/block", tmpdir) < 0)
        abort();
    assert_node(be "/script", line);
    assert_null(fake_xs_get(be "/direct-io-safe"));
    /* libxl's copy: the backend entries plus both ends. */
    assert_node(lp "/frontend", fe);
    assert_node(lp "/backend", be);
    assert_node(lp "/params", raw);
    assert_node(lp "/type", "phy");
    /* The guest owns its frontend, dom0 the backend, nobody else
     * libxl's copy. */
    assert_int_equal(owner_of(fe), DOMID);
    assert_int_equal(owner_of(fe "/state"), DOMID);
    assert_int_equal(owner_of(be), 0);
    assert_int_equal(owner_of(lp), 0);
    /* Permissions are set on the directories only: a key dom0 writes
     * takes its directory's (one xenstore request per key, not three). */
    assert_true(fake_log_index("xs_set_permissions " fe " 5") >= 0);
    assert_int_equal(fake_log_prefix("xs_set_permissions " fe "/"), -1);
    assert_int_equal(fake_log_prefix("xs_set_permissions " be "/"), -1);

    /* The block script ran once with upstream's arguments and env. */
    char *expect;
    if (asprintf(&expect, "block add |vbd|backend/vbd/5/51712|backend|%s||\n",
                 line) < 0)
        abort();
    assert_string_equal(calls(), expect);
    free(expect);
    free(line);

    /* The same vdev again is refused, nothing changed. */
    int n = fake_xs_count(BE);
    assert_int_equal(libxl_device_disk_add(ctx, DOMID, &d, NULL),
                     ERROR_DEVICE_EXISTS);
    assert_int_equal(fake_xs_count(BE), n);
    libxl_device_disk_dispose(&d);
    free(raw);
}

/* A forced removal of a stopped guest's device whose frontend is gone
 * (a soft reset released the domain in xenstored, which took the
 * guest's nodes; the backend never hears of it) does not wait for the
 * backend: it goes with its nodes at once; with the guest running it
 * is waited for (up to the timeout). */
static void test_forced_remove_frontend_gone(void **state)
{
    GC_INIT(ctx);
    libxl_device_disk d;
    libxl__device dev = { .backend_domid = 0, .domid = DOMID,
                          .devid = 51712, .kind = "vbd",
                          .backend_kind = "vbd" };
    char *raw = tmpfile_of("gone.img", 1 << 20);
    double t0;

    libxl_device_disk_init(&d);
    d.pdev_path = strdup(raw);
    d.vdev = strdup("xvda");
    backend_closes = false;
    libxl__tun.device_destroy_timeout_ms = 500;
    /* running: waited for */
    assert_int_equal(libxl_device_disk_add(ctx, DOMID, &d, NULL), 0);
    fake_node_rm(fe);
    t0 = fake_now();
    assert_int_equal(libxl__device_remove(gc, &dev, true), 0);
    assert_true(fake_now() - t0 >= 0.5);
    assert_null(fake_xs_get(be));
    /* shut down and paused, as in a soft reset: not waited for */
    assert_int_equal(libxl_device_disk_add(ctx, DOMID, &d, NULL), 0);
    fake_node_rm(fe);
    fake_dom_find(DOMID)->flags |= XEN_DOMINF_paused | XEN_DOMINF_shutdown;
    t0 = fake_now();
    assert_int_equal(libxl__device_remove(gc, &dev, true), 0);
    assert_true(fake_now() - t0 < 0.4);
    assert_null(fake_xs_get(be));
    assert_null(fake_xs_get(fe "/state"));
    libxl__tun.device_destroy_timeout_ms = 10000;
    libxl_device_disk_dispose(&d);
    free(raw);
    GC_FREE;
}
#undef be
#undef fe
#undef lp

#define be BE "/qdisk/5/51728"
#define fe FE "/vbd/51728"
static void test_disk_qdisk_and_cdrom(void **state)
{
    libxl_device_disk d, c;
    char *img = tmpfile_of("disk.qcow2", 4096);
    char *params;

    libxl_device_disk_init(&d);
    d.pdev_path = strdup(img);
    d.vdev = strdup("xvdb");
    d.format = LIBXL_DISK_FORMAT_QCOW2;
    d.readwrite = 1;
    backend_answers = false;        /* QEMU is not running: no waiting */
    assert_int_equal(libxl_device_disk_add(ctx, DOMID, &d, NULL), 0);
    if (asprintf(&params, "qcow2:%s", img) < 0)
        abort();
    assert_node(be "/params", params);
    assert_node(be "/type", "qdisk");
    assert_node(be "/state", "1");
    assert_node(fe "/backend", be);
    assert_null(fake_xs_get(be "/script"));
    assert_null(fake_xs_get(BE "/vbd/5/51728"));
    assert_string_equal(calls(), "");

    libxl_device_disk_init(&c);
    c.vdev = strdup("hdc");
    c.is_cdrom = 1;
    c.removable = 1;
    assert_int_equal(libxl_device_disk_add(ctx, DOMID, &c, NULL), 0);
    assert_node(BE "/qdisk/5/5632/params", "aio:");
    assert_node(BE "/qdisk/5/5632/device-type", "cdrom");
    assert_node(BE "/qdisk/5/5632/mode", "r");
    assert_node(BE "/qdisk/5/5632/removable", "1");
    assert_node(BE "/qdisk/5/5632/discard-enable", "0");
    assert_node(FE "/vbd/5632/device-type", "cdrom");
    assert_node(FE "/vbd/5632/virtual-device", "5632");

    /* Listed back from libxl's records, in devid order. */
    int n = 0;
    libxl_device_disk *l = libxl_device_disk_list(ctx, DOMID, &n);
    assert_int_equal(n, 2);
    assert_string_equal(l[0].vdev, "hdc");
    assert_null(l[0].pdev_path);
    assert_int_equal(l[0].format, LIBXL_DISK_FORMAT_EMPTY);
    assert_int_equal(l[0].is_cdrom, 1);
    assert_string_equal(l[1].vdev, "xvdb");
    assert_string_equal(l[1].pdev_path, img);
    assert_int_equal(l[1].backend, LIBXL_DISK_BACKEND_QDISK);
    assert_int_equal(l[1].format, LIBXL_DISK_FORMAT_QCOW2);
    assert_int_equal(l[1].readwrite, 1);
    libxl_device_disk_list_free(l, n);

    /* Removing a QEMU disk whose QEMU is gone: no wait, no script. */
    assert_int_equal(libxl_device_disk_remove(ctx, DOMID, &d, NULL), 0);
    assert_int_equal(fake_xs_count(be), 0);
    assert_int_equal(fake_xs_count(fe), 0);
    assert_int_equal(fake_xs_count("/libxl/5/device/vbd/51728"), 0);
    assert_non_null(fake_xs_get(FE "/vbd/5632/state"));
    libxl_device_disk_dispose(&d);
    libxl_device_disk_dispose(&c);
    free(params);
    free(img);
}
#undef be
#undef fe

#define be BE "/vbd/5/51712"
static void test_disk_remove_order(void **state)
{
    libxl_device_disk d;
    char *raw = tmpfile_of("raw.img", 1 << 20);
    int i_online, i_closing, i_rm;

    libxl_device_disk_init(&d);
    d.pdev_path = strdup(raw);
    d.vdev = strdup("xvda");
    assert_int_equal(libxl_device_disk_add(ctx, DOMID, &d, NULL), 0);
    fake_xs_set(be "/state", "4");          /* connected */
    fake_xs_set(FE "/vbd/51712/state", "4");
    clear_log();
    assert_int_equal(libxl_device_disk_remove(ctx, DOMID, &d, NULL), 0);

    i_online = fake_log_index("xs_write " BE "/vbd/5/51712/online = 0");
    i_closing = fake_log_index("xs_write " BE "/vbd/5/51712/state = 5");
    i_rm = fake_log_prefix("xs_rm " FE "/vbd/51712");
    assert_true(i_online >= 0);
    assert_true(i_closing > i_online);
    assert_true(i_rm > i_closing);
    /* Not forced: the guest's frontend state is its own business. */
    assert_int_equal(fake_log_index("xs_write " FE "/vbd/51712/state = 6"),
                     -1);
    assert_non_null(strstr(calls(), "block remove |vbd|backend/vbd/5/51712"));
    /* Every node gone, empty parents too (dom0's backend/ included,
     * as upstream's libxl__xs_path_cleanup); the domain's own stay. */
    assert_int_equal(fake_xs_count(BE "/vbd"), 0);
    assert_int_equal(fake_xs_count(FE), 0);
    assert_int_equal(fake_xs_count("/libxl/5/device"), 0);
    assert_node("/local/domain/5/name", "guest");
    assert_null(fake_xs_get(BE));
    assert_non_null(fake_xs_get("/local/domain/0"));
    libxl_device_disk_dispose(&d);
    free(raw);
}
#undef be

static void test_timeouts(void **state)
{
    libxl_device_disk d;
    char *raw = tmpfile_of("raw.img", 1 << 20);

    /* No backend driver: InitWait never comes, ERROR_TIMEDOUT, and
     * nothing is left behind. */
    backend_answers = false;
    libxl_device_disk_init(&d);
    d.pdev_path = strdup(raw);
    d.vdev = strdup("xvda");
    assert_int_equal(libxl_device_disk_add(ctx, DOMID, &d, NULL),
                     ERROR_TIMEDOUT);
    assert_int_equal(fake_xs_count(BE "/vbd"), 0);
    assert_int_equal(fake_xs_count(FE), 0);
    assert_int_equal(fake_xs_count("/libxl/5/device"), 0);
    assert_string_equal(calls(), "");

    /* A backend that never closes: remove times out and keeps the
     * device; destroy goes on and removes it. */
    backend_answers = true;
    backend_closes = false;
    assert_int_equal(libxl_device_disk_add(ctx, DOMID, &d, NULL), 0);
    fake_xs_set(BE "/vbd/5/51712/state", "4");
    assert_int_equal(libxl_device_disk_remove(ctx, DOMID, &d, NULL),
                     ERROR_TIMEDOUT);
    assert_node(BE "/vbd/5/51712/state", "5");
    assert_non_null(fake_xs_get("/libxl/5/device/vbd/51712/backend"));
    clear_log();
    assert_int_equal(libxl_device_disk_destroy(ctx, DOMID, &d, NULL), 0);
    /* forced: the frontend is closed on the paused guest's behalf */
    assert_true(fake_log_index("xs_write " FE "/vbd/51712/state = 6") >= 0);
    assert_int_equal(fake_xs_count(BE "/vbd"), 0);
    assert_int_equal(fake_xs_count("/libxl/5/device"), 0);
    libxl_device_disk_dispose(&d);
    free(raw);
}

static void test_script_failure(void **state)
{
    libxl_device_disk d;
    char *raw = tmpfile_of("raw.img", 1 << 20);

    libxl_device_disk_init(&d);
    d.pdev_path = strdup(raw);
    d.vdev = strdup("xvda");
    d.script = strdup("fail");
    assert_int_equal(libxl_device_disk_add(ctx, DOMID, &d, NULL),
                     ERROR_FAIL);
    assert_int_equal(fake_xs_count(BE "/vbd"), 0);
    assert_int_equal(fake_xs_count(FE), 0);
    libxl_device_disk_dispose(&d);

    /* A script that exits 0 without reporting "connected" fails too. */
    libxl_device_disk_init(&d);
    d.pdev_path = strdup(raw);
    d.vdev = strdup("xvda");
    write_script("silent", "exit 0");
    d.script = strdup("silent");
    /* a backend that reaches InitWait but gets no hotplug-status */
    backend_status = false;
    assert_int_equal(libxl_device_disk_add(ctx, DOMID, &d, NULL),
                     ERROR_FAIL);
    libxl_device_disk_dispose(&d);
    free(raw);
}

/*
 * NICs.
 */
#define be BE "/vif/5/0"
#define fe FE "/vif/0"
static void test_nic_pv(void **state)
{
    libxl_device_nic n1, n2;
    char *mac, *script;

    libxl_device_nic_init(&n1);
    n1.ip = strdup("10.99.0.2");
    assert_int_equal(libxl_device_nic_add(ctx, DOMID, &n1, NULL), 0);
    assert_int_equal(n1.devid, 0);
    assert_int_equal(n1.mac[0], 0x00);
    assert_int_equal(n1.mac[1], 0x16);
    assert_int_equal(n1.mac[2], 0x3e);
    assert_int_equal(n1.mac[3] & 0x80, 0);
    assert_int_equal(n1.nictype, LIBXL_NIC_TYPE_VIF);
    if (asprintf(&mac, LIBXL_MAC_FMT, n1.mac[0], n1.mac[1], n1.mac[2],
                 n1.mac[3], n1.mac[4], n1.mac[5]) < 0 ||
        asprintf(&script, "%s/vif-bridge", tmpdir) < 0)
        abort();

    assert_node(fe "/backend", be);
    assert_node(fe "/backend-id", "0");
    assert_node(fe "/state", "1");
    assert_node(fe "/handle", "0");
    assert_node(fe "/mac", mac);
    assert_node(fe "/trusted", "1");
    assert_node(be "/frontend", fe);
    assert_node(be "/frontend-id", "5");
    assert_node(be "/online", "1");
    assert_node(be "/script", script);
    assert_node(be "/mac", mac);
    assert_node(be "/ip", "10.99.0.2");
    assert_node(be "/bridge", "xenbr0");
    assert_node(be "/handle", "0");
    assert_node(be "/type", "vif");
    assert_null(fake_xs_get(be "/mtu"));
    assert_null(fake_xs_get(be "/model"));
    assert_node("/libxl/5/device/vif/0/hotplug-status", "");
    assert_null(fake_xs_get(be "/vifname"));
    assert_node(fe "/mtu", "1500");
    assert_int_equal(owner_of(fe "/mtu"), 0);    /* read-only to it */
    assert_int_equal(owner_of(fe "/mac"), DOMID);
    /* mtu is the one key with permissions of its own */
    assert_true(fake_log_index("xs_set_permissions " fe "/mtu 0") >= 0);
    assert_int_equal(fake_log_prefix("xs_set_permissions " fe "/m"),
                     fake_log_index("xs_set_permissions " fe "/mtu 0"));
    assert_int_equal(owner_of(fe), DOMID);
    assert_int_equal(owner_of(be), 0);

    /* A second NIC takes the next devid, its own MAC and vifname. */
    libxl_device_nic_init(&n2);
    n2.ifname = strdup("guestnet");
    n2.bridge = strdup("br1");
    assert_int_equal(libxl_device_nic_add(ctx, DOMID, &n2, NULL), 0);
    assert_int_equal(n2.devid, 1);
    assert_memory_not_equal(n1.mac, n2.mac, 6);
    assert_node(BE "/vif/5/1/vifname", "guestnet");
    assert_node(BE "/vif/5/1/bridge", "br1");

    char *expect;
    if (asprintf(&expect,
                 "vif-bridge online type_if=vif |vif|backend/vif/5/0|"
                 "backend|%s|vif5.0|\n"
                 "vif-bridge online type_if=vif |vif|backend/vif/5/1|"
                 "backend|%s|guestnet|\n", script, script) < 0)
        abort();
    assert_string_equal(calls(), expect);
    free(expect);

    int num = 0;
    libxl_device_nic *l = libxl_device_nic_list(ctx, DOMID, &num);
    assert_int_equal(num, 2);
    assert_memory_equal(l[0].mac, n1.mac, 6);
    assert_string_equal(l[0].ip, "10.99.0.2");
    assert_string_equal(l[1].ifname, "guestnet");
    assert_int_equal(l[1].nictype, LIBXL_NIC_TYPE_VIF);
    assert_int_equal(l[1].mtu, 1500);
    libxl_device_nic_list_free(l, num);

    assert_int_equal(libxl_device_nic_remove(ctx, DOMID, &n1, NULL), 0);
    assert_non_null(strstr(calls(), "vif-bridge offline type_if=vif "
                                    "|vif|backend/vif/5/0|"));
    assert_int_equal(fake_xs_count(be), 0);
    assert_non_null(fake_xs_get(BE "/vif/5/1/state"));
    n1.devid = 7;
    assert_int_equal(libxl_device_nic_remove(ctx, DOMID, &n1, NULL),
                     ERROR_NOTFOUND);
    libxl_device_nic_dispose(&n1);
    libxl_device_nic_dispose(&n2);
    free(mac);
    free(script);
}
#undef be
#undef fe

static void test_nic_types(void **state)
{
    GC_INIT(ctx);
    libxl_device_nic n;

    /* HVM at creation: emulated + PV (ioemu); hotplugged: PV only. */
    libxl_device_nic_init(&n);
    assert_int_equal(libxl__device_nic_setdefault(gc, DOMID, &n,
                         LIBXL_DOMAIN_TYPE_HVM, false), 0);
    assert_int_equal(n.nictype, LIBXL_NIC_TYPE_VIF_IOEMU);
    assert_string_equal(n.model, "rtl8139");
    libxl_device_nic_dispose(&n);
    libxl_device_nic_init(&n);
    assert_int_equal(libxl__device_nic_setdefault(gc, DOMID, &n,
                         LIBXL_DOMAIN_TYPE_HVM, true), 0);
    assert_int_equal(n.nictype, LIBXL_NIC_TYPE_VIF);
    libxl_device_nic_dispose(&n);

    /* PV/PVH cannot have an emulated one. */
    libxl_device_nic_init(&n);
    n.nictype = LIBXL_NIC_TYPE_VIF_IOEMU;
    assert_int_equal(libxl__device_nic_setdefault(gc, DOMID, &n,
                         LIBXL_DOMAIN_TYPE_PVH, false), ERROR_INVAL);
    libxl_device_nic_dispose(&n);

    /* A given MAC, model and script are kept. */
    libxl_device_nic_init(&n);
    assert_int_equal(libxl__parse_mac("00:16:3e:01:02:03", n.mac), 0);
    n.model = strdup("e1000");
    n.script = strdup("/etc/xen/scripts/vif-route");
    assert_int_equal(libxl__device_nic_setdefault(gc, DOMID, &n,
                         LIBXL_DOMAIN_TYPE_HVM, false), 0);
    assert_int_equal(n.mac[5], 3);
    assert_string_equal(n.model, "e1000");
    assert_string_equal(n.script, "/etc/xen/scripts/vif-route");
    libxl_device_nic_dispose(&n);

    assert_string_equal(libxl__device_nic_devname(gc, 5, 0, NULL,
                            LIBXL_NIC_TYPE_VIF_IOEMU), "vif5.0-emu");
    assert_string_equal(libxl__device_nic_devname(gc, 5, 2, "x",
                            LIBXL_NIC_TYPE_VIF), "x");
    GC_FREE;
}

static void test_nic_script_failure(void **state)
{
    libxl_device_nic n;

    libxl_device_nic_init(&n);
    n.script = strdup("fail");
    assert_int_equal(libxl_device_nic_add(ctx, DOMID, &n, NULL), ERROR_FAIL);
    assert_int_equal(fake_xs_count(BE "/vif"), 0);
    assert_int_equal(fake_xs_count(FE), 0);
    assert_int_equal(fake_xs_count("/libxl/5/device"), 0);
    libxl_device_nic_dispose(&n);
}

/*
 * Everything of a domain.
 */
static libxl_domain_config *make_config(char *raw)
{
    libxl_domain_config *c = calloc(1, sizeof(*c));

    libxl_domain_config_init(c);
    c->c_info.type = LIBXL_DOMAIN_TYPE_PV;
    c->num_disks = 2;
    c->disks = calloc(2, sizeof(*c->disks));
    for (int i = 0; i < 2; i++) {
        libxl_device_disk_init(&c->disks[i]);
        c->disks[i].pdev_path = strdup(raw);
        c->disks[i].vdev = strdup(i ? "xvdb" : "xvda");
    }
    c->num_nics = 2;
    c->nics = calloc(2, sizeof(*c->nics));
    for (int i = 0; i < 2; i++)
        libxl_device_nic_init(&c->nics[i]);
    return c;
}

static void free_config(libxl_domain_config *c)
{
    libxl_domain_config_dispose(c);
    free(c);
}

static void test_devices_add_destroy(void **state)
{
    GC_INIT(ctx);
    char *raw = tmpfile_of("raw.img", 1 << 20);
    libxl_domain_config *c = make_config(raw);

    assert_int_equal(libxl__devices_add(gc, DOMID, c), 0);
    assert_int_equal(c->nics[0].devid, 0);
    assert_int_equal(c->nics[1].devid, 1);
    assert_false(libxl__mac_is_default(&c->nics[1].mac));
    assert_int_equal(c->disks[1].backend, LIBXL_DISK_BACKEND_PHY);
    assert_non_null(fake_xs_get(BE "/vbd/5/51728/state"));
    assert_non_null(fake_xs_get(BE "/vif/5/1/state"));
    /* a console record: nodes only */
    fake_xs_set("/libxl/5/device/console/0/backend",
                BE "/console/5/0");
    fake_xs_set(BE "/console/5/0/state", "1");

    /* The guest is paused and will not answer: forced teardown. */
    assert_int_equal(libxl__devices_destroy(gc, DOMID), 0);
    assert_int_equal(fake_xs_count(BE "/vbd"), 0);
    assert_int_equal(fake_xs_count(BE "/vif"), 0);
    assert_int_equal(fake_xs_count(BE "/console"), 0);
    assert_int_equal(fake_xs_count(FE), 0);
    assert_int_equal(fake_xs_count("/libxl/5/device"), 0);
    assert_node("/local/domain/5/name", "guest");
    const char *s = calls();
    assert_non_null(strstr(s, "block remove |vbd|backend/vbd/5/51712"));
    assert_non_null(strstr(s, "block remove |vbd|backend/vbd/5/51728"));
    assert_non_null(strstr(s, "vif-bridge offline type_if=vif |vif|"
                              "backend/vif/5/1"));
    /* Nothing left: a second run is a no-op. */
    assert_int_equal(libxl__devices_destroy(gc, DOMID), 0);
    free_config(c);
    free(raw);
    GC_FREE;
}

static void test_devices_add_failure_undoes(void **state)
{
    GC_INIT(ctx);
    char *raw = tmpfile_of("raw.img", 1 << 20);
    libxl_domain_config *c = make_config(raw);

    c->nics[1].script = strdup("fail");
    assert_int_equal(libxl__devices_add(gc, DOMID, c), ERROR_FAIL);
    assert_int_equal(fake_xs_count(BE "/vbd"), 0);
    assert_int_equal(fake_xs_count(BE "/vif"), 0);
    assert_int_equal(fake_xs_count(FE), 0);
    assert_int_equal(fake_xs_count("/libxl/5/device"), 0);
    free_config(c);
    free(raw);
    GC_FREE;
}

static void test_destroy_gone_domain(void **state)
{
    GC_INIT(ctx);

    /* Leftovers of a domain Xen no longer has: a backend with no record
     * and a frontend with no backend state. */
    fake_dom_remove(DOMID);
    fake_xs_set(BE "/vif/5/0/state", "4");
    fake_xs_set(BE "/vif/5/0/script", "vif-bridge");
    fake_xs_set(FE "/vbd/51712/backend", BE "/vbd/5/51712");
    assert_int_equal(libxl__devices_destroy(gc, DOMID), 0);
    assert_int_equal(fake_xs_count(BE "/vif"), 0);
    assert_int_equal(fake_xs_count(FE), 0);
    assert_non_null(strstr(calls(), "vif-bridge offline"));
    /* With nothing at all: success. */
    assert_int_equal(libxl__devices_destroy(gc, 9), 0);
    GC_FREE;
}

/* Every backend of every kind in the table is looked at by the
 * teardown: devices with neither a record nor a frontend go too. */
static void test_destroy_every_kind_by_backend(void **state)
{
    GC_INIT(ctx);
    int n = 0;
    char p[128];

    for (const libxl__device_kind *k = libxl__device_kinds; k->name; k++) {
        assert_non_null(k->frontend);
        assert_non_null(k->add_all);
        for (const char *const *b = k->backends; *b; b++) {
            snprintf(p, sizeof(p), BE "/%s/5/%d/state", *b, 7 + n++);
            fake_xs_set(p, "4");
        }
    }
    /* disks, NICs and vkbs, in create's order */
    assert_string_equal(libxl__device_kinds[0].name, "disk");
    assert_string_equal(libxl__device_kinds[1].name, "nic");
    assert_string_equal(libxl__device_kinds[2].name, "vkb");
    assert_true(n >= 5);
    fake_dom_remove(DOMID);
    assert_int_equal(libxl__devices_destroy(gc, DOMID), 0);
    for (const libxl__device_kind *k = libxl__device_kinds; k->name; k++)
        for (const char *const *b = k->backends; *b; b++) {
            snprintf(p, sizeof(p), BE "/%s/5", *b);
            if (fake_xs_count(p))
                fail_msg("%s backend of %s left", *b, k->name);
        }
    GC_FREE;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_vdev_numbers),
        T(test_devid_to_vdev),
        T(test_disk_setdefault),
        T(test_disk_phy_nodes),
        T(test_forced_remove_frontend_gone),
        T(test_disk_qdisk_and_cdrom),
        T(test_disk_remove_order),
        T(test_timeouts),
        T(test_script_failure),
        T(test_nic_pv),
        T(test_nic_types),
        T(test_nic_script_failure),
        T(test_devices_add_destroy),
        T(test_devices_add_failure_undoes),
        T(test_destroy_gone_domain),
        T(test_destroy_every_kind_by_backend),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
