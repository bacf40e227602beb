/*
 * test-libxl-dm-args: the QEMU command line libxl__dm_build_args makes
 * for HVM configs and the xenpv QEMU of PV/PVH configs, against
 * argument vectors.  The first one is what
 * Debian's xl 4.17 ran on the test host for the same config (measured
 * from /proc/PID/cmdline, tools/tests/host-dm/README.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libxl_internal.h"
#include "libxl_dm.h"
#include "fake-sys.h"

static libxl_ctx *ctx;
static libxl_domain_config cfg;

static int setup(void **state)
{
    fake_reset();
    ctx = fake_ctx(fake_log_level());
    libxl_domain_config_init(&cfg);
    libxl_domain_create_info_init(&cfg.c_info);
    cfg.c_info.type = LIBXL_DOMAIN_TYPE_HVM;
    cfg.c_info.name = strdup("dmA");
    libxl_domain_build_info_init(&cfg.b_info);
    libxl_domain_build_info_init_type(&cfg.b_info, LIBXL_DOMAIN_TYPE_HVM);
    cfg.b_info.max_vcpus = 1;
    cfg.b_info.max_memkb = 256 * 1024;
    cfg.b_info.target_memkb = 256 * 1024;
    cfg.b_info.video_memkb = 0;
    cfg.b_info.u.hvm.vga.kind = LIBXL_VGA_INTERFACE_TYPE_NONE;
    cfg.b_info.u.hvm.boot = strdup("cda");
    return 0;
}

static int teardown(void **state)
{
    libxl_domain_config_dispose(&cfg);
    fake_ctx_free(ctx);
    ctx = NULL;
    fake_reset();
    return 0;
}

/* The vector as one line per argument. */
static char *joined(char **v)
{
    size_t len = 1;
    char *s;
    int i;

    for (i = 0; v[i]; i++)
        len += strlen(v[i]) + 1;
    s = calloc(1, len);
    for (i = 0; v[i]; i++) {
        strcat(s, v[i]);
        strcat(s, "\n");
    }
    return s;
}

static int build(uint32_t domid, bool incoming, char **argv_s, char **env_s)
{
    GC_INIT(ctx);
    char **argv = NULL, **env = NULL;
    int rc = libxl__dm_build_args(gc, domid, &cfg,
                                  libxl__dm_binary(gc, &cfg.b_info),
                                  incoming, &argv, &env);

    *argv_s = rc ? NULL : joined(argv);
    if (env_s)
        *env_s = rc ? NULL : joined(env);
    GC_FREE;
    return rc;
}

static void expect_args(uint32_t domid, const char *want)
{
    char *got;

    assert_int_equal(build(domid, false, &got, NULL), 0);
    if (strcmp(got, want))
        fprintf(stderr, "got:\n%s\nwanted:\n%s\n", got, want);
    assert_string_equal(got, want);
    free(got);
}

#define HEAD(N)                                                         \
    "/usr/libexec/xen-qemu-system-i386\n-xen-domid\n" #N "\n"           \
    "-no-shutdown\n-chardev\n"                                          \
    "socket,id=libxl-cmd,path=/var/run/xen/qmp-libxl-" #N               \
    ",server=on,wait=off\n"                                             \
    "-mon\nchardev=libxl-cmd,mode=control\n-chardev\n"                  \
    "socket,id=libxenstat-cmd,path=/var/run/xen/qmp-libxenstat-" #N     \
    ",server=on,wait=off\n"                                             \
    "-mon\nchardev=libxenstat-cmd,mode=control\n"                       \
    "-nodefaults\n-no-user-config\n"

/* hvm-kexec's shape: direct kernel boot, serial to a file, no VGA,
 * VNC on by default.  Measured from upstream's xl. */
