/* SPDX-License-Identifier: GPL-2.0 */
/*
 * JSON with json-c: records with the spec's attribute names as keys and
 * exact numbers, and the policy (the events of `monitor -j` are in
 * view_events.h). Every builder returns a new object the caller owns (NULL
 * when out of memory); nothing is printed until a whole document is built,
 * so output is never partial JSON.
 */
#ifndef MODEXCL_VIEW_JSON_H
#define MODEXCL_VIEW_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "model.h"
#include "view_events.h"

struct json_object;

/*
 * A record: the record keys, then "last-caller" (a task, null from an older
 * kernel) and "last-seen-time" (last-seen as UTC ISO 8601, null for 0).
 */
struct json_object *mx_json_record(const struct mx_record *rec);
/* Every record of the model, in its sort order. */
struct json_object *mx_json_records(const struct mx_model *m);
/*
 * {"firmware": "shared", ..., "inactive": {"kernel-module": ["ima-policy"]}}:
 * the mode of each reader whose mode is known, and under "inactive" the
 * readers whose mode does not apply now, with the reasons ({} when every
 * mode applies).
 */
struct json_object *mx_json_policy(const struct mx_model *m);
/*
 * A task: its attributes by their spec names, null for one the kernel did
 * not send, and "cgroup-path" (cgroup.h; null when not found); null for no
 * task at all.
 */
struct json_object *mx_json_task(const struct mx_task *t);
/* ["ima-policy", "bit-7"]: the reasons set in @inactive, [] for 0. */
struct json_object *mx_json_inactive(uint32_t inactive);

/* Print @obj and a newline, flushed, then release it. 0, -ENOMEM, or the failed write's -errno. */
int mx_json_print(FILE *out, struct json_object *obj, bool pretty);

#endif
