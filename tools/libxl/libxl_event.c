/*
 * libxl_event.c: the event machinery (see docs/design/events.md):
 * xenstore watches dispatched by token, the queue of events for the
 * caller, completions of asynchronous operations, the domain death
 * generator, and the ways a caller's loop drives it all.
 */
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include "libxl_internal.h"
#include "libxl_sys.h"
#include "libxl_xshelp.h"
#include "libxl_event_internal.h"

struct libxl__ao_done {
    libxl__ao_done *next;
    libxl_asyncop_how how;
    int rc;
};

struct libxl__osevent_fd {
    int fd;
    void *for_app_reg;
};

typedef struct libxl__evgen_domain_death libxl__evgen_domain_death;
struct libxl__evgen_domain_death {
    libxl__evgen_domain_death *next;
    uint32_t domid;
    libxl_uuid uuid;            /* for the DEATH event of a gone domain */
    libxl_ev_user user;
    bool shutdown_reported;     /* since the domain last ran */
    bool death_reported;
    /* /libxl/<domid>, which every destroy removes once the domain is
     * dying: xenstored fires @releaseDomain only for a domain it knows,
     * and one that a soft reset released and could not bring back (a
     * failed reset keeps it so) dies without it. */
    libxl__ev_xswatch home_watch;
};

/*
 * Watches.
 */
static libxl__ev_xswatch *watch_by_token(libxl_ctx *ctx, const char *token)
{
    for (libxl__ev_xswatch *w = ctx->watches; w; w = w->next)
        if (!strcmp(w->token, token))
            return w;
    return NULL;
}

static void osevent_fd_update(libxl__gc *gc);

int libxl__ev_xswatch_register(libxl__gc *gc, libxl__ev_xswatch *w,
                               libxl__ev_xswatch_callback *cb,
                               const char *path)
{
    int rc = 0;

    assert(!libxl__ev_xswatch_isregistered(w));
    CTX_LOCK;
    w->callback = cb;
    w->path = strdup(path);
    if (!w->path)
        libxl__alloc_failed(CTX, __func__, 1, strlen(path) + 1);
    snprintf(w->token, sizeof(w->token), "libxl-%u-%p", CTX->watch_counter++,
             (void *)w);
    if (!SYS->xs_watch(CTX, path, w->token)) {
        LOGE(ERROR, "cannot watch xenstore path %s", path);
        free(w->path);
        w->path = NULL;
        rc = ERROR_FAIL;
        goto out;
    }
    w->next = CTX->watches;
    CTX->watches = w;
    osevent_fd_update(gc);
out:
    CTX_UNLOCK;
    return rc;
}

void libxl__ev_xswatch_deregister(libxl__gc *gc, libxl__ev_xswatch *w)
{
    if (!libxl__ev_xswatch_isregistered(w))
        return;
    CTX_LOCK;
    if (!SYS->xs_unwatch(CTX, w->path, w->token) && errno != ENOENT)
        LOGE(WARN, "cannot remove the xenstore watch on %s", w->path);
    for (libxl__ev_xswatch **pp = &CTX->watches; *pp; pp = &(*pp)->next) {
        if (*pp == w) {
            *pp = w->next;
            break;
        }
    }
    free(w->path);
    w->path = NULL;
    w->next = NULL;
    osevent_fd_update(gc);
    CTX_UNLOCK;
}

/* Dispatches the watch events that are pending now. */
static int dispatch_watches(libxl__gc *gc)
{
    for (;;) {
        char **ev = SYS->xs_check_watch(CTX);
        libxl__ev_xswatch *w;

        if (!ev) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == 0)
                return 0;
            LOGE(ERROR, "reading xenstore watch events failed");
            return ERROR_FAIL;
        }
        w = watch_by_token(CTX, ev[XS_WATCH_TOKEN]);
        if (w) {
            /* The callback may deregister w: keep the path. */
            char *wpath = libxl__strdup(gc, w->path);
            w->callback(gc, w, wpath, ev[XS_WATCH_PATH]);
        }
        /* else: a watch removed meanwhile; its late events are dropped */
        free(ev);
    }
}

