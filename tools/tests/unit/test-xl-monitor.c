/*
 * test-xl-monitor.c: the xl create monitor's decisions
 * (tools/xl/xl_create_monitor_plan.c, compiled in here): for every shutdown
 * reason and every configured action, the action that applies and the
 * steps that carry it out; what a failed step leads to; the suffix of a
 * rename-restart; the soft reset storm guard.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../xl/xl_create_monitor_plan.c"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
/* A step list; static so that it outlives the function returning it. */
#define S(...) \
    ({ static const enum xl_monitor_step s_[] = {__VA_ARGS__, XL_STEP_END}; \
       s_; })

static const libxl_action_on_shutdown all_actions[] = {
    LIBXL_ACTION_ON_SHUTDOWN_DESTROY,
    LIBXL_ACTION_ON_SHUTDOWN_RESTART,
    LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME,
    LIBXL_ACTION_ON_SHUTDOWN_PRESERVE,
    LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY,
    LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART,
    LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET,
};

/* The steps each action must expand to. */
static const enum xl_monitor_step *expected_steps(libxl_action_on_shutdown a)
{
    switch (a) {
    case LIBXL_ACTION_ON_SHUTDOWN_DESTROY:
        return S(XL_STEP_DESTROY, XL_STEP_EXIT);
    case LIBXL_ACTION_ON_SHUTDOWN_RESTART:
        return S(XL_STEP_RELOAD, XL_STEP_DESTROY, XL_STEP_RESTART);
    case LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME:
        return S(XL_STEP_RELOAD, XL_STEP_PRESERVE, XL_STEP_RESTART);
    case LIBXL_ACTION_ON_SHUTDOWN_PRESERVE:
        return S(XL_STEP_EXIT);
    case LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY:
        return S(XL_STEP_COREDUMP, XL_STEP_DESTROY, XL_STEP_EXIT);
    case LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART:
        return S(XL_STEP_COREDUMP, XL_STEP_RELOAD, XL_STEP_DESTROY,
                 XL_STEP_RESTART);
    case LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET:
        return S(XL_STEP_RELOAD, XL_STEP_SOFT_RESET);
    }
    fail_msg("no expectation for action %d", a);
    return NULL;
}

static void assert_steps(const struct xl_monitor_plan *p,
                         const enum xl_monitor_step *want)
{
    int i;

    for (i = 0; want[i] != XL_STEP_END; i++) {
        assert_true(i < XL_MONITOR_MAX_STEPS);
        if (p->steps[i] != want[i])
            fail_msg("step %d: got %s, want %s", i,
                     xl_monitor_step_name(p->steps[i]),
                     xl_monitor_step_name(want[i]));
    }
    assert_int_equal(p->steps[i], XL_STEP_END);
}

/* A config whose five actions are all `other`, except that the one for
 * `reason` is `a`. */
static void config_for(libxl_domain_config *d, int reason,
                       libxl_action_on_shutdown a,
                       libxl_action_on_shutdown other)
{
    memset(d, 0, sizeof(*d));
    d->on_poweroff = reason == LIBXL_SHUTDOWN_REASON_POWEROFF ? a : other;
    d->on_reboot = reason == LIBXL_SHUTDOWN_REASON_REBOOT ? a : other;
    d->on_crash = reason == LIBXL_SHUTDOWN_REASON_CRASH ? a : other;
    d->on_watchdog = reason == LIBXL_SHUTDOWN_REASON_WATCHDOG ? a : other;
    d->on_soft_reset = reason == LIBXL_SHUTDOWN_REASON_SOFT_RESET ? a : other;
}

