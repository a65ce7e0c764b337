// SPDX-License-Identifier: GPL-2.0-only
/*
 * The read side of modexcl's per-reader policy of kernel_read_file(): each
 * read takes its reader's mode once (kernel/modexcl/policy.c), and in the
 * exclusive mode waits in a private inode-keyed table of running exclusive
 * reads, so that two exclusive reads of one inode never overlap. The state
 * of a read lives on the reader's stack (struct modexcl_read); nothing is
 * attached to the struct file.
 */
#define pr_fmt(fmt) "modexcl: " fmt

#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/kernel_read_file.h>
#include <linux/kernel_read_file_policy.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/moduleparam.h>
#include <linux/modexcl.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "modexcl."

#define EXCL_HASH_BITS		6

/*
 * Running exclusive reads, by inode. excl_lock protects excl_reads; an
 * entry lives on its reader's stack from modexcl_read_begin() to
 * modexcl_read_end(). Waiters sleep on excl_wq and retry on every release.
 */
static DEFINE_SPINLOCK(excl_lock);
static struct hlist_head excl_reads[1 << EXCL_HASH_BITS];
static DECLARE_WAIT_QUEUE_HEAD(excl_wq);

/* Bound on an exclusive wait; past it the read goes on as shared. */
static unsigned int exclusive_wait_ms = 10000;
module_param(exclusive_wait_ms, uint, 0644);
MODULE_PARM_DESC(exclusive_wait_ms,
		 "Longest wait of an exclusive read for another one, in ms");

static struct hlist_head *excl_bucket(const struct inode *inode)
{
	return &excl_reads[hash_ptr(inode, EXCL_HASH_BITS)];
}

/* Take the inode's exclusive slot if no other exclusive read holds it. */
static bool excl_try_enter(struct modexcl_read *read)
{
	struct hlist_head *head = excl_bucket(read->inode);
	struct modexcl_read *other;
	bool entered = true;

	spin_lock(&excl_lock);
	hlist_for_each_entry(other, head, node) {
		if (other->inode == read->inode) {
			entered = false;
			break;
		}
	}
	if (entered)
		hlist_add_head(&read->node, head);
	spin_unlock(&excl_lock);
	return entered;
}

static void excl_leave(struct modexcl_read *read)
{
	spin_lock(&excl_lock);
	hlist_del(&read->node);
	spin_unlock(&excl_lock);
	wake_up_all(&excl_wq);
}

/*
 * Wait for the inode's exclusive slot: killable and bounded, for user
 * tasks and kernel threads (async firmware) alike, so nobody waits
 * forever. A wait that times out reads without exclusion and is counted.
 * A fatal signal also ends the wait and the read goes on: returning
 * -EINTR here would be an error stock does not return at this point;
 * the read itself then fails or not exactly as stock's kernel_read()
 * does for a task with a fatal signal pending.
 */
static void excl_enter(struct modexcl_read *read)
{
	long timeout = msecs_to_jiffies(READ_ONCE(exclusive_wait_ms));
	u64 start;
	long left;

	if (excl_try_enter(read)) {
		read->exclusive = true;
		return;
	}
	modexcl_record_wait_begin(read->record);
	start = ktime_get_ns();
	left = wait_event_killable_timeout(excl_wq, excl_try_enter(read),
					   timeout);
	read->exclusive = left > 0;
	modexcl_record_wait_end(read->record);
	modexcl_record_note_wait(read->record, ktime_get_ns() - start,
				 left == 0);
}

/**
 * modexcl_read_begin() - start the policy side of one kernel_read_file()
 * @read: state of this read, on the caller's stack
 * @file: the file to read
 * @id: the reader
 *
 * Reads the mode of the reader whose policy @id follows
 * (kernel_read_file_policy_id()) once. In exclusive mode, waits until no other
 * exclusive read of the same inode runs (see excl_enter()) and counts the
 * read in the file's record (kernel modules are counted by the module
 * loader instead). Called before deny_write_access(), so a waiting reader
 * never keeps writers out.
 *
 * Context: process context, may sleep.
 */
void modexcl_read_begin(struct modexcl_read *read, struct file *file,
			enum kernel_read_file_id id)
{
	id = kernel_read_file_policy_id(id);
	read->id = id;
	read->mode = MODEXCL_SHARED;
	read->exclusive = false;
	read->record = NULL;
	if (id > READING_UNKNOWN && id < READING_MAX_ID)
		read->mode = modexcl_policy_get(id);
	if (read->mode != MODEXCL_EXCLUSIVE)
		return;

	read->inode = file_inode(file);
	if (id != READING_MODULE)
		read->record = modexcl_record_get(id, file);
	excl_enter(read);
	if (read->record)
		modexcl_record_account(read->record, MODEXCL_OUTCOME_LOAD, 0, 0);
}

/**
 * modexcl_read_end() - end the policy side of a read, in its starting mode
 * @read: state passed to modexcl_read_begin()
 *
 * Context: process context.
 */
void modexcl_read_end(struct modexcl_read *read)
{
	if (read->exclusive)
		excl_leave(read);
	read->exclusive = false;
	modexcl_record_put(read->record);
	read->record = NULL;
}
