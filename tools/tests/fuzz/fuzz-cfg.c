/*
 * libFuzzer target for libxlutil: reads the input as an xl.cfg file, then
 * runs every getter on every setting and feeds every string value found
 * (nested ones too) to the disk, PCI, rdm and vif-rate spec parsers.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libxlu_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull;

static void specs(XLU_Config *cfg, const char *s)
{
    libxl_device_disk disk;
    libxl_device_pci pci;
    libxl_device_nic nic;
    libxl_rdm_reserve rdm;
    const char *two[2] = { s, s };

    libxl_device_disk_init(&disk);
    xlu_disk_parse(cfg, 1, &s, &disk);
    libxl_device_disk_dispose(&disk);
    libxl_device_disk_init(&disk);
    xlu_disk_parse(cfg, 2, two, &disk);
    libxl_device_disk_dispose(&disk);

    libxl_device_pci_init(&pci);
    xlu_pci_parse_bdf(cfg, &pci, s);
    xlu_pci_parse_spec_string(cfg, &pci, s);
    libxl_device_pci_dispose(&pci);

    memset(&nic, 0, sizeof(nic));
    xlu_vif_parse_rate(cfg, s, &nic);
    memset(&rdm, 0, sizeof(rdm));
    xlu_rdm_parse(cfg, &rdm, s);
}

static void walk(XLU_Config *cfg, XLU_ConfigValue *v, int depth)
{
    XLU_ConfigList *l;
    char *s;
    int i;

    if (xlu_cfg_value_type(v) == XLU_STRING) {
        if (!xlu_cfg_value_get_string(cfg, v, &s, 0))
            specs(cfg, s);
        xlu_cfg_value_get_list(cfg, v, &l, 0);
        return;
    }
    xlu_cfg_value_get_string(cfg, v, &s, 0);
    if (xlu_cfg_value_get_list(cfg, v, &l, 0))
        abort();
    for (i = 0; xlu_cfg_get_listitem2(l, i); i++) {
        xlu_cfg_get_listitem(l, i);
        walk(cfg, xlu_cfg_get_listitem2(l, i), depth + 1);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    XLU_Config *cfg;
    XLU_ConfigSetting *set;

    if (size > 1 << 20)
        return 0;
    if (!devnull)
        devnull = fopen("/dev/null", "w");
    cfg = xlu_cfg_init(devnull, "fuzz.cfg");
    if (!cfg)
        return 0;
    if (xlu_cfg_readdata(cfg, (const char *)data, (int)size)) {
        xlu_cfg_destroy(cfg);
        return 0;
    }
    for (set = cfg->settings; set; set = set->next) {
        const char *s;
        char *r = NULL;
        long l;
        libxl_defbool b;
        libxl_string_list sl = NULL;
        XLU_ConfigList *list;
        int n;

        xlu_cfg_get_string(cfg, set->name, &s, 0);
        xlu_cfg_replace_string(cfg, set->name, &r, 0);
        free(r);
        xlu_cfg_get_long(cfg, set->name, &l, 0);
        xlu_cfg_get_bounded_long(cfg, set->name, -5, 5, &l, 0);
        libxl_defbool_unset(&b);
        xlu_cfg_get_defbool(cfg, set->name, &b, 0);
        xlu_cfg_get_list(cfg, set->name, &list, &n, 0);
        if (!xlu_cfg_get_list_as_string_list(cfg, set->name, &sl, 0))
            libxl_string_list_dispose(&sl);
        walk(cfg, set->value, 0);
    }
    xlu_cfg_destroy(cfg);
    return 0;
}
