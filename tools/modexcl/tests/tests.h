/* SPDX-License-Identifier: GPL-2.0 */
/* The unit tests of the tool, one array per file, run as one cmocka group. */
#ifndef MODEXCL_TESTS_H
#define MODEXCL_TESTS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model.h"

extern const struct CMUnitTest format_tests[];
extern const size_t nr_format_tests;
extern const struct CMUnitTest model_tests[];
extern const size_t nr_model_tests;
extern const struct CMUnitTest view_tests[];
extern const size_t nr_view_tests;
extern const struct CMUnitTest prometheus_tests[];
extern const size_t nr_prometheus_tests;
extern const struct CMUnitTest parse_tests[];
extern const size_t nr_parse_tests;
extern const struct CMUnitTest status_tests[];
extern const size_t nr_status_tests;
extern const struct CMUnitTest events_tests[];
extern const size_t nr_events_tests;
extern const struct CMUnitTest nl_msg_tests[];
extern const size_t nr_nl_msg_tests;
extern const struct CMUnitTest cgroup_tests[];
extern const size_t nr_cgroup_tests;

/* A record of the kernel-module reader with the given identity and counters. */
struct mx_record test_record(const char *module, uint64_t ino, uint64_t conc, uint64_t serial,
			     uint64_t avoided);
/* A model holding @n records, dumped and ticked once at t=0. */
void test_model(struct mx_model *m, const struct mx_record *recs, size_t n);

#endif
