#!/bin/sh
# End-to-end tests of libxl_domain_create_new on real Xen; runs IN dom0
# of the test host (make check here runs it through `testhost run`).
# TAP on stdout.
#
# - PVH probe guest: created by ours (create-domain), unpaused, runs
#   (its PROBE lines in `xl dmesg` show it reached xenstore through the
#   ring and event channel we set up), its xenstore tree equals the one
#   upstream's xl makes for the same config (after making neutral what
#   differs from domain to domain: the domid where a value or path IS
#   one, uuid, tty, start time, name), and our destroy leaves nothing.
# - An injected failure at every create step (LIBXL_FAULT_INJECT) leaves
#   nothing: no domain, xenstore node, userdata or lock file.
# - PV (Debian's kernel) and HVM (hvmloader + QEMU) domains are built,
#   their trees equal upstream's, our destroy leaves nothing.
# - PV and PVH domains with a disk served by QEMU (backendtype=qdisk,
#   types pv-qdisk and pvh-qdisk): the xenpv QEMU runs, the trees (its
#   device-model node, backend/qdisk, the pid) equal upstream's, our
#   destroy leaves nothing; a failure injected at the steps from the
#   devices on (QEMU started at device-model) leaves nothing, no QEMU
#   process either.
#
# "Nothing left" allows the shared parents that the first guest of a
# fresh host brings and upstream keeps too (measured: /vm, /libxl,
# /local/domain/0/device-model, /run/xen/domid-history); anything below
# them is a leak.  Upstream
# removes dom0's backend/ and backend/KIND when they are left empty, so
# must we.
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
event-channels arch-setup build sched-params rebind xenstore-domain introduce console
devices device-model console-wait store-config"}
TYPES=${TYPES:-"pv hvm pv-qdisk pvh-qdisk"}
# The steps a failure is injected at for a PVH probe with a qdisk disk.
QDISK_STEPS=${QDISK_STEPS:-"devices device-model console-wait store-config"}

n=0; failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
# Diagnostics, each line prefixed for TAP.
note() { sed 's/^/#   /' "$@"; }
check() { # check DESC CMD...: ok if CMD succeeds, else its whole output
    local desc=$1; shift
    if "$@" >"$OUT/check.out" 2>&1; then ok "$desc"
    else not_ok "$desc"; note "$OUT/check.out"; fi
}

# What must be back to its state after a failed create or a destroy:
# domains, xenstore (the whole tree with permissions, minus volatile
# values), userdata and lock files.
snapshot() { # snapshot FILE
    # A destroyed domain lingers as "(null)" until xenconsoled and
    # xenstored let go of its pages: wait for it to go (20 s).
    # (One xl call each time round: each costs seconds in a loaded dom0.)
    local i=0
    while $XLU list >"$1.doms" 2>&1 && grep -q '^(null)' "$1.doms" &&
          [ $i -lt 20 ]; do
        sleep 1; i=$((i + 1))
    done
    {
        awk 'NR > 1 { print $1, $2 }' "$1.doms"
        xenstore-ls -fp / | grep -v '^/local/domain/0/memory\|^/tool/' |
            sed 's/ = .*(/ (/'
        find /var/lib/xen /run/xen /var/lock -mindepth 1 2>/dev/null
        qemus
    } | grep -vxF "$SHARED" | sort >"$1"
}
SHARED='/vm (n0)
/libxl (n0)
/local/domain/0/device-model (n0)
/run/xen/domid-history'

