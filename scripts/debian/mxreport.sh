#!/bin/sh
# The Debian test image's boot report (mxreport.service, on the kernel
# command line word `mxreport`): wait for udev to settle after coldplug and
# for the boot to finish, then write one JSON object about the boot's module
# loads to the second serial port, then `MODEXCL-RESULT: rc=N`, and power off
# (forced: the runner boots the image as a snapshot).
# POSIX sh, coreutils, grep, sed and awk only.
# Usage: /usr/lib/modexcl/mxreport.sh [OUTPUT]    (default /dev/ttyS1)
out=${1:-/dev/ttyS1}
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
uptime_s() { cut -d' ' -f1 /proc/uptime; }
# A unit's monotonic timestamp property in seconds (0 when unset).
unit_s() { systemctl show -p "$2" --value "$1" | awk '{ v = $1 } END { printf "%.3f", v / 1e6 }'; }
# A JSON string from text (newlines kept as \n).
jstr() {
	printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g; s/	/\\t/g' |
		awk 'BEGIN { printf "\"" } NR > 1 { printf "\\n" } { printf "%s", $0 } END { printf "\"" }'
}

rc=0
# The coldplug storm: udevd started before this unit (which runs right after
# systemd-udev-trigger), so the settle time is measured from udevd's start.
settle_start=$(uptime_s)
udevadm settle --timeout=240 || rc=1
settled=$(uptime_s)
# Then the rest of the boot; the bound is the image's own, the runner has a
# watchdog too.
state=$(timeout 240 systemctl is-system-running --wait 2>&1)
failed_units=$(systemctl list-units --failed --plain --no-legend 2>&1 | awk '{ print $1 }')

# The tool's textfile timer (modexcl-textfile.timer, 10 s after boot): its
# first run, waited for up to 60 s, and the file it wrote for node_exporter.
# On a kernel without modexcl the unit's condition skips it.
unit=modexcl-textfile.service
i=0
while [ "$(systemctl show -P ConditionTimestampMonotonic $unit)" = 0 ] && [ $i -lt 60 ]; do
	sleep 1
	i=$((i + 1))
done
prom=/var/lib/prometheus/node-exporter/modexcl.prom
if [ -f "$prom" ]; then
	prom_file=$(printf '{"mode": "%s", "families": %d, "series": %d, "policy_series": %d}' \
		"$(stat -c %a "$prom")" "$(grep -c '^# TYPE ' "$prom")" "$(grep -vc '^#' "$prom")" \
		"$(grep -c '^modexcl_policy{' "$prom")")
else
	prom_file=null
