/*
 * libxl_exec.h: child processes (libxl_exec.c): hotplug scripts, the
 * device model, bootloaders.  Included by libxl_internal.h.
 *
 * The library reaps its own children by pid (waitpid(pid)); a caller
 * must not reap them with waitpid(-1) or ignore SIGCHLD.  Every wait is
 * bounded: on timeout the child is killed (SIGKILL) and reaped, so no
 * zombie or stray process is left.
 *
 * In the child: stdin is /dev/null unless stdin_fd >= 0; stdout and
 * stderr go to stdout_fd / stderr_fd when >= 0, else to /dev/null;
 * every other fd is closed; env's NAME, VALUE pairs are set (a NULL
 * value unsets NAME); the default signal dispositions and an empty
 * signal mask are restored.  A failed exec is reported to the caller as
 * an error naming argv[0] (not as a child exit status).
 */
#ifndef LIBXL_EXEC_H
#define LIBXL_EXEC_H

#include "libxl_internal.h"

#include <sys/types.h>

typedef struct {
    const char *const *argv;     /* argv[0]: path (or name in $PATH) */
    const char *const *env;      /* NAME, VALUE, ..., NULL; may be NULL */
    int stdin_fd, stdout_fd, stderr_fd;   /* -1: /dev/null */
    bool new_session;            /* setsid() in the child */
} libxl__exec_spec;

/* A spec with no env and /dev/null for all three fds. */
void libxl__exec_spec_init(libxl__exec_spec *spec,
                           const char *const *argv);

/* Starts a child: its pid, or an ERROR_* (logged: e.g. exec failed). */
int libxl__exec_spawn(libxl__gc *gc, const libxl__exec_spec *spec,
                      pid_t *pid_r);

/* Waits up to timeout_ms (-1: forever) for child pid to exit; on
 * timeout kills it with SIGKILL, reaps it and returns ERROR_TIMEDOUT
 * (logged with what).  *status_r: the waitpid status (may be NULL). */
int libxl__exec_wait(libxl__gc *gc, pid_t pid, const char *what,
                     int timeout_ms, int *status_r);

/* Runs a command to completion with its stdout and stderr captured:
 * 0 if it exited 0; ERROR_FAIL if it exited otherwise or died from a
 * signal (logged with what, the status and the output); ERROR_TIMEDOUT.
 * *output_r (may be NULL): what it printed (gc; at most 64 KiB kept). */
int libxl__exec_run(libxl__gc *gc, const char *what,
                    const libxl__exec_spec *spec, int timeout_ms,
                    char **output_r);

/* Starts a daemon that outlives this process (the device model): it is
 * started through an intermediate child that exits at once, so it is
 * not our child, runs in its own session and is reparented to init.
 * *pid_r: the daemon's pid (to store in a pidfile or xenstore). */
int libxl__exec_spawn_detached(libxl__gc *gc, const libxl__exec_spec *spec,
                               pid_t *pid_r);

/* Stops process pid, our child or not: SIGTERM, then SIGKILL if it is
 * still there after timeout_ms; returns when it is gone (a child of
 * ours is reaped).  0 (also if it was already gone), ERROR_FAIL or
 * ERROR_TIMEDOUT if even SIGKILL did not end it within timeout_ms. */
int libxl__exec_kill(libxl__gc *gc, pid_t pid, const char *what,
                     int timeout_ms);

/* Writes "<pid>\n" to path (0600, replaced atomically). */
int libxl__pidfile_write(libxl__gc *gc, const char *path, pid_t pid);
/* The pid in path: 0, ERROR_NOTFOUND if no file, ERROR_FAIL (logged). */
int libxl__pidfile_read(libxl__gc *gc, const char *path, pid_t *pid_r);

#endif /* LIBXL_EXEC_H */
