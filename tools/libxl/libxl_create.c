/*
 * libxl_create.c: domain creation as an ordered table of steps with
 * undos (see libxl_create.h), and the public entry points.
 *
 * Upstream 4.17's semantics: the caller's d_config gets the defaults
 * filled in; the configuration stored for libxl_retrieve_domain_
 * configuration is the caller's as given, with the uuid, the video RAM
 * and arch defaults updated; the new domain is left PAUSED (xl unpauses
 * it unless -p).
 */
#include <sys/random.h>
#include <sys/time.h>

#include "libxl_internal.h"
#include "libxl_sys.h"
#include "libxl_xshelp.h"
#include "libxl_event_internal.h"
#include "libxl_domain.h"
#include "libxl_device.h"
#include "libxl_dm.h"
#include "libxl_create.h"

#include <xen/hvm/e820.h>
#include <xen/hvm/params.h>

const libxl__create_xc_ops libxl__create_xc_real = {
    .physinfo = libxl__build_physinfo,
    .arch_setup = libxl__build_arch_setup,
    .build = libxl__build_image,
    .devices_add = libxl__devices_add,
    .dm_spawn = libxl__dm_spawn_restore,
};

/* How long xenconsoled gets to publish the console tty (upstream:
 * LIBXL_INIT_TIMEOUT, 10 s). */
#define CONSOLE_TTY_TIMEOUT_MS 10000

/* Whether the environment variable var lists "<area>:<step>". */
static bool env_names_step(const char *var, const char *area,
                           const char *step)
{
    const char *spec = getenv(var);
    size_t al = strlen(area), sl = strlen(step);

    while (spec && *spec) {
        const char *end = strchrnul(spec, ',');
        if ((size_t)(end - spec) == al + 1 + sl &&
            !strncmp(spec, area, al) && spec[al] == ':' &&
            !strncmp(spec + al + 1, step, sl))
            return true;
        spec = *end ? end + 1 : NULL;
    }
    return false;
}

bool libxl__fault_injected(const char *area, const char *step)
{
    return env_names_step("LIBXL_FAULT_INJECT", area, step);
}

void libxl__test_hold(libxl__gc *gc, uint32_t domid, const char *area,
                      const char *step)
{
    if (!env_names_step("LIBXL_TEST_HOLD", area, step))
        return;
    LOGD(ERROR, domid, "%s step %s: held for a test (LIBXL_TEST_HOLD)",
         area, step);
    for (int i = 0; i < LIBXL_TEST_HOLD_S; i++)
        sleep(1);
}

/*
 * The steps.
 */

/* Attempts at a domid before giving up: each one found recently used
 * (or taken, for a random one) costs one. */
#define DOMID_ATTEMPTS 4096

/* See libxl_create.h. */
int libxl__domain_create_fresh(libxl__gc *gc, uint32_t asked,
                               struct xen_domctl_createdomain *create,
                               uint32_t *domid_r)
{
    bool random = asked == (uint32_t)RANDOM_DOMID;
    bool fixed = libxl_domid_valid_guest(asked);
    bool recent;
    int rc;

    for (unsigned int attempt = 0; attempt < DOMID_ATTEMPTS; attempt++) {
        uint32_t domid = 0;     /* 0: the hypervisor picks */

        if (random) {
            uint16_t v;
            if (getrandom(&v, sizeof(v), 0) != sizeof(v)) {
                LOGE(ERROR, "cannot draw a random domid");
                return ERROR_FAIL;
            }
            domid = v & 0x7FFF;     /* DOMID_MASK */
            if (!libxl_domid_valid_guest(domid))
                continue;
        } else if (fixed) {
            domid = asked;
        }
        if (domid) {
            rc = libxl__domid_history_is_recent(gc, domid, &recent);
            if (rc)
                return rc;
            if (recent && fixed) {
                LOGD(ERROR, domid, "domain id recently used: destroyed less "
                     "than LIBXL_DOMID_REUSE_TIMEOUT seconds ago");
                return ERROR_FAIL;
            }
            if (recent)
                continue;
        }
        if (SYS->domain_create(CTX, &domid, create) < 0) {
            if (errno == EEXIST && random)
                continue;
            LOGED(ERROR, domid ? domid : (uint32_t)INVALID_DOMID,
                  "domain creation fail");
            return ERROR_FAIL;
        }
        if (random || fixed) {
            *domid_r = domid;
            return 0;
        }
        rc = libxl__domid_history_is_recent(gc, domid, &recent);
        if (rc || recent) {
            /* The hypervisor's pick was used a moment ago: give it back
             * (not into the history: no one saw this domain). */
            if (SYS->domain_destroy(CTX, domid) < 0) {
                LOGED(ERROR, domid, "cannot destroy the domain made with a "
                      "recently used domid");
                return ERROR_FAIL;
            }
            if (rc)
                return rc;
            LOGD(DEBUG, domid, "recently used: trying another domid");
            continue;
        }
        *domid_r = domid;
        return 0;
    }
    LOG(ERROR, "no free domid found in %u attempts (all taken or destroyed "
        "within LIBXL_DOMID_REUSE_TIMEOUT seconds)", DOMID_ATTEMPTS);
    return ERROR_FAIL;
}

