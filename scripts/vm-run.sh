#!/bin/sh
# Boot a kernel in QEMU and return the guest's test status as our own.
# The guest's TAP arrives on its second serial port; a watchdog kills QEMU
# and fails the run if the guest does not finish in time.
# Usage: scripts/vm-run.sh [-g check|peer|demo|bench|smoke|shell|report] [-k KERNEL] [-i INITRD]
#        [-d DISK_IMAGE] [-c CPUS] [-m MEM] [-a KERNEL_PARAMS] [-t SECONDS] [-o OUTDIR]
#        [-n NICS] [-u] [-- QEMU_ARGS...]
# -u: the kernel runs KUnit suites at boot; count them, and fail without any.
# -d: boot a disk image (the Debian images, build/debian/*.img) instead of
#     the initramfs: its own init, root=/dev/vda, the image left untouched
#     (QEMU snapshot); `-g report` for an image that reports by itself.
# An initramfs boot also gets an empty 1 GiB scratch disk (virtio-blk,
# serial mxscratch, OUTDIR/scratch.img, removed after the run) on which
# tests make the file systems they need.
# -n: NICS identical virtio NICs without a backend (eight functions in
#     each PCI slot from slot 10), for udev storms; QEMU warns once per NIC
#     that it has no peer.
# The kernel reports found in the console are also left in OUTDIR/reports.log.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
mode=check kernel=build/kbuild/arch/x86/boot/bzImage initrd=build/initramfs.cpio.gz
cpus=4 mem=1G params= timeout=900 out=build/vm kunit=0 disk= nics=0
while getopts g:k:i:d:c:m:a:t:o:n:u opt; do
	case $opt in
	g) mode=$OPTARG ;; k) kernel=$OPTARG ;; i) initrd=$OPTARG ;; d) disk=$OPTARG ;;
	c) cpus=$OPTARG ;; m) mem=$OPTARG ;; a) params=$OPTARG ;;
	t) timeout=$OPTARG ;; o) out=$OPTARG ;; n) nics=$OPTARG ;; u) kunit=1 ;;
	*) sed -n 's/^# Usage: /usage: /p; s/^#        /       /p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
image=$initrd target=initramfs
[ -z "$disk" ] || image=$disk target=images
for f in "$kernel" "$image"; do
	[ -r "$f" ] || { echo "vm-run: $f missing (make kernel $target)" >&2; exit 1; }
done
mkdir -p "$out"
console=$out/console.log results=$out/results.log
rm -f "$console" "$results" "$out/reports.log"

# A disk image boots as root, writes going to a temporary snapshot. One
# virtio-blk queue: one boot in about eleven under a loaded host stalled
# on the first read of a four-queue disk (TCG), never seen with one.
if [ -n "$disk" ]; then
	set -- qemu-system-x86_64 -accel tcg -smp "$cpus" -m "$mem" \
		-nodefaults -no-user-config -no-reboot -display none \
		-kernel "$kernel" \
		-append "root=/dev/vda rw console=ttyS0 panic=-1 mxguest=$mode $params" \
		-drive "file=$disk,if=none,id=root,format=raw,snapshot=on" \
		-device virtio-blk-pci,drive=root,num-queues=1 "$@"
else
	scratch=$out/scratch.img
	rm -f "$scratch"
	truncate -s 1G "$scratch"
	trap 'rm -f "$scratch"' EXIT
	set -- qemu-system-x86_64 -accel tcg -smp "$cpus" -m "$mem" \
		-nodefaults -no-user-config -no-reboot -display none \
		-kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 mxguest=$mode $params" \
		-fsdev local,id=usr,path=/usr,security_model=none,readonly=on \
		-device virtio-9p-pci,fsdev=usr,mount_tag=usr \
		-drive "file=$scratch,if=none,id=scratch,format=raw" \
		-device virtio-blk-pci,drive=scratch,serial=mxscratch "$@"
fi

n=0
while [ "$n" -lt "$nics" ]; do
	set -- "$@" -device "virtio-net-pci,addr=$((10 + n / 8)).$((n % 8)),multifunction=on"
	n=$((n + 1))
done

if [ "$mode" = shell ]; then
	exec "$@" -serial mon:stdio -serial "file:$results"
fi

# QEMU never reads stdin: its serial ports go to files (a stdio serial
# port on a stdin at EOF is where QEMU misbehaves). The demo shows its
# console as it comes.
boot() {
	rm -f "$console" "$results"
	status=0
	echo "vm-run: booting $kernel${disk:+ on $disk} (-smp $cpus, $mode, watchdog ${timeout}s)"
	timeout -s KILL "$timeout" "$@" -serial "file:$console" -serial "file:$results" \
		< /dev/null &
	qemu=$!
	[ "$mode" = demo ] && tail -n +1 -F --pid="$qemu" "$console" 2> /dev/null &
	wait "$qemu" || status=$?
	wait
}
boot "$@"
# QEMU killed by a signal other than the watchdog's crashed by itself:
# that says nothing of the kernel under test, and it gets one more boot.
if [ "$status" -gt 128 ] && [ "$status" -ne 137 ]; then
	echo "vm-run: QEMU died of signal $((status - 128)); booting once more" >&2
	boot "$@"
fi
[ "$status" -eq 137 ] && echo "vm-run: watchdog: guest killed after ${timeout}s" >&2

fail=0
# Kernel messages (they start with a timestamp) and kmemleak's report,
# which guest-init prints at the end.
report='^\[ *[0-9.]+\] .*(BUG:|WARNING:|KASAN:|UBSAN:|Oops|Kernel panic|possible (circular|recursive) locking|inconsistent lock state|blocked for more than|detected stalls? on CPU|suspected memory leaks)|^unreferenced object'
if grep -Eq "$report" "$console"; then
	echo "vm-run: kernel reports in $console:" >&2
	grep -E -A3 "$report" "$console" | head -40 | tee "$out/reports.log" >&2
	fail=1
else
	: > "$out/reports.log"
fi
rc=$(sed -n 's/^MODEXCL-RESULT: rc=\([0-9]*\).*/\1/p' "$results" 2>/dev/null | tail -1)
if [ -z "$rc" ]; then
	echo "vm-run: no result from the guest; last console lines:" >&2
	tail -20 "$console" >&2
	fail=1
fi
case $mode in check | peer) ;; *) exit $(( fail || ${rc:-1} != 0 )) ;; esac

grep -v '^MODEXCL-RESULT' "$results" || true
set -- $("$here/tap-count.sh" "$results")
if [ "$kunit" -eq 1 ]; then
	tap_passed=$1 tap_failed=$2 tap_skipped=$3
	set -- $("$here/kunit-count.sh" "$console")
	echo "vm-run: KUnit: $1 passed, $2 failed, $3 skipped"
	[ $(($1 + $2 + $3)) -eq 0 ] && { echo "vm-run: no KUnit results in $console" >&2; fail=1; }
	set -- $((tap_passed + $1)) $((tap_failed + $2)) $((tap_skipped + $3))
fi
# A guest that failed without a failed case (splat, crash, bad exit) is one more failure.
if [ "$fail" -eq 1 ] || { [ "${rc:-1}" != 0 ] && [ "$2" -eq 0 ]; }; then
	set -- "$1" $(($2 + 1)) "$3"
fi
echo "$1 $2 $3" > "$out/counts"
echo "vm-run: $1 passed, $2 failed, $3 skipped"
[ "$2" -eq 0 ]
