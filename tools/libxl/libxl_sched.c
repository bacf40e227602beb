/*
 * libxl_sched.c: a domain's scheduling parameters, read from the
 * scheduler of the cpupool the domain is in.
 */
#include "libxl_internal.h"

/* The scheduler of the domain's cpupool, or ERROR_*. */
static int domain_scheduler(libxl__gc *gc, uint32_t domid)
{
    xc_domaininfo_t info;
    int sched, rc = libxl__domain_getinfo1(gc, domid, &info);

    if (rc == ERROR_DOMAIN_NOTFOUND)
        LOGD(ERROR, domid, "no such domain");
    if (rc)
        return rc;
    if (SYS->cpupool_sched_id(CTX, info.cpupool, &sched) < 0) {
        LOGED(ERROR, domid, "cannot get the scheduler of cpupool %u",
              info.cpupool);
        return ERROR_FAIL;
    }
    return sched;       /* XEN_SCHEDULER_* are libxl_scheduler values */
}

int libxl_domain_sched_params_get(libxl_ctx *ctx, uint32_t domid,
                                  libxl_domain_sched_params *scinfo)
{
    GC_INIT(ctx);
    int rc, sched;

    libxl_domain_sched_params_init(scinfo);
    sched = domain_scheduler(gc, domid);
    if (sched < 0) {
        rc = sched;
        goto out;
    }
    scinfo->sched = sched;
    rc = ERROR_FAIL;
    switch (sched) {
    case LIBXL_SCHEDULER_CREDIT: {
        struct xen_domctl_sched_credit s;

        if (SYS->sched_credit_domain_get(CTX, domid, &s)) {
            LOGED(ERROR, domid, "cannot get the credit parameters");
            goto out;
        }
        scinfo->weight = s.weight;
        scinfo->cap = s.cap;
        break;
    }
    case LIBXL_SCHEDULER_CREDIT2: {
        struct xen_domctl_sched_credit2 s;

        if (SYS->sched_credit2_domain_get(CTX, domid, &s)) {
            LOGED(ERROR, domid, "cannot get the credit2 parameters");
            goto out;
        }
        scinfo->weight = s.weight;
        scinfo->cap = s.cap;
        break;
    }
    case LIBXL_SCHEDULER_RTDS: {
        struct xen_domctl_sched_rtds s;

        if (SYS->sched_rtds_domain_get(CTX, domid, &s)) {
            LOGED(ERROR, domid, "cannot get the RTDS parameters");
            goto out;
        }
        scinfo->period = s.period;
        scinfo->budget = s.budget;
        break;
    }
    case LIBXL_SCHEDULER_ARINC653:
    case LIBXL_SCHEDULER_NULL:
        break;          /* nothing per domain */
    case LIBXL_SCHEDULER_SEDF:
        LOGD(ERROR, domid, "the SEDF scheduler is no longer available");
        rc = ERROR_FEATURE_REMOVED;
        goto out;
    default:
        LOGD(ERROR, domid, "unknown scheduler %d", sched);
        rc = ERROR_INVAL;
        goto out;
    }
    rc = 0;
out:
    GC_FREE;
    return rc;
}
