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

/* What a counter counts, which says how the text views show it. */
enum mx_unit { MX_UNIT_COUNT, MX_UNIT_BYTES, MX_UNIT_NS };

/*
 * The counters of a record: what grows as files are read again, summed over
 * records and counted per interval. This list is the one place that names
 * them; the netlink parser, the model and the views expand it.
 * X(field, ATTR, name, unit, title, width, metric, kind, help):
 *   field         the member of struct mx_counts
 *   ATTR          the netlink attribute MODEXCL_A_RECORD_ATTR, the sort key MX_KEY_ATTR
 *   name          the spec's attribute name: the JSON key and sort key name
 *   unit          how the text views show it
 *   title, width  its `stats` column, in the order of this list
 *   metric, kind  its Prometheus counter family and kind label (NULL: none);
 *                 a family's counters are adjacent
 *   help          the family's # HELP, on its first counter (else NULL)
 */
#define MX_COUNTERS(X)									\
	X(loads, LOADS, "loads", MX_UNIT_COUNT, "LOADS", 6,				\
	  "modexcl_loads_total", NULL,							\
	  "Reads of the file that went on to a load attempt.")				\
	X(dup_concurrent, DUP_CONCURRENT, "dup-concurrent", MX_UNIT_COUNT, "CONC", 6,	\
	  "modexcl_duplicate_loads_total", "concurrent",				\
	  "Duplicate loads: concurrent joined a load in flight and serial was refused "	\
	  "by hold, reading nothing; read read the file in vain.")			\
	X(dup_serial, DUP_SERIAL, "dup-serial", MX_UNIT_COUNT, "SERIAL", 6,		\
	  "modexcl_duplicate_loads_total", "serial", NULL)				\
	X(dup_read, DUP_READ, "dup-read", MX_UNIT_COUNT, "READ", 6,			\
	  "modexcl_duplicate_loads_total", "read", NULL)				\
	X(failed, FAILED, "failed", MX_UNIT_COUNT, "FAIL", 5,				\
	  "modexcl_failed_loads_total", NULL,						\
	  "Load attempts that read the file and failed for another reason than a "	\
	  "duplicate.")									\
	X(format_refused, FORMAT_REFUSED, "format-refused", MX_UNIT_COUNT, "FMT", 5,	\
	  "modexcl_format_refused_total", NULL,						\
	  "finit_module() calls of a compressed file without "				\
	  "MODULE_INIT_COMPRESSED_FILE, failed as stock fails them and not counted as "	\
	  "failed loads; the loader then decompresses it and retries with "		\
	  "init_module().")								\
	X(bytes_wasted, BYTES_WASTED, "bytes-wasted", MX_UNIT_BYTES, "WASTED", 10,	\
	  "modexcl_bytes_wasted_total", NULL,						\
	  "Bytes read by duplicates of kind read, counted as MODULE_STATS counts them.")	\
	X(bytes_avoided, BYTES_AVOIDED, "bytes-avoided", MX_UNIT_BYTES, "AVOIDED", 10,	\
	  "modexcl_bytes_avoided_total", NULL,						\
	  "File bytes not read thanks to duplicates of kind concurrent and serial.")	\
	X(wait_ns, WAIT_NS, "wait-ns", MX_UNIT_NS, "WAIT", 9,				\
	  "modexcl_wait_seconds_total", NULL,						\
	  "Time duplicates spent waiting for the holder of the file.")

#define MX_COUNTER_INDEX(field, ATTR, ...) MX_COUNTER_##ATTR,
enum mx_counter { MX_COUNTERS(MX_COUNTER_INDEX) MX_NR_COUNTERS };
#undef MX_COUNTER_INDEX

/* The counters, by name or as an array indexed by enum mx_counter. */
struct mx_counts {
	union {
		struct {
#define MX_COUNTER_FIELD(field, ...) uint64_t field;
			MX_COUNTERS(MX_COUNTER_FIELD)
#undef MX_COUNTER_FIELD
		};
		uint64_t v[MX_NR_COUNTERS];
	};
};
_Static_assert(sizeof(struct mx_counts) == MX_NR_COUNTERS * sizeof(uint64_t),
	       "the counters' names and array cover the same memory");

/*
 * A task as the kernel saw it when it acted (the spec's task set): the
 * caller of a duplicate, or whoever changed a policy or reset the counters.
 * This list is the one place that names its attributes; the netlink parser
 * and the views expand it.
 * X(field, ATTR, name, type):
 *   field  the member of struct mx_task
 *   ATTR   the netlink attribute MODEXCL_A_TASK_ATTR, the bit MX_TASK_HAS_ATTR
 *   name   the spec's attribute name: the JSON key
 *   type   U32, U64 or STR (a char array)
 */
#define MX_TASK_ATTRS(X)				\
	X(pid, PID, "pid", U32)				\
	X(comm, COMM, "comm", STR)			\
	X(ppid, PPID, "ppid", U32)			\
	X(parent_comm, PARENT_COMM, "parent-comm", STR)	\
	X(uid, UID, "uid", U32)				\
	X(cgroup, CGROUP, "cgroup", U64)

#define MX_TASK_BIT(field, ATTR, ...) MX_TASK_BIT_##ATTR,
enum { MX_TASK_ATTRS(MX_TASK_BIT) MX_NR_TASK_ATTRS };
#undef MX_TASK_BIT
#define MX_TASK_HAS(ATTR) (1u << MX_TASK_BIT_##ATTR)

struct mx_task {
	unsigned int has;	/* MX_TASK_HAS() of the attributes reported; 0: no task */
	uint32_t pid;		/* initial PID namespace, as ppid */
	char comm[MX_COMM_MAX];
	uint32_t ppid;
	char parent_comm[MX_COMM_MAX];
	uint32_t uid;		/* real uid, initial user namespace */
	uint64_t cgroup;	/* cgroup v2 id: st_ino of its directory; 0 without cgroups */
};

struct mx_record {
	uint32_t reader;
	uint32_t source;	/* enum modexcl_source; file (0) from an older kernel */
	char module[MX_MODULE_MAX];	/* "" until known */
	char path[MX_PATH_MAX];
	uint64_t ino;
	uint32_t dev;
	struct mx_counts counts;
	uint64_t last_seen;
	uint32_t holder_pid;
	char holder_comm[MX_COMM_MAX];
	uint32_t waiting;	/* callers waiting now for the holder */
	bool has_waiting;	/* false from an older kernel */
	uint32_t claim;		/* enum modexcl_claim: does a hold claim cover it now? */
	bool has_claim;		/* false from an older kernel and for other readers */
	struct mx_task last_caller;	/* of the latest duplicate */
};

enum mx_event_type { MX_EVENT_DUP, MX_EVENT_POLICY, MX_EVENT_RESET };

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
	struct mx_task caller;
};

struct mx_policy_event {
	uint32_t reader;
	uint32_t mode;
	uint32_t old_mode;
	bool has_old_mode;
	uint32_t inactive;	/* enum modexcl_inactive flags; 0 when absent (older kernel) */
	struct mx_task actor;	/* who changed it */
};

/* The counters were reset (stats-reset-ntf). */
struct mx_reset_event {
	struct mx_task actor;	/* who reset them */
};

struct mx_event {
	enum mx_event_type type;
	uint64_t seq;
	bool has_seq;
	uint64_t time_ns;	/* CLOCK_BOOTTIME when the kernel counted it */
	bool has_time;		/* false from an older kernel: the arrival stands in */
	union {
		struct mx_dup_event dup;
		struct mx_policy_event policy;
		struct mx_reset_event reset;
	};
};

#endif
