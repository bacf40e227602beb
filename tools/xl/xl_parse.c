/*
 * xl: domain configuration (xl.cfg(5)) to libxl_domain_config, the
 * domain-wide keys. Devices are in xl_parse_dev.c.
 *
 * The order of the steps matters where keys interact (type before
 * everything typed, vcpus before cpus, kernel before firmware): it
 * follows upstream xl.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xl.h"
#include "xl_create_monitor_plan.h"
#include "xl_parse.h"
#include "xl_utils.h"

/* After libxl.h: these need stdint. */
#include <xen/hvm/e820.h>
#include <xen/hvm/params.h>

#define N(a) ARRAY_SIZE(a)

/* A sanity bound on vcpus= and maxvcpus= (libxl checks the real one). */
#define XL_MAX_VCPUS 16384

/* ---- Reporting ---- */

void cfg_die(const xl_cfg *x, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "xl: %s: ", x->src);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(EXIT_FAILURE);
}

void cfg_warn(const xl_cfg *x, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "xl: %s: warning: ", x->src);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cfg_bad_value(const xl_cfg *x, const char *key, const char *val,
                   const char *expected)
{
    cfg_die(x, "invalid value '%s' for %s (expected %s)", val, key,
            expected);
}

/* ---- Readers ---- */

/* The value of key as text for a message ("[...]" for a list). */
static const char *value_text(const xl_cfg *x, const char *key)
{
    const char *s;

    if (!xlu_cfg_get_string(x->cfg, key, &s, 1))
        return s;
    return "[...]";
}

bool cfg_string(const xl_cfg *x, const char *key, const char **val)
{
    int e = xlu_cfg_get_string(x->cfg, key, val, 1);

    if (e == ESRCH)
        return false;
    if (e == EINVAL)
        cfg_die(x, "invalid value for %s: a list (expected a string)", key);
    if (e)
        cfg_die(x, "cannot read %s: %s", key, strerror(e));
    return true;
}

bool cfg_replace_string(const xl_cfg *x, const char *key, char **dst)
{
    const char *s;

    if (!cfg_string(x, key, &s))
        return false;
    free(*dst);
    *dst = xstrdup(s);
    return true;
}

bool cfg_long(const xl_cfg *x, const char *key, long *val)
{
    return cfg_long_range(x, key, LONG_MIN, LONG_MAX, val);
}

bool cfg_long_range(const xl_cfg *x, const char *key, long min, long max,
                    long *val)
{
    int e = xlu_cfg_get_long(x->cfg, key, val, 1);
    char expected[96];

    if (e == ESRCH)
        return false;
    if (e == 0 && *val >= min && *val <= max)
        return true;
    if (min == LONG_MIN && max == LONG_MAX)
        snprintf(expected, sizeof(expected), "a number");
    else if (max == LONG_MAX)
        snprintf(expected, sizeof(expected), "a number >= %ld", min);
    else
        snprintf(expected, sizeof(expected), "a number from %ld to %ld",
                 min, max);
    cfg_bad_value(x, key, value_text(x, key), expected);
}

bool cfg_defbool(const xl_cfg *x, const char *key, libxl_defbool *b)
{
    long l;

    if (!cfg_long_range(x, key, LONG_MIN, LONG_MAX, &l))
        return false;
    libxl_defbool_set(b, l != 0);
    return true;
}

int cfg_list(const xl_cfg *x, const char *key, XLU_ConfigList **list,
             int *count)
{
    int e = xlu_cfg_get_list(x->cfg, key, list, count, 1);

    if (e && e != ESRCH && e != EINVAL)
        cfg_die(x, "cannot read %s: %s", key, strerror(e));
    return e;
}

int cfg_string_list(const xl_cfg *x, const char *key, libxl_string_list *sl)
{
    int e = xlu_cfg_get_list_as_string_list(x->cfg, key, sl, 1);

    if (e && e != ESRCH && e != EINVAL)
        cfg_die(x, "cannot read %s: %s", key, strerror(e));
    return e;
}

bool lookup_enum(const struct xl_enum_name *names, size_t n, bool icase,
                 const char *s, int *val)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (icase ? !strcasecmp(s, names[i].name)
                  : !strcmp(s, names[i].name)) {
            *val = names[i].value;
            return true;
        }
    }
    return false;
}

char *enum_names_list(const struct xl_enum_name *names, size_t n)
{
    char *out = NULL;
    size_t i;

    string_realloc_append(&out, "one of ");
    for (i = 0; i < n; i++) {
        if (i)
            string_realloc_append(&out, ", ");
        string_realloc_append(&out, names[i].name);
    }
    return out;
}

bool cfg_enum(const xl_cfg *x, const char *key,
              const struct xl_enum_name *names, size_t n, bool icase,
              int *val)
{
    const char *s;
    char *expected;

    if (!cfg_string(x, key, &s))
        return false;
    if (lookup_enum(names, n, icase, s, val))
        return true;
    expected = enum_names_list(names, n);
    fprintf(stderr, "xl: %s: invalid value '%s' for %s (expected %s)\n",
            x->src, s, key, expected);
    free(expected);
    exit(EXIT_FAILURE);
}

/* ---- Device specs ---- */

/*
 * The spec being split.  Globals, so that an error exit in the middle of
 * a spec leaves nothing unreachable behind (the leak checker of the
 * sanitizer build counts that as a leak).
 */
static char **spec_words;
static char *spec_copy;

void xl_spec_release(void)
{
    free(spec_words);
    free(spec_copy);
    spec_words = NULL;
    spec_copy = NULL;
}

char **xl_spec_split(const char *spec)
{
    char *save = NULL, *p;
    size_t n = 0;

    xl_spec_release();
    spec_copy = xstrdup(spec);
    spec_words = xcalloc(strlen(spec) + 2, sizeof(*spec_words));
    for (p = strtok_r(spec_copy, ",", &save); p;
         p = strtok_r(NULL, ",", &save)) {
        while (*p == ' ')
            p++;
        if (*p)
            spec_words[n++] = p;
    }
    return spec_words;
}

/* ---- Value names ---- */

/* Shutdown actions: the config spelling uses dashes. */
static const struct xl_enum_name action_names[] = {
    {"destroy", LIBXL_ACTION_ON_SHUTDOWN_DESTROY},
    {"restart", LIBXL_ACTION_ON_SHUTDOWN_RESTART},
    {"rename-restart", LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME},
    {"preserve", LIBXL_ACTION_ON_SHUTDOWN_PRESERVE},
    {"coredump-destroy", LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY},
    {"coredump-restart", LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART},
    {"soft-reset", LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET},
};

