#!/bin/bash
# The soak, IN dom0 of the test host (run-soak starts it): our xl through
#   pvh  SOAK_RESETS (1000) soft resets of the PVH probe, one domain
#   hvm  SOAK_KEXECS (50) kexecs of the Linux HVM guest, one domain (the
#        hvm-kexec scenario of tools/tests/host, unchanged)
# sampled every SOAK_RESET_EVERY (100) resets / SOAK_KEXEC_EVERY (10)
# kexecs: the monitor's RSS and fds, xenstored's RSS, the xenstore nodes,
# dom0's MemFree and Slab, the files under /var/run/xen, /var/lib/xen,
# /var/log/xen.  Between the sample after warm-up and the last: no fd,
# node or file more, RSS within SOAK_RSS_SLACK KiB, MemFree (less what
# the logs grew) and Slab within SOAK_MEM_SLACK KiB.  TAP, one table per
# part, a summary line; exit status 0 only when everything passed.
#
# Each sample sees the same moment of the guest's life: the domain is
# held by Xen's pause count (dompause) from its request for soft reset R
# until the sample is taken, after the toolstack's reset R is done and
# its monitor waits again, before the guest's next generation runs (see
# sample_loop and README).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
XEN_ROOT=$(cd "$HERE/../../.." && pwd)
SOAK_RESETS=${SOAK_RESETS:-1000}
SOAK_KEXECS=${SOAK_KEXECS:-50}
SOAK_PARTS=${SOAK_PARTS:-pvh hvm}
[ "$SOAK_PARTS" = both ] && SOAK_PARTS="pvh hvm"
RESET_EVERY=${SOAK_RESET_EVERY:-100}
KEXEC_EVERY=${SOAK_KEXEC_EVERY:-10}
# The sample growth is measured from: the first one at or after this
# many resets (kexecs); see README ("Warm-up").
WARMUP_RESETS=${SOAK_WARMUP_RESETS:-$RESET_EVERY}
WARMUP_KEXECS=${SOAK_WARMUP_KEXECS:-$KEXEC_EVERY}
RSS_SLACK=${SOAK_RSS_SLACK:-8}
MEM_SLACK=${SOAK_MEM_SLACK:-2048}
OUT=${OUT:-/tmp/soak}
XL=$XEN_ROOT/tools/xl/xl
XLU=/usr/sbin/xl-upstream
DOMPAUSE=$XEN_ROOT/tools/tests/out/soak/bin/dompause
PROBE=$XEN_ROOT/tools/tests/guests/pvh-probe.elf
LOGDIR=/var/log/xen
rm -rf "$OUT"
mkdir -p "$OUT"
# An empty xl.conf for our xl (as tools/tests/host-xl does): the host's
# settings change nothing.
: > "$OUT/xl.conf"

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() {
    n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift
    local d
    for d in "$@"; do printf '%s\n' "$d" | sed 's/^/#   /'; done
}
note() { echo "# $*"; }
is() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got:  '$2'" "want: '$3'"; fi; }
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }
ourxl() { XL_GLOBAL_CONFIG=$OUT/xl.conf "$XL" "$@"; }

# --- samples ---------------------------------------------------------------

kib_of() { awk -v k="$1" '$1 == k { print $2 }' "$2" 2>/dev/null; }

# sample PART LABEL PID: one row "LABEL monitor_rss monitor_fds
# xenstored_rss nodes memfree slab files_run files_lib files_log log_kib"
# in $OUT/PART.samples, "-" for what could not be read; the lists behind
# the counts in $OUT/PART.LABEL.* for the diffs.
sample() {
    local part=$1 label=$2 pid=$3 p=$OUT/$1.$2 xpid d f v
    local mrss=- mfds=- xrss=- nodes=- free=- slab=- logk=- files=()
    if alive "$pid"; then
        mrss=$(kib_of VmRSS: "/proc/$pid/status")
        for f in "/proc/$pid/fd/"*; do
            [ -e "$f" ] || [ -L "$f" ] || continue
            echo "${f##*/} $(readlink "$f" 2>/dev/null)"
        done > "$p.fds"
        mfds=$(wc -l < "$p.fds")
    fi
    xpid=$(pidof xenstored | awk '{ print $1 }')
    [ -n "$xpid" ] && xrss=$(kib_of VmRSS: "/proc/$xpid/status")
    xenstore-ls -f / 2>/dev/null | sed 's/ = .*//' | sort > "$p.xs"
    [ "${PIPESTATUS[0]}" = 0 ] && nodes=$(wc -l < "$p.xs")
    free=$(kib_of MemFree: /proc/meminfo)
    slab=$(kib_of Slab: /proc/meminfo)
    for d in run lib log; do
        f=-
        if [ -d "/var/$d/xen" ]; then
            find "/var/$d/xen" -mindepth 1 2>/dev/null | sort > "$p.files-$d"
            f=$(wc -l < "$p.files-$d")
        fi
        files+=("$f")
    done
    # the logs live in dom0's memory (rootfs): their growth is no leak
    logk=$(du -sk "$LOGDIR" 2>/dev/null | cut -f1)
    v="$label ${mrss:--} ${mfds:--} ${xrss:--} ${nodes:--} ${free:--}"
    v+=" ${slab:--} ${files[*]} ${logk:--}"
    echo "$v" >> "$OUT/$part.samples"
}

