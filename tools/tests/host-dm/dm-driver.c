/*
 * dm-driver: our device model code on a real Xen host (dom0).
 *
 *   dm-driver argv CONFIG.json DOMID     our QEMU argv, one per line
 *   dm-driver spawn CONFIG.json DOMID [STATE]
 *                                        start our device model for the
 *                                        existing HVM domain DOMID (with
 *                                        STATE: restoring that device
 *                                        state, as a soft reset does;
 *                                        the file is removed)
 *   dm-driver qmp DOMID COMMAND [ARGS]   one QMP command (ARGS: a JSON
 *                                        map), prints its return value
 *   dm-driver resume DOMID               libxl__dm_resume
 *   dm-driver save DOMID FILE            stop + xen-save-devices-state
 *   dm-driver destroy DOMID              libxl__dm_destroy
 *
 * CONFIG.json is a libxl_domain_config as libxl stores it (e.g. the
 * userdata-d.N.UUID.libxl-json that Debian's xl wrote for the same
 * guest), so both toolstacks start from the same input.  Exit status 0
 * on success; times in ms on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libxl_internal.h"
#include "libxl_domain.h"
#include "libxl_dm.h"

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    char *s;
    long n;

    if (!f) {
        perror(path);
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    s = calloc(1, n + 1);
    if (s && fread(s, 1, n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    fclose(f);
    return s;
}

static int load_config(libxl_ctx *ctx, const char *path,
                       libxl_domain_config *cfg)
{
    char *json = slurp(path);
    int rc;

    if (!json)
        return ERROR_FAIL;
    libxl_domain_config_init(cfg);
    rc = libxl_domain_config_from_json(ctx, cfg, json);
    free(json);
    if (rc)
        fprintf(stderr, "dm-driver: %s is not a domain config\n", path);
    return rc;
}

static int usage(void)
{
    fprintf(stderr, "usage: dm-driver argv CONFIG.json DOMID\n"
            "       dm-driver spawn CONFIG.json DOMID [STATE]\n"
            "       dm-driver qmp DOMID COMMAND [ARGS-JSON]\n"
            "       dm-driver resume|destroy DOMID\n"
            "       dm-driver save DOMID FILE\n");
    return 2;
}

static int run(libxl_ctx *ctx, int argc, char **argv)
{
    GC_INIT(ctx);
    const char *op = argv[1];
    libxl_domain_config cfg;
    long long t0 = now_ms();
    uint32_t domid;
    int rc = ERROR_INVAL, i;

    libxl_domain_config_init(&cfg);
    if ((!strcmp(op, "argv") && argc == 4) ||
        (!strcmp(op, "spawn") && (argc == 4 || argc == 5))) {
        domid = strtoul(argv[3], NULL, 10);
        rc = load_config(ctx, argv[2], &cfg);
        if (rc)
            goto out;
        if (!strcmp(op, "argv")) {
            char **args, **env;
            rc = libxl__dm_build_args(gc, domid, &cfg,
                                      libxl__dm_binary(gc, &cfg.b_info),
                                      false, &args, &env);
            for (i = 0; !rc && args[i]; i++)
                printf("%s\n", args[i]);
            for (i = 0; !rc && env[i]; i += 2)
                printf("ENV %s=%s\n", env[i], env[i + 1]);
        } else {
            rc = libxl__dm_spawn_restore(gc, domid, &cfg,
                                         argc == 5 ? argv[4] : NULL);
            fprintf(stderr, "dm-driver: spawn rc=%d in %lld ms\n", rc,
                    now_ms() - t0);
        }
    } else if (!strcmp(op, "qmp") && (argc == 4 || argc == 5)) {
        const libxl__json_object *args = NULL, *ret = NULL;
        domid = strtoul(argv[2], NULL, 10);
        if (argc == 5 && !(args = libxl__json_parse(gc, argv[4])))
            goto out;
        rc = libxl__qmp_run(gc, domid, argv[3], args, &ret);
        if (!rc)
            printf("%s\n", ret ? libxl__json_object_to_json(gc, ret) : "");
    } else if (!strcmp(op, "resume") && argc == 3) {
        rc = libxl__dm_resume(gc, strtoul(argv[2], NULL, 10));
    } else if (!strcmp(op, "destroy") && argc == 3) {
        rc = libxl__dm_destroy(gc, strtoul(argv[2], NULL, 10));
        fprintf(stderr, "dm-driver: destroy rc=%d in %lld ms\n", rc,
                now_ms() - t0);
    } else if (!strcmp(op, "save") && argc == 4) {
        domid = strtoul(argv[2], NULL, 10);
        rc = libxl__qmp_stop(gc, domid);
        if (!rc)
            rc = libxl__qmp_save_devices_state(gc, domid, argv[3], false);
        fprintf(stderr, "dm-driver: save rc=%d in %lld ms\n", rc,
                now_ms() - t0);
    } else {
        rc = usage();
        goto out_norc;
    }
out:
    if (rc)
        fprintf(stderr, "dm-driver: %s failed: %d\n", op, rc);
    rc = rc ? 1 : 0;
out_norc:
    libxl_domain_config_dispose(&cfg);
    GC_FREE;
    return rc;
}

int main(int argc, char **argv)
{
    xentoollog_logger *lg;
    libxl_ctx *ctx;
    int rc;

    if (argc < 3)
        return usage();
    lg = (xentoollog_logger *)xtl_createlogger_stdiostream(
        stderr, getenv("DM_DRIVER_DEBUG") ? XTL_DEBUG : XTL_INFO, 0);
    if (libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0, lg)) {
        /* argv needs no hypervisor: go on with a ctx-less gc. */
        if (strcmp(argv[1], "argv")) {
            xtl_logger_destroy(lg);
            return 1;
        }
        ctx = NULL;
    }
    rc = run(ctx, argc, argv);
    if (ctx)
        libxl_ctx_free(ctx);
    xtl_logger_destroy(lg);
    return rc;
}
