/*
 * test-libxl-event.c: the event machinery on the fake hypervisor and
 * xenstore: domain death generators (shutdown reasons, one event per
 * state change, death once), asynchronous completions (never from
 * within the call; callback or OPERATION_COMPLETE), event hooks,
 * osevent hooks and beforepoll/afterpoll, bounded xenstore waits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libxl_internal.h"
#include "libxl_sys.h"
#include "libxl_xshelp.h"
#include "libxl_event_internal.h"
#include "fake-sys.h"

static libxl_ctx *ctx;

static int setup(void **state)
{
    fake_reset();
    fake_dom_add(0, 0x00);
    ctx = fake_ctx(fake_log_level());
    return 0;
}

static int teardown(void **state)
{
    fake_ctx_free(ctx);
    ctx = NULL;
    fake_reset();
    return 0;
}

/* Every queued event, in order: types and shutdown reasons. */
static int drain(libxl_event_type *types, int *reasons, int max)
{
    libxl_event *ev;
    int n = 0;

    while (!libxl_event_check(ctx, &ev, LIBXL_EVENTMASK_ALL, NULL, NULL)) {
        assert_true(n < max);
        types[n] = ev->type;
        reasons[n] = ev->type == LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN
                         ? ev->u.domain_shutdown.shutdown_reason : -1;
        n++;
        libxl_event_free(ctx, ev);
    }
    return n;
}

static void test_check_empty_not_ready(void **state)
{
    libxl_event *ev = (libxl_event *)&ev;

    assert_int_equal(libxl_event_check(ctx, &ev, LIBXL_EVENTMASK_ALL, NULL,
                                       NULL),
                     ERROR_NOT_READY);
    assert_null(ev);
}

/* Each Xen shutdown code arrives as the same libxl_shutdown_reason. */
static void test_shutdown_reasons(void **state)
{
    static const struct {
        unsigned int xen;
        int libxl;
    } map[] = {
        { SHUTDOWN_poweroff, LIBXL_SHUTDOWN_REASON_POWEROFF },
        { SHUTDOWN_reboot, LIBXL_SHUTDOWN_REASON_REBOOT },
        { SHUTDOWN_suspend, LIBXL_SHUTDOWN_REASON_SUSPEND },
        { SHUTDOWN_crash, LIBXL_SHUTDOWN_REASON_CRASH },
        { SHUTDOWN_watchdog, LIBXL_SHUTDOWN_REASON_WATCHDOG },
        { SHUTDOWN_soft_reset, LIBXL_SHUTDOWN_REASON_SOFT_RESET },
        { 77, LIBXL_SHUTDOWN_REASON_UNKNOWN },
    };

    for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
        libxl_evgen_domain_death *eg;
        libxl_event *ev;
        uint32_t domid = 10 + (uint32_t)i;

        fake_dom_add(domid, (uint8_t)(0x10 * i));
        assert_int_equal(libxl_evenable_domain_death(ctx, domid, 1000 + i,
                                                     &eg), 0);
        assert_int_equal(libxl_event_check(ctx, &ev, LIBXL_EVENTMASK_ALL,
                                           NULL, NULL),
                         ERROR_NOT_READY);
        fake_dom_shutdown(domid, map[i].xen);
        assert_int_equal(libxl_event_check(ctx, &ev, LIBXL_EVENTMASK_ALL,
                                           NULL, NULL), 0);
        assert_int_equal(ev->type, LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN);
        assert_int_equal(ev->domid, domid);
        assert_int_equal(ev->for_user, 1000 + i);
        /* the uuid of the domain */
        assert_int_equal(libxl_uuid_bytearray(&ev->domuuid)[0],
                         (uint8_t)(0x10 * i));
        assert_int_equal((int8_t)ev->u.domain_shutdown.shutdown_reason,
                         map[i].libxl);
        libxl_event_free(ctx, ev);
        libxl_evdisable_domain_death(ctx, eg);
    }
    assert_int_equal(fake.n_watches, 0);    /* the last disable unwatched */
}

