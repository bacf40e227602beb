#!/bin/bash
# Hostile and broken guests against our soft reset: the PVH probe's
# misbehave modes (tools/tests/guests/README.md), run through our xl with
# on_soft_reset="soft-reset".  None of them may wedge or crash the
# monitor, hold up another domain's monitor, or leave anything behind:
#
#   flood       floods its xenstore home up to xenstored's quota after
#               the first reset, then asks for more: the next reset
#               takes the flood with the domain's old nodes, and the
#               quota no longer blocks the guest's writes
#   scribble    writes where a guest has no business (all refused), then
#               breaks its xenstore ring's producer index and asks for a
#               reset: the new connection works
#   noreconnect never talks to xenstore again after a reset: the resets
#               go on without waiting for it
#   crash       takes an exception right after its first reset (reason
#               3): on_crash="destroy" applies, nothing is left
#   ap          two vCPUs, vCPU 1 running while vCPU 0 asks: vCPU 1 runs
#               on through every reset
#   bystander   a well-behaved probe soft-resetting beside the others
#   storm       30 resets asked for back to back, no limit set: all done,
#               the monitor's fd count and RSS flat after its warm-up, and
#               xl soft-reset-list shows them
#
# The first six run at once; the storm alone after them.  Each domain
# ends shut down (on_poweroff and on_reboot "preserve") for the checks,
# then `xl destroy` must leave nothing.  A case one of whose domains
# triple-faulted where the test host's emulation does (the classes of
# tools/tests/guests/triple-fault-class: hypercall-return, io-return,
# xen-state) and that failed a check is run once more, alone, with
# Xen's lines noted and counted as a guest fault (host-suite's summary);
# its failures before the fault are never hidden by the retry: a second
# fault fails.
. "$(dirname "$0")/../lib.sh"
STALL_SUITE=host-xl
. "$XEN_ROOT/tools/tests/host-suite-lib/stall.sh"
FAULT_CLASS=$GUESTS_SRC/triple-fault-class
PROBE_SYMS=${PROBE_SYMS:-$XEN_ROOT/tools/tests/out/pvh-probe/pvh-probe.syms}

N=hxl-h$$
case $(basename "$XL") in
xl-upstream)
    skip "hostile guests' soft resets" "upstream's xl destroys the PVH probe"
    done_testing
    exit ;;
esac

STORM=30
# case_cfg CASE NAME: the case's config file.
case_cfg() {
    local keep=('on_soft_reset = "soft-reset"' 'on_poweroff = "preserve"'
                'on_reboot = "preserve"')
    case $1 in
    flood) probe_cfg "$2" 'cmdline = "count=3 mode=flood at=1"' \
        "${keep[@]}" 'on_crash = "preserve"' ;;
    scribble) probe_cfg "$2" 'cmdline = "count=2 mode=scribble at=0"' \
        "${keep[@]}" 'on_crash = "preserve"' ;;
    noreconnect) probe_cfg "$2" 'cmdline = "count=2 mode=noreconnect"' \
        "${keep[@]}" 'on_crash = "preserve"' ;;
    crash) probe_cfg "$2" 'cmdline = "count=3 mode=fault at=1"' \
        "${keep[@]}" 'on_crash = "destroy"' ;;
    ap) probe_cfg "$2" 'cmdline = "count=3 ap=1"' "${keep[@]}" \
        'on_crash = "preserve"' 'vcpus = 2' ;;
    bystander) probe_cfg "$2" 'cmdline = "count=5"' "${keep[@]}" \
        'on_crash = "preserve"' ;;
    storm) probe_cfg "$2" "cmdline = \"count=$STORM\"" "${keep[@]}" \
        'on_crash = "preserve"' ;;
    esac
}

monitor_pid() { log_of "$1" | sed -nE '1s/.*\[pid ([0-9]+)\]$/\1/p'; }
first_domid() {
    log_of "$1" | sed -nE 's/^Waiting for domain .*\(domid ([0-9]+)\).*/\1/p' |
        head -n 1
}
# Every domid the monitor's log names.
log_domids() {
    log_of "$1" | sed -nE -e 's/.*\(domid ([0-9]+)\).*/\1/p' \
        -e 's/^Domain ([0-9]+)[ :].*/\1/p' | sort -un
}
resets_done() { log_of "$1" | grep -cE "^Domain [0-9]+: soft reset [0-9]+ done in "; }

