/*
 * pvh-probe: finding Xen through CPUID, the hypercall page, and the few
 * hypercalls the probe needs.  All numbers come from Xen's public headers.
 */
#include "probe.h"

#include <xen/arch-x86/cpuid.h>
#include <xen/event_channel.h>
#include <xen/hvm/hvm_op.h>
#include <xen/sched.h>

static uint64_t tsc_khz = 1000000; /* a guess until Xen tells us */

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    asm volatile("cpuid"
                 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                 : "a"(leaf), "c"(sub));
}

static void wrmsr(uint32_t msr, uint64_t v)
{
    asm volatile("wrmsr"
                 : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
                 : "memory");
}

uint64_t ms_to_tsc(uint64_t ms)
{
    return ms * tsc_khz;
}

/*
 * Xen's leaves sit at the first 0x100-aligned base from 0x40000000 that
 * carries its signature (other hypervisor interfaces may come first).
 */
bool xen_detect(struct xen_info *xi)
{
    uint32_t r[4], base;

    for (base = XEN_CPUID_FIRST_LEAF; base < XEN_CPUID_FIRST_LEAF + 0x10000;
         base += 0x100) {
        cpuid(base, 0, r);
        if (r[1] == XEN_CPUID_SIGNATURE_EBX &&
            r[2] == XEN_CPUID_SIGNATURE_ECX &&
            r[3] == XEN_CPUID_SIGNATURE_EDX && r[0] - base >= 2)
            break;
    }
    if (base >= XEN_CPUID_FIRST_LEAF + 0x10000)
        return false;

    memset(xi, 0, sizeof(*xi));
    xi->base = base;
    xi->domid = -1;
    cpuid(base + 1, 0, r);
    xi->major = (uint16_t)(r[0] >> 16);
    xi->minor = (uint16_t)r[0];
    cpuid(base + 2, 0, r);
    xi->msr = r[1];
    cpuid(base, 0, r);
    if (r[0] - base >= 3) {
        cpuid(base + 3, 0, r);
        xi->tsc_khz = r[2];
        if (r[2])
            tsc_khz = r[2];
    }
    cpuid(base, 0, r);
    if (r[0] - base >= 4) {
        cpuid(base + 4, 0, r);
        if (r[0] & XEN_HVM_CPUID_DOMID_PRESENT)
            xi->domid = (int)r[2];
    }
    return true;
}

/*
 * Writing the page's guest-physical address to the MSR makes Xen fill it
 * with one 32-byte call stub per hypercall number.  Done at every boot:
 * cheap, and it does not rely on the old contents surviving a reset.
 */
static bool fill_hypercall_page(uint32_t msr, uint8_t *page)
{
    memset(page, 0xcc, PAGE_SIZE);
    wrmsr(msr, (uintptr_t)page);
    return page[0] != 0xcc;
}

bool xen_hypercall_page_init(const struct xen_info *xi)
{
    return fill_hypercall_page(xi->msr, hypercall_page);
}

/*
 * vCPU 1's page (ap=1), filled once before it starts: vCPU 0 refills its
 * own at every boot (0xcc first, and Xen too writes int3 over the whole
 * page before the stubs), which would hit vCPU 1 returning from a
 * hypercall in that page.
 */
bool xen_ap_hypercall_page_init(const struct xen_info *xi)
{
    return fill_hypercall_page(xi->msr, ap_hypercall_page);
}

long xen_get_param(uint32_t index, uint64_t *value)
{
    struct xen_hvm_param p = {
        .domid = DOMID_SELF,
        .index = index,
    };
    long rc;

    rc = xen_hypercall(__HYPERVISOR_hvm_op, HVMOP_get_param,
                       (uintptr_t)&p, 0, 0, 0);
    if (!rc)
        *value = p.value;
    return rc;
}

