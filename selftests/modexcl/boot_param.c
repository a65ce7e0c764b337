// SPDX-License-Identifier: GPL-2.0
/*
 * The modes in force against the modexcl.policy= boot parameter(s) on the
 * command line, by the documented rules: boot with garbage, duplicates and
 * unknown readers to test the parser (scripts/check.sh, suite
 * vm-boot-param). Without the parameter, the boot defaults are in force.
 */
#define _GNU_SOURCE
#include "../kselftest_harness.h"
#include "modexcl_util.h"

#define NR_READERS MX_READER_LAST

/*
 * What modexcl.policy= (each occurrence on the command line, in order)
 * should leave, by the documented rules: "reader:mode" entries separated
 * by commas, later entries win, empty ones are skipped, and a bad entry
 * (no colon, unknown reader or mode, hold for another reader than
 * kernel-module, a name longer than 16) is ignored with a warning.
 * Returns the number of bad entries.
 */
static int boot_policy(const char *cmdline, int *mode, int *occurrences)
{
	char buf[4096], *tok, *save;
	int bad = 0;

	snprintf(buf, sizeof(buf), "%s", cmdline);
	*occurrences = 0;
	for (tok = strtok_r(buf, "\n ", &save); tok; tok = strtok_r(NULL, "\n ", &save)) {
		char *entry, *esave;

		if (strncmp(tok, "modexcl.policy=", 15))
			continue;
		++*occurrences;
		for (entry = strtok_r(tok + 15, ",", &esave); entry;
		     entry = strtok_r(NULL, ",", &esave)) {
			char *colon = strchr(entry, ':');
			int reader = -1, m = -1;

			if (colon && colon - entry <= 16 && strlen(colon + 1) <= 16) {
				*colon = '\0';
				for (int r = 1; r <= NR_READERS; r++)
					if (!strcmp(entry, mx_reader(r)))
						reader = r;
				m = mx_mode_index(colon + 1);
			}
			if (reader < 0 || m < 0 ||
			    (m == MODEXCL_MODE_HOLD && reader != MODEXCL_READER_KERNEL_MODULE)) {
				bad++;
				continue;
			}
			mode[reader] = m;
		}
	}
	return bad;
}

/*
 * The modes in force are the boot defaults (the test kernels set
 * kernel-module to hold) with every valid modexcl.policy= entry applied
 * and every bad one ignored. This program changes no policy.
 */
TEST(boot_parameter_entries_applied_as_documented)
{
	int want[NR_READERS + 1] = { 0 }, now[NR_READERS + 1], occurrences, bad;
	char cmdline[4096];

	mx_read_line("/proc/cmdline", cmdline, sizeof(cmdline));
	ASSERT_STRNE("", cmdline);
	want[MODEXCL_READER_KERNEL_MODULE] = MODEXCL_MODE_HOLD;
	bad = boot_policy(cmdline, want, &occurrences);
	for (int r = 1; r <= NR_READERS; r++) {
		const char *mode = mx_policy_get(mx_reader(r));

		ASSERT_STRNE("", mode) TH_LOG("no policy file for %s", mx_reader(r));
		now[r] = mx_mode_index(mode);
	}
	ksft_print_msg("boot_param: %d modexcl.policy= on the command line, %d bad entries\n",
		       occurrences, bad);
	for (int r = 1; r <= NR_READERS; r++) {
		EXPECT_EQ(want[r], now[r])
			TH_LOG("%s is %d, want %d", mx_reader(r), now[r], want[r]);
	}
}

TEST_HARNESS_MAIN
