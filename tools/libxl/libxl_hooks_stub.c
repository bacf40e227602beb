/*
 * libxl_hooks_stub.c: weak stand-ins for hooks of other areas that
 * destroy calls, until those areas provide them.  A real (strong)
 * definition elsewhere in the library replaces each one.
 *
 * STUB: libxl__devices_destroy (libxl_device.c), libxl__dm_destroy and
 * libxl__dm_resume (libxl_dm.c).  Delete an entry here once its area has landed.
 */
#include "libxl_internal.h"

__attribute__((weak)) int libxl__devices_destroy(libxl__gc *gc,
                                                 uint32_t domid)
{
    LOGD(DEBUG, domid, "no device teardown in this build (stub)");
    return 0;
}

__attribute__((weak)) int libxl__dm_destroy(libxl__gc *gc, uint32_t domid)
{
    LOGD(DEBUG, domid, "no device model teardown in this build (stub)");
    return 0;
}

__attribute__((weak)) int libxl__dm_resume(libxl__gc *gc, uint32_t domid)
{
    return 0;
}
