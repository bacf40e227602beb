/*
 * libxl_internal.c: per-call memory (libxl__gc) and logging.
 */
#include "libxl_internal.h"

/* Header of each gc allocation; the union keeps the payload aligned. */
union libxl__gc_block {
    struct {
        libxl__gc_block *next, *prev;
    } link;
    max_align_t align;
};

void libxl__alloc_failed(libxl_ctx *ctx, const char *func, size_t nmemb,
                         size_t size)
{
    libxl__log(ctx, XTL_CRITICAL, ENOMEM, __FILE__, __LINE__, func,
               INVALID_DOMID, "out of memory allocating %zu x %zu bytes",
               nmemb, size);
    fprintf(stderr, "libxl: fatal: out of memory in %s (%zu x %zu)\n", func,
            nmemb, size);
    abort();
}

static void gc_link(libxl__gc *gc, libxl__gc_block *b)
{
    b->link.prev = NULL;
    b->link.next = gc->blocks;
    if (gc->blocks)
        gc->blocks->link.prev = b;
    gc->blocks = b;
}

static void gc_unlink(libxl__gc *gc, libxl__gc_block *b)
{
    if (b->link.prev)
        b->link.prev->link.next = b->link.next;
    else
        gc->blocks = b->link.next;
    if (b->link.next)
        b->link.next->link.prev = b->link.prev;
}

void libxl__free_all(libxl__gc *gc)
{
    libxl__gc_block *b = gc->blocks, *next;

    for (; b; b = next) {
        next = b->link.next;
        free(b);
    }
    gc->blocks = NULL;
}

void *libxl__realloc(libxl__gc *gc, void *ptr, size_t new_size)
{
    libxl__gc_block *b = NULL;

    if (!gc) {
        void *p = realloc(ptr, new_size ? new_size : 1);
        if (!p)
            libxl__alloc_failed(NULL, __func__, 1, new_size);
        return p;
    }
    if (new_size > SIZE_MAX - sizeof(*b))
        libxl__alloc_failed(CTX, __func__, 1, new_size);
    if (ptr) {
        b = (libxl__gc_block *)ptr - 1;
        gc_unlink(gc, b);
    }
    libxl__gc_block *nb = realloc(b, sizeof(*b) + new_size);
    if (!nb) {
        if (b)
            gc_link(gc, b);
        libxl__alloc_failed(CTX, __func__, 1, new_size);
    }
    gc_link(gc, nb);
    return nb + 1;
}

void *libxl__malloc(libxl__gc *gc, size_t size)
{
    return libxl__realloc(gc, NULL, size);
}

void *libxl__zalloc(libxl__gc *gc, size_t size)
{
    void *p = libxl__malloc(gc, size);
    memset(p, 0, size);
    return p;
}

void *libxl__calloc(libxl__gc *gc, size_t nmemb, size_t size)
{
    if (!nmemb || !size)
        return NULL;
    if (nmemb > SIZE_MAX / size)
        libxl__alloc_failed(libxl__gc_owner(gc), __func__, nmemb, size);
    return libxl__zalloc(gc, nmemb * size);
}

char *libxl__strndup(libxl__gc *gc, const char *c, size_t n)
{
    if (!c)
        return NULL;
    size_t len = strnlen(c, n);
    char *s = libxl__malloc(gc, len + 1);
    memcpy(s, c, len);
    s[len] = '\0';
    return s;
}

char *libxl__strdup(libxl__gc *gc, const char *c)
{
    return c ? libxl__strndup(gc, c, strlen(c)) : NULL;
}

char *libxl__vsprintf(libxl__gc *gc, const char *fmt, va_list ap)
{
    va_list aq;
    int len;

    va_copy(aq, ap);
    len = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (len < 0)
        libxl__alloc_failed(libxl__gc_owner(gc), __func__, 1, 0);
    char *s = libxl__malloc(gc, (size_t)len + 1);
    vsnprintf(s, (size_t)len + 1, fmt, ap);
    return s;
}

char *libxl__sprintf(libxl__gc *gc, const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = libxl__vsprintf(gc, fmt, ap);
    va_end(ap);
    return s;
}

void libxl__log(libxl_ctx *ctx, xentoollog_level msglevel, int errnoval,
                const char *file, int line, const char *func,
                uint32_t domid, const char *fmt, ...)
{
    char msg[1024], dom[32] = "";
    const char *base = strrchr(file, '/');
    int saved_errno = errno;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (domid != (uint32_t)INVALID_DOMID)
        snprintf(dom, sizeof(dom), "Domain %" PRIu32 ":", domid);
    base = base ? base + 1 : file;

    if (ctx && ctx->lg) {
        xtl_log(ctx->lg, msglevel, errnoval, "libxl", "%s:%d:%s: %s%s", base,
                line, func, dom, msg);
    } else if (msglevel >= XTL_WARN) {
        /* No context (xl -N): say it on stderr, as a logger would. */
        fprintf(stderr, "libxl: %s: %s:%d:%s: %s%s%s%s\n",
                xtl_level_to_string(msglevel), base, line, func, dom, msg,
                errnoval >= 0 ? ": " : "",
                errnoval >= 0 ? strerror(errnoval) : "");
    }
    errno = saved_errno;
}
