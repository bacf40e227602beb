/*
 * test-libxl-retrieve.c: libxl_retrieve_domain_configuration lays what
 * is live over the stored configuration, as upstream's does: name,
 * uuid, vCPUs present, memory target (with upstream's fudge) and
 * maximum, scheduling parameters, and only the disks and NICs xenstore
 * still has.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libxl_internal.h"
#include "libxl_domain.h"
#include "libxl_dm.h"
#include "fake-sys.h"

static libxl_ctx *ctx;
static char tmpdir[] = "/tmp/test-libxl-retrieve.XXXXXX";

#define DP "/local/domain/5"

static int setup(void **state)
{
    fake_reset();
    fake_host_reset();
    fake_dom_add(0, 0x00);
    fake_dom_add(5, 0x01);      /* uuid 01020304-0506-0708-090a-0b0c... */
    fake_xs_set(DP "/name", "live-name");
    fake_xs_set(DP "/memory/target", "40000");
    fake_xs_set(DP "/memory/static-max", "70000");
    fake_xs_set(DP "/cpu/0/availability", "online");
    fake_xs_set(DP "/cpu/1/availability", "offline");
    fake_xs_set(DP "/cpu/2/availability", "online");
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
    strcpy(tmpdir, "/tmp/test-libxl-retrieve.XXXXXX");
    return 0;
}

/* A stored PV configuration: 3 vCPUs of which only 0 was available,
 * two disks and two NICs, stale memory and scheduling values. */
static void store(libxl_domain_type type)
{
    libxl_domain_config c;
    GC_INIT(ctx);

    libxl_domain_config_init(&c);
    c.c_info.type = type;
    c.c_info.name = strdup("stored-name");
    libxl_uuid_generate(&c.c_info.uuid);
    libxl_domain_build_info_init_type(&c.b_info, type);
    c.b_info.max_vcpus = 3;
    assert_int_equal(libxl_bitmap_alloc(ctx, &c.b_info.avail_vcpus, 3), 0);
    libxl_bitmap_set(&c.b_info.avail_vcpus, 0);
    c.b_info.max_memkb = 65536;
    c.b_info.target_memkb = 32768;
    c.b_info.video_memkb = 0;
    c.b_info.sched_params.sched = LIBXL_SCHEDULER_CREDIT;
    c.b_info.sched_params.weight = 999;

    c.num_disks = 2;
    c.disks = calloc(2, sizeof(*c.disks));
    for (int i = 0; i < 2; i++) {
        libxl_device_disk_init(&c.disks[i]);
        c.disks[i].vdev = strdup(i ? "xvdb" : "xvda");
        c.disks[i].pdev_path = strdup(i ? "/b.img" : "/a.img");
        c.disks[i].format = LIBXL_DISK_FORMAT_RAW;
        c.disks[i].readwrite = 1;
    }
    c.num_nics = 2;
    c.nics = calloc(2, sizeof(*c.nics));
    for (int i = 0; i < 2; i++) {
        libxl_device_nic_init(&c.nics[i]);
        c.nics[i].devid = i;
        c.nics[i].bridge = strdup(i ? "br1" : "br0");
    }
    assert_int_equal(libxl__domain_config_store(gc, 5, &c), 0);
    libxl_domain_config_dispose(&c);
    GC_FREE;
}

/* libxl's own record of a device (what libxl_device_*_list read). */
static void live_disk(int devid, const char *vdev, const char *params,
                      bool removable)
{
    char p[128];

    snprintf(p, sizeof(p), "/libxl/5/device/vbd/%d/dev", devid);
    fake_xs_set(p, vdev);
    snprintf(p, sizeof(p), "/libxl/5/device/vbd/%d/params", devid);
    fake_xs_set(p, params);
    snprintf(p, sizeof(p), "/libxl/5/device/vbd/%d/type", devid);
    fake_xs_set(p, "phy");
    snprintf(p, sizeof(p), "/libxl/5/device/vbd/%d/removable", devid);
    fake_xs_set(p, removable ? "1" : "0");
}

static void live_nic(int devid)
{
    char p[128];

    snprintf(p, sizeof(p), "/libxl/5/device/vif/%d/bridge", devid);
    fake_xs_set(p, "br-live");
}

