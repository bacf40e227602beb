/*
 * xl: create, the command (its options and configuration; the domain is
 * created for real and monitored by xl_create_monitor.c).
 *
 *   xl [-N] create [<ConfigFile>] [options] [KEY=VALUE ...]
 *
 * KEY=VALUE arguments are configuration lines appended after the file,
 * so they override it (the last assignment wins in xl.cfg). With -N
 * (or -n) the resulting libxl_domain_config is printed as JSON and
 * nothing else happens: no hypervisor is needed for that.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxl.h>
#include <libxl_utils.h>

#include "xl.h"
#include "xl_create_monitor.h"
#include "xl_parse.h"
#include "xl_utils.h"

struct domain_create {
    const char *config_file;
    char *extra_config;     /* KEY=VALUE lines from the command line */
    bool console_autoconnect;
    bool debug;
    bool daemonize;
    bool monitor;
    bool paused;
    bool quiet;
    bool vnc;
    bool vncautopass;
    bool ignore_global_affinity_masks;
};

/* Reads the file and appends the command line's lines to it. */
static char *read_config(const struct domain_create *dc, int *len_r)
{
    size_t len = 0, cap = 0, n, extra;
    char *data = NULL;
    FILE *f = NULL;

    /* /dev/null: the whole configuration is on the command line. */
    if (strcmp(dc->config_file, "/dev/null")) {
        f = fopen(dc->config_file, "r");
        if (!f)
            xl_die("cannot read %s: %s", dc->config_file, strerror(errno));
        do {
            if (cap - len < 4096) {
                if (cap > INT_MAX / 4)
                    xl_die("%s: file too large", dc->config_file);
                cap = cap ? cap * 2 : 8192;
                data = xrealloc(data, cap);
            }
            n = fread(data + len, 1, cap - len, f);
            len += n;
        } while (n);
        if (ferror(f))
            xl_die("cannot read %s: %s", dc->config_file, strerror(errno));
        fclose(f);
    }

    extra = dc->extra_config ? strlen(dc->extra_config) : 0;
    if (extra) {
        if (extra > (size_t)INT_MAX - len - 3)
            xl_die("the configuration is too large");
        data = xrealloc(data, len + extra + 3);
        len += (size_t)sprintf(data + len, "\n%s\n", dc->extra_config);
    }
    *len_r = (int)len;
    return data;
}

static void print_config(libxl_domain_config *d_config, FILE *fh)
{
    char *json = libxl_domain_config_to_json(ctx, d_config);

    if (!json)
        xl_die("cannot convert the domain configuration to JSON");
    fputs(json, fh);
    free(json);
    flush_stream(fh);
}

/* The domain being created: globals, so that an error exit deep in the
 * parser leaves them reachable (for the sanitizer's leak checker). */
static libxl_domain_config d_config;
static char *config_data;

static int create_domain(struct domain_create *dc)
{
    struct xl_monitor_config mc;
    int len;

    libxl_domain_config_init(&d_config);

#ifdef XL_ON_UPSTREAM_LIBXL
    /* Upstream's libxl needs a ctx for bitmaps, which the parser
     * allocates; ours does not (a dry run works without Xen). */
    if (!dryrun_only)
        xl_ctx_alloc();
#endif
    config_data = read_config(dc, &len);
    if (!dc->quiet)
        fprintf(stderr, "Parsing config from %s\n", dc->config_file);
    parse_config_data(dc->config_file, config_data ? config_data : "", len,
                      &d_config, &mc);
    free(config_data);
    config_data = NULL;

    if (!dc->ignore_global_affinity_masks)
        apply_global_affinity_masks(&d_config.b_info);

    if (dryrun_only || dc->debug)
        print_config(&d_config, dryrun_only ? stdout : stderr);
    if (dryrun_only) {
        libxl_domain_config_dispose(&d_config);
        return 0;
    }

    /* Needs the hypervisor: without one, libxl says so in one line. */
    xl_ctx_alloc();
    /* As upstream's xl: a config without a valid guest domid (1 to
     * DOMID_FIRST_RESERVED - 1) gets xl.conf's domid_policy; the stored
     * configuration records it. */
    if (d_config.c_info.domid < 1 || d_config.c_info.domid >= 0x7FF0U)
        d_config.c_info.domid = xlconf.domid_random ? RANDOM_DOMID
                                                    : INVALID_DOMID;
    {
        struct xl_create_opts o = {
            .paused = dc->paused,
            .monitor = dc->monitor,
            .daemonize = dc->daemonize,
            .console = dc->console_autoconnect,
            .soft_reset_limit = mc.soft_reset_limit,
            .soft_reset_window = mc.soft_reset_window,
            .on_soft_reset_limit = mc.on_soft_reset_limit,
        };
        int rc;

        if (dc->vnc)
            xl_err("create -V/-A: starting a VNC viewer is not implemented "
                   "yet; going on without one");
        rc = xl_create_run(&o, &d_config);
        libxl_domain_config_dispose(&d_config);
        return rc;
    }
}

int main_create(int argc, char **argv)
{
    static const struct option opts[] = {
        {"defconfig", 1, 0, 'f'},
        {"dryrun", 0, 0, 'n'},
        {"ignore-global-affinity-masks", 0, 0, 'i'},
        {"quiet", 0, 0, 'q'},
        {"vncviewer", 0, 0, 'V'},
        {"vncviewer-autopass", 0, 0, 'A'},
        XL_COMMON_LONG_OPTS,
    };
    struct domain_create dc = {
        .daemonize = true,
        .monitor = true,
    };
    int opt, rc;

    /* xl create FILE -opts: the file may come before the options. */
    if (argc > 1 && argv[1][0] != '-' && !strchr(argv[1], '=')) {
        dc.config_file = argv[1];
        argc--;
        argv++;
    }

    SWITCH_FOREACH_OPT(opt, "AFVcdef:inpq", opts, "create", 0) {
    case 'A':
        dc.vnc = dc.vncautopass = true;
        break;
    case 'F':
        dc.daemonize = false;
        break;
    case 'V':
        dc.vnc = true;
        break;
    case 'c':
        dc.console_autoconnect = true;
        break;
    case 'd':
        dc.debug = true;
        break;
    case 'e':
        dc.daemonize = false;
        dc.monitor = false;
        break;
    case 'f':
        dc.config_file = optarg;
        break;
    case 'i':
        dc.ignore_global_affinity_masks = true;
        break;
    case 'n':
        dryrun_only = true;
        break;
    case 'p':
        dc.paused = true;
        break;
    case 'q':
        dc.quiet = true;
        break;
    }

    for (; optind < argc; optind++) {
        if (strchr(argv[optind], '=')) {
            string_realloc_append(&dc.extra_config, argv[optind]);
            string_realloc_append(&dc.extra_config, "\n");
        } else if (!dc.config_file) {
            dc.config_file = argv[optind];
        } else {
            free(dc.extra_config);
            xl_usage_error("create", "unexpected argument '%s' (a second "
                           "configuration file?)", argv[optind]);
        }
    }
    if (!dc.config_file) {
        free(dc.extra_config);
        xl_usage_error("create", "no configuration file given (use "
                       "/dev/null to give it all as KEY=VALUE)");
    }

    rc = create_domain(&dc);
    free(dc.extra_config);
    return rc;
}
