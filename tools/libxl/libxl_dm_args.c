/*
 * libxl_dm_args.c: the command line of QEMU ("qemu-xen"): the device
 * model of an HVM guest, or the xenpv QEMU that serves the PV backends
 * only QEMU has (qdisk ...) for PV and PVH guests; which domains need
 * one.  Pure: it reads the domain's config and returns argv and env
 * (unit-tested in tools/tests/unit/test-libxl-dm-args.c); starting and
 * stopping QEMU is libxl_dm.c.
 *
 * The command line follows upstream libxl 4.17 for an HVM guest whose
 * device model runs in dom0 as root (dm_restrict off, the default): it
 * was checked argument by argument against what Debian's xl 4.17 runs
 * on the test host (tools/tests/host-dm/).
 */
#include "libxl_internal.h"
#include "libxl_dm.h"

/*
 * A growing NULL-terminated array of strings from the gc.
 */
typedef struct {
    libxl__gc *gc;
    char **v;
    int n, room;
} strv;

static void strv_add(strv *a, const char *s)
{
    libxl__gc *gc = a->gc;

    if (a->n + 2 > a->room) {
        a->room = a->room ? a->room * 2 : 32;
        GCREALLOC_ARRAY(a->v, a->room);
    }
    a->v[a->n++] = libxl__strdup(gc, s);
    a->v[a->n] = NULL;
}

static void strv_add2(strv *a, const char *s1, const char *s2)
{
    strv_add(a, s1);
    strv_add(a, s2);
}

/* A serial port as -serial SPEC, upstream's way.  A device model that
 * takes over from another one (incoming state: soft reset, restore)
 * appends to a "file:PATH" port instead of truncating it, so that the
 * log keeps what the guest wrote before. */
static void add_serial(libxl__gc *gc, strv *a, int index, const char *spec,
                       bool incoming)
{
    const char *path;
    char *esc, *q;

    if (!incoming || strncmp(spec, "file:", 5)) {
        strv_add2(a, "-serial", spec);
        return;
    }
    /* QEMU's option syntax: a comma in a value is doubled. */
    path = spec + 5;
    esc = q = libxl__zalloc(gc, 2 * strlen(path) + 1);
    for (; *path; path++) {
        *q++ = *path;
        if (*path == ',')
            *q++ = ',';
    }
    strv_add2(a, "-chardev",
              GCSPRINTF("file,id=libxl-serial%d,path=%s,append=on", index,
                        esc));
    strv_add2(a, "-serial", GCSPRINTF("chardev:libxl-serial%d", index));
}

const char *libxl__dm_binary(libxl__gc *gc,
                             const libxl_domain_build_info *b_info)
{
    if (b_info->device_model && b_info->device_model[0])
        return b_info->device_model;
    return TUN->qemu_xen_path;
}

/*
 * Emulated disks: which IDE/SCSI/AHCI unit a vdev is.  Upstream's
 * numbering (docs/misc/vbd-interface.txt): hd[a-t] and sd/xvd letters
 * give the disk index; partitions are not emulated.
 */
static int disk_index(const char *vdev, int *devnum_r)
{
    const char *p;
    int disk = 0, major = 0;

    if (!vdev)
        return -1;
    if (!strncmp(vdev, "hd", 2)) {
        p = vdev + 2;
        if (*p < 'a' || *p > 't' || p[1])
            return -1;
        disk = *p - 'a';
        /* IDE majors: 3, 22, 33, 34, 56, 57, 88, 89, 90, 91 */
        static const int ide_major[] = { 3, 22, 33, 34, 56, 57, 88, 89,
                                         90, 91 };
        major = ide_major[disk / 2];
        *devnum_r = (major << 8) | ((disk % 2) << 6);
        return disk;
    }
    if (!strncmp(vdev, "sd", 2))
        p = vdev + 2;
    else if (!strncmp(vdev, "xvd", 3))
        p = vdev + 3;
    else
        return -1;
    if (*p < 'a' || *p > 'z')
        return -1;
    for (; *p >= 'a' && *p <= 'z'; p++) {
        disk = disk * 26 + (*p - 'a' + 1);
        if (disk > (1 << 20))
            return -1;
    }
    if (*p)             /* a partition: not an emulated disk */
        return -1;
    disk--;
    if (!strncmp(vdev, "sd", 2) && disk < 16)
        *devnum_r = (8 << 8) | (disk << 4);
    else if (disk < 16)
        *devnum_r = (202 << 8) | (disk << 4);
    else
        *devnum_r = (1 << 28) | (disk << 8);
    return disk;
}

