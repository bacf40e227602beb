#!/bin/bash
# xl create and its monitor on real Xen, with the freestanding PVH probe
# (tools/tests/guests): with count=0 it leaves at once, by the shutdown
# exit= names (poweroff, reboot, crash, or a watchdog left to expire),
# after delay= ms; with count=1 it asks for a soft reset first.
#
#  - every action (destroy, preserve, restart, rename-restart,
#    coredump-destroy, coredump-restart) for every reason (poweroff,
#    reboot, crash, watchdog): the action upstream logs, its effect on
#    the domain, the monitor's end;
#  - our monitor's log against upstream's (XL_REF) for the same config,
#    one reason per action (REF_COMPARE=0 skips it);
#  - a soft reset (done, the monitor going on), -F, -e, -p, -c,
#    KEY=VALUE.
#
# With XL=xl-upstream the same assertions hold for upstream's xl, except
# the soft reset (upstream destroys a PVH guest that asks for one).  The
# core dump cases run only with COREDUMP=1: xc_domain_dumpcore of the
# PVH probe takes more than 8 minutes under TCG with either xl.
. "$(dirname "$0")/../lib.sh"

N=hxl-c$$
LOGDIR=/var/log/xen
DUMPDIR=/var/lib/xen/dump
REF_COMPARE=${REF_COMPARE:-1}
case $(basename "$XL") in xl-upstream) UPSTREAM=1 ;; *) UPSTREAM=0 ;; esac
[ "$(readlink -f "$XL")" = "$(readlink -f "$XL_REF")" ] && UPSTREAM=1
mkdir -p $DUMPDIR
made_dumpdir=0
[ -z "$(ls -A $DUMPDIR)" ] && made_dumpdir=1

log_of() { cat "$LOGDIR/xl-$1.log" 2>/dev/null; }