/* One SHUTDOWN per entry into the shut down state, one DEATH, then
 * nothing however often @releaseDomain fires. */
static void test_once_per_state_change(void **state)
{
    libxl_evgen_domain_death *eg;
    libxl_event_type t[16];
    int r[16], n;

    fake_dom_add(5, 0x50);
    assert_int_equal(libxl_evenable_domain_death(ctx, 5, 7, &eg), 0);
    fake_dom_shutdown(5, SHUTDOWN_soft_reset);
    fake_fire("@releaseDomain", false);     /* unrelated firings */
    fake_fire("@releaseDomain", false);
    n = drain(t, r, 16);
    assert_int_equal(n, 1);
    assert_int_equal(t[0], LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN);
    assert_int_equal(r[0], LIBXL_SHUTDOWN_REASON_SOFT_RESET);

    /* runs again (soft reset done), then shuts down again */
    fake_dom_resume(5);
    fake_fire("@releaseDomain", false);
    assert_int_equal(drain(t, r, 16), 0);
    fake_dom_shutdown(5, SHUTDOWN_reboot);
    n = drain(t, r, 16);
    assert_int_equal(n, 1);
    assert_int_equal(r[0], LIBXL_SHUTDOWN_REASON_REBOOT);

    /* destroyed: DEATH once */
    fake_dom_remove(5);
    fake_fire("@releaseDomain", false);
    n = drain(t, r, 16);
    assert_int_equal(n, 1);
    assert_int_equal(t[0], LIBXL_EVENT_TYPE_DOMAIN_DEATH);
    fake_fire("@releaseDomain", false);
    assert_int_equal(drain(t, r, 16), 0);
    libxl_evdisable_domain_death(ctx, eg);
}

/* A dying domain is dead; a domain that never existed dies at once. */
static void test_dying_and_missing(void **state)
{
    libxl_evgen_domain_death *eg1, *eg2;
    libxl_event *ev;
    struct fake_dom *d = fake_dom_add(6, 0x60);
    int deaths = 0;

    assert_int_equal(libxl_evenable_domain_death(ctx, 6, 1, &eg1), 0);
    assert_int_equal(libxl_evenable_domain_death(ctx, 99, 2, &eg2), 0);
    d->flags |= XEN_DOMINF_dying | XEN_DOMINF_shutdown;
    fake_fire("@releaseDomain", false);
    while (!libxl_event_check(ctx, &ev, LIBXL_EVENTMASK_ALL, NULL, NULL)) {
        assert_int_equal(ev->type, LIBXL_EVENT_TYPE_DOMAIN_DEATH);
        assert_true(ev->domid == 6 || ev->domid == 99);
        assert_int_equal(ev->for_user, ev->domid == 6 ? 1 : 2);
        deaths++;
        libxl_event_free(ctx, ev);
    }
    assert_int_equal(deaths, 2);
    libxl_evdisable_domain_death(ctx, eg1);
    libxl_evdisable_domain_death(ctx, eg2);
}

/* A domain xenstored does not know (a soft reset released it and failed
 * before bringing it back) dies without @releaseDomain: the removal of
 * /libxl/<domid>, which destroy does once the domain is dying, is what
 * reports it.  Writes there while it lives report nothing. */
