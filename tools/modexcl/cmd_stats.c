// SPDX-License-Identifier: GPL-2.0
/* modexcl stats: one table, or one JSON array, of the kernel's records. */
#include <stdio.h>
#include <unistd.h>

#include "cmd.h"
#include "view_json.h"
#include "view_table.h"

static const struct mx_opts opts = {
	.cmd = "stats",
	.shortopts = "js:" MX_FILTER_SHORTOPTS,
	.longopts = mx_filter_longopts,
	.usage =
	"usage: modexcl stats [-j] [-s KEY] [-m GLOB] [-r READER] [-p PID] [-c GLOB]\n"
	"\n"
	"One line per file the kernel tracks: duplicate reads and loads, the bytes\n"
	"they wasted or that modexcl avoided, and who holds the file; then totals.\n"
	"\n"
	"  -j       a JSON array; keys are the record attribute names, numbers exact\n"
	"  -s KEY   sort by KEY (default dup-bytes); numbers descend, text ascends:\n"
	"           reader, module, path, ino, dev, loads, dup-concurrent, dup-serial,\n"
	"           dup-read, bytes-wasted, bytes-avoided, wait-ns, last-seen, failed,\n"
	"           holder-pid, holder-comm; dups (all duplicates), dup-bytes\n"
	"           (bytes-wasted + bytes-avoided: what the duplicates read or would\n"
	"           have read, whatever the policy)\n"
	MX_FILTER_USAGE
	"\n"
	"Filters only leave records out; the totals count the records shown.\n",
};

static int add_record(const struct mx_record *rec, void *data)
{
	return mx_model_dump_add(data, rec);
}

int cmd_stats(int argc, char **argv)
{
	struct mx_filter filter = { 0 };
	struct mx_model m;
	struct mx_nl nl;
	bool json = false;
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
		case 's':
			if (mx_parse_key(opts.cmd, optarg, &m.sort_key))
				return EXIT_USAGE;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return mx_usage_error(opts.cmd, "unexpected argument '%s'", argv[optind]);

	mx_model_set_filter(&m, &filter);
	ret = mx_connect(&nl);
	if (ret)
		return ret;
	mx_model_dump_begin(&m);
	ret = mx_nl_stats_get(&nl, add_record, &m);
	if (ret) {
		ret = mx_fail_request("stats-get", ret, &nl);
		goto out;
	}
	mx_model_dump_end(&m);
	if (json) {
		if (mx_json_print(stdout, mx_json_records(&m), isatty(STDOUT_FILENO)))
			ret = mx_fail("cannot write the JSON output");
	} else {
		mx_view_table(stdout, &m);
		if (fflush(stdout))
			ret = mx_fail("cannot write the table");
	}
out:
	mx_nl_close(&nl);
	mx_model_free(&m);
	return ret;
}
