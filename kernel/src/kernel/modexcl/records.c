// SPDX-License-Identifier: GPL-2.0-only
/*
 * modexcl records: one bounded table of per-file counters of duplicate
 * reads and module loads, keyed by reader, device and inode. Each record
 * has an id that is never reused, so the netlink dump can resume by id;
 * the least recently used unreferenced record is evicted when the table
 * is full and its counters fold into global totals. Loaders hold a
 * reference on their record across the load.
 */
#define pr_fmt(fmt) "modexcl: " fmt

#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/hashtable.h>
#include <linux/init.h>
#include <linux/ktime.h>
#include <linux/limits.h>
#include <linux/list.h>
#include <linux/modexcl.h>
#include <linux/mutex.h>
#include <linux/path.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "modexcl."

#define RECORDS_DEFAULT_MAX	1024
#define RECORD_HASH_BITS	8

/**
 * struct modexcl_record - counters of one file read by one reader
 * @hash_node: entry in &record_table.hash
 * @lru_node: entry in &record_table.lru, least recently used first
 * @holder: tgid of the task holding the file or that loaded its module
 * @ino: inode number
 * @counters: the record's counters
 * @last_seen_ns: CLOCK_BOOTTIME of the latest attempt
 * @id: never reused id, index in &record_table.ids
 * @dev: device of the inode
 * @refs: callers holding the record; eviction skips referenced records
 * @waiting: callers waiting for the holder now; a reset leaves it alone
 * @reader: enum kernel_read_file_id of the reader
 * @unwatchable: the file's changes cannot be seen here (module files)
 * @holder_comm: comm of @holder when it took the file
 * @module: module name once known
 * @path: path as opened, left-truncated
 * @last_caller: caller of the latest duplicate attempt, pid 0 if none
 *
 * Every field is protected by the owning &record_table.lock; @unwatchable,
 * set once and never cleared, is also read without it (READ_ONCE()) by
 * modexcl_record_set_unwatchable(). Kept within
 * 384 bytes, see table_get().
 */
struct modexcl_record {
	struct hlist_node hash_node;
	struct list_head lru_node;
	struct pid *holder;
	u64 ino;
	struct modexcl_counters counters;
	u64 last_seen_ns;
	u32 id;
	u32 dev;
	u32 refs;
	u32 waiting;
	u8 reader;
	bool unwatchable;
	char holder_comm[TASK_COMM_LEN];
	char module[MODULE_NAME_LEN];
	char path[MODEXCL_PATH_LEN];
	struct modexcl_task_id last_caller;
};

/* Records come from their own cache: 1024 of them stay within 384 KiB. */
static struct kmem_cache *record_cache;

/**
 * struct record_key - what makes a record unique
 * @ino: inode number
 * @dev: device of the inode
 * @reader: enum kernel_read_file_id
 */
struct record_key {
	u64 ino;
	u32 dev;
	u8 reader;
};

/**
 * struct record_table - a bounded set of records
 * @lock: protects every field below and every record in the table
 * @hash: records by key
 * @lru: records, least recently used first
 * @ids: records by id (allocating xarray, ids from 1)
 * @next_id: cursor of the cyclic id allocation
 * @count: records in the table
 * @max: bound on @count
 * @generation: bumped whenever a record is added or removed
 * @folded: counters of evicted records and of untracked attempts
 * @evicted: records evicted so far
 * @exclusive_timeouts: exclusive waits that gave up and read as shared
 */
struct record_table {
	struct mutex lock;	/* protects the table and its records */
	DECLARE_HASHTABLE(hash, RECORD_HASH_BITS);
	struct list_head lru;
	struct xarray ids;
	u32 next_id;
	unsigned int count;
	unsigned int max;
	unsigned int generation;
	struct modexcl_counters folded;
	u64 evicted;
	u64 exclusive_timeouts;
};

static struct record_table records = {
	.lock = __MUTEX_INITIALIZER(records.lock),
	.lru = LIST_HEAD_INIT(records.lru),
	.ids = XARRAY_INIT(records.ids, XA_FLAGS_ALLOC1),
	.max = RECORDS_DEFAULT_MAX,
};
module_param_named(max_records, records.max, uint, 0444);
MODULE_PARM_DESC(max_records, "Bound on the number of per-file records");

