/*
 * libxl_utils.c: operations on the builtin libxl types (defbool, bitmap,
 * string and key/value lists, mac, hwcap, VM generation id) and enum
 * lookup.  None needs a ctx.
 */
#include <strings.h>
#include <sys/random.h>

#include "libxl_internal.h"

/*
 * defbool
 */

void libxl_defbool_set(libxl_defbool *db, bool b)
{
    db->val = b ? LIBXL__DEFBOOL_TRUE : LIBXL__DEFBOOL_FALSE;
}

void libxl_defbool_unset(libxl_defbool *db)
{
    db->val = LIBXL__DEFBOOL_DEFAULT;
}

bool libxl_defbool_is_default(libxl_defbool db)
{
    return db.val == LIBXL__DEFBOOL_DEFAULT;
}

void libxl_defbool_setdefault(libxl_defbool *db, bool b)
{
    if (libxl_defbool_is_default(*db))
        libxl_defbool_set(db, b);
}

bool libxl_defbool_val(libxl_defbool db)
{
    assert(!libxl_defbool_is_default(db));
    return db.val > 0;
}

const char *libxl_defbool_to_string(libxl_defbool b)
{
    if (b.val < 0)
        return LIBXL__DEFBOOL_STR_FALSE;
    if (b.val > 0)
        return LIBXL__DEFBOOL_STR_TRUE;
    return LIBXL__DEFBOOL_STR_DEFAULT;
}

/*
 * bitmap
 */

void libxl_bitmap_init(libxl_bitmap *map)
{
    memset(map, 0, sizeof(*map));
}

void libxl_bitmap_dispose(libxl_bitmap *map)
{
    if (!map)
        return;
    free(map->map);
    libxl_bitmap_init(map);
}

int libxl_bitmap_alloc(libxl_ctx *ctx, libxl_bitmap *bitmap, int n_bits)
{
    GC_INIT(ctx);
    int rc = 0;

    if (n_bits < 0) {
        LOG(ERROR, "bitmap of %d bits", n_bits);
        rc = ERROR_INVAL;
        goto out;
    }
    bitmap->size = ((unsigned)n_bits + 7) / 8;
    bitmap->map = libxl__calloc(NOGC, bitmap->size, 1);
out:
    GC_FREE;
    return rc;
}

static int host_sized_bitmap(libxl_ctx *ctx, libxl_bitmap *map, int n,
                             bool nodes)
{
    if (n == 0) {
        /* The host's own count: ask the hypervisor. */
        if (!ctx || !ctx->xch) {
            LIBXL__LOG(ctx, XTL_ERROR, "the number of host %s needs a "
                       "context connected to Xen", nodes ? "nodes" : "cpus");
            return ERROR_INVAL;
        }
        n = nodes ? xc_get_max_nodes(ctx->xch) : xc_get_max_cpus(ctx->xch);
        if (n <= 0) {
            LIBXL__LOG(ctx, XTL_ERROR, "cannot get the number of host %s",
                       nodes ? "nodes" : "cpus");
            return ERROR_FAIL;
        }
    } else if (n < 0) {
        LIBXL__LOG(ctx, XTL_ERROR, "bitmap of %d %s", n,
                   nodes ? "nodes" : "cpus");
        return ERROR_INVAL;
    }
    return libxl_bitmap_alloc(ctx, map, n);
}

int libxl_cpu_bitmap_alloc(libxl_ctx *ctx, libxl_bitmap *cpumap, int max_cpus)
{
    return host_sized_bitmap(ctx, cpumap, max_cpus, false);
}

int libxl_node_bitmap_alloc(libxl_ctx *ctx, libxl_bitmap *nodemap,
                            int max_nodes)
{
    return host_sized_bitmap(ctx, nodemap, max_nodes, true);
}

void libxl_bitmap_copy_alloc(libxl_ctx *ctx, libxl_bitmap *dptr,
                             const libxl_bitmap *sptr)
{
    dptr->size = sptr->size;
    dptr->map = libxl__calloc(NOGC, sptr->size, 1);
    if (sptr->size)
        memcpy(dptr->map, sptr->map, sptr->size);
}

void libxl_bitmap_copy(libxl_ctx *ctx, libxl_bitmap *dptr,
                       const libxl_bitmap *sptr)
{
    uint32_t sz = dptr->size < sptr->size ? dptr->size : sptr->size;

    if (sz)
        memcpy(dptr->map, sptr->map, sz);
}

