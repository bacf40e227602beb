/*
 * libxl_xshelp.c: xenstore helpers over CTX->sys (see libxl_xshelp.h).
 */
#include <time.h>

#include "libxl_internal.h"
#include "libxl_sys.h"
#include "libxl_xshelp.h"

/* A malloc'd result of an xs op moved into the gc. */
static void *gc_take(libxl__gc *gc, void *p, size_t len)
{
    void *q;

    if (!p)
        return NULL;
    q = libxl__malloc(gc, len);
    memcpy(q, p, len);
    free(p);
    return q;
}

char *libxl__xs_read(libxl__gc *gc, xs_transaction_t t, const char *path)
{
    unsigned int len = 0;
    char *v = SYS->xs_read(CTX, t, path, &len);
    char *s;

    if (!v) {
        if (errno != ENOENT)
            LOGE(ERROR, "xenstore read %s failed", path);
        return NULL;
    }
    /* libxenstore NUL-terminates; a fake might not. */
    s = libxl__malloc(gc, (size_t)len + 1);
    memcpy(s, v, len);
    s[len] = '\0';
    free(v);
    return s;
}

int libxl__xs_read_checked(libxl__gc *gc, xs_transaction_t t,
                           const char *path, const char **result_out)
{
    char *v;

    errno = 0;
    v = libxl__xs_read(gc, t, path);
    if (!v && errno != ENOENT)
        return ERROR_FAIL;
    *result_out = v;
    return 0;
}

int libxl__xs_read_mandatory(libxl__gc *gc, xs_transaction_t t,
                             const char *path, const char **result_out)
{
    int rc = libxl__xs_read_checked(gc, t, path, result_out);

    if (rc)
        return rc;
    if (!*result_out) {
        LOG(ERROR, "xenstore node %s is missing", path);
        return ERROR_NOTFOUND;
    }
    return 0;
}

int libxl__xs_write_checked(libxl__gc *gc, xs_transaction_t t,
                            const char *path, const char *string)
{
    size_t len = strlen(string);

    if (!SYS->xs_write(CTX, t, path, string, (unsigned int)len)) {
        LOGE(ERROR, "xenstore write %s = \"%s\" failed", path, string);
        return ERROR_FAIL;
    }
    return 0;
}

int libxl__xs_printf(libxl__gc *gc, xs_transaction_t t, const char *path,
                     const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = libxl__vsprintf(gc, fmt, ap);
    va_end(ap);
    return libxl__xs_write_checked(gc, t, path, s);
}

int libxl__xs_writev(libxl__gc *gc, xs_transaction_t t, const char *dir,
                     char **kvs)
{
    int rc;

    if (!kvs)
        return 0;
    for (char **kv = kvs; kv[0]; kv += 2) {
        if (!kv[1])
            continue;
        rc = libxl__xs_write_checked(gc, t, GCSPRINTF("%s/%s", dir, kv[0]),
                                     kv[1]);
        if (rc)
            return rc;
    }
    return 0;
}

void libxl__kvs_add(libxl__gc *gc, libxl__kvs *l, const char *key,
                    const char *value)
{
    if (l->n + 3 > l->room) {
        l->room = l->room ? 2 * l->room : 16;
        l->kv = libxl__realloc(gc, l->kv, (size_t)l->room * sizeof(*l->kv));
    }
    l->kv[l->n++] = (char *)key;
    l->kv[l->n++] = (char *)value;
    l->kv[l->n] = NULL;
}

int libxl__xs_mknod(libxl__gc *gc, xs_transaction_t t, const char *path,
                    struct xs_permissions *perms, unsigned int num_perms)
{
    if (!SYS->xs_mkdir(CTX, t, path)) {
        LOGE(ERROR, "xenstore mkdir %s failed", path);
        return ERROR_FAIL;
    }
    if (perms && !SYS->xs_set_permissions(CTX, t, path, perms, num_perms)) {
        LOGE(ERROR, "xenstore set permissions of %s failed", path);
        return ERROR_FAIL;
    }
    return 0;
}

int libxl__xs_rm_checked(libxl__gc *gc, xs_transaction_t t,
                         const char *path)
{
    if (!SYS->xs_rm(CTX, t, path) && errno != ENOENT) {
        LOGE(ERROR, "xenstore rm %s failed", path);
        return ERROR_FAIL;
    }
    return 0;
}

char **libxl__xs_directory(libxl__gc *gc, xs_transaction_t t,
                           const char *path, unsigned int *num)
{
    unsigned int n = 0;
    char **l = SYS->xs_directory(CTX, t, path, &n);
    char **out;

    *num = 0;
    if (!l) {
        if (errno != ENOENT)
            LOGE(ERROR, "xenstore directory %s failed", path);
        return NULL;
    }
    /* Copy the strings out: the layout of the block is libxenstore's. */
    out = libxl__calloc(gc, (size_t)n + 1, sizeof(*out));
    if (!out)
        out = libxl__zalloc(gc, sizeof(*out));
    for (unsigned int i = 0; i < n; i++)
        out[i] = libxl__strdup(gc, l[i]);
    free(l);
    *num = n;
    return out;
}