/* Each reason takes its own key, whatever the other keys say. */
static void test_every_reason_every_action(void **state)
{
    static const int reasons[] = {
        LIBXL_SHUTDOWN_REASON_POWEROFF, LIBXL_SHUTDOWN_REASON_REBOOT,
        LIBXL_SHUTDOWN_REASON_CRASH, LIBXL_SHUTDOWN_REASON_WATCHDOG,
        LIBXL_SHUTDOWN_REASON_SOFT_RESET,
    };
    size_t r, a, o;
    int n = 0;

    (void)state;
    for (r = 0; r < N_OF(reasons); r++) {
        for (a = 0; a < N_OF(all_actions); a++) {
            for (o = 0; o < N_OF(all_actions); o++) {
                libxl_domain_config d;
                struct xl_monitor_plan p;

                config_for(&d, reasons[r], all_actions[a], all_actions[o]);
                xl_monitor_plan(&d, reasons[r], &p);
                assert_false(p.unknown_reason);
                if (p.action != all_actions[a])
                    fail_msg("reason %d: action %s, want %s", reasons[r],
                             xl_monitor_action_name(p.action),
                             xl_monitor_action_name(all_actions[a]));
                assert_steps(&p, expected_steps(all_actions[a]));
                n++;
            }
        }
    }
    assert_int_equal(n, 5 * 7 * 7);
}

/* The defaults of xl.cfg(5): poweroff and crash destroy, reboot
 * restarts; restart never keeps the old domain alive. */
static void test_restart_destroys_before_creating(void **state)
{
    libxl_domain_config d;
    struct xl_monitor_plan p;
    int i, destroy = -1, restart = -1;

    (void)state;
    config_for(&d, LIBXL_SHUTDOWN_REASON_REBOOT,
               LIBXL_ACTION_ON_SHUTDOWN_RESTART,
               LIBXL_ACTION_ON_SHUTDOWN_DESTROY);
    xl_monitor_plan(&d, LIBXL_SHUTDOWN_REASON_REBOOT, &p);
    for (i = 0; p.steps[i] != XL_STEP_END; i++) {
        if (p.steps[i] == XL_STEP_DESTROY)
            destroy = i;
        if (p.steps[i] == XL_STEP_RESTART)
            restart = i;
        /* No step that sleeps or waits: DESIGN.md, we do not idle. */
        assert_int_not_equal(p.steps[i], XL_STEP_WAIT);
    }
    assert_true(destroy >= 0 && restart > destroy);
}

static void test_suspend_waits(void **state)
{
    libxl_domain_config d;
    struct xl_monitor_plan p;
    size_t a;

    (void)state;
    for (a = 0; a < N_OF(all_actions); a++) {
        config_for(&d, -2, all_actions[a], all_actions[a]);
        xl_monitor_plan(&d, LIBXL_SHUTDOWN_REASON_SUSPEND, &p);
        assert_false(p.unknown_reason);
        assert_steps(&p, S(XL_STEP_WAIT));
    }
}

/* A reason Xen may add later, or garbage: destroyed, and said so. */
static void test_unknown_reason_destroys(void **state)
{
    static const int bad[] = {-1, 6, 7, 255, 0x7fffffff};
    libxl_domain_config d;
    struct xl_monitor_plan p;
    size_t i;

    (void)state;
    for (i = 0; i < N_OF(bad); i++) {
        config_for(&d, -2, LIBXL_ACTION_ON_SHUTDOWN_PRESERVE,
                   LIBXL_ACTION_ON_SHUTDOWN_PRESERVE);
        xl_monitor_plan(&d, bad[i], &p);
        assert_true(p.unknown_reason);
        assert_int_equal(p.action, LIBXL_ACTION_ON_SHUTDOWN_DESTROY);
        assert_steps(&p, S(XL_STEP_DESTROY, XL_STEP_EXIT));
    }
}

/* An action value outside the enum (a corrupt stored config) is not
 * trusted to mean anything but destroy. */
static void test_bad_action_value_destroys(void **state)
{
    libxl_domain_config d;
    struct xl_monitor_plan p;

    (void)state;
    config_for(&d, LIBXL_SHUTDOWN_REASON_CRASH, 99,
               LIBXL_ACTION_ON_SHUTDOWN_RESTART);
    xl_monitor_plan(&d, LIBXL_SHUTDOWN_REASON_CRASH, &p);
    assert_int_equal(p.action, LIBXL_ACTION_ON_SHUTDOWN_DESTROY);
    assert_steps(&p, S(XL_STEP_DESTROY, XL_STEP_EXIT));
}

