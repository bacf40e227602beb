/*
 * libxl_dom.c: what creation asks of the hypervisor outside the sys
 * table: host capabilities, per-domain setup (TSC, time offset, paging
 * pool, CPUID policy, PV memmap limit) and the image build through
 * libxenguest (xc_dom_*): the kernel, ramdisk and cmdline of PV and PVH
 * guests, hvmloader and the BIOS for HVM.  Integration-tested on the
 * test host (tools/tests/host-create).
 */
#include "libxl_internal.h"
#include "libxl_xshelp.h"
#include "libxl_acpi.h"
#include "libxl_create.h"

#include <xenguest.h>
#include <xen/hvm/e820.h>
#include <xen/hvm/hvm_info_table.h>
#include <xen/hvm/hvm_xs_strings.h>
#include <xen/hvm/params.h>
#include <xen/features.h>

/* Below 4 GiB an HVM guest with a device model has this MMIO hole,
 * and the legacy VGA hole (upstream's HVM_BELOW_4G_MMIO_LENGTH and
 * LIBXL_VGA_HOLE_SIZE). */
#define VGA_HOLE_SIZE (0x20)
/* Where Xen's HVM special pages end and how many there are (x86, the
 * public hvm layout); the LAPIC and the ACPI info page. */
#define X86_HVM_END_SPECIAL_REGION 0xff000u
#define X86_HVM_NR_SPECIAL_PAGES 8
#define LAPIC_BASE_ADDRESS 0xfee00000u
#define ACPI_INFO_PHYSICAL_ADDRESS 0xfc000000u

int libxl__build_physinfo(libxl__gc *gc, xc_physinfo_t *info)
{
    memset(info, 0, sizeof(*info));
    if (xc_physinfo(CTX->xch, info) < 0) {
        LOGE(ERROR, "getting the host's capabilities (physinfo)");
        return ERROR_FAIL;
    }
    return 0;
}

int libxl__build_arch_setup(libxl__gc *gc, libxl__create_state *cs)
{
    libxl_domain_build_info *b = &cs->d_config->b_info;
    xc_interface *xch = CTX->xch;
    uint32_t domid = cs->domid;
    int32_t offset = (int32_t)b->rtc_timeoffset;
    uint32_t tsc_mode;
    bool pae = true, itsc;
    int r;

    if (b->type == LIBXL_DOMAIN_TYPE_HVM && libxl_defbool_val(b->u.hvm.viridian)) {
        LOGD(ERROR, domid, "viridian enlightenments are not supported");
        return ERROR_INVAL;
    }
    if (b->type == LIBXL_DOMAIN_TYPE_PV &&
        xc_domain_set_memmap_limit(xch, domid,
                                   b->max_memkb + b->u.pv.slack_memkb) < 0) {
        LOGED(ERROR, domid, "setting the memmap limit");
        return ERROR_FAIL;
    }

    switch (b->tsc_mode) {
    case LIBXL_TSC_MODE_DEFAULT: tsc_mode = 0; break;
    case LIBXL_TSC_MODE_ALWAYS_EMULATE: tsc_mode = 1; break;
    case LIBXL_TSC_MODE_NATIVE: tsc_mode = 2; break;
    default:
        LOGD(ERROR, domid, "TSC Mode native_paravirt (a.k.a PVRDTSCP) has "
             "been removed");
        return ERROR_FEATURE_REMOVED;
    }
    if (xc_domain_set_tsc_info(xch, domid, tsc_mode, 0, 0, 0) < 0) {
        LOGED(ERROR, domid, "xc_domain_set_tsc_info() failed");
        return ERROR_FAIL;
    }

    if (libxl_defbool_val(b->localtime)) {
        time_t t = time(NULL);
        struct tm tm;
        if (!localtime_r(&t, &tm)) {
            LOGED(ERROR, domid, "Failed to call localtime_r");
            return ERROR_FAIL;
        }
        offset += tm.tm_gmtoff;
    }
    if (offset)
        xc_domain_set_time_offset(xch, domid, offset);

    if (b->type != LIBXL_DOMAIN_TYPE_PV &&
        xc_set_paging_mempool_size(xch, domid,
                                   (uint64_t)b->shadow_memkb << 10) < 0) {
        LOGED(ERROR, domid, "setting the paging pool to %" PRIu64 " KiB",
              b->shadow_memkb);
        return ERROR_FAIL;
    }

    /* The CPUID policy of a new domain (upstream's libxl__cpuid_legacy). */
    if (b->type == LIBXL_DOMAIN_TYPE_HVM)
        pae = libxl_defbool_val(b->u.hvm.pae);
    itsc = libxl_defbool_val(b->disable_migrate) ||
           b->tsc_mode == LIBXL_TSC_MODE_ALWAYS_EMULATE;
    r = xc_cpuid_apply_policy(xch, domid, false, NULL, 0, pae, itsc,
                              b->nested_hvm.val > 0,
                              b->cpuid ? b->cpuid->cpuid : NULL,
                              b->cpuid ? b->cpuid->msr : NULL);
    if (r) {
        LOGEVD(ERROR, -r, domid, "Failed to apply CPUID policy");
        return ERROR_FAIL;
    }
    return 0;
}

