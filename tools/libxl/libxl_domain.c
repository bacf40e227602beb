/*
 * libxl_domain.c: a domain after create: list and info, pause and
 * unpause, rename, shutdown and reboot requests, triggers, destroy.
 */
#include <ctype.h>

#include "libxl_internal.h"
#include "libxl_sys.h"
#include "libxl_xshelp.h"
#include "libxl_event_internal.h"
#include "libxl_domain.h"
#include "libxl_device.h"
#include "libxl_dm.h"

#include <xen/hvm/params.h>

#define PAGE_TO_MEMKB(pages) ((uint64_t)(pages) << (XC_PAGE_SHIFT - 10))

/*
 * Info.
 */
libxl_domain_type libxl__domain_type_of(const xc_domaininfo_t *info)
{
    if (!(info->flags & XEN_DOMINF_hvm_guest))
        return LIBXL_DOMAIN_TYPE_PV;
    /* A PVH container emulates the local APICs and nothing else. */
    if (!(info->arch_config.emulation_flags & ~XEN_X86_EMU_LAPIC))
        return LIBXL_DOMAIN_TYPE_PVH;
    return LIBXL_DOMAIN_TYPE_HVM;
}

libxl_domain_type libxl__domain_type(libxl__gc *gc, uint32_t domid)
{
    xc_domaininfo_t info;
    const char *type;
    libxl_domain_type t;
    int rc = libxl__domain_getinfo1(gc, domid, &info);

    if (rc) {
        if (rc == ERROR_DOMAIN_NOTFOUND)
            LOGD(ERROR, domid, "no such domain");
        return LIBXL_DOMAIN_TYPE_INVALID;
    }
    if (!(info.flags & XEN_DOMINF_hvm_guest))
        return LIBXL_DOMAIN_TYPE_PV;
    /* What the toolstack that built it recorded, as upstream; else what
     * Xen emulates for it. */
    if (!libxl__xs_read_checked(gc, XBT_NULL,
                                GCSPRINTF("%s/type",
                                          libxl__xs_libxl_path(gc, domid)),
                                &type) &&
        type && !libxl_domain_type_from_string(type, &t) &&
        t != LIBXL_DOMAIN_TYPE_INVALID)
        return t;
    return libxl__domain_type_of(&info);
}

void libxl__dominfo_from_xc(libxl__gc *gc, libxl_dominfo *info,
                            const xc_domaininfo_t *x)
{
    memcpy(libxl_uuid_bytearray(&info->uuid), x->handle, 16);
    info->domid = x->domain;
    info->ssidref = x->ssidref;
    info->running = !!(x->flags & XEN_DOMINF_running);
    info->blocked = !!(x->flags & XEN_DOMINF_blocked);
    info->paused = !!(x->flags & XEN_DOMINF_paused);
    info->shutdown = !!(x->flags & XEN_DOMINF_shutdown);
    info->dying = !!(x->flags & XEN_DOMINF_dying);
    info->never_stop = !!(x->flags & XEN_DOMINF_xs_domain);
    info->shutdown_reason = info->shutdown ? libxl__shutdown_reason_of(x)
                                           : LIBXL_SHUTDOWN_REASON_UNKNOWN;
    info->outstanding_memkb = PAGE_TO_MEMKB(x->outstanding_pages);
    info->current_memkb = PAGE_TO_MEMKB(x->tot_pages);
    info->shared_memkb = PAGE_TO_MEMKB(x->shr_pages);
    info->paged_memkb = PAGE_TO_MEMKB(x->paged_pages);
    info->max_memkb = PAGE_TO_MEMKB(x->max_pages);
    info->cpu_time = x->cpu_time;
    info->vcpu_max_id = x->max_vcpu_id;
    info->vcpu_online = x->nr_online_vcpus;
    info->cpupool = x->cpupool;
    info->gpaddr_bits = x->gpaddr_bits;
    /* upstream: HVM for every HVM container, PVH included */
    info->domain_type = (x->flags & XEN_DOMINF_hvm_guest)
                            ? LIBXL_DOMAIN_TYPE_HVM : LIBXL_DOMAIN_TYPE_PV;
}

