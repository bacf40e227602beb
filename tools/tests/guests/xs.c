/*
 * pvh-probe: a polling xenstore client on the shared ring page
 * (io/xs_wire.h).  No interrupts: after writing a request we send an event
 * to xenstored and poll the response ring, yielding the vCPU meanwhile.
 */
#include "probe.h"

#define RING XENSTORE_RING_SIZE

static char body[XENSTORE_PAYLOAD_MAX + 1];

static void set_err(struct xs_conn *xs, const char *e)
{
    size_t n = str_len(e);

    if (n >= sizeof(xs->err))
        n = sizeof(xs->err) - 1;
    memcpy(xs->err, e, n);
    xs->err[n] = '\0';
}

static bool expired(struct xs_conn *xs, uint64_t deadline)
{
    if (rdtsc() < deadline)
        return false;
    set_err(xs, "TIMEOUT");
    xs->broken = true;
    return true;
}

static bool ring_put(struct xs_conn *xs, const char *data, size_t n,
                     uint64_t deadline)
{
    struct xenstore_domain_interface *intf = xs->intf;

    while (n) {
        XENSTORE_RING_IDX cons, prod;
        size_t chunk;

        mb();
        cons = intf->req_cons;
        prod = intf->req_prod;
        if (prod - cons > RING) {
            set_err(xs, "RINGIDX");
            xs->broken = true;
            return false;
        }
        chunk = RING - (prod - cons);
        if (!chunk) {
            xen_evtchn_send(xs->evtchn);
            if (expired(xs, deadline))
                return false;
            xen_yield();
            continue;
        }
        if (chunk > RING - MASK_XENSTORE_IDX(prod))
            chunk = RING - MASK_XENSTORE_IDX(prod);
        if (chunk > n)
            chunk = n;
        memcpy(intf->req + MASK_XENSTORE_IDX(prod), data, chunk);
        mb();
        intf->req_prod = prod + (XENSTORE_RING_IDX)chunk;
        data += chunk;
        n -= chunk;
    }
    return true;
}

static bool ring_get(struct xs_conn *xs, char *data, size_t n,
                     uint64_t deadline)
{
    struct xenstore_domain_interface *intf = xs->intf;

    while (n) {
        XENSTORE_RING_IDX cons, prod;
        size_t chunk;

        mb();
        cons = intf->rsp_cons;
        prod = intf->rsp_prod;
        if (prod - cons > RING) {
            set_err(xs, "RINGIDX");
            xs->broken = true;
            return false;
        }
        chunk = prod - cons;
        if (!chunk) {
            if (expired(xs, deadline))
                return false;
            xen_yield();
            continue;
        }
        if (chunk > RING - MASK_XENSTORE_IDX(cons))
            chunk = RING - MASK_XENSTORE_IDX(cons);
        if (chunk > n)
            chunk = n;
        memcpy(data, intf->rsp + MASK_XENSTORE_IDX(cons), chunk);
        mb();
        intf->rsp_cons = cons + (XENSTORE_RING_IDX)chunk;
        xen_evtchn_send(xs->evtchn);
        data += chunk;
        n -= chunk;
    }
    return true;
}

/* Receive one message into hdr and body[]; false on timeout/garbage. */
static bool recv_msg(struct xs_conn *xs, struct xsd_sockmsg *hdr,
                     uint64_t deadline)
{
    if (!ring_get(xs, (char *)hdr, sizeof(*hdr), deadline))
        return false;
    if (hdr->len > XENSTORE_PAYLOAD_MAX) {
        set_err(xs, "EPROTO");
        xs->broken = true;
        return false;
    }
    if (!ring_get(xs, body, hdr->len, deadline))
        return false;
    body[hdr->len] = '\0';
    if (hdr->type == XS_WATCH_EVENT) {
        size_t n = str_len(body);

        if (n >= sizeof(xs->last_watch_path))
            n = sizeof(xs->last_watch_path) - 1;
        memcpy(xs->last_watch_path, body, n);
        xs->last_watch_path[n] = '\0';
        xs->watch_events++;
    }
    return true;
}

/*
 * Queue one request without waiting for its reply; its id, 0 on error.
 * Payload: the parts, each followed by a NUL except the last when
 * last_nul is false (XS_WRITE's value).
 */
static uint32_t xs_send(struct xs_conn *xs, uint32_t type, const char *p1,
                        const char *p2, bool last_nul)
{
    struct xsd_sockmsg hdr = { 0 };
    uint64_t deadline = rdtsc() + ms_to_tsc(xs->timeout_ms);
    size_t l1 = p1 ? str_len(p1) + (p2 || last_nul) : 0;
    size_t l2 = p2 ? str_len(p2) + last_nul : 0;

    if (xs->broken) {
        if (!xs->err[0])
            set_err(xs, "BROKEN");
        return 0;
    }
    xs->err[0] = '\0';
    if (l1 + l2 > XENSTORE_PAYLOAD_MAX) {
        set_err(xs, "E2BIG");
        return 0;
    }
    if (!++xs->req_id)
        xs->req_id = 1;
    hdr.type = type;
    hdr.req_id = xs->req_id;
    hdr.len = (uint32_t)(l1 + l2);
    if (!ring_put(xs, (const char *)&hdr, sizeof(hdr), deadline) ||
        (l1 && !ring_put(xs, p1, l1, deadline)) ||
        (l2 && !ring_put(xs, p2, l2, deadline)))
        return 0;
    xen_evtchn_send(xs->evtchn);
    return hdr.req_id;
}

/*
 * Wait for the reply to request id (xenstored answers a connection's
 * requests in order).  Watch events that arrive meanwhile are recorded.
 */
