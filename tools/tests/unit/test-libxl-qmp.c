/*
 * test-libxl-qmp: the QMP client against a fake QEMU, a thread speaking
 * QMP on the other end of a socketpair (or of the domain's QMP socket):
 * greeting and capabilities, commands and their JSON, replies split or
 * glued together, events between them, errors, a peer that hangs (the
 * bounded wait), a peer that sends garbage or closes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>

#include <cmocka.h>

#include "libxl_internal.h"
#include "libxl_domain.h"
#include "libxl_dm.h"
#include "fake-sys.h"

static libxl_ctx *ctx;
static char tmpdir[] = "/tmp/test-libxl-qmp.XXXXXX";

#define GREETING "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, " \
    "\"minor\": 2, \"major\": 7}, \"package\": \"Debian\"}, "          \
    "\"capabilities\": [\"oob\"]}}\r\n"

/*
 * The fake QEMU: runs a script of steps on its fd.
 *   "S<text>"  send text (may hold several messages or a part of one)
 *   "B<text>"  send text one byte at a time
 *   "R<sub>"   read one command line; it must contain sub; its id is
 *              remembered and replaces "%ID%" in what is sent next
 *   "H"        hang: wait until the client closes
 *   "C"        close
 */
typedef struct {
    int fd, listen_fd;
    const char *const *script;
    char got[16][512];          /* the command lines read */
    int ngot;
    bool failed;                /* a command did not match */
    pthread_t thread;
} peer;

static int peer_read_line(int fd, char *buf, size_t room)
{
    size_t n = 0;

    while (n + 1 < room) {
        ssize_t r = read(fd, buf + n, 1);
        if (r <= 0)
            return -1;
        if (buf[n++] == '\n')
            break;
    }
    buf[n] = 0;
    return 0;
}

static void peer_send(int fd, const char *text, int id, bool bytewise)
{
    char out[1 << 16], idbuf[16];
    const char *p = text, *q;
    size_t n = 0, i;

    snprintf(idbuf, sizeof(idbuf), "%d", id);
    while ((q = strstr(p, "%ID%"))) {
        memcpy(out + n, p, q - p);
        n += q - p;
        memcpy(out + n, idbuf, strlen(idbuf));
        n += strlen(idbuf);
        p = q + 4;
    }
    strcpy(out + n, p);
    n += strlen(p);
    if (!bytewise) {
        if (send(fd, out, n, MSG_NOSIGNAL) != (ssize_t)n)
            return;
        return;
    }
    for (i = 0; i < n; i++) {
        if (send(fd, out + i, 1, MSG_NOSIGNAL) != 1)
            return;
        if (i % 7 == 0)
            usleep(200);
    }
}

static void *peer_main(void *arg)
{
    peer *p = arg;
    int id = 0, i;
    char c;

    if (p->listen_fd >= 0) {
        p->fd = accept(p->listen_fd, NULL, NULL);
        if (p->fd < 0)
            return NULL;
    }
    for (i = 0; p->script[i]; i++) {
        const char *s = p->script[i];
        switch (s[0]) {
        case 'S':
        case 'B':
            peer_send(p->fd, s + 1, id, s[0] == 'B');
            break;
        case 'R': {
            char *line = p->got[p->ngot < 16 ? p->ngot : 15];
            const char *ids;
            if (peer_read_line(p->fd, line, 512)) {
                p->failed = true;
                goto out;
            }
            p->ngot++;
            if (!strstr(line, s + 1))
                p->failed = true;
            ids = strstr(line, "\"id\":");
            id = ids ? atoi(ids + 5) : -1;
            break;
        }
        case 'H':
            while (read(p->fd, &c, 1) > 0)
                ;
            break;
        case 'C':
            goto out;
        }
    }
out:
    close(p->fd);
    p->fd = -1;
    return NULL;
}

/* Starts the peer on a socketpair; returns the client's end. */
static int peer_start(peer *p, const char *const *script)
{
    int sv[2];

    memset(p, 0, sizeof(*p));
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    p->fd = sv[1];
    p->listen_fd = -1;
    p->script = script;
    assert_int_equal(pthread_create(&p->thread, NULL, peer_main, p), 0);
    return sv[0];
}