static int step_domain_create(libxl__gc *gc, libxl__create_state *cs)
{
    libxl_domain_create_info *c = &cs->d_config->c_info;
    libxl_domain_build_info *b = &cs->d_config->b_info;
    struct xen_domctl_createdomain create = {
        .ssidref = c->ssidref,
        .max_vcpus = b->max_vcpus,
        .max_evtchn_port = b->event_channels,
        .max_grant_frames = (int32_t)b->max_grant_frames,
        .max_maptrack_frames = (int32_t)b->max_maptrack_frames,
        .grant_opts = XEN_DOMCTL_GRANT_version(b->max_grant_version),
        .vmtrace_size = (uint32_t)(((uint64_t)b->vmtrace_buf_kb << 10) +
                                   XC_PAGE_SIZE - 1) & ~(XC_PAGE_SIZE - 1),
        .cpupool_id = c->poolid,
    };
    uint32_t domid;
    int rc;

    switch (c->type) {
    case LIBXL_DOMAIN_TYPE_HVM:
        create.arch.emulation_flags = XEN_X86_EMU_ALL & ~XEN_X86_EMU_VPCI;
        break;
    case LIBXL_DOMAIN_TYPE_PVH:
        create.arch.emulation_flags = XEN_X86_EMU_LAPIC;
        break;
    default:
        create.arch.emulation_flags = 0;
        break;
    }
    if (c->type != LIBXL_DOMAIN_TYPE_PV) {
        create.flags |= XEN_DOMCTL_CDF_hvm;
        if (libxl_defbool_val(c->hap))
            create.flags |= XEN_DOMCTL_CDF_hap;
        if (!libxl_defbool_val(c->oos))
            create.flags |= XEN_DOMCTL_CDF_oos_off;
        if (libxl_defbool_val(b->nested_hvm))
            create.flags |= XEN_DOMCTL_CDF_nested_virt;
    }
    if (libxl_defbool_val(b->vpmu))
        create.flags |= XEN_DOMCTL_CDF_vpmu;
    if (libxl_defbool_val(b->arch_x86.msr_relaxed))
        create.arch.misc_flags |= XEN_X86_MSR_RELAXED;
    memcpy(create.handle, c->uuid.uuid, sizeof(create.handle));

    rc = libxl__domain_create_fresh(gc, c->domid, &create, &domid);
    if (rc)
        return rc;
    cs->domid = domid;
    LOGD(DEBUG, domid, "created (flags %#x, emulation %#x)", create.flags,
         create.arch.emulation_flags);
    return 0;
}

static void undo_domain_create(libxl__gc *gc, libxl__create_state *cs)
{
    if (cs->domid == (uint32_t)INVALID_DOMID)
        return;
    /* Others may have seen the domain (xenstore, a monitor): its domid
     * rests like any destroyed one's. */
    if (libxl__domid_history_mark(gc, cs->domid))
        LOGD(WARN, cs->domid, "the domid is not in the domid history");
    if (SYS->domain_destroy(CTX, cs->domid) < 0 && errno != ESRCH)
        LOGED(ERROR, cs->domid, "destroying the half-made domain");
}

static int step_lock(libxl__gc *gc, libxl__create_state *cs)
{
    return libxl__domain_lock_acquire(gc, cs->domid, &cs->lock);
}

static void undo_lock(libxl__gc *gc, libxl__create_state *cs)
{
    if (!cs->existing)
        libxl__domain_lock_remove(gc, cs->domid);
    libxl__domain_lock_release(gc, cs->lock);
    cs->lock = NULL;
}

/* /local/domain/N, /vm/UUID and /libxl/N, as upstream's
 * libxl__domain_make lays them out (docs/design/xenstore-layout.md). */
