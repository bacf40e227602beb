/*
 * libxl_qmp.c: a synchronous QMP client for the device model.
 *
 * QMP (QEMU's docs/interop/qmp-spec): on connection QEMU sends a
 * greeting {"QMP": {"version": ..., "capabilities": [...]}}; the client
 * must send "qmp_capabilities" before any other command.  Each message
 * is one JSON object on a line ending in "\r\n".  A command
 * {"execute": C, "arguments": A, "id": N} gets {"return": R, "id": N}
 * or {"error": {"class": K, "desc": D}, "id": N}; asynchronous events
 * {"event": E, ...} may come between them at any time and are skipped.
 *
 * Every wait is bounded (a deadline over the whole exchange); a peer
 * that stops answering gives ERROR_TIMEDOUT, one that sends something
 * that is not QMP gives ERROR_PROTOCOL_ERROR_QMP, both logged.
 */
#include "libxl_internal.h"
#include "libxl_dm.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* A message longer than this is not QMP from QEMU. */
#define QMP_MAX_MESSAGE (4 << 20)

struct libxl__qmp {
    libxl__gc *gc;
    uint32_t domid;
    int fd;
    int next_id;
    char *buf;                  /* received, not yet consumed */
    size_t used, room;
    int version[3];             /* QEMU's major, minor, micro */
};

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Milliseconds left before deadline (-1: none), at least 0. */
static int left_ms(long long deadline)
{
    long long l;

    if (deadline < 0)
        return -1;
    l = deadline - now_ms();
    return l < 0 ? 0 : l > INT_MAX ? INT_MAX : (int)l;
}

static long long deadline_of(int timeout_ms)
{
    return timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
}

/* Waits for events on the QMP fd: 0, ERROR_TIMEDOUT or ERROR_FAIL. */
static int qmp_poll(libxl__qmp *qmp, short events, long long deadline,
                    const char *what)
{
    libxl__gc *gc = qmp->gc;
    struct pollfd pfd = { .fd = qmp->fd, .events = events };
    int r;

    for (;;) {
        r = poll(&pfd, 1, left_ms(deadline));
        if (r > 0)
            return 0;
        if (r == 0) {
            LOGD(ERROR, qmp->domid, "QMP: no answer from the device model "
                 "while %s (timed out)", what);
            return ERROR_TIMEDOUT;
        }
        if (errno != EINTR) {
            LOGED(ERROR, qmp->domid, "QMP: poll failed while %s", what);
            return ERROR_FAIL;
        }
    }
}

/* Reads one message (a JSON object) into *msg_r (gc). */
static int qmp_read_message(libxl__qmp *qmp, long long deadline,
                            const char *what,
                            const libxl__json_object **msg_r)
{
    libxl__gc *gc = qmp->gc;
    int rc;

    for (;;) {
        char *nl = qmp->used ? memchr(qmp->buf, '\n', qmp->used) : NULL;

        if (nl) {
            size_t len = nl - qmp->buf;
            char *line = libxl__strndup(gc, qmp->buf, len);
            const libxl__json_object *o;

            memmove(qmp->buf, nl + 1, qmp->used - len - 1);
            qmp->used -= len + 1;
            if (len && line[len - 1] == '\r')
                line[--len] = 0;
            if (!len)
                continue;
            o = memchr(line, 0, len) ? NULL : libxl__json_parse(gc, line);
            if (!libxl__json_object_is_map(o)) {
                LOGD(ERROR, qmp->domid, "QMP: the device model sent "
                     "something that is not a QMP message while %s: "
                     "'%.80s'", what, line);
                return ERROR_PROTOCOL_ERROR_QMP;
            }
            *msg_r = o;
            return 0;
        }
        if (qmp->used >= QMP_MAX_MESSAGE) {
            LOGD(ERROR, qmp->domid, "QMP: message longer than %d bytes "
                 "while %s", QMP_MAX_MESSAGE, what);
            return ERROR_PROTOCOL_ERROR_QMP;
        }
        if (qmp->room - qmp->used < 4096) {
            qmp->room = qmp->room * 2 + 4096;
            qmp->buf = libxl__realloc(gc, qmp->buf, qmp->room);
        }
        rc = qmp_poll(qmp, POLLIN, deadline, what);
        if (rc)
            return rc;
        ssize_t r = read(qmp->fd, qmp->buf + qmp->used,
                         qmp->room - qmp->used);
        if (r < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            LOGED(ERROR, qmp->domid, "QMP: read failed while %s", what);
            return ERROR_FAIL;
        }
        if (r == 0) {
            LOGD(ERROR, qmp->domid, "QMP: the device model closed the "
                 "connection while %s", what);
            return ERROR_PROTOCOL_ERROR_QMP;
        }
        qmp->used += r;
    }
}

