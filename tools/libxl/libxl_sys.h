/*
 * libxl_sys.h: the fakeable interface to the hypervisor and xenstore.
 *
 * Every call libxl makes to libxenctrl or libxenstore for creating,
 * inspecting, controlling and destroying domains goes through the table
 * CTX->sys (SYS below), so that unit tests can install fakes and check
 * the logic without Xen.  The default table, libxl__sys_real, calls the
 * real libraries on the ctx's handles (ctx->xch, ctx->xsh).
 *
 * Conventions (the fakes must follow them too):
 *  - each op takes the ctx first; the real ops use its handles;
 *  - ops return what the wrapped library call returns (0 / -1 with
 *    errno, true / false with errno, or a pointer / NULL with errno);
 *  - memory returned by read, directory, get_permissions, read_watch,
 *    check_watch and get_domain_path is one malloc'd block the caller
 *    frees with free(), as libxenstore's;
 *  - xs ops take the transaction (XBT_NULL for none).
 *
 * Domain building through libxenguest (xc_dom_*) and the device model
 * library are not in the table: that code is integration-tested on the
 * test host.
 */
#ifndef LIBXL_SYS_H
#define LIBXL_SYS_H

#include "libxl_internal.h"

#include <stdbool.h>
#include <stdint.h>

#include <xenctrl.h>
#include <xenstore.h>

typedef struct libxl__sys_ops {
    /* --- hypervisor (libxenctrl) --- */
    int (*domain_create)(libxl_ctx *ctx, uint32_t *pdomid,
                         struct xen_domctl_createdomain *config);
    /* Up to max_domains infos of the domains with id >= first_domid,
     * in id order; the count, or -1. */
    int (*domain_getinfolist)(libxl_ctx *ctx, uint32_t first_domid,
                              unsigned int max_domains,
                              xc_domaininfo_t *info);
    int (*domain_pause)(libxl_ctx *ctx, uint32_t domid);
    int (*domain_unpause)(libxl_ctx *ctx, uint32_t domid);
    int (*domain_destroy)(libxl_ctx *ctx, uint32_t domid);
    /* reason: SHUTDOWN_* of xen/sched.h */
    int (*domain_shutdown)(libxl_ctx *ctx, uint32_t domid, int reason);
    int (*domain_soft_reset)(libxl_ctx *ctx, uint32_t domid);
    int (*domain_max_vcpus)(libxl_ctx *ctx, uint32_t domid,
                            unsigned int max);
    int (*domain_setmaxmem)(libxl_ctx *ctx, uint32_t domid,
                            uint64_t max_memkb);
    int (*domain_sethandle)(libxl_ctx *ctx, uint32_t domid,
                            xen_domain_handle_t handle);
    int (*hvm_param_get)(libxl_ctx *ctx, uint32_t domid, uint32_t param,
                         uint64_t *value);
    int (*hvm_param_set)(libxl_ctx *ctx, uint32_t domid, uint32_t param,
                         uint64_t value);
    /* A port of domid that remote_domid may bind, or -1. */
    int (*evtchn_alloc_unbound)(libxl_ctx *ctx, uint32_t domid,
                                uint32_t remote_domid);
    /* The state of port of domid (EVTCHNSTAT_*) into *status, and the
     * domain at its other end when it has one; 0 or -1. */
    int (*evtchn_status)(libxl_ctx *ctx, uint32_t domid, uint32_t port,
                         int *status, uint32_t *remote_domid);
    /* trigger: XEN_DOMCTL_SENDTRIGGER_* (POWER is the ACPI button) */
    int (*domain_send_trigger)(libxl_ctx *ctx, uint32_t domid,
                               uint32_t trigger, uint32_t vcpu);
    /* The domain's memory and state to an ELF core file. */
    int (*domain_dumpcore)(libxl_ctx *ctx, uint32_t domid,
                           const char *corename);
    /* The scheduler of the default pool (XEN_SCHEDULER_*). */
    int (*sched_id)(libxl_ctx *ctx, int *sched_id);

    /* --- xenstore (libxenstore) --- */
    void *(*xs_read)(libxl_ctx *ctx, xs_transaction_t t, const char *path,
                     unsigned int *len);
    bool (*xs_write)(libxl_ctx *ctx, xs_transaction_t t, const char *path,
                     const void *data, unsigned int len);
    bool (*xs_mkdir)(libxl_ctx *ctx, xs_transaction_t t, const char *path);
    bool (*xs_rm)(libxl_ctx *ctx, xs_transaction_t t, const char *path);
    char **(*xs_directory)(libxl_ctx *ctx, xs_transaction_t t,
                           const char *path, unsigned int *num);
    struct xs_permissions *(*xs_get_permissions)(libxl_ctx *ctx,
                                                 xs_transaction_t t,
                                                 const char *path,
                                                 unsigned int *num);
    bool (*xs_set_permissions)(libxl_ctx *ctx, xs_transaction_t t,
                               const char *path,
                               struct xs_permissions *perms,
                               unsigned int num);
    /* XBT_NULL and errno set on failure. */
    xs_transaction_t (*xs_transaction_start)(libxl_ctx *ctx);
    /* false with errno EAGAIN: the transaction must be retried. */
    bool (*xs_transaction_end)(libxl_ctx *ctx, xs_transaction_t t,
                               bool abort);
    bool (*xs_watch)(libxl_ctx *ctx, const char *path, const char *token);
    bool (*xs_unwatch)(libxl_ctx *ctx, const char *path, const char *token);
    /* The fd that becomes readable when a watch event is pending. */
    int (*xs_fileno)(libxl_ctx *ctx);
    /* Non-blocking: a pending event as { path, token } (XS_WATCH_PATH,
     * XS_WATCH_TOKEN), or NULL with errno EAGAIN when none. */
    char **(*xs_check_watch)(libxl_ctx *ctx);
    bool (*xs_introduce_domain)(libxl_ctx *ctx, unsigned int domid,
                                unsigned long mfn, unsigned int eventchn);
    bool (*xs_release_domain)(libxl_ctx *ctx, unsigned int domid);
    bool (*xs_resume_domain)(libxl_ctx *ctx, unsigned int domid);
    bool (*xs_set_target)(libxl_ctx *ctx, unsigned int domid,
                          unsigned int target);
    char *(*xs_get_domain_path)(libxl_ctx *ctx, unsigned int domid);

    /* --- host facts and scheduling parameters (libxl_info.c) --- */
    int (*physinfo)(libxl_ctx *ctx, xc_physinfo_t *info);
    /* Memory sharing counters; -1 with errno ENOSYS when Xen has none. */
    long (*sharing_freed_pages)(libxl_ctx *ctx);
    long (*sharing_used_frames)(libxl_ctx *ctx);
    /* xc_version: cmd is XENVER_*, arg its buffer or NULL; the
     * hypercall's result (for XENVER_build_id the length of the id), -1
     * with errno on failure. */
    int (*version)(libxl_ctx *ctx, int cmd, void *arg);
    /* The highest number of CPUs the host may have, or -1. */
    int (*max_cpus)(libxl_ctx *ctx);
    /* A malloc'd map of the CPUs in no cpupool (max_cpus bits), or
     * NULL with errno. */
    uint8_t *(*cpupool_freeinfo)(libxl_ctx *ctx);
    /* The scheduler (XEN_SCHEDULER_*) of cpupool poolid; -1 with errno
     * (ENOENT when there is no such pool). */
    int (*cpupool_sched_id)(libxl_ctx *ctx, uint32_t poolid,
                            int *sched_id);
    /* xc_numainfo / xc_cputopoinfo: with NULL buffers *num becomes the
     * count; otherwise up to *num entries are filled. */
    int (*numainfo)(libxl_ctx *ctx, unsigned int *num,
                    xc_meminfo_t *meminfo, uint32_t *distance);
    int (*cputopoinfo)(libxl_ctx *ctx, unsigned int *num,
                       xc_cputopo_t *cputopo);
    /* The NUMA node of each of num PCI devices. */
    int (*pcitopoinfo)(libxl_ctx *ctx, unsigned int num,
                       physdev_pci_device_t *devs, uint32_t *nodes);
    int (*sched_credit_domain_get)(libxl_ctx *ctx, uint32_t domid,
                                   struct xen_domctl_sched_credit *sdom);
    int (*sched_credit2_domain_get)(libxl_ctx *ctx, uint32_t domid,
                                    struct xen_domctl_sched_credit2 *sdom);
    int (*sched_rtds_domain_get)(libxl_ctx *ctx, uint32_t domid,
                                 struct xen_domctl_sched_rtds *sdom);
    /* The setters: 0, or -1 with errno (libxl_sched.c). */
    int (*sched_credit_domain_set)(libxl_ctx *ctx, uint32_t domid,
                                   struct xen_domctl_sched_credit *sdom);
    int (*sched_credit2_domain_set)(libxl_ctx *ctx, uint32_t domid,
                                    struct xen_domctl_sched_credit2 *sdom);
    int (*sched_rtds_domain_set)(libxl_ctx *ctx, uint32_t domid,
                                 struct xen_domctl_sched_rtds *sdom);
} libxl__sys_ops;

