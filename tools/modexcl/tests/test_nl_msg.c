// SPDX-License-Identifier: GPL-2.0
/*
 * The messages of the family, built here as the kernel builds them and
 * parsed: the task set in every nest that holds one, kernel times, the
 * reset notification, a record's source, format refusals and hold claim,
 * what an older kernel leaves out, and malformed tasks.
 */
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/modexcl.h>

#include "nl_msg.h"
#include "tests.h"

#define FAMILY 0x1d

/* Room for one message; aligned as a receive buffer is. */
static union {
	char bytes[4096];
	struct nlmsghdr align;
} buf;

static struct nlmsghdr *message(uint8_t cmd)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	memset(buf.bytes, 0, sizeof(buf.bytes));
	nlh = mnl_nlmsg_put_header(buf.bytes);
	nlh->nlmsg_type = FAMILY;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = MODEXCL_FAMILY_VERSION;
	return nlh;
}

/* A whole task, as the kernel puts it: a pad before the u64. */
static void put_task(struct nlmsghdr *nlh, uint16_t type, uint32_t pid, const char *comm)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	mnl_attr_put_u32(nlh, MODEXCL_A_TASK_PID, pid);
	mnl_attr_put_strz(nlh, MODEXCL_A_TASK_COMM, comm);
	mnl_attr_put_u32(nlh, MODEXCL_A_TASK_PPID, 1);
	mnl_attr_put_strz(nlh, MODEXCL_A_TASK_PARENT_COMM, "systemd");
	mnl_attr_put_u32(nlh, MODEXCL_A_TASK_UID, 0);
	mnl_attr_put(nlh, MODEXCL_A_TASK_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, MODEXCL_A_TASK_CGROUP, 4242);
	mnl_attr_nest_end(nlh, nest);
}

static void put_dup(struct nlmsghdr *nlh)
{
	mnl_attr_put_u64(nlh, MODEXCL_A_DUP_SEQ, 41);
	mnl_attr_put_u32(nlh, MODEXCL_A_DUP_READER, MODEXCL_READER_KERNEL_MODULE);
	mnl_attr_put_u32(nlh, MODEXCL_A_DUP_KIND, MODEXCL_DUP_KIND_CONCURRENT);
	mnl_attr_put_strz(nlh, MODEXCL_A_DUP_PATH, "/lib/modules/6.12/virtio_net.ko");
	mnl_attr_put_strz(nlh, MODEXCL_A_DUP_MODULE, "virtio_net");
	mnl_attr_put_u32(nlh, MODEXCL_A_DUP_PID, 412);
	mnl_attr_put_u64(nlh, MODEXCL_A_DUP_BYTES, 4096);
}

static void assert_whole_task(const struct mx_task *t, uint32_t pid, const char *comm)
{
	assert_int_equal(t->has, (1u << MX_NR_TASK_ATTRS) - 1);
	assert_int_equal(t->pid, pid);
	assert_string_equal(t->comm, comm);
	assert_int_equal(t->ppid, 1);
	assert_string_equal(t->parent_comm, "systemd");
	assert_true(t->has & MX_TASK_HAS(UID));
	assert_int_equal(t->uid, 0);
	assert_int_equal(t->cgroup, 4242);
}

static void a_dup_notification_carries_its_caller_and_the_kernels_time(void **state)
{
	struct nlmsghdr *nlh = message(MODEXCL_CMD_DUP_NTF);
	struct mx_event ev;

	(void)state;
	put_dup(nlh);
	put_task(nlh, MODEXCL_A_DUP_CALLER, 412, "systemd-udevd");
	mnl_attr_put_u64(nlh, MODEXCL_A_DUP_TIME_NS, 123456789012ULL);
	assert_true(mx_msg_event(nlh, FAMILY, &ev));
	assert_int_equal(ev.type, MX_EVENT_DUP);
	assert_true(ev.has_seq);
	assert_int_equal(ev.seq, 41);
	assert_true(ev.has_time);
	assert_int_equal(ev.time_ns, 123456789012ULL);
	assert_string_equal(ev.dup.module, "virtio_net");
	assert_int_equal(ev.dup.pid, 412);
	assert_whole_task(&ev.dup.caller, 412, "systemd-udevd");
}

