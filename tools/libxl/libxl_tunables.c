/*
 * libxl_tunables.c: the defaults of the process-wide settings and test
 * seams (libxl__tunables, libxl_internal.h): Debian's Xen 4.17 paths,
 * upstream libxl's timeouts where it has one.
 */
#include "libxl_internal.h"
#include "libxl_create.h"

static const char *const privcmd_paths[] = {
    "/dev/xen/privcmd",
    "/proc/xen/privcmd",
    NULL,
};

libxl__tunables libxl__tun = {
    .privcmd_paths = privcmd_paths,
    .run_dir = "/var/run/xen",
    .dm_log_dir = "/var/log/xen",
    .dm_save_dir = "/var/lib/xen",
    .userdata_dir = "/var/lib/xen",
    .xen_script_dir = "/etc/xen/scripts",
    .qemu_xen_path = "/usr/libexec/xen-qemu-system-i386",
    .hvmloader_path = "/usr/lib/xen-4.17/boot/hvmloader",
    .seabios_path = "/usr/share/seabios/bios-256k.bin",
    .ovmf_path = "/usr/share/ovmf/OVMF.fd",
    .pci_sysfs_devices = "/sys/bus/pci/devices",
    .device_init_timeout_ms = 10 * 1000,     /* LIBXL_INIT_TIMEOUT */
    .device_destroy_timeout_ms = 10 * 1000,  /* LIBXL_DESTROY_TIMEOUT */
    .device_hotplug_timeout_ms = 40 * 1000,  /* LIBXL_HOTPLUG_TIMEOUT */
    /* LIBXL_DEVICE_MODEL_START_TIMEOUT */
    .dm_start_timeout_ms = 60 * 1000,
    .dm_stop_timeout_ms = 10 * 1000,
    .qmp_timeout_ms = 10 * 1000,             /* QMP_CMD_TIMEOUT */
    .pvcontrol_timeout_ms = 60 * 1000,
    .lock_timeout_ms = 60 * 1000,
    .create_xc = &libxl__create_xc_real,
};
