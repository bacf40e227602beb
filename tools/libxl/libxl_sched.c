/*
 * libxl_sched.c: a domain's scheduling parameters, read from and set in
 * the scheduler of the cpupool the domain is in.
 */
#include "libxl_internal.h"
#include "libxl_sys.h"

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

/* weight and cap as credit and credit2 take them: the current values
 * with those scinfo sets (not *_DEFAULT), checked. */
static int weight_cap(libxl__gc *gc, uint32_t domid,
                      const libxl_domain_sched_params *scinfo,
                      unsigned int max_vcpu_id, uint16_t *weight,
                      uint16_t *cap)
{
    int max_cap = (int)(max_vcpu_id + 1) * 100;

    if (scinfo->weight != LIBXL_DOMAIN_SCHED_PARAM_WEIGHT_DEFAULT) {
        if (scinfo->weight < 1 || scinfo->weight > 65535) {
            LOGD(ERROR, domid, "scheduler weight %d is out of range "
                 "(1 to 65535)", scinfo->weight);
            return ERROR_INVAL;
        }
        *weight = scinfo->weight;
    }
    if (scinfo->cap != LIBXL_DOMAIN_SCHED_PARAM_CAP_DEFAULT) {
        if (scinfo->cap < 0 || scinfo->cap > max_cap) {
            LOGD(ERROR, domid, "scheduler cap %d is out of range (0 to %d "
                 "for %u vCPUs)", scinfo->cap, max_cap, max_vcpu_id + 1);
            return ERROR_INVAL;
        }
        *cap = scinfo->cap;
    }
    return 0;
}

static int credit_set(libxl__gc *gc, uint32_t domid,
                      const libxl_domain_sched_params *scinfo,
                      unsigned int max_vcpu_id)
{
    struct xen_domctl_sched_credit s;
    int rc;

    if (SYS->sched_credit_domain_get(CTX, domid, &s)) {
        LOGED(ERROR, domid, "cannot get the credit parameters");
        return ERROR_FAIL;
    }
    rc = weight_cap(gc, domid, scinfo, max_vcpu_id, &s.weight, &s.cap);
    if (rc)
        return rc;
    if (SYS->sched_credit_domain_set(CTX, domid, &s)) {
        LOGED(ERROR, domid, "cannot set the credit parameters");
        return ERROR_FAIL;
    }
    return 0;
}

static int credit2_set(libxl__gc *gc, uint32_t domid,
                       const libxl_domain_sched_params *scinfo,
                       unsigned int max_vcpu_id)
{
    struct xen_domctl_sched_credit2 s;
    int rc;

    if (SYS->sched_credit2_domain_get(CTX, domid, &s)) {
        LOGED(ERROR, domid, "cannot get the credit2 parameters");
        return ERROR_FAIL;
    }
    rc = weight_cap(gc, domid, scinfo, max_vcpu_id, &s.weight, &s.cap);
    if (rc)
        return rc;
    if (SYS->sched_credit2_domain_set(CTX, domid, &s)) {
        LOGED(ERROR, domid, "cannot set the credit2 parameters");
        return ERROR_FAIL;
    }
    return 0;
}

/* RTDS: period and budget in microseconds, 0 < budget <= period; the
 * vCPUs may run past their budget unless extratime is 0 (as upstream,
 * where the default, -1, means yes). */
static int rtds_set(libxl__gc *gc, uint32_t domid,
                    const libxl_domain_sched_params *scinfo)
{
    struct xen_domctl_sched_rtds s;

    if (SYS->sched_rtds_domain_get(CTX, domid, &s)) {
        LOGED(ERROR, domid, "cannot get the RTDS parameters");
        return ERROR_FAIL;
    }
    if (scinfo->period != LIBXL_DOMAIN_SCHED_PARAM_PERIOD_DEFAULT)
        s.period = scinfo->period;
    if (scinfo->budget != LIBXL_DOMAIN_SCHED_PARAM_BUDGET_DEFAULT)
        s.budget = scinfo->budget;
    if (scinfo->period < -1 || scinfo->budget < -1 || s.period < 1 ||
        s.budget < 1 || s.budget > s.period) {
        LOGD(ERROR, domid, "RTDS period %d and budget %d: both must be "
             "positive, the budget at most the period",
             (int)s.period, (int)s.budget);
        return ERROR_INVAL;
    }
    if (scinfo->extratime)
        s.flags |= XEN_DOMCTL_SCHEDRT_extra;
    else
        s.flags &= ~XEN_DOMCTL_SCHEDRT_extra;
    if (SYS->sched_rtds_domain_set(CTX, domid, &s)) {
        LOGED(ERROR, domid, "cannot set the RTDS parameters");
        return ERROR_FAIL;
    }
    return 0;
}

int libxl_domain_sched_params_set(libxl_ctx *ctx, uint32_t domid,
                                  const libxl_domain_sched_params *scinfo)
{
    GC_INIT(ctx);
    xc_domaininfo_t info;
    int rc, sched;

    sched = domain_scheduler(gc, domid);
    if (sched < 0) {
        rc = sched;
        goto out;
    }
    if (scinfo->sched != LIBXL_SCHEDULER_UNKNOWN &&
        scinfo->sched != (libxl_scheduler)sched) {
        LOGD(ERROR, domid, "parameters for the %s scheduler, but the "
             "domain's cpupool runs %s",
             libxl_scheduler_to_string(scinfo->sched),
             libxl_scheduler_to_string(sched));
        rc = ERROR_INVAL;
        goto out;
    }
    rc = libxl__domain_getinfo1(gc, domid, &info);
    if (rc)
        goto out;
    switch (sched) {
    case LIBXL_SCHEDULER_CREDIT:
        rc = credit_set(gc, domid, scinfo, info.max_vcpu_id);
        break;
    case LIBXL_SCHEDULER_CREDIT2:
        rc = credit2_set(gc, domid, scinfo, info.max_vcpu_id);
        break;
    case LIBXL_SCHEDULER_RTDS:
        rc = rtds_set(gc, domid, scinfo);
        break;
    case LIBXL_SCHEDULER_ARINC653:
    case LIBXL_SCHEDULER_NULL:
        rc = 0;         /* nothing per domain */
        break;
    case LIBXL_SCHEDULER_SEDF:
        LOGD(ERROR, domid, "the SEDF scheduler is no longer available");
        rc = ERROR_FEATURE_REMOVED;
        break;
    default:
        LOGD(ERROR, domid, "unknown scheduler %d", sched);
        rc = ERROR_INVAL;
        break;
    }
out:
    GC_FREE;
    return rc;
}
