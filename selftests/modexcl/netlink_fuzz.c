// SPDX-License-Identifier: GPL-2.0
/*
 * A bounded fuzzer of the modexcl generic netlink family, on raw
 * AF_NETLINK sockets (libnl only resolves the family): random and mutated
 * messages (random and unknown commands, every flag, nested, truncated,
 * oversized and mistyped attributes, bad lengths, garbage, several
 * messages in one datagram), as root and as an unprivileged user.
 *
 * Every reply must be a well-formed NLMSG_ERROR / NLMSG_DONE or a
 * well-formed message of the family answering our request; the policy
 * (every reader's mode, read through sysfs) must change only as the
 * kernel's own policy-set replies say, never for an unprivileged sender.
 * The runner fails the run on any kernel report in the console.
 *
 * The corpus in netlink_fuzz_corpus/ (hex, one datagram per file; the
 * replayer writes the family id and a sequence number into the first
 * header) is replayed first. MX_FUZZ_SEED and MX_FUZZ_COUNT override the
 * seed and the number of messages; an unexpected answer prints the message
 * in the corpus format, ready to be added.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <sys/mman.h>
#include <linux/capability.h>

#include "../kselftest_harness.h"
#include "modexcl_util.h"
#include "modexcl_nl.h"

#define NR_READERS MX_READER_LAST
#define BUF_SIZE 16384
#define MAX_LOGGED 8

/* As tools/include/linux/compiler-gcc.h defines it (not on the include path). */
#ifndef fallthrough
#define fallthrough __attribute__((__fallthrough__))
#endif

/* Messages for the root run and the unprivileged run. */
static void fuzz_counts(long *root, long *user)
{
	const char *env = getenv("MX_FUZZ_COUNT");
	long total = env ? atol(env) : mx_is_debug_kernel() ? 22000 : 110000;

	*root = total * 2 / 3;
	*user = total - *root;
}

/* --- the policy as sysfs shows it -------------------------------------- */

struct policy_view {
	int fd[NR_READERS];
};

static int view_open(struct policy_view *v)
{
	for (int r = 0; r < NR_READERS; r++) {
		char path[128];

		snprintf(path, sizeof(path), MX_POLICY_DIR "/%s", mx_reader(r + 1));
		v->fd[r] = open(path, O_RDONLY | O_CLOEXEC);
		if (v->fd[r] < 0)
			return -errno;
	}
	return 0;
}

static void view_close(struct policy_view *v)
{
	for (int r = 0; r < NR_READERS; r++)
		close(v->fd[r]);
}

/* Modes of readers 1..6 into mode[1..6]; -1 for an unreadable one. */
static void view_read(struct policy_view *v, int *mode)
{
	mode[0] = 0;
	for (int r = 0; r < NR_READERS; r++) {
		char buf[32];
		ssize_t n = pread(v->fd[r], buf, sizeof(buf) - 1, 0);

		mode[r + 1] = -1;
		if (n <= 0)
			continue;
		buf[n] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		mode[r + 1] = mx_mode_index(buf);
	}
}

/* --- message generation ------------------------------------------------ */

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static uint32_t interesting_u32(void)
{
	static const uint32_t v[] = { 0, 1, 2, 3, 4, 5, 6, 7, 0xff, 0x100, 0x7fffffff,
				      0x80000000, 0xfffffffe, 0xffffffff };

	return mx_rnd() % 4 ? v[mx_rnd() % ARRAY_SIZE(v)] : mx_rnd();
}