static void test_measured_upstream(void **state)
{
    char *env, *args;

    cfg.b_info.kernel = strdup("/boot/vmlinuz");
    cfg.b_info.ramdisk = strdup("/tmp/initrd.gz");
    cfg.b_info.cmdline = strdup("console=ttyS0 quiet");
    cfg.b_info.u.hvm.serial =
        strdup("file:/var/log/xen/console/dmA-serial.log");
    expect_args(1, HEAD(1)
                "-name\ndmA\n-vnc\n127.0.0.1:0,to=99\n-display\nnone\n"
                "-kernel\n/boot/vmlinuz\n-initrd\n/tmp/initrd.gz\n"
                "-append\nconsole=ttyS0 quiet\n"
                "-serial\nfile:/var/log/xen/console/dmA-serial.log\n"
                "-boot\norder=cda\n-net\nnone\n"
                "-machine\nxenfv,suppress-vmdesc=on\n-m\n256\n");

    unsetenv("XEN_QEMU_CONSOLE_LIMIT");
    assert_int_equal(build(1, false, &args, &env), 0);
    free(args);
    assert_string_equal(env, "XEN_QEMU_CONSOLE_LIMIT\n1048576\n"
                        "XEN_DOMAIN_ID\n1\n");
    free(env);
}

static void test_serial_pty_list_stdvga(void **state)
{
    libxl_defbool_set(&cfg.b_info.u.hvm.vnc.enable, false);
    cfg.b_info.u.hvm.vga.kind = LIBXL_VGA_INTERFACE_TYPE_STD;
    cfg.b_info.video_memkb = 16 * 1024;
    cfg.b_info.max_memkb = 128 * 1024 + 16 * 1024;
    cfg.b_info.u.hvm.serial_list = calloc(3, sizeof(char *));
    cfg.b_info.u.hvm.serial_list[0] = strdup("pty");
    cfg.b_info.u.hvm.serial_list[1] = strdup("file:/tmp/s1");
    cfg.b_info.max_vcpus = 3;
    libxl_bitmap_alloc(NULL, &cfg.b_info.avail_vcpus, 3);
    libxl_bitmap_set(&cfg.b_info.avail_vcpus, 0);
    libxl_bitmap_set(&cfg.b_info.avail_vcpus, 1);
    expect_args(5, HEAD(5)
                "-name\ndmA\n-vnc\nnone\n-display\nnone\n"
                "-serial\npty\n-serial\nfile:/tmp/s1\n"
                "-device\nVGA,vgamem_mb=16\n"
                "-boot\norder=cda\n-smp\n2,maxcpus=3\n-net\nnone\n"
                "-machine\nxenfv,suppress-vmdesc=on\n-m\n128\n");
}

/* A device model that takes over from another (incoming state: soft
 * reset) appends to a serial log file instead of truncating it; other
 * serial kinds and a fresh start are as upstream's.  A comma in the path
 * is doubled for QEMU's option syntax. */
static void test_serial_file_appended_when_incoming(void **state)
{
    char *got;

    cfg.b_info.u.hvm.serial_list = calloc(3, sizeof(char *));
    cfg.b_info.u.hvm.serial_list[0] = strdup("file:/var/log/a,b.log");
    cfg.b_info.u.hvm.serial_list[1] = strdup("pty");
    assert_int_equal(build(1, true, &got, NULL), 0);
    assert_non_null(strstr(got,
        "-chardev\nfile,id=libxl-serial0,path=/var/log/a,,b.log,append=on\n"
        "-serial\nchardev:libxl-serial0\n-serial\npty\n"));
    assert_null(strstr(got, "-serial\nfile:"));
    assert_non_null(strstr(got, "-incoming\nfd:0\n"));
    free(got);
    assert_int_equal(build(1, false, &got, NULL), 0);
    assert_non_null(strstr(got, "-serial\nfile:/var/log/a,b.log\n"
                                "-serial\npty\n"));
    assert_null(strstr(got, "append=on"));
    free(got);
}

