/*
 * test-libxl-cpuid.c: xl.cfg cpuid= items (libxl_cpuid_parse_config and
 * the xend syntax) into CPUID/MSR policies.  Expected policies are
 * built here from the bit positions, independently of the parser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libxl_internal.h"

/* A 32-character policy of 'x' with the given bits (CPU numbering). */
static void expect(char out[33], int bit, int len, const char *bits)
{
    memset(out, 'x', 32);
    out[32] = '\0';
    memcpy(out + 32 - len - bit, bits, len);
}

static const struct xc_xend_cpuid *find(libxl_cpuid_policy_list pl,
                                        uint32_t leaf, uint32_t subleaf)
{
    for (int i = 0; pl && pl->cpuid &&
                    pl->cpuid[i].input[0] != XEN_CPUID_INPUT_UNUSED; i++)
        if (pl->cpuid[i].input[0] == leaf && pl->cpuid[i].input[1] == subleaf)
            return &pl->cpuid[i];
    return NULL;
}

static void test_features(void **state)
{
    libxl_cpuid_policy_list pl = NULL;
    const struct xc_xend_cpuid *e;
    char want[33];

    /* tm: leaf 1 edx bit 29 (named field); sse3: leaf 1 ecx bit 0
     * (featureset word 1) */
    assert_int_equal(libxl_cpuid_parse_config(&pl, "tm=0"), 0);
    assert_int_equal(libxl_cpuid_parse_config(&pl, "sse3=0"), 0);
    e = find(pl, 1, XEN_CPUID_INPUT_UNUSED);
    assert_non_null(e);
    expect(want, 29, 1, "0");
    assert_string_equal(e->policy[3], want);
    expect(want, 0, 1, "0");
    assert_string_equal(e->policy[2], want);
    assert_null(e->policy[0]);
    assert_int_equal(libxl_cpuid_policy_list_length(&pl), 1);

    /* Same register again: the policy is updated, not duplicated. */
    assert_int_equal(libxl_cpuid_parse_config(&pl, "x2apic=k"), 0);
    assert_int_equal(libxl_cpuid_policy_list_length(&pl), 1);
    assert_int_equal(e->policy[2][31 - 21], 'k');

    /* A leaf with subleaf: avx2 is leaf 7 subleaf 0 ebx bit 5. */
    assert_int_equal(libxl_cpuid_parse_config(&pl, "avx2=1"), 0);
    e = find(pl, 7, 0);
    assert_non_null(e);
    expect(want, 5, 1, "1");
    assert_string_equal(e->policy[1], want);

    /* Multi-bit fields take numbers; 's' means 'k' for MSRs. */
    assert_int_equal(libxl_cpuid_parse_config(&pl, "nc=0x13"), 0);
    e = find(pl, 0x80000008, XEN_CPUID_INPUT_UNUSED);
    expect(want, 0, 8, "00010011");
    assert_string_equal(e->policy[2], want);

    assert_int_equal(libxl_cpuid_parse_config(&pl, "rdcl-no=s"), 0);
    assert_non_null(pl->msr);
    assert_int_equal(pl->msr[0].index, 0x10a);
    assert_int_equal(pl->msr[0].policy[63], 'k');
    assert_int_equal(strspn(pl->msr[0].policy, "x"), 63);
    assert_int_equal(pl->msr[1].index, XC_MSR_INPUT_UNUSED);

    libxl_cpuid_dispose(&pl);
    assert_null(pl);
}

static void test_family_model(void **state)
{
    libxl_cpuid_policy_list pl = NULL;
    const char *eax;

    /* family 0x17: base 0xf, extended 0x17 - 0xf = 8 */
    assert_int_equal(libxl_cpuid_parse_config(&pl, "family=0x17"), 0);
    assert_int_equal(libxl_cpuid_parse_config(&pl, "model=0x31"), 0);
    assert_int_equal(libxl_cpuid_parse_config(&pl, "stepping=2"), 0);
    eax = find(pl, 1, XEN_CPUID_INPUT_UNUSED)->policy[0];
    assert_string_equal(eax,
                        /* 31..28 27..20 ext fam 19..16 ext model */
                        "xxxx" "00001000" "0011"
                        /* 15..12 11..8 family 7..4 model 3..0 stepping */
                        "xxxx" "1111" "0001" "0010");
    libxl_cpuid_dispose(&pl);

    assert_int_equal(libxl_cpuid_parse_config(&pl, "family=6"), 0);
    eax = find(pl, 1, XEN_CPUID_INPUT_UNUSED)->policy[0];
    assert_string_equal(eax, "xxxx00000000xxxxxxxx0110xxxxxxxx");
    libxl_cpuid_dispose(&pl);
}

static void test_errors(void **state)
{
    libxl_cpuid_policy_list pl = NULL;

    assert_int_equal(libxl_cpuid_parse_config(&pl, "sse3"), 1);
    assert_int_equal(libxl_cpuid_parse_config(&pl, "nosuch=1"), 2);
    assert_int_equal(libxl_cpuid_parse_config(&pl, "tsc_deadline=1"), 2);
    assert_int_equal(libxl_cpuid_parse_config(&pl, "=1"), 2);
    assert_int_equal(libxl_cpuid_parse_config(&pl, "sse3=q"), 3);
    assert_int_equal(libxl_cpuid_parse_config(&pl, "sse3=xx"), 3);
    assert_int_equal(libxl_cpuid_parse_config(&pl, "sse3="), 3);
    assert_int_equal(libxl_cpuid_parse_config(&pl, "family=1z"), 3);
    assert_int_equal(libxl_cpuid_parse_config(&pl, "rdcl-no=2x"), 3);
    /* nothing was recorded by the failures */
    assert_true(libxl__cpuid_policy_is_empty(&pl));
    libxl_cpuid_dispose(&pl);
}

static void test_xend(void **state)
{
    libxl_cpuid_policy_list pl = NULL;
    const struct xc_xend_cpuid *e;
    static const char p1[] = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx0";
    static const char p2[] = "k1xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
    char item[128];

    snprintf(item, sizeof(item), "1:eax=%s,edx=%s", p1, p2);
    assert_int_equal(libxl_cpuid_parse_config_xend(&pl, item), 0);
    snprintf(item, sizeof(item), "0x7,0:ebx=%s", p1);
    assert_int_equal(libxl_cpuid_parse_config_xend(&pl, item), 0);
    e = find(pl, 1, XEN_CPUID_INPUT_UNUSED);
    assert_string_equal(e->policy[0], p1);
    assert_string_equal(e->policy[3], p2);
    assert_null(e->policy[1]);
    e = find(pl, 7, 0);
    assert_string_equal(e->policy[1], p1);

    assert_int_equal(libxl_cpuid_parse_config_xend(&pl, "x:eax"), 1);
    assert_int_equal(libxl_cpuid_parse_config_xend(&pl, "1,:eax"), 2);
    assert_int_equal(libxl_cpuid_parse_config_xend(&pl, "1"), 3);
    assert_int_equal(libxl_cpuid_parse_config_xend(&pl, "1:efx=0"), 4);
    assert_int_equal(libxl_cpuid_parse_config_xend(&pl, "1:eax=01"), 5);
    assert_int_equal(libxl_cpuid_policy_list_length(&pl), 2);
    libxl_cpuid_dispose(&pl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_features),
        cmocka_unit_test(test_family_model),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_xend),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