static const char *qemu_disk_format(libxl_disk_format f)
{
    switch (f) {
    case LIBXL_DISK_FORMAT_QCOW: return "qcow";
    case LIBXL_DISK_FORMAT_QCOW2: return "qcow2";
    case LIBXL_DISK_FORMAT_VHD: return "vpc";
    case LIBXL_DISK_FORMAT_RAW: return "raw";
    case LIBXL_DISK_FORMAT_QED: return "qed";
    default: return NULL;
    }
}

static void add_scsi_controller(strv *a,
                                const libxl_domain_config *d_config)
{
    int i;

    /* The SCSI controller first, on the slot older QEMUs gave it. */
    for (i = 0; i < d_config->num_disks; i++) {
        const libxl_device_disk *d = &d_config->disks[i];
        if (!d->is_cdrom && d->vdev && !strncmp(d->vdev, "sd", 2)) {
            strv_add2(a, "-device", "lsi53c895a");
            break;
        }
    }
}

static int add_disk_drives(libxl__gc *gc, uint32_t domid, strv *a,
                           const libxl_domain_config *d_config)
{
    const libxl_domain_build_info *b_info = &d_config->b_info;
    bool ahci = b_info->u.hvm.hdtype == LIBXL_HDTYPE_AHCI;
    int i;

    if (ahci)
        strv_add2(a, "-device", "ahci,id=ahci0");
    for (i = 0; i < d_config->num_disks; i++) {
        const libxl_device_disk *d = &d_config->disks[i];
        const char *format, *target = NULL, *id;
        int devnum = 0, disk = disk_index(d->vdev, &devnum);

        if (disk < 0) {
            LOGD(WARN, domid, "unable to determine disk number for %s",
                 d->vdev ? d->vdev : "(no vdev)");
            continue;
        }
        /* Only QEMU's own backend interprets image formats. */
        format = qemu_disk_format(d->backend == LIBXL_DISK_BACKEND_QDISK
                                  ? d->format : LIBXL_DISK_FORMAT_RAW);
        if (d->format == LIBXL_DISK_FORMAT_EMPTY) {
            if (!d->is_cdrom) {
                LOGD(WARN, domid, "cannot emulate an empty disk %s",
                     d->vdev);
                continue;
            }
        } else {
            if (!format) {
                LOGD(WARN, domid, "unable to determine the image format of "
                     "%s: available through PV drivers only", d->vdev);
                continue;
            }
            target = d->pdev_path;
            if (!target || !target[0]) {
                LOGD(WARN, domid, "no local path to the image of %s: "
                     "available through PV drivers only", d->vdev);
                continue;
            }
        }
        if (d->is_cdrom) {
            char *drive;

            if (disk > 4) {
                LOGD(WARN, domid, "an emulated CD-ROM must be one of the "
                     "first 4 disks: %s is available through PV drivers "
                     "only", d->vdev);
                continue;
            }
            id = GCSPRINTF("ide-%d", devnum);
            drive = GCSPRINTF("if=none,readonly=on,id=%s", id);
            if (target)
                drive = GCSPRINTF("%s,file=%s,format=%s", drive, target,
                                  format);
            strv_add2(a, "-drive", drive);
            strv_add2(a, "-device",
                      GCSPRINTF("ide-cd,id=%s,drive=%s,bus=ide.%d,unit=%d",
                                id, id, disk / 2, disk % 2));
            continue;
        }
        if (!strncmp(d->vdev, "sd", 2)) {
            id = GCSPRINTF("scsidisk-%d", disk);
            strv_add2(a, "-drive",
                      GCSPRINTF("file=%s,if=none,id=%s,format=%s,"
                                "readonly=%s,cache=writeback", target, id,
                                format, d->readwrite ? "off" : "on"));
            strv_add2(a, "-device",
                      GCSPRINTF("scsi-hd,drive=%s,scsi-id=%d", id, disk));
        } else if (ahci && disk < 6) {
            if (!d->readwrite) {
                LOGD(ERROR, domid, "qemu-xen does not support read-only "
                     "AHCI disks (%s)", d->vdev);
                return ERROR_INVAL;
            }
            strv_add2(a, "-drive",
                      GCSPRINTF("file=%s,if=none,id=ahcidisk-%d,format=%s,"
                                "cache=writeback", target, disk, format));
            strv_add2(a, "-device",
                      GCSPRINTF("ide-hd,bus=ahci0.%d,unit=0,"
                                "drive=ahcidisk-%d", disk, disk));
        } else if (disk < 4) {
            if (!d->readwrite) {
                LOGD(ERROR, domid, "qemu-xen does not support read-only "
                     "IDE disks (%s)", d->vdev);
                return ERROR_INVAL;
            }
            strv_add2(a, "-drive",
                      GCSPRINTF("file=%s,if=ide,index=%d,media=disk,"
                                "format=%s,cache=writeback", target, disk,
                                format));
        } else {
            LOGD(WARN, domid, "only 4 emulated IDE disks: %s is available "
                 "through PV drivers only", d->vdev);
        }
    }
    return 0;
}