static void test_serial_and_list_conflict(void **state)
{
    char *s = NULL;

    cfg.b_info.u.hvm.serial = strdup("pty");
    cfg.b_info.u.hvm.serial_list = calloc(2, sizeof(char *));
    cfg.b_info.u.hvm.serial_list[0] = strdup("pty");
    assert_int_equal(build(1, false, &s, NULL), ERROR_INVAL);
    assert_null(s);
}

static void test_disks_and_cdrom(void **state)
{
    libxl_device_disk *d;

    libxl_defbool_set(&cfg.b_info.u.hvm.vnc.enable, false);
    libxl_defbool_set(&cfg.b_info.u.hvm.nographic, true);
    cfg.num_disks = 4;
    cfg.disks = d = calloc(4, sizeof(*d));
    for (int i = 0; i < 4; i++)
        libxl_device_disk_init(&d[i]);
    d[0].vdev = strdup("hda");
    d[0].pdev_path = strdup("/scratch/a.img");
    d[0].format = LIBXL_DISK_FORMAT_RAW;
    d[0].backend = LIBXL_DISK_BACKEND_PHY;
    d[0].readwrite = 1;
    d[1].vdev = strdup("hdc");
    d[1].pdev_path = strdup("/scratch/cd.iso");
    d[1].format = LIBXL_DISK_FORMAT_RAW;
    d[1].is_cdrom = 1;
    d[2].vdev = strdup("hdd");          /* empty drive */
    d[2].format = LIBXL_DISK_FORMAT_EMPTY;
    d[2].is_cdrom = 1;
    d[3].vdev = strdup("xvdb");          /* qcow2 through QEMU's backend */
    d[3].pdev_path = strdup("/scratch/b.qcow2");
    d[3].format = LIBXL_DISK_FORMAT_QCOW2;
    d[3].backend = LIBXL_DISK_BACKEND_QDISK;
    d[3].readwrite = 1;
    expect_args(2, HEAD(2)
                "-name\ndmA\n-vnc\nnone\n-display\nnone\n-nographic\n"
                "-boot\norder=cda\n-net\nnone\n"
                "-machine\nxenfv,suppress-vmdesc=on\n-m\n256\n"
                "-drive\nfile=/scratch/a.img,if=ide,index=0,media=disk,"
                "format=raw,cache=writeback\n"
                "-drive\nif=none,readonly=on,id=ide-5632,"
                "file=/scratch/cd.iso,format=raw\n"
                "-device\nide-cd,id=ide-5632,drive=ide-5632,bus=ide.1,"
                "unit=0\n"
                "-drive\nif=none,readonly=on,id=ide-5696\n"
                "-device\nide-cd,id=ide-5696,drive=ide-5696,bus=ide.1,"
                "unit=1\n"
                "-drive\nfile=/scratch/b.qcow2,if=ide,index=1,media=disk,"
                "format=qcow2,cache=writeback\n");

    /* A read-only IDE disk is refused, as upstream. */
    {
        char *s = NULL;
        d[0].readwrite = 0;
        assert_int_equal(build(2, false, &s, NULL), ERROR_INVAL);
        assert_null(s);
    }
}

static void test_ahci(void **state)
{
    libxl_device_disk *d;

    libxl_defbool_set(&cfg.b_info.u.hvm.vnc.enable, false);
    cfg.b_info.u.hvm.hdtype = LIBXL_HDTYPE_AHCI;
    cfg.num_disks = 1;
    cfg.disks = d = calloc(1, sizeof(*d));
    libxl_device_disk_init(d);
    d->vdev = strdup("hdb");
    d->pdev_path = strdup("/dev/vg/x");
    d->format = LIBXL_DISK_FORMAT_RAW;
    d->readwrite = 1;
    expect_args(3, HEAD(3)
                "-name\ndmA\n-vnc\nnone\n-display\nnone\n"
                "-boot\norder=cda\n-net\nnone\n"
                "-machine\nxenfv,suppress-vmdesc=on\n-m\n256\n"
                "-device\nahci,id=ahci0\n"
                "-drive\nfile=/dev/vg/x,if=none,id=ahcidisk-1,format=raw,"
                "cache=writeback\n"
                "-device\nide-hd,bus=ahci0.1,unit=0,drive=ahcidisk-1\n");
}

