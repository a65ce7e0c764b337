// SPDX-License-Identifier: GPL-2.0-only
/*
 * modexcl in the module loader. Counts every finit_module() attempt in the
 * per-file records (load, dup-concurrent, dup-serial, dup-read or failed),
 * and implements the "hold" policy of the kernel-module reader: after a
 * successful load, a claim (module name, load flags, change stamp of the
 * file taken while its writers were denied) lets a later load of the
 * unchanged file with the same flags, while the module is live, fail with
 * -EEXIST before the file is read, instead of reading it to find out. A
 * claim watches its file's inode with an fsnotify mark, the way audit
 * watches files: anything that could change the bytes (a write, a writer's
 * close, which also ends every shared writable mapping, a truncate, an
 * attribute change, a rename or unlink) voids it. The mark pins the inode,
 * not the mount. A claim is dropped when the module goes and voided when
 * any check stock repeats on every load could answer differently.
 */
#define pr_fmt(fmt) "modexcl: " fmt

#include <crypto/sha2.h>
#include <linux/audit.h>
#include <linux/dcache.h>
#include <linux/elf.h>
#include <linux/fs.h>
#include <linux/fsnotify_backend.h>
#include <linux/hashtable.h>
#include <linux/ima.h>
#include <linux/kernel_read_file.h>
#include <linux/kernel_read_file_policy.h>
#include <linux/ktime.h>
#include <linux/uaccess.h>
#include <linux/list.h>
#include <linux/magic.h>
#include <linux/modexcl.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/stat.h>
#include <uapi/linux/module.h>

#include "internal.h"
#include "hold.h"

#define CREATE_TRACE_POINTS
#include <trace/events/modexcl_hold.h>

/**
 * struct excl_claim - a live module loaded from a file under hold
 * @mark: fsnotify mark on @inode; the claim is freed with it
 * @node: entry in &claims while @listed
 * @inode: the file's real inode, pinned by @mark: the file's identity
 * @file_ino: inode number the file's record is keyed by (file_inode(),
 *	which overlayfs makes differ from @inode)
 * @file_dev: device the file's record is keyed by
 * @stamp: stamp of the file taken in the read that loaded the module
 * @flags: finit_module() flags of that load
 * @sig_ok: the module's signature was verified
 * @sig_enforced: module signatures were enforced before the signature check
 *	of the load the claim was taken from
 * @listed: on &claims; whoever clears it owns the end of the claim
 * @voided: the file may have changed since the stamp: never listed again
 * @name: module name
 *
 * Prepared, mark added, in the read of a load (writers denied), listed when
 * the load succeeds; from the stamp on, the mark sees every change.
 */
struct excl_claim {
	struct fsnotify_mark mark;
	struct list_head node;
	struct inode *inode;
	u64 file_ino;
	u32 file_dev;
	struct modexcl_stamp stamp;
	int flags;
	bool sig_ok;
	bool sig_enforced;
	bool listed;
	bool voided;
	char name[MODULE_NAME_LEN];
};

/**
 * struct image_claim - the image of a live module loaded under hold
 * @node: entry in &image_claims
 * @len: length of the image
 * @sig_ok: the module's signature was verified
 * @sig_enforced: module signatures were enforced when its load began
 * @digest: SHA-256 of the image. The bytes are the identity: there is no
 *	file that could change under the claim.
 * @name: module name
 */
struct image_claim {
	struct list_head node;
	unsigned long len;
	bool sig_ok;
	bool sig_enforced;
	u8 digest[SHA256_DIGEST_SIZE];
	char name[MODULE_NAME_LEN];
};

/*
 * What voids a claim: every event on the inode that can follow a change of
 * its bytes or its identity. A write through a shared mapping moves no
 * cookie on tmpfs (no page_mkwrite); its file is open for write until the
 * mapping goes, so loads meet -ETXTBSY as on stock until FS_CLOSE_WRITE.
 */
#define CLAIM_FS_EVENTS	(FS_MODIFY | FS_ATTRIB | FS_CLOSE_WRITE | \
			 FS_MOVE_SELF | FS_DELETE_SELF)

/* The fsnotify group of the claims' marks; NULL if it could not be made. */
static struct fsnotify_group *claim_group __ro_after_init;

/*
 * At most one listed claim per module name. claims_lock protects the list
 * and the @listed and @voided flags of every claim.
 */
static LIST_HEAD(claims);
static DEFINE_SPINLOCK(claims_lock);

/* At most one image claim per module name; claims_lock protects the list. */
static LIST_HEAD(image_claims);

/* Set at boot when LSM policy changes cannot be seen; never cleared. */
static bool no_lsm_notifier __ro_after_init;

/*
 * Why hold cannot apply now, the gate sysfs and netlink report through
 * modexcl_mode_inactive(). A refused load skips ima_post_read_file(): only
 * equivalent while no IMA rule could measure, appraise, audit or hash a
 * module read. Asked at every decision, since a policy write can add such a
 * rule at any time; with IMA built in and no such rule (the usual
 * distribution boot) hold applies. Without the LSM notifier a claim could
 * outlive an LSM policy change, without the fsnotify group a file change:
 * hold never applies then.
 */
static u32 hold_inactive(void)
{
	u32 why = 0;

	if (ima_policy_covers_read(READING_MODULE))
		why |= MODEXCL_INACTIVE_BY_IMA_POLICY;
	if (no_lsm_notifier)
		why |= MODEXCL_INACTIVE_BY_NO_LSM_NOTIFIER;
	if (!claim_group)
		why |= MODEXCL_INACTIVE_BY_NO_FILE_WATCH;
	return why;
}

static bool hold_possible(void)
{
	return !hold_inactive();
}

