// SPDX-License-Identifier: GPL-2.0
/*
 * JSON output. Keys are the attribute names of the YNL spec (the record
 * keys of the architecture's table); numbers are exact; a string the
 * kernel has not reported (module of a file not yet loaded) is null, and
 * so is an attribute an older kernel does not send (a record's claim, which
 * the kernel reports for kernel-module records only, is null for the others
 * too), but for a record's source: without one, the record is a file's.
 * The objects of `monitor -j` are view_events.c's.
 */
#include <errno.h>

#include <json-c/json.h>

#include "cgroup.h"
#include "clock.h"
#include "format.h"
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

#define TASK_JSON_U32(v) json_object_new_uint64(v)
#define TASK_JSON_U64(v) json_object_new_uint64(v)
#define TASK_JSON_STR(v) json_object_new_string(v)

struct json_object *mx_json_task(const struct mx_task *t)
{
	struct json_object *obj;
	const char *path;

	if (!t->has)
		return NULL;
	obj = json_object_new_object();
	if (!obj)
		return NULL;
#define TASK_KEY(field, ATTR, name, type) \
	add(obj, name, t->has & MX_TASK_HAS(ATTR) ? TASK_JSON_##type(t->field) : NULL);
	MX_TASK_ATTRS(TASK_KEY)
#undef TASK_KEY
	path = t->has & MX_TASK_HAS(CGROUP) ? mx_cgroup_path(t->cgroup) : NULL;
	add(obj, "cgroup-path", str_or_null(path));
	return obj;
}

struct json_object *mx_json_record(const struct mx_record *rec)
{
	struct json_object *obj = json_object_new_object();
	char t[MX_FMT_LEN];

	if (!obj)
		return NULL;
	for (int k = 0; k < MX_KEY_RECORD_COUNT; k++) {
		struct json_object *val;

		if (k == MX_KEY_READER)
			val = name_or_number(mx_reader_name(rec->reader), rec->reader);
		else if (k == MX_KEY_SOURCE)
			val = name_or_number(mx_source_name(rec->source), rec->source);
		else if (k == MX_KEY_CLAIM && !rec->has_claim)
			val = NULL;
		else if (k == MX_KEY_CLAIM)
			val = name_or_number(mx_claim_name(rec->claim), rec->claim);
		else if (k == MX_KEY_WAITING && !rec->has_waiting)
			val = NULL;
		else if (mx_key_is_string(k))
			val = str_or_null(mx_record_str(rec, k));
		else
			val = json_object_new_uint64(mx_record_u64(rec, k));
		add(obj, mx_key_name(k), val);
	}
	add(obj, "last-caller", mx_json_task(&rec->last_caller));
	add(obj, "last-seen-time", rec->last_seen ?
	    json_object_new_string(mx_fmt_iso8601(t, sizeof(t),
						  mx_boot_to_real_now(rec->last_seen))) : NULL);
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

struct json_object *mx_json_inactive(uint32_t inactive)
{
	struct json_object *arr = json_object_new_array();
	char buf[MX_INACTIVE_NAME_MAX];

	if (!arr)
		return NULL;
	for (unsigned int bit = 0; bit < MX_INACTIVE_BITS; bit++) {
		struct json_object *name;

		if (!(inactive & 1u << bit))
			continue;
		name = json_object_new_string(mx_inactive_bit_name(bit, buf));
		if (!name || json_object_array_add(arr, name)) {
			json_object_put(name);
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

struct json_object *mx_json_policy(const struct mx_model *m)
{
	struct json_object *obj = json_object_new_object();
	struct json_object *inactive = json_object_new_object();

	if (!obj || !inactive)
		goto fail;
	for (uint32_t r = MX_READER_FIRST; r <= MX_READER_LAST; r++) {
		struct json_object *reasons;

		if (!m->policy_known[r])
			continue;
		add(obj, mx_reader_name(r), name_or_number(mx_mode_name(m->policy[r]), m->policy[r]));
		if (!m->policy_inactive[r])
			continue;
		reasons = mx_json_inactive(m->policy_inactive[r]);
		if (!reasons)
			goto fail;
		add(inactive, mx_reader_name(r), reasons);
	}
	add(obj, "inactive", inactive);
	return obj;
fail:
	json_object_put(inactive);
	json_object_put(obj);
	return NULL;
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
