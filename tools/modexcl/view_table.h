/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Text layout of records: the columns, the summary lines and the `stats`
 * table. The batch and curses views build their lines from the same
 * columns, so the three cannot drift apart.
 */
#ifndef MODEXCL_VIEW_TABLE_H
#define MODEXCL_VIEW_TABLE_H

#include <stdio.h>

#include "model.h"

struct mx_column {
	const char *title;
	int width;		/* 0: the rest of the line */
	bool left;		/* left-aligned (text) */
	int priority;		/* narrow screens drop the highest first; 0 never */
	enum mx_key key;	/* what it shows; MX_KEY_COUNT: no key (the last caller) */
	bool delta;		/* @key's growth over the last interval */
	/* The cell's text; NULL: @key's counter (or sum) in its unit. */
	void (*format)(char *buf, size_t len, const struct mx_row *row);
	const struct mx_column *narrow;	/* a shorter form, taken before any drop */
};

/* The `stats` table, and the rows of the live and batch views. */
extern const struct mx_column mx_stats_columns[];
extern const size_t mx_nr_stats_columns;
extern const struct mx_column mx_top_columns[];
extern const size_t mx_nr_top_columns;

/*
 * Pick the columns that fit in @width characters (0: all, full width), in
 * display order, into @picked; returns how many. A narrow screen gets the
 * columns' narrow forms first, then loses the highest priorities.
 */
size_t mx_columns_fit(const struct mx_column *cols, size_t n, int width,
		      const struct mx_column **picked);
/*
 * For output without a screen (tables, batch), which never cuts a cell:
 * copies of @cols into @wide, each as wide as its widest cell in @m, and
 * @cols pointed at them.
 */
void mx_columns_widen(const struct mx_column **cols, size_t n, struct mx_column *wide,
		      const struct mx_model *m);
/*
 * One line: the titles (@row NULL) or a row's cells. With a screen @width,
 * cut at it, a text cell cut to its column ending in '+'; 0: nothing cut.
 */
void mx_format_line(char *buf, size_t len, const struct mx_column *const *cols, size_t n,
		    const struct mx_row *row, int width);

#define MX_MAX_COLUMNS 24
#define MX_SUMMARY_LINES 4
#define MX_LINE_MAX 512
/*
 * The summary above the rows of `top`: time and sort, totals and rates,
 * the policy per reader, missed events. Returns the number of lines.
 */
int mx_format_summary(char lines[MX_SUMMARY_LINES][MX_LINE_MAX], const struct mx_model *m,
		      int64_t realtime_ns);

/*
 * A reader's mode as the summary lines show it: "hold", or while it does
 * not apply "hold(inactive:ima-policy)"; "?" for a mode this tool has no
 * name for. Returns @buf.
 */
#define MX_POLICY_LEN (MX_INACTIVE_LEN + 32)
char *mx_fmt_policy(char *buf, size_t len, uint32_t mode, uint32_t inactive);

/*
 * One line of `modexcl policy`: reader and mode, the first two fields
 * whatever follows; while the mode does not apply,
 * "  (inactive: REASONS; reads run as shared)" after them.
 */
void mx_view_policy_line(FILE *out, uint32_t reader, uint32_t mode, uint32_t inactive);

/* The `stats` table: header, one line per record in model order, totals. */
void mx_view_table(FILE *out, const struct mx_model *m);

#endif