static void test_death_without_release_domain(void **state)
{
    libxl_evgen_domain_death *eg;
    libxl_event_type t[16];
    int r[16];

    fake_dom_add(12, 0x12);
    fake_xs_set("/libxl/12/type", "pvh");
    assert_int_equal(libxl_evenable_domain_death(ctx, 12, 3, &eg), 0);
    fake_dom_shutdown(12, SHUTDOWN_soft_reset);
    fake_fire("@releaseDomain", false);
    assert_int_equal(drain(t, r, 16), 1);
    fake_xs_set("/libxl/12/dm-version", "qemu_xen");
    fake_fire("/libxl/12/dm-version", false);
    assert_int_equal(drain(t, r, 16), 0);
    /* destroyed, xenstored silent: only the home's removal says it */
    struct fake_dom *d = fake_dom_find(12);
    *d = fake.doms[--fake.n_doms];
    assert_int_equal(drain(t, r, 16), 0);
    fake_node_rm("/libxl/12");
    fake_fire("/libxl/12", true);
    assert_int_equal(drain(t, r, 16), 1);
    assert_int_equal(t[0], LIBXL_EVENT_TYPE_DOMAIN_DEATH);
    libxl_evdisable_domain_death(ctx, eg);
    assert_int_equal(fake.n_watches, 0);
}

/* typemask and predicate select; others stay queued in order. */
static int only_domid_8(const libxl_event *ev, void *user)
{
    return ev->domid == *(uint32_t *)user;
}

static void test_mask_and_predicate(void **state)
{
    libxl_evgen_domain_death *a, *b;
    libxl_event *ev;
    uint32_t want = 8;

    fake_dom_add(7, 0x70);
    fake_dom_add(8, 0x80);
    assert_int_equal(libxl_evenable_domain_death(ctx, 7, 0, &a), 0);
    assert_int_equal(libxl_evenable_domain_death(ctx, 8, 0, &b), 0);
    fake_dom_shutdown(7, SHUTDOWN_crash);
    fake_dom_shutdown(8, SHUTDOWN_poweroff);
    assert_int_equal(libxl_event_check(ctx, &ev,
                                       1ULL << LIBXL_EVENT_TYPE_DOMAIN_DEATH,
                                       NULL, NULL),
                     ERROR_NOT_READY);
    assert_int_equal(libxl_event_check(ctx, &ev, LIBXL_EVENTMASK_ALL,
                                       only_domid_8, &want), 0);
    assert_int_equal(ev->domid, 8);
    libxl_event_free(ctx, ev);
    assert_int_equal(libxl_event_wait(ctx, &ev, LIBXL_EVENTMASK_ALL, NULL,
                                      NULL), 0);
    assert_int_equal(ev->domid, 7);
    libxl_event_free(ctx, ev);
    libxl_evdisable_domain_death(ctx, a);
    libxl_evdisable_domain_death(ctx, b);
}

/* Asynchronous completions. */
static int cb_calls, cb_rc;
static void *cb_arg;

static void completion(libxl_ctx *c, int rc, void *for_callback)
{
    cb_calls++;
    cb_rc = rc;
    cb_arg = for_callback;
}

static void test_ao_sync_and_async(void **state)
{
    libxl_asyncop_how how = { .callback = completion,
                              .u.for_callback = &cb_calls };
    libxl_asyncop_how ev_how = { .callback = NULL, .u.for_event = 4242 };
    libxl_event *ev;

    cb_calls = 0;
    /* synchronous: the result itself */
    assert_int_equal(libxl__ao_result(ctx, NULL, ERROR_INVAL), ERROR_INVAL);
    /* callback: 0 now, the result later, not from within the call */
    assert_int_equal(libxl__ao_result(ctx, &how, ERROR_TIMEDOUT), 0);
    assert_int_equal(cb_calls, 0);
    assert_int_equal(libxl_event_check(ctx, &ev, LIBXL_EVENTMASK_ALL, NULL,
                                       NULL),
                     ERROR_NOT_READY);
    assert_int_equal(cb_calls, 1);
    assert_int_equal(cb_rc, ERROR_TIMEDOUT);
    assert_ptr_equal(cb_arg, &cb_calls);
    /* no callback: an OPERATION_COMPLETE event */
    assert_int_equal(libxl__ao_result(ctx, &ev_how, 0), 0);
    assert_int_equal(libxl_event_check(ctx, &ev, LIBXL_EVENTMASK_ALL, NULL,
                                       NULL), 0);
    assert_int_equal(ev->type, LIBXL_EVENT_TYPE_OPERATION_COMPLETE);
    assert_int_equal(ev->for_user, 4242);
    assert_int_equal(ev->u.operation_complete.rc, 0);
    libxl_event_free(ctx, ev);
    /* a public operation: pause through a callback */
    fake_dom_add(3, 0x30);
    cb_calls = 0;
    assert_int_equal(libxl_domain_pause(ctx, 3, &how), 0);
    assert_int_equal(cb_calls, 0);
    assert_int_equal(libxl_event_check(ctx, &ev, LIBXL_EVENTMASK_ALL, NULL,
                                       NULL),
                     ERROR_NOT_READY);
    assert_int_equal(cb_calls, 1);
    assert_int_equal(cb_rc, 0);
}

