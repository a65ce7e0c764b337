// SPDX-License-Identifier: GPL-2.0
/*
 * Stress: for a bounded time (MX_STRESS_SECONDS, 20 s by default) and a
 * bounded number of operations, processes run side by side:
 *   - loaders finit_module() _plain, _big, _slow (slow init and exit) and a
 *     copy of a test module on a private tmpfs, and unload them;
 *   - two modprobe workers load the dependent chain a <- b <- c through
 *     Debian's modprobe in lockstep rounds, one removes it after each round;
 *   - one flips the kernel-module and firmware policies through netlink,
 *     one through sysfs;
 *   - one dumps the records and resets them, one listens on "monitor";
 *   - one rewrites the copy: in place with the same or the other module's
 *     content, by rename, or by unlink and create.
 * Then: every call got a stock answer (never -ETXTBSY but for the file being
 * written, as stock), counters never exceed the attempts made, the table
 * stayed within modexcl.max_records, a quiet phase after a reset counts a
 * known sequence exactly, every module unloads, the tmpfs holding a loaded
 * module's file unmounts (no file reference kept), struct pid objects go
 * back to their level (where /proc/slabinfo shows them), and loads still
 * work. kmemleak is scanned by the runner after all tests.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "../kselftest_harness.h"
#include "modexcl_util.h"
#include "modexcl_nl.h"

#define PLAIN "modexcl_test_plain"
#define BIG "modexcl_test_big"
#define SLOW "modexcl_test_slow"
#define DEP_A "modexcl_test_dep_a"
#define DEP_B "modexcl_test_dep_b"
#define DEP_C "modexcl_test_dep_c"
#define MNT "/tmp/modexcl-stress"
#define COPY MNT "/copy.ko"
#define COPY_TMP MNT "/copy.tmp"
#define EMPTY MNT "/empty.ko"

#define DEFAULT_SECONDS 20
#define MAX_OPS 20000		/* per worker: the count bound */
#define LOADERS 3
#define MODPROBERS 2
#define MAXERR 160

/* What the loaders load: the copy is the file being rewritten. */
enum { T_PLAIN, T_BIG, T_SLOW, T_COPY, NT };
static const char *const t_names[NT] = { "plain", "big", "slow", "copy" };
static const char *const unload_names[] = { PLAIN, BIG, SLOW };

struct shared {
	atomic_int stop;
	atomic_int round_go;
	pthread_barrier_t bar;
	long attempts[NT];		/* finit_module() calls made */
	long res[NT][MAXERR];		/* by -errno, 0 for success */
	long open_fail[NT][MAXERR];	/* open() failures, by errno */
	long unloads, unload_res[MAXERR];
	long mp_rounds, mp_fail, mp_rm_fail;
	long pol_nl, pol_nl_bad, pol_nl_raced, pol_get_bad, pol_sysfs, pol_sysfs_bad;
	long dumps, dump_bad, intr, resets, reset_bad, max_recs;
	long events, enobufs, seq_bad, gaps;
	long rewrites, rewrite_txtbsy, rewrite_bad;
};

static struct shared *sh;

#define ADD(field, n) __sync_fetch_and_add(&(field), (n))

static char path_of[NT][256];
static const char *t_params[NT] = { "", "", "init_ms=20 exit_ms=20", "" };

/* Contents the rewriter puts in the copy: _plain's and _slow's. */
static char *content[2];
static size_t content_len[2];

static int read_whole(const char *path, char **buf, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*len = st.st_size;
	*buf = malloc(*len);
	if (!*buf || read(fd, *buf, *len) != (ssize_t)*len) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static int write_whole(const char *path, int flags, int which)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | flags, 0644);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (pwrite(fd, content[which], content_len[which], 0) != (ssize_t)content_len[which] ||
	    ftruncate(fd, content_len[which]))
		ret = -errno;
	close(fd);
	return ret;
}

