/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the modexcl selftests: the readers' and modes' names,
 * load and unload test modules (and make records of empty files), read
 * their state, read upstream's MODULE_STATS counters, set, save and
 * restore the per-reader policy through sysfs, drop privilege, the
 * modexcl tracepoints, and the fuzzers' seeded random numbers. Helpers
 * that can fail return 0 or -errno. Include it after defining _GNU_SOURCE.
 */
#ifndef MODEXCL_UTIL_H
#define MODEXCL_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/modexcl.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define MX_POLICY_DIR "/sys/kernel/modexcl/policy"
#define MX_INACTIVE_DIR "/sys/kernel/modexcl/inactive"
#define MX_PARAMS "/sys/module/modexcl/parameters"
#define MX_MAX_RECORDS MX_PARAMS "/max_records"
#define MX_EXCLUSIVE_WAIT_MS MX_PARAMS "/exclusive_wait_ms"
#define MX_MODULE_STATS "/sys/kernel/debug/modules/stats"
#define MX_MODPROBE "/usr/sbin/modprobe"
#define MX_NOBODY 65534

static const char *const mx_readers[] = {
	[MODEXCL_READER_FIRMWARE] = "firmware",
	[MODEXCL_READER_KERNEL_MODULE] = "kernel-module",
	[MODEXCL_READER_KEXEC_IMAGE] = "kexec-image",
	[MODEXCL_READER_KEXEC_INITRAMFS] = "kexec-initramfs",
	[MODEXCL_READER_SECURITY_POLICY] = "security-policy",
	[MODEXCL_READER_X509_CERTIFICATE] = "x509-certificate",
};

#define MX_READER_FIRST MODEXCL_READER_FIRMWARE
#define MX_READER_LAST MODEXCL_READER_X509_CERTIFICATE

static inline const char *mx_reader(uint32_t reader)
{
	if (reader >= ARRAY_SIZE(mx_readers) ||
	    !mx_readers[reader])
		return "?";
	return mx_readers[reader];
}

static const char *const mx_modes[] = {
	[MODEXCL_MODE_SHARED] = "shared",
	[MODEXCL_MODE_EXCLUSIVE] = "exclusive",
	[MODEXCL_MODE_HOLD] = "hold",
};

/* The mode named @name (a policy file's text, without newline), or -1. */
static inline int mx_mode_index(const char *name)
{
	for (int m = 0; m < (int)ARRAY_SIZE(mx_modes); m++)
		if (!strcmp(name, mx_modes[m]))
			return m;
	return -1;
}

/* The test kernels' release ends in "-debug" for the debug build (KASAN, lockdep). */
static inline int mx_is_debug_kernel(void)
{
	struct utsname u;
	size_t len;

	uname(&u);
	len = strlen(u.release);
	return len > 6 && !strcmp(u.release + len - 6, "-debug");
}

/* The fuzzers' seed: MX_FUZZ_SEED, or a fixed one. */
static inline uint64_t mx_fuzz_seed(void)
{
	const char *env = getenv("MX_FUZZ_SEED");

	return env ? strtoull(env, NULL, 0) : 0x6d6f646578636cULL;
}

/* A deterministic xorshift sequence; seed it through mx_rnd_state. */
static uint64_t mx_rnd_state;

static inline uint32_t mx_rnd(void)
{
	mx_rnd_state ^= mx_rnd_state << 13;
	mx_rnd_state ^= mx_rnd_state >> 7;
	mx_rnd_state ^= mx_rnd_state << 17;
	return (uint32_t)(mx_rnd_state >> 11);
}

/* The path of @name among this program's TEST_FILES, installed next to it. */
static inline const char *mx_test_file(const char *name)
{
	static char path[1024];
	char exe[512], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return name;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	snprintf(path, sizeof(path), "%s/%s", exe, name);
	return path;
}

static inline uint64_t mx_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Where the guest installs the test modules (scripts/guest-init). */
static inline const char *mx_module_path(const char *name)
{
	static char path[256];
	struct utsname u;

	uname(&u);
	snprintf(path, sizeof(path), "/lib/modules/%s/extra/%s.ko", u.release, name);
	return path;
}

static inline int mx_finit_path(const char *path, const char *params, int flags)
{
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(__NR_finit_module, fd, params, flags) ? -errno : 0;
	close(fd);
	return ret;
}

static inline int mx_load(const char *name, const char *params)
{
	return mx_finit_path(mx_module_path(name), params, 0);
}

