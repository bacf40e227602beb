/*
 * xl: helpers shared by every subcommand.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxl.h>
#include <libxl_json.h>

#include "xl.h"
#include "xl_utils.h"

static void __attribute__((noreturn)) out_of_memory(void)
{
    fputs("xl: out of memory\n", stderr);
    exit(EXIT_FAILURE);
}

void *xmalloc(size_t sz)
{
    void *p = malloc(sz ? sz : 1);

    if (!p)
        out_of_memory();
    return p;
}

void *xcalloc(size_t n, size_t sz)
{
    void *p = calloc(n ? n : 1, sz ? sz : 1);

    if (!p)
        out_of_memory();
    return p;
}

void *xrealloc(void *p, size_t sz)
{
    void *q = realloc(p, sz ? sz : 1);

    if (!q)
        out_of_memory();
    return q;
}

char *xstrdup(const char *s)
{
    char *d;

    if (!s)
        return NULL;
    d = strdup(s);
    if (!d)
        out_of_memory();
    return d;
}

int xasprintf(char **strp, const char *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = vasprintf(strp, fmt, ap);
    va_end(ap);
    if (r < 0)
        out_of_memory();
    return r;
}

static void vmsg(const char *fmt, va_list ap)
{
    fputs("xl: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void xl_err(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vmsg(fmt, ap);
    va_end(ap);
}

void xl_die(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vmsg(fmt, ap);
    va_end(ap);
    exit(EXIT_FAILURE);
}

void string_realloc_append(char **acc, const char *more)
{
    size_t oldlen = *acc ? strlen(*acc) : 0;
    size_t morelen = strlen(more);

    *acc = xrealloc(*acc, oldlen + morelen + 1);
    memcpy(*acc + oldlen, more, morelen + 1);
}

void xl_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "xl %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\n\n", stderr);
    help_to(stderr, cmd);
    exit(XL_EXIT_USAGE);
}

int xl_getopt(int argc, char **argv, const char *optstring,
              const struct option *longopts, const char *cmd, int reqargs)
{
    static const struct option common[] = { XL_COMMON_LONG_OPTS };
    char *optstr;
    int opt;

    /* A leading ':' makes getopt tell a missing argument from an
     * unknown option. */
    xasprintf(&optstr, ":%sh", optstring);
    opterr = 0;
    opt = getopt_long(argc, argv, optstr, longopts ? longopts : common,
                      NULL);
    free(optstr);

    switch (opt) {
    case 'h':
        help(cmd);
        exit(EXIT_SUCCESS);
    case '?':
        if (optopt)
            xl_usage_error(cmd, "unknown option -%c", optopt);
        xl_usage_error(cmd, "unknown option %s", argv[optind - 1]);
    case ':':
        if (optopt)
            xl_usage_error(cmd, "option -%c needs an argument", optopt);
        xl_usage_error(cmd, "option %s needs an argument",
                       argv[optind - 1]);
    case -1:
        if (argc - optind < reqargs)
            xl_usage_error(cmd, "needs at least %d argument%s", reqargs,
                           reqargs > 1 ? "s" : "");
        return -1;
    default:
        return opt;
    }
}

void flush_stream(FILE *fh)
{
    const char *name = fh == stdout ? "stdout" : "stderr";

    if (fflush(fh) || (fh == stdout && ferror(fh))) {
        fprintf(stderr, "xl: failed to write to %s: %s\n", name,
                strerror(errno));
        exit(EXIT_FAILURE);
    }
}

int xl_json_array_print(yajl_gen g, yajl_gen_status s, const char *what)
{
    const unsigned char *buf;
    libxl_yajl_length len;

    if (s == yajl_gen_status_ok)
        s = yajl_gen_array_close(g);
    if (s == yajl_gen_status_ok)
        s = yajl_gen_get_buf(g, &buf, &len);
    if (s == yajl_gen_status_ok)
        puts((const char *)buf);
    yajl_gen_free(g);
    if (s != yajl_gen_status_ok) {
        xl_err("cannot format %s as JSON (yajl status %d)", what, (int)s);
        return -1;
    }
    return 0;
}
