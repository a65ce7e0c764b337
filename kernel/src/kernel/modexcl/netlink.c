// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "modexcl" generic netlink family: dumps of the per-file records,
 * get and set of the per-reader policy, reset of the counters, and the
 * "monitor" multicast group on which every policy change and every
 * duplicate is announced.
 *
 * The family struct, the ops and the attribute policies are generated
 * from Documentation/netlink/specs/modexcl.yaml (modexcl-nl-gen.c); the
 * spec keeps the family in the initial network namespace (netnsok = false:
 * the policy is global) and lets only CAP_SYS_ADMIN join the group. Every
 * operation checks netlink_capable(CAP_SYS_ADMIN), in pre_doit or in the
 * dump's start.
 *
 * Holder PIDs in a dump are in the PID namespace of the task that started
 * the dump. One multicast skb reaches every listener, so notification PIDs
 * are in the initial PID namespace; so are those of a task attribute set
 * (a caller, an actor), which are copies taken when the task acted.
 */
#define pr_fmt(fmt) "modexcl: " fmt

#include <linux/build_bug.h>
#include <linux/capability.h>
#include <linux/init.h>
#include <linux/kdev_t.h>
#include <linux/kernel_read_file.h>
#include <linux/kernel_read_file_policy.h>
#include <linux/modexcl.h>
#include <linux/notifier.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "modexcl-nl-gen.h"

/*
 * The spec's enums carry the kernel's own values. Its readers are those with
 * a policy of their own (modexcl_reader_has_policy()).
 */
static_assert(MODEXCL_READER_FIRMWARE == (int)READING_FIRMWARE);
static_assert(MODEXCL_READER_KERNEL_MODULE == (int)READING_MODULE);
static_assert(MODEXCL_READER_KEXEC_IMAGE == (int)READING_KEXEC_IMAGE);
static_assert(MODEXCL_READER_KEXEC_INITRAMFS == (int)READING_KEXEC_INITRAMFS);
static_assert(MODEXCL_READER_SECURITY_POLICY == (int)READING_POLICY);
static_assert(MODEXCL_READER_X509_CERTIFICATE == (int)READING_X509_CERTIFICATE);
static_assert(MODEXCL_MODE_SHARED == (int)MODEXCL_SHARED);
static_assert(MODEXCL_MODE_EXCLUSIVE == (int)MODEXCL_EXCLUSIVE);
static_assert(MODEXCL_MODE_HOLD == (int)MODEXCL_HOLD);
static_assert(MODEXCL_INACTIVE_IMA_POLICY == MODEXCL_INACTIVE_BY_IMA_POLICY);
static_assert(MODEXCL_INACTIVE_NO_LSM_NOTIFIER ==
	      MODEXCL_INACTIVE_BY_NO_LSM_NOTIFIER);
static_assert(MODEXCL_INACTIVE_NO_FILE_WATCH ==
	      MODEXCL_INACTIVE_BY_NO_FILE_WATCH);
static_assert(MODEXCL_DUP_KIND_CONCURRENT == (int)MODEXCL_DUP_CONCURRENT);
static_assert(MODEXCL_DUP_KIND_SERIAL == (int)MODEXCL_DUP_SERIAL);
static_assert(MODEXCL_DUP_KIND_READ == (int)MODEXCL_DUP_READ);
static_assert(MODEXCL_DUP_KIND_EXCLUSIVE_WAIT ==
	      (int)MODEXCL_DUP_EXCLUSIVE_WAIT);

/**
 * struct stats_dump_ctx - state of one stats-get dump, in &netlink_callback.ctx
 * @ns: PID namespace of the task that started the dump, referenced from
 *	.start to .done; continuations run in whoever calls recvmsg()
 * @next_id: lowest record id not dumped yet; ids are never reused, so a
 *	record added or evicted mid-dump neither repeats nor hides another
 *
 * Only the dump's own callbacks touch it, serialized by the socket's
 * cb_mutex.
 */
struct stats_dump_ctx {
	struct pid_namespace *ns;
	unsigned long next_id;
};

static_assert(sizeof(struct stats_dump_ctx) <=
	      sizeof_field(struct netlink_callback, ctx));

static struct stats_dump_ctx *stats_dump_ctx(struct netlink_callback *cb)
{
	return (struct stats_dump_ctx *)cb->ctx;
}

static int modexcl_nl_check_perm(struct sk_buff *skb,
				 struct netlink_ext_ack *extack)
{
	if (netlink_capable(skb, CAP_SYS_ADMIN))
		return 0;
	NL_SET_ERR_MSG(extack, "modexcl needs CAP_SYS_ADMIN");
	return -EPERM;
}

