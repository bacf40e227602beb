/*
 * test-libxl-domain.c: the runtime of a domain on the fake hypervisor
 * and xenstore: list and info, names, pause/unpause, rename, shutdown
 * and reboot requests, triggers, destroy (what it removes, in which
 * order, and what it leaves alone).
 */
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "libxl_internal.h"
#include "libxl_domain.h"
#include "libxl_dm.h"
#include "fake-sys.h"

static libxl_ctx *ctx;
static char tmpdir[] = "/tmp/test-libxl-domain.XXXXXX";

/* A domain as create leaves it: dompath, name, vm, /libxl/N. */
static void add_domain(uint32_t domid, uint8_t seed, const char *name)
{
    char p[128], vm[64];

    fake_dom_add(domid, seed);
    snprintf(vm, sizeof(vm), "/vm/uuid-%u", domid);
    snprintf(p, sizeof(p), "/local/domain/%u/name", domid);
    fake_xs_set(p, name);
    snprintf(p, sizeof(p), "/local/domain/%u/vm", domid);
    fake_xs_set(p, vm);
    snprintf(p, sizeof(p), "%s/name", vm);
    fake_xs_set(p, name);
    snprintf(p, sizeof(p), "/local/domain/%u/control/shutdown", domid);
    fake_xs_set(p, "");
    snprintf(p, sizeof(p), "/libxl/%u/type", domid);
    fake_xs_set(p, "pvh");
}

static int setup(void **state)
{
    fake_reset();
    add_domain(0, 0x00, "Domain-0");
    ctx = fake_ctx(fake_log_level());
    if (!mkdtemp(tmpdir))
        return -1;
    libxl__tun.userdata_dir = tmpdir;
    libxl__tun.run_dir = tmpdir;
    libxl__tun.pvcontrol_timeout_ms = 200;
    return 0;
}

static int teardown(void **state)
{
    if (fake_teardown(&ctx, tmpdir, "/tmp/test-libxl-domain.XXXXXX"))
        return -1;
    return 0;
}

static void test_list_and_info(void **state)
{
    libxl_dominfo *list, info;
    struct fake_dom *d;
    int n;

    add_domain(7, 0x70, "seven");
    d = fake_dom_add(3, 0x30);
    d->flags = XEN_DOMINF_paused | XEN_DOMINF_hvm_guest;
    d->emulation_flags = XEN_X86_EMU_ALL;
    d->max_memkb = 262144;
    d->tot_pages = 1000;
    d->max_vcpus = 2;
    fake_dom_shutdown(7, SHUTDOWN_crash);

    list = libxl_list_domain(ctx, &n);
    assert_non_null(list);
    assert_int_equal(n, 3);
    assert_int_equal(list[0].domid, 0);
    assert_int_equal(list[1].domid, 3);
    assert_int_equal(list[2].domid, 7);
    assert_true(list[1].paused);
    assert_false(list[1].running);
    assert_int_equal(list[1].domain_type, LIBXL_DOMAIN_TYPE_HVM);
    assert_int_equal(list[1].max_memkb, 262144);
    assert_int_equal(list[1].current_memkb, 4000);
    assert_int_equal(list[1].vcpu_online, 2);
    assert_int_equal(list[1].vcpu_max_id, 1);
    assert_int_equal(libxl_uuid_bytearray(&list[1].uuid)[15], 0x30 + 15);
    assert_true(list[2].shutdown);
    assert_int_equal(list[2].shutdown_reason, LIBXL_SHUTDOWN_REASON_CRASH);
    assert_int_equal(list[0].shutdown_reason, LIBXL_SHUTDOWN_REASON_UNKNOWN);
    assert_int_equal(list[0].domain_type, LIBXL_DOMAIN_TYPE_PV);
    libxl_dominfo_list_free(list, n);

    assert_int_equal(libxl_domain_info(ctx, &info, 3), 0);
    assert_int_equal(info.domid, 3);
    assert_true(info.paused);
    libxl_dominfo_dispose(&info);
    /* getinfolist returns the next domain: 4 must not be taken for 7 */
    assert_int_equal(libxl_domain_info(ctx, &info, 4),
                     ERROR_DOMAIN_NOTFOUND);
    assert_int_equal(libxl_domain_info(ctx, NULL, 7), 0);
    fake.fail_op = "domain_getinfolist";
    assert_int_equal(libxl_domain_info(ctx, NULL, 7), ERROR_FAIL);
    assert_null(libxl_list_domain(ctx, &n));
    assert_int_equal(n, 0);
    fake.fail_op = NULL;
}

