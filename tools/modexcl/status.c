// SPDX-License-Identifier: GPL-2.0
/*
 * Write errors on the output. stdio keeps only a sticky error flag, and
 * glibc drops what a failed fflush() could not write (the next one then
 * succeeds), so the cause is kept here when it is first seen.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "status.h"

static int first_error;

int mx_output_failed(int err)
{
	if (!first_error)
		first_error = err > 0 ? err : EIO;
	return EXIT_RUNTIME;
}

int mx_output_flush(FILE *out)
{
	if (fflush(out))
		return mx_output_failed(errno);
	/* An earlier write failed; its cause is unknown unless noted then. */
	if (ferror(out))
		return mx_output_failed(EIO);
	return 0;
}

int mx_output_close(FILE *out, FILE *err, int status)
{
	bool failed = mx_output_flush(out) != 0 || first_error;
	int cause;

	/* Flushed: a close that fails on a descriptor the shell closed lost nothing. */
	if (fclose(out) && errno != EBADF && !failed)
		failed = mx_output_failed(errno) != 0;
	if (!failed)
		return status;
	cause = first_error;
	first_error = 0;
	fprintf(err, "modexcl: write error: %s\n", strerror(cause));
	return status ? status : EXIT_RUNTIME;
}
