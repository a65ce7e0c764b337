// SPDX-License-Identifier: GPL-2.0
/*
 * The ncurses live view. It draws the model into the whole screen on every
 * refresh (erase and redraw: ncurses sends only what changed), keeps the
 * selected record under the cursor across re-sorts, and maps keys to
 * actions the caller carries out. Colour only when the terminal has it and
 * NO_COLOR is unset (no-color.org).
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "parse.h"
#include "view_table.h"
#include "view_top.h"

enum { PAIR_HEADER = 1, PAIR_TITLE, PAIR_PROMPT };

static const char *const help_lines[] = {
	"modexcl top: keys",
	"",
	"  q           quit (also Ctrl-C)",
	"  s  >        sort by the next key",
	"  <           sort by the previous key",
	"  r           reverse the sort order",
	"  +           sort by the key's growth over the last interval, or not",
	"  Up Down     select a record (also k j, PgUp PgDn, Home End)",
	"  p           cycle the policy of the selected record's reader;",
	"              asks y/n before it changes anything",
	"  /  f        show only modules matching a glob (a '-' matches '_');",
	"              Enter applies, an empty glob shows all, Esc cancels",
	"  d           change the refresh interval (seconds, '.' as the point)",
	"  space       refresh now",
	"  ?  h        this help; any key closes it",
};

/* A size from the environment: 1 to 9999 in plain digits, else 0. */
static int env_size(const char *value)
{
	int v = 0;

	if (!value || !*value)
		return 0;
	for (const char *p = value; *p; p++) {
		if (*p < '0' || *p > '9' || v > 999)
			return 0;
		v = v * 10 + (*p - '0');
	}
	return v;
}

void mx_top_pick_size(int tty_cols, int tty_lines, const char *env_cols, const char *env_lines,
		      int *cols, int *lines)
{
	*cols = tty_cols > 0 ? tty_cols : env_size(env_cols);
	*lines = tty_lines > 0 ? tty_lines : env_size(env_lines);
	if (*cols <= 0)
		*cols = 80;
	if (*lines <= 0)
		*lines = 24;
}

void mx_top_term_size(int *cols, int *lines)
{
	struct winsize ws = { 0 };

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws))
		ws = (struct winsize){ 0 };
	mx_top_pick_size(ws.ws_col, ws.ws_row, getenv("COLUMNS"), getenv("LINES"), cols, lines);
}

int mx_top_view_open(struct mx_top_state *st)
{
	const char *no_color = getenv("NO_COLOR");

	int cols, lines;

	if (!initscr())
		return -1;
	/* ncurses may guess otherwise on a 0x0 terminal (TERM=linux has no size). */
	mx_top_term_size(&cols, &lines);
	if (cols != COLS || lines != LINES)
		resizeterm(lines, cols);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	st->color = has_colors() && !(no_color && no_color[0]);
	if (st->color) {
		start_color();
		use_default_colors();
		init_pair(PAIR_HEADER, COLOR_BLACK, COLOR_CYAN);
		init_pair(PAIR_TITLE, COLOR_CYAN, -1);
		init_pair(PAIR_PROMPT, COLOR_YELLOW, -1);
	}
	return 0;
}

void mx_top_view_close(void)
{
	if (!isendwin())
		endwin();
}

void mx_top_view_resize(void)
{
	int cols, lines;

	mx_top_term_size(&cols, &lines);
	resize_term(lines, cols);
	clearok(curscr, TRUE);
}

int mx_top_view_key(void)
{
	int ch = getch();

	return ch == ERR ? -1 : ch;
}

static void remember_selection(struct mx_top_state *st, const struct mx_model *m)
{
	if (st->selected < m->nr_shown) {
		const struct mx_record *r = &m->order[st->selected]->rec;

		st->sel.reader = r->reader;
		st->sel.dev = r->dev;
		st->sel.ino = r->ino;
		st->sel.valid = true;
	} else {
		st->sel.valid = false;
	}
}

/* Find the selected record again after the rows moved. */
static void follow_selection(struct mx_top_state *st, const struct mx_model *m)
{
	if (st->sel.valid) {
		for (size_t i = 0; i < m->nr_shown; i++) {
			const struct mx_record *r = &m->order[i]->rec;

			if (r->reader == st->sel.reader && r->dev == st->sel.dev &&
			    r->ino == st->sel.ino) {
				st->selected = i;
				return;
			}
		}
	}
	if (st->selected >= m->nr_shown)
		st->selected = m->nr_shown ? m->nr_shown - 1 : 0;
	remember_selection(st, m);
}

