/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lines of `monitor`: a notification (dup-ntf, policy-ntf,
 * stats-reset-ntf) with the task that made it, missed
 * notifications and the state a resync found, each as one text line or
 * one JSON object. A notification's fields are described once and both
 * forms are made from that description, so the two cannot drift apart.
 * The JSON builders return a new object the caller owns (NULL when out of
 * memory), printed with mx_json_print().
 */
#ifndef MODEXCL_VIEW_EVENTS_H
#define MODEXCL_VIEW_EVENTS_H

#include <stdint.h>
#include <stdio.h>

#include "model.h"

struct json_object;

/*
 * "2026-12-06 09:12:34.567 dup-ntf seq=41 reader=kernel-module ...", stamped
 * with @realtime_ns: the kernel's time of it as real time
 * (mx_event_realtime()), or its arrival from a kernel that sends none.
 */
void mx_text_event(FILE *out, const struct mx_event *ev, int64_t realtime_ns);
/* The same notification as a JSON object, the time in UTC ISO 8601, and time-ns. */
struct json_object *mx_json_event(const struct mx_event *ev, int64_t realtime_ns);
/* When @ev happened as real time: its kernel time, else @arrival_ns. */
int64_t mx_event_realtime(const struct mx_event *ev, int64_t arrival_ns);

/* Notifications were lost: @count of them (0: unknown), and why. */
void mx_text_missed(FILE *out, uint64_t count, const char *reason, int64_t realtime_ns);
struct json_object *mx_json_missed(uint64_t count, const char *reason, int64_t realtime_ns);

/* The state after a resync: totals and policy (text), records and policy (JSON). */
void mx_text_resync(FILE *out, const struct mx_model *m, int64_t realtime_ns);
struct json_object *mx_json_resync(const struct mx_model *m, int64_t realtime_ns);

#endif