# start CASE NAME: creates the guest; its monitor runs on in the
# background.
start() {
    local cfg
    rm -f "$LOGDIR/xl-$2.log" "$SCRATCH/$2".*
    cfg=$(case_cfg "$1" "$2")
    if ! xl create -q "$cfg" > "$SCRATCH/$2.create" 2>&1; then
        echo "create failed: $(cat "$SCRATCH/$2.create")" > "$SCRATCH/$2.err"
    fi
}

# watch NAME...: until every NAME's monitor has exited (300 s at most
# for all), sampling each monitor's open fds and RSS after each reset it
# logs ("K FDS RSS_KIB" lines in $SCRATCH/NAME.samples) and keeping the
# probes' console lines from Xen's ring as they come ($SCRATCH/ring).
watch() {
    local n pid k running last end=$((SECONDS + 300)) turn=0
    declare -A pids
    for n in "$@"; do pids[$n]=$(monitor_pid "$n"); done
    while [ $SECONDS -lt $end ]; do
        running=0
        for n in "$@"; do
            [ -e "$SCRATCH/$n.err" ] && continue
            pid=${pids[$n]}
            alive "$pid" || continue
            running=1
            k=$(resets_done "$n")
            last=$(tail -n 1 "$SCRATCH/$n.samples" 2>/dev/null)
            if [ "$k" -gt 0 ] && [ "${last%% *}" != "$k" ]; then
                echo "$k $(ls /proc/"$pid"/fd 2>/dev/null | wc -l)" \
                    "$(awk '/^VmRSS:/ { print $2 }' /proc/"$pid"/status \
                       2>/dev/null)" >> "$SCRATCH/$n.samples"
            fi
        done
        turn=$((turn + 1))
        [ $((turn % 4)) = 0 ] && keep_probe_lines
        [ $running = 0 ] && break
        sleep 0.2
    done
    keep_probe_lines
    for n in "$@"; do
        pid=${pids[$n]}
        if [ -z "$pid" ] && [ ! -e "$SCRATCH/$n.err" ]; then
            echo "no monitor: $(log_of "$n" | head -n 3)" > "$SCRATCH/$n.err"
        elif alive "$pid"; then
            echo "the monitor (pid $pid) still runs after 300 s:" \
                "$(log_of "$n" | tail -n 3)" > "$SCRATCH/$n.err"
        fi
    done
}
# Xen's ring holds the latest 16 KiB or so: each look keeps the probes'
# lines not yet kept (Xen numbers domains on, never reusing one in a
# boot, and a probe's lines differ by generation where it matters).
keep_probe_lines() {
    touch "$SCRATCH/ring"
    xlref dmesg 2>/dev/null | grep -a "^(d[0-9]*) PROBE" |
        awk -v kept="$SCRATCH/ring" '
            BEGIN { while ((getline l < kept) > 0) seen[l] = 1 }
            !seen[$0]++' >> "$SCRATCH/ring"
}
# probe_lines NAME: the kept lines of NAME's domains
probe_lines() {
    local ids
    ids=$(log_domids "$1" | paste -sd'|')
    grep -aE "^\(d(${ids:-x})\) PROBE" "$SCRATCH/ring" 2>/dev/null
}
probe_has() { probe_lines "$1" | grep -qE "^\(d[0-9]+\) PROBE $2"; }
has_probe() { # has_probe DESC NAME REGEX
    if probe_has "$2" "$3"; then ok "$1"; else
        not_ok "$1" "no probe line /PROBE $3/; its last lines:" \
            "$(probe_lines "$2" | tail -n 6)"
    fi
}

