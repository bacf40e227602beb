/*
 * libxl_lock.c: per-domain locks, so that two toolstack processes never
 * act on one domain at once (see libxl_domain.h).
 *
 * A lock is flock(LOCK_EX) on <libxl__lock_dir>/domain-<domid>.lock.
 * flock belongs to the open file, so two ctxs (even in one process)
 * exclude each other, and a process that dies drops its locks.  Destroy
 * unlinks the file while holding it; a waiter that then gets the lock
 * on the unlinked file notices (the path no longer names its file) and
 * starts again on the new one.
 */
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "libxl_internal.h"

const char *libxl__lock_dir = "/run/xen/libxl";
int libxl__lock_timeout_ms = 60 * 1000;

struct libxl__domain_lock {
    struct libxl__domain_lock *next;
    uint32_t domid;
    int fd;
    int count;                  /* nested acquires through this ctx */
};

static char *lock_path(libxl__gc *gc, uint32_t domid)
{
    return GCSPRINTF("%s/domain-%" PRIu32 ".lock", libxl__lock_dir, domid);
}

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

/* 1: fd is locked and still the file at path; 0: try again; < 0 error */
static int try_lock(libxl__gc *gc, uint32_t domid, const char *path,
                    int *fd_r)
{
    struct stat a, b;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

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

int libxl__domain_lock_acquire(libxl__gc *gc, uint32_t domid,
                               libxl__domain_lock **lock_r)
{
    libxl__domain_lock *l;
    char *path;
    int64_t deadline;
    int rc = 0, fd = -1, delay_ms = 1;
    bool told = false;

    *lock_r = NULL;
    CTX_LOCK;
    for (l = CTX->held_locks; l; l = l->next) {
        if (l->domid == domid) {
            l->count++;
            *lock_r = l;
            goto out;
        }
    }
    rc = mkdir_p(gc, libxl__lock_dir);
    if (rc) {
        rc = ERROR_LOCK_FAIL;
        goto out;
    }
    path = lock_path(gc, domid);
    deadline = now_ms() + libxl__lock_timeout_ms;
    for (;;) {
        int r = try_lock(gc, domid, path, &fd);
        if (r < 0) {
            rc = r;
            goto out;
        }
        if (r)
            break;
        if (now_ms() >= deadline) {
            LOGD(ERROR, domid, "domain is busy: another toolstack process "
                 "has held its lock (%s) for %d ms", path,
                 libxl__lock_timeout_ms);
            rc = ERROR_LOCK_FAIL;
            goto out;
        }
        if (!told) {
            LOGD(DEBUG, domid, "waiting for the domain lock %s", path);
            told = true;
        }
        nanosleep(&(struct timespec){ .tv_nsec = delay_ms * 1000000L },
                  NULL);
        if (delay_ms < 64)
            delay_ms *= 2;
    }
    l = libxl__zalloc(NOGC, sizeof(*l));
    l->domid = domid;
    l->fd = fd;
    l->count = 1;
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
        close(lock->fd);        /* drops the flock */
        free(lock);
    }
    CTX_UNLOCK;
}

void libxl__domain_lock_remove(libxl__gc *gc, uint32_t domid)
{
    char *path = lock_path(gc, domid);

    if (unlink(path) && errno != ENOENT)
        LOGED(WARN, domid, "cannot remove the lock file %s", path);
}

void libxl__domain_locks_free(libxl_ctx *ctx)
{
    while (ctx->held_locks) {
        libxl__domain_lock *l = ctx->held_locks;
        ctx->held_locks = l->next;
        close(l->fd);
        free(l);
    }
}
