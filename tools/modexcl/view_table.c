// SPDX-License-Identifier: GPL-2.0
/*
 * Columns and summary lines in plain text, and the `stats` table. Bytes
 * and durations go through format.c's human units; exact numbers are the
 * JSON view's job.
 */
#include <inttypes.h>
#include <string.h>

#include "format.h"
#include "view_table.h"

static void fmt_reader(char *buf, size_t len, const struct mx_row *row)
{
	const char *name = mx_reader_name(row->rec.reader);

	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "reader-%u", row->rec.reader);
}

static void fmt_reader_short(char *buf, size_t len, const struct mx_row *row)
{
	const char *name = mx_reader_short_name(row->rec.reader);

	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%u", row->rec.reader);
}

static void fmt_module(char *buf, size_t len, const struct mx_row *row)
{
	snprintf(buf, len, "%s", row->rec.module[0] ? row->rec.module : "-");
}

static void fmt_path(char *buf, size_t len, const struct mx_row *row)
{
	snprintf(buf, len, "%s", row->rec.path);
}

static void fmt_comm(char *buf, size_t len, const struct mx_row *row)
{
	snprintf(buf, len, "%s", row->rec.holder_comm[0] ? row->rec.holder_comm : "-");
}

static void fmt_pid(char *buf, size_t len, const struct mx_row *row)
{
	if (row->rec.holder_pid)
		snprintf(buf, len, "%" PRIu32, row->rec.holder_pid);
	else
		snprintf(buf, len, "-");
}

/* Callers waiting now for the holder; "-" from a kernel that does not say. */
static void fmt_waiting(char *buf, size_t len, const struct mx_row *row)
{
	if (row->rec.has_waiting)
		mx_fmt_count(buf, len, row->rec.waiting);
	else
		snprintf(buf, len, "-");
}

/*
 * Whether a hold claim covers the record now, by the spec's name ("held",
 * "none"; a newer kernel's value by its number); "-" where the kernel does
 * not say (an older kernel, another reader than kernel-module).
 */
static void fmt_claim(char *buf, size_t len, const struct mx_row *row)
{
	const char *name = mx_claim_name(row->rec.claim);

	if (!row->rec.has_claim)
		snprintf(buf, len, "-");
	else if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%" PRIu32, row->rec.claim);
}

/* The caller of the latest duplicate: "systemd-udevd[412]". */
static void fmt_caller(char *buf, size_t len, const struct mx_row *row)
{
	mx_fmt_task(buf, len, &row->rec.last_caller);
}

/* Its cgroup: where a service's duplicates come from. */
static void fmt_cgroup(char *buf, size_t len, const struct mx_row *row)
{
	const struct mx_task *t = &row->rec.last_caller;

	if (t->has & MX_TASK_HAS(CGROUP) && t->cgroup)
		mx_fmt_cgroup(buf, len, t->cgroup);
	else
		snprintf(buf, len, "-");
}

/* The latest attempt, as local date and time. */
static void fmt_last_seen(char *buf, size_t len, const struct mx_row *row)
{
	if (row->rec.last_seen)
		mx_fmt_boottime(buf, len, row->rec.last_seen);
	else
		snprintf(buf, len, "-");
}

