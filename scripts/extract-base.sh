#!/bin/sh
# Extract the pinned kernel base once into DIR, checking its version.
# Usage: scripts/extract-base.sh DIR
set -eu
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../kernel/BASE"
dir=$1

[ -f "$dir/.extracted" ] && exit 0
[ -r "$BASE_TARBALL" ] || {
	echo "extract-base: $BASE_TARBALL missing: install $BASE_PACKAGE=$BASE_PACKAGE_VERSION (make deps)" >&2
	exit 1
}
rm -rf "$dir" "$dir.tmp"
mkdir -p "$dir.tmp"
echo "extract-base: unpacking $BASE_TARBALL"
tar -xJf "$BASE_TARBALL" -C "$dir.tmp" --strip-components=1
found=$(make -s -C "$dir.tmp" kernelversion)
if [ "$found" != "$BASE_VERSION" ]; then
	echo "extract-base: $BASE_TARBALL is Linux $found, kernel/BASE pins $BASE_VERSION" >&2
	echo "extract-base: install $BASE_PACKAGE=$BASE_PACKAGE_VERSION or update kernel/BASE" >&2
	rm -rf "$dir.tmp"
	exit 1
fi
touch "$dir.tmp/.extracted"
mv "$dir.tmp" "$dir"