static int write_skeleton(libxl__gc *gc, libxl__create_state *cs,
                          xs_transaction_t t)
{
    libxl_domain_create_info *c = &cs->d_config->c_info;
    libxl_domain_build_info *b = &cs->d_config->b_info;
    uint32_t domid = cs->domid;
    struct xs_permissions ro[2] = {
        { .id = 0, .perms = XS_PERM_NONE },
        { .id = domid, .perms = XS_PERM_READ },
    };
    struct xs_permissions rw[1] = { { .id = domid, .perms = XS_PERM_NONE } };
    struct xs_permissions none[1] = { { .id = 0, .perms = XS_PERM_NONE } };
    static const char *const ro_dirs[] = { "cpu", "memory", "device",
                                           "control" };
    static const char *const rw_nodes[] = {
        "control/shutdown", "control/feature-poweroff",
        "control/feature-reboot", "control/feature-suspend",
        "control/sysrq", "data", "drivers", "feature", "attr", "error",
    };
    const char *dp = cs->dom_path, *type;
    bool hvm = c->type == LIBXL_DOMAIN_TYPE_HVM;
    int rc;

#define MKNOD(path, perms) do { \
        rc = libxl__xs_mknod(gc, t, (path), (perms), ARRAY_SIZE(perms)); \
        if (rc) return rc; \
    } while (0)

    /* Anything an earlier domain left goes.  An existing domain (soft
     * reset) gets its home rewritten as well, as upstream's soft reset
     * does: xenstored forgot the domain at its release and, meeting it
     * again, refuses it the nodes written before (their permissions
     * name a domain it did not know then), so they are written anew. */
    if ((rc = libxl__xs_rm_checked(gc, t, dp)) ||
        (rc = libxl__xs_rm_checked(gc, t, cs->vm_path)) ||
        (rc = libxl__xs_rm_checked(gc, t, cs->libxl_path)))
        return rc;
    MKNOD(dp, ro);
    MKNOD(cs->vm_path, ro);
    MKNOD(cs->libxl_path, none);
    MKNOD(GCSPRINTF("%s/device", cs->libxl_path), none);

    rc = libxl__xs_write_checked(gc, t, GCSPRINTF("%s/vm", dp), cs->vm_path);
    if (rc)
        return rc;
    rc = libxl__domain_rename(gc, domid, NULL, c->name, t);
    if (rc)
        return rc;

    for (size_t i = 0; i < ARRAY_SIZE(ro_dirs); i++) {
        /* With xend's suspend event channel compatibility the guest
         * owns all of device/. */
        if (!strcmp(ro_dirs[i], "device") &&
            libxl_defbool_val(c->xend_suspend_evtchn_compat))
            MKNOD(GCSPRINTF("%s/device", dp), rw);
        else
            MKNOD(GCSPRINTF("%s/%s", dp, ro_dirs[i]), ro);
    }
    if (!libxl_defbool_val(c->xend_suspend_evtchn_compat))
        MKNOD(GCSPRINTF("%s/device/suspend/event-channel", dp), rw);
    if (hvm)
        MKNOD(GCSPRINTF("%s/hvmloader", dp), ro);
    for (size_t i = 0; i < ARRAY_SIZE(rw_nodes); i++) {
        MKNOD(GCSPRINTF("%s/%s", dp, rw_nodes[i]), rw);
        if (hvm && !strcmp(rw_nodes[i], "control/feature-suspend")) {
            MKNOD(GCSPRINTF("%s/control/feature-s3", dp), rw);
            MKNOD(GCSPRINTF("%s/control/feature-s4", dp), rw);
        }
    }
    if (libxl_defbool_val(c->driver_domain)) {
        MKNOD(GCSPRINTF("%s/libxl", dp), rw);
        MKNOD(GCSPRINTF("%s/device-model", dp), rw);
    }
#undef MKNOD

    if ((rc = libxl__xs_write_checked(gc, t,
                                      GCSPRINTF("%s/uuid", cs->vm_path),
                                      GCSPRINTF(LIBXL_UUID_FMT,
                                                LIBXL_UUID_BYTES(c->uuid)))) ||
        (rc = libxl__xs_write_checked(gc, t,
                                      GCSPRINTF("%s/name", cs->vm_path),
                                      c->name)) ||
        (rc = libxl__xs_writev(gc, t, dp, c->xsdata)) ||
        (rc = libxl__xs_writev(gc, t, GCSPRINTF("%s/platform", dp),
                               c->platformdata)) ||
        (rc = libxl__xs_write_checked(gc, t, GCSPRINTF("%s/control/"
                    "platform-feature-multiprocessor-suspend", dp), "1")) ||
        (rc = libxl__xs_write_checked(gc, t, GCSPRINTF("%s/control/"
                    "platform-feature-xs_reset_watches", dp), "1")))
        return rc;

    type = libxl_domain_type_to_string(c->type);
    if ((rc = libxl__xs_write_checked(gc, t,
                                      GCSPRINTF("%s/type", cs->libxl_path),
                                      type)) ||
        (rc = libxl__xs_write_checked(gc, t,
                                      GCSPRINTF("%s/dm-version",
                                                cs->libxl_path),
                                      libxl_device_model_version_to_string(
                                          b->device_model_version))))
        return rc;
    return 0;
}

static int step_xenstore_skeleton(libxl__gc *gc, libxl__create_state *cs)
{
    xs_transaction_t t = XBT_NULL;
    int rc;

    if (!cs->d_config->c_info.name || !*cs->d_config->c_info.name) {
        LOGD(ERROR, cs->domid, "the domain has no name");
        return ERROR_INVAL;
    }
    cs->dom_path = libxl__xs_get_dompath(gc, cs->domid);
    if (!cs->dom_path)
        return ERROR_FAIL;
    cs->vm_path = GCSPRINTF("/vm/" LIBXL_UUID_FMT,
                            LIBXL_UUID_BYTES(cs->d_config->c_info.uuid));
    cs->libxl_path = libxl__xs_libxl_path(gc, cs->domid);

    for (;;) {
        rc = libxl__xs_transaction_start(gc, &t);
        if (rc)
            goto out;
        rc = write_skeleton(gc, cs, t);
        if (rc)
            goto out;
        rc = libxl__xs_transaction_commit(gc, &t);
        if (!rc)
            break;
        if (rc < 0)
            goto out;
    }
out:
    libxl__xs_transaction_abort(gc, &t);
    return rc;
}

