// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel-module policies against the real loader: under `hold` a serial
 * duplicate of an unchanged, live module is refused with stock's -EEXIST
 * without reading the file; under `shared` it reads as stock does. Writers
 * are never blocked, a changed file is always read again, other load flags
 * and a GOING module get stock's answers, a file system without a change
 * cookie (ramfs) gets `shared` behaviour, an LSM policy change voids
 * every claim, and the next duplicate that reads the file takes it again.
 * On tmpfs, ext4 (with and without birth times), xfs and btrfs: hold
 * refuses, and a file rewritten through a shared mapping or replaced at
 * its path gets stock's answer.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "../kselftest_harness.h"
#include "modexcl_util.h"

#define BIG "modexcl_test_big"
#define PLAIN "modexcl_test_plain"
#define SLOW "modexcl_test_slow"
#define SCRATCH "/tmp/modexcl-hold"
#define SELINUXFS "/sys/fs/selinux"

#ifndef MODULE_INIT_IGNORE_MODVERSIONS
#define MODULE_INIT_IGNORE_MODVERSIONS 1
#endif

static int copy_file(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n;
	int in, out, ret = 0;

	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		ret = -errno;
		close(in);
		return ret;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n) {
			ret = -EIO;
			break;
		}
	if (n < 0)
		ret = -errno;
	close(in);
	close(out);
	return ret;
}

/* Rewrite a same-length string inside a file, in place (same inode, same size). */
static int rewrite_in_place(const char *path, const char *from, const char *to)
{
	static char buf[4 << 20];
	ssize_t n;
	char *hit;
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = pread(fd, buf, sizeof(buf), 0);
	hit = n > 0 ? memmem(buf, n, from, strlen(from)) : NULL;
	if (!hit || pwrite(fd, to, strlen(to), hit - buf) != (ssize_t)strlen(to)) {
		close(fd);
		return -ENOENT;
	}
	close(fd);
	return 0;
}

/*
 * The same, through a shared writable mapping: on tmpfs (no page_mkwrite)
 * no timestamp and no change cookie moves. The file is open for write
 * until the mapping goes.
 */
static int rewrite_through_mapping(const char *path, const char *from, const char *to)
{
	struct stat st;
	char *map, *hit;
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		close(fd);
		return -errno;
	}
	map = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return -errno;
	hit = memmem(map, st.st_size, from, strlen(from));
	if (hit)
		memcpy(hit, to, strlen(to));
	munmap(map, st.st_size);
	return hit ? 0 : -ENOENT;
}

static const char *module_version(const char *name)
{
	static char version[64];
	char path[256];

	snprintf(path, sizeof(path), "/sys/module/%s/version", name);
	return mx_read_line(path, version, sizeof(version));
}

FIXTURE(hold)
{
	char saved_mode[32];
	long long wasted;
};

FIXTURE_SETUP(hold)
{
	snprintf(self->saved_mode, sizeof(self->saved_mode), "%s",
		 mx_policy_get("kernel-module"));
	ASSERT_STRNE("", self->saved_mode);
	ASSERT_EQ(0, mx_policy_set("kernel-module", "hold"));
	mx_unload(BIG);
	mx_unload(PLAIN);
	mx_unload(SLOW);
	mkdir(SCRATCH, 0755);
	self->wasted = mx_wasted_bytes();
	ASSERT_LE(0, self->wasted);
}

FIXTURE_TEARDOWN(hold)
{
	mx_unload(BIG);
	mx_unload(PLAIN);
	mx_unload(SLOW);
	umount(SCRATCH);
	mx_policy_set("kernel-module", self->saved_mode);
}

TEST_F(hold, serial_duplicates_read_nothing_under_hold)
{
	ASSERT_EQ(0, mx_load(BIG, ""));
	self->wasted = mx_wasted_bytes();
	for (int i = 0; i < 4; i++)
		EXPECT_EQ(-EEXIST, mx_load(BIG, ""));
	EXPECT_EQ(self->wasted, mx_wasted_bytes());
	EXPECT_STREQ("live", mx_initstate(BIG));
}

