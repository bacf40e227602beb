/*
 * libxlu_cfg_get.c - looking up settings of a parsed xl configuration.
 *
 * SPDX-License-Identifier: LGPL-2.1-only
 */

#include <limits.h>
#include <stdarg.h>

#include "libxlu_internal.h"

static void warn(const XLU_Config *cfg, int dont_warn, int line,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void warn(const XLU_Config *cfg, int dont_warn, int line,
                 const char *fmt, ...)
{
    va_list ap;

    if (dont_warn || !cfg->report)
        return;
    fprintf(cfg->report, "%s:%d: warning: ", cfg->config_source, line);
    va_start(ap, fmt);
    vfprintf(cfg->report, fmt, ap);
    va_end(ap);
    fputc('\n', cfg->report);
}

/* The setting `n', which must hold a single value (not a list). */
static int find_single(const XLU_Config *cfg, const char *n,
                       XLU_ConfigSetting **set_r, int dont_warn)
{
    XLU_ConfigSetting *set = xlu__cfg_find(cfg, n);

    if (!set)
        return ESRCH;
    if (set->value->type != XLU_STRING) {
        warn(cfg, dont_warn, set->lineno,
             "parameter `%s' is a list but should be a single value", n);
        return EINVAL;
    }
    *set_r = set;
    return 0;
}

int xlu_cfg_get_string(const XLU_Config *cfg, const char *n,
                       const char **value_r, int dont_warn)
{
    XLU_ConfigSetting *set;
    int e = find_single(cfg, n, &set, dont_warn);

    if (e)
        return e;
    *value_r = set->value->u.string;
    return 0;
}

int xlu_cfg_replace_string(const XLU_Config *cfg, const char *n,
                           char **value_r, int dont_warn)
{
    XLU_ConfigSetting *set;
    char *copy;
    int e = find_single(cfg, n, &set, dont_warn);

    if (e)
        return e;
    copy = strdup(set->value->u.string);
    if (!copy)
        return ENOMEM;
    free(*value_r);
    *value_r = copy;
    return 0;
}

int xlu_cfg_get_bounded_long(const XLU_Config *cfg, const char *n,
                             long min, long max, long *value_r,
                             int dont_warn)
{
    XLU_ConfigSetting *set;
    const char *s;
    char *end;
    long l;
    int e = find_single(cfg, n, &set, dont_warn);

    if (e)
        return e;
    if (set->op == XLU_OP_ADDITION) {
        warn(cfg, dont_warn, set->lineno,
             "parameter `%s' was set with `+=', which numbers do not "
             "support", n);
        return EINVAL;
    }
    s = set->value->u.string;
    errno = 0;
    l = strtol(s, &end, 0);
    if (errno == ERANGE) {
        warn(cfg, dont_warn, set->lineno,
             "parameter `%s': number `%s' does not fit in a long", n, s);
        return ERANGE;
    }
    if (end == s || *end || errno) {
        warn(cfg, dont_warn, set->lineno,
             "parameter `%s' should be a number but is `%s'", n, s);
        return EINVAL;
    }
    if (l < min || l > max) {
        warn(cfg, dont_warn, set->lineno,
             "parameter `%s' is %ld, outside the range %ld to %ld", n, l,
             min, max);
        return EINVAL;
    }
    *value_r = l;
    return 0;
}

int xlu_cfg_get_long(const XLU_Config *cfg, const char *n, long *value_r,
                     int dont_warn)
{
    return xlu_cfg_get_bounded_long(cfg, n, LONG_MIN, LONG_MAX, value_r,
                                    dont_warn);
}

int xlu_cfg_get_defbool(const XLU_Config *cfg, const char *n,
                        libxl_defbool *b, int dont_warn)
{
    long l;
    int e = xlu_cfg_get_long(cfg, n, &l, dont_warn);

    if (e)
        return e;
    libxl_defbool_set(b, l != 0);
    return 0;
}

int xlu_cfg_get_list(const XLU_Config *cfg, const char *n,
                     XLU_ConfigList **list_r, int *entries_r, int dont_warn)
{
    XLU_ConfigSetting *set = xlu__cfg_find(cfg, n);

    if (!set)
        return ESRCH;
    if (set->value->type != XLU_LIST) {
        warn(cfg, dont_warn, set->lineno,
             "parameter `%s' is a single value but should be a list", n);
        return EINVAL;
    }
    if (list_r)
        *list_r = &set->value->u.list;
    if (entries_r)
        *entries_r = set->value->u.list.nvalues;
    return 0;
}

int xlu_cfg_get_list_as_string_list(const XLU_Config *cfg, const char *n,
                                    libxl_string_list *sl_r, int dont_warn)
{
    XLU_ConfigSetting *set;
    XLU_ConfigList *list;
    char **sl;
    int nr, i, e;

    e = xlu_cfg_get_list(cfg, n, &list, &nr, dont_warn);
    if (e)
        return e;
    /* A NULL item would end the libxl string list early: refuse lists
     * holding lists rather than truncate them. */
    for (i = 0; i < nr; i++) {
        if (list->values[i]->type != XLU_STRING) {
            set = xlu__cfg_find(cfg, n);
            warn(cfg, dont_warn, set->lineno,
                 "parameter `%s' should be a list of strings but item %d "
                 "is a list", n, i + 1);
            return EINVAL;
        }
    }
    sl = calloc((size_t)nr + 1, sizeof(*sl));
    if (!sl)
        return ENOMEM;
    for (i = 0; i < nr; i++) {
        sl[i] = strdup(list->values[i]->u.string);
        if (!sl[i]) {
            while (i--)
                free(sl[i]);
            free(sl);
            return ENOMEM;
        }
    }
    *sl_r = sl;
    return 0;
}

const char *xlu_cfg_get_listitem(const XLU_ConfigList *list, int entry)
{
    const XLU_ConfigValue *v = xlu_cfg_get_listitem2(list, entry);

    return v && v->type == XLU_STRING ? v->u.string : NULL;
}

XLU_ConfigValue *xlu_cfg_get_listitem2(const XLU_ConfigList *list,
                                       int entry)
{
    if (entry < 0 || entry >= list->nvalues)
        return NULL;
    return list->values[entry];
}

enum XLU_ConfigValueType xlu_cfg_value_type(const XLU_ConfigValue *value)
{
    return value->type;
}

int xlu_cfg_value_get_string(const XLU_Config *cfg, XLU_ConfigValue *value,
                             char **value_r, int dont_warn)
{
    if (value->type != XLU_STRING) {
        if (!dont_warn && cfg->report)
            fprintf(cfg->report,
                    "%s:%d:%d: warning: value is a list but should be a "
                    "string\n",
                    cfg->config_source, value->loc.line, value->loc.column);
        *value_r = NULL;
        return EINVAL;
    }
    *value_r = value->u.string;
    return 0;
}

int xlu_cfg_value_get_list(const XLU_Config *cfg, XLU_ConfigValue *value,
                           XLU_ConfigList **value_r, int dont_warn)
{
    if (value->type != XLU_LIST) {
        if (!dont_warn && cfg->report)
            fprintf(cfg->report,
                    "%s:%d:%d: warning: value is a string but should be a "
                    "list\n",
                    cfg->config_source, value->loc.line, value->loc.column);
        *value_r = NULL;
        return EINVAL;
    }
    *value_r = &value->u.list;
    return 0;
}
