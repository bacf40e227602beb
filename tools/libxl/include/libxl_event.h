/*
 * libxl_event.h: events libxl reports to its caller, and the ways a
 * caller runs libxl's event machinery (upstream libxl 4.17's model and
 * signatures).  docs/design/events.md says how it works here.
 *
 * An event is produced by an event generator the caller enabled
 * (libxl_evenable_domain_death), by an asynchronous operation's
 * completion (libxl_asyncop_how with callback NULL) or by its progress
 * (libxl_asyncprogress_how with callback NULL).  It is then either
 * queued for libxl_event_check/libxl_event_wait or, for the types in
 * the mask given to libxl_event_register_callbacks, handed to
 * event_occurs.  The machinery runs inside libxl_event_check/wait,
 * libxl_osevent_afterpoll and libxl_osevent_occurred_*.
 */
#ifndef LIBXL_EVENT_H
#define LIBXL_EVENT_H

#include <poll.h>
#include <sys/time.h>

#include "libxl.h"

#define LIBXL_EVENTMASK_ALL (~(unsigned long)0)

/* Non-zero if the event is one the caller wants.  Must not fail. */
typedef int libxl_event_predicate(const libxl_event *, void *user);

/* The oldest event already produced whose type is in typemask (a bit
 * per type: 1 << type) and which predicate accepts (NULL: any); the
 * caller frees it with libxl_event_free.  ERROR_NOT_READY if none. */
int libxl_event_check(libxl_ctx *ctx, libxl_event **event_r,
                      uint64_t typemask,
                      libxl_event_predicate *predicate, void *predicate_user)
                      LIBXL_EXTERNAL_CALLERS_ONLY;

/* As libxl_event_check, but waits until such an event exists. */
int libxl_event_wait(libxl_ctx *ctx, libxl_event **event_r,
                     uint64_t typemask,
                     libxl_event_predicate *predicate, void *predicate_user)
                     LIBXL_EXTERNAL_CALLERS_ONLY;

/* Frees an event returned by libxl, and everything it owns. ctx may be
 * NULL; event may be NULL. */
void libxl_event_free(libxl_ctx *ctx, libxl_event *event);

/* Events whose type is in event_occurs_mask go to event_occurs (which
 * then owns and frees the event) instead of the queue.  disaster is
 * called when the machinery cannot go on (e.g. xenstore connection
 * lost); without it such a failure is logged and libxl aborts.  hooks
 * is not copied and must outlive the ctx. */
typedef struct libxl_event_hooks {
    uint64_t event_occurs_mask;
    void (*event_occurs)(void *user,
#ifndef LIBXL_HAVE_NONCONST_EVENT_OCCURS_EVENT_ARG
                         const
#endif
                         libxl_event *event);
    void (*disaster)(void *user, libxl_event_type type,
                     const char *msg, int errnoval);
} libxl_event_hooks;

void libxl_event_register_callbacks(libxl_ctx *ctx,
                                    const libxl_event_hooks *hooks,
                                    void *user);

/*
 * Domain death: after libxl_evenable_domain_death, a
 * LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN event (with the shutdown reason, a
 * libxl_shutdown_reason value) each time the domain enters the shut
 * down state, and one LIBXL_EVENT_TYPE_DOMAIN_DEATH when it is
 * destroyed (or found not to exist); nothing after DEATH.  for_user is
 * the user value given.  evdisable may be called at any time, also
 * after DEATH; it must be called once for each enable.
 */
typedef struct libxl__evgen_domain_death libxl_evgen_domain_death;
int libxl_evenable_domain_death(libxl_ctx *ctx, uint32_t domid,
                                libxl_ev_user user,
                                libxl_evgen_domain_death **evgen_out);
void libxl_evdisable_domain_death(libxl_ctx *ctx,
                                  libxl_evgen_domain_death *evgen);

