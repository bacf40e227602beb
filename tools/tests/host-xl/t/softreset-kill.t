#!/bin/bash
# A soft reset whose monitor is killed (SIGKILL, no undo runs) in the
# middle, at every step of the sequence and at the rebuild's steps that
# write xenstore: what is left must be a domain that `xl list` shows and
# `xl destroy` removes whole (xenstore, files, lock), whatever the point.
# LIBXL_TEST_HOLD=softreset:<step> (or rebuild:<step>) holds the monitor
# just before that step, with a line in its log; the test kills it
# there.  The guest is the PVH probe (count=3: three soft resets).
. "$(dirname "$0")/../lib.sh"
# the guest fault rule's events file, which host-suite's summary counts
STALL_SUITE=host-xl
. "$XEN_ROOT/tools/tests/host-suite-lib/stall.sh"

N=hxl-k$$
case $(basename "$XL") in
xl-upstream)
    skip "kill during a soft reset" "upstream's xl destroys the PVH probe"
    done_testing
    exit ;;
esac

POINTS="softreset:lock softreset:check softreset:pause softreset:read-state
 softreset:dm-save softreset:release softreset:dm-stop
 softreset:devices-destroy softreset:domctl softreset:emulator-data
 softreset:rebuild rebuild:xenstore-skeleton rebuild:event-channels
 rebuild:introduce rebuild:console rebuild:devices rebuild:console-wait
 rebuild:store-config softreset:rearm"

# The probe asks for its soft resets and then powers off: it never
# reboots or crashes by itself.  A domain of it that ends with reason 1
# (reboot) or 3 (crash) before the hold, with Xen's own line for it
# ("dNvM Triple fault" or "Domain N (vcpu#M) crashed"), met the test
# host's emulation fault (docs/design/triple-fault.md): its evidence is
# printed, and the point is tried once more with a new guest; a second
# fault, or an end without Xen's line, fails.  on_reboot and on_crash
# "preserve" keep such a domain under its domid for the look.
faults=0

# hold_at POINT NAME: creates the guest and waits for the monitor to be
# held before POINT.  0: held (pid, id set); 2: the emulation's fault
# (noted); 1: anything else (reported).
hold_at() {
    local point=$1 d=$2 cfg k fid ev
    cfg=$(probe_cfg "$d" 'cmdline = "count=3"' \
        'on_soft_reset = "soft-reset"' 'on_poweroff = "destroy"' \
        'on_reboot = "preserve"' 'on_crash = "preserve"')
    rm -f "$LOGDIR/xl-$d.log"
    if ! LIBXL_TEST_HOLD=$point xl create -q "$cfg" > "$SCRATCH/c.out" 2>&1
    then
        not_ok "$point: create" "$(cat "$SCRATCH/c.out")"
        return 1
    fi
    pid=$(log_of "$d" | sed -nE '1s/.*\[pid ([0-9]+)\]$/\1/p')
    k=0
    while [ $k -lt 600 ]; do
        log_of "$d" | grep -q "${point%%:*} step ${point#*:}: held for a test" &&
            break
        if log_of "$d" | grep -Eq "has shut down, reason code [13] "; then
            fid=$(log_of "$d" | sed -nE '1s/.*\(domid ([0-9]+)\).*/\1/p')
            ev=$(xlref dmesg | grep -E "d${fid}v[0-9]+ Triple fault|Domain $fid \(vcpu#[0-9]+\) crashed")
            alive "$pid" && kill -9 "$pid"
            xlref destroy "$d" >/dev/null 2>&1
            if [ -n "$ev" ]; then
                note "guest fault: $d (domain $fid) before the hold: $ev"
                stall_event fault "$d"
                return 2
            fi
            not_ok "$point: the guest left before the hold, Xen saying nothing of it" \
                "$(log_of "$d" | tail -n 5)"
            return 1
        fi
        sleep 0.1
        k=$((k + 1))
    done
    if [ $k -ge 600 ]; then
        not_ok "$point: the monitor held there" "$(log_of "$d" | tail -n 5)"
        alive "$pid" && kill -9 "$pid"
        xlref destroy "$d" >/dev/null 2>&1
        return 1
    fi
    # the domain the monitor is resetting: its last "Waiting for domain"
    id=$(log_of "$d" | sed -nE 's/^Waiting for domain .*\(domid ([0-9]+)\).*/\1/p' |
        tail -n 1)
    return 0
}

i=0
for point in $POINTS; do
    i=$((i + 1))
    d=$N-$i
    hold_at "$point" "$d"
    r=$?
    if [ $r = 2 ]; then
        faults=$((faults + 1))
        note "retry: $point once (the emulation's fault)"
        stall_event retry "$d"
        d=$N-$i-r
        hold_at "$point" "$d"
        r=$?
        [ $r = 2 ] && not_ok "$point: the guest faulted twice"
    fi
    [ $r = 0 ] || continue
    kill -9 "$pid"
    j=0
    while alive "$pid" && [ $j -lt 50 ]; do sleep 0.1; j=$((j + 1)); done
    alive "$pid" && not_ok "$point: the monitor killed" "pid $pid"
    # What a user sees, then does.
    st=$(xl list "$id" 2>&1)
    if echo "$st" | grep -q "^$d \+$id "; then
        ok "$point: xl list shows domain $id ($(echo "$st" |
            awk 'NR == 2 { print $5 }'))"
    else
        not_ok "$point: xl list shows domain $id" "$st"
    fi
    check "$point: xl destroy $id" xl destroy "$id"
    left=$(leftovers "$id" "$d")
    is "$point: nothing of domain $id left" "$left" ""
done
note "guest faults (the emulation's, retried): $faults"

left=$(xlref list | awk -v n=$N 'index($1, n) == 1 {print $1}')
is "no domain of this test left" "$left" ""
done_testing
