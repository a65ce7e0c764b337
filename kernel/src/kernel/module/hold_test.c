// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the module hold logic: claim matching on the change
 * stamp and load flags, the classification of an attempt into exactly one
 * outcome, and dup-read bytes counted as MODULE_STATS counts them.
 * Included at the end of hold.c to reach its static functions.
 */
#include <kunit/test.h>

static const struct modexcl_stamp test_stamp = {
	.change_cookie = 42,
	.ino = 1234,
	.size = 2100000,
	.btime_sec = 1700000000,
	.btime_nsec = 5,
	.dev = 0x800001,
	.has_btime = true,
};

static void hold_claim_matches_same_stamp_and_flags(struct kunit *test)
{
	struct excl_claim claim = { .stamp = test_stamp, .flags = 0 };
	struct modexcl_stamp s = test_stamp;

	KUNIT_EXPECT_TRUE(test, claim_matches(&claim, &s, 0));

	/* Same file, other flags: stock may answer differently. */
	KUNIT_EXPECT_FALSE(test, claim_matches(&claim, &s,
					       MODULE_INIT_IGNORE_VERMAGIC));
	KUNIT_EXPECT_FALSE(test, claim_matches(&claim, &s,
					       MODULE_INIT_COMPRESSED_FILE));
}

static void hold_claim_rejects_changed_file(struct kunit *test)
{
	struct excl_claim claim = { .stamp = test_stamp, .flags = 0 };
	struct modexcl_stamp s;

	/* A same-size rewrite bumps the change cookie. */
	s = test_stamp;
	s.change_cookie++;
	KUNIT_EXPECT_FALSE(test, claim_matches(&claim, &s, 0));

	s = test_stamp;
	s.ino++;
	KUNIT_EXPECT_FALSE(test, claim_matches(&claim, &s, 0));

	s = test_stamp;
	s.dev++;
	KUNIT_EXPECT_FALSE(test, claim_matches(&claim, &s, 0));

	s = test_stamp;
	s.size--;
	KUNIT_EXPECT_FALSE(test, claim_matches(&claim, &s, 0));

	/* A new file reusing the inode number and cookie: other btime. */
	s = test_stamp;
	s.btime_nsec++;
	KUNIT_EXPECT_FALSE(test, claim_matches(&claim, &s, 0));

	s = test_stamp;
	s.has_btime = false;
	KUNIT_EXPECT_FALSE(test, claim_matches(&claim, &s, 0));
}

/*
 * What load_module()'s checks leave in the loader's state: a duplicate's
 * reason and name only for the answers MODULE_STATS counts, the name once
 * the module is in the list, nothing for a load without modexcl state.
 */
static void hold_checks_note_duplicates_and_names(struct kunit *test)
{
	struct modexcl_load_check check = { .dup_reason = -1 };
	struct load_info info = { };
	struct module *mod;

	mod = kunit_kzalloc(test, sizeof(*mod), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mod);
	strscpy(mod->name, "modexcl_kunit");
	info.mod = mod;

	modexcl_module_checked(&info, -EEXIST, FAIL_DUP_MOD_BECOMING);

	info.modexcl = &check;
	modexcl_module_checked(&info, 0, FAIL_DUP_MOD_BECOMING);
	KUNIT_EXPECT_STREQ(test, check.name, "");
	modexcl_module_checked(&info, -ERESTARTSYS, FAIL_DUP_MOD_LOAD);
	KUNIT_EXPECT_STREQ(test, check.name, "");
	KUNIT_EXPECT_EQ(test, check.dup_reason, -1);
	modexcl_module_checked(&info, -ENOMEM, FAIL_DUP_MOD_LOAD);
	KUNIT_EXPECT_STREQ(test, check.name, "");

	modexcl_module_checked(&info, 0, FAIL_DUP_MOD_LOAD);
	KUNIT_EXPECT_STREQ(test, check.name, "modexcl_kunit");
	KUNIT_EXPECT_EQ(test, check.dup_reason, -1);

	memset(&check, 0, sizeof(check));
	check.dup_reason = -1;
	modexcl_module_checked(&info, -EBUSY, FAIL_DUP_MOD_BECOMING);
	KUNIT_EXPECT_STREQ(test, check.name, "modexcl_kunit");
	KUNIT_EXPECT_EQ(test, check.dup_reason, FAIL_DUP_MOD_BECOMING);
	check.dup_reason = -1;
	modexcl_module_checked(&info, -EEXIST, FAIL_DUP_MOD_LOAD);
	KUNIT_EXPECT_EQ(test, check.dup_reason, FAIL_DUP_MOD_LOAD);
}

