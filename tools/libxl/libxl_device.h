/*
 * libxl_device.h: devices (libxl_device.c, libxl_disk.c, libxl_nic.c,
 * libxl_vkb.c; owned by the devices area).  Included by
 * libxl_internal.h.
 *
 * A paravirtual device is a frontend directory in the guest's part of
 * xenstore (/local/domain/<domid>/device/<kind>/<devid>), a backend
 * directory in the backend domain's (/local/domain/<bdomid>/backend/
 * <backend kind>/<domid>/<devid>), and libxl's own copy of the backend
 * entries (/libxl/<domid>/device/<kind>/<devid>), which teardown reads
 * instead of trusting the backend.  The XenbusState values are those of
 * xen/io/xenbus.h.
 */
#ifndef LIBXL_DEVICE_H
#define LIBXL_DEVICE_H

#include "libxl_internal.h"

#include <xen/io/xenbus.h>

/* Tears down every device of domid through its backend (and hotplug
 * scripts), removing the frontend and backend xenstore nodes; bounded
 * waits.  Called by libxl__domain_destroy before the domain itself is
 * destroyed (the domain may already be gone), and by soft reset on a
 * paused domain that still exists.  0 or ERROR_*. */
int libxl__devices_destroy(libxl__gc *gc, uint32_t domid);
/* The same but for the consoles: what libxl__devices_add adds (the undo
 * of create's devices step; the console has its own). */
int libxl__devices_destroy_added(libxl__gc *gc, uint32_t domid);

/* Adds every disk, NIC and vkb (an HVM guest's default one too) of
 * d_config to domid, a new domain or one being rebuilt after a soft
 * reset: defaults are applied in place
 * (devids, MACs ...), so the caller can store what was decided.
 * Returns when each backend is ready for its frontend and its hotplug
 * script has run.  On failure the devices added so far are removed.
 * 0 or ERROR_*. */
int libxl__devices_add(libxl__gc *gc, uint32_t domid,
                       libxl_domain_config *d_config);

/*
 * The generic machinery (libxl_device.c).
 */
typedef struct {
    uint32_t backend_domid;
    uint32_t domid;
    int devid;
    const char *kind;           /* frontend kind: "vbd", "vif" */
    const char *backend_kind;   /* "vbd", "qdisk", "vif" */
} libxl__device;

char *libxl__device_frontend_path(libxl__gc *gc, const libxl__device *dev);
char *libxl__device_backend_path(libxl__gc *gc, const libxl__device *dev);
char *libxl__device_libxl_path(libxl__gc *gc, const libxl__device *dev);

/* Bounds of the waits, in ms (upstream's 10 s, 10 s and 40 s; tests
 * shorten them). */
/* Where relative hotplug script names are found (/etc/xen/scripts). */

/* script made absolute in the script directory (gc). */
char *libxl__device_script_path(libxl__gc *gc, const char *script);

/* Writes the frontend (owned by the guest, readable by the backend
 * domain), the backend (owned by the backend domain, readable by the
 * guest) and libxl's copy, replacing any old ones, in one transaction.
 * bents, fents and ro_fents (frontend entries only the toolstack may
 * change): key, value, ..., NULL (a NULL value skips the key; each
 * may be NULL); "frontend" / "backend" are added.  0 or ERROR_*. */
int libxl__device_generic_add(libxl__gc *gc, const libxl__device *dev,
                              char **bents, char **fents, char **ro_fents);

/* Whether the backend is run by QEMU (no state to wait for, no
 * hotplug script). */
bool libxl__device_qemu_backend(const libxl__device *dev);

/* Connects a device whose nodes are written: waits (bounded) for the
 * backend to reach InitWait, runs its hotplug script with "add" and
 * checks it reported hotplug-status "connected".  0 or ERROR_* (logged,
 * with the script's exit status, output and hotplug-error node). */
int libxl__device_connect(libxl__gc *gc, const libxl__device *dev);

/* Removes a device: online 0 and state Closing, a bounded wait for
 * Closed (force: carry on after a timeout, for destroy; a QEMU backend
 * of a paused, shut down or gone guest is not waited for at all when
 * forced: destroy has stopped QEMU),
 * the hotplug script with "remove", then the frontend, backend and
 * libxl nodes and their parents left empty (up to the domain's home,
 * the backend domain's home, /libxl/<domid>).  An absent device is
 * success.  0 or ERROR_* (the nodes are removed even then, if force). */
int libxl__device_remove(libxl__gc *gc, const libxl__device *dev,
                         bool force);

/* The lowest devid of kind not used by domid (frontends and libxl's
 * records), >= 0, or ERROR_*. */
