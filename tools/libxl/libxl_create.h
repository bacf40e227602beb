/*
 * libxl_create.h: domain creation (libxl_create.c), domain building
 * through libxenguest (libxl_dom.c) and consoles (libxl_console.c).
 * Included by libxl_internal.h.
 *
 * Creation is an ordered table of steps (libxl__create_steps), each with
 * an undo.  The sequence can start from a domain that already exists
 * (soft reset): steps marked LIBXL__CREATE_NEW_ONLY are then skipped and
 * so are their undos, so a failure never destroys that domain; the undos
 * of its xenstore skeleton and stored configuration leave them, so a
 * domain whose rebuild failed is still listed and destroyed by name.  A step
 * that fails has the undos of every step that ran (itself included, so
 * partial work goes too) run in reverse order.  Undos tolerate "already
 * gone".
 *
 * Fault injection: LIBXL_FAULT_INJECT=create:<step name> makes that step
 * fail (before it does anything) with an error naming it, whenever it
 * runs; rebuild:<step name> only when it runs for an existing domain (a
 * soft reset's rebuild).  The names are those of the table
 * (docs/design/create.md lists them).
 */
#ifndef LIBXL_CREATE_H
#define LIBXL_CREATE_H

#include <sys/time.h>

#include "libxl_internal.h"
#include "libxl_domain.h"

/* Makes the domain in the hypervisor (domain_create of the sys table)
 * with the domid as asked (c_info.domid): that one, which
 * must not have been destroyed recently (the domid history); a random
 * guest domid (RANDOM_DOMID, xl.conf's domid_policy="random"); or the
 * hypervisor's pick (INVALID_DOMID, or any other id that cannot name a
 * guest, 0 included, as upstream).  A picked domid that is in the
 * history is given back and another one tried, as upstream does. */
int libxl__domain_create_fresh(libxl__gc *gc, uint32_t asked,
                               struct xen_domctl_createdomain *create,
                               uint32_t *domid_r);

/* What the steps share. */
typedef struct libxl__create_state {
    libxl_domain_config *d_config;      /* defaulted (setdefault done) */
    const libxl_domain_config *saved;   /* the caller's, for the JSON */
    uint32_t domid;                     /* INVALID_DOMID until known */
    bool existing;                      /* the domain existed on entry */
    const libxl_asyncprogress_how *aop_console_how;

    /* Filled by the steps. */
    libxl__domain_lock *lock;
    const char *dom_path, *vm_path, *libxl_path;
    uint32_t store_domid, console_domid;
    int store_port, console_port;       /* -1 until allocated */
    uint64_t store_mfn, console_mfn;
    struct timeval start_time;          /* when the build began */
    bool console_reported;
    /* How many of backend/ and backend/console the console step made
     * in the console backend domain (0-2). */
    int console_new_parents;

    /* Soft reset (existing set): the device model state the new device
     * model loads (NULL: a fresh one), and the console tty that
     * xenconsoled gave the domain before (written back: xenconsoled
     * keeps the pty and does not publish it again). */
    const char *dm_restore_file;
    const char *console_tty;
} libxl__create_state;

#define LIBXL__CREATE_NEW_ONLY (1u << 0)   /* skipped for an existing domain */

typedef struct libxl__create_step {
    const char *name;
    int (*run)(libxl__gc *gc, libxl__create_state *cs);
    /* NULL: nothing to undo (what the step did goes with the domain). */
    void (*undo)(libxl__gc *gc, libxl__create_state *cs);
    unsigned int flags;
} libxl__create_step;

/* The table, ended by an entry with a NULL name. */
extern const libxl__create_step libxl__create_steps[];

/* Runs the steps on cs (cs->domid INVALID_DOMID for a new domain, else
 * cs->existing set); undoes on failure.  0 or the failing step's
 * ERROR_* (logged, naming the step).  trace, when not NULL, is called
 * with "run <step>", "skip <step>" and "undo <step>" (unit tests). */
int libxl__create_run(libxl__gc *gc, libxl__create_state *cs,
                      void (*trace)(const char *what, const char *step));

/*
 * Soft reset (libxl_soft_reset.c): its own table of steps, the rebuild
 * being create's table run for the existing domain.  A step that fails
 * has the undos of the steps that ran run in reverse order; nothing
 * undoes the pause (a failed reset leaves the domain paused).
 */
typedef struct libxl__soft_reset_state {
    uint32_t domid;
    libxl_domain_config *d_config;      /* defaulted */
    const libxl_domain_config *saved;   /* the caller's, stored again */
    const libxl_asyncprogress_how *aop_console_how;
    /* create's trace, for unit tests (NULL: none). */
    void (*create_trace)(const char *what, const char *step);

    /* Filled by the steps. */
    libxl__domain_lock *lock;
    bool paused;                        /* the sequence's own pause */
    const char *console_tty;
    char **emu_data;                    /* key, value, ..., NULL */
    int emu_n, emu_room;
    const char *dm_state_file;          /* NULL once handed over */
    const char *failed_step;
    /* the time of each step that ran (steps_run of them) and in all */
    long step_ms[16], total_ms;
    int steps_run;
    /* the domain's record before this reset (the rebuild rewrites
     * /libxl/DOMID, the record with it) */
    uint64_t prev_done, prev_failed;
} libxl__soft_reset_state;

