// SPDX-License-Identifier: GPL-2.0
/* Human units: bytes, durations, counts, rates; times, tasks. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "tests.h"
#include "format.h"

static void bytes_below_one_kib_are_exact(void **state)
{
	char b[MX_FMT_LEN];

	(void)state;
	assert_string_equal(mx_fmt_bytes(b, sizeof(b), 0), "0 B");
	assert_string_equal(mx_fmt_bytes(b, sizeof(b), 1), "1 B");
	assert_string_equal(mx_fmt_bytes(b, sizeof(b), 1023), "1023 B");
}

static void bytes_use_binary_units_with_one_decimal(void **state)
{
	char b[MX_FMT_LEN];

	(void)state;
	assert_string_equal(mx_fmt_bytes(b, sizeof(b), 1024), "1.0 KiB");
	assert_string_equal(mx_fmt_bytes(b, sizeof(b), 1536), "1.5 KiB");
	assert_string_equal(mx_fmt_bytes(b, sizeof(b), 2 << 20), "2.0 MiB");
	/* 12 late loads of a 2.1 MB module on stock 6.12.117 */
	assert_string_equal(mx_fmt_bytes(b, sizeof(b), 25218720), "24.1 MiB");
	assert_string_equal(mx_fmt_bytes(b, sizeof(b), 1949006968), "1.8 GiB");
	assert_string_equal(mx_fmt_bytes(b, sizeof(b), 3ULL << 40), "3.0 TiB");
	assert_string_equal(mx_fmt_bytes(b, sizeof(b), UINT64_MAX), "16.0 EiB");
}

static void bytes_never_show_1024_of_a_unit(void **state)
{
	char b[MX_FMT_LEN];

	(void)state;
	assert_string_equal(mx_fmt_bytes(b, sizeof(b), (1 << 20) - 1), "1.0 MiB");
	assert_string_equal(mx_fmt_bytes(b, sizeof(b), (1 << 20) - 52429), "972.8 KiB");
}

static void durations_pick_a_readable_unit(void **state)
{
	char b[MX_FMT_LEN];

	(void)state;
	assert_string_equal(mx_fmt_duration(b, sizeof(b), 0), "0");
	assert_string_equal(mx_fmt_duration(b, sizeof(b), 850), "850 ns");
	assert_string_equal(mx_fmt_duration(b, sizeof(b), 12345), "12.3 us");
	assert_string_equal(mx_fmt_duration(b, sizeof(b), 4500000), "4.5 ms");
	assert_string_equal(mx_fmt_duration(b, sizeof(b), 1250000000), "1.25 s");
	assert_string_equal(mx_fmt_duration(b, sizeof(b), 123000000000ULL), "2m03s");
	assert_string_equal(mx_fmt_duration(b, sizeof(b), 3720000000000ULL), "1h02m");
}

static void durations_round_up_into_the_next_unit(void **state)
{
	char b[MX_FMT_LEN];

	(void)state;
	assert_string_equal(mx_fmt_duration(b, sizeof(b), 999999), "1.0 ms");
	assert_string_equal(mx_fmt_duration(b, sizeof(b), 999999999), "1.00 s");
}

static void counts_stay_exact_up_to_five_digits(void **state)
{
	char b[MX_FMT_LEN];

	(void)state;
	assert_string_equal(mx_fmt_count(b, sizeof(b), 0), "0");
	assert_string_equal(mx_fmt_count(b, sizeof(b), 99999), "99999");
	assert_string_equal(mx_fmt_count(b, sizeof(b), 123456), "123.5k");
	assert_string_equal(mx_fmt_count(b, sizeof(b), 12345678), "12.3M");
}

static void rates_show_per_second(void **state)
{
	char b[MX_FMT_LEN];

	(void)state;
	assert_string_equal(mx_fmt_rate(b, sizeof(b), 0), "0.0/s");
	assert_string_equal(mx_fmt_rate(b, sizeof(b), 12.5), "12.5/s");
	assert_string_equal(mx_fmt_rate(b, sizeof(b), 1500), "1.5k/s");
	assert_string_equal(mx_fmt_rate(b, sizeof(b), -3), "0.0/s");
	assert_string_equal(mx_fmt_byte_rate(b, sizeof(b), 2 << 20), "2.0 MiB/s");
	assert_string_equal(mx_fmt_byte_rate(b, sizeof(b), 0), "0 B/s");
}

