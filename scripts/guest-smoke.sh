#!/bin/sh
# In the guest (mxguest=smoke): the boot check of one prefix of the series
# (scripts/series-bisect.sh). Its kernel loads modules as stock does, the
# reverted -ETXTBSY case first: concurrent modprobe of one module with
# dependencies all succeed; a serial duplicate insmod gets stock's -EEXIST;
# the module unloads. Prints a line per check; exits 1 if one failed.
mod=xfs
fail=0
check() { # DESCRIPTION CONDITION...
	what=$1
	shift
	if "$@"; then echo "ok: $what"; else echo "FAILED: $what"; fail=1; fi
}
echo "smoke: kernel $(uname -r)"

pids=
for i in 1 2 3 4 5 6 7 8; do
	modprobe "$mod" &
	pids="$pids $!"
done
bad=0
for pid in $pids; do wait "$pid" || bad=$((bad + 1)); done
check "8 concurrent modprobe $mod: $bad failed" [ "$bad" -eq 0 ]
check "$mod is live" grep -q "^live$" "/sys/module/$mod/initstate"

ko=$(modinfo -n "$mod")
err=$(insmod "$ko" 2>&1)
rc=$?
check "a duplicate insmod fails with EEXIST: rc $rc, '$err'" \
	sh -c '[ "$1" -ne 0 ] && echo "$2" | grep -q "File exists"' - "$rc" "$err"

check "modprobe -r $mod" modprobe -r "$mod"
check "$mod is gone" [ ! -e "/sys/module/$mod" ]
exit $fail
