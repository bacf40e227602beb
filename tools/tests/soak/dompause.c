/*
 * dompause DOMID pause|unpause|hold: Xen's own pause count of a domain,
 * one up or down (XEN_DOMCTL_pausedomain / unpausedomain), nothing else:
 * no device model is told, unlike `xl pause`.  hold: waits (polling
 * Xen every 2 ms, at most 600 s) until the domain is shut down, then
 * pauses it: while its toolstack handles the shutdown, a soft reset
 * say, which takes hundreds of ms; a shell loop that sees the monitor's
 * log line and starts `dompause pause` is too slow in an emulated dom0.  The soak holds its guest
 * so between a soft reset and the guest's next run: the toolstack's
 * unpause then leaves the domain paused until this one's.  Exit 0 when
 * Xen took it, 1 on an error (said), 2 on bad arguments.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xenctrl.h>

int main(int argc, char **argv)
{
    xc_interface *xch;
    unsigned long domid;
    char *end;
    int rc;

    if (argc != 3 || (strcmp(argv[2], "pause") && strcmp(argv[2], "unpause") &&
                      strcmp(argv[2], "hold"))) {
        fprintf(stderr, "usage: dompause DOMID pause|unpause|hold\n");
        return 2;
    }
    errno = 0;
    domid = strtoul(argv[1], &end, 10);
    if (!*argv[1] || *end || errno || domid >= 0x7ff0) {
        fprintf(stderr, "dompause: bad domid '%s'\n", argv[1]);
        return 2;
    }
    xch = xc_interface_open(NULL, NULL, 0);
    if (!xch) {
        fprintf(stderr, "dompause: cannot open libxenctrl: %s\n",
                strerror(errno));
        return 1;
    }
    if (!strcmp(argv[2], "hold")) {
        xc_dominfo_t info;
        struct timespec ts = { 0, 2000000 };
        long i;

        for (i = 0; i < 300000; i++) {
            if (xc_domain_getinfo(xch, (uint32_t)domid, 1, &info) != 1 ||
                info.domid != (uint32_t)domid) {
                fprintf(stderr, "dompause: no domain %lu\n", domid);
                xc_interface_close(xch);
                return 1;
            }
            if (info.shutdown)
                break;
            nanosleep(&ts, NULL);
        }
        if (!info.shutdown) {
            fprintf(stderr, "dompause: domain %lu not shut down in 600 s\n",
                    domid);
            xc_interface_close(xch);
            return 1;
        }
        rc = xc_domain_pause(xch, (uint32_t)domid);
        if (!rc)
            printf("%u\n", info.shutdown_reason);
    } else if (!strcmp(argv[2], "pause"))
        rc = xc_domain_pause(xch, (uint32_t)domid);
    else
        rc = xc_domain_unpause(xch, (uint32_t)domid);
    if (rc)
        fprintf(stderr, "dompause: %s of domain %lu: %s\n", argv[2], domid,
                strerror(errno));
    xc_interface_close(xch);
    return rc ? 1 : 0;
}
