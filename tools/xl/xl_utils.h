/*
 * xl: small helpers shared by every subcommand (allocation that cannot
 * fail, error exits, option parsing with upstream xl's conventions).
 */
#ifndef XL_UTILS_H
#define XL_UTILS_H

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include <yajl/yajl_gen.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation failures end xl: there is nothing useful left to do. */
void *xmalloc(size_t sz);
void *xcalloc(size_t n, size_t sz);
void *xrealloc(void *p, size_t sz);
char *xstrdup(const char *s);
int xasprintf(char **strp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints "xl: <message>" on stderr and exits with EXIT_FAILURE. */
void xl_die(const char *fmt, ...) __attribute__((format(printf, 1, 2),
                                                  noreturn));
/* Prints "xl: <message>" on stderr. */
void xl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Appends more to *acc (NULL or a malloc'd string). */
void string_realloc_append(char **acc, const char *more);

/*
 * getopt_long for a subcommand. -h and --help print the command's help
 * and exit 0; an unknown option or a missing argument prints one line
 * and the usage on stderr and exits XL_EXIT_USAGE. At the end of the
 * options, checks that at least reqargs arguments remain. Returns the
 * option character, or -1 at the end.
 */
int xl_getopt(int argc, char **argv, const char *optstring,
              const struct option *longopts, const char *cmd, int reqargs);

/* Prints the usage line of cmd on stderr and exits XL_EXIT_USAGE. */
void xl_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

#define XL_COMMON_LONG_OPTS {"help", 0, 0, 'h'}, {0, 0, 0, 0}

/* Loops over the options of a subcommand: case 'x': ... */
#define SWITCH_FOREACH_OPT(opt, optstr, longopts, cmd, reqargs)       \
    while (((opt) = xl_getopt(argc, argv, (optstr), (longopts), (cmd), \
                              (reqargs))) != -1)                       \
        switch (opt)

void flush_stream(FILE *fh);

/* Ends a JSON array begun on g (s: the generator's status so far),
 * prints it on stdout and frees g; 0, or -1 after saying that what
 * could not be formatted. */
int xl_json_array_print(yajl_gen g, yajl_gen_status s, const char *what);

#endif /* XL_UTILS_H */
