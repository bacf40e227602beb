/*
 * libxl_soft_reset.c: soft reset of a domain whose guest asked for it
 * (SHUTDOWN_soft_reset: a kexec or a kdump), as a table of named steps
 * beside create's (libxl_create.h), and libxl_domain_soft_reset.
 *
 * Everything around the guest is torn down and rebuilt while the domain
 * keeps its domid, memory and vCPU state: the device model's state is
 * saved, the domain is released in xenstore (backends let go), the device
 * model and the devices go, Xen resets the domain (XEN_DOMCTL_soft_reset:
 * event channels, vCPU info, shared info), then create's steps run again
 * for the existing domain, the new device model loading the saved state.
 *
 * The sequence owns one pause of the domain from before the domctl to
 * the end: Xen lets the vCPUs go at the domctl, so without it a PVH
 * guest (no device model to hold it) would run before its xenstore,
 * console and backends are back.  On success that pause is the one the
 * caller lifts (upstream's contract: the domain is left paused).  On
 * failure the domain is kept, paused, still listed by name, with one
 * line naming the step; libxl_domain_destroy removes it and whatever is
 * left.  docs/design/soft-reset.md has the state each step keeps or
 * rebuilds.
 *
 * Fault injection: LIBXL_FAULT_INJECT=softreset:<step> makes that step
 * fail before it does anything (rebuild:<step> a step of the rebuild,
 * create:<step> that step in a create too);
 * LIBXL_TEST_HOLD=softreset:<step> holds the sequence before it, for a
 * test that kills the caller there.
 */
#include <time.h>

#include "libxl_internal.h"
#include "libxl_sys.h"
#include "libxl_xshelp.h"
#include "libxl_event_internal.h"
#include "libxl_domain.h"
#include "libxl_device.h"
#include "libxl_dm.h"
#include "libxl_create.h"

#include <xen/hvm/params.h>

static long ms_since(const struct timespec *t0)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - t0->tv_sec) * 1000 +
           (now.tv_nsec - t0->tv_nsec) / 1000000;
}

/*
 * The steps.
 */

static int step_lock(libxl__gc *gc, libxl__soft_reset_state *srs)
{
    return libxl__domain_lock_acquire(gc, srs->domid, &srs->lock);
}

static void undo_lock(libxl__gc *gc, libxl__soft_reset_state *srs)
{
    libxl__domain_lock_release(gc, srs->lock);
    srs->lock = NULL;
}

/* The domain exists, asked for a soft reset, and is of a type Xen can
 * reset (the domctl refuses PV and crashes it if its arch reset fails). */
static int step_check(libxl__gc *gc, libxl__soft_reset_state *srs)
{
    libxl_domain_type type = srs->d_config->c_info.type;
    xc_domaininfo_t info;
    int rc;

    rc = libxl__domain_getinfo1(gc, srs->domid, &info);
    if (rc == ERROR_DOMAIN_NOTFOUND)
        LOGD(ERROR, srs->domid, "soft reset: no such domain");
    if (rc)
        return rc;
    if (info.flags & XEN_DOMINF_dying) {
        LOGD(ERROR, srs->domid, "soft reset: the domain is being destroyed");
        return ERROR_INVAL;
    }
    if (!(info.flags & XEN_DOMINF_shutdown) ||
        libxl__shutdown_reason_of(&info) != LIBXL_SHUTDOWN_REASON_SOFT_RESET) {
        LOGD(ERROR, srs->domid, "soft reset: the domain has not shut down "
             "for a soft reset (Xen resets only a domain whose vCPUs are "
             "all paused for shutdown)");
        return ERROR_INVAL;
    }
    if (type != LIBXL_DOMAIN_TYPE_HVM && type != LIBXL_DOMAIN_TYPE_PVH) {
        LOGD(ERROR, srs->domid, "soft reset: a %s domain cannot be soft "
             "reset (Xen resets HVM and PVH domains only)",
             libxl_domain_type_to_string(type));
        return ERROR_INVAL;
    }
    if (libxl__domain_type(gc, srs->domid) != type) {
        LOGD(ERROR, srs->domid, "soft reset: the configuration says %s, "
             "the domain is not", libxl_domain_type_to_string(type));
        return ERROR_INVAL;
    }
    return 0;
}

