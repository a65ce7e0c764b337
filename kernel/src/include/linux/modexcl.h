/* SPDX-License-Identifier: GPL-2.0 */
/*
 * modexcl: per-reader policy for kernel_read_file() (shared, exclusive,
 * and hold for kernel modules) and per-file records of duplicate reads.
 *
 * This header is the internal API of the records and events.
 */
#ifndef _LINUX_MODEXCL_H
#define _LINUX_MODEXCL_H

#include <linux/kernel_read_file.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/sched.h>
#include <linux/types.h>

struct file;
struct inode;
struct pid;
struct pid_namespace;

/**
 * enum modexcl_read_mode - how kernel_read_file() treats one reader
 * @MODEXCL_SHARED: stock behaviour.
 * @MODEXCL_EXCLUSIVE: two exclusive reads of the same inode never overlap.
 * @MODEXCL_HOLD: kernel-module only: a load of an unchanged file whose module
 *	is live is refused with -EEXIST before the file is read.
 * @MODEXCL_MODE_MAX: number of modes.
 */
enum modexcl_read_mode {
	MODEXCL_SHARED,
	MODEXCL_EXCLUSIVE,
	MODEXCL_HOLD,
	MODEXCL_MODE_MAX,
};

/**
 * enum modexcl_outcome - where one read or load attempt is counted
 * @MODEXCL_OUTCOME_LOAD: the attempt loaded the module (or, for other
 *	readers, read the file).
 * @MODEXCL_OUTCOME_DUP_CONCURRENT: joined an in-flight load (0 bytes read).
 * @MODEXCL_OUTCOME_DUP_SERIAL: refused by a hold claim (0 bytes read).
 * @MODEXCL_OUTCOME_DUP_READ: read the file, then failed as a duplicate
 *	(MODULE_STATS' FAIL_DUP_MOD_BECOMING or FAIL_DUP_MOD_LOAD).
 * @MODEXCL_OUTCOME_FORMAT_REFUSED: finit_module() without
 *	MODULE_INIT_COMPRESSED_FILE of a compressed file, failed as stock fails
 *	it; the loader is expected to decompress it and retry with
 *	init_module().
 * @MODEXCL_OUTCOME_FAILED: failed for any other reason.
 * @MODEXCL_OUTCOME_MAX: number of outcomes.
 *
 * Every finit_module() attempt that reaches the idempotent path lands in
 * exactly one of these.
 */
enum modexcl_outcome {
	MODEXCL_OUTCOME_LOAD,
	MODEXCL_OUTCOME_DUP_CONCURRENT,
	MODEXCL_OUTCOME_DUP_SERIAL,
	MODEXCL_OUTCOME_DUP_READ,
	MODEXCL_OUTCOME_FORMAT_REFUSED,
	MODEXCL_OUTCOME_FAILED,
	MODEXCL_OUTCOME_MAX,
};

/**
 * enum modexcl_dup_type - kind of a duplicate event
 * @MODEXCL_DUP_CONCURRENT: joined an in-flight load of the same inode.
 * @MODEXCL_DUP_SERIAL: refused by a hold claim before reading.
 * @MODEXCL_DUP_READ: read the whole file before failing as a duplicate.
 * @MODEXCL_DUP_EXCLUSIVE_WAIT: an exclusive read waited for another one.
 */
enum modexcl_dup_type {
	MODEXCL_DUP_CONCURRENT,
	MODEXCL_DUP_SERIAL,
	MODEXCL_DUP_READ,
	MODEXCL_DUP_EXCLUSIVE_WAIT,
};

/* Bytes kept of a record's path, NUL included; longer paths lose their head. */
#define MODEXCL_PATH_LEN	64

/**
 * enum modexcl_notify_action - action passed to modexcl notifier callbacks
 * @MODEXCL_NOTIFY_POLICY: data is a &struct modexcl_policy_event.
 * @MODEXCL_NOTIFY_DUP: data is a &struct modexcl_dup_event.
 * @MODEXCL_NOTIFY_RESET: data is a &struct modexcl_reset_event.
 */
enum modexcl_notify_action {
	MODEXCL_NOTIFY_POLICY,
	MODEXCL_NOTIFY_DUP,
	MODEXCL_NOTIFY_RESET,
};

