# The stall rule of the host suites, one copy for all of them; sourced
# (POSIX sh: dash, busybox ash, bash) by the suites that boot Linux
# guests in dom0 of the test host, and by host-suite for its summary.
#
# A STALL: the guest's console log has stopped growing for STALL_BOUND
# seconds while its domain is running (not paused, not shut down, not
# gone). The clock starts at the console's first byte (an HVM guest's
# firmware says nothing there for minutes under TCG) and stops while the
# domain is paused. A stall is the emulation's doing, not the
# toolstack's: the guest's last console lines and Xen's (xl dmesg) are
# recorded, the guest is destroyed and created once more, said so in TAP
# ("# stall: ..." then "# retry: ..."), and counted in host-suite's
# summary. A second stall of the same guest fails its wait. Nothing else
# is ever retried but a GUEST FAULT (below): a guest that shut down or
# crashed by itself, kept printing without reporting, or reported
# something wrong fails as before.
#
# A GUEST FAULT: the domain stopped before its report and Xen's console
# says that Xen itself ended it: `dDvN Triple fault` (the vCPU's
# VMEXIT_SHUTDOWN, under the test host's nested SVM emulation) or
# `Domain D (vcpu#N) crashed on cpu#M` (Xen's domain_crash(), e.g. on a
# VMEXIT it cannot handle); or that the HVM firmware did, before any
# kernel ran: `(dD) *** HVMLoader bug at ...`/`crashed` (a make check
# saw one right after a garbled line). Both are seen at random on the emulated
# test host, for either xl (docs/design/triple-fault.md); a guest the
# toolstack built wrong faults again. Recorded as a stall is (Xen's lines
# of that domain, the console), counted, and retried on the same terms:
# one retry per wait, whatever ended the first attempt.
#
#   stall_guest NAME CONSOLE LIMIT RESTART DONE...
#       Waits up to LIMIT s until the command DONE... succeeds. On a stall:
#       records it, destroys NAME (Debian's xl), removes CONSOLE, runs
#       RESTART (words: a command that creates NAME again, running) and
#       waits again, LIMIT anew. Returns 0 when DONE succeeded, 1 when
#       the limit passed or the domain stopped running first (the
#       suite's assertions then say what failed), 2 on a second stall,
#       3 when RESTART failed. STALL_RETRIED is 1 after a retry (a new
#       domid); STALL_ELAPSED the seconds of the last wait.
#   stall_wait NAME CONSOLE LIMIT DONE...
#       One wait, no retry: 0 done, 1 limit or not running, 2 stall;
#       STALL_END says which: done, limit, shutdown, gone or stall.
#   stall_summary [EVENTS]: "N stalls, N guest faults, N retries" of
#       the events file.
#   stall_xen_fault DOMID: Xen's lines that ended DOMID (see GUEST FAULT)
#       with the dump that follows them; status 0 when there are any.
#
# Environment: STALL_BOUND (s, default 180: see tools/tests/host/
# README.md), STALL_POLL (s between looks, default 2), STALL_SUITE (the
# suite's name, for the records), STALL_DIR (records and the events
# file, default $XEN_ROOT/tools/tests/out/stalls, which host-suite
# empties and sums), STALL_XL (the observer: Debian's xl). For the
# self-test: STALL_CLOCK (a command printing the time in 1/100 s) and
# STALL_SLEEP (a command waiting one poll).

STALL_BOUND=${STALL_BOUND:-180}
STALL_POLL=${STALL_POLL:-2}
STALL_SUITE=${STALL_SUITE:-host}
STALL_DIR=${STALL_DIR:-${XEN_ROOT:-.}/tools/tests/out/stalls}
STALL_XL=${STALL_XL:-$(command -v xl-upstream 2>/dev/null || echo xl)}
STALL_CLOCK=${STALL_CLOCK:-}
STALL_SLEEP=${STALL_SLEEP:-}
STALL_RETRIED=0
STALL_ELAPSED=0
STALL_END=

# stall_now: STALL_T, the time in 1/100 s (dom0's uptime; no fork).
stall_now() {
    if [ -n "$STALL_CLOCK" ]; then
        STALL_T=$($STALL_CLOCK)
        return
    fi
    read -r _st_up _st_idle < /proc/uptime
    _st_f=${_st_up#*.}
    _st_f=${_st_f#0}
    STALL_T=$((${_st_up%.*} * 100 + ${_st_f:-0}))
}

# stall_domstate NAME: running, paused, shutdown (shut down, crashed or
# dying) or gone, from the flags of `xl list NAME` (r b p s c d).
stall_domstate() {
    _sd_f=$($STALL_XL list "$1" 2>/dev/null | awk 'NR == 2 { print $5 }')
    case $_sd_f in
    "") echo gone ;;
    ???s*|????c*|?????d*) echo shutdown ;;
    ??p*) echo paused ;;
    *) echo running ;;
    esac
}

