/*
 * libxl_console.c: the primary PV console for xenconsoled (written by
 * create), where consoles' ttys are published, and the public console
 * queries and exec helpers (xl console).
 */
#include <unistd.h>

#include "libxl_internal.h"
#include "libxl_sys.h"
#include "libxl_xshelp.h"
#include "libxl_create.h"

/* The ring size xenconsoled is told to buffer, and the protocol. */
#define XENCONSOLE_LIMIT 1048576
#define XENCONSOLE_PROTOCOL "vt100"
#define XENBUS_STATE_INITIALISING "1"

/* Where xl console finds the xenconsole client (Debian's layout first,
 * then upstream's default libexec directory). */
static const char *const xenconsole_paths[] = {
    "/usr/lib/xen-4.17/bin/xenconsole",
    "/usr/lib/xen/bin/xenconsole",
    "/usr/libexec/xen/bin/xenconsole",
    NULL,
};

/*
 * The layout upstream's device framework gives console 0 (measured with
 * xl 4.17, see docs/design/xenstore-layout.md): the frontend in
 * <dompath>/console, the backend in
 * /local/domain/<xenconsoled>/backend/console/<domid>/0, and libxl's own
 * record in /libxl/<domid>/device/console/0.
 */
int libxl__console_primary_write(libxl__gc *gc, libxl__create_state *cs,
                                 xs_transaction_t t)
{
    uint32_t domid = cs->domid, bdomid = cs->console_domid;
    const char *front = GCSPRINTF("%s/console", cs->dom_path);
    const char *back = GCSPRINTF("/local/domain/%u/backend/console/%u/0",
                                 bdomid, domid);
    const char *rec = GCSPRINTF("%s/device/console/0", cs->libxl_path);
    struct xs_permissions ro[2] = {
        { .id = 0, .perms = XS_PERM_NONE },
        { .id = domid, .perms = XS_PERM_READ },
    };
    struct xs_permissions front_rw[2] = {
        { .id = domid, .perms = XS_PERM_NONE },
        { .id = bdomid, .perms = XS_PERM_READ },
    };
    struct xs_permissions back_perms[2] = {
        { .id = bdomid, .perms = XS_PERM_NONE },
        { .id = domid, .perms = XS_PERM_READ },
    };
    char *back_kvs[] = {
        "frontend", (char *)front,
        "frontend-id", GCSPRINTF("%u", domid),
        "online", "1",
        "state", XENBUS_STATE_INITIALISING,
        "protocol", XENCONSOLE_PROTOCOL,
        NULL,
    };
    char *rec_kvs[] = {
        "frontend", (char *)front,
        "backend", (char *)back,
        "frontend-id", GCSPRINTF("%u", domid),
        "online", "1",
        "state", XENBUS_STATE_INITIALISING,
        "protocol", XENCONSOLE_PROTOCOL,
        NULL,
    };
    char *front_kvs[] = {
        "backend", (char *)back,
        "limit", GCSPRINTF("%d", XENCONSOLE_LIMIT),
        "type", "xenconsoled",
        "output", "pty",
        "tty", cs->console_tty ? (char *)cs->console_tty : "",
        "port", GCSPRINTF("%d", cs->console_port),
        "ring-ref", GCSPRINTF("%" PRIu64, cs->console_mfn),
        NULL,
    };
    const char *backend_id = GCSPRINTF("%s/backend-id", front);
    int rc;

    if ((rc = libxl__xs_rm_checked(gc, t, front)) ||
        (rc = libxl__xs_rm_checked(gc, t, back)) ||
        (rc = libxl__xs_mknod(gc, t, rec, NULL, 0)) ||
        (rc = libxl__xs_writev(gc, t, rec, rec_kvs)) ||
        (rc = libxl__xs_mknod(gc, t, back, back_perms, 2)) ||
        (rc = libxl__xs_writev(gc, t, back, back_kvs)) ||
        (rc = libxl__xs_mknod(gc, t, front, ro, 2)) ||
        (rc = libxl__xs_writev(gc, t, front, front_kvs)) ||
        (rc = libxl__xs_write_checked(gc, t, backend_id,
                                      GCSPRINTF("%u", bdomid))))
        return rc;
    /* The guest owns backend-id (its frontend part), as upstream. */
    if (!SYS->xs_set_permissions(CTX, t, backend_id, front_rw, 2)) {
        LOGED(ERROR, domid, "setting permissions of %s", backend_id);
        return ERROR_FAIL;
    }
    return 0;
}

void libxl__console_backend_remove(libxl__gc *gc, uint32_t backend_domid,
                                   uint32_t domid, int parents)
{
    char *path = GCSPRINTF("/local/domain/%u/backend/console/%u",
                           backend_domid, domid);

    libxl__xs_rm_checked(gc, XBT_NULL, path);
    /* backend/console, then backend/ */
    for (int i = 0; i < parents && i < 2; i++) {
        unsigned int n;
        char **ents;

        *strrchr(path, '/') = '\0';
        ents = libxl__xs_directory(gc, XBT_NULL, path, &n);
        if (!ents || n)
            break;
        libxl__xs_rm_checked(gc, XBT_NULL, path);
    }
}

