// SPDX-License-Identifier: GPL-2.0
/* Human units: bytes, durations, counts, rates. */
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

const struct CMUnitTest format_tests[] = {
	cmocka_unit_test(bytes_below_one_kib_are_exact),
	cmocka_unit_test(bytes_use_binary_units_with_one_decimal),
	cmocka_unit_test(bytes_never_show_1024_of_a_unit),
	cmocka_unit_test(durations_pick_a_readable_unit),
	cmocka_unit_test(durations_round_up_into_the_next_unit),
	cmocka_unit_test(counts_stay_exact_up_to_five_digits),
	cmocka_unit_test(rates_show_per_second),
	cmocka_unit_test(a_short_buffer_is_cut_not_overrun),
};
const size_t nr_format_tests = sizeof(format_tests) / sizeof(format_tests[0]);
