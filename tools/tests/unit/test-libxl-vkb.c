/*
 * test-libxl-vkb.c: virtual keyboards on the fake xenstore (the nodes
 * and permissions of an HVM guest's default one, served by QEMU, as
 * upstream 4.17 writes them; configured ones with options and the
 * kernel's vinput backend), and the teardown that destroy does: a QEMU
 * backend is not waited for once QEMU is gone, and dom0's backend/
 * directories go when they are left empty, not before.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "libxl_internal.h"
#include "libxl_device.h"
#include "fake-sys.h"

#define DOMID 5
#define BE "/local/domain/0/backend"
#define FE "/local/domain/5/device"
#define REC "/libxl/5/device"

static libxl_ctx *ctx;

/* The dom0 kernel's vinput backend: answers InitWait and Closed. */
static void vinput_hook(const char *path, const char *value)
{
    static const char pre[] = BE "/vinput/";
    size_t l = strlen(path);

    if (strncmp(path, pre, strlen(pre)) || l < 6 ||
        strcmp(path + l - 6, "/state"))
        return;
    if (!strcmp(value, "1")) {
        fake_xs_set(path, "2");
        fake_fire(path, false);
    } else if (!strcmp(value, "5")) {
        fake_xs_set(path, "6");
        fake_fire(path, false);
    }
}

static int setup(void **state)
{
    fake_reset();
    fake_dom_add(0, 0x00);
    fake_dom_add(DOMID, 0x10);
    fake_xs_set("/local/domain/0/name", "Domain-0");
    fake_xs_set("/local/domain/5/name", "guest");
    fake_xs_set("/libxl/5/type", "hvm");
    ctx = fake_ctx(fake_log_level());
    fake.on_write = vinput_hook;
    libxl__tun.device_init_timeout_ms = 300;
    /* Long: a test that waited for a QEMU backend would show it. */
    libxl__tun.device_destroy_timeout_ms = 3000;
    return 0;
}

static int teardown(void **state)
{
    fake_ctx_free(ctx);
    ctx = NULL;
    fake_reset();
    return 0;
}

static void assert_node(const char *path, const char *value)
{
    const char *v = fake_xs_get(path);

    if (!v)
        fail_msg("%s: absent (expected \"%s\")", path, value);
    if (strcmp(v, value))
        fail_msg("%s = \"%s\" (expected \"%s\")", path, v, value);
}

static void assert_owner(const char *path, unsigned int owner)
{
    struct fake_node *n = fake_node_find(path);

    if (!n)
        fail_msg("%s: absent", path);
    assert_int_equal(n->owner, owner);
}

static void hvm_config(libxl_domain_config *c, bool vkb)
{
    libxl_domain_config_init(c);
    c->c_info.type = LIBXL_DOMAIN_TYPE_HVM;
    libxl_domain_build_info_init_type(&c->b_info, LIBXL_DOMAIN_TYPE_HVM);
    libxl_defbool_set(&c->b_info.u.hvm.vkb_device, vkb);
}

static void test_hvm_default_vkb(void **state)
{
    GC_INIT(ctx);
    libxl_domain_config c;

    hvm_config(&c, true);
    assert_int_equal(libxl__devices_add(gc, DOMID, &c), 0);
    /* The frontend: the guest's, dom0 may read */
    assert_node(FE "/vkbd/0/backend", BE "/vkbd/5/0");
    assert_node(FE "/vkbd/0/backend-id", "0");
    assert_node(FE "/vkbd/0/state", "1");
    assert_owner(FE "/vkbd/0", DOMID);
    assert_owner(FE "/vkbd/0/state", DOMID);
    assert_int_equal(fake_xs_count(FE "/vkbd/0"), 4);
    /* The backend: dom0's, for QEMU; no feature the config did not
     * ask for */
    assert_node(BE "/vkbd/5/0/frontend", FE "/vkbd/0");
    assert_node(BE "/vkbd/5/0/frontend-id", "5");
    assert_node(BE "/vkbd/5/0/online", "1");
    assert_node(BE "/vkbd/5/0/state", "1");
    assert_owner(BE "/vkbd/5/0", 0);
    assert_int_equal(fake_xs_count(BE "/vkbd/5/0"), 5);
    /* libxl's record */
    assert_node(REC "/vkbd/0/frontend", FE "/vkbd/0");
    assert_node(REC "/vkbd/0/backend", BE "/vkbd/5/0");
    assert_node(REC "/vkbd/0/frontend-id", "5");
    assert_node(REC "/vkbd/0/state", "1");
    /* QEMU connects it when it starts: nothing waited for */
    assert_int_equal(fake_log_prefix("xs_watch"), -1);
    libxl_domain_config_dispose(&c);
    GC_FREE;
}