int libxl__ev_run(libxl__gc *gc, int timeout_ms)
{
    struct pollfd p = { .fd = -1, .events = POLLIN };
    int r, rc;

    CTX_LOCK;
    if (CTX->watches) {
        p.fd = SYS->xs_fileno(CTX);
        if (p.fd < 0) {
            LOGE(ERROR, "no xenstore watch fd");
            rc = ERROR_FAIL;
            goto out;
        }
    }
    CTX_UNLOCK;
    /* Unlocked while sleeping: other threads may use the ctx. */
    r = poll(&p, p.fd >= 0 ? 1 : 0, timeout_ms);
    CTX_LOCK;
    if (r < 0 && errno != EINTR) {
        LOGE(ERROR, "poll failed");
        rc = ERROR_FAIL;
        goto out;
    }
    rc = r > 0 ? dispatch_watches(gc) : 0;
out:
    CTX_UNLOCK;
    return rc;
}

/*
 * Events and completions.
 */
libxl_event *libxl__event_new(libxl__gc *gc, libxl_event_type type,
                              uint32_t domid, libxl_ev_user for_user)
{
    libxl_event *ev = libxl__zalloc(NOGC, sizeof(*ev));
    xc_domaininfo_t info;

    libxl_event_init(ev);
    libxl_event_init_type(ev, type);
    ev->domid = domid;
    ev->for_user = for_user;
    if (domid != (uint32_t)INVALID_DOMID &&
        !libxl__domain_getinfo1(gc, domid, &info))
        memcpy(libxl_uuid_bytearray(&ev->domuuid), info.handle, 16);
    return ev;
}

static bool to_hooks(libxl_ctx *ctx, libxl_event_type type)
{
    return ctx->event_hooks && ctx->event_hooks->event_occurs &&
           (ctx->event_hooks->event_occurs_mask & (1ULL << type));
}

static void want_delivery(libxl__gc *gc);

void libxl__event_occurred(libxl__gc *gc, libxl_event *ev)
{
    CTX_LOCK;
    if (to_hooks(CTX, ev->type)) {
        XEN_TAILQ_INSERT_TAIL(&CTX->for_hooks, ev, link);
        want_delivery(gc);
    } else {
        XEN_TAILQ_INSERT_TAIL(&CTX->occurred, ev, link);
    }
    CTX_UNLOCK;
}

int libxl__ao_result(libxl_ctx *ctx, const libxl_asyncop_how *ao_how,
                     int rc)
{
    GC_INIT(ctx);

    if (!ao_how) {
        GC_FREE;
        return rc;
    }
    CTX_LOCK;
    if (ao_how->callback) {
        libxl__ao_done *d = libxl__zalloc(NOGC, sizeof(*d));
        libxl__ao_done **pp = &CTX->aos_done;

        d->how = *ao_how;
        d->rc = rc;
        while (*pp)
            pp = &(*pp)->next;      /* in order of completion */
        *pp = d;
        want_delivery(gc);
    } else {
        libxl_event *ev = libxl__event_new(gc,
                                           LIBXL_EVENT_TYPE_OPERATION_COMPLETE,
                                           INVALID_DOMID,
                                           ao_how->u.for_event);
        ev->u.operation_complete.rc = rc;
        libxl__event_occurred(gc, ev);
    }
    CTX_UNLOCK;
    GC_FREE;
    return 0;
}

void libxl__ao_progress_report(libxl__gc *gc,
                               const libxl_asyncprogress_how *how,
                               libxl_event_type type, uint32_t domid)
{
    libxl_event *ev;

    if (!how)
        return;
    ev = libxl__event_new(gc, type, domid, how->for_event);
    if (how->callback) {
        how->callback(CTX, ev, how->for_callback);
    } else {
        libxl__event_occurred(gc, ev);
    }
}

/* Something waits for delivery: with osevent hooks, ask the caller's
 * loop to call us as soon as possible. */
static void want_delivery(libxl__gc *gc)
{
    const libxl_osevent_hooks *h = CTX->osevent_hooks;
    struct timeval asap = { 0, 0 };

    if (!h || CTX->osevent_timeout_set)
        return;
    if (h->timeout_register(CTX->osevent_user, &CTX->osevent_timeout_reg,
                            asap, CTX)) {
        LOG(ERROR, "the application's timeout_register hook failed: "
            "completions wait for the next libxl_event_check/wait");
        return;
    }
    CTX->osevent_timeout_set = true;
}

static bool have_pending_delivery(libxl_ctx *ctx)
{
    return ctx->aos_done || !XEN_TAILQ_EMPTY(&ctx->for_hooks);
}

/* Calls the completion callbacks and event_occurs for everything that
 * waits, without the ctx lock. */
