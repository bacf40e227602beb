/*
 * libxlu_vif.c - vif rate limits (xl-network-configuration(5) `rate'):
 *
 *   RATE := NUMBER [G|M|K] (B|b) "/s" [ "@" NUMBER [m|u] [s] ]
 *
 * B is bytes, b bits; the interval (default 50ms) is in seconds unless
 * m(illi) or u(micro) is given.
 *
 * SPDX-License-Identifier: LGPL-2.1-only
 */

#include <ctype.h>
#include <stdint.h>

#include "libxlu_internal.h"

static int vif_err(XLU_Config *cfg, int rc, const char *what,
                   const char *rate)
{
    if (cfg && cfg->report)
        fprintf(cfg->report, "%s: invalid vif rate `%s': %s\n",
                cfg->config_source, rate, what);
    return rc;
}

/* Decimal digits (at least one) into *v; 0 digits or overflow fail. */
static int read_number(const char **pp, uint64_t *v)
{
    const char *p = *pp;

    *v = 0;
    if (!isdigit((unsigned char)*p))
        return EINVAL;
    while (isdigit((unsigned char)*p)) {
        if (*v > (UINT64_MAX - 9) / 10)
            return EOVERFLOW;
        *v = *v * 10 + (*p++ - '0');
    }
    *pp = p;
    return 0;
}

int xlu_vif_parse_rate(XLU_Config *cfg, const char *rate,
                       libxl_device_nic *nic)
{
    const char *p = rate;
    uint64_t bytes, usecs = 50000, mult = 1;
    int rc;

    if (!*p || *p == '@')
        return vif_err(cfg, EINVAL, "no rate given", rate);
    rc = read_number(&p, &bytes);
    if (rc == EINVAL)
        return vif_err(cfg, EINVAL, "expected a number", rate);
    if (rc || bytes == 0 || bytes > UINT32_MAX)
        return vif_err(cfg, EOVERFLOW, "rate is zero or too large", rate);
    switch (*p) {
    case 'G': mult = 1000000000; p++; break;
    case 'M': mult = 1000000; p++; break;
    case 'K': mult = 1000; p++; break;
    }
    bytes *= mult;
    if (*p == 'b')
        bytes /= 8;
    else if (*p != 'B')
        return vif_err(cfg, EINVAL, "expected B/s or b/s after the number",
                       rate);
    p++;
    if (strncmp(p, "/s", 2))
        return vif_err(cfg, EINVAL, "expected B/s or b/s after the number",
                       rate);
    p += 2;

    if (*p == '@') {
        p++;
        rc = read_number(&p, &usecs);
        if (rc == EINVAL)
            return vif_err(cfg, EINVAL, "expected an interval after `@'",
                           rate);
        if (rc || usecs == 0 || usecs > UINT32_MAX)
            return vif_err(cfg, EOVERFLOW, "interval is zero or too large",
                           rate);
        if (*p == 'm') {
            usecs *= 1000;
            p++;
        } else if (*p == 'u') {
            p++;
        } else {
            usecs *= 1000000;
        }
        if (*p == 's')
            p++;
        if (*p)
            return vif_err(cfg, EINVAL, "bad interval unit (expected s, ms "
                           "or us)", rate);
        if (usecs > UINT32_MAX)
            return vif_err(cfg, EOVERFLOW, "interval too large", rate);
    } else if (*p) {
        return vif_err(cfg, EINVAL, "junk after the rate", rate);
    }
    if (bytes > UINT64_MAX / usecs)
        return vif_err(cfg, EOVERFLOW, "rate too large", rate);

    nic->rate_interval_usecs = (uint32_t)usecs;
    nic->rate_bytes_per_interval = bytes * usecs / 1000000;
    return 0;
}
