/*
 * test-libxl-soft-reset.c: libxl_domain_soft_reset's sequence against the
 * fake hypervisor and xenstore (fake-sys.h): the order of its steps, what
 * the domain keeps, what is rebuilt, the refusals, and a failure injected
 * at every step, which must keep the domain (paused once the sequence has
 * paused it, listed by name) and leave libxl_domain_destroy able to
 * remove everything; the record of a domain's resets.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "libxl_internal.h"
#include "libxl_sys.h"
#include "libxl_domain.h"
#include "libxl_dm.h"
#include "libxl_create.h"
#include "fake-sys.h"

static libxl_ctx *ctx;
static char tmpdir[] = "/tmp/test-libxl-soft-reset.XXXXXX";
static libxl__sys_ops ops;
static libxl__create_xc_ops xc_ops;
static int ptys;

/* xenconsoled: gives a new pty when the console's tty node is made
 * empty (it keeps an old one across a soft reset). */
static bool consoled_xs_write(libxl_ctx *c, xs_transaction_t t,
                              const char *path, const void *data,
                              unsigned int len)
{
    static const char tty[] = "/console/tty";
    size_t l = strlen(path);

    if (l > strlen(tty) && !strcmp(path + l - strlen(tty), tty) && !len) {
        char pty[32];
        int n = snprintf(pty, sizeof(pty), "/dev/pts/%d", ++ptys);
        return fake_ops.xs_write(c, t, path, pty, (unsigned int)n);
    }
    return fake_ops.xs_write(c, t, path, data, len);
}

/* Xen resets the domain and lets its vCPUs go (only the pauses of the
 * toolstack hold it then). */
static int reset_domain(libxl_ctx *c, uint32_t domid)
{
    struct fake_dom *d = fake_dom_find(domid);

    fake_log("domain_soft_reset %u", domid);
    if (!d || !(d->flags & XEN_DOMINF_shutdown)) {
        errno = d ? EINVAL : ESRCH;
        return -1;
    }
    fake_dom_resume(domid);
    return 0;
}

/* HVM params as Xen keeps them (one guest at a time here). */
static uint64_t params[HVM_NR_PARAMS];

static int param_set(libxl_ctx *c, uint32_t domid, uint32_t param,
                     uint64_t value)
{
    if (param < HVM_NR_PARAMS)
        params[param] = value;
    return fake_ops.hvm_param_set(c, domid, param, value);
}

static int param_get(libxl_ctx *c, uint32_t domid, uint32_t param,
                     uint64_t *value)
{
    int rc = fake_ops.hvm_param_get(c, domid, param, value);

    if (!rc && param < HVM_NR_PARAMS && param != HVM_PARAM_CALLBACK_IRQ)
        *value = params[param];
    return rc;
}

static int fake_physinfo(libxl__gc *gc, xc_physinfo_t *info)
{
    memset(info, 0, sizeof(*info));
    info->capabilities = XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_pv |
                         XEN_SYSCTL_PHYSCAP_hap | XEN_SYSCTL_PHYSCAP_shadow |
                         XEN_SYSCTL_PHYSCAP_gnttab_v1;
    return 0;
}

static int fake_arch_setup(libxl__gc *gc, libxl__create_state *cs)
{
    return 0;
}

static int fake_build(libxl__gc *gc, libxl__create_state *cs)
{
    fake_log("build %u", cs->domid);
    fake_dom_set_hvm(cs->domid, true, false);
    SYS->hvm_param_set(CTX, cs->domid, HVM_PARAM_STORE_PFN, 0xfeffc);
    SYS->hvm_param_set(CTX, cs->domid, HVM_PARAM_CONSOLE_PFN, 0xfefff);
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
    fake_log("dm_spawn %u %s", domid, restore_file ? restore_file : "-");
    return 0;
}

static char trace_buf[4096];

/* Forgets what the fake logged so far. */
static void log_clear(void)
{
    for (int i = 0; i < fake.n_log; i++)
        free(fake.log[i]);
    fake.n_log = 0;
}

static void trace(const char *what, const char *step)
{
    size_t l = strlen(trace_buf);

    snprintf(trace_buf + l, sizeof(trace_buf) - l, "%s%s %s",
             l ? "," : "", what, step);
}

