/*
 * libxl_json.c: JSON for libxl.
 *
 * - a parser from text to a tree of libxl__json_object (yajl's event
 *   parser underneath), with accessors;
 * - generators and parsers of the builtin types, which the generated
 *   code of _libxl_types.c calls for fields of those types;
 * - libxl__object_to_json / libxl__object_from_json, behind every
 *   libxl_<type>_to_json / _from_json.
 */
#include <math.h>

#include "libxl_internal.h"

/* Deeper documents are refused rather than parsed. */
#define JSON_MAX_DEPTH 512

/*
 * Trees
 */

static void list_append(libxl__gc *gc, libxl__json_object *o, void *item)
{
    if (o->u.list.count == o->u.list.room) {
        int room = o->u.list.room ? 2 * o->u.list.room : 4;
        o->u.list.items = libxl__realloc(gc, o->u.list.items,
                                         room * sizeof(void *));
        o->u.list.room = room;
    }
    o->u.list.items[o->u.list.count++] = item;
}

libxl__json_object *libxl__json_object_alloc(libxl__gc *gc,
                                             libxl__json_node_type type)
{
    libxl__json_object *o = libxl__zalloc(gc, sizeof(*o));

    o->type = type;
    return o;
}

void libxl__json_array_append(libxl__gc *gc, libxl__json_object *array,
                              libxl__json_object *obj)
{
    assert(libxl__json_object_is_array(array));
    obj->parent = array;
    list_append(gc, array, obj);
}

void libxl__json_map_add(libxl__gc *gc, libxl__json_object *map,
                         const char *key, libxl__json_object *obj)
{
    libxl__json_map_node *node = libxl__zalloc(gc, sizeof(*node));

    assert(libxl__json_object_is_map(map));
    node->map_key = libxl__strdup(gc, key);
    node->obj = obj;
    if (obj)
        obj->parent = map;
    list_append(gc, map, node);
}

void libxl__json_object_free(libxl__gc *gc, libxl__json_object *obj)
{
    if (!obj)
        return;
    switch (obj->type) {
    case JSON_STRING:
    case JSON_NUMBER:
        free(obj->u.string);
        break;
    case JSON_MAP:
        for (int i = 0; i < obj->u.list.count; i++) {
            libxl__json_map_node *node = obj->u.list.items[i];
            libxl__json_object_free(gc, node->obj);
            free(node->map_key);
            free(node);
        }
        free(obj->u.list.items);
        break;
    case JSON_ARRAY:
        for (int i = 0; i < obj->u.list.count; i++)
            libxl__json_object_free(gc, obj->u.list.items[i]);
        free(obj->u.list.items);
        break;
    default:
        break;
    }
    free(obj);
}

int libxl__json_array_count(const libxl__json_object *o)
{
    return libxl__json_object_is_array(o) ? o->u.list.count : 0;
}

libxl__json_object *libxl__json_array_get(const libxl__json_object *o, int i)
{
    if (i < 0 || i >= libxl__json_array_count(o))
        return NULL;
    return o->u.list.items[i];
}

int libxl__json_map_count(const libxl__json_object *o)
{
    return libxl__json_object_is_map(o) ? o->u.list.count : 0;
}

libxl__json_map_node *libxl__json_map_node_get(const libxl__json_object *o,
                                               int i)
{
    if (i < 0 || i >= libxl__json_map_count(o))
        return NULL;
    return o->u.list.items[i];
}

const libxl__json_object *libxl__json_map_get(const char *key,
                                              const libxl__json_object *o,
                                              libxl__json_node_type expected)
{
    for (int i = 0; i < libxl__json_map_count(o); i++) {
        const libxl__json_map_node *node = o->u.list.items[i];

        if (strcmp(key, node->map_key))
            continue;
        if (node->obj && (node->obj->type & expected))
            return node->obj;
        return NULL;
    }
    return NULL;
}

/*
 * Text to tree
 */

typedef struct {
    libxl__gc *gc;
    libxl__json_object *head;       /* the document */
    libxl__json_object *current;    /* innermost open map or array */
    int depth;
    const char *error;              /* ours, when a callback refuses */
} json_parse_state;

