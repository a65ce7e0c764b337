/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libnl-genl-3 helpers of the modexcl netlink selftests: an implementation
 * of the family's protocol apart from the tool's libmnl code. Requests
 * report the kernel's errno and its extack (message, offending attribute
 * offset, missing attribute type); dumps collect records; the monitor
 * group is read with plain recv() so ENOBUFS shows as itself. Its names
 * start with mxt_, apart from the tool's mx_ ones (tools/modexcl/nl.h).
 * Include after modexcl_util.h.
 */
#ifndef MODEXCL_NL_H
#define MODEXCL_NL_H

#include <poll.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <linux/genetlink.h>
#include <linux/modexcl.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct mxt_nl {
	struct nl_sock *sk;
	int family;
	int group;
};

/* What the kernel answered: errno and extack. */
struct mxt_nl_res {
	int error;		/* 0 or -errno */
	char msg[256];		/* NLMSGERR_ATTR_MSG */
	int has_offs;
	uint32_t offs;		/* NLMSGERR_ATTR_OFFS: offset in the request */
	int miss_type;		/* NLMSGERR_ATTR_MISS_TYPE, or -1 */
	int done;
	int intr;		/* a dump message carried NLM_F_DUMP_INTR */
	size_t bytes;		/* bytes of reply messages */
};

/* Connect and resolve the family; 0 or -errno. */
static inline int mxt_nl_open(struct mxt_nl *nl)
{
	int one = 1, fd;

	memset(nl, 0, sizeof(*nl));
	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		return -ENOMEM;
	if (genl_connect(nl->sk))
		return -ECONNREFUSED;
	fd = nl_socket_get_fd(nl->sk);
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	nl_socket_set_msg_buf_size(nl->sk, 65536);
	nl->family = genl_ctrl_resolve(nl->sk, MODEXCL_FAMILY_NAME);
	if (nl->family < 0)
		return -ENOENT;
	nl->group = genl_ctrl_resolve_grp(nl->sk, MODEXCL_FAMILY_NAME,
					  MODEXCL_MCGRP_MONITOR);
	if (nl->group < 0)
		return -ENOENT;
	return 0;
}

static inline void mxt_nl_close(struct mxt_nl *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->sk = NULL;
}

static inline struct nl_msg *mxt_nl_msg(struct mxt_nl *nl, int cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family,
				0, flags, cmd, MODEXCL_FAMILY_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

static inline int mxt_nl_err_cb(struct sockaddr_nl *nla, struct nlmsgerr *err,
				void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)err - NLMSG_HDRLEN);
	struct mxt_nl_res *res = arg;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {};
	struct nlattr *attrs;
	int len;

	res->error = err->error;
	res->done = 1;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	/* NETLINK_CAP_ACK: the request's header only. */
	attrs = (struct nlattr *)((char *)err + sizeof(*err));
	len = nlh->nlmsg_len - NLMSG_HDRLEN - sizeof(*err);
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, attrs, len, NULL))
		return NL_STOP;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(res->msg, sizeof(res->msg), "%s",
			 nla_get_string(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_OFFS]) {
		res->has_offs = 1;
		res->offs = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	}
	if (tb[NLMSGERR_ATTR_MISS_TYPE])
		res->miss_type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	return NL_STOP;
}

static inline int mxt_nl_intr_cb(struct nl_msg *msg, void *arg)
{
	((struct mxt_nl_res *)arg)->intr = 1;
	return NL_OK;
}

static inline int mxt_nl_ack_cb(struct nl_msg *msg, void *arg)
{
	((struct mxt_nl_res *)arg)->done = 1;
	return NL_STOP;
}

struct mxt_nl_parse {
	struct mxt_nl_res *res;
	int (*fn)(struct nlattr **tb, void *arg);
	void *arg;
	int maxattr;
};

