#!/bin/sh
# Creates each kind of test guest paused and destroys it, $REPEAT times:
# timings of create and destroy (figures), and nothing left afterwards.
. "$(dirname "$0")/../lib.sh"

REPEAT=${REPEAT:-1}
mkdir -p "$OUT"
rm -f "$OUT/figures"

# secs CMD...: runs CMD, prints its wall time in seconds; status of CMD.
secs() {
    t0=$(now)
    "$@" > "$OUT/cmd.log" 2>&1
    rc=$?
    t1=$(now)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
    return $rc
}

for type in hvm pvh; do
    name=th-cd-$type
    cfg=$GUESTS/$type-kexec.cfg
    i=1
    while [ "$i" -le "$REPEAT" ]; do
        $XL_OBS domid "$name" >/dev/null 2>&1 && $XL_OBS destroy "$name"
        disk=
        [ "$type" = hvm ] && disk=$(kernel_disk)
        if t=$(secs "$XL" create -p "$cfg" "name=\"$name\"" $disk \
            "serial=\"file:$CONSOLE_DIR/$name-serial.log\""); then
            ok "$type: $XL create -p in $t s"
            figure "${type}_create" "$t"
        else
            not_ok "$type: $XL create -p" "$(tail -n 5 "$OUT/cmd.log")"
            keep_logs
            i=$((i + 1))
            continue
        fi
        d=$(domid_of "$name")
        vm=$(xenstore-read "/local/domain/$d/vm" 2>/dev/null)
        state=$($XL_OBS list "$name" 2>/dev/null | awk 'NR == 2 { print $5 }')
        case $state in *p*) ok "$type: domain $d is paused ($state)" ;;
        *) not_ok "$type: domain $d is paused" "state: '$state'" ;; esac
        if t=$(secs "$XL" destroy "$name"); then
            ok "$type: $XL destroy in $t s"
            figure "${type}_destroy" "$t"
        else
            not_ok "$type: $XL destroy" "$(tail -n 5 "$OUT/cmd.log")"
        fi
        sleep 1
        no_leftovers "$d" "${vm#/vm/}" "$name"
        mon=$(ps -o pid,args | grep -a "create.*$name" | grep -v grep)
        if [ -z "$mon" ]; then ok "$type: no xl monitor of $name left"
        else not_ok "$type: no xl monitor of $name left" "$mon"; fi
        i=$((i + 1))
    done
done
[ "$tap_failed" -eq 0 ] || keep_logs
done_testing
