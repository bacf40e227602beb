/*
 * fake-sys.h: an in-memory hypervisor and xenstore behind libxl's sys
 * table (libxl_sys.h), for unit tests.  Include it in one test file,
 * after libxl_internal.h; call fake_reset() in each test's setup and
 * fake_ctx() for a ctx wired to it.
 *
 * What it models:
 *  - domains: a table of domid, flags (XEN_DOMINF_*), handle (uuid),
 *    max memory; getinfolist returns them in domid order;
 *    fake_dom_shutdown / destroy change them and fire @releaseDomain
 *    as Xen and xenstored do;
 *  - xenstore: nodes (path, value, owner), parents made on write, rm of
 *    a subtree, directory of children, watches that fire on register
 *    and on any change at or below their path (and of a removed
 *    ancestor), delivered through a pipe fd and check_watch;
 *    transactions act directly (no isolation); fake.txn_conflicts makes
 *    that many commits fail with EAGAIN first;
 *  - a log of the calls that change things, "op arg..." strings in
 *    order, to assert what was done and in which order;
 *  - failure injection: fake.fail_op names an op that fails (errno EIO).
 */
#ifndef FAKE_SYS_H
#define FAKE_SYS_H

#include <fcntl.h>
#include <unistd.h>

#include <xen/hvm/params.h>

#include "libxl_internal.h"
#include "libxl_sys.h"
#include "libxl_create.h"

#define FAKE_MAX_NODES 512
#define FAKE_MAX_DOMS 16
#define FAKE_MAX_WATCHES 32
#define FAKE_MAX_EVENTS 256
#define FAKE_MAX_LOG 256

struct fake_node {
    char *path, *value;
    unsigned int owner;
};

struct fake_dom {
    uint32_t domid;
    uint32_t flags;
    xen_domain_handle_t handle;
    uint64_t max_memkb;
    uint64_t tot_pages;
    unsigned int max_vcpus;
    uint32_t last_trigger;
    uint32_t emulation_flags;   /* arch_config: XEN_X86_EMU_* */
    uint64_t callback_irq;      /* HVM_PARAM_CALLBACK_IRQ */
};

struct fake_watch {
    char *path, *token;
};

static struct fake_sys {
    struct fake_node nodes[FAKE_MAX_NODES];
    int n_nodes;
    struct fake_dom doms[FAKE_MAX_DOMS];
    int n_doms;
    uint32_t rover;             /* the last domid the "hypervisor" chose */
    struct fake_watch watches[FAKE_MAX_WATCHES];
    int n_watches;
    struct fake_watch events[FAKE_MAX_EVENTS];
    int n_events;
    int pipe[2];
    char *log[FAKE_MAX_LOG];
    int n_log;
    const char *fail_op;
    int txn_conflicts;
    xs_transaction_t next_txn;
    /* The store when the (one) open transaction started: restored when
     * it is aborted or fails, as xenstored discards its writes. */
    struct fake_node snap[FAKE_MAX_NODES];
    int n_snap;
    bool in_txn;
    /* Called after each xs_write (a test's "guest" reacting). */
    void (*on_write)(const char *path, const char *value);
} fake = { .pipe = { -1, -1 } };

static void __attribute__((format(printf, 1, 2))) fake_log(const char *fmt,
                                                           ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        abort();
    va_end(ap);
    if (fake.n_log < FAKE_MAX_LOG)
        fake.log[fake.n_log++] = s;
    else
        free(s);
}

static bool fake_fails(const char *op)
{
    if (fake.fail_op && !strcmp(fake.fail_op, op)) {
        errno = EIO;
        return true;
    }
    return false;
}

/* The monotonic clock in seconds, for tests that time a wait. */
static __attribute__((unused)) double fake_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Index of the first log line equal to s, -1 if none. */
static int __attribute__((unused)) fake_log_index(const char *s)
{
    for (int i = 0; i < fake.n_log; i++)
        if (!strcmp(fake.log[i], s))
            return i;
    return -1;
}

/* Index of the first log line starting with prefix, -1 if none. */
static int __attribute__((unused)) fake_log_prefix(const char *prefix)
{
    for (int i = 0; i < fake.n_log; i++)
        if (!strncmp(fake.log[i], prefix, strlen(prefix)))
            return i;
    return -1;
}

/*
 * Watches.
 */
static void fake_pipe_sync(void)
{
    char c;

    /* The fd is readable exactly while events are pending. */
    while (read(fake.pipe[0], &c, 1) == 1)
        ;
    if (fake.n_events && write(fake.pipe[1], "!", 1) != 1)
        abort();
}

static void fake_queue_event(const char *path, const char *token)
{
    if (fake.n_events == FAKE_MAX_EVENTS)
        abort();
    fake.events[fake.n_events].path = strdup(path);
    fake.events[fake.n_events].token = strdup(token);
    fake.n_events++;
    fake_pipe_sync();
}

static bool fake_is_below(const char *path, const char *top)
{
    size_t l = strlen(top);

    return !strncmp(path, top, l) && (path[l] == '\0' || path[l] == '/');
}

/* A change at path: fire watches at or above it (and, for a removal,
 * below it). */
