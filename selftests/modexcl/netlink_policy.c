// SPDX-License-Identifier: GPL-2.0
/*
 * policy-get and policy-set of the modexcl family through libnl-genl-3:
 * a round trip for every reader and mode, seen by sysfs; sysfs writes
 * seen by netlink; every change announced on the monitor group with a
 * growing sequence number; malformed requests refused with an extack
 * message naming the attribute, and nothing changed.
 */
#define _GNU_SOURCE

#include "../kselftest_harness.h"
#include "modexcl_util.h"
#include "modexcl_nl.h"

#define NTF_TIMEOUT_MS 5000

FIXTURE(policy) {
	struct mxt_nl nl;
	int mon;
	struct mx_saved_policy saved;
};

FIXTURE_SETUP(policy)
{
	mx_policy_save(&self->saved);
	ASSERT_EQ(0, mxt_nl_open(&self->nl));
	self->mon = mxt_monitor_open(&self->nl, 0);
	ASSERT_LE(0, self->mon);
}

FIXTURE_TEARDOWN(policy)
{
	mx_policy_restore(&self->saved);
	if (self->mon >= 0)
		close(self->mon);
	mxt_nl_close(&self->nl);
}

/* The next policy-ntf must be @reader going from @old to @mode. */
static int expect_policy_ntf(int mon, int family, uint32_t reader,
			     uint32_t old, uint32_t mode, uint64_t *last_seq)
{
	struct mxt_ntf ev;
	int ret;

	do {
		ret = mxt_monitor_next(mon, family, &ev, NTF_TIMEOUT_MS);
		if (ret <= 0)
			return ret ? ret : -ETIMEDOUT;
		/* Duplicates of other tests' loads may come in between. */
	} while (ev.cmd != MODEXCL_CMD_POLICY_NTF);
	if (ev.reader != reader || ev.mode != mode || ev.old_mode != old)
		return -EPROTO;
	/* Whether the new mode applies is part of every notification. */
	if (ev.inactive < 0)
		return -ENODATA;
	if (ev.seq <= *last_seq)
		return -ERANGE;
	*last_seq = ev.seq;
	return 0;
}

TEST_F(policy, policy_set_reaches_sysfs_policy_get_and_the_monitor_group)
{
	struct mxt_policy pol;
	struct mxt_nl_res res;
	uint64_t seq = 0;
	uint32_t r, m, cur;
	int ret;

	mxt_monitor_drain(self->mon, self->nl.family);
	for (r = MX_READER_FIRST; r <= MX_READER_LAST; r++) {
		cur = mx_mode_index(mx_policy_get(mx_reader(r)));
		ASSERT_LE(0, (int)cur) TH_LOG("%s", mx_reader(r));
		for (m = 0; m <= MODEXCL_MODE_HOLD; m++) {
			if (m == MODEXCL_MODE_HOLD &&
			    r != MODEXCL_READER_KERNEL_MODULE)
				continue;
			ret = mxt_nl_policy_set(&self->nl, r, m, &pol, &res);
			ASSERT_EQ(0, ret) TH_LOG("%s %s: %s", mx_reader(r),
						 mx_modes[m], res.msg);
			EXPECT_EQ(1, pol.n);
			EXPECT_EQ(r, pol.reader);
			EXPECT_EQ(m, pol.mode[r]);
			EXPECT_STREQ(mx_modes[m], mx_policy_get(mx_reader(r)));
			ASSERT_EQ(0, mxt_nl_policy_get(&self->nl, r, &pol, &res));
			EXPECT_EQ(m, pol.mode[r]);
			if (m != cur)
				ASSERT_EQ(0, expect_policy_ntf(self->mon,
							       self->nl.family,
							       r, cur, m, &seq))
					TH_LOG("%s %s -> %s", mx_reader(r),
					       mx_modes[cur], mx_modes[m]);
			cur = m;
		}
	}
}

