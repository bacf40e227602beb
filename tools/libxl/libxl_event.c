/*
 * libxl_event.c: events reported to the caller.
 */
#include "libxl_internal.h"

void libxl_event_free(libxl_ctx *ctx, libxl_event *event)
{
    if (!event)
        return;
    libxl_event_dispose(event);
    free(event);
}
