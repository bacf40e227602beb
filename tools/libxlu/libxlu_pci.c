/*
 * libxlu_pci.c - PCI device specs (xl-pci-configuration(5)) and reserved
 * device memory specs (xl.cfg(5) `rdm').
 *
 *   BDF   := [DOMAIN:]BUS:DEV.FUNC      hex; FUNC may be '*' (all)
 *   SPEC  := BDF[@VSLOT][,KEY=VALUE]... | KEY=VALUE[,KEY=VALUE]...
 *
 * with exactly one of a BDF (positional or bdf=) and name=. These return
 * libxl error codes (ERROR_INVAL, ERROR_NOMEM) as upstream does.
 *
 * SPDX-License-Identifier: LGPL-2.1-only
 */

#include <ctype.h>

#include "libxlu_internal.h"

/* Upstream libxl.h defines this; older or partial headers may not. */
#ifndef LIBXL_PCI_FUNC_ALL
#define LIBXL_PCI_FUNC_ALL (~0U)
#endif

static void pci_err(XLU_Config *cfg, const char *what, const char *str)
{
    if (cfg && cfg->report)
        fprintf(cfg->report, "%s: invalid PCI specification `%s': %s\n",
                cfg->config_source, str, what);
}

/* Up to `max' hex digits (at least one) into *val; returns digits read. */
static int hex_field(const char *s, int max, unsigned *val)
{
    int n = 0;

    *val = 0;
    while (n < max && isxdigit((unsigned char)s[n])) {
        int c = tolower((unsigned char)s[n]);

        *val = *val * 16 + (isdigit(c) ? c - '0' : c - 'a' + 10);
        n++;
    }
    return n;
}

static int parse_bdf(libxl_device_pci *pci, const char *str,
                     const char **endp)
{
    unsigned f[3], func;
    int nf = 0, n;
    const char *p = str;

    /* One, two or three ':'-separated hex fields, then '.' FUNC. */
    for (;;) {
        if (nf == 3)
            return ERROR_INVAL;
        n = hex_field(p, 8, &f[nf]);
        if (!n)
            return ERROR_INVAL;
        p += n;
        nf++;
        if (*p == ':') {
            p++;
            continue;
        }
        if (*p != '.')
            return ERROR_INVAL;
        p++;
        break;
    }
    if (nf < 2)
        return ERROR_INVAL;
    if (nf == 2) {
        f[2] = f[1];
        f[1] = f[0];
        f[0] = 0;
    }
    if (f[0] > 0xffff || f[1] > 0xff || f[2] > 0x1f)
        return ERROR_INVAL;

    if (*p == '*') {
        pci->vfunc_mask = LIBXL_PCI_FUNC_ALL;
        func = 0;
        p++;
    } else {
        n = hex_field(p, 8, &func);
        if (!n || func > 7)
            return ERROR_INVAL;
        pci->vfunc_mask = 1;
        p += n;
    }
    pci->domain = (int)f[0];
    pci->bus = (uint8_t)f[1];
    pci->dev = (uint8_t)f[2];
    pci->func = (uint8_t)func;
    if (endp)
        *endp = p;
    else if (*p)
        return ERROR_INVAL;
    return 0;
}

static int parse_vslot(uint32_t *vdevfn, const char *str, const char **endp)
{
    unsigned v;
    int n = hex_field(str, 8, &v);

    if (!n || v > 0x1f)
        return ERROR_INVAL;
    *vdevfn = v << 3;
    if (endp)
        *endp = str + n;
    else if (str[n])
        return ERROR_INVAL;
    return 0;
}

static int parse_policy(XLU_Config *cfg, libxl_rdm_reserve_policy *policy,
                        const char *val, const char *str)
{
    if (!strcmp(val, "strict"))
        *policy = LIBXL_RDM_RESERVE_POLICY_STRICT;
    else if (!strcmp(val, "relaxed"))
        *policy = LIBXL_RDM_RESERVE_POLICY_RELAXED;
    else {
        pci_err(cfg, "unknown rdm policy (expected strict or relaxed)", str);
        return ERROR_INVAL;
    }
    return 0;
}

/* A 0/1 style flag value, read as upstream does (a decimal number). */
static bool flag_value(const char *val)
{
    return atoi(val) != 0;
}

int xlu_pci_parse_bdf(XLU_Config *cfg, libxl_device_pci *pci,
                      const char *str)
{
    int rc = parse_bdf(pci, str, NULL);

    if (rc)
        pci_err(cfg, "expected [DOMAIN:]BUS:DEVICE.FUNCTION", str);
    return rc;
}

