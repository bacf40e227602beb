#!/bin/sh
# End-to-end tests of libxl_domain_create_new on real Xen; runs IN dom0
# of the test host (make check here runs it through `testhost run`).
# TAP on stdout.
#
# - PVH probe guest: created by ours (create-domain), unpaused, runs
#   (its PROBE lines in `xl dmesg` show it reached xenstore through the
#   ring and event channel we set up), its xenstore tree equals the one
#   upstream's xl makes for the same config (after normalising domid,
#   uuid, tty, start time and name), and destroy leaves nothing.
# - An injected failure at every create step (LIBXL_FAULT_INJECT) leaves
#   nothing: no domain, xenstore node, userdata or lock file.
# - PV (Debian's kernel) and HVM (hvmloader) domains are built, their
#   trees compared with upstream's, destroyed.
#
# Environment: BUILD (tree whose create-domain and libxenlight to use,
# default: this script's tree), PROBE (the PVH probe ELF), KEEP_OUT.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-$(cd "$HERE/../../.." && pwd)}
SRC=${SRC:-$BUILD}
CREATE=$BUILD/tools/tests/host-create/create-domain
PROBE=${PROBE:-$SRC/tools/tests/guests/pvh-probe.elf}
XLU=/usr/sbin/xl-upstream
OUT=${OUT:-/tmp/host-create.$$}
mkdir -p "$OUT"
# Every step of libxl_create.c's table, in order.
STEPS=${STEPS:-"domain-create lock xenstore-skeleton max-vcpus max-memory
event-channels arch-setup build rebind xenstore-domain introduce console
devices device-model console-wait store-config"}
TYPES=${TYPES:-"pv hvm"}

n=0; failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() {
    n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift
    for d in "$@"; do echo "#   $d"; done
}
check() { # check DESC CMD...: ok if CMD succeeds
    local desc=$1; shift
    if "$@" >"$OUT/check.out" 2>&1; then ok "$desc"
    else not_ok "$desc" "$(head -c 2000 "$OUT/check.out")"; fi
}

# What must be back to its state after a failed create or a destroy:
# domains, xenstore (the whole tree with permissions, minus volatile
# values), userdata and lock files.
snapshot() { # snapshot FILE
    # A destroyed domain lingers as "(null)" until xenconsoled and
    # xenstored let go of its pages: wait for it to go (20 s).
    local i=0
    while [ $i -lt 20 ] && $XLU list | grep -q '^(null)'; do
        sleep 1; i=$((i + 1))
    done
    {
        $XLU list | awk 'NR > 1 { print $1, $2 }'
        xenstore-ls -fp / | grep -v '^/local/domain/0/memory\|^/tool/' |
            sed 's/ = .*(/ (/'
        ls /var/lib/xen /var/lib/xen/userdata* /var/run/xen 2>/dev/null
        ls /var/lock 2>/dev/null
    } | sort >"$1"
}

# A domain's xenstore tree with what differs from domain to domain made
# neutral: the domid, the uuid, the name, the tty and the start time.
tree() { # tree DOMID NAME
    local td=$1 name=$2 vm uuid
    vm=$(xenstore-read /local/domain/$td/vm)
    uuid=${vm#/vm/}
    { xenstore-ls -fp /local/domain/$td; xenstore-ls -fp /libxl/$td
      xenstore-ls -fp /local/domain/0/backend/console/$td
      xenstore-ls -fp "$vm"; } 2>/dev/null |
    sed -e "s#/local/domain/$td/#/local/domain/D/#g" \
        -e "s#/local/domain/$td\"#/local/domain/D\"#g" \
        -e "s#/libxl/$td/#/libxl/D/#" \
        -e "s#backend/console/$td/#backend/console/D/#g" \
        -e "s#$uuid#UUID#g" -e "s#\"$name\"#\"NAME\"#" \
        -e "s#(n$td#(nD#; s#,r$td)#,rD)#; s#,r$td,#,rD,#" \
        -e "s#^\(/local/domain/D/domid = \)\"$td\"#\1\"D\"#" \
        -e "s#\"$td\"   (n0#\"D\"   (n0#" \
        -e 's#/dev/pts/[0-9]*#/dev/pts/N#' \
        -e 's#^\(/vm/UUID/start_time = \)"[0-9.]*"#\1"T"#' | sort
}

domid_of() { $XLU domid "$1" 2>/dev/null; }

destroy_upstream() { # by name, if it exists
    local dd
    dd=$(domid_of "$1") && [ -n "$dd" ] && $XLU destroy "$1" >/dev/null 2>&1
    true
}

# ---- PVH probe -------------------------------------------------------
cat >"$OUT/probe.cfg" <<CFG
name = "up-probe"
type = "pvh"
kernel = "$PROBE"
cmdline = "count=0"
memory = 32
vcpus = 1
CFG

destroy_upstream our-probe; destroy_upstream up-probe
snapshot "$OUT/before"

if d=$("$CREATE" -t pvh -k "$PROBE" -c count=0 -n our-probe -m 32 \
        2>"$OUT/create-pvh.err"); then
    ok "PVH probe created by ours (domid $d), console reported"
else
    not_ok "PVH probe created by ours" "$(tail -5 "$OUT/create-pvh.err")"
    d=
fi
if [ -n "$d" ]; then
    state=$($XLU list our-probe | awk 'NR == 2 { print $5 }')
    case $state in *p*) ok "left paused ($state), as upstream";;
        *) not_ok "left paused" "state $state";; esac
    tree "$d" our-probe >"$OUT/tree-ours-pvh"
    $XLU create -p "$OUT/probe.cfg" >/dev/null 2>&1
    ud=$(domid_of up-probe)
    tree "$ud" up-probe >"$OUT/tree-up-pvh"
    check "PVH xenstore tree equals upstream's (normalised)" \
        diff -u "$OUT/tree-up-pvh" "$OUT/tree-ours-pvh"
    $XLU destroy up-probe >/dev/null 2>&1

    $XLU unpause our-probe
    # The probe writes data/softreset-count through its xenstore ring
    i=0
    while [ $i -lt 120 ]; do
        [ -n "$(xenstore-read /local/domain/$d/data/softreset-count \
                2>/dev/null)" ] && break
        sleep 1; i=$((i + 1))
    done
    sleep 2
    $XLU dmesg | grep "(d$d) PROBE" >"$OUT/probe-pvh.log"
    check "PVH probe runs: reads its domid, watches and writes xenstore" \
        sh -c "grep -q 'PROBE xenstore domid=$d' $OUT/probe-pvh.log &&
               grep -q 'PROBE xenstore watch fired' $OUT/probe-pvh.log &&
               grep -q 'softreset-count = ' $OUT/probe-pvh.log"
    $XLU destroy our-probe
    snapshot "$OUT/after"
    check "destroy of our PVH domain leaves nothing" \
        diff -u "$OUT/before" "$OUT/after"