# A case's checks are held until its end.  If Xen then reports a triple
# fault of one of the case's domains (Xen's "dNvM Triple fault", whose
# default action is a reboot), the fault is classified by the register
# dump Xen prints with it (tools/tests/guests/triple-fault-class):
# - at the return of a hypercall in the probe's hypercall page, in the
#   probe's own long mode: the fault of the emulation on the test host
#   (docs/design/triple-fault.md); each check is reported as a SKIP that
#   names it, never as ok (a reboot may be just what the case expects)
#   nor as a failure of the toolstack;
# - the probe's deliberate one (mode=crash): SKIP as well;
# - anywhere else, or without a dump: the checks as they came plus one
#   failure with Xen's lines: such a fault is a defect, not to be hidden.
FAULT_CLASS=$GUESTS_SRC/triple-fault-class
PROBE_SYMS=${PROBE_SYMS:-$XEN_ROOT/tools/tests/out/pvh-probe/pvh-probe.syms}
eval "tap_$(declare -f ok)"
eval "tap_$(declare -f not_ok)"
eval "tap_$(declare -f skip)"
US=$'\x1f'
holding=0
held=()
case_ids=()
triple_faults=0
ok() {
    if [ $holding = 1 ]; then held+=("ok$US$*"); else tap_ok "$@"; fi
}
# A failure held in a case carries the triple faults Xen had reported
# when it was recorded (held_faults, same index): one that came before
# the case's fault is reported as the failure it is, never skipped.
held_faults=()
not_ok() {
    local IFS=$US
    if [ $holding = 1 ]; then
        held_faults[${#held[@]}]=$(xlref dmesg 2>/dev/null |
                                   grep -a "Triple fault")
        held+=("not_ok$US$*")
    else
        tap_not_ok "$@"
    fi
}
skip() {
    if [ $holding = 1 ]; then held+=("skip$US$1$US$2"); else tap_skip "$@"; fi
}
hold_case() {
    holding=1; held=(); held_faults=(); case_ids=(); case_t0=$SECONDS
}
# Cases whose checks were skipped for the emulation's fault: more than
# one in a run fails it (see the end).
emulation_faults=0
# seen NAME: remember NAME's domid now (a domain without a monitor log)
seen() {
    local id
    id=$(xlref domid "$1" 2>/dev/null) && case_ids+=("$id")
    return 0
}
# The domids a monitor's log names.
log_domids() {
    log_of "$1" | sed -nE -e 's/.*\(domid ([0-9]+)\).*/\1/p' \
        -e 's/^Domain ([0-9]+) .*/\1/p'
}
# release_case NAME...: the held checks, as they came or as SKIPs.
release_case() {
    local n ids e kind desc rest xen p l parts lines
    for n in "$@"; do case_ids+=($(log_domids "$n")); done
    holding=0
    ids=$(printf '%s\n' "${case_ids[@]}" | sort -un | paste -sd'|')
    xen= classes= why=
    if [ -n "$ids" ]; then
        xen=$(xlref dmesg 2>/dev/null |
              grep -aE "[( ]d($ids)v[0-9]+ Triple fault")
        [ -n "$xen" ] &&
            classes=$(xlref dmesg 2>/dev/null |
                      sh "$FAULT_CLASS" "$PROBE_SYMS" "$ids" 2>&1)
    fi
    if [ -n "$xen" ]; then
        if ! printf '%s\n' "$classes" |
             grep -qvE ' kind=(hypercall-return|io-return|xen-state)'
        then
            emulation_faults=$((emulation_faults + 1))
            why="guest triple-faulted right after an exit Xen handled"
            why+=" ($(printf '%s\n' "$classes" | sed 's/^[^ ]* //' |
                     paste -sd';')): the emulation's fault"
        elif ! printf '%s\n' "$classes" |
             grep -qvE ' kind=(hypercall-return|io-return|xen-state|deliberate)'; then
            why="guest triple-faulted"
        fi
    fi
    local i=-1 before_fault
    for e in "${held[@]}"; do
        i=$((i + 1))
        IFS=$US read -r -d '' kind desc rest < <(printf '%s' "$e")
        # A failure recorded while Xen had not yet reported the case's
        # fault: not the fault's doing.
        before_fault=0
        if [ "$kind" = not_ok ] && [ -n "$why" ]; then
            while IFS= read -r l; do
                printf '%s\n' "${held_faults[$i]}" | grep -qxF -- "$l" ||
                    before_fault=1
            done <<< "$xen"
        fi
        if [ -n "$why" ] && [ $before_fault = 0 ]; then
            tap_skip "$desc" "$why"
            continue
        fi
        [ $before_fault = 0 ] ||
            rest+="${rest:+$US}(recorded before Xen reported the guest's triple fault: not skipped)"
        case $kind in
        ok) tap_ok "$desc" ;;
        skip) tap_skip "$desc" "$rest" ;;
        *) # each line of the details its own comment line
           parts=() lines=()
           [ -n "$rest" ] &&
               IFS=$US read -r -d '' -a parts < <(printf '%s' "$rest")
           for p in "${parts[@]}"; do
               while IFS= read -r l; do lines+=("$l"); done <<< "$p"
           done
           tap_not_ok "$desc" "${lines[@]}" ;;
        esac
    done
    [ $((SECONDS - case_t0)) -gt 0 ] && note "($((SECONDS - case_t0)) s)"
    if [ -n "$xen" ] && [ -z "$why" ]; then
        lines=()
        while IFS= read -r l; do lines+=("$l"); done < <(
            printf '%s\n' "$classes"
            xlref dmesg 2>/dev/null |
                grep -aA12 -E "[( ]d($ids)v[0-9]+ Triple fault")
        tap_not_ok "no triple fault but the emulation's or a deliberate one" \
            "${lines[@]}"
    fi
    if [ -n "$xen" ]; then
        triple_faults=$((triple_faults + 1))
        note "guest triple-faulted (Xen's console, the guest's last lines):"
        echo "$xen" | sed 's/^/#   /'
        printf '%s\n' "$classes" | sed 's/^/#   /'
        xlref dmesg 2>/dev/null | grep -aE "^\(d($ids)\) " | tail -n 3 |
            sed 's/^/#   /'
    fi
    held=()
}
# gave_up NAME TURN: true once one of the case's domains (NAME's, the
# ones seen) triple-faulted, so that the waits of a case that can no
# longer pass end early; Xen is asked every 20th turn of a wait loop
# (2 s or more), never at the first.
gave_up() {
    local ids
    [ $holding = 1 ] && [ "$2" -gt 0 ] && [ $(($2 % 20)) = 0 ] || return 1
    ids=$( (printf '%s\n' "${case_ids[@]}"; log_domids "$1") |
           grep . | sort -un | paste -sd'|')
    [ -n "$ids" ] &&
        xlref dmesg 2>/dev/null | grep -qaE "[( ]d($ids)v[0-9]+ Triple fault"
}
# wait_log NAME REGEX SECS: until the monitor's log has a line matching
wait_log() {
    local i=0
    while [ $i -lt $(($3 * 10)) ]; do
        log_of "$1" | grep -Eq "$2" && return 0
        gave_up "$1" $i && return 1
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
has_log() { # has_log DESC NAME REGEX [SECS]
    if wait_log "$2" "$3" "${4:-30}"; then ok "$1"; else
        not_ok "$1" "no line matching /$3/ in $LOGDIR/xl-$2.log:" \
            "$(log_of "$2" | sed 's/^/  /')"
    fi
}
# The monitor's pid, from its first line.
monitor_pid() {
    log_of "$1" | sed -nE '1s/.*\[pid ([0-9]+)\]$/\1/p'
}
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
# wait_exit PID SECS: until the process is gone
wait_exit() {
    local i=0
    while alive "$1" && [ $i -lt $(($2 * 10)) ]; do
        sleep 0.1
        i=$((i + 1))
    done
    ! alive "$1"
}
# The domids of the monitor's "Waiting for domain" lines, in order.
waited_domids() {
    log_of "$1" | sed -nE 's/^Waiting for domain .* \(domid ([0-9]+)\) .*/\1/p'
}
# wait_waits NAME N SECS: until the monitor has waited for N domains
wait_waits() {
    local i=0
    while [ $i -lt $(($3 * 10)) ]; do
        [ "$(waited_domids "$1" | wc -l)" -ge "$2" ] && return 0
        gave_up "$1" $i && return 1
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
# Stops whatever is left of test NAME: its monitor (still running only
# after a failure), every domain called NAME or NAME-<suffix>, the dump.
kill_all() {
    local pid id i=0
    pid=$(monitor_pid "$1")
    alive "$pid" && kill "$pid" 2>/dev/null && wait_exit "$pid" 5
    alive "$pid" && kill -9 "$pid" 2>/dev/null
    while [ $i -lt 20 ]; do
        id=$(xlref list 2>/dev/null |
             awk -v n="$1" '$1 == n || index($1, n "-") == 1 {print $2}')
        [ -z "$id" ] && break
        for d in $id; do xlref destroy "$d" 2>/dev/null; done
        i=$((i + 1))
    done
    rm -f "$DUMPDIR/$1"
}
trap 'for d in $(xlref list | awk -v n=$N "index(\$1, n) == 1 {print \$2}")
      do xlref destroy $d; done 2>/dev/null
      for p in $(ls $LOGDIR/xl-$N-*.log 2>/dev/null); do
          pid=$(sed -nE "1s/.*\[pid ([0-9]+)\]\$/\1/p" $p)
          [ -n "$pid" ] && kill $pid 2>/dev/null; done
      rm -f $LOGDIR/xl-$N-*.log* $LOGDIR/console/guest-$N-*.log
      [ $made_dumpdir = 1 ] && rmdir $DUMPDIR 2>/dev/null' EXIT

reason_code() {
    case $1 in poweroff) echo 0 ;; reboot) echo 1 ;; crash) echo 3 ;;
    watchdog) echo 4 ;; esac
}
# The second and third letters of `xl list`'s state after a shutdown
# for this reason: "s" then -, r, c or w.
reason_state() {
    case $1 in poweroff) echo 's-' ;; reboot) echo 'sr' ;; crash) echo 'sc' ;;
    watchdog) echo 'sw' ;; esac
}
# wait_state_re NAME ERE SECS: until NAME's state column matches
wait_state_re() {
    local i=0 st
    while [ $i -lt $(($3 * 10)) ]; do
        st=$(xlref list "$1" 2>/dev/null | awk 'NR==2 {print $5}')
        echo "$st" | grep -Eq "$2" && return 0
        gave_up "$1" $i && return 1
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# case_cfg NAME REASON ACTION [DELAY_MS]: on_REASON = ACTION, the other
# three on_* something else, so that a mix-up shows in the log.
case_cfg() {
    local name=$1 reason=$2 action=$3 delay=${4:-0} other=destroy r lines=()
    [ "$action" = destroy ] && other=preserve
    for r in poweroff reboot crash watchdog; do
        if [ $r = "$reason" ]; then lines+=("on_$r = \"$action\"")
        else lines+=("on_$r = \"$other\""); fi
    done
    probe_cfg "$name" "cmdline = \"count=0 exit=$reason delay=$delay\"" \
        "${lines[@]}"
}

# The dump: an ELF file named after the domain.
check_dump() { # check_dump DESC NAME
    if [ "$(head -c 4 "$DUMPDIR/$2" 2>/dev/null | od -An -c | tr -d ' ')" \
         = '177ELF' ]; then
        ok "$1 ($(stat -c %s "$DUMPDIR/$2") bytes)"
    else
        not_ok "$1" "$(ls -l "$DUMPDIR/$2" 2>&1)"
    fi
}

# run_case REASON ACTION: one domain, its shutdown, the action.
run_case() {
    local reason=$1 action=$2 code t d pid first ids new delay=0 cfg
    code=$(reason_code "$reason")
    t="$reason/$action"
    d=$N-${reason:0:2}-$action
    hold_case
    case $action in
    coredump-*)
        # xc_domain_dumpcore (libxenguest, under both xls) of the 32 MiB
        # PVH probe writes its first 16 MiB within 12 s, then tries to
        # map every GFN up to the special pages below 4 GiB (0xf0000
        # GFNs, one foreign map each) and is not done after 480 s
        # (upstream's xl dump-core, measured; ours after 3 min).  Less
        # guest memory does not shorten that scan: the core dump of any
        # PVH or HVM guest takes that long here.
        if [ "${COREDUMP:-0}" != 1 ]; then
            skip "$t" "a PVH core dump takes minutes here (COREDUMP=1 runs it)"
            release_case
            return
        fi ;;
    esac
    # A restarted domain stays up DELAY ms: time to destroy it while
    # the monitor waits (RESTART_DELAY=MS: a shorter one exercises the
    # test's way with a new domain that left before it was seen).
    case $action in *restart) delay=${RESTART_DELAY:-10000} ;; esac
    cfg=$(case_cfg "$d" "$reason" "$action" $delay)
    check "$t: create" xl create -q "$cfg"
    has_log "$t: shut down with reason $code" "$d" \
        "^Domain [0-9]+ has shut down, reason code $code 0x$code$"
    has_log "$t: the action" "$d" \
        "^Action for shutdown reason code $code is $action$"
    pid=$(monitor_pid "$d")
    first=$(waited_domids "$d" | head -n 1)
    case $action in coredump-*)
        has_log "$t: the core is dumped" "$d" "^dumping core to $DUMPDIR/$d$"
        wait_log "$d" "needs to be cleaned up|Exiting now|failed" 60
        check_dump "$t: the dump is an ELF core" "$d" ;;
    esac
    case $action in
    destroy|coredump-destroy)
        has_log "$t: destroyed" "$d" \
            "^Domain $first needs to be cleaned up: destroying the domain$"
        has_log "$t: the monitor is done" "$d" "^Done. Exiting now$"
        wait_gone "$d" 10 && ok "$t: the domain is gone" \
            || not_ok "$t: the domain is gone" "$(xlref list)"
        wait_exit "$pid" 10 && ok "$t: the monitor exits" \
            || not_ok "$t: the monitor exits" "pid $pid"
        ;;
    preserve)
        has_log "$t: the monitor is done" "$d" "^Done. Exiting now$"
        wait_state_re "$d" "^...$(reason_state "$reason")" 5 &&
            ok "$t: the domain stays, shut down ($(reason_state "$reason"))" ||
            not_ok "$t: the domain stays, shut down" "$(xlref list "$d" 2>&1)"
        wait_exit "$pid" 10 && ok "$t: the monitor exits" \
            || not_ok "$t: the monitor exits" "pid $pid"
        ;;
    restart|coredump-restart|rename-restart)
        if [ $action = rename-restart ]; then
            has_log "$t: the old domain is renamed" "$d" \
                "^Preserving domain $first $d with suffix-[0-9]{8}T[0-9]{4}Z$"
            if xlref list | grep -Eq "^$d-[0-9]{8}T[0-9]{4}Z +$first "; then
                ok "$t: the old domain stays under its new name"
            else
                not_ok "$t: the old domain stays under its new name" \
                    "$(xlref list)"
            fi
        else
            has_log "$t: the old domain is destroyed" "$d" \
                "^Domain $first needs to be cleaned up: destroying the domain$"
        fi
        has_log "$t: rebooting" "$d" "^Done. Rebooting now$"
        if wait_waits "$d" 2 30; then
            ids=$(waited_domids "$d")
            new=$(echo "$ids" | sed -n 2p)
            is "$t: a new domain with a new domid" \
                "$([ "$new" != "$first" ] && echo yes)" yes
            # It stays up DELAY ms: destroyed meanwhile (the monitor
            # stopped so that a slow destroy cannot lose the race), the
            # monitor says so and exits.  On a loaded host the test may
            # see the new domain only after it has left too and been
            # restarted (measured at load 22): then the latest domain
            # that has not shut down is the one destroyed.
            local n tries=0
            kill -STOP "$pid"
            n=$(waited_domids "$d" | tail -n 1)
            while log_of "$d" | grep -q "^Domain $n has shut down" &&
                  alive "$pid" && [ $tries -lt 2 ]; do
                kill -CONT "$pid"
                wait_waits "$d" $(($(waited_domids "$d" | wc -l) + 1)) 30
                kill -STOP "$pid"
                n=$(waited_domids "$d" | tail -n 1)
                tries=$((tries + 1))
            done
            [ "$n" != "$new" ] &&
                note "$t: domain $new left before the test saw it; destroying $n"
            xlref destroy "$n"
            kill -CONT "$pid"
            has_log "$t: destroyed by hand, the monitor notices" "$d" \
                "^Domain $n has been destroyed.$" 15
            wait_exit "$pid" 10 && ok "$t: the monitor exits" \
                || not_ok "$t: the monitor exits" "pid $pid"
        else
            not_ok "$t: a new domain with a new domid" "$(log_of "$d")"
        fi
        ;;
    esac
    release_case "$d"
    kill_all "$d"
}

