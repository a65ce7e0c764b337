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

/* @family{reader="...",module="..." and the rest of the labels, if any, and "} ". */
static void print_labels(FILE *out, const char *family, const struct labelled_record *set)
{
	fprintf(out, "%s{reader=\"", family);
	mx_prom_label_value(out, set->reader.text);
	fputs("\",module=\"", out);
	mx_prom_label_value(out, set->module);
}

/* One series: the sum of @c over the @n records of one label set. */
static void print_counter(FILE *out, const struct prom_counter *c,
			  const struct labelled_record *set, size_t n)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += set[i].rec->counts.v[c->counter];
	print_labels(out, c->metric, set);
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

/* A record's value for a summed gauge; false when the kernel did not report it. */
typedef bool (*record_value_fn)(const struct mx_record *rec, uint64_t *value);

/* Callers waiting now for the holder of the file. */
static bool waiting_value(const struct mx_record *rec, uint64_t *value)
{
	*value = rec->waiting;
	return rec->has_waiting;
}

/*
 * 1 when a hold claim covers the record now (the next duplicate is refused
 * with EEXIST before it is read). Reported for kernel-module records by a
 * kernel that sends it.
 */
static bool held_claim_value(const struct mx_record *rec, uint64_t *value)
{
	*value = rec->claim == MODEXCL_CLAIM_HELD;
	return rec->has_claim;
}

/*
 * Gauge @name, summed per label set like the counters. A label set has a
 * series when the kernel reported the value for one of its records; the
 * family is left out when it reported it for none (an older kernel).
 */
static void print_summed_gauge(FILE *out, const char *name, const char *help,
			       const struct labelled_record *recs, size_t n,
			       record_value_fn value_of)
{
	bool head = false;

	for (size_t set = 0, next; set < n; set = next) {
		uint64_t sum = 0, value;
		bool reported = false;

		for (next = set; next < n && same_labels(&recs[set], &recs[next]); next++) {
			if (value_of(recs[next].rec, &value)) {
				reported = true;
				sum += value;
			}
		}
		if (!reported)
			continue;
		if (!head)
			print_head(out, name, help, "gauge");
		head = true;
		print_labels(out, name, &recs[set]);
		fprintf(out, "\"} %" PRIu64 "\n", sum);
	}
}

/* One series of a reader's state gauge: a mode, or a reason its mode does not apply. */
struct state_series {
	char value[MX_INACTIVE_NAME_MAX];
	bool on;
};

static int compare_states(const void *a, const void *b)
{
	return strcmp(((const struct state_series *)a)->value,
		      ((const struct state_series *)b)->value);
}

/* @n series of @family for @reader, labelled @label, sorted by value. */
static void print_states(FILE *out, const char *family, uint32_t reader, const char *label,
			 struct state_series *series, size_t n)
{
	struct reader_label r = reader_label(reader);

	qsort(series, n, sizeof(series[0]), compare_states);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%s{reader=\"", family);
		mx_prom_label_value(out, r.text);
		fprintf(out, "\",%s=\"", label);
		mx_prom_label_value(out, series[i].value);
		fprintf(out, "\"} %d\n", series[i].on);
	}
}

/*
 * One series per mode the reader takes, 1 for the one in force: the usual
 * idiom for an enumeration, so that a query needs no regular expression
 * and a change of mode is a change of value, not a new series.
 */
static void print_policy_of(FILE *out, uint32_t reader, uint32_t mode_in_force)
{
	struct state_series modes[MX_MODE_LAST + 2];
	size_t n = 0;

	for (uint32_t mode = 0; mode <= MX_MODE_LAST; mode++) {
		if (!mx_reader_takes_mode(reader, mode))
			continue;
		snprintf(modes[n].value, sizeof(modes[n].value), "%s", mx_mode_name(mode));
		modes[n++].on = mode == mode_in_force;
	}
	/* A mode of a newer kernel keeps its number. */
	if (!mx_reader_takes_mode(reader, mode_in_force) || !mx_mode_name(mode_in_force)) {
		snprintf(modes[n].value, sizeof(modes[n].value), "%" PRIu32, mode_in_force);
		modes[n++].on = true;
	}
	print_states(out, "modexcl_policy", reader, "mode", modes, n);
}

/*
 * One series per reason this tool knows, 1 while it keeps the reader's
 * mode from applying: the same idiom, so an alert is
 * modexcl_policy_inactive == 1. A reason of a newer kernel shows as
 * "bit-N" while it is set.
 */
static void print_inactive_of(FILE *out, uint32_t reader, uint32_t inactive)
{
	struct state_series reasons[MX_INACTIVE_BITS];
	char unknown[MX_INACTIVE_NAME_MAX];
	size_t n = 0;

	for (unsigned int bit = 0; bit < MX_INACTIVE_BITS; bit++) {
		bool on = inactive & 1u << bit;

		if (!on && !mx_inactive_name(bit))
			continue;
		snprintf(reasons[n].value, sizeof(reasons[n].value), "%s",
			 mx_inactive_bit_name(bit, unknown));
		reasons[n++].on = on;
	}
	print_states(out, "modexcl_policy_inactive", reader, "reason", reasons, n);
}

/* A reader whose policy is known and that the filter passes. */
static bool policy_shown(const struct mx_model *m, uint32_t reader)
{
	struct mx_filter_subject subject = { .reader = reader };

	return m->policy_known[reader] && mx_filter_match(&m->filter, &subject);
}

static void print_policy(FILE *out, const struct mx_model *m)
{
	bool head = false;

	/* The readers' names are in alphabetical order: sorted by label value. */
	for (uint32_t r = MX_READER_FIRST; r <= MX_READER_LAST; r++) {
		if (!policy_shown(m, r))
			continue;
		if (!head)
			print_head(out, "modexcl_policy", "Read policy of a reader: 1 for the mode "
				   "in force, 0 for its other modes.", "gauge");
		head = true;
		print_policy_of(out, r, m->policy[r]);
	}
	head = false;
	for (uint32_t r = MX_READER_FIRST; r <= MX_READER_LAST; r++) {
		if (!policy_shown(m, r))
			continue;
		if (!head)
			print_head(out, "modexcl_policy_inactive", "Why the mode of a reader does "
				   "not apply now, its reads running as shared: 1 for each reason "
				   "that holds, 0 for the others.", "gauge");
		head = true;
		print_inactive_of(out, r, m->policy_inactive[r]);
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
	print_summed_gauge(out, "modexcl_waiting_loads", "Callers waiting now for the holder of "
			   "the file: loads joining one in flight and exclusive reads.",
			   recs, m->nr_shown, waiting_value);
	print_summed_gauge(out, "modexcl_held_claims", "Records a hold claim covers now: the "
			   "next duplicate of the file (or image) fails with EEXIST before it is "
			   "read or copied.", recs, m->nr_shown, held_claim_value);
	free(recs);

	print_head(out, "modexcl_records", "Records of the kernel's table that the filters pass.",
		   "gauge");
	fprintf(out, "modexcl_records %zu\n", m->nr_shown);
	print_policy(out, m);
	return 0;
}
