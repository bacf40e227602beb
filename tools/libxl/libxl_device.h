/*
 * libxl_device.h: devices (libxl_device.c, libxl_disk.c, libxl_nic.c;
 * owned by the devices area).  Included by libxl_internal.h.
 *
 * Declared here by the runtime area because destroy calls it; until the
 * devices area provides it, libxl_hooks_stub.c has a weak stand-in.
 */
#ifndef LIBXL_DEVICE_H
#define LIBXL_DEVICE_H

/* Tears down every device of domid through its backend (and hotplug
 * scripts), removing the frontend and backend xenstore nodes; bounded
 * waits.  Called by libxl__domain_destroy before the domain itself is
 * destroyed (the domain may already be gone).  0 or ERROR_*. */
int libxl__devices_destroy(libxl__gc *gc, uint32_t domid);

#endif /* LIBXL_DEVICE_H */
