// SPDX-License-Identifier: GPL-2.0
/*
 * modexcl monitor: one line (or JSON object) per notification of the
 * monitor group, as it arrives. A gap in the sequence numbers or a socket
 * overflow (ENOBUFS) is reported, then a dump resynchronises the state.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "view_events.h"
#include "view_json.h"

static const struct mx_opts opts = {
	.cmd = "monitor",
	.shortopts = "j" MX_FILTER_SHORTOPTS,
	.longopts = mx_filter_longopts,
	.usage =
	"usage: modexcl monitor [-j] [-m GLOB] [-r READER] [-p PID] [-c GLOB]\n"
	"\n"
	"One line per event of the monitor group, stamped with the kernel's date and\n"
	"time of it: dup-ntf (a duplicate read or load: concurrent, serial, read,\n"
	"exclusive-wait, and its caller: command[pid], parent, uid and cgroup),\n"
	"policy-ntf (a reader's mode changed, and by whom) and stats-reset-ntf (the\n"
	"counters were reset, and by whom). Each carries a sequence number; when\n"
	"events were lost, a 'missed' line says how many and a 'resync' line gives\n"
	"the state a fresh dump found. Ctrl-C ends it.\n"
	"\n"
	"  -j       one JSON object per line\n"
	MX_FILTER_USAGE
	"\n"
	"With a filter, dup-ntf events show when their module, reader and caller\n"
	"match (the caller's command as the kernel names it, or as /proc has it\n"
	"when the event arrives from a kernel that does not), policy-ntf events when\n"
	"their reader does, stats-reset-ntf events always; resync lines count the\n"
	"records the filter passes.\n",
};

struct monitor {
	struct mx_model model;
	struct mx_nl req;
	bool json;
	int error;
};

static void print_missed(struct monitor *mon, uint64_t count, const char *reason)
{
	int64_t now = mx_now_real();

	if (mon->json)
		mx_json_print(stdout, mx_json_missed(count, reason, now), false);
	else
		mx_text_missed(stdout, count, reason, now);
}

/* A fresh dump, printed as one resync line (or object). */
static int resync(struct monitor *mon)
{
	struct mx_model *m = &mon->model;
	int64_t now = mx_now_real();
	const char *what;
	int ret = mx_refresh(&mon->req, m, &what);

	if (ret)
		return mx_fail_request(what, ret, &mon->req);
	if (mon->json) {
		ret = mx_json_print(stdout, mx_json_resync(m, now), false);
		if (ret == -ENOMEM)
			return mx_fail("out of memory");
		return ret ? mx_output_failed(-ret) : 0;
	}
	mx_text_resync(stdout, m, now);
	return 0;
}

/* The command of @pid (initial PID namespace) into @buf, or NULL once it is gone. */
static const char *comm_of(uint32_t pid, char *buf, size_t len)
{
	char path[32];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%" PRIu32 "/comm", pid);
	f = fopen(path, "re");
	if (!f)
		return NULL;
	if (!fgets(buf, len, f)) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static bool event_shown(const struct monitor *mon, const struct mx_event *ev)
{
	const struct mx_filter *f = &mon->model.filter;
	char buf[MX_COMM_MAX + 1];
	const char *comm = NULL;

	/* An older kernel names no caller: /proc does, while the task lives. */
	if (f->comm[0] && ev->type == MX_EVENT_DUP && ev->dup.pid &&
	    !(ev->dup.caller.has & MX_TASK_HAS(COMM)))
		comm = comm_of(ev->dup.pid, buf, sizeof(buf));
	return mx_filter_event(f, ev, comm);
}

static int on_event(const struct mx_event *ev, void *data)
{
	struct monitor *mon = data;
	int64_t when = mx_event_realtime(ev, mx_now_real());
	uint64_t missed = mx_model_apply(&mon->model, ev);

	/* The lost ones came before this one: say so first. */
	if (missed)
		print_missed(mon, missed, "gap");
	if (event_shown(mon, ev)) {
		if (mon->json)
			mx_json_print(stdout, mx_json_event(ev, when), false);
		else
			mx_text_event(stdout, ev, when);
	}
	if (missed)
		mon->error = resync(mon);
	/* Output that cannot be written ends the monitor (reported at exit). */
	if (!mon->error && ferror(stdout))
		mon->error = mx_output_failed(errno);
	return 0;
}

int cmd_monitor(int argc, char **argv)
{
	struct mx_filter filter = { 0 };
	struct monitor mon = { 0 };
	struct mx_nl nl;
	struct pollfd pfd[2];
	int c, ret, sigfd;

	while ((c = mx_getopt(argc, argv, &opts)) != -1) {
		ret = mx_filter_option(opts.cmd, c, optarg, &filter);
		if (ret == 0)
			continue;
		if (ret == EXIT_USAGE)
			return ret;
		switch (c) {
		case 'h':
			return mx_help(&opts);
		case 'j':
			mon.json = true;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return mx_usage_error(opts.cmd, "unexpected argument '%s'", argv[optind]);

	sigfd = mx_signals_open();
	if (sigfd < 0)
		return mx_fail("cannot set up signal handling: %s", strerror(errno));
	ret = mx_connect_monitor(&nl);
	if (ret)
		goto out_sig;
	ret = mx_connect(&mon.req);
	if (ret)
		goto out_nl;
	mx_model_init(&mon.model);
	mx_model_set_filter(&mon.model, &filter);
	setvbuf(stdout, NULL, _IOLBF, 0);

	pfd[0] = (struct pollfd){ .fd = mx_nl_fd(&nl), .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = sigfd, .events = POLLIN };
	while (!ret) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			ret = mx_fail("poll: %s", strerror(errno));
			break;
		}
		if (pfd[1].revents) {
			int sig = mx_signals_read(sigfd);

			if (sig && sig != SIGWINCH)
				break;
		}
		if (!pfd[0].revents)
			continue;
		ret = mx_nl_monitor_read(&nl, on_event, &mon);
		if (ret == -ENOBUFS) {
			mx_model_lost(&mon.model);
			print_missed(&mon, 0, "overflow");
			ret = resync(&mon);
		} else if (ret) {
			ret = mx_fail_request("reading the monitor group", ret, &nl);
		}
		if (!ret)
			ret = mon.error;
	}
	mx_model_free(&mon.model);
	mx_nl_close(&mon.req);
out_nl:
	mx_nl_close(&nl);
out_sig:
	close(sigfd);
	return ret;
}
