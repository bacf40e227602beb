/*
 * libxl_sys.c: the real hypervisor and xenstore calls behind CTX->sys,
 * and the helpers built on them.
 */
#include "libxl_internal.h"
#include "libxl_sys.h"

static int r_domain_create(libxl_ctx *ctx, uint32_t *pdomid,
                           struct xen_domctl_createdomain *config)
{
    return xc_domain_create(ctx->xch, pdomid, config);
}

static int r_domain_getinfolist(libxl_ctx *ctx, uint32_t first_domid,
                                unsigned int max_domains,
                                xc_domaininfo_t *info)
{
    return xc_domain_getinfolist(ctx->xch, first_domid, max_domains, info);
}

static int r_domain_pause(libxl_ctx *ctx, uint32_t domid)
{
    return xc_domain_pause(ctx->xch, domid);
}

static int r_domain_unpause(libxl_ctx *ctx, uint32_t domid)
{
    return xc_domain_unpause(ctx->xch, domid);
}

static int r_domain_destroy(libxl_ctx *ctx, uint32_t domid)
{
    return xc_domain_destroy(ctx->xch, domid);
}

static int r_domain_shutdown(libxl_ctx *ctx, uint32_t domid, int reason)
{
    return xc_domain_shutdown(ctx->xch, domid, reason);
}

static int r_domain_soft_reset(libxl_ctx *ctx, uint32_t domid)
{
    return xc_domain_soft_reset(ctx->xch, domid);
}

static int r_domain_max_vcpus(libxl_ctx *ctx, uint32_t domid,
                              unsigned int max)
{
    return xc_domain_max_vcpus(ctx->xch, domid, max);
}

static int r_domain_setmaxmem(libxl_ctx *ctx, uint32_t domid,
                              uint64_t max_memkb)
{
    return xc_domain_setmaxmem(ctx->xch, domid, max_memkb);
}

static int r_domain_sethandle(libxl_ctx *ctx, uint32_t domid,
                              xen_domain_handle_t handle)
{
    return xc_domain_sethandle(ctx->xch, domid, handle);
}

static int r_hvm_param_get(libxl_ctx *ctx, uint32_t domid, uint32_t param,
                           uint64_t *value)
{
    return xc_hvm_param_get(ctx->xch, domid, param, value);
}

static int r_hvm_param_set(libxl_ctx *ctx, uint32_t domid, uint32_t param,
                           uint64_t value)
{
    return xc_hvm_param_set(ctx->xch, domid, param, value);
}

static int r_evtchn_status(libxl_ctx *ctx, uint32_t domid, uint32_t port,
                           int *status, uint32_t *remote_domid)
{
    xc_evtchn_status_t st = { .dom = (domid_t)domid, .port = port };

    if (xc_evtchn_status(ctx->xch, &st) < 0)
        return -1;
    *status = (int)st.status;
    *remote_domid = st.status == EVTCHNSTAT_interdomain
                    ? st.u.interdomain.dom : st.u.unbound.dom;
    return 0;
}

static int r_evtchn_alloc_unbound(libxl_ctx *ctx, uint32_t domid,
                                  uint32_t remote_domid)
{
    return xc_evtchn_alloc_unbound(ctx->xch, domid, remote_domid);
}

static int r_domain_send_trigger(libxl_ctx *ctx, uint32_t domid,
                                 uint32_t trigger, uint32_t vcpu)
{
    return xc_domain_send_trigger(ctx->xch, domid, trigger, vcpu);
}

static int r_domain_dumpcore(libxl_ctx *ctx, uint32_t domid,
                             const char *corename)
{
    return xc_domain_dumpcore(ctx->xch, domid, corename);
}

static int r_sched_id(libxl_ctx *ctx, int *sched_id)
{
    return xc_sched_id(ctx->xch, sched_id);
}

static void *r_xs_read(libxl_ctx *ctx, xs_transaction_t t, const char *path,
                       unsigned int *len)
{
    ctx->xs_requests++;
    return xs_read(ctx->xsh, t, path, len);
}

static bool r_xs_write(libxl_ctx *ctx, xs_transaction_t t, const char *path,
                       const void *data, unsigned int len)
{
    ctx->xs_requests++;
    return xs_write(ctx->xsh, t, path, data, len);
}

static bool r_xs_mkdir(libxl_ctx *ctx, xs_transaction_t t, const char *path)
{
    ctx->xs_requests++;
    return xs_mkdir(ctx->xsh, t, path);
}

static bool r_xs_rm(libxl_ctx *ctx, xs_transaction_t t, const char *path)
{
    ctx->xs_requests++;
    return xs_rm(ctx->xsh, t, path);
}

static char **r_xs_directory(libxl_ctx *ctx, xs_transaction_t t,
                             const char *path, unsigned int *num)
{
    ctx->xs_requests++;
    return xs_directory(ctx->xsh, t, path, num);
}

static struct xs_permissions *r_xs_get_permissions(libxl_ctx *ctx,
                                                   xs_transaction_t t,
                                                   const char *path,
                                                   unsigned int *num)
{
    ctx->xs_requests++;
    return xs_get_permissions(ctx->xsh, t, path, num);
}

