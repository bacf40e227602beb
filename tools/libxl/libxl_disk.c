/*
 * libxl_disk.c: virtual block devices: vdev names and devids
 * (docs/misc/vbd-interface.txt), defaults and backend choice, the vbd
 * xenstore nodes (xen/io/blkif.h), the public disk calls.
 */
#include <sys/stat.h>

#include "libxl_internal.h"
#include "libxl_xshelp.h"
#include "libxl_event_internal.h"
#include "libxl_domain.h"
#include "libxl_device.h"

#include <xen/io/protocols.h>

/*
 * Names and numbers.
 */

/* prefix, then a drive in base-26 letters (a, ..., z, aa, ...) up to
 * max_disk, then an optional partition number without leading zero up
 * to max_part.  1 if vdev is such a name. */
static int match_letters(const char *vdev, const char *prefix, int max_disk,
                         int max_part, int *disk, int *part)
{
    size_t pl = strlen(prefix);
    const char *p;
    long d = -1;
    char *end;
    unsigned long n;

    if (strncmp(vdev, prefix, pl))
        return 0;
    for (p = vdev + pl; *p >= 'a' && *p <= 'z'; p++) {
        d = (d + 1) * 26 + (*p - 'a');
        if (d > max_disk)
            return 0;
    }
    if (d < 0)
        return 0;
    *disk = (int)d;
    if (!*p) {
        *part = 0;
        return 1;
    }
    if (*p < '1' || *p > '9')
        return 0;
    errno = 0;
    n = strtoul(p, &end, 10);
    if (errno || *end || n > (unsigned long)max_part)
        return 0;
    *part = (int)n;
    return 1;
}

/* "d<disk>p<part>" or "d<disk>" with plain decimal numbers. */
static int match_dp(const char *vdev, int *disk, int *part)
{
    const char *p = vdev + 1;
    unsigned long d, n = 0;
    char *end;

    if (vdev[0] != 'd' || *p < '0' || *p > '9')
        return 0;
    errno = 0;
    d = strtoul(p, &end, 10);
    if (errno || d >= (1UL << 20))
        return 0;
    if (*end == 'p') {
        p = end + 1;
        if (*p < '0' || *p > '9')
            return 0;
        n = strtoul(p, &end, 10);
        if (errno || n > 255)
            return 0;
    }
    if (*end)
        return 0;
    *disk = (int)d;
    *part = (int)n;
    return 1;
}

int libxl__device_disk_dev_number(const char *vdev, int *pdisk,
                                  int *ppartition)
{
    /* IDE majors of hda/hdb and hdc/hdd */
    static const int ide_major[] = { 3, 22 };
    int disk, part;
    unsigned long n;
    char *end;

    if (!vdev || !*vdev)
        return -1;
    if (match_dp(vdev, &disk, &part) ||
        match_letters(vdev, "xvd", (1 << 20) - 1, 255, &disk, &part)) {
        if (pdisk) *pdisk = disk;
        if (ppartition) *ppartition = part;
        if (disk < 16 && part < 16)
            return (202 << 8) | (disk << 4) | part;
        return (1 << 28) | (disk << 8) | part;
    }
    if (*vdev >= '0' && *vdev <= '9') {
        errno = 0;
        n = strtoul(vdev, &end, 0);
        if (errno || *end || n > INT_MAX)
            return -1;
        if (pdisk || ppartition)
            return -1;
        return (int)n;
    }
    if (match_letters(vdev, "hd", 3, 63, &disk, &part)) {
        if (pdisk) *pdisk = disk;
        if (ppartition) *ppartition = part;
        return (ide_major[disk / 2] << 8) | ((disk & 1) << 6) | part;
    }
    if (match_letters(vdev, "sd", 15, 15, &disk, &part)) {
        if (pdisk) *pdisk = disk;
        if (ppartition) *ppartition = part;
        return (8 << 8) | (disk << 4) | part;
    }
    return -1;
}

char *libxl__devid_to_vdev(libxl__gc *gc, int devid)
{
    int disk, part;
    char letters[8], *p = letters + sizeof(letters) - 1;

    if (devid < 0)
        return NULL;
    if (devid & (1 << 28)) {
        disk = (devid >> 8) & 0xfffff;
        part = devid & 0xff;
    } else if ((devid >> 8) == 202) {
        disk = (devid >> 4) & 0xf;
        part = devid & 0xf;
    } else {
        return NULL;
    }
    *p = '\0';
    for (int d = disk + 1; d > 0; d = (d - 1) / 26)
        *--p = (char)('a' + (d - 1) % 26);
    return part ? GCSPRINTF("xvd%s%d", p, part) : GCSPRINTF("xvd%s", p);
}

