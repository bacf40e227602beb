#!/bin/bash
# Our xl's commands on domains created by Debian's xl (upstream libxl
# 4.17), with the output compared to that xl's where upstream's format
# is the reference: list (plain, -v, -l, NAME), domid, domname, uptime,
# info; then pause, unpause, rename, destroy, observed with the
# reference xl and in xenstore.
. "$(dirname "$0")/../lib.sh"

A=hxl-a-$$   # shut down (powered off, preserved)
B=hxl-b-$$   # created paused (then unpaused: powers off, preserved)
trap 'cleanup_guest $A; cleanup_guest $B' EXIT

cfg=$(probe_cfg $A 'cmdline = "count=0"' 'on_poweroff = "preserve"')
check "reference xl creates $A" xlref create -q "$cfg"
cfg=$(probe_cfg $B 'cmdline = "count=0"' 'on_poweroff = "preserve"')
check "reference xl creates $B paused" xlref create -q -p "$cfg"
wait_state $A s 30 || not_ok "$A shuts down (preserved)"
ida=$(xlref domid $A)
idb=$(xlref domid $B)

# list: our xl sees what the reference sees, column for column.
xlref list | untime > "$SCRATCH/want"
xl list | untime > "$SCRATCH/got"
same "list" "$SCRATCH/got" "$SCRATCH/want"
grep -q "^$A .* ---s-- *\$" "$SCRATCH/got" \
    && ok "list: $A is shut down (s)" \
    || not_ok "list: $A is shut down (s)" "$(grep "^$A" "$SCRATCH/got")"
grep -q "^$B .*--p---" "$SCRATCH/got" \
    && ok "list: $B is paused (p)" \
    || not_ok "list: $B is paused (p)" "$(grep "^$B" "$SCRATCH/got")"
xlref list -v | untime > "$SCRATCH/want"
xl list -v | untime > "$SCRATCH/got"
# -v lines end with the label after the time: drop the time inside.
sed -Ei 's/ +[0-9]+\.[0-9] ([0-9a-f-]{36})/ \1/' "$SCRATCH/want" "$SCRATCH/got"
same "list -v" "$SCRATCH/got" "$SCRATCH/want"
xlref list $A $B 2>&1 | untime > "$SCRATCH/want" || true
xlref list $A | untime > "$SCRATCH/want"
xl list $A | untime > "$SCRATCH/got"
same "list NAME" "$SCRATCH/got" "$SCRATCH/want"
xl list $ida | untime > "$SCRATCH/got"
same "list DOMID" "$SCRATCH/got" "$SCRATCH/want"
xl list nosuchdomain-$$ > /dev/null 2> "$SCRATCH/err"
st=$?
is "list of a missing domain: exit 1" "$st" 1
xlref list nosuchdomain-$$ > /dev/null 2> "$SCRATCH/want" || true
same "list of a missing domain: the reference's message" "$SCRATCH/err" \
    "$SCRATCH/want"

# list -l: the configurations upstream's libxl stored, as it prints them.
xlref list -l > "$SCRATCH/want"
xl list -l > "$SCRATCH/got"
same "list -l" "$SCRATCH/got" "$SCRATCH/want"
xlref list -l $A > "$SCRATCH/want"
xl list -l $A > "$SCRATCH/got"
same "list -l NAME" "$SCRATCH/got" "$SCRATCH/want"

# domid, domname
is "domid NAME" "$(xl domid $A)" "$ida"
is "domname ID" "$(xl domname $idb)" "$B"
xl domid nosuch-$$ > /dev/null 2> "$SCRATCH/got"; st=$?
xlref domid nosuch-$$ > /dev/null 2> "$SCRATCH/want"
is "domid of a missing name: exit 1" "$st" 1
same "domid of a missing name: the reference's message" "$SCRATCH/got" \
    "$SCRATCH/want"
xl domname 32000 > /dev/null 2> "$SCRATCH/got"; st=$?
xlref domname 32000 > /dev/null 2> "$SCRATCH/want"
is "domname of a missing id: exit 1" "$st" 1
same "domname of a missing id: the reference's message" "$SCRATCH/got" \
    "$SCRATCH/want"
xl domname abc > /dev/null 2>&1; is "domname abc: exit 1" "$?" 1

# uptime: names and ids as the reference (times move on).
check "uptime: exit 0" xl uptime
xlref uptime | awk '{print $1, $2}' > "$SCRATCH/want"
xl uptime | awk '{print $1, $2}' > "$SCRATCH/got"
same "uptime: the rows" "$SCRATCH/got" "$SCRATCH/want"
xlref uptime -s $A | sed -E 's/^ [0-9:]+ up +[0-9:]+,//' > "$SCRATCH/want"
xl uptime -s $A | sed -E 's/^ [0-9:]+ up +[0-9:]+,//' > "$SCRATCH/got"
same "uptime -s NAME" "$SCRATCH/got" "$SCRATCH/want"

# info: every line but those that move (free memory, measured MHz;
# with -n also each NUMA node's free memory); the values must still be
# numbers of the same kind, and close to the reference's.
moving() {
    sed -E -e 's/^(free_memory +: )[0-9]+$/\1N/' \
        -e 's/^(cpu_mhz +: )[0-9]+\.[0-9]{3}$/\1N/' \
        -e '/^numa_info/,/^xen_major/s/^( +[0-9]+: +[0-9]+ +)[0-9]+( +[0-9,]+)$/\1N\2/'
}
check "info: exit 0" xl info
xlref info | moving > "$SCRATCH/want"
xl info | moving > "$SCRATCH/got"
same "info" "$SCRATCH/got" "$SCRATCH/want"
xlref info -n | moving > "$SCRATCH/want"
xl info -n | moving > "$SCRATCH/got"
same "info -n (CPU, PCI and NUMA topology)" "$SCRATCH/got" \
    "$SCRATCH/want"
