/*
 * xl: domain configuration, host devices given to the guest: pci= (with
 * the pci_* defaults and rdm=) and dtdev=.
 */

#include "xl_parse.h"
#include "xl_parse_items.h"
#include "xl_utils.h"

void parse_pci_devices(const xl_cfg *x, libxl_domain_config *d)
{
    libxl_domain_build_info *b = &d->b_info;
    long msitranslate = 0, power_mgmt = 0, permissive = 0, seize = 0;
    XLU_ConfigList *list;
    const char *s;
    int i;

    cfg_long(x, "pci_msitranslate", &msitranslate);
    cfg_long(x, "pci_power_mgmt", &power_mgmt);
    cfg_long(x, "pci_permissive", &permissive);
    cfg_long(x, "pci_seize", &seize);

    if (cfg_string(x, "rdm", &s)) {
        libxl_rdm_reserve rdm;

        /* Reserved device memory only exists for HVM guests. */
        if (b->type != LIBXL_DOMAIN_TYPE_HVM)
            cfg_die(x, "rdm= is only for HVM guests");
        libxl_rdm_reserve_init(&rdm);
        if (xlu_rdm_parse(x->cfg, &rdm, s))
            cfg_bad_value(x, "rdm", s, "strategy=ignore|host,policy="
                          "strict|relaxed");
        b->u.hvm.rdm.strategy = rdm.strategy;
        b->u.hvm.rdm.policy = rdm.policy;
        libxl_rdm_reserve_dispose(&rdm);
    }

    list = xl_cfg_get_list(x, "pci");
    for (i = 0; list && (s = xlu_cfg_get_listitem(list, i)); i++) {
        libxl_device_pci *pci =
            APPEND(d->pcidevs, d->num_pcidevs, libxl_device_pci_init);

        pci->msitranslate = msitranslate != 0;
        pci->power_mgmt = power_mgmt != 0;
        pci->permissive = permissive != 0;
        pci->seize = seize != 0;
        /* Each device follows the domain's policy unless it says. */
        pci->rdm_policy = b->type == LIBXL_DOMAIN_TYPE_HVM
                              ? b->u.hvm.rdm.policy
                              : LIBXL_RDM_RESERVE_POLICY_STRICT;
        if (xlu_pci_parse_spec_string(x->cfg, pci, s))
            cfg_bad_value(x, "pci", s, "a PCI_SPEC_STRING, see "
                          "xl-pci-configuration(5)");
    }
    /* A PV guest with host devices sees the host's memory map. */
    if (d->num_pcidevs && b->type == LIBXL_DOMAIN_TYPE_PV)
        libxl_defbool_set(&b->u.pv.e820_host, true);

    list = xl_cfg_get_list(x, "dtdev");
    for (i = 0; list && (s = xlu_cfg_get_listitem(list, i)); i++) {
        libxl_device_dtdev *dt =
            APPEND(d->dtdevs, d->num_dtdevs, libxl_device_dtdev_init);

        dt->path = xstrdup(s);
    }
}