/*
 * The guest's memory map (XENMEM_memory_map), for PVH and HVM: low RAM
 * (from 1 MiB when a device model and hvmloader own the first MiB),
 * reserved device memory regions, Xen's special pages for PVH, the ACPI
 * tables handed in as modules, and RAM above 4 GiB. hvmloader refuses to
 * run without it; PVH kernels find it in their start info (dom->e820).
 */
#define LOW_MEM_START_WITH_DM 0x100000
int libxl__memory_map_build(libxl__gc *gc, uint32_t domid,
                            const libxl_domain_config *d_config,
                            const struct xc_dom_image *dom,
                            struct e820entry **map_out, unsigned int *nr_out)
{
    bool pvh = d_config->b_info.type == LIBXL_DOMAIN_TYPE_PVH;
    uint64_t highmem_size = dom->highmem_end
                            ? dom->highmem_end - (1ULL << 32) : 0;
    uint64_t low_start = dom->device_model ? LOW_MEM_START_WITH_DM : 0;
    uint64_t page_mask = XC_DOM_PAGE_SIZE(dom) - 1;
    struct e820entry *map;
    unsigned int nr = 0, max;
    int i;

    if (d_config->num_rdms < 0 ||
        d_config->num_rdms > E820MAX - 3 - MAX_ACPI_MODULES) {
        LOGD(ERROR, domid, "memory map: %d reserved device memory regions,"
             " at most %d", d_config->num_rdms,
             E820MAX - 3 - MAX_ACPI_MODULES);
        return ERROR_INVAL;
    }
    if (dom->lowmem_end <= low_start) {
        LOGD(ERROR, domid, "memory map: no RAM below 4 GiB");
        return ERROR_INVAL;
    }
    max = 3 + MAX_ACPI_MODULES + d_config->num_rdms;
    map = libxl__zalloc(gc, sizeof(*map) * max);
    map[nr++] = (struct e820entry){ .addr = low_start,
                                    .size = dom->lowmem_end - low_start,
                                    .type = E820_RAM };
    for (i = 0; i < d_config->num_rdms; i++) {
        if (d_config->rdms[i].policy == LIBXL_RDM_RESERVE_POLICY_INVALID)
            continue;
        map[nr++] = (struct e820entry){ .addr = d_config->rdms[i].start,
                                        .size = d_config->rdms[i].size,
                                        .type = E820_RESERVED };
    }
    if (pvh)
        map[nr++] = (struct e820entry){
            .addr = (uint64_t)(X86_HVM_END_SPECIAL_REGION -
                               X86_HVM_NR_SPECIAL_PAGES) << XC_PAGE_SHIFT,
            .size = (uint64_t)X86_HVM_NR_SPECIAL_PAGES << XC_PAGE_SHIFT,
            .type = E820_RESERVED };
    /* ACPI tables stay in use (AML reads them, a kexec'd kernel needs
     * them again): NVS, not reclaimable ACPI memory. */
    for (i = 0; i < MAX_ACPI_MODULES; i++) {
        uint64_t at = dom->acpi_modules[i].guest_addr_out;
        if (!dom->acpi_modules[i].length)
            continue;
        map[nr++] = (struct e820entry){
            .addr = at & ~page_mask,
            .size = dom->acpi_modules[i].length + (at & page_mask),
            .type = E820_NVS };
    }
    if (highmem_size)
        map[nr++] = (struct e820entry){ .addr = 1ULL << 32,
                                        .size = highmem_size,
                                        .type = E820_RAM };
    *map_out = map;
    *nr_out = nr;
    return 0;
}