/* dominfo says HVM for PVH (as upstream); internally, /libxl/N/type or
 * what Xen emulates tells them apart. */
static void test_pvh_type(void **state)
{
    libxl_dominfo info;
    GC_INIT(ctx);

    fake_dom_add(4, 0x44);
    fake_dom_set_hvm(4, true, false);
    assert_int_equal(libxl_domain_info(ctx, &info, 4), 0);
    assert_int_equal(info.domain_type, LIBXL_DOMAIN_TYPE_HVM);
    libxl_dominfo_dispose(&info);
    assert_int_equal(libxl__domain_type(gc, 4), LIBXL_DOMAIN_TYPE_PVH);
    fake_dom_add(5, 0x55);
    fake_dom_set_hvm(5, false, false);
    assert_int_equal(libxl__domain_type(gc, 5), LIBXL_DOMAIN_TYPE_HVM);
    /* the recorded type wins */
    fake_xs_set("/libxl/5/type", "pvh");
    assert_int_equal(libxl__domain_type(gc, 5), LIBXL_DOMAIN_TYPE_PVH);
    fake_xs_set("/libxl/5/type", "junk");
    assert_int_equal(libxl__domain_type(gc, 5), LIBXL_DOMAIN_TYPE_HVM);
    assert_int_equal(libxl__domain_type(gc, 0), LIBXL_DOMAIN_TYPE_PV);
    assert_int_equal(libxl__domain_type(gc, 77), LIBXL_DOMAIN_TYPE_INVALID);
    GC_FREE;
}

static void test_names(void **state)
{
    uint32_t domid = 1234;
    char *name;

    add_domain(5, 0x50, "guest");
    assert_int_equal(libxl_name_to_domid(ctx, "guest", &domid), 0);
    assert_int_equal(domid, 5);
    assert_int_equal(libxl_name_to_domid(ctx, "nope", &domid), ERROR_INVAL);
    name = libxl_domid_to_name(ctx, 5);
    assert_string_equal(name, "guest");
    free(name);
    assert_null(libxl_domid_to_name(ctx, 6));
    assert_int_equal(libxl_domain_qualifier_to_domid(ctx, "17", &domid), 0);
    assert_int_equal(domid, 17);
    assert_int_equal(libxl_domain_qualifier_to_domid(ctx, "guest", &domid),
                     0);
    assert_int_equal(domid, 5);
    assert_int_equal(libxl_domain_qualifier_to_domid(ctx, "", &domid),
                     ERROR_INVAL);
}

/* "No domain of that name" (ERROR_INVAL) only when every listed domain's
 * name was read: a read that failed for another reason than ENOENT, or
 * a list that could not be had, is a failure (ERROR_FAIL). */
static void test_name_lookup_errors(void **state)
{
    uint32_t domid = 1234;

    add_domain(5, 0x50, "guest");
    fake.fail_op = "xs_read";
    assert_int_equal(libxl_name_to_domid(ctx, "guest", &domid), ERROR_FAIL);
    assert_int_equal(domid, 1234);
    assert_int_equal(libxl_domain_qualifier_to_domid(ctx, "guest", &domid),
                     ERROR_FAIL);
    fake.fail_op = "domain_getinfolist";
    assert_int_equal(libxl_name_to_domid(ctx, "guest", &domid), ERROR_FAIL);
    fake.fail_op = NULL;
    /* a domain without a name node is just not that name */
    fake_dom_add(6, 0x60);
    assert_int_equal(libxl_name_to_domid(ctx, "nope", &domid), ERROR_INVAL);
    assert_int_equal(libxl_name_to_domid(ctx, "guest", &domid), 0);
    assert_int_equal(domid, 5);
}