static void deliver_pending(libxl_ctx *ctx)
{
    for (;;) {
        libxl__ao_done *d;
        libxl_event *ev;

        libxl__ctx_lock(ctx);
        d = ctx->aos_done;
        if (d)
            ctx->aos_done = d->next;
        ev = d ? NULL : XEN_TAILQ_FIRST(&ctx->for_hooks);
        if (ev)
            XEN_TAILQ_REMOVE(&ctx->for_hooks, ev, link);
        libxl__ctx_unlock(ctx);

        if (d) {
            d->how.callback(ctx, d->rc, d->how.u.for_callback);
            free(d);
        } else if (ev) {
            ctx->event_hooks->event_occurs(ctx->event_hooks_user, ev);
        } else {
            return;
        }
    }
}

void libxl_event_register_callbacks(libxl_ctx *ctx,
                                    const libxl_event_hooks *hooks,
                                    void *user)
{
    libxl__ctx_lock(ctx);
    ctx->event_hooks = hooks;
    ctx->event_hooks_user = user;
    libxl__ctx_unlock(ctx);
}

static libxl_event *take_matching(libxl_ctx *ctx, uint64_t typemask,
                                  libxl_event_predicate *pred, void *user)
{
    libxl_event *ev;

    XEN_TAILQ_FOREACH(ev, &ctx->occurred, link) {
        if (!(typemask & (1ULL << ev->type)))
            continue;
        if (pred && !pred(ev, user))
            continue;
        XEN_TAILQ_REMOVE(&ctx->occurred, ev, link);
        return ev;
    }
    return NULL;
}

static int event_get(libxl_ctx *ctx, libxl_event **event_r,
                     uint64_t typemask, libxl_event_predicate *pred,
                     void *user, bool wait)
{
    GC_INIT(ctx);
    int rc;

    *event_r = NULL;
    for (;;) {
        deliver_pending(ctx);
        CTX_LOCK;
        rc = libxl__ev_run(gc, 0);      /* whatever has arrived */
        if (!rc) {
            *event_r = take_matching(CTX, typemask, pred, user);
            if (!*event_r && !wait)
                rc = ERROR_NOT_READY;
        }
        CTX_UNLOCK;
        if (rc || *event_r)
            break;
        deliver_pending(ctx);
        rc = libxl__ev_run(gc, have_pending_delivery(ctx) ? 0 : -1);
        if (rc)
            break;
    }
    deliver_pending(ctx);
    GC_FREE;
    return rc;
}

int libxl_event_check(libxl_ctx *ctx, libxl_event **event_r,
                      uint64_t typemask, libxl_event_predicate *predicate,
                      void *predicate_user)
{
    return event_get(ctx, event_r, typemask, predicate, predicate_user,
                     false);
}

int libxl_event_wait(libxl_ctx *ctx, libxl_event **event_r,
                     uint64_t typemask, libxl_event_predicate *predicate,
                     void *predicate_user)
{
    return event_get(ctx, event_r, typemask, predicate, predicate_user,
                     true);
}

void libxl_event_free(libxl_ctx *ctx, libxl_event *event)
{
    if (!event)
        return;
    libxl_event_dispose(event);
    free(event);
}

/*
 * Domain death.
 */
static void death_check(libxl__gc *gc, libxl__evgen_domain_death *eg)
{
    xc_domaininfo_t info;
    libxl_event *ev;
    int rc;

    if (eg->death_reported)
        return;
    rc = libxl__domain_getinfo1(gc, eg->domid, &info);
    if (rc && rc != ERROR_DOMAIN_NOTFOUND)
        return;                 /* logged; look again at the next firing */
    if (rc == ERROR_DOMAIN_NOTFOUND || (info.flags & XEN_DOMINF_dying)) {
        LOGD(DEBUG, eg->domid, "domain death");
        ev = libxl__event_new(gc, LIBXL_EVENT_TYPE_DOMAIN_DEATH,
                              INVALID_DOMID, eg->user);
        ev->domid = eg->domid;
        libxl_uuid_copy(CTX, &ev->domuuid, &eg->uuid);
        eg->death_reported = true;
        libxl__event_occurred(gc, ev);
        return;
    }
    if (!(info.flags & XEN_DOMINF_shutdown)) {
        eg->shutdown_reported = false;  /* running (again) */
        return;
    }
    if (eg->shutdown_reported)
        return;
    ev = libxl__event_new(gc, LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN, eg->domid,
                          eg->user);
    ev->u.domain_shutdown.shutdown_reason =
        (uint8_t)libxl__shutdown_reason_of(&info);
    LOGD(DEBUG, eg->domid, "domain shutdown, reason %d",
         (int)(info.flags >> XEN_DOMINF_shutdownshift &
               XEN_DOMINF_shutdownmask));
    eg->shutdown_reported = true;
    libxl__event_occurred(gc, ev);
}