static u32 record_key_hash(const struct record_key *key)
{
	return hash_64(key->ino ^ ((u64)key->dev << 32) ^
		       ((u64)key->reader << 56), RECORD_HASH_BITS);
}

static bool record_has_key(const struct modexcl_record *rec,
			   const struct record_key *key)
{
	return rec->ino == key->ino && rec->dev == key->dev &&
	       rec->reader == key->reader;
}

/* Add one attempt to a set of counters. */
static void counters_add(struct modexcl_counters *c,
			 enum modexcl_outcome outcome, u64 bytes, u64 wait_ns)
{
	switch (outcome) {
	case MODEXCL_OUTCOME_LOAD:
		c->loads++;
		break;
	case MODEXCL_OUTCOME_DUP_CONCURRENT:
		c->dup_concurrent++;
		c->bytes_avoided += bytes;
		break;
	case MODEXCL_OUTCOME_DUP_SERIAL:
		c->dup_serial++;
		c->bytes_avoided += bytes;
		break;
	case MODEXCL_OUTCOME_DUP_READ:
		c->dup_read++;
		c->bytes_wasted += bytes;
		break;
	case MODEXCL_OUTCOME_FORMAT_REFUSED:
		c->format_refused++;
		break;
	case MODEXCL_OUTCOME_FAILED:
	case MODEXCL_OUTCOME_MAX:
		c->failed++;
		break;
	}
	c->wait_ns += wait_ns;
}

/* Add every counter of @c to @sum. */
static void counters_sum(struct modexcl_counters *sum,
			 const struct modexcl_counters *c)
{
	const u64 *from = (const u64 *)c;
	u64 *to = (u64 *)sum;
	size_t i;

	BUILD_BUG_ON(sizeof(*c) != MODEXCL_NR_COUNTERS * sizeof(u64));
	for (i = 0; i < MODEXCL_NR_COUNTERS; i++)
		to[i] += from[i];
}

/*
 * Copy @src into @dst (MODEXCL_PATH_LEN bytes). A longer path keeps its
 * tail, the part that names the file, behind a "..." marker.
 */
static void path_copy_tail(char *dst, const char *src)
{
	size_t len = strlen(src);

	if (len < MODEXCL_PATH_LEN) {
		strscpy(dst, src, MODEXCL_PATH_LEN);
		return;
	}
	strscpy(dst, src + len - (MODEXCL_PATH_LEN - 1), MODEXCL_PATH_LEN);
	memcpy(dst, "...", 3);
}

static struct modexcl_record *table_lookup(struct record_table *t,
					   const struct record_key *key)
{
	struct modexcl_record *rec;

	lockdep_assert_held(&t->lock);
	hash_for_each_possible(t->hash, rec, hash_node, record_key_hash(key))
		if (record_has_key(rec, key))
			return rec;
	return NULL;
}

/* Take a reference on a record found in the table; it becomes most recent. */
static void table_ref(struct record_table *t, struct modexcl_record *rec)
{
	lockdep_assert_held(&t->lock);
	rec->refs++;
	list_move_tail(&rec->lru_node, &t->lru);
}

/* Unlink and free an unreferenced record. */
static void table_remove(struct record_table *t, struct modexcl_record *rec)
{
	lockdep_assert_held(&t->lock);
	WARN_ON_ONCE(rec->refs);
	hash_del(&rec->hash_node);
	list_del(&rec->lru_node);
	xa_erase(&t->ids, rec->id);
	put_pid(rec->holder);
	t->count--;
	t->generation++;
	kmem_cache_free(record_cache, rec);
}

/* Evict the least recently used unreferenced record; false if none. */
static bool table_evict_lru(struct record_table *t)
{
	struct modexcl_record *rec;

	lockdep_assert_held(&t->lock);
	list_for_each_entry(rec, &t->lru, lru_node) {
		if (rec->refs)
			continue;
		counters_sum(&t->folded, &rec->counters);
		t->evicted++;
		table_remove(t, rec);
		return true;
	}
	return false;
}

/* Find a record and reference it, or return NULL. */
static struct modexcl_record *table_find_get(struct record_table *t,
					     const struct record_key *key)
{
	struct modexcl_record *rec;

	mutex_lock(&t->lock);
	rec = table_lookup(t, key);
	if (rec)
		table_ref(t, rec);
	mutex_unlock(&t->lock);
	return rec;
}

