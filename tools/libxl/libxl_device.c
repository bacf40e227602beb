/*
 * libxl_device.c: the generic device machinery (frontend and backend
 * xenstore nodes, hotplug scripts, teardown).
 */
#include "libxl_internal.h"

int libxl__devices_add(libxl__gc *gc, uint32_t domid,
                       libxl_domain_config *d_config)
{
    if (!d_config->num_disks && !d_config->num_nics)
        return 0;
    LOGD(ERROR, domid, "adding disks and NICs: not implemented yet");
    return ERROR_FAIL;
}
