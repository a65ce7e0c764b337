// SPDX-License-Identifier: GPL-2.0
/*
 * JSON output. Keys are the attribute names of the YNL spec (the record
 * keys of the architecture's table); numbers are exact; a string the
 * kernel has not reported (module of a file not yet loaded) is null.
 */
#include <errno.h>
#include <time.h>

#include <json-c/json.h>

#include "names.h"
#include "view_json.h"

static void add(struct json_object *obj, const char *key, struct json_object *val)
{
	json_object_object_add(obj, key, val);
}

static struct json_object *str_or_null(const char *s)
{
	return s && s[0] ? json_object_new_string(s) : NULL;
}

static struct json_object *name_or_number(const char *name, uint32_t v)
{
	return name ? json_object_new_string(name) : json_object_new_uint64(v);
}

struct json_object *mx_json_record(const struct mx_record *rec)
{
	struct json_object *obj = json_object_new_object();

	if (!obj)
		return NULL;
	for (int k = 0; k < MX_KEY_RECORD_COUNT; k++) {
		struct json_object *val;

		if (k == MX_KEY_READER)
			val = name_or_number(mx_reader_name(rec->reader), rec->reader);
		else if (mx_key_is_string(k))
			val = str_or_null(mx_record_str(rec, k));
		else
			val = json_object_new_uint64(mx_record_u64(rec, k));
		add(obj, mx_key_name(k), val);
	}
	return obj;
}

struct json_object *mx_json_records(const struct mx_model *m)
{
	struct json_object *arr = json_object_new_array_ext(m->nr_shown);

	if (!arr)
		return NULL;
	for (size_t i = 0; i < m->nr_shown; i++) {
		struct json_object *rec = mx_json_record(&m->order[i]->rec);

		if (!rec || json_object_array_add(arr, rec)) {
			json_object_put(rec);
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

struct json_object *mx_json_policy(const struct mx_model *m)
{
	struct json_object *obj = json_object_new_object();

	if (!obj)
		return NULL;
	for (uint32_t r = MX_READER_FIRST; r <= MX_READER_LAST; r++)
		if (m->policy_known[r])
			add(obj, mx_reader_name(r),
			    name_or_number(mx_mode_name(m->policy[r]), m->policy[r]));
	return obj;
}

/* UTC, ISO 8601, milliseconds: "2026-11-24T20:31:02.123Z" */
static struct json_object *timestamp(int64_t realtime_ns)
{
	time_t secs = realtime_ns / 1000000000;
	char buf[80];
	struct tm tm;

	if (!gmtime_r(&secs, &tm))
		return NULL;
	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (int)(realtime_ns / 1000000 % 1000));
	return json_object_new_string(buf);
}

static struct json_object *event_object(const char *event, int64_t realtime_ns)
{
	struct json_object *obj = json_object_new_object();

	if (!obj)
		return NULL;
	add(obj, "time", timestamp(realtime_ns));
	add(obj, "event", json_object_new_string(event));
	return obj;
}

struct json_object *mx_json_event(const struct mx_event *ev, int64_t realtime_ns)
{
	struct json_object *obj;

	if (ev->type == MX_EVENT_DUP) {
		const struct mx_dup_event *d = &ev->dup;

		obj = event_object("dup-ntf", realtime_ns);
		if (!obj)
			return NULL;
		add(obj, "seq", ev->has_seq ? json_object_new_uint64(ev->seq) : NULL);
		add(obj, "reader", name_or_number(mx_reader_name(d->reader), d->reader));
		add(obj, "kind", name_or_number(mx_dup_kind_name(d->kind), d->kind));
		add(obj, "path", str_or_null(d->path));
		add(obj, "module", str_or_null(d->module));
		add(obj, "ino", json_object_new_uint64(d->ino));
		add(obj, "dev", json_object_new_uint64(d->dev));
		add(obj, "pid", json_object_new_uint64(d->pid));
		add(obj, "bytes", json_object_new_uint64(d->bytes));
		add(obj, "wait-ns", json_object_new_uint64(d->wait_ns));
	} else {
		const struct mx_policy_event *p = &ev->policy;

		obj = event_object("policy-ntf", realtime_ns);
		if (!obj)
			return NULL;
		add(obj, "seq", ev->has_seq ? json_object_new_uint64(ev->seq) : NULL);
		add(obj, "reader", name_or_number(mx_reader_name(p->reader), p->reader));
		add(obj, "mode", name_or_number(mx_mode_name(p->mode), p->mode));
		add(obj, "old-mode", p->has_old_mode ?
		    name_or_number(mx_mode_name(p->old_mode), p->old_mode) : NULL);
	}
	return obj;
}

struct json_object *mx_json_missed(uint64_t count, const char *reason, int64_t realtime_ns)
{
	struct json_object *obj = event_object("missed", realtime_ns);

	if (!obj)
		return NULL;
	add(obj, "count", count ? json_object_new_uint64(count) : NULL);
	add(obj, "reason", json_object_new_string(reason));
	return obj;
}

struct json_object *mx_json_resync(const struct mx_model *m, int64_t realtime_ns)
{
	struct json_object *obj = event_object("resync", realtime_ns);
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
	add(obj, "records", records);
	add(obj, "policy", policy);
	return obj;
}

int mx_json_print(FILE *out, struct json_object *obj, bool pretty)
{
	int flags = pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
			     JSON_C_TO_STRING_PLAIN;
	const char *text;
	int ret = 0;

	if (!obj)
		return -ENOMEM;
	text = json_object_to_json_string_ext(obj, flags | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!text)
		ret = -ENOMEM;
	else if (fprintf(out, "%s\n", text) < 0 || fflush(out))
		ret = errno > 0 ? -errno : -EIO;
	json_object_put(obj);
	return ret;
}