static void hold_outcome_is_exactly_one(struct kunit *test)
{
	struct modexcl_module_load load = { .check.dup_reason = -1 };

	KUNIT_EXPECT_EQ(test, load_outcome(&load, 0), MODEXCL_OUTCOME_LOAD);
	KUNIT_EXPECT_EQ(test, load_outcome(&load, -ENOEXEC),
			MODEXCL_OUTCOME_FAILED);
	/* -EEXIST from elsewhere (sysfs, notifier) is not a duplicate. */
	KUNIT_EXPECT_EQ(test, load_outcome(&load, -EEXIST),
			MODEXCL_OUTCOME_FAILED);

	load.check.dup_reason = FAIL_DUP_MOD_BECOMING;
	KUNIT_EXPECT_EQ(test, load_outcome(&load, -EEXIST),
			MODEXCL_OUTCOME_DUP_READ);
	KUNIT_EXPECT_EQ(test, load_outcome(&load, -EBUSY),
			MODEXCL_OUTCOME_DUP_READ);

	load.check.dup_reason = -1;
	load.refused = true;
	KUNIT_EXPECT_EQ(test, load_outcome(&load, -EEXIST),
			MODEXCL_OUTCOME_DUP_SERIAL);

	load.refused = false;
	load.compressed = true;
	KUNIT_EXPECT_EQ(test, load_outcome(&load, -ENOEXEC),
			MODEXCL_OUTCOME_FORMAT_REFUSED);
	KUNIT_EXPECT_EQ(test, load_outcome(&load, -EKEYREJECTED),
			MODEXCL_OUTCOME_FORMAT_REFUSED);
}

static void hold_compressed_image_by_magic(struct kunit *test)
{
	static const u8 xz[] = { 0xfd, '7', 'z', 'X', 'Z', 0x00, 0x00 };
	static const u8 gz[] = { 0x1f, 0x8b, 0x08 };
	static const u8 zst[] = { 0x28, 0xb5, 0x2f, 0xfd, 0x24 };
	static const u8 elf[] = { 0x7f, 'E', 'L', 'F', 0x02, 0x01 };

	KUNIT_EXPECT_TRUE(test, image_is_compressed(xz, sizeof(xz)));
	KUNIT_EXPECT_TRUE(test, image_is_compressed(gz, sizeof(gz)));
	KUNIT_EXPECT_TRUE(test, image_is_compressed(zst, sizeof(zst)));
	KUNIT_EXPECT_FALSE(test, image_is_compressed(elf, sizeof(elf)));
	/* A file shorter than the magic is not that format. */
	KUNIT_EXPECT_FALSE(test, image_is_compressed(xz, 5));
	KUNIT_EXPECT_FALSE(test, image_is_compressed(gz, 1));
}

static void hold_dup_read_bytes_as_module_stats(struct kunit *test)
{
	struct load_info info = { .len = 1000 };
	int flags = 0;

	KUNIT_EXPECT_EQ(test, dup_read_bytes(FAIL_DUP_MOD_BECOMING, flags,
					     &info, 300), 1000ULL);

	/* Found after layout_and_allocate(): the copy and the module. */
	KUNIT_EXPECT_EQ(test, dup_read_bytes(FAIL_DUP_MOD_LOAD, flags,
					     &info, 300), 2000ULL);

	flags = MODULE_INIT_COMPRESSED_FILE;
#if defined(CONFIG_MODULE_DECOMPRESS) && defined(CONFIG_MODULE_STATS)
	info.compressed_len = 300;
#endif
	KUNIT_EXPECT_EQ(test, dup_read_bytes(FAIL_DUP_MOD_LOAD, flags,
					     &info, 300), 2300ULL);
}

static void hold_only_where_changes_are_seen(struct kunit *test)
{
	static const unsigned long seen[] = {
		EXT4_SUPER_MAGIC, XFS_SUPER_MAGIC, BTRFS_SUPER_MAGIC, TMPFS_MAGIC,
	};
	static const unsigned long unseen[] = {
		NFS_SUPER_MAGIC, CEPH_SUPER_MAGIC, FUSE_SUPER_MAGIC,
		V9FS_MAGIC, SMB2_SUPER_MAGIC, OVERLAYFS_SUPER_MAGIC, RAMFS_MAGIC,
	};
	struct super_block sb = {};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(seen); i++) {
		sb.s_magic = seen[i];
		KUNIT_EXPECT_TRUE(test, changes_seen_here(&sb));
	}
	/* Overlayfs is judged by its real inode's file system instead. */
	for (i = 0; i < ARRAY_SIZE(unseen); i++) {
		sb.s_magic = unseen[i];
		KUNIT_EXPECT_FALSE(test, changes_seen_here(&sb));
	}
}

static struct kunit_case modexcl_hold_cases[] = {
	KUNIT_CASE(hold_claim_matches_same_stamp_and_flags),
	KUNIT_CASE(hold_claim_rejects_changed_file),
	KUNIT_CASE(hold_checks_note_duplicates_and_names),
	KUNIT_CASE(hold_outcome_is_exactly_one),
	KUNIT_CASE(hold_compressed_image_by_magic),
	KUNIT_CASE(hold_only_where_changes_are_seen),
	KUNIT_CASE(hold_dup_read_bytes_as_module_stats),
	{}
};

static struct kunit_suite modexcl_hold_suite = {
	.name = "modexcl-hold",
	.test_cases = modexcl_hold_cases,
};

kunit_test_suite(modexcl_hold_suite);
