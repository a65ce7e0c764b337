#!/bin/sh
# Check the patch series `make series` wrote (build/series/patches):
#   am          it applies with git am on a fresh copy of the pristine base;
#   tree        the result equals the assembled tree on every path the series
#               touches, and no overlay path of the tree is missing from it
#               (docs and index/MAINTAINERS entries are the deliberate extras
#               kernel/series-split maps);
#   checkpatch  scripts/checkpatch.pl --strict (of the base) on every patch:
#               no error, warning or check;
#   maintainers scripts/get_maintainer.pl runs on the series and names the
#               series' own MAINTAINERS entry;
#   bisect      (-b only) every prefix of the series builds with the project
#               config and boots (scripts/series-bisect.sh).
# Leaves "PASSED FAILED SKIPPED" in OUTDIR/counts and the logs beside it.
# With MODEXCL_BASE=next, the series of the next base (build/series/next)
# against its base (scripts/base.sh).
# Usage: scripts/series-check.sh [-b] [-o OUTDIR] [-s SERIES_DIR] [-t TREE_DIR]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/base.sh"
series=$top/build/series
[ "$BASE_NAME" = next ] && series=$top/build/series/next
usage() { echo "usage: $0 [-b] [-o OUTDIR] [-s SERIES_DIR] [-t TREE_DIR]" >&2; exit 2; }
bisect=0 out=$BUILD/series-check tree=$BUILD/linux
while getopts bo:s:t: opt; do
	case $opt in
	b) bisect=1 ;;
	o) out=$OPTARG ;;
	s) series=$OPTARG ;;
	t) tree=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || usage
base=$BUILD/linux-base
am=$BUILD/series-check-am
split=$(kfile series-split)
mkdir -p "$out"
out=$(cd "$out" && pwd)
passed=0 failed=0 skipped=0
counts() { echo "$passed $failed $skipped" > "$out/counts"; }
result() { # NAME pass|fail|skip DETAIL
	case $2 in
	pass) passed=$((passed + 1)) ;;
	fail) failed=$((failed + 1)) ;;
	*) skipped=$((skipped + 1)) ;;
	esac
	echo "series-check: $1: $2${3:+: $3}"
	counts
}
counts
start=$(date +%s)

patches=$(ls "$series"/patches/*.patch 2>/dev/null | grep -v '/0000-cover-letter\.patch$' || true)
if [ -z "$patches" ] || [ ! -f "$base/.extracted" ] || [ ! -f "$tree/.modexcl-overlay" ]; then
	for c in am tree checkpatch maintainers; do
		result $c fail "no series in $series/patches, base or assembled tree (make series)"
	done
	exit 1
fi

# --- am: a fresh copy of the pristine base, the series applied with git am.
rm -rf "$am"
mkdir -p "$(dirname "$am")"
cp -a "$base" "$am"
rm -f "$am/.extracted"
amlog=$out/am.log
if (cd "$am" && git init -q && git config core.autocrlf false &&
	git add -A -f && git -c user.name=base -c user.email=base@invalid commit -q -m base &&
	git tag series-base && echo "$patches" | xargs git -c user.name=check -c user.email=check@invalid am -q) \
	> "$amlog" 2>&1; then
	result am pass "$(echo "$patches" | wc -l) patches"
	am_ok=1
else
	result am fail "see $amlog"
	am_ok=0
fi

# --- tree: the applied series equals the assembled tree.
if [ $am_ok = 1 ]; then
	log=$out/tree.log
	: > "$log"
	git -C "$am" diff --name-only series-base HEAD | sort > "$out/touched"
	sort "$tree/.modexcl-overlay" > "$out/overlay"
	sed -n 's/^map[[:space:]]\{1,\}\([^[:space:]]*\)[[:space:]]\{1,\}\([^[:space:]]*\).*/\2 \1/p' "$split" > "$out/mapped"
	awk '$1 == "patch" { nn = $2 } $1 == "diff" { print "series-stages/" nn "/" $2 }' "$split" |
		while read -r d; do sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "$(kfile "$d")"; done | sort -u > "$out/extras"
	while read -r f; do
		src=$(awk -v f="$f" '$1 == f { print $2 }' "$out/mapped")
		if [ -n "$src" ]; then
			cmp -s "$am/$f" "$top/$src" || echo "differs from $src: $f" >> "$log"
		elif grep -qxF "$f" "$out/overlay"; then
			cmp -s "$am/$f" "$tree/$f" || echo "differs from the assembled tree: $f" >> "$log"
			if { [ -x "$am/$f" ] && [ ! -x "$tree/$f" ]; } || { [ ! -x "$am/$f" ] && [ -x "$tree/$f" ]; }; then
				echo "mode differs from the assembled tree: $f" >> "$log"
			fi
		elif ! grep -qxF "$f" "$out/extras"; then
			echo "touched, but neither in the assembled tree nor mapped: $f" >> "$log"
		fi
	done < "$out/touched"
	comm -23 "$out/overlay" "$out/touched" | sed 's/^/in the assembled tree, not in the series: /' >> "$log"
	if [ -s "$log" ]; then
		result tree fail "$(wc -l < "$log") paths, see $log (make series after an edit)"
	else
		result tree pass "$(wc -l < "$out/touched") paths"
	fi
else
	result tree skip "git am failed"
fi

# --- checkpatch, from the base tree. The base is a tarball without git
# history, so checkpatch cannot look up any commit id and would call every
# one unknown: UNKNOWN_COMMIT_ID is ignored; the form of the references is
# still checked (GIT_COMMIT_ID).
bad=0
: > "$out/checkpatch.txt"
for p in $patches; do
	name=$(basename "$p")
	(cd "$base" && scripts/checkpatch.pl --strict --showfile --ignore UNKNOWN_COMMIT_ID "$p") \
		> "$out/checkpatch-$name.log" 2>&1 || true
	sum=$(grep '^total:' "$out/checkpatch-$name.log" || echo "total: checkpatch did not finish")
	echo "$name: $sum" >> "$out/checkpatch.txt"
	echo "$sum" | grep -q '^total: 0 errors, 0 warnings, 0 checks' || bad=$((bad + 1))
done
if [ $bad = 0 ]; then
	result checkpatch pass "every patch clean"
else
	cat "$out/checkpatch.txt"
	result checkpatch fail "$bad patches not clean, see $out/checkpatch-*.log"
fi

# --- get_maintainer, from the series applied (our MAINTAINERS entry).
gmt=$base
[ $am_ok = 1 ] && gmt=$am
if (cd "$gmt" && echo "$patches" | xargs ./scripts/get_maintainer.pl --no-git --no-git-fallback) \
	> "$out/get_maintainer.txt" 2>&1 && grep -q 'MODEXCL' "$out/get_maintainer.txt"; then
	result maintainers pass "$(wc -l < "$out/get_maintainer.txt") addresses"
else
	result maintainers fail "see $out/get_maintainer.txt"
fi

# --- bisect (-b): every prefix builds and boots (scripts/series-bisect.sh).
if [ $bisect = 1 ]; then
	if [ $am_ok = 1 ]; then
		if "$top/scripts/series-bisect.sh" "$am" "$out/bisect"; then
			result bisect pass "$(wc -l < "$out/bisect/bisect.txt") prefixes build and boot"
		else
			result bisect fail "see $out/bisect/bisect.txt and the logs beside it"
		fi
	else
		result bisect skip "git am failed"
	fi
fi

echo "series-check: $passed passed, $failed failed, $skipped skipped in $(( $(date +%s) - start )) s"
[ $failed = 0 ]