# CASES="reason/action ..." runs only those of the matrix; PARTS=matrix
# (or ref, flags) only that part.
CASES=${CASES:-all}
PARTS=${PARTS:-matrix ref flags}
part() { case " $PARTS " in *" $1 "*) return 0 ;; esac; return 1; }
for action in destroy preserve restart rename-restart coredump-destroy \
              coredump-restart; do
    for reason in poweroff reboot crash watchdog; do
        part matrix || continue
        case " $CASES " in " all "|*" $reason/$action "*) ;; *) continue ;; esac
        run_case $reason $action
    done
done

# Our monitor's log against upstream's for the same config: the lines
# of the first domain's life, domids, pids and times normalised.
norm_log() {
    sed -E -e 's/\(domid [0-9]+\)/(domid D)/; s/\[pid [0-9]+\]/[pid P]/' \
        -e 's/^Domain [0-9]+ /Domain D /; s/^Preserving domain [0-9]+ /Preserving domain D /' \
        -e 's/suffix-[0-9]{8}T[0-9]{4}Z/suffix-T/' -e "s/$1/NAME/g" |
        awk '{print} /^Done\./ {exit}'
}
ref_case() { # ref_case REASON ACTION
    local reason=$1 action=$2 d u cfg ucfg t="vs upstream: $1/$2"
    d=$N-r-${reason:0:2}-$action
    u=$N-u-${reason:0:2}-$action
    cfg=$(case_cfg "$d" "$reason" "$action" 4000)
    ucfg=$(case_cfg "$u" "$reason" "$action" 4000)
    hold_case
    xl create -q "$cfg" & xlref create -q "$ucfg" >/dev/null 2>&1
    wait
    wait_log "$d" "^Done\. " 60
    wait_log "$u" "^Done\. " 60
    log_of "$d" | norm_log "$d" > "$SCRATCH/ours.log"
    log_of "$u" | norm_log "$u" > "$SCRATCH/upstream.log"
    same "$t: the monitor's log" "$SCRATCH/ours.log" "$SCRATCH/upstream.log"
    release_case "$d" "$u"
    kill_all "$d"
    kill_all "$u"
}
if ! part ref; then
    :
