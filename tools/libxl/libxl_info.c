/*
 * libxl_info.c: facts about the host and the hypervisor (physinfo,
 * version, free CPUs, NUMA and CPU/PCI topology), read through the sys
 * table, in upstream libxl 4.17's types.
 */
#include <dirent.h>

#include "libxl_internal.h"
#include "libxl_sys.h"
#include "libxl_create.h"

int libxl_get_physinfo(libxl_ctx *ctx, libxl_physinfo *physinfo)
{
    GC_INIT(ctx);
    xc_physinfo_t xp;
    long freed, used;
    int rc = ERROR_FAIL;

    memset(&xp, 0, sizeof(xp));
    if (SYS->physinfo(CTX, &xp)) {
        LOGE(ERROR, "cannot get the host's physical information");
        goto out;
    }
    /* Xen without memory sharing answers ENOSYS: nothing shared. */
    freed = SYS->sharing_freed_pages(CTX);
    if (freed < 0 && errno != ENOSYS) {
        LOGE(ERROR, "cannot get the pages freed by memory sharing");
        goto out;
    }
    used = SYS->sharing_used_frames(CTX);
    if (used < 0 && errno != ENOSYS) {
        LOGE(ERROR, "cannot get the frames used by memory sharing");
        goto out;
    }

    physinfo->threads_per_core = xp.threads_per_core;
    physinfo->cores_per_socket = xp.cores_per_socket;
    physinfo->max_cpu_id = xp.max_cpu_id;
    physinfo->nr_cpus = xp.nr_cpus;
    physinfo->cpu_khz = xp.cpu_khz;
    physinfo->total_pages = xp.total_pages;
    physinfo->free_pages = xp.free_pages;
    physinfo->scrub_pages = xp.scrub_pages;
    physinfo->outstanding_pages = xp.outstanding_pages;
    physinfo->sharing_freed_pages = freed < 0 ? 0 : (uint64_t)freed;
    physinfo->sharing_used_frames = used < 0 ? 0 : (uint64_t)used;
    physinfo->max_possible_mfn = xp.max_mfn;
    physinfo->nr_nodes = xp.nr_nodes;
    _Static_assert(sizeof(physinfo->hw_cap) == sizeof(xp.hw_cap),
                   "hw_cap sizes");
    memcpy(physinfo->hw_cap, xp.hw_cap, sizeof(physinfo->hw_cap));

#define CAP(f, bit) physinfo->f = !!(xp.capabilities & XEN_SYSCTL_PHYSCAP_##bit)
    CAP(cap_hvm, hvm);
    CAP(cap_pv, pv);
    CAP(cap_hvm_directio, directio);
    CAP(cap_hap, hap);
    CAP(cap_shadow, shadow);
    CAP(cap_iommu_hap_pt_share, iommu_hap_pt_share);
    CAP(cap_vmtrace, vmtrace);
    CAP(cap_vpmu, vpmu);
    CAP(cap_gnttab_v1, gnttab_v1);
    CAP(cap_gnttab_v2, gnttab_v2);
#undef CAP
    rc = 0;
out:
    GC_FREE;
    return rc;
}

/*
 * The version information is read once per ctx and kept in it until the
 * ctx is freed (upstream's contract: the pointer stays valid as long as
 * the ctx).
 */
void libxl__info_ctx_free(libxl_ctx *ctx)
{
    if (!ctx->version_info)
        return;
    libxl_version_info_dispose(ctx->version_info);
    free(ctx->version_info);
    ctx->version_info = NULL;
}

