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
# once by our xl and once by xl-upstream: a QEMU with machine xenpv
# serves it (the same command line under both), the guest reads dom0's
# data and writes to the image; after destroy no QEMU process, QMP
# socket, xenstore node or domain is left.
DEVTEST_DIR=$(cd "$(dirname "$0")" && pwd)
DEVTEST=${1:-$DEVTEST_DIR/devtest}
XL=${XL:-$(cd "$DEVTEST_DIR/../../xl" && pwd)/xl}
. "$DEVTEST_DIR/lib.sh"
S=${TESTHOST_SCRATCH:-/scratch}

cleanup() {
    for d in dev-up dev-ours dev-boot dev-qours dev-qup; do
        xl-upstream destroy $d >/dev/null 2>&1
    done
    rm -rf $S/dev-up.img $S/dev-ours.img $S/dev-*.cfg $S/dev-*.dump \
        $S/dev-diff $S/dev-boot.img $S/dev-initrd.gz.d $S/dev-initrd.gz \
        $S/dev-q*.img $S/dev-q*.args \
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
boot=$($DEVTEST guest-create dev-boot "$TESTHOST_GUEST_KERNEL" \
    $S/dev-initrd.gz $S/dev-boot.img 00:16:3e:00:00:02)
check "guest created by libxl_domain_create_new (domain $boot)" \
    test -n "$boot"
i=0
while [ $i -lt 240 ] && ! grep -q "DEVTEST done" $con 2>/dev/null; do
    sleep 1; i=$((i + 1))
done
check "the guest ran its checks (${i} s)" grep -q "DEVTEST done" $con
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
for who in ours up; do
    if [ $who = ours ]; then xl=$XL; else xl=xl-upstream; fi
    name=dev-q$who
    img=$S/$name.img
    truncate -s 16M $img
    printf qdisk-data-$who | dd of=$img conv=notrunc 2>/dev/null
    cat > $S/$name.cfg <<CFG
name="$name"
type="pv"
memory=256
kernel="$TESTHOST_GUEST_KERNEL"
ramdisk="$S/dev-initrd.gz"
cmdline="console=hvc0"
on_poweroff="preserve"
disk=["format=raw,vdev=xvda,access=rw,backendtype=qdisk,target=$img"]
CFG
    con=/var/log/xen/console/guest-$name.log
    rm -f $con
    check "qdisk guest created by $who xl" $xl create $S/$name.cfg
    qd=$(xl-upstream domid $name 2>/dev/null)
    qemus_of "$qd" > $S/$name.qemu
    check "$who: one QEMU with machine xenpv for domain $qd" \
        sh -c "test \$(wc -l < $S/$name.qemu) = 1 &&
               grep -q ' -machine xenpv ' $S/$name.qemu"
    sed "s/^[0-9]* //; s/-xen-domid $qd /-xen-domid D /;
         s/-$qd,/-D,/g; s/-name $name /-name NAME /" \
        $S/$name.qemu > $S/$name.args
    check "$who: its pid is image/device-model-pid" \
        test "$(xenstore-read /local/domain/$qd/image/device-model-pid)" = \
             "$(cut -d' ' -f1 $S/$name.qemu)"
    i=0
    while [ $i -lt 240 ] && ! grep -q "DEVTEST done" $con 2>/dev/null; do
        sleep 1; i=$((i + 1))
    done
    check "$who: the guest ran its checks (${i} s)" grep -q "DEVTEST done" $con
    grep -a DEVTEST $con 2>/dev/null | sed 's/^/# /'
    check "$who: the guest sees xvda (16 MiB) through qdisk with dom0's data" \
        grep -q "DEVTEST disk xvda sectors=32768 data=qdisk-data-$who" $con
    check "$who: the guest's write reached the image" \
        test "$(dd if=$img bs=512 skip=8 count=1 2>/dev/null |
                head -c 14)" = guest-was-here
    check "$who: the backend is QEMU's (backend/qdisk, no blkback vbd)" \
        sh -c "test \"\$(xenstore-read $be/qdisk/$qd/51712/params)\" = \
                    aio:$img && ! xenstore-ls $be/vbd/$qd >/dev/null 2>&1"
    check "$who: destroy" $xl destroy $name
    check "$who: no QEMU, QMP socket, node or domain left" \
        sh -c "! xl-upstream domid $name >/dev/null 2>&1 &&
               ! ls /run/xen/qmp-libxl-$qd /run/xen/qmp-libxenstat-$qd \
                   >/dev/null 2>&1 &&
               ! xenstore-ls $be/qdisk/$qd >/dev/null 2>&1 &&
               ! xenstore-ls /local/domain/0/device-model/$qd \
                   >/dev/null 2>&1 &&
               ! xenstore-ls /local/domain/$qd >/dev/null 2>&1 &&
               ! xenstore-ls /libxl/$qd >/dev/null 2>&1"
    check "$who: QEMU (pid $(cut -d' ' -f1 $S/$name.qemu)) gone" \
        test -z "$(qemus_of "$qd")"
done
if diff -u $S/dev-qup.args $S/dev-qours.args > $S/dev-diff; then
    ok "the QEMU command line is upstream's (domid, name normalised)"
else
    notok "the QEMU command line differs from upstream's"
    sed 's/^/# /' $S/dev-diff
fi

cleanup
echo "1..$n"
[ $fails -eq 0 ]
