/*
 * libxl_nic.c: virtual network interfaces: defaults (MAC, bridge,
 * script, model, type), the vif xenstore nodes (xen/io/netif.h), the
 * public NIC calls.
 */
#include <sys/random.h>

#include "libxl_internal.h"
#include "libxl_xshelp.h"
#include "libxl_event_internal.h"
#include "libxl_domain.h"
#include "libxl_device.h"

#define DEFAULT_VIF_SCRIPT "vif-bridge"
#define DEFAULT_BRIDGE "xenbr0"
#define DEFAULT_MODEL "rtl8139"
#define DEFAULT_MTU 1500
#define TAP_SUFFIX "-emu"

const char *libxl__device_nic_devname(libxl__gc *gc, uint32_t domid,
                                      int devid, const char *vifname,
                                      libxl_nic_type type)
{
    const char *name = vifname && *vifname
        ? vifname : GCSPRINTF("vif%" PRIu32 ".%d", domid, devid);

    if (type == LIBXL_NIC_TYPE_VIF_IOEMU)
        return GCSPRINTF("%s" TAP_SUFFIX, name);
    return name;
}

int libxl__device_nic_setdefault(libxl__gc *gc, uint32_t domid,
                                 libxl_device_nic *nic,
                                 libxl_domain_type type, bool hotplug)
{
    if (nic->backend_domname) {
        LOGD(ERROR, domid, "NIC: driver domains (backend=%s) are not "
             "supported", nic->backend_domname);
        return ERROR_INVAL;
    }
    if (nic->devid < 0) {
        int id = libxl__device_nextid(gc, domid, "vif");
        if (id < 0)
            return id;
        nic->devid = id;
    }
    if (!nic->mtu)
        nic->mtu = DEFAULT_MTU;
    if (!nic->model)
        nic->model = strdup(DEFAULT_MODEL);
    if (libxl__mac_is_default(&nic->mac)) {
        uint8_t r[3];

        if (getrandom(r, sizeof(r), 0) != sizeof(r)) {
            LOGED(ERROR, domid, "NIC %d: no random bytes for a MAC address",
                  nic->devid);
            return ERROR_FAIL;
        }
        /* Xen's OUI; the local half random, top bit clear */
        nic->mac[0] = 0x00;
        nic->mac[1] = 0x16;
        nic->mac[2] = 0x3e;
        nic->mac[3] = r[0] & 0x7f;
        nic->mac[4] = r[1];
        nic->mac[5] = r[2];
    }
    if (!nic->bridge)
        nic->bridge = strdup(DEFAULT_BRIDGE);
    if (!nic->script)
        nic->script = strdup(libxl__device_script_path(gc,
                                                       DEFAULT_VIF_SCRIPT));
    libxl_defbool_setdefault(&nic->trusted, true);

    if (type == LIBXL_DOMAIN_TYPE_INVALID)
        type = libxl__domain_type(gc, domid);
    switch (type) {
    case LIBXL_DOMAIN_TYPE_HVM:
        if (nic->nictype == LIBXL_NIC_TYPE_UNKNOWN)
            nic->nictype = hotplug ? LIBXL_NIC_TYPE_VIF
                                   : LIBXL_NIC_TYPE_VIF_IOEMU;
        break;
    case LIBXL_DOMAIN_TYPE_PV:
    case LIBXL_DOMAIN_TYPE_PVH:
        if (nic->nictype == LIBXL_NIC_TYPE_VIF_IOEMU) {
            LOGD(ERROR, domid, "NIC %d: type=ioemu (an emulated interface) "
                 "needs an HVM guest", nic->devid);
            return ERROR_INVAL;
        }
        nic->nictype = LIBXL_NIC_TYPE_VIF;
        break;
    default:
        LOGD(ERROR, domid, "NIC %d: cannot tell the domain's type",
             nic->devid);
        return ERROR_INVAL;
    }
    return 0;
}

static void nic_device(uint32_t domid, const libxl_device_nic *nic,
                       libxl__device *dev)
{
    dev->backend_domid = nic->backend_domid;
    dev->domid = domid;
    dev->devid = nic->devid;
    dev->kind = "vif";
    dev->backend_kind = "vif";
}

