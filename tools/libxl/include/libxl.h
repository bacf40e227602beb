/*
 * libxl.h: the public interface of libxenlight, this toolstack's library
 * for managing Xen domains.
 *
 * Source compatible with upstream Xen 4.17's libxl.h for what it
 * implements: same names, signatures, type layouts, error codes and
 * LIBXL_HAVE_* macros.  The types themselves are generated from
 * libxl_types.idl into _libxl_types.h; for every generated struct
 * libxl_<type> there are
 *
 *   void libxl_<type>_init(libxl_<type> *p);       fill with defaults
 *   void libxl_<type>_dispose(libxl_<type> *p);    free what p owns
 *   void libxl_<type>_copy(libxl_ctx *ctx, libxl_<type> *dst,
 *                          const libxl_<type> *src);  deep copy
 *   char *libxl_<type>_to_json(libxl_ctx *ctx, libxl_<type> *p);
 *       JSON text (caller frees), NULL on failure
 *   int libxl_<type>_from_json(libxl_ctx *ctx, libxl_<type> *p,
 *                              const char *s);
 *       inits p then fills it from s; on failure p still needs dispose
 *
 * and, for a struct with a keyed union such as domain_build_info's u
 * selected by its type field, libxl_<type>_init_<key>(p, key) selects
 * the member and sets its defaults (call once, after _init).  For every
 * enumeration libxl_<enum> there are libxl_<enum>_to_string (NULL for
 * unknown values), libxl_<enum>_from_string (case-insensitive; 0 or
 * ERROR_FAIL) and libxl_<enum>_string_table.
 *
 * The ctx rule: a caller may not have a context at all (`xl -N` builds
 * a configuration on a host without Xen).  Every function that only
 * manipulates data accepts ctx == NULL: all the functions above, the
 * bitmap, uuid, mac, defbool, string_list and key_value_list helpers,
 * libxl_bitmap_alloc, and libxl_cpu_bitmap_alloc/libxl_node_bitmap_alloc
 * given an explicit size.  With a NULL ctx their rare error messages go
 * to stderr.  Functions that talk to Xen need a ctx.
 */
#ifndef LIBXL_H
#define LIBXL_H

#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>   /* pid_t */

#include <xentoollog.h>
#include <xen_list.h>

typedef struct libxl__ctx libxl_ctx;

#include "libxl_uuid.h"

/*
 * API compatibility: a caller may ask for the interface of an older
 * release by defining LIBXL_API_VERSION to one of these before
 * including this file.
 */
#ifdef LIBXL_API_VERSION
#if LIBXL_API_VERSION != 0x040200 && LIBXL_API_VERSION != 0x040300 && \
    LIBXL_API_VERSION != 0x040400 && LIBXL_API_VERSION != 0x040500 && \
    LIBXL_API_VERSION != 0x040700 && LIBXL_API_VERSION != 0x040800 && \
    LIBXL_API_VERSION != 0x041300 && LIBXL_API_VERSION != 0x041400
#error Unknown LIBXL_API_VERSION
#endif
#endif

/*
 * Feature macros.  Each tells a caller that a field, value or function
 * of upstream libxl of that name exists here.
 */
/* on_soft_reset, LIBXL_SHUTDOWN_REASON_SOFT_RESET and
 * LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET */
