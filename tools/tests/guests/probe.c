/*
 * pvh-probe: what the guest does.  First boot: fill a canary area, say
 * hello on port 0xE9, record itself in xenstore, ask for a soft reset.
 * Every later life (told apart by a counter in memory that a soft reset
 * keeps): re-read the HVM params, reconnect to xenstore, check the canary,
 * record the count; repeat until count=N, then power off.
 *
 * Command line (PVH start_info): count=N mode=M at=K flood=F, where M is
 * normal, noreconnect, flood, scribble, crash or fault, K the generation at
 * which flood/scribble/crash/fault misbehave (default 0) and F the number of nodes
 * flood tries to write (default 2000).  exit=poweroff|reboot|crash|watchdog
 * says how it leaves once done (default poweroff): the toolstack's
 * on_poweroff, on_reboot, on_crash and on_watchdog each get a reason;
 * delay=MS sleeps that long first (a restarted guest stays up a while).
 * ap=1: vCPU 0 starts vCPU 1 once, which keeps counting across the soft
 * resets that vCPU 0 alone asks for; every generation checks it counts.
 */
#include "probe.h"

#include <xen/arch-x86/hvm/start_info.h>
#include <xen/hvm/hvm_vcpu.h>
#include <xen/hvm/params.h>
#include <xen/io/console.h>
#include <xen/sched.h>
#include <xen/vcpu.h>

#define PERSIST_MAGIC 0x21747365626f7270ULL /* "probest!" */
#define CANARY_PAGES 4
#define CANARY_WORDS (CANARY_PAGES * PAGE_SIZE / sizeof(uint32_t))
#define DEBUG_EXIT_PORT 0xf4 /* QEMU's isa-debug-exit, for runs without Xen */

/* vCPU 1's start state (ap=1): vCPU 0's after head.S. */
#define X86_CR0_PE (1UL << 0)
#define X86_CR0_ET (1UL << 4)
#define X86_CR0_PG (1UL << 31)
#define X86_CR4_PAE (1UL << 5)
#define X86_EFER_LME (1UL << 8)
#define X86_EFER_LMA (1UL << 10)
#define X86_EFLAGS_MBS (1UL << 1) /* reserved bit 1, always set */
#define AP_TICK_MS 50    /* vCPU 1 sleeps this long between ticks: few
                            hypercalls under the emulation */
#define AP_CHECK_MS 300  /* vCPU 0's wait for ticks, every generation */

enum mode { MODE_NORMAL, MODE_NORECONNECT, MODE_FLOOD, MODE_SCRIBBLE,
            MODE_CRASH, MODE_FAULT };
enum leave { LEAVE_POWEROFF, LEAVE_REBOOT, LEAVE_CRASH, LEAVE_WATCHDOG };
static const char *const leave_names[] = {
    [LEAVE_POWEROFF] = "poweroff",
    [LEAVE_REBOOT] = "reboot",
    [LEAVE_CRASH] = "crash",
    [LEAVE_WATCHDOG] = "watchdog",
};

static const char *const mode_names[] = {
    [MODE_NORMAL] = "normal",
    [MODE_NORECONNECT] = "noreconnect",
    [MODE_FLOOD] = "flood",
    [MODE_SCRIBBLE] = "scribble",
    [MODE_CRASH] = "crash",
    [MODE_FAULT] = "fault",
};

/*
 * Everything that must outlive a soft reset.  .bss: zeroed once by the
 * ELF loader, never by us, so a zero magic means "first boot".
 */
struct persist {
    uint64_t magic;
    uint32_t gen, gen_check;        /* gen_check == ~gen */
    uint32_t seed;
    uint32_t start_info;
    uint32_t count, at, flood, delay_ms;
    enum mode mode;
    enum leave leave;
    int first_domid;
    bool ap;                        /* ap=1: vCPU 1 runs ap_main() */
    volatile uint32_t ap_ticks;     /* written by vCPU 1 only */
    volatile bool ap_stopped;       /* vCPU 1 gave up: Xen refused a sleep */
};
static struct persist persist
    __attribute__((section(".bss.persist"), aligned(4096)));
static uint32_t canary[CANARY_WORDS]
    __attribute__((section(".bss.persist"), aligned(4096)));

static bool on_xen;

static uint32_t canary_word(uint32_t seed, uint32_t i)
{
    uint32_t x = (i + seed) * 0x9e3779b1u;

    x ^= x >> 15;
    x *= 0x85ebca77u;
    x ^= x >> 13;
    return x;
}

