#!/bin/sh
# PVH and HVM Linux guests with a disk and a NIC, each created by our xl
# and by Debian's xl (upstream libxl 4.17, the reference) from the same
# config, in dom0 of the test host (TAP).
#
#   guests.sh [TYPES]     TYPES: "pvh hvm" (default), "pvh" or "hvm"
#
# Environment: XL (our xl, default the tree's tools/xl/xl), XL_REF
# (default xl-upstream), GUEST_TIMEOUT (s, default 1500: the guests'
# boot under TCG on a loaded machine), KEEP=1 (leave the guests up on
# failure, for a look).
#
# The guests: Debian's kernel with the busybox initramfs whose init is
# guest-init (see there), console=hvc0, kernel= for both types (an HVM
# guest boots it through hvmloader, SeaBIOS and QEMU's fw_cfg, as the
# soft-reset HVM guest does). The guests boot one after the other
# (GUEST_TIMEOUT each); each checks
# xvda (dom0's data, a write), eth0 (its MAC, the netfront driver "vif",
# no other interface, for HVM no NIC left on the PCI bus: Linux unplugged
# the emulated one) and pings 10.99.0.1 on xenbr0. dom0's side: vifD.0
# on xenbr0, for HVM the emulated NIC's tap vifD.0-emu on xenbr0 while
# the guest is paused (nothing unplugged yet), the vif connected with a
# carrier, the bridge ports and vif xenstore nodes of our guest as
# upstream's; after each xl destroys its guest nothing is left (domain,
# xenstore nodes, vif and tap, loop device, QEMU, files).
DEVTEST_DIR=$(cd "$(dirname "$0")" && pwd)
. "$DEVTEST_DIR/lib.sh"
STALL_SUITE=host-devices
. "$DEVTEST_DIR/../host-suite-lib/stall.sh"
XEN_ROOT=${XEN_ROOT:-$(cd "$DEVTEST_DIR/../../.." && pwd)}
XL=${XL:-$XEN_ROOT/tools/xl/xl}
XL_REF=${XL_REF:-xl-upstream}
TYPES=${1:-${GUEST_TYPES:-pvh hvm}}
TIMEOUT=${GUEST_TIMEOUT:-1500}
S=${TESTHOST_SCRATCH:-/scratch}
CON=/var/log/xen/console
BR=/sys/class/net/xenbr0/brif
be=/local/domain/0/backend

# The guests, "TYPE-WHO" (WHO: ours or up); each gets an index for its
# MAC and address.
GUESTS=""
for t in $TYPES; do
    GUESTS="$GUESTS $t-ours $t-up"
done

xl_of() { case $1 in *-ours) echo "$XL" ;; *) echo "$XL_REF" ;; esac; }
idx() {
    i=0
    for g in $GUESTS; do
        i=$((i + 1))
        [ "$g" = "$1" ] && { echo $i; return; }
    done
}
mac_of() { echo "00:16:3e:00:02:0$(idx $1)"; }
ip_of() { echo "10.99.0.2$(idx $1)"; }
data_of() { printf '%-16.16s' "data-net-$1"; }
domid_of() { "$XL_REF" domid "net-$1" 2>/dev/null; }
# ports D: the bridge's ports of domain D, the domid replaced by D
ports() { ls "$BR" 2>/dev/null | grep "^vif$1\." | sed "s/^vif$1\./vifD./" |
          sort | tr '\n' ' '; }
# has LINE: the guest's lines ($c) have LINE, whole
has() { printf '%s\n' "$c" | grep -qx -- "$1"; }
# con G: the guest's DEVTEST lines
con() { grep -a '^DEVTEST ' "$CON/guest-net-$1.log" 2>/dev/null | tr -d '\r'; }

cleanup() {
    for g in $GUESTS; do
        "$XL_REF" destroy "net-$g" >/dev/null 2>&1
    done
    for g in $GUESTS; do
        rm -f "$S/net-$g.cfg" "$S/net-$g.img" "$S/net-$g.ports" \
            "$S/net-$g.nodes" "$CON/guest-net-$g.log" \
            /var/log/xen/xl-net-$g.log* /var/log/xen/qemu-dm-net-$g.log*
    done
    rm -rf "$S/net-initrd.gz" "$S/net-initrd.gz.d" "$S/net-diff"
}
cleanup

check "initramfs with busybox and the front-end modules" \
    mkinitrd "$S/net-initrd.gz"

