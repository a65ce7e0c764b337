#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The modexcl tool against the running kernel: after a known storm of
# duplicate loads, every command's output and exit status (counts must be
# what the storm caused), every error case, `top -b`, and the live view
# driven through tmux (tool_valgrind.sh runs the commands under valgrind).
# Needs the tool in PATH, the test modules in /lib/modules/$(uname -r)/extra,
# jq, tmux and setpriv (the VM takes them from the host's /usr).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../kselftest/ktap_helpers.sh"

extra=/lib/modules/$(uname -r)/extra
plain=$extra/modexcl_test_plain.ko
big=$extra/modexcl_test_big.ko
policy_dir=/sys/kernel/modexcl/policy
tmp=$(mktemp -d)
sock=$tmp/tmux.sock
readers="firmware kernel-module kexec-image kexec-initramfs security-policy x509-certificate"

# --- helpers -----------------------------------------------------------------

# run CMD...: $rc, and the output in $tmp/out and $tmp/err
run() {
	"$@" > "$tmp/out" 2> "$tmp/err"
	rc=$?
}

# why MESSAGE: a diagnostic for the test that is about to fail
why() {
	ktap_print_msg "$*"
	return 1
}

# check DESCRIPTION FUNCTION: one test case, and how long it took
check() {
	local start=$SECONDS
	if "$2"; then
		ktap_test_pass "$1"
	else
		ktap_test_fail "$1"
	fi
	ktap_print_msg "$((SECONDS - start))s, $SECONDS in all"
}

lines() { wc -l < "$1" | tr -d ' '; }

# The date that starts a monitor line, before its time: 2026-12-06
day='[0-9]{4}-[0-9]{2}-[0-9]{2}'

# run_full CMD...: run CMD with stdout on /dev/full; $rc, stderr in $tmp/err, $tmp/out empty
run_full() {
	"$@" > /dev/full 2> "$tmp/err"
	rc=$?
	: > "$tmp/out"
}

# The error contract: exit $1, one line on stderr matching $2, nothing on stdout.
fails_with() {
	[ "$rc" -eq "$1" ] || why "exit $rc, not $1: $(cat "$tmp/err")" || return 1
	[ "$(lines "$tmp/err")" -eq 1 ] ||
		why "stderr is not one line: $(cat "$tmp/err")" || return 1
	grep -q -- "$2" "$tmp/err" || why "stderr lacks '$2': $(cat "$tmp/err")" || return 1
	[ ! -s "$tmp/out" ] || why "stdout not empty: $(head -c 200 "$tmp/out")"
}

# jq over the last stats -j output
record() { jq -r --arg m "$1" ".[] | select(.module == \$m) | $2" "$tmp/stats.json"; }

policy_of() { cat "$policy_dir/$1"; }

saved_policy=
cleanup() {
	tmux -S "$sock" kill-server 2>/dev/null
	[ -n "${mon_pid:-}" ] && kill "$mon_pid" 2>/dev/null
	[ -n "${montxt_pid:-}" ] && kill "$montxt_pid" 2>/dev/null
	for r in $saved_policy; do echo "${r#*=}" > "$policy_dir/${r%%=*}"; done
	rmmod modexcl_test_big modexcl_test_plain 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

ktap_print_header
for prog in modexcl jq tmux setpriv; do
	command -v $prog > /dev/null || { ktap_skip_all "$prog not in PATH"; exit "$KSFT_SKIP"; }
done
[ -d "$policy_dir" ] || { ktap_skip_all "no $policy_dir: not a modexcl kernel"; exit "$KSFT_SKIP"; }
for r in $readers; do saved_policy="$saved_policy $r=$(policy_of "$r")"; done
rmmod modexcl_test_big modexcl_test_plain 2>/dev/null

# --- the command line ----------------------------------------------------------

t_version() {
	run modexcl --version
	[ "$rc" -eq 0 ] && grep -Eq '^modexcl [0-9]' "$tmp/out" || why "rc=$rc $(cat "$tmp/out")"
}
check "version_prints_the_version" t_version

t_help() {
	local cmd
	for cmd in stats top policy monitor reset; do
		run modexcl "$cmd" --help
		[ "$rc" -eq 0 ] || why "$cmd --help: exit $rc" || return 1
		head -1 "$tmp/out" | grep -q "^usage: modexcl $cmd" ||
			why "$cmd --help: $(head -1 "$tmp/out")" || return 1
	done
	run modexcl --help
	[ "$rc" -eq 0 ] && grep -q '^usage: modexcl' "$tmp/out"
}
check "help_for_every_command_exits_0" t_help

t_usage() {
	local args
	while read -r args; do
		# shellcheck disable=SC2086
		run modexcl $args
		[ "$rc" -eq 2 ] || why "'modexcl $args': exit $rc, not 2" || return 1
		[ "$(lines "$tmp/err")" -ge 1 ] || why "'modexcl $args': no message" || return 1
		[ ! -s "$tmp/out" ] || why "'modexcl $args': stdout not empty" || return 1
	done <<-EOF
	frobnicate
	stats -x
	stats extra
	stats -s bytes
	top -n 0
	top -d fast
	top -d 0
	top -s
	policy kernel-module hold extra
	policy bogus-reader shared
	policy kernel-module bogus
	stats -r bogus
	stats -p 0
	top -p pid1
	monitor -x
	reset now
	EOF
	run modexcl
	[ "$rc" -eq 2 ] || why "no command: exit $rc"
}
check "usage_errors_exit_2" t_usage

t_sort_key_list() {
	run modexcl stats -s bogus
	fails_with 2 "valid keys are reader, module, path"
}
check "unknown_sort_key_lists_the_keys" t_sort_key_list

# An unknown reader or mode is a usage error (2), as an unknown sort key is.
t_unknown_reader() {
	run modexcl policy bogus
	fails_with 2 "unknown reader 'bogus': valid readers are firmware, kernel-module" ||
		return 1
	run modexcl policy bogus-reader shared
	fails_with 2 "unknown reader 'bogus-reader': valid readers are ${readers// /, }"
}
check "unknown_reader_lists_the_readers" t_unknown_reader

t_unknown_mode() {
	run modexcl policy kernel-module fast
	fails_with 2 "unknown mode 'fast': valid modes are shared, exclusive, hold" || return 1
	run modexcl policy kernel-module bogus
	fails_with 2 "unknown mode 'bogus': valid modes are shared, exclusive, hold"
}
check "unknown_mode_lists_the_modes" t_unknown_mode

# Output that cannot be written is an error: exit 1, one line naming the cause.
t_stats_write_error() {
	run_full modexcl stats
	fails_with 1 "^modexcl: write error: No space left on device\$" || return 1
	run_full modexcl policy
	fails_with 1 "^modexcl: write error: No space left on device\$"
}
check "stats_to_a_full_device_is_a_write_error" t_stats_write_error

t_extack() {
	local before
	before=$(policy_of firmware)
	run modexcl policy firmware hold
	fails_with 1 "policy-set firmware: hold is only for the kernel-module reader" &&
		[ "$(policy_of firmware)" = "$before" ]
}
check "kernel_extack_message_is_passed_on_verbatim" t_extack

t_eperm() {
	local args
	while read -r args; do
		# shellcheck disable=SC2086
		run setpriv --reuid=65534 --regid=65534 --clear-groups modexcl $args
		fails_with 1 "needs CAP_SYS_ADMIN in the initial user namespace" ||
			why "as nobody: 'modexcl $args'" || return 1
	done <<-EOF
	stats
	stats -j
	policy
	policy kernel-module
	policy kernel-module shared
	reset
	monitor
	top -b -n 1
	EOF
}
check "without_cap_sys_admin_every_command_says_so" t_eperm

t_userns() {
	unshare -Ur true 2> /dev/null || return 2
	run unshare -Ur modexcl policy
	fails_with 1 "needs CAP_SYS_ADMIN in the initial user namespace"
}
t_userns
case $? in
0) ktap_test_pass "root_of_a_user_namespace_is_not_enough" ;;
2) ktap_test_skip "root_of_a_user_namespace_is_not_enough (no user namespaces)" ;;
*) ktap_test_fail "root_of_a_user_namespace_is_not_enough" ;;
esac