static int set_memory_map(libxl__gc *gc, libxl__create_state *cs,
                          struct xc_dom_image *dom)
{
    struct e820entry *map;
    unsigned int nr;
    int rc;

    rc = libxl__memory_map_build(gc, cs->domid, cs->d_config, dom, &map, &nr);
    if (rc)
        return rc;
    if (xc_domain_set_memory_map(CTX->xch, cs->domid, map, nr)) {
        LOGED(ERROR, cs->domid, "setting the memory map (%u entries)", nr);
        return ERROR_FAIL;
    }
    dom->e820 = map;
    dom->e820_entries = nr;
    return 0;
}

/*
 * A PVH guest's ACPI tables (libxl_acpi.c) as libxenguest modules, which
 * xc_dom_build_image copies into guest memory; the RSDP's address goes
 * into hvm_start_info.rsdp_paddr.  Upstream's addresses: the tables from
 * the page after the ACPI info page, the RSDP in the page after them,
 * or in the last bytes below 1 MiB for a Linux kernel that does not
 * announce XENFEAT_linux_rsdp_unrestricted.  We have no AML reading an
 * info page, so there is none: module 0 is the RSDP, module 1 the
 * tables (libxenguest stops at the first empty module).  Modules are
 * gc memory; called after xc_dom_parse_image (the kernel's features)
 * and before xc_dom_build_image.
 */
#define ACPI_TABLES_MAX_PAGES 16
static int pvh_acpi_load(libxl__gc *gc, libxl__create_state *cs,
                         struct xc_dom_image *dom)
{
    libxl_domain_build_info *b = &cs->d_config->b_info;
    const char *os = xc_dom_guest_os(dom);
    libxl__acpi_config cfg = {
        .nr_vcpus = b->max_vcpus,
        .avail = b->avail_vcpus.map,
        .avail_bytes = b->avail_vcpus.size,
        .page_size = XC_DOM_PAGE_SIZE(dom),
    };
    libxl__acpi_tables t;
    int rc;

    if (!libxl_defbool_val(b->acpi))
        return 0;
    cfg.tables_addr = ACPI_INFO_PHYSICAL_ADDRESS + cfg.page_size;
    cfg.tables_max = ACPI_TABLES_MAX_PAGES * cfg.page_size;
    cfg.rsdp_low = os && !strcmp(os, "linux") &&
                   !xc_dom_feature_get(dom, XENFEAT_linux_rsdp_unrestricted);
    rc = libxl__acpi_build(gc, cs->domid, &cfg, &t);
    if (rc)
        return rc;
    dom->acpi_modules[0].data = t.rsdp;
    dom->acpi_modules[0].length = t.rsdp_len;
    dom->acpi_modules[0].guest_addr_out = t.rsdp_addr;
    dom->acpi_modules[1].data = t.tables;
    dom->acpi_modules[1].length = t.tables_len;
    dom->acpi_modules[1].guest_addr_out = t.tables_addr;
    LOGD(DEBUG, cs->domid, "ACPI: RSDP at 0x%" PRIx64 ", %u bytes of"
         " tables at 0x%" PRIx64, t.rsdp_addr, t.tables_len,
         t.tables_addr);
    return 0;
}

/* The xc_dom steps common to every type, after the images are set. */
static int build_dom(libxl__gc *gc, libxl__create_state *cs,
                     struct xc_dom_image *dom)
{
    libxl_domain_build_info *b = &cs->d_config->b_info;
    uint64_t mem_kb;
    const char *what;

    dom->console_evtchn = cs->console_port;
    dom->console_domid = cs->console_domid;
    dom->xenstore_evtchn = cs->store_port;
    dom->xenstore_domid = cs->store_domid;
    dom->claim_enabled = libxl_defbool_val(b->claim_mode);
    dom->max_vcpus = b->max_vcpus;