void libxl__death_recheck(libxl__gc *gc, uint32_t domid)
{
    CTX_LOCK;
    for (libxl__evgen_domain_death *eg = CTX->death_list; eg; eg = eg->next)
        if (eg->domid == domid)
            death_check(gc, eg);
    CTX_UNLOCK;
}

static void release_domain_cb(libxl__gc *gc, libxl__ev_xswatch *w,
                              const char *watch_path,
                              const char *event_path)
{
    for (libxl__evgen_domain_death *eg = CTX->death_list; eg; eg = eg->next)
        death_check(gc, eg);
}

static void home_changed_cb(libxl__gc *gc, libxl__ev_xswatch *w,
                            const char *watch_path, const char *event_path)
{
    death_check(gc, w->arg);
}

int libxl_evenable_domain_death(libxl_ctx *ctx, uint32_t domid,
                                libxl_ev_user user,
                                libxl_evgen_domain_death **evgen_out)
{
    GC_INIT(ctx);
    libxl__evgen_domain_death *eg;
    xc_domaininfo_t info;
    int rc = 0;

    *evgen_out = NULL;
    eg = libxl__zalloc(NOGC, sizeof(*eg));
    eg->domid = domid;
    eg->user = user;
    libxl__ev_xswatch_init(&eg->home_watch);
    eg->home_watch.arg = eg;
    CTX_LOCK;
    if (!libxl__domain_getinfo1(gc, domid, &info))
        memcpy(libxl_uuid_bytearray(&eg->uuid), info.handle, 16);
    if (!CTX->death_watch) {
        libxl__ev_xswatch *w = libxl__zalloc(NOGC, sizeof(*w));
        libxl__ev_xswatch_init(w);
        rc = libxl__ev_xswatch_register(gc, w, release_domain_cb,
                                        "@releaseDomain");
        if (rc) {
            free(w);
            free(eg);
            goto out;
        }
        CTX->death_watch = w;
    }
    rc = libxl__ev_xswatch_register(gc, &eg->home_watch, home_changed_cb,
                                    libxl__xs_libxl_path(gc, domid));
    if (rc) {
        free(eg);
        if (!CTX->death_list) {
            libxl__ev_xswatch_deregister(gc, CTX->death_watch);
            free(CTX->death_watch);
            CTX->death_watch = NULL;
        }
        goto out;
    }
    /* xenstored fires the watch on registration, but it may already
     * have fired for an earlier generator: look at this one first.
     * (Events are only queued here; delivery is from the loop.) */
    eg->next = CTX->death_list;
    CTX->death_list = eg;
    death_check(gc, eg);
    *evgen_out = eg;
out:
    CTX_UNLOCK;
    GC_FREE;
    return rc;
}

void libxl_evdisable_domain_death(libxl_ctx *ctx,
                                  libxl_evgen_domain_death *evgen)
{
    GC_INIT(ctx);

    if (!evgen) {
        GC_FREE;
        return;
    }
    CTX_LOCK;
    for (libxl__evgen_domain_death **pp = &CTX->death_list; *pp;
         pp = &(*pp)->next) {
        if (*pp == evgen) {
            *pp = evgen->next;
            break;
        }
    }
    libxl__ev_xswatch_deregister(gc, &evgen->home_watch);
    free(evgen);
    if (!CTX->death_list && CTX->death_watch) {
        libxl__ev_xswatch_deregister(gc, CTX->death_watch);
        free(CTX->death_watch);
        CTX->death_watch = NULL;
    }
    CTX_UNLOCK;
    GC_FREE;
}

/*
 * The caller's loop.
 */
static void osevent_fd_update(libxl__gc *gc)
{
    const libxl_osevent_hooks *h = CTX->osevent_hooks;
    bool want = CTX->watches != NULL;

    if (!h)
        return;
    if (want && !CTX->osevent_fd) {
        libxl__osevent_fd *f = libxl__zalloc(NOGC, sizeof(*f));
        f->fd = SYS->xs_fileno(CTX);
        if (f->fd < 0 ||
            h->fd_register(CTX->osevent_user, f->fd, &f->for_app_reg, POLLIN,
                           f)) {
            LOG(ERROR, "cannot register the xenstore fd with the "
                "application's loop");
            free(f);
            return;
        }
        CTX->osevent_fd = f;
    } else if (!want && CTX->osevent_fd) {
        h->fd_deregister(CTX->osevent_user, CTX->osevent_fd->fd,
                         CTX->osevent_fd->for_app_reg);
        free(CTX->osevent_fd);
        CTX->osevent_fd = NULL;
    }
}