#define LIBXL_HAVE_SOFT_RESET 1
#define LIBXL_HAVE_BUILDINFO_VCPU_AFFINITY_ARRAYS 1
#define LIBXL_HAVE_BUILDINFO_VKB_DEVICE 1
#define LIBXL_HAVE_BUILDINFO_USBDEVICE_LIST 1
#define LIBXL_HAVE_BUILDINFO_USBVERSION 1
#define LIBXL_HAVE_DEVICE_BACKEND_DOMNAME 1
#define LIBXL_HAVE_DOMINFO_OUTSTANDING_MEMKB 1
#define LIBXL_HAVE_DOMINFO_NEVER_STOP 1
#define LIBXL_HAVE_DOMINFO_GPADDR_BITS 1
#define LIBXL_HAVE_QXL 1
#define LIBXL_HAVE_SPICE_VDAGENT 1
#define LIBXL_HAVE_SPICE_USBREDIREDIRECTION 1
#define LIBXL_HAVE_SPICE_IMAGECOMPRESSION 1
#define LIBXL_HAVE_SPICE_STREAMINGVIDEO 1
#define LIBXL_HAVE_HVM_HDTYPE 1
#define LIBXL_HAVE_BUILDINFO_KERNEL 1
#define LIBXL_HAVE_BUILDINFO_DEVICE_MODEL_STUBDOMAIN 1
#define LIBXL_HAVE_DEVICE_CHANNEL 1
#define LIBXL_HAVE_UUID_COPY_CTX_PARAM 1
#define LIBXL_HAVE_SSID_LABEL 1
#define LIBXL_HAVE_CPUPOOL_NAME 1
#define LIBXL_HAVE_BUILDINFO_SERIAL_LIST 1
#define LIBXL_HAVE_ALTP2M 1
#define LIBXL_HAVE_GFX_PASSTHRU_KIND
#define LIBXL_HAVE_BUILDINFO_HVM_SYSTEM_FIRMWARE
#define LIBXL_HAVE_VGA_INTERFACE_TYPE_UNKNOWN 1
#define LIBXL_HAVE_BYTEARRAY_UUID 1
#define LIBXL_HAVE_MEMKB_64BITS 1
#define LIBXL_HAVE_QED 1
#define LIBXL_HAVE_PV_SHIM 1
#define LIBXL_HAVE_PVCALLS 1
#define LIBXL_HAVE_CREATEINFO_DOMID 1
#define LIBXL_HAVE_CREATEINFO_XEND_SUSPEND_EVTCHN_COMPAT 1
#define LIBXL_HAVE_CREATEINFO_PASSTHROUGH 1
#define LIBXL_HAVE_CONST_COPY_AND_LENGTH_FUNCTIONS 1
#define LIBXL_HAVE_BITMAP_AND_OR 1
#define LIBXL_HAVE_VNUMA 1
#define LIBXL_HAVE_BUILDINFO_HVM_VENDOR_DEVICE 1
#define LIBXL_HAVE_BUILDINFO_EVENT_CHANNELS 1
#define LIBXL_HAVE_BUILDINFO_HVM_MS_VM_GENID 1
#define LIBXL_HAVE_DEVICE_DISK_DIRECT_IO_SAFE 1
#define LIBXL_HAVE_LIBXL_DEVICE_DISK_DISCARD_ENABLE 1
#define LIBXL_HAVE_BUILDINFO_IOMEM_START_GFN 1
#define LIBXL_HAVE_BUILDINFO_HVM_VIRIDIAN_ENABLE_DISABLE 1
#define LIBXL_BUILDINFO_HVM_VIRIDIAN_ENABLE_DISABLE_WIDTH 64
#define LIBXL_HAVE_BUILDINFO_HVM_MMIO_HOLE_MEMKB 1
#define LIBXL_HAVE_ERROR_DOMAIN_NOTFOUND 1
#define LIBXL_HAVE_DEVICETREE_PASSTHROUGH 1
#define LIBXL_HAVE_DEVICE_MODEL_USER 1
#define LIBXL_HAVE_BUILDINFO_ARM_GIC_VERSION 1
#define LIBXL_HAVE_BUILDINFO_ARCH_ARM_TEE 1
#define LIBXL_HAVE_APIC_ASSIST 1
#define LIBXL_HAVE_VIRIDIAN_CRASH_CTL 1
#define LIBXL_HAVE_VIRIDIAN_SYNIC 1
#define LIBXL_HAVE_VIRIDIAN_STIMER 1
#define LIBXL_HAVE_VIRIDIAN_HCALL_IPI 1
#define LIBXL_HAVE_VIRIDIAN_EX_PROCESSOR_MASKS 1
#define LIBXL_HAVE_VIRIDIAN_NO_VP_LIMIT 1
#define LIBXL_HAVE_VIRIDIAN_CPU_HOTPLUG 1
#define LIBXL_HAVE_BUILDINFO_HVM_ACPI_LAPTOP_SLATE 1
#define LIBXL_HAVE_P9S 1
#define LIBXL_HAVE_BUILDINFO_ARM_VUART 1
#define LIBXL_HAVE_BUILDINFO_GRANT_LIMITS 1
#define LIBXL_HAVE_BUILDINFO_GRANT_DEFAULT 1
#define LIBXL_HAVE_BUILDINFO_TIMER_MODE 1
#define LIBXL_HAVE_BUILDINFO_APIC 1
#define LIBXL_HAVE_BUILDINFO_NESTED_HVM 1
#define LIBXL_HAVE_BUILDINFO_BOOTLOADER 1
#define LIBXL_HAVE_BUILDINFO_BOOTLOADER_ARGS 1
#define LIBXL_HAVE_EXTENDED_VKB 1
#define LIBXL_HAVE_BUILDINFO_IOMMU_MEMKB 1
#define LIBXL_HAVE_DEVICE_PCI_NAME 1
#define LIBXL_HAVE_DEVICE_PCI_SEIZE 1
#define LIBXL_HAVE_VMTRACE_BUF_KB 1
#define LIBXL_HAVE_X86_MSR_RELAXED 1
#define LIBXL_HAVE_VPMU 1
#define LIBXL_HAVE_MAX_GRANT_VERSION 1
#define LIBXL_HAVE_DISK_TRUSTED 1
#define LIBXL_HAVE_NIC_TRUSTED 1
#define LIBXL_HAVE_DEVICE_DISK_SPECIFICATION 1
#define LIBXL_HAVE_CHECKPOINTED_STREAM 1
#define LIBXL_HAVE_SCHED_RTDS 1
#define LIBXL_HAVE_SCHED_NULL 1
#if defined(__i386__) || defined(__x86_64__)
#define LIBXL_HAVE_MCA_CAPS 1
#endif

