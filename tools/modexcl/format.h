/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Human units for tables and the live view: bytes in binary units
 * ("2.0 MiB"), durations, counts and rates. Each writes into the caller's
 * buffer and returns it, so calls can sit inside one printf.
 */
#ifndef MODEXCL_FORMAT_H
#define MODEXCL_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

#define MX_FMT_LEN 32

/* "0 B", "512 B", "1.5 KiB", "2.0 MiB", ... "16.0 EiB" */
char *mx_fmt_bytes(char *buf, size_t len, uint64_t bytes);
/* "0", "850 ns", "12.3 us", "4.5 ms", "1.25 s", "2m03s", "1h02m" */
char *mx_fmt_duration(char *buf, size_t len, uint64_t ns);
/* "99999" as is; above, "123.4k", "12.3M", "1.2G" */
char *mx_fmt_count(char *buf, size_t len, uint64_t count);
/* A counter's value in its unit: one of the three above. */
char *mx_fmt_unit(char *buf, size_t len, enum mx_unit unit, uint64_t v);
/* bytes per second: "2.0 MiB/s" */
char *mx_fmt_byte_rate(char *buf, size_t len, double bytes_per_s);
/* events per second: "0.0/s", "12.5/s", "1.2k/s" */
char *mx_fmt_rate(char *buf, size_t len, double per_s);
/* local wall-clock time of day with milliseconds: "20:31:02.123" */
char *mx_fmt_clock(char *buf, size_t len, int64_t realtime_ns);
/* local date and time with milliseconds, always 23 characters: "2026-12-06 09:12:34.567" */
char *mx_fmt_datetime(char *buf, size_t len, int64_t realtime_ns);
/* UTC, ISO 8601, milliseconds, for JSON: "2026-12-06T09:12:34.567Z" */
char *mx_fmt_iso8601(char *buf, size_t len, int64_t realtime_ns);
/* The real time of the kernel's CLOCK_BOOTTIME @boot_ns as mx_fmt_datetime() writes it. */
char *mx_fmt_boottime(char *buf, size_t len, uint64_t boot_ns);

/* A task as "comm[pid]": "systemd-udevd[412]"; "-" for none, "?" for what is missing. */
char *mx_fmt_task(char *buf, size_t len, const struct mx_task *t);
/*
 * A cgroup id as its path below the cgroup2 root ("/system.slice/x.service"),
 * or as its number when no directory has it (cgroup.h).
 */
#define MX_CGROUP_LEN 512
char *mx_fmt_cgroup(char *buf, size_t len, uint64_t id);

#endif
