# Common settings of the test host scripts; sourced, not run.
# shellcheck shell=bash

TH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
XEN_ROOT=${XEN_ROOT:-$(cd "$TH_DIR/../.." && pwd)}
# The fetched Debian packages live outside the tree, shared with
# tools/tests/reference: debs/ holds the .deb files, extract/ their contents.
TH_CACHE=${XEN_TOOLSTACK_CACHE:-${HOME:-/root}/.cache/xen-toolstack}
# Per-tree runtime state: QEMU pid, serial log, command spool, image.
TH_STATE=${TESTHOST_STATE:-$TH_DIR/run}
# The dom0 image is tree-independent: it lives in the cache.
TH_IMAGE=${TESTHOST_IMAGE:-$TH_CACHE/image}
TH_SPOOL=$TH_STATE/spool
TH_SERIAL_LOG=$TH_STATE/serial.log
TH_RUN_LOG=$TH_STATE/run.log
TH_PIDFILE=$TH_STATE/qemu.pid

th_msg() { printf 'testhost: %s\n' "$*" >&2; }
th_die() { th_msg "$*"; exit 1; }

# Appends a time-stamped line to the run log (and says it on stderr when
# TH_VERBOSE is set).
th_log() {
    mkdir -p "$TH_STATE"
    printf '%s %s\n' "$(date -u +%FT%TZ)" "$*" >>"$TH_RUN_LOG"
    [ -z "${TH_VERBOSE:-}" ] || th_msg "$*"
}

# True when our QEMU is running: the pid in our pidfile is a QEMU that
# was given that pidfile (not a recycled pid).
th_qemu_alive() {
    local pid
    [ -f "$TH_PIDFILE" ] || return 1
    read -r pid <"$TH_PIDFILE" 2>/dev/null || return 1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
        grep -aqF -- "$TH_PIDFILE" "/proc/$pid/cmdline" 2>/dev/null
}
