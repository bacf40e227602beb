/*
 * xl: creating a domain for real, and the monitor that stays with it.
 */
#ifndef XL_CREATE_MONITOR_H
#define XL_CREATE_MONITOR_H

#include <stdbool.h>

#include <libxl.h>

struct xl_create_opts {
    bool paused;      /* -p: leave it paused (first boot only) */
    bool monitor;     /* not -e: apply the on_* actions */
    bool daemonize;   /* not -F: the monitor goes to the background */
    bool console;     /* -c: attach the console (first boot only) */
    /* The soft reset storm guard (xl.cfg): at most soft_reset_limit
     * resets in soft_reset_window s, then on_soft_reset_limit; 0: none. */
    unsigned int soft_reset_limit;
    unsigned int soft_reset_window;
    libxl_action_on_shutdown on_soft_reset_limit;
};

/*
 * Creates the domain d_config describes (the ctx exists), unpauses it
 * unless paused, and then, as the options say, attaches the console
 * and monitors the domain. Returns an exit status in the process that
 * gave the command; a daemonized monitor never returns.
 */
int xl_create_run(const struct xl_create_opts *o,
                  libxl_domain_config *d_config);

#endif /* XL_CREATE_MONITOR_H */
