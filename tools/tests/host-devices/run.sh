#!/bin/sh
# Disks and NICs through our libxl against real Xen, in dom0 of the test
# host, with Debian's xl (upstream libxl 4.17) as the reference (TAP).
#
#   run.sh [DEVTEST]     DEVTEST: our driver (default: next to this file)
#
# Two paused PV domains: "dev-up" gets a file disk and a vif from
# xl-upstream; "dev-ours" the same specs through devtest (our libxl).
# Checked: backends waiting for their frontends (InitWait), the hotplug
# scripts' work (loop device on the image, vif on xenbr0), the xenstore
# nodes against upstream's (domid, image name and loop device
# normalised), listing, removal leaving no node, loop device or vif,
# and libxl_domain_destroy tearing down a domain's devices.
# Then a PV guest ("dev-boot", Debian's kernel, a busybox initramfs whose
# init is guest-init) created by libxl_domain_create_new with a disk and
# a NIC: it must see xvda with the data dom0 wrote, write to it, see
# eth0 with its MAC and ping dom0 on xenbr0; destroyed, nothing is left.
# Then the same guest with its xvda served by QEMU (backendtype=qdisk),
# once by our xl and once by xl-upstream, as PV and as PVH guests (the
# same kernel and initramfs): a QEMU with machine xenpv
# serves it (the same command line under both), the guest reads dom0's
# data and writes to the image; after destroy no QEMU process, QMP
# socket, xenstore node or domain is left.  Our xl once more with a
# qcow2 image (no backendtype: only QEMU reads qcow2, so libxl picks
# qdisk) over a raw backing file: the guest reads the backing file's
# data and its write lands in the qcow2 file, not in the backing file.
DEVTEST_DIR=$(cd "$(dirname "$0")" && pwd)
DEVTEST=${1:-$DEVTEST_DIR/devtest}
XL=${XL:-$(cd "$DEVTEST_DIR/../../xl" && pwd)/xl}
. "$DEVTEST_DIR/lib.sh"
STALL_SUITE=host-devices
. "$DEVTEST_DIR/../host-suite-lib/stall.sh"
S=${TESTHOST_SCRATCH:-/scratch}
# retried: what the title of a check says after a stall rule's retry
retried() {
    [ $STALL_RETRIED = 0 ] || echo ", created again after a stall or guest fault"
}

cleanup() {
    for d in dev-up dev-ours dev-boot dev-qours dev-qup \
             dev-qours-qcow2 dev-qours-pvh dev-qup-pvh; do
        xl-upstream destroy $d >/dev/null 2>&1
    done
    rm -rf $S/dev-up.img $S/dev-ours.img $S/dev-*.cfg $S/dev-*.dump \
        $S/dev-diff $S/dev-boot.img $S/dev-initrd.gz.d $S/dev-initrd.gz \
        $S/dev-q*.img $S/dev-q*.qcow2 $S/dev-q*.args $S/dev-q*.qemu \
        /var/log/xen/console/guest-dev-*.log /var/log/xen/xl-dev-up.log* \
        /var/log/xen/xl-dev-ours.log* /var/log/xen/xl-dev-q*.log* \
        /var/log/xen/qemu-dm-dev-q*.log*
}
cleanup
truncate -s 64M $S/dev-up.img $S/dev-ours.img
for d in up ours; do
    {
        echo "name=\"dev-$d\""
        echo 'type="pv"'
        echo 'memory=128'
        echo "kernel=\"$TESTHOST_GUEST_KERNEL\""
        echo 'cmdline="console=hvc0"'
    } > $S/dev-$d.cfg
done
echo "disk=[\"format=raw,vdev=xvda,access=rw,target=$S/dev-up.img\"]" \
    >> $S/dev-up.cfg
echo 'vif=["mac=00:16:3e:00:00:01,bridge=xenbr0"]' >> $S/dev-up.cfg

xl-upstream create -p $S/dev-up.cfg >/dev/null 2>&1
xl-upstream create -p $S/dev-ours.cfg >/dev/null 2>&1
up=$(xl-upstream domid dev-up)
id=$(xl-upstream domid dev-ours)
check "paused PV domains made by xl-upstream ($up, $id)" \
    test -n "$up" -a -n "$id"

