#!/bin/bash
# Every step of a soft reset failing on purpose, for an HVM guest (QEMU
# device model, a disk and a NIC) and a PVH guest (the probe, a disk and
# a NIC), through our xl and libxl built with SANITIZE=1 (XL_SAN, which
# `make check` builds; ASan and UBSan, fatal): LIBXL_FAULT_INJECT=
# softreset:<step> fails a step of the sequence, rebuild:<step> one of
# the rebuild's (create's steps for the existing domain).  Each time:
#   - the monitor logs the failed step in one line and no sanitizer
#     report; xl soft-reset-list counts the failure and names the step;
#   - the domain is kept, paused, listed under its name (that the
#     sequence's own pause holds from its pause step on is the unit
#     test's: test-libxl-soft-reset; here create -p's pause is there too);
#   - the monitor is still there, waiting for the domain, and on
#     `xl destroy` says so and exits;
#   - after `xl destroy` nothing of the domain is left (xenstore, QEMU,
#     files).
# The guest is created paused and the soft reset is asked for from dom0
# (domshutdown DOMID soft_reset): no guest code runs, so each point is
# met the same way every time, and an HVM guest needs no boot.
. "$(dirname "$0")/../lib.sh"

N=hxl-f$$
DOMSHUTDOWN=$XEN_ROOT/tools/tests/out/pvh-probe/domshutdown
case $(basename "$XL") in
xl-upstream)
    skip "soft reset faults" "upstream's libxl has no fault injection"
    done_testing
    exit ;;
esac
if [ -n "${XL_SAN:-}" ]; then
    XL=$XL_SAN
    note "xl under test: $XL (SANITIZE=1)"
else
    note "xl under test: $XL (XL_SAN not given: not a SANITIZE=1 build)"
fi

# The sequence's steps, then the rebuild's (libxl_soft_reset.c,
# libxl_create.c; docs/design/soft-reset.md).
POINTS="softreset:lock softreset:check softreset:pause softreset:read-state
 softreset:dm-save softreset:release softreset:dm-stop
 softreset:devices-destroy softreset:domctl softreset:emulator-data
 softreset:rebuild softreset:rearm
 rebuild:xenstore-skeleton rebuild:max-memory rebuild:event-channels
 rebuild:sched-params rebuild:rebind rebuild:xenstore-domain
 rebuild:introduce rebuild:console rebuild:devices rebuild:device-model
 rebuild:console-wait rebuild:store-config"

guest_cfg() { # guest_cfg TYPE NAME
    local img=/scratch/$2.img
    truncate -s 8M "$img"
    local devs=("disk = [ \"format=raw, vdev=xvda, access=rw, target=$img\" ]"
                'vif = [ "bridge=xenbr0" ]' 'on_soft_reset = "soft-reset"')
    if [ "$1" = pvh ]; then
        probe_cfg "$2" 'cmdline = "count=0"' "${devs[@]}"
    else
        local f=$SCRATCH/$2.cfg
        printf '%s\n' "name = \"$2\"" 'type = "hvm"' 'memory = 64' \
            'vcpus = 1' 'vga = "none"' 'vnc = 0' 'nographic = 1' \
            'tsc_mode = "native"' "${devs[@]}" > "$f"
        echo "$f"
    fi
}

# One point: TYPE POINT INDEX
one() {
    local type=$1 point=$2 d=$N-$type-$3 step=${point#*:} cfg id pid st
    local f0=$tap_failed
    local failed=$step
    [ "${point%%:*}" = rebuild ] && failed=rebuild
    local what="$type $point"
    cfg=$(guest_cfg "$type" "$d")
    rm -f "$LOGDIR/xl-$d.log"
    if ! LIBXL_FAULT_INJECT=$point xl create -q -p "$cfg" \
        > "$SCRATCH/c.out" 2>&1; then
        not_ok "$what: create -p" "$(cat "$SCRATCH/c.out")"
        cleanup_guest "$d"
        return
    fi
    id=$(xlref domid "$d")
    pid=$(log_of "$d" | sed -nE '1s/.*\[pid ([0-9]+)\]$/\1/p')
    if ! "$DOMSHUTDOWN" "$id" soft_reset; then
        not_ok "$what: domain $id asked for a soft reset"
        cleanup_guest "$d"
        return
    fi
    if ! wait_log "$d" "waiting for it to be destroyed" 120; then
        not_ok "$what: the reset failed and the monitor waits" \
            "$(log_of "$d" | tail -n 8)"
        cleanup_guest "$d"
        return
    fi
    is "$what: no wait that timed out in the reset" \
        "$(log_of "$d" | grep -c "timed out")" 0
    is "$what: one line names the failed step" \
        "$(log_of "$d" | grep -c "soft reset failed at step $failed: ")" 1
    [ "${point%%:*}" = rebuild ] &&
        is "$what: the rebuild's step named" \
            "$(log_of "$d" | grep -c "rebuild step $step: injected failure")" 1
    # xl soft-reset-list: the failure counted, with its step (a reset
    # refused at the lock or the check is not one of the domain's)
    local want="^$d +$id +0 +1 +[0-9-]+ [0-9:]+ +[0-9]+ +failed at $failed\$"
    case $point in softreset:lock | softreset:check)
        want="^$d +$id +0 +0 +- +- +-\$" ;;
    esac
    local srl
    srl=$(xl soft-reset-list "$id" 2>&1)
    if printf '%s\n' "$srl" | sed -n 2p | grep -Eq "$want"; then
        ok "$what: xl soft-reset-list says so"
    else
        not_ok "$what: xl soft-reset-list says so" "$srl" "want: /$want/"
    fi
    st=$(xlref list "$id" 2>/dev/null | awk -v n="$d" '$1 == n { print $5 }')
    case "$st" in
    *p*) ok "$what: domain $id kept as $d, paused ($st)" ;;
    *) not_ok "$what: domain $id kept as $d, paused" "state '$st'" ;;
    esac
    check "$what: the monitor (pid $pid) is still there" alive "$pid"
    check "$what: xl destroy $id" xl destroy "$id"
    local j=0
    while alive "$pid" && [ $j -lt 100 ]; do sleep 0.1; j=$((j + 1)); done
    if alive "$pid"; then
        not_ok "$what: the monitor exits after the destroy" "pid $pid"
    else
        check "$what: the monitor saw the destroy and exited" \
            wait_log "$d" "Domain $id has been destroyed" 1
    fi
    is "$what: nothing of domain $id left" "$(leftovers "$id" "$d")" ""
    # the disk's loop device (blkback) released too
    is "$what: no loop device on its disk image left" \
        "$(grep -l "/scratch/$d.img" /sys/block/loop*/loop/backing_file \
            2>/dev/null)" ""
    local san
    san=$(log_of "$d" | grep -E -m 3 \
        'Sanitizer|runtime error:|SUMMARY: ' | tr '\n' ' ')
    is "$what: no sanitizer report in the monitor's log" "$san" ""
    [ $tap_failed -eq "$f0" ] || log_of "$d" | tail -n 12 | sed 's/^/#   /'
    rm -f "/scratch/$d.img"
}

i=0
for type in pvh hvm; do
    for point in $POINTS; do
        i=$((i + 1))
        failed_before=$tap_failed
        one "$type" "$point" "$i"
        [ $tap_failed -eq "$failed_before" ] || cleanup_guest "$N-$type-$i"
    done
done

left=$(xlref list | awk -v n=$N 'index($1, n) == 1 {print $1}')
is "no domain of this test left" "$left" ""
done_testing