for g in $GUESTS; do
    t=${g%-*}
    img=$S/net-$g.img
    truncate -s 16M "$img"
    data_of $g | dd of="$img" conv=notrunc 2>/dev/null
    {
        echo "name = \"net-$g\""
        echo "type = \"$t\""
        echo 'memory = 256'
        echo 'vcpus = 1'
        echo "kernel = \"$TESTHOST_GUEST_KERNEL\""
        echo "ramdisk = \"$S/net-initrd.gz\""
        echo "cmdline = \"console=hvc0 quiet devtest.ip=$(ip_of $g) devtest.end=wait\""
        echo "disk = [ \"format=raw,vdev=xvda,access=rw,target=$img\" ]"
        echo "vif = [ \"mac=$(mac_of $g),bridge=xenbr0\" ]"
        # Under TCG the guest loops on rdtscp emulation otherwise.
        echo 'tsc_mode = "native"'
        # A guest that faults stays, shut down, for the fault rule to
        # see (a restart would hide it under a new domid).
        echo 'on_reboot = "preserve"'
        echo 'on_crash = "preserve"'
        if [ "$t" = hvm ]; then
            echo 'vga = "none"'
            echo 'vnc = 0'
        fi
    } > "$S/net-$g.cfg"
done

# ---- Created paused: dom0's side before the guest runs ----
for g in $GUESTS; do
    t0=$(now)
    out=$($(xl_of $g) create -p "$S/net-$g.cfg" 2>&1)
    rc=$?
    if [ $rc -ne 0 ] && [ "$(xl_of $g)" = "$XL_REF" ]; then
        # Upstream's hotplug scripts have a fixed timeout that a loaded
        # TCG host can exceed: the reference gets a second chance.
        echo "# net-$g: $XL_REF create failed; once more:"
        echo "$out" | sed 's/^/#   /'
        out=$($(xl_of $g) create -p "$S/net-$g.cfg" 2>&1)
        rc=$?
    fi
    d=$(domid_of $g)
    echo "# net-$g: create -p $(awk "BEGIN { print $(now) - $t0 }") s"
    if [ $rc -eq 0 ] && [ -n "$d" ]; then
        ok "net-$g created paused by $(xl_of $g) (domain $d)"
    else
        notok "net-$g created paused by $(xl_of $g)"
        echo "$out" | sed 's/^/# /'
    fi
done
for g in $GUESTS; do
    d=$(domid_of $g)
    [ -n "$d" ] || continue
    p=$(ports $d)
    case $g in
    hvm-*)
        check "net-$g paused: vif$d.0 and the emulated NIC's tap vif$d.0-emu on xenbr0 ($p)" \
            test "$p" = "vifD.0 vifD.0-emu " ;;
    *)
        check "net-$g paused: vif$d.0 on xenbr0, no tap ($p)" \
            test "$p" = "vifD.0 " ;;
    esac
    check "net-$g paused: vif backend waits for its frontend (InitWait)" \
        test "$(xenstore-read $be/vif/$d/0/state 2>/dev/null)" = 2
done

# ---- Running: what each guest sees ----
# One guest boots at a time: two HVM boots at once (each a QEMU and
# firmware under TCG) froze the test host's one-vCPU dom0 twice.  A
# guest that is done waits idle (devtest.end=wait) while the next boots.
# The wait follows the host suites' stall and fault rules (stall.sh): a
# guest whose console stops while it runs, or that Xen ends, is
# recorded, created (paused) and unpaused once more by the same xl; a
# second stall or fault fails its checks.
done_of() { con $1 | grep -q '^DEVTEST done'; }
recreate() {
    rm -f /var/log/xen/xl-net-$1.log* /var/log/xen/qemu-dm-net-$1.log*
    $(xl_of $1) create -p "$S/net-$1.cfg" >&2 &&
        $(xl_of $1) unpause "net-$1" >&2
}
for g in $GUESTS; do
    d=$(domid_of $g)
    [ -n "$d" ] || continue
    t0=$(now)
    $(xl_of $g) unpause "$d"
    stall_guest net-$g "$CON/guest-net-$g.log" "$TIMEOUT" "recreate $g" \
        done_of $g
    rc=$?
    [ $STALL_RETRIED = 0 ] ||
        echo "# net-$g: created again after a stall or guest fault"
    if [ $rc -eq 0 ]; then
        echo "# net-$g: checks done $(awk "BEGIN { print $(now) - $t0 }") s after unpause (guest's uptime: $(con $g | sed -n 's/^DEVTEST done uptime=//p') s)"
    elif [ -z "$(domid_of $g)" ]; then
        echo "# net-$g: the domain is gone"
    elif [ $rc -eq 1 ]; then
        echo "# net-$g: not done after $TIMEOUT s"
    fi
done

