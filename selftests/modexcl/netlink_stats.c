// SPDX-License-Identifier: GPL-2.0
/*
 * The modexcl family's stats-get dump through libnl-genl-3: the family
 * and its group resolve; dumps of 0, 1 and 1000 records (many skbs)
 * return each record once with the counters the test caused; a dump of
 * 1024 records is timed; holder PIDs are those of the dumper's PID
 * namespace, and 0 once the holder is gone or where it is not visible;
 * the kernel's own YNL client (cli.py) dumps the family from its spec.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "../kselftest_harness.h"
#include "modexcl_util.h"
#include "modexcl_nl.h"

#define SLOW "modexcl_test_slow"
#define SCRATCH "/tmp/modexcl-nlstats"

/* Make @n records: SCRATCH/<tag>-<i>; 0 or -errno. */
static int make_records(const char *tag, int n)
{
	mkdir(SCRATCH, 0700);
	return mx_touch_records(SCRATCH, tag, 0, n);
}

/* Dumps of a thousand records and python take long on the debug kernel. */
#define SLOW_TEST_S 600

FIXTURE(slow) {};
FIXTURE_SETUP(slow) {}
FIXTURE_TEARDOWN(slow) {}

TEST(family_and_monitor_group_resolve)
{
	struct mxt_nl nl;

	ASSERT_EQ(0, mxt_nl_open(&nl));
	EXPECT_GT(nl.family, 0);
	EXPECT_GT(nl.group, 0);
	mxt_nl_close(&nl);
}

TEST(dump_after_a_reset_is_empty)
{
	struct mxt_recs recs = {};
	struct mxt_nl_res res;
	struct mxt_nl nl;

	ASSERT_EQ(0, mxt_nl_open(&nl));
	ASSERT_EQ(0, mxt_nl_reset(&nl, &res));
	ASSERT_EQ(0, mxt_nl_stats(&nl, &recs, &res));
	EXPECT_EQ(0, recs.n);
	EXPECT_EQ(0, res.intr);
	mxt_recs_free(&recs);
	mxt_nl_close(&nl);
}

TEST(one_record_dumps_with_its_file_and_the_counters_of_its_loads)
{
	const char *path = SCRATCH "/one";
	struct mxt_recs recs = {};
	struct mxt_nl_res res;
	struct mxt_nl nl;
	struct mxt_rec *r;
	struct stat st;
	int count;

	ASSERT_EQ(0, mxt_nl_open(&nl));
	ASSERT_EQ(0, mxt_nl_reset(&nl, &res));
	mkdir(SCRATCH, 0700);
	ASSERT_EQ(0, mx_touch_record(path));
	ASSERT_EQ(0, mx_touch_record(path));
	ASSERT_EQ(0, stat(path, &st));

	ASSERT_EQ(0, mxt_nl_stats(&nl, &recs, &res));
	ASSERT_EQ(1, recs.n);
	r = mxt_recs_find(&recs, path, &count);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(1, count);
	EXPECT_EQ(MODEXCL_READER_KERNEL_MODULE, r->reader);
	EXPECT_EQ(st.st_ino, r->ino);
	EXPECT_EQ(st.st_dev, r->dev);
	EXPECT_EQ(2, r->failed);
	EXPECT_EQ(0, r->loads);
	EXPECT_EQ(0, r->dup_concurrent);
	EXPECT_EQ(0, r->dup_serial);
	EXPECT_EQ(0, r->dup_read);
	EXPECT_EQ(0, r->bytes_wasted);
	EXPECT_EQ(0, r->bytes_avoided);
	EXPECT_NE(0, r->last_seen);
	EXPECT_STREQ("", r->module);
	unlink(path);
	mxt_recs_free(&recs);
	mxt_nl_close(&nl);
}

TEST(reset_drops_the_records)
{
	const char *path = SCRATCH "/reset";
	struct mxt_recs recs = {};
	struct mxt_nl_res res;
	struct mxt_nl nl;

	ASSERT_EQ(0, mxt_nl_open(&nl));
	mkdir(SCRATCH, 0700);
	ASSERT_EQ(0, mx_touch_record(path));
	ASSERT_EQ(0, mxt_nl_stats(&nl, &recs, &res));
	ASSERT_NE(NULL, mxt_recs_find(&recs, path, NULL));

	ASSERT_EQ(0, mxt_nl_reset(&nl, &res));
	ASSERT_EQ(0, mxt_nl_stats(&nl, &recs, &res));
	EXPECT_EQ(0, recs.n);
	unlink(path);
	mxt_recs_free(&recs);
	mxt_nl_close(&nl);
}

