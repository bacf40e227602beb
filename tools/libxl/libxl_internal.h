/*
 * libxl_internal.h: what the library's own files share.  Not installed.
 *
 * Memory: a libxl__gc collects allocations made during one API call and
 * frees them all at GC_FREE.  NOGC allocations are plain malloc memory
 * the caller owns (they are what ends up in structs handed back).  Every
 * allocator here aborts the process, after logging, if memory runs out;
 * none returns NULL except for a zero-sized request.
 *
 * The ctx may be NULL (see "The ctx rule" in libxl.h): a gc then has no
 * owner and log messages go to stderr.
 */
#ifndef LIBXL_INTERNAL_H
#define LIBXL_INTERNAL_H

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenctrl.h>
#include <xenevtchn.h>
#include <xenstore.h>
#include <xentoollog.h>

#include "libxl.h"
#include "libxl_json.h"
#include "libxl_utils.h"

#define LIBXL_INVALID_GFN (~(uint64_t)0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The context.
 */
typedef struct libxl__ev_xswatch libxl__ev_xswatch;
typedef struct libxl__sys_ops libxl__sys_ops;
typedef struct libxl__ao_done libxl__ao_done;
typedef struct libxl__osevent_fd libxl__osevent_fd;
typedef struct libxl__create_xc_ops libxl__create_xc_ops;

/*
 * Process-wide settings and test seams, in one place (libxl_tunables.c
 * has the defaults, upstream's where upstream has one): the files and
 * directories libxl uses, its timeouts, and what creation calls besides
 * the sys table.  Every ctx reads them through ctx->tun (TUN), which is
 * &libxl__tun unless a test gives a ctx its own; a test may also change
 * libxl__tun itself, before or after making a ctx.
 */
typedef struct libxl__tunables {
    /* Files and directories. */
    const char *const *privcmd_paths;   /* a Xen dom0's privcmd device */
    const char *run_dir;                /* /var/run/xen: QMP sockets */
    const char *dm_log_dir;             /* /var/log/xen: QEMU's logs */
    const char *dm_save_dir;            /* /var/lib/xen: QEMU's state */
    const char *userdata_dir;           /* /var/lib/xen: userdata, locks */
    const char *xen_script_dir;         /* /etc/xen/scripts: hotplug */
    const char *qemu_xen_path;          /* the device model */
    const char *hvmloader_path, *seabios_path, *ovmf_path;
    const char *pci_sysfs_devices;      /* assignable PCI devices */
    /* Timeouts, ms. */
    int device_init_timeout_ms;         /* a backend to connect: 10 s */
    int device_destroy_timeout_ms;      /* a backend to close: 10 s */
    int device_hotplug_timeout_ms;      /* a hotplug script: 40 s */
    int dm_start_timeout_ms;            /* QEMU to report running: 60 s */
    int dm_stop_timeout_ms;             /* QEMU to exit: 10 s */
    int qmp_timeout_ms;                 /* a QMP exchange: 10 s */
    int pvcontrol_timeout_ms;           /* a guest to ack control: 60 s */
    int lock_timeout_ms;                /* a domain lock: 60 s */
    /* What creation calls besides the sys table (libxl_create.h). */
    const libxl__create_xc_ops *create_xc;
} libxl__tunables;
extern libxl__tunables libxl__tun;

struct libxl__ctx {
    xentoollog_logger *lg;
    pthread_mutex_t lock;       /* recursive; see CTX_LOCK */
    xc_interface *xch;
    struct xs_handle *xsh;
    xenevtchn_handle *xce;
    /* Every hypervisor and xenstore call goes through here (libxl_sys.h):
     * &libxl__sys_real, or a unit test's fakes. */
    const libxl__sys_ops *sys;
    /* xenstore requests sent by the real sys ops (for the step logs). */
    unsigned long xs_requests;
    /* Paths, timeouts, creation's calls: &libxl__tun, or a test's. */
    libxl__tunables *tun;