# table PART UNIT: the samples as a table
table() {
    printf '# %-8s %12s %11s %14s %14s %12s %10s %16s\n' "$2" "monitor RSS" \
        "monitor fds" "xenstored RSS" "xenstore nodes" "MemFree" "Slab" \
        "files run/lib/log"
    printf '# %-8s %12s %11s %14s %14s %12s %10s %16s\n' "" KiB "" KiB "" KiB \
        KiB ""
    if [ ! -s "$OUT/$1.samples" ]; then
        printf '# %-8s %12s %11s %14s %14s %12s %10s %16s\n' - - - - - - - -/-/-
        return
    fi
    awk '{ printf "# %-8s %12s %11s %14s %14s %12s %10s %16s\n",
               $1, $2, $3, $4, $5, $6, $7, $8 "/" $9 "/" $10 }' "$OUT/$1.samples"
}

# growth PART WARMUP UNIT: the assertions between the first sample at or
# after WARMUP and the last one.
growth() {
    local part=$1 warm=$2 unit=$3 s=$OUT/$1.samples base last b e
    base=$(awk -v w="$warm" '$1 >= w { print; exit }' "$s" 2>/dev/null)
    last=$(tail -n 1 "$s" 2>/dev/null)
    set -- $base
    b=("$@")
    set -- $last
    e=("$@")
    if [ -z "$base" ] || [ "${b[0]}" = "${e[0]}" ]; then
        not_ok "$part: two samples from $warm $unit on to compare" \
            "samples: $(tr '\n' ';' < "$s" 2>/dev/null)"
        return
    fi
    note "$part: growth from $unit ${b[0]} (after warm-up) to ${e[0]}"
    local pb=$OUT/$part.${b[0]} pe=$OUT/$part.${e[0]}
    # equal DESC INDEX [LISTS]: the same count, the lists' diff otherwise
    equal() {
        if [ "${b[$2]}" = - ] || [ "${e[$2]}" = - ]; then
            not_ok "$part: $1: measured" "${b[$2]} -> ${e[$2]}"
        elif [ "${b[$2]}" = "${e[$2]}" ]; then
            ok "$part: $1: ${e[$2]} at $unit ${b[0]} and ${e[0]}"
        else
            not_ok "$part: $1: ${b[$2]} at $unit ${b[0]}, ${e[$2]} at ${e[0]}" \
                "$( [ -n "${3:-}" ] && diff -u "$pb.$3" "$pe.$3" |
                    grep -E '^[-+]' | grep -vE '^(---|\+\+\+) ' | head -n 30)"
        fi
    }
    equal "monitor's open fds" 2 fds
    equal "xenstore nodes" 4 xs
    equal "files under /var/run/xen" 7 files-run
    equal "files under /var/lib/xen" 8 files-lib
    equal "files under /var/log/xen" 9 files-log
    bounded "monitor's RSS" "${b[1]}" "${e[1]}" "$RSS_SLACK"
    bounded "xenstored's RSS" "${b[3]}" "${e[3]}" "$RSS_SLACK"
    # MemFree: what it lost, less what the logs (in dom0's memory) took
    local lost=-
    if [ "${b[5]}" != - ] && [ "${e[5]}" != - ] && [ "${b[10]}" != - ] &&
       [ "${e[10]}" != - ]; then
        lost=$(( (b[5] - e[5]) - (e[10] - b[10]) ))
        note "$part: MemFree ${b[5]} -> ${e[5]} KiB, logs ${b[10]} -> ${e[10]} KiB"
    fi
    bounded "dom0 MemFree lost, less the logs' growth" 0 "$lost" "$MEM_SLACK"
    bounded "dom0 Slab" "${b[6]}" "${e[6]}" "$MEM_SLACK"
}