static void test_live_values(void **state)
{
    libxl_domain_config got;
    libxl_uuid want_uuid;

    store(LIBXL_DOMAIN_TYPE_PV);
    /* only xvdb and NIC 1 are still there */
    live_disk(51728, "xvdb", "/b.img", false);
    live_nic(1);
    fake_host.weight = 300;
    fake_host.cap = 10;

    libxl_domain_config_init(&got);
    assert_int_equal(libxl_retrieve_domain_configuration(ctx, 5, &got,
                                                         NULL), 0);
    assert_string_equal(got.c_info.name, "live-name");
    for (int i = 0; i < 16; i++)
        libxl_uuid_bytearray(&want_uuid)[i] = (uint8_t)(1 + i);
    assert_true(libxl_uuid_compare(&got.c_info.uuid, &want_uuid) == 0);

    /* vCPUs: xenstore's availability, sized by max_vcpus */
    assert_int_equal(got.b_info.avail_vcpus.size, 1);
    assert_true(libxl_bitmap_test(&got.b_info.avail_vcpus, 0));
    assert_false(libxl_bitmap_test(&got.b_info.avail_vcpus, 1));
    assert_true(libxl_bitmap_test(&got.b_info.avail_vcpus, 2));

    /* memory: xenstore's (PV: no fudge) */
    assert_int_equal(got.b_info.target_memkb, 40000);
    assert_int_equal(got.b_info.max_memkb, 70000);

    /* scheduling: what the domain's pool scheduler says */
    assert_int_equal(got.b_info.sched_params.sched, LIBXL_SCHEDULER_CREDIT2);
    assert_int_equal(got.b_info.sched_params.weight, 300);
    assert_int_equal(got.b_info.sched_params.cap, 10);

    /* devices: the stored entries xenstore still has, stored values */
    assert_int_equal(got.num_disks, 1);
    assert_string_equal(got.disks[0].vdev, "xvdb");
    assert_string_equal(got.disks[0].pdev_path, "/b.img");
    assert_int_equal(got.num_nics, 1);
    assert_int_equal(got.nics[0].devid, 1);
    assert_string_equal(got.nics[0].bridge, "br1");
    libxl_domain_config_dispose(&got);
}

static void test_no_devices_left(void **state)
{
    libxl_domain_config got;

    store(LIBXL_DOMAIN_TYPE_PVH);
    libxl_domain_config_init(&got);
    assert_int_equal(libxl_retrieve_domain_configuration(ctx, 5, &got,
                                                         NULL), 0);
    assert_int_equal(got.num_disks, 0);
    assert_int_equal(got.num_nics, 0);
    libxl_domain_config_dispose(&got);
}

static void test_empty_cdrom(void **state)
{
    libxl_domain_config got;

    store(LIBXL_DOMAIN_TYPE_PV);
    live_disk(51712, "xvda", "", true);     /* ejected */
    live_disk(51728, "xvdb", "/b.img", false);
    libxl_domain_config_init(&got);
    assert_int_equal(libxl_retrieve_domain_configuration(ctx, 5, &got,
                                                         NULL), 0);
    assert_int_equal(got.num_disks, 2);
    assert_string_equal(got.disks[0].pdev_path, "");
    assert_int_equal(got.disks[0].format, LIBXL_DISK_FORMAT_EMPTY);
    assert_string_equal(got.disks[1].pdev_path, "/b.img");
    libxl_domain_config_dispose(&got);
}

/* HVM: the target in xenstore includes video memory and, when maxmem >
 * memory, LIBXL_MAXMEM_CONSTANT of slack: upstream adds the stored
 * fudge back. The vCPUs of a QEMU-traditional domain come from
 * xenstore too. */
