/*
 * pvh-probe: a freestanding PVH test guest that asks Xen for soft resets
 * and checks what survives them.  Shared declarations.
 */
#ifndef PROBE_H
#define PROBE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/io/xs_wire.h>

#define PAGE_SIZE 4096UL

/* ---- lib.c: output, strings, port I/O ---- */

static inline void outb(uint16_t port, uint8_t v)
{
    asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void cpu_relax(void)
{
    asm volatile("pause" ::: "memory");
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

#define barrier() asm volatile("" ::: "memory")
/* x86 is TSO: compiler barriers order ring accesses, mfence for safety. */
#define mb() asm volatile("mfence" ::: "memory")

size_t str_len(const char *s);
int str_cmp(const char *a, const char *b);
int str_ncmp(const char *a, const char *b, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int vfmt(char *buf, size_t size, const char *fmt, va_list ap);
int fmt(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool parse_uint(const char *s, size_t len, uint64_t *out);

/* One line to port 0xE9 (and the PV console ring once connected). */
void pr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_attach(void *ring, uint32_t evtchn);
void console_detach(void);

/* ---- xen.c: detection, hypercalls ---- */

struct xen_info {
    uint32_t base;          /* CPUID leaf base, 0x40000x00 */
    uint16_t major, minor;
    uint32_t msr;           /* hypercall page MSR */
    uint64_t tsc_khz;       /* 0 if Xen does not say */
    int domid;              /* -1 if CPUID does not report it */
};

long xen_hypercall(unsigned long nr, unsigned long a1, unsigned long a2,
                   unsigned long a3, unsigned long a4, unsigned long a5);
/* The same through vCPU 1's own hypercall page (ap=1). */
long xen_ap_hypercall(unsigned long nr, unsigned long a1, unsigned long a2,
                      unsigned long a3, unsigned long a4, unsigned long a5);
bool xen_detect(struct xen_info *xi);
bool xen_hypercall_page_init(const struct xen_info *xi);
bool xen_ap_hypercall_page_init(const struct xen_info *xi);
long xen_get_param(uint32_t index, uint64_t *value);
long xen_evtchn_send(uint32_t port);
long xen_evtchn_status(uint32_t port, uint32_t *status, uint32_t *remote);
long xen_shutdown(unsigned int reason);
/* SCHEDOP_watchdog: id 0 arms a new one (returns its id > 0). */
long xen_watchdog(uint32_t id, uint32_t timeout_s);
void xen_yield(void);
/* Block for ms milliseconds of Xen time: the hypercalls made, -1 if refused. */
long xen_sleep_ms(uint32_t ms);
long xen_ap_sleep_ms(uint32_t ms);      /* the same, for vCPU 1 */
long xen_vcpu_op(unsigned int cmd, uint32_t vcpu, void *arg);
uint64_t ms_to_tsc(uint64_t ms);

/* ---- xs.c: xenstore client over the shared ring, polling ---- */

struct xs_conn {
    struct xenstore_domain_interface *intf;
    uint32_t evtchn;
    uint32_t req_id;
    uint32_t timeout_ms;
    bool broken;            /* timed out or protocol error: stop using */
    unsigned int watch_events;
    char last_watch_path[128];
    char err[16];           /* last XS_ERROR string, e.g. "EACCES" */
};

bool xs_connect(struct xs_conn *xs, void *ring, uint32_t evtchn);
/* 0 on success, -1 with xs->err set ("EACCES", "TIMEOUT", ...). */
int xs_read(struct xs_conn *xs, const char *path, char *val, size_t size);
int xs_write(struct xs_conn *xs, const char *path, const char *val);
int xs_rm(struct xs_conn *xs, const char *path);
/* Pipelined writes: queue one (its id, 0 on error), then wait for it. */
uint32_t xs_send_write(struct xs_conn *xs, const char *path, const char *val);
int xs_wait_write(struct xs_conn *xs, uint32_t id);
int xs_watch(struct xs_conn *xs, const char *path, const char *token);
int xs_reset_watches(struct xs_conn *xs);
/*
 * Wait up to ms milliseconds until more than `seen` watch events have
 * arrived (events that came along with replies count too).
 */
bool xs_wait_watch(struct xs_conn *xs, unsigned int seen, uint32_t ms);

/* ---- head.S ---- */
extern uint8_t hypercall_page[], ap_hypercall_page[];
extern uint8_t pt_pml4[], ap_stack_top[];
void triple_fault(void) __attribute__((noreturn));
/* vCPU 1's first instruction (ap=1): our GDT and IDT, then ap_main(). */
void ap_entry(void) __attribute__((noreturn));

/* ---- probe.c ---- */
struct exc_frame {
    uint64_t vector, error, rip, cs, rflags, rsp, ss;
};
void probe_main(uint32_t start_info, int via) __attribute__((noreturn));
void probe_exception(const struct exc_frame *f) __attribute__((noreturn));
void ap_main(void) __attribute__((noreturn));
/* Leave: under Xen by SCHEDOP_shutdown, otherwise by QEMU's debug-exit. */
void probe_exit(bool ok) __attribute__((noreturn));

#endif /* PROBE_H */
