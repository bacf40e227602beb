#!/bin/bash
# xl create and its monitor on real Xen, with the freestanding PVH probe
# (tools/tests/guests), which powers off at once with count=0 and asks
# for a soft reset with count=1: every on_poweroff action, the soft
# reset's "not yet" error, -F, -e, -p, -c, the log in
# /var/log/xen/xl-NAME.log with upstream's lines.
. "$(dirname "$0")/../lib.sh"

N=hxl-c$$
LOGDIR=/var/log/xen
trap 'for d in $(xlref list | awk "NR>1 && /^$N/ {print \$2}"); do
          xlref destroy $d; done 2>/dev/null' EXIT

log_of() { cat "$LOGDIR/xl-$1.log" 2>/dev/null; }
# wait_log NAME REGEX SECS: until the monitor's log has a line matching
wait_log() {
    local i=0
    while [ $i -lt $(($3 * 10)) ]; do
        log_of "$1" | grep -Eq "$2" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
has_log() { # has_log DESC NAME REGEX [SECS]
    if wait_log "$2" "$3" "${4:-30}"; then ok "$1"; else
        not_ok "$1" "no line matching /$3/ in $LOGDIR/xl-$2.log:"
        log_of "$2" | sed 's/^/#     /'
    fi
}
# destroys every domain called exactly NAME until none is left (a
# restarting monitor may bring it back once more)
kill_all() {
    local i=0 id
    while [ $i -lt 50 ]; do
        id=$(xlref domid "$1" 2>/dev/null) || return 0
        xlref destroy "$id" 2>/dev/null
        sleep 0.2
        i=$((i + 1))
    done
    return 1
}

# on_poweroff = destroy: the monitor destroys the domain and exits.
d=$N-destroy
cfg=$(probe_cfg $d 'cmdline = "count=0"' 'on_poweroff = "destroy"')
check "create ($d), monitor in the background" xl create -q "$cfg"
has_log "destroy: shut down with reason 0, upstream's line" $d \
    "^Domain [0-9]+ has shut down, reason code 0 0x0$"
has_log "destroy: the action is logged as upstream" $d \
    "^Action for shutdown reason code 0 is destroy$"
has_log "destroy: the monitor exits" $d "^Done. Exiting now$"
wait_gone $d 10 && ok "destroy: the domain is gone" \
    || not_ok "destroy: the domain is gone"

# preserve: left shut down.
d=$N-preserve
cfg=$(probe_cfg $d 'cmdline = "count=0"' 'on_poweroff = "preserve"')
check "create ($d)" xl create -q "$cfg"
has_log "preserve: the action" $d \
    "^Action for shutdown reason code 0 is preserve$"
has_log "preserve: the monitor exits" $d "^Done. Exiting now$"
wait_state $d s 5 && ok "preserve: the domain stays, shut down" \
    || not_ok "preserve: the domain stays, shut down"
kill_all $d

# restart: destroyed and created again, with a new domid, no sleep.
d=$N-restart
cfg=$(probe_cfg $d 'cmdline = "count=0"' 'on_poweroff = "restart"')
check "create ($d)" xl create -q "$cfg"
has_log "restart: the action" $d \
    "^Action for shutdown reason code 0 is restart$"
has_log "restart: the old domain is destroyed" $d \
    "^Domain [0-9]+ needs to be cleaned up: destroying the domain$"
has_log "restart: rebooting" $d "^Done. Rebooting now$"
# Two "Waiting for" lines with different domids: a new domain each time.
if wait_log $d "Waiting for domain $d \\(domid [0-9]+\\)" 30 &&
   [ "$(log_of $d | grep -Eo 'domid [0-9]+' | sort -u | wc -l)" -ge 2 ]; then
    ok "restart: a new domain, with a new domid"
else
    not_ok "restart: a new domain, with a new domid" "$(log_of $d)"
fi
kill_all $d && ok "restart: stopped by destroying it" \
    || not_ok "restart: stopped by destroying it"
has_log "restart: the monitor sees it destroyed and exits" $d \
    "has been destroyed|Exiting now"

# rename-restart: the old one stays as NAME-<time>, a new one starts.
d=$N-rr
cfg=$(probe_cfg $d 'cmdline = "count=0"' 'on_poweroff = "rename-restart"')
check "create ($d)" xl create -q "$cfg"
has_log "rename-restart: the old domain is renamed" $d \
    "^Preserving domain [0-9]+ $d with suffix-[0-9]{8}T[0-9]{4}Z$"
sleep 1
if xlref list | grep -Eq "^$d-[0-9]{8}T[0-9]{4}Z "; then
    ok "rename-restart: the old domain is there under its new name"
else
    not_ok "rename-restart: the old domain is there under its new name" \
        "$(xlref list)"
fi
for old in $(xlref list | awk "/^$d-/ {print \$2}"); do xlref destroy $old; done
kill_all $d
for old in $(xlref list | awk "/^$d-/ {print \$2}"); do xlref destroy $old; done

# coredump-destroy: the dump is attempted (or said impossible), then
# destroy.
d=$N-cd
cfg=$(probe_cfg $d 'cmdline = "count=0"' 'on_poweroff = "coredump-destroy"')
check "create ($d)" xl create -q "$cfg"
has_log "coredump-destroy: the action" $d \
    "^Action for shutdown reason code 0 is coredump-destroy$"
has_log "coredump-destroy: the dump" $d \
    "^dumping core to /var/lib/xen/dump/$d$|^core dump failed"
has_log "coredump-destroy: destroyed" $d "needs to be cleaned up"
wait_gone $d 10 && ok "coredump-destroy: gone" \
    || not_ok "coredump-destroy: gone"
rm -f /var/lib/xen/dump/$d

# soft reset: not implemented yet: one clear line, domain left paused.
d=$N-sr
cfg=$(probe_cfg $d 'cmdline = "count=1"' 'on_soft_reset = "soft-reset"')
check "create ($d)" xl create -q "$cfg"
has_log "soft reset: reason 5" $d \
    "^Domain [0-9]+ has shut down, reason code 5 0x5$"
has_log "soft reset: the not-yet error" $d \
    "soft reset is not implemented yet; the domain is left paused/preserved"
wait_state $d p 5 && ok "soft reset: the domain is still there, paused" \
    || not_ok "soft reset: the domain is still there, paused" \
        "$(xlref list $d 2>&1)"
kill_all $d

# -F: the monitor in the foreground, logging to stderr.
d=$N-fg
cfg=$(probe_cfg $d 'cmdline = "count=0"' 'on_poweroff = "destroy"')
timeout 60 env XL_GLOBAL_CONFIG=$SCRATCH/xl.conf "$XL" create -q -F "$cfg" \
    > "$SCRATCH/fg.out" 2> "$SCRATCH/fg.err"
is "create -F: returns once the domain is gone (exit 0)" "$?" 0
grep -q "Action for shutdown reason code 0 is destroy" "$SCRATCH/fg.err" \
    && ok "create -F: logs on stderr" \
    || not_ok "create -F: logs on stderr" "$(cat "$SCRATCH/fg.err")"
[ ! -e "$LOGDIR/xl-$d.log" ] && ok "create -F: no log file" \
    || not_ok "create -F: no log file"

# -e: no monitor; the guest stays shut down.
d=$N-e
cfg=$(probe_cfg $d 'cmdline = "count=0"' 'on_poweroff = "destroy"')
check "create -e" xl create -q -e "$cfg"
wait_state $d s 30 && ok "create -e: nobody destroys it" \
    || not_ok "create -e: nobody destroys it" "$(xlref list $d 2>&1)"
kill_all $d

# -p: paused until unpaused.
d=$N-p
cfg=$(probe_cfg $d 'cmdline = "count=0"' 'on_poweroff = "destroy"')
check "create -p" xl create -q -p "$cfg"
wait_state $d p 5 && ok "create -p: paused" || not_ok "create -p: paused"
check "unpause" xl unpause $d
wait_gone $d 30 && ok "create -p: runs once unpaused, then powers off" \
    || not_ok "create -p: runs once unpaused, then powers off"

# -c: the console, until the domain goes.
d=$N-c
cfg=$(probe_cfg $d 'cmdline = "count=0"' 'on_poweroff = "destroy"')
timeout 60 env XL_GLOBAL_CONFIG=$SCRATCH/xl.conf "$XL" create -q -c "$cfg" \
    < /dev/null > "$SCRATCH/c.out" 2> "$SCRATCH/c.err"
is "create -c: returns when the console goes (exit 0)" "$?" 0
grep -q "PROBE" "$SCRATCH/c.out" && ok "create -c: the guest's output" \
    || not_ok "create -c: the guest's output" "$(head -c 600 "$SCRATCH/c.out")" \
        "$(cat "$SCRATCH/c.err")"

# KEY=VALUE overrides the file.
d=$N-kv
cfg=$(probe_cfg $d 'cmdline = "count=0"' 'on_poweroff = "destroy"')
check "create with KEY=VALUE" xl create -q -e "$cfg" 'on_poweroff="preserve"' \
    "name=\"$d-x\""
xlref domid $d-x > /dev/null 2>&1 && ok "KEY=VALUE: the name given wins" \
    || not_ok "KEY=VALUE: the name given wins" "$(xlref list)"
kill_all $d-x

rm -f $LOGDIR/xl-$N-*.log*
done_testing