static int add_nics(libxl__gc *gc, uint32_t domid, strv *a,
                    const libxl_domain_config *d_config)
{
    int i, n = 0;

    for (i = 0; i < d_config->num_nics; i++) {
        const libxl_device_nic *nic = &d_config->nics[i];
        const char *ifname;

        /* HVM NICs are emulated unless asked to be PV only. */
        if (nic->nictype == LIBXL_NIC_TYPE_VIF)
            continue;
        ifname = nic->ifname && nic->ifname[0]
            ? GCSPRINTF("%s-emu", nic->ifname)
            : GCSPRINTF("vif%u.%d-emu", domid, nic->devid);
        strv_add2(a, "-device",
                  GCSPRINTF("%s,id=nic%d,netdev=net%d,mac=" LIBXL_MAC_FMT,
                            nic->model ? nic->model : "rtl8139",
                            nic->devid, nic->devid,
                            nic->mac[0], nic->mac[1], nic->mac[2],
                            nic->mac[3], nic->mac[4], nic->mac[5]));
        strv_add2(a, "-netdev",
                  GCSPRINTF("type=tap,id=net%d,ifname=%s,br=%s,script=no,"
                            "downscript=no", nic->devid, ifname,
                            nic->bridge ? nic->bridge : "xenbr0"));
        n++;
    }
    if (!n)
        strv_add2(a, "-net", "none");
    return 0;
}

/* -vnc for QEMU: vnc's address (NULL: none), as upstream builds it. */
static int add_vnc(libxl__gc *gc, uint32_t domid, strv *a,
                   const libxl_vnc_info *vnc)
{
    char *arg;

    if (!vnc) {
        strv_add2(a, "-vnc", "none");
        return 0;
    }
    if (vnc->listen && strchr(vnc->listen, ':')) {
        if (vnc->display) {
            LOGD(ERROR, domid, "vncdisplay set, vnclisten contains display");
            return ERROR_INVAL;
        }
        arg = libxl__strdup(gc, vnc->listen);
    } else {
        arg = GCSPRINTF("%s:%d", vnc->listen ? vnc->listen : "127.0.0.1",
                        vnc->display);
    }
    if (vnc->passwd && vnc->passwd[0])
        arg = GCSPRINTF("%s,password=on", arg);
    if (libxl__defbool_or(vnc->findunused, true))
        arg = GCSPRINTF("%s,to=99", arg);      /* must come last */
    strv_add2(a, "-vnc", arg);
    return 0;
}

static int add_display(libxl__gc *gc, uint32_t domid, strv *a,
                       const libxl_domain_build_info *b_info)
{
    const libxl_vnc_info *vnc = &b_info->u.hvm.vnc;
    bool vnc_on = libxl__defbool_or(vnc->enable, true);
    bool sdl_on = libxl__defbool_or(b_info->u.hvm.sdl.enable, false);
    int rc = add_vnc(gc, domid, a, vnc_on ? vnc : NULL);

    if (rc)
        return rc;
    strv_add2(a, "-display", "none");
    if (sdl_on)
        strv_add2(a, "-display", "sdl");
    if (b_info->u.hvm.keymap)
        strv_add2(a, "-k", b_info->u.hvm.keymap);
    return 0;
}