/* The module reader is in hold mode and hold applies now. */
static bool hold_in_force(void)
{
	return modexcl_policy_get(READING_MODULE) == MODEXCL_HOLD &&
	       hold_possible();
}

static bool stamp_equal(const struct modexcl_stamp *a,
			const struct modexcl_stamp *b)
{
	return a->change_cookie == b->change_cookie && a->ino == b->ino &&
	       a->dev == b->dev && a->size == b->size &&
	       a->has_btime == b->has_btime && a->btime_sec == b->btime_sec &&
	       a->btime_nsec == b->btime_nsec;
}

static bool claim_matches(const struct excl_claim *claim,
			  const struct modexcl_stamp *stamp, int flags)
{
	return claim->flags == flags && stamp_equal(&claim->stamp, stamp);
}

/*
 * The file systems whose every change of a file's bytes passes through this
 * kernel's VFS, where the claim's fsnotify mark sees it, and on which hold
 * is tested. NFS and Ceph give change cookies too, but another client can
 * change a file with no event here, and a cookie from attributes cached for
 * up to actimeo seconds can miss the change: hold does not apply to files
 * on them, nor on any file system not listed; their loads go on as stock.
 */
static bool changes_seen_here(const struct super_block *sb)
{
	switch (sb->s_magic) {
	case EXT4_SUPER_MAGIC:
	case XFS_SUPER_MAGIC:
	case BTRFS_SUPER_MAGIC:
	case TMPFS_MAGIC:
		return true;
	default:
		return false;
	}
}

/*
 * Stamp @file as IMA identifies a file version: vfs_getattr_nosec() for
 * the change cookie, the real inode (overlayfs) for identity. Returns false,
 * and no claim can be made, when the file system has no change cookie or
 * could change the file without this kernel seeing it.
 */
static bool take_stamp(struct file *file, struct modexcl_stamp *stamp)
{
	struct inode *real = d_real_inode(file_dentry(file));
	struct kstat stat;

	if (!changes_seen_here(real->i_sb))
		return false;
	if (vfs_getattr_nosec(&file->f_path, &stat,
			      STATX_CHANGE_COOKIE | STATX_INO | STATX_SIZE |
			      STATX_BTIME, AT_STATX_SYNC_AS_STAT))
		return false;
	if (!(stat.result_mask & STATX_CHANGE_COOKIE))
		return false;

	memset(stamp, 0, sizeof(*stamp));
	stamp->change_cookie = stat.change_cookie;
	stamp->ino = real->i_ino;
	stamp->dev = real->i_sb->s_dev;
	stamp->size = stat.size;
	if (stat.result_mask & STATX_BTIME) {
		stamp->has_btime = true;
		stamp->btime_sec = stat.btime.tv_sec;
		stamp->btime_nsec = stat.btime.tv_nsec;
	}
	return true;
}

/* Whether module @name is LIVE; COMING, GOING and absent are not. */
static bool module_name_is_live(const char *name)
{
	struct module *mod;

	guard(preempt)();
	mod = find_module_all(name, strlen(name), true);
	return mod && mod->state == MODULE_STATE_LIVE;
}

static struct excl_claim *claim_find(const struct inode *inode,
				     const struct modexcl_stamp *stamp,
				     int flags)
{
	struct excl_claim *claim;

	lockdep_assert_held(&claims_lock);
	list_for_each_entry(claim, &claims, node)
		if (claim->inode == inode && claim_matches(claim, stamp, flags))
			return claim;
	return NULL;
}

/*
 * A new claim on @inode, its mark added: from now on a change voids it.
 * NULL when it cannot be watched; the load then goes on as shared.
 */
static struct excl_claim *claim_prepare(struct inode *inode)
{
	struct excl_claim *claim;

	if (!claim_group)
		return NULL;
	claim = kzalloc(sizeof(*claim), GFP_KERNEL);
	if (!claim)
		return NULL;
	INIT_LIST_HEAD(&claim->node);
	claim->inode = inode;
	fsnotify_init_mark(&claim->mark, claim_group);
	claim->mark.mask = CLAIM_FS_EVENTS;
	if (fsnotify_add_inode_mark(&claim->mark, inode, 0)) {
		fsnotify_put_mark(&claim->mark);
		return NULL;
	}
	return claim;
}

/*
 * End a claim the caller owns (unlisted, or never listed): detach its mark;
 * the claim is freed with the mark's last reference. Sleeps.
 */
static void claim_end(struct excl_claim *claim, const char *reason)
{
	if (reason)
		trace_modexcl_claim_voided(claim->name, claim->stamp.ino,
					   claim->stamp.dev, reason);
	fsnotify_destroy_mark(&claim->mark, claim_group);
	fsnotify_put_mark(&claim->mark);
}

/* Void @claim; true when it was listed and the caller now owns its end. */
static bool claim_unlist(struct excl_claim *claim)
{
	lockdep_assert_held(&claims_lock);
	claim->voided = true;
	if (!claim->listed)
		return false;
	claim->listed = false;
	list_del_init(&claim->node);
	return true;
}

/*
 * Take the claims of module @name (of every module when @name is NULL) off
 * the lists: its file claims onto @files, voided, and its image claim onto
 * @images; a NULL list leaves that kind listed. The caller ends them with
 * claims_end() once claims_lock is dropped.
 */
static void claims_unlist(const char *name, struct list_head *files,
			  struct list_head *images)
{
	struct image_claim *ic, *inext;
	struct excl_claim *claim, *next;

	lockdep_assert_held(&claims_lock);
	if (files) {
		list_for_each_entry_safe(claim, next, &claims, node) {
			if (name && strcmp(claim->name, name))
				continue;
			claim->listed = false;
			claim->voided = true;
			list_move(&claim->node, files);
		}
	}
	if (images) {
		list_for_each_entry_safe(ic, inext, &image_claims, node)
			if (!name || !strcmp(ic->name, name))
				list_move(&ic->node, images);
	}
}