static void canary_fill(void)
{
    uint32_t i;

    for (i = 0; i < CANARY_WORDS; i++)
        canary[i] = canary_word(persist.seed, i);
}

/* Returns the byte offset of the first bad word, or -1 if all are fine. */
static long canary_check(uint32_t *nbad)
{
    long first = -1;
    uint32_t i;

    *nbad = 0;
    for (i = 0; i < CANARY_WORDS; i++) {
        if (canary[i] == canary_word(persist.seed, i))
            continue;
        if (first < 0)
            first = (long)(i * sizeof(uint32_t));
        (*nbad)++;
    }
    return first;
}

static bool opt_uint(const char *tok, size_t len, const char *key,
                     uint32_t *out)
{
    size_t kl = str_len(key);
    uint64_t v;

    if (len <= kl || str_ncmp(tok, key, kl))
        return false;
    if (!parse_uint(tok + kl, len - kl, &v) || v > 0xffffffffu) {
        pr("PROBE bad value in option '%s'", key);
        return true;
    }
    *out = (uint32_t)v;
    return true;
}

/* key=0|1; any other value is named on the console and ignored. */
static bool opt_bool(const char *tok, size_t len, const char *key, bool *out)
{
    size_t kl = str_len(key);

    if (len <= kl || str_ncmp(tok, key, kl))
        return false;
    if (len == kl + 1 && (tok[kl] == '0' || tok[kl] == '1'))
        *out = tok[kl] == '1';
    else
        pr("PROBE bad value in option '%s'", key);
    return true;
}

/* Looks tok (len chars) up in names; n if absent. */
static unsigned int name_index(const char *tok, size_t len,
                               const char *const *names, unsigned int n)
{
    unsigned int i;

    for (i = 0; i < n; i++)
        if (str_len(names[i]) == len && !str_ncmp(tok, names[i], len))
            break;
    return i;
}

#define NNAMES(a) (sizeof(a) / sizeof((a)[0]))

static void parse_cmdline(const char *cl)
{
    persist.count = 3;
    persist.mode = MODE_NORMAL;
    persist.at = 0;
    persist.flood = 2000;
    persist.leave = LEAVE_POWEROFF;
    persist.delay_ms = 0;
    persist.ap = false;

    while (cl && *cl) {
        const char *t = cl;
        size_t len = 0;
        unsigned int m;

        while (t[len] && t[len] != ' ')
            len++;
        cl = t + len;
        while (*cl == ' ')
            cl++;
        if (!len)
            continue;
        if (opt_uint(t, len, "count=", &persist.count) ||
            opt_uint(t, len, "at=", &persist.at) ||
            opt_uint(t, len, "flood=", &persist.flood) ||
            opt_uint(t, len, "delay=", &persist.delay_ms) ||
            opt_bool(t, len, "ap=", &persist.ap))
            continue;
        if (len > 5 && !str_ncmp(t, "mode=", 5)) {
            m = name_index(t + 5, len - 5, mode_names, NNAMES(mode_names));
            if (m < NNAMES(mode_names))
                persist.mode = (enum mode)m;
            else
                pr("PROBE unknown mode in '%s'", t);
            continue;
        }
        if (len > 5 && !str_ncmp(t, "exit=", 5)) {
            m = name_index(t + 5, len - 5, leave_names, NNAMES(leave_names));
            if (m < NNAMES(leave_names))
                persist.leave = (enum leave)m;
            else
                pr("PROBE unknown exit in '%s'", t);
            continue;
        }
        pr("PROBE ignoring unknown option at '%s'", t);
    }
}

static const char *start_info_cmdline(uint32_t pa)
{
    const struct hvm_start_info *si = (const void *)(uintptr_t)pa;

    if (!pa || si->magic != XEN_HVM_START_MAGIC_VALUE) {
        pr("PROBE no valid start_info at %p", (void *)si);
        return NULL;
    }
    if (!si->cmdline_paddr || si->cmdline_paddr >= (4ULL << 30))
        return NULL;
    return (const char *)(uintptr_t)si->cmdline_paddr;
}

void probe_exit(bool ok)
{
    if (on_xen) {
        console_detach();
        xen_shutdown(ok ? SHUTDOWN_poweroff : SHUTDOWN_crash);
    } else {
        outb(DEBUG_EXIT_PORT, ok ? 0x10 : 0x11);
    }
    for (;;)
        asm volatile("cli; hlt");
}