static void test_hvm_fudge(void **state)
{
    libxl_domain_config c, got;
    GC_INIT(ctx);

    libxl_domain_config_init(&c);
    c.c_info.type = LIBXL_DOMAIN_TYPE_HVM;
    c.c_info.name = strdup("h");
    libxl_domain_build_info_init_type(&c.b_info, LIBXL_DOMAIN_TYPE_HVM);
    c.b_info.max_vcpus = 1;
    c.b_info.max_memkb = 98304;
    c.b_info.target_memkb = 65536;
    c.b_info.video_memkb = 8192;
    assert_int_equal(libxl__domain_config_store(gc, 5, &c), 0);
    libxl_domain_config_dispose(&c);
    fake_xs_set("/libxl/5/dm-version", "qemu_xen_traditional");

    libxl_domain_config_init(&got);
    assert_int_equal(libxl_retrieve_domain_configuration(ctx, 5, &got,
                                                         NULL), 0);
    assert_int_equal(got.b_info.target_memkb, 40000 + 8192 + 1024);
    assert_int_equal(got.b_info.max_memkb, 70000);
    assert_true(libxl_bitmap_test(&got.b_info.avail_vcpus, 0));
    libxl_domain_config_dispose(&got);

    /* upstream's QEMU: asked over QMP; no QEMU here is an error */
    fake_xs_set("/libxl/5/dm-version", "qemu_xen");
    libxl__tun.qmp_timeout_ms = 200;
    libxl_domain_config_init(&got);
    assert_int_not_equal(libxl_retrieve_domain_configuration(ctx, 5, &got,
                                                             NULL), 0);
    libxl_domain_config_dispose(&got);
    GC_FREE;
}

/* dom0 as xen-init-dom0 leaves it: the "default" video_memkb (all ones)
 * wraps the target one below xenstore's value, as upstream prints it. */
static void test_dom0_and_errors(void **state)
{
    libxl_domain_config c, got;
    GC_INIT(ctx);

    fake_xs_set("/local/domain/0/name", "Domain-0");
    fake_xs_set("/local/domain/0/memory/target", "2097152");
    fake_xs_set("/local/domain/0/memory/static-max", "2097152");
    libxl_domain_config_init(&c);
    c.c_info.type = LIBXL_DOMAIN_TYPE_PV;
    c.c_info.name = strdup("Domain-0");
    libxl_domain_build_info_init_type(&c.b_info, LIBXL_DOMAIN_TYPE_PV);
    assert_int_equal(libxl__domain_config_store(gc, 0, &c), 0);
    libxl_domain_config_dispose(&c);

    libxl_domain_config_init(&got);
    assert_int_equal(libxl_retrieve_domain_configuration(ctx, 0, &got,
                                                         NULL), 0);
    assert_int_equal(got.b_info.target_memkb, 2097151);
    assert_int_equal(got.b_info.max_memkb, 2097152);
    assert_int_equal(got.b_info.avail_vcpus.size, 0);
    assert_int_equal(got.b_info.sched_params.weight, 256);
    libxl_domain_config_dispose(&got);

    /* a domU without memory nodes: an error naming them */
    store(LIBXL_DOMAIN_TYPE_PV);
    fake_node_rm(DP "/memory/static-max");
    libxl_domain_config_init(&got);
    assert_int_equal(libxl_retrieve_domain_configuration(ctx, 5, &got,
                                                         NULL),
                     ERROR_NOTFOUND);
    libxl_domain_config_dispose(&got);
    fake_xs_set(DP "/memory/static-max", "lots");
    libxl_domain_config_init(&got);
    assert_int_equal(libxl_retrieve_domain_configuration(ctx, 5, &got,
                                                         NULL), ERROR_FAIL);
    libxl_domain_config_dispose(&got);
    fake_xs_set(DP "/memory/static-max", "70000");

    /* the scheduler cannot be asked: an error, nothing leaks */
    fake.fail_op = "sched_credit2_domain_get";
    libxl_domain_config_init(&got);
    assert_int_equal(libxl_retrieve_domain_configuration(ctx, 5, &got,
                                                         NULL), ERROR_FAIL);
    libxl_domain_config_dispose(&got);
    fake.fail_op = NULL;

    /* no name in xenstore */
    fake_node_rm(DP "/name");
    libxl_domain_config_init(&got);
    assert_int_not_equal(libxl_retrieve_domain_configuration(ctx, 5, &got,
                                                             NULL), 0);
    libxl_domain_config_dispose(&got);
    GC_FREE;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_live_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_devices_left, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_empty_cdrom, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hvm_fudge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dom0_and_errors, setup,
                                        teardown),
    };
    return cmocka_run_group_tests_name("libxl-retrieve", tests, NULL, NULL);
}