static int idx(int err)
{
	err = err < 0 ? -err : err;
	return err < MAXERR ? err : MAXERR - 1;
}

static void loader(int i)
{
	for (int n = 0; n < MAX_OPS && !sh->stop; n++) {
		int t = mx_rnd() % NT, fd, ret;

		fd = open(path_of[t], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			ADD(sh->open_fail[t][idx(errno)], 1);
		} else {
			ADD(sh->attempts[t], 1);
			ret = syscall(__NR_finit_module, fd, t_params[t], 0) ? errno : 0;
			close(fd);
			ADD(sh->res[t][idx(ret)], 1);
		}
		if (mx_rnd() % 3 == 0) {
			ret = mx_unload(unload_names[mx_rnd() % 3]);
			ADD(sh->unloads, 1);
			ADD(sh->unload_res[idx(ret)], 1);
		}
	}
	(void)i;
}

static int modprobe(const char *op)
{
	const char *const load[] = { MX_MODPROBE, DEP_C, NULL };
	const char *const rm[] = { MX_MODPROBE, "-r", DEP_C, DEP_B, DEP_A, NULL };

	return mx_run(strcmp(op, "load") ? rm : load);
}

/* Lockstep rounds: all load the chain at once, then worker 0 removes it. */
static void modprober(int i)
{
	for (;;) {
		if (i == 0)
			sh->round_go = !sh->stop && sh->mp_rounds < MAX_OPS;
		pthread_barrier_wait(&sh->bar);
		if (!sh->round_go)
			break;
		if (modprobe("load"))
			ADD(sh->mp_fail, 1);
		pthread_barrier_wait(&sh->bar);
		if (i == 0) {
			if (modprobe("rm"))
				ADD(sh->mp_rm_fail, 1);
			ADD(sh->mp_rounds, 1);
		}
		pthread_barrier_wait(&sh->bar);
	}
}

static uint32_t random_policy(uint32_t *reader)
{
	*reader = mx_rnd() % 2 ? MODEXCL_READER_KERNEL_MODULE : MODEXCL_READER_FIRMWARE;
	return mx_rnd() % 3;
}

static void policy_nl(int i)
{
	struct mxt_policy out;
	struct mxt_nl_res res;
	struct mxt_nl nl;

	if (mxt_nl_open(&nl)) {
		ADD(sh->pol_nl_bad, 1);
		return;
	}
	for (int n = 0; n < MAX_OPS && !sh->stop; n++) {
		uint32_t reader, mode = random_policy(&reader);
		int want = reader == MODEXCL_READER_FIRMWARE && mode == MODEXCL_MODE_HOLD ?
			   -EINVAL : 0;
		int ret = mxt_nl_policy_set(&nl, reader, mode, &out, &res);

		ADD(sh->pol_nl, 1);
		if (ret != want || (!want && out.n != 1))
			ADD(sh->pol_nl_bad, 1);
		/* The reply shows the mode at reply time: the sysfs flipper may be first. */
		else if (!want && out.mode[reader] != mode)
			ADD(sh->pol_nl_raced, 1);
		if (n % 4 == 0 && (mxt_nl_policy_get(&nl, 0, &out, &res) || out.n != 6))
			ADD(sh->pol_get_bad, 1);
	}
	mxt_nl_close(&nl);
}

static void policy_sysfs(int i)
{
	for (int n = 0; n < MAX_OPS && !sh->stop; n++) {
		uint32_t reader, mode = random_policy(&reader);
		int want = reader == MODEXCL_READER_FIRMWARE && mode == MODEXCL_MODE_HOLD ?
			   -EINVAL : 0;

		ADD(sh->pol_sysfs, 1);
		if (mx_policy_set(mx_reader(reader), mx_modes[mode]) != want)
			ADD(sh->pol_sysfs_bad, 1);
	}
}

