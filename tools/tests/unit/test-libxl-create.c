/*
 * test-libxl-create.c: domain creation on the fake hypervisor and
 * xenstore: the step table's order, what a new PV, PVH and HVM domain
 * gets (creation flags, xenstore tree, stored configuration, console
 * report), the undo of everything at each injected failure, and the
 * path that starts from an existing domain (soft reset).
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
#include "libxl_sys.h"
#include "libxl_xshelp.h"
#include "libxl_domain.h"
#include "libxl_dm.h"
#include "libxl_create.h"
#include "fake-sys.h"

#include <xen/hvm/params.h>

static libxl_ctx *ctx;
static char tmpdir[] = "/tmp/test-libxl-create.XXXXXX";

/*
 * What the fakes record.
 */
static struct xen_domctl_createdomain last_create;
static libxl__sys_ops ops;
static char trace_buf[4096];
static int console_events;
static uint32_t console_domid;
static bool build_fails;

static int rec_domain_create(libxl_ctx *c, uint32_t *pdomid,
                             struct xen_domctl_createdomain *config)
{
    last_create = *config;
    return fake_ops.domain_create(c, pdomid, config);
}

/* xenconsoled: publishes a pty once the console's tty node is made. */
static bool consoled_xs_write(libxl_ctx *c, xs_transaction_t t,
                              const char *path, const void *data,
                              unsigned int len)
{
    size_t l = strlen(path);
    static const char tty[] = "/console/tty";

    if (l > strlen(tty) && !strcmp(path + l - strlen(tty), tty) && !len)
        return fake_ops.xs_write(c, t, path, "/dev/pts/7", 10);
    return fake_ops.xs_write(c, t, path, data, len);
}

static int fake_physinfo(libxl__gc *gc, xc_physinfo_t *info)
{
    memset(info, 0, sizeof(*info));
    info->capabilities = XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_pv |
                         XEN_SYSCTL_PHYSCAP_hap | XEN_SYSCTL_PHYSCAP_shadow |
                         XEN_SYSCTL_PHYSCAP_gnttab_v1 |
                         XEN_SYSCTL_PHYSCAP_gnttab_v2;
    return 0;
}

static int shadow_only_physinfo(libxl__gc *gc, xc_physinfo_t *info)
{
    fake_physinfo(gc, info);
    info->capabilities &= ~XEN_SYSCTL_PHYSCAP_hap;
    return 0;
}

static int no_paging_physinfo(libxl__gc *gc, xc_physinfo_t *info)
{
    fake_physinfo(gc, info);
    info->capabilities &= ~(XEN_SYSCTL_PHYSCAP_hap |
                            XEN_SYSCTL_PHYSCAP_shadow);
    return 0;
}

static int fake_arch_setup(libxl__gc *gc, libxl__create_state *cs)
{
    fake_log("arch_setup %u", cs->domid);
    return 0;
}

static int fake_build(libxl__gc *gc, libxl__create_state *cs)
{
    if (build_fails) {
        errno = EIO;
        return ERROR_FAIL;
    }
    fake_log("build %u", cs->domid);
    cs->store_mfn = 0xfeffc;
    cs->console_mfn = 0xfefff;
    return 0;
}

static int fake_devices_add(libxl__gc *gc, uint32_t domid,
                            libxl_domain_config *d_config)
{
    fake_log("devices_add %u", domid);
    return 0;
}

static int fake_dm_spawn(libxl__gc *gc, uint32_t domid,
                         libxl_domain_config *d_config,
                         const char *restore_file)
{
    if (restore_file)
        fake_log("dm_spawn %u restore %s", domid, restore_file);
    else
        fake_log("dm_spawn %u", domid);
    return 0;
}

static libxl__create_xc_ops xc_ops = {
    .physinfo = fake_physinfo,
    .arch_setup = fake_arch_setup,
    .build = fake_build,
    .devices_add = fake_devices_add,
    .dm_spawn = fake_dm_spawn,
};

/* Whether hvm_param_set(domid, param, value) was done. */
static bool param_set(uint32_t domid, uint32_t param, uint64_t value)
{
    char s[96];

    snprintf(s, sizeof(s), "hvm_param_set %u %u %" PRIu64, domid, param,
             value);
    return fake_log_index(s) >= 0;
}

static void trace(const char *what, const char *step)
{
    size_t l = strlen(trace_buf);

    snprintf(trace_buf + l, sizeof(trace_buf) - l, "%s%s %s",
             l ? "," : "", what, step);
}

static void console_cb(libxl_ctx *c, libxl_event *ev, void *arg)
{
    if (ev->type == LIBXL_EVENT_TYPE_DOMAIN_CREATE_CONSOLE_AVAILABLE) {
        console_events++;
        console_domid = ev->domid;
    }
    libxl_event_free(c, ev);
}