/* Internal: for functions which libxl itself must not call. */
#ifndef LIBXL_EXTERNAL_CALLERS_ONLY
#define LIBXL_EXTERNAL_CALLERS_ONLY
#endif

/*
 * Builtin types (the generated types are made of these).
 */

typedef uint8_t libxl_mac[6];
#define LIBXL_MAC_FMT "%02hhx:%02hhx:%02hhx:%02hhx:%02hhx:%02hhx"
#define LIBXL_MAC_FMTLEN ((2 * 6) + 5)   /* 6 hex bytes and 5 colons */
#define LIBXL_MAC_BYTES(mac) mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]
void libxl_mac_copy(libxl_ctx *ctx, libxl_mac *dst, const libxl_mac *src);

/* A NULL-terminated array of strings; NULL is the empty list. */
typedef char **libxl_string_list;
void libxl_string_list_dispose(libxl_string_list *sl);
int libxl_string_list_length(const libxl_string_list *sl);
void libxl_string_list_copy(libxl_ctx *ctx, libxl_string_list *dst,
                            const libxl_string_list *src);

/* A NULL-terminated array of key, value, key, value ... (a value may be
 * NULL); NULL is the empty list. */
typedef char **libxl_key_value_list;
void libxl_key_value_list_dispose(libxl_key_value_list *kvl);
int libxl_key_value_list_length(const libxl_key_value_list *kvl);
void libxl_key_value_list_copy(libxl_ctx *ctx, libxl_key_value_list *dst,
                               const libxl_key_value_list *src);

typedef uint32_t libxl_hwcap[8];
void libxl_hwcap_copy(libxl_ctx *ctx, libxl_hwcap *dst,
                      const libxl_hwcap *src);

typedef uint64_t libxl_ev_user;

/* A bitmap of size * 8 bits (see libxl_utils.h for its operations). */
typedef struct {
    uint32_t size;          /* bytes in map */
    uint8_t *map;
} libxl_bitmap;
void libxl_bitmap_init(libxl_bitmap *map);
void libxl_bitmap_dispose(libxl_bitmap *map);

/* CPUID and MSR overrides (xl.cfg cpuid=); opaque. */
struct libxl__cpu_policy;
typedef struct libxl__cpu_policy *libxl_cpuid_policy_list;
void libxl_cpuid_dispose(libxl_cpuid_policy_list *cpuid_list);
int libxl_cpuid_policy_list_length(const libxl_cpuid_policy_list *l);
void libxl_cpuid_policy_list_copy(libxl_ctx *ctx,
                                  libxl_cpuid_policy_list *dst,
                                  const libxl_cpuid_policy_list *src);
/* One item of xl.cfg's cpuid= ("name=value" or xend's "leaf:eax=..."),
 * added to *cpuid (allocated if NULL); 0 or a positive code saying what
 * is wrong (see libxl_cpuid_parse.c).  No ctx needed. */
int libxl_cpuid_parse_config(libxl_cpuid_policy_list *cpuid, const char *str);
int libxl_cpuid_parse_config_xend(libxl_cpuid_policy_list *cpuid,
                                  const char *str);

typedef uint32_t libxl_domid;
typedef int libxl_devid;

#define INVALID_DOMID ~0
#define RANDOM_DOMID (INVALID_DOMID - 1)

/* Whether domid can name a guest: neither dom0 nor a reserved id
 * (DOMID_FIRST_RESERVED and up, INVALID_DOMID and RANDOM_DOMID too). */
static inline bool libxl_domid_valid_guest(uint32_t domid)
{
    return domid > 0 && domid < 0x7FF0U /* DOMID_FIRST_RESERVED */;
}

/* Value <-> name of an enumeration, ended by { NULL, -1 }. */
typedef struct {
    const char *s;
    int v;
} libxl_enum_string_table;

