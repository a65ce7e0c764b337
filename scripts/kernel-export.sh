#!/bin/sh
# Write the commits of the kernel-git tree back to kernel/patches and
# kernel/series, one patch per commit.
# Usage: scripts/kernel-export.sh GIT_DIR
set -eu
[ $# -eq 1 ] || { echo "usage: $0 GIT_DIR" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$1"
rm -f "$top"/kernel/patches/*.patch
git format-patch -q --zero-commit --no-signature -o "$top/kernel/patches" modexcl-base..HEAD
(cd "$top/kernel/patches" && ls ./*.patch 2>/dev/null | sed 's|^\./||') > "$top/kernel/series"
echo "kernel-export: $(wc -l < "$top/kernel/series") patches in kernel/patches"
