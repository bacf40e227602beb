/*
 * xl: the create monitor's decisions (see xl_monitor_plan.h).
 */
#include <string.h>
#include <time.h>

#include "xl_create_monitor_plan.h"

static void set_steps(struct xl_monitor_plan *plan,
                      const enum xl_monitor_step *steps)
{
    int i;

    for (i = 0; i < XL_MONITOR_MAX_STEPS && steps[i] != XL_STEP_END; i++)
        plan->steps[i] = steps[i];
    plan->steps[i] = XL_STEP_END;
}

void xl_monitor_plan(const libxl_domain_config *d_config, int reason,
                     struct xl_monitor_plan *plan)
{
    static const enum xl_monitor_step wait[] = {XL_STEP_WAIT, XL_STEP_END};
    libxl_action_on_shutdown action;

    memset(plan, 0, sizeof(*plan));
    switch (reason) {
    case LIBXL_SHUTDOWN_REASON_POWEROFF:
        action = d_config->on_poweroff;
        break;
    case LIBXL_SHUTDOWN_REASON_REBOOT:
        action = d_config->on_reboot;
        break;
    case LIBXL_SHUTDOWN_REASON_CRASH:
        action = d_config->on_crash;
        break;
    case LIBXL_SHUTDOWN_REASON_WATCHDOG:
        action = d_config->on_watchdog;
        break;
    case LIBXL_SHUTDOWN_REASON_SOFT_RESET:
        action = d_config->on_soft_reset;
        break;
    case LIBXL_SHUTDOWN_REASON_SUSPEND:
        /* Someone is saving the domain: not the monitor's business. */
        set_steps(plan, wait);
        return;
    default:
        plan->unknown_reason = true;
        action = LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
        break;
    }

    xl_monitor_plan_action(action, plan);
}

void xl_monitor_plan_action(libxl_action_on_shutdown action,
                            struct xl_monitor_plan *plan)
{
    static const enum xl_monitor_step destroy[] = {
        XL_STEP_DESTROY, XL_STEP_EXIT, XL_STEP_END};
    static const enum xl_monitor_step restart[] = {
        XL_STEP_RELOAD, XL_STEP_DESTROY, XL_STEP_RESTART, XL_STEP_END};
    static const enum xl_monitor_step rename_restart[] = {
        XL_STEP_RELOAD, XL_STEP_PRESERVE, XL_STEP_RESTART, XL_STEP_END};
    static const enum xl_monitor_step preserve[] = {
        XL_STEP_EXIT, XL_STEP_END};
    static const enum xl_monitor_step coredump_destroy[] = {
        XL_STEP_COREDUMP, XL_STEP_DESTROY, XL_STEP_EXIT, XL_STEP_END};
    static const enum xl_monitor_step coredump_restart[] = {
        XL_STEP_COREDUMP, XL_STEP_RELOAD, XL_STEP_DESTROY, XL_STEP_RESTART,
        XL_STEP_END};
    static const enum xl_monitor_step soft_reset[] = {
        XL_STEP_RELOAD, XL_STEP_SOFT_RESET, XL_STEP_END};

    /* Each action as steps. The config is reloaded before the old
     * domain goes so that a config updated while it ran is the one the
     * new domain gets; the core is dumped before anything changes. */
    plan->action = action;
    switch (action) {
    case LIBXL_ACTION_ON_SHUTDOWN_RESTART:
        set_steps(plan, restart);
        break;
    case LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME:
        set_steps(plan, rename_restart);
        break;
    case LIBXL_ACTION_ON_SHUTDOWN_PRESERVE:
        set_steps(plan, preserve);
        break;
    case LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY:
        set_steps(plan, coredump_destroy);
        break;
    case LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART:
        set_steps(plan, coredump_restart);
        break;
    case LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET:
        set_steps(plan, soft_reset);
        break;
    case LIBXL_ACTION_ON_SHUTDOWN_DESTROY:
    default:
        /* A value the parser never produces: the safe choice. */
        plan->action = LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
        set_steps(plan, destroy);
        break;
    }
}

bool xl_soft_reset_guard_allow(struct xl_soft_reset_guard *g, double now)
{
    unsigned int limit = g->limit < XL_SOFT_RESET_LIMIT_MAX
                         ? g->limit : XL_SOFT_RESET_LIMIT_MAX;

    if (!limit)
        return true;
    /* Full: the oldest of the last limit resets is where the next goes;
     * within the window, one more would make limit + 1. */
    if (g->count >= limit) {
        if (now - g->times[g->next % limit] < g->window_s)
            return false;
    } else {
        g->count++;
    }
    g->times[g->next % limit] = now;
    g->next = (g->next + 1) % limit;
    return true;
}

void xl_soft_reset_guard_clear(struct xl_soft_reset_guard *g)
{
    g->count = 0;
    g->next = 0;
}

enum xl_monitor_failure xl_monitor_on_failure(enum xl_monitor_step step)
{
    switch (step) {
    case XL_STEP_COREDUMP:
        /* The dump is a bonus: the action itself still applies. */
    case XL_STEP_RELOAD:
        /* The config the monitor started with serves again. */
        return XL_FAIL_CONTINUE;
    case XL_STEP_PRESERVE:
        /* The old domain still has the name: a new one cannot take it.
         * Leave the old one in place. */
    case XL_STEP_DESTROY:
        /* Whatever is left of the domain holds its name and memory: a
         * restart would fail or collide. */
    case XL_STEP_RESTART:
    default:
        return XL_FAIL_STOP;
    case XL_STEP_SOFT_RESET:
        /* libxl kept the domain, paused: it stays for the administrator
         * (xl destroy), and the monitor waits for that. */
        return XL_FAIL_KEEP;
    }
}

const char *xl_monitor_action_name(libxl_action_on_shutdown action)
{
    switch (action) {
    case LIBXL_ACTION_ON_SHUTDOWN_DESTROY:
        return "destroy";
    case LIBXL_ACTION_ON_SHUTDOWN_RESTART:
        return "restart";
    case LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME:
        return "rename-restart";
    case LIBXL_ACTION_ON_SHUTDOWN_PRESERVE:
        return "preserve";
    case LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY:
        return "coredump-destroy";
    case LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART:
        return "coredump-restart";
    case LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET:
        return "soft-reset";
    default:
        return "unknown";
    }
}

const char *xl_monitor_step_name(enum xl_monitor_step step)
{
    switch (step) {
    case XL_STEP_END:
        return "end";
    case XL_STEP_WAIT:
        return "wait";
    case XL_STEP_COREDUMP:
        return "coredump";
    case XL_STEP_RELOAD:
        return "reload configuration";
    case XL_STEP_PRESERVE:
        return "rename";
    case XL_STEP_DESTROY:
        return "destroy";
    case XL_STEP_RESTART:
        return "restart";
    case XL_STEP_SOFT_RESET:
        return "soft reset";
    case XL_STEP_EXIT:
        return "exit";
    }
    return "unknown";
}

int xl_monitor_preserve_suffix(time_t now, char *buf, size_t len)
{
    struct tm tm;

    if (len)
        buf[0] = '\0';
    if (now == (time_t)-1 || !gmtime_r(&now, &tm))
        return -1;
    if (!strftime(buf, len, "-%Y%m%dT%H%MZ", &tm)) {
        if (len)
            buf[0] = '\0';
        return -1;
    }
    return 0;
}
