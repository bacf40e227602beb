/*
 * libxl_cpuid_parse.c: xl.cfg cpuid= items into a libxl_cpuid_policy_list.
 *
 * Two syntaxes (xl.cfg(5)):
 *  - libxl: "name=value", one item per call, where name is a feature of
 *    Xen's featureset (the public header xen/arch-x86/cpufeatureset.h
 *    names them; e.g. "sse3", "tsc-deadline", "rdcl-no") or one of the
 *    multi-bit fields below ("family", "model", "maxleaf" ...), and value
 *    is 0, 1, x (default), k (host's) or s (= k), or a number for a
 *    field;
 *  - xend: "leaf[,subleaf]:eax=<32 chars>,ebx=...", the register
 *    policies given as they are.
 * Returns 0, 1 (no '=' / no leaf), 2 (unknown name / bad subleaf), 3
 * (bad value / no ':'), 4 (bad register), 5 (policy not 32 characters),
 * as upstream; ERROR_NOMEM never (allocation failure aborts).
 */
#include <ctype.h>

#include "libxl_internal.h"

#define NA XEN_CPUID_INPUT_UNUSED

enum { REG_EAX, REG_EBX, REG_ECX, REG_EDX };

/* A field of CPUID output. */
typedef struct {
    const char *name;
    uint32_t leaf, subleaf;
    int reg;
    int bit, length;
} cpuid_field;

/* Fields given by name rather than by the featureset. */
static const cpuid_field fields[] = {
    { "maxleaf",       0x00000000, NA, REG_EAX,  0, 32 },
    /* family and model are split across EAX; see set_field */
    { "stepping",      0x00000001, NA, REG_EAX,  0,  4 },
    { "model",         0x00000001, NA, REG_EAX,  4,  8 },
    { "family",        0x00000001, NA, REG_EAX,  8,  8 },
    { "brandid",       0x00000001, NA, REG_EBX,  0,  8 },
    { "clflush",       0x00000001, NA, REG_EBX,  8,  8 },
    { "proccount",     0x00000001, NA, REG_EBX, 16,  8 },
    { "localapicid",   0x00000001, NA, REG_EBX, 24,  8 },
    { "est",           0x00000001, NA, REG_ECX,  7,  1 },
    { "cntxid",        0x00000001, NA, REG_ECX, 10,  1 },
    { "cmpxchg16",     0x00000001, NA, REG_ECX, 13,  1 },
    { "sse4_1",        0x00000001, NA, REG_ECX, 19,  1 },
    { "sse4.1",        0x00000001, NA, REG_ECX, 19,  1 },
    { "sse4_2",        0x00000001, NA, REG_ECX, 20,  1 },
    { "sse4.2",        0x00000001, NA, REG_ECX, 20,  1 },
    { "aes",           0x00000001, NA, REG_ECX, 25,  1 },
    { "cmpxchg8",      0x00000001, NA, REG_EDX,  8,  1 },
    { "sysenter",      0x00000001, NA, REG_EDX, 11,  1 },
    { "psn",           0x00000001, NA, REG_EDX, 18,  1 },
    { "clfsh",         0x00000001, NA, REG_EDX, 19,  1 },
    { "tm",            0x00000001, NA, REG_EDX, 29,  1 },
    { "ia64",          0x00000001, NA, REG_EDX, 30,  1 },
    { "pbe",           0x00000001, NA, REG_EDX, 31,  1 },
    { "arat",          0x00000006, NA, REG_EAX,  2,  1 },
    { "tsc_adjust",    0x00000007,  0, REG_EBX,  1,  1 },
    { "cmt",           0x00000007,  0, REG_EBX, 12,  1 },
    { "lahfsahf",      0x80000001, NA, REG_ECX,  0,  1 },
    { "cmplegacy",     0x80000001, NA, REG_ECX,  1,  1 },
    { "altmovcr8",     0x80000001, NA, REG_ECX,  4,  1 },
    { "nodeid",        0x80000001, NA, REG_ECX, 19,  1 },
    { "perfctr_core",  0x80000001, NA, REG_ECX, 23,  1 },
    { "perfctr_nb",    0x80000001, NA, REG_ECX, 24,  1 },
    { "procpkg",       0x00000004,  0, REG_EAX, 26,  6 },
    { "invtsc",        0x80000007, NA, REG_EDX,  8,  1 },
    { "ppin",          0x80000008, NA, REG_EBX, 23,  1 },
    { "btc-no",        0x80000008, NA, REG_EBX, 29,  1 },
    { "nc",            0x80000008, NA, REG_ECX,  0,  8 },
    { "apicidsize",    0x80000008, NA, REG_ECX, 12,  4 },
    { "svm_npt",       0x8000000a, NA, REG_EDX,  0,  1 },
    { "svm_lbrv",      0x8000000a, NA, REG_EDX,  1,  1 },
    { "svm_nrips",     0x8000000a, NA, REG_EDX,  3,  1 },
    { "svm_tscrate",   0x8000000a, NA, REG_EDX,  4,  1 },
    { "svm_vmcbclean", 0x8000000a, NA, REG_EDX,  5,  1 },
    { "svm_decode",    0x8000000a, NA, REG_EDX,  7,  1 },
    { "svm_pausefilt", 0x8000000a, NA, REG_EDX, 10,  1 },
    { "lfence+",       0x80000021, NA, REG_EAX,  2,  1 },
    { "maxhvleaf",     0x40000000, NA, REG_EAX,  0,  8 },
};

