// SPDX-License-Identifier: GPL-2.0
/*
 * The per-reader policy through /sys/kernel/modexcl/policy/<reader>: the
 * boot defaults and the boot parameter, a round trip for every reader and
 * mode, every invalid write refused with nothing changed, and writes only
 * with CAP_SYS_ADMIN, as through netlink.
 */
#define _GNU_SOURCE
#include <linux/capability.h>
#include <sys/stat.h>

#include "../kselftest_harness.h"
#include "modexcl_util.h"

#define FIRMWARE MODEXCL_READER_FIRMWARE
#define KERNEL_MODULE MODEXCL_READER_KERNEL_MODULE

/*
 * The boot parameter the check run boots a second VM with: the line of
 * boot_param.txt (installed next to this program) that scripts/check.sh
 * passes in suite vm-boot-param. Two valid entries, a duplicate (the later
 * entry wins), an empty entry (ignored) and ten bad ones, each warned
 * about (boot_param_bad), the good ones not (boot_param_good).
 */
#define BOOT_PARAM_FILE "boot_param.txt"

static const char *const boot_param_bad[] = {
	":", "nonsense", ":hold", "firmware:", "bogus:hold", "x509-certificate:hold",
	"kexec-image:fast", "security-policy:exclusive:extra", "kexec-initramfs:EXCLUSIVE",
	"a-reader-name-longer-than-any-mode-name:shared",
};

static const char *const boot_param_good[] = {
	"kernel-module:hold", "firmware:exclusive", "kernel-module:shared",
};

/* The line of BOOT_PARAM_FILE that is not a '#' comment; "" when unreadable. */
static const char *boot_param(void)
{
	static char line[1024];
	FILE *f = fopen(mx_test_file(BOOT_PARAM_FILE), "r");

	line[0] = '\0';
	if (!f)
		return line;
	while (fgets(line, sizeof(line), f) && line[0] == '#')
		;
	if (line[0] == '#')
		line[0] = '\0';
	line[strcspn(line, "\n")] = '\0';
	fclose(f);
	return line;
}

/* @entry is one of the @n in @list. */
static int listed(const char *entry, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(entry, list[i]))
			return 1;
	return 0;
}

