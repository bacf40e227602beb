# Helpers of the soft-reset scenarios; sourced by scenarios/*.sh, which
# run IN dom0 (POSIX sh: busybox ash or bash). TAP on standard output.
#
# Environment (set by run-scenarios, defaults for a manual run):
#   XL        the toolstack under test (default /usr/sbin/xl-upstream)
#   XL_OBS    read-only observer of the hypervisor's state (xl list,
#             domid, dmesg): Debian's xl whatever XL is, so that what
#             is asserted does not depend on the tool under test
#   OUT       this scenario's output directory (on the shared tree)
#   SCENARIO_TIMEOUT  seconds the guest may live (default 900)
#   KEXECS    kexecs the kexec guests do (default 3)
#   EXTRA_CFG xl.cfg settings added to every guest, space separated, for
#             experiments (e.g. 'vcpus=2 tsc_mode="default"')

HOST_DIR=${HOST_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
XEN_ROOT=${XEN_ROOT:-$(cd "$HOST_DIR/../../.." && pwd)}
GUESTS=${GUESTS:-$XEN_ROOT/tools/tests/out/guests}
XL=${XL:-/usr/sbin/xl-upstream}
XL_OBS=${XL_OBS:-/usr/sbin/xl-upstream}
SCENARIO_TIMEOUT=${SCENARIO_TIMEOUT:-900}
KEXECS=${KEXECS:-3}
TSLOG=${TSLOG:-$XEN_ROOT/tools/tests/out/host/bin/tslog}
CONSOLE_DIR=/var/log/xen/console

tap_n=0
tap_failed=0

ok() { # ok DESC
    tap_n=$((tap_n + 1))
    echo "ok $tap_n - $*"
}
not_ok() { # not_ok DESC [DIAG...]
    tap_n=$((tap_n + 1))
    tap_failed=$((tap_failed + 1))
    echo "not ok $tap_n - $1"
    shift
    for d in "$@"; do printf '%s\n' "$d" | sed 's/^/#   /'; done
}
skip() { # skip DESC REASON
    tap_n=$((tap_n + 1))
    echo "ok $tap_n - $1 # SKIP $2"
}
# todo DESC REASON [DIAG...]: a known failure that is not the tested
# code's (TAP "not ok ... # TODO": reported, not counted as a failure).
todo() {
    tap_n=$((tap_n + 1))
    echo "not ok $tap_n - $1 # TODO $2"
    shift 2
    for d in "$@"; do printf '%s\n' "$d" | sed 's/^/#   /'; done
}
note() { echo "# $*"; }
check() { # check DESC CMD...: ok when CMD succeeds
    desc=$1
    shift
    if "$@" >/dev/null 2>&1; then ok "$desc"; else not_ok "$desc" "failed: $*"; fi
}
is() { # is DESC GOT WANT
    if [ "$2" = "$3" ]; then ok "$1"; else
        not_ok "$1" "got:  '$2'" "want: '$3'"
    fi
}
done_testing() {
    echo "1..$tap_n"
    [ "$tap_failed" -eq 0 ]
}

# Appends "KEY VALUE" to the scenario's figures (read by bench-xen).
figure() { echo "$*" >> "$OUT/figures"; }

now() { "$TSLOG" --now; }
# Seconds since the epoch with millis, of a time-stamped (tslog) line.
stamp() { cut -d' ' -f1; }

# --- the guest -----------------------------------------------------------

# guest_start NAME CFG [XL.CFG-SETTING...]: removes what a previous run
# left, starts the log followers, and `$XL create -F` in the background
# (its -vvv output time-stamped in $OUT/xl.tlog).
guest_start() {
    G_NAME=$1
    G_CFG=$2
    shift 2
    mkdir -p "$OUT"
    rm -f "$OUT"/*.tlog "$OUT/figures" "$OUT/xl.status"
    if $XL_OBS domid "$G_NAME" >/dev/null 2>&1; then
        note "destroying a $G_NAME left by an earlier run"
        $XL_OBS destroy "$G_NAME" >/dev/null 2>&1
    fi
    G_SERIAL=$CONSOLE_DIR/$G_NAME-serial.log
    G_CONSOLE=$CONSOLE_DIR/guest-$G_NAME.log
    rm -f "$G_SERIAL" "$G_CONSOLE" "/var/log/xen/xl-$G_NAME.log"* \
        "/var/log/xen/qemu-dm-$G_NAME.log"*
    # Xen's console from now on: guest port 0xE9 markers, triple faults.
    $XL_OBS dmesg -c >/dev/null 2>&1
    "$TSLOG" "$G_SERIAL" "$OUT/serial.tlog" &
    G_PIDS=$!
    "$TSLOG" "$G_CONSOLE" "$OUT/console.tlog" &
    G_PIDS="$G_PIDS $!"
    rm -f "$OUT/.stop"
    # One more read after the stop is seen: a guest's last lines (a
    # quick power-off) are not lost.
    (while :; do
         stop=0; [ -e "$OUT/.stop" ] && stop=1
         $XL_OBS dmesg -c 2>/dev/null
         [ "$stop" = 1 ] && break
         sleep 1
     done) | "$TSLOG" - "$OUT/xen.tlog" &
    G_PIDS="$G_PIDS $!"
    G_T0=$(now)
    echo "$G_T0 run-scenarios: $XL -vvv create -F $G_CFG $* ${EXTRA_CFG:-}" > "$OUT/xl.tlog"
    # shellcheck disable=SC2086 # EXTRA_CFG: words on purpose
    ( "$XL" -vvv create -F "$G_CFG" "name=\"$G_NAME\"" "$@" ${EXTRA_CFG:-} 2>&1
      echo "$?" > "$OUT/xl.status" ) | "$TSLOG" - "$OUT/xl.tlog" &
    G_XL=$!
    G_DOMID=
}

# The domid of NAME now per xenstore, empty when there is none (cheaper
# than an xl call, which matters under emulation; the final checks ask
# the hypervisor through $XL_OBS).
domid_of() {
    for _d in $(xenstore-list /local/domain 2>/dev/null); do
        [ "$(xenstore-read "/local/domain/$_d/name" 2>/dev/null)" = "$1" ] &&
            { echo "$_d"; return 0; }
    done
    return 1
}

xl_running() { [ ! -e "$OUT/xl.status" ]; }

# guest_stop_followers: stops the log followers (after a last read).
guest_stop_followers() {
    : > "$OUT/.stop"
    sleep 3
    for p in $G_PIDS; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -f "$OUT/.stop"
}

# Xen's console lines of domain D written through port 0xE9: "(dD) TEXT".
e9_lines() { grep -a "(d$1) " "$OUT/xen.tlog" 2>/dev/null; }

# Console lines (serial for HVM, PV console for PVH) matching a pattern.
console_has() { # console_has FILE PATTERN
    grep -aq -- "$2" "$OUT/$1" 2>/dev/null
}

# xs_tree D: the xenstore paths of domain D (its home, /libxl/D, its
# /vm, its backends, its device model's directory), the domid shown as
# D and the uuid as UUID, sorted; the nodes the guest's own init writes
# for the test (data/) left out.
xs_tree() {
    xs_d=$1
    xs_vm=$(xenstore-read "/local/domain/$xs_d/vm" 2>/dev/null)
    {
        for p in "/local/domain/$xs_d" "/libxl/$xs_d" $xs_vm \
            "/local/domain/0/device-model/$xs_d"; do
            xenstore-ls -f "$p" 2>/dev/null | sed 's/ = .*//'
        done
        for b in $(xenstore-list /local/domain/0/backend 2>/dev/null); do
            xenstore-ls -f "/local/domain/0/backend/$b/$xs_d" 2>/dev/null |
                sed 's/ = .*//'
        done
    } | sed -e "s|^/local/domain/$xs_d/|/local/domain/D/|" \
            -e "s|^/libxl/$xs_d/|/libxl/D/|" \
            -e "s|^$xs_vm/|/vm/UUID/|" \
            -e "s|/device-model/$xs_d/|/device-model/D/|" \
            -e "s|^\(/local/domain/0/backend/[^/]*\)/$xs_d/|\1/D/|" |
        grep -v '^/local/domain/D/data/' | sort
}