static bool r_xs_set_permissions(libxl_ctx *ctx, xs_transaction_t t,
                                 const char *path,
                                 struct xs_permissions *perms,
                                 unsigned int num)
{
    ctx->xs_requests++;
    return xs_set_permissions(ctx->xsh, t, path, perms, num);
}

static xs_transaction_t r_xs_transaction_start(libxl_ctx *ctx)
{
    ctx->xs_requests++;
    return xs_transaction_start(ctx->xsh);
}

static bool r_xs_transaction_end(libxl_ctx *ctx, xs_transaction_t t,
                                 bool abort)
{
    ctx->xs_requests++;
    return xs_transaction_end(ctx->xsh, t, abort);
}

static bool r_xs_watch(libxl_ctx *ctx, const char *path, const char *token)
{
    ctx->xs_requests++;
    return xs_watch(ctx->xsh, path, token);
}

static bool r_xs_unwatch(libxl_ctx *ctx, const char *path, const char *token)
{
    ctx->xs_requests++;
    return xs_unwatch(ctx->xsh, path, token);
}

static int r_xs_fileno(libxl_ctx *ctx)
{
    return xs_fileno(ctx->xsh);
}

static char **r_xs_check_watch(libxl_ctx *ctx)
{
    return xs_check_watch(ctx->xsh);
}

static bool r_xs_introduce_domain(libxl_ctx *ctx, unsigned int domid,
                                  unsigned long mfn, unsigned int eventchn)
{
    ctx->xs_requests++;
    return xs_introduce_domain(ctx->xsh, domid, mfn, eventchn);
}

static bool r_xs_release_domain(libxl_ctx *ctx, unsigned int domid)
{
    ctx->xs_requests++;
    return xs_release_domain(ctx->xsh, domid);
}

static bool r_xs_resume_domain(libxl_ctx *ctx, unsigned int domid)
{
    ctx->xs_requests++;
    return xs_resume_domain(ctx->xsh, domid);
}

static bool r_xs_set_target(libxl_ctx *ctx, unsigned int domid,
                            unsigned int target)
{
    ctx->xs_requests++;
    return xs_set_target(ctx->xsh, domid, target);
}

static char *r_xs_get_domain_path(libxl_ctx *ctx, unsigned int domid)
{
    ctx->xs_requests++;
    return xs_get_domain_path(ctx->xsh, domid);
}

static int r_physinfo(libxl_ctx *ctx, xc_physinfo_t *info)
{
    return xc_physinfo(ctx->xch, info);
}

static long r_sharing_freed_pages(libxl_ctx *ctx)
{
    return xc_sharing_freed_pages(ctx->xch);
}

static long r_sharing_used_frames(libxl_ctx *ctx)
{
    return xc_sharing_used_frames(ctx->xch);
}

static int r_version(libxl_ctx *ctx, int cmd, void *arg)
{
    return xc_version(ctx->xch, cmd, arg);
}

static int r_max_cpus(libxl_ctx *ctx)
{
    return xc_get_max_cpus(ctx->xch);
}

static uint8_t *r_cpupool_freeinfo(libxl_ctx *ctx)
{
    return xc_cpupool_freeinfo(ctx->xch);
}

static int r_cpupool_sched_id(libxl_ctx *ctx, uint32_t poolid, int *sched_id)
{
    /* xc_cpupool_getinfo gives the first pool with an id >= poolid. */
    xc_cpupoolinfo_t *info = xc_cpupool_getinfo(ctx->xch, poolid);

    if (!info)
        return -1;
    if (info->cpupool_id != poolid) {
        xc_cpupool_infofree(ctx->xch, info);
        errno = ENOENT;
        return -1;
    }
    *sched_id = info->sched_id;
    xc_cpupool_infofree(ctx->xch, info);
    return 0;
}

static int r_numainfo(libxl_ctx *ctx, unsigned int *num,
                      xc_meminfo_t *meminfo, uint32_t *distance)
{
    return xc_numainfo(ctx->xch, num, meminfo, distance);
}

static int r_cputopoinfo(libxl_ctx *ctx, unsigned int *num,
                         xc_cputopo_t *cputopo)
{
    return xc_cputopoinfo(ctx->xch, num, cputopo);
}

static int r_pcitopoinfo(libxl_ctx *ctx, unsigned int num,
                         physdev_pci_device_t *devs, uint32_t *nodes)
{
    return xc_pcitopoinfo(ctx->xch, num, devs, nodes);
}

static int r_sched_credit_domain_get(libxl_ctx *ctx, uint32_t domid,
                                     struct xen_domctl_sched_credit *sdom)
{
    return xc_sched_credit_domain_get(ctx->xch, domid, sdom);
}

static int r_sched_credit2_domain_get(libxl_ctx *ctx, uint32_t domid,
                                      struct xen_domctl_sched_credit2 *sdom)
{
    return xc_sched_credit2_domain_get(ctx->xch, domid, sdom);
}

static int r_sched_rtds_domain_get(libxl_ctx *ctx, uint32_t domid,
                                   struct xen_domctl_sched_rtds *sdom)
{
    return xc_sched_rtds_domain_get(ctx->xch, domid, sdom);
}

