/*
 * libxlu_disk.c - disk specifications (xl-disk-configuration(5)) into
 * libxl_device_disk. The scanner (libxlu_disk_l.l) splits a spec into
 * parameters; the functions here give them their meaning.
 *
 * SPDX-License-Identifier: LGPL-2.1-only
 */

#include <stdarg.h>

#include "libxlu_disk_i.h"
#include "libxlu_disk_l.h"

/* Longest part of a spec quoted in a message. */
#define SHOWN 200

void xlu__disk_err(DiskParseContext *dpc, const char *part,
                   const char *fmt, ...)
{
    FILE *f = dpc->cfg->report;
    const char *spec = dpc->spec ? dpc->spec : "";
    va_list ap;

    if (!dpc->err)
        dpc->err = EINVAL;
    if (!f)
        return;
    fprintf(f, "%s: invalid disk specification `%.*s%s': ",
            dpc->cfg->config_source, SHOWN, spec,
            strlen(spec) > SHOWN ? "..." : "");
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    if (part)
        fprintf(f, " (at `%.*s%s')", SHOWN, part,
                strlen(part) > SHOWN ? "..." : "");
    fputc('\n', f);
}

/*
 * Stores a string parameter. Giving one twice is an error, except that an
 * empty value may be replaced (an empty positional target followed by
 * target=..., for instance).
 */
static void set_string(DiskParseContext *dpc, const char *what, char **field,
                       const char *value)
{
    char *copy;

    if (*field && **field) {
        xlu__disk_err(dpc, value, "%s given more than once", what);
        return;
    }
    copy = strdup(value);
    if (!copy) {
        dpc->err = ENOMEM;
        return;
    }
    free(*field);
    *field = copy;
}

/* Stores an enumerated parameter: 0 (unknown) may be set, or set again to
 * the same value; anything else is a conflict. */
static void set_enum(DiskParseContext *dpc, const char *what, int *field,
                     int value, const char *text)
{
    if (*field && *field != value)
        xlu__disk_err(dpc, text, "%s given more than once", what);
    else
        *field = value;
}

static void set_format(DiskParseContext *dpc, const char *s)
{
    static const struct {
        const char *name;
        libxl_disk_format format;
    } formats[] = {
        { "", LIBXL_DISK_FORMAT_RAW },
        { "raw", LIBXL_DISK_FORMAT_RAW },
        { "qcow", LIBXL_DISK_FORMAT_QCOW },
        { "qcow2", LIBXL_DISK_FORMAT_QCOW2 },
        { "vhd", LIBXL_DISK_FORMAT_VHD },
        { "empty", LIBXL_DISK_FORMAT_EMPTY },
        { "qed", LIBXL_DISK_FORMAT_QED },
    };
    size_t i;

    for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        if (!strcmp(s, formats[i].name)) {
            int f = dpc->disk->format;

            set_enum(dpc, "format", &f, formats[i].format, s);
            dpc->disk->format = f;
            return;
        }
    }
    xlu__disk_err(dpc, s, "unknown format (expected raw, qcow, qcow2, vhd, "
                  "qed or empty)");
}

static void set_access(DiskParseContext *dpc, const char *s)
{
    if (!strcmp(s, "r") || !strcmp(s, "ro"))
        dpc->disk->readwrite = 0;
    else if (!strcmp(s, "") || !strcmp(s, "w") || !strcmp(s, "rw"))
        dpc->disk->readwrite = 1;
    else
        xlu__disk_err(dpc, s, "unknown access (expected r, ro, w or rw)");
}

static void set_backendtype(DiskParseContext *dpc, const char *s)
{
    int b = dpc->disk->backend, v;

    if (!strcmp(s, "phy"))
        v = LIBXL_DISK_BACKEND_PHY;
    else if (!strcmp(s, "tap"))
        v = LIBXL_DISK_BACKEND_TAP;
    else if (!strcmp(s, "qdisk"))
        v = LIBXL_DISK_BACKEND_QDISK;
    else if (!strcmp(s, "standalone"))
        v = LIBXL_DISK_BACKEND_STANDALONE;
    else {
        xlu__disk_err(dpc, s, "unknown backendtype (expected phy, tap, "
                      "qdisk or standalone)");
        return;
    }
    set_enum(dpc, "backendtype", &b, v, s);
    dpc->disk->backend = b;
}

static void set_specification(DiskParseContext *dpc, const char *s)
{
    int sp = dpc->disk->specification, v;

    if (!strcmp(s, "xen"))
        v = LIBXL_DISK_SPECIFICATION_XEN;
    else if (!strcmp(s, "virtio"))
        v = LIBXL_DISK_SPECIFICATION_VIRTIO;
    else {
        xlu__disk_err(dpc, s, "unknown specification (expected xen or "
                      "virtio)");
        return;
    }
    set_enum(dpc, "specification", &sp, v, s);
    dpc->disk->specification = sp;
}

