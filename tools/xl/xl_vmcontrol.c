/*
 * xl: acting on existing domains: pause, unpause, rename, destroy,
 * shutdown, reboot. Messages and exit statuses as upstream xl 4.17.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxl.h>
#include <libxl_utils.h>

#include "xl.h"
#include "xl_utils.h"


int main_pause(int argc, char **argv)
{
    int opt, rc;

    SWITCH_FOREACH_OPT(opt, "", NULL, "pause", 1) {
    }
    rc = libxl_domain_pause(ctx, find_domain(argv[optind]), NULL);
    if (rc) {
        xl_err("pause of %s failed (rc=%d)", argv[optind], rc);
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}

int main_unpause(int argc, char **argv)
{
    int opt, rc;

    SWITCH_FOREACH_OPT(opt, "", NULL, "unpause", 1) {
    }
    rc = libxl_domain_unpause(ctx, find_domain(argv[optind]), NULL);
    if (rc) {
        xl_err("unpause of %s failed (rc=%d)", argv[optind], rc);
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}

int main_rename(int argc, char **argv)
{
    uint32_t domid;
    int opt;

    SWITCH_FOREACH_OPT(opt, "", NULL, "rename", 2) {
    }
    if (argc - optind > 2)
        xl_usage_error("rename", "unexpected argument '%s'",
                       argv[optind + 2]);
    domid = find_domain(argv[optind]);
    if (libxl_domain_rename(ctx, domid, common_domname, argv[optind + 1])) {
        fprintf(stderr, "Can't rename domain '%s'.\n", argv[optind]);
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}

int main_destroy(int argc, char **argv)
{
    bool force = false;
    uint32_t domid;
    int opt, rc;

    SWITCH_FOREACH_OPT(opt, "f", NULL, "destroy", 1) {
    case 'f':
        force = true;
        break;
    }
    domid = find_domain(argv[optind]);
    if (domid == 0 && !force) {
        fprintf(stderr, "Not destroying domain 0; use -f to force.\n"
                "This can only be done when using a disaggregated "
                "hardware domain and toolstack.\n\n");
        return EXIT_FAILURE;
    }
    rc = libxl_domain_destroy(ctx, domid, NULL);
    if (rc) {
        fprintf(stderr, "destroy failed (rc=%d)\n", rc);
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}


/* Asks one domain; with deathw, also watches it. Exits on failure. */
static void ask_domain(uint32_t domid, bool reboot, bool fallback,
                       libxl_evgen_domain_death **deathw,
                       libxl_ev_user for_user)
{
    int rc;

    fprintf(stderr, "%s domain %u\n", reboot ? "Rebooting" : "Shutting down",
            domid);
    rc = reboot ? libxl_domain_reboot(ctx, domid, NULL)
                : libxl_domain_shutdown(ctx, domid, NULL);
    if (rc == ERROR_NOPARAVIRT) {
        if (fallback) {
            fprintf(stderr, "PV control interface not available: sending "
                    "ACPI %s event.\n", reboot ? "reset button"
                                               : "power button");
            rc = libxl_send_trigger(ctx, domid, reboot ? LIBXL_TRIGGER_RESET
                                                       : LIBXL_TRIGGER_POWER,
                                    0, NULL);
        } else {
            fprintf(stderr, "PV control interface not available: external "
                    "graceful %s not possible.\n",
                    reboot ? "reboot" : "shutdown");
            fprintf(stderr, "Use \"-F\" to fallback to ACPI %s event.\n",
                    reboot ? "reset" : "power");
        }
    }
    if (rc) {
        fprintf(stderr, "%s failed (rc=%d)\n", reboot ? "reboot" : "shutdown",
                rc);
        exit(EXIT_FAILURE);
    }
    if (deathw) {
        rc = libxl_evenable_domain_death(ctx, domid, for_user, deathw);
        if (rc) {
            fprintf(stderr, "wait for death failed (evgen, rc=%d)\n", rc);
            exit(EXIT_FAILURE);
        }
    }
}

/*
 * Waits until each of the n watched domains has shut down (or is gone),
 * or with until_gone until each is gone.
 */
static void wait_for(libxl_evgen_domain_death **deathws, int n,
                     bool until_gone)
{
    int left = n;

    fprintf(stderr, "Waiting for %d domains\n", n);
    while (left > 0) {
        libxl_event *ev;
        int rc = libxl_event_wait(ctx, &ev, LIBXL_EVENTMASK_ALL, NULL, NULL);
        bool done = false;

        if (rc) {
            fprintf(stderr, "Failed to get event, quitting (rc=%d)\n", rc);
            exit(EXIT_FAILURE);
        }
        switch (ev->type) {
        case LIBXL_EVENT_TYPE_DOMAIN_DEATH:
            fprintf(stderr, "Domain %u has been destroyed\n", ev->domid);
            done = true;
            break;
        case LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN:
            fprintf(stderr, "Domain %u has been shut down, reason code %d\n",
                    ev->domid, ev->u.domain_shutdown.shutdown_reason);
            if (until_gone)
                fprintf(stderr, "Domain %u continue waiting for death\n",
                        ev->domid);
            else
                done = true;
            break;
        default:
            fprintf(stderr, "Unexpected event type %d\n", (int)ev->type);
            break;
        }
        if (done && ev->for_user < (libxl_ev_user)n &&
            deathws[ev->for_user]) {
            libxl_evdisable_domain_death(ctx, deathws[ev->for_user]);
            deathws[ev->for_user] = NULL;
            left--;
        }
        libxl_event_free(ctx, ev);
    }
}

static int shutdown_or_reboot(bool reboot, int argc, char **argv)
{
    static const struct option opts[] = {
        {"all", 0, 0, 'a'},
        {"wait", 0, 0, 'w'},
        XL_COMMON_LONG_OPTS,
    };
    const char *what = reboot ? "reboot" : "shutdown";
    libxl_evgen_domain_death **deathws = NULL;
    bool all = false, fallback = false;
    int opt, wait = 0, nw = 0, i;

    SWITCH_FOREACH_OPT(opt, "awF", opts, what, 0) {
    case 'a':
        all = true;
        break;
    case 'w':
        wait++;
        break;
    case 'F':
        fallback = true;
        break;
    }
    if (!all && optind >= argc) {
        fprintf(stderr, "You must specify -a or a domain id.\n\n");
        return EXIT_FAILURE;
    }

    if (all) {
        libxl_dominfo *info;
        int n;

        info = libxl_list_domain(ctx, &n);
        if (!info) {
            xl_err("cannot list the domains");
            return EXIT_FAILURE;
        }
        if (wait)
            deathws = xcalloc((size_t)n, sizeof(*deathws));
        for (i = 0; i < n; i++) {
            if (info[i].domid == 0 || info[i].never_stop)
                continue;
            ask_domain(info[i].domid, reboot, fallback,
                       wait ? &deathws[nw] : NULL, (libxl_ev_user)nw);
            nw++;
        }
        libxl_dominfo_list_free(info, n);
    } else {
        uint32_t domid = find_domain(argv[optind]);

        if (wait)
            deathws = xcalloc(1, sizeof(*deathws));
        ask_domain(domid, reboot, fallback, wait ? &deathws[0] : NULL, 0);
        nw = 1;
    }
    if (wait)
        wait_for(deathws, nw, wait > 1);
    free(deathws);
    return EXIT_SUCCESS;
}

int main_shutdown(int argc, char **argv)
{
    return shutdown_or_reboot(false, argc, argv);
}

int main_reboot(int argc, char **argv)
{
    return shutdown_or_reboot(true, argc, argv);
}

