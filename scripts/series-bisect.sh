#!/bin/sh
# Every prefix of the series builds and boots on its own (bisectable).
# The prefixes are checked out in turn into one work tree and built in one
# object directory, so each rebuilds only what its patch changed. Those two
# are named as the assembled tree and its build (linux/ and kbuild/ side by
# side), so ccache, keyed on paths relative to the checkout, serves the
# first prefix from what `make kernel` compiled. Each kernel then boots in
# the VM with its own modules and loads them (scripts/guest-smoke.sh).
# Writes a line per prefix to OUTDIR/bisect.txt; exit status 0 only if
# every prefix built and booted.
# Usage: scripts/series-bisect.sh AM_REPO OUTDIR
#        AM_REPO: a git repository with the series applied on a tag series-base.
set -eu
[ $# -eq 2 ] || { sed -n 's/^# Usage: /usage: /p' "$0" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/base.sh"
am=$1 out=$2
bb=$BUILD/series-bisect
src=$bb/linux obj=$bb/kbuild
fragments="$top/kernel/configs/modexcl.config $top/selftests/modexcl/config"
export CCACHE_BASEDIR=$top CCACHE_NOHASHDIR=1
kmake() {
	nice -n 19 make -s -C "$src" O="$obj" CC="ccache gcc" -j"$(nproc)" \
		KBUILD_BUILD_USER=modexcl KBUILD_BUILD_HOST=modexcl "$@"
}

mkdir -p "$bb" "$out" "$bb/no-kselftest"
git -C "$am" worktree prune
rm -rf "$src"
git -C "$am" worktree add -q --detach "$src" series-base
blog=$out/bisect.txt
: > "$blog"
fails=0 n=0
for c in $(git -C "$am" rev-list --reverse series-base..HEAD); do
	n=$((n + 1))
	git -C "$src" checkout -q --detach "$c"
	subj=$(git -C "$src" log -1 --format=%s)
	log=$out/build-$n.log
	# Options of the fragments this prefix does not define yet are not checked.
	(cd "$src" && find . -name 'Kconfig*' -type f -exec sed -n \
		's/^[[:space:]]*\(menu\)\{0,1\}config[[:space:]]\{1,\}\([A-Za-z0-9_]\{1,\}\).*/CONFIG_\2/p' {} +) |
		sort -u > "$bb/defined"
	unknown=$(sed -n 's/^\(CONFIG_[A-Za-z0-9_]*\)=.*/\1/p; s/^# \(CONFIG_[A-Za-z0-9_]*\) is not set/\1/p' $fragments |
		sort -u | comm -23 - "$bb/defined" | paste -sd'|' -)
	t0=$(date +%s)
	if "$top/scripts/kconfig.sh" -i "^(${unknown:-NONE})\$" "$src" "$obj" $fragments > "$log" 2>&1 &&
		kmake bzImage modules >> "$log" 2>&1; then
		built=ok
	else
		built=FAILED
	fi
	warn=$(grep -c 'warning:' "$log" || true)
	booted=-
	if [ $built = ok ]; then
		rm -rf "$bb/modules"
		if kmake modules_install INSTALL_MOD_PATH="$bb/modules" >> "$log" 2>&1 &&
			"$top/scripts/mkinitramfs.sh" "$bb/initramfs.cpio.gz" "$bb/modules/lib/modules" \
				"$bb/no-kselftest" >> "$log" 2>&1 &&
			"$top/scripts/vm-run.sh" -g smoke -t 300 -o "$out/vm-$n" \
				-k "$obj/arch/x86/boot/bzImage" -i "$bb/initramfs.cpio.gz" >> "$log" 2>&1; then
			booted=ok
		else
			booted=FAILED
		fi
	fi
	[ $built = ok ] && [ $booted = ok ] || fails=$((fails + 1))
	printf '%s build %s boot %s %ss %s warnings: %s\n' "$n" "$built" "$booted" \
		"$(($(date +%s) - t0))" "$warn" "$subj" | tee -a "$blog"
done
echo "series-bisect: $fails of $n prefixes failed to build or boot"
[ $fails = 0 ]