/* The next tables hold libxl's enum names, which libxl (and so upstream
 * xl) compares without regard to case. */
static const struct xl_enum_name tsc_mode_names[] = {
    {"default", LIBXL_TSC_MODE_DEFAULT},
    {"always_emulate", LIBXL_TSC_MODE_ALWAYS_EMULATE},
    {"native", LIBXL_TSC_MODE_NATIVE},
    {"native_paravirt", LIBXL_TSC_MODE_NATIVE_PARAVIRT},
};

static const struct xl_enum_name timer_mode_names[] = {
    {"delay_for_missed_ticks", LIBXL_TIMER_MODE_DELAY_FOR_MISSED_TICKS},
    {"no_delay_for_missed_ticks",
     LIBXL_TIMER_MODE_NO_DELAY_FOR_MISSED_TICKS},
    {"no_missed_ticks_pending", LIBXL_TIMER_MODE_NO_MISSED_TICKS_PENDING},
    {"one_missed_tick_pending", LIBXL_TIMER_MODE_ONE_MISSED_TICK_PENDING},
};

static const struct xl_enum_name bios_names[] = {
    {"rombios", LIBXL_BIOS_TYPE_ROMBIOS},
    {"seabios", LIBXL_BIOS_TYPE_SEABIOS},
    {"ovmf", LIBXL_BIOS_TYPE_OVMF},
};

static const struct xl_enum_name altp2m_names[] = {
    {"disabled", LIBXL_ALTP2M_MODE_DISABLED},
    {"mixed", LIBXL_ALTP2M_MODE_MIXED},
    {"external", LIBXL_ALTP2M_MODE_EXTERNAL},
    {"limited", LIBXL_ALTP2M_MODE_LIMITED},
};

static const struct xl_enum_name passthrough_names[] = {
    {"default", LIBXL_PASSTHROUGH_DEFAULT},
    {"disabled", LIBXL_PASSTHROUGH_DISABLED},
    {"enabled", LIBXL_PASSTHROUGH_ENABLED},
    {"sync_pt", LIBXL_PASSTHROUGH_SYNC_PT},
    {"share_pt", LIBXL_PASSTHROUGH_SHARE_PT},
};

static const struct xl_enum_name hdtype_names[] = {
    {"ide", LIBXL_HDTYPE_IDE},
    {"ahci", LIBXL_HDTYPE_AHCI},
};

static const struct xl_enum_name gfx_passthru_names[] = {
    {"default", LIBXL_GFX_PASSTHRU_KIND_DEFAULT},
    {"igd", LIBXL_GFX_PASSTHRU_KIND_IGD},
};

static const struct xl_enum_name vendor_device_names[] = {
    {"none", LIBXL_VENDOR_DEVICE_NONE},
    {"xenserver", LIBXL_VENDOR_DEVICE_XENSERVER},
};

static const struct xl_enum_name viridian_names[] = {
    {"base", LIBXL_VIRIDIAN_ENLIGHTENMENT_BASE},
    {"freq", LIBXL_VIRIDIAN_ENLIGHTENMENT_FREQ},
    {"time_ref_count", LIBXL_VIRIDIAN_ENLIGHTENMENT_TIME_REF_COUNT},
    {"reference_tsc", LIBXL_VIRIDIAN_ENLIGHTENMENT_REFERENCE_TSC},
    {"hcall_remote_tlb_flush",
     LIBXL_VIRIDIAN_ENLIGHTENMENT_HCALL_REMOTE_TLB_FLUSH},
    {"apic_assist", LIBXL_VIRIDIAN_ENLIGHTENMENT_APIC_ASSIST},
    {"crash_ctl", LIBXL_VIRIDIAN_ENLIGHTENMENT_CRASH_CTL},
    {"synic", LIBXL_VIRIDIAN_ENLIGHTENMENT_SYNIC},
    {"stimer", LIBXL_VIRIDIAN_ENLIGHTENMENT_STIMER},
    {"hcall_ipi", LIBXL_VIRIDIAN_ENLIGHTENMENT_HCALL_IPI},
    {"ex_processor_masks", LIBXL_VIRIDIAN_ENLIGHTENMENT_EX_PROCESSOR_MASKS},
    {"no_vp_limit", LIBXL_VIRIDIAN_ENLIGHTENMENT_NO_VP_LIMIT},
    {"cpu_hotplug", LIBXL_VIRIDIAN_ENLIGHTENMENT_CPU_HOTPLUG},
};

/* xl's own spellings, compared exactly as upstream xl does. */
static const struct xl_enum_name vga_names[] = {
    {"stdvga", LIBXL_VGA_INTERFACE_TYPE_STD},
    {"cirrus", LIBXL_VGA_INTERFACE_TYPE_CIRRUS},
    {"none", LIBXL_VGA_INTERFACE_TYPE_NONE},
    {"qxl", LIBXL_VGA_INTERFACE_TYPE_QXL},
};

static const struct xl_enum_name dm_version_names[] = {
    {"qemu-xen-traditional", LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN_TRADITIONAL},
    {"qemu-xen", LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN},
};

/*
 * Keys of xl.cfg(5) this xl does not map yet. Ignoring them would
 * create a different guest than the file describes, so they are
 * refused.
 */
static const char *const unsupported_keys[] = {
    "vnuma", "vdispl", "vsnd", "cpuid",
};

/* Arm and TEE settings: libxl's enum names. */
static const struct xl_enum_name vuart_names[] = {
    {"sbsa_uart", LIBXL_VUART_TYPE_SBSA_UART},
};

static const struct xl_enum_name gic_version_names[] = {
    {"default", LIBXL_GIC_VERSION_DEFAULT},
    {"v2", LIBXL_GIC_VERSION_V2},
    {"v3", LIBXL_GIC_VERSION_V3},
};

static const struct xl_enum_name tee_names[] = {
    {"none", LIBXL_TEE_TYPE_NONE},
    {"optee", LIBXL_TEE_TYPE_OPTEE},
};

/* ---- CPU maps ---- */

void xl_bitmap_alloc(libxl_bitmap *map, int nbits)
{
    /* Our libxl takes a NULL ctx here (a dry run has none). */
    libxl_bitmap_dispose(map);
    libxl_bitmap_init(map);
    if (libxl_bitmap_alloc(ctx, map, nbits))
        xl_die("cannot allocate a bitmap of %d bits", nbits);
}