static int xs_reply(struct xs_conn *xs, uint32_t id, uint32_t type)
{
    uint64_t deadline = rdtsc() + ms_to_tsc(xs->timeout_ms);
    struct xsd_sockmsg hdr;

    for (;;) {
        if (!recv_msg(xs, &hdr, deadline))
            return -1;
        if (hdr.type == XS_WATCH_EVENT)
            continue;
        if (hdr.req_id != id) {
            pr("PROBE xenstore: dropped reply id=%u type=%u (want %u)",
               hdr.req_id, hdr.type, id);
            continue;
        }
        if (hdr.type == XS_ERROR) {
            set_err(xs, body);
            return -1;
        }
        if (hdr.type != type) {
            set_err(xs, "EPROTO");
            return -1;
        }
        return 0;
    }
}

static int xs_request(struct xs_conn *xs, uint32_t type, const char *p1,
                      const char *p2, bool last_nul)
{
    uint32_t id = xs_send(xs, type, p1, p2, last_nul);

    return id ? xs_reply(xs, id, type) : -1;
}

uint32_t xs_send_write(struct xs_conn *xs, const char *path, const char *val)
{
    return xs_send(xs, XS_WRITE, path, val, false);
}

int xs_wait_write(struct xs_conn *xs, uint32_t id)
{
    return xs_reply(xs, id, XS_WRITE);
}

int xs_read(struct xs_conn *xs, const char *path, char *val, size_t size)
{
    size_t n;

    if (xs_request(xs, XS_READ, path, NULL, true))
        return -1;
    n = str_len(body);
    if (n >= size)
        n = size - 1;
    memcpy(val, body, n);
    val[n] = '\0';
    return 0;
}

int xs_write(struct xs_conn *xs, const char *path, const char *val)
{
    return xs_request(xs, XS_WRITE, path, val, false);
}

int xs_rm(struct xs_conn *xs, const char *path)
{
    return xs_request(xs, XS_RM, path, NULL, true);
}

int xs_watch(struct xs_conn *xs, const char *path, const char *token)
{
    return xs_request(xs, XS_WATCH, path, token, true);
}

int xs_reset_watches(struct xs_conn *xs)
{
    return xs_request(xs, XS_RESET_WATCHES, "", NULL, true);
}

bool xs_wait_watch(struct xs_conn *xs, unsigned int seen, uint32_t ms)
{
    uint64_t deadline = rdtsc() + ms_to_tsc(ms);
    struct xsd_sockmsg hdr;

    while (xs->watch_events == seen) {
        XENSTORE_RING_IDX avail;

        if (xs->broken)
            return false;
        mb();
        avail = xs->intf->rsp_prod - xs->intf->rsp_cons;
        if (!avail) {
            if (rdtsc() >= deadline)
                return false;
            xen_yield();
            continue;
        }
        if (!recv_msg(xs, &hdr, deadline + ms_to_tsc(1000)))
            return false;
        if (hdr.type != XS_WATCH_EVENT)
            pr("PROBE xenstore: unexpected message type=%u id=%u",
               hdr.type, hdr.req_id);
    }
    return true;
}

/*
 * Take the ring as a freshly booted kernel would: whatever the previous
 * life or the toolstack left in it.  Unread replies belong to requests
 * nobody waits for any more: drop them.  The request producer index is
 * ours to fix if it is nonsense; the consumer indexes belong to xenstored.
 * If xenstored offers the reconnection protocol and the ring is in error,
 * ask it to reset the ring.
 */
bool xs_connect(struct xs_conn *xs, void *ring, uint32_t evtchn)
{
    struct xenstore_domain_interface *intf = ring;
    XENSTORE_RING_IDX stale, pending;
    uint64_t deadline;

    memset(xs, 0, sizeof(*xs));
    xs->intf = intf;
    xs->evtchn = evtchn;
    xs->timeout_ms = 30000;

    mb();
    pr("PROBE xenstore ring req=%u/%u rsp=%u/%u features=%u conn=%u err=%u",
       intf->req_cons, intf->req_prod, intf->rsp_cons, intf->rsp_prod,
       intf->server_features, intf->connection, intf->error);

    if ((intf->server_features & XENSTORE_SERVER_FEATURE_RECONNECTION) &&
        (intf->error != XENSTORE_ERROR_NONE ||
         intf->req_prod - intf->req_cons > RING ||
         intf->rsp_prod - intf->rsp_cons > RING)) {
        intf->connection = XENSTORE_RECONNECT;
        mb();
        xen_evtchn_send(evtchn);
        deadline = rdtsc() + ms_to_tsc(xs->timeout_ms);
        while (intf->connection != XENSTORE_CONNECTED) {
            if (expired(xs, deadline)) {
                pr("PROBE xenstore reconnect timed out");
                return false;
            }
            xen_yield();
            mb();
        }
        pr("PROBE xenstore ring reset by xenstored");
    }

    stale = intf->rsp_prod - intf->rsp_cons;
    if (stale) {
        pr("PROBE xenstore discarding %u stale reply bytes%s", stale,
           stale > RING ? " (bad indexes)" : "");
        intf->rsp_cons = intf->rsp_prod;
    }
    pending = intf->req_prod - intf->req_cons;
    if (pending > RING) {
        pr("PROBE xenstore request index bad (%u ahead): resetting it",
           pending);
        intf->req_prod = intf->req_cons;
    } else if (pending) {
        /* Let xenstored eat (and answer) what is left, then drop it. */
        xen_evtchn_send(evtchn);
        deadline = rdtsc() + ms_to_tsc(1000);
        while (intf->req_prod != intf->req_cons && rdtsc() < deadline)
            xen_yield();
        pr("PROBE xenstore %u request bytes were pending", pending);
        intf->rsp_cons = intf->rsp_prod;
    }
    mb();
    return true;
}
