#!/bin/sh
# ACPI tables of a PVH guest, in dom0 of the test host (TAP), with
# Debian's xl (upstream libxl 4.17) as the reference.
#
# The same Linux PVH guest (Debian's kernel, a busybox initramfs whose
# init is guest-init), vcpus=2 and on_poweroff="preserve", created by
# our xl and by xl-upstream, one after the other (on_reboot and on_crash
# "preserve" too, so that a guest that fails stays for a look, never
# loops): each must report 2 CPUs online
# (Linux learns them from the MADT), and its `poweroff -f` must end in a
# shutdown with reason poweroff (Xen's, when every vCPU halts with
# interrupts off), logged by each xl's monitor.  Then both are destroyed
# and nothing of them is left.  The wait for a guest's report follows
# the host suites' stall and fault rules (tools/tests/host-suite-lib/
# stall.sh): a guest whose console stops while it runs, or that Xen
# itself ends (a triple fault, Xen's domain_crash), is recorded and
# created once more, for ours and upstream's alike.
S=${TESTHOST_SCRATCH:-/scratch}
STALL_SUITE=host-acpi
. "$(dirname "$0")/../host-suite-lib/stall.sh"
OURS=$XEN_ROOT/tools/xl/xl
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
check() { what=$1; shift; if "$@" >&2; then ok "$what"; else notok "$what"; fi; }

xl_of() { if [ "$1" = ours ]; then echo "$OURS"; else echo xl-upstream; fi; }
cleanup() {
    for w in up ours; do
        xl-upstream destroy acpi-$w >/dev/null 2>&1
        rm -f $S/acpi-$w.cfg /var/log/xen/console/guest-acpi-$w.log \
            /var/log/xen/xl-acpi-$w.log*
    done
    rm -rf $S/acpi-initrd $S/acpi-initrd.gz
}
cleanup
trap cleanup EXIT
trap 'exit 1' INT TERM

mkinitrd() {
    r=$S/acpi-initrd
    mkdir -p "$r/bin" "$r/proc" "$r/sys" "$r/dev" &&
    cp /bin/busybox "$r/bin/" &&
    cp "$(dirname "$0")/guest-init" "$r/init" &&
    chmod +x "$r/init" || return 1
    (cd "$r" && find . | cpio -o -H newc 2>/dev/null) | gzip > $S/acpi-initrd.gz
}
check "initramfs with busybox" mkinitrd

wait_for() {    # wait_for SECONDS COMMAND...: until COMMAND succeeds
    t=$1; shift; i=0
    while [ $i -lt $t ] && ! "$@" 2>/dev/null; do sleep 1; i=$((i + 1)); done
    "$@" 2>/dev/null
}
con() { echo /var/log/xen/console/guest-acpi-$1.log; }
shut() { xl-upstream list acpi-$1 2>/dev/null | awk 'NR == 2 { print $5 }' |
         grep -q s; }
uptime_s() { cut -d. -f1 /proc/uptime; }
# The stall rule's second chance: the guest created again by the same xl.
recreate() {
    rm -f /var/log/xen/xl-acpi-$1.log*
    $(xl_of $1) create $S/acpi-$1.cfg >&2
}

# One guest after the other: two guests of 2 vCPUs at once on the
# loaded TCG host starved each other into soft lockups.  Unloaded, a PVH
# Linux boots in about 40 s.
for w in ours up; do
    {
        echo "name=\"acpi-$w\""
        echo 'type="pvh"'
        echo 'memory=256'
        echo 'vcpus=2'
        echo "kernel=\"$TESTHOST_GUEST_KERNEL\""
        echo "ramdisk=\"$S/acpi-initrd.gz\""
        echo 'cmdline="console=hvc0"'
        echo 'on_poweroff="preserve"'
        echo 'on_reboot="preserve"'
        echo 'on_crash="preserve"'
    } > $S/acpi-$w.cfg
    t0=$(uptime_s)
    check "$w: xl create" $(xl_of $w) create $S/acpi-$w.cfg
    stall_guest acpi-$w $(con $w) 420 "recreate $w" \
        grep -q "ACPITEST done" $(con $w)
    retried=
    [ $STALL_RETRIED = 0 ] ||
        retried=", created again after a stall or guest fault"
    check "$w: the guest reported (after $(($(uptime_s) - t0)) s$retried)" \
        grep -q "ACPITEST done" $(con $w)
    grep -a -e ACPITEST -e "ACPI: RSDP" -e "ACPI: XSDT" -e "smpboot: Allowing" \
        -e "System halted" $(con $w) 2>/dev/null | tr -d '\r' | sed "s/^/# $w: /"
    # Soft lockups are reported, not failed: on a loaded TCG host
    # upstream's guest shows them as well.
    echo "# $w: $(grep -ac 'soft lockup' $(con $w)) soft lockup reports"
    check "$w: the guest sees 2 CPUs online" \
        grep -q "ACPITEST cpus online=0-1 possible=0-1 count=2" $(con $w)
    check "$w: poweroff -f shut the domain down" wait_for 120 shut $w
    check "$w: with reason poweroff (the monitor's log)" \
        grep -q "has shut down, reason code 0 " /var/log/xen/xl-acpi-$w.log
done
check "ours: the guest found our tables (RSDP at 0xfc00..., XSDT, FACP, APIC)" \
    sh -c "grep -aq 'ACPI: RSDP 0x00000000FC00' $(con ours) &&
           grep -aq 'ACPITEST tables APIC DSDT FACP' $(con ours)"

for w in up ours; do
    id=$(xl-upstream domid acpi-$w 2>/dev/null)
    check "$w: xl destroy" $(xl_of $w) destroy acpi-$w
    check "$w: nothing of the domain is left" \
        sh -c "! xl-upstream domid acpi-$w >/dev/null 2>&1 &&
               ! xenstore-ls /local/domain/$id >/dev/null 2>&1 &&
               ! xenstore-ls /libxl/$id >/dev/null 2>&1"
done

echo "1..$n"
[ $fails -eq 0 ]