void xl_cpu_bitmap_alloc(libxl_bitmap *map)
{
    const char *env;
    long n;

    if (ctx) {
        if (libxl_cpu_bitmap_alloc(ctx, map, 0))
            xl_die("cannot allocate a CPU map");
        return;
    }
    /*
     * No hypervisor (a dry run): this machine's CPU count stands in for
     * the host's, or XL_DRYRUN_HOST_CPUS (tests set it so that "all"
     * gives the same JSON on every machine).
     */
    env = getenv("XL_DRYRUN_HOST_CPUS");
    n = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_CONF);
    xl_bitmap_alloc(map, n < 1 ? 1 : n > 65536 ? 65536 : (int)n);
}

/* "A" or "A-B" in decimal, nothing else. */
static int parse_range(const char *s, unsigned long *a, unsigned long *b)
{
    char *end;

    if (!isdigit((unsigned char)*s))
        return 1;
    errno = 0;
    *a = *b = strtoul(s, &end, 10);
    if (errno)
        return 1;
    if (*end == '-') {
        s = end + 1;
        if (!isdigit((unsigned char)*s))
            return 1;
        *b = strtoul(s, &end, 10);
        if (errno || *b < *a)
            return 1;
    }
    return *end != '\0';
}

static int update_cpumap(const char *item, libxl_bitmap *cpumap)
{
    bool remove = false;
    unsigned long a, b;

    if (*item == '^') {
        remove = true;
        item++;
    }
    if (!strncmp(item, "node:", 5) || !strncmp(item, "nodes:", 6)) {
        fprintf(stderr, "xl: NUMA node ranges in CPU lists ('%s') are not "
                "supported yet\n", item);
        return 1;
    }
    if (!strcmp(item, "all")) {
        if (remove) {
            fprintf(stderr, "xl: '^all' in a CPU list makes no sense\n");
            return 1;
        }
        libxl_bitmap_set_any(cpumap);
        return 0;
    }
    if (parse_range(item, &a, &b)) {
        fprintf(stderr, "xl: invalid CPU range '%s'\n", item);
        return 1;
    }
    if (b >= (unsigned long)cpumap->size * 8) {
        fprintf(stderr, "xl: CPU %lu in '%s' does not exist on this host "
                "(%u CPUs)\n", b, item, cpumap->size * 8);
        return 1;
    }
    for (; a <= b; a++) {
        if (remove)
            libxl_bitmap_reset(cpumap, (int)a);
        else
            libxl_bitmap_set(cpumap, (int)a);
    }
    return 0;
}

int parse_cpurange(const char *cpus, libxl_bitmap *cpumap)
{
    char *copy = xstrdup(cpus), *save = NULL, *item;
    int rc = 0;

    for (item = strtok_r(copy, ",", &save); item && !rc;
         item = strtok_r(NULL, ",", &save))
        rc = update_cpumap(item, cpumap);
    free(copy);
    return rc;
}

/*
 * cpus= / cpus_soft=: a string gives every vCPU the same map; a list
 * gives vCPU i the map of item i (extra items are ignored, missing ones
 * leave the vCPU unset).
 */
static void parse_vcpu_affinity(const xl_cfg *x, const char *key,
                                libxl_domain_build_info *b_info,
                                bool hard)
{
    XLU_ConfigList *list = NULL;
    const char *str = NULL, *item;
    libxl_bitmap *maps;
    int count = 0, n, i, e;

    e = cfg_list(x, key, &list, &count);
    if (e == ESRCH)
        return;
    if (e == EINVAL)
        cfg_string(x, key, &str);

    n = b_info->max_vcpus;
    if (!str && count < n)
        n = count;
    maps = xcalloc(n, sizeof(*maps));
    if (hard) {
        b_info->vcpu_hard_affinity = maps;
        b_info->num_vcpu_hard_affinity = n;
    } else {
        b_info->vcpu_soft_affinity = maps;
        b_info->num_vcpu_soft_affinity = n;
    }

    for (i = 0; i < n; i++) {
        item = str ? str : xlu_cfg_get_listitem(list, i);
        libxl_bitmap_init(&maps[i]);
        xl_cpu_bitmap_alloc(&maps[i]);
        if (parse_cpurange(item, &maps[i]))
            cfg_bad_value(x, key, item, "a CPU list such as 0-3,^2");
    }

    /* Explicit maps replace libxl's automatic NUMA placement (a single
     * hard map still leaves it on, as upstream). */
    if (!str || !hard)
        libxl_defbool_set(&b_info->numa_placement, false);
}

static void and_mask(libxl_bitmap *map, const char *mask, const char *what)
{
    libxl_bitmap m;
    int i;

    if (!mask)
        return;
    libxl_bitmap_init(&m);
    xl_cpu_bitmap_alloc(&m);
    if (parse_cpurange(mask, &m))
        xl_die("xl.conf: invalid %s '%s'", what, mask);
    for (i = 0; i < (int)map->size * 8; i++) {
        if (libxl_bitmap_test(map, i) && !libxl_bitmap_test(&m, i))
            libxl_bitmap_reset(map, i);
    }
    libxl_bitmap_dispose(&m);
}

void apply_global_affinity_masks(libxl_domain_build_info *b_info)
{
    const char *type_mask = b_info->type == LIBXL_DOMAIN_TYPE_PV
                                ? xlconf.vm_pv_cpumask
                                : xlconf.vm_hvm_cpumask;
    int i;

    if (!xlconf.vm_cpumask && !type_mask)
        return;
    if (!b_info->num_vcpu_hard_affinity) {
        b_info->vcpu_hard_affinity =
            xcalloc(b_info->max_vcpus, sizeof(libxl_bitmap));
        b_info->num_vcpu_hard_affinity = b_info->max_vcpus;
        for (i = 0; i < b_info->max_vcpus; i++) {
            libxl_bitmap_init(&b_info->vcpu_hard_affinity[i]);
            xl_cpu_bitmap_alloc(&b_info->vcpu_hard_affinity[i]);
            libxl_bitmap_set_any(&b_info->vcpu_hard_affinity[i]);
        }
    }
    for (i = 0; i < b_info->num_vcpu_hard_affinity; i++) {
        libxl_bitmap *map = &b_info->vcpu_hard_affinity[i];

        and_mask(map, xlconf.vm_cpumask, "vm.cpumask");
        and_mask(map, type_mask, "vm.*.cpumask");
        if (libxl_bitmap_is_empty(map))
            xl_die("vCPU %d: no CPU left in its affinity after applying "
                   "the masks of xl.conf", i);
    }
}

/* ---- The steps of parse_config_data ---- */

