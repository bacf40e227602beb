/*
 * libxl_device.c: the generic device machinery: frontend, backend and
 * libxl xenstore nodes, the backend state machine (xen/io/xenbus.h),
 * hotplug scripts, removal and the teardown of all of a domain's
 * devices.  Disks and NICs are in libxl_disk.c and libxl_nic.c.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include "libxl_internal.h"
#include "libxl_sys.h"
#include "libxl_xshelp.h"
#include "libxl_exec.h"
#include "libxl_device.h"

char *libxl__device_frontend_path(libxl__gc *gc, const libxl__device *dev)
{
    /* The primary console's frontend predates the device directory. */
    if (!strcmp(dev->kind, "console") && dev->devid == 0)
        return GCSPRINTF("/local/domain/%" PRIu32 "/console", dev->domid);
    return GCSPRINTF("/local/domain/%" PRIu32 "/device/%s/%d", dev->domid,
                     dev->kind, dev->devid);
}

char *libxl__device_backend_path(libxl__gc *gc, const libxl__device *dev)
{
    return GCSPRINTF("/local/domain/%" PRIu32 "/backend/%s/%" PRIu32 "/%d",
                     dev->backend_domid, dev->backend_kind, dev->domid,
                     dev->devid);
}

char *libxl__device_libxl_path(libxl__gc *gc, const libxl__device *dev)
{
    return GCSPRINTF("/libxl/%" PRIu32 "/device/%s/%d", dev->domid,
                     dev->kind, dev->devid);
}

char *libxl__device_script_path(libxl__gc *gc, const char *script)
{
    if (script[0] == '/')
        return libxl__strdup(gc, script);
    return GCSPRINTF("%s/%s", TUN->xen_script_dir, script);
}

bool libxl__device_qemu_backend(const libxl__device *dev)
{
    return !strcmp(dev->backend_kind, "qdisk") ||
           !strcmp(dev->backend_kind, "vfb") ||
           !strcmp(dev->backend_kind, "vkbd") ||
           !strcmp(dev->backend_kind, "qusb");
}

static const char *device_what(libxl__gc *gc, const libxl__device *dev)
{
    return GCSPRINTF("%s %d of domain %" PRIu32, dev->kind, dev->devid,
                     dev->domid);
}

/*
 * Adding.
 */
/* The entries under dir with perms of their own.  xenstored gives a
 * node that dom0 creates its parent's permissions, so entries that
 * share dir's need only be written (libxl__xs_writev). */
static int write_entries_perms(libxl__gc *gc, xs_transaction_t t,
                               const char *dir, char **kvs,
                               struct xs_permissions *perms,
                               unsigned int nperms)
{
    int rc;

    for (char **kv = kvs; kv && kv[0]; kv += 2) {
        const char *p;
        if (!kv[1]) continue;
        p = GCSPRINTF("%s/%s", dir, kv[0]);
        rc = libxl__xs_write_checked(gc, t, p, kv[1]);
        if (rc) return rc;
        if (!SYS->xs_set_permissions(CTX, t, p, perms, nperms)) {
            LOGE(ERROR, "xenstore set permissions of %s failed", p);
            return ERROR_FAIL;
        }
    }
    return 0;
}

