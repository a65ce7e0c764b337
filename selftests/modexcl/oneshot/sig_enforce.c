// SPDX-License-Identifier: GPL-2.0
/*
 * Raising module signature enforcement voids hold claims on unsigned
 * modules: the next duplicate gets stock's -EKEYREJECTED, not -EEXIST.
 * One shot: sig_enforce cannot be lowered again in this boot.
 */
#define _GNU_SOURCE
#include "claim_void.h"

static int enforce_signatures(void)
{
	char now[8];

	if (mx_write_file(SIG_ENFORCE, "1", 1))
		return -1;
	return strcmp(mx_read_line(SIG_ENFORCE, now, sizeof(now)), "Y") ? -1 : 0;
}

TEST(raising_sig_enforce_voids_claims)
{
	char now[8];

	/* Not already enforced, or this boot cannot show anything. */
	ASSERT_STREQ("N", mx_read_line(SIG_ENFORCE, now, sizeof(now)));
	claim_void_check(_metadata, enforce_signatures, EKEYREJECTED);
}

TEST_HARNESS_MAIN
