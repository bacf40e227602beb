/*
 * test-libxl-info.c: host facts (libxl_info.c) and domain scheduling
 * parameters (libxl_sched.c) against the fake hypervisor: what Xen
 * reports lands in upstream's fields, unknown entries become the
 * INVALID_ENTRY values, failures are errors and not crashes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "libxl_internal.h"
#include "libxl_sys.h"
#include "fake-sys.h"

static libxl_ctx *ctx;

static int setup(void **state)
{
    fake_reset();
    fake_host_reset();
    fake_dom_add(0, 0x00);
    ctx = fake_ctx(fake_log_level());
    return 0;
}

static int teardown(void **state)
{
    libxl__info_ctx_free(ctx);
    fake_ctx_free(ctx);
    fake_reset();
    return 0;
}

static void test_physinfo(void **state)
{
    libxl_physinfo p;

    fake_host.phys.threads_per_core = 2;
    fake_host.phys.cores_per_socket = 4;
    fake_host.phys.max_cpu_id = 7;
    fake_host.phys.nr_cpus = 8;
    fake_host.phys.cpu_khz = 2445402;
    fake_host.phys.total_pages = 1048576;
    fake_host.phys.free_pages = 500000;
    fake_host.phys.scrub_pages = 3;
    fake_host.phys.outstanding_pages = 17;
    fake_host.phys.max_mfn = 0x12345678;
    fake_host.phys.nr_nodes = 1;
    for (int i = 0; i < 8; i++)
        fake_host.phys.hw_cap[i] = 0x11111111u * (i + 1);
    fake_host.phys.capabilities = XEN_SYSCTL_PHYSCAP_pv |
        XEN_SYSCTL_PHYSCAP_hap | XEN_SYSCTL_PHYSCAP_gnttab_v2;
    fake_host.sharing_freed = 5;
    fake_host.sharing_used = 6;

    libxl_physinfo_init(&p);
    assert_int_equal(libxl_get_physinfo(ctx, &p), 0);
    assert_int_equal(p.threads_per_core, 2);
    assert_int_equal(p.cores_per_socket, 4);
    assert_int_equal(p.max_cpu_id, 7);
    assert_int_equal(p.nr_cpus, 8);
    assert_int_equal(p.cpu_khz, 2445402);
    assert_int_equal(p.total_pages, 1048576);
    assert_int_equal(p.free_pages, 500000);
    assert_int_equal(p.scrub_pages, 3);
    assert_int_equal(p.outstanding_pages, 17);
    assert_int_equal(p.max_possible_mfn, 0x12345678);
    assert_int_equal(p.nr_nodes, 1);
    assert_int_equal(p.sharing_freed_pages, 5);
    assert_int_equal(p.sharing_used_frames, 6);
    for (int i = 0; i < 8; i++)
        assert_int_equal(p.hw_cap[i], 0x11111111u * (i + 1));
    /* each capability bit to its own flag, and only those set */
    assert_true(p.cap_pv);
    assert_true(p.cap_hap);
    assert_true(p.cap_gnttab_v2);
    assert_false(p.cap_hvm);
    assert_false(p.cap_hvm_directio);
    assert_false(p.cap_shadow);
    assert_false(p.cap_iommu_hap_pt_share);
    assert_false(p.cap_vmtrace);
    assert_false(p.cap_vpmu);
    assert_false(p.cap_gnttab_v1);
    libxl_physinfo_dispose(&p);

    fake_host.phys.capabilities = XEN_SYSCTL_PHYSCAP_hvm |
        XEN_SYSCTL_PHYSCAP_directio | XEN_SYSCTL_PHYSCAP_shadow |
        XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share | XEN_SYSCTL_PHYSCAP_vmtrace |
        XEN_SYSCTL_PHYSCAP_vpmu | XEN_SYSCTL_PHYSCAP_gnttab_v1;
    libxl_physinfo_init(&p);
    assert_int_equal(libxl_get_physinfo(ctx, &p), 0);
    assert_true(p.cap_hvm && p.cap_hvm_directio && p.cap_shadow &&
                p.cap_iommu_hap_pt_share && p.cap_vmtrace && p.cap_vpmu &&
                p.cap_gnttab_v1);
    assert_false(p.cap_pv || p.cap_hap || p.cap_gnttab_v2);
    libxl_physinfo_dispose(&p);
}

