/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The body shared by the one-shot tests: each raises a setting that can
 * only be raised once per boot (signature enforcement, lockdown, an IMA
 * policy), so each program runs in a VM boot of its own (collection
 * modexcl/oneshot, suite vm-oneshot in scripts/check.sh).
 *
 * Under `hold`, an unsigned test module is loaded and a serial duplicate is
 * refused without reading the file (a claim exists). Then the setting is
 * raised: stock's module_sig_check() now refuses the unsigned file, so the
 * claim must be voided and the next duplicate must read the file and get
 * stock's answer, not -EEXIST. The same for a second unsigned module loaded
 * with init_module() from a buffer, whose claim is its image's digest.
 * The tool says a claim covers each module's record until the setting is
 * raised, and none from then on.
 */
#ifndef MODEXCL_CLAIM_VOID_H
#define MODEXCL_CLAIM_VOID_H

#include <sys/mount.h>
#include <sys/stat.h>

#include "../../kselftest_harness.h"
#include "../modexcl_util.h"

#define CLAIM_VOID_MODULE "modexcl_test_plain"
#define CLAIM_VOID_IMAGE_MODULE "modexcl_test_slow"
#define SIG_MARKER "~Module signature appended~\n"
#define SIG_ENFORCE "/sys/module/module/parameters/sig_enforce"
#define SECURITYFS "/sys/kernel/security"

/* securityfs is mounted where @path is, or mounts now; 0 or -errno. */
static inline int securityfs_mounted_for(const char *path)
{
	if (!access(path, F_OK))
		return 0;
	return mount("securityfs", SECURITYFS, "securityfs", 0, NULL) ? -errno : 0;
}

/*
 * What `modexcl policy kernel-module` says, through the netlink family:
 * 1 when it names the mode and that ima-policy keeps it from applying, 0
 * when it names the mode alone, -1 otherwise.
 */
static inline int tool_says_inactive(void)
{
	char line[256] = "";
	FILE *p = popen("modexcl policy kernel-module", "r");

	if (!p)
		return -1;
	if (!fgets(line, sizeof(line), p))
		line[0] = '\0';
	if (pclose(p) || strncmp(line, "kernel-module", 13) || !strstr(line, " hold"))
		return -1;
	return strstr(line, "inactive: ima-policy") ? 1 : 0;
}

/*
 * What `modexcl stats` says of the claim on module @name's record: 1 held,
 * 0 none, -1 anything else (no record, no tool, no claim attribute).
 */
static inline int tool_says_claim_held(const char *name)
{
	char cmd[256], out[8192];
	size_t n;
	FILE *p;

	snprintf(cmd, sizeof(cmd),
		 "modexcl stats -j -r kernel-module -m %s 2>/dev/null", name);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	if (pclose(p))
		return -1;
	if (strstr(out, "\"claim\":\"held\"") || strstr(out, "\"claim\": \"held\""))
		return 1;
	if (strstr(out, "\"claim\":\"none\"") || strstr(out, "\"claim\": \"none\""))
		return 0;
	return -1;
}

/*
 * Load the module under hold and show that the claim holds: a duplicate is
 * refused before the file is read, and the tool says a claim covers the
 * module's record. Returns MODULE_STATS' wasted bytes.
 */
static inline long long claim_hold_check(struct __test_metadata *_metadata)
{
	long long wasted;

	ASSERT_EQ(0, mx_policy_set("kernel-module", "hold"));
	mx_unload(CLAIM_VOID_MODULE);
	ASSERT_EQ(0, mx_load(CLAIM_VOID_MODULE, ""));

	wasted = mx_wasted_bytes();
	ASSERT_LE(0, wasted);
	ASSERT_EQ(-EEXIST, mx_load(CLAIM_VOID_MODULE, ""));
	ASSERT_EQ(wasted, mx_wasted_bytes());
	ASSERT_EQ(1, tool_says_claim_held(CLAIM_VOID_MODULE));
	return wasted;
}

/* The whole file at @path, unsigned, in a malloc()ed buffer; or NULL. */
static inline char *claim_void_image(const char *path, size_t *len)
{
	size_t marker = strlen(SIG_MARKER);
	struct stat st;
	char *buf = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) || st.st_size < (off_t)marker)
		goto out;
	buf = malloc(st.st_size);
	if (buf && read(fd, buf, st.st_size) == st.st_size &&
	    memcmp(buf + st.st_size - marker, SIG_MARKER, marker)) {
		*len = st.st_size;
		goto out;
	}
	free(buf);
	buf = NULL;
out:
	if (fd >= 0)
		close(fd);
	return buf;
}

static inline int claim_void_init_module(const char *buf, size_t len)
{
	return syscall(__NR_init_module, buf, len, "") ? -errno : 0;
}

/* @raise makes the change; @stock_errno is what stock answers afterwards. */
static inline void claim_void_check(struct __test_metadata *_metadata,
				    int (*raise)(void), int stock_errno)
{
	long long wasted;
	size_t len = 0;
	char *image;

	claim_hold_check(_metadata);
	image = claim_void_image(mx_module_path(CLAIM_VOID_IMAGE_MODULE), &len);
	ASSERT_NE(NULL, image) TH_LOG("%s is not there, or is signed",
				      CLAIM_VOID_IMAGE_MODULE);
	mx_unload(CLAIM_VOID_IMAGE_MODULE);
	ASSERT_EQ(0, claim_void_init_module(image, len));
	wasted = mx_wasted_bytes();
	ASSERT_EQ(-EEXIST, claim_void_init_module(image, len));
	ASSERT_EQ(wasted, mx_wasted_bytes());
	ASSERT_EQ(1, tool_says_claim_held(CLAIM_VOID_IMAGE_MODULE));

	ASSERT_EQ(0, raise());

	/* Asked now, not remembered: no claim covers the records any more. */
	EXPECT_EQ(0, tool_says_claim_held(CLAIM_VOID_MODULE));
	EXPECT_EQ(0, tool_says_claim_held(CLAIM_VOID_IMAGE_MODULE));
	/* Voided: the duplicate reads the file and gets stock's answer. */
	EXPECT_EQ(-stock_errno, mx_load(CLAIM_VOID_MODULE, ""));
	EXPECT_EQ(-stock_errno, mx_load(CLAIM_VOID_MODULE, ""));
	/* And the image's: copied, checked, refused as stock refuses it. */
	EXPECT_EQ(-stock_errno, claim_void_init_module(image, len));
	EXPECT_EQ(-stock_errno, claim_void_init_module(image, len));
	/* The modules themselves are untouched. */
	EXPECT_STREQ("live", mx_initstate(CLAIM_VOID_MODULE));
	EXPECT_STREQ("live", mx_initstate(CLAIM_VOID_IMAGE_MODULE));
	free(image);
}

#endif /* MODEXCL_CLAIM_VOID_H */
