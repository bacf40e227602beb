#!/bin/sh
# HVM guest that loads a crash kernel (kexec -p, crashkernel=128M) and
# panics: the crash is a soft reset, and the crash kernel must find
# /proc/vmcore (the old kernel's memory kept across the reset).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../kexec-loop.sh"

NAME=th-hvm-kdump
kexec_loop hvm "$NAME" "$GUESTS/hvm-kdump.cfg" 1 kdump \
    "$(kernel_disk)" \
    "serial=\"file:$CONSOLE_DIR/$NAME-serial.log\"" \
    "cmdline=\"console=ttyS0 quiet gen=0 crashkernel=128M kexecs=1 ack=60 mode=kdump\""
if console_has serial.tlog "KDUMP ok vmcore="; then
    ok "crash kernel reports /proc/vmcore: $(grep -a -o 'KDUMP ok vmcore=[0-9]*' "$OUT/serial.tlog" | head -n 1)"
elif [ "$fault_after_last" = 1 ]; then
    skip "crash kernel reports /proc/vmcore" \
        "guest triple-faulted after soft reset: $(grep -a -m 1 'Triple fault' "$OUT/xen.tlog")"
else
    not_ok "crash kernel reports /proc/vmcore" \
        "$(grep -a KDUMP "$OUT/serial.tlog" | head -n 3)"
fi
done_testing