/* Starts the peer listening on the domain's QMP socket path. */
static void peer_listen(libxl__gc *gc, peer *p, uint32_t domid,
                        const char *const *script)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };

    memset(p, 0, sizeof(*p));
    p->script = script;
    strcpy(addr.sun_path, libxl__dm_qmp_path(gc, domid));
    p->listen_fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(p->listen_fd >= 0);
    assert_int_equal(bind(p->listen_fd, (struct sockaddr *)&addr,
                          sizeof(addr)), 0);
    assert_int_equal(listen(p->listen_fd, 1), 0);
    assert_int_equal(pthread_create(&p->thread, NULL, peer_main, p), 0);
}

static void peer_join(peer *p)
{
    pthread_join(p->thread, NULL);
    if (p->listen_fd >= 0)
        close(p->listen_fd);
}

static int setup(void **state)
{
    fake_reset();
    ctx = fake_ctx(fake_log_level());
    if (!mkdtemp(tmpdir))
        return -1;
    libxl__tun.run_dir = tmpdir;
    return 0;
}

static int teardown(void **state)
{
    if (fake_teardown(&ctx, tmpdir, "/tmp/test-libxl-qmp.XXXXXX"))
        return -1;
    return 0;
}

static const char *const handshake_script[] = {
    "S" GREETING,
    "R\"execute\":\"qmp_capabilities\"",
    "S{\"return\": {}, \"id\": %ID%}\r\n",
    "R\"execute\":\"query-status\"",
    /* An event first, then an answer to another id, then ours. */
    "S{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, "
    "\"event\": \"RESUME\"}\r\n{\"return\": {}, \"id\": 999}\r\n",
    "B{\"return\": {\"status\": \"running\", \"singlestep\": false, "
    "\"running\": true}, \"id\": %ID%}\r\n",
    "H",
    NULL
};

static void test_handshake_and_command(void **state)
{
    GC_INIT(ctx);
    peer p;
    libxl__qmp *qmp;
    const libxl__json_object *ret;
    int fd = peer_start(&p, handshake_script), major, minor, micro;

    assert_int_equal(libxl__qmp_open_fd(gc, 3, fd, 2000, &qmp), 0);
    libxl__qmp_version(qmp, &major, &minor, &micro);
    assert_int_equal(major * 10000 + minor * 100 + micro, 70222);
    assert_int_equal(libxl__qmp_command(qmp, "query-status", NULL, 2000,
                                        &ret), 0);
    assert_string_equal(libxl__json_object_get_string(
        libxl__json_map_get("status", ret, JSON_STRING)), "running");
    libxl__qmp_close(qmp);
    peer_join(&p);
    assert_false(p.failed);
    assert_int_equal(p.ngot, 2);
    /* The exact framing: one line of JSON ending in CRLF. */
    assert_string_equal(p.got[0],
                        "{\"execute\":\"qmp_capabilities\",\"id\":1}\r\n");
    assert_string_equal(p.got[1],
                        "{\"execute\":\"query-status\",\"id\":2}\r\n");
    GC_FREE;
}

static const char *const error_script[] = {
    "S" GREETING,
    "R\"qmp_capabilities\"",
    "S{\"return\": {}, \"id\": %ID%}\r\n",
    "R\"no-such-thing\"",
    "S{\"id\": %ID%, \"error\": {\"class\": \"CommandNotFound\", "
    "\"desc\": \"The command no-such-thing has not been found\"}}\r\n",
    "R\"stop\"",
    "S{\"error\": {\"class\": \"GenericError\", \"desc\": \"x\"}, "
    "\"id\": %ID%}\r\n",
    "R\"cont\"",
    "S{\"id\": %ID%}\r\n",      /* neither return nor error */
    "H",
    NULL
};