# bounded DESC FROM TO SLACK: TO - FROM <= SLACK (KiB)
bounded() {
    if [ "$2" = - ] || [ "$3" = - ]; then
        not_ok "$part: $1: measured" "$2 -> $3"
    elif [ $(($3 - $2)) -le "$4" ]; then
        ok "$part: $1: $2 -> $3 KiB, $(($3 - $2)) (at most $4)"
    else
        not_ok "$part: $1: $2 -> $3 KiB, $(($3 - $2)) (more than $4)"
    fi
}

# --- holding the guest at a soft reset --------------------------------------

# The monitor's lines: soft reset requests and resets done.
requests() { grep -acE 'has shut down, reason code 5 ' "$1" 2>/dev/null; }
resets() { grep -acE 'Domain [0-9]+: soft reset [0-9]+ done in ' "$1" 2>/dev/null; }
# Xen's console of domain D since the part began: the follower's file
# (which clears Xen's ring) and what is in the ring now.
xen_lines() { $XLU dmesg 2>/dev/null; sleep 1; cat "$XENLOG" 2>/dev/null; }

# hold PART K LOG D PID STALL WHAT: once the guest has asked for soft
# reset K (or more), holds the domain at its next shutdown (dompause
# hold: Xen's pause count, raised while the toolstack resets it, which
# outlasts the toolstack's own unpause), and waits for the monitor to
# finish that reset.  Returns 0 held (R = the resets done; the domain
# stays paused), 1 the run ended or stalled (WHY), 2 the guest ran
# (WHAT=probe: its generation's first line is on Xen's console).
hold() {
    local part=$1 k=$2 log=$3 d=$4 pid=$5 stall=$6 what=$7 r5 size last t st
    t=$SECONDS last=-1
    while :; do
        r5=$(requests "$log")
        [ "${r5:-0}" -ge "$k" ] && break
        if ! alive "$pid"; then WHY="the monitor ended"; return 1; fi
        size=$(wc -c < "$log")
        [ "$size" != "$last" ] && { last=$size; t=$SECONDS; }
        if [ $((SECONDS - t)) -ge "$stall" ]; then
            WHY="no line from the monitor for $stall s"; return 1
        fi
        sleep 0.2
    done
    if ! st=$("$DOMPAUSE" "$d" hold); then WHY="cannot hold domain $d"; return 1; fi
    if [ "$st" != 5 ]; then
        "$DOMPAUSE" "$d" unpause
        WHY="domain $d shut down with reason $st, not for a soft reset"
        return 1
    fi
    # the reset's end: Xen has resumed the domain (not shut down) and
    # the monitor logged every reset asked for and waits again
    t=$SECONDS
    while :; do
        st=$($XLU list "$d" 2>/dev/null | awk 'NR == 2 { print $5 }')
        R=$(resets "$log")
        case $st in *s*) ;; *)
            [ "$R" = "$(requests "$log")" ] &&
            [ "$(grep -ac 'Waiting for domain .* to die' "$log")" -gt "$R" ] &&
            break ;;
        esac
        if [ $((SECONDS - t)) -ge "$stall" ] || ! alive "$pid"; then
            "$DOMPAUSE" "$d" unpause
            WHY="the soft reset was not done after $((SECONDS - t)) s: $(tail -n 3 "$log" | tr '\n' '|')"
            return 1
        fi
        sleep 0.2
    done
    if [ "$what" = probe ] &&
       xen_lines | grep -aq "^(d$d) PROBE resume gen=$R "; then
        "$DOMPAUSE" "$d" unpause
        return 2
    fi
    return 0
}

# wait_resets LOG N PID STALL: until the monitor has done N resets and
# waits for the domain again
wait_resets() {
    local t=$SECONDS
    while [ "$(resets "$1")" -lt "$2" ] ||
          [ "$(grep -ac 'Waiting for domain .* to die' "$1")" -le "$2" ]; do
        if [ $((SECONDS - t)) -ge "$4" ] || ! alive "$3"; then
            WHY="soft reset $2 not done after $((SECONDS - t)) s: $(tail -n 3 "$1" | tr '\n' '|')"
            return 1
        fi
        sleep 0.1
    done
}

