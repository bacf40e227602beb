/*
 * libxl_create_defaults.c: the defaults creation applies to a domain
 * configuration (upstream's libxl__domain_config_setdefault and the
 * create/build info setdefaults it calls), x86 only.
 *
 * The stored configuration (the "libxl-json" userdata) is the caller's
 * configuration, not this defaulted one, as upstream: see
 * libxl_create.c.
 */
#include <unistd.h>

#include "libxl_internal.h"
#include "libxl_create.h"

#include <xen/hvm/hvm_info_table.h>

/* Flask's initial SIDs (xen/xsm/flask): what an unlabelled guest and
 * its device model stub domain get. */
#define SECINITSID_DOMU 12
#define SECINITSID_DOMDM 13

/* Where upstream's qemu-xen device model is looked for first. */
static const char *default_dm_path =
    "/usr/libexec/xen-qemu-system-i386";

unsigned long libxl__get_required_paging_memory(unsigned long maxmem_kb,
                                                unsigned int smp_cpus,
                                                libxl_domain_type type,
                                                bool hap)
{
    /* In pages of 4 KiB: 256 per vCPU, and per MiB of RAM one for the
     * P2M of a translated guest and one more when shadowing. */
    unsigned long per_mib = (type != LIBXL_DOMAIN_TYPE_PV) + !hap;

    return 4 * (256 * smp_cpus + per_mib * (maxmem_kb / 1024));
}

static int create_info_setdefault(libxl__gc *gc,
                                  libxl_domain_create_info *c_info,
                                  const xc_physinfo_t *pi)
{
    if (c_info->type == LIBXL_DOMAIN_TYPE_INVALID) {
        LOG(ERROR, "domain type unspecified");
        return ERROR_INVAL;
    }

    if (c_info->type != LIBXL_DOMAIN_TYPE_PV) {
        if (pi->capabilities & XEN_SYSCTL_PHYSCAP_hap) {
            libxl_defbool_setdefault(&c_info->hap, true);
        } else if (pi->capabilities & XEN_SYSCTL_PHYSCAP_shadow) {
            libxl_defbool_setdefault(&c_info->hap, false);
        } else {
            LOG(ERROR, "neither hap nor shadow paging available");
            return ERROR_INVAL;
        }
        libxl_defbool_setdefault(&c_info->oos, true);
    }

    libxl_defbool_setdefault(&c_info->run_hotplug_scripts, true);
    libxl_defbool_setdefault(&c_info->driver_domain, false);
    if (!c_info->ssidref)
        c_info->ssidref = SECINITSID_DOMU;
    libxl_defbool_setdefault(&c_info->xend_suspend_evtchn_compat, false);
    return 0;
}

/* Video RAM of an HVM guest by device model and card. */
static int hvm_video_setdefault(libxl__gc *gc, libxl_domain_build_info *b)
{
    bool trad = b->device_model_version ==
                LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN_TRADITIONAL;
    uint64_t def, min;

    switch (b->u.hvm.vga.kind) {
    case LIBXL_VGA_INTERFACE_TYPE_NONE:
        def = min = 0;
        break;
    case LIBXL_VGA_INTERFACE_TYPE_QXL:
        if (trad) {
            LOG(ERROR, "qxl vga needs the qemu-xen device model");
            return ERROR_INVAL;
        }
        def = min = 128 * 1024;
        break;
    case LIBXL_VGA_INTERFACE_TYPE_STD:
        def = min = trad ? 8 * 1024 : 16 * 1024;
        break;
    case LIBXL_VGA_INTERFACE_TYPE_CIRRUS:
    default:
        def = min = trad ? 4 * 1024 : 8 * 1024;
        break;
    }
    if (b->video_memkb == LIBXL_MEMKB_DEFAULT)
        b->video_memkb = def;
    if (b->video_memkb < min) {
        LOG(ERROR, "videoram must be at least %" PRIu64 " MB for this "
            "vga and device model", min / 1024);
        return ERROR_INVAL;
    }
    return 0;
}