/*
 * Find or insert the record of @key and reference it. Returns NULL when
 * memory or ids run out, or when every record is referenced and the
 * table is full: the caller's attempt is then counted in the totals only.
 */
static struct modexcl_record *table_get(struct record_table *t,
					const struct record_key *key,
					const char *path)
{
	struct modexcl_record *rec, *new;
	u32 id;

	/* 1024 records must stay within 384 KiB. */
	BUILD_BUG_ON(sizeof(struct modexcl_record) > 384);

	rec = table_find_get(t, key);
	if (rec)
		return rec;

	new = record_cache ? kmem_cache_zalloc(record_cache, GFP_KERNEL) : NULL;
	if (!new)
		return NULL;
	new->ino = key->ino;
	new->dev = key->dev;
	new->reader = key->reader;
	new->refs = 1;
	path_copy_tail(new->path, path);

	mutex_lock(&t->lock);
	rec = table_lookup(t, key);
	if (rec) {
		table_ref(t, rec);
		goto out_unlock;
	}
	if (t->count >= max(t->max, 1U) && !table_evict_lru(t))
		goto out_unlock;
	if (xa_alloc_cyclic(&t->ids, &id, new, XA_LIMIT(1, U32_MAX),
			    &t->next_id, GFP_KERNEL) < 0)
		goto out_unlock;
	new->id = id;
	hash_add(t->hash, &new->hash_node, record_key_hash(key));
	list_add_tail(&new->lru_node, &t->lru);
	t->count++;
	t->generation++;
	rec = new;
	new = NULL;
out_unlock:
	mutex_unlock(&t->lock);
	if (new)
		kmem_cache_free(record_cache, new);
	return rec;
}

static void table_put(struct record_table *t, struct modexcl_record *rec)
{
	mutex_lock(&t->lock);
	WARN_ON_ONCE(!rec->refs);
	rec->refs--;
	mutex_unlock(&t->lock);
}

/* Count one attempt in @rec, or in the folded totals when @rec is NULL. */
static void table_account(struct record_table *t, struct modexcl_record *rec,
			  enum modexcl_outcome outcome, u64 bytes, u64 wait_ns)
{
	lockdep_assert_held(&t->lock);
	if (!rec) {
		counters_add(&t->folded, outcome, bytes, wait_ns);
		return;
	}
	counters_add(&rec->counters, outcome, bytes, wait_ns);
	rec->last_seen_ns = ktime_get_boottime_ns();
}

static void table_totals(struct record_table *t, struct modexcl_totals *out)
{
	struct modexcl_record *rec;

	memset(out, 0, sizeof(*out));
	mutex_lock(&t->lock);
	list_for_each_entry(rec, &t->lru, lru_node)
		counters_sum(&out->all, &rec->counters);
	out->folded = t->folded;
	counters_sum(&out->all, &t->folded);
	out->records = t->count;
	out->evicted = t->evicted;
	out->exclusive_timeouts = t->exclusive_timeouts;
	mutex_unlock(&t->lock);
}

/* Drop unreferenced records, zero the counters of the others. */
static void table_reset(struct record_table *t)
{
	struct modexcl_record *rec, *next;

	mutex_lock(&t->lock);
	list_for_each_entry_safe(rec, next, &t->lru, lru_node) {
		if (rec->refs) {
			memset(&rec->counters, 0, sizeof(rec->counters));
			memset(&rec->last_caller, 0, sizeof(rec->last_caller));
		} else {
			table_remove(t, rec);
		}
	}
	memset(&t->folded, 0, sizeof(t->folded));
	t->evicted = 0;
	t->exclusive_timeouts = 0;
	t->generation++;
	mutex_unlock(&t->lock);
}

/* Path of @file as opened, resolved against the init task's root. */
static void file_record_path(struct file *file, char *out)
{
	const struct path *path = file_user_path(file);
	struct path root;
	char *buf, *p;

	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf) {
		strscpy(out, "?", MODEXCL_PATH_LEN);
		return;
	}
	task_lock(&init_task);
	get_fs_root(init_task.fs, &root);
	task_unlock(&init_task);
	p = __d_path(path, &root, buf, PATH_MAX);
	path_put(&root);
	/* Not reachable from the init root (other mount ns, memfd): as seen. */
	if (IS_ERR_OR_NULL(p))
		p = d_path(path, buf, PATH_MAX);
	path_copy_tail(out, IS_ERR(p) ? "?" : p);
	kfree(buf);
}

