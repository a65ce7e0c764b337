// SPDX-License-Identifier: GPL-2.0
/*
 * Signature enforcement raised while an unsigned module's init still runs:
 * its signature check passed before the raise, so the load succeeds; the
 * next duplicate must get stock's -EKEYREJECTED, not a hold refusal. The
 * claim has to remember enforcement as it was at the signature check, not
 * at the end of the load. One shot: sig_enforce cannot be lowered again in
 * this boot.
 */
#define _GNU_SOURCE
#include "claim_void.h"

#define SLOW "modexcl_test_slow"

TEST(sig_enforce_raised_during_init_reaches_the_next_duplicate)
{
	char now[8];
	int status;
	pid_t pid;

	/* Not already enforced, or this boot cannot show anything. */
	ASSERT_STREQ("N", mx_read_line(SIG_ENFORCE, now, sizeof(now)));
	ASSERT_EQ(0, mx_policy_set("kernel-module", "hold"));
	mx_unload(SLOW);

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(mx_load(SLOW, "init_ms=3000") ? 1 : 0);
	/* Wait until the module's init runs: its signature check is behind it. */
	mx_wait_initstate(SLOW, "coming", 10000);
	ASSERT_STREQ("coming", mx_initstate(SLOW));
	ASSERT_EQ(0, mx_write_file(SIG_ENFORCE, "1", 1));
	/* The raise happened during init, or the test shows nothing. */
	ASSERT_STREQ("coming", mx_initstate(SLOW));
	ASSERT_STREQ("Y", mx_read_line(SIG_ENFORCE, now, sizeof(now)));

	/* The load that began unenforced completes, as on stock. */
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_STREQ("live", mx_initstate(SLOW));
	/* Its claim, if listed, covers nothing: enforcement is asked now. */
	EXPECT_EQ(0, tool_says_claim_held(SLOW));

	/* Stock now rejects the unsigned file before it looks for the module. */
	EXPECT_EQ(-EKEYREJECTED, mx_load(SLOW, ""));
	EXPECT_EQ(-EKEYREJECTED, mx_load(SLOW, ""));
	EXPECT_STREQ("live", mx_initstate(SLOW));
}

TEST_HARNESS_MAIN
