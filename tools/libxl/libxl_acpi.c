/*
 * libxl_acpi.c: ACPI tables for PVH guests, written from the ACPI
 * specification (6.x, tables at their ACPI 5.0 revisions).
 *
 * A PVH domain has no firmware: the toolstack hands the kernel an RSDP
 * (hvm_start_info.rsdp_paddr) and the tables behind it.  Without them
 * Linux knows one CPU only and cannot power off (Xen powers a PVH domain
 * off when all its vCPUs halt with interrupts disabled, which needs the
 * guest to know and stop every CPU).  What we describe:
 *
 *   RSDP  revision 2, XSDT address only (no RSDT: every OS that boots
 *         PVH reads the XSDT).
 *   XSDT  -> FADT, MADT.
 *   FADT  revision 5, the full (not hardware-reduced) form as
 *         upstream's: SCI 9, the PM1a event and control blocks at Xen's
 *         ACPI I/O ports (0xb000, 0xb004; nothing answers them in a PVH
 *         domain, they are there because an OS in full ACPI mode
 *         requires them), no PM timer, no GPE block, power and sleep
 *         buttons not fixed hardware, boot flags no VGA and no CMOS RTC;
 *         a FACS.  Not HW_REDUCED_ACPI, which would describe a PVH
 *         domain more truly: with it Linux 6.1 drops its legacy IRQ
 *         range (Xen's event channels then take IRQs 0-15, the SCI
 *         number among them) and in its one run on the test host our
 *         guest locked up in stop_machine; docs/design/create.md has
 *         what that run does and does not show.
 *   FACS  64 bytes, 64-byte aligned, all zero but its header.
 *   MADT  the local APIC at 0xfee00000, one Local APIC entry per
 *         possible vCPU: processor UID i, APIC id 2 * i (Xen's vLAPIC
 *         ids), enabled when the vCPU is online at boot.  No IO-APIC and
 *         no PC-AT 8259 pair (flags 0): PVH has neither.
 *   DSDT  a header and no AML: nothing to describe.  In particular no
 *         \_S5, so an OS asked to power off halts every CPU and Xen turns
 *         that into a poweroff shutdown.
 *
 * All fields are written little-endian byte by byte, without packed
 * structs.  Pure: inputs in, buffers out, no Xen calls (unit-tested by
 * tools/tests/unit/test-libxl-acpi.c).
 */
#include "libxl_internal.h"
#include "libxl_acpi.h"

/* Common table header (36 bytes). */
#define HDR_LEN 36
#define HDR_LENGTH 4
#define HDR_CHECKSUM 9

#define OEM_ID "Xen"
#define OEM_TABLE_ID "HVM"
#define CREATOR_ID "LXL "

/* XSDT: header + one 64-bit address per table. */
#define XSDT_ENTRIES 2

/* FADT, revision 5 (ACPI 5.0): 268 bytes. */
#define FADT_REVISION 5
#define FADT_LEN 268
#define FADT_FIRMWARE_CTRL 36
#define FADT_DSDT 40
#define FADT_SCI_INT 46
#define FADT_PM1A_EVT_BLK 56
#define FADT_PM1A_CNT_BLK 64
#define FADT_PM1_EVT_LEN 88
#define FADT_PM1_CNT_LEN 89
#define FADT_P_LVL2_LAT 96
#define FADT_P_LVL3_LAT 98
#define FADT_IAPC_BOOT_ARCH 109
#define FADT_FLAGS 112
#define FADT_MINOR_VERSION 131
#define FADT_X_FIRMWARE_CTRL 132
#define FADT_X_DSDT 140
#define FADT_X_PM1A_EVT_BLK 148
#define FADT_X_PM1A_CNT_BLK 172
/* The SCI's ISA IRQ, and Xen's ACPI PM1a ports (public hvm/ioreq.h). */
#define SCI_IRQ 9
#define PM1A_EVT_PORT 0xb000u
#define PM1A_EVT_LEN 4
#define PM1A_CNT_PORT 0xb004u
#define PM1A_CNT_LEN 2
/* C2 and C3 latencies past these limits: not supported */
#define NO_C2_LATENCY 101
#define NO_C3_LATENCY 1001
/* Generic address structure: space, bit width, bit offset, access size,
 * address. */
#define GAS_SYSTEM_IO 1
/* IA-PC boot architecture flags */
#define BOOT_NO_VGA (1u << 2)
#define BOOT_NO_CMOS_RTC (1u << 5)
/* fixed feature flags */
#define FF_WBINVD (1u << 0)
#define FF_PROC_C1 (1u << 2)
#define FF_PWR_BUTTON (1u << 4) /* set: no fixed power button */
#define FF_SLP_BUTTON (1u << 5) /* set: no fixed sleep button */

