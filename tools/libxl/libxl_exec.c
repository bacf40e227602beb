/*
 * libxl_exec.c: child processes with bounded waits (see libxl_exec.h).
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libxl_internal.h"
#include "libxl_exec.h"

#define OUTPUT_MAX (64 * 1024)

extern char **environ;

void libxl__exec_spec_init(libxl__exec_spec *spec, const char *const *argv)
{
    memset(spec, 0, sizeof(*spec));
    spec->argv = argv;
    spec->stdin_fd = spec->stdout_fd = spec->stderr_fd = -1;
}

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds left until deadline (-1: none) for poll(). */
static int left_ms(int64_t deadline)
{
    int64_t l;

    if (deadline < 0)
        return -1;
    l = deadline - now_ms();
    return l <= 0 ? 0 : l > INT_MAX ? INT_MAX : (int)l;
}

static int pidfd_open_(pid_t pid)
{
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    errno = ENOSYS;
    return -1;
#endif
}

/* The environment of the child, built before fork (no malloc after). */
static char **child_env(libxl__gc *gc, const char *const *env)
{
    size_t n = 0, m = 0, k = 0;
    char **out;

    for (char **e = environ; e && *e; e++)
        n++;
    for (const char *const *e = env; e && *e; e += 2)
        m++;
    out = libxl__calloc(gc, n + m + 1, sizeof(*out));
    for (char **e = environ; e && *e; e++) {
        bool replaced = false;
        for (const char *const *v = env; v && *v; v += 2) {
            size_t l = strlen(v[0]);
            if (!strncmp(*e, v[0], l) && (*e)[l] == '=')
                replaced = true;
        }
        if (!replaced)
            out[k++] = *e;
    }
    for (const char *const *v = env; v && *v; v += 2)
        if (v[1])
            out[k++] = GCSPRINTF("%s=%s", v[0], v[1]);
    out[k] = NULL;
    return out;
}

/* In the child, after fork: only async-signal-safe calls.  Reports a
 * failure's errno on errfd and exits. */
static void __attribute__((noreturn))
child_exec(const libxl__exec_spec *spec, char **envp, int errfd)
{
    int src[3] = { spec->stdin_fd, spec->stdout_fd, spec->stderr_fd };
    int null_fd, e;
    sigset_t all;

    null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null_fd < 0)
        goto fail;
    /* Lift the sources above the targets so dup2 cannot clobber one. */
    for (int i = 0; i < 3; i++) {
        src[i] = fcntl(src[i] >= 0 ? src[i] : null_fd, F_DUPFD_CLOEXEC, 10);
        if (src[i] < 0)
            goto fail;
    }
    errfd = fcntl(errfd, F_DUPFD_CLOEXEC, 10);
    if (errfd < 0)
        goto fail;
    for (int i = 0; i < 3; i++)
        if (dup2(src[i], i) < 0)
            goto fail;
    if (dup2(errfd, 3) < 0 || fcntl(3, F_SETFD, FD_CLOEXEC) < 0)
        goto fail;
    errfd = 3;
    /* Everything else goes; errfd closes itself on exec. */
    if (close_range(4, ~0U, 0) < 0) {
        long max = sysconf(_SC_OPEN_MAX);
        for (long fd = 4; fd < (max > 0 ? max : 1024); fd++)
            close((int)fd);
    }
    for (int sig = 1; sig < NSIG; sig++)
        signal(sig, SIG_DFL);
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    if (spec->new_session && setsid() < 0)
        goto fail;
    execvpe(spec->argv[0], (char *const *)spec->argv, envp);
fail:
    e = errno;
    if (write(errfd, &e, sizeof(e)) < 0) {
        /* nothing more to do */
    }
    _exit(127);
}

/* Reads the exec-failure errno written on fd, 0 if the exec worked. */
static int read_exec_errno(int fd)
{
    int e = 0;
    ssize_t r;

    do {
        r = read(fd, &e, sizeof(e));
    } while (r < 0 && errno == EINTR);
    return r == (ssize_t)sizeof(e) ? e : 0;
}

static int reap(libxl__gc *gc, pid_t pid, int *status_r)
{
    int status;
    pid_t r;

    do {
        r = waitpid(pid, &status, 0);
    } while (r < 0 && errno == EINTR);
    if (r < 0) {
        LOGE(ERROR, "waitpid %d failed", (int)pid);
        return ERROR_FAIL;
    }
    if (status_r)
        *status_r = status;
    return 0;
}