TEST_F_TIMEOUT(slow, dump_of_a_thousand_records_returns_each_once_across_many_skbs, SLOW_TEST_S)
{
	const int n = 1000;
	struct mxt_recs recs = {};
	struct mxt_nl_res res;
	char path[128];
	struct mxt_nl nl;
	struct mxt_rec *r;
	struct stat st;
	int i, count;

	ASSERT_EQ(0, mxt_nl_open(&nl));
	ASSERT_EQ(0, mxt_nl_reset(&nl, &res));
	ASSERT_EQ(0, make_records("many", n));

	ASSERT_EQ(0, mxt_nl_stats(&nl, &recs, &res));
	EXPECT_EQ(0, res.intr);
	ASSERT_EQ(n, recs.n);
	/* Far more than one dump skb (at most 32 KiB) holds. */
	EXPECT_GT(res.bytes, 64 * 1024);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), SCRATCH "/many-%d", i);
		r = mxt_recs_find(&recs, path, &count);
		ASSERT_NE(NULL, r) TH_LOG("no record for %s", path);
		ASSERT_EQ(1, count) TH_LOG("%s dumped %d times", path, count);
		ASSERT_EQ(0, stat(path, &st));
		EXPECT_EQ(st.st_ino, r->ino);
		EXPECT_EQ(1, r->failed);
		EXPECT_EQ(0, r->loads + r->dup_concurrent + r->dup_serial +
			  r->dup_read);
		unlink(path);
	}
	ASSERT_EQ(0, mxt_nl_reset(&nl, &res));
	mxt_recs_free(&recs);
	mxt_nl_close(&nl);
}

/*
 * A stats-get dump read with plain recv() and not parsed: what the kernel
 * and the copy to user space cost. The number of records, or -errno.
 */
static int raw_dump(int family)
{
	static char buf[65536];
	struct {
		struct nlmsghdr nlh;
		struct genlmsghdr g;
	} req = {
		.nlh.nlmsg_len = sizeof(req),
		.nlh.nlmsg_type = family,
		.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		.nlh.nlmsg_seq = 1,
		.g.cmd = MODEXCL_CMD_STATS_GET,
		.g.version = MODEXCL_FAMILY_VERSION,
	};
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd, n = 0, done = 0;
	struct nlmsghdr *nlh;
	ssize_t len;

	fd = mxt_nl_raw_open(0, 0);
	if (fd < 0)
		return fd;
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&sa,
		   sizeof(sa)) != sizeof(req)) {
		close(fd);
		return -EIO;
	}
	while (!done) {
		len = recv(fd, buf, sizeof(buf), 0);
		if (len <= 0) {
			n = -EIO;
			break;
		}
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_type == NLMSG_DONE ||
			    nlh->nlmsg_type == NLMSG_ERROR) {
				done = 1;
				break;
			}
			n++;
		}
	}
	close(fd);
	return n;
}

#define DUMP_TIME_MSG \
	"stats-get dump of %d records (%zu bytes): best %llu us, mean %llu us over %d\n"

/*
 * Dumps of a full table (1024 records, the default bound), parsed and raw,
 * each return every record. Their times are printed for the reader; the
 * time goal is the benchmark's (make bench, the records workload).
 */