elif [ $UPSTREAM = 1 ] || [ "$REF_COMPARE" = 0 ]; then
    skip "vs upstream" "the xl under test is the reference, or REF_COMPARE=0"
else
    ref_case poweroff destroy
    ref_case reboot preserve
    ref_case crash restart
    ref_case watchdog rename-restart
fi

if part flags; then
# soft reset: done in place, logged with its duration, the monitor goes
# on with the same domain, which then powers off and is destroyed as
# configured.
d=$N-sr
cfg=$(probe_cfg $d 'cmdline = "count=1"' 'on_soft_reset = "soft-reset"')
hold_case
check "create ($d)" xl create -q "$cfg"
has_log "soft reset: reason 5" $d \
    "^Domain [0-9]+ has shut down, reason code 5 0x5$"
if [ $UPSTREAM = 1 ]; then
    skip "soft reset: done, with its duration" \
        "upstream's xl destroys a PVH guest that asks (pvh-probe-upstream)"
    skip "soft reset: the same domain goes on, then powers off" "upstream"
    skip "soft reset: then destroyed as on_poweroff says" "upstream"
else
    has_log "soft reset: done, with its duration" $d \
        "^Domain [0-9]+: soft reset 1 done in [0-9]+ ms \\(rebuild [0-9]+ ms, unpause [0-9]+ ms\\)$"
    has_log "soft reset: the same domain goes on, then powers off" $d \
        "^Domain [0-9]+ has shut down, reason code 0 0x0$"
    wait_gone $d 30 && ok "soft reset: then destroyed as on_poweroff says" \
        || not_ok "soft reset: then destroyed as on_poweroff says" \
            "$(xlref list $d 2>&1)"
