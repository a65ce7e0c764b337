// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink with libmnl, the way iproute2's lib/mnl_utils.c does it:
 * resolve the family and its multicast group with CTRL_CMD_GETFAMILY, send
 * one request, run the replies through attribute parsers that fill plain
 * structs, and keep the extended ack message of an error for the caller
 * (NETLINK_EXT_ACK; NLMSGERR_ATTR_MSG). Attributes of an unexpected type
 * or length are ignored, so a newer kernel cannot make us read garbage.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/modexcl.h>
#include <linux/netlink.h>

#include "nl.h"

#define MX_NL_BUF_SIZE 65536	/* more than the kernel puts in one dump skb */
#define MX_MONITOR_RCVBUF (4 << 20)
#define MX_MONITOR_BATCH 256	/* reads per mx_nl_monitor_read() */

static void copy_str(char *dst, size_t len, const struct nlattr *attr)
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

static bool attr_ok(const struct nlattr *attr, enum mnl_attr_data_type type)
{
	return mnl_attr_validate(attr, type) >= 0;
}

static uint32_t get_u32(const struct nlattr *attr, bool *ok)
{
	if (!attr_ok(attr, MNL_TYPE_U32)) {
		*ok = false;
		return 0;
	}
	*ok = true;
	return mnl_attr_get_u32(attr);
}

static uint64_t get_u64(const struct nlattr *attr, bool *ok)
{
	if (!attr_ok(attr, MNL_TYPE_U64)) {
		*ok = false;
		return 0;
	}
	*ok = true;
	return mnl_attr_get_u64(attr);
}

/* --- errors and extended acks ---------------------------------------- */

static int ext_ack_attr(const struct nlattr *attr, void *data)
{
	struct mx_nl *nl = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    attr_ok(attr, MNL_TYPE_NUL_STRING))
		copy_str(nl->ext_msg, sizeof(nl->ext_msg), attr);
	return MNL_CB_OK;
}

/*
 * libmnl hands the control callbacks the data of the message callback: one
 * context for both, so that errors reach the socket's ext_msg.
 */
struct transaction {
	struct mx_nl *nl;
	mnl_cb_t cb;
	void *data;
};

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct transaction *t = data;

	return t->cb ? t->cb(nlh, t->data) : MNL_CB_OK;
}

/* NLMSG_ERROR: 0 for an ack, else the error, with its extack message kept. */
static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	struct mx_nl *nl = ((struct transaction *)data)->nl;
	unsigned int offset = sizeof(*err);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		offset += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && mnl_nlmsg_size(offset) <= nlh->nlmsg_len)
		mnl_attr_parse(nlh, offset, ext_ack_attr, nl);
	if (err->error == 0)
		return MNL_CB_STOP;
	errno = -err->error;
	return MNL_CB_ERROR;
}

/* NLMSG_DONE of a dump: an error that came up mid-dump rides on it. */
static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct mx_nl *nl = ((struct transaction *)data)->nl;
	int error = 0;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int))
		memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(int));
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_parse(nlh, sizeof(int), ext_ack_attr, nl);
	if (error == 0)
		return MNL_CB_STOP;
	errno = error < 0 ? -error : error;
	return MNL_CB_ERROR;
}

static mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = error_cb,
	[NLMSG_DONE] = done_cb,
};

/*
 * The records changed while a dump ran across several messages
 * (nl_dump_check_consistent()). libmnl would stop there, leaving the rest
 * of the dump queued; take note instead and let the caller decide.
 */
static void note_dump_intr(struct mx_nl *nl, ssize_t len)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)nl->buf;
	int rest = len;

	for (; mnl_nlmsg_ok(nlh, rest); nlh = mnl_nlmsg_next(nlh, &rest)) {
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
			nlh->nlmsg_flags &= ~NLM_F_DUMP_INTR;
			nl->dump_intr = true;
		}
	}
}

/* Read and drop what is left of dump @seq, up to its NLMSG_DONE or error. */
static void drain_dump(struct mx_nl *nl, uint32_t seq)
{
	const struct nlmsghdr *nlh;
	ssize_t n;
	int rest;

	for (;;) {
		n = recv(mnl_socket_get_fd(nl->sk), nl->buf, MX_NL_BUF_SIZE, MSG_DONTWAIT);
		if (n <= 0)
			return;
		rest = n;
		for (nlh = (struct nlmsghdr *)nl->buf; mnl_nlmsg_ok(nlh, rest);
		     nlh = mnl_nlmsg_next(nlh, &rest))
			if (nlh->nlmsg_seq == seq &&
			    (nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_ERROR))
				return;
	}
}