fi
# What node_exporter serves on /metrics from that directory (Debian's
# package gives it --collector.textfile.directory=/var/lib/prometheus/
# node-exporter), scraped with a plain HTTP/1.0 request from bash; it may
# still be starting: up to 10 tries, a second apart.
i=0
while :; do
	metrics=$(bash -c 'exec 3<>/dev/tcp/127.0.0.1/9100 &&
		printf "GET /metrics HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 && cat <&3' 2>/dev/null)
	[ -n "$metrics" ] || [ $i -ge 10 ] && break
	sleep 1
	i=$((i + 1))
done
scrape=$(printf '%s\n' "$metrics" | awk '
	NR == 1 { status = $2 }
	/^modexcl_/ { series++ }
	/^modexcl_policy\{/ { policy++ }
	/^node_textfile_scrape_error / { err = $2 }
	END { printf "{\"status\": \"%s\", \"modexcl_series\": %d, \"policy_series\": %d, \"textfile_scrape_error\": %s}",
		status, series, policy, err == "" ? "null" : err }')
textfile=$(printf '{"ran": %s, "condition": %s, "result": %s, "file": %s, "node_exporter": %s}' \
	"$([ "$(systemctl show -P ConditionTimestampMonotonic $unit)" = 0 ] && echo false || echo true)" \
	"$(jstr "$(systemctl show -P ConditionResult $unit)")" \
	"$(jstr "$(systemctl show -P Result $unit)")" "$prom_file" "$scrape")

grep -q ' /sys/kernel/debug ' /proc/mounts || mount -t debugfs debugfs /sys/kernel/debug
grep -q ' /sys/kernel/tracing ' /proc/mounts || mount -t tracefs tracefs /sys/kernel/tracing

# modexcl's records and policy first, the trace right after: no load
# happens in between on an idle, booted system.
if stats=$(modexcl stats -j 2>&1); then
	policy=$(modexcl policy -j 2>/dev/null | tr -d '\n')
	[ -n "$policy" ] || policy=null
	modexcl="{\"family\": true, \"stats\": $(printf '%s' "$stats" | tr -d '\n'), \"policy\": $policy}"
else
	modexcl="{\"family\": false, \"error\": $(jstr "$stats")}"
fi

# The NIC drivers' module files as stat(2) names them (inode, st_dev):
# the records of the patched kernel must name them the same way.
files=$(for m in virtio_net net_failover failover; do
	f=$(modinfo -n "$m" 2>/dev/null) && f=$(readlink -f "$f") && [ -f "$f" ] || continue
	# shellcheck disable=SC2046 # two numbers
	printf '%s{"path": %s, "ino": %s, "dev": %s}' "${sep-}" "$(jstr "$f")" $(stat -c '%i %d' "$f")
	sep=", "
done)

mstats=/sys/kernel/debug/modules/stats
if [ -r "$mstats" ]; then
	module_stats=$(awk -F'\t' '
		function key(s) { gsub(/^ +| +$/, "", s); return s }
		/^Duplicate failed modules:/ { dups = 1; next }
		!dups && NF == 2 { printf "%s\"%s\": %s", (n++ ? ", " : "{"), key($1), key($2) }
		dups && NF == 3 && key($1) != "Module-name" {
			d = d sprintf("%s{\"module\": \"%s\", \"count\": %s, \"reason\": \"%s\"}",
				(m++ ? ", " : ""), key($1), key($2), key($3)) }
		END { printf "%s\"duplicates\": [%s]}", (n ? ", " : "{"), d }' "$mstats")
else
	module_stats=null
fi

# The syscall tracepoints, enabled on the kernel command line: every
# finit_module() by its flags and every init_module(), each by return value.
trace=/sys/kernel/tracing/trace
if [ -r "$trace" ] && grep -q 'finit_module' /sys/kernel/tracing/set_event 2>/dev/null; then
	syscalls=$(awk '
		function hex(h,   i, v) {
			v = 0
			for (i = 1; i <= length(h); i++)
				v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
			return v
		}
		# A return value: a negative errno shows as 64-bit two complement.
		function ret(h) {
			if (length(h) == 16 && substr(h, 1, 8) == "ffffffff")
				return hex(substr(h, 9)) - 4294967296
			return hex(h)
		}
		function add(list, k) { list[k]++ }
		function obj(list,   k, s, n) {
			s = "{"; n = 0
			for (k in list) s = s sprintf("%s\"%s\": %d", (n++ ? ", " : ""), k, list[k])
			return s "}"
		}
		/^# entries-in-buffer\/entries-written:/ {
			split($3, e, "/"); lost = e[2] - e[1]; next
		}
		/^#/ { next }
		{
			if (!match($0, /-[0-9]+ +(\([ 0-9-]+\) +)?\[[0-9]+\]/)) next
			pid = substr($0, RSTART + 1, RLENGTH - 1); sub(/ .*/, "", pid)
		}
		/ sys_finit_module\(/ {
			f = $0; sub(/.*flags: /, "", f); sub(/\).*/, "", f)
			flags[pid] = hex(f); pending[pid] = "finit"; next
		}
		/ sys_init_module\(/ { pending[pid] = "init"; next }
		/ sys_(f)?init_module -> 0x/ {
			r = ret(substr($NF, 3))
			if (/ sys_finit_module -> / && pending[pid] == "finit") {
				finit++; fl = flags[pid]
				finit_flags[fl]++
				if (fl == 0) add(finit_ret0, r); else if (fl == 4) add(finit_ret4, r); else add(finit_reto, r)
			} else if (/ sys_init_module -> / && pending[pid] == "init") {
				init++; add(init_ret, r)
			} else unmatched++
			delete pending[pid]
		}
		END {
			for (p in pending) inflight++
			printf "{\"finit_module\": {\"calls\": %d, \"by_flags\": %s, ", finit, obj(finit_flags)
			printf "\"ret_flags_0\": %s, \"ret_flags_4\": %s, \"ret_flags_other\": %s}, ",
				obj(finit_ret0), obj(finit_ret4), obj(finit_reto)
			printf "\"init_module\": {\"calls\": %d, \"ret\": %s}, ", init, obj(init_ret)
			printf "\"unmatched\": %d, \"in_flight\": %d, \"lost_events\": %d}",
				unmatched, inflight, lost
		}' "$trace")
else
	syscalls=null
	rc=1
fi

nics_bound=$(find /sys/bus/virtio/drivers/virtio_net -mindepth 1 -maxdepth 1 -name 'virtio*' 2>/dev/null | wc -l)
nics_present=$(grep -lx 0x0001 /sys/bus/virtio/devices/*/device 2>/dev/null | wc -l)
udevd_start=$(unit_s systemd-udevd.service ExecMainStartTimestampMonotonic)
trigger_done=$(unit_s systemd-udev-trigger.service ExecMainExitTimestampMonotonic)
multi_user=$(unit_s multi-user.target ActiveEnterTimestampMonotonic)
analyze=$(systemd-analyze time 2>&1)

{
	printf '{"kernel": %s, "kmod": %s, ' "$(jstr "$(uname -r)")" "$(jstr "$(kmod --version | head -1)")"
	printf '"cmdline": %s, ' "$(jstr "$(cat /proc/cmdline)")"
	printf '"syscalls": %s, ' "$syscalls"
	printf '"module_stats": %s, ' "$module_stats"
	printf '"modexcl": %s, ' "$modexcl"
	printf '"files": [%s], ' "$files"
	printf '"nics_present": %d, "nics_bound": %d, ' "$nics_present" "$nics_bound"
	printf '"times": {"udevd_start": %s, "udev_trigger_done": %s, "settle_wait_start": %s, ' \
		"$udevd_start" "$trigger_done" "$settle_start"
	printf '"udev_settled": %s, "udev_settle": %s, "multi_user": %s}, ' "$settled" \
		"$(echo "$settled $udevd_start" | awk '{ printf "%.3f", $1 - $2 }')" "$multi_user"
	printf '"textfile": %s, ' "$textfile"
	printf '"systemd_analyze": %s, "system_state": %s, "failed_units": %s}\n' \
		"$(jstr "$analyze")" "$(jstr "$state")" "$(jstr "$failed_units")"
} > /run/mxreport.json
cat /run/mxreport.json > "$out"
echo "MODEXCL-RESULT: rc=$rc" > "$out"
# Nothing on the (snapshot) image needs keeping: no unit is stopped.
systemctl poweroff --force
