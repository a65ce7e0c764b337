#!/bin/sh
# Run every test suite (the kernels are built by `make check` first) and
# print the total as "N passed, N failed". Exit status: 0 only if all passed.
# With MODEXCL_BASE=next (make check-next): the series checks, lint and the
# selftests in the VM on the patched next-base kernel, its suites named
# next-*; the peers, the debug kernel and the Debian boots are 6.12's.
# Usage: scripts/check.sh
set -u
out=build/check
if [ "${MODEXCL_BASE:-}" = next ]; then
	out=build/next/check
fi
rm -rf "$out"
mkdir -p "$out"
passed=0 failed=0 skipped=0

# suite NAME COMMAND...: the command leaves "PASSED FAILED SKIPPED" in $out/NAME/counts.
suite() {
	name=$1
	shift
	echo "== $name"
	mkdir -p "$out/$name"
	"$@" -o "$out/$name" || true
	if [ -s "$out/$name/counts" ]; then
		read -r p f s < "$out/$name/counts"
	else
		echo "check: $name reported nothing" >&2
		p=0 f=1 s=0
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
}

if [ "${MODEXCL_BASE:-}" = next ]; then
	kernel="-k build/next/kbuild/arch/x86/boot/bzImage -i build/next/initramfs.cpio.gz"
	suite next-series scripts/series-check.sh
	suite next-kernel-lint scripts/kernel-lint.sh
	# shellcheck disable=SC2086 # $kernel: two options
	suite next-vm-patched scripts/vm-run.sh -u $kernel -a mxtimeout=400
	# shellcheck disable=SC2086
	suite next-vm-boot-param scripts/vm-run.sh -t 300 $kernel \
		-a "$(grep -v '^#' selftests/modexcl/boot_param.txt) mxtests=modexcl:boot_param,modexcl:policy_sysfs"
	for t in sig_enforce sig_enforce_in_init lockdown ima_policy; do
		# shellcheck disable=SC2086
		suite "next-vm-oneshot-$t" scripts/vm-run.sh -t 300 $kernel -a "mxtests=modexcl/oneshot:$t"
	done
	# shellcheck disable=SC2086
	suite next-vm-oneshot-ima_tcb scripts/vm-run.sh -t 300 $kernel \
		-a "ima_policy=tcb mxtests=modexcl/oneshot:ima_tcb"
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
	exit
fi

suite tool-unit tools/modexcl/tests/run.sh
# The tool's Debian package (built for the Debian images): lintian clean.
suite deb-lintian scripts/deb.sh -l
suite ynl-gen scripts/ynl-gen.sh -c
# The series (make series): git am on the base, equal to the tree,
# checkpatch --strict, get_maintainer; sparse and W=1 on the kernel files.
# That every prefix builds and boots is `make bisect` (series-check.sh -b):
# 13 minutes cold, outside make check since the distribution-like kernels
# and the Debian boots came in, to keep a cold run within 80 minutes.
suite series scripts/series-check.sh
suite kernel-lint scripts/kernel-lint.sh
# mxtimeout: a bound per test program against hangs; tool_cli.sh takes
# 45 s on an idle host and twice that on a busy one, past kselftest's 120 s.
suite vm-patched scripts/vm-run.sh -u -a mxtimeout=400
# The boot parameter with good, duplicate and bad entries, the line of
# selftests/modexcl/boot_param.txt; policy_sysfs.c says what each must do.
suite vm-boot-param scripts/vm-run.sh -t 300 \
	-a "$(grep -v '^#' selftests/modexcl/boot_param.txt) mxtests=modexcl:boot_param,modexcl:policy_sysfs"
# Settings that stay raised until reboot (signature enforcement, lockdown,
# an IMA policy):
# one boot per test.
for t in sig_enforce sig_enforce_in_init lockdown ima_policy; do
	suite "vm-oneshot-$t" scripts/vm-run.sh -t 300 -a "mxtests=modexcl/oneshot:$t"
done
# IMA's tcb policy from the boot on: hold stands aside and says why.
suite vm-oneshot-ima_tcb scripts/vm-run.sh -t 300 -a "ima_policy=tcb mxtests=modexcl/oneshot:ima_tcb"
# Peers: the kernel's own kmod and firmware suites on stock 6.12 and on the
# patched kernel in each mode of the reader they exercise.
suite peer-stock scripts/vm-run.sh -g peer -t 2400 \
	-k build/stock-kbuild/arch/x86/boot/bzImage -i build/stock-kbuild-initramfs.cpio.gz \
	-a "mxpeer=kmod,firmware"
suite peer-patched scripts/vm-run.sh -g peer -t 4800 \
	-a "mxpeer=kmod:shared,kmod:exclusive,kmod:hold,firmware:shared,firmware:exclusive"
scripts/peer-table.sh "$out/peer-stock/results.log" "$out/peer-patched/results.log" || true
# The debug kernel (lockdep, KASAN, kmemleak) runs the same tests; any kernel
# report fails the run. Two vCPUs on two host cores and relaxed lockup and
# RCU stall thresholds: TCG starves a busy guest, which is not a kernel bug.
suite vm-debug scripts/vm-run.sh -u -t 2700 -c 2 \
	-k build/debug-kbuild/arch/x86/boot/bzImage -i build/debug-kbuild-initramfs.cpio.gz \
	-a "watchdog_thresh=60 rcupdate.rcu_cpu_stall_timeout=300 mxtimeout=1800"
# Debian 12 and 13 as distributions boot our kernels (build/debian/*.img,
# make images): systemd as PID 1, udev coldplugging 32 identical NICs at
# once, Debian's kmod loading the compressed, signed modules. On the patched
# kernel the boot's module loads must show in modexcl's records
# (scripts/debian/check-report.py says how); stock records the numbers.
suite debian12-patched scripts/debian/boot-check.sh bookworm patched
suite debian13-patched scripts/debian/boot-check.sh trixie patched
suite debian12-stock scripts/debian/boot-check.sh bookworm stock
suite debian13-stock scripts/debian/boot-check.sh trixie stock
# make run's demo, bounded (no terminal), on make run's own image: modexcl
# top over the Debian 13 boot's udev storm, then a storm on demand under
# shared and hold (scripts/debian/mxdemo.sh says what it checks).
suite run-demo scripts/debian/run.sh -b
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
