#!/bin/sh
# Configure a kernel: tinyconfig + fragments, then check every fragment
# option really ended up set (merge_config.sh silently drops options whose
# dependencies are missing).
# Usage: scripts/kconfig.sh [-i IGNORE_REGEX] SRC_DIR OBJ_DIR FRAGMENT...
set -eu
ignore='^$'
[ "${1:-}" = -i ] && { ignore=$2; shift 2; }
[ $# -ge 3 ] || { echo "usage: $0 [-i IGNORE_REGEX] SRC_DIR OBJ_DIR FRAGMENT..." >&2; exit 2; }
src=$1 obj=$2
shift 2
mkdir -p "$obj"
obj=$(cd "$obj" && pwd)

make -s -C "$src" O="$obj" tinyconfig >/dev/null
"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$@" >/dev/null
make -s -C "$src" O="$obj" olddefconfig >/dev/null

# What the fragments ask for; a later fragment overrides an earlier one.
wanted=$(sed -n 's/^\(CONFIG_[A-Za-z0-9_]*=.*\)/\1/p; s/^# \(CONFIG_[A-Za-z0-9_]*\) is not set/\1=n/p' "$@" |
	awk -F= '{ v[$1] = $0; if (!($1 in seen)) { seen[$1] = 1; order[n++] = $1 } }
		END { for (i = 0; i < n; i++) print v[order[i]] }')
problems=$(echo "$wanted" | while IFS= read -r want; do
	sym=${want%%=*}
	echo "$sym" | grep -Eq "$ignore" && continue
	if [ "${want#*=}" = n ]; then
		grep -q "^$sym=" "$obj/.config" || continue
	else
		grep -qxF "$want" "$obj/.config" && continue
	fi
	got=$(grep -E "^(# )?$sym[= ]" "$obj/.config" || echo "$sym absent")
	echo "kconfig: the fragments want $want, got: $got"
done)
if [ -n "$problems" ]; then
	echo "$problems" >&2
	echo "kconfig: fix the fragment (an option with missing dependencies?)" >&2
	exit 1
fi