/* Xen's featureset: every feature with its bit (word * 32 + bit). */
typedef struct {
    const char *name;           /* upper case, '_' separated */
    unsigned int bit;
} feature;

static const feature featureset[] = {
#define XEN_CPUFEATURE(name, value) { #name, value },
#include <xen/arch-x86/cpufeatureset.h>
#undef XEN_CPUFEATURE
};

/* Where each 32-bit word of the featureset lives: a CPUID register, or
 * half of MSR_ARCH_CAPS (msr set, reg REG_EAX low / REG_EDX high). */
static const struct {
    uint32_t leaf, subleaf, msr;
    int reg;
} words[] = {
    [0]  = { 0x00000001, NA, 0, REG_EDX },
    [1]  = { 0x00000001, NA, 0, REG_ECX },
    [2]  = { 0x80000001, NA, 0, REG_EDX },
    [3]  = { 0x80000001, NA, 0, REG_ECX },
    [4]  = { 0x0000000d,  1, 0, REG_EAX },
    [5]  = { 0x00000007,  0, 0, REG_EBX },
    [6]  = { 0x00000007,  0, 0, REG_ECX },
    [7]  = { 0x80000007, NA, 0, REG_EDX },
    [8]  = { 0x80000008, NA, 0, REG_EBX },
    [9]  = { 0x00000007,  0, 0, REG_EDX },
    [10] = { 0x00000007,  1, 0, REG_EAX },
    [11] = { 0x80000021, NA, 0, REG_EAX },
    [12] = { 0x00000007,  1, 0, REG_EBX },
    [13] = { 0x00000007,  2, 0, REG_EDX },
    [14] = { 0x00000007,  1, 0, REG_ECX },
    [15] = { 0x00000007,  1, 0, REG_EDX },
    [16] = { 0, 0, 0x10a, REG_EAX },
    [17] = { 0, 0, 0x10a, REG_EDX },
    [18] = { 0x80000021, NA, 0, REG_ECX },
};

static struct libxl__cpu_policy *policy_of(libxl_cpuid_policy_list *pl)
{
    if (!*pl)
        *pl = libxl__calloc(NOGC, 1, sizeof(**pl));
    return *pl;
}

/* The entry for leaf/subleaf, appended if new. */
static struct xc_xend_cpuid *cpuid_entry(libxl_cpuid_policy_list *pl,
                                         uint32_t leaf, uint32_t subleaf)
{
    struct libxl__cpu_policy *p = policy_of(pl);
    int n = 0;

    for (; p->cpuid && p->cpuid[n].input[0] != NA; n++)
        if (p->cpuid[n].input[0] == leaf && p->cpuid[n].input[1] == subleaf)
            return &p->cpuid[n];
    p->cpuid = libxl__realloc(NOGC, p->cpuid, (n + 2) * sizeof(*p->cpuid));
    memset(&p->cpuid[n], 0, 2 * sizeof(*p->cpuid));
    p->cpuid[n].input[0] = leaf;
    p->cpuid[n].input[1] = subleaf;
    p->cpuid[n + 1].input[0] = p->cpuid[n + 1].input[1] = NA;
    return &p->cpuid[n];
}

static struct xc_msr *msr_entry(libxl_cpuid_policy_list *pl, uint32_t index)
{
    struct libxl__cpu_policy *p = policy_of(pl);
    int n = 0;

    for (; p->msr && p->msr[n].index != XC_MSR_INPUT_UNUSED; n++)
        if (p->msr[n].index == index)
            return &p->msr[n];
    p->msr = libxl__realloc(NOGC, p->msr, (n + 2) * sizeof(*p->msr));
    memset(&p->msr[n], 0, 2 * sizeof(*p->msr));
    p->msr[n].index = index;
    memset(p->msr[n].policy, 'x', sizeof(p->msr[n].policy) - 1);
    p->msr[n + 1].index = XC_MSR_INPUT_UNUSED;
    return &p->msr[n];
}

/* Writes length characters at bit (as numbered by the CPU: bit 0 is the
 * last character of the 32-character policy). */
static void put_bits(char *policy, int bit, int length, const char *chars)
{
    memcpy(policy + 32 - length - bit, chars, length);
}

