#!/bin/sh
# TAP: checks on pvh-probe.elf that need no Xen.  The Xen ELF notes must
# be what Xen's libelf and QEMU's PVH loader look for, and the guest must
# boot under plain QEMU (TCG), parse its command line, find no Xen and
# leave through QEMU's isa-debug-exit device.
#
# Usage: check-elf.t [path/to/pvh-probe.elf]   (make check builds it first)

here=$(cd "$(dirname "$0")" && pwd)
elf=${1:-$here/pvh-probe.elf}
qemu=${QEMU:-qemu-system-x86_64}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
check() { # check DESCRIPTION COMMAND...
    d=$1; shift
    if "$@"; then ok "$d"; else notok "$d"; fi
}
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }

echo "1..18"

if [ ! -f "$elf" ]; then
    echo "Bail out! $elf not built (make -C $here)"
    exit 1
fi

readelf -h -l -n -s "$elf" >"$tmp/re" 2>&1
check "readelf reads it" [ -s "$tmp/re" ]
check "64-bit x86-64 executable" sh -c \
    "grep -q 'Class: *ELF64' '$tmp/re' &&
     grep -q 'Type: *EXEC' '$tmp/re' &&
     grep -q 'Machine: *Advanced Micro Devices X86-64' '$tmp/re'"
check "has a PT_NOTE segment" grep -qE '^ +NOTE ' "$tmp/re"
check "is static (no interpreter, no dynamic section)" sh -c \
    "! grep -qE 'INTERP|DYNAMIC' '$tmp/re'"

# Xen notes as "TYPE HEXBYTES" lines, e.g. "6 70 76 68 ...".
awk '
    /^ +Xen +0x/ { match($0, /\(0x[0-9a-f]+\)/);
                   t = substr($0, RSTART + 3, RLENGTH - 4); next }
    t != "" && /description data:/ { sub(/.*description data: */, "");
                   print t, $0; t = "" }
' "$tmp/re" | while read -r t rest; do
    echo "$(printf '%d' "0x$t") $rest"
done >"$tmp/notes"

# note_str TYPE: the note's descriptor as a string (NUL dropped).
note_str() {
    awk -v t="$1" '$1 == t { $1 = ""; print; exit }' "$tmp/notes" |
        tr -s ' ' '\n' | grep -v '^$' | grep -v '^00$' |
        while read -r b; do printf "\\$(printf '%03o' "0x$b")"; done
}
# note_u32 TYPE: a 4-byte little-endian numeric descriptor, as 0x%x.
note_u32() {
    awk -v t="$1" '$1 == t && NF == 5 {
        printf "0x%s%s%s%s\n", $5, $4, $3, $2; exit }' "$tmp/notes" |
        sed 's/^0x0*/0x/'
}

# Numbers from Xen's public header, not from our source.
hdr=/usr/include/xen/elfnote.h
num() { awk -v n="$1" '$1 == "#define" && $2 == n { print $3 }' "$hdr"; }
GUEST_OS=$(num XEN_ELFNOTE_GUEST_OS)
XEN_VERSION=$(num XEN_ELFNOTE_XEN_VERSION)
LOADER=$(num XEN_ELFNOTE_LOADER)
PHYS32=$(num XEN_ELFNOTE_PHYS32_ENTRY)

check "five Xen notes" [ "$(wc -l <"$tmp/notes")" -eq 5 ]
check "GUEST_OS note names the probe" [ "$(note_str "$GUEST_OS")" = pvh-probe ]
check "XEN_VERSION note is xen-3.0" [ "$(note_str "$XEN_VERSION")" = xen-3.0 ]
check "LOADER note is generic" [ "$(note_str "$LOADER")" = generic ]

entry_sym=$(awk '$NF == "pvh_entry" { sub(/^0*/, "", $2); print "0x" $2 }' \
    "$tmp/re")