static void move_selection(struct mx_top_state *st, const struct mx_model *m, long by)
{
	long sel = (long)st->selected + by;

	if (!m->nr_shown)
		return;
	if (sel < 0)
		sel = 0;
	if (sel >= (long)m->nr_shown)
		sel = m->nr_shown - 1;
	st->selected = sel;
	remember_selection(st, m);
}

static enum mx_top_action ask_policy(struct mx_top_state *st, const struct mx_model *m)
{
	uint32_t reader, mode;

	if (st->selected >= m->nr_shown) {
		snprintf(st->status, sizeof(st->status),
			 "no record selected: p changes the policy of the selected record's reader");
		return MX_TOP_REDRAW;
	}
	reader = m->order[st->selected]->rec.reader;
	if (reader < MX_READER_FIRST || reader > MX_READER_LAST || !m->policy_known[reader]) {
		snprintf(st->status, sizeof(st->status), "the policy of this reader is unknown");
		return MX_TOP_REDRAW;
	}
	mode = mx_mode_next(reader, m->policy[reader]);
	st->confirm = true;
	st->confirm_reader = reader;
	st->confirm_mode = mode;
	snprintf(st->status, sizeof(st->status), "set the policy of %s from %s to %s? [y/n]",
		 mx_reader_name(reader), mx_mode_name(m->policy[reader]), mx_mode_name(mode));
	return MX_TOP_REDRAW;
}

static void sort_by(struct mx_top_state *st, struct mx_model *m, int step)
{
	m->sort_key = (m->sort_key + MX_KEY_COUNT + step) % MX_KEY_COUNT;
	mx_model_sort(m);
	follow_selection(st, m);
	snprintf(st->status, sizeof(st->status), "sort by %s%s",
		 m->sort_by_growth && mx_key_is_counter(m->sort_key) ? "+" : "",
		 mx_key_name(m->sort_key));
}

static void sort_by_growth(struct mx_top_state *st, struct mx_model *m)
{
	const char *key = mx_key_name(m->sort_key);

	if (!mx_key_is_counter(m->sort_key)) {
		snprintf(st->status, sizeof(st->status), "%s does not grow: + sorts a counter "
			 "key by its growth (s changes the key)", key);
		return;
	}
	m->sort_by_growth = !m->sort_by_growth;
	mx_model_sort(m);
	follow_selection(st, m);
	if (m->sort_by_growth)
		snprintf(st->status, sizeof(st->status), "sort by the growth of %s over the last "
			 "interval", key);
	else
		snprintf(st->status, sizeof(st->status), "sort by %s", key);
}

static void filter_prompt(struct mx_top_state *st)
{
	snprintf(st->status, sizeof(st->status), "module glob (Enter applies, empty shows all, "
		 "Esc cancels): %s", st->filter_input);
}

static void apply_module_filter(struct mx_top_state *st, struct mx_model *m)
{
	struct mx_filter f = m->filter;
	char text[192];		/* all four criteria fit */

	mx_filter_set_module(&f, st->filter_input);
	mx_model_set_filter(m, &f);
	follow_selection(st, m);
	mx_filter_describe(&m->filter, text, sizeof(text));
	if (text[0])
		snprintf(st->status, sizeof(st->status), "filter %s: %zu of %zu records", text,
			 m->nr_shown, m->nr_rows);
	else
		snprintf(st->status, sizeof(st->status), "no filter: %zu records", m->nr_rows);
}

enum line_edit { LINE_CHANGED, LINE_DONE, LINE_CANCELLED, LINE_IGNORED };

/* A key while the bottom line reads text into @buf. */
static enum line_edit edit_line(char *buf, size_t size, int key)
{
	size_t len = strlen(buf);

	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		return LINE_DONE;
	case 27:	/* Esc */
		return LINE_CANCELLED;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (len)
			buf[len - 1] = '\0';
		return LINE_CHANGED;
	default:
		if (key < ' ' || key > '~' || len + 1 >= size)
			return LINE_IGNORED;
		buf[len] = key;
		buf[len + 1] = '\0';
		return LINE_CHANGED;
	}
}

