/*
 * test-libxl-types.c: lifetime of the libxl types (init defaults, deep
 * copy, dispose; all without a ctx) and the builtin helpers: bitmap,
 * defbool, uuid, mac, string and key/value lists.  Under the unit
 * `valgrind` target this also proves dispose frees everything.
 */
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libxl_internal.h"

static void test_init_defaults(void **state)
{
    libxl_domain_config dc;

    libxl_domain_config_init(&dc);
    assert_int_equal(dc.c_info.type, LIBXL_DOMAIN_TYPE_INVALID);
    assert_int_equal(dc.b_info.type, LIBXL_DOMAIN_TYPE_INVALID);
    assert_true(dc.b_info.max_memkb == LIBXL_MEMKB_DEFAULT);
    assert_int_equal(dc.b_info.timer_mode, LIBXL_TIMER_MODE_DEFAULT);
    assert_int_equal(dc.b_info.max_grant_frames, LIBXL_MAX_GRANT_DEFAULT);
    assert_int_equal(dc.b_info.sched_params.weight,
                     LIBXL_DOMAIN_SCHED_PARAM_WEIGHT_DEFAULT);
    assert_int_equal(dc.b_info.tee, LIBXL_TEE_TYPE_NONE);
    assert_int_equal(dc.on_poweroff, LIBXL_ACTION_ON_SHUTDOWN_DESTROY);
    assert_int_equal(dc.on_soft_reset, LIBXL_ACTION_ON_SHUTDOWN_DESTROY);
    assert_true(libxl_defbool_is_default(dc.b_info.acpi));

    /* Selecting the member sets its own defaults. */
    libxl_domain_build_info_init_type(&dc.b_info, LIBXL_DOMAIN_TYPE_HVM);
    assert_int_equal(dc.b_info.type, LIBXL_DOMAIN_TYPE_HVM);
    assert_int_equal(dc.b_info.u.hvm.hdtype, LIBXL_HDTYPE_IDE);
    assert_int_equal(dc.b_info.u.hvm.timer_mode, LIBXL_TIMER_MODE_DEFAULT);
    assert_true(dc.b_info.u.hvm.mmio_hole_memkb == LIBXL_MEMKB_DEFAULT);
    assert_int_equal(dc.b_info.u.hvm.vga.kind,
                     LIBXL_VGA_INTERFACE_TYPE_UNKNOWN);
    assert_int_equal(dc.b_info.u.hvm.rdm.policy,
                     LIBXL_RDM_RESERVE_POLICY_INVALID);
    libxl_domain_config_dispose(&dc);

    libxl_device_nic nic;
    libxl_device_nic_init(&nic);
    assert_int_equal(nic.devid, -1);
    libxl_device_nic_dispose(&nic);

    libxl_iomem_range r;
    libxl_iomem_range_init(&r);
    assert_true(r.gfn == LIBXL_INVALID_GFN);
    libxl_iomem_range_dispose(&r);

    libxl_dominfo di;
    libxl_dominfo_init(&di);
    assert_int_equal(di.shutdown_reason, LIBXL_SHUTDOWN_REASON_UNKNOWN);
    libxl_dominfo_dispose(&di);
}

static void build_config(libxl_domain_config *dc)
{
    libxl_domain_config_init(dc);
    dc->c_info.type = LIBXL_DOMAIN_TYPE_PV;
    dc->c_info.name = strdup("guest");
    dc->c_info.xsdata = calloc(3, sizeof(char *));
    dc->c_info.xsdata[0] = strdup("k");
    dc->c_info.xsdata[1] = strdup("v");
    libxl_domain_build_info_init_type(&dc->b_info, LIBXL_DOMAIN_TYPE_PV);
    dc->b_info.kernel = strdup("/boot/k");
    dc->b_info.extra = calloc(2, sizeof(char *));
    dc->b_info.extra[0] = strdup("-x");
    assert_int_equal(libxl_cpu_bitmap_alloc(NULL, &dc->b_info.cpumap, 8), 0);
    libxl_bitmap_set(&dc->b_info.cpumap, 5);
    dc->b_info.num_vcpu_hard_affinity = 1;
    dc->b_info.vcpu_hard_affinity = calloc(1, sizeof(libxl_bitmap));
    libxl_bitmap_alloc(NULL, &dc->b_info.vcpu_hard_affinity[0], 4);
    libxl_bitmap_set(&dc->b_info.vcpu_hard_affinity[0], 2);
    dc->num_disks = 2;
    dc->disks = calloc(2, sizeof(*dc->disks));
    for (int i = 0; i < 2; i++) {
        libxl_device_disk_init(&dc->disks[i]);
        dc->disks[i].vdev = strdup(i ? "xvdb" : "xvda");
    }
}

