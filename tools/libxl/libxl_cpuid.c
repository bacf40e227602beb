/*
 * libxl_cpuid.c: the libxl_cpuid_policy_list type (CPUID leaves and MSRs
 * a domain's policy overrides): lifetime, copy and JSON.
 *
 * JSON, as upstream: {"cpuid": [{"leaf": N, "subleaf": N, "eax": "...",
 * ...}], "msr": [{"index": N, "policy": "..."}]}, where a CPUID register
 * policy is 32 characters (one per bit, MSB first) and an MSR policy 64.
 * An old form, a bare array of the CPUID entries, is accepted on input.
 */
#include "libxl_internal.h"

static const char *const input_names[2] = { "leaf", "subleaf" };
static const char *const policy_names[4] = { "eax", "ebx", "ecx", "edx" };
#define CPUID_POLICY_LEN 32
#define MSR_POLICY_LEN (sizeof(((struct xc_msr *)0)->policy) - 1)

static int cpuid_count(const struct xc_xend_cpuid *c)
{
    int n = 0;

    while (c && c[n].input[0] != XEN_CPUID_INPUT_UNUSED)
        n++;
    return n;
}

static int msr_count(const struct xc_msr *m)
{
    int n = 0;

    while (m && m[n].index != XC_MSR_INPUT_UNUSED)
        n++;
    return n;
}

int libxl_cpuid_policy_list_length(const libxl_cpuid_policy_list *pl)
{
    return *pl ? cpuid_count((*pl)->cpuid) : 0;
}

int libxl__cpuid_policy_is_empty(const libxl_cpuid_policy_list *pl)
{
    return !*pl || (!cpuid_count((*pl)->cpuid) && !msr_count((*pl)->msr));
}

void libxl_cpuid_dispose(libxl_cpuid_policy_list *pl)
{
    libxl_cpuid_policy_list policy = *pl;

    if (!policy)
        return;
    for (int i = 0; i < cpuid_count(policy->cpuid); i++)
        for (int j = 0; j < 4; j++)
            free(policy->cpuid[i].policy[j]);
    free(policy->cpuid);
    free(policy->msr);
    free(policy);
    *pl = NULL;
}

static struct xc_xend_cpuid *cpuid_alloc(int n)
{
    struct xc_xend_cpuid *c = libxl__calloc(NOGC, n + 1, sizeof(*c));

    c[n].input[0] = c[n].input[1] = XEN_CPUID_INPUT_UNUSED;
    return c;
}

static struct xc_msr *msr_alloc(int n)
{
    struct xc_msr *m = libxl__calloc(NOGC, n + 1, sizeof(*m));

    m[n].index = XC_MSR_INPUT_UNUSED;
    return m;
}

void libxl_cpuid_policy_list_copy(libxl_ctx *ctx,
                                  libxl_cpuid_policy_list *pdst,
                                  const libxl_cpuid_policy_list *psrc)
{
    const struct libxl__cpu_policy *src = *psrc;
    struct libxl__cpu_policy *dst;

    if (!src) {
        *pdst = NULL;
        return;
    }
    dst = *pdst = libxl__calloc(NOGC, 1, sizeof(*dst));
    if (src->cpuid) {
        int n = cpuid_count(src->cpuid);

        dst->cpuid = cpuid_alloc(n);
        for (int i = 0; i < n; i++) {
            dst->cpuid[i].input[0] = src->cpuid[i].input[0];
            dst->cpuid[i].input[1] = src->cpuid[i].input[1];
            for (int j = 0; j < 4; j++)
                dst->cpuid[i].policy[j] =
                    libxl__strdup(NOGC, src->cpuid[i].policy[j]);
        }
    }
    if (src->msr) {
        int n = msr_count(src->msr);

        dst->msr = msr_alloc(n);
        memcpy(dst->msr, src->msr, n * sizeof(*dst->msr));
    }
}

