#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The modexcl tool under valgrind against the running kernel: stats (with
# filters, and in Prometheus' format), policy, a bounded monitor, top -b -n 3
# and a filtered top -b -n 2 end without a memory error or a leak.
# Apart from tool_cli.sh because valgrind in a TCG guest is slow.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../kselftest/ktap_helpers.sh"

plain=/lib/modules/$(uname -r)/extra/modexcl_test_plain.ko
policy_dir=/sys/kernel/modexcl/policy
tmp=$(mktemp -d)
saved_firmware='' saved_module=''

cleanup() {
	[ -n "$saved_firmware" ] && echo "$saved_firmware" > "$policy_dir/firmware"
	[ -n "$saved_module" ] && echo "$saved_module" > "$policy_dir/kernel-module"
	rmmod modexcl_test_plain 2> /dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

why() {
	ktap_print_msg "$*"
	return 1
}

# vg_as NAME CMD ARGS...: modexcl CMD ARGS under valgrind, in the background;
# the process is $pid_NAME, its output in $tmp/NAME.out, .err and .log
# (result NAME)
vg_as() {
	local name=$1
	shift
	valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
		--error-exitcode=99 --log-file="$tmp/$name.log" \
		modexcl "$@" > "$tmp/$name.out" 2> "$tmp/$name.err" &
	eval "pid_$name=\$!"
}
# vg CMD ARGS...: the same, named CMD
vg() { vg_as "$1" "$@"; }

# result NAME: 0 when it exited 0 and valgrind reported nothing
result() {
	local rc
	eval "wait \$pid_$1"
	rc=$?
	[ "$rc" -eq 0 ] && [ ! -s "$tmp/$1.log" ] && return 0
	why "valgrind modexcl $1: exit $rc: $(cat "$tmp/$1.err")"
	sed 's/^/#   /' "$tmp/$1.log" | head -40
	return 1
}

check() {
	if "$2"; then ktap_test_pass "$1"; else ktap_test_fail "$1"; fi
}

sockets() {
	local fd n=0
	for fd in /proc/"$1"/fd/*; do
		case $(readlink "$fd" 2> /dev/null) in socket:*) n=$((n + 1)) ;; esac
	done
	echo "$n"
}

ktap_print_header
for prog in modexcl valgrind; do
	command -v $prog > /dev/null || { ktap_skip_all "$prog not in PATH"; exit "$KSFT_SKIP"; }
done
[ -d "$policy_dir" ] || { ktap_skip_all "no $policy_dir: not a modexcl kernel"; exit "$KSFT_SKIP"; }
ktap_set_plan 7
saved_firmware=$(cat "$policy_dir/firmware")
saved_module=$(cat "$policy_dir/kernel-module")

# A record to show: the plain module, loaded, then a refused duplicate.
echo hold > "$policy_dir/kernel-module"
rmmod modexcl_test_plain 2> /dev/null
/busybox/bin/insmod "$plain"
/busybox/bin/insmod "$plain" 2> /dev/null

# The monitor listens first (two netlink sockets), then the rest run beside it.
vg monitor -j
# shellcheck disable=SC2154
for _ in $(seq 600); do
	[ "$(sockets "$pid_monitor")" -ge 2 ] && break
	sleep 0.1
done
vg stats -j -s dup-serial
vg policy kernel-module hold
vg top -b -n 3 -d 0.2
# The filters (busybox insmod loaded the plain module) and the exposition.
vg_as stats_filter stats -m 'modexcl-test-pl*' -r kernel-module -c 'ins*' -s module
vg_as prometheus stats --prometheus -m 'modexcl_test_pl*'
vg_as top_filter top -b -n 2 -d 0.2 -m 'modexcl_test_pl*'
# Events for the monitor: policy changes and refused duplicates.
for _ in $(seq 60); do
	echo exclusive > "$policy_dir/firmware"
	echo shared > "$policy_dir/firmware"
	/busybox/bin/insmod "$plain" 2> /dev/null
	grep -q '"policy-ntf"' "$tmp/monitor.out" 2> /dev/null && break
	sleep 0.5
done

t_stats() { result stats && grep -q '"module":"modexcl_test_plain"' "$tmp/stats.out"; }
check "valgrind_stats_no_errors_no_leaks" t_stats

t_policy() { result policy && grep -Eq '^kernel-module +hold$' "$tmp/policy.out"; }
check "valgrind_policy_set_no_errors_no_leaks" t_policy

t_top() { result top && [ "$(grep -c '^modexcl top - ' "$tmp/top.out")" -eq 3 ]; }
check "valgrind_top_batch_no_errors_no_leaks" t_top

t_stats_filter() {
	result stats_filter || return 1
	grep -q '^kernel-module .*modexcl_test_plain ' "$tmp/stats_filter.out" ||
		why "no plain row: $(cat "$tmp/stats_filter.out")"
}
check "valgrind_stats_filter_no_errors_no_leaks" t_stats_filter

t_prometheus() {
	result prometheus || return 1
	local labels='reader="kernel-module",module="modexcl_test_plain"'
	grep -q "^modexcl_duplicate_loads_total{$labels," "$tmp/prometheus.out" ||
		why "no plain series: $(head -5 "$tmp/prometheus.out")"
}
check "valgrind_stats_prometheus_no_errors_no_leaks" t_prometheus

t_top_filter() {
	result top_filter || return 1
	local headers
	headers=$(grep -c '^modexcl top - .*filter module modexcl_test_pl\*' "$tmp/top_filter.out")
	[ "$headers" -eq 2 ] ||
		why "headers: $(grep '^modexcl top' "$tmp/top_filter.out")"
}
check "valgrind_top_batch_filter_no_errors_no_leaks" t_top_filter

t_monitor() {
	kill -INT "$pid_monitor"
	result monitor || return 1
	grep -q '"policy-ntf"' "$tmp/monitor.out" || why "no event reached the monitor"
}
check "valgrind_monitor_no_errors_no_leaks" t_monitor

ktap_finished