static int step_pause(libxl__gc *gc, libxl__soft_reset_state *srs)
{
    if (SYS->domain_pause(CTX, srs->domid) < 0) {
        LOGED(ERROR, srs->domid, "soft reset: cannot pause the domain");
        return ERROR_FAIL;
    }
    srs->paused = true;
    return 0;
}

/* Collects the subtree under dir (not dir itself) as relative key/value
 * pairs into srs->emu_data. */
static int read_tree(libxl__gc *gc, libxl__soft_reset_state *srs,
                     const char *dir, const char *rel)
{
    unsigned int n;
    char **ents = libxl__xs_directory(gc, XBT_NULL, dir, &n);

    for (unsigned int i = 0; ents && i < n; i++) {
        const char *path = GCSPRINTF("%s/%s", dir, ents[i]);
        const char *key = rel ? GCSPRINTF("%s/%s", rel, ents[i]) : ents[i];
        const char *v = NULL;
        int rc = libxl__xs_read_checked(gc, XBT_NULL, path, &v);

        if (rc)
            return rc;
        if (v && *v) {
            if (srs->emu_n + 3 > srs->emu_room) {
                srs->emu_room = srs->emu_room ? 2 * srs->emu_room : 16;
                GCREALLOC_ARRAY(srs->emu_data, srs->emu_room);
            }
            srs->emu_data[srs->emu_n++] = libxl__strdup(gc, key);
            srs->emu_data[srs->emu_n++] = libxl__strdup(gc, v);
            srs->emu_data[srs->emu_n] = NULL;
        }
        rc = read_tree(gc, srs, path, key);
        if (rc)
            return rc;
    }
    return 0;
}

/* What the rebuild needs from before: the console tty xenconsoled gave
 * the domain, and the emulator's own xenstore data (where QEMU mapped
 * the video RAM: the new QEMU maps it at the same place). */
static int step_read_state(libxl__gc *gc, libxl__soft_reset_state *srs)
{
    const char *dompath = libxl__xs_get_dompath(gc, srs->domid);
    const char *tty = NULL;
    int rc;

    if (!dompath)
        return ERROR_FAIL;
    rc = libxl__xs_read_checked(gc, XBT_NULL,
                                GCSPRINTF("%s/console/tty", dompath), &tty);
    if (rc)
        return rc;
    srs->console_tty = tty && *tty ? tty : NULL;
    srs->emu_n = 0;
    return read_tree(gc, srs,
                     GCSPRINTF("%s/physmap",
                               libxl__dm_xs_path(gc, srs->domid)),
                     "physmap");
}

/* The device model's state, saved by QEMU itself (HVM only: a PVH
 * domain's xenpv QEMU serves backends and has no device state). */
static int step_dm_save(libxl__gc *gc, libxl__soft_reset_state *srs)
{
    const char *pid = NULL;
    int rc;

    if (srs->d_config->c_info.type != LIBXL_DOMAIN_TYPE_HVM)
        return 0;
    rc = libxl__xs_read_checked(gc, XBT_NULL,
                                GCSPRINTF("/local/domain/%u/image/"
                                          "device-model-pid", srs->domid),
                                &pid);
    if (rc)
        return rc;
    if (!pid) {
        LOGD(ERROR, srs->domid, "soft reset: the HVM domain has no device "
             "model whose state could be kept");
        return ERROR_FAIL;
    }
    srs->dm_state_file = libxl__dm_save_path(gc, srs->domid);
    return libxl__qmp_stop_save_devices_state(gc, srs->domid,
                                              srs->dm_state_file, false);
}

static void undo_dm_save(libxl__gc *gc, libxl__soft_reset_state *srs)
{
    if (srs->dm_state_file && unlink(srs->dm_state_file) < 0 &&
        errno != ENOENT)
        LOGED(WARN, srs->domid, "cannot remove %s", srs->dm_state_file);
}

