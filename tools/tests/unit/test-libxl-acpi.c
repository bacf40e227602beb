/*
 * test-libxl-acpi.c: the ACPI tables of a PVH guest (libxl__acpi_build):
 * the RSDP (both checksums, revision 2, the XSDT address), every table's
 * signature, length and checksum, the XSDT pointing at the FADT and the
 * MADT at their guest addresses, the FADT with its FACS and DSDT,
 * the MADT with one Local APIC per vCPU (APIC id 2 * i, enabled from the
 * bitmap), where the RSDP goes, and bad configs refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libxl_internal.h"
#include "libxl_acpi.h"
#include "fake-sys.h"

#define BASE 0xfc001000ULL
#define PAGE 4096u

static libxl_ctx *ctx;

static int setup(void **state)
{
    fake_reset();
    ctx = fake_ctx(XTL_CRITICAL);
    return 0;
}

static int teardown(void **state)
{
    fake_ctx_free(ctx);
    return 0;
}

static uint32_t get16(const uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8;
}

static uint32_t get32(const uint8_t *p)
{
    return get16(p) | get16(p + 2) << 16;
}

static uint64_t get64(const uint8_t *p)
{
    return get32(p) | (uint64_t)get32(p + 4) << 32;
}

static uint8_t sum(const uint8_t *p, size_t len)
{
    uint8_t s = 0;

    while (len--)
        s += *p++;
    return s;
}

/* The table at guest address addr, inside the tables module, with
 * signature sig, a length that fits, a zero sum; its length in *len. */
static const uint8_t *table_at(const libxl__acpi_tables *t, uint64_t addr,
                               const char *sig, uint32_t *len)
{
    const uint8_t *p;

    assert_true(addr >= t->tables_addr);
    assert_true(addr + 36 <= t->tables_addr + t->tables_len);
    p = t->tables + (addr - t->tables_addr);
    assert_memory_equal(p, sig, 4);
    *len = get32(p + 4);
    assert_true(*len >= 36);
    assert_true(addr + *len <= t->tables_addr + t->tables_len);
    assert_int_equal(sum(p, *len), 0);
    assert_memory_equal(p + 10, "Xen\0\0\0", 6);
    return p;
}

static libxl__acpi_config config(unsigned int nr, const uint8_t *avail,
                                 unsigned int avail_bytes)
{
    return (libxl__acpi_config){ .nr_vcpus = nr, .avail = avail,
                                 .avail_bytes = avail_bytes,
                                 .tables_addr = BASE,
                                 .tables_max = 16 * PAGE,
                                 .page_size = PAGE };
}