/**
 * modexcl_nl_pre_doit() - permission check of every do operation
 * @ops: the operation
 * @skb: the request
 * @info: its genl_info
 *
 * Return: 0, or -EPERM unless the opener of the socket and the sender
 * have CAP_SYS_ADMIN in the initial user namespace.
 */
int modexcl_nl_pre_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
			struct genl_info *info)
{
	return modexcl_nl_check_perm(skb, info->extack);
}

/**
 * modexcl_nl_stats_get_start() - start a stats-get dump
 * @cb: the dump
 *
 * Checks the permission and captures the PID namespace of current, in
 * which the dump reports holder PIDs.
 *
 * Return: 0 or -EPERM.
 */
int modexcl_nl_stats_get_start(struct netlink_callback *cb)
{
	struct stats_dump_ctx *ctx = stats_dump_ctx(cb);
	int err;

	err = modexcl_nl_check_perm(cb->skb, cb->extack);
	if (err)
		return err;
	ctx->ns = get_pid_ns(task_active_pid_ns(current));
	ctx->next_id = 0;
	return 0;
}

/**
 * modexcl_nl_stats_get_done() - end a stats-get dump
 * @cb: the dump
 *
 * Return: 0.
 */
int modexcl_nl_stats_get_done(struct netlink_callback *cb)
{
	put_pid_ns(stats_dump_ctx(cb)->ns);
	return 0;
}

static int modexcl_nl_put_u64(struct sk_buff *skb, int type, u64 value)
{
	return nla_put_u64_64bit(skb, type, value, MODEXCL_A_RECORD_PAD);
}

/* Room for a task attribute set nested in a message. */
static size_t task_nest_size(void)
{
	return nla_total_size(0) + 3 * nla_total_size(sizeof(u32)) +
	       2 * nla_total_size(TASK_COMM_LEN) +
	       nla_total_size_64bit(sizeof(u64));
}

/* Put @task as a nest of type @type. */
static int task_put(struct sk_buff *skb, int type,
		    const struct modexcl_task_id *task)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, MODEXCL_A_TASK_PID, task->pid) ||
	    nla_put_string(skb, MODEXCL_A_TASK_COMM, task->comm) ||
	    nla_put_u32(skb, MODEXCL_A_TASK_PPID, task->ppid) ||
	    nla_put_string(skb, MODEXCL_A_TASK_PARENT_COMM,
			   task->parent_comm) ||
	    nla_put_u32(skb, MODEXCL_A_TASK_UID, task->uid) ||
	    nla_put_u64_64bit(skb, MODEXCL_A_TASK_CGROUP, task->cgroup,
			      MODEXCL_A_TASK_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

#define COUNTER_ATTR(member, attr) \
	{ offsetof(struct modexcl_counters, member), attr }

/* Each counter of struct modexcl_counters and its attribute. */
static const struct {
	size_t offset;
	int type;
} counter_attrs[] = {
	COUNTER_ATTR(loads, MODEXCL_A_RECORD_LOADS),
	COUNTER_ATTR(dup_concurrent, MODEXCL_A_RECORD_DUP_CONCURRENT),
	COUNTER_ATTR(dup_serial, MODEXCL_A_RECORD_DUP_SERIAL),
	COUNTER_ATTR(dup_read, MODEXCL_A_RECORD_DUP_READ),
	COUNTER_ATTR(format_refused, MODEXCL_A_RECORD_FORMAT_REFUSED),
	COUNTER_ATTR(failed, MODEXCL_A_RECORD_FAILED),
	COUNTER_ATTR(bytes_wasted, MODEXCL_A_RECORD_BYTES_WASTED),
	COUNTER_ATTR(bytes_avoided, MODEXCL_A_RECORD_BYTES_AVOIDED),
	COUNTER_ATTR(wait_ns, MODEXCL_A_RECORD_WAIT_NS),
};

static_assert(ARRAY_SIZE(counter_attrs) == MODEXCL_NR_COUNTERS);

static int counters_put(struct sk_buff *skb,
			const struct modexcl_counters *c)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(counter_attrs); i++) {
		const u64 *value = (const void *)c + counter_attrs[i].offset;

		if (modexcl_nl_put_u64(skb, counter_attrs[i].type, *value))
			return -EMSGSIZE;
	}
	return 0;
}

/*
 * Whether a hold claim covers a kernel-module record now, or cannot:
 * hold is in force, and the file's changes cannot be seen here.
 */
