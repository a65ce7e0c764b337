// SPDX-License-Identifier: GPL-2.0
/*
 * Human units. Bytes use binary prefixes with one decimal, the way
 * `ls -h` and `free -h` readers expect; JSON output never goes through here,
 * but for its times. Tasks and cgroups as the text views name them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "cgroup.h"
#include "clock.h"
#include "format.h"

static const char *const byte_units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };

char *mx_fmt_bytes(char *buf, size_t len, uint64_t bytes)
{
	double v = bytes;
	unsigned int unit = 0;

	if (bytes < 1024) {
		snprintf(buf, len, "%llu B", (unsigned long long)bytes);
		return buf;
	}
	while (v >= 1024 && unit < 6) {
		v /= 1024;
		unit++;
	}
	/* 1048575 bytes would print as "1024.0 KiB". */
	if (v >= 1023.95 && unit < 6) {
		v /= 1024;
		unit++;
	}
	snprintf(buf, len, "%.1f %s", v, byte_units[unit]);
	return buf;
}

char *mx_fmt_duration(char *buf, size_t len, uint64_t ns)
{
	if (ns == 0)
		snprintf(buf, len, "0");
	else if (ns < 1000)
		snprintf(buf, len, "%llu ns", (unsigned long long)ns);
	else if (ns < 999950)
		snprintf(buf, len, "%.1f us", ns / 1e3);
	else if (ns < 999950000)
		snprintf(buf, len, "%.1f ms", ns / 1e6);
	else if (ns < 59995000000ULL)
		snprintf(buf, len, "%.2f s", ns / 1e9);
	else if (ns < 3600000000000ULL)
		snprintf(buf, len, "%llum%02llus", (unsigned long long)(ns / 60000000000ULL),
			 (unsigned long long)(ns / 1000000000ULL % 60));
	else
		snprintf(buf, len, "%lluh%02llum", (unsigned long long)(ns / 3600000000000ULL),
			 (unsigned long long)(ns / 60000000000ULL % 60));
	return buf;
}

static char *fmt_scaled(char *buf, size_t len, double v, const char *suffix)
{
	static const char prefixes[] = "kMGTPE";
	int p = -1;

	/* Exact up to five digits; past that, at most "999.9" of a prefix. */
	if (v >= 99999.5) {
		while (v >= 999.95 && p < 5) {
			v /= 1000;
			p++;
		}
	}
	if (p < 0)
		snprintf(buf, len, "%.0f%s", v, suffix);
	else
		snprintf(buf, len, "%.1f%c%s", v, prefixes[p], suffix);
	return buf;
}

char *mx_fmt_count(char *buf, size_t len, uint64_t count)
{
	if (count < 100000) {
		snprintf(buf, len, "%llu", (unsigned long long)count);
		return buf;
	}
	return fmt_scaled(buf, len, (double)count, "");
}

char *mx_fmt_unit(char *buf, size_t len, enum mx_unit unit, uint64_t v)
{
	switch (unit) {
	case MX_UNIT_BYTES:
		return mx_fmt_bytes(buf, len, v);
	case MX_UNIT_NS:
		return mx_fmt_duration(buf, len, v);
	default:
		return mx_fmt_count(buf, len, v);
	}
}

char *mx_fmt_byte_rate(char *buf, size_t len, double bytes_per_s)
{
	char b[MX_FMT_LEN];

	mx_fmt_bytes(b, sizeof(b), bytes_per_s > 0 ? (uint64_t)(bytes_per_s + 0.5) : 0);
	snprintf(buf, len, "%s/s", b);
	return buf;
}

char *mx_fmt_rate(char *buf, size_t len, double per_s)
{
	if (per_s < 0)
		per_s = 0;
	if (per_s < 1000) {
		snprintf(buf, len, "%.1f/s", per_s);
		return buf;
	}
	snprintf(buf, len, "%.1fk/s", per_s / 1000);
	return buf;
}

char *mx_fmt_clock(char *buf, size_t len, int64_t realtime_ns)
{
	time_t secs = realtime_ns / 1000000000;
	struct tm tm;

	if (!localtime_r(&secs, &tm)) {
		snprintf(buf, len, "?");
		return buf;
	}
	snprintf(buf, len, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (int)(realtime_ns / 1000000 % 1000));
	return buf;
}

/* The broken-down time of @realtime_ns, local or UTC; false when it has none. */
static bool broken_down(int64_t realtime_ns, bool utc, struct tm *tm)
{
	time_t secs = realtime_ns / 1000000000;

	return utc ? gmtime_r(&secs, tm) != NULL : localtime_r(&secs, tm) != NULL;
}

/* @realtime_ns broken down (UTC or local) and printed with @fmt. */
static char *fmt_broken_down(char *buf, size_t len, int64_t realtime_ns, bool utc,
			     const char *fmt)
{
	struct tm tm;

	if (!broken_down(realtime_ns, utc, &tm)) {
		snprintf(buf, len, "?");
		return buf;
	}
	snprintf(buf, len, fmt, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (int)(realtime_ns / 1000000 % 1000));
	return buf;
}

char *mx_fmt_datetime(char *buf, size_t len, int64_t realtime_ns)
{
	return fmt_broken_down(buf, len, realtime_ns, false,
			       "%04d-%02d-%02d %02d:%02d:%02d.%03d");
}

char *mx_fmt_iso8601(char *buf, size_t len, int64_t realtime_ns)
{
	return fmt_broken_down(buf, len, realtime_ns, true,
			       "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ");
}

char *mx_fmt_boottime(char *buf, size_t len, uint64_t boot_ns)
{
	return mx_fmt_datetime(buf, len, mx_boot_to_real_now(boot_ns));
}

char *mx_fmt_task(char *buf, size_t len, const struct mx_task *t)
{
	if (!t->has)
		snprintf(buf, len, "-");
	else if (t->has & MX_TASK_HAS(PID))
		snprintf(buf, len, "%s[%" PRIu32 "]", t->has & MX_TASK_HAS(COMM) ? t->comm : "?",
			 t->pid);
	else
		snprintf(buf, len, "%s", t->has & MX_TASK_HAS(COMM) ? t->comm : "?");
	return buf;
}

char *mx_fmt_cgroup(char *buf, size_t len, uint64_t id)
{
	const char *path = mx_cgroup_path(id);

	if (path)
		snprintf(buf, len, "%s", path);
	else
		snprintf(buf, len, "%" PRIu64, id);
	return buf;
}