static void test_physinfo_sharing_and_failures(void **state)
{
    libxl_physinfo p;

    /* no memory sharing in Xen: nothing shared, not an error */
    fake_host.sharing_freed = -1;
    fake_host.sharing_used = -1;
    libxl_physinfo_init(&p);
    assert_int_equal(libxl_get_physinfo(ctx, &p), 0);
    assert_int_equal(p.sharing_freed_pages, 0);
    assert_int_equal(p.sharing_used_frames, 0);
    libxl_physinfo_dispose(&p);

    /* any other failure is one */
    fake.fail_op = "sharing_freed_pages";
    libxl_physinfo_init(&p);
    assert_int_equal(libxl_get_physinfo(ctx, &p), ERROR_FAIL);
    libxl_physinfo_dispose(&p);
    fake.fail_op = "physinfo";
    libxl_physinfo_init(&p);
    assert_int_equal(libxl_get_physinfo(ctx, &p), ERROR_FAIL);
    libxl_physinfo_dispose(&p);
}

static const uint8_t build_id[] = { 0x15, 0x1b, 0x37, 0x3f, 0x00, 0xab };

static void set_version(void)
{
    fake_host.version = (4 << 16) | 17;
    fake_host.extra = ".7";
    fake_host.caps = "xen-3.0-x86_64 hvm-3.0-x86_64 ";
    fake_host.changeset = "";
    fake_host.cmdline = "dom0_mem=2048M loglvl=all";
    strcpy(fake_host.cc.compiler, "gcc 12");
    strcpy(fake_host.cc.compile_by, "builder");
    strcpy(fake_host.cc.compile_domain, "example.org");
    strcpy(fake_host.cc.compile_date, "Wed Nov  4 16:52:28 UTC 2026");
    fake_host.virt_start = 0xffff800000000000ULL;
    fake_host.pagesize = 4096;
    fake_host.build_id = build_id;
    fake_host.build_id_len = sizeof(build_id);
}

static void test_version_info(void **state)
{
    const libxl_version_info *v, *again;

    set_version();
    v = libxl_get_version_info(ctx);
    assert_non_null(v);
    assert_int_equal(v->xen_version_major, 4);
    assert_int_equal(v->xen_version_minor, 17);
    assert_string_equal(v->xen_version_extra, ".7");
    assert_string_equal(v->capabilities, "xen-3.0-x86_64 hvm-3.0-x86_64 ");
    assert_string_equal(v->changeset, "");
    assert_string_equal(v->commandline, "dom0_mem=2048M loglvl=all");
    assert_string_equal(v->compiler, "gcc 12");
    assert_string_equal(v->compile_by, "builder");
    assert_string_equal(v->compile_domain, "example.org");
    assert_string_equal(v->compile_date, "Wed Nov  4 16:52:28 UTC 2026");
    assert_true(v->virt_start == 0xffff800000000000ULL);
    assert_int_equal(v->pagesize, 4096);
    assert_string_equal(v->build_id, "151b373f00ab");

    /* read once per ctx: the same answer, even if Xen's changed */
    fake_host.extra = ".8";
    again = libxl_get_version_info(ctx);
    assert_ptr_equal(again, v);
    assert_string_equal(again->xen_version_extra, ".7");

    /* a fresh ctx reads again */
    {
        libxl_ctx *c2 = fake_ctx(XTL_CRITICAL);
        const libxl_version_info *v2 = libxl_get_version_info(c2);

        assert_non_null(v2);
        assert_ptr_not_equal(v2, v);
        assert_string_equal(v2->xen_version_extra, ".8");
        libxl__info_ctx_free(c2);
        fake_ctx_free(c2);
    }
}

static void test_version_info_no_build_id_and_failure(void **state)
{
    const libxl_version_info *v;

    set_version();
    fake_host.build_id = NULL;          /* Xen built without one */
    v = libxl_get_version_info(ctx);
    assert_non_null(v);
    assert_string_equal(v->build_id, "");
    libxl__info_ctx_free(ctx);

    /* a hypervisor that does not answer: NULL, and not kept */
    fake.fail_op = "version";
    assert_null(libxl_get_version_info(ctx));
    fake.fail_op = NULL;
    v = libxl_get_version_info(ctx);
    assert_non_null(v);
    assert_int_equal(v->xen_version_minor, 17);
}