const char *libxl__device_disk_string_of_backend(libxl_disk_backend b)
{
    switch (b) {
    case LIBXL_DISK_BACKEND_PHY: return "phy";
    case LIBXL_DISK_BACKEND_TAP: return "tap";
    case LIBXL_DISK_BACKEND_QDISK: return "qdisk";
    case LIBXL_DISK_BACKEND_STANDALONE: return "standalone";
    default: return NULL;
    }
}

/* As QEMU's xen_disk takes it in "params" (<format>:<path>). */
const char *libxl__device_disk_string_of_format(libxl_disk_format f)
{
    switch (f) {
    case LIBXL_DISK_FORMAT_QCOW: return "qcow";
    case LIBXL_DISK_FORMAT_QCOW2: return "qcow2";
    case LIBXL_DISK_FORMAT_VHD: return "vhd";
    case LIBXL_DISK_FORMAT_RAW:
    case LIBXL_DISK_FORMAT_EMPTY: return "aio";
    case LIBXL_DISK_FORMAT_QED: return "qed";
    default: return NULL;
    }
}

/*
 * Defaults and the backend.
 */

/* Whether backend can serve disk: blkback (phy) takes raw data in a
 * block device or a regular file (the block script puts a loop device
 * on it), QEMU (qdisk) any format. */
static bool backend_suits(libxl__gc *gc, const libxl_device_disk *disk,
                          libxl_disk_backend backend, const struct stat *st,
                          bool explain)
{
    switch (backend) {
    case LIBXL_DISK_BACKEND_PHY:
        if (disk->format != LIBXL_DISK_FORMAT_RAW) {
            if (explain)
                LOG(ERROR, "Disk vdev=%s: backend phy takes raw data only, "
                    "not %s", disk->vdev,
                    libxl_disk_format_to_string(disk->format));
            return false;
        }
        if (disk->backend_domid != 0 || disk->script)
            return true;    /* not ours to check / the script's business */
        if (S_ISBLK(st->st_mode) || S_ISREG(st->st_mode))
            return true;
        if (explain)
            LOG(ERROR, "Disk vdev=%s: backend phy needs a block device or a "
                "file, %s is neither", disk->vdev, disk->pdev_path);
        return false;
    case LIBXL_DISK_BACKEND_QDISK:
        if (disk->script) {
            if (explain)
                LOG(ERROR, "Disk vdev=%s: backend qdisk runs no script "
                    "(script=%s)", disk->vdev, disk->script);
            return false;
        }
        return true;
    default:
        if (explain)
            LOG(ERROR, "Disk vdev=%s: backend %s is not supported",
                disk->vdev, libxl_disk_backend_to_string(backend));
        return false;
    }
}