# What every case asserts of its monitor: RESETS resets done on one
# domain, no step failed, no wait timed out, then ENDING (a regex of the
# last reason code) and the monitor done.
monitor_checks() { # CASE NAME RESETS ENDING
    local c=$1 n=$2
    if [ -e "$SCRATCH/$n.err" ]; then
        not_ok "$c: ran" "$(cat "$SCRATCH/$n.err")"
        return 1
    fi
    is "$c: $3 soft resets done" "$(resets_done "$n")" "$3"
    is "$c: one domid throughout" \
        "$(log_of "$n" | sed -nE 's/^Domain ([0-9]+) has shut down.*/\1/p' |
           sort -u | wc -l)" 1
    is "$c: no step failed, no wait timed out" \
        "$(log_of "$n" | grep -E "soft reset failed|timed out" | head -n 3)" ""
    is "$c: then shut down with reason $4" \
        "$(log_of "$n" | sed -nE 's/^Domain [0-9]+ has shut down, reason code ([0-9]+) .*/\1/p' |
           tail -n 1)" "$4"
    log_of "$n" | grep -q "^Done. Exiting now$" &&
        ok "$c: the monitor is done" ||
        not_ok "$c: the monitor is done" "$(log_of "$n" | tail -n 4)"
}
gens_ok() { # CASE NAME FIRST LAST
    local g bad=""
    for g in $(seq "$3" "$4"); do
        probe_has "$2" "gen=$g ok$" || bad+=" $g"
    done
    is "$1: the probe's generations $3..$4 ok" "${bad# }" ""
    [ -z "$bad" ] || probe_lines "$2" | grep -E "FAIL|BAD|failed" |
        head -n 6 | sed 's/^/#   /'
}