/*
 * End the claims claims_unlist() took onto @files and @images (either may
 * be NULL): traced as voided for @reason, or silently when @reason is NULL
 * (replaced by a newer claim). Sleeps.
 */
static void claims_end(struct list_head *files, struct list_head *images,
		       const char *reason)
{
	struct image_claim *ic, *inext;
	struct excl_claim *claim, *next;

	if (files) {
		list_for_each_entry_safe(claim, next, files, node) {
			list_del_init(&claim->node);
			claim_end(claim, reason);
		}
	}
	if (images) {
		list_for_each_entry_safe(ic, inext, images, node) {
			if (reason)
				trace_modexcl_claim_voided(ic->name, 0, 0,
							   reason);
			kfree(ic);
		}
	}
}

/*
 * Drop the file and image claims of module @name (every claim when @name
 * is NULL).
 */
static void claims_void(const char *name, const char *reason)
{
	LIST_HEAD(images);
	LIST_HEAD(files);

	spin_lock(&claims_lock);
	claims_unlist(name, &files, &images);
	spin_unlock(&claims_lock);
	claims_end(&files, &images, reason);
}

/*
 * After a load of an image by init_module() under hold, or at the first
 * refusal of its plain file: keep its digest with the module, replacing
 * the module's old image claim, while it is live.
 */
static void image_claim_add(const u8 *digest, unsigned long len, bool sig_ok,
			    bool sig_enforced, const char *name)
{
	struct image_claim *ic;
	LIST_HEAD(replaced);
	bool taken = false;

	if (!hold_in_force())
		return;
	ic = kzalloc(sizeof(*ic), GFP_KERNEL);
	if (!ic)
		return;
	ic->len = len;
	ic->sig_ok = sig_ok;
	ic->sig_enforced = sig_enforced;
	memcpy(ic->digest, digest, sizeof(ic->digest));
	strscpy(ic->name, name);

	spin_lock(&claims_lock);
	/* A GOING module may already have run our notifier: no claim then. */
	if (module_name_is_live(ic->name)) {
		claims_unlist(ic->name, NULL, &replaced);
		list_add(&ic->node, &image_claims);
		taken = true;
	}
	spin_unlock(&claims_lock);

	claims_end(NULL, &replaced, NULL);
	if (taken)
		trace_modexcl_claim_taken(ic->name, 0, 0, "loaded");
	else
		kfree(ic);
}

/*
 * The file of @mark's claim may have changed. Called in the changing task,
 * as inotify's one-shot marks are, where the mark may be destroyed.
 */
static int claim_inode_event(struct fsnotify_mark *mark, u32 mask,
			     struct inode *inode, struct inode *dir,
			     const struct qstr *file_name, u32 cookie)
{
	struct excl_claim *claim = container_of(mark, struct excl_claim, mark);
	bool owned;

	spin_lock(&claims_lock);
	owned = claim_unlist(claim);
	spin_unlock(&claims_lock);
	/* Not listed: a load in flight owns it and will not list it. */
	if (owned)
		claim_end(claim, "file-changed");
	return 0;
}

/*
 * The mark is going: our claim_end(), or the inode's eviction or unmount.
 * In the last two the claim may still be listed, and its list reference
 * is ours to drop.
 */
static void claim_freeing_mark(struct fsnotify_mark *mark,
			       struct fsnotify_group *group)
{
	struct excl_claim *claim = container_of(mark, struct excl_claim, mark);
	bool owned;

	spin_lock(&claims_lock);
	owned = claim_unlist(claim);
	spin_unlock(&claims_lock);
	if (owned) {
		trace_modexcl_claim_voided(claim->name, claim->stamp.ino,
					   claim->stamp.dev, "unwatched");
		fsnotify_put_mark(mark);
	}
}

static void claim_free_mark(struct fsnotify_mark *mark)
{
	kfree(container_of(mark, struct excl_claim, mark));
}

static const struct fsnotify_ops claim_fsnotify_ops = {
	.handle_inode_event = claim_inode_event,
	.freeing_mark = claim_freeing_mark,
	.free_mark = claim_free_mark,
};

/*
 * Whether module_sig_check() would still pass a load that passed when
 * @claim was taken. A verified signature passes whatever enforcement or
 * lockdown say; an unsigned load is asked again what stock asks it.
 */
static const char *claim_sig_changed(bool sig_ok, bool sig_enforced)
{
	if (!IS_ENABLED(CONFIG_MODULE_SIG))
		return NULL;
	if (is_module_sig_enforced() && !sig_enforced)
		return "sig-enforced";
	if (!sig_ok && security_locked_down(LOCKDOWN_MODULE_SIGNATURE))
		return "lockdown";
	return NULL;
}

/* The image claim of module @name, or NULL. */
static struct image_claim *image_claim_of(const char *name)
{
	struct image_claim *ic;

	lockdep_assert_held(&claims_lock);
	list_for_each_entry(ic, &image_claims, node)
		if (!strcmp(ic->name, name))
			return ic;
	return NULL;
}

/*
 * At the first refusal of a plain module file under hold, keep the digest
 * of its bytes as its module's image claim, so that busybox's fallback,
 * init_module() of the same bytes, is refused as well. The file's bytes
 * are the bytes the module was loaded from: the claim that refused this
 * read matched, and any change since its stamp would have voided it; the
 * read's writers are denied while the file is hashed. Taken here, on a
 * duplicate, rather than at every load: one pass over the file through
 * the page cache in FILE_CHUNK pieces, no buffer of the file's size.
 */
#define FILE_CHUNK	SZ_4K

