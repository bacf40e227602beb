/*
 * devtest: adds, lists and removes disks and NICs of a running (or
 * paused) domain through our libxl, for the end-to-end device checks
 * on the test host (run.sh).
 *
 *   devtest disk-add DOMID TARGET VDEV [r|w]
 *   devtest disk-remove|disk-destroy DOMID VDEV
 *   devtest nic-add DOMID [MAC [BRIDGE [IP]]]   prints the devid and MAC
 *   devtest nic-remove|nic-destroy DOMID DEVID
 *   devtest list DOMID                          one line per device
 *   devtest domain-destroy DOMID                the domain and its devices
 *   devtest guest-create NAME KERNEL RAMDISK IMAGE MAC
 *                        a 256 MiB PV guest with that disk (xvda) and a
 *                        NIC on xenbr0, made by libxl_domain_create_new
 *                        and unpaused; prints its domid (DOMID is not
 *                        read: pass 0)
 *   devtest qcow2 IMAGE SIZE_MB BACKING
 *                        writes IMAGE: an empty qcow2 (version 2, 64 KiB
 *                        clusters) of SIZE_MB whose reads come from the
 *                        raw file BACKING until written (no qemu-img in
 *                        dom0); libxl is not used
 *
 * Exit status 0 on success, 1 with libxl's error logged otherwise.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxl.h>
#include <libxl_utils.h>

static int usage(void)
{
    fprintf(stderr, "usage: devtest disk-add DOMID TARGET VDEV [r|w] | "
            "disk-remove|disk-destroy DOMID VDEV | nic-add DOMID [MAC "
            "[BRIDGE [IP]]] | nic-remove|nic-destroy DOMID DEVID | "
            "list DOMID\n");
    return 2;
}

static int parse_mac(const char *s, libxl_mac mac)
{
    unsigned int b[6];

    if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
               &b[5]) != 6)
        return -1;
    for (int i = 0; i < 6; i++)
        mac[i] = (uint8_t)b[i];
    return 0;
}

static void put_be(unsigned char *p, uint64_t v, int n)
{
    for (int i = n - 1; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)v;
}

/* qcow2 version 2 with 64 KiB clusters: cluster 0 the header and the
 * backing file's name, 1 the refcount table, 2 its one refcount block
 * (clusters 0-3 used once), 3 the L1 table (every entry 0: nothing
 * allocated, reads go to the backing file). */
static int write_qcow2(const char *path, uint64_t size_mb,
                       const char *backing)
{
    enum { CL = 1 << 16 };
    size_t blen = strlen(backing);
    unsigned char *img = calloc(4, CL);
    uint64_t size = size_mb << 20;
    /* one L2 table maps CL / 8 clusters */
    uint64_t l1 = (size + (uint64_t)CL * (CL / 8) - 1) /
                  ((uint64_t)CL * (CL / 8));
    FILE *f;
    int rc = 0;

    if (!img || 72 + blen > CL || l1 * 8 > CL) {
        free(img);
        fprintf(stderr, "devtest: qcow2 too large\n");
        return 1;
    }
    memcpy(img, "QFI\xfb", 4);
    put_be(img + 4, 2, 4);              /* version */
    put_be(img + 8, 72, 8);             /* backing file name offset */
    put_be(img + 16, blen, 4);
    put_be(img + 20, 16, 4);            /* cluster bits */
    put_be(img + 24, size, 8);
    put_be(img + 32, 0, 4);             /* no encryption */
    put_be(img + 36, l1, 4);
    put_be(img + 40, 3 * CL, 8);        /* L1 table */
    put_be(img + 48, 1 * CL, 8);        /* refcount table */
    put_be(img + 56, 1, 4);             /* its clusters */
    memcpy(img + 72, backing, blen);
    put_be(img + CL, 2 * CL, 8);        /* refcount block */
    for (int i = 0; i < 4; i++)
        put_be(img + 2 * CL + 2 * i, 1, 2);
    f = fopen(path, "wb");
    if (!f || fwrite(img, CL, 4, f) != 4)
        rc = 1;
    if (f && fclose(f))
        rc = 1;
    if (rc)
        perror(path);
    free(img);
    return rc;
}

