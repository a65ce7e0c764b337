// SPDX-License-Identifier: GPL-2.0
/* The lines of `monitor`: one notification as text and as JSON, exactly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cgroup.h"
#include "clock.h"
#include "format.h"
#include "tests.h"
#include "view_events.h"
#include "view_json.h"

#define ARRIVED 1700000000123456789LL	/* 2023-11-14T22:13:20.123Z */

/* The text line of @ev, with the local clock it starts with checked and cut off. */
static char *text_of(const struct mx_event *ev)
{
	char clock[MX_FMT_LEN], *text = NULL, *rest;
	size_t len = 0, clock_len;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	mx_text_event(f, ev, ARRIVED);
	fclose(f);
	mx_fmt_datetime(clock, sizeof(clock), ARRIVED);
	clock_len = strlen(clock);
	assert_memory_equal(text, clock, clock_len);
	rest = strdup(text + clock_len);
	free(text);
	return rest;
}

/* The JSON object of @ev, printed as `monitor -j` prints it. */
static char *json_of(const struct mx_event *ev)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(mx_json_print(f, mx_json_event(ev, ARRIVED), false), 0);
	fclose(f);
	return text;
}

static struct mx_event dup_event(void)
{
	struct mx_event ev = { .type = MX_EVENT_DUP, .seq = 41, .has_seq = true };

	ev.dup.reader = MODEXCL_READER_KERNEL_MODULE;
	ev.dup.kind = MODEXCL_DUP_KIND_SERIAL;
	ev.dup.ino = 1234567;
	ev.dup.dev = 0x800001;
	ev.dup.pid = 77;
	ev.dup.bytes = 2101248;
	ev.dup.wait_ns = 12345;
	strcpy(ev.dup.module, "virtio_net");
	strcpy(ev.dup.path, "/lib/modules/6.12/kernel/drivers/net/virtio_net.ko.xz");
	return ev;
}

static void a_dup_notification_is_one_text_line_and_one_json_object(void **state)
{
	struct mx_event ev = dup_event();
	char *text;

	(void)state;
	text = text_of(&ev);
	assert_string_equal(text, " dup-ntf seq=41 reader=kernel-module kind=serial "
			    "module=virtio_net pid=77 bytes=2101248 wait-ns=12345 dev=8388609 "
			    "ino=1234567 "
			    "path=/lib/modules/6.12/kernel/drivers/net/virtio_net.ko.xz\n");
	free(text);
	text = json_of(&ev);
	assert_string_equal(text, "{\"time\":\"2023-11-14T22:13:20.123Z\",\"event\":\"dup-ntf\","
			    "\"seq\":41,\"reader\":\"kernel-module\",\"kind\":\"serial\","
			    "\"path\":\"/lib/modules/6.12/kernel/drivers/net/virtio_net.ko.xz\","
			    "\"module\":\"virtio_net\",\"ino\":1234567,\"dev\":8388609,\"pid\":77,"
			    "\"bytes\":2101248,\"wait-ns\":12345,\"caller\":null,"
			    "\"time-ns\":null}\n");
	free(text);
}

static void what_a_notification_lacks_is_a_dash_or_question_mark_and_null(void **state)
{
	struct mx_event ev = dup_event();
	char *text;

	(void)state;
	ev.has_seq = false;
	ev.dup.reader = 42;				/* of a newer kernel */
	ev.dup.kind = 9;
	ev.dup.module[0] = '\0';
	ev.dup.path[0] = '\0';
	text = text_of(&ev);
	assert_string_equal(text, " dup-ntf seq=? reader=? kind=? module=- pid=77 bytes=2101248 "
			    "wait-ns=12345 dev=8388609 ino=1234567 path=-\n");
	free(text);
	text = json_of(&ev);
	assert_string_equal(text, "{\"time\":\"2023-11-14T22:13:20.123Z\",\"event\":\"dup-ntf\","
			    "\"seq\":null,\"reader\":42,\"kind\":9,\"path\":null,\"module\":null,"
			    "\"ino\":1234567,\"dev\":8388609,\"pid\":77,\"bytes\":2101248,"
			    "\"wait-ns\":12345,\"caller\":null,\"time-ns\":null}\n");
	free(text);
}

