/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Plain structs for what the kernel reports: one tracked file (a stats-get
 * record) and one notification of the monitor group. The netlink layer
 * fills them; the model and the views read them and nothing else.
 */
#ifndef MODEXCL_RECORD_H
#define MODEXCL_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#define MX_PATH_MAX	256	/* longer paths keep their tail, as the kernel's do */
#define MX_MODULE_MAX	64	/* MODULE_NAME_LEN is 56 */
#define MX_COMM_MAX	17	/* TASK_COMM_LEN + 1 */

/* The counters that change over time, summed over records or per record. */
struct mx_counts {
	uint64_t loads;
	uint64_t dup_concurrent;
	uint64_t dup_serial;
	uint64_t dup_read;
	uint64_t bytes_wasted;
	uint64_t bytes_avoided;
	uint64_t wait_ns;
	uint64_t failed;
};

static inline uint64_t mx_counts_dups(const struct mx_counts *c)
{
	return c->dup_concurrent + c->dup_serial + c->dup_read;
}

struct mx_record {
	uint32_t reader;
	char module[MX_MODULE_MAX];	/* "" until known */
	char path[MX_PATH_MAX];
	uint64_t ino;
	uint32_t dev;
	struct mx_counts counts;
	uint64_t last_seen;
	uint32_t holder_pid;
	char holder_comm[MX_COMM_MAX];
};

enum mx_event_type { MX_EVENT_DUP, MX_EVENT_POLICY };

struct mx_dup_event {
	uint32_t reader;
	uint32_t kind;		/* enum modexcl_dup_kind */
	char path[MX_PATH_MAX];
	char module[MX_MODULE_MAX];
	uint64_t ino;
	uint32_t dev;
	uint32_t pid;		/* initial PID namespace */
	uint64_t bytes;
	uint64_t wait_ns;
};

struct mx_policy_event {
	uint32_t reader;
	uint32_t mode;
	uint32_t old_mode;
	bool has_old_mode;
};

struct mx_event {
	enum mx_event_type type;
	uint64_t seq;
	bool has_seq;
	union {
		struct mx_dup_event dup;
		struct mx_policy_event policy;
	};
};

#endif