static int hvm_setdefault(libxl__gc *gc, libxl_domain_build_info *b)
{
    int rc;

    if (!b->u.hvm.bios)
        b->u.hvm.bios = b->device_model_version ==
                        LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN_TRADITIONAL
                        ? LIBXL_BIOS_TYPE_ROMBIOS : LIBXL_BIOS_TYPE_SEABIOS;
    if (b->device_model_version ==
        LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN_TRADITIONAL) {
        if (b->u.hvm.bios != LIBXL_BIOS_TYPE_ROMBIOS) {
            LOG(ERROR, "qemu-xen-traditional requires bios=rombios.");
            return ERROR_INVAL;
        }
    } else if (b->u.hvm.bios == LIBXL_BIOS_TYPE_ROMBIOS) {
        LOG(ERROR, "qemu-xen does not support bios=rombios.");
        return ERROR_INVAL;
    }
    if (!b->kernel && (b->ramdisk || b->cmdline)) {
        LOG(ERROR, "direct boot parameters specified but kernel missing");
        return ERROR_INVAL;
    }

    if (b->shadow_memkb == LIBXL_MEMKB_DEFAULT)
        b->shadow_memkb = 0;
    if (b->u.hvm.mmio_hole_memkb == LIBXL_MEMKB_DEFAULT)
        b->u.hvm.mmio_hole_memkb = 0;
    if (b->u.hvm.vga.kind == LIBXL_VGA_INTERFACE_TYPE_UNKNOWN)
        b->u.hvm.vga.kind = LIBXL_VGA_INTERFACE_TYPE_CIRRUS;
    if (!b->u.hvm.hdtype)
        b->u.hvm.hdtype = LIBXL_HDTYPE_IDE;
    rc = hvm_video_setdefault(gc, b);
    if (rc)
        return rc;

    libxl_defbool_setdefault(&b->u.hvm.pae, true);
    libxl_defbool_setdefault(&b->u.hvm.acpi, true);
    libxl_defbool_setdefault(&b->u.hvm.acpi_s3, true);
    libxl_defbool_setdefault(&b->u.hvm.acpi_s4, true);
    libxl_defbool_setdefault(&b->u.hvm.acpi_laptop_slate, false);
    libxl_defbool_setdefault(&b->u.hvm.nx, true);
    libxl_defbool_setdefault(&b->u.hvm.viridian, false);
    libxl_defbool_setdefault(&b->u.hvm.hpet, true);
    libxl_defbool_setdefault(&b->u.hvm.vpt_align, true);
    libxl_defbool_setdefault(&b->u.hvm.altp2m, false);
    libxl_defbool_setdefault(&b->u.hvm.usb, false);
    libxl_defbool_setdefault(&b->u.hvm.vkb_device, true);
    libxl_defbool_setdefault(&b->u.hvm.xen_platform_pci, true);

    libxl_defbool_setdefault(&b->u.hvm.spice.enable, false);
    if (!libxl_defbool_val(b->u.hvm.spice.enable) &&
        b->u.hvm.spice.usbredirection > 0) {
        b->u.hvm.spice.usbredirection = 0;
        LOG(WARN, "spice disabled, disabling usbredirection");
    }
    if (!b->u.hvm.usbversion && b->u.hvm.spice.usbredirection > 0)
        b->u.hvm.usbversion = 2;
    if ((b->u.hvm.usbversion || b->u.hvm.spice.usbredirection) &&
        (libxl_defbool_val(b->u.hvm.usb) || b->u.hvm.usbdevice_list ||
         b->u.hvm.usbdevice)) {
        LOG(ERROR, "usbversion and/or usbredirection cannot be enabled "
            "with usb and/or usbdevice parameters.");
        return ERROR_INVAL;
    }
    if (!b->u.hvm.boot)
        b->u.hvm.boot = libxl__strdup(NOGC, "cda");

    libxl_defbool_setdefault(&b->u.hvm.vnc.enable, true);
    if (libxl_defbool_val(b->u.hvm.vnc.enable)) {
        libxl_defbool_setdefault(&b->u.hvm.vnc.findunused, true);
        if (!b->u.hvm.vnc.listen)
            b->u.hvm.vnc.listen = libxl__strdup(NOGC, "127.0.0.1");
    }
    libxl_defbool_setdefault(&b->u.hvm.sdl.enable, false);
    if (libxl_defbool_val(b->u.hvm.sdl.enable))
        libxl_defbool_setdefault(&b->u.hvm.sdl.opengl, false);
    if (libxl_defbool_val(b->u.hvm.spice.enable)) {
        libxl_defbool_setdefault(&b->u.hvm.spice.disable_ticketing, false);
        libxl_defbool_setdefault(&b->u.hvm.spice.agent_mouse, true);
        libxl_defbool_setdefault(&b->u.hvm.spice.vdagent, false);
        libxl_defbool_setdefault(&b->u.hvm.spice.clipboard_sharing, false);
    }
    libxl_defbool_setdefault(&b->u.hvm.nographic, false);
    libxl_defbool_setdefault(&b->u.hvm.gfx_passthru, false);

    if (b->u.hvm.rdm.policy == LIBXL_RDM_RESERVE_POLICY_INVALID)
        b->u.hvm.rdm.policy = LIBXL_RDM_RESERVE_POLICY_RELAXED;
    if (b->u.hvm.rdm_mem_boundary_memkb == LIBXL_MEMKB_DEFAULT)
        b->u.hvm.rdm_mem_boundary_memkb =
            LIBXL_RDM_MEM_BOUNDARY_MEMKB_DEFAULT;
    return 0;
}

