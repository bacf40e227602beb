/*
 * libxlu_internal.h - data structures shared by the libxlutil parsers.
 *
 * SPDX-License-Identifier: LGPL-2.1-only
 */

#ifndef LIBXLU_INTERNAL_H
#define LIBXLU_INTERNAL_H

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libxlutil.h"

/* Where a value or setting starts in its source (1-based). */
typedef struct {
    int line, column;
} XLU_Location;

struct XLU_ConfigList {
    int nvalues;                /* items in use */
    int avalues;                /* items allocated */
    XLU_ConfigValue **values;
};

struct XLU_ConfigValue {
    enum XLU_ConfigValueType type;
    union {
        char *string;
        XLU_ConfigList list;
    } u;
    XLU_Location loc;
};

typedef struct XLU_ConfigSetting {
    struct XLU_ConfigSetting *next; /* the most recent setting comes first */
    struct XLU_ConfigSetting *hnext; /* same, within a hash bucket */
    char *name;
    XLU_ConfigValue *value;
    enum XLU_Operation op;
    int lineno;                     /* line of the setting's name */
} XLU_ConfigSetting;

struct XLU_Config {
    XLU_ConfigSetting *settings;
    /* An index by name, so that lookups stay cheap in huge files. */
    XLU_ConfigSetting **buckets;
    size_t nbuckets, nsettings;
    FILE *report;
    char *config_source;
};

void xlu__cfg_value_free(XLU_ConfigValue *value);
/* The most recent setting called n, or NULL. */
XLU_ConfigSetting *xlu__cfg_find(const XLU_Config *cfg, const char *n);

#endif /* LIBXLU_INTERNAL_H */