static void test_nics(void **state)
{
    libxl_device_nic *n;
    const uint8_t mac[6] = { 0x00, 0x16, 0x3e, 0x11, 0x22, 0x33 };

    cfg.num_nics = 3;
    cfg.nics = n = calloc(3, sizeof(*n));
    for (int i = 0; i < 3; i++) {
        libxl_device_nic_init(&n[i]);
        n[i].devid = i;
        n[i].nictype = LIBXL_NIC_TYPE_VIF_IOEMU;
        n[i].bridge = strdup("xenbr0");
        memcpy(n[i].mac, mac, 6);
        n[i].mac[5] += i;
    }
    n[0].model = strdup("rtl8139");
    n[1].model = strdup("e1000");
    n[1].ifname = strdup("myvif");
    n[2].nictype = LIBXL_NIC_TYPE_VIF;  /* PV only: not emulated */
    cfg.b_info.u.hvm.vnc.display = 3;
    cfg.b_info.u.hvm.vnc.listen = strdup("0.0.0.0");
    libxl_defbool_set(&cfg.b_info.u.hvm.vnc.findunused, false);
    expect_args(4, HEAD(4)
                "-name\ndmA\n-vnc\n0.0.0.0:3\n-display\nnone\n"
                "-boot\norder=cda\n"
                "-device\nrtl8139,id=nic0,netdev=net0,mac=00:16:3e:11:22:33\n"
                "-netdev\ntype=tap,id=net0,ifname=vif4.0-emu,br=xenbr0,"
                "script=no,downscript=no\n"
                "-device\ne1000,id=nic1,netdev=net1,mac=00:16:3e:11:22:34\n"
                "-netdev\ntype=tap,id=net1,ifname=myvif-emu,br=xenbr0,"
                "script=no,downscript=no\n"
                "-machine\nxenfv,suppress-vmdesc=on\n-m\n256\n");
}

static void test_override_incoming_platform(void **state)
{
    char *got;

    cfg.b_info.device_model = strdup("/opt/qemu/bin/qemu-system-i386");
    libxl_defbool_set(&cfg.b_info.u.hvm.vnc.enable, false);
    libxl_defbool_set(&cfg.b_info.u.hvm.xen_platform_pci, false);
    libxl_defbool_set(&cfg.b_info.acpi, false);
    free(cfg.b_info.u.hvm.boot);
    cfg.b_info.u.hvm.boot = NULL;
    assert_int_equal(build(9, true, &got, NULL), 0);
    assert_true(!strncmp(got, "/opt/qemu/bin/qemu-system-i386\n"
                         "-xen-domid\n9\n", 44));
    assert_non_null(strstr(got, "-vnc\nnone\n-display\nnone\n"
                           "-boot\norder=cda\n-no-acpi\n"
                           "-net\nnone\n-incoming\nfd:0\n-machine\n"
                           "pc,accel=xen,suppress-vmdesc=on\n-m\n256\n"));
    free(got);
}

static void test_refused(void **state)
{
    char *s = NULL;

    cfg.b_info.device_model_version =
        LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN_TRADITIONAL;
    assert_int_equal(build(1, false, &s, NULL), ERROR_INVAL);
    cfg.b_info.device_model_version = LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN;
    libxl_defbool_set(&cfg.b_info.dm_restrict, true);
    assert_int_equal(build(1, false, &s, NULL), ERROR_INVAL);
    libxl_defbool_set(&cfg.b_info.dm_restrict, false);
    cfg.b_info.u.hvm.vnc.listen = strdup("1.2.3.4:5");
    cfg.b_info.u.hvm.vnc.display = 2;
    assert_int_equal(build(1, false, &s, NULL), ERROR_INVAL);
    cfg.b_info.u.hvm.vnc.display = 0;
    cfg.b_info.u.hvm.soundhw = strdup("bogus");
    assert_int_equal(build(1, false, &s, NULL), ERROR_INVAL);
    assert_null(s);
}

