/*
 * xl: the KEY=VALUE items of a device spec (xl_parse_items.h).
 *
 * Upstream xl skips some malformed items silently; here any item it
 * cannot use is an error naming the device list and the item.
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xl_parse.h"
#include "xl_parse_items.h"
#include "xl_utils.h"

/*
 * The items of spec (xl_spec_split) as KEY=VALUE or a bare word (val
 * NULL), blanks trimmed around both.  Global for the same reason as the
 * split itself (see xl_spec_split); xl_items_release() frees both.
 */
static struct xl_item *xl_spec_items;

void xl_items_release(void)
{
    free(xl_spec_items);
    xl_spec_items = NULL;
    xl_spec_release();
}

struct xl_item *xl_items_split(const xl_cfg *x, const char *what,
                               const char *spec, int *n)
{
    char **words, *p, *eq, *end;
    struct xl_item *items;
    size_t i;

    xl_items_release();
    words = xl_spec_split(spec);
    for (i = 0; words[i]; i++)
        ;
    items = xl_spec_items = xcalloc(i + 1, sizeof(*items));
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

void xl_item_need_value(const xl_cfg *x, const char *what,
                        const struct xl_item *it)
{
    if (!it->val)
        cfg_die(x, "%s: '%s' needs a value (%s=...)", what, it->key,
                it->key);
}

void xl_item_unknown(const xl_cfg *x, const char *what,
                     const struct xl_item *it, const char *known)
{
    cfg_die(x, "unknown %s setting '%s%s%s' (expected %s)", what, it->key,
            it->val ? "=" : "", it->val ? it->val : "", known);
}

unsigned long xl_item_ulong(const xl_cfg *x, const char *what,
                            const struct xl_item *it, unsigned long max)
{
    char *end, label[96];
    unsigned long v;

    xl_item_need_value(x, what, it);
    errno = 0;
    v = strtoul(it->val, &end, 0);
    if (!isdigit((unsigned char)*it->val) || errno || *end || v > max) {
        snprintf(label, sizeof(label), "%s %s", what, it->key);
        cfg_bad_value(x, label, it->val, "a number");
    }
    return v;
}

XLU_ConfigList *xl_cfg_get_list(const xl_cfg *x, const char *key)
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
