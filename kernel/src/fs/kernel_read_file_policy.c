// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-reader policy of kernel_read_file(): one mode per reader (shared,
 * exclusive, or hold for kernel modules), set by the modexcl.policy= boot
 * parameter, /sys/kernel/modexcl/policy/<reader> or the modexcl netlink
 * family; and the exclusive mode itself, a private inode-keyed table of
 * running exclusive reads with a waitqueue, so that two exclusive reads
 * of one inode never overlap. The state of a read lives on the reader's
 * stack (struct modexcl_read); nothing is attached to the struct file.
 */
#define pr_fmt(fmt) "modexcl: " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/init.h>
#include <linux/kernel_read_file.h>
#include <linux/kernel_read_file_policy.h>
#include <linux/kobject.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/modexcl.h>
#include <linux/mutex.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/wait.h>

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "modexcl."

#define MODE_NAME_MAX		16
#define EXCL_HASH_BITS		6

static const char * const mode_names[] = {
	[MODEXCL_SHARED] = "shared",
	[MODEXCL_EXCLUSIVE] = "exclusive",
	[MODEXCL_HOLD] = "hold",
};

/*
 * The policy: one enum modexcl_read_mode per reader. Read locklessly, once per
 * kernel_read_file() call, with READ_ONCE(); written with WRITE_ONCE()
 * under policy_mutex, which also orders the change notifications.
 * READING_UNKNOWN stays shared.
 */
static u8 policy[READING_MAX_ID] = {
	[READING_MODULE] = IS_ENABLED(CONFIG_MODEXCL_MODULE_HOLD_DEFAULT) ?
			   MODEXCL_HOLD : MODEXCL_SHARED,
};

static DEFINE_MUTEX(policy_mutex);

/*
 * Running exclusive reads, by inode. excl_lock protects excl_reads; an
 * entry lives on its reader's stack from modexcl_read_begin() to
 * modexcl_read_end(). Waiters sleep on excl_wq and retry on every release.
 */
static DEFINE_SPINLOCK(excl_lock);
static struct hlist_head excl_reads[1 << EXCL_HASH_BITS];
static DECLARE_WAIT_QUEUE_HEAD(excl_wq);

/* Bound on an exclusive wait; past it the read goes on as shared. */
static unsigned int exclusive_wait_ms = 10000;
module_param(exclusive_wait_ms, uint, 0644);
MODULE_PARM_DESC(exclusive_wait_ms,
		 "Longest wait of an exclusive read for another one, in ms");

/**
 * modexcl_mode_name() - name of a mode
 * @mode: the mode
 *
 * Return: "shared", "exclusive", "hold", or "unknown".
 */
const char *modexcl_mode_name(enum modexcl_read_mode mode)
{
	if ((unsigned int)mode >= ARRAY_SIZE(mode_names))
		return "unknown";
	return mode_names[mode];
}

/**
 * modexcl_mode_parse() - mode named by a string
 * @buf: the name; one trailing newline is ignored
 *
 * Return: the enum modexcl_read_mode, or -EINVAL.
 */
int modexcl_mode_parse(const char *buf)
{
	int mode = sysfs_match_string(mode_names, buf);

	return mode < 0 ? -EINVAL : mode;
}

/**
 * modexcl_reader_parse() - reader named by a string
 * @buf: a kernel_read_file_id_str() name other than "unknown"; one trailing
 *	newline is ignored
 *
 * Return: the enum kernel_read_file_id, or -EINVAL.
 */
int modexcl_reader_parse(const char *buf)
{
	int id;

	for (id = READING_UNKNOWN + 1; id < READING_MAX_ID; id++)
		if (sysfs_streq(buf, kernel_read_file_id_str(id)))
			return id;
	return -EINVAL;
}

/**
 * modexcl_mode_valid() - whether a reader may have a mode
 * @id: the reader
 * @mode: the mode
 *
 * Return: true for shared and exclusive on every reader but
 * READING_UNKNOWN, and for hold on kernel-module when modules are built.
 */
bool modexcl_mode_valid(enum kernel_read_file_id id,
			enum modexcl_read_mode mode)
{
	if (id <= READING_UNKNOWN || id >= READING_MAX_ID)
		return false;
	switch (mode) {
	case MODEXCL_SHARED:
	case MODEXCL_EXCLUSIVE:
		return true;
	case MODEXCL_HOLD:
		return id == READING_MODULE && IS_ENABLED(CONFIG_MODULES);
	default:
		return false;
	}
}