# step LOG D PID STALL: from held at reset R to held at reset R + 1,
# without a race: the monitor (idle) is stopped, the guest runs its
# generation and asks for the next reset, which Xen holds (shut down);
# then the pause, then the monitor goes on and does the reset.
step() {
    local log=$1 d=$2 pid=$3 stall=$4 t st
    kill -STOP "$pid" || { WHY="cannot stop the monitor"; return 1; }
    "$DOMPAUSE" "$d" unpause
    t=$SECONDS
    until st=$($XLU list "$d" 2>/dev/null | awk 'NR == 2 { print $5 }') &&
          case $st in *s*) true ;; *) false ;; esac; do
        if [ $((SECONDS - t)) -ge "$stall" ]; then
            kill -CONT "$pid"
            WHY="domain $d did not ask for reset $((R + 1)) in $stall s (state '$st')"
            return 1
        fi
        sleep 0.2
    done
    "$DOMPAUSE" "$d" pause
    kill -CONT "$pid"
    wait_resets "$log" $((R + 1)) "$pid" "$stall" || { "$DOMPAUSE" "$d" unpause; return 1; }
    R=$((R + 1))
}

# sample_loop PART TOTAL EVERY LOG D PID STALL WHAT: samples after every
# EVERY-th reset and after the last (TOTAL).  The domain is held at a
# reset shortly before (or the sample's own), then stepped to it.
# Sets SAMPLED (labels) and WHY when it stopped early.
sample_loop() {
    local part=$1 total=$2 every=$3 log=$4 d=$5 pid=$6 stall=$7 what=$8
    local k j rc prev=0 misses
    SAMPLED= WHY=
    k=$every
    [ "$k" -gt "$total" ] && k=$total
    while [ "$k" -ge 1 ] && [ "$k" -le "$total" ]; do
        # from 3 requests before: the hold lands a reset or two after the
        # request that started it (dompause alone takes ~0.35 s to start
        # in dom0), and after the last one comes the power-off
        j=$((k - 3))
        [ "$j" -lt "$prev" ] && j=$prev
        misses=0
        while :; do
            hold "$part" "$j" "$log" "$d" "$pid" "$stall" "$what"
            rc=$?
            [ "$rc" = 2 ] || break
            misses=$((misses + 1))
            j=$((R + 1))
            [ "$j" -le "$k" ] || break
        done
        [ "$misses" -gt 0 ] && note "$part: $misses hold(s) came after the guest ran (tried again at the next reset)"
        case $rc in
        1) return 1 ;;
        2) [ "$k" = "$total" ] &&
               { WHY="no hold at a reset up to $total (the guest ran first)"; return 1; }
           note "$part: no sample at $k"
           prev=$R ;;
        0) while [ "$R" -lt "$k" ]; do
               step "$log" "$d" "$pid" "$stall" || return 1
           done
           sample "$part" "$R" "$pid"
           "$DOMPAUSE" "$d" unpause || { WHY="cannot unpause domain $d"; return 1; }
           SAMPLED="$SAMPLED $R"
           note "$part: sample at $R ($(tail -n 1 "$OUT/$part.samples"))"
           prev=$R ;;
        esac
        k=$(( (prev / every + 1) * every ))
        [ "$prev" -lt "$total" ] && [ "$k" -gt "$total" ] && k=$total
    done
    return 0
}

# Xen's console into $XENLOG (Xen's ring, 256 KiB here, would not keep
# 1000 generations): read and cleared every 2 s, once more at the stop.
xen_follow() {
    XENLOG=$1
    rm -f "$OUT/.xenstop"
    $XLU dmesg -c > /dev/null 2>&1
    (while [ ! -e "$OUT/.xenstop" ]; do
         $XLU dmesg -c 2>/dev/null
         sleep 2
     done
     $XLU dmesg -c 2>/dev/null) >> "$XENLOG" &
    XENFOLLOW=$!
}
xen_follow_stop() {
    : > "$OUT/.xenstop"
    wait "$XENFOLLOW" 2>/dev/null
    rm -f "$OUT/.xenstop"
}