static inline int mxt_nl_valid_cb(struct nl_msg *msg, void *arg)
{
	struct mxt_nl_parse *p = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[32] = {};

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		p->res->intr = 1;
	p->res->bytes += nlh->nlmsg_len;
	if (genlmsg_parse(nlh, 0, tb, p->maxattr, NULL))
		return NL_SKIP;
	if (p->fn)
		p->fn(tb, p->arg);
	return NL_OK;
}

/*
 * Send @msg (freed here) and read every answer until the ACK, the end of
 * the dump or an error; @fn sees each reply's attributes.
 * Return: 0 or the kernel's -errno (also in @res->error).
 */
static inline int mxt_nl_send(struct mxt_nl *nl, struct nl_msg *msg, int maxattr,
			      int (*fn)(struct nlattr **tb, void *arg), void *arg,
			      struct mxt_nl_res *res)
{
	struct mxt_nl_parse p = { res, fn, arg, maxattr };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int err;

	memset(res, 0, sizeof(*res));
	res->miss_type = -1;
	if (!cb) {
		nlmsg_free(msg);
		return res->error = -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, mxt_nl_valid_cb, &p);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, mxt_nl_ack_cb, res);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, mxt_nl_ack_cb, res);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, mxt_nl_intr_cb, res);
	nl_cb_err(cb, NL_CB_CUSTOM, mxt_nl_err_cb, res);
	err = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (err < 0) {
		nl_cb_put(cb);
		return res->error = -EIO;
	}
	while (!res->done) {
		err = nl_recvmsgs(nl->sk, cb);
		if (err < 0 && !res->done) {
			res->error = res->error ?: -EIO;
			break;
		}
	}
	nl_cb_put(cb);
	return res->error;
}

/* A task attribute set (a caller, an actor); pid 0 when absent. */
struct mxt_task {
	uint32_t pid, ppid, uid;
	uint64_t cgroup;
	char comm[32], parent_comm[32];
};

/* One record of a stats-get dump. */
struct mxt_rec {
	uint32_t reader, dev, holder_pid, waiting;
	uint64_t ino, loads, dup_concurrent, dup_serial, dup_read, failed;
	uint64_t bytes_wasted, bytes_avoided, wait_ns, last_seen, format_refused;
	int source;	/* enum modexcl_source, -1 when the kernel sent none */
	int claim;	/* enum modexcl_claim, -1 when the kernel sent none */
	char path[256], module[64], holder_comm[32];
	struct mxt_task last_caller;
};

struct mxt_recs {
	struct mxt_rec *v;
	size_t n, cap;
};

static inline uint64_t mxt_u64(struct nlattr *a)
{
	return a ? nla_get_u64(a) : 0;
}

static inline uint32_t mxt_u32(struct nlattr *a)
{
	return a ? nla_get_u32(a) : 0;
}

static inline void mxt_str(char *dst, size_t len, struct nlattr *a)
{
	snprintf(dst, len, "%s", a ? nla_get_string(a) : "");
}

/* Parse the task nest @a into @t (zeroed when @a is NULL or malformed). */
static inline void mxt_task(struct mxt_task *t, struct nlattr *a)
{
	struct nlattr *tb[MODEXCL_A_TASK_MAX + 1] = {};

	memset(t, 0, sizeof(*t));
	if (!a || nla_parse_nested(tb, MODEXCL_A_TASK_MAX, a, NULL))
		return;
	t->pid = mxt_u32(tb[MODEXCL_A_TASK_PID]);
	t->ppid = mxt_u32(tb[MODEXCL_A_TASK_PPID]);
	t->uid = mxt_u32(tb[MODEXCL_A_TASK_UID]);
	t->cgroup = mxt_u64(tb[MODEXCL_A_TASK_CGROUP]);
	mxt_str(t->comm, sizeof(t->comm), tb[MODEXCL_A_TASK_COMM]);
	mxt_str(t->parent_comm, sizeof(t->parent_comm),
		tb[MODEXCL_A_TASK_PARENT_COMM]);
}