static void a_short_buffer_is_cut_not_overrun(void **state)
{
	char b[4] = "xyz";

	(void)state;
	mx_fmt_bytes(b, sizeof(b), 2 << 20);
	assert_string_equal(b, "2.0");
}

#define SEC 1000000000LL

static void the_kernels_boot_time_becomes_real_time_less_its_age(void **state)
{
	int64_t real_now = 1700000000123456789LL;	/* 2023-11-14T22:13:20.123Z */
	uint64_t boot_now = 3600 * SEC + 5;
	char b[MX_FMT_LEN];

	(void)state;
	/* 832 ms before the clocks were read, on both. */
	assert_true(mx_boot_to_real(boot_now - 832000000, boot_now, real_now) ==
		    real_now - 832000000);
	assert_true(mx_boot_to_real(0, boot_now, real_now) == real_now - (int64_t)boot_now);
	/* One that is not past yet (no clock of ours) is now. */
	assert_true(mx_boot_to_real(boot_now + SEC, boot_now, real_now) == real_now);
	assert_string_equal(mx_fmt_iso8601(b, sizeof(b),
					   mx_boot_to_real(boot_now - 20 * SEC, boot_now, real_now)),
			    "2023-11-14T22:13:00.123Z");
	/* Read now, the same: within the time the test takes. */
	real_now = mx_now_real();
	assert_true(llabs(mx_boot_to_real_now(mx_now_boot() - 60 * SEC) - (real_now - 60 * SEC)) <
		    SEC);
}

static void dates_and_times_have_a_stable_width(void **state)
{
	const char *tz = getenv("TZ");
	char *saved = tz ? strdup(tz) : NULL;
	char b[MX_FMT_LEN];

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	assert_string_equal(mx_fmt_datetime(b, sizeof(b), 1700000000123456789LL),
			    "2023-11-14 22:13:20.123");
	assert_string_equal(mx_fmt_datetime(b, sizeof(b), 1700000000000000000LL),
			    "2023-11-14 22:13:20.000");
	assert_string_equal(mx_fmt_iso8601(b, sizeof(b), 1700000000123456789LL),
			    "2023-11-14T22:13:20.123Z");
	setenv("TZ", "CET-1", 1);
	tzset();
	assert_string_equal(mx_fmt_datetime(b, sizeof(b), 1700000000123456789LL),
			    "2023-11-14 23:13:20.123");
	/* JSON's is UTC in every zone. */
	assert_string_equal(mx_fmt_iso8601(b, sizeof(b), 1700000000123456789LL),
			    "2023-11-14T22:13:20.123Z");
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
}

static void a_task_is_its_command_and_pid(void **state)
{
	struct mx_task t = { 0 };
	char b[MX_FMT_LEN];

	(void)state;
	assert_string_equal(mx_fmt_task(b, sizeof(b), &t), "-");
	t = (struct mx_task){ .has = MX_TASK_HAS(PID) | MX_TASK_HAS(COMM), .pid = 412,
			      .comm = "systemd-udevd" };
	assert_string_equal(mx_fmt_task(b, sizeof(b), &t), "systemd-udevd[412]");
	t.has = MX_TASK_HAS(PID);
	assert_string_equal(mx_fmt_task(b, sizeof(b), &t), "?[412]");
	t.has = MX_TASK_HAS(COMM);
	assert_string_equal(mx_fmt_task(b, sizeof(b), &t), "systemd-udevd");
}

const struct CMUnitTest format_tests[] = {
	cmocka_unit_test(bytes_below_one_kib_are_exact),
	cmocka_unit_test(bytes_use_binary_units_with_one_decimal),
	cmocka_unit_test(bytes_never_show_1024_of_a_unit),
	cmocka_unit_test(durations_pick_a_readable_unit),
	cmocka_unit_test(durations_round_up_into_the_next_unit),
	cmocka_unit_test(counts_stay_exact_up_to_five_digits),
	cmocka_unit_test(rates_show_per_second),
	cmocka_unit_test(a_short_buffer_is_cut_not_overrun),
	cmocka_unit_test(the_kernels_boot_time_becomes_real_time_less_its_age),
	cmocka_unit_test(dates_and_times_have_a_stable_width),
	cmocka_unit_test(a_task_is_its_command_and_pid),
};
const size_t nr_format_tests = sizeof(format_tests) / sizeof(format_tests[0]);