libxl_dominfo *libxl_list_domain(libxl_ctx *ctx, int *nb_domain_out)
{
    GC_INIT(ctx);
    libxl_dominfo *list = NULL;
    xc_domaininfo_t *infos;
    uint32_t next = 0;
    int n = 0, room = 0;

    *nb_domain_out = 0;
    infos = libxl__calloc(gc, 256, sizeof(*infos));
    for (;;) {
        int got = SYS->domain_getinfolist(CTX, next, 256, infos);
        if (got < 0) {
            LOGE(ERROR, "cannot list the domains");
            for (int i = 0; i < n; i++)
                libxl_dominfo_dispose(&list[i]);
            free(list);
            list = NULL;
            n = 0;
            goto out;
        }
        if (n + got > room) {
            room = n + got;
            list = libxl__realloc(NOGC, list, (size_t)room * sizeof(*list));
        }
        for (int i = 0; i < got; i++) {
            libxl_dominfo_init(&list[n]);
            libxl__dominfo_from_xc(gc, &list[n], &infos[i]);
            n++;
        }
        if (got < 256)
            break;
        next = infos[got - 1].domain + 1;
    }
    /* upstream returns an allocation even for no domain */
    if (!list)
        list = libxl__zalloc(NOGC, sizeof(*list));
    *nb_domain_out = n;
out:
    GC_FREE;
    return list;
}

void libxl_dominfo_list_free(libxl_dominfo *list, int nb_domain)
{
    for (int i = 0; list && i < nb_domain; i++)
        libxl_dominfo_dispose(&list[i]);
    free(list);
}

int libxl_domain_info(libxl_ctx *ctx, libxl_dominfo *info_r, uint32_t domid)
{
    GC_INIT(ctx);
    xc_domaininfo_t info;
    int rc = libxl__domain_getinfo1(gc, domid, &info);

    if (!rc && info_r) {
        libxl_dominfo_init(info_r);
        libxl__dominfo_from_xc(gc, info_r, &info);
    }
    GC_FREE;
    return rc;
}

/*
 * Names.
 */
char *libxl__domid_to_name(libxl__gc *gc, uint32_t domid)
{
    return libxl__xs_read(gc, XBT_NULL,
                          GCSPRINTF("/local/domain/%" PRIu32 "/name",
                                    domid));
}

char *libxl_domid_to_name(libxl_ctx *ctx, uint32_t domid)
{
    GC_INIT(ctx);
    char *s = libxl__strdup(NOGC, libxl__domid_to_name(gc, domid));

    GC_FREE;
    return s;
}

/*
 * ERROR_INVAL (upstream's "no domain of that name") only when every listed
 * domain's name could be read; a name that could not be read (a xenstore
 * error other than ENOENT, logged by the read) or a list that could not
 * be had is ERROR_FAIL: the name may well exist.
 */
int libxl_name_to_domid(libxl_ctx *ctx, const char *name, uint32_t *domid)
{
    libxl_dominfo *list;
    int n, unread = 0, rc = ERROR_INVAL;
    GC_INIT(ctx);

    if (!name) {
        GC_FREE;
        return ERROR_INVAL;
    }
    list = libxl_list_domain(ctx, &n);
    if (!list) {
        GC_FREE;
        return ERROR_FAIL;      /* logged; our allocators do not fail */
    }
    for (int i = 0; i < n; i++) {
        const char *d;

        if (libxl__xs_read_checked(gc, XBT_NULL,
                                   GCSPRINTF("/local/domain/%" PRIu32
                                             "/name", list[i].domid),
                                   &d)) {
            unread++;
            continue;
        }
        if (d && !strcmp(d, name)) {
            *domid = list[i].domid;
            rc = 0;
            break;
        }
    }
    if (rc && unread) {
        LOG(ERROR, "cannot tell whether a domain is named \"%s\": the names "
            "of %d of %d domains could not be read", name, unread, n);
        rc = ERROR_FAIL;
    }
    libxl_dominfo_list_free(list, n);
    GC_FREE;
    return rc;
}

int libxl_domain_qualifier_to_domid(libxl_ctx *ctx, const char *name,
                                    uint32_t *domid)
{
    if (!name || !*name)
        return ERROR_INVAL;
    for (const char *p = name; *p; p++)
        if (!isdigit((unsigned char)*p))
            return libxl_name_to_domid(ctx, name, domid);
    *domid = (uint32_t)strtoul(name, NULL, 10);
    return 0;
}