/* xenstored forgets the domain's connection (its ring and event channel
 * go with the reset) and fires @releaseDomain. */
static int step_release(libxl__gc *gc, libxl__soft_reset_state *srs)
{
    if (!SYS->xs_release_domain(CTX, srs->domid) && errno != ENOENT) {
        LOGED(ERROR, srs->domid, "soft reset: cannot release the domain "
              "in xenstored");
        return ERROR_FAIL;
    }
    return 0;
}

/* The emulator first (it uses the backends), keeping its saved state. */
static int step_dm_stop(libxl__gc *gc, libxl__soft_reset_state *srs)
{
    return libxl__dm_stop(gc, srs->domid);
}

static int step_devices_destroy(libxl__gc *gc, libxl__soft_reset_state *srs)
{
    return libxl__devices_destroy(gc, srs->domid);
}

static int step_domctl(libxl__gc *gc, libxl__soft_reset_state *srs)
{
    if (SYS->domain_soft_reset(CTX, srs->domid) < 0) {
        LOGED(ERROR, srs->domid, "soft reset: XEN_DOMCTL_soft_reset failed");
        return ERROR_FAIL;
    }
    return 0;
}

/* The emulator data back where the new QEMU reads it. */
static int step_emulator_data(libxl__gc *gc, libxl__soft_reset_state *srs)
{
    if (!srs->emu_n)
        return 0;
    return libxl__xs_writev(gc, XBT_NULL, libxl__dm_xs_path(gc, srs->domid),
                            srs->emu_data);
}

/* create's steps for the existing domain: skeleton completed, event
 * channels, the store and console rings (same pages) re-introduced,
 * console, devices, device model from the saved state, scheduler
 * parameters, the configuration stored again.  Its failures are undone
 * by create's own undos, which keep an existing domain. */
static int step_rebuild(libxl__gc *gc, libxl__soft_reset_state *srs)
{
    libxl__create_state cs = {
        .d_config = srs->d_config,
        .saved = srs->saved,
        .domid = srs->domid,
        .existing = true,
        .aop_console_how = srs->aop_console_how,
        .store_port = -1,
        .console_port = -1,
        .dm_restore_file = srs->dm_state_file,
        .console_tty = srs->console_tty,
    };
    int rc = libxl__create_run(gc, &cs, srs->create_trace);

    libxl__domain_lock_release(gc, cs.lock);
    /* The new device model took the file (and removed it). */
    srs->dm_state_file = NULL;
    return rc;
}

/* A death event generator of this ctx that reported the shutdown sees
 * the domain running again: the next shutdown is reported too. */
static int step_rearm(libxl__gc *gc, libxl__soft_reset_state *srs)
{
    libxl__death_recheck(gc, srs->domid);
    return 0;
}

const libxl__soft_reset_step libxl__soft_reset_steps[] = {
    { "lock", step_lock, undo_lock },
    { "check", step_check, NULL },
    { "pause", step_pause, NULL },
    { "read-state", step_read_state, NULL },
    { "dm-save", step_dm_save, undo_dm_save },
    { "release", step_release, NULL },
    { "dm-stop", step_dm_stop, NULL },
    { "devices-destroy", step_devices_destroy, NULL },
    { "domctl", step_domctl, NULL },
    { "emulator-data", step_emulator_data, NULL },
    { "rebuild", step_rebuild, NULL },
    { "rearm", step_rearm, NULL },
    { NULL, NULL, NULL },
};
_Static_assert(ARRAY_SIZE(libxl__soft_reset_steps) <=
               ARRAY_SIZE(((libxl__soft_reset_state *)NULL)->step_ms),
               "a step has no room for its time");