/**
 * modexcl_policy_get() - the mode of a reader
 * @id: the reader
 *
 * Return: the enum modexcl_read_mode, or -EINVAL for READING_UNKNOWN and ids
 * out of range.
 */
int modexcl_policy_get(enum kernel_read_file_id id)
{
	if (id <= READING_UNKNOWN || id >= READING_MAX_ID)
		return -EINVAL;
	return READ_ONCE(policy[id]);
}

/**
 * modexcl_policy_set() - set the mode of a reader
 * @id: the reader
 * @mode: the new mode
 *
 * The one setter behind sysfs and netlink. A change is announced with
 * MODEXCL_NOTIFY_POLICY; setting the current mode again announces nothing.
 * Reads already running finish in the mode they started with.
 *
 * Context: process context, may sleep.
 * Return: 0, or -EINVAL (nothing changed) if !modexcl_mode_valid().
 */
int modexcl_policy_set(enum kernel_read_file_id id,
		       enum modexcl_read_mode mode)
{
	struct modexcl_policy_event ev = { .reader = id, .mode = mode };

	if (!modexcl_mode_valid(id, mode))
		return -EINVAL;

	mutex_lock(&policy_mutex);
	ev.old_mode = policy[id];
	WRITE_ONCE(policy[id], mode);
	if (ev.old_mode != mode)
		modexcl_announce_policy(&ev);
	mutex_unlock(&policy_mutex);
	return 0;
}

/*
 * Whether hold can apply now, asked of the module loader, which alone
 * knows (kernel/module/hold.c). Set once at core_initcall, before any
 * reader runs and before sysfs or netlink can ask.
 */
static u32 (*hold_gate)(void) __ro_after_init;

static const struct {
	u32 bit;
	const char *name;
} inactive_names[] = {
	{ MODEXCL_INACTIVE_BY_IMA_POLICY, "ima-policy" },
	{ MODEXCL_INACTIVE_BY_NO_LSM_NOTIFIER, "no-lsm-notifier" },
	{ MODEXCL_INACTIVE_BY_NO_FILE_WATCH, "no-file-watch" },
};

/**
 * modexcl_policy_set_hold_gate() - register the module loader's hold gate
 * @gate: returns why hold cannot apply now (MODEXCL_INACTIVE_BY_* bits),
 *	0 when it can
 */
void __init modexcl_policy_set_hold_gate(u32 (*gate)(void))
{
	hold_gate = gate;
}

/**
 * modexcl_mode_inactive() - why a reader's mode does not apply now
 * @id: the reader
 * @mode: its mode, as read by the caller
 *
 * Asked at the moment, as hold asks before every decision: the answer can
 * change with any IMA policy write. While it is not 0, the reader's reads
 * run as shared.
 *
 * Return: MODEXCL_INACTIVE_BY_* bits, 0 when @mode applies.
 */
u32 modexcl_mode_inactive(enum kernel_read_file_id id,
			  enum modexcl_read_mode mode)
{
	if (mode != MODEXCL_HOLD || id != READING_MODULE || !hold_gate)
		return 0;
	return hold_gate();
}

/*
 * Parse one "reader:mode" entry of @len bytes into @table.
 * Return: 0, or -EINVAL with @table untouched.
 */
static int policy_parse_entry(const char *entry, size_t len, u8 *table)
{
	char name[MODE_NAME_MAX + 1];
	const char *colon;
	int id, mode;

	colon = strnchr(entry, len, ':');
	if (!colon || colon - entry > MODE_NAME_MAX ||
	    entry + len - colon - 1 > MODE_NAME_MAX)
		return -EINVAL;
	strscpy(name, entry, colon - entry + 1);
	id = modexcl_reader_parse(name);
	strscpy(name, colon + 1, entry + len - colon);
	mode = modexcl_mode_parse(name);
	if (id < 0 || mode < 0 || !modexcl_mode_valid(id, mode))
		return -EINVAL;
	table[id] = mode;
	return 0;
}

/*
 * Apply a "reader:mode[,reader:mode...]" string to @table. Bad entries
 * are reported and skipped; the readers they name keep their mode.
 * Return: the number of bad entries.
 */
