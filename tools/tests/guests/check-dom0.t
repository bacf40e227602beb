#!/bin/sh
# TAP: pvh-probe under the real Xen hypervisor, without a toolstack: Xen
# boots it as a PVH dom0 (its own libelf loads the ELF, its own PVH entry
# starts it).  Shows that the notes, the entry path, long mode, the
# hypercall page, HVMOP_get_param and port 0xE9 work on Xen itself.  A
# dom0 has no xenstore ring, and its soft reset makes Xen reboot the
# machine, which ends QEMU (-no-reboot).  PVH dom0 needs an IOMMU: QEMU's
# emulated AMD IOMMU on q35 does.
#
# The hypervisor: $XEN_HYPERVISOR (xen-4.17-amd64[.gz]), else the one the
# test host fetched into its cache (`make check` fetches it first: see
# the Makefile).  Without one, everything is skipped.

here=$(cd "$(dirname "$0")" && pwd)
elf=${1:-$here/pvh-probe.elf}
qemu=${QEMU:-qemu-system-x86_64}
cache=${XEN_TOOLSTACK_CACHE:-${HOME:-/root}/.cache/xen-toolstack}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

plan=9
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
check() {
    d=$1; shift
    if "$@"; then ok "$d"; else notok "$d"; fi
}

echo "1..$plan"
[ -f "$elf" ] || { echo "Bail out! $elf not built"; exit 1; }

xen=${XEN_HYPERVISOR:-}
if [ -z "$xen" ]; then
    for f in "$cache"/extract/xen-hypervisor-4.*/boot/xen-4.*-amd64.gz; do
        [ -f "$f" ] && xen=$f
    done
fi
if [ -z "$xen" ] || ! command -v "$qemu" >/dev/null 2>&1; then
    while [ "$n" -lt "$plan" ]; do
        n=$((n + 1)); echo "ok $n # SKIP no Xen hypervisor binary or no QEMU"
    done
    exit 0
fi
case $xen in
*.gz) gzip -dc "$xen" >"$tmp/xen" ;;
*) cp "$xen" "$tmp/xen" ;;
esac
cp "$elf" "$tmp/probe.elf"
echo "# hypervisor: $xen"

# xen_boot NAME PROBE-CMDLINE [STOP-REGEX]: serial log in $tmp/NAME.log,
# QEMU's exit status (or "stopped" once STOP-REGEX showed up: a halted
# Xen does not end QEMU, or "timeout") in $tmp/NAME.rc.
xen_boot() {
    (cd "$tmp" && exec "$qemu" -accel tcg -M q35 \
        -cpu qemu64,+svm,+npt -m 512 -smp 1 -display none -no-reboot \
        -serial "file:$1.log" -monitor none -device amd-iommu \
        -kernel xen -append "com1=115200,8n1 console=com1 dom0=pvh \
dom0_mem=64M loglvl=all guest_loglvl=all iommu=1" \
        -initrd "probe.elf $2" >"$1.qemu" 2>&1) &
    pid=$!
    ticks=0
    while kill -0 "$pid" 2>/dev/null; do
        if [ -n "${3:-}" ] && grep -q "$3" "$tmp/$1.log" 2>/dev/null; then
            kill "$pid"; wait "$pid"; echo stopped >"$tmp/$1.rc"; return
        fi
        ticks=$((ticks + 1))
        if [ "$ticks" -ge 600 ]; then
            kill "$pid"; wait "$pid"; echo timeout >"$tmp/$1.rc"; return
        fi
        sleep 0.5
    done
    wait "$pid"
    echo $? >"$tmp/$1.rc"
}
# Xen's serial output ends lines with CR LF.
xen_run() {
    xen_boot "$@"
    tr -d '\r' <"$tmp/$1.log" >"$tmp/$1.txt" && mv "$tmp/$1.txt" "$tmp/$1.log"
}
has() { grep -q "$2" "$tmp/$1.log"; }

t0=$(date +%s)
xen_run a "count=2"
echo "# boot and soft reset: $(($(date +%s) - t0)) s"
check "Xen loaded the ELF and started it at the PVH entry" \
    has a '^(d0) PROBE boot gen=0 count=2 mode=normal at=0 '
check "probe found Xen through CPUID" \
    has a '^(d0) PROBE xen 4\.[0-9]* cpuid=40000[0-9a-f]00 .*domid=0 '
check "hypercall page filled and HVMOP_get_param answered" \
    has a '^(d0) PROBE params gen=0 store_pfn=0 store_evtchn=0 '
check "dom0 has no xenstore ring and says so" \
    has a '^(d0) PROBE xenstore: no ring'
check "SCHEDOP_shutdown(soft_reset) reached Xen" sh -c "
    grep -q '^(d0) PROBE soft reset request gen=0' '$tmp/a.log' &&
    grep -q 'Hardware domain 0 did unsupported soft reset' '$tmp/a.log'"
check "no second life: Xen reset the machine (QEMU status 0)" sh -c "
    [ \"\$(cat '$tmp/a.rc')\" = 0 ] &&
    ! grep -q 'PROBE resume' '$tmp/a.log'"

xen_run b "count=0" 'Hardware Dom0 halted'
check "count=0: SCHEDOP_shutdown(poweroff) right after gen 0" sh -c "
    grep -q '^(d0) PROBE done resets=0' '$tmp/b.log' &&
    grep -q 'Hardware Dom0 halted' '$tmp/b.log' &&
    ! grep -q 'PROBE soft reset' '$tmp/b.log'"

xen_run c "mode=crash" "Triple fault"
check "mode=crash: Xen sees a triple fault" \
    has c 'd0v0 Triple fault'
check "mode=crash: nothing printed after the crash line" sh -c "
    [ \"\$(grep '^(d0) PROBE' '$tmp/c.log' | tail -n 1)\" = \
      '(d0) PROBE crash gen=0: triple fault' ]"

for f in a b c; do
    [ "$fails" -eq 0 ] || sed "s/^/# $f: /" "$tmp/$f.log" | tail -n 20
done
exit $((fails > 0))
