#!/bin/sh
# Our PVH probe guest (tools/tests/guests) through N soft resets done by
# hand, without any xl: upstream's xl only creates it (on_soft_reset and
# on_poweroff "preserve"), and probe-softreset performs the bare Xen-level
# reset each time the guest asks (release, pause, XEN_DOMCTL_soft_reset,
# new event channels, re-introduce, unpause).  This checks the probe
# itself on real Xen (second lives, canary, xenstore reconnection), so
# that pvh-probe-softreset can blame the toolstack, not the guest; and
# gives the floor of a PVH soft reset's cost.  Independent of XL.
. "$(dirname "$0")/../lib.sh"

XL=${UPSTREAM_XL:-/usr/sbin/xl-upstream}
PROBE_DIR=$XEN_ROOT/tools/tests/guests
TOOL=$XEN_ROOT/tools/tests/out/pvh-probe/probe-softreset
N=${MANUAL_RESETS:-3}
NAME=th-probe-manual
note "creation: $XL; soft resets: $TOOL (no toolstack)"

for f in "$PROBE_DIR/pvh-probe.elf" "$TOOL"; do
    if [ ! -f "$f" ]; then
        not_ok "$f is built" "make -C $PROBE_DIR (dom0 cannot build)"
        done_testing
        exit 1
    fi
done

guest_start "$NAME" "$PROBE_DIR/pvh-probe.cfg" \
    "kernel=\"$PROBE_DIR/pvh-probe.elf\"" "cmdline=\"count=$N\"" \
    'on_soft_reset="preserve"' 'on_poweroff="preserve"'
D=
UUID=
resets=0
tool_fail=
start=$(cut -d. -f1 /proc/uptime)
timed_out=0
while :; do
    elapsed=$(($(cut -d. -f1 /proc/uptime) - start))
    if [ "$elapsed" -ge "$SCENARIO_TIMEOUT" ]; then
        timed_out=1
        break
    fi
    d=$(domid_of "$NAME")
    if [ -n "$d" ] && [ -z "$UUID" ]; then
        D=$d
        vm=$(xenstore-read "/local/domain/$d/vm" 2>/dev/null)
        UUID=${vm#/vm/}
    fi
    if [ -z "$d" ]; then
        [ -z "$D" ] || break # gone (crashed and destroyed?)
        sleep 1
        continue
    fi
    state=$($XL_OBS list "$d" 2>/dev/null | awk 'NR == 2 { print $5 }')
    case $state in
    *s*)
        t0=$(now)
        $TOOL "$d" > "$OUT/tool.out" 2>&1
        rc=$?
        t1=$(now)
        case $rc in
        0) resets=$((resets + 1))
           secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
           note "reset $resets: $(cat "$OUT/tool.out") in $secs s"
           figure pvh_probe_manual_reset "$secs" ;;
        3) # shut down for another reason: the guest is done (or dead)
           break ;;
        *) tool_fail="$tool_fail $(cat "$OUT/tool.out")"
           break ;;
        esac ;;
    esac
    sleep 1
done
sleep 2
guest_stop_followers
if [ "$timed_out" = 1 ]; then
    not_ok "guest ended within $SCENARIO_TIMEOUT s" \
        "last lines: $(e9_lines "$D" | tail -n 3 | tr '\n' '|')"
else
    ok "guest ended within $SCENARIO_TIMEOUT s"
fi
# A triple fault after a reset (docs/design/triple-fault.md: seen under
# the emulated nested SVM, with and without a toolstack) ends the guest
# with reason 1: what the lost generations would have shown is skipped,
# never passed (what was seen before the fault still counts), and so is
# the rest (boot, no failure reported, nothing left).
# Only the emulation's signature is taken for it (Xen's register dump:
# the return of a hypercall in the probe's hypercall page, under its own
# long mode; tools/tests/guests/triple-fault-class): any other triple
# fault is also a failure, with the dump.
triple=$(grep -a -c "d${D:-x}v[0-9]* Triple fault" "$OUT/xen.tlog" 2>/dev/null)
if [ "${triple:-0}" -gt 0 ]; then
    note "guest triple-faulted after soft reset $resets:"
    grep -a "d${D}v[0-9]* Triple fault" "$OUT/xen.tlog" | sed 's/^/#   /'
    classes=$(sh "$PROBE_DIR/triple-fault-class" \
                 "$XEN_ROOT/tools/tests/out/pvh-probe/pvh-probe.syms" "$D" \
                 < "$OUT/xen.tlog" 2>&1)
    echo "$classes" | sed 's/^/#   /'
    if echo "$classes" | grep -qvE ' kind=(hypercall-return|io-return|xen-state)'; then
        not_ok "no triple fault but the emulation's (right after a hypercall or a port 0xE9 write)"
        grep -aA12 "d${D}v[0-9]* Triple fault" "$OUT/xen.tlog" |
            sed 's/^/#   /'
    fi
    figure triple_faults "$triple"
    lost="guest triple-faulted after soft reset"
    yes_or_skip() { # DESC CMD...: ok if seen before the fault, else skip
        desc=$1
        shift
        if "$@" >/dev/null 2>&1; then ok "$desc"; else skip "$desc" "$lost"; fi
    }
else
    lost=
    yes_or_skip() { check "$@"; }
fi
if [ -n "$lost" ]; then
    skip "probe-softreset did $N resets without error (did $resets)" "$lost"
else
    is "probe-softreset did $N resets without error" "$resets${tool_fail}" \
        "$N"
fi

e9() { e9_lines "$D" | grep -aq -- "$1"; }
count() { e9_lines "$D" | grep -ac -- "$1"; }
check "probe booted (gen 0)" e9 "PROBE boot gen=0 count=$N mode=normal"
is "one boot only (memory kept: no fresh start)" \
    "$(count "PROBE boot gen=")" 1
g=1
while [ "$g" -le "$N" ]; do
    yes_or_skip "gen $g: second life began (same domid $D)" \
        e9 "PROBE resume gen=$g "
    yes_or_skip "gen $g: reconnected to xenstore, count written and read back" \
        e9 "PROBE xenstore data/softreset-count = $g"
    yes_or_skip "gen $g: ok" e9 "PROBE gen=$g ok"
    g=$((g + 1))
done
if [ -n "$lost" ]; then
    skip "canary intact after every reset" "$lost"
else
    is "canary intact after every reset" "$(count "PROBE canary ok")" "$N"
fi
bad=$(e9_lines "$D" | grep -a -E "FAIL|BAD|exception|changed|timed out")
is "no failure reported by the probe" "$bad" ""
if [ -n "$lost" ]; then
    skip "domid $D seen by the guest in xenstore at every generation" "$lost"
else
    is "domid $D seen by the guest in xenstore at every generation" \
        "$(count "PROBE xenstore domid=$D\$")" $((N + 1))
fi
yes_or_skip "powered off after $N resets" e9 "PROBE done resets=$N"
via=$(e9_lines "$D" | grep -a -o "via=[a-z-]*" | sort | uniq -c |
    tr -s ' ' | tr '\n' ',')
note "how each second life started: $via"

$XL_OBS destroy "$NAME" >/dev/null 2>&1
sleep 1
no_leftovers "$D" "$UUID" "$NAME"
[ "$tap_failed" -eq 0 ] || keep_logs
done_testing
