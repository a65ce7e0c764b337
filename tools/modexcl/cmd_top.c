// SPDX-License-Identifier: GPL-2.0
/*
 * modexcl top: the live view. Events of the monitor group move the rows
 * as they happen; every SECS a dump resynchronises the records and closes
 * an interval (deltas, rates). Batch mode (-b, or no terminal) prints a
 * plain snapshot every SECS, N times, from dumps alone.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "parse.h"
#include "view_batch.h"
#include "view_top.h"

static const struct mx_opts opts = {
	.cmd = "top",
	.shortopts = "bjn:d:s:" MX_FILTER_SHORTOPTS,
	.longopts = mx_filter_longopts,
	.usage =
	"usage: modexcl top [-b [-j]] [-n N] [-d SECS] [-s KEY] [-m GLOB] [-r READER]\n"
	"                   [-p PID] [-c GLOB]\n"
	"\n"
	"A live view of the records: totals and rates (duplicates/s, bytes avoided/s),\n"
	"the policy of each reader, and one row per file with its growth over the\n"
	"last interval, the loads waiting for its holder now, whether a hold claim\n"
	"covers it, the holder's PID and command, and the caller of its latest\n"
	"duplicate.\n"
	"\n"
	"  -b       batch mode: plain snapshots on stdout (also when stdin or stdout\n"
	"           is not a terminal)\n"
	"  -j       batch frames as JSON Lines: each one line, the array 'stats -j'\n"
	"           prints (implies -b)\n"
	"  -n N     stop after N updates (default: until q or Ctrl-C)\n"
	"  -d SECS  interval between dumps (default 2, at least 0.1; '.' is the decimal\n"
	"           point whatever the locale)\n"
	"  -s KEY   sort by KEY (default dup-bytes); see 'modexcl stats --help'. +KEY\n"
	"           (+dups, +bytes-avoided, ...) sorts by a counter's growth over the\n"
	"           last interval, then by its value\n"
	MX_FILTER_USAGE
	"\n"
	"keys: q quit, s or > next sort key, < previous, r reverse, + by growth or not,\n"
	"      Up/Down select, p cycle the policy of the selected record's reader (asks\n"
	"      y/n), / or f filter by module (a glob; empty clears it), d change the\n"
	"      interval (seconds, as -d takes them), space refresh, ? help\n",
};

#define DRAW_MIN_NS 100000000ULL	/* events redraw at most 10 times a second */

struct top {
	struct mx_model model;
	struct mx_nl req, mon;
	struct mx_top_state view;
	bool batch, json, resync, dirty;
	bool reschedule;		/* the interval changed: the next dump is one from now */
	unsigned long max_updates, updates;
	uint64_t interval_ns;
	int sigfd;
};

/* Dump and merge; a negative errno with *what naming the failed request. */
static int refresh_quiet(struct top *t, bool tick, const char **what)
{
	int ret = mx_refresh(&t->req, &t->model, what);

	if (ret)
		return ret;
	if (tick)
		mx_model_tick(&t->model, mx_now_mono());
	t->resync = false;
	t->dirty = true;
	return 0;
}

static int refresh(struct top *t, bool tick)
{
	const char *what;
	int ret = refresh_quiet(t, tick, &what);

	return ret ? mx_fail_request(what, ret, &t->req) : 0;
}

