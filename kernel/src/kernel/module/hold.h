/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * modexcl hooks of the module loader: per-file records of finit_module()
 * attempts and the "hold" claims that refuse a serial duplicate load
 * before its file is read. Include after "internal.h".
 */
#ifndef _KERNEL_MODULE_HOLD_H
#define _KERNEL_MODULE_HOLD_H

#include <crypto/sha2.h>
#include <linux/completion.h>
#include <linux/kernel_read_file.h>
#include <linux/modexcl.h>
#include <linux/types.h>

struct excl_claim;
struct file;
struct load_info;

/**
 * struct modexcl_load_check - what load_module() found of its module
 * @dup_reason: FAIL_DUP_MOD_* when a check found the module loading or
 *	live (and MODULE_STATS counted a duplicate), else -1
 * @name: the module's name, once a check found it, or once the load put
 *	its module in the module list; else ""
 *
 * Part of a loader's state on its stack; load_module() reaches it through
 * &load_info.modexcl. Its own task writes it, with one exception: the
 * winner of a merged init_module() writes the @name of each call that
 * joined it, under images_lock, before that call wakes (see hold.c).
 */
struct modexcl_load_check {
	int dup_reason;
	char name[MODULE_NAME_LEN];
};

/**
 * struct modexcl_stamp - identity and version of a module file
 * @change_cookie: STATX_CHANGE_COOKIE of the file
 * @ino: inode number of the real inode
 * @size: file size
 * @btime_sec: birth time, seconds (0 when not reported)
 * @btime_nsec: birth time, nanoseconds
 * @dev: device of the real inode
 * @has_btime: the file system reported STATX_BTIME
 */
struct modexcl_stamp {
	u64 change_cookie;
	u64 ino;
	u64 size;
	s64 btime_sec;
	u32 btime_nsec;
	u32 dev;
	bool has_btime;
};

/**
 * struct modexcl_module_load - modexcl state of one winning finit_module()
 * @hook: pre-allocation hook passed to kernel_read_file_hooked()
 * @check: what load_module() found, or the refusing claim's module name
 * @file: the module file, referenced by the loader for the whole load
 * @record: referenced record of the file, or NULL
 * @holder: previous holder of @record, restored if this load fails
 * @stamp: stamp taken in this load's read (valid when @pending)
 * @pending: the claim prepared in this load's read, watching its file,
 *	listed if the load earns one, else ended by modexcl_module_load_end()
 * @file_size: file size when the load began
 * @flags: finit_module() flags
 * @sig_enforced: module signatures were enforced when the load began; it
 *	began before its signature check and enforcement is never lowered, so
 *	the check was at least this strict
 * @refused: a hold claim refused this load with -EEXIST
 * @compressed: the image read without MODULE_INIT_COMPRESSED_FILE is a
 *	compressed file, which load_module() cannot parse
 *
 * Lives on the loader's stack from modexcl_module_load_begin() to
 * modexcl_module_load_end().
 */
struct modexcl_module_load {
#ifdef CONFIG_MODEXCL
	struct kernel_read_file_hook hook;
	struct modexcl_load_check check;
	struct file *file;
	struct modexcl_record *record;
	struct modexcl_holder holder;
	struct modexcl_stamp stamp;
	struct excl_claim *pending;
	u64 file_size;
	int flags;
	bool sig_enforced;
	bool refused;
	bool compressed;
#endif
};

/**
 * struct modexcl_image_load - modexcl state of one init_module() call
 * @node: entry in the in-flight images while @merging, keyed by @digest
 * @check: what this call's load_module() found; for a call that joined
 *	another, the name of the module the winner loaded, set with @ret
 * @done: completed when the load this call joined ends
 * @len: length of the image
 * @ret: the joined load's answer, set before @done completes
 * @winner_sig_ok: the joined load's module had a verified signature
 * @winner_sig_enforced: signatures were enforced when the joined load began
 * @sig_enforced: signatures were enforced when this call began
 * @merging: this call merges with concurrent calls of the same image
 * @winner: this call loads the image; the others joined it
 * @digest: SHA-256 of the image
 *
 * Lives on the caller's stack from modexcl_image_load_join() to
 * modexcl_image_load_end(), or to the join's answer.
 */
struct modexcl_image_load {
#ifdef CONFIG_MODEXCL
	struct hlist_node node;
	struct modexcl_load_check check;
	struct completion done;
	unsigned long len;
	int ret;
	bool winner_sig_ok;
	bool winner_sig_enforced;
	bool sig_enforced;
	bool merging;
	bool winner;
	u8 digest[SHA256_DIGEST_SIZE];
#endif
};

/**
 * struct modexcl_module_join - modexcl state of an idempotent joiner
 * @record: referenced record of the file, or NULL
 * @file_size: size of the file, which the joiner does not read
 * @start: CLOCK_MONOTONIC ns when the wait began
 *
 * Lives on the joiner's stack from modexcl_module_join_begin() to
 * modexcl_module_join_end().
 */
struct modexcl_module_join {
#ifdef CONFIG_MODEXCL
	struct modexcl_record *record;
	u64 file_size;
	u64 start;
#endif
};

#ifdef CONFIG_MODEXCL

bool modexcl_image_load_join(struct modexcl_image_load *il,
			     struct load_info *info, const void __user *umod,
			     unsigned long len, int *ret);
void modexcl_image_load_end(struct modexcl_image_load *il,
			    const struct load_info *info, int ret);
void modexcl_module_load_begin(struct modexcl_module_load *load,
			       struct load_info *info, struct file *file,
			       int flags);
const struct kernel_read_file_hook *
modexcl_module_read_hook(struct modexcl_module_load *load);
bool modexcl_module_read_refused(const struct modexcl_module_load *load);
void modexcl_module_image_ready(struct modexcl_module_load *load,
				const struct load_info *info);
void modexcl_module_load_end(struct modexcl_module_load *load,
			     const struct load_info *info, int ret);
void modexcl_module_checked(const struct load_info *info, int err,
			    enum fail_dup_mod_reason reason);
void modexcl_module_join_begin(struct modexcl_module_join *join,
			       struct file *file);
void modexcl_module_join_end(struct modexcl_module_join *join);

#else /* !CONFIG_MODEXCL */

static inline bool modexcl_image_load_join(struct modexcl_image_load *il,
					   struct load_info *info,
					   const void __user *umod,
					   unsigned long len, int *ret)
{
	return false;
}

static inline void modexcl_image_load_end(struct modexcl_image_load *il,
					  const struct load_info *info,
					  int ret)
{
}

static inline void modexcl_module_load_begin(struct modexcl_module_load *load,
					     struct load_info *info,
					     struct file *file, int flags)
{
}

static inline const struct kernel_read_file_hook *
modexcl_module_read_hook(struct modexcl_module_load *load)
{
	return NULL;
}

static inline bool
modexcl_module_read_refused(const struct modexcl_module_load *load)
{
	return false;
}

static inline void
modexcl_module_image_ready(struct modexcl_module_load *load,
			   const struct load_info *info)
{
}

static inline void modexcl_module_load_end(struct modexcl_module_load *load,
					   const struct load_info *info,
					   int ret)
{
}

static inline void modexcl_module_checked(const struct load_info *info,
					  int err,
					  enum fail_dup_mod_reason reason)
{
}

static inline void modexcl_module_join_begin(struct modexcl_module_join *join,
					     struct file *file)
{
}

static inline void modexcl_module_join_end(struct modexcl_module_join *join)
{
}

#endif /* CONFIG_MODEXCL */

#endif /* _KERNEL_MODULE_HOLD_H */