static int setup(void **state)
{
    (void)fake_ctx;     /* this suite builds its ctx on its own ops */
    fake_reset();
    fake_dom_add(0, 0);
    fake_xs_set("/local/domain/0/name", "Domain-0");
    fake_xs_set("/vm", "");         /* as xenstored starts */
    fake_xs_set("/libxl", "");
    ops = fake_ops;
    ops.domain_create = rec_domain_create;
    ops.xs_write = consoled_xs_write;
    ctx = fake_ctx_ops(fake_log_level(), &ops);
    if (!mkdtemp(tmpdir))
        return -1;
    libxl__tun.userdata_dir = tmpdir;
    libxl__tun.run_dir = tmpdir;
    xc_ops.physinfo = fake_physinfo;
    libxl__tun.create_xc = &xc_ops;
    memset(&last_create, 0, sizeof(last_create));
    trace_buf[0] = '\0';
    console_events = 0;
    console_domid = INVALID_DOMID;
    build_fails = false;
    unsetenv("LIBXL_FAULT_INJECT");
    return 0;
}

static int teardown(void **state)
{
    if (fake_teardown(&ctx, tmpdir, "/tmp/test-libxl-create.XXXXXX"))
        return -1;
    libxl__tun.create_xc = &libxl__create_xc_real;
    unsetenv("LIBXL_FAULT_INJECT");
    return 0;
}

static void config_init(libxl_domain_config *dc, libxl_domain_type type,
                        const char *name)
{
    libxl_domain_config_init(dc);
    dc->c_info.type = type;
    dc->c_info.name = strdup(name);
    libxl_domain_build_info_init_type(&dc->b_info, type);
    dc->b_info.max_memkb = dc->b_info.target_memkb = 32768;
    if (type != LIBXL_DOMAIN_TYPE_HVM) {
        dc->b_info.kernel = strdup("/boot/probe.elf");
        dc->b_info.cmdline = strdup("count=3");
    }
}

/* Files in tmpdir (userdata, locks), but the domid history, which
 * outlives the domains it records on purpose. */
static int files_left(void)
{
    DIR *d = opendir(tmpdir);
    struct dirent *e;
    int n = 0;

    assert_non_null(d);
    while ((e = readdir(d)))
        if (e->d_name[0] != '.' && strcmp(e->d_name, "domid-history"))
            n++;
    closedir(d);
    return n;
}

static int create(libxl_domain_config *dc, uint32_t *domid)
{
    libxl_asyncprogress_how how = { .callback = console_cb };

    return libxl_domain_create_new(ctx, dc, domid, NULL, &how);
}

/* Nothing of a domain but dom0 in the hypervisor and xenstore. */
static void assert_nothing_left(void)
{
    assert_int_equal(fake.n_doms, 1);
    assert_int_equal(fake_xs_count("/vm"), 1);
    assert_int_equal(fake_xs_count("/libxl"), 1);
    assert_int_equal(fake_xs_count("/local/domain/1"), 0);
    /* backend/console and backend went with it: nothing else there */
    assert_int_equal(fake_xs_count("/local/domain/0/backend"), 0);
    assert_int_equal(files_left(), 0);
}