static void parse_type(const xl_cfg *x, libxl_domain_create_info *c_info)
{
    static const char *const type_expected = "one of hvm, pv, pvh";
    const char *s;
    size_t len;

    /* Like upstream, a prefix of the name is accepted ("h" is hvm). */
    if (cfg_string(x, "type", &s)) {
        len = strlen(s);
        if (len && !strncmp(s, "hvm", len))
            c_info->type = LIBXL_DOMAIN_TYPE_HVM;
        else if (len && !strncmp(s, "pv", len))
            c_info->type = LIBXL_DOMAIN_TYPE_PV;
        else if (len && !strncmp(s, "pvh", len))
            c_info->type = LIBXL_DOMAIN_TYPE_PVH;
        else
            cfg_bad_value(x, "type", s, type_expected);
    }

    /* builder= is the pre-4.10 spelling: hvm or generic (PV). */
    if (cfg_string(x, "builder", &s)) {
        libxl_domain_type t;

        len = strlen(s);
        if (len && !strncmp(s, "hvm", len))
            t = LIBXL_DOMAIN_TYPE_HVM;
        else if (len && !strncmp(s, "generic", len))
            t = LIBXL_DOMAIN_TYPE_PV;
        else
            cfg_bad_value(x, "builder", s, "one of hvm, generic");
        if (c_info->type != LIBXL_DOMAIN_TYPE_INVALID && c_info->type != t)
            cfg_die(x, "builder='%s' contradicts type", s);
        c_info->type = t;
    }

    if (c_info->type == LIBXL_DOMAIN_TYPE_INVALID)
        c_info->type = LIBXL_DOMAIN_TYPE_PV;
}

static void parse_create_info(const xl_cfg *x, libxl_domain_config *d)
{
    libxl_domain_create_info *c_info = &d->c_info;
    libxl_domain_build_info *b_info = &d->b_info;
    const char *s;

    /* seclabel is the domain's label, or its label after the build when
     * init_seclabel gives the one during the build. */
    cfg_replace_string(x, "init_seclabel", &c_info->ssid_label);
    if (cfg_string(x, "seclabel", &s)) {
        if (c_info->ssid_label)
            cfg_replace_string(x, "seclabel", &b_info->exec_ssid_label);
        else
            cfg_replace_string(x, "seclabel", &c_info->ssid_label);
    }

    libxl_defbool_set(&c_info->run_hotplug_scripts,
                      xlconf.run_hotplug_scripts);
    parse_type(x, c_info);
    cfg_defbool(x, "hap", &c_info->hap);

    if (!cfg_replace_string(x, "name", &c_info->name) || !*c_info->name)
        cfg_die(x, "the domain needs a name (name=\"...\")");

    if (cfg_string(x, "uuid", &s)) {
        if (libxl_uuid_from_string(&c_info->uuid, s))
            cfg_bad_value(x, "uuid", s,
                          "a UUID such as "
                          "5f2a1c4e-0b7d-4e3a-9c61-2d8f0a4b7e19");
    } else {
        libxl_uuid_generate(&c_info->uuid);
    }

    cfg_defbool(x, "oos", &c_info->oos);
    cfg_replace_string(x, "pool", &c_info->pool_name);
    cfg_defbool(x, "driver_domain", &c_info->driver_domain);
    cfg_defbool(x, "xend_suspend_evtchn_compat",
                &c_info->xend_suspend_evtchn_compat);
}

static void parse_memory_vcpus(const xl_cfg *x, libxl_domain_build_info *b)
{
    const long max_mb = LONG_MAX / 1024;
    long l, vcpus = 0;
    int v;

    if (cfg_long(x, "cpu_weight", &l))
        b->sched_params.weight = l;
    if (cfg_long(x, "cap", &l))
        b->sched_params.cap = l;
    if (cfg_long(x, "period", &l))
        b->sched_params.period = l;
    if (cfg_long(x, "slice", &l))
        b->sched_params.slice = l;
    if (cfg_long(x, "latency", &l))
        b->sched_params.latency = l;
    if (cfg_long(x, "extratime", &l))
        b->sched_params.extratime = l;

    if (cfg_long_range(x, "memory", 0, max_mb, &l))
        b->target_memkb = (uint64_t)l * 1024;
    if (cfg_long_range(x, "maxmem", 0, max_mb, &l))
        b->max_memkb = (uint64_t)l * 1024;

    if (cfg_long_range(x, "vcpus", 1, XL_MAX_VCPUS, &l)) {
        vcpus = l;
        xl_bitmap_alloc(&b->avail_vcpus, (int)l);
        libxl_bitmap_set_none(&b->avail_vcpus);
        while (l-- > 0)
            libxl_bitmap_set(&b->avail_vcpus, (int)l);
    }
    if (cfg_long_range(x, "maxvcpus", 1, XL_MAX_VCPUS, &l))
        b->max_vcpus = (int)l;

    v = b->arch_arm.vuart;
    if (cfg_enum(x, "vuart", vuart_names, N(vuart_names), true, &v))
        b->arch_arm.vuart = v;

    /* maxmem and maxvcpus default to memory and vcpus. */
    if (b->max_memkb == LIBXL_MEMKB_DEFAULT)
        b->max_memkb = b->target_memkb;
    if (!b->max_vcpus)
        b->max_vcpus = (int)vcpus;
    if (b->max_vcpus < vcpus)
        cfg_die(x, "maxvcpus (%d) is less than vcpus (%ld)", b->max_vcpus,
                vcpus);

    parse_vcpu_affinity(x, "cpus", b, true);
    parse_vcpu_affinity(x, "cpus_soft", b, false);

    b->max_grant_frames = xlconf.max_grant_frames;
    if (cfg_long_range(x, "max_grant_frames", 0, INT_MAX, &l))
        b->max_grant_frames = (int)l;
    b->max_maptrack_frames = xlconf.max_maptrack_frames;
    if (cfg_long_range(x, "max_maptrack_frames", 0, INT_MAX, &l))
        b->max_maptrack_frames = (int)l;
    b->max_grant_version = xlconf.max_grant_version;
    if (cfg_long_range(x, "max_grant_version", 0, INT_MAX, &l))
        b->max_grant_version = (int)l;

    libxl_defbool_set(&b->claim_mode, xlconf.claim_mode);
}

static void parse_actions(const xl_cfg *x, libxl_domain_config *d)
{
    static const struct {
        const char *key;
        libxl_action_on_shutdown dflt;
        size_t offset;
    } keys[] = {
        {"on_poweroff", LIBXL_ACTION_ON_SHUTDOWN_DESTROY,
         offsetof(libxl_domain_config, on_poweroff)},
        {"on_reboot", LIBXL_ACTION_ON_SHUTDOWN_RESTART,
         offsetof(libxl_domain_config, on_reboot)},
        {"on_watchdog", LIBXL_ACTION_ON_SHUTDOWN_DESTROY,
         offsetof(libxl_domain_config, on_watchdog)},
        {"on_crash", LIBXL_ACTION_ON_SHUTDOWN_DESTROY,
         offsetof(libxl_domain_config, on_crash)},
        {"on_soft_reset", LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET,
         offsetof(libxl_domain_config, on_soft_reset)},
    };
    size_t i;

    for (i = 0; i < N(keys); i++) {
        libxl_action_on_shutdown *a =
            (libxl_action_on_shutdown *)((char *)d + keys[i].offset);
        int v = keys[i].dflt;

        cfg_enum(x, keys[i].key, action_names, N(action_names), false, &v);
        *a = v;
    }
}

