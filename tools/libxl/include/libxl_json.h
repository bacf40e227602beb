/*
 * libxl_json.h: JSON generation of libxl types with yajl.
 *
 * Every generated type also has <type>_gen_json (declared in
 * _libxl_types_json.h); the hand-written builtin types have theirs here.
 */
#ifndef LIBXL_JSON_H
#define LIBXL_JSON_H

#include <yajl/yajl_gen.h>
#include <yajl/yajl_parse.h>
#include <yajl/yajl_version.h>

#include "libxl.h"

yajl_gen_status libxl__uint64_gen_json(yajl_gen hand, uint64_t val);
yajl_gen_status libxl_defbool_gen_json(yajl_gen hand, libxl_defbool *p);
yajl_gen_status libxl_uuid_gen_json(yajl_gen hand, libxl_uuid *p);
yajl_gen_status libxl_mac_gen_json(yajl_gen hand, libxl_mac *p);
yajl_gen_status libxl_bitmap_gen_json(yajl_gen hand, libxl_bitmap *p);
yajl_gen_status libxl_cpuid_policy_list_gen_json(yajl_gen hand,
                                                 libxl_cpuid_policy_list *p);
yajl_gen_status libxl_string_list_gen_json(yajl_gen hand,
                                           libxl_string_list *p);
yajl_gen_status libxl_key_value_list_gen_json(yajl_gen hand,
                                              libxl_key_value_list *p);
yajl_gen_status libxl_hwcap_gen_json(yajl_gen hand, libxl_hwcap *p);
yajl_gen_status libxl_ms_vm_genid_gen_json(yajl_gen hand,
                                           libxl_ms_vm_genid *p);

#include "_libxl_types_json.h"

#if YAJL_MAJOR < 2
#error libxl needs yajl 2
#endif

typedef size_t libxl_yajl_length;

/* A parser as libxl uses it: trailing garbage after the value is allowed. */
static inline yajl_handle libxl__yajl_alloc(const yajl_callbacks *callbacks,
                                            yajl_alloc_funcs *allocFuncs,
                                            void *ctx)
{
    yajl_handle hand = yajl_alloc(callbacks, allocFuncs, ctx);
    if (hand)
        yajl_config(hand, yajl_allow_trailing_garbage, 1);
    return hand;
}

/* A generator as libxl uses it: beautified, 4-space indent (yajl's). */
static inline yajl_gen libxl_yajl_gen_alloc(const yajl_alloc_funcs *allocFuncs)
{
    yajl_gen g = yajl_gen_alloc(allocFuncs);
    if (g)
        yajl_gen_config(g, yajl_gen_beautify, 1);
    return g;
}

#endif /* LIBXL_JSON_H */
