// SPDX-License-Identifier: GPL-2.0
/* modexcl policy: show every reader's mode, one reader's, or set one. */
#include <errno.h>
#include <stdio.h>

#include "cmd.h"
#include "view_json.h"
#include "view_table.h"

static const struct mx_opts opts = {
	.cmd = "policy",
	.shortopts = "j",
	.usage =
	"usage: modexcl policy [-j] [READER [MODE]]\n"
	"\n"
	"Show the read policy of every reader, of one reader, or set it; a change\n"
	"prints the new state. The same table as /sys/kernel/modexcl/policy/. A mode\n"
	"that does not apply now is followed by \"(inactive: REASONS; reads run as\n"
	"shared)\": it applies again once the reasons go (ima-policy: an IMA rule\n"
	"covers the reader's reads; no-lsm-notifier: the kernel could not register\n"
	"for LSM policy changes; no-file-watch: it could not watch module files).\n"
	"\n"
	"  -j       one JSON object, reader -> mode, and \"inactive\": reader -> the\n"
	"           reasons its mode does not apply now ({} when every mode applies)\n"
	"\n"
	"readers: firmware, kernel-module, kexec-image, kexec-initramfs,\n"
	"         security-policy, x509-certificate\n"
	"modes:   shared     stock behaviour\n"
	"         exclusive  two reads of one file never overlap\n"
	"         hold       kernel-module only: a duplicate load of an unchanged,\n"
	"                    live module gets -EEXIST before the file is read\n",
};

static int print_policy(uint32_t reader, uint32_t mode, uint32_t inactive, void *data)
{
	/* -j: collected in a model, printed as one object at the end. */
	if (data)
		mx_model_set_policy(data, reader, mode, inactive);
	else
		mx_view_policy_line(stdout, reader, mode, inactive);
	return 0;
}

int cmd_policy(int argc, char **argv)
{
	uint32_t reader = 0, mode = 0, inactive = 0;
	struct mx_model model, *json = NULL;
	const char *what;
	struct mx_nl nl;
	int c, ret;

	while ((c = mx_getopt(argc, argv, &opts)) != -1) {
		if (c == 'h')
			return mx_help(&opts);
		if (c == 'j') {
			json = &model;
			continue;
		}
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
	if (json)
		mx_model_init(json);
	switch (argc - optind) {
	case 0:
		what = "policy-get";
		ret = mx_nl_policy_dump(&nl, print_policy, json);
		break;
	case 1:
		what = "policy-get";
		ret = mx_nl_policy_get(&nl, reader, &mode, &inactive);
		break;
	default:
		what = "policy-set";
		ret = mx_nl_policy_set(&nl, reader, &mode, &inactive);
		break;
	}
	if (ret) {
		char label[64];

		snprintf(label, sizeof(label), "%s%s%s", what, reader ? " " : "",
			 reader ? mx_reader_name(reader) : "");
		ret = mx_fail_request(label, ret, &nl);
	} else if (argc - optind) {
		print_policy(reader, mode, inactive, json);
	}
	mx_nl_close(&nl);
	if (json) {
		if (!ret) {
			ret = mx_json_print(stdout, mx_json_policy(json), false);
			if (ret == -ENOMEM)
				ret = mx_fail("out of memory");
			else if (ret)
				ret = mx_output_failed(-ret);
		}
		mx_model_free(json);
	}
	return ret;
}