int libxl__exec_spawn(libxl__gc *gc, const libxl__exec_spec *spec,
                      pid_t *pid_r)
{
    char **envp = child_env(gc, spec->env);
    int errpipe[2], e;
    pid_t pid;

    if (!spec->argv || !spec->argv[0]) {
        LOG(ERROR, "no program to run");
        return ERROR_INVAL;
    }
    if (pipe2(errpipe, O_CLOEXEC)) {
        LOGE(ERROR, "pipe for %s failed", spec->argv[0]);
        return ERROR_FAIL;
    }
    pid = fork();
    if (pid < 0) {
        LOGE(ERROR, "fork for %s failed", spec->argv[0]);
        close(errpipe[0]);
        close(errpipe[1]);
        return ERROR_FAIL;
    }
    if (pid == 0)
        child_exec(spec, envp, errpipe[1]);
    close(errpipe[1]);
    e = read_exec_errno(errpipe[0]);
    close(errpipe[0]);
    if (e) {
        reap(gc, pid, NULL);
        LOGEV(ERROR, e, "cannot run %s", spec->argv[0]);
        return ERROR_FAIL;
    }
    *pid_r = pid;
    return 0;
}

/* Waits until pid (a child) has exited or deadline passes; 1 if it has
 * exited (not reaped), 0 on timeout. */
static int wait_exit(pid_t pid, int64_t deadline)
{
    int pfd = pidfd_open_(pid);

    if (pfd >= 0) {
        struct pollfd p = { .fd = pfd, .events = POLLIN };
        int r;
        do {
            r = poll(&p, 1, left_ms(deadline));
        } while (r < 0 && errno == EINTR);
        close(pfd);
        return r > 0;
    }
    /* No pidfd (old kernel): look every 10 ms. */
    for (;;) {
        siginfo_t si = { 0 };
        if (!waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) &&
            si.si_pid == pid)
            return 1;
        if (errno == ECHILD)
            return 1;
        if (deadline >= 0 && now_ms() >= deadline)
            return 0;
        nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
    }
}

int libxl__exec_wait(libxl__gc *gc, pid_t pid, const char *what,
                     int timeout_ms, int *status_r)
{
    int64_t deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;

    if (!wait_exit(pid, deadline)) {
        LOG(ERROR, "%s (pid %d) did not finish within %d ms: killed",
            what, (int)pid, timeout_ms);
        kill(pid, SIGKILL);
        reap(gc, pid, NULL);
        return ERROR_TIMEDOUT;
    }
    return reap(gc, pid, status_r);
}

static const char *describe_status(libxl__gc *gc, int status)
{
    if (WIFEXITED(status))
        return GCSPRINTF("exited with status %d", WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        return GCSPRINTF("died from signal %d (%s)", WTERMSIG(status),
                         strsignal(WTERMSIG(status)));
    return GCSPRINTF("ended with wait status %#x", status);
}

static bool has_exited(pid_t pid)
{
    siginfo_t si = { 0 };

    if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT))
        return errno == ECHILD;
    return si.si_pid == pid;
}

static void slurp(int fd, char *out, size_t *used)
{
    char buf[4096];
    ssize_t n;

    while ((n = read(fd, buf, sizeof(buf))) > 0) {
        size_t k = (size_t)n;
        if (k > OUTPUT_MAX - *used)
            k = OUTPUT_MAX - *used;
        memcpy(out + *used, buf, k);
        *used += k;
    }
}

