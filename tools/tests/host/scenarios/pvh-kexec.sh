#!/bin/sh
# PVH guest that kexecs itself. Its kexec reaches Xen as a soft reset
# (shutdown reason 5). Upstream libxl 4.17 soft-resets HVM guests only:
# its xl destroys the PVH guest. Our toolstack soft-resets PVH guests
# too (see docs/design/soft-reset.md), in two runs:
#  native  the kexec as a user would do it: the new Linux, entered through
#          its native entry, finds no ACPI and panics early (a Linux
#          limitation, "Linux PVH kexec" there): everything the toolstack
#          does is asserted, the panic is recognised precisely and
#          reported as TODO, the guest destroyed;
#  rsdp    the same with acpi_rsdp= passed on by the guest's init
#          (rsdp=pass): the HVM kexec loop's assertions for PVH.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../kexec-loop.sh"

NAME=th-pvh-kexec
if [ "${XL_KIND:-upstream}" = upstream ]; then
    pvh_upstream_destroys "$NAME" "$GUESTS/pvh-kexec.cfg"
else
    top=$OUT
    t0=$(cut -d. -f1 /proc/uptime)
    OUT=$top/native
    pvh_native_kexec "$NAME" "$GUESTS/pvh-kexec.cfg"
    # What is left of the scenario's time for the loop.
    left=$((SCENARIO_TIMEOUT - ($(cut -d. -f1 /proc/uptime) - t0) - 30))
    [ "$left" -ge 120 ] || left=120
    OUT=$top/rsdp
    SCENARIO_TIMEOUT=$left kexec_loop pvh "$NAME" "$GUESTS/pvh-kexec.cfg" "$KEXECS" kexec \
        "cmdline=\"console=hvc0 gen=0 kexecs=$KEXECS ack=60 mode=kexec rsdp=pass\""
    OUT=$top
fi
done_testing
