/*
 * hold-lock.c: an LD_PRELOAD shim for the lock checks of run.sh.  When
 * the program it is loaded into (Debian's xl or ours) gets an exclusive
 * flock on a domain userdata lock file, the shim appends the file's
 * path to $HOLD_LOCK_MARK and keeps the lock $HOLD_LOCK_MS more
 * milliseconds before returning: a real toolstack operation that holds
 * the lock for as long as the check needs.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

int flock(int fd, int op);

int flock(int fd, int op)
{
    static int (*real)(int, int);
    char link[64], target[512];
    const char *mark = getenv("HOLD_LOCK_MARK");
    const char *ms = getenv("HOLD_LOCK_MS");
    ssize_t n;
    int r;

    if (!real)
        real = (int (*)(int, int))dlsym(RTLD_NEXT, "flock");
    r = real(fd, op);
    if (r || !(op & LOCK_EX))
        return r;
    snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
    n = readlink(link, target, sizeof(target) - 1);
    if (n <= 0)
        return r;
    target[n] = '\0';
    if (!strstr(target, ".domain-userdata-lock"))
        return r;
    if (mark) {
        FILE *f = fopen(mark, "a");
        if (f) {
            fprintf(f, "%s\n", target);
            fclose(f);
        }
    }
    if (ms) {
        long v = strtol(ms, NULL, 10);
        nanosleep(&(struct timespec){ .tv_sec = v / 1000,
                                      .tv_nsec = (v % 1000) * 1000000L },
                  NULL);
    }
    return r;
}