int libxl__device_disk_setdefault(libxl__gc *gc, uint32_t domid,
                                  libxl_device_disk *disk)
{
    struct stat st = { 0 };
    bool empty = !disk->pdev_path || !*disk->pdev_path;

    if (!disk->vdev || libxl__device_disk_dev_number(disk->vdev, NULL,
                                                      NULL) < 0) {
        LOGD(ERROR, domid, "Disk vdev=%s is not a valid virtual device "
             "name (xvda, hda, sda, d0p1 ...)",
             disk->vdev ? disk->vdev : "(none)");
        return ERROR_INVAL;
    }
    if (disk->backend_domname) {
        LOGD(ERROR, domid, "Disk vdev=%s: driver domains (backend=%s) are "
             "not supported", disk->vdev, disk->backend_domname);
        return ERROR_INVAL;
    }
    libxl_defbool_setdefault(&disk->discard_enable, !!disk->readwrite);
    libxl_defbool_setdefault(&disk->colo_enable, false);
    libxl_defbool_setdefault(&disk->colo_restore_enable, false);
    libxl_defbool_setdefault(&disk->trusted, true);
    if (libxl_defbool_val(disk->colo_enable)) {
        LOGD(ERROR, domid, "Disk vdev=%s: COLO is not supported", disk->vdev);
        return ERROR_INVAL;
    }
    if (disk->specification == LIBXL_DISK_SPECIFICATION_UNKNOWN)
        disk->specification = LIBXL_DISK_SPECIFICATION_XEN;
    if (disk->specification != LIBXL_DISK_SPECIFICATION_XEN) {
        LOGD(ERROR, domid, "Disk vdev=%s: only specification=xen is "
             "supported", disk->vdev);
        return ERROR_INVAL;
    }

    if (empty) {
        if (!disk->is_cdrom) {
            LOGD(ERROR, domid, "Disk vdev=%s is empty but not a cdrom",
                 disk->vdev);
            return ERROR_INVAL;
        }
        disk->format = LIBXL_DISK_FORMAT_EMPTY;
    } else {
        if (disk->format == LIBXL_DISK_FORMAT_UNKNOWN)
            disk->format = LIBXL_DISK_FORMAT_RAW;
        if (disk->format == LIBXL_DISK_FORMAT_EMPTY) {
            LOGD(ERROR, domid, "Disk vdev=%s: format empty with target %s",
                 disk->vdev, disk->pdev_path);
            return ERROR_INVAL;
        }
        if (disk->backend_domid == 0 && !disk->script &&
            stat(disk->pdev_path, &st)) {
            LOGED(ERROR, domid, "Disk vdev=%s failed to stat: %s",
                  disk->vdev, disk->pdev_path);
            return ERROR_INVAL;
        }
    }

    if (disk->backend == LIBXL_DISK_BACKEND_UNKNOWN) {
        /* upstream's order: blkback first, then QEMU */
        if (!empty && backend_suits(gc, disk, LIBXL_DISK_BACKEND_PHY, &st,
                                    false))
            disk->backend = LIBXL_DISK_BACKEND_PHY;
        else if (backend_suits(gc, disk, LIBXL_DISK_BACKEND_QDISK, &st,
                               false))
            disk->backend = LIBXL_DISK_BACKEND_QDISK;
        else {
            LOGD(ERROR, domid, "Disk vdev=%s: no backend can serve %s",
                 disk->vdev, empty ? "an empty cdrom" : disk->pdev_path);
            return ERROR_INVAL;
        }
    } else if ((empty && disk->backend == LIBXL_DISK_BACKEND_PHY) ||
               !backend_suits(gc, disk, disk->backend, &st, true)) {
        if (empty)
            LOGD(ERROR, domid, "Disk vdev=%s: backend phy cannot serve an "
                 "empty cdrom", disk->vdev);
        return ERROR_INVAL;
    }
    if (disk->backend == LIBXL_DISK_BACKEND_PHY && !disk->script)
        disk->script = strdup("block");
    return 0;
}

/*
 * Adding.
 */
static void disk_device(libxl__gc *gc, uint32_t domid,
                        const libxl_device_disk *disk, libxl__device *dev)
{
    dev->backend_domid = disk->backend_domid;
    dev->domid = domid;
    dev->devid = libxl__device_disk_dev_number(disk->vdev, NULL, NULL);
    dev->kind = "vbd";
    dev->backend_kind = disk->backend == LIBXL_DISK_BACKEND_QDISK ? "qdisk"
                                                                  : "vbd";
}

