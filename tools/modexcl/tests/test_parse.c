// SPDX-License-Identifier: GPL-2.0
/* Command-line numbers: the same under every locale. */
#include <locale.h>

#include "tests.h"
#include "parse.h"

/* A locale whose decimal point is a comma, or NULL when none is installed. */
static const char *set_comma_locale(void)
{
	static const char *const names[] = {
		"de_DE.UTF-8", "de_DE.utf8", "de_DE", "fr_FR.UTF-8", "fr_FR.utf8", "ru_RU.UTF-8",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *set = setlocale(LC_ALL, names[i]);

		if (set && localeconv()->decimal_point[0] == ',')
			return set;
	}
	setlocale(LC_ALL, "C");
	return NULL;
}

static void seconds_are_decimal_with_a_point(void **state)
{
	double s;

	(void)state;
	assert_int_equal(mx_parse_seconds("2", 0.1, 86400, &s), 0);
	assert_true(s == 2);
	assert_int_equal(mx_parse_seconds("0.5", 0.1, 86400, &s), 0);
	assert_true(s == 0.5);
	assert_int_equal(mx_parse_seconds(".25", 0.1, 86400, &s), 0);
	assert_true(s == 0.25);
	assert_int_equal(mx_parse_seconds("86400", 0.1, 86400, &s), 0);
	/* Out of range, empty, or not plain decimal. */
	assert_int_equal(mx_parse_seconds("0", 0.1, 86400, &s), -1);
	assert_int_equal(mx_parse_seconds("0.05", 0.1, 86400, &s), -1);
	assert_int_equal(mx_parse_seconds("86401", 0.1, 86400, &s), -1);
	assert_int_equal(mx_parse_seconds("", 0.1, 86400, &s), -1);
	assert_int_equal(mx_parse_seconds(".", 0.1, 86400, &s), -1);
	assert_int_equal(mx_parse_seconds("fast", 0.1, 86400, &s), -1);
	assert_int_equal(mx_parse_seconds("1e1", 0.1, 86400, &s), -1);
	assert_int_equal(mx_parse_seconds("0x1", 0.1, 86400, &s), -1);
	assert_int_equal(mx_parse_seconds("inf", 0.1, 86400, &s), -1);
	assert_int_equal(mx_parse_seconds("-1", 0.1, 86400, &s), -1);
	assert_int_equal(mx_parse_seconds(" 1", 0.1, 86400, &s), -1);
	assert_int_equal(mx_parse_seconds("1.5.", 0.1, 86400, &s), -1);
	assert_int_equal(mx_parse_seconds("0,5", 0.1, 86400, &s), -1);
}

static void seconds_ignore_a_decimal_comma_locale(void **state)
{
	const char *name = set_comma_locale();
	double s = 0;
	int point, comma;

	(void)state;
	if (!name)
		skip();		/* no de_DE, fr_FR or ru_RU locale on this machine */
	point = mx_parse_seconds("0.5", 0.1, 86400, &s);
	comma = mx_parse_seconds("0,5", 0.1, 86400, &s);
	setlocale(LC_ALL, "C");
	assert_int_equal(point, 0);
	assert_true(s == 0.5);
	assert_int_equal(comma, -1);
}

static void pids_are_positive_decimal_and_bounded(void **state)
{
	uint32_t pid;

	(void)state;
	assert_int_equal(mx_parse_pid("1", &pid), 0);
	assert_int_equal(pid, 1);
	assert_int_equal(mx_parse_pid("4194304", &pid), 0);
	assert_int_equal(pid, MX_PID_MAX);
	assert_int_equal(mx_parse_pid("0", &pid), -1);
	assert_int_equal(mx_parse_pid("4194305", &pid), -1);
	assert_int_equal(mx_parse_pid("99999999999999999999", &pid), -1);
	assert_int_equal(mx_parse_pid("", &pid), -1);
	assert_int_equal(mx_parse_pid("-1", &pid), -1);
	assert_int_equal(mx_parse_pid("12a", &pid), -1);
	assert_int_equal(mx_parse_pid("modprobe", &pid), -1);
}

const struct CMUnitTest parse_tests[] = {
	cmocka_unit_test(seconds_are_decimal_with_a_point),
	cmocka_unit_test(seconds_ignore_a_decimal_comma_locale),
	cmocka_unit_test(pids_are_positive_decimal_and_bounded),
};
const size_t nr_parse_tests = sizeof(parse_tests) / sizeof(parse_tests[0]);
