/*
 * test-libxl-sched-set.c: libxl_domain_sched_params_set (libxl_sched.c)
 * on the fake hypervisor: only what scinfo sets changes, the ranges
 * upstream checks are errors naming the value, a scheduler the domain's
 * cpupool does not run is refused, failures are errors; and create
 * applies b_info.sched_params (see test-libxl-create for the steps).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    fake_dom_add(3, 0x30);      /* one vCPU: caps up to 100 */
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

static libxl_domain_sched_params params(libxl_scheduler sched, int weight,
                                        int cap)
{
    libxl_domain_sched_params p;

    libxl_domain_sched_params_init(&p);
    p.sched = sched;
    p.weight = weight;
    p.cap = cap;
    return p;
}

static void test_credit2_weight_cap(void **state)
{
    libxl_domain_sched_params p, got;

    fake_host.weight = 256;
    fake_host.cap = 0;
    /* only the weight: the cap stays */
    p = params(LIBXL_SCHEDULER_UNKNOWN, 384, -1);
    fake_host.cap = 30;
    assert_int_equal(libxl_domain_sched_params_set(ctx, 3, &p), 0);
    assert_true(fake_log_index("sched_credit2_domain_set 3 384 30") >= 0);
    /* and libxl reads back what it set */
    assert_int_equal(libxl_domain_sched_params_get(ctx, 3, &got), 0);
    assert_int_equal(got.weight, 384);
    assert_int_equal(got.cap, 30);
    libxl_domain_sched_params_dispose(&got);

    /* only the cap, the scheduler named */
    p = params(LIBXL_SCHEDULER_CREDIT2, -1, 25);
    assert_int_equal(libxl_domain_sched_params_set(ctx, 3, &p), 0);
    assert_int_equal(fake_host.weight, 384);
    assert_int_equal(fake_host.cap, 25);

    /* nothing set: the same values written back */
    p = params(LIBXL_SCHEDULER_UNKNOWN, -1, -1);
    assert_int_equal(libxl_domain_sched_params_set(ctx, 3, &p), 0);
    assert_int_equal(fake_host.weight, 384);
    assert_int_equal(fake_host.cap, 25);
}

static void test_credit(void **state)
{
    libxl_domain_sched_params p = params(LIBXL_SCHEDULER_UNKNOWN, 1, 100);

    fake_host.sched_id = XEN_SCHEDULER_CREDIT;
    assert_int_equal(libxl_domain_sched_params_set(ctx, 3, &p), 0);
    assert_true(fake_log_index("sched_credit_domain_set 3 1 100") >= 0);
    assert_true(fake_log_index("sched_credit2_domain_set") < 0);
}

static void test_ranges(void **state)
{
    static const int bad[][2] = {
        { 0, -1 }, { 65536, -1 }, { -5, -1 }, { -1, 101 }, { -1, -2 },
    };
    libxl_domain_sched_params p;

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        p = params(LIBXL_SCHEDULER_UNKNOWN, bad[i][0], bad[i][1]);
        assert_int_equal(libxl_domain_sched_params_set(ctx, 3, &p),
                         ERROR_INVAL);
    }
    assert_true(fake_log_index("sched_credit2_domain_set") < 0);

    /* the cap's bound follows the vCPUs: 2 vCPUs take 200 */
    assert_int_equal(fake_ops.domain_max_vcpus(ctx, 3, 2), 0);
    p = params(LIBXL_SCHEDULER_UNKNOWN, 65535, 200);
    assert_int_equal(libxl_domain_sched_params_set(ctx, 3, &p), 0);
    assert_int_equal(fake_host.weight, 65535);
    assert_int_equal(fake_host.cap, 200);
}

static void test_rtds(void **state)
{
    libxl_domain_sched_params p;

    fake_host.sched_id = XEN_SCHEDULER_RTDS;
    fake_host.period = 10000;
    fake_host.budget = 4000;
    libxl_domain_sched_params_init(&p);
    p.budget = 6000;                    /* period kept; extratime default */
    assert_int_equal(libxl_domain_sched_params_set(ctx, 3, &p), 0);
    assert_true(fake_log_index("sched_rtds_domain_set 3 10000 6000 1") >= 0);

    p.extratime = 0;
    p.period = 20000;
    assert_int_equal(libxl_domain_sched_params_set(ctx, 3, &p), 0);
    assert_true(fake_log_index("sched_rtds_domain_set 3 20000 6000 0") >= 0);

    p.budget = 30000;                   /* more than the period */
    assert_int_equal(libxl_domain_sched_params_set(ctx, 3, &p), ERROR_INVAL);
    p.budget = -1;
    p.period = 0;
    assert_int_equal(libxl_domain_sched_params_set(ctx, 3, &p), ERROR_INVAL);
    assert_int_equal(fake_host.period, 20000);
}

static void test_nothing_per_domain(void **state)
{
    libxl_domain_sched_params p = params(LIBXL_SCHEDULER_UNKNOWN, 300, -1);

    fake_host.sched_id = XEN_SCHEDULER_NULL;
    assert_int_equal(libxl_domain_sched_params_set(ctx, 3, &p), 0);
    fake_host.sched_id = XEN_SCHEDULER_ARINC653;
    assert_int_equal(libxl_domain_sched_params_set(ctx, 3, &p), 0);
    assert_true(fake_log_index("_domain_set") < 0);
}

static void test_errors(void **state)
{
    libxl_domain_sched_params p = params(LIBXL_SCHEDULER_CREDIT, 300, -1);

    /* the pool runs credit2 */
    assert_int_equal(libxl_domain_sched_params_set(ctx, 3, &p), ERROR_INVAL);
    assert_true(fake_log_index("sched_credit") < 0);

    p = params(LIBXL_SCHEDULER_UNKNOWN, 300, -1);
    assert_int_equal(libxl_domain_sched_params_set(ctx, 42, &p),
                     ERROR_DOMAIN_NOTFOUND);
    fake.fail_op = "sched_credit2_domain_get";
    assert_int_equal(libxl_domain_sched_params_set(ctx, 3, &p), ERROR_FAIL);
    fake.fail_op = "sched_credit2_domain_set";
    assert_int_equal(libxl_domain_sched_params_set(ctx, 3, &p), ERROR_FAIL);
    fake.fail_op = "cpupool_sched_id";
    assert_int_equal(libxl_domain_sched_params_set(ctx, 3, &p), ERROR_FAIL);
    fake.fail_op = NULL;

    fake_host.sched_id = LIBXL_SCHEDULER_SEDF;
    assert_int_equal(libxl_domain_sched_params_set(ctx, 3, &p),
                     ERROR_FEATURE_REMOVED);
    fake_host.sched_id = 77;
    assert_int_equal(libxl_domain_sched_params_set(ctx, 3, &p), ERROR_INVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_credit2_weight_cap, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_credit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ranges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rtds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nothing_per_domain, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
    };
    return cmocka_run_group_tests_name("libxl-sched-set", tests, NULL, NULL);
}