TEST_F(hold, serial_duplicates_read_the_file_under_shared)
{
	ASSERT_EQ(0, mx_policy_set("kernel-module", "shared"));
	ASSERT_EQ(0, mx_load(BIG, ""));
	self->wasted = mx_wasted_bytes();
	for (int i = 0; i < 4; i++)
		EXPECT_EQ(-EEXIST, mx_load(BIG, ""));
	/* Each duplicate read the 2 MiB file before it failed. */
	EXPECT_LE(self->wasted + 4 * (2 << 20), mx_wasted_bytes());
}

static const char *const modes[] = { "shared", "exclusive", "hold" };

/*
 * Under @mode, load @copy, a copy of BIG, then write one byte of it in
 * place while the module is live. 1 (the byte written) or -errno.
 */
static ssize_t load_copy_then_write_it(struct __test_metadata *_metadata, const char *mode,
				       const char *copy)
{
	ssize_t n;
	char byte;
	int fd;

	ASSERT_EQ(0, mx_policy_set("kernel-module", mode));
	ASSERT_EQ(0, copy_file(mx_module_path(BIG), copy));
	ASSERT_EQ(0, mx_finit_path(copy, "", 0));

	fd = open(copy, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG("%s: open for write: %s", mode, strerror(errno));
	ASSERT_EQ(1, pread(fd, &byte, 1, 0));
	n = pwrite(fd, &byte, 1, 0);
	if (n < 0)
		n = -errno;
	close(fd);
	return n;
}

TEST_F(hold, writes_to_a_loaded_module_file_succeed_in_every_mode)
{
	const char *copy = SCRATCH "/" BIG ".ko";

	for (size_t i = 0; i < 3; i++) {
		ssize_t n = load_copy_then_write_it(_metadata, modes[i], copy);

		EXPECT_EQ(1, n) TH_LOG("%s: %s", modes[i], strerror(n < 0 ? -n : 0));
		ASSERT_EQ(0, mx_unload(BIG));
	}
}

TEST_F(hold, a_written_module_file_is_read_again_in_every_mode)
{
	const char *copy = SCRATCH "/" BIG ".ko";

	for (size_t i = 0; i < 3; i++) {
		ssize_t n = load_copy_then_write_it(_metadata, modes[i], copy);

		ASSERT_EQ(1, n) TH_LOG("%s: %s", modes[i], strerror(n < 0 ? -n : 0));
		/* The file changed: the next duplicate reads it again. */
		self->wasted = mx_wasted_bytes();
		EXPECT_EQ(-EEXIST, mx_finit_path(copy, "", 0));
		EXPECT_LT(self->wasted, mx_wasted_bytes()) TH_LOG("%s", modes[i]);
		ASSERT_EQ(0, mx_unload(BIG));
	}
}

TEST_F(hold, rewritten_file_loads_its_new_content)
{
	const char *copy = SCRATCH "/" PLAIN ".ko";

	ASSERT_EQ(0, copy_file(mx_module_path(PLAIN), copy));
	ASSERT_EQ(0, mx_finit_path(copy, "", 0));
	EXPECT_STREQ("modexcl-v1", module_version(PLAIN));

	/* Same size, same inode: only the change cookie tells. */
	ASSERT_EQ(0, rewrite_in_place(copy, "modexcl-v1", "modexcl-v2"));
	self->wasted = mx_wasted_bytes();
	EXPECT_EQ(-EEXIST, mx_finit_path(copy, "", 0));
	EXPECT_LT(self->wasted, mx_wasted_bytes());

	ASSERT_EQ(0, mx_unload(PLAIN));
	ASSERT_EQ(0, mx_finit_path(copy, "", 0));
	EXPECT_STREQ("modexcl-v2", module_version(PLAIN));
}

TEST_F(hold, a_held_module_unloads_and_loads_again)
{
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(0, mx_load(BIG, ""));
		EXPECT_EQ(-EEXIST, mx_load(BIG, ""));
		ASSERT_EQ(0, mx_unload(BIG));
		EXPECT_STREQ("", mx_initstate(BIG));
	}
}

