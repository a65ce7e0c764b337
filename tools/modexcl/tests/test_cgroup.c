// SPDX-License-Identifier: GPL-2.0
/* Cgroup ids as paths, on a directory tree made for the test. */
#include <ftw.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "cgroup.h"
#include "format.h"
#include "tests.h"

static char root[64];

static uint64_t ino_of(const char *below)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s%s", root, below);
	assert_int_equal(stat(path, &st), 0);
	return st.st_ino;
}

static void make(const char *below, bool dir)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", root, below);
	if (dir) {
		assert_int_equal(mkdir(path, 0755), 0);
		return;
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
}

/* A tree as cgroup2 has it: slices, a service, a scope, and files in each. */
static int make_tree(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/modexcl-cgroup.XXXXXX");
	if (!mkdtemp(root))
		return -1;
	make("/system.slice", true);
	make("/system.slice/systemd-udevd.service", true);
	make("/system.slice/systemd-udevd.service/cgroup.procs", false);
	make("/user.slice", true);
	make("/user.slice/session-1.scope", true);
	make("/cgroup.controllers", false);
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int remove_tree(void **state)
{
	(void)state;
	mx_cgroup_free();
	return nftw(root, remove_one, 8, FTW_DEPTH | FTW_PHYS);
}

static void an_id_is_the_path_of_the_directory_with_that_inode(void **state)
{
	uint64_t udevd = ino_of("/system.slice/systemd-udevd.service");
	char buf[MX_CGROUP_LEN];

	(void)state;
	mx_cgroup_set_root(root);
	assert_string_equal(mx_cgroup_path(udevd), "/system.slice/systemd-udevd.service");
	assert_string_equal(mx_cgroup_path(ino_of("/user.slice/session-1.scope")),
			    "/user.slice/session-1.scope");
	assert_string_equal(mx_cgroup_path(ino_of("")), "/");
	/* A file is no cgroup, 0 is none: not found, and the text says the number. */
	assert_null(mx_cgroup_path(ino_of("/cgroup.controllers")));
	assert_null(mx_cgroup_path(0));
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)ino_of("/cgroup.controllers"));
	assert_string_equal(mx_fmt_cgroup(buf, sizeof(buf), ino_of("/cgroup.controllers")), buf);
	assert_string_equal(mx_fmt_cgroup(buf, sizeof(buf), udevd),
			    "/system.slice/systemd-udevd.service");
	mx_cgroup_free();
}

static void a_root_with_a_trailing_slash_or_none_resolves_nothing_wrong(void **state)
{
	char slashed[80];

	(void)state;
	snprintf(slashed, sizeof(slashed), "%s//", root);
	mx_cgroup_set_root(slashed);
	assert_string_equal(mx_cgroup_path(ino_of("/user.slice")), "/user.slice");
	/* A root that does not exist: nothing is found, nothing fails. */
	mx_cgroup_set_root("/nonexistent/modexcl");
	assert_null(mx_cgroup_path(ino_of("/user.slice")));
	mx_cgroup_free();
}

static void a_cgroup_made_after_the_walk_is_found_by_the_next_one(void **state)
{
	(void)state;
	mx_cgroup_set_root(root);
	assert_non_null(mx_cgroup_path(ino_of("/user.slice")));
	make("/user.slice/user-1000.slice", true);
	/* Within a second of the walk a miss does not walk again; a new root does. */
	assert_null(mx_cgroup_path(ino_of("/user.slice/user-1000.slice")));
	mx_cgroup_set_root(root);
	assert_string_equal(mx_cgroup_path(ino_of("/user.slice/user-1000.slice")),
			    "/user.slice/user-1000.slice");
	mx_cgroup_free();
}

static bool is_cgroup2(const char *path, struct stat *st)
{
	struct statfs sfs;

	return !statfs(path, &sfs) && sfs.f_type == CGROUP2_SUPER_MAGIC && !stat(path, st);
}

/* The unified hierarchy, or a hybrid one's (in mountinfo only): its root is "/". */
static void the_cgroup2_mount_is_found_when_no_root_is_given(void **state)
{
	struct stat st;

	(void)state;
	if (!is_cgroup2("/sys/fs/cgroup", &st) && !is_cgroup2("/sys/fs/cgroup/unified", &st))
		skip();		/* this host has no cgroup2 where systemd mounts it */
	mx_cgroup_set_root(NULL);
	assert_string_equal(mx_cgroup_path(st.st_ino), "/");
	mx_cgroup_free();
}

const struct CMUnitTest cgroup_tests[] = {
	cmocka_unit_test_setup_teardown(an_id_is_the_path_of_the_directory_with_that_inode,
					make_tree, remove_tree),
	cmocka_unit_test_setup_teardown(a_root_with_a_trailing_slash_or_none_resolves_nothing_wrong,
					make_tree, remove_tree),
	cmocka_unit_test_setup_teardown(a_cgroup_made_after_the_walk_is_found_by_the_next_one,
					make_tree, remove_tree),
	cmocka_unit_test(the_cgroup2_mount_is_found_when_no_root_is_given),
};
const size_t nr_cgroup_tests = sizeof(cgroup_tests) / sizeof(cgroup_tests[0]);
