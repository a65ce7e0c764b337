#!/bin/sh
# Sparse (C=2) and W=1 on every kernel C file the patches add or change,
# each kernel in its own object directory so the test kernels' objects keep
# their flags:
#   new        the files the patches add: no warning at all;
#   changed    the upstream files the patches edit: no warning stock's same
#              file does not have (compared without line numbers).
# Needs build/kbuild and build/stock-kbuild configured (make kernel stock).
# With MODEXCL_BASE=next, the next base's trees under build/next; the base
# is linted with the patched kernel's config when it has no stock build
# (olddefconfig drops the options the base does not know).
# Leaves "PASSED FAILED SKIPPED" in OUTDIR/counts and the logs beside it.
# Usage: scripts/kernel-lint.sh [-o OUTDIR]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/base.sh"
out=$BUILD/kernel-lint
while getopts o: opt; do
	case $opt in
	o) out=$OPTARG ;;
	*) echo "usage: $0 [-o OUTDIR]" >&2; exit 2 ;;
	esac
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
tree=$BUILD/linux base=$BUILD/linux-base
stock_config=$BUILD/stock-kbuild/.config
[ -f "$stock_config" ] || stock_config=$BUILD/kbuild/.config
passed=0 failed=0
counts() { echo "$passed $failed 0" > "$out/counts"; }
result() { # NAME pass|fail DETAIL
	if [ "$2" = pass ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
	echo "kernel-lint: $1: $2${3:+: $3}"
	counts
}
counts

# The C files of the overlay that the kernel builds, and the upstream ones
# kernel/patches edit.
# KUnit suites (*_test.c) are compiled as part of the file that includes them.
changed=$(grep -v '^[[:space:]]*\(#\|$\)' "$(kfile series)" | while read -r p; do
	sed -n 's|^+++ b/\(.*\.c\)$|\1|p' "$(kfile "patches/$p")"; done | sort -u | tr '\n' ' ')
changed=${changed% }
new=$(grep -E '^(fs|kernel|lib|net|security)/.*\.c$' "$tree/.modexcl-overlay" |
	grep -v '_test\.c$' | grep -vxF "$(echo "$changed" | tr ' ' '\n')")

# lint SRC CONFIG OBJDIR FILE...: W=1 C=2 build of FILE's objects; the
# warnings, one a line, "file: message" (no line or column) on stdout.
lint() {
	src=$1 config=$2 obj=$3
	shift 3
	mkdir -p "$obj"
	cmp -s "$config" "$obj/.config" || cp "$config" "$obj/.config"
	make -s -C "$src" O="$obj" olddefconfig prepare > "$obj/prepare.log" 2>&1 ||
		{ echo "kernel-lint: prepare failed, see $obj/prepare.log" >&2; return 1; }
	objs=$(for f in "$@"; do echo "${f%.c}.o"; done)
	# shellcheck disable=SC2086 # one word per object
	make -C "$src" O="$obj" CC="ccache gcc" W=1 C=2 -j"$(nproc)" $objs > "$obj/lint.log" 2>&1 ||
		{ echo "kernel-lint: build failed, see $obj/lint.log" >&2; return 1; }
	sed -e "s|^$src/||" -e 's|^\(\.\./\)*||' "$obj/lint.log" |
		sed -n 's#^\([^: ]*\.[ch]\):[0-9]*:[0-9]*: \(warning\|error\): #\1: \2: #p' | sort -u
}

if lint "$tree" "$BUILD/kbuild/.config" "$BUILD/lint-kbuild" $new $changed \
		> "$out/patched.txt"; then
	ok=1
else
	ok=0
fi
if [ $ok = 1 ]; then
	grep -vE "^($(echo "$changed" | sed 's/ /|/g')): " "$out/patched.txt" > "$out/new.txt" || true
	if [ -s "$out/new.txt" ]; then
		cat "$out/new.txt"
		result new fail "$(wc -l < "$out/new.txt") warnings in $(echo "$new" | wc -w) files"
	else
		result new pass "$(echo "$new" | wc -w) files, no warning"
	fi
else
	result new fail "the patched tree did not build"
fi

if lint "$base" "$stock_config" "$BUILD/lint-stock" $changed \
		> "$out/stock.txt" && [ $ok = 1 ]; then
	grep -E "^($(echo "$changed" | sed 's/ /|/g')): " "$out/patched.txt" |
		comm -23 - "$out/stock.txt" > "$out/changed.txt" || true
	if [ -s "$out/changed.txt" ]; then
		cat "$out/changed.txt"
		result changed fail "$(wc -l < "$out/changed.txt") warnings stock has not"
	else
		result changed pass "$changed: $(wc -l < "$out/stock.txt") warnings, as stock"
	fi
else
	result changed fail "a tree did not build"
fi
echo "kernel-lint: $passed passed, $failed failed"
[ $failed = 0 ]