static void undo_xenstore_skeleton(libxl__gc *gc, libxl__create_state *cs)
{
    const char *dp;

    /* An existing domain stays listed, named and destroyable. */
    if (cs->existing)
        return;
    dp = cs->dom_path ? cs->dom_path : libxl__xs_get_dompath(gc, cs->domid);
    if (dp)
        libxl__xs_rm_checked(gc, XBT_NULL, dp);
    if (cs->vm_path)
        libxl__xs_rm_checked(gc, XBT_NULL, cs->vm_path);
    libxl__xs_rm_checked(gc, XBT_NULL, libxl__xs_libxl_path(gc, cs->domid));
}

static int step_max_vcpus(libxl__gc *gc, libxl__create_state *cs)
{
    if (SYS->domain_max_vcpus(CTX, cs->domid,
                              cs->d_config->b_info.max_vcpus) < 0) {
        LOGED(ERROR, cs->domid, "Couldn't set max vcpu count");
        return ERROR_FAIL;
    }
    return 0;
}

static int step_max_memory(libxl__gc *gc, libxl__create_state *cs)
{
    uint64_t kb = cs->d_config->b_info.target_memkb + LIBXL_MAXMEM_CONSTANT;

    if (SYS->domain_setmaxmem(CTX, cs->domid, kb) < 0) {
        LOGED(ERROR, cs->domid, "Couldn't set max memory");
        return ERROR_FAIL;
    }
    return 0;
}

/* The domid of a tool as xenstore says (dom0 when not said). */
static uint32_t tool_domid(libxl__gc *gc, const char *tool)
{
    const char *v = libxl__xs_read(gc, XBT_NULL,
                                   GCSPRINTF("/tool/%s/domid", tool));
    return v ? (uint32_t)strtoul(v, NULL, 10) : 0;
}

static int step_event_channels(libxl__gc *gc, libxl__create_state *cs)
{
    cs->store_domid = tool_domid(gc, "xenstored");
    cs->console_domid = tool_domid(gc, "xenconsoled");
    cs->store_port = SYS->evtchn_alloc_unbound(CTX, cs->domid,
                                               cs->store_domid);
    if (cs->store_port < 0) {
        LOGED(ERROR, cs->domid, "allocating the xenstore event channel");
        return ERROR_FAIL;
    }
    cs->console_port = SYS->evtchn_alloc_unbound(CTX, cs->domid,
                                                 cs->console_domid);
    if (cs->console_port < 0) {
        LOGED(ERROR, cs->domid, "allocating the console event channel");
        return ERROR_FAIL;
    }
    return 0;
}

/* tsc, time offset, paging pool, HVM params, PV memmap limit. */
static int step_arch_setup(libxl__gc *gc, libxl__create_state *cs)
{
    const libxl_domain_build_info *b = &cs->d_config->b_info;
    uint32_t domid = cs->domid;
    struct { uint32_t param; uint64_t value; const char *name; } p[5];
    int n = 0, rc;

    if (b->type == LIBXL_DOMAIN_TYPE_HVM) {
        p[n++] = (typeof(p[0])){ HVM_PARAM_HPET_ENABLED,
                                 libxl_defbool_val(b->u.hvm.hpet),
                                 "HVM_PARAM_HPET_ENABLED" };
        p[n++] = (typeof(p[0])){ HVM_PARAM_VPT_ALIGN,
                                 libxl_defbool_val(b->u.hvm.vpt_align),
                                 "HVM_PARAM_VPT_ALIGN" };
        if (b->u.hvm.mca_caps)
            p[n++] = (typeof(p[0])){ HVM_PARAM_MCA_CAP, b->u.hvm.mca_caps,
                                     "HVM_PARAM_MCA_CAP" };
    }
    if (b->type != LIBXL_DOMAIN_TYPE_PV) {
        /* libxl_timer_mode values are Xen's HVMPTM_* */
        unsigned int altp2m = b->altp2m;

        if (b->type == LIBXL_DOMAIN_TYPE_HVM &&
            b->altp2m == LIBXL_ALTP2M_MODE_DISABLED &&
            libxl_defbool_val(b->u.hvm.altp2m))
            altp2m = 1;
        p[n++] = (typeof(p[0])){ HVM_PARAM_TIMER_MODE, b->timer_mode,
                                 "HVM_PARAM_TIMER_MODE" };
        p[n++] = (typeof(p[0])){ HVM_PARAM_ALTP2M, altp2m,
                                 "HVM_PARAM_ALTP2M" };
    }
    for (int i = 0; i < n; i++)
        if (SYS->hvm_param_set(CTX, domid, p[i].param, p[i].value) < 0) {
            LOGED(ERROR, domid, "Couldn't set %s", p[i].name);
            return ERROR_FAIL;
        }
    rc = TUN->create_xc->arch_setup(gc, cs);
    return rc;
}

