#!/bin/sh
# Where the kernel base stands: the version kernel/BASE pins, the one the
# installed linux-source package carries, the newest in the archive, and
# whether the series (kernel/patches, in kernel/series order) applies to
# the installed one. Applying is checked on the files the patches touch,
# extracted alone from the package's tarball (no full unpack).
# Usage: scripts/base-status.sh [-q] [TARBALL]
# -q: only the verdict, on stderr, and only when the installed base is not
#     the pinned one (scripts/extract-base.sh asks this way).
# Exit: 0 the installed base is the pinned one; 1 it is another version and
# the series applies to it; 2 the series does not apply, or nothing is
# installed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$top/kernel/BASE"
quiet=0
[ "${1:-}" = -q ] && { quiet=1; shift; }
tarball=${1:-$BASE_TARBALL}
say() { [ "$quiet" -eq 1 ] || echo "$@"; }

say "pinned:    $BASE_PACKAGE $BASE_PACKAGE_VERSION (Linux $BASE_VERSION, kernel/BASE)"
installed=$(dpkg-query -W -f='${Version}' "$BASE_PACKAGE" 2>/dev/null || true)
say "installed: $BASE_PACKAGE ${installed:-none}"
if [ "$quiet" -eq 0 ] && command -v apt-cache >/dev/null; then
	newest=$(apt-cache madison "$BASE_PACKAGE" 2>/dev/null | awk -F' *[|] *' 'NR == 1 { print $2 }')
	pinned_there=$(apt-cache madison "$BASE_PACKAGE" 2>/dev/null |
		awk -F' *[|] *' -v v="$BASE_PACKAGE_VERSION" '$2 == v { print "yes"; exit }')
	if [ -n "$pinned_there" ]; then there="is still there"
	else there="is gone (make deps installs the newest)"; fi
	say "archive:   newest ${newest:-unknown}; the pinned version $there"
fi
[ -r "$tarball" ] || { echo "base-status: $tarball missing: make deps installs it" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The tarball's top directory, then the files the series edits.
topdir=$(tar -tJf "$tarball" 2>/dev/null | head -1 | cut -d/ -f1)
patches=$(grep -v '^[[:space:]]*\(#\|$\)' "$top/kernel/series")
for p in $patches; do
	sed -n 's|^--- a/\([^[:space:]]*\).*|\1|p' "$top/kernel/patches/$p"
done | sort -u | sed "s|^|$topdir/|" > "$work/members"
echo "$topdir/Makefile" >> "$work/members"
tar -xJf "$tarball" -C "$work" -T "$work/members"
version=$(sed -n 's/^\(VERSION\|PATCHLEVEL\|SUBLEVEL\) = \([0-9]*\)$/\2/p' "$work/$topdir/Makefile" |
	head -3 | paste -sd. -)
say "tarball:   Linux $version ($tarball)"

applies=yes
for p in $patches; do
	if ! patch -d "$work/$topdir" -p1 -s -F0 --no-backup-if-mismatch < "$top/kernel/patches/$p" \
		> "$work/patch.log" 2>&1; then
		applies="kernel/patches/$p: $(head -1 "$work/patch.log")"
		break
	fi
done

if [ "$version" = "$BASE_VERSION" ]; then
	say "verdict:   the installed base is the pinned one; the series applies: $applies"
	[ "$applies" = yes ] && exit 0
	exit 2
fi
if dpkg --compare-versions "$version" gt "$BASE_VERSION" 2>/dev/null; then
	age=newer
else
	age=older
fi
if [ "$applies" = yes ]; then
	msg="$tarball is Linux $version, $age than the $BASE_VERSION that kernel/BASE pins;
the series applies to $version, so the build goes on with it: the tests tell whether it
still works. To move the pin, set kernel/BASE to $version (package ${installed:-?})."
	rc=1
else
	msg="$tarball is Linux $version, $age than the $BASE_VERSION that kernel/BASE pins;
the series does not apply to $version ($applies).
Install the pinned base (make deps) or rebase the series (make kernel-git)."
	rc=2
fi
if [ "$quiet" -eq 1 ]; then
	printf '%s\n' "$msg" | sed 's/^/base-status: /' >&2
else
	printf '%s\n' "$msg" | sed '1s/^/verdict:   /; 2,$s/^/           /'
fi
exit $rc
