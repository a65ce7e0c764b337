/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The body shared by the one-shot tests: each raises a setting that can
 * only be raised once per boot (signature enforcement, lockdown, an IMA
 * policy), so each program runs in a VM boot of its own (collection
 * modexcl/oneshot, suite vm-oneshot in scripts/check.sh).
 *
 * Under `hold`, an unsigned test module is loaded and a serial duplicate is
 * refused without reading the file (a claim exists). Then the setting is
 * raised: stock's module_sig_check() now refuses the unsigned file, so the
 * claim must be voided and the next duplicate must read the file and get
 * stock's answer, not -EEXIST.
 */
#ifndef MODEXCL_CLAIM_VOID_H
#define MODEXCL_CLAIM_VOID_H

#include <sys/mount.h>

#include "../../kselftest_harness.h"
#include "../modexcl_util.h"

#define CLAIM_VOID_MODULE "modexcl_test_plain"
#define SIG_ENFORCE "/sys/module/module/parameters/sig_enforce"
#define SECURITYFS "/sys/kernel/security"

/* securityfs is mounted where @path is, or mounts now; 0 or -errno. */
static inline int securityfs_mounted_for(const char *path)
{
	if (!access(path, F_OK))
		return 0;
	return mount("securityfs", SECURITYFS, "securityfs", 0, NULL) ? -errno : 0;
}

/*
 * Load the module under hold and show that the claim holds: a duplicate is
 * refused before the file is read. Returns MODULE_STATS' wasted bytes.
 */
static inline long long claim_hold_check(struct __test_metadata *_metadata)
{
	long long wasted;

	ASSERT_EQ(0, mx_policy_set("kernel-module", "hold"));
	mx_unload(CLAIM_VOID_MODULE);
	ASSERT_EQ(0, mx_load(CLAIM_VOID_MODULE, ""));

	wasted = mx_wasted_bytes();
	ASSERT_LE(0, wasted);
	ASSERT_EQ(-EEXIST, mx_load(CLAIM_VOID_MODULE, ""));
	ASSERT_EQ(wasted, mx_wasted_bytes());
	return wasted;
}

/* @raise makes the change; @stock_errno is what stock answers afterwards. */
static inline void claim_void_check(struct __test_metadata *_metadata,
				    int (*raise)(void), int stock_errno)
{
	claim_hold_check(_metadata);
	ASSERT_EQ(0, raise());

	/* Voided: the duplicate reads the file and gets stock's answer. */
	EXPECT_EQ(-stock_errno, mx_load(CLAIM_VOID_MODULE, ""));
	EXPECT_EQ(-stock_errno, mx_load(CLAIM_VOID_MODULE, ""));
	/* The module itself is untouched. */
	EXPECT_STREQ("live", mx_initstate(CLAIM_VOID_MODULE));
}

#endif /* MODEXCL_CLAIM_VOID_H */
