/*
 * libxl_domid_history.c: the domids destroyed recently, so that a new
 * domain does not get the domid of one that went away a moment ago (a
 * frontend, backend or monitor still thinking of the old domain would
 * act on the new one).  The file and its lock are upstream 4.17's, so
 * our toolstack and Debian's honour each other's history:
 *
 * - <TUN->run_dir>/domid-history holds one "SECONDS DOMID" line per
 *   destroyed domain, SECONDS from CLOCK_MONOTONIC (one clock for every
 *   process of the boot; the file lives in a tmpfs that a reboot
 *   clears);
 * - a writer holds a flock on domid-history.lock, writes the entries
 *   still in time plus its own to domid-history.new and renames it over
 *   the file, so a reader (who takes no lock) sees the old or the new
 *   file, never half of one;
 * - an entry counts for LIBXL_DOMID_REUSE_TIMEOUT seconds (the
 *   environment variable, as upstream's), 60 by default; lines that do
 *   not parse, or name no guest domid, are dropped.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "libxl_internal.h"
#include "libxl_domain.h"
#include "libxl_dm.h"

static char *history_path(libxl__gc *gc, const char *suffix)
{
    return GCSPRINTF("%s/domid-history%s", TUN->run_dir, suffix);
}

static long reuse_timeout(void)
{
    const char *env = getenv("LIBXL_DOMID_REUSE_TIMEOUT");
    char *end;
    long t;

    if (!env || !*env)
        return LIBXL__DOMID_REUSE_TIMEOUT;
    t = strtol(env, &end, 0);
    return *end || t < 0 ? LIBXL__DOMID_REUSE_TIMEOUT : t;
}

/* Reads the file's entries that are still in time, calling fn on each;
 * a missing file has none. */
typedef int history_fn(libxl__gc *gc, unsigned long sec, uint32_t domid,
                       void *arg);
static int history_scan(libxl__gc *gc, const char *path, unsigned long now,
                        long timeout, history_fn *fn, void *arg)
{
    FILE *f = fopen(path, "re");
    char line[64];
    int rc = 0;

    if (!f) {
        if (errno == ENOENT)
            return 0;
        LOGE(ERROR, "cannot read the domid history %s", path);
        return ERROR_FAIL;
    }
    while (fgets(line, sizeof(line), f)) {
        unsigned long sec;
        unsigned int domid;
        char extra;

        if (sscanf(line, "%lu %u %c", &sec, &domid, &extra) != 2 ||
            !libxl_domid_valid_guest(domid) || sec > now ||
            now - sec > (unsigned long)timeout)
            continue;
        rc = fn(gc, sec, domid, arg);
        if (rc)
            break;
    }
    if (!rc && ferror(f)) {
        LOGE(ERROR, "cannot read the domid history %s", path);
        rc = ERROR_FAIL;
    }
    fclose(f);
    return rc;
}

static int now_sec(libxl__gc *gc, unsigned long *sec)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_MONOTONIC, &ts)) {
        LOGE(ERROR, "cannot read the monotonic clock");
        return ERROR_FAIL;
    }
    *sec = (unsigned long)ts.tv_sec;
    return 0;
}

static int copy_entry(libxl__gc *gc, unsigned long sec, uint32_t domid,
                      void *arg)
{
    FILE *out = arg;

    return fprintf(out, "%lu %" PRIu32 "\n", sec, domid) < 0 ? ERROR_FAIL
                                                            : 0;
}

int libxl__domid_history_mark(libxl__gc *gc, uint32_t domid)
{
    const char *path = history_path(gc, ""), *lock = NULL;
    const char *tmp = history_path(gc, ".new");
    unsigned long now;
    FILE *out = NULL;
    int rc, fd = -1;

    if (!libxl_domid_valid_guest(domid))
        return 0;
    rc = now_sec(gc, &now);
    if (rc)
        return rc;
    lock = history_path(gc, ".lock");
    rc = libxl__lock_path(gc, lock, &fd);
    if (rc)
        goto out;
    out = fopen(tmp, "we");
    if (!out) {
        LOGED(ERROR, domid, "cannot write the domid history %s", tmp);
        rc = ERROR_FAIL;
        goto out;
    }
    rc = history_scan(gc, path, now, reuse_timeout(), copy_entry, out);
    if (!rc && copy_entry(gc, now, domid, out))
        rc = ERROR_FAIL;
    if (fclose(out) && !rc)
        rc = ERROR_FAIL;
    out = NULL;
    if (rc) {
        LOGED(ERROR, domid, "cannot write the domid history %s", tmp);
        unlink(tmp);
        goto out;
    }
    if (rename(tmp, path)) {
        LOGED(ERROR, domid, "cannot rename %s to %s", tmp, path);
        unlink(tmp);
        rc = ERROR_FAIL;
    }
out:
    if (out)
        fclose(out);
    if (fd >= 0)
        libxl__unlock_path(lock, fd);
    return rc;
}

static int match_entry(libxl__gc *gc, unsigned long sec, uint32_t domid,
                       void *arg)
{
    uint32_t *wanted = arg;

    return domid == *wanted ? 1 : 0;   /* 1 stops the scan: found */
}

int libxl__domid_history_is_recent(libxl__gc *gc, uint32_t domid,
                                   bool *recent)
{
    unsigned long now;
    int rc;

    *recent = false;
    rc = now_sec(gc, &now);
    if (rc)
        return rc;
    rc = history_scan(gc, history_path(gc, ""), now, reuse_timeout(),
                      match_entry, &domid);
    if (rc == 1) {
        *recent = true;
        rc = 0;
    }
    return rc;
}

int libxl_clear_domid_history(libxl_ctx *ctx)
{
    GC_INIT(ctx);
    const char *path = history_path(gc, "");
    int rc = 0;

    if (unlink(path) && errno != ENOENT) {
        LOGE(ERROR, "cannot remove the domid history %s", path);
        rc = ERROR_FAIL;
    }
    GC_FREE;
    return rc;
}