# What a domain leaves in dom0, none of which may outlive its destroy.
leftovers() { # leftovers DOMID NAME UUID
    local f
    for f in "/local/domain/$1" "/libxl/$1" "/local/domain/0/device-model/$1" \
             ${3:+/vm/$3}; do
        xenstore-exists "$f" 2>/dev/null && echo "$f"
    done
    for f in $(xenstore-list /local/domain/0/backend 2>/dev/null); do
        xenstore-exists "/local/domain/0/backend/$f/$1" 2>/dev/null &&
            echo "/local/domain/0/backend/$f/$1"
    done
    ls -d /var/lib/xen/userdata-*."$1".* /var/lib/xen/qemu-save."$1" \
       /var/run/xen/qmp-libxl-"$1" /var/run/xen/qmp-libxenstat-"$1" 2>/dev/null
    $XLU domid "$2" >/dev/null 2>&1 && echo "domain $2"
    for f in $(grep -l -- "-xen-domid" /proc/[0-9]*/cmdline 2>/dev/null); do
        tr '\0' ' ' < "$f" 2>/dev/null | grep -q -- "-xen-domid $1 " &&
            echo "a QEMU of domain $1"
    done
    return 0
}

# --- part 1: the PVH probe ----------------------------------------------------

OUTCOME_pvh="not run" OUTCOME_hvm="not run"
TRIPLE_pvh=- TRIPLE_hvm=-

part_pvh() {
    local name=soak-pvh N=$SOAK_RESETS cfg log pid d uuid f0=$failed t0 tf
    local gens bad st cnt left
    note "pvh: $N soft resets of the PVH probe by $XL, samples every $RESET_EVERY"
    cfg=$OUT/pvh.cfg
    cat > "$cfg" <<EOF
name = "$name"
type = "pvh"
kernel = "$PROBE"
memory = 32
vcpus = 1
cmdline = "count=$N"
on_soft_reset = "soft-reset"
on_poweroff = "preserve"
on_reboot = "preserve"
on_crash = "preserve"
EOF
    $XLU destroy "$name" >/dev/null 2>&1
    log=$LOGDIR/xl-$name.log
    rm -f "$log"* "$LOGDIR/console/guest-$name.log"
    xen_follow "$OUT/pvh.xen"
    t0=$(uptime_s)
    if ! ourxl create -q "$cfg" > "$OUT/pvh.create" 2>&1; then
        not_ok "pvh: xl create" "$(cat "$OUT/pvh.create")"
        xen_follow_stop
        OUTCOME_pvh=fail
        return
    fi
    ok "pvh: xl create"
    pid=$(sed -nE '1s/.*\[pid ([0-9]+)\]$/\1/p' "$log")
    d=$(sed -nE '1s/.*\(domid ([0-9]+)\).*/\1/p' "$log")
    uuid=$(xenstore-read "/local/domain/$d/vm" 2>/dev/null)
    uuid=${uuid#/vm/}
    note "pvh: domain $d, monitor pid $pid"
    if sample_loop pvh "$N" "$RESET_EVERY" "$log" "$d" "$pid" 120 probe; then
        ok "pvh: sampled at$SAMPLED resets"
    else
        not_ok "pvh: sampled every $RESET_EVERY resets and at $N" \
            "sampled at:${SAMPLED:- none}; stopped: $WHY"
    fi
    # The end: the guest powers off, preserved; the monitor exits.
    t=$SECONDS
    while alive "$pid" && [ $((SECONDS - t)) -lt 120 ]; do sleep 0.5; done
    tf=$(uptime_s)
    xen_follow_stop
    alive "$pid" && not_ok "pvh: the monitor exits after the power-off" \
        "$(tail -n 5 "$log")"
    note "pvh: $(resets "$log") resets in $(awk -v a="$t0" -v b="$tf" 'BEGIN { printf "%.0f", b - a }') s (samples included)"

    TRIPLE_pvh=$(grep -acE "d${d}v[0-9]+ Triple fault" "$OUT/pvh.xen")
    is "pvh: $N soft resets requested, $N done" \
        "$(requests "$log")/$(resets "$log")" "$N/$N"
    is "pvh: every reset on domain $d" \
        "$(sed -nE 's/^Domain ([0-9]+): soft reset [0-9]+ done in .*/\1/p' "$log" | sort -u)" "$d"
    is "pvh: the monitor saw the power-off (reason 0), preserved it, exited" \
        "$(grep -acE '^Domain [0-9]+ has shut down, reason code 0 |^Action for shutdown reason code 0 is preserve$|^Done. Exiting now$' "$log")" 3
    is "pvh: the probe powered off after $N resets (Xen's console)" \
        "$(grep -ac "^(d$d) PROBE done resets=$N\$" "$OUT/pvh.xen")" 1
    is "pvh: one boot (memory kept through every reset)" \
        "$(grep -ac "^(d$d) PROBE boot gen=0 " "$OUT/pvh.xen")" 1
    gens=$(grep -acE "^\(d$d\) PROBE gen=[0-9]+ ok\$" "$OUT/pvh.xen")
    is "pvh: generations 0..$N each report ok" "$gens" $((N + 1))
    bad=$(grep -aE "^\(d$d\) PROBE .*(FAIL|BAD|exception|changed|mismatch|did not fire|failed)" \
        "$OUT/pvh.xen" | head -n 5)
    is "pvh: no failure reported by the probe" "$bad" ""
    cnt=$(xenstore-read "/local/domain/$d/data/softreset-count" 2>/dev/null)
    is "pvh: /local/domain/$d/data/softreset-count" "$cnt" "$N"
    st=$($XLU list "$d" 2>/dev/null | awk 'NR == 2 { print $5 }')
    case $st in *s*) ok "pvh: domain $d preserved, shut down ($st)" ;;
    *) not_ok "pvh: domain $d preserved, shut down" "state '$st'" ;; esac
    if [ "$TRIPLE_pvh" = 0 ]; then
        ok "pvh: no triple fault"
    else
        not_ok "pvh: $TRIPLE_pvh triple fault(s) of domain $d" \
            "$(grep -aA6 -E "d${d}v[0-9]+ Triple fault" "$OUT/pvh.xen" | head -n 14)"
    fi

    growth pvh "$WARMUP_RESETS" resets
    if ourxl destroy "$d" > "$OUT/pvh.destroy" 2>&1; then
        ok "pvh: xl destroy $d"
    else
        not_ok "pvh: xl destroy $d" "$(cat "$OUT/pvh.destroy")"
    fi
    t=0
    while $XLU domid "$name" >/dev/null 2>&1 && [ $t -lt 60 ]; do
        sleep 0.5; t=$((t + 1))
    done
    left=$(leftovers "$d" "$name" "$uuid")
    is "pvh: nothing of domain $d left" "$left" ""
    $XLU destroy "$name" >/dev/null 2>&1
    if [ "$failed" = "$f0" ]; then OUTCOME_pvh=pass
    elif [ "$TRIPLE_pvh" != 0 ]; then OUTCOME_pvh=triple-fault
    else OUTCOME_pvh=fail; fi
}