static void fake_fire(const char *path, bool removal)
{
    for (int i = 0; i < fake.n_watches; i++) {
        struct fake_watch *w = &fake.watches[i];
        if (fake_is_below(path, w->path) ||
            (removal && fake_is_below(w->path, path)))
            fake_queue_event(path, w->token);
    }
}

/*
 * Xenstore nodes.
 */
static struct fake_node *fake_node_find(const char *path)
{
    for (int i = 0; i < fake.n_nodes; i++)
        if (!strcmp(fake.nodes[i].path, path))
            return &fake.nodes[i];
    return NULL;
}

static struct fake_node *fake_node_make(const char *path)
{
    struct fake_node *n = fake_node_find(path);
    char *parent, *slash;
    unsigned int owner = 0;

    if (n)
        return n;
    parent = strdup(path);
    slash = strrchr(parent, '/');
    if (slash && slash != parent) {
        *slash = '\0';
        /* as xenstored for dom0: a new node takes its parent's perms */
        owner = fake_node_make(parent)->owner;
    }
    free(parent);
    if (fake.n_nodes == FAKE_MAX_NODES)
        abort();
    n = &fake.nodes[fake.n_nodes++];
    n->path = strdup(path);
    n->value = strdup("");
    n->owner = owner;
    return n;
}

/* Test setup: path = value (no log, no watch). */
static void __attribute__((unused)) fake_xs_set(const char *path,
                                                const char *value)
{
    struct fake_node *n = fake_node_make(path);

    free(n->value);
    n->value = strdup(value);
}

/* The value at path, NULL if absent. */
static __attribute__((unused)) const char *fake_xs_get(const char *path)
{
    struct fake_node *n = fake_node_find(path);

    return n ? n->value : NULL;
}

/* Number of nodes at or below path. */
static int __attribute__((unused)) fake_xs_count(const char *path)
{
    int c = 0;

    for (int i = 0; i < fake.n_nodes; i++)
        if (fake_is_below(fake.nodes[i].path, path))
            c++;
    return c;
}

static void fake_node_rm(const char *path)
{
    for (int i = 0; i < fake.n_nodes;) {
        if (fake_is_below(fake.nodes[i].path, path)) {
            free(fake.nodes[i].path);
            free(fake.nodes[i].value);
            fake.nodes[i] = fake.nodes[--fake.n_nodes];
        } else {
            i++;
        }
    }
}

/*
 * Domains.
 */
static struct fake_dom *fake_dom_find(uint32_t domid)
{
    for (int i = 0; i < fake.n_doms; i++)
        if (fake.doms[i].domid == domid)
            return &fake.doms[i];
    return NULL;
}

/* Adds a running domain; uuid byte 0..15 = uuid_seed + i. */
static struct fake_dom *__attribute__((unused))
fake_dom_add(uint32_t domid, uint8_t uuid_seed)
{
    struct fake_dom *d;

    if (fake.n_doms == FAKE_MAX_DOMS)
        abort();
    d = &fake.doms[fake.n_doms++];
    memset(d, 0, sizeof(*d));
    d->domid = domid;
    d->flags = XEN_DOMINF_running;
    for (int i = 0; i < 16; i++)
        d->handle[i] = (uint8_t)(uuid_seed + i);
    d->max_memkb = 131072;
    d->tot_pages = 32768;
    d->max_vcpus = 1;
    return d;
}

/* The guest shuts down with reason (SHUTDOWN_*), as Xen reports it. */
static void __attribute__((unused)) fake_dom_shutdown(uint32_t domid,
                                                      unsigned int reason)
{
    struct fake_dom *d = fake_dom_find(domid);

    if (!d)
        abort();
    d->flags &= ~(XEN_DOMINF_running | (XEN_DOMINF_shutdownmask
                                        << XEN_DOMINF_shutdownshift));
    d->flags |= XEN_DOMINF_shutdown | (reason << XEN_DOMINF_shutdownshift);
    fake_fire("@releaseDomain", false);
}

/* Makes domid an HVM guest (pv_drivers: its PV callback is set) or a
 * PVH one. */
static void __attribute__((unused)) fake_dom_set_hvm(uint32_t domid,
                                                     bool pvh,
                                                     bool pv_drivers)
{
    struct fake_dom *d = fake_dom_find(domid);

    if (!d)
        abort();
    d->flags |= XEN_DOMINF_hvm_guest;
    d->emulation_flags = pvh ? XEN_X86_EMU_LAPIC : XEN_X86_EMU_ALL;
    d->callback_irq = pv_drivers ? 1 : 0;
}

/* The domain runs again (after a soft reset, say). */
static void __attribute__((unused)) fake_dom_resume(uint32_t domid)
{
    struct fake_dom *d = fake_dom_find(domid);

    if (!d)
        abort();
    d->flags &= ~(XEN_DOMINF_shutdown | (XEN_DOMINF_shutdownmask
                                         << XEN_DOMINF_shutdownshift));
    d->flags |= XEN_DOMINF_running;
}

static void fake_dom_remove(uint32_t domid)
{
    struct fake_dom *d = fake_dom_find(domid);

    if (d)
        *d = fake.doms[--fake.n_doms];
    fake_fire("@releaseDomain", false);
}