#define COUNTER_COLUMN(field, ATTR, name, unit, title, width, ...) \
	{ title, width, false, 0, MX_KEY_##ATTR, false, NULL, NULL },
/* A column of the last caller, which is no sort key. */
#define NO_KEY MX_KEY_COUNT

const struct mx_column mx_stats_columns[] = {
	{ "READER",	16, true,  0, MX_KEY_READER, false, fmt_reader, NULL },
	{ "MODULE",	18, true,  0, MX_KEY_MODULE, false, fmt_module, NULL },
	MX_COUNTERS(COUNTER_COLUMN)
	{ "WAITING",	 7, false, 0, MX_KEY_WAITING, false, fmt_waiting, NULL },
	{ "CLAIM",	 5, true,  0, MX_KEY_CLAIM, false, fmt_claim, NULL },
	{ "PID",	 7, false, 0, MX_KEY_HOLDER_PID, false, fmt_pid, NULL },
	{ "COMM",	15, true,  0, MX_KEY_HOLDER_COMM, false, fmt_comm, NULL },
	{ "CALLER",	20, true,  0, NO_KEY, false, fmt_caller, NULL },
	{ "CGROUP",	30, true,  0, NO_KEY, false, fmt_cgroup, NULL },
	{ "LAST-SEEN",	23, true,  0, MX_KEY_LAST_SEEN, false, fmt_last_seen, NULL },
	{ "PATH",	 0, true,  0, MX_KEY_PATH, false, fmt_path, NULL },
};
const size_t mx_nr_stats_columns = sizeof(mx_stats_columns) / sizeof(mx_stats_columns[0]);

static const struct mx_column reader_short = {
	"READER", 6, true, 0, MX_KEY_READER, false, fmt_reader_short, NULL
};

static const struct mx_column module_short = {
	"MODULE", 18, true, 0, MX_KEY_MODULE, false, fmt_module, NULL
};

/*
 * What an operator needs first fits 80 columns: the module, its duplicates,
 * the bytes they wasted and avoided, and the loads waiting for the file's
 * holder now (a stuck holder shows there first); the reader (few, and most
 * rows are kernel-module) shrinks to a short name and the module to 18
 * characters before anything goes. Then whether a hold claim covers the
 * file (its next duplicate refused unread) and its holder, the caller of
 * the latest duplicate, the wait, the path and the latest attempt's time;
 * the path, the rest of the line, stays last.
 */
const struct mx_column mx_top_columns[] = {
	{ "READER",	16, true,  0, MX_KEY_READER, false, fmt_reader, &reader_short },
	{ "MODULE",	20, true,  0, MX_KEY_MODULE, false, fmt_module, &module_short },
	{ "DUPS",	 6, false, 0, MX_KEY_DUPS, false, NULL, NULL },
	{ "+DUPS",	 6, false, 0, MX_KEY_DUPS, true, NULL, NULL },
	{ "WASTED",	10, false, 0, MX_KEY_BYTES_WASTED, false, NULL, NULL },
	{ "AVOIDED",	10, false, 0, MX_KEY_BYTES_AVOIDED, false, NULL, NULL },
	{ "+AVOIDED",	10, false, 1, MX_KEY_BYTES_AVOIDED, true, NULL, NULL },
	{ "WAITING",	 7, false, 1, MX_KEY_WAITING, false, fmt_waiting, NULL },
	{ "WAIT",	 9, false, 5, MX_KEY_WAIT_NS, false, NULL, NULL },
	{ "CLAIM",	 5, true,  2, MX_KEY_CLAIM, false, fmt_claim, NULL },
	{ "PID",	 7, false, 2, MX_KEY_HOLDER_PID, false, fmt_pid, NULL },
	{ "COMM",	15, true,  3, MX_KEY_HOLDER_COMM, false, fmt_comm, NULL },
	{ "CALLER",	20, true,  4, NO_KEY, false, fmt_caller, NULL },
	{ "LAST-SEEN",	23, true,  7, MX_KEY_LAST_SEEN, false, fmt_last_seen, NULL },
	{ "PATH",	 0, true,  6, MX_KEY_PATH, false, fmt_path, NULL },
};
const size_t mx_nr_top_columns = sizeof(mx_top_columns) / sizeof(mx_top_columns[0]);

static void format_cell(char *buf, size_t len, const struct mx_column *col,
			const struct mx_row *row)
{
	if (col->format)
		col->format(buf, len, row);
	else
		mx_fmt_unit(buf, len, mx_key_unit(col->key),
			    mx_counts_u64(col->delta ? &row->delta : &row->rec.counts, col->key));
}

#define MIN_REST_WIDTH 12	/* a "rest of the line" column narrower is useless */

size_t mx_columns_fit(const struct mx_column *cols, size_t n, int width,
		      const struct mx_column **picked)
{
	int max_priority = 0, used;
	size_t nr;

	for (size_t i = 0; i < n; i++)
		if (cols[i].priority > max_priority)
			max_priority = cols[i].priority;
	/* All at full width; else in their narrow forms, dropping the highest priorities. */
	for (int limit = max_priority, narrow = 0; ; ) {
		used = -1;
		nr = 0;
		for (size_t i = 0; i < n; i++) {
			const struct mx_column *col = narrow && cols[i].narrow ? cols[i].narrow : &cols[i];

			if (cols[i].priority > limit)
				continue;
			used += 1 + (col->width ? col->width : MIN_REST_WIDTH);
			picked[nr++] = col;
		}
		if (width <= 0 || used <= width || (narrow && limit == 0))
			return nr;
		if (narrow)
			limit--;
		narrow = 1;
	}
}

void mx_columns_widen(const struct mx_column **cols, size_t n, struct mx_column *wide,
		      const struct mx_model *m)
{
	char cell[MX_LINE_MAX];

	for (size_t i = 0; i < n; i++) {
		wide[i] = *cols[i];
		for (size_t r = 0; wide[i].width && r < m->nr_shown; r++) {
			int len;

			format_cell(cell, sizeof(cell), &wide[i], m->order[r]);
			len = strlen(cell);
			if (len > wide[i].width)
				wide[i].width = len;
		}
		cols[i] = &wide[i];
	}
}

void mx_format_line(char *buf, size_t len, const struct mx_column *const *cols, size_t n,
		    const struct mx_row *row, int width)
{
	size_t pos = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && pos + 1 < len; i++) {
		char cell[MX_LINE_MAX];
		int w = cols[i]->width;

		if (row)
			format_cell(cell, sizeof(cell), cols[i], row);
		else
			snprintf(cell, sizeof(cell), "%s", cols[i]->title);
		/*
		 * Only a screen cuts a cell, and marks the cut with a '+' as top(1)
		 * does; without one (tables, batch) a cell wider than its column
		 * shows whole (mx_columns_widen() keeps the columns aligned).
		 */
		if (width > 0 && w > 1 && cols[i]->left && (int)strlen(cell) > w) {
			cell[w - 1] = '+';
			cell[w] = '\0';
		}
		if (w) {
			pos += snprintf(buf + pos, len - pos, cols[i]->left ? "%s%-*s" : "%s%*s",
					i ? " " : "", w, cell);
		} else {
			int avail = width - (int)pos - (i ? 1 : 0);
			int cell_len = strlen(cell);
			const char *text = cell;

			/* The rest of a narrow line shows a path's tail: its file name. */
			if (width > 0 && cell_len > avail && avail > 3) {
				text = cell + cell_len - (avail - 3);
				pos += snprintf(buf + pos, len - pos, "%s...", i ? " " : "");
				if (pos >= len)
					pos = len - 1;
				pos += snprintf(buf + pos, len - pos, "%s", text);
			} else {
				pos += snprintf(buf + pos, len - pos, "%s%s", i ? " " : "", text);
			}
		}
		if (pos >= len)
			pos = len - 1;
	}
	/* No trailing blanks: a left column at the end pads for nothing. */
	while (pos && buf[pos - 1] == ' ')
		buf[--pos] = '\0';
	if (width > 0 && (int)pos > width)
		buf[width] = '\0';
}