check "disk add (file image)" $DEVTEST disk-add $id $S/dev-ours.img xvda w
check "nic add" $DEVTEST nic-add $id 00:16:3e:00:00:01 xenbr0
be=/local/domain/0/backend
check "vbd backend in InitWait" \
    test "$(xenstore-read $be/vbd/$id/51712/state)" = 2
check "vbd hotplug-status connected" \
    test "$(xenstore-read $be/vbd/$id/51712/hotplug-status)" = connected
check "vif backend in InitWait" \
    test "$(xenstore-read $be/vif/$id/0/state)" = 2
check "vif hotplug-status connected" \
    test "$(xenstore-read $be/vif/$id/0/hotplug-status)" = connected
loop=$(xenstore-read $be/vbd/$id/51712/node 2>/dev/null)
check "block script attached $loop to the image" \
    sh -c "losetup -a | grep -q '^$loop: .*dev-ours.img'"
check "vif$id.0 is on xenbr0" \
    sh -c "ip -o link show vif$id.0 | grep -q 'master xenbr0'"

# The nodes, with what differs by nature normalised.
dump() {
    for p in $be/vbd/$1 $be/vif/$1 /local/domain/$1/device/vbd \
             /local/domain/$1/device/vif /libxl/$1/device/vbd \
             /libxl/$1/device/vif; do
        xenstore-ls -fp $p
    done | sed -e "s|/$1/|/N/|g; s|/$1 |/N |g" \
               -e "s|frontend-id = \"$1\"|frontend-id = \"N\"|" \
               -e "s|(n$1,|(nN,|; s|,r$1)|,rN)|" \
               -e "s|dev-$2.img|dev-X.img|; s|/dev/loop[0-9]*|/dev/loopX|" \
               -e "s|\"7:[0-9]*\"|\"7:X\"|" | sort
}
dump $up up > $S/dev-up.dump
dump $id ours > $S/dev-ours.dump
if diff -u $S/dev-up.dump $S/dev-ours.dump > $S/dev-diff; then
    ok "xenstore nodes as upstream's ($(wc -l < $S/dev-ours.dump) nodes)"
else
    notok "xenstore nodes differ from upstream's"; sed 's/^/# /' $S/dev-diff
fi

check "list" sh -c "$DEVTEST list $id | grep -q '^disk xvda phy $S/dev-ours.img w' &&
    $DEVTEST list $id | grep -q '^nic 0 00:16:3e:00:00:01 xenbr0'"

# The guest is paused: a plain remove waits for it in vain, as
# upstream's block-detach does; destroy removes the device regardless.
check "disk destroy" $DEVTEST disk-destroy $id xvda
check "nic destroy" $DEVTEST nic-destroy $id 0
check "no backend node left" \
    sh -c "! xenstore-ls $be/vbd/$id >/dev/null 2>&1 &&
           ! xenstore-ls $be/vif/$id >/dev/null 2>&1"
check "no frontend or libxl node left" \
    sh -c "! xenstore-ls /local/domain/$id/device/vbd >/dev/null 2>&1 &&
           ! xenstore-ls /local/domain/$id/device/vif >/dev/null 2>&1 &&
           ! xenstore-ls /libxl/$id/device/vbd >/dev/null 2>&1 &&
           ! xenstore-ls /libxl/$id/device/vif >/dev/null 2>&1"
check "loop device detached" sh -c "! losetup -a | grep -q dev-ours.img"
check "vif$id.0 gone" sh -c "! ip link show vif$id.0 >/dev/null 2>&1"

# Again, then the whole domain through libxl_domain_destroy.
$DEVTEST disk-add $id $S/dev-ours.img xvda w >/dev/null &&
    $DEVTEST nic-add $id >/dev/null
check "devices added again" \
    test "$(xenstore-read $be/vif/$id/0/hotplug-status)" = connected
check "libxl_domain_destroy" $DEVTEST domain-destroy $id
check "domain, nodes, loop device and vif gone" \
    sh -c "! xl-upstream domid dev-ours >/dev/null 2>&1 &&
           ! xenstore-ls $be/vbd/$id >/dev/null 2>&1 &&
           ! xenstore-ls $be/vif/$id >/dev/null 2>&1 &&
           ! xenstore-ls /libxl/$id >/dev/null 2>&1 &&
           ! losetup -a | grep -q dev-ours.img &&
           ! ip link show vif$id.0 >/dev/null 2>&1"

