#!/bin/sh
# TAP, no Xen needed: triple-fault-class tells the one triple fault of
# the probe that the test host's emulation produces (RIP at the return of
# a hypercall in the probe's hypercall page, the probe's own long mode)
# from the deliberate one (mode=crash) and from any other, which a test
# must report as a failure, never skip.  The register dumps are Xen
# 4.17's (hvm_triple_fault -> vcpu_show_execution_state), with the
# addresses of the probe as built.
#
# Usage: check-triple-fault.t [path/to/pvh-probe.elf]
here=$(cd "$(dirname "$0")" && pwd)
elf=${1:-$here/pvh-probe.elf}
class=$here/triple-fault-class
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
is() { # is DESCRIPTION GOT WANT
    n=$((n + 1))
    if [ "$2" = "$3" ]; then echo "ok $n - $1"; else
        fails=$((fails + 1)); echo "not ok $n - $1"
        echo "#   got:  '$2'"; echo "#   want: '$3'"
    fi
}
echo "1..15"
[ -f "$elf" ] || { echo "Bail out! $elf not built (make -C $here)"; exit 1; }
sh "$here/probe-syms" "$elf" > "$tmp/syms"
addr() { awk -v s="$1" '$3 == s { print $1 }' "$tmp/syms"; }
plus() { printf '%016x' $((0x$1 + $2)); }
hp=$(addr hypercall_page) pml4=$(addr pt_pml4) tf=$(addr triple_fault)
aphp=$(addr ap_hypercall_page)
main=$(addr probe_main) e9=$(addr __e9_out_return)
# dump DOMID RIP [CR3 [CR0]]: Xen's lines for a triple fault
dump() {
    cat <<EOD
(XEN) d$1v0 Triple fault - invoking HVM shutdown action 1
(XEN) *** Dumping Dom$1 vcpu#0 state: ***
(XEN) ----[ Xen-4.17.7  x86_64  debug=n  Not tainted ]----
(XEN) CPU:    1
(XEN) RIP:    ${DUMP_CS:-0018}:[<$2>]
(XEN) RFLAGS: 0000000000000006   CONTEXT: hvm guest (d$1v0)
(XEN) rbp: 000000000010a001   rsp: 000000000010edf8   r8:  0000000000000000
(XEN) r15: 000000000010ee90   cr0: ${4:-0000000080000011}   cr4: 0000000000000020
(XEN) cr3: ${3:-$pml4}   cr2: 0000000000000000
(XEN) ds: 0010   es: 0010   fs: 0010   gs: 0010   ss: 0010   cs: ${DUMP_CS:-0018}
EOD
}
run() { "$class" "$tmp/syms" "$@"; }

is "sched_op's return (hypercall_page+0x3a8): the emulation's signature" \
    "$(dump 30 "$(plus "$hp" $((29 * 32 + 8)))" | run)" \
    "d30v0 rip=0x$(printf %x $((0x$hp + 0x3a8))) at=hypercall_page+0x3a8 kind=hypercall-return nr=29"
is "vCPU 1's page (ap=1), same return: hypercall-return" \
    "$(dump 33 "$(plus "$aphp" $((29 * 32 + 8)))" | run | sed 's/.* at=//')" \
    "ap_hypercall_page+0x3a8 kind=hypercall-return nr=29"
is "the test host's time-stamped serial capture (xen.tlog) reads the same" \
    "$(dump 34 "$e9" | sed 's/^/1796684412.158 /' | run | sed 's/.* kind=/kind=/')" \
    "kind=io-return"
is "after the port 0xE9 write in pr: the emulation's, named by pr" \
    "$(dump 31 "$e9" | run | sed 's/.* at=\([a-z_]*\)+.* kind=/\1 kind=/')" \
    "pr kind=io-return"
is "after the port 0xE9 write under other page tables: other" \
    "$(dump 32 "$e9" 0000000000200000 | run | sed 's/.* kind=/kind=/')" \
    "kind=other"
# Xen's own state saved as the guest's (seen three times, same RIP):
# the dump above with another code selector (DUMP_CS).
is "CS e008 and RIP in Xen's text in a guest's dump: xen-state" \
    "$(DUMP_CS=e008 dump 108 ffff82d0402044a5 | run)" \
    "d108v0 rip=0xffff82d0402044a5 at=xen kind=xen-state"
is "a guest RIP of Xen's range under a guest's CS: other" \
    "$(DUMP_CS=0010 dump 109 ffff82d0402044a5 | run | sed 's/.* kind=/kind=/')" \
    "kind=other"
is "mode=crash: deliberate" \
    "$(dump 2 "$(plus "$tf" 7)" | run | sed 's/.* kind=/kind=/')" \
    "kind=deliberate"
is "a fault in probe_main is not skipped" \
    "$(dump 5 "$(plus "$main" 16)" | run | sed 's/.* at=//')" \
    "probe_main+0x10 kind=other"
is "the vmmcall itself (+5), not its return: other" \
    "$(dump 6 "$(plus "$hp" $((29 * 32 + 5)))" | run | sed 's/.* kind=/kind=/')" \
    "kind=other"
is "a return in the hypercall page under other page tables: other" \
    "$(dump 7 "$(plus "$hp" $((29 * 32 + 8)))" 0000000000200000 |
       run | sed 's/.* kind=/kind=/')" "kind=other"
is "... or with paging off: other" \
    "$(dump 8 "$(plus "$hp" $((29 * 32 + 8)))" "$pml4" 0000000000000011 |
       run | sed 's/.* kind=/kind=/')" "kind=other"
is "no register dump: other" \
    "$(echo '(XEN) d9v0 Triple fault - invoking HVM shutdown action 1' | run)" \
    "d9v0 rip=? at=? kind=other"
is "two faults, guest lines between: one line each, in order" \
    "$({ dump 10 "$(plus "$hp" $((2 * 32 + 8)))"
         echo '(d11) PROBE xenstore domid=11'
         dump 11 "$(plus "$main" 16)"; } | run | sed 's/ rip=.* kind=/ /')" \
    "d10v0 hypercall-return nr=2
d11v0 other"
is "DOMIDS keeps to the domains named" \
    "$({ dump 10 "$(plus "$main" 16)"; dump 12 "$(plus "$tf" 7)"; } |
       run '12|13' | sed 's/ rip=.* kind=/ /')" "d12v0 deliberate"
[ $fails = 0 ]