/* What a sleep that Xen refused falls back to: yielding for ms. */
static void yield_ms(uint32_t ms)
{
    uint64_t end = rdtsc() + ms_to_tsc(ms);

    while (rdtsc() < end)
        xen_yield();
}

/*
 * Done: leave the way exit= says.  watchdog arms Xen's domain watchdog
 * (SCHEDOP_watchdog, 1 s) and waits for it with interrupts on (with them
 * off, Xen takes a halted last vCPU for a poweroff).
 */
static void __attribute__((noreturn)) probe_leave(void)
{
    long id;

    if (on_xen && persist.delay_ms) {
        long calls;

        pr("PROBE waiting %u ms before leaving", persist.delay_ms);
        calls = xen_sleep_ms(persist.delay_ms);
        if (calls < 0) {
            pr("PROBE sleep refused by Xen, yielding instead");
            yield_ms(persist.delay_ms);
        } else {
            pr("PROBE waited %u ms with %ld hypercalls", persist.delay_ms,
               calls);
        }
    }
    if (!on_xen || persist.leave == LEAVE_POWEROFF)
        probe_exit(true);
    pr("PROBE exit=%s", leave_names[persist.leave]);
    console_detach();
    switch (persist.leave) {
    case LEAVE_REBOOT:
        xen_shutdown(SHUTDOWN_reboot);
        break;
    case LEAVE_CRASH:
        xen_shutdown(SHUTDOWN_crash);
        break;
    case LEAVE_WATCHDOG:
        id = xen_watchdog(0, 1);
        if (id <= 0) {
            pr("PROBE watchdog failed rc=%ld", id);
            probe_exit(false);
        }
        for (;;)
            asm volatile("sti; hlt");
    default:
        break;
    }
    probe_exit(false);
}

void probe_exception(const struct exc_frame *f)
{
    uint64_t cr2;

    asm volatile("mov %%cr2, %0" : "=r"(cr2));
    pr("PROBE exception vec=%lu err=%lx rip=%lx cr2=%lx", f->vector,
       f->error, f->rip, cr2);
    probe_exit(false);
}

/* ---- ap=1: a second vCPU that lives through the soft resets ---- */

/*
 * vCPU 1, for good: a tick, then a sleep, so that it takes no CPU while
 * it waits (a spinning vCPU would steal a whole one under the test
 * host's emulation).  Only locals and its own hypercall page: vCPU 0 runs
 * at the same time, and neither pr() nor vCPU 0's page is safe here.
 */
void ap_main(void)
{
    for (;;) {
        persist.ap_ticks++;
        if (xen_ap_sleep_ms(AP_TICK_MS) < 0)
            break;
    }
    persist.ap_stopped = true;
    /* HLT with interrupts off: Xen takes the vCPU down, no spinning. */
    for (;;)
        asm volatile("cli; hlt");
}

/*
 * First boot: start vCPU 1 directly in long mode (VCPU_HVM_MODE_64B) at
 * ap_entry, on our page tables and its own stack, control registers as
 * vCPU 0 has them after head.S, interrupts off.  In that mode Xen sets
 * the segments itself (flat, 64-bit code, selectors 0).  Never again:
 * after a soft reset it is still running (VCPUOP_initialise would say
 * EEXIST).
 */
static bool ap_start(const struct xen_info *xi)
{
    struct vcpu_hvm_context ctx = { .mode = VCPU_HVM_MODE_64B };
    struct vcpu_hvm_x86_64 *r = &ctx.cpu_regs.x86_64;
    long rc;

    if (!xen_ap_hypercall_page_init(xi)) {
        pr("PROBE ap FAIL: hypercall page not filled by Xen (msr %x)",
           xi->msr);
        return false;
    }
    r->rip = (uintptr_t)ap_entry;
    r->rsp = (uintptr_t)ap_stack_top;
    r->rflags = X86_EFLAGS_MBS;
    r->cr0 = X86_CR0_PE | X86_CR0_ET | X86_CR0_PG;
    r->cr3 = (uintptr_t)pt_pml4;
    r->cr4 = X86_CR4_PAE;
    r->efer = X86_EFER_LME | X86_EFER_LMA;
    rc = xen_vcpu_op(VCPUOP_initialise, 1, &ctx);
    if (rc) {
        pr("PROBE ap FAIL: VCPUOP_initialise rc=%ld", rc);
        return false;
    }
    rc = xen_vcpu_op(VCPUOP_up, 1, NULL);
    if (rc) {
        pr("PROBE ap FAIL: VCPUOP_up rc=%ld", rc);
        return false;
    }
    return true;
}