/* The real libraries. */
extern const libxl__sys_ops libxl__sys_real;

#define SYS (CTX->sys)

/*
 * A context for unit tests: no hypervisor or xenstore connection, every
 * call goes to ops (which must outlive the ctx).  Freed with
 * libxl_ctx_free.  0 or ERROR_*.
 */
int libxl__ctx_alloc_fake(libxl_ctx **pctx, xentoollog_logger *lg,
                          const libxl__sys_ops *ops);

/*
 * Helpers over the table.
 */
/* The info of domid: 0, ERROR_DOMAIN_NOTFOUND (nothing logged) or
 * ERROR_FAIL (logged). */
int libxl__domain_getinfo1(libxl__gc *gc, uint32_t domid,
                           xc_domaininfo_t *info);
/* The libxl_shutdown_reason (LIBXL_SHUTDOWN_REASON_*) of a domain that
 * has shut down, from its info flags; UNKNOWN for a value Xen may add. */
int libxl__shutdown_reason_of(const xc_domaininfo_t *info);

/*
 * libxl_info.c: what libxl keeps per ctx (the hypervisor's version
 * information, fetched once) is released by this, called when the ctx
 * is freed.
 */
void libxl__info_ctx_free(libxl_ctx *ctx);
/* Where the host's PCI devices are listed (for the PCI topology);
 * "/sys/bus/pci/devices", a test may point it elsewhere. */

#endif /* LIBXL_SYS_H */