/* Attributes into buf[0..room); returns the bytes written. */
static size_t gen_attrs(uint8_t *buf, size_t room, int depth)
{
	static const uint32_t widths[] = { 0, 1, 2, 3, 5, 8, 12 };
	size_t off = 0;
	int n = mx_rnd() % 7;

	for (int i = 0; i < n && off + 4 <= room; i++) {
		uint8_t *a = buf + off;
		size_t plen, left = room - off - 4;
		uint16_t type = mx_rnd() % 10 < 7 ? mx_rnd() % 7 : mx_rnd() & 0x3fff;
		uint32_t len;

		switch (mx_rnd() % 8) {
		case 0: case 1: case 2:	/* u32, the family's type */
			plen = 4;
			if (plen <= left)
				put32(a + 4, interesting_u32());
			break;
		case 3:			/* wrong width */
			plen = widths[mx_rnd() % ARRAY_SIZE(widths)];
			for (size_t k = 0; k < plen && k < left; k++)
				a[4 + k] = mx_rnd();
			break;
		case 4:			/* nested */
			if (depth < 3) {
				plen = gen_attrs(a + 4, left, depth + 1);
				type |= NLA_F_NESTED;
				break;
			}
			fallthrough;
		case 5:			/* string, terminated or not */
			plen = mx_rnd() % 24;
			for (size_t k = 0; k < plen && k < left; k++)
				a[4 + k] = k + 1 == plen && mx_rnd() % 2 ? 0 : 'a' + mx_rnd() % 26;
			break;
		case 6:			/* random bytes */
			plen = mx_rnd() % 64;
			for (size_t k = 0; k < plen && k < left; k++)
				a[4 + k] = mx_rnd();
			break;
		default:		/* oversized */
			plen = mx_rnd() % 2 ? 1024 + mx_rnd() % 3000 : 0;
			for (size_t k = 0; k < plen && k < left; k++)
				a[4 + k] = mx_rnd();
			break;
		}
		if (plen > left)
			plen = left;
		if (mx_rnd() % 20 == 0)
			type |= NLA_F_NET_BYTEORDER;
		len = 4 + plen;
		switch (mx_rnd() % 20) {
		case 0:
			len = mx_rnd() % 4;		/* shorter than its header */
			break;
		case 1:
			len += 1 + mx_rnd() % 64;		/* beyond the message */
			break;
		case 2:
			len = 0xffff;
			break;
		}
		put16(a, len);
		put16(a + 2, type);
		off += NLA_ALIGN(4 + plen);
		if (off > room)
			off = room;
	}
	return off;
}

/*
 * Bytes of a message the kernel parses as this one message: with a
 * header that claims less than was written, the rest would be parsed as
 * a next message whose type is whatever bytes are there: another family.
 * The fuzzer stays on its own family, so the datagram ends there.
 */
static size_t own_bytes(const uint8_t *buf, size_t real)
{
	uint32_t len;

	if (real < NLMSG_HDRLEN)
		return real;
	memcpy(&len, buf, 4);
	if (len >= NLMSG_HDRLEN && len < real && NLMSG_ALIGN(len) < real)
		return NLMSG_ALIGN(len);
	return real;
}

/* One message at buf (room bytes); returns its size in the datagram. */
static size_t gen_msg(uint8_t *buf, size_t room, int family, uint32_t seq)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct genlmsghdr *gh = (struct genlmsghdr *)(buf + NLMSG_HDRLEN);
	static const uint16_t flag_pool[] = {
		NLM_F_ACK, NLM_F_ECHO, NLM_F_DUMP, NLM_F_ROOT, NLM_F_MATCH, NLM_F_ATOMIC,
		NLM_F_MULTI, NLM_F_DUMP_INTR, NLM_F_REPLACE, NLM_F_EXCL, NLM_F_CREATE,
		NLM_F_APPEND, NLM_F_NONREC, NLM_F_BULK, NLM_F_CAPPED, NLM_F_ACK_TLVS, 0x8000,
	};
	size_t len, real;
	uint16_t flags = mx_rnd() % 10 ? NLM_F_REQUEST : 0;

	if (room < NLMSG_HDRLEN + GENL_HDRLEN)
		return 0;
	for (int i = mx_rnd() % 4; i > 0; i--)
		flags |= flag_pool[mx_rnd() % ARRAY_SIZE(flag_pool)];
	if (mx_rnd() % 3 == 0)
		flags |= NLM_F_ACK;
	memset(buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_type = mx_rnd() % 40 ? family : mx_rnd() % NLMSG_MIN_TYPE;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = mx_rnd() % 8 ? 0 : mx_rnd();
	switch (mx_rnd() % 10) {
	case 0:
		gh->cmd = mx_rnd() % 2 ? 0 : MODEXCL_CMD_MAX + 1 + mx_rnd() % 4;
		break;
	case 1:
		gh->cmd = mx_rnd();
		break;
	default:
		gh->cmd = 1 + mx_rnd() % MODEXCL_CMD_MAX;
		break;
	}
	gh->version = mx_rnd() % 8 ? MODEXCL_FAMILY_VERSION : mx_rnd();
	gh->reserved = mx_rnd() % 8 ? 0 : mx_rnd();
	real = NLMSG_HDRLEN + GENL_HDRLEN;
	real += gen_attrs(buf + real, room - real, 0);
	if (mx_rnd() % 20 == 0) {			/* garbage after the attributes */
		for (int i = 1 + mx_rnd() % 16; i > 0 && real < room; i--)
			buf[real++] = mx_rnd();
	}
	len = real;
	switch (mx_rnd() % 25) {
	case 0:
		len = 0;
		break;
	case 1:
		len = mx_rnd() % NLMSG_HDRLEN;
		break;
	case 2:
		len = NLMSG_HDRLEN + mx_rnd() % GENL_HDRLEN;	/* no whole genl header */
		break;
	case 3:
		len = real > 20 ? 20 + mx_rnd() % (real - 20) : real;	/* cut attributes */
		break;
	case 4:
		len = real + 1 + mx_rnd() % 256;			/* beyond the datagram */
		break;
	case 5:
		len = 0xffffffff;
		break;
	}
	nlh->nlmsg_len = len;
	real = own_bytes(buf, real);
	return NLMSG_ALIGN(real) <= room ? NLMSG_ALIGN(real) : real;
}

