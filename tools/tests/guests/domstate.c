/*
 * domstate DOMID: what Xen holds for a domain that a toolstack chose at
 * create time, one "key value" line each, so that the domains two
 * toolstacks built from one config can be compared with diff: the
 * domain's flags and emulation flags, its page counts, the TSC mode and
 * every HVM parameter Xen lets dom0 read.  Exit 1 if the domain is not
 * there.  (The CPUID policy: xen-cpuid -p DOMID; the emulated platform:
 * xen-hvmctx DOMID.)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenctrl.h>
#include <xen/hvm/params.h>

int main(int argc, char **argv)
{
    xc_interface *xch;
    xc_domaininfo_t info;
    uint32_t domid, tsc_mode, khz, incarnation;
    uint64_t elapsed, v;
    char *end;
    unsigned int i;

    if (argc != 2 || !*argv[1]) {
        fprintf(stderr, "usage: domstate DOMID\n");
        return 2;
    }
    errno = 0;
    domid = (uint32_t)strtoul(argv[1], &end, 10);
    if (*end || errno) {
        fprintf(stderr, "domstate: '%s' is not a domid\n", argv[1]);
        return 2;
    }
    xch = xc_interface_open(NULL, NULL, 0);
    if (!xch) {
        fprintf(stderr, "domstate: cannot open Xen: %s\n", strerror(errno));
        return 1;
    }
    if (xc_domain_getinfolist(xch, domid, 1, &info) != 1 ||
        info.domain != domid) {
        fprintf(stderr, "domstate: no domain %" PRIu32 "\n", domid);
        xc_interface_close(xch);
        return 1;
    }
    /* Flags minus the state bits that change while it runs. */
    printf("flags %#x\n", info.flags & (XEN_DOMINF_hvm_guest | XEN_DOMINF_hap |
                                        XEN_DOMINF_xs_domain));
    printf("emulation_flags %#x\n", info.arch_config.emulation_flags);
    printf("misc_flags %#x\n", info.arch_config.misc_flags);
    printf("max_pages %" PRIu64 "\n", (uint64_t)info.max_pages);
    printf("max_vcpu_id %" PRIu32 "\n", info.max_vcpu_id);
    printf("gpaddr_bits %u\n", info.gpaddr_bits);
    if (!xc_domain_get_tsc_info(xch, domid, &tsc_mode, &elapsed, &khz,
                                &incarnation))
        printf("tsc_mode %" PRIu32 " gtsc_khz %" PRIu32 "\n", tsc_mode, khz);
    else
        printf("tsc_info error %d\n", errno);
    for (i = 0; i < HVM_NR_PARAMS; i++) {
        if (xc_hvm_param_get(xch, domid, i, &v))
            printf("param %u error %d\n", i, errno);
        else
            printf("param %u %#" PRIx64 "\n", i, v);
    }
    xc_interface_close(xch);
    return 0;
}
