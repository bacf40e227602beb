#!/bin/sh
# HVM guest (QEMU device model) that kexecs itself $KEXECS times: each
# kexec is a soft reset (shutdown reason 5) that the toolstack must
# perform keeping the domid, then the last generation powers off.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../kexec-loop.sh"

NAME=th-hvm-kexec
kexec_loop hvm "$NAME" "$GUESTS/hvm-kexec.cfg" "$KEXECS" kexec \
    "$(kernel_disk)" \
    "serial=\"file:$CONSOLE_DIR/$NAME-serial.log\"" \
    "cmdline=\"console=ttyS0 quiet gen=0 kexecs=$KEXECS ack=60 mode=kexec\""
done_testing