static void an_older_kernels_notification_has_no_caller_and_no_time(void **state)
{
	struct nlmsghdr *nlh = message(MODEXCL_CMD_DUP_NTF);
	struct mx_event ev;

	(void)state;
	put_dup(nlh);
	assert_true(mx_msg_event(nlh, FAMILY, &ev));
	assert_int_equal(ev.dup.caller.has, 0);
	assert_false(ev.has_time);
	assert_int_equal(ev.dup.bytes, 4096);
	/* Another family's message, or a command this tool does not know: skipped. */
	assert_false(mx_msg_event(nlh, FAMILY + 1, &ev));
	nlh = message(MODEXCL_CMD_STATS_RESET_NTF + 1);
	assert_false(mx_msg_event(nlh, FAMILY, &ev));
}

/* The three ways a task nest is malformed; each leaves the rest of the event. */
static void a_malformed_task_is_dropped_whole_and_the_event_kept(void **state)
{
	static const uint16_t bad_len = 2;
	struct nlmsghdr *nlh;
	struct nlattr *nest, *cut;
	struct mx_event ev;

	(void)state;
	/* An attribute of the wrong length in it: a u32 of 2 bytes. */
	nlh = message(MODEXCL_CMD_DUP_NTF);
	put_dup(nlh);
	nest = mnl_attr_nest_start(nlh, MODEXCL_A_DUP_CALLER);
	mnl_attr_put_strz(nlh, MODEXCL_A_TASK_COMM, "insmod");
	mnl_attr_put(nlh, MODEXCL_A_TASK_PID, sizeof(bad_len), &bad_len);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u64(nlh, MODEXCL_A_DUP_TIME_NS, 5);
	assert_true(mx_msg_event(nlh, FAMILY, &ev));
	assert_int_equal(ev.dup.caller.has, 0);
	assert_string_equal(ev.dup.caller.comm, "");
	assert_int_equal(ev.dup.pid, 412);
	assert_int_equal(ev.time_ns, 5);

	/* Bytes after its last attribute: a header that claims more than is left. */
	nlh = message(MODEXCL_CMD_DUP_NTF);
	put_dup(nlh);
	nest = mnl_attr_nest_start(nlh, MODEXCL_A_DUP_CALLER);
	mnl_attr_put_u32(nlh, MODEXCL_A_TASK_PID, 412);
	cut = mnl_nlmsg_put_extra_header(nlh, sizeof(*cut));
	cut->nla_len = 12;
	cut->nla_type = MODEXCL_A_TASK_UID;
	mnl_attr_nest_end(nlh, nest);
	assert_true(mx_msg_event(nlh, FAMILY, &ev));
	assert_int_equal(ev.dup.caller.has, 0);
	assert_int_equal(ev.dup.caller.pid, 0);
	assert_string_equal(ev.dup.module, "virtio_net");

	/* No nest at all: two bytes where attributes should be. */
	nlh = message(MODEXCL_CMD_DUP_NTF);
	put_dup(nlh);
	mnl_attr_put(nlh, MODEXCL_A_DUP_CALLER, sizeof(bad_len), &bad_len);
	assert_true(mx_msg_event(nlh, FAMILY, &ev));
	assert_int_equal(ev.dup.caller.has, 0);
	assert_int_equal(ev.seq, 41);
}

static void a_task_without_some_attributes_says_which_it_has(void **state)
{
	struct nlmsghdr *nlh = message(MODEXCL_CMD_DUP_NTF);
	struct nlattr *nest;
	struct mx_event ev;

	(void)state;
	put_dup(nlh);
	nest = mnl_attr_nest_start(nlh, MODEXCL_A_DUP_CALLER);
	mnl_attr_put_u32(nlh, MODEXCL_A_TASK_PID, 412);
	mnl_attr_put_strz(nlh, MODEXCL_A_TASK_COMM, "kworker/u8:2 x");
	mnl_attr_put_u32(nlh, MODEXCL_A_TASK_PAD + 5, 7);	/* a newer kernel's */
	mnl_attr_nest_end(nlh, nest);
	assert_true(mx_msg_event(nlh, FAMILY, &ev));
	assert_int_equal(ev.dup.caller.has, MX_TASK_HAS(PID) | MX_TASK_HAS(COMM));
	assert_string_equal(ev.dup.caller.comm, "kworker/u8:2 x");
	assert_false(ev.dup.caller.has & MX_TASK_HAS(UID));
}