check_flood() {
    local c=flood n=$1 id
    id=$(first_domid "$n")
    monitor_checks $c "$n" 3 0 || return
    has_probe "$c: the guest flooded its home until xenstored refused" \
        "$n" "flood gen=1 wrote=[0-9]+ of [0-9]+ stop=[A-Z]"
    probe_lines "$n" | grep -a "PROBE flood" | sed 's/^/# /'
    gens_ok $c "$n" 0 3
    local data
    data=$(xenstore-ls "/local/domain/$id/data" 2>&1)
    printf '%s\n' "$data" | grep -q "^softreset-count = " &&
        ! printf '%s\n' "$data" | grep -q "^flood" &&
        ok "$c: the flood's nodes went with the reset" ||
        not_ok "$c: the flood's nodes went with the reset" \
            "$(printf '%s\n' "$data" | head -n 5)"
    is "$c: the guest's count written after the flood" \
        "$(xenstore-read "/local/domain/$id/data/softreset-count" 2>&1)" 3
}
check_scribble() {
    local c=scribble n=$1 p
    monitor_checks $c "$n" 2 0 || return
    has_probe "$c: the guest broke its ring's producer index" "$n" \
        "scribble gen=0 xenstore req_prod="
    probe_has "$n" "scribble ESCAPED" &&
        not_ok "$c: every write outside its home refused" \
            "$(probe_lines "$n" | grep -a "ACCEPTED")" ||
        ok "$c: every write outside its home refused"
    for p in /local/domain/0/probe-scribble /tool/probe-scribble \
        /vm/probe-scribble /probe-scribble; do
        xenstore-read "$p" >/dev/null 2>&1 &&
            not_ok "$c: nothing written at $p" ||
            ok "$c: nothing written at $p"
    done
    gens_ok $c "$n" 1 2
    is "$c: xenstored still answers" "$(xenstore-read /local/domain/0/name)" \
        "Domain-0"
}
check_noreconnect() {
    local c=noreconnect n=$1 id
    id=$(first_domid "$n")
    monitor_checks $c "$n" 2 0 || return
    has_probe "$c: the guest skipped xenstore after a reset" "$n" \
        "xenstore skipped \(mode=noreconnect\)"
    # its home was written anew at each reset: what it wrote in its
    # first life is gone and nothing came after
    is "$c: its home is there" \
        "$(xenstore-read "/local/domain/$id/name" 2>&1)" "$n"
    xenstore-read "/local/domain/$id/data/softreset-count" >/dev/null 2>&1 &&
        not_ok "$c: it wrote nothing after its first life" \
            "data/softreset-count = $(xenstore-read \
                "/local/domain/$id/data/softreset-count" 2>&1)" ||
        ok "$c: it wrote nothing after its first life"
}
check_crash() {
    local c=crash n=$1 id
    id=$(first_domid "$n")
    monitor_checks $c "$n" 1 3 || return
    has_probe "$c: the guest's exception after its reset" "$n" \
        "exception vec=6 "
    log_of "$n" | grep -q "^Domain $id needs to be cleaned up: destroying the domain$" &&
        ok "$c: on_crash destroy applied" ||
        not_ok "$c: on_crash destroy applied" "$(log_of "$n" | tail -n 4)"
    wait_gone "$n" 10 && ok "$c: the domain is gone" ||
        not_ok "$c: the domain is gone" "$(xlref list "$n" 2>&1)"
}
check_ap() {
    local c=ap n=$1 g bad=""
    monitor_checks $c "$n" 3 0 || return
    for g in 0 1 2 3; do
        probe_has "$n" "ap gen=$g ticks=[0-9]+->[0-9]+ ok" || bad+=" $g"
    done
    is "$c: vCPU 1 ran on through every reset" "${bad# }" ""
    [ -z "$bad" ] || probe_lines "$n" | grep -a "PROBE ap" | sed 's/^/#   /'
    gens_ok $c "$n" 0 3
}
check_bystander() {
    local c=bystander n=$1
    monitor_checks $c "$n" 5 0 || return
    gens_ok $c "$n" 0 5
    note "$c: $(log_of "$n" | sed -nE 's/^Domain [0-9]+: soft reset ([0-9]+) done in ([0-9]+) ms.*/\2/p' |
        paste -sd' ') ms per reset beside the hostile guests"
}
check_storm() {
    local c=storm n=$1 id a b
    id=$(first_domid "$n")
    monitor_checks $c "$n" $STORM 0 || return
    is "$c: the guest's count" \
        "$(xenstore-read "/local/domain/$id/data/softreset-count" 2>&1)" $STORM
    gens_ok $c "$n" $((STORM - 2)) $STORM
    # what a user is shown of them (xl soft-reset-list, -v: the steps)
    local srl
    srl=$(xl soft-reset-list -v "$n" 2>&1)
    printf '%s\n' "$srl" | sed -n 2p |
        grep -Eq "^$n +$id +$STORM +0 +[0-9-]+ [0-9:]+ +[0-9]+ +done\$" &&
        ok "$c: xl soft-reset-list counts $STORM done" ||
        not_ok "$c: xl soft-reset-list counts $STORM done" "$srl"
    is "$c: and the last one's 12 steps" \
        "$(printf '%s\n' "$srl" | sed -n 3p | tr ',' '\n' | grep -cE '[a-z-]+ [0-9]+$')" 12
    xl soft-reset-list -l "$n" 2>&1 | grep -q "\"done\": $STORM," &&
        ok "$c: and as JSON" ||
        not_ok "$c: and as JSON" "$(xl soft-reset-list -l "$n" 2>&1)"
    # The monitor after its warm-up (resets 5 to 14) against the last
    # resets (20 on): a sample falls anywhere in a reset (the next one
    # starts at once), so each side's highest count is compared: a leak
    # grows with the resets, a file held during a reset does not.
    note "$c: monitor after reset K: K fds RSS_KiB: $(paste -sd';' "$SCRATCH/$n.samples")"
    local early late
    early=$(awk '$1 >= 5 && $1 < 15' "$SCRATCH/$n.samples" 2>/dev/null |
        awk 'NR == 1 || $2 > f { f = $2 } NR == 1 || $3 > r { r = $3 }
             END { if (NR) print f, r, NR }')
    late=$(awk '$1 >= 20' "$SCRATCH/$n.samples" 2>/dev/null |
        awk 'NR == 1 || $2 > f { f = $2 } NR == 1 || $3 > r { r = $3 }
             END { if (NR) print f, r, NR }')
    if [ -z "$early" ] || [ -z "$late" ]; then
        not_ok "$c: the monitor sampled after its warm-up and at the end" \
            "samples: $(paste -sd';' "$SCRATCH/$n.samples" 2>/dev/null)"
        return
    fi
    set -- $early; local f1=$1 r1=$2
    set -- $late; local f2=$1 r2=$2
    [ "$f2" -le "$f1" ] &&
        ok "$c: the monitor's open fds do not grow (at most $f1, then $f2)" ||
        not_ok "$c: the monitor's open fds do not grow" \
            "at most $f1 in resets 5-14, $f2 from reset 20"
    [ $((r2 - r1)) -le 64 ] &&
        ok "$c: the monitor's RSS does not grow (at most $r1 KiB, then $r2)" ||
        not_ok "$c: the monitor's RSS does not grow" \
            "at most $r1 KiB in resets 5-14, $r2 KiB from reset 20: more than 64 KiB"
}

# finish CASE NAME: the case's checks and its destroy, TAP on stdout.
finish() {
    local c=$1 n=$2 id ids
    ids=$(log_domids "$n")
    "check_$c" "$n"
    id=$(first_domid "$n")
    if xlref domid "$n" >/dev/null 2>&1; then
        check "$c: xl destroy" xl destroy "$n"
    fi
    local j=0 pid
    pid=$(monitor_pid "$n")
    while alive "$pid" && [ $j -lt 50 ]; do sleep 0.1; j=$((j + 1)); done
    alive "$pid" && not_ok "$c: the monitor (pid $pid) exits"
    for id in $ids; do
        is "$c: nothing of domain $id left" "$(leftovers "$id" "$n")" ""
    done
}

# emulation_fault NAME: Xen's triple fault lines for NAME's domains when
# every one is of the emulation's classes (printed); false otherwise.
emulation_fault() {
    local ids xen classes
    ids=$(log_domids "$1" | paste -sd'|')
    [ -n "$ids" ] || return 1
    xen=$(xlref dmesg 2>/dev/null | grep -aE "[( ]d($ids)v[0-9]+ Triple fault")
    [ -n "$xen" ] || return 1
    classes=$(xlref dmesg 2>/dev/null | sh "$FAULT_CLASS" "$PROBE_SYMS" "$ids" 2>&1)
    printf '%s\n' "$classes" | grep -qvE ' kind=(hypercall-return|io-return|xen-state)' &&
        return 1
    printf '%s\n%s\n' "$xen" "$classes"
}

# emit TAP: lines of a case's checks, numbered on from this test's count.
emit() {
    local l
    while IFS= read -r l; do
        case $l in
        "ok "* | "not ok "*)
            tap_n=$((tap_n + 1))
            case $l in "not ok "*) tap_failed=$((tap_failed + 1)) ;; esac
            printf '%s\n' "$l" | sed -E "s/^(not )?ok [0-9]+/\\1ok $tap_n/" ;;
        *) printf '%s\n' "$l" ;;
        esac
    done <<< "$1"
}