static void image_claim_from_file(struct file *file, loff_t size,
				  const char *name, bool sig_ok,
				  bool sig_enforced)
{
	struct sha256_state sctx;
	u8 digest[SHA256_DIGEST_SIZE];
	loff_t pos = 0;
	ssize_t n;
	u8 *chunk;

	chunk = kmalloc(FILE_CHUNK, GFP_KERNEL);
	if (!chunk)
		return;
	sha256_init(&sctx);
	while (pos < size) {
		n = kernel_read(file, chunk, min_t(loff_t, size - pos, FILE_CHUNK),
				&pos);
		if (n <= 0 || fatal_signal_pending(current))
			break;
		sha256_update(&sctx, chunk, n);
		cond_resched();
	}
	kfree(chunk);
	if (pos != size)
		return;
	sha256_final(&sctx, digest);
	image_claim_add(digest, size, sig_ok, sig_enforced, name);
}

/*
 * The kernel_read_file_hooked() hook: runs in hold mode after
 * security_kernel_read_file(), writers denied, before the buffer exists.
 */
static int hold_pre_alloc(struct file *file,
			  const struct kernel_read_file_hook *hook)
{
	struct modexcl_module_load *load =
		container_of(hook, struct modexcl_module_load, hook);
	struct inode *inode = d_real_inode(file_dentry(file));
	bool sig_ok, sig_enforced, digest_file = false;
	char name[MODULE_NAME_LEN];
	struct excl_claim *claim;
	const char *changed;

	if (!hold_possible())
		return 0;
	if (!take_stamp(file, &load->stamp)) {
		modexcl_record_set_unwatchable(load->record);
		return 0;
	}

	spin_lock(&claims_lock);
	claim = claim_find(inode, &load->stamp, load->flags);
	if (claim && module_name_is_live(claim->name)) {
		strscpy(name, claim->name);
		sig_ok = claim->sig_ok;
		sig_enforced = claim->sig_enforced;
		digest_file = !(load->flags & MODULE_INIT_COMPRESSED_FILE) &&
			      !image_claim_of(name);
	} else {
		claim = NULL;
	}
	spin_unlock(&claims_lock);

	if (claim) {
		changed = claim_sig_changed(sig_ok, sig_enforced);
		if (changed) {
			claims_void(name, changed);
			claim = NULL;
		}
	}
	if (!claim) {
		/* Writers are denied: the mark sees every change from here on. */
		load->pending = claim_prepare(inode);
		return 0;
	}

	if (digest_file)
		image_claim_from_file(file, load->stamp.size, name, sig_ok,
				      sig_enforced);
	/* The record stock writes before failing a duplicate with -EEXIST. */
	audit_log_kern_module(name);
	strscpy(load->check.name, name);
	load->refused = true;
	return -EEXIST;
}

/*
 * After a load that passed every check stock makes before it finds the
 * module live: a successful load, or a duplicate that read the file and
 * got stock's -EEXIST (the claim voided by a policy change is taken again
 * this way). List its prepared claim, if the file did not change since
 * the stamp and the module is still live; it replaces the module's old one.
 */
static void claim_take(struct modexcl_module_load *load,
		       const struct load_info *info, const char *why)
{
	struct excl_claim *claim = load->pending;
	LIST_HEAD(replaced);
	bool taken = false;

	/*
	 * Stamp the file again: the read may have moved the change cookie
	 * (xfs counts an atime update as a change). Any change since the
	 * first stamp has voided the claim through its mark.
	 */
	if (!take_stamp(load->file, &claim->stamp))
		return;
	claim->file_ino = file_inode(load->file)->i_ino;
	claim->file_dev = file_inode(load->file)->i_sb->s_dev;
	claim->flags = load->flags;
	claim->sig_ok = info->sig_ok;
	claim->sig_enforced = load->sig_enforced;
	strscpy(claim->name, load->check.name);

	spin_lock(&claims_lock);
	/* A GOING module may already have run our notifier: no claim then. */
	if (!claim->voided && module_name_is_live(claim->name)) {
		claims_unlist(claim->name, &replaced, NULL);
		list_add(&claim->node, &claims);
		claim->listed = true;
		load->pending = NULL;
		taken = true;
	}
	spin_unlock(&claims_lock);

	claims_end(&replaced, NULL, NULL);
	if (taken)
		trace_modexcl_claim_taken(load->check.name, load->stamp.ino,
					  load->stamp.dev, why);
}

/**
 * modexcl_module_claimed() - whether a hold claim covers a record now
 * @rec: a record
 *
 * A file's record is covered by the listed claim of its module taken from
 * that file, an init_module() record by its module's image claim. Asked
 * as a duplicate would ask it: no record while hold is not in force, nor
 * when signature enforcement or lockdown would void the claim now.
 *
 * Context: process context.
 * Return: true if a claim covers @rec.
 */
bool modexcl_module_claimed(const struct modexcl_record_snapshot *rec)
{
	bool covered = false, sig_ok = false, sig_enforced = false;
	const struct image_claim *ic;
	const struct excl_claim *claim;

	if (rec->reader != READING_MODULE || !rec->module[0] ||
	    !hold_in_force())
		return false;

	spin_lock(&claims_lock);
	if (!rec->dev) {
		ic = image_claim_of(rec->module);
		if (ic) {
			covered = true;
			sig_ok = ic->sig_ok;
			sig_enforced = ic->sig_enforced;
		}
	} else {
		list_for_each_entry(claim, &claims, node) {
			if (claim->file_ino == rec->ino &&
			    claim->file_dev == rec->dev &&
			    !strcmp(claim->name, rec->module)) {
				covered = true;
				sig_ok = claim->sig_ok;
				sig_enforced = claim->sig_enforced;
				break;
			}
		}
	}
	spin_unlock(&claims_lock);
	return covered && !claim_sig_changed(sig_ok, sig_enforced);
}