static int policy_parse(const char *str, u8 *table)
{
	int bad = 0;

	while (*str) {
		size_t len = strchrnul(str, ',') - str;

		if (len && policy_parse_entry(str, len, table)) {
			pr_warn("ignoring bad policy entry '%.*s' (want reader:mode)\n",
				(int)len, str);
			bad++;
		}
		str += len;
		if (*str == ',')
			str++;
	}
	return bad;
}

/* modexcl.policy= on the command line; runs before any read. */
static int policy_param_set(const char *val, const struct kernel_param *kp)
{
	if (val)
		policy_parse(val, policy);
	return 0;
}

static int policy_param_get(char *buf, const struct kernel_param *kp)
{
	int id, len = 0;

	for (id = READING_UNKNOWN + 1; id < READING_MAX_ID; id++)
		len += sysfs_emit_at(buf, len, "%s%s:%s",
				     len ? "," : "", kernel_read_file_id_str(id),
				     modexcl_mode_name(READ_ONCE(policy[id])));
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}

static const struct kernel_param_ops policy_param_ops = {
	.set = policy_param_set,
	.get = policy_param_get,
};
module_param_cb(policy, &policy_param_ops, NULL, 0);
MODULE_PARM_DESC(policy, "reader:mode[,reader:mode...] at boot");

static struct hlist_head *excl_bucket(const struct inode *inode)
{
	return &excl_reads[hash_ptr(inode, EXCL_HASH_BITS)];
}

/* Take the inode's exclusive slot if no other exclusive read holds it. */
static bool excl_try_enter(struct modexcl_read *read)
{
	struct hlist_head *head = excl_bucket(read->inode);
	struct modexcl_read *other;
	bool entered = true;

	spin_lock(&excl_lock);
	hlist_for_each_entry(other, head, node) {
		if (other->inode == read->inode) {
			entered = false;
			break;
		}
	}
	if (entered)
		hlist_add_head(&read->node, head);
	spin_unlock(&excl_lock);
	return entered;
}

static void excl_leave(struct modexcl_read *read)
{
	spin_lock(&excl_lock);
	hlist_del(&read->node);
	spin_unlock(&excl_lock);
	wake_up_all(&excl_wq);
}

/*
 * Wait for the inode's exclusive slot: killable and bounded, for user
 * tasks and kernel threads (async firmware) alike, so nobody waits
 * forever. A wait that times out reads without exclusion and is counted.
 * A fatal signal also ends the wait and the read goes on: returning
 * -EINTR here would be an error stock does not return at this point;
 * the read itself then fails or not exactly as stock's kernel_read()
 * does for a task with a fatal signal pending.
 */
static void excl_enter(struct modexcl_read *read)
{
	long timeout = msecs_to_jiffies(READ_ONCE(exclusive_wait_ms));
	u64 start;
	long left;

	if (excl_try_enter(read)) {
		read->exclusive = true;
		return;
	}
	modexcl_record_wait_begin(read->record);
	start = ktime_get_ns();
	left = wait_event_killable_timeout(excl_wq, excl_try_enter(read),
					   timeout);
	read->exclusive = left > 0;
	modexcl_record_wait_end(read->record);
	modexcl_record_note_wait(read->record, ktime_get_ns() - start,
				 left == 0);
}

/**
 * modexcl_read_begin() - start the policy side of one kernel_read_file()
 * @read: state of this read, on the caller's stack
 * @file: the file to read
 * @id: the reader
 *
 * Reads the reader's mode once. In exclusive mode, waits until no other
 * exclusive read of the same inode runs (see excl_enter()) and counts the
 * read in the file's record (kernel modules are counted by the module
 * loader instead). Called before deny_write_access(), so a waiting reader
 * never keeps writers out.
 *
 * Context: process context, may sleep.
 */
void modexcl_read_begin(struct modexcl_read *read, struct file *file,
			enum kernel_read_file_id id)
{
	read->id = id;
	read->mode = MODEXCL_SHARED;
	read->exclusive = false;
	read->record = NULL;
	if (id > READING_UNKNOWN && id < READING_MAX_ID)
		read->mode = READ_ONCE(policy[id]);
	if (read->mode != MODEXCL_EXCLUSIVE)
		return;

	read->inode = file_inode(file);
	if (id != READING_MODULE)
		read->record = modexcl_record_get(id, file);
	excl_enter(read);
	if (read->record)
		modexcl_record_account(read->record, MODEXCL_OUTCOME_LOAD, 0, 0);
}

