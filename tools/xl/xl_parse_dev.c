/*
 * xl: domain configuration, the device lists: disk=, vif=, vfb=, and
 * the raw resources ioports=, irqs=, iomem=.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xl.h"
#include "xl_parse.h"
#include "xl_utils.h"

/* Grows an array of libxl devices by one initialised element. */
#define ARRAY_APPEND(array, count, initfn)                              \
    ({                                                                  \
        (array) = xrealloc((array), sizeof(*(array)) * ((count) + 1));  \
        initfn(&(array)[(count)]);                                      \
        &(array)[(count)++];                                            \
    })

/* ---- disk= ---- */

void parse_disks(const xl_cfg *x, libxl_domain_config *d)
{
    XLU_ConfigList *list;
    const char *spec;
    int e;

    switch (cfg_list(x, "disk", &list, NULL)) {
    case ESRCH:
        return;
    case EINVAL:
        cfg_die(x, "invalid value for disk: a string (expected a list of "
                "disk specifications)");
    }

    while ((spec = xlu_cfg_get_listitem(list, d->num_disks))) {
        libxl_device_disk *disk =
            ARRAY_APPEND(d->disks, d->num_disks, libxl_device_disk_init);

        /* libxlutil says what is wrong inside the spec. */
        e = xlu_disk_parse(x->cfg, 1, &spec, disk);
        if (e == EINVAL)
            cfg_bad_value(x, "disk", spec,
                          "a disk spec, see xl-disk-configuration(5)");
        if (e)
            cfg_die(x, "cannot parse disk '%s': %s", spec, strerror(e));
    }
}

/* ---- vif= ---- */

void set_default_nic_values(libxl_device_nic *nic)
{
    if (xlconf.default_vifscript) {
        free(nic->script);
        nic->script = xstrdup(xlconf.default_vifscript);
    }
    if (xlconf.default_bridge) {
        free(nic->bridge);
        nic->bridge = xstrdup(xlconf.default_bridge);
    }
    if (xlconf.default_gatewaydev) {
        free(nic->gatewaydev);
        nic->gatewaydev = xstrdup(xlconf.default_gatewaydev);
    }
    if (xlconf.default_vifbackend) {
        free(nic->backend_domname);
        nic->backend_domname = xstrdup(xlconf.default_vifbackend);
    }
}

/* Six hex bytes separated by ':' (or '-'). */
static int parse_mac(const char *s, libxl_mac mac)
{
    char *end;
    unsigned long b;
    int i;

    for (i = 0; i < 6; i++) {
        if (!isxdigit((unsigned char)*s))
            return -1;
        b = strtoul(s, &end, 16);
        if (b > 255 || end - s > 2)
            return -1;
        mac[i] = (uint8_t)b;
        if (i < 5 && *end != ':' && *end != '-')
            return -1;
        s = end + (i < 5);
    }
    return *end ? -1 : 0;
}

/* A positive number of at most 32 bits, digits only (a leading 0 is
 * octal, as upstream), followed by *end. */
static int parse_u64_prefix(const char *s, uint64_t *v, char **end)
{
    if (!isdigit((unsigned char)*s) || (s[0] == '0' && (s[1] == 'x' ||
                                                        s[1] == 'X')))
        return -1;
    errno = 0;
    *v = strtoull(s, end, 0);
    return errno || !*v || *v > UINT32_MAX ? -1 : 0;
}

/*
 * rate=RATE[@INTERVAL]: RATE is N[K|M|G]B/s (bytes) or N[K|M|G]b/s
 * (bits); INTERVAL is N[s|ms|us], default 50ms. libxl wants the bytes
 * allowed per interval.
 */
