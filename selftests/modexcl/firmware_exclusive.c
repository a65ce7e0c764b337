// SPDX-License-Identifier: GPL-2.0
/*
 * The firmware reader under `shared` and `exclusive`, driven through the
 * kernel's own test driver (CONFIG_TEST_FIRMWARE): eight kernel threads
 * request one firmware file at once with request_firmware_into_buf(),
 * which the firmware cache does not merge, so every request reaches
 * kernel_read_file(). Every request succeeds with the file's content in
 * both modes, and only `exclusive` makes readers wait for each other.
 */
#define _GNU_SOURCE
#include <sys/stat.h>

#include "../kselftest_harness.h"
#include "modexcl_util.h"

#define TEST_FW "/sys/devices/virtual/misc/test_firmware"
#define FW_DIR "/tmp/modexcl-fw"
#define FW_NAME "modexcl-test.bin"
/*
 * test_firmware's batched into_buf requests allocate 1 KiB whatever
 * config_buf_size says (6.12.117), so the file stays below that.
 */
#define FW_SIZE 1000
#define REQUESTS 8

static int fw_config(const char *attr, const char *value)
{
	char path[128];

	snprintf(path, sizeof(path), TEST_FW "/%s", attr);
	return mx_write_file(path, value, strlen(value));
}

static long fw_read_long(const char *attr)
{
	char path[128], buf[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), TEST_FW "/%s", attr);
	f = fopen(path, "r");
	if (!f)
		return -9999;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return strtol(buf, NULL, 10);
}

/* Run one batch of REQUESTS concurrent requests; 0 when all succeeded. */
static long fw_batch(void)
{
	long result;

	if (fw_config("trigger_batched_requests", "1"))
		return -9998;
	result = fw_read_long("test_result");
	fw_config("release_all_firmware", "1");
	return result;
}

FIXTURE(firmware)
{
	char saved_mode[32];
};

FIXTURE_SETUP(firmware)
{
	const char *const load[] = { MX_MODPROBE, "test_firmware", NULL };
	char content[FW_SIZE], num[16];
	int fd;

	snprintf(self->saved_mode, sizeof(self->saved_mode), "%s", mx_policy_get("firmware"));
	ASSERT_STRNE("", self->saved_mode);
	ASSERT_EQ(0, mx_run(load));

	mkdir(FW_DIR, 0755);
	for (size_t i = 0; i < sizeof(content); i++)
		content[i] = (char)(i * 7);
	fd = open(FW_DIR "/" FW_NAME, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(sizeof(content), write(fd, content, sizeof(content)));
	close(fd);

	ASSERT_EQ(0, mx_write_file("/sys/module/firmware_class/parameters/path",
				   FW_DIR, strlen(FW_DIR)));
	ASSERT_EQ(0, fw_config("reset", "1"));
	ASSERT_EQ(0, fw_config("config_name", FW_NAME));
	ASSERT_EQ(0, fw_config("config_into_buf", "1"));
	snprintf(num, sizeof(num), "%d", REQUESTS);
	ASSERT_EQ(0, fw_config("config_num_requests", num));
}

FIXTURE_TEARDOWN(firmware)
{
	const char *const unload[] = { MX_MODPROBE, "-r", "test_firmware", NULL };

	mx_trace_stop();
	mx_policy_set("firmware", self->saved_mode);
	mx_run(unload);
}

TEST_F(firmware, concurrent_requests_succeed_without_waits_under_shared)
{
	int waits;

	ASSERT_EQ(0, mx_policy_set("firmware", "shared"));
	ASSERT_EQ(0, mx_trace_start());
	EXPECT_EQ(0, fw_batch());
	EXPECT_EQ(0, mx_trace_dup_bytes("exclusive-wait", "", &waits));
	EXPECT_EQ(0, waits);
}

TEST_F(firmware, concurrent_requests_succeed_with_bounded_waits_under_exclusive)
{
	int waits;

	ASSERT_EQ(0, mx_policy_set("firmware", "exclusive"));
	ASSERT_EQ(0, mx_trace_start());
	for (int round = 0; round < 4; round++)
		EXPECT_EQ(0, fw_batch());
	/* Waiting is allowed, never more waits than requests after the first. */
	EXPECT_LE(0, mx_trace_dup_bytes("exclusive-wait", "", &waits));
	EXPECT_GE(4 * (REQUESTS - 1), waits);
}

TEST_HARNESS_MAIN