/* Send @nlh and run the replies through @cb until the ack or NLMSG_DONE. */
static int transact(struct mx_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	struct transaction t = { nl, cb, data };
	uint32_t seq = nlh->nlmsg_seq;
	ssize_t n;
	int ret;

	nl->ext_msg[0] = '\0';
	if (mnl_socket_sendto(nl->sk, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	nl->dump_intr = false;
	do {
		n = mnl_socket_recvfrom(nl->sk, nl->buf, MX_NL_BUF_SIZE);
		if (n < 0)
			return -errno;
		note_dump_intr(nl, n);
		errno = 0;
		ret = mnl_cb_run2(nl->buf, n, seq, nl->portid, data_cb, &t, ctl_cbs,
				  NLMSG_MIN_TYPE);
	} while (ret > MNL_CB_STOP);
	if (ret < 0) {
		ret = errno ? -errno : -EIO;
		/* A dump we stopped early leaves its rest queued: read it off. */
		if ((nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP)
			drain_dump(nl, seq);
		return ret;
	}
	return 0;
}

static struct nlmsghdr *put_request(struct mx_nl *nl, uint16_t type, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = type == GENL_ID_CTRL ? 1 : MODEXCL_FAMILY_VERSION;
	return nlh;
}

/* --- family resolution ------------------------------------------------ */

struct family_reply {
	struct mx_nl *nl;
	bool have_id;
};

static int group_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr *a, *name = NULL, *id = NULL;
	struct mx_nl *nl = data;

	mnl_attr_for_each_nested(a, attr) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME && attr_ok(a, MNL_TYPE_NUL_STRING))
			name = a;
		else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID && attr_ok(a, MNL_TYPE_U32))
			id = a;
	}
	if (name && id && !strcmp(mnl_attr_get_str(name), MODEXCL_MCGRP_MONITOR))
		nl->monitor_group = mnl_attr_get_u32(id);
	return MNL_CB_OK;
}

static int family_attr(const struct nlattr *attr, void *data)
{
	struct family_reply *reply = data;
	const struct nlattr *grp;

	switch (mnl_attr_get_type(attr)) {
	case CTRL_ATTR_FAMILY_ID:
		if (attr_ok(attr, MNL_TYPE_U16)) {
			reply->nl->family = mnl_attr_get_u16(attr);
			reply->have_id = true;
		}
		break;
	case CTRL_ATTR_MCAST_GROUPS:
		mnl_attr_for_each_nested(grp, attr)
			group_cb(grp, reply->nl);
		break;
	}
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr, data);
}