static void test_errors(void **state)
{
    GC_INIT(ctx);
    peer p;
    libxl__qmp *qmp;
    int fd = peer_start(&p, error_script);

    assert_int_equal(libxl__qmp_open_fd(gc, 3, fd, 2000, &qmp), 0);
    assert_int_equal(libxl__qmp_command(qmp, "no-such-thing", NULL, 2000,
                                        NULL), ERROR_QMP_COMMAND_NOT_FOUND);
    assert_int_equal(libxl__qmp_command(qmp, "stop", NULL, 2000, NULL),
                     ERROR_QMP_GENERIC_ERROR);
    assert_int_equal(libxl__qmp_command(qmp, "cont", NULL, 2000, NULL),
                     ERROR_PROTOCOL_ERROR_QMP);
    libxl__qmp_close(qmp);
    peer_join(&p);
    assert_false(p.failed);
    GC_FREE;
}

static const char *const hang_script[] = { "S" GREETING, "H", NULL };
static const char *const silent_script[] = { "H", NULL };

static long long ms_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void test_peer_hangs(void **state)
{
    GC_INIT(ctx);
    peer p;
    libxl__qmp *qmp = NULL;
    long long t0;
    int fd;

    /* No answer to qmp_capabilities. */
    fd = peer_start(&p, hang_script);
    t0 = ms_now();
    assert_int_equal(libxl__qmp_open_fd(gc, 3, fd, 300, &qmp),
                     ERROR_TIMEDOUT);
    assert_true(ms_now() - t0 >= 290 && ms_now() - t0 < 3000);
    peer_join(&p);              /* fd was closed: the peer ends */

    /* No greeting at all. */
    fd = peer_start(&p, silent_script);
    t0 = ms_now();
    assert_int_equal(libxl__qmp_open_fd(gc, 3, fd, 200, &qmp),
                     ERROR_TIMEDOUT);
    assert_true(ms_now() - t0 < 3000);
    peer_join(&p);
    GC_FREE;
}

static const char *const garbage_script[] = {
    "SHTTP/1.1 400 Bad Request\r\n", "H", NULL
};
static const char *const not_greeting_script[] = {
    "S{\"return\": {}}\r\n", "H", NULL
};
static const char *const closes_script[] = {
    "S" GREETING, "R\"qmp_capabilities\"", "S{\"retu", "C", NULL
};
static const char *const reply_garbage_script[] = {
    "S" GREETING, "R\"qmp_capabilities\"",
    "S{\"return\": {}, \"id\": %ID%}\r\n",
    "R\"query-status\"", "S{\"return\": {\"status\": \r\n", "H", NULL
};

static void test_garbage_and_close(void **state)
{
    GC_INIT(ctx);
    peer p;
    libxl__qmp *qmp;
    int fd;

    fd = peer_start(&p, garbage_script);
    assert_int_equal(libxl__qmp_open_fd(gc, 3, fd, 2000, &qmp),
                     ERROR_PROTOCOL_ERROR_QMP);
    peer_join(&p);

    fd = peer_start(&p, not_greeting_script);
    assert_int_equal(libxl__qmp_open_fd(gc, 3, fd, 2000, &qmp),
                     ERROR_PROTOCOL_ERROR_QMP);
    peer_join(&p);

    fd = peer_start(&p, closes_script);
    assert_int_equal(libxl__qmp_open_fd(gc, 3, fd, 2000, &qmp),
                     ERROR_PROTOCOL_ERROR_QMP);
    peer_join(&p);

    fd = peer_start(&p, reply_garbage_script);
    assert_int_equal(libxl__qmp_open_fd(gc, 3, fd, 2000, &qmp), 0);
    assert_int_equal(libxl__qmp_command(qmp, "query-status", NULL, 2000,
                                        NULL), ERROR_PROTOCOL_ERROR_QMP);
    libxl__qmp_close(qmp);
    peer_join(&p);
    GC_FREE;
}

/* A peer that sends an endless line: refused past the size limit, not
 * buffered without bound. */
static void *flood_main(void *arg)
{
    int fd = *(int *)arg;
    static char chunk[65536];
    int i;

    memset(chunk, 'x', sizeof(chunk));
    for (i = 0; i < 200; i++)
        if (send(fd, chunk, sizeof(chunk), MSG_NOSIGNAL) < 0)
            break;
    close(fd);
    return NULL;
}

