#!/bin/sh
# Runs in dom0 of the test host (tools/testhost/testhost run ...): our
# device model code against Debian's xl (upstream libxl 4.17) on real
# Xen.  For each config, Debian's xl creates the HVM guest paused; then
#  1. our command line for its stored config (the same input) must equal
#     the one its QEMU runs with (/proc/PID/cmdline), environment too;
#  2. our destroy stops its QEMU and leaves no process, node or socket
#     (dmB: its device state saved through our QMP client first);
#  3. our spawn starts QEMU for the domain (dmB: restoring that state):
#     "running" in xenstore, QMP answers, serial ptys in xenstore, dmA's
#     NIC tap on xenbr0; dmA, unpaused, boots through our QEMU from its
#     IDE disk (hvmloader, SeaBIOS, bootsector.S on Xen's console);
#  4. QMP stop + xen-save-devices-state write the device state;
#  5. our destroy leaves nothing; Debian's xl destroys the domain; no
#     tap, QMP socket or log of the test is left.
# TAP output.  BUILD: the tree holding dm-driver (default: this tree).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-$(cd "$HERE/../../.." && pwd)}
DRV=$BUILD/tools/tests/host-dm/dm-driver
OUT=${OUT:-/tmp/host-dm.$$}
KERNEL=${TESTHOST_GUEST_KERNEL:?no guest kernel}
BOOTIMG=$BUILD/tools/tests/out/host-dm/boot.img
[ -f "$BOOTIMG" ] || { echo "Bail out! no $BOOTIMG (make -C tools/tests/host-dm)"; exit 1; }
mkdir -p "$OUT"
n=0 fails=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
check() { what=$1; shift; if "$@"; then ok "$what"; else notok "$what"; fi; }
ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

echo dummy | gzip > "$OUT/initrd.gz"

write_cfg() {   # name extra-lines
    cat > "$OUT/$1.cfg" <<EOF
name = "$1"
type = "hvm"
memory = 256
vcpus = 1
tsc_mode = "native"
on_reboot = "destroy"
on_crash = "preserve"
$2
EOF
}