static void a_policy_notification_shows_its_old_mode_when_it_has_one(void **state)
{
	struct mx_event ev = { .type = MX_EVENT_POLICY, .seq = 42, .has_seq = true };
	char *text;

	(void)state;
	ev.policy.reader = MODEXCL_READER_FIRMWARE;
	ev.policy.mode = MODEXCL_MODE_EXCLUSIVE;
	ev.policy.old_mode = MODEXCL_MODE_SHARED;
	ev.policy.has_old_mode = true;
	text = text_of(&ev);
	assert_string_equal(text, " policy-ntf seq=42 reader=firmware mode=exclusive "
			    "old-mode=shared inactive=-\n");
	free(text);
	text = json_of(&ev);
	assert_string_equal(text, "{\"time\":\"2023-11-14T22:13:20.123Z\",\"event\":\"policy-ntf\","
			    "\"seq\":42,\"reader\":\"firmware\",\"mode\":\"exclusive\","
			    "\"old-mode\":\"shared\",\"inactive\":[],\"actor\":null,"
			    "\"time-ns\":null}\n");
	free(text);
	/* Without one, the text leaves it out and JSON says null. */
	ev.policy.has_old_mode = false;
	ev.policy.mode = 7;
	text = text_of(&ev);
	assert_string_equal(text, " policy-ntf seq=42 reader=firmware mode=? inactive=-\n");
	free(text);
	text = json_of(&ev);
	assert_string_equal(text, "{\"time\":\"2023-11-14T22:13:20.123Z\",\"event\":\"policy-ntf\","
			    "\"seq\":42,\"reader\":\"firmware\",\"mode\":7,\"old-mode\":null,"
			    "\"inactive\":[],\"actor\":null,\"time-ns\":null}\n");
	free(text);
}

static void a_policy_notification_says_why_its_mode_does_not_apply(void **state)
{
	struct mx_event ev = { .type = MX_EVENT_POLICY, .seq = 43, .has_seq = true };
	char *text;

	(void)state;
	ev.policy.reader = MODEXCL_READER_KERNEL_MODULE;
	ev.policy.mode = MODEXCL_MODE_HOLD;
	ev.policy.old_mode = MODEXCL_MODE_SHARED;
	ev.policy.has_old_mode = true;
	ev.policy.inactive = MODEXCL_INACTIVE_IMA_POLICY;
	text = text_of(&ev);
	assert_string_equal(text, " policy-ntf seq=43 reader=kernel-module mode=hold "
			    "old-mode=shared inactive=ima-policy\n");
	free(text);
	text = json_of(&ev);
	assert_string_equal(text, "{\"time\":\"2023-11-14T22:13:20.123Z\",\"event\":\"policy-ntf\","
			    "\"seq\":43,\"reader\":\"kernel-module\",\"mode\":\"hold\","
			    "\"old-mode\":\"shared\",\"inactive\":[\"ima-policy\"],\"actor\":null,"
			    "\"time-ns\":null}\n");
	free(text);
	/* Every reason, in bit order; one of a newer kernel by its bit. */
	ev.policy.inactive = MODEXCL_INACTIVE_IMA_POLICY | MODEXCL_INACTIVE_NO_LSM_NOTIFIER |
			     1u << 9;
	text = text_of(&ev);
	assert_string_equal(text, " policy-ntf seq=43 reader=kernel-module mode=hold "
			    "old-mode=shared inactive=ima-policy,no-lsm-notifier,bit-9\n");
	free(text);
	text = json_of(&ev);
	assert_string_equal(text, "{\"time\":\"2023-11-14T22:13:20.123Z\",\"event\":\"policy-ntf\","
			    "\"seq\":43,\"reader\":\"kernel-module\",\"mode\":\"hold\","
			    "\"old-mode\":\"shared\","
			    "\"inactive\":[\"ima-policy\",\"no-lsm-notifier\",\"bit-9\"],"
			    "\"actor\":null,\"time-ns\":null}\n");
	free(text);
}

static void missed_and_resync_lines_say_how_many_and_what_is_now(void **state)
{
	struct mx_record rec = test_record("virtio_net", 1, 2, 1, 3 << 20);
	char clock[MX_FMT_LEN], want[256], *text = NULL;
	struct mx_model m;
	size_t len = 0;
	FILE *f;

	(void)state;
	test_model(&m, &rec, 1);
	mx_model_set_policy(&m, MODEXCL_READER_KERNEL_MODULE, MODEXCL_MODE_HOLD, 0);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	mx_text_missed(f, 3, "gap", ARRIVED);
	mx_text_missed(f, 0, "overflow", ARRIVED);
	mx_text_resync(f, &m, ARRIVED);
	fclose(f);
	mx_fmt_datetime(clock, sizeof(clock), ARRIVED);
	snprintf(want, sizeof(want), "%s missed count=3 reason=gap\n"
		 "%s missed count=? reason=overflow\n"
		 "%s resync records=1 dups=3 bytes-wasted=0 B bytes-avoided=3.0 MiB policy "
		 "kernel-module=hold\n", clock, clock, clock);
	assert_string_equal(text, want);
	free(text);
	mx_model_free(&m);
}

