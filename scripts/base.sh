# Sourced by the scripts: which kernel base they work on.
#
# MODEXCL_BASE unset or empty: the pinned 6.12 base (kernel/BASE), what
# Debian 12 and 13 users apply, built under build/.
# MODEXCL_BASE=next: the subsystem base (kernel/BASE-next), for the series
# to mail, built under build/next/.
#
# Per-base files live in kernel/ for 6.12; for next, a file under
# kernel/next/ replaces the kernel/ file of the same relative path
# (patches, series, series-stages/, series-msg/, series-cover-base.txt);
# kernel/next/src.patch forward-ports kernel/src's new files to the next
# base's internal API (scripts/assemble-tree.sh).
# Sets BASE_* (the pin), BASE_PIN (its file), BASE_NAME (6.12 or next),
# BUILD (the build directory) and kfile().
# Needs $top (the checkout).
case ${MODEXCL_BASE:-} in
'')	BASE_NAME=6.12 BASE_PIN=$top/kernel/BASE BUILD=$top/build ;;
next)	BASE_NAME=next BASE_PIN=$top/kernel/BASE-next BUILD=$top/build/next ;;
*)	echo "MODEXCL_BASE=$MODEXCL_BASE: not a base (empty or next)" >&2; exit 2 ;;
esac
. "$BASE_PIN"

# kfile REL: kernel/REL of this base (kernel/next/REL when next has one).
kfile() {
	if [ "$BASE_NAME" = next ] && [ -e "$top/kernel/next/$1" ]; then
		echo "$top/kernel/next/$1"
	else
		echo "$top/kernel/$1"
	fi
}
case $BASE_TARBALL in /*) ;; *) BASE_TARBALL=$top/$BASE_TARBALL ;; esac