for g in $GUESTS; do
    d=$(domid_of $g)
    c=$(con $g)
    echo "$c" | sed "s/^/# net-$g: /"
    check "net-$g: the guest ran its checks" \
        has "DEVTEST done uptime=.*"
    check "net-$g: xvda (16 MiB) with dom0's data" \
        has "DEVTEST disk xvda sectors=32768 data=$(data_of $g)"
    check "net-$g: the guest's write reached the image" \
        test "$(dd if=$S/net-$g.img bs=512 skip=8 count=1 2>/dev/null |
                head -c 14)" = guest-was-here
    check "net-$g: eth0 with its MAC, driven by netfront (vif)" \
        has "DEVTEST nic eth0 mac=$(mac_of $g) driver=vif"
    check "net-$g: eth0 is the only interface" \
        has "DEVTEST netifs eth0"
    check "net-$g: no network controller on the PCI bus" \
        has "DEVTEST pci-nics none"
    case $g in
    hvm-*)
        check "net-$g: Linux unplugged the emulated NIC" \
            has "DEVTEST unplug nics=yes" ;;
    esac
    check "net-$g: pings 10.99.0.1 on xenbr0" \
        has "DEVTEST ping ok"
    [ -n "$d" ] || continue
    check "net-$g: vif backend connected" \
        test "$(xenstore-read $be/vif/$d/0/state 2>/dev/null)" = 4
    check "net-$g: vif$d.0 has a carrier" \
        test "$(cat /sys/class/net/vif$d.0/carrier 2>/dev/null)" = 1
    ports $d > "$S/net-$g.ports"
    # The vif nodes, what differs by nature normalised: the domid, the
    # MAC's last byte, grant references and event channels.
    for p in $be/vif/$d /local/domain/$d/device/vif /libxl/$d/device/vif; do
        xenstore-ls -fp $p 2>/dev/null
    done | sed -e "s|/$d/|/N/|g; s|/$d |/N |g" \
               -e "s|frontend-id = \"$d\"|frontend-id = \"N\"|" \
               -e "s|(n$d,|(nN,|; s|,r$d)|,rN)|" \
               -e "s|mac = \"00:16:3e:00:02:0.\"|mac = \"M\"|" \
               -e "s|net-$g.img|IMG|" \
               -e 's/\(ring-ref\|event-channel[a-z-]*\) = "[0-9]*"/\1 = "X"/' |
        sort > "$S/net-$g.nodes"
done
for t in $TYPES; do
    [ -f "$S/net-$t-ours.ports" ] && [ -f "$S/net-$t-up.ports" ] || continue
    check "net-$t-ours: bridge ports as upstream's ($(cat $S/net-$t-up.ports))" \
        cmp -s "$S/net-$t-ours.ports" "$S/net-$t-up.ports"
    if diff -u "$S/net-$t-up.nodes" "$S/net-$t-ours.nodes" > "$S/net-diff"
    then
        ok "net-$t-ours: vif xenstore nodes as upstream's ($(wc -l < "$S/net-$t-ours.nodes") nodes)"
    else
        notok "net-$t-ours: vif xenstore nodes differ from upstream's"
        sed 's/^/# /' "$S/net-diff"
    fi
done

if [ $fails -ne 0 ] && [ -n "${KEEP:-}" ]; then
    echo "# KEEP: the guests stay up"
    echo "1..$n"
    exit 1
fi

# ---- Destroyed by the xl that made it: nothing left ----
for g in $GUESTS; do
    d=$(domid_of $g)
    [ -n "$d" ] || continue
    uuid=$(xenstore-read /local/domain/$d/vm 2>/dev/null)
    check "net-$g: destroyed by $(xl_of $g)" $(xl_of $g) destroy "$d"
    left=""
    for p in /local/domain/$d /libxl/$d $uuid /local/domain/0/device-model/$d
    do
        xenstore-exists "$p" 2>/dev/null && left="$left $p"
    done
    for b in $(xenstore-list $be 2>/dev/null); do
        xenstore-exists "$be/$b/$d" 2>/dev/null && left="$left $be/$b/$d"
    done
    ls -d /sys/class/net/vif$d.* >/dev/null 2>&1 &&
        left="$left $(cd /sys/class/net && echo vif$d.*)"
    losetup -a | grep -q "net-$g.img" && left="$left loop"
    ps -o pid,args | grep -a -- "-xen-domid $d " | grep -qv grep &&
        left="$left qemu"
    for f in /var/run/xen/qmp-libxl-$d /var/run/xen/qmp-libxenstat-$d \
             /var/lib/xen/qemu-save.$d /var/lib/xen/qemu-resume.$d; do
        [ -e "$f" ] && left="$left $f"
    done
    if [ -z "$left" ] && [ -z "$(domid_of $g)" ]; then
        ok "net-$g: domain, nodes, vif, tap, loop device, QEMU gone"
    else
        notok "net-$g: nothing left after destroy (left:$left)"
    fi
done

cleanup
echo "1..$n"
[ $fails -eq 0 ]
