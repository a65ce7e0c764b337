// SPDX-License-Identifier: GPL-2.0
/*
 * Runs every unit test as one cmocka group, so TAP output
 * (CMOCKA_MESSAGE_OUTPUT=TAP) has a single plan.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests.h"

struct mx_record test_record(const char *module, uint64_t ino, uint64_t conc, uint64_t serial,
			     uint64_t avoided)
{
	struct mx_record r = {
		.reader = MODEXCL_READER_KERNEL_MODULE,
		.ino = ino,
		.dev = 0x2a,
		.counts = {
			.loads = 1,
			.dup_concurrent = conc,
			.dup_serial = serial,
			.bytes_avoided = avoided,
		},
	};

	snprintf(r.module, sizeof(r.module), "%s", module);
	snprintf(r.path, sizeof(r.path), "/lib/modules/6.12/extra/%s.ko", module);
	return r;
}

void test_model(struct mx_model *m, const struct mx_record *recs, size_t n)
{
	mx_model_init(m);
	mx_model_dump_begin(m);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(mx_model_dump_add(m, &recs[i]), 0);
	mx_model_dump_end(m);
	mx_model_tick(m, 0);
}

int main(void)
{
	size_t n = nr_format_tests + nr_model_tests + nr_view_tests + nr_prometheus_tests +
		   nr_parse_tests + nr_status_tests + nr_events_tests + nr_nl_msg_tests +
		   nr_cgroup_tests, i = 0;
	struct CMUnitTest *all = calloc(n, sizeof(*all));
	int failed;

	if (!all)
		return 1;
	memcpy(all + i, format_tests, nr_format_tests * sizeof(*all));
	i += nr_format_tests;
	memcpy(all + i, model_tests, nr_model_tests * sizeof(*all));
	i += nr_model_tests;
	memcpy(all + i, view_tests, nr_view_tests * sizeof(*all));
	i += nr_view_tests;
	memcpy(all + i, prometheus_tests, nr_prometheus_tests * sizeof(*all));
	i += nr_prometheus_tests;
	memcpy(all + i, parse_tests, nr_parse_tests * sizeof(*all));
	i += nr_parse_tests;
	memcpy(all + i, status_tests, nr_status_tests * sizeof(*all));
	i += nr_status_tests;
	memcpy(all + i, events_tests, nr_events_tests * sizeof(*all));
	i += nr_events_tests;
	memcpy(all + i, nl_msg_tests, nr_nl_msg_tests * sizeof(*all));
	i += nr_nl_msg_tests;
	memcpy(all + i, cgroup_tests, nr_cgroup_tests * sizeof(*all));
	failed = _cmocka_run_group_tests("modexcl", all, n, NULL, NULL);
	free(all);
	return failed ? 1 : 0;
}