/**
 * modexcl_module_load_begin() - start the modexcl side of a winning load
 * @load: state of this load, on the loader's stack
 * @info: the load's info, which carries @load's check into load_module()
 * @file: the module file
 * @flags: finit_module() flags
 *
 * References the file's record and makes current its holder.
 *
 * Context: process context, may sleep.
 */
void modexcl_module_load_begin(struct modexcl_module_load *load,
			       struct load_info *info, struct file *file,
			       int flags)
{
	memset(load, 0, sizeof(*load));
	load->hook.pre_alloc = hold_pre_alloc;
	load->check.dup_reason = -1;
	info->modexcl = &load->check;
	load->file = file;
	load->flags = flags;
	load->sig_enforced = is_module_sig_enforced();
	load->file_size = i_size_read(file_inode(file));
	load->record = modexcl_record_get(READING_MODULE, file);
	modexcl_holder_init(&load->holder, current);
	modexcl_record_swap_holder(load->record, &load->holder);
}

/**
 * modexcl_module_read_hook() - the hook to pass to kernel_read_file_hooked()
 * @load: state of this load
 *
 * Return: the hook that applies hold claims to this load's read.
 */
const struct kernel_read_file_hook *
modexcl_module_read_hook(struct modexcl_module_load *load)
{
	return &load->hook;
}

/**
 * modexcl_module_read_refused() - whether a hold claim refused the read
 * @load: state of this load
 *
 * A refused read is a duplicate, not a failed kernel read.
 *
 * Return: true if the read ended with -EEXIST because of a claim.
 */
bool modexcl_module_read_refused(const struct modexcl_module_load *load)
{
	return load->refused;
}

/*
 * Bytes a dup-read wasted, as MODULE_STATS counts them: the file copy
 * (mod_stat_bump_becoming()) or, when the duplicate was found after
 * layout_and_allocate(), the copy and the module (mod_stat_bump_invalid()),
 * plus the compressed copy.
 */
static u64 dup_read_bytes(int dup_reason, int flags,
			  const struct load_info *info, u64 file_size)
{
	u64 bytes = info->len;

	if (dup_reason == FAIL_DUP_MOD_LOAD)
		bytes += info->len;
	if (flags & MODULE_INIT_COMPRESSED_FILE) {
#if defined(CONFIG_MODULE_DECOMPRESS) && defined(CONFIG_MODULE_STATS)
		bytes += info->compressed_len;
#else
		bytes += file_size;
#endif
	}
	return bytes;
}

static enum modexcl_outcome load_outcome(const struct modexcl_module_load *load,
					 int ret)
{
	if (load->refused)
		return MODEXCL_OUTCOME_DUP_SERIAL;
	if (load->check.dup_reason >= 0)
		return MODEXCL_OUTCOME_DUP_READ;
	if (ret && load->compressed)
		return MODEXCL_OUTCOME_FORMAT_REFUSED;
	return ret ? MODEXCL_OUTCOME_FAILED : MODEXCL_OUTCOME_LOAD;
}

/* The magic numbers of the formats module_decompress() may know. */
static const struct {
	u8 len;
	u8 magic[6];
} compressed_magics[] = {
	{ 6, { 0xfd, '7', 'z', 'X', 'Z', 0x00 } },	/* xz */
	{ 2, { 0x1f, 0x8b } },				/* gzip */
	{ 4, { 0x28, 0xb5, 0x2f, 0xfd } },		/* zstd */
};

/* Whether @len bytes at @image start as a compressed file does. */
static bool image_is_compressed(const void *image, unsigned long len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(compressed_magics); i++)
		if (len >= compressed_magics[i].len &&
		    !memcmp(image, compressed_magics[i].magic,
			    compressed_magics[i].len))
			return true;
	return false;
}

/**
 * modexcl_module_image_ready() - the image a finit_module() will load
 * @load: state passed to modexcl_module_load_begin()
 * @info: the image, decompressed if the file was
 *
 * Notes a compressed file read without MODULE_INIT_COMPRESSED_FILE: stock
 * fails it, and loaders that decompress in user space (kmod 30, busybox)
 * then retry with init_module(); its record counts a format refusal, not a
 * failure.
 *
 * Context: process context.
 */
void modexcl_module_image_ready(struct modexcl_module_load *load,
				const struct load_info *info)
{
	if (!(load->flags & MODULE_INIT_COMPRESSED_FILE) &&
	    image_is_compressed(info->hdr, info->len))
		load->compressed = true;
}

/**
 * modexcl_module_load_end() - count a winning load and take its claim
 * @load: state passed to modexcl_module_load_begin()
 * @info: the load's info (lengths and signature state are read)
 * @ret: the load's result
 *
 * Context: process context, may sleep.
 */
void modexcl_module_load_end(struct modexcl_module_load *load,
			     const struct load_info *info, int ret)
{
	enum modexcl_outcome outcome = load_outcome(load, ret);
	u64 bytes = 0;

	if (outcome == MODEXCL_OUTCOME_DUP_SERIAL)
		bytes = load->file_size;
	else if (outcome == MODEXCL_OUTCOME_DUP_READ)
		bytes = dup_read_bytes(load->check.dup_reason, load->flags,
				       info, load->file_size);
	if ((outcome == MODEXCL_OUTCOME_LOAD ||
	     outcome == MODEXCL_OUTCOME_DUP_READ) && load->pending &&
	    load->check.name[0])
		claim_take(load, info, outcome == MODEXCL_OUTCOME_LOAD ?
				       "loaded" : "duplicate");
	/* Not listed: the file changed, or the load earned no claim. */
	if (load->pending) {
		claim_end(load->pending, NULL);
		load->pending = NULL;
	}

	/* The holder stays the task that loaded the module. */
	if (outcome != MODEXCL_OUTCOME_LOAD)
		modexcl_record_swap_holder(load->record, &load->holder);
	modexcl_holder_release(&load->holder);
	modexcl_record_set_module(load->record, load->check.name);
	modexcl_record_account(load->record, outcome, bytes, 0);
	modexcl_record_put(load->record);
}