static void test_deep_copy(void **state)
{
    libxl_domain_config a, b;
    char *ja, *jb;

    build_config(&a);
    libxl_domain_config_copy(NULL, &b, &a);
    ja = libxl_domain_config_to_json(NULL, &a);
    jb = libxl_domain_config_to_json(NULL, &b);
    assert_string_equal(ja, jb);

    /* Nothing is shared: every pointer differs... */
    assert_ptr_not_equal(a.c_info.name, b.c_info.name);
    assert_ptr_not_equal(a.c_info.xsdata, b.c_info.xsdata);
    assert_ptr_not_equal(a.b_info.cpumap.map, b.b_info.cpumap.map);
    assert_ptr_not_equal(a.b_info.vcpu_hard_affinity,
                         b.b_info.vcpu_hard_affinity);
    assert_ptr_not_equal(a.b_info.vcpu_hard_affinity[0].map,
                         b.b_info.vcpu_hard_affinity[0].map);
    assert_ptr_not_equal(a.disks, b.disks);
    assert_ptr_not_equal(a.disks[1].vdev, b.disks[1].vdev);
    /* ...and changing or freeing the source leaves the copy intact. */
    a.c_info.name[0] = 'X';
    libxl_bitmap_set(&a.b_info.cpumap, 1);
    libxl_domain_config_dispose(&a);
    free(jb);
    jb = libxl_domain_config_to_json(NULL, &b);
    assert_string_equal(ja, jb);
    assert_string_equal(b.disks[1].vdev, "xvdb");
    libxl_domain_config_dispose(&b);
    /* dispose leaves a zeroed struct that can be disposed again */
    libxl_domain_config_dispose(&b);
    libxl_domain_config_dispose(NULL);
    free(ja);
    free(jb);
}

static void test_copy_deprecated(void **state)
{
    libxl_domain_build_info b;

    libxl_domain_build_info_init(&b);
    libxl_domain_build_info_init_type(&b, LIBXL_DOMAIN_TYPE_PV);
    b.u.pv.kernel = strdup("/old/place");
    assert_int_equal(libxl__domain_build_info_copy_deprecated(NULL, &b), 0);
    assert_string_equal(b.kernel, "/old/place");
    assert_null(b.u.pv.kernel);
    /* both set: refused */
    b.u.pv.cmdline = strdup("a");
    b.cmdline = strdup("b");
    assert_int_equal(libxl__domain_build_info_copy_deprecated(NULL, &b),
                     ERROR_INVAL);
    libxl_domain_build_info_dispose(&b);

    libxl_domain_build_info_init(&b);
    libxl_domain_build_info_init_type(&b, LIBXL_DOMAIN_TYPE_HVM);
    b.u.hvm.timer_mode = LIBXL_TIMER_MODE_NO_MISSED_TICKS_PENDING;
    libxl_defbool_set(&b.u.hvm.nested_hvm, true);
    assert_int_equal(libxl__domain_build_info_copy_deprecated(NULL, &b), 0);
    assert_int_equal(b.timer_mode, LIBXL_TIMER_MODE_NO_MISSED_TICKS_PENDING);
    assert_int_equal(b.u.hvm.timer_mode, LIBXL_TIMER_MODE_DEFAULT);
    assert_true(libxl_defbool_val(b.nested_hvm));
    assert_true(libxl_defbool_is_default(b.u.hvm.nested_hvm));
    libxl_domain_build_info_dispose(&b);
}