fi
release_case $d
kill_all $d

# The soft reset storm guard (soft_reset_limit): a probe that asks for
# 10 resets gets 3, then on_soft_reset_limit (preserve): the domain
# stays as it asked, the monitor says why and exits.
d=$N-storm
cfg=$(probe_cfg $d 'cmdline = "count=10"' 'on_soft_reset = "soft-reset"' \
      'soft_reset_limit = 3' 'soft_reset_window = 600' \
      'on_soft_reset_limit = "preserve"')
hold_case
if [ $UPSTREAM = 1 ]; then
    skip "storm guard" "this xl's own keys (upstream's xl destroys the probe)"
else
    check "storm guard: create ($d)" xl create -q "$cfg"
    has_log "storm guard: the 3rd soft reset done" $d \
        "^Domain [0-9]+: soft reset 3 done in [0-9]+ ms"
    has_log "storm guard: the 4th request gets on_soft_reset_limit" $d \
        "^Domain [0-9]+ asked for more than 3 soft resets within 600 s \(soft_reset_limit\): on_soft_reset_limit is preserve$"
    has_log "storm guard: the monitor is done" $d "^Done. Exiting now$"
    n=$(log_of $d | grep -c "soft reset [0-9]* done in")
    is "storm guard: 3 soft resets, no more" "$n" 3
    ids=$(log_of $d | sed -nE 's/^Domain ([0-9]+) has shut down, reason code 5 0x5$/\1/p' |
          sort -u | wc -l)
    is "storm guard: one domid for the 4 requests" "$ids" 1
    wait_state_re "$d" "^...s" 5 &&
        ok "storm guard: the domain stays, shut down" ||
        not_ok "storm guard: the domain stays, shut down" \
            "$(xlref list "$d" 2>&1)"