/*
 * The ops.
 */
static int f_domain_create(libxl_ctx *ctx, uint32_t *pdomid,
                           struct xen_domctl_createdomain *config)
{
    uint32_t domid = *pdomid;
    struct fake_dom *d;

    if (fake_fails("domain_create"))
        return -1;
    if (domid == 0 || domid >= DOMID_FIRST_RESERVED) {
        /* As Xen: the next free domid after the last one it chose. */
        domid = fake.rover;
        do {
            if (++domid >= DOMID_FIRST_RESERVED)
                domid = 1;
        } while (fake_dom_find(domid));
        fake.rover = domid;
    } else if (fake_dom_find(domid)) {
        errno = EEXIST;
        return -1;
    }
    d = fake_dom_add(domid, 0x40);
    memcpy(d->handle, config->handle, sizeof(d->handle));
    d->flags = XEN_DOMINF_paused;
    *pdomid = domid;
    fake_log("domain_create %u", domid);
    return 0;
}

static int f_domain_getinfolist(libxl_ctx *ctx, uint32_t first,
                                unsigned int max, xc_domaininfo_t *info)
{
    unsigned int n = 0;
    uint32_t next = first;

    if (fake_fails("domain_getinfolist"))
        return -1;
    while (n < max) {
        struct fake_dom *best = NULL;
        for (int i = 0; i < fake.n_doms; i++)
            if (fake.doms[i].domid >= next &&
                (!best || fake.doms[i].domid < best->domid))
                best = &fake.doms[i];
        if (!best)
            break;
        memset(&info[n], 0, sizeof(info[n]));
        info[n].domain = best->domid;
        info[n].flags = best->flags;
        memcpy(info[n].handle, best->handle, sizeof(best->handle));
        info[n].max_pages = best->max_memkb / 4;
        info[n].tot_pages = best->tot_pages;
        info[n].max_vcpu_id = best->max_vcpus - 1;
        info[n].nr_online_vcpus = best->max_vcpus;
        info[n].cpu_time = 1000000000ULL * best->domid;
        info[n].arch_config.emulation_flags = best->emulation_flags;
        n++;
        next = best->domid + 1;
    }
    return (int)n;
}

