// SPDX-License-Identifier: GPL-2.0
/*
 * The attribute sets of the modexcl family, parsed into plain structs.
 * Attributes of an unexpected type or length are ignored, so a newer kernel
 * cannot make us read garbage; an attribute this tool does not know (a
 * newer kernel's) is skipped, and one an older kernel lacks stays absent.
 * The task set has one parser, for every nest that holds a task.
 */
#include <string.h>

#include <linux/genetlink.h>
#include <linux/modexcl.h>

#include "nl_msg.h"

bool mx_attr_ok(const struct nlattr *attr, enum mnl_attr_data_type type)
{
	return mnl_attr_validate(attr, type) >= 0;
}

void mx_attr_copy_str(char *dst, size_t len, const struct nlattr *attr)
{
	const char *s = mnl_attr_get_str(attr);
	size_t n = strnlen(s, mnl_attr_get_payload_len(attr));

	/* Too long: keep the tail, as the kernel does for paths. */
	if (n >= len) {
		s += n - (len - 1);
		n = len - 1;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static uint32_t get_u32(const struct nlattr *attr, bool *ok)
{
	if (!mx_attr_ok(attr, MNL_TYPE_U32)) {
		*ok = false;
		return 0;
	}
	*ok = true;
	return mnl_attr_get_u32(attr);
}

static uint64_t get_u64(const struct nlattr *attr, bool *ok)
{
	if (!mx_attr_ok(attr, MNL_TYPE_U64)) {
		*ok = false;
		return 0;
	}
	*ok = true;
	return mnl_attr_get_u64(attr);
}

static bool get_str(const struct nlattr *attr, char *dst, size_t len)
{
	if (!mx_attr_ok(attr, MNL_TYPE_NUL_STRING))
		return false;
	mx_attr_copy_str(dst, len, attr);
	return true;
}

/* --- the task set --------------------------------------------------------- */

#define TASK_GET_U32(attr, dst, ok) ((dst) = get_u32(attr, &(ok)))
#define TASK_GET_U64(attr, dst, ok) ((dst) = get_u64(attr, &(ok)))
#define TASK_GET_STR(attr, dst, ok) ((ok) = get_str(attr, dst, sizeof(dst)))

/*
 * A task nest into @t. A nest that is no nest, an attribute in it of the
 * wrong length, or bytes after its last attribute: the task is malformed
 * and dropped whole, as a malformed attribute is (@t stays empty: absent).
 */
static bool parse_task(const struct nlattr *nest, struct mx_task *t)
{
	const struct nlattr *attr;
	const char *end;
	bool ok = true;

	memset(t, 0, sizeof(*t));
	if (!mx_attr_ok(nest, MNL_TYPE_NESTED))
		return false;
	end = (const char *)mnl_attr_get_payload(nest) + mnl_attr_get_payload_len(nest);
	mnl_attr_for_each_nested(attr, nest) {
		switch (mnl_attr_get_type(attr)) {
#define TASK_ATTR(field, ATTR, name, type)			\
		case MODEXCL_A_TASK_##ATTR:			\
			TASK_GET_##type(attr, t->field, ok);	\
			t->has |= MX_TASK_HAS(ATTR);		\
			break;
		MX_TASK_ATTRS(TASK_ATTR)
#undef TASK_ATTR
		}
		if (!ok)
			break;
	}
	if (!ok || (const char *)attr != end) {
		memset(t, 0, sizeof(*t));
		return false;
	}
	return true;
}

/* --- records ---------------------------------------------------------------- */

static int record_attr(const struct nlattr *attr, void *data)
{
	struct mx_record *r = data;
	bool ok;

	switch (mnl_attr_get_type(attr)) {
	case MODEXCL_A_RECORD_READER:
		r->reader = get_u32(attr, &ok);
		break;
	case MODEXCL_A_RECORD_MODULE:
		get_str(attr, r->module, sizeof(r->module));
		break;
	case MODEXCL_A_RECORD_PATH:
		get_str(attr, r->path, sizeof(r->path));
		break;
	case MODEXCL_A_RECORD_INO:
		r->ino = get_u64(attr, &ok);
		break;
	case MODEXCL_A_RECORD_DEV:
		r->dev = get_u32(attr, &ok);
		break;
	case MODEXCL_A_RECORD_LAST_SEEN:
		r->last_seen = get_u64(attr, &ok);
		break;
#define COUNTER_ATTR(field, ATTR, ...)				\
	case MODEXCL_A_RECORD_##ATTR:				\
		r->counts.field = get_u64(attr, &ok);		\
		break;
	MX_COUNTERS(COUNTER_ATTR)
#undef COUNTER_ATTR
	case MODEXCL_A_RECORD_HOLDER_PID:
		r->holder_pid = get_u32(attr, &ok);
		break;
	case MODEXCL_A_RECORD_HOLDER_COMM:
		get_str(attr, r->holder_comm, sizeof(r->holder_comm));
		break;
	case MODEXCL_A_RECORD_WAITING:
		r->waiting = get_u32(attr, &ok);
		r->has_waiting = ok;
		break;
	case MODEXCL_A_RECORD_LAST_CALLER:
		parse_task(attr, &r->last_caller);
		break;
	case MODEXCL_A_RECORD_SOURCE:
		/* Absent (an older kernel) or malformed: a file, 0. */
		r->source = get_u32(attr, &ok);
		break;
	case MODEXCL_A_RECORD_CLAIM:
		/* Absent (an older kernel, another reader) or malformed: unknown, not none. */
		r->claim = get_u32(attr, &ok);
		r->has_claim = ok;
		break;
	}
	return MNL_CB_OK;
}

void mx_msg_record(const struct nlmsghdr *nlh, struct mx_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), record_attr, rec);
}