static void test_tables(void **state)
{
    GC_INIT(ctx);
    const uint8_t avail[] = { 0x0b };   /* vCPUs 0, 1, 3 online */
    libxl__acpi_config cfg = config(4, avail, sizeof(avail));
    libxl__acpi_tables t;
    const uint8_t *r, *x, *f, *d, *m;
    uint32_t len;

    assert_int_equal(libxl__acpi_build(gc, 1, &cfg, &t), 0);

    /* RSDP: in the page after the tables, which are whole pages */
    assert_int_equal(t.tables_addr, BASE);
    assert_int_equal(t.tables_len % PAGE, 0);
    assert_int_equal(t.tables_len, PAGE);
    assert_int_equal(t.rsdp_addr, BASE + t.tables_len);
    assert_int_equal(t.rsdp_len, 36);
    r = t.rsdp;
    assert_memory_equal(r, "RSD PTR ", 8);
    assert_int_equal(sum(r, 20), 0);
    assert_int_equal(sum(r, 36), 0);
    assert_int_equal(r[15], 2);
    assert_int_equal(get32(r + 16), 0);         /* no RSDT */
    assert_int_equal(get32(r + 20), 36);

    /* XSDT: the FADT, then the MADT */
    x = table_at(&t, get64(r + 24), "XSDT", &len);
    assert_int_equal(len, 36 + 2 * 8);
    f = table_at(&t, get64(x + 36), "FACP", &len);
    assert_int_equal(len, 268);
    assert_int_equal(f[8], 5);
    m = table_at(&t, get64(x + 44), "APIC", &len);

    /* FADT: full ACPI (not hardware-reduced), SCI 9, Xen's PM1a
     * blocks, no PM timer or GPE block, no fixed buttons, no VGA or
     * CMOS RTC */
    assert_int_equal(get32(f + 112) & (1u << 20), 0);
    assert_int_equal(get32(f + 112) & 0x30, 0x30);
    assert_int_equal(get16(f + 109), (1u << 2) | (1u << 5));
    assert_int_equal(get16(f + 46), 9);
    assert_int_equal(get32(f + 56), 0xb000);
    assert_int_equal(get32(f + 64), 0xb004);
    assert_int_equal(f[88], 4);
    assert_int_equal(f[89], 2);
    assert_int_equal(get32(f + 76), 0);         /* PM timer */
    assert_int_equal(get32(f + 80), 0);         /* GPE0 */
    assert_int_equal(f[148], 1);                /* X_PM1a_EVT: I/O */
    assert_int_equal(f[149], 32);
    assert_int_equal(get64(f + 152), 0xb000);
    assert_int_equal(f[172], 1);                /* X_PM1a_CNT: I/O */
    assert_int_equal(f[173], 16);
    assert_int_equal(get64(f + 176), 0xb004);
    /* FACS: 64 bytes, 64-byte aligned, both addresses, no checksum */
    assert_int_equal(get32(f + 36), get64(f + 132));
    assert_int_equal(get32(f + 36) % 64, 0);
    {
        uint64_t a = get32(f + 36);
        const uint8_t *fc = t.tables + (a - t.tables_addr);

        assert_true(a >= t.tables_addr &&
                    a + 64 <= t.tables_addr + t.tables_len);
        assert_memory_equal(fc, "FACS", 4);
        assert_int_equal(get32(fc + 4), 64);
        assert_int_equal(fc[32], 2);
    }
    assert_int_equal(get32(f + 40), get64(f + 140));
    d = table_at(&t, get64(f + 140), "DSDT", &len);
    assert_int_equal(len, 36);
    assert_int_equal(d[8], 2);

    /* MADT: the LAPIC address, no PC-AT 8259s, 4 Local APICs */
    assert_int_equal(len = get32(m + 4), 44 + 4 * 8);
    assert_int_equal(get32(m + 36), 0xfee00000u);
    assert_int_equal(get32(m + 40), 0);
    for (unsigned int i = 0; i < 4; i++) {
        const uint8_t *e = m + 44 + 8 * i;

        assert_int_equal(e[0], 0);
        assert_int_equal(e[1], 8);
        assert_int_equal(e[2], i);
        assert_int_equal(e[3], 2 * i);
        assert_int_equal(get32(e + 4), i == 2 ? 0 : 1);
    }
    GC_FREE;
}

static void test_max_vcpus(void **state)
{
    GC_INIT(ctx);
    uint8_t avail[16];
    libxl__acpi_config cfg;
    libxl__acpi_tables t;
    const uint8_t *x, *m, *e;
    uint32_t len;

    memset(avail, 0xff, sizeof(avail));
    avail[15] = 0x7f;                   /* vCPU 127 offline */
    cfg = config(128, avail, sizeof(avail));
    assert_int_equal(libxl__acpi_build(gc, 1, &cfg, &t), 0);
    x = table_at(&t, get64(t.rsdp + 24), "XSDT", &len);
    m = table_at(&t, get64(x + 44), "APIC", &len);
    assert_int_equal(len, 44 + 128 * 8);
    e = m + 44 + 8 * 126;
    assert_int_equal(e[2], 126);
    assert_int_equal(e[3], 252);
    assert_int_equal(get32(e + 4), 1);
    e += 8;
    assert_int_equal(e[2], 127);
    assert_int_equal(e[3], 254);
    assert_int_equal(get32(e + 4), 0);
    GC_FREE;
}

