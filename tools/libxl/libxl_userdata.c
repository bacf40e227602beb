/*
 * libxl_userdata.c: per-domain data files kept for the toolstack
 * (upstream's layout: <dir>/userdata-d.<domid>.<uuid>.<key>), and the
 * domain configuration stored in them as JSON.
 */
#include <ctype.h>
#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libxl_internal.h"
#include "libxl_sys.h"
#include "libxl_xshelp.h"
#include "libxl_event_internal.h"
#include "libxl_domain.h"
#include "libxl_dm.h"
#include "libxl_create.h"

static bool key_ok(const char *key)
{
    /* A key is one path component of sane characters. */
    if (!key || !*key)
        return false;
    for (const char *p = key; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '_' ||
              *p == '.') )
            return false;
    return strcmp(key, ".") && strcmp(key, "..");
}

char *libxl__userdata_path(libxl__gc *gc, uint32_t domid, const char *key,
                           const char *wh)
{
    xc_domaininfo_t info;
    libxl_uuid uuid;
    int rc = libxl__domain_getinfo1(gc, domid, &info);

    if (rc) {
        if (rc == ERROR_DOMAIN_NOTFOUND)
            LOGD(ERROR, domid, "no such domain: no userdata");
        return NULL;
    }
    memcpy(libxl_uuid_bytearray(&uuid), info.handle, 16);
    return GCSPRINTF("%s/userdata-%s.%" PRIu32 "." LIBXL_UUID_FMT ".%s",
                     TUN->userdata_dir, wh, domid, LIBXL_UUID_BYTES(uuid),
                     key);
}

int libxl__userdata_destroyall(libxl__gc *gc, uint32_t domid)
{
    char *pattern = GCSPRINTF("%s/userdata-?.%" PRIu32 ".*",
                              TUN->userdata_dir, domid);
    glob_t g;
    int r, rc = 0;

    r = glob(pattern, GLOB_NOSORT, NULL, &g);
    if (r == GLOB_NOMATCH)
        return 0;
    if (r) {
        LOGD(ERROR, domid, "cannot list the userdata files (%s)", pattern);
        return ERROR_FAIL;
    }
    for (size_t i = 0; i < g.gl_pathc; i++) {
        if (unlink(g.gl_pathv[i]) && errno != ENOENT) {
            LOGED(ERROR, domid, "cannot remove %s", g.gl_pathv[i]);
            rc = ERROR_FAIL;
        }
    }
    globfree(&g);
    return rc;
}