TEST_F(policy, policy_set_refuses_hold_for_every_reader_but_kernel_module)
{
	struct mxt_policy pol;
	struct mxt_nl_res res;
	uint32_t r, cur;
	int ret;

	for (r = MX_READER_FIRST; r <= MX_READER_LAST; r++) {
		if (r == MODEXCL_READER_KERNEL_MODULE)
			continue;
		cur = mx_mode_index(mx_policy_get(mx_reader(r)));
		ASSERT_LE(0, (int)cur) TH_LOG("%s", mx_reader(r));
		ret = mxt_nl_policy_set(&self->nl, r, MODEXCL_MODE_HOLD, &pol, &res);
		EXPECT_EQ(-EINVAL, ret);
		EXPECT_NE(0, res.msg[0]);
		EXPECT_TRUE(res.has_offs);
		EXPECT_STREQ(mx_modes[cur], mx_policy_get(mx_reader(r)));
	}
}

TEST_F(policy, sysfs_writes_reach_policy_get_and_the_monitor_group)
{
	struct mxt_policy pol;
	struct mxt_nl_res res;
	uint64_t seq = 0;
	uint32_t r, m, cur;

	mxt_monitor_drain(self->mon, self->nl.family);
	for (r = MX_READER_FIRST; r <= MX_READER_LAST; r++) {
		cur = mx_mode_index(mx_policy_get(mx_reader(r)));
		for (m = 0; m <= MODEXCL_MODE_HOLD; m++) {
			if (m == MODEXCL_MODE_HOLD &&
			    r != MODEXCL_READER_KERNEL_MODULE)
				continue;
			ASSERT_EQ(0, mx_policy_set(mx_reader(r), mx_modes[m]));
			ASSERT_EQ(0, mxt_nl_policy_get(&self->nl, r, &pol, &res));
			EXPECT_EQ(m, pol.mode[r]);
			if (m != cur)
				ASSERT_EQ(0, expect_policy_ntf(self->mon,
							       self->nl.family,
							       r, cur, m, &seq))
					TH_LOG("sysfs %s %s -> %s", mx_reader(r),
					       mx_modes[cur], mx_modes[m]);
			cur = m;
		}
	}
}

TEST_F(policy, policy_dump_has_every_reader_with_its_sysfs_mode)
{
	struct mxt_policy pol;
	struct mxt_nl_res res;
	uint32_t r;

	ASSERT_EQ(0, mxt_nl_policy_get(&self->nl, 0, &pol, &res));
	EXPECT_EQ(MX_READER_LAST - MX_READER_FIRST + 1, pol.n);
	for (r = MX_READER_FIRST; r <= MX_READER_LAST; r++)
		EXPECT_STREQ(mx_policy_get(mx_reader(r)),
			     mx_modes[pol.mode[r]]);
}

/*
 * Every reply says whether the reader's mode applies now, as
 * /sys/kernel/modexcl/inactive/ does: with no IMA policy in the test
 * kernel, every mode applies, hold included (the one-shot ima_policy test
 * writes a rule and sees both say ima-policy).
 */
TEST_F(policy, replies_say_whether_the_mode_applies_as_sysfs_does)
{
	struct mxt_policy pol;
	struct mxt_nl_res res;
	uint32_t r, m;

	for (r = MX_READER_FIRST; r <= MX_READER_LAST; r++) {
		for (m = 0; m <= MODEXCL_MODE_HOLD; m++) {
			if (m == MODEXCL_MODE_HOLD &&
			    r != MODEXCL_READER_KERNEL_MODULE)
				continue;
			memset(&pol, 0, sizeof(pol));
			ASSERT_EQ(0, mxt_nl_policy_set(&self->nl, r, m, &pol, &res));
			EXPECT_EQ(0, pol.inactive[r]) TH_LOG("set %s %s", mx_reader(r),
							     mx_modes[m]);
			EXPECT_STREQ("", mx_inactive_get(mx_reader(r)) ?: "(none)");
		}
	}
	memset(&pol, 0, sizeof(pol));
	ASSERT_EQ(0, mxt_nl_policy_get(&self->nl, 0, &pol, &res));
	for (r = MX_READER_FIRST; r <= MX_READER_LAST; r++)
		EXPECT_EQ(0, pol.inactive[r]) TH_LOG("dump %s", mx_reader(r));
}

/* A raw policy-set with whatever attributes the test puts in. */
struct bad_req {
	const char *what;
	int cmd;
	int (*put)(struct nl_msg *msg);
	int error;
	int miss_type;		/* expected NLMSGERR_ATTR_MISS_TYPE, or -1 */
	int offs;		/* an NLMSGERR_ATTR_OFFS is expected */
};

