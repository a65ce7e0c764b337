#!/bin/sh
# make run: boot Debian 13 (build/debian/trixie-patched.img, or -d IMAGE)
# under the patched kernel with 32 identical NICs, so that systemd-udevd
# coldplugs a duplicate-load storm, and show modexcl at work over it
# (scripts/debian/mxdemo.sh in the guest). On a terminal: modexcl top live,
# a storm on demand, then a root shell ('poweroff' ends it; Ctrl-A X kills
# QEMU). Without one, or with -b: the bounded demo, whose checks leave
# "PASSED FAILED SKIPPED" in OUTDIR/counts (a scripts/check.sh suite).
# Usage: scripts/debian/run.sh [-b] [-d IMAGE] [-c CPUS] [-t SECONDS] [-o OUTDIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
image=build/debian/trixie-patched.img cpus=4 timeout=600 out=build/run batch=0
while getopts bd:c:t:o: opt; do
	case $opt in
	b) batch=1 ;; d) image=$OPTARG ;; c) cpus=$OPTARG ;;
	t) timeout=$OPTARG ;; o) out=$OPTARG ;;
	*) sed -n 's/^# Usage: /usage: /p' "$0" >&2; exit 2 ;;
	esac
done
{ [ -t 0 ] && [ -t 1 ]; } || batch=1
kernel=build/kbuild/arch/x86/boot/bzImage
mkdir -p "$out"
rm -f "$out/counts"
# Console: warnings and worse (a kernel report still shows), no systemd
# status lines over modexcl top. The test kernel's KUnit suites stay off
# (they take most of a minute under TCG). TCG starves a guest with more
# vCPUs than host cores: relaxed lockup and RCU stall thresholds.
params="loglevel=5 systemd.show_status=false kunit.enable=0 watchdog_thresh=60"
params="$params rcupdate.rcu_cpu_stall_timeout=300"
if [ "$batch" -eq 0 ]; then
	# The terminal's size and type: a serial line carries neither.
	size=$(stty size 2>/dev/null | tr ' ' x)
	echo "make run: Debian 13 boots under the patched kernel; modexcl top shows its udev storm"
	echo "make run: q ends top; a root shell follows; 'poweroff' ends the machine (Ctrl-A X kills QEMU)"
	status=0
	"$here/../vm-run.sh" -g shell -d "$image" -k "$kernel" -c "$cpus" -m 2G -n 32 -o "$out" \
		-a "mxdemo=live ${size:+mxdemo.size=$size} ${TERM:+mxdemo.term=$TERM} $params" \
		2> "$out/stderr" || status=$?
	grep -v 'virtio-net-pci.* has no peer$' "$out/stderr" >&2 || true
	exit "$status"
fi
status=0
"$here/../vm-run.sh" -g demo -d "$image" -k "$kernel" -c "$cpus" -m 2G -n 32 -o "$out" \
	-t "$timeout" -a "mxdemo=batch $params" 2> "$out/stderr" || status=$?
# QEMU warns once per NIC that it has no backend: expected, dropped.
grep -v 'virtio-net-pci.* has no peer$' "$out/stderr" >&2 || true
grep -v '^MODEXCL-RESULT' "$out/results.log" 2>/dev/null || true
# The guest's TAP: one flat list of checks.
set -- $("$here/../tap-count.sh" -f "$out/results.log")
# A guest that failed without a failed check (kernel report, no result).
[ "$status" -ne 0 ] && [ "$2" -eq 0 ] && set -- "$1" 1 "$3"
echo "$1 $2 $3" > "$out/counts"
echo "make run: $1 passed, $2 failed, $3 skipped"
[ "$2" -eq 0 ]