/* Lines of the kernel log before init started that contain @text. */
static int boot_kmsg_count(const char *text)
{
	char rec[2048];
	ssize_t n;
	int count = 0, fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((n = read(fd, rec, sizeof(rec) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		if (n <= 0)
			continue;
		rec[n] = 0;
		if (strstr(rec, "Run /init as init process"))
			break;
		count += !!strstr(rec, text);
	}
	close(fd);
	return count;
}

/* Boot-time warnings about one policy entry. */
static int boot_warnings(const char *entry)
{
	char text[128];

	snprintf(text, sizeof(text), "modexcl: ignoring bad policy entry '%s'", entry);
	return boot_kmsg_count(text);
}

static int cmdline_has(const char *word)
{
	char buf[4096], *tok, *save;
	int found = 0;
	FILE *f = fopen("/proc/cmdline", "r");

	if (!f || !fgets(buf, sizeof(buf), f)) {
		if (f)
			fclose(f);
		return 0;
	}
	fclose(f);
	for (tok = strtok_r(buf, "\n ", &save); tok; tok = strtok_r(NULL, "\n ", &save))
		found |= !strcmp(tok, word) ||
			 (word[strlen(word) - 1] == '=' && !strncmp(tok, word, strlen(word)));
	return found;
}

FIXTURE(policy)
{
	struct mx_saved_policy saved;
};

FIXTURE_SETUP(policy)
{
	int r = mx_policy_save(&self->saved);

	ASSERT_EQ(0, r) TH_LOG("no policy file for %s", mx_reader(r));
}

FIXTURE_TEARDOWN(policy)
{
	mx_policy_restore(&self->saved);
}

/*
 * boot_param_bad and boot_param_good name every non-empty entry of the
 * boot parameter and nothing else: they say what each entry must do.
 */
TEST(expectations_cover_every_entry_of_the_boot_parameter)
{
	char param[1024], *save, *entries[64];
	size_t i, n = 0;

	snprintf(param, sizeof(param), "%s", boot_param());
	ASSERT_EQ(0, strncmp(param, "modexcl.policy=", 15))
		TH_LOG("no modexcl.policy= line in %s", mx_test_file(BOOT_PARAM_FILE));
	for (char *e = strtok_r(param + 15, ",", &save); e && n < ARRAY_SIZE(entries);
	     e = strtok_r(NULL, ",", &save))
		entries[n++] = e;
	for (i = 0; i < n; i++) {
		EXPECT_TRUE(listed(entries[i], boot_param_bad, ARRAY_SIZE(boot_param_bad)) ||
			    listed(entries[i], boot_param_good, ARRAY_SIZE(boot_param_good)))
			TH_LOG("'%s' is in neither boot_param_bad nor boot_param_good", entries[i]);
	}
	for (i = 0; i < ARRAY_SIZE(boot_param_bad); i++) {
		EXPECT_TRUE(listed(boot_param_bad[i], (const char *const *)entries, n))
			TH_LOG("'%s' is not an entry of the boot parameter", boot_param_bad[i]);
	}
	for (i = 0; i < ARRAY_SIZE(boot_param_good); i++) {
		EXPECT_TRUE(listed(boot_param_good[i], (const char *const *)entries, n))
			TH_LOG("'%s' is not an entry of the boot parameter", boot_param_good[i]);
	}
}

TEST_F(policy, boot_parameter_or_defaults_set_the_modes_in_force)
{
	const char *param = boot_param();

	ASSERT_STRNE("", param) TH_LOG("cannot read %s", mx_test_file(BOOT_PARAM_FILE));
	if (cmdline_has(param)) {
		/* Valid entries applied; bad ones left at their default. */
		EXPECT_STREQ("exclusive", self->saved.mode[FIRMWARE]);
		EXPECT_STREQ("shared", self->saved.mode[KERNEL_MODULE]);
		for (int r = KERNEL_MODULE + 1; r <= MX_READER_LAST; r++) {
			EXPECT_STREQ("shared", self->saved.mode[r]) {
				TH_LOG("%s", mx_reader(r));
			}
		}
	} else {
		ASSERT_FALSE(cmdline_has("modexcl.policy="))
			TH_LOG("booted with an unknown modexcl.policy");
		/* The test kernel sets CONFIG_MODEXCL_MODULE_HOLD_DEFAULT. */
		EXPECT_STREQ("hold", self->saved.mode[KERNEL_MODULE]);
		for (int r = MX_READER_FIRST; r <= MX_READER_LAST; r++)
			if (r != KERNEL_MODULE)
				EXPECT_STREQ("shared", self->saved.mode[r]);
	}
}

TEST_F(policy, boot_parameter_warns_about_each_bad_entry_and_no_good_one)
{
	const char *param = boot_param();

	ASSERT_STRNE("", param) TH_LOG("cannot read %s", mx_test_file(BOOT_PARAM_FILE));
	if (!cmdline_has(param))
		SKIP(return, "not booted with the modexcl.policy= of %s", BOOT_PARAM_FILE);
	/* The KUnit suites warn about entries of their own at boot too. */
	for (size_t i = 0; i < ARRAY_SIZE(boot_param_bad); i++) {
		EXPECT_LE(1, boot_warnings(boot_param_bad[i])) {
			TH_LOG("no warning for '%s'", boot_param_bad[i]);
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(boot_param_good); i++) {
		EXPECT_EQ(0, boot_warnings(boot_param_good[i])) {
			TH_LOG("a warning for '%s'", boot_param_good[i]);
		}
	}
}

TEST_F(policy, every_reader_takes_shared_and_exclusive)
{
	for (int r = MX_READER_FIRST; r <= MX_READER_LAST; r++) {
		ASSERT_EQ(0, mx_policy_set(mx_reader(r), "exclusive\n"));
		EXPECT_STREQ("exclusive", mx_policy_get(mx_reader(r)));
		ASSERT_EQ(0, mx_policy_set(mx_reader(r), "shared"));
		EXPECT_STREQ("shared", mx_policy_get(mx_reader(r)));
	}
}

TEST_F(policy, only_kernel_module_takes_hold)
{
	ASSERT_EQ(0, mx_policy_set("kernel-module", "hold"));
	EXPECT_STREQ("hold", mx_policy_get("kernel-module"));
	for (int r = MX_READER_FIRST; r <= MX_READER_LAST; r++) {
		if (r == KERNEL_MODULE)
			continue;
		ASSERT_EQ(0, mx_policy_set(mx_reader(r), "exclusive"));
		EXPECT_EQ(-EINVAL, mx_policy_set(mx_reader(r), "hold"));
		EXPECT_STREQ("exclusive", mx_policy_get(mx_reader(r)));
	}
}

TEST_F(policy, invalid_writes_are_refused_and_change_nothing)
{
	static const char *const bad[] = {
		"\n", "bogus", "SHARED", "shared\nhold", "shared extra",
		"sharedx", " shared", "exclusive\n\n", "\xff\x01shared",
	};
	char huge[8192];

	ASSERT_EQ(0, mx_policy_set("kernel-module", "exclusive"));
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, mx_write_file(MX_POLICY_DIR "/kernel-module",
						 bad[i], strlen(bad[i])))
			TH_LOG("write of \"%s\" was not refused", bad[i]);
		EXPECT_STREQ("exclusive", mx_policy_get("kernel-module"));
	}
	memset(huge, 'x', sizeof(huge));
	EXPECT_GT(0, mx_write_file(MX_POLICY_DIR "/kernel-module", huge, sizeof(huge)));
	EXPECT_STREQ("exclusive", mx_policy_get("kernel-module"));
}

/* Drop CAP_SYS_ADMIN from the effective set; uid 0 and the rest stay. */
static int drop_cap_sys_admin(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (syscall(__NR_capget, &hdr, data))
		return -errno;
	data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	return syscall(__NR_capset, &hdr, data) ? -errno : 0;
}

/*
 * In a child that gave up privilege with @drop: the policy still reads,
 * and a write fails with @want. Returns the child's exit status: 0, or
 * 10 (@drop failed), 11 (read refused), 12 (the write did not fail so).
 */
static int write_refused_to(int (*drop)(void), int want)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if (drop())
			_exit(10);
		if (mx_policy_get("kernel-module")[0] == '\0')
			_exit(11);
		_exit(mx_policy_set("kernel-module", "shared") == want ? 0 : 12);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -ECHILD;
	return WEXITSTATUS(status);
}

