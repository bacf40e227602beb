/*
 * xsc: a minimal xenstore client for test guests.
 *
 *   xsc read PATH          print the value of PATH
 *   xsc write PATH VALUE   set PATH to VALUE
 *   xsc rm PATH            remove PATH
 *
 * It speaks the xenstore wire protocol (a struct xsd_sockmsg header
 * followed by the payload, see xen/io/xs_wire.h) over the guest kernel's
 * xenbus device, so it needs no Xen library and links statically into a
 * tiny initramfs. Relative paths are resolved by xenstored against the
 * guest's home, /local/domain/<domid>.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xen/io/xs_wire.h>

static const char *const xenbus_devices[] = {
    "/dev/xen/xenbus",
    "/proc/xen/xenbus",
};

static int open_xenbus(void)
{
    size_t i;

    for (i = 0; i < sizeof(xenbus_devices) / sizeof(xenbus_devices[0]);
         i++) {
        int fd = open(xenbus_devices[i], O_RDWR | O_CLOEXEC);

        if (fd >= 0)
            return fd;
    }
    fprintf(stderr, "xsc: cannot open /dev/xen/xenbus or /proc/xen/xenbus: "
            "%s\n", strerror(errno));
    return -1;
}

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len) {
        ssize_t n = write(fd, p, len);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
    char *p = buf;

    while (len) {
        ssize_t n = read(fd, p, len);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (n == 0) {
            errno = EPIPE;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/*
 * Sends one request made of @nparts strings (the last one without its
 * terminating NUL when @last_raw), and returns the reply payload
 * (NUL-terminated, caller frees) or NULL with a message printed.
 */
static char *request(int fd, uint32_t type, const char *const *parts,
                     int nparts, int last_raw)
{
    struct xsd_sockmsg hdr = { .type = type, .req_id = 1, .tx_id = 0 };
    char payload[XENSTORE_PAYLOAD_MAX];
    size_t len = 0;
    char *reply;
    int i;

    for (i = 0; i < nparts; i++) {
        size_t n = strlen(parts[i]) + (last_raw && i == nparts - 1 ? 0 : 1);

        if (len + n > sizeof(payload)) {
            fprintf(stderr, "xsc: request too long (max %d bytes)\n",
                    XENSTORE_PAYLOAD_MAX);
            return NULL;
        }
        memcpy(payload + len, parts[i], n);
        len += n;
    }
    hdr.len = (uint32_t)len;
    /* The kernel device wants header and payload in one write. */
    {
        char msg[sizeof(hdr) + sizeof(payload)];

        memcpy(msg, &hdr, sizeof(hdr));
        memcpy(msg + sizeof(hdr), payload, len);
        if (write_all(fd, msg, sizeof(hdr) + len) < 0) {
            fprintf(stderr, "xsc: write to xenbus: %s\n", strerror(errno));
            return NULL;
        }
    }
    if (read_all(fd, &hdr, sizeof(hdr)) < 0) {
        fprintf(stderr, "xsc: read from xenbus: %s\n", strerror(errno));
        return NULL;
    }
    if (hdr.len > XENSTORE_PAYLOAD_MAX) {
        fprintf(stderr, "xsc: reply too long (%u bytes)\n", hdr.len);
        return NULL;
    }
    reply = malloc(hdr.len + 1);
    if (!reply) {
        fprintf(stderr, "xsc: out of memory\n");
        return NULL;
    }
    if (read_all(fd, reply, hdr.len) < 0) {
        fprintf(stderr, "xsc: read from xenbus: %s\n", strerror(errno));
        free(reply);
        return NULL;
    }
    reply[hdr.len] = '\0';
    if (hdr.type == XS_ERROR) {
        fprintf(stderr, "xsc: %s: %s\n", parts[0], reply);
        free(reply);
        return NULL;
    }
    if (hdr.type != type) {
        fprintf(stderr, "xsc: unexpected reply type %u\n", hdr.type);
        free(reply);
        return NULL;
    }
    return reply;
}

static int usage(void)
{
    fprintf(stderr, "usage: xsc read PATH | xsc write PATH VALUE | "
            "xsc rm PATH\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *parts[2];
    char *reply;
    int fd, rc = 1;

    if (argc < 3)
        return usage();
    parts[0] = argv[2];
    fd = open_xenbus();
    if (fd < 0)
        return 1;
    if (!strcmp(argv[1], "read") && argc == 3) {
        reply = request(fd, XS_READ, parts, 1, 0);
        if (reply) {
            printf("%s\n", reply);
            rc = 0;
        }
    } else if (!strcmp(argv[1], "write") && argc == 4) {
        parts[1] = argv[3];
        reply = request(fd, XS_WRITE, parts, 2, 1);
        rc = reply ? 0 : 1;
    } else if (!strcmp(argv[1], "rm") && argc == 3) {
        reply = request(fd, XS_RM, parts, 1, 0);
        rc = reply ? 0 : 1;
    } else {
        close(fd);
        return usage();
    }
    free(reply);
    close(fd);
    return rc;
}