phys32=$(note_u32 "$PHYS32")
check "PHYS32_ENTRY note ($phys32) is pvh_entry ($entry_sym)" \
    [ -n "$phys32" -a "$phys32" = "$entry_sym" ]
# The load segment: offset vaddr paddr on one line, sizes on the next.
set -- $(awk '/^ +LOAD / { v = $3; getline; print v, $2; exit }' "$tmp/re")
in_seg() { # in_seg START SIZE ADDR
    [ -n "$2" ] && [ -n "$3" ] &&
        [ $(($3)) -ge $(($1)) ] && [ $(($3)) -lt $(($1 + $2)) ]
}
check "PHYS32_ENTRY lies inside the load segment" in_seg "$1" "$2" "$phys32"

# Under plain QEMU: PVH boot, command line, no Xen, debug-exit.
boot() { # boot NAME APPEND
    timeout 120 "$qemu" -accel tcg -m 64 -display none -no-reboot \
        -serial none -monitor none -nodefaults \
        -device isa-debug-exit,iobase=0xf4,iosize=4 \
        -debugcon "file:$tmp/$1.out" \
        -kernel "$elf" -append "$2" >"$tmp/$1.qemu" 2>&1
    echo $? >"$tmp/$1.rc"
}
if ! command -v "$qemu" >/dev/null 2>&1; then
    for i in 1 2 3 4 5 6 7 8; do skip "$qemu not installed"; done
else
    boot a "count=7 mode=scribble at=2"
    check "QEMU boot prints the boot line with the parsed options" \
        grep -qx \
        'PROBE boot gen=0 count=7 mode=scribble at=2 canary=0x[0-9a-f]*+4000' \
        "$tmp/a.out"
    check "QEMU boot prints PROBE no xen" grep -qx 'PROBE no xen' "$tmp/a.out"
    # isa-debug-exit: QEMU exits with (value << 1) | 1; we write 0x10.
    check "left through isa-debug-exit (status 33, got $(cat "$tmp/a.rc"))" \
        [ "$(cat "$tmp/a.rc")" = 33 ]
    check "nothing printed after PROBE no xen" \
        [ "$(tail -n 1 "$tmp/a.out")" = "PROBE no xen" ]

    boot b "count=x mode=bogus frob=1"
    check "bad options are named and defaults kept" sh -c "
        grep -q \"^PROBE bad value in option 'count='\" '$tmp/b.out' &&
        grep -q \"^PROBE unknown mode in 'mode=bogus\" '$tmp/b.out' &&
        grep -q \"^PROBE ignoring unknown option at 'frob=1'\" '$tmp/b.out' &&
        grep -q '^PROBE boot gen=0 count=3 mode=normal at=0 ' '$tmp/b.out'"
    # A triple fault resets the machine; -no-reboot makes QEMU exit 0.
    boot d "mode=crash"
    check "mode=crash without Xen triple-faults (status $(cat "$tmp/d.rc"))" \
        sh -c "[ \"\$(tail -n 1 '$tmp/d.out')\" = \
                 'PROBE crash gen=0: triple fault' ] &&
               [ \"\$(cat '$tmp/d.rc')\" = 0 ]"
    # An exception with the IDT in place is reported, then debug-exit 0x11.
    boot f "mode=fault"
    check "mode=fault: the stub reports the #UD (status $(cat "$tmp/f.rc"))" \
        sh -c "grep -q '^PROBE fault gen=0: ud2\$' '$tmp/f.out' &&
               grep -q '^PROBE exception vec=6 err=0 rip=' '$tmp/f.out' &&
               [ \"\$(cat '$tmp/f.rc')\" = 35 ]"
    boot c ""
    check "empty command line: defaults" \
        grep -q '^PROBE boot gen=0 count=3 mode=normal at=0 ' "$tmp/c.out"
fi

[ "$n" -eq 18 ] || echo "# planned 18, ran $n"
exit $((fails > 0))
