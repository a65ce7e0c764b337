// SPDX-License-Identifier: GPL-2.0
/*
 * init_module() of a buffer, the path of Debian 12's kmod 30 and of busybox
 * with compressed modules. Under hold (and exclusive) concurrent calls with
 * one image are merged: one loads it, the others wait and get stock's
 * -EEXIST without copying the image (MODULE_STATS' wasted bytes stay);
 * under shared each copies it, as stock does. When the load fails, the
 * calls that joined it get stock's -EBUSY; a waiter killed leaves at once;
 * an image one byte apart is another image. Under hold a serial call with
 * the image of a live module gets stock's -EEXIST without a copy. Every
 * call is counted in its module's "[init_module]" record. A compressed file
 * offered to finit_module() without the flag is a format refusal. A .ko.xz
 * on ext4, as Debian installs it, stormed through finit_module() with
 * MODULE_INIT_COMPRESSED_FILE and through the host's kmod 30 insmod
 * (init_module()), is loaded once and costs nothing more under hold.
 * Each record says whether a hold claim covers it, or cannot (ramfs).
 */
#define _GNU_SOURCE
#include <linux/module.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "modexcl_util.h"
#include "modexcl_nl.h"

#define SLOW "modexcl_test_slow"
#define CALLS 8
#define IMAGE_PATH "[init_module]"
/* As the kernel's modules_install compresses: the kernel's xz checks CRC32. */
#define XZ "xz --check=crc32 --lzma2=dict=1MiB"

FIXTURE(image)
{
	char saved_mode[32];
	char *buf;
	size_t len;
	long long wasted;
};

static char *read_whole(const char *path, size_t *len)
{
	struct stat st;
	char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	buf = fstat(fd, &st) ? NULL : malloc(st.st_size);
	if (!buf) {
		close(fd);
		return NULL;
	}
	*len = read(fd, buf, st.st_size);
	close(fd);
	if (*len != (size_t)st.st_size) {
		free(buf);
		return NULL;
	}
	return buf;
}

FIXTURE_SETUP(image)
{
	snprintf(self->saved_mode, sizeof(self->saved_mode), "%s",
		 mx_policy_get("kernel-module"));
	ASSERT_STRNE("", self->saved_mode);
	mx_unload(SLOW);
	self->buf = read_whole(mx_module_path(SLOW), &self->len);
	ASSERT_NE(NULL, self->buf);
	self->wasted = mx_wasted_bytes();
	ASSERT_LE(0, self->wasted);
}

FIXTURE_TEARDOWN(image)
{
	mx_wait_initstate(SLOW, "live", 5000);
	mx_unload(SLOW);
	free(self->buf);
	mx_policy_set("kernel-module", self->saved_mode);
}

/*
 * Fork a child that goes on once it read a byte from @go (-1: at once).
 * The parent gets the child's pid, the child 0 when it may go.
 */
static pid_t fork_on_go(int go)
{
	pid_t pid = fork();
	char c;

	if (pid)
		return pid;
	if (go >= 0 && read(go, &c, 1) != 1)
		_exit(255);
	return 0;
}

/* One init_module() in a child (see fork_on_go()); its answer as exit code. */
static pid_t load_in_child(const char *buf, size_t len, const char *params, int go)
{
	pid_t pid = fork_on_go(go);

	if (pid)
		return pid;
	_exit(syscall(__NR_init_module, buf, len, params) ? errno : 0);
}