/**
 * struct modexcl_task_id - a task as it was when it acted
 * @cgroup: id of its cgroup v2 cgroup, 0 without cgroups
 * @pid: tgid in the initial PID namespace
 * @ppid: tgid of its real parent in the initial PID namespace
 * @uid: real uid in the initial user namespace
 * @comm: its comm
 * @parent_comm: its real parent's comm
 *
 * A copy: it stays meaningful after the task is gone (numbers may have
 * been reused since).
 */
struct modexcl_task_id {
	u64 cgroup;
	pid_t pid;
	pid_t ppid;
	uid_t uid;
	char comm[TASK_COMM_LEN];
	char parent_comm[TASK_COMM_LEN];
};

/**
 * struct modexcl_policy_event - a policy change
 * @seq: sequence number shared by all modexcl events, starting at 1
 * @time_ns: CLOCK_BOOTTIME of the change
 * @reader: the reader whose mode changed
 * @old_mode: mode before the change
 * @mode: mode after the change
 * @actor: the task that changed it
 */
struct modexcl_policy_event {
	u64 seq;
	u64 time_ns;
	enum kernel_read_file_id reader;
	enum modexcl_read_mode old_mode;
	enum modexcl_read_mode mode;
	struct modexcl_task_id actor;
};

/**
 * struct modexcl_reset_event - the counters were reset
 * @seq: sequence number shared by all modexcl events
 * @time_ns: CLOCK_BOOTTIME of the reset
 * @actor: the task that reset them
 */
struct modexcl_reset_event {
	u64 seq;
	u64 time_ns;
	struct modexcl_task_id actor;
};

/**
 * struct modexcl_dup_event - one duplicate read or load
 * @seq: sequence number shared by all modexcl events, starting at 1
 * @reader: reader of the file
 * @kind: what kind of duplicate
 * @path: path of the file (possibly left-truncated), never NULL
 * @module: module name if known, else ""
 * @ino: inode number
 * @dev: device of the inode
 * @pid: tgid of the duplicate caller in the initial PID namespace
 * @bytes: bytes wasted (dup-read) or avoided (dup-concurrent, dup-serial)
 * @wait_ns: time the caller waited for the holder
 * @time_ns: CLOCK_BOOTTIME when the attempt was counted
 * @caller: the duplicate caller (current)
 */
struct modexcl_dup_event {
	u64 seq;
	enum kernel_read_file_id reader;
	enum modexcl_dup_type kind;
	const char *path;
	const char *module;
	u64 ino;
	u32 dev;
	pid_t pid;
	u64 bytes;
	u64 wait_ns;
	u64 time_ns;
	struct modexcl_task_id caller;
};

/**
 * struct modexcl_counters - counters of one record, or of the whole table
 * @loads: attempts that loaded (other readers: exclusive reads)
 * @dup_concurrent: callers that joined an in-flight load
 * @dup_serial: loads refused by a hold claim
 * @dup_read: duplicates that read the file before failing
 * @format_refused: finit_module() calls of a compressed file without
 *	MODULE_INIT_COMPRESSED_FILE
 * @failed: attempts that failed for another reason
 * @bytes_wasted: bytes the dup-read attempts cost, as MODULE_STATS counts
 * @bytes_avoided: file bytes not read thanks to dup-concurrent and dup-serial
 * @wait_ns: time duplicates spent waiting for the holder
 *
 * Only u64 members: the records sum and fold it as an array of
 * MODEXCL_NR_COUNTERS u64s, and the netlink family reports it from one
 * table of member offsets, so a counter is added here and in that table.
 */
struct modexcl_counters {
	u64 loads;
	u64 dup_concurrent;
	u64 dup_serial;
	u64 dup_read;
	u64 format_refused;
	u64 failed;
	u64 bytes_wasted;
	u64 bytes_avoided;
	u64 wait_ns;
};

#define MODEXCL_NR_COUNTERS	(sizeof(struct modexcl_counters) / sizeof(u64))