static int qmp_write(libxl__qmp *qmp, const char *s, size_t len,
                     long long deadline, const char *what)
{
    libxl__gc *gc = qmp->gc;
    int rc;

    while (len) {
        rc = qmp_poll(qmp, POLLOUT, deadline, what);
        if (rc)
            return rc;
        ssize_t r = send(qmp->fd, s, len, MSG_NOSIGNAL);
        if (r < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            LOGED(ERROR, qmp->domid, "QMP: write failed while %s", what);
            return ERROR_FAIL;
        }
        s += r;
        len -= r;
    }
    return 0;
}

/* The command as one line of JSON (gc), NULL on a generator error. */
static char *qmp_format(libxl__gc *gc, const char *cmd,
                        const libxl__json_object *args, int id)
{
    yajl_gen g = yajl_gen_alloc(NULL);
    const unsigned char *buf;
    size_t len;
    char *s = NULL;

    if (!g)
        return NULL;
    if (yajl_gen_map_open(g) != yajl_gen_status_ok ||
        libxl__yajl_gen_asciiz(g, "execute") != yajl_gen_status_ok ||
        libxl__yajl_gen_asciiz(g, cmd) != yajl_gen_status_ok)
        goto out;
    if (args) {
        if (libxl__yajl_gen_asciiz(g, "arguments") != yajl_gen_status_ok ||
            libxl__json_object_to_yajl_gen(gc, g, args) != yajl_status_ok)
            goto out;
    }
    if (libxl__yajl_gen_asciiz(g, "id") != yajl_gen_status_ok ||
        yajl_gen_integer(g, id) != yajl_gen_status_ok ||
        yajl_gen_map_close(g) != yajl_gen_status_ok ||
        yajl_gen_get_buf(g, &buf, &len) != yajl_gen_status_ok)
        goto out;
    s = GCSPRINTF("%.*s\r\n", (int)len, (const char *)buf);
out:
    yajl_gen_free(g);
    return s;
}

static int qmp_error_rc(const char *klass)
{
    if (!klass)
        return ERROR_UNKNOWN_QMP_ERROR;
    if (!strcmp(klass, "GenericError"))
        return ERROR_QMP_GENERIC_ERROR;
    if (!strcmp(klass, "CommandNotFound"))
        return ERROR_QMP_COMMAND_NOT_FOUND;
    if (!strcmp(klass, "DeviceNotActive"))
        return ERROR_QMP_DEVICE_NOT_ACTIVE;
    if (!strcmp(klass, "DeviceNotFound"))
        return ERROR_QMP_DEVICE_NOT_FOUND;
    return ERROR_UNKNOWN_QMP_ERROR;
}

/* Writes cmd (with args, or NULL) as the next command; its id in *id_r.
 * The answer is read by qmp_await: commands may be written ahead of
 * their answers, which QEMU gives in order. */
static int qmp_send(libxl__qmp *qmp, const char *cmd,
                    const libxl__json_object *args, long long deadline,
                    int *id_r)
{
    libxl__gc *gc = qmp->gc;
    int id = qmp->next_id++;
    char *line = qmp_format(gc, cmd, args, id);

    if (!line) {
        LOGD(ERROR, qmp->domid, "QMP: cannot format command '%s'", cmd);
        return ERROR_FAIL;
    }
    LOGD(DEBUG, qmp->domid, "QMP: sending %.*s", (int)strlen(line) - 2,
         line);
    *id_r = id;
    return qmp_write(qmp, line, strlen(line), deadline,
                     GCSPRINTF("sending '%s'", cmd));
}

