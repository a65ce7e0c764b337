// SPDX-License-Identifier: GPL-2.0
/*
 * Prometheus' text exposition format (0.0.4), as node_exporter's textfile
 * collector reads it: # HELP and # TYPE, counters named _total, no
 * timestamps. Series are labelled by reader and module only, values of
 * bounded sets (see "Cardinality" in modexcl(8)): the records of one label
 * set (one module from two paths, the firmware files) are summed into one
 * series, as an exposition must not repeat one. Series are sorted by their
 * label values, so the same table gives the same text.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "view_prometheus.h"

/* The counter families: runs of counters with one metric name (record.h). */
static const struct prom_counter {
	const char *metric, *kind, *help;
	enum mx_counter counter;
	bool ns_as_seconds;
} counters[] = {
#define PROM_COUNTER(field, ATTR, name, unit, title, width, metric, kind, help) \
	{ metric, kind, help, MX_COUNTER_##ATTR, unit == MX_UNIT_NS },
	MX_COUNTERS(PROM_COUNTER)
#undef PROM_COUNTER
};
#define NR_COUNTERS (sizeof(counters) / sizeof(counters[0]))

/* A reader's label: its name, or its number for one this tool cannot name. */
struct reader_label {
	char text[32];
};

static struct reader_label reader_label(uint32_t reader)
{
	struct reader_label l;
	const char *name = mx_reader_name(reader);

	if (name)
		snprintf(l.text, sizeof(l.text), "%s", name);
	else
		snprintf(l.text, sizeof(l.text), "%" PRIu32, reader);
	return l;
}

/* A record and its labels; runs of equal labels are summed into one series. */
struct labelled_record {
	struct reader_label reader;
	const char *module;	/* "" for a file with no module (firmware, ...) */
	const struct mx_record *rec;
};

static int compare_labels(const void *a, const void *b)
{
	const struct labelled_record *la = a, *lb = b;
	int cmp = strcmp(la->reader.text, lb->reader.text);

	return cmp ? cmp : strcmp(la->module, lb->module);
}

static bool same_labels(const struct labelled_record *a, const struct labelled_record *b)
{
	return !compare_labels(a, b);
}

void mx_prom_label_value(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", out);
		else if (*s == '"')
			fputs("\\\"", out);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
}

static void print_head(FILE *out, const char *family, const char *help, const char *type)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", family, help, family, type);
}

/* Nanoseconds as exact decimal seconds ("1.75"), whatever the locale's decimal point. */
static void print_seconds(FILE *out, uint64_t ns)
{
	char frac[16];
	int len;

	len = snprintf(frac, sizeof(frac), "%09" PRIu64, ns % 1000000000);
	while (len > 0 && frac[len - 1] == '0')
		frac[--len] = '\0';
	fprintf(out, "%" PRIu64 "%s%s", ns / 1000000000, len ? "." : "", frac);
}

/* One series: the sum of @c over the @n records of one label set. */
static void print_counter(FILE *out, const struct prom_counter *c,
			  const struct labelled_record *set, size_t n)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += set[i].rec->counts.v[c->counter];
	fprintf(out, "%s{reader=\"", c->metric);
	mx_prom_label_value(out, set->reader.text);
	fputs("\",module=\"", out);
	mx_prom_label_value(out, set->module);
	if (c->kind)
		fprintf(out, "\",kind=\"%s", c->kind);
	fputs("\"} ", out);
	if (c->ns_as_seconds)
		print_seconds(out, sum);
	else
		fprintf(out, "%" PRIu64, sum);
	fputc('\n', out);
}

static int compare_kinds(const void *a, const void *b)
{
	const struct prom_counter *ca = *(const struct prom_counter *const *)a;
	const struct prom_counter *cb = *(const struct prom_counter *const *)b;

	return strcmp(ca->kind ? ca->kind : "", cb->kind ? cb->kind : "");
}

