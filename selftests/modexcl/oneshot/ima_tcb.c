// SPDX-License-Identifier: GPL-2.0
/*
 * Booted with ima_policy=tcb (scripts/check.sh, suite vm-oneshot-ima_tcb):
 * IMA's built-in policy has a rule that measures module loads, so hold
 * stands aside from the first load on and says why, and every duplicate
 * reads the file, as stock does. One shot: the policy is the boot's.
 */
#define _GNU_SOURCE
#include "claim_void.h"

TEST(ima_tcb_boot_keeps_hold_from_applying)
{
	long long wasted;

	ASSERT_EQ(0, mx_policy_set("kernel-module", "hold"));
	EXPECT_STREQ("hold", mx_policy_get("kernel-module"));
	EXPECT_STREQ("ima-policy", mx_inactive_get("kernel-module"));
	EXPECT_EQ(1, tool_says_inactive());

	mx_unload(CLAIM_VOID_MODULE);
	ASSERT_EQ(0, mx_load(CLAIM_VOID_MODULE, ""));
	EXPECT_EQ(0, tool_says_claim_held(CLAIM_VOID_MODULE));
	for (int i = 0; i < 3; i++) {
		wasted = mx_wasted_bytes();
		ASSERT_LE(0, wasted);
		EXPECT_EQ(-EEXIST, mx_load(CLAIM_VOID_MODULE, ""));
		EXPECT_LT(wasted, mx_wasted_bytes()) TH_LOG("duplicate %d", i);
	}
	EXPECT_STREQ("live", mx_initstate(CLAIM_VOID_MODULE));
}

TEST_HARNESS_MAIN