static int put_unknown_reader(struct nl_msg *m)
{
	return nla_put_u32(m, MODEXCL_A_POLICY_READER, 7) ||
	       nla_put_u32(m, MODEXCL_A_POLICY_MODE, MODEXCL_MODE_SHARED);
}

static int put_reader_zero(struct nl_msg *m)
{
	return nla_put_u32(m, MODEXCL_A_POLICY_READER, 0) ||
	       nla_put_u32(m, MODEXCL_A_POLICY_MODE, MODEXCL_MODE_SHARED);
}

static int put_unknown_mode(struct nl_msg *m)
{
	return nla_put_u32(m, MODEXCL_A_POLICY_READER,
			   MODEXCL_READER_FIRMWARE) ||
	       nla_put_u32(m, MODEXCL_A_POLICY_MODE, 3);
}

static int put_no_mode(struct nl_msg *m)
{
	return nla_put_u32(m, MODEXCL_A_POLICY_READER, MODEXCL_READER_FIRMWARE);
}

static int put_no_reader(struct nl_msg *m)
{
	return nla_put_u32(m, MODEXCL_A_POLICY_MODE, MODEXCL_MODE_EXCLUSIVE);
}

static int put_nothing(struct nl_msg *m)
{
	return 0;
}

static int put_short_reader(struct nl_msg *m)
{
	return nla_put_u8(m, MODEXCL_A_POLICY_READER, MODEXCL_READER_FIRMWARE) ||
	       nla_put_u32(m, MODEXCL_A_POLICY_MODE, MODEXCL_MODE_EXCLUSIVE);
}

static int put_string_mode(struct nl_msg *m)
{
	return nla_put_u32(m, MODEXCL_A_POLICY_READER, MODEXCL_READER_FIRMWARE) ||
	       nla_put_string(m, MODEXCL_A_POLICY_MODE, "exclusive");
}

static int put_u64_mode(struct nl_msg *m)
{
	return nla_put_u32(m, MODEXCL_A_POLICY_READER, MODEXCL_READER_FIRMWARE) ||
	       nla_put_u64(m, MODEXCL_A_POLICY_MODE, MODEXCL_MODE_EXCLUSIVE);
}

static int put_old_mode(struct nl_msg *m)
{
	return nla_put_u32(m, MODEXCL_A_POLICY_READER, MODEXCL_READER_FIRMWARE) ||
	       nla_put_u32(m, MODEXCL_A_POLICY_MODE, MODEXCL_MODE_EXCLUSIVE) ||
	       nla_put_u32(m, MODEXCL_A_POLICY_OLD_MODE, MODEXCL_MODE_SHARED);
}

static int put_attr_99(struct nl_msg *m)
{
	return nla_put_u32(m, MODEXCL_A_POLICY_READER, MODEXCL_READER_FIRMWARE) ||
	       nla_put_u32(m, MODEXCL_A_POLICY_MODE, MODEXCL_MODE_EXCLUSIVE) ||
	       nla_put_u32(m, 99, 0);
}

static int put_hold_firmware(struct nl_msg *m)
{
	return nla_put_u32(m, MODEXCL_A_POLICY_READER, MODEXCL_READER_FIRMWARE) ||
	       nla_put_u32(m, MODEXCL_A_POLICY_MODE, MODEXCL_MODE_HOLD);
}

static int put_get_unknown_reader(struct nl_msg *m)
{
	return nla_put_u32(m, MODEXCL_A_POLICY_READER, 9);
}

/*
 * Out-of-range enum values are refused by the policy generated from the
 * spec's enums, with netlink's -ERANGE ("integer out of range"); every
 * other malformed request gets -EINVAL.
 */
