# Helpers of the xl end-to-end tests (t/*.t), which run IN dom0 of the
# test host (bash). TAP on standard output.
#
# Environment:
#   XL       the xl under test (default: the tree's tools/xl/xl)
#   XL_REF   the reference: Debian's xl, upstream libxl 4.17
#   GUESTS_SRC  where pvh-probe.elf is (tools/tests/guests)

HOST_XL_DIR=${HOST_XL_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
XEN_ROOT=${XEN_ROOT:-$(cd "$HOST_XL_DIR/../../.." && pwd)}
XL=${XL:-$XEN_ROOT/tools/xl/xl}
XL_REF=${XL_REF:-/usr/sbin/xl-upstream}
GUESTS_SRC=${GUESTS_SRC:-$XEN_ROOT/tools/tests/guests}
PROBE=$GUESTS_SRC/pvh-probe.elf
SCRATCH=${SCRATCH:-/tmp/host-xl.$$}
mkdir -p "$SCRATCH"
# An empty xl.conf for both xls: the host's settings change nothing.
: > "$SCRATCH/xl.conf"

tap_n=0
tap_failed=0
ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $*"; }
not_ok() {
    tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1))
    echo "not ok $tap_n - $1"; shift
    local d; for d in "$@"; do echo "#   $d"; done
}
skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1 # SKIP $2"; }
note() { echo "# $*"; }
is() { # is DESC GOT WANT
    if [ "$2" = "$3" ]; then ok "$1"; else
        not_ok "$1" "got:  '$2'" "want: '$3'"
    fi
}
check() { # check DESC CMD...
    local desc=$1; shift
    local out
    if out=$("$@" 2>&1); then ok "$desc"; else
        not_ok "$desc" "failed: $*" "$out"
    fi
}
# same DESC FILE_GOT FILE_WANT: equal files, the diff otherwise
same() {
    if cmp -s "$2" "$3"; then ok "$1"; else
        not_ok "$1" "differs from the reference:"
        diff -u "$3" "$2" | head -40 | sed 's/^/#   /'
    fi
}
done_testing() {
    echo "1..$tap_n"
    rm -rf "$SCRATCH"
    [ "$tap_failed" -eq 0 ]
}

# Both xls, with the test's xl.conf.
xl() { XL_GLOBAL_CONFIG=$SCRATCH/xl.conf "$XL" "$@"; }
xlref() { "$XL_REF" "$@"; }

# A line of `xl list` without its CPU time (which changes between runs).
untime() { sed -E 's/[[:space:]]+[0-9]+\.[0-9]$//'; }

# A probe guest config: NAME, then more config lines.
probe_cfg() {
    local name=$1; shift
    local f=$SCRATCH/$name.cfg
    {
        echo "name = \"$name\""
        echo 'type = "pvh"'
        echo "kernel = \"$PROBE\""
        echo 'memory = 32'
        echo 'vcpus = 1'
        local l; for l in "$@"; do echo "$l"; done
    } > "$f"
    echo "$f"
}

# wait_state NAME LETTER SECS: until `xl list NAME`'s state has LETTER
# (the reference xl observes).
wait_state() {
    local i=0 st
    while [ $i -lt $(($3 * 10)) ]; do
        st=$(xlref list "$1" 2>/dev/null | awk 'NR==2 {print $5}')
        case "$st" in *"$2"*) return 0 ;; esac
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# wait_gone NAME SECS
wait_gone() {
    local i=0
    while [ $i -lt $(($2 * 10)) ]; do
        xlref domid "$1" >/dev/null 2>&1 || return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# Leaves no guest of ours behind, whatever happened.
cleanup_guest() {
    local id
    id=$(xlref domid "$1" 2>/dev/null) && xlref destroy "$id" 2>/dev/null
    return 0
}

# What a domain leaves in dom0, none of which may outlive its destroy.
leftovers() { # leftovers DOMID NAME
    xenstore-ls "/local/domain/$1" >/dev/null 2>&1 && echo "/local/domain/$1"
    xenstore-ls "/libxl/$1" >/dev/null 2>&1 && echo "/libxl/$1"
    xenstore-ls "/local/domain/0/device-model/$1" >/dev/null 2>&1 &&
        echo "/local/domain/0/device-model/$1"
    ls /var/lib/xen/userdata-*."$1".* /var/lib/xen/qemu-save."$1" \
       /var/run/xen/qmp-libxl-"$1" /var/run/xen/qmp-libxenstat-"$1" \
       2>/dev/null
    xlref domid "$2" >/dev/null 2>&1 && echo "domain $2"
    # QEMUs: one grep over every process's command line finds the
    # candidates (a pipeline per process costs seconds in dom0 here)
    local f
    for f in $(grep -l -- "-xen-domid" /proc/[0-9]*/cmdline 2>/dev/null); do
        tr '\0' ' ' < "$f" 2>/dev/null | grep -q -- "-xen-domid $1 " &&
            echo "a QEMU of domain $1 ($(basename "$(dirname "$f")"))"
    done
    return 0
}

# The monitor log of guest NAME (our xl and upstream's write it there).
LOGDIR=/var/log/xen
log_of() { cat "$LOGDIR/xl-$1.log" 2>/dev/null; }
# wait_log NAME REGEX SECS
wait_log() {
    local i=0
    while [ $i -lt $(($3 * 10)) ]; do
        log_of "$1" | grep -Eq "$2" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