static int add_vga(libxl__gc *gc, uint32_t domid, strv *a,
                   const libxl_domain_build_info *b_info)
{
    uint64_t mb = b_info->video_memkb == LIBXL_MEMKB_DEFAULT ? 0
        : libxl__sizekb_to_mb(b_info->video_memkb);

    switch (b_info->u.hvm.vga.kind) {
    case LIBXL_VGA_INTERFACE_TYPE_STD:
        strv_add2(a, "-device", GCSPRINTF("VGA,vgamem_mb=%" PRIu64, mb));
        break;
    case LIBXL_VGA_INTERFACE_TYPE_UNKNOWN:     /* upstream's default */
    case LIBXL_VGA_INTERFACE_TYPE_CIRRUS:
        strv_add2(a, "-device",
                  GCSPRINTF("cirrus-vga,vgamem_mb=%" PRIu64, mb));
        break;
    case LIBXL_VGA_INTERFACE_TYPE_NONE:
        break;
    case LIBXL_VGA_INTERFACE_TYPE_QXL:
        strv_add2(a, "-device",
                  GCSPRINTF("qxl-vga,vram_size_mb=%" PRIu64
                            ",ram_size_mb=%" PRIu64,
                            b_info->video_memkb / 2 / 1024,
                            b_info->video_memkb / 2 / 1024));
        break;
    default:
        LOGD(ERROR, domid, "invalid emulated video card %d",
             b_info->u.hvm.vga.kind);
        return ERROR_INVAL;
    }
    return 0;
}

static int add_usb_sound(libxl__gc *gc, uint32_t domid, strv *a,
                         const libxl_domain_build_info *b_info)
{
    const char *sound = b_info->u.hvm.soundhw;
    int nlist = libxl_string_list_length(&b_info->u.hvm.usbdevice_list);
    int i;

    if (libxl__defbool_or(b_info->u.hvm.usb, false) ||
        b_info->u.hvm.usbdevice || nlist) {
        if (b_info->u.hvm.usbdevice && nlist) {
            LOGD(ERROR, domid, "both usbdevice and usbdevice_list set");
            return ERROR_INVAL;
        }
        strv_add(a, "-usb");
        if (b_info->u.hvm.usbdevice)
            strv_add2(a, "-usbdevice", b_info->u.hvm.usbdevice);
        for (i = 0; i < nlist; i++)
            strv_add2(a, "-usbdevice", b_info->u.hvm.usbdevice_list[i]);
    } else if (b_info->u.hvm.usbversion) {
        switch (b_info->u.hvm.usbversion) {
        case 1:
            strv_add2(a, "-device", "piix3-usb-uhci,id=usb");
            break;
        case 2:
            strv_add2(a, "-device",
                      "ich9-usb-ehci1,id=usb,addr=0x1d.0x7,multifunction=on");
            for (i = 1; i < 4; i++)
                strv_add2(a, "-device",
                          GCSPRINTF("ich9-usb-uhci%d,masterbus=usb.0,"
                                    "firstport=%d,addr=0x1d.%#x,"
                                    "multifunction=on",
                                    i, 2 * (i - 1), i - 1));
            break;
        case 3:
            strv_add2(a, "-device", "nec-usb-xhci,id=usb");
            break;
        default:
            LOGD(ERROR, domid, "usbversion %d is invalid, must be between "
                 "1 and 3", b_info->u.hvm.usbversion);
            return ERROR_INVAL;
        }
    }
    if (sound) {
        static const char *const known[] = { "ac97", "adlib", "cs4231a",
                                             "es1370", "gus", "hda",
                                             "sb16" };
        for (i = 0; i < (int)ARRAY_SIZE(known); i++)
            if (!strcmp(sound, known[i]))
                break;
        if (i == (int)ARRAY_SIZE(known)) {
            LOGD(ERROR, domid, "unknown soundhw option '%s'", sound);
            return ERROR_INVAL;
        }
        if (!strcmp(sound, "hda"))
            strv_add2(a, "-device", "intel-hda");
        strv_add2(a, "-device", !strcmp(sound, "hda") ? "hda-duplex" : sound);
    }
    return 0;
}