/* A valid request, then a few mutations. */
static size_t gen_mutated(uint8_t *buf, size_t room, int family, uint32_t seq)
{
	static const uint8_t bytes[] = { 0, 1, 3, 4, 7, 0x7f, 0x80, 0xff };
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct genlmsghdr *gh = (struct genlmsghdr *)(buf + NLMSG_HDRLEN);
	size_t len = NLMSG_HDRLEN + GENL_HDRLEN;
	int fix_len = mx_rnd() % 2;

	memset(buf, 0, 64);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	gh->version = MODEXCL_FAMILY_VERSION;
	switch (mx_rnd() % 5) {
	case 0:
		gh->cmd = MODEXCL_CMD_STATS_GET;
		nlh->nlmsg_flags |= NLM_F_DUMP;
		break;
	case 1:
		gh->cmd = MODEXCL_CMD_STATS_RESET;
		break;
	case 2:
		gh->cmd = MODEXCL_CMD_POLICY_GET;
		if (mx_rnd() % 2) {
			nlh->nlmsg_flags |= NLM_F_DUMP;
			break;
		}
		put16(buf + len, 8);
		put16(buf + len + 2, MODEXCL_A_POLICY_READER);
		put32(buf + len + 4, 1 + mx_rnd() % NR_READERS);
		len += 8;
		break;
	default:
		gh->cmd = MODEXCL_CMD_POLICY_SET;
		put16(buf + len, 8);
		put16(buf + len + 2, MODEXCL_A_POLICY_READER);
		put32(buf + len + 4, 1 + mx_rnd() % NR_READERS);
		put16(buf + len + 8, 8);
		put16(buf + len + 10, MODEXCL_A_POLICY_MODE);
		put32(buf + len + 12, mx_rnd() % 3);
		len += 16;
		break;
	}
	nlh->nlmsg_len = len;
	for (int i = 1 + mx_rnd() % 4; i > 0; i--) {
		size_t pos = mx_rnd() % (len + 4);

		switch (mx_rnd() % 6) {
		case 0:		/* flip a bit */
			if (pos < len)
				buf[pos] ^= 1 << (mx_rnd() % 8);
			break;
		case 1:		/* an interesting byte */
			if (pos < len)
				buf[pos] = bytes[mx_rnd() % ARRAY_SIZE(bytes)];
			break;
		case 2:		/* an interesting u32 at an aligned offset */
			pos &= ~3UL;
			if (pos + 4 <= len)
				put32(buf + pos, interesting_u32());
			break;
		case 3:		/* grow by random bytes */
			for (int k = mx_rnd() % 16; k > 0 && len < room; k--)
				buf[len++] = mx_rnd();
			break;
		case 4:		/* shrink */
			if (len > NLMSG_HDRLEN)
				len -= mx_rnd() % (len - NLMSG_HDRLEN + 1);
			break;
		default:	/* append an attribute */
			len = NLMSG_ALIGN(len);
			len += gen_attrs(buf + len, room - len, 0);
			break;
		}
	}
	if (fix_len && len >= NLMSG_HDRLEN)
		nlh->nlmsg_len = len;
	if (len >= NLMSG_HDRLEN)	/* a mutated type would be another family's */
		nlh->nlmsg_type = family;
	return own_bytes(buf, len);
}

