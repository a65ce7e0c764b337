/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exit statuses, the same for every command: 0 success, 1 a runtime error
 * (the kernel refused, no family, no permission, a write error on stdout),
 * 2 a usage error (an unknown option, command, reader, mode or sort key, a
 * bad argument), always found before the kernel is asked.
 *
 * A write error on the output is noticed wherever it happens and reported
 * once, at the end of every command, as "modexcl: write error: CAUSE".
 */
#ifndef MODEXCL_STATUS_H
#define MODEXCL_STATUS_H

#include <stdio.h>

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

/* Note write error @err (an errno; the first one noted is reported); EXIT_RUNTIME. */
int mx_output_failed(int err);
/* Flush @out: 0, or EXIT_RUNTIME after noting why it failed (or failed before). */
int mx_output_flush(FILE *out);
/*
 * At the end of a command that exits with @status: flush and close @out,
 * and report a write error on it (now or noted before) on @err. Returns
 * @status, or EXIT_RUNTIME for a successful command whose output was lost;
 * a failed command keeps its status. Nothing pending and a closed
 * descriptor (EBADF at close) is no error: nothing was lost.
 */
int mx_output_close(FILE *out, FILE *err, int status);

#endif