static void test_start_time_scheduler_core(void **state)
{
    add_domain(5, 0x50, "guest");
    fake_xs_set("/vm/uuid-5/start_time", "1764070000.42");
    assert_int_equal(libxl_vm_get_start_time(ctx, 5), 1764070000u);
    assert_int_equal(libxl_vm_get_start_time(ctx, 6), (uint32_t)-1);
    assert_int_equal(libxl_get_scheduler(ctx), LIBXL_SCHEDULER_CREDIT2);
    fake.fail_op = "sched_id";
    assert_int_equal(libxl_get_scheduler(ctx), ERROR_FAIL);
    fake.fail_op = NULL;
    assert_int_equal(libxl_domain_core_dump(ctx, 5, "/tmp/core.5", NULL), 0);
    assert_true(fake_log_index("domain_dumpcore 5 /tmp/core.5") >= 0);
    assert_int_equal(libxl_domain_core_dump(ctx, 5, "", NULL), ERROR_INVAL);
    assert_int_equal(libxl_domain_core_dump(ctx, 6, "/tmp/c", NULL),
                     ERROR_DOMAIN_NOTFOUND);
}

static void test_pause_unpause(void **state)
{
    add_domain(5, 0x50, "guest");
    assert_int_equal(libxl_domain_pause(ctx, 5, NULL), 0);
    assert_true(fake_dom_find(5)->flags & XEN_DOMINF_paused);
    assert_int_equal(libxl_domain_unpause(ctx, 5, NULL), 0);
    assert_false(fake_dom_find(5)->flags & XEN_DOMINF_paused);
    assert_int_equal(libxl_domain_pause(ctx, 9, NULL),
                     ERROR_DOMAIN_NOTFOUND);
    fake.fail_op = "domain_unpause";
    assert_int_equal(libxl_domain_unpause(ctx, 5, NULL), ERROR_FAIL);
    fake.fail_op = NULL;
}

static void test_rename(void **state)
{
    libxl_domain_config cfg, got;
    GC_INIT(ctx);

    add_domain(5, 0x50, "guest");
    add_domain(6, 0x60, "other");
    /* a stored configuration follows the rename */
    libxl_domain_config_init(&cfg);
    cfg.c_info.name = strdup("guest");
    assert_int_equal(libxl__domain_config_store(gc, 5, &cfg), 0);
    libxl_domain_config_dispose(&cfg);

    assert_int_equal(libxl_domain_rename(ctx, 5, "guest", "renamed"), 0);
    assert_string_equal(fake_xs_get("/local/domain/5/name"), "renamed");
    assert_string_equal(fake_xs_get("/vm/uuid-5/name"), "renamed");
    libxl_domain_config_init(&got);
    assert_int_equal(libxl__domain_config_retrieve(gc, 5, &got), 0);
    assert_string_equal(got.c_info.name, "renamed");
    libxl_domain_config_dispose(&got);

    /* wrong old name: nothing changes */
    assert_int_equal(libxl_domain_rename(ctx, 5, "guest", "x"),
                     ERROR_INVAL);
    assert_string_equal(fake_xs_get("/local/domain/5/name"), "renamed");
    /* another domain's name */
    assert_int_equal(libxl_domain_rename(ctx, 5, NULL, "other"),
                     ERROR_INVAL);
    assert_string_equal(fake_xs_get("/local/domain/5/name"), "renamed");
    /* its own name again, any old name */
    assert_int_equal(libxl_domain_rename(ctx, 5, NULL, "renamed"), 0);
    /* empty names are allowed, and not unique */
    assert_int_equal(libxl_domain_rename(ctx, 5, NULL, ""), 0);
    assert_int_equal(libxl_domain_rename(ctx, 6, NULL, ""), 0);
    assert_string_equal(fake_xs_get("/local/domain/6/name"), "");
    /* a conflicting transaction is retried */
    fake.txn_conflicts = 2;
    assert_int_equal(libxl_domain_rename(ctx, 6, "", "again"), 0);
    assert_int_equal(fake.txn_conflicts, 0);
    assert_string_equal(fake_xs_get("/local/domain/6/name"), "again");
    /* a failed write fails the rename */
    fake.fail_op = "xs_write";
    assert_int_equal(libxl_domain_rename(ctx, 6, NULL, "zzz"), ERROR_FAIL);
    fake.fail_op = NULL;
    assert_int_equal(libxl_domain_rename(ctx, 6, NULL, NULL), ERROR_INVAL);
    GC_FREE;
}

/* The guest empties control/shutdown when it takes the request. */
static char last_request[32];

static void guest_acks(const char *path, const char *value)
{
    if (strstr(path, "/control/shutdown") && *value) {
        snprintf(last_request, sizeof(last_request), "%s", value);
        fake_xs_set(path, "");
        fake_fire(path, false);
    }
}

