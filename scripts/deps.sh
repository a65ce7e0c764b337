#!/bin/sh
# Install the Debian packages modexcl needs, when any is missing.
# With MODEXCL_BASE=next (make BASE=next), also fetch the next base's
# source package (kernel/BASE-next) and unpack it under build/next/pkg,
# without installing it: it is from another suite than the machine's.
# Usage: scripts/deps.sh    (root: installs; otherwise prints the command)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$here/base.sh"

# fetch_next: the pinned package of BASE_SUITE, with an apt state of our own.
fetch_next() {
	pkg=$BUILD/pkg apt=$BUILD/apt
	[ "$(cat "$pkg/.version" 2>/dev/null)" = "$BASE_PACKAGE_VERSION" ] && return 0
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]" \
		"http://deb.debian.org/debian $BASE_SUITE main" > "$apt/sources.list"
	set -- -q -o Dir::Etc::sourcelist="$apt/sources.list" -o Dir::Etc::sourceparts=- \
		-o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache" \
		-o APT::Sandbox::User=root
	apt-get "$@" update >/dev/null
	newest=$(apt-cache "$@" madison "$BASE_PACKAGE" | awk -F' *[|] *' 'NR == 1 { print $2 }')
	if ! apt-cache "$@" madison "$BASE_PACKAGE" |
		awk -F' *[|] *' -v v="$BASE_PACKAGE_VERSION" '$2 == v { f = 1 } END { exit !f }'; then
		echo "deps: $BASE_PACKAGE $BASE_PACKAGE_VERSION (kernel/BASE-next) is not in $BASE_SUITE," \
			"which has ${newest:-none}; move the pin in kernel/BASE-next to it" >&2
		exit 1
	fi
	rm -rf "$pkg" && mkdir -p "$pkg"
	(cd "$apt" && rm -f ./*.deb && apt-get "$@" download "$BASE_PACKAGE=$BASE_PACKAGE_VERSION")
	dpkg-deb -x "$apt/${BASE_PACKAGE}_"*.deb "$pkg"
	rm -f "$apt/${BASE_PACKAGE}_"*.deb
	echo "$BASE_PACKAGE_VERSION" > "$pkg/.version"
	echo "deps: $BASE_PACKAGE $BASE_PACKAGE_VERSION from $BASE_SUITE unpacked in ${pkg#"$top"/}"
}

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
if [ "$BASE_NAME" = next ]; then
	base=
	fetch_next
fi

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
