/*
 * softreset-client: a libxl client written only against upstream's
 * public headers (libxl.h, libxl_utils.h, libxlutil.h) that acts as the
 * monitor of one guest that soft-resets itself:
 *
 *   create (paused) -> enable death events -> unpause, then for each
 *   DOMAIN_SHUTDOWN: soft_reset -> libxl_domain_soft_reset (the domain
 *   must be paused and not shut down after it) -> libxl_domain_unpause;
 *   poweroff -> libxl_domain_destroy and exit.
 *
 * usage: softreset-client [OPTION...] (--probe KERNEL | CONFIG) [KEY=VALUE...]
 *
 *   --probe KERNEL      built-in PVH config for tools/tests/guests'
 *                       probe: type pvh, memory 32, 1 vCPU, cmdline
 *                       "count=N", on_soft_reset soft-reset
 *   CONFIG              an xl.cfg file (read with libxlutil; the subset
 *                       of settings listed in parse_config below), with
 *                       KEY=VALUE lines after it overriding it, as xl's
 *   --count N           the probe's count= (default 5)
 *   --cmdline STR       the probe's whole cmdline instead
 *   --name NAME         the domain's name (default sr-client)
 *   --config-source given|retrieved
 *                       what libxl_domain_soft_reset is given: the
 *                       d_config given to libxl_domain_create_new, or
 *                       libxl_retrieve_domain_configuration's, read
 *                       before each reset
 *   --ao sync|callback|event
 *                       ao_how of every operation: NULL; a callback; an
 *                       OPERATION_COMPLETE event (for_event checked)
 *   --loop wait|poll|hooks
 *                       how the client waits: libxl_event_wait; its own
 *                       poll() around libxl_osevent_beforepoll/afterpoll;
 *                       its own poll() fed by libxl_osevent_register_hooks
 *   --resets N          soft resets expected (default: count)
 *   --timeout SECS      bound of the whole run (default 120)
 *   --refuse-running    before the loop, once the guest runs: a soft
 *                       reset of the running domain must fail with
 *                       ERROR_INVAL and leave it running; one of a domid
 *                       that does not exist must fail too
 *
 * On stdout: "created domid D uuid U in MS ms", one line per reset
 * ("reset K domid D soft_reset MS ms unpause MS ms"), then "poweroff
 * domid D resets N" and "destroyed domid D".  Exit 0 only if the
 * guest powered off after exactly the expected number of resets, all on
 * one domid; 1 with a message on stderr otherwise (2: usage).  libxl's
 * log goes to stderr (level SOFTRESET_CLIENT_LOGLEVEL, xentoollog's
 * numbering, default warning).
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <libxl.h>
#include <libxl_utils.h>
#include <libxlutil.h>

#define PROGNAME "softreset-client"
/* libxl_event_check/wait type masks (upstream: 1 << type) */
#define EVMASK(type) ((uint64_t)1 << (type))

enum ao_mode { AO_SYNC, AO_CALLBACK, AO_EVENT };
enum loop_mode { LOOP_WAIT, LOOP_POLL, LOOP_HOOKS };

static libxl_ctx *ctx;
static enum ao_mode ao_mode = AO_SYNC;
static enum loop_mode loop_mode = LOOP_WAIT;
static struct timespec deadline;

