// SPDX-License-Identifier: GPL-2.0
/*
 * The modexcl monitor group: a storm of concurrent and serial duplicate
 * loads is announced once per duplicate, with its kind, its caller (pid,
 * comm, parent, uid, cgroup) and the kernel's time, and the record names
 * its last caller; a joiner shows in its record's waiting count while it
 * waits; policy changes and resets say who made them and when; a listener
 * that stops reading sees ENOBUFS and a gap in the sequence numbers while
 * the record counters stay exact; and the cost of a duplicate with one
 * listener and with none.
 */
#define _GNU_SOURCE

#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>

#include "../kselftest_harness.h"
#include "modexcl_util.h"
#include "modexcl_nl.h"

#define PLAIN "modexcl_test_plain"
#define SLOW "modexcl_test_slow"
#define NTF_TIMEOUT_MS 5000

FIXTURE(events) {
	struct mxt_nl nl;
	char mode[16];
};

FIXTURE_SETUP(events)
{
	struct mxt_nl_res res;

	snprintf(self->mode, sizeof(self->mode), "%s",
		 mx_policy_get("kernel-module"));
	ASSERT_EQ(0, mx_policy_set("kernel-module", "hold"));
	mx_unload(PLAIN);
	mx_unload(SLOW);
	ASSERT_EQ(0, mxt_nl_open(&self->nl));
	ASSERT_EQ(0, mxt_nl_reset(&self->nl, &res));
}

FIXTURE_TEARDOWN(events)
{
	mx_unload(PLAIN);
	mx_unload(SLOW);
	mx_policy_set("kernel-module", self->mode);
	mxt_nl_close(&self->nl);
}

static uint64_t boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * Id of this task's cgroup v2 cgroup: the st_ino of its directory in a
 * cgroup2 mount (a private one if /sys/fs/cgroup is not cgroup2); 0 when
 * the kernel has no cgroups. /proc/self/cgroup names the cgroup v2 cgroup
 * only once cgroup2 has been mounted, so mount first, then read it.
 */
static uint64_t my_cgroup_id(void)
{
	char line[512], dir[] = "/tmp/mx-cgroup2-XXXXXX", path[1024];
	const char *root = "/sys/fs/cgroup", *rel = NULL;
	struct statfs sfs;
	struct stat st;
	uint64_t id = 0;
	int own = 0;
	FILE *f;

	if (statfs(root, &sfs) || sfs.f_type != CGROUP2_SUPER_MAGIC) {
		if (!mkdtemp(dir) || mount("cgroup2", dir, "cgroup2", 0, NULL)) {
			ksft_print_msg("cannot mount cgroup2 on %s: %s\n", dir,
				       strerror(errno));
			rmdir(dir);
			return 0;
		}
		root = dir;
		own = 1;
	}
	f = fopen("/proc/self/cgroup", "r");
	while (f && !rel && fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3))
			rel = line + 3;
	if (f)
		fclose(f);
	if (rel) {
		line[strcspn(line, "\n")] = '\0';
		snprintf(path, sizeof(path), "%s%s", root, rel);
		if (!stat(path, &st))
			id = st.st_ino;
	}
	if (!id)
		ksft_print_msg("no cgroup v2 directory for this task under %s\n", root);
	if (own) {
		umount(dir);
		rmdir(dir);
	}
	return id;
}

/* @t is @child, a child of this task, in @cgroup, as the kernel saw it. */
static void expect_my_child(struct __test_metadata *_metadata,
			    const struct mxt_task *t, pid_t child, uint64_t cgroup)
{
	char comm[16] = "";

	prctl(PR_GET_NAME, comm);
	EXPECT_EQ((uint32_t)child, t->pid);
	EXPECT_STREQ(comm, t->comm);
	EXPECT_EQ((uint32_t)getpid(), t->ppid);
	EXPECT_STREQ(comm, t->parent_comm);
	EXPECT_EQ(getuid(), t->uid);
	EXPECT_EQ(cgroup, t->cgroup);
}

static struct mxt_rec *record_of(struct mxt_nl *nl, struct mxt_recs *recs,
				 const char *module)
{
	struct mxt_nl_res res;

	if (mxt_nl_stats(nl, recs, &res))
		return NULL;
	return mxt_recs_find(recs, mx_module_path(module), NULL);
}

