/*
 * xl: create for real, and the create monitor.
 *
 * After libxl_domain_create_new the domain is unpaused (unless -p), its
 * console attached (-c) and, unless -e, xl stays with it: in the
 * background (its log in /var/log/xen/xl-NAME.log) or, with -F, in the
 * foreground. The monitor waits for the domain's shutdown and carries
 * out the configured action, as xl_monitor_plan() decides, with
 * upstream xl's log lines. Unlike upstream it never sleeps before a
 * restart or a soft reset, logs each soft reset with its duration, and
 * a soft reset that fails leaves the domain in place, paused, instead of
 * destroying it (the monitor then waits for its destruction).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libxl.h>
#include <libxl_utils.h>

#include "xl.h"
#include "xl_console.h"
#include "xl_create_monitor.h"
#include "xl_create_monitor_plan.h"
#include "xl_utils.h"


#ifndef XEN_LOG_DIR
#define XEN_LOG_DIR "/var/log/xen"
#endif
#ifndef XEN_DUMP_DIR
#define XEN_DUMP_DIR "/var/lib/xen/dump"
#endif

/* How long -c waits for xenconsoled to give the console its pty. */
#define CONSOLE_WAIT_MS 10000

/* A line of the monitor's log (stderr: the log file once daemonized). */
static void mlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void mlog(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
}

/*
 * Opens XEN_LOG_DIR/NAME.log for appending, after moving older logs
 * along (NAME.log -> NAME.log.1 ... NAME.log.10), as upstream does.
 */
static int open_logfile(const char *name)
{
    char *from, *to;
    int i, fd;

    mkdir(XEN_LOG_DIR, 0755);
    for (i = 9; i >= 0; i--) {
        if (i)
            xasprintf(&from, XEN_LOG_DIR "/%s.log.%d", name, i);
        else
            xasprintf(&from, XEN_LOG_DIR "/%s.log", name);
        xasprintf(&to, XEN_LOG_DIR "/%s.log.%d", name, i + 1);
        if (rename(from, to) && errno != ENOENT)
            xl_err("cannot rotate %s: %s", from, strerror(errno));
        free(from);
        free(to);
    }
    xasprintf(&from, XEN_LOG_DIR "/%s.log", name);
    fd = open(from, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        xl_err("cannot open the log file %s: %s", from, strerror(errno));
    free(from);
    return fd;
}

/*
 * Puts the monitor in the background: returns true in the daemon
 * (stdin /dev/null, stdout and stderr to the log, a new session, a new
 * libxl ctx), false in the process that gave the command.
 */
static bool daemonize(const char *domname, int *status_r)
{
    char *name, ready;
    pid_t child;
    int logfd, nullfd, pfd[2];
    ssize_t r;

    xasprintf(&name, "xl-%s", domname);
    logfd = open_logfile(name);
    free(name);
    if (logfd < 0) {
        *status_r = EXIT_FAILURE;
        return false;
    }
    /* The daemon says it is set up through a pipe: its exit status is
     * not ours to collect (libxl may reap children it did not start). */
    if (pipe2(pfd, O_CLOEXEC)) {
        xl_err("cannot make a pipe: %s", strerror(errno));
        close(logfd);
        *status_r = EXIT_FAILURE;
        return false;
    }
    fflush(stdout);
    fflush(stderr);
    /* The ctx goes before the fork and the daemon takes its own: a
     * forked copy would carry libxenstore's reader thread's state
     * without the thread (memory nobody owns), and the command's
     * process needs no libxl from here on. */
    libxl_ctx_free(ctx);
    ctx = NULL;
    child = fork();
    if (child < 0) {
        xl_err("cannot fork the domain monitor: %s", strerror(errno));
        close(logfd);
        close(pfd[0]);
        close(pfd[1]);
        *status_r = EXIT_FAILURE;
        return false;
    }
    if (child) {
        close(logfd);
        close(pfd[1]);
        do
            r = read(pfd[0], &ready, 1);
        while (r < 0 && errno == EINTR);
        close(pfd[0]);
        waitpid(child, NULL, 0); /* the intermediate child, if ours */
        if (r != 1) {
            xl_err("the domain monitor did not start");
            *status_r = EXIT_FAILURE;
        } else {
            *status_r = EXIT_SUCCESS;
        }
        return false;
    }

    /* The intermediate child: a session of its own, then the daemon is
     * its child, reparented to init when it exits. */
    close(pfd[0]);
    if (setsid() < 0)
        _exit(EXIT_FAILURE);
    child = fork();
    if (child < 0)
        _exit(EXIT_FAILURE);
    if (child)
        _exit(EXIT_SUCCESS);

    nullfd = open("/dev/null", O_RDONLY);
    if (nullfd < 0 || dup2(nullfd, STDIN_FILENO) < 0 ||
        dup2(logfd, STDOUT_FILENO) < 0 || dup2(logfd, STDERR_FILENO) < 0)
        _exit(EXIT_FAILURE);
    close(nullfd);
    close(logfd);
    if (chdir("/"))
        _exit(EXIT_FAILURE);

    xl_ctx_alloc();
    ready = 1;
    if (write(pfd[1], &ready, 1) != 1)
        _exit(EXIT_FAILURE);
    close(pfd[1]);
    return true;
}

/*
 * Attaches the terminal to the new domain's primary console in a child
 * (which needs no libxl). xenconsoled creates the pty when it notices
 * the domain: wait for it, boundedly. Returns the child's pid or -1.
 */
static pid_t attach_console(uint32_t domid)
{
    struct timespec step = {0, 50 * 1000 * 1000};
    int waited = 0, fd;
    pid_t pid;

    for (;;) {
        char *path = NULL;

        if (!xl_console_get_tty(domid, LIBXL_CONSOLE_TYPE_UNKNOWN, 0,
                                &path)) {
            free(path);
            break;
        }
        free(path);
        if (waited >= CONSOLE_WAIT_MS) {
            xl_err("domain %u: its console did not appear in %d ms; not "
                   "attaching", domid, CONSOLE_WAIT_MS);
            return -1;
        }
        nanosleep(&step, NULL);
        waited += 50;
    }
    fd = xl_console_open(domid, LIBXL_CONSOLE_TYPE_UNKNOWN, 0, NULL);
    if (fd < 0)
        return -1;
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid < 0) {
        xl_err("cannot fork the console: %s", strerror(errno));
        close(fd);
        return -1;
    }
    if (!pid)
        _exit(xl_console_loop(fd, XL_CONSOLE_ESCAPE));
    close(fd);
    return pid;
}

