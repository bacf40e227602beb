/*
 * libxl_event.h: events libxl reports to its caller.
 *
 * This base holds the event type and its release; the machinery that
 * produces events (libxl_event_check/wait, evenable/evdisable, osevent
 * hooks) comes with libxl_event.c's event loop.
 */
#ifndef LIBXL_EVENT_H
#define LIBXL_EVENT_H

#include "libxl.h"

/* Frees an event returned by libxl, and everything it owns. ctx may be
 * NULL; event may be NULL. */
void libxl_event_free(libxl_ctx *ctx, libxl_event *event);

#endif /* LIBXL_EVENT_H */