static void test_pvh_create(void **state)
{
    libxl_domain_config dc, stored;
    uint32_t domid;
    char vm[64];
    const char *v;

    config_init(&dc, LIBXL_DOMAIN_TYPE_PVH, "probe");
    assert_int_equal(create(&dc, &domid), 0);
    assert_int_equal(domid, 1);

    /* Created PVH: an HVM container with HAP and only a LAPIC */
    assert_int_equal(last_create.flags,
                     XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap);
    assert_int_equal(last_create.arch.emulation_flags, XEN_X86_EMU_LAPIC);
    assert_int_equal(last_create.max_vcpus, 1);
    assert_int_equal(last_create.max_evtchn_port, 1023);
    assert_int_equal(last_create.max_grant_frames, -1);
    assert_int_equal(last_create.grant_opts, 2);
    assert_memory_equal(last_create.handle, dc.c_info.uuid.uuid, 16);

    /* Left paused, as upstream: nothing unpaused it */
    assert_int_equal(fake_log_prefix("domain_unpause"), -1);
    assert_true(fake.doms[1].flags & XEN_DOMINF_paused);

    /* Hypervisor calls in order */
    assert_true(fake_log_index("domain_max_vcpus 1 1") >= 0);
    assert_true(fake_log_index("domain_setmaxmem 1 33792") >
                fake_log_index("domain_max_vcpus 1 1"));
    assert_true(fake_log_index("build 1") >
                fake_log_index("evtchn_alloc_unbound 1 0"));
    assert_true(fake_log_prefix("xs_introduce_domain 1 1044476 ") >
                fake_log_index("build 1"));
    assert_true(param_set(1, HVM_PARAM_TIMER_MODE, 1));
    assert_false(param_set(1, HVM_PARAM_HPET_ENABLED, 1));
    assert_int_equal(fake_log_prefix("dm_spawn"), -1);
    assert_true(fake_log_index("devices_add 1") >
                fake_log_prefix("xs_introduce_domain"));

    /* The xenstore tree */
    snprintf(vm, sizeof(vm), "/vm/" LIBXL_UUID_FMT,
             LIBXL_UUID_BYTES(dc.c_info.uuid));
    assert_string_equal(fake_xs_get("/local/domain/1/vm"), vm);
    assert_string_equal(fake_xs_get("/local/domain/1/name"), "probe");
    assert_string_equal(fake_xs_get("/local/domain/1/domid"), "1");
    assert_string_equal(fake_xs_get("/local/domain/1/memory/target"),
                        "32768");
    assert_string_equal(fake_xs_get("/local/domain/1/memory/static-max"),
                        "32768");
    assert_string_equal(fake_xs_get("/local/domain/1/memory/videoram"), "0");
    assert_string_equal(
        fake_xs_get("/local/domain/1/cpu/0/availability"), "online");
    assert_string_equal(fake_xs_get("/local/domain/1/store/ring-ref"),
                        "1044476");
    v = fake_xs_get("/local/domain/1/store/port");
    assert_non_null(v);
    assert_true(atoi(v) > 0);
    assert_string_equal(fake_xs_get("/local/domain/1/control/shutdown"), "");
    assert_string_equal(fake_xs_get("/local/domain/1/control/"
                                    "platform-feature-xs_reset_watches"),
                        "1");
    assert_null(fake_xs_get("/local/domain/1/control/feature-s3"));
    assert_null(fake_xs_get("/local/domain/1/hvmloader"));
    assert_non_null(fake_xs_get("/local/domain/1/data"));
    assert_non_null(
        fake_xs_get("/local/domain/1/device/suspend/event-channel"));
    /* Guest-writable nodes are the guest's */
    assert_int_equal(fake_node_find("/local/domain/1/data")->owner, 1);
    assert_int_equal(fake_node_find("/local/domain/1/control/shutdown")
                         ->owner, 1);
    assert_int_equal(fake_node_find("/local/domain/1/name")->owner, 0);
    assert_int_equal(fake_node_find("/local/domain/1/control")->owner, 0);
    /* Console for xenconsoled */
    assert_string_equal(fake_xs_get("/local/domain/1/console/type"),
                        "xenconsoled");
    assert_string_equal(fake_xs_get("/local/domain/1/console/ring-ref"),
                        "1044479");
    assert_string_equal(fake_xs_get("/local/domain/1/console/backend"),
                        "/local/domain/0/backend/console/1/0");
    assert_int_equal(fake_node_find("/local/domain/1/console/backend-id")
                         ->owner, 1);
    assert_string_equal(
        fake_xs_get("/local/domain/0/backend/console/1/0/frontend-id"), "1");
    assert_string_equal(fake_xs_get("/libxl/1/device/console/0/protocol"),
                        "vt100");
    assert_string_equal(fake_xs_get("/local/domain/1/console/tty"),
                        "/dev/pts/7");
    /* /vm and /libxl */
    assert_string_equal(fake_xs_get(vm), "");
    snprintf(vm + strlen(vm), sizeof(vm) - strlen(vm), "/name");
    assert_string_equal(fake_xs_get(vm), "probe");
    assert_string_equal(fake_xs_get("/libxl/1/type"), "pvh");
    assert_string_equal(fake_xs_get("/libxl/1/dm-version"), "qemu_xen");

    /* The console was reported once, for this domain */
    assert_int_equal(console_events, 1);
    assert_int_equal(console_domid, 1);

    /* The caller's config got the defaults */
    assert_true(libxl_defbool_val(dc.c_info.hap));
    assert_int_equal(dc.b_info.shadow_memkb, 4 * (256 + 32));

    /* The stored config is the caller's, with the uuid */
    {
        GC_INIT(ctx);
        libxl_domain_config_init(&stored);
        assert_int_equal(libxl__domain_config_retrieve(gc, 1, &stored), 0);
        assert_string_equal(stored.c_info.name, "probe");
        assert_memory_equal(stored.c_info.uuid.uuid, dc.c_info.uuid.uuid,
                            16);
        assert_true(libxl_defbool_is_default(stored.c_info.hap));
        assert_int_equal(stored.b_info.shadow_memkb, LIBXL_MEMKB_DEFAULT);
        assert_int_equal(stored.b_info.video_memkb, 0);
        assert_false(libxl_defbool_is_default(
            stored.b_info.arch_x86.msr_relaxed));
        libxl_domain_config_dispose(&stored);
        GC_FREE;
    }
    libxl_domain_config_dispose(&dc);
}