/* The soft reset storm guard.  Defaults: no limit (upstream's xl has
 * none); once a limit is set, a window of 60 s and, past it, preserve
 * (the domain stays, shut down, for a look; the monitor exits). */
#define SOFT_RESET_WINDOW_DEFAULT 60
static void parse_monitor_config(const xl_cfg *x, struct xl_monitor_config *mc)
{
    long l;
    int v = LIBXL_ACTION_ON_SHUTDOWN_PRESERVE;
    bool window, action;

    memset(mc, 0, sizeof(*mc));
    if (cfg_long_range(x, "soft_reset_limit", 0, XL_SOFT_RESET_LIMIT_MAX, &l))
        mc->soft_reset_limit = (unsigned int)l;
    mc->soft_reset_window = SOFT_RESET_WINDOW_DEFAULT;
    window = cfg_long_range(x, "soft_reset_window", 1, 7 * 24 * 3600, &l);
    if (window)
        mc->soft_reset_window = (unsigned int)l;
    action = cfg_enum(x, "on_soft_reset_limit", action_names,
                      N(action_names), false, &v);
    if (v == LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET)
        cfg_die(x, "on_soft_reset_limit cannot be soft-reset: it is what "
                "applies instead of one");
    mc->on_soft_reset_limit = v;
    if ((window || action) && !mc->soft_reset_limit)
        cfg_warn(x, "%s has no effect without soft_reset_limit",
                 window ? "soft_reset_window" : "on_soft_reset_limit");
}

/* tsc_mode, timer_mode, altp2m: a name, or (deprecated) its number. */
static bool parse_named_or_number(const xl_cfg *x, const char *key,
                                  const struct xl_enum_name *names,
                                  size_t n, long min, long max, int *val)
{
    long l;

    if (!xlu_cfg_get_long(x->cfg, key, &l, 1)) {
        if (l < min || l > max) {
            char expected[64];

            snprintf(expected, sizeof(expected),
                     "a name, or a number from %ld to %ld", min, max);
            cfg_bad_value(x, key, value_text(x, key), expected);
        }
        cfg_warn(x, "%s as a number is deprecated; use its name", key);
        *val = (int)l;
        return true;
    }
    return cfg_enum(x, key, names, n, true, val);
}

static char *make_cmdline(const xl_cfg *x)
{
    const char *cmdline = NULL, *root = NULL, *extra = NULL;
    char *out = NULL;

    cfg_string(x, "cmdline", &cmdline);
    cfg_string(x, "root", &root);
    cfg_string(x, "extra", &extra);

    if (cmdline) {
        if (root || extra)
            cfg_warn(x, "root= and extra= are ignored when cmdline= is "
                     "given");
        return xstrdup(cmdline);
    }
    if (root && extra)
        xasprintf(&out, "root=%s %s", root, extra);
    else if (root)
        xasprintf(&out, "root=%s", root);
    else if (extra)
        out = xstrdup(extra);
    return out;
}

static void parse_boot(const xl_cfg *x, libxl_domain_build_info *b)
{
    const char *s;
    long l;
    int v, e;

    if (cfg_long(x, "shadow_memory", &l))
        b->shadow_memkb = (uint64_t)l * 1024;
    cfg_defbool(x, "nomigrate", &b->disable_migrate);

    v = b->tsc_mode;
    if (parse_named_or_number(x, "tsc_mode", tsc_mode_names,
                              N(tsc_mode_names), LIBXL_TSC_MODE_DEFAULT,
                              LIBXL_TSC_MODE_NATIVE_PARAVIRT, &v))
        b->tsc_mode = v;

    if (cfg_long(x, "rtc_timeoffset", &l))
        b->rtc_timeoffset = (uint32_t)l;
    if (cfg_long(x, "vncviewer", &l))
        cfg_warn(x, "vncviewer= is ignored; use xl create -V");
    cfg_defbool(x, "localtime", &b->localtime);
    if (cfg_long_range(x, "videoram", 0, LONG_MAX / 1024, &l))
        b->video_memkb = (uint64_t)l * 1024;
    if (cfg_long_range(x, "max_event_channels", 0, UINT32_MAX, &l))
        b->event_channels = (uint32_t)l;

    cfg_replace_string(x, "kernel", &b->kernel);
    cfg_replace_string(x, "ramdisk", &b->ramdisk);
    cfg_replace_string(x, "device_tree", &b->device_tree);
    b->cmdline = make_cmdline(x);

    cfg_defbool(x, "acpi", &b->acpi);
    cfg_replace_string(x, "bootloader", &b->bootloader);
    e = cfg_string_list(x, "bootloader_args", &b->bootloader_args);
    if (e == EINVAL && cfg_string(x, "bootloader_args", &s)) {
        /* The old form: one string, split at blanks. */
        char *copy = xstrdup(s), *save = NULL, *w;
        int n = 0;

        cfg_warn(x, "bootloader_args as a string is deprecated; use a "
                 "list");
        b->bootloader_args = xcalloc(strlen(s) / 2 + 2, sizeof(char *));
        for (w = strtok_r(copy, " \t\n", &save); w;
             w = strtok_r(NULL, " \t\n", &save))
            b->bootloader_args[n++] = xstrdup(w);
        free(copy);
    }

    v = b->timer_mode;
    if (xlu_cfg_get_string(x->cfg, "timer_mode", &s, 1) != ESRCH &&
        b->type == LIBXL_DOMAIN_TYPE_PV)
        cfg_die(x, "timer_mode is not available for PV guests");
    if (parse_named_or_number(x, "timer_mode", timer_mode_names,
                              N(timer_mode_names),
                              LIBXL_TIMER_MODE_DELAY_FOR_MISSED_TICKS,
                              LIBXL_TIMER_MODE_ONE_MISSED_TICK_PENDING, &v))
        b->timer_mode = v;

    cfg_defbool(x, "nestedhvm", &b->nested_hvm);
}