xl info --numa | moving > "$SCRATCH/got"
same "info --numa" "$SCRATCH/got" "$SCRATCH/want"
grep -q '^cpu_topology' "$SCRATCH/got" \
    && ok "info -n: the topology is there" \
    || not_ok "info -n: the topology is there"
for k in xen_version virt_caps hw_caps xen_ nr_ total_memory \
         build_id xend nosuchkey; do
    is "info $k" "$(xl info $k)" "$(xlref info $k)"
done
# free_memory moves: ours within 64 MiB of the reference's
fa=$(xl info free_memory); fb=$(xlref info free_memory)
d=$((fa - fb)); [ $d -lt 0 ] && d=$((-d))
[ "$d" -le 64 ] && ok "info free_memory ($fa, reference $fb)" \
    || not_ok "info free_memory" "ours $fa, reference $fb"

# pause / unpause, seen by the reference.
check "unpause $B" xl unpause $B
st=$(xlref list $B | awk 'NR==2 {print $5}')
case "$st" in *p*|'') not_ok "unpause: no longer paused" "$st" ;;
              *) ok "unpause: no longer paused ($st)" ;; esac
check "pause $B" xl pause $B
st=$(xlref list $B | awk 'NR==2 {print $5}')
case "$st" in *p*) ok "pause: paused ($st)" ;;
              *) not_ok "pause: paused" "$st" ;; esac
xl pause nosuch-$$ > /dev/null 2>&1; is "pause of a missing domain: exit 1" "$?" 1

# rename, seen by the reference; a taken name is refused.
check "rename $A" xl rename $A $A-new
is "rename: the reference finds the new name" "$(xlref domid $A-new)" "$ida"
xl rename $A-new $B > /dev/null 2>&1
is "rename to a name in use: exit 1" "$?" 1
is "rename to a name in use: unchanged" "$(xlref domid $A-new)" "$ida"
check "rename back" xl rename $A-new $A

# destroy: gone from Xen and from xenstore.
uuid=$(xenstore-read /local/domain/$ida/vm 2>/dev/null)
check "destroy $A" xl destroy $A
wait_gone $A 10 && ok "destroy: $A is gone" || not_ok "destroy: $A is gone"
xenstore-exists /local/domain/$ida 2>/dev/null \
    && not_ok "destroy: /local/domain/$ida removed" \
    || ok "destroy: /local/domain/$ida removed"
if [ -n "$uuid" ]; then
    xenstore-exists "$uuid" 2>/dev/null \
        && not_ok "destroy: $uuid removed" || ok "destroy: $uuid removed"
fi
xenstore-exists /libxl/$ida 2>/dev/null \
    && not_ok "destroy: /libxl/$ida removed" || ok "destroy: /libxl/$ida removed"
check "destroy $B by id" xl destroy $idb
wait_gone $B 10 && ok "destroy: $B is gone" || not_ok "destroy: $B is gone"
# Both domids rest in upstream's domid history (our rewrite of the file
# keeps the entry of the first destroy).
hist=/var/run/xen/domid-history
grep -q "^[0-9]* $ida\$" $hist && grep -q "^[0-9]* $idb\$" $hist \
    && ok "destroy: domids $ida and $idb in $hist" \
    || not_ok "destroy: domids $ida and $idb in $hist" "$(cat $hist 2>&1)"
xl destroy 0 > /dev/null 2>&1; is "destroy 0 without -f: refused" "$?" 1
xl destroy nosuch-$$ > /dev/null 2>&1
is "destroy of a missing domain: exit 1" "$?" 1

# domid_policy="random" (xl.conf): the domid is drawn, not the
# hypervisor's next one; a recently destroyed domid is never reused.
C=hxl-c-$$
trap 'cleanup_guest $A; cleanup_guest $B; cleanup_guest $C' EXIT
echo 'domid_policy="random"' > "$SCRATCH/xl-random.conf"
cfg=$(probe_cfg $C 'cmdline = "count=0"')
ids=
for i in 1 2; do
    if XL_GLOBAL_CONFIG=$SCRATCH/xl-random.conf "$XL" create -q -p "$cfg"
    then
        ids="$ids $(xlref domid $C)"
        xl destroy $C
    fi
done
set -- $ids
if [ $# -eq 2 ]; then
    ok "domid_policy=random: two domains created ($1, $2)"
    # Xen's own pick is the next id after the last: both random draws
    # landing on exactly those has a chance of 1 in 10^9.
    [ "$1" -ne $((idb + 1)) ] || [ "$2" -ne $((idb + 2)) ] \
        && ok "domid_policy=random: ids are not the hypervisor's sequence" \
        || not_ok "domid_policy=random: ids are not the hypervisor's" \
                  "sequence" "$idb then $1 $2"
    [ "$1" != "$ida" ] && [ "$1" != "$idb" ] && [ "$2" != "$ida" ] \
        && [ "$2" != "$idb" ] && [ "$2" != "$1" ] \
        && ok "domid_policy=random: no recently destroyed id reused" \
        || not_ok "domid_policy=random: no recently destroyed id reused" \
                  "$ida $idb then $1 $2"
else
    not_ok "domid_policy=random: two domains created" "got: $ids"
fi

done_testing