struct libxl_event;
typedef XEN_TAILQ_ENTRY(struct libxl_event) libxl_ev_link;

/*
 * A boolean with a third state, "default": libxl chooses the value
 * unless the caller did.  Zero-initialised is default.
 */
typedef struct {
    int val;
} libxl_defbool;

void libxl_defbool_set(libxl_defbool *db, bool b);
void libxl_defbool_unset(libxl_defbool *db);              /* to default */
void libxl_defbool_setdefault(libxl_defbool *db, bool b); /* if default */
bool libxl_defbool_is_default(libxl_defbool db);
bool libxl_defbool_val(libxl_defbool db);    /* db must not be default */
const char *libxl_defbool_to_string(libxl_defbool b);

#define LIBXL_TIMER_MODE_DEFAULT -1
#define LIBXL_MEMKB_DEFAULT ~0ULL
#define LIBXL_MAX_GRANT_DEFAULT (~(uint32_t)0)
#define LIBXL_MAX_GRANT_FRAMES_DEFAULT 32         /* deprecated */
#define LIBXL_MAX_MAPTRACK_FRAMES_DEFAULT 1024    /* deprecated */
#define LIBXL_RDM_MEM_BOUNDARY_MEMKB_DEFAULT (2048 * 1024)

#define LIBXL_DOMAIN_SCHED_PARAM_WEIGHT_DEFAULT    -1
#define LIBXL_DOMAIN_SCHED_PARAM_CAP_DEFAULT       -1
#define LIBXL_DOMAIN_SCHED_PARAM_PERIOD_DEFAULT    -1
#define LIBXL_DOMAIN_SCHED_PARAM_SLICE_DEFAULT     -1
#define LIBXL_DOMAIN_SCHED_PARAM_LATENCY_DEFAULT   -1
#define LIBXL_DOMAIN_SCHED_PARAM_EXTRATIME_DEFAULT -1
#define LIBXL_DOMAIN_SCHED_PARAM_BUDGET_DEFAULT    -1
#define LIBXL_SCHED_PARAM_VCPU_INDEX_DEFAULT       -1

#define LIBXL_MS_VM_GENID_LEN 16
typedef struct {
    uint8_t bytes[LIBXL_MS_VM_GENID_LEN];
} libxl_ms_vm_genid;
/* A fresh random (non-zero) id; ctx may be NULL. */
int libxl_ms_vm_genid_generate(libxl_ctx *ctx, libxl_ms_vm_genid *id);
bool libxl_ms_vm_genid_is_zero(const libxl_ms_vm_genid *id);
void libxl_ms_vm_genid_copy(libxl_ctx *ctx, libxl_ms_vm_genid *dst,
                            const libxl_ms_vm_genid *src);

#include "_libxl_types.h"

/* Compatibility names of error codes renamed after 4.5. */
#if defined(LIBXL_API_VERSION) && LIBXL_API_VERSION >= 0x040500 \
                               && LIBXL_API_VERSION < 0x040700
#define ERROR_REMUS_DEVOPS_DOES_NOT_MATCH \
        ERROR_CHECKPOINT_DEVOPS_DOES_NOT_MATCH
#define ERROR_REMUS_DEVICE_NOT_SUPPORTED \
        ERROR_CHECKPOINT_DEVICE_NOT_SUPPORTED
#endif

/*
 * Asynchronous operations.  A long-running function takes a
 * const libxl_asyncop_how *ao_how:
 *  - NULL: the call blocks until the operation is done and returns its
 *    result;
 *  - callback set: the call returns 0 at once (or an error) and
 *    callback(ctx, rc, u.for_callback) runs when the operation ends;
 *  - callback NULL: as above but completion is reported as a
 *    LIBXL_EVENT_TYPE_OPERATION_COMPLETE event with for_user
 *    u.for_event.
 */
typedef struct {
    void (*callback)(libxl_ctx *ctx, int rc, void *for_callback);
    union {
        libxl_ev_user for_event;      /* when callback is NULL */
        void *for_callback;           /* given to callback */
    } u;
} libxl_asyncop_how;

/*
 * Progress reports of an asynchronous operation: events delivered to
 * callback if set, otherwise queued with for_user == for_event.
 */
typedef struct {
    void (*callback)(libxl_ctx *ctx, libxl_event *, void *for_callback);
    libxl_ev_user for_event;
    void *for_callback;
} libxl_asyncprogress_how;

#define LIBXL_VERSION 0

