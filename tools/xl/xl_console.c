/*
 * xl: console, the terminal connected to a domain's console.
 *
 * xenconsoled gives each console a pty in dom0 and writes its path in
 * xenstore (console/tty for the PV console, the device model's serial
 * port for HVM); libxl_console_get_tty reads it. xl opens the pty and
 * copies bytes both ways until the escape key (Ctrl-] as upstream's
 * xenconsole, or the one given with -e) is typed, or the console goes
 * away with its domain. Unlike upstream, no separate xenconsole program
 * is run.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <libxl.h>
#include <libxl_utils.h>

#include "xl.h"
#include "xl_console.h"
#include "xl_utils.h"


static struct termios saved_termios;
static bool termios_saved;

static void restore_terminal(void)
{
    if (termios_saved) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
        termios_saved = false;
    }
}

/* The user's terminal, raw: every key goes to the guest. */
static void raw_terminal(void)
{
    struct termios t;

    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_termios))
        return;
    termios_saved = true;
    t = saved_termios;
    cfmakeraw(&t);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &t);
}

static bool write_all(int fd, const char *buf, size_t len)
{
    while (len) {
        ssize_t w = write(fd, buf, len);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        buf += w;
        len -= (size_t)w;
    }
    return true;
}

int xl_console_parse_escape(const char *s)
{
    /* "^]" style (a control character), or one character. */
    if (s[0] == '^' && s[1] && !s[2]) {
        int c = s[1] >= 'a' && s[1] <= 'z' ? s[1] - 'a' + 'A' : s[1];

        if (c >= '@' && c <= '_')
            return c - '@';
        return -1;
    }
    if (s[0] && !s[1])
        return (unsigned char)s[0];
    return -1;
}

int xl_console_get_tty(uint32_t domid, libxl_console_type type, int num,
                       char **path_r)
{
    char *path = NULL;
    int rc;

    if (type == LIBXL_CONSOLE_TYPE_UNKNOWN) {
        rc = libxl_primary_console_get_tty(ctx, domid, &path);
    } else {
        rc = libxl_console_get_tty(ctx, domid, num, type, &path);
    }
    if (!rc && (!path || !*path))
        rc = ERROR_FAIL;
    if (rc) {
        free(path);
        return rc;
    }
    *path_r = path;
    return 0;
}

int xl_console_open(uint32_t domid, libxl_console_type type, int num,
                    char **path_r)
{
    char *path = NULL;
    int rc, fd;
    struct termios t;

    rc = xl_console_get_tty(domid, type, num, &path);
    if (rc) {
        xl_err("domain %u has no %s console %d (rc=%d)", domid,
               type == LIBXL_CONSOLE_TYPE_UNKNOWN
                   ? "primary" : libxl_console_type_to_string(type),
               num, rc);
        return -1;
    }
    fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        xl_err("cannot open the console of domain %u (%s): %s", domid, path,
               strerror(errno));
        free(path);
        return -1;
    }
    /* Our side of the pty passes bytes as they are (no echo, no line
     * editing), as xenconsole sets it. */
    if (!tcgetattr(fd, &t)) {
        cfmakeraw(&t);
        tcsetattr(fd, TCSANOW, &t);
    }
    if (path_r)
        *path_r = path;
    else
        free(path);
    return fd;
}

int xl_console_loop(int fd, int escape)
{
    bool interactive = isatty(STDIN_FILENO);
    bool stdin_open = true;
    char buf[4096];
    int rc = EXIT_SUCCESS;

    raw_terminal();
    for (;;) {
        struct pollfd p[2] = {
            {.fd = fd, .events = POLLIN},
            {.fd = stdin_open ? STDIN_FILENO : -1, .events = POLLIN},
        };
        ssize_t n;

        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            rc = EXIT_FAILURE;
            break;
        }
        if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            n = read(fd, buf, sizeof(buf));
            if (n < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            if (n <= 0)
                break; /* the console is gone (domain destroyed) */
            if (!write_all(STDOUT_FILENO, buf, (size_t)n))
                break;
        }
        if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            char *esc;

            n = read(STDIN_FILENO, buf, sizeof(buf));
            if (n < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            if (n <= 0) {
                /* No more input: keep showing the output. */
                stdin_open = false;
                continue;
            }
            esc = interactive ? memchr(buf, escape, (size_t)n) : NULL;
            if (!write_all(fd, buf, esc ? (size_t)(esc - buf) : (size_t)n))
                break;
            if (esc)
                break;
        }
    }
    restore_terminal();
    return rc;
}

int main_console(int argc, char **argv)
{
    libxl_console_type type = LIBXL_CONSOLE_TYPE_UNKNOWN;
    int opt, num = 0, fd, escape = XL_CONSOLE_ESCAPE;
    uint32_t domid;
    char *end;

    SWITCH_FOREACH_OPT(opt, "n:t:e:", NULL, "console", 1) {
    case 't':
        if (!strcmp(optarg, "pv")) {
            type = LIBXL_CONSOLE_TYPE_PV;
        } else if (!strcmp(optarg, "serial")) {
            type = LIBXL_CONSOLE_TYPE_SERIAL;
        } else if (!strcmp(optarg, "vuart")) {
            xl_err("console -t vuart: Arm's virtual UART is not available "
                   "on x86");
            return EXIT_FAILURE;
        } else {
            fprintf(stderr, "console type supported are: pv, serial, "
                    "vuart\n");
            return EXIT_FAILURE;
        }
        break;
    case 'n':
        errno = 0;
        num = (int)strtol(optarg, &end, 10);
        if (end == optarg || *end || errno || num < 0)
            xl_usage_error("console", "invalid console number '%s'",
                           optarg);
        break;
    case 'e':
        escape = xl_console_parse_escape(optarg);
        if (escape < 0)
            xl_usage_error("console", "invalid escape key '%s' (one "
                           "character, or ^X for Ctrl-X)", optarg);
        break;
    }
    if (num && type == LIBXL_CONSOLE_TYPE_UNKNOWN)
        type = LIBXL_CONSOLE_TYPE_PV;

    domid = find_domain(argv[optind]);
    fd = xl_console_open(domid, type, num, NULL);
    if (fd < 0) {
        fprintf(stderr, "Unable to attach console\n");
        return EXIT_FAILURE;
    }
    opt = xl_console_loop(fd, escape);
    close(fd);
    return opt;
}