int libxl__device_generic_add(libxl__gc *gc, const libxl__device *dev,
                              char **bents, char **fents, char **ro_fents)
{
    const char *fe = libxl__device_frontend_path(gc, dev);
    const char *be = libxl__device_backend_path(gc, dev);
    const char *lp = libxl__device_libxl_path(gc, dev);
    /* The guest owns its frontend, the backend domain may read it; the
     * backend domain owns the backend, the guest may read it; only the
     * toolstack sees libxl's copy. */
    struct xs_permissions fe_perms[] = {
        { .id = dev->domid, .perms = XS_PERM_NONE },
        { .id = dev->backend_domid, .perms = XS_PERM_READ },
    };
    struct xs_permissions be_perms[] = {
        { .id = dev->backend_domid, .perms = XS_PERM_NONE },
        { .id = dev->domid, .perms = XS_PERM_READ },
    };
    struct xs_permissions no_perms[] = {
        { .id = 0, .perms = XS_PERM_NONE },
    };
    /* frontend entries the guest may read but not change */
    struct xs_permissions ro_perms[] = {
        { .id = 0, .perms = XS_PERM_NONE },
        { .id = dev->domid, .perms = XS_PERM_READ },
    };
    xs_transaction_t t = XBT_NULL;
    int rc;

    for (;;) {
        rc = libxl__xs_transaction_start(gc, &t);
        if (rc) goto out;

        rc = libxl__xs_rm_checked(gc, t, fe);
        if (rc) goto out;
        rc = libxl__xs_rm_checked(gc, t, be);
        if (rc) goto out;
        rc = libxl__xs_rm_checked(gc, t, lp);
        if (rc) goto out;

        if (fents || ro_fents) {
            rc = libxl__xs_mknod(gc, t, fe, fe_perms, ARRAY_SIZE(fe_perms));
            if (rc) goto out;
            rc = libxl__xs_write_checked(gc, t, GCSPRINTF("%s/backend", fe),
                                         be);
            if (rc) goto out;
            rc = libxl__xs_writev(gc, t, fe, fents);
            if (rc) goto out;
            rc = write_entries_perms(gc, t, fe, ro_fents, ro_perms,
                                     ARRAY_SIZE(ro_perms));
            if (rc) goto out;
        }

        rc = libxl__xs_mknod(gc, t, be, be_perms, ARRAY_SIZE(be_perms));
        if (rc) goto out;
        rc = libxl__xs_write_checked(gc, t, GCSPRINTF("%s/frontend", be), fe);
        if (rc) goto out;
        rc = libxl__xs_writev(gc, t, be, bents);
        if (rc) goto out;

        rc = libxl__xs_mknod(gc, t, lp, no_perms, ARRAY_SIZE(no_perms));
        if (rc) goto out;
        rc = libxl__xs_write_checked(gc, t, GCSPRINTF("%s/frontend", lp), fe);
        if (rc) goto out;
        rc = libxl__xs_write_checked(gc, t, GCSPRINTF("%s/backend", lp), be);
        if (rc) goto out;
        rc = libxl__xs_writev(gc, t, lp, bents);
        if (rc) goto out;

        rc = libxl__xs_transaction_commit(gc, &t);
        if (!rc) break;
        if (rc < 0) goto out;
    }
out:
    libxl__xs_transaction_abort(gc, &t);
    return rc;
}

/* Backend ready for its frontend (InitWait, or further on if the
 * frontend was quick); Closing/Closed (or gone) is a failure. */
static int initwait_check(libxl__gc *gc, const char *value, void *arg)
{
    const char *be = arg;
    int st;

    if (!value) {
        LOG(ERROR, "backend %s vanished while waiting for it", be);
        return ERROR_FAIL;
    }
    st = atoi(value);
    if (st >= XenbusStateInitWait && st <= XenbusStateConnected)
        return 0;
    if (st >= XenbusStateClosing) {
        LOG(ERROR, "backend %s is closing (state %d) instead of waiting "
            "for its frontend", be, st);
        return ERROR_FAIL;
    }
    return 1;
}

typedef enum { HOTPLUG_ADD, HOTPLUG_REMOVE } hotplug_action;

/* The argv and env of the device's hotplug script as upstream runs it,
 * or 0 with *argv_r NULL if the device has none. */
static int hotplug_script_info(libxl__gc *gc, const libxl__device *dev,
                               hotplug_action action,
                               const char ***argv_r, const char ***env_r)
{
    const char *be = libxl__device_backend_path(gc, dev);
    const char *lp = libxl__device_libxl_path(gc, dev);
    bool vif = !strcmp(dev->backend_kind, "vif");
    const char *script, **argv, **env;
    int n = 0;

    *argv_r = NULL;
    *env_r = NULL;
    if (!vif && strcmp(dev->backend_kind, "vbd"))
        return 0;               /* qdisk, console ...: none */

    script = libxl__xs_read(gc, XBT_NULL, GCSPRINTF("%s/script", be));
    if (!script)
        script = libxl__xs_read(gc, XBT_NULL, GCSPRINTF("%s/script", lp));
    if (!script) {
        if (vif) {
            LOG(ERROR, "%s: no hotplug script in %s", device_what(gc, dev),
                be);
            return ERROR_FAIL;
        }
        return 0;
    }

    script = libxl__device_script_path(gc, script);
    GCNEW_ARRAY(argv, 4);
    argv[0] = script;
    if (vif) {
        argv[1] = action == HOTPLUG_ADD ? "online" : "offline";
        argv[2] = "type_if=vif";
    } else {
        argv[1] = action == HOTPLUG_ADD ? "add" : "remove";
    }

    GCNEW_ARRAY(env, 16);
    env[n++] = "script";
    env[n++] = script;
    env[n++] = "XENBUS_TYPE";
    env[n++] = dev->backend_kind;
    env[n++] = "XENBUS_PATH";
    env[n++] = GCSPRINTF("backend/%s/%" PRIu32 "/%d", dev->backend_kind,
                         dev->domid, dev->devid);
    env[n++] = "XENBUS_BASE_PATH";
    env[n++] = "backend";
    if (vif) {
        const char *gw = libxl__xs_read(gc, XBT_NULL,
                                        GCSPRINTF("%s/gatewaydev", be));
        const char *vifname = libxl__xs_read(gc, XBT_NULL,
                                             GCSPRINTF("%s/vifname", lp));
        env[n++] = "netdev";
        env[n++] = gw ? gw : "";
        env[n++] = "vif";
        env[n++] = libxl__device_nic_devname(gc, dev->domid, dev->devid,
                                             vifname, LIBXL_NIC_TYPE_VIF);
    }
    env[n] = NULL;
    *argv_r = argv;
    *env_r = env;
    return 0;
}