/* MADT, revision 3 (ACPI 5.0). */
#define MADT_REVISION 3
#define MADT_LAPIC_ADDR 36
#define MADT_FLAGS 40
#define MADT_ENTRIES 44
#define MADT_LAPIC_TYPE 0
#define MADT_LAPIC_LEN 8
#define MADT_LAPIC_ENABLED 1u

/* FACS: 64 bytes, aligned to 64, version 2 (ACPI 4.0 and later). */
#define FACS_LEN 64
#define FACS_VERSION 32
#define FACS_VERSION_NR 2

/* DSDT, revision 2: integers are 64-bit. */
#define DSDT_REVISION 2

/* RSDP, revision 2 (ACPI 2.0 and later). */
#define RSDP_CHECKSUM 8
#define RSDP_OEM_ID 9
#define RSDP_REVISION 15
#define RSDP_LENGTH 20
#define RSDP_XSDT 24
#define RSDP_XCHECKSUM 32
/* The first checksum covers the ACPI 1.0 part. */
#define RSDP_V1_LEN 20

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = v;
    p[1] = v >> 8;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v);
    put16(p + 2, v >> 16);
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, v);
    put32(p + 4, v >> 32);
}

/* A fixed-size ASCII field, NUL padded. */
static void putstr(uint8_t *p, const char *s, size_t n)
{
    size_t l = strlen(s);

    memcpy(p, s, l < n ? l : n);
}

/* The byte at p[at] makes the len bytes from p sum to 0. */
static void checksum(uint8_t *p, size_t len, size_t at)
{
    uint8_t sum = 0;

    p[at] = 0;
    for (size_t i = 0; i < len; i++)
        sum += p[i];
    p[at] = -sum;
}

static void header(uint8_t *t, const char *sig, uint32_t len, uint8_t rev)
{
    memcpy(t, sig, 4);
    put32(t + HDR_LENGTH, len);
    t[8] = rev;
    putstr(t + 10, OEM_ID, 6);
    putstr(t + 16, OEM_TABLE_ID, 8);
    put32(t + 24, 1);                   /* OEM revision */
    memcpy(t + 28, CREATOR_ID, 4);
    put32(t + 32, 1);                   /* creator revision */
}

static uint32_t align16(uint32_t v)
{
    return (v + 15) & ~15u;
}

static uint32_t align64(uint32_t v)
{
    return (v + 63) & ~63u;
}

static void gas_io(uint8_t *p, uint8_t bits, uint16_t port)
{
    p[0] = GAS_SYSTEM_IO;
    p[1] = bits;
    put64(p + 4, port);
}

static bool vcpu_online(const libxl__acpi_config *cfg, unsigned int i)
{
    if (i / 8 >= cfg->avail_bytes)
        return false;
    return cfg->avail[i / 8] & (1u << (i % 8));
}

