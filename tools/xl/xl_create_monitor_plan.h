/*
 * xl: what the create monitor does when its domain shuts down.
 *
 * Pure decisions, no libxl calls, so that a unit test can go through
 * every reason and action (tools/tests/unit/test-xl-monitor.c):
 *
 *  - xl_monitor_plan(): shutdown reason + configured actions -> the
 *    action that applies and the ordered steps that carry it out;
 *  - xl_monitor_on_failure(): a step failed -> go on or stop, and with
 *    which exit status;
 *  - xl_monitor_preserve_suffix(): the name suffix rename-restart gives
 *    the old domain.
 *
 * xl_create_monitor.c runs the steps.
 */
#ifndef XL_CREATE_MONITOR_PLAN_H
#define XL_CREATE_MONITOR_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <libxl.h>

enum xl_monitor_step {
    XL_STEP_END = 0,      /* end of the list */
    XL_STEP_WAIT,         /* nothing to do: keep waiting for events */
    XL_STEP_COREDUMP,     /* dump the domain's memory to a file */
    XL_STEP_RELOAD,       /* take the stored config for the next domain */
    XL_STEP_PRESERVE,     /* rename the old domain out of the way */
    XL_STEP_DESTROY,      /* destroy the domain */
    XL_STEP_RESTART,      /* create a new domain from the config */
    XL_STEP_SOFT_RESET,   /* soft reset the domain, unpause it, go on
                           * monitoring it */
    XL_STEP_EXIT,         /* the monitor is done */
};

#define XL_MONITOR_MAX_STEPS 6

struct xl_monitor_plan {
    /* The action taken (what on_<reason> says, or destroy for an
     * unknown reason); meaningless when unknown_reason is false and
     * the first step is XL_STEP_WAIT (suspend). */
    libxl_action_on_shutdown action;
    bool unknown_reason;
    enum xl_monitor_step steps[XL_MONITOR_MAX_STEPS + 1];
};

/*
 * Fills plan for a shutdown with this reason (a libxl_shutdown_reason,
 * or any other number Xen reported) of a domain configured as d_config.
 */
void xl_monitor_plan(const libxl_domain_config *d_config, int reason,
                     struct xl_monitor_plan *plan);

/* Fills plan with the steps that carry out action, as xl_monitor_plan
 * does for the action of a reason (an unknown action: destroy). */
void xl_monitor_plan_action(libxl_action_on_shutdown action,
                            struct xl_monitor_plan *plan);

/*
 * The soft reset storm guard (xl.cfg: soft_reset_limit,
 * soft_reset_window, on_soft_reset_limit): at most limit soft resets
 * within any window_s seconds; a request past that gets action instead.
 * limit 0: no guard, upstream's behaviour and the default.
 */
#define XL_SOFT_RESET_LIMIT_MAX 1000
struct xl_soft_reset_guard {
    unsigned int limit;
    unsigned int window_s;
    libxl_action_on_shutdown action;
    /* The times (monotonic s) of the last resets let through, a ring. */
    double times[XL_SOFT_RESET_LIMIT_MAX];
    unsigned int count, next;
};
/* Whether a soft reset asked for at now (monotonic s, not decreasing)
 * may go ahead; one that may is recorded. */
bool xl_soft_reset_guard_allow(struct xl_soft_reset_guard *g, double now);
/* Forgets the resets recorded (a new domain starts with none). */
void xl_soft_reset_guard_clear(struct xl_soft_reset_guard *g);

/* What to do when a step failed. */
enum xl_monitor_failure {
    XL_FAIL_CONTINUE,     /* log it and go on with the next step */
    XL_FAIL_STOP,         /* log it, stop the monitor with a failure */
    XL_FAIL_KEEP,         /* log it, keep the domain as it is and wait
                           * for its destruction */
};
enum xl_monitor_failure xl_monitor_on_failure(enum xl_monitor_step step);

/* "destroy", "rename-restart"...: xl.cfg's names; "unknown" otherwise. */
const char *xl_monitor_action_name(libxl_action_on_shutdown action);
/* "coredump", "destroy"...: for log messages. */
const char *xl_monitor_step_name(enum xl_monitor_step step);

/*
 * The suffix rename-restart appends to the old domain's name:
 * "-YYYYMMDDTHHMMZ" in UTC, as upstream xl. Returns 0, or -1 if the time
 * cannot be converted (buf is then empty). len must be at least 17.
 */
int xl_monitor_preserve_suffix(time_t now, char *buf, size_t len);

#endif /* XL_CREATE_MONITOR_PLAN_H */