/*
 * Context.  libxl_ctx_alloc opens the connections to the hypervisor and
 * to xenstore; on a host that is not a Xen dom0 it logs one line saying
 * so through lg and returns ERROR_FAIL.  flags: none defined, pass 0.
 * lg must outlive the context.
 */
int libxl_ctx_alloc(libxl_ctx **pctx, int version, unsigned flags,
                    xentoollog_logger *lg);
int libxl_ctx_free(libxl_ctx *ctx /* NULL is OK */);

#include "libxl_event.h"

/*
 * Domain creation (libxl_create.c).  The caller's d_config gets the
 * defaults filled in (as upstream); *domid is the new domain's.  The
 * domain is left PAUSED: unpause it with libxl_domain_unpause (xl does,
 * unless -p).  On failure nothing of the domain is left (no domain,
 * xenstore node, process or file) and *domid is INVALID_DOMID.
 * aop_console_how reports LIBXL_EVENT_TYPE_DOMAIN_CREATE_CONSOLE_AVAILABLE
 * once the console can be attached.
 */
int libxl_domain_create_new(libxl_ctx *ctx, libxl_domain_config *d_config,
                            uint32_t *domid,
                            const libxl_asyncop_how *ao_how,
                            const libxl_asyncprogress_how *aop_console_how)
                            LIBXL_EXTERNAL_CALLERS_ONLY;
/* Not implemented yet: ERROR_NI. */
int libxl_domain_create_restore(libxl_ctx *ctx, libxl_domain_config *d_config,
                                uint32_t *domid, int restore_fd,
                                int send_back_fd,
                                const libxl_domain_restore_params *params,
                                const libxl_asyncop_how *ao_how,
                                const libxl_asyncprogress_how *aop_console_how)
                                LIBXL_EXTERNAL_CALLERS_ONLY;

/*
 * Soft reset of a domain that shut down with reason soft_reset (its
 * kernel kexecs or kdumps): everything around it (xenstore, backends,
 * console, device model) is torn down and rebuilt for the same domid,
 * keeping its memory and vCPU state.  d_config: the domain's
 * configuration (what libxl_domain_create_new was given, or what
 * libxl_retrieve_domain_configuration returns).  HVM and PVH domains.
 * On success the domain is left PAUSED: the caller unpauses it.  On
 * failure the domain is kept, paused, with the step that failed logged;
 * libxl_domain_destroy removes it and what is left of its devices.
 */
int libxl_domain_soft_reset(libxl_ctx *ctx,
                            libxl_domain_config *d_config,
                            uint32_t domid,
                            const libxl_asyncop_how *ao_how,
                            const libxl_asyncprogress_how *aop_console_how)
                            LIBXL_EXTERNAL_CALLERS_ONLY;

/*
 * Ours, not upstream's: the soft resets libxl_domain_soft_reset did to a
 * domain since it was created (counts, and the last one's end, duration,
 * failed step if any, and the time of each step that ran).  All zero and
 * NULL for a domain never soft reset.  ERROR_DOMAIN_NOTFOUND when there
 * is no such domain.  info_r: initialised by the caller
 * (libxl_soft_reset_info_init), disposed by the caller.
 */
#define LIBXL_HAVE_SOFT_RESET_INFO 1
int libxl_domain_soft_reset_info(libxl_ctx *ctx, uint32_t domid,
                                 libxl_soft_reset_info *info_r);

/*
 * Consoles (libxl_console.c).  get_tty: the pty of a console (*path
 * malloc'd).  exec: replaces the process with xenconsole attached to
 * it (returns only on failure); notify_fd, if >= 0, is written to once
 * the console is connected.  The primary console is the emulated
 * serial port for HVM, the PV console otherwise.
 */
int libxl_console_get_tty(libxl_ctx *ctx, uint32_t domid, int cons_num,
                          libxl_console_type type, char **path);
int libxl_primary_console_get_tty(libxl_ctx *ctx, uint32_t domid_vm,
                                  char **path);
int libxl_console_exec(libxl_ctx *ctx, uint32_t domid, int cons_num,
                       libxl_console_type type, int notify_fd,
                       char *escape_character);
int libxl_primary_console_exec(libxl_ctx *ctx, uint32_t domid_vm,
                               int notify_fd, char *escape_character);

/*
 * Domains (libxl_domain.c).  Operations on an existing domain take its
 * lock (so two toolstack processes never act on one domain at once)
 * and, given an ao_how, complete as libxl_asyncop_how says.
 */

/* Every domain, in domid order (*nb_domain_out of them); NULL on
 * failure.  Free with libxl_dominfo_list_free. */
libxl_dominfo *libxl_list_domain(libxl_ctx *ctx, int *nb_domain_out);
void libxl_dominfo_list_free(libxl_dominfo *list, int nb_domain);