/* Reads up to the answer to command id (cmd, for the logs). */
static int qmp_await(libxl__qmp *qmp, int id, const char *cmd,
                     long long deadline, const libxl__json_object **ret_r)
{
    libxl__gc *gc = qmp->gc;
    const char *what = GCSPRINTF("running '%s'", cmd);
    int rc;

    for (;;) {
        const libxl__json_object *msg, *o;

        rc = qmp_read_message(qmp, deadline, what, &msg);
        if (rc)
            return rc;
        o = libxl__json_map_get("event", msg, JSON_STRING);
        if (o) {
            LOGD(DEBUG, qmp->domid, "QMP: event %s",
                 libxl__json_object_get_string(o));
            continue;
        }
        o = libxl__json_map_get("id", msg, JSON_INTEGER);
        if (!o) {
            LOGD(ERROR, qmp->domid, "QMP: message without id or event "
                 "while %s: %s", what, libxl__json_object_to_json(gc, msg));
            return ERROR_PROTOCOL_ERROR_QMP;
        }
        if (libxl__json_object_get_integer(o) != id) {
            LOGD(DEBUG, qmp->domid, "QMP: skipping an answer to id %lld",
                 libxl__json_object_get_integer(o));
            continue;
        }
        o = libxl__json_map_get("error", msg, JSON_MAP);
        if (o) {
            const char *klass = libxl__json_object_get_string(
                libxl__json_map_get("class", o, JSON_STRING));
            const char *desc = libxl__json_object_get_string(
                libxl__json_map_get("desc", o, JSON_STRING));
            LOGD(ERROR, qmp->domid, "QMP: '%s' failed: %s: %s", cmd,
                 klass ? klass : "(no class)", desc ? desc : "(no desc)");
            return qmp_error_rc(klass);
        }
        o = libxl__json_map_get("return", msg, JSON_ANY);
        if (!o) {
            LOGD(ERROR, qmp->domid, "QMP: answer to '%s' has neither "
                 "return nor error", cmd);
            return ERROR_PROTOCOL_ERROR_QMP;
        }
        if (ret_r)
            *ret_r = o;
        return 0;
    }
}

static int qmp_exchange(libxl__qmp *qmp, const char *cmd,
                        const libxl__json_object *args, long long deadline,
                        const libxl__json_object **ret_r)
{
    int id, rc = qmp_send(qmp, cmd, args, deadline, &id);

    return rc ? rc : qmp_await(qmp, id, cmd, deadline, ret_r);
}

/* Opens the QMP session on fd (taken: closed on failure) and runs cmds
 * (n of them, n may be 0).  Every command, qmp_capabilities first, is
 * written before the greeting is read: QEMU reads them once it has
 * greeted and answers in order, so a whole session costs the device
 * model one wake-up rather than one per message (each is tens of ms
 * on a loaded dom0).  A command after a failed one has run all the
 * same; the first failure is returned. */
static int qmp_open_run(libxl__gc *gc, uint32_t domid, int fd,
                        long long deadline, const libxl__qmp_cmd *cmds,
                        int n, libxl__qmp **qmp_r)
{
    const libxl__json_object *msg, *v;
    libxl__qmp *qmp;
    int rc, send_rc, i, caps_id, ids[LIBXL__QMP_MAX_CMDS];
    static const char *const part[] = { "major", "minor", "micro" };

    if (n < 0 || n > LIBXL__QMP_MAX_CMDS) {
        LOGD(ERROR, domid, "QMP: %d commands in one session", n);
        close(fd);
        return ERROR_INVAL;
    }
    GCNEW(qmp);
    qmp->gc = gc;
    qmp->domid = domid;
    qmp->fd = fd;
    qmp->next_id = 1;

    send_rc = qmp_send(qmp, "qmp_capabilities", NULL, deadline, &caps_id);
    for (i = 0; !send_rc && i < n; i++)
        send_rc = qmp_send(qmp, cmds[i].cmd, cmds[i].args, deadline,
                           &ids[i]);
    /* A peer that could not be written to is diagnosed by what it left
     * to read, as one that could. */
    rc = qmp_read_message(qmp, deadline, "waiting for the QMP greeting",
                          &msg);
    if (rc)
        goto fail;
    v = libxl__json_map_get("QMP", msg, JSON_MAP);
    if (!v) {
        LOGD(ERROR, domid, "QMP: the device model's first message is not "
             "a QMP greeting: %s", libxl__json_object_to_json(gc, msg));
        rc = ERROR_PROTOCOL_ERROR_QMP;
        goto fail;
    }
    if (send_rc) {
        rc = send_rc;
        goto fail;
    }
    v = libxl__json_map_get("version", v, JSON_MAP);
    v = libxl__json_map_get("qemu", v, JSON_MAP);
    for (i = 0; i < 3; i++)
        qmp->version[i] = libxl__json_object_get_integer(
            libxl__json_map_get(part[i], v, JSON_INTEGER));
    LOGD(DEBUG, domid, "QMP: QEMU version %d.%d.%d", qmp->version[0],
         qmp->version[1], qmp->version[2]);

    rc = qmp_await(qmp, caps_id, "qmp_capabilities", deadline, NULL);
    if (rc)
        goto fail;
    *qmp_r = qmp;
    for (i = 0; i < n; i++) {
        int r = qmp_await(qmp, ids[i], cmds[i].cmd, deadline, cmds[i].ret_r);
        if (r && !rc)
            rc = r;
        /* without the answer the next ones cannot be told apart */
        if (r == ERROR_TIMEDOUT || r == ERROR_PROTOCOL_ERROR_QMP ||
            r == ERROR_FAIL)
            break;
    }
    return rc;

fail:
    close(fd);
    return rc;
}