static int r_sched_credit_domain_set(libxl_ctx *ctx, uint32_t domid,
                                     struct xen_domctl_sched_credit *sdom)
{
    return xc_sched_credit_domain_set(ctx->xch, domid, sdom);
}

static int r_sched_credit2_domain_set(libxl_ctx *ctx, uint32_t domid,
                                      struct xen_domctl_sched_credit2 *sdom)
{
    return xc_sched_credit2_domain_set(ctx->xch, domid, sdom);
}

static int r_sched_rtds_domain_set(libxl_ctx *ctx, uint32_t domid,
                                   struct xen_domctl_sched_rtds *sdom)
{
    return xc_sched_rtds_domain_set(ctx->xch, domid, sdom);
}

const libxl__sys_ops libxl__sys_real = {
    .domain_create = r_domain_create,
    .domain_getinfolist = r_domain_getinfolist,
    .domain_pause = r_domain_pause,
    .domain_unpause = r_domain_unpause,
    .domain_destroy = r_domain_destroy,
    .domain_shutdown = r_domain_shutdown,
    .domain_soft_reset = r_domain_soft_reset,
    .domain_max_vcpus = r_domain_max_vcpus,
    .domain_setmaxmem = r_domain_setmaxmem,
    .domain_sethandle = r_domain_sethandle,
    .hvm_param_get = r_hvm_param_get,
    .hvm_param_set = r_hvm_param_set,
    .evtchn_alloc_unbound = r_evtchn_alloc_unbound,
    .evtchn_status = r_evtchn_status,
    .domain_send_trigger = r_domain_send_trigger,
    .domain_dumpcore = r_domain_dumpcore,
    .sched_id = r_sched_id,
    .xs_read = r_xs_read,
    .xs_write = r_xs_write,
    .xs_mkdir = r_xs_mkdir,
    .xs_rm = r_xs_rm,
    .xs_directory = r_xs_directory,
    .xs_get_permissions = r_xs_get_permissions,
    .xs_set_permissions = r_xs_set_permissions,
    .xs_transaction_start = r_xs_transaction_start,
    .xs_transaction_end = r_xs_transaction_end,
    .xs_watch = r_xs_watch,
    .xs_unwatch = r_xs_unwatch,
    .xs_fileno = r_xs_fileno,
    .xs_check_watch = r_xs_check_watch,
    .xs_introduce_domain = r_xs_introduce_domain,
    .xs_release_domain = r_xs_release_domain,
    .xs_resume_domain = r_xs_resume_domain,
    .xs_set_target = r_xs_set_target,
    .xs_get_domain_path = r_xs_get_domain_path,
    .physinfo = r_physinfo,
    .sharing_freed_pages = r_sharing_freed_pages,
    .sharing_used_frames = r_sharing_used_frames,
    .version = r_version,
    .max_cpus = r_max_cpus,
    .cpupool_freeinfo = r_cpupool_freeinfo,
    .cpupool_sched_id = r_cpupool_sched_id,
    .numainfo = r_numainfo,
    .cputopoinfo = r_cputopoinfo,
    .pcitopoinfo = r_pcitopoinfo,
    .sched_credit_domain_get = r_sched_credit_domain_get,
    .sched_credit2_domain_get = r_sched_credit2_domain_get,
    .sched_rtds_domain_get = r_sched_rtds_domain_get,
    .sched_credit_domain_set = r_sched_credit_domain_set,
    .sched_credit2_domain_set = r_sched_credit2_domain_set,
    .sched_rtds_domain_set = r_sched_rtds_domain_set,
};

int libxl__domain_getinfo1(libxl__gc *gc, uint32_t domid,
                           xc_domaininfo_t *info)
{
    int n = SYS->domain_getinfolist(CTX, domid, 1, info);

    if (n < 0) {
        LOGED(ERROR, domid, "cannot get domain info");
        return ERROR_FAIL;
    }
    /* The list starts at the first domain >= domid. */
    if (n == 0 || info->domain != domid)
        return ERROR_DOMAIN_NOTFOUND;
    return 0;
}

int libxl__shutdown_reason_of(const xc_domaininfo_t *info)
{
    unsigned int r = (info->flags >> XEN_DOMINF_shutdownshift) &
                     XEN_DOMINF_shutdownmask;

    switch (r) {
    case SHUTDOWN_poweroff: return LIBXL_SHUTDOWN_REASON_POWEROFF;
    case SHUTDOWN_reboot: return LIBXL_SHUTDOWN_REASON_REBOOT;
    case SHUTDOWN_suspend: return LIBXL_SHUTDOWN_REASON_SUSPEND;
    case SHUTDOWN_crash: return LIBXL_SHUTDOWN_REASON_CRASH;
    case SHUTDOWN_watchdog: return LIBXL_SHUTDOWN_REASON_WATCHDOG;
    case SHUTDOWN_soft_reset: return LIBXL_SHUTDOWN_REASON_SOFT_RESET;
    default: return LIBXL_SHUTDOWN_REASON_UNKNOWN;
    }
}