    what = "xc_dom_boot_xen_init";
    if (xc_dom_boot_xen_init(dom, CTX->xch, cs->domid))
        goto fail;
    what = "xc_dom_parse_image";
    if (xc_dom_parse_image(dom))
        goto fail;
    mem_kb = dom->container_type == XC_DOM_HVM_CONTAINER
             ? b->max_memkb - b->video_memkb : b->target_memkb;
    what = "xc_dom_mem_init";
    if (xc_dom_mem_init(dom, mem_kb / 1024))
        goto fail;
    what = "xc_dom_boot_mem_init";
    if (xc_dom_boot_mem_init(dom))
        goto fail;
    if (b->type == LIBXL_DOMAIN_TYPE_PVH) {
        int rc = pvh_acpi_load(gc, cs, dom);
        if (rc)
            return rc;
    }
    what = "xc_dom_build_image";
    if (xc_dom_build_image(dom))
        goto fail;
    if (dom->container_type == XC_DOM_HVM_CONTAINER &&
        set_memory_map(gc, cs, dom))
        return ERROR_FAIL;
    what = "xc_dom_boot_image";
    if (xc_dom_boot_image(dom))
        goto fail;
    what = "xc_dom_gnttab_init";
    if (xc_dom_gnttab_init(dom))
        goto fail;
    return 0;
fail:
    LOGED(ERROR, cs->domid, "%s failed", what);
    return ERROR_FAIL;
}

/* The kernel and ramdisk of a PV or PVH guest into dom. */
static int load_kernel(libxl__gc *gc, libxl__create_state *cs,
                       struct xc_dom_image *dom)
{
    libxl_domain_build_info *b = &cs->d_config->b_info;

    if (xc_dom_kernel_file(dom, b->kernel)) {
        LOGED(ERROR, cs->domid, "loading the kernel %s", b->kernel);
        return ERROR_FAIL;
    }
    if (b->ramdisk && *b->ramdisk &&
        xc_dom_module_file(dom, b->ramdisk, NULL)) {
        LOGED(ERROR, cs->domid, "loading the ramdisk %s", b->ramdisk);
        return ERROR_FAIL;
    }
    return 0;
}

static int build_pv(libxl__gc *gc, libxl__create_state *cs)
{
    libxl_domain_build_info *b = &cs->d_config->b_info;
    struct xc_dom_image *dom;
    int rc = ERROR_FAIL;

    dom = xc_dom_allocate(CTX->xch, b->cmdline, b->u.pv.features);
    if (!dom) {
        LOGED(ERROR, cs->domid, "xc_dom_allocate failed");
        return ERROR_FAIL;
    }
    dom->container_type = XC_DOM_PV_CONTAINER;
    if (load_kernel(gc, cs, dom))
        goto out;
    rc = build_dom(gc, cs, dom);
    if (rc)
        goto out;
    if (xc_dom_translated(dom)) {
        cs->console_mfn = dom->console_pfn;
        cs->store_mfn = dom->xenstore_pfn;
    } else {
        cs->console_mfn = xc_dom_p2m(dom, dom->console_pfn);
        cs->store_mfn = xc_dom_p2m(dom, dom->xenstore_pfn);
    }
out:
    xc_dom_release(dom);
    return rc;
}

static int load_file(libxl__gc *gc, const char *path, const char *what,
                     void **data, uint32_t *len)
{
    FILE *f = fopen(path, "rb");
    long size;

    if (!f) {
        LOGE(ERROR, "failed to read %s file %s", what, path);
        return ERROR_FAIL;
    }
    if (fseek(f, 0, SEEK_END) || (size = ftell(f)) <= 0 ||
        fseek(f, 0, SEEK_SET)) {
        LOG(ERROR, "file %s for %s is empty or unreadable", path, what);
        fclose(f);
        return ERROR_INVAL;
    }
    *data = libxl__malloc(gc, size);
    if (fread(*data, 1, size, f) != (size_t)size) {
        LOGE(ERROR, "reading %s file %s", what, path);
        fclose(f);
        return ERROR_FAIL;
    }
    fclose(f);
    *len = size;
    return 0;
}

