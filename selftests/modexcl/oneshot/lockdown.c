// SPDX-License-Identifier: GPL-2.0
/*
 * Raising lockdown to integrity voids hold claims on unsigned modules: the
 * next duplicate gets stock's -EPERM (module_sig_check() asks lockdown when
 * signatures are not enforced), not -EEXIST. One shot: lockdown cannot be
 * lowered again in this boot.
 */
#define _GNU_SOURCE
#include <sys/stat.h>

#include "claim_void.h"

#define LOCKDOWN SECURITYFS "/lockdown"

static int lock_down(void)
{
	return mx_write_file(LOCKDOWN, "integrity", strlen("integrity"));
}

TEST(raising_lockdown_voids_claims)
{
	char now[128];

	ASSERT_EQ(0, securityfs_mounted_for(LOCKDOWN));
	/* Not locked down yet, or this boot cannot show anything. */
	ASSERT_STREQ("[none] integrity confidentiality",
		     mx_read_line(LOCKDOWN, now, sizeof(now)));
	claim_void_check(_metadata, lock_down, EPERM);
	EXPECT_STREQ("none [integrity] confidentiality",
		     mx_read_line(LOCKDOWN, now, sizeof(now)));
}

TEST_HARNESS_MAIN
