/*
 * libxl_dm.c: the QEMU device model of HVM guests.
 */
#include "libxl_internal.h"

int libxl__dm_spawn_restore(libxl__gc *gc, uint32_t domid,
                            libxl_domain_config *d_config,
                            const char *restore_file)
{
    LOGD(ERROR, domid, "starting the device model: not implemented yet");
    return ERROR_FAIL;
}

int libxl__dm_spawn(libxl__gc *gc, uint32_t domid,
                    libxl_domain_config *d_config)
{
    return libxl__dm_spawn_restore(gc, domid, d_config, NULL);
}
