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

const char *libxl__userdata_dir = "/var/lib/xen";

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
                     libxl__userdata_dir, wh, domid, LIBXL_UUID_BYTES(uuid),
                     key);
}

int libxl__userdata_destroyall(libxl__gc *gc, uint32_t domid)
{
    char *pattern = GCSPRINTF("%s/userdata-?.%" PRIu32 ".*",
                              libxl__userdata_dir, domid);
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
    if (mkdir(libxl__userdata_dir, 0755) && errno != EEXIST) {
        LOGED(ERROR, domid, "cannot create %s", libxl__userdata_dir);
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

int libxl_retrieve_domain_configuration(libxl_ctx *ctx, uint32_t domid,
                                        libxl_domain_config *d_config,
                                        const libxl_asyncop_how *ao_how)
{
    GC_INIT(ctx);
    libxl__domain_lock *lock;
    const char *name;
    int rc = libxl__domain_lock_acquire(gc, domid, &lock);

    if (rc)
        goto out;
    rc = libxl__domain_config_retrieve(gc, domid, d_config);
    if (rc == ERROR_JSON_CONFIG_EMPTY)
        LOGD(ERROR, domid, "no stored configuration (not created by this "
             "toolstack?)");
    if (!rc) {
        /* The name may have changed behind our back (xenstore is the
         * truth for it). */
        name = libxl__domid_to_name(gc, domid);
        if (name && (!d_config->c_info.name ||
                     strcmp(name, d_config->c_info.name))) {
            free(d_config->c_info.name);
            d_config->c_info.name = libxl__strdup(NOGC, name);
        }
    }
    libxl__domain_lock_release(gc, lock);
out:
    GC_FREE;
    return libxl__ao_result(ctx, ao_how, rc);
}
