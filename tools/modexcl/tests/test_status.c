// SPDX-License-Identifier: GPL-2.0
/*
 * Exit statuses and write errors on the output: a lost output turns a
 * success into 1 with one "write error" line, a failed command keeps its
 * status, and the cause is the first write's even once stdio forgot it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests.h"
#include "status.h"

/* The stream the messages go to, and what it got. */
struct err_stream {
	FILE *f;
	char *text;
	size_t len;
};

static void err_open(struct err_stream *e)
{
	e->text = NULL;
	e->f = open_memstream(&e->text, &e->len);
	assert_non_null(e->f);
}

/* Close it; the text, which the caller frees. */
static char *err_text(struct err_stream *e)
{
	fclose(e->f);
	return e->text;
}

static void expect_write_error(struct err_stream *e, int err)
{
	char want[128], *text = err_text(e);

	snprintf(want, sizeof(want), "modexcl: write error: %s\n", strerror(err));
	assert_string_equal(text, want);
	free(text);
}

/* /dev/full, with a line in its buffer. */
static FILE *full_with_output(void)
{
	FILE *f = fopen("/dev/full", "w");

	assert_non_null(f);
	assert_true(fputs("records dropped, counters zeroed\n", f) >= 0);
	return f;
}

static void written_output_keeps_the_status(void **state)
{
	static const int statuses[] = { EXIT_OK, EXIT_RUNTIME, EXIT_USAGE };
	struct err_stream e;
	char *text;

	(void)state;
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		FILE *out = tmpfile();

		assert_non_null(out);
		fputs("kernel-module     hold\n", out);
		err_open(&e);
		assert_int_equal(mx_output_close(out, e.f, statuses[i]), statuses[i]);
		text = err_text(&e);
		assert_string_equal(text, "");
		free(text);
	}
}

static void lost_output_makes_success_exit_1(void **state)
{
	struct err_stream e;

	(void)state;
	err_open(&e);
	assert_int_equal(mx_output_close(full_with_output(), e.f, EXIT_OK), EXIT_RUNTIME);
	expect_write_error(&e, ENOSPC);
}

static void a_failed_command_keeps_its_status(void **state)
{
	struct err_stream e;

	(void)state;
	err_open(&e);
	assert_int_equal(mx_output_close(full_with_output(), e.f, EXIT_USAGE), EXIT_USAGE);
	expect_write_error(&e, ENOSPC);
	err_open(&e);
	assert_int_equal(mx_output_close(full_with_output(), e.f, EXIT_RUNTIME), EXIT_RUNTIME);
	expect_write_error(&e, ENOSPC);
}

/* glibc drops what a failed fflush() could not write: the next one succeeds. */
static void a_noted_error_is_reported_once_with_its_cause(void **state)
{
	struct err_stream e;
	FILE *out = full_with_output();

	(void)state;
	assert_int_equal(mx_output_flush(out), EXIT_RUNTIME);
	assert_int_equal(mx_output_flush(out), EXIT_RUNTIME);
	err_open(&e);
	assert_int_equal(mx_output_close(out, e.f, EXIT_OK), EXIT_RUNTIME);
	expect_write_error(&e, ENOSPC);

	/* Reported, it is gone: the next command starts clean. */
	out = tmpfile();
	assert_non_null(out);
	err_open(&e);
	assert_int_equal(mx_output_close(out, e.f, EXIT_OK), EXIT_OK);
	free(err_text(&e));
}

static void the_first_cause_noted_wins(void **state)
{
	struct err_stream e;
	FILE *out = tmpfile();

	(void)state;
	assert_non_null(out);
	assert_int_equal(mx_output_failed(ENOSPC), EXIT_RUNTIME);
	assert_int_equal(mx_output_failed(EPIPE), EXIT_RUNTIME);
	err_open(&e);
	assert_int_equal(mx_output_close(out, e.f, EXIT_OK), EXIT_RUNTIME);
	expect_write_error(&e, ENOSPC);
}

static void an_unnoted_earlier_error_is_an_io_error(void **state)
{
	struct err_stream e;
	FILE *out = full_with_output();

	(void)state;
	assert_int_not_equal(fflush(out), 0);
	err_open(&e);
	assert_int_equal(mx_output_close(out, e.f, EXIT_OK), EXIT_RUNTIME);
	expect_write_error(&e, EIO);
}

/* `modexcl stats --textfile DIR >&-`: nothing to write, nothing lost. */
static void a_closed_descriptor_with_nothing_to_write_is_fine(void **state)
{
	struct err_stream e;
	int fds[2];
	FILE *out;
	char *text;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	out = fdopen(fds[1], "w");
	assert_non_null(out);
	close(fds[1]);
	err_open(&e);
	assert_int_equal(mx_output_close(out, e.f, EXIT_OK), EXIT_OK);
	text = err_text(&e);
	assert_string_equal(text, "");
	free(text);
	close(fds[0]);
}

static void a_closed_descriptor_with_output_is_a_write_error(void **state)
{
	struct err_stream e;
	int fds[2];
	FILE *out;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	out = fdopen(fds[1], "w");
	assert_non_null(out);
	close(fds[1]);
	fputs("firmware          shared\n", out);
	err_open(&e);
	assert_int_equal(mx_output_close(out, e.f, EXIT_OK), EXIT_RUNTIME);
	expect_write_error(&e, EBADF);
	close(fds[0]);
}

const struct CMUnitTest status_tests[] = {
	cmocka_unit_test(written_output_keeps_the_status),
	cmocka_unit_test(lost_output_makes_success_exit_1),
	cmocka_unit_test(a_failed_command_keeps_its_status),
	cmocka_unit_test(a_noted_error_is_reported_once_with_its_cause),
	cmocka_unit_test(the_first_cause_noted_wins),
	cmocka_unit_test(an_unnoted_earlier_error_is_an_io_error),
	cmocka_unit_test(a_closed_descriptor_with_nothing_to_write_is_fine),
	cmocka_unit_test(a_closed_descriptor_with_output_is_a_write_error),
};
const size_t nr_status_tests = sizeof(status_tests) / sizeof(status_tests[0]);
