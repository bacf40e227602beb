/*
 * libxl_dm.h: the device model (QEMU upstream, "qemu-xen") of HVM guests:
 * its command line, start and stop (libxl_dm.c) and the QMP client
 * (libxl_qmp.c).  Owned by the device model area.  Included by
 * libxl_internal.h.
 */
#ifndef LIBXL_DM_H
#define LIBXL_DM_H

#include <sys/types.h>

/*
 * Start and stop.
 */

/* Starts the device model of the HVM domain domid as upstream 4.17 does
 * (detached, log in /var/log/xen/qemu-dm-NAME.log), records its pid,
 * waits (bounded) for it to report "running" and talks QMP to it (the
 * serial ptys go to xenstore).  restore_file: device state saved by
 * libxl__qmp_save_devices_state for QEMU to load (NULL: fresh start).
 * Nothing is left behind on failure.  0 or ERROR_* (logged). */
int libxl__dm_spawn_restore(libxl__gc *gc, uint32_t domid,
                            libxl_domain_config *d_config,
                            const char *restore_file);
/* The same with restore_file NULL (what create calls; also declared in
 * libxl_create.h). */
int libxl__dm_spawn(libxl__gc *gc, uint32_t domid,
                    libxl_domain_config *d_config);

/* Stops the device model of domid if it has one (none is success),
 * leaving no process, QMP socket, pidfile or device-model xenstore
 * node.  Called by libxl__domain_destroy before libxl__devices_destroy.
 * 0 or ERROR_*. */
int libxl__dm_destroy(libxl__gc *gc, uint32_t domid);

#endif /* LIBXL_DM_H */