static inline int mx_unload(const char *name)
{
	return syscall(__NR_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

/* Create an empty file: finit_module() of it makes a record (failed). */
static inline int mx_make_empty(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* finit_module() of an empty file fails (-EINVAL) and leaves a record. */
static inline int mx_touch_record(const char *path)
{
	int ret = mx_make_empty(path);

	if (ret)
		return ret;
	ret = mx_finit_path(path, "", 0);
	return ret == -EINVAL ? 0 : (ret ? ret : -EPROTO);
}

/* Records of @dir/<tag>-<from> .. <to - 1>, by mx_touch_record(); 0 or -errno. */
static inline int mx_touch_records(const char *dir, const char *tag, int from, int to)
{
	char path[256];
	int ret;

	for (int i = from; i < to; i++) {
		snprintf(path, sizeof(path), "%s/%s-%d", dir, tag, i);
		ret = mx_touch_record(path);
		if (ret)
			return ret;
	}
	return 0;
}

/* The first line of a small file, without its newline; "" when unreadable. */
static inline const char *mx_read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return buf;
	if (!fgets(buf, len, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
	return buf;
}

/* The number a small file holds; -1 when it cannot be read. */
static inline long long mx_read_number(const char *path)
{
	char buf[64];

	return *mx_read_line(path, buf, sizeof(buf)) ? atoll(buf) : -1;
}

/* The module's /sys/module/NAME/initstate, or "" when it is not loaded. */
static inline const char *mx_initstate(const char *name)
{
	static char state[32];
	char path[256];

	snprintf(path, sizeof(path), "/sys/module/%s/initstate", name);
	return mx_read_line(path, state, sizeof(state));
}

/* Poll, every millisecond for @timeout_ms, until @name's initstate is @state. */
static inline int mx_wait_initstate(const char *name, const char *state, int timeout_ms)
{
	for (int i = 0; i < timeout_ms; i++) {
		if (!strcmp(mx_initstate(name), state))
			return 0;
		usleep(1000);
	}
	return strcmp(mx_initstate(name), state) ? -ETIMEDOUT : 0;
}

/* One counter of MODULE_STATS, by its label; -1 when it is not there. */
static inline long long mx_module_stat(const char *label)
{
	char line[256], *p;
	long long value = -1;
	size_t len = strlen(label);
	FILE *f = fopen(MX_MODULE_STATS, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		/* "%25s\t%lu": labels are right-aligned. */
		p = line + strspn(line, " ");
		if (!strncmp(p, label, len) && p[len] == '\t')
			value = strtoll(p + len, NULL, 10);
	}
	fclose(f);
	return value;
}

static inline long long mx_wasted_bytes(void)
{
	return mx_module_stat("Virtual mem wasted bytes");
}

static inline int mx_write_file(const char *path, const char *buf, size_t len)
{
	ssize_t n;
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	if (n < 0)
		n = -errno;
	close(fd);
	return n < 0 ? (int)n : 0;
}

static inline int mx_policy_set(const char *reader, const char *mode)
{
	char path[128];

	snprintf(path, sizeof(path), MX_POLICY_DIR "/%s", reader);
	return mx_write_file(path, mode, strlen(mode));
}

/* The reader's mode, without the newline; "" when it cannot be read. */
static inline const char *mx_policy_get(const char *reader)
{
	static char mode[32];
	char path[128];

	snprintf(path, sizeof(path), MX_POLICY_DIR "/%s", reader);
	return mx_read_line(path, mode, sizeof(mode));
}

/*
 * Why the reader's mode does not apply now, without the newline: "" while
 * it applies, NULL when the file cannot be read.
 */
static inline const char *mx_inactive_get(const char *reader)
{
	static char why[64];
	char path[128];

	snprintf(path, sizeof(path), MX_INACTIVE_DIR "/%s", reader);
	if (access(path, R_OK))
		return NULL;
	return mx_read_line(path, why, sizeof(why));
}

/* Every reader's mode, to put back after a test. */
struct mx_saved_policy {
	char mode[MX_READER_LAST + 1][32];
};

/* 0, or the first reader whose mode cannot be read. */
static inline int mx_policy_save(struct mx_saved_policy *saved)
{
	int bad = 0;

	for (int r = MX_READER_FIRST; r <= MX_READER_LAST; r++) {
		snprintf(saved->mode[r], sizeof(saved->mode[r]), "%s", mx_policy_get(mx_reader(r)));
		if (!saved->mode[r][0] && !bad)
			bad = r;
	}
	return bad;
}

static inline void mx_policy_restore(const struct mx_saved_policy *saved)
{
	for (int r = MX_READER_FIRST; r <= MX_READER_LAST; r++)
		mx_policy_set(mx_reader(r), saved->mode[r]);
}

/* Drop to user and group nobody, without supplementary groups or capabilities. */
static inline int mx_drop_to_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(MX_NOBODY, MX_NOBODY, MX_NOBODY) ||
	    setresuid(MX_NOBODY, MX_NOBODY, MX_NOBODY))
		return -errno;
	return 0;
}

/* Shrink a slab cache, as "echo 1 > /sys/kernel/slab/NAME/shrink". */
static inline int mx_slab_shrink(const char *cache)
{
	char path[320];

	snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink", cache);
	return mx_write_file(path, "1", 1);
}

#define MX_TRACING "/sys/kernel/tracing"

/* Enable the modexcl tracepoints and empty the trace buffer. */
static inline int mx_trace_start(void)
{
	int fd, ret = mx_write_file(MX_TRACING "/events/modexcl/enable", "1", 1);

	if (ret)
		return ret;
	fd = open(MX_TRACING "/trace", O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static inline int mx_trace_stop(void)
{
	return mx_write_file(MX_TRACING "/events/modexcl/enable", "0", 1);
}

/*
 * Sum the bytes of the modexcl_duplicate events of one kind ("read",
 * "serial", "concurrent", "exclusive-wait") and module ("" for any) in the
 * trace buffer; *count gets their number. -1 when the trace cannot be read.
 */
static inline long long mx_trace_dup_bytes(const char *kind, const char *module, int *count)
{
	char line[1024], want_kind[64], want_module[96];
	long long sum = 0;
	char *bytes;
	FILE *f = fopen(MX_TRACING "/trace", "r");

	*count = 0;
	if (!f)
		return -1;
	snprintf(want_kind, sizeof(want_kind), " kind=%s ", kind);
	snprintf(want_module, sizeof(want_module), " module=%s ", module);
	while (fgets(line, sizeof(line), f)) {
		if (!strstr(line, "modexcl_duplicate:") || !strstr(line, want_kind))
			continue;
		if (*module && !strstr(line, want_module))
			continue;
		bytes = strstr(line, " bytes=");
		if (!bytes)
			continue;
		sum += strtoll(bytes + 7, NULL, 10);
		(*count)++;
	}
	fclose(f);
	return sum;
}

/* Run a program and return its exit status (-1 when it did not exit). */
static inline int mx_run(const char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

#endif /* MODEXCL_UTIL_H */