static inline int mxt_rec_cb(struct nlattr **tb, void *arg)
{
	struct mxt_recs *recs = arg;
	struct mxt_rec *r;

	if (recs->n == recs->cap) {
		recs->cap = recs->cap ? 2 * recs->cap : 64;
		recs->v = realloc(recs->v, recs->cap * sizeof(*recs->v));
		if (!recs->v)
			abort();
	}
	r = &recs->v[recs->n++];
	memset(r, 0, sizeof(*r));
	r->reader = mxt_u32(tb[MODEXCL_A_RECORD_READER]);
	r->dev = mxt_u32(tb[MODEXCL_A_RECORD_DEV]);
	r->holder_pid = mxt_u32(tb[MODEXCL_A_RECORD_HOLDER_PID]);
	r->ino = mxt_u64(tb[MODEXCL_A_RECORD_INO]);
	r->loads = mxt_u64(tb[MODEXCL_A_RECORD_LOADS]);
	r->dup_concurrent = mxt_u64(tb[MODEXCL_A_RECORD_DUP_CONCURRENT]);
	r->dup_serial = mxt_u64(tb[MODEXCL_A_RECORD_DUP_SERIAL]);
	r->dup_read = mxt_u64(tb[MODEXCL_A_RECORD_DUP_READ]);
	r->failed = mxt_u64(tb[MODEXCL_A_RECORD_FAILED]);
	r->format_refused = mxt_u64(tb[MODEXCL_A_RECORD_FORMAT_REFUSED]);
	r->source = tb[MODEXCL_A_RECORD_SOURCE] ?
		    (int)nla_get_u32(tb[MODEXCL_A_RECORD_SOURCE]) : -1;
	r->claim = tb[MODEXCL_A_RECORD_CLAIM] ?
		   (int)nla_get_u32(tb[MODEXCL_A_RECORD_CLAIM]) : -1;
	r->bytes_wasted = mxt_u64(tb[MODEXCL_A_RECORD_BYTES_WASTED]);
	r->bytes_avoided = mxt_u64(tb[MODEXCL_A_RECORD_BYTES_AVOIDED]);
	r->wait_ns = mxt_u64(tb[MODEXCL_A_RECORD_WAIT_NS]);
	r->last_seen = mxt_u64(tb[MODEXCL_A_RECORD_LAST_SEEN]);
	mxt_str(r->path, sizeof(r->path), tb[MODEXCL_A_RECORD_PATH]);
	mxt_str(r->module, sizeof(r->module), tb[MODEXCL_A_RECORD_MODULE]);
	mxt_str(r->holder_comm, sizeof(r->holder_comm),
		tb[MODEXCL_A_RECORD_HOLDER_COMM]);
	r->waiting = mxt_u32(tb[MODEXCL_A_RECORD_WAITING]);
	mxt_task(&r->last_caller, tb[MODEXCL_A_RECORD_LAST_CALLER]);
	return 0;
}

/* Dump every record into @recs (emptied first); 0 or -errno. */
static inline int mxt_nl_stats(struct mxt_nl *nl, struct mxt_recs *recs,
			       struct mxt_nl_res *res)
{
	struct nl_msg *msg = mxt_nl_msg(nl, MODEXCL_CMD_STATS_GET, NLM_F_DUMP);

	recs->n = 0;
	if (!msg)
		return -ENOMEM;
	return mxt_nl_send(nl, msg, MODEXCL_A_RECORD_MAX, mxt_rec_cb, recs, res);
}

static inline void mxt_recs_free(struct mxt_recs *recs)
{
	free(recs->v);
	memset(recs, 0, sizeof(*recs));
}

/* The record whose path is @path, or NULL; *count gets how many match. */
static inline struct mxt_rec *mxt_recs_find(struct mxt_recs *recs,
					    const char *path, int *count)
{
	struct mxt_rec *found = NULL;
	size_t i;

	if (count)
		*count = 0;
	for (i = 0; i < recs->n; i++) {
		if (strcmp(recs->v[i].path, path))
			continue;
		found = &recs->v[i];
		if (count)
			(*count)++;
	}
	return found;
}