static void test_no_vkb(void **state)
{
    GC_INIT(ctx);
    libxl_domain_config c;

    /* vkb_device=0 */
    hvm_config(&c, false);
    assert_int_equal(libxl__devices_add(gc, DOMID, &c), 0);
    assert_null(fake_xs_get(FE "/vkbd"));
    assert_null(fake_xs_get(BE));
    libxl_domain_config_dispose(&c);

    /* PV and PVH guests get none by default */
    libxl_domain_config_init(&c);
    c.c_info.type = LIBXL_DOMAIN_TYPE_PVH;
    libxl_domain_build_info_init_type(&c.b_info, LIBXL_DOMAIN_TYPE_PVH);
    assert_int_equal(libxl__devices_add(gc, DOMID, &c), 0);
    assert_null(fake_xs_get(BE));
    libxl_domain_config_dispose(&c);
    GC_FREE;
}

static void test_configured_vkbs(void **state)
{
    GC_INIT(ctx);
    libxl_domain_config c;

    hvm_config(&c, true);
    c.num_vkbs = 2;
    c.vkbs = calloc(2, sizeof(*c.vkbs));
    libxl_device_vkb_init(&c.vkbs[0]);
    c.vkbs[0].unique_id = strdup("kbd-1");
    c.vkbs[0].feature_abs_pointer = true;
    c.vkbs[0].width = 800;
    c.vkbs[0].height = 600;
    libxl_device_vkb_init(&c.vkbs[1]);
    c.vkbs[1].backend_type = LIBXL_VKB_BACKEND_LINUX;
    c.vkbs[1].feature_multi_touch = true;
    c.vkbs[1].multi_touch_num_contacts = 4;

    assert_int_equal(libxl__devices_add(gc, DOMID, &c), 0);
    /* After the default one (devid 0): 1 and 2, defaults filled in */
    assert_int_equal(c.vkbs[0].devid, 1);
    assert_int_equal(c.vkbs[0].backend_type, LIBXL_VKB_BACKEND_QEMU);
    assert_int_equal(c.vkbs[1].devid, 2);
    assert_node(BE "/vkbd/5/1/unique-id", "kbd-1");
    assert_node(BE "/vkbd/5/1/feature-abs-pointer", "1");
    assert_node(BE "/vkbd/5/1/width", "800");
    assert_node(BE "/vkbd/5/1/height", "600");
    assert_null(fake_xs_get(BE "/vkbd/5/1/feature-raw-pointer"));
    /* The kernel's backend: vinput, waited for (it answered) */
    assert_node(FE "/vkbd/2/backend", BE "/vinput/5/2");
    assert_node(BE "/vinput/5/2/feature-multi-touch", "1");
    assert_node(BE "/vinput/5/2/multi-touch-num-contacts", "4");
    assert_node(BE "/vinput/5/2/multi-touch-width", "0");
    assert_node(BE "/vinput/5/2/state", "2");

    /* Teardown: everything, dom0's backend/ too (nothing else there) */
    assert_int_equal(libxl__devices_destroy(gc, DOMID), 0);
    assert_int_equal(fake_xs_count(FE), 0);
    assert_int_equal(fake_xs_count(REC), 0);
    assert_null(fake_xs_get(BE));
    libxl_domain_config_dispose(&c);
    GC_FREE;
}

