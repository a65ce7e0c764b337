/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The clocks: monotonic for intervals, real time for what people read, and
 * the kernel's CLOCK_BOOTTIME, in which it stamps its records and events,
 * turned into real time. All in nanoseconds.
 */
#ifndef MODEXCL_CLOCK_H
#define MODEXCL_CLOCK_H

#include <stdint.h>

uint64_t mx_now_mono(void);
int64_t mx_now_real(void);
uint64_t mx_now_boot(void);

/*
 * The real time of CLOCK_BOOTTIME @boot_ns, given both clocks read now:
 * @real_now - (@boot_now - @boot_ns). Boot time counts suspend, so the
 * answer holds across it; a step of the real-time clock since @boot_ns
 * moves it by that step, as it moves every clock reading of now.
 */
int64_t mx_boot_to_real(uint64_t boot_ns, uint64_t boot_now, int64_t real_now);
/* The same with both clocks read now. */
int64_t mx_boot_to_real_now(uint64_t boot_ns);

#endif