int libxl__console_tty_path(libxl__gc *gc, uint32_t domid, int cons_num,
                            libxl_console_type type, char **tty_path)
{
    char *dom_path = libxl__xs_get_dompath(gc, domid);

    if (!dom_path)
        return ERROR_FAIL;
    switch (type) {
    case LIBXL_CONSOLE_TYPE_SERIAL:
        *tty_path = GCSPRINTF("%s/serial/%d/tty", dom_path, cons_num);
        return 0;
    case LIBXL_CONSOLE_TYPE_PV:
        *tty_path = cons_num == 0
                    ? GCSPRINTF("%s/console/tty", dom_path)
                    : GCSPRINTF("%s/device/console/%d/tty", dom_path,
                                cons_num);
        return 0;
    case LIBXL_CONSOLE_TYPE_VUART:
        *tty_path = GCSPRINTF("%s/vuart/%d/tty", dom_path, cons_num);
        return 0;
    default:
        LOGD(ERROR, domid, "invalid console type %d", type);
        return ERROR_INVAL;
    }
}

int libxl_console_get_tty(libxl_ctx *ctx, uint32_t domid, int cons_num,
                          libxl_console_type type, char **path)
{
    GC_INIT(ctx);
    char *tty_path;
    const char *tty;
    int rc;

    *path = NULL;
    rc = libxl__console_tty_path(gc, domid, cons_num, type, &tty_path);
    if (rc)
        goto out;
    rc = libxl__xs_read_checked(gc, XBT_NULL, tty_path, &tty);
    if (rc)
        goto out;
    if (!tty || !*tty) {
        LOGD(ERROR, domid, "console %d of type %s has no tty (%s)",
             cons_num, libxl_console_type_to_string(type), tty_path);
        rc = ERROR_FAIL;
        goto out;
    }
    *path = libxl__strdup(NOGC, tty);
out:
    GC_FREE;
    return rc;
}

/* The primary console of domid_vm: the emulated serial port of an HVM
 * guest, the PV console otherwise. */
static int primary_console(libxl__gc *gc, uint32_t domid_vm,
                           libxl_console_type *type)
{
    const char *t;
    int rc;

    rc = libxl__xs_read_checked(gc, XBT_NULL,
                                GCSPRINTF("/libxl/%u/type", domid_vm), &t);
    if (rc)
        return rc;
    if (!t) {
        LOGD(ERROR, domid_vm, "not a domain of this toolstack (no "
             "/libxl/%u/type)", domid_vm);
        return ERROR_INVAL;
    }
    *type = !strcmp(t, "hvm") ? LIBXL_CONSOLE_TYPE_SERIAL
                              : LIBXL_CONSOLE_TYPE_PV;
    return 0;
}

int libxl_primary_console_get_tty(libxl_ctx *ctx, uint32_t domid_vm,
                                  char **path)
{
    GC_INIT(ctx);
    libxl_console_type type;
    int rc = primary_console(gc, domid_vm, &type);

    GC_FREE;
    if (rc) {
        *path = NULL;
        return rc;
    }
    return libxl_console_get_tty(ctx, domid_vm, 0, type, path);
}

int libxl_console_exec(libxl_ctx *ctx, uint32_t domid, int cons_num,
                       libxl_console_type type, int notify_fd,
                       char *escape_character)
{
    GC_INIT(ctx);
    const char *prog = NULL;
    char *argv[12];
    int i = 0;

    for (int p = 0; xenconsole_paths[p]; p++)
        if (access(xenconsole_paths[p], X_OK) == 0) {
            prog = xenconsole_paths[p];
            break;
        }
    if (!prog) {
        LOG(ERROR, "xenconsole not found (tried %s and others)",
            xenconsole_paths[0]);
        GC_FREE;
        return ERROR_FAIL;
    }
    if (type != LIBXL_CONSOLE_TYPE_SERIAL && type != LIBXL_CONSOLE_TYPE_PV &&
        type != LIBXL_CONSOLE_TYPE_VUART) {
        LOGD(ERROR, domid, "invalid console type %d", type);
        GC_FREE;
        return ERROR_INVAL;
    }
    argv[i++] = (char *)prog;
    argv[i++] = GCSPRINTF("%u", domid);
    argv[i++] = "--num";
    argv[i++] = GCSPRINTF("%d", cons_num);
    argv[i++] = "--type";
    argv[i++] = type == LIBXL_CONSOLE_TYPE_SERIAL ? "serial"
                : type == LIBXL_CONSOLE_TYPE_PV ? "pv" : "vuart";
    if (notify_fd >= 0) {
        argv[i++] = "--start-notify-fd";
        argv[i++] = GCSPRINTF("%d", notify_fd);
    }
    if (escape_character) {
        argv[i++] = "--escape";
        argv[i++] = escape_character;
    }
    argv[i] = NULL;
    execv(prog, argv);
    LOGE(ERROR, "exec %s", prog);
    GC_FREE;
    return ERROR_FAIL;
}

int libxl_primary_console_exec(libxl_ctx *ctx, uint32_t domid_vm,
                               int notify_fd, char *escape_character)
{
    GC_INIT(ctx);
    libxl_console_type type;
    int rc = primary_console(gc, domid_vm, &type);

    GC_FREE;
    if (rc)
        return rc;
    return libxl_console_exec(ctx, domid_vm, 0, type, notify_fd,
                              escape_character);
}