static int setup(void **state)
{
    (void)fake_ctx;
    fake_reset();
    fake_dom_add(0, 0);
    fake_xs_set("/local/domain/0/name", "Domain-0");
    fake_xs_set("/vm", "");
    fake_xs_set("/libxl", "");
    ops = fake_ops;
    ops.xs_write = consoled_xs_write;
    ops.domain_soft_reset = reset_domain;
    ops.hvm_param_set = param_set;
    ops.hvm_param_get = param_get;
    memset(params, 0, sizeof(params));
    ctx = fake_ctx_ops(fake_log_level(), &ops);
    if (!mkdtemp(tmpdir))
        return -1;
    libxl__tun.userdata_dir = tmpdir;
    libxl__tun.run_dir = tmpdir;
    libxl__tun.dm_save_dir = tmpdir;
    xc_ops = (libxl__create_xc_ops){
        .physinfo = fake_physinfo,
        .arch_setup = fake_arch_setup,
        .build = fake_build,
        .devices_add = fake_devices_add,
        .dm_spawn = fake_dm_spawn,
    };
    libxl__tun.create_xc = &xc_ops;
    trace_buf[0] = '\0';
    ptys = 0;
    unsetenv("LIBXL_FAULT_INJECT");
    return 0;
}

static int teardown(void **state)
{
    if (fake_teardown(&ctx, tmpdir, "/tmp/test-libxl-soft-reset.XXXXXX"))
        return -1;
    libxl__tun.create_xc = &libxl__create_xc_real;
    unsetenv("LIBXL_FAULT_INJECT");
    return 0;
}

static void config_init(libxl_domain_config *dc, libxl_domain_type type)
{
    libxl_domain_config_init(dc);
    dc->c_info.type = type;
    dc->c_info.name = strdup("kexec");
    libxl_domain_build_info_init_type(&dc->b_info, type);
    dc->b_info.max_memkb = dc->b_info.target_memkb = 32768;
    dc->b_info.kernel = strdup("/boot/probe.elf");
    dc->on_soft_reset = LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET;
}

/* A PVH domain made by libxl_domain_create_new, running, then asking
 * for a soft reset. */
static uint32_t make_guest(libxl_domain_config *dc)
{
    uint32_t domid;

    config_init(dc, LIBXL_DOMAIN_TYPE_PVH);
    assert_int_equal(libxl_domain_create_new(ctx, dc, &domid, NULL, NULL),
                     0);
    assert_int_equal(libxl_domain_unpause(ctx, domid, NULL), 0);
    fake_dom_shutdown(domid, SHUTDOWN_soft_reset);
    log_clear();
    return domid;
}

static bool paused(uint32_t domid)
{
    struct fake_dom *d = fake_dom_find(domid);

    return d && (d->flags & XEN_DOMINF_paused);
}

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

static void assert_nothing_left(uint32_t domid)
{
    char p[64];

    assert_null(fake_dom_find(domid));
    snprintf(p, sizeof(p), "/local/domain/%u", domid);
    assert_int_equal(fake_xs_count(p), 0);
    snprintf(p, sizeof(p), "/libxl/%u", domid);
    assert_int_equal(fake_xs_count(p), 0);
    assert_int_equal(fake_xs_count("/vm"), 1);
    assert_int_equal(fake_xs_count("/local/domain/0/backend"), 0);
    assert_int_equal(files_left(), 0);
}

