// SPDX-License-Identifier: GPL-2.0
/*
 * The records model. A row is one tracked file, keyed as the kernel keys
 * it: reader, device and inode. Dumps replace the rows' contents and drop
 * rows the kernel no longer has (evicted, reset); events between dumps
 * bump the counters so the live view moves as things happen. A tick closes
 * an interval: deltas are counted against the counters of the previous
 * tick, and a counter that went down (a reset) counts from zero. A
 * filter hides rows from the order, the totals and the rates; the rows
 * stay, so that clearing it shows them with their deltas intact.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

enum key_type { KEY_STR, KEY_U32, KEY_U64, KEY_COUNTS };

#define COUNTER_BIT(c) (1u << MX_COUNTER_##c)

static const struct {
	const char *name;
	enum key_type type;
	enum mx_unit unit;	/* KEY_COUNTS */
	size_t offset;		/* in struct mx_record */
	unsigned int counters;	/* KEY_COUNTS: the sum of these (COUNTER_BIT) */
} keys[MX_KEY_COUNT] = {
#define KEY(k, n, t, f) [k] = { n, t, MX_UNIT_COUNT, offsetof(struct mx_record, f), 0 }
	KEY(MX_KEY_READER,	"reader",	KEY_U32, reader),
	KEY(MX_KEY_MODULE,	"module",	KEY_STR, module),
	KEY(MX_KEY_PATH,	"path",		KEY_STR, path),
	KEY(MX_KEY_INO,		"ino",		KEY_U64, ino),
	KEY(MX_KEY_DEV,		"dev",		KEY_U32, dev),
	KEY(MX_KEY_LAST_SEEN,	"last-seen",	KEY_U64, last_seen),
	KEY(MX_KEY_HOLDER_PID,	"holder-pid",	KEY_U32, holder_pid),
	KEY(MX_KEY_HOLDER_COMM,	"holder-comm",	KEY_STR, holder_comm),
	KEY(MX_KEY_WAITING,	"waiting",	KEY_U32, waiting),
	KEY(MX_KEY_SOURCE,	"source",	KEY_U32, source),
	KEY(MX_KEY_CLAIM,	"claim",	KEY_U32, claim),
#undef KEY
#define COUNTER_KEY(field, ATTR, name, unit, ...) \
	[MX_KEY_##ATTR] = { name, KEY_COUNTS, unit, 0, COUNTER_BIT(ATTR) },
	MX_COUNTERS(COUNTER_KEY)
#undef COUNTER_KEY
	[MX_KEY_DUPS] = { "dups", KEY_COUNTS, MX_UNIT_COUNT, 0, COUNTER_BIT(DUP_CONCURRENT) |
			  COUNTER_BIT(DUP_SERIAL) | COUNTER_BIT(DUP_READ) },
	[MX_KEY_DUP_BYTES] = { "dup-bytes", KEY_COUNTS, MX_UNIT_BYTES, 0,
			       COUNTER_BIT(BYTES_WASTED) | COUNTER_BIT(BYTES_AVOIDED) },
};

const char *mx_key_name(enum mx_key key)
{
	return key < MX_KEY_COUNT ? keys[key].name : NULL;
}

int mx_key_parse(const char *name, enum mx_key *key)
{
	for (int k = 0; k < MX_KEY_COUNT; k++) {
		if (!strcmp(keys[k].name, name)) {
			*key = k;
			return 0;
		}
	}
	return -1;
}

const char *mx_key_list(void)
{
	static char list[512];
	size_t pos = 0;

	if (!list[0])
		for (int k = 0; k < MX_KEY_COUNT; k++)
			pos += snprintf(list + pos, sizeof(list) - pos, "%s%s", k ? ", " : "",
					keys[k].name);
	return list;
}

bool mx_key_is_string(enum mx_key key)
{
	return keys[key].type == KEY_STR;
}

bool mx_key_is_counter(enum mx_key key)
{
	return keys[key].type == KEY_COUNTS;
}

int mx_sort_parse(const char *text, enum mx_key *key, bool *by_growth)
{
	bool growth = text[0] == '+';
	enum mx_key k;

	if (mx_key_parse(text + growth, &k) || (growth && !mx_key_is_counter(k)))
		return -1;
	*key = k;
	*by_growth = growth;
	return 0;
}

enum mx_unit mx_key_unit(enum mx_key key)
{
	return keys[key].unit;
}

uint64_t mx_counts_u64(const struct mx_counts *c, enum mx_key key)
{
	uint64_t sum = 0;

	for (int i = 0; i < MX_NR_COUNTERS; i++)
		if (keys[key].counters & 1u << i)
			sum += c->v[i];
	return sum;
}

uint64_t mx_record_u64(const struct mx_record *rec, enum mx_key key)
{
	const char *p = (const char *)rec + keys[key].offset;
	uint32_t v32;
	uint64_t v64;

	switch (keys[key].type) {
	case KEY_U32:
		memcpy(&v32, p, sizeof(v32));
		return v32;
	case KEY_U64:
		memcpy(&v64, p, sizeof(v64));
		return v64;
	case KEY_COUNTS:
		return mx_counts_u64(&rec->counts, key);
	default:
		return 0;
	}
}

const char *mx_record_str(const struct mx_record *rec, enum mx_key key)
{
	return keys[key].type == KEY_STR ? (const char *)rec + keys[key].offset : NULL;
}

bool mx_filter_match(const struct mx_filter *f, const struct mx_filter_subject *subject)
{
	if (f->reader && subject->reader != f->reader)
		return false;
	if (f->module[0] && subject->module && fnmatch(f->module, subject->module, 0))
		return false;
	if (f->pid && subject->has_pid && subject->pid != f->pid)
		return false;
	/* A task whose command is unknown does not match a command glob. */
	if (f->comm[0] && subject->has_pid && (!subject->comm || fnmatch(f->comm, subject->comm, 0)))
		return false;
	return true;
}

/* A task's command as a filter subject's: NULL when the kernel did not say it. */
static const char *task_comm(const struct mx_task *t)
{
	return t->has & MX_TASK_HAS(COMM) ? t->comm : NULL;
}

bool mx_filter_record(const struct mx_filter *f, const struct mx_record *rec)
{
	const struct mx_task *caller = &rec->last_caller;
	struct mx_filter_subject subject = {
		.reader = rec->reader,
		.module = rec->module,
		.comm = rec->holder_comm,
		.pid = rec->holder_pid,
		.has_pid = true,
	};

	if (mx_filter_match(f, &subject))
		return true;
	/* PID and command of one task: the holder's both, or the caller's both. */
	if (!(caller->has & MX_TASK_HAS(PID)))
		return false;
	subject.comm = task_comm(caller);
	subject.pid = caller->pid;
	return mx_filter_match(f, &subject);
}

bool mx_filter_event(const struct mx_filter *f, const struct mx_event *ev, const char *comm)
{
	const struct mx_task *caller = &ev->dup.caller;
	struct mx_filter_subject subject;

	if (ev->type == MX_EVENT_RESET)
		return true;
	if (ev->type == MX_EVENT_POLICY)
		subject = (struct mx_filter_subject){ .reader = ev->policy.reader };
	else
		subject = (struct mx_filter_subject){
			.reader = ev->dup.reader,
			.module = ev->dup.module,
			.comm = task_comm(caller) ? task_comm(caller) : comm,
			.pid = ev->dup.pid ? ev->dup.pid : caller->pid,
			.has_pid = true,
		};
	return mx_filter_match(f, &subject);
}

bool mx_filter_active(const struct mx_filter *f)
{
	return f->module[0] || f->comm[0] || f->reader || f->pid;
}

int mx_filter_set_module(struct mx_filter *f, const char *glob)
{
	bool in_brackets = false;
	size_t i;

	if (strlen(glob) >= sizeof(f->module))
		return -1;
	for (i = 0; glob[i]; i++) {
		char c = glob[i];

		if (c == '[' && !in_brackets) {
			in_brackets = true;
			f->module[i] = c;
			/* "[!" negates, and a ']' right after "[" or "[!" does not close. */
			if (glob[i + 1] == '!')
				f->module[++i] = '!';
			if (glob[i + 1] == ']')
				f->module[++i] = ']';
			continue;
		}
		if (c == ']' && in_brackets)
			in_brackets = false;
		else if (c == '-' && !in_brackets)
			c = '_';
		f->module[i] = c;
	}
	f->module[i] = '\0';
	return 0;
}

int mx_filter_set_comm(struct mx_filter *f, const char *glob)
{
	if (strlen(glob) >= sizeof(f->comm))
		return -1;
	strcpy(f->comm, glob);
	return 0;
}

void mx_filter_describe(const struct mx_filter *f, char *buf, size_t len)
{
	int pos = 0;

	buf[0] = '\0';
	if (f->module[0])
		pos += snprintf(buf + pos, len - pos, "%smodule %s", pos ? " " : "", f->module);
	if (f->reader && (size_t)pos < len)
		pos += snprintf(buf + pos, len - pos, "%sreader %s", pos ? " " : "",
				mx_reader_name(f->reader) ? mx_reader_name(f->reader) : "?");
	if (f->pid && (size_t)pos < len)
		pos += snprintf(buf + pos, len - pos, "%spid %u", pos ? " " : "", f->pid);
	if (f->comm[0] && (size_t)pos < len)
		snprintf(buf + pos, len - pos, "%scomm %s", pos ? " " : "", f->comm);
}

static void counts_add(struct mx_counts *sum, const struct mx_counts *c)
{
	for (int i = 0; i < MX_NR_COUNTERS; i++)
		sum->v[i] += c->v[i];
}

/* Growth since @base; a counter below its base was reset and counts from 0. */
static void counts_delta(struct mx_counts *d, const struct mx_counts *now,
			 const struct mx_counts *base)
{
	for (int i = 0; i < MX_NR_COUNTERS; i++)
		d->v[i] = now->v[i] >= base->v[i] ? now->v[i] - base->v[i] : now->v[i];
}

void mx_model_init(struct mx_model *m)
{
	memset(m, 0, sizeof(*m));
	m->sort_key = MX_KEY_DEFAULT;
}

void mx_model_free(struct mx_model *m)
{
	free(m->rows);
	free(m->order);
	free(m->index);
	memset(m, 0, sizeof(*m));
}

/*
 * Rows are found by their identity through an open-addressing index of
 * row numbers (+1; 0 is an empty slot), twice as large as the rows array:
 * a dump of 1024 records must not cost a million comparisons.
 */
static size_t slot_of(const struct mx_model *m, uint32_t reader, uint32_t dev, uint64_t ino)
{
	uint64_t h = ino * 0x9e3779b97f4a7c15ULL ^ ((uint64_t)dev << 8 | reader);

	h ^= h >> 29;
	return h & (m->index_size - 1);
}

static bool row_is(const struct mx_record *r, uint32_t reader, uint32_t dev, uint64_t ino)
{
	return r->reader == reader && r->dev == dev && r->ino == ino;
}

static struct mx_row *find_row(struct mx_model *m, uint32_t reader, uint32_t dev, uint64_t ino)
{
	if (!m->index_size)
		return NULL;
	for (size_t i = slot_of(m, reader, dev, ino); m->index[i];
	     i = (i + 1) & (m->index_size - 1)) {
		struct mx_row *row = &m->rows[m->index[i] - 1];

		if (row_is(&row->rec, reader, dev, ino))
			return row;
	}
	return NULL;
}

static void index_insert(struct mx_model *m, size_t nr)
{
	const struct mx_record *r = &m->rows[nr].rec;
	size_t i = slot_of(m, r->reader, r->dev, r->ino);

	while (m->index[i])
		i = (i + 1) & (m->index_size - 1);
	m->index[i] = nr + 1;
}

static void index_rebuild(struct mx_model *m)
{
	memset(m->index, 0, m->index_size * sizeof(*m->index));
	for (size_t i = 0; i < m->nr_rows; i++)
		index_insert(m, i);
}

/* A new row for @reader, @dev, @ino; NULL when out of memory. */
static struct mx_row *add_row(struct mx_model *m, uint32_t reader, uint32_t dev, uint64_t ino)
{
	struct mx_row *row;

	if (m->nr_rows == m->cap_rows) {
		size_t cap = m->cap_rows ? m->cap_rows * 2 : 64;
		struct mx_row *rows = realloc(m->rows, cap * sizeof(*rows));
		struct mx_row **order;
		uint32_t *index;

		if (!rows)
			return NULL;
		m->rows = rows;
		order = realloc(m->order, cap * sizeof(*order));
		if (!order)
			return NULL;
		m->order = order;
		index = realloc(m->index, 2 * cap * sizeof(*index));
		if (!index)
			return NULL;
		m->index = index;
		m->index_size = 2 * cap;
		m->cap_rows = cap;
		index_rebuild(m);
	}
	row = &m->rows[m->nr_rows];
	memset(row, 0, sizeof(*row));
	row->rec.reader = reader;
	row->rec.dev = dev;
	row->rec.ino = ino;
	index_insert(m, m->nr_rows++);
	/* The order array points into the rows, which may have moved. */
	m->order_stale = true;
	return row;
}

void mx_model_dump_begin(struct mx_model *m)
{
	for (size_t i = 0; i < m->nr_rows; i++)
		m->rows[i].seen = false;
}

int mx_model_dump_add(struct mx_model *m, const struct mx_record *rec)
{
	struct mx_row *row = find_row(m, rec->reader, rec->dev, rec->ino);

	if (!row) {
		row = add_row(m, rec->reader, rec->dev, rec->ino);
		if (!row)
			return -ENOMEM;
	}
	row->rec = *rec;
	row->seen = true;
	m->order_stale = true;
	return 0;
}

void mx_model_dump_end(struct mx_model *m)
{
	size_t kept = 0;

	for (size_t i = 0; i < m->nr_rows; i++) {
		if (m->rows[i].seen)
			m->rows[kept++] = m->rows[i];
	}
	m->nr_rows = kept;
	if (m->index_size)
		index_rebuild(m);
	m->total = (struct mx_counts){ 0 };
	for (size_t i = 0; i < m->nr_rows; i++)
		if (mx_filter_record(&m->filter, &m->rows[i].rec))
			counts_add(&m->total, &m->rows[i].rec.counts);
	mx_model_sort(m);
}

/* Totals, growth and rates of the rows the filter passes. */
static void recount(struct mx_model *m)
{
	memset(&m->total, 0, sizeof(m->total));
	memset(&m->total_delta, 0, sizeof(m->total_delta));
	for (size_t i = 0; i < m->nr_rows; i++) {
		if (!mx_filter_record(&m->filter, &m->rows[i].rec))
			continue;
		counts_add(&m->total, &m->rows[i].rec.counts);
		/* Per row, so that evicted records do not count as negative growth. */
		counts_add(&m->total_delta, &m->rows[i].delta);
	}
	if (m->interval_s > 0) {
		m->rates.dups = mx_counts_u64(&m->total_delta, MX_KEY_DUPS) / m->interval_s;
		m->rates.bytes_avoided = m->total_delta.bytes_avoided / m->interval_s;
		m->rates.bytes_wasted = m->total_delta.bytes_wasted / m->interval_s;
	} else {
		memset(&m->rates, 0, sizeof(m->rates));
	}
}

void mx_model_set_filter(struct mx_model *m, const struct mx_filter *f)
{
	m->filter = *f;
	recount(m);
	mx_model_sort(m);
}

void mx_model_set_policy(struct mx_model *m, uint32_t reader, uint32_t mode, uint32_t inactive)
{
	if (reader < MX_READER_FIRST || reader > MX_READER_LAST)
		return;
	m->policy[reader] = mode;
	m->policy_known[reader] = true;
	m->policy_inactive[reader] = inactive;
}

/* What a duplicate of each kind counts: itself, and the bytes it read or spared. */
static const struct {
	enum mx_counter dups, bytes;
} dup_counters[] = {
	[MODEXCL_DUP_KIND_CONCURRENT]	= { MX_COUNTER_DUP_CONCURRENT, MX_COUNTER_BYTES_AVOIDED },
	[MODEXCL_DUP_KIND_SERIAL]	= { MX_COUNTER_DUP_SERIAL, MX_COUNTER_BYTES_AVOIDED },
	[MODEXCL_DUP_KIND_READ]		= { MX_COUNTER_DUP_READ, MX_COUNTER_BYTES_WASTED },
};

static void count_dup(struct mx_counts *c, const struct mx_dup_event *dup)
{
	/* Other kinds (an exclusive read that waited) only wait. */
	if (dup->kind < sizeof(dup_counters) / sizeof(dup_counters[0])) {
		c->v[dup_counters[dup->kind].dups]++;
		c->v[dup_counters[dup->kind].bytes] += dup->bytes;
	}
	c->wait_ns += dup->wait_ns;
}

static void apply_dup(struct mx_model *m, const struct mx_event *ev)
{
	const struct mx_dup_event *dup = &ev->dup;
	struct mx_row *row = find_row(m, dup->reader, dup->dev, dup->ino);
	bool added = false;

	if (!row) {
		row = add_row(m, dup->reader, dup->dev, dup->ino);
		if (!row)
			return;	/* the next dump brings it */
		row->seen = true;
		added = true;
	}
	if (!row->rec.path[0])
		memcpy(row->rec.path, dup->path, sizeof(row->rec.path));
	if (!row->rec.module[0])
		memcpy(row->rec.module, dup->module, sizeof(row->rec.module));
	count_dup(&row->rec.counts, dup);
	/* The next dump says the same; an older kernel's events say neither. */
	if (dup->caller.has)
		row->rec.last_caller = dup->caller;
	if (ev->has_time && ev->time_ns > row->rec.last_seen)
		row->rec.last_seen = ev->time_ns;
	/* The totals count what the filter shows. */
	if (mx_filter_record(&m->filter, &row->rec))
		count_dup(&m->total, dup);
	/* A new row moved the table; otherwise the order is redone when drawn. */
	if (added)
		mx_model_sort(m);
	else
		m->order_stale = true;
}

uint64_t mx_model_apply(struct mx_model *m, const struct mx_event *ev)
{
	uint64_t missed = 0;

	if (ev->has_seq) {
		if (m->seq_known && ev->seq > m->last_seq + 1)
			missed = ev->seq - m->last_seq - 1;
		if (!m->seq_known || ev->seq > m->last_seq)
			m->last_seq = ev->seq;
		m->seq_known = true;
		m->missed += missed;
	}
	switch (ev->type) {
	case MX_EVENT_DUP:
		apply_dup(m, ev);
		break;
	case MX_EVENT_POLICY:
		mx_model_set_policy(m, ev->policy.reader, ev->policy.mode, ev->policy.inactive);
		break;
	case MX_EVENT_RESET:
		/* The kernel dropped its records: a dump now would find none. */
		mx_model_dump_begin(m);
		mx_model_dump_end(m);
		break;
	}
	return missed;
}

void mx_model_lost(struct mx_model *m)
{
	m->missed++;
	/* The next notification's gap says how many; don't count them twice. */
	m->seq_known = false;
}

void mx_model_tick(struct mx_model *m, uint64_t now_ns)
{
	for (size_t i = 0; i < m->nr_rows; i++) {
		struct mx_row *row = &m->rows[i];
		const struct mx_counts *now = &row->rec.counts;

		if (m->ticks)
			counts_delta(&row->delta, now, &row->base);
		else
			memset(&row->delta, 0, sizeof(row->delta));
		row->base = *now;
	}
	m->interval_s = m->ticks ? (now_ns - m->last_tick_ns) / 1e9 : 0;
	recount(m);
	m->last_tick_ns = now_ns;
	m->ticks++;
}

static int compare_rows(const void *a, const void *b, void *arg)
{
	const struct mx_row *ra = *(const struct mx_row *const *)a;
	const struct mx_row *rb = *(const struct mx_row *const *)b;
	const struct mx_model *m = arg;
	enum mx_key key = m->sort_key;
	int cmp;

	if (mx_key_is_string(key)) {
		/* Strings ascend, numbers descend: the biggest first. */
		cmp = strcmp(mx_record_str(&ra->rec, key), mx_record_str(&rb->rec, key));
	} else {
		uint64_t va = mx_record_u64(&ra->rec, key), vb = mx_record_u64(&rb->rec, key);

		cmp = va > vb ? -1 : va < vb;
		/* The fastest growing first; equal growth, the biggest. */
		if (m->sort_by_growth && mx_key_is_counter(key)) {
			uint64_t ga = mx_counts_u64(&ra->delta, key);
			uint64_t gb = mx_counts_u64(&rb->delta, key);

			if (ga != gb)
				cmp = ga > gb ? -1 : 1;
		}
	}
	if (m->reverse)
		cmp = -cmp;
	if (cmp)
		return cmp;
	/* Ties keep a stable order from one refresh to the next. */
	cmp = strcmp(ra->rec.path, rb->rec.path);
	if (cmp)
		return cmp;
	if (ra->rec.reader != rb->rec.reader)
		return ra->rec.reader < rb->rec.reader ? -1 : 1;
	if (ra->rec.dev != rb->rec.dev)
		return ra->rec.dev < rb->rec.dev ? -1 : 1;
	return ra->rec.ino < rb->rec.ino ? -1 : ra->rec.ino > rb->rec.ino;
}

void mx_model_sort(struct mx_model *m)
{
	m->order_stale = false;
	m->nr_shown = 0;
	for (size_t i = 0; i < m->nr_rows; i++)
		if (mx_filter_record(&m->filter, &m->rows[i].rec))
			m->order[m->nr_shown++] = &m->rows[i];
	if (m->nr_shown)
		qsort_r(m->order, m->nr_shown, sizeof(*m->order), compare_rows, m);
}

void mx_model_sort_if_stale(struct mx_model *m)
{
	if (m->order_stale)
		mx_model_sort(m);
}