fi

# ---- ours end to end: create, unpause, libxl_domain_destroy -----------
snapshot "$OUT/before"
if "$CREATE" -t pvh -k "$PROBE" -c count=0 -n our-probe2 -m 32 -u -d \
        >/dev/null 2>"$OUT/create-destroy.err"; then
    snapshot "$OUT/after"
    check "PVH create, unpause and destroy, all ours, leave nothing" \
        diff -u "$OUT/before" "$OUT/after"
else
    not_ok "PVH create, unpause and destroy, all ours" \
        "$(tail -5 "$OUT/create-destroy.err")"
    destroy_upstream our-probe2
fi

# ---- injected failures ------------------------------------------------
for s in $STEPS; do
    snapshot "$OUT/before"
    if LIBXL_FAULT_INJECT=create:$s "$CREATE" -t pvh -k "$PROBE" \
            -c count=0 -n inject-probe -m 32 >/dev/null \
            2>"$OUT/inject-$s.err"; then
        not_ok "failure injected at $s: create fails"
        destroy_upstream inject-probe
        continue
    fi
    snapshot "$OUT/after"
    if ! grep -q "create step $s: injected failure" "$OUT/inject-$s.err"
    then
        not_ok "failure injected at $s: the error names the step" \
            "$(tail -3 "$OUT/inject-$s.err")"
    elif diff -u "$OUT/before" "$OUT/after" >"$OUT/inject-$s.diff"; then
        ok "failure injected at $s: create fails, names it, leaves nothing"
    else
        not_ok "failure injected at $s: leaves nothing" \
            "$(head -20 "$OUT/inject-$s.diff")"
        destroy_upstream inject-probe
    fi
done

# ---- PV and HVM: built, trees compared, destroyed ----------------------
kernel=${TESTHOST_GUEST_KERNEL:-}
for type in $TYPES; do
    if [ $type = pv ] && [ -z "$kernel" ]; then
        n=$((n + 1)); echo "ok $n - PV # SKIP no TESTHOST_GUEST_KERNEL"
        continue
    fi
    snapshot "$OUT/before"
    if [ $type = pv ]; then
        args="-t pv -k $kernel -c console=hvc0 -m 128"
        printf 'type="pv"\nkernel="%s"\ncmdline="console=hvc0"\n' \
            "$kernel" >"$OUT/$type.cfg"
    else
        args="-t hvm -m 128"
        printf 'type="hvm"\nvga="none"\nvnc=0\nnographic=1\n' \
            >"$OUT/$type.cfg"
    fi
    printf 'name="up-%s"\nmemory=128\nvcpus=1\n' $type >>"$OUT/$type.cfg"
    # shellcheck disable=SC2086
    if d=$("$CREATE" $args -n our-$type 2>"$OUT/create-$type.err"); then
        ok "$type domain created by ours (domid $d)"
        tree "$d" our-$type >"$OUT/tree-ours-$type"
        if $XLU create -p "$OUT/$type.cfg" >"$OUT/up-$type.out" 2>&1; then
            tree "$(domid_of up-$type)" up-$type >"$OUT/tree-up-$type"
            diff -u "$OUT/tree-up-$type" "$OUT/tree-ours-$type" \
                >"$OUT/tree-$type.diff"
            echo "# $type: xenstore differences from upstream (- up, + ours):"
            grep '^[-+][^-+]' "$OUT/tree-$type.diff" | sed 's/^/#   /'
            $XLU destroy up-$type
        fi
        $XLU destroy our-$type
        snapshot "$OUT/after"
        check "$type: destroy leaves nothing" \
            diff -u "$OUT/before" "$OUT/after"
    elif [ $type = hvm ] &&
         grep -q "create step device-model failed" "$OUT/create-$type.err"
    then
        # Built up to the device model, which is not there yet: the
        # unwinding of a fully built HVM domain is what we can check.
        n=$((n + 1))
        echo "not ok $n - hvm domain created by ours # TODO no device model yet"
        snapshot "$OUT/after"
        check "hvm: failed at the device model, leaves nothing" \
            diff -u "$OUT/before" "$OUT/after"
    else
        not_ok "$type domain created by ours" \
            "$(tail -5 "$OUT/create-$type.err")"
    fi
done

echo "1..$n"
[ -n "${KEEP_OUT:-}" ] || rm -rf "$OUT"
[ $failed -eq 0 ]