static void a_policy_notification_names_who_changed_it(void **state)
{
	struct nlmsghdr *nlh = message(MODEXCL_CMD_POLICY_NTF);
	struct mx_event ev;

	(void)state;
	mnl_attr_put_u64(nlh, MODEXCL_A_POLICY_SEQ, 42);
	mnl_attr_put_u32(nlh, MODEXCL_A_POLICY_READER, MODEXCL_READER_KERNEL_MODULE);
	mnl_attr_put_u32(nlh, MODEXCL_A_POLICY_MODE, MODEXCL_MODE_HOLD);
	mnl_attr_put_u32(nlh, MODEXCL_A_POLICY_OLD_MODE, MODEXCL_MODE_SHARED);
	put_task(nlh, MODEXCL_A_POLICY_ACTOR, 900, "modexcl");
	mnl_attr_put_u64(nlh, MODEXCL_A_POLICY_TIME_NS, 77);
	assert_true(mx_msg_event(nlh, FAMILY, &ev));
	assert_int_equal(ev.type, MX_EVENT_POLICY);
	assert_int_equal(ev.policy.mode, MODEXCL_MODE_HOLD);
	assert_true(ev.policy.has_old_mode);
	assert_whole_task(&ev.policy.actor, 900, "modexcl");
	assert_int_equal(ev.time_ns, 77);
	/* The same set in a reply: a mode, so it counts. */
	assert_true(mx_msg_policy(nlh, &ev));
}

static void a_reset_notification_is_an_event_with_its_actor(void **state)
{
	struct nlmsghdr *nlh = message(MODEXCL_CMD_STATS_RESET_NTF);
	struct mx_event ev;

	(void)state;
	mnl_attr_put_u64(nlh, MODEXCL_A_RESET_SEQ, 43);
	put_task(nlh, MODEXCL_A_RESET_ACTOR, 901, "modexcl");
	mnl_attr_put_u64(nlh, MODEXCL_A_RESET_TIME_NS, 99);
	assert_true(mx_msg_event(nlh, FAMILY, &ev));
	assert_int_equal(ev.type, MX_EVENT_RESET);
	assert_int_equal(ev.seq, 43);
	assert_true(ev.has_time);
	assert_int_equal(ev.time_ns, 99);
	assert_whole_task(&ev.reset.actor, 901, "modexcl");
	/* A bare one (no actor, no time) is still a reset. */
	nlh = message(MODEXCL_CMD_STATS_RESET_NTF);
	mnl_attr_put_u64(nlh, MODEXCL_A_RESET_SEQ, 44);
	assert_true(mx_msg_event(nlh, FAMILY, &ev));
	assert_int_equal(ev.type, MX_EVENT_RESET);
	assert_int_equal(ev.reset.actor.has, 0);
	assert_false(ev.has_time);
}

static void a_record_carries_its_waiting_loads_and_last_caller(void **state)
{
	struct nlmsghdr *nlh = message(MODEXCL_CMD_STATS_GET);
	struct mx_record rec;

	(void)state;
	mnl_attr_put_u32(nlh, MODEXCL_A_RECORD_READER, MODEXCL_READER_KERNEL_MODULE);
	mnl_attr_put_strz(nlh, MODEXCL_A_RECORD_MODULE, "virtio_net");
	mnl_attr_put_u64(nlh, MODEXCL_A_RECORD_DUP_CONCURRENT, 14);
	mnl_attr_put_u64(nlh, MODEXCL_A_RECORD_LAST_SEEN, 24792358956ULL);
	mnl_attr_put_u32(nlh, MODEXCL_A_RECORD_WAITING, 3);
	put_task(nlh, MODEXCL_A_RECORD_LAST_CALLER, 142, "(udev-worker)");
	mx_msg_record(nlh, &rec);
	assert_string_equal(rec.module, "virtio_net");
	assert_int_equal(rec.counts.dup_concurrent, 14);
	assert_int_equal(rec.last_seen, 24792358956ULL);
	assert_true(rec.has_waiting);
	assert_int_equal(rec.waiting, 3);
	assert_whole_task(&rec.last_caller, 142, "(udev-worker)");
	/* An older kernel's record: neither, and no waiting count either. */
	nlh = message(MODEXCL_CMD_STATS_GET);
	mnl_attr_put_u32(nlh, MODEXCL_A_RECORD_READER, MODEXCL_READER_KERNEL_MODULE);
	mnl_attr_put_u64(nlh, MODEXCL_A_RECORD_WAITING, 3);	/* of the wrong size */
	mx_msg_record(nlh, &rec);
	assert_false(rec.has_waiting);
	assert_int_equal(rec.waiting, 0);
	assert_int_equal(rec.last_caller.has, 0);
}

