// SPDX-License-Identifier: GPL-2.0
/*
 * The guest the modexcl tests run in: the patched kernel loads and unloads
 * a test module through finit_module(), a duplicate load of a live module
 * gets stock's -EEXIST, Debian's modprobe works against the guest's module
 * tree, and upstream's MODULE_STATS counters are there to compare with.
 */
#define _GNU_SOURCE
#include "../kselftest_harness.h"
#include "modexcl_util.h"

#define TEST_MODULE "modexcl_test_plain"

FIXTURE(module)
{
};

FIXTURE_SETUP(module)
{
	mx_unload(TEST_MODULE);
	ASSERT_STREQ("", mx_initstate(TEST_MODULE)) TH_LOG("%s still loaded", TEST_MODULE);
}

FIXTURE_TEARDOWN(module)
{
	mx_unload(TEST_MODULE);
}

TEST_F(module, finit_module_loads_and_delete_module_unloads)
{
	ASSERT_EQ(0, mx_load(TEST_MODULE, ""));
	EXPECT_STREQ("live", mx_initstate(TEST_MODULE));

	ASSERT_EQ(0, mx_unload(TEST_MODULE));
	EXPECT_STREQ("", mx_initstate(TEST_MODULE));
}

TEST_F(module, second_load_of_live_module_gets_eexist)
{
	ASSERT_EQ(0, mx_load(TEST_MODULE, ""));
	EXPECT_EQ(-EEXIST, mx_load(TEST_MODULE, ""));
	EXPECT_STREQ("live", mx_initstate(TEST_MODULE));
}

TEST_F(module, debian_modprobe_loads_and_removes_by_name)
{
	const char *const load[] = { MX_MODPROBE, TEST_MODULE, NULL };
	const char *const unload[] = { MX_MODPROBE, "-r", TEST_MODULE, NULL };

	ASSERT_EQ(0, mx_run(load));
	EXPECT_STREQ("live", mx_initstate(TEST_MODULE));
	ASSERT_EQ(0, mx_run(unload));
	EXPECT_STREQ("", mx_initstate(TEST_MODULE));
}

TEST(module_stats_report_wasted_bytes)
{
	EXPECT_LE(0, mx_wasted_bytes()) TH_LOG("no wasted bytes in " MX_MODULE_STATS);
}

TEST_HARNESS_MAIN