/* Progress reports: a callback is called at once, else an event. */
static int progress_calls;

static void progress_cb(libxl_ctx *c, libxl_event *ev, void *for_callback)
{
    assert_int_equal(ev->type,
                     LIBXL_EVENT_TYPE_DOMAIN_CREATE_CONSOLE_AVAILABLE);
    assert_int_equal(ev->domid, 4);
    progress_calls++;
    libxl_event_free(c, ev);
}

static void test_progress(void **state)
{
    libxl_asyncprogress_how cb = { .callback = progress_cb };
    libxl_asyncprogress_how evh = { .callback = NULL, .for_event = 77 };
    libxl_event *ev;
    GC_INIT(ctx);

    fake_dom_add(4, 0x40);
    libxl__ao_progress_report(gc, NULL,
                              LIBXL_EVENT_TYPE_DOMAIN_CREATE_CONSOLE_AVAILABLE,
                              4);
    libxl__ao_progress_report(gc, &cb,
                              LIBXL_EVENT_TYPE_DOMAIN_CREATE_CONSOLE_AVAILABLE,
                              4);
    assert_int_equal(progress_calls, 1);
    libxl__ao_progress_report(gc, &evh,
                              LIBXL_EVENT_TYPE_DOMAIN_CREATE_CONSOLE_AVAILABLE,
                              4);
    assert_int_equal(libxl_event_check(ctx, &ev, LIBXL_EVENTMASK_ALL, NULL,
                                       NULL), 0);
    assert_int_equal(ev->type,
                     LIBXL_EVENT_TYPE_DOMAIN_CREATE_CONSOLE_AVAILABLE);
    assert_int_equal(ev->for_user, 77);
    libxl_event_free(ctx, ev);
    assert_int_equal(libxl_event_check(ctx, &ev, LIBXL_EVENTMASK_ALL, NULL,
                                       NULL),
                     ERROR_NOT_READY);
    GC_FREE;
}

/* event_occurs gets the types of its mask; the rest is queued. */
static int occurs_calls;
static libxl_event_type occurs_type;

static void occurs(void *user, const libxl_event *ev)
{
    occurs_calls++;
    occurs_type = ev->type;
    libxl_event_free(NULL, (libxl_event *)ev);
}

static void test_event_hooks(void **state)
{
    libxl_event_hooks hooks = {
        .event_occurs_mask = 1ULL << LIBXL_EVENT_TYPE_DOMAIN_DEATH,
        .event_occurs = occurs,
    };
    libxl_evgen_domain_death *eg;
    libxl_event *ev;

    libxl_event_register_callbacks(ctx, &hooks, NULL);
    fake_dom_add(9, 0x90);
    assert_int_equal(libxl_evenable_domain_death(ctx, 9, 0, &eg), 0);
    fake_dom_shutdown(9, SHUTDOWN_poweroff);
    assert_int_equal(libxl_event_check(ctx, &ev, LIBXL_EVENTMASK_ALL, NULL,
                                       NULL), 0);
    assert_int_equal(ev->type, LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN);
    libxl_event_free(ctx, ev);
    assert_int_equal(occurs_calls, 0);
    fake_dom_remove(9);
    assert_int_equal(libxl_event_check(ctx, &ev, LIBXL_EVENTMASK_ALL, NULL,
                                       NULL),
                     ERROR_NOT_READY);
    assert_int_equal(occurs_calls, 1);
    assert_int_equal(occurs_type, LIBXL_EVENT_TYPE_DOMAIN_DEATH);
    libxl_evdisable_domain_death(ctx, eg);
}