/* Makes cfg a PV (or PVH) domain "pvq" of 128 MiB with one disk. */
static void make_xenpv(libxl_domain_type type, libxl_disk_backend backend)
{
    libxl_domain_config_dispose(&cfg);
    libxl_domain_config_init(&cfg);
    libxl_domain_create_info_init(&cfg.c_info);
    cfg.c_info.type = type;
    cfg.c_info.name = strdup("pvq");
    libxl_domain_build_info_init(&cfg.b_info);
    libxl_domain_build_info_init_type(&cfg.b_info, type);
    cfg.b_info.max_vcpus = 1;
    cfg.b_info.max_memkb = cfg.b_info.target_memkb = 128 * 1024;
    cfg.b_info.video_memkb = 0;
    cfg.num_disks = 1;
    cfg.disks = calloc(1, sizeof(*cfg.disks));
    libxl_device_disk_init(&cfg.disks[0]);
    cfg.disks[0].vdev = strdup("xvda");
    cfg.disks[0].pdev_path = strdup("/scratch/q.img");
    cfg.disks[0].format = LIBXL_DISK_FORMAT_RAW;
    cfg.disks[0].readwrite = 1;
    cfg.disks[0].backend = backend;
}

/* The xenpv QEMU of a PV and a PVH domain: upstream 4.17's command line
 * (libxl__build_device_model_args_new for a non-HVM type, no vfb): no
 * emulation, attached to the domain, no display, the same QMP sockets
 * as a device model; only the console limit in the environment (no
 * XEN_DOMAIN_ID, which upstream sets for HVM only). */
#define XENPV_TAIL                                                      \
    "-xen-attach\n-name\npvq\n-vnc\nnone\n-display\nnone\n"              \
    "-nographic\n-machine\nxenpv\n-m\n128\n"
static void test_xenpv(void **state)
{
    char *env, *args;

    make_xenpv(LIBXL_DOMAIN_TYPE_PV, LIBXL_DISK_BACKEND_QDISK);
    expect_args(7, HEAD(7) XENPV_TAIL);
    assert_int_equal(build(7, false, &args, &env), 0);
    assert_string_equal(env, "XEN_QEMU_CONSOLE_LIMIT\n1048576\n");
    free(args);
    free(env);

    make_xenpv(LIBXL_DOMAIN_TYPE_PVH, LIBXL_DISK_BACKEND_QDISK);
    expect_args(12, HEAD(12) XENPV_TAIL);
    /* No device state to load into it. */
    assert_int_equal(build(12, true, &args, NULL), ERROR_INVAL);
    assert_null(args);
}

/* extra before -machine, extra_pv after it, extra_hvm not at all; a
 * framebuffer's VNC and keymap from the first vfb. */
static void test_xenpv_extra_vfb(void **state)
{
    make_xenpv(LIBXL_DOMAIN_TYPE_PV, LIBXL_DISK_BACKEND_QDISK);
    cfg.b_info.extra = calloc(2, sizeof(char *));
    cfg.b_info.extra[0] = strdup("-E");
    cfg.b_info.extra_pv = calloc(2, sizeof(char *));
    cfg.b_info.extra_pv[0] = strdup("-P");
    cfg.b_info.extra_hvm = calloc(2, sizeof(char *));
    cfg.b_info.extra_hvm[0] = strdup("-H");
    expect_args(3, HEAD(3)
                "-xen-attach\n-name\npvq\n-vnc\nnone\n-display\nnone\n"
                "-nographic\n-E\n-machine\nxenpv\n-P\n-m\n128\n");

    cfg.num_vfbs = 1;
    cfg.vfbs = calloc(1, sizeof(*cfg.vfbs));
    libxl_device_vfb_init(&cfg.vfbs[0]);
    libxl_defbool_set(&cfg.vfbs[0].vnc.enable, true);
    cfg.vfbs[0].vnc.display = 3;
    cfg.vfbs[0].keymap = strdup("de");
    expect_args(3, HEAD(3)
                "-xen-attach\n-name\npvq\n-vnc\n127.0.0.1:3,to=99\n"
                "-display\nnone\n-k\nde\n-E\n-machine\nxenpv\n-P\n"
                "-m\n128\n");
}

