/*
 * test-libxl-memmap.c: the guest memory map create gives PVH and HVM
 * domains (libxl__memory_map_build): what hvmloader and a PVH kernel
 * read with XENMEM_memory_map. Low RAM from 0 (PVH) or 1 MiB (a device
 * model's guest), RAM above 4 GiB when memory does not fit below the
 * MMIO hole, PVH's special pages reserved, ACPI modules as NVS rounded
 * to pages, reserved device memory regions, and bad input refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <xenctrl.h>
#include <xenguest.h>

#include "libxl_internal.h"
#include "libxl_create.h"
#include "fake-sys.h"

#define GiB (1ULL << 30)
#define MiB (1ULL << 20)

static libxl_ctx *ctx;
static libxl_domain_config cfg;
static struct xc_dom_image dom;
static struct xc_dom_arch arch = { .page_shift = 12 };

static int setup(void **state)
{
    fake_reset();
    ctx = fake_ctx(XTL_CRITICAL);
    libxl_domain_config_init(&cfg);
    memset(&dom, 0, sizeof(dom));
    dom.arch_hooks = &arch;
    return 0;
}

static int teardown(void **state)
{
    libxl_domain_config_dispose(&cfg);
    fake_ctx_free(ctx);
    return 0;
}

static void expect_entry(const struct e820entry *e, uint64_t addr,
                         uint64_t size, uint32_t type)
{
    assert_int_equal(e->addr, addr);
    assert_int_equal(e->size, size);
    assert_int_equal(e->type, type);
}

static void test_pvh_low_only(void **state)
{
    GC_INIT(ctx);
    struct e820entry *map;
    unsigned int nr;

    cfg.b_info.type = LIBXL_DOMAIN_TYPE_PVH;
    dom.lowmem_end = 256 * MiB;
    assert_int_equal(libxl__memory_map_build(gc, 3, &cfg, &dom, &map, &nr),
                     0);
    assert_int_equal(nr, 2);
    expect_entry(&map[0], 0, 256 * MiB, E820_RAM);
    /* Xen's special pages end at pfn 0xff000: 0xfeff8000-0xff000000 */
    expect_entry(&map[1], 0xfeff8000ULL, 0x8000, E820_RESERVED);
    GC_FREE;
}

static void test_hvm_high_acpi_rdm(void **state)
{
    GC_INIT(ctx);
    struct e820entry *map;
    unsigned int nr;

    cfg.b_info.type = LIBXL_DOMAIN_TYPE_HVM;
    dom.device_model = true;
    dom.lowmem_end = 3 * GiB;
    dom.highmem_end = 4 * GiB + 1 * GiB;
    dom.acpi_modules[0].length = 0x1234;
    dom.acpi_modules[0].guest_addr_out = 0xfc000800;
    cfg.num_rdms = 2;
    cfg.rdms = calloc(2, sizeof(*cfg.rdms));
    cfg.rdms[0] = (libxl_device_rdm){ .start = 0xa0000000, .size = 0x1000,
                                      .policy = LIBXL_RDM_RESERVE_POLICY_STRICT };
    cfg.rdms[1] = (libxl_device_rdm){ .start = 0xb0000000, .size = 0x1000,
                                      .policy = LIBXL_RDM_RESERVE_POLICY_INVALID };
    assert_int_equal(libxl__memory_map_build(gc, 3, &cfg, &dom, &map, &nr),
                     0);
    assert_int_equal(nr, 4);
    /* hvmloader and the BIOS own the first MiB */
    expect_entry(&map[0], MiB, 3 * GiB - MiB, E820_RAM);
    /* an invalid-policy region is not in the map */
    expect_entry(&map[1], 0xa0000000, 0x1000, E820_RESERVED);
    /* from the page holding the tables, for their length plus offset */
    expect_entry(&map[2], 0xfc000000, 0x1234 + 0x800, E820_NVS);
    expect_entry(&map[3], 4 * GiB, 1 * GiB, E820_RAM);
    GC_FREE;
}

static void test_bad_input(void **state)
{
    GC_INIT(ctx);
    struct e820entry *map = NULL;
    unsigned int nr = 0;

    cfg.b_info.type = LIBXL_DOMAIN_TYPE_HVM;
    dom.device_model = true;
    dom.lowmem_end = MiB;           /* nothing above the first MiB */
    assert_int_equal(libxl__memory_map_build(gc, 3, &cfg, &dom, &map, &nr),
                     ERROR_INVAL);
    dom.lowmem_end = 512 * MiB;
    cfg.num_rdms = E820MAX;         /* more than a map can hold */
    cfg.rdms = calloc(E820MAX, sizeof(*cfg.rdms));
    assert_int_equal(libxl__memory_map_build(gc, 3, &cfg, &dom, &map, &nr),
                     ERROR_INVAL);
    assert_null(map);
    GC_FREE;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pvh_low_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hvm_high_acpi_rdm, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