# judge CASE NAME RETRY: the case's checks; a failed case whose domain
# met the emulation's fault is noted and, when RETRY is 1, returned as 2
# for a run alone.
judge() {
    local out ev
    out=$(tap_n=0 tap_failed=0; finish "$1" "$2"; echo "#failed $tap_failed")
    if ! printf '%s\n' "$out" | grep -qx "#failed 0" &&
        ev=$(emulation_fault "$2"); then
        note "guest fault: $1 ($2) met the test host's emulation fault:"
        printf '%s\n' "$ev" | sed 's/^/#   /'
        stall_event fault "$2"
        if [ "$3" = 1 ]; then
            printf '%s\n' "$out" | grep -v "^#failed" | sed 's/^/#   (held) /'
            return 2
        fi
        not_ok "$1: the guest faulted twice"
    fi
    emit "$(printf '%s\n' "$out" | grep -v "^#failed")"
    return 0
}

WAVE="flood scribble noreconnect crash ap bystander"
for c in $WAVE; do start $c "$N-$c"; done
watch $(for c in $WAVE; do echo "$N-$c"; done)
note "the six at once: done after $SECONDS s"
again=""
for c in $WAVE; do
    judge $c "$N-$c" 1 || again+=" $c"
done
for c in $again storm; do
    [ $c = storm ] || { note "retry: $c alone"; stall_event retry "$N-$c"; }
    start $c "$N-$c-2"
    watch "$N-$c-2"
    judge $c "$N-$c-2" $([ $c = storm ] && echo 1 || echo 0) && continue
    # the storm's first run met the emulation's fault
    note "retry: storm once more"
    stall_event retry "$N-storm-3"
    start storm "$N-storm-3"
    watch "$N-storm-3"
    judge storm "$N-storm-3" 0
done

left=$(xlref list | awk -v n=$N 'index($1, n) == 1 {print $1}')
is "no domain of this test left" "$left" ""
note "$SECONDS s in all"
done_testing
