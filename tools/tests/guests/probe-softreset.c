/*
 * probe-softreset DOMID: the bare Xen-level soft reset of a device-less
 * PVH domain, done by hand in dom0 with libxenctrl and libxenstore.  Not
 * a toolstack: it exists to test pvh-probe's second life on real Xen
 * independently of any xl (upstream's refuses PVH, ours cannot yet).
 *
 * The domain must have shut down with reason soft_reset (5), else the
 * exit status is 3 and nothing is done (other errors: 1).  Steps:
 * release it in xenstored, keep it paused, XEN_DOMCTL_soft_reset (which
 * closes its event channels and keeps its memory), allocate new store
 * and console event channels, publish them in the HVM params and
 * xenstore, re-introduce it to xenstored with the same ring page,
 * rewrite the permissions of its xenstore home, unpause.  xenconsoled is
 * not told: the PV console stays silent after the reset, port 0xE9 is
 * the channel that matters.
 *
 * Why the permissions: xenstored (4.17, since XSA-322) ignores a node's
 * permission entry for a domain introduced after the node was last
 * written, so after release + introduce the guest gets EACCES on its own
 * home until each node is written again.  And releasing the domain makes
 * xenstored delete the nodes the domain owns (data/ and what the guest
 * wrote there): they are saved before and written back after.  Both
 * measured on the test host.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenctrl.h>
#include <xenstore.h>
#include <xen/hvm/params.h>
#include <xen/sched.h>

static int fail(const char *what, uint32_t domid)
{
    fprintf(stderr, "probe-softreset: domain %" PRIu32 ": %s: %s\n", domid,
            what, strerror(errno));
    return 1;
}

static int publish_port(struct xs_handle *xs, uint32_t domid,
                        const char *node, unsigned int port)
{
    char path[64], val[16];

    snprintf(path, sizeof(path), "/local/domain/%" PRIu32 "/%s", domid, node);
    snprintf(val, sizeof(val), "%u", port);
    return xs_write(xs, XBT_NULL, path, val, strlen(val)) ? 0 : -1;
}

struct saved_node {
    char *path, *val;
    unsigned int len, nperms;
    struct xs_permissions *perms;
};

/* Saves (pre-order) the nodes under path that the domain owns. */
static int save_owned(struct xs_handle *xs, const char *path, uint32_t domid,
                      struct saved_node **nodes, unsigned int *n)
{
    struct xs_permissions *perms;
    unsigned int nperms, nc, i;
    char **children;
    int rc = 0;

    perms = xs_get_permissions(xs, XBT_NULL, path, &nperms);
    if (!perms)
        return -1;
    if (nperms && perms[0].id == domid) {
        struct saved_node *tmp = realloc(*nodes, (*n + 1) * sizeof(**nodes));

        if (!tmp) {
            free(perms);
            return -1;
        }
        *nodes = tmp;
        tmp[*n].path = strdup(path);
        tmp[*n].val = xs_read(xs, XBT_NULL, path, &tmp[*n].len);
        tmp[*n].perms = perms;
        tmp[*n].nperms = nperms;
        (*n)++;
        perms = NULL;
    }
    free(perms);
    children = xs_directory(xs, XBT_NULL, path, &nc);
    for (i = 0; children && i < nc && !rc; i++) {
        char *child;

        if (asprintf(&child, "%s/%s", path, children[i]) < 0)
            rc = -1;
        else {
            rc = save_owned(xs, child, domid, nodes, n);
            free(child);
        }
    }
    free(children);
    return rc;
}

static int restore_owned(struct xs_handle *xs, struct saved_node *nodes,
                         unsigned int n)
{
    unsigned int i;

    for (i = 0; i < n; i++) {
        if (!xs_write(xs, XBT_NULL, nodes[i].path,
                      nodes[i].val ? nodes[i].val : "", nodes[i].len) ||
            !xs_set_permissions(xs, XBT_NULL, nodes[i].path, nodes[i].perms,
                                nodes[i].nperms))
            return -1;
    }
    return 0;
}

/* Sets every node's permissions under path to what they already are. */
static int refresh_perms(struct xs_handle *xs, const char *path)
{
    struct xs_permissions *perms;
    unsigned int nperms, n, i;
    char **children;
    int rc = 0;

    perms = xs_get_permissions(xs, XBT_NULL, path, &nperms);
    if (!perms)
        return -1;
    if (!xs_set_permissions(xs, XBT_NULL, path, perms, nperms))
        rc = -1;
    free(perms);
    children = xs_directory(xs, XBT_NULL, path, &n);
    for (i = 0; children && i < n && !rc; i++) {
        char *child;

        if (asprintf(&child, "%s/%s", path, children[i]) < 0)
            rc = -1;
        else {
            rc = refresh_perms(xs, child);
            free(child);
        }
    }
    free(children);
    return rc;
}

