/*
 * libxl_xshelp.h: xenstore helpers (libxl_xshelp.c) and xenstore watches
 * (libxl_event.c).  Included by libxl_internal.h.
 *
 * All go through CTX->sys.  Strings and arrays returned are from the gc.
 * "Checked" helpers return 0 or ERROR_FAIL, and log the failure with
 * the path, so callers need not.  t is a transaction or XBT_NULL.
 */
#ifndef LIBXL_XSHELP_H
#define LIBXL_XSHELP_H

#include "libxl_internal.h"

/* The value at path, NULL if absent (errno ENOENT) or on error (logged
 * unless ENOENT). */
char *libxl__xs_read(libxl__gc *gc, xs_transaction_t t, const char *path);
/* 0 with *result_out NULL if path is absent, or the value. */
int libxl__xs_read_checked(libxl__gc *gc, xs_transaction_t t,
                           const char *path, const char **result_out);
/* As above but an absent path is ERROR_NOTFOUND (logged). */
int libxl__xs_read_mandatory(libxl__gc *gc, xs_transaction_t t,
                             const char *path, const char **result_out);
int libxl__xs_write_checked(libxl__gc *gc, xs_transaction_t t,
                            const char *path, const char *string);
int libxl__xs_printf(libxl__gc *gc, xs_transaction_t t, const char *path,
                     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* dir/key = value for each pair of kvs (NULL-terminated key, value ...;
 * a NULL value skips the key). */
int libxl__xs_writev(libxl__gc *gc, xs_transaction_t t, const char *dir,
                     char **kvs);
/* A list of key, value pairs that grows as pairs are added (gc), for
 * libxl__xs_writev and exec environments: kv is always NULL-terminated
 * (NULL until the first pair).  Zero-initialise it. */
typedef struct libxl__kvs {
    char **kv;
    int n;                      /* strings in kv, the NULL not counted */
    int room;
} libxl__kvs;
/* key = value at the end (value NULL: libxl__xs_writev skips the key). */
void libxl__kvs_add(libxl__gc *gc, libxl__kvs *l, const char *key,
                    const char *value);
/* mkdir path (an existing one is fine) then set its permissions when
 * perms is not NULL (perms[0] is the owner and the default access). */
int libxl__xs_mknod(libxl__gc *gc, xs_transaction_t t, const char *path,
                    struct xs_permissions *perms, unsigned int num_perms);
/* rm path and everything below; an absent path is success. */
int libxl__xs_rm_checked(libxl__gc *gc, xs_transaction_t t,
                         const char *path);
/* Children of path (*num set), NULL if absent or on error (*num 0). */
char **libxl__xs_directory(libxl__gc *gc, xs_transaction_t t,
                           const char *path, unsigned int *num);

/* "/local/domain/<domid>" as xenstored says (NULL, logged, on error). */
char *libxl__xs_get_dompath(libxl__gc *gc, uint32_t domid);
/* "/libxl/<domid>": libxl's private per-domain data. */
char *libxl__xs_libxl_path(libxl__gc *gc, uint32_t domid);
/* "/vm/<uuid>" of the domain, read from <dompath>/vm; NULL if none. */
char *libxl__xs_vm_path(libxl__gc *gc, uint32_t domid);

/*
 * Transactions, in this loop:
 *
 *   xs_transaction_t t = XBT_NULL;
 *   for (;;) {
 *       rc = libxl__xs_transaction_start(gc, &t);
 *       if (rc) goto out;
 *       ... reads and writes with t; on error goto out ...
 *       rc = libxl__xs_transaction_commit(gc, &t);
 *       if (!rc) break;         // committed
 *       if (rc < 0) goto out;   // failed; > 0: conflict, go round again
 *   }
 *   out:
 *   libxl__xs_transaction_abort(gc, &t);   // no-op once committed
 */
int libxl__xs_transaction_start(libxl__gc *gc, xs_transaction_t *t);
int libxl__xs_transaction_commit(libxl__gc *gc, xs_transaction_t *t);
void libxl__xs_transaction_abort(libxl__gc *gc, xs_transaction_t *t);

/*
 * Watches (libxl_event.c).  One xenstore connection per ctx carries all
 * of them; each has its own token, and events are dispatched by token,
 * so bounded waits and the public event machinery never steal each
 * other's events.  The callback runs with the ctx lock held, from
 * libxl__ev_run (inside a bounded wait) or from the public event loop.
 * A watch fires once at registration (xenstored's rule): callbacks
 * must read the current state, not assume a change.
 */
typedef struct libxl__ev_xswatch libxl__ev_xswatch;
typedef void libxl__ev_xswatch_callback(libxl__gc *gc, libxl__ev_xswatch *w,
                                        const char *watch_path,
                                        const char *event_path);
struct libxl__ev_xswatch {
    /* caller's */
    libxl__ev_xswatch_callback *callback;
    void *arg;
    /* private */
    char *path;                 /* malloc'd; NULL when not registered */
    char token[32];
    libxl__ev_xswatch *next;
};

static inline void libxl__ev_xswatch_init(libxl__ev_xswatch *w)
{
    memset(w, 0, sizeof(*w));
}
static inline bool libxl__ev_xswatch_isregistered(const libxl__ev_xswatch *w)
{
    return w->path != NULL;
}
int libxl__ev_xswatch_register(libxl__gc *gc, libxl__ev_xswatch *w,
                               libxl__ev_xswatch_callback *cb,
                               const char *path);
/* Idempotent: fine on an initialised or already deregistered watch. */
void libxl__ev_xswatch_deregister(libxl__gc *gc, libxl__ev_xswatch *w);

/* Waits up to timeout_ms (-1: forever) for watch events and dispatches
 * those that arrive; returns after the first batch or the timeout.
 * 0, or ERROR_FAIL if the xenstore connection failed. */
int libxl__ev_run(libxl__gc *gc, int timeout_ms);

/*
 * Bounded waits on xenstore: until check(gc, value, arg) says done, or
 * timeout_ms elapses.  check gets the value at path (NULL when absent)
 * each time path or anything below it changes, and at the start; it
 * returns 0 to finish with success, > 0 to keep waiting, or an ERROR_*
 * to finish with that error.  Returns 0, check's error, ERROR_TIMEDOUT
 * (logged with what) or ERROR_FAIL.
 */
typedef int libxl__xswait_check(libxl__gc *gc, const char *value, void *arg);
int libxl__xswait(libxl__gc *gc, const char *what, const char *path,
                  libxl__xswait_check *check, void *arg, int timeout_ms);
/* Until path holds expected (NULL: until path is absent). */
int libxl__xswait_value(libxl__gc *gc, const char *what, const char *path,
                        const char *expected, int timeout_ms);

#endif /* LIBXL_XSHELP_H */
