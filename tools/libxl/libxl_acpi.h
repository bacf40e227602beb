/*
 * libxl_acpi.h: the ACPI tables a PVH guest finds through
 * hvm_start_info.rsdp_paddr (libxl_acpi.c).  Internal.
 */
#ifndef LIBXL_ACPI_H
#define LIBXL_ACPI_H

#include "libxl_internal.h"

#include <stdbool.h>
#include <stdint.h>

/* The local APIC every vCPU sees (Xen's vLAPIC). */
#define LIBXL__ACPI_LAPIC_ADDRESS 0xfee00000u
/* An RSDP below 1 MiB, where a legacy scan of the BIOS area finds it:
 * the last bytes of the first MiB. */
#define LIBXL__ACPI_LOW_RSDP_END 0x100000u
/* Local APIC entries carry an 8-bit APIC id, and vCPU i has id 2 * i:
 * at most 128 vCPUs (Xen's HVM_MAX_VCPUS) without x2APIC entries. */
#define LIBXL__ACPI_MAX_VCPUS 128u
/* The RSDP (ACPI 2.0 and later) is 36 bytes. */
#define LIBXL__ACPI_RSDP_LEN 36u

typedef struct libxl__acpi_config {
    /* MADT entries, one per possible vCPU (1 .. 128). */
    unsigned int nr_vcpus;
    /* vCPUs online at boot: bit i of byte i / 8; bits past avail_bytes
     * are offline. */
    const uint8_t *avail;
    unsigned int avail_bytes;
    /* Guest address of the table area (page aligned) and its size. */
    uint64_t tables_addr;
    uint32_t tables_max;
    /* Guest page size (a power of two). */
    uint32_t page_size;
    /* true: the RSDP goes in the last bytes below 1 MiB (a Linux guest
     * that cannot take it anywhere else); false: in the page after the
     * tables. */
    bool rsdp_low;
} libxl__acpi_config;

typedef struct libxl__acpi_tables {
    /* RSDP: rsdp_len bytes at guest address rsdp_addr. */
    uint8_t *rsdp;
    uint32_t rsdp_len;
    uint64_t rsdp_addr;
    /* XSDT, FADT, MADT and DSDT: tables_len bytes (whole pages) at
     * guest address tables_addr. */
    uint8_t *tables;
    uint32_t tables_len;
    uint64_t tables_addr;
} libxl__acpi_tables;

/*
 * Builds the tables for cfg into gc memory.  Pure: no hypervisor, no
 * guest memory; the caller hands the buffers to libxenguest.
 * ERROR_INVAL, logged, for a config it cannot describe (no vCPUs, more
 * than LIBXL__ACPI_MAX_VCPUS, an area too small or not page aligned).
 */
int libxl__acpi_build(libxl__gc *gc, uint32_t domid,
                      const libxl__acpi_config *cfg,
                      libxl__acpi_tables *out);

#endif