int main(int argc, char **argv)
{
    xentoollog_logger *lg;
    libxl_ctx *ctx;
    uint32_t domid;
    int rc;

    if (argc < 3)
        return usage();
    if (!strcmp(argv[1], "qcow2"))
        return argc < 5 ? usage()
                        : write_qcow2(argv[2], strtoull(argv[3], NULL, 10),
                                      argv[4]);
    domid = (uint32_t)strtoul(argv[2], NULL, 10);
    if (!strcmp(argv[1], "guest-create") && argc < 7)
        return usage();
    lg = (xentoollog_logger *)xtl_createlogger_stdiostream(
        stderr, getenv("DEVTEST_DEBUG") ? XTL_DEBUG : XTL_INFO,
        getenv("DEVTEST_DEBUG") ? XTL_STDIOSTREAM_SHOW_DATE : 0);
    if (libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0, lg)) {
        fprintf(stderr, "devtest: cannot open libxl\n");
        return 1;
    }

    if (!strcmp(argv[1], "disk-add") && argc >= 5) {
        libxl_device_disk d;
        libxl_device_disk_init(&d);
        d.pdev_path = strdup(argv[3]);
        d.vdev = strdup(argv[4]);
        d.format = LIBXL_DISK_FORMAT_RAW;
        d.readwrite = argc < 6 || strcmp(argv[5], "r");
        rc = libxl_device_disk_add(ctx, domid, &d, NULL);
        if (!rc)
            printf("%s %s %s\n", d.vdev,
                   libxl_disk_backend_to_string(d.backend), d.pdev_path);
        libxl_device_disk_dispose(&d);
    } else if ((!strcmp(argv[1], "disk-remove") ||
                !strcmp(argv[1], "disk-destroy")) && argc >= 4) {
        libxl_device_disk d;
        libxl_device_disk_init(&d);
        d.vdev = strdup(argv[3]);
        rc = argv[1][5] == 'r'
            ? libxl_device_disk_remove(ctx, domid, &d, NULL)
            : libxl_device_disk_destroy(ctx, domid, &d, NULL);
        libxl_device_disk_dispose(&d);
    } else if (!strcmp(argv[1], "nic-add")) {
        libxl_device_nic n;
        libxl_device_nic_init(&n);
        rc = 0;
        if (argc >= 4 && parse_mac(argv[3], n.mac)) {
            fprintf(stderr, "devtest: bad MAC %s\n", argv[3]);
            rc = 1;
        }
        if (argc >= 5)
            n.bridge = strdup(argv[4]);
        if (argc >= 6)
            n.ip = strdup(argv[5]);
        if (!rc)
            rc = libxl_device_nic_add(ctx, domid, &n, NULL);
        if (!rc)
            printf("%d " LIBXL_MAC_FMT "\n", n.devid, n.mac[0], n.mac[1],
                   n.mac[2], n.mac[3], n.mac[4], n.mac[5]);
        libxl_device_nic_dispose(&n);
    } else if ((!strcmp(argv[1], "nic-remove") ||
                !strcmp(argv[1], "nic-destroy")) && argc >= 4) {
        libxl_device_nic n;
        libxl_device_nic_init(&n);
        n.devid = atoi(argv[3]);
        rc = argv[1][4] == 'r'
            ? libxl_device_nic_remove(ctx, domid, &n, NULL)
            : libxl_device_nic_destroy(ctx, domid, &n, NULL);
        libxl_device_nic_dispose(&n);
    } else if (!strcmp(argv[1], "list")) {
        int nd = 0, nn = 0;
        libxl_device_disk *dl = libxl_device_disk_list(ctx, domid, &nd);
        libxl_device_nic *nl = libxl_device_nic_list(ctx, domid, &nn);
        for (int i = 0; i < nd; i++)
            printf("disk %s %s %s %s\n", dl[i].vdev,
                   libxl_disk_backend_to_string(dl[i].backend),
                   dl[i].pdev_path ? dl[i].pdev_path : "-",
                   dl[i].readwrite ? "w" : "r");
        for (int i = 0; i < nn; i++)
            printf("nic %d " LIBXL_MAC_FMT " %s\n", nl[i].devid,
                   nl[i].mac[0], nl[i].mac[1], nl[i].mac[2], nl[i].mac[3],
                   nl[i].mac[4], nl[i].mac[5],
                   nl[i].bridge ? nl[i].bridge : "-");
        libxl_device_disk_list_free(dl, nd);
        libxl_device_nic_list_free(nl, nn);
        rc = 0;
    } else if (!strcmp(argv[1], "guest-create")) {
        libxl_domain_config c;
        libxl_domain_config_init(&c);
        c.c_info.type = LIBXL_DOMAIN_TYPE_PV;
        c.c_info.name = strdup(argv[2]);
        libxl_domain_build_info_init_type(&c.b_info, LIBXL_DOMAIN_TYPE_PV);
        c.b_info.max_vcpus = 1;
        libxl_bitmap_alloc(ctx, &c.b_info.avail_vcpus, 1);
        libxl_bitmap_set(&c.b_info.avail_vcpus, 0);
        c.b_info.max_memkb = c.b_info.target_memkb = 256 * 1024;
        c.b_info.kernel = strdup(argv[3]);
        c.b_info.ramdisk = strdup(argv[4]);
        c.b_info.cmdline = strdup("console=hvc0");
        c.num_disks = 1;
        c.disks = calloc(1, sizeof(*c.disks));
        libxl_device_disk_init(&c.disks[0]);
        c.disks[0].pdev_path = strdup(argv[5]);
        c.disks[0].vdev = strdup("xvda");
        c.disks[0].format = LIBXL_DISK_FORMAT_RAW;
        c.disks[0].readwrite = 1;
        c.num_nics = 1;
        c.nics = calloc(1, sizeof(*c.nics));
        libxl_device_nic_init(&c.nics[0]);
        rc = parse_mac(argv[6], c.nics[0].mac);
        c.on_poweroff = LIBXL_ACTION_ON_SHUTDOWN_PRESERVE;
        if (!rc)
            rc = libxl_domain_create_new(ctx, &c, &domid, NULL, NULL);
        /* create_new leaves it paused, as for xl create -p */
        if (!rc) {
            rc = libxl_domain_unpause(ctx, domid, NULL);
            if (rc)
                libxl_domain_destroy(ctx, domid, NULL);
        }
        if (!rc)
            printf("%u\n", domid);
        libxl_domain_config_dispose(&c);
    } else if (!strcmp(argv[1], "domain-destroy")) {
        rc = libxl_domain_destroy(ctx, domid, NULL);
    } else {
        rc = usage();
    }

    libxl_ctx_free(ctx);
    xtl_logger_destroy(lg);
    return rc ? 1 : 0;
}