static void test_hvm_create(void **state)
{
    libxl_domain_config dc;
    uint32_t domid;

    config_init(&dc, LIBXL_DOMAIN_TYPE_HVM, "hvm");
    dc.b_info.max_memkb = dc.b_info.target_memkb = 131072;
    assert_int_equal(create(&dc, &domid), 0);
    assert_int_equal(last_create.flags,
                     XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap);
    assert_int_equal(last_create.arch.emulation_flags,
                     XEN_X86_EMU_ALL & ~XEN_X86_EMU_VPCI);
    assert_non_null(fake_xs_get("/local/domain/1/hvmloader"));
    assert_non_null(fake_xs_get("/local/domain/1/control/feature-s3"));
    assert_non_null(fake_xs_get("/local/domain/1/control/feature-s4"));
    assert_string_equal(fake_xs_get("/local/domain/1/platform/acpi"), "1");
    assert_string_equal(fake_xs_get("/local/domain/1/platform/acpi_s3"),
                        "1");
    assert_string_equal(
        fake_xs_get("/local/domain/1/platform/device-model"), "qemu_xen");
    assert_string_equal(fake_xs_get("/local/domain/1/memory/videoram"),
                        "8192");
    assert_string_equal(fake_xs_get("/libxl/1/type"), "hvm");
    /* HVM params: HPET and VPT align on, timer mode no_delay */
    assert_true(param_set(1, HVM_PARAM_HPET_ENABLED, 1));
    assert_true(param_set(1, HVM_PARAM_VPT_ALIGN, 1));
    assert_true(param_set(1, HVM_PARAM_TIMER_MODE, 1));
    assert_true(param_set(1, HVM_PARAM_ALTP2M, 0));
    /* The device model after the devices */
    assert_true(fake_log_index("dm_spawn 1") > fake_log_index("devices_add 1"));
    /* Defaults */
    assert_int_equal(dc.b_info.u.hvm.bios, LIBXL_BIOS_TYPE_SEABIOS);
    assert_int_equal(dc.b_info.device_model_version,
                     LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN);
    assert_int_equal(dc.b_info.u.hvm.vga.kind,
                     LIBXL_VGA_INTERFACE_TYPE_CIRRUS);
    assert_int_equal(dc.b_info.video_memkb, 8192);
    assert_string_equal(dc.b_info.u.hvm.boot, "cda");
    assert_true(libxl_defbool_val(dc.b_info.u.hvm.acpi));
    assert_true(libxl_defbool_val(dc.b_info.u.hvm.xen_platform_pci));
    assert_int_equal(dc.b_info.shadow_memkb, 4 * (256 + 128));
    libxl_domain_config_dispose(&dc);
}

/* The key lists of create and the device areas grow as keys are added
 * (libxl__kvs): no count to keep in step by hand.  Far past the sizes
 * they had (14 + 2 per vCPU, 12, 40 ...), in order, NULL-terminated. */
static void test_kvs_grows(void **state)
{
    GC_INIT(ctx);
    libxl__kvs l = { 0 };

    assert_null(l.kv);
    for (int i = 0; i < 100; i++)
        libxl__kvs_add(gc, &l, GCSPRINTF("k%d", i),
                       i == 50 ? NULL : GCSPRINTF("v%d", i));
    assert_int_equal(l.n, 200);
    assert_true(l.room > l.n);
    assert_null(l.kv[200]);
    assert_string_equal(l.kv[0], "k0");
    assert_string_equal(l.kv[199], "v99");
    assert_string_equal(l.kv[100], "k50");
    assert_null(l.kv[101]);     /* kept: libxl__xs_writev skips it */
    assert_int_equal(libxl__xs_writev(gc, XBT_NULL, "/kvs", l.kv), 0);
    assert_string_equal(fake_xs_get("/kvs/k99"), "v99");
    assert_null(fake_xs_get("/kvs/k50"));
    GC_FREE;
}

/* An HVM domain with every optional platform key (the mmio hole) and
 * more vCPUs than the old fixed arrays had room for. */
