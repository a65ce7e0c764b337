// SPDX-License-Identifier: GPL-2.0
/*
 * The lines of `monitor`. A notification is a table of fields, one entry
 * per field: its key, where its value is, how it is named, and what the
 * text says when it is missing. The text line prints "key=value" for each
 * and the JSON object adds "key": value, the way iproute2's print_*()
 * helpers print a field once for both outputs. Only the order differs:
 * the text line keeps its own (the path last, where a long one reads best).
 * A task (the caller of a duplicate, who changed a policy or reset the
 * counters) is one field: "caller=insmod[77] caller-parent=bash[70]
 * caller-uid=0 caller-cgroup=/user.slice" in text, an object in JSON.
 */
#include <inttypes.h>
#include <string.h>

#include <json-c/json.h>

#include "clock.h"
#include "format.h"
#include "view_events.h"
#include "view_json.h"
#include "view_table.h"

enum field_type { FIELD_U32, FIELD_U64, FIELD_STR, FIELD_NAME, FIELD_FLAGS, FIELD_TASK };

struct event_field {
	const char *key;		/* text key= and JSON key */
	enum field_type type;
	size_t offset;			/* of the value in struct mx_event */
	const char *(*name)(uint32_t);	/* FIELD_NAME: the value's name, NULL when unknown */
	/* FIELD_FLAGS, a u32: the set flags' names, joined by ',' ("" for none), and as an array. */
	char *(*flags_text)(char *buf, size_t len, uint32_t flags);
	struct json_object *(*flags_json)(uint32_t flags);
	bool (*present)(const struct mx_event *ev);	/* NULL: always there */
	const char *text_absent;	/* the text when it is not there; NULL: no key=value */
	int text_pos;			/* its place in the text line; -1: JSON only */
};

static bool has_seq(const struct mx_event *ev)
{
	return ev->has_seq;
}

static bool has_old_mode(const struct mx_event *ev)
{
	return ev->policy.has_old_mode;
}

static bool has_time(const struct mx_event *ev)
{
	return ev->has_time;
}

#define VALUE(t, member) .type = t, .offset = offsetof(struct mx_event, member)
#define SEQ { "seq", VALUE(FIELD_U64, seq), .present = has_seq, .text_absent = "?" }
#define NAMED(k, member, fn, pos) { k, VALUE(FIELD_NAME, member), .name = fn, .text_pos = pos }
#define TASK(k, member, pos) { k, VALUE(FIELD_TASK, member), .text_pos = pos }
/* The kernel's time: the line's time in text, raw in JSON too. */
#define TIME_NS { "time-ns", VALUE(FIELD_U64, time_ns), .present = has_time, .text_pos = -1 }

/* In the order of the JSON object. */
static const struct event_field dup_fields[] = {
	SEQ,
	NAMED("reader", dup.reader, mx_reader_name, 1),
	NAMED("kind", dup.kind, mx_dup_kind_name, 2),
	{ "path", VALUE(FIELD_STR, dup.path), .text_pos = 10 },
	{ "module", VALUE(FIELD_STR, dup.module), .text_pos = 3 },
	{ "ino", VALUE(FIELD_U64, dup.ino), .text_pos = 9 },
	{ "dev", VALUE(FIELD_U32, dup.dev), .text_pos = 8 },
	{ "pid", VALUE(FIELD_U32, dup.pid), .text_pos = 4 },
	{ "bytes", VALUE(FIELD_U64, dup.bytes), .text_pos = 6 },
	{ "wait-ns", VALUE(FIELD_U64, dup.wait_ns), .text_pos = 7 },
	TASK("caller", dup.caller, 5),
	TIME_NS,
};

static const struct event_field policy_fields[] = {
	SEQ,
	NAMED("reader", policy.reader, mx_reader_name, 1),
	NAMED("mode", policy.mode, mx_mode_name, 2),
	{ "old-mode", VALUE(FIELD_NAME, policy.old_mode), .name = mx_mode_name,
	  .present = has_old_mode, .text_pos = 3 },
	/* Why the mode does not apply now: "-" and [] when it does. */
	{ "inactive", VALUE(FIELD_FLAGS, policy.inactive), .flags_text = mx_inactive_format,
	  .flags_json = mx_json_inactive, .text_pos = 4 },
	TASK("actor", policy.actor, 5),
	TIME_NS,
};

