// SPDX-License-Identifier: GPL-2.0
/*
 * The record table under adversarial pressure: ten thousand distinct files
 * through the module reader leave the table at its bound, and the kernel
 * memory behind it (kmalloc-256, where a record lives) stops growing once
 * the bound is reached; an unprivileged user, whom finit_module() refuses
 * before any file is read, makes no record at all.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "../kselftest_harness.h"
#include "modexcl_util.h"
#include "modexcl_nl.h"

#define SCRATCH "/tmp/modexcl-pressure"
#define FILES 10000
/* struct modexcl_record is a kmalloc-256 object, more with KASAN. */
#define RECORD_BYTES 256

/* Ten thousand records take minutes on the debug kernel. */
#define PRESSURE_TEST_S 900

/*
 * Shrink every slab cache, as "echo 1 > /sys/kernel/slab/NAME/shrink"
 * does: SLUB frees its empty slabs and per-CPU partial lists, and KASAN
 * first releases the cache's objects from its quarantine. Without this,
 * freed objects that KASAN still holds, and empty slabs SLUB keeps for
 * reuse, make SUnreclaim drift by megabytes on the debug kernel.
 * Aliases (merged caches) are symlinks to a cache already in the list.
 * A kernel built with SLUB_TINY has no /sys/kernel/slab, and no per-CPU
 * slabs or quarantine to shrink either. 0, or -1 if a cache refused.
 */
static int shrink_slab_caches(void)
{
	struct dirent *d;
	int ret = 0;
	DIR *dir = opendir("/sys/kernel/slab");

	if (!dir)
		return errno == ENOENT ? 0 : -1;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.' || d->d_type == DT_LNK)
			continue;
		if (mx_slab_shrink(d->d_name))
			ret = -1;
	}
	closedir(dir);
	return ret;
}

/*
 * SUnreclaim of /proc/meminfo in KiB, with the slab caches shrunk first:
 * records are unreclaimable slab.
 */
static long long unreclaimable_slab_kib(void)
{
	char line[128];
	long long kib = -1;
	FILE *f;

	if (shrink_slab_caches())
		return -1;
	f = fopen("/proc/meminfo", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "SUnreclaim: %lld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

static long long record_count(struct mxt_nl *nl)
{
	struct mxt_recs recs = {};
	struct mxt_nl_res res = {};
	long long n;

	n = mxt_nl_stats(nl, &recs, &res) ? -1 : (long long)recs.n;
	mxt_recs_free(&recs);
	return n;
}

/* Create SCRATCH/<tag>-<from> .. <to - 1>, empty. 0 or -errno. */
static int make_files(const char *tag, int from, int to)
{
	char path[128];
	int ret;

	for (int i = from; i < to; i++) {
		snprintf(path, sizeof(path), SCRATCH "/%s-%d", tag, i);
		ret = mx_make_empty(path);
		if (ret)
			return ret;
	}
	return 0;
}

FIXTURE(pressure)
{
	struct mxt_nl nl;
	long long max;
};

FIXTURE_SETUP(pressure)
{
	struct mxt_nl_res res = {};

	ASSERT_EQ(0, mxt_nl_open(&self->nl));
	ASSERT_EQ(0, mxt_nl_reset(&self->nl, &res));
	self->max = mx_read_number(MX_MAX_RECORDS);
	ASSERT_LT(0, self->max);
	ASSERT_GT(FILES, 2 * self->max);
	mkdir(SCRATCH, 0755);
	ASSERT_EQ(0, mount("modexcl", SCRATCH, "tmpfs", 0, NULL));
}

FIXTURE_TEARDOWN(pressure)
{
	struct mxt_nl_res res = {};

	umount(SCRATCH);
	mxt_nl_reset(&self->nl, &res);
	mxt_nl_close(&self->nl);
}

#define SLAB_MSG \
	"SUnreclaim: %lld KiB empty table, %lld KiB at %lld records, %lld KiB after %d files\n"

TEST_F_TIMEOUT(pressure, ten_thousand_files_keep_the_table_at_its_bound, PRESSURE_TEST_S)
{
	long long before, at_bound, after;

	/* The files first, so that their inodes are not counted below. */
	ASSERT_EQ(0, make_files("f", 0, FILES));
	before = unreclaimable_slab_kib();
	ASSERT_LE(0, before);
	ASSERT_EQ(0, mx_touch_records(SCRATCH, "f", 0, self->max));
	ASSERT_EQ(self->max, record_count(&self->nl));
	at_bound = unreclaimable_slab_kib();
	ASSERT_LE(0, at_bound);

	ASSERT_EQ(0, mx_touch_records(SCRATCH, "f", self->max, FILES));
	EXPECT_EQ(self->max, record_count(&self->nl));
	after = unreclaimable_slab_kib();
	ASSERT_LE(0, after);

	ksft_print_msg(SLAB_MSG, before, at_bound, self->max, after, FILES);
	/*
	 * Had the ~9k further files each kept a record, slab would grow by
	 * at least RECORD_BYTES for each of them (2.2 MiB); with the bound it
	 * grows by less than a quarter of that. The rest is slab noise: a
	 * partly used slab that one freed object no longer empties.
	 */
	EXPECT_GT((FILES - self->max) * RECORD_BYTES / 4 / 1024, after - at_bound)
		TH_LOG("%lld KiB more after %d more files", after - at_bound,
		       FILES - (int)self->max);
}

TEST_F(pressure, unprivileged_loads_make_no_records)
{
	char path[128];
	pid_t pid;
	int status;

	ASSERT_EQ(0, chmod(SCRATCH, 0755));
	for (int i = 0; i < 1000; i++) {
		snprintf(path, sizeof(path), SCRATCH "/u-%d", i);
		ASSERT_EQ(0, mx_make_empty(path));
		ASSERT_EQ(0, chmod(path, 0644));
	}
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (mx_drop_to_nobody())
			_exit(2);
		for (int i = 0; i < 1000; i++) {
			snprintf(path, sizeof(path), SCRATCH "/u-%d", i);
			/* may_init_module() refuses before kernel_read_file(). */
			if (mx_finit_path(path, "", 0) != -EPERM)
				_exit(1);
		}
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, record_count(&self->nl));
}

TEST_HARNESS_MAIN
