// SPDX-License-Identifier: GPL-2.0-only
/*
 * modexcl in the module loader. Counts every finit_module() attempt in the
 * per-file records (load, dup-concurrent, dup-serial, dup-read or failed),
 * and implements the "hold" policy of the kernel-module reader: after a
 * successful load, a claim (module name, load flags, change stamp of the
 * file taken while its writers were denied) lets a later load of the
 * unchanged file with the same flags, while the module is live, fail with
 * -EEXIST before the file is read, instead of reading it to find out. A
 * claim pins nothing; it is dropped when the module goes and voided when
 * any check stock repeats on every load could answer differently.
 */
#define pr_fmt(fmt) "modexcl: " fmt

#include <linux/audit.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/ima.h>
#include <linux/kernel_read_file.h>
#include <linux/kernel_read_file_policy.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/modexcl.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/stat.h>
#include <uapi/linux/module.h>

#include "internal.h"
#include "hold.h"

#define CREATE_TRACE_POINTS
#include <trace/events/modexcl_hold.h>

#define LOADS_HASH_BITS	6

/**
 * struct excl_claim - a live module loaded from a file under hold
 * @node: entry in &claims
 * @stamp: stamp of the file taken in the read that loaded the module
 * @flags: finit_module() flags of that load
 * @sig_ok: the module's signature was verified
 * @sig_enforced: module signatures were enforced before the signature check
 *	of the load the claim was taken from
 * @name: module name
 */
struct excl_claim {
	struct list_head node;
	struct modexcl_stamp stamp;
	int flags;
	bool sig_ok;
	bool sig_enforced;
	char name[MODULE_NAME_LEN];
};

/* At most one claim per module name. claims_lock protects the list. */
static LIST_HEAD(claims);
static DEFINE_SPINLOCK(claims_lock);

/*
 * Winning finit_module() loads in flight, by task, so that hooks deep in
 * load_module() (module_patient_check_exists(), the COMING notifier) find
 * the load of current. Entries live on their loader's stack and only that
 * task adds or removes them; loads_lock protects the hash.
 */
static DEFINE_HASHTABLE(loads_by_task, LOADS_HASH_BITS);
static DEFINE_SPINLOCK(loads_lock);

/* Set at boot when LSM policy changes cannot be seen; never cleared. */
static bool no_lsm_notifier __ro_after_init;

/*
 * Why hold cannot apply now, the gate sysfs and netlink report through
 * modexcl_mode_inactive(). A refused load skips ima_post_read_file(): only
 * equivalent while no IMA rule could measure, appraise, audit or hash a
 * module read. Asked at every decision, since a policy write can add such a
 * rule at any time; with IMA built in and no such rule (the usual
 * distribution boot) hold applies. Without the LSM notifier a claim could
 * outlive an LSM policy change, so hold never applies.
 */
static u32 hold_inactive(void)
{
	u32 why = 0;

	if (ima_policy_covers_read(READING_MODULE))
		why |= MODEXCL_INACTIVE_BY_IMA_POLICY;
	if (no_lsm_notifier)
		why |= MODEXCL_INACTIVE_BY_NO_LSM_NOTIFIER;
	return why;
}

