#!/bin/sh
# Install the Debian packages modexcl needs, when any is missing.
# Usage: scripts/deps.sh    (root: installs; otherwise prints the command)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../kernel/BASE"

pkgs="build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils rsync
ccache dwarves git kmod busybox-static qemu-system-x86 sparse
python3 python3-yaml python3-jsonschema
libmnl-dev libncurses-dev libjson-c-dev libnl-genl-3-dev libcmocka-dev
tmux valgrind gnuplot-nox python3-docutils udev
mmdebstrap e2fsprogs debian-archive-keyring"

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
# The kernel base is pinned to one package version.
have=$(dpkg-query -W -f='${Version}' "$BASE_PACKAGE" 2>/dev/null || true)
[ "$have" = "$BASE_PACKAGE_VERSION" ] || missing="$missing $BASE_PACKAGE=$BASE_PACKAGE_VERSION"

[ -z "$missing" ] && exit 0
cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing Debian packages; as root run:" >&2
	echo "  $cmd" >&2
	exit 1
fi
echo "deps: installing:$missing"
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
