// SPDX-License-Identifier: GPL-2.0
/*
 * One batch snapshot: the summary of the live view, then every row with
 * every column of the live view, no cell cut (no screen to fit), then a
 * blank line, so successive snapshots read like `top -b` output. The caller
 * flushes it. As JSON, a snapshot is one line: the records `stats -j` prints.
 */
#include "view_batch.h"
#include "view_json.h"
#include "view_table.h"

void mx_view_batch(FILE *out, const struct mx_model *m, int64_t realtime_ns)
{
	const struct mx_column *cols[MX_MAX_COLUMNS];
	size_t n = mx_columns_fit(mx_top_columns, mx_nr_top_columns, 0, cols);
	char summary[MX_SUMMARY_LINES][MX_LINE_MAX], line[MX_LINE_MAX * 2];
	int lines = mx_format_summary(summary, m, realtime_ns);
	struct mx_column wide[MX_MAX_COLUMNS];

	mx_columns_widen(cols, n, wide, m);

	for (int i = 0; i < lines; i++)
		fprintf(out, "%s\n", summary[i]);
	fputc('\n', out);
	mx_format_line(line, sizeof(line), cols, n, NULL, 0);
	fprintf(out, "%s\n", line);
	for (size_t i = 0; i < m->nr_shown; i++) {
		mx_format_line(line, sizeof(line), cols, n, m->order[i], 0);
		fprintf(out, "%s\n", line);
	}
	fputc('\n', out);
}

int mx_view_batch_json(FILE *out, const struct mx_model *m)
{
	return mx_json_print(out, mx_json_records(m), false);
}