int mx_format_summary(char lines[MX_SUMMARY_LINES][MX_LINE_MAX], const struct mx_model *m,
		      int64_t realtime_ns)
{
	char t[MX_FMT_LEN], a[MX_FMT_LEN], b[MX_FMT_LEN], c[MX_FMT_LEN], d[MX_FMT_LEN],
	     e[MX_FMT_LEN], f[MX_FMT_LEN], filter[MX_LINE_MAX / 2];
	size_t pos;
	int n = 0;

	pos = snprintf(lines[n], MX_LINE_MAX,
		       "modexcl top - %s  records %zu  interval %.1fs  sort %s%s%s",
		       mx_fmt_clock(t, sizeof(t), realtime_ns), m->nr_shown, m->interval_s,
		       m->sort_by_growth && mx_key_is_counter(m->sort_key) ? "+" : "",
		       mx_key_name(m->sort_key), m->reverse ? " (reversed)" : "");
	/* While a filter hides rows, the header says which and how many. */
	mx_filter_describe(&m->filter, filter, sizeof(filter));
	if (filter[0] && pos < MX_LINE_MAX)
		snprintf(lines[n] + pos, MX_LINE_MAX - pos, "  filter %s (%zu of %zu)", filter,
			 m->nr_shown, m->nr_rows);
	n++;
	snprintf(lines[n++], MX_LINE_MAX,
		 "dups %s (%s)  avoided %s (%s)  wasted %s (%s)  waited %s",
		 mx_fmt_count(a, sizeof(a), mx_counts_u64(&m->total, MX_KEY_DUPS)),
		 mx_fmt_rate(b, sizeof(b), m->rates.dups),
		 mx_fmt_bytes(c, sizeof(c), m->total.bytes_avoided),
		 mx_fmt_byte_rate(d, sizeof(d), m->rates.bytes_avoided),
		 mx_fmt_bytes(e, sizeof(e), m->total.bytes_wasted),
		 mx_fmt_byte_rate(f, sizeof(f), m->rates.bytes_wasted),
		 mx_fmt_duration(t, sizeof(t), m->total.wait_ns));
	pos = snprintf(lines[n], MX_LINE_MAX, "policy");
	for (uint32_t r = MX_READER_FIRST; r <= MX_READER_LAST && pos < MX_LINE_MAX; r++) {
		char mode[MX_POLICY_LEN];

		pos += snprintf(lines[n] + pos, MX_LINE_MAX - pos, " %s=%s", mx_reader_name(r),
				m->policy_known[r] ? mx_fmt_policy(mode, sizeof(mode), m->policy[r],
								   m->policy_inactive[r]) : "?");
	}
	n++;
	if (m->missed)
		snprintf(lines[n++], MX_LINE_MAX, "missed %" PRIu64 " events (resynchronised)",
			 m->missed);
	return n;
}

