/*
 * libxl_utils.h: helpers around the libxl types.  Unless stated, they
 * need no libxl_ctx (ctx may be NULL).
 */
#ifndef LIBXL_UTILS_H
#define LIBXL_UTILS_H

#include "libxl.h"

/* Bitmaps.  A bit past the end tests as clear and cannot be set. */
/* Allocates room for n_bits (zeroed); 0 on success, ERROR_INVAL if
 * n_bits < 0.  Free with libxl_bitmap_dispose. */
int libxl_bitmap_alloc(libxl_ctx *ctx, libxl_bitmap *bitmap, int n_bits);
/* dptr gets a fresh copy of sptr (dptr need not be allocated). */
void libxl_bitmap_copy_alloc(libxl_ctx *ctx, libxl_bitmap *dptr,
                             const libxl_bitmap *sptr);
/* Copies the bits both maps have room for. */
void libxl_bitmap_copy(libxl_ctx *ctx, libxl_bitmap *dptr,
                       const libxl_bitmap *sptr);
int libxl_bitmap_is_full(const libxl_bitmap *bitmap);
int libxl_bitmap_is_empty(const libxl_bitmap *bitmap);
int libxl_bitmap_test(const libxl_bitmap *bitmap, int bit);
void libxl_bitmap_set(libxl_bitmap *bitmap, int bit);
void libxl_bitmap_reset(libxl_bitmap *bitmap, int bit);
int libxl_bitmap_count_set(const libxl_bitmap *bitmap);
/* or_map/and_map get a new map as large as the larger input. */
int libxl_bitmap_or(libxl_ctx *ctx, libxl_bitmap *or_map,
                    const libxl_bitmap *map1, const libxl_bitmap *map2);
int libxl_bitmap_and(libxl_ctx *ctx, libxl_bitmap *and_map,
                     const libxl_bitmap *map1, const libxl_bitmap *map2);
/* "0x..." most significant byte first; caller frees. */
char *libxl_bitmap_to_hex_string(libxl_ctx *ctx, const libxl_bitmap *bitmap);

static inline void libxl_bitmap_set_any(libxl_bitmap *bitmap)
{
    if (bitmap->size)
        memset(bitmap->map, -1, bitmap->size);
}

static inline void libxl_bitmap_set_none(libxl_bitmap *bitmap)
{
    if (bitmap->size)
        memset(bitmap->map, 0, bitmap->size);
}

static inline int libxl_bitmap_cpu_valid(libxl_bitmap *bitmap, int bit)
{
    return bit >= 0 && bit < (int)(bitmap->size * 8);
}

#define libxl_for_each_bit(var, map) \
    for (var = 0; var < (int)(map).size * 8; var++)
#define libxl_for_each_set_bit(v, m) \
    for (v = 0; v < (int)(m).size * 8; v++) \
        if (libxl_bitmap_test(&(m), v))

/* Equal on their first nr_bits bits (all of ba's if nr_bits <= 0); a bit
 * past the end of a map counts as clear. */
static inline int libxl_bitmap_equal(const libxl_bitmap *ba,
                                     const libxl_bitmap *bb, int nr_bits)
{
    int i;

    if (nr_bits <= 0)
        nr_bits = ba->size * 8;
    for (i = 0; i < nr_bits; i++)
        if (libxl_bitmap_test(ba, i) != libxl_bitmap_test(bb, i))
            return 0;
    return 1;
}

/*
 * max_cpus/max_nodes > 0: a map of that many bits, no ctx needed.
 * 0: as many as the host has, which needs a ctx connected to Xen
 * (ERROR_INVAL without one).  < 0: ERROR_INVAL.
 */
int libxl_cpu_bitmap_alloc(libxl_ctx *ctx, libxl_bitmap *cpumap,
                           int max_cpus);
int libxl_node_bitmap_alloc(libxl_ctx *ctx, libxl_bitmap *nodemap,
                            int max_nodes);

/* *dst = strdup(*src) (NULL stays NULL). */
void libxl_string_copy(libxl_ctx *ctx, char **dst, char *const *src);

/* Returns a malloc'd copy of the last component of name. */
char *libxl_basename(const char *name);

static inline uint64_t libxl__sizekb_to_mb(uint64_t s)
{
    return (s + 1023) / 1024;
}

#define LIBXL_FILLZERO(object) (memset(&(object), 0, sizeof((object))))

/* Domain names (libxl_domain.c; need a ctx). */
/* The domid of the domain called name: 0, ERROR_INVAL if none, ERROR_FAIL
 * if the domains or some of their names could not be read (logged). */
int libxl_name_to_domid(libxl_ctx *ctx, const char *name, uint32_t *domid);
/* The name of domid (malloc'd), NULL if it has none. */
char *libxl_domid_to_name(libxl_ctx *ctx, uint32_t domid);
/* A domid given as digits, else a name. */
int libxl_domain_qualifier_to_domid(libxl_ctx *ctx, const char *name,
                                    uint32_t *domid);

#endif /* LIBXL_UTILS_H */