static int parse_vif_rate(const char *spec, libxl_device_nic *nic)
{
    uint64_t rate, interval = 50000, mult = 1;
    char *copy = xstrdup(spec), *at, *p;
    int rc = -1;

    at = strchr(copy, '@');
    if (at)
        *at++ = '\0';

    if (parse_u64_prefix(copy, &rate, &p))
        goto out;
    if (*p == 'G')
        mult = 1000000000, p++;
    else if (*p == 'M')
        mult = 1000000, p++;
    else if (*p == 'K')
        mult = 1000, p++;
    if ((p[0] != 'B' && p[0] != 'b') || strcmp(p + 1, "/s"))
        goto out;
    rate *= mult;
    if (p[0] == 'b')
        rate /= 8;

    if (at) {
        if (parse_u64_prefix(at, &interval, &p))
            goto out;
        if (!strcmp(p, "") || !strcmp(p, "s"))
            interval *= 1000000;
        else if (!strcmp(p, "ms") || !strcmp(p, "m"))
            interval *= 1000;
        else if (strcmp(p, "us") && strcmp(p, "u"))
            goto out;
        if (interval > UINT32_MAX)
            goto out;
    }
    if (rate > UINT64_MAX / interval)
        goto out;

    nic->rate_interval_usecs = (uint32_t)interval;
    nic->rate_bytes_per_interval = rate * interval / 1000000;
    rc = 0;
out:
    free(copy);
    return rc;
}

static int parse_ulong_value(const char *s, unsigned long max,
                             unsigned long *v)
{
    char *end;

    if (!isdigit((unsigned char)*s))
        return -1;
    errno = 0;
    *v = strtoul(s, &end, 10);
    return errno || *end || *v > max ? -1 : 0;
}

/* The vif spec keys stored as strings, and where. */
static const struct {
    const char *key;
    size_t offset;
} nic_string_keys[] = {
    {"bridge", offsetof(libxl_device_nic, bridge)},
    {"gatewaydev", offsetof(libxl_device_nic, gatewaydev)},
    {"netdev", offsetof(libxl_device_nic, gatewaydev)}, /* old name */
    {"ip", offsetof(libxl_device_nic, ip)},
    {"script", offsetof(libxl_device_nic, script)},
    {"backend", offsetof(libxl_device_nic, backend_domname)},
    {"vifname", offsetof(libxl_device_nic, ifname)},
    {"model", offsetof(libxl_device_nic, model)},
};

int parse_nic_config(const xl_cfg *x, libxl_device_nic *nic,
                     const char *token)
{
    const char *eq = strchr(token, '=');
    const char *val = eq ? eq + 1 : NULL;
    size_t klen = eq ? (size_t)(eq - token) : strlen(token);
    unsigned long ul;
    size_t i;

#define KEY_IS(k) (klen == strlen(k) && !strncmp(token, k, klen))
    if (!eq) {
        if (!strcmp(token, "trusted"))
            libxl_defbool_set(&nic->trusted, true);
        else if (!strcmp(token, "untrusted"))
            libxl_defbool_set(&nic->trusted, false);
        else
            goto unknown;
        return 0;
    }

    for (i = 0; i < ARRAY_SIZE(nic_string_keys); i++) {
        if (KEY_IS(nic_string_keys[i].key)) {
            char **dst = (char **)((char *)nic + nic_string_keys[i].offset);

            if (KEY_IS("netdev"))
                cfg_warn(x, "vif: netdev= is deprecated, use gatewaydev=");
            free(*dst);
            *dst = xstrdup(val);
            return 0;
        }
    }

    if (KEY_IS("type")) {
        if (!strcmp(val, "vif"))
            nic->nictype = LIBXL_NIC_TYPE_VIF;
        else if (!strcmp(val, "ioemu"))
            nic->nictype = LIBXL_NIC_TYPE_VIF_IOEMU;
        else
            cfg_bad_value(x, "vif type", val, "one of vif, ioemu");
    } else if (KEY_IS("mac")) {
        if (parse_mac(val, nic->mac))
            cfg_bad_value(x, "vif mac", val, "a MAC such as 00:16:3e:12:34:56");
    } else if (KEY_IS("rate")) {
        if (parse_vif_rate(val, nic))
            cfg_bad_value(x, "vif rate", val,
                          "N[K|M|G]B/s or N[K|M|G]b/s, optionally "
                          "@N[s|ms|us]");
    } else if (KEY_IS("devid")) {
        if (parse_ulong_value(val, INT_MAX, &ul))
            cfg_bad_value(x, "vif devid", val, "a number");
        nic->devid = (libxl_devid)ul;
    } else if (KEY_IS("mtu")) {
        if (parse_ulong_value(val, UINT32_MAX, &ul))
            cfg_bad_value(x, "vif mtu", val, "a number");
        nic->mtu = (unsigned int)ul;
    } else if (KEY_IS("accel")) {
        cfg_warn(x, "vif: accel= is not supported and ignored");
    } else {
        goto unknown;
    }
    return 0;
#undef KEY_IS

unknown:
    cfg_die(x, "unknown vif setting '%s' (expected type, mac, bridge, ip, "
            "script, backend, vifname, model, rate, gatewaydev, devid, "
            "mtu, trusted, untrusted)", token);
}