/*
 * Which domains get a QEMU.
 */
bool libxl__need_xenpv_qemu(const libxl_domain_config *d_config)
{
    int i;

    if (d_config->b_info.type == LIBXL_DOMAIN_TYPE_HVM)
        return false;
    /* A framebuffer or a 9pfs share only QEMU serves. */
    if (d_config->num_vfbs > 0 || d_config->num_p9s > 0)
        return true;
    for (i = 0; i < d_config->num_disks; i++) {
        const libxl_device_disk *d = &d_config->disks[i];
        if (d->backend == LIBXL_DISK_BACKEND_QDISK && d->backend_domid == 0)
            return true;
    }
    for (i = 0; i < d_config->num_vkbs; i++) {
        const libxl_device_vkb *k = &d_config->vkbs[i];
        if (k->backend_type == LIBXL_VKB_BACKEND_QEMU &&
            k->backend_domid == 0)
            return true;
    }
    /* xenconsoled serves console 0 only: every channel is QEMU's. */
    for (i = 0; i < d_config->num_channels; i++)
        if (d_config->channels[i].backend_domid == 0)
            return true;
    return false;
}

bool libxl__dm_needed(const libxl_domain_config *d_config)
{
    return d_config->b_info.type == LIBXL_DOMAIN_TYPE_HVM ||
           libxl__need_xenpv_qemu(d_config);
}

/*
 * The rest of a PV or PVH domain's QEMU command line: it emulates
 * nothing ("-machine xenpv") and attaches to the existing domain, only
 * serving Xen PV backends; a framebuffer's VNC/SDL come from the first
 * vfb, as upstream.
 */
static int add_xenpv_args(libxl__gc *gc, uint32_t domid, strv *a,
                          const libxl_domain_config *d_config)
{
    const libxl_domain_build_info *b_info = &d_config->b_info;
    const libxl_device_vfb *vfb = d_config->num_vfbs ? &d_config->vfbs[0]
                                                     : NULL;
    const libxl_vnc_info *vnc = vfb && libxl__defbool_or(vfb->vnc.enable, true)
                                ? &vfb->vnc : NULL;
    bool sdl = vfb && libxl__defbool_or(vfb->sdl.enable, false);
    int i, rc;

    strv_add(a, "-xen-attach");
    if (d_config->c_info.name)
        strv_add2(a, "-name", d_config->c_info.name);
    rc = add_vnc(gc, domid, a, vnc);
    if (rc)
        return rc;
    strv_add2(a, "-display", "none");
    if (sdl)
        strv_add2(a, "-display", "sdl");
    if (vfb && vfb->keymap)
        strv_add2(a, "-k", vfb->keymap);
    if (!sdl && !vnc)
        strv_add(a, "-nographic");
    for (i = 0; b_info->extra && b_info->extra[i]; i++)
        strv_add(a, b_info->extra[i]);
    strv_add2(a, "-machine", "xenpv");
    for (i = 0; b_info->extra_pv && b_info->extra_pv[i]; i++)
        strv_add(a, b_info->extra_pv[i]);
    if (b_info->max_memkb == LIBXL_MEMKB_DEFAULT) {
        LOGD(ERROR, domid, "the guest's maximum memory is not set");
        return ERROR_INVAL;
    }
    strv_add2(a, "-m",
              GCSPRINTF("%" PRIu64, libxl__sizekb_to_mb(
                  b_info->max_memkb -
                  (b_info->video_memkb == LIBXL_MEMKB_DEFAULT
                   ? 0 : b_info->video_memkb))));
    return 0;
}

