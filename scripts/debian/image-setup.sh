#!/bin/sh
# Add the boot report to a Debian test image's root file system: the script,
# its unit, enabled (it runs only when the kernel command line says mxreport).
# Usage: scripts/debian/image-setup.sh ROOTDIR
set -eu
[ $# -eq 1 ] || { echo "usage: $0 ROOTDIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
root=$1
install -D -m 0755 "$here/mxreport.sh" "$root/usr/lib/modexcl/mxreport.sh"
install -D -m 0644 "$here/mxreport.service" "$root/etc/systemd/system/mxreport.service"
mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
ln -sf ../mxreport.service "$root/etc/systemd/system/multi-user.target.wants/mxreport.service"
