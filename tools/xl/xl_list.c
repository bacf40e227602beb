/*
 * xl: looking at domains: list, domid, domname, uptime.
 *
 * The output formats are upstream xl 4.17's, column for column, so that
 * scripts parsing them work with either xl.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxl.h>
#include <libxl_json.h>
#include <libxl_utils.h>

#include "xl.h"
#include "xl_utils.h"


/* One letter per libxl_shutdown_reason from poweroff (0) on. */
static const char reason_letters[] = "-rscwS";

static void print_domains(const libxl_dominfo *info, int n, bool verbose)
{
    int i;

    printf("Name                                        ID   Mem VCPUs"
           "\tState\tTime(s)");
    if (verbose)
        printf("   UUID                            Reason-Code"
               "\tSecurity Label");
    putchar('\n');

    for (i = 0; i < n; i++) {
        const libxl_dominfo *d = &info[i];
        char *name = libxl_domid_to_name(ctx, d->domid);
        int reason = d->shutdown ? (int)d->shutdown_reason : 0;
        char rl = reason >= 0 && reason < (int)sizeof(reason_letters) - 1
                      ? reason_letters[reason] : '?';

        printf("%-40s %5u %5lu %5u     %c%c%c%c%c%c  %8.1f",
               name ? name : "(null)", d->domid,
               (unsigned long)((d->current_memkb + d->outstanding_memkb) /
                               1024),
               d->vcpu_online, d->running ? 'r' : '-',
               d->blocked ? 'b' : '-', d->paused ? 'p' : '-',
               d->shutdown ? 's' : '-', rl, d->dying ? 'd' : '-',
               (float)d->cpu_time / 1e9);
        free(name);
        if (verbose) {
            printf(" " LIBXL_UUID_FMT, LIBXL_UUID_BYTES(d->uuid));
            if (d->shutdown)
                printf(" %8x", reason);
            else
                printf(" %8s", "-");
            printf(" %16s", d->ssid_label ? d->ssid_label : "-");
        }
        putchar('\n');
    }
}

static yajl_gen_status gen_one(yajl_gen g, uint32_t domid,
                               libxl_domain_config *d_config)
{
    yajl_gen_status s;

    s = yajl_gen_map_open(g);
    if (s == yajl_gen_status_ok)
        s = yajl_gen_string(g, (const unsigned char *)"domid", 5);
    if (s == yajl_gen_status_ok)
        s = yajl_gen_integer(g, domid);
    if (s == yajl_gen_status_ok)
        s = yajl_gen_string(g, (const unsigned char *)"config", 6);
    if (s == yajl_gen_status_ok)
        s = libxl_domain_config_gen_json(g, d_config);
    if (s == yajl_gen_status_ok)
        s = yajl_gen_map_close(g);
    return s;
}

/*
 * A JSON array of {"domid": N, "config": {...}}: each domain's stored
 * configuration with libxl's live values laid over it (memory, vCPUs,
 * scheduler, devices: libxl_retrieve_domain_configuration).  Domains
 * without one (created by another toolstack; dom0 has the one
 * xen-init-dom0 writes) are left out, as upstream does.
 */
static int print_domains_long(const libxl_dominfo *info, int n)
{
    yajl_gen g = libxl_yajl_gen_alloc(NULL);
    yajl_gen_status s;
    int i;

    if (!g) {
        xl_err("cannot allocate a JSON generator");
        return EXIT_FAILURE;
    }
    s = yajl_gen_array_open(g);
    for (i = 0; i < n && s == yajl_gen_status_ok; i++) {
        libxl_domain_config d_config;

        libxl_domain_config_init(&d_config);
        if (!libxl_retrieve_domain_configuration(ctx, info[i].domid,
                                                 &d_config, NULL))
            s = gen_one(g, info[i].domid, &d_config);
        libxl_domain_config_dispose(&d_config);
    }
    if (xl_json_array_print(g, s, "the domain configurations"))
        return EXIT_FAILURE;
    return EXIT_SUCCESS;
}

int main_list(int argc, char **argv)
{
    static const struct option opts[] = {
        {"long", 0, 0, 'l'},
        {"verbose", 0, 0, 'v'},
        XL_COMMON_LONG_OPTS,
    };
    bool details = false, verbose = false;
    libxl_dominfo *info;
    int opt, n, i, rc;

    SWITCH_FOREACH_OPT(opt, "lv", opts, "list", 0) {
    case 'l':
        details = true;
        break;
    case 'v':
        verbose = true;
        break;
    }

    if (optind >= argc) {
        info = libxl_list_domain(ctx, &n);
        if (!info) {
            xl_err("cannot list the domains");
            return EXIT_FAILURE;
        }
    } else {
        /* The named domains, in the order given. */
        n = argc - optind;
        info = xcalloc((size_t)n, sizeof(*info));
        for (i = 0; i < n; i++) {
            const char *arg = argv[optind + i];
            uint32_t domid = find_domain(arg);

            libxl_dominfo_init(&info[i]);
            rc = libxl_domain_info(ctx, &info[i], domid);
            if (rc == ERROR_DOMAIN_NOTFOUND) {
                fprintf(stderr, "Error: Domain '%s' does not exist.\n", arg);
                libxl_dominfo_list_free(info, i + 1);
                return EXIT_FAILURE;
            }
            if (rc) {
                fprintf(stderr, "libxl_domain_info failed (code %d).\n", rc);
                libxl_dominfo_list_free(info, i + 1);
                return EXIT_FAILURE;
            }
        }
    }

    rc = EXIT_SUCCESS;
    if (details) {
        rc = print_domains_long(info, n);
    } else {
        print_domains(info, n, verbose);
    }
    libxl_dominfo_list_free(info, n);
    flush_stream(stdout);
    return rc;
}