TEST_F(hold, other_load_flags_read_the_file)
{
	ASSERT_EQ(0, mx_load(BIG, ""));
	self->wasted = mx_wasted_bytes();
	EXPECT_EQ(-EEXIST, mx_finit_path(mx_module_path(BIG), "",
					 MODULE_INIT_IGNORE_MODVERSIONS));
	EXPECT_LT(self->wasted, mx_wasted_bytes());
}

TEST_F(hold, load_of_a_going_module_gets_stock_answer)
{
	int status;
	pid_t pid;

	ASSERT_EQ(0, mx_load(SLOW, "exit_ms=1500"));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(mx_unload(SLOW) ? 1 : 0);
	/* Wait until the exit function runs. */
	mx_wait_initstate(SLOW, "going", 1000);
	ASSERT_STREQ("going", mx_initstate(SLOW));

	/* No claim matches a GOING module: the file is read and stock says -EBUSY. */
	self->wasted = mx_wasted_bytes();
	EXPECT_EQ(-EBUSY, mx_load(SLOW, ""));
	EXPECT_LT(self->wasted, mx_wasted_bytes());
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_STREQ("", mx_initstate(SLOW));
}

TEST_F(hold, module_on_its_own_tmpfs_does_not_pin_the_mount)
{
	const char *copy = SCRATCH "/" PLAIN ".ko";

	ASSERT_EQ(0, mount("modexcl", SCRATCH, "tmpfs", 0, NULL));
	ASSERT_EQ(0, copy_file(mx_module_path(PLAIN), copy));
	ASSERT_EQ(0, mx_finit_path(copy, "", 0));
	EXPECT_EQ(-EEXIST, mx_finit_path(copy, "", 0));
	EXPECT_EQ(0, umount(SCRATCH)) TH_LOG("umount: %s", strerror(errno));
	EXPECT_STREQ("live", mx_initstate(PLAIN));
}

TEST_F(hold, ramfs_has_no_change_cookie_so_hold_reads_as_shared)
{
	const char *copy = SCRATCH "/" BIG ".ko";

	ASSERT_EQ(0, mount("modexcl", SCRATCH, "ramfs", 0, NULL));
	ASSERT_EQ(0, copy_file(mx_module_path(BIG), copy));
	ASSERT_EQ(0, mx_finit_path(copy, "", 0));
	self->wasted = mx_wasted_bytes();
	EXPECT_EQ(-EEXIST, mx_finit_path(copy, "", 0));
	EXPECT_LT(self->wasted, mx_wasted_bytes());
}

/*
 * An LSM policy change voids every claim. SELinux without a loaded policy
 * raises LSM_POLICY_CHANGE when enforcing is switched (the AVC reset on
 * 0 -> 1, the notifier on 1 -> 0); nothing is denied while no policy is
 * loaded.
 */
static int lsm_policy_change(void)
{
	const char *enforce = SELINUXFS "/enforce";

	if (access(enforce, F_OK) && mount("selinuxfs", SELINUXFS, "selinuxfs", 0, NULL))
		return -errno;
	if (mx_write_file(enforce, "1", 1))
		return -EIO;
	return mx_write_file(enforce, "0", 1) ? -EIO : 0;
}

TEST_F(hold, lsm_policy_change_voids_claims)
{
	ASSERT_EQ(0, mx_load(BIG, ""));
	self->wasted = mx_wasted_bytes();
	ASSERT_EQ(-EEXIST, mx_load(BIG, ""));
	ASSERT_EQ(self->wasted, mx_wasted_bytes());

	ASSERT_EQ(0, lsm_policy_change());

	/* The claim is gone: the duplicate reads the 2 MiB file as stock does. */
	EXPECT_EQ(-EEXIST, mx_load(BIG, ""));
	EXPECT_LE(self->wasted + (2 << 20), mx_wasted_bytes());
}

