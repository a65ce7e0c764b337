// SPDX-License-Identifier: GPL-2.0
/*
 * hold applies on a kernel with IMA built in and no IMA rule for module
 * loads, the usual distribution boot; the moment a rule that could measure
 * a module load exists, a duplicate reads the file again, as stock does,
 * and IMA measures it. One shot: an IMA policy can only be written once
 * per boot (CONFIG_IMA_WRITE_POLICY is off, as in Debian).
 */
#define _GNU_SOURCE
#include <stdio.h>

#include "claim_void.h"

#define IMA_POLICY SECURITYFS "/ima/policy"
#define IMA_MEASUREMENTS SECURITYFS "/ima/ascii_runtime_measurements"
#define MODULE_RULE "measure func=MODULE_CHECK\n"

/* Lines of IMA's measurement list that name module @name. */
static int ima_measured(const char *name)
{
	char line[512], ko[64];
	int found = 0;
	FILE *f;

	snprintf(ko, sizeof(ko), "/%s.ko", name);
	f = fopen(IMA_MEASUREMENTS, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, ko))
			found++;
	fclose(f);
	return found;
}

TEST(ima_module_rule_ends_hold)
{
	long long wasted;

	ASSERT_EQ(0, securityfs_mounted_for(IMA_POLICY));
	/* IMA is built in, and no rule measures module loads yet. */
	ASSERT_EQ(0, access(IMA_POLICY, W_OK));
	ASSERT_EQ(0, ima_measured(CLAIM_VOID_MODULE));

	/* hold applies: a duplicate is refused before the file is read. */
	wasted = claim_hold_check(_metadata);
	ASSERT_EQ(0, ima_measured(CLAIM_VOID_MODULE));
	EXPECT_STREQ("", mx_inactive_get("kernel-module"));
	EXPECT_EQ(0, tool_says_inactive());

	ASSERT_EQ(0, mx_write_file(IMA_POLICY, MODULE_RULE, strlen(MODULE_RULE)));

	/* hold stands aside now, and says so; the mode set stays. */
	EXPECT_STREQ("hold", mx_policy_get("kernel-module"));
	EXPECT_STREQ("ima-policy", mx_inactive_get("kernel-module"));
	EXPECT_STREQ("", mx_inactive_get("firmware"));
	EXPECT_EQ(1, tool_says_inactive());
	EXPECT_EQ(0, tool_says_claim_held(CLAIM_VOID_MODULE));

	/*
	 * Stock's answer is still -EEXIST, but stock reads the file, and IMA
	 * measures it in ima_post_read_file(): so must every duplicate now.
	 */
	EXPECT_EQ(-EEXIST, mx_load(CLAIM_VOID_MODULE, ""));
	EXPECT_LT(wasted, mx_wasted_bytes());
	EXPECT_EQ(1, ima_measured(CLAIM_VOID_MODULE));
	wasted = mx_wasted_bytes();
	EXPECT_EQ(-EEXIST, mx_load(CLAIM_VOID_MODULE, ""));
	EXPECT_LT(wasted, mx_wasted_bytes());
	EXPECT_STREQ("live", mx_initstate(CLAIM_VOID_MODULE));
}

TEST_HARNESS_MAIN
