#!/bin/sh
# Count the KUnit cases a kernel ran at boot, from its console log: one per
# test case, and one failure for a suite that failed without a failed case.
# Prints "PASSED FAILED SKIPPED" on stdout and each failure on stderr.
# Usage: scripts/kunit-count.sh CONSOLE_LOG
set -eu
[ $# -eq 1 ] || { echo "usage: $0 CONSOLE_LOG" >&2; exit 2; }
tr -d '\r' < "$1" | sed -n 's/^\[ *[0-9.]*\] //p' | awk '
	/^    # Subtest: / { suite = $3; cases = 0; case_failed = 0; next }
	/^    (not )?ok [0-9]+ / {
		cases++
		if ($0 ~ /^    not ok/) { failed++; case_failed++; print "FAIL: " suite ":" $0 > "/dev/stderr" }
		else if ($0 ~ /# SKIP/) { skipped++; print "SKIP: " suite ":" $0 > "/dev/stderr" }
		else passed++
		next
	}
	/^(not )?ok [0-9]+ / {
		if ($0 ~ /^not ok/ && case_failed == 0) { failed++; print "FAIL: " $0 > "/dev/stderr" }
		else if (cases == 0 && $0 !~ /# SKIP/) { failed++; print "FAIL (no case ran): " $0 > "/dev/stderr" }
	}
	END { printf "%d %d %d\n", passed, failed, skipped }'