static int run_hotplug(libxl__gc *gc, const libxl__device *dev,
                       hotplug_action action)
{
    const char **argv, **env;
    const char *be = libxl__device_backend_path(gc, dev);
    libxl__exec_spec spec;
    char *what;
    int rc;

    rc = hotplug_script_info(gc, dev, action, &argv, &env);
    if (rc || !argv)
        return rc;
    what = GCSPRINTF("hotplug script %s %s for %s", argv[0], argv[1],
                     device_what(gc, dev));
    LOG(DEBUG, "running %s", what);
    libxl__exec_spec_init(&spec, argv);
    spec.env = env;
    rc = libxl__exec_run(gc, what, &spec, TUN->device_hotplug_timeout_ms,
                         NULL);
    if (rc) {
        const char *err = libxl__xs_read(gc, XBT_NULL,
                                         GCSPRINTF("%s/hotplug-error", be));
        if (err)
            LOG(ERROR, "%s: %s/hotplug-error: %s", what, be, err);
    }
    return rc;
}

int libxl__device_connect(libxl__gc *gc, const libxl__device *dev)
{
    const char *be = libxl__device_backend_path(gc, dev);
    const char *status, *err;
    int rc;

    if (libxl__device_qemu_backend(dev))
        return 0;           /* QEMU connects it when it starts */

    rc = libxl__xswait(gc, GCSPRINTF("backend of %s to wait for its "
                                     "frontend (XenbusStateInitWait)",
                                     device_what(gc, dev)),
                       GCSPRINTF("%s/state", be), initwait_check,
                       (void *)be, TUN->device_init_timeout_ms);
    if (rc)
        return rc;

    rc = run_hotplug(gc, dev, HOTPLUG_ADD);
    if (rc)
        return rc;
    /* Only the scripts (vif's, vbd's when it has one) report. */
    if (strcmp(dev->backend_kind, "vif") &&
        (strcmp(dev->backend_kind, "vbd") ||
         !libxl__xs_read(gc, XBT_NULL, GCSPRINTF("%s/script", be))))
        return 0;

    status = libxl__xs_read(gc, XBT_NULL, GCSPRINTF("%s/hotplug-status", be));
    if (!status || strcmp(status, "connected")) {
        err = libxl__xs_read(gc, XBT_NULL, GCSPRINTF("%s/hotplug-error", be));
        LOG(ERROR, "%s: the hotplug script exited 0 but %s/hotplug-status "
            "is %s%s%s", device_what(gc, dev), be,
            status ? status : "absent", err ? ": " : "", err ? err : "");
        return ERROR_FAIL;
    }
    return 0;
}

/*
 * Removal.
 */

/* Removes path, then its parents up to (not including) floor while
 * they have no children left. */
static int path_cleanup(libxl__gc *gc, xs_transaction_t t, const char *path,
                        const char *floor)
{
    char *p = libxl__strdup(gc, path);
    size_t fl = strlen(floor);
    int rc;

    rc = libxl__xs_rm_checked(gc, t, p);
    if (rc)
        return rc;
    for (;;) {
        char *slash = strrchr(p, '/');
        unsigned int n;
        char **children;

        if (!slash || (size_t)(slash - p) <= fl)
            break;
        *slash = '\0';
        if (strncmp(p, floor, fl) || p[fl] != '/')
            break;
        children = libxl__xs_directory(gc, t, p, &n);
        if (children && n)
            break;
        rc = libxl__xs_rm_checked(gc, t, p);
        if (rc)
            return rc;
    }
    return 0;
}

