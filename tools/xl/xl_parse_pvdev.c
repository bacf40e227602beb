/*
 * xl: domain configuration, the less common device lists: pci=,
 * dtdev=, channel=, vtpm=, p9=, pvcalls=, usbctrl=, usbdev=, vkb=.
 *
 * Their specs are comma-separated KEY=VALUE items. Upstream xl skips
 * some malformed items silently; here any item it cannot use is an
 * error naming the device list and the item.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xl.h"
#include "xl_parse.h"
#include "xl_utils.h"

#define APPEND(array, count, initfn)                                   \
    ({                                                                 \
        (array) = xrealloc((array), sizeof(*(array)) * ((count) + 1)); \
        initfn(&(array)[(count)]);                                     \
        &(array)[(count)++];                                           \
    })

/* One KEY=VALUE item of a spec, trimmed of blanks. */
struct item {
    char key[64];
    const char *val;
};

/*
 * The items of spec (xl_spec_split) as KEY=VALUE or a bare word (val
 * NULL), blanks trimmed around both.  Global for the same reason as the
 * split itself (see xl_spec_split); spec_release() frees both.
 */
static struct item *spec_items;

static void spec_release(void)
{
    free(spec_items);
    spec_items = NULL;
    xl_spec_release();
}

static struct item *split_items(const xl_cfg *x, const char *what,
                                const char *spec, int *n)
{
    char **words, *p, *eq, *end;
    struct item *items;
    size_t i;

    spec_release();
    words = xl_spec_split(spec);
    for (i = 0; words[i]; i++)
        ;
    items = spec_items = xcalloc(i + 1, sizeof(*items));
    *n = 0;
    for (i = 0; words[i]; i++) {
        p = words[i];
        while (isspace((unsigned char)*p))
            p++;
        end = p + strlen(p);
        while (end > p && isspace((unsigned char)end[-1]))
            *--end = '\0';
        if (!*p)
            continue;
        eq = strchr(p, '=');
        if (eq) {
            char *k = eq;

            *eq = '\0';
            while (k > p && isspace((unsigned char)k[-1]))
                *--k = '\0';
            items[*n].val = eq + 1;
            while (isspace((unsigned char)*items[*n].val))
                items[*n].val++;
        }
        if (strlen(p) >= sizeof(items[*n].key))
            cfg_die(x, "%s: unknown setting '%s'", what, p);
        strcpy(items[*n].key, p);
        (*n)++;
    }
    return items;
}

static void need_value(const xl_cfg *x, const char *what,
                       const struct item *it)
{
    if (!it->val)
        cfg_die(x, "%s: '%s' needs a value (%s=...)", what, it->key,
                it->key);
}

static void unknown(const xl_cfg *x, const char *what, const struct item *it,
                    const char *known)
{
    cfg_die(x, "unknown %s setting '%s%s%s' (expected %s)", what, it->key,
            it->val ? "=" : "", it->val ? it->val : "", known);
}

static unsigned long item_ulong(const xl_cfg *x, const char *what,
                                const struct item *it, unsigned long max)
{
    char *end, label[96];
    unsigned long v;

    need_value(x, what, it);
    errno = 0;
    v = strtoul(it->val, &end, 0);
    if (!isdigit((unsigned char)*it->val) || errno || *end || v > max) {
        snprintf(label, sizeof(label), "%s %s", what, it->key);
        cfg_bad_value(x, label, it->val, "a number");
    }
    return v;
}

/* Returns the list, NULL when the key is absent; a string is an error. */
static XLU_ConfigList *get_list(const xl_cfg *x, const char *key)
{
    XLU_ConfigList *list = NULL;

    switch (cfg_list(x, key, &list, NULL)) {
    case ESRCH:
        return NULL;
    case EINVAL:
        cfg_die(x, "invalid value for %s: a string (expected a list)", key);
    }
    return list;
}

/* ---- pci=, rdm=, dtdev= ---- */

