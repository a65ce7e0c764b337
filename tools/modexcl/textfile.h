/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replacing a file atomically, for node_exporter's textfile collector:
 * a reader of DIR/NAME sees the old content or the new one, never a part.
 */
#ifndef MODEXCL_TEXTFILE_H
#define MODEXCL_TEXTFILE_H

#include <stddef.h>
#include <stdio.h>

#define MX_TEXTFILE_NAME "modexcl.prom"

/* Print the whole content to @out; 0, or a negative errno. */
typedef int (*mx_textfile_writer)(FILE *out, void *data);

/*
 * Whether @dir is a directory this process may create files in, asked
 * before the work whose result goes there. 0, or a negative errno and a
 * one-line message in @err.
 */
int mx_textfile_check_dir(const char *dir, char *err, size_t len);

/*
 * Write @dir/@name with @print: into a temporary file in @dir, flushed,
 * fsync'd and made 0644, then renamed over @name. 0, or a negative errno
 * and a one-line message in @err; on any error the temporary file is gone
 * and @name is as it was.
 */
int mx_textfile_write(const char *dir, const char *name, mx_textfile_writer print, void *data,
		      char *err, size_t len);

#endif