static void parse_viridian(const xl_cfg *x, libxl_domain_build_info *b)
{
    XLU_ConfigList *list;
    const char *item;
    int count, i, v;
    char *expected;

    switch (cfg_list(x, "viridian", &list, &count)) {
    case ESRCH:
        return;
    case EINVAL: /* viridian=0|1 */
        cfg_defbool(x, "viridian", &b->u.hvm.viridian);
        return;
    }
    if (count) {
        xl_bitmap_alloc(&b->u.hvm.viridian_enable,
                        LIBXL_BUILDINFO_HVM_VIRIDIAN_ENABLE_DISABLE_WIDTH);
        xl_bitmap_alloc(&b->u.hvm.viridian_disable,
                        LIBXL_BUILDINFO_HVM_VIRIDIAN_ENABLE_DISABLE_WIDTH);
    }
    for (i = 0; i < count; i++) {
        libxl_bitmap *on = &b->u.hvm.viridian_enable;
        libxl_bitmap *off = &b->u.hvm.viridian_disable;
        bool negate;

        item = xlu_cfg_get_listitem(list, i);
        if (!strcmp(item, "all")) {
            libxl_bitmap_set_any(on);
            continue;
        }
        if (!strcmp(item, "defaults")) {
            libxl_defbool_set(&b->u.hvm.viridian, true);
            continue;
        }
        negate = item[0] == '!';
        if (!lookup_enum(viridian_names, N(viridian_names), true,
                         item + negate, &v)) {
            expected = enum_names_list(viridian_names, N(viridian_names));
            fprintf(stderr, "xl: %s: invalid value '%s' for viridian "
                    "(expected all, defaults or %s, each optionally "
                    "negated with !)\n", x->src, item, expected);
            free(expected);
            exit(EXIT_FAILURE);
        }
        libxl_bitmap_set(negate ? off : on, v);
        libxl_bitmap_reset(negate ? on : off, v);
    }
}

static void parse_hvm_firmware(const xl_cfg *x, libxl_domain_build_info *b)
{
    XLU_ConfigList *caps;
    const char *s;
    int ncaps, i;
    size_t len;
    long l;
    int v;

    /* The firmware is hvmloader's business, not kernel='s. */
    if (b->kernel) {
        const char *base = strrchr(b->kernel, '/');

        base = base ? base + 1 : b->kernel;
        if (!strcmp(base, "hvmloader")) {
            cfg_warn(x, "kernel=\"%s\" ignored: HVM guests get hvmloader "
                     "anyway (firmware_override= replaces it)", b->kernel);
            free(b->kernel);
            b->kernel = NULL;
        }
    }

    cfg_replace_string(x, "firmware_override", &b->u.hvm.firmware);
    cfg_replace_string(x, "bios_path_override", &b->u.hvm.system_firmware);
    v = b->u.hvm.bios;
    if (cfg_enum(x, "bios", bios_names, N(bios_names), true, &v))
        b->u.hvm.bios = v;
    else if (b->u.hvm.system_firmware)
        cfg_warn(x, "bios_path_override given without bios=");

    cfg_defbool(x, "pae", &b->u.hvm.pae);
    cfg_defbool(x, "acpi_s3", &b->u.hvm.acpi_s3);
    cfg_defbool(x, "acpi_s4", &b->u.hvm.acpi_s4);
    cfg_defbool(x, "acpi_laptop_slate", &b->u.hvm.acpi_laptop_slate);
    cfg_defbool(x, "nx", &b->u.hvm.nx);
    cfg_defbool(x, "hpet", &b->u.hvm.hpet);
    cfg_defbool(x, "vpt_align", &b->u.hvm.vpt_align);
    cfg_defbool(x, "apic", &b->apic);
    parse_viridian(x, b);

    if (cfg_long(x, "mmio_hole", &l)) {
        uint64_t bytes = (uint64_t)l * 1024 * 1024;

        if (l <= 0 || bytes < HVM_BELOW_4G_MMIO_LENGTH ||
            bytes > HVM_BELOW_4G_MMIO_START) {
            char expected[64];

            snprintf(expected, sizeof(expected), "MB from %llu to %llu",
                     (unsigned long long)HVM_BELOW_4G_MMIO_LENGTH >> 20,
                     (unsigned long long)HVM_BELOW_4G_MMIO_START >> 20);
            cfg_bad_value(x, "mmio_hole", value_text(x, "mmio_hole"),
                          expected);
        }
        b->u.hvm.mmio_hole_memkb = (uint64_t)l * 1024;
    }

    if (cfg_defbool(x, "altp2mhvm", &b->u.hvm.altp2m))
        cfg_warn(x, "altp2mhvm= is deprecated; use altp2m=");
    cfg_replace_string(x, "smbios_firmware", &b->u.hvm.smbios_firmware);
    cfg_replace_string(x, "acpi_firmware", &b->u.hvm.acpi_firmware);
    if (cfg_long(x, "rdm_mem_boundary", &l))
        b->u.hvm.rdm_mem_boundary_memkb = (uint64_t)l * 1024;

    /* A VM generation id would be random: only "none" is taken. */
    if (cfg_string(x, "ms_vm_genid", &s) && strcmp(s, "none"))
        cfg_die(x, "ms_vm_genid=\"%s\" is not supported by this xl yet "
                "(only \"none\")", s);

    switch (cfg_list(x, "mca_caps", &caps, &ncaps)) {
    case ESRCH:
        break;
    case EINVAL:
        cfg_die(x, "invalid value for mca_caps: a string (expected a "
                "list)");
    default:
        for (i = 0; i < ncaps; i++) {
            const char *cap = xlu_cfg_get_listitem(caps, i);

            if (strcmp(cap, "lmce"))
                cfg_bad_value(x, "mca_caps", cap, "lmce");
            b->u.hvm.mca_caps |= XEN_HVM_MCA_CAP_LMCE;
        }
    }

    /*
     * firmware= names a BIOS (rombios, seabios, ovmf), or uefi (ovmf),
     * or bios (the device model's default); anything else is a path.
     * Prefixes of uefi and bios count, as upstream.
     */
    if (cfg_string(x, "firmware", &s)) {
        len = strlen(s);
        if (!len)
            cfg_bad_value(x, "firmware", s,
                          "a BIOS name, uefi, bios or a path");
        if (lookup_enum(bios_names, N(bios_names), true, s, &v))
            b->u.hvm.bios = v;
        else if (!strncmp(s, "uefi", len))
            b->u.hvm.bios = LIBXL_BIOS_TYPE_OVMF;
        else if (strncmp(s, "bios", len))
            cfg_replace_string(x, "firmware", &b->u.hvm.firmware);
    }
}