static int closed_check(libxl__gc *gc, const char *value, void *arg)
{
    if (!value || atoi(value) == XenbusStateClosed)
        return 0;
    return 1;
}

static int remove_nodes(libxl__gc *gc, const libxl__device *dev)
{
    xs_transaction_t t = XBT_NULL;
    int rc;

    for (;;) {
        rc = libxl__xs_transaction_start(gc, &t);
        if (rc) goto out;
        rc = path_cleanup(gc, t, libxl__device_frontend_path(gc, dev),
                          GCSPRINTF("/local/domain/%" PRIu32, dev->domid));
        if (rc) goto out;
        /* Up to the backend domain's home: backend/<kind> and
         * backend/ themselves go when left empty, as upstream's
         * libxl__xs_path_cleanup does. */
        rc = path_cleanup(gc, t, libxl__device_backend_path(gc, dev),
                          GCSPRINTF("/local/domain/%" PRIu32,
                                    dev->backend_domid));
        if (rc) goto out;
        rc = path_cleanup(gc, t, libxl__device_libxl_path(gc, dev),
                          GCSPRINTF("/libxl/%" PRIu32, dev->domid));
        if (rc) goto out;
        rc = libxl__xs_transaction_commit(gc, &t);
        if (!rc) break;
        if (rc < 0) goto out;
    }
out:
    libxl__xs_transaction_abort(gc, &t);
    return rc;
}

/* Whether domid is paused, dying, shut down or gone. */
static bool guest_stopped(libxl__gc *gc, uint32_t domid)
{
    xc_domaininfo_t info;

    if (libxl__domain_getinfo1(gc, domid, &info))
        return true;
    return info.flags & (XEN_DOMINF_paused | XEN_DOMINF_dying |
                         XEN_DOMINF_shutdown);
}

int libxl__device_remove(libxl__gc *gc, const libxl__device *dev, bool force)
{
    const char *be = libxl__device_backend_path(gc, dev);
    const char *fe = libxl__device_frontend_path(gc, dev);
    const char *state_path = GCSPRINTF("%s/state", be);
    const char *state, *fe_state;
    xs_transaction_t t = XBT_NULL;
    int rc = 0, r, st;

    LOG(DEBUG, "removing %s (backend %s)%s", device_what(gc, dev), be,
        force ? ", forced" : "");
    for (;;) {
        rc = libxl__xs_transaction_start(gc, &t);
        if (rc) goto out;
        state = libxl__xs_read(gc, t, state_path);
        fe_state = libxl__xs_read(gc, t, GCSPRINTF("%s/state", fe));
        if (state) {
            rc = libxl__xs_write_checked(gc, t, GCSPRINTF("%s/online", be),
                                         "0");
            if (rc) goto out;
            if (atoi(state) != XenbusStateClosed) {
                rc = libxl__xs_printf(gc, t, state_path, "%d",
                                      XenbusStateClosing);
                if (rc) goto out;
            }
            /* Forced (destroy, soft reset: the guest is paused or gone
             * and will not answer): close the frontend on its behalf,
             * so the backend closes now instead of at the timeout. */
            if (force && fe_state && atoi(fe_state) != XenbusStateClosed) {
                rc = libxl__xs_printf(gc, t, GCSPRINTF("%s/state", fe), "%d",
                                      XenbusStateClosed);
                if (rc) goto out;
            }
        }
        rc = libxl__xs_transaction_commit(gc, &t);
        if (!rc) break;
        if (rc < 0) goto out;
    }

    st = state ? atoi(state) : XenbusStateInitialising;
    /* A backend never probed (state Initialising) will not answer, nor
     * will QEMU, forced, for a guest that is paused, shutting down or
     * gone: destroy and soft reset stop it first (upstream gives it a
     * 2 s grace period then, and closes the backend on its behalf).
     * Nor, forced, a backend whose frontend is gone: a soft reset has
     * released the domain in xenstored, which took the guest's nodes
     * without the backend hearing of it (blkback stays in InitWait or
     * Connected, measured): it goes with its nodes, as at the timeout. */
    if (state && st != XenbusStateClosed &&
        st != XenbusStateInitialising &&
        !(force && (libxl__device_qemu_backend(dev) || !fe_state) &&
          guest_stopped(gc, dev->domid))) {
        r = libxl__xswait(gc, GCSPRINTF("backend of %s to close",
                                        device_what(gc, dev)),
                          state_path, closed_check, NULL,
                          TUN->device_destroy_timeout_ms);
        if (r && !force) {
            rc = r;
            goto out;
        }
        if (r)
            LOG(WARN, "%s: removing it anyway", device_what(gc, dev));
    }

    /* The add script runs once the backend is past Initialising. */
    if (st != XenbusStateInitialising) {
        r = run_hotplug(gc, dev, HOTPLUG_REMOVE);
        if (r && !force) {
            rc = r;
            goto out;
        }
        if (r)
            LOG(WARN, "%s: removing it despite its hotplug script's "
                "failure", device_what(gc, dev));
    }
    r = remove_nodes(gc, dev);
    if (!rc) rc = r;
out:
    libxl__xs_transaction_abort(gc, &t);
    return rc;
}

