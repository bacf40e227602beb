/*
 * libxl_vkb.c: virtual keyboard/pointer devices (xen/io/kbdif.h).
 *
 * An HVM guest gets one by default (b_info.u.hvm.vkb_device), served by
 * its QEMU device model, as upstream 4.17 does: the nodes are written
 * before QEMU starts and QEMU connects the backend itself.  Devices
 * listed in d_config->vkbs are added the same way; a "linux" backend
 * (the dom0 kernel's xen-kbdback, backend kind vinput) is waited for
 * like any kernel backend.
 */
#include "libxl_internal.h"
#include "libxl_xshelp.h"
#include "libxl_device.h"

#include <xen/io/kbdif.h>

static int vkb_setdefault(libxl__gc *gc, uint32_t domid,
                          libxl_device_vkb *vkb)
{
    if (vkb->backend_domname) {
        LOGD(ERROR, domid, "vkb: driver domains (backend=%s) are not "
             "supported", vkb->backend_domname);
        return ERROR_INVAL;
    }
    if (vkb->backend_type == LIBXL_VKB_BACKEND_UNKNOWN)
        vkb->backend_type = LIBXL_VKB_BACKEND_QEMU;
    if (vkb->backend_type != LIBXL_VKB_BACKEND_QEMU &&
        vkb->backend_type != LIBXL_VKB_BACKEND_LINUX) {
        LOGD(ERROR, domid, "vkb: invalid backend type %d",
             (int)vkb->backend_type);
        return ERROR_INVAL;
    }
    if (vkb->devid < 0) {
        int id = libxl__device_nextid(gc, domid, "vkbd");
        if (id < 0)
            return id;
        vkb->devid = id;
    }
    return 0;
}

/* The optional backend entries: only those the caller set, as
 * upstream (a zero or unset feature is not written). */
static void optional_entries(libxl__gc *gc, const libxl_device_vkb *vkb,
                             libxl__kvs *back)
{
#define U(key, v) \
    libxl__kvs_add(gc, back, (key), GCSPRINTF("%u", (unsigned int)(v)))

    if (vkb->unique_id)
        libxl__kvs_add(gc, back, XENKBD_FIELD_UNIQUE_ID, vkb->unique_id);
    if (vkb->feature_disable_keyboard)
        U(XENKBD_FIELD_FEAT_DSBL_KEYBRD, vkb->feature_disable_keyboard);
    if (vkb->feature_disable_pointer)
        U(XENKBD_FIELD_FEAT_DSBL_POINTER, vkb->feature_disable_pointer);
    if (vkb->feature_abs_pointer)
        U(XENKBD_FIELD_FEAT_ABS_POINTER, vkb->feature_abs_pointer);
    if (vkb->feature_raw_pointer)
        U(XENKBD_FIELD_FEAT_RAW_POINTER, vkb->feature_raw_pointer);
    if (vkb->feature_multi_touch) {
        U(XENKBD_FIELD_FEAT_MTOUCH, vkb->feature_multi_touch);
        U(XENKBD_FIELD_MT_WIDTH, vkb->multi_touch_width);
        U(XENKBD_FIELD_MT_HEIGHT, vkb->multi_touch_height);
        U(XENKBD_FIELD_MT_NUM_CONTACTS, vkb->multi_touch_num_contacts);
    }
    if (vkb->width)
        U(XENKBD_FIELD_WIDTH, vkb->width);
    if (vkb->height)
        U(XENKBD_FIELD_HEIGHT, vkb->height);
#undef U
}

int libxl__device_vkb_add(libxl__gc *gc, uint32_t domid,
                          libxl_device_vkb *vkb)
{
    libxl__device dev;
    libxl__kvs back = { 0 }, front = { 0 };
    int rc;

    rc = vkb_setdefault(gc, domid, vkb);
    if (rc)
        return rc;
    dev = (libxl__device){
        .backend_domid = vkb->backend_domid,
        .domid = domid,
        .devid = vkb->devid,
        .kind = "vkbd",
        .backend_kind = vkb->backend_type == LIBXL_VKB_BACKEND_LINUX
                        ? "vinput" : "vkbd",
    };

    libxl__kvs_add(gc, &back, "frontend-id", GCSPRINTF("%" PRIu32, domid));
    libxl__kvs_add(gc, &back, "online", "1");
    libxl__kvs_add(gc, &back, "state",
                   GCSPRINTF("%d", XenbusStateInitialising));
    optional_entries(gc, vkb, &back);

    libxl__kvs_add(gc, &front, "backend-id",
                   GCSPRINTF("%" PRIu32, vkb->backend_domid));
    libxl__kvs_add(gc, &front, "state",
                   GCSPRINTF("%d", XenbusStateInitialising));

    rc = libxl__device_generic_add(gc, &dev, back.kv, front.kv, NULL);
    if (!rc)
        rc = libxl__device_connect(gc, &dev);   /* QEMU's: nothing */
    if (rc) {
        LOGD(ERROR, domid, "cannot add vkb %d (%s backend)", vkb->devid,
             dev.backend_kind);
        libxl__device_remove(gc, &dev, true);
    }
    return rc;
}

int libxl__devices_vkb_add(libxl__gc *gc, uint32_t domid,
                           libxl_domain_config *d_config)
{
    int rc;

    if (d_config->c_info.type == LIBXL_DOMAIN_TYPE_HVM &&
        libxl_defbool_val(d_config->b_info.u.hvm.vkb_device)) {
        libxl_device_vkb vkb;

        libxl_device_vkb_init(&vkb);
        rc = libxl__device_vkb_add(gc, domid, &vkb);
        libxl_device_vkb_dispose(&vkb);
        if (rc)
            return rc;
    }
    for (int i = 0; i < d_config->num_vkbs; i++) {
        rc = libxl__device_vkb_add(gc, domid, &d_config->vkbs[i]);
        if (rc)
            return rc;
    }
    return 0;
}