static int step_build(libxl__gc *gc, libxl__create_state *cs)
{
    gettimeofday(&cs->start_time, NULL);
    return TUN->create_xc->build(gc, cs);
}

/* b_info.sched_params (upstream applies them in its build step): what
 * the config or a restart's stored configuration sets holds from the
 * start, and again after a soft reset. */
static int step_sched_params(libxl__gc *gc, libxl__create_state *cs)
{
    return libxl_domain_sched_params_set(CTX, cs->domid,
                                         &cs->d_config->b_info.sched_params);
}

/* An existing domain keeps its store and console pages (soft reset):
 * find them, and give the guest the new event channels. */
static int step_rebind(libxl__gc *gc, libxl__create_state *cs)
{
    uint64_t v;

    if (!cs->existing)
        return 0;
    gettimeofday(&cs->start_time, NULL);
    if (cs->d_config->c_info.type == LIBXL_DOMAIN_TYPE_PV) {
        LOGD(ERROR, cs->domid, "a PV domain cannot be rebuilt in place");
        return ERROR_INVAL;
    }
    if (SYS->hvm_param_get(CTX, cs->domid, HVM_PARAM_STORE_PFN, &v) < 0)
        goto fail;
    cs->store_mfn = v;
    if (SYS->hvm_param_get(CTX, cs->domid, HVM_PARAM_CONSOLE_PFN, &v) < 0)
        goto fail;
    cs->console_mfn = v;
    if (SYS->hvm_param_set(CTX, cs->domid, HVM_PARAM_STORE_EVTCHN,
                           cs->store_port) < 0 ||
        SYS->hvm_param_set(CTX, cs->domid, HVM_PARAM_CONSOLE_EVTCHN,
                           cs->console_port) < 0)
        goto fail;
    return 0;
fail:
    LOGED(ERROR, cs->domid, "reading/setting the store and console params");
    return ERROR_FAIL;
}

static int step_xenstore_domain(libxl__gc *gc, libxl__create_state *cs)
{
    const libxl_domain_build_info *b = &cs->d_config->b_info;
    char start[64];
    const char *vm_path = libxl__xs_read(gc, XBT_NULL,
                                         GCSPRINTF("%s/vm", cs->dom_path));
    libxl__kvs ents = { 0 }, vments = { 0 }, localents = { 0 };
    xs_transaction_t t = XBT_NULL;
    int rc;
    uint64_t fudge = 0;

    if (!vm_path) {
        LOGD(ERROR, cs->domid, "%s/vm is missing", cs->dom_path);
        return ERROR_FAIL;
    }
    /* upstream's libxl__get_targetmem_fudge */
    if (b->type == LIBXL_DOMAIN_TYPE_HVM && b->max_memkb > b->target_memkb)
        fudge = LIBXL_MAXMEM_CONSTANT;

    libxl__kvs_add(gc, &ents, "memory/static-max",
                   GCSPRINTF("%" PRIu64, b->max_memkb));
    libxl__kvs_add(gc, &ents, "memory/target",
                   GCSPRINTF("%" PRIu64, b->target_memkb - fudge));
    libxl__kvs_add(gc, &ents, "memory/videoram",
                   GCSPRINTF("%" PRIu64, b->video_memkb));
    libxl__kvs_add(gc, &ents, "domid", GCSPRINTF("%u", cs->domid));
    libxl__kvs_add(gc, &ents, "store/port", GCSPRINTF("%d", cs->store_port));
    libxl__kvs_add(gc, &ents, "store/ring-ref",
                   GCSPRINTF("%" PRIu64, cs->store_mfn));
    for (int v = 0; v < b->max_vcpus; v++)
        libxl__kvs_add(gc, &ents, GCSPRINTF("cpu/%d/availability", v),
                       libxl_bitmap_test(&b->avail_vcpus, v) ? "online"
                                                             : "offline");

    snprintf(start, sizeof(start), "%jd.%02d",
             (intmax_t)cs->start_time.tv_sec,
             (int)cs->start_time.tv_usec / 10000);
    switch (b->type) {
    case LIBXL_DOMAIN_TYPE_HVM:
        libxl__kvs_add(gc, &vments, "rtc/timeoffset",
                       b->u.hvm.timeoffset ? b->u.hvm.timeoffset : "");
        libxl__kvs_add(gc, &vments, "image/ostype", "hvm");
        libxl__kvs_add(gc, &vments, "start_time", libxl__strdup(gc, start));
        libxl__kvs_add(gc, &localents, "platform/acpi",
                       libxl_defbool_val(b->acpi) &&
                       libxl_defbool_val(b->u.hvm.acpi) ? "1" : "0");
        libxl__kvs_add(gc, &localents, "platform/acpi_s3",
                       libxl_defbool_val(b->u.hvm.acpi_s3) ? "1" : "0");
        libxl__kvs_add(gc, &localents, "platform/acpi_s4",
                       libxl_defbool_val(b->u.hvm.acpi_s4) ? "1" : "0");
        libxl__kvs_add(gc, &localents, "platform/acpi_laptop_slate",
                       libxl_defbool_val(b->u.hvm.acpi_laptop_slate)
                       ? "1" : "0");
        if (b->u.hvm.mmio_hole_memkb &&
            (1ULL << 32) - (b->u.hvm.mmio_hole_memkb << 10) <=
                HVM_BELOW_4G_MMIO_START)
            libxl__kvs_add(gc, &localents, "platform/mmio_hole_size",
                           GCSPRINTF("%" PRIu64,
                                     b->u.hvm.mmio_hole_memkb << 10));
        libxl__kvs_add(gc, &localents, "platform/device-model",
                       libxl_device_model_version_to_string(
                           b->device_model_version));
        break;
    case LIBXL_DOMAIN_TYPE_PV:
        libxl__kvs_add(gc, &vments, "image/ostype", "linux");
        libxl__kvs_add(gc, &vments, "image/kernel", b->kernel);
        libxl__kvs_add(gc, &vments, "start_time", libxl__strdup(gc, start));
        if (b->ramdisk)
            libxl__kvs_add(gc, &vments, "image/ramdisk", b->ramdisk);
        if (b->cmdline)
            libxl__kvs_add(gc, &vments, "image/cmdline", b->cmdline);
        break;
    default:
        libxl__kvs_add(gc, &vments, "start_time", libxl__strdup(gc, start));
        break;
    }

    for (;;) {
        rc = libxl__xs_transaction_start(gc, &t);
        if (rc)
            goto out;
        if ((rc = libxl__xs_writev(gc, t, cs->dom_path, ents.kv)) ||
            (rc = libxl__xs_writev(gc, t, cs->dom_path, localents.kv)) ||
            (rc = libxl__xs_writev(gc, t, vm_path, vments.kv)))
            goto out;
        rc = libxl__xs_transaction_commit(gc, &t);
        if (!rc)
            break;
        if (rc < 0)
            goto out;
    }
out:
    libxl__xs_transaction_abort(gc, &t);
    return rc;
}