TEST_F(policy, files_are_root_writable_and_world_readable)
{
	struct stat st;

	for (int r = MX_READER_FIRST; r <= MX_READER_LAST; r++) {
		char path[128];

		snprintf(path, sizeof(path), MX_POLICY_DIR "/%s", mx_reader(r));
		ASSERT_EQ(0, stat(path, &st));
		EXPECT_EQ(0644, st.st_mode & 07777) TH_LOG("%s", path);
		EXPECT_EQ(0, st.st_uid);
	}
}

TEST_F(policy, an_unprivileged_user_reads_the_policy_but_cannot_write_it)
{
	EXPECT_EQ(0, write_refused_to(mx_drop_to_nobody, -EACCES))
		TH_LOG("10: setuid, 11: read refused, 12: write not -EACCES");
	EXPECT_STREQ(self->saved.mode[KERNEL_MODULE], mx_policy_get("kernel-module"));
}

/*
 * Setting a policy changes which checks a duplicate load runs: sysfs asks
 * for the capability netlink asks for (CAP_SYS_ADMIN), not file mode alone.
 */
TEST_F(policy, writes_need_cap_sys_admin_as_netlink_does)
{
	EXPECT_EQ(0, write_refused_to(drop_cap_sys_admin, -EPERM))
		TH_LOG("10: capset, 11: read refused, 12: write not -EPERM");
	EXPECT_STREQ(self->saved.mode[KERNEL_MODULE], mx_policy_get("kernel-module"));
}

/*
 * Beside every policy file, a read-only one says why the mode does not
 * apply now: nothing, in a test kernel with no IMA policy, whatever the
 * mode (the one-shot ima_policy test writes a rule and reads ima-policy).
 */
TEST_F(policy, every_reader_has_a_read_only_inactive_file_empty_while_its_mode_applies)
{
	static const char *const modes[] = { "shared", "exclusive", "hold" };
	struct stat st;

	for (int r = MX_READER_FIRST; r <= MX_READER_LAST; r++) {
		char path[128];

		snprintf(path, sizeof(path), MX_INACTIVE_DIR "/%s", mx_reader(r));
		ASSERT_EQ(0, stat(path, &st)) TH_LOG("%s", path);
		EXPECT_EQ(0444, st.st_mode & 07777) TH_LOG("%s", path);
		EXPECT_EQ(0, st.st_uid);
		EXPECT_EQ(-EACCES, mx_write_file(path, "\n", 1)) TH_LOG("%s", path);
		for (size_t m = 0; m < ARRAY_SIZE(modes); m++) {
			if (mx_policy_set(mx_reader(r), modes[m]))
				continue;	/* hold: kernel-module only */
			EXPECT_STREQ("", mx_inactive_get(mx_reader(r)))
				TH_LOG("%s %s", mx_reader(r), modes[m]);
		}
	}
}

TEST(no_policy_for_unknown_reader)
{
	struct stat st;

	EXPECT_EQ(-1, stat(MX_POLICY_DIR "/unknown", &st));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, stat(MX_INACTIVE_DIR "/unknown", &st));
	EXPECT_EQ(ENOENT, errno);
}

TEST_HARNESS_MAIN