static void set_devtype(DiskParseContext *dpc, const char *s)
{
    if (!strcmp(s, "cdrom"))
        dpc->disk->is_cdrom = 1;
    else if (!strcmp(s, "disk"))
        dpc->disk->is_cdrom = 0;
    else
        xlu__disk_err(dpc, s, "unknown devtype (expected disk or cdrom)");
}

void xlu__disk_keyword(DiskParseContext *dpc, const char *key,
                       const char *value)
{
    libxl_device_disk *disk = dpc->disk;

    if (!strcmp(key, "format"))
        set_format(dpc, value);
    else if (!strcmp(key, "devtype"))
        set_devtype(dpc, value);
    else if (!strcmp(key, "access"))
        set_access(dpc, value);
    else if (!strcmp(key, "backend"))
        set_string(dpc, "backend", &disk->backend_domname, value);
    else if (!strcmp(key, "backendtype"))
        set_backendtype(dpc, value);
    else if (!strcmp(key, "specification"))
        set_specification(dpc, value);
    else if (!strcmp(key, "vdev"))
        set_string(dpc, "vdev", &disk->vdev, value);
    else if (!strcmp(key, "script"))
        set_string(dpc, "script", &disk->script, value);
    else if (!strcmp(key, "target"))
        set_string(dpc, "target", &disk->pdev_path, value);
    else if (!strcmp(key, "colo-host"))
        set_string(dpc, "colo-host", &disk->colo_host, value);
    else if (!strcmp(key, "colo-export"))
        set_string(dpc, "colo-export", &disk->colo_export, value);
    else if (!strcmp(key, "active-disk"))
        set_string(dpc, "active-disk", &disk->active_disk, value);
    else if (!strcmp(key, "hidden-disk"))
        set_string(dpc, "hidden-disk", &disk->hidden_disk, value);
    else if (!strcmp(key, "colo-port")) {
        char *end;
        long port = strtol(value, &end, 10);

        if (end == value || *end || port <= 0 || port > 65535)
            xlu__disk_err(dpc, value, "colo-port must be a port number "
                          "from 1 to 65535");
        else
            disk->colo_port = (int)port;
    } else
        xlu__disk_err(dpc, key, "unknown parameter");
}

void xlu__disk_flag(DiskParseContext *dpc, const char *flag)
{
    libxl_device_disk *disk = dpc->disk;

    if (!strcmp(flag, "cdrom"))
        disk->is_cdrom = 1;
    else if (!strcmp(flag, "direct-io-safe"))
        disk->direct_io_safe = 1;
    else if (!strcmp(flag, "discard"))
        libxl_defbool_set(&disk->discard_enable, true);
    else if (!strcmp(flag, "no-discard"))
        libxl_defbool_set(&disk->discard_enable, false);
    else if (!strcmp(flag, "colo"))
        libxl_defbool_set(&disk->colo_enable, true);
    else if (!strcmp(flag, "no-colo"))
        libxl_defbool_set(&disk->colo_enable, false);
    else if (!strcmp(flag, "trusted"))
        libxl_defbool_set(&disk->trusted, true);
    else if (!strcmp(flag, "untrusted"))
        libxl_defbool_set(&disk->trusted, false);
    else
        xlu__disk_err(dpc, flag, "unknown flag");
}

static int is_lower_or_digit(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/*
 * Legacy "PREFIX:" before the target. Format prefixes set the format,
 * network block prefixes select a block-PREFIX script, the others (phy,
 * file, tap, ...) only mark that the format positional is absent. A word
 * of the same shape followed by anything but a letter or digit is an
 * unknown prefix; followed by one ("xvda:cdrom") it is no prefix at all.
 */
int xlu__disk_prefix(DiskParseContext *dpc, const char *text)
{
    static const char *const formats[] = { "raw", "qcow", "qcow2", "vhd" };
    static const char *const scripts[] = { "iscsi", "nbd", "enbd", "drbd" };
    static const char *const others[] = {
        "tapdisk", "tap", "tap2", "aio", "ioemu", "file", "phy",
    };
    char word[16];
    size_t n = 0, i;

    if (!(text[0] >= 'a' && text[0] <= 'z'))
        return 0;
    while (is_lower_or_digit(text[n]))
        n++;
    if (text[n] != ':')
        return 0;
    if (n < sizeof(word)) {
        memcpy(word, text, n);
        word[n] = 0;
        for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
            if (!strcmp(word, formats[i])) {
                dpc->had_prefix = 1;
                set_format(dpc, word);
                return n + 1;
            }
        }
        for (i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++) {
            if (!strcmp(word, scripts[i])) {
                char script[32];

                dpc->had_prefix = 1;
                snprintf(script, sizeof(script), "block-%s", word);
                set_string(dpc, "script", &dpc->disk->script, script);
                return n + 1;
            }
        }
        for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
            if (!strcmp(word, others[i])) {
                dpc->had_prefix = 1;
                return n + 1;
            }
        }
    }
    if (is_lower_or_digit(text[n + 1]))
        return 0;
    xlu__disk_err(dpc, NULL, "unknown legacy disk prefix `%.*s:'", (int)n,
                  text);
    return -1;
}