static void test_pvh_reset(void **state)
{
    libxl_domain_config dc, stored;
    libxl_evgen_domain_death *deathw;
    libxl_event *ev;
    uint32_t domid;
    char *tty;
    int release, domctl, introduce;

    config_init(&dc, LIBXL_DOMAIN_TYPE_PVH);
    assert_int_equal(libxl_domain_create_new(ctx, &dc, &domid, NULL, NULL),
                     0);
    assert_int_equal(libxl_domain_unpause(ctx, domid, NULL), 0);
    tty = strdup(fake_xs_get("/local/domain/1/console/tty"));
    assert_string_equal(tty, "/dev/pts/1");
    assert_int_equal(libxl_evenable_domain_death(ctx, domid, 0, &deathw), 0);
    fake_dom_shutdown(domid, SHUTDOWN_soft_reset);
    assert_int_equal(libxl_event_wait(ctx, &ev, LIBXL_EVENTMASK_ALL, NULL,
                                      NULL), 0);
    assert_int_equal(ev->type, LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN);
    assert_int_equal(ev->u.domain_shutdown.shutdown_reason,
                     LIBXL_SHUTDOWN_REASON_SOFT_RESET);
    libxl_event_free(ctx, ev);
    log_clear();
    fake_xs_set("/local/domain/1/data/stale", "from the old kernel");

    assert_int_equal(libxl_domain_soft_reset(ctx, &dc, domid, NULL, NULL),
                     0);
    /* Left paused (the caller unpauses), not shut down, same domain. */
    assert_true(paused(domid));
    assert_false(fake_dom_find(domid)->flags & XEN_DOMINF_shutdown);
    assert_int_equal(fake.n_doms, 2);
    assert_int_equal(fake_log_prefix("domain_create"), -1);
    assert_int_equal(fake_log_prefix("build"), -1);
    /* released, reset, introduced again, in that order */
    release = fake_log_prefix("xs_release_domain 1");
    domctl = fake_log_index("domain_soft_reset 1");
    introduce = fake_log_prefix("xs_introduce_domain 1 ");
    assert_true(release >= 0);
    assert_true(domctl > release);
    assert_true(introduce > domctl);
    assert_true(fake_log_prefix("domain_pause 1") < domctl);
    assert_true(fake_log_index("devices_add 1") > introduce);
    /* the home rewritten (xenstored knows the domain anew), the name, the
     * console with its old tty, new event channels */
    assert_string_equal(fake_xs_get("/local/domain/1/name"), "kexec");
    assert_null(fake_xs_get("/local/domain/1/data/stale"));
    assert_string_equal(fake_xs_get("/local/domain/1/console/tty"), tty);
    assert_string_equal(fake_xs_get("/local/domain/1/console/ring-ref"),
                        "1044479");
    assert_non_null(fake_xs_get("/local/domain/1/store/port"));
    /* the configuration is still there, and no lock file is left */
    libxl_domain_config_init(&stored);
    assert_int_equal(libxl_retrieve_domain_configuration(ctx, domid,
                                                         &stored, NULL), 0);
    assert_string_equal(stored.c_info.name, "kexec");
    assert_true(libxl_uuid_compare(&stored.c_info.uuid,
                                   &dc.c_info.uuid) == 0);
    libxl_domain_config_dispose(&stored);

    /* The next shutdown is reported by the same death watch. */
    assert_int_equal(libxl_domain_unpause(ctx, domid, NULL), 0);
    assert_false(paused(domid));
    fake_dom_shutdown(domid, SHUTDOWN_soft_reset);
    assert_int_equal(libxl_event_wait(ctx, &ev, LIBXL_EVENTMASK_ALL, NULL,
                                      NULL), 0);
    assert_int_equal(ev->type, LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN);
    libxl_event_free(ctx, ev);
    /* and a second reset works the same */
    assert_int_equal(libxl_domain_soft_reset(ctx, &dc, domid, NULL, NULL),
                     0);
    assert_string_equal(fake_xs_get("/local/domain/1/console/tty"), tty);
    libxl_evdisable_domain_death(ctx, deathw);

    assert_int_equal(libxl_domain_destroy(ctx, domid, NULL), 0);
    assert_nothing_left(domid);
    free(tty);
    libxl_domain_config_dispose(&dc);
}

/* The steps run in the table's order, the rebuild skipping what only a
 * new domain needs. */