/* Every generation: does vCPU 1 still count? */
static bool ap_check(uint32_t gen)
{
    uint32_t a = persist.ap_ticks, b;

    if (xen_sleep_ms(AP_CHECK_MS) < 0)
        yield_ms(AP_CHECK_MS);
    b = persist.ap_ticks;
    if (persist.ap_stopped)
        pr("PROBE ap: vCPU 1 stopped, its sleep refused by Xen");
    pr("PROBE ap gen=%u ticks=%u->%u %s", gen, a, b,
       b > a ? "ok" : "FAIL (vCPU 1 not running)");
    return b > a;
}

/* ---- xenstore work of one generation ---- */

static bool xenstore_session(struct xs_conn *xs, uint64_t pfn, uint64_t port,
                             uint32_t gen, int domid)
{
    char val[64], want[16];
    unsigned int seen;
    bool ok = true;

    if (!pfn || !port) {
        pr("PROBE xenstore: no ring (pfn=%lx evtchn=%lu)", pfn, port);
        return false;
    }
    if (!xs_connect(xs, (void *)(uintptr_t)(pfn << 12), (uint32_t)port))
        return false;
    if (xs_reset_watches(xs))
        pr("PROBE xenstore reset-watches: %s", xs->err);
    if (xs_read(xs, "domid", val, sizeof(val))) {
        pr("PROBE xenstore read domid failed: %s", xs->err);
        return false;
    }
    pr("PROBE xenstore domid=%s", val);
    fmt(want, sizeof(want), "%d", domid);
    if (domid >= 0 && str_cmp(val, want)) {
        pr("PROBE xenstore domid mismatch: cpuid says %d", domid);
        ok = false;
    }
    seen = xs->watch_events;
    if (xs_watch(xs, "data/softreset-count", "probe")) {
        pr("PROBE xenstore watch failed: %s", xs->err);
        ok = false;
    } else if (xs_wait_watch(xs, seen, 10000)) {
        pr("PROBE xenstore watch fired path=%s", xs->last_watch_path);
    } else {
        pr("PROBE xenstore watch did not fire");
        ok = false;
    }
    fmt(want, sizeof(want), "%u", gen);
    if (xs_write(xs, "data/softreset-count", want)) {
        pr("PROBE xenstore write failed: %s", xs->err);
        return false;
    }
    if (xs_read(xs, "data/softreset-count", val, sizeof(val)) ||
        str_cmp(val, want)) {
        pr("PROBE xenstore read-back failed: %s '%s'", xs->err, val);
        return false;
    }
    pr("PROBE xenstore data/softreset-count = %s", val);
    return ok;
}

/*
 * Write persist.flood nodes as fast as the ring allows: up to
 * FLOOD_WINDOW requests in flight, stop sending at the first error.
 */
#define FLOOD_WINDOW 16
static void misbehave_flood(struct xs_conn *xs, uint32_t gen)
{
    uint32_t ids[FLOOD_WINDOW], sent = 0, done = 0, written = 0;
    char path[64], err[sizeof(xs->err)] = "none";
    uint64_t t0 = rdtsc();
    bool stop = false;

    while (done < sent || (!stop && sent < persist.flood)) {
        while (!stop && sent < persist.flood && sent - done < FLOOD_WINDOW) {
            fmt(path, sizeof(path), "data/flood/g%u-%u", gen, sent);
            ids[sent % FLOOD_WINDOW] =
                xs_send_write(xs, path, "0123456789abcdef0123456789abcdef");
            if (!ids[sent % FLOOD_WINDOW]) {
                memcpy(err, xs->err, sizeof(err));
                stop = true;
                break;
            }
            sent++;
        }
        if (done == sent)
            break;
        if (!xs_wait_write(xs, ids[done % FLOOD_WINDOW])) {
            written++;
        } else if (!stop) {
            memcpy(err, xs->err, sizeof(err));
            stop = true;
        }
        done++;
        if (xs->broken)
            break;
    }
    pr("PROBE flood gen=%u wrote=%u of %u stop=%s ms=%lu", gen, written,
       persist.flood, err, (rdtsc() - t0) / ms_to_tsc(1));
}