/* hvm_info_table: vCPUs online and the APIC mode, for hvmloader.  The
 * page is mapped through dom (unmapped by xc_dom_release). */
static int hvm_set_info(libxl__gc *gc, libxl__create_state *cs,
                        struct xc_dom_image *dom)
{
    libxl_domain_build_info *b = &cs->d_config->b_info;
    struct hvm_info_table *t;
    uint8_t *page, sum = 0;

    page = xc_dom_pfn_to_ptr(dom, HVM_INFO_PFN, 1);
    if (!page) {
        LOGED(ERROR, cs->domid, "mapping the hvm_info page");
        return ERROR_FAIL;
    }
    t = (struct hvm_info_table *)(page + HVM_INFO_OFFSET);
    t->apic_mode = libxl_defbool_val(b->apic);
    t->nr_vcpus = b->max_vcpus;
    memset(t->vcpu_online, 0, sizeof(t->vcpu_online));
    memcpy(t->vcpu_online, b->avail_vcpus.map,
           b->avail_vcpus.size < sizeof(t->vcpu_online)
           ? b->avail_vcpus.size : sizeof(t->vcpu_online));
    for (uint32_t i = 0; i < t->length; i++)
        sum += ((uint8_t *)t)[i];
    t->checksum -= sum;
    return 0;
}