static int step_introduce(libxl__gc *gc, libxl__create_state *cs)
{
    if (!SYS->xs_introduce_domain(CTX, cs->domid, cs->store_mfn,
                                  cs->store_port)) {
        LOGED(ERROR, cs->domid, "introducing the domain to xenstored");
        return ERROR_FAIL;
    }
    return 0;
}

/* A new domain is not released: its destruction (undo of domain-create)
 * makes xenstored forget it and fire @releaseDomain, which tells
 * xenconsoled to let go of its ring; released first, it would die
 * unannounced and linger as a zombie.  An existing one stays, so it is
 * released. */
static void undo_introduce(libxl__gc *gc, libxl__create_state *cs)
{
    if (!cs->existing)
        return;
    if (!SYS->xs_release_domain(CTX, cs->domid) && errno != ENOENT &&
        errno != EINVAL)
        LOGED(WARN, cs->domid, "releasing the domain in xenstored");
}

static int step_console(libxl__gc *gc, libxl__create_state *cs)
{
    const char *top = GCSPRINTF("/local/domain/%u/backend",
                                cs->console_domid);

    /* The shared parents this step brings, which its undo takes away
     * again (only those: the others were there before). */
    cs->console_new_parents =
        !libxl__xs_read(gc, XBT_NULL, top) ? 2 :
        !libxl__xs_read(gc, XBT_NULL, GCSPRINTF("%s/console", top)) ? 1 : 0;
    return libxl__console_primary_write(gc, cs, XBT_NULL);
}

static void undo_console(libxl__gc *gc, libxl__create_state *cs)
{
    if (cs->dom_path)
        libxl__xs_rm_checked(gc, XBT_NULL,
                             GCSPRINTF("%s/console", cs->dom_path));
    libxl__xs_rm_checked(gc, XBT_NULL,
                         GCSPRINTF("%s/device/console",
                                   libxl__xs_libxl_path(gc, cs->domid)));
    libxl__console_backend_remove(gc, cs->console_domid, cs->domid,
                                  cs->console_new_parents);
}

static int step_devices(libxl__gc *gc, libxl__create_state *cs)
{
    return TUN->create_xc->devices_add(gc, cs->domid, cs->d_config);
}

static void undo_devices(libxl__gc *gc, libxl__create_state *cs)
{
    libxl__devices_destroy_added(gc, cs->domid);
}

static int step_device_model(libxl__gc *gc, libxl__create_state *cs)
{
    /* HVM: the device model; PV, PVH: a xenpv QEMU for the backends
     * only it serves (qdisk disks ...), chosen by the devices step. */
    if (!libxl__dm_needed(cs->d_config))
        return 0;
    return TUN->create_xc->dm_spawn(gc, cs->domid, cs->d_config,
                                      cs->dm_restore_file);
}

static void undo_device_model(libxl__gc *gc, libxl__create_state *cs)
{
    libxl__dm_destroy(gc, cs->domid);
}