static u32 record_claim(const struct modexcl_record_snapshot *rec)
{
	if (modexcl_module_claimed(rec))
		return MODEXCL_CLAIM_HELD;
	if (rec->unwatchable &&
	    modexcl_policy_get(READING_MODULE) == MODEXCL_HOLD &&
	    !modexcl_mode_inactive(READING_MODULE, MODEXCL_HOLD))
		return MODEXCL_CLAIM_NEVER;
	return MODEXCL_CLAIM_NONE;
}

static int stats_fill(struct sk_buff *skb, struct netlink_callback *cb,
		      const struct modexcl_record_snapshot *rec)
{
	void *hdr;

	hdr = __genlmsg_iput(skb, genl_info_dump(cb), NLM_F_MULTI);
	if (!hdr)
		return -EMSGSIZE;
	nl_dump_check_consistent(cb, genlmsg_nlhdr(hdr));

	if (nla_put_u32(skb, MODEXCL_A_RECORD_READER, rec->reader) ||
	    (rec->module[0] &&
	     nla_put_string(skb, MODEXCL_A_RECORD_MODULE, rec->module)) ||
	    nla_put_string(skb, MODEXCL_A_RECORD_PATH, rec->path) ||
	    modexcl_nl_put_u64(skb, MODEXCL_A_RECORD_INO, rec->ino) ||
	    nla_put_u32(skb, MODEXCL_A_RECORD_DEV,
			new_encode_dev(rec->dev)) ||
	    counters_put(skb, &rec->counters) ||
	    modexcl_nl_put_u64(skb, MODEXCL_A_RECORD_LAST_SEEN,
			       rec->last_seen_ns) ||
	    nla_put_u32(skb, MODEXCL_A_RECORD_HOLDER_PID, rec->holder_pid) ||
	    (rec->holder_comm[0] &&
	     nla_put_string(skb, MODEXCL_A_RECORD_HOLDER_COMM,
			    rec->holder_comm)) ||
	    nla_put_u32(skb, MODEXCL_A_RECORD_WAITING, rec->waiting) ||
	    nla_put_u32(skb, MODEXCL_A_RECORD_SOURCE, rec->dev ?
			MODEXCL_SOURCE_FILE : MODEXCL_SOURCE_IMAGE) ||
	    (rec->reader == READING_MODULE &&
	     nla_put_u32(skb, MODEXCL_A_RECORD_CLAIM, record_claim(rec))) ||
	    (rec->last_caller.pid &&
	     task_put(skb, MODEXCL_A_RECORD_LAST_CALLER, &rec->last_caller))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/**
 * modexcl_nl_stats_get_dumpit() - dump the records, one message each
 * @skb: the reply skb to fill
 * @cb: the dump
 *
 * Resumes at the lowest record id not dumped yet. Each pass takes the
 * table's generation first, so a record added or removed between two
 * passes marks the dump NLM_F_DUMP_INTR.
 *
 * Return: 0 when done, -EMSGSIZE when @skb is full, or an error.
 */
int modexcl_nl_stats_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	struct stats_dump_ctx *ctx = stats_dump_ctx(cb);
	struct modexcl_record_snapshot rec;
	unsigned long id;
	int err;

	/* 0 means "not set" to nl_dump_check_consistent(). */
	cb->seq = modexcl_records_generation() | 1U << 31;
	for (;;) {
		id = ctx->next_id;
		if (modexcl_record_get_next(&id, &rec, ctx->ns))
			return 0;
		err = stats_fill(skb, cb, &rec);
		if (err)
			return err;
		ctx->next_id = id + 1;
	}
}

/**
 * modexcl_nl_stats_reset_doit() - zero every counter
 * @skb: the request
 * @info: its genl_info
 *
 * The records announce the reset (stats-reset-ntf), the sender as actor.
 *
 * Return: 0.
 */
int modexcl_nl_stats_reset_doit(struct sk_buff *skb, struct genl_info *info)
{
	modexcl_records_reset();
	return 0;
}

static int policy_fill(struct sk_buff *skb, const struct genl_info *info,
		       int flags, enum kernel_read_file_id reader)
{
	int mode = modexcl_policy_get(reader);
	void *hdr;

	hdr = __genlmsg_iput(skb, info, flags);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, MODEXCL_A_POLICY_READER, reader) ||
	    nla_put_u32(skb, MODEXCL_A_POLICY_MODE, mode) ||
	    nla_put_u32(skb, MODEXCL_A_POLICY_INACTIVE,
			modexcl_mode_inactive(reader, mode))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int policy_reply(struct genl_info *info,
			enum kernel_read_file_id reader)
{
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(3 * nla_total_size(sizeof(u32)), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = policy_fill(msg, info, 0, reader);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/**
 * modexcl_nl_policy_get_doit() - the mode of one reader
 * @skb: the request
 * @info: its genl_info, with the reader attribute
 *
 * Return: 0, -EINVAL without a reader, or an allocation error.
 */
int modexcl_nl_policy_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	if (GENL_REQ_ATTR_CHECK(info, MODEXCL_A_POLICY_READER))
		return -EINVAL;
	return policy_reply(info,
			    nla_get_u32(info->attrs[MODEXCL_A_POLICY_READER]));
}

/**
 * modexcl_nl_policy_get_start() - start a policy-get dump
 * @cb: the dump
 *
 * Return: 0 or -EPERM.
 */
int modexcl_nl_policy_get_start(struct netlink_callback *cb)
{
	return modexcl_nl_check_perm(cb->skb, cb->extack);
}

/**
 * modexcl_nl_policy_get_dumpit() - dump the mode of every reader
 * @skb: the reply skb to fill
 * @cb: the dump; cb->args[0] counts the readers already gone through
 *
 * Return: 0 when done, -EMSGSIZE when @skb is full.
 */
int modexcl_nl_policy_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	int reader, err;

	for (reader = READING_UNKNOWN + 1 + cb->args[0];
	     reader < READING_MAX_ID; reader++, cb->args[0]++) {
		if (!modexcl_reader_has_policy(reader))
			continue;
		err = policy_fill(skb, genl_info_dump(cb), NLM_F_MULTI, reader);
		if (err)
			return err;
	}
	return 0;
}

/**
 * modexcl_nl_policy_set_doit() - set the mode of one reader
 * @skb: the request
 * @info: its genl_info, with the reader and mode attributes
 *
 * Goes through modexcl_policy_set(), as sysfs does, so a change is
 * announced on the monitor group either way. Replies with the new state.
 *
 * Return: 0, -EINVAL (nothing changed) for a missing attribute or a mode
 * the reader cannot have, or an allocation error.
 */
int modexcl_nl_policy_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	u32 reader, mode;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, MODEXCL_A_POLICY_READER) ||
	    GENL_REQ_ATTR_CHECK(info, MODEXCL_A_POLICY_MODE))
		return -EINVAL;
	reader = nla_get_u32(info->attrs[MODEXCL_A_POLICY_READER]);
	mode = nla_get_u32(info->attrs[MODEXCL_A_POLICY_MODE]);
	if (!modexcl_mode_valid(reader, mode)) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[MODEXCL_A_POLICY_MODE],
				    "hold is only for the kernel-module reader");
		return -EINVAL;
	}
	err = modexcl_policy_set(reader, mode);
	if (err) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[MODEXCL_A_POLICY_MODE],
				    "mode not accepted for this reader");
		return err;
	}
	return policy_reply(info, reader);
}

