/*
 * libxl_domain.h: the runtime of a domain after create: info, pause,
 * rename, shutdown, destroy (libxl_domain.c), userdata
 * (libxl_userdata.c) and per-domain locks (libxl_lock.c).
 * Included by libxl_internal.h.
 */
#ifndef LIBXL_DOMAIN_H
#define LIBXL_DOMAIN_H

/* Fills info (init'd by the caller) from a hypervisor info record. */
void libxl__dominfo_from_xc(libxl__gc *gc, libxl_dominfo *info,
                            const xc_domaininfo_t *xcinfo);

int libxl__domain_pause(libxl__gc *gc, uint32_t domid);
int libxl__domain_unpause(libxl__gc *gc, uint32_t domid);

/* The name of domid (from /local/domain/N/name), NULL if none. */
char *libxl__domid_to_name(libxl__gc *gc, uint32_t domid);

/* Renames domid from old_name (NULL: whatever it is) to new_name within
 * transaction t (XBT_NULL: its own): ERROR_INVAL if new_name is empty or
 * another domain has it, ERROR_DOMAIN_NOTFOUND... */
int libxl__domain_rename(libxl__gc *gc, uint32_t domid,
                         const char *old_name, const char *new_name,
                         xs_transaction_t t);

/* Destroys domid completely: devices (libxl__devices_destroy), device
 * model (libxl__dm_destroy), the domain in the hypervisor, its
 * xenstore nodes (/local/domain/N, /vm/UUID, /libxl/N) and its
 * userdata files.  A domain that is already gone from the hypervisor
 * still has its leftovers removed.  Each step runs even if an earlier
 * one failed; the first error is returned.  The caller need not hold
 * the domain lock (this takes it). */
int libxl__domain_destroy(libxl__gc *gc, uint32_t domid);

/*
 * Userdata: files /var/lib/xen/userdata-d.<domid>.<uuid>.<key> (the
 * directory: libxl__userdata_dir, a test may point it elsewhere).
 */
extern const char *libxl__userdata_dir;
/* The path of key's file for domid, NULL (logged) if the domain's
 * uuid cannot be found.  wh: a suffix ("" normally). */
char *libxl__userdata_path(libxl__gc *gc, uint32_t domid, const char *key,
                           const char *wh);
/* Removes every userdata file of domid (any uuid): 0 or ERROR_FAIL. */
int libxl__userdata_destroyall(libxl__gc *gc, uint32_t domid);
/* The domain's configuration as JSON under key "libxl-json". */
int libxl__domain_config_store(libxl__gc *gc, uint32_t domid,
                               libxl_domain_config *d_config);
int libxl__domain_config_retrieve(libxl__gc *gc, uint32_t domid,
                                  libxl_domain_config *d_config);

/*
 * Per-domain lock (libxl_lock.c): a flock on
 * <libxl__lock_dir>/domain-<domid>.lock, so two toolstack processes
 * never act on one domain at once.  Recursive within a ctx (a nested
 * acquire of a held lock just counts).  acquire waits up to
 * libxl__lock_timeout_ms, then fails with ERROR_LOCK_FAIL naming the
 * domain.  Every public operation on an existing domain holds it for
 * its whole duration; create takes it as soon as the domid is known.
 */
extern const char *libxl__lock_dir;
extern int libxl__lock_timeout_ms;
typedef struct libxl__domain_lock libxl__domain_lock;
int libxl__domain_lock_acquire(libxl__gc *gc, uint32_t domid,
                               libxl__domain_lock **lock_r);
/* NULL is fine. */
void libxl__domain_lock_release(libxl__gc *gc, libxl__domain_lock *lock);
/* Removes the lock file of a destroyed domain (call with it held). */
void libxl__domain_lock_remove(libxl__gc *gc, uint32_t domid);

#endif /* LIBXL_DOMAIN_H */
