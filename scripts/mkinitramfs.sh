#!/bin/sh
# Build the VM's initramfs: busybox-static as init, the test modules, the
# installed kselftests and the modexcl tool. Everything else comes from the
# host's /usr over 9p at run time (scripts/guest-init).
# Usage: scripts/mkinitramfs.sh OUT.cpio.gz MODULES_DIR KSELFTEST_DIR BIN...
set -eu
[ $# -ge 3 ] || { echo "usage: $0 OUT.cpio.gz MODULES_DIR KSELFTEST_DIR [BIN...]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
out=$1 modules=$2 kselftest=$3
shift 3
root=$out.root

rm -rf "$root"
mkdir -p "$root"
cd "$root"
mkdir -p busybox/bin proc sys dev tmp run root usr etc opt/modexcl/bin opt/modexcl/modules
# Debian's merged /usr: the host's /usr is mounted over usr/.
for d in bin sbin lib lib64; do ln -s "usr/$d" "$d"; done
cp /bin/busybox busybox/busybox
for applet in $(busybox/busybox --list); do ln -s ../busybox "busybox/bin/$applet"; done
cp "$here/guest-init" init
cp "$here/guest-demo.sh" opt/modexcl/demo.sh
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' > etc/passwd
printf 'root:x:0:\nnogroup:x:65534:\n' > etc/group
echo modexcl-vm > etc/hostname

find "$modules" -name '*.ko' -exec cp {} opt/modexcl/modules/ \;
cp -a "$kselftest" opt/modexcl/kselftest
for bin in "$@"; do cp "$bin" opt/modexcl/bin/; done

find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 | gzip -1 > "$out.tmp"
cd - >/dev/null
mv "$out.tmp" "$out"
rm -rf "$root"