# stall_size FILE: its size in bytes, 0 when it is not there.
stall_size() {
    _ss=$( { wc -c < "$1"; } 2>/dev/null)
    echo $((${_ss:-0} + 0))
}

# stall_event KIND NAME: one line of the events file that host-suite sums.
stall_event() {
    mkdir -p "$STALL_DIR" &&
        echo "$1 $STALL_SUITE $2" >> "$STALL_DIR/events"
}

stall_wait() {
    _sw_name=$1
    _sw_con=$2
    _sw_limit=$3
    shift 3
    # Its domid, for Xen's lines should it stop (it may then be gone).
    STALL_DOMID=$($STALL_XL domid "$_sw_name" 2>/dev/null)
    stall_now
    _sw_t0=$STALL_T
    _sw_last=$STALL_T
    _sw_size=0
    _sw_out=0
    STALL_SILENCE=0
    while :; do
        stall_now
        if "$@" >/dev/null 2>&1; then
            _sw_rc=0
            STALL_END="done"
            break
        fi
        _sw_sz=$(stall_size "$_sw_con")
        if [ "$_sw_sz" != "$_sw_size" ]; then
            # Progress: the log grew (or was replaced).
            _sw_size=$_sw_sz
            _sw_last=$STALL_T
            _sw_out=0
        else
            _sw_st=$(stall_domstate "$_sw_name")
            case $_sw_st in
            running)
                _sw_out=0
                _sw_q=$((STALL_T - _sw_last))
                [ "$_sw_size" -eq 0 ] || [ $_sw_q -le $STALL_SILENCE ] ||
                    STALL_SILENCE=$_sw_q
                if [ "$_sw_size" -gt 0 ] &&
                    [ $_sw_q -ge $((STALL_BOUND * 100)) ]; then
                    _sw_rc=2
                    STALL_END=stall
                    break
                fi ;;
            paused)
                _sw_out=0
                _sw_last=$STALL_T ;;
            *)
                # Seen twice in a row: one failed `xl list` is no end.
                _sw_out=$((_sw_out + 1))
                if [ $_sw_out -ge 2 ]; then
                    _sw_rc=1
                    STALL_END=$_sw_st
                    break
                fi ;;
            esac
        fi
        if [ $((STALL_T - _sw_t0)) -ge $((_sw_limit * 100)) ]; then
            _sw_rc=1
            STALL_END=limit
            break
        fi
        if [ -n "$STALL_SLEEP" ]; then $STALL_SLEEP; else sleep "$STALL_POLL"; fi
    done
    STALL_ELAPSED=$(((STALL_T - _sw_t0) / 100))
    STALL_SILENCE=$((STALL_SILENCE / 100))
    return $_sw_rc
}

stall_xen_fault() {
    [ -n "$1" ] || return 1
    # The line, then Xen's dump of the vCPU up to its segment line.
    $STALL_XL dmesg 2>/dev/null | tr -d '\r' | awk -v d="$1" '
        BEGIN { tf = "(^|[^0-9A-Za-z])d" d "v[0-9]+ Triple fault";
                dc = "Domain " d " [(]vcpu#[0-9]+[)] crashed on cpu#";
                hl = "[(]d" d "[)] .*[*][*][*] HVMLoader (bug|crashed|assertion)" }
        $0 ~ tf || $0 ~ dc || $0 ~ hl {
            if (prev ~ /domain_crash called from/) print prev
            print; n = 18; hit = 1; prev = $0; next }
        n > 0 { print; n--; if ($0 ~ / cs: /) n = 0 }
        { prev = $0 }
        END { exit !hit }'
}

# stall_first_boot_fault DIR: for a host scenario run kept in DIR (its
# figures and xen.tlog, or those of its parts in subdirectories, as
# pvh-kexec's native/ and rsdp/): the lines by which Xen's console says a
# guest was lost on its first boot, before any soft reset (a run or
# part whose figures say soft_resets 0): Xen's triple fault line, or the
# HVM firmware's own crash.  Nothing when there is none: the failure was
# not the emulation's and is not retried.
stall_first_boot_fault() {
    _sf_f=
    for _sf_f in $(find "$1" -name figures 2>/dev/null); do
        [ "$(sed -n 's/^soft_resets //p' "$_sf_f")" = 0 ] || continue
        cat "$(dirname "$_sf_f")/xen.tlog" 2>/dev/null | tr -d '\r' |
            grep -aE '\(XEN\) d[0-9]+v[0-9]+ Triple fault|\(d[0-9]+\) .*\*\*\* HVMLoader (bug|crashed|assertion)'
    done | sort -u
}