int main_domid(int argc, char **argv)
{
    uint32_t domid;
    int opt;

    SWITCH_FOREACH_OPT(opt, "", NULL, "domid", 1) {
    }
    if (libxl_name_to_domid(ctx, argv[optind], &domid)) {
        fprintf(stderr, "Can't get domid of domain name '%s', maybe this "
                "domain does not exist.\n", argv[optind]);
        return EXIT_FAILURE;
    }
    printf("%u\n", domid);
    flush_stream(stdout);
    return EXIT_SUCCESS;
}

int main_domname(int argc, char **argv)
{
    unsigned long l;
    char *end, *name;
    int opt;

    SWITCH_FOREACH_OPT(opt, "", NULL, "domname", 1) {
    }
    errno = 0;
    l = strtoul(argv[optind], &end, 10);
    if (end == argv[optind] || *end || errno || l > UINT32_MAX) {
        fprintf(stderr, "Invalid domain id.\n\n");
        return EXIT_FAILURE;
    }
    name = libxl_domid_to_name(ctx, (uint32_t)l);
    if (!name) {
        fprintf(stderr, "Can't get domain name of domain id '%lu', maybe "
                "this domain does not exist.\n", l);
        return EXIT_FAILURE;
    }
    printf("%s\n", name);
    free(name);
    flush_stream(stdout);
    return EXIT_SUCCESS;
}


/* "d days, hh:mm:ss" (short: without the seconds), as upstream. */
static char *uptime_string(unsigned long secs, bool short_form)
{
    unsigned long days = secs / 86400, hours = secs / 3600 % 24;
    unsigned long mins = secs / 60 % 60, s = secs % 60;
    char *str, *day = NULL;

    if (days > 1)
        xasprintf(&day, "%lu days, ", days);
    else if (days == 1)
        xasprintf(&day, "%lu day, ", days);
    if (short_form)
        xasprintf(&str, "%s%2lu:%02lu", day ? day : "", hours, mins);
    else
        xasprintf(&str, "%s%2lu:%02lu:%02lu", day ? day : "", hours, mins,
                  s);
    free(day);
    return str;
}

static void print_uptime_line(uint32_t domid, unsigned long secs,
                              bool short_form, time_t now)
{
    char *name = libxl_domid_to_name(ctx, domid);
    char *up = uptime_string(secs, short_form);

    if (short_form) {
        char clock[16] = "";
        struct tm tm;

        if (localtime_r(&now, &tm))
            strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
        printf(" %s up %s, %s (%u)\n", clock, up, name ? name : "(null)",
               domid);
    } else {
        printf("%-33s %4u %s\n", name ? name : "(null)", domid, up);
    }
    free(up);
    free(name);
}

/* dom0 has no start time in xenstore: its kernel's uptime is its own. */
static void print_dom0_uptime(bool short_form, time_t now)
{
    char buf[64];
    ssize_t r;
    int fd = open("/proc/uptime", O_RDONLY | O_CLOEXEC);

    if (fd < 0 || (r = read(fd, buf, sizeof(buf) - 1)) <= 0) {
        if (fd >= 0)
            close(fd);
        xl_die("cannot read /proc/uptime: %s", strerror(errno));
    }
    close(fd);
    buf[r] = '\0';
    print_uptime_line(0, strtoul(buf, NULL, 10), short_form, now);
}

static void print_domu_uptime(uint32_t domid, bool short_form, time_t now)
{
    uint32_t start = libxl_vm_get_start_time(ctx, domid);

    if (start == (uint32_t)-1)
        return; /* gone, or not started by a toolstack: as upstream */
    print_uptime_line(domid, now > (time_t)start ? (unsigned long)(now - start)
                                                 : 0, short_form, now);
}

int main_uptime(int argc, char **argv)
{
    bool short_form = false;
    time_t now;
    int opt, i;

    SWITCH_FOREACH_OPT(opt, "s", NULL, "uptime", 0) {
    case 's':
        short_form = true;
        break;
    }

    now = time(NULL);
    if (!short_form)
        printf("%-33s %4s %s\n", "Name", "ID", "Uptime");
    if (optind >= argc) {
        libxl_dominfo *info;
        int n;

        print_dom0_uptime(short_form, now);
        info = libxl_list_domain(ctx, &n);
        if (!info) {
            xl_err("cannot list the domains");
            return EXIT_FAILURE;
        }
        for (i = 0; i < n; i++)
            if (info[i].domid)
                print_domu_uptime(info[i].domid, short_form, now);
        libxl_dominfo_list_free(info, n);
    } else {
        for (i = optind; i < argc; i++) {
            uint32_t domid = find_domain(argv[i]);

            if (domid)
                print_domu_uptime(domid, short_form, now);
            else
                print_dom0_uptime(short_form, now);
        }
    }
    flush_stream(stdout);
    return EXIT_SUCCESS;
}