static void wait_console(pid_t *pid)
{
    if (*pid > 0)
        while (waitpid(*pid, NULL, 0) < 0 && errno == EINTR)
            ;
    *pid = -1;
}

/* Replaces *d_config with the configuration stored with the domain. */
static int reload_config(uint32_t domid, libxl_domain_config *d_config)
{
    libxl_domain_config fresh;
    int rc;

    libxl_domain_config_init(&fresh);
    rc = libxl_retrieve_domain_configuration(ctx, domid, &fresh, NULL);
    if (rc) {
        mlog("failed to retrieve guest configuration (rc=%d). reusing old "
             "configuration", rc);
        libxl_domain_config_dispose(&fresh);
        return rc;
    }
    libxl_domain_config_dispose(d_config);
    *d_config = fresh;
    return 0;
}

static int do_coredump(uint32_t domid, const libxl_domain_config *d_config)
{
    char *file;
    int rc;

    xasprintf(&file, XEN_DUMP_DIR "/%s", d_config->c_info.name);
    mlog("dumping core to %s", file);
    rc = libxl_domain_core_dump(ctx, domid, file, NULL);
    if (rc)
        mlog("core dump failed (rc=%d).", rc);
    free(file);
    return rc;
}

/* rename-restart: the old domain keeps running under NAME-<time>. */
static int do_preserve(uint32_t domid, libxl_domain_config *d_config)
{
    char suffix[32], *newname;
    int rc;

    if (xl_monitor_preserve_suffix(time(NULL), suffix, sizeof(suffix))) {
        mlog("Failed to format time as a string");
        return ERROR_FAIL;
    }
    mlog("Preserving domain %u %s with suffix%s", domid,
         d_config->c_info.name, suffix);
    xasprintf(&newname, "%s%s", d_config->c_info.name, suffix);
    rc = libxl_domain_rename(ctx, domid, d_config->c_info.name, newname);
    free(newname);
    if (rc) {
        mlog("renaming domain %u failed (rc=%d)", domid, rc);
        return rc;
    }
    /* The preserved domain keeps its UUID (upstream's libxl gives it a
     * new one): the new domain takes a new one instead. */
    libxl_uuid_generate(&d_config->c_info.uuid);
    return 0;
}

/* When the monitor saw the shutdown it is acting on. */
static struct timespec shutdown_seen;

static long ms_between(const struct timespec *a, const struct timespec *b)
{
    return (b->tv_sec - a->tv_sec) * 1000 + (b->tv_nsec - a->tv_nsec) / 1000000;
}

/*
 * Soft reset (the guest kexecs or kdumps): libxl rebuilds everything
 * around the domain, which it leaves paused; the monitor unpauses it,
 * as upstream's does (also for a domain first created with -p).  No
 * sleep before it (upstream sleeps 2 s).  One line with the time from
 * the shutdown seen to the domain running again.
 */