/* 0 and *info_r (init'd here; may be NULL to test existence), or
 * ERROR_DOMAIN_NOTFOUND, or ERROR_FAIL. */
int libxl_domain_info(libxl_ctx *ctx, libxl_dominfo *info_r,
                      uint32_t domid);

int libxl_domain_pause(libxl_ctx *ctx, uint32_t domid,
                       const libxl_asyncop_how *ao_how)
                       LIBXL_EXTERNAL_CALLERS_ONLY;
int libxl_domain_unpause(libxl_ctx *ctx, uint32_t domid,
                         const libxl_asyncop_how *ao_how)
                         LIBXL_EXTERNAL_CALLERS_ONLY;
#if defined(LIBXL_API_VERSION) && LIBXL_API_VERSION < 0x041300
static inline int libxl_domain_pause_0x041200(libxl_ctx *ctx,
                                              uint32_t domid)
{
    return libxl_domain_pause(ctx, domid, NULL);
}
static inline int libxl_domain_unpause_0x041200(libxl_ctx *ctx,
                                                uint32_t domid)
{
    return libxl_domain_unpause(ctx, domid, NULL);
}
#define libxl_domain_pause libxl_domain_pause_0x041200
#define libxl_domain_unpause libxl_domain_unpause_0x041200
#endif

/* old_name NULL: whatever the domain is called now; otherwise it must
 * be called that.  A non-empty new_name must not be another domain's. */
int libxl_domain_rename(libxl_ctx *ctx, uint32_t domid,
                        const char *old_name, const char *new_name);

/* Asks the guest, through xenstore control/shutdown, to power off or
 * reboot, and waits (60 s at most) for it to take the request.  A guest
 * without PV control (HVM without PV drivers) gives ERROR_NOPARAVIRT:
 * libxl_send_trigger(LIBXL_TRIGGER_POWER) is then the way (xl -F). */
int libxl_domain_shutdown(libxl_ctx *ctx, uint32_t domid,
                          const libxl_asyncop_how *ao_how)
                          LIBXL_EXTERNAL_CALLERS_ONLY;
int libxl_domain_reboot(libxl_ctx *ctx, uint32_t domid,
                        const libxl_asyncop_how *ao_how)
                        LIBXL_EXTERNAL_CALLERS_ONLY;
#if defined(LIBXL_API_VERSION) && LIBXL_API_VERSION < 0x041300
static inline int libxl_domain_shutdown_0x041200(libxl_ctx *ctx,
                                                 uint32_t domid)
{
    return libxl_domain_shutdown(ctx, domid, NULL);
}
#define libxl_domain_shutdown libxl_domain_shutdown_0x041200
static inline int libxl_domain_reboot_0x041200(libxl_ctx *ctx,
                                               uint32_t domid)
{
    return libxl_domain_reboot(ctx, domid, NULL);
}
#define libxl_domain_reboot libxl_domain_reboot_0x041200
#endif

int libxl_send_trigger(libxl_ctx *ctx, uint32_t domid,
                       libxl_trigger trigger, uint32_t vcpuid,
                       const libxl_asyncop_how *ao_how)
                       LIBXL_EXTERNAL_CALLERS_ONLY;
#if defined(LIBXL_API_VERSION) && LIBXL_API_VERSION < 0x041300
static inline int libxl_send_trigger_0x041200(libxl_ctx *ctx, uint32_t domid,
                                              libxl_trigger trigger,
                                              uint32_t vcpuid)
{
    return libxl_send_trigger(ctx, domid, trigger, vcpuid, NULL);
}
#define libxl_send_trigger libxl_send_trigger_0x041200
#endif

/* Writes the domain's memory and state to an ELF core file. */
int libxl_domain_core_dump(libxl_ctx *ctx, uint32_t domid,
                           const char *filename,
                           const libxl_asyncop_how *ao_how)
                           LIBXL_EXTERNAL_CALLERS_ONLY;
#if defined(LIBXL_API_VERSION) && LIBXL_API_VERSION < 0x041300
static inline int libxl_domain_core_dump_0x041200(libxl_ctx *ctx,
                                                  uint32_t domid,
                                                  const char *filename)
{
    return libxl_domain_core_dump(ctx, domid, filename, NULL);
}
#define libxl_domain_core_dump libxl_domain_core_dump_0x041200
#endif

/* Seconds since the epoch when the domain was created (the integer part
 * of /vm/UUID/start_time); (uint32_t)-1 if unknown. */
uint32_t libxl_vm_get_start_time(libxl_ctx *ctx, uint32_t domid);