# xs_check_home D GEN TYPE: the guest's xenstore after a (re)start.
# Its tree is kept in $OUT/xs-gen<GEN>.paths; after a soft reset it must
# equal generation 0's (the tree create made, and the same kernel's own
# nodes), and, when upstream's xl ran the same scenario in this boot
# ($OUT/../../upstream/<scenario>), upstream's after its reset.
xs_check_home() {
    d=$1
    gen=$2
    type=$3
    home=/local/domain/$d
    xs_tree "$d" > "$OUT/xs-gen$gen.paths"
    if [ "$gen" -gt 0 ] && [ -f "$OUT/xs-gen0.paths" ]; then
        xs_diff=$(diff "$OUT/xs-gen0.paths" "$OUT/xs-gen$gen.paths" |
            grep '^[<>]')
        is "gen $gen: the domain's xenstore tree is the one create made" \
            "$xs_diff" ""
        xs_up=${OUT%/*/*}/upstream/${OUT##*/}/xs-gen$gen.paths
        if [ "${XL_KIND:-}" = ours ] && [ "$type" = hvm ] &&
            [ -f "$xs_up" ]; then
            # Differences measured and justified (docs/design/
            # soft-reset.md): upstream's reset does not write platform/
            # again (create's xenstore-domain step does, so ours keeps
            # the tree create made).
            xs_diff=$(diff "$xs_up" "$OUT/xs-gen$gen.paths" | grep '^[<>]' |
                grep -v '^> /local/domain/D/platform\(/.*\)\{0,1\}$')
            is "gen $gen: the tree equals upstream's after its reset (but the platform/ upstream loses)" \
                "$xs_diff" ""
        fi
    fi
    missing=
    # not "n": the kexec loop's generation count lives in that global
    for xs_node in name domid vm store/port store/ring-ref console/port \
        console/ring-ref; do
        xenstore-exists "$home/$xs_node" 2>/dev/null ||
            missing="$missing $xs_node"
    done
    if [ -z "$missing" ]; then
        ok "gen $gen: $home has name, domid, vm, store and console nodes"
    else
        not_ok "gen $gen: $home has name, domid, vm, store and console nodes" \
            "missing:$missing"
    fi
    vm=$(xenstore-read "$home/vm" 2>/dev/null)
    check "gen $gen: $vm exists" xenstore-exists "$vm"
    if [ "$type" = hvm ]; then
        st=$(xenstore-read "/local/domain/0/device-model/$d/state" 2>/dev/null)
        is "gen $gen: device model of domain $d is running" "$st" running
        vbd=$(xenstore-list "$home/device/vbd" 2>/dev/null | head -n 1)
        be=$(xenstore-read "$home/device/vbd/$vbd/backend" 2>/dev/null)
        if [ -n "$be" ] && xenstore-exists "$be" 2>/dev/null; then
            ok "gen $gen: disk frontend $home/device/vbd/$vbd and its backend"
        else
            not_ok "gen $gen: disk frontend $home/device/vbd/$vbd and its backend" \
                "backend: '$be'"
        fi
    fi
    # The guest writes its generation right after its marker.
    got=
    i=0
    while [ $i -lt 30 ]; do
        got=$(xenstore-read "$home/data/generation" 2>/dev/null)
        [ "$got" = "$gen" ] && break
        sleep 1
        i=$((i + 1))
    done
    is "gen $gen: $home/data/generation updated by the guest" "$got" "$gen"
    # Lets the guest go on (its init waits for this, see ack= there).
    xenstore-write "$home/data/checked" "$gen" 2>/dev/null
}