int mx_nl_open(struct mx_nl *nl)
{
	struct family_reply reply = { .nl = nl };
	struct nlmsghdr *nlh;
	int one = 1, ret;

	memset(nl, 0, sizeof(*nl));
	nl->buf = malloc(MX_NL_BUF_SIZE);
	if (!nl->buf)
		return -ENOMEM;
	nl->sk = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	if (!nl->sk) {
		ret = errno == EPROTONOSUPPORT ? -ENOENT : -errno;
		goto fail;
	}
	if (mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		goto fail;
	}
	nl->portid = mnl_socket_get_portid(nl->sk);
	/* Older kernels lack these; errors then simply carry no message. */
	mnl_socket_setsockopt(nl->sk, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sk, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->seq = getpid() ^ 0x5a5a0000;

	nlh = put_request(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, MODEXCL_FAMILY_NAME);
	ret = transact(nl, nlh, family_cb, &reply);
	if (ret == 0 && !reply.have_id)
		ret = -ENOENT;
	if (ret == 0)
		return 0;
fail:
	mx_nl_close(nl);
	return ret;
}

void mx_nl_close(struct mx_nl *nl)
{
	if (nl->sk)
		mnl_socket_close(nl->sk);
	free(nl->buf);
	nl->sk = NULL;
	nl->buf = NULL;
}

int mx_nl_fd(const struct mx_nl *nl)
{
	return mnl_socket_get_fd(nl->sk);
}

/* --- records ------------------------------------------------------------ */

struct record_parse {
	struct mx_record rec;
	mx_record_cb cb;
	void *data;
};

static int record_attr(const struct nlattr *attr, void *data)
{
	struct mx_record *r = data;
	bool ok;

	switch (mnl_attr_get_type(attr)) {
	case MODEXCL_A_RECORD_READER:
		r->reader = get_u32(attr, &ok);
		break;
	case MODEXCL_A_RECORD_MODULE:
		if (attr_ok(attr, MNL_TYPE_NUL_STRING))
			copy_str(r->module, sizeof(r->module), attr);
		break;
	case MODEXCL_A_RECORD_PATH:
		if (attr_ok(attr, MNL_TYPE_NUL_STRING))
			copy_str(r->path, sizeof(r->path), attr);
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
		if (attr_ok(attr, MNL_TYPE_NUL_STRING))
			copy_str(r->holder_comm, sizeof(r->holder_comm), attr);
		break;
	}
	return MNL_CB_OK;
}

static int record_cb(const struct nlmsghdr *nlh, void *data)
{
	struct record_parse *p = data;
	int ret;

	memset(&p->rec, 0, sizeof(p->rec));
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), record_attr, &p->rec);
	ret = p->cb(&p->rec, p->data);
	if (ret) {
		errno = ret < 0 ? -ret : ECANCELED;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

#define MX_DUMP_TRIES 3

int mx_nl_stats_get(struct mx_nl *nl, mx_record_cb cb, void *data)
{
	struct record_parse *p = malloc(sizeof(*p));
	int ret, tries = 0;

	if (!p)
		return -ENOMEM;
	p->cb = cb;
	p->data = data;
	/*
	 * Records that changed mid-dump: dump again, a few times; past that
	 * (a storm), the last dump is still one record per file, each whole.
	 */
	do {
		struct nlmsghdr *nlh = put_request(nl, nl->family, MODEXCL_CMD_STATS_GET,
						   NLM_F_DUMP);

		ret = transact(nl, nlh, record_cb, p);
	} while (ret == 0 && nl->dump_intr && ++tries < MX_DUMP_TRIES);
	free(p);
	return ret;
}

int mx_nl_stats_reset(struct mx_nl *nl)
{
	struct nlmsghdr *nlh = put_request(nl, nl->family, MODEXCL_CMD_STATS_RESET, NLM_F_ACK);

	return transact(nl, nlh, NULL, NULL);
}

/* --- policy ------------------------------------------------------------- */

/*
 * The policy attribute set, one parser for replies and notifications
 * alike: the reader, its mode and the mode it had (notifications), why the
 * mode does not apply now (absent from an older kernel: 0), and the
 * sequence number (notifications).
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
		a->ev->seq = get_u64(attr, &ok);
		a->ev->has_seq = ok;
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
	}
	return MNL_CB_OK;
}

/* Into @ev, zeroed by the caller, as a policy notification; false without a mode. */
static bool parse_policy(const struct nlmsghdr *nlh, struct mx_event *ev)
{
	struct policy_attrs a = { ev, false };

	ev->type = MX_EVENT_POLICY;
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), policy_attr, &a);
	return a.has_mode;
}

struct policy_parse {
	mx_policy_cb cb;
	void *data;
};

