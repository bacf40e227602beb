/*
 * domshutdown DOMID REASON: shuts a domain down from dom0 with the
 * reason its guest would give (Xen's SCHEDOP_remote_shutdown): poweroff,
 * reboot, suspend, crash, watchdog or soft_reset, or Xen's number for
 * one (0-5).  For tests of a toolstack's monitor that need a domain to
 * ask for something at a moment of the test's choosing, whatever runs
 * in it (a paused HVM guest that never ran, say).  Exit 0 when Xen took
 * it, 1 on an error (said), 2 on bad arguments.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenctrl.h>
#include <xen/sched.h>

static const char *const reasons[] = {
    [SHUTDOWN_poweroff] = "poweroff", [SHUTDOWN_reboot] = "reboot",
    [SHUTDOWN_suspend] = "suspend",   [SHUTDOWN_crash] = "crash",
    [SHUTDOWN_watchdog] = "watchdog", [SHUTDOWN_soft_reset] = "soft_reset",
};

static int reason_of(const char *s)
{
    char *end;
    unsigned long n;

    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
        if (reasons[i] && !strcmp(s, reasons[i]))
            return (int)i;
    errno = 0;
    n = strtoul(s, &end, 10);
    if (!*s || *end || errno || n > SHUTDOWN_MAX)
        return -1;
    return (int)n;
}

int main(int argc, char **argv)
{
    xc_interface *xch;
    unsigned long domid;
    char *end;
    int reason, r;

    if (argc != 3) {
        fprintf(stderr, "usage: domshutdown DOMID REASON\n");
        return 2;
    }
    errno = 0;
    domid = strtoul(argv[1], &end, 10);
    if (!*argv[1] || *end || errno || domid >= DOMID_FIRST_RESERVED) {
        fprintf(stderr, "domshutdown: bad domid '%s'\n", argv[1]);
        return 2;
    }
    reason = reason_of(argv[2]);
    if (reason < 0) {
        fprintf(stderr, "domshutdown: bad reason '%s' (poweroff, reboot, "
                "suspend, crash, watchdog, soft_reset or 0-%d)\n", argv[2],
                SHUTDOWN_MAX);
        return 2;
    }
    xch = xc_interface_open(NULL, NULL, 0);
    if (!xch) {
        fprintf(stderr, "domshutdown: cannot open libxenctrl: %s\n",
                strerror(errno));
        return 1;
    }
    r = xc_domain_shutdown(xch, (uint32_t)domid, reason);
    if (r < 0)
        fprintf(stderr, "domshutdown: domain %lu, %s: %s\n", domid,
                argv[2], strerror(errno));
    xc_interface_close(xch);
    return r < 0 ? 1 : 0;
}
