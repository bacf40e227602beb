/*
 * libxlu_disk_i.h - state shared by the disk spec scanner and its driver.
 *
 * SPDX-License-Identifier: LGPL-2.1-only
 */

#ifndef LIBXLU_DISK_I_H
#define LIBXLU_DISK_I_H

#include "libxlu_internal.h"

typedef struct DiskParseContext {
    XLU_Config *cfg;
    libxl_device_disk *disk;
    const char *spec;   /* the spec being scanned, for messages */
    int err;            /* first failure (errno value), 0 if none */
    int access_set;     /* the positional access parameter was given */
    int had_prefix;     /* a legacy "phy:"-style prefix was given */
    void *scanner;
} DiskParseContext;

/* Reports a problem with the current spec; `part' (may be NULL) is the
 * offending parameter. */
void xlu__disk_err(DiskParseContext *dpc, const char *part,
                   const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Actions of the scanner (libxlu_disk.c). `value' is the parameter's text
 * with any trailing comma removed. */
void xlu__disk_keyword(DiskParseContext *dpc, const char *key,
                       const char *value);
void xlu__disk_flag(DiskParseContext *dpc, const char *flag);
/* If text starts with a legacy "PREFIX:", applies it and returns its
 * length; -1 after reporting an unknown prefix; 0 if there is none. */
int xlu__disk_prefix(DiskParseContext *dpc, const char *text);
int xlu__disk_positional(DiskParseContext *dpc, char *value);

#endif /* LIBXLU_DISK_I_H */