fi
release_case $d
kill_all $d

# -F: the monitor in the foreground, logging to stderr.
d=$N-fg
cfg=$(probe_cfg $d 'cmdline = "count=0"' 'on_poweroff = "destroy"')
hold_case
timeout 60 env XL_GLOBAL_CONFIG=$SCRATCH/xl.conf "$XL" create -q -F "$cfg" \
    > "$SCRATCH/fg.out" 2> "$SCRATCH/fg.err"
is "create -F: returns once the domain is gone (exit 0)" "$?" 0
grep -q "Action for shutdown reason code 0 is destroy" "$SCRATCH/fg.err" \
    && ok "create -F: logs on stderr" \
    || not_ok "create -F: logs on stderr" "$(cat "$SCRATCH/fg.err")"
[ ! -e "$LOGDIR/xl-$d.log" ] && ok "create -F: no log file" \
    || not_ok "create -F: no log file"
case_ids+=($(sed -nE 's/.*\(domid ([0-9]+)\).*/\1/p' "$SCRATCH/fg.err"))
release_case $d
kill_all $d

# -e: no monitor; the guest stays shut down.
d=$N-e
cfg=$(probe_cfg $d 'cmdline = "count=0"' 'on_poweroff = "destroy"')
hold_case
check "create -e" xl create -q -e "$cfg"
seen $d
wait_state $d s 30 && ok "create -e: nobody destroys it" \
    || not_ok "create -e: nobody destroys it" "$(xlref list $d 2>&1)"
