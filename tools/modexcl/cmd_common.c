// SPDX-License-Identifier: GPL-2.0
/*
 * What the commands share. Errors are one line on stderr: the cause, then
 * a way out; a message the kernel attached (extended ack) is passed on
 * verbatim.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "cmd.h"
#include "parse.h"

int mx_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("modexcl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_RUNTIME;
}

int mx_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "modexcl %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "; see 'modexcl %s --help'\n", cmd);
	return EXIT_USAGE;
}

void mx_error_text(char *buf, size_t len, const char *what, int err, const struct mx_nl *nl)
{
	const char *ext = nl && nl->ext_msg[0] ? nl->ext_msg : NULL;

	if (err == -EPERM || err == -EACCES)
		snprintf(buf, len, "%s: not permitted: needs CAP_SYS_ADMIN in the initial user "
			 "namespace (run as root outside a container)%s%s", what,
			 ext ? ": " : "", ext ? ext : "");
	else if (ext)
		snprintf(buf, len, "%s: %s (%s)", what, ext, strerror(-err));
	else if (err == -EOPNOTSUPP)
		snprintf(buf, len, "%s: %s: this kernel's modexcl family lacks the operation; "
			 "boot a kernel with the matching modexcl series", what, strerror(-err));
	else
		snprintf(buf, len, "%s: %s", what, strerror(-err));
}

int mx_fail_request(const char *what, int err, const struct mx_nl *nl)
{
	char msg[512];

	mx_error_text(msg, sizeof(msg), what, err, nl);
	return mx_fail("%s", msg);
}

int mx_connect(struct mx_nl *nl)
{
	int ret = mx_nl_open(nl);

	if (ret == -ENOENT)
		return mx_fail("this kernel has no modexcl family: boot a kernel built with "
			       "CONFIG_MODEXCL");
	if (ret)
		return mx_fail_request("cannot open a generic netlink socket", ret, NULL);
	return 0;
}

int mx_connect_monitor(struct mx_nl *nl)
{
	int ret = mx_connect(nl);

	if (ret)
		return ret;
	ret = mx_nl_monitor_join(nl);
	if (ret == -ENOENT) {
		mx_nl_close(nl);
		return mx_fail("this kernel's modexcl family has no monitor group: boot a kernel "
			       "with the matching modexcl series");
	}
	if (ret) {
		mx_nl_close(nl);
		return mx_fail_request("joining the monitor group", ret, NULL);
	}
	return 0;
}

static int add_policy(uint32_t reader, uint32_t mode, uint32_t inactive, void *data)
{
	mx_model_set_policy(data, reader, mode, inactive);
	return 0;
}

static int add_record(const struct mx_record *rec, void *data)
{
	return mx_model_dump_add(data, rec);
}

int mx_refresh(struct mx_nl *nl, struct mx_model *m, const char **what)
{
	int ret;

	*what = "policy-get";
	ret = mx_nl_policy_dump(nl, add_policy, m);
	if (ret)
		return ret;
	*what = "stats-get";
	mx_model_dump_begin(m);
	ret = mx_nl_stats_get(nl, add_record, m);
	/* A failed dump keeps the rows it had: merge only a complete one. */
	if (ret == 0)
		mx_model_dump_end(m);
	return ret;
}

int mx_getopt(int argc, char **argv, const struct mx_opts *o)
{
	static struct option longopts[16] = { { "help", no_argument, NULL, 'h' } };
	char shortopts[32];
	size_t n = 1;
	int c;

	for (const struct option *l = o->longopts; l && l->name && n + 1 < 16; l++)
		longopts[n++] = *l;
	longopts[n] = (struct option){ NULL, 0, NULL, 0 };
	snprintf(shortopts, sizeof(shortopts), ":h%s", o->shortopts);
	opterr = 0;
	c = getopt_long(argc, argv, shortopts, longopts, NULL);
	if (c == '?') {
		if (optopt)
			mx_usage_error(o->cmd, "unknown option '-%c'", optopt);
		else
			mx_usage_error(o->cmd, "unknown option '%s'", argv[optind - 1]);
		return '?';
	}
	if (c == ':') {
		if (optopt && optopt < MX_LONG_ONLY)
			mx_usage_error(o->cmd, "option '-%c' needs a value", optopt);
		else
			mx_usage_error(o->cmd, "option '%s' needs a value", argv[optind - 1]);
		return '?';
	}
	return c;
}

int mx_help(const struct mx_opts *o)
{
	fputs(o->usage, stdout);
	return EXIT_OK;
}

int mx_parse_sort(const char *cmd, const char *arg, struct mx_model *m, bool growth_ok)
{
	enum mx_key key;

	if (arg[0] == '+' && !growth_ok)
		return mx_usage_error(cmd, "-s '%s': %s has no interval to grow over; '+' sorts "
				      "top only", arg, cmd);
	if (mx_sort_parse(arg, &m->sort_key, &m->sort_by_growth) == 0)
		return 0;
	if (arg[0] == '+' && mx_key_parse(arg + 1, &key) == 0)
		return mx_usage_error(cmd, "-s '%s': %s is not a counter; '+' sorts by a "
				      "counter's growth", arg, arg + 1);
	fprintf(stderr, "modexcl %s: unknown sort key '%s': valid keys are %s\n", cmd, arg,
		mx_key_list());
	return EXIT_USAGE;
}

const struct option mx_filter_longopts[] = {
	MX_FILTER_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

int mx_filter_option(const char *cmd, int c, const char *arg, struct mx_filter *f)
{
	switch (c) {
	case 'm':
		if (mx_filter_set_module(f, arg))
			return mx_usage_error(cmd, "-m needs a glob of at most %d characters",
					      MX_GLOB_MAX - 1);
		return 0;
	case 'r':
		if (mx_reader_parse(arg, &f->reader))
			return mx_usage_error(cmd, "unknown reader '%s': valid readers are %s", arg,
					      mx_reader_list());
		return 0;
	case 'p':
		if (mx_parse_pid(arg, &f->pid))
			return mx_usage_error(cmd, "-p needs a process ID from 1 to %d, not '%s'",
					      MX_PID_MAX, arg);
		return 0;
	case 'c':
		if (mx_filter_set_comm(f, arg))
			return mx_usage_error(cmd, "-c needs a glob of at most %d characters",
					      MX_GLOB_MAX - 1);
		return 0;
	default:
		return 1;
	}
}

int mx_signals_open(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGWINCH);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

int mx_signals_read(int fd)
{
	struct signalfd_siginfo si;

	if (read(fd, &si, sizeof(si)) != sizeof(si))
		return 0;
	return si.ssi_signo;
}