static void stats(int i)
{
	struct mxt_recs recs = {};
	struct mxt_nl_res res;
	struct mxt_nl nl;

	if (mxt_nl_open(&nl)) {
		ADD(sh->dump_bad, 1);
		return;
	}
	for (int n = 0; n < MAX_OPS && !sh->stop; n++) {
		ADD(sh->dumps, 1);
		if (mxt_nl_stats(&nl, &recs, &res))
			ADD(sh->dump_bad, 1);
		sh->intr += res.intr;
		if ((long)recs.n > sh->max_recs)
			sh->max_recs = recs.n;
		if (n % 3 == 2) {
			ADD(sh->resets, 1);
			if (mxt_nl_reset(&nl, &res))
				ADD(sh->reset_bad, 1);
		}
	}
	mxt_recs_free(&recs);
	mxt_nl_close(&nl);
}

static void monitor(int i)
{
	uint64_t last = 0;
	struct mxt_ntf ev;
	struct mxt_nl nl;
	int fd, ret;

	fd = mxt_nl_open(&nl) ? -1 : mxt_monitor_open(&nl, 1 << 20);
	if (fd < 0) {
		ADD(sh->seq_bad, 1);
		return;
	}
	while (!sh->stop && sh->events < 50 * MAX_OPS) {
		ret = mxt_monitor_next(fd, nl.family, &ev, 50);
		if (ret == -ENOBUFS) {
			sh->enobufs++;
			continue;
		}
		if (ret < 0) {
			sh->seq_bad++;
			break;
		}
		if (ret == 0)
			continue;
		sh->events++;
		if (ev.seq <= last)
			sh->seq_bad++;
		else if (last && ev.seq != last + 1)
			sh->gaps++;
		last = ev.seq;
	}
	close(fd);
	mxt_nl_close(&nl);
}

static void rewriter(int i)
{
	for (int n = 0; n < MAX_OPS && !sh->stop; n++) {
		int which = mx_rnd() % 2, ret;

		switch (mx_rnd() % 4) {
		case 0:
		case 1:	/* in place, as a package manager should not but may */
			ret = write_whole(COPY, 0, which);
			break;
		case 2:	/* a new inode renamed over the path */
			ret = write_whole(COPY_TMP, O_CREAT | O_TRUNC, which);
			if (!ret && rename(COPY_TMP, COPY))
				ret = -errno;
			break;
		default: /* unlink and create: loaders may see ENOENT */
			if (unlink(COPY) && errno != ENOENT) {
				ret = -errno;
				break;
			}
			ret = write_whole(COPY, O_CREAT | O_EXCL, which);
			break;
		}
		ADD(sh->rewrites, 1);
		if (ret == -ETXTBSY)	/* a load is reading it: stock */
			ADD(sh->rewrite_txtbsy, 1);
		else if (ret)
			ADD(sh->rewrite_bad, 1);
	}
}

static pid_t spawn(void (*fn)(int), int i, uint64_t seed)
{
	pid_t pid = fork();

	if (pid == 0) {
		mx_rnd_state = seed * 0x9e3779b97f4a7c15ULL + i + 1;
		fn(i);
		_exit(0);
	}
	return pid;
}

/* Active objects of a slab cache in /proc/slabinfo, -1 when not shown. */
static long slab_active(const char *cache)
{
	char line[512], name[64];
	long active, value = -1;
	FILE *f;

	/*
	 * SLUB counts the free objects of per-CPU slabs as active; shrinking
	 * the cache first flushes those slabs, so the count is exact (up to
	 * frees still waiting for an RCU grace period, which callers poll out).
	 */
	mx_slab_shrink(cache);
	f = fopen("/proc/slabinfo", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %ld", name, &active) == 2 && !strcmp(name, cache))
			value = active;
	fclose(f);
	return value;
}

/* Unload a module, polling while it is busy or going; 0 when it is gone. */
static int unload_all(const char *name)
{
	for (int i = 0; i < 1000; i++) {
		int ret = mx_unload(name);
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		if (ret == 0 || ret == -ENOENT)
			return mx_initstate(name)[0] ? -EBUSY : 0;
		nanosleep(&ts, NULL);
	}
	return -ETIMEDOUT;
}

static void unload_everything(struct __test_metadata *_metadata)
{
	static const char *const names[] = { PLAIN, BIG, SLOW, DEP_C, DEP_B, DEP_A };

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		EXPECT_EQ(0, unload_all(names[i]))
			TH_LOG("%s does not unload", names[i]);
	}
}

