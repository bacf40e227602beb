/*
 * xl: entry point. Global options, xl.conf, the libxl context, help.
 *
 *   xl [-vfNtT] <subcommand> [args]
 *
 * Unlike upstream's xl, the libxl context (which needs the hypervisor)
 * is allocated only for the commands that need it, so that `xl -N
 * create` and `xl help` work on any machine.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxl.h>
#include <libxlutil.h>

#include "xl.h"
#include "xl_utils.h"

#ifndef XL_VERSION
#define XL_VERSION "4.17"
#endif

bool dryrun_only;
bool force_execution;
bool progress_use_cr;
bool timestamps;
xentoollog_level minmsglevel = XTL_PROGRESS;

struct xl_global_config xlconf = {
    .autoballoon = -1,
    .run_hotplug_scripts = 1,
    .claim_mode = 1,
    .max_grant_frames = -1,
    .max_maptrack_frames = -1,
    .max_grant_version = LIBXL_MAX_GRANT_DEFAULT,
};

libxl_ctx *ctx;
xentoollog_logger_stdiostream *logger;

void xl_ctx_alloc(void)
{
    if (ctx)
        return;
    /* libxl logs why it failed (no hypervisor, no privilege): one line
     * is enough, so xl adds nothing. */
    if (libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0, (xentoollog_logger *)logger))
        exit(EXIT_FAILURE);
}

static void xl_cleanup(void)
{
    if (ctx) {
        libxl_ctx_free(ctx);
        ctx = NULL;
    }
    if (logger) {
        xtl_logger_destroy((xentoollog_logger *)logger);
        logger = NULL;
    }
    free(xlconf.lockfile);
    free(xlconf.default_vifscript);
    free(xlconf.default_bridge);
    free(xlconf.default_gatewaydev);
    free(xlconf.default_vifbackend);
    free(xlconf.blkdev_start);
    free(xlconf.vm_cpumask);
    free(xlconf.vm_hvm_cpumask);
    free(xlconf.vm_pv_cpumask);
    memset(&xlconf, 0, sizeof(xlconf));
}

/* Reads a whole file; returns 0 or an errno value. */
static int read_file(const char *path, char **data_r, int *len_r)
{
    FILE *f = fopen(path, "r");
    char *data = NULL;
    size_t len = 0, cap = 0, n;

    if (!f)
        return errno;
    do {
        if (cap - len < 4096) {
            if (cap > INT_MAX / 2) {
                fclose(f);
                free(data);
                return EFBIG;
            }
            cap = cap ? cap * 2 : 8192;
            data = xrealloc(data, cap);
        }
        n = fread(data + len, 1, cap - len, f);
        len += n;
    } while (n > 0);
    if (ferror(f)) {
        int e = errno ? errno : EIO;

        fclose(f);
        free(data);
        return e;
    }
    fclose(f);
    *data_r = data;
    *len_r = (int)len;
    return 0;
}

static void conf_string(XLU_Config *cfg, const char *key, char **dst)
{
    const char *buf;

    if (!xlu_cfg_get_string(cfg, key, &buf, 0)) {
        free(*dst);
        *dst = xstrdup(buf);
    }
}

static void conf_int(XLU_Config *cfg, const char *key, int *dst)
{
    long l;
    int e = xlu_cfg_get_bounded_long(cfg, key, 0, INT_MAX, &l, 0);

    if (!e)
        *dst = (int)l;
    else if (e != ESRCH)
        exit(EXIT_FAILURE); /* libxlutil has said which key and line */
}