yajl_gen_status libxl_cpuid_policy_list_gen_json(yajl_gen hand,
                                                 libxl_cpuid_policy_list *pl)
{
    const struct libxl__cpu_policy *policy = *pl;
    const struct xc_xend_cpuid *c = policy ? policy->cpuid : NULL;
    const struct xc_msr *m = policy ? policy->msr : NULL;
    yajl_gen_status s;

#define CHECK(e) do { s = (e); if (s != yajl_gen_status_ok) return s; } while (0)
    CHECK(yajl_gen_map_open(hand));
    CHECK(libxl__yajl_gen_asciiz(hand, "cpuid"));
    CHECK(yajl_gen_array_open(hand));
    for (int i = 0; i < cpuid_count(c); i++) {
        CHECK(yajl_gen_map_open(hand));
        for (int j = 0; j < 2; j++) {
            if (c[i].input[j] == XEN_CPUID_INPUT_UNUSED)
                continue;
            CHECK(libxl__yajl_gen_asciiz(hand, input_names[j]));
            CHECK(yajl_gen_integer(hand, c[i].input[j]));
        }
        for (int j = 0; j < 4; j++) {
            if (!c[i].policy[j])
                continue;
            CHECK(libxl__yajl_gen_asciiz(hand, policy_names[j]));
            CHECK(libxl__yajl_gen_asciiz(hand, c[i].policy[j]));
        }
        CHECK(yajl_gen_map_close(hand));
    }
    CHECK(yajl_gen_array_close(hand));
    CHECK(libxl__yajl_gen_asciiz(hand, "msr"));
    CHECK(yajl_gen_array_open(hand));
    for (int i = 0; i < msr_count(m); i++) {
        CHECK(yajl_gen_map_open(hand));
        CHECK(libxl__yajl_gen_asciiz(hand, "index"));
        CHECK(yajl_gen_integer(hand, m[i].index));
        CHECK(libxl__yajl_gen_asciiz(hand, "policy"));
        CHECK(libxl__yajl_gen_asciiz(hand, m[i].policy));
        CHECK(yajl_gen_map_close(hand));
    }
    CHECK(yajl_gen_array_close(hand));
    return yajl_gen_map_close(hand);
#undef CHECK
}

/* A 32-bit number that is not the "unused" marker. */
static int parse_input(const libxl__json_object *o, uint32_t *v)
{
    if (!libxl__json_object_is_integer(o) || o->u.i < 0 ||
        o->u.i >= XEN_CPUID_INPUT_UNUSED)
        return ERROR_FAIL;
    *v = (uint32_t)o->u.i;
    return 0;
}

static int parse_cpuid(const libxl__json_object *arr,
                       struct libxl__cpu_policy *policy)
{
    int n = libxl__json_array_count(arr);

    if (!n)
        return 0;
    policy->cpuid = cpuid_alloc(n);
    for (int i = 0; i < n; i++) {
        const libxl__json_object *t = libxl__json_array_get(arr, i);
        struct xc_xend_cpuid *e = &policy->cpuid[i];

        if (!libxl__json_object_is_map(t))
            return ERROR_FAIL;
        for (int j = 0; j < 2; j++) {
            const libxl__json_object *r =
                libxl__json_map_get(input_names[j], t, JSON_ANY);

            e->input[j] = XEN_CPUID_INPUT_UNUSED;
            if (r && parse_input(r, &e->input[j]))
                return ERROR_FAIL;
        }
        if (e->input[0] == XEN_CPUID_INPUT_UNUSED)
            return ERROR_FAIL;          /* a leaf is required */
        for (int j = 0; j < 4; j++) {
            const libxl__json_object *r =
                libxl__json_map_get(policy_names[j], t, JSON_ANY);
            const char *s = libxl__json_object_get_string(r);

            if (!r)
                continue;
            if (!s || strlen(s) != CPUID_POLICY_LEN)
                return ERROR_FAIL;
            e->policy[j] = libxl__strdup(NOGC, s);
        }
    }
    return 0;
}

static int parse_msr(const libxl__json_object *arr,
                     struct libxl__cpu_policy *policy)
{
    int n = libxl__json_array_count(arr);

    if (!n)
        return 0;
    policy->msr = msr_alloc(n);
    for (int i = 0; i < n; i++) {
        const libxl__json_object *t = libxl__json_array_get(arr, i);
        const libxl__json_object *idx =
            libxl__json_map_get("index", t, JSON_INTEGER);
        const char *s = libxl__json_object_get_string(
            libxl__json_map_get("policy", t, JSON_STRING));

        if (!idx || idx->u.i < 0 || idx->u.i >= XC_MSR_INPUT_UNUSED ||
            !s || strlen(s) != MSR_POLICY_LEN)
            return ERROR_FAIL;
        policy->msr[i].index = (uint32_t)idx->u.i;
        strcpy(policy->msr[i].policy, s);
    }
    return 0;
}

int libxl__cpuid_policy_list_parse_json(libxl__gc *gc,
                                        const libxl__json_object *o,
                                        libxl_cpuid_policy_list *p)
{
    const libxl__json_object *c, *m = NULL;

    libxl_cpuid_dispose(p);
    if (libxl__json_object_is_array(o)) {
        c = o;                          /* the old, CPUID-only form */
    } else {
        c = libxl__json_map_get("cpuid", o, JSON_ARRAY);
        m = libxl__json_map_get("msr", o, JSON_ARRAY);
        if (!c || !m)
            return ERROR_FAIL;
    }
    *p = libxl__calloc(NOGC, 1, sizeof(**p));
    if (parse_cpuid(c, *p))
        return ERROR_FAIL;
    return m ? parse_msr(m, *p) : 0;
}
