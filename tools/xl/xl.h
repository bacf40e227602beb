/*
 * xl: the command-line front end of the toolstack.
 *
 * Shared declarations: the command table, the global options given
 * before the subcommand, the settings read from xl.conf, and the libxl
 * context (allocated only for commands that talk to the hypervisor).
 */
#ifndef XL_H
#define XL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <libxl.h>
#include <xentoollog.h>

#ifndef XEN_CONFIG_DIR
#define XEN_CONFIG_DIR "/etc/xen"
#endif
#ifndef XEN_LOCK_DIR
#define XEN_LOCK_DIR "/var/lock"
#endif
#ifndef XENFIRMWAREDIR
#define XENFIRMWAREDIR "/usr/lib/xen-4.17/boot"
#endif

#define XL_GLOBAL_CONFIG XEN_CONFIG_DIR "/xl.conf"
#define XL_LOCK_FILE XEN_LOCK_DIR "/xl"

/*
 * Tests point xl at their own xl.conf with this variable so that the
 * host's /etc/xen/xl.conf cannot change what they see.
 */
#define XL_GLOBAL_CONFIG_ENV "XL_GLOBAL_CONFIG"

/* Exit status for a malformed command line, as upstream xl. */
#define XL_EXIT_USAGE 2

struct cmd_spec {
    const char *cmd_name;
    int (*cmd_impl)(int argc, char **argv); /* NULL: not implemented yet */
    bool can_dryrun;                         /* accepts the global -N */
    bool modifies;                           /* accepts the global -f */
    /*
     * Needs the hypervisor: xl allocates the libxl context before
     * running it. Commands without it may allocate one later (create
     * does so only when it is not a dry run).
     */
    bool needs_ctx;
    const char *cmd_desc;
    const char *cmd_usage;
    const char *cmd_option;
};

extern const struct cmd_spec cmd_table[];
extern const int cmdtable_len;
const struct cmd_spec *cmdtable_lookup(const char *name);

/* Global options (before the subcommand). */
extern bool dryrun_only;      /* -N */
extern bool force_execution;  /* -f */
extern bool progress_use_cr;  /* -t */
extern bool timestamps;       /* -T */
extern xentoollog_level minmsglevel;

/* Settings from xl.conf. */
struct xl_global_config {
    int autoballoon;          /* 1 on, 0 off, -1 auto (decided later) */
    int run_hotplug_scripts;
    char *lockfile;
    char *default_vifscript;
    char *default_bridge;
    char *default_gatewaydev;
    char *default_vifbackend;
    char *blkdev_start;
    int claim_mode;
    int max_grant_frames;
    int max_maptrack_frames;
    int max_grant_version;
    /* Global vCPU affinity masks, as strings: applied per domain. */
    char *vm_cpumask;
    char *vm_hvm_cpumask;
    char *vm_pv_cpumask;
    bool domid_random;
};
extern struct xl_global_config xlconf;

/* The libxl context: NULL until xl_ctx_alloc() succeeded. */
extern libxl_ctx *ctx;
extern xentoollog_logger_stdiostream *logger;

/* Allocates ctx; on failure prints one line and exits non-zero. */
void xl_ctx_alloc(void);

/* Prints the list of commands (command NULL) or one command's help. */
void help(const char *command);
void help_to(FILE *fh, const char *command);

/* Subcommands. */
int main_create(int argc, char **argv);
int main_list(int argc, char **argv);
int main_domid(int argc, char **argv);
int main_domname(int argc, char **argv);
int main_uptime(int argc, char **argv);
int main_soft_reset_list(int argc, char **argv);
int main_info(int argc, char **argv);
int main_pause(int argc, char **argv);
int main_unpause(int argc, char **argv);
int main_destroy(int argc, char **argv);
int main_rename(int argc, char **argv);
int main_shutdown(int argc, char **argv);
int main_reboot(int argc, char **argv);
int main_console(int argc, char **argv);

/*
 * The domain named by p: a number is a domid, anything else a name
 * looked up in xenstore. Exits with a message if there is no such
 * domain. Sets common_domname to its name (or NULL).
 */
uint32_t find_domain(const char *p);
extern char *common_domname;

#endif /* XL_H */