static int do_soft_reset(uint32_t domid, libxl_domain_config *d_config)
{
    static unsigned int resets;
    struct timespec t_reset, t_unpause;
    int rc;

    mlog("Done. Rebooting now");
    rc = libxl_domain_soft_reset(ctx, d_config, domid, NULL, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t_reset);
    if (rc) {
        mlog("soft reset of domain %u failed (rc=%d): the domain is kept, "
             "paused; 'xl destroy %u' removes it", domid, rc, domid);
        return rc;
    }
    rc = libxl_domain_unpause(ctx, domid, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t_unpause);
    if (rc) {
        mlog("soft reset of domain %u done, but unpausing it failed (rc=%d):"
             " the domain is kept, paused", domid, rc);
        return rc;
    }
    resets++;
    mlog("Domain %u: soft reset %u done in %ld ms (rebuild %ld ms, unpause "
         "%ld ms)", domid, resets, ms_between(&shutdown_seen, &t_unpause),
         ms_between(&shutdown_seen, &t_reset),
         ms_between(&t_reset, &t_unpause));
    return 0;
}

/* OUT_DEAD: destroyed by someone else (upstream then exits without
 * "Done. Exiting now").  OUT_RESET: soft reset done, the same domain
 * goes on.  OUT_KEPT: the action failed and left the domain for the
 * administrator. */
enum outcome { OUT_WAIT, OUT_EXIT, OUT_DEAD, OUT_FAIL, OUT_RESTART,
               OUT_RESET, OUT_KEPT };

/* The soft reset storm guard of the domain being monitored (its limit
 * from xl_create_run's options; cleared for each new domain). */
static struct xl_soft_reset_guard guard;

/* Carries out what the plan says for this shutdown. */
static enum outcome handle_shutdown(uint32_t domid, int reason,
                                    libxl_domain_config *d_config)
{
    struct xl_monitor_plan plan;
    int i, rc;

    xl_monitor_plan(d_config, reason, &plan);
    if (plan.steps[0] == XL_STEP_WAIT) {
        mlog("Domain has suspended.");
        return OUT_WAIT;
    }
    if (plan.unknown_reason)
        mlog("Unknown shutdown reason code %d. Destroying domain.", reason);
    mlog("Action for shutdown reason code %d is %s", reason,
         xl_monitor_action_name(plan.action));
    if (plan.action == LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET &&
        !xl_soft_reset_guard_allow(&guard, shutdown_seen.tv_sec +
                                           shutdown_seen.tv_nsec / 1e9)) {
        mlog("Domain %u asked for more than %u soft resets within %u s "
             "(soft_reset_limit): on_soft_reset_limit is %s", domid,
             guard.limit, guard.window_s,
             xl_monitor_action_name(guard.action));
        memset(&plan, 0, sizeof(plan));
        xl_monitor_plan_action(guard.action, &plan);
    }

    for (i = 0; plan.steps[i] != XL_STEP_END; i++) {
        enum xl_monitor_step step = plan.steps[i];

        switch (step) {
        case XL_STEP_COREDUMP:
            rc = do_coredump(domid, d_config);
            break;
        case XL_STEP_RELOAD:
            rc = reload_config(domid, d_config);
            break;
        case XL_STEP_PRESERVE:
            rc = do_preserve(domid, d_config);
            break;
        case XL_STEP_DESTROY:
            mlog("Domain %u needs to be cleaned up: destroying the domain",
                 domid);
            rc = libxl_domain_destroy(ctx, domid, NULL);
            if (rc)
                mlog("destroying domain %u failed (rc=%d)", domid, rc);
            break;
        case XL_STEP_SOFT_RESET:
            rc = do_soft_reset(domid, d_config);
            if (!rc)
                return OUT_RESET;
            break;
        case XL_STEP_RESTART:
            return OUT_RESTART;
        case XL_STEP_EXIT:
            return OUT_EXIT;
        default:
            rc = 0;
            break;
        }
        if (rc && xl_monitor_on_failure(step) == XL_FAIL_KEEP) {
            mlog("%s of domain %u failed: the domain stays as it is; "
                 "waiting for it to be destroyed",
                 xl_monitor_step_name(step), domid);
            return OUT_KEPT;
        }
        if (rc && xl_monitor_on_failure(step) == XL_FAIL_STOP) {
            mlog("%s of domain %u failed: the monitor stops here",
                 xl_monitor_step_name(step), domid);
            return OUT_FAIL;
        }
    }
    return OUT_EXIT;
}

