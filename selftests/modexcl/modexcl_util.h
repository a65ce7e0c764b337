/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the modexcl selftests: load and unload test modules,
 * read their state, read upstream's MODULE_STATS counters and set the
 * per-reader policy through sysfs. Every helper returns 0 or -errno.
 * Include it after defining _GNU_SOURCE.
 */
#ifndef MODEXCL_UTIL_H
#define MODEXCL_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define MX_POLICY_DIR "/sys/kernel/modexcl/policy"
#define MX_MODULE_STATS "/sys/kernel/debug/modules/stats"

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

/* The module's /sys/module/NAME/initstate, or "" when it is not loaded. */
static inline const char *mx_initstate(const char *name)
{
	static char state[32];
	char path[256];

	snprintf(path, sizeof(path), "/sys/module/%s/initstate", name);
	return mx_read_line(path, state, sizeof(state));
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
