#!/bin/sh
# What `make run` shows in the guest: the same storm of duplicate loads of
# a 2 MiB module under `shared` (stock) and under `hold`, and what each
# cost according to upstream's MODULE_STATS and modexcl's tracepoints;
# then `modexcl top` watching a storm as it happens (live on a terminal,
# batch snapshots otherwise) and `modexcl stats`.
# Usage: demo.sh [live]
set -u
mod=modexcl_test_big
ko=/lib/modules/$(uname -r)/extra/$mod.ko
policy=/sys/kernel/modexcl/policy
trace=/sys/kernel/tracing

wasted() { sed -n 's/^ *Virtual mem wasted bytes\t//p' /sys/kernel/debug/modules/stats; }
traced() { grep "modexcl_duplicate:.* kind=$1 " $trace/trace | wc -l; }

echo "== modexcl demo on $(uname -r), $(nproc) CPUs"
modexcl --version
echo "== policy per reader ($policy)"
for f in "$policy"/*; do printf '  %-18s %s\n' "${f##*/}" "$(cat "$f")"; done
echo 1 > $trace/events/modexcl/enable

for mode in shared hold; do
	echo "$mode" > "$policy/kernel-module"
	: > $trace/trace
	before=$(wasted)
	# busybox insmod calls finit_module() without checking first.
	for i in 1 2 3 4 5 6 7 8; do insmod "$ko" 2>/dev/null & done
	wait
	for i in 1 2 3 4 5 6 7 8; do insmod "$ko" 2>/dev/null; done
	printf '== kernel-module=%-6s 8 concurrent + 8 serial loads: %9d bytes wasted;' \
		"$mode" $(($(wasted) - before))
	printf ' traced: %d joined, %d refused unread, %d read in vain\n' \
		"$(traced concurrent)" "$(traced serial)" "$(traced read)"
	rmmod "$mod"
done
echo "== a refused duplicate, as the tracepoint shows it"
grep -m1 "kind=serial" $trace/trace | sed 's/^ *//'
echo 0 > $trace/events/modexcl/enable

# A storm of concurrent and serial loads under hold, in waves, while
# modexcl top watches.
storm() {
	sleep 1
	for wave in 1 2 3; do
		for i in 1 2 3 4 5 6 7 8; do insmod "$ko" 2>/dev/null & done
		wait
		for i in 1 2 3 4; do insmod "$ko" 2>/dev/null; done
		sleep 1
		rmmod "$mod"
	done
}
modexcl reset
modexcl policy kernel-module hold
echo "== modexcl top during a storm of 3 waves (8 concurrent + 4 serial loads each)"
storm &
# guest-init says "live" when a person watches (make run on a terminal).
if [ "${1:-}" = live ]; then
	modexcl top -d 1 -n 8
else
	modexcl top -b -d 2 -n 3
fi
wait
echo "== modexcl stats"
modexcl stats