int libxl__qmp_open_fd(libxl__gc *gc, uint32_t domid, int fd,
                       int timeout_ms, libxl__qmp **qmp_r)
{
    return qmp_open_run(gc, domid, fd, deadline_of(timeout_ms), NULL, 0,
                        qmp_r);
}

/* A connected socket to path (retrying while QEMU is not listening
 * yet) in *fd_r. */
static int qmp_socket(libxl__gc *gc, uint32_t domid, const char *path,
                      long long deadline, int *fd_r)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        LOGD(ERROR, domid, "QMP socket path too long: %s", path);
        return ERROR_INVAL;
    }
    strcpy(addr.sun_path, path);
    for (;;) {
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            LOGED(ERROR, domid, "QMP: cannot create a socket");
            return ERROR_FAIL;
        }
        if (!connect(fd, (struct sockaddr *)&addr, sizeof(addr)))
            break;
        close(fd);
        /* QEMU may not be listening yet: try again until the deadline. */
        if ((errno == ENOENT || errno == ECONNREFUSED || errno == EINTR) &&
            left_ms(deadline) != 0) {
            usleep(20 * 1000);
            continue;
        }
        LOGED(ERROR, domid, "QMP: cannot connect to %s", path);
        return errno == ENOENT || errno == ECONNREFUSED ? ERROR_NOT_READY
                                                        : ERROR_FAIL;
    }
    LOGD(DEBUG, domid, "QMP: connected to %s", path);
    *fd_r = fd;
    return 0;
}

int libxl__qmp_connect_path(libxl__gc *gc, uint32_t domid, const char *path,
                            int timeout_ms, libxl__qmp **qmp_r)
{
    long long deadline = deadline_of(timeout_ms);
    int fd, rc = qmp_socket(gc, domid, path, deadline, &fd);

    return rc ? rc : qmp_open_run(gc, domid, fd, deadline, NULL, 0, qmp_r);
}

int libxl__qmp_connect(libxl__gc *gc, uint32_t domid, libxl__qmp **qmp_r)
{
    return libxl__qmp_connect_path(gc, domid, libxl__dm_qmp_path(gc, domid),
                                   TUN->qmp_timeout_ms, qmp_r);
}

int libxl__qmp_command(libxl__qmp *qmp, const char *cmd,
                       const libxl__json_object *args, int timeout_ms,
                       const libxl__json_object **ret_r)
{
    return qmp_exchange(qmp, cmd, args, deadline_of(timeout_ms), ret_r);
}

void libxl__qmp_version(const libxl__qmp *qmp, int *major, int *minor,
                        int *micro)
{
    *major = qmp->version[0];
    *minor = qmp->version[1];
    *micro = qmp->version[2];
}

void libxl__qmp_close(libxl__qmp *qmp)
{
    if (!qmp)
        return;
    if (qmp->fd >= 0)
        close(qmp->fd);
    qmp->fd = -1;
}

int libxl__qmp_run_cmds(libxl__gc *gc, uint32_t domid,
                        const libxl__qmp_cmd *cmds, int n)
{
    long long deadline = deadline_of(TUN->qmp_timeout_ms);
    libxl__qmp *qmp = NULL;
    int fd, rc;

    rc = qmp_socket(gc, domid, libxl__dm_qmp_path(gc, domid), deadline,
                    &fd);
    if (rc)
        return rc;
    rc = qmp_open_run(gc, domid, fd, deadline, cmds, n, &qmp);
    libxl__qmp_close(qmp);
    return rc;
}

int libxl__qmp_run(libxl__gc *gc, uint32_t domid, const char *cmd,
                   const libxl__json_object *args,
                   const libxl__json_object **ret_r)
{
    const libxl__qmp_cmd c = { .cmd = cmd, .args = args, .ret_r = ret_r };

    return libxl__qmp_run_cmds(gc, domid, &c, 1);
}

/*
 * Commands.
 */
static libxl__json_object *str_obj(libxl__gc *gc, const char *s)
{
    libxl__json_object *o = libxl__json_object_alloc(gc, JSON_STRING);

    o->u.string = libxl__strdup(gc, s);
    return o;
}

