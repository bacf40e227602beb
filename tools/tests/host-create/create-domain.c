/*
 * create-domain: creates a domain with our libxl_domain_create_new, for
 * the end-to-end tests of creation (check.sh), until xl create is ours.
 *
 *   create-domain [-t pv|pvh|hvm] [-k KERNEL] [-r RAMDISK] [-c CMDLINE]
 *                 [-m MEMORY_MB] [-v VCPUS] [-n NAME] [-q IMAGE] [-u] [-d]
 *   create-domain -D DOMID
 *
 * -q gives the domain a raw disk xvda on IMAGE served by QEMU
 * (backend qdisk, read-write).  Prints the new domid on stdout.  -u unpauses the domain (as xl does
 * unless -p), -d destroys it again with libxl_domain_destroy.  -D only
 * destroys the existing domain DOMID with libxl_domain_destroy.  Exits
 * 0 on success, 1 if creation (or destruction) failed (the library's
 * messages are on stderr), 2 on a usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxl.h>
#include <libxl_utils.h>

static int console_seen;

static void console_cb(libxl_ctx *ctx, libxl_event *ev, void *arg)
{
    if (ev->type == LIBXL_EVENT_TYPE_DOMAIN_CREATE_CONSOLE_AVAILABLE)
        console_seen = 1;
    libxl_event_free(ctx, ev);
}

int main(int argc, char **argv)
{
    const char *type = "pvh", *kernel = NULL, *ramdisk = NULL;
    const char *cmdline = NULL, *name = "create-test", *qdisk = NULL;
    int mem_mb = 32, vcpus = 1, unpause = 0, destroy = 0, opt, rc;
    long destroy_only = -1;
    char *end;
    libxl_asyncprogress_how console_how = { .callback = console_cb };
    xentoollog_logger_stdiostream *lg;
    libxl_domain_config dc;
    libxl_domain_type t;
    libxl_ctx *ctx;
    uint32_t domid;

    while ((opt = getopt(argc, argv, "t:k:r:c:m:v:n:q:udD:")) != -1) {
        switch (opt) {
        case 't': type = optarg; break;
        case 'k': kernel = optarg; break;
        case 'r': ramdisk = optarg; break;
        case 'c': cmdline = optarg; break;
        case 'm': mem_mb = atoi(optarg); break;
        case 'v': vcpus = atoi(optarg); break;
        case 'n': name = optarg; break;
        case 'q': qdisk = optarg; break;
        case 'u': unpause = 1; break;
        case 'd': destroy = 1; break;
        case 'D':
            destroy_only = strtol(optarg, &end, 10);
            if (*end || destroy_only <= 0 || destroy_only >= 0x7ff0) {
                fprintf(stderr, "create-domain: -D %s: not a domid\n",
                        optarg);
                return 2;
            }
            break;
        default: return 2;
        }
    }
    if (!strcmp(type, "pv")) t = LIBXL_DOMAIN_TYPE_PV;
    else if (!strcmp(type, "pvh")) t = LIBXL_DOMAIN_TYPE_PVH;
    else if (!strcmp(type, "hvm")) t = LIBXL_DOMAIN_TYPE_HVM;
    else {
        fprintf(stderr, "create-domain: unknown type %s\n", type);
        return 2;
    }

    lg = xtl_createlogger_stdiostream(stderr, XTL_PROGRESS, 0);
    if (libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0, (xentoollog_logger *)lg))
        return 1;
    if (destroy_only > 0) {
        rc = libxl_domain_destroy(ctx, (uint32_t)destroy_only, NULL);
        if (rc)
            fprintf(stderr, "create-domain: destroy of %ld failed: %d\n",
                    destroy_only, rc);
        libxl_ctx_free(ctx);
        xtl_logger_destroy((xentoollog_logger *)lg);
        return rc ? 1 : 0;
    }

    libxl_domain_config_init(&dc);
    dc.c_info.type = t;
    dc.c_info.name = strdup(name);
    libxl_domain_build_info_init_type(&dc.b_info, t);
    dc.b_info.max_vcpus = vcpus;
    if (libxl_cpu_bitmap_alloc(ctx, &dc.b_info.avail_vcpus, vcpus))
        return 1;
    for (int i = 0; i < vcpus; i++)
        libxl_bitmap_set(&dc.b_info.avail_vcpus, i);
    dc.b_info.max_memkb = dc.b_info.target_memkb = (uint64_t)mem_mb * 1024;
    if (kernel) dc.b_info.kernel = strdup(kernel);
    if (ramdisk) dc.b_info.ramdisk = strdup(ramdisk);
    if (cmdline) dc.b_info.cmdline = strdup(cmdline);
    if (qdisk) {
        dc.num_disks = 1;
        dc.disks = calloc(1, sizeof(*dc.disks));
        if (!dc.disks)
            return 1;
        libxl_device_disk_init(&dc.disks[0]);
        dc.disks[0].pdev_path = strdup(qdisk);
        dc.disks[0].vdev = strdup("xvda");
        dc.disks[0].format = LIBXL_DISK_FORMAT_RAW;
        dc.disks[0].backend = LIBXL_DISK_BACKEND_QDISK;
        dc.disks[0].readwrite = 1;
    }
    if (t == LIBXL_DOMAIN_TYPE_HVM) {
        dc.b_info.u.hvm.vga.kind = LIBXL_VGA_INTERFACE_TYPE_NONE;
        libxl_defbool_set(&dc.b_info.u.hvm.vnc.enable, false);
        libxl_defbool_set(&dc.b_info.u.hvm.nographic, true);
    }

    rc = libxl_domain_create_new(ctx, &dc, &domid, NULL, &console_how);
    if (rc) {
        fprintf(stderr, "create-domain: creation failed: %d\n", rc);
        goto out;
    }
    printf("%u\n", domid);
    fflush(stdout);
    if (!console_seen)
        fprintf(stderr, "create-domain: no console-available report\n");
    if (unpause && (rc = libxl_domain_unpause(ctx, domid, NULL)))
        fprintf(stderr, "create-domain: unpause failed: %d\n", rc);
    if (!rc && destroy && (rc = libxl_domain_destroy(ctx, domid, NULL)))
        fprintf(stderr, "create-domain: destroy failed: %d\n", rc);
out:
    libxl_domain_config_dispose(&dc);
    libxl_ctx_free(ctx);
    xtl_logger_destroy((xentoollog_logger *)lg);
    return rc ? 1 : (console_seen ? 0 : 1);
}