static uint64_t rec_sum(const struct mxt_rec *r)
{
	return r->loads + r->dup_concurrent + r->dup_serial + r->dup_read +
	       r->format_refused + r->failed;
}

FIXTURE(stress)
{
	char saved_module[32], saved_fw[32];
	int mounted;
};

FIXTURE_SETUP(stress)
{
	snprintf(self->saved_module, sizeof(self->saved_module), "%s",
		 mx_policy_get("kernel-module"));
	snprintf(self->saved_fw, sizeof(self->saved_fw), "%s", mx_policy_get("firmware"));
	ASSERT_STRNE("", self->saved_module);
	unload_everything(_metadata);
	mkdir(MNT, 0755);
	ASSERT_EQ(0, mount("tmpfs", MNT, "tmpfs", 0, "size=32m"));
	self->mounted = 1;
	ASSERT_EQ(0, read_whole(mx_module_path(PLAIN), &content[0], &content_len[0]));
	ASSERT_EQ(0, read_whole(mx_module_path(SLOW), &content[1], &content_len[1]));
	ASSERT_EQ(0, write_whole(COPY, O_CREAT | O_TRUNC, 0));
	snprintf(path_of[T_PLAIN], sizeof(path_of[0]), "%s", mx_module_path(PLAIN));
	snprintf(path_of[T_BIG], sizeof(path_of[0]), "%s", mx_module_path(BIG));
	snprintf(path_of[T_SLOW], sizeof(path_of[0]), "%s", mx_module_path(SLOW));
	snprintf(path_of[T_COPY], sizeof(path_of[0]), "%s", COPY);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	memset(sh, 0, sizeof(*sh));
}

FIXTURE_TEARDOWN(stress)
{
	if (sh)
		sh->stop = 1;
	unload_everything(_metadata);
	if (self->mounted)
		umount2(MNT, MNT_DETACH);
	mx_policy_set("kernel-module", self->saved_module);
	mx_policy_set("firmware", self->saved_fw);
}

/* Wait for the workers; kill them if they do not stop within @secs. */
static int reap(pid_t *pids, int n, int secs)
{
	int status, bad = 0, left = 0;
	uint64_t end = mx_now_ns() + secs * 1000000000ULL;

	for (int i = 0; i < n; i++)
		left += pids[i] > 0;
	while (left) {
		pid_t pid = waitpid(-1, &status, WNOHANG);
		struct timespec ts = { 0, 20 * 1000 * 1000 };

		if (pid > 0) {
			for (int i = 0; i < n; i++)
				if (pids[i] == pid) {
					pids[i] = 0;
					left--;
					bad += !WIFEXITED(status) || WEXITSTATUS(status);
				}
			continue;
		}
		if (pid < 0)
			break;
		if (mx_now_ns() > end) {
			for (int i = 0; i < n; i++)
				if (pids[i] > 0)
					kill(pids[i], SIGKILL);
			return -1;
		}
		nanosleep(&ts, NULL);
	}
	return bad;
}

#define SUMMARY_MSG								\
	"stress: %d s asked, %llu ms run; %ld operations: %ld unloads (%ld ok), "	\
	"%ld modprobe rounds x %d loaders + removal, "					\
	"%ld netlink (%ld replies showing a later change) and %ld sysfs policy sets, "	\
	"%ld dumps (%ld interrupted, max %ld records of %ld), %ld resets, "		\
	"%ld rewrites (%ld ETXTBSY while loading), %ld events (%ld ENOBUFS, %ld gaps)\n"