/**
 * modexcl_record_get() - find or create the record of a file and reference it
 * @id: the reader
 * @file: the file being read
 *
 * Context: process context, may sleep.
 * Return: the record, referenced, to pass to modexcl_record_put(); or NULL
 * if none could be had (counters then go to the totals: pass NULL on).
 */
struct modexcl_record *modexcl_record_get(enum kernel_read_file_id id,
					  struct file *file)
{
	struct inode *inode = file_inode(file);
	struct record_key key = {
		.ino = inode->i_ino,
		.dev = inode->i_sb->s_dev,
		.reader = id,
	};
	struct modexcl_record *rec;
	char *path;

	rec = table_find_get(&records, &key);
	if (rec)
		return rec;
	path = kmalloc(MODEXCL_PATH_LEN, GFP_KERNEL);
	if (!path)
		return NULL;
	file_record_path(file, path);
	rec = table_get(&records, &key, path);
	kfree(path);
	return rec;
}

/**
 * modexcl_record_get_fileless() - find or create a record that has no file
 * @id: the reader
 * @ino: the record's id among the fileless records of @id
 * @path: what the record shows as its path, e.g. "[init_module]"
 *
 * Fileless records live on device 0, which no file system has, so they
 * never meet the record of a file.
 *
 * Context: process context, may sleep.
 * Return: as modexcl_record_get().
 */
struct modexcl_record *modexcl_record_get_fileless(enum kernel_read_file_id id,
						   u64 ino, const char *path)
{
	struct record_key key = { .ino = ino, .dev = 0, .reader = id };

	return table_get(&records, &key, path);
}

/**
 * modexcl_record_put() - drop a reference taken by modexcl_record_get()
 * @rec: the record, or NULL
 */
void modexcl_record_put(struct modexcl_record *rec)
{
	if (rec)
		table_put(&records, rec);
}

/**
 * modexcl_record_account() - count one attempt and announce duplicates
 * @rec: referenced record of the file, or NULL (totals only)
 * @outcome: where the attempt lands
 * @bytes: bytes wasted (dup-read) or avoided (dup-concurrent, dup-serial)
 * @wait_ns: time the attempt waited for the holder
 *
 * A duplicate outcome makes current the record's last caller, and fires
 * the modexcl_duplicate tracepoint and a MODEXCL_NOTIFY_DUP notification.
 *
 * Context: process context, may sleep.
 */
void modexcl_record_account(struct modexcl_record *rec,
			    enum modexcl_outcome outcome, u64 bytes,
			    u64 wait_ns)
{
	static const enum modexcl_dup_type kinds[] = {
		[MODEXCL_OUTCOME_DUP_CONCURRENT] = MODEXCL_DUP_CONCURRENT,
		[MODEXCL_OUTCOME_DUP_SERIAL] = MODEXCL_DUP_SERIAL,
		[MODEXCL_OUTCOME_DUP_READ] = MODEXCL_DUP_READ,
	};
	char path[MODEXCL_PATH_LEN] = "";
	char module[MODULE_NAME_LEN] = "";
	struct modexcl_dup_event ev = {
		.reader = READING_MODULE,
		.path = path,
		.module = module,
		.bytes = bytes,
		.wait_ns = wait_ns,
	};

	bool dup = outcome == MODEXCL_OUTCOME_DUP_CONCURRENT ||
		   outcome == MODEXCL_OUTCOME_DUP_SERIAL ||
		   outcome == MODEXCL_OUTCOME_DUP_READ;

	if (dup)
		modexcl_task_id_current(&ev.caller);
	mutex_lock(&records.lock);
	table_account(&records, rec, outcome, bytes, wait_ns);
	if (rec) {
		ev.reader = rec->reader;
		ev.ino = rec->ino;
		ev.dev = rec->dev;
		ev.time_ns = rec->last_seen_ns;
		strscpy(path, rec->path);
		strscpy(module, rec->module);
		if (dup)
			rec->last_caller = ev.caller;
	}
	mutex_unlock(&records.lock);

	if (!dup)
		return;
	ev.kind = kinds[outcome];
	ev.pid = ev.caller.pid;
	if (!ev.time_ns)
		ev.time_ns = ktime_get_boottime_ns();
	modexcl_announce_dup(&ev);
}

