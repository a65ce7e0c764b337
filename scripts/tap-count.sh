#!/bin/sh
# Count the results in the TAP that kselftest's run_kselftest.sh printed:
# one per test case of each program, and one failure for a program that
# failed (crash, timeout) without reporting a failed case.
# With -f, the TAP is one flat list of checks (a guest script's own, as
# scripts/debian/mxdemo.sh prints): one result per ok/not ok line.
# Prints "PASSED FAILED SKIPPED" on stdout and each failure on stderr.
# Usage: scripts/tap-count.sh [-f] TAP_FILE
set -eu
flat=0
[ "${1-}" = -f ] && { flat=1; shift; }
[ $# -eq 1 ] || { echo "usage: $0 [-f] TAP_FILE" >&2; exit 2; }
tr -d '\r' < "$1" | awk -v flat="$flat" '
	function result(line, name) {
		if (line ~ /^not ok/) { failed++; print "FAIL: " name > "/dev/stderr"; prog_failed++ }
		else if (line ~ /# SKIP/) { skipped++; print "SKIP: " name > "/dev/stderr" }
		else passed++
		prog_cases++
	}
	flat && /^(not )?ok [0-9]+ / { result($0, $0); next }
	/^# selftests: / { prog = substr($0, 14); prog_cases = 0; prog_failed = 0; next }
	/^# (not )?ok [0-9]+ / { sub(/^# /, ""); result($0, prog ": " $0); next }
	/^(not )?ok [0-9]+ / {
		if ($0 ~ /^not ok/ && prog_failed == 0) { failed++; print "FAIL: " $0 > "/dev/stderr" }
		else if (prog_cases == 0 && $0 ~ /# SKIP/) { skipped++; print "SKIP: " $0 > "/dev/stderr" }
		else if (prog_cases == 0) { failed++; print "FAIL (no result): " $0 > "/dev/stderr" }
		prog_cases = 0; prog_failed = 0
	}
	END { printf "%d %d %d\n", passed, failed, skipped }'
