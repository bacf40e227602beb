/*
 * libxl.c: the library context.
 */
#include <unistd.h>

#include "libxl_internal.h"
#include "libxl_sys.h"
#include "libxl_event_internal.h"
#include "libxl_domain.h"

/* libxencall, under xc_interface_open, needs one of these; without it
 * libxencall would log a stack of errors naming none of the reason. */
static bool have_privcmd(const libxl_ctx *ctx)
{
    for (const char *const *p = ctx->tun->privcmd_paths; *p; p++)
        if (!access(*p, F_OK))
            return true;
    return false;
}

void libxl__ctx_lock(libxl_ctx *ctx)
{
    int r = pthread_mutex_lock(&ctx->lock);
    assert(!r);
}

void libxl__ctx_unlock(libxl_ctx *ctx)
{
    int r = pthread_mutex_unlock(&ctx->lock);
    assert(!r);
}

static int init_recursive_mutex(pthread_mutex_t *lock)
{
    pthread_mutexattr_t attr;
    int r;

    r = pthread_mutexattr_init(&attr);
    if (r)
        return r;
    r = pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    if (!r)
        r = pthread_mutex_init(lock, &attr);
    pthread_mutexattr_destroy(&attr);
    return r;
}

int libxl_ctx_alloc(libxl_ctx **pctx, int version, unsigned flags,
                    xentoollog_logger *lg)
{
    libxl_ctx *ctx;
    int rc;

    *pctx = NULL;
    if (version != LIBXL_VERSION)
        return ERROR_VERSION;

    ctx = calloc(1, sizeof(*ctx));
    if (!ctx) {
        xtl_log(lg, XTL_ERROR, errno, "libxl", "cannot allocate a context");
        return ERROR_NOMEM;
    }
    ctx->lg = lg;
    ctx->sys = &libxl__sys_real;
    ctx->tun = &libxl__tun;
    XEN_TAILQ_INIT(&ctx->occurred);
    XEN_TAILQ_INIT(&ctx->for_hooks);
    rc = init_recursive_mutex(&ctx->lock);
    if (rc) {
        LIBXL__LOG_ERRNOVAL(ctx, XTL_ERROR, rc, "cannot create ctx lock");
        free(ctx);
        return ERROR_FAIL;
    }
    /* ctx is now safe for libxl_ctx_free. */

    if (!have_privcmd(ctx)) {
        LIBXL__LOG(ctx, XTL_ERROR,
                   "cannot reach the Xen hypervisor: no privcmd device (%s): "
                   "this is not a Xen dom0; run on the test host "
                   "(tools/testhost)", ctx->tun->privcmd_paths[0]);
        rc = ERROR_FAIL;
        goto out;
    }

    ctx->xch = xc_interface_open(lg, lg, 0);
    if (!ctx->xch) {
        LIBXL__LOG_ERRNO(ctx, XTL_ERROR, "cannot open libxc handle");
        rc = ERROR_FAIL;
        goto out;
    }

    ctx->xsh = xs_open(0);
    if (!ctx->xsh) {
        LIBXL__LOG_ERRNO(ctx, XTL_ERROR, "cannot connect to xenstore");
        rc = ERROR_FAIL;
        goto out;
    }

    ctx->xce = xenevtchn_open(lg, 0);
    if (!ctx->xce) {
        LIBXL__LOG_ERRNO(ctx, XTL_ERROR, "cannot open the event channel "
                         "device");
        rc = ERROR_FAIL;
        goto out;
    }

    *pctx = ctx;
    return 0;

out:
    libxl_ctx_free(ctx);
    return rc;
}

int libxl__ctx_alloc_fake(libxl_ctx **pctx, xentoollog_logger *lg,
                          const libxl__sys_ops *ops)
{
    libxl_ctx *ctx = calloc(1, sizeof(*ctx));

    *pctx = NULL;
    if (!ctx)
        return ERROR_NOMEM;
    ctx->lg = lg;
    ctx->sys = ops;
    ctx->tun = &libxl__tun;
    XEN_TAILQ_INIT(&ctx->occurred);
    XEN_TAILQ_INIT(&ctx->for_hooks);
    if (init_recursive_mutex(&ctx->lock)) {
        free(ctx);
        return ERROR_FAIL;
    }
    *pctx = ctx;
    return 0;
}

int libxl_ctx_free(libxl_ctx *ctx)
{
    if (!ctx)
        return 0;
    if (ctx->sys)
        libxl__event_ctx_free(ctx);
    libxl__domain_locks_free(ctx);
    libxl__info_ctx_free(ctx);
    if (ctx->xce)
        xenevtchn_close(ctx->xce);
    if (ctx->xsh)
        xs_close(ctx->xsh);
    if (ctx->xch)
        xc_interface_close(ctx->xch);
    pthread_mutex_destroy(&ctx->lock);
    free(ctx);
    return 0;
}

void libxl_postfork_child_noexec(libxl_ctx *ctx)
{
    /* The parent's connections stay intact: close our copies of the
     * fds only, tell xenstored nothing. */
    if (!ctx)
        return;
    if (ctx->xsh)
        xs_daemon_destroy_postfork(ctx->xsh);
    ctx->xsh = NULL;
    if (ctx->xce)
        xenevtchn_close(ctx->xce);
    ctx->xce = NULL;
    if (ctx->xch)
        xc_interface_close(ctx->xch);
    ctx->xch = NULL;
}