static int add_value(json_parse_state *st, libxl__json_object *obj)
{
    libxl__json_object *dst = st->current;

    if (!dst) {
        if (st->head) {
            st->error = "more than one top-level value";
            return 0;
        }
        st->head = obj;
    } else if (dst->type == JSON_MAP) {
        libxl__json_map_node *last;

        /* yajl always gives the key first. */
        assert(dst->u.list.count);
        last = dst->u.list.items[dst->u.list.count - 1];
        assert(!last->obj);
        last->obj = obj;
        obj->parent = dst;
    } else {
        obj->parent = dst;
        list_append(st->gc, dst, obj);
    }
    if (obj->type == JSON_MAP || obj->type == JSON_ARRAY) {
        if (++st->depth > JSON_MAX_DEPTH) {
            st->error = "nested too deeply";
            return 0;
        }
        st->current = obj;
    }
    return 1;
}

static int cb_null(void *opaque)
{
    json_parse_state *st = opaque;

    return add_value(st, libxl__json_object_alloc(st->gc, JSON_NULL));
}

static int cb_boolean(void *opaque, int b)
{
    json_parse_state *st = opaque;
    libxl__json_object *o = libxl__json_object_alloc(st->gc, JSON_BOOL);

    o->u.b = !!b;
    return add_value(st, o);
}

static int cb_number(void *opaque, const char *s, size_t len)
{
    json_parse_state *st = opaque;
    char *text = libxl__strndup(st->gc, s, len);
    libxl__json_object *o;

    if (strpbrk(text, ".eE")) {
        o = libxl__json_object_alloc(st->gc, JSON_DOUBLE);
        errno = 0;
        o->u.d = strtod(text, NULL);
        if (errno == ERANGE && (o->u.d == HUGE_VAL || o->u.d == -HUGE_VAL)) {
            st->error = "number out of range";
            return 0;
        }
    } else {
        long long i;

        errno = 0;
        i = strtoll(text, NULL, 10);
        if (errno == ERANGE) {
            /* Too large for long long: keep the digits (uint64 fields). */
            o = libxl__json_object_alloc(st->gc, JSON_NUMBER);
            o->u.string = text;
        } else {
            o = libxl__json_object_alloc(st->gc, JSON_INTEGER);
            o->u.i = i;
        }
    }
    return add_value(st, o);
}

static int cb_string(void *opaque, const unsigned char *s, size_t len)
{
    json_parse_state *st = opaque;
    libxl__json_object *o = libxl__json_object_alloc(st->gc, JSON_STRING);

    /* A string with an embedded NUL ends there, as a C string must. */
    o->u.string = libxl__strndup(st->gc, (const char *)s, len);
    return add_value(st, o);
}

static int cb_map_key(void *opaque, const unsigned char *s, size_t len)
{
    json_parse_state *st = opaque;
    libxl__json_map_node *node = libxl__zalloc(st->gc, sizeof(*node));

    assert(libxl__json_object_is_map(st->current));
    node->map_key = libxl__strndup(st->gc, (const char *)s, len);
    list_append(st->gc, st->current, node);
    return 1;
}

static int cb_start_map(void *opaque)
{
    json_parse_state *st = opaque;

    return add_value(st, libxl__json_object_alloc(st->gc, JSON_MAP));
}

static int cb_start_array(void *opaque)
{
    json_parse_state *st = opaque;

    return add_value(st, libxl__json_object_alloc(st->gc, JSON_ARRAY));
}

static int cb_end(void *opaque)
{
    json_parse_state *st = opaque;

    assert(st->current);
    st->current = st->current->parent;
    st->depth--;
    return 1;
}

static const yajl_callbacks parse_callbacks = {
    .yajl_null = cb_null,
    .yajl_boolean = cb_boolean,
    .yajl_number = cb_number,
    .yajl_string = cb_string,
    .yajl_start_map = cb_start_map,
    .yajl_map_key = cb_map_key,
    .yajl_end_map = cb_end,
    .yajl_start_array = cb_start_array,
    .yajl_end_array = cb_end,
};