/**
 * modexcl_module_checked() - note what a duplicate check of a load found
 * @info: the load; its modexcl check, if it has one, is written
 * @err: what module_patient_check_exists() returned
 * @reason: FAIL_DUP_MOD_* of that check
 *
 * Called beside both calls of module_patient_check_exists(). -EEXIST and
 * -EBUSY are its answers after it counted a duplicate for MODULE_STATS,
 * so both classify the same loads as duplicates and count the same bytes.
 * A load that passed the second check has put its module in the list.
 *
 * Context: process context.
 */
void modexcl_module_checked(const struct load_info *info, int err,
			    enum fail_dup_mod_reason reason)
{
	struct modexcl_load_check *check = info->modexcl;

	if (!check)
		return;
	if (err == -EEXIST || err == -EBUSY)
		check->dup_reason = reason;
	else if (err || reason != FAIL_DUP_MOD_LOAD)
		return;
	strscpy(check->name, info->mod->name);
}

/**
 * modexcl_module_join_begin() - an idempotent joiner starts to wait
 * @join: state of this joiner, on its stack
 * @file: the module file
 *
 * Shows the joiner in its record's waiting count while it waits for the
 * winner of its load.
 *
 * Context: process context, may sleep.
 */
void modexcl_module_join_begin(struct modexcl_module_join *join,
			       struct file *file)
{
	join->record = modexcl_record_get(READING_MODULE, file);
	join->file_size = i_size_read(file_inode(file));
	modexcl_record_wait_begin(join->record);
	join->start = ktime_get_ns();
}

/**
 * modexcl_module_join_end() - an idempotent joiner has its answer
 * @join: state passed to modexcl_module_join_begin()
 *
 * Counts the joiner in dup-concurrent whatever the winner's result, with
 * the time it waited and the file bytes it did not read.
 *
 * Context: process context, may sleep.
 */
void modexcl_module_join_end(struct modexcl_module_join *join)
{
	u64 waited = ktime_get_ns() - join->start;

	modexcl_record_wait_end(join->record);
	modexcl_record_account(join->record, MODEXCL_OUTCOME_DUP_CONCURRENT,
			       join->file_size, waited);
	modexcl_record_put(join->record);
}

/*
 * init_module(): concurrent calls with byte-identical images are merged,
 * as the idempotent path merges finit_module() of one inode, under the
 * exclusive and hold modes of the kernel-module reader. The image is
 * identified by its SHA-256, streamed from the caller's buffer in small
 * chunks before anything is allocated; one call loads it, the others wait
 * and get what stock gives a duplicate that waited for a load of its
 * module: -EEXIST when the module is live, -EBUSY when it failed or went
 * (module_patient_check_exists()). A load that failed before it put its
 * module in the module list lets each of them load as stock would,
 * unmerged.
 *
 * images_lock protects the hash and what the winner's end writes into the
 * entries of the calls that joined it (@ret, the winner's signature state,
 * @check.name); an entry lives on its caller's stack and is unhashed,
 * under the lock, by the winner's end or by its own caller before that
 * caller returns. Apart from that @check.name, a call's @check is written
 * by its own task only.
 */
#define IMAGES_HASH_BITS	4
#define IMAGE_CHUNK		256

static DEFINE_HASHTABLE(images, IMAGES_HASH_BITS);
static DEFINE_SPINLOCK(images_lock);

/*
 * The record of the images of module @name: init_module() has no file, so
 * its loads are counted per module, as "[init_module]", under an id taken
 * from the name's digest. NULL while the name is not known.
 */
static struct modexcl_record *image_record(const char *name)
{
	u8 digest[SHA256_DIGEST_SIZE];
	struct modexcl_record *rec;
	u64 id;

	if (!name[0])
		return NULL;
	sha256(name, strlen(name), digest);
	memcpy(&id, digest, sizeof(id));
	rec = modexcl_record_get_fileless(READING_MODULE, id, "[init_module]");
	modexcl_record_set_module(rec, name);
	return rec;
}

/* Count one init_module() call in the record of its module. */
static void image_account(const struct modexcl_image_load *il,
			  enum modexcl_outcome outcome, u64 bytes, u64 wait_ns)
{
	struct modexcl_record *rec = image_record(il->check.name);

	modexcl_record_account(rec, outcome, bytes, wait_ns);
	modexcl_record_put(rec);
}

/*
 * A joiner skips what stock does after security_kernel_load_data():
 * the copy, security_kernel_post_load_data() (IMA measures the buffer as
 * critical data) and load_module()'s checks of the same bytes. Merge only
 * when hold could refuse a duplicate and no IMA rule could act on the
 * buffer; the signature state is compared after the wait.
 */
static bool image_merge_possible(void)
{
	int mode = modexcl_policy_get(READING_MODULE);

	if (mode != MODEXCL_EXCLUSIVE && mode != MODEXCL_HOLD)
		return false;
	return !hold_inactive() && !ima_policy_covers_load_data(LOADING_MODULE);
}