/*
 * Devids and listing.
 */
static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return (x > y) - (x < y);
}

static void add_devids(libxl__gc *gc, const char *dir, int **ids, int *num)
{
    unsigned int n;
    char **ents = libxl__xs_directory(gc, XBT_NULL, dir, &n);

    for (unsigned int i = 0; ents && i < n; i++) {
        char *end;
        long v;
        bool dup = false;

        errno = 0;
        v = strtol(ents[i], &end, 10);
        if (errno || *end || v < 0 || v > INT_MAX)
            continue;
        for (int j = 0; j < *num; j++)
            dup |= (*ids)[j] == (int)v;
        if (dup)
            continue;
        *ids = libxl__realloc(gc, *ids, (size_t)(*num + 1) * sizeof(int));
        (*ids)[(*num)++] = (int)v;
    }
}

int *libxl__device_list_devids(libxl__gc *gc, uint32_t domid,
                               const char *kind, int *num)
{
    int *ids = NULL;

    *num = 0;
    add_devids(gc, GCSPRINTF("/libxl/%" PRIu32 "/device/%s", domid, kind),
               &ids, num);
    if (ids)
        qsort(ids, (size_t)*num, sizeof(int), cmp_int);
    return ids;
}

int libxl__device_nextid(libxl__gc *gc, uint32_t domid, const char *kind)
{
    int *ids = NULL, num = 0, next = 0;

    add_devids(gc, GCSPRINTF("/libxl/%" PRIu32 "/device/%s", domid, kind),
               &ids, &num);
    add_devids(gc, GCSPRINTF("/local/domain/%" PRIu32 "/device/%s", domid,
                             kind), &ids, &num);
    if (ids)
        qsort(ids, (size_t)num, sizeof(int), cmp_int);
    for (int i = 0; i < num; i++)
        if (ids[i] == next)
            next++;
    return next;
}

/*
 * All of a domain's devices.
 */

/* Parses /local/domain/<b>/backend/<kind>/<domid>/<devid>. */
static int parse_backend_path(const char *path, uint32_t domid,
                              uint32_t *bdomid, char *bkind, size_t bkind_sz,
                              int *devid)
{
    unsigned int b, d;
    int id, used = -1;
    char k[32];

    if (sscanf(path, "/local/domain/%u/backend/%31[a-z0-9]/%u/%d%n", &b, k,
               &d, &id, &used) != 4 || used < 0 || path[used] || d != domid)
        return -1;
    *bdomid = b;
    *devid = id;
    snprintf(bkind, bkind_sz, "%s", k);
    return 0;
}

typedef struct {
    libxl__device dev;
} found_device;

static void note_device(libxl__gc *gc, found_device **list, int *n,
                        const libxl__device *dev)
{
    for (int i = 0; i < *n; i++) {
        const libxl__device *o = &(*list)[i].dev;
        if (o->devid == dev->devid && !strcmp(o->kind, dev->kind) &&
            !strcmp(o->backend_kind, dev->backend_kind) &&
            o->backend_domid == dev->backend_domid)
            return;
    }
    *list = libxl__realloc(gc, *list, (size_t)(*n + 1) * sizeof(**list));
    (*list)[(*n)++].dev = *dev;
}