static void test_bad_vkb(void **state)
{
    GC_INIT(ctx);
    libxl_domain_config c;

    hvm_config(&c, false);
    c.num_vkbs = 1;
    c.vkbs = calloc(1, sizeof(*c.vkbs));
    libxl_device_vkb_init(&c.vkbs[0]);
    c.vkbs[0].backend_domname = strdup("driverdom");
    assert_int_equal(libxl__devices_add(gc, DOMID, &c), ERROR_INVAL);
    assert_null(fake_xs_get(BE));
    free(c.vkbs[0].backend_domname);
    c.vkbs[0].backend_domname = NULL;
    c.vkbs[0].backend_type = 7;
    assert_int_equal(libxl__devices_add(gc, DOMID, &c), ERROR_INVAL);
    assert_null(fake_xs_get(BE));
    libxl_domain_config_dispose(&c);
    GC_FREE;
}

/* Destroy (the guest paused, QEMU stopped first): the QEMU backend
 * (InitWait or Connected, never Closed now) is not waited for; the
 * nodes go, and the empty parents up to dom0's backend/.  While the
 * guest runs, a forced removal still gives QEMU its chance to close. */
static void test_destroy_qemu_backend(void **state)
{
    GC_INIT(ctx);
    libxl_domain_config c;
    libxl__device dev = { .backend_domid = 0, .domid = DOMID, .devid = 0,
                          .kind = "vkbd", .backend_kind = "vkbd" };
    double t0;

    hvm_config(&c, true);
    assert_int_equal(libxl__devices_add(gc, DOMID, &c), 0);
    fake_xs_set(BE "/vkbd/5/0/state", "4");         /* QEMU connected it */
    fake_xs_set(BE "/vkbd/5/0/hotplug-status", "connected");

    /* running: waited for (until the timeout, nobody answers) */
    libxl__tun.device_destroy_timeout_ms = 200;
    t0 = fake_now();
    assert_int_equal(libxl__device_remove(gc, &dev, true), 0);
    assert_true(fake_now() - t0 >= 0.2);
    assert_null(fake_xs_get(BE));

    /* paused: not waited for */
    assert_int_equal(libxl__devices_add(gc, DOMID, &c), 0);
    fake_xs_set(BE "/vkbd/5/0/state", "4");
    fake_dom_find(DOMID)->flags |= XEN_DOMINF_paused;
    libxl__tun.device_destroy_timeout_ms = 3000;
    t0 = fake_now();
    assert_int_equal(libxl__devices_destroy(gc, DOMID), 0);
    assert_true(fake_now() - t0 < 1.0);
    assert_int_equal(fake_xs_count(FE), 0);
    assert_int_equal(fake_xs_count(REC), 0);
    assert_null(fake_xs_get(BE));
    assert_node("/local/domain/0/name", "Domain-0");
    libxl_domain_config_dispose(&c);
    GC_FREE;
}

/* Another domain's device keeps the shared parents. */
static void test_destroy_keeps_shared(void **state)
{
    GC_INIT(ctx);
    libxl_domain_config c;

    fake_dom_add(6, 0x10);
    fake_xs_set(BE "/vkbd/6/0/state", "4");
    fake_xs_set("/libxl/6/device/vkbd/0/backend", BE "/vkbd/6/0");
    fake_xs_set(BE "/console/6/0/state", "1");
    fake_xs_set("/libxl/6/device/console/0/backend", BE "/console/6/0");
    hvm_config(&c, true);
    assert_int_equal(libxl__devices_add(gc, DOMID, &c), 0);
    assert_int_equal(libxl__devices_destroy(gc, DOMID), 0);
    assert_null(fake_xs_get(BE "/vkbd/5"));
    assert_node(BE "/vkbd/6/0/state", "4");
    assert_node(BE "/console/6/0/state", "1");
    libxl_domain_config_dispose(&c);

    /* ... and the last one takes them away */
    assert_int_equal(libxl__devices_destroy(gc, 6), 0);
    assert_null(fake_xs_get(BE));
    GC_FREE;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_hvm_default_vkb),
        T(test_no_vkb),
        T(test_configured_vkbs),
        T(test_bad_vkb),
        T(test_destroy_qemu_backend),
        T(test_destroy_keeps_shared),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