/* An init_module() image's record, as the kernel puts it; a file's, from an older kernel. */
static void a_record_says_its_source_and_counts_format_refusals(void **state)
{
	struct nlmsghdr *nlh = message(MODEXCL_CMD_STATS_GET);
	struct mx_record rec;

	(void)state;
	mnl_attr_put_u32(nlh, MODEXCL_A_RECORD_READER, MODEXCL_READER_KERNEL_MODULE);
	mnl_attr_put_strz(nlh, MODEXCL_A_RECORD_MODULE, "virtio_net");
	mnl_attr_put_strz(nlh, MODEXCL_A_RECORD_PATH, "[init_module]");
	mnl_attr_put_u32(nlh, MODEXCL_A_RECORD_DEV, 0);
	mnl_attr_put_u64(nlh, MODEXCL_A_RECORD_FAILED, 1);
	mnl_attr_put(nlh, MODEXCL_A_RECORD_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, MODEXCL_A_RECORD_FORMAT_REFUSED, 7);
	mnl_attr_put_u32(nlh, MODEXCL_A_RECORD_SOURCE, MODEXCL_SOURCE_IMAGE);
	mx_msg_record(nlh, &rec);
	assert_string_equal(rec.path, "[init_module]");
	assert_int_equal(rec.source, MODEXCL_SOURCE_IMAGE);
	assert_int_equal(rec.counts.format_refused, 7);
	assert_int_equal(rec.counts.failed, 1);	/* a counter of its own */
	/* A file's record says so. */
	nlh = message(MODEXCL_CMD_STATS_GET);
	mnl_attr_put_u32(nlh, MODEXCL_A_RECORD_READER, MODEXCL_READER_KERNEL_MODULE);
	mnl_attr_put_u32(nlh, MODEXCL_A_RECORD_SOURCE, MODEXCL_SOURCE_FILE);
	mnl_attr_put_u64(nlh, MODEXCL_A_RECORD_FORMAT_REFUSED, 2);
	mx_msg_record(nlh, &rec);
	assert_int_equal(rec.source, MODEXCL_SOURCE_FILE);
	assert_int_equal(rec.counts.format_refused, 2);
	/* An older kernel's record has neither: a file, no refusal. */
	nlh = message(MODEXCL_CMD_STATS_GET);
	mnl_attr_put_u32(nlh, MODEXCL_A_RECORD_READER, MODEXCL_READER_KERNEL_MODULE);
	mnl_attr_put_u64(nlh, MODEXCL_A_RECORD_FAILED, 3);
	mx_msg_record(nlh, &rec);
	assert_int_equal(rec.source, MODEXCL_SOURCE_FILE);
	assert_int_equal(rec.counts.format_refused, 0);
	assert_int_equal(rec.counts.failed, 3);
	/* Of the wrong size, each is ignored as absent. */
	nlh = message(MODEXCL_CMD_STATS_GET);
	mnl_attr_put_u64(nlh, MODEXCL_A_RECORD_SOURCE, MODEXCL_SOURCE_IMAGE);
	mnl_attr_put_u32(nlh, MODEXCL_A_RECORD_FORMAT_REFUSED, 5);
	mx_msg_record(nlh, &rec);
	assert_int_equal(rec.source, MODEXCL_SOURCE_FILE);
	assert_int_equal(rec.counts.format_refused, 0);
	/* A source of a newer kernel keeps its number. */
	nlh = message(MODEXCL_CMD_STATS_GET);
	mnl_attr_put_u32(nlh, MODEXCL_A_RECORD_SOURCE, 9);
	mx_msg_record(nlh, &rec);
	assert_int_equal(rec.source, 9);
}