typedef struct libxl__soft_reset_step {
    const char *name;
    int (*run)(libxl__gc *gc, libxl__soft_reset_state *srs);
    void (*undo)(libxl__gc *gc, libxl__soft_reset_state *srs);
} libxl__soft_reset_step;

/* The table, ended by an entry with a NULL name (at most 15 steps). */
extern const libxl__soft_reset_step libxl__soft_reset_steps[];

/* Runs the steps on srs; 0 or the failing step's ERROR_* (logged;
 * srs->failed_step names it).  trace as for libxl__create_run. */
int libxl__soft_reset_run(libxl__gc *gc, libxl__soft_reset_state *srs,
                          void (*trace)(const char *what, const char *step));

/* Whether LIBXL_FAULT_INJECT names "<area>:<step>" (a comma-separated
 * list is accepted). */
bool libxl__fault_injected(const char *area, const char *step);

/* A test seam for what a failure cannot show (a process killed in the
 * middle): when LIBXL_TEST_HOLD names "<area>:<step>", the step is
 * preceded by an ERROR line saying so and LIBXL_TEST_HOLD_S seconds of
 * sleep, time for a test to kill the process there.  Areas: softreset,
 * create (a new domain's steps), rebuild (create's steps run by a soft
 * reset). */
#define LIBXL_TEST_HOLD_S 120
void libxl__test_hold(libxl__gc *gc, uint32_t domid, const char *area,
                      const char *step);

/*
 * Defaults (libxl_create.c), as upstream's libxl__domain_config_setdefault:
 * fills c_info and b_info in place.  0 or ERROR_INVAL (logged).
 */
int libxl__domain_config_setdefault(libxl__gc *gc,
                                    libxl_domain_config *d_config,
                                    uint32_t domid /* for logging */);
/* Paging (shadow/HAP) pool size in KiB upstream picks by default. */
unsigned long libxl__get_required_paging_memory(unsigned long maxmem_kb,
                                                unsigned int smp_cpus,
                                                libxl_domain_type type,
                                                bool hap);
/* Extra memory Xen gets above the target (upstream's
 * LIBXL_MAXMEM_CONSTANT, KiB). */
#define LIBXL_MAXMEM_CONSTANT 1024

/*
 * What creation calls besides the sys table: domain building through
 * libxenguest, a few domctls, and the devices and device model areas.
 * libxl__create_xc_real is the real one (TUN->create_xc); unit tests
 * point TUN at fakes.
 */
typedef struct libxl__create_xc_ops {
    int (*physinfo)(libxl__gc *gc, xc_physinfo_t *info);
    /* Everything a new domain needs from the hypervisor besides what
     * the sys table offers: tsc mode, time offset, paging pool, PV
     * memmap limit.  0 or ERROR_* (logged). */
    int (*arch_setup)(libxl__gc *gc, libxl__create_state *cs);
    /* Builds the image (libxenguest) and sets cs->store_mfn and
     * cs->console_mfn.  0 or ERROR_* (logged). */
    int (*build)(libxl__gc *gc, libxl__create_state *cs);
    /* The other areas' parts: libxl__devices_add (libxl_device.h) and
     * libxl__dm_spawn_restore (libxl_dm.h; restore_file NULL for a
     * fresh device model). */
    int (*devices_add)(libxl__gc *gc, uint32_t domid,
                       libxl_domain_config *d_config);
    int (*dm_spawn)(libxl__gc *gc, uint32_t domid,
                    libxl_domain_config *d_config,
                    const char *restore_file);
} libxl__create_xc_ops;

extern const libxl__create_xc_ops libxl__create_xc_real;

/* libxl_dom.c: the real ops. */
int libxl__build_physinfo(libxl__gc *gc, xc_physinfo_t *info);
int libxl__build_arch_setup(libxl__gc *gc, libxl__create_state *cs);
int libxl__build_image(libxl__gc *gc, libxl__create_state *cs);
/* The guest's memory map for PVH and HVM (libxl_dom.c): low RAM, the
 * reserved device memory, PVH's special pages, ACPI modules (NVS), high
 * RAM; in gc memory. */
struct xc_dom_image;
struct e820entry;
int libxl__memory_map_build(libxl__gc *gc, uint32_t domid,
                            const libxl_domain_config *d_config,
                            const struct xc_dom_image *dom,
                            struct e820entry **map_out, unsigned int *nr_out);
/* Firmware paths (a test may point them elsewhere). */

/*
 * Consoles (libxl_console.c).
 */
/* Writes the primary PV console's frontend nodes for xenconsoled
 * (<dompath>/console/...) within t. */
int libxl__console_primary_write(libxl__gc *gc, libxl__create_state *cs,
                                 xs_transaction_t t);
/* Removes the console backends of domid under backend_domid, and up
 * to parents (0-2) of the directories above them (backend/console,
 * backend/) if this leaves them empty: the undo of a create takes away
 * only the shared parents that its console step brought. */
void libxl__console_backend_remove(libxl__gc *gc, uint32_t backend_domid,
                                   uint32_t domid, int parents);
/* The xenstore path of a console's tty node. */
int libxl__console_tty_path(libxl__gc *gc, uint32_t domid, int cons_num,
                            libxl_console_type type, char **tty_path);

#endif /* LIBXL_CREATE_H */