static void test_step_order(void **state)
{
    libxl_domain_config dc;
    GC_INIT(ctx);
    libxl__soft_reset_state srs = { .create_trace = trace };
    uint32_t domid = make_guest(&dc);

    assert_int_equal(libxl__domain_config_setdefault(gc, &dc, domid), 0);
    srs.domid = domid;
    srs.d_config = &dc;
    srs.saved = &dc;
    assert_int_equal(libxl__soft_reset_run(gc, &srs, trace), 0);
    libxl__domain_lock_release(gc, srs.lock);
    assert_non_null(strstr(trace_buf,
        "run lock,run check,run pause,run read-state,run dm-save,"
        "run release,run dm-stop,run devices-destroy,run domctl,"
        "run emulator-data,run rebuild,skip domain-create,run lock,"
        "run xenstore-skeleton,skip max-vcpus,run max-memory,"
        "run event-channels,skip arch-setup,skip build,run sched-params,"
        "run rebind,run xenstore-domain,run introduce,run console,"
        "run devices,run device-model,run console-wait,run store-config,"
        "run rearm"));
    assert_int_equal(libxl_domain_destroy(ctx, domid, NULL), 0);
    libxl_domain_config_dispose(&dc);
    GC_FREE;
}

/* What cannot be reset is refused before anything is touched. */
static void test_refusals(void **state)
{
    libxl_domain_config dc, pv;
    uint32_t domid = make_guest(&dc);

    /* a domain that did not ask */
    fake_dom_resume(domid);
    log_clear();
    assert_int_equal(libxl_domain_soft_reset(ctx, &dc, domid, NULL, NULL),
                     ERROR_INVAL);
    assert_false(paused(domid));
    assert_int_equal(fake_log_prefix("xs_release_domain"), -1);
    assert_int_equal(fake_log_prefix("domain_soft_reset"), -1);

    /* a PV configuration, a shut down one for another reason */
    fake_dom_shutdown(domid, SHUTDOWN_reboot);
    assert_int_equal(libxl_domain_soft_reset(ctx, &dc, domid, NULL, NULL),
                     ERROR_INVAL);
    fake_dom_resume(domid);
    fake_dom_shutdown(domid, SHUTDOWN_soft_reset);
    config_init(&pv, LIBXL_DOMAIN_TYPE_PV);
    assert_int_equal(libxl_domain_soft_reset(ctx, &pv, domid, NULL, NULL),
                     ERROR_INVAL);
    libxl_domain_config_dispose(&pv);
    assert_int_equal(fake_log_prefix("domain_soft_reset"), -1);
    assert_string_equal(fake_xs_get("/local/domain/1/name"), "kexec");

    /* no such domain, dom0, no configuration */
    assert_int_equal(libxl_domain_soft_reset(ctx, &dc, 7, NULL, NULL),
                     ERROR_DOMAIN_NOTFOUND);
    assert_int_equal(libxl_domain_soft_reset(ctx, &dc, 0, NULL, NULL),
                     ERROR_INVAL);
    assert_int_equal(libxl_domain_soft_reset(ctx, NULL, domid, NULL, NULL),
                     ERROR_INVAL);

    assert_int_equal(libxl_domain_destroy(ctx, domid, NULL), 0);
    assert_nothing_left(domid);
    libxl_domain_config_dispose(&dc);
}

/* An HVM domain whose device model is gone cannot keep its device
 * state: refused before the domain is released, and kept. */
static void test_hvm_without_device_model(void **state)
{
    libxl_domain_config dc;
    uint32_t domid = make_guest(&dc);

    /* what the HVM domain's creation would have recorded */
    fake_dom_set_hvm(domid, false, false);
    fake_xs_set("/libxl/1/type", "hvm");
    dc.c_info.type = LIBXL_DOMAIN_TYPE_HVM;
    libxl_domain_build_info_dispose(&dc.b_info);
    libxl_domain_build_info_init(&dc.b_info);
    libxl_domain_build_info_init_type(&dc.b_info, LIBXL_DOMAIN_TYPE_HVM);
    dc.b_info.max_memkb = dc.b_info.target_memkb = 32768;
    assert_int_equal(libxl_domain_soft_reset(ctx, &dc, domid, NULL, NULL),
                     ERROR_FAIL);
    assert_int_equal(fake_log_prefix("xs_release_domain"), -1);
    assert_true(paused(domid));
    assert_non_null(fake_dom_find(domid));
    assert_int_equal(libxl_domain_destroy(ctx, domid, NULL), 0);
    assert_nothing_left(domid);
    libxl_domain_config_dispose(&dc);
}

/* A failure at any step (of the sequence, or of the rebuild) keeps the
 * domain, paused from the pause step on, listed under its name; destroy
 * then leaves nothing. */