static void test_freecpus(void **state)
{
    libxl_bitmap map;

    fake_host.max_cpus = 4;
    fake_host.freemap = 0x0a;           /* CPUs 1 and 3 */
    libxl_bitmap_init(&map);
    assert_int_equal(libxl_get_freecpus(ctx, &map), 0);
    assert_int_equal(map.size, 1);
    assert_int_equal(libxl_bitmap_count_set(&map), 2);
    assert_true(libxl_bitmap_test(&map, 1));
    assert_true(libxl_bitmap_test(&map, 3));
    assert_false(libxl_bitmap_test(&map, 0));
    libxl_bitmap_dispose(&map);

    fake_host.max_cpus = 12;
    libxl_bitmap_init(&map);
    assert_int_equal(libxl_get_freecpus(ctx, &map), 0);
    assert_int_equal(map.size, 2);
    libxl_bitmap_dispose(&map);

    libxl_bitmap_init(&map);
    fake.fail_op = "cpupool_freeinfo";
    assert_int_equal(libxl_get_freecpus(ctx, &map), ERROR_FAIL);
    fake.fail_op = NULL;
    fake_host.max_cpus = 0;             /* Xen says nothing sensible */
    assert_true(libxl_get_freecpus(ctx, &map) < 0);
    libxl_bitmap_dispose(&map);
}

static void test_cpu_topology(void **state)
{
    libxl_cputopology *t;
    int n = -1;

    fake_host.n_cpus = 3;
    fake_host.topo[0] = (xc_cputopo_t){ .core = 0, .socket = 0, .node = 0 };
    fake_host.topo[1] = (xc_cputopo_t){ .core = 1, .socket = 1, .node = 2 };
    fake_host.topo[2] = (xc_cputopo_t){ .core = XEN_INVALID_CORE_ID,
                                        .socket = XEN_INVALID_SOCKET_ID,
                                        .node = XEN_INVALID_NODE_ID };
    t = libxl_get_cpu_topology(ctx, &n);
    assert_non_null(t);
    assert_int_equal(n, 3);
    assert_int_equal(t[1].core, 1);
    assert_int_equal(t[1].socket, 1);
    assert_int_equal(t[1].node, 2);
    assert_int_equal(t[2].core, LIBXL_CPUTOPOLOGY_INVALID_ENTRY);
    assert_int_equal(t[2].socket, LIBXL_CPUTOPOLOGY_INVALID_ENTRY);
    assert_int_equal(t[2].node, LIBXL_CPUTOPOLOGY_INVALID_ENTRY);
    libxl_cputopology_list_free(t, n);

    fake.fail_op = "cputopoinfo";
    assert_null(libxl_get_cpu_topology(ctx, &n));
}

static void test_numainfo(void **state)
{
    libxl_numainfo *ni;
    int n = -1;

    fake_host.n_nodes = 2;
    fake_host.mem[0] = (xc_meminfo_t){ .memsize = 5120ULL << 20,
                                       .memfree = 2004ULL << 20 };
    fake_host.mem[1] = (xc_meminfo_t){ .memsize = XEN_INVALID_MEM_SZ,
                                       .memfree = XEN_INVALID_MEM_SZ };
    fake_host.dist[0] = 10;
    fake_host.dist[1] = 20;
    fake_host.dist[2] = XEN_INVALID_NODE_DIST;
    fake_host.dist[3] = 10;
    ni = libxl_get_numainfo(ctx, &n);
    assert_non_null(ni);
    assert_int_equal(n, 2);
    assert_true(ni[0].size == 5120ULL << 20);
    assert_true(ni[0].free == 2004ULL << 20);
    assert_int_equal(ni[0].num_dists, 2);
    assert_int_equal(ni[0].dists[0], 10);
    assert_int_equal(ni[0].dists[1], 20);
    assert_true(ni[1].size == LIBXL_NUMAINFO_INVALID_ENTRY);
    assert_true(ni[1].free == LIBXL_NUMAINFO_INVALID_ENTRY);
    assert_int_equal(ni[1].dists[0], LIBXL_NUMAINFO_INVALID_ENTRY);
    assert_int_equal(ni[1].dists[1], 10);
    libxl_numainfo_list_free(ni, n);

    fake.fail_op = "numainfo";
    assert_null(libxl_get_numainfo(ctx, &n));
}

