#!/bin/bash
# Runs in dom0 of the test host (tools/testhost): our libxl's runtime
# against real Xen, on PVH probe guests created by Debian's xl (upstream
# libxl 4.17).  TAP on stdout.
#
# RT_LIB: a directory with the libxenlight.so to use instead of the
# tree's (LD_LIBRARY_PATH), to test a known build.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
CHECK="$HERE/libxl-runtime-check"
# only the checker gets RT_LIB (upstream's xl must keep its own library)
[ -n "${RT_LIB:-}" ] && CHECK="env LD_LIBRARY_PATH=$RT_LIB $CHECK"
GUEST="$ROOT/tools/tests/guests/pvh-probe.elf"
CFG="$ROOT/tools/tests/guests/pvh-probe.cfg"
OUT=$(mktemp -d /tmp/host-libxl.XXXXXX)

n=0 fails=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }
note() { sed 's/^/# /' "$@"; }

# xl-upstream create of the probe, paused; prints the domid.
create() {
    local name=$1; shift
    xl-upstream create -p "$CFG" "kernel=\"$GUEST\"" "name=\"$name\"" \
        "$@" >"$OUT/create-$name.log" 2>&1 || { note "$OUT/create-$name.log"; return 1; }
    local d
    d=$(xl-upstream domid "$name") || return 1
    case $d in ''|*[!0-9]*) return 1;; esac
    echo "$d"
}

now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

# xenstore paths, sorted
nodes() { xenstore-ls -f / 2>/dev/null | sed 's/ = .*//' | sort; }

# What of domid $1 (uuid $2) is left in xenstore; nothing is success.
leftovers() {
    local d=$1 u=$2 left=""
    xenstore-read "/local/domain/$d/name" >/dev/null 2>&1 && left="$left /local/domain/$d"
    xenstore-read "/libxl/$d" >/dev/null 2>&1 && left="$left /libxl/$d"
    xenstore-read "/vm/$u" >/dev/null 2>&1 && left="$left /vm/$u"
    ls /var/lib/xen/userdata-?."$d".* >/dev/null 2>&1 && left="$left userdata"
    [ -z "$left" ] || echo "# left:$left"
    [ -z "$left" ]
}

uuid_of() { $CHECK info "$1" | sed -n 's/.* uuid=\([^ ]*\) .*/\1/p'; }

echo "TAP version 13"
nodes >"$OUT/nodes-before"

# --- list and info ---
$CHECK list >"$OUT/list" 2>&1
check "list: dom0 is Domain-0, pv, running" grep -qx "0 Domain-0 pv running" "$OUT/list"
$CHECK info 0 >"$OUT/info0" 2>&1
check "info 0: domid 0" grep -q "^domid=0 " "$OUT/info0"
$CHECK info 999 >/dev/null 2>&1
check "info of no domain: ERROR_DOMAIN_NOTFOUND (21)" [ $? = 21 ]
sched=$($CHECK sched)
check "scheduler: $sched, as xl-upstream info says" \
    [ "$sched" = "$(xl-upstream info | sed -n 's/^xen_scheduler *: *//p')" ]

# --- poweroff seen by our watcher; our destroy of upstream's domain ---
d=$(create rt-poweroff 'cmdline="count=0"' 'on_poweroff="preserve"')
if [ -n "$d" ]; then
    u=$(uuid_of "$d")
    st=$($CHECK start "$d")
    check "start time ($st) within a minute of now" \
        [ $(( $(date +%s) - ${st:-0} )) -ge 0 -a $(( $(date +%s) - ${st:-0} )) -lt 60 ]
    $CHECK list >"$OUT/list2"
    # dominfo says hvm for PVH, as upstream's
    check "list: the new domain is an HVM container, paused" grep -qx "$d rt-poweroff hvm paused" "$OUT/list2"
    $CHECK watch "$d" 60 >"$OUT/watch-$d" 2>&1 &
    wpid=$!
    for _ in $(seq 50); do grep -q WATCHING "$OUT/watch-$d" && break; sleep 0.1; done
    $CHECK unpause "$d"
    check "our unpause" [ $? = 0 ]
    # the probe powers off; upstream's monitor preserves it
    for _ in $(seq 300); do grep -q SHUTDOWN "$OUT/watch-$d" && break; sleep 0.1; done
    $CHECK info "$d" >"$OUT/info-$d"
    check "info: shut down" grep -q "state=shutdown" "$OUT/info-$d"
    $CHECK rename "$d" rt-poweroff rt-renamed
    check "our rename of upstream's domain" [ "$(xenstore-read /local/domain/$d/name)" = rt-renamed ]
    check "rename updates /vm/UUID/name" [ "$(xenstore-read /vm/$u/name 2>/dev/null)" = rt-renamed ]
    check "upstream xl sees the new name" [ "$(xl-upstream domname "$d")" = rt-renamed ]
    $CHECK rename "$d" wrong-old x >/dev/null 2>&1
    check "rename with a wrong old name is refused" [ $? != 0 -a "$(xenstore-read /local/domain/$d/name)" = rt-renamed ]
    $CHECK config "$d" >"$OUT/config-$d" 2>&1
    check "retrieve_domain_configuration reads upstream's stored JSON" grep -qx "name=rt-renamed" "$OUT/config-$d"
    $CHECK destroy "$d"
    check "our destroy of upstream's domain" [ $? = 0 ]
    wait "$wpid"
    note "$OUT/watch-$d"
    check "events: SHUTDOWN poweroff then DEATH, once each" \
        [ "$(grep -v WATCHING "$OUT/watch-$d" | tr '\n' ' ')" = "SHUTDOWN poweroff DEATH " ]
    $CHECK info "$d" >/dev/null 2>&1
    check "the domain is gone" [ $? = 21 ]
    check "nothing of it left in xenstore or userdata" leftovers "$d" "$u"
    $CHECK destroy "$d" 2>/dev/null
    check "destroy again: ERROR_DOMAIN_NOTFOUND" [ $? = 21 ]
