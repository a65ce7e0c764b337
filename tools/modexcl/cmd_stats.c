// SPDX-License-Identifier: GPL-2.0
/*
 * modexcl stats: one table, one JSON array, or one Prometheus exposition
 * (on stdout, or replacing a file for node_exporter) of the kernel's records.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "cmd.h"
#include "textfile.h"
#include "view_json.h"
#include "view_prometheus.h"
#include "view_table.h"

enum { OPT_PROMETHEUS = MX_LONG_ONLY, OPT_TEXTFILE };

static const struct option stats_longopts[] = {
	{ "prometheus", no_argument, NULL, OPT_PROMETHEUS },
	{ "textfile", required_argument, NULL, OPT_TEXTFILE },
	MX_FILTER_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

static const struct mx_opts opts = {
	.cmd = "stats",
	.shortopts = "js:" MX_FILTER_SHORTOPTS,
	.longopts = stats_longopts,
	.usage =
	"usage: modexcl stats [-j | --prometheus | --textfile DIR] [-s KEY]\n"
	"                     [-m GLOB] [-r READER] [-p PID] [-c GLOB]\n"
	"\n"
	"One line per file the kernel tracks: duplicate reads and loads, the bytes\n"
	"they wasted or that modexcl avoided, the loads waiting now, whether a hold\n"
	"claim covers the file (held, none), who holds it, who made its latest\n"
	"duplicate (command[pid], cgroup) and when; then totals.\n"
	"\n"
	"  -j       a JSON array; keys are the record attribute names, numbers exact\n"
	"  -s KEY   sort by KEY (default dup-bytes); numbers descend, text ascends:\n"
	"           reader, module, path, ino, dev, loads, dup-concurrent, dup-serial,\n"
	"           dup-read, bytes-wasted, bytes-avoided, wait-ns, last-seen, failed,\n"
	"           holder-pid, holder-comm, waiting, format-refused, source, claim;\n"
	"           dups (all duplicates), dup-bytes (bytes-wasted + bytes-avoided:\n"
	"           what the duplicates read or would have read, whatever the policy)\n"
	"  --prometheus  Prometheus' text format (node_exporter's textfile collector):\n"
	"           counters, waiting loads and held claims summed per reader and\n"
	"           module, each reader's policy;\n"
	"           sorted by labels, so -s has no effect\n"
	"  --textfile DIR  write it to DIR/" MX_TEXTFILE_NAME " instead, atomically (implies\n"
	"           --prometheus); nothing on stdout\n"
	MX_FILTER_USAGE
	"\n"
	"Filters only leave records out; the totals count the records shown.\n",
};

static int add_record(const struct mx_record *rec, void *data)
{
	return mx_model_dump_add(data, rec);
}

static int print_exposition(FILE *out, void *data)
{
	return mx_view_prometheus(out, data);
}

/* The exposition to stdout, or to @textfile_dir's file. */
static int output_prometheus(struct mx_model *m, const char *textfile_dir)
{
	char err[512];
	int ret;

	if (textfile_dir) {
		ret = mx_textfile_write(textfile_dir, MX_TEXTFILE_NAME, print_exposition,
					m, err, sizeof(err));
		return ret ? mx_fail("--textfile: %s", err) : EXIT_OK;
	}
	if (mx_view_prometheus(stdout, m))
		return mx_fail("out of memory");
	/* A write error is reported at exit (main.c). */
	return mx_output_flush(stdout);
}

int cmd_stats(int argc, char **argv)
{
	struct mx_filter filter = { 0 };
	struct mx_model m;
	const char *textfile_dir = NULL, *what = "stats-get";
	bool json = false, prometheus = false;
	struct mx_nl nl;
	char err[512];
	int c, ret;

	mx_model_init(&m);
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
			json = true;
			break;
		case OPT_PROMETHEUS:
			prometheus = true;
			break;
		case OPT_TEXTFILE:
			textfile_dir = optarg;
			prometheus = true;
			break;
		case 's':
			if (mx_parse_sort(opts.cmd, optarg, &m, false))
				return EXIT_USAGE;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return mx_usage_error(opts.cmd, "unexpected argument '%s'", argv[optind]);
	if (json && prometheus)
		return mx_usage_error(opts.cmd, "-j and --prometheus%s are two formats: choose one",
				      textfile_dir ? " (--textfile)" : "");
	/* Before asking the kernel: a wrong directory is the likelier mistake. */
	if (textfile_dir && mx_textfile_check_dir(textfile_dir, err, sizeof(err)))
		return mx_fail("--textfile: %s", err);

	mx_model_set_filter(&m, &filter);
	ret = mx_connect(&nl);
	if (ret)
		return ret;
	if (prometheus) {
		/* The policy too, for its gauge. */
		ret = mx_refresh(&nl, &m, &what);
	} else {
		mx_model_dump_begin(&m);
		ret = mx_nl_stats_get(&nl, add_record, &m);
		if (!ret)
			mx_model_dump_end(&m);
	}
	if (ret) {
		ret = mx_fail_request(what, ret, &nl);
		goto out;
	}
	if (prometheus) {
		ret = output_prometheus(&m, textfile_dir);
	} else if (json) {
		ret = mx_json_print(stdout, mx_json_records(&m), isatty(STDOUT_FILENO));
		if (ret == -ENOMEM)
			ret = mx_fail("out of memory");
		else if (ret)
			ret = mx_output_failed(-ret);
	} else {
		mx_view_table(stdout, &m);
		ret = mx_output_flush(stdout);
	}
out:
	mx_nl_close(&nl);
	mx_model_free(&m);
	return ret;
}