/* The answer of child @pid: 0 or a positive errno; -1 if it did not exit. */
static int answer_of(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Let @n children waiting on pipe @go go at once. */
static void release(int go[2], int n)
{
	char bytes[64] = { 0 };

	if (n > (int)sizeof(bytes) || write(go[1], bytes, n) != n)
		n = 0;
	close(go[0]);
	close(go[1]);
}

/* Poll /proc/PID/stat until the task is in @state; 0, or -ETIMEDOUT. */
static int wait_task_state(pid_t pid, char state, int timeout_ms)
{
	char path[64], line[512], *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (int waited = 0; waited < timeout_ms; waited += 10) {
		mx_read_line(path, line, sizeof(line));
		p = strrchr(line, ')');
		if (p && p[1] == ' ' && p[2] == state)
			return 0;
		usleep(10 * 1000);
	}
	return -ETIMEDOUT;
}

/* Drop every record: the next counts start from 0. */
static void reset_records(struct __test_metadata *_metadata)
{
	struct mxt_nl_res res;
	struct mxt_nl nl;

	ASSERT_EQ(0, mxt_nl_open(&nl));
	ASSERT_EQ(0, mxt_nl_reset(&nl, &res));
	mxt_nl_close(&nl);
}

/*
 * The record whose path is @path (and module @module, unless NULL), copied
 * into @out; 0 or -1.
 */
static int find_record(const char *path, const char *module, struct mxt_rec *out)
{
	struct mxt_recs recs = {};
	struct mxt_nl_res res;
	struct mxt_nl nl;
	int ret = -1;

	if (mxt_nl_open(&nl))
		return -1;
	if (!mxt_nl_stats(&nl, &recs, &res)) {
		for (size_t i = 0; i < recs.n; i++) {
			if (strcmp(recs.v[i].path, path) ||
			    (module && strcmp(recs.v[i].module, module)))
				continue;
			*out = recs.v[i];
			ret = 0;
		}
	}
	mxt_recs_free(&recs);
	mxt_nl_close(&nl);
	return ret;
}

/* The [init_module] record of module @name. */
static int image_record(const char *name, struct mxt_rec *out)
{
	return find_record(IMAGE_PATH, name, out);
}

/* The record of file @path. */
static int file_record(const char *path, struct mxt_rec *out)
{
	return find_record(path, NULL, out);
}

/* CALLS calls at once, the first holding the module COMING for a second. */
static void storm(struct __test_metadata *_metadata, const char *buf, size_t len,
		  int *loaded, int *eexist)
{
	pid_t pids[CALLS];
	int go[2];

	ASSERT_EQ(0, pipe(go));
	pids[0] = load_in_child(buf, len, "init_ms=1000", -1);
	ASSERT_EQ(0, mx_wait_initstate(SLOW, "coming", 5000));
	for (int i = 1; i < CALLS; i++)
		pids[i] = load_in_child(buf, len, "", go[0]);
	release(go, CALLS - 1);
	*loaded = *eexist = 0;
	for (int i = 0; i < CALLS; i++) {
		int ret = answer_of(pids[i]);

		*loaded += ret == 0;
		*eexist += ret == EEXIST;
		EXPECT_TRUE(ret == 0 || ret == EEXIST) TH_LOG("call %d: %d", i, ret);
	}
}

TEST_F_TIMEOUT(image, concurrent_calls_with_one_image_copy_it_once_under_hold_and_exclusive, 120)
{
	static const char *const modes[] = { "hold", "exclusive" };
	int loaded, eexist;
	struct mxt_rec r;

	for (size_t m = 0; m < ARRAY_SIZE(modes); m++) {
		ASSERT_EQ(0, mx_policy_set("kernel-module", modes[m]));
		reset_records(_metadata);
		self->wasted = mx_wasted_bytes();
		storm(_metadata, self->buf, self->len, &loaded, &eexist);
		EXPECT_EQ(1, loaded) TH_LOG("%s", modes[m]);
		EXPECT_EQ(CALLS - 1, eexist) TH_LOG("%s", modes[m]);
		EXPECT_EQ(self->wasted, mx_wasted_bytes()) TH_LOG("%s", modes[m]);
		/* The record of the module's images counts each call once. */
		ASSERT_EQ(0, image_record(SLOW, &r)) TH_LOG("%s", modes[m]);
		EXPECT_EQ(1, r.loads) TH_LOG("%s", modes[m]);
		EXPECT_EQ(CALLS - 1, r.dup_concurrent) TH_LOG("%s", modes[m]);
		EXPECT_EQ((CALLS - 1) * self->len, r.bytes_avoided) TH_LOG("%s", modes[m]);
		EXPECT_EQ(0, r.bytes_wasted) TH_LOG("%s", modes[m]);
		ASSERT_EQ(0, mx_unload(SLOW));
	}
}

TEST_F_TIMEOUT(image, concurrent_calls_each_copy_the_image_under_shared_as_stock, 120)
{
	int loaded, eexist;

	struct mxt_rec r;

	ASSERT_EQ(0, mx_policy_set("kernel-module", "shared"));
	reset_records(_metadata);
	storm(_metadata, self->buf, self->len, &loaded, &eexist);
	EXPECT_EQ(1, loaded);
	EXPECT_EQ(CALLS - 1, eexist);
	/* Each duplicate copied the image at least once. */
	EXPECT_LE(self->wasted + (long long)((CALLS - 1) * self->len), mx_wasted_bytes());
	/* And its module's record says so: MODULE_STATS' bytes, per call. */
	ASSERT_EQ(0, image_record(SLOW, &r));
	EXPECT_EQ(1, r.loads);
	EXPECT_EQ(CALLS - 1, r.dup_read);
	EXPECT_LE((CALLS - 1) * self->len, r.bytes_wasted);
	EXPECT_EQ(mx_wasted_bytes() - self->wasted, (long long)r.bytes_wasted);
}

/*
 * The first call's init fails. Stock's other calls, waiting for the COMING
 * module in module_patient_check_exists(), get -EBUSY and do not load it
 * again; under hold the calls that joined it get the same.
 */
TEST_F_TIMEOUT(image, the_calls_that_joined_a_failed_load_get_stocks_ebusy, 120)
{
	static const char *const modes[] = { "shared", "hold" };

	for (size_t m = 0; m < ARRAY_SIZE(modes); m++) {
		pid_t first, pids[CALLS - 1];
		int go[2], ebusy = 0;

		ASSERT_EQ(0, mx_policy_set("kernel-module", modes[m]));
		ASSERT_EQ(0, pipe(go));
		first = load_in_child(self->buf, self->len, "init_ms=1000 init_fail=1", -1);
		ASSERT_EQ(0, mx_wait_initstate(SLOW, "coming", 5000));
		for (int i = 0; i < CALLS - 1; i++)
			pids[i] = load_in_child(self->buf, self->len, "", go[0]);
		release(go, CALLS - 1);
		EXPECT_EQ(ENODEV, answer_of(first)) TH_LOG("%s", modes[m]);
		for (int i = 0; i < CALLS - 1; i++)
			ebusy += answer_of(pids[i]) == EBUSY;
		EXPECT_EQ(CALLS - 1, ebusy) TH_LOG("%s", modes[m]);
		EXPECT_STREQ("", mx_initstate(SLOW));
	}
}

/* A waiter killed leaves while the load it joined is still COMING. */
TEST_F(image, a_killed_waiter_leaves_before_the_load_it_joined_ends)
{
	pid_t first, waiter;
	int status;

	ASSERT_EQ(0, mx_policy_set("kernel-module", "hold"));
	first = load_in_child(self->buf, self->len, "init_ms=3000", -1);
	ASSERT_EQ(0, mx_wait_initstate(SLOW, "coming", 5000));
	waiter = load_in_child(self->buf, self->len, "", -1);
	/* A killable wait shows as D. */
	ASSERT_EQ(0, wait_task_state(waiter, 'D', 5000));
	ASSERT_EQ(0, kill(waiter, SIGKILL));
	ASSERT_EQ(waiter, waitpid(waiter, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	EXPECT_STREQ("coming", mx_initstate(SLOW));
	EXPECT_EQ(0, answer_of(first));
}

/*
 * An image one byte apart (in its modinfo description) is another image:
 * it is copied and loaded as stock does, and finds the module loading.
 */
TEST_F(image, an_image_one_byte_apart_is_not_merged)
{
	static const char from[] = "slow init and exit";
	char *other = malloc(self->len), *hit;
	pid_t first, second;

	ASSERT_NE(NULL, other);
	memcpy(other, self->buf, self->len);
	hit = memmem(other, self->len, from, strlen(from));
	ASSERT_NE(NULL, hit);
	hit[0] = 'S';
	ASSERT_EQ(0, mx_policy_set("kernel-module", "hold"));
	first = load_in_child(self->buf, self->len, "init_ms=1000", -1);
	ASSERT_EQ(0, mx_wait_initstate(SLOW, "coming", 5000));
	second = load_in_child(other, self->len, "", -1);
	EXPECT_EQ(0, answer_of(first));
	EXPECT_EQ(EEXIST, answer_of(second));
	EXPECT_LT(self->wasted, mx_wasted_bytes());
	free(other);
}

/*
 * Under hold, serial calls with the image of a live module that
 * init_module() loaded get stock's -EEXIST without copying it (MODULE_STATS'
 * wasted bytes stay), whatever their parameters; an image one byte apart is
 * copied, as stock does; under shared every call copies the image; once the
 * module is unloaded, the image loads again.
 */
TEST_F(image, serial_calls_with_a_live_modules_image_copy_nothing_under_hold)
{
	static const char from[] = "slow init and exit";
	char *other = malloc(self->len), *hit;
	long long wasted;

	ASSERT_NE(NULL, other);
	memcpy(other, self->buf, self->len);
	hit = memmem(other, self->len, from, strlen(from));
	ASSERT_NE(NULL, hit);
	hit[0] = 'S';

	struct mxt_rec r;

	ASSERT_EQ(0, mx_policy_set("kernel-module", "hold"));
	reset_records(_metadata);
	ASSERT_EQ(0, answer_of(load_in_child(self->buf, self->len, "", -1)));
	wasted = mx_wasted_bytes();
	for (int i = 0; i < CALLS; i++)
		EXPECT_EQ(EEXIST, answer_of(load_in_child(self->buf, self->len,
							  i & 1 ? "init_ms=5" : "", -1)));
	EXPECT_EQ(wasted, mx_wasted_bytes());

	EXPECT_EQ(EEXIST, answer_of(load_in_child(other, self->len, "", -1)));
	EXPECT_LE(wasted + (long long)self->len, mx_wasted_bytes());

	ASSERT_EQ(0, mx_policy_set("kernel-module", "shared"));
	wasted = mx_wasted_bytes();
	EXPECT_EQ(EEXIST, answer_of(load_in_child(self->buf, self->len, "", -1)));
	EXPECT_LE(wasted + (long long)self->len, mx_wasted_bytes());

	ASSERT_EQ(0, mx_policy_set("kernel-module", "hold"));
	ASSERT_EQ(0, mx_unload(SLOW));
	EXPECT_EQ(0, answer_of(load_in_child(self->buf, self->len, "", -1)));
	free(other);

	/* Two loads, the serial refusals, the two copies: one record. */
	ASSERT_EQ(0, image_record(SLOW, &r));
	EXPECT_EQ(2, r.loads);
	EXPECT_EQ(CALLS, r.dup_serial);
	EXPECT_EQ(CALLS * self->len, r.bytes_avoided);
	EXPECT_EQ(2, r.dup_read);
	EXPECT_EQ(0, r.failed);
}

/*
 * busybox insmod: under hold a serial finit_module() of the module's file
 * is refused, and busybox then offers the file's bytes to init_module().
 * The finit_module() load kept its image's digest, so that call is
 * refused too, without a copy; under shared both read as stock does.
 */
TEST_F(image, the_image_of_a_module_finit_module_loaded_is_refused_under_hold)
{
	const char *path = mx_module_path(SLOW);
	struct mxt_rec r;
	long long wasted;
	char cmd[512];

	ASSERT_EQ(0, mx_policy_set("kernel-module", "hold"));
	reset_records(_metadata);
	ASSERT_EQ(0, mx_finit_path(path, "", 0));
	wasted = mx_wasted_bytes();
	for (int i = 0; i < 3; i++) {
		EXPECT_EQ(-EEXIST, mx_finit_path(path, "", 0));
		EXPECT_EQ(EEXIST, answer_of(load_in_child(self->buf, self->len, "", -1)));
	}
	EXPECT_EQ(wasted, mx_wasted_bytes());
	ASSERT_EQ(0, image_record(SLOW, &r));
	EXPECT_EQ(0, r.loads);
	EXPECT_EQ(3, r.dup_serial);
	EXPECT_EQ(0, r.dup_read);

	/* busybox itself, the same way. */
	snprintf(cmd, sizeof(cmd), "/busybox/bin/insmod %s 2>/dev/null", path);
	EXPECT_NE(0, system(cmd));
	EXPECT_EQ(wasted, mx_wasted_bytes());
	ASSERT_EQ(0, image_record(SLOW, &r));
	EXPECT_EQ(4, r.dup_serial);

	ASSERT_EQ(0, mx_policy_set("kernel-module", "shared"));
	EXPECT_EQ(EEXIST, answer_of(load_in_child(self->buf, self->len, "", -1)));
	EXPECT_LE(wasted + (long long)self->len, mx_wasted_bytes());
}

/*
 * A record says whether a hold claim covers it: a file's record from the
 * load of its module under hold, the module's [init_module] record from
 * the file's first refusal (busybox's fallback is covered from then on).
 * A policy change voids both; the next duplicate that reads the file takes
 * the file's claim again; the module's unload ends it.
 */
TEST_F(image, a_record_says_whether_a_claim_covers_it)
{
	const char *path = mx_module_path(SLOW);
	struct mxt_rec r;

	ASSERT_EQ(0, mx_policy_set("kernel-module", "hold"));
	reset_records(_metadata);
	ASSERT_EQ(0, mx_finit_path(path, "", 0));
	ASSERT_EQ(0, file_record(path, &r));
	EXPECT_EQ(MODEXCL_CLAIM_HELD, r.claim);
	EXPECT_EQ(-EEXIST, mx_finit_path(path, "", 0));
	EXPECT_EQ(EEXIST, answer_of(load_in_child(self->buf, self->len, "", -1)));
	ASSERT_EQ(0, image_record(SLOW, &r));
	EXPECT_EQ(MODEXCL_CLAIM_HELD, r.claim);

	ASSERT_EQ(0, mx_policy_set("kernel-module", "shared"));
	ASSERT_EQ(0, file_record(path, &r));
	EXPECT_EQ(MODEXCL_CLAIM_NONE, r.claim);
	ASSERT_EQ(0, image_record(SLOW, &r));
	EXPECT_EQ(MODEXCL_CLAIM_NONE, r.claim);

	ASSERT_EQ(0, mx_policy_set("kernel-module", "hold"));
	ASSERT_EQ(0, file_record(path, &r));
	EXPECT_EQ(MODEXCL_CLAIM_NONE, r.claim);
	EXPECT_EQ(-EEXIST, mx_finit_path(path, "", 0));
	ASSERT_EQ(0, file_record(path, &r));
	EXPECT_EQ(MODEXCL_CLAIM_HELD, r.claim);

	ASSERT_EQ(0, mx_unload(SLOW));
	ASSERT_EQ(0, file_record(path, &r));
	EXPECT_EQ(MODEXCL_CLAIM_NONE, r.claim);
}

/*
 * ramfs can change a file without a change cookie or an event a claim
 * could see: under hold its module file's record says no claim can cover
 * it, and its duplicates read the file as stock does. Under shared it
 * says none, as every record does.
 */
TEST_F(image, a_file_on_ramfs_says_no_claim_can_cover_it)
{
	const char *dir = "/tmp/modexcl-ramfs";
	long long wasted;
	struct mxt_rec r;
	char copy[256];
	int fd;

	mkdir(dir, 0755);
	ASSERT_EQ(0, mount("modexcl", dir, "ramfs", 0, NULL));
	snprintf(copy, sizeof(copy), "%s/%s.ko", dir, SLOW);
	fd = open(copy, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)self->len, write(fd, self->buf, self->len));
	close(fd);

	ASSERT_EQ(0, mx_policy_set("kernel-module", "hold"));
	ASSERT_EQ(0, mx_finit_path(copy, "", 0));
	ASSERT_EQ(0, file_record(copy, &r));
	EXPECT_EQ(MODEXCL_CLAIM_NEVER, r.claim);
	wasted = mx_wasted_bytes();
	EXPECT_EQ(-EEXIST, mx_finit_path(copy, "", 0));
	EXPECT_LE(wasted + (long long)self->len, mx_wasted_bytes());

	ASSERT_EQ(0, mx_policy_set("kernel-module", "shared"));
	ASSERT_EQ(0, file_record(copy, &r));
	EXPECT_EQ(MODEXCL_CLAIM_NONE, r.claim);
	EXPECT_EQ(0, mx_unload(SLOW));
	EXPECT_EQ(0, umount(dir));
}

/*
 * busybox insmod of a compressed file offers it to finit_module() without
 * MODULE_INIT_COMPRESSED_FILE first: the call fails as stock fails it, and
 * the file's record counts a format refusal, not a failure. busybox then
 * decompresses the file and loads the image with init_module(), counted in
 * the module's [init_module] record; under hold, the next time, that image
 * is refused as a duplicate of the live module.
 */
TEST_F(image, a_compressed_file_offered_without_the_flag_is_a_format_refusal)
{
	const char *dir = "/tmp/modexcl-format";
	char xz[256], cmd[640];
	struct mxt_rec r;

	ASSERT_EQ(0, mkdir(dir, 0700) && errno != EEXIST ? -errno : 0);
	snprintf(xz, sizeof(xz), "%s/%s.ko.xz", dir, SLOW);
	snprintf(cmd, sizeof(cmd), XZ " -c %s > %s", mx_module_path(SLOW), xz);
	ASSERT_EQ(0, system(cmd));
	ASSERT_EQ(0, mx_policy_set("kernel-module", "hold"));
	reset_records(_metadata);

	EXPECT_EQ(-ENOEXEC, mx_finit_path(xz, "", 0));
	ASSERT_EQ(0, file_record(xz, &r));
	EXPECT_EQ(1, r.format_refused);
	EXPECT_EQ(0, r.failed);
	EXPECT_EQ(0, r.loads);
	EXPECT_EQ(MODEXCL_SOURCE_FILE, r.source);

	snprintf(cmd, sizeof(cmd), "/busybox/bin/insmod %s", xz);
	EXPECT_EQ(0, system(cmd));
	EXPECT_NE(0, system(cmd));
	ASSERT_EQ(0, file_record(xz, &r));
	EXPECT_EQ(3, r.format_refused);
	EXPECT_EQ(0, r.failed);
	ASSERT_EQ(0, image_record(SLOW, &r));
	EXPECT_EQ(1, r.loads);
	EXPECT_EQ(1, r.dup_serial);
	EXPECT_EQ(0, r.failed);
	EXPECT_EQ(MODEXCL_SOURCE_IMAGE, r.source);

	/* The flag itself: the file loads, or is a duplicate, as on stock. */
	EXPECT_EQ(-EEXIST, mx_finit_path(xz, "", MODULE_INIT_COMPRESSED_FILE));
	ASSERT_EQ(0, file_record(xz, &r));
	EXPECT_EQ(3, r.format_refused);
	unlink(xz);
	rmdir(dir);
}

/*
 * A module as Debian installs it: xz-compressed on ext4 (the runner's
 * scratch disk, scripts/vm-run.sh), loaded STORM times at once and then
 * SERIAL times one after another, by each path a Debian loader takes:
 * finit_module(MODULE_INIT_COMPRESSED_FILE) (kmod >= 31, Debian 13) and
 * the host's insmod (Debian 12's kmod 30 decompresses in user space and
 * calls init_module()). Under hold one call loads the module and every
 * other gets stock's -EEXIST with nothing vmalloc'd for it (MODULE_STATS'
 * wasted bytes stay), each counted in the records; under shared the
 * duplicates cost what they cost on stock.
 */
#define BIG "modexcl_test_big"
#define XZ_DIR "/tmp/modexcl-xz"
#define SCRATCH_DEV "/dev/vda"
#define STORM 16
#define SERIAL 8

FIXTURE(xz_ext4)
{
	char saved_mode[32];
	char path[128];
};

FIXTURE_SETUP(xz_ext4)
{
	const char *const mkfs[] = { "/usr/sbin/mkfs.ext4", "-q", "-F", SCRATCH_DEV, NULL };
	char serial[32], cmd[512];

	snprintf(self->saved_mode, sizeof(self->saved_mode), "%s",
		 mx_policy_get("kernel-module"));
	ASSERT_STRNE("", self->saved_mode);
	mx_unload(BIG);
	ASSERT_STREQ("mxscratch", mx_read_line("/sys/block/vda/serial", serial,
					       sizeof(serial)));
	umount(XZ_DIR);
	ASSERT_EQ(0, mx_run(mkfs));
	mkdir(XZ_DIR, 0755);
	ASSERT_EQ(0, mount(SCRATCH_DEV, XZ_DIR, "ext4", 0, NULL));
	snprintf(self->path, sizeof(self->path), "%s/%s.ko.xz", XZ_DIR, BIG);
	snprintf(cmd, sizeof(cmd), XZ " -c %s > %s", mx_module_path(BIG), self->path);
	ASSERT_EQ(0, system(cmd));
	ASSERT_EQ(0, mx_policy_set("kernel-module", "hold"));
	reset_records(_metadata);
}

FIXTURE_TEARDOWN(xz_ext4)
{
	mx_wait_initstate(BIG, "live", 5000);
	mx_unload(BIG);
	if (umount(XZ_DIR))
		TH_LOG("umount %s: %s", XZ_DIR, strerror(errno));
	mx_policy_set("kernel-module", self->saved_mode);
}

/* One load of @path by @how in a child, once it read a byte from @go. */
enum load_how { BY_FINIT_COMPRESSED, BY_HOST_INSMOD };

static pid_t load_file_in_child(const char *path, enum load_how how, int go)
{
	pid_t pid = fork_on_go(go);

	if (pid)
		return pid;
	if (how == BY_HOST_INSMOD) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, STDERR_FILENO);
		execl("/usr/sbin/insmod", "insmod", path, (char *)NULL);
		_exit(127);
	}
	_exit(-mx_finit_path(path, "", MODULE_INIT_COMPRESSED_FILE));
}