else
    not_ok "upstream xl create (poweroff probe)"
fi

# --- a triple fault (Xen reports it as a reboot); upstream's monitor
# destroys the domain (on_reboot); event_wait sees SHUTDOWN, DEATH ---
d=$(create rt-crash 'cmdline="count=0 mode=crash at=0"' 'on_reboot="destroy"')
if [ -n "$d" ]; then
    $CHECK wait "$d" 90 >"$OUT/wait-$d" 2>&1 &
    wpid=$!
    for _ in $(seq 50); do grep -q WATCHING "$OUT/wait-$d" && break; sleep 0.1; done
    xl-upstream unpause "$d"
    wait "$wpid"
    note "$OUT/wait-$d"
    check "event_wait: SHUTDOWN reboot (triple fault) then DEATH (upstream destroyed it)" \
        [ "$(grep -v WATCHING "$OUT/wait-$d" | tr '\n' ' ')" = "SHUTDOWN reboot DEATH " ]
else
    not_ok "upstream xl create (crash probe)"
fi

# --- soft reset reason; pause/unpause; async destroy ---
d=$(create rt-softreset 'cmdline="count=1"' 'on_soft_reset="preserve"')
if [ -n "$d" ]; then
    u=$(uuid_of "$d")
    $CHECK watch "$d" 60 >"$OUT/watch-$d" 2>&1 &
    wpid=$!
    for _ in $(seq 50); do grep -q WATCHING "$OUT/watch-$d" && break; sleep 0.1; done
    $CHECK unpause "$d"
    for _ in $(seq 300); do grep -q SHUTDOWN "$OUT/watch-$d" && break; sleep 0.1; done
    check "SHUTDOWN with reason soft_reset" grep -qx "SHUTDOWN soft_reset" "$OUT/watch-$d"
    $CHECK pause "$d"
    check "our pause" [ $? = 0 ]
    $CHECK destroy-async "$d" >"$OUT/async-$d" 2>&1
    note "$OUT/async-$d"
    check "async destroy: completion after the call returned, rc 0" \
        [ "$(tr '\n' ' ' <"$OUT/async-$d")" = "returned, completed=no completed rc=0 " ]
    wait "$wpid"
    check "events: SHUTDOWN soft_reset then DEATH" \
        [ "$(grep -v WATCHING "$OUT/watch-$d" | tr '\n' ' ')" = "SHUTDOWN soft_reset DEATH " ]
    check "nothing of it left" leftovers "$d" "$u"
else
    not_ok "upstream xl create (soft reset probe)"
fi