libxl__json_object *libxl__json_parse(libxl__gc *gc, const char *s)
{
    json_parse_state st = { .gc = gc };
    size_t len = strlen(s);
    yajl_handle hand;
    yajl_status status;

    hand = libxl__yajl_alloc(&parse_callbacks, NULL, &st);
    if (!hand)
        libxl__alloc_failed(CTX, __func__, 1, sizeof(hand));
    status = yajl_parse(hand, (const unsigned char *)s, len);
    if (status == yajl_status_ok)
        status = yajl_complete_parse(hand);

    if (status == yajl_status_ok && st.head && !st.current) {
        yajl_free(hand);
        return st.head;
    }
    if (st.error) {
        LOG(ERROR, "invalid JSON: %s", st.error);
    } else if (status != yajl_status_ok) {
        unsigned char *msg = yajl_get_error(hand, 0,
                                            (const unsigned char *)s, len);
        size_t n = strlen((char *)msg);

        while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
            msg[--n] = '\0';
        LOG(ERROR, "invalid JSON: %s", msg);
        yajl_free_error(hand, msg);
    } else {
        LOG(ERROR, "invalid JSON: no value");
    }
    yajl_free(hand);
    return NULL;
}

/*
 * Tree to text
 */

yajl_status libxl__json_object_to_yajl_gen(libxl__gc *gc, yajl_gen hand,
                                           const libxl__json_object *obj)
{
    yajl_gen_status s = yajl_gen_status_ok;

    if (!obj)
        return yajl_gen_null(hand) == yajl_gen_status_ok ? yajl_status_ok
                                                           : yajl_status_error;
    switch (obj->type) {
    case JSON_NULL:
        s = yajl_gen_null(hand);
        break;
    case JSON_BOOL:
        s = yajl_gen_bool(hand, obj->u.b);
        break;
    case JSON_INTEGER:
        s = yajl_gen_integer(hand, obj->u.i);
        break;
    case JSON_DOUBLE:
        s = yajl_gen_double(hand, obj->u.d);
        break;
    case JSON_NUMBER:
        s = yajl_gen_number(hand, obj->u.string, strlen(obj->u.string));
        break;
    case JSON_STRING:
        s = libxl__yajl_gen_asciiz(hand, obj->u.string);
        break;
    case JSON_MAP:
        s = yajl_gen_map_open(hand);
        for (int i = 0; s == yajl_gen_status_ok && i < obj->u.list.count;
             i++) {
            const libxl__json_map_node *node = obj->u.list.items[i];

            s = libxl__yajl_gen_asciiz(hand, node->map_key);
            if (s == yajl_gen_status_ok &&
                libxl__json_object_to_yajl_gen(gc, hand, node->obj))
                s = yajl_gen_in_error_state;
        }
        if (s == yajl_gen_status_ok)
            s = yajl_gen_map_close(hand);
        break;
    case JSON_ARRAY:
        s = yajl_gen_array_open(hand);
        for (int i = 0; s == yajl_gen_status_ok && i < obj->u.list.count;
             i++) {
            if (libxl__json_object_to_yajl_gen(gc, hand,
                                               obj->u.list.items[i]))
                s = yajl_gen_in_error_state;
        }
        if (s == yajl_gen_status_ok)
            s = yajl_gen_array_close(hand);
        break;
    default:
        s = yajl_gen_in_error_state;
        break;
    }
    return s == yajl_gen_status_ok ? yajl_status_ok : yajl_status_error;
}

char *libxl__json_object_to_json(libxl__gc *gc, const libxl__json_object *obj)
{
    const unsigned char *buf;
    size_t len;
    char *ret = NULL;
    yajl_gen hand;

    if (!obj)
        return NULL;
    hand = libxl_yajl_gen_alloc(NULL);
    if (!hand)
        return NULL;
    if (libxl__json_object_to_yajl_gen(gc, hand, obj) == yajl_status_ok &&
        yajl_gen_get_buf(hand, &buf, &len) == yajl_gen_status_ok)
        ret = libxl__strndup(gc, (const char *)buf, len);
    yajl_gen_free(hand);
    return ret;
}

/*
 * Whole objects
 */

static const char *gen_status_string(yajl_gen_status s)
{
    switch (s) {
    case yajl_gen_keys_must_be_strings:
        return "keys must be strings";
    case yajl_max_depth_exceeded:
        return "max depth exceeded";
    case yajl_gen_in_error_state:
        return "in error state";
    case yajl_gen_generation_complete:
        return "generation complete";
    case yajl_gen_invalid_number:
        return "invalid number";
    case yajl_gen_no_buf:
        return "no buffer";
    case yajl_gen_invalid_string:
        return "invalid string";
    default:
        return "unknown error";
    }
}

