#!/bin/sh
# What `make run` shows in the guest: the same storm of duplicate loads of
# a 2 MiB module under `shared` (stock) and under `hold`, and what each
# cost according to upstream's MODULE_STATS and modexcl's tracepoints.
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
