// SPDX-License-Identifier: GPL-2.0
/*
 * modexcl: watch duplicate kernel file reads and set the per-reader policy.
 * This file parses the command line and dispatches to the commands.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "cmd.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "stats",	cmd_stats },
	{ "top",	cmd_top },
	{ "policy",	cmd_policy },
	{ "monitor",	cmd_monitor },
	{ "reset",	cmd_reset },
};

static void usage(FILE *out)
{
	fputs("usage: modexcl [--help | --version] COMMAND [ARGS]\n"
	      "\n"
	      "commands:\n"
	      "  stats   [-j] [-s KEY] [FILTER]              one table of per-file records\n"
	      "          [--prometheus | --textfile DIR]     ... or Prometheus' text format\n"
	      "  top     [-b] [-n N] [-d SECS] [-s KEY] [FILTER]   live view\n"
	      "  policy  [-j] [READER [MODE]]                show or set the read policy\n"
	      "  monitor [-j] [FILTER]                       stream of duplicate, policy and\n"
	      "                                              reset events, with who made them\n"
	      "  reset                                       zero the counters\n"
	      "\n"
	      "FILTER: -m GLOB (module), -r READER, -p PID, -c GLOB (command).\n"
	      "'modexcl COMMAND --help' tells more; so does modexcl(8).\n"
	      "Exit status: 0 ok, 1 error (the kernel refused, no permission, a write error),\n"
	      "2 usage error (an unknown option, command, reader, mode or key; a bad value).\n",
	      out);
}

static int run(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("modexcl %s\n", MODEXCL_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "modexcl: unknown command '%s': the commands are stats, top, policy, "
		"monitor, reset; see 'modexcl --help'\n", argv[1]);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	int ret;

	/*
	 * The terminal's character set from the locale (ncurses draws UTF-8
	 * with it); numbers are written and read with a decimal point in
	 * every locale, so that what a script parses does not change with it.
	 */
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	/*
	 * Into a file or pipe, stdio writes when its buffer fills, and a write
	 * error then leaves only a flag: the cause is lost. A buffer that holds
	 * any command's output (a full record table is about 400 KiB of JSON)
	 * moves the write to the explicit flushes, which keep the cause.
	 */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, 1 << 20);
	ret = run(argc, argv);
	mx_cgroup_free();
	/* Every command ends here: output that could not be written is an error. */
	return mx_output_close(stdout, stderr, ret);
}