# A domain's xenstore tree (its home, /libxl/N, its backends in dom0,
# dom0's device-model/N, /vm/UUID), sorted, with what differs from
# domain to domain made neutral: the domid D where a path component,
# a permission or a value is that domain's id (frontend-id, domid, the
# paths in frontend/backend values), the uuid, the name, the tty, the
# start time, the device model's pid and, for PV, the rings' machine
# frames.
tree() { # tree DOMID NAME TYPE
    local td=$1 name=$2 type=$3 vm uuid k
    vm=$(xenstore-read /local/domain/$td/vm)
    uuid=${vm#/vm/}
    { xenstore-ls -fp /local/domain/$td; xenstore-ls -fp /libxl/$td
      for k in $(xenstore-list /local/domain/0/backend 2>/dev/null); do
          xenstore-ls -fp /local/domain/0/backend/$k/$td
      done
      xenstore-ls -fp /local/domain/0/device-model/$td
      xenstore-ls -fp "$vm"; } 2>/dev/null |
    awk -v d="$td" -v uuid="$uuid" -v name="$name" -v type="$type" '
    # p with the domid component after prefix re (a regex matching up
    # to a "/") replaced by D
    function comp(p, re,    pre, rest, c) {
        if (!match(p, re)) return p
        pre = substr(p, 1, RLENGTH); rest = substr(p, RLENGTH + 1)
        c = rest; sub(/\/.*/, "", c)
        if (c != d) return p
        return pre "D" substr(rest, length(c) + 1)
    }
    function path(p) {
        p = comp(p, "^/local/domain/")
        p = comp(p, "^/libxl/")
        p = comp(p, "^/local/domain/[0-9]+/backend/[^/]+/")
        p = comp(p, "^/local/domain/[0-9]+/device-model/")
        if (uuid != "") gsub(uuid, "UUID", p)
        return p
    }
    function perms(s,    n, i, a, out) {
        n = split(s, a, ",")
        for (i = 1; i <= n; i++) {
            if (substr(a[i], 2) == d) a[i] = substr(a[i], 1, 1) "D"
            out = out (i > 1 ? "," : "") a[i]
        }
        return out
    }
    {
        i = index($0, " = ")
        if (!i) { print "?" $0; next }
        p = substr($0, 1, i - 1); rest = substr($0, i + 3)
        j = match(rest, /   \([^()]*\)$/)
        v = j ? substr(rest, 1, j - 1) : rest
        pm = j ? substr(rest, j + 4, length(rest) - j - 4) : ""
        v = substr(v, 2, length(v) - 2)         # unquote
        key = p; sub(/.*\//, "", key)
        p = path(p)
        if ((key == "frontend-id" || key == "domid") && v == d) v = "D"
        else if (v ~ /^\//) v = path(v)
        else if (uuid != "" && v == uuid) v = "UUID"
        if (v == name) v = "NAME"
        if (key == "params") gsub(name, "NAME", v)     # the image path
        if (v ~ /^\/dev\/pts\/[0-9]+$/) v = "/dev/pts/N"
        if (p == "/vm/UUID/start_time") v = "T"
        if (key == "device-model-pid") v = "PID"
        if (type == "pv" && key == "ring-ref" &&
            p ~ /^\/local\/domain\/D\/(store|console)\/ring-ref$/)
            v = "MFN"
        printf "%s = \"%s\"   (%s)\n", p, v, perms(pm)
    }' | sort
}

domid_of() { $XLU domid "$1" 2>/dev/null; }

# The QEMUs of Xen domains that run: "qemu -xen-domid N" each.
qemus() {
    local p c
    for p in /proc/[0-9]*; do
        c=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline")
        case "$c" in
        *" -xen-domid "*) c=${c#* -xen-domid }
                          echo "qemu -xen-domid ${c%% *}";;
        esac
    done
}

# Destroys a domain of ours with our libxl_domain_destroy.
destroy_ours() { # destroy_ours NAME DESC-FOR-ERRORS
    local dd
    dd=$(domid_of "$1") || return 0
    if ! "$CREATE" -D "$dd" 2>"$OUT/destroy.err"; then
        echo "# our destroy of $1 failed:"; note "$OUT/destroy.err"
        destroy_upstream "$1"
    fi
}

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

destroy_ours our-probe; destroy_upstream up-probe
snapshot "$OUT/before"

if d=$("$CREATE" -t pvh -k "$PROBE" -c count=0 -n our-probe -m 32 \
        2>"$OUT/create-pvh.err"); then
    ok "PVH probe created by ours (domid $d), console reported"
else
    not_ok "PVH probe created by ours"; note "$OUT/create-pvh.err"
    d=
fi
if [ -n "$d" ]; then
    state=$($XLU list our-probe | awk 'NR == 2 { print $5 }')
    case $state in *p*) ok "left paused ($state), as upstream";;
        *) not_ok "left paused (state $state)";; esac
    tree "$d" our-probe pvh >"$OUT/tree-ours-pvh"
    $XLU create -p "$OUT/probe.cfg" >/dev/null 2>&1
    ud=$(domid_of up-probe)
    tree "$ud" up-probe pvh >"$OUT/tree-up-pvh"
    check "PVH xenstore tree equals upstream's (normalised)" \
        diff -u "$OUT/tree-up-pvh" "$OUT/tree-ours-pvh"
    $XLU destroy up-probe >/dev/null 2>&1

    $XLU unpause our-probe
    # The probe writes data/softreset-count through its xenstore ring,
    # then prints "PROBE done" on port 0xE9 (Xen's console ring, which
    # `xl dmesg` reads) and powers off.
    i=0
    while [ $i -lt 120 ]; do
        $XLU dmesg >"$OUT/dmesg" 2>&1
        grep "(d$d) PROBE" "$OUT/dmesg" >"$OUT/probe-pvh.log"
        grep -q "PROBE done\|PROBE gen=0 FAIL\|PROBE exception" \
            "$OUT/probe-pvh.log" && break
        sleep 1; i=$((i + 1))
    done
    if sh -c "grep -q 'PROBE xenstore domid=$d' $OUT/probe-pvh.log &&
              grep -q 'PROBE xenstore watch fired' $OUT/probe-pvh.log &&
              grep -q 'softreset-count = ' $OUT/probe-pvh.log"; then
        ok "PVH probe runs: reads its domid, watches and writes xenstore" \
           "(${i}s)"
    else
        not_ok "PVH probe runs: reads its domid, watches and writes" \
               "xenstore (waited ${i}s)"
        echo "#   its PROBE lines:"; note "$OUT/probe-pvh.log"
        echo "#   state: $($XLU list our-probe 2>&1 | tail -1)"
        echo "#   data/softreset-count:" \
             "$(xenstore-read /local/domain/$d/data/softreset-count 2>&1)"
        echo "#   the end of xl dmesg:"; tail -15 "$OUT/dmesg" | note
    fi
    destroy_ours our-probe
    snapshot "$OUT/after"
    check "our destroy of our PVH domain leaves nothing" \
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
    not_ok "PVH create, unpause and destroy, all ours"
    note "$OUT/create-destroy.err"
    destroy_upstream our-probe2
fi

# ---- injected failures ------------------------------------------------
for s in $STEPS; do
    snapshot "$OUT/before"
    if LIBXL_FAULT_INJECT=create:$s "$CREATE" -t pvh -k "$PROBE" \
            -c count=0 -n inject-probe -m 32 >/dev/null \
            2>"$OUT/inject-$s.err"; then
        not_ok "failure injected at $s: create fails"
        destroy_ours inject-probe
        continue
    fi
    snapshot "$OUT/after"
    if ! grep -q "create step $s: injected failure" "$OUT/inject-$s.err"
    then
        not_ok "failure injected at $s: the error names the step"
        tail -5 "$OUT/inject-$s.err" | note
    elif diff -u "$OUT/before" "$OUT/after" >"$OUT/inject-$s.diff"; then
        ok "failure injected at $s: create fails, names it, leaves nothing"
    else
        not_ok "failure injected at $s: leaves nothing"
        note "$OUT/inject-$s.diff"
        destroy_upstream inject-probe
    fi
done

# ---- injected failures, a PVH probe whose disk QEMU serves -------------
truncate -s 8M "$OUT/inject-qdisk.img"
qlog=/var/log/xen/qemu-dm-inject-qdisk.log
for s in $QDISK_STEPS; do
    rm -f "$qlog"*
    snapshot "$OUT/before"
    if LIBXL_FAULT_INJECT=create:$s "$CREATE" -t pvh -k "$PROBE" \
            -c count=0 -n inject-qdisk -m 32 -q "$OUT/inject-qdisk.img" \
            >/dev/null 2>"$OUT/inject-qdisk-$s.err"; then
        not_ok "qdisk: failure injected at $s: create fails"
        destroy_ours inject-qdisk
        continue
    fi
    snapshot "$OUT/after"
    if ! grep -q "create step $s: injected failure" \
            "$OUT/inject-qdisk-$s.err"; then
        not_ok "qdisk: failure injected at $s: the error names the step"
        tail -5 "$OUT/inject-qdisk-$s.err" | note
    elif diff -u "$OUT/before" "$OUT/after" >"$OUT/inject-qdisk-$s.diff"
    then
        # From console-wait on, QEMU ran (its log is there) and the
        # undo stopped it.
        case $s in console-wait|store-config) ran="QEMU started,";;
                   *) ran=;; esac
        if [ -n "$ran" ] && [ ! -e "$qlog" ]; then
            not_ok "qdisk: failure injected at $s: QEMU had started"
        else
            ok "qdisk: failure injected at $s: create fails, names it," \
               "${ran:+$ran }leaves nothing (no QEMU)"
        fi
    else
        not_ok "qdisk: failure injected at $s: leaves nothing"
        note "$OUT/inject-qdisk-$s.diff"
        destroy_upstream inject-qdisk
    fi
