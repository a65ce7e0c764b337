// SPDX-License-Identifier: GPL-2.0
/*
 * Who may use the modexcl family: every operation and joining the monitor
 * group need CAP_SYS_ADMIN in the initial user namespace. An unprivileged
 * task (uid 65534, no capabilities) and root of a new user namespace that
 * shares the initial network namespace get -EPERM for each, and nothing
 * changes.
 */
#define _GNU_SOURCE
#include <sched.h>

#include "../kselftest_harness.h"
#include "modexcl_util.h"
#include "modexcl_nl.h"

#define SCRATCH "/tmp/modexcl-nlperm"
#define RECORD SCRATCH "/rec"

/*
 * Try everything as the current (unprivileged) task. Return 0 when every
 * attempt got -EPERM, else the number of the first that did not.
 */
static int try_everything(void)
{
	struct mxt_recs recs = {};
	struct mxt_policy pol;
	struct mxt_nl_res res;
	struct nl_msg *msg;
	struct mxt_nl nl;
	int fd;

	/* Resolving the family is open to all (genetlink's controller). */
	if (mxt_nl_open(&nl))
		return 1;
	if (mxt_nl_stats(&nl, &recs, &res) != -EPERM || recs.n)
		return 2;
	if (mxt_nl_reset(&nl, &res) != -EPERM)
		return 3;
	if (mxt_nl_policy_get(&nl, MODEXCL_READER_KERNEL_MODULE, &pol, &res) != -EPERM)
		return 4;
	if (mxt_nl_policy_get(&nl, 0, &pol, &res) != -EPERM || pol.n)
		return 5;
	if (mxt_nl_policy_set(&nl, MODEXCL_READER_FIRMWARE,
			      MODEXCL_MODE_EXCLUSIVE, &pol, &res) != -EPERM)
		return 6;
	/* Also with a malformed request: permission comes first. */
	msg = mxt_nl_msg(&nl, MODEXCL_CMD_POLICY_SET, 0);
	if (!msg)
		return 7;
	if (mxt_nl_send(&nl, msg, MODEXCL_A_POLICY_MAX, NULL, NULL, &res) != -EPERM)
		return 7;
	fd = mxt_monitor_open(&nl, 0);
	if (fd != -EPERM) {
		if (fd >= 0)
			close(fd);
		return 8;
	}
	mxt_nl_close(&nl);
	return 0;
}

static int userns_root(void)
{
	char map[32];

	if (unshare(CLONE_NEWUSER))
		return -errno;
	if (mx_write_file("/proc/self/setgroups", "deny", 4))
		return -EIO;
	snprintf(map, sizeof(map), "0 0 1");
	if (mx_write_file("/proc/self/uid_map", map, strlen(map)) ||
	    mx_write_file("/proc/self/gid_map", map, strlen(map)))
		return -EIO;
	/* Root with every capability, in a user namespace of its own. */
	if (getuid() != 0 || setresuid(0, 0, 0))
		return -EPERM;
	return 0;
}

/* Run try_everything() in a child after @become; its result. */
static int run_as(int (*become)(void))
{
	pid_t pid;
	int status;

	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		if (become())
			_exit(100);
		_exit(try_everything());
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

FIXTURE(perm) {
	struct mxt_nl nl;
	char fw_mode[16];
};

FIXTURE_SETUP(perm)
{
	struct mxt_recs recs = {};
	struct mxt_nl_res res;

	ASSERT_EQ(0, mxt_nl_open(&self->nl));
	snprintf(self->fw_mode, sizeof(self->fw_mode), "%s",
		 mx_policy_get("firmware"));
	ASSERT_EQ(0, mx_policy_set("firmware", "shared"));
	/* A record that a reset would drop. */
	mkdir(SCRATCH, 0700);
	ASSERT_EQ(0, mx_make_empty(RECORD));
	ASSERT_EQ(-EINVAL, mx_finit_path(RECORD, "", 0));
	ASSERT_EQ(0, mxt_nl_stats(&self->nl, &recs, &res));
	ASSERT_NE(NULL, mxt_recs_find(&recs, RECORD, NULL));
	mxt_recs_free(&recs);
}

FIXTURE_TEARDOWN(perm)
{
	mx_policy_set("firmware", self->fw_mode);
	unlink(RECORD);
	mxt_nl_close(&self->nl);
}

static void expect_unchanged(struct __test_metadata *_metadata,
			     struct mxt_nl *nl)
{
	struct mxt_recs recs = {};
	struct mxt_nl_res res;

	EXPECT_STREQ("shared", mx_policy_get("firmware"));
	ASSERT_EQ(0, mxt_nl_stats(nl, &recs, &res));
	EXPECT_NE(NULL, mxt_recs_find(&recs, RECORD, NULL))
		TH_LOG("the records were reset");
	mxt_recs_free(&recs);
}

TEST_F(perm, unprivileged_user_gets_eperm_for_every_operation)
{
	int ret = run_as(mx_drop_to_nobody);

	EXPECT_EQ(0, ret) TH_LOG("attempt %d was not refused with EPERM", ret);
	expect_unchanged(_metadata, &self->nl);
}

TEST_F(perm, user_namespace_root_gets_eperm_for_every_operation)
{
	int ret = run_as(userns_root);

	EXPECT_EQ(0, ret) TH_LOG("attempt %d was not refused with EPERM", ret);
	expect_unchanged(_metadata, &self->nl);
}

/* The checks above can fail: root passes every one of them. */
TEST_F(perm, root_may_dump_the_policy_and_join_the_monitor_group)
{
	struct mxt_policy pol;
	struct mxt_nl_res res;
	int fd;

	ASSERT_EQ(0, mxt_nl_policy_get(&self->nl, 0, &pol, &res));
	fd = mxt_monitor_open(&self->nl, 0);
	ASSERT_LE(0, fd);
	close(fd);
}

TEST_HARNESS_MAIN
