#!/bin/bash
# Runs in dom0 of the test host (tools/testhost): softreset-client, a
# monitor written against upstream's public libxl headers only, drives
# the soft-resetting PVH probe through our libxl: config given to create
# or retrieved, ao_how NULL / callback / event, waits through
# libxl_event_wait / beforepoll+afterpoll / osevent hooks.  TAP on
# stdout.
#
# SOFTRESET_CLIENT_HVM=1 adds one run of the HVM Linux kexec guest
# (tools/testhost/guests, 3 kexecs; minutes under emulation: its first
# kernel alone takes ~8 minutes to reach init; SOFTRESET_CLIENT_HVM_TIMEOUT
# bounds the run, default 1800 s).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
CLIENT="$HERE/softreset-client"
PROBE="$ROOT/tools/tests/guests/pvh-probe.elf"
GUESTS=${GUESTS:-$ROOT/tools/tests/out/guests}
OUT=$(mktemp -d /tmp/softreset-client.XXXXXX)
RESETS=5

n=0 fails=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
check() {
    local what=$1
    shift
    if "$@"; then ok "$what"; else not_ok "$what"; fi
}
note() { sed 's/^/# /' "$@"; }

# What of domid $1 (uuid $2) is left; nothing is success.
leftovers() {
    local d=$1 u=$2 left="" b
    xl-upstream list "$d" >/dev/null 2>&1 && left="$left domain"
    xenstore-exists "/local/domain/$d" 2>/dev/null &&
        left="$left /local/domain/$d"
    xenstore-exists "/libxl/$d" 2>/dev/null && left="$left /libxl/$d"
    [ -n "$u" ] && xenstore-exists "/vm/$u" 2>/dev/null && left="$left /vm/$u"
    xenstore-exists "/local/domain/0/device-model/$d" 2>/dev/null &&
        left="$left /local/domain/0/device-model/$d"
    for b in $(xenstore-list /local/domain/0/backend 2>/dev/null); do
        xenstore-exists "/local/domain/0/backend/$b/$d" 2>/dev/null &&
            left="$left /local/domain/0/backend/$b/$d"
    done
    ls /var/lib/xen/userdata-?."$d".* >/dev/null 2>&1 && left="$left userdata"
    ls /var/lib/xen/qemu-save."$d" /var/lib/xen/qemu-resume."$d" \
        /var/run/xen/qmp-libxl-"$d" >/dev/null 2>&1 && left="$left dm-files"
    ps -o args 2>/dev/null | grep -a -- "-xen-domid $d " | grep -qv grep &&
        left="$left qemu"
    [ -z "$left" ] || echo "# left:$left"
    [ -z "$left" ]
}

# The client's domid and uuid, from its "created" line in $1.
created() {
    sed -n "s/^created domid \([0-9]*\) uuid \([^ ]*\) .*/\\$2/p" "$1"
}

# Removes what a failed run left (the client destroys on every path it
# can, but not after a timeout).
cleanup() {
    local d=$1
    [ -n "$d" ] && xl-upstream list "$d" >/dev/null 2>&1 &&
        xl-upstream destroy "$d" >/dev/null 2>&1
}

# The lines "(dD) PROBE gen=G ok" for G = 0..$2 and "PROBE done resets=$2"
# on Xen's console.
probe_lines() {
    local d=$1 r=$2 g missing=""
    xl-upstream dmesg >"$OUT/dmesg" 2>&1
    for g in $(seq 0 "$r"); do
        grep -aq "(d$d) PROBE gen=$g ok" "$OUT/dmesg" ||
            missing="$missing gen=$g"
    done
    grep -aq "(d$d) PROBE done resets=$r" "$OUT/dmesg" ||
        missing="$missing done"
    grep -a "(d$d) PROBE.*\(FAIL\|BAD\)" "$OUT/dmesg" | note
    [ -z "$missing" ] || echo "# missing on Xen's console:$missing"
    [ -z "$missing" ] && ! grep -aq "(d$d) PROBE.*\(FAIL\|BAD\)" "$OUT/dmesg"
}

# run_probe SOURCE AO LOOP: one full run with 5 resets.
run_probe() {
    local src=$1 ao=$2 loop=$3 what="$1 config, ao $2, loop $3" log d u rc
    log="$OUT/$src-$ao-$loop"
    t0=$(date +%s)
    "$CLIENT" --probe "$PROBE" --count $RESETS --name "src-$src-$ao" \
        --config-source "$src" --ao "$ao" --loop "$loop" --timeout 90 \
        >"$log.out" 2>"$log.err"
    rc=$?
    note "$log.out"
    [ $rc = 0 ] || note "$log.err"
    check "$what: exit 0 ($(( $(date +%s) - t0 )) s)" [ $rc = 0 ]
    d=$(created "$log.out" 1) u=$(created "$log.out" 2)
    check "$what: $RESETS resets" \
        [ "$(grep -c '^reset [0-9]* domid ' "$log.out")" = $RESETS ]
    check "$what: one domid ($d) for the creation and every reset" \
        [ -n "$d" -a "$(sed -n 's/^reset [0-9]* domid \([0-9]*\) .*/\1/p' \
            "$log.out" | sort -u | tr -d '\n')" = "$d" ]
    check "$what: gen=0..$RESETS ok, done resets=$RESETS on Xen's console" \
        probe_lines "$d" $RESETS
    cleanup "$d"
    check "$what: nothing of domain $d left" leftovers "$d" "$u"
}