uint32_t libxl_vm_get_start_time(libxl_ctx *ctx, uint32_t domid)
{
    GC_INIT(ctx);
    const char *vm = libxl__xs_vm_path(gc, domid), *t = NULL;
    uint32_t ret = (uint32_t)-1;

    if (vm)
        t = libxl__xs_read(gc, XBT_NULL, GCSPRINTF("%s/start_time", vm));
    if (!t)
        LOGD(ERROR, domid, "cannot get the start time of the domain");
    else
        ret = (uint32_t)strtoul(t, NULL, 10);   /* "seconds.hundredths" */
    GC_FREE;
    return ret;
}

int libxl_get_scheduler(libxl_ctx *ctx)
{
    GC_INIT(ctx);
    int id = 0, rc;

    if (SYS->sched_id(CTX, &id) < 0) {
        LOGE(ERROR, "cannot get the scheduler");
        rc = ERROR_FAIL;
    } else {
        rc = id;            /* XEN_SCHEDULER_* are libxl_scheduler values */
    }
    GC_FREE;
    return rc;
}

static int core_dump(libxl__gc *gc, uint32_t domid, const char *filename)
{
    if (!filename || !*filename) {
        LOGD(ERROR, domid, "no core file name");
        return ERROR_INVAL;
    }
    if (SYS->domain_dumpcore(CTX, domid, filename) < 0) {
        LOGED(ERROR, domid, "cannot dump the core to %s", filename);
        return errno == ESRCH ? ERROR_DOMAIN_NOTFOUND : ERROR_FAIL;
    }
    return 0;
}

int libxl_domain_core_dump(libxl_ctx *ctx, uint32_t domid,
                           const char *filename,
                           const libxl_asyncop_how *ao_how)
{
    GC_INIT(ctx);
    libxl__domain_lock *lock;
    int rc = libxl__domain_lock_acquire(gc, domid, &lock);

    if (!rc) {
        rc = core_dump(gc, domid, filename);
        libxl__domain_lock_release(gc, lock);
    }
    GC_FREE;
    return libxl__ao_result(ctx, ao_how, rc);
}

/*
 * Pause, unpause.
 */
int libxl__domain_pause(libxl__gc *gc, uint32_t domid)
{
    if (SYS->domain_pause(CTX, domid) < 0) {
        LOGED(ERROR, domid, "cannot pause the domain");
        return errno == ESRCH ? ERROR_DOMAIN_NOTFOUND : ERROR_FAIL;
    }
    return 0;
}

int libxl__domain_unpause(libxl__gc *gc, uint32_t domid)
{
    int rc;

    if (libxl__domain_type(gc, domid) == LIBXL_DOMAIN_TYPE_HVM) {
        /* An emulator stopped with the guest runs again first. */
        rc = libxl__dm_resume(gc, domid);
        if (rc) {
            LOGD(ERROR, domid, "cannot resume the device model");
            return rc;
        }
    }
    if (SYS->domain_unpause(CTX, domid) < 0) {
        LOGED(ERROR, domid, "cannot unpause the domain");
        return errno == ESRCH ? ERROR_DOMAIN_NOTFOUND : ERROR_FAIL;
    }
    return 0;
}

/* rc = op(gc, domid) with the domain lock held. */
static int locked(libxl__gc *gc, uint32_t domid,
                  int (*op)(libxl__gc *gc, uint32_t domid))
{
    libxl__domain_lock *lock;
    int rc = libxl__domain_lock_acquire(gc, domid, &lock);

    if (rc)
        return rc;
    rc = op(gc, domid);
    /* No such domain: its lock file would be left behind.  Removing it
     * while holding it is safe (see libxl_lock.c). */
    if (rc == ERROR_DOMAIN_NOTFOUND)
        libxl__domain_lock_remove(gc, domid);
    libxl__domain_lock_release(gc, lock);
    return rc;
}

int libxl_domain_pause(libxl_ctx *ctx, uint32_t domid,
                       const libxl_asyncop_how *ao_how)
{
    GC_INIT(ctx);
    int rc = locked(gc, domid, libxl__domain_pause);

    GC_FREE;
    return libxl__ao_result(ctx, ao_how, rc);
}