static void test_flood(void **state)
{
    GC_INIT(ctx);
    libxl__qmp *qmp;
    pthread_t t;
    int sv[2];

    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    assert_int_equal(pthread_create(&t, NULL, flood_main, &sv[1]), 0);
    assert_int_equal(libxl__qmp_open_fd(gc, 3, sv[0], 5000, &qmp),
                     ERROR_PROTOCOL_ERROR_QMP);
    pthread_join(t, NULL);
    GC_FREE;
}

static const char *const save_script[] = {
    "S" GREETING,
    "R\"qmp_capabilities\"",
    "S{\"return\": {}, \"id\": %ID%}\r\n",
    "R\"xen-save-devices-state\"",
    "S{\"return\": {}, \"id\": %ID%}\r\n",
    "C",
    NULL
};

static void test_save_devices_state(void **state)
{
    GC_INIT(ctx);
    peer p;

    peer_listen(gc, &p, 5, save_script);
    assert_int_equal(libxl__qmp_save_devices_state(gc, 5,
                                                   "/var/lib/xen/qemu-save.5",
                                                   false), 0);
    peer_join(&p);
    assert_false(p.failed);
    assert_string_equal(p.got[1],
                        "{\"execute\":\"xen-save-devices-state\","
                        "\"arguments\":{\"filename\":"
                        "\"/var/lib/xen/qemu-save.5\",\"live\":false},"
                        "\"id\":2}\r\n");
    /* Nobody listening any more: a clear error, no wait forever. */
    libxl__qmp_cleanup(gc, 5);
    libxl__tun.qmp_timeout_ms = 200;
    assert_int_equal(libxl__qmp_stop(gc, 5), ERROR_NOT_READY);
    libxl__tun.qmp_timeout_ms = 10000;
    GC_FREE;
}

static const char *const chardev_script[] = {
    "S" GREETING,
    "R\"qmp_capabilities\"",
    "S{\"return\": {}, \"id\": %ID%}\r\n",
    "R\"query-chardev\"",
    "S{\"return\": [{\"frontend-open\": true, \"filename\": "
    "\"unix:/var/run/xen/qmp-libxl-1,server=on\", \"label\": "
    "\"libxl-cmd\"}, {\"frontend-open\": true, \"filename\": "
    "\"file:/tmp/x\", \"label\": \"serial1\"}, {\"frontend-open\": "
    "false, \"filename\": \"pty:/dev/pts/3\", \"label\": \"serial2\"}, "
    "{\"filename\": \"pty:/dev/pts/4\", \"label\": \"serial0\"}], "
    "\"id\": %ID%}\r\n",
    "R\"query-chardev\"",
    "S{\"return\": [{\"filename\": \"pty:/dev/pts/4\", \"label\": "
    "\"serialx\"}], \"id\": %ID%}\r\n",
    "H",
    NULL
};

