// SPDX-License-Identifier: GPL-2.0
/*
 * Random and malformed writes to the sysfs policy files, each refused
 * unless it names a valid mode for its reader (and then taken), and bad
 * writes to modexcl's module parameters, refused. MX_FUZZ_SEED overrides
 * the seed.
 */
#define _GNU_SOURCE
#include "../kselftest_harness.h"
#include "modexcl_util.h"

#define NR_READERS MX_READER_LAST

/* The mode a sysfs write of buf[0..len) sets, as the kernel parses it; -1 if none. */
static int oracle(const char *buf, size_t len, int reader)
{
	char s[64];
	size_t n = strnlen(buf, len);
	int m;

	if (n >= sizeof(s))
		return -1;
	memcpy(s, buf, n);
	s[n] = '\0';
	if (n && s[n - 1] == '\n')
		s[n - 1] = '\0';
	m = mx_mode_index(s);
	return m == MODEXCL_MODE_HOLD && reader != MODEXCL_READER_KERNEL_MODULE ? -1 : m;
}

static size_t gen_sysfs(char *buf, size_t room)
{
	static const char *const words[] = {
		"shared", "exclusive", "hold", "unknown", "SHARED", "Hold", "0", "1", "2", "3",
		"shared\n", "hold\n", "exclusive\n\n", " shared", "shared ", "\n", "",
	};
	size_t len = 0;

	switch (mx_rnd() % 6) {
	case 0:		/* random binary */
		len = mx_rnd() % 48;
		for (size_t i = 0; i < len; i++)
			buf[i] = mx_rnd();
		return len;
	case 1:		/* huge */
		len = mx_rnd() % 2 ? 4096 : 4097 + mx_rnd() % 4000;
		memset(buf, mx_rnd() % 2 ? 'x' : 0, len);
		if (mx_rnd() % 2)
			memcpy(buf, "shared", 6);
		return len;
	default:	/* words, with a NUL, garbage or a cut */
		len = snprintf(buf, room, "%s", words[mx_rnd() % ARRAY_SIZE(words)]);
		if (mx_rnd() % 3 == 0) {
			buf[len++] = mx_rnd() % 2 ? '\0' : mx_rnd();
			for (int i = mx_rnd() % 6; i > 0; i--)
				buf[len++] = mx_rnd() % 2 ? 'a' + mx_rnd() % 26 : mx_rnd();
		}
		if (mx_rnd() % 8 == 0 && len)
			len = mx_rnd() % len;
		return len;
	}
}

FIXTURE(sysfs)
{
	struct mx_saved_policy saved;
};

FIXTURE_SETUP(sysfs)
{
	ASSERT_EQ(0, mx_policy_save(&self->saved));
}

FIXTURE_TEARDOWN(sysfs)
{
	mx_policy_restore(&self->saved);
}

TEST_F_TIMEOUT(sysfs, random_sysfs_policy_writes_set_valid_modes_only, 600)
{
	char buf[8192];
	int count = mx_is_debug_kernel() ? 500 : 3000, refused = 0, taken = 0;
	uint64_t seed = mx_fuzz_seed();

	ksft_print_msg("sysfs_fuzz: seed 0x%llx (MX_FUZZ_SEED)\n", (unsigned long long)seed);
	mx_rnd_state = seed ^ 0xaaaa;
	for (int i = 0; i < count; i++) {
		int reader = 1 + mx_rnd() % NR_READERS, want, ret;
		size_t len = gen_sysfs(buf, sizeof(buf) - 8);
		char path[128], before[32];

		snprintf(before, sizeof(before), "%s", mx_policy_get(mx_reader(reader)));
		snprintf(path, sizeof(path), MX_POLICY_DIR "/%s", mx_reader(reader));
		/* kernfs hands sysfs at most a page: longer writes are cut. */
		want = len ? oracle(buf, len < 4096 ? len : 4096, reader) : -1;
		ret = mx_write_file(path, buf, len);
		if (!len) {
			EXPECT_EQ(0, ret);
		} else if (want < 0) {
			EXPECT_GT(0, ret) TH_LOG("write %d to %s taken", i, mx_reader(reader));
			refused++;
		} else {
			EXPECT_EQ(0, ret) TH_LOG("write %d to %s refused", i, mx_reader(reader));
			taken++;
		}
		EXPECT_STREQ(want < 0 ? before : mx_modes[want], mx_policy_get(mx_reader(reader)));
	}
	ksft_print_msg("sysfs_fuzz: %d writes, %d refused, %d taken\n", count, refused, taken);
}

TEST(exclusive_wait_ms_refuses_bad_numbers)
{
	static const char *const bad_uint[] = {
		"-1", "abc", "4294967296", "1x", "0x", " ", "\n", "99999999999999999999",
	};
	char before[32], after[32];

	mx_read_line(MX_EXCLUSIVE_WAIT_MS, before, sizeof(before));
	ASSERT_STRNE("", before);
	for (size_t i = 0; i < ARRAY_SIZE(bad_uint); i++) {
		EXPECT_GT(0, mx_write_file(MX_EXCLUSIVE_WAIT_MS, bad_uint[i], strlen(bad_uint[i])))
			TH_LOG("exclusive_wait_ms took \"%s\"", bad_uint[i]);
	}
	EXPECT_STREQ(before, mx_read_line(MX_EXCLUSIVE_WAIT_MS, after, sizeof(after)));
}

TEST(max_records_is_read_only)
{
	char before[32], after[32];

	mx_read_line(MX_MAX_RECORDS, before, sizeof(before));
	ASSERT_STRNE("", before);
	EXPECT_EQ(-EACCES, mx_write_file(MX_MAX_RECORDS, "1", 1));
	EXPECT_STREQ(before, mx_read_line(MX_MAX_RECORDS, after, sizeof(after)));
}

TEST_HARNESS_MAIN