echo "TAP version 13"

# our libxenlight and libxlutil, not Debian's (no ldd in dom0)
LD_TRACE_LOADED_OBJECTS=1 "$CLIENT" >"$OUT/ldd" 2>&1
grep -E "libxenlight|libxlutil" "$OUT/ldd" | note
check "the client is linked to the tree's libxenlight" \
    grep -q "libxenlight.so.* => $HERE/../../libxl/" "$OUT/ldd"
check "the client is linked to the tree's libxlutil" \
    grep -q "libxlutil.so.* => $HERE/../../libxlu/" "$OUT/ldd"

run_probe given sync wait
run_probe retrieved sync wait
run_probe given callback hooks
run_probe retrieved event poll
run_probe given event wait

# --- refusals: a running domain (the probe with count=0 runs 6 s, then
# powers off without asking for a reset) and a domid with no domain ---
what="soft reset of a running domain"
log="$OUT/refuse"
"$CLIENT" --probe "$PROBE" --cmdline "count=0 delay=6000" --resets 0 \
    --name src-refuse --refuse-running --timeout 60 >"$log.out" 2>"$log.err"
rc=$?
note "$log.out"
[ $rc = 0 ] || note "$log.err"
d=$(created "$log.out" 1) u=$(created "$log.out" 2)
refused() {
    [ "$rc" = 0 ] && grep -qx "refused running domid $d rc -6" "$log.out" &&
        grep -qx "poweroff domid $d resets 0" "$log.out"
}
check "$what: ERROR_INVAL (-6), still running, then powered off as planned" \
    refused
check "$what: the probe's gen=0 ok and done resets=0 on Xen's console" \
    probe_lines "$d" 0
r=$(sed -n 's/^refused missing domid [0-9]* rc \(.*\)/\1/p' "$log.out")
check "soft reset of a domid with no domain: an error (rc ${r:-none})" \
    [ -n "$r" -a "$r" != 0 ]
cleanup "$d"
check "$what: nothing of domain $d left" leftovers "$d" "$u"

# --- the HVM Linux kexec guest (QEMU device model), on request ---
if [ "${SOFTRESET_CLIENT_HVM:-0}" = 1 ]; then
    what="HVM kexec guest"
    log="$OUT/hvm"
    serial=/var/log/xen/console/src-hvm-serial.log
    # a copy on dom0's own disk, as the host scenarios use it
    img=${TESTHOST_SCRATCH:-/tmp}/src-kernel-disk.img
    cp "$GUESTS/kernel-disk.img" "$img"
    rm -f "$serial"
    t0=$(date +%s)
    "$CLIENT" --resets 3 --timeout "${SOFTRESET_CLIENT_HVM_TIMEOUT:-1800}" \
        --config-source retrieved \
        --ao callback --loop hooks "$GUESTS/hvm-kexec.cfg" 'name="src-hvm"' \
        "disk=[\"format=raw,vdev=xvda,backendtype=qdisk,target=$img\"]" \
        "serial=\"file:$serial\"" \
        'cmdline="console=ttyS0 quiet gen=0 kexecs=3 mode=kexec"' \
        >"$log.out" 2>"$log.err"
    rc=$?
    note "$log.out"
    [ $rc = 0 ] || note "$log.err"
    check "$what: exit 0 ($(( $(date +%s) - t0 )) s)" [ $rc = 0 ]
    d=$(created "$log.out" 1) u=$(created "$log.out" 2)
    check "$what: 3 resets on one domid ($d)" \
        [ "$(grep -c "^reset [0-9]* domid $d " "$log.out")" = 3 ]
    gens=$(grep -a -o 'GEN [0-9]* domid=[0-9]*' "$serial" 2>/dev/null |
        cut -d' ' -f2 | tr '\n' ' ')
    check "$what: generations 0..3 on the serial console (${gens:-none})" \
        [ "$gens" = "0 1 2 3 " ]
    check "$what: DONE 3 on the serial console" grep -aq "DONE 3" "$serial"
    if [ -n "$d" ]; then
        cleanup "$d"
        check "$what: nothing of domain $d left" leftovers "$d" "$u"
    else
        # never created: nothing of it may be there under its name
        check "$what: no domain src-hvm left" \
            sh -c '! xl-upstream domid src-hvm >/dev/null 2>&1'
    fi
    rm -f "$img"
fi

echo "1..$n"
rm -rf "$OUT"
[ $fails = 0 ]