int libxl_domain_unpause(libxl_ctx *ctx, uint32_t domid,
                         const libxl_asyncop_how *ao_how)
{
    GC_INIT(ctx);
    int rc = locked(gc, domid, libxl__domain_unpause);

    GC_FREE;
    return libxl__ao_result(ctx, ao_how, rc);
}

/*
 * Rename.
 */
static int rename_in(libxl__gc *gc, uint32_t domid, const char *old_name,
                     const char *new_name, xs_transaction_t t)
{
    char *dompath = libxl__xs_get_dompath(gc, domid);
    const char *got, *vm;
    int rc;

    if (!dompath)
        return ERROR_FAIL;
    if (old_name) {
        rc = libxl__xs_read_checked(gc, t, GCSPRINTF("%s/name", dompath),
                                    &got);
        if (rc)
            return rc;
        if (!got || strcmp(got, old_name)) {
            LOGD(ERROR, domid, "the domain is named \"%s\", not \"%s\"",
                 got ? got : "", old_name);
            return ERROR_INVAL;
        }
    }
    rc = libxl__xs_write_checked(gc, t, GCSPRINTF("%s/name", dompath),
                                 new_name);
    if (rc)
        return rc;
    rc = libxl__xs_read_checked(gc, t, GCSPRINTF("%s/vm", dompath), &vm);
    if (rc)
        return rc;
    if (vm)
        rc = libxl__xs_write_checked(gc, t, GCSPRINTF("%s/name", vm),
                                     new_name);
    return rc;
}

int libxl__domain_rename(libxl__gc *gc, uint32_t domid,
                         const char *old_name, const char *new_name,
                         xs_transaction_t trans)
{
    xs_transaction_t t = XBT_NULL;
    libxl_domain_config d_config;
    uint32_t other;
    int rc;

    if (!new_name) {
        LOGD(ERROR, domid, "no new name given");
        return ERROR_INVAL;
    }
    /* A non-empty name is unique. */
    if (new_name[0]) {
        rc = libxl_name_to_domid(CTX, new_name, &other);
        if (!rc && other != domid) {
            LOGD(ERROR, domid, "domain %" PRIu32 " is already named \"%s\"",
                 other, new_name);
            return ERROR_INVAL;
        }
        if (rc && rc != ERROR_INVAL)
            return rc;
    }

    if (trans != XBT_NULL) {
        rc = rename_in(gc, domid, old_name, new_name, trans);
        if (rc)
            return rc;
    } else {
        for (;;) {
            rc = libxl__xs_transaction_start(gc, &t);
            if (rc)
                goto out;
            rc = rename_in(gc, domid, old_name, new_name, t);
            if (rc)
                goto out;
            rc = libxl__xs_transaction_commit(gc, &t);
            if (!rc)
                break;
            if (rc < 0)
                goto out;
        }
    }

    /* The stored configuration follows. */
    libxl_domain_config_init(&d_config);
    rc = libxl__domain_config_retrieve(gc, domid, &d_config);
    if (!rc) {
        free(d_config.c_info.name);
        d_config.c_info.name = libxl__strdup(NOGC, new_name);
        rc = libxl__domain_config_store(gc, domid, &d_config);
    } else if (rc == ERROR_JSON_CONFIG_EMPTY) {
        rc = 0;
    }
    libxl_domain_config_dispose(&d_config);
out:
    libxl__xs_transaction_abort(gc, &t);
    return rc;
}

int libxl_domain_rename(libxl_ctx *ctx, uint32_t domid,
                        const char *old_name, const char *new_name)
{
    GC_INIT(ctx);
    libxl__domain_lock *lock;
    int rc = libxl__domain_lock_acquire(gc, domid, &lock);

    if (!rc) {
        rc = libxl__domain_rename(gc, domid, old_name, new_name, XBT_NULL);
        libxl__domain_lock_release(gc, lock);
    }
    GC_FREE;
    return rc;
}

/*
 * Shutdown and reboot requests.
 */