int libxl__exec_run(libxl__gc *gc, const char *what,
                    const libxl__exec_spec *spec, int timeout_ms,
                    char **output_r)
{
    int64_t deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
    libxl__exec_spec s = *spec;
    char *out = libxl__zalloc(gc, OUTPUT_MAX + 1);
    size_t used = 0;
    int outpipe[2], pfd, status = 0, rc;
    pid_t pid;

    if (output_r)
        *output_r = NULL;
    if (pipe2(outpipe, O_CLOEXEC | O_NONBLOCK)) {
        LOGE(ERROR, "pipe for %s failed", what);
        return ERROR_FAIL;
    }
    s.stdout_fd = s.stderr_fd = outpipe[1];
    rc = libxl__exec_spawn(gc, &s, &pid);
    close(outpipe[1]);
    if (rc) {
        close(outpipe[0]);
        return rc;
    }
    pfd = pidfd_open_(pid);

    /* Collect output until the child exits (not until EOF: a grandchild
     * may keep the pipe open) or the deadline passes. */
    for (;;) {
        struct pollfd p[2] = {
            { .fd = outpipe[0], .events = POLLIN },
            { .fd = pfd, .events = POLLIN },
        };
        int t = left_ms(deadline), r;

        if (pfd < 0 && (t < 0 || t > 10))
            t = 10;             /* no pidfd: look for the exit often */
        r = poll(p, 2, t);
        if (r < 0 && errno != EINTR) {
            LOGE(ERROR, "poll waiting for %s failed", what);
            break;
        }
        if (r > 0 && p[0].revents) {
            size_t before = used;
            slurp(outpipe[0], out, &used);
            if (used == before && (p[0].revents & POLLHUP) &&
                !(p[0].revents & POLLIN)) {
                close(outpipe[0]);  /* EOF */
                outpipe[0] = -1;
            }
        }
        if (pfd >= 0 ? (r > 0 && (p[1].revents & POLLIN))
                     : has_exited(pid))
            break;
        if (deadline >= 0 && now_ms() >= deadline)
            break;
    }
    if (outpipe[0] >= 0) {
        slurp(outpipe[0], out, &used);
        close(outpipe[0]);
    }
    if (pfd >= 0)
        close(pfd);
    out[used] = '\0';
    if (output_r)
        *output_r = out;

    rc = libxl__exec_wait(gc, pid, what, left_ms(deadline), &status);
    if (rc)
        return rc;
    if (!WIFEXITED(status) || WEXITSTATUS(status)) {
        LOG(ERROR, "%s %s%s%s", what, describe_status(gc, status),
            used ? ": " : "", used ? out : "");
        return ERROR_FAIL;
    }
    return 0;
}

int libxl__exec_spawn_detached(libxl__gc *gc, const libxl__exec_spec *spec,
                               pid_t *pid_r)
{
    char **envp = child_env(gc, spec->env);
    libxl__exec_spec s = *spec;
    int p[2], e = 0, status;
    pid_t mid, daemon_pid = 0;
    ssize_t r;

    if (!spec->argv || !spec->argv[0]) {
        LOG(ERROR, "no program to run");
        return ERROR_INVAL;
    }
    s.new_session = false;          /* done in the intermediate */
    if (pipe2(p, O_CLOEXEC)) {
        LOGE(ERROR, "pipe for %s failed", spec->argv[0]);
        return ERROR_FAIL;
    }
    mid = fork();
    if (mid < 0) {
        LOGE(ERROR, "fork for %s failed", spec->argv[0]);
        close(p[0]);
        close(p[1]);
        return ERROR_FAIL;
    }
    if (mid == 0) {
        pid_t d;
        close(p[0]);
        if (setsid() < 0) {
            e = errno;
            d = -1;
            (void)!write(p[1], &d, sizeof(d));
            (void)!write(p[1], &e, sizeof(e));
            _exit(127);
        }
        d = fork();
        if (d == 0)
            child_exec(&s, envp, p[1]);
        (void)!write(p[1], &d, sizeof(d));
        if (d < 0) {
            e = errno;
            (void)!write(p[1], &e, sizeof(e));
        }
        _exit(0);
    }
    close(p[1]);
    do {
        r = read(p[0], &daemon_pid, sizeof(daemon_pid));
    } while (r < 0 && errno == EINTR);
    if (r == (ssize_t)sizeof(daemon_pid))
        e = read_exec_errno(p[0]);
    else
        e = EIO;
    close(p[0]);
    reap(gc, mid, &status);
    if (e || daemon_pid <= 0) {
        LOGEV(ERROR, e ? e : EIO, "cannot start %s", spec->argv[0]);
        return ERROR_FAIL;
    }
    *pid_r = daemon_pid;
    return 0;
}

/* pid has ended: reaped if ours, gone, or a zombie for its reaper. */
static bool proc_gone(pid_t pid)
{
    char path[64], buf[512], *p;
    ssize_t n;
    int fd;

    if (waitpid(pid, NULL, WNOHANG) == pid)
        return true;
    if (kill(pid, 0) && errno == ESRCH)
        return true;
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT;
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    p = strrchr(buf, ')');
    return p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X');
}