int libxl__soft_reset_run(libxl__gc *gc, libxl__soft_reset_state *srs,
                          void (*trace)(const char *what, const char *step))
{
    const libxl__soft_reset_step *s;
    bool ran[ARRAY_SIZE(libxl__soft_reset_steps)] = { false };
    struct timespec t0, ts;
    unsigned long xs0;
    int i, rc = 0;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (i = 0; libxl__soft_reset_steps[i].name; i++) {
        s = &libxl__soft_reset_steps[i];
        if (trace)
            trace("run", s->name);
        libxl__test_hold(gc, srs->domid, "softreset", s->name);
        ran[i] = true;
        xs0 = CTX->xs_requests;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        if (libxl__fault_injected("softreset", s->name)) {
            LOGD(ERROR, srs->domid, "soft reset step %s: injected failure",
                 s->name);
            rc = ERROR_FAIL;
        } else {
            rc = s->run(gc, srs);
        }
        srs->step_ms[i] = ms_since(&ts);
        if (rc)
            break;
        LOGD(DEBUG, srs->domid, "soft reset step %s done in %ld ms "
             "(%lu xenstore requests)", s->name, srs->step_ms[i],
             CTX->xs_requests - xs0);
    }
    srs->total_ms = ms_since(&t0);
    srs->steps_run = rc ? i + 1 : i;
    if (!rc)
        return 0;

    srs->failed_step = libxl__soft_reset_steps[i].name;
    for (int j = i; j >= 0; j--) {
        s = &libxl__soft_reset_steps[j];
        if (!ran[j] || !s->undo)
            continue;
        if (trace)
            trace("undo", s->name);
        s->undo(gc, srs);
    }
    return rc;
}

/* "NAME MS" of each step that ran, joined by sep, into buf (cut at a
 * step boundary if it does not fit). */
static void format_steps(const libxl__soft_reset_state *srs,
                         const char *sep, char *buf, size_t size)
{
    size_t off = 0;

    buf[0] = '\0';
    for (int i = 0; i < srs->steps_run; i++) {
        int n = snprintf(buf + off, size - off, "%s%s %ld", i ? sep : "",
                         libxl__soft_reset_steps[i].name, srs->step_ms[i]);

        if (n < 0 || (size_t)n >= size - off) {
            buf[off] = '\0';
            break;
        }
        off += (size_t)n;
    }
}

/* One line with the duration of the whole and of every step. */
static void log_timings(libxl__gc *gc, const libxl__soft_reset_state *srs)
{
    char buf[512];

    format_steps(srs, ", ", buf, sizeof(buf));
    LOGD(INFO, srs->domid, "soft reset done in %ld ms (ms per step: %s)",
         srs->total_ms, buf);
}

/*
 * The record of a domain's soft resets, beside it in libxl's own tree
 * (/libxl/DOMID/soft-reset: dom0's only, removed with the domain):
 *   done, failed      how many succeeded and failed
 *   last-end          the last one's end, seconds since the epoch
 *   last-ms           its duration
 *   last-failed-step  the step it failed at (absent when it did not)
 *   last-steps        "NAME MS,NAME MS,...": each step that ran
 * Written after each reset, never for a domain that has gone (nothing
 * would remove the record).
 */
#define SOFT_RESET_RECORD "soft-reset"

/* A number of the record; absent is 0, anything but digits an error. */
static int read_record_number(libxl__gc *gc, uint32_t domid, const char *dir,
                              const char *key, uint64_t max, uint64_t *out)
{
    const char *v = libxl__xs_read(gc, XBT_NULL,
                                   GCSPRINTF("%s/%s", dir, key));
    char *end;
    unsigned long long n;

    *out = 0;
    if (!v)
        return 0;
    errno = 0;
    n = strtoull(v, &end, 10);
    if (!*v || *end || *v == '-' || errno || n > max) {
        LOGD(ERROR, domid, "soft reset record: %s/%s is '%s', not a number",
             dir, key, v);
        return ERROR_FAIL;
    }
    *out = n;
    return 0;
}

