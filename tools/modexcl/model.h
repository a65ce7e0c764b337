/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The records table the views show: the latest dump, updated by events as
 * they arrive, with per-interval deltas, totals, rates and a sort order.
 * It knows nothing of netlink; the commands feed it plain structs.
 */
#ifndef MODEXCL_MODEL_H
#define MODEXCL_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "names.h"
#include "record.h"

/*
 * The sort keys: the record keys, in the order of the spec's record
 * attribute set (the JSON keys; the counters' are named in MX_COUNTERS;
 * last-caller, a nest, is no key), then sums of counters.
 */
enum mx_key {
	MX_KEY_READER,
	MX_KEY_MODULE,
	MX_KEY_PATH,
	MX_KEY_INO,
	MX_KEY_DEV,
	MX_KEY_LOADS,
	MX_KEY_DUP_CONCURRENT,
	MX_KEY_DUP_SERIAL,
	MX_KEY_DUP_READ,
	MX_KEY_BYTES_WASTED,
	MX_KEY_BYTES_AVOIDED,
	MX_KEY_WAIT_NS,
	MX_KEY_LAST_SEEN,
	MX_KEY_FAILED,
	MX_KEY_HOLDER_PID,
	MX_KEY_HOLDER_COMM,
	MX_KEY_WAITING,
	MX_KEY_FORMAT_REFUSED,
	MX_KEY_SOURCE,
	MX_KEY_CLAIM,
	MX_KEY_RECORD_COUNT,			/* the record keys end here */
	MX_KEY_DUPS = MX_KEY_RECORD_COUNT,	/* dup-concurrent + dup-serial + dup-read */
	MX_KEY_DUP_BYTES,			/* bytes-wasted + bytes-avoided */
	MX_KEY_COUNT
};

/*
 * What the duplicates of a file read or would have read: the same under
 * every policy (hold only turns bytes wasted into bytes avoided), so the
 * default order means something under shared, the stock default, too.
 */
#define MX_KEY_DEFAULT MX_KEY_DUP_BYTES

const char *mx_key_name(enum mx_key key);
/* 0 and the key, or -1 for an unknown name. */
int mx_key_parse(const char *name, enum mx_key *key);
/* "reader, module, ...": every key, for error messages. */
const char *mx_key_list(void);
bool mx_key_is_string(enum mx_key key);
/* A counter or a sum of counters: a key that grows, interval by interval. */
bool mx_key_is_counter(enum mx_key key);
/*
 * A sort order: a key, or "+KEY", a counter key's growth over the last
 * interval. 0 and the key, or -1 for an unknown name or a '+' on a key that
 * is no counter.
 */
int mx_sort_parse(const char *text, enum mx_key *key, bool *by_growth);
/* How a counter's key (or a sum's) is shown; MX_UNIT_COUNT for the others. */
enum mx_unit mx_key_unit(enum mx_key key);
/* A numeric key's value (the reader's number for "reader"); 0 for strings. */
uint64_t mx_record_u64(const struct mx_record *rec, enum mx_key key);
/* A counter's key (or a sum's) in @c, such as a row's delta; 0 for other keys. */
uint64_t mx_counts_u64(const struct mx_counts *c, enum mx_key key);
/* A string key's value; NULL for numeric keys. */
const char *mx_record_str(const struct mx_record *rec, enum mx_key key);

#define MX_GLOB_MAX 64

/*
 * Which records the views show, and which events `monitor` prints: every
 * criterion set must match. Unset: "" globs, reader and pid 0.
 */
struct mx_filter {
	char module[MX_GLOB_MAX];	/* fnmatch(3) glob over the module name */
	char comm[MX_GLOB_MAX];		/* glob over the task's command */
	uint32_t reader;
	uint32_t pid;
};

/*
 * What a filter looks at: a record (its holder, or the caller of its latest
 * duplicate) or a notification (the task that made the duplicate). A NULL
 * module or comm, or has_pid false, means the subject has none (a policy
 * change): that criterion is not asked.
 */
struct mx_filter_subject {
	uint32_t reader;
	const char *module;
	const char *comm;
	uint32_t pid;
	bool has_pid;
};