int libxl__device_nic_add(libxl__gc *gc, uint32_t domid,
                          libxl_device_nic *nic, libxl_domain_type type,
                          bool hotplug)
{
    libxl__device dev;
    libxl__kvs back = { 0 }, front = { 0 }, ro_front = { 0 };
    char *mac;
    int rc;

    rc = libxl__device_nic_setdefault(gc, domid, nic, type, hotplug);
    if (rc)
        return rc;
    nic_device(domid, nic, &dev);
    if (libxl__xs_read(gc, XBT_NULL, libxl__device_libxl_path(gc, &dev))) {
        LOGD(ERROR, domid, "NIC %d already exists", nic->devid);
        return ERROR_DEVICE_EXISTS;
    }
    mac = GCSPRINTF(LIBXL_MAC_FMT, nic->mac[0], nic->mac[1], nic->mac[2],
                    nic->mac[3], nic->mac[4], nic->mac[5]);

    libxl__kvs_add(gc, &back, "frontend-id", GCSPRINTF("%" PRIu32, domid));
    libxl__kvs_add(gc, &back, "online", "1");
    /* cleared: the script reports here */
    libxl__kvs_add(gc, &back, "hotplug-status", "");
    libxl__kvs_add(gc, &back, "state",
                   GCSPRINTF("%d", XenbusStateInitialising));
    libxl__kvs_add(gc, &back, "script",
                   libxl__device_script_path(gc, nic->script));
    if (nic->ifname) {
        libxl__kvs_add(gc, &back, "vifname", nic->ifname);
    }
    libxl__kvs_add(gc, &back, "mac", mac);
    if (nic->ip) {
        libxl__kvs_add(gc, &back, "ip", nic->ip);
    }
    if (nic->gatewaydev) {
        libxl__kvs_add(gc, &back, "gatewaydev", nic->gatewaydev);
    }
    if (nic->rate_interval_usecs > 0) {
        libxl__kvs_add(gc, &back, "rate",
                       GCSPRINTF("%" PRIu64 ",%" PRIu32,
                                 nic->rate_bytes_per_interval,
                                 nic->rate_interval_usecs));
    }
    libxl__kvs_add(gc, &back, "bridge", nic->bridge);
    libxl__kvs_add(gc, &back, "handle", GCSPRINTF("%d", nic->devid));
    libxl__kvs_add(gc, &back, "type", libxl_nic_type_to_string(nic->nictype));

    libxl__kvs_add(gc, &front, "backend-id",
                   GCSPRINTF("%" PRIu32, nic->backend_domid));
    libxl__kvs_add(gc, &front, "state",
                   GCSPRINTF("%d", XenbusStateInitialising));
    libxl__kvs_add(gc, &front, "handle", GCSPRINTF("%d", nic->devid));
    libxl__kvs_add(gc, &front, "mac", mac);
    libxl__kvs_add(gc, &front, "trusted",
                   libxl_defbool_val(nic->trusted) ? "1" : "0");
    /* the guest may read its MTU, not set it */
    libxl__kvs_add(gc, &ro_front, "mtu", GCSPRINTF("%d", nic->mtu));

    rc = libxl__device_generic_add(gc, &dev, back.kv, front.kv,
                                   ro_front.kv);
    if (rc)
        goto fail;
    rc = libxl__device_connect(gc, &dev);
    if (rc)
        goto fail;
    return 0;

fail:
    LOGD(ERROR, domid, "cannot add NIC %d (%s on %s)", nic->devid, mac,
         nic->bridge);
    libxl__device_remove(gc, &dev, true);
    return rc;
}

/*
 * Public calls.
 */
int libxl_device_nic_add(libxl_ctx *ctx, uint32_t domid,
                         libxl_device_nic *nic,
                         const libxl_asyncop_how *ao_how)
{
    GC_INIT(ctx);
    int rc = libxl__device_nic_add(gc, domid, nic, LIBXL_DOMAIN_TYPE_INVALID,
                                   true);

    GC_FREE;
    return libxl__ao_result(ctx, ao_how, rc);
}