/* A datagram of one message, sometimes several. */
static size_t gen_datagram(uint8_t *buf, size_t room, int family, uint32_t *seq)
{
	size_t len = 0;
	int n = mx_rnd() % 16 ? 1 : 2 + mx_rnd() % 3;

	for (int i = 0; i < n && len + 64 < room; i++) {
		size_t one;

		++*seq;
		one = mx_rnd() % 2 ? gen_msg(buf + len, room - len, family, *seq)
				: gen_mutated(buf + len, room - len, family, *seq);
		/* Another message follows: this one's length must lead to it. */
		if (i + 1 < n) {
			one = NLMSG_ALIGN(one);
			if (one < NLMSG_HDRLEN)
				one = NLMSG_HDRLEN;
			put32(buf + len, one);
			if (((struct nlmsghdr *)(buf + len))->nlmsg_type >= NLMSG_MIN_TYPE)
				put16(buf + len + 4, family);
		}
		len += one;
	}
	if (mx_rnd() % 40 == 0 && len > 1)
		len = 1 + mx_rnd() % len;	/* the datagram itself cut short */
	return len;
}

/* --- sending and judging ------------------------------------------------ */

struct judge {
	int family;
	int root;		/* expect replies and allow policy changes */
	long msgs, replies, errors, acks, dones, family_msgs, send_fail, changes, sets;
	long unexpected;
	char first[MAX_LOGGED][1024];	/* the first unexpected ones, as text */
};

/* A raw socket with extended acks and a 1 MiB receive buffer (forced if allowed). */
static int open_sock(int force_rcvbuf)
{
	int one = 1, fd = mxt_nl_raw_open(1 << 20, force_rcvbuf);

	if (fd < 0)
		return fd;
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return fd;
}

/* Attributes fill exactly len bytes, each within it; types up to max. */
static int attrs_ok(const uint8_t *p, size_t len, int max)
{
	while (len >= 4) {
		uint16_t alen, type;

		memcpy(&alen, p, 2);
		memcpy(&type, p + 2, 2);
		if (alen < 4 || alen > len || (type & NLA_TYPE_MASK) > max)
			return 0;
		if (NLA_ALIGN(alen) >= len)
			return 1;
		p += NLA_ALIGN(alen);
		len -= NLA_ALIGN(alen);
	}
	return len == 0;
}

/* A policy reply's reader and mode, checked; 0 or -1. */
static int policy_reply(const uint8_t *p, size_t len, uint32_t *reader, uint32_t *mode)
{
	int have = 0;

	while (len >= 4) {
		uint16_t alen, type;
		uint32_t v;

		memcpy(&alen, p, 2);
		memcpy(&type, p + 2, 2);
		if (alen != 8)
			return -1;
		memcpy(&v, p + 4, 4);
		if (type == MODEXCL_A_POLICY_READER && v >= 1 && v <= NR_READERS) {
			*reader = v;
			have |= 1;
		} else if (type == MODEXCL_A_POLICY_MODE && v <= MODEXCL_MODE_HOLD) {
			*mode = v;
			have |= 2;
		} else if (type == MODEXCL_A_POLICY_INACTIVE &&
			   !(v & ~(MODEXCL_INACTIVE_IMA_POLICY | MODEXCL_INACTIVE_NO_LSM_NOTIFIER |
				   MODEXCL_INACTIVE_NO_FILE_WATCH))) {
			have |= 4;
		} else {
			return -1;
		}
		p += 8;
		len -= 8;
	}
	return have == 7 && len == 0 ? 0 : -1;
}

static void hexdump(char *out, size_t size, const uint8_t *buf, size_t len)
{
	size_t off = 0;

	for (size_t i = 0; i < len && off + 4 < size; i++)
		off += snprintf(out + off, size - off, "%02x%s", buf[i],
				i % 16 == 15 ? "\n" : " ");
}