static void test_shutdown_reboot(void **state)
{
    add_domain(5, 0x50, "pv");
    fake.on_write = guest_acks;
    assert_int_equal(libxl_domain_shutdown(ctx, 5, NULL), 0);
    assert_string_equal(last_request, "poweroff");
    assert_int_equal(libxl_domain_reboot(ctx, 5, NULL), 0);
    assert_string_equal(last_request, "reboot");

    /* PVH guests take it too */
    add_domain(6, 0x60, "pvh");
    fake_dom_set_hvm(6, true, false);
    assert_int_equal(libxl_domain_shutdown(ctx, 6, NULL), 0);

    /* HVM: only with PV drivers; no write at all without */
    add_domain(7, 0x70, "hvm");
    fake_dom_set_hvm(7, false, false);
    fake_xs_set("/libxl/7/type", "hvm");
    last_request[0] = '\0';
    assert_int_equal(libxl_domain_shutdown(ctx, 7, NULL), ERROR_NOPARAVIRT);
    assert_string_equal(last_request, "");
    assert_int_equal(fake_log_prefix("xs_write /local/domain/7/"), -1);
    /* ... and the ACPI power button is the fallback */
    assert_int_equal(libxl_send_trigger(ctx, 7, LIBXL_TRIGGER_POWER, 0,
                                        NULL), 0);
    assert_int_equal(fake_dom_find(7)->last_trigger,
                     XEN_DOMCTL_SENDTRIGGER_POWER);
    fake_dom_set_hvm(7, false, true);
    assert_int_equal(libxl_domain_reboot(ctx, 7, NULL), 0);
    assert_string_equal(last_request, "reboot");

    /* a guest that does not answer: bounded wait, ERROR_TIMEDOUT */
    fake.on_write = NULL;
    assert_int_equal(libxl_domain_shutdown(ctx, 5, NULL), ERROR_TIMEDOUT);
    assert_string_equal(fake_xs_get("/local/domain/5/control/shutdown"),
                        "poweroff");
    assert_int_equal(fake.n_watches, 0);
    /* no such domain */
    assert_int_equal(libxl_domain_shutdown(ctx, 42, NULL), ERROR_FAIL);
    assert_int_equal(libxl_send_trigger(ctx, 42, LIBXL_TRIGGER_NMI, 0,
                                        NULL),
                     ERROR_DOMAIN_NOTFOUND);
}

static bool file_exists(const char *path)
{
    struct stat st;

    return !stat(path, &st);
}

static void test_destroy(void **state)
{
    char ud[256], other_ud[256];
    int i_pause, i_destroy, i_rm_vm, i_rm_dom, i_rm_libxl;
    FILE *f;

    add_domain(5, 0x50, "victim");
    add_domain(6, 0x60, "bystander");
    fake_xs_set("/local/domain/5/device/vbd/51712/state", "4");
    /* userdata of 5 (any uuid) and of 6 */
    snprintf(ud, sizeof(ud), "%s/userdata-d.5.some-uuid.xl", tmpdir);
    snprintf(other_ud, sizeof(other_ud), "%s/userdata-d.6.uuid.xl", tmpdir);
    f = fopen(ud, "w");
    fclose(f);
    f = fopen(other_ud, "w");
    fclose(f);

    assert_int_equal(libxl_domain_destroy(ctx, 5, NULL), 0);
    assert_null(fake_dom_find(5));
    assert_int_equal(fake_xs_count("/local/domain/5"), 0);
    assert_int_equal(fake_xs_count("/vm/uuid-5"), 0);
    assert_int_equal(fake_xs_count("/libxl/5"), 0);
    assert_false(file_exists(ud));
    /* the other domain is untouched */
    assert_non_null(fake_dom_find(6));
    assert_string_equal(fake_xs_get("/local/domain/6/name"), "bystander");
    assert_string_equal(fake_xs_get("/vm/uuid-6/name"), "bystander");
    assert_non_null(fake_xs_get("/libxl/6/type"));
    assert_true(file_exists(other_ud));

    /* order: pause, destroy in Xen, then the store */
    i_pause = fake_log_index("domain_pause 5");
    i_destroy = fake_log_index("domain_destroy 5");
    i_rm_vm = fake_log_index("xs_rm /vm/uuid-5");
    i_rm_dom = fake_log_index("xs_rm /local/domain/5");
    i_rm_libxl = fake_log_index("xs_rm /libxl/5");
    assert_true(i_pause >= 0 && i_destroy > i_pause);
    assert_true(i_rm_vm > i_destroy && i_rm_dom > i_destroy &&
                i_rm_libxl > i_destroy);

    /* again: gone, nothing left, an error that says so */
    assert_int_equal(libxl_domain_destroy(ctx, 5, NULL),
                     ERROR_DOMAIN_NOTFOUND);
    /* ... and no lock file either (nor for other calls on a domain
     * that does not exist) */
    assert_int_equal(libxl_domain_destroy(ctx, 99, NULL),
                     ERROR_DOMAIN_NOTFOUND);
    assert_int_equal(libxl_domain_pause(ctx, 98, NULL),
                     ERROR_DOMAIN_NOTFOUND);
    {
        char pattern[256];
        glob_t g;
        snprintf(pattern, sizeof(pattern), "%s/userdata-l.*", tmpdir);
        assert_int_equal(glob(pattern, 0, NULL, &g), GLOB_NOMATCH);
        globfree(&g);
    }
    /* dom0 is refused */
    assert_int_equal(libxl_domain_destroy(ctx, 0, NULL), ERROR_INVAL);
    assert_non_null(fake_dom_find(0));
}