# dmA boots from its emulated IDE disk a boot sector (bootsector.S) that
# prints a line on Xen's console and halts: hvmloader, SeaBIOS, the disk
# and the guest's code all run through our QEMU, in seconds (a Linux
# kernel by direct boot takes minutes through fw_cfg on a busy TCG
# host).  Halting powers the guest off, which preserve leaves for us.
cp "$BOOTIMG" "$OUT/boot.img"
write_cfg dmA "boot = \"c\"
disk = [ \"format=raw,vdev=hda,access=rw,target=$OUT/boot.img\" ]
on_poweroff = \"preserve\"
vga = \"none\"
vif = [ \"mac=00:16:3e:00:01:01,bridge=xenbr0\" ]
serial = \"file:/var/log/xen/console/dmA-serial.log\""
write_cfg dmB "kernel = \"$KERNEL\"
ramdisk = \"$OUT/initrd.gz\"
cmdline = \"console=ttyS0 panic=0\"
vga = \"stdvga\"
vnc = 0
serial = [ \"pty\", \"file:/var/log/xen/console/dmB-serial1.log\" ]
vcpus = 2
maxvcpus = 3
maxmem = 320
boot = \"dc\"
disk = [ \",,hdc:cdrom,r\" ]"

domid_of() { xl-upstream domid "$1" 2>/dev/null; }
xsr() { xenstore-read "$1" 2>/dev/null; }
alive() { [ -n "$1" ] && [ -d "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
leftovers() {   # domid: prints what is left of a device model
    d=$1
    [ -z "$(xsr /local/domain/$d/image/device-model-pid)" ] || echo pid-node
    xenstore-exists /local/domain/0/device-model/$d 2>/dev/null && echo dm-node
    ls /var/run/xen/qmp-libxl-$d /var/run/xen/qmp-libxenstat-$d \
        /var/lib/xen/qemu-save.$d 2>/dev/null
    for p in /proc/[0-9]*; do
        tr '\0' ' ' 2>/dev/null < $p/cmdline | grep -q "^/usr/libexec/xen-qemu-system-i386 -xen-domid $d " && echo "process ${p#/proc/}"
    done
}

for g in dmA dmB; do
    rm -f /var/log/xen/console/$g-serial*.log
    t0=$(ms)
    if ! xl-upstream create -p "$OUT/$g.cfg" > "$OUT/$g.upstream.log" 2>&1; then
        notok "$g: Debian's xl creates the guest"; continue
    fi
    t1=$(ms)
    d=$(domid_of $g)
    ok "$g: Debian's xl created domain $d paused ($((t1 - t0)) ms)"
    pid=$(xsr /local/domain/$d/image/device-model-pid)
    tr '\0' '\n' < /proc/$pid/cmdline > "$OUT/$g.upstream.argv"
    tr '\0' '\n' < /proc/$pid/environ | grep -E '^(XEN_QEMU_CONSOLE_LIMIT|XEN_DOMAIN_ID)=' | sort > "$OUT/$g.upstream.env"
    json=$(ls /var/lib/xen/userdata-d.$d.*.libxl-json)
    cp "$json" "$OUT/$g.json"
    "$DRV" argv "$json" $d > "$OUT/$g.ours" 2> "$OUT/$g.ours.err"
    grep -v '^ENV ' "$OUT/$g.ours" > "$OUT/$g.ours.argv"
    sed -n 's/^ENV //p' "$OUT/$g.ours" | sort > "$OUT/$g.ours.env"
    check "$g: our QEMU argv equals upstream's ($(wc -l < "$OUT/$g.ours.argv") args)" \
        diff -u "$OUT/$g.upstream.argv" "$OUT/$g.ours.argv"
    check "$g: our QEMU environment equals upstream's" \
        diff -u "$OUT/$g.upstream.env" "$OUT/$g.ours.env"
    serial0_up=$(xsr /local/domain/$d/serial/0/tty)
    tap=vif$d.0-emu
    if [ $g = dmA ]; then
        check "$g: upstream's tap $tap is on xenbr0" \
            sh -c "ip -o link show $tap | grep -q 'master xenbr0'"
    fi
    # dmB: QEMU populated the VGA RAM; a new QEMU can only take it over
    # by restoring the device state (as a soft reset does), not afresh.
    state=
    if [ $g = dmB ]; then
        state=$OUT/$g.up-state
        "$DRV" save $d $state 2> "$OUT/$g.save0.log"
        check "$g: upstream's QEMU state saved through our QMP ($(stat -c %s $state 2>/dev/null) bytes)" \
            sh -c "[ \"\$(head -c 4 $state)\" = QEVM ]"
    fi

    # Upstream's QEMU stopped by our destroy.
    "$DRV" destroy $d 2> "$OUT/$g.destroy1.log"
    check "$g: our destroy stops upstream's QEMU (pid $pid)" sh -c "! [ -d /proc/$pid ] || grep -q '^State:.*Z' /proc/$pid/status"
    left=$(leftovers $d)
    check "$g: nothing left of it ($left)" [ -z "$left" ]

    # Ours.
    "$DRV" spawn "$OUT/$g.json" $d $state 2> "$OUT/$g.spawn.log"
    rc=$?
    check "$g: our spawn: $(grep -o 'spawn rc=.*' "$OUT/$g.spawn.log")" [ $rc = 0 ]
    opid=$(xsr /local/domain/$d/image/device-model-pid)
    check "$g: state running, pid $opid alive" sh -c "[ \"\$(xenstore-read /local/domain/0/device-model/$d/state)\" = running ] && [ -d /proc/$opid ]"
    tr '\0' '\n' < /proc/$opid/cmdline > "$OUT/$g.ours.running"
    if [ -n "$state" ]; then
        # Restoring: the same argv plus "-incoming fd:0" (the state on
        # QEMU's stdin), as upstream restores.
        check "$g: our QEMU restores its state from stdin (-incoming fd:0)" \
            sh -c "tr '\n' ' ' < '$OUT/$g.ours.running' | grep -q -- ' -incoming fd:0 '"
        awk 'skip { skip = 0; next } $0 == "-incoming" { skip = 1; next } { print }' \
            "$OUT/$g.ours.running" > "$OUT/$g.ours.running.tmp"
        mv "$OUT/$g.ours.running.tmp" "$OUT/$g.ours.running"
        # ... and a serial port to a file appended to, not truncated
        # (the log keeps what the guest wrote before the reset)
        check "$g: our restoring QEMU appends to its serial log file" \
            grep -qx 'file,id=libxl-serial1,path=/var/log/xen/console/dmB-serial1.log,append=on' \
            "$OUT/$g.ours.running"
        awk '$0 == "-serial" { n++; ser = 1; next }
             ser && /^file:/ { printf "-chardev\nfile,id=libxl-serial%d,path=%s,append=on\n-serial\nchardev:libxl-serial%d\n", n - 1, substr($0, 6), n - 1; ser = 0; next }
             ser { print "-serial"; ser = 0 }
             { print }' "$OUT/$g.ours.argv" > "$OUT/$g.ours.argv.restoring"
    fi
    check "$g: our QEMU runs with our argv" diff -q \
        "$OUT/$g.ours.argv${state:+.restoring}" "$OUT/$g.ours.running"
    ppid=$(sed -n 's/^PPid:[[:space:]]*//p' /proc/$opid/status)
    check "$g: our QEMU is detached (parent $ppid)" [ "$ppid" = 1 ]
    check "$g: log in /var/log/xen/qemu-dm-$g.log" [ -f /var/log/xen/qemu-dm-$g.log ]
    st=$("$DRV" qmp $d query-status 2>>"$OUT/$g.qmp.log")
    echo "# query-status: $(echo $st | tr -s ' \n' ' ')"
    check "$g: QMP query-status answers" sh -c "echo '$st' | grep -q status"
    if [ -n "$serial0_up" ]; then
        s0=$(xsr /local/domain/$d/serial/0/tty)
        check "$g: serial 0 pty in xenstore ($s0; upstream had $serial0_up)" sh -c "[ -c '$s0' ]"
    fi
    if [ $g = dmA ]; then
        check "$g: our tap $tap is on xenbr0 (vif-bridge add type_if=tap)" \
            sh -c "ip -o link show $tap | grep -q 'master xenbr0'"
        xl-upstream dmesg -c > /dev/null
        xl-upstream unpause $d
        t0=$(ms)
        i=0
        while [ $i -lt 600 ] && ! xl-upstream list $d 2>/dev/null |
              awk 'NR == 2 { exit !($5 ~ /^...s/) }'; do
            sleep 1; i=$((i + 1))
        done
        xl-upstream dmesg > "$OUT/$g.dmesg"
        check "$g: the guest ran and powered off ($((($(ms) - t0) / 1000)) s)" \
            sh -c "xl-upstream list $d | awk 'NR == 2 { exit !(\$5 ~ /^...s-/) }'"
        for m in "HVM Loader" "Invoking SeaBIOS" "Booting from Hard Disk" \
                 "DMTEST boot sector ran from the IDE disk"; do
            check "$g: Xen's console has the guest's \"$m\"" \
                grep -q "(d$d) $m" "$OUT/$g.dmesg"
        done
    fi
    save=/var/lib/xen/qemu-save.$d
    "$DRV" save $d $save 2> "$OUT/$g.save.log"
    check "$g: $(grep -o 'save rc=.*' "$OUT/$g.save.log"): $(stat -c %s $save 2>/dev/null) bytes, $(head -c 4 $save 2>/dev/null | od -An -c | tr -d ' ')" \
        sh -c "[ -s $save ] && [ \"\$(head -c 4 $save)\" = QEVM ]"
    "$DRV" destroy $d 2> "$OUT/$g.destroy2.log"
    check "$g: $(grep -o 'destroy rc=.*' "$OUT/$g.destroy2.log")" grep -q 'destroy rc=0' "$OUT/$g.destroy2.log"
    left=$(leftovers $d)
    check "$g: nothing left of our QEMU ($left)" [ -z "$left" ]
    xl-upstream destroy $d
done
left=$(ls /var/run/xen/ | grep qmp)
check "no QMP socket left in /var/run/xen ($left)" [ -z "$left" ]
left=$(ls /sys/class/net | grep -- -emu)
check "no tap left ($left)" [ -z "$left" ]
rm -rf /var/log/xen/qemu-dm-dmA.log* /var/log/xen/qemu-dm-dmB.log* \
    /var/log/xen/xl-dmA.log* /var/log/xen/xl-dmB.log* \
    /var/log/xen/console/dmA-serial.log /var/log/xen/console/dmB-serial*.log \
    /var/log/xen/console/guest-dmA.log /var/log/xen/console/guest-dmB.log \
    "$OUT"
echo "1..$n"
[ $fails = 0 ]
