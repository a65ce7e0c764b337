/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cgroup ids as paths. The kernel names a task's cgroup v2 cgroup by its
 * id, the inode number of the cgroup's directory in the cgroup2 file
 * system; this finds that directory and gives its path below the root,
 * such as /system.slice/systemd-udevd.service. Nothing here fails a
 * command: an id not found is NULL, and the views show its number.
 */
#ifndef MODEXCL_CGROUP_H
#define MODEXCL_CGROUP_H

#include <stdint.h>

/*
 * Look under @root, a cgroup2 mount or any directory tree; NULL: the
 * cgroup2 mount, found when first needed (/sys/fs/cgroup when it is one,
 * else the first in /proc/self/mountinfo). Forgets what was found.
 */
void mx_cgroup_set_root(const char *root);
/*
 * The path of cgroup @id below the root ("/" for the root itself), or NULL
 * when no directory has that inode number (0: no cgroup). Valid until the
 * next call.
 */
const char *mx_cgroup_path(uint64_t id);
/* Forget every path and the root. */
void mx_cgroup_free(void);

#endif