static void fail(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fprintf(stderr, PROGNAME ": ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
}

static long ms_since(const struct timespec *t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000 +
           (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* ms left before the deadline (0 when passed) */
static int ms_left(void)
{
    long l = -ms_since(&deadline);

    return l < 0 ? 0 : l > 3600000 ? 3600000 : (int)l;
}

/*
 * The caller's own loop, (b): libxl_osevent_register_hooks.  A few
 * slots are plenty: libxl registers the xenstore fd and at most one
 * timeout in this implementation, but nothing here depends on it.
 */
#define NSLOTS 16

static struct fd_slot {
    bool used;
    int fd;
    short events;
    void *for_libxl;
} fd_slots[NSLOTS];

static struct to_slot {
    bool used;
    struct timeval abs;
    void *for_libxl;
} to_slots[NSLOTS];

static int hook_fd_register(void *user, int fd, void **for_app, short events,
                            void *for_libxl)
{
    for (int i = 0; i < NSLOTS; i++) {
        if (fd_slots[i].used)
            continue;
        fd_slots[i] = (struct fd_slot){ true, fd, events, for_libxl };
        *for_app = &fd_slots[i];
        return 0;
    }
    fail("fd_register: no free slot for fd %d", fd);
    return ERROR_NOMEM;
}

static int hook_fd_modify(void *user, int fd, void **for_app, short events)
{
    struct fd_slot *s = *for_app;

    s->events = events;
    return 0;
}

static void hook_fd_deregister(void *user, int fd, void *for_app)
{
    struct fd_slot *s = for_app;

    s->used = false;
}

static int hook_timeout_register(void *user, void **for_app,
                                 struct timeval abs, void *for_libxl)
{
    for (int i = 0; i < NSLOTS; i++) {
        if (to_slots[i].used)
            continue;
        to_slots[i] = (struct to_slot){ true, abs, for_libxl };
        *for_app = &to_slots[i];
        return 0;
    }
    fail("timeout_register: no free slot");
    return ERROR_NOMEM;
}

static int hook_timeout_modify(void *user, void **for_app,
                               struct timeval abs)
{
    struct to_slot *s = *for_app;

    s->abs = abs;
    return 0;
}

static void hook_timeout_deregister(void *user, void *for_app)
{
    struct to_slot *s = for_app;

    s->used = false;
}

static const libxl_osevent_hooks hooks = {
    .fd_register = hook_fd_register,
    .fd_modify = hook_fd_modify,
    .fd_deregister = hook_fd_deregister,
    .timeout_register = hook_timeout_register,
    .timeout_modify = hook_timeout_modify,
    .timeout_deregister = hook_timeout_deregister,
};

/* One round of the hooks' loop, waiting at most max_ms. */
static int hooks_iteration(int max_ms)
{
    struct pollfd pfds[NSLOTS];
    struct fd_slot *which[NSLOTS];
    struct timeval now;
    int n = 0, timeout = max_ms;

    gettimeofday(&now, NULL);
    for (int i = 0; i < NSLOTS; i++) {
        long ms;

        if (!to_slots[i].used)
            continue;
        ms = (to_slots[i].abs.tv_sec - now.tv_sec) * 1000 +
             (to_slots[i].abs.tv_usec - now.tv_usec) / 1000;
        if (ms < 0)
            ms = 0;
        if (ms < timeout)
            timeout = (int)ms;
    }
    for (int i = 0; i < NSLOTS; i++) {
        if (!fd_slots[i].used)
            continue;
        pfds[n] = (struct pollfd){ fd_slots[i].fd, fd_slots[i].events, 0 };
        which[n++] = &fd_slots[i];
    }
    if (poll(pfds, (nfds_t)n, timeout) < 0 && errno != EINTR) {
        fail("poll: %s", strerror(errno));
        return ERROR_FAIL;
    }
    for (int i = 0; i < n; i++) {
        /* an earlier occurred_* may have deregistered it */
        if (!pfds[i].revents || !which[i]->used ||
            which[i]->fd != pfds[i].fd)
            continue;
        libxl_osevent_occurred_fd(ctx, which[i]->for_libxl, pfds[i].fd,
                                  pfds[i].events, pfds[i].revents);
    }
    gettimeofday(&now, NULL);
    for (int i = 0; i < NSLOTS; i++) {
        struct to_slot *s = &to_slots[i];

        if (!s->used || timercmp(&s->abs, &now, >))
            continue;
        /* deregistered on entry to occurred_timeout, as upstream says */
        s->used = false;
        libxl_osevent_occurred_timeout(ctx, s->for_libxl);
    }
    return 0;
}

/* The caller's own loop, (a): one poll() around beforepoll/afterpoll. */
static int poll_iteration(int max_ms)
{
    struct pollfd pfds[NSLOTS];
    struct timeval now;
    int nfds = NSLOTS, timeout = max_ms, rc;

    gettimeofday(&now, NULL);
    rc = libxl_osevent_beforepoll(ctx, &nfds, pfds, &timeout, now);
    if (rc) {
        fail("libxl_osevent_beforepoll: error %d (wants %d fds)", rc, nfds);
        return rc;
    }
    if (poll(pfds, (nfds_t)nfds, timeout) < 0 && errno != EINTR) {
        fail("poll: %s", strerror(errno));
        return ERROR_FAIL;
    }
    gettimeofday(&now, NULL);
    libxl_osevent_afterpoll(ctx, nfds, pfds, now);
    return 0;
}

/*
 * Lets libxl's machinery run once, for at most max_ms, in the way the
 * loop mode says.  libxl_event_wait returns only for an event, so in
 * that mode a callback is waited for with libxl_event_check (which
 * delivers completions and returns at once) and short sleeps.
 */
static int iterate(int max_ms)
{
    libxl_event *ev;

    switch (loop_mode) {
    case LOOP_POLL:
        return poll_iteration(max_ms);
    case LOOP_HOOKS:
        return hooks_iteration(max_ms);
    case LOOP_WAIT:
        if (!libxl_event_check(ctx, &ev, 0, NULL, NULL)) {
            /* nothing matches an empty mask */
            libxl_event_free(ctx, ev);
            fail("libxl_event_check returned an event for an empty mask");
            return ERROR_FAIL;
        }
        usleep((useconds_t)(max_ms < 10 ? max_ms : 10) * 1000);
        return 0;
    }
    return ERROR_FAIL;
}

/* The next event of a type in mask, or ERROR_TIMEDOUT at the deadline. */
static int next_event(libxl_event **ev, uint64_t mask, const char *what)
{
    int rc;

    if (loop_mode == LOOP_WAIT) {
        /* libxl_event_wait has no timeout: the alarm set in main bounds
         * the run */
        rc = libxl_event_wait(ctx, ev, mask, NULL, NULL);
        if (rc)
            fail("libxl_event_wait (%s): error %d", what, rc);
        return rc;
    }
    for (;;) {
        rc = libxl_event_check(ctx, ev, mask, NULL, NULL);
        if (!rc)
            return 0;
        if (rc != ERROR_NOT_READY) {
            fail("libxl_event_check (%s): error %d", what, rc);
            return rc;
        }
        if (!ms_left()) {
            fail("timed out waiting for %s", what);
            return ERROR_TIMEDOUT;
        }
        rc = iterate(ms_left() < 1000 ? ms_left() : 1000);
        if (rc)
            return rc;
    }
}

/*
 * Asynchronous operations: how() gives the ao_how for the mode, finish()
 * turns the call's return value into the operation's result.
 */
static libxl_asyncop_how ao_how;
static int cb_rc;
static bool cb_done;
static libxl_ev_user ao_cookie = 0x50f7;

static void ao_callback(libxl_ctx *c, int rc, void *for_callback)
{
    if (c != ctx || for_callback != &cb_done)
        fail("completion callback with a foreign ctx or for_callback");
    cb_rc = rc;
    cb_done = true;
}

static const libxl_asyncop_how *how(void)
{
    memset(&ao_how, 0, sizeof(ao_how));
    switch (ao_mode) {
    case AO_SYNC:
        return NULL;
    case AO_CALLBACK:
        cb_done = false;
        ao_how.callback = ao_callback;
        ao_how.u.for_callback = &cb_done;
        return &ao_how;
    case AO_EVENT:
        ao_how.u.for_event = ++ao_cookie;
        return &ao_how;
    }
    return NULL;
}

static int finish(int rc, const char *what)
{
    libxl_event *ev;

    if (ao_mode == AO_SYNC || rc)
        return rc;
    if (ao_mode == AO_CALLBACK) {
        /* one round even past the deadline: it may be pending */
        for (;;) {
            rc = iterate(ms_left() < 1000 ? ms_left() : 1000);
            if (rc)
                return rc;
            if (cb_done)
                break;
            if (!ms_left()) {
                fail("%s: timed out waiting for the completion callback",
                     what);
                return ERROR_TIMEDOUT;
            }
        }
        return cb_rc;
    }
    rc = next_event(&ev, EVMASK(LIBXL_EVENT_TYPE_OPERATION_COMPLETE),
                    what);
    if (rc)
        return rc;
    if (ev->for_user != ao_cookie) {
        fail("%s: OPERATION_COMPLETE for_user %#" PRIx64 ", expected %#"
             PRIx64, what, ev->for_user, ao_cookie);
        rc = ERROR_FAIL;
    } else {
        rc = ev->u.operation_complete.rc;
    }
    libxl_event_free(ctx, ev);
    return rc;
}

/*
 * Configuration.
 */
static void set_memory(libxl_domain_build_info *b, long mb, bool max_too)
{
    b->target_memkb = (uint64_t)mb * 1024;
    if (max_too)
        b->max_memkb = b->target_memkb;
}

static int set_vcpus(libxl_domain_build_info *b, long n)
{
    libxl_bitmap_dispose(&b->avail_vcpus);
    libxl_bitmap_init(&b->avail_vcpus);
    if (n < 1 || n > 128 || libxl_bitmap_alloc(ctx, &b->avail_vcpus, (int)n))
        return ERROR_INVAL;
    b->max_vcpus = (int)n;
    for (int i = 0; i < n; i++)
        libxl_bitmap_set(&b->avail_vcpus, i);
    return 0;
}

static void probe_config(libxl_domain_config *dc, const char *name,
                         const char *kernel, const char *cmdline)
{
    libxl_domain_build_info *b = &dc->b_info;

    dc->c_info.type = LIBXL_DOMAIN_TYPE_PVH;
    dc->c_info.name = strdup(name);
    libxl_domain_build_info_init_type(b, LIBXL_DOMAIN_TYPE_PVH);
    b->kernel = strdup(kernel);
    b->cmdline = strdup(cmdline);
    set_memory(b, 32, true);
    (void)set_vcpus(b, 1);
    dc->on_poweroff = LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
    dc->on_reboot = LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
    dc->on_crash = LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
    dc->on_soft_reset = LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET;
}

static int cfg_str(XLU_Config *x, const char *key, char **out)
{
    const char *s;

    if (xlu_cfg_get_string(x, key, &s, 0))
        return 0;
    free(*out);
    *out = strdup(s);
    return 1;
}

/* on_*: xl's spelling uses '-', libxl's enum names '_'. */
static int cfg_action(XLU_Config *x, const char *key,
                      libxl_action_on_shutdown *a)
{
    const char *s;
    char buf[64];

    if (xlu_cfg_get_string(x, key, &s, 0))
        return 0;
    snprintf(buf, sizeof(buf), "%s", s);
    for (char *p = buf; *p; p++)
        if (*p == '-')
            *p = '_';
    if (libxl_action_on_shutdown_from_string(buf, a)) {
        fail("%s: unknown action \"%s\"", key, s);
        return -1;
    }
    return 0;
}

/*
 * The settings a soft-resetting test guest needs: name, type, kernel,
 * ramdisk, cmdline, memory, maxmem, vcpus, on_poweroff/reboot/crash/
 * soft_reset, tsc_mode, disk; HVM: serial, vga, vnc.  Others are
 * ignored (libxlutil cannot list a file's settings).
 */
static int parse_config(libxl_domain_config *dc, const char *file,
                        char **overrides, int noverrides)
{
    libxl_domain_build_info *b = &dc->b_info;
    XLU_Config *x = xlu_cfg_init(stderr, file);
    XLU_ConfigList *list;
    const char *s;
    long l;
    int rc = ERROR_INVAL, n;

    if (!x) {
        fail("xlu_cfg_init failed");
        return ERROR_FAIL;
    }
    if (xlu_cfg_readfile(x, file)) {
        fail("%s: cannot read or parse it", file);
        goto out;
    }
    for (int i = 0; i < noverrides; i++) {
        if (xlu_cfg_readdata(x, overrides[i], (int)strlen(overrides[i]))) {
            fail("bad setting on the command line: %s", overrides[i]);
            goto out;
        }
    }

    dc->c_info.type = LIBXL_DOMAIN_TYPE_PVH;
    if (!xlu_cfg_get_string(x, "type", &s, 0) &&
        libxl_domain_type_from_string(s, &dc->c_info.type)) {
        fail("type: unknown domain type \"%s\"", s);
        goto out;
    }
    cfg_str(x, "name", &dc->c_info.name);
    libxl_domain_build_info_init_type(b, dc->c_info.type);
    cfg_str(x, "kernel", &b->kernel);
    cfg_str(x, "ramdisk", &b->ramdisk);
    cfg_str(x, "cmdline", &b->cmdline);
    if (!xlu_cfg_get_long(x, "memory", &l, 0))
        set_memory(b, l, true);
    if (!xlu_cfg_get_long(x, "maxmem", &l, 0))
        b->max_memkb = (uint64_t)l * 1024;
    if (!xlu_cfg_get_long(x, "vcpus", &l, 0) && set_vcpus(b, l)) {
        fail("vcpus: bad value %ld", l);
        goto out;
    }
    if (cfg_action(x, "on_poweroff", &dc->on_poweroff) ||
        cfg_action(x, "on_reboot", &dc->on_reboot) ||
        cfg_action(x, "on_crash", &dc->on_crash) ||
        cfg_action(x, "on_soft_reset", &dc->on_soft_reset))
        goto out;
    if (!xlu_cfg_get_string(x, "tsc_mode", &s, 0) &&
        libxl_tsc_mode_from_string(s, &b->tsc_mode)) {
        fail("tsc_mode: unknown mode \"%s\"", s);
        goto out;
    }
    if (!xlu_cfg_get_list(x, "disk", &list, &n, 0)) {
        dc->disks = calloc((size_t)n, sizeof(*dc->disks));
        if (n && !dc->disks)
            goto out;
        for (int i = 0; i < n; i++) {
            const char *spec = xlu_cfg_get_listitem(list, i);

            libxl_device_disk_init(&dc->disks[i]);
            dc->num_disks = i + 1;
            if (xlu_disk_parse(x, 1, &spec, &dc->disks[i])) {
                fail("disk: bad spec \"%s\"", spec);
                goto out;
            }
        }
    }
    if (dc->c_info.type == LIBXL_DOMAIN_TYPE_HVM) {
        cfg_str(x, "serial", &b->u.hvm.serial);
        if (!xlu_cfg_get_string(x, "vga", &s, 0) &&
            libxl_vga_interface_type_from_string(s, &b->u.hvm.vga.kind)) {
            fail("vga: unknown kind \"%s\"", s);
            goto out;
        }
        if (!xlu_cfg_get_long(x, "vnc", &l, 0))
            libxl_defbool_set(&b->u.hvm.vnc.enable, l != 0);
    }
    if (!dc->c_info.name) {
        fail("%s: no name", file);
        goto out;
    }
    rc = 0;
out:
    xlu_cfg_destroy(x);
    return rc;
}

/*
 * The checks around a soft reset.
 */
static const char *state_of(const libxl_dominfo *i)
{
    return i->dying ? "dying" : i->shutdown ? "shut down" :
           i->paused ? "paused" : "running";
}

/* After libxl_domain_soft_reset returned 0: paused, not shut down. */
static int check_paused(uint32_t domid)
{
    libxl_dominfo info;
    int rc;

    libxl_dominfo_init(&info);
    rc = libxl_domain_info(ctx, &info, domid);
    if (rc) {
        fail("libxl_domain_info(%u) after the soft reset: error %d",
             domid, rc);
    } else if (!info.paused || info.shutdown || info.dying) {
        fail("after the soft reset domain %u is %s (paused=%d shutdown=%d "
             "dying=%d); expected paused and not shut down", domid,
             state_of(&info), info.paused, info.shutdown, info.dying);
        rc = ERROR_FAIL;
    }
    libxl_dominfo_dispose(&info);
    return rc;
}

static int soft_reset(libxl_domain_config *given, uint32_t domid,
                      bool retrieved)
{
    libxl_domain_config r;
    int rc;

    if (!retrieved) {
        rc = libxl_domain_soft_reset(ctx, given, domid, how(), NULL);
        return finish(rc, "libxl_domain_soft_reset");
    }
    libxl_domain_config_init(&r);
    rc = libxl_retrieve_domain_configuration(ctx, domid, &r, how());
    rc = finish(rc, "libxl_retrieve_domain_configuration");
    if (rc) {
        fail("libxl_retrieve_domain_configuration(%u): error %d", domid, rc);
    } else if (!r.c_info.name || strcmp(r.c_info.name, given->c_info.name)) {
        fail("the retrieved configuration names \"%s\", not \"%s\"",
             r.c_info.name ? r.c_info.name : "", given->c_info.name);
        rc = ERROR_FAIL;
    } else {
        rc = libxl_domain_soft_reset(ctx, &r, domid, how(), NULL);
        rc = finish(rc, "libxl_domain_soft_reset");
    }
    libxl_domain_config_dispose(&r);
    return rc;
}

/* --refuse-running: the domain runs and has not asked for a reset. */
static int refuse_running(libxl_domain_config *dc, uint32_t domid)
{
    libxl_dominfo info;
    uint32_t none = 0x7fef;   /* the highest guest domid */
    int rc;

    sleep(1);
    libxl_dominfo_init(&info);
    rc = libxl_domain_info(ctx, &info, domid);
    if (rc || info.shutdown || info.dying || info.paused) {
        fail("before the refusal check domain %u is %s (error %d)",
             domid, rc ? "?" : state_of(&info), rc);
        libxl_dominfo_dispose(&info);
        return ERROR_FAIL;
    }
    libxl_dominfo_dispose(&info);

    rc = finish(libxl_domain_soft_reset(ctx, dc, domid, how(), NULL),
                "libxl_domain_soft_reset (running domain)");
    printf("refused running domid %u rc %d\n", domid, rc);
    if (rc != ERROR_INVAL) {
        fail("soft reset of the running domain %u: %d, expected "
             "ERROR_INVAL (%d)", domid, rc, ERROR_INVAL);
        return ERROR_FAIL;
    }
    libxl_dominfo_init(&info);
    rc = libxl_domain_info(ctx, &info, domid);
    if (rc || info.shutdown || info.dying || info.paused) {
        fail("after the refused soft reset domain %u is %s (error %d); "
             "expected running", domid, rc ? "?" : state_of(&info), rc);
        rc = ERROR_FAIL;
    }
    libxl_dominfo_dispose(&info);
    if (rc)
        return rc;

    while (libxl_domain_info(ctx, NULL, none) != ERROR_DOMAIN_NOTFOUND)
        none--;
    rc = finish(libxl_domain_soft_reset(ctx, dc, none, how(), NULL),
                "libxl_domain_soft_reset (no such domain)");
    printf("refused missing domid %u rc %d\n", none, rc);
    if (!rc) {
        fail("soft reset of domid %u, which does not exist, succeeded",
             none);
        return ERROR_FAIL;
    }
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: " PROGNAME " [--config-source given|retrieved] "
            "[--ao sync|callback|event]\n  [--loop wait|poll|hooks] "
            "[--resets N] [--timeout SECS] [--name NAME]\n  "
            "[--refuse-running] (--probe KERNEL [--count N] [--cmdline STR]"
            " | CONFIG [KEY=VALUE...])\n");
    return 2;
}

static void on_alarm(int sig)
{
    static const char msg[] = PROGNAME ": timed out (--timeout) in "
                              "libxl_event_wait; the domain is left\n";

    (void)!write(2, msg, sizeof(msg) - 1);
    _exit(1);
}

static void print_created(uint32_t domid, long ms)
{
    libxl_dominfo info;

    libxl_dominfo_init(&info);
    if (!libxl_domain_info(ctx, &info, domid))
        printf("created domid %u uuid " LIBXL_UUID_FMT " in %ld ms\n",
               domid, LIBXL_UUID_BYTES(info.uuid), ms);
    else
        printf("created domid %u uuid ? in %ld ms\n", domid, ms);
    libxl_dominfo_dispose(&info);
    fflush(stdout);
}

static int run(libxl_domain_config *dc, bool retrieved, int expected,
               bool refuse)
{
    libxl_evgen_domain_death *eg = NULL;
    struct timespec t0;
    uint32_t domid = INVALID_DOMID;
    int rc, resets = 0, result = 1;
    bool done = false;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = libxl_domain_create_new(ctx, dc, &domid, how(), NULL);
    rc = finish(rc, "libxl_domain_create_new");
    if (rc) {
        fail("libxl_domain_create_new: error %d", rc);
        return 1;
    }
    print_created(domid, ms_since(&t0));
    rc = libxl_evenable_domain_death(ctx, domid, 0, &eg);
    if (rc) {
        fail("libxl_evenable_domain_death(%u): error %d", domid, rc);
        goto destroy;
    }
    rc = finish(libxl_domain_unpause(ctx, domid, how()),
                "libxl_domain_unpause");
    if (rc) {
        fail("libxl_domain_unpause(%u): error %d", domid, rc);
        goto destroy;
    }
    if (refuse && refuse_running(dc, domid))
        goto destroy;

    while (!done) {
        libxl_event *ev;
        struct timespec t1;
        long reset_ms;
        int reason;

        rc = next_event(&ev, EVMASK(LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN) |
                        EVMASK(LIBXL_EVENT_TYPE_DOMAIN_DEATH),
                        "the domain's next shutdown");
        if (rc)
            goto destroy;
        if (ev->domid != domid) {
            fail("event for domid %u, expected %u: the domid changed",
                 ev->domid, domid);
            libxl_event_free(ctx, ev);
            goto destroy;
        }
        if (ev->type == LIBXL_EVENT_TYPE_DOMAIN_DEATH) {
            fail("domain %u died after %d reset(s) without powering off",
                 domid, resets);
            libxl_event_free(ctx, ev);
            goto out;
        }
        reason = ev->u.domain_shutdown.shutdown_reason;
        libxl_event_free(ctx, ev);
        if (reason == LIBXL_SHUTDOWN_REASON_POWEROFF) {
            printf("poweroff domid %u resets %d\n", domid, resets);
            done = true;
            break;
        }
        if (reason != LIBXL_SHUTDOWN_REASON_SOFT_RESET) {
            fail("domain %u shut down with reason %s after %d reset(s)",
                 domid, libxl_shutdown_reason_to_string(reason) ?: "?",
                 resets);
            goto destroy;
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        rc = soft_reset(dc, domid, retrieved);
        reset_ms = ms_since(&t1);
        if (rc) {
            fail("reset %d: libxl_domain_soft_reset(%u): error %d after "
                 "%ld ms", resets + 1, domid, rc, reset_ms);
            goto destroy;
        }
        if (check_paused(domid))
            goto destroy;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        rc = finish(libxl_domain_unpause(ctx, domid, how()),
                    "libxl_domain_unpause");
        if (rc) {
            fail("reset %d: libxl_domain_unpause(%u): error %d",
                 resets + 1, domid, rc);
            goto destroy;
        }
        resets++;
        printf("reset %d domid %u soft_reset %ld ms unpause %ld ms\n",
               resets, domid, reset_ms, ms_since(&t1));
        fflush(stdout);
    }
    if (resets != expected)
        fail("%d soft reset(s), expected %d", resets, expected);
    else
        result = 0;

destroy:
    /* the destroy gets a minute of its own even after a timeout */
    if (ms_left() < 60000) {
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        deadline.tv_sec += 60;
        if (loop_mode == LOOP_WAIT)
            alarm(60);
    }
    rc = finish(libxl_domain_destroy(ctx, domid, how()),
                "libxl_domain_destroy");
    if (rc) {
        fail("libxl_domain_destroy(%u): error %d", domid, rc);
        result = 1;
    } else {
        printf("destroyed domid %u\n", domid);
    }
out:
    if (eg)
        libxl_evdisable_domain_death(ctx, eg);
    return result;
}

int main(int argc, char **argv)
{
    const char *lvl = getenv("SOFTRESET_CLIENT_LOGLEVEL");
    const char *probe = NULL, *cmdline = NULL, *name = "sr-client";
    xentoollog_logger_stdiostream *lg;
    libxl_domain_config dc;
    char count_cl[32];
    int count = 5, expected = -1, timeout = 120, i, rc, result;
    bool retrieved = false, refuse = false;

    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (!strcmp(o, "--refuse-running")) {
            refuse = true;
            continue;
        }
        if (!v)
            return usage();
        i++;
        if (!strcmp(o, "--probe")) {
            probe = v;
        } else if (!strcmp(o, "--count")) {
            count = atoi(v);
        } else if (!strcmp(o, "--cmdline")) {
            cmdline = v;
        } else if (!strcmp(o, "--name")) {
            name = v;
        } else if (!strcmp(o, "--resets")) {
            expected = atoi(v);
        } else if (!strcmp(o, "--timeout")) {
            timeout = atoi(v);
        } else if (!strcmp(o, "--config-source")) {
            if (strcmp(v, "given") && strcmp(v, "retrieved"))
                return usage();
            retrieved = !strcmp(v, "retrieved");
        } else if (!strcmp(o, "--ao")) {
            if (!strcmp(v, "sync"))
                ao_mode = AO_SYNC;
            else if (!strcmp(v, "callback"))
                ao_mode = AO_CALLBACK;
            else if (!strcmp(v, "event"))
                ao_mode = AO_EVENT;
            else
                return usage();
        } else if (!strcmp(o, "--loop")) {
            if (!strcmp(v, "wait"))
                loop_mode = LOOP_WAIT;
            else if (!strcmp(v, "poll"))
                loop_mode = LOOP_POLL;
            else if (!strcmp(v, "hooks"))
                loop_mode = LOOP_HOOKS;
            else
                return usage();
        } else {
            return usage();
        }
    }
    if (!probe == !(i < argc) || timeout <= 0)
        return usage();
    if (expected < 0)
        expected = count;

    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += timeout;
    if (loop_mode == LOOP_WAIT) {
        signal(SIGALRM, on_alarm);
        alarm((unsigned)timeout);
    }

    lg = xtl_createlogger_stdiostream(stderr,
                                      lvl ? (xentoollog_level)atoi(lvl)
                                          : XTL_WARN, 0);
    rc = libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0, (xentoollog_logger *)lg);
    if (rc) {
        fail("libxl_ctx_alloc: error %d", rc);
        return 1;
    }
    if (loop_mode == LOOP_HOOKS)
        libxl_osevent_register_hooks(ctx, &hooks, NULL);

    libxl_domain_config_init(&dc);
    if (probe) {
        snprintf(count_cl, sizeof(count_cl), "count=%d", count);
        probe_config(&dc, name, probe, cmdline ? cmdline : count_cl);
        rc = 0;
    } else {
        rc = parse_config(&dc, argv[i], argv + i + 1, argc - i - 1);
    }
    result = rc ? 1 : run(&dc, retrieved, expected, refuse);

    libxl_domain_config_dispose(&dc);
    libxl_ctx_free(ctx);
    xtl_logger_destroy((xentoollog_logger *)lg);
    return result;
}
