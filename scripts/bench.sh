#!/bin/sh
# Benchmark stock 6.12 and the patched kernel side by side: boot each in
# turn (same VM shape, order alternating between repetitions), run the
# guest's workloads (scripts/guest-bench.sh), then the storm once more in a
# 32-vCPU VM, where only bytes count. Raw results: OUTDIR/raw.jsonl.
# Usage: scripts/bench.sh [-r REPS] [-o OUTDIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
reps=3 out=build/bench
while getopts r:o: opt; do
	case $opt in
	r) reps=$OPTARG ;; o) out=$OPTARG ;;
	*) sed -n 's/^# Usage: /usage: /p' "$0" >&2; exit 2 ;;
	esac
done
kernel_stock=build/stock-kbuild/arch/x86/boot/bzImage
initrd_stock=build/stock-kbuild-initramfs.cpio.gz
kernel_patched=build/kbuild/arch/x86/boot/bzImage
initrd_patched=build/kbuild-initramfs.cpio.gz
mkdir -p "$out"
raw=$out/raw.jsonl
: > "$raw"

# boot KERNEL NAME CPUS PARAMS: run the workloads, keep their JSON lines.
boot() {
	eval "k=\$kernel_$1 i=\$initrd_$1"
	dir=$out/vm-$2
	# The udev workload's NICs: 32 identical virtio-net devices. QEMU
	# warns once per NIC that it has no backend: expected, dropped.
	st=0
	# TCG starves a guest with more vCPUs than host cores: relaxed lockup
	# and RCU stall thresholds, or the runner takes the starvation for a
	# kernel report (as for the debug VM in scripts/check.sh).
	"$here/vm-run.sh" -g bench -k "$k" -i "$i" -c "$3" -m 2G -t 1800 -o "$dir" \
		-a "watchdog_thresh=60 rcupdate.rcu_cpu_stall_timeout=300 $4" -n 32 \
		>/dev/null 2> "$out/stderr" || st=$?
	grep -v 'virtio-net-pci.* has no peer$' "$out/stderr" >&2 || true
	[ $st = 0 ] || { echo "bench: $2 failed; see $dir" >&2; exit 1; }
	grep '^{' "$dir/results.log" >> "$raw"
	echo "bench: $2: $(grep -c '^{' "$dir/results.log") measurements"
}

r=1
while [ "$r" -le "$reps" ]; do
	if [ $((r % 2)) -eq 1 ]; then order="stock patched"; else order="patched stock"; fi
	for k in $order; do boot "$k" "$k-smp4-$r" 4 ""; done
	r=$((r + 1))
done
for k in stock patched; do
	boot "$k" "$k-smp32" 32 "mxbench.only=storm mxbench.c=32,128 mxbench.waves=1"
done
python3 "$here/bench-report.py" "$raw" "$out"