# ---- A guest that uses them ----
# The initramfs: dom0's static busybox and the front-end modules of the
# guest's kernel (Debian builds them as modules), from the package cache.
check "initramfs with busybox and the front-end modules" \
    mkinitrd $S/dev-initrd.gz
truncate -s 16M $S/dev-boot.img
printf devtest-data-0123 | dd of=$S/dev-boot.img conv=notrunc 2>/dev/null
con=/var/log/xen/console/guest-dev-boot.log
rm -f $con
boot_guest() {
    boot=$($DEVTEST guest-create dev-boot "$TESTHOST_GUEST_KERNEL" \
        $S/dev-initrd.gz $S/dev-boot.img 00:16:3e:00:00:02)
    test -n "$boot"
}
boot_guest
check "guest created by libxl_domain_create_new (domain $boot)" \
    test -n "$boot"
# The wait follows the stall rule (stall.sh); a retry creates it again.
stall_guest dev-boot $con 240 boot_guest grep -q "DEVTEST done" $con
check "the guest ran its checks ($STALL_ELAPSED s$(retried))" \
    grep -q "DEVTEST done" $con
grep -a DEVTEST $con 2>/dev/null | sed 's/^/# /'
check "the guest sees xvda (16 MiB) with dom0's data" \
    grep -q "DEVTEST disk xvda sectors=32768 data=devtest-data-012" $con
check "the guest's write reached the image" \
    test "$(dd if=$S/dev-boot.img bs=512 skip=8 count=1 2>/dev/null |
            head -c 14)" = guest-was-here
check "the guest sees eth0 with its MAC" \
    grep -q "DEVTEST nic eth0 mac=00:16:3e:00:00:02" $con
check "the guest pings dom0 (10.99.0.1) on xenbr0" \
    grep -q "DEVTEST ping ok" $con
check "vif$boot.0 is on xenbr0" \
    sh -c "ip -o link show vif$boot.0 | grep -q 'master xenbr0'"
check "libxl_domain_destroy" $DEVTEST domain-destroy "$boot"
check "domain, nodes, loop device and vif of the guest gone" \
    sh -c "! xl-upstream domid dev-boot >/dev/null 2>&1 &&
           ! xenstore-ls $be/vbd/$boot >/dev/null 2>&1 &&
           ! xenstore-ls $be/vif/$boot >/dev/null 2>&1 &&
           ! xenstore-ls /libxl/$boot >/dev/null 2>&1 &&
           ! xenstore-ls /local/domain/$boot >/dev/null 2>&1 &&
           ! losetup -a | grep -q dev-boot.img &&
           ! ip link show vif$boot.0 >/dev/null 2>&1"

# ---- The same guest, its disk served by QEMU (qdisk) ----
# The QEMUs of domain $1 (pid and command line, one per line).
qemus_of() {
    for p in /proc/[0-9]*; do
        c=$(tr '\0' ' ' 2>/dev/null < $p/cmdline)
        case "$c" in *"-xen-domid $1 "*) echo "${p#/proc/} $c";; esac
    done
}
# qemu_of_guest: the domain $qd of guest $name, its QEMU's pid and
# command line in $S/$name.qemu, normalised in $S/$name.args.
qemu_of_guest() {
    qd=$(xl-upstream domid $name 2>/dev/null)
    qemus_of "$qd" > $S/$name.qemu
    sed "s/^[0-9]* //; s/-xen-domid $qd /-xen-domid D /;
         s/-$qd,/-D,/g; s/-name $name /-name NAME /" \
        $S/$name.qemu > $S/$name.args
}
qdisk_again() { $xl create $S/$name.cfg >&2 && qemu_of_guest; }
for case in ours up ours-qcow2 ours-pvh up-pvh; do
    who=${case%%-*}
    type=pv
    [ $case = $who-pvh ] && type=pvh
    if [ $who = ours ]; then xl=$XL; else xl=xl-upstream; fi
    name=dev-q$case
    img=$S/$name.img
    truncate -s 16M $img
    tag=$(echo qdisk-data-$case | cut -c1-16)  # what the guest shows
    printf $tag | dd of=$img conv=notrunc 2>/dev/null
    spec="format=raw,vdev=xvda,access=rw,backendtype=qdisk,target=$img"
    if [ $case = $who-qcow2 ]; then
        $DEVTEST qcow2 $S/$name.qcow2 16 $img
        spec="format=qcow2,vdev=xvda,access=rw,target=$S/$name.qcow2"
    fi
    cat > $S/$name.cfg <<CFG