/*
 * Try to write where a guest has no business: other domains' and the
 * toolstack's xenstore trees and our own read-only nodes (all must be
 * refused), then break the request ring's producer index, which is ours
 * to write but xenstored must survive.
 */
static void misbehave_scribble(struct xs_conn *xs, uint32_t gen, int domid)
{
    static const char *const fixed[] = {
        "/local/domain/0/probe-scribble", "/tool/probe-scribble",
        "/vm/probe-scribble", "/probe-scribble", "domid", "name",
    };
    char other[48];
    unsigned int i, escaped = 0;

    fmt(other, sizeof(other), "/local/domain/%d/probe-scribble",
        domid >= 0 ? domid + 1 : 1);
    for (i = 0; i <= sizeof(fixed) / sizeof(fixed[0]); i++) {
        const char *p = i < sizeof(fixed) / sizeof(fixed[0]) ? fixed[i]
                                                              : other;
        int rc = xs_write(xs, p, "scribble");

        pr("PROBE scribble gen=%u xs-write %s -> %s", gen, p,
           rc ? xs->err : "ACCEPTED");
        escaped += !rc;
    }
    if (escaped)
        pr("PROBE scribble ESCAPED %u writes", escaped);
    xs->intf->req_prod += 0x10000;
    mb();
    xen_evtchn_send(xs->evtchn);
    xs->broken = true;
    pr("PROBE scribble gen=%u xenstore req_prod=%u req_cons=%u", gen,
       xs->intf->req_prod, xs->intf->req_cons);
}

/*
 * After a soft reset, before anything else: were xenstored and
 * xenconsoled already at the other end of the new event channels?  A
 * toolstack must keep the domain paused until they are: a guest that
 * runs earlier finds its ports unbound or closed.  Only the store is
 * required here (probe-softreset, the bare-hands reset, does not tell
 * xenconsoled); the scenarios read the console's state off the line.
 */
static bool check_rebuilt(uint32_t gen, uint64_t store_port,
                          uint64_t console_port)
{
    static const char *const names[] = { "closed", "unbound", "interdomain",
                                         "pirq", "virq", "ipi" };
    uint32_t st[2] = { 99, 99 }, rd[2] = { 0, 0 };
    uint64_t ports[2] = { store_port, console_port };
    bool ok;

    for (int i = 0; i < 2; i++) {
        if (!ports[i] ||
            xen_evtchn_status((uint32_t)ports[i], &st[i], &rd[i]))
            st[i] = 99;
    }
    ok = st[0] == EVTCHNSTAT_interdomain && rd[0] == 0;
    pr("PROBE rebuilt gen=%u store_evtchn=%s/d%u console_evtchn=%s/d%u %s",
       gen, st[0] < 6 ? names[st[0]] : "error", rd[0],
       st[1] < 6 ? names[st[1]] : "error", rd[1],
       ok ? "ok" : "FAIL (the guest ran before xenstore was back)");
    return ok;
}

/*
 * mode=fault: an invalid opcode with the IDT in place, after the
 * generation's hypercalls.  The exception stub must report it ("PROBE
 * exception vec=6 ...") and crash the domain (SHUTDOWN_crash; without
 * Xen, isa-debug-exit 0x11): proof that the probe's IDT, GDT and stack
 * take an exception, so that a triple fault of the probe means the
 * delivery itself was broken (docs/design/triple-fault.md).
 */
static void __attribute__((noreturn)) invalid_opcode(uint32_t gen)
{
    pr("PROBE fault gen=%u: ud2", gen);
    asm volatile("ud2");
    __builtin_unreachable();
}