char *libxl__object_to_json(libxl_ctx *ctx, const char *type,
                            libxl__gen_json_callback gen, void *p)
{
    const unsigned char *buf;
    size_t len;
    char *ret = NULL;
    yajl_gen_status s;
    yajl_gen hand;

    hand = libxl_yajl_gen_alloc(NULL);
    if (!hand) {
        LIBXL__LOG(ctx, XTL_ERROR, "cannot allocate a JSON generator");
        return NULL;
    }
    s = gen(hand, p);
    if (s == yajl_gen_status_ok)
        s = yajl_gen_get_buf(hand, &buf, &len);
    if (s == yajl_gen_status_ok)
        ret = libxl__strndup(NOGC, (const char *)buf, len);
    else
        LIBXL__LOG(ctx, XTL_ERROR, "cannot convert %s to JSON: yajl error "
                   "%d: %s", type, s, gen_status_string(s));
    yajl_gen_free(hand);
    return ret;
}

int libxl__object_from_json(libxl_ctx *ctx, const char *type,
                            libxl__json_parse_callback parse, void *p,
                            const char *s)
{
    GC_INIT(ctx);
    libxl__json_object *o;
    int rc;

    if (!s) {
        LOG(ERROR, "no JSON text for %s", type);
        rc = ERROR_INVAL;
        goto out;
    }
    o = libxl__json_parse(gc, s);
    if (!o) {
        LOG(ERROR, "cannot read %s from JSON", type);
        rc = ERROR_FAIL;
        goto out;
    }
    rc = parse(gc, o, p);
    if (rc) {
        LOG(ERROR, "JSON does not describe a valid %s (rc=%d)", type, rc);
        rc = ERROR_FAIL;
    }
out:
    GC_FREE;
    return rc;
}

/*
 * Builtin types: generators
 */

yajl_gen_status libxl__yajl_gen_asciiz(yajl_gen hand, const char *str)
{
    return yajl_gen_string(hand, (const unsigned char *)str, strlen(str));
}

yajl_gen_status libxl__yajl_gen_enum(yajl_gen hand, const char *str)
{
    return str ? libxl__yajl_gen_asciiz(hand, str) : yajl_gen_null(hand);
}

yajl_gen_status libxl__string_gen_json(yajl_gen hand, const char *p)
{
    return p ? libxl__yajl_gen_asciiz(hand, p) : yajl_gen_null(hand);
}

yajl_gen_status libxl__uint64_gen_json(yajl_gen hand, uint64_t val)
{
    char num[24];
    int len = snprintf(num, sizeof(num), "%" PRIu64, val);

    /* As digits: yajl_gen_integer would take it for a long long. */
    return yajl_gen_number(hand, num, len);
}

yajl_gen_status libxl_defbool_gen_json(yajl_gen hand, libxl_defbool *p)
{
    return libxl__yajl_gen_asciiz(hand, libxl_defbool_to_string(*p));
}

yajl_gen_status libxl_uuid_gen_json(yajl_gen hand, libxl_uuid *p)
{
    char buf[LIBXL_UUID_FMTLEN + 1];

    snprintf(buf, sizeof(buf), LIBXL_UUID_FMT, LIBXL_UUID_BYTES(*p));
    return libxl__yajl_gen_asciiz(hand, buf);
}

yajl_gen_status libxl_mac_gen_json(yajl_gen hand, libxl_mac *p)
{
    char buf[LIBXL_MAC_FMTLEN + 1];

    snprintf(buf, sizeof(buf), LIBXL_MAC_FMT, LIBXL_MAC_BYTES((*p)));
    return libxl__yajl_gen_asciiz(hand, buf);
}

/* The indices of the set bits. */
yajl_gen_status libxl_bitmap_gen_json(yajl_gen hand, libxl_bitmap *p)
{
    yajl_gen_status s = yajl_gen_array_open(hand);
    int i;

    libxl_for_each_set_bit(i, *p) {
        if (s != yajl_gen_status_ok)
            return s;
        s = yajl_gen_integer(hand, i);
    }
    if (s != yajl_gen_status_ok)
        return s;
    return yajl_gen_array_close(hand);
}

yajl_gen_status libxl_string_list_gen_json(yajl_gen hand,
                                           libxl_string_list *p)
{
    yajl_gen_status s = yajl_gen_array_open(hand);

    for (int i = 0; *p && (*p)[i] && s == yajl_gen_status_ok; i++)
        s = libxl__yajl_gen_asciiz(hand, (*p)[i]);
    if (s != yajl_gen_status_ok)
        return s;
    return yajl_gen_array_close(hand);
}