# --- two toolstack processes on one domain: the lock is upstream's ---
# hold-lock.so (LD_PRELOAD) keeps a domain userdata lock a toolstack
# takes for HOLD_LOCK_MS more, writing its path to HOLD_LOCK_MARK: a real
# operation of either xl that holds the lock while the other one acts.
HOLD="$HERE/hold-lock.so"
XL="$ROOT/tools/xl/xl"
lockfile() { echo "/var/lib/xen/userdata-l.$1.$2.domain-userdata-lock"; }
# the kind of lock held on file $1 (FLOCK, POSIX, OFDLCK), from /proc/locks
lock_kind() {
    local ino
    ino=$(stat -c %i "$1" 2>/dev/null) || return 1
    awk -v i=":$ino" '$6 ~ i "$" { print $2 }' /proc/locks | head -1
}
# runs CMD ARGS... in the background with the shim (pid in hpid) and
# returns once it holds a domain lock (its path in held_path)
hold() {
    local mark="$OUT/mark-$RANDOM"
    LD_PRELOAD="$HOLD" HOLD_LOCK_MARK="$mark" HOLD_LOCK_MS=$HOLD_MS "$@" \
        >"$OUT/hold.log" 2>&1 &
    hpid=$!
    for _ in $(seq 100); do [ -s "$mark" ] && break; sleep 0.1; done
    held_path=$(head -1 "$mark" 2>/dev/null)
}
# nothing of domid $1's lock, in upstream's place or our old one
no_lock_file() {
    ! ls /var/lib/xen/userdata-l."$1".* >/dev/null 2>&1 &&
        ! ls /run/xen/libxl/domain-"$1".lock >/dev/null 2>&1
}
HOLD_MS=5000   # so that the waits below last >= 2 s even on a slow dom0
d=$(create rt-lock 'cmdline="count=0"')
if [ -n "$d" ]; then
    u=$(uuid_of "$d")
    # upstream's xl (mem-set) holds the lock: which file, which kind
    hold xl-upstream mem-set "$d" 32m
    check "upstream holds its lock on $(lockfile "$d" "$u")" \
        [ "$held_path" = "$(lockfile "$d" "$u")" ]
    kind=$(lock_kind "$held_path")
    check "upstream's lock is a flock (/proc/locks: ${kind:-none})" \
        [ "$kind" = FLOCK ]
    t0=$(now_ms)
    "$XL" pause "$d" >"$OUT/pause.log" 2>&1
    rc=$? t1=$(now_ms)
    wait "$hpid"
    check "our xl pause waited for upstream's holder ($((t1 - t0)) ms) and succeeded" \
        [ $rc = 0 -a $((t1 - t0)) -ge 2000 ]
    check "no lock file once both are done" no_lock_file "$d"

    # ours (xl pause) holds it: upstream's xl waits
    hold "$XL" unpause "$d"
    check "ours holds upstream's lock file" \
        [ "$held_path" = "$(lockfile "$d" "$u")" ]
    kind=$(lock_kind "$held_path")
    check "ours is a flock too (/proc/locks: ${kind:-none})" \
        [ "$kind" = FLOCK ]
    t0=$(now_ms)
    xl-upstream mem-set "$d" 32m >"$OUT/memset.log" 2>&1
    rc=$? t1=$(now_ms)
    wait "$hpid"
    check "upstream's xl mem-set waited for our holder ($((t1 - t0)) ms) and succeeded" \
        [ $rc = 0 -a $((t1 - t0)) -ge 2000 ]
    check "no lock file once both are done" no_lock_file "$d"

    # flock(1), as upstream locks, on upstream's path: our destroy waits
    flock -x "$(lockfile "$d" "$u")" sleep 3 &
    fpid=$!
    sleep 0.5
    t0=$(now_ms)
    $CHECK destroy "$d"
    rc=$? t1=$(now_ms)
    wait "$fpid"
    check "destroy waited for the other holder ($((t1 - t0)) ms) and succeeded" \
        [ $rc = 0 -a $((t1 - t0)) -ge 2000 ]
    check "nothing of it left" leftovers "$d" "$u"
    check "no lock file left" no_lock_file "$d"
else
    not_ok "upstream xl create (lock probe)"
fi

# a domain that does not exist: an error that says so, no lock file
$CHECK pause 999 >/dev/null 2>&1
rc=$?
check "pause of no domain: ERROR_DOMAIN_NOTFOUND (21)" [ $rc = 21 ]
check "and no lock file made for it" no_lock_file 999

# --- each xl destroys each xl's domain: no lock file stays ---
for pair in "xl-upstream $XL" "$XL xl-upstream" "$XL $XL" \
            "xl-upstream xl-upstream"; do
    set -- $pair
    maker=$1 killer=$2
    mname=ours; [ "$maker" = xl-upstream ] && mname=upstream
    kname=ours; [ "$killer" = xl-upstream ] && kname=upstream
    name="rt-x-$mname-$kname"
    "$maker" create -p "$CFG" "kernel=\"$GUEST\"" "name=\"$name\"" \
        'cmdline="count=0"' >"$OUT/create-$name.log" 2>&1
    d=$(xl-upstream domid "$name" 2>/dev/null)
    if [ -z "$d" ]; then
        note "$OUT/create-$name.log"
        not_ok "$mname xl create ($name)"
        continue
    fi
    u=$(uuid_of "$d")
    # an operation of the other xl on it first (takes and drops the lock)
    if [ "$killer" = xl-upstream ]; then
        xl-upstream mem-set "$d" 32m
    else
        "$XL" pause "$d"
    fi
    "$killer" destroy "$d" >"$OUT/destroy-$name.log" 2>&1
    rc=$?
    check "$kname xl destroys $mname xl's domain" [ $rc = 0 ]
    sleep 0.5
    check "nothing left of $name (xenstore, userdata)" leftovers "$d" "$u"
    check "no lock file of $name in /var/lib/xen or /run/xen/libxl" \
        no_lock_file "$d"
done

sleep 1
nodes >"$OUT/nodes-after"
# The shared parents that the first guest on a fresh host brings (/vm,
# /libxl, dom0's backend/ and backend/KIND) belong to no domain: upstream
# keeps them too. Anything below them that is new is a leak.
grep -vxF -f "$OUT/nodes-before" "$OUT/nodes-after" |
    grep -vxE '/vm|/libxl|/local/domain/0/backend(/[a-z0-9]+)?' \
    >"$OUT/nodes-new"
note "$OUT/nodes-new"
check "no xenstore node left that was not there before" [ ! -s "$OUT/nodes-new" ]
check "no domain left but dom0" [ "$(xl-upstream list | wc -l)" = 2 ]

echo "1..$n"
rm -rf "$OUT"
[ $fails = 0 ]
