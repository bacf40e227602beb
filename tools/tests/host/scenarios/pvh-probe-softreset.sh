#!/bin/sh
# Our PVH probe guest (tools/tests/guests) through N soft resets (100 by
# default, PROBE_RESETS) by the toolstack under test (XL,
# on_soft_reset="soft-reset"): every reset reaches xl as reason 5 and is
# soft-reset, the guest lives N second lives in the same domain (same
# domid, memory kept: canary intact), reconnects to the rebuilt xenstore
# each time, finds its xenstore, console and event channels already
# there at its first instruction (the sequence kept it paused until
# then), powers off after N; xl logs each reset with its duration.
# Upstream's xl refuses PVH soft reset (pvh-probe-upstream asserts that):
# with XL_KIND=upstream everything here is skipped.  pvh-probe-manual
# shows the guest side works without any toolstack.
. "$(dirname "$0")/../lib.sh"

PROBE_DIR=$XEN_ROOT/tools/tests/guests
N=${PROBE_RESETS:-100}
NAME=th-probe-sr
t_result() { # t_result PASSED DESC [DIAG...]
    passed=$1
    desc=$2
    shift 2
    if [ "$passed" = 1 ]; then ok "$desc"; else not_ok "$desc" "$@"; fi
}
t_check() { check "$@"; }
t_is() { is "$@"; }

if [ "${XL_KIND:-upstream}" = upstream ]; then
    skip "PVH soft-reset loop with $XL" \
        "upstream xl refuses PVH soft reset (see pvh-probe-upstream)"
    done_testing
    exit 0
fi
if [ ! -f "$PROBE_DIR/pvh-probe.elf" ]; then
    not_ok "pvh-probe.elf is built" "make -C $PROBE_DIR (dom0 cannot build)"
    done_testing
    exit 1
fi
note "toolstack: $XL ($XL_KIND), $N soft resets"

guest_start "$NAME" "$PROBE_DIR/pvh-probe.cfg" \
    "kernel=\"$PROBE_DIR/pvh-probe.elf\"" "cmdline=\"count=$N\"" \
    'on_soft_reset="soft-reset"'
D=
UUID=
domids=
start=$(cut -d. -f1 /proc/uptime)
timed_out=0
while xl_running; do
    elapsed=$(($(cut -d. -f1 /proc/uptime) - start))
    if [ "$elapsed" -ge "$SCENARIO_TIMEOUT" ]; then
        timed_out=1
        break
    fi
    d=$(domid_of "$NAME")
    if [ -n "$d" ]; then
        [ -n "$D" ] || D=$d
        case " $domids " in *" $d "*) ;; *) domids="$domids $d" ;; esac
        if [ -z "$UUID" ]; then
            vm=$(xenstore-read "/local/domain/$d/vm" 2>/dev/null)
            UUID=${vm#/vm/}
        fi
    fi
    sleep 1
done
if [ "$timed_out" = 1 ]; then
    guest_wait_end 1
    t_result 0 "xl ended within $SCENARIO_TIMEOUT s"
else
    t_result 1 "xl ended within $SCENARIO_TIMEOUT s"
fi
# Domains xl reported on (a short life can escape the polling above).
for d in $(grep -a -o 'Domain [0-9]* has shut down' "$OUT/xl.tlog" |
    cut -d' ' -f2); do
    [ -n "$D" ] || D=$d
    case " $domids " in *" $d "*) ;; *) domids="$domids $d" ;; esac
done
guest_stop_followers
note "domain(s):${domids:- none seen}, uuid ${UUID:-unknown}"

e9() { e9_lines "$D" | grep -aq -- "$1"; }
count() { e9_lines "$D" | grep -ac -- "$1"; }