int libxl__domain_pvcontrol_available(libxl__gc *gc, uint32_t domid)
{
    uint64_t callback = 0;

    switch (libxl__domain_type(gc, domid)) {
    case LIBXL_DOMAIN_TYPE_INVALID:
        return ERROR_FAIL;
    case LIBXL_DOMAIN_TYPE_HVM:
        break;
    default:
        return 1;               /* PV and PVH guests always have it */
    }
    /* An HVM guest with PV drivers has set its event callback. */
    if (SYS->hvm_param_get(CTX, domid, HVM_PARAM_CALLBACK_IRQ,
                           &callback) < 0) {
        LOGED(ERROR, domid, "cannot read the HVM callback parameter");
        return ERROR_FAIL;
    }
    return callback != 0;
}

static int pvcontrol_acked(libxl__gc *gc, const char *value, void *arg)
{
    /* The guest empties (or removes) the node once it has seen it. */
    return !value || !*value ? 0 : 1;
}

int libxl__domain_pvcontrol(libxl__gc *gc, uint32_t domid, const char *cmd)
{
    char *dompath, *path;
    int rc = libxl__domain_pvcontrol_available(gc, domid);

    if (rc < 0)
        return rc;
    if (!rc)
        return ERROR_NOPARAVIRT;    /* no log: the caller says what next */
    dompath = libxl__xs_get_dompath(gc, domid);
    if (!dompath)
        return ERROR_FAIL;
    path = GCSPRINTF("%s/control/shutdown", dompath);
    rc = libxl__xs_write_checked(gc, XBT_NULL, path, cmd);
    if (rc)
        return rc;
    rc = libxl__xswait(gc, GCSPRINTF("the guest to acknowledge the %s "
                                     "request", cmd),
                       path, pvcontrol_acked, NULL,
                       TUN->pvcontrol_timeout_ms);
    if (rc)
        LOGD(ERROR, domid, "guest didn't acknowledge control request: %d",
             rc);
    return rc;
}

static int do_poweroff(libxl__gc *gc, uint32_t domid)
{
    return libxl__domain_pvcontrol(gc, domid, "poweroff");
}

static int do_reboot(libxl__gc *gc, uint32_t domid)
{
    return libxl__domain_pvcontrol(gc, domid, "reboot");
}

int libxl_domain_shutdown(libxl_ctx *ctx, uint32_t domid,
                          const libxl_asyncop_how *ao_how)
{
    GC_INIT(ctx);
    int rc = locked(gc, domid, do_poweroff);

    GC_FREE;
    return libxl__ao_result(ctx, ao_how, rc);
}

int libxl_domain_reboot(libxl_ctx *ctx, uint32_t domid,
                        const libxl_asyncop_how *ao_how)
{
    GC_INIT(ctx);
    int rc = locked(gc, domid, do_reboot);

    GC_FREE;
    return libxl__ao_result(ctx, ao_how, rc);
}

int libxl__send_trigger(libxl__gc *gc, uint32_t domid,
                        libxl_trigger trigger, uint32_t vcpuid)
{
    uint32_t t;

    switch (trigger) {
    case LIBXL_TRIGGER_POWER: t = XEN_DOMCTL_SENDTRIGGER_POWER; break;
    case LIBXL_TRIGGER_SLEEP: t = XEN_DOMCTL_SENDTRIGGER_SLEEP; break;
    case LIBXL_TRIGGER_NMI: t = XEN_DOMCTL_SENDTRIGGER_NMI; break;
    case LIBXL_TRIGGER_INIT: t = XEN_DOMCTL_SENDTRIGGER_INIT; break;
    case LIBXL_TRIGGER_RESET: t = XEN_DOMCTL_SENDTRIGGER_RESET; break;
    case LIBXL_TRIGGER_S3RESUME:
        if (SYS->hvm_param_set(CTX, domid, HVM_PARAM_ACPI_S_STATE, 0) < 0) {
            LOGED(ERROR, domid, "cannot resume the domain from S3");
            return ERROR_FAIL;
        }
        return 0;
    default:
        LOGD(ERROR, domid, "unknown trigger %d", (int)trigger);
        return ERROR_INVAL;
    }
    if (SYS->domain_send_trigger(CTX, domid, t, vcpuid) < 0) {
        LOGED(ERROR, domid, "cannot send the %s trigger",
              libxl_trigger_to_string(trigger));
        return errno == ESRCH ? ERROR_DOMAIN_NOTFOUND : ERROR_FAIL;
    }
    return 0;
}

