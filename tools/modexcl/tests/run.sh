#!/bin/sh
# Build and run the tool's unit tests on the host, then again under
# valgrind, then promtool on the Prometheus exposition one of them writes
# (a visible SKIP without promtool), then the tool itself against the
# host's kernel (which has no modexcl family); write "PASSED FAILED
# SKIPPED" to OUTDIR/counts.
# Usage: tools/modexcl/tests/run.sh [-o OUTDIR]
set -u
out=build/tool-test
while getopts o: opt; do
	case $opt in
	o) out=$OPTARG ;;
	*) echo "usage: $0 [-o OUTDIR]" >&2; exit 2 ;;
	esac
done
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
bin=$out/modexcl-tests

if ! make -s -C "$here" O="$out" "$bin" > "$out/build.log" 2>&1; then
	cat "$out/build.log" >&2
	echo "0 1 0" > "$out/counts"
	exit 1
fi
# A locale with a decimal comma, for the test that numbers ignore it; the
# test skips when neither this nor an installed one exists.
if [ ! -d "$out/locale/de_DE.UTF-8" ] && command -v localedef > /dev/null; then
	mkdir -p "$out/locale"
	localedef -i de_DE -f UTF-8 "$out/locale/de_DE.UTF-8" > /dev/null 2>&1 ||
		rm -rf "$out/locale/de_DE.UTF-8"
fi
# Not under valgrind: glibc's newlocale() leaks its copy of LOCPATH.
locpath=
[ -d "$out/locale/de_DE.UTF-8" ] && locpath=$out/locale
# A unit test writes an exposition there for promtool (below).
rm -rf "$out/prom" "$out/prom-valgrind"
mkdir -p "$out/prom" "$out/prom-valgrind"
LOCPATH=$locpath MODEXCL_TEST_PROM_DIR=$out/prom CMOCKA_MESSAGE_OUTPUT=TAP "$bin" \
	> "$out/unit.tap" 2>&1
cat "$out/unit.tap"
# pass, fail DESCRIPTION; skip DESCRIPTION WHY: one TAP line each, counted.
pass() { echo "ok - $1"; passed=$((passed + 1)); }
fail() { echo "not ok - $1"; failed=$((failed + 1)); }
skip() { echo "ok - $1 # SKIP $2"; skipped=$((skipped + 1)); }
# cmocka writes a skipped test as "not ok N # SKIP".
passed=$(grep -c '^ok ' "$out/unit.tap")
failed=$(grep '^not ok ' "$out/unit.tap" | grep -vc '# SKIP')
skipped=$(grep '^not ok ' "$out/unit.tap" | grep -c '# SKIP')
[ $((passed + failed)) -eq 0 ] && failed=1

if MODEXCL_TEST_PROM_DIR=$out/prom-valgrind CMOCKA_MESSAGE_OUTPUT=TAP valgrind -q \
	--leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all --error-exitcode=99 \
	--log-file="$out/valgrind.log" "$bin" > /dev/null 2>&1; then
	pass "unit tests under valgrind: no errors, no leaks"
else
	fail "unit tests under valgrind: see $out/valgrind.log"
	cat "$out/valgrind.log" >&2
fi
# Prometheus' own parser and linter on what --prometheus prints.
if ! command -v promtool > /dev/null; then
	skip "promtool check metrics" "promtool missing (Debian package prometheus)"
elif [ -s "$out/prom/modexcl.prom" ] &&
     promtool check metrics < "$out/prom/modexcl.prom" > "$out/promtool.log" 2>&1; then
	pass "promtool check metrics accepts the exposition"
else
	fail "promtool check metrics: $(cat "$out/promtool.log" 2>/dev/null ||
		echo "no exposition was written")"
fi

