#!/bin/sh
# Generate the modexcl family's code from its YNL spec with the kernel's own
# ynl-gen-c.py, run on the spec's copy inside the assembled tree (the
# generator looks upward for MAINTAINERS and finds its schema beside the
# spec), and write the committed files: uapi/linux/modexcl.h and
# kernel/src/kernel/modexcl/modexcl-nl-gen.[ch].
# -c: write nothing; fail when a committed file differs from what the
#     generator makes now (with -o, leave "PASSED FAILED SKIPPED" in OUTDIR/counts).
# Usage: scripts/ynl-gen.sh [-c] [-o OUTDIR] [TREE_DIR]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
check=0 out=
while getopts co: opt; do
	case $opt in
	c) check=1 ;; o) out=$OPTARG ;;
	*) sed -n 's/^# Usage: /usage: /p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
tree=$(cd "${1:-$top/build/linux}" && pwd)
spec=Documentation/netlink/specs/modexcl.yaml
[ -f "$tree/$spec" ] || { echo "ynl-gen: $tree/$spec missing (make kernel)" >&2; exit 1; }
cmp -s "$top/uapi/modexcl.yaml" "$tree/$spec" ||
	{ echo "ynl-gen: $tree is not assembled from uapi/modexcl.yaml (make kernel)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Each output: mode, kind, file name in $tmp, committed path.
set -- uapi header modexcl.h uapi/linux/modexcl.h \
	kernel header modexcl-nl-gen.h kernel/src/kernel/modexcl/modexcl-nl-gen.h \
	kernel source modexcl-nl-gen.c kernel/src/kernel/modexcl/modexcl-nl-gen.c
stale=0
while [ $# -ge 4 ]; do
	(cd "$tree" && python3 tools/net/ynl/ynl-gen-c.py --mode "$1" --"$2" \
		--spec "$spec" -o "$tmp/$3") >/dev/null
	if cmp -s "$tmp/$3" "$top/$4"; then
		:
	elif [ "$check" -eq 1 ]; then
		echo "ynl-gen: $4 is stale; run make ynl-gen" >&2
		diff -u "$top/$4" "$tmp/$3" | head -20 >&2 || true
		stale=1
	else
		cp "$tmp/$3" "$top/$4"
		echo "ynl-gen: wrote $4"
	fi
	shift 4
done
[ -n "$out" ] && mkdir -p "$out" && echo "$((1 - stale)) $stale 0" > "$out/counts"
[ "$check" -eq 1 ] && [ "$stale" -eq 0 ] && echo "ynl-gen: generated files are up to date"
exit "$stale"