static int console_tty_check(libxl__gc *gc, const char *value, void *arg)
{
    return value && *value ? 0 : 1;
}

/* How long xenconsoled gets to take a rebuilt console's new event
 * channel, and how often it is looked at. */
#define CONSOLE_BIND_TIMEOUT_MS 10000
#define CONSOLE_BIND_POLL_MS 5

/* An existing domain (soft reset) keeps its tty, which xenconsoled does
 * not publish again: what tells that xenconsoled has the console back is
 * the new event channel bound at its end. */
static int console_bound_wait(libxl__gc *gc, libxl__create_state *cs)
{
    struct timespec step = { 0, CONSOLE_BIND_POLL_MS * 1000000L };
    int waited = 0, status = -1;
    uint32_t remote = 0;

    for (;;) {
        if (SYS->evtchn_status(CTX, cs->domid, (uint32_t)cs->console_port,
                               &status, &remote) < 0) {
            LOGED(ERROR, cs->domid, "reading the console event channel %d",
                  cs->console_port);
            return ERROR_FAIL;
        }
        if (status == EVTCHNSTAT_interdomain &&
            remote == cs->console_domid)
            return 0;
        if (waited >= CONSOLE_BIND_TIMEOUT_MS) {
            LOGD(ERROR, cs->domid, "xenconsoled did not take the console's "
                 "event channel %d in %d ms", cs->console_port,
                 CONSOLE_BIND_TIMEOUT_MS);
            return ERROR_TIMEDOUT;
        }
        nanosleep(&step, NULL);
        waited += CONSOLE_BIND_POLL_MS;
    }
}

/* Waits for xenconsoled to publish the tty (or, for an existing domain,
 * to bind the console again), then reports the console available
 * (upstream reports it there, after the devices). */
static int step_console_wait(libxl__gc *gc, libxl__create_state *cs)
{
    char *tty_path;
    int rc;

    if (cs->existing && cs->console_tty) {
        rc = console_bound_wait(gc, cs);
        if (rc)
            return rc;
        goto report;
    }
    rc = libxl__console_tty_path(gc, cs->domid, 0, LIBXL_CONSOLE_TYPE_PV,
                                 &tty_path);
    if (rc)
        return rc;
    rc = libxl__xswait(gc, GCSPRINTF("domain %u console tty", cs->domid),
                       tty_path, console_tty_check, NULL,
                       CONSOLE_TTY_TIMEOUT_MS);
    if (rc)
        return rc;
report:
    if (cs->aop_console_how && !cs->console_reported) {
        cs->console_reported = true;
        libxl__ao_progress_report(gc, cs->aop_console_how,
                                  LIBXL_EVENT_TYPE_DOMAIN_CREATE_CONSOLE_AVAILABLE,
                                  cs->domid);
    }
    return 0;
}

/* The configuration the domain keeps: the caller's, updated with what
 * creation decided that upstream records too. */
static int step_store_config(libxl__gc *gc, libxl__create_state *cs)
{
    libxl_domain_config stored;
    int rc;

    libxl_domain_config_init(&stored);
    libxl_domain_config_copy(CTX, &stored, cs->saved);
    libxl_uuid_copy(CTX, &stored.c_info.uuid, &cs->d_config->c_info.uuid);
    stored.b_info.video_memkb = cs->d_config->b_info.video_memkb;
    libxl_defbool_setdefault(&stored.b_info.arch_x86.msr_relaxed,
        libxl_defbool_val(cs->d_config->b_info.arch_x86.msr_relaxed));
    /* What the devices area completed (devids, types, MACs), as
     * upstream's device add updates the stored NICs */
    for (int i = 0; i < stored.num_nics && i < cs->d_config->num_nics; i++) {
        libxl_device_nic *dst = &stored.nics[i];
        const libxl_device_nic *src = &cs->d_config->nics[i];
        dst->devid = src->devid;
        dst->nictype = src->nictype;
        libxl_mac_copy(CTX, &dst->mac, &src->mac);
    }
    rc = libxl__domain_config_store(gc, cs->domid, &stored);
    libxl_domain_config_dispose(&stored);
    return rc;
}

static void undo_store_config(libxl__gc *gc, libxl__create_state *cs)
{
    /* An existing domain keeps the configuration it had. */
    if (cs->existing)
        return;
    libxl__userdata_destroyall(gc, cs->domid);
}

const libxl__create_step libxl__create_steps[] = {
    { "domain-create", step_domain_create, undo_domain_create,
      LIBXL__CREATE_NEW_ONLY },
    { "lock", step_lock, undo_lock, 0 },
    { "xenstore-skeleton", step_xenstore_skeleton, undo_xenstore_skeleton,
      0 },
    { "max-vcpus", step_max_vcpus, NULL, LIBXL__CREATE_NEW_ONLY },
    { "max-memory", step_max_memory, NULL, 0 },
    { "event-channels", step_event_channels, NULL, 0 },
    { "arch-setup", step_arch_setup, NULL, LIBXL__CREATE_NEW_ONLY },
    { "build", step_build, NULL, LIBXL__CREATE_NEW_ONLY },
    { "sched-params", step_sched_params, NULL, 0 },
    { "rebind", step_rebind, NULL, 0 },
    { "xenstore-domain", step_xenstore_domain, NULL, 0 },
    { "introduce", step_introduce, undo_introduce, 0 },
    { "console", step_console, undo_console, 0 },
    { "devices", step_devices, undo_devices, 0 },
    { "device-model", step_device_model, undo_device_model, 0 },
    { "console-wait", step_console_wait, NULL, 0 },
    { "store-config", step_store_config, undo_store_config, 0 },
    { NULL, NULL, NULL, 0 },
};