static void test_hvm_every_key(void **state)
{
    libxl_domain_config dc;
    uint32_t domid;

    config_init(&dc, LIBXL_DOMAIN_TYPE_HVM, "hvm");
    dc.b_info.max_memkb = dc.b_info.target_memkb = 131072;
    dc.b_info.max_vcpus = 40;
    dc.b_info.u.hvm.mmio_hole_memkb = 1 << 20;      /* 1 GiB */
    assert_int_equal(create(&dc, &domid), 0);
    assert_string_equal(
        fake_xs_get("/local/domain/1/platform/mmio_hole_size"),
        "1073741824");
    assert_string_equal(
        fake_xs_get("/local/domain/1/platform/device-model"), "qemu_xen");
    /* config_init's one vCPU online, the 39 others offline */
    assert_string_equal(fake_xs_get("/local/domain/1/cpu/0/availability"),
                        "online");
    assert_string_equal(fake_xs_get("/local/domain/1/cpu/39/availability"),
                        "offline");
    assert_null(fake_xs_get("/local/domain/1/cpu/40/availability"));
    assert_non_null(fake_xs_get("/local/domain/1/store/ring-ref"));
    libxl_domain_config_dispose(&dc);
}

static void test_pv_create(void **state)
{
    libxl_domain_config dc;
    uint32_t domid;
    const char *vm;
    char p[128];

    config_init(&dc, LIBXL_DOMAIN_TYPE_PV, "pv");
    dc.b_info.ramdisk = strdup("/boot/initrd");
    assert_int_equal(create(&dc, &domid), 0);
    assert_int_equal(last_create.flags, 0);
    assert_int_equal(last_create.arch.emulation_flags, 0);
    vm = fake_xs_get("/local/domain/1/vm");
    snprintf(p, sizeof(p), "%s/image/ostype", vm);
    assert_string_equal(fake_xs_get(p), "linux");
    snprintf(p, sizeof(p), "%s/image/kernel", vm);
    assert_string_equal(fake_xs_get(p), "/boot/probe.elf");
    snprintf(p, sizeof(p), "%s/image/ramdisk", vm);
    assert_string_equal(fake_xs_get(p), "/boot/initrd");
    snprintf(p, sizeof(p), "%s/image/cmdline", vm);
    assert_string_equal(fake_xs_get(p), "count=3");
    /* No HVM params for PV */
    assert_int_equal(fake_log_prefix("hvm_param_set"), -1);
    /* upstream's formula counts one page per MiB for PV too */
    assert_int_equal(dc.b_info.shadow_memkb, 4 * (256 + 32));
    assert_true(libxl_defbool_is_default(dc.c_info.hap));
    libxl_domain_config_dispose(&dc);
}

/* A PV or PVH domain gets a QEMU (the device-model step) when a disk is
 * served by qdisk from dom0, and only then; after the devices, as
 * upstream spawns it after adding them. */
static void test_xenpv_qemu_step(void **state)
{
    static const libxl_domain_type types[] = { LIBXL_DOMAIN_TYPE_PV,
                                               LIBXL_DOMAIN_TYPE_PVH };
    libxl_domain_config dc;
    uint32_t domid;

    for (size_t t = 0; t < ARRAY_SIZE(types); t++) {
        for (int qdisk = 0; qdisk < 2; qdisk++) {
            char spawn[32], devs[32];

            for (int i = 0; i < fake.n_log; i++)
                free(fake.log[i]);
            fake.n_log = 0;
            config_init(&dc, types[t], "pvq");
            dc.num_disks = 1;
            dc.disks = calloc(1, sizeof(*dc.disks));
            libxl_device_disk_init(&dc.disks[0]);
            dc.disks[0].vdev = strdup("xvda");
            dc.disks[0].pdev_path = strdup("/images/a.img");
            dc.disks[0].format = LIBXL_DISK_FORMAT_RAW;
            dc.disks[0].backend = qdisk ? LIBXL_DISK_BACKEND_QDISK
                                        : LIBXL_DISK_BACKEND_PHY;
            assert_int_equal(create(&dc, &domid), 0);
            snprintf(spawn, sizeof(spawn), "dm_spawn %u", domid);
            snprintf(devs, sizeof(devs), "devices_add %u", domid);
            if (qdisk) {
                assert_true(fake_log_index(devs) >= 0);
                assert_true(fake_log_index(spawn) > fake_log_index(devs));
            } else {
                assert_int_equal(fake_log_prefix("dm_spawn"), -1);
            }
            assert_int_equal(libxl_domain_destroy(ctx, domid, NULL), 0);
            assert_nothing_left();
            libxl_domain_config_dispose(&dc);
        }
    }
}