/* A map; a NULL value is null. */
yajl_gen_status libxl_key_value_list_gen_json(yajl_gen hand,
                                              libxl_key_value_list *p)
{
    yajl_gen_status s = yajl_gen_map_open(hand);

    for (int i = 0; *p && (*p)[i] && s == yajl_gen_status_ok; i += 2) {
        s = libxl__yajl_gen_asciiz(hand, (*p)[i]);
        if (s == yajl_gen_status_ok)
            s = libxl__string_gen_json(hand, (*p)[i + 1]);
    }
    if (s != yajl_gen_status_ok)
        return s;
    return yajl_gen_map_close(hand);
}

/* Upstream writes (and reads) the first 4 of the 8 words; so do we. */
#define HWCAP_JSON_WORDS 4

yajl_gen_status libxl_hwcap_gen_json(yajl_gen hand, libxl_hwcap *p)
{
    yajl_gen_status s = yajl_gen_array_open(hand);

    for (int i = 0; i < HWCAP_JSON_WORDS && s == yajl_gen_status_ok; i++)
        s = yajl_gen_integer(hand, (*p)[i]);
    if (s != yajl_gen_status_ok)
        return s;
    return yajl_gen_array_close(hand);
}

yajl_gen_status libxl_ms_vm_genid_gen_json(yajl_gen hand,
                                           libxl_ms_vm_genid *p)
{
    yajl_gen_status s = yajl_gen_array_open(hand);

    for (int i = 0; i < LIBXL_MS_VM_GENID_LEN && s == yajl_gen_status_ok; i++)
        s = yajl_gen_integer(hand, p->bytes[i]);
    if (s != yajl_gen_status_ok)
        return s;
    return yajl_gen_array_close(hand);
}

/*
 * Builtin types: parsers
 */

int libxl__bool_parse_json(libxl__gc *gc, const libxl__json_object *o,
                           bool *p)
{
    if (!libxl__json_object_is_bool(o))
        return ERROR_FAIL;
    *p = o->u.b;
    return 0;
}

static int parse_integer(const libxl__json_object *o, long long min,
                         long long max, long long *v)
{
    if (!libxl__json_object_is_integer(o) || o->u.i < min || o->u.i > max)
        return ERROR_FAIL;
    *v = o->u.i;
    return 0;
}

int libxl__int_parse_json(libxl__gc *gc, const libxl__json_object *o, int *p)
{
    long long v;
    int rc = parse_integer(o, INT_MIN, INT_MAX, &v);

    if (!rc)
        *p = (int)v;
    return rc;
}