static const struct bad_req bad_reqs[] = {
	{ "unknown reader", MODEXCL_CMD_POLICY_SET, put_unknown_reader, -ERANGE, -1, 1 },
	{ "reader 0 (unknown)", MODEXCL_CMD_POLICY_SET, put_reader_zero, -ERANGE, -1, 1 },
	{ "unknown mode", MODEXCL_CMD_POLICY_SET, put_unknown_mode, -ERANGE, -1, 1 },
	{ "missing mode", MODEXCL_CMD_POLICY_SET, put_no_mode, -EINVAL,
	  MODEXCL_A_POLICY_MODE, 0 },
	{ "missing reader", MODEXCL_CMD_POLICY_SET, put_no_reader, -EINVAL,
	  MODEXCL_A_POLICY_READER, 0 },
	{ "no attributes", MODEXCL_CMD_POLICY_SET, put_nothing, -EINVAL,
	  MODEXCL_A_POLICY_READER, 0 },
	{ "u8 reader", MODEXCL_CMD_POLICY_SET, put_short_reader, -EINVAL, -1, 1 },
	{ "string mode", MODEXCL_CMD_POLICY_SET, put_string_mode, -EINVAL, -1, 1 },
	{ "u64 mode", MODEXCL_CMD_POLICY_SET, put_u64_mode, -EINVAL, -1, 1 },
	{ "old-mode in a request", MODEXCL_CMD_POLICY_SET, put_old_mode, -EINVAL, -1, 1 },
	{ "unknown attribute 99", MODEXCL_CMD_POLICY_SET, put_attr_99, -EINVAL, -1, 1 },
	{ "hold on firmware", MODEXCL_CMD_POLICY_SET, put_hold_firmware, -EINVAL, -1, 1 },
	{ "get: missing reader", MODEXCL_CMD_POLICY_GET, put_nothing, -EINVAL,
	  MODEXCL_A_POLICY_READER, 0 },
	{ "get: unknown reader", MODEXCL_CMD_POLICY_GET, put_get_unknown_reader,
	  -ERANGE, -1, 1 },
};

TEST_F(policy, malformed_requests_are_refused_with_extack_and_change_nothing)
{
	char before[MX_READER_LAST + 1][16];
	struct mxt_policy pol;
	struct mxt_nl_res res;
	struct nl_msg *msg;
	struct mxt_ntf ev;
	size_t i;
	int r;

	/* firmware starts shared, so an accepted bad request would show. */
	ASSERT_EQ(0, mx_policy_set("firmware", "shared"));
	mxt_monitor_drain(self->mon, self->nl.family);
	for (r = MX_READER_FIRST; r <= MX_READER_LAST; r++)
		snprintf(before[r], sizeof(before[r]), "%s",
			 mx_policy_get(mx_reader(r)));

	for (i = 0; i < ARRAY_SIZE(bad_reqs); i++) {
		const struct bad_req *b = &bad_reqs[i];

		msg = mxt_nl_msg(&self->nl, b->cmd, 0);
		ASSERT_NE(NULL, msg);
		ASSERT_EQ(0, b->put(msg));
		mxt_nl_send(&self->nl, msg, MODEXCL_A_POLICY_MAX, mxt_policy_cb,
			    &pol, &res);
		EXPECT_EQ(b->error, res.error)
			TH_LOG("%s: %d (%s)", b->what, res.error, res.msg);
		EXPECT_NE(0, res.msg[0] || res.miss_type >= 0)
			TH_LOG("%s: no extack", b->what);
		if (b->miss_type >= 0)
			EXPECT_EQ(b->miss_type, res.miss_type)
				TH_LOG("%s", b->what);
		if (b->offs)
			EXPECT_TRUE(res.has_offs && res.offs > NLMSG_HDRLEN)
				TH_LOG("%s: no attribute named", b->what);
		if (res.msg[0])
			ksft_print_msg("%s: %s (%d)\n", b->what, res.msg,
				       res.error);
		for (r = MX_READER_FIRST; r <= MX_READER_LAST; r++)
			EXPECT_STREQ(before[r], mx_policy_get(mx_reader(r)))
				TH_LOG("%s changed %s", b->what, mx_reader(r));
	}
	/* Nothing was announced. */
	while (mxt_monitor_next(self->mon, self->nl.family, &ev, 200) > 0)
		EXPECT_NE(MODEXCL_CMD_POLICY_NTF, ev.cmd)
			TH_LOG("policy-ntf after a refused request: reader %u",
			       ev.reader);
}

TEST_HARNESS_MAIN