/* "VDEV:cdrom" or "VDEV:disk": returns 1 if value had that form. */
static int vdev_with_devtype(DiskParseContext *dpc, char *value)
{
    char *colon = strrchr(value, ':');

    if (!colon)
        return 0;
    *colon = 0;
    set_string(dpc, "vdev", &dpc->disk->vdev, value);
    if (!strcmp(colon + 1, "cdrom"))
        dpc->disk->is_cdrom = 1;
    else if (!strcmp(colon + 1, "disk"))
        dpc->disk->is_cdrom = 0;
    else
        xlu__disk_err(dpc, colon + 1, "unknown device type after `%s:' "
                      "(expected cdrom or disk)", value);
    return 1;
}

/*
 * The next unnamed parameter: target, then format (not after a legacy
 * prefix), then vdev, then access. Returns nonzero to stop scanning.
 */
int xlu__disk_positional(DiskParseContext *dpc, char *value)
{
    libxl_device_disk *disk = dpc->disk;

    if (dpc->err)
        return 0; /* the first error is enough */
    if (!disk->pdev_path) {
        set_string(dpc, "target", &disk->pdev_path, value);
    } else if (!dpc->had_prefix && disk->format == LIBXL_DISK_FORMAT_UNKNOWN) {
        /* With no target, ",hdc:cdrom" puts the vdev where the format
         * would be. */
        if (!*disk->pdev_path && vdev_with_devtype(dpc, value))
            disk->format = LIBXL_DISK_FORMAT_EMPTY;
        else
            set_format(dpc, value);
    } else if (!disk->vdev) {
        if (!vdev_with_devtype(dpc, value))
            set_string(dpc, "vdev", &disk->vdev, value);
    } else if (!dpc->access_set) {
        dpc->access_set = 1;
        set_access(dpc, value);
    } else {
        xlu__disk_err(dpc, value, "too many positional parameters "
                      "(expected at most target, format, vdev, access)");
        return 1;
    }
    return 0;
}

static int scan_one(DiskParseContext *dpc, const char *spec)
{
    YY_BUFFER_STATE buf;

    dpc->spec = spec;
    if (xlu__disk_yylex_init_extra(dpc, &dpc->scanner))
        return dpc->err = ENOMEM;
    buf = xlu__disk_yy_scan_string(spec, dpc->scanner);
    if (buf)
        xlu__disk_yylex(dpc->scanner);
    else
        dpc->err = ENOMEM;
    xlu__disk_yylex_destroy(dpc->scanner); /* frees buf too */
    dpc->scanner = NULL;
    return dpc->err;
}

int xlu_disk_parse(XLU_Config *cfg, int nspecs, const char *const *specs,
                   libxl_device_disk *disk)
{
    DiskParseContext dpc;
    int i;

    memset(&dpc, 0, sizeof(dpc));
    dpc.cfg = cfg;
    dpc.disk = disk;
    disk->readwrite = 1;

    for (i = 0; i < nspecs; i++) {
        if (!specs[i]) {
            xlu__disk_err(&dpc, NULL, "missing (NULL) disk specification");
            return dpc.err;
        }
        if (scan_one(&dpc, specs[i]))
            return dpc.err;
    }
    dpc.spec = nspecs > 0 ? specs[nspecs - 1] : "";

    if (disk->format == LIBXL_DISK_FORMAT_UNKNOWN)
        disk->format = LIBXL_DISK_FORMAT_RAW;
    if (disk->is_cdrom) {
        /* A CD-ROM drive is removable and read-only; without a target it
         * is an empty drive. */
        disk->removable = 1;
        disk->readwrite = 0;
        if (!disk->pdev_path || !*disk->pdev_path)
            disk->format = LIBXL_DISK_FORMAT_EMPTY;
    }
    if (!disk->vdev) {
        xlu__disk_err(&dpc, NULL, "no vdev (virtual device) given");
        return dpc.err;
    }
    if (!disk->pdev_path && !disk->removable) {
        xlu__disk_err(&dpc, NULL,
                      "no target given (only a CD-ROM may have none)");
        return dpc.err;
    }
    return 0;
}