static const struct event_field reset_fields[] = {
	SEQ,
	TASK("actor", reset.actor, 1),
	TIME_NS,
};

#define NR_FIELDS(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *event;
	const struct event_field *fields;
	size_t nr_fields;
} event_types[] = {
	[MX_EVENT_DUP] = { "dup-ntf", dup_fields, NR_FIELDS(dup_fields) },
	[MX_EVENT_POLICY] = { "policy-ntf", policy_fields, NR_FIELDS(policy_fields) },
	[MX_EVENT_RESET] = { "stats-reset-ntf", reset_fields, NR_FIELDS(reset_fields) },
};

static const void *field_at(const struct mx_event *ev, size_t offset)
{
	return (const char *)ev + offset;
}

static bool field_present(const struct mx_event *ev, const struct event_field *f)
{
	return !f->present || f->present(ev);
}

static uint64_t field_number(const struct mx_event *ev, const struct event_field *f)
{
	uint32_t v32;
	uint64_t v64;

	if (f->type == FIELD_U64) {
		memcpy(&v64, field_at(ev, f->offset), sizeof(v64));
		return v64;
	}
	memcpy(&v32, field_at(ev, f->offset), sizeof(v32));
	return v32;
}

/* " KEY=comm[pid] KEY-parent=comm[ppid] KEY-uid=UID KEY-cgroup=PATH": what the kernel said. */
static void text_task(FILE *out, const char *key, const struct mx_task *t)
{
	struct mx_task parent = { 0 };
	char buf[MX_CGROUP_LEN];

	if (!t->has)
		return;		/* an older kernel: the line it always had */
	fprintf(out, " %s=%s", key, mx_fmt_task(buf, sizeof(buf), t));
	if (t->has & MX_TASK_HAS(PPID)) {
		parent.has |= MX_TASK_HAS(PID);
		parent.pid = t->ppid;
	}
	if (t->has & MX_TASK_HAS(PARENT_COMM)) {
		parent.has |= MX_TASK_HAS(COMM);
		memcpy(parent.comm, t->parent_comm, sizeof(parent.comm));
	}
	if (parent.has)
		fprintf(out, " %s-parent=%s", key, mx_fmt_task(buf, sizeof(buf), &parent));
	if (t->has & MX_TASK_HAS(UID))
		fprintf(out, " %s-uid=%" PRIu32, key, t->uid);
	if (t->has & MX_TASK_HAS(CGROUP))
		fprintf(out, " %s-cgroup=%s", key,
			t->cgroup ? mx_fmt_cgroup(buf, sizeof(buf), t->cgroup) : "-");
}

static void text_field(FILE *out, const struct mx_event *ev, const struct event_field *f)
{
	char flags[MX_INACTIVE_LEN];
	const char *s;

	if (!field_present(ev, f)) {
		if (f->text_absent)
			fprintf(out, " %s=%s", f->key, f->text_absent);
		return;
	}
	switch (f->type) {
	case FIELD_STR:
		s = field_at(ev, f->offset);
		fprintf(out, " %s=%s", f->key, s[0] ? s : "-");
		break;
	case FIELD_NAME:
		s = f->name(field_number(ev, f));
		fprintf(out, " %s=%s", f->key, s ? s : "?");
		break;
	case FIELD_FLAGS:
		s = f->flags_text(flags, sizeof(flags), field_number(ev, f));
		fprintf(out, " %s=%s", f->key, s[0] ? s : "-");
		break;
	case FIELD_TASK:
		text_task(out, f->key, field_at(ev, f->offset));
		break;
	default:
		fprintf(out, " %s=%" PRIu64, f->key, field_number(ev, f));
		break;
	}
}

/*
 * Absent or empty: null; a name this tool does not know: its number; flags:
 * an array of their names.
 */
static struct json_object *json_field(const struct mx_event *ev, const struct event_field *f)
{
	const char *s;

	if (!field_present(ev, f))
		return NULL;
	switch (f->type) {
	case FIELD_STR:
		s = field_at(ev, f->offset);
		return s[0] ? json_object_new_string(s) : NULL;
	case FIELD_FLAGS:
		return f->flags_json(field_number(ev, f));
	case FIELD_TASK:
		return mx_json_task(field_at(ev, f->offset));
	case FIELD_NAME:
		s = f->name(field_number(ev, f));
		if (s)
			return json_object_new_string(s);
		/* fall through */
	default:
		return json_object_new_uint64(field_number(ev, f));
	}
}