/* The build id as lower-case hex; "" when Xen has none or hides it. */
static char *build_id_hex(libxl__gc *gc, int pagesize)
{
    size_t cap = pagesize > (int)sizeof(xen_build_id_t)
        ? (size_t)pagesize : 4096;
    xen_build_id_t *id = libxl__zalloc(gc, cap);
    char *hex;
    int n;

    id->len = cap - sizeof(*id);
    n = SYS->version(CTX, XENVER_build_id, id);
    if (n <= 0) {
        if (n < 0 && errno != EPERM && errno != ENODATA)
            LOGE(WARN, "cannot get the hypervisor's build id");
        return libxl__strdup(NOGC, "");
    }
    if ((size_t)n > id->len)
        n = id->len;
    hex = libxl__zalloc(NOGC, n * 2 + 1);
    for (int i = 0; i < n; i++)
        snprintf(hex + i * 2, 3, "%02x", id->buf[i]);
    return hex;
}

/* The string an XENVER_* command fills in (NUL-terminated by Xen);
 * "" if it fails. */
static char *version_string(libxl__gc *gc, int cmd, void *buf, size_t len)
{
    memset(buf, 0, len);
    if (SYS->version(CTX, cmd, buf) < 0) {
        LOGE(WARN, "cannot get the hypervisor's version field %d", cmd);
        return libxl__strdup(NOGC, "");
    }
    ((char *)buf)[len - 1] = 0;
    return libxl__strdup(NOGC, buf);
}

static int version_fill(libxl__gc *gc, libxl_version_info *vi)
{
    union {
        xen_extraversion_t extra;
        xen_compile_info_t cc;
        xen_changeset_info_t changeset;
        xen_capabilities_info_t caps;
        xen_platform_parameters_t params;
        xen_commandline_t cmdline;
    } u;
    int v = SYS->version(CTX, XENVER_version, NULL);

    if (v < 0) {
        LOGE(ERROR, "cannot get the hypervisor's version");
        return ERROR_FAIL;
    }
    vi->xen_version_major = v >> 16;
    vi->xen_version_minor = v & 0xff;
    vi->xen_version_extra = version_string(gc, XENVER_extraversion, &u.extra,
                                           sizeof(u.extra));

    memset(&u, 0, sizeof(u));
    if (SYS->version(CTX, XENVER_compile_info, &u.cc) < 0)
        LOGE(WARN, "cannot get the hypervisor's compile information");
    u.cc.compiler[sizeof(u.cc.compiler) - 1] = 0;
    u.cc.compile_by[sizeof(u.cc.compile_by) - 1] = 0;
    u.cc.compile_domain[sizeof(u.cc.compile_domain) - 1] = 0;
    u.cc.compile_date[sizeof(u.cc.compile_date) - 1] = 0;
    vi->compiler = libxl__strdup(NOGC, u.cc.compiler);
    vi->compile_by = libxl__strdup(NOGC, u.cc.compile_by);
    vi->compile_domain = libxl__strdup(NOGC, u.cc.compile_domain);
    vi->compile_date = libxl__strdup(NOGC, u.cc.compile_date);

    vi->capabilities = version_string(gc, XENVER_capabilities, &u.caps,
                                      sizeof(u.caps));
    vi->changeset = version_string(gc, XENVER_changeset, &u.changeset,
                                   sizeof(u.changeset));
    memset(&u, 0, sizeof(u));
    if (SYS->version(CTX, XENVER_platform_parameters, &u.params) < 0)
        LOGE(WARN, "cannot get the hypervisor's platform parameters");
    vi->virt_start = u.params.virt_start;
    vi->pagesize = SYS->version(CTX, XENVER_pagesize, NULL);
    if (vi->pagesize <= 0) {
        LOGE(ERROR, "cannot get the hypervisor's page size");
        return ERROR_FAIL;
    }
    vi->commandline = version_string(gc, XENVER_commandline, &u.cmdline,
                                     sizeof(u.cmdline));
    vi->build_id = build_id_hex(gc, vi->pagesize);
    return 0;
}

const libxl_version_info *libxl_get_version_info(libxl_ctx *ctx)
{
    GC_INIT(ctx);
    libxl_version_info *vi;

    CTX_LOCK;
    if (!ctx->version_info) {
        vi = libxl__zalloc(NOGC, sizeof(*vi));
        libxl_version_info_init(vi);
        if (version_fill(gc, vi)) {
            libxl_version_info_dispose(vi);
            free(vi);
        } else {
            ctx->version_info = vi;
        }
    }
    vi = ctx->version_info;
    CTX_UNLOCK;
    GC_FREE;
    return vi;
}