static int build_info_setdefault(libxl__gc *gc, libxl_domain_build_info *b,
                                 const xc_physinfo_t *pi)
{
    int rc;

    if (b->type != LIBXL_DOMAIN_TYPE_HVM && b->type != LIBXL_DOMAIN_TYPE_PV
        && b->type != LIBXL_DOMAIN_TYPE_PVH) {
        LOG(ERROR, "invalid domain type");
        return ERROR_INVAL;
    }
    rc = libxl__domain_build_info_copy_deprecated(CTX, b);
    if (rc) {
        LOG(ERROR, "Unable to copy deprecated fields");
        return rc;
    }

    libxl_defbool_setdefault(&b->device_model_stubdomain, false);
    libxl_defbool_setdefault(&b->vpmu, false);
    if (libxl_defbool_val(b->device_model_stubdomain)) {
        LOG(ERROR, "device model stub domains are not supported");
        return ERROR_INVAL;
    }

    if (!b->device_model_version) {
        b->device_model_version = LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN;
        /* Upstream falls back to qemu-xen-traditional when qemu-xen is
         * not installed; we have no traditional device model, so an HVM
         * guest then fails when the device model is spawned. */
        if (b->type == LIBXL_DOMAIN_TYPE_HVM && !b->device_model &&
            access(default_dm_path, X_OK) < 0 && errno != ENOENT) {
            LOGE(ERROR, "qemu-xen access error");
            return ERROR_FAIL;
        }
    }
    if (!b->blkdev_start)
        b->blkdev_start = libxl__strdup(NOGC, "xvda");

    if (!b->max_vcpus)
        b->max_vcpus = 1;
    if (!b->avail_vcpus.size) {
        if (libxl_bitmap_alloc(CTX, &b->avail_vcpus, 1)) {
            LOG(ERROR, "unable to allocate avail_vcpus bitmap");
            return ERROR_FAIL;
        }
        libxl_bitmap_set(&b->avail_vcpus, 0);
    } else if (b->avail_vcpus.size > HVM_MAX_VCPUS) {
        LOG(ERROR, "avail_vcpus bitmap contains too many VCPUS");
        return ERROR_FAIL;
    }

    libxl_defbool_setdefault(&b->numa_placement, true);
    if (b->max_memkb == LIBXL_MEMKB_DEFAULT)
        b->max_memkb = 32 * 1024;
    if (b->target_memkb == LIBXL_MEMKB_DEFAULT)
        b->target_memkb = b->max_memkb;
    if (b->stubdomain_memkb == LIBXL_MEMKB_DEFAULT)
        b->stubdomain_memkb = 0;
    libxl_defbool_setdefault(&b->claim_mode, false);
    libxl_defbool_setdefault(&b->localtime, false);
    libxl_defbool_setdefault(&b->disable_migrate, false);
    for (int i = 0; i < b->num_iomem; i++)
        if (b->iomem[i].gfn == LIBXL_INVALID_GFN)
            b->iomem[i].gfn = b->iomem[i].start;
    if (!b->event_channels)
        b->event_channels = 1023;

    /* x86 arch defaults */
    libxl_defbool_setdefault(&b->acpi, true);
    libxl_defbool_setdefault(&b->arch_x86.msr_relaxed, false);

    libxl_defbool_setdefault(&b->dm_restrict, false);
    if (b->iommu_memkb == LIBXL_MEMKB_DEFAULT)
        b->iommu_memkb = 0;

    switch (b->type) {
    case LIBXL_DOMAIN_TYPE_HVM:
        rc = hvm_setdefault(gc, b);
        if (rc)
            return rc;
        break;
    case LIBXL_DOMAIN_TYPE_PV:
        libxl_defbool_setdefault(&b->u.pv.e820_host, false);
        if (b->video_memkb == LIBXL_MEMKB_DEFAULT)
            b->video_memkb = 0;
        if (b->shadow_memkb == LIBXL_MEMKB_DEFAULT)
            b->shadow_memkb = 0;
        if (b->u.pv.slack_memkb == LIBXL_MEMKB_DEFAULT)
            b->u.pv.slack_memkb = 0;
        break;
    case LIBXL_DOMAIN_TYPE_PVH:
        libxl_defbool_setdefault(&b->u.pvh.pvshim, false);
        if (b->video_memkb == LIBXL_MEMKB_DEFAULT)
            b->video_memkb = 0;
        if (libxl_defbool_val(b->u.pvh.pvshim)) {
            LOG(ERROR, "the PV shim (pvshim) is not supported");
            return ERROR_INVAL;
        }
        break;
    default:
        abort();
    }

    if (b->type != LIBXL_DOMAIN_TYPE_PV) {
        if (libxl__timer_mode_is_default(&b->timer_mode))
            b->timer_mode = LIBXL_TIMER_MODE_NO_DELAY_FOR_MISSED_TICKS;
        libxl_defbool_setdefault(&b->apic, true);
        libxl_defbool_setdefault(&b->nested_hvm, false);
    }

    if (b->max_grant_version == (int)LIBXL_MAX_GRANT_DEFAULT) {
        if (pi->capabilities & XEN_SYSCTL_PHYSCAP_gnttab_v2)
            b->max_grant_version = 2;
        else if (pi->capabilities & XEN_SYSCTL_PHYSCAP_gnttab_v1)
            b->max_grant_version = 1;
        else
            b->max_grant_version = 0;
    } else if (b->max_grant_version & ~XEN_DOMCTL_GRANT_version_mask) {
        LOG(ERROR, "max grant version %d out of range",
            b->max_grant_version);
        return ERROR_INVAL;
    }
    return 0;
}