/* libxl_event_free frees the event and what its union member holds:
 * 10000 events made and freed leave the heap's bytes in use where they
 * were, give or take what malloc keeps cached (a leak of the smallest
 * part, 4 bytes each, would be 40 KB at least; of the event, 2 MB).
 * valgrind (`make -C tools/tests/unit valgrind`) says the same; under
 * ASan mallinfo2 reports nothing and the check holds trivially. */
static void test_event_free(void **state)
{
    size_t before, after;

    libxl_event_free(NULL, NULL);       /* NULL is fine */
    before = mallinfo2().uordblks;
    for (int i = 0; i < 10000; i++) {
        libxl_event *ev = calloc(1, sizeof(*ev));

        assert_non_null(ev);
        libxl_event_init(ev);
        libxl_event_init_type(ev, LIBXL_EVENT_TYPE_DISK_EJECT);
        ev->u.disk_eject.vdev = strdup("hdc");
        libxl_device_disk_init(&ev->u.disk_eject.disk);
        ev->u.disk_eject.disk.pdev_path = strdup("/tmp/x.iso");
        ev->u.disk_eject.disk.vdev = strdup("hdc");
        libxl_event_free(NULL, ev);
    }
    after = mallinfo2().uordblks;
    assert_true(after < before + 16384);
}

static void test_bitmap(void **state)
{
    libxl_bitmap m, c, o, a;
    int bit, n = 0;
    char *hex;

    libxl_bitmap_init(&m);
    assert_true(libxl_bitmap_is_empty(&m));
    assert_int_equal(libxl_bitmap_alloc(NULL, &m, -1), ERROR_INVAL);
    assert_int_equal(libxl_bitmap_alloc(NULL, &m, 20), 0);
    assert_int_equal(m.size, 3);
    assert_true(libxl_bitmap_is_empty(&m));
    libxl_bitmap_set(&m, 0);
    libxl_bitmap_set(&m, 19);
    libxl_bitmap_set(&m, 24);            /* past the end: ignored */
    libxl_bitmap_set(&m, -1);
    assert_true(libxl_bitmap_test(&m, 19));
    assert_false(libxl_bitmap_test(&m, 18));
    assert_false(libxl_bitmap_test(&m, 24));
    assert_false(libxl_bitmap_test(&m, -3));
    assert_int_equal(libxl_bitmap_count_set(&m), 2);
    libxl_for_each_set_bit(bit, m)
        n += bit;
    assert_int_equal(n, 19);
    hex = libxl_bitmap_to_hex_string(NULL, &m);
    assert_string_equal(hex, "0x080001");
    free(hex);

    libxl_bitmap_copy_alloc(NULL, &c, &m);
    assert_true(libxl_bitmap_equal(&c, &m, 0));
    libxl_bitmap_reset(&c, 0);
    assert_false(libxl_bitmap_equal(&c, &m, 0));
    assert_true(libxl_bitmap_test(&m, 0));

    assert_int_equal(libxl_bitmap_or(NULL, &o, &c, &m), 0);
    assert_int_equal(libxl_bitmap_count_set(&o), 2);
    assert_int_equal(libxl_bitmap_and(NULL, &a, &c, &m), 0);
    assert_int_equal(libxl_bitmap_count_set(&a), 1);

    libxl_bitmap_set_any(&m);
    assert_true(libxl_bitmap_is_full(&m));
    libxl_bitmap_set_none(&m);
    assert_true(libxl_bitmap_is_empty(&m));
    libxl_bitmap_dispose(&m);
    libxl_bitmap_dispose(&c);
    libxl_bitmap_dispose(&o);
    libxl_bitmap_dispose(&a);
    assert_null(m.map);
    assert_int_equal(m.size, 0);

    /* Host-sized maps need Xen; an explicit size needs nothing. */
    assert_int_equal(libxl_cpu_bitmap_alloc(NULL, &m, 0), ERROR_INVAL);
    assert_int_equal(libxl_node_bitmap_alloc(NULL, &m, -2), ERROR_INVAL);
    assert_int_equal(libxl_node_bitmap_alloc(NULL, &m, 4), 0);
    assert_int_equal(m.size, 1);
    libxl_bitmap_dispose(&m);
}

