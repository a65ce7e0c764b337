// SPDX-License-Identifier: GPL-2.0
/* modexcl policy: show every reader's mode, one reader's, or set one. */
#include <stdio.h>

#include "cmd.h"

static const struct mx_opts opts = {
	.cmd = "policy",
	.shortopts = "",
	.usage =
	"usage: modexcl policy [READER [MODE]]\n"
	"\n"
	"Show the read policy of every reader, of one reader, or set it; a change\n"
	"prints the new state. The same table as /sys/kernel/modexcl/policy/.\n"
	"\n"
	"readers: firmware, kernel-module, kexec-image, kexec-initramfs,\n"
	"         security-policy, x509-certificate\n"
	"modes:   shared     stock behaviour\n"
	"         exclusive  two reads of one file never overlap\n"
	"         hold       kernel-module only: a duplicate load of an unchanged,\n"
	"                    live module gets -EEXIST before the file is read\n",
};

static int print_policy(uint32_t reader, uint32_t mode, void *data)
{
	const char *r = mx_reader_name(reader), *m = mx_mode_name(mode);

	(void)data;
	if (r && m)
		printf("%-17s %s\n", r, m);
	else
		printf("reader-%-10u mode-%u\n", reader, mode);
	return 0;
}

int cmd_policy(int argc, char **argv)
{
	uint32_t reader = 0, mode = 0;
	const char *what;
	struct mx_nl nl;
	int c, ret;

	while ((c = mx_getopt(argc, argv, &opts)) != -1) {
		if (c == 'h')
			return mx_help(&opts);
		return EXIT_USAGE;
	}
	if (argc - optind > 2)
		return mx_usage_error(opts.cmd, "unexpected argument '%s'", argv[optind + 2]);
	if (argc - optind >= 1 && mx_reader_parse(argv[optind], &reader))
		return mx_usage_error(opts.cmd, "unknown reader '%s': valid readers are %s",
				      argv[optind], mx_reader_list());
	if (argc - optind == 2 && mx_mode_parse(argv[optind + 1], &mode))
		return mx_usage_error(opts.cmd, "unknown mode '%s': valid modes are %s",
				      argv[optind + 1], mx_mode_list());

	ret = mx_connect(&nl);
	if (ret)
		return ret;
	switch (argc - optind) {
	case 0:
		what = "policy-get";
		ret = mx_nl_policy_dump(&nl, print_policy, NULL);
		break;
	case 1:
		what = "policy-get";
		ret = mx_nl_policy_get(&nl, reader, &mode);
		break;
	default:
		what = "policy-set";
		ret = mx_nl_policy_set(&nl, reader, &mode);
		break;
	}
	if (ret) {
		char label[64];

		snprintf(label, sizeof(label), "%s%s%s", what, reader ? " " : "",
			 reader ? mx_reader_name(reader) : "");
		ret = mx_fail_request(label, ret, &nl);
	} else if (argc - optind) {
		print_policy(reader, mode, NULL);
	}
	mx_nl_close(&nl);
	return ret;
}
