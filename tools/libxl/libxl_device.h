/*
 * libxl_device.h: devices (libxl_device.c, libxl_disk.c, libxl_nic.c;
 * owned by the devices area).  Included by libxl_internal.h.
 */
#ifndef LIBXL_DEVICE_H
#define LIBXL_DEVICE_H

/* Tears down every device of domid through its backend (and hotplug
 * scripts), removing the frontend and backend xenstore nodes; bounded
 * waits.  Called by libxl__domain_destroy before the domain itself is
 * destroyed (the domain may already be gone), and by soft reset on a
 * paused domain that still exists.  0 or ERROR_*. */
int libxl__devices_destroy(libxl__gc *gc, uint32_t domid);

/* Adds every disk and NIC of d_config to domid, a new domain or one
 * being rebuilt after a soft reset: defaults are applied in place
 * (devids, MACs ...), so the caller can store what was decided.
 * Returns when each backend is ready for its frontend and its hotplug
 * script has run.  On failure the devices added so far are removed.
 * 0 or ERROR_*. */
int libxl__devices_add(libxl__gc *gc, uint32_t domid,
                       libxl_domain_config *d_config);

#endif /* LIBXL_DEVICE_H */