long xen_evtchn_send(uint32_t port)
{
    struct evtchn_send s = { .port = port };

    return xen_hypercall(__HYPERVISOR_event_channel_op, EVTCHNOP_send,
                         (uintptr_t)&s, 0, 0, 0);
}

/* The state of one of our ports (EVTCHNSTAT_*) and the domain at its
 * other end (for an interdomain or unbound port). */
long xen_evtchn_status(uint32_t port, uint32_t *status, uint32_t *remote)
{
    struct evtchn_status s = { .dom = DOMID_SELF, .port = port };
    long rc = xen_hypercall(__HYPERVISOR_event_channel_op, EVTCHNOP_status,
                            (uintptr_t)&s, 0, 0, 0);

    if (!rc) {
        *status = s.status;
        *remote = s.status == EVTCHNSTAT_interdomain ? s.u.interdomain.dom
                                                     : s.u.unbound.dom;
    }
    return rc;
}

long xen_shutdown(unsigned int reason)
{
    struct sched_shutdown s = { .reason = reason };

    return xen_hypercall(__HYPERVISOR_sched_op, SCHEDOP_shutdown,
                         (uintptr_t)&s, 0, 0, 0);
}

long xen_watchdog(uint32_t id, uint32_t timeout_s)
{
    struct sched_watchdog w = { .id = id, .timeout = timeout_s };

    return xen_hypercall(__HYPERVISOR_sched_op, SCHEDOP_watchdog,
                         (uintptr_t)&w, 0, 0, 0);
}

void xen_yield(void)
{
    xen_hypercall(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0, 0, 0);
}

long xen_vcpu_op(unsigned int cmd, uint32_t vcpu, void *arg)
{
    return xen_hypercall(__HYPERVISOR_vcpu_op, cmd, vcpu, (uintptr_t)arg, 0,
                         0);
}

/* One of the two trampolines of head.S: which hypercall page to use. */
typedef long hypercall_fn(unsigned long nr, unsigned long a1,
                          unsigned long a2, unsigned long a3,
                          unsigned long a4, unsigned long a5);

/* Xen's system time: nanoseconds since the host booted. */
static long time_ns(hypercall_fn *hc, uint64_t *now)
{
    struct xen_hvm_get_time t = { 0 };
    long rc;

    rc = hc(__HYPERVISOR_hvm_op, HVMOP_get_time, (uintptr_t)&t, 0, 0, 0);
    if (!rc)
        *now = t.now;
    return rc;
}

/*
 * Sleep: SCHEDOP_poll on no port with an absolute timeout blocks the vCPU
 * until Xen's poll timer fires (or any event of the domain arrives, after
 * which we poll again).  Two hypercalls per wake-up instead of a yield per
 * loop turn: a delay of seconds costs a handful of hypercalls, not
 * hundreds.  Interrupts stay off: nothing is delivered, the vCPU only
 * wakes.  Returns the hypercalls made, or -1 if Xen refused (the caller
 * falls back to yielding).  Only locals: vCPU 1 sleeps here too.
 */
static long sleep_ms(hypercall_fn *hc, uint32_t ms)
{
    evtchn_port_t none = 0;
    struct sched_poll p = { .nr_ports = 0 };
    uint64_t now, end;
    long calls = 1;

    set_xen_guest_handle(p.ports, &none);
    if (time_ns(hc, &now))
        return -1;
    end = now + (uint64_t)ms * 1000000;
    while (now < end) {
        p.timeout = end;
        if (hc(__HYPERVISOR_sched_op, SCHEDOP_poll, (uintptr_t)&p, 0, 0, 0))
            return -1;
        if (time_ns(hc, &now))
            return -1;
        calls += 2;
    }
    return calls;
}

long xen_sleep_ms(uint32_t ms)
{
    return sleep_ms(xen_hypercall, ms);
}

long xen_ap_sleep_ms(uint32_t ms)
{
    return sleep_ms(xen_ap_hypercall, ms);
}
