// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink with libmnl, the way iproute2's lib/mnl_utils.c does it:
 * resolve the family and its multicast group with CTRL_CMD_GETFAMILY, send
 * one request, run the replies through the attribute parsers of nl_msg.c,
 * which fill plain structs, and keep the extended ack message of an error
 * for the caller (NETLINK_EXT_ACK; NLMSGERR_ATTR_MSG).
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
#include "nl_msg.h"

#define MX_NL_BUF_SIZE 65536	/* more than the kernel puts in one dump skb */
#define MX_MONITOR_RCVBUF (4 << 20)
#define MX_MONITOR_BATCH 256	/* reads per mx_nl_monitor_read() */

/* --- errors and extended acks ---------------------------------------- */

static int ext_ack_attr(const struct nlattr *attr, void *data)
{
	struct mx_nl *nl = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mx_attr_ok(attr, MNL_TYPE_NUL_STRING))
		mx_attr_copy_str(nl->ext_msg, sizeof(nl->ext_msg), attr);
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
		if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME &&
		    mx_attr_ok(a, MNL_TYPE_NUL_STRING))
			name = a;
		else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID &&
			 mx_attr_ok(a, MNL_TYPE_U32))
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
		if (mx_attr_ok(attr, MNL_TYPE_U16)) {
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

static int record_cb(const struct nlmsghdr *nlh, void *data)
{
	struct record_parse *p = data;
	int ret;

	mx_msg_record(nlh, &p->rec);
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

struct policy_parse {
	mx_policy_cb cb;
	void *data;
};

static int policy_cb(const struct nlmsghdr *nlh, void *data)
{
	struct policy_parse *p = data;
	struct mx_event ev;
	int ret;

	if (!mx_msg_policy(nlh, &ev) || !ev.policy.reader)
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

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct event_parse *p = data;
	int ret;

	if (!mx_msg_event(nlh, p->family, &p->ev))
		return MNL_CB_OK;
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