static void test_defbool(void **state)
{
    libxl_defbool d = { 0 };

    assert_true(libxl_defbool_is_default(d));
    assert_string_equal(libxl_defbool_to_string(d), "<default>");
    libxl_defbool_setdefault(&d, true);
    assert_true(libxl_defbool_val(d));
    libxl_defbool_setdefault(&d, false);     /* already set: no change */
    assert_true(libxl_defbool_val(d));
    assert_string_equal(libxl_defbool_to_string(d), "True");
    libxl_defbool_set(&d, false);
    assert_false(libxl_defbool_val(d));
    assert_string_equal(libxl_defbool_to_string(d), "False");
    libxl_defbool_unset(&d);
    assert_true(libxl_defbool_is_default(d));
}

static void test_uuid(void **state)
{
    libxl_uuid u, v;
    char buf[LIBXL_UUID_FMTLEN + 1];

    libxl_uuid_clear(&u);
    assert_true(libxl_uuid_is_nil(&u));
    libxl_uuid_generate(&u);
    assert_false(libxl_uuid_is_nil(&u));
    libxl_uuid_copy(NULL, &v, &u);
    assert_int_equal(libxl_uuid_compare(&u, &v), 0);
    libxl_uuid_generate(&v);
    assert_int_not_equal(libxl_uuid_compare(&u, &v), 0);

    assert_int_equal(libxl_uuid_from_string(&u,
                         "5D18A7DF-2bf7-4f53-ad72-fe3fc2b27320"), 0);
    snprintf(buf, sizeof(buf), LIBXL_UUID_FMT, LIBXL_UUID_BYTES(u));
    assert_string_equal(buf, "5d18a7df-2bf7-4f53-ad72-fe3fc2b27320");
    assert_int_equal(libxl_uuid_bytearray(&u)[0], 0x5d);
    assert_int_equal(libxl_uuid_bytearray_const(&u)[15], 0x20);
    assert_int_equal(libxl_uuid_from_string(&u, "5d18a7df"), ERROR_INVAL);
    assert_int_equal(libxl_uuid_from_string(&u,
                         "5d18a7df-2bf7-4f53-ad72-fe3fc2b2732z"), ERROR_INVAL);
    assert_int_equal(libxl_uuid_from_string(&u, NULL), ERROR_INVAL);
}

static void test_mac(void **state)
{
    libxl_mac m, n;
    char buf[LIBXL_MAC_FMTLEN + 1];

    assert_int_equal(libxl__parse_mac("00:16:3E:0a:ff:01", m), 0);
    snprintf(buf, sizeof(buf), LIBXL_MAC_FMT, LIBXL_MAC_BYTES(m));
    assert_string_equal(buf, "00:16:3e:0a:ff:01");
    assert_int_equal(libxl__parse_mac("00-16-3e-0a-ff-01", n), 0);
    libxl_mac_copy(NULL, &n, &m);
    assert_memory_equal(m, n, 6);
    assert_false(libxl__mac_is_default(&m));
    memset(n, 0, sizeof(n));
    assert_true(libxl__mac_is_default(&n));

    static const char *const bad[] = {
        "", "00:16:3e", "00:16:3e:0a:ff", "00:16:3e:0a:ff:0", "00:16:3e:0a:ff:011",
        "00:16:3e:0a:ff:0g", "0x:16:3e:0a:ff:01", "00:16:3e:0a:ff:01:",
        "00;16;3e;0a;ff;01", " 0:16:3e:0a:ff:01",
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        memcpy(n, m, 6);
        assert_int_equal(libxl__parse_mac(bad[i], n), ERROR_INVAL);
        assert_memory_equal(m, n, 6);    /* untouched on error */
    }
}