static inline int mxt_nl_reset(struct mxt_nl *nl, struct mxt_nl_res *res)
{
	struct nl_msg *msg = mxt_nl_msg(nl, MODEXCL_CMD_STATS_RESET, 0);

	if (!msg)
		return -ENOMEM;
	return mxt_nl_send(nl, msg, MODEXCL_A_RECORD_MAX, NULL, NULL, res);
}

struct mxt_policy {
	int n;
	uint32_t mode[MX_READER_LAST + 1];
	int64_t inactive[MX_READER_LAST + 1];	/* -1: attribute absent */
	uint32_t reader;	/* of the last reply */
};

/* A u32 attribute's value, or -1 when the message lacks it. */
static inline int64_t mxt_u32_or_absent(struct nlattr *a)
{
	return a ? (int64_t)nla_get_u32(a) : -1;
}

static inline int mxt_policy_cb(struct nlattr **tb, void *arg)
{
	struct mxt_policy *p = arg;
	uint32_t reader = mxt_u32(tb[MODEXCL_A_POLICY_READER]);

	if (reader < MX_READER_FIRST || reader > MX_READER_LAST ||
	    !tb[MODEXCL_A_POLICY_MODE])
		return 0;
	p->reader = reader;
	p->mode[reader] = mxt_u32(tb[MODEXCL_A_POLICY_MODE]);
	p->inactive[reader] = mxt_u32_or_absent(tb[MODEXCL_A_POLICY_INACTIVE]);
	p->n++;
	return 0;
}

/* policy-set; the reply lands in @out. */
static inline int mxt_nl_policy_set(struct mxt_nl *nl, uint32_t reader,
				    uint32_t mode, struct mxt_policy *out,
				    struct mxt_nl_res *res)
{
	struct nl_msg *msg = mxt_nl_msg(nl, MODEXCL_CMD_POLICY_SET, 0);

	if (!msg)
		return -ENOMEM;
	nla_put_u32(msg, MODEXCL_A_POLICY_READER, reader);
	nla_put_u32(msg, MODEXCL_A_POLICY_MODE, mode);
	memset(out, 0, sizeof(*out));
	return mxt_nl_send(nl, msg, MODEXCL_A_POLICY_MAX, mxt_policy_cb, out, res);
}

/* policy-get of one reader, or every reader with @reader 0 (dump). */
static inline int mxt_nl_policy_get(struct mxt_nl *nl, uint32_t reader,
				    struct mxt_policy *out, struct mxt_nl_res *res)
{
	struct nl_msg *msg = mxt_nl_msg(nl, MODEXCL_CMD_POLICY_GET,
				       reader ? 0 : NLM_F_DUMP);

	if (!msg)
		return -ENOMEM;
	if (reader)
		nla_put_u32(msg, MODEXCL_A_POLICY_READER, reader);
	memset(out, 0, sizeof(*out));
	return mxt_nl_send(nl, msg, MODEXCL_A_POLICY_MAX, mxt_policy_cb, out, res);
}

/* --- the monitor group, read with recv() ------------------------------ */

struct mxt_ntf {
	int cmd;
	uint64_t seq, bytes, ino, wait_ns, time_ns;
	uint32_t reader, kind, pid, dev, mode, old_mode;
	int64_t inactive;	/* policy-ntf; -1: attribute absent */
	char path[256], module[64];
	struct mxt_task task;	/* dup-ntf's caller, the others' actor */
};

/*
 * A bound raw generic netlink socket, without libnl. A receive buffer of
 * @rcvbuf bytes unless 0: with SO_RCVBUFFORCE (past rmem_max) when @force
 * and allowed, else SO_RCVBUF. The fd, or -errno.
 */
static inline int mxt_nl_raw_open(int rcvbuf, int force)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);

	if (fd < 0)
		return -errno;
	if (rcvbuf &&
	    (!force || setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf))))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* A raw socket in the monitor group; the fd, or -errno. */
