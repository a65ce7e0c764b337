#!/bin/sh
# Add our units to a Debian test image's root file system: the boot report
# (mxreport) and make run's demo (mxdemo), each enabled and each running only
# when the kernel command line names it; the console's root login; and the
# tool's textfile timer, enabled (the tool itself is installed before).
# Usage: scripts/debian/image-setup.sh ROOTDIR
set -eu
[ $# -eq 1 ] || { echo "usage: $0 ROOTDIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
root=$1
install -D -m 0755 "$here/mxreport.sh" "$root/usr/lib/modexcl/mxreport.sh"
install -D -m 0644 "$here/mxreport.service" "$root/etc/systemd/system/mxreport.service"
mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
ln -sf ../mxreport.service "$root/etc/systemd/system/multi-user.target.wants/mxreport.service"
# make run's demo, and the root shell after it.
install -D -m 0755 "$here/mxdemo.sh" "$root/usr/lib/modexcl/mxdemo.sh"
install -D -m 0644 "$here/mxdemo.service" "$root/etc/systemd/system/mxdemo.service"
ln -sf ../mxdemo.service "$root/etc/systemd/system/multi-user.target.wants/mxdemo.service"
install -D -m 0644 "$here/serial-getty-autologin.conf" \
	"$root/etc/systemd/system/serial-getty@ttyS0.service.d/autologin.conf"
# The tool's node_exporter textfile timer, as an administrator enables it.
mkdir -p "$root/etc/systemd/system/timers.target.wants"
ln -sf /usr/lib/systemd/system/modexcl-textfile.timer \
	"$root/etc/systemd/system/timers.target.wants/modexcl-textfile.timer"