/* A caller's loop through the osevent hooks. */
static struct {
    int fd_regs, fd_deregs, timeouts;
    int fd;
    void *for_libxl_fd, *for_libxl_to;
} os;

static int h_fd_register(void *user, int fd, void **reg, short events,
                         void *for_libxl)
{
    os.fd_regs++;
    os.fd = fd;
    os.for_libxl_fd = for_libxl;
    *reg = &os;
    assert_int_equal(events, POLLIN);
    return 0;
}

static int h_fd_modify(void *user, int fd, void **reg, short events)
{
    return 0;
}

static void h_fd_deregister(void *user, int fd, void *reg)
{
    os.fd_deregs++;
    assert_ptr_equal(reg, &os);
}

static int h_timeout_register(void *user, void **reg, struct timeval abs,
                              void *for_libxl)
{
    os.timeouts++;
    os.for_libxl_to = for_libxl;
    assert_int_equal(abs.tv_sec, 0);
    assert_int_equal(abs.tv_usec, 0);
    return 0;
}

static int h_timeout_modify(void *user, void **reg, struct timeval abs)
{
    return 0;
}

static void h_timeout_deregister(void *user, void *reg)
{
}

static const libxl_osevent_hooks os_hooks = {
    .fd_register = h_fd_register,
    .fd_modify = h_fd_modify,
    .fd_deregister = h_fd_deregister,
    .timeout_register = h_timeout_register,
    .timeout_modify = h_timeout_modify,
    .timeout_deregister = h_timeout_deregister,
};

static void test_osevent_hooks(void **state)
{
    libxl_asyncop_how how = { .callback = completion };
    libxl_evgen_domain_death *eg;
    libxl_event *ev;
    struct pollfd p;

    memset(&os, 0, sizeof(os));
    libxl_osevent_register_hooks(ctx, &os_hooks, NULL);
    fake_dom_add(11, 0x11);
    assert_int_equal(libxl_evenable_domain_death(ctx, 11, 0, &eg), 0);
    assert_int_equal(os.fd_regs, 1);
    assert_int_equal(os.fd, fake.pipe[0]);

    /* the fd becomes readable when the guest shuts down */
    fake_dom_shutdown(11, SHUTDOWN_crash);
    p = (struct pollfd){ .fd = os.fd, .events = POLLIN };
    assert_int_equal(poll(&p, 1, 0), 1);
    libxl_osevent_occurred_fd(ctx, os.for_libxl_fd, os.fd, POLLIN,
                              p.revents);
    assert_int_equal(libxl_event_check(ctx, &ev, LIBXL_EVENTMASK_ALL, NULL,
                                       NULL), 0);
    assert_int_equal(ev->u.domain_shutdown.shutdown_reason,
                     LIBXL_SHUTDOWN_REASON_CRASH);
    libxl_event_free(ctx, ev);

    /* a completion asks for an immediate timeout, delivered from it */
    cb_calls = 0;
    assert_int_equal(libxl__ao_result(ctx, &how, 0), 0);
    assert_int_equal(os.timeouts, 1);
    assert_int_equal(cb_calls, 0);
    libxl_osevent_occurred_timeout(ctx, os.for_libxl_to);
    assert_int_equal(cb_calls, 1);

    libxl_evdisable_domain_death(ctx, eg);
    assert_int_equal(os.fd_deregs, 1);
}