/**
 * struct modexcl_record_snapshot - copy of one record, safe to keep
 * @id: record id, never reused while the kernel runs
 * @reader: reader of the file
 * @module: module name once known, else ""
 * @path: path as opened, d_path() against the init root, left-truncated
 * @ino: inode number
 * @dev: device of the inode
 * @counters: the record's counters
 * @last_seen_ns: CLOCK_BOOTTIME of the latest attempt
 * @holder_pid: holder's tgid in the requested namespace, 0 when the task is
 *	gone or not visible there
 * @holder_comm: holder's comm captured when it took the file, else ""
 * @waiting: callers waiting for the holder now
 * @last_caller: caller of the latest duplicate attempt, pid 0 if none yet
 * @unwatchable: the file's changes cannot be seen here, so no hold claim
 *	can cover it
 */
struct modexcl_record_snapshot {
	unsigned long id;
	enum kernel_read_file_id reader;
	char module[MODULE_NAME_LEN];
	char path[MODEXCL_PATH_LEN];
	u64 ino;
	u32 dev;
	struct modexcl_counters counters;
	u64 last_seen_ns;
	pid_t holder_pid;
	char holder_comm[TASK_COMM_LEN];
	u32 waiting;
	struct modexcl_task_id last_caller;
	bool unwatchable;
};

/**
 * struct modexcl_totals - counters of the whole table
 * @all: sum over live records plus @folded
 * @folded: counters of evicted records and of attempts no record could
 *	hold (table full of referenced records)
 * @records: records in the table
 * @evicted: records evicted to stay within the bound
 * @exclusive_timeouts: exclusive waits that timed out and read as shared
 */
struct modexcl_totals {
	struct modexcl_counters all;
	struct modexcl_counters folded;
	u64 records;
	u64 evicted;
	u64 exclusive_timeouts;
};

struct modexcl_record;

/**
 * struct modexcl_holder - the task that holds a file (a counted pid)
 * @pid: tgid pid reference, or NULL
 * @comm: comm of the task when it took the file
 */
struct modexcl_holder {
	struct pid *pid;
	char comm[TASK_COMM_LEN];
};

#ifdef CONFIG_MODEXCL

/* Records (kernel/modexcl/records.c) */
struct modexcl_record *modexcl_record_get(enum kernel_read_file_id id,
					  struct file *file);
struct modexcl_record *modexcl_record_get_fileless(enum kernel_read_file_id id,
						   u64 ino, const char *path);
void modexcl_record_put(struct modexcl_record *rec);
void modexcl_record_account(struct modexcl_record *rec,
			    enum modexcl_outcome outcome, u64 bytes,
			    u64 wait_ns);
void modexcl_record_note_wait(struct modexcl_record *rec, u64 wait_ns,
			      bool timed_out);
void modexcl_record_wait_begin(struct modexcl_record *rec);
void modexcl_record_wait_end(struct modexcl_record *rec);
void modexcl_record_set_module(struct modexcl_record *rec, const char *name);
void modexcl_record_set_unwatchable(struct modexcl_record *rec);
void modexcl_record_swap_holder(struct modexcl_record *rec,
				struct modexcl_holder *holder);
void modexcl_holder_init(struct modexcl_holder *holder,
			 struct task_struct *task);
void modexcl_holder_release(struct modexcl_holder *holder);
void modexcl_records_module_gone(const char *name);
int modexcl_record_get_next(unsigned long *id,
			    struct modexcl_record_snapshot *out,
			    struct pid_namespace *ns);
unsigned int modexcl_records_generation(void);
void modexcl_records_totals(struct modexcl_totals *out);
void modexcl_records_reset(void);

/* Events (kernel/modexcl/events.c) */
int modexcl_register_notifier(struct notifier_block *nb);
int modexcl_unregister_notifier(struct notifier_block *nb);
void modexcl_announce_policy(struct modexcl_policy_event *ev);
void modexcl_announce_dup(struct modexcl_dup_event *ev);
void modexcl_announce_reset(void);
void modexcl_task_id_current(struct modexcl_task_id *id);
const char *modexcl_dup_kind_name(enum modexcl_dup_type kind);

/* Hold claims (kernel/module/hold.c) */
#ifdef CONFIG_MODULES
bool modexcl_module_claimed(const struct modexcl_record_snapshot *rec);
#else
static inline bool
modexcl_module_claimed(const struct modexcl_record_snapshot *rec)
{
	return false;
}
#endif

#endif /* CONFIG_MODEXCL */

#endif /* _LINUX_MODEXCL_H */