# no_leftovers D UUID NAME: nothing of domain D remains.
no_leftovers() {
    d=$1
    uuid=$2
    name=$3
    if $XL_OBS list "$d" >/dev/null 2>&1 ||
        $XL_OBS domid "$name" >/dev/null 2>&1; then
        not_ok "domain $d ($name) is gone" "$($XL_OBS list 2>&1)"
    else
        ok "domain $d ($name) is gone"
    fi
    left=
    for p in /local/domain/$d /libxl/$d /vm/$uuid \
        /local/domain/0/device-model/$d; do
        [ -n "$uuid" ] || [ "$p" != "/vm/" ] || continue
        xenstore-exists "$p" 2>/dev/null && left="$left $p"
    done
    for b in $(xenstore-list /local/domain/0/backend 2>/dev/null); do
        xenstore-exists "/local/domain/0/backend/$b/$d" 2>/dev/null &&
            left="$left /local/domain/0/backend/$b/$d"
    done
    if [ -z "$left" ]; then
        ok "no xenstore nodes of domain $d left"
    else
        not_ok "no xenstore nodes of domain $d left" "left:$left"
    fi
    procs=$(ps -o pid,args 2>/dev/null | grep -a -- "-xen-domid $d " |
        grep -v grep)
    if [ -z "$procs" ]; then
        ok "no device model process of domain $d left"
    else
        not_ok "no device model process of domain $d left" "$procs"
    fi
    files=$(ls -d /var/run/xen/qmp-libxl-$d /var/run/xen/qmp-libxenstat-$d \
        /var/lib/xen/qemu-save.$d /var/lib/xen/qemu-resume.$d \
        /var/lib/xen/userdata-d.$d.* /var/run/xen/*.$d 2>/dev/null)
    if [ -z "$files" ]; then
        ok "no files of domain $d left"
    else
        not_ok "no files of domain $d left" $files
    fi
}

# guest_wait_end TIMEOUT: waits for xl to end (the guest powered off or
# was destroyed); returns 1 on timeout, after destroying the guest.
guest_wait_end() {
    limit=$1
    start=$(cut -d. -f1 /proc/uptime)
    while xl_running; do
        if [ $(($(cut -d. -f1 /proc/uptime) - start)) -ge "$limit" ]; then
            note "time limit of $limit s reached: destroying $G_NAME"
            $XL_OBS destroy "$G_NAME" >/dev/null 2>&1
            sleep 3
            kill "$G_XL" 2>/dev/null
            return 1
        fi
        sleep 1
    done
    return 0
}

# The HVM guests' kernel disk (see tools/testhost/guests/build-guests),
# copied to dom0's own disk: QEMU's block layer and the shared tree's 9p
# do not mix well. Prints the xl.cfg setting.
kernel_disk() {
    img=${TESTHOST_SCRATCH:-/tmp}/th-kernel-disk.img
    cmp -s "$GUESTS/kernel-disk.img" "$img" 2>/dev/null ||
        cp "$GUESTS/kernel-disk.img" "$img"
    echo "disk=[\"format=raw,vdev=xvda,backendtype=qdisk,target=$img\"]"
}

# Explains a failed xl create -F in TAP notes (returns 1 when it failed).
create_failed() {
    grep -aq "libxl: error" "$OUT/xl.tlog" || return 1
    note "$XL create failed:"
    grep -a "libxl: error" "$OUT/xl.tlog" | head -n 6 | cut -d' ' -f2- |
        sed 's/^/#   /'
    grep -aq "device model: startup timed out" "$OUT/xl.tlog" &&
        note "the device model did not start within libxl's fixed 60 s:" \
            "the host is too slow (load: $(cut -d' ' -f1-3 /proc/loadavg) in dom0)"
    return 0
}

# Keeps dom0's Xen logs of this scenario in $OUT/var-log-xen.
keep_logs() {
    mkdir -p "$OUT/var-log-xen"
    cp -r /var/log/xen/. "$OUT/var-log-xen/" 2>/dev/null
    $XL_OBS dmesg > "$OUT/xl-dmesg.txt" 2>&1
    xenstore-ls -fp > "$OUT/xenstore-ls.txt" 2>&1
    ps -o pid,args > "$OUT/ps.txt" 2>&1
    note "logs kept in $OUT"
}
