// SPDX-License-Identifier: GPL-2.0-only
/*
 * modexcl events: the notifier chain that tells the netlink family (and
 * the module hold code) about every policy change and every duplicate
 * read or load, the sequence number that lets a listener see gaps, and
 * the definition of modexcl's tracepoints.
 */
#define pr_fmt(fmt) "modexcl: " fmt

#include <linux/atomic.h>
#include <linux/modexcl.h>
#include <linux/mutex.h>
#include <linux/notifier.h>

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
 *	&struct modexcl_policy_event or MODEXCL_NOTIFY_DUP with a
 *	&struct modexcl_dup_event. Callbacks run in process context, may
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
 * modexcl_announce_policy() - number and announce a policy change
 * @ev: the change; @ev->seq is filled in
 *
 * Context: process context, no spinlock held.
 */
void modexcl_announce_policy(struct modexcl_policy_event *ev)
{
	mutex_lock(&modexcl_announce_lock);
	ev->seq = atomic64_inc_return(&modexcl_seq);
	blocking_notifier_call_chain(&modexcl_notifier, MODEXCL_NOTIFY_POLICY,
				     ev);
	mutex_unlock(&modexcl_announce_lock);
}

/**
 * modexcl_announce_dup() - number, trace and announce a duplicate
 * @ev: the duplicate; @ev->seq is filled in
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