# The test host's emulation fault (docs/design/triple-fault.md): only
# with its signature in Xen's dump (triple-fault-class: right after a
# hypercall or a port 0xE9 write, under the probe's own paging), once at
# most; the generations from the one it hit on are skipped with Xen's
# line, those before it are asserted as usual.  Any other fault fails.
lost= fgen=$((N + 1))
triple=$(grep -a -c "d${D:-x}v[0-9]* Triple fault" "$OUT/xen.tlog" 2>/dev/null)
if [ "${triple:-0}" -gt 0 ]; then
    classes=$(sh "$PROBE_DIR/triple-fault-class" \
                 "$XEN_ROOT/tools/tests/out/pvh-probe/pvh-probe.syms" "$D" \
                 < "$OUT/xen.tlog" 2>&1)
    note "guest triple-faulted: $classes"
    figure triple_faults "$triple"
    if echo "$classes" | grep -qvE ' kind=(hypercall-return|io-return|xen-state)' ||
        [ "$triple" -gt 1 ]; then
        not_ok "no triple fault but one of the emulation's" \
            "$(grep -aA12 "d${D}v[0-9]* Triple fault" "$OUT/xen.tlog")"
    fi
    # the generation running when it struck
    fgen=$(awk -v d="(d$D)" '
        index($0, d " PROBE resume gen=") { g = $0; sub(/.*gen=/, "", g); sub(/ .*/, "", g) }
        / Triple fault/ && index($0, "d'"$D"'v") { print g + 0; exit }' \
        "$OUT/xen.tlog")
    lost="guest triple-faulted in generation $fgen: $classes"
fi
gen_check() { # gen_check G DESC PATTERN: skipped from the faulted gen on
    if [ "$1" -ge "$fgen" ] && ! e9 "$3"; then skip "$2" "$lost"
    else t_check "$2" e9 "$3"; fi
}
whole() { # whole DESC GOT WANT: skipped when a fault cut the loop short
    if [ -n "$lost" ] && [ "$2" != "$3" ]; then skip "$1" "$lost"
    else t_is "$1" "$2" "$3"; fi
}

t_check "probe booted (gen 0)" e9 "PROBE boot gen=0 count=$N mode=normal"
whole "xl saw shutdown reason 5 $N times" \
    "$(grep -ac "has shut down, reason code 5 " "$OUT/xl.tlog")" "$N"
t_is "one domid for the whole life" "$(echo $domids)" "${D:-(a domain)}"
t_is "one boot only (memory kept: no fresh start)" \
    "$(count "PROBE boot gen=")" 1
g=1
while [ "$g" -le "$N" ]; do
    gen_check $g "gen $g: second life began" "PROBE resume gen=$g "
    gen_check $g "gen $g: xenstored and xenconsoled had its new event channels before its first instruction" \
        "PROBE rebuilt gen=$g store_evtchn=interdomain/d0 console_evtchn=interdomain/d0 ok"
    gen_check $g "gen $g: reconnected to xenstore, count written and read back" \
        "PROBE xenstore data/softreset-count = $g"
    gen_check $g "gen $g: ok" "PROBE gen=$g ok"
    g=$((g + 1))
done
whole "canary intact after every reset" "$(count "PROBE canary ok")" "$N"
t_is "no failure reported by the probe" \
    "$(e9_lines "$D" | grep -a -E "FAIL|BAD|exception|changed|timed out")" ""
whole "the guest saw domid $D in xenstore at every generation" \
    "$(count "PROBE xenstore domid=$D\$")" $((N + 1))
if [ -n "$lost" ] && ! e9 "PROBE done resets=$N"; then
    skip "powered off after $N resets" "$lost"
else
    t_check "powered off after $N resets" e9 "PROBE done resets=$N"
fi
t_is "xl create -F exited 0" "$(cat "$OUT/xl.status" 2>/dev/null)" 0
# Time from the guest's request to its next life (Xen's console is read
# once a second: a coarse figure; the toolstack logs its own phases).
e9_lines "$D" | awk '
    / PROBE soft reset request gen=/ { t = $1 }
    / PROBE resume gen=/ && t { printf "%.3f\n", $1 - t; t = 0 }' |
    while read -r s; do figure pvh_probe_reset_e9 "$s"; done
# The toolstack's view, as kexec-loop measures it: xl's "reason code 5"
# line to its next "Waiting for domain" line (the domain unpaused).
awk '/has shut down, reason code 5 / { s = $1 }
     /Waiting for domain .* to die/ {
         if (!c) c = 1
         else if (s != "") { printf "xl_reset %.3f\n", $1 - s; s = "" } }' \
    "$OUT/xl.tlog" >> "$OUT/figures"

# Whatever happened, nothing may be left behind (not a TODO).
$XL_OBS destroy "$NAME" >/dev/null 2>&1
if [ -n "$D" ]; then
    no_leftovers "$D" "$UUID" "$NAME"
else
    note "no domain was seen: nothing to look for"
fi
[ "$tap_failed" -eq 0 ] || keep_logs
done_testing
