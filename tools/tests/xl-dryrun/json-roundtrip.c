/*
 * Reads a libxl_domain_config as JSON (the file named on the command
 * line), parses it with libxl_domain_config_from_json and prints
 * libxl_domain_config_to_json of the result. Public libxl API only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxl.h>

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    size_t len = 0, cap = 65536, n;
    char *buf;

    if (!f)
        return NULL;
    buf = malloc(cap + 1);
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            char *b = realloc(buf, 2 * cap + 1);

            if (!b) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = b;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[len] = '\0';
    return buf;
}

int main(int argc, char **argv)
{
    libxl_domain_config d;
    char *in, *out;
    int rc;

    if (argc != 2) {
        fprintf(stderr, "usage: json-roundtrip FILE.json\n");
        return 2;
    }
    in = slurp(argv[1]);
    if (!in) {
        perror(argv[1]);
        return 1;
    }
    libxl_domain_config_init(&d);
    rc = libxl_domain_config_from_json(NULL, &d, in);
    free(in);
    if (rc) {
        fprintf(stderr, "%s: libxl_domain_config_from_json: %d\n", argv[1],
                rc);
        libxl_domain_config_dispose(&d);
        return 1;
    }
    out = libxl_domain_config_to_json(NULL, &d);
    libxl_domain_config_dispose(&d);
    if (!out) {
        fprintf(stderr, "%s: libxl_domain_config_to_json failed\n",
                argv[1]);
        return 1;
    }
    fputs(out, stdout);
    free(out);
    return 0;
}