void parse_pci_devices(const xl_cfg *x, libxl_domain_config *d)
{
    libxl_domain_build_info *b = &d->b_info;
    long msitranslate = 0, power_mgmt = 0, permissive = 0, seize = 0;
    XLU_ConfigList *list;
    const char *s;
    int i;

    cfg_long(x, "pci_msitranslate", &msitranslate);
    cfg_long(x, "pci_power_mgmt", &power_mgmt);
    cfg_long(x, "pci_permissive", &permissive);
    cfg_long(x, "pci_seize", &seize);

    if (cfg_string(x, "rdm", &s)) {
        libxl_rdm_reserve rdm;

        /* Reserved device memory only exists for HVM guests. */
        if (b->type != LIBXL_DOMAIN_TYPE_HVM)
            cfg_die(x, "rdm= is only for HVM guests");
        libxl_rdm_reserve_init(&rdm);
        if (xlu_rdm_parse(x->cfg, &rdm, s))
            cfg_bad_value(x, "rdm", s, "strategy=ignore|host,policy="
                          "strict|relaxed");
        b->u.hvm.rdm.strategy = rdm.strategy;
        b->u.hvm.rdm.policy = rdm.policy;
        libxl_rdm_reserve_dispose(&rdm);
    }

    list = get_list(x, "pci");
    for (i = 0; list && (s = xlu_cfg_get_listitem(list, i)); i++) {
        libxl_device_pci *pci =
            APPEND(d->pcidevs, d->num_pcidevs, libxl_device_pci_init);

        pci->msitranslate = msitranslate != 0;
        pci->power_mgmt = power_mgmt != 0;
        pci->permissive = permissive != 0;
        pci->seize = seize != 0;
        /* Each device follows the domain's policy unless it says. */
        pci->rdm_policy = b->type == LIBXL_DOMAIN_TYPE_HVM
                              ? b->u.hvm.rdm.policy
                              : LIBXL_RDM_RESERVE_POLICY_STRICT;
        if (xlu_pci_parse_spec_string(x->cfg, pci, s))
            cfg_bad_value(x, "pci", s, "a PCI_SPEC_STRING, see "
                          "xl-pci-configuration(5)");
    }
    /* A PV guest with host devices sees the host's memory map. */
    if (d->num_pcidevs && b->type == LIBXL_DOMAIN_TYPE_PV)
        libxl_defbool_set(&b->u.pv.e820_host, true);

    list = get_list(x, "dtdev");
    for (i = 0; list && (s = xlu_cfg_get_listitem(list, i)); i++) {
        libxl_device_dtdev *dt =
            APPEND(d->dtdevs, d->num_dtdevs, libxl_device_dtdev_init);

        dt->path = xstrdup(s);
    }
}

/* ---- channel= ---- */

static void parse_channel(const xl_cfg *x, libxl_device_channel *chn,
                          const char *spec)
{
    static const char *const known = "backend, name, path, connection";
    const char *path = NULL;
    struct item *it;
    int n, i;

    it = split_items(x, "channel", spec, &n);
    for (i = 0; i < n; i++) {
        if (!strcmp(it[i].key, "backend")) {
            need_value(x, "channel", &it[i]);
            free(chn->backend_domname);
            chn->backend_domname = xstrdup(it[i].val);
        } else if (!strcmp(it[i].key, "name")) {
            need_value(x, "channel", &it[i]);
            free(chn->name);
            chn->name = xstrdup(it[i].val);
        } else if (!strcmp(it[i].key, "path")) {
            need_value(x, "channel", &it[i]);
            path = it[i].val;
        } else if (!strcmp(it[i].key, "connection")) {
            need_value(x, "channel", &it[i]);
            if (!strcmp(it[i].val, "pty"))
                chn->connection = LIBXL_CHANNEL_CONNECTION_PTY;
            else if (!strcmp(it[i].val, "socket"))
                chn->connection = LIBXL_CHANNEL_CONNECTION_SOCKET;
            else
                cfg_bad_value(x, "channel connection", it[i].val,
                              "one of pty, socket");
        } else {
            unknown(x, "channel", &it[i], known);
        }
    }
    switch (chn->connection) {
    case LIBXL_CHANNEL_CONNECTION_PTY:
        break;
    case LIBXL_CHANNEL_CONNECTION_SOCKET:
        if (!path)
            cfg_die(x, "channel '%s': connection=socket needs path=", spec);
        chn->u.socket.path = xstrdup(path);
        break;
    default:
        cfg_die(x, "channel '%s' needs connection=pty or connection=socket",
                spec);
    }
    spec_release();
}