int main(int argc, char **argv)
{
    xc_interface *xch;
    struct xs_handle *xs;
    xc_dominfo_t info;
    uint64_t store_pfn, console_pfn;
    uint32_t domid;
    struct saved_node *saved = NULL;
    unsigned int nsaved = 0, i;
    char *end, home[32];
    int store_port, console_port, rc = 1;

    if (argc != 2) {
        fprintf(stderr, "usage: probe-softreset DOMID\n");
        return 2;
    }
    errno = 0;
    domid = (uint32_t)strtoul(argv[1], &end, 10);
    if (errno || *end || end == argv[1] || domid == 0) {
        fprintf(stderr, "probe-softreset: bad domid '%s'\n", argv[1]);
        return 2;
    }
    xch = xc_interface_open(NULL, NULL, 0);
    if (!xch)
        return fail("xc_interface_open", domid);
    xs = xs_open(0);
    if (!xs) {
        xc_interface_close(xch);
        return fail("xs_open", domid);
    }

    if (xc_domain_getinfo(xch, domid, 1, &info) != 1 || info.domid != domid) {
        errno = ESRCH;
        fail("no such domain", domid);
        goto out;
    }
    if (!info.hvm || !info.shutdown ||
        info.shutdown_reason != SHUTDOWN_soft_reset) {
        fprintf(stderr, "probe-softreset: domain %" PRIu32 " is not a HVM/PVH "
                "domain shut down for soft reset (hvm=%u shutdown=%u "
                "reason=%u)\n", domid, info.hvm, info.shutdown,
                info.shutdown_reason);
        rc = 3;
        goto out;
    }
    if (xc_hvm_param_get(xch, domid, HVM_PARAM_STORE_PFN, &store_pfn) ||
        xc_hvm_param_get(xch, domid, HVM_PARAM_CONSOLE_PFN, &console_pfn)) {
        fail("reading the ring pfns", domid);
        goto out;
    }
    snprintf(home, sizeof(home), "/local/domain/%" PRIu32, domid);
    if (save_owned(xs, home, domid, &saved, &nsaved)) {
        fail("saving the nodes it owns", domid);
        goto out;
    }
    if (!xs_release_domain(xs, domid)) {
        fail("xs_release_domain", domid);
        goto out;
    }
    /* The domctl resumes the domain: this pause keeps it still. */
    if (xc_domain_pause(xch, domid)) {
        fail("pause", domid);
        goto out;
    }
    if (xc_domain_soft_reset(xch, domid)) {
        fail("XEN_DOMCTL_soft_reset", domid);
        goto out;
    }
    store_port = xc_evtchn_alloc_unbound(xch, domid, 0);
    console_port = xc_evtchn_alloc_unbound(xch, domid, 0);
    if (store_port < 0 || console_port < 0) {
        fail("allocating event channels", domid);
        goto out;
    }
    if (xc_hvm_param_set(xch, domid, HVM_PARAM_STORE_EVTCHN, store_port) ||
        xc_hvm_param_set(xch, domid, HVM_PARAM_CONSOLE_EVTCHN,
                         console_port)) {
        fail("setting the event channel params", domid);
        goto out;
    }
    if (publish_port(xs, domid, "store/port", store_port) ||
        publish_port(xs, domid, "console/port", console_port)) {
        fail("writing the ports to xenstore", domid);
        goto out;
    }
    if (!xs_introduce_domain(xs, domid, store_pfn, store_port)) {
        fail("xs_introduce_domain", domid);
        goto out;
    }
    if (restore_owned(xs, saved, nsaved)) {
        fail("restoring the nodes it owned", domid);
        goto out;
    }
    if (refresh_perms(xs, home)) {
        fail("rewriting the permissions of its home", domid);
        goto out;
    }
    if (xc_domain_unpause(xch, domid)) {
        fail("unpause", domid);
        goto out;
    }
    printf("domain %" PRIu32 " soft-reset: store pfn %#" PRIx64 " port %d, "
           "console pfn %#" PRIx64 " port %d, %u owned nodes restored\n",
           domid, store_pfn, store_port, console_pfn, console_port, nsaved);
    rc = 0;
out:
    for (i = 0; i < nsaved; i++) {
        free(saved[i].path);
        free(saved[i].val);
        free(saved[i].perms);
    }
    free(saved);
    xs_close(xs);
    xc_interface_close(xch);
    return rc;
}
