/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The commands, and what they share: exit codes (status.h), one-line error messages
 * that name the cause and a way out, option parsing, signals and clocks.
 */
#ifndef MODEXCL_CMD_H
#define MODEXCL_CMD_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "model.h"
#include "nl.h"
#include "status.h"

int cmd_stats(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_reset(int argc, char **argv);

/* "modexcl: MESSAGE" on stderr; returns EXIT_RUNTIME. */
int mx_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "modexcl CMD: MESSAGE; see 'modexcl CMD --help'"; returns EXIT_USAGE. */
int mx_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The one-line text of a failed request @what, with the kernel's message. */
void mx_error_text(char *buf, size_t len, const char *what, int err, const struct mx_nl *nl);
/* Print it; returns EXIT_RUNTIME. */
int mx_fail_request(const char *what, int err, const struct mx_nl *nl);
/* Open a socket on the family, or say why not; 0 or EXIT_RUNTIME. */
int mx_connect(struct mx_nl *nl);
/* Also join the monitor group (non-blocking socket). */
int mx_connect_monitor(struct mx_nl *nl);

/* Dump policy and records into the model (merged as one dump). */
int mx_refresh(struct mx_nl *nl, struct mx_model *m, const char **what);

/* getopt_long over argv (argv[0] is the command), with --help. */
struct mx_opts {
	const char *cmd;
	const char *usage;		/* the full --help text */
	const char *shortopts;		/* without 'h' */
	const struct option *longopts;	/* besides --help; NULL for none */
};
/*
 * -1 at the end, 'h' for --help/-h, '?' after printing a usage error. An
 * option with no short form has a val of MX_LONG_ONLY or above.
 */
#define MX_LONG_ONLY 256
int mx_getopt(int argc, char **argv, const struct mx_opts *o);
int mx_help(const struct mx_opts *o);

/* -s KEY into @m's order; "+KEY" (growth) only where @growth_ok (top has intervals). */
int mx_parse_sort(const char *cmd, const char *arg, struct mx_model *m, bool growth_ok);

/* The filter options of stats, top and monitor: -m -r -p -c and their long forms. */
#define MX_FILTER_SHORTOPTS "m:r:p:c:"
/* Their long forms, for a command's own table of long options. */
#define MX_FILTER_LONGOPTS \
	{ "module", required_argument, NULL, 'm' }, \
	{ "reader", required_argument, NULL, 'r' }, \
	{ "pid", required_argument, NULL, 'p' }, \
	{ "comm", required_argument, NULL, 'c' }
extern const struct option mx_filter_longopts[];
#define MX_FILTER_USAGE \
	"  -m, --module GLOB  only modules whose name matches GLOB (fnmatch(3); a '-'\n" \
	"                     matches '_', as modprobe takes either)\n" \
	"  -r, --reader READER  only this reader: firmware, kernel-module, kexec-image,\n" \
	"                     kexec-initramfs, security-policy, x509-certificate\n" \
	"  -p, --pid PID      only files PID holds or made the latest duplicate of\n" \
	"                     (monitor: duplicates PID made)\n" \
	"  -c, --comm GLOB    only files held by a command matching GLOB, or whose\n" \
	"                     latest duplicate one made (monitor: duplicates made by one)\n"
/*
 * Apply filter option @c with @arg to @f: 0 when done, 1 when @c is no
 * filter option, EXIT_USAGE after printing why @arg is wrong.
 */
int mx_filter_option(const char *cmd, int c, const char *arg, struct mx_filter *f);

/* Block SIGINT, SIGTERM, SIGHUP and SIGWINCH and return a signalfd for them. */
int mx_signals_open(void);
/* The pending signal, 0 for none. */
int mx_signals_read(int fd);

#endif
