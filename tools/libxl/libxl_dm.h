/*
 * libxl_dm.h: QEMU (upstream, "qemu-xen") as the device model of HVM
 * guests and as the PV backend server ("xenpv" machine) of PV and PVH
 * guests: its command line (libxl_dm_args.c), start and stop
 * (libxl_dm.c) and the QMP client (libxl_qmp.c).  Owned by the device
 * model area.  Included by libxl_internal.h.
 */
#ifndef LIBXL_DM_H
#define LIBXL_DM_H

#include "libxl_internal.h"

#include <sys/types.h>

/*
 * Which domains get a QEMU: every HVM domain (its device model), and a
 * PV or PVH domain that has a device only QEMU serves (upstream's
 * libxl__need_xenpv_qemu): a disk with backend qdisk served from dom0,
 * a vfb, a 9pfs share, a vkb with backend qemu, a channel.  Disks must
 * have their backend chosen (libxl__device_disk_setdefault), as create
 * has done when its device-model step runs.
 */
bool libxl__need_xenpv_qemu(const libxl_domain_config *d_config);
bool libxl__dm_needed(const libxl_domain_config *d_config);

/*
 * Start and stop.
 */

/* Starts the QEMU of domid if libxl__dm_needed (else 0 at once) as
 * upstream 4.17 does: an HVM domain's device model, or for PV and PVH a
 * QEMU with machine xenpv serving only the PV backends; both
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

/* Stops the device model (SIGTERM then SIGKILL, bounded, only if the
 * recorded pid is still QEMU for domid) and removes its pid node,
 * <device-model path> and QMP sockets, but keeps its saved state file
 * (soft reset restarts a new one from it).  0 or ERROR_*. */
int libxl__dm_stop(libxl__gc *gc, uint32_t domid);

/* libxl__dm_resume (QMP "cont") is declared in libxl_domain.h for
 * unpause. */

/*
 * Command line (exposed for tests and tools/tests/host-dm).
 */
/* argv (dm first, NULL-terminated) and env (NAME, VALUE, ..., NULL)
 * for the qemu-xen device model of the HVM domain domid, or the xenpv
 * QEMU of a PV/PVH domain, as upstream 4.17 builds them; incoming (HVM
 * only): the saved device state comes on stdin
 * ("-incoming fd:0").  From gc.  0 or ERROR_INVAL (logged). */
int libxl__dm_build_args(libxl__gc *gc, uint32_t domid,
                         const libxl_domain_config *d_config,
                         const char *dm, bool incoming,
                         char ***argv_r, char ***env_r);
/* The device model binary: device_model, else TUN->qemu_xen_path. */
const char *libxl__dm_binary(libxl__gc *gc,
                             const libxl_domain_build_info *b_info);

/* Paths (the directories are TUN's: libxl_internal.h).
 * <run dir>/qmp-libxl-N and <run dir>/qmp-libxenstat-N */
const char *libxl__dm_qmp_path(libxl__gc *gc, uint32_t domid);
const char *libxl__dm_xenstat_qmp_path(libxl__gc *gc, uint32_t domid);
/* <save dir>/qemu-save.N: where the device state is saved (upstream's
 * LIBXL_DEVICE_MODEL_SAVE_FILE). */
const char *libxl__dm_save_path(libxl__gc *gc, uint32_t domid);
/* /local/domain/0/device-model/N (QEMU writes "state" there). */
const char *libxl__dm_xs_path(libxl__gc *gc, uint32_t domid);

/*
 * QMP client (libxl_qmp.c): synchronous, every wait bounded.  Errors
 * are logged where detected: ERROR_TIMEDOUT (no answer),
 * ERROR_PROTOCOL_ERROR_QMP (not QMP, connection closed), the
 * ERROR_QMP_* of QEMU's error class, ERROR_QEMU_API (an answer without
 * what it must hold).  Asynchronous events are skipped.
 */
typedef struct libxl__qmp libxl__qmp;

/* Takes fd (closed on failure and by libxl__qmp_close): reads the
 * greeting and negotiates capabilities within timeout_ms. */
int libxl__qmp_open_fd(libxl__gc *gc, uint32_t domid, int fd,
                       int timeout_ms, libxl__qmp **qmp_r);
/* Connects to path (retrying while QEMU is not listening yet). */
int libxl__qmp_connect_path(libxl__gc *gc, uint32_t domid, const char *path,
                            int timeout_ms, libxl__qmp **qmp_r);
/* Connects to the domain's libxl QMP socket. */
int libxl__qmp_connect(libxl__gc *gc, uint32_t domid, libxl__qmp **qmp_r);
/* Runs cmd with args (a JSON map, or NULL); *ret_r (may be NULL): the
 * "return" value (gc). */
int libxl__qmp_command(libxl__qmp *qmp, const char *cmd,
                       const libxl__json_object *args, int timeout_ms,
                       const libxl__json_object **ret_r);
void libxl__qmp_version(const libxl__qmp *qmp, int *major, int *minor,
                        int *micro);
/* NULL is fine. */
void libxl__qmp_close(libxl__qmp *qmp);
/* Connect, one command, close. */
int libxl__qmp_run(libxl__gc *gc, uint32_t domid, const char *cmd,
                   const libxl__json_object *args,
                   const libxl__json_object **ret_r);
/* A command of a session: args NULL or a JSON map; ret_r NULL or where
 * its "return" goes (gc). */
typedef struct {
    const char *cmd;
    const libxl__json_object *args;
    const libxl__json_object **ret_r;
} libxl__qmp_cmd;
#define LIBXL__QMP_MAX_CMDS 8
/* Connect, the n commands (all written at once: QEMU answers them in
 * order; each runs even when one before it failed), close.  The first
 * failure is returned. */
int libxl__qmp_run_cmds(libxl__gc *gc, uint32_t domid,
                        const libxl__qmp_cmd *cmds, int n);

int libxl__qmp_stop(libxl__gc *gc, uint32_t domid);
int libxl__qmp_cont(libxl__gc *gc, uint32_t domid);
/* xen-save-devices-state into filename (QEMU opens it; live false for
 * save and soft reset, as upstream when not migrating live). */
int libxl__qmp_save_devices_state(libxl__gc *gc, uint32_t domid,
                                  const char *filename, bool live);
/* stop, then xen-save-devices-state, in one session. */
int libxl__qmp_stop_save_devices_state(libxl__gc *gc, uint32_t domid,
                                       const char *filename, bool live);
int libxl__qmp_load_devices_state(libxl__gc *gc, uint32_t domid,
                                  const char *filename);
/* query-chardev: *ttys_r[N] is the pty of serial port N (NULL if it
 * is not a pty), *num_r entries. */
int libxl__qmp_query_serial_ttys(libxl__gc *gc, libxl__qmp *qmp,
                                 char ***ttys_r, int *num_r);
/* Removes the domain's QMP socket files (absent is fine). */
void libxl__qmp_cleanup(libxl__gc *gc, uint32_t domid);

#endif /* LIBXL_DM_H */