TEST_F_TIMEOUT(slow, every_dump_of_a_full_table_returns_every_record, SLOW_TEST_S)
{
	const int n = 1024, rounds = 20;
	uint64_t t, best = UINT64_MAX, sum = 0, raw_best;
	struct mxt_recs recs = {};
	struct mxt_nl_res res;
	char path[128];
	struct mxt_nl nl;
	int i;

	ASSERT_EQ(0, mxt_nl_open(&nl));
	ASSERT_EQ(0, mxt_nl_reset(&nl, &res));
	ASSERT_EQ(0, make_records("time", n));
	for (i = 0; i < rounds; i++) {
		t = mx_now_ns();
		ASSERT_EQ(0, mxt_nl_stats(&nl, &recs, &res));
		t = mx_now_ns() - t;
		ASSERT_EQ(n, recs.n);
		best = t < best ? t : best;
		sum += t;
	}
	ksft_print_msg(DUMP_TIME_MSG, n, res.bytes, (unsigned long long)best / 1000,
		       (unsigned long long)sum / rounds / 1000, rounds);
	raw_best = UINT64_MAX;
	for (i = 0; i < rounds; i++) {
		t = mx_now_ns();
		ASSERT_EQ(n, raw_dump(nl.family));
		t = mx_now_ns() - t;
		raw_best = t < raw_best ? t : raw_best;
	}
	ksft_print_msg("the same dump read with recv() only, not parsed: best %llu us\n",
		       (unsigned long long)raw_best / 1000);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), SCRATCH "/time-%d", i);
		unlink(path);
	}
	ASSERT_EQ(0, mxt_nl_reset(&nl, &res));
	mxt_recs_free(&recs);
	mxt_nl_close(&nl);
}

/*
 * A dump while another task adds records to a full table, evicting the
 * oldest: no record comes twice, and every record still there once the
 * churn stopped (it existed for the whole dump) came exactly once.
 */
TEST_F_TIMEOUT(slow, dump_during_churn_is_flagged_repeats_none_misses_no_survivor, SLOW_TEST_S)
{
	const int n = 1024;
	struct mxt_recs mid = {}, after = {};
	int stop[2], i, count, survivors = 0;
	struct mxt_nl_res res, res_after;
	char path[128], c;
	struct mxt_nl nl;
	pid_t churn;
	size_t k;

	ASSERT_EQ(0, mxt_nl_open(&nl));
	ASSERT_EQ(0, mxt_nl_reset(&nl, &res));
	ASSERT_EQ(0, make_records("stable", n));
	ASSERT_EQ(0, pipe(stop));
	churn = fork();
	ASSERT_LE(0, churn);
	if (!churn) {
		struct pollfd pfd = { .fd = stop[0], .events = POLLIN };

		close(stop[1]);
		for (i = 0; !poll(&pfd, 1, 0); i++) {
			snprintf(path, sizeof(path), SCRATCH "/churn-%d", i);
			if (mx_touch_record(path))
				_exit(1);
		}
		_exit(0);
	}
	close(stop[0]);
	/* Let the churn start evicting first. */
	for (i = 0; i < 1000; i++) {
		snprintf(path, sizeof(path), SCRATCH "/churn-%d", 5);
		if (!access(path, F_OK))
			break;
		usleep(1000);
	}
	ASSERT_EQ(0, mxt_nl_stats(&nl, &mid, &res));
	c = 1;
	ASSERT_EQ(1, write(stop[1], &c, 1));
	ASSERT_EQ(churn, waitpid(churn, &i, 0));
	ASSERT_TRUE(WIFEXITED(i) && WEXITSTATUS(i) == 0);
	close(stop[1]);

	for (k = 0; k < mid.n; k++) {
		mxt_recs_find(&mid, mid.v[k].path, &count);
		ASSERT_EQ(1, count) TH_LOG("%s dumped %d times", mid.v[k].path,
					   count);
	}
	ASSERT_EQ(0, mxt_nl_stats(&nl, &after, &res_after));
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), SCRATCH "/stable-%d", i);
		if (!mxt_recs_find(&after, path, NULL))
			continue;
		survivors++;
		EXPECT_NE(NULL, mxt_recs_find(&mid, path, NULL))
			TH_LOG("%s was in the table all along but not dumped",
			       path);
	}
	ksft_print_msg("churn: %zu records dumped, %d stable survivors, NLM_F_DUMP_INTR %s\n",
		       mid.n, survivors, res.intr ? "set" : "not set");
	EXPECT_GT(survivors, 0);
	EXPECT_LT(survivors, n);
	EXPECT_TRUE(res.intr);

	ASSERT_EQ(0, mxt_nl_reset(&nl, &res));
	mxt_recs_free(&mid);
	mxt_recs_free(&after);
	mxt_nl_close(&nl);
}