/* Which domains need a QEMU, as upstream's libxl__need_xenpv_qemu. */
static void test_need_xenpv_qemu(void **state)
{
    /* HVM: the device model, never a xenpv QEMU */
    assert_false(libxl__need_xenpv_qemu(&cfg));
    assert_true(libxl__dm_needed(&cfg));

    make_xenpv(LIBXL_DOMAIN_TYPE_PV, LIBXL_DISK_BACKEND_PHY);
    assert_false(libxl__need_xenpv_qemu(&cfg));
    assert_false(libxl__dm_needed(&cfg));
    cfg.disks[0].backend = LIBXL_DISK_BACKEND_QDISK;
    assert_true(libxl__need_xenpv_qemu(&cfg));
    assert_true(libxl__dm_needed(&cfg));
    /* served by another domain's QEMU: not ours to start */
    cfg.disks[0].backend_domid = 5;
    assert_false(libxl__need_xenpv_qemu(&cfg));

    make_xenpv(LIBXL_DOMAIN_TYPE_PVH, LIBXL_DISK_BACKEND_QDISK);
    assert_true(libxl__need_xenpv_qemu(&cfg));
    cfg.disks[0].backend = LIBXL_DISK_BACKEND_PHY;
    assert_false(libxl__need_xenpv_qemu(&cfg));

    /* a keyboard: QEMU's backend yes, Linux's (vkbd in dom0) no */
    cfg.num_vkbs = 1;
    cfg.vkbs = calloc(1, sizeof(*cfg.vkbs));
    libxl_device_vkb_init(&cfg.vkbs[0]);
    cfg.vkbs[0].backend_type = LIBXL_VKB_BACKEND_LINUX;
    assert_false(libxl__need_xenpv_qemu(&cfg));
    cfg.vkbs[0].backend_type = LIBXL_VKB_BACKEND_QEMU;
    assert_true(libxl__need_xenpv_qemu(&cfg));
    libxl_device_vkb_dispose(&cfg.vkbs[0]);
    cfg.num_vkbs = 0;

    /* a channel (xenconsoled serves console 0 only) */
    cfg.num_channels = 1;
    cfg.channels = calloc(1, sizeof(*cfg.channels));
    libxl_device_channel_init(&cfg.channels[0]);
    assert_true(libxl__need_xenpv_qemu(&cfg));
    libxl_device_channel_dispose(&cfg.channels[0]);
    cfg.num_channels = 0;

    /* a framebuffer, a 9pfs share */
    cfg.num_p9s = 1;
    cfg.p9s = calloc(1, sizeof(*cfg.p9s));
    libxl_device_p9_init(&cfg.p9s[0]);
    assert_true(libxl__need_xenpv_qemu(&cfg));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_measured_upstream),
        T(test_serial_pty_list_stdvga),
        T(test_serial_and_list_conflict),
        T(test_serial_file_appended_when_incoming),
        T(test_disks_and_cdrom),
        T(test_ahci),
        T(test_nics),
        T(test_override_incoming_platform),
        T(test_refused),
        T(test_xenpv),
        T(test_xenpv_extra_vfb),
        T(test_need_xenpv_qemu),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
