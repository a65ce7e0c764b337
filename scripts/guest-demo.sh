#!/bin/sh
# What `make run` shows in the guest: duplicate loads of one module, and
# what the kernel made of them.
set -u
mod=modexcl_test_plain
ko=/lib/modules/$(uname -r)/extra/$mod.ko

echo "== modexcl demo on $(uname -r), $(nproc) CPUs"
modexcl --version
echo "== 8 concurrent loads of $mod, then 4 serial ones (busybox insmod does not check)"
for i in 1 2 3 4 5 6 7 8; do insmod "$ko" 2>/dev/null & done
wait
for i in 1 2 3 4; do insmod "$ko" 2>/dev/null; done
echo "== /sys/kernel/debug/modules/stats"
grep -E 'Mods|wasted|Failed becoming|Failed kread' /sys/kernel/debug/modules/stats
rmmod "$mod"