static void test_fault_at_every_step(void **state)
{
    static const char *const rebuild[] = {
        "rebuild:xenstore-skeleton", "rebuild:max-memory",
        "rebuild:event-channels", "rebuild:sched-params", "rebuild:rebind",
        "rebuild:xenstore-domain", "rebuild:introduce", "rebuild:console",
        "rebuild:devices", "rebuild:device-model", "rebuild:console-wait",
        "rebuild:store-config",
        /* create:<step> fires in the rebuild as well */
        "create:devices",
    };
    int nsteps = 0, n;

    while (libxl__soft_reset_steps[nsteps].name)
        nsteps++;
    n = nsteps + (int)ARRAY_SIZE(rebuild);
    for (int i = 0; i < n; i++) {
        libxl_domain_config dc;
        char spec[64], name[64], *found;
        uint32_t domid, other;
        int pause_step = 2;

        if (i < nsteps)
            snprintf(spec, sizeof(spec), "softreset:%s",
                     libxl__soft_reset_steps[i].name);
        else
            snprintf(spec, sizeof(spec), "%s", rebuild[i - nsteps]);
        domid = make_guest(&dc);
        setenv("LIBXL_FAULT_INJECT", spec, 1);
        if (libxl_domain_soft_reset(ctx, &dc, domid, NULL, NULL) != ERROR_FAIL)
            fail_msg("%s: the reset did not fail", spec);
        unsetenv("LIBXL_FAULT_INJECT");
        assert_non_null(fake_dom_find(domid));
        if (i > pause_step && !paused(domid))
            fail_msg("%s: the domain is not paused", spec);
        /* still found by name */
        snprintf(name, sizeof(name), "/local/domain/%u/name", domid);
        found = (char *)fake_xs_get(name);
        if (!found || strcmp(found, "kexec"))
            fail_msg("%s: the domain lost its name", spec);
        assert_int_equal(libxl_name_to_domid(ctx, "kexec", &other), 0);
        assert_int_equal(other, domid);
        /* no lock held: destroy takes it, and removes everything */
        assert_int_equal(libxl_domain_destroy(ctx, domid, NULL), 0);
        assert_nothing_left(domid);
        libxl_domain_config_dispose(&dc);
    }
}

/* The record of a domain's soft resets (libxl_domain_soft_reset_info,
 * xl soft-reset-list): what succeeded, what failed and where, the last
 * one's steps; a refused reset is not counted; a bad record is named. */
