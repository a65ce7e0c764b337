/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Numbers on the command line, read the same under every locale: "-d 0.5"
 * is half a second in de_DE.UTF-8 too (main() sets the user's locale for
 * ncurses, and with it strtod()'s decimal comma).
 */
#ifndef MODEXCL_PARSE_H
#define MODEXCL_PARSE_H

#include <stdint.h>

#define MX_PID_MAX 4194304	/* PID_MAX_LIMIT on 64-bit */

/* Decimal seconds ("2", "0.5", ".25") from @min to @max: 0, or -1. */
int mx_parse_seconds(const char *text, double min, double max, double *secs);
/* A process ID, 1 to MX_PID_MAX, in decimal: 0, or -1. */
int mx_parse_pid(const char *text, uint32_t *pid);

#endif