static void parse_global_config(const char *path)
{
    XLU_Config *cfg;
    char *data = NULL;
    const char *buf;
    int len = 0, e;
    long l;

    e = read_file(path, &data, &len);
    if (e == ENOENT)
        return; /* no xl.conf: every setting keeps its default */
    if (e) {
        xl_err("cannot read %s: %s (using defaults)", path, strerror(e));
        return;
    }

    cfg = xlu_cfg_init(stderr, path);
    if (!cfg)
        xl_die("out of memory");
    e = xlu_cfg_readdata(cfg, data, len);
    free(data);
    if (e) {
        xl_err("%s: cannot parse: %s", path, strerror(e));
        xlu_cfg_destroy(cfg);
        exit(EXIT_FAILURE);
    }

    if (!xlu_cfg_get_string(cfg, "autoballoon", &buf, 0)) {
        if (!strcmp(buf, "on") || !strcmp(buf, "1"))
            xlconf.autoballoon = 1;
        else if (!strcmp(buf, "off") || !strcmp(buf, "0"))
            xlconf.autoballoon = 0;
        else if (!strcmp(buf, "auto"))
            xlconf.autoballoon = -1;
        else
            xl_err("%s: invalid value '%s' for autoballoon (expected one "
                   "of on, off, auto); using auto", path, buf);
    }
    if (!xlu_cfg_get_long(cfg, "run_hotplug_scripts", &l, 0))
        xlconf.run_hotplug_scripts = l;
    conf_string(cfg, "lockfile", &xlconf.lockfile);

    /* Device defaults are named <device>.default.<option>; the older
     * names are still read, the newer ones win. */
    if (!xlu_cfg_get_string(cfg, "vifscript", &buf, 0))
        xl_err("%s: vifscript is deprecated, use vif.default.script", path);
    conf_string(cfg, "vifscript", &xlconf.default_vifscript);
    conf_string(cfg, "vif.default.script", &xlconf.default_vifscript);
    if (!xlu_cfg_get_string(cfg, "defaultbridge", &buf, 0))
        xl_err("%s: defaultbridge is deprecated, use vif.default.bridge",
               path);
    conf_string(cfg, "defaultbridge", &xlconf.default_bridge);
    conf_string(cfg, "vif.default.bridge", &xlconf.default_bridge);
    conf_string(cfg, "vif.default.gatewaydev", &xlconf.default_gatewaydev);
    conf_string(cfg, "vif.default.backend", &xlconf.default_vifbackend);

    if (!xlu_cfg_get_string(cfg, "output_format", &buf, 0) &&
        strcmp(buf, "json"))
        xl_err("%s: output_format '%s' is not supported (only json); "
               "using json", path, buf);
    conf_string(cfg, "blkdev_start", &xlconf.blkdev_start);
    if (!xlu_cfg_get_long(cfg, "claim_mode", &l, 0))
        xlconf.claim_mode = l;

    conf_int(cfg, "max_grant_frames", &xlconf.max_grant_frames);
    conf_int(cfg, "max_maptrack_frames", &xlconf.max_maptrack_frames);
    conf_int(cfg, "max_grant_version", &xlconf.max_grant_version);

    conf_string(cfg, "vm.cpumask", &xlconf.vm_cpumask);
    conf_string(cfg, "vm.hvm.cpumask", &xlconf.vm_hvm_cpumask);
    conf_string(cfg, "vm.pv.cpumask", &xlconf.vm_pv_cpumask);

    if (!xlu_cfg_get_string(cfg, "domid_policy", &buf, 0)) {
        if (!strcmp(buf, "xen"))
            xlconf.domid_random = false;
        else if (!strcmp(buf, "random"))
            xlconf.domid_random = true;
        else
            xl_err("%s: invalid value '%s' for domid_policy (expected "
                   "one of xen, random); using xen", path, buf);
    }

    xlu_cfg_destroy(cfg);
}

void help_to(FILE *fh, const char *command)
{
    const struct cmd_spec *cmd;
    int i;

    if (!command || !strcmp(command, "help")) {
        fprintf(fh, "Usage: xl [-vfNtT] <subcommand> [args]\n\n"
                    "Global options:\n"
                    "  -v  more verbose (repeat for more)\n"
                    "  -f  force the operation\n"
                    "  -N  dry run: show what would be done\n"
                    "  -t  progress output with carriage returns\n"
                    "  -T  timestamps and pids in log messages\n"
                    "  -V, --version  print the version and exit\n\n"
                    "Subcommands:\n\n");
        for (i = 0; i < cmdtable_len; i++) {
            const char *name = cmd_table[i].cmd_name;

            if (!cmd_table[i].cmd_impl)
                continue;       /* only what works is offered */
            if (strlen(name) > 19)
                fprintf(fh, " %s\n %-19s %s\n", name, "",
                        cmd_table[i].cmd_desc);
            else
                fprintf(fh, " %-19s %s\n", name, cmd_table[i].cmd_desc);
        }
        fputs("\nxl help <subcommand> shows the options of one "
              "subcommand.\n", fh);
        return;
    }

    cmd = cmdtable_lookup(command);
    if (!cmd) {
        fprintf(fh, "xl: unknown command '%s' (xl help lists them)\n",
                command);
        return;
    }
    if (!cmd->cmd_impl) {
        fprintf(fh, "xl: %s is not implemented yet\n", cmd->cmd_name);
        return;
    }
    fprintf(fh, "Usage: xl [-vtT%s%s] %s %s\n\n%s.\n", cmd->modifies ? "f" : "",
            cmd->can_dryrun ? "N" : "", cmd->cmd_name, cmd->cmd_usage,
            cmd->cmd_desc);
    if (cmd->cmd_option)
        fprintf(fh, "\nOptions:\n\n%s\n", cmd->cmd_option);
}