# --- a known storm ---------------------------------------------------------------

t_reset_empties() {
	run modexcl reset
	[ "$rc" -eq 0 ] || why "reset: exit $rc $(cat "$tmp/err")" || return 1
	run modexcl stats -j
	[ "$rc" -eq 0 ] && [ "$(jq length "$tmp/out")" -eq 0 ] ||
		why "after reset: $(cat "$tmp/out")"
}
check "reset_drops_every_record" t_reset_empties

echo shared > "$policy_dir/kernel-module"
modexcl monitor -j > "$tmp/mon.json" 2> "$tmp/mon.err" &
mon_pid=$!
modexcl monitor > "$tmp/mon.txt" 2> "$tmp/mon.txt.err" &
montxt_pid=$!
sockets() {
	local fd n=0
	for fd in /proc/"$1"/fd/*; do
		case $(readlink "$fd" 2> /dev/null) in socket:*) n=$((n + 1)) ;; esac
	done
	echo "$n"
}
# Both listen once each has its two netlink sockets (group joined first).
for _ in $(seq 300); do
	[ "$(sockets "$mon_pid")" -ge 2 ] && [ "$(sockets "$montxt_pid")" -ge 2 ] && break
	sleep 0.1
done

t_policy_set() {
	run modexcl policy kernel-module hold
	[ "$rc" -eq 0 ] || why "exit $rc: $(cat "$tmp/err")" || return 1
	grep -Eq '^kernel-module +hold$' "$tmp/out" || why "printed: $(cat "$tmp/out")" || return 1
	[ "$(policy_of kernel-module)" = hold ] || why "sysfs: $(policy_of kernel-module)"
}
check "policy_set_prints_the_new_state_and_sysfs_agrees" t_policy_set

# The storm: the plain module once and then 3 serial duplicates; the big
# one 8 times at once and then 4 serial duplicates. Under hold, each file
# is read for one load only. kmod's insmod does not check /sys/module and
# calls finit_module() alone (busybox's, refused, falls back to
# init_module(): module_image tests that path).
plain_size=$(stat -c %s "$plain") big_size=$(stat -c %s "$big")
plain_ino=$(stat -c %i "$plain")
storm_ok=1
/usr/sbin/insmod "$plain" || storm_ok=0
for _ in 1 2 3; do /usr/sbin/insmod "$plain" 2> /dev/null && storm_ok=0; done
pids=
for _ in 1 2 3 4 5 6 7 8; do
	/usr/sbin/insmod "$big" 2> /dev/null &
	pids="$pids $!"
done
# shellcheck disable=SC2086
wait $pids
for _ in 1 2 3 4; do /usr/sbin/insmod "$big" 2> /dev/null && storm_ok=0; done
[ -d /sys/module/modexcl_test_big ] || storm_ok=0
[ "$storm_ok" -eq 1 ] || ktap_print_msg "the storm did not go as planned"

# Every key of a record in `stats -j`, the kernel's attributes and the
# tool's own (last-seen-time); each record has all of them.
RECORD_KEYS='["reader","module","path","ino","dev","loads","dup-concurrent",
	"dup-serial","dup-read","bytes-wasted","bytes-avoided","wait-ns","last-seen",
	"failed","holder-pid","holder-comm","waiting","format-refused","source",
	"claim","last-caller","last-seen-time"]'

t_stats_json() {
	run modexcl stats -j
	[ "$rc" -eq 0 ] || why "exit $rc: $(cat "$tmp/err")" || return 1
	cp "$tmp/out" "$tmp/stats.json"
	jq -e 'type == "array"' "$tmp/stats.json" > /dev/null || why "not a JSON array" || return 1
	jq -e --argjson k "$RECORD_KEYS" 'all(.[]; keys == ($k | sort))' \
		"$tmp/stats.json" > /dev/null ||
		why "keys: $(jq -c '.[0] | keys' "$tmp/stats.json")"
}
check "stats_json_is_one_array_of_records_with_every_key" t_stats_json

t_plain_counts() {
	local got
	got=$(record modexcl_test_plain '[.reader, .loads, ."dup-concurrent", ."dup-serial",
		."dup-read", ."bytes-wasted", ."bytes-avoided", .ino, .failed, ."format-refused",
		.source] | map(tostring) | join(" ")')
	[ "$got" = "kernel-module 1 0 3 0 0 $((3 * plain_size)) $plain_ino 0 0 file" ] ||
		why "plain: $got (want 1 load, 3 serial," \
			"$((3 * plain_size)) bytes avoided, ino $plain_ino, a file's record)" ||
		return 1
	[ "$(record modexcl_test_plain '.path')" = "$plain" ] ||
		why "path $(record modexcl_test_plain '.path')"
}
check "stats_counts_3_serial_duplicates_of_the_plain_module" t_plain_counts

t_big_counts() {
	local loads conc serial read wasted avoided
	read -r loads conc serial read wasted avoided < <(record modexcl_test_big \
		'[.loads, ."dup-concurrent", ."dup-serial", ."dup-read", ."bytes-wasted",
		  ."bytes-avoided"] | map(tostring) | join(" ")')
	[ "${loads:-x}" = 1 ] || why "big: loads=${loads:-none}" || return 1
	[ $((conc + serial + read)) -eq 11 ] ||
		why "big: $conc concurrent + $serial serial + $read read, not 11" || return 1
	[ "$serial" -ge 4 ] || why "big: only $serial serial" || return 1
	[ "$avoided" -eq $(((conc + serial) * big_size)) ] ||
		why "big: $avoided bytes avoided for $((conc + serial))" \
			"unread duplicates of $big_size" ||
		return 1
	[ "$read" -eq 0 ] && [ "$wasted" -eq 0 ] ||
		why "big: $read read, $wasted bytes wasted under hold"
}
check "stats_counts_11_duplicates_of_the_big_module" t_big_counts

t_stats_table() {
	run modexcl stats
	[ "$rc" -eq 0 ] || why "exit $rc: $(cat "$tmp/err")" || return 1
	head -1 "$tmp/out" | grep -q '^READER .*AVOIDED' ||
		why "header: $(head -1 "$tmp/out")" || return 1
	# Sorted by bytes avoided: the big module first, in MiB.
	sed -n 2p "$tmp/out" | grep -q 'modexcl_test_big.* MiB' ||
		why "first row: $(sed -n 2p "$tmp/out")" || return 1
	grep -q "^kernel-module .*modexcl_test_plain .* 3 .*KiB.* $plain\$" "$tmp/out" ||
		why "plain row: $(grep modexcl_test_plain "$tmp/out")" || return 1
	grep -q '^total: 2 records, 2 loads, 14 duplicates' "$tmp/out" ||
		why "totals: $(tail -1 "$tmp/out")"
}
check "stats_table_has_human_units_and_totals" t_stats_table

t_stats_sort() {
	run modexcl stats -j -s module
	[ "$(jq -r '[.[].module] | join(",")' "$tmp/out")" = \
		modexcl_test_big,modexcl_test_plain ] ||
		why "by module: $(jq -c '[.[].module]' "$tmp/out")" || return 1
	run modexcl stats -j -s ino
	[ "$(jq -r '[.[].ino] | . == (sort | reverse)' "$tmp/out")" = true ] ||
		why "by ino: $(jq -c '[.[].ino]' "$tmp/out")" || return 1
	run modexcl stats -s path
	sed -n 2p "$tmp/out" | grep -q modexcl_test_big ||
		why "table by path: $(sed -n 2p "$tmp/out")"
}
check "stats_sorts_by_any_key" t_stats_sort

# The storm's counts in Prometheus' text format, as promtool accepts it
# (the VM takes promtool from the host's /usr when it is installed there).
t_stats_prometheus() {
	local plain_labels='reader="kernel-module",module="modexcl_test_plain"'
	run modexcl stats --prometheus
	[ "$rc" -eq 0 ] || why "exit $rc: $(cat "$tmp/err")" || return 1
	grep -qx "modexcl_duplicate_loads_total{$plain_labels,kind=\"serial\"} 3" "$tmp/out" ||
		why "plain: $(grep modexcl_test_plain "$tmp/out" | tr '\n' ' ')" || return 1
	grep -qx "modexcl_bytes_avoided_total{$plain_labels} $((3 * plain_size))" "$tmp/out" ||
		why "plain avoided: $(grep "bytes_avoided.*modexcl_test_plain" "$tmp/out")" ||
		return 1
	local policy='modexcl_policy{reader="kernel-module"'
	grep -qx "$policy,mode=\"hold\"} 1" "$tmp/out" ||
		why "policy: $(grep "^$policy" "$tmp/out" | tr '\n' ' ')" || return 1
	! grep -q "$plain" "$tmp/out" || why "a path is a label" || return 1
	if ! command -v promtool > /dev/null; then
		ktap_print_msg "no promtool: the format is not validated"
		return 0
	fi
	promtool check metrics < "$tmp/out" > "$tmp/promtool" 2>&1 ||
		why "promtool: $(cat "$tmp/promtool")"
}
check "stats_prometheus_exposes_the_storm_for_promtool" t_stats_prometheus

# --- filters, against the storm's two records -------------------------------------

# table_rows PATTERN: the rows of the last stats table (no header, no totals) matching it
table_rows() { sed '1d;$d' "$tmp/out" | grep -c -- "$1"; }

t_filter_module() {
	run modexcl stats -m 'modexcl_test_pl*'
	[ "$rc" -eq 0 ] || why "-m: exit $rc: $(cat "$tmp/err")" || return 1
	[ "$(table_rows .)" -eq 1 ] && [ "$(table_rows modexcl_test_plain)" -eq 1 ] ||
		why "-m 'modexcl_test_pl*': $(sed '1d;$d' "$tmp/out")" || return 1
	grep -q '^total: 1 records, 1 loads, 3 duplicates (0 concurrent, 3 serial, 0 read)' \
		"$tmp/out" || why "-m totals: $(tail -1 "$tmp/out")" || return 1
	# A dash matches the underscore of module names, as modprobe takes either.
	run modexcl stats -m modexcl-test-big
	[ "$rc" -eq 0 ] || why "-m dashes: exit $rc: $(cat "$tmp/err")" || return 1
	[ "$(table_rows .)" -eq 1 ] && [ "$(table_rows modexcl_test_big)" -eq 1 ] ||
		why "-m modexcl-test-big: $(sed '1d;$d' "$tmp/out")" || return 1
	grep -q '^total: 1 records, 1 loads, 11 duplicates' "$tmp/out" ||
		why "-m dashes totals: $(tail -1 "$tmp/out")" || return 1
	run modexcl stats -m 'no_such_module*'
	[ "$rc" -eq 0 ] && [ "$(table_rows .)" -eq 0 ] &&
		grep -q '^total: 0 records, 0 loads, 0 duplicates' "$tmp/out" ||
		why "-m matching nothing: exit $rc: $(cat "$tmp/out")"
}
check "stats_m_shows_only_the_modules_the_glob_matches" t_filter_module

t_filter_reader() {
	run modexcl stats -r firmware
	[ "$rc" -eq 0 ] || why "-r firmware: exit $rc: $(cat "$tmp/err")" || return 1
	[ "$(table_rows '^kernel-module ')" -eq 0 ] && [ "$(table_rows modexcl_test_)" -eq 0 ] ||
		why "-r firmware: $(sed '1d;$d' "$tmp/out")" || return 1
	run modexcl stats -r kernel-module
	[ "$rc" -eq 0 ] && [ "$(table_rows '^kernel-module .*modexcl_test_')" -eq 2 ] ||
		why "-r kernel-module: exit $rc: $(cat "$tmp/out")" || return 1
	run modexcl stats -r bogus
	fails_with 2 "unknown reader 'bogus': valid readers are ${readers// /, }"
}
check "stats_r_shows_only_one_reader_and_lists_the_readers" t_filter_reader

# The storm's loader was insmod: the records keep its command after
# it exited (holder-comm), but not its PID (holder-pid 0).
t_filter_comm() {
	run modexcl stats -j
	[ "$(jq -r '[.[] | select(.module | startswith("modexcl_test_")) | ."holder-comm"]
		| join(",")' "$tmp/out")" = insmod,insmod ] ||
		why "holder-comm: $(jq -c '[.[] | {module, "holder-comm"}]' "$tmp/out")" ||
		return 1
	run modexcl stats -c insmod
	[ "$rc" -eq 0 ] || why "-c insmod: exit $rc: $(cat "$tmp/err")" || return 1
	[ "$(table_rows '^kernel-module .*modexcl_test_')" -eq 2 ] ||
		why "-c insmod: $(sed '1d;$d' "$tmp/out")" || return 1
	run modexcl stats -c 'ins*' -m 'modexcl_test_pl*'
	[ "$rc" -eq 0 ] && [ "$(table_rows .)" -eq 1 ] &&
		[ "$(table_rows modexcl_test_plain)" -eq 1 ] ||
		why "-c 'ins*' -m: $(sed '1d;$d' "$tmp/out")" || return 1
	run modexcl stats -c modprobe
	[ "$rc" -eq 0 ] && [ "$(table_rows .)" -eq 0 ] &&
		grep -q '^total: 0 records' "$tmp/out" ||
		why "-c modprobe: exit $rc: $(cat "$tmp/out")"
}
check "stats_c_matches_the_command_that_loaded" t_filter_comm

# This shell exists but holds no file: no row, totals of nothing.
t_filter_pid() {
	run modexcl stats -p $$
	[ "$rc" -eq 0 ] || why "-p $$: exit $rc: $(cat "$tmp/err")" || return 1
	[ "$(table_rows .)" -eq 0 ] && grep -q '^total: 0 records, 0 loads' "$tmp/out" ||
		why "-p $$: $(cat "$tmp/out")" || return 1
	run modexcl stats -j -p $$
	[ "$rc" -eq 0 ] && [ "$(jq length "$tmp/out")" -eq 0 ] || why "-j -p $$: $(cat "$tmp/out")"
}
check "stats_p_of_a_process_without_a_record_shows_none" t_filter_pid

t_filter_json() {
	run modexcl stats -j -m 'modexcl_test_pl*'
	[ "$rc" -eq 0 ] || why "exit $rc: $(cat "$tmp/err")" || return 1
	jq -e 'type == "array" and length == 1 and .[0].module == "modexcl_test_plain"
		and .[0]."dup-serial" == 3' "$tmp/out" > /dev/null ||
		why "-j -m: $(jq -c '[.[] | .module]' "$tmp/out")" || return 1
	jq -e --argjson k "$RECORD_KEYS" 'all(.[]; keys == ($k | sort))' "$tmp/out" > /dev/null ||
		why "keys: $(jq -c '.[0] | keys' "$tmp/out")"
}
check "stats_json_with_a_filter_keeps_the_shape" t_filter_json

t_filter_prometheus() {
	local plain_labels='reader="kernel-module",module="modexcl_test_plain"'
	run modexcl stats --prometheus -m 'modexcl_test_pl*'
	[ "$rc" -eq 0 ] || why "exit $rc: $(cat "$tmp/err")" || return 1
	grep -qx "modexcl_duplicate_loads_total{$plain_labels,kind=\"serial\"} 3" "$tmp/out" ||
		why "plain: $(grep modexcl_test_plain "$tmp/out" | tr '\n' ' ')" || return 1
	! grep -q modexcl_test_big "$tmp/out" ||
		why "big: $(grep modexcl_test_big "$tmp/out" | head -3 | tr '\n' ' ')" || return 1
	grep -qx 'modexcl_records 1' "$tmp/out" || why "$(grep '^modexcl_records' "$tmp/out")"
}
check "stats_prometheus_with_a_filter_has_only_its_series" t_filter_prometheus

t_filter_top_batch() {
	run modexcl top -b -n 1 -m 'modexcl_test_pl*'
	[ "$rc" -eq 0 ] || why "exit $rc: $(cat "$tmp/err")" || return 1
	grep -q '^modexcl top - .*  records 1 .*  filter module modexcl_test_pl\* (1 of 2)$' \
		"$tmp/out" || why "header: $(head -1 "$tmp/out")" || return 1
	[ "$(grep -c '^kernel-module  *modexcl_test_plain ' "$tmp/out")" -eq 1 ] ||
		why "plain rows: $(grep -c modexcl_test_plain "$tmp/out")" || return 1
	! grep -q modexcl_test_big "$tmp/out" || why "big row: $(grep modexcl_test_big "$tmp/out")"
}
check "top_batch_with_a_filter_names_it_and_shows_its_rows" t_filter_top_batch

t_policy_show() {
	local r
	run modexcl policy
	[ "$rc" -eq 0 ] && [ "$(lines "$tmp/out")" -eq 6 ] ||
		why "exit $rc: $(cat "$tmp/out")" || return 1
	for r in $readers; do
		grep -Eq "^$r +$(policy_of "$r")\$" "$tmp/out" ||
			why "$r: $(grep "^$r " "$tmp/out")" || return 1
	done
	run modexcl policy firmware
	[ "$rc" -eq 0 ] && grep -Eq "^firmware +$(policy_of firmware)\$" "$tmp/out" ||
		why "policy firmware: $(cat "$tmp/out")"
}
check "policy_shows_every_reader_as_sysfs_does" t_policy_show

t_policy_json() {
	local r
	run modexcl policy -j
	# Six readers and why a mode does not apply: nothing, with no IMA policy.
	[ "$rc" -eq 0 ] && jq -e 'type == "object" and length == 7 and .inactive == {}' \
		"$tmp/out" > /dev/null ||
		why "exit $rc: $(cat "$tmp/out") $(cat "$tmp/err")" || return 1
	for r in $readers; do
		[ "$(jq -r --arg r "$r" '.[$r]' "$tmp/out")" = "$(policy_of "$r")" ] ||
			why "$r: $(jq -c . "$tmp/out")" || return 1
	done
	run modexcl policy -j kernel-module
	[ "$rc" -eq 0 ] &&
		[ "$(jq -r '.["kernel-module"]' "$tmp/out")" = "$(policy_of kernel-module)" ] &&
		[ "$(jq -c 'keys' "$tmp/out")" = '["inactive","kernel-module"]' ] ||
		why "policy -j kernel-module: exit $rc: $(cat "$tmp/out")"
}
check "policy_json_is_one_object_reader_to_mode_and_what_is_inactive" t_policy_json

t_top_batch() {
	run modexcl top -b -n 3 -d 0.2
	[ "$rc" -eq 0 ] || why "exit $rc: $(cat "$tmp/err")" || return 1
	[ "$(grep -c '^modexcl top - ' "$tmp/out")" -eq 3 ] ||
		why "$(grep -c '^modexcl top' "$tmp/out") snapshots" || return 1
	[ "$(grep -c 'kernel-module=hold' "$tmp/out")" -eq 3 ] || why "policy lines" || return 1
	[ "$(grep -c '^kernel-module  *modexcl_test_plain ' "$tmp/out")" -eq 3 ] ||
		why "plain rows" || return 1
	[ "$(grep -c '^kernel-module  *modexcl_test_big ' "$tmp/out")" -eq 3 ] ||
		why "big rows" || return 1
	grep -q '^dups 14 ' "$tmp/out" || why "summary: $(grep '^dups' "$tmp/out" | head -1)"
}
check "top_batch_prints_3_snapshots" t_top_batch

t_top_pipe() {
	modexcl top -n 2 -d 0.2 2> "$tmp/err" | cat > "$tmp/out"
	[ "$(grep -c '^modexcl top - ' "$tmp/out")" -eq 2 ] ||
		why "$(head -3 "$tmp/out") $(cat "$tmp/err")"
}
check "top_without_a_terminal_is_batch_mode" t_top_pipe

# last-seen-time is the kernel's boot-time stamp turned into wall-clock time
# with the clocks each process reads when it prints: two processes may round
# one stamp to different milliseconds, so frames are compared without it.
t_top_json() {
	local by='map(del(."last-seen-time")) | sort_by(.reader, .path)' frame
	run modexcl stats -j
	jq -cS "$by" "$tmp/out" > "$tmp/stats.now" || why "stats -j: $(cat "$tmp/err")" || return 1
	run modexcl top -j -n 2 -d 0.2
	[ "$rc" -eq 0 ] || why "exit $rc: $(cat "$tmp/err")" || return 1
	[ "$(lines "$tmp/out")" -eq 2 ] || why "$(lines "$tmp/out") lines, not 2" || return 1
	while read -r frame; do
		[ "$(printf '%s\n' "$frame" | jq -cS "$by")" = "$(cat "$tmp/stats.now")" ] ||
			why "not what stats -j prints: $(printf '%s\n' "$frame" | jq -S "$by" |
				diff - <(jq -S . "$tmp/stats.now") |
				head -8 | tr '\n' ' ')" || return 1
	done < "$tmp/out"
}
check "top_json_prints_one_line_per_snapshot_as_stats_json" t_top_json

t_top_sort_growth() {
	run modexcl top -b -n 2 -d 0.2 -s +dups
	[ "$rc" -eq 0 ] || why "exit $rc: $(cat "$tmp/err")" || return 1
	[ "$(grep -c '^modexcl top - .*  sort +dups' "$tmp/out")" -eq 2 ] ||
		why "header: $(head -1 "$tmp/out")" || return 1
	run modexcl top -b -n 1 -s +module
	fails_with 2 "module is not a counter" || return 1
	run modexcl stats -s +dups
	fails_with 2 "sorts top only"
}
check "top_sorts_by_growth_and_refuses_it_where_nothing_grows" t_top_sort_growth

# --- the monitor ---------------------------------------------------------------

stop_monitors() {
	kill -INT "$mon_pid" "$montxt_pid"
	wait "$mon_pid"; mon_rc=$?
	wait "$montxt_pid"; montxt_rc=$?
	mon_pid='' montxt_pid=''
}
stop_monitors

t_monitor_json() {
	local n_plain n_big
	[ "$mon_rc" -eq 0 ] || why "monitor -j: exit $mon_rc $(cat "$tmp/mon.err")" || return 1
	jq -e -s 'length > 0' "$tmp/mon.json" > /dev/null ||
		why "not JSON lines: $(head -3 "$tmp/mon.json")" || return 1
	jq -e -s 'any(.[]; .event == "policy-ntf" and .reader == "kernel-module" and .mode == "hold"
		and ."old-mode" == "shared")' "$tmp/mon.json" > /dev/null ||
		why "no policy-ntf" || return 1
	n_plain=$(jq -s '[.[] | select(.event == "dup-ntf" and .module == "modexcl_test_plain"
		and .kind == "serial")] | length' "$tmp/mon.json")
	n_big=$(jq -s '[.[] | select(.event == "dup-ntf" and .module == "modexcl_test_big"
		and .kind != "exclusive-wait")] | length' "$tmp/mon.json")
	[ "$n_plain" -eq 3 ] && [ "$n_big" -eq 11 ] ||
		why "events: plain $n_plain, big $n_big" || return 1
	# Consecutive sequence numbers, nothing missed.
	jq -e -s '[.[].seq] | . as $s | all(range(1; length); $s[.] == $s[. - 1] + 1)' \
		"$tmp/mon.json" > /dev/null ||
		why "seq: $(jq -s -c '[.[].seq]' "$tmp/mon.json")" || return 1
	! grep -q '"missed"' "$tmp/mon.json" || why "missed events"
}
check "monitor_json_streams_every_event_with_its_sequence" t_monitor_json

# Each duplicate names its caller, the insmod that made it, and the
# kernel's time of it; the policy change names the modexcl that made it.
t_monitor_callers() {
	local n
	n=$(jq -s '[.[] | select(.event == "dup-ntf" and .module == "modexcl_test_plain"
		and .caller.comm == "insmod" and .caller.pid == .pid
		and (."time-ns" | type) == "number")] | length' "$tmp/mon.json")
	[ "$n" -eq 3 ] || why "$n plain dup-ntf with caller insmod: $(jq -s -c \
		'[.[] | select(.event == "dup-ntf") | .caller.comm] | unique' "$tmp/mon.json")" ||
		return 1
	jq -e -s 'any(.[]; .event == "policy-ntf" and .actor.comm == "modexcl")' \
		"$tmp/mon.json" > /dev/null || why "policy-ntf actor: $(jq -s -c \
		'[.[] | select(.event == "policy-ntf") | .actor]' "$tmp/mon.json")"
}
check "monitor_json_names_the_caller_of_each_duplicate" t_monitor_callers

t_monitor_text() {
	[ "$montxt_rc" -eq 0 ] ||
		why "monitor: exit $montxt_rc $(cat "$tmp/mon.txt.err")" || return 1
	[ "$(grep -c 'dup-ntf .*kind=serial module=modexcl_test_plain ' "$tmp/mon.txt")" -eq 3 ] ||
		why "$(grep -c modexcl_test_plain "$tmp/mon.txt") plain lines" || return 1
	local ntf='policy-ntf seq=[0-9]+ reader=kernel-module mode=hold old-mode=shared inactive=-'
	ntf="$ntf actor=modexcl\\[[0-9]+\\] "
	grep -Eq "^$day [0-9:.]+ $ntf" "$tmp/mon.txt" || why "$(grep policy-ntf "$tmp/mon.txt")" ||
		return 1
	[ "$(grep -c 'module=modexcl_test_plain pid=[0-9]* caller=insmod\[[0-9]*\] ' \
		"$tmp/mon.txt")" -eq 3 ] || why "caller: $(grep -m1 dup-ntf "$tmp/mon.txt")" ||
		return 1
	[ "$(grep -c "bytes=$plain_size " "$tmp/mon.txt")" -eq 3 ] ||
		why "bytes per serial duplicate"
}
check "monitor_prints_one_line_per_event" t_monitor_text

# --- the live view, through tmux ------------------------------------------------

tm() { tmux -S "$sock" "$@"; }
screen() { tm capture-pane -p -t mx > "$tmp/screen" 2> /dev/null; }
# wait_screen PATTERN [SECONDS]: until the pane shows PATTERN
wait_screen() {
	local _
	for _ in $(seq $((${2:-30} * 5))); do
		screen
		grep -q -- "$1" "$tmp/screen" && return 0
		sleep 0.2
	done
	why "the screen never showed '$1':"
	sed 's/^/#   /' "$tmp/screen"
	return 1
}
wait_file() {
	local _
	for _ in $(seq $((${2:-30} * 5))); do
		[ -s "$1" ] && return 0
		sleep 0.2
	done
	return 1
}
# start_top COLS LINES ARGS [ENV]: the live view in a fresh tmux session;
# the pane saves stty before and after, and top's exit status.
start_top() {
	local cmd="stty -g > $tmp/stty.before; echo \$\$ > $tmp/top.pid"
	cmd="$cmd; exec sh -c '${4:-} modexcl top $3 2> $tmp/top.err; echo \$? > $tmp/top.rc"
	cmd="$cmd; stty -g > $tmp/stty.after; sleep 60'"
	rm -f "$tmp/top.rc" "$tmp/stty.before" "$tmp/stty.after" "$tmp/top.pid"
	tm -f /dev/null new-session -d -s mx -x "$1" -y "$2" "$cmd"
}
# colored: the pane shows SGR colour sequences
colored() { tm capture-pane -e -p -t mx | grep -aqP '\x1b\[([0-9;]*;)?(3[0-7]|4[0-7])[;m]'; }
top_pid() { pgrep -P "$(cat "$tmp/top.pid")" -x modexcl 2> /dev/null || pgrep -x -n modexcl; }

start_top 132 30 "-d 0.5"
t_top_draws() {
	wait_screen 'modexcl top - ' && wait_screen 'modexcl_test_plain' &&
		wait_screen 'kernel-module=hold' && wait_screen 'sort dup-bytes' &&
		wait_screen 'q quit' && { colored || why "no colour without NO_COLOR"; }
}
check "top_draws_summary_policy_and_rows" t_top_draws
cp "$tmp/screen" "$tmp/first-screen"

t_top_sort() {
	tm send-keys -t mx s
	wait_screen 'sort reader' || return 1
	tm send-keys -t mx '<'
	wait_screen 'sort dup-bytes' || return 1
	tm send-keys -t mx r
	wait_screen 'sort dup-bytes (reversed)' || return 1
	# Reversed: the plain module (fewer duplicate bytes) comes first.
	awk '/READER/ { getline; print; exit }' "$tmp/screen" | grep -q modexcl_test_plain ||
		why "first row: $(awk '/READER/ { getline; print; exit }' "$tmp/screen")"
}
check "top_resorts_on_s_and_reverses_on_r" t_top_sort

t_top_policy() {
	tm send-keys -t mx p
	wait_screen 'set the policy of kernel-module from hold to shared? \[y/n\]' || return 1
	tm send-keys -t mx n
	wait_screen 'policy unchanged' || return 1
	[ "$(policy_of kernel-module)" = hold ] ||
		why "n changed it: $(policy_of kernel-module)" || return 1
	tm send-keys -t mx p
	wait_screen '\[y/n\]' || return 1
	tm send-keys -t mx y
	wait_screen 'policy of kernel-module: hold -> shared' || return 1
	[ "$(policy_of kernel-module)" = shared ] ||
		why "sysfs: $(policy_of kernel-module)" || return 1
	wait_screen 'kernel-module=shared'
}
check "top_p_and_y_change_the_policy_sysfs_shows_it" t_top_policy

t_top_resize() {
	tm resize-window -t mx -x 60 -y 10
	wait_screen 'terminal too small: 60x10, top needs at least 80x12' || return 1
	tm resize-window -t mx -x 100 -y 24
	wait_screen 'modexcl_test_plain' && wait_screen 'modexcl top - '
}
check "top_redraws_after_a_resize" t_top_resize

t_top_help() {
	tm send-keys -t mx '?'
	wait_screen 'modexcl top: keys' || return 1
	tm send-keys -t mx x
	wait_screen 'modexcl top - '
}
check "top_shows_help_on_question_mark" t_top_help

# / prompts for a module glob (it starts with the current one); Enter applies
# it, and the header says which filter hides how many rows. An empty one
# clears it.
t_top_filter() {
	local _
	# Wide enough for the header with its filter.
	tm resize-window -t mx -x 160 -y 30
	wait_screen 'modexcl_test_big' || return 1
	tm send-keys -t mx /
	wait_screen 'module glob (Enter applies, empty shows all, Esc cancels):' || return 1
	tm send-keys -t mx -l 'modexcl_test_pl*'
	wait_screen 'Esc cancels): modexcl_test_pl\*' || return 1
	tm send-keys -t mx Enter
	wait_screen 'modexcl top - .*filter module modexcl_test_pl\* (1 of 2)' || return 1
	wait_screen 'filter module modexcl_test_pl\*: 1 of 2 records' || return 1
	grep -q modexcl_test_plain "$tmp/screen" || why "the plain row is gone" || return 1
	! grep -q modexcl_test_big "$tmp/screen" || why "the big row is still shown:" ||
		{ sed 's/^/#   /' "$tmp/screen"; return 1; }
	tm send-keys -t mx /
	wait_screen 'Esc cancels): modexcl_test_pl\*' || return 1
	for _ in $(seq 16); do tm send-keys -t mx BSpace; done
	wait_screen 'Esc cancels): *$' || return 1
	tm send-keys -t mx Enter
	wait_screen 'no filter: 2 records' && wait_screen 'modexcl_test_big' || return 1
	! grep -q 'filter module' "$tmp/screen" || why "the header still names a filter"
}
check "top_slash_filters_by_module_and_an_empty_glob_clears" t_top_filter

t_top_quit() {
	tm send-keys -t mx q
	wait_file "$tmp/top.rc" && wait_file "$tmp/stty.after" || why "top did not quit" || return 1
	[ "$(cat "$tmp/top.rc")" = 0 ] ||
		why "exit $(cat "$tmp/top.rc"): $(cat "$tmp/top.err")" || return 1
	cmp -s "$tmp/stty.before" "$tmp/stty.after" || why "terminal modes changed:" ||
		{ diff "$tmp/stty.before" "$tmp/stty.after" | sed 's/^/#   /'; return 1; }
	screen
	! grep -q 'modexcl top - ' "$tmp/screen" || why "the view is still on the screen"
}
check "top_quits_on_q_and_leaves_the_terminal_sane" t_top_quit
tm kill-server 2> /dev/null

t_top_sigterm() {
	local pid
	start_top 100 24 "-d 0.5"
	wait_screen 'modexcl top - ' || return 1
	pid=$(top_pid)
	[ -n "$pid" ] || why "no top process" || return 1
	kill -TERM "$pid"
	wait_file "$tmp/top.rc" && wait_file "$tmp/stty.after" ||
		why "top ignored SIGTERM" || return 1
	[ "$(cat "$tmp/top.rc")" = 0 ] || why "exit $(cat "$tmp/top.rc")" || return 1
	cmp -s "$tmp/stty.before" "$tmp/stty.after" || why "terminal modes changed after SIGTERM"
}
check "top_ends_on_sigterm_and_leaves_the_terminal_sane" t_top_sigterm
tm kill-server 2> /dev/null

t_top_no_color() {
	start_top 100 24 "-d 0.5" "NO_COLOR=1"
	wait_screen 'modexcl_test_plain' || return 1
	! colored || why "colours despite NO_COLOR" || return 1
	tm send-keys -t mx q
	wait_file "$tmp/top.rc" && [ "$(cat "$tmp/top.rc")" = 0 ]
}
check "top_honours_no_color" t_top_no_color
tm kill-server 2> /dev/null

t_top_too_small() {
	start_top 60 10 ""
	wait_file "$tmp/top.rc" || why "top did not exit" || return 1
	[ "$(cat "$tmp/top.rc")" = 1 ] || why "exit $(cat "$tmp/top.rc")" || return 1
	[ "$(lines "$tmp/top.err")" -eq 1 ] &&
		grep -q 'the terminal is 60x10, top needs at least 80x12' "$tmp/top.err" ||
		why "stderr: $(cat "$tmp/top.err")"
}
check "top_in_a_too_small_terminal_says_the_minimum" t_top_too_small
tm kill-server 2> /dev/null

# --- the monitor, overflowed ------------------------------------------------------

# A monitor that stops reading overflows its socket: it must say that it
# missed events and resynchronise with a dump once it reads again.
refused_loads() {
	python3 - "$1" "$plain" <<-'EOF'
	import ctypes, os, sys
	libc = ctypes.CDLL(None, use_errno=True)
	fd = os.open(sys.argv[2], os.O_RDONLY)
	for _ in range(int(sys.argv[1])):
	    libc.syscall(313, fd, b"", 0)  # finit_module of a loaded module
	os.close(fd)
	EOF
}

t_monitor_overflow() {
	local pid resync
	echo hold > "$policy_dir/kernel-module"
	modexcl monitor > "$tmp/ovf.txt" 2> "$tmp/ovf.err" &
	pid=$!
	for _ in $(seq 300); do
		[ "$(sockets "$pid")" -ge 2 ] && break
		sleep 0.1
	done
	kill -STOP "$pid"
	refused_loads 20000
	kill -CONT "$pid"
	for _ in $(seq 100); do
		grep -q ' resync ' "$tmp/ovf.txt" && break
		sleep 0.2
	done
	kill -INT "$pid"
	wait "$pid"
	rc=$?
	[ "$rc" -eq 0 ] || why "exit $rc: $(cat "$tmp/ovf.err")" || return 1
	grep -Eq "^$day [0-9:.]+ missed count=[0-9?]+ reason=(overflow|gap)\$" "$tmp/ovf.txt" ||
		why "no missed line in $(wc -l < "$tmp/ovf.txt") lines" || return 1
	resync="^$day [0-9:.]+ resync records=[0-9]+ dups=[0-9]+ "
	resync="$resync.* policy firmware=[a-z]+ kernel-module=hold"
	grep -Eq "$resync" "$tmp/ovf.txt" ||
		why "no resync line: $(grep -A1 missed "$tmp/ovf.txt" | head -2)"
}
check "monitor_reports_an_overflow_and_resyncs" t_monitor_overflow

# --- reset -------------------------------------------------------------------------

t_reset() {
	run modexcl reset
	[ "$rc" -eq 0 ] || why "exit $rc: $(cat "$tmp/err")" || return 1
	run modexcl stats -j
	[ "$(jq length "$tmp/out")" -eq 0 ] ||
		why "records left: $(jq length "$tmp/out")" || return 1
	run modexcl stats
	grep -q '^total: 0 records' "$tmp/out" || why "$(tail -1 "$tmp/out")"
}
check "reset_zeroes_the_counters_after_the_storm" t_reset

# A reset is announced on the monitor group, with who made it.
t_reset_event() {
	local pid
	modexcl monitor -j > "$tmp/reset.json" 2> "$tmp/reset.err" &
	pid=$!
	for _ in $(seq 300); do
		[ "$(sockets "$pid")" -ge 2 ] && break
		sleep 0.1
	done
	run modexcl reset
	[ "$rc" -eq 0 ] || why "reset: exit $rc: $(cat "$tmp/err")" || return 1
	for _ in $(seq 50); do
		grep -q stats-reset-ntf "$tmp/reset.json" && break
		sleep 0.1
	done
	kill -INT "$pid"
	wait "$pid" || why "monitor: exit $?: $(cat "$tmp/reset.err")" || return 1
	jq -e -s 'any(.[]; .event == "stats-reset-ntf" and .actor.comm == "modexcl"
		and (.seq | type) == "number")' "$tmp/reset.json" > /dev/null ||
		why "no stats-reset-ntf: $(head -c 300 "$tmp/reset.json")"
}
check "reset_is_announced_to_a_running_monitor" t_reset_event

# After t_reset: the counts are checked no more. The kernel resets; the
# report of it is lost, which is an error.
t_reset_write_error() {
	run_full modexcl reset
	fails_with 1 "^modexcl: write error: No space left on device\$"
}
check "reset_to_a_full_device_is_a_write_error" t_reset_write_error

# --- CPU use of the live view with a full table (only with mxtoolperf=1) ------------

# 1024 copies of the plain module, each loaded once: 1024 records.
many_records() {
	python3 - "$1" "$plain" <<-'EOF'
	import ctypes, os, shutil, sys
	libc = ctypes.CDLL(None, use_errno=True)
	for i in range(1024):
	    path = os.path.join(sys.argv[1], "m%04d.ko" % i)
	    shutil.copyfile(sys.argv[2], path)
	    fd = os.open(path, os.O_RDONLY)
	    libc.syscall(313, fd, b"", 0)  # finit_module
	    os.close(fd)
	EOF
}

# CPU ticks of a process: user and system
ticks() { awk '{ print $14, $15 }' "/proc/$1/stat"; }

t_top_cpu() {
	local pid u0 s0 u1 s1 t secs=30 hz pct calib
	mkdir -p "$tmp/many"
	many_records "$tmp/many"
	run modexcl stats -j
	[ "$(jq length "$tmp/out")" -ge 1000 ] ||
		why "only $(jq length "$tmp/out") records" || return 1
	start_top 132 40 "-d 1"
	wait_screen 'modexcl top - ' || return 1
	sleep 3
	pid=$(top_pid)
	read -r u0 s0 < <(ticks "$pid")
	sleep "$secs"
	read -r u1 s1 < <(ticks "$pid")
	t=$((u1 - u0 + s1 - s0))
	hz=$(getconf CLK_TCK)
	pct=$(awk -v t="$t" -v hz="$hz" -v s="$secs" 'BEGIN { printf "%.2f", 100 * t / hz / s }')
	screen
	cp "$tmp/screen" "$tmp/many-screen"
	tm send-keys -t mx q
	# A fixed CPU-bound job, to compare this guest with a real CPU.
	calib='import time; t = time.process_time(); sum(range(3000000));'
	ktap_print_msg "calibration: python3 sum(range(3000000)) takes" \
		"$(python3 -c "$calib print(round(time.process_time() - t, 3))")s here"
	ktap_print_msg "top -d 1 with $(jq length "$tmp/out") records: $pct% of a CPU" \
		"($((u1 - u0)) user + $((s1 - s0)) system ticks of 1/$hz s in ${secs}s, under TCG)"
	# TCG runs the guest many times slower than a real CPU (the goal there
	# is 2%); this only guards against a regression by an order of magnitude.
	awk -v p="$pct" 'BEGIN { exit !(p <= 25) }' || why "more than 25% of a CPU under TCG"
}
if grep -qw 'mxtoolperf=1' /proc/cmdline; then
	check "top_d1_with_1024_records_stays_light" t_top_cpu
	tm kill-server 2> /dev/null
	ktap_print_msg "the live view with 1024 records:"
	sed 's/^/#   /' "$tmp/many-screen"
	rmmod modexcl_test_plain 2> /dev/null
fi

ktap_print_msg "the live view after the storm:"
sed 's/^/#   /' "$tmp/first-screen"
ktap_set_plan $((KTAP_TESTNO - 1))
ktap_finished