static int policy_cb(const struct nlmsghdr *nlh, void *data)
{
	struct policy_parse *p = data;
	struct mx_event ev = { 0 };
	int ret;

	if (!parse_policy(nlh, &ev) || !ev.policy.reader)
		return MNL_CB_OK;
	ret = p->cb(ev.policy.reader, ev.policy.mode, ev.policy.inactive, p->data);
	if (ret) {
		errno = ret < 0 ? -ret : ECANCELED;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

int mx_nl_policy_dump(struct mx_nl *nl, mx_policy_cb cb, void *data)
{
	struct nlmsghdr *nlh = put_request(nl, nl->family, MODEXCL_CMD_POLICY_GET, NLM_F_DUMP);
	struct policy_parse p = { cb, data };

	return transact(nl, nlh, policy_cb, &p);
}

struct policy_reply {
	uint32_t reader;
	uint32_t *mode, *inactive;
	bool found;
};

static int policy_reply_cb(uint32_t reader, uint32_t mode, uint32_t inactive, void *data)
{
	struct policy_reply *r = data;

	if (reader == r->reader) {
		*r->mode = mode;
		*r->inactive = inactive;
		r->found = true;
	}
	return 0;
}

static int policy_do(struct mx_nl *nl, uint8_t cmd, uint32_t reader, uint32_t *mode,
		     uint32_t *inactive)
{
	struct nlmsghdr *nlh = put_request(nl, nl->family, cmd, NLM_F_ACK);
	struct policy_reply r = { reader, mode, inactive, false };
	struct policy_parse p = { policy_reply_cb, &r };
	int ret;

	mnl_attr_put_u32(nlh, MODEXCL_A_POLICY_READER, reader);
	if (cmd == MODEXCL_CMD_POLICY_SET)
		mnl_attr_put_u32(nlh, MODEXCL_A_POLICY_MODE, *mode);
	ret = transact(nl, nlh, policy_cb, &p);
	if (ret == 0 && !r.found)
		ret = -EBADMSG;
	return ret;
}

int mx_nl_policy_get(struct mx_nl *nl, uint32_t reader, uint32_t *mode, uint32_t *inactive)
{
	return policy_do(nl, MODEXCL_CMD_POLICY_GET, reader, mode, inactive);
}

int mx_nl_policy_set(struct mx_nl *nl, uint32_t reader, uint32_t *mode, uint32_t *inactive)
{
	return policy_do(nl, MODEXCL_CMD_POLICY_SET, reader, mode, inactive);
}

/* --- the monitor group ------------------------------------------------ */

int mx_nl_monitor_join(struct mx_nl *nl)
{
	int fd = mnl_socket_get_fd(nl->sk), size = MX_MONITOR_RCVBUF;
	uint32_t group = nl->monitor_group;

	if (!group)
		return -ENOENT;
	if (mnl_socket_setsockopt(nl->sk, NETLINK_ADD_MEMBERSHIP, &group, sizeof(group)) < 0)
		return -errno;
	/* A deep queue rides out a storm; FORCE needs CAP_NET_ADMIN. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0)
		return -errno;
	return 0;
}

struct event_parse {
	struct mx_event ev;
	uint16_t family;
	mx_event_cb cb;
	void *data;
};

static int dup_attr(const struct nlattr *attr, void *data)
{
	struct mx_event *ev = data;
	struct mx_dup_event *d = &ev->dup;
	bool ok;

	switch (mnl_attr_get_type(attr)) {
	case MODEXCL_A_DUP_SEQ:
		ev->seq = get_u64(attr, &ok);
		ev->has_seq = ok;
		break;
	case MODEXCL_A_DUP_READER:
		d->reader = get_u32(attr, &ok);
		break;
	case MODEXCL_A_DUP_KIND:
		d->kind = get_u32(attr, &ok);
		break;
	case MODEXCL_A_DUP_PATH:
		if (attr_ok(attr, MNL_TYPE_NUL_STRING))
			copy_str(d->path, sizeof(d->path), attr);
		break;
	case MODEXCL_A_DUP_MODULE:
		if (attr_ok(attr, MNL_TYPE_NUL_STRING))
			copy_str(d->module, sizeof(d->module), attr);
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
	}
	return MNL_CB_OK;
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	struct event_parse *p = data;
	int ret;

	memset(&p->ev, 0, sizeof(p->ev));
	if (nlh->nlmsg_type != p->family || mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl))
		return MNL_CB_OK;
	switch (genl->cmd) {
	case MODEXCL_CMD_DUP_NTF:
		p->ev.type = MX_EVENT_DUP;
		mnl_attr_parse(nlh, sizeof(*genl), dup_attr, &p->ev);
		break;
	case MODEXCL_CMD_POLICY_NTF:
		parse_policy(nlh, &p->ev);
		break;
	default:
		return MNL_CB_OK;
	}
	ret = p->cb(&p->ev, p->data);
	if (ret) {
		errno = ret < 0 ? -ret : ECANCELED;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

int mx_nl_monitor_read(struct mx_nl *nl, mx_event_cb cb, void *data)
{
	struct event_parse *p = malloc(sizeof(*p));
	ssize_t n;
	int ret = 0;

	if (!p)
		return -ENOMEM;
	p->family = nl->family;
	p->cb = cb;
	p->data = data;
	/* A bounded batch: a storm must not keep the caller from its timers. */
	for (int batch = 0; batch < MX_MONITOR_BATCH; batch++) {
		n = mnl_socket_recvfrom(nl->sk, nl->buf, MX_NL_BUF_SIZE);
		if (n < 0) {
			ret = errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
			if (errno == EINTR)
				continue;
			break;
		}
		/* Notifications carry sequence 0 and port 0: no check. */
		if (mnl_cb_run(nl->buf, n, 0, 0, event_cb, p) < 0) {
			ret = errno ? -errno : -EIO;
			break;
		}
	}
	free(p);
	return ret;
}
