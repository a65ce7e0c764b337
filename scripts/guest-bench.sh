#!/bin/sh
# The benchmark's workloads, run in the guest (mxguest=bench) on stock and
# on the patched kernel alike. One JSON object per measurement on stdout.
# Parameters from the kernel command line:
#   mxbench.c=8,32,128     concurrent loaders per storm wave
#   mxbench.serial=8       serial loads once the module is live
#   mxbench.waves=2        storm waves per C and mode
#   mxbench.loops=100      load/unload cycles without duplicates
#   mxbench.path_loops=20  cycles of the big module per load path
#   mxbench.fw=16          concurrent firmware requests
#   mxbench.burst=8        processes requesting each module of the burst
#   mxbench.only=storm     run only these workloads, comma-separated (storm, udev,
#                          burst, nodup, nodup_paths, firmware, records)
set -u
big=/lib/modules/$(uname -r)/extra/modexcl_test_big.ko
plain=/lib/modules/$(uname -r)/extra/modexcl_test_plain.ko
policy=/sys/kernel/modexcl/policy
trace=/sys/kernel/tracing
stats=/sys/kernel/debug/modules/stats

cs=8,32,128 serial=8 waves=2 loops=100 path_loops=20 fw=16 burst=8 only=
for arg in $(cat /proc/cmdline); do
	case $arg in
	mxbench.c=*) cs=${arg#*=} ;;
	mxbench.serial=*) serial=${arg#*=} ;;
	mxbench.waves=*) waves=${arg#*=} ;;
	mxbench.loops=*) loops=${arg#*=} ;;
	mxbench.path_loops=*) path_loops=${arg#*=} ;;
	mxbench.fw=*) fw=${arg#*=} ;;
	mxbench.burst=*) burst=${arg#*=} ;;
	mxbench.only=*) only=${arg#*=} ;;
	esac
done

if [ -d "$policy" ]; then
	kernel=patched modes="shared hold"
else
	kernel=stock modes=shared
fi
cpus=$(nproc)
now() { /usr/bin/date +%s%N; }
wasted() { sed -n 's/^ *Virtual mem wasted bytes\t//p' "$stats"; }
# Bytes modexcl's tracepoint reports as not read (joined or refused).
avoided() {
	[ "$kernel" = patched ] || { echo 0; return; }
	sed -En 's/.*modexcl_duplicate:.* kind=(concurrent|serial) .* bytes=([0-9]+) .*/\2/p' \
		"$trace/trace" | awk '{ s += $1 } END { print s + 0 }'
}
set_mode() { [ "$kernel" = stock ] || echo "$2" > "$policy/$1"; }
emit() { echo "{\"kernel\":\"$kernel\",\"cpus\":$cpus,$1}"; }

[ "$kernel" = patched ] && echo 1 > "$trace/events/modexcl/modexcl_duplicate/enable"

# Drop the trace and note MODULE_STATS before a measurement.
measure_begin() {
	[ "$kernel" = patched ] && : > "$trace/trace"
	before=$(wasted) t0=$(now)
}
# The figures every duplicate workload reports.
measure_end() {
	echo "\"wasted\":$(($(wasted) - before)),\"avoided\":$(avoided),\"ns\":$(($(now) - t0))"
}

# 1. Storm: C loaders at once, then serial loads of the live module.
# busybox insmod calls finit_module() without asking sysfs first.
storm() {
	for c in $(echo "$cs" | tr , ' '); do
		for mode in $modes; do
			set_mode kernel-module "$mode"
			w=1
			while [ "$w" -le "$waves" ]; do
				measure_begin
				i=0
				while [ "$i" -lt "$c" ]; do insmod "$big" 2>/dev/null & i=$((i + 1)); done
				wait
				t1=$(now) i=0
				while [ "$i" -lt "$serial" ]; do insmod "$big" 2>/dev/null; i=$((i + 1)); done
				t2=$(now)
				emit "\"workload\":\"storm\",\"mode\":\"$mode\",\"c\":$c,\"serial\":$serial,\"wave\":$w,\"wasted\":$(($(wasted) - before)),\"avoided\":$(avoided),\"storm_ns\":$((t1 - t0)),\"serial_ns\":$((t2 - t1))"
				rmmod modexcl_test_big
				w=$((w + 1))
			done
		done
	done
	set_mode kernel-module shared
}

# 2. The seed's scenario: systemd-udevd coldplugs the VM's identical virtio
# NICs (scripts/bench.sh adds them), so its workers load virtio_net and its
# dependencies many times at once, through libkmod's finit_module().
udev() {
	udevd=/usr/lib/systemd/systemd-udevd
	[ -x "$udevd" ] || { echo "guest-bench: no $udevd (Debian package udev)" >&2; return 1; }
	nics=$(grep -lx 0x1af4 /sys/bus/pci/devices/*/vendor | while read -r v; do
		cat "${v%vendor}device"; done | grep -cxE '0x1000|0x1041')
	mkdir -p /run/udev /etc/udev
	for mode in $modes; do
		set_mode kernel-module "$mode"
		measure_begin
		"$udevd" --daemon --debug 2> /tmp/udevd.log ||
			{ cat /tmp/udevd.log >&2; return 1; }
		udevadm trigger --type=devices --action=add
		udevadm settle --timeout=600 || { cat /tmp/udevd.log >&2; return 1; }
		figures=$(measure_end)
		udevadm control --exit
		bound=$(ls /sys/bus/virtio/drivers/virtio_net 2>/dev/null | grep -c '^virtio')
		[ "$bound" -eq "$nics" ] || {
			echo "guest-bench: udev: virtio_net bound $bound of $nics NICs" >&2
			tail -50 /tmp/udevd.log >&2
			return 1
		}
		emit "\"workload\":\"udev\",\"mode\":\"$mode\",\"nics\":$nics,$figures"
		rmmod virtio_net net_failover failover || return 1
	done
	set_mode kernel-module shared
}

# 3. A burst of distinct modules, some with dependencies, each requested by
# several modprobe processes at once.
burst_modules="modexcl_test_dep_c modexcl_test_big modexcl_test_plain tun xfs"
burst() {
	for mode in $modes; do
		set_mode kernel-module "$mode"
		measure_begin
		for m in $burst_modules; do
			i=0
			while [ "$i" -lt "$burst" ]; do modprobe "$m" & i=$((i + 1)); done
		done
		wait
		figures=$(measure_end)
		for m in $burst_modules; do
			[ -d "/sys/module/$m" ] || { echo "guest-bench: burst: $m not loaded" >&2; return 1; }
		done
		emit "\"workload\":\"burst\",\"mode\":\"$mode\",\"modules\":$(echo $burst_modules | wc -w),\"processes\":$burst,$figures"
		modprobe -r $burst_modules || return 1
	done
	set_mode kernel-module shared
}

# cycle FILE MODULE N: load FILE and unload MODULE, N times.
cycle() {
	i=0
	while [ "$i" -lt "$3" ]; do
		insmod "$1" && rmmod "$2" || return 1
		i=$((i + 1))
	done
}

# 4. No duplicates: load and unload one module, the bookkeeping's cost.
nodup() {
	for mode in $modes; do
		set_mode kernel-module "$mode"
		t0=$(now)
		cycle "$plain" modexcl_test_plain "$loops" || return 1
		emit "\"workload\":\"nodup\",\"mode\":\"$mode\",\"loops\":$loops,\"ns\":$(($(now) - t0))"
	done
	set_mode kernel-module shared
}

# 4b. No duplicates, by load path: the 2.1 MB module loaded and unloaded
# through finit_module() (kmod's insmod of the plain file) and through
# init_module() (the host's insmod of the .ko.xz: Debian 12's kmod 30
# decompresses in user space, as on a Debian 12 system). The per-load cost of what modexcl does on each
# path, the image digest under hold included.
nodup_paths() {
	xz -c "$big" > /tmp/modexcl_test_big.ko.xz || return 1
	bytes=$(stat -c %s "$big")
	for mode in $modes; do
		set_mode kernel-module "$mode"
		for path in finit_module init_module; do
			file=$big
			[ "$path" = init_module ] && file=/tmp/modexcl_test_big.ko.xz
			t0=$(now)
			cycle "$file" modexcl_test_big "$path_loops" || return 1
			emit "\"workload\":\"nodup-$path\",\"mode\":\"$mode\",\"bytes\":$bytes,\"loops\":$path_loops,\"ns\":$(($(now) - t0))"
		done
	done
	set_mode kernel-module shared
	rm -f /tmp/modexcl_test_big.ko.xz
}

# 5. Firmware: concurrent requests of one file through test_firmware, from
# a firmware search path on tmpfs (/lib/firmware is the read-only share).
firmware() {
	modprobe test_firmware || return 1
	dir=/sys/devices/virtual/misc/test_firmware
	mkdir -p /tmp/bench-firmware
	fwbytes=1048576
	head -c "$fwbytes" /dev/urandom > /tmp/bench-firmware/modexcl-bench.bin
	printf /tmp/bench-firmware > /sys/module/firmware_class/parameters/path
	fwmodes=shared
	[ "$kernel" = patched ] && fwmodes="shared exclusive"
	for mode in $fwmodes; do
		set_mode firmware "$mode"
		echo 1 > "$dir/reset"
		printf modexcl-bench.bin > "$dir/config_name"
		echo "$fw" > "$dir/config_num_requests"
		echo 1 > "$dir/config_sync_direct"
		t0=$(now)
		echo 1 > "$dir/trigger_batched_requests" || return 1
		t=$(($(now) - t0))
		[ "$(cat "$dir/test_result")" = 0 ] ||
			{ echo "guest-bench: firmware: test_result $(cat "$dir/test_result")" >&2; return 1; }
		emit "\"workload\":\"firmware\",\"mode\":\"$mode\",\"requests\":$fw,\"bytes\":$fwbytes,\"ns\":$t"
		echo 1 > "$dir/release_all_firmware"
	done
	set_mode firmware shared
	printf '' > /sys/module/firmware_class/parameters/path
	rmmod test_firmware
}

# 6. Records (patched only): kernel memory per record and the time of a
# full 1024-record dump through the modexcl tool (stats -j).
sunreclaim() { sed -n 's/^SUnreclaim: *\([0-9]*\) kB/\1/p' /proc/meminfo; }
records() {
	[ "$kernel" = patched ] || return 0
	n=$(cat /sys/module/modexcl/parameters/max_records)
	mkdir -p /tmp/records && mount -t tmpfs records /tmp/records || return 1
	i=0
	while [ "$i" -lt "$n" ]; do : > "/tmp/records/$i"; i=$((i + 1)); done
	modexcl reset >/dev/null || return 1
	kib0=$(sunreclaim) i=0
	while [ "$i" -lt "$n" ]; do insmod "/tmp/records/$i" 2>/dev/null; i=$((i + 1)); done
	kib1=$(sunreclaim) best=
	for try in 1 2 3 4 5; do
		t0=$(now)
		modexcl stats -j > /dev/null || return 1
		t=$(($(now) - t0))
		[ -z "$best" ] || [ "$t" -lt "$best" ] && best=$t
	done
	emit "\"workload\":\"records\",\"mode\":\"-\",\"records\":$n,\"bytes_per_record\":$(((kib1 - kib0) * 1024 / n)),\"dump_ns\":$best"
	modexcl reset >/dev/null
	umount /tmp/records
}

rc=0
for w in storm udev burst nodup nodup_paths firmware records; do
	case ",${only:-$w}," in *,"$w",*) ;; *) continue ;; esac
	"$w" || { echo "guest-bench: $w failed" >&2; rc=1; }
done
exit $rc