/* The scheduler of the host (a libxl_scheduler value), or ERROR_*. */
int libxl_get_scheduler(libxl_ctx *ctx);

/*
 * The host and the hypervisor (libxl_info.c).
 */
#define LIBXL_HAVE_PHYSINFO_CAP_PV 1
#define LIBXL_HAVE_PHYSINFO_CAP_HAP_SHADOW 1
#define LIBXL_HAVE_PHYSINFO_CAP_IOMMU_HAP_PT_SHARE 1
#define LIBXL_HAVE_PHYSINFO_CAP_VMTRACE 1
#define LIBXL_HAVE_PHYSINFO_CAP_VPMU 1
#define LIBXL_HAVE_PHYSINFO_CAP_GNTTAB 1
/* physinfo must be init'd; the caller disposes it.  0 or ERROR_*. */
int libxl_get_physinfo(libxl_ctx *ctx, libxl_physinfo *physinfo)
                       LIBXL_EXTERNAL_CALLERS_ONLY;
/* Read once; valid until the ctx is freed.  NULL on failure. */
const libxl_version_info *libxl_get_version_info(libxl_ctx *ctx);
/* The highest number of CPUs the host may have, or ERROR_*. */
int libxl_get_max_cpus(libxl_ctx *ctx);
/* The CPUs in no cpupool.  cpumap must be init'd (or disposed): it is
 * replaced; the caller disposes it.  0 or ERROR_*. */
int libxl_get_freecpus(libxl_ctx *ctx, libxl_bitmap *cpumap)
                       LIBXL_EXTERNAL_CALLERS_ONLY;

/* An entry Xen does not know (no such CPU, node or distance). */
#define LIBXL_CPUTOPOLOGY_INVALID_ENTRY (~(uint32_t)0)
#define LIBXL_NUMAINFO_INVALID_ENTRY (~(uint32_t)0)
#define LIBXL_PCITOPOLOGY_INVALID_ENTRY (~(uint32_t)0)
/* Arrays of *nr entries (one per CPU, NUMA node or PCI device), freed
 * with the matching list_free; NULL on failure. */
libxl_cputopology *libxl_get_cpu_topology(libxl_ctx *ctx, int *nb_cpu_out)
                                          LIBXL_EXTERNAL_CALLERS_ONLY;
void libxl_cputopology_list_free(libxl_cputopology *list, int nb_cpu);
#define LIBXL_HAVE_PCITOPOLOGY 1
libxl_pcitopology *libxl_get_pci_topology(libxl_ctx *ctx, int *num_devs)
                                          LIBXL_EXTERNAL_CALLERS_ONLY;
void libxl_pcitopology_list_free(libxl_pcitopology *list, int num_devs);
libxl_numainfo *libxl_get_numainfo(libxl_ctx *ctx, int *nr)
                                   LIBXL_EXTERNAL_CALLERS_ONLY;
void libxl_numainfo_list_free(libxl_numainfo *list, int nr);

/* The scheduling parameters of the domain, from its cpupool's scheduler
 * (libxl_sched.c).  scinfo is init'd here; the caller disposes it. */
int libxl_domain_sched_params_get(libxl_ctx *ctx, uint32_t domid,
                                  libxl_domain_sched_params *scinfo)
                                  LIBXL_EXTERNAL_CALLERS_ONLY;
/* Sets the parameters of scinfo that are not *_DEFAULT, for the
 * scheduler of the domain's cpupool (scinfo->sched: that one or
 * LIBXL_SCHEDULER_UNKNOWN); create applies b_info.sched_params so. */
int libxl_domain_sched_params_set(libxl_ctx *ctx, uint32_t domid,
                                  const libxl_domain_sched_params *scinfo);

/* Destroys the domain and everything of it: device model, devices,
 * the domain itself, its xenstore nodes and userdata.  Its domid goes
 * into the domid history (libxl_clear_domid_history). */
int libxl_domain_destroy(libxl_ctx *ctx, uint32_t domid,
                         const libxl_asyncop_how *ao_how)
                         LIBXL_EXTERNAL_CALLERS_ONLY;

/* Forgets the domids destroyed recently, which creation otherwise
 * does not reuse for LIBXL_DOMID_REUSE_TIMEOUT (environment, default
 * 60) seconds.  For host start-up only: with domains running or other
 * toolstack processes at work, a new domain may get the domid of one
 * that is being torn down. */
int libxl_clear_domid_history(libxl_ctx *ctx);

/*
 * Userdata (libxl_userdata.c): data a toolstack keeps with a domain,
 * in /var/lib/xen/userdata-d.<domid>.<uuid>.<userdata_userid>, removed
 * when the domain is destroyed.  "libxl-json" is libxl's own (the
 * domain configuration) and "xl" is xl's.
 */