/*
 * Waits for the domain's shutdown or death and acts on it. Returns
 * OUT_EXIT, OUT_DEAD, OUT_FAIL, OUT_RESET (soft reset: monitor the same
 * domain again) or OUT_RESTART (d_config then describes the next
 * domain).  death_only: shutdowns are not acted on (a domain kept after
 * a failed action), only its destruction ends the wait.
 */
static enum outcome monitor(uint32_t domid, libxl_domain_config *d_config,
                            bool death_only)
{
    libxl_evgen_domain_death *deathw = NULL;
    enum outcome out = OUT_FAIL;
    libxl_event *ev;
    int rc;

    mlog("Waiting for domain %s (domid %u) to die [pid %ld]",
         d_config->c_info.name, domid, (long)getpid());
    rc = libxl_evenable_domain_death(ctx, domid, 0, &deathw);
    if (rc) {
        mlog("cannot watch domain %u (rc=%d)", domid, rc);
        return OUT_FAIL;
    }
    for (;;) {
        rc = libxl_event_wait(ctx, &ev, LIBXL_EVENTMASK_ALL, NULL, NULL);
        if (rc) {
            mlog("Domain %u, failed to get event, quitting (rc=%d)", domid,
                 rc);
            break;
        }
        if (ev->domid != domid) {
            mlog("ignoring an event for domain %u (expected %u)", ev->domid,
                 domid);
            libxl_event_free(ctx, ev);
            continue;
        }
        if (ev->type == LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN) {
            int reason = ev->u.domain_shutdown.shutdown_reason;

            libxl_event_free(ctx, ev);
            clock_gettime(CLOCK_MONOTONIC, &shutdown_seen);
            mlog("Domain %u has shut down, reason code %d 0x%x", domid,
                 reason, reason);
            if (death_only)
                continue;
            out = handle_shutdown(domid, reason, d_config);
            if (out == OUT_WAIT || out == OUT_KEPT) {
                death_only = death_only || out == OUT_KEPT;
                continue;
            }
            break;
        }
        if (ev->type == LIBXL_EVENT_TYPE_DOMAIN_DEATH) {
            mlog("Domain %u has been destroyed.", domid);
            libxl_event_free(ctx, ev);
            out = OUT_DEAD;
            break;
        }
        mlog("warning, got unexpected event type %d", (int)ev->type);
        libxl_event_free(ctx, ev);
    }
    libxl_evdisable_domain_death(ctx, deathw);
    /* Nothing left over for the next domain. */
    while (!libxl_event_check(ctx, &ev, LIBXL_EVENTMASK_ALL, NULL, NULL))
        libxl_event_free(ctx, ev);
    return out;
}

int xl_create_run(const struct xl_create_opts *o,
                  libxl_domain_config *d_config)
{
    bool first = true, daemonized = false;
    pid_t console = -1;
    enum outcome out;
    uint32_t domid;
    int rc;

    guard.limit = o->soft_reset_limit;
    guard.window_s = o->soft_reset_window;
    guard.action = o->on_soft_reset_limit;
    for (;;) {
        xl_soft_reset_guard_clear(&guard);
        domid = INVALID_DOMID;
        rc = libxl_domain_create_new(ctx, d_config, &domid, NULL, NULL);
        if (rc) {
            /* libxl has said which step failed and undone the others. */
            xl_err("cannot create domain %s (rc=%d)", d_config->c_info.name,
                   rc);
            return EXIT_FAILURE;
        }
        if (first && o->console) {
            console = attach_console(domid);
        }
        if (!first || !o->paused) {
            rc = libxl_domain_unpause(ctx, domid, NULL);
            if (rc) {
                xl_err("cannot unpause domain %u (rc=%d): destroying it",
                       domid, rc);
                libxl_domain_destroy(ctx, domid, NULL);
                wait_console(&console);
                return EXIT_FAILURE;
            }
        }
        if (first && !o->monitor) {
            wait_console(&console);
            return EXIT_SUCCESS;
        }
        if (first && o->daemonize) {
            int status;

            if (!daemonize(d_config->c_info.name, &status)) {
                wait_console(&console);
                return status;
            }
            daemonized = true;
            console = -1; /* the command's process waits for it */
        }
        first = false;

        /* A soft reset keeps the domain: its monitor starts over with a
         * new death watch (the old one reported the shutdown). */
        do
            out = monitor(domid, d_config, false);
        while (out == OUT_RESET);
        if (out != OUT_RESTART)
            break;
        /* No pause here: the old domain is gone (or renamed) already. */
        mlog("Done. Rebooting now");
    }
    if (out == OUT_EXIT)
        mlog("Done. Exiting now");
    wait_console(&console);
    rc = out == OUT_EXIT || out == OUT_DEAD ? EXIT_SUCCESS : EXIT_FAILURE;
    if (daemonized)
        exit(rc);
    return rc;
}