static void modexcl_nl_policy_ntf(const struct modexcl_policy_event *ev)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(4 * nla_total_size(sizeof(u32)) +
			  2 * nla_total_size_64bit(sizeof(u64)) +
			  task_nest_size(), GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &modexcl_nl_family, 0,
			  MODEXCL_CMD_POLICY_NTF);
	if (!hdr ||
	    nla_put_u64_64bit(msg, MODEXCL_A_POLICY_SEQ, ev->seq,
			      MODEXCL_A_POLICY_PAD) ||
	    nla_put_u32(msg, MODEXCL_A_POLICY_READER, ev->reader) ||
	    nla_put_u32(msg, MODEXCL_A_POLICY_MODE, ev->mode) ||
	    nla_put_u32(msg, MODEXCL_A_POLICY_OLD_MODE, ev->old_mode) ||
	    nla_put_u32(msg, MODEXCL_A_POLICY_INACTIVE,
			modexcl_mode_inactive(ev->reader, ev->mode)) ||
	    task_put(msg, MODEXCL_A_POLICY_ACTOR, &ev->actor) ||
	    nla_put_u64_64bit(msg, MODEXCL_A_POLICY_TIME_NS, ev->time_ns,
			      MODEXCL_A_POLICY_PAD)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&modexcl_nl_family, msg, 0, MODEXCL_NLGRP_MONITOR,
			  GFP_KERNEL);
}

static int modexcl_nl_put_dup_u64(struct sk_buff *skb, int type, u64 value)
{
	return nla_put_u64_64bit(skb, type, value, MODEXCL_A_DUP_PAD);
}