/* SHA-256 of the user buffer, or an error (stock then decides). */
static int image_digest(const void __user *umod, unsigned long len, u8 *out)
{
	struct sha256_state sctx;
	u8 chunk[IMAGE_CHUNK];
	unsigned long done;
	size_t n;

	sha256_init(&sctx);
	for (done = 0; done < len; done += n) {
		n = min_t(unsigned long, len - done, sizeof(chunk));
		if (copy_from_user(chunk, umod + done, n))
			return -EFAULT;
		sha256_update(&sctx, chunk, n);
		if (!(done & (SZ_64K - 1))) {
			if (fatal_signal_pending(current))
				return -EINTR;
			cond_resched();
		}
	}
	sha256_final(&sctx, out);
	return 0;
}

static u32 image_key(const struct modexcl_image_load *il)
{
	u32 key;

	memcpy(&key, il->digest, sizeof(key));
	return key;
}

static bool image_same(const struct modexcl_image_load *a,
		       const struct modexcl_image_load *b)
{
	return a->len == b->len && !memcmp(a->digest, b->digest,
					   sizeof(a->digest));
}

/* Take @il out of the hash if the winner's end has not already. */
static void image_unhash(struct modexcl_image_load *il)
{
	spin_lock(&images_lock);
	if (!hlist_unhashed(&il->node))
		hash_del(&il->node);
	spin_unlock(&images_lock);
}

/* Hash @il; true when another call of the same image is loading it. */
static bool image_enter(struct modexcl_image_load *il)
{
	struct modexcl_image_load *pos;
	bool joined = false;

	init_completion(&il->done);
	il->ret = -EINTR;
	spin_lock(&images_lock);
	hash_for_each_possible(images, pos, node, image_key(il)) {
		if (image_same(pos, il)) {
			joined = true;
			break;
		}
	}
	il->winner = !joined;
	hash_add(images, &il->node, image_key(il));
	spin_unlock(&images_lock);
	return joined;
}

/*
 * Stock's answer to this call after the load it joined ended, or 0 when
 * only its own load can tell: the load failed before its module existed
 * (these bytes would fail stock's checks themselves, or pass them), or
 * module_sig_check() could answer these bytes differently now.
 */
static int image_answer(const struct modexcl_image_load *il)
{
	if (il->ret)
		return il->check.name[0] ? -EBUSY : 0;
	if (claim_sig_changed(il->winner_sig_ok, il->winner_sig_enforced))
		return 0;
	return module_name_is_live(il->check.name) ? -EEXIST : -EBUSY;
}

/*
 * A serial duplicate under hold: @il's image is the image claim of a live
 * module, which init_module() loaded under hold or whose plain file a
 * claim refused. Stock would ask
 * security_kernel_load_data(), copy the image, ask
 * security_kernel_post_load_data() (IMA alone acts there, and
 * image_merge_possible() asked that no IMA rule can), check the signature
 * (claim_sig_changed() says when it could answer otherwise now), check the
 * same bytes as the first load did, and find the module live: -EEXIST.
 * Returns that answer, what security_kernel_load_data() said, or 0 to go
 * on as stock.
 */
static int image_claim_answer(struct modexcl_image_load *il)
{
	bool sig_ok = false, sig_enforced = false;
	char name[MODULE_NAME_LEN] = "";
	const struct image_claim *ic;
	const char *changed;
	int err;

	if (!hold_in_force())
		return 0;
	spin_lock(&claims_lock);
	list_for_each_entry(ic, &image_claims, node) {
		if (ic->len == il->len &&
		    !memcmp(ic->digest, il->digest, sizeof(ic->digest))) {
			strscpy(name, ic->name);
			sig_ok = ic->sig_ok;
			sig_enforced = ic->sig_enforced;
			break;
		}
	}
	spin_unlock(&claims_lock);
	if (!name[0])
		return 0;
	changed = claim_sig_changed(sig_ok, sig_enforced);
	if (changed) {
		claims_void(name, changed);
		return 0;
	}
	if (!module_name_is_live(name))
		return 0;

	strscpy(il->check.name, name);
	err = security_kernel_load_data(LOADING_MODULE, true);
	if (err)
		return err;
	/* The record stock writes before failing a duplicate with -EEXIST. */
	audit_log_kern_module(name);
	return -EEXIST;
}

/* This call is answered without a load of its own: count it, it is over. */
static bool image_answered(struct modexcl_image_load *il, int err,
			   enum modexcl_outcome outcome, u64 bytes, u64 wait_ns,
			   int *ret)
{
	image_account(il, outcome, bytes, wait_ns);
	*ret = err;
	return true;
}

/**
 * modexcl_image_load_join() - join a concurrent init_module() of one image
 * @il: state of this call, on the caller's stack
 * @info: the call's load info, which carries @il's check into load_module()
 * @umod: the image in user space
 * @len: its length
 * @ret: where the answer goes when this call joined another
 *
 * Call after may_init_module(). Returns false when this call loads the
 * image itself: it then calls modexcl_image_load_end() with the result.
 * Returns true with *@ret set when another call of the same image answered
 * it: -EEXIST or -EBUSY, as module_patient_check_exists() answers a
 * duplicate; or what security_kernel_load_data() said, asked first as
 * stock asks it; or -EINTR when a fatal signal ended the wait. Under hold,
 * a call whose image is the image claim of a live module (an init_module()
 * load under hold, or a refused finit_module() of its plain file) gets
 * -EEXIST at once, the same way.
 *
 * Context: process context, may sleep.
 */