int libxl_get_max_cpus(libxl_ctx *ctx)
{
    GC_INIT(ctx);
    int n = SYS->max_cpus(CTX);

    if (n <= 0) {
        LOGE(ERROR, "cannot get the host's number of CPUs");
        n = ERROR_FAIL;
    }
    GC_FREE;
    return n;
}

int libxl_get_freecpus(libxl_ctx *ctx, libxl_bitmap *cpumap)
{
    GC_INIT(ctx);
    int n = libxl_get_max_cpus(ctx);
    uint8_t *map;
    int rc = ERROR_FAIL;

    if (n < 0) {
        rc = n;
        goto out;
    }
    map = SYS->cpupool_freeinfo(CTX);
    if (!map) {
        LOGE(ERROR, "cannot get the CPUs in no cpupool");
        goto out;
    }
    cpumap->map = map;
    cpumap->size = (n + 7) / 8;
    rc = 0;
out:
    GC_FREE;
    return rc;
}

libxl_cputopology *libxl_get_cpu_topology(libxl_ctx *ctx, int *nb_cpu_out)
{
    GC_INIT(ctx);
    libxl_cputopology *ret = NULL;
    xc_cputopo_t *topo;
    unsigned int n = 0;

    if (SYS->cputopoinfo(CTX, &n, NULL)) {
        LOGE(ERROR, "cannot get the host's number of CPUs");
        goto out;
    }
    topo = libxl__calloc(gc, n ? n : 1, sizeof(*topo));
    if (SYS->cputopoinfo(CTX, &n, topo)) {
        LOGE(ERROR, "cannot get the host's CPU topology");
        goto out;
    }
    ret = libxl__calloc(NOGC, n ? n : 1, sizeof(*ret));
    for (unsigned int i = 0; i < n; i++) {
        ret[i].core = topo[i].core == XEN_INVALID_CORE_ID
            ? LIBXL_CPUTOPOLOGY_INVALID_ENTRY : topo[i].core;
        ret[i].socket = topo[i].socket == XEN_INVALID_SOCKET_ID
            ? LIBXL_CPUTOPOLOGY_INVALID_ENTRY : topo[i].socket;
        ret[i].node = topo[i].node == XEN_INVALID_NODE_ID
            ? LIBXL_CPUTOPOLOGY_INVALID_ENTRY : topo[i].node;
    }
    *nb_cpu_out = n;
out:
    GC_FREE;
    return ret;
}

/* The host's PCI devices as the kernel lists them ("SSSS:BB:DD.F"
 * entries, in directory order); their count or ERROR_*. */
static int pci_devices(libxl__gc *gc, physdev_pci_device_t **devs_r)
{
    DIR *dir = opendir(TUN->pci_sysfs_devices);
    struct dirent *e;
    physdev_pci_device_t *devs = NULL;
    int n = 0;

    if (!dir) {
        LOGE(ERROR, "cannot list %s", TUN->pci_sysfs_devices);
        return ERROR_FAIL;
    }
    while ((e = readdir(dir))) {
        unsigned int seg, bus, dev, func;
        int len = -1;

        /* Exactly SSSS:BB:DD.F (hex), nothing after it. */
        if (strlen(e->d_name) != 12 ||
            sscanf(e->d_name, "%4x:%2x:%2x.%1x%n", &seg, &bus, &dev, &func,
                   &len) != 4 || len != 12 ||
            strspn(e->d_name, "0123456789abcdefABCDEF:.") != 12)
            continue;
        if (seg > 0xffff || bus > 0xff || dev > 0x1f || func > 7) {
            LOG(WARN, "%s/%s: not a PCI address, ignored",
                TUN->pci_sysfs_devices, e->d_name);
            continue;
        }
        devs = libxl__realloc(gc, devs, (n + 1) * sizeof(*devs));
        devs[n].seg = seg;
        devs[n].bus = bus;
        devs[n].devfn = (dev << 3) | func;
        n++;
    }
    closedir(dir);
    *devs_r = devs;
    return n;
}

