#!/bin/sh
# Build the Debian package of the modexcl tool (debian/) out of a clean copy
# of the sources it needs, in build/deb/src: the files of tools/modexcl,
# uapi, docs/modexcl.8 and debian that git tracks or would add, as they are
# in the work tree (uncommitted edits and new files included, ignored files
# left out; outside git, those paths whole). Then
# `dpkg-buildpackage -us -uc -b` (binary only, unsigned) and lintian on the
# result and on a source package (.dsc) of the same copy: any lintian error
# or warning fails. The work tree is not written to; the .deb, .buildinfo,
# .changes, .dsc and .tar.xz land in build/deb/. Prints the path of the
# .deb. Missing build tools are installed when run as root.
# Usage: scripts/deb.sh [-b | -l -o OUTDIR]
# -b: build only, no lintian (what the Debian images install; make check
#     runs lintian as a suite of its own).
# -l: lintian only, on what the last build left in build/deb/, as TAP, with
#     "PASSED FAILED SKIPPED" in OUTDIR/counts (a scripts/check.sh suite).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/deb
src=$out/src
paths="tools/modexcl uapi docs/modexcl.8 debian"
build=1 lint=1 check_out=
while getopts blo: opt; do
	case $opt in
	b) lint=0 ;; l) build=0 ;; o) check_out=$OPTARG ;;
	*) sed -n 's/^# Usage: /usage: /p' "$0" >&2; exit 2 ;;
	esac
done

# The package's Build-Depends (debian/control, as dpkg-checkbuilddeps
# reads them) and lintian come with make deps (scripts/deps.sh).
for t in dpkg-checkbuilddeps lintian; do
	command -v "$t" > /dev/null ||
		{ echo "deb: $t missing: make deps installs it" >&2; exit 1; }
done
dpkg-checkbuilddeps -B "$top/debian/control" ||
	{ echo "deb: make deps installs the Build-Depends" >&2; exit 1; }

# The changelog's upstream version is the tool's (VERSION in its Makefile).
tool_version=$(sed -n 's/^VERSION[[:space:]]*:=[[:space:]]*//p' "$top/tools/modexcl/Makefile")
deb_version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
if [ "${deb_version%-*}" != "$tool_version" ]; then
	echo "deb: debian/changelog has $deb_version, tools/modexcl/Makefile VERSION $tool_version;" \
		"add a changelog entry (dch -v $tool_version)" >&2
	exit 1
fi

arch=$(dpkg --print-architecture)
deb=$out/modexcl_${deb_version}_$arch.deb
changes=$out/modexcl_${deb_version}_$arch.changes

if [ "$build" -eq 0 ]; then
	[ -n "$check_out" ] || { echo "deb: -l needs -o OUTDIR" >&2; exit 2; }
	mkdir -p "$check_out"
	echo "TAP version 13"
	if [ -f "$changes" ] && lintian --fail-on error,warning --display-info "$changes" \
		"$out/modexcl_$deb_version.dsc" > "$check_out/lintian.log" 2>&1; then
		echo "ok 1 - lintian: no error or warning on $(basename "$deb") and its source"
		echo "1 0 0" > "$check_out/counts"
	else
		echo "not ok 1 - lintian: no error or warning on $(basename "$deb") and its source"
		sed 's/^/# /' "$check_out/lintian.log" 2>/dev/null
		[ -f "$changes" ] || echo "# $changes missing: scripts/deb.sh -b builds it"
		echo "0 1 0" > "$check_out/counts"
	fi
	exit 0
fi

rm -rf "$src"
rm -f "$out"/modexcl_* "$out"/modexcl-dbgsym_*
mkdir -p "$src"
cd "$top"
# shellcheck disable=SC2086,SC2016 # word list; $f is the inner shell's
if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
	# What `git add` would take; a file deleted but not yet committed is
	# skipped.
	git ls-files -z --cached --others --exclude-standard -- $paths | xargs -0 sh -c '
		for f; do [ ! -e "$f" ] || printf "%s\0" "$f"; done' sh |
		xargs -0 cp --parents -p -t "$src"
else
	cp -R --parents -p $paths "$src"
fi

# A source package of the pristine copy, for lintian's source checks
# (debian/copyright, control, rules); the build below is binary only.
(cd "$out" && dpkg-source -b src)

start=$(date +%s)
(cd "$src" && dpkg-buildpackage -us -uc -b)
echo "deb: built in $(( $(date +%s) - start )) s"
[ -f "$deb" ] || { echo "deb: $deb was not built" >&2; exit 1; }

dpkg-deb -c "$deb"
contents=$(dpkg-deb -c "$deb")
for f in /usr/sbin/modexcl /usr/share/man/man8/modexcl.8.gz \
	/usr/share/bash-completion/completions/modexcl \
	/usr/lib/systemd/system/modexcl-textfile.service \
	/usr/lib/systemd/system/modexcl-textfile.timer \
	/usr/share/doc/modexcl/copyright; do
	echo "$contents" | grep -q " \.$f\$" || { echo "deb: $f missing from $deb" >&2; exit 1; }
done
# The .changes names the .deb (and the -dbgsym one) and the .buildinfo:
# lintian checks them all, and the source package.
if [ "$lint" -eq 1 ]; then
	lintian --fail-on error,warning --display-info "$changes" "$out/modexcl_$deb_version.dsc"
	echo "deb: lintian: no errors or warnings"
fi
echo "$deb"