static void run_generation(uint32_t gen, const struct xen_info *xi)
{
    static const struct { uint32_t idx; const char *name; } params[] = {
        { HVM_PARAM_STORE_PFN, "store_pfn" },
        { HVM_PARAM_STORE_EVTCHN, "store_evtchn" },
        { HVM_PARAM_CONSOLE_PFN, "console_pfn" },
        { HVM_PARAM_CONSOLE_EVTCHN, "console_evtchn" },
    };
    uint64_t v[4] = { 0 };
    struct xs_conn xs;
    bool ok = true, misbehave = persist.at == gen;
    unsigned int i;

    if (!xen_hypercall_page_init(xi)) {
        pr("PROBE hypercall page not filled by Xen (msr %x)", xi->msr);
        probe_exit(false);
    }
    for (i = 0; i < 4; i++) {
        long rc = xen_get_param(params[i].idx, &v[i]);

        if (rc) {
            pr("PROBE get_param %s failed rc=%ld", params[i].name, rc);
            ok = false;
        }
    }
    pr("PROBE params gen=%u store_pfn=%lx store_evtchn=%lu console_pfn=%lx"
       " console_evtchn=%lu", gen, v[0], v[1], v[2], v[3]);
    if (gen > 0)
        ok = check_rebuilt(gen, v[1], v[3]) && ok;
    if (v[2] && v[3])
        console_attach((void *)(uintptr_t)(v[2] << 12), (uint32_t)v[3]);
    if (persist.ap && gen == 0)
        ok = ap_start(xi) && ok;

    if (gen == 0) {
        persist.first_domid = xi->domid;
    } else {
        uint32_t nbad;
        long off = canary_check(&nbad);

        if (off < 0) {
            pr("PROBE canary ok");
        } else {
            pr("PROBE canary BAD at offset %lx (%u bad words)", off, nbad);
            ok = false;
        }
        if (persist.gen_check != ~(gen - 1)) {
            pr("PROBE counter BAD: gen=%u check=%x", gen, persist.gen_check);
            ok = false;
        }
        if (xi->domid != persist.first_domid) {
            pr("PROBE domid changed: %d -> %d", persist.first_domid,
               xi->domid);
            ok = false;
        }
    }
    persist.gen_check = ~gen;

    if (persist.mode == MODE_NORECONNECT && gen > 0) {
        pr("PROBE xenstore skipped (mode=noreconnect)");
    } else {
        ok = xenstore_session(&xs, v[0], v[1], gen, xi->domid) && ok;
        if (misbehave && persist.mode == MODE_FLOOD)
            misbehave_flood(&xs, gen);
        if (misbehave && persist.mode == MODE_SCRIBBLE)
            misbehave_scribble(&xs, gen, xi->domid);
    }
    if (persist.ap)
        ok = ap_check(gen) && ok;
    pr("PROBE gen=%u %s", gen, ok ? "ok" : "FAIL");
    if (misbehave && persist.mode == MODE_CRASH) {
        pr("PROBE crash gen=%u: triple fault", gen);
        console_detach();
        triple_fault();
    }
    if (misbehave && persist.mode == MODE_FAULT)
        invalid_opcode(gen);
}

void probe_main(uint32_t start_info, int via)
{
    static struct xen_info xi;
    bool first = persist.magic != PERSIST_MAGIC;
    uint32_t gen;

    for (;;) {
        if (first) {
            persist.start_info = start_info;
            persist.seed = (uint32_t)rdtsc() | 1;
            persist.gen = 0;
            persist.gen_check = ~0u;
            parse_cmdline(start_info_cmdline(start_info));
            canary_fill();
            persist.magic = PERSIST_MAGIC;
            gen = 0;
            pr("PROBE boot gen=0 count=%u mode=%s at=%u canary=%p+%lx%s",
               persist.count, mode_names[persist.mode], persist.at,
               (void *)canary, CANARY_PAGES * PAGE_SIZE,
               persist.ap ? " ap=1" : "");
        } else {
            gen = ++persist.gen;
            pr("PROBE resume gen=%u via=%s", gen,
               via ? "hypercall-return" : "entry-point");
        }

        on_xen = xen_detect(&xi);
        if (!on_xen) {
            pr("PROBE no xen");
            /* Lets check-elf.t see a real triple fault without Xen. */
            if (persist.mode == MODE_CRASH && persist.at == 0) {
                pr("PROBE crash gen=0: triple fault");
                triple_fault();
            }
            if (persist.mode == MODE_FAULT && persist.at == 0)
                invalid_opcode(0);
            probe_exit(true);
        }
        if (first)
            pr("PROBE xen %u.%u cpuid=%x msr=%x domid=%d tsc_khz=%lu",
               xi.major, xi.minor, xi.base, xi.msr, xi.domid, xi.tsc_khz);

        run_generation(gen, &xi);

        if (gen >= persist.count) {
            pr("PROBE done resets=%u", gen);
            probe_leave();
        }
        pr("PROBE soft reset request gen=%u", gen);
        console_detach();
        {
            long rc = xen_shutdown(SHUTDOWN_soft_reset);

            pr("PROBE soft reset hypercall returned rc=%ld", rc);
        }
        first = false;
        via = 1;
    }
}
