/*
 * libxl_domain.h: the runtime of a domain after create: info, pause,
 * rename, shutdown, destroy (libxl_domain.c), userdata
 * (libxl_userdata.c) and per-domain locks (libxl_lock.c).
 * Included by libxl_internal.h.
 */
#ifndef LIBXL_DOMAIN_H
#define LIBXL_DOMAIN_H

#include "libxl_internal.h"

/* PV, PVH or HVM from a hypervisor info record (what Xen emulates). */
libxl_domain_type libxl__domain_type_of(const xc_domaininfo_t *info);
/* The type of domid: /libxl/N/type as the creating toolstack wrote it,
 * else libxl__domain_type_of; LIBXL_DOMAIN_TYPE_INVALID (logged) if
 * there is no such domain.  (libxl_dominfo.domain_type says HVM for
 * PVH, as upstream's does.) */
libxl_domain_type libxl__domain_type(libxl__gc *gc, uint32_t domid);

/* Fills info (init'd by the caller) from a hypervisor info record. */
void libxl__dominfo_from_xc(libxl__gc *gc, libxl_dominfo *info,
                            const xc_domaininfo_t *xcinfo);

int libxl__domain_pause(libxl__gc *gc, uint32_t domid);
int libxl__domain_unpause(libxl__gc *gc, uint32_t domid);

/* The name of domid (from /local/domain/N/name), NULL if none. */
char *libxl__domid_to_name(libxl__gc *gc, uint32_t domid);

/* Renames domid from old_name (NULL: whatever it is now) to new_name,
 * within transaction t (XBT_NULL: in one of its own): <dompath>/name,
 * /vm/UUID/name and the stored configuration's c_info.name.
 * ERROR_INVAL (logged) if old_name is given and is not the name, or
 * another domain has the (non-empty) new name; an empty name is
 * allowed and not unique, as upstream. */
int libxl__domain_rename(libxl__gc *gc, uint32_t domid,
                         const char *old_name, const char *new_name,
                         xs_transaction_t t);

/* 1 if the guest can take a shutdown/reboot request through xenstore
 * (PV and PVH always; HVM once its PV drivers set the callback), 0 if
 * not, or ERROR_*. */
int libxl__domain_pvcontrol_available(libxl__gc *gc, uint32_t domid);
/* Writes cmd ("poweroff", "reboot", "suspend"...) to
 * <dompath>/control/shutdown and waits (60 s at most) for the guest to
 * empty it.  ERROR_NOPARAVIRT (not logged) if the guest has no PV
 * control: the caller may fall back to an ACPI trigger (xl -F). */
int libxl__domain_pvcontrol(libxl__gc *gc, uint32_t domid, const char *cmd);
int libxl__send_trigger(libxl__gc *gc, uint32_t domid,
                        libxl_trigger trigger, uint32_t vcpuid);

/* Hook of the device model area (libxl_dm.c): lets the emulator of an
 * HVM domain run again before the domain is unpaused (QMP "cont" if it
 * was stopped); 0 when there is no emulator. */
int libxl__dm_resume(libxl__gc *gc, uint32_t domid);

/* Destroys domid completely: device model (libxl__dm_destroy), then
 * devices (libxl__devices_destroy), the domain in the hypervisor, its
 * xenstore nodes (/local/domain/N, /vm/UUID, /libxl/N) and its
 * userdata files.  A domain that is already gone from the hypervisor
 * still has its leftovers removed.  Each step runs even if an earlier
 * one failed; the first error is returned.  The caller need not hold
 * the domain lock (this takes it). */
int libxl__domain_destroy(libxl__gc *gc, uint32_t domid);

/*
 * Userdata: files /var/lib/xen/userdata-d.<domid>.<uuid>.<key> (the
 * directory: TUN->userdata_dir, a test may point it elsewhere).
 */
/* The path of key's file for domid, NULL (logged) if the domain's
 * uuid cannot be found.  wh: a suffix ("" normally). */
char *libxl__userdata_path(libxl__gc *gc, uint32_t domid, const char *key,
                           const char *wh);
/* Removes every userdata file of domid (any uuid): 0 or ERROR_FAIL. */
int libxl__userdata_destroyall(libxl__gc *gc, uint32_t domid);
/* The domain's configuration as JSON under key "libxl-json"; retrieve
 * gives ERROR_JSON_CONFIG_EMPTY (not logged) when none is stored. */
int libxl__domain_config_store(libxl__gc *gc, uint32_t domid,
                               libxl_domain_config *d_config);
int libxl__domain_config_retrieve(libxl__gc *gc, uint32_t domid,
                                  libxl_domain_config *d_config);

/*
 * Per-domain lock (libxl_lock.c, docs/design/locking.md): upstream's
 * domain userdata lock, a flock on <TUN->userdata_dir>/userdata-l.
 * <domid>.<uuid>.domain-userdata-lock, so two toolstack processes (ours
 * or upstream's) never act on one domain at once.  Recursive within a
 * ctx (a nested acquire of a held lock just counts); the last release
 * unlinks the file.  acquire waits up to TUN->lock_timeout_ms, then
 * fails with ERROR_LOCK_FAIL naming the domain and the file; for a
 * domain that does not exist it gives 0 and a NULL lock (no file made:
 * the operation reports the missing domain).  Every public operation on
 * an existing domain holds it for its whole duration; create takes it
 * as soon as the domid is known.
 */
typedef struct libxl__domain_lock libxl__domain_lock;
int libxl__domain_lock_acquire(libxl__gc *gc, uint32_t domid,
                               libxl__domain_lock **lock_r);
/* NULL is fine. */
void libxl__domain_lock_release(libxl__gc *gc, libxl__domain_lock *lock);
/* Unlinks the held lock file of a destroyed domain at once (the last
 * release would anyway). */
void libxl__domain_lock_remove(libxl__gc *gc, uint32_t domid);
/* libxl_ctx_free: drops any lock still held (a bug of the holder). */
void libxl__domain_locks_free(libxl_ctx *ctx);

/* The same kind of lock on any file: flock(LOCK_EX) on path (made if
 * missing), waiting up to TUN->lock_timeout_ms; 0 and the fd, or
 * ERROR_LOCK_FAIL (logged).  unlock unlinks path if it still names the
 * locked file, then closes fd (upstream's libxl__lock_file/unlock_file
 * protocol, so our and upstream's toolstacks exclude each other). */
int libxl__lock_path(libxl__gc *gc, const char *path, int *fd_r);
void libxl__unlock_path(const char *path, int fd);

/*
 * Recently destroyed domids (libxl_domid_history.c): upstream 4.17's
 * <TUN->run_dir>/domid-history, lines "SECONDS DOMID" (CLOCK_MONOTONIC
 * seconds of the destruction), written under domid-history.lock, so
 * that neither toolstack gives a new domain a domid destroyed less than
 * LIBXL_DOMID_REUSE_TIMEOUT seconds ago (60, or the environment variable
 * of that name).
 */
#define LIBXL__DOMID_REUSE_TIMEOUT 60
/* Records domid as destroyed now, dropping the entries that expired. */
int libxl__domid_history_mark(libxl__gc *gc, uint32_t domid);
/* *recent: whether domid was destroyed within the timeout. */
int libxl__domid_history_is_recent(libxl__gc *gc, uint32_t domid,
                                   bool *recent);

#endif /* LIBXL_DOMAIN_H */