static int nic_remove(libxl_ctx *ctx, uint32_t domid, libxl_device_nic *nic,
                      const libxl_asyncop_how *ao_how, bool force)
{
    GC_INIT(ctx);
    libxl__device dev;
    int rc = 0;

    nic_device(domid, nic, &dev);
    if (nic->devid < 0 ||
        !libxl__xs_read(gc, XBT_NULL,
                        GCSPRINTF("%s/backend",
                                  libxl__device_libxl_path(gc, &dev)))) {
        LOGD(ERROR, domid, "no NIC %d", nic->devid);
        rc = ERROR_NOTFOUND;
    } else {
        rc = libxl__device_remove(gc, &dev, force);
    }
    GC_FREE;
    return libxl__ao_result(ctx, ao_how, rc);
}

int libxl_device_nic_remove(libxl_ctx *ctx, uint32_t domid,
                            libxl_device_nic *nic,
                            const libxl_asyncop_how *ao_how)
{
    return nic_remove(ctx, domid, nic, ao_how, false);
}

int libxl_device_nic_destroy(libxl_ctx *ctx, uint32_t domid,
                             libxl_device_nic *nic,
                             const libxl_asyncop_how *ao_how)
{
    return nic_remove(ctx, domid, nic, ao_how, true);
}

/* A NIC from libxl's record at lp (plain malloc'd strings). */
static void nic_from_record(libxl__gc *gc, const char *lp, int devid,
                            libxl_device_nic *nic)
{
#define RD(k) libxl__xs_read(gc, XBT_NULL, GCSPRINTF("%s/" k, lp))
#define DUP(f, k) do { const char *v_ = RD(k); if (v_) nic->f = strdup(v_); \
                  } while (0)
    const char *v, *fe = RD("frontend");

    libxl_device_nic_init(nic);
    nic->devid = devid;
    if (fe && (v = libxl__xs_read(gc, XBT_NULL,
                                  GCSPRINTF("%s/backend-id", fe))))
        nic->backend_domid = (uint32_t)strtoul(v, NULL, 10);
    if ((v = RD("mac")))
        libxl__parse_mac(v, nic->mac);
    DUP(ip, "ip");
    DUP(bridge, "bridge");
    DUP(ifname, "vifname");
    DUP(script, "script");
    DUP(gatewaydev, "gatewaydev");
    if (fe && (v = libxl__xs_read(gc, XBT_NULL, GCSPRINTF("%s/mtu", fe))))
        nic->mtu = atoi(v);
    if ((v = RD("type")))
        libxl_nic_type_from_string(v, &nic->nictype);
    if ((v = RD("rate")))
        sscanf(v, "%" SCNu64 ",%" SCNu32, &nic->rate_bytes_per_interval,
               &nic->rate_interval_usecs);
#undef DUP
#undef RD
}

libxl_device_nic *libxl_device_nic_list(libxl_ctx *ctx, uint32_t domid,
                                        int *num)
{
    GC_INIT(ctx);
    int n = 0;
    int *ids = libxl__device_list_devids(gc, domid, "vif", &n);
    libxl_device_nic *list = NULL;

    if (n) {
        list = calloc((size_t)n, sizeof(*list));
        if (!list)
            libxl__alloc_failed(ctx, __func__, (size_t)n, sizeof(*list));
        for (int i = 0; i < n; i++)
            nic_from_record(gc, GCSPRINTF("/libxl/%" PRIu32
                                          "/device/vif/%d", domid, ids[i]),
                            ids[i], &list[i]);
    }
    *num = n;
    GC_FREE;
    return list;
}

void libxl_device_nic_list_free(libxl_device_nic *list, int num)
{
    for (int i = 0; i < num; i++)
        libxl_device_nic_dispose(&list[i]);
    free(list);
}

int libxl__devices_nic_add(libxl__gc *gc, uint32_t domid,
                           libxl_domain_config *d_config)
{
    for (int i = 0; i < d_config->num_nics; i++) {
        int rc = libxl__device_nic_add(gc, domid, &d_config->nics[i],
                                       d_config->c_info.type, false);

        if (rc)
            return rc;
    }
    return 0;
}