/**
 * modexcl_read_end() - end the policy side of a read, in its starting mode
 * @read: state passed to modexcl_read_begin()
 *
 * Context: process context.
 */
void modexcl_read_end(struct modexcl_read *read)
{
	if (read->exclusive)
		excl_leave(read);
	read->exclusive = false;
	modexcl_record_put(read->record);
	read->record = NULL;
}

struct policy_attribute {
	struct kobj_attribute attr;
	enum kernel_read_file_id id;
};

static ssize_t policy_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	struct policy_attribute *pa = container_of(attr, struct policy_attribute,
						   attr);

	return sysfs_emit(buf, "%s\n",
			  modexcl_mode_name(modexcl_policy_get(pa->id)));
}

/*
 * The file mode (0644, root) and CAP_SYS_ADMIN, the capability the netlink
 * family asks for the same change: a mode decides which checks a duplicate
 * read goes through, so neither way may ask for less than the other.
 */
static ssize_t policy_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	struct policy_attribute *pa = container_of(attr, struct policy_attribute,
						   attr);
	int mode;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	mode = modexcl_mode_parse(buf);
	if (mode < 0)
		return mode;
	ret = modexcl_policy_set(pa->id, mode);
	return ret ? ret : count;
}

/* Why the reader's mode does not apply now: reason names, or an empty line. */
static ssize_t inactive_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	struct policy_attribute *pa = container_of(attr, struct policy_attribute,
						   attr);
	u32 why = modexcl_mode_inactive(pa->id, modexcl_policy_get(pa->id));
	int i, len = 0;

	for (i = 0; i < ARRAY_SIZE(inactive_names); i++)
		if (why & inactive_names[i].bit)
			len += sysfs_emit_at(buf, len, "%s%s", len ? " " : "",
					     inactive_names[i].name);
	return len + sysfs_emit_at(buf, len, "\n");
}

static struct policy_attribute policy_attrs[READING_MAX_ID];
static struct attribute *policy_attr_list[READING_MAX_ID];
static const struct attribute_group policy_attr_group = {
	.name = "policy",
	.attrs = policy_attr_list,
};

static struct policy_attribute inactive_attrs[READING_MAX_ID];
static struct attribute *inactive_attr_list[READING_MAX_ID];
static const struct attribute_group inactive_attr_group = {
	.name = "inactive",
	.attrs = inactive_attr_list,
};

static const struct attribute_group *modexcl_attr_groups[] = {
	&policy_attr_group,
	&inactive_attr_group,
	NULL
};

static void __init policy_attr_init(struct policy_attribute *pa,
				    enum kernel_read_file_id id, umode_t mode,
				    ssize_t (*show)(struct kobject *,
						    struct kobj_attribute *,
						    char *))
{
	sysfs_attr_init(&pa->attr.attr);
	pa->attr.attr.name = kernel_read_file_id_str(id);
	pa->attr.attr.mode = mode;
	pa->attr.show = show;
	if (mode & 0200)
		pa->attr.store = policy_store;
	pa->id = id;
}

/* /sys/kernel/modexcl/policy/<reader> and /sys/kernel/modexcl/inactive/<reader> */
static int __init modexcl_policy_sysfs_init(void)
{
	struct kobject *modexcl_kobj;
	int id, n = 0, ret;

	for (id = READING_UNKNOWN + 1; id < READING_MAX_ID; id++, n++) {
		policy_attr_init(&policy_attrs[id], id, 0644, policy_show);
		policy_attr_list[n] = &policy_attrs[id].attr.attr;
		policy_attr_init(&inactive_attrs[id], id, 0444, inactive_show);
		inactive_attr_list[n] = &inactive_attrs[id].attr.attr;
	}

	modexcl_kobj = kobject_create_and_add("modexcl", kernel_kobj);
	if (!modexcl_kobj)
		return -ENOMEM;
	ret = sysfs_create_groups(modexcl_kobj, modexcl_attr_groups);
	if (ret) {
		kobject_put(modexcl_kobj);
		pr_err("cannot create /sys/kernel/modexcl: %d\n", ret);
	}
	return ret;
}
fs_initcall(modexcl_policy_sysfs_init);

#if IS_ENABLED(CONFIG_MODEXCL_KUNIT_TEST)
#include "kernel_read_file_policy_test.c"
#endif