/* Devices known from a directory of <kind>/<devid>/backend entries
 * (libxl's records and the guest's frontends). */
static void find_from_records(libxl__gc *gc, uint32_t domid, const char *top,
                              found_device **list, int *n)
{
    unsigned int nk, nd;
    char **kinds = libxl__xs_directory(gc, XBT_NULL, top, &nk);

    for (unsigned int i = 0; kinds && i < nk; i++) {
        const char *kdir = GCSPRINTF("%s/%s", top, kinds[i]);
        char **devs = libxl__xs_directory(gc, XBT_NULL, kdir, &nd);

        for (unsigned int j = 0; devs && j < nd; j++) {
            const char *be = libxl__xs_read(gc, XBT_NULL,
                GCSPRINTF("%s/%s/backend", kdir, devs[j]));
            libxl__device dev = { .domid = domid, .kind = kinds[i] };
            char bkind[32];

            if (!be || parse_backend_path(be, domid, &dev.backend_domid,
                                          bkind, sizeof(bkind), &dev.devid) ||
                dev.devid != atoi(devs[j]))
                continue;
            dev.backend_kind = libxl__strdup(gc, bkind);
            note_device(gc, list, n, &dev);
        }
    }
}

/* Devices left in dom0's backend directories without any record. */
static void find_from_backends(libxl__gc *gc, uint32_t domid,
                               found_device **list, int *n)
{
    for (const libxl__device_kind *k = libxl__device_kinds; k->name; k++) {
        for (const char *const *b = k->backends; *b; b++) {
            unsigned int nd;
            const char *dir = GCSPRINTF("/local/domain/0/backend/%s/%" PRIu32,
                                        *b, domid);
            char **devs = libxl__xs_directory(gc, XBT_NULL, dir, &nd);

            for (unsigned int j = 0; devs && j < nd; j++) {
                libxl__device dev = {
                    .domid = domid, .backend_domid = 0,
                    .backend_kind = *b,
                    .kind = k->frontend,
                    .devid = atoi(devs[j]),
                };
                note_device(gc, list, n, &dev);
            }
        }
    }
}

static int devices_destroy(libxl__gc *gc, uint32_t domid, bool consoles)
{
    found_device *list = NULL;
    int n = 0, rc = 0;

    find_from_records(gc, domid,
                      GCSPRINTF("/libxl/%" PRIu32 "/device", domid), &list,
                      &n);
    find_from_records(gc, domid,
                      GCSPRINTF("/local/domain/%" PRIu32 "/device", domid),
                      &list, &n);
    find_from_backends(gc, domid, &list, &n);

    for (int i = 0; i < n; i++) {
        const libxl__device *dev = &list[i].dev;
        int r;

        /* Consoles have no state machine to drive: nodes only. */
        if (!strcmp(dev->backend_kind, "console") ||
            !strcmp(dev->backend_kind, "vuart")) {
            if (!consoles)
                continue;
            r = remove_nodes(gc, dev);
        } else
            r = libxl__device_remove(gc, dev, true);
        if (r && !rc)
            rc = r;
    }
    if (rc)
        LOGD(ERROR, domid, "some devices could not be torn down cleanly");
    return rc;
}

int libxl__devices_destroy(libxl__gc *gc, uint32_t domid)
{
    return devices_destroy(gc, domid, true);
}

int libxl__devices_destroy_added(libxl__gc *gc, uint32_t domid)
{
    return devices_destroy(gc, domid, false);
}

/*
 * Creation.
 */
int libxl__devices_add(libxl__gc *gc, uint32_t domid,
                       libxl_domain_config *d_config)
{
    for (const libxl__device_kind *k = libxl__device_kinds; k->name; k++) {
        int rc = k->add_all(gc, domid, d_config);

        if (rc) {
            libxl__devices_destroy_added(gc, domid);
            return rc;
        }
    }
    return 0;
}

static const char *const disk_backends[] = { "vbd", "qdisk", NULL };
static const char *const nic_backends[] = { "vif", NULL };
static const char *const vkb_backends[] = { "vkbd", "vinput", NULL };

const libxl__device_kind libxl__device_kinds[] = {
    { "disk", "vbd", disk_backends, libxl__devices_disk_add },
    { "nic", "vif", nic_backends, libxl__devices_nic_add },
    { "vkb", "vkbd", vkb_backends, libxl__devices_vkb_add },
    { NULL, NULL, NULL, NULL },
};
