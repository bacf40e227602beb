/*
 * xl: info, facts about the host and the hypervisor, in upstream xl
 * 4.17's "name                   : value" lines. `xl info NAME` prints
 * only the value of the lines whose name starts with NAME; `xl info -n`
 * adds the CPU, PCI and NUMA topology tables (and ignores NAME).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <libxl.h>
#include <libxl_utils.h>

#include "xl.h"
#include "xl_utils.h"


static const char *only; /* NAME given on the command line, or NULL */

/* One line: "name<pad>: value" (the name padded to 23 columns). */
static void line(const char *name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void line(const char *name, const char *fmt, ...)
{
    va_list ap;

    if (only && strncmp(name, only, strlen(only)))
        return;
    if (!only)
        printf("%-23s: ", name);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

static void print_host(void)
{
    struct utsname u;

    if (uname(&u) < 0)
        return;
    line("host", "%s", u.nodename);
    line("release", "%s", u.release);
    line("version", "%s", u.version);
    line("machine", "%s", u.machine);
}

static void print_physinfo(void)
{
    const libxl_version_info *v = libxl_get_version_info(ctx);
    libxl_physinfo p;
    char caps[256];

    libxl_physinfo_init(&p);
    if (libxl_get_physinfo(ctx, &p)) {
        fprintf(stderr, "libxl_physinfo failed.\n");
        libxl_physinfo_dispose(&p);
        return;
    }
    line("nr_cpus", "%d", (int)p.nr_cpus);
    line("max_cpu_id", "%d", (int)p.max_cpu_id);
    line("nr_nodes", "%d", (int)p.nr_nodes);
    line("cores_per_socket", "%d", (int)p.cores_per_socket);
    line("threads_per_core", "%d", (int)p.threads_per_core);
    line("cpu_mhz", "%d.%03d", (int)(p.cpu_khz / 1000),
         (int)(p.cpu_khz % 1000));
    line("hw_caps", "%08x:%08x:%08x:%08x:%08x:%08x:%08x:%08x", p.hw_cap[0],
         p.hw_cap[1], p.hw_cap[2], p.hw_cap[3], p.hw_cap[4], p.hw_cap[5],
         p.hw_cap[6], p.hw_cap[7]);
    snprintf(caps, sizeof(caps), "%s%s%s%s%s%s%s%s%s%s%s",
             p.cap_pv ? " pv" : "", p.cap_hvm ? " hvm" : "",
             p.cap_hvm && p.cap_hvm_directio ? " hvm_directio" : "",
             p.cap_pv && p.cap_hvm_directio ? " pv_directio" : "",
             p.cap_hap ? " hap" : "", p.cap_shadow ? " shadow" : "",
             p.cap_iommu_hap_pt_share ? " iommu_hap_pt_share" : "",
             p.cap_vmtrace ? " vmtrace" : "", p.cap_vpmu ? " vpmu" : "",
             p.cap_gnttab_v1 ? " gnttab-v1" : "",
             p.cap_gnttab_v2 ? " gnttab-v2" : "");
    /* Upstream has no space after the colon here: the list brings it. */
    if (!only)
        printf("%-23s:%s\n", "virt_caps", caps);
    else if (!strncmp("virt_caps", only, strlen(only)) && caps[0])
        printf("%s\n", caps + 1);
    if (v && v->pagesize) {
        uint64_t per_mb = (1 << 20) / v->pagesize;

        line("total_memory", "%" PRIu64, p.total_pages / per_mb);
        line("free_memory", "%" PRIu64,
             (p.free_pages - p.outstanding_pages) / per_mb);
        line("sharing_freed_memory", "%" PRIu64,
             p.sharing_freed_pages / per_mb);
        line("sharing_used_memory", "%" PRIu64,
             p.sharing_used_frames / per_mb);
        line("outstanding_claims", "%" PRIu64,
             p.outstanding_pages / per_mb);
    }
    {
        libxl_bitmap cpus;

        libxl_bitmap_init(&cpus);
        if (!libxl_get_freecpus(ctx, &cpus))
            line("free_cpus", "%d", libxl_bitmap_count_set(&cpus));
        libxl_bitmap_dispose(&cpus);
    }
    libxl_physinfo_dispose(&p);
}

static void print_xeninfo(void)
{
    const libxl_version_info *v = libxl_get_version_info(ctx);

    int sched = -1;

    if (!v) {
        fprintf(stderr, "libxl_get_version_info failed.\n");
        return;
    }
    /* As upstream: without the scheduler, none of these lines. */
    sched = libxl_get_scheduler(ctx);
    if (sched < 0) {
        fprintf(stderr, "get_scheduler sysctl failed.\n");
        return;
    }
    line("xen_major", "%d", v->xen_version_major);
    line("xen_minor", "%d", v->xen_version_minor);
    line("xen_extra", "%s", v->xen_version_extra);
    line("xen_version", "%d.%d%s", v->xen_version_major,
         v->xen_version_minor, v->xen_version_extra);
    line("xen_caps", "%s", v->capabilities);
    if (sched >= 0)
        line("xen_scheduler", "%s", libxl_scheduler_to_string(sched));
    line("xen_pagesize", "%u", (unsigned)v->pagesize);
    line("platform_params", "virt_start=0x%" PRIx64, (uint64_t)v->virt_start);
    line("xen_changeset", "%s", v->changeset);
    line("xen_commandline", "%s", v->commandline);
    line("cc_compiler", "%s", v->compiler);
    line("cc_compile_by", "%s", v->compile_by);
    line("cc_compile_domain", "%s", v->compile_domain);
    line("cc_compile_date", "%s", v->compile_date);
    line("build_id", "%s", v->build_id);
}

#ifdef LIBXL_HAVE_PCITOPOLOGY
/* -n: which core, socket and node each CPU is, the node of each PCI
 * device (printed whatever NAME filter was given, as upstream). */
static void print_topology(void)
{
    libxl_cputopology *cpus;
    libxl_pcitopology *pcis;
    int n, shown = 0;

    cpus = libxl_get_cpu_topology(ctx, &n);
    if (!cpus) {
        fprintf(stderr, "libxl_get_cpu_topology failed.\n");
        return;
    }
    printf("cpu_topology           :\n");
    printf("cpu:    core    socket     node\n");
    for (int i = 0; i < n; i++)
        if (cpus[i].core != LIBXL_CPUTOPOLOGY_INVALID_ENTRY)
            printf("%3d:    %4d     %4d     %4d\n", i, (int)cpus[i].core,
                   (int)cpus[i].socket, (int)cpus[i].node);
    libxl_cputopology_list_free(cpus, n);

    pcis = libxl_get_pci_topology(ctx, &n);
    if (!pcis) {
        fprintf(stderr, "libxl_get_pci_topology failed.\n");
        return;
    }
    printf("device topology        :\n");
    printf("device           node\n");
    for (int i = 0; i < n; i++) {
        if (pcis[i].node == LIBXL_PCITOPOLOGY_INVALID_ENTRY)
            continue;
        printf("%04x:%02x:%02x.%01x      %d\n", pcis[i].seg, pcis[i].bus,
               (pcis[i].devfn >> 3) & 0x1f, pcis[i].devfn & 7,
               (int)pcis[i].node);
        shown++;
    }
    if (!shown)
        printf("No device topology data available\n");
    libxl_pcitopology_list_free(pcis, n);
}

/* -n: each NUMA node's memory, free memory (MiB) and distances. */
static void print_numa(void)
{
    libxl_numainfo *nodes;
    int n;

    nodes = libxl_get_numainfo(ctx, &n);
    if (!nodes) {
        fprintf(stderr, "libxl_get_numainfo failed.\n");
        return;
    }
    printf("numa_info              :\n");
    printf("node:    memsize    memfree    distances\n");
    for (int i = 0; i < n; i++) {
        if (nodes[i].size == LIBXL_NUMAINFO_INVALID_ENTRY)
            continue;
        printf("%4d:    %6" PRIu64 "     %6" PRIu64 "      %d", i,
               nodes[i].size >> 20, nodes[i].free >> 20,
               nodes[i].num_dists ? (int)nodes[i].dists[0] : 0);
        for (int j = 1; j < nodes[i].num_dists; j++)
            printf(",%d", (int)nodes[i].dists[j]);
        putchar('\n');
    }
    libxl_numainfo_list_free(nodes, n);
}
#endif

int main_info(int argc, char **argv)
{
    static const struct option opts[] = {
        {"numa", 0, 0, 'n'},
        XL_COMMON_LONG_OPTS,
    };
    int opt;
    bool numa = false;

    SWITCH_FOREACH_OPT(opt, "n", opts, "info", 0) {
    case 'n':
#ifdef LIBXL_HAVE_PCITOPOLOGY
        numa = true;
        break;
#else
        xl_err("info -n: the NUMA topology is not implemented yet");
        return EXIT_FAILURE;
#endif
    }
    if (!numa && optind < argc)
        only = argv[optind];

    print_host();
    print_physinfo();
#ifdef LIBXL_HAVE_PCITOPOLOGY
    if (numa) {
        print_topology();
        print_numa();
    }
#endif
    print_xeninfo();
    line("xend_config_format", "4");
    flush_stream(stdout);
    return EXIT_SUCCESS;
}
