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
tmux valgrind gnuplot-nox python3-docutils udev prometheus
mmdebstrap e2fsprogs xfsprogs btrfs-progs debian-archive-keyring
dpkg-dev debhelper lintian pkgconf"

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
# The kernel base is pinned to one package version (kernel/BASE). The
# archive keeps a few versions of it and drops the oldest: once the pinned
# one is gone, the newest is installed instead, and the build says whether
# the series applies to it (scripts/base-status.sh).
have=$(dpkg-query -W -f='${Version}' "$BASE_PACKAGE" 2>/dev/null || true)
base=
[ "$have" = "$BASE_PACKAGE_VERSION" ] || base="$BASE_PACKAGE=$BASE_PACKAGE_VERSION"

[ -z "$missing$base" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing Debian packages; as root run:" >&2
	echo "  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y" \
		"--no-install-recommends --allow-downgrades$missing${base:+ $base}" >&2
	exit 1
fi
apt-get update -q
if [ -n "$base" ] && ! apt-cache madison "$BASE_PACKAGE" |
	awk -F' *[|] *' -v v="$BASE_PACKAGE_VERSION" '$2 == v { f = 1 } END { exit !f }'; then
	if [ -n "$have" ]; then
		echo "deps: $BASE_PACKAGE $BASE_PACKAGE_VERSION (kernel/BASE) is no longer in the archive; keeping $have"
		base=
	else
		echo "deps: $BASE_PACKAGE $BASE_PACKAGE_VERSION (kernel/BASE) is no longer in the archive; installing the newest"
		base=$BASE_PACKAGE
	fi
	echo "deps: the build says whether the series applies to it (scripts/base-status.sh)"
fi
[ -z "$missing$base" ] && exit 0
echo "deps: installing:$missing${base:+ $base}"
# --allow-downgrades: back to the pinned base when a newer one is installed.
# shellcheck disable=SC2086 # word lists
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends --allow-downgrades \
	$missing $base