done
rm -f "$qlog"*

# ---- PV and HVM, PV and PVH with a qdisk disk: built, trees compared,
# destroyed -------------------------------------------------------------
kernel=${TESTHOST_GUEST_KERNEL:-}
for type in $TYPES; do
    base=${type%-qdisk}
    if [ $base = pv ] && [ -z "$kernel" ]; then
        n=$((n + 1)); echo "ok $n - $type # SKIP no TESTHOST_GUEST_KERNEL"
        continue
    fi
    snapshot "$OUT/before"
    case $base in
    pv)
        args="-t pv -k $kernel -c console=hvc0 -m 128"
        printf 'type="pv"\nkernel="%s"\ncmdline="console=hvc0"\n' \
            "$kernel" >"$OUT/$type.cfg";;
    pvh)
        args="-t pvh -k $PROBE -c count=0 -m 128"
        printf 'type="pvh"\nkernel="%s"\ncmdline="count=0"\n' \
            "$PROBE" >"$OUT/$type.cfg";;
    *)
        args="-t hvm -m 128"
        printf 'type="hvm"\nvga="none"\nvnc=0\nnographic=1\n' \
            >"$OUT/$type.cfg";;
    esac
    printf 'name="up-%s"\nmemory=128\nvcpus=1\n' $type >>"$OUT/$type.cfg"
    if [ $type != $base ]; then
        # One image each: QEMU locks the image it serves.
        truncate -s 8M "$OUT/our-$type.img" "$OUT/up-$type.img"
        args="$args -q $OUT/our-$type.img"
        printf 'disk=["format=raw,vdev=xvda,access=rw,%s,target=%s"]\n' \
            backendtype=qdisk "$OUT/up-$type.img" >>"$OUT/$type.cfg"
    fi
    # shellcheck disable=SC2086
    if d=$("$CREATE" $args -n our-$type 2>"$OUT/create-$type.err"); then
        ok "$type domain created by ours (domid $d)"
        if [ $type != $base ]; then
            qemus >"$OUT/qemus"
            check "$type: a QEMU serves its disk (-xen-domid $d)" \
                grep -qx "qemu -xen-domid $d" "$OUT/qemus"
        fi
        tree "$d" our-$type $base >"$OUT/tree-ours-$type"
        if $XLU create -p "$OUT/$type.cfg" >"$OUT/up-$type.out" 2>&1; then
            tree "$(domid_of up-$type)" up-$type $base >"$OUT/tree-up-$type"
            check "$type: xenstore tree equals upstream's (normalised)" \
                diff -u "$OUT/tree-up-$type" "$OUT/tree-ours-$type"
            $XLU destroy up-$type
        else
            not_ok "$type: upstream's xl creates the same guest"
            note "$OUT/up-$type.out"
        fi
        destroy_ours our-$type
        snapshot "$OUT/after"
        check "$type: our destroy leaves nothing" \
            diff -u "$OUT/before" "$OUT/after"
    else
        not_ok "$type domain created by ours"; note "$OUT/create-$type.err"
    fi
done

echo "1..$n"
[ -n "${KEEP_OUT:-}" ] || rm -rf "$OUT"
[ $failed -eq 0 ]