# stall_record KIND NAME CONSOLE ATTEMPT: TAP diagnostics, files, the
# event; KIND is stall or fault (the fault's Xen lines in STALL_FAULT).
stall_record() {
    _sr_base=$STALL_DIR/$STALL_SUITE-$2-$4
    mkdir -p "$STALL_DIR"
    $STALL_XL dmesg > "$_sr_base.xen" 2>&1
    cp "$3" "$_sr_base.console" 2>/dev/null || : > "$_sr_base.console"
    if [ "$1" = fault ]; then
        stall_event fault "$2"
        echo "# guest fault: $2 (domain $STALL_DOMID) was ended by Xen before" \
            "it reported ($STALL_ELAPSED s into the wait, attempt $4 of 2):"
        printf '%s\n' "$STALL_FAULT" | sed 's/^/#     /'
    else
        stall_event stall "$2"
        echo "# stall: $2: no console progress for $STALL_BOUND s while its" \
            "domain ran ($STALL_ELAPSED s into the wait, attempt $4 of 2)"
        echo "#   Xen's last lines ($STALL_XL dmesg):"
        tail -n 8 "$_sr_base.xen" | tr -d '\r' | sed 's/^/#     /'
    fi
    echo "#   the guest's last console lines:"
    tail -n 8 "$_sr_base.console" | tr -d '\r' | sed 's/^/#     /'
    echo "#   kept in $_sr_base.xen and .console"
}

stall_guest() {
    _sg_name=$1
    _sg_con=$2
    _sg_limit=$3
    _sg_restart=$4
    shift 4
    STALL_RETRIED=0
    _sg_try=1
    while :; do
        _sg_kind=
        stall_wait "$_sg_name" "$_sg_con" "$_sg_limit" "$@"
        _sg_rc=$?
        echo "# $_sg_name: longest console silence while running" \
            "$STALL_SILENCE s (stall bound $STALL_BOUND s)"
        case $STALL_END in
        limit)
            echo "# $_sg_name: no report within $_sg_limit s, not a stall:" \
                "no retry" ;;
        shutdown|gone)
            if STALL_FAULT=$(stall_xen_fault "$STALL_DOMID"); then
                _sg_kind=fault
            else
                echo "# $_sg_name: its domain${STALL_DOMID:+ $STALL_DOMID}" \
                    "stopped ($STALL_END) before it reported, not a stall" \
                    "nor a fault of Xen's: no retry; Xen's last lines:"
                $STALL_XL dmesg 2>&1 | tail -n 8 | tr -d '\r' |
                    sed 's/^/#     /'
                echo "#   the guest's last console lines:"
                tail -n 8 "$_sg_con" 2>/dev/null | tr -d '\r' |
                    sed 's/^/#     /'
            fi ;;
        esac
        case $_sg_rc.$_sg_kind in
        2.*) _sg_kind=stall ;;
        1.fault) ;;
        *) return $_sg_rc ;;
        esac
        stall_record $_sg_kind "$_sg_name" "$_sg_con" $_sg_try
        if [ $_sg_try -ge 2 ]; then
            if [ $_sg_kind = stall ]; then
                echo "# stall: $_sg_name stalled again after its retry:" \
                    "no second retry, the wait fails"
                return 2
            fi
            echo "# guest fault: $_sg_name was ended by Xen again after its" \
                "retry: no second retry, the wait fails"
            return 1
        fi
        _sg_try=2
        STALL_RETRIED=1
        stall_event retry "$_sg_name"
        echo "# retry: $_sg_name once ($_sg_kind rule): destroyed and created" \
            "again ($_sg_restart)"
        $STALL_XL destroy "$_sg_name" >/dev/null 2>&1
        rm -f "$_sg_con"
        # shellcheck disable=SC2086 # RESTART: words on purpose
        if ! $_sg_restart; then
            echo "# retry: $_sg_name: $_sg_restart failed"
            return 3
        fi
    done
}

stall_summary() {
    _su_s=$(grep -c '^stall ' "${1:-$STALL_DIR/events}" 2>/dev/null)
    _su_f=$(grep -c '^fault ' "${1:-$STALL_DIR/events}" 2>/dev/null)
    _su_r=$(grep -c '^retry ' "${1:-$STALL_DIR/events}" 2>/dev/null)
    _su_s=${_su_s:-0}
    _su_f=${_su_f:-0}
    _su_r=${_su_r:-0}
    if [ "$_su_s" -eq 1 ]; then printf '1 stall, '
    else printf '%s stalls, ' "$_su_s"; fi
    if [ "$_su_f" -eq 1 ]; then printf '1 guest fault, '
    else printf '%s guest faults, ' "$_su_f"; fi
    if [ "$_su_r" -eq 1 ]; then echo '1 retry'
    else echo "$_su_r retries"; fi
}
