/*
 * libxl-runtime-check: drives our libxl's runtime API on a real Xen dom0,
 * one subcommand per call, for run.sh:
 *
 *   list                      every domain: "domid name type state"
 *   info DOMID                one domain, or exit 3 if there is none
 *   watch DOMID SECS          enables the death generator and prints each
 *                             event ("SHUTDOWN <reason>", "DEATH") until
 *                             DEATH or SECS pass, through a poll loop of
 *                             our own (libxl_osevent_beforepoll/afterpoll)
 *   wait DOMID SECS           the same through libxl_event_wait, stopped
 *                             by an alarm
 *   pause|unpause|destroy DOMID
 *   destroy-async DOMID       destroy with an ao_how callback: prints
 *                             "completed rc=N" when it is delivered
 *   rename DOMID OLD NEW      (OLD "-" for any)
 *   config DOMID              libxl_retrieve_domain_configuration's name
 *   start DOMID               libxl_vm_get_start_time
 *   sched                     libxl_get_scheduler, by name
 *
 * Every line of libxl's log (level >= LIBXL_CHECK_LOGLEVEL, default
 * warning) goes to stderr.  Exit status: 0, or the negated libxl error.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxl.h>
#include <libxl_utils.h>

static libxl_ctx *ctx;

static const char *state_of(const libxl_dominfo *d)
{
    if (d->dying)
        return "dying";
    if (d->shutdown)
        return "shutdown";
    if (d->paused)
        return "paused";
    if (d->running)
        return "running";
    if (d->blocked)
        return "blocked";
    return "-";
}

static int print_event(libxl_event *ev)
{
    int done = 0;

    switch (ev->type) {
    case LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN:
        printf("SHUTDOWN %s\n",
               libxl_shutdown_reason_to_string(
                   (int8_t)ev->u.domain_shutdown.shutdown_reason) ?: "?");
        break;
    case LIBXL_EVENT_TYPE_DOMAIN_DEATH:
        printf("DEATH\n");
        done = 1;
        break;
    default:
        printf("EVENT %d\n", (int)ev->type);
    }
    fflush(stdout);
    libxl_event_free(ctx, ev);
    return done;
}

static int watch(uint32_t domid, int secs)
{
    libxl_evgen_domain_death *eg;
    time_t end = time(NULL) + secs;
    int rc;

    rc = libxl_evenable_domain_death(ctx, domid, 0, &eg);
    if (rc)
        return rc;
    printf("WATCHING %u\n", domid);
    fflush(stdout);
    for (;;) {
        struct pollfd fds[8];
        int nfds = 8, timeout = 1000, done = 0;
        struct timeval now;
        libxl_event *ev;

        while (!libxl_event_check(ctx, &ev, LIBXL_EVENTMASK_ALL, NULL,
                                  NULL))
            done |= print_event(ev);
        if (done)
            break;
        if (time(NULL) >= end) {
            printf("TIMEOUT\n");
            rc = ERROR_TIMEDOUT;
            break;
        }
        gettimeofday(&now, NULL);
        rc = libxl_osevent_beforepoll(ctx, &nfds, fds, &timeout, now);
        if (rc)
            break;
        if (poll(fds, (nfds_t)nfds, timeout) < 0 && errno != EINTR) {
            rc = ERROR_FAIL;
            break;
        }
        gettimeofday(&now, NULL);
        libxl_osevent_afterpoll(ctx, nfds, fds, now);
    }
    libxl_evdisable_domain_death(ctx, eg);
    return rc;
}

static void on_alarm(int sig)
{
    static const char msg[] = "TIMEOUT\n";

    (void)!write(1, msg, sizeof(msg) - 1);
    _exit(124);
}

static int wait_events(uint32_t domid, int secs)
{
    libxl_evgen_domain_death *eg;
    int rc = libxl_evenable_domain_death(ctx, domid, 0, &eg);

    if (rc)
        return rc;
    printf("WATCHING %u\n", domid);
    fflush(stdout);
    signal(SIGALRM, on_alarm);
    alarm((unsigned)secs);
    for (;;) {
        libxl_event *ev;
        rc = libxl_event_wait(ctx, &ev, LIBXL_EVENTMASK_ALL, NULL, NULL);
        if (rc || print_event(ev))
            break;
    }
    alarm(0);
    libxl_evdisable_domain_death(ctx, eg);
    return rc;
}

static int completed = -1000;

static void done_cb(libxl_ctx *c, int rc, void *arg)
{
    completed = rc;
}

static int destroy_async(uint32_t domid)
{
    libxl_asyncop_how how = { .callback = done_cb };
    libxl_event *ev;
    int rc = libxl_domain_destroy(ctx, domid, &how);

    if (rc)
        return rc;
    printf("returned, completed=%s\n", completed == -1000 ? "no" : "yes");
    (void)libxl_event_check(ctx, &ev, LIBXL_EVENTMASK_ALL, NULL, NULL);
    printf("completed rc=%d\n", completed);
    return completed;
}

static int usage(void)
{
    fprintf(stderr, "usage: libxl-runtime-check list | info DOMID | "
            "watch DOMID SECS | wait DOMID SECS | pause|unpause|destroy|"
            "destroy-async|config DOMID | rename DOMID OLD NEW\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *lvl = getenv("LIBXL_CHECK_LOGLEVEL");
    xentoollog_logger_stdiostream *lg;
    uint32_t domid = 0;
    int rc;

    if (argc < 2)
        return usage();
    lg = xtl_createlogger_stdiostream(stderr,
                                      lvl ? (xentoollog_level)atoi(lvl)
                                          : XTL_WARN, 0);
    rc = libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0, (xentoollog_logger *)lg);
    if (rc)
        return -rc;
    if (argc >= 3)
        domid = (uint32_t)strtoul(argv[2], NULL, 10);

    if (!strcmp(argv[1], "list")) {
        int n;
        libxl_dominfo *l = libxl_list_domain(ctx, &n);
        if (!l) {
            rc = ERROR_FAIL;
        } else {
            for (int i = 0; i < n; i++) {
                char *name = libxl_domid_to_name(ctx, l[i].domid);
                printf("%u %s %s %s\n", l[i].domid, name ? name : "-",
                       libxl_domain_type_to_string(l[i].domain_type),
                       state_of(&l[i]));
                free(name);
            }
            libxl_dominfo_list_free(l, n);
        }
    } else if (!strcmp(argv[1], "info") && argc == 3) {
        libxl_dominfo info;
        rc = libxl_domain_info(ctx, &info, domid);
        if (!rc) {
            char uuid[64];
            snprintf(uuid, sizeof(uuid), LIBXL_UUID_FMT,
                     LIBXL_UUID_BYTES(info.uuid));
            printf("domid=%u uuid=%s type=%s state=%s max_memkb=%llu "
                   "current_memkb=%llu vcpus=%u\n", info.domid, uuid,
                   libxl_domain_type_to_string(info.domain_type),
                   state_of(&info),
                   (unsigned long long)info.max_memkb,
                   (unsigned long long)info.current_memkb,
                   info.vcpu_online);
            libxl_dominfo_dispose(&info);
        } else if (rc == ERROR_DOMAIN_NOTFOUND) {
            printf("no domain %u\n", domid);
        }
    } else if (!strcmp(argv[1], "watch") && argc == 4) {
        rc = watch(domid, atoi(argv[3]));
    } else if (!strcmp(argv[1], "wait") && argc == 4) {
        rc = wait_events(domid, atoi(argv[3]));
    } else if (!strcmp(argv[1], "pause") && argc == 3) {
        rc = libxl_domain_pause(ctx, domid, NULL);
    } else if (!strcmp(argv[1], "unpause") && argc == 3) {
        rc = libxl_domain_unpause(ctx, domid, NULL);
    } else if (!strcmp(argv[1], "destroy") && argc == 3) {
        rc = libxl_domain_destroy(ctx, domid, NULL);
    } else if (!strcmp(argv[1], "destroy-async") && argc == 3) {
        rc = destroy_async(domid);
    } else if (!strcmp(argv[1], "rename") && argc == 5) {
        rc = libxl_domain_rename(ctx, domid,
                                 strcmp(argv[3], "-") ? argv[3] : NULL,
                                 argv[4]);
    } else if (!strcmp(argv[1], "config") && argc == 3) {
        libxl_domain_config cfg;
        libxl_domain_config_init(&cfg);
        rc = libxl_retrieve_domain_configuration(ctx, domid, &cfg, NULL);
        if (!rc)
            printf("name=%s\n", cfg.c_info.name ? cfg.c_info.name : "");
        libxl_domain_config_dispose(&cfg);
    } else if (!strcmp(argv[1], "start") && argc == 3) {
        uint32_t t = libxl_vm_get_start_time(ctx, domid);
        printf("%u\n", t);
        rc = t == (uint32_t)-1 ? ERROR_FAIL : 0;
    } else if (!strcmp(argv[1], "sched") && argc == 2) {
        rc = libxl_get_scheduler(ctx);
        if (rc >= 0) {
            printf("%s\n", libxl_scheduler_to_string(rc) ?: "?");
            rc = 0;
        }
    } else {
        rc = -usage();
    }
    libxl_ctx_free(ctx);
    xtl_logger_destroy((xentoollog_logger *)lg);
    return rc < 0 ? -rc : rc;
}
