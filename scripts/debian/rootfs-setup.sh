#!/bin/sh
# Make a fresh Debian root file system a bootable test machine (mmdebstrap
# runs this as a customize hook): host name, a fixed machine id (no first
# boot questions), the root file system in fstab, root logs in on the
# serial console without a password.
# Usage: scripts/debian/rootfs-setup.sh ROOTDIR RELEASE
set -eu
[ $# -eq 2 ] || { echo "usage: $0 ROOTDIR RELEASE" >&2; exit 2; }
root=$1 release=$2
echo "modexcl-$release" > "$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tmodexcl-%s\n' "$release" > "$root/etc/hosts"
# Every boot starts from the same pristine image (QEMU snapshot=on): one
# machine id for all of them, derived from the release.
echo "modexcl-debian-$release" | md5sum | cut -c1-32 > "$root/etc/machine-id"
echo '/dev/vda / ext4 rw,errors=remount-ro 0 0' > "$root/etc/fstab"
chroot "$root" passwd -d root >/dev/null