/* ---- vtpm=, p9=, pvcalls= ---- */

static void parse_vtpm(const xl_cfg *x, libxl_device_vtpm *vtpm,
                       const char *spec)
{
    struct item *it;
    int n, i;

    it = split_items(x, "vtpm", spec, &n);
    for (i = 0; i < n; i++) {
        need_value(x, "vtpm", &it[i]);
        if (!strcmp(it[i].key, "backend")) {
            free(vtpm->backend_domname);
            vtpm->backend_domname = xstrdup(it[i].val);
        } else if (!strcmp(it[i].key, "uuid")) {
            if (libxl_uuid_from_string(&vtpm->uuid, it[i].val))
                cfg_bad_value(x, "vtpm uuid", it[i].val, "a UUID");
        } else {
            unknown(x, "vtpm", &it[i], "backend, uuid");
        }
    }
    if (!vtpm->backend_domname)
        cfg_die(x, "vtpm '%s' needs backend=", spec);
    spec_release();
}

static void parse_p9(const xl_cfg *x, libxl_device_p9 *p9, const char *spec)
{
    static const struct {
        const char *key;
        size_t off;
    } keys[] = {
        {"security_model", offsetof(libxl_device_p9, security_model)},
        {"path", offsetof(libxl_device_p9, path)},
        {"tag", offsetof(libxl_device_p9, tag)},
        {"backend", offsetof(libxl_device_p9, backend_domname)},
    };
    struct item *it;
    size_t k;
    int n, i;

    it = split_items(x, "p9", spec, &n);
    for (i = 0; i < n; i++) {
        need_value(x, "p9", &it[i]);
        for (k = 0; k < ARRAY_SIZE(keys); k++) {
            if (!strcmp(it[i].key, keys[k].key)) {
                char **dst = (char **)((char *)p9 + keys[k].off);

                free(*dst);
                *dst = xstrdup(it[i].val);
                break;
            }
        }
        if (k == ARRAY_SIZE(keys))
            unknown(x, "p9", &it[i], "security_model, path, tag, backend");
    }
    if (!p9->path || !p9->security_model || !p9->tag)
        cfg_die(x, "p9 '%s' needs path=, security_model= and tag=", spec);
    spec_release();
}

static void parse_pvcalls(const xl_cfg *x, libxl_device_pvcallsif *pv,
                          const char *spec)
{
    struct item *it;
    int n, i;

    it = split_items(x, "pvcalls", spec, &n);
    for (i = 0; i < n; i++) {
        need_value(x, "pvcalls", &it[i]);
        if (strcmp(it[i].key, "backend"))
            unknown(x, "pvcalls", &it[i], "backend");
        free(pv->backend_domname);
        pv->backend_domname = xstrdup(it[i].val);
    }
    spec_release();
}

/* ---- usbctrl=, usbdev= ---- */

static const struct xl_enum_name usbctrl_type_names[] = {
    {"auto", LIBXL_USBCTRL_TYPE_AUTO},
    {"pv", LIBXL_USBCTRL_TYPE_PV},
    {"devicemodel", LIBXL_USBCTRL_TYPE_DEVICEMODEL},
    {"qusb", LIBXL_USBCTRL_TYPE_QUSB},
};

static void parse_usbctrl(const xl_cfg *x, libxl_device_usbctrl *u,
                          const char *spec)
{
    struct item *it;
    int n, i, v;

    it = split_items(x, "usbctrl", spec, &n);
    for (i = 0; i < n; i++) {
        if (!strcmp(it[i].key, "type")) {
            need_value(x, "usbctrl", &it[i]);
            if (!lookup_enum(usbctrl_type_names,
                             ARRAY_SIZE(usbctrl_type_names), true,
                             it[i].val, &v))
                cfg_bad_value(x, "usbctrl type", it[i].val,
                              "one of auto, pv, devicemodel, qusb");
            u->type = v;
        } else if (!strcmp(it[i].key, "version")) {
            u->version = (int)item_ulong(x, "usbctrl", &it[i], INT_MAX);
        } else if (!strcmp(it[i].key, "ports")) {
            u->ports = (int)item_ulong(x, "usbctrl", &it[i], INT_MAX);
        } else {
            unknown(x, "usbctrl", &it[i], "type, version, ports");
        }
    }
    spec_release();
}