# --- part 2: the Linux HVM guest that kexecs ------------------------------------

part_hvm() {
    local N=$SOAK_KEXECS hout=$OUT/hvm/hvm-kexec f0=$failed spid line d pid i
    local rc resets_done t0 tf
    note "hvm: $N kexecs of the Linux HVM guest by $XL (scenario hvm-kexec), samples every $KEXEC_EVERY"
    mkdir -p "$hout"
    t0=$(uptime_s)
    # The scenario as run-scenarios runs it (its own checks, its TAP).
    ( cd / && env XL="$XL" XL_KIND=ours OUT="$hout" KEXECS="$N" \
          SCENARIO_TIMEOUT=$((1800 + N * 600)) EXTRA_CFG= \
          sh "$XEN_ROOT/tools/tests/host/scenarios/hvm-kexec.sh" \
          > "$OUT/hvm.tap" 2> "$OUT/hvm.stderr"
      echo "$?" > "$OUT/hvm.rc" ) &
    spid=$!
    # The monitor (xl create -F) names its domain and pid in its first
    # "Waiting for domain" line.
    line= i=0
    while [ -z "$line" ] && [ ! -e "$OUT/hvm.rc" ]; do
        line=$(grep -a -m 1 -E 'Waiting for domain .* \(domid [0-9]+\) to die \[pid [0-9]+\]' \
            "$hout/xl.tlog" 2>/dev/null)
        sleep 1
    done
    d=$(echo "$line" | sed -nE 's/.*\(domid ([0-9]+)\).*/\1/p')
    pid=$(echo "$line" | sed -nE 's/.*\[pid ([0-9]+)\].*/\1/p')
    note "hvm: domain ${d:-?}, monitor pid ${pid:-?}"
    if [ -z "$d" ]; then
        not_ok "hvm: the guest was created" "$(tail -n 5 "$hout/xl.tlog" 2>/dev/null)"
    # no bound of its own: the scenario's time limit ends a guest that
    # stopped, and with it the monitor
    elif sample_loop hvm "$N" "$KEXEC_EVERY" "$hout/xl.tlog" "$d" "$pid" \
        $((1800 + N * 600)) linux; then
        ok "hvm: sampled at$SAMPLED kexecs"
    else
        not_ok "hvm: sampled every $KEXEC_EVERY kexecs and at $N" \
            "sampled at:${SAMPLED:- none}; stopped: $WHY"
    fi
    wait "$spid"
    tf=$(uptime_s)
    rc=$(cat "$OUT/hvm.rc" 2>/dev/null)
    resets_done=$(resets "$hout/xl.tlog")
    note "hvm: $resets_done kexecs in $(awk -v a="$t0" -v b="$tf" 'BEGIN { printf "%.0f", b - a }') s (first boot and samples included)"
    note "hvm: the scenario's TAP (tools/tests/host/scenarios/hvm-kexec.sh):"
    sed 's/^/    /' "$OUT/hvm.tap"
    if [ "$rc" = 0 ] && grep -q '^1\.\.[0-9]' "$OUT/hvm.tap" &&
       ! grep '^not ok' "$OUT/hvm.tap" | grep -qv '# *TODO'; then
        ok "hvm: scenario hvm-kexec with $N kexecs passed"
    else
        not_ok "hvm: scenario hvm-kexec with $N kexecs passed" \
            "exit ${rc:-?}; logs in $hout" "$(tail -n 5 "$OUT/hvm.stderr" 2>/dev/null)"
    fi
    # A kernel lost to a triple fault after a reset: its own outcome,
    # never a pass (the scenario skips the checks it makes meaningless).
    TRIPLE_hvm=$(grep -acE "\(XEN\) d${d:-x}v[0-9]+ Triple fault" "$hout/xen.tlog" 2>/dev/null)
    if [ "${TRIPLE_hvm:-0}" = 0 ]; then
        ok "hvm: no kernel triple-faulted after a soft reset"
    else
        not_ok "hvm: $TRIPLE_hvm kernel(s) triple-faulted after a soft reset ($resets_done resets)" \
            "$(grep -aE "\(XEN\) d${d}v[0-9]+ Triple fault" "$hout/xen.tlog")"
    fi
    is "hvm: $N soft resets done" "$resets_done" "$N"
    [ -n "$d" ] && growth hvm "$WARMUP_KEXECS" kexecs
    if [ "$failed" = "$f0" ]; then OUTCOME_hvm=pass
    elif [ "${TRIPLE_hvm:-0}" != 0 ]; then OUTCOME_hvm=triple-fault
    else OUTCOME_hvm=fail; fi
}