/*
 * STORM loads at once, then SERIAL in turn: how many of each answered 0.
 * Every other answer must be -EEXIST (insmod: exit 1).
 */
static void storm_then_serial(struct __test_metadata *_metadata, const char *path,
			      enum load_how how, int *storm_loaded, int *serial_loaded)
{
	int dup = how == BY_HOST_INSMOD ? 1 : EEXIST;
	pid_t pids[STORM];
	int go[2], ret;

	*storm_loaded = *serial_loaded = 0;
	ASSERT_EQ(0, pipe(go));
	for (int i = 0; i < STORM; i++)
		pids[i] = load_file_in_child(path, how, go[0]);
	release(go, STORM);
	for (int i = 0; i < STORM; i++) {
		ret = answer_of(pids[i]);
		*storm_loaded += ret == 0;
		EXPECT_TRUE(ret == 0 || ret == dup) TH_LOG("storm call %d: %d", i, ret);
	}
	for (int i = 0; i < SERIAL; i++) {
		ret = answer_of(load_file_in_child(path, how, -1));
		*serial_loaded += ret == 0;
		EXPECT_EQ(dup, ret) TH_LOG("serial call %d", i);
	}
}

/* Bytes of the uncompressed module @name, what each copy of it costs. */
static long long image_size(const char *name)
{
	struct stat st;

	return stat(mx_module_path(name), &st) ? -1 : st.st_size;
}