static void parse_usbdev(const xl_cfg *x, libxl_device_usbdev *u,
                         const char *spec)
{
    struct item *it;
    int n, i;

    it = split_items(x, "usbdev", spec, &n);
    for (i = 0; i < n; i++) {
        if (!strcmp(it[i].key, "type")) {
            need_value(x, "usbdev", &it[i]);
            if (strcasecmp(it[i].val, "hostdev"))
                cfg_bad_value(x, "usbdev type", it[i].val, "hostdev");
            u->type = LIBXL_USBDEV_TYPE_HOSTDEV;
        } else if (!strcmp(it[i].key, "hostbus")) {
            u->u.hostdev.hostbus =
                (uint8_t)item_ulong(x, "usbdev", &it[i], UINT8_MAX);
        } else if (!strcmp(it[i].key, "hostaddr")) {
            u->u.hostdev.hostaddr =
                (uint8_t)item_ulong(x, "usbdev", &it[i], UINT8_MAX);
        } else if (!strcmp(it[i].key, "controller")) {
            u->ctrl = (libxl_devid)item_ulong(x, "usbdev", &it[i], INT_MAX);
        } else if (!strcmp(it[i].key, "port")) {
            u->port = (int)item_ulong(x, "usbdev", &it[i], INT_MAX);
        } else {
            unknown(x, "usbdev", &it[i],
                    "type, hostbus, hostaddr, controller, port");
        }
    }
    spec_release();
}

/* ---- vkb= ---- */

static void parse_vkb(const xl_cfg *x, libxl_device_vkb *vkb,
                      const char *spec)
{
    /* The keys are the xenstore names of kbdif.h. */
    static const struct {
        const char *key;
        size_t off;
        bool is_bool;
    } nums[] = {
        {"feature-disable-keyboard",
         offsetof(libxl_device_vkb, feature_disable_keyboard), true},
        {"feature-disable-pointer",
         offsetof(libxl_device_vkb, feature_disable_pointer), true},
        {"feature-abs-pointer",
         offsetof(libxl_device_vkb, feature_abs_pointer), true},
        {"feature-raw-pointer",
         offsetof(libxl_device_vkb, feature_raw_pointer), true},
        {"feature-multi-touch",
         offsetof(libxl_device_vkb, feature_multi_touch), true},
        {"multi-touch-width", offsetof(libxl_device_vkb, multi_touch_width),
         false},
        {"multi-touch-height",
         offsetof(libxl_device_vkb, multi_touch_height), false},
        {"multi-touch-num-contacts",
         offsetof(libxl_device_vkb, multi_touch_num_contacts), false},
        {"width", offsetof(libxl_device_vkb, width), false},
        {"height", offsetof(libxl_device_vkb, height), false},
    };
    struct item *it;
    size_t k;
    int n, i;

    it = split_items(x, "vkb", spec, &n);
    for (i = 0; i < n; i++) {
        need_value(x, "vkb", &it[i]);
        if (!strcmp(it[i].key, "backend")) {
            free(vkb->backend_domname);
            vkb->backend_domname = xstrdup(it[i].val);
            continue;
        }
        if (!strcmp(it[i].key, "backend-type")) {
            if (!strcasecmp(it[i].val, "qemu"))
                vkb->backend_type = LIBXL_VKB_BACKEND_QEMU;
            else if (!strcasecmp(it[i].val, "linux"))
                vkb->backend_type = LIBXL_VKB_BACKEND_LINUX;
            else
                cfg_bad_value(x, "vkb backend-type", it[i].val,
                              "one of qemu, linux");
            continue;
        }
        if (!strcmp(it[i].key, "unique-id")) {
            free(vkb->unique_id);
            vkb->unique_id = xstrdup(it[i].val);
            continue;
        }
        for (k = 0; k < ARRAY_SIZE(nums); k++) {
            if (!strcmp(it[i].key, nums[k].key))
                break;
        }
        if (k == ARRAY_SIZE(nums))
            unknown(x, "vkb", &it[i], "backend, backend-type, unique-id, "
                    "feature-*, multi-touch-*, width, height");
        if (nums[k].is_bool)
            *(bool *)((char *)vkb + nums[k].off) =
                item_ulong(x, "vkb", &it[i], UINT32_MAX) != 0;
        else
            *(uint32_t *)((char *)vkb + nums[k].off) =
                (uint32_t)item_ulong(x, "vkb", &it[i], UINT32_MAX);
    }
    if (vkb->backend_type == LIBXL_VKB_BACKEND_UNKNOWN)
        cfg_die(x, "vkb '%s' needs backend-type=", spec);
    /* Multi-touch comes with its geometry, and the geometry turns it on. */
    if (vkb->multi_touch_width || vkb->multi_touch_height ||
        vkb->multi_touch_num_contacts)
        vkb->feature_multi_touch = true;
    else if (vkb->feature_multi_touch)
        cfg_die(x, "vkb '%s': feature-multi-touch needs multi-touch-width, "
                "multi-touch-height and multi-touch-num-contacts", spec);
    spec_release();
}