static void test_serial_ttys(void **state)
{
    GC_INIT(ctx);
    peer p;
    libxl__qmp *qmp;
    char **ttys;
    int n, fd = peer_start(&p, chardev_script);

    assert_int_equal(libxl__qmp_open_fd(gc, 1, fd, 2000, &qmp), 0);
    assert_int_equal(libxl__qmp_query_serial_ttys(gc, qmp, &ttys, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(ttys[0], "/dev/pts/4");
    assert_null(ttys[1]);                       /* a file, not a pty */
    assert_string_equal(ttys[2], "/dev/pts/3");
    assert_int_equal(libxl__qmp_query_serial_ttys(gc, qmp, &ttys, &n),
                     ERROR_QEMU_API);
    libxl__qmp_close(qmp);
    peer_join(&p);
    GC_FREE;
}

static const char *const resume_script[] = {
    "S" GREETING,
    "R\"qmp_capabilities\"",
    "S{\"return\": {}, \"id\": %ID%}\r\n",
    "R\"cont\"",
    "S{\"event\": \"RESUME\"}\r\n{\"return\": {}, \"id\": %ID%}\r\n",
    "C",
    NULL
};

/* libxl__dm_resume: nothing without an emulator; one connection and
 * "cont" for one, whatever its state (as upstream's). */
static void test_dm_resume(void **state)
{
    GC_INIT(ctx);
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    peer p;

    assert_int_equal(libxl__dm_resume(gc, 6), 0);   /* no emulator */

    fake_xs_set("/local/domain/6/image/device-model-pid", "1234");
    memset(&p, 0, sizeof(p));
    p.script = resume_script;
    strcpy(addr.sun_path, libxl__dm_qmp_path(gc, 6));
    p.listen_fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_int_equal(bind(p.listen_fd, (struct sockaddr *)&addr,
                          sizeof(addr)), 0);
    assert_int_equal(listen(p.listen_fd, 2), 0);
    assert_int_equal(pthread_create(&p.thread, NULL, peer_main, &p), 0);
    assert_int_equal(libxl__dm_resume(gc, 6), 0);
    peer_join(&p);
    assert_false(p.failed);
    assert_string_equal(p.got[p.ngot - 1],
                        "{\"execute\":\"cont\",\"id\":2}\r\n");
    GC_FREE;
}

/* A soft reset's save: the peer reads every command before it greets,
 * which a client waiting for each answer before its next command would
 * never get past (it would time out). */
static const char *const pipelined_script[] = {
    "R\"execute\":\"qmp_capabilities\"",
    "R\"execute\":\"stop\"",
    "R\"execute\":\"xen-save-devices-state\"",
    "S" GREETING "{\"return\": {}, \"id\": 1}\r\n"
    "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, "
    "\"event\": \"STOP\"}\r\n{\"return\": {}, \"id\": 2}\r\n",
    "B{\"return\": {}, \"id\": 3}\r\n",
    "C",
    NULL
};

/* The same, the stop refused: the save has run all the same (QEMU
 * answers each command), the stop's error is the one returned. */
static const char *const pipelined_error_script[] = {
    "R\"qmp_capabilities\"",
    "R\"stop\"",
    "R\"xen-save-devices-state\"",
    "S" GREETING "{\"return\": {}, \"id\": 1}\r\n"
    "{\"error\": {\"class\": \"GenericError\", \"desc\": \"no\"}, "
    "\"id\": 2}\r\n{\"return\": {}, \"id\": 3}\r\n",
    "C",
    NULL
};

static void test_pipelined_session(void **state)
{
    GC_INIT(ctx);
    peer p;

    libxl__tun.qmp_timeout_ms = 2000;
    peer_listen(gc, &p, 7, pipelined_script);
    assert_int_equal(libxl__qmp_stop_save_devices_state(
                         gc, 7, "/var/lib/xen/qemu-save.7", false), 0);
    peer_join(&p);
    assert_false(p.failed);
    assert_int_equal(p.ngot, 3);
    assert_string_equal(p.got[1], "{\"execute\":\"stop\",\"id\":2}\r\n");
    assert_string_equal(p.got[2],
                        "{\"execute\":\"xen-save-devices-state\","
                        "\"arguments\":{\"filename\":"
                        "\"/var/lib/xen/qemu-save.7\",\"live\":false},"
                        "\"id\":3}\r\n");
    libxl__qmp_cleanup(gc, 7);

    peer_listen(gc, &p, 7, pipelined_error_script);
    assert_int_equal(libxl__qmp_stop_save_devices_state(
                         gc, 7, "/var/lib/xen/qemu-save.7", false),
                     ERROR_QMP_GENERIC_ERROR);
    peer_join(&p);
    assert_false(p.failed);
    libxl__qmp_cleanup(gc, 7);

    /* More commands than a session takes: refused, nothing sent. */
    libxl__qmp_cmd many[LIBXL__QMP_MAX_CMDS + 1];
    for (size_t i = 0; i < ARRAY_SIZE(many); i++)
        many[i] = (libxl__qmp_cmd){ .cmd = "query-status" };
    peer_listen(gc, &p, 7, (const char *const[]){ "H", NULL });
    assert_int_equal(libxl__qmp_run_cmds(gc, 7, many, ARRAY_SIZE(many)),
                     ERROR_INVAL);
    peer_join(&p);
    libxl__qmp_cleanup(gc, 7);
    libxl__tun.qmp_timeout_ms = 10000;
    GC_FREE;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_handshake_and_command),
        T(test_errors),
        T(test_peer_hangs),
        T(test_garbage_and_close),
        T(test_flood),
        T(test_save_devices_state),
        T(test_serial_ttys),
        T(test_dm_resume),
        T(test_pipelined_session),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