static void text_head(FILE *out, const char *event, int64_t realtime_ns)
{
	char t[MX_FMT_LEN];

	fprintf(out, "%s %s", mx_fmt_datetime(t, sizeof(t), realtime_ns), event);
}

static struct json_object *json_head(const char *event, int64_t realtime_ns)
{
	struct json_object *obj = json_object_new_object();
	char t[MX_FMT_LEN];

	if (!obj)
		return NULL;
	json_object_object_add(obj, "time",
			       json_object_new_string(mx_fmt_iso8601(t, sizeof(t), realtime_ns)));
	json_object_object_add(obj, "event", json_object_new_string(event));
	return obj;
}

void mx_text_event(FILE *out, const struct mx_event *ev, int64_t realtime_ns)
{
	const struct event_field *fields = event_types[ev->type].fields;
	size_t n = event_types[ev->type].nr_fields;

	text_head(out, event_types[ev->type].event, realtime_ns);
	for (size_t pos = 0; pos < n; pos++)
		for (size_t i = 0; i < n; i++)
			if (fields[i].text_pos == (int)pos)
				text_field(out, ev, &fields[i]);
	fputc('\n', out);
}

struct json_object *mx_json_event(const struct mx_event *ev, int64_t realtime_ns)
{
	const struct event_field *fields = event_types[ev->type].fields;
	struct json_object *obj = json_head(event_types[ev->type].event, realtime_ns);

	for (size_t i = 0; obj && i < event_types[ev->type].nr_fields; i++)
		json_object_object_add(obj, fields[i].key, json_field(ev, &fields[i]));
	return obj;
}

void mx_text_missed(FILE *out, uint64_t count, const char *reason, int64_t realtime_ns)
{
	text_head(out, "missed", realtime_ns);
	if (count)
		fprintf(out, " count=%" PRIu64 " reason=%s\n", count, reason);
	else
		fprintf(out, " count=? reason=%s\n", reason);
}

struct json_object *mx_json_missed(uint64_t count, const char *reason, int64_t realtime_ns)
{
	struct json_object *obj = json_head("missed", realtime_ns);

	if (!obj)
		return NULL;
	json_object_object_add(obj, "count", count ? json_object_new_uint64(count) : NULL);
	json_object_object_add(obj, "reason", json_object_new_string(reason));
	return obj;
}

void mx_text_resync(FILE *out, const struct mx_model *m, int64_t realtime_ns)
{
	char wasted[MX_FMT_LEN], avoided[MX_FMT_LEN], mode[MX_POLICY_LEN];

	text_head(out, "resync", realtime_ns);
	fprintf(out, " records=%zu dups=%" PRIu64 " bytes-wasted=%s bytes-avoided=%s policy",
		m->nr_shown, mx_counts_u64(&m->total, MX_KEY_DUPS),
		mx_fmt_bytes(wasted, sizeof(wasted), m->total.bytes_wasted),
		mx_fmt_bytes(avoided, sizeof(avoided), m->total.bytes_avoided));
	for (uint32_t r = MX_READER_FIRST; r <= MX_READER_LAST; r++) {
		if (!m->policy_known[r])
			continue;
		fprintf(out, " %s=%s", mx_reader_name(r),
			mx_fmt_policy(mode, sizeof(mode), m->policy[r], m->policy_inactive[r]));
	}
	fputc('\n', out);
}

struct json_object *mx_json_resync(const struct mx_model *m, int64_t realtime_ns)
{
	struct json_object *obj = json_head("resync", realtime_ns);
	struct json_object *records, *policy;

	if (!obj)
		return NULL;
	records = mx_json_records(m);
	policy = mx_json_policy(m);
	if (!records || !policy) {
		json_object_put(records);
		json_object_put(policy);
		json_object_put(obj);
		return NULL;
	}
	json_object_object_add(obj, "records", records);
	json_object_object_add(obj, "policy", policy);
	return obj;
}

int64_t mx_event_realtime(const struct mx_event *ev, int64_t arrival_ns)
{
	return ev->has_time ? mx_boot_to_real_now(ev->time_ns) : arrival_ns;
}
