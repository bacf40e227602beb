/*
 * libxl_event_internal.h: producing events and finishing asynchronous
 * operations (libxl_event.c).  Included by libxl_internal.h.
 *
 * Internal operations are synchronous with bounded waits.  A public
 * function taking ao_how does its work, then hands the result to
 * libxl__ao_result:
 *
 *   int libxl_domain_pause(libxl_ctx *ctx, uint32_t domid,
 *                          const libxl_asyncop_how *ao_how)
 *   {
 *       GC_INIT(ctx);
 *       int rc = libxl__domain_pause(gc, domid);
 *       GC_FREE;
 *       return libxl__ao_result(ctx, ao_how, rc);
 *   }
 *
 * With ao_how NULL that returns rc.  Otherwise it returns 0 and the
 * completion (callback, or OPERATION_COMPLETE event) is delivered later
 * through the event machinery, never from within the initiating call.
 */
#ifndef LIBXL_EVENT_INTERNAL_H
#define LIBXL_EVENT_INTERNAL_H

#include "libxl_internal.h"

int libxl__ao_result(libxl_ctx *ctx, const libxl_asyncop_how *ao_how,
                     int rc);

/* A new event of type for domid (uuid filled from the hypervisor when
 * the domain exists), owned by the caller until queued. */
libxl_event *libxl__event_new(libxl__gc *gc, libxl_event_type type,
                              uint32_t domid, libxl_ev_user for_user);
/* Gives ev to the caller: to event_occurs if its type is in the
 * registered mask, else to the queue for libxl_event_check/wait. */
void libxl__event_occurred(libxl__gc *gc, libxl_event *ev);

/* A progress report of an operation (e.g. the console is available):
 * with how->callback, called now (call this without holding the ctx
 * lock: the callback may call libxl; it owns and frees the event);
 * otherwise an event of type with how->for_event is queued.  how may be
 * NULL: nothing is reported. */
void libxl__ao_progress_report(libxl__gc *gc,
                               const libxl_asyncprogress_how *how,
                               libxl_event_type type, uint32_t domid);

/* Makes this ctx's death event generators for domid look at it again
 * now (not at the next @releaseDomain): one that reported a shutdown
 * and finds the domain running again (after a soft reset) reports the
 * next shutdown too. */
void libxl__death_recheck(libxl__gc *gc, uint32_t domid);
/* Called by libxl_ctx_free: deregisters everything, frees queued events
 * and undelivered completions. */
void libxl__event_ctx_free(libxl_ctx *ctx);

#endif /* LIBXL_EVENT_INTERNAL_H */
