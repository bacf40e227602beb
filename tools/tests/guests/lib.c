/*
 * pvh-probe: the little runtime a freestanding guest needs: strings, a
 * printf subset and line output to port 0xE9 and the PV console ring.
 */
#include "probe.h"

#include <xen/io/console.h>

#define DEBUG_PORT 0xe9

size_t str_len(const char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

int str_ncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
        if (!*a)
            return 0;
    }
    return 0;
}

int str_cmp(const char *a, const char *b)
{
    return str_ncmp(a, b, (size_t)-1);
}

/* The compiler may emit calls to these two even with -ffreestanding. */
void *memcpy(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;

    while (n--)
        *d++ = *s++;
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    uint8_t *d = dst;

    while (n--)
        *d++ = (uint8_t)c;
    return dst;
}

bool parse_uint(const char *s, size_t len, uint64_t *out)
{
    uint64_t v = 0;
    size_t i;

    if (!len || len > 19)
        return false;
    for (i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = v;
    return true;
}

struct sink {
    char *buf;
    size_t size, len;
};

static void put(struct sink *k, char c)
{
    if (k->len + 1 < k->size)
        k->buf[k->len] = c;
    k->len++;
}

static void put_num(struct sink *k, uint64_t v, unsigned int base, bool neg,
                    unsigned int width, char pad)
{
    char tmp[24];
    unsigned int n = 0;

    do {
        tmp[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (neg)
        tmp[n++] = '-';
    while (width > n) {
        put(k, pad);
        width--;
    }
    while (n)
        put(k, tmp[--n]);
}

/* %s %c %d %i %u %x %p %%, with l/ll/z and a zero-padded width. */
int vfmt(char *buf, size_t size, const char *f, va_list ap)
{
    struct sink k = { buf, size, 0 };

    for (; *f; f++) {
        unsigned int width = 0, lng = 0;
        char pad = ' ';

        if (*f != '%') {
            put(&k, *f);
            continue;
        }
        f++;
        if (*f == '0')
            pad = '0';
        while (*f >= '0' && *f <= '9')
            width = width * 10 + (unsigned int)(*f++ - '0');
        while (*f == 'l' || *f == 'z') {
            lng++;
            f++;
        }
        switch (*f) {
        case 's': {
            const char *s = va_arg(ap, const char *);

            if (!s)
                s = "(null)";
            while (*s)
                put(&k, *s++);
            break;
        }
        case 'c':
            put(&k, (char)va_arg(ap, int));
            break;
        case 'd':
        case 'i': {
            int64_t v = lng ? va_arg(ap, long) : va_arg(ap, int);

            put_num(&k, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0,
                    width, pad);
            break;
        }
        case 'u':
        case 'x': {
            uint64_t v = lng ? va_arg(ap, unsigned long)
                             : va_arg(ap, unsigned int);

            put_num(&k, v, *f == 'u' ? 10 : 16, false, width, pad);
            break;
        }
        case 'p':
            put(&k, '0');
            put(&k, 'x');
            put_num(&k, (uintptr_t)va_arg(ap, void *), 16, false, width,
                    pad);
            break;
        case '%':
            put(&k, '%');
            break;
        default:
            put(&k, '%');
            if (!*f)
                goto out;
            put(&k, *f);
        }
    }
out:
    if (size)
        buf[k.len < size ? k.len : size - 1] = '\0';
    return (int)k.len;
}

int fmt(char *buf, size_t size, const char *f, ...)
{
    va_list ap;
    int n;

    va_start(ap, f);
    n = vfmt(buf, size, f, ap);
    va_end(ap);
    return n;
}

static struct xencons_interface *cons;
static uint32_t cons_evtchn;

void console_attach(void *ring, uint32_t evtchn)
{
    cons = ring;
    cons_evtchn = evtchn;
}

void console_detach(void)
{
    cons = NULL;
}

/*
 * Copy a line into the console's output ring.  xenconsoled drains it;
 * if it does not within a short while, drop the rest rather than hang.
 */
static void console_write(const char *s, size_t n)
{
    XENCONS_RING_IDX prod;
    uint64_t give_up = rdtsc() + ms_to_tsc(200);
    size_t i = 0;

    prod = cons->out_prod;
    while (i < n) {
        mb();
        if (prod - cons->out_cons >= sizeof(cons->out)) {
            if (rdtsc() > give_up)
                break;
            cons->out_prod = prod;
            xen_evtchn_send(cons_evtchn);
            xen_yield();
            continue;
        }
        cons->out[MASK_XENCONS_IDX(prod, cons->out)] = s[i++];
        prod++;
    }
    mb();
    cons->out_prod = prod;
    xen_evtchn_send(cons_evtchn);
}

void pr(const char *f, ...)
{
    char line[256];
    va_list ap;
    int n;
    size_t i, len;

    va_start(ap, f);
    n = vfmt(line, sizeof(line) - 1, f, ap);
    va_end(ap);
    len = (size_t)n < sizeof(line) - 2 ? (size_t)n : sizeof(line) - 2;
    line[len++] = '\n';
    line[len] = '\0';
    for (i = 0; i < len; i++)
        outb(DEBUG_PORT, (uint8_t)line[i]);
    if (cons)
        console_write(line, len);
}