/* The holder PID of the SLOW module's record as this task's dump shows it. */
static int slow_holder_pid(uint32_t *pid, char *comm, size_t len)
{
	struct mxt_recs recs = {};
	struct mxt_nl_res res;
	struct mxt_nl nl;
	struct mxt_rec *r;
	int ret;

	ret = mxt_nl_open(&nl);
	if (ret)
		return ret;
	ret = mxt_nl_stats(&nl, &recs, &res);
	if (!ret) {
		r = mxt_recs_find(&recs, mx_module_path(SLOW), NULL);
		if (!r) {
			ret = -ENOENT;
		} else {
			*pid = r->holder_pid;
			if (comm)
				snprintf(comm, len, "%s", r->holder_comm);
		}
	}
	mxt_recs_free(&recs);
	mxt_nl_close(&nl);
	return ret;
}

/* In a new PID namespace: fork a child that dumps; its exit status. */
static int dump_in_new_pidns(int (*fn)(void *), void *arg)
{
	pid_t helper, child;
	int status;

	helper = fork();
	if (helper < 0)
		return -1;
	if (!helper) {
		if (unshare(CLONE_NEWPID))
			_exit(100);
		child = fork();
		if (child < 0)
			_exit(101);
		if (!child)
			_exit(fn(arg));
		if (waitpid(child, &status, 0) != child || !WIFEXITED(status))
			_exit(102);
		_exit(WEXITSTATUS(status));
	}
	if (waitpid(helper, &status, 0) != helper || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Exit status 0 when the holder is invisible (pid 0) in this namespace. */
static int expect_holder_zero(void *arg)
{
	uint32_t pid = 1;

	if (slow_holder_pid(&pid, NULL, 0))
		return 10;
	return pid == 0 ? 0 : 11;
}

/*
 * The loader runs as PID 1 of a new PID namespace and stays alive; a
 * dumper it forks there sees PID 1, the test (initial namespace) sees
 * the loader's global PID, a dumper in an unrelated new namespace sees
 * 0, and everyone sees 0 once the loader is gone.
 */
TEST_F_TIMEOUT(slow, holder_pid_is_as_seen_from_the_dumpers_pid_namespace, SLOW_TEST_S)
{
	int to_loader[2], from_loader[2], status;
	char comm[32], msg[16];
	pid_t helper, loader = 0;
	struct mxt_nl_res res;
	struct mxt_nl nl;
	uint32_t pid;

	mx_unload(SLOW);
	ASSERT_STRNE("live", mx_initstate(SLOW));
	ASSERT_EQ(0, mxt_nl_open(&nl));
	ASSERT_EQ(0, mxt_nl_reset(&nl, &res));
	ASSERT_EQ(0, pipe(to_loader));
	ASSERT_EQ(0, pipe(from_loader));

	helper = fork();
	ASSERT_LE(0, helper);
	if (!helper) {
		pid_t child;

		close(to_loader[1]);
		close(from_loader[0]);
		if (unshare(CLONE_NEWPID))
			_exit(1);
		child = fork();
		if (child < 0)
			_exit(1);
		if (!child) {
			/* PID 1 of the new namespace: load, check, wait. */
			pid_t dumper;
			char c = 'x';
			int st;

			prctl(PR_SET_NAME, "mx-nsloader");
			if (mx_load(SLOW, "init_ms=0"))
				c = 'L';
			dumper = fork();
			if (!dumper) {
				uint32_t p = 0;

				if (slow_holder_pid(&p, NULL, 0))
					_exit(20);
				_exit(p == 1 ? 0 : 21);
			}
			if (c == 'x' &&
			    (waitpid(dumper, &st, 0) != dumper || !WIFEXITED(st) ||
			     WEXITSTATUS(st)))
				c = 'D';
			if (write(from_loader[1], &c, 1) != 1)
				_exit(1);
			if (read(to_loader[0], &c, 1) < 0)
				_exit(1);
			_exit(0);
		}
		if (write(from_loader[1], &child, sizeof(child)) != sizeof(child))
			_exit(1);
		waitpid(child, &status, 0);
		_exit(0);
	}
	close(to_loader[0]);
	close(from_loader[1]);
	ASSERT_EQ(sizeof(loader), read(from_loader[0], &loader, sizeof(loader)));
	ASSERT_EQ(1, read(from_loader[0], msg, 1));
	ASSERT_EQ('x', msg[0])
		TH_LOG("loader: %c (L: load failed, D: dump in the namespace did not see pid 1)",
		       msg[0]);

	ASSERT_EQ(0, slow_holder_pid(&pid, comm, sizeof(comm)));
	EXPECT_EQ(loader, pid);
	EXPECT_STREQ("mx-nsloader", comm);
	EXPECT_EQ(0, dump_in_new_pidns(expect_holder_zero, NULL));

	/* The loader goes: 0 everywhere. */
	close(to_loader[1]);
	ASSERT_EQ(helper, waitpid(helper, &status, 0));
	ASSERT_EQ(0, slow_holder_pid(&pid, NULL, 0));
	EXPECT_EQ(0, pid);
	close(from_loader[0]);
	EXPECT_EQ(0, mx_unload(SLOW));
	mxt_nl_close(&nl);
}

/* What the YNL client needs: its files (TEST_FILES) in the cwd, and python. */
static void ynl_cli_needs(struct __test_metadata *_metadata, char *dir, size_t len)
{
	ASSERT_NE(NULL, getcwd(dir, len));
	ASSERT_EQ(0, access("cli.py", R_OK));
	ASSERT_EQ(0, access("modexcl.yaml", R_OK));
	ASSERT_EQ(0, access("/usr/bin/python3", X_OK));
}

/*
 * Run the kernel's YNL client (cli.py) from @dir on the family's spec with
 * @args, its output (both streams) into @out; pclose()'s status.
 */
static int ynl_cli(struct __test_metadata *_metadata, const char *dir, const char *args,
		   char *out, size_t len)
{
	char cmd[1024];
	size_t n;
	FILE *f;

	snprintf(cmd, sizeof(cmd),
		 "/usr/bin/python3 %s/cli.py --spec %s/modexcl.yaml --schema %s/genetlink.yaml %s --output-json 2>&1",
		 dir, dir, dir, args);
	f = popen(cmd, "r");
	ASSERT_NE(NULL, f);
	n = fread(out, 1, len - 1, f);
	out[n] = '\0';
	return pclose(f);
}

/* The kernel's YNL client, from the spec, against this kernel. */
TEST_F_TIMEOUT(slow, ynl_cli_dumps_the_records_from_the_spec, SLOW_TEST_S)
{
	const char *path = SCRATCH "/cli";
	char dir[256], out[65536];
	struct mxt_nl_res res;
	struct mxt_nl nl;

	ynl_cli_needs(_metadata, dir, sizeof(dir));
	ASSERT_EQ(0, mxt_nl_open(&nl));
	ASSERT_EQ(0, mxt_nl_reset(&nl, &res));
	mkdir(SCRATCH, 0700);
	ASSERT_EQ(0, mx_touch_record(path));

	EXPECT_EQ(0, ynl_cli(_metadata, dir, "--dump stats-get", out, sizeof(out)))
		TH_LOG("cli.py: %s", out);
	EXPECT_NE(NULL, strstr(out, "\"path\": \"" SCRATCH "/cli\""))
		TH_LOG("cli.py: %s", out);
	EXPECT_NE(NULL, strstr(out, "\"reader\": \"kernel-module\""))
		TH_LOG("cli.py: %s", out);
	EXPECT_NE(NULL, strstr(out, "\"failed\": 1"))
		TH_LOG("cli.py: %s", out);

	unlink(path);
	ASSERT_EQ(0, mxt_nl_reset(&nl, &res));
	mxt_nl_close(&nl);
}

TEST_F_TIMEOUT(slow, ynl_cli_gets_the_policy_from_the_spec, SLOW_TEST_S)
{
	char dir[256], out[65536], want[64];

	ynl_cli_needs(_metadata, dir, sizeof(dir));
	EXPECT_EQ(0, ynl_cli(_metadata, dir, "--do policy-get --json '{\"reader\": 2}'",
			     out, sizeof(out)))
		TH_LOG("cli.py: %s", out);
	snprintf(want, sizeof(want), "\"mode\": \"%s\"", mx_policy_get("kernel-module"));
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("cli.py: %s", out);
}

TEST_HARNESS_MAIN