void parse_nics(const xl_cfg *x, libxl_domain_config *d)
{
    XLU_ConfigList *list;
    const char *spec;

    switch (cfg_list(x, "vif", &list, NULL)) {
    case ESRCH:
        return;
    case EINVAL:
        cfg_die(x, "invalid value for vif: a string (expected a list of "
                "vif specifications)");
    }

    while ((spec = xlu_cfg_get_listitem(list, d->num_nics))) {
        int index = d->num_nics;
        libxl_device_nic *nic =
            ARRAY_APPEND(d->nics, d->num_nics, libxl_device_nic_init);
        char **items;
        size_t i;

        nic->devid = index;
        set_default_nic_values(nic);
        items = xl_spec_split(spec);
        for (i = 0; items[i]; i++)
            parse_nic_config(x, nic, items[i]);
        xl_spec_release();
    }
}

/* ---- vfb= ---- */

static int parse_int_value(const char *s, int *v)
{
    char *end;
    long l;

    errno = 0;
    l = strtol(s, &end, 10);
    if (errno || end == s || *end || l < INT_MIN || l > INT_MAX)
        return -1;
    *v = (int)l;
    return 0;
}

static void parse_vfb_item(const xl_cfg *x, libxl_device_vfb *vfb,
                           const char *item)
{
    const char *eq = strchr(item, '=');
    char key[32];
    const char *val;
    int n;

    if (!eq)
        cfg_die(x, "vfb: '%s' is not KEY=VALUE", item);
    if ((size_t)(eq - item) >= sizeof(key))
        goto unknown;
    memcpy(key, item, eq - item);
    key[eq - item] = '\0';
    val = eq + 1;

    if (!strcmp(key, "vnclisten")) {
        free(vfb->vnc.listen);
        vfb->vnc.listen = xstrdup(val);
    } else if (!strcmp(key, "vncpasswd")) {
        free(vfb->vnc.passwd);
        vfb->vnc.passwd = xstrdup(val);
    } else if (!strcmp(key, "keymap")) {
        free(vfb->keymap);
        vfb->keymap = xstrdup(val);
    } else if (!strcmp(key, "display")) {
        free(vfb->sdl.display);
        vfb->sdl.display = xstrdup(val);
    } else if (!strcmp(key, "xauthority")) {
        free(vfb->sdl.xauthority);
        vfb->sdl.xauthority = xstrdup(val);
    } else if (!strcmp(key, "vnc") || !strcmp(key, "vncunused") ||
               !strcmp(key, "sdl") || !strcmp(key, "opengl") ||
               !strcmp(key, "vncdisplay")) {
        if (parse_int_value(val, &n)) {
            char what[48];

            snprintf(what, sizeof(what), "vfb %s", key);
            cfg_bad_value(x, what, val, "a number");
        }
        if (!strcmp(key, "vnc"))
            libxl_defbool_set(&vfb->vnc.enable, n);
        else if (!strcmp(key, "vncunused"))
            libxl_defbool_set(&vfb->vnc.findunused, n);
        else if (!strcmp(key, "sdl"))
            libxl_defbool_set(&vfb->sdl.enable, n);
        else if (!strcmp(key, "opengl"))
            libxl_defbool_set(&vfb->sdl.opengl, n);
        else
            vfb->vnc.display = n;
    } else {
        goto unknown;
    }
    return;

unknown:
    cfg_die(x, "unknown vfb setting '%s' (expected vnc, vnclisten, "
            "vncpasswd, vncdisplay, vncunused, keymap, sdl, opengl, "
            "display, xauthority)", item);
}

/* Each framebuffer comes with a virtual keyboard, as upstream. */
static void add_vfb_vkb(libxl_domain_config *d, libxl_device_vfb **vfb)
{
    int vfb_id = d->num_vfbs, vkb_id = d->num_vkbs;
    libxl_device_vkb *vkb;

    *vfb = ARRAY_APPEND(d->vfbs, d->num_vfbs, libxl_device_vfb_init);
    (*vfb)->devid = vfb_id;
    vkb = ARRAY_APPEND(d->vkbs, d->num_vkbs, libxl_device_vkb_init);
    vkb->devid = vkb_id;
}