/**
 * modexcl_record_note_wait() - count and announce an exclusive read's wait
 * @rec: referenced record of the file, or NULL
 * @wait_ns: time waited for the other exclusive reader
 * @timed_out: the wait gave up and the read goes on without exclusion
 *
 * Context: process context, may sleep.
 */
void modexcl_record_note_wait(struct modexcl_record *rec, u64 wait_ns,
			      bool timed_out)
{
	char path[MODEXCL_PATH_LEN] = "";
	struct modexcl_dup_event ev = {
		.kind = MODEXCL_DUP_EXCLUSIVE_WAIT,
		.path = path,
		.module = "",
		.wait_ns = wait_ns,
		.time_ns = ktime_get_boottime_ns(),
	};

	modexcl_task_id_current(&ev.caller);
	ev.pid = ev.caller.pid;
	mutex_lock(&records.lock);
	if (timed_out)
		records.exclusive_timeouts++;
	if (rec) {
		rec->counters.wait_ns += wait_ns;
		rec->last_caller = ev.caller;
		ev.reader = rec->reader;
		ev.ino = rec->ino;
		ev.dev = rec->dev;
		strscpy(path, rec->path);
	} else {
		records.folded.wait_ns += wait_ns;
	}
	mutex_unlock(&records.lock);
	modexcl_announce_dup(&ev);
}

/**
 * modexcl_record_wait_begin() - a caller starts waiting for the holder
 * @rec: referenced record of the file, or NULL
 *
 * Shown as the record's "waiting" until modexcl_record_wait_end(), which
 * must follow on the same record.
 */
void modexcl_record_wait_begin(struct modexcl_record *rec)
{
	if (!rec)
		return;
	mutex_lock(&records.lock);
	rec->waiting++;
	mutex_unlock(&records.lock);
}

/**
 * modexcl_record_wait_end() - a caller stopped waiting for the holder
 * @rec: the record passed to modexcl_record_wait_begin()
 */
void modexcl_record_wait_end(struct modexcl_record *rec)
{
	if (!rec)
		return;
	mutex_lock(&records.lock);
	if (!WARN_ON_ONCE(!rec->waiting))
		rec->waiting--;
	mutex_unlock(&records.lock);
}

/**
 * modexcl_record_set_module() - name the module a record's file holds
 * @rec: referenced record, or NULL
 * @name: module name
 */
void modexcl_record_set_module(struct modexcl_record *rec, const char *name)
{
	if (!rec || !*name)
		return;
	mutex_lock(&records.lock);
	strscpy(rec->module, name);
	mutex_unlock(&records.lock);
}

/**
 * modexcl_record_set_unwatchable() - note that a record's file cannot be
 *	watched
 * @rec: the record, or NULL
 *
 * The file's file system can change it without this kernel seeing the
 * change, so no hold claim can cover it; stats-get says so. The flag is
 * never cleared, so once it is set a load takes no lock for it.
 *
 * Context: process context, may sleep.
 */
void modexcl_record_set_unwatchable(struct modexcl_record *rec)
{
	if (!rec || READ_ONCE(rec->unwatchable))
		return;
	mutex_lock(&records.lock);
	WRITE_ONCE(rec->unwatchable, true);
	mutex_unlock(&records.lock);
}

/**
 * modexcl_holder_init() - capture a task as a holder
 * @holder: filled with a reference on @task's tgid pid and its comm
 * @task: the task
 */
void modexcl_holder_init(struct modexcl_holder *holder,
			 struct task_struct *task)
{
	holder->pid = get_task_pid(task, PIDTYPE_TGID);
	get_task_comm(holder->comm, task);
}

/**
 * modexcl_holder_release() - drop the pid reference of a holder
 * @holder: the holder; its pid becomes NULL
 */
void modexcl_holder_release(struct modexcl_holder *holder)
{
	put_pid(holder->pid);
	holder->pid = NULL;
}

/**
 * modexcl_record_swap_holder() - exchange a record's holder with @holder
 * @rec: referenced record, or NULL (then @holder is left as is)
 * @holder: the new holder; receives the previous one (the references move)
 */