static void test_beforepoll_afterpoll(void **state)
{
    libxl_evgen_domain_death *eg;
    struct pollfd fds[4];
    struct timeval now = { 0, 0 };
    libxl_event *ev;
    int nfds = 0, timeout = -1;

    /* nothing to watch: no fd, no timeout */
    nfds = 4;
    assert_int_equal(libxl_osevent_beforepoll(ctx, &nfds, fds, &timeout,
                                              now), 0);
    assert_int_equal(nfds, 0);
    assert_int_equal(timeout, -1);

    fake_dom_add(12, 0x12);
    assert_int_equal(libxl_evenable_domain_death(ctx, 12, 0, &eg), 0);
    nfds = 0;
    assert_int_equal(libxl_osevent_beforepoll(ctx, &nfds, fds, &timeout,
                                              now),
                     ERROR_BUFFERFULL);
    assert_int_equal(nfds, 1);
    fake_dom_shutdown(12, SHUTDOWN_watchdog);
    nfds = 4;
    assert_int_equal(libxl_osevent_beforepoll(ctx, &nfds, fds, &timeout,
                                              now), 0);
    assert_int_equal(nfds, 1);
    assert_int_equal(poll(fds, (nfds_t)nfds, 1000), 1);
    libxl_osevent_afterpoll(ctx, nfds, fds, now);
    assert_int_equal(libxl_event_check(ctx, &ev, LIBXL_EVENTMASK_ALL, NULL,
                                       NULL), 0);
    assert_int_equal(ev->u.domain_shutdown.shutdown_reason,
                     LIBXL_SHUTDOWN_REASON_WATCHDOG);
    libxl_event_free(ctx, ev);
    libxl_evdisable_domain_death(ctx, eg);
}

/* Bounded waits. */
static void set_ready(const char *path, const char *value)
{
    if (!strcmp(path, "/trigger"))
        fake_xs_set("/state", "4");
}

static void test_xswait(void **state)
{
    GC_INIT(ctx);

    /* already there */
    fake_xs_set("/a", "x");
    assert_int_equal(libxl__xswait_value(gc, "a", "/a", "x", 1000), 0);
    /* never: times out, watch gone afterwards */
    assert_int_equal(libxl__xswait_value(gc, "b", "/b", "y", 50),
                     ERROR_TIMEDOUT);
    assert_int_equal(fake.n_watches, 0);
    /* absent wanted: rm makes it */
    fake_xs_set("/c", "1");
    {
        libxl_evgen_domain_death *eg;
        fake_dom_add(13, 0x13);
        /* another watch's events are not eaten by the wait */
        assert_int_equal(libxl_evenable_domain_death(ctx, 13, 0, &eg), 0);
        fake_dom_shutdown(13, SHUTDOWN_poweroff);
        assert_true(SYS->xs_rm(CTX, XBT_NULL, "/c"));
        assert_int_equal(libxl__xswait_value(gc, "c gone", "/c", NULL, 1000),
                         0);
        libxl_event *ev;
        assert_int_equal(libxl_event_check(ctx, &ev, LIBXL_EVENTMASK_ALL,
                                           NULL, NULL), 0);
        assert_int_equal(ev->type, LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN);
        libxl_event_free(ctx, ev);
        libxl_evdisable_domain_death(ctx, eg);
    }
    /* a change made while waiting (the fake's write hook) */
    fake_xs_set("/state", "1");
    fake.on_write = set_ready;
    assert_true(SYS->xs_write(CTX, XBT_NULL, "/trigger", "go", 2));
    fake.on_write = NULL;
    fake_fire("/state", false);
    assert_int_equal(libxl__xswait_value(gc, "state 4", "/state", "4", 1000),
                     0);
    GC_FREE;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_check_empty_not_ready, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_shutdown_reasons, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_once_per_state_change, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_dying_and_missing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_death_without_release_domain,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_mask_and_predicate, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ao_sync_and_async, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_progress, setup, teardown),
        cmocka_unit_test_setup_teardown(test_event_hooks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_osevent_hooks, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_beforepoll_afterpoll, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_xswait, setup, teardown),
    };
    return cmocka_run_group_tests_name("libxl-event", tests, NULL, NULL);
}