/*
 * The duplicate that read the file after a claim was voided passed every
 * check a load passes before stock finds the module live: it takes the
 * claim again, and hold works on for the module without a reload.
 */
TEST_F(hold, a_duplicate_that_read_the_file_takes_a_voided_claim_again)
{
	ASSERT_EQ(0, mx_load(BIG, ""));
	ASSERT_EQ(0, lsm_policy_change());
	self->wasted = mx_wasted_bytes();
	ASSERT_EQ(-EEXIST, mx_load(BIG, ""));
	ASSERT_LT(self->wasted, mx_wasted_bytes());

	self->wasted = mx_wasted_bytes();
	for (int i = 0; i < 3; i++)
		EXPECT_EQ(-EEXIST, mx_load(BIG, ""));
	EXPECT_EQ(self->wasted, mx_wasted_bytes());
	EXPECT_STREQ("live", mx_initstate(BIG));
}

/*
 * The same module file on each file system a distribution keeps modules
 * on, made on the runner's scratch disk (scripts/vm-run.sh: virtio-blk,
 * serial mxscratch) with the host's mkfs: the claim must hold there, and
 * give way to every change stock would see.
 */
#define FS_DIR "/tmp/modexcl-fs"
#define SCRATCH_DEV "/dev/vda"

FIXTURE(hold_fs)
{
	char saved_mode[32];
	long long wasted;
};

FIXTURE_VARIANT(hold_fs)
{
	const char *type;
	const char *module;		/* when not built in */
	const char *const mkfs[8];	/* none: tmpfs */
};

FIXTURE_VARIANT_ADD(hold_fs, tmpfs)
{
	.type = "tmpfs",
};

FIXTURE_VARIANT_ADD(hold_fs, ext4)
{
	.type = "ext4",
	.mkfs = { "/usr/sbin/mkfs.ext4", "-q", "-F", SCRATCH_DEV, NULL },
};

/* 128-byte inodes: no birth time to tell a reused inode number apart. */
FIXTURE_VARIANT_ADD(hold_fs, ext4_small_inodes)
{
	.type = "ext4",
	.mkfs = { "/usr/sbin/mkfs.ext4", "-q", "-F", "-I", "128", SCRATCH_DEV, NULL },
};

FIXTURE_VARIANT_ADD(hold_fs, xfs)
{
	.type = "xfs",
	.module = "xfs",
	.mkfs = { "/usr/sbin/mkfs.xfs", "-q", "-f", SCRATCH_DEV, NULL },
};

FIXTURE_VARIANT_ADD(hold_fs, btrfs)
{
	.type = "btrfs",
	.module = "btrfs",
	.mkfs = { "/usr/sbin/mkfs.btrfs", "-q", "-f", SCRATCH_DEV, NULL },
};

FIXTURE_SETUP(hold_fs)
{
	char serial[32];

	snprintf(self->saved_mode, sizeof(self->saved_mode), "%s",
		 mx_policy_get("kernel-module"));
	ASSERT_STRNE("", self->saved_mode);
	mx_unload(BIG);
	mx_unload(PLAIN);
	mkdir(FS_DIR, 0755);
	if (!variant->mkfs[0]) {
		ASSERT_EQ(0, mount("modexcl", FS_DIR, "tmpfs", 0, NULL));
	} else {
		ASSERT_STREQ("mxscratch", mx_read_line("/sys/block/vda/serial", serial,
						       sizeof(serial)));
		if (variant->module) {
			const char *const modprobe[] = { MX_MODPROBE, "-q", variant->module, NULL };

			if (mx_run(modprobe) && mx_is_debug_kernel())
				SKIP(return, "the debug kernel builds no %s", variant->type);
			ASSERT_EQ(0, mx_run(modprobe));
		}
		ASSERT_EQ(0, mx_run(variant->mkfs));
		ASSERT_EQ(0, mount(SCRATCH_DEV, FS_DIR, variant->type, 0, NULL))
			TH_LOG("mount %s: %s", variant->type, strerror(errno));
	}
	ASSERT_EQ(0, mx_policy_set("kernel-module", "hold"));
	self->wasted = mx_wasted_bytes();
	ASSERT_LE(0, self->wasted);
}