static int parse_args(struct top *t, int argc, char **argv)
{
	struct mx_filter filter = { 0 };
	char *end;
	double secs;
	int c;

	while ((c = mx_getopt(argc, argv, &opts)) != -1) {
		int ret = mx_filter_option(opts.cmd, c, optarg, &filter);

		if (ret == 0)
			continue;
		if (ret == EXIT_USAGE)
			return ret;
		switch (c) {
		case 'h':
			mx_help(&opts);
			return -1;
		case 'b':
			t->batch = true;
			break;
		case 'j':
			t->json = true;
			t->batch = true;
			break;
		case 'n':
			errno = 0;
			t->max_updates = strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg || t->max_updates == 0 || optarg[0] == '-')
				return mx_usage_error(opts.cmd, "-n needs a count of 1 or more, not '%s'",
						      optarg);
			break;
		case 'd':
			if (mx_parse_seconds(optarg, MX_TOP_INTERVAL_MIN, MX_TOP_INTERVAL_MAX,
					     &secs))
				return mx_usage_error(opts.cmd, "-d needs seconds from 0.1 to 86400, "
						      "not '%s'", optarg);
			t->interval_ns = secs * 1e9;
			break;
		case 's':
			if (mx_parse_sort(opts.cmd, optarg, &t->model, true))
				return EXIT_USAGE;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return mx_usage_error(opts.cmd, "unexpected argument '%s'", argv[optind]);
	mx_model_set_filter(&t->model, &filter);
	return 0;
}

/* Wait @ns, or until a signal ends us: 1 when it did. */
static int batch_wait(struct top *t, uint64_t ns)
{
	uint64_t until = mx_now_mono() + ns, now;
	struct pollfd pfd = { .fd = t->sigfd, .events = POLLIN };

	while ((now = mx_now_mono()) < until) {
		if (poll(&pfd, 1, (until - now + 999999) / 1000000) > 0) {
			int sig = mx_signals_read(t->sigfd);

			if (sig && sig != SIGWINCH)
				return 1;
		}
	}
	return 0;
}

/* Each snapshot as it is taken; a write error is reported at exit. */
static int print_snapshot(struct top *t)
{
	int ret;

	if (!t->json) {
		mx_view_batch(stdout, &t->model, mx_now_real());
		return mx_output_flush(stdout);
	}
	ret = mx_view_batch_json(stdout, &t->model);
	if (ret == -ENOMEM)
		return mx_fail("out of memory");
	return ret ? mx_output_failed(-ret) : 0;
}

static int run_batch(struct top *t)
{
	int ret;

	for (t->updates = 0; !t->max_updates || t->updates < t->max_updates; t->updates++) {
		if (t->updates && batch_wait(t, t->interval_ns))
			break;
		ret = refresh(t, true);
		if (ret)
			return ret;
		ret = print_snapshot(t);
		if (ret)
			return ret;
	}
	return 0;
}

static int on_event(const struct mx_event *ev, void *data)
{
	struct top *t = data;

	if (mx_model_apply(&t->model, ev))
		t->resync = true;
	t->dirty = true;
	return 0;
}

static void set_policy(struct top *t)
{
	uint32_t reader = t->view.confirm_reader, mode = t->view.confirm_mode, inactive = 0;
	uint32_t old = t->model.policy[reader];
	char what[64], why[MX_INACTIVE_LEN];
	int ret;

	ret = mx_nl_policy_set(&t->req, reader, &mode, &inactive);
	if (ret) {
		snprintf(what, sizeof(what), "policy-set %s", mx_reader_name(reader));
		mx_error_text(t->view.status, sizeof(t->view.status), what, ret, &t->req);
		return;
	}
	mx_model_set_policy(&t->model, reader, mode, inactive);
	snprintf(t->view.status, sizeof(t->view.status), "policy of %s: %s -> %s%s%s%s",
		 mx_reader_name(reader), mx_mode_name(old), mx_mode_name(mode),
		 inactive ? " (inactive: " : "", mx_inactive_format(why, sizeof(why), inactive),
		 inactive ? "; reads run as shared)" : "");
}

/* Keys waiting on stdin: 1 to quit. */
static int read_keys(struct top *t)
{
	int key;

	while ((key = mx_top_view_key()) != -1) {
		switch (mx_top_handle_key(&t->view, &t->model, key)) {
		case MX_TOP_QUIT:
			return 1;
		case MX_TOP_SET_POLICY:
			set_policy(t);
			break;
		case MX_TOP_REFRESH:
			t->resync = true;
			break;
		case MX_TOP_SET_INTERVAL:
			t->interval_ns = t->view.interval_s * 1e9;
			t->reschedule = true;
			break;
		case MX_TOP_NONE:
			continue;
		default:
			break;
		}
		t->dirty = true;
	}
	return 0;
}

static int run_live(struct top *t)
{
	uint64_t next_tick, last_draw = 0, now;
	const char *what = NULL;
	struct pollfd pfd[3];
	int ret = 0, timeout;

	t->view.interval_s = t->interval_ns / 1e9;
	if (mx_top_view_open(&t->view))
		return mx_fail("cannot start the terminal view (TERM=%s): use top -b",
			       getenv("TERM") ? getenv("TERM") : "");
	mx_top_view_draw(&t->view, &t->model, mx_now_real());
	last_draw = mx_now_mono();
	t->dirty = false;
	t->updates = 1;
	next_tick = last_draw + t->interval_ns;

	pfd[0] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = mx_nl_fd(&t->mon), .events = POLLIN };
	pfd[2] = (struct pollfd){ .fd = t->sigfd, .events = POLLIN };
	for (;;) {
		if (t->max_updates && t->updates >= t->max_updates)
			break;
		now = mx_now_mono();
		timeout = now >= next_tick ? 0 : (next_tick - now + 999999) / 1000000;
		if (t->dirty) {
			uint64_t due = last_draw + DRAW_MIN_NS;
			int draw_in = now >= due ? 0 : (due - now + 999999) / 1000000;

			if (draw_in < timeout)
				timeout = draw_in;
		}
		if (poll(pfd, 3, timeout) < 0 && errno != EINTR) {
			ret = -errno;
			what = "poll";
			break;
		}
		if (pfd[2].revents) {
			int sig = mx_signals_read(t->sigfd);

			if (sig == SIGWINCH) {
				mx_top_view_resize();
				t->dirty = true;
			} else if (sig) {
				break;
			}
		}
		if (pfd[0].revents & (POLLHUP | POLLERR))
			break;
		if (pfd[0].revents && read_keys(t))
			break;
		if (t->reschedule) {
			next_tick = mx_now_mono() + t->interval_ns;
			t->reschedule = false;
		}
		if (pfd[1].revents) {
			int err = mx_nl_monitor_read(&t->mon, on_event, t);

			if (err == -ENOBUFS)
				mx_model_lost(&t->model);
			if (err)
				t->resync = true;
		}
		now = mx_now_mono();
		if (now >= next_tick || t->resync) {
			bool tick = now >= next_tick;

			ret = refresh_quiet(t, tick, &what);
			if (ret)
				break;
			if (tick) {
				t->updates++;
				/* Late by more than an interval: start over from now. */
				next_tick += t->interval_ns;
				if (next_tick <= now)
					next_tick = now + t->interval_ns;
			}
		}
		if (t->dirty && mx_now_mono() >= last_draw + DRAW_MIN_NS) {
			mx_model_sort_if_stale(&t->model);
			mx_top_view_draw(&t->view, &t->model, mx_now_real());
			last_draw = mx_now_mono();
			t->dirty = false;
		}
	}
	/* Messages only once the terminal is back to normal. */
	mx_top_view_close();
	if (ret < 0)
		ret = mx_fail_request(what, ret, &t->req);
	return ret;
}