int libxl__dm_build_args(libxl__gc *gc, uint32_t domid,
                         const libxl_domain_config *d_config,
                         const char *dm, bool incoming,
                         char ***argv_r, char ***env_r)
{
    const libxl_domain_create_info *c_info = &d_config->c_info;
    const libxl_domain_build_info *b_info = &d_config->b_info;
    strv a = { .gc = gc }, e = { .gc = gc };
    int rc, i, nserial;
    char *machine;

    if (b_info->type != LIBXL_DOMAIN_TYPE_HVM &&
        b_info->type != LIBXL_DOMAIN_TYPE_PV &&
        b_info->type != LIBXL_DOMAIN_TYPE_PVH) {
        LOGD(ERROR, domid, "no device model for a domain of type %s",
             libxl_domain_type_to_string(b_info->type));
        return ERROR_INVAL;
    }
    if (b_info->type != LIBXL_DOMAIN_TYPE_HVM && incoming) {
        LOGD(ERROR, domid, "a PV backend QEMU has no device state to load");
        return ERROR_INVAL;
    }
    if (b_info->device_model_version ==
        LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN_TRADITIONAL) {
        LOGD(ERROR, domid, "qemu-xen-traditional is not supported: only "
             "qemu-xen");
        return ERROR_INVAL;
    }
    if (libxl__defbool_or(b_info->device_model_stubdomain, false)) {
        LOGD(ERROR, domid, "a device model stub domain is not supported");
        return ERROR_INVAL;
    }
    if (libxl__defbool_or(b_info->dm_restrict, false)) {
        LOGD(ERROR, domid, "dm_restrict is not supported yet");
        return ERROR_INVAL;
    }

    if (!getenv("XEN_QEMU_CONSOLE_LIMIT"))
        strv_add2(&e, "XEN_QEMU_CONSOLE_LIMIT", "1048576");

    strv_add(&a, dm);
    strv_add2(&a, "-xen-domid", GCSPRINTF("%u", domid));
    strv_add(&a, "-no-shutdown");
    strv_add2(&a, "-chardev",
              GCSPRINTF("socket,id=libxl-cmd,path=%s,server=on,wait=off",
                        libxl__dm_qmp_path(gc, domid)));
    strv_add2(&a, "-mon", "chardev=libxl-cmd,mode=control");
    strv_add2(&a, "-chardev",
              GCSPRINTF("socket,id=libxenstat-cmd,path=%s,server=on,"
                        "wait=off", libxl__dm_xenstat_qmp_path(gc, domid)));
    strv_add2(&a, "-mon", "chardev=libxenstat-cmd,mode=control");

    for (i = 0; i < d_config->num_channels; i++) {
        const libxl_device_channel *ch = &d_config->channels[i];
        switch (ch->connection) {
        case LIBXL_CHANNEL_CONNECTION_PTY:
            strv_add2(&a, "-chardev",
                      GCSPRINTF("pty,id=libxl-channel%d", ch->devid));
            break;
        case LIBXL_CHANNEL_CONNECTION_SOCKET:
            strv_add2(&a, "-chardev",
                      GCSPRINTF("socket,id=libxl-channel%d,path=%s,"
                                "server=on,wait=off", ch->devid,
                                ch->u.socket.path));
            break;
        default:
            LOGD(ERROR, domid, "unknown channel connection %d",
                 ch->connection);
            return ERROR_INVAL;
        }
    }

    strv_add(&a, "-nodefaults");
    strv_add(&a, "-no-user-config");
    if (b_info->type != LIBXL_DOMAIN_TYPE_HVM) {
        rc = add_xenpv_args(gc, domid, &a, d_config);
        if (rc)
            return rc;
        *argv_r = a.v;
        if (env_r)
            *env_r = e.v;
        return 0;
    }
    if (c_info->name)
        strv_add2(&a, "-name", c_info->name);

    rc = add_display(gc, domid, &a, b_info);
    if (rc)
        return rc;

    /* Direct kernel boot: QEMU loads the kernel for the BIOS. */
    if (b_info->kernel)
        strv_add2(&a, "-kernel", b_info->kernel);
    if (b_info->ramdisk)
        strv_add2(&a, "-initrd", b_info->ramdisk);
    if (b_info->cmdline)
        strv_add2(&a, "-append", b_info->cmdline);

    add_scsi_controller(&a, d_config);

    nserial = libxl_string_list_length(&b_info->u.hvm.serial_list);
    if (b_info->u.hvm.serial && nserial) {
        LOGD(ERROR, domid, "both serial and serial_list set");
        return ERROR_INVAL;
    }
    if (b_info->u.hvm.serial)
        add_serial(gc, &a, 0, b_info->u.hvm.serial, incoming);
    for (i = 0; i < nserial; i++)
        add_serial(gc, &a, i, b_info->u.hvm.serial_list[i], incoming);

    if (libxl__defbool_or(b_info->u.hvm.nographic, false) &&
        !libxl__defbool_or(b_info->u.hvm.vnc.enable, true) &&
        !libxl__defbool_or(b_info->u.hvm.sdl.enable, false))
        strv_add(&a, "-nographic");

    if (libxl__defbool_or(b_info->u.hvm.spice.enable, false)) {
        LOGD(ERROR, domid, "SPICE is not supported yet");
        return ERROR_INVAL;
    }

    rc = add_vga(gc, domid, &a, b_info);
    if (rc)
        return rc;
    /* "cda": the default upstream's setdefault gives (its stored
     * configs leave it out). */
    strv_add2(&a, "-boot", GCSPRINTF("order=%s", b_info->u.hvm.boot
                                                 ? b_info->u.hvm.boot
                                                 : "cda"));
    rc = add_usb_sound(gc, domid, &a, b_info);
    if (rc)
        return rc;
    if (!libxl__defbool_or(b_info->acpi, true) ||
        !libxl__defbool_or(b_info->u.hvm.acpi, true))
        strv_add(&a, "-no-acpi");
    if (b_info->max_vcpus > 1) {
        if (b_info->avail_vcpus.size)
            strv_add2(&a, "-smp",
                      GCSPRINTF("%d,maxcpus=%d",
                                libxl_bitmap_count_set(&b_info->avail_vcpus),
                                b_info->max_vcpus));
        else
            strv_add2(&a, "-smp", GCSPRINTF("%d", b_info->max_vcpus));
    }
    add_nics(gc, domid, &a, d_config);

    /* Device state saved by the previous emulator comes on stdin. */
    if (incoming)
        strv_add2(&a, "-incoming", "fd:0");
    for (i = 0; b_info->extra && b_info->extra[i]; i++)
        strv_add(&a, b_info->extra[i]);

    machine = libxl__strdup(gc,
                            libxl__defbool_or(b_info->u.hvm.xen_platform_pci,
                                              true)
                            ? "xenfv,suppress-vmdesc=on"
                            : "pc,accel=xen,suppress-vmdesc=on");
    if (b_info->u.hvm.mmio_hole_memkb &&
        b_info->u.hvm.mmio_hole_memkb != LIBXL_MEMKB_DEFAULT) {
        uint64_t below = (1ULL << 32) - (b_info->u.hvm.mmio_hole_memkb << 10);
        if (below > 0xF0000000ULL)      /* HVM_BELOW_4G_MMIO_START */
            LOGD(WARN, domid, "mmio_hole_memkb=%" PRIu64 " invalid, ignored",
                 b_info->u.hvm.mmio_hole_memkb);
        else
            machine = GCSPRINTF("%s,max-ram-below-4g=%" PRIu64, machine,
                                below);
    }
    if (libxl__defbool_or(b_info->u.hvm.gfx_passthru, false)) {
        LOGD(ERROR, domid, "gfx_passthru is not supported");
        return ERROR_INVAL;
    }
    strv_add2(&a, "-machine", machine);
    for (i = 0; b_info->extra_hvm && b_info->extra_hvm[i]; i++)
        strv_add(&a, b_info->extra_hvm[i]);

    if (b_info->max_memkb == LIBXL_MEMKB_DEFAULT) {
        LOGD(ERROR, domid, "the guest's maximum memory is not set");
        return ERROR_INVAL;
    }
    strv_add2(&a, "-m",
              GCSPRINTF("%" PRIu64, libxl__sizekb_to_mb(
                  b_info->max_memkb -
                  (b_info->video_memkb == LIBXL_MEMKB_DEFAULT
                   ? 0 : b_info->video_memkb))));
    strv_add2(&e, "XEN_DOMAIN_ID", GCSPRINTF("%u", domid));

    rc = add_disk_drives(gc, domid, &a, d_config);
    if (rc)
        return rc;
    if (b_info->u.hvm.vendor_device == LIBXL_VENDOR_DEVICE_XENSERVER)
        strv_add2(&a, "-device", "xen-pvdevice,device-id=0xc000");
    if (b_info->device_model_user)
        strv_add2(&a, "-runas", b_info->device_model_user);

    *argv_r = a.v;
    if (env_r)
        *env_r = e.v;
    return 0;
}