static inline int mxt_monitor_open(struct mxt_nl *nl, int rcvbuf)
{
	int fd = mxt_nl_raw_open(rcvbuf, 1), grp = nl->group;

	if (fd < 0)
		return fd;
	if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/*
 * Next notification of the family within @timeout_ms.
 * Return: 1 with @ev filled, 0 on timeout, or -errno (-ENOBUFS: missed some).
 */
static inline int mxt_monitor_next(int fd, int family, struct mxt_ntf *ev,
				   int timeout_ms)
{
	static char buf[16384];
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct nlattr *tb[32];
	struct nlmsghdr *nlh;
	struct genlmsghdr *gh;
	ssize_t n;

	for (;;) {
		if (poll(&pfd, 1, timeout_ms) <= 0)
			return 0;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0)
			return errno == EAGAIN ? 0 : -errno;
		nlh = (struct nlmsghdr *)buf;
		if (!nlmsg_ok(nlh, n) || nlh->nlmsg_type != family)
			continue;
		gh = nlmsg_data(nlh);
		memset(ev, 0, sizeof(*ev));
		ev->cmd = gh->cmd;
		memset(tb, 0, sizeof(tb));
		if (genlmsg_parse(nlh, 0, tb, 31, NULL))
			continue;
		if (ev->cmd == MODEXCL_CMD_DUP_NTF) {
			ev->seq = mxt_u64(tb[MODEXCL_A_DUP_SEQ]);
			ev->reader = mxt_u32(tb[MODEXCL_A_DUP_READER]);
			ev->kind = mxt_u32(tb[MODEXCL_A_DUP_KIND]);
			ev->pid = mxt_u32(tb[MODEXCL_A_DUP_PID]);
			ev->dev = mxt_u32(tb[MODEXCL_A_DUP_DEV]);
			ev->ino = mxt_u64(tb[MODEXCL_A_DUP_INO]);
			ev->bytes = mxt_u64(tb[MODEXCL_A_DUP_BYTES]);
			ev->wait_ns = mxt_u64(tb[MODEXCL_A_DUP_WAIT_NS]);
			mxt_str(ev->path, sizeof(ev->path), tb[MODEXCL_A_DUP_PATH]);
			mxt_str(ev->module, sizeof(ev->module),
				tb[MODEXCL_A_DUP_MODULE]);
			ev->time_ns = mxt_u64(tb[MODEXCL_A_DUP_TIME_NS]);
			mxt_task(&ev->task, tb[MODEXCL_A_DUP_CALLER]);
		} else if (ev->cmd == MODEXCL_CMD_POLICY_NTF) {
			ev->seq = mxt_u64(tb[MODEXCL_A_POLICY_SEQ]);
			ev->reader = mxt_u32(tb[MODEXCL_A_POLICY_READER]);
			ev->mode = mxt_u32(tb[MODEXCL_A_POLICY_MODE]);
			ev->old_mode = mxt_u32(tb[MODEXCL_A_POLICY_OLD_MODE]);
			ev->inactive = mxt_u32_or_absent(tb[MODEXCL_A_POLICY_INACTIVE]);
			ev->time_ns = mxt_u64(tb[MODEXCL_A_POLICY_TIME_NS]);
			mxt_task(&ev->task, tb[MODEXCL_A_POLICY_ACTOR]);
		} else if (ev->cmd == MODEXCL_CMD_STATS_RESET_NTF) {
			ev->seq = mxt_u64(tb[MODEXCL_A_RESET_SEQ]);
			ev->time_ns = mxt_u64(tb[MODEXCL_A_RESET_TIME_NS]);
			mxt_task(&ev->task, tb[MODEXCL_A_RESET_ACTOR]);
		}
		return 1;
	}
}

/* Read and drop what is queued; the number of notifications dropped. */
static inline int mxt_monitor_drain(int fd, int family)
{
	struct mxt_ntf ev;
	int n = 0, ret;

	while ((ret = mxt_monitor_next(fd, family, &ev, 0)) != 0)
		if (ret > 0)
			n++;
	return n;
}

#endif /* MODEXCL_NL_H */