static void record_reset(libxl__gc *gc, const libxl__soft_reset_state *srs,
                         int rc)
{
    const char *dir = GCSPRINTF("%s/" SOFT_RESET_RECORD,
                                libxl__xs_libxl_path(gc, srs->domid));
    char steps[512];
    xs_transaction_t t = XBT_NULL;
    int r;

    format_steps(srs, ",", steps, sizeof(steps));
    for (;;) {
        r = libxl__xs_transaction_start(gc, &t);
        if (r)
            goto out;
        /* the domain's own tree gone: it is being destroyed */
        if (!libxl__xs_read(gc, t, libxl__xs_libxl_path(gc, srs->domid)))
            goto out;
        r = libxl__xs_printf(gc, t, GCSPRINTF("%s/done", dir), "%llu",
                             (unsigned long long)(srs->prev_done + !rc));
        if (!r)
            r = libxl__xs_printf(gc, t, GCSPRINTF("%s/failed", dir), "%llu",
                                 (unsigned long long)(srs->prev_failed +
                                                      !!rc));
        if (!r)
            r = libxl__xs_printf(gc, t, GCSPRINTF("%s/last-end", dir),
                                 "%lld", (long long)time(NULL));
        if (!r)
            r = libxl__xs_printf(gc, t, GCSPRINTF("%s/last-ms", dir), "%ld",
                                 srs->total_ms);
        if (!r)
            r = libxl__xs_write_checked(gc, t,
                                        GCSPRINTF("%s/last-steps", dir),
                                        steps);
        if (!r)
            r = rc ? libxl__xs_write_checked(gc, t,
                                             GCSPRINTF("%s/last-failed-step",
                                                       dir),
                                             srs->failed_step)
                   : libxl__xs_rm_checked(gc, t,
                                          GCSPRINTF("%s/last-failed-step",
                                                    dir));
        if (r)
            goto out;
        r = libxl__xs_transaction_commit(gc, &t);
        if (!r || r < 0)
            break;
    }
out:
    libxl__xs_transaction_abort(gc, &t);
    if (r)
        LOGD(WARN, srs->domid, "soft reset: cannot record it in %s", dir);
}

int libxl_domain_soft_reset(libxl_ctx *ctx,
                            libxl_domain_config *d_config,
                            uint32_t domid,
                            const libxl_asyncop_how *ao_how,
                            const libxl_asyncprogress_how *aop_console_how)
{
    GC_INIT(ctx);
    libxl__soft_reset_state srs = {
        .domid = domid,
        .aop_console_how = aop_console_how,
    };
    libxl_domain_config work, saved;
    xc_domaininfo_t info;
    int rc;

    libxl_domain_config_init(&work);
    libxl_domain_config_init(&saved);
    if (!d_config || !libxl_domid_valid_guest(domid)) {
        LOGD(ERROR, domid, "soft reset: %s",
             d_config ? "not a guest domain id" : "no domain configuration");
        rc = ERROR_INVAL;
        goto out;
    }
    /* The domain's own uuid, whatever the configuration carries: its
     * /vm path and userdata are named by it. */
    rc = libxl__domain_getinfo1(gc, domid, &info);
    if (rc) {
        if (rc == ERROR_DOMAIN_NOTFOUND)
            LOGD(ERROR, domid, "soft reset: no such domain");
        goto out;
    }
    libxl_domain_config_copy(CTX, &saved, d_config);
    memcpy(saved.c_info.uuid.uuid, info.handle, sizeof(info.handle));
    libxl_domain_config_copy(CTX, &work, &saved);
    rc = libxl__domain_config_setdefault(gc, &work, domid);
    if (rc)
        goto out;
    srs.d_config = &work;
    srs.saved = &saved;

    /* the counts so far (a broken record, named, counts from 0) */
    {
        const char *dir = GCSPRINTF("%s/" SOFT_RESET_RECORD,
                                    libxl__xs_libxl_path(gc, domid));

        if (read_record_number(gc, domid, dir, "done", UINT32_MAX - 1,
                               &srs.prev_done) ||
            read_record_number(gc, domid, dir, "failed", UINT32_MAX - 1,
                               &srs.prev_failed))
            srs.prev_done = srs.prev_failed = 0;
    }
    rc = libxl__soft_reset_run(gc, &srs, NULL);
    /* a reset refused before it began (no such domain, not asked for)
     * is not one of the domain's */
    if (srs.steps_run > 2 || !rc)
        record_reset(gc, &srs, rc);
    if (rc) {
        LOGD(ERROR, domid, "soft reset failed at step %s: the domain is "
             "kept%s; libxl_domain_destroy (xl destroy) removes it",
             srs.failed_step, srs.paused ? ", paused" : "");
        goto out;
    }
    libxl__domain_lock_release(gc, srs.lock);
    log_timings(gc, &srs);
out:
    libxl_domain_config_dispose(&work);
    libxl_domain_config_dispose(&saved);
    GC_FREE;
    return libxl__ao_result(ctx, ao_how, rc);
}

