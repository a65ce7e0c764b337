#!/bin/sh
# Boot a Debian test image under one of our kernels with 32 identical NICs,
# so that systemd-udevd coldplugs a real duplicate-load storm, and check the
# image's boot report (scripts/debian/check-report.py): TAP on stdout,
# "PASSED FAILED SKIPPED" in OUTDIR/counts (a scripts/check.sh suite).
# Usage: scripts/debian/boot-check.sh RELEASE patched|stock [-c CPUS] [-t SECONDS] [-a PARAMS] -o OUTDIR
# -a: more kernel parameters (scripts/bench.sh sets the policy this way).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
usage() { sed -n 's/^# Usage: /usage: /p' "$0" >&2; exit 2; }
[ $# -ge 2 ] || usage
release=$1 kernel=$2
shift 2
cpus=4 timeout=300 out= extra=
while getopts c:t:a:o: opt; do
	case $opt in
	c) cpus=$OPTARG ;; t) timeout=$OPTARG ;; a) extra=$OPTARG ;; o) out=$OPTARG ;;
	*) usage ;;
	esac
done
[ -n "$out" ] || usage
case $kernel in
patched) bz=build/kbuild/arch/x86/boot/bzImage check=--patched ;;
stock) bz=build/stock-kbuild/arch/x86/boot/bzImage check= ;;
*) echo "boot-check: patched or stock, not $kernel" >&2; exit 2 ;;
esac
mkdir -p "$out"
rm -f "$out/counts"

events=syscalls:sys_enter_finit_module,syscalls:sys_exit_finit_module
events=$events,syscalls:sys_enter_init_module,syscalls:sys_exit_init_module
# TCG starves a guest with more vCPUs than host cores: relaxed lockup and
# RCU stall thresholds, as for scripts/bench.sh's VMs. The test kernel's
# KUnit suites stay off: they would add most of a minute to the patched
# kernel's boot, and the boot's times are compared with stock's.
params="mxreport trace_event=$events kunit.enable=0 watchdog_thresh=60"
params="$params rcupdate.rcu_cpu_stall_timeout=300 $extra"
start=$(date +%s)
"$here/../vm-run.sh" -g report -d "build/debian/$release.img" -k "$bz" -c "$cpus" -m 2G \
	-t "$timeout" -o "$out" -a "$params" -n 32 \
	2> "$out/stderr" || true
# QEMU warns once per NIC that it has no backend: expected, dropped.
grep -v 'virtio-net-pci.* has no peer$' "$out/stderr" >&2 || true
echo "boot-check: $release on $kernel: $(($(date +%s) - start)) s"
# shellcheck disable=SC2086 # $check: no option or one
python3 "$here/check-report.py" $check "$release-$kernel" "$out"