release_case $d
kill_all $d

# -p: paused until unpaused.
d=$N-p
cfg=$(probe_cfg $d 'cmdline = "count=0"' 'on_poweroff = "destroy"')
hold_case
check "create -p" xl create -q -p "$cfg"
seen $d
wait_state $d p 5 && ok "create -p: paused" || not_ok "create -p: paused"
check "unpause" xl unpause $d
wait_gone $d 30 && ok "create -p: runs once unpaused, then powers off" \
    || not_ok "create -p: runs once unpaused, then powers off"
release_case $d
kill_all $d

# -c: the console, until the domain goes.
d=$N-c
cfg=$(probe_cfg $d 'cmdline = "count=0"' 'on_poweroff = "destroy"')
hold_case
timeout 60 env XL_GLOBAL_CONFIG=$SCRATCH/xl.conf "$XL" create -q -c "$cfg" \
    < /dev/null > "$SCRATCH/c.out" 2> "$SCRATCH/c.err"
is "create -c: returns when the console goes (exit 0)" "$?" 0
grep -q "PROBE" "$SCRATCH/c.out" && ok "create -c: the guest's output" \
    || not_ok "create -c: the guest's output" "$(head -c 600 "$SCRATCH/c.out")" \
        "$(cat "$SCRATCH/c.err")"
release_case $d
kill_all $d

