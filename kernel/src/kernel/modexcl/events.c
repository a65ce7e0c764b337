// SPDX-License-Identifier: GPL-2.0-only
/*
 * modexcl events: the notifier chain that tells the netlink family (and
 * the module hold code) about every policy change, every duplicate read
 * or load and every reset of the counters, the sequence number that lets
 * a listener see gaps, who acted and when, and the definition of
 * modexcl's tracepoints.
 */
#define pr_fmt(fmt) "modexcl: " fmt

#include <linux/atomic.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/ktime.h>
#include <linux/modexcl.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/uidgid.h>

#define CREATE_TRACE_POINTS
#include <trace/events/modexcl.h>

/*
 * Blocking chain: callbacks run in process context with no modexcl lock
 * held, so they may allocate with GFP_KERNEL and send netlink messages.
 */
static BLOCKING_NOTIFIER_HEAD(modexcl_notifier);

/* Last sequence number handed out; shared by policy and duplicate events. */
static atomic64_t modexcl_seq = ATOMIC64_INIT(0);

/*
 * Held from numbering an event to the end of its notifier calls, so that
 * listeners get events in sequence order and a gap always means a missed
 * event. Callbacks do not sleep for long (the netlink family neither
 * waits for memory nor for its listeners), so loaders wait only briefly.
 */
static DEFINE_MUTEX(modexcl_announce_lock);

static const char * const dup_kind_names[] = {
	[MODEXCL_DUP_CONCURRENT] = "concurrent",
	[MODEXCL_DUP_SERIAL] = "serial",
	[MODEXCL_DUP_READ] = "read",
	[MODEXCL_DUP_EXCLUSIVE_WAIT] = "exclusive-wait",
};

/**
 * modexcl_dup_kind_name() - name of a duplicate kind
 * @kind: the kind
 *
 * Return: "concurrent", "serial", "read", "exclusive-wait" or "unknown".
 */
const char *modexcl_dup_kind_name(enum modexcl_dup_type kind)
{
	if ((unsigned int)kind >= ARRAY_SIZE(dup_kind_names))
		return "unknown";
	return dup_kind_names[kind];
}

/**
 * modexcl_register_notifier() - subscribe to modexcl events
 * @nb: notifier block; its callback gets MODEXCL_NOTIFY_POLICY with a
 *	&struct modexcl_policy_event, MODEXCL_NOTIFY_DUP with a
 *	&struct modexcl_dup_event or MODEXCL_NOTIFY_RESET with a
 *	&struct modexcl_reset_event. Callbacks run in process context, may
 *	sleep, and must not call back into modexcl functions that announce
 *	events (modexcl_policy_set()).
 *
 * Return: 0 on success, -EEXIST if @nb is already registered.
 */
int modexcl_register_notifier(struct notifier_block *nb)
{
	return blocking_notifier_chain_register(&modexcl_notifier, nb);
}

/**
 * modexcl_unregister_notifier() - unsubscribe from modexcl events
 * @nb: notifier block passed to modexcl_register_notifier()
 *
 * Return: 0 on success, -ENOENT if @nb was not registered.
 */
int modexcl_unregister_notifier(struct notifier_block *nb)
{
	return blocking_notifier_chain_unregister(&modexcl_notifier, nb);
}

/**
 * modexcl_task_id_current() - capture who current is
 * @id: filled with current's tgid, comm, real parent, uid and cgroup
 *
 * Context: process context or any context with a meaningful current.
 */
void modexcl_task_id_current(struct modexcl_task_id *id)
{
	struct task_struct *parent;

	memset(id, 0, sizeof(*id));
	id->pid = task_tgid_nr(current);
	id->uid = from_kuid_munged(&init_user_ns, current_uid());
	get_task_comm(id->comm, current);
	rcu_read_lock();
	parent = rcu_dereference(current->real_parent);
	id->ppid = task_tgid_nr(parent);
	get_task_comm(id->parent_comm, parent);
#ifdef CONFIG_CGROUPS
	id->cgroup = cgroup_id(task_dfl_cgroup(current));
#endif
	rcu_read_unlock();
}

/**
 * modexcl_announce_policy() - number and announce a policy change
 * @ev: the change; @ev->seq, @ev->time_ns and @ev->actor (current) are
 *	filled in
 *
 * Context: process context of the task making the change, no spinlock
 * held.
 */
void modexcl_announce_policy(struct modexcl_policy_event *ev)
{
	modexcl_task_id_current(&ev->actor);
	ev->time_ns = ktime_get_boottime_ns();
	mutex_lock(&modexcl_announce_lock);
	ev->seq = atomic64_inc_return(&modexcl_seq);
	blocking_notifier_call_chain(&modexcl_notifier, MODEXCL_NOTIFY_POLICY,
				     ev);
	mutex_unlock(&modexcl_announce_lock);
}

/**
 * modexcl_announce_dup() - number, trace and announce a duplicate
 * @ev: the duplicate, with its caller and time; @ev->seq is filled in
 *
 * Context: process context, no spinlock held.
 */
void modexcl_announce_dup(struct modexcl_dup_event *ev)
{
	mutex_lock(&modexcl_announce_lock);
	ev->seq = atomic64_inc_return(&modexcl_seq);
	trace_modexcl_duplicate(ev);
	blocking_notifier_call_chain(&modexcl_notifier, MODEXCL_NOTIFY_DUP, ev);
	mutex_unlock(&modexcl_announce_lock);
}

/**
 * modexcl_announce_reset() - number and announce a reset of the counters
 *
 * Context: process context of the task that reset them, no spinlock held.
 */
void modexcl_announce_reset(void)
{
	struct modexcl_reset_event ev = {
		.time_ns = ktime_get_boottime_ns(),
	};

	modexcl_task_id_current(&ev.actor);
	mutex_lock(&modexcl_announce_lock);
	ev.seq = atomic64_inc_return(&modexcl_seq);
	blocking_notifier_call_chain(&modexcl_notifier, MODEXCL_NOTIFY_RESET,
				     &ev);
	mutex_unlock(&modexcl_announce_lock);
}