/*
 * Whether a hold claim covers a record, as the kernel says it for a
 * kernel-module record; unknown, not none, when it does not say (an older
 * kernel, another reader) or says it malformed.
 */
static void a_record_says_whether_a_hold_claim_covers_it(void **state)
{
	struct nlmsghdr *nlh = message(MODEXCL_CMD_STATS_GET);
	struct mx_record rec;

	(void)state;
	mnl_attr_put_u32(nlh, MODEXCL_A_RECORD_READER, MODEXCL_READER_KERNEL_MODULE);
	mnl_attr_put_strz(nlh, MODEXCL_A_RECORD_MODULE, "virtio_net");
	mnl_attr_put_u32(nlh, MODEXCL_A_RECORD_SOURCE, MODEXCL_SOURCE_FILE);
	mnl_attr_put_u32(nlh, MODEXCL_A_RECORD_CLAIM, MODEXCL_CLAIM_HELD);
	mx_msg_record(nlh, &rec);
	assert_string_equal(rec.module, "virtio_net");
	assert_true(rec.has_claim);
	assert_int_equal(rec.claim, MODEXCL_CLAIM_HELD);
	/* None said is none, known. */
	nlh = message(MODEXCL_CMD_STATS_GET);
	mnl_attr_put_u32(nlh, MODEXCL_A_RECORD_READER, MODEXCL_READER_KERNEL_MODULE);
	mnl_attr_put_u32(nlh, MODEXCL_A_RECORD_CLAIM, MODEXCL_CLAIM_NONE);
	mx_msg_record(nlh, &rec);
	assert_true(rec.has_claim);
	assert_int_equal(rec.claim, MODEXCL_CLAIM_NONE);
	/* An older kernel's record, or a firmware file's: not said. */
	nlh = message(MODEXCL_CMD_STATS_GET);
	mnl_attr_put_u32(nlh, MODEXCL_A_RECORD_READER, MODEXCL_READER_FIRMWARE);
	mnl_attr_put_u64(nlh, MODEXCL_A_RECORD_LOADS, 2);
	mx_msg_record(nlh, &rec);
	assert_false(rec.has_claim);
	assert_int_equal(rec.counts.loads, 2);
	/* Of the wrong size: ignored as absent, the rest kept. */
	nlh = message(MODEXCL_CMD_STATS_GET);
	mnl_attr_put_u32(nlh, MODEXCL_A_RECORD_READER, MODEXCL_READER_KERNEL_MODULE);
	mnl_attr_put_u64(nlh, MODEXCL_A_RECORD_CLAIM, MODEXCL_CLAIM_HELD);
	mnl_attr_put_u32(nlh, MODEXCL_A_RECORD_WAITING, 1);
	mx_msg_record(nlh, &rec);
	assert_false(rec.has_claim);
	assert_int_equal(rec.claim, 0);
	assert_true(rec.has_waiting);
	/* A claim value of a newer kernel keeps its number. */
	nlh = message(MODEXCL_CMD_STATS_GET);
	mnl_attr_put_u32(nlh, MODEXCL_A_RECORD_CLAIM, 7);
	mx_msg_record(nlh, &rec);
	assert_true(rec.has_claim);
	assert_int_equal(rec.claim, 7);
}

const struct CMUnitTest nl_msg_tests[] = {
	cmocka_unit_test(a_dup_notification_carries_its_caller_and_the_kernels_time),
	cmocka_unit_test(an_older_kernels_notification_has_no_caller_and_no_time),
	cmocka_unit_test(a_malformed_task_is_dropped_whole_and_the_event_kept),
	cmocka_unit_test(a_task_without_some_attributes_says_which_it_has),
	cmocka_unit_test(a_policy_notification_names_who_changed_it),
	cmocka_unit_test(a_reset_notification_is_an_event_with_its_actor),
	cmocka_unit_test(a_record_carries_its_waiting_loads_and_last_caller),
	cmocka_unit_test(a_record_says_its_source_and_counts_format_refusals),
	cmocka_unit_test(a_record_says_whether_a_hold_claim_covers_it),
};
const size_t nr_nl_msg_tests = sizeof(nl_msg_tests) / sizeof(nl_msg_tests[0]);
