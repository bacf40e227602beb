/*
 * libxl_lock.c: per-domain locks, so that two toolstack processes never
 * act on one domain at once (see libxl_domain.h).  The lock is upstream
 * libxl's domain userdata lock, so that ours and upstream's xl exclude
 * each other (docs/design/locking.md):
 *
 * - the file is <TUN->userdata_dir>/userdata-l.<domid>.<uuid>.
 *   domain-userdata-lock, the uuid from the domain's info; a domain that
 *   does not exist has no lock (ERROR_DOMAIN_NOTFOUND, no file made);
 * - the lock is flock(LOCK_EX) on it, as upstream 4.17 takes it
 *   (libxl__lock_file; the fcntl record lock of upstream's xl is its
 *   global create lock, another file).  flock belongs to the open file,
 *   so two ctxs in one process exclude each other too, and a process
 *   that dies drops its locks.  On Linux flock and fcntl locks do not
 *   conflict: an fcntl lock here would not exclude upstream;
 * - the last release unlinks the file before closing it, as upstream's
 *   unlock does, so no lock file outlives an operation.  A waiter that
 *   gets the lock on a file that was unlinked meanwhile notices (the
 *   path no longer names its file) and starts again on the new one;
 * - once locked, the domain must still be the one of the path (same
 *   domid and uuid): a domain destroyed while we waited gives
 *   ERROR_DOMAIN_NOTFOUND and the file we made is taken away.
 *
 * Unlike upstream, which waits without bound, we poll and give up after
 * TUN->lock_timeout_ms.
 */
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "libxl_internal.h"
#include "libxl_sys.h"
#include "libxl_domain.h"

struct libxl__domain_lock {
    struct libxl__domain_lock *next;
    uint32_t domid;
    int fd;
    int count;                  /* nested acquires through this ctx */
    char *path;                 /* the file, unlinked at the last release */
};

#define LOCK_KEY "domain-userdata-lock"

static int mkdir_p(libxl__gc *gc, const char *dir)
{
    char *d = libxl__strdup(gc, dir);

    for (char *p = d + 1; ; p++) {
        if (*p == '/' || !*p) {
            char c = *p;
            *p = '\0';
            if (mkdir(d, 0755) && errno != EEXIST) {
                LOGE(ERROR, "cannot create %s", d);
                return ERROR_FAIL;
            }
            *p = c;
            if (!c)
                break;
        }
    }
    return 0;
}

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The domain's uuid, or ERROR_DOMAIN_NOTFOUND (not logged). */
static int domain_uuid(libxl__gc *gc, uint32_t domid, libxl_uuid *uuid)
{
    xc_domaininfo_t info;
    int rc = libxl__domain_getinfo1(gc, domid, &info);

    if (!rc)
        memcpy(libxl_uuid_bytearray(uuid), info.handle, 16);
    return rc;
}

static char *lock_path(libxl__gc *gc, uint32_t domid,
                       const libxl_uuid *uuid)
{
    return GCSPRINTF("%s/userdata-l.%" PRIu32 "." LIBXL_UUID_FMT "."
                     LOCK_KEY, TUN->userdata_dir, domid,
                     LIBXL_UUID_BYTES(*uuid));
}

/* 1: fd is locked and still the file at path; 0: try again; < 0 error */
static int try_lock(libxl__gc *gc, uint32_t domid, const char *path,
                    int *fd_r)
{
    struct stat a, b;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);

    *fd_r = -1;
    if (fd < 0) {
        LOGED(ERROR, domid, "cannot open the lock file %s", path);
        return ERROR_LOCK_FAIL;
    }
    if (flock(fd, LOCK_EX | LOCK_NB)) {
        int e = errno;
        close(fd);
        if (e == EWOULDBLOCK || e == EINTR)
            return 0;
        LOGEVD(ERROR, e, domid, "cannot lock %s", path);
        return ERROR_LOCK_FAIL;
    }
    if (fstat(fd, &a) || stat(path, &b) || a.st_ino != b.st_ino ||
        a.st_dev != b.st_dev) {
        close(fd);              /* removed under us: a new file now */
        return 0;
    }
    *fd_r = fd;
    return 1;
}

/* Unlink before close: a waiter that gets the lock after our close must
 * find the path gone (see the header comment).  Not when the path names
 * another file already (ours was removed, by destroy, and a newcomer
 * made and holds a new one). */
void libxl__unlock_path(const char *path, int fd)
{
    struct stat a, b;

    if (path && !fstat(fd, &a) && !stat(path, &b) && a.st_ino == b.st_ino &&
        a.st_dev == b.st_dev)
        unlink(path);
    close(fd);
}