/* A key while the bottom line reads a module glob. */
static enum mx_top_action edit_filter(struct mx_top_state *st, struct mx_model *m, int key)
{
	switch (edit_line(st->filter_input, sizeof(st->filter_input), key)) {
	case LINE_DONE:
		st->editing_filter = false;
		apply_module_filter(st, m);
		return MX_TOP_REDRAW;
	case LINE_CANCELLED:
		st->editing_filter = false;
		snprintf(st->status, sizeof(st->status), "filter unchanged");
		return MX_TOP_REDRAW;
	case LINE_IGNORED:
		return MX_TOP_NONE;
	default:
		filter_prompt(st);
		return MX_TOP_REDRAW;
	}
}

/* Seconds as the command line writes them, whatever the locale: "2", "0.25". */
static void format_seconds(char *buf, size_t len, double secs)
{
	unsigned long long ms = secs * 1000 + 0.5;
	char *end;

	snprintf(buf, len, "%llu.%03llu", ms / 1000, ms % 1000);
	end = buf + strlen(buf);
	while (end[-1] == '0')
		*--end = '\0';
	if (end[-1] == '.')
		end[-1] = '\0';
}

static void interval_prompt(struct mx_top_state *st)
{
	char now[32];

	format_seconds(now, sizeof(now), st->interval_s);
	snprintf(st->status, sizeof(st->status), "refresh interval in seconds, now %s (Enter "
		 "applies, Esc cancels): %s", now, st->interval_input);
}

/* A key while the bottom line reads the refresh interval, as -d reads it. */
static enum mx_top_action edit_interval(struct mx_top_state *st, int key)
{
	char text[32];
	double secs;

	switch (edit_line(st->interval_input, sizeof(st->interval_input), key)) {
	case LINE_DONE:
		st->editing_interval = false;
		if (mx_parse_seconds(st->interval_input, MX_TOP_INTERVAL_MIN, MX_TOP_INTERVAL_MAX,
				     &secs)) {
			snprintf(st->status, sizeof(st->status), "interval unchanged: seconds "
				 "from 0.1 to 86400, not '%s'", st->interval_input);
			return MX_TOP_REDRAW;
		}
		st->interval_s = secs;
		format_seconds(text, sizeof(text), secs);
		snprintf(st->status, sizeof(st->status), "refresh every %ss", text);
		return MX_TOP_SET_INTERVAL;
	case LINE_CANCELLED:
		st->editing_interval = false;
		snprintf(st->status, sizeof(st->status), "interval unchanged");
		return MX_TOP_REDRAW;
	case LINE_IGNORED:
		return MX_TOP_NONE;
	default:
		interval_prompt(st);
		return MX_TOP_REDRAW;
	}
}

enum mx_top_action mx_top_handle_key(struct mx_top_state *st, struct mx_model *m, int key)
{
	if (st->editing_filter)
		return edit_filter(st, m, key);
	if (st->editing_interval)
		return edit_interval(st, key);
	if (key == 'q' || key == 'Q')
		return MX_TOP_QUIT;
	if (st->confirm) {
		st->confirm = false;
		if (key == 'y' || key == 'Y') {
			st->status[0] = '\0';
			return MX_TOP_SET_POLICY;
		}
		snprintf(st->status, sizeof(st->status), "policy unchanged");
		return MX_TOP_REDRAW;
	}
	if (st->help) {
		st->help = false;
		return MX_TOP_REDRAW;
	}
	st->status[0] = '\0';
	switch (key) {
	case '?':
	case 'h':
		st->help = true;
		break;
	case 's':
	case '>':
		sort_by(st, m, 1);
		break;
	case '<':
		sort_by(st, m, -1);
		break;
	case '+':
		sort_by_growth(st, m);
		break;
	case 'r':
		m->reverse = !m->reverse;
		mx_model_sort(m);
		follow_selection(st, m);
		break;
	case KEY_UP:
	case 'k':
		move_selection(st, m, -1);
		break;
	case KEY_DOWN:
	case 'j':
		move_selection(st, m, 1);
		break;
	case KEY_PPAGE:
		move_selection(st, m, -(LINES > 2 ? LINES / 2 : 1));
		break;
	case KEY_NPAGE:
		move_selection(st, m, LINES > 2 ? LINES / 2 : 1);
		break;
	case KEY_HOME:
		move_selection(st, m, -(long)m->nr_shown);
		break;
	case KEY_END:
		move_selection(st, m, m->nr_shown);
		break;
	case 'p':
		return ask_policy(st, m);
	case '/':
	case 'f':
		st->editing_filter = true;
		snprintf(st->filter_input, sizeof(st->filter_input), "%s", m->filter.module);
		filter_prompt(st);
		break;
	case 'd':
		st->editing_interval = true;
		st->interval_input[0] = '\0';
		interval_prompt(st);
		break;
	case ' ':
		return MX_TOP_REFRESH;
	case KEY_RESIZE:
		break;
	default:
		return MX_TOP_NONE;
	}
	return MX_TOP_REDRAW;
}