void help(const char *command)
{
    help_to(stdout, command);
}

int main(int argc, char **argv)
{
    static const struct option global_opts[] = {
        {"version", 0, 0, 'V'},
        {"help", 0, 0, 'h'},
        {0, 0, 0, 0},
    };
    const struct cmd_spec *cspec;
    const char *cmd, *conf;
    unsigned int xtl_flags = 0;
    int opt;

    opterr = 0;
    while ((opt = getopt_long(argc, argv, "+vfNtTVh", global_opts, NULL))
           != -1) {
        switch (opt) {
        case 'v':
            if (minmsglevel > 0)
                minmsglevel--;
            break;
        case 'f':
            force_execution = true;
            break;
        case 'N':
            dryrun_only = true;
            break;
        case 't':
            progress_use_cr = true;
            break;
        case 'T':
            timestamps = true;
            break;
        case 'V':
            printf("xl %s (xen-toolstack)\n", XL_VERSION);
            return EXIT_SUCCESS;
        case 'h':
            help(NULL);
            return EXIT_SUCCESS;
        default:
            if (optopt)
                fprintf(stderr, "xl: unknown global option -%c\n", optopt);
            else
                fprintf(stderr, "xl: unknown global option %s\n",
                        argv[optind - 1]);
            fputs("Usage: xl [-vfNtT] <subcommand> [args]\n", stderr);
            return EXIT_FAILURE;
        }
    }

    cmd = argv[optind];
    if (!cmd) {
        help_to(stderr, NULL);
        return EXIT_FAILURE;
    }

    if (!strcmp(cmd, "help")) {
        const char *which = argv[optind + 1];
        const struct cmd_spec *w = which ? cmdtable_lookup(which) : NULL;

        if (w && !w->cmd_impl) {
            help_to(stderr, which);
            return EXIT_FAILURE;
        }
        help(which);
        return which && !w ? EXIT_FAILURE : EXIT_SUCCESS;
    }

    cspec = cmdtable_lookup(cmd);
    if (!cspec) {
        fprintf(stderr, "xl: unknown command '%s' (xl help lists them)\n",
                cmd);
        return EXIT_FAILURE;
    }
    if (dryrun_only && !cspec->can_dryrun) {
        fprintf(stderr, "xl: %s does not implement -N (dry run)\n",
                cspec->cmd_name);
        return EXIT_FAILURE;
    }

    atexit(xl_cleanup);

    if (progress_use_cr)
        xtl_flags |= XTL_STDIOSTREAM_PROGRESS_USE_CR;
    if (timestamps)
        xtl_flags |= XTL_STDIOSTREAM_SHOW_DATE | XTL_STDIOSTREAM_SHOW_PID;
    logger = xtl_createlogger_stdiostream(stderr, minmsglevel, xtl_flags);
    if (!logger)
        xl_die("cannot create the logger");

    conf = getenv(XL_GLOBAL_CONFIG_ENV);
    parse_global_config(conf && *conf ? conf : XL_GLOBAL_CONFIG);
    if (!xlconf.lockfile)
        xlconf.lockfile = xstrdup(XL_LOCK_FILE);

    /* Every subcommand sees argv[0] == its name, options from 1. */
    argv += optind;
    argc -= optind;
    optind = 1;

    if (!cspec->cmd_impl) {
        fprintf(stderr, "xl: %s is not implemented yet\n", cspec->cmd_name);
        return EXIT_FAILURE;
    }
    /* Help needs no hypervisor. */
    if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        help(cspec->cmd_name);
        return EXIT_SUCCESS;
    }
    if (cspec->needs_ctx)
        xl_ctx_alloc();
    return cspec->cmd_impl(argc, argv);
}
