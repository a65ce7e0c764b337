// SPDX-License-Identifier: GPL-2.0
/*
 * Storms of duplicate loads, as udev makes them on a many-core machine:
 * many processes load one module at once, then more load it once it is
 * live. Every call gets what stock gives (0 or -EEXIST), in every mode, and
 * under `hold` not one byte is wasted. Dependent modules loaded through
 * Debian's modprobe from many processes at once all succeed: the case that
 * got upstream's -ETXTBSY version reverted.
 */
#define _GNU_SOURCE
#include "../kselftest_harness.h"
#include "modexcl_util.h"

#define BIG "modexcl_test_big"
#define LOADERS 16
#define SERIAL 8
/*
 * A bound against hangs, not a speed goal: the debug kernel (KASAN,
 * lockdep) under TCG runs a storm some 20 times slower than the test kernel.
 */
#define STORM_TIMEOUT 600

static const char *const modes[] = { "shared", "exclusive", "hold" };
static const char *const unload_chain[] = { MX_MODPROBE, "-r", "modexcl_test_dep_c",
					    "modexcl_test_dep_b", "modexcl_test_dep_a", NULL };

/*
 * Fork n children that wait on one pipe and then run fn(i); collect their
 * exit codes. Closing the pipe releases all of them at once.
 */
static int storm(int n, int (*fn)(int), int *codes)
{
	pid_t pids[64];
	int gate[2], status;
	char c;

	if (n > 64 || pipe(gate))
		return -1;
	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			return -1;
		if (pids[i] == 0) {
			close(gate[1]);
			if (read(gate[0], &c, 1) < 0)
				_exit(255);
			_exit(fn(i));
		}
	}
	close(gate[0]);
	close(gate[1]);
	for (int i = 0; i < n; i++) {
		if (waitpid(pids[i], &status, 0) != pids[i] || !WIFEXITED(status))
			return -1;
		codes[i] = WEXITSTATUS(status);
	}
	return 0;
}

/* Exit code: 0 for 0, 1 for -EEXIST, 2 for anything else. */
static int load_big(int i)
{
	int ret = mx_load(BIG, "");

	(void)i;
	return ret == 0 ? 0 : ret == -EEXIST ? 1 : 2;
}

static int modprobe_chain(int i)
{
	const char *const argv[] = { MX_MODPROBE, "modexcl_test_dep_c", NULL };

	(void)i;
	return mx_run(argv);
}

/*
 * LOADERS concurrent loads of BIG, then SERIAL loads once it is live, each
 * of those refused with -EEXIST. Returns MODULE_STATS' wasted-bytes growth.
 */
static long long storm_then_serial(struct __test_metadata *_metadata, int *codes)
{
	long long before = mx_wasted_bytes();

	EXPECT_EQ(0, storm(LOADERS, load_big, codes));
	for (int i = 0; i < SERIAL; i++)
		EXPECT_EQ(-EEXIST, mx_load(BIG, ""));
	return mx_wasted_bytes() - before;
}

FIXTURE(storm)
{
	char saved_mode[32];
	int codes[64];
};

FIXTURE_SETUP(storm)
{
	snprintf(self->saved_mode, sizeof(self->saved_mode), "%s",
		 mx_policy_get("kernel-module"));
	ASSERT_STRNE("", self->saved_mode);
	mx_unload(BIG);
}

FIXTURE_TEARDOWN(storm)
{
	mx_trace_stop();
	mx_unload(BIG);
	mx_run(unload_chain);
	mx_policy_set("kernel-module", self->saved_mode);
}

TEST_F_TIMEOUT(storm, concurrent_then_serial_loads_get_stock_answers_in_every_mode, STORM_TIMEOUT)
{
	for (size_t m = 0; m < 3; m++) {
		int zeros = 0;

		ASSERT_EQ(0, mx_policy_set("kernel-module", modes[m]));
		ASSERT_EQ(0, storm(LOADERS, load_big, self->codes));
		for (int i = 0; i < LOADERS; i++) {
			EXPECT_GT(2, self->codes[i])
				TH_LOG("%s: loader %d got an error other than -EEXIST",
				       modes[m], i);
			zeros += self->codes[i] == 0;
		}
		EXPECT_LE(1, zeros) TH_LOG("%s: no loader succeeded", modes[m]);
		EXPECT_STREQ("live", mx_initstate(BIG));
		for (int i = 0; i < SERIAL; i++)
			EXPECT_EQ(-EEXIST, mx_load(BIG, ""));
		ASSERT_EQ(0, mx_unload(BIG));
	}
}

TEST_F_TIMEOUT(storm, no_duplicate_of_a_storm_reads_the_file_under_hold, STORM_TIMEOUT)
{
	long long growth;
	int serial, read;

	ASSERT_EQ(0, mx_policy_set("kernel-module", "hold"));
	ASSERT_EQ(0, mx_trace_start());
	growth = storm_then_serial(_metadata, self->codes);
	EXPECT_LE(0, mx_trace_dup_bytes("serial", BIG, &serial));
	EXPECT_LE(SERIAL, serial) TH_LOG("refused serial duplicates were not traced");
	EXPECT_EQ(0, mx_trace_dup_bytes("read", BIG, &read));
	EXPECT_EQ(0, read);
	mx_trace_stop();
	ASSERT_EQ(0, mx_unload(BIG));

	EXPECT_EQ(0, growth);
}

TEST_F_TIMEOUT(storm, duplicates_of_a_storm_under_shared_waste_what_is_traced, STORM_TIMEOUT)
{
	long long growth, traced;
	int read;

	ASSERT_EQ(0, mx_policy_set("kernel-module", "shared"));
	ASSERT_EQ(0, mx_trace_start());
	growth = storm_then_serial(_metadata, self->codes);
	traced = mx_trace_dup_bytes("read", BIG, &read);
	mx_trace_stop();

	/* At least the serial duplicates read the whole 2 MiB file. */
	EXPECT_LE((long long)SERIAL * (2 << 20), growth);
	/* modexcl counts wasted bytes exactly as MODULE_STATS does. */
	EXPECT_EQ(growth, traced);
	EXPECT_LE(SERIAL, read);
}

TEST_F_TIMEOUT(storm, dependent_modules_through_modprobe_all_succeed_in_every_mode, STORM_TIMEOUT)
{
	for (size_t m = 0; m < 3; m++) {
		ASSERT_EQ(0, mx_policy_set("kernel-module", modes[m]));
		ASSERT_EQ(0, storm(LOADERS, modprobe_chain, self->codes));
		for (int i = 0; i < LOADERS; i++) {
			EXPECT_EQ(0, self->codes[i]) TH_LOG("%s: modprobe %d exited %d",
							    modes[m], i, self->codes[i]);
		}
		EXPECT_STREQ("live", mx_initstate("modexcl_test_dep_a"));
		EXPECT_STREQ("live", mx_initstate("modexcl_test_dep_b"));
		EXPECT_STREQ("live", mx_initstate("modexcl_test_dep_c"));
		ASSERT_EQ(0, mx_run(unload_chain));
		EXPECT_STREQ("", mx_initstate("modexcl_test_dep_a"));
	}
}

TEST_HARNESS_MAIN
