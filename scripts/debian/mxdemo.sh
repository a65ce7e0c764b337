#!/bin/sh
# What `make run` shows in the Debian test image (mxdemo.service, on the
# kernel command line word mxdemo=live or mxdemo=batch): modexcl top over
# this boot's own udev storm (the runner gives the machine 32 identical
# NICs), then a storm on demand of one 2 MiB module, loaded by Debian's
# insmod (finit_module of a signed .ko.xz on ext4) 8 at once and 8 one
# after another, under `shared` (what stock does) and under `hold`, with
# what each cost by MODULE_STATS, the kernel's own counter.
#  live:  top stays until q; then the storm, and a root shell follows
#         (serial-getty, ordered after this unit).
#  batch: top prints a frame every 2 s until udev has settled; the storm;
#         TAP on the second serial port, then MODEXCL-RESULT and power off.
# Options from the kernel command line: mxdemo.size=ROWSxCOLS and
# mxdemo.term=TERM, the runner's terminal (a serial line knows neither).
# POSIX sh, coreutils, grep, sed and awk only.
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
arg() { tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p" | tail -1; }
mode=$(arg mxdemo)
size=$(arg mxdemo.size)
term=$(arg mxdemo.term)
results=/dev/ttyS1
mod=modexcl_test_big
ko=/lib/modules/$(uname -r)/extra/$mod.ko.xz
mstats=/sys/kernel/debug/modules/stats

# The runner's terminal, so that top fills it (a serial line reports 0x0).
if [ -n "$size" ]; then
	stty rows "${size%x*}" cols "${size#*x}" 2>/dev/null
fi
TERM=vt220
[ -n "$term" ] && infocmp "$term" >/dev/null 2>&1 && TERM=$term
export TERM

grep -q ' /sys/kernel/debug ' /proc/mounts || mount -t debugfs debugfs /sys/kernel/debug
wasted() { sed -n 's/^ *Virtual mem wasted bytes\t//p' "$mstats" 2>/dev/null; }
n=0 failed=0
tap() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2" >> /run/mxdemo.tap
	else echo "not ok $n - $2" >> /run/mxdemo.tap; failed=$((failed + 1)); fi
}

# 8 concurrent then 8 serial insmod of the test module under POLICY: the
# bytes MODULE_STATS counts as wasted over it, and how many serial ones
# got EEXIST (every one must: the module is live).
storm() {
	modexcl policy kernel-module "$1" >/dev/null
	before=$(wasted)
	for i in 1 2 3 4 5 6 7 8; do insmod "$ko" 2>/dev/null & done
	wait
	eexist=0
	for i in 1 2 3 4 5 6 7 8; do
		insmod "$ko" 2>&1 | grep -q 'File exists' && eexist=$((eexist + 1))
	done
	storm_wasted=$(($(wasted) - before))
	rmmod "$mod"
	printf '  kernel-module=%-6s  %10d bytes wasted; %d of 8 serial loads: File exists\n' \
		"$1" "$storm_wasted" "$eexist"
}

: > /run/mxdemo.tap
echo
echo "== modexcl on $(uname -r), Debian $(cat /etc/debian_version), $(kmod --version | head -1)"
# In awk, a bare > in printf's arguments redirects: the test is parenthesised.
policy=$(modexcl policy | awk '{ printf "%s=%s%s ", $1, $2, (NF > 2 ? "(inactive)" : "") }')
echo "== policy: $policy"
tap $(( $(echo "$policy" | wc -w) != 6 )) "modexcl policy names the 6 readers"
if [ "$mode" = live ]; then
	echo "== modexcl top over this boot's udev storm: q ends it"
	sleep 2
	modexcl top -d 1
	udevadm settle --timeout=120
else
	echo "== modexcl top -b over this boot's udev storm, every 2 s until udev settles"
	frames=0
	while :; do
		udevadm settle --timeout=0 2>/dev/null && settled=1 || settled=0
		modexcl top -b -n 1 && frames=$((frames + 1))
		[ "$settled" -eq 1 ] && break
		sleep 2
	done
	tap $(( frames == 0 )) "modexcl top -b showed the boot ($frames frames)"
fi

echo "== this boot's module loads, by modexcl's records"
modexcl stats -s loads
loads=$(modexcl stats -j | grep -o '"reader": *"kernel-module"' | wc -l)
tap $(( loads == 0 )) "the boot's module loads are in modexcl's records ($loads files)"

echo "== a storm of 16 loads of $mod (8 at once, then 8 one by one), under each policy"
modexcl reset >/dev/null
storm shared
shared_wasted=$storm_wasted shared_eexist=$eexist
storm hold
tap $(( shared_eexist != 8 || eexist != 8 )) "every serial duplicate got File exists, as on stock (shared $shared_eexist, hold $eexist of 8)"
tap $(( shared_wasted == 0 )) "shared wastes what stock wastes on serial duplicates ($shared_wasted bytes)"
tap $(( storm_wasted != 0 )) "hold wastes nothing ($storm_wasted bytes)"
echo "== the storm in modexcl's records"
modexcl stats
modexcl policy kernel-module hold >/dev/null

if [ "$mode" = live ]; then
	echo "== a root shell follows; try: modexcl top, modexcl stats, modexcl policy, modexcl monitor"
	echo "   (/usr/lib/modexcl/mxdemo.sh runs this again; poweroff ends the machine)"
	exit 0
fi
{
	echo "TAP version 13"
	echo "1..$n"
	cat /run/mxdemo.tap
	echo "MODEXCL-RESULT: rc=$(( failed != 0 ))"
} > "$results"
systemctl poweroff --force