#define PARSE_UINT(width)                                                   \
    int libxl__uint##width##_parse_json(libxl__gc *gc,                      \
                                        const libxl__json_object *o,        \
                                        uint##width##_t *p)                 \
    {                                                                       \
        long long v;                                                        \
        int rc = parse_integer(o, 0, UINT##width##_MAX, &v);                \
                                                                            \
        if (!rc)                                                            \
            *p = (uint##width##_t)v;                                        \
        return rc;                                                          \
    }

PARSE_UINT(8)
PARSE_UINT(16)
PARSE_UINT(32)

int libxl__uint64_parse_json(libxl__gc *gc, const libxl__json_object *o,
                             uint64_t *p)
{
    const char *s;
    char *end;
    unsigned long long v;

    if (libxl__json_object_is_integer(o)) {
        if (o->u.i < 0)
            return ERROR_FAIL;
        *p = (uint64_t)o->u.i;
        return 0;
    }
    /* Past LLONG_MAX the parser kept the digits. */
    s = libxl__json_object_get_number(o);
    if (!s || *s < '0' || *s > '9')
        return ERROR_FAIL;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || *end)
        return ERROR_FAIL;
    *p = v;
    return 0;
}

int libxl__string_parse_json(libxl__gc *gc, const libxl__json_object *o,
                             char **p)
{
    if (libxl__json_object_is_null(o)) {
        *p = NULL;
        return 0;
    }
    if (!libxl__json_object_is_string(o))
        return ERROR_FAIL;
    *p = libxl__strdup(NOGC, o->u.string);
    return 0;
}

int libxl__defbool_parse_json(libxl__gc *gc, const libxl__json_object *o,
                              libxl_defbool *p)
{
    const char *s = libxl__json_object_get_string(o);

    if (!s)
        return ERROR_FAIL;
    if (!strcmp(s, LIBXL__DEFBOOL_STR_DEFAULT))
        p->val = LIBXL__DEFBOOL_DEFAULT;
    else if (!strcmp(s, LIBXL__DEFBOOL_STR_TRUE))
        p->val = LIBXL__DEFBOOL_TRUE;
    else if (!strcmp(s, LIBXL__DEFBOOL_STR_FALSE))
        p->val = LIBXL__DEFBOOL_FALSE;
    else
        return ERROR_FAIL;
    return 0;
}

int libxl__uuid_parse_json(libxl__gc *gc, const libxl__json_object *o,
                           libxl_uuid *p)
{
    const char *s = libxl__json_object_get_string(o);

    return s && !libxl_uuid_from_string(p, s) ? 0 : ERROR_FAIL;
}

int libxl__mac_parse_json(libxl__gc *gc, const libxl__json_object *o,
                          libxl_mac *p)
{
    const char *s = libxl__json_object_get_string(o);

    return s && !libxl__parse_mac(s, *p) ? 0 : ERROR_FAIL;
}

int libxl__bitmap_parse_json(libxl__gc *gc, const libxl__json_object *o,
                             libxl_bitmap *p)
{
    int n = libxl__json_array_count(o), max = -1;

    if (!libxl__json_object_is_array(o))
        return ERROR_FAIL;
    for (int i = 0; i < n; i++) {
        const libxl__json_object *t = libxl__json_array_get(o, i);

        if (!libxl__json_object_is_integer(t) || t->u.i < 0 ||
            t->u.i > LIBXL__BITMAP_JSON_MAX_BIT)
            return ERROR_FAIL;
        if (t->u.i > max)
            max = (int)t->u.i;
    }
    libxl_bitmap_dispose(p);
    if (max < 0)
        return 0;
    libxl_bitmap_alloc(CTX, p, max + 1);
    for (int i = 0; i < n; i++)
        libxl_bitmap_set(p, (int)libxl__json_array_get(o, i)->u.i);
    return 0;
}

int libxl__string_list_parse_json(libxl__gc *gc, const libxl__json_object *o,
                                  libxl_string_list *p)
{
    int n = libxl__json_array_count(o);

    if (!libxl__json_object_is_array(o))
        return ERROR_FAIL;
    libxl_string_list_dispose(p);
    if (!n)
        return 0;
    *p = libxl__calloc(NOGC, n + 1, sizeof(char *));
    for (int i = 0; i < n; i++) {
        const char *s = libxl__json_object_get_string(
            libxl__json_array_get(o, i));

        if (!s)
            return ERROR_FAIL;
        (*p)[i] = libxl__strdup(NOGC, s);
    }
    return 0;
}

int libxl__key_value_list_parse_json(libxl__gc *gc,
                                     const libxl__json_object *o,
                                     libxl_key_value_list *p)
{
    int n = libxl__json_map_count(o);

    if (!libxl__json_object_is_map(o))
        return ERROR_FAIL;
    libxl_key_value_list_dispose(p);
    *p = libxl__calloc(NOGC, 2 * n + 1, sizeof(char *));
    for (int i = 0; i < n; i++) {
        const libxl__json_map_node *node = libxl__json_map_node_get(o, i);

        if (!libxl__json_object_is_string(node->obj) &&
            !libxl__json_object_is_null(node->obj))
            return ERROR_FAIL;
        (*p)[2 * i] = libxl__strdup(NOGC, node->map_key);
        (*p)[2 * i + 1] =
            libxl__strdup(NOGC, libxl__json_object_get_string(node->obj));
    }
    return 0;
}

int libxl__hwcap_parse_json(libxl__gc *gc, const libxl__json_object *o,
                            libxl_hwcap *p)
{
    for (int i = 0; i < HWCAP_JSON_WORDS; i++) {
        long long v;

        if (parse_integer(libxl__json_array_get(o, i), 0, UINT32_MAX, &v))
            return ERROR_FAIL;
        (*p)[i] = (uint32_t)v;
    }
    return 0;
}

int libxl__ms_vm_genid_parse_json(libxl__gc *gc, const libxl__json_object *o,
                                  libxl_ms_vm_genid *p)
{
    for (int i = 0; i < LIBXL_MS_VM_GENID_LEN; i++) {
        long long v;

        if (parse_integer(libxl__json_array_get(o, i), 0, UINT8_MAX, &v))
            return ERROR_FAIL;
        p->bytes[i] = (uint8_t)v;
    }
    return 0;
}
