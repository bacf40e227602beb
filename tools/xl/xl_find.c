/*
 * xl: naming domains on the command line.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include <libxl.h>
#include <libxl_utils.h>

#include "xl.h"
#include "xl_utils.h"

/* The name of the domain the command acts on, once found. */
char *common_domname;

static bool all_digits(const char *p)
{
    if (!*p)
        return false;
    for (; *p; p++)
        if (!isdigit((unsigned char)*p))
            return false;
    return true;
}

uint32_t find_domain(const char *p)
{
    uint32_t domid;
    int rc = 0;

    if (all_digits(p)) {
        unsigned long l = strtoul(p, NULL, 10);

        if (l >= UINT32_MAX)
            rc = ERROR_INVAL;
        domid = (uint32_t)l;
    } else {
        rc = libxl_name_to_domid(ctx, p, &domid);
    }
    if (rc) {
        /* Upstream's words, which scripts may match. */
        fprintf(stderr, "%s is an invalid domain identifier (rc=%d)\n", p,
                rc);
        exit(EXIT_FAILURE);
    }
    free(common_domname);
    common_domname = libxl_domid_to_name(ctx, domid);
    return domid;
}