/* The installed kmod's version, 0 when unknown. */
static int host_kmod_version(void)
{
	FILE *f = popen("/usr/sbin/insmod --version 2>/dev/null", "r");
	int version = 0;

	if (!f)
		return 0;
	if (fscanf(f, "kmod version %d", &version) != 1)
		version = 0;
	pclose(f);
	return version;
}

/* One load, and every other call of the storm and after it a duplicate. */
static void expect_one_load_and_duplicates(struct __test_metadata *_metadata,
					   const struct mxt_rec *r)
{
	EXPECT_EQ(1, r->loads);
	EXPECT_EQ(STORM - 1 + SERIAL, r->dup_concurrent + r->dup_serial);
	EXPECT_EQ(0, r->dup_read);
	EXPECT_EQ(0, r->failed);
}

/*
 * Unload, storm again under shared: the serial duplicates cost at least
 * the image each, as on stock, over @wasted.
 */
static void storm_under_shared(struct __test_metadata *_metadata, const char *path,
			       enum load_how how, long long wasted)
{
	int storm, serial;

	ASSERT_EQ(0, mx_policy_set("kernel-module", "shared"));
	ASSERT_EQ(0, mx_unload(BIG));
	storm_then_serial(_metadata, path, how, &storm, &serial);
	EXPECT_LE(1, storm);
	EXPECT_EQ(0, serial);
	EXPECT_LE(wasted + SERIAL * image_size(BIG), mx_wasted_bytes());
}