    /* Event machinery (libxl_event.c). */
    libxl__ev_xswatch *watches;         /* registered xenstore watches */
    unsigned int watch_counter;         /* makes tokens unique */
    XEN_TAILQ_HEAD(, libxl_event) occurred;     /* for event_check/wait */
    XEN_TAILQ_HEAD(, libxl_event) for_hooks;    /* for event_occurs */
    libxl__ao_done *aos_done;           /* completions to deliver */
    const libxl_event_hooks *event_hooks;
    void *event_hooks_user;
    const libxl_osevent_hooks *osevent_hooks;
    void *osevent_user;
    libxl__osevent_fd *osevent_fd;      /* the xenstore fd, registered */
    void *osevent_timeout_reg;          /* "deliver now" timeout */
    bool osevent_timeout_set;           /* ... is registered */
    const libxl_childproc_hooks *childproc_hooks;
    void *childproc_user;

    /* Domain locks held through this ctx (libxl_lock.c). */
    struct libxl__domain_lock *held_locks;
    struct libxl__evgen_domain_death *death_list;
    libxl__ev_xswatch *death_watch;     /* @releaseDomain, when needed */

    /* libxl_get_version_info's answer, read once (libxl_info.c). */
    libxl_version_info *version_info;
};

#define CTX_LOCK (libxl__ctx_lock(CTX))
#define CTX_UNLOCK (libxl__ctx_unlock(CTX))
void libxl__ctx_lock(libxl_ctx *ctx);
void libxl__ctx_unlock(libxl_ctx *ctx);

#define TUN (CTX->tun)

/*
 * Garbage collection of per-call allocations.
 */
typedef union libxl__gc_block libxl__gc_block;

typedef struct libxl__gc {
    libxl_ctx *owner;
    libxl__gc_block *blocks;    /* doubly linked, newest first */
} libxl__gc;

#define LIBXL_INIT_GC(gc, ctx) \
    do { (gc).owner = (ctx); (gc).blocks = NULL; } while (0)
#define GC_INIT(ctx) \
    libxl__gc gc_buf = { .owner = (ctx), .blocks = NULL }; \
    libxl__gc *const gc = &gc_buf
#define GC_FREE libxl__free_all(gc)
#define CTX libxl__gc_owner(gc)
/* Allocations the caller keeps (malloc'd, freed with free()). */
#define NOGC ((libxl__gc *)NULL)

static inline libxl_ctx *libxl__gc_owner(libxl__gc *gc)
{
    return gc ? gc->owner : NULL;
}

