// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the modexcl policy: reader and mode names, which modes a
 * reader may have, and the modexcl.policy= string parser. Included at the
 * end of kernel/modexcl/policy.c to reach its static functions.
 */
#include <kunit/test.h>

static void policy_mode_and_reader_names(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, modexcl_mode_parse("shared"), MODEXCL_SHARED);
	KUNIT_EXPECT_EQ(test, modexcl_mode_parse("exclusive\n"),
			MODEXCL_EXCLUSIVE);
	KUNIT_EXPECT_EQ(test, modexcl_mode_parse("hold"), MODEXCL_HOLD);
	KUNIT_EXPECT_EQ(test, modexcl_mode_parse("Hold"), -EINVAL);
	KUNIT_EXPECT_EQ(test, modexcl_mode_parse(""), -EINVAL);
	KUNIT_EXPECT_EQ(test, modexcl_mode_parse("hold\n\n"), -EINVAL);

	KUNIT_EXPECT_EQ(test, modexcl_reader_parse("kernel-module"),
			READING_MODULE);
	KUNIT_EXPECT_EQ(test, modexcl_reader_parse("x509-certificate\n"),
			READING_X509_CERTIFICATE);
	KUNIT_EXPECT_EQ(test, modexcl_reader_parse("unknown"), -EINVAL);
	KUNIT_EXPECT_EQ(test, modexcl_reader_parse("module"), -EINVAL);

	KUNIT_EXPECT_STREQ(test, modexcl_mode_name(MODEXCL_EXCLUSIVE),
			   "exclusive");
	KUNIT_EXPECT_STREQ(test, modexcl_mode_name(MODEXCL_MODE_MAX), "unknown");
}

static void policy_hold_only_for_modules(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, modexcl_mode_valid(READING_MODULE, MODEXCL_HOLD),
			IS_ENABLED(CONFIG_MODULES));
	KUNIT_EXPECT_FALSE(test, modexcl_mode_valid(READING_FIRMWARE,
						    MODEXCL_HOLD));
	KUNIT_EXPECT_TRUE(test, modexcl_mode_valid(READING_FIRMWARE,
						   MODEXCL_EXCLUSIVE));
	KUNIT_EXPECT_FALSE(test, modexcl_mode_valid(READING_UNKNOWN,
						    MODEXCL_SHARED));
	KUNIT_EXPECT_FALSE(test, modexcl_mode_valid(READING_MAX_ID,
						    MODEXCL_SHARED));
	KUNIT_EXPECT_FALSE(test, modexcl_mode_valid(READING_POLICY,
						    MODEXCL_MODE_MAX));
	KUNIT_EXPECT_EQ(test, modexcl_policy_get(READING_UNKNOWN), -EINVAL);
}

static void policy_parse_good_entries(struct kunit *test)
{
	u8 table[READING_MAX_ID] = {};

	KUNIT_EXPECT_EQ(test, policy_parse("kernel-module:hold,firmware:exclusive",
					   table), 0);
	KUNIT_EXPECT_EQ(test, table[READING_MODULE],
			IS_ENABLED(CONFIG_MODULES) ? MODEXCL_HOLD : MODEXCL_SHARED);
	KUNIT_EXPECT_EQ(test, table[READING_FIRMWARE], MODEXCL_EXCLUSIVE);
	KUNIT_EXPECT_EQ(test, table[READING_KEXEC_IMAGE], MODEXCL_SHARED);

	/* Later entries win; empty entries are ignored. */
	KUNIT_EXPECT_EQ(test, policy_parse(",firmware:shared,,", table), 0);
	KUNIT_EXPECT_EQ(test, table[READING_FIRMWARE], MODEXCL_SHARED);
}

static void policy_parse_bad_entries_keep_defaults(struct kunit *test)
{
	static const char * const bad[] = {
		"firmware:hold", "bogus:shared", "x509-certificate",
		"security-policy:", ":shared", "kernel-module:holdx",
		"unknown:shared", "firmware:sharedsharedsharedshared",
	};
	u8 table[READING_MAX_ID] = {};
	int i;

	table[READING_FIRMWARE] = MODEXCL_EXCLUSIVE;
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, policy_parse(bad[i], table), 1,
				    "entry '%s'", bad[i]);
	KUNIT_EXPECT_EQ(test, table[READING_FIRMWARE], MODEXCL_EXCLUSIVE);
	KUNIT_EXPECT_EQ(test, table[READING_X509_CERTIFICATE], MODEXCL_SHARED);
	KUNIT_EXPECT_EQ(test, table[READING_POLICY], MODEXCL_SHARED);
	KUNIT_EXPECT_EQ(test, table[READING_MODULE], MODEXCL_SHARED);
	KUNIT_EXPECT_EQ(test, table[READING_UNKNOWN], MODEXCL_SHARED);

	/* Bad entries do not stop the good ones around them. */
	KUNIT_EXPECT_EQ(test, policy_parse("bogus:shared,kexec-image:exclusive,firmware:hold",
					   table), 2);
	KUNIT_EXPECT_EQ(test, table[READING_KEXEC_IMAGE], MODEXCL_EXCLUSIVE);
	KUNIT_EXPECT_EQ(test, table[READING_FIRMWARE], MODEXCL_EXCLUSIVE);
}

static struct kunit_case modexcl_policy_cases[] = {
	KUNIT_CASE(policy_mode_and_reader_names),
	KUNIT_CASE(policy_hold_only_for_modules),
	KUNIT_CASE(policy_parse_good_entries),
	KUNIT_CASE(policy_parse_bad_entries_keep_defaults),
	{}
};

static struct kunit_suite modexcl_policy_suite = {
	.name = "modexcl-policy",
	.test_cases = modexcl_policy_cases,
};

kunit_test_suite(modexcl_policy_suite);
