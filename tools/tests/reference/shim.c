/*
 * LD_PRELOAD shim that lets upstream's xl (Debian's xen-utils-4.17) run
 * `xl -N create` on a machine without Xen, to produce reference JSON.
 *
 * Upstream's xl allocates a libxl context in main() whatever the
 * command, and its config parser asks the hypervisor for the host's
 * shape; without /dev/xen/privcmd and xenstored those calls fail and xl
 * stops before it parses anything. A dry run needs nothing else from
 * Xen, so faking these few calls is enough: they are resolved here
 * before libxenctrl and libxenstore, and no hypercall is ever made.
 *
 * Each fake returns the answer a small x86 host with PV, HVM and HAP
 * would give. The CPU count is this machine's (or XL_DRYRUN_HOST_CPUS),
 * which is what our xl uses for a dry run without a hypervisor, so that
 * CPU maps built from "all" have the same width in both.
 *
 * Also: XL_GLOBAL_CONFIG=<file> makes xl read <file> instead of
 * /etc/xen/xl.conf (our xl honours the same variable), so that a
 * reference run does not depend on the host's xl.conf.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xenctrl.h>
#include <xenstore.h>

/* Any non-NULL pointer will do: libxl only passes it back to us. */
static char fake_handle[64];

static int host_cpus(void)
{
    const char *env = getenv("XL_DRYRUN_HOST_CPUS");
    long n = env && *env ? strtol(env, NULL, 10)
                         : sysconf(_SC_NPROCESSORS_CONF);

    return n < 1 ? 1 : (int)n;
}

/* libxl_ctx_alloc: the hypervisor interface (privcmd). */
xc_interface *xc_interface_open(xentoollog_logger *logger,
                                xentoollog_logger *dombuild_logger,
                                unsigned open_flags)
{
    (void)logger;
    (void)dombuild_logger;
    (void)open_flags;
    return (xc_interface *)fake_handle;
}

int xc_interface_close(xc_interface *xch)
{
    (void)xch;
    return 0;
}

/* libxl_ctx_alloc: the connection to xenstored. */
struct xs_handle *xs_open(unsigned long flags)
{
    (void)flags;
    return (struct xs_handle *)fake_handle;
}

void xs_close(struct xs_handle *xsh)
{
    (void)xsh;
}

/* libxl_cpu_bitmap_alloc(ctx, map, 0) sizes CPU maps with these. */
int xc_get_max_cpus(xc_interface *xch)
{
    (void)xch;
    return host_cpus();
}

int xc_get_online_cpus(xc_interface *xch)
{
    (void)xch;
    return host_cpus();
}

int xc_get_max_nodes(xc_interface *xch)
{
    (void)xch;
    return 1;
}

/*
 * libxl_get_version_info (xl.conf's autoballoon=auto reads the Xen
 * command line): Xen 4.17, every string empty.
 */
int xc_version(xc_interface *xch, int cmd, void *arg)
{
    (void)xch;
    switch (cmd) {
    case XENVER_version:
        return (4 << 16) | 17;
    case XENVER_pagesize:
        return 4096;
    case XENVER_extraversion:
        memset(arg, 0, sizeof(xen_extraversion_t));
        return 0;
    case XENVER_compile_info:
        memset(arg, 0, sizeof(xen_compile_info_t));
        return 0;
    case XENVER_capabilities:
        memset(arg, 0, sizeof(xen_capabilities_info_t));
        return 0;
    case XENVER_changeset:
        memset(arg, 0, sizeof(xen_changeset_info_t));
        return 0;
    case XENVER_platform_parameters:
        memset(arg, 0, sizeof(xen_platform_parameters_t));
        return 0;
    case XENVER_commandline:
        memset(arg, 0, sizeof(xen_commandline_t));
        return 0;
    default:
        return 0; /* build id: none */
    }
}

/*
 * libxl_get_physinfo: parse_config_data calls it first thing (and gives
 * up if it fails). 1 socket, 1 node, 3 GiB, PV + HVM + HAP.
 */
int xc_physinfo(xc_interface *xch, xc_physinfo_t *info)
{
    (void)xch;
    memset(info, 0, sizeof(*info));
    info->threads_per_core = 1;
    info->cores_per_socket = host_cpus();
    info->nr_cpus = host_cpus();
    info->max_cpu_id = host_cpus() - 1;
    info->nr_nodes = 1;
    info->max_node_id = 0;
    info->cpu_khz = 2000000;
    info->capabilities = XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_pv |
                         XEN_SYSCTL_PHYSCAP_hap;
    info->total_pages = 786432;
    info->free_pages = 500000;
    return 0;
}

long xc_sharing_freed_pages(xc_interface *xch)
{
    (void)xch;
    return 0;
}

long xc_sharing_used_frames(xc_interface *xch)
{
    (void)xch;
    return 0;
}

/* The redirect of /etc/xen/xl.conf (libxl_read_file_contents uses
 * fopen). */
static const char *redirect(const char *path)
{
    const char *conf = getenv("XL_GLOBAL_CONFIG");

    if (conf && *conf && !strcmp(path, "/etc/xen/xl.conf"))
        return conf;
    return path;
}

FILE *fopen(const char *path, const char *mode)
{
    static FILE *(*real)(const char *, const char *);

    if (!real)
        real = (FILE * (*)(const char *, const char *))
            dlsym(RTLD_NEXT, "fopen");
    return real(redirect(path), mode);
}

FILE *fopen64(const char *path, const char *mode)
{
    static FILE *(*real)(const char *, const char *);

    if (!real)
        real = (FILE * (*)(const char *, const char *))
            dlsym(RTLD_NEXT, "fopen64");
    return real(redirect(path), mode);
}