static void put_line(int y, const char *text, attr_t attr)
{
	attron(attr);
	mvaddnstr(y, 0, text, COLS);
	/* Full-width bars for the header and the selection. */
	if (attr & (A_REVERSE | A_COLOR))
		for (int x = getcurx(stdscr); x < COLS && getcury(stdscr) == y; x++)
			addch(' ');
	attroff(attr);
}

static void draw_help(void)
{
	int n = sizeof(help_lines) / sizeof(help_lines[0]);

	for (int i = 0; i < n && 2 + i < LINES - 1; i++)
		put_line(2 + i, help_lines[i], i ? A_NORMAL : A_BOLD);
}

void mx_top_view_draw(struct mx_top_state *st, const struct mx_model *m, int64_t realtime_ns)
{
	const struct mx_column *cols[MX_MAX_COLUMNS];
	char summary[MX_SUMMARY_LINES][MX_LINE_MAX], line[MX_LINE_MAX];
	attr_t header = st->color ? COLOR_PAIR(PAIR_HEADER) : A_REVERSE | A_BOLD;
	int nr_summary, y = 0, rows;
	size_t ncols;

	erase();
	if (COLS < MX_TOP_MIN_COLS || LINES < MX_TOP_MIN_LINES) {
		snprintf(line, sizeof(line), "terminal too small: %dx%d, top needs at least %dx%d",
			 COLS, LINES, MX_TOP_MIN_COLS, MX_TOP_MIN_LINES);
		put_line(0, line, A_BOLD);
		refresh();
		return;
	}
	if (st->help) {
		draw_help();
		refresh();
		return;
	}
	follow_selection(st, m);
	nr_summary = mx_format_summary(summary, m, realtime_ns);
	for (int i = 0; i < nr_summary; i++)
		put_line(y++, summary[i], i ? A_NORMAL : A_BOLD);
	y++;
	ncols = mx_columns_fit(mx_top_columns, mx_nr_top_columns, COLS, cols);
	mx_format_line(line, sizeof(line), cols, ncols, NULL, COLS);
	put_line(y++, line, header);

	rows = LINES - y - 1;
	if (st->selected < st->first)
		st->first = st->selected;
	if (st->selected >= st->first + rows)
		st->first = st->selected - rows + 1;
	if (st->first + rows > m->nr_shown)
		st->first = m->nr_shown > (size_t)rows ? m->nr_shown - rows : 0;
	for (int i = 0; i < rows && st->first + i < m->nr_shown; i++) {
		size_t idx = st->first + i;

		mx_format_line(line, sizeof(line), cols, ncols, m->order[idx], COLS);
		put_line(y + i, line, idx == st->selected ? A_REVERSE : A_NORMAL);
	}
	if (!m->nr_rows)
		put_line(y, "no records yet: nothing has read a file twice", A_NORMAL);

	if (!m->nr_shown && m->nr_rows)
		put_line(y, "no record matches the filter: / changes it", A_NORMAL);

	if (st->status[0])
		put_line(LINES - 1, st->status, st->confirm || st->editing_filter ||
			 st->editing_interval ?
			 (st->color ? COLOR_PAIR(PAIR_PROMPT) | A_BOLD : A_BOLD) : A_NORMAL);
	else
		put_line(LINES - 1, "q quit  s/</> sort  r reverse  / filter  p policy  ? help",
			 st->color ? COLOR_PAIR(PAIR_TITLE) : A_DIM);
	refresh();
}