int libxl__domain_config_setdefault(libxl__gc *gc,
                                    libxl_domain_config *d_config,
                                    uint32_t domid)
{
    libxl_domain_create_info *c_info = &d_config->c_info;
    libxl_domain_build_info *b_info = &d_config->b_info;
    xc_physinfo_t pi;
    bool pod, hap;
    int rc;

    rc = TUN->create_xc->physinfo(gc, &pi);
    if (rc)
        return rc;

    if (c_info->ssid_label || b_info->exec_ssid_label ||
        b_info->device_model_ssid_label)
        LOGD(WARN, domid, "XSM labels are not supported: ignored");
    if (c_info->pool_name || c_info->poolid) {
        LOGD(ERROR, domid, "cpupools are not supported (pool %s)",
             c_info->pool_name ? c_info->pool_name : "by id");
        return ERROR_INVAL;
    }
    if (c_info->type != b_info->type &&
        b_info->type != LIBXL_DOMAIN_TYPE_INVALID) {
        LOGD(ERROR, domid, "c_info type %s differs from b_info type %s",
             libxl_domain_type_to_string(c_info->type),
             libxl_domain_type_to_string(b_info->type));
        return ERROR_INVAL;
    }

    rc = create_info_setdefault(gc, c_info, &pi);
    if (rc)
        return rc;
    if (b_info->type == LIBXL_DOMAIN_TYPE_INVALID)
        libxl_domain_build_info_init_type(b_info, c_info->type);

    if (c_info->passthrough == LIBXL_PASSTHROUGH_DEFAULT)
        c_info->passthrough = LIBXL_PASSTHROUGH_DISABLED;
    if (c_info->passthrough != LIBXL_PASSTHROUGH_DISABLED) {
        LOGD(ERROR, domid, "passthrough is not supported");
        return ERROR_INVAL;
    }

    pod = c_info->type != LIBXL_DOMAIN_TYPE_PV &&
          b_info->target_memkb < b_info->max_memkb;
    if (pod && b_info->num_vnuma_nodes) {
        LOGD(ERROR, domid, "Cannot enable PoD and vNUMA at the same time");
        return ERROR_INVAL;
    }
    if (b_info->num_vnuma_nodes) {
        LOGD(ERROR, domid, "vNUMA is not supported");
        return ERROR_INVAL;
    }

    hap = c_info->type != LIBXL_DOMAIN_TYPE_PV &&
          libxl_defbool_val(c_info->hap);
    if (b_info->shadow_memkb == LIBXL_MEMKB_DEFAULT) {
        /* max_memkb may still be the default here, as upstream: the
         * computation then uses what the later default gives. */
        uint64_t maxmem = b_info->max_memkb == LIBXL_MEMKB_DEFAULT
                          ? 32 * 1024 : b_info->max_memkb;
        b_info->shadow_memkb = libxl__get_required_paging_memory(
            maxmem, b_info->max_vcpus ? b_info->max_vcpus : 1,
            c_info->type, hap);
    }
    if (b_info->iommu_memkb == LIBXL_MEMKB_DEFAULT)
        b_info->iommu_memkb = 0;

    rc = build_info_setdefault(gc, b_info, &pi);
    if (rc) {
        LOGD(ERROR, domid, "Unable to set domain build info defaults");
        return rc;
    }

    if (c_info->type != LIBXL_DOMAIN_TYPE_PV) {
        bool altp2m = (c_info->type == LIBXL_DOMAIN_TYPE_HVM &&
                       libxl_defbool_val(b_info->u.hvm.altp2m)) ||
                      b_info->altp2m != LIBXL_ALTP2M_MODE_DISABLED;
        if (libxl_defbool_val(b_info->nested_hvm) && altp2m) {
            LOGD(ERROR, domid,
                 "nestedhvm and altp2mhvm cannot be used together");
            return ERROR_INVAL;
        }
        if (altp2m && pod) {
            LOGD(ERROR, domid, "Cannot enable PoD and ALTP2M at the same "
                 "time");
            return ERROR_INVAL;
        }
    }
    if (libxl_defbool_val(b_info->vpmu) &&
        !(pi.capabilities & XEN_SYSCTL_PHYSCAP_vpmu)) {
        LOGD(ERROR, domid, "vPMU not supported on this platform");
        return ERROR_INVAL;
    }
    if (c_info->type != LIBXL_DOMAIN_TYPE_PV && !b_info->kernel &&
        c_info->type == LIBXL_DOMAIN_TYPE_PVH) {
        LOGD(ERROR, domid, "a PVH guest needs a kernel");
        return ERROR_INVAL;
    }
    if (c_info->type == LIBXL_DOMAIN_TYPE_PV && !b_info->kernel) {
        LOGD(ERROR, domid, "a PV guest needs a kernel (no bootloader "
             "support)");
        return ERROR_INVAL;
    }
    return 0;
}