TEST_F_TIMEOUT(xz_ext4, compressed_finit_module_storms_read_the_file_once_under_hold, 300)
{
	long long wasted = mx_wasted_bytes();
	int storm, serial;
	struct mxt_rec r;

	ASSERT_LE(0, wasted);
	/* As on stock, a joiner of the load in flight gets its answer, 0. */
	storm_then_serial(_metadata, self->path, BY_FINIT_COMPRESSED, &storm, &serial);
	EXPECT_LE(1, storm);
	EXPECT_EQ(0, serial);
	EXPECT_EQ(wasted, mx_wasted_bytes());
	ASSERT_EQ(0, file_record(self->path, &r));
	expect_one_load_and_duplicates(_metadata, &r);

	/* Under shared the serial duplicates read and decompress the file. */
	storm_under_shared(_metadata, self->path, BY_FINIT_COMPRESSED, wasted);
}

TEST_F_TIMEOUT(xz_ext4, kmod_30_insmod_storms_copy_one_image_under_hold, 300)
{
	long long wasted = mx_wasted_bytes();
	int kmod = host_kmod_version();
	int storm, serial;
	struct mxt_rec r;

	if (kmod > 30)
		SKIP(return, "the host's kmod %d loads a .ko.xz with finit_module()", kmod);
	ASSERT_LT(0, kmod);
	ASSERT_LE(0, wasted);
	/* A call that joined the load in flight gets -EEXIST, as on stock. */
	storm_then_serial(_metadata, self->path, BY_HOST_INSMOD, &storm, &serial);
	EXPECT_EQ(1, storm);
	EXPECT_EQ(0, serial);
	EXPECT_EQ(wasted, mx_wasted_bytes());
	ASSERT_EQ(0, image_record(BIG, &r));
	expect_one_load_and_duplicates(_metadata, &r);

	/* Under shared each duplicate copies the image, as on stock. */
	storm_under_shared(_metadata, self->path, BY_HOST_INSMOD, wasted);
}

TEST_HARNESS_MAIN