/* Bits past the bitmap's bytes are offline vCPUs. */
static void test_short_bitmap(void **state)
{
    GC_INIT(ctx);
    const uint8_t avail[] = { 0x01 };
    libxl__acpi_config cfg = config(12, avail, sizeof(avail));
    libxl__acpi_tables t;
    const uint8_t *x, *m;
    uint32_t len;

    assert_int_equal(libxl__acpi_build(gc, 1, &cfg, &t), 0);
    x = table_at(&t, get64(t.rsdp + 24), "XSDT", &len);
    m = table_at(&t, get64(x + 44), "APIC", &len);
    assert_int_equal(len, 44 + 12 * 8);
    assert_int_equal(get32(m + 44 + 4), 1);
    for (unsigned int i = 1; i < 12; i++)
        assert_int_equal(get32(m + 44 + 8 * i + 4), 0);
    GC_FREE;
}

/* A Linux kernel without XENFEAT_linux_rsdp_unrestricted: below 1 MiB,
 * 16-byte aligned, where the legacy BIOS-area scan finds it. */
static void test_rsdp_low(void **state)
{
    GC_INIT(ctx);
    const uint8_t avail[] = { 0x01 };
    libxl__acpi_config cfg = config(1, avail, sizeof(avail));
    libxl__acpi_tables t;

    cfg.rsdp_low = true;
    assert_int_equal(libxl__acpi_build(gc, 1, &cfg, &t), 0);
    assert_int_equal(t.rsdp_addr, 0xfffc0);
    assert_int_equal(t.rsdp_addr % 16, 0);
    assert_true(t.rsdp_addr + t.rsdp_len <= 0x100000);
    assert_int_equal(get64(t.rsdp + 24), BASE);
    GC_FREE;
}

static void test_bad_config(void **state)
{
    GC_INIT(ctx);
    const uint8_t avail[] = { 0xff };
    libxl__acpi_config cfg;
    libxl__acpi_tables t;

    memset(&t, 0, sizeof(t));
    cfg = config(0, avail, sizeof(avail));
    assert_int_equal(libxl__acpi_build(gc, 1, &cfg, &t), ERROR_INVAL);
    cfg = config(129, avail, sizeof(avail));
    assert_int_equal(libxl__acpi_build(gc, 1, &cfg, &t), ERROR_INVAL);
    /* 8 vCPUs take 448 + 44 + 64 bytes: not in 555 */
    cfg = config(8, avail, sizeof(avail));
    cfg.tables_max = 555;
    assert_int_equal(libxl__acpi_build(gc, 1, &cfg, &t), ERROR_INVAL);
    cfg.tables_max = 556;
    assert_int_equal(libxl__acpi_build(gc, 1, &cfg, &t), 0);
    memset(&t, 0, sizeof(t));
    cfg = config(8, avail, sizeof(avail));
    cfg.tables_addr = BASE + 0x10;
    assert_int_equal(libxl__acpi_build(gc, 1, &cfg, &t), ERROR_INVAL);
    cfg = config(8, avail, sizeof(avail));
    cfg.page_size = 3000;
    assert_int_equal(libxl__acpi_build(gc, 1, &cfg, &t), ERROR_INVAL);
    cfg = config(8, avail, sizeof(avail));
    cfg.tables_addr = 0xfffff000ULL;    /* the RSDP page past 4 GiB */
    assert_int_equal(libxl__acpi_build(gc, 1, &cfg, &t), ERROR_INVAL);
    /* nothing handed out on failure */
    assert_null(t.rsdp);
    assert_null(t.tables);
    GC_FREE;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_max_vcpus, setup, teardown),
        cmocka_unit_test_setup_teardown(test_short_bitmap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rsdp_low, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_config, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