static bool hold_possible(void)
{
	return !hold_inactive();
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
 * Stamp @file as IMA identifies a file version: vfs_getattr_nosec() for
 * the change cookie, the real inode (overlayfs) for identity. Returns false,
 * and no claim can be made, when the file system has no change cookie.
 */
static bool take_stamp(struct file *file, struct modexcl_stamp *stamp)
{
	struct inode *real = d_real_inode(file_dentry(file));
	struct kstat stat;

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

static struct excl_claim *claim_find(const struct modexcl_stamp *stamp,
				     int flags)
{
	struct excl_claim *claim;

	lockdep_assert_held(&claims_lock);
	list_for_each_entry(claim, &claims, node)
		if (claim_matches(claim, stamp, flags))
			return claim;
	return NULL;
}

static void claim_free(struct excl_claim *claim, const char *reason)
{
	trace_modexcl_claim_voided(claim->name, claim->stamp.ino,
				   claim->stamp.dev, reason);
	kfree(claim);
}

/* Drop the claims of module @name (every claim when @name is NULL). */
static void claims_void(const char *name, const char *reason)
{
	struct excl_claim *claim, *next;
	LIST_HEAD(voided);

	spin_lock(&claims_lock);
	list_for_each_entry_safe(claim, next, &claims, node)
		if (!name || !strcmp(claim->name, name))
			list_move(&claim->node, &voided);
	spin_unlock(&claims_lock);

	list_for_each_entry_safe(claim, next, &voided, node)
		claim_free(claim, reason);
}

/*
 * Whether module_sig_check() would still pass a load that passed when
 * @claim was taken. A verified signature passes whatever enforcement or
 * lockdown say; an unsigned load is asked again what stock asks it.
 */
static const char *claim_sig_changed(const struct excl_claim *claim)
{
	if (!IS_ENABLED(CONFIG_MODULE_SIG))
		return NULL;
	if (is_module_sig_enforced() && !claim->sig_enforced)
		return "sig-enforced";
	if (!claim->sig_ok && security_locked_down(LOCKDOWN_MODULE_SIGNATURE))
		return "lockdown";
	return NULL;
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
	struct excl_claim *claim, found;
	const char *changed;

	if (!hold_possible() || !take_stamp(file, &load->stamp))
		return 0;
	load->stamped = true;

	spin_lock(&claims_lock);
	claim = claim_find(&load->stamp, load->flags);
	if (claim && module_name_is_live(claim->name))
		found = *claim;
	else
		claim = NULL;
	spin_unlock(&claims_lock);
	if (!claim)
		return 0;

	changed = claim_sig_changed(&found);
	if (changed) {
		claims_void(found.name, changed);
		return 0;
	}

	/* The record stock writes before failing a duplicate with -EEXIST. */
	audit_log_kern_module(found.name);
	strscpy(load->name, found.name);
	load->refused = true;
	return -EEXIST;
}

/*
 * After a load that passed every check stock makes before it finds the
 * module live: a successful load, or a duplicate that read the file and
 * got stock's -EEXIST (the claim voided by a policy change is taken again
 * this way). Remember it, if the module is still live.
 */
static void claim_take(const struct modexcl_module_load *load,
		       const struct load_info *info, const char *why)
{
	struct excl_claim *claim, *old, *next;
	bool taken = false;

	claim = kzalloc(sizeof(*claim), GFP_KERNEL);
	if (!claim)
		return;
	claim->stamp = load->stamp;
	claim->flags = load->flags;
	claim->sig_ok = info->sig_ok;
	claim->sig_enforced = load->sig_enforced;
	strscpy(claim->name, load->name);

	spin_lock(&claims_lock);
	/* A GOING module may already have run our notifier: no claim then. */
	if (module_name_is_live(claim->name)) {
		list_for_each_entry_safe(old, next, &claims, node) {
			if (strcmp(old->name, claim->name))
				continue;
			list_del(&old->node);
			kfree(old);
		}
		list_add(&claim->node, &claims);
		taken = true;
	}
	spin_unlock(&claims_lock);

	if (!taken) {
		kfree(claim);
		return;
	}
	trace_modexcl_claim_taken(load->name, load->stamp.ino, load->stamp.dev,
				  why);
}

static struct modexcl_module_load *load_of_current(void)
{
	struct modexcl_module_load *load, *found = NULL;

	spin_lock(&loads_lock);
	hash_for_each_possible(loads_by_task, load, node,
			       (unsigned long)current) {
		if (load->task == current) {
			found = load;
			break;
		}
	}
	spin_unlock(&loads_lock);
	/* Only current adds or removes its own load: safe past the lock. */
	return found;
}

/**
 * modexcl_module_load_begin() - start the modexcl side of a winning load
 * @load: state of this load, on the loader's stack
 * @file: the module file
 * @flags: finit_module() flags
 *
 * References the file's record and makes current its holder.
 *
 * Context: process context, may sleep.
 */
void modexcl_module_load_begin(struct modexcl_module_load *load,
			       struct file *file, int flags)
{
	memset(load, 0, sizeof(*load));
	load->hook.pre_alloc = hold_pre_alloc;
	load->task = current;
	load->flags = flags;
	load->dup_reason = -1;
	load->sig_enforced = is_module_sig_enforced();
	load->file_size = i_size_read(file_inode(file));
	load->record = modexcl_record_get(READING_MODULE, file);
	modexcl_holder_init(&load->holder, current);
	modexcl_record_swap_holder(load->record, &load->holder);

	spin_lock(&loads_lock);
	hash_add(loads_by_task, &load->node, (unsigned long)current);
	spin_unlock(&loads_lock);
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
static u64 dup_read_bytes(const struct modexcl_module_load *load,
			  const struct load_info *info)
{
	u64 bytes = info->len;

	if (load->dup_reason == FAIL_DUP_MOD_LOAD)
		bytes += info->len;
	if (load->flags & MODULE_INIT_COMPRESSED_FILE) {
#if defined(CONFIG_MODULE_DECOMPRESS) && defined(CONFIG_MODULE_STATS)
		bytes += info->compressed_len;
#else
		bytes += load->file_size;
#endif
	}
	return bytes;
}

static enum modexcl_outcome load_outcome(const struct modexcl_module_load *load,
					 int ret)
{
	if (load->refused)
		return MODEXCL_OUTCOME_DUP_SERIAL;
	if (load->dup_reason >= 0)
		return MODEXCL_OUTCOME_DUP_READ;
	return ret ? MODEXCL_OUTCOME_FAILED : MODEXCL_OUTCOME_LOAD;
}

/**
 * modexcl_module_load_end() - count a winning load and take its claim
 * @load: state passed to modexcl_module_load_begin()
 * @info: the load's info (lengths and signature state are read)
 * @ret: the load's result
 *
 * Context: process context, may sleep.
 * Return: @ret.
 */
int modexcl_module_load_end(struct modexcl_module_load *load,
			    const struct load_info *info, int ret)
{
	enum modexcl_outcome outcome = load_outcome(load, ret);
	u64 bytes = 0;

	spin_lock(&loads_lock);
	hash_del(&load->node);
	spin_unlock(&loads_lock);

	if (outcome == MODEXCL_OUTCOME_DUP_SERIAL)
		bytes = load->file_size;
	else if (outcome == MODEXCL_OUTCOME_DUP_READ)
		bytes = dup_read_bytes(load, info);
	if ((outcome == MODEXCL_OUTCOME_LOAD ||
	     outcome == MODEXCL_OUTCOME_DUP_READ) && load->stamped &&
	    load->name[0])
		claim_take(load, info, outcome == MODEXCL_OUTCOME_LOAD ?
				       "loaded" : "duplicate");

	/* The holder stays the task that loaded the module. */
	if (outcome != MODEXCL_OUTCOME_LOAD)
		modexcl_record_swap_holder(load->record, &load->holder);
	modexcl_holder_release(&load->holder);
	modexcl_record_set_module(load->record, load->name);
	modexcl_record_account(load->record, outcome, bytes, 0);
	modexcl_record_put(load->record);
	return ret;
}

/**
 * modexcl_module_dup_seen() - note that current's load is a duplicate
 * @name: module name
 * @reason: FAIL_DUP_MOD_* as passed to try_add_failed_module()
 *
 * Called where MODULE_STATS classifies a duplicate, so both agree.
 *
 * Context: module_mutex held.
 */
void modexcl_module_dup_seen(const char *name, enum fail_dup_mod_reason reason)
{
	struct modexcl_module_load *load = load_of_current();

	if (!load)
		return;
	load->dup_reason = reason;
	strscpy(load->name, name);
}

/**
 * modexcl_module_join() - wait for the winner of an idempotent load
 * @file: the module file
 * @wait: upstream's idempotent wait
 * @idem: the joiner's idempotent entry
 *
 * Counts the joiner in dup-concurrent whatever the winner's result, with
 * the time it waited and the file bytes it did not read.
 *
 * Context: process context, may sleep.
 * Return: what @wait returns.
 */
int modexcl_module_join(struct file *file,
			int (*wait)(struct idempotent *idem),
			struct idempotent *idem)
{
	struct modexcl_record *rec;
	u64 start = ktime_get_ns();
	u64 waited;
	int ret;

	ret = wait(idem);
	waited = ktime_get_ns() - start;

	rec = modexcl_record_get(READING_MODULE, file);
	modexcl_record_account(rec, MODEXCL_OUTCOME_DUP_CONCURRENT,
			       i_size_read(file_inode(file)), waited);
	modexcl_record_put(rec);
	return ret;
}

static int hold_module_notify(struct notifier_block *nb, unsigned long state,
			      void *data)
{
	struct module *mod = data;
	struct modexcl_module_load *load;

	switch (state) {
	case MODULE_STATE_COMING:
		load = load_of_current();
		if (load)
			strscpy(load->name, mod->name);
		break;
	case MODULE_STATE_GOING:
		claims_void(mod->name, "module-going");
		modexcl_records_module_gone(mod->name);
		break;
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