static int write_all(int fd, const uint8_t *data, size_t len)
{
    while (len) {
        ssize_t w = write(fd, data, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

static int userdata_store(libxl__gc *gc, uint32_t domid, const char *key,
                          const uint8_t *data, int datalen)
{
    char *path, *tmp;
    int fd;

    if (!key_ok(key)) {
        LOGD(ERROR, domid, "bad userdata key \"%s\"", key ? key : "(null)");
        return ERROR_INVAL;
    }
    if (datalen < 0 || (datalen && !data)) {
        LOGD(ERROR, domid, "bad userdata length %d", datalen);
        return ERROR_INVAL;
    }
    path = libxl__userdata_path(gc, domid, key, "d");
    tmp = libxl__userdata_path(gc, domid, key, "n");
    if (!path || !tmp)
        return ERROR_FAIL;
    if (!datalen) {
        /* upstream: storing nothing removes the data */
        if (unlink(path) && errno != ENOENT) {
            LOGED(ERROR, domid, "cannot remove %s", path);
            return ERROR_FAIL;
        }
        return 0;
    }
    if (mkdir(TUN->userdata_dir, 0755) && errno != EEXIST) {
        LOGED(ERROR, domid, "cannot create %s", TUN->userdata_dir);
        return ERROR_FAIL;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        LOGED(ERROR, domid, "cannot create %s", tmp);
        return ERROR_FAIL;
    }
    if (write_all(fd, data, (size_t)datalen) || fsync(fd)) {
        LOGED(ERROR, domid, "cannot write %s", tmp);
        close(fd);
        unlink(tmp);
        return ERROR_FAIL;
    }
    if (close(fd)) {
        LOGED(ERROR, domid, "cannot write %s", tmp);
        unlink(tmp);
        return ERROR_FAIL;
    }
    /* Readers see the old data or the new, never a part. */
    if (rename(tmp, path)) {
        LOGED(ERROR, domid, "cannot rename %s to %s", tmp, path);
        unlink(tmp);
        return ERROR_FAIL;
    }
    return 0;
}

static int userdata_retrieve(libxl__gc *gc, uint32_t domid, const char *key,
                             uint8_t **data_r, int *datalen_r)
{
    char *path;
    uint8_t *data = NULL;
    size_t len = 0, room = 0;
    int fd, rc = 0;

    if (!key_ok(key)) {
        LOGD(ERROR, domid, "bad userdata key \"%s\"", key ? key : "(null)");
        return ERROR_INVAL;
    }
    path = libxl__userdata_path(gc, domid, key, "d");
    if (!path)
        return ERROR_FAIL;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            goto out;           /* none: no data, no error */
        LOGED(ERROR, domid, "cannot open %s", path);
        return ERROR_FAIL;
    }
    for (;;) {
        ssize_t r;
        if (len == room) {
            if (room > INT_MAX / 2) {
                LOGD(ERROR, domid, "%s is too large", path);
                rc = ERROR_FAIL;
                break;
            }
            room = room ? room * 2 : 4096;
            data = libxl__realloc(NOGC, data, room);
        }
        r = read(fd, data + len, room - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            LOGED(ERROR, domid, "cannot read %s", path);
            rc = ERROR_FAIL;
            break;
        }
        if (!r)
            break;
        len += (size_t)r;
    }
    close(fd);
    if (rc) {
        free(data);
        return rc;
    }
    if (!len) {
        free(data);
        data = NULL;
    }
out:
    if (data_r)
        *data_r = data;
    else
        free(data);
    if (datalen_r)
        *datalen_r = (int)len;
    return 0;
}

int libxl_userdata_store(libxl_ctx *ctx, uint32_t domid,
                         const char *userdata_userid, const uint8_t *data,
                         int datalen)
{
    GC_INIT(ctx);
    libxl__domain_lock *lock;
    int rc = libxl__domain_lock_acquire(gc, domid, &lock);

    if (!rc) {
        rc = userdata_store(gc, domid, userdata_userid, data, datalen);
        libxl__domain_lock_release(gc, lock);
    }
    GC_FREE;
    return rc;
}

int libxl_userdata_retrieve(libxl_ctx *ctx, uint32_t domid,
                            const char *userdata_userid, uint8_t **data_r,
                            int *datalen_r)
{
    GC_INIT(ctx);
    libxl__domain_lock *lock;
    int rc = libxl__domain_lock_acquire(gc, domid, &lock);

    if (!rc) {
        rc = userdata_retrieve(gc, domid, userdata_userid, data_r,
                               datalen_r);
        libxl__domain_lock_release(gc, lock);
    }
    GC_FREE;
    return rc;
}

int libxl_userdata_unlink(libxl_ctx *ctx, uint32_t domid,
                          const char *userdata_userid)
{
    GC_INIT(ctx);
    libxl__domain_lock *lock;
    char *path;
    int rc;

    if (!key_ok(userdata_userid)) {
        LOGD(ERROR, domid, "bad userdata key \"%s\"",
             userdata_userid ? userdata_userid : "(null)");
        GC_FREE;
        return ERROR_INVAL;
    }
    rc = libxl__domain_lock_acquire(gc, domid, &lock);
    if (rc)
        goto out;
    path = libxl__userdata_path(gc, domid, userdata_userid, "d");
    if (!path)
        rc = ERROR_FAIL;
    else if (unlink(path) && errno != ENOENT) {
        LOGED(ERROR, domid, "cannot remove %s", path);
        rc = ERROR_FAIL;
    }
    libxl__domain_lock_release(gc, lock);
out:
    GC_FREE;
    return rc;
}

/*
 * The stored configuration.
 */
#define CONFIG_KEY "libxl-json"

int libxl__domain_config_store(libxl__gc *gc, uint32_t domid,
                               libxl_domain_config *d_config)
{
    char *json = libxl_domain_config_to_json(CTX, d_config);
    int rc;

    if (!json) {
        LOGD(ERROR, domid, "cannot convert the configuration to JSON");
        return ERROR_FAIL;
    }
    rc = userdata_store(gc, domid, CONFIG_KEY, (const uint8_t *)json,
                        (int)strlen(json) + 1);
    free(json);
    return rc;
}

int libxl__domain_config_retrieve(libxl__gc *gc, uint32_t domid,
                                  libxl_domain_config *d_config)
{
    uint8_t *data = NULL;
    int len = 0, rc;

    rc = userdata_retrieve(gc, domid, CONFIG_KEY, &data, &len);
    if (rc)
        return rc;
    if (!len) {
        free(data);
        return ERROR_JSON_CONFIG_EMPTY;
    }
    /* Stored with its NUL; accept a file without one too. */
    data = libxl__realloc(NOGC, data, (size_t)len + 1);
    data[len] = '\0';
    libxl_domain_config_dispose(d_config);
    rc = libxl_domain_config_from_json(CTX, d_config, (const char *)data);
    free(data);
    if (rc)
        LOGD(ERROR, domid, "the stored configuration is not valid JSON of "
             "a domain configuration");
    return rc;
}

/*
 * The stored configuration with what is live now laid over it, as
 * upstream's retrieve does: name and uuid, the vCPUs present, the memory
 * target and maximum, the scheduling parameters, and only the devices
 * still there.
 */

/* vCPU i is present when xenstore's cpu/i/availability says "online". */
static int live_vcpus_xenstore(libxl__gc *gc, uint32_t domid,
                               libxl_bitmap *map, int max_vcpus)
{
    const char *dp = libxl__xs_get_dompath(gc, domid);

    if (!dp)
        return ERROR_FAIL;
    for (int i = 0; i < max_vcpus; i++) {
        const char *v;
        int rc = libxl__xs_read_checked(gc, XBT_NULL,
                                        GCSPRINTF("%s/cpu/%d/availability",
                                                  dp, i), &v);
        if (rc)
            return rc;
        if (v && !strcmp(v, "online"))
            libxl_bitmap_set(map, i);
    }
    return 0;
}

/* QEMU (upstream's device model) knows the vCPUs it has: those are the
 * ones it must be given again. */
static int live_vcpus_qemu(libxl__gc *gc, uint32_t domid, libxl_bitmap *map)
{
    const libxl__json_object *ret = NULL, *cpu, *idx;
    int rc = libxl__qmp_run(gc, domid, "query-cpus-fast", NULL, &ret);

    if (rc) {
        LOGD(ERROR, domid, "cannot ask QEMU which vCPUs the domain has");
        return rc;
    }
    for (int i = 0; (cpu = libxl__json_array_get(ret, i)); i++) {
        idx = libxl__json_map_get("cpu-index", cpu, JSON_INTEGER);
        if (!idx) {
            LOGD(ERROR, domid, "QEMU's query-cpus-fast has no cpu-index");
            return ERROR_QEMU_API;
        }
        if (libxl__json_object_get_integer(idx) >= 0 &&
            libxl__json_object_get_integer(idx) < map->size * 8)
            libxl_bitmap_set(map, libxl__json_object_get_integer(idx));
    }
    return 0;
}

static int live_vcpus(libxl__gc *gc, uint32_t domid,
                      libxl_domain_build_info *b)
{
    libxl_bitmap *map = &b->avail_vcpus;
    const char *dm = NULL;
    int rc;

    libxl_bitmap_dispose(map);
    libxl_bitmap_init(map);
    rc = libxl_bitmap_alloc(CTX, map, b->max_vcpus);
    if (rc)
        return rc;
    if (b->type == LIBXL_DOMAIN_TYPE_HVM) {
        rc = libxl__xs_read_checked(gc, XBT_NULL,
                                    GCSPRINTF("%s/dm-version",
                                              libxl__xs_libxl_path(gc,
                                                                   domid)),
                                    &dm);
        if (rc)
            return rc;
        if (!dm || !strcmp(dm, "qemu_xen"))
            return live_vcpus_qemu(gc, domid, map);
    }
    return live_vcpus_xenstore(gc, domid, map, b->max_vcpus);
}

static int read_kb(libxl__gc *gc, uint32_t domid, const char *path,
                   uint64_t *kb)
{
    const char *v = libxl__xs_read(gc, XBT_NULL, path);
    char *end;

    if (!v)
        return ERROR_NOTFOUND;
    errno = 0;
    *kb = strtoull(v, &end, 10);
    if (!*v || *end || errno) {
        LOGD(ERROR, domid, "%s: \"%s\" is not a number of KiB", path, v);
        return ERROR_FAIL;
    }
    return 0;
}

/* xenstore's memory/target and memory/static-max; the target there is
 * the configured one plus what libxl adds at creation (video memory,
 * and for HVM with maxmem > memory the slack below max). */
static int live_memory(libxl__gc *gc, uint32_t domid,
                       libxl_domain_build_info *b)
{
    const char *dp = libxl__xs_get_dompath(gc, domid);
    uint64_t target = 0, max = 0, fudge;
    int rc, rc2;

    if (!dp)
        return ERROR_FAIL;
    rc = read_kb(gc, domid, GCSPRINTF("%s/memory/target", dp), &target);
    rc2 = read_kb(gc, domid, GCSPRINTF("%s/memory/static-max", dp), &max);
    if (!domid && (rc == ERROR_NOTFOUND || rc2 == ERROR_NOTFOUND)) {
        /* dom0 whose toolstack never wrote them: what Xen says. */
        libxl_dominfo info;

        libxl_dominfo_init(&info);
        rc = libxl_domain_info(CTX, &info, 0);
        target = info.current_memkb;
        max = info.max_memkb;
        libxl_dominfo_dispose(&info);
        rc2 = 0;
    }
    if (rc == ERROR_NOTFOUND || rc2 == ERROR_NOTFOUND)
        LOGD(ERROR, domid, "no memory %s in xenstore",
             rc == ERROR_NOTFOUND ? "target" : "static-max");
    if (rc || rc2)
        return rc ? rc : rc2;
    /* As upstream, with the stored values (video_memkb may be the
     * "default" all-ones: the sum wraps the same way). */
    fudge = b->video_memkb + (b->type == LIBXL_DOMAIN_TYPE_HVM &&
                              b->max_memkb > b->target_memkb
                              ? LIBXL_MAXMEM_CONSTANT : 0);
    b->target_memkb = target + fudge;
    b->max_memkb = max;
    return 0;
}

/* Keeps the entries of a device array that xenstore still has (upstream
 * drops the others, with a warning). */
#define KEEP_LIVE(gc, domid, arr, num, live, nlive, same, kind)             \
    do {                                                                    \
        int kept_ = 0;                                                      \
        for (int i_ = 0; i_ < (num); i_++) {                                \
            bool found_ = false;                                            \
            for (int j_ = 0; j_ < (nlive) && !found_; j_++)                 \
                found_ = same(&(arr)[i_], &(live)[j_]);                     \
            if (!found_) {                                                  \
                LOGD(WARN, domid, "%s in the stored configuration but "    \
                     "not in xenstore: left out", #kind);                   \
                libxl_device_##kind##_dispose(&(arr)[i_]);                  \
                continue;                                                   \
            }                                                               \
            if (kept_ != i_)                                                \
                (arr)[kept_] = (arr)[i_];                                   \
            kept_++;                                                        \
        }                                                                   \
        (num) = kept_;                                                      \
    } while (0)

static bool same_disk(const libxl_device_disk *a, const libxl_device_disk *b)
{
    return a->vdev && b->vdev && !strcmp(a->vdev, b->vdev);
}

static bool same_nic(const libxl_device_nic *a, const libxl_device_nic *b)
{
    return a->devid == b->devid;
}

static void live_devices(libxl__gc *gc, uint32_t domid,
                         libxl_domain_config *c)
{
    libxl_device_disk *disks;
    libxl_device_nic *nics;
    int n = 0;

    disks = libxl_device_disk_list(CTX, domid, &n);
    KEEP_LIVE(gc, domid, c->disks, c->num_disks, disks, n, same_disk, disk);
    /* A removable drive (CD-ROM) xenstore shows empty is empty. */
    for (int i = 0; i < c->num_disks; i++)
        for (int j = 0; j < n; j++)
            if (same_disk(&c->disks[i], &disks[j]) && disks[j].removable &&
                (!disks[j].pdev_path || !*disks[j].pdev_path)) {
                free(c->disks[i].pdev_path);
                c->disks[i].pdev_path = libxl__strdup(NOGC, "");
                c->disks[i].format = LIBXL_DISK_FORMAT_EMPTY;
            }
    libxl_device_disk_list_free(disks, n);

    n = 0;
    nics = libxl_device_nic_list(CTX, domid, &n);
    KEEP_LIVE(gc, domid, c->nics, c->num_nics, nics, n, same_nic, nic);
    libxl_device_nic_list_free(nics, n);
}

static int live_config(libxl__gc *gc, uint32_t domid,
                       libxl_domain_config *c)
{
    libxl_dominfo info;
    const char *name = libxl__domid_to_name(gc, domid);
    int rc;

    if (!name) {
        LOGD(ERROR, domid, "the domain has no name in xenstore");
        return ERROR_FAIL;
    }
    free(c->c_info.name);
    c->c_info.name = libxl__strdup(NOGC, name);

    libxl_dominfo_init(&info);
    rc = libxl_domain_info(CTX, &info, domid);
    if (!rc)
        libxl_uuid_copy(CTX, &c->c_info.uuid, &info.uuid);
    libxl_dominfo_dispose(&info);
    if (rc)
        return rc;

    rc = live_vcpus(gc, domid, &c->b_info);
    if (rc) {
        LOGD(ERROR, domid, "cannot find which vCPUs are present");
        return rc;
    }
    rc = live_memory(gc, domid, &c->b_info);
    if (rc)
        return rc;
    libxl_domain_sched_params_dispose(&c->b_info.sched_params);
    rc = libxl_domain_sched_params_get(CTX, domid, &c->b_info.sched_params);
    if (rc)
        return rc;
    live_devices(gc, domid, c);
    return 0;
}

int libxl_retrieve_domain_configuration(libxl_ctx *ctx, uint32_t domid,
                                        libxl_domain_config *d_config,
                                        const libxl_asyncop_how *ao_how)
{
    GC_INIT(ctx);
    libxl__domain_lock *lock;
    int rc = libxl__domain_lock_acquire(gc, domid, &lock);

    if (rc)
        goto out;
    rc = libxl__domain_config_retrieve(gc, domid, d_config);
    if (rc == ERROR_JSON_CONFIG_EMPTY)
        LOGD(ERROR, domid, "no stored configuration (not created by this "
             "toolstack?)");
    if (!rc)
        rc = live_config(gc, domid, d_config);
    libxl__domain_lock_release(gc, lock);
out:
    GC_FREE;
    return libxl__ao_result(ctx, ao_how, rc);
}
