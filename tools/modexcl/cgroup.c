// SPDX-License-Identifier: GPL-2.0
/*
 * The cgroup resolver. One walk of the cgroup2 file system (nftw, not
 * following symlinks or crossing mounts) maps the inode of every directory
 * to its path, sorted for a binary search; an id it lacks walks again, at
 * most once a second, so that a storm of events from a cgroup already gone
 * does not walk the tree for each. nftw has no argument for its callback:
 * the table is this file's, one per process.
 */
#include <ftw.h>
#include <linux/magic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "cgroup.h"
#include "clock.h"

#define WALK_EVERY_NS 1000000000ULL
#define WALK_FDS 16

struct cgroup_dir {
	uint64_t ino;
	char *path;		/* below the root */
};

static struct {
	char *root;		/* without a trailing '/'; "" for "/" */
	bool root_known;	/* set, or searched for */
	struct cgroup_dir *dirs;
	size_t nr, cap;
	bool walked, walk_failed;
	uint64_t walked_at;	/* monotonic */
} cg;

static void forget_dirs(void)
{
	for (size_t i = 0; i < cg.nr; i++)
		free(cg.dirs[i].path);
	cg.nr = 0;
}

void mx_cgroup_free(void)
{
	forget_dirs();
	free(cg.dirs);
	free(cg.root);
	memset(&cg, 0, sizeof(cg));
}

static void keep_root(const char *root)
{
	size_t len = strlen(root);

	while (len && root[len - 1] == '/')
		len--;
	cg.root = strndup(root, len);
	cg.root_known = true;
}

void mx_cgroup_set_root(const char *root)
{
	mx_cgroup_free();
	if (root)
		keep_root(root);
}

/* mountinfo(5) escapes a space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*out++ = (s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0');
			s += 3;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

/* The mount point of the first cgroup2 file system in mountinfo, or NULL. */
static char *mountinfo_root(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL, *found = NULL;
	size_t size = 0;

	if (!f)
		return NULL;
	while (!found && getline(&line, &size, f) > 0) {
		char *sep = strstr(line, " - "), *save = NULL, *field;
		int i = 0;

		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [TAGS...] - FSTYPE ... */
		if (!sep || strncmp(sep + 3, "cgroup2 ", 8))
			continue;
		for (field = strtok_r(line, " ", &save); field && i < 4; i++)
			field = strtok_r(NULL, " ", &save);
		if (field) {
			unescape(field);
			found = strdup(field);
		}
	}
	free(line);
	fclose(f);
	return found;
}

static void find_root(void)
{
	struct statfs sfs;
	char *root;

	cg.root_known = true;
	if (statfs("/sys/fs/cgroup", &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC) {
		keep_root("/sys/fs/cgroup");
		return;
	}
	root = mountinfo_root();
	if (root)
		keep_root(root);
	free(root);
}

static int add_dir(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	const char *below = path + strlen(cg.root);
	struct cgroup_dir *dirs;

	(void)ftw;
	if (flag != FTW_D && flag != FTW_DNR)
		return 0;
	if (cg.nr == cg.cap) {
		size_t cap = cg.cap ? cg.cap * 2 : 256;

		dirs = realloc(cg.dirs, cap * sizeof(*dirs));
		if (!dirs)
			goto nomem;
		cg.dirs = dirs;
		cg.cap = cap;
	}
	cg.dirs[cg.nr].ino = st->st_ino;
	cg.dirs[cg.nr].path = strdup(*below ? below : "/");
	if (!cg.dirs[cg.nr].path)
		goto nomem;
	cg.nr++;
	return 0;
nomem:
	cg.walk_failed = true;
	return 1;	/* stops the walk: what it found so far stays */
}

static int compare_dirs(const void *a, const void *b)
{
	uint64_t ia = ((const struct cgroup_dir *)a)->ino, ib = ((const struct cgroup_dir *)b)->ino;

	return ia < ib ? -1 : ia > ib;
}

static void walk(void)
{
	forget_dirs();
	cg.walked = true;
	cg.walked_at = mx_now_mono();
	cg.walk_failed = false;
	/* The root "" is "/": nftw needs a name. */
	nftw(cg.root[0] ? cg.root : "/", add_dir, WALK_FDS, FTW_PHYS | FTW_MOUNT);
	if (cg.nr)
		qsort(cg.dirs, cg.nr, sizeof(*cg.dirs), compare_dirs);
}

static const char *lookup(uint64_t id)
{
	struct cgroup_dir key = { .ino = id };
	const struct cgroup_dir *dir;

	if (!cg.nr)
		return NULL;
	dir = bsearch(&key, cg.dirs, cg.nr, sizeof(*cg.dirs), compare_dirs);
	return dir ? dir->path : NULL;
}

const char *mx_cgroup_path(uint64_t id)
{
	const char *path;

	if (!id)
		return NULL;
	if (!cg.root_known)
		find_root();
	if (!cg.root)
		return NULL;
	path = lookup(id);
	if (path)
		return path;
	/* A cgroup made since the last walk, or one already gone. */
	if (cg.walked && mx_now_mono() - cg.walked_at < WALK_EVERY_NS)
		return NULL;
	walk();
	return lookup(id);
}