name="$name"
type="$type"
memory=256
kernel="$TESTHOST_GUEST_KERNEL"
ramdisk="$S/dev-initrd.gz"
cmdline="console=hvc0"
on_poweroff="preserve"
on_reboot="preserve"
on_crash="preserve"
disk=["$spec"]
CFG
    con=/var/log/xen/console/guest-$name.log
    rm -f $con
    check "qdisk guest created by $who xl ($case)" $xl create $S/$name.cfg
    qemu_of_guest
    check "$case: one QEMU with machine xenpv for domain $qd" \
        sh -c "test \$(wc -l < $S/$name.qemu) = 1 &&
               grep -q ' -machine xenpv ' $S/$name.qemu"
    check "$case: its pid is image/device-model-pid" \
        test "$(xenstore-read /local/domain/$qd/image/device-model-pid)" = \
             "$(cut -d' ' -f1 $S/$name.qemu)"
    # The stall rule's retry: the guest again, its QEMU seen afresh.
    stall_guest $name $con 240 qdisk_again grep -q "DEVTEST done" $con
    check "$case: the guest ran its checks ($STALL_ELAPSED s$(retried))" \
        grep -q "DEVTEST done" $con
    grep -a DEVTEST $con 2>/dev/null | sed 's/^/# /'
    check "$case: the guest sees xvda (16 MiB) through qdisk, dom0's data" \
        grep -q "DEVTEST disk xvda sectors=32768 data=$tag" $con
    if [ $case != $who-qcow2 ]; then
        check "$case: the guest's write reached the image" \
            test "$(dd if=$img bs=512 skip=8 count=1 2>/dev/null |
                    head -c 14)" = guest-was-here
        params=aio:$img
    else
        check "$case: the guest's write is in the qcow2, not its backing file" \
            sh -c "grep -q guest-was-here $S/$name.qcow2 &&
                   ! grep -q guest-was-here $img"
        params=qcow2:$S/$name.qcow2
    fi
    check "$case: the backend is QEMU's (backend/qdisk, no blkback vbd)" \
        sh -c "test \"\$(xenstore-read $be/qdisk/$qd/51712/params)\" = \
                    $params && ! xenstore-ls $be/vbd/$qd >/dev/null 2>&1"
    check "$case: destroy" $xl destroy $name
    check "$case: no QEMU, QMP socket, node or domain left" \
        sh -c "! xl-upstream domid $name >/dev/null 2>&1 &&
               ! ls /run/xen/qmp-libxl-$qd /run/xen/qmp-libxenstat-$qd \
                   >/dev/null 2>&1 &&
               ! xenstore-ls $be/qdisk/$qd >/dev/null 2>&1 &&
               ! xenstore-ls /local/domain/0/device-model/$qd \
                   >/dev/null 2>&1 &&
               ! xenstore-ls /local/domain/$qd >/dev/null 2>&1 &&
               ! xenstore-ls /libxl/$qd >/dev/null 2>&1"
    check "$case: QEMU (pid $(cut -d' ' -f1 $S/$name.qemu)) gone" \
        test -z "$(qemus_of "$qd")"
done
for t in "" -pvh; do
    if diff -u $S/dev-qup$t.args $S/dev-qours$t.args > $S/dev-diff; then
        ok "the QEMU command line is upstream's (${t#-}${t:+, }domid," \
           "name normalised)"
    else
        notok "the QEMU command line differs from upstream's${t:+ ($t)}"
        sed 's/^/# /' $S/dev-diff
    fi
done

cleanup
echo "1..$n"
[ $fails -eq 0 ]