static void unexpected(struct judge *j, const char *why, const uint8_t *msg, size_t len,
		       const uint8_t *reply, size_t reply_len)
{
	if (j->unexpected < MAX_LOGGED) {
		char *out = j->first[j->unexpected];
		int n = snprintf(out, sizeof(j->first[0]), "# %s (%zu bytes)\n", why, len);

		if (reply_len) {
			n += snprintf(out + n, sizeof(j->first[0]) - n, "# reply:");
			for (size_t i = 0; i < reply_len && i < 48; i++)
				n += snprintf(out + n, sizeof(j->first[0]) - n, " %02x", reply[i]);
			n += snprintf(out + n, sizeof(j->first[0]) - n, "\n");
		}
		hexdump(out + n, sizeof(j->first[0]) - n, msg, len > 200 ? 200 : len);
	}
	j->unexpected++;
}

/*
 * Send one datagram and judge every reply. @mode holds the policy before
 * and is updated to what the kernel's policy-set replies say.
 */
static void send_one(struct judge *j, int fd, struct policy_view *view, int *mode,
		     const uint8_t *msg, size_t len)
{
	static uint8_t rbuf[1 << 17];
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	int expect[NR_READERS + 1], now[NR_READERS + 1], errored = 0;
	const char *why = NULL, *reply_why = NULL;
	uint8_t reply[48];
	size_t reply_len = 0;

	memcpy(expect, mode, sizeof(expect));
	j->msgs++;
	if (sendto(fd, msg, len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0) {
		j->send_fail++;
		if (errno != EMSGSIZE && errno != ENOBUFS && errno != EINVAL)
			why = "sendto failed unexpectedly";
	}
	for (;;) {
		ssize_t n = recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT | MSG_TRUNC);
		struct nlmsghdr *nlh = (struct nlmsghdr *)rbuf;
		size_t left;

		if (n < 0) {
			if (errno != EAGAIN)
				why = "recv failed";
			break;
		}
		if ((size_t)n > sizeof(rbuf)) {
			why = "reply larger than 128 KiB";
			break;
		}
		for (left = n; NLMSG_OK(nlh, left); nlh = NLMSG_NEXT(nlh, left)) {
			size_t plen = nlh->nlmsg_len - NLMSG_HDRLEN;
			const uint8_t *pl = NLMSG_DATA(nlh);

			j->replies++;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr e;

				if (plen < sizeof(e)) {
					why = "short NLMSG_ERROR";
					continue;
				}
				memcpy(&e, pl, sizeof(e));
				if (e.error > 0 || e.error < -4095)
					why = "NLMSG_ERROR out of range";
				if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) &&
				    !attrs_ok(pl + sizeof(e), plen - sizeof(e), NLMSGERR_ATTR_MAX))
					why = "bad extack";
				if (e.error) {
					j->errors++;
					errored = 1;
				} else {
					j->acks++;
					/* Not a request of the family: netlink acks it itself. */
					if (!j->root && e.msg.nlmsg_type == j->family &&
					    (e.msg.nlmsg_flags & NLM_F_REQUEST))
						why = "an unprivileged request was acknowledged";
				}
			} else if (nlh->nlmsg_type == NLMSG_DONE) {
				j->dones++;
				if (plen < sizeof(int))
					why = "short NLMSG_DONE";
				if (!j->root)
					why = "an unprivileged dump ran";
			} else if (nlh->nlmsg_type == j->family && plen >= GENL_HDRLEN) {
				const struct genlmsghdr *gh = (const void *)pl;
				uint32_t reader = 0, m = 0;

				j->family_msgs++;
				if (!j->root)
					why = "an unprivileged request got data";
				if (gh->cmd == MODEXCL_CMD_STATS_GET) {
					if (!attrs_ok(pl + GENL_HDRLEN, plen - GENL_HDRLEN,
						      MODEXCL_A_RECORD_MAX))
						why = "bad record";
				} else if (gh->cmd == MODEXCL_CMD_POLICY_GET ||
					   gh->cmd == MODEXCL_CMD_POLICY_SET) {
					if (policy_reply(pl + GENL_HDRLEN, plen - GENL_HDRLEN,
							 &reader, &m))
						why = "bad policy reply";
					else if (gh->cmd == MODEXCL_CMD_POLICY_SET)
						expect[reader] = m;
				} else {
					why = "reply with an unknown command";
				}
			} else {
				why = "reply of an unknown type";
			}
			if (why != reply_why && !reply_len) {
				reply_why = why;
				reply_len = nlh->nlmsg_len < sizeof(reply) ?
					    nlh->nlmsg_len : sizeof(reply);
				memcpy(reply, nlh, reply_len);
			}
		}
		if (left)
			why = "reply with trailing bytes";
	}
	view_read(view, now);
	if (memcmp(now, expect, sizeof(now))) {
		j->changes++;
		why = errored ? "the policy changed though the kernel said error"
			      : "the policy changed without a policy-set reply";
		if (!j->root)
			why = "an unprivileged sender changed the policy";
	} else if (memcmp(now, mode, sizeof(now))) {
		j->sets++;	/* a change the kernel replied with */
	}
	memcpy(mode, now, sizeof(now));
	if (why)
		unexpected(j, why, msg, len, reply, reply_len);
}

