// SPDX-License-Identifier: GPL-2.0
/*
 * Command-line numbers. Only plain decimal digits are accepted, so that no
 * locale, sign, exponent, hex or "inf" changes what a script meant.
 */
#include <stdbool.h>

#include "parse.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int mx_parse_seconds(const char *text, double min, double max, double *secs)
{
	double v = 0, scale = 1;
	bool point = false;
	int digits = 0;

	/* Digits by hand: strtod() takes the locale's decimal point. */
	for (const char *p = text; *p; p++) {
		if (*p == '.' && !point) {
			point = true;
		} else if (is_digit(*p) && ++digits <= 15) {
			if (point)
				scale *= 10;
			v = v * 10 + (*p - '0');
		} else {
			return -1;
		}
	}
	if (!digits)
		return -1;
	v /= scale;
	if (!(v >= min && v <= max))
		return -1;
	*secs = v;
	return 0;
}

int mx_parse_pid(const char *text, uint32_t *pid)
{
	uint64_t v = 0;

	if (!*text)
		return -1;
	for (const char *p = text; *p; p++) {
		if (!is_digit(*p))
			return -1;
		v = v * 10 + (*p - '0');
		if (v > MX_PID_MAX)
			return -1;
	}
	if (!v)
		return -1;
	*pid = v;
	return 0;
}
