/*
 * xl: domain configuration files (xl.cfg(5)) to libxl_domain_config.
 *
 * The keys, their defaults and how they combine follow upstream xl's
 * parse_config_data; where upstream warns and carries on with a value it
 * could not read, this xl stops with an error naming the key and the
 * value.
 */
#ifndef XL_PARSE_H
#define XL_PARSE_H

#include <stdbool.h>
#include <stdint.h>

#include <libxl.h>
#include <libxl_utils.h>
#include <libxlutil.h>

/*
 * Parses config_data (config_len bytes, the contents of config_source
 * followed by any KEY=VALUE lines of the command line) into d_config,
 * which the caller has initialised. Exits on any error, after saying
 * why.
 */
/* xl's own keys for its monitor, which libxl never sees (xl.cfg(5)):
 * the soft reset storm guard. */
struct xl_monitor_config {
    unsigned int soft_reset_limit;      /* resets allowed; 0: no limit */
    unsigned int soft_reset_window;     /* within this many seconds */
    libxl_action_on_shutdown on_soft_reset_limit;
};

/* mc (NULL: not wanted) gets the monitor's keys. */
void parse_config_data(const char *config_source, const char *config_data,
                       int config_len, libxl_domain_config *d_config,
                       struct xl_monitor_config *mc);

/*
 * Adds to or removes from cpumap the CPUs of a list such as
 * "0-3,^2,8" ("all" for every CPU). Returns 0, or non-zero after
 * printing why the string is invalid.
 */
int parse_cpurange(const char *cpus, libxl_bitmap *cpumap);

/*
 * Allocates a CPU bitmap as wide as the host's CPU count: libxl's count
 * when a context exists, otherwise this machine's (a dry run without a
 * hypervisor).
 */
void xl_cpu_bitmap_alloc(libxl_bitmap *map);
/* A bitmap of nbits bits, all clear (no context needed). */
void xl_bitmap_alloc(libxl_bitmap *map, int nbits);

/* Applies xl.conf's vm.cpumask, vm.hvm.cpumask and vm.pv.cpumask. */
void apply_global_affinity_masks(libxl_domain_build_info *b_info);

/* ---- Shared by xl_parse*.c ---- */

/* A configuration being parsed and the name used in its messages. */
typedef struct {
    XLU_Config *cfg;
    const char *src;
} xl_cfg;

/* "xl: SRC: invalid value 'VAL' for KEY (expected EXPECTED)"; exits. */
void cfg_bad_value(const xl_cfg *x, const char *key, const char *val,
                   const char *expected) __attribute__((noreturn));
/* "xl: SRC: MESSAGE"; exits. */
void cfg_die(const xl_cfg *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));
void cfg_warn(const xl_cfg *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Readers of one key. They return true when the key is set (and store
 * its value), false when it is absent; a value of the wrong kind is an
 * error naming the key and the value.
 */
bool cfg_string(const xl_cfg *x, const char *key, const char **val);
bool cfg_replace_string(const xl_cfg *x, const char *key, char **dst);
bool cfg_long(const xl_cfg *x, const char *key, long *val);
bool cfg_long_range(const xl_cfg *x, const char *key, long min, long max,
                    long *val);
bool cfg_defbool(const xl_cfg *x, const char *key, libxl_defbool *b);
/* 0 when the key is a list, ESRCH when absent, EINVAL when a string. */
int cfg_list(const xl_cfg *x, const char *key, XLU_ConfigList **list,
             int *count);
/* The same as a string list; a string is refused unless string_ok. */
int cfg_string_list(const xl_cfg *x, const char *key,
                    libxl_string_list *sl);

/* A name of a config value and the enum value it stands for. */
struct xl_enum_name {
    const char *name;
    int value;
};
/*
 * Looks the value of key up in names (case-insensitively if icase).
 * Returns true and stores the value when the key is set; an unknown
 * name is an error listing the accepted ones.
 */
bool cfg_enum(const xl_cfg *x, const char *key,
              const struct xl_enum_name *names, size_t n, bool icase,
              int *val);
bool lookup_enum(const struct xl_enum_name *names, size_t n, bool icase,
                 const char *s, int *val);
/* "a, b, c": the accepted names, for messages (malloc'd). */
char *enum_names_list(const struct xl_enum_name *names, size_t n);

/* Devices (xl_parse_dev.c). */
/* A device spec split at commas, blanks before each item and empty items
 * dropped, as upstream's xl does: a NULL-terminated vector of the items,
 * valid (and writable) until xl_spec_release() or the next split. */
char **xl_spec_split(const char *spec);
void xl_spec_release(void);

void parse_disks(const xl_cfg *x, libxl_domain_config *d_config);
void parse_nics(const xl_cfg *x, libxl_domain_config *d_config);
int parse_nic_config(const xl_cfg *x, libxl_device_nic *nic,
                     const char *token);
void set_default_nic_values(libxl_device_nic *nic);
void parse_vfbs(const xl_cfg *x, libxl_domain_config *d_config);
void parse_pv_top_level_vnc(const xl_cfg *x, libxl_domain_config *d_config);
/* vnc*, sdl, opengl, display, xauthority (xl_parse.c). */
void parse_vnc_sdl(const xl_cfg *x, libxl_vnc_info *vnc, libxl_sdl_info *sdl);
/* pci=, rdm=, dtdev= (xl_parse_pci.c) */
void parse_pci_devices(const xl_cfg *x, libxl_domain_config *d_config);
/* usbctrl=, usbdev= (xl_parse_usb.c) */
void parse_usb_devices(const xl_cfg *x, libxl_domain_config *d_config);
/* channel=, vtpm=, p9=, pvcalls=; vkb= (xl_parse_pvdev.c) */
void parse_pv_devices(const xl_cfg *x, libxl_domain_config *d_config);
void parse_vkbs(const xl_cfg *x, libxl_domain_config *d_config);
void parse_ioports_irqs_iomem(const xl_cfg *x, libxl_domain_build_info *b);

#endif /* XL_PARSE_H */