/* --- the corpus ---------------------------------------------------------- */

struct corpus {
	int n;
	char name[128][256];
	uint8_t data[128][2048];
	size_t len[128];
};

static struct corpus corpus;

static int corpus_load(struct corpus *c)
{
	char dir[1024];
	struct dirent *de;
	DIR *d;

	c->n = 0;
	snprintf(dir, sizeof(dir), "%s", mx_test_file("netlink_fuzz_corpus"));
	d = opendir(dir);
	if (!d)
		return -1;
	while ((de = readdir(d)) && c->n < 128) {
		char path[1536], line[1024];
		size_t len = 0;
		FILE *f;

		if (!strstr(de->d_name, ".hex"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			char *p = line, *end;

			if (*p == '#')
				continue;
			for (;;) {
				unsigned long v = strtoul(p, &end, 16);

				if (end == p || len >= sizeof(c->data[0]))
					break;
				c->data[c->n][len++] = v;
				p = end;
			}
		}
		fclose(f);
		snprintf(c->name[c->n], sizeof(c->name[0]), "%s", de->d_name);
		c->len[c->n++] = len;
	}
	closedir(d);
	return c->n;
}

static void corpus_replay(struct judge *j, int fd, struct policy_view *v, int *mode,
			  struct corpus *c, uint32_t *seq)
{
	for (int i = 0; i < c->n; i++) {
		static uint8_t buf[2048];
		long before = j->unexpected;

		memcpy(buf, c->data[i], c->len[i]);
		if (c->len[i] >= 12) {
			put16(buf + 4, j->family);
			put32(buf + 8, ++*seq);
		}
		send_one(j, fd, v, mode, buf, c->len[i]);
		if (j->unexpected > before && before < MAX_LOGGED)
			snprintf(j->first[before] + strlen(j->first[before]),
				 sizeof(j->first[0]) - strlen(j->first[before]),
				 "\n# corpus file %s", c->name[i]);
	}
}

static void fuzz(struct judge *j, int fd, struct policy_view *v, int *mode, long count,
		 uint32_t *seq)
{
	static uint8_t buf[BUF_SIZE];

	for (long i = 0; i < count; i++) {
		size_t room = mx_rnd() % 50 ? 1024 : BUF_SIZE;

		send_one(j, fd, v, mode, buf, gen_datagram(buf, room, j->family, seq));
	}
}

#define REPORT_MSG							\
	"netlink_fuzz: %s: %ld messages sent (%ld refused by sendto), "	\
	"%ld replies: %ld errors, %ld acks, %ld done, %ld of the family; " \
	"%ld policy changes as replied, %ld not; %ld unexpected\n"

static void report(struct __test_metadata *_metadata, const char *who, struct judge *j)
{
	ksft_print_msg(REPORT_MSG, who, j->msgs, j->send_fail, j->replies, j->errors,
		       j->acks, j->dones, j->family_msgs, j->sets, j->changes, j->unexpected);
	for (long i = 0; i < j->unexpected && i < MAX_LOGGED; i++)
		TH_LOG("unexpected answer to (corpus format):\n%s", j->first[i]);
}

FIXTURE(fuzz)
{
	struct mx_saved_policy saved;
	struct mxt_nl nl;
	long root_count, user_count;
	uint64_t seed;
};

#define SETUP_MSG \
	"netlink_fuzz: seed 0x%llx (MX_FUZZ_SEED), %ld corpus entries, %ld + %ld messages (MX_FUZZ_COUNT)\n"

FIXTURE_SETUP(fuzz)
{
	ASSERT_EQ(0, mx_policy_save(&self->saved));
	ASSERT_EQ(0, mxt_nl_open(&self->nl));
	ASSERT_LE(10, corpus_load(&corpus)) TH_LOG("netlink_fuzz_corpus/ missing or nearly empty");
	fuzz_counts(&self->root_count, &self->user_count);
	self->seed = mx_fuzz_seed();
	ksft_print_msg(SETUP_MSG, (unsigned long long)self->seed, (long)corpus.n,
		       self->root_count, self->user_count);
}

FIXTURE_TEARDOWN(fuzz)
{
	mx_policy_restore(&self->saved);
	mxt_nl_close(&self->nl);
}

TEST_F_TIMEOUT(fuzz, root_gets_clean_answers_and_only_replied_policy_changes, 1500)
{
	struct judge *j = calloc(1, sizeof(*j));
	int mode[NR_READERS + 1] = {}, fd;
	struct policy_view view;
	uint32_t seq = 0;

	ASSERT_NE(NULL, j);
	j->family = self->nl.family;
	j->root = 1;
	mx_rnd_state = self->seed;
	ASSERT_EQ(0, view_open(&view));
	view_read(&view, mode);
	fd = open_sock(1);
	ASSERT_LE(0, fd);

	corpus_replay(j, fd, &view, mode, &corpus, &seq);
	EXPECT_EQ(0, j->unexpected) TH_LOG("the corpus got unexpected answers");
	fuzz(j, fd, &view, mode, self->root_count, &seq);
	report(_metadata, "root", j);
	EXPECT_EQ(0, j->unexpected);
	EXPECT_LE(self->root_count, j->msgs);
	/* The fuzzer reached the family: errors, replies and policy changes. */
	EXPECT_LT(0, j->errors);
	EXPECT_LT(0, j->family_msgs);
	close(fd);
	view_close(&view);
	free(j);
}

static int no_caps(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return 0;
	return !d[0].effective && !d[1].effective && !d[0].permitted && !d[1].permitted;
}

/* The exit codes of the unprivileged child. */
#define CHILD_EXITS \
	"10: setuid, 11: caps kept, 12: socket, 13: joined the monitor group, 14: sysfs write allowed"

TEST_F_TIMEOUT(fuzz, unprivileged_senders_get_errors_and_change_nothing, 1500)
{
	struct judge *j = mmap(NULL, sizeof(*j), PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int before[NR_READERS + 1], after[NR_READERS + 1], status;
	struct policy_view view;
	pid_t pid;

	ASSERT_NE(MAP_FAILED, j);
	memset(j, 0, sizeof(*j));
	j->family = self->nl.family;
	ASSERT_EQ(0, view_open(&view));
	view_read(&view, before);

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int mode[NR_READERS + 1], grp = self->nl.group, fd_root, fd_user;
		uint32_t seq = 0;

		mx_rnd_state = self->seed ^ 0x5555;
		/* One socket opened as root, then everything dropped. */
		fd_root = open_sock(1);
		if (fd_root < 0 || mx_drop_to_nobody())
			_exit(10);
		if (!no_caps() || getuid() != MX_NOBODY)
			_exit(11);
		fd_user = open_sock(0);
		if (fd_user < 0)
			_exit(12);
		/* The monitor group is for CAP_SYS_ADMIN only. */
		if (!setsockopt(fd_user, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)))
			_exit(13);
		/* No policy file takes a write. */
		for (int r = 1; r <= NR_READERS; r++)
			if (mx_policy_set(mx_reader(r), "exclusive") != -EACCES)
				_exit(14);
		view_read(&view, mode);
		corpus_replay(j, fd_user, &view, mode, &corpus, &seq);
		corpus_replay(j, fd_root, &view, mode, &corpus, &seq);
		fuzz(j, fd_user, &view, mode, self->user_count / 2, &seq);
		fuzz(j, fd_root, &view, mode, self->user_count - self->user_count / 2, &seq);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	view_read(&view, after);
	report(_metadata, "unprivileged", j);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG(CHILD_EXITS);
	EXPECT_EQ(0, memcmp(before, after, sizeof(before))) TH_LOG("the policy changed");
	EXPECT_EQ(0, j->unexpected);
	EXPECT_LE(self->user_count, j->msgs);
	EXPECT_LT(0, j->errors);
	EXPECT_EQ(0, j->family_msgs);
	view_close(&view);
	munmap(j, sizeof(*j));
}

TEST_HARNESS_MAIN