void libxl_osevent_register_hooks(libxl_ctx *ctx,
                                  const libxl_osevent_hooks *hooks,
                                  void *user)
{
    GC_INIT(ctx);

    CTX_LOCK;
    assert(!CTX->osevent_fd && !CTX->osevent_timeout_set);
    CTX->osevent_hooks = hooks;
    CTX->osevent_user = user;
    osevent_fd_update(gc);
    if (have_pending_delivery(CTX))
        want_delivery(gc);
    CTX_UNLOCK;
    GC_FREE;
}

void libxl_osevent_occurred_fd(libxl_ctx *ctx, void *for_libxl, int fd,
                               short events, short revents)
{
    GC_INIT(ctx);

    CTX_LOCK;
    if (dispatch_watches(gc))
        LOG(ERROR, "xenstore watch dispatch failed");
    CTX_UNLOCK;
    deliver_pending(ctx);
    GC_FREE;
}

void libxl_osevent_occurred_timeout(libxl_ctx *ctx, void *for_libxl)
{
    libxl__ctx_lock(ctx);
    ctx->osevent_timeout_set = false;
    libxl__ctx_unlock(ctx);
    deliver_pending(ctx);
}

int libxl_osevent_beforepoll(libxl_ctx *ctx, int *nfds_io,
                             struct pollfd *fds, int *timeout_upd,
                             struct timeval now)
{
    GC_INIT(ctx);
    int used = 0, rc = 0;

    CTX_LOCK;
    if (CTX->watches) {
        int fd = SYS->xs_fileno(CTX);
        if (*nfds_io < 1) {
            rc = ERROR_BUFFERFULL;
        } else {
            fds[0].fd = fd;
            fds[0].events = POLLIN;
            fds[0].revents = 0;
        }
        used = 1;
    }
    if (have_pending_delivery(CTX))
        *timeout_upd = 0;
    CTX_UNLOCK;
    *nfds_io = used;
    GC_FREE;
    return rc;
}

void libxl_osevent_afterpoll(libxl_ctx *ctx, int nfds,
                             const struct pollfd *fds, struct timeval now)
{
    GC_INIT(ctx);

    CTX_LOCK;
    if (CTX->watches && nfds > 0 && fds[0].revents) {
        if (dispatch_watches(gc))
            LOG(ERROR, "xenstore watch dispatch failed");
    }
    CTX_UNLOCK;
    deliver_pending(ctx);
    GC_FREE;
}

/*
 * Child processes (see libxl_event.h: libxl reaps its own by pid).
 */
void libxl_childproc_setmode(libxl_ctx *ctx,
                             const libxl_childproc_hooks *hooks, void *user)
{
    libxl__ctx_lock(ctx);
    ctx->childproc_hooks = hooks;
    ctx->childproc_user = user;
    libxl__ctx_unlock(ctx);
}

int libxl_childproc_reaped(libxl_ctx *ctx, pid_t pid, int status)
{
    return ERROR_UNKNOWN_CHILD;
}

void libxl_childproc_sigchld_occurred(libxl_ctx *ctx)
{
}

/*
 * Teardown.
 */
void libxl__event_ctx_free(libxl_ctx *ctx)
{
    GC_INIT(ctx);
    libxl_event *ev;

    CTX_LOCK;
    while (CTX->death_list) {
        libxl__evgen_domain_death *eg = CTX->death_list;
        CTX->death_list = eg->next;
        libxl__ev_xswatch_deregister(gc, &eg->home_watch);
        free(eg);
    }
    if (CTX->death_watch) {
        libxl__ev_xswatch_deregister(gc, CTX->death_watch);
        free(CTX->death_watch);
        CTX->death_watch = NULL;
    }
    /* Watches of other owners should be gone; drop any left. */
    while (CTX->watches)
        libxl__ev_xswatch_deregister(gc, CTX->watches);
    while ((ev = XEN_TAILQ_FIRST(&CTX->occurred))) {
        XEN_TAILQ_REMOVE(&CTX->occurred, ev, link);
        libxl_event_free(CTX, ev);
    }
    while ((ev = XEN_TAILQ_FIRST(&CTX->for_hooks))) {
        XEN_TAILQ_REMOVE(&CTX->for_hooks, ev, link);
        libxl_event_free(CTX, ev);
    }
    while (CTX->aos_done) {
        libxl__ao_done *d = CTX->aos_done;
        CTX->aos_done = d->next;
        free(d);
    }
    free(CTX->osevent_fd);
    CTX->osevent_fd = NULL;
    CTX_UNLOCK;
    GC_FREE;
}