int libxl__device_nextid(libxl__gc *gc, uint32_t domid, const char *kind);

/* The devids of the devices of kind that libxl records for domid
 * (gc array, *num set; NULL and 0 if none). */
int *libxl__device_list_devids(libxl__gc *gc, uint32_t domid,
                               const char *kind, int *num);

/*
 * Disks (libxl_disk.c).
 */
/* The devid of a virtual device name (xvda, xvdb3, hda, sdc1, d0p1, a
 * number) as docs/misc/vbd-interface.txt, or -1 if it is not one.
 * *pdisk, *ppartition (may be NULL) get the disk and partition
 * numbers (a plain number does not give them: -1 then if asked). */
int libxl__device_disk_dev_number(const char *vdev, int *pdisk,
                                  int *ppartition);
/* "xvda"-style name of a devid (gc), NULL if not a valid one. */
char *libxl__devid_to_vdev(libxl__gc *gc, int devid);
/* Defaults and backend choice for a disk of domid: 0 or ERROR_INVAL
 * naming the problem. */
int libxl__device_disk_setdefault(libxl__gc *gc, uint32_t domid,
                                  libxl_device_disk *disk);
/* "phy", "qdisk" ... ; "raw", "qcow2" ... */
const char *libxl__device_disk_string_of_backend(libxl_disk_backend b);
const char *libxl__device_disk_string_of_format(libxl_disk_format f);
/* Setdefault, nodes, connection (undone on failure); type as for
 * NICs below. */
int libxl__device_disk_add(libxl__gc *gc, uint32_t domid,
                           libxl_device_disk *disk, libxl_domain_type type);
/* Every disk of d_config.  0 or ERROR_*. */
int libxl__devices_disk_add(libxl__gc *gc, uint32_t domid,
                            libxl_domain_config *d_config);

/*
 * NICs (libxl_nic.c).
 */
/* Defaults for a NIC of domid of type (LIBXL_DOMAIN_TYPE_*; INVALID:
 * read from the hypervisor): devid, MAC 00:16:3e:xx:xx:xx, bridge
 * xenbr0, script vif-bridge, model rtl8139, mtu 1500, nictype. */
int libxl__device_nic_setdefault(libxl__gc *gc, uint32_t domid,
                                 libxl_device_nic *nic,
                                 libxl_domain_type type, bool hotplug);
/* The backend interface name: vifname, or vif<domid>.<devid> (with
 * "-emu" for the emulated tap of an ioemu NIC). */
const char *libxl__device_nic_devname(libxl__gc *gc, uint32_t domid,
                                      int devid, const char *vifname,
                                      libxl_nic_type type);
int libxl__device_nic_add(libxl__gc *gc, uint32_t domid,
                          libxl_device_nic *nic, libxl_domain_type type,
                          bool hotplug);
/* Every NIC of d_config.  0 or ERROR_*. */
int libxl__devices_nic_add(libxl__gc *gc, uint32_t domid,
                           libxl_domain_config *d_config);

/*
 * Virtual keyboards (libxl_vkb.c).
 */
/* Setdefault (QEMU backend, devid), nodes, connection (nothing to wait
 * for with QEMU's backend); undone on failure.  0 or ERROR_*. */
int libxl__device_vkb_add(libxl__gc *gc, uint32_t domid,
                          libxl_device_vkb *vkb);
/* An HVM guest's default vkb (b_info.u.hvm.vkb_device) and those of
 * d_config->vkbs.  0 or ERROR_*. */
int libxl__devices_vkb_add(libxl__gc *gc, uint32_t domid,
                           libxl_domain_config *d_config);

/*
 * The kinds of device a domain's configuration carries, in the order
 * create adds them: create adds each kind's (add_all), and the teardown
 * of destroy and soft reset, which finds a domain's devices by libxl's
 * records and the guest's frontends, also looks in each kind's backend
 * directories for the devices that have no record.  A new kind is one
 * entry here and its add_all.
 */
typedef struct libxl__device_kind {
    const char *name;                /* as in the configuration */
    const char *frontend;            /* the frontend's kind in xenstore */
    const char *const *backends;     /* its backends' kinds, NULL ended */
    /* every device of this kind in d_config; 0 or ERROR_* (what it
     * added of this kind is left for libxl__devices_destroy_added) */
    int (*add_all)(libxl__gc *gc, uint32_t domid,
                   libxl_domain_config *d_config);
} libxl__device_kind;
/* NULL-name ended. */
extern const libxl__device_kind libxl__device_kinds[];

#endif /* LIBXL_DEVICE_H */