static void parse_pv_firmware(const xl_cfg *x, libxl_domain_build_info *b)
{
    const char *s;
    size_t len;

    /* firmware=pvgrub32|pvgrub64 is a kernel shipped with Xen. */
    if (cfg_string(x, "firmware", &s)) {
        if (b->kernel)
            cfg_die(x, "kernel= and firmware= cannot both be given");
        len = strlen(s);
        if (!len || (strncmp(s, "pvgrub32", len) &&
                     strncmp(s, "pvgrub64", len)))
            cfg_bad_value(x, "firmware", s, "one of pvgrub32, pvgrub64");
        xasprintf(&b->kernel, XENFIRMWAREDIR "/%s.bin", s);
    }
    if (!b->bootloader && !b->kernel)
        cfg_die(x, "a %s guest needs kernel= (or bootloader= or firmware=)",
                b->type == LIBXL_DOMAIN_TYPE_PV ? "PV" : "PVH");
}

static void parse_device_model(const xl_cfg *x, libxl_domain_build_info *b)
{
    static const char *const arg_keys[] = {
        "device_model_args", "device_model_args_pv",
        "device_model_args_hvm",
    };
    libxl_string_list *arg_lists[] = {&b->extra, &b->extra_pv,
                                      &b->extra_hvm};
    const char *s;
    long l;
    size_t i;
    int v;

    if (cfg_string(x, "device_model", &s))
        cfg_warn(x, "device_model= is ignored; device_model_override= "
                 "replaces the device model");
    cfg_replace_string(x, "device_model_override", &b->device_model);
    v = b->device_model_version;
    if (cfg_enum(x, "device_model_version", dm_version_names,
                 N(dm_version_names), false, &v))
        b->device_model_version = v;
    else if (b->device_model)
        cfg_warn(x, "device_model_override given without "
                 "device_model_version");
    cfg_defbool(x, "device_model_stubdomain_override",
                &b->device_model_stubdomain);
    cfg_replace_string(x, "device_model_stubdomain_seclabel",
                       &b->device_model_ssid_label);
    cfg_replace_string(x, "device_model_user", &b->device_model_user);
    cfg_replace_string(x, "stubdomain_kernel", &b->stubdomain_kernel);
    cfg_replace_string(x, "stubdomain_cmdline", &b->stubdomain_cmdline);
    cfg_replace_string(x, "stubdomain_ramdisk", &b->stubdomain_ramdisk);
    if (cfg_long_range(x, "stubdomain_memory", 0, LONG_MAX / 1024, &l))
        b->stubdomain_memkb = (uint64_t)l * 1024;

    for (i = 0; i < N(arg_keys); i++) {
        if (cfg_string_list(x, arg_keys[i], arg_lists[i]) == EINVAL)
            cfg_die(x, "invalid value for %s: a string (expected a list "
                    "of strings)", arg_keys[i]);
    }
}

void parse_vnc_sdl(const xl_cfg *x, libxl_vnc_info *vnc,
                          libxl_sdl_info *sdl)
{
    long l;

    cfg_defbool(x, "vnc", &vnc->enable);
    cfg_replace_string(x, "vnclisten", &vnc->listen);
    cfg_replace_string(x, "vncpasswd", &vnc->passwd);
    if (cfg_long_range(x, "vncdisplay", 0, INT_MAX, &l))
        vnc->display = (int)l;
    cfg_defbool(x, "vncunused", &vnc->findunused);

    cfg_defbool(x, "sdl", &sdl->enable);
    cfg_defbool(x, "opengl", &sdl->opengl);
    cfg_replace_string(x, "display", &sdl->display);
    cfg_replace_string(x, "xauthority", &sdl->xauthority);
}

static void parse_spice(const xl_cfg *x, libxl_spice_info *sp)
{
    long l;

    cfg_defbool(x, "spice", &sp->enable);
    if (cfg_long_range(x, "spiceport", 0, INT_MAX, &l))
        sp->port = (int)l;
    if (cfg_long_range(x, "spicetls_port", 0, INT_MAX, &l))
        sp->tls_port = (int)l;
    cfg_replace_string(x, "spicehost", &sp->host);
    cfg_defbool(x, "spicedisable_ticketing", &sp->disable_ticketing);
    cfg_replace_string(x, "spicepasswd", &sp->passwd);
    cfg_defbool(x, "spiceagent_mouse", &sp->agent_mouse);
    cfg_defbool(x, "spicevdagent", &sp->vdagent);
    cfg_defbool(x, "spice_clipboard_sharing", &sp->clipboard_sharing);
    if (cfg_long_range(x, "spiceusbredirection", 0, INT_MAX, &l))
        sp->usbredirection = (int)l;
    cfg_replace_string(x, "spice_image_compression", &sp->image_compression);
    cfg_replace_string(x, "spice_streaming_video", &sp->streaming_video);
}

/* serial= and usbdevice=: a list, or one string. */
static void parse_list_or_string(const xl_cfg *x, const char *key,
                                 libxl_string_list *list, char **str)
{
    if (cfg_string_list(x, key, list) == EINVAL)
        cfg_replace_string(x, key, str);
}

static void parse_hvm_devices(const xl_cfg *x, libxl_domain_build_info *b)
{
    long l;
    int v;

    v = b->u.hvm.vga.kind;
    if (cfg_enum(x, "vga", vga_names, N(vga_names), false, &v))
        b->u.hvm.vga.kind = v;
    else if (cfg_long(x, "stdvga", &l))
        b->u.hvm.vga.kind = l ? LIBXL_VGA_INTERFACE_TYPE_STD
                              : LIBXL_VGA_INTERFACE_TYPE_CIRRUS;

    v = b->u.hvm.hdtype;
    if (cfg_enum(x, "hdtype", hdtype_names, N(hdtype_names), true, &v))
        b->u.hvm.hdtype = v;
    cfg_replace_string(x, "keymap", &b->u.hvm.keymap);
    parse_spice(x, &b->u.hvm.spice);
    cfg_defbool(x, "nographic", &b->u.hvm.nographic);

    /* gfx_passthru=0|1, or the kind of card (which turns it on). */
    if (!xlu_cfg_get_long(x->cfg, "gfx_passthru", &l, 1)) {
        libxl_defbool_set(&b->u.hvm.gfx_passthru, l != 0);
    } else {
        v = b->u.hvm.gfx_passthru_kind;
        if (cfg_enum(x, "gfx_passthru", gfx_passthru_names,
                     N(gfx_passthru_names), true, &v)) {
            b->u.hvm.gfx_passthru_kind = v;
            libxl_defbool_set(&b->u.hvm.gfx_passthru, true);
        }
    }

    parse_list_or_string(x, "serial", &b->u.hvm.serial_list,
                         &b->u.hvm.serial);
    cfg_replace_string(x, "boot", &b->u.hvm.boot);
    cfg_defbool(x, "usb", &b->u.hvm.usb);
    if (cfg_long_range(x, "usbversion", 1, 3, &l))
        b->u.hvm.usbversion = (int)l;
    parse_list_or_string(x, "usbdevice", &b->u.hvm.usbdevice_list,
                         &b->u.hvm.usbdevice);
    cfg_defbool(x, "vkb_device", &b->u.hvm.vkb_device);
    cfg_replace_string(x, "soundhw", &b->u.hvm.soundhw);
    cfg_defbool(x, "xen_platform_pci", &b->u.hvm.xen_platform_pci);

    if (b->u.hvm.vnc.listen && b->u.hvm.vnc.display &&
        strchr(b->u.hvm.vnc.listen, ':'))
        cfg_die(x, "the VNC display is given twice: in vnclisten=\"%s\" "
                "and in vncdisplay=", b->u.hvm.vnc.listen);

    v = b->u.hvm.vendor_device;
    if (cfg_enum(x, "vendor_device", vendor_device_names,
                 N(vendor_device_names), true, &v))
        b->u.hvm.vendor_device = v;
}