/* PVH (the kernel itself) and HVM (hvmloader + BIOS) */
static int build_hvm(libxl__gc *gc, libxl__create_state *cs)
{
    libxl_domain_build_info *b = &cs->d_config->b_info;
    bool pvh = b->type == LIBXL_DOMAIN_TYPE_PVH;
    struct xc_dom_image *dom;
    uint64_t mem_size, lowmem_end, highmem_end, mmio_start;
    int rc = ERROR_FAIL;

    /* For HVM the cmdline is the device model's business (direct
     * kernel boot through QEMU); hvmloader gets none. */
    dom = xc_dom_allocate(CTX->xch, pvh ? b->cmdline : NULL, NULL);
    if (!dom) {
        LOGED(ERROR, cs->domid, "xc_dom_allocate failed");
        return ERROR_FAIL;
    }
    dom->container_type = XC_DOM_HVM_CONTAINER;

    mem_size = (b->max_memkb - b->video_memkb) << 10;
    dom->target_pages = (b->target_memkb - b->video_memkb) >> 2;
    if (!pvh && b->u.hvm.mmio_hole_memkb &&
        (1ULL << 32) - (b->u.hvm.mmio_hole_memkb << 10) <
            HVM_BELOW_4G_MMIO_START)
        dom->mmio_size = b->u.hvm.mmio_hole_memkb << 10;

    if (pvh) {
        if (load_kernel(gc, cs, dom))
            goto out;
    } else {
        const char *fw = b->u.hvm.firmware ? b->u.hvm.firmware
                                           : TUN->hvmloader_path;
        const char *bios = b->u.hvm.system_firmware;
        void *data;
        uint32_t len;

        if (fw[0] != '/' && b->u.hvm.firmware)
            fw = GCSPRINTF("/usr/lib/xen-4.17/boot/%s", fw);
        if (xc_dom_kernel_file(dom, fw)) {
            LOGED(ERROR, cs->domid, "loading the firmware %s", fw);
            goto out;
        }
        if (!bios && b->device_model_version ==
                         LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN)
            bios = b->u.hvm.bios == LIBXL_BIOS_TYPE_OVMF
                   ? TUN->ovmf_path : TUN->seabios_path;
        if (bios) {
            rc = load_file(gc, bios, "BIOS", &data, &len);
            if (rc)
                goto out;
            dom->system_firmware_module.data = data;
            dom->system_firmware_module.length = len;
            rc = ERROR_FAIL;
        }
        if (b->u.hvm.smbios_firmware) {
            rc = load_file(gc, b->u.hvm.smbios_firmware, "SMBIOS", &data,
                           &len);
            if (rc)
                goto out;
            dom->smbios_module.data = data;
            dom->smbios_module.length = len;
            rc = ERROR_FAIL;
        }
        if (b->u.hvm.acpi_firmware) {
            rc = load_file(gc, b->u.hvm.acpi_firmware, "ACPI", &data, &len);
            if (rc)
                goto out;
            dom->acpi_modules[0].data = data;
            dom->acpi_modules[0].length = len;
            rc = ERROR_FAIL;
        }
    }

    if (dom->target_pages == 0)
        dom->target_pages = mem_size >> XC_PAGE_SHIFT;
    if (dom->mmio_size == 0 && !pvh) {
        dom->mmio_size = HVM_BELOW_4G_MMIO_LENGTH;
    } else if (dom->mmio_size == 0) {
        /* No device model: the hole need only hold the LAPIC, the ACPI
         * tables and Xen's special pages. */
        uint64_t start = (uint64_t)(X86_HVM_END_SPECIAL_REGION -
                                    X86_HVM_NR_SPECIAL_PAGES) << XC_PAGE_SHIFT;
        if (start > LAPIC_BASE_ADDRESS)
            start = LAPIC_BASE_ADDRESS;
        if (start > ACPI_INFO_PHYSICAL_ADDRESS)
            start = ACPI_INFO_PHYSICAL_ADDRESS;
        dom->mmio_size = (1ULL << 32) - start;
    }
    lowmem_end = mem_size;
    highmem_end = 0;
    mmio_start = (1ULL << 32) - dom->mmio_size;
    if (lowmem_end > mmio_start) {
        highmem_end = (1ULL << 32) + (lowmem_end - mmio_start);
        lowmem_end = mmio_start;
    }
    dom->lowmem_end = lowmem_end;
    dom->highmem_end = highmem_end;
    dom->mmio_start = mmio_start;
    dom->vga_hole_size = pvh ? 0 : VGA_HOLE_SIZE;
    dom->device_model = !pvh;

    rc = build_dom(gc, cs, dom);
    if (rc)
        goto out;
    if (!pvh) {
        rc = hvm_set_info(gc, cs, dom);
        if (rc)
            goto out;
    }
    cs->console_mfn = dom->console_pfn;
    cs->store_mfn = dom->xenstore_pfn;

    if (!pvh && dom->smbios_module.guest_addr_out) {
        const char *dp = cs->dom_path;
        if ((rc = libxl__xs_printf(gc, XBT_NULL,
                                   GCSPRINTF("%s/" HVM_XS_SMBIOS_PT_ADDRESS,
                                             dp),
                                   "0x%" PRIx64,
                                   dom->smbios_module.guest_addr_out)) ||
            (rc = libxl__xs_printf(gc, XBT_NULL,
                                   GCSPRINTF("%s/" HVM_XS_SMBIOS_PT_LENGTH,
                                             dp),
                                   "0x%x", dom->smbios_module.length)))
            goto out;
    }
    if (!pvh && dom->acpi_modules[0].guest_addr_out) {
        const char *dp = cs->dom_path;
        if ((rc = libxl__xs_printf(gc, XBT_NULL,
                                   GCSPRINTF("%s/" HVM_XS_ACPI_PT_ADDRESS,
                                             dp),
                                   "0x%" PRIx64,
                                   dom->acpi_modules[0].guest_addr_out)) ||
            (rc = libxl__xs_printf(gc, XBT_NULL,
                                   GCSPRINTF("%s/" HVM_XS_ACPI_PT_LENGTH,
                                             dp),
                                   "0x%x", dom->acpi_modules[0].length)))
            goto out;
    }
    rc = 0;
out:
    xc_dom_release(dom);
    return rc;
}

int libxl__build_image(libxl__gc *gc, libxl__create_state *cs)
{
    xc_dom_loginit(CTX->xch);
    switch (cs->d_config->b_info.type) {
    case LIBXL_DOMAIN_TYPE_PV:
        return build_pv(gc, cs);
    case LIBXL_DOMAIN_TYPE_PVH:
    case LIBXL_DOMAIN_TYPE_HVM:
        return build_hvm(gc, cs);
    default:
        LOGD(ERROR, cs->domid, "cannot build a domain of type %d",
             cs->d_config->b_info.type);
        return ERROR_INVAL;
    }
}
