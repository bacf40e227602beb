#!/bin/sh
# PVH guest that kexecs itself. Its kexec reaches Xen as a soft reset
# (shutdown reason 5). Upstream libxl 4.17 soft-resets HVM guests only:
# its xl destroys the PVH guest. Our toolstack soft-resets PVH guests
# too (see docs/design): with it this is the HVM kexec loop.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../kexec-loop.sh"

NAME=th-pvh-kexec
if [ "${XL_KIND:-upstream}" = upstream ]; then
    pvh_upstream_destroys "$NAME" "$GUESTS/pvh-kexec.cfg"
else
    kexec_loop pvh "$NAME" "$GUESTS/pvh-kexec.cfg" "$KEXECS" kexec \
        "cmdline=\"console=hvc0 gen=0 kexecs=$KEXECS ack=60 mode=kexec\""
fi
done_testing
