# Helpers of the host-devices scripts (run.sh, guests.sh), sourced in
# dom0 of the test host (busybox sh).

# mkinitrd OUT: the guests' initramfs, gzipped into OUT: dom0's static
# busybox, guest-init as /init, and the front-end modules of the
# guest's kernel (dom0's; Debian builds them as modules) from the
# package cache.
mkinitrd() {
    out=$1
    r=$out.d
    kver=$(uname -r)
    mods=$(ls -d "$TESTHOST_CACHE"/extract/linux-image-"$kver"_*/lib/modules/"$kver"/kernel/drivers 2>/dev/null | head -n 1)
    [ -n "$mods" ] || { echo "no modules of $kver in the cache" >&2; return 1; }
    rm -rf "$r"
    mkdir -p "$r/bin" "$r/lib" "$r/proc" "$r/sys" "$r/dev" "$r/tmp" &&
    cp /bin/busybox "$r/bin/" &&
    cp "$mods/block/xen-blkfront.ko" "$mods/net/xen-netfront.ko" "$r/lib/" &&
    cp "$DEVTEST_DIR/guest-init" "$r/init" &&
    chmod +x "$r/init" || return 1
    (cd "$r" && find . | cpio -o -H newc 2>/dev/null) | gzip > "$out"
    rc=$?
    rm -rf "$r"
    return $rc
}

# TAP: ok DESC, notok DESC, check DESC CMD... (CMD's output to stderr).
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
check() { what=$1; shift; if "$@" >&2; then ok "$what"; else notok "$what"; fi; }

# now: dom0's uptime in seconds (busybox date has no %N).
now() { cut -d' ' -f1 /proc/uptime; }