/* Each family's series by label set, then by kind: sorted by label values. */
static void print_counters(FILE *out, const struct labelled_record *recs, size_t n)
{
	const struct prom_counter *family[NR_COUNTERS];
	size_t first, end;

	if (!n)
		return;		/* a family without series says nothing */
	for (first = 0; first < NR_COUNTERS; first = end) {
		const struct prom_counter *c = &counters[first];

		for (end = first; end < NR_COUNTERS; end++) {
			if (strcmp(counters[end].metric, c->metric))
				break;
			family[end - first] = &counters[end];
		}
		qsort(family, end - first, sizeof(family[0]), compare_kinds);
		print_head(out, c->metric, c->help, "counter");
		for (size_t set = 0, next; set < n; set = next) {
			for (next = set + 1; next < n; next++)
				if (!same_labels(&recs[set], &recs[next]))
					break;
			for (size_t k = 0; k < end - first; k++)
				print_counter(out, family[k], &recs[set], next - set);
		}
	}
}

/* A mode's series of one reader's policy gauge. */
struct mode_series {
	char mode[16];
	bool in_force;
};

static int compare_modes(const void *a, const void *b)
{
	return strcmp(((const struct mode_series *)a)->mode, ((const struct mode_series *)b)->mode);
}

/*
 * One series per mode the reader takes, 1 for the one in force: the usual
 * idiom for an enumeration, so that a query needs no regular expression
 * and a change of mode is a change of value, not a new series.
 */
static void print_policy_of(FILE *out, uint32_t reader, uint32_t mode_in_force)
{
	struct mode_series modes[MX_MODE_LAST + 2];
	struct reader_label label = reader_label(reader);
	size_t n = 0;

	for (uint32_t mode = 0; mode <= MX_MODE_LAST; mode++) {
		if (!mx_reader_takes_mode(reader, mode))
			continue;
		snprintf(modes[n].mode, sizeof(modes[n].mode), "%s", mx_mode_name(mode));
		modes[n++].in_force = mode == mode_in_force;
	}
	/* A mode of a newer kernel keeps its number. */
	if (!mx_reader_takes_mode(reader, mode_in_force) || !mx_mode_name(mode_in_force)) {
		snprintf(modes[n].mode, sizeof(modes[n].mode), "%" PRIu32, mode_in_force);
		modes[n++].in_force = true;
	}
	qsort(modes, n, sizeof(modes[0]), compare_modes);
	for (size_t i = 0; i < n; i++) {
		fputs("modexcl_policy{reader=\"", out);
		mx_prom_label_value(out, label.text);
		fprintf(out, "\",mode=\"%s\"} %d\n", modes[i].mode, modes[i].in_force);
	}
}

static void print_policy(FILE *out, const struct mx_model *m)
{
	bool head = false;

	/* The readers' names are in alphabetical order: sorted by label value. */
	for (uint32_t r = MX_READER_FIRST; r <= MX_READER_LAST; r++) {
		struct mx_filter_subject subject = { .reader = r };

		if (!m->policy_known[r] || !mx_filter_match(&m->filter, &subject))
			continue;
		if (!head)
			print_head(out, "modexcl_policy", "Read policy of a reader: 1 for the mode "
				   "in force, 0 for its other modes.", "gauge");
		head = true;
		print_policy_of(out, r, m->policy[r]);
	}
}

int mx_view_prometheus(FILE *out, const struct mx_model *m)
{
	struct labelled_record *recs = NULL;

	if (m->nr_shown) {
		recs = calloc(m->nr_shown, sizeof(*recs));
		if (!recs)
			return -ENOMEM;
	}
	for (size_t i = 0; i < m->nr_shown; i++) {
		const struct mx_record *rec = &m->order[i]->rec;

		recs[i] = (struct labelled_record){
			.reader = reader_label(rec->reader),
			.module = rec->module,
			.rec = rec,
		};
	}
	if (m->nr_shown)
		qsort(recs, m->nr_shown, sizeof(*recs), compare_labels);
	print_counters(out, recs, m->nr_shown);
	free(recs);

	print_head(out, "modexcl_records", "Records of the kernel's table that the filters pass.",
		   "gauge");
	fprintf(out, "modexcl_records %zu\n", m->nr_shown);
	print_policy(out, m);
	return 0;
}