int libxl__device_disk_add(libxl__gc *gc, uint32_t domid,
                           libxl_device_disk *disk, libxl_domain_type type)
{
    libxl__device dev;
    libxl__kvs back = { 0 }, front = { 0 };
    char *params;
    int rc;

    rc = libxl__device_disk_setdefault(gc, domid, disk);
    if (rc)
        return rc;
    disk_device(gc, domid, disk, &dev);
    if (libxl__xs_read(gc, XBT_NULL, libxl__device_libxl_path(gc, &dev))) {
        LOGD(ERROR, domid, "Disk vdev=%s (devid %d) already exists",
             disk->vdev, dev.devid);
        return ERROR_DEVICE_EXISTS;
    }

    if (disk->backend == LIBXL_DISK_BACKEND_QDISK)
        params = GCSPRINTF("%s:%s",
                           libxl__device_disk_string_of_format(disk->format),
                           disk->pdev_path ? disk->pdev_path : "");
    else
        params = libxl__strdup(gc, disk->pdev_path);

    libxl__kvs_add(gc, &back, "frontend-id", GCSPRINTF("%" PRIu32, domid));
    libxl__kvs_add(gc, &back, "online", "1");
    libxl__kvs_add(gc, &back, "removable", disk->removable ? "1" : "0");
    libxl__kvs_add(gc, &back, "bootable", "1");
    libxl__kvs_add(gc, &back, "state",
                   GCSPRINTF("%d", XenbusStateInitialising));
    libxl__kvs_add(gc, &back, "dev", disk->vdev);
    libxl__kvs_add(gc, &back, "type",
                   libxl__device_disk_string_of_backend(disk->backend));
    libxl__kvs_add(gc, &back, "mode", disk->readwrite ? "w" : "r");
    libxl__kvs_add(gc, &back, "device-type",
                   disk->is_cdrom ? "cdrom" : "disk");
    libxl__kvs_add(gc, &back, "params", params);
    if (disk->script) {
        libxl__kvs_add(gc, &back, "script",
                       libxl__device_script_path(gc, disk->script));
    }
    if (disk->direct_io_safe) {
        libxl__kvs_add(gc, &back, "direct-io-safe", "1");
    }
    libxl__kvs_add(gc, &back, "discard-enable",
                   libxl_defbool_val(disk->discard_enable) ? "1" : "0");
    libxl__kvs_add(gc, &back, "specification", "xen");

    libxl__kvs_add(gc, &front, "backend-id",
                   GCSPRINTF("%" PRIu32, disk->backend_domid));
    libxl__kvs_add(gc, &front, "state",
                   GCSPRINTF("%d", XenbusStateInitialising));
    libxl__kvs_add(gc, &front, "virtual-device", GCSPRINTF("%d", dev.devid));
    libxl__kvs_add(gc, &front, "device-type",
                   disk->is_cdrom ? "cdrom" : "disk");
    libxl__kvs_add(gc, &front, "trusted",
                   libxl_defbool_val(disk->trusted) ? "1" : "0");
    if (type == LIBXL_DOMAIN_TYPE_INVALID)
        type = libxl__domain_type(gc, domid);
    if (type == LIBXL_DOMAIN_TYPE_PV) {
        /* blkif.h: a PV guest's ring layout unless it says otherwise */
        libxl__kvs_add(gc, &front, "protocol", XEN_IO_PROTO_ABI_NATIVE);
    }

    rc = libxl__device_generic_add(gc, &dev, back.kv, front.kv, NULL);
    if (rc)
        goto fail;
    rc = libxl__device_connect(gc, &dev);
    if (rc)
        goto fail;
    return 0;

fail:
    LOGD(ERROR, domid, "cannot add disk vdev=%s (%s backend, %s)",
         disk->vdev, libxl__device_disk_string_of_backend(disk->backend),
         disk->pdev_path ? disk->pdev_path : "empty");
    libxl__device_remove(gc, &dev, true);
    return rc;
}

/*
 * Public calls.
 */

/* The device of domid named vdev, from libxl's record. */
static int disk_lookup(libxl__gc *gc, uint32_t domid, const char *vdev,
                       libxl__device *dev)
{
    int devid = vdev ? libxl__device_disk_dev_number(vdev, NULL, NULL) : -1;
    const char *lp, *type;

    if (devid < 0) {
        LOGD(ERROR, domid, "%s is not a virtual disk name",
             vdev ? vdev : "(none)");
        return ERROR_INVAL;
    }
    dev->domid = domid;
    dev->devid = devid;
    dev->kind = "vbd";
    lp = libxl__device_libxl_path(gc, dev);
    if (!libxl__xs_read(gc, XBT_NULL, GCSPRINTF("%s/backend", lp))) {
        LOGD(ERROR, domid, "no disk %s (devid %d)", vdev, devid);
        return ERROR_NOTFOUND;
    }
    type = libxl__xs_read(gc, XBT_NULL, GCSPRINTF("%s/type", lp));
    dev->backend_kind = type && !strcmp(type, "qdisk") ? "qdisk" : "vbd";
    dev->backend_domid = 0;
    {
        const char *bid = libxl__xs_read(gc, XBT_NULL,
            GCSPRINTF("/local/domain/%" PRIu32 "/device/vbd/%d/backend-id",
                      domid, devid));
        if (bid)
            dev->backend_domid = (uint32_t)strtoul(bid, NULL, 10);
    }
    return 0;
}

int libxl_device_disk_add(libxl_ctx *ctx, uint32_t domid,
                          libxl_device_disk *disk,
                          const libxl_asyncop_how *ao_how)
{
    GC_INIT(ctx);
    int rc = libxl__device_disk_add(gc, domid, disk,
                                    LIBXL_DOMAIN_TYPE_INVALID);

    GC_FREE;
    return libxl__ao_result(ctx, ao_how, rc);
}