/* ---- All of them ---- */

void parse_pv_devices(const xl_cfg *x, libxl_domain_config *d)
{
    XLU_ConfigList *list;
    const char *s;
    int i;

#define EACH(key) \
    for (list = get_list(x, key), i = 0; \
         list && (s = xlu_cfg_get_listitem(list, i)); i++)

    EACH("p9") {
        libxl_device_p9 *p = APPEND(d->p9s, d->num_p9s, libxl_device_p9_init);

        /* No devid: upstream leaves 9pfs numbering to libxl. */
        parse_p9(x, p, s);
    }
    EACH("vtpm") {
        libxl_device_vtpm *v =
            APPEND(d->vtpms, d->num_vtpms, libxl_device_vtpm_init);

        v->devid = i;
        parse_vtpm(x, v, s);
    }
    EACH("pvcalls") {
        libxl_device_pvcallsif *p = APPEND(d->pvcallsifs, d->num_pvcallsifs,
                                           libxl_device_pvcallsif_init);

        p->devid = i;
        parse_pvcalls(x, p, s);
    }
    EACH("channel") {
        libxl_device_channel *c =
            APPEND(d->channels, d->num_channels, libxl_device_channel_init);

        c->devid = i;
        parse_channel(x, c, s);
    }
#undef EACH
}

void parse_usb_devices(const xl_cfg *x, libxl_domain_config *d)
{
    XLU_ConfigList *list;
    const char *s;
    int i;

    list = get_list(x, "usbctrl");
    for (i = 0; list && (s = xlu_cfg_get_listitem(list, i)); i++) {
        libxl_device_usbctrl *u =
            APPEND(d->usbctrls, d->num_usbctrls, libxl_device_usbctrl_init);

        u->devid = i;
        parse_usbctrl(x, u, s);
    }
    list = get_list(x, "usbdev");
    for (i = 0; list && (s = xlu_cfg_get_listitem(list, i)); i++) {
        libxl_device_usbdev *u =
            APPEND(d->usbdevs, d->num_usbdevs, libxl_device_usbdev_init);

        parse_usbdev(x, u, s);
    }
}

void parse_vkbs(const xl_cfg *x, libxl_domain_config *d)
{
    XLU_ConfigList *list = get_list(x, "vkb");
    const char *s;
    int i;

    for (i = 0; list && (s = xlu_cfg_get_listitem(list, i)); i++) {
        /* devids follow the keyboards that came with vfb= */
        int devid = d->num_vkbs;
        libxl_device_vkb *v =
            APPEND(d->vkbs, d->num_vkbs, libxl_device_vkb_init);

        v->devid = devid;
        parse_vkb(x, v, s);
    }
}
