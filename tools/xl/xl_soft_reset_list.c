/*
 * xl soft-reset-list: what libxl's soft reset did to each domain (ours,
 * not upstream's: upstream keeps no such record).  One line per domain:
 * resets done and failed, the last one's end, duration and, when it
 * failed, the step; -v adds the time of each step of the last one, -l
 * prints it all as JSON (libxl_soft_reset_info).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxl.h>
#include <libxl_json.h>
#include <libxl_utils.h>

#include "xl.h"
#include "xl_utils.h"

#ifdef LIBXL_HAVE_SOFT_RESET_INFO

static void print_header(void)
{
    printf("%-40s %5s %6s %6s  %-19s %8s  %s\n", "Name", "ID", "Resets",
           "Failed", "Last", "Last(ms)", "Result");
}

static void print_line(uint32_t domid, const libxl_soft_reset_info *sr,
                       bool verbose)
{
    char *name = libxl_domid_to_name(ctx, domid);
    char when[32] = "-", ms[24] = "-";
    const char *result = "-";
    char *failed = NULL;

    if (sr->last_end) {
        time_t t = (time_t)sr->last_end;
        struct tm tm;

        if (localtime_r(&t, &tm))
            strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
        snprintf(ms, sizeof(ms), "%llu", (unsigned long long)sr->last_ms);
        result = "done";
        if (sr->last_failed_step &&
            asprintf(&failed, "failed at %s", sr->last_failed_step) > 0)
            result = failed;
    }
    printf("%-40s %5u %6u %6u  %-19s %8s  %s\n", name ? name : "-", domid,
           sr->done, sr->failed, when, ms, result);
    if (verbose && sr->num_last_steps) {
        printf("    steps (ms):");
        for (int i = 0; i < sr->num_last_steps; i++)
            printf("%s %s %llu", i ? "," : "", sr->last_steps[i].name,
                   (unsigned long long)sr->last_steps[i].ms);
        putchar('\n');
    }
    free(failed);
    free(name);
}

static yajl_gen_status gen_one(yajl_gen g, uint32_t domid,
                               libxl_soft_reset_info *sr)
{
    char *name = libxl_domid_to_name(ctx, domid);
    yajl_gen_status s;

    s = yajl_gen_map_open(g);
    if (s == yajl_gen_status_ok)
        s = yajl_gen_string(g, (const unsigned char *)"domid", 5);
    if (s == yajl_gen_status_ok)
        s = yajl_gen_integer(g, domid);
    if (s == yajl_gen_status_ok)
        s = yajl_gen_string(g, (const unsigned char *)"name", 4);
    if (s == yajl_gen_status_ok)
        s = name ? yajl_gen_string(g, (const unsigned char *)name,
                                   strlen(name))
                 : yajl_gen_null(g);
    if (s == yajl_gen_status_ok)
        s = yajl_gen_string(g, (const unsigned char *)"soft_reset", 10);
    if (s == yajl_gen_status_ok)
        s = libxl_soft_reset_info_gen_json(g, sr);
    if (s == yajl_gen_status_ok)
        s = yajl_gen_map_close(g);
    free(name);
    return s;
}

/*
 * The domains' records, as lines (verbose: with the last reset's steps)
 * or as a JSON array of {"domid", "name", "soft_reset"}.  A record that
 * cannot be read is named on stderr and makes the exit status 1; a
 * domain gone meanwhile is one of those only when it was asked for.
 */
static int show(const uint32_t *domids, int n, bool asked, bool verbose,
                bool json)
{
    yajl_gen g = NULL;
    yajl_gen_status s = yajl_gen_status_ok;
    int i, ret = EXIT_SUCCESS;

    if (json) {
        g = libxl_yajl_gen_alloc(NULL);
        if (!g) {
            xl_err("cannot allocate a JSON generator");
            return EXIT_FAILURE;
        }
        s = yajl_gen_array_open(g);
    } else {
        print_header();
    }
    for (i = 0; i < n && s == yajl_gen_status_ok; i++) {
        libxl_soft_reset_info sr;
        int rc;

        libxl_soft_reset_info_init(&sr);
        rc = libxl_domain_soft_reset_info(ctx, domids[i], &sr);
        if (rc == ERROR_DOMAIN_NOTFOUND && !asked) {
            /* gone since the list was made */
        } else if (rc) {
            xl_err("cannot read the soft reset record of domain %u (%s)",
                   domids[i], libxl_error_to_string(rc));
            ret = EXIT_FAILURE;
        } else if (json) {
            s = gen_one(g, domids[i], &sr);
        } else {
            print_line(domids[i], &sr, verbose);
        }
        libxl_soft_reset_info_dispose(&sr);
    }
    if (json && xl_json_array_print(g, s, "the soft reset records"))
        ret = EXIT_FAILURE;
    flush_stream(stdout);
    return ret;
}

int main_soft_reset_list(int argc, char **argv)
{
    static const struct option opts[] = {
        {"long", 0, 0, 'l'},
        {"verbose", 0, 0, 'v'},
        XL_COMMON_LONG_OPTS,
    };
    bool verbose = false, json = false;
    uint32_t *domids;
    int opt, i, n = 0, ret;

    SWITCH_FOREACH_OPT(opt, "lv", opts, "soft-reset-list", 0) {
    case 'l':
        json = true;
        break;
    case 'v':
        verbose = true;
        break;
    }

    if (optind < argc) {
        domids = calloc((size_t)(argc - optind), sizeof(*domids));
        if (!domids) {
            xl_err("out of memory");
            return EXIT_FAILURE;
        }
        for (i = optind; i < argc; i++) {
            domids[n] = find_domain(argv[i]);
            if (!domids[n]) {
                xl_err("domain 0 is never soft reset");
                free(domids);
                return EXIT_FAILURE;
            }
            n++;
        }
        ret = show(domids, n, true, verbose, json);
    } else {
        libxl_dominfo *info;
        int nb;

        info = libxl_list_domain(ctx, &nb);
        if (!info) {
            xl_err("cannot list the domains");
            return EXIT_FAILURE;
        }
        domids = calloc((size_t)nb + 1, sizeof(*domids));
        if (!domids) {
            libxl_dominfo_list_free(info, nb);
            xl_err("out of memory");
            return EXIT_FAILURE;
        }
        for (i = 0; i < nb; i++)
            if (info[i].domid)
                domids[n++] = info[i].domid;
        libxl_dominfo_list_free(info, nb);
        ret = show(domids, n, false, verbose, json);
    }
    free(domids);
    return ret;
}

#endif /* LIBXL_HAVE_SOFT_RESET_INFO */