void parse_vfbs(const xl_cfg *x, libxl_domain_config *d)
{
    XLU_ConfigList *list;
    const char *spec;

    switch (cfg_list(x, "vfb", &list, NULL)) {
    case ESRCH:
        return;
    case EINVAL:
        cfg_die(x, "invalid value for vfb: a string (expected a list of "
                "vfb specifications)");
    }

    while ((spec = xlu_cfg_get_listitem(list, d->num_vfbs))) {
        libxl_device_vfb *vfb;
        char **items;
        size_t i;

        add_vfb_vkb(d, &vfb);
        items = xl_spec_split(spec);
        for (i = 0; items[i]; i++)
            parse_vfb_item(x, vfb, items[i]);
        xl_spec_release();
    }
}

void parse_pv_top_level_vnc(const xl_cfg *x, libxl_domain_config *d)
{
    libxl_device_vfb *vfb;
    long l;

    if (!cfg_long(x, "vnc", &l) || !l)
        return;
    add_vfb_vkb(d, &vfb);
    parse_vnc_sdl(x, &vfb->vnc, &vfb->sdl);
    cfg_replace_string(x, "keymap", &vfb->keymap);
}

/* ---- ioports=, irqs=, iomem= ---- */

static int parse_hex32(const char *s, uint32_t *v, const char **end)
{
    char *e;
    unsigned long ul;

    if (!isxdigit((unsigned char)*s))
        return -1;
    errno = 0;
    ul = strtoul(s, &e, 16);
    if (errno || ul >= UINT32_MAX)
        return -1;
    *v = (uint32_t)ul;
    *end = e;
    return 0;
}

static const char *list_or_die(const xl_cfg *x, const char *key,
                               XLU_ConfigList **list, int *count)
{
    int e = cfg_list(x, key, list, count);

    if (e == ESRCH)
        return NULL;
    if (e)
        cfg_die(x, "invalid value for %s: a string (expected a list)", key);
    return key;
}

void parse_ioports_irqs_iomem(const xl_cfg *x, libxl_domain_build_info *b)
{
    XLU_ConfigList *list;
    const char *item, *end;
    int count, i;

    if (list_or_die(x, "ioports", &list, &count)) {
        b->num_ioports = count;
        b->ioports = xcalloc(count, sizeof(*b->ioports));
        for (i = 0; i < count; i++) {
            uint32_t first, last;

            item = xlu_cfg_get_listitem(list, i);
            libxl_ioport_range_init(&b->ioports[i]);
            if (parse_hex32(item, &first, &end))
                goto bad_ioport;
            last = first;
            if (*end == '-' && parse_hex32(end + 1, &last, &end))
                goto bad_ioport;
            if (*end || last < first)
                goto bad_ioport;
            b->ioports[i].first = first;
            b->ioports[i].number = last - first + 1;
            continue;
        bad_ioport:
            cfg_bad_value(x, "ioports", item, "hex PORT or FIRST-LAST");
        }
    }

    if (list_or_die(x, "irqs", &list, &count)) {
        b->num_irqs = count;
        b->irqs = xcalloc(count, sizeof(*b->irqs));
        for (i = 0; i < count; i++) {
            unsigned long ul;

            item = xlu_cfg_get_listitem(list, i);
            if (parse_ulong_value(item, UINT32_MAX - 1, &ul))
                cfg_bad_value(x, "irqs", item, "a decimal IRQ number");
            b->irqs[i] = (uint32_t)ul;
        }
    }

    if (list_or_die(x, "iomem", &list, &count)) {
        b->num_iomem = count;
        b->iomem = xcalloc(count, sizeof(*b->iomem));
        for (i = 0; i < count; i++) {
            int used = -1, got;

            item = xlu_cfg_get_listitem(list, i);
            libxl_iomem_range_init(&b->iomem[i]);
            got = sscanf(item, "%" SCNx64 ",%" SCNx64 "%n@%" SCNx64 "%n",
                         &b->iomem[i].start, &b->iomem[i].number, &used,
                         &b->iomem[i].gfn, &used);
            if (got < 2 || used < 0 || item[used])
                cfg_bad_value(x, "iomem", item,
                              "hex START,PAGES[@GFN]");
        }
    }
}
