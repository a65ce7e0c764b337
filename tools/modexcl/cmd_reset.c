// SPDX-License-Identifier: GPL-2.0
/* modexcl reset: zero the counters and drop the records. */
#include <stdio.h>

#include "cmd.h"

static const struct mx_opts opts = {
	.cmd = "reset",
	.shortopts = "",
	.usage =
	"usage: modexcl reset\n"
	"\n"
	"Zero every counter and drop every record (stats-reset). The policy and\n"
	"module hold claims stay as they are.\n",
};

int cmd_reset(int argc, char **argv)
{
	struct mx_nl nl;
	int c, ret;

	while ((c = mx_getopt(argc, argv, &opts)) != -1) {
		if (c == 'h')
			return mx_help(&opts);
		return EXIT_USAGE;
	}
	if (optind < argc)
		return mx_usage_error(opts.cmd, "unexpected argument '%s'", argv[optind]);
	ret = mx_connect(&nl);
	if (ret)
		return ret;
	ret = mx_nl_stats_reset(&nl);
	if (ret)
		ret = mx_fail_request("stats-reset", ret, &nl);
	else
		printf("records dropped, counters zeroed\n");
	mx_nl_close(&nl);
	return ret;
}
