/*
 * xl: domain configuration, the less common PV device lists: channel=,
 * vtpm=, p9=, pvcalls=, vkb= (pci= and dtdev= are in xl_parse_pci.c,
 * usbctrl= and usbdev= in xl_parse_usb.c).
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xl_parse.h"
#include "xl_parse_items.h"
#include "xl_utils.h"

/* ---- channel= ---- */

static void parse_channel(const xl_cfg *x, libxl_device_channel *chn,
                          const char *spec)
{
    static const char *const known = "backend, name, path, connection";
    const char *path = NULL;
    struct xl_item *it;
    int n, i;

    it = xl_items_split(x, "channel", spec, &n);
    for (i = 0; i < n; i++) {
        if (!strcmp(it[i].key, "backend")) {
            xl_item_need_value(x, "channel", &it[i]);
            free(chn->backend_domname);
            chn->backend_domname = xstrdup(it[i].val);
        } else if (!strcmp(it[i].key, "name")) {
            xl_item_need_value(x, "channel", &it[i]);
            free(chn->name);
            chn->name = xstrdup(it[i].val);
        } else if (!strcmp(it[i].key, "path")) {
            xl_item_need_value(x, "channel", &it[i]);
            path = it[i].val;
        } else if (!strcmp(it[i].key, "connection")) {
            xl_item_need_value(x, "channel", &it[i]);
            if (!strcmp(it[i].val, "pty"))
                chn->connection = LIBXL_CHANNEL_CONNECTION_PTY;
            else if (!strcmp(it[i].val, "socket"))
                chn->connection = LIBXL_CHANNEL_CONNECTION_SOCKET;
            else
                cfg_bad_value(x, "channel connection", it[i].val,
                              "one of pty, socket");
        } else {
            xl_item_unknown(x, "channel", &it[i], known);
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
    xl_items_release();
}

/* ---- vtpm=, p9=, pvcalls= ---- */

static void parse_vtpm(const xl_cfg *x, libxl_device_vtpm *vtpm,
                       const char *spec)
{
    struct xl_item *it;
    int n, i;

    it = xl_items_split(x, "vtpm", spec, &n);
    for (i = 0; i < n; i++) {
        xl_item_need_value(x, "vtpm", &it[i]);
        if (!strcmp(it[i].key, "backend")) {
            free(vtpm->backend_domname);
            vtpm->backend_domname = xstrdup(it[i].val);
        } else if (!strcmp(it[i].key, "uuid")) {
            if (libxl_uuid_from_string(&vtpm->uuid, it[i].val))
                cfg_bad_value(x, "vtpm uuid", it[i].val, "a UUID");
        } else {
            xl_item_unknown(x, "vtpm", &it[i], "backend, uuid");
        }
    }
    if (!vtpm->backend_domname)
        cfg_die(x, "vtpm '%s' needs backend=", spec);
    xl_items_release();
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
    struct xl_item *it;
    size_t k;
    int n, i;

    it = xl_items_split(x, "p9", spec, &n);
    for (i = 0; i < n; i++) {
        xl_item_need_value(x, "p9", &it[i]);
        for (k = 0; k < ARRAY_SIZE(keys); k++) {
            if (!strcmp(it[i].key, keys[k].key)) {
                char **dst = (char **)((char *)p9 + keys[k].off);

                free(*dst);
                *dst = xstrdup(it[i].val);
                break;
            }
        }
        if (k == ARRAY_SIZE(keys))
            xl_item_unknown(x, "p9", &it[i],
                            "security_model, path, tag, backend");
    }
    if (!p9->path || !p9->security_model || !p9->tag)
        cfg_die(x, "p9 '%s' needs path=, security_model= and tag=", spec);
    xl_items_release();
}

static void parse_pvcalls(const xl_cfg *x, libxl_device_pvcallsif *pv,
                          const char *spec)
{
    struct xl_item *it;
    int n, i;

    it = xl_items_split(x, "pvcalls", spec, &n);
    for (i = 0; i < n; i++) {
        xl_item_need_value(x, "pvcalls", &it[i]);
        if (strcmp(it[i].key, "backend"))
            xl_item_unknown(x, "pvcalls", &it[i], "backend");
        free(pv->backend_domname);
        pv->backend_domname = xstrdup(it[i].val);
    }
    xl_items_release();
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
    struct xl_item *it;
    size_t k;
    int n, i;

    it = xl_items_split(x, "vkb", spec, &n);
    for (i = 0; i < n; i++) {
        xl_item_need_value(x, "vkb", &it[i]);
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
            xl_item_unknown(x, "vkb", &it[i],
                            "backend, backend-type, unique-id, "
                            "feature-*, multi-touch-*, width, height");
        if (nums[k].is_bool)
            *(bool *)((char *)vkb + nums[k].off) =
                xl_item_ulong(x, "vkb", &it[i], UINT32_MAX) != 0;
        else
            *(uint32_t *)((char *)vkb + nums[k].off) =
                (uint32_t)xl_item_ulong(x, "vkb", &it[i], UINT32_MAX);
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
    xl_items_release();
}

/* ---- All of them ---- */

void parse_pv_devices(const xl_cfg *x, libxl_domain_config *d)
{
    XLU_ConfigList *list;
    const char *s;
    int i;

#define EACH(key) \
    for (list = xl_cfg_get_list(x, key), i = 0; \
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

void parse_vkbs(const xl_cfg *x, libxl_domain_config *d)
{
    XLU_ConfigList *list = xl_cfg_get_list(x, "vkb");
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