#define LIBXL_HAVE_USERDATA_UNLINK 1
/* datalen 0 removes the data. */
int libxl_userdata_store(libxl_ctx *ctx, uint32_t domid,
                         const char *userdata_userid,
                         const uint8_t *data, int datalen)
                         LIBXL_EXTERNAL_CALLERS_ONLY;
/* No data stored: 0 with *data_r NULL and *datalen_r 0.  *data_r is
 * malloc'd (caller frees). */
int libxl_userdata_retrieve(libxl_ctx *ctx, uint32_t domid,
                            const char *userdata_userid,
                            uint8_t **data_r, int *datalen_r)
                            LIBXL_EXTERNAL_CALLERS_ONLY;
int libxl_userdata_unlink(libxl_ctx *ctx, uint32_t domid,
                          const char *userdata_userid);

/* The configuration the domain was created with (the stored JSON; its
 * name as it is now).  d_config must be init'd; the caller disposes it.
 * ERROR_JSON_CONFIG_EMPTY if none is stored. */
#define LIBXL_HAVE_RETRIEVE_DOMAIN_CONFIGURATION 1
int libxl_retrieve_domain_configuration(libxl_ctx *ctx, uint32_t domid,
                                        libxl_domain_config *d_config,
                                        const libxl_asyncop_how *ao_how)
                                        LIBXL_EXTERNAL_CALLERS_ONLY;
#if defined(LIBXL_API_VERSION) && LIBXL_API_VERSION < 0x041300
static inline int libxl_retrieve_domain_configuration_0x041200(
    libxl_ctx *ctx, uint32_t domid, libxl_domain_config *d_config)
{
    return libxl_retrieve_domain_configuration(ctx, domid, d_config, NULL);
}
#define libxl_retrieve_domain_configuration \
    libxl_retrieve_domain_configuration_0x041200
#endif

/*
 * Disks and NICs (virtual block and network devices).
 *
 * add: defaults are filled into the caller's struct (devid, MAC ...);
 * returns when the backend waits for the guest's frontend and the
 * hotplug script has run.  remove: asks the backend (and the guest) to
 * close, bounded wait, then removes the device; destroy: the same, but
 * the device goes even if they do not answer.  list: what libxl
 * records for the domain, freed with the matching list_free.
 */
int libxl_device_disk_add(libxl_ctx *ctx, uint32_t domid,
                          libxl_device_disk *disk,
                          const libxl_asyncop_how *ao_how)
                          LIBXL_EXTERNAL_CALLERS_ONLY;
int libxl_device_disk_remove(libxl_ctx *ctx, uint32_t domid,
                             libxl_device_disk *disk,
                             const libxl_asyncop_how *ao_how)
                             LIBXL_EXTERNAL_CALLERS_ONLY;
int libxl_device_disk_destroy(libxl_ctx *ctx, uint32_t domid,
                              libxl_device_disk *disk,
                              const libxl_asyncop_how *ao_how)
                              LIBXL_EXTERNAL_CALLERS_ONLY;
libxl_device_disk *libxl_device_disk_list(libxl_ctx *ctx, uint32_t domid,
                                          int *num)
                                          LIBXL_EXTERNAL_CALLERS_ONLY;
void libxl_device_disk_list_free(libxl_device_disk *list, int num)
                                 LIBXL_EXTERNAL_CALLERS_ONLY;

int libxl_device_nic_add(libxl_ctx *ctx, uint32_t domid,
                         libxl_device_nic *nic,
                         const libxl_asyncop_how *ao_how)
                         LIBXL_EXTERNAL_CALLERS_ONLY;
int libxl_device_nic_remove(libxl_ctx *ctx, uint32_t domid,
                            libxl_device_nic *nic,
                            const libxl_asyncop_how *ao_how)
                            LIBXL_EXTERNAL_CALLERS_ONLY;
int libxl_device_nic_destroy(libxl_ctx *ctx, uint32_t domid,
                             libxl_device_nic *nic,
                             const libxl_asyncop_how *ao_how)
                             LIBXL_EXTERNAL_CALLERS_ONLY;
libxl_device_nic *libxl_device_nic_list(libxl_ctx *ctx, uint32_t domid,
                                        int *num)
                                        LIBXL_EXTERNAL_CALLERS_ONLY;
void libxl_device_nic_list_free(libxl_device_nic *list, int num)
                                LIBXL_EXTERNAL_CALLERS_ONLY;

#endif /* LIBXL_H */
