/*
 * xl: the KEY=VALUE items of a device spec (pci=, usbdev=, channel=, ...
 * entries), for the device list parsers (xl_parse_pci.c, xl_parse_usb.c,
 * xl_parse_pvdev.c).  An item it cannot use is an error naming the
 * device list and the item (cfg_die: the command exits).
 */
#ifndef XL_PARSE_ITEMS_H
#define XL_PARSE_ITEMS_H

#include "xl_parse.h"

/* Appends an initialised element to array (count grows); its address. */
#define APPEND(array, count, initfn)                                   \
    ({                                                                 \
        (array) = xrealloc((array), sizeof(*(array)) * ((count) + 1)); \
        initfn(&(array)[(count)]);                                     \
        &(array)[(count)++];                                           \
    })

/* One KEY=VALUE item of a spec, trimmed of blanks. */
struct xl_item {
    char key[64];
    const char *val;
};

/* The items of spec (*n of them), valid until xl_items_release() or
 * the next split; what names the device list in errors. */
struct xl_item *xl_items_split(const xl_cfg *x, const char *what,
                               const char *spec, int *n);
void xl_items_release(void);
/* Dies unless the item has a value (KEY=VALUE). */
void xl_item_need_value(const xl_cfg *x, const char *what,
                        const struct xl_item *it);
/* Dies naming an item that is not one of known. */
void xl_item_unknown(const xl_cfg *x, const char *what,
                     const struct xl_item *it, const char *known)
    __attribute__((noreturn));
/* The item's value as a number up to max, or dies. */
unsigned long xl_item_ulong(const xl_cfg *x, const char *what,
                            const struct xl_item *it, unsigned long max);
/* The list under key, NULL when the key is absent; a string dies. */
XLU_ConfigList *xl_cfg_get_list(const xl_cfg *x, const char *key);

#endif /* XL_PARSE_ITEMS_H */