int libxl__acpi_build(libxl__gc *gc, uint32_t domid,
                      const libxl__acpi_config *cfg,
                      libxl__acpi_tables *out)
{
    uint32_t xsdt, facs, fadt, dsdt, madt, madt_len, end, len;
    uint64_t base = cfg->tables_addr;
    uint8_t *buf, *t;

    if (!cfg->nr_vcpus || cfg->nr_vcpus > LIBXL__ACPI_MAX_VCPUS) {
        LOGD(ERROR, domid, "ACPI: %u vCPUs, the MADT takes 1 to %u",
             cfg->nr_vcpus, LIBXL__ACPI_MAX_VCPUS);
        return ERROR_INVAL;
    }
    if (!cfg->page_size || (cfg->page_size & (cfg->page_size - 1)) ||
        (base & (cfg->page_size - 1))) {
        LOGD(ERROR, domid, "ACPI: table area at 0x%" PRIx64 " is not"
             " aligned to a page of %u bytes", base, cfg->page_size);
        return ERROR_INVAL;
    }

    /* Layout: XSDT, FACS (64-byte aligned), FADT, DSDT, MADT (each
     * 16-byte aligned). */
    xsdt = 0;
    facs = align64(xsdt + HDR_LEN + 8 * XSDT_ENTRIES);
    fadt = align16(facs + FACS_LEN);
    dsdt = align16(fadt + FADT_LEN);
    madt = align16(dsdt + HDR_LEN);
    madt_len = MADT_ENTRIES + MADT_LAPIC_LEN * cfg->nr_vcpus;
    end = madt + madt_len;
    if (end > cfg->tables_max) {
        LOGD(ERROR, domid, "ACPI: the tables for %u vCPUs take %u bytes,"
             " the area holds %u", cfg->nr_vcpus, end, cfg->tables_max);
        return ERROR_INVAL;
    }
    len = (end + cfg->page_size - 1) & ~(cfg->page_size - 1);
    if (base + len + cfg->page_size > (1ULL << 32)) {
        LOGD(ERROR, domid, "ACPI: table area at 0x%" PRIx64 " does not"
             " fit below 4 GiB", base);
        return ERROR_INVAL;
    }
    buf = libxl__zalloc(gc, len);

    /* DSDT: no AML. */
    t = buf + dsdt;
    header(t, "DSDT", HDR_LEN, DSDT_REVISION);
    checksum(t, HDR_LEN, HDR_CHECKSUM);

    /* FACS: no checksum, no waking vector */
    t = buf + facs;
    memcpy(t, "FACS", 4);
    put32(t + HDR_LENGTH, FACS_LEN);
    t[FACS_VERSION] = FACS_VERSION_NR;

    /* FADT */
    t = buf + fadt;
    header(t, "FACP", FADT_LEN, FADT_REVISION);
    put32(t + FADT_FIRMWARE_CTRL, base + facs);
    put32(t + FADT_DSDT, base + dsdt);
    put16(t + FADT_SCI_INT, SCI_IRQ);
    put32(t + FADT_PM1A_EVT_BLK, PM1A_EVT_PORT);
    put32(t + FADT_PM1A_CNT_BLK, PM1A_CNT_PORT);
    t[FADT_PM1_EVT_LEN] = PM1A_EVT_LEN;
    t[FADT_PM1_CNT_LEN] = PM1A_CNT_LEN;
    put16(t + FADT_P_LVL2_LAT, NO_C2_LATENCY);
    put16(t + FADT_P_LVL3_LAT, NO_C3_LATENCY);
    put16(t + FADT_IAPC_BOOT_ARCH, BOOT_NO_VGA | BOOT_NO_CMOS_RTC);
    put32(t + FADT_FLAGS, FF_WBINVD | FF_PROC_C1 | FF_PWR_BUTTON |
                          FF_SLP_BUTTON);
    t[FADT_MINOR_VERSION] = 0;
    put64(t + FADT_X_FIRMWARE_CTRL, base + facs);
    put64(t + FADT_X_DSDT, base + dsdt);
    gas_io(t + FADT_X_PM1A_EVT_BLK, 8 * PM1A_EVT_LEN, PM1A_EVT_PORT);
    gas_io(t + FADT_X_PM1A_CNT_BLK, 8 * PM1A_CNT_LEN, PM1A_CNT_PORT);
    checksum(t, FADT_LEN, HDR_CHECKSUM);

    /* MADT */
    t = buf + madt;
    header(t, "APIC", madt_len, MADT_REVISION);
    put32(t + MADT_LAPIC_ADDR, LIBXL__ACPI_LAPIC_ADDRESS);
    put32(t + MADT_FLAGS, 0);
    for (unsigned int i = 0; i < cfg->nr_vcpus; i++) {
        uint8_t *e = t + MADT_ENTRIES + MADT_LAPIC_LEN * i;

        e[0] = MADT_LAPIC_TYPE;
        e[1] = MADT_LAPIC_LEN;
        e[2] = i;                       /* ACPI processor UID */
        e[3] = 2 * i;                   /* APIC id */
        put32(e + 4, vcpu_online(cfg, i) ? MADT_LAPIC_ENABLED : 0);
    }
    checksum(t, madt_len, HDR_CHECKSUM);

    /* XSDT */
    t = buf + xsdt;
    header(t, "XSDT", HDR_LEN + 8 * XSDT_ENTRIES, 1);
    put64(t + HDR_LEN, base + fadt);
    put64(t + HDR_LEN + 8, base + madt);
    checksum(t, HDR_LEN + 8 * XSDT_ENTRIES, HDR_CHECKSUM);

    /* RSDP */
    t = libxl__zalloc(gc, LIBXL__ACPI_RSDP_LEN);
    memcpy(t, "RSD PTR ", 8);
    putstr(t + RSDP_OEM_ID, OEM_ID, 6);
    t[RSDP_REVISION] = 2;
    put32(t + RSDP_LENGTH, LIBXL__ACPI_RSDP_LEN);
    put64(t + RSDP_XSDT, base + xsdt);
    checksum(t, RSDP_V1_LEN, RSDP_CHECKSUM);
    checksum(t, LIBXL__ACPI_RSDP_LEN, RSDP_XCHECKSUM);

    out->rsdp = t;
    out->rsdp_len = LIBXL__ACPI_RSDP_LEN;
    /* 16-byte aligned, as a scan of the BIOS area looks for it. */
    out->rsdp_addr = cfg->rsdp_low ? LIBXL__ACPI_LOW_RSDP_END - 64
                                   : base + len;
    out->tables = buf;
    out->tables_len = len;
    out->tables_addr = base;
    return 0;
}