/* "NAME MS,NAME MS,..." into info->last_steps. */
static int parse_record_steps(libxl__gc *gc, uint32_t domid, const char *dir,
                              libxl_soft_reset_info *info)
{
    const char *v = libxl__xs_read(gc, XBT_NULL,
                                   GCSPRINTF("%s/last-steps", dir));
    char *copy, *tok, *save = NULL;
    int n = 0;

    if (!v || !*v)
        return 0;
    for (const char *c = v; *c; c++)
        n += *c == ',';
    info->last_steps = libxl__calloc(NOGC, n + 1,
                                     sizeof(*info->last_steps));
    copy = libxl__strdup(gc, v);
    for (tok = strtok_r(copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        libxl_soft_reset_step_time *st =
            &info->last_steps[info->num_last_steps];
        char *sp = strchr(tok, ' '), *end = sp;
        unsigned long long ms = 0;

        if (sp) {
            errno = 0;
            ms = strtoull(sp + 1, &end, 10);
        }
        if (!sp || sp == tok || !sp[1] || *end || errno ||
            info->num_last_steps > n) {
            LOGD(ERROR, domid, "soft reset record: %s/last-steps is '%s', "
                 "not 'STEP MS,...'", dir, v);
            return ERROR_FAIL;
        }
        libxl_soft_reset_step_time_init(st);
        st->name = libxl__strndup(NOGC, tok, (size_t)(sp - tok));
        st->ms = ms;
        info->num_last_steps++;
    }
    return 0;
}

int libxl_domain_soft_reset_info(libxl_ctx *ctx, uint32_t domid,
                                 libxl_soft_reset_info *info_r)
{
    GC_INIT(ctx);
    const char *dir;
    xc_domaininfo_t info;
    uint64_t done, failed;
    int rc;

    if (!info_r) {
        LOGD(ERROR, domid, "soft reset info: no place for it");
        rc = ERROR_INVAL;
        goto out;
    }
    libxl_soft_reset_info_dispose(info_r);
    libxl_soft_reset_info_init(info_r);
    rc = libxl__domain_getinfo1(gc, domid, &info);
    if (rc)
        goto out;
    dir = GCSPRINTF("%s/" SOFT_RESET_RECORD, libxl__xs_libxl_path(gc, domid));
    rc = read_record_number(gc, domid, dir, "done", UINT32_MAX, &done);
    if (!rc)
        rc = read_record_number(gc, domid, dir, "failed", UINT32_MAX,
                                &failed);
    if (!rc)
        rc = read_record_number(gc, domid, dir, "last-end", UINT64_MAX,
                                &info_r->last_end);
    if (!rc)
        rc = read_record_number(gc, domid, dir, "last-ms", UINT64_MAX,
                                &info_r->last_ms);
    if (!rc)
        rc = parse_record_steps(gc, domid, dir, info_r);
    if (rc)
        goto out;
    info_r->done = (uint32_t)done;
    info_r->failed = (uint32_t)failed;
    info_r->last_failed_step =
        libxl__strdup(NOGC, libxl__xs_read(gc, XBT_NULL,
                                           GCSPRINTF("%s/last-failed-step",
                                                     dir)));
out:
    if (rc && info_r) {
        libxl_soft_reset_info_dispose(info_r);
        libxl_soft_reset_info_init(info_r);
    }
    GC_FREE;
    return rc;
}