FIXTURE_TEARDOWN(hold_fs)
{
	mx_unload(BIG);
	mx_unload(PLAIN);
	umount(FS_DIR);
	mx_policy_set("kernel-module", self->saved_mode);
}

TEST_F(hold_fs, a_serial_duplicate_is_refused_without_reading_the_file)
{
	const char *copy = FS_DIR "/" BIG ".ko";

	ASSERT_EQ(0, copy_file(mx_module_path(BIG), copy));
	ASSERT_EQ(0, mx_finit_path(copy, "", 0));
	self->wasted = mx_wasted_bytes();
	EXPECT_EQ(-EEXIST, mx_finit_path(copy, "", 0));
	EXPECT_EQ(self->wasted, mx_wasted_bytes());
}

/*
 * A file rewritten through a shared mapping: its ELF magic broken, stock
 * rejects the load with -ENOEXEC; a claim that kept matching would say
 * -EEXIST. On tmpfs (no page_mkwrite) no timestamp and no change cookie
 * moves: only the claim's file watch, which sees the writer's close, can
 * tell.
 */
TEST_F(hold_fs, a_file_rewritten_through_a_shared_mapping_is_read_again)
{
	const char *copy = FS_DIR "/" PLAIN ".ko";
	struct stat before, after;

	ASSERT_EQ(0, copy_file(mx_module_path(PLAIN), copy));
	ASSERT_EQ(0, mx_finit_path(copy, "", 0));
	EXPECT_EQ(-EEXIST, mx_finit_path(copy, "", 0));
	EXPECT_EQ(self->wasted, mx_wasted_bytes()) TH_LOG("the claim holds");

	ASSERT_EQ(0, stat(copy, &before));
	ASSERT_EQ(0, rewrite_through_mapping(copy, "\177ELF", "\177ELG"));
	ASSERT_EQ(0, stat(copy, &after));
	if (!strcmp(variant->type, "tmpfs")) {
		EXPECT_EQ(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
		EXPECT_EQ(before.st_ctim.tv_nsec, after.st_ctim.tv_nsec);
	}
	EXPECT_EQ(-ENOEXEC, mx_finit_path(copy, "", 0));

	/* Restored the same way: a duplicate again, read as stock reads it. */
	ASSERT_EQ(0, rewrite_through_mapping(copy, "\177ELG", "\177ELF"));
	self->wasted = mx_wasted_bytes();
	EXPECT_EQ(-EEXIST, mx_finit_path(copy, "", 0));
	EXPECT_LT(self->wasted, mx_wasted_bytes());
	/* That duplicate took the claim again. */
	self->wasted = mx_wasted_bytes();
	EXPECT_EQ(-EEXIST, mx_finit_path(copy, "", 0));
	EXPECT_EQ(self->wasted, mx_wasted_bytes());
	EXPECT_STREQ("live", mx_initstate(PLAIN));
}

/*
 * A file replaced at its path by another module (rm, then a copy): stock
 * loads the new module, whatever inode number the new file gets (ext4
 * hands a freed number out again; the claim's mark keeps the old inode,
 * and so its number, in use while the claim lives).
 */
TEST_F(hold_fs, a_file_replaced_at_its_path_loads_the_new_module)
{
	const char *copy = FS_DIR "/module.ko";

	ASSERT_EQ(0, copy_file(mx_module_path(PLAIN), copy));
	ASSERT_EQ(0, mx_finit_path(copy, "", 0));
	EXPECT_EQ(-EEXIST, mx_finit_path(copy, "", 0));
	ASSERT_EQ(0, unlink(copy));
	ASSERT_EQ(0, copy_file(mx_module_path(BIG), copy));
	EXPECT_EQ(0, mx_finit_path(copy, "", 0));
	EXPECT_STREQ("live", mx_initstate(BIG));
	EXPECT_STREQ("live", mx_initstate(PLAIN));
}

TEST_HARNESS_MAIN