static void drop(libxl__domain_lock *l)
{
    libxl__unlock_path(l->path, l->fd);
    free(l->path);
    free(l);
}

/* Locks path within deadline: 0 with *fd_r, or an error (logged). */
static int lock_file(libxl__gc *gc, uint32_t domid, const char *path,
                     int64_t deadline, int *fd_r)
{
    int delay_ms = 1;
    bool told = false;

    for (;;) {
        int r = try_lock(gc, domid, path, fd_r);
        if (r < 0)
            return r;
        if (r)
            return 0;
        if (now_ms() >= deadline) {
            if (domid == (uint32_t)INVALID_DOMID)
                LOG(ERROR, "%s is busy: another toolstack process has held "
                    "it for %d ms", path, TUN->lock_timeout_ms);
            else
                LOGD(ERROR, domid, "domain is busy: another toolstack "
                     "process has held its lock (%s) for %d ms", path,
                     TUN->lock_timeout_ms);
            return ERROR_LOCK_FAIL;
        }
        if (!told) {
            LOGD(DEBUG, domid, "waiting for the lock %s", path);
            told = true;
        }
        nanosleep(&(struct timespec){ .tv_nsec = delay_ms * 1000000L },
                  NULL);
        if (delay_ms < 64)
            delay_ms *= 2;
    }
}

int libxl__lock_path(libxl__gc *gc, const char *path, int *fd_r)
{
    return lock_file(gc, INVALID_DOMID, path,
                     now_ms() + TUN->lock_timeout_ms, fd_r);
}

int libxl__domain_lock_acquire(libxl__gc *gc, uint32_t domid,
                               libxl__domain_lock **lock_r)
{
    libxl__domain_lock *l;
    libxl_uuid uuid, now;
    char *path;
    int64_t deadline = now_ms() + TUN->lock_timeout_ms;
    int rc = 0, fd = -1;

    *lock_r = NULL;
    CTX_LOCK;
    for (l = CTX->held_locks; l; l = l->next) {
        if (l->domid == domid) {
            l->count++;
            *lock_r = l;
            goto out;
        }
    }
    rc = domain_uuid(gc, domid, &uuid);
    for (;;) {
        if (rc == ERROR_DOMAIN_NOTFOUND) {
            /* Nothing to lock (nor does upstream): the operation finds
             * the domain missing and says so; no file is made. */
            LOGD(DEBUG, domid, "no such domain: not locked");
            rc = 0;
            goto out;
        }
        if (rc)
            goto out;
        if (mkdir_p(gc, TUN->userdata_dir)) {
            rc = ERROR_LOCK_FAIL;
            goto out;
        }
        path = lock_path(gc, domid, &uuid);
        rc = lock_file(gc, domid, path, deadline, &fd);
        if (rc)
            goto out;
        /* The holder we waited for may have destroyed the domain (and
         * the domid may even be another domain's now). */
        rc = domain_uuid(gc, domid, &now);
        if (!rc && !libxl_uuid_compare(&uuid, &now))
            break;
        unlink(path);           /* made by us for a domain that is gone */
        close(fd);
        fd = -1;
        uuid = now;
    }
    l = libxl__zalloc(NOGC, sizeof(*l));
    l->domid = domid;
    l->fd = fd;
    l->count = 1;
    l->path = libxl__strdup(NOGC, path);
    l->next = CTX->held_locks;
    CTX->held_locks = l;
    *lock_r = l;
out:
    CTX_UNLOCK;
    return rc;
}

void libxl__domain_lock_release(libxl__gc *gc, libxl__domain_lock *lock)
{
    if (!lock)
        return;
    CTX_LOCK;
    assert(lock->count > 0);
    if (--lock->count == 0) {
        for (libxl__domain_lock **pp = &CTX->held_locks; *pp;
             pp = &(*pp)->next) {
            if (*pp == lock) {
                *pp = lock->next;
                break;
            }
        }
        drop(lock);
    }
    CTX_UNLOCK;
}

void libxl__domain_lock_remove(libxl__gc *gc, uint32_t domid)
{
    CTX_LOCK;
    for (libxl__domain_lock *l = CTX->held_locks; l; l = l->next) {
        if (l->domid == domid) {
            if (unlink(l->path) && errno != ENOENT)
                LOGED(WARN, domid, "cannot remove the lock file %s",
                      l->path);
            break;
        }
    }
    CTX_UNLOCK;
}

void libxl__domain_locks_free(libxl_ctx *ctx)
{
    while (ctx->held_locks) {
        libxl__domain_lock *l = ctx->held_locks;
        ctx->held_locks = l->next;
        drop(l);
    }
}