#define STORM 6

/*
 * SLOW loads with a long init; STORM children load it at once while it
 * is COMING (they join it: concurrent, 0) and STORM more one by one after
 * it is live (hold refuses them: serial, -EEXIST). Each child is announced
 * once, with its PID and the kind its result implies.
 */
TEST_F_TIMEOUT(events, storm_duplicates_are_announced_once_each_with_kind_and_pid, 300)
{
	pid_t winner, kids[2 * STORM];
	int rets[2 * STORM], seen[2 * STORM] = {};
	int go[2], mon, i, status, n_conc = 0, n_serial = 0;
	uint64_t last_seq = 0, t0, t1, cgroup = my_cgroup_id();
	struct mxt_recs recs = {};
	struct mxt_ntf ev;
	struct mxt_rec *r;
	struct stat st;
	char c;

	ASSERT_EQ(0, stat(mx_module_path(SLOW), &st));
	t0 = boottime_ns();
	mon = mxt_monitor_open(&self->nl, 1 << 20);
	ASSERT_LE(0, mon);

	winner = fork();
	ASSERT_LE(0, winner);
	if (!winner)
		_exit(mx_load(SLOW, "init_ms=3000") ? 1 : 0);
	ASSERT_EQ(0, mx_wait_initstate(SLOW, "coming", 10000));
	ASSERT_EQ(0, pipe(go));

	/* The joiners start together, on one signal. */
	for (i = 0; i < STORM; i++) {
		kids[i] = fork();
		ASSERT_LE(0, kids[i]);
		if (!kids[i]) {
			close(go[1]);
			if (read(go[0], &c, 1) != 0)
				_exit(99);
			_exit(-mx_load(SLOW, ""));
		}
	}
	close(go[0]);
	close(go[1]);
	for (i = 0; i < STORM; i++) {
		ASSERT_EQ(kids[i], waitpid(kids[i], &status, 0));
		ASSERT_TRUE(WIFEXITED(status));
		rets[i] = -WEXITSTATUS(status);
	}
	ASSERT_EQ(winner, waitpid(winner, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_STREQ("live", mx_initstate(SLOW));
	/* One after the other: two at once would join each other. */
	for (i = STORM; i < 2 * STORM; i++) {
		kids[i] = fork();
		ASSERT_LE(0, kids[i]);
		if (!kids[i])
			_exit(-mx_load(SLOW, ""));
		ASSERT_EQ(kids[i], waitpid(kids[i], &status, 0));
		rets[i] = -WEXITSTATUS(status);
		EXPECT_EQ(-EEXIST, rets[i]);
	}
	t1 = boottime_ns();

	while (mxt_monitor_next(mon, self->nl.family, &ev, 500) > 0) {
		if (ev.cmd != MODEXCL_CMD_DUP_NTF)
			continue;
		EXPECT_GT(ev.seq, last_seq);
		last_seq = ev.seq;
		for (i = 0; i < 2 * STORM; i++) {
			if (ev.pid != (uint32_t)kids[i])
				continue;
			seen[i]++;
			EXPECT_EQ(MODEXCL_READER_KERNEL_MODULE, ev.reader);
			EXPECT_STREQ(SLOW, ev.module);
			EXPECT_STREQ(mx_module_path(SLOW), ev.path);
			EXPECT_EQ(st.st_ino, ev.ino);
			EXPECT_EQ(st.st_size, ev.bytes);
			expect_my_child(_metadata, &ev.task, kids[i], cgroup);
			EXPECT_LE(t0, ev.time_ns);
			EXPECT_GE(t1, ev.time_ns);
			if (rets[i] == 0) {
				EXPECT_EQ(MODEXCL_DUP_KIND_CONCURRENT, ev.kind);
				n_conc++;
			} else {
				EXPECT_EQ(-EEXIST, rets[i]);
				EXPECT_EQ(MODEXCL_DUP_KIND_SERIAL, ev.kind);
				n_serial++;
			}
		}
	}
	for (i = 0; i < 2 * STORM; i++) {
		int pid = kids[i], ret = rets[i], n = seen[i];

		EXPECT_EQ(1, n) TH_LOG("child %d (pid %d, ret %d): %d dup-ntf",
				       i, pid, ret, n);
	}
	/* The joiners started while the winner slept in its init. */
	EXPECT_GE(n_conc, 1);
	EXPECT_GE(n_serial, STORM);
	r = record_of(&self->nl, &recs, SLOW);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(1, r->loads);
	EXPECT_EQ(n_conc, r->dup_concurrent);
	EXPECT_EQ(n_serial, r->dup_serial);
	/* The last duplicate was the last serial child's. */
	expect_my_child(_metadata, &r->last_caller, kids[2 * STORM - 1], cgroup);
	EXPECT_EQ(0, r->waiting);
	mxt_recs_free(&recs);
	close(mon);
}

/*
 * A joiner waits for SLOW's init: its record counts it in waiting until it
 * returns, and only then in dup-concurrent.
 */
TEST_F_TIMEOUT(events, waiting_joiner_shows_in_its_record_until_it_returns, 300)
{
	uint64_t deadline = mx_now_ns() + 10000000000ULL;
	struct mxt_recs recs = {};
	pid_t winner, joiner;
	struct mxt_rec *r;
	int status;

	winner = fork();
	ASSERT_LE(0, winner);
	if (!winner)
		_exit(mx_load(SLOW, "init_ms=3000") ? 1 : 0);
	ASSERT_EQ(0, mx_wait_initstate(SLOW, "coming", 10000));
	joiner = fork();
	ASSERT_LE(0, joiner);
	if (!joiner)
		_exit(-mx_load(SLOW, ""));

	do {
		r = record_of(&self->nl, &recs, SLOW);
		if (r && r->waiting)
			break;
		usleep(20000);
	} while (mx_now_ns() < deadline && !strcmp("coming", mx_initstate(SLOW)));
	ASSERT_NE(NULL, r);
	EXPECT_EQ(1, r->waiting);
	EXPECT_EQ(0, r->dup_concurrent);

	ASSERT_EQ(joiner, waitpid(joiner, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(winner, waitpid(winner, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	r = record_of(&self->nl, &recs, SLOW);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(0, r->waiting);
	EXPECT_EQ(1, r->dup_concurrent);
	EXPECT_EQ((uint32_t)joiner, r->last_caller.pid);
	mxt_recs_free(&recs);
}

/* What a policy-ntf or stats-reset-ntf must say about its actor. */
static void expect_actor_is_me(struct __test_metadata *_metadata,
			       const struct mxt_ntf *ev, uint64_t t0, uint64_t t1)
{
	char comm[16] = "";

	prctl(PR_GET_NAME, comm);
	EXPECT_EQ((uint32_t)getpid(), ev->task.pid);
	EXPECT_STREQ(comm, ev->task.comm);
	EXPECT_EQ((uint32_t)getppid(), ev->task.ppid);
	EXPECT_EQ(getuid(), ev->task.uid);
	EXPECT_LE(t0, ev->time_ns);
	EXPECT_GE(t1, ev->time_ns);
}

/* A change through sysfs, one through netlink, a reset: each names this task. */
TEST_F_TIMEOUT(events, policy_changes_and_resets_name_their_actor_and_time, 60)
{
	static const int want[] = {
		MODEXCL_CMD_POLICY_NTF, MODEXCL_CMD_POLICY_NTF,
		MODEXCL_CMD_STATS_RESET_NTF,
	};
	struct mxt_nl_res res;
	struct mxt_policy pol;
	uint64_t t0, t1, last_seq = 0;
	struct mxt_ntf ev;
	int mon, i;

	mon = mxt_monitor_open(&self->nl, 1 << 20);
	ASSERT_LE(0, mon);
	t0 = boottime_ns();
	ASSERT_EQ(0, mx_policy_set("kernel-module", "exclusive"));
	ASSERT_EQ(0, mxt_nl_policy_set(&self->nl, MODEXCL_READER_KERNEL_MODULE,
				       MODEXCL_MODE_HOLD, &pol, &res));
	ASSERT_EQ(0, mxt_nl_reset(&self->nl, &res));
	t1 = boottime_ns();

	for (i = 0; i < (int)ARRAY_SIZE(want); i++) {
		ASSERT_EQ(1, mxt_monitor_next(mon, self->nl.family, &ev, NTF_TIMEOUT_MS));
		ASSERT_EQ(want[i], ev.cmd);
		EXPECT_GT(ev.seq, last_seq);
		last_seq = ev.seq;
		expect_actor_is_me(_metadata, &ev, t0, t1);
	}
	close(mon);
}

#define FLOOD 300

/* Serial duplicates from this task; the number that got -EEXIST. */
static int serial_dups(int n)
{
	int i, got = 0;

	for (i = 0; i < n; i++)
		got += mx_load(PLAIN, "") == -EEXIST;
	return got;
}

#define OVERFLOW_MSG \
	"listener overflow: %d of %d notifications read, %d ENOBUFS, next seq %llu after %llu\n"

TEST_F_TIMEOUT(events, overflowed_listener_gets_enobufs_and_a_gap_while_counts_stay_exact, 300)
{
	uint64_t first = 0, last = 0, gaps = 0;
	int mon, ret, got = 0, enobufs = 0;
	struct mxt_recs recs = {};
	struct mxt_ntf ev;
	struct mxt_rec *r;

	ASSERT_EQ(0, mx_load(PLAIN, ""));
	/* The smallest receive buffer: a few notifications fill it. */
	mon = mxt_monitor_open(&self->nl, 1);
	ASSERT_LE(0, mon);
	ASSERT_EQ(FLOOD, serial_dups(FLOOD));

	/* Now read: ENOBUFS first, then what fit, in order. */
	while ((ret = mxt_monitor_next(mon, self->nl.family, &ev, 500)) != 0) {
		if (ret == -ENOBUFS) {
			enobufs++;
			continue;
		}
		ASSERT_LT(0, ret);
		if (ev.cmd != MODEXCL_CMD_DUP_NTF)
			continue;
		if (!first)
			first = ev.seq;
		else if (ev.seq != last + 1)
			gaps++;
		EXPECT_GT(ev.seq, last);
		last = ev.seq;
		got++;
	}
	EXPECT_GE(enobufs, 1);
	EXPECT_LT(got, FLOOD);
	/* One more duplicate: its number shows what was missed. */
	ASSERT_EQ(1, serial_dups(1));
	ASSERT_EQ(1, mxt_monitor_next(mon, self->nl.family, &ev, NTF_TIMEOUT_MS));
	ASSERT_EQ(MODEXCL_CMD_DUP_NTF, ev.cmd);
	if (first)
		EXPECT_GT(ev.seq - first, (uint64_t)got);
	ksft_print_msg(OVERFLOW_MSG, got, FLOOD + 1, enobufs, (unsigned long long)ev.seq,
		       (unsigned long long)last);

	/* The counters missed nothing. */
	r = record_of(&self->nl, &recs, PLAIN);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(1, r->loads);
	EXPECT_EQ(FLOOD + 1, r->dup_serial);
	EXPECT_EQ(0, r->dup_read);
	mxt_recs_free(&recs);
	close(mon);
}

/* The time of one serial duplicate, in ns, over @n. */
static uint64_t dup_cost(int n)
{
	uint64_t t = mx_now_ns();

	if (serial_dups(n) != n)
		return 0;
	return (mx_now_ns() - t) / n;
}

#define DUP_COST_MSG \
	"serial duplicate under hold: %llu ns with no listener, %llu ns with one listener\n"

TEST_F_TIMEOUT(events, hold_refuses_serial_duplicates_and_announces_each_once, 300)
{
	const int n = 200, rounds = 3;
	uint64_t none = UINT64_MAX, one = UINT64_MAX, t;
	int mon, i, drained;

	ASSERT_EQ(0, mx_load(PLAIN, ""));
	for (i = 0; i < rounds; i++) {
		t = dup_cost(n);
		ASSERT_NE(0, t);
		none = t < none ? t : none;

		mon = mxt_monitor_open(&self->nl, 4 << 20);
		ASSERT_LE(0, mon);
		t = dup_cost(n);
		ASSERT_NE(0, t);
		one = t < one ? t : one;
		drained = mxt_monitor_drain(mon, self->nl.family);
		close(mon);
		EXPECT_EQ(n, drained);
	}
	ksft_print_msg(DUP_COST_MSG, (unsigned long long)none, (unsigned long long)one);
}

TEST_HARNESS_MAIN