char *libxl__xs_get_dompath(libxl__gc *gc, uint32_t domid)
{
    char *p = SYS->xs_get_domain_path(CTX, domid);

    if (!p) {
        LOGED(ERROR, domid, "cannot get the xenstore path of the domain");
        return NULL;
    }
    return gc_take(gc, p, strlen(p) + 1);
}

char *libxl__xs_libxl_path(libxl__gc *gc, uint32_t domid)
{
    return GCSPRINTF("/libxl/%" PRIu32, domid);
}

char *libxl__xs_vm_path(libxl__gc *gc, uint32_t domid)
{
    char *dompath = libxl__xs_get_dompath(gc, domid);

    return dompath ? libxl__xs_read(gc, XBT_NULL,
                                    GCSPRINTF("%s/vm", dompath))
                   : NULL;
}

int libxl__xs_transaction_start(libxl__gc *gc, xs_transaction_t *t)
{
    assert(*t == XBT_NULL);
    *t = SYS->xs_transaction_start(CTX);
    if (*t == XBT_NULL) {
        LOGE(ERROR, "cannot start a xenstore transaction");
        return ERROR_FAIL;
    }
    return 0;
}

int libxl__xs_transaction_commit(libxl__gc *gc, xs_transaction_t *t)
{
    bool ok = SYS->xs_transaction_end(CTX, *t, false);

    *t = XBT_NULL;
    if (ok)
        return 0;
    if (errno == EAGAIN)
        return 1;
    LOGE(ERROR, "xenstore transaction commit failed");
    return ERROR_FAIL;
}

void libxl__xs_transaction_abort(libxl__gc *gc, xs_transaction_t *t)
{
    if (*t == XBT_NULL)
        return;
    if (!SYS->xs_transaction_end(CTX, *t, true))
        LOGE(WARN, "xenstore transaction abort failed");
    *t = XBT_NULL;
}

/*
 * Bounded waits.
 */
struct xswait {
    libxl__xswait_check *check;
    void *arg;
    int rc;                     /* > 0 while waiting */
};

static void xswait_cb(libxl__gc *gc, libxl__ev_xswatch *w,
                      const char *watch_path, const char *event_path)
{
    struct xswait *xw = w->arg;
    const char *v;

    if (xw->rc <= 0)
        return;
    if (libxl__xs_read_checked(gc, XBT_NULL, watch_path, &v)) {
        xw->rc = ERROR_FAIL;
        return;
    }
    xw->rc = xw->check(gc, v, xw->arg);
}

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int libxl__xswait(libxl__gc *gc, const char *what, const char *path,
                  libxl__xswait_check *check, void *arg, int timeout_ms)
{
    struct xswait xw = { .check = check, .arg = arg, .rc = 1 };
    libxl__ev_xswatch w;
    int64_t deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
    const char *v;
    int rc;

    libxl__ev_xswatch_init(&w);
    w.arg = &xw;

    CTX_LOCK;
    /* The state now: the watch's first firing may lag behind. */
    rc = libxl__xs_read_checked(gc, XBT_NULL, path, &v);
    if (rc)
        goto out;
    xw.rc = check(gc, v, arg);
    if (xw.rc <= 0) {
        rc = xw.rc;
        goto out;
    }
    rc = libxl__ev_xswatch_register(gc, &w, xswait_cb, path);
    if (rc)
        goto out;
    while (xw.rc > 0) {
        int left = -1;

        if (deadline >= 0) {
            int64_t l = deadline - now_ms();
            if (l <= 0) {
                LOG(ERROR, "timed out after %d ms waiting for %s (%s)",
                    timeout_ms, what, path);
                rc = ERROR_TIMEDOUT;
                goto out;
            }
            left = l > INT_MAX ? INT_MAX : (int)l;
        }
        rc = libxl__ev_run(gc, left);
        if (rc)
            goto out;
    }
    rc = xw.rc;
out:
    libxl__ev_xswatch_deregister(gc, &w);
    CTX_UNLOCK;
    return rc;
}

static int value_check(libxl__gc *gc, const char *value, void *arg)
{
    const char *expected = arg;

    if (!expected)
        return value ? 1 : 0;
    return value && !strcmp(value, expected) ? 0 : 1;
}

int libxl__xswait_value(libxl__gc *gc, const char *what, const char *path,
                        const char *expected, int timeout_ms)
{
    return libxl__xswait(gc, what, path, value_check, (void *)expected,
                         timeout_ms);
}