# The host runs a stock kernel: the tool must say so and how to get one.
if make -s -C "$here" O="$out" "$out/modexcl" >> "$out/build.log" 2>&1; then
	valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
		--error-exitcode=99 --log-file="$out/nofamily.valgrind" \
		"$out/modexcl" stats > "$out/nofamily.out" 2> "$out/nofamily.err"
	rc=$?
	[ -s "$out/nofamily.valgrind" ] && { cat "$out/nofamily.valgrind" >&2; rc=99; }
	if [ "$rc" -eq 0 ]; then
		skip "the host's kernel has no modexcl family" "it has one"
	elif [ "$rc" -eq 1 ] && [ ! -s "$out/nofamily.out" ] &&
	     [ "$(cat "$out/nofamily.err")" = "modexcl: this kernel has no modexcl family: boot a kernel built with CONFIG_MODEXCL" ]; then
		pass "a kernel without the family gets a one-line way out (valgrind: clean)"
	else
		fail "a kernel without the family: exit $rc: $(cat "$out/nofamily.err")"
	fi
	# A serial console reports 0x0 (script's pty, with no terminal to copy
	# the size of, does too): top starts at 80x24 and gets as far as the
	# kernel, which the stock host's lacks.
	env -u COLUMNS -u LINES TERM=vt220 script -qec "$out/modexcl top -n 1" /dev/null \
		< /dev/null > "$out/serial.out" 2>&1
	if grep -q "this kernel has no modexcl family" "$out/serial.out"; then
		pass "top on a 0x0 terminal (a serial console) starts at 80x24"
	else
		fail "top on a 0x0 terminal: $(tr -d '\r' < "$out/serial.out")"
	fi
	# --textfile names a wrong directory before it asks the kernel.
	"$out/modexcl" stats --textfile "$out/no-such-dir" > "$out/textfile.out" 2>&1
	rc=$?
	want="modexcl: --textfile: $out/no-such-dir does not exist: create it, or name another directory"
	if [ "$rc" -eq 1 ] && [ "$(cat "$out/textfile.out")" = "$want" ]; then
		pass "stats --textfile names a missing directory"
	else
		fail "stats --textfile of a missing directory: exit $rc: $(cat "$out/textfile.out")"
	fi
	"$out/modexcl" stats -j --prometheus > "$out/formats.out" 2>&1
	rc=$?
	if [ "$rc" -eq 2 ] && grep -q "choose one" "$out/formats.out"; then
		pass "stats -j --prometheus is a usage error"
	else
		fail "stats -j --prometheus: exit $rc: $(cat "$out/formats.out")"
	fi
	# Exit statuses: usage errors are found before the kernel is asked, so
	# the host's kernel shows them: 2, one line naming the valid values.
	usage_ok=1
	while IFS='|' read -r args want; do
		# shellcheck disable=SC2086
		"$out/modexcl" $args > "$out/usage.out" 2> "$out/usage.err"
		rc=$?
		if [ "$rc" -ne 2 ] || [ -s "$out/usage.out" ] ||
		   [ "$(wc -l < "$out/usage.err")" -ne 1 ] || ! grep -q -- "$want" "$out/usage.err"; then
			echo "# 'modexcl $args': exit $rc, not 2 with '$want': $(cat "$out/usage.err")"
			usage_ok=0
		fi
	done <<-EOF
	policy bogus-reader shared|unknown reader 'bogus-reader': valid readers are firmware, kernel-module
	policy bogus|unknown reader 'bogus': valid readers are firmware
	policy kernel-module bogus|unknown mode 'bogus': valid modes are shared, exclusive, hold
	stats -r bogus|unknown reader 'bogus': valid readers are firmware
	stats -s bogus|unknown sort key 'bogus': valid keys are reader
	stats -s +dups|stats has no interval to grow over
	top -s +module|module is not a counter
	stats -p 0|-p needs a process ID
	top -p pid1|-p needs a process ID
	top -d 0|-d needs seconds
	top -n 0|-n needs a count
	monitor -x|unknown option '-x'
	reset now|unexpected argument 'now'
	frobnicate|unknown command 'frobnicate'
	EOF
	if [ "$usage_ok" -eq 1 ]; then
		pass "usage errors exit 2 with one line, before the kernel is asked"
	else
		fail "usage errors exit 2 with one line"
	fi
	# A write error on stdout is an error for every command: exit 1, one line.
	write_ok=1
	for args in --version --help "policy --help" "stats --help" "top --help"; do
		# shellcheck disable=SC2086
		"$out/modexcl" $args > /dev/full 2> "$out/write.err"
		rc=$?
		if [ "$rc" -ne 1 ] || [ "$(cat "$out/write.err")" != \
		     "modexcl: write error: No space left on device" ]; then
			echo "# 'modexcl $args > /dev/full': exit $rc: $(cat "$out/write.err")"
			write_ok=0
		fi
	done
	if [ "$write_ok" -eq 1 ]; then
		pass "output to a full device is a write error: exit 1, one line"
	else
		fail "output to a full device"
	fi
else
	fail "the tool does not build: see $out/build.log"
fi
echo "$passed $failed $skipped" > "$out/counts"
echo "tool unit tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
