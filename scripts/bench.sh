#!/bin/sh
# Benchmark stock 6.12 and the patched kernel side by side: boot each in
# turn (same VM shape, order alternating between repetitions), run the
# guest's workloads (scripts/guest-bench.sh), then the storm once more in a
# 32-vCPU VM, where only bytes count. Then the Debian images: Debian 12 and
# 13 boot under stock and under the patched kernel in `shared` and `hold`
# with 32 identical NICs, REPS boots each at -smp 4 and one at -smp 32,
# each boot's own report (scripts/debian/mxreport.sh) the measurement.
# Raw results: OUTDIR/raw.jsonl; scripts/bench-report.py makes the rest.
# -W LIST runs only the busybox VM's workloads in LIST (comma-separated
# names of scripts/guest-bench.sh), and the 32-vCPU storm only if LIST
# names storm.
# Usage: scripts/bench.sh [-r REPS] [-w vm|debian|all] [-W LIST] [-o OUTDIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
reps=3 out=build/bench what=all only=
while getopts r:w:W:o: opt; do
	case $opt in
	r) reps=$OPTARG ;; w) what=$OPTARG ;; W) only=$OPTARG ;; o) out=$OPTARG ;;
	*) sed -n 's/^# Usage: /usage: /p' "$0" >&2; exit 2 ;;
	esac
done
case $what in vm | debian | all) ;; *) echo "bench: -w vm, debian or all, not $what" >&2; exit 2 ;; esac
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

# deb_boot RELEASE KERNEL MODE CPUS NAME: one Debian boot, its report kept
# as one JSON line.
deb_boot() {
	dir=$out/deb-$5
	policy=
	[ "$2" = patched ] && policy="modexcl.policy=kernel-module:$3"
	"$here/debian/boot-check.sh" "$1" "$2" -c "$4" -t 1800 -a "$policy" -o "$dir" \
		> "$dir.tap" 2>&1 || true
	[ -s "$dir/report.json" ] || { echo "bench: $5: no boot report; see $dir.tap" >&2; exit 1; }
	python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
print(json.dumps({"workload": "debian", "release": sys.argv[2], "cpus": int(sys.argv[3]),
		  "kernel": sys.argv[4], "mode": sys.argv[5], "report": r}))' \
		"$dir/report.json" "$1" "$4" "$2" "$3" >> "$raw"
	echo "bench: $5: $(grep -c '^ok' "$dir.tap") checks ok, $(grep -c '^not ok' "$dir.tap") not"
}

if [ "$what" != debian ]; then
	r=1
	while [ "$r" -le "$reps" ]; do
		if [ $((r % 2)) -eq 1 ]; then order="stock patched"; else order="patched stock"; fi
		for k in $order; do boot "$k" "$k-smp4-$r" 4 "${only:+mxbench.only=$only}"; done
		r=$((r + 1))
	done
	case ",${only:-storm}," in
	*,storm,*)
		for k in stock patched; do
			boot "$k" "$k-smp32" 32 "mxbench.only=storm mxbench.c=32,128 mxbench.waves=1"
		done ;;
	esac
fi
if [ "$what" != vm ]; then
	for rel in bookworm trixie; do
		r=1
		while [ "$r" -le "$reps" ]; do
			if [ $((r % 2)) -eq 1 ]; then order="stock:shared patched:shared patched:hold"
			else order="patched:hold patched:shared stock:shared"; fi
			for km in $order; do
				deb_boot "$rel" "${km%:*}" "${km#*:}" 4 "$rel-${km%:*}-${km#*:}-smp4-$r"
			done
			r=$((r + 1))
		done
		for km in stock:shared patched:shared patched:hold; do
			deb_boot "$rel" "${km%:*}" "${km#*:}" 32 "$rel-${km%:*}-${km#*:}-smp32"
		done
	done
fi
python3 "$here/bench-report.py" "$raw" "$out"