bool modexcl_image_load_join(struct modexcl_image_load *il,
			     struct load_info *info, const void __user *umod,
			     unsigned long len, int *ret)
{
	u64 start;
	int err;

	memset(il, 0, sizeof(*il));
	INIT_HLIST_NODE(&il->node);
	il->check.dup_reason = -1;
	info->modexcl = &il->check;
	il->len = len;

	/* Stock answers a short image -ENOEXEC before asking anything. */
	if (len < sizeof(Elf_Ehdr) || !image_merge_possible())
		return false;
	il->sig_enforced = is_module_sig_enforced();
	if (image_digest(umod, len, il->digest))
		return false;

	err = image_claim_answer(il);
	if (err == -EEXIST)
		return image_answered(il, err, MODEXCL_OUTCOME_DUP_SERIAL, len,
				      0, ret);
	if (err)
		return image_answered(il, err, MODEXCL_OUTCOME_FAILED, 0, 0, ret);

	il->merging = true;
	if (!image_enter(il))
		return false;

	err = security_kernel_load_data(LOADING_MODULE, true);
	if (err) {
		image_unhash(il);
		return image_answered(il, err, MODEXCL_OUTCOME_FAILED, 0, 0, ret);
	}
	start = ktime_get_ns();
	if (wait_for_completion_killable(&il->done)) {
		image_unhash(il);
		return image_answered(il, -EINTR, MODEXCL_OUTCOME_FAILED, 0, 0,
				      ret);
	}
	err = image_answer(il);
	if (!err) {
		/* Unmerged from here: this call loads as stock would. */
		il->merging = false;
		return false;
	}
	/* The record stock writes before failing a duplicate. */
	audit_log_kern_module(il->check.name);
	return image_answered(il, err, MODEXCL_OUTCOME_DUP_CONCURRENT, len,
			      ktime_get_ns() - start, ret);
}

/* Hand the answer of @il's load to the calls that joined it. */
static void image_answer_joiners(struct modexcl_image_load *il,
				 const struct load_info *info, int ret)
{
	struct modexcl_image_load *pos;
	struct hlist_node *next;

	spin_lock(&images_lock);
	hash_for_each_possible_safe(images, pos, next, node, image_key(il)) {
		if (!image_same(pos, il))
			continue;
		hash_del(&pos->node);
		if (pos == il)
			continue;
		pos->ret = ret;
		pos->winner_sig_ok = info->sig_ok;
		pos->winner_sig_enforced = il->sig_enforced;
		strscpy(pos->check.name, il->check.name);
		complete(&pos->done);
	}
	spin_unlock(&images_lock);
}

/**
 * modexcl_image_load_end() - end an init_module() that loaded its image
 * @il: state passed to modexcl_image_load_join()
 * @info: the load's info (lengths and signature state are read)
 * @ret: the load's result
 *
 * Answers the calls that joined this one, keeps the image's claim under
 * hold, and counts the call in its module's record: a load, a duplicate
 * that copied the image (the bytes MODULE_STATS counts for it), or a
 * failure (in the totals when the module's name was never known).
 *
 * Context: process context.
 */
void modexcl_image_load_end(struct modexcl_image_load *il,
			    const struct load_info *info, int ret)
{
	enum modexcl_outcome outcome = MODEXCL_OUTCOME_LOAD;
	u64 bytes = 0;

	if (il->merging) {
		if (!ret && il->winner && il->check.name[0])
			image_claim_add(il->digest, il->len, info->sig_ok,
					il->sig_enforced, il->check.name);
		image_answer_joiners(il, info, ret);
	}
	if (il->check.dup_reason >= 0) {
		outcome = MODEXCL_OUTCOME_DUP_READ;
		bytes = dup_read_bytes(il->check.dup_reason, 0, info, il->len);
	} else if (ret) {
		outcome = MODEXCL_OUTCOME_FAILED;
	}
	image_account(il, outcome, bytes, 0);
}

static int hold_module_notify(struct notifier_block *nb, unsigned long state,
			      void *data)
{
	struct module *mod = data;

	if (state == MODULE_STATE_GOING) {
		claims_void(mod->name, "module-going");
		modexcl_records_module_gone(mod->name);
	}
	return NOTIFY_DONE;
}

static struct notifier_block hold_module_nb = {
	.notifier_call = hold_module_notify,
};

static int hold_lsm_notify(struct notifier_block *nb, unsigned long event,
			   void *data)
{
	if (event == LSM_POLICY_CHANGE)
		claims_void(NULL, "lsm-policy");
	return NOTIFY_DONE;
}

static struct notifier_block hold_lsm_nb = {
	.notifier_call = hold_lsm_notify,
};

static int hold_policy_notify(struct notifier_block *nb, unsigned long action,
			      void *data)
{
	const struct modexcl_policy_event *ev = data;

	if (action == MODEXCL_NOTIFY_POLICY && ev->reader == READING_MODULE &&
	    ev->mode != MODEXCL_HOLD)
		claims_void(NULL, "policy");
	return NOTIFY_DONE;
}

static struct notifier_block hold_policy_nb = {
	.notifier_call = hold_policy_notify,
};

static int __init modexcl_hold_init(void)
{
	int ret;

	modexcl_policy_set_hold_gate(hold_inactive);
	claim_group = fsnotify_alloc_group(&claim_fsnotify_ops,
					   FSNOTIFY_GROUP_DUPS);
	if (IS_ERR(claim_group)) {
		pr_err("no fsnotify group (%ld): hold cannot apply\n",
		       PTR_ERR(claim_group));
		claim_group = NULL;
	}
	ret = register_module_notifier(&hold_module_nb);
	if (ret)
		return ret;
	ret = modexcl_register_notifier(&hold_policy_nb);
	if (ret)
		return ret;
	/* Without the LSM notifier, claims could outlive a policy change. */
	ret = register_blocking_lsm_notifier(&hold_lsm_nb);
	if (ret) {
		pr_err("no LSM policy notifier (%d): hold cannot apply\n", ret);
		no_lsm_notifier = true;
	}
	return 0;
}
core_initcall(modexcl_hold_init);

#if IS_ENABLED(CONFIG_MODEXCL_KUNIT_TEST)
#include "hold_test.c"
#endif