/* Waits until pid ended or deadline: true if it did. */
static bool wait_gone(int pfd, pid_t pid, int64_t deadline)
{
    if (pfd >= 0) {
        struct pollfd p = { .fd = pfd, .events = POLLIN };
        int r;
        do {
            r = poll(&p, 1, left_ms(deadline));
        } while (r < 0 && errno == EINTR);
        return r > 0;
    }
    for (;;) {                  /* no pidfd: look every 10 ms */
        if (proc_gone(pid))
            return true;
        if (deadline >= 0 && now_ms() >= deadline)
            return false;
        nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
    }
}

int libxl__exec_kill(libxl__gc *gc, pid_t pid, const char *what,
                     int timeout_ms)
{
    int pfd, sig = SIGTERM;

    if (pid <= 0) {
        LOG(ERROR, "bad pid %d for %s", (int)pid, what);
        return ERROR_INVAL;
    }
    pfd = pidfd_open_(pid);
    if (pfd < 0) {
        if (errno == ESRCH)
            return 0;
        if (errno != ENOSYS) {
            LOGE(ERROR, "cannot watch %s (pid %d)", what, (int)pid);
            return ERROR_FAIL;
        }
        if (proc_gone(pid))
            return 0;
    }
    for (int round = 0; round < 2; round++, sig = SIGKILL) {
        int64_t deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
        int r;

#ifdef SYS_pidfd_send_signal
        if (pfd >= 0)
            r = (int)syscall(SYS_pidfd_send_signal, pfd, sig, NULL, 0);
        else
#endif
            r = kill(pid, sig);
        if (r < 0 && errno != ESRCH) {
            LOGE(ERROR, "cannot signal %s (pid %d)", what, (int)pid);
            if (pfd >= 0)
                close(pfd);
            return ERROR_FAIL;
        }
        if (wait_gone(pfd, pid, deadline)) {
            if (pfd >= 0)
                close(pfd);
            /* Ours: reap it.  Not ours (ECHILD): its reaper does. */
            while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
                ;
            return 0;
        }
        if (sig == SIGTERM)
            LOG(WARN, "%s (pid %d) ignored SIGTERM for %d ms: SIGKILL",
                what, (int)pid, timeout_ms);
    }
    if (pfd >= 0)
        close(pfd);
    LOG(ERROR, "%s (pid %d) survived SIGKILL for %d ms", what, (int)pid,
        timeout_ms);
    return ERROR_TIMEDOUT;
}

int libxl__pidfile_write(libxl__gc *gc, const char *path, pid_t pid)
{
    char *tmp = GCSPRINTF("%s.tmp", path);
    char *s = GCSPRINTF("%d\n", (int)pid);
    size_t len = strlen(s);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

    if (fd < 0) {
        LOGE(ERROR, "cannot create %s", tmp);
        return ERROR_FAIL;
    }
    if (write(fd, s, len) != (ssize_t)len || close(fd)) {
        LOGE(ERROR, "cannot write %s", tmp);
        if (fd >= 0)
            close(fd);
        unlink(tmp);
        return ERROR_FAIL;
    }
    if (rename(tmp, path)) {
        LOGE(ERROR, "cannot rename %s to %s", tmp, path);
        unlink(tmp);
        return ERROR_FAIL;
    }
    return 0;
}

int libxl__pidfile_read(libxl__gc *gc, const char *path, pid_t *pid_r)
{
    char buf[32] = "", *end;
    long v;
    ssize_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        if (errno == ENOENT)
            return ERROR_NOTFOUND;
        LOGE(ERROR, "cannot open %s", path);
        return ERROR_FAIL;
    }
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0) {
        LOG(ERROR, "pid file %s is empty or unreadable", path);
        return ERROR_FAIL;
    }
    buf[n] = '\0';
    errno = 0;
    v = strtol(buf, &end, 10);
    if (errno || end == buf || (*end && *end != '\n') || v <= 0 ||
        v > INT_MAX) {
        LOG(ERROR, "pid file %s does not hold a pid: \"%s\"", path, buf);
        return ERROR_FAIL;
    }
    *pid_r = (pid_t)v;
    return 0;
}