int libxl_bitmap_is_full(const libxl_bitmap *bitmap)
{
    for (uint32_t i = 0; i < bitmap->size; i++)
        if (bitmap->map[i] != 0xff)
            return 0;
    return 1;
}

int libxl_bitmap_is_empty(const libxl_bitmap *bitmap)
{
    for (uint32_t i = 0; i < bitmap->size; i++)
        if (bitmap->map[i])
            return 0;
    return 1;
}

static bool bit_in_range(const libxl_bitmap *bitmap, int bit)
{
    return bit >= 0 && (uint32_t)bit / 8 < bitmap->size;
}

int libxl_bitmap_test(const libxl_bitmap *bitmap, int bit)
{
    if (!bit_in_range(bitmap, bit))
        return 0;
    return (bitmap->map[bit / 8] >> (bit & 7)) & 1;
}

void libxl_bitmap_set(libxl_bitmap *bitmap, int bit)
{
    if (bit_in_range(bitmap, bit))
        bitmap->map[bit / 8] |= 1 << (bit & 7);
}

void libxl_bitmap_reset(libxl_bitmap *bitmap, int bit)
{
    if (bit_in_range(bitmap, bit))
        bitmap->map[bit / 8] &= ~(1 << (bit & 7));
}

int libxl_bitmap_count_set(const libxl_bitmap *bitmap)
{
    int n = 0;

    for (uint32_t i = 0; i < bitmap->size; i++)
        n += __builtin_popcount(bitmap->map[i]);
    return n;
}

static int combine(libxl_ctx *ctx, libxl_bitmap *out, const libxl_bitmap *a,
                   const libxl_bitmap *b, bool and)
{
    const libxl_bitmap *big = a->size >= b->size ? a : b;
    int rc = libxl_bitmap_alloc(ctx, out, big->size * 8);

    if (rc)
        return rc;
    for (uint32_t i = 0; i < big->size; i++) {
        uint8_t x = i < a->size ? a->map[i] : 0;
        uint8_t y = i < b->size ? b->map[i] : 0;
        out->map[i] = and ? (x & y) : (x | y);
    }
    return 0;
}

int libxl_bitmap_or(libxl_ctx *ctx, libxl_bitmap *or_map,
                    const libxl_bitmap *map1, const libxl_bitmap *map2)
{
    return combine(ctx, or_map, map1, map2, false);
}

int libxl_bitmap_and(libxl_ctx *ctx, libxl_bitmap *and_map,
                     const libxl_bitmap *map1, const libxl_bitmap *map2)
{
    return combine(ctx, and_map, map1, map2, true);
}

char *libxl_bitmap_to_hex_string(libxl_ctx *ctx, const libxl_bitmap *bitmap)
{
    char *s = libxl__malloc(NOGC, bitmap->size * 2 + 3);
    char *q = s;

    q += sprintf(q, "0x");
    for (uint32_t i = bitmap->size; i > 0; i--)
        q += sprintf(q, "%02x", bitmap->map[i - 1]);
    *q = '\0';
    return s;
}

/*
 * string_list and key_value_list
 */

int libxl_string_list_length(const libxl_string_list *psl)
{
    int n = 0;

    if (*psl)
        while ((*psl)[n])
            n++;
    return n;
}

void libxl_string_list_dispose(libxl_string_list *psl)
{
    libxl_string_list sl = *psl;

    if (!sl)
        return;
    for (int i = 0; sl[i]; i++)
        free(sl[i]);
    free(sl);
    *psl = NULL;
}

void libxl_string_list_copy(libxl_ctx *ctx, libxl_string_list *dst,
                            const libxl_string_list *src)
{
    int len = libxl_string_list_length(src);

    if (!*src) {
        *dst = NULL;
        return;
    }
    *dst = libxl__calloc(NOGC, len + 1, sizeof(char *));
    for (int i = 0; i < len; i++)
        (*dst)[i] = libxl__strdup(NOGC, (*src)[i]);
}

bool libxl__string_list_is_empty(const libxl_string_list *sl)
{
    return !libxl_string_list_length(sl);
}

int libxl_key_value_list_length(const libxl_key_value_list *pkvl)
{
    int n = 0;

    if (*pkvl)
        while ((*pkvl)[2 * n])
            n++;
    return n;
}