static void a_resync_line_marks_a_mode_that_does_not_apply(void **state)
{
	char clock[MX_FMT_LEN], want[256], *text = NULL;
	struct mx_model m;
	size_t len = 0;
	FILE *f;

	(void)state;
	test_model(&m, NULL, 0);
	mx_model_set_policy(&m, MODEXCL_READER_FIRMWARE, MODEXCL_MODE_SHARED, 0);
	mx_model_set_policy(&m, MODEXCL_READER_KERNEL_MODULE, MODEXCL_MODE_HOLD,
			    MODEXCL_INACTIVE_IMA_POLICY);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	mx_text_resync(f, &m, ARRIVED);
	fclose(f);
	mx_fmt_datetime(clock, sizeof(clock), ARRIVED);
	snprintf(want, sizeof(want), "%s resync records=0 dups=0 bytes-wasted=0 B "
		 "bytes-avoided=0 B policy firmware=shared "
		 "kernel-module=hold(inactive:ima-policy)\n", clock);
	assert_string_equal(text, want);
	free(text);
	mx_model_free(&m);
}

/* A task as the kernel names it, its cgroup the directory of this test. */
static struct mx_task task(uint32_t pid, const char *comm, uint64_t cgroup)
{
	struct mx_task t = {
		.has = (1u << MX_NR_TASK_ATTRS) - 1, .pid = pid, .ppid = 1, .uid = 0,
		.cgroup = cgroup,
	};

	strcpy(t.comm, comm);
	strcpy(t.parent_comm, "systemd");
	return t;
}

static char cgroup_root[64], cgroup_dir[160];

/* A cgroup tree of one service: @path its path below the root, returns its id. */
static uint64_t cgroup_here(char *path, size_t len)
{
	struct stat st;

	snprintf(cgroup_root, sizeof(cgroup_root), "/tmp/modexcl-events.XXXXXX");
	assert_non_null(mkdtemp(cgroup_root));
	snprintf(path, len, "/udev.service");
	snprintf(cgroup_dir, sizeof(cgroup_dir), "%s%s", cgroup_root, path);
	assert_int_equal(mkdir(cgroup_dir, 0755), 0);
	assert_int_equal(stat(cgroup_dir, &st), 0);
	mx_cgroup_set_root(cgroup_root);
	return st.st_ino;
}

static void cgroup_gone(void)
{
	mx_cgroup_free();
	rmdir(cgroup_dir);
	rmdir(cgroup_root);
}

static void a_dups_caller_and_kernel_time_are_in_its_line_and_object(void **state)
{
	struct mx_event ev = dup_event();
	char dir[64], want[512], *text;
	uint64_t cgroup = cgroup_here(dir, sizeof(dir));

	(void)state;
	ev.dup.caller = task(77, "systemd-udevd", cgroup);
	ev.has_time = true;
	ev.time_ns = 123456789;
	text = text_of(&ev);
	snprintf(want, sizeof(want), " dup-ntf seq=41 reader=kernel-module kind=serial "
		 "module=virtio_net pid=77 caller=systemd-udevd[77] caller-parent=systemd[1] "
		 "caller-uid=0 caller-cgroup=%s bytes=2101248 wait-ns=12345 dev=8388609 "
		 "ino=1234567 path=/lib/modules/6.12/kernel/drivers/net/virtio_net.ko.xz\n", dir);
	assert_string_equal(text, want);
	free(text);
	text = json_of(&ev);
	snprintf(want, sizeof(want), "\"wait-ns\":12345,\"caller\":{\"pid\":77,"
		 "\"comm\":\"systemd-udevd\",\"ppid\":1,\"parent-comm\":\"systemd\",\"uid\":0,"
		 "\"cgroup\":%llu,\"cgroup-path\":\"%s\"},\"time-ns\":123456789}\n",
		 (unsigned long long)cgroup, dir);
	assert_non_null(strstr(text, want));
	free(text);
	/* A cgroup not found: its number; what the kernel left out: not said. */
	ev.dup.caller.cgroup = 1;
	ev.dup.caller.has &= ~(MX_TASK_HAS(PPID) | MX_TASK_HAS(UID));
	text = text_of(&ev);
	assert_non_null(strstr(text, " pid=77 caller=systemd-udevd[77] "
			       "caller-parent=systemd caller-cgroup=1 bytes="));
	free(text);
	text = json_of(&ev);
	assert_non_null(strstr(text, "\"caller\":{\"pid\":77,\"comm\":\"systemd-udevd\","
			       "\"ppid\":null,\"parent-comm\":\"systemd\",\"uid\":null,\"cgroup\":1,"
			       "\"cgroup-path\":null}"));
	free(text);
	cgroup_gone();
}