/* --- notifications -------------------------------------------------------- */

static void get_seq(const struct nlattr *attr, struct mx_event *ev)
{
	ev->seq = get_u64(attr, &ev->has_seq);
}

static void get_time(const struct nlattr *attr, struct mx_event *ev)
{
	ev->time_ns = get_u64(attr, &ev->has_time);
}

/*
 * The policy attribute set, one parser for replies and notifications
 * alike: the reader, its mode and the mode it had (notifications), why the
 * mode does not apply now (absent from an older kernel: 0), the sequence
 * number, who changed it and when (notifications).
 */
struct policy_attrs {
	struct mx_event *ev;
	bool has_mode;
};

static int policy_attr(const struct nlattr *attr, void *data)
{
	struct policy_attrs *a = data;
	struct mx_policy_event *p = &a->ev->policy;
	bool ok;

	switch (mnl_attr_get_type(attr)) {
	case MODEXCL_A_POLICY_SEQ:
		get_seq(attr, a->ev);
		break;
	case MODEXCL_A_POLICY_READER:
		p->reader = get_u32(attr, &ok);
		break;
	case MODEXCL_A_POLICY_MODE:
		p->mode = get_u32(attr, &ok);
		a->has_mode = ok;
		break;
	case MODEXCL_A_POLICY_OLD_MODE:
		p->old_mode = get_u32(attr, &ok);
		p->has_old_mode = ok;
		break;
	case MODEXCL_A_POLICY_INACTIVE:
		p->inactive = get_u32(attr, &ok);
		break;
	case MODEXCL_A_POLICY_ACTOR:
		parse_task(attr, &p->actor);
		break;
	case MODEXCL_A_POLICY_TIME_NS:
		get_time(attr, a->ev);
		break;
	}
	return MNL_CB_OK;
}

bool mx_msg_policy(const struct nlmsghdr *nlh, struct mx_event *ev)
{
	struct policy_attrs a = { ev, false };

	memset(ev, 0, sizeof(*ev));
	ev->type = MX_EVENT_POLICY;
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), policy_attr, &a);
	return a.has_mode;
}

static int dup_attr(const struct nlattr *attr, void *data)
{
	struct mx_event *ev = data;
	struct mx_dup_event *d = &ev->dup;
	bool ok;

	switch (mnl_attr_get_type(attr)) {
	case MODEXCL_A_DUP_SEQ:
		get_seq(attr, ev);
		break;
	case MODEXCL_A_DUP_READER:
		d->reader = get_u32(attr, &ok);
		break;
	case MODEXCL_A_DUP_KIND:
		d->kind = get_u32(attr, &ok);
		break;
	case MODEXCL_A_DUP_PATH:
		get_str(attr, d->path, sizeof(d->path));
		break;
	case MODEXCL_A_DUP_MODULE:
		get_str(attr, d->module, sizeof(d->module));
		break;
	case MODEXCL_A_DUP_INO:
		d->ino = get_u64(attr, &ok);
		break;
	case MODEXCL_A_DUP_DEV:
		d->dev = get_u32(attr, &ok);
		break;
	case MODEXCL_A_DUP_PID:
		d->pid = get_u32(attr, &ok);
		break;
	case MODEXCL_A_DUP_BYTES:
		d->bytes = get_u64(attr, &ok);
		break;
	case MODEXCL_A_DUP_WAIT_NS:
		d->wait_ns = get_u64(attr, &ok);
		break;
	case MODEXCL_A_DUP_CALLER:
		parse_task(attr, &d->caller);
		break;
	case MODEXCL_A_DUP_TIME_NS:
		get_time(attr, ev);
		break;
	}
	return MNL_CB_OK;
}

static int reset_attr(const struct nlattr *attr, void *data)
{
	struct mx_event *ev = data;

	switch (mnl_attr_get_type(attr)) {
	case MODEXCL_A_RESET_SEQ:
		get_seq(attr, ev);
		break;
	case MODEXCL_A_RESET_ACTOR:
		parse_task(attr, &ev->reset.actor);
		break;
	case MODEXCL_A_RESET_TIME_NS:
		get_time(attr, ev);
		break;
	}
	return MNL_CB_OK;
}

bool mx_msg_event(const struct nlmsghdr *nlh, uint16_t family, struct mx_event *ev)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	memset(ev, 0, sizeof(*ev));
	if (nlh->nlmsg_type != family || mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl))
		return false;
	switch (genl->cmd) {
	case MODEXCL_CMD_DUP_NTF:
		ev->type = MX_EVENT_DUP;
		mnl_attr_parse(nlh, sizeof(*genl), dup_attr, ev);
		return true;
	case MODEXCL_CMD_POLICY_NTF:
		mx_msg_policy(nlh, ev);
		return true;
	case MODEXCL_CMD_STATS_RESET_NTF:
		ev->type = MX_EVENT_RESET;
		mnl_attr_parse(nlh, sizeof(*genl), reset_attr, ev);
		return true;
	default:
		return false;
	}
}
