/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The live view of `top` with ncurses: the summary, one row per record, a
 * selection, a help screen and a y/n prompt for policy changes. Keys turn
 * into actions for the caller; the view never talks to the kernel.
 */
#ifndef MODEXCL_VIEW_TOP_H
#define MODEXCL_VIEW_TOP_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"

#define MX_TOP_MIN_COLS  80
#define MX_TOP_MIN_LINES 12
/* The refresh interval, in seconds: -d and the d key. */
#define MX_TOP_INTERVAL_MIN 0.1
#define MX_TOP_INTERVAL_MAX 86400

struct mx_top_state {
	size_t selected;		/* index in the model's order */
	struct {			/* the selected record, kept across re-sorts */
		uint32_t reader, dev;
		uint64_t ino;
		bool valid;
	} sel;
	size_t first;			/* first row on screen */
	bool help;
	bool confirm;			/* a policy change waits for y/n */
	uint32_t confirm_reader, confirm_mode;
	bool color;
	char status[256];		/* bottom line, until the next key */
	bool editing_filter;		/* the bottom line reads a module glob */
	char filter_input[MX_GLOB_MAX];
	double interval_s;		/* between dumps: the caller's, until d changes it */
	bool editing_interval;		/* the bottom line reads seconds */
	char interval_input[16];
};

enum mx_top_action {
	MX_TOP_NONE,
	MX_TOP_REDRAW,
	MX_TOP_REFRESH,			/* dump now */
	MX_TOP_SET_POLICY,		/* confirm_reader to confirm_mode, confirmed */
	MX_TOP_SET_INTERVAL,		/* dump every interval_s from now on */
	MX_TOP_QUIT,
};

/*
 * The size to draw at, each dimension on its own: what the terminal reports;
 * when it reports 0 (a serial console does), the COLUMNS or LINES variable;
 * else 80x24, as a VT100 has.
 */
void mx_top_pick_size(int tty_cols, int tty_lines, const char *env_cols, const char *env_lines,
		      int *cols, int *lines);
/* The same for the terminal on stdout and this process's environment. */
void mx_top_term_size(int *cols, int *lines);

/* Start curses on the terminal; the caller checked its size. */
int mx_top_view_open(struct mx_top_state *st);
void mx_top_view_close(void);
/* The terminal changed size (SIGWINCH). */
void mx_top_view_resize(void);
/* The next key, or -1 when none is waiting. */
int mx_top_view_key(void);
void mx_top_view_draw(struct mx_top_state *st, const struct mx_model *m, int64_t realtime_ns);

/* What a key does to the state (and the model's sort order). */
enum mx_top_action mx_top_handle_key(struct mx_top_state *st, struct mx_model *m, int key);

#endif