void libxl_key_value_list_dispose(libxl_key_value_list *pkvl)
{
    libxl_key_value_list kvl = *pkvl;

    if (!kvl)
        return;
    for (int i = 0; kvl[i]; i += 2) {
        free(kvl[i]);
        free(kvl[i + 1]);
    }
    free(kvl);
    *pkvl = NULL;
}

void libxl_key_value_list_copy(libxl_ctx *ctx, libxl_key_value_list *dst,
                               const libxl_key_value_list *src)
{
    int len = libxl_key_value_list_length(src);

    if (!*src) {
        *dst = NULL;
        return;
    }
    *dst = libxl__calloc(NOGC, 2 * len + 1, sizeof(char *));
    for (int i = 0; i < 2 * len; i++)
        (*dst)[i] = libxl__strdup(NOGC, (*src)[i]);
}

bool libxl__key_value_list_is_empty(const libxl_key_value_list *kvl)
{
    return !libxl_key_value_list_length(kvl);
}

void libxl_string_copy(libxl_ctx *ctx, char **dst, char *const *src)
{
    *dst = libxl__strdup(NOGC, *src);
}

char *libxl_basename(const char *name)
{
    const char *slash = strrchr(name, '/');

    return libxl__strdup(NOGC, slash ? slash + 1 : name);
}

/*
 * mac, hwcap, ms_vm_genid
 */

void libxl_mac_copy(libxl_ctx *ctx, libxl_mac *dst, const libxl_mac *src)
{
    memcpy(*dst, *src, sizeof(*dst));
}

bool libxl__mac_is_default(const libxl_mac *mac)
{
    static const libxl_mac zero;

    return !memcmp(*mac, zero, sizeof(zero));
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int libxl__parse_mac(const char *s, libxl_mac mac)
{
    libxl_mac out;

    if (!s || strlen(s) != LIBXL_MAC_FMTLEN)
        return ERROR_INVAL;
    for (int i = 0; i < 6; i++) {
        const char *p = s + 3 * i;
        int hi = hexval(p[0]), lo = hexval(p[1]);

        if (hi < 0 || lo < 0)
            return ERROR_INVAL;
        if (i < 5 && p[2] != ':' && p[2] != '-')
            return ERROR_INVAL;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    memcpy(mac, out, sizeof(out));
    return 0;
}

void libxl_hwcap_copy(libxl_ctx *ctx, libxl_hwcap *dst,
                      const libxl_hwcap *src)
{
    memcpy(*dst, *src, sizeof(*dst));
}

bool libxl__hwcap_is_default(const libxl_hwcap *hwcap)
{
    static const libxl_hwcap zero;

    return !memcmp(*hwcap, zero, sizeof(zero));
}

bool libxl_ms_vm_genid_is_zero(const libxl_ms_vm_genid *id)
{
    static const libxl_ms_vm_genid zero;

    return !memcmp(id->bytes, zero.bytes, sizeof(zero.bytes));
}

int libxl_ms_vm_genid_generate(libxl_ctx *ctx, libxl_ms_vm_genid *id)
{
    /* All zero means "no generation id": draw until it is not. */
    do {
        size_t got = 0;

        while (got < sizeof(id->bytes)) {
            ssize_t r = getrandom(id->bytes + got, sizeof(id->bytes) - got,
                                  0);
            if (r < 0) {
                if (errno == EINTR)
                    continue;
                LIBXL__LOG_ERRNO(ctx, XTL_ERROR,
                                 "cannot get random bytes for ms_vm_genid");
                return ERROR_FAIL;
            }
            got += r;
        }
    } while (libxl_ms_vm_genid_is_zero(id));
    return 0;
}

void libxl_ms_vm_genid_copy(libxl_ctx *ctx, libxl_ms_vm_genid *dst,
                            const libxl_ms_vm_genid *src)
{
    *dst = *src;
}

/*
 * enums
 */

int libxl__enum_from_string(const libxl_enum_string_table *t, const char *s,
                            int *e)
{
    if (!t || !s)
        return ERROR_INVAL;
    for (; t->s; t++) {
        if (!strcasecmp(t->s, s)) {
            *e = t->v;
            return 0;
        }
    }
    return ERROR_FAIL;
}