/*
 * For callers with their own poll loop, two ways:
 *
 * (a) around each poll(): libxl_osevent_beforepoll adds libxl's fds to
 *     fds[] (*nfds_io: in, the room; out, the count used or, with
 *     ERROR_BUFFERFULL, the room needed) and lowers *timeout_upd (ms,
 *     negative: none) if libxl has something to do sooner; after poll,
 *     libxl_osevent_afterpoll with the same array does the work.
 *
 * (b) libxl_osevent_register_hooks: libxl tells the caller which fds
 *     and timeouts to watch through the hooks, and the caller calls
 *     libxl_osevent_occurred_fd / _timeout when they fire.  Hooks may be
 *     called from within any libxl function; the occurred functions
 *     must not be called from within a hook.  A timeout at abs {0,0}
 *     means "as soon as possible".  hooks must outlive the ctx.
 */
int libxl_osevent_beforepoll(libxl_ctx *ctx, int *nfds_io,
                             struct pollfd *fds, int *timeout_upd,
                             struct timeval now)
                             LIBXL_EXTERNAL_CALLERS_ONLY;
void libxl_osevent_afterpoll(libxl_ctx *ctx, int nfds,
                             const struct pollfd *fds, struct timeval now)
                             LIBXL_EXTERNAL_CALLERS_ONLY;

typedef struct libxl_osevent_hooks {
    int (*fd_register)(void *user, int fd, void **for_app_registration_out,
                       short events, void *for_libxl);
    int (*fd_modify)(void *user, int fd, void **for_app_registration_update,
                     short events);
    void (*fd_deregister)(void *user, int fd, void *for_app_registration);
    int (*timeout_register)(void *user, void **for_app_registration_out,
                            struct timeval abs, void *for_libxl);
    /* only called with abs {0,0}: as soon as possible */
    int (*timeout_modify)(void *user, void **for_app_registration_update,
                          struct timeval abs);
    /* never called */
    void (*timeout_deregister)(void *user, void *for_app_registration);
} libxl_osevent_hooks;

void libxl_osevent_register_hooks(libxl_ctx *ctx,
                                  const libxl_osevent_hooks *hooks,
                                  void *user);
void libxl_osevent_occurred_fd(libxl_ctx *ctx, void *for_libxl, int fd,
                               short events, short revents)
                               LIBXL_EXTERNAL_CALLERS_ONLY;
/* The timeout is deregistered on entry (libxl registers anew if it
 * needs one). */
void libxl_osevent_occurred_timeout(libxl_ctx *ctx, void *for_libxl)
                                    LIBXL_EXTERNAL_CALLERS_ONLY;

/*
 * Child processes.  This libxl waits for each of its children by pid
 * (waitpid(pid)), within the call that started it, and reaps nothing
 * else: as upstream's libxl_sigchld_owner_libxl_always_selective_reap
 * whatever the mode.  The caller must not reap libxl's children with
 * waitpid(-1) while a libxl call runs, nor set SIGCHLD to SIG_IGN.
 */
typedef enum {
    libxl_sigchld_owner_libxl,
    libxl_sigchld_owner_mainloop,
    libxl_sigchld_owner_libxl_always,
    libxl_sigchld_owner_libxl_always_selective_reap,
} libxl_sigchld_owner;

typedef struct {
    libxl_sigchld_owner chldowner;
    pid_t (*fork_replacement)(void *user);          /* not used here */
    int (*reaped_callback)(pid_t, int status, void *user);  /* not used */
} libxl_childproc_hooks;

/* Accepted and recorded; see above for what this libxl does. */
void libxl_childproc_setmode(libxl_ctx *ctx,
                             const libxl_childproc_hooks *hooks, void *user);
/* ERROR_UNKNOWN_CHILD: libxl never leaves a child for the caller. */
int libxl_childproc_reaped(libxl_ctx *ctx, pid_t, int status)
                           LIBXL_EXTERNAL_CALLERS_ONLY;
void libxl_childproc_sigchld_occurred(libxl_ctx *ctx)
                           LIBXL_EXTERNAL_CALLERS_ONLY;

/* In a child after fork() that will not exec: drops the ctx's
 * connections without disturbing the parent's (the child must allocate
 * a new ctx to use libxl). */
void libxl_postfork_child_noexec(libxl_ctx *ctx);

#endif /* LIBXL_EVENT_H */