/* xen-save-devices-state's arguments. */
static libxl__json_object *save_args(libxl__gc *gc, const char *filename,
                                     bool live)
{
    libxl__json_object *args = libxl__json_object_alloc(gc, JSON_MAP);
    libxl__json_object *b = libxl__json_object_alloc(gc, JSON_BOOL);

    b->u.b = live;
    libxl__json_map_add(gc, args, "filename", str_obj(gc, filename));
    /* QEMU >= 2.11 takes "live"; Xen 4.17 needs QEMU >= 4.x anyway. */
    libxl__json_map_add(gc, args, "live", b);
    return args;
}

int libxl__qmp_stop(libxl__gc *gc, uint32_t domid)
{
    return libxl__qmp_run(gc, domid, "stop", NULL, NULL);
}

int libxl__qmp_cont(libxl__gc *gc, uint32_t domid)
{
    return libxl__qmp_run(gc, domid, "cont", NULL, NULL);
}

/* "stop" then "xen-save-devices-state", in one session. */
int libxl__qmp_stop_save_devices_state(libxl__gc *gc, uint32_t domid,
                                       const char *filename, bool live)
{
    const libxl__qmp_cmd c[] = {
        { .cmd = "stop" },
        { .cmd = "xen-save-devices-state",
          .args = save_args(gc, filename, live) },
    };

    return libxl__qmp_run_cmds(gc, domid, c, ARRAY_SIZE(c));
}

int libxl__qmp_save_devices_state(libxl__gc *gc, uint32_t domid,
                                  const char *filename, bool live)
{
    return libxl__qmp_run(gc, domid, "xen-save-devices-state",
                          save_args(gc, filename, live), NULL);
}

int libxl__qmp_load_devices_state(libxl__gc *gc, uint32_t domid,
                                  const char *filename)
{
    libxl__json_object *args = libxl__json_object_alloc(gc, JSON_MAP);

    libxl__json_map_add(gc, args, "filename", str_obj(gc, filename));
    return libxl__qmp_run(gc, domid, "xen-load-devices-state", args, NULL);
}

int libxl__qmp_query_serial_ttys(libxl__gc *gc, libxl__qmp *qmp,
                                 char ***ttys_r, int *num_r)
{
    const libxl__json_object *ret, *item;
    char **ttys = NULL;
    int i, num = 0, rc;

    rc = libxl__qmp_command(qmp, "query-chardev", NULL,
                            TUN->qmp_timeout_ms, &ret);
    if (rc)
        return rc;
    if (!libxl__json_object_is_array(ret)) {
        LOGD(ERROR, qmp->domid, "QMP: 'query-chardev' did not return a "
             "list");
        return ERROR_QEMU_API;
    }
    for (i = 0; (item = libxl__json_array_get(ret, i)); i++) {
        const char *label = libxl__json_object_get_string(
            libxl__json_map_get("label", item, JSON_STRING));
        const char *file = libxl__json_object_get_string(
            libxl__json_map_get("filename", item, JSON_STRING));
        char *end;
        long port;

        if (!label || !file) {
            LOGD(ERROR, qmp->domid, "QMP: a 'query-chardev' entry lacks "
                 "label or filename");
            return ERROR_QEMU_API;
        }
        if (strncmp(label, "serial", 6))
            continue;
        errno = 0;
        port = strtol(label + 6, &end, 10);
        if (!label[6] || *end || errno || port < 0 || port > 255) {
            LOGD(ERROR, qmp->domid, "QMP: invalid serial port number: %s",
                 label);
            return ERROR_QEMU_API;
        }
        if (strncmp(file, "pty:", 4))
            continue;
        if (port >= num) {
            int j;
            ttys = libxl__realloc(gc, ttys, (port + 1) * sizeof(*ttys));
            for (j = num; j <= port; j++)
                ttys[j] = NULL;
            num = port + 1;
        }
        ttys[port] = libxl__strdup(gc, file + 4);
    }
    *ttys_r = ttys;
    *num_r = num;
    return 0;
}

void libxl__qmp_cleanup(libxl__gc *gc, uint32_t domid)
{
    const char *paths[] = { libxl__dm_qmp_path(gc, domid),
                            libxl__dm_xenstat_qmp_path(gc, domid) };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(paths); i++)
        if (unlink(paths[i]) < 0 && errno != ENOENT)
            LOGED(ERROR, domid, "cannot remove the QMP socket %s", paths[i]);
}