if [ ! -x "$DOMPAUSE" ]; then
    not_ok "dompause is built" "make -C tools/tests/soak tools"
fi
for p in $SOAK_PARTS; do
    case $p in
    pvh) part_pvh ;;
    hvm) part_hvm ;;
    *) not_ok "no part '$p' (pvh, hvm)" ;;
    esac
done

for p in $SOAK_PARTS; do
    case $p in
    pvh) echo "# pvh: the PVH probe, $SOAK_RESETS soft resets (samples after reset R, before generation R runs)"
         table pvh resets ;;
    hvm) echo "# hvm: the Linux HVM guest, $SOAK_KEXECS kexecs (samples after reset R, before kernel R runs)"
         table hvm kexecs ;;
    esac
done
echo "1..$n"
summary="soak: pvh $OUTCOME_pvh"
case " $SOAK_PARTS " in *" pvh "*) summary+=" ($SOAK_RESETS resets, triple faults ${TRIPLE_pvh:--})" ;; esac
summary+=", hvm $OUTCOME_hvm"
case " $SOAK_PARTS " in *" hvm "*) summary+=" ($SOAK_KEXECS kexecs, triple faults ${TRIPLE_hvm:--})" ;; esac
echo "$summary; $n checks, $failed failed"
[ "$failed" -eq 0 ]