static void a_policy_change_says_who_and_a_reset_is_a_line_of_its_own(void **state)
{
	struct mx_event ev = { .type = MX_EVENT_POLICY, .seq = 42, .has_seq = true };
	char *text;

	(void)state;
	mx_cgroup_set_root("/nonexistent");
	ev.policy.reader = MODEXCL_READER_KERNEL_MODULE;
	ev.policy.mode = MODEXCL_MODE_HOLD;
	ev.policy.old_mode = MODEXCL_MODE_SHARED;
	ev.policy.has_old_mode = true;
	ev.policy.actor = task(900, "modexcl", 0);
	ev.has_time = true;
	ev.time_ns = 5;
	text = text_of(&ev);
	assert_string_equal(text, " policy-ntf seq=42 reader=kernel-module mode=hold "
			    "old-mode=shared inactive=- actor=modexcl[900] actor-parent=systemd[1] "
			    "actor-uid=0 actor-cgroup=-\n");
	free(text);
	ev = (struct mx_event){ .type = MX_EVENT_RESET, .seq = 43, .has_seq = true };
	ev.reset.actor = task(901, "modexcl", 0);
	ev.reset.actor.has &= ~MX_TASK_HAS(CGROUP);
	text = text_of(&ev);
	assert_string_equal(text, " stats-reset-ntf seq=43 actor=modexcl[901] "
			    "actor-parent=systemd[1] actor-uid=0\n");
	free(text);
	text = json_of(&ev);
	assert_string_equal(text, "{\"time\":\"2023-11-14T22:13:20.123Z\","
			    "\"event\":\"stats-reset-ntf\",\"seq\":43,\"actor\":{\"pid\":901,"
			    "\"comm\":\"modexcl\",\"ppid\":1,\"parent-comm\":\"systemd\",\"uid\":0,"
			    "\"cgroup\":null,\"cgroup-path\":null},\"time-ns\":null}\n");
	free(text);
	/* An older kernel's reset: who is not said. */
	ev.reset.actor.has = 0;
	text = text_of(&ev);
	assert_string_equal(text, " stats-reset-ntf seq=43\n");
	free(text);
	mx_cgroup_free();
}

static void an_event_is_stamped_with_the_kernels_time_else_its_arrival(void **state)
{
	struct mx_event ev = dup_event();
	uint64_t boot = mx_now_boot();
	int64_t before, after, when;

	(void)state;
	assert_true(mx_event_realtime(&ev, ARRIVED) == ARRIVED);
	ev.has_time = true;
	ev.time_ns = boot - 832000000;	/* the kernel counted it 832 ms ago */
	before = mx_now_real();
	when = mx_event_realtime(&ev, ARRIVED);
	after = mx_now_real();
	assert_true(when >= before - 832000000 - 1000000000 && when <= after - 832000000);
}

const struct CMUnitTest events_tests[] = {
	cmocka_unit_test(a_dup_notification_is_one_text_line_and_one_json_object),
	cmocka_unit_test(what_a_notification_lacks_is_a_dash_or_question_mark_and_null),
	cmocka_unit_test(a_policy_notification_shows_its_old_mode_when_it_has_one),
	cmocka_unit_test(a_policy_notification_says_why_its_mode_does_not_apply),
	cmocka_unit_test(a_resync_line_marks_a_mode_that_does_not_apply),
	cmocka_unit_test(missed_and_resync_lines_say_how_many_and_what_is_now),
	cmocka_unit_test(a_dups_caller_and_kernel_time_are_in_its_line_and_object),
	cmocka_unit_test(a_policy_change_says_who_and_a_reset_is_a_line_of_its_own),
	cmocka_unit_test(an_event_is_stamped_with_the_kernels_time_else_its_arrival),
};
const size_t nr_events_tests = sizeof(events_tests) / sizeof(events_tests[0]);
