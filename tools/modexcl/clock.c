// SPDX-License-Identifier: GPL-2.0
/*
 * Clock readings. The kernel's times are CLOCK_BOOTTIME: the real time of
 * one is now's real time less how long ago it was in boot time, the two
 * clocks read back to back.
 */
#include <time.h>

#include "clock.h"

static uint64_t ns_of(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

uint64_t mx_now_mono(void)
{
	return ns_of(CLOCK_MONOTONIC);
}

int64_t mx_now_real(void)
{
	return ns_of(CLOCK_REALTIME);
}

uint64_t mx_now_boot(void)
{
	return ns_of(CLOCK_BOOTTIME);
}

int64_t mx_boot_to_real(uint64_t boot_ns, uint64_t boot_now, int64_t real_now)
{
	/* A time ahead of now (another clock's reading; a bug) is taken as now. */
	if (boot_ns > boot_now)
		return real_now;
	return real_now - (int64_t)(boot_now - boot_ns);
}

int64_t mx_boot_to_real_now(uint64_t boot_ns)
{
	uint64_t boot_now = mx_now_boot();

	return mx_boot_to_real(boot_ns, boot_now, mx_now_real());
}