static void test_step_order(void **state)
{
    GC_INIT(ctx);
    libxl_domain_config dc;
    libxl__create_state cs = { .domid = INVALID_DOMID, .store_port = -1,
                               .console_port = -1 };
    char expect[2048] = "";

    config_init(&dc, LIBXL_DOMAIN_TYPE_PVH, "order");
    libxl_uuid_generate(&dc.c_info.uuid);
    assert_int_equal(libxl__domain_config_setdefault(gc, &dc, 0), 0);
    cs.d_config = &dc;
    cs.saved = &dc;
    assert_int_equal(libxl__create_run(gc, &cs, trace), 0);
    for (int i = 0; libxl__create_steps[i].name; i++)
        snprintf(expect + strlen(expect), sizeof(expect) - strlen(expect),
                 "%srun %s", i ? "," : "", libxl__create_steps[i].name);
    assert_string_equal(trace_buf, expect);
    libxl__domain_lock_release(gc, cs.lock);
    libxl_domain_config_dispose(&dc);
    GC_FREE;
}

/* An injected failure at each step: create fails, the error comes back,
 * the undos run in reverse order, and nothing is left. */
static void test_fault_each_step(void **state)
{
    for (int i = 0; libxl__create_steps[i].name; i++) {
        GC_INIT(ctx);
        const char *name = libxl__create_steps[i].name;
        libxl_domain_config dc;
        libxl__create_state cs = { .domid = INVALID_DOMID,
                                   .store_port = -1, .console_port = -1 };
        char spec[64], expect[2048] = "";
        uint32_t domid = 42;

        /* Through the public API: fails, nothing left */
        snprintf(spec, sizeof(spec), "other:x,create:%s", name);
        setenv("LIBXL_FAULT_INJECT", spec, 1);
        config_init(&dc, LIBXL_DOMAIN_TYPE_PVH, "fault");
        assert_int_equal(create(&dc, &domid), ERROR_FAIL);
        assert_int_equal(domid, (uint32_t)INVALID_DOMID);
        assert_nothing_left();
        libxl_domain_config_dispose(&dc);

        /* Through the table: the undo order */
        trace_buf[0] = '\0';
        config_init(&dc, LIBXL_DOMAIN_TYPE_PVH, "fault");
        libxl_uuid_generate(&dc.c_info.uuid);
        assert_int_equal(libxl__domain_config_setdefault(gc, &dc, 0), 0);
        cs.d_config = &dc;
        cs.saved = &dc;
        assert_int_equal(libxl__create_run(gc, &cs, trace), ERROR_FAIL);
        for (int j = 0; j <= i; j++)
            snprintf(expect + strlen(expect),
                     sizeof(expect) - strlen(expect), "%srun %s",
                     j ? "," : "", libxl__create_steps[j].name);
        for (int j = i; j >= 0; j--)
            if (libxl__create_steps[j].undo)
                snprintf(expect + strlen(expect),
                         sizeof(expect) - strlen(expect), ",undo %s",
                         libxl__create_steps[j].name);
        assert_string_equal(trace_buf, expect);
        assert_nothing_left();
        /* destroyed, not released first (xenstored announces it) */
        assert_int_equal(fake_log_prefix("xs_release_domain"), -1);
        libxl_domain_config_dispose(&dc);
        unsetenv("LIBXL_FAULT_INJECT");
        GC_FREE;
    }
}

/* The undo of the console takes away the shared parents in dom0
 * (backend/, backend/console) only when its step made them: what was
 * there before stays, even empty. */
static void test_fault_keeps_shared_parents(void **state)
{
    static const char *const steps[] = { "devices", "console-wait",
                                         "store-config" };

    for (size_t i = 0; i < ARRAY_SIZE(steps); i++)
        for (int pre = 1; pre <= 2; pre++) {
            libxl_domain_config dc;
            uint32_t domid;
            char spec[64];

            fake_xs_set("/local/domain/0/backend", "");
            if (pre == 2)
                fake_xs_set("/local/domain/0/backend/console", "");
            snprintf(spec, sizeof(spec), "create:%s", steps[i]);
            setenv("LIBXL_FAULT_INJECT", spec, 1);
            config_init(&dc, LIBXL_DOMAIN_TYPE_PVH, "shared");
            assert_int_equal(create(&dc, &domid), ERROR_FAIL);
            assert_int_equal(fake_xs_count("/local/domain/0/backend"), pre);
            assert_int_equal(fake_xs_count("/local/domain/1"), 0);
            assert_int_equal(fake_xs_count("/libxl"), 1);
            libxl_domain_config_dispose(&dc);
            unsetenv("LIBXL_FAULT_INJECT");
            fake_node_rm("/local/domain/0/backend");
        }
}