void modexcl_record_swap_holder(struct modexcl_record *rec,
				struct modexcl_holder *holder)
{
	char comm[TASK_COMM_LEN];

	if (!rec)
		return;
	mutex_lock(&records.lock);
	swap(rec->holder, holder->pid);
	memcpy(comm, rec->holder_comm, sizeof(comm));
	memcpy(rec->holder_comm, holder->comm, sizeof(comm));
	memcpy(holder->comm, comm, sizeof(comm));
	mutex_unlock(&records.lock);
}

/**
 * modexcl_records_module_gone() - forget the holders of an unloaded module
 * @name: module name
 *
 * Context: process context, may sleep.
 */
void modexcl_records_module_gone(const char *name)
{
	struct modexcl_record *rec;

	mutex_lock(&records.lock);
	list_for_each_entry(rec, &records.lru, lru_node) {
		if (rec->refs || strcmp(rec->module, name))
			continue;
		put_pid(rec->holder);
		rec->holder = NULL;
		rec->holder_comm[0] = '\0';
	}
	mutex_unlock(&records.lock);
}

/**
 * modexcl_record_get_next() - copy out the record with the lowest id >= *@id
 * @id: where to start; set to the id of the record copied out. The next
 *	call should start at *@id + 1.
 * @out: the copy
 * @ns: PID namespace in which to report the holder
 *
 * The copy is taken under the table lock, so the caller keeps no pointer
 * into the table. Ids are allocated cyclically in 1..U32_MAX and are not
 * reused before that range wraps.
 *
 * Context: process context, may sleep.
 * Return: 0, or -ENOENT when no record has an id >= *@id.
 */
int modexcl_record_get_next(unsigned long *id,
			    struct modexcl_record_snapshot *out,
			    struct pid_namespace *ns)
{
	struct modexcl_record *rec;
	unsigned long index = *id;
	int ret = -ENOENT;

	mutex_lock(&records.lock);
	rec = xa_find(&records.ids, &index, U32_MAX, XA_PRESENT);
	if (rec) {
		memset(out, 0, sizeof(*out));
		out->id = index;
		out->reader = rec->reader;
		strscpy(out->module, rec->module);
		strscpy(out->path, rec->path);
		out->ino = rec->ino;
		out->dev = rec->dev;
		out->counters = rec->counters;
		out->last_seen_ns = rec->last_seen_ns;
		out->waiting = rec->waiting;
		out->last_caller = rec->last_caller;
		out->unwatchable = rec->unwatchable;
		/* The comm outlives the task; the PID does not. */
		if (rec->holder && pid_has_task(rec->holder, PIDTYPE_TGID))
			out->holder_pid = pid_nr_ns(rec->holder, ns);
		strscpy(out->holder_comm, rec->holder_comm);
		*id = index;
		ret = 0;
	}
	mutex_unlock(&records.lock);
	return ret;
}

/**
 * modexcl_records_generation() - generation of the record table
 *
 * Changes whenever a record is added or removed, for
 * nl_dump_check_consistent().
 *
 * Return: the current generation.
 */
unsigned int modexcl_records_generation(void)
{
	unsigned int gen;

	mutex_lock(&records.lock);
	gen = records.generation;
	mutex_unlock(&records.lock);
	return gen;
}

/**
 * modexcl_records_totals() - counters of the whole table
 * @out: filled in
 */
void modexcl_records_totals(struct modexcl_totals *out)
{
	table_totals(&records, out);
}

/**
 * modexcl_records_reset() - zero every counter
 *
 * Unreferenced records are dropped (with their holder references); records
 * held by a load in flight stay, with zeroed counters and no last caller.
 * The reset is announced with current as the actor.
 *
 * Context: process context, may sleep.
 */
void modexcl_records_reset(void)
{
	table_reset(&records);
	modexcl_announce_reset();
}

static int __init modexcl_records_init(void)
{
	record_cache = KMEM_CACHE(modexcl_record, 0);
	if (!record_cache)
		pr_warn("no record cache: duplicates count in the totals only\n");
	return 0;
}
core_initcall(modexcl_records_init);

#if IS_ENABLED(CONFIG_MODEXCL_KUNIT_TEST)
#include "records_test.c"
#endif