static void test_lists(void **state)
{
    libxl_string_list sl = NULL, sl2;
    libxl_key_value_list kvl = NULL, kvl2;

    assert_int_equal(libxl_string_list_length(&sl), 0);
    assert_true(libxl__string_list_is_empty(&sl));
    libxl_string_list_copy(NULL, &sl2, &sl);
    assert_null(sl2);
    sl = calloc(3, sizeof(char *));
    sl[0] = strdup("a");
    sl[1] = strdup("b");
    assert_int_equal(libxl_string_list_length(&sl), 2);
    libxl_string_list_copy(NULL, &sl2, &sl);
    assert_int_equal(libxl_string_list_length(&sl2), 2);
    assert_string_equal(sl2[1], "b");
    assert_ptr_not_equal(sl2[1], sl[1]);
    libxl_string_list_dispose(&sl);
    assert_null(sl);
    libxl_string_list_dispose(&sl2);

    kvl = calloc(5, sizeof(char *));
    kvl[0] = strdup("k1");
    kvl[1] = strdup("v1");
    kvl[2] = strdup("k2");                /* NULL value */
    assert_int_equal(libxl_key_value_list_length(&kvl), 2);
    assert_false(libxl__key_value_list_is_empty(&kvl));
    libxl_key_value_list_copy(NULL, &kvl2, &kvl);
    assert_int_equal(libxl_key_value_list_length(&kvl2), 2);
    assert_string_equal(kvl2[2], "k2");
    assert_null(kvl2[3]);
    libxl_key_value_list_dispose(&kvl);
    libxl_key_value_list_dispose(&kvl2);
    assert_null(kvl2);

    char *s = strdup("x"), *t;
    libxl_string_copy(NULL, &t, &s);
    assert_string_equal(t, "x");
    free(s);
    free(t);
    s = NULL;
    libxl_string_copy(NULL, &t, &s);
    assert_null(t);
    t = libxl_basename("/usr/lib/xen/bin/qemu");
    assert_string_equal(t, "qemu");
    free(t);
}

static void test_ms_vm_genid(void **state)
{
    libxl_ms_vm_genid a, b;

    memset(&a, 0, sizeof(a));
    assert_true(libxl_ms_vm_genid_is_zero(&a));
    assert_int_equal(libxl_ms_vm_genid_generate(NULL, &a), 0);
    assert_false(libxl_ms_vm_genid_is_zero(&a));
    assert_int_equal(libxl_ms_vm_genid_generate(NULL, &b), 0);
    assert_memory_not_equal(a.bytes, b.bytes, sizeof(a.bytes));
    libxl_ms_vm_genid_copy(NULL, &b, &a);
    assert_memory_equal(a.bytes, b.bytes, sizeof(a.bytes));
}

/* The gc frees every allocation at GC_FREE, including reallocated ones. */
static void test_gc(void **state)
{
    GC_INIT(NULL);
    char *p = libxl__zalloc(gc, 10);

    for (int i = 1; i < 50; i++)
        p = libxl__realloc(gc, p, 10 * i);
    assert_string_equal(libxl__sprintf(gc, "%d-%s", 42, "x"), "42-x");
    assert_null(libxl__calloc(gc, 0, 8));
    assert_null(libxl__strdup(gc, NULL));
    assert_string_equal(libxl__strndup(gc, "abcdef", 3), "abc");
    GC_FREE;
    assert_null(gc->blocks);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_defaults),
        cmocka_unit_test(test_deep_copy),
        cmocka_unit_test(test_copy_deprecated),
        cmocka_unit_test(test_event_free),
        cmocka_unit_test(test_bitmap),
        cmocka_unit_test(test_defbool),
        cmocka_unit_test(test_uuid),
        cmocka_unit_test(test_mac),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_ms_vm_genid),
        cmocka_unit_test(test_gc),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
