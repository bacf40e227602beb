/*
 * libxlutil.h - parsing of xl domain configuration files (xl.cfg(5)) and
 * of the small specification languages used inside them (disk specs).
 *
 * API compatible with upstream Xen 4.17's libxlutil.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-only
 */

#ifndef LIBXLUTIL_H
#define LIBXLUTIL_H

#include <stdio.h>

#include "libxl.h"

enum XLU_ConfigValueType {
    XLU_STRING,
    XLU_LIST,
};

/* How a setting was written: `key = value' or `key += value'. */
enum XLU_Operation {
    XLU_OP_ASSIGNMENT = 0,
    XLU_OP_ADDITION,
};

/* Unless stated otherwise, functions return 0 or a positive errno value. */
typedef struct XLU_Config XLU_Config;
typedef struct XLU_ConfigList XLU_ConfigList;
typedef struct XLU_ConfigValue XLU_ConfigValue;

/*
 * Creates an empty configuration. Diagnostics go to `report', which must
 * stay open until xlu_cfg_destroy; `report_filename' (copied) names the
 * source in those diagnostics. Returns NULL when out of memory.
 */
XLU_Config *xlu_cfg_init(FILE *report, const char *report_filename);

/*
 * Parse a file, or `length' bytes of `data', adding the settings found to
 * the configuration. Returns 0, EINVAL for a malformed configuration (after
 * printing every problem as "source:line:column: ..."), ENOENT (or another
 * errno value) when the file cannot be opened, ENOMEM. After a failure
 * only xlu_cfg_destroy may be called.
 */
int xlu_cfg_readfile(XLU_Config *, const char *real_filename);
int xlu_cfg_readdata(XLU_Config *, const char *data, int length);

void xlu_cfg_destroy(XLU_Config *);

/*
 * Getters. A setting written more than once has the value of its last
 * occurrence. Return values:
 *   0        found, *value_r set
 *   ESRCH    no such setting (nothing printed)
 *   EINVAL   present but of the wrong kind or format (a warning naming
 *            the setting and its line is printed unless dont_warn)
 *   ERANGE   a number that does not fit in a long (warning as above)
 */
int xlu_cfg_get_string(const XLU_Config *, const char *n,
                       const char **value_r, int dont_warn);
/* As xlu_cfg_get_string, but frees *value_r and stores a strdup'd copy. */
int xlu_cfg_replace_string(const XLU_Config *cfg, const char *n,
                           char **value_r, int dont_warn);
/* Numbers are decimal, octal (leading 0) or hexadecimal (leading 0x). */
int xlu_cfg_get_long(const XLU_Config *, const char *n, long *value_r,
                     int dont_warn);
/* As xlu_cfg_get_long, and EINVAL unless min <= value <= max. */
int xlu_cfg_get_bounded_long(const XLU_Config *, const char *n, long min,
                             long max, long *value_r, int dont_warn);
/* A number: 0 is false, anything else true. */
int xlu_cfg_get_defbool(const XLU_Config *, const char *n, libxl_defbool *b,
                        int dont_warn);

/* list_r and entries_r may be NULL; the list lives as long as the config. */
int xlu_cfg_get_list(const XLU_Config *, const char *n,
                     XLU_ConfigList **list_r, int *entries_r, int dont_warn);
/*
 * The list's items as a newly allocated, NULL-terminated libxl string list.
 * EINVAL (with a warning) if an item is itself a list.
 */
int xlu_cfg_get_list_as_string_list(const XLU_Config *cfg, const char *n,
                                    libxl_string_list *sl, int dont_warn);
/*
 * The string at index `entry', or NULL (errno untouched) when out of range
 * or when that item is a list.
 */
const char *xlu_cfg_get_listitem(const XLU_ConfigList *, int entry);

/* Access to values of any type, for nested lists. */
enum XLU_ConfigValueType xlu_cfg_value_type(const XLU_ConfigValue *value);
int xlu_cfg_value_get_string(const XLU_Config *cfg, XLU_ConfigValue *value,
                             char **value_r, int dont_warn);
int xlu_cfg_value_get_list(const XLU_Config *cfg, XLU_ConfigValue *value,
                           XLU_ConfigList **value_r, int dont_warn);
/* NULL when entry is out of range. */
XLU_ConfigValue *xlu_cfg_get_listitem2(const XLU_ConfigList *list,
                                       int entry);

/*
 * Disk specifications, as in xl-disk-configuration(5).
 *
 * `disk' must have been initialised with libxl_device_disk_init. Each of
 * the `nspecs' strings holds comma-separated parameters, all describing
 * the same disk (normally nspecs is 1). Returns 0, or EINVAL after
 * printing to cfg's report a message naming the spec and the offending
 * parameter, or ENOMEM. cfg is used only for reporting.
 */
int xlu_disk_parse(XLU_Config *cfg, int nspecs, const char *const *specs,
                   libxl_device_disk *disk);

/*
 * PCI: a BDF "[DDDD:]BB:DD.F", and a full PCI spec as in xl-pci-
 * configuration(5) ("BDF[@VSLOT][,KEY=VALUE...]"). These and xlu_rdm_parse
 * return 0 or, as upstream, a libxl error code (ERROR_INVAL, ERROR_NOMEM),
 * with a message to cfg's report.
 */
int xlu_pci_parse_bdf(XLU_Config *cfg, libxl_device_pci *pci,
                      const char *str);
int xlu_pci_parse_spec_string(XLU_Config *cfg, libxl_device_pci *pci,
                              const char *str);

/* Reserved device memory: "strategy=host,policy=strict|relaxed". */
int xlu_rdm_parse(XLU_Config *cfg, libxl_rdm_reserve *rdm, const char *str);

/*
 * Vif rate: "NUMBER[G|M|K](B|b)/s[@NUMBER[m|u][s]]" into the nic's
 * rate_bytes_per_interval and rate_interval_usecs (default 50ms). Returns
 * 0, EINVAL or EOVERFLOW, with a message to cfg's report.
 */
int xlu_vif_parse_rate(XLU_Config *cfg, const char *rate,
                       libxl_device_nic *nic);

#endif /* LIBXLUTIL_H */