# KEY=VALUE overrides the file.
d=$N-kv
cfg=$(probe_cfg $d 'cmdline = "count=0"' 'on_poweroff = "destroy"')
hold_case
check "create with KEY=VALUE" xl create -q -e "$cfg" 'on_poweroff="preserve"' \
    "name=\"$d-x\""
seen $d-x
xlref domid $d-x > /dev/null 2>&1 && ok "KEY=VALUE: the name given wins" \
    || not_ok "KEY=VALUE: the name given wins" "$(xlref list)"
release_case $d-x
kill_all $d
fi

if part flags; then
# The SKIP path itself: a guest that triple-faults on purpose (the
# probe's mode=crash) has its case skipped with Xen's line.
d=$N-tf
cfg=$(probe_cfg $d 'cmdline = "count=0 mode=crash"' 'on_reboot = "preserve"')
before=$triple_faults
hold_case
# A failure recorded before the guest faults (deliberate, here) must
# come out as the failure it is: the case's TAP is caught and looked at.
not_ok "a failure held before the fault (deliberate)" "the SKIP rule's check"
check "mode=crash: create" xl create -q "$cfg"
has_log "mode=crash: shut down with reason 1 (reboot)" $d \
    "^Domain [0-9]+ has shut down, reason code 1 0x1$"
n0=$tap_n f0=$tap_failed
release_case $d > "$SCRATCH/release.tap"
tap_n=$n0 tap_failed=$f0
sed 's/^/#   held: /' "$SCRATCH/release.tap"
grep -qE "^not ok [0-9]+ - a failure held before the fault \(deliberate\)$" \
    "$SCRATCH/release.tap" &&
    ok "a failure recorded before the guest's triple fault stays a failure" ||
    not_ok "a failure recorded before the guest's triple fault stays a failure"
grep -qE "^ok [0-9]+ - mode=crash: create # SKIP guest triple-faulted" \
    "$SCRATCH/release.tap" &&
    ok "the case's checks that passed are skipped, with the reason" ||
    not_ok "the case's checks that passed are skipped, with the reason"
is "a guest's triple fault is seen on Xen's console, its case skipped" \
    "$triple_faults" $((before + 1))
triple_faults=$before
kill_all $d

# The premise of the classification above: an exception of the probe
# (mode=fault, an invalid opcode after its hypercalls, with its IDT, GDT
# and stack in place) is taken by its stubs and reported, then the guest
# crashes (reason 3); only a broken delivery triple-faults.
d=$N-ud
cfg=$(probe_cfg $d 'cmdline = "count=0 mode=fault"' 'on_crash = "preserve"')
before=$triple_faults
hold_case
check "mode=fault: create" xl create -q "$cfg"
has_log "mode=fault: shut down with reason 3 (crash)" $d \
    "^Domain [0-9]+ has shut down, reason code 3 0x3$"
id=$(xlref domid $d 2>/dev/null)
xlref dmesg 2>/dev/null | grep -aqE "^\(d${id:-x}\) PROBE exception vec=6 " &&
    ok "mode=fault: the probe's stub reported the #UD" ||
    not_ok "mode=fault: the probe's stub reported the #UD" \
        "$(xlref dmesg 2>/dev/null | grep -a "(d${id:-x})" | tail -n 5)"
release_case $d
is "mode=fault: no triple fault" "$triple_faults" "$before"
kill_all $d
fi

# Nothing left: no domain, monitor, dump of ours.
left=$(xlref list | awk -v n=$N 'index($1, n) == 1 {print $1}')
is "no domain of this test left" "$left" ""
left=$(ls $DUMPDIR | grep "^$N" || true)
is "no core dump left" "$left" ""
note "$triple_faults case(s) skipped for a triple fault; $SECONDS s in all"
# One case lost to the emulation's fault in a run is what the test host
# shows now and then (docs/design/triple-fault.md); more is not chance.
[ $emulation_faults -le 1 ] &&
    ok "at most one case skipped for the emulation's fault ($emulation_faults)" ||
    not_ok "at most one case skipped for the emulation's fault" \
        "$emulation_faults cases were"
done_testing