int libxl_send_trigger(libxl_ctx *ctx, uint32_t domid,
                       libxl_trigger trigger, uint32_t vcpuid,
                       const libxl_asyncop_how *ao_how)
{
    GC_INIT(ctx);
    libxl__domain_lock *lock;
    int rc = libxl__domain_lock_acquire(gc, domid, &lock);

    if (!rc) {
        rc = libxl__send_trigger(gc, domid, trigger, vcpuid);
        libxl__domain_lock_release(gc, lock);
    }
    GC_FREE;
    return libxl__ao_result(ctx, ao_how, rc);
}

/*
 * Destroy.
 */
static void keep_first(int *rc, int r)
{
    if (r && !*rc)
        *rc = r;
}

static int destroy_locked(libxl__gc *gc, uint32_t domid)
{
    xc_domaininfo_t info;
    const char *dompath = GCSPRINTF("/local/domain/%" PRIu32, domid);
    const char *vm = NULL;
    bool exists;
    int rc = 0, r;

    r = libxl__domain_getinfo1(gc, domid, &info);
    if (r && r != ERROR_DOMAIN_NOTFOUND)
        return r;
    exists = !r;
    /* Read before anything goes: the /vm path is only known from here. */
    if (libxl__xs_read_checked(gc, XBT_NULL, GCSPRINTF("%s/vm", dompath),
                               &vm))
        vm = NULL;

    if (exists) {
        if (SYS->domain_pause(CTX, domid) < 0 && errno != ESRCH)
            LOGED(WARN, domid, "cannot pause the domain before destroying "
                  "it");
    } else {
        LOGD(ERROR, domid, "Non-existant domain");
        rc = ERROR_DOMAIN_NOTFOUND;
        if (!vm && !libxl__xs_read(gc, XBT_NULL, dompath) &&
            !libxl__xs_read(gc, XBT_NULL, libxl__xs_libxl_path(gc, domid)))
            return rc;          /* nothing left of it either */
        LOGD(INFO, domid, "removing what is left of the domain");
    }

    /* The emulator first (it uses the backends), then the devices. */
    r = libxl__dm_destroy(gc, domid);
    if (r)
        LOGD(ERROR, domid, "cannot stop the device model");
    keep_first(&rc, r);
    r = libxl__devices_destroy(gc, domid);
    if (r)
        LOGD(ERROR, domid, "cannot tear down the devices");
    keep_first(&rc, r);

    /* Into the history first, as upstream: a create racing with us must
     * not get the domid the moment it is free.  Not recorded, the domid
     * is only as reusable as it was before the history existed: the
     * destruction goes on. */
    if (exists && libxl__domid_history_mark(gc, domid))
        LOGD(WARN, domid, "the domid is not in the domid history: a new "
             "domain may get it at once");
    if (exists && SYS->domain_destroy(CTX, domid) < 0 && errno != ESRCH) {
        LOGED(ERROR, domid, "cannot destroy the domain in the hypervisor");
        keep_first(&rc, ERROR_FAIL);
    }

    if (vm && vm[0] == '/' && strncmp(vm, "/vm/", 4) == 0)
        keep_first(&rc, libxl__xs_rm_checked(gc, XBT_NULL, vm));
    keep_first(&rc, libxl__xs_rm_checked(gc, XBT_NULL, dompath));
    keep_first(&rc, libxl__xs_rm_checked(gc, XBT_NULL,
                                         libxl__xs_libxl_path(gc, domid)));
    keep_first(&rc, libxl__userdata_destroyall(gc, domid));
    libxl__domain_lock_remove(gc, domid);
    return rc;
}

int libxl__domain_destroy(libxl__gc *gc, uint32_t domid)
{
    if (domid == 0) {
        LOGD(ERROR, domid, "cannot destroy the control domain");
        return ERROR_INVAL;
    }
    return locked(gc, domid, destroy_locked);
}

int libxl_domain_destroy(libxl_ctx *ctx, uint32_t domid,
                         const libxl_asyncop_how *ao_how)
{
    GC_INIT(ctx);
    int rc = libxl__domain_destroy(gc, domid);

    if (rc)
        LOGD(ERROR, domid, "Destruction of domain failed");
    GC_FREE;
    return libxl__ao_result(ctx, ao_how, rc);
}
