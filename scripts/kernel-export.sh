#!/bin/sh
# Write the commits of the kernel-git tree back to kernel/patches and
# kernel/series, one patch per commit (BASE=next: kernel/next/).
# Usage: scripts/kernel-export.sh GIT_DIR
set -eu
[ $# -eq 1 ] || { echo "usage: $0 GIT_DIR" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/base.sh"
kdir=$top/kernel
[ "$BASE_NAME" = next ] && kdir=$top/kernel/next
cd "$1"
mkdir -p "$kdir/patches"
rm -f "$kdir"/patches/*.patch
git format-patch -q --zero-commit --no-signature -o "$kdir/patches" modexcl-base..HEAD
(cd "$kdir/patches" && ls ./*.patch 2>/dev/null | sed 's|^\./||') > "$kdir/series"
# next keeps only what differs from 6.12 (scripts/base.sh falls back to it):
# a patch that differs in line numbers alone, and the same patch order.
if [ "$BASE_NAME" = next ]; then
	strip() { grep -v '^\(index \|@@ \)' "$1"; }
	for p in "$kdir"/patches/*.patch; do
		q=$top/kernel/patches/${p##*/}
		[ -f "$q" ] && [ "$(strip "$p")" = "$(strip "$q")" ] && rm "$p"
	done
	cmp -s "$kdir/series" "$top/kernel/series" && rm "$kdir/series"
fi
echo "kernel-export: $(ls "$kdir"/patches/*.patch | wc -l) patches in ${kdir#"$top"/}/patches"