TEST_F_TIMEOUT(stress, everything_at_once_then_exact_counts_and_nothing_leaked, 900)
{
	const char *env = getenv("MX_STRESS_SECONDS");
	int secs = env ? atoi(env) : DEFAULT_SECONDS;
	long max_records = mx_read_number(MX_MAX_RECORDS), pid_before, pid_after = -1;
	const char *seed_env = getenv("MX_STRESS_SEED");
	uint64_t seed = seed_env ? strtoull(seed_env, NULL, 0) : 6;
	struct mxt_recs recs = {};
	pthread_barrierattr_t ba;
	struct mxt_nl_res res;
	struct mxt_nl nl;
	pid_t pids[16];
	int n = 0, unexpected = 0;
	uint64_t start, elapsed_ms, total = 0;
	struct mxt_rec *p, *e;
	int nrec = 0;
	long ops;

	ASSERT_LT(0, max_records) TH_LOG("no /sys/module/modexcl/parameters/max_records");
	ASSERT_EQ(0, mxt_nl_open(&nl));
	ASSERT_EQ(0, mxt_nl_reset(&nl, &res));
	pid_before = slab_active("pid");

	pthread_barrierattr_init(&ba);
	pthread_barrierattr_setpshared(&ba, PTHREAD_PROCESS_SHARED);
	ASSERT_EQ(0, pthread_barrier_init(&sh->bar, &ba, MODPROBERS));

	start = mx_now_ns();
	for (int i = 0; i < LOADERS; i++)
		pids[n++] = spawn(loader, i, seed);
	for (int i = 0; i < MODPROBERS; i++)
		pids[n++] = spawn(modprober, i, seed);
	pids[n++] = spawn(policy_nl, 0, seed);
	pids[n++] = spawn(policy_sysfs, 0, seed);
	pids[n++] = spawn(monitor, 0, seed);
	pids[n++] = spawn(rewriter, 0, seed);
	pids[n++] = spawn(stats, 0, seed);
	for (int i = 0; i < n; i++) {
		/* Braced: the harness's ASSERT and EXPECT are two statements. */
		ASSERT_LT(0, pids[i]);
	}

	/* The duration bound; the workers also stop by themselves at MAX_OPS. */
	while (mx_now_ns() - start < secs * 1000000000ULL) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		int status;
		pid_t done = waitpid(-1, &status, WNOHANG);

		if (done > 0) {
			for (int i = 0; i < n; i++)
				if (pids[i] == done) {
					pids[i] = 0;
					EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
				}
			continue;
		}
		if (done < 0)	/* every worker is done */
			break;
		nanosleep(&ts, NULL);
	}
	sh->stop = 1;
	EXPECT_EQ(0, reap(pids, n, 300)) TH_LOG("workers failed or did not stop");
	elapsed_ms = (mx_now_ns() - start) / 1000000;

	/* Every finit_module() got a stock answer. */
	for (int t = 0; t < NT; t++) {
		char line[1024];
		int len = 0;

		for (int e = 0; e < MAXERR; e++) {
			/*
			 * -EBUSY: stock's answer while the same name is going.
			 * The copy: -ETXTBSY while the rewriter has it open,
			 * -EINVAL when read between its creation and its write.
			 */
			int ok = e == 0 || e == EEXIST || e == EBUSY ||
				 (t == T_COPY && (e == ETXTBSY || e == EINVAL));

			if (sh->open_fail[t][e] && !(t == T_COPY && e == ENOENT)) {
				unexpected++;
				TH_LOG("UNEXPECTED: %ld opens of %s got %s",
				       sh->open_fail[t][e], t_names[t], strerror(e));
			}
			if (!sh->res[t][e])
				continue;
			len += snprintf(line + len, sizeof(line) - len, " %s=%ld",
					e ? strerror(e) : "ok", sh->res[t][e]);
			if (!ok) {
				unexpected++;
				TH_LOG("UNEXPECTED: %ld loads of %s got -%d (%s)",
				       sh->res[t][e], t_names[t], e, strerror(e));
			}
		}
		ksft_print_msg("stress: %s: %ld loads:%s; %ld opens of a missing file\n",
			       t_names[t], sh->attempts[t], line, sh->open_fail[t][ENOENT]);
		/* The copy is mostly busy being rewritten: tried is enough. */
		if (t == T_COPY) {
			EXPECT_LT(0, sh->attempts[t]);
		} else {
			EXPECT_LT(0, sh->res[t][0])
				TH_LOG("%s never loaded", t_names[t]);
		}
	}
	for (int e = 1; e < MAXERR; e++)
		if (sh->unload_res[e] && e != ENOENT && e != EAGAIN && e != EBUSY) {
			unexpected++;
			TH_LOG("UNEXPECTED: %ld unloads got %s", sh->unload_res[e], strerror(e));
		}
	EXPECT_EQ(0, unexpected);
	EXPECT_EQ(0, sh->mp_fail);
	EXPECT_EQ(0, sh->mp_rm_fail);
	EXPECT_LT(0, sh->mp_rounds);
	EXPECT_EQ(0, sh->pol_nl_bad);
	EXPECT_EQ(0, sh->pol_get_bad);
	EXPECT_EQ(0, sh->pol_sysfs_bad);
	EXPECT_EQ(0, sh->dump_bad);
	EXPECT_EQ(0, sh->reset_bad);
	EXPECT_GE(max_records, sh->max_recs) TH_LOG("the table outgrew its bound");
	EXPECT_EQ(0, sh->seq_bad) TH_LOG("notifications out of sequence");
	EXPECT_LT(0, sh->events);
	EXPECT_EQ(0, sh->rewrite_bad);
	EXPECT_LT(0, sh->rewrites);

	ops = sh->unloads + sh->mp_rounds * (MODPROBERS + 1) + sh->pol_nl + sh->pol_sysfs +
	      sh->dumps + sh->resets + sh->rewrites;
	for (int t = 0; t < NT; t++)
		ops += sh->attempts[t];
	ksft_print_msg(SUMMARY_MSG,
		       secs, (unsigned long long)elapsed_ms, ops, sh->unloads, sh->unload_res[0],
		       sh->mp_rounds, MODPROBERS,
		       sh->pol_nl, sh->pol_nl_raced, sh->pol_sysfs,
		       sh->dumps, sh->intr, sh->max_recs, max_records, sh->resets,
		       sh->rewrites, sh->rewrite_txtbsy, sh->events, sh->enobufs, sh->gaps);

	/*
	 * With resets in between, a record can only count fewer attempts
	 * than were made on its file since the first reset (the copy's path
	 * had many inodes: sum them).
	 */
	ASSERT_EQ(0, mxt_nl_stats(&nl, &recs, &res));
	EXPECT_GE(max_records, (long)recs.n);
	for (int t = 0; t < NT; t++) {
		uint64_t sum = 0, loads = 0;

		for (size_t i = 0; i < recs.n; i++)
			if (!strcmp(recs.v[i].path, path_of[t])) {
				sum += rec_sum(&recs.v[i]);
				loads += recs.v[i].loads;
			}
		EXPECT_GE((uint64_t)sh->attempts[t], sum)
			TH_LOG("%s: counted more than tried", t_names[t]);
		EXPECT_GE((uint64_t)sh->res[t][0], loads)
			TH_LOG("%s: more loads than successes", t_names[t]);
	}

	/* Quiet phase: a reset, then a known sequence, counted exactly. */
	mx_policy_set("kernel-module", "shared");
	unload_everything(_metadata);
	ASSERT_EQ(0, mx_policy_set("kernel-module", "hold"));
	ASSERT_EQ(0, mxt_nl_reset(&nl, &res));
	ASSERT_EQ(0, mx_load(PLAIN, ""));
	for (int i = 0; i < 3; i++) {
		/* Braced, as above. */
		EXPECT_EQ(-EEXIST, mx_load(PLAIN, ""));
	}
	ASSERT_EQ(0, mx_unload(PLAIN));
	ASSERT_EQ(0, mx_policy_set("kernel-module", "shared"));
	ASSERT_EQ(0, mx_load(PLAIN, ""));
	for (int i = 0; i < 2; i++) {
		/* Braced, as above. */
		EXPECT_EQ(-EEXIST, mx_load(PLAIN, ""));
	}
	ASSERT_EQ(0, mx_unload(PLAIN));
	ASSERT_EQ(0, mx_make_empty(EMPTY));
	EXPECT_EQ(-EINVAL, mx_finit_path(EMPTY, "", 0));
	ASSERT_EQ(0, mxt_nl_stats(&nl, &recs, &res));
	p = mxt_recs_find(&recs, path_of[T_PLAIN], NULL);
	e = mxt_recs_find(&recs, EMPTY, NULL);
	ASSERT_NE(NULL, p);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(2, p->loads);
	EXPECT_EQ(3, p->dup_serial);
	EXPECT_EQ(2, p->dup_read);
	EXPECT_EQ(0, p->dup_concurrent);
	EXPECT_EQ(0, p->failed);
	EXPECT_EQ(1, e->failed);
	EXPECT_EQ(1, rec_sum(e));
	for (size_t i = 0; i < recs.n; i++)
		if (recs.v[i].reader == MODEXCL_READER_KERNEL_MODULE) {
			total += rec_sum(&recs.v[i]);
			nrec++;
		}
	EXPECT_EQ(8, total) TH_LOG("module attempts after the reset: 8 made");
	EXPECT_EQ(2, nrec);
	ksft_print_msg("stress: quiet phase: %d module records, %llu attempts counted of 8 made\n",
		       nrec, (unsigned long long)total);

	/* No file reference kept: the tmpfs of a loaded module's file unmounts. */
	ASSERT_EQ(0, mx_policy_set("kernel-module", "hold"));
	ASSERT_EQ(0, write_whole(COPY, O_CREAT | O_TRUNC, 0));
	ASSERT_EQ(0, mx_finit_path(COPY, "", 0));
	EXPECT_EQ(-EEXIST, mx_finit_path(COPY, "", 0));
	EXPECT_EQ(0, umount(MNT)) TH_LOG("umount: %s", strerror(errno));
	self->mounted = 0;
	EXPECT_EQ(0, mx_unload(PLAIN));

	/* The system still loads and unloads normally. */
	ASSERT_EQ(0, mx_load(BIG, ""));
	EXPECT_EQ(-EEXIST, mx_load(BIG, ""));
	EXPECT_EQ(0, mx_unload(BIG));
	EXPECT_EQ(0, modprobe("load"));
	EXPECT_STREQ("live", mx_initstate(DEP_C));
	EXPECT_EQ(0, modprobe("rm"));
	unload_everything(_metadata);

	/* No struct pid kept: records and claims are gone after a reset. */
	ASSERT_EQ(0, mxt_nl_reset(&nl, &res));
	if (pid_before >= 0) {
		for (int i = 0; i < 500; i++) {
			struct timespec ts = { 0, 20 * 1000 * 1000 };

			pid_after = slab_active("pid");
			if (pid_after <= pid_before + 16)
				break;
			nanosleep(&ts, NULL);
		}
		ksft_print_msg("stress: struct pid objects: %ld before, %ld after\n",
			       pid_before, pid_after);
		EXPECT_GE(pid_before + 16, pid_after) TH_LOG("struct pid leaked");
	} else {
		ksft_print_msg("stress: no pid cache in /proc/slabinfo (no SLUB_DEBUG or merged); "
			       "leaks left to kmemleak\n");
	}
	mxt_recs_free(&recs);
	mxt_nl_close(&nl);
}

TEST_HARNESS_MAIN