/* Real failures of the hypervisor or xenstore unwind too. */
static void test_op_failures(void **state)
{
    static const char *const fail_ops[] = {
        "domain_create", "domain_max_vcpus", "domain_setmaxmem",
        "evtchn_alloc_unbound", "hvm_param_set", "xs_introduce_domain",
        "xs_set_permissions", "xs_transaction_start",
    };

    for (size_t i = 0; i < ARRAY_SIZE(fail_ops); i++) {
        libxl_domain_config dc;
        uint32_t domid;

        fake.fail_op = fail_ops[i];
        config_init(&dc, LIBXL_DOMAIN_TYPE_PVH, "opfail");
        assert_int_not_equal(create(&dc, &domid), 0);
        fake.fail_op = NULL;
        assert_nothing_left();
        libxl_domain_config_dispose(&dc);
    }
    {
        libxl_domain_config dc;
        uint32_t domid;

        build_fails = true;
        config_init(&dc, LIBXL_DOMAIN_TYPE_PVH, "buildfail");
        assert_int_equal(create(&dc, &domid), ERROR_FAIL);
        assert_nothing_left();
        libxl_domain_config_dispose(&dc);
    }
}

/* A name another domain has is refused, and nothing is left. */
static void test_name_taken(void **state)
{
    libxl_domain_config dc;
    uint32_t domid;

    config_init(&dc, LIBXL_DOMAIN_TYPE_PVH, "Domain-0");
    assert_int_not_equal(create(&dc, &domid), 0);
    assert_nothing_left();
    libxl_domain_config_dispose(&dc);
}

/* Starting from an existing domain (soft reset): the domain is not
 * created, built or given vCPUs again; it is re-introduced; a failure
 * leaves the domain itself alone. */
static void test_existing_domain(void **state)
{
    GC_INIT(ctx);
    libxl_domain_config dc;
    libxl__create_state cs = { .store_port = -1, .console_port = -1,
                               .existing = true };

    fake_dom_add(5, 0x50);
    fake_dom_set_hvm(5, true, false);
    config_init(&dc, LIBXL_DOMAIN_TYPE_PVH, "again");
    libxl_uuid_generate(&dc.c_info.uuid);
    assert_int_equal(libxl__domain_config_setdefault(gc, &dc, 5), 0);
    cs.d_config = &dc;
    cs.saved = &dc;
    cs.domid = 5;
    assert_int_equal(libxl__create_run(gc, &cs, trace), 0);
    assert_non_null(strstr(trace_buf, "skip domain-create"));
    assert_non_null(strstr(trace_buf, "skip build"));
    assert_non_null(strstr(trace_buf, "skip max-vcpus"));
    assert_non_null(strstr(trace_buf, "run introduce"));
    assert_int_equal(fake_log_prefix("domain_create"), -1);
    assert_int_equal(fake_log_prefix("build"), -1);
    assert_true(fake_log_prefix("xs_introduce_domain 5 ") >= 0);
    assert_true(fake_log_prefix("hvm_param_set 5 2 ") >= 0); /* store */
    assert_string_equal(fake_xs_get("/local/domain/5/name"), "again");
    libxl__domain_lock_release(gc, cs.lock);

    /* A failure: undone, the domain stays */
    trace_buf[0] = '\0';
    setenv("LIBXL_FAULT_INJECT", "create:console", 1);
    cs.lock = NULL;
    assert_int_equal(libxl__create_run(gc, &cs, trace), ERROR_FAIL);
    assert_non_null(fake_dom_find(5));
    assert_null(strstr(trace_buf, "undo domain-create"));
    assert_non_null(strstr(trace_buf, "undo introduce"));
    assert_true(fake_log_index("xs_release_domain 5") >= 0);
    /* Still listed by name, its configuration kept; the console the
     * failed step would have written is not there. */
    assert_string_equal(fake_xs_get("/local/domain/5/name"), "again");
    assert_null(fake_xs_get("/local/domain/5/console/ring-ref"));
    libxl_domain_config_dispose(&dc);
    GC_FREE;
}

