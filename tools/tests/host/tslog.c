/*
 * tslog: time-stamps log lines with dom0's clock.
 *
 *   tslog FILE OUT   follow FILE (which may not exist yet, may be
 *                    truncated or replaced, as QEMU does to a serial log
 *                    at each soft reset) and append each complete line to
 *                    OUT as "SECONDS.MILLIS LINE"
 *   tslog - OUT      the same for standard input, until end of file
 *   tslog --now      print the time now as "SECONDS.MILLIS" (dom0's
 *                    busybox date has no sub-second format)
 *
 * Following stops on SIGTERM/SIGINT after a last read. Lines are cut at
 * 4 KiB. Stamps are CLOCK_REALTIME, read when the line is seen, so their
 * resolution is the 50 ms poll interval when following a file.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define POLL_NS 50000000L
#define LINE_MAX_LEN 4096

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

struct liner {
    char buf[LINE_MAX_LEN];
    size_t len;
    FILE *out;
};

static void emit(struct liner *l)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    fprintf(l->out, "%lld.%03ld %.*s\n", (long long)ts.tv_sec,
            ts.tv_nsec / 1000000, (int)l->len, l->buf);
    fflush(l->out);
    l->len = 0;
}

static void feed(struct liner *l, const char *data, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        char c = data[i];

        if (c == '\n') {
            emit(l);
        } else if (c != '\r' && c != '\0') {
            if (l->len == sizeof(l->buf))
                emit(l);
            l->buf[l->len++] = c;
        }
    }
}

static int follow_stdin(struct liner *l)
{
    char data[4096];
    ssize_t n;

    while ((n = read(0, data, sizeof(data))) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            perror("tslog: read");
            return 1;
        }
        feed(l, data, (size_t)n);
    }
    if (l->len)
        emit(l);
    return 0;
}

static int follow_file(const char *path, struct liner *l)
{
    const struct timespec pause = { 0, POLL_NS };
    int fd = -1, last_round = 0;
    ino_t ino = 0;
    off_t off = 0;
    char data[4096];

    for (;;) {
        struct stat st;

        if (stopping)
            last_round = 1;
        /* (Re)open when the file appears or is replaced. */
        if (stat(path, &st) == 0 && (fd < 0 || st.st_ino != ino)) {
            if (fd >= 0)
                close(fd);
            fd = open(path, O_RDONLY | O_CLOEXEC);
            ino = st.st_ino;
            off = 0;
        }
        if (fd >= 0) {
            ssize_t n;

            if (fstat(fd, &st) == 0 && st.st_size < off) {
                /* Truncated: what follows is new output. */
                off = 0;
                if (l->len)
                    emit(l);
            }
            while ((n = pread(fd, data, sizeof(data), off)) > 0) {
                feed(l, data, (size_t)n);
                off += n;
            }
        }
        if (last_round)
            break;
        nanosleep(&pause, NULL);
    }
    if (l->len)
        emit(l);
    if (fd >= 0)
        close(fd);
    return 0;
}

int main(int argc, char **argv)
{
    static struct liner l;
    struct sigaction sa;

    if (argc == 2 && !strcmp(argv[1], "--now")) {
        struct timespec ts;

        clock_gettime(CLOCK_REALTIME, &ts);
        printf("%lld.%03ld\n", (long long)ts.tv_sec, ts.tv_nsec / 1000000);
        return 0;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: tslog FILE|- OUT | tslog --now\n");
        return 2;
    }
    l.out = fopen(argv[2], "a");
    if (!l.out) {
        fprintf(stderr, "tslog: cannot open %s: %s\n", argv[2],
                strerror(errno));
        return 1;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    if (!strcmp(argv[1], "-"))
        return follow_stdin(&l);
    return follow_file(argv[1], &l);
}