int xlu_pci_parse_spec_string(XLU_Config *cfg, libxl_device_pci *pci,
                              const char *str)
{
    const char *p = str;
    bool have_bdf = false, have_name = false;
    int rc = 0;

    if (!parse_bdf(pci, p, &p)) {
        have_bdf = true;
        if (*p == '@') {
            if (parse_vslot(&pci->vdevfn, p + 1, &p)) {
                pci_err(cfg, "bad virtual slot after `@'", str);
                return ERROR_INVAL;
            }
        }
        if (*p == ',')
            p++;
        else if (*p) {
            pci_err(cfg, "junk after the BDF", str);
            return ERROR_INVAL;
        }
    }

    while (*p && !rc) {
        const char *eq = strchr(p, '='), *end;
        char *key, *val;

        if (!eq) {
            pci_err(cfg, "expected KEY=VALUE", str);
            return ERROR_INVAL;
        }
        end = eq + strcspn(eq, ",");
        key = strndup(p, eq - p);
        val = strndup(eq + 1, end - eq - 1);
        if (!key || !val) {
            free(key);
            free(val);
            return ERROR_NOMEM;
        }
        p = *end ? end + 1 : end;

        if (!strcmp(key, "bdf")) {
            rc = parse_bdf(pci, val, NULL);
            if (rc)
                pci_err(cfg, "bad bdf=", str);
            else
                have_bdf = true;
        } else if (!strcmp(key, "vslot")) {
            rc = parse_vslot(&pci->vdevfn, val, NULL);
            if (rc)
                pci_err(cfg, "bad vslot=", str);
        } else if (!strcmp(key, "permissive")) {
            pci->permissive = flag_value(val);
        } else if (!strcmp(key, "msitranslate")) {
            pci->msitranslate = flag_value(val);
        } else if (!strcmp(key, "seize")) {
            pci->seize = flag_value(val);
        } else if (!strcmp(key, "power_mgmt")) {
            pci->power_mgmt = flag_value(val);
        } else if (!strcmp(key, "rdm_policy")) {
            rc = parse_policy(cfg, &pci->rdm_policy, val, str);
        } else if (!strcmp(key, "name")) {
            free(pci->name);
            pci->name = strdup(val);
            if (!pci->name)
                rc = ERROR_NOMEM;
            have_name = true;
        } else {
            if (cfg && cfg->report)
                fprintf(cfg->report, "%s: invalid PCI specification `%s': "
                        "unknown option `%s'\n", cfg->config_source, str,
                        key);
            rc = ERROR_INVAL;
        }
        free(key);
        free(val);
    }
    if (rc)
        return rc;
    if (have_bdf == have_name) {
        pci_err(cfg, have_bdf ? "give a BDF or name=, not both"
                              : "no BDF or name= given", str);
        return ERROR_INVAL;
    }
    return 0;
}

int xlu_rdm_parse(XLU_Config *cfg, libxl_rdm_reserve *rdm, const char *str)
{
    const char *p = str;

    if (!*p)
        goto bad;
    while (*p) {
        const char *eq = strchr(p, '=');
        size_t klen, vlen;
        const char *val;

        if (!eq)
            goto bad;
        klen = eq - p;
        val = eq + 1;
        vlen = strcspn(val, ",");
        if (klen == 8 && !strncmp(p, "strategy", 8)) {
            if (vlen != 4 || strncmp(val, "host", 4)) {
                if (cfg && cfg->report)
                    fprintf(cfg->report, "%s: invalid rdm `%s': unknown "
                            "strategy (expected host)\n", cfg->config_source,
                            str);
                return ERROR_INVAL;
            }
            rdm->strategy = LIBXL_RDM_RESERVE_STRATEGY_HOST;
        } else if (klen == 6 && !strncmp(p, "policy", 6)) {
            if (vlen == 6 && !strncmp(val, "strict", 6))
                rdm->policy = LIBXL_RDM_RESERVE_POLICY_STRICT;
            else if (vlen == 7 && !strncmp(val, "relaxed", 7))
                rdm->policy = LIBXL_RDM_RESERVE_POLICY_RELAXED;
            else {
                if (cfg && cfg->report)
                    fprintf(cfg->report, "%s: invalid rdm `%s': unknown "
                            "policy (expected strict or relaxed)\n",
                            cfg->config_source, str);
                return ERROR_INVAL;
            }
        } else {
            if (cfg && cfg->report)
                fprintf(cfg->report, "%s: invalid rdm `%s': unknown option "
                        "`%.*s'\n", cfg->config_source, str, (int)klen, p);
            return ERROR_INVAL;
        }
        p = val + vlen;
        if (*p == ',') {
            p++;
            if (!*p)
                goto bad;
        }
    }
    return 0;

bad:
    if (cfg && cfg->report)
        fprintf(cfg->report, "%s: invalid rdm `%s': expected "
                "KEY=VALUE[,KEY=VALUE]\n", cfg->config_source, str);
    return ERROR_INVAL;
}
