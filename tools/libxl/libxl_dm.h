/*
 * libxl_dm.h: the device model (libxl_dm.c, libxl_qmp.c; owned by the
 * device model area).  Included by libxl_internal.h.
 *
 * Declared here by the runtime area because destroy calls it; until the
 * device model area provides it, libxl_hooks_stub.c has a weak
 * stand-in.
 */
#ifndef LIBXL_DM_H
#define LIBXL_DM_H

/* Stops the device model of domid if it has one (none is success),
 * leaving no process, pidfile or device-model xenstore node.  Called by
 * libxl__domain_destroy after libxl__devices_destroy.  0 or ERROR_*. */
int libxl__dm_destroy(libxl__gc *gc, uint32_t domid);

#endif /* LIBXL_DM_H */