static void test_soft_reset_info(void **state)
{
    libxl_domain_config dc;
    libxl_soft_reset_info sr;
    uint32_t domid = make_guest(&dc);
    int nsteps = 0, dm_save = -1;
    char *json;

    while (libxl__soft_reset_steps[nsteps].name) {
        if (!strcmp(libxl__soft_reset_steps[nsteps].name, "dm-save"))
            dm_save = nsteps;
        nsteps++;
    }
    assert_true(dm_save > 2);
    libxl_soft_reset_info_init(&sr);
    /* never reset */
    assert_int_equal(libxl_domain_soft_reset_info(ctx, domid, &sr), 0);
    assert_int_equal(sr.done, 0);
    assert_int_equal(sr.failed, 0);
    assert_true(sr.last_end == 0 && sr.last_ms == 0);
    assert_null(sr.last_failed_step);
    assert_int_equal(sr.num_last_steps, 0);

    /* one done: every step of the table, in its order */
    assert_int_equal(libxl_domain_soft_reset(ctx, &dc, domid, NULL, NULL),
                     0);
    assert_int_equal(libxl_domain_soft_reset_info(ctx, domid, &sr), 0);
    assert_int_equal(sr.done, 1);
    assert_int_equal(sr.failed, 0);
    assert_true(sr.last_end + 5 >= (uint64_t)time(NULL) &&
                sr.last_end <= (uint64_t)time(NULL));
    assert_null(sr.last_failed_step);
    assert_int_equal(sr.num_last_steps, nsteps);
    for (int i = 0; i < nsteps; i++)
        assert_string_equal(sr.last_steps[i].name,
                            libxl__soft_reset_steps[i].name);

    /* refused (it did not ask): not one of its resets */
    assert_int_equal(libxl_domain_unpause(ctx, domid, NULL), 0);
    assert_int_equal(libxl_domain_soft_reset(ctx, &dc, domid, NULL, NULL),
                     ERROR_INVAL);
    assert_int_equal(libxl_domain_soft_reset_info(ctx, domid, &sr), 0);
    assert_true(sr.done == 1 && sr.failed == 0);

    /* one failed at dm-save: counted, the step named, the steps that ran */
    fake_dom_shutdown(domid, SHUTDOWN_soft_reset);
    setenv("LIBXL_FAULT_INJECT", "softreset:dm-save", 1);
    assert_int_equal(libxl_domain_soft_reset(ctx, &dc, domid, NULL, NULL),
                     ERROR_FAIL);
    unsetenv("LIBXL_FAULT_INJECT");
    assert_int_equal(libxl_domain_soft_reset_info(ctx, domid, &sr), 0);
    assert_true(sr.done == 1 && sr.failed == 1);
    assert_non_null(sr.last_failed_step);
    assert_string_equal(sr.last_failed_step, "dm-save");
    assert_int_equal(sr.num_last_steps, dm_save + 1);
    assert_string_equal(sr.last_steps[dm_save].name, "dm-save");
    json = libxl_soft_reset_info_to_json(ctx, &sr);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"last_failed_step\": \"dm-save\""));
    assert_non_null(strstr(json, "\"failed\": 1"));
    free(json);

    /* then done again: the failed step is no longer the last one's */
    assert_int_equal(libxl_domain_soft_reset(ctx, &dc, domid, NULL, NULL),
                     0);
    assert_int_equal(libxl_domain_soft_reset_info(ctx, domid, &sr), 0);
    assert_int_equal(sr.done, 2);
    assert_int_equal(sr.failed, 1);
    assert_null(sr.last_failed_step);
    assert_int_equal(sr.num_last_steps, nsteps);

    /* failed in the rebuild, after /libxl/DOMID was written anew: the
     * counts carried over */
    assert_int_equal(libxl_domain_unpause(ctx, domid, NULL), 0);
    fake_dom_shutdown(domid, SHUTDOWN_soft_reset);
    setenv("LIBXL_FAULT_INJECT", "rebuild:devices", 1);
    assert_int_equal(libxl_domain_soft_reset(ctx, &dc, domid, NULL, NULL),
                     ERROR_FAIL);
    unsetenv("LIBXL_FAULT_INJECT");
    assert_int_equal(libxl_domain_soft_reset_info(ctx, domid, &sr), 0);
    assert_int_equal(sr.done, 2);
    assert_int_equal(sr.failed, 2);
    assert_string_equal(sr.last_failed_step, "rebuild");

    /* a broken record is an error naming it, and leaves info empty */
    fake_xs_set("/libxl/1/soft-reset/done", "2x");
    assert_int_equal(libxl_domain_soft_reset_info(ctx, domid, &sr),
                     ERROR_FAIL);
    assert_int_equal(sr.done, 0);
    assert_int_equal(sr.num_last_steps, 0);
    fake_xs_set("/libxl/1/soft-reset/done", "2");
    fake_xs_set("/libxl/1/soft-reset/last-steps", "lock 1,check");
    assert_int_equal(libxl_domain_soft_reset_info(ctx, domid, &sr),
                     ERROR_FAIL);
    fake_xs_set("/libxl/1/soft-reset/last-steps", "lock 1,,check 2");
    assert_int_equal(libxl_domain_soft_reset_info(ctx, domid, &sr), 0);
    assert_int_equal(sr.num_last_steps, 2);

    /* no such domain, nowhere to put it */
    assert_int_equal(libxl_domain_soft_reset_info(ctx, 77, &sr),
                     ERROR_DOMAIN_NOTFOUND);
    assert_int_equal(libxl_domain_soft_reset_info(ctx, domid, NULL),
                     ERROR_INVAL);
    libxl_soft_reset_info_dispose(&sr);

    /* the record goes with the domain */
    assert_int_equal(libxl_domain_destroy(ctx, domid, NULL), 0);
    assert_nothing_left(domid);
    libxl_domain_config_dispose(&dc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pvh_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_step_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hvm_without_device_model,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_fault_at_every_step, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_soft_reset_info, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