/* Leftovers of a domain that is gone from Xen are removed. */
static void test_destroy_leftovers(void **state)
{
    add_domain(8, 0x80, "ghost");
    fake_dom_remove(8);
    assert_int_equal(libxl_domain_destroy(ctx, 8, NULL),
                     ERROR_DOMAIN_NOTFOUND);
    assert_int_equal(fake_xs_count("/local/domain/8"), 0);
    assert_int_equal(fake_xs_count("/vm/uuid-8"), 0);
    assert_int_equal(fake_xs_count("/libxl/8"), 0);
    assert_int_equal(fake_log_index("domain_destroy 8"), -1);
}

/* A failing step does not stop the others; the first error is kept. */
static void test_destroy_failing_step(void **state)
{
    add_domain(9, 0x90, "stubborn");
    fake.fail_op = "domain_destroy";
    assert_int_equal(libxl_domain_destroy(ctx, 9, NULL), ERROR_FAIL);
    fake.fail_op = NULL;
    assert_int_equal(fake_xs_count("/local/domain/9"), 0);
    assert_int_equal(fake_xs_count("/libxl/9"), 0);
    assert_non_null(fake_dom_find(9));
    /* a second try finishes the job */
    assert_int_equal(libxl_domain_destroy(ctx, 9, NULL), 0);
    assert_null(fake_dom_find(9));
}

/* Destroy asynchronously: the death event and the completion. */
static int done_rc = 1;

static void done(libxl_ctx *c, int rc, void *arg)
{
    done_rc = rc;
}

static void test_destroy_async_death(void **state)
{
    libxl_asyncop_how how = { .callback = done };
    libxl_evgen_domain_death *eg;
    libxl_event *ev;

    add_domain(10, 0xa0, "async");
    assert_int_equal(libxl_evenable_domain_death(ctx, 10, 0, &eg), 0);
    assert_int_equal(libxl_domain_destroy(ctx, 10, &how), 0);
    assert_int_equal(done_rc, 1);
    assert_int_equal(libxl_event_check(ctx, &ev, LIBXL_EVENTMASK_ALL, NULL,
                                       NULL), 0);
    assert_int_equal(ev->type, LIBXL_EVENT_TYPE_DOMAIN_DEATH);
    assert_int_equal(ev->domid, 10);
    libxl_event_free(ctx, ev);
    assert_int_equal(done_rc, 0);
    libxl_evdisable_domain_death(ctx, eg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_list_and_info, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pvh_type, setup, teardown),
        cmocka_unit_test_setup_teardown(test_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_name_lookup_errors, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_start_time_scheduler_core, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pause_unpause, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rename, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shutdown_reboot, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_destroy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_destroy_leftovers, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_destroy_failing_step, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_destroy_async_death, setup,
                                        teardown),
    };
    return cmocka_run_group_tests_name("libxl-domain", tests, NULL, NULL);
}