static int disk_remove(libxl_ctx *ctx, uint32_t domid,
                       libxl_device_disk *disk,
                       const libxl_asyncop_how *ao_how, bool force)
{
    GC_INIT(ctx);
    libxl__device dev;
    int rc = disk_lookup(gc, domid, disk->vdev, &dev);

    if (!rc)
        rc = libxl__device_remove(gc, &dev, force);
    GC_FREE;
    return libxl__ao_result(ctx, ao_how, rc);
}

int libxl_device_disk_remove(libxl_ctx *ctx, uint32_t domid,
                             libxl_device_disk *disk,
                             const libxl_asyncop_how *ao_how)
{
    return disk_remove(ctx, domid, disk, ao_how, false);
}

int libxl_device_disk_destroy(libxl_ctx *ctx, uint32_t domid,
                              libxl_device_disk *disk,
                              const libxl_asyncop_how *ao_how)
{
    return disk_remove(ctx, domid, disk, ao_how, true);
}

/* A disk from libxl's record at lp (plain malloc'd strings). */
static void disk_from_record(libxl__gc *gc, const char *lp,
                             libxl_device_disk *disk)
{
#define RD(k) libxl__xs_read(gc, XBT_NULL, GCSPRINTF("%s/" k, lp))
    const char *type = RD("type"), *params = RD("params"), *v;
    const char *fe = RD("frontend");

    libxl_device_disk_init(disk);
    if (fe && (v = libxl__xs_read(gc, XBT_NULL,
                                  GCSPRINTF("%s/backend-id", fe))))
        disk->backend_domid = (uint32_t)strtoul(v, NULL, 10);
    disk->vdev = (v = RD("dev")) ? strdup(v) : NULL;
    disk->backend = LIBXL_DISK_BACKEND_PHY;
    if (type)
        libxl_disk_backend_from_string(type, &disk->backend);
    disk->format = LIBXL_DISK_FORMAT_RAW;
    if (params && disk->backend == LIBXL_DISK_BACKEND_QDISK) {
        const char *colon = strchr(params, ':');
        if (colon) {
            char *fmt = libxl__strndup(gc, params, (size_t)(colon - params));
            if (strcmp(fmt, "aio"))
                libxl_disk_format_from_string(fmt, &disk->format);
            params = colon + 1;
        }
    }
    disk->pdev_path = params && *params ? strdup(params) : NULL;
    if (!disk->pdev_path && disk->backend == LIBXL_DISK_BACKEND_QDISK)
        disk->format = LIBXL_DISK_FORMAT_EMPTY;
    if ((v = RD("script")))
        disk->script = strdup(v);
    disk->removable = (v = RD("removable")) ? atoi(v) : 0;
    disk->readwrite = (v = RD("mode")) && !strcmp(v, "w");
    disk->is_cdrom = (v = RD("device-type")) && !strcmp(v, "cdrom");
    disk->direct_io_safe = (v = RD("direct-io-safe")) && atoi(v);
    if ((v = RD("discard-enable")))
        libxl_defbool_set(&disk->discard_enable, atoi(v));
#undef RD
}

libxl_device_disk *libxl_device_disk_list(libxl_ctx *ctx, uint32_t domid,
                                          int *num)
{
    GC_INIT(ctx);
    int n = 0;
    int *ids = libxl__device_list_devids(gc, domid, "vbd", &n);
    libxl_device_disk *list = NULL;

    if (n) {
        list = calloc((size_t)n, sizeof(*list));
        if (!list)
            libxl__alloc_failed(ctx, __func__, (size_t)n, sizeof(*list));
        for (int i = 0; i < n; i++)
            disk_from_record(gc, GCSPRINTF("/libxl/%" PRIu32
                                           "/device/vbd/%d", domid, ids[i]),
                             &list[i]);
    }
    *num = n;
    GC_FREE;
    return list;
}

void libxl_device_disk_list_free(libxl_device_disk *list, int num)
{
    for (int i = 0; i < num; i++)
        libxl_device_disk_dispose(&list[i]);
    free(list);
}

int libxl__devices_disk_add(libxl__gc *gc, uint32_t domid,
                            libxl_domain_config *d_config)
{
    for (int i = 0; i < d_config->num_disks; i++) {
        int rc = libxl__device_disk_add(gc, domid, &d_config->disks[i],
                                        d_config->c_info.type);

        if (rc)
            return rc;
    }
    return 0;
}