libxl_pcitopology *libxl_get_pci_topology(libxl_ctx *ctx, int *num_devs)
{
    GC_INIT(ctx);
    libxl_pcitopology *ret = NULL;
    physdev_pci_device_t *devs = NULL;
    uint32_t *nodes;
    int n = pci_devices(gc, &devs);

    if (n < 0)
        goto out;
    nodes = libxl__calloc(gc, n ? n : 1, sizeof(*nodes));
    if (n && SYS->pcitopoinfo(CTX, n, devs, nodes)) {
        LOGE(ERROR, "cannot get the NUMA nodes of the PCI devices");
        goto out;
    }
    ret = libxl__calloc(NOGC, n ? n : 1, sizeof(*ret));
    for (int i = 0; i < n; i++) {
        ret[i].seg = devs[i].seg;
        ret[i].bus = devs[i].bus;
        ret[i].devfn = devs[i].devfn;
        ret[i].node = nodes[i] == XEN_INVALID_NODE_ID ||
                      nodes[i] == XEN_INVALID_DEV
            ? LIBXL_PCITOPOLOGY_INVALID_ENTRY : nodes[i];
    }
    *num_devs = n;
out:
    GC_FREE;
    return ret;
}

libxl_numainfo *libxl_get_numainfo(libxl_ctx *ctx, int *nr)
{
    GC_INIT(ctx);
    libxl_numainfo *ret = NULL;
    xc_meminfo_t *mem;
    uint32_t *dist;
    unsigned int n = 0;

    if (SYS->numainfo(CTX, &n, NULL, NULL)) {
        LOGE(ERROR, "cannot get the host's number of NUMA nodes");
        goto out;
    }
    mem = libxl__calloc(gc, n ? n : 1, sizeof(*mem));
    dist = libxl__calloc(gc, n ? (size_t)n * n : 1, sizeof(*dist));
    if (SYS->numainfo(CTX, &n, mem, dist)) {
        LOGE(ERROR, "cannot get the host's NUMA information");
        goto out;
    }
    ret = libxl__calloc(NOGC, n ? n : 1, sizeof(*ret));
    for (unsigned int i = 0; i < n; i++) {
        ret[i].size = mem[i].memsize == XEN_INVALID_MEM_SZ
            ? LIBXL_NUMAINFO_INVALID_ENTRY : mem[i].memsize;
        ret[i].free = mem[i].memfree == XEN_INVALID_MEM_SZ
            ? LIBXL_NUMAINFO_INVALID_ENTRY : mem[i].memfree;
        ret[i].num_dists = n;
        ret[i].dists = libxl__calloc(NOGC, n, sizeof(*ret[i].dists));
        for (unsigned int j = 0; j < n; j++) {
            uint32_t d = dist[i * n + j];

            ret[i].dists[j] = d == XEN_INVALID_NODE_DIST
                ? LIBXL_NUMAINFO_INVALID_ENTRY : d;
        }
    }
    *nr = n;
out:
    GC_FREE;
    return ret;
}

void libxl_numainfo_list_free(libxl_numainfo *list, int nr)
{
    for (int i = 0; i < nr; i++)
        libxl_numainfo_dispose(&list[i]);
    free(list);
}

void libxl_cputopology_list_free(libxl_cputopology *list, int nr)
{
    for (int i = 0; i < nr; i++)
        libxl_cputopology_dispose(&list[i]);
    free(list);
}

void libxl_pcitopology_list_free(libxl_pcitopology *list, int nr)
{
    for (int i = 0; i < nr; i++)
        libxl_pcitopology_dispose(&list[i]);
    free(list);
}