#define FAKE_DOM_OP(name, body)                                          \
    static int f_##name(libxl_ctx *ctx, uint32_t domid)                   \
    {                                                                     \
        struct fake_dom *d = fake_dom_find(domid);                        \
        if (fake_fails(#name))                                            \
            return -1;                                                    \
        if (!d) {                                                         \
            errno = ESRCH;                                                \
            return -1;                                                    \
        }                                                                 \
        fake_log(#name " %u", domid);                                     \
        body;                                                             \
        return 0;                                                         \
    }

FAKE_DOM_OP(domain_pause, d->flags |= XEN_DOMINF_paused)
FAKE_DOM_OP(domain_unpause, d->flags &= ~XEN_DOMINF_paused)
FAKE_DOM_OP(domain_destroy, fake_dom_remove(domid))
FAKE_DOM_OP(domain_soft_reset, (void)d)

static int f_domain_shutdown(libxl_ctx *ctx, uint32_t domid, int reason)
{
    if (fake_fails("domain_shutdown"))
        return -1;
    if (!fake_dom_find(domid)) {
        errno = ESRCH;
        return -1;
    }
    fake_log("domain_shutdown %u %d", domid, reason);
    fake_dom_shutdown(domid, (unsigned int)reason);
    return 0;
}

static int f_domain_max_vcpus(libxl_ctx *ctx, uint32_t domid,
                              unsigned int max)
{
    struct fake_dom *d = fake_dom_find(domid);

    if (fake_fails("domain_max_vcpus") || !d)
        return -1;
    d->max_vcpus = max;
    fake_log("domain_max_vcpus %u %u", domid, max);
    return 0;
}

static int f_domain_setmaxmem(libxl_ctx *ctx, uint32_t domid,
                              uint64_t max_memkb)
{
    struct fake_dom *d = fake_dom_find(domid);

    if (fake_fails("domain_setmaxmem") || !d)
        return -1;
    d->max_memkb = max_memkb;
    fake_log("domain_setmaxmem %u %" PRIu64, domid, max_memkb);
    return 0;
}

static int f_domain_sethandle(libxl_ctx *ctx, uint32_t domid,
                              xen_domain_handle_t handle)
{
    struct fake_dom *d = fake_dom_find(domid);

    if (fake_fails("domain_sethandle") || !d)
        return -1;
    memcpy(d->handle, handle, sizeof(d->handle));
    fake_log("domain_sethandle %u", domid);
    return 0;
}

static int f_hvm_param_get(libxl_ctx *ctx, uint32_t domid, uint32_t param,
                           uint64_t *value)
{
    struct fake_dom *d = fake_dom_find(domid);

    if (fake_fails("hvm_param_get"))
        return -1;
    if (!d) {
        errno = ESRCH;
        return -1;
    }
    *value = param == HVM_PARAM_CALLBACK_IRQ ? d->callback_irq : 0;
    return 0;
}

static int f_hvm_param_set(libxl_ctx *ctx, uint32_t domid, uint32_t param,
                           uint64_t value)
{
    if (fake_fails("hvm_param_set"))
        return -1;
    fake_log("hvm_param_set %u %u %" PRIu64, domid, param, value);
    return 0;
}

static int f_evtchn_alloc_unbound(libxl_ctx *ctx, uint32_t domid,
                                  uint32_t remote)
{
    static int port = 1;

    if (fake_fails("evtchn_alloc_unbound"))
        return -1;
    fake_log("evtchn_alloc_unbound %u %u", domid, remote);
    return port++;
}

/* Every port is bound at once by the domain it was made for (xenstored
 * and xenconsoled are quick here). */
static int f_evtchn_status(libxl_ctx *ctx, uint32_t domid, uint32_t port,
                           int *status, uint32_t *remote_domid)
{
    if (fake_fails("evtchn_status"))
        return -1;
    *status = EVTCHNSTAT_interdomain;
    *remote_domid = 0;
    return 0;
}

static int f_domain_send_trigger(libxl_ctx *ctx, uint32_t domid,
                                 uint32_t trigger, uint32_t vcpu)
{
    struct fake_dom *d = fake_dom_find(domid);

    if (fake_fails("domain_send_trigger"))
        return -1;
    if (!d) {
        errno = ESRCH;
        return -1;
    }
    d->last_trigger = trigger;
    fake_log("domain_send_trigger %u %u %u", domid, trigger, vcpu);
    return 0;
}

static int f_domain_dumpcore(libxl_ctx *ctx, uint32_t domid,
                             const char *corename)
{
    if (fake_fails("domain_dumpcore"))
        return -1;
    if (!fake_dom_find(domid)) {
        errno = ESRCH;
        return -1;
    }
    fake_log("domain_dumpcore %u %s", domid, corename);
    return 0;
}

static int f_sched_id(libxl_ctx *ctx, int *sched_id)
{
    if (fake_fails("sched_id"))
        return -1;
    *sched_id = XEN_SCHEDULER_CREDIT2;
    return 0;
}

static void *f_xs_read(libxl_ctx *ctx, xs_transaction_t t, const char *path,
                       unsigned int *len)
{
    struct fake_node *n;

    if (fake_fails("xs_read"))
        return NULL;
    n = fake_node_find(path);
    if (!n) {
        errno = ENOENT;
        return NULL;
    }
    if (len)
        *len = (unsigned int)strlen(n->value);
    return strdup(n->value);
}

static bool f_xs_write(libxl_ctx *ctx, xs_transaction_t t, const char *path,
                       const void *data, unsigned int len)
{
    struct fake_node *n;

    if (fake_fails("xs_write"))
        return false;
    n = fake_node_make(path);
    free(n->value);
    n->value = strndup(data, len);
    fake_log("xs_write %s = %s", path, n->value);
    fake_fire(path, false);
    if (fake.on_write)
        fake.on_write(path, n->value);
    return true;
}

static bool f_xs_mkdir(libxl_ctx *ctx, xs_transaction_t t, const char *path)
{
    if (fake_fails("xs_mkdir"))
        return false;
    fake_node_make(path);
    fake_log("xs_mkdir %s", path);
    fake_fire(path, false);
    return true;
}

static bool f_xs_rm(libxl_ctx *ctx, xs_transaction_t t, const char *path)
{
    if (fake_fails("xs_rm"))
        return false;
    if (!fake_node_find(path)) {
        errno = ENOENT;
        return false;
    }
    fake_node_rm(path);
    fake_log("xs_rm %s", path);
    fake_fire(path, true);
    return true;
}

static char **f_xs_directory(libxl_ctx *ctx, xs_transaction_t t,
                             const char *path, unsigned int *num)
{
    size_t l = strlen(path), size = 0;
    unsigned int n = 0;
    char **out, *p;

    if (fake_fails("xs_directory"))
        return NULL;
    if (!fake_node_find(path)) {
        errno = ENOENT;
        return NULL;
    }
    for (int i = 0; i < fake.n_nodes; i++) {
        const char *c = fake.nodes[i].path;
        if (!strncmp(c, path, l) && c[l] == '/' && !strchr(c + l + 1, '/')) {
            n++;
            size += strlen(c + l + 1) + 1;
        }
    }
    /* One block, pointers then strings, as libxenstore does. */
    out = malloc((n + 1) * sizeof(char *) + size);
    p = (char *)(out + n + 1);
    n = 0;
    for (int i = 0; i < fake.n_nodes; i++) {
        const char *c = fake.nodes[i].path;
        if (!strncmp(c, path, l) && c[l] == '/' && !strchr(c + l + 1, '/')) {
            out[n++] = p;
            strcpy(p, c + l + 1);
            p += strlen(p) + 1;
        }
    }
    out[n] = NULL;
    *num = n;
    return out;
}

static struct xs_permissions *f_xs_get_permissions(libxl_ctx *ctx,
                                                   xs_transaction_t t,
                                                   const char *path,
                                                   unsigned int *num)
{
    struct fake_node *n = fake_node_find(path);
    struct xs_permissions *p;

    if (fake_fails("xs_get_permissions"))
        return NULL;
    if (!n) {
        errno = ENOENT;
        return NULL;
    }
    p = malloc(sizeof(*p));
    p->id = n->owner;
    p->perms = XS_PERM_NONE;
    *num = 1;
    return p;
}

static bool f_xs_set_permissions(libxl_ctx *ctx, xs_transaction_t t,
                                 const char *path,
                                 struct xs_permissions *perms,
                                 unsigned int num)
{
    struct fake_node *n = fake_node_find(path);

    if (fake_fails("xs_set_permissions"))
        return false;
    if (!n) {
        errno = ENOENT;
        return false;
    }
    n->owner = num ? perms[0].id : 0;
    fake_log("xs_set_permissions %s %u", path, n->owner);
    return true;
}

static void fake_snap_drop(void)
{
    for (int i = 0; i < fake.n_snap; i++) {
        free(fake.snap[i].path);
        free(fake.snap[i].value);
    }
    fake.n_snap = 0;
    fake.in_txn = false;
}

static xs_transaction_t f_xs_transaction_start(libxl_ctx *ctx)
{
    if (fake_fails("xs_transaction_start"))
        return XBT_NULL;
    assert(!fake.in_txn);
    for (int i = 0; i < fake.n_nodes; i++) {
        fake.snap[i] = fake.nodes[i];
        fake.snap[i].path = strdup(fake.nodes[i].path);
        fake.snap[i].value = strdup(fake.nodes[i].value);
    }
    fake.n_snap = fake.n_nodes;
    fake.in_txn = true;
    return ++fake.next_txn;
}

static bool f_xs_transaction_end(libxl_ctx *ctx, xs_transaction_t t,
                                 bool abort_)
{
    bool ok = true;

    if (!abort_ && fake.txn_conflicts > 0) {
        fake.txn_conflicts--;
        errno = EAGAIN;
        ok = false;
    } else if (fake_fails("xs_transaction_end")) {
        ok = false;
    }
    if (abort_ || !ok) {
        /* back to the store as it was */
        int e = errno;
        fake_node_rm("");
        for (int i = 0; i < fake.n_snap; i++)
            fake.nodes[i] = fake.snap[i];
        fake.n_nodes = fake.n_snap;
        fake.n_snap = 0;
        fake.in_txn = false;
        errno = e;
    } else {
        fake_snap_drop();
    }
    return ok;
}

static bool f_xs_watch(libxl_ctx *ctx, const char *path, const char *token)
{
    if (fake_fails("xs_watch"))
        return false;
    if (fake.n_watches == FAKE_MAX_WATCHES)
        abort();
    fake.watches[fake.n_watches].path = strdup(path);
    fake.watches[fake.n_watches].token = strdup(token);
    fake.n_watches++;
    fake_queue_event(path, token);      /* xenstored fires at once */
    return true;
}

static bool f_xs_unwatch(libxl_ctx *ctx, const char *path, const char *token)
{
    for (int i = 0; i < fake.n_watches; i++) {
        struct fake_watch *w = &fake.watches[i];
        if (!strcmp(w->path, path) && !strcmp(w->token, token)) {
            free(w->path);
            free(w->token);
            *w = fake.watches[--fake.n_watches];
            return true;
        }
    }
    errno = ENOENT;
    return false;
}

static int f_xs_fileno(libxl_ctx *ctx)
{
    return fake.pipe[0];
}

static char **f_xs_check_watch(libxl_ctx *ctx)
{
    struct fake_watch e;
    size_t lp, lt;
    char **out;

    if (!fake.n_events) {
        errno = EAGAIN;
        return NULL;
    }
    e = fake.events[0];
    memmove(&fake.events[0], &fake.events[1],
            (size_t)(fake.n_events - 1) * sizeof(fake.events[0]));
    fake.n_events--;
    fake_pipe_sync();
    lp = strlen(e.path) + 1;
    lt = strlen(e.token) + 1;
    out = malloc(2 * sizeof(char *) + lp + lt);
    out[XS_WATCH_PATH] = (char *)(out + 2);
    out[XS_WATCH_TOKEN] = out[XS_WATCH_PATH] + lp;
    memcpy(out[XS_WATCH_PATH], e.path, lp);
    memcpy(out[XS_WATCH_TOKEN], e.token, lt);
    free(e.path);
    free(e.token);
    return out;
}

static bool f_xs_introduce_domain(libxl_ctx *ctx, unsigned int domid,
                                  unsigned long mfn, unsigned int evtchn)
{
    if (fake_fails("xs_introduce_domain"))
        return false;
    fake_log("xs_introduce_domain %u %lu %u", domid, mfn, evtchn);
    fake_fire("@introduceDomain", false);
    return true;
}

static bool f_xs_release_domain(libxl_ctx *ctx, unsigned int domid)
{
    if (fake_fails("xs_release_domain"))
        return false;
    fake_log("xs_release_domain %u", domid);
    return true;
}

static bool f_xs_resume_domain(libxl_ctx *ctx, unsigned int domid)
{
    if (fake_fails("xs_resume_domain"))
        return false;
    fake_log("xs_resume_domain %u", domid);
    return true;
}

static bool f_xs_set_target(libxl_ctx *ctx, unsigned int domid,
                            unsigned int target)
{
    if (fake_fails("xs_set_target"))
        return false;
    fake_log("xs_set_target %u %u", domid, target);
    return true;
}

static char *f_xs_get_domain_path(libxl_ctx *ctx, unsigned int domid)
{
    char *s;

    if (fake_fails("xs_get_domain_path"))
        return NULL;
    if (asprintf(&s, "/local/domain/%u", domid) < 0)
        abort();
    return s;
}

/*
 * The host's facts (physinfo, version, topology) and scheduling
 * parameters, as a test sets them in fake_host; zero-filled by
 * fake_host_reset().  Zero means: scheduler credit2, weight 256.
 */
#define FAKE_MAX_NODES_NUMA 4
#define FAKE_MAX_CPUS 8
static struct fake_host {
    xc_physinfo_t phys;
    long sharing_freed, sharing_used;   /* < 0: ENOSYS */
    int version;                        /* major << 16 | minor */
    const char *extra, *caps, *changeset, *cmdline;
    xen_compile_info_t cc;
    uint64_t virt_start;
    int pagesize;
    const uint8_t *build_id;            /* NULL: ENODATA */
    unsigned int build_id_len;
    int max_cpus;
    uint8_t freemap;                    /* the first 8 CPUs */
    int sched_id;                       /* XEN_SCHEDULER_* of every pool */
    int weight, cap, period, budget;
    unsigned int n_nodes;
    xc_meminfo_t mem[FAKE_MAX_NODES_NUMA];
    uint32_t dist[FAKE_MAX_NODES_NUMA * FAKE_MAX_NODES_NUMA];
    unsigned int n_cpus;
    xc_cputopo_t topo[FAKE_MAX_CPUS];
    uint32_t pci_node;                  /* the node of every PCI device */
    unsigned int pci_calls;             /* pcitopoinfo calls */
} fake_host;

static void __attribute__((unused)) fake_host_reset(void)
{
    memset(&fake_host, 0, sizeof(fake_host));
}

static int f_physinfo(libxl_ctx *ctx, xc_physinfo_t *info)
{
    if (fake_fails("physinfo"))
        return -1;
    *info = fake_host.phys;
    return 0;
}

static long f_sharing(long v)
{
    if (v < 0)
        errno = ENOSYS;
    return v < 0 ? -1 : v;
}

static long f_sharing_freed_pages(libxl_ctx *ctx)
{
    if (fake_fails("sharing_freed_pages"))
        return -1;
    return f_sharing(fake_host.sharing_freed);
}

static long f_sharing_used_frames(libxl_ctx *ctx)
{
    return f_sharing(fake_host.sharing_used);
}

static int f_version_str(void *arg, size_t len, const char *v)
{
    memset(arg, 0, len);
    strncpy(arg, v ? v : "", len - 1);
    return 0;
}

static int f_version(libxl_ctx *ctx, int cmd, void *arg)
{
    if (fake_fails("version"))
        return -1;
    switch (cmd) {
    case XENVER_version:
        return fake_host.version;
    case XENVER_extraversion:
        return f_version_str(arg, sizeof(xen_extraversion_t),
                             fake_host.extra);
    case XENVER_compile_info:
        memcpy(arg, &fake_host.cc, sizeof(fake_host.cc));
        return 0;
    case XENVER_capabilities:
        return f_version_str(arg, sizeof(xen_capabilities_info_t),
                             fake_host.caps);
    case XENVER_changeset:
        return f_version_str(arg, sizeof(xen_changeset_info_t),
                             fake_host.changeset);
    case XENVER_platform_parameters:
        ((xen_platform_parameters_t *)arg)->virt_start =
            fake_host.virt_start;
        return 0;
    case XENVER_pagesize:
        return fake_host.pagesize;
    case XENVER_commandline:
        return f_version_str(arg, sizeof(xen_commandline_t),
                             fake_host.cmdline);
    case XENVER_build_id: {
        xen_build_id_t *id = arg;

        if (!fake_host.build_id) {
            errno = ENODATA;
            return -1;
        }
        if (id->len < fake_host.build_id_len) {
            errno = ENOBUFS;
            return -1;
        }
        memcpy(id->buf, fake_host.build_id, fake_host.build_id_len);
        return (int)fake_host.build_id_len;
    }
    }
    errno = ENOSYS;
    return -1;
}

static int f_max_cpus(libxl_ctx *ctx)
{
    return fake_host.max_cpus;
}

static uint8_t *f_cpupool_freeinfo(libxl_ctx *ctx)
{
    uint8_t *m;

    if (fake_fails("cpupool_freeinfo"))
        return NULL;
    m = calloc((fake_host.max_cpus + 7) / 8 + 1, 1);
    m[0] = fake_host.freemap;
    return m;
}

static int f_cpupool_sched_id(libxl_ctx *ctx, uint32_t poolid, int *sched)
{
    if (fake_fails("cpupool_sched_id"))
        return -1;
    if (poolid != 0) {
        errno = ENOENT;
        return -1;
    }
    *sched = fake_host.sched_id ? fake_host.sched_id : XEN_SCHEDULER_CREDIT2;
    return 0;
}

static int f_numainfo(libxl_ctx *ctx, unsigned int *num, xc_meminfo_t *mem,
                      uint32_t *dist)
{
    unsigned int n = fake_host.n_nodes;

    if (fake_fails("numainfo"))
        return -1;
    if (mem) {
        if (*num < n)
            n = *num;
        memcpy(mem, fake_host.mem, n * sizeof(*mem));
        /* Xen's distance matrix is num x num, row by row. */
        for (unsigned int i = 0; i < n; i++)
            for (unsigned int j = 0; j < n; j++)
                dist[i * n + j] = fake_host.dist[i * fake_host.n_nodes + j];
    }
    *num = n;
    return 0;
}

static int f_cputopoinfo(libxl_ctx *ctx, unsigned int *num,
                         xc_cputopo_t *topo)
{
    unsigned int n = fake_host.n_cpus;

    if (fake_fails("cputopoinfo"))
        return -1;
    if (topo) {
        if (*num < n)
            n = *num;
        memcpy(topo, fake_host.topo, n * sizeof(*topo));
    }
    *num = n;
    return 0;
}

static int f_pcitopoinfo(libxl_ctx *ctx, unsigned int num,
                         physdev_pci_device_t *devs, uint32_t *nodes)
{
    if (fake_fails("pcitopoinfo"))
        return -1;
    fake_host.pci_calls++;
    for (unsigned int i = 0; i < num; i++)
        nodes[i] = fake_host.pci_node;
    return 0;
}

static int f_sched_dom_ok(uint32_t domid, const char *op)
{
    if (fake_fails(op))
        return -1;
    if (!fake_dom_find(domid)) {
        errno = ESRCH;
        return -1;
    }
    return 0;
}

static int f_sched_credit_domain_get(libxl_ctx *ctx, uint32_t domid,
                                     struct xen_domctl_sched_credit *sdom)
{
    if (f_sched_dom_ok(domid, "sched_credit_domain_get"))
        return -1;
    sdom->weight = fake_host.weight ? fake_host.weight : 256;
    sdom->cap = fake_host.cap;
    return 0;
}

static int f_sched_credit2_domain_get(libxl_ctx *ctx, uint32_t domid,
                                      struct xen_domctl_sched_credit2 *sdom)
{
    if (f_sched_dom_ok(domid, "sched_credit2_domain_get"))
        return -1;
    sdom->weight = fake_host.weight ? fake_host.weight : 256;
    sdom->cap = fake_host.cap;
    return 0;
}

static int f_sched_rtds_domain_get(libxl_ctx *ctx, uint32_t domid,
                                   struct xen_domctl_sched_rtds *sdom)
{
    if (f_sched_dom_ok(domid, "sched_rtds_domain_get"))
        return -1;
    sdom->period = fake_host.period;
    sdom->budget = fake_host.budget;
    sdom->flags = 0;                    /* as Xen fills it */
    return 0;
}

/* The setters store into fake_host (the getters read it back) and log
 * "OP DOMID A B [FLAGS]". */
static int f_sched_credit_domain_set(libxl_ctx *ctx, uint32_t domid,
                                     struct xen_domctl_sched_credit *sdom)
{
    if (f_sched_dom_ok(domid, "sched_credit_domain_set"))
        return -1;
    fake_host.weight = sdom->weight;
    fake_host.cap = sdom->cap;
    fake_log("sched_credit_domain_set %u %u %u", domid, sdom->weight,
             sdom->cap);
    return 0;
}

static int f_sched_credit2_domain_set(libxl_ctx *ctx, uint32_t domid,
                                      struct xen_domctl_sched_credit2 *sdom)
{
    if (f_sched_dom_ok(domid, "sched_credit2_domain_set"))
        return -1;
    fake_host.weight = sdom->weight;
    fake_host.cap = sdom->cap;
    fake_log("sched_credit2_domain_set %u %u %u", domid, sdom->weight,
             sdom->cap);
    return 0;
}

static int f_sched_rtds_domain_set(libxl_ctx *ctx, uint32_t domid,
                                   struct xen_domctl_sched_rtds *sdom)
{
    if (f_sched_dom_ok(domid, "sched_rtds_domain_set"))
        return -1;
    fake_host.period = sdom->period;
    fake_host.budget = sdom->budget;
    fake_log("sched_rtds_domain_set %u %u %u %u", domid, sdom->period,
             sdom->budget, sdom->flags);
    return 0;
}

static const libxl__sys_ops fake_ops = {
    .domain_create = f_domain_create,
    .domain_getinfolist = f_domain_getinfolist,
    .domain_pause = f_domain_pause,
    .domain_unpause = f_domain_unpause,
    .domain_destroy = f_domain_destroy,
    .domain_shutdown = f_domain_shutdown,
    .domain_soft_reset = f_domain_soft_reset,
    .domain_max_vcpus = f_domain_max_vcpus,
    .domain_setmaxmem = f_domain_setmaxmem,
    .domain_sethandle = f_domain_sethandle,
    .hvm_param_get = f_hvm_param_get,
    .hvm_param_set = f_hvm_param_set,
    .evtchn_alloc_unbound = f_evtchn_alloc_unbound,
    .evtchn_status = f_evtchn_status,
    .domain_send_trigger = f_domain_send_trigger,
    .domain_dumpcore = f_domain_dumpcore,
    .sched_id = f_sched_id,
    .xs_read = f_xs_read,
    .xs_write = f_xs_write,
    .xs_mkdir = f_xs_mkdir,
    .xs_rm = f_xs_rm,
    .xs_directory = f_xs_directory,
    .xs_get_permissions = f_xs_get_permissions,
    .xs_set_permissions = f_xs_set_permissions,
    .xs_transaction_start = f_xs_transaction_start,
    .xs_transaction_end = f_xs_transaction_end,
    .xs_watch = f_xs_watch,
    .xs_unwatch = f_xs_unwatch,
    .xs_fileno = f_xs_fileno,
    .xs_check_watch = f_xs_check_watch,
    .xs_introduce_domain = f_xs_introduce_domain,
    .xs_release_domain = f_xs_release_domain,
    .xs_resume_domain = f_xs_resume_domain,
    .xs_set_target = f_xs_set_target,
    .xs_get_domain_path = f_xs_get_domain_path,
    .physinfo = f_physinfo,
    .sharing_freed_pages = f_sharing_freed_pages,
    .sharing_used_frames = f_sharing_used_frames,
    .version = f_version,
    .max_cpus = f_max_cpus,
    .cpupool_freeinfo = f_cpupool_freeinfo,
    .cpupool_sched_id = f_cpupool_sched_id,
    .numainfo = f_numainfo,
    .cputopoinfo = f_cputopoinfo,
    .pcitopoinfo = f_pcitopoinfo,
    .sched_credit_domain_get = f_sched_credit_domain_get,
    .sched_credit2_domain_get = f_sched_credit2_domain_get,
    .sched_rtds_domain_get = f_sched_rtds_domain_get,
    .sched_credit_domain_set = f_sched_credit_domain_set,
    .sched_credit2_domain_set = f_sched_credit2_domain_set,
    .sched_rtds_domain_set = f_sched_rtds_domain_set,
};

/* Frees everything and starts empty (dom0 is not added: tests do). */
static void fake_reset(void)
{
    fake_node_rm("");           /* every path is below "" */
    for (int i = 0; i < fake.n_nodes; i++) {
        free(fake.nodes[i].path);
        free(fake.nodes[i].value);
    }
    for (int i = 0; i < fake.n_watches; i++) {
        free(fake.watches[i].path);
        free(fake.watches[i].token);
    }
    for (int i = 0; i < fake.n_events; i++) {
        free(fake.events[i].path);
        free(fake.events[i].token);
    }
    for (int i = 0; i < fake.n_log; i++)
        free(fake.log[i]);
    fake_snap_drop();
    if (fake.pipe[0] >= 0) {
        close(fake.pipe[0]);
        close(fake.pipe[1]);
    }
    memset(&fake, 0, sizeof(fake));
    if (pipe2(fake.pipe, O_NONBLOCK | O_CLOEXEC))
        abort();
}

/* The level a suite's ctx logs at: everything with TEST_VERBOSE set in
 * the environment, else only what is critical (quiet tests). */
static xentoollog_level __attribute__((unused)) fake_log_level(void)
{
    return getenv("TEST_VERBOSE") ? XTL_DEBUG : XTL_CRITICAL;
}

/* A ctx on ops (fake_ops, or a copy with some ops of the suite's own),
 * logging to stderr at level min. */
static libxl_ctx *__attribute__((unused))
fake_ctx_ops(xentoollog_level min, const libxl__sys_ops *ops)
{
    libxl_ctx *ctx;
    xentoollog_logger *lg = (xentoollog_logger *)
        xtl_createlogger_stdiostream(stderr, min, 0);

    if (libxl__ctx_alloc_fake(&ctx, lg, ops))
        abort();
    return ctx;
}

/* A ctx on the fakes, logging to stderr at level min (XTL_* ; use
 * XTL_CRITICAL to keep tests quiet). */
static libxl_ctx *__attribute__((unused)) fake_ctx(xentoollog_level min)
{
    return fake_ctx_ops(min, &fake_ops);
}

static void __attribute__((unused)) fake_ctx_free(libxl_ctx *ctx)
{
    xentoollog_logger *lg = ctx->lg;

    libxl_ctx_free(ctx);
    xtl_logger_destroy(lg);
}

/*
 * The end of a test that ran on its own ctx (freed, *ctxp NULL) and
 * scratch directory: the fake state is reset, the directory removed and
 * tmpdir set back to its mkdtemp template for the next test.  0 or -1.
 */
static int __attribute__((unused)) fake_teardown(libxl_ctx **ctxp,
                                                 char *tmpdir,
                                                 const char *template)
{
    char cmd[128];

    fake_ctx_free(*ctxp);
    *ctxp = NULL;
    fake_reset();
    snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
    if (system(cmd))
        return -1;
    strcpy(tmpdir, template);
    return 0;
}

#endif /* FAKE_SYS_H */
