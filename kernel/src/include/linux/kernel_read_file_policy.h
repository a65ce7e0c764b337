/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-reader policy of kernel_read_file(): the state of one read and
 * the hooks kernel_read_file() calls (fs/kernel_read_file_excl.c), and the
 * policy API (kernel/modexcl/policy.c) the sysfs files, the module core and
 * the "modexcl" generic netlink family share.
 */
#ifndef _LINUX_KERNEL_READ_FILE_POLICY_H
#define _LINUX_KERNEL_READ_FILE_POLICY_H

#include <linux/bits.h>
#include <linux/kernel_read_file.h>
#include <linux/list.h>
#include <linux/modexcl.h>
#include <linux/types.h>

struct file;
struct inode;

/**
 * struct modexcl_read - per-call state of one kernel_read_file()
 * @mode: the reader's mode, read once when the read begins
 * @id: the reader
 * @inode: inode of an exclusive read
 * @node: entry in the exclusive readers hash while @exclusive is true
 * @exclusive: this read holds the inode's exclusive slot
 * @record: record of an exclusive read of a non-module reader, or NULL
 *
 * Lives on the reader's stack; nothing is attached to the struct file.
 */
struct modexcl_read {
#ifdef CONFIG_MODEXCL
	enum modexcl_read_mode mode;
	enum kernel_read_file_id id;
	const struct inode *inode;
	struct hlist_node node;
	bool exclusive;
	struct modexcl_record *record;
#endif
};

/*
 * Why a reader's mode does not apply now (its reads then run as shared):
 * the bits of modexcl_mode_inactive(), /sys/kernel/modexcl/inactive/ and the
 * netlink family's "inactive" flags.
 */
#define MODEXCL_INACTIVE_BY_IMA_POLICY		BIT(0)
#define MODEXCL_INACTIVE_BY_NO_LSM_NOTIFIER	BIT(1)
#define MODEXCL_INACTIVE_BY_NO_FILE_WATCH	BIT(2)

#ifdef CONFIG_MODEXCL

/* Policy (kernel/modexcl/policy.c) */
const char *modexcl_mode_name(enum modexcl_read_mode mode);
int modexcl_mode_parse(const char *buf);
bool modexcl_reader_has_policy(int id);
int modexcl_reader_parse(const char *buf);
bool modexcl_mode_valid(enum kernel_read_file_id id,
			enum modexcl_read_mode mode);
int modexcl_policy_get(enum kernel_read_file_id id);
int modexcl_policy_set(enum kernel_read_file_id id,
		       enum modexcl_read_mode mode);
void modexcl_policy_set_hold_gate(u32 (*gate)(void));
u32 modexcl_mode_inactive(enum kernel_read_file_id id,
			  enum modexcl_read_mode mode);

/* Reads (fs/kernel_read_file_excl.c) */
void modexcl_read_begin(struct modexcl_read *read, struct file *file,
			enum kernel_read_file_id id);
void modexcl_read_end(struct modexcl_read *read);

/**
 * modexcl_read_pre_alloc() - run the caller's pre-allocation hook
 * @read: state of this read
 * @file: the file being read
 * @hook: the caller's hook, or NULL
 *
 * Called by kernel_read_file_hooked() after security_kernel_read_file(),
 * with write access denied, before the buffer is allocated. The hook runs
 * only in hold mode.
 *
 * Return: 0 to go on reading, or the error that ends the read.
 */
static inline int modexcl_read_pre_alloc(struct modexcl_read *read,
					 struct file *file,
					 const struct kernel_read_file_hook *hook)
{
	if (read->mode != MODEXCL_HOLD || !hook)
		return 0;
	return hook->pre_alloc(file, hook);
}

#else /* !CONFIG_MODEXCL */

static inline void modexcl_read_begin(struct modexcl_read *read,
				      struct file *file,
				      enum kernel_read_file_id id)
{
}

static inline void modexcl_read_end(struct modexcl_read *read)
{
}

static inline int modexcl_read_pre_alloc(struct modexcl_read *read,
					 struct file *file,
					 const struct kernel_read_file_hook *hook)
{
	return 0;
}

#endif /* CONFIG_MODEXCL */

#endif /* _LINUX_KERNEL_READ_FILE_POLICY_H */