void libxl__free_all(libxl__gc *gc);
void *libxl__malloc(libxl__gc *gc, size_t size);
void *libxl__zalloc(libxl__gc *gc, size_t size);
/* Zeroed; NULL when nmemb or size is 0. */
void *libxl__calloc(libxl__gc *gc, size_t nmemb, size_t size);
void *libxl__realloc(libxl__gc *gc, void *ptr, size_t new_size);
char *libxl__strdup(libxl__gc *gc, const char *c);      /* NULL -> NULL */
char *libxl__strndup(libxl__gc *gc, const char *c, size_t n);
char *libxl__sprintf(libxl__gc *gc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *libxl__vsprintf(libxl__gc *gc, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
void libxl__alloc_failed(libxl_ctx *ctx, const char *func, size_t nmemb,
                         size_t size) __attribute__((noreturn));

#define GCNEW(var) ((var) = libxl__zalloc(gc, sizeof(*(var))))
#define GCNEW_ARRAY(var, nmemb) \
    ((var) = libxl__calloc(gc, (nmemb), sizeof(*(var))))
#define GCREALLOC_ARRAY(var, nmemb) \
    ((var) = libxl__realloc(gc, (var), (nmemb) * sizeof(*(var))))
#define GCSPRINTF(fmt, ...) (libxl__sprintf(gc, fmt, ##__VA_ARGS__))

/*
 * Logging.  LOG(ERROR, "fmt", ...) in a function that has a gc;
 * LOGE adds strerror(errno), LOGEV a given errno value, LOGD and
 * friends a domain id.
 */
void libxl__log(libxl_ctx *ctx, xentoollog_level msglevel, int errnoval,
                const char *file, int line, const char *func,
                uint32_t domid, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

#define LIBXL__LOG(ctx, lvl, fmt, ...) \
    libxl__log(ctx, lvl, -1, __FILE__, __LINE__, __func__, INVALID_DOMID, \
               fmt, ##__VA_ARGS__)
#define LIBXL__LOG_ERRNO(ctx, lvl, fmt, ...) \
    libxl__log(ctx, lvl, errno, __FILE__, __LINE__, __func__, \
               INVALID_DOMID, fmt, ##__VA_ARGS__)
#define LIBXL__LOG_ERRNOVAL(ctx, lvl, errnoval, fmt, ...) \
    libxl__log(ctx, lvl, errnoval, __FILE__, __LINE__, __func__, \
               INVALID_DOMID, fmt, ##__VA_ARGS__)

#define LOGEVD(l, e, d, f, ...) \
    libxl__log(CTX, XTL_##l, (e), __FILE__, __LINE__, __func__, (d), \
               f, ##__VA_ARGS__)
#define LOGED(l, d, f, ...) LOGEVD(l, errno, d, f, ##__VA_ARGS__)
#define LOGD(l, d, f, ...) LOGEVD(l, -1, d, f, ##__VA_ARGS__)
#define LOGEV(l, e, f, ...) LOGEVD(l, e, INVALID_DOMID, f, ##__VA_ARGS__)
#define LOGE(l, f, ...) LOGEVD(l, errno, INVALID_DOMID, f, ##__VA_ARGS__)
#define LOG(l, f, ...) LOGEVD(l, -1, INVALID_DOMID, f, ##__VA_ARGS__)

/*
 * defbool internals (values of libxl_defbool.val).
 */
#define LIBXL__DEFBOOL_DEFAULT (0)
#define LIBXL__DEFBOOL_FALSE (-1)
#define LIBXL__DEFBOOL_TRUE (1)
#define LIBXL__DEFBOOL_STR_DEFAULT "<default>"
#define LIBXL__DEFBOOL_STR_FALSE "False"
#define LIBXL__DEFBOOL_STR_TRUE "True"

/* The value of db, def when it holds its default (a config that did
 * not go through setdefault still gives upstream's choice). */
static inline bool libxl__defbool_or(libxl_defbool db, bool def)
{
    return db.val == LIBXL__DEFBOOL_DEFAULT ? def
                                            : db.val > 0;
}

/*
 * "Holds its default" predicates used by the JSON generator.
 */
static inline bool libxl__defbool_is_default(const libxl_defbool *db)
{
    return db->val == LIBXL__DEFBOOL_DEFAULT;
}

static inline bool libxl__string_is_default(char *const *s)
{
    return *s == NULL;
}

static inline bool libxl__timer_mode_is_default(const libxl_timer_mode *tm)
{
    return *tm == LIBXL_TIMER_MODE_DEFAULT;
}

bool libxl__mac_is_default(const libxl_mac *mac);
bool libxl__string_list_is_empty(const libxl_string_list *sl);
bool libxl__key_value_list_is_empty(const libxl_key_value_list *kvl);
bool libxl__hwcap_is_default(const libxl_hwcap *hwcap);
int libxl__cpuid_policy_is_empty(const libxl_cpuid_policy_list *pl);

/* "xx:xx:xx:xx:xx:xx" (':' or '-' between the hex pairs) into mac;
 * ERROR_INVAL if s is anything else. */
int libxl__parse_mac(const char *s, libxl_mac mac);
/* 0 and *e set if s names (case-insensitively) a value of table;
 * ERROR_FAIL if not, ERROR_INVAL if s or table is NULL. */
int libxl__enum_from_string(const libxl_enum_string_table *table,
                            const char *s, int *e);

/* The CPUID/MSR policy behind libxl_cpuid_policy_list: each array ends
 * with an entry whose input[0] (cpuid) / index (msr) is the "unused"
 * marker of libxenctrl. */
struct libxl__cpu_policy {
    struct xc_xend_cpuid *cpuid;
    struct xc_msr *msr;
};

/*
 * JSON trees (libxl_json.c).
 */
typedef enum {
    JSON_NULL    = (1 << 1),
    JSON_BOOL    = (1 << 2),
    JSON_INTEGER = (1 << 3),
    JSON_DOUBLE  = (1 << 4),
    /* An integer too large for long long, kept as its text. */
    JSON_NUMBER  = (1 << 5),
    JSON_STRING  = (1 << 6),
    JSON_MAP     = (1 << 7),
    JSON_ARRAY   = (1 << 8),
    JSON_ANY     = 0x1fe,
} libxl__json_node_type;

typedef struct libxl__json_object libxl__json_object;

typedef struct {
    char *map_key;
    libxl__json_object *obj;
} libxl__json_map_node;

struct libxl__json_object {
    libxl__json_node_type type;
    union {
        bool b;
        long long i;
        double d;
        char *string;           /* JSON_STRING and JSON_NUMBER */
        struct {                /* JSON_ARRAY: objects; JSON_MAP: nodes */
            int count, room;
            void **items;
        } list;
    } u;
    libxl__json_object *parent;
};

static inline bool libxl__json_object_is_null(const libxl__json_object *o)
{
    return o && o->type == JSON_NULL;
}
static inline bool libxl__json_object_is_bool(const libxl__json_object *o)
{
    return o && o->type == JSON_BOOL;
}
static inline bool libxl__json_object_is_integer(const libxl__json_object *o)
{
    return o && o->type == JSON_INTEGER;
}
static inline bool libxl__json_object_is_double(const libxl__json_object *o)
{
    return o && o->type == JSON_DOUBLE;
}
static inline bool libxl__json_object_is_number(const libxl__json_object *o)
{
    return o && o->type == JSON_NUMBER;
}
static inline bool libxl__json_object_is_string(const libxl__json_object *o)
{
    return o && o->type == JSON_STRING;
}
static inline bool libxl__json_object_is_map(const libxl__json_object *o)
{
    return o && o->type == JSON_MAP;
}
static inline bool libxl__json_object_is_array(const libxl__json_object *o)
{
    return o && o->type == JSON_ARRAY;
}
static inline bool libxl__json_object_get_bool(const libxl__json_object *o)
{
    return libxl__json_object_is_bool(o) ? o->u.b : false;
}
static inline long long
libxl__json_object_get_integer(const libxl__json_object *o)
{
    return libxl__json_object_is_integer(o) ? o->u.i : -1;
}
static inline double libxl__json_object_get_double(const libxl__json_object *o)
{
    return libxl__json_object_is_double(o) ? o->u.d : -1;
}
static inline const char *
libxl__json_object_get_number(const libxl__json_object *o)
{
    return libxl__json_object_is_number(o) ? o->u.string : NULL;
}
static inline const char *
libxl__json_object_get_string(const libxl__json_object *o)
{
    return libxl__json_object_is_string(o) ? o->u.string : NULL;
}

/* Elements of an array (count 0 if o is not one). */
int libxl__json_array_count(const libxl__json_object *o);
libxl__json_object *libxl__json_array_get(const libxl__json_object *o, int i);
/* Entries of a map, in their order (count 0 if o is not one). */
int libxl__json_map_count(const libxl__json_object *o);
libxl__json_map_node *libxl__json_map_node_get(const libxl__json_object *o,
                                               int i);
/* The value of key in map o if its type is one of expected (a mask of
 * libxl__json_node_type); NULL otherwise.  The first of duplicate keys
 * wins. */
const libxl__json_object *libxl__json_map_get(const char *key,
                                              const libxl__json_object *o,
                                              libxl__json_node_type expected);

/* Building trees (e.g. QMP commands).  All memory from gc. */
libxl__json_object *libxl__json_object_alloc(libxl__gc *gc,
                                             libxl__json_node_type type);
void libxl__json_array_append(libxl__gc *gc, libxl__json_object *array,
                              libxl__json_object *obj);
void libxl__json_map_add(libxl__gc *gc, libxl__json_object *map,
                         const char *key, libxl__json_object *obj);
/* Frees a tree built with NOGC. */
void libxl__json_object_free(libxl__gc *gc, libxl__json_object *obj);

/* Parses s into a tree allocated from gc; NULL (error logged) if s is
 * not JSON. */
libxl__json_object *libxl__json_parse(libxl__gc *gc, const char *s);
yajl_status libxl__json_object_to_yajl_gen(libxl__gc *gc, yajl_gen hand,
                                           const libxl__json_object *obj);
/* The tree as (beautified) JSON text from gc. */
char *libxl__json_object_to_json(libxl__gc *gc,
                                 const libxl__json_object *obj);

/*
 * JSON of libxl types: helpers of the generated code.
 */
yajl_gen_status libxl__yajl_gen_asciiz(yajl_gen hand, const char *str);
/* str, or null for an enum value without a name. */
yajl_gen_status libxl__yajl_gen_enum(yajl_gen hand, const char *str);
yajl_gen_status libxl__string_gen_json(yajl_gen hand, const char *p);

typedef yajl_gen_status (*libxl__gen_json_callback)(yajl_gen hand, void *);
/* JSON text of p (malloc'd), NULL with an error logged on failure. */
char *libxl__object_to_json(libxl_ctx *ctx, const char *type,
                            libxl__gen_json_callback gen, void *p);

typedef int (*libxl__json_parse_callback)(libxl__gc *gc,
                                          const libxl__json_object *o,
                                          void *p);
/* Parses s and fills p with parse; 0 or ERROR_FAIL (logged). */
int libxl__object_from_json(libxl_ctx *ctx, const char *type,
                            libxl__json_parse_callback parse, void *p,
                            const char *s);

/* Parsers of the builtin types: 0, or ERROR_FAIL if o does not fit. */
int libxl__bool_parse_json(libxl__gc *gc, const libxl__json_object *o,
                           bool *p);
int libxl__int_parse_json(libxl__gc *gc, const libxl__json_object *o,
                          int *p);
int libxl__uint8_parse_json(libxl__gc *gc, const libxl__json_object *o,
                            uint8_t *p);
int libxl__uint16_parse_json(libxl__gc *gc, const libxl__json_object *o,
                             uint16_t *p);
int libxl__uint32_parse_json(libxl__gc *gc, const libxl__json_object *o,
                             uint32_t *p);
int libxl__uint64_parse_json(libxl__gc *gc, const libxl__json_object *o,
                             uint64_t *p);
int libxl__string_parse_json(libxl__gc *gc, const libxl__json_object *o,
                             char **p);
int libxl__defbool_parse_json(libxl__gc *gc, const libxl__json_object *o,
                              libxl_defbool *p);
int libxl__uuid_parse_json(libxl__gc *gc, const libxl__json_object *o,
                           libxl_uuid *p);
int libxl__mac_parse_json(libxl__gc *gc, const libxl__json_object *o,
                          libxl_mac *p);
int libxl__bitmap_parse_json(libxl__gc *gc, const libxl__json_object *o,
                             libxl_bitmap *p);
int libxl__cpuid_policy_list_parse_json(libxl__gc *gc,
                                        const libxl__json_object *o,
                                        libxl_cpuid_policy_list *p);
int libxl__string_list_parse_json(libxl__gc *gc, const libxl__json_object *o,
                                  libxl_string_list *p);
int libxl__key_value_list_parse_json(libxl__gc *gc,
                                     const libxl__json_object *o,
                                     libxl_key_value_list *p);
int libxl__hwcap_parse_json(libxl__gc *gc, const libxl__json_object *o,
                            libxl_hwcap *p);
int libxl__ms_vm_genid_parse_json(libxl__gc *gc, const libxl__json_object *o,
                                  libxl_ms_vm_genid *p);

/* Largest bit index a bitmap read from JSON may have. */
#define LIBXL__BITMAP_JSON_MAX_BIT ((1 << 22) - 1)

#include "_libxl_types_private.h"

/*
 * The areas of the library each have their own internal header, which a
 * file includes when it uses the area (docs/design/libxl-internals.md):
 * libxl_sys.h, libxl_xshelp.h, libxl_exec.h, libxl_event_internal.h
 * (the runtime), libxl_domain.h, libxl_device.h, libxl_dm.h,
 * libxl_acpi.h, libxl_create.h.
 */

#endif /* LIBXL_INTERNAL_H */
