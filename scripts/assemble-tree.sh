#!/bin/sh
# Assemble the patched kernel tree: pristine base + new files + patches.
# Only files whose content changed are written, so kbuild rebuilds only
# what an edit touched.
# Usage: scripts/assemble-tree.sh BASE_DIR TREE_DIR
set -eu
[ $# -eq 2 ] || { echo "usage: $0 BASE_DIR TREE_DIR" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
base=$(cd "$1" && pwd)
tree=$2
stage=$tree.stage
manifest=$tree/.modexcl-overlay
. "$top/scripts/base.sh"

# A tree made from another base (its .extracted names the version) is made anew.
if ! cmp -s "$tree/.extracted" "$base/.extracted" 2>/dev/null; then
	rm -rf "$tree" "$tree.tmp"
	# Hard links: the tree shares the base's files until one is replaced.
	cp -al "$base" "$tree.tmp"
	: > "$tree.tmp/.modexcl-overlay"
	mv "$tree.tmp" "$tree"
fi

rm -rf "$stage"
mkdir -p "$stage"

# New files, at their in-tree paths.
copy_dir() { [ -d "$1" ] && mkdir -p "$stage/$2" && cp -a "$1/." "$stage/$2/"; true; }
copy_dir "$top/kernel/src" .
copy_dir "$top/selftests/modexcl" tools/testing/selftests/modexcl
[ -f "$top/uapi/modexcl.yaml" ] && mkdir -p "$stage/Documentation/netlink/specs" &&
	cp "$top/uapi/modexcl.yaml" "$stage/Documentation/netlink/specs/"
copy_dir "$top/uapi/linux" include/uapi/linux
# The next base's API differs for a few lines of the new files: its
# kernel/next/src.patch (in-tree paths, -p1) forward-ports them.
if [ "$BASE_NAME" = next ] && [ -f "$top/kernel/next/src.patch" ]; then
	patch -d "$stage" -p1 -s -F0 --no-backup-if-mismatch < "$top/kernel/next/src.patch" || {
		echo "assemble-tree: kernel/next/src.patch does not apply to the new files" >&2
		exit 1
	}
fi

# Edits to existing upstream files, applied in kernel/series order.
grep -v '^[[:space:]]*\(#\|$\)' "$(kfile series)" | while read -r p; do
	pf=$(kfile "patches/$p")
	sed -n 's|^--- a/\([^[:space:]]*\).*|\1|p' "$pf" |
	while read -r f; do
		[ -e "$stage/$f" ] || { mkdir -p "$stage/$(dirname "$f")"; cp "$base/$f" "$stage/$f"; }
	done
	patch -d "$stage" -p1 -s -F0 --no-backup-if-mismatch < "$pf" || {
		echo "assemble-tree: ${pf#"$top"/} does not apply" >&2
		exit 1
	}
done

# Write what changed; restore what an earlier overlay touched and this one does not.
(cd "$stage" && find . -type f | sed 's|^\./||' | sort) > "$manifest.new"
while read -r f; do
	if ! cmp -s "$stage/$f" "$tree/$f"; then
		mkdir -p "$tree/$(dirname "$f")"
		rm -f "$tree/$f"
		cp "$stage/$f" "$tree/$f"
	fi
done < "$manifest.new"
comm -23 "$manifest" "$manifest.new" | while read -r f; do
	rm -f "$tree/$f"
	if [ -e "$base/$f" ]; then cp "$base/$f" "$tree/$f"; fi
done
mv "$manifest.new" "$manifest"
rm -rf "$stage"