char *mx_fmt_policy(char *buf, size_t len, uint32_t mode, uint32_t inactive)
{
	const char *name = mx_mode_name(mode);
	char why[MX_INACTIVE_LEN];

	if (inactive)
		snprintf(buf, len, "%s(inactive:%s)", name ? name : "?",
			 mx_inactive_format(why, sizeof(why), inactive));
	else
		snprintf(buf, len, "%s", name ? name : "?");
	return buf;
}

void mx_view_policy_line(FILE *out, uint32_t reader, uint32_t mode, uint32_t inactive)
{
	const char *r = mx_reader_name(reader), *m = mx_mode_name(mode);
	char why[MX_INACTIVE_LEN];

	if (r && m)
		fprintf(out, "%-17s %s", r, m);
	else
		fprintf(out, "reader-%-10u mode-%u", reader, mode);
	/* On the same line, after the two fields scripts take. */
	if (inactive)
		fprintf(out, "  (inactive: %s; reads run as shared)",
			mx_inactive_format(why, sizeof(why), inactive));
	fputc('\n', out);
}

void mx_view_table(FILE *out, const struct mx_model *m)
{
	const struct mx_column *cols[MX_MAX_COLUMNS];
	size_t n = mx_columns_fit(mx_stats_columns, mx_nr_stats_columns, 0, cols);
	char line[MX_LINE_MAX * 2], a[MX_FMT_LEN], b[MX_FMT_LEN], c[MX_FMT_LEN];
	struct mx_column wide[MX_MAX_COLUMNS];

	mx_columns_widen(cols, n, wide, m);
	mx_format_line(line, sizeof(line), cols, n, NULL, 0);
	fprintf(out, "%s\n", line);
	for (size_t i = 0; i < m->nr_shown; i++) {
		mx_format_line(line, sizeof(line), cols, n, m->order[i], 0);
		fprintf(out, "%s\n", line);
	}
	fprintf(out, "total: %zu records, %" PRIu64 " loads, %" PRIu64 " duplicates "
		"(%" PRIu64 " concurrent, %" PRIu64 " serial, %" PRIu64 " read), "
		"%" PRIu64 " failed, %" PRIu64 " format-refused, wasted %s, avoided %s, waited %s\n",
		m->nr_shown, m->total.loads, mx_counts_u64(&m->total, MX_KEY_DUPS),
		m->total.dup_concurrent, m->total.dup_serial, m->total.dup_read, m->total.failed,
		m->total.format_refused,
		mx_fmt_bytes(a, sizeof(a), m->total.bytes_wasted),
		mx_fmt_bytes(b, sizeof(b), m->total.bytes_avoided),
		mx_fmt_duration(c, sizeof(c), m->total.wait_ns));
}