int cmd_top(int argc, char **argv)
{
	struct top t = { .interval_ns = 2000000000ULL, .sigfd = -1 };
	int ret, cols, lines;

	mx_model_init(&t.model);
	ret = parse_args(&t, argc, argv);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		t.batch = true;
	if (!t.batch) {
		mx_top_term_size(&cols, &lines);
		if (cols < MX_TOP_MIN_COLS || lines < MX_TOP_MIN_LINES)
			return mx_fail("the terminal is %dx%d, top needs at least %dx%d: enlarge it "
				       "or use top -b", cols, lines, MX_TOP_MIN_COLS,
				       MX_TOP_MIN_LINES);
	}
	t.sigfd = mx_signals_open();
	if (t.sigfd < 0)
		return mx_fail("cannot set up signal handling: %s", strerror(errno));
	ret = mx_connect(&t.req);
	if (ret)
		goto out_sig;
	if (t.batch) {
		ret = run_batch(&t);
		goto out_req;
	}
	ret = mx_connect_monitor(&t.mon);
	if (ret)
		goto out_req;
	ret = refresh(&t, true);
	if (!ret)
		ret = run_live(&t);
	mx_nl_close(&t.mon);
out_req:
	mx_nl_close(&t.req);
out_sig:
	close(t.sigfd);
	mx_model_free(&t.model);
	return ret;
}
