/*
 * Throughput of the two data paths every xl command goes through: reading
 * an xl.cfg file with libxlutil, and a libxl_domain_config JSON round
 * trip (generate, parse, generate). Prints operations per second and the
 * peak resident set size; asserts nothing about speed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <libxl.h>
#include <libxlutil.h>

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, int *len_r)
{
    FILE *f = fopen(path, "r");
    char *buf = NULL;
    long len;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 &&
        fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc(len + 1);
        if (buf && fread(buf, 1, len, f) != (size_t)len) {
            free(buf);
            buf = NULL;
        } else if (buf) {
            buf[len] = 0;
            *len_r = (int)len;
        }
    }
    fclose(f);
    return buf;
}

static int bench_cfg(const char *path, const char *data, int len, long iters)
{
    double t0 = now();
    long i;

    for (i = 0; i < iters; i++) {
        XLU_Config *cfg = xlu_cfg_init(stderr, path);
        const char *name;

        if (!cfg || xlu_cfg_readdata(cfg, data, len)) {
            fprintf(stderr, "bench: cannot parse %s\n", path);
            xlu_cfg_destroy(cfg);
            return 1;
        }
        xlu_cfg_get_string(cfg, "name", &name, 0);
        xlu_cfg_destroy(cfg);
    }
    printf("xl.cfg parse:        %10.0f files/s  (%ld x %s, %d bytes)\n",
           iters / (now() - t0), iters, path, len);
    return 0;
}

static int bench_json(long iters)
{
    libxl_domain_config dc, back;
    char *json, *again;
    double t0;
    long i;
    int rc = 0;

    libxl_domain_config_init(&dc);
    dc.c_info.type = LIBXL_DOMAIN_TYPE_HVM;
    dc.c_info.name = strdup("bench");
    libxl_domain_build_info_init_type(&dc.b_info, LIBXL_DOMAIN_TYPE_HVM);
    dc.b_info.max_memkb = dc.b_info.target_memkb = 262144;
    dc.b_info.max_vcpus = 2;
    dc.on_soft_reset = LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET;
    json = libxl_domain_config_to_json(NULL, &dc);
    if (!json) {
        fprintf(stderr, "bench: cannot generate JSON\n");
        libxl_domain_config_dispose(&dc);
        return 1;
    }

    t0 = now();
    for (i = 0; i < iters && !rc; i++) {
        libxl_domain_config_init(&back);
        if (libxl_domain_config_from_json(NULL, &back, json)) {
            fprintf(stderr, "bench: cannot parse generated JSON\n");
            rc = 1;
        } else {
            again = libxl_domain_config_to_json(NULL, &back);
            if (!again || strcmp(again, json)) {
                fprintf(stderr, "bench: JSON round trip differs\n");
                rc = 1;
            }
            free(again);
        }
        libxl_domain_config_dispose(&back);
    }
    if (!rc)
        printf("JSON round trip:     %10.0f configs/s (%zu bytes each)\n",
               iters / (now() - t0), strlen(json));
    free(json);
    libxl_domain_config_dispose(&dc);
    return rc;
}

int main(int argc, char **argv)
{
    struct rusage ru;
    char *data;
    long iters;
    int len = 0, rc;

    if (argc != 3 || (iters = strtol(argv[2], NULL, 10)) <= 0) {
        fprintf(stderr, "usage: %s CONFIG-FILE ITERATIONS\n", argv[0]);
        return 2;
    }
    data = slurp(argv[1], &len);
    if (!data) {
        fprintf(stderr, "bench: cannot read %s: %s\n", argv[1],
                strerror(errno));
        return 1;
    }
    rc = bench_cfg(argv[1], data, len, iters) || bench_json(iters);
    free(data);
    if (!getrusage(RUSAGE_SELF, &ru))
        printf("peak RSS:            %10ld KiB\n", ru.ru_maxrss);
    return rc;
}