/* Soft reset: the stored configuration, then the reset; the monitor goes
 * on (no exit step); a failed reset keeps the domain (never destroyed,
 * never restarted) and the monitor waits for its destruction. */
static void test_soft_reset_is_an_error_not_a_destroy(void **state)
{
    libxl_domain_config d;
    struct xl_monitor_plan p;
    int i;

    (void)state;
    config_for(&d, LIBXL_SHUTDOWN_REASON_SOFT_RESET,
               LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET,
               LIBXL_ACTION_ON_SHUTDOWN_DESTROY);
    xl_monitor_plan(&d, LIBXL_SHUTDOWN_REASON_SOFT_RESET, &p);
    for (i = 0; p.steps[i] != XL_STEP_END; i++)
        assert_int_not_equal(p.steps[i], XL_STEP_DESTROY);
    for (i = 0; p.steps[i] != XL_STEP_END; i++) {
        assert_int_not_equal(p.steps[i], XL_STEP_RESTART);
        assert_int_not_equal(p.steps[i], XL_STEP_EXIT);
    }
    assert_steps(&p, S(XL_STEP_RELOAD, XL_STEP_SOFT_RESET));
    assert_int_equal(xl_monitor_on_failure(XL_STEP_SOFT_RESET),
                     XL_FAIL_KEEP);
}

static void test_failures(void **state)
{
    (void)state;
    /* Upstream carries on after a failed dump, and with the old config
     * after a failed reload. */
    assert_int_equal(xl_monitor_on_failure(XL_STEP_COREDUMP),
                     XL_FAIL_CONTINUE);
    assert_int_equal(xl_monitor_on_failure(XL_STEP_RELOAD),
                     XL_FAIL_CONTINUE);
    /* A failed rename leaves the old domain in place; a failed destroy
     * or create ends the monitor. */
    assert_int_equal(xl_monitor_on_failure(XL_STEP_PRESERVE), XL_FAIL_STOP);
    assert_int_equal(xl_monitor_on_failure(XL_STEP_DESTROY), XL_FAIL_STOP);
    assert_int_equal(xl_monitor_on_failure(XL_STEP_RESTART), XL_FAIL_STOP);
}

/* The storm guard: limit resets in any window s go through, the next
 * one within the window does not (and is not recorded), one after the
 * window does; no limit lets everything through; clear forgets. */
static void test_soft_reset_guard(void **state)
{
    struct xl_soft_reset_guard g;
    int i;

    (void)state;
    memset(&g, 0, sizeof(g));
    for (i = 0; i < 5000; i++)
        assert_true(xl_soft_reset_guard_allow(&g, i * 0.001));
    g.limit = 3;
    g.window_s = 60;
    assert_true(xl_soft_reset_guard_allow(&g, 100.0));
    assert_true(xl_soft_reset_guard_allow(&g, 110.0));
    assert_true(xl_soft_reset_guard_allow(&g, 120.0));
    assert_false(xl_soft_reset_guard_allow(&g, 121.0));    /* 4 in 21 s */
    assert_false(xl_soft_reset_guard_allow(&g, 159.9));    /* 100 + 60 */
    assert_true(xl_soft_reset_guard_allow(&g, 160.0));     /* 100 is out */
    assert_false(xl_soft_reset_guard_allow(&g, 169.0));    /* 110..160 */
    assert_true(xl_soft_reset_guard_allow(&g, 170.0));
    assert_true(xl_soft_reset_guard_allow(&g, 180.0));
    assert_false(xl_soft_reset_guard_allow(&g, 181.0));
    xl_soft_reset_guard_clear(&g);
    for (i = 0; i < 3; i++)
        assert_true(xl_soft_reset_guard_allow(&g, 181.0 + i));
    assert_false(xl_soft_reset_guard_allow(&g, 184.0));
    /* A limit of one: one reset per window. */
    memset(&g, 0, sizeof(g));
    g.limit = 1;
    g.window_s = 10;
    assert_true(xl_soft_reset_guard_allow(&g, 0.0));
    assert_false(xl_soft_reset_guard_allow(&g, 9.5));
    assert_true(xl_soft_reset_guard_allow(&g, 10.0));
    /* The largest limit the parser takes. */
    memset(&g, 0, sizeof(g));
    g.limit = XL_SOFT_RESET_LIMIT_MAX;
    g.window_s = 1;
    for (i = 0; i < XL_SOFT_RESET_LIMIT_MAX; i++)
        assert_true(xl_soft_reset_guard_allow(&g, 5.0 + i * 1e-4));
    assert_false(xl_soft_reset_guard_allow(&g, 5.5));
    assert_true(xl_soft_reset_guard_allow(&g, 6.0));
}