static void test_setdefault(void **state)
{
    GC_INIT(ctx);
    libxl_domain_config dc;

    /* Shadow paging only: hap off, more paging memory */
    xc_ops.physinfo = shadow_only_physinfo;
    config_init(&dc, LIBXL_DOMAIN_TYPE_HVM, "s");
    assert_int_equal(libxl__domain_config_setdefault(gc, &dc, 0), 0);
    assert_false(libxl_defbool_val(dc.c_info.hap));
    assert_true(libxl_defbool_val(dc.c_info.oos));
    assert_int_equal(dc.b_info.shadow_memkb, 4 * (256 + 2 * 32));
    assert_int_equal(dc.b_info.timer_mode,
                     LIBXL_TIMER_MODE_NO_DELAY_FOR_MISSED_TICKS);
    assert_int_equal(dc.b_info.event_channels, 1023);
    assert_string_equal(dc.b_info.blkdev_start, "xvda");
    assert_int_equal(dc.b_info.max_vcpus, 1);
    assert_true(libxl_bitmap_test(&dc.b_info.avail_vcpus, 0));
    assert_int_equal(dc.b_info.u.hvm.rdm.policy,
                     LIBXL_RDM_RESERVE_POLICY_RELAXED);
    assert_true(libxl_defbool_val(dc.b_info.u.hvm.vnc.enable));
    assert_string_equal(dc.b_info.u.hvm.vnc.listen, "127.0.0.1");
    libxl_domain_config_dispose(&dc);

    /* Neither: an HVM or PVH guest is refused, a PV one is fine */
    xc_ops.physinfo = no_paging_physinfo;
    config_init(&dc, LIBXL_DOMAIN_TYPE_PVH, "n");
    assert_int_equal(libxl__domain_config_setdefault(gc, &dc, 0),
                     ERROR_INVAL);
    libxl_domain_config_dispose(&dc);
    config_init(&dc, LIBXL_DOMAIN_TYPE_PV, "n");
    assert_int_equal(libxl__domain_config_setdefault(gc, &dc, 0), 0);
    libxl_domain_config_dispose(&dc);
    xc_ops.physinfo = fake_physinfo;

    /* Bad combinations */
    config_init(&dc, LIBXL_DOMAIN_TYPE_HVM, "b");
    dc.b_info.u.hvm.bios = LIBXL_BIOS_TYPE_ROMBIOS;
    assert_int_equal(libxl__domain_config_setdefault(gc, &dc, 0),
                     ERROR_INVAL);
    libxl_domain_config_dispose(&dc);
    config_init(&dc, LIBXL_DOMAIN_TYPE_HVM, "b");
    dc.b_info.cmdline = strdup("console=ttyS0");
    assert_int_equal(libxl__domain_config_setdefault(gc, &dc, 0),
                     ERROR_INVAL);
    libxl_domain_config_dispose(&dc);
    config_init(&dc, LIBXL_DOMAIN_TYPE_HVM, "b");
    dc.b_info.u.hvm.vga.kind = LIBXL_VGA_INTERFACE_TYPE_STD;
    dc.b_info.video_memkb = 4096;
    assert_int_equal(libxl__domain_config_setdefault(gc, &dc, 0),
                     ERROR_INVAL);
    libxl_domain_config_dispose(&dc);
    config_init(&dc, LIBXL_DOMAIN_TYPE_PVH, "b");
    free(dc.b_info.kernel);
    dc.b_info.kernel = NULL;
    assert_int_equal(libxl__domain_config_setdefault(gc, &dc, 0),
                     ERROR_INVAL);
    libxl_domain_config_dispose(&dc);
    config_init(&dc, LIBXL_DOMAIN_TYPE_INVALID, "b");
    assert_int_equal(libxl__domain_config_setdefault(gc, &dc, 0),
                     ERROR_INVAL);
    libxl_domain_config_dispose(&dc);
    GC_FREE;
}

static void test_fault_spec(void **state)
{
    setenv("LIBXL_FAULT_INJECT", "create:build,destroy:domain", 1);
    assert_true(libxl__fault_injected("create", "build"));
    assert_true(libxl__fault_injected("destroy", "domain"));
    assert_false(libxl__fault_injected("create", "buil"));
    assert_false(libxl__fault_injected("create", "build2"));
    assert_false(libxl__fault_injected("creat", "build"));
    unsetenv("LIBXL_FAULT_INJECT");
    assert_false(libxl__fault_injected("create", "build"));
}

static void test_console_tty(void **state)
{
    libxl_domain_config dc;
    uint32_t domid;
    char *tty;

    config_init(&dc, LIBXL_DOMAIN_TYPE_PVH, "con");
    assert_int_equal(create(&dc, &domid), 0);
    assert_int_equal(libxl_primary_console_get_tty(ctx, domid, &tty), 0);
    assert_string_equal(tty, "/dev/pts/7");
    free(tty);
    assert_int_equal(libxl_console_get_tty(ctx, domid, 0,
                                           LIBXL_CONSOLE_TYPE_SERIAL, &tty),
                     ERROR_FAIL);
    assert_null(tty);
    assert_int_equal(libxl_primary_console_get_tty(ctx, 9, &tty),
                     ERROR_INVAL);
    libxl_domain_config_dispose(&dc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pvh_create, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hvm_create, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pv_create, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kvs_grows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hvm_every_key, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_xenpv_qemu_step, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_step_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fault_each_step, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_fault_keeps_shared_parents,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_op_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_name_taken, setup, teardown),
        cmocka_unit_test_setup_teardown(test_existing_domain, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_setdefault, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fault_spec, setup, teardown),
        cmocka_unit_test_setup_teardown(test_console_tty, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
