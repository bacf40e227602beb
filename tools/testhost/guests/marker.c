/*
 * marker TEXT...: prints one marker line, "TEXT... t=SECONDS.MILLIS"
 * (the guest's wall clock, which Xen keeps in step with the host's), on
 * standard output and on I/O port 0xE9. Xen prints what an HVM or PVH
 * guest writes to port 0xE9 on its own console as "(dN) ...": a marker
 * channel that no device model or console daemon can lose or truncate.
 * Without access to the port (no CAP_SYS_RAWIO, not x86) only standard
 * output gets the line.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/io.h>

#define DEBUGCON_PORT 0xe9

int main(int argc, char **argv)
{
    char line[1024];
    struct timespec ts;
    size_t len = 0;
    int i;

    for (i = 1; i < argc; i++) {
        int n = snprintf(line + len, sizeof(line) - len, "%s%s",
                         i > 1 ? " " : "", argv[i]);

        if (n < 0 || (size_t)n >= sizeof(line) - len) {
            fprintf(stderr, "marker: line too long\n");
            return 2;
        }
        len += (size_t)n;
    }
    clock_gettime(CLOCK_REALTIME, &ts);
    snprintf(line + len, sizeof(line) - len, "%st=%lld.%03ld\n",
             len ? " " : "", (long long)ts.tv_sec, ts.tv_nsec / 1000000);
    fputs(line, stdout);
    fflush(stdout);
    if (ioperm(DEBUGCON_PORT, 1, 1) == 0) {
        const char *s;

        for (s = line; *s; s++)
            outb((unsigned char)*s, DEBUGCON_PORT);
    }
    return 0;
}
