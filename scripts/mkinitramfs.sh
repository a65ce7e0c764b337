#!/bin/sh
# Build the VM's initramfs: busybox-static as init, the test modules, the
# installed kselftests and the modexcl tool. Everything else comes from the
# host's /usr over 9p at run time (scripts/guest-init).
# Usage: scripts/mkinitramfs.sh OUT.cpio.gz LIB_MODULES_DIR KSELFTEST_DIR BIN...
set -eu
[ $# -ge 3 ] || { echo "usage: $0 OUT.cpio.gz LIB_MODULES_DIR KSELFTEST_DIR [BIN...]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
out=$(abs "$1") modules=$(abs "$2") kselftest=$(abs "$3")
shift 3
# A private staging directory: two builds of one image may run at once.
root=$(mktemp -d "$out.root.XXXXXX")
trap 'rm -rf "$root" "$root.cpio.gz"' EXIT
bins=
for bin in "$@"; do bins="$bins $(abs "$bin")"; done

chmod 755 "$root"
cd "$root"
mkdir -p busybox/bin proc sys dev tmp run root usr lib etc opt/modexcl/bin
# Debian's merged /usr: the host's /usr is mounted over usr/; guest-init
# fills lib/.
for d in bin sbin lib64; do ln -s "usr/$d" "$d"; done
cp /bin/busybox busybox/busybox
for applet in $(busybox/busybox --list); do ln -s ../busybox "busybox/bin/$applet"; done
cp "$here/guest-init" init
cp "$here/guest-demo.sh" opt/modexcl/demo.sh
cp "$here/guest-bench.sh" opt/modexcl/bench.sh
cp "$here/guest-peer.sh" opt/modexcl/peer.sh
cp "$here/guest-smoke.sh" opt/modexcl/smoke.sh
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' > etc/passwd
printf 'root:x:0:\nnogroup:x:65534:\n' > etc/group
echo modexcl-vm > etc/hostname

cp -a "$modules" opt/modexcl/modules
cp -a "$kselftest" opt/modexcl/kselftest
for bin in $bins; do cp "$bin" opt/modexcl/bin/; done

find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 | gzip -1 > "$root.cpio.gz"
cd - >/dev/null
mv "$root.cpio.gz" "$out"
