/*
 * xl: the console client, shared by `xl console` and `xl create -c`.
 */
#ifndef XL_CONSOLE_H
#define XL_CONSOLE_H

#include <stdint.h>

#include <libxl.h>

/* Ctrl-], as upstream's xenconsole. */
#define XL_CONSOLE_ESCAPE 0x1d

/* "^]" or one character -> the byte; -1 if s is neither. */
int xl_console_parse_escape(const char *s);

/* The pty path of the console (as xl_console_open), quietly: 0 or an
 * ERROR_* (none yet). */
int xl_console_get_tty(uint32_t domid, libxl_console_type type, int num,
                       char **path_r);

/*
 * Opens the pty of the domain's console (type UNKNOWN: its primary
 * console, the serial port for HVM, PV console 0 otherwise). Returns
 * the fd, or -1 after saying why. *path_r (if not NULL) gets the path.
 */
int xl_console_open(uint32_t domid, libxl_console_type type, int num,
                    char **path_r);

/*
 * Copies the console to stdout and stdin to the console until the
 * escape byte is typed on a terminal or the console closes. After the
 * end of stdin the output is still shown. Uses no libxl call (safe in a
 * forked child). Returns an exit status.
 */
int xl_console_loop(int fd, int escape);

#endif /* XL_CONSOLE_H */