static void test_pci_topology(void **state)
{
    char dir[] = "/tmp/test-libxl-info.XXXXXX", path[128];
    const char *names[] = { "0000:00:01.0", "0001:0a:1f.7", "not-pci",
                            "0000:00:02.0x" };
    libxl_pcitopology *t;
    int n = -1, seen = 0;

    assert_non_null(mkdtemp(dir));
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        assert_int_equal(mkdir(path, 0700), 0);
    }
    libxl__tun.pci_sysfs_devices = dir;

    fake_host.pci_node = 1;
    t = libxl_get_pci_topology(ctx, &n);
    assert_non_null(t);
    assert_int_equal(n, 2);             /* only the PCI addresses */
    for (int i = 0; i < n; i++) {
        assert_int_equal(t[i].node, 1);
        if (t[i].seg == 0 && t[i].bus == 0 && t[i].devfn == (1 << 3))
            seen |= 1;
        if (t[i].seg == 1 && t[i].bus == 0x0a &&
            t[i].devfn == ((0x1f << 3) | 7))
            seen |= 2;
    }
    assert_int_equal(seen, 3);
    libxl_pcitopology_list_free(t, n);

    /* Xen's "no node" answers become the invalid entry */
    fake_host.pci_node = XEN_INVALID_DEV;
    t = libxl_get_pci_topology(ctx, &n);
    assert_non_null(t);
    assert_int_equal(t[0].node, LIBXL_PCITOPOLOGY_INVALID_ENTRY);
    libxl_pcitopology_list_free(t, n);

    fake.fail_op = "pcitopoinfo";
    assert_null(libxl_get_pci_topology(ctx, &n));
    fake.fail_op = NULL;

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        rmdir(path);
    }
    rmdir(dir);
    /* no such directory: an error */
    assert_null(libxl_get_pci_topology(ctx, &n));
    libxl__tun.pci_sysfs_devices = "/sys/bus/pci/devices";
}

static void test_sched_params(void **state)
{
    libxl_domain_sched_params s;

    fake_dom_add(3, 0x30);
    fake_host.weight = 512;
    fake_host.cap = 40;
    assert_int_equal(libxl_domain_sched_params_get(ctx, 3, &s), 0);
    assert_int_equal(s.sched, LIBXL_SCHEDULER_CREDIT2);
    assert_int_equal(s.weight, 512);
    assert_int_equal(s.cap, 40);
    /* what the scheduler does not have stays at its default */
    assert_int_equal(s.period, LIBXL_DOMAIN_SCHED_PARAM_PERIOD_DEFAULT);
    assert_int_equal(s.budget, LIBXL_DOMAIN_SCHED_PARAM_BUDGET_DEFAULT);
    libxl_domain_sched_params_dispose(&s);

    fake_host.sched_id = XEN_SCHEDULER_CREDIT;
    assert_int_equal(libxl_domain_sched_params_get(ctx, 3, &s), 0);
    assert_int_equal(s.sched, LIBXL_SCHEDULER_CREDIT);
    assert_int_equal(s.weight, 512);
    libxl_domain_sched_params_dispose(&s);

    fake_host.sched_id = XEN_SCHEDULER_RTDS;
    fake_host.period = 10000;
    fake_host.budget = 4000;
    assert_int_equal(libxl_domain_sched_params_get(ctx, 3, &s), 0);
    assert_int_equal(s.sched, LIBXL_SCHEDULER_RTDS);
    assert_int_equal(s.period, 10000);
    assert_int_equal(s.budget, 4000);
    assert_int_equal(s.weight, LIBXL_DOMAIN_SCHED_PARAM_WEIGHT_DEFAULT);
    libxl_domain_sched_params_dispose(&s);

    fake_host.sched_id = XEN_SCHEDULER_NULL;
    assert_int_equal(libxl_domain_sched_params_get(ctx, 3, &s), 0);
    assert_int_equal(s.sched, LIBXL_SCHEDULER_NULL);
    assert_int_equal(s.weight, LIBXL_DOMAIN_SCHED_PARAM_WEIGHT_DEFAULT);
    libxl_domain_sched_params_dispose(&s);

    fake_host.sched_id = 77;            /* a scheduler libxl does not know */
    assert_int_equal(libxl_domain_sched_params_get(ctx, 3, &s),
                     ERROR_INVAL);
    libxl_domain_sched_params_dispose(&s);

    fake_host.sched_id = 0;
    assert_int_equal(libxl_domain_sched_params_get(ctx, 42, &s),
                     ERROR_DOMAIN_NOTFOUND);
    libxl_domain_sched_params_dispose(&s);
    fake.fail_op = "sched_credit2_domain_get";
    assert_int_equal(libxl_domain_sched_params_get(ctx, 3, &s), ERROR_FAIL);
    libxl_domain_sched_params_dispose(&s);
    fake.fail_op = "cpupool_sched_id";
    assert_int_equal(libxl_domain_sched_params_get(ctx, 3, &s), ERROR_FAIL);
    libxl_domain_sched_params_dispose(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_physinfo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_physinfo_sharing_and_failures,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_version_info, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_version_info_no_build_id_and_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_freecpus, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cpu_topology, setup, teardown),
        cmocka_unit_test_setup_teardown(test_numainfo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pci_topology, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sched_params, setup, teardown),
    };
    return cmocka_run_group_tests_name("libxl-info", tests, NULL, NULL);
}