static int set_field(libxl_cpuid_policy_list *pl, const cpuid_field *f,
                     const char *val)
{
    struct xc_xend_cpuid *e;
    char bits[33];
    unsigned long num = 0;
    char *end;

    if (isdigit((unsigned char)val[0])) {
        errno = 0;
        num = strtoul(val, &end, 0);
        if (errno || *end)
            return 3;
        for (int i = 0; i < f->length; i++)
            bits[f->length - 1 - i] = "01"[(num >> i) & 1];
    } else if (strchr("xks", val[0]) && val[0] && !val[1]) {
        memset(bits, val[0], f->length);
    } else {
        return 3;
    }
    bits[f->length] = '\0';

    e = cpuid_entry(pl, f->leaf, f->subleaf);
    if (!e->policy[f->reg])
        e->policy[f->reg] = libxl__strdup(NOGC,
                                          "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");

    char *p = e->policy[f->reg];
    if (!strcmp(f->name, "family")) {
        /* Base family (bits 8-11), extended family (20-27) past 15. */
        if (isdigit((unsigned char)val[0]) && num >= 16) {
            put_bits(p, 8, 4, "1111");
            num -= 15;
            for (int i = 0; i < 8; i++)
                bits[7 - i] = "01"[(num >> i) & 1];
            put_bits(p, 20, 8, bits);
        } else {
            put_bits(p, 8, 4, bits + 4);
            put_bits(p, 20, 8, "00000000");
        }
    } else if (!strcmp(f->name, "model")) {
        /* Extended model (bits 16-19) is the high nibble. */
        put_bits(p, 16, 4, bits);
        put_bits(p, 4, 4, bits + 4);
    } else {
        put_bits(p, f->bit, f->length, bits);
    }
    return 0;
}

static int set_msr_bit(libxl_cpuid_policy_list *pl, uint32_t index, int bit,
                       const char *val)
{
    struct xc_msr *m;
    char c = val[0];

    if (!c || val[1] || !strchr("01xks", c))
        return 3;
    m = msr_entry(pl, index);
    /* xc_msr has no 's' (a legacy alias of 'k'). */
    m->policy[63 - bit] = c == 's' ? 'k' : c;
    return 0;
}

/* Featureset names are matched as upstream spells them in xl.cfg:
 * lower case with '-' for '_'. */
static bool feature_name_is(const char *upper, const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < len && upper[i]; i++) {
        char c = (char)tolower((unsigned char)upper[i]);

        if (c == '_')
            c = '-';
        if (c != name[i])
            return false;
    }
    return i == len && !upper[i];
}

int libxl_cpuid_parse_config(libxl_cpuid_policy_list *cpuid, const char *str)
{
    const char *sep = strchr(str, '=');
    size_t len;

    if (!sep)
        return 1;
    len = sep - str;

    for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
        if (strlen(fields[i].name) == len &&
            !strncmp(fields[i].name, str, len))
            return set_field(cpuid, &fields[i], sep + 1);

    for (size_t i = 0; i < ARRAY_SIZE(featureset); i++) {
        unsigned int word = featureset[i].bit / 32;
        int bit = featureset[i].bit % 32;

        if (!feature_name_is(featureset[i].name, str, len))
            continue;
        if (word >= ARRAY_SIZE(words))
            return 2;                   /* a word this libxl predates */
        if (words[word].msr)
            return set_msr_bit(cpuid, words[word].msr,
                               bit + (words[word].reg == REG_EDX ? 32 : 0),
                               sep + 1);
        cpuid_field f = {
            .name = featureset[i].name,
            .leaf = words[word].leaf,
            .subleaf = words[word].subleaf,
            .reg = words[word].reg,
            .bit = bit,
            .length = 1,
        };
        return set_field(cpuid, &f, sep + 1);
    }
    return 2;
}

int libxl_cpuid_parse_config_xend(libxl_cpuid_policy_list *cpuid,
                                  const char *str)
{
    uint32_t leaf, subleaf = NA;
    struct xc_xend_cpuid *e;
    const char *p;
    char *end;

    errno = 0;
    leaf = strtoul(str, &end, 0);
    if (end == str || errno)
        return 1;
    if (*end == ',') {
        p = end + 1;
        subleaf = strtoul(p, &end, 0);
        if (end == p || errno)
            return 2;
    }
    if (*end != ':')
        return 3;
    p = end + 1;

    /* Check everything before changing anything. */
    for (const char *q = p; *q; ) {
        const char *comma;

        if (q[0] != 'e' || q[1] < 'a' || q[1] > 'd' || q[2] != 'x' ||
            q[3] != '=')
            return 4;
        q += 4;
        comma = strchr(q, ',');
        if ((comma ? (size_t)(comma - q) : strlen(q)) != 32)
            return 5;
        if (!comma)
            break;
        for (q = comma + 1; *q == ' ' || *q == '\n'; q++)
            ;
    }

    e = cpuid_entry(cpuid, leaf, subleaf);
    while (*p) {
        int reg = p[1] - 'a';

        free(e->policy[reg]);
        e->policy[reg] = libxl__strndup(NOGC, p + 4, 32);
        p += 4 + 32;
        if (!*p)
            break;
        for (p++; *p == ' ' || *p == '\n'; p++)
            ;
    }
    return 0;
}
