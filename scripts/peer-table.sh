#!/bin/sh
# The peer suites side by side: each upstream suite on stock 6.12 and on the
# patched kernel per policy mode (cases passed / run, and skipped), from the
# TAP of scripts/guest-peer.sh.
# Usage: scripts/peer-table.sh STOCK_TAP PATCHED_TAP
set -eu
[ $# -eq 2 ] || { echo "usage: $0 STOCK_TAP PATCHED_TAP" >&2; exit 2; }
cat "$1" "$2" | tr -d '\r' | awk '
	/^# ok [0-9]+ .*# SKIP/ { skip++; next }
	/^# ok [0-9]+ / { ok++ }
	/^# not ok [0-9]+ / { bad++ }
	/^(not )?ok [0-9]+ selftests: peer: / {
		verdict = $0 ~ /^not ok/ ? "FAIL" : ($0 ~ /# SKIP/ ? "skip" : "pass")
		verdict = verdict " " ok "/" ok + bad (skip ? " +" skip " skip" : "")
		ok = bad = skip = 0
		sub(/ # .*/, "")
		sub(/.*selftests: peer: /, "")
		split($0, f, " ")
		suite = f[1]
		column = f[3] == "" ? "stock" : substr(f[3], index(f[3], "=") + 1)
		if (!(suite in seen)) { seen[suite] = 1; suites[ns++] = suite }
		cell[suite, column] = verdict
	}
	END {
		nc = split("stock shared exclusive hold", cols, " ")
		printf "%-10s", "suite"
		for (c = 1; c <= nc; c++) printf " %-19s", cols[c] == "stock" ? "stock" : "patched:" cols[c]
		printf "\n"
		for (s = 0; s < ns; s++) {
			printf "%-10s", suites[s]
			for (c = 1; c <= nc; c++) {
				v = cell[suites[s], cols[c]]
				printf " %-19s", v == "" ? "-" : v
			}
			printf "\n"
		}
	}'
