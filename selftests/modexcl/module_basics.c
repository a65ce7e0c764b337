// SPDX-License-Identifier: GPL-2.0
/*
 * The guest the modexcl tests run in: the patched kernel loads and unloads
 * a test module through finit_module(), a duplicate load of a live module
 * gets stock's -EEXIST, Debian's modprobe works against the guest's module
 * tree, and upstream's MODULE_STATS counters are there to compare with.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"

#define TEST_MODULE "modexcl_test_plain"

static int finit_module(int fd, const char *params, int flags)
{
	return syscall(__NR_finit_module, fd, params, flags);
}

static int delete_module(const char *name, int flags)
{
	return syscall(__NR_delete_module, name, flags);
}

static void module_path(const char *name, char *buf, size_t len)
{
	struct utsname u;

	uname(&u);
	snprintf(buf, len, "/lib/modules/%s/extra/%s.ko", u.release, name);
}

/* The module's /sys/module/NAME/initstate, or "" when it is not loaded. */
static void module_initstate(const char *name, char *buf, size_t len)
{
	char path[256];
	FILE *f;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/sys/module/%s/initstate", name);
	f = fopen(path, "r");
	if (!f)
		return;
	if (!fgets(buf, len, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

static int load_module_file(const char *name)
{
	char path[256];
	int fd, ret;

	module_path(name, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = finit_module(fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

static int run(const char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

FIXTURE(module)
{
	char state[64];
};

FIXTURE_SETUP(module)
{
	delete_module(TEST_MODULE, O_NONBLOCK);
	module_initstate(TEST_MODULE, self->state, sizeof(self->state));
	ASSERT_STREQ("", self->state) TH_LOG("%s still loaded", TEST_MODULE);
}

FIXTURE_TEARDOWN(module)
{
	delete_module(TEST_MODULE, O_NONBLOCK);
}

TEST_F(module, finit_module_loads_and_delete_module_unloads)
{
	ASSERT_EQ(0, load_module_file(TEST_MODULE));
	module_initstate(TEST_MODULE, self->state, sizeof(self->state));
	EXPECT_STREQ("live", self->state);

	ASSERT_EQ(0, delete_module(TEST_MODULE, O_NONBLOCK))
		TH_LOG("delete_module: %s", strerror(errno));
	module_initstate(TEST_MODULE, self->state, sizeof(self->state));
	EXPECT_STREQ("", self->state);
}

TEST_F(module, second_load_of_live_module_gets_eexist)
{
	ASSERT_EQ(0, load_module_file(TEST_MODULE));
	EXPECT_EQ(-EEXIST, load_module_file(TEST_MODULE));
	module_initstate(TEST_MODULE, self->state, sizeof(self->state));
	EXPECT_STREQ("live", self->state);
}

TEST_F(module, debian_modprobe_loads_and_removes_by_name)
{
	const char *const load[] = { "/usr/sbin/modprobe", TEST_MODULE, NULL };
	const char *const unload[] = { "/usr/sbin/modprobe", "-r", TEST_MODULE, NULL };

	ASSERT_EQ(0, run(load));
	module_initstate(TEST_MODULE, self->state, sizeof(self->state));
	EXPECT_STREQ("live", self->state);
	ASSERT_EQ(0, run(unload));
	module_initstate(TEST_MODULE, self->state, sizeof(self->state));
	EXPECT_STREQ("", self->state);
}

TEST(module_stats_report_wasted_bytes)
{
	char line[256];
	int found = 0;
	FILE *f = fopen("/sys/kernel/debug/modules/stats", "r");

	ASSERT_NE(NULL, f) TH_LOG("MODULE_STATS: %s", strerror(errno));
	while (fgets(line, sizeof(line), f))
		found |= !strncmp(line, "Virtual mem wasted bytes", 24);
	fclose(f);
	EXPECT_TRUE(found);
}

TEST_HARNESS_MAIN
