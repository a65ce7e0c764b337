#!/bin/sh
# Extract the kernel base into DIR (make runs this when kernel/BASE or the
# installed tarball changed), checking its version against the pin.
# DIR/.extracted holds the version, so that an assembled tree made from
# another one is made anew (scripts/assemble-tree.sh).
# Usage: scripts/extract-base.sh DIR
set -eu
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$here/base.sh"
dir=$1

[ -r "$BASE_TARBALL" ] || {
	echo "extract-base: $BASE_TARBALL missing: install $BASE_PACKAGE=$BASE_PACKAGE_VERSION (make deps${MODEXCL_BASE:+ BASE=$MODEXCL_BASE})" >&2
	exit 1
}
rm -rf "$dir" "$dir.tmp"
mkdir -p "$dir.tmp"
echo "extract-base: unpacking $BASE_TARBALL"
tar -xJf "$BASE_TARBALL" -C "$dir.tmp" --strip-components=1
found=$(make -s -C "$dir.tmp" kernelversion)
# Another version than the pinned one (a security update, or the pinned
# package gone from the archive): go on only if the series applies to it,
# and say so either way.
if [ "$found" != "$BASE_VERSION" ]; then
	status=0
	"$here/base-status.sh" -q "$BASE_TARBALL" || status=$?
	[ "$status" -le 1 ] || { rm -rf "$dir.tmp"; exit 1; }
fi
echo "$found" > "$dir.tmp/.extracted"
mv "$dir.tmp" "$dir"
