#!/bin/sh
# Make a git tree to edit the kernel patches in: the pristine base as one
# commit (tag modexcl-base), then kernel/patches applied as commits in
# kernel/series order. Write them back with scripts/kernel-export.sh.
# New files stay in kernel/src; edit them there.
# Usage: scripts/kernel-git.sh BASE_DIR GIT_DIR
set -eu
[ $# -eq 2 ] || { echo "usage: $0 BASE_DIR GIT_DIR" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/base.sh"
base=$1 dir=$2
if [ -d "$dir/.git" ]; then
	echo "kernel-git: $dir exists; remove it to start again from kernel/patches" >&2
	exit 1
fi
rm -rf "$dir"
cp -a "$base" "$dir"
rm -f "$dir/.extracted"
cd "$dir"
git init -q
# -f: the Debian tarball's .gitignore ignores everything at the top level.
git add -A -f
git -c user.name=modexcl -c user.email=modexcl@invalid commit -q -m "Linux $(make -s kernelversion)"
git tag modexcl-base
grep -v '^[[:space:]]*\(#\|$\)' "$(kfile series)" | while read -r p; do
	git am -q --keep-cr "$(kfile "patches/$p")"
done
echo "kernel-git: $dir at $(git log --oneline | wc -l) commits; edit, commit, then make kernel-export"
