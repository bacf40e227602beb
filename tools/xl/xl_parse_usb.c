/*
 * xl: domain configuration, USB: usbctrl= (controllers) and usbdev=
 * (host devices given to the guest).
 */

#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "xl_parse.h"
#include "xl_parse_items.h"
#include "xl_utils.h"

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
    struct xl_item *it;
    int n, i, v;

    it = xl_items_split(x, "usbctrl", spec, &n);
    for (i = 0; i < n; i++) {
        if (!strcmp(it[i].key, "type")) {
            xl_item_need_value(x, "usbctrl", &it[i]);
            if (!lookup_enum(usbctrl_type_names,
                             ARRAY_SIZE(usbctrl_type_names), true,
                             it[i].val, &v))
                cfg_bad_value(x, "usbctrl type", it[i].val,
                              "one of auto, pv, devicemodel, qusb");
            u->type = v;
        } else if (!strcmp(it[i].key, "version")) {
            u->version = (int)xl_item_ulong(x, "usbctrl", &it[i], INT_MAX);
        } else if (!strcmp(it[i].key, "ports")) {
            u->ports = (int)xl_item_ulong(x, "usbctrl", &it[i], INT_MAX);
        } else {
            xl_item_unknown(x, "usbctrl", &it[i], "type, version, ports");
        }
    }
    xl_items_release();
}

static void parse_usbdev(const xl_cfg *x, libxl_device_usbdev *u,
                         const char *spec)
{
    struct xl_item *it;
    int n, i;

    it = xl_items_split(x, "usbdev", spec, &n);
    for (i = 0; i < n; i++) {
        if (!strcmp(it[i].key, "type")) {
            xl_item_need_value(x, "usbdev", &it[i]);
            if (strcasecmp(it[i].val, "hostdev"))
                cfg_bad_value(x, "usbdev type", it[i].val, "hostdev");
            u->type = LIBXL_USBDEV_TYPE_HOSTDEV;
        } else if (!strcmp(it[i].key, "hostbus")) {
            u->u.hostdev.hostbus =
                (uint8_t)xl_item_ulong(x, "usbdev", &it[i], UINT8_MAX);
        } else if (!strcmp(it[i].key, "hostaddr")) {
            u->u.hostdev.hostaddr =
                (uint8_t)xl_item_ulong(x, "usbdev", &it[i], UINT8_MAX);
        } else if (!strcmp(it[i].key, "controller")) {
            u->ctrl = (libxl_devid)xl_item_ulong(x, "usbdev", &it[i], INT_MAX);
        } else if (!strcmp(it[i].key, "port")) {
            u->port = (int)xl_item_ulong(x, "usbdev", &it[i], INT_MAX);
        } else {
            xl_item_unknown(x, "usbdev", &it[i],
                            "type, hostbus, hostaddr, controller, port");
        }
    }
    xl_items_release();
}

void parse_usb_devices(const xl_cfg *x, libxl_domain_config *d)
{
    XLU_ConfigList *list;
    const char *s;
    int i;

    list = xl_cfg_get_list(x, "usbctrl");
    for (i = 0; list && (s = xlu_cfg_get_listitem(list, i)); i++) {
        libxl_device_usbctrl *u =
            APPEND(d->usbctrls, d->num_usbctrls, libxl_device_usbctrl_init);

        u->devid = i;
        parse_usbctrl(x, u, s);
    }
    list = xl_cfg_get_list(x, "usbdev");
    for (i = 0; list && (s = xlu_cfg_get_listitem(list, i)); i++) {
        libxl_device_usbdev *u =
            APPEND(d->usbdevs, d->num_usbdevs, libxl_device_usbdev_init);

        parse_usbdev(x, u, s);
    }
}