/*
 * Sent from the loader's own context: the allocations do not wait for
 * reclaim, and a listener whose queue is full misses the message (it
 * sees ENOBUFS and a gap in the sequence numbers); the loader goes on.
 */
static void modexcl_nl_dup_ntf(const struct modexcl_dup_event *ev)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(5 * nla_total_size_64bit(sizeof(u64)) +
			  4 * nla_total_size(sizeof(u32)) +
			  nla_total_size(strlen(ev->path) + 1) +
			  nla_total_size(strlen(ev->module) + 1) +
			  task_nest_size() +
			  nla_total_size_64bit(sizeof(u64)),
			  GFP_NOWAIT | __GFP_NOWARN);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &modexcl_nl_family, 0,
			  MODEXCL_CMD_DUP_NTF);
	if (!hdr ||
	    modexcl_nl_put_dup_u64(msg, MODEXCL_A_DUP_SEQ, ev->seq) ||
	    nla_put_u32(msg, MODEXCL_A_DUP_READER, ev->reader) ||
	    nla_put_u32(msg, MODEXCL_A_DUP_KIND, ev->kind) ||
	    nla_put_string(msg, MODEXCL_A_DUP_PATH, ev->path) ||
	    (ev->module[0] &&
	     nla_put_string(msg, MODEXCL_A_DUP_MODULE, ev->module)) ||
	    modexcl_nl_put_dup_u64(msg, MODEXCL_A_DUP_INO, ev->ino) ||
	    nla_put_u32(msg, MODEXCL_A_DUP_DEV,
			new_encode_dev(ev->dev)) ||
	    nla_put_u32(msg, MODEXCL_A_DUP_PID, ev->pid) ||
	    modexcl_nl_put_dup_u64(msg, MODEXCL_A_DUP_BYTES, ev->bytes) ||
	    modexcl_nl_put_dup_u64(msg, MODEXCL_A_DUP_WAIT_NS, ev->wait_ns) ||
	    task_put(msg, MODEXCL_A_DUP_CALLER, &ev->caller) ||
	    modexcl_nl_put_dup_u64(msg, MODEXCL_A_DUP_TIME_NS, ev->time_ns)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&modexcl_nl_family, msg, 0, MODEXCL_NLGRP_MONITOR,
			  GFP_NOWAIT | __GFP_NOWARN);
}

static void modexcl_nl_reset_ntf(const struct modexcl_reset_event *ev)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(2 * nla_total_size_64bit(sizeof(u64)) +
			  task_nest_size(), GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &modexcl_nl_family, 0,
			  MODEXCL_CMD_STATS_RESET_NTF);
	if (!hdr ||
	    nla_put_u64_64bit(msg, MODEXCL_A_RESET_SEQ, ev->seq,
			      MODEXCL_A_RESET_PAD) ||
	    task_put(msg, MODEXCL_A_RESET_ACTOR, &ev->actor) ||
	    nla_put_u64_64bit(msg, MODEXCL_A_RESET_TIME_NS, ev->time_ns,
			      MODEXCL_A_RESET_PAD)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&modexcl_nl_family, msg, 0, MODEXCL_NLGRP_MONITOR,
			  GFP_KERNEL);
}

/* modexcl events, in process context with no modexcl lock held. */
static int modexcl_nl_event(struct notifier_block *nb, unsigned long action,
			    void *data)
{
	if (!genl_has_listeners(&modexcl_nl_family, &init_net,
				MODEXCL_NLGRP_MONITOR))
		return NOTIFY_DONE;

	switch (action) {
	case MODEXCL_NOTIFY_POLICY:
		modexcl_nl_policy_ntf(data);
		break;
	case MODEXCL_NOTIFY_DUP:
		modexcl_nl_dup_ntf(data);
		break;
	case MODEXCL_NOTIFY_RESET:
		modexcl_nl_reset_ntf(data);
		break;
	}
	return NOTIFY_OK;
}

static struct notifier_block modexcl_nl_nb = {
	.notifier_call = modexcl_nl_event,
};

static int __init modexcl_nl_init(void)
{
	int err;

	err = genl_register_family(&modexcl_nl_family);
	if (err) {
		pr_err("cannot register the modexcl netlink family: %d\n", err);
		return err;
	}
	err = modexcl_register_notifier(&modexcl_nl_nb);
	if (err) {
		genl_unregister_family(&modexcl_nl_family);
		pr_err("cannot subscribe to modexcl events: %d\n", err);
	}
	return err;
}
device_initcall(modexcl_nl_init);
