// SPDX-License-Identifier: GPL-2.0
/*
 * modexcl: watch duplicate kernel file reads and set the per-reader policy.
 * This file parses the command line and dispatches to the commands.
 */
#include <stdio.h>
#include <string.h>

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

static void usage(FILE *out)
{
	fputs("usage: modexcl [--help | --version] COMMAND [ARGS]\n"
	      "\n"
	      "commands:\n"
	      "  stats   [-j] [-s KEY]                       one table of per-file records\n"
	      "  top     [-b] [-n N] [-d SECS] [-s KEY]      live view\n"
	      "  policy  [READER [MODE]]                     show or set the read policy\n"
	      "  monitor [-j]                                stream of duplicate and policy events\n"
	      "  reset                                       zero the counters\n",
	      out);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("modexcl %s\n", MODEXCL_VERSION);
		return EXIT_OK;
	}
	fprintf(stderr, "modexcl: '%s' is not available in this build; see 'modexcl --help'\n",
		argv[1]);
	return EXIT_USAGE;
}