/* What applies past the limit is planned as any action is. */
static void test_plan_action(void **state)
{
    struct xl_monitor_plan plan;
    size_t i;

    (void)state;
    for (i = 0; i < N_OF(all_actions); i++) {
        memset(&plan, 0xff, sizeof(plan));
        memset(&plan.steps, 0, sizeof(plan.steps));
        xl_monitor_plan_action(all_actions[i], &plan);
        assert_int_equal(plan.action, all_actions[i]);
        assert_steps(&plan, expected_steps(all_actions[i]));
    }
    xl_monitor_plan_action((libxl_action_on_shutdown)99, &plan);
    assert_int_equal(plan.action, LIBXL_ACTION_ON_SHUTDOWN_DESTROY);
    assert_steps(&plan, expected_steps(LIBXL_ACTION_ON_SHUTDOWN_DESTROY));
}

static void test_action_names(void **state)
{
    static const char *const names[] = {
        "destroy", "restart", "rename-restart", "preserve",
        "coredump-destroy", "coredump-restart", "soft-reset",
    };
    size_t i;

    (void)state;
    for (i = 0; i < N_OF(all_actions); i++) {
        assert_string_equal(xl_monitor_action_name(all_actions[i]),
                            names[i]);
        /* The same spelling as libxl's own enum strings, with - for _
         * (rename-restart is xl's name for restart_rename). */
    }
    assert_string_equal(xl_monitor_action_name(0), "unknown");
    assert_string_equal(xl_monitor_action_name(42), "unknown");
}

static void test_preserve_suffix(void **state)
{
    char buf[32];

    (void)state;
    /* 2026-11-25 11:15:59 UTC */
    assert_int_equal(xl_monitor_preserve_suffix(1795605359, buf,
                                                sizeof(buf)), 0);
    assert_string_equal(buf, "-20261125T1115Z");
    assert_int_equal(xl_monitor_preserve_suffix(0, buf, sizeof(buf)), 0);
    assert_string_equal(buf, "-19700101T0000Z");
    /* Too small a buffer: an error and an empty string, no overflow. */
    assert_int_equal(xl_monitor_preserve_suffix(0, buf, 8), -1);
    assert_string_equal(buf, "");
    assert_int_equal(xl_monitor_preserve_suffix((time_t)-1, buf,
                                                sizeof(buf)), -1);
    assert_string_equal(buf, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_reason_every_action),
        cmocka_unit_test(test_restart_destroys_before_creating),
        cmocka_unit_test(test_suspend_waits),
        cmocka_unit_test(test_unknown_reason_destroys),
        cmocka_unit_test(test_bad_action_value_destroys),
        cmocka_unit_test(test_soft_reset_is_an_error_not_a_destroy),
        cmocka_unit_test(test_failures),
        cmocka_unit_test(test_soft_reset_guard),
        cmocka_unit_test(test_plan_action),
        cmocka_unit_test(test_action_names),
        cmocka_unit_test(test_preserve_suffix),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