static void refuse_unsupported(const xl_cfg *x)
{
    const char *s;
    size_t i;

    for (i = 0; i < N(unsupported_keys); i++) {
        if (xlu_cfg_get_string(x->cfg, unsupported_keys[i], &s, 1) != ESRCH)
            cfg_die(x, "%s= is not supported by this xl yet",
                    unsupported_keys[i]);
    }
}

/* The config being parsed: a global, so that it stays reachable when an
 * error exits in the middle (for the sanitizer's leak checker). */
static XLU_Config *current_cfg;

void parse_config_data(const char *config_source, const char *config_data,
                       int config_len, libxl_domain_config *d_config,
                       struct xl_monitor_config *mc)
{
    libxl_domain_create_info *c_info = &d_config->c_info;
    libxl_domain_build_info *b_info = &d_config->b_info;
    xl_cfg xc = {.src = config_source};
    const xl_cfg *x = &xc;
    long l;
    int v;

    xc.cfg = current_cfg = xlu_cfg_init(stderr, config_source);
    if (!xc.cfg)
        xl_die("out of memory");
    /* libxlutil reports syntax errors as file:line. */
    if (xlu_cfg_readdata(xc.cfg, config_data, config_len)) {
        xlu_cfg_destroy(xc.cfg);
        fprintf(stderr, "xl: %s: cannot parse the configuration\n",
                config_source);
        exit(EXIT_FAILURE);
    }

    refuse_unsupported(x);
    parse_create_info(x, d_config);

    libxl_domain_build_info_init_type(b_info, c_info->type);

    if (b_info->type == LIBXL_DOMAIN_TYPE_PVH) {
        cfg_defbool(x, "pvshim", &b_info->u.pvh.pvshim);
        cfg_replace_string(x, "pvshim_path", &b_info->u.pvh.pvshim_path);
        cfg_replace_string(x, "pvshim_cmdline",
                           &b_info->u.pvh.pvshim_cmdline);
        cfg_replace_string(x, "pvshim_extra", &b_info->u.pvh.pvshim_extra);
    }
    if (xlconf.blkdev_start)
        b_info->blkdev_start = xstrdup(xlconf.blkdev_start);

    parse_memory_vcpus(x, b_info);
    parse_actions(x, d_config);
    if (mc)
        parse_monitor_config(x, mc);

    if (c_info->type == LIBXL_DOMAIN_TYPE_PV)
        cfg_defbool(x, "e820_host", &b_info->u.pv.e820_host);

    parse_pci_devices(x, d_config);

    v = c_info->passthrough;
    if (cfg_enum(x, "passthrough", passthrough_names,
                 N(passthrough_names), true, &v))
        c_info->passthrough = v;

    parse_boot(x, b_info);

    switch (b_info->type) {
    case LIBXL_DOMAIN_TYPE_HVM:
        parse_hvm_firmware(x, b_info);
        break;
    case LIBXL_DOMAIN_TYPE_PV:
    case LIBXL_DOMAIN_TYPE_PVH:
        parse_pv_firmware(x, b_info);
        break;
    default:
        xl_die("internal error: domain type %d", b_info->type);
    }

    v = b_info->altp2m;
    if (parse_named_or_number(x, "altp2m", altp2m_names, N(altp2m_names),
                              LIBXL_ALTP2M_MODE_DISABLED,
                              LIBXL_ALTP2M_MODE_LIMITED, &v))
        b_info->altp2m = v;
    if (cfg_long_range(x, "vmtrace_buf_kb", 0, INT_MAX, &l) && l)
        b_info->vmtrace_buf_kb = (int)l;

    parse_ioports_irqs_iomem(x, b_info);
    parse_disks(x, d_config);
    parse_pv_devices(x, d_config);
    parse_nics(x, d_config);
    if (!xlu_cfg_get_list(xc.cfg, "vif2", NULL, NULL, 1))
        cfg_warn(x, "vif2= (netchannel2) is not supported and ignored");
    parse_vfbs(x, d_config);
    parse_usb_devices(x, d_config);

    parse_device_model(x, b_info);

    /*
     * Top-level vnc= and friends: a PV guest gets a framebuffer device
     * unless vfb= gave one; an HVM guest's device model shows them.
     */
    if (c_info->type == LIBXL_DOMAIN_TYPE_PV) {
        if (!d_config->num_vfbs)
            parse_pv_top_level_vnc(x, d_config);
    } else if (c_info->type == LIBXL_DOMAIN_TYPE_HVM) {
        parse_vnc_sdl(x, &b_info->u.hvm.vnc, &b_info->u.hvm.sdl);
    }

    cfg_defbool(x, "dm_restrict", &b_info->dm_restrict);

    if (c_info->type == LIBXL_DOMAIN_TYPE_HVM)
        parse_hvm_devices(x, b_info);

    v = b_info->arch_arm.gic_version;
    if (cfg_enum(x, "gic_version", gic_version_names, N(gic_version_names),
                 true, &v))
        b_info->arch_arm.gic_version = v;
    v = b_info->tee;
    if (cfg_enum(x, "tee", tee_names, N(tee_names), true, &v))
        b_info->tee = v;

    /* After vfb= and vnc=, whose keyboards come first. */
    parse_vkbs(x, d_config);

    if (cfg_defbool(x, "msr_relaxed", &b_info->arch_x86.msr_relaxed))
        cfg_warn(x, "msr_relaxed= may be removed in a future version");
    cfg_defbool(x, "vpmu", &b_info->vpmu);

    xlu_cfg_destroy(xc.cfg);
    current_cfg = NULL;
}