/* The one predicate: does @subject pass @f? */
bool mx_filter_match(const struct mx_filter *f, const struct mx_filter_subject *subject);
/* The record passes with its holder or with the caller of its latest duplicate. */
bool mx_filter_record(const struct mx_filter *f, const struct mx_record *rec);
/*
 * @comm: the duplicating task's command as /proc has it, for an event whose
 * caller the kernel did not name (an older kernel), else NULL. A reset
 * passes every filter: it drops every record.
 */
bool mx_filter_event(const struct mx_filter *f, const struct mx_event *ev, const char *comm);
bool mx_filter_active(const struct mx_filter *f);
/*
 * Set the module glob: kernel module names have '_' where modprobe takes
 * '-' too, so a '-' outside brackets matches '_'. "" clears it. 0, or -1
 * when it is too long.
 */
int mx_filter_set_module(struct mx_filter *f, const char *glob);
int mx_filter_set_comm(struct mx_filter *f, const char *glob);
/* "module snd_* reader firmware pid 42 comm udev*", or "" with none set. */
void mx_filter_describe(const struct mx_filter *f, char *buf, size_t len);

struct mx_row {
	struct mx_record rec;
	struct mx_counts base;	/* the counters at the last tick */
	struct mx_counts delta;	/* their growth over the last interval */
	bool seen;		/* in the dump being merged */
};

struct mx_rates {
	double dups;		/* duplicates per second */
	double bytes_avoided;	/* per second */
	double bytes_wasted;	/* per second */
};

struct mx_model {
	struct mx_row *rows;	/* unordered; @order is the sorted view */
	size_t nr_rows, cap_rows;
	struct mx_row **order;	/* the rows the filter passes, sorted */
	size_t nr_shown;	/* in @order */
	bool order_stale;	/* values changed since the last sort */
	struct mx_filter filter;	/* also limits the totals and rates */
	uint32_t *index;	/* rows by identity (model.c) */
	size_t index_size;

	enum mx_key sort_key;
	bool sort_by_growth;	/* a counter key's growth over the last interval, then its value */
	bool reverse;		/* against the key's natural order */

	struct mx_counts total;		/* now: the last dump plus events since */
	struct mx_counts total_delta;	/* over the last interval */
	struct mx_rates rates;
	double interval_s;		/* length of the last interval */
	uint64_t last_tick_ns;		/* monotonic */
	unsigned long ticks;

	uint32_t policy[MX_READER_LAST + 1];
	bool policy_known[MX_READER_LAST + 1];
	/* Why the mode does not apply now (enum modexcl_inactive), 0 when it does. */
	uint32_t policy_inactive[MX_READER_LAST + 1];

	uint64_t last_seq;	/* of the latest notification */
	bool seq_known;
	uint64_t missed;	/* notifications lost so far */
};

void mx_model_init(struct mx_model *m);
void mx_model_free(struct mx_model *m);

/* Merging a dump: begin, one add per record, end drops what was not seen. */
void mx_model_dump_begin(struct mx_model *m);
int mx_model_dump_add(struct mx_model *m, const struct mx_record *rec);
void mx_model_dump_end(struct mx_model *m);

/*
 * A reader's mode and its inactive flags, as the kernel reports them
 * together (0 from a kernel that has no inactive attribute).
 */
void mx_model_set_policy(struct mx_model *m, uint32_t reader, uint32_t mode, uint32_t inactive);

/*
 * Apply one notification: a duplicate counts and names its file's latest
 * caller, a policy change sets the mode, a reset drops every row. Returns
 * how many notifications were missed before it (a gap in the sequence
 * numbers): the caller should resync.
 */
uint64_t mx_model_apply(struct mx_model *m, const struct mx_event *ev);
/* Notifications lost without a trace (ENOBUFS): count them as at least one. */
void mx_model_lost(struct mx_model *m);

/* End an interval at @now_ns (monotonic): deltas, totals and rates. */
void mx_model_tick(struct mx_model *m, uint64_t now_ns);

/* Show only what @f passes: order, totals and rates follow at once. */
void mx_model_set_filter(struct mx_model *m, const struct mx_filter *f);

/* Recompute @order from the filter, the sort key and direction. */
void mx_model_sort(struct mx_model *m);
/* Only when values changed since the last sort (or rows were added). */
void mx_model_sort_if_stale(struct mx_model *m);

#endif
