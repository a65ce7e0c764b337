#!/bin/sh
# In the guest (mxguest=peer): the kernel's own kmod and firmware selftests,
# suites nobody on this team wrote, once per policy mode of the reader each
# exercises. Prints TAP as run_kselftest.sh does: a program per suite and
# mode, a case per kmod test and per firmware script.
# Usage: peer.sh RUN...   RUN = SUITE[:MODE], SUITE kmod or firmware; with
#        MODE the reader's policy is set first (patched kernel only).
ks=/opt/modexcl/kselftest
# kmod.sh's documented override: a small file system module for its
# get_fs_type() tests (kernel/configs/modexcl.config says why).
export DEFAULT_KMOD_FS=configfs

# kmod_test_0012's own check reads the last field of /proc/modules, which in
# our MODULE_SIG kernels is the taint flag (E) of an unsigned module, not
# the address. The same check on the address field: root sees it, a shell
# without CAP_SYSLOG sees 0x0. 0 or 1, like a kmod.sh test.
kmod_address_visibility() {
	modprobe test_module || return 1
	priv=$(awk '$1 == "test_module" { print $6 }' /proc/modules)
	unpriv=$(capsh --drop=CAP_SYSLOG -- -c \
		"awk '\$1 == \"test_module\" { print \$6 }' /proc/modules")
	echo "kmod_address_visibility: root '$priv', without CAP_SYSLOG '$unpriv'"
	modprobe -r test_module
	case $priv in 0x0*|'') return 1 ;; esac
	[ "$unpriv" = 0x0000000000000000 ]
}

# One script of the firmware suite; fw_namespace as fw_run_tests.sh runs it.
firmware_case() {
	case $1 in
	fw_namespace) modprobe test_firmware &&
		./fw_namespace /sys/devices/virtual/misc/test_firmware/trigger_request ;;
	*) "./$1" ;;
	esac
}

# One kmod.sh test in the guest; 0012 and 0013 cannot run as written here.
kmod_case() {
	case $1 in
	0012) kmod_address_visibility ;;
	0013) echo "/sys/module/*/sections: not run yet; needs a guest variant as 0012 has"
	      return 4 ;;
	*) ./kmod.sh -s "$1" ;;
	esac
}
echo "TAP version 13"
echo "1..$#"
n=0
for run; do
	n=$((n + 1))
	suite=${run%%:*} mode=
	[ "$suite" = "$run" ] || mode=${run#*:}
	case $suite in
	kmod) reader=kernel-module ;;
	firmware) reader=firmware ;;
	*) echo "not ok $n $run # unknown suite"; continue ;;
	esac
	label="$suite $(uname -r)${mode:+ $reader=$mode}"
	echo "# selftests: peer: $label"
	if [ -n "$mode" ] && ! echo "$mode" > "/sys/kernel/modexcl/policy/$reader"; then
		echo "not ok $n selftests: peer: $label # cannot set the policy"
		continue
	fi
	case $suite in
	# kmod.sh runs 0008 and 0009 150 times each by default, 16 s a run
	# under TCG: every test once instead (-s), each its own case.
	kmod) cases=$(seq -f %04g 1 13) ;;
	# fw_run_tests.sh runs its three scripts under three emulated fallback
	# configurations, 8 min under TCG; the fallback sysctls are not ours to
	# vary. Each script runs once, in the kernel's own configuration (its
	# "distro" one: user helper built, not forced), plus the namespace test.
	firmware) cases="fw_filesystem.sh fw_namespace fw_fallback.sh fw_upload.sh" ;;
	esac
	k=0 failed=0 skipped=0
	for c in $cases; do
		k=$((k + 1))
		start=$(date +%s)
		case $suite in
		kmod) args="kmod.sh -s $c"
		      (cd "$ks/$suite" && kmod_case "$c") > /tmp/peer.log 2>&1 ;;
		firmware) args=$c
		      (cd "$ks/$suite" && firmware_case "$c") > /tmp/peer.log 2>&1 ;;
		esac
		status=$?
		secs=$(($(date +%s) - start))
		sed 's/^/# # /' /tmp/peer.log | tail -40
		# kselftest's exit codes: 0 pass, 4 skip, anything else a failure.
		case $status in
		0) echo "# ok $k $args (${secs} s)" ;;
		4) echo "# ok $k $args # SKIP $(tail -1 /tmp/peer.log)"; skipped=$((skipped + 1)) ;;
		*) echo "# not ok $k $args (exit $status, ${secs} s)"; failed=$((failed + 1)) ;;
		esac
	done
	if [ "$failed" -gt 0 ]; then
		echo "not ok $n selftests: peer: $label # $failed of $k failed"
	elif [ "$skipped" -eq "$k" ]; then
		echo "ok $n selftests: peer: $label # SKIP"
	else
		echo "ok $n selftests: peer: $label"
	fi
	# Leave the next run the state a fresh boot has.
	for m in test_kmod test_module xfs btrfs configfs tun test_firmware; do
		modprobe -r "$m" 2>/dev/null
	done
done
