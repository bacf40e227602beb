#!/bin/bash
# A soft reset whose monitor is killed (SIGKILL, no undo runs) in the
# middle, at every step of the sequence and at the rebuild's steps that
# write xenstore: what is left must be a domain that `xl list` shows and
# `xl destroy` removes whole (xenstore, files, lock), whatever the point.
# LIBXL_TEST_HOLD=softreset:<step> (or rebuild:<step>) holds the monitor
# just before that step, with a line in its log; the test kills it
# there.  The guest is the PVH probe (count=3: three soft resets).
. "$(dirname "$0")/../lib.sh"

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

i=0
for point in $POINTS; do
    i=$((i + 1))
    d=$N-$i
    cfg=$(probe_cfg $d 'cmdline = "count=3"' 'on_soft_reset = "soft-reset"' \
                    'on_poweroff = "destroy"')
    rm -f "$LOGDIR/xl-$d.log"
    if ! LIBXL_TEST_HOLD=$point xl create -q "$cfg" > "$SCRATCH/c.out" 2>&1
    then
        not_ok "$point: create" "$(cat "$SCRATCH/c.out")"
        continue
    fi
    if ! wait_log "$d" "${point%%:*} step ${point#*:}: held for a test" 60
    then
        not_ok "$point: the monitor held there" "$(log_of "$d" | tail -n 5)"
        xlref destroy "$d" >/dev/null 2>&1
        continue
    fi
    pid=$(log_of "$d" | sed -nE '1s/.*\[pid ([0-9]+)\]$/\1/p')
    id=$(log_of "$d" | sed -nE '1s/.*\(domid ([0-9]+)\).*/\1/p')
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

left=$(xlref list | awk -v n=$N 'index($1, n) == 1 {print $1}')
is "no domain of this test left" "$left" ""
done_testing