int libxl__create_run(libxl__gc *gc, libxl__create_state *cs,
                      void (*trace)(const char *what, const char *step))
{
    const libxl__create_step *s;
    bool ran[ARRAY_SIZE(libxl__create_steps)] = { false };
    unsigned long xs0;
    const char *fault;
    int i, rc = 0;

    for (i = 0; libxl__create_steps[i].name; i++) {
        s = &libxl__create_steps[i];
        if (cs->existing && (s->flags & LIBXL__CREATE_NEW_ONLY)) {
            if (trace)
                trace("skip", s->name);
            continue;
        }
        if (trace)
            trace("run", s->name);
        libxl__test_hold(gc, cs->domid, cs->existing ? "rebuild" : "create",
                         s->name);
        ran[i] = true;
        xs0 = CTX->xs_requests;
        /* rebuild:<step> fails it in a soft reset's rebuild only */
        fault = cs->existing && libxl__fault_injected("rebuild", s->name)
                ? "rebuild"
                : libxl__fault_injected("create", s->name) ? "create" : NULL;
        if (fault) {
            LOGD(ERROR, cs->domid, "%s step %s: injected failure", fault,
                 s->name);
            rc = ERROR_FAIL;
        } else {
            rc = s->run(gc, cs);
            if (rc)
                LOGD(ERROR, cs->domid, "create step %s failed (%d)",
                     s->name, rc);
        }
        if (rc)
            break;
        LOGD(DEBUG, cs->domid, "create step %s done (%lu xenstore requests)",
             s->name, CTX->xs_requests - xs0);
    }
    if (!rc)
        return 0;

    for (; i >= 0; i--) {
        s = &libxl__create_steps[i];
        if (!ran[i] || !s->undo)
            continue;
        if (trace)
            trace("undo", s->name);
        s->undo(gc, cs);
    }
    return rc;
}

/*
 * Public entry points.
 */

static int domain_create(libxl__gc *gc, libxl_domain_config *d_config,
                         uint32_t *domid_out,
                         const libxl_asyncprogress_how *aop_console_how)
{
    libxl__create_state cs = {
        .d_config = d_config,
        .domid = INVALID_DOMID,
        .aop_console_how = aop_console_how,
        .store_port = -1,
        .console_port = -1,
    };
    libxl_domain_config saved;
    int rc;

    libxl_domain_config_init(&saved);
    libxl_domain_config_copy(CTX, &saved, d_config);
    cs.saved = &saved;

    if (libxl_uuid_is_nil(&d_config->c_info.uuid))
        libxl_uuid_generate(&d_config->c_info.uuid);
    rc = libxl__domain_config_setdefault(gc, d_config, INVALID_DOMID);
    if (rc)
        goto out;
    rc = libxl__create_run(gc, &cs, NULL);
    if (rc)
        goto out;
    libxl__domain_lock_release(gc, cs.lock);
    *domid_out = cs.domid;
out:
    libxl_domain_config_dispose(&saved);
    return rc;
}

int libxl_domain_create_new(libxl_ctx *ctx, libxl_domain_config *d_config,
                            uint32_t *domid,
                            const libxl_asyncop_how *ao_how,
                            const libxl_asyncprogress_how *aop_console_how)
{
    GC_INIT(ctx);
    int rc;

    *domid = INVALID_DOMID;
    /* A new domain is no COLO secondary: upstream records that in the
     * caller's disks, so the stored configuration says it too. */
    for (int i = 0; i < d_config->num_disks; i++)
        libxl_defbool_set(&d_config->disks[i].colo_restore_enable, false);
    rc = domain_create(gc, d_config, domid, aop_console_how);
    GC_FREE;
    return libxl__ao_result(ctx, ao_how, rc);
}

int libxl_domain_create_restore(libxl_ctx *ctx,
                                libxl_domain_config *d_config,
                                uint32_t *domid, int restore_fd,
                                int send_back_fd,
                                const libxl_domain_restore_params *params,
                                const libxl_asyncop_how *ao_how,
                                const libxl_asyncprogress_how *aop_console_how)
{
    GC_INIT(ctx);

    (void)d_config; (void)restore_fd; (void)send_back_fd; (void)params;
    (void)aop_console_how;
    *domid = INVALID_DOMID;
    LOG(ERROR, "domain restore is not implemented yet");
    GC_FREE;
    return libxl__ao_result(ctx, ao_how, ERROR_NI);
}
