// SPDX-License-Identifier: GPL-2.0-only
/*
 * The per-reader policy of kernel_read_file(): one mode per reader (shared,
 * exclusive, or hold for kernel modules), the one setter behind sysfs and
 * netlink, the modexcl.policy= boot parameter, and the question whether a
 * mode applies now. fs/kernel_read_file_excl.c reads a reader's mode once
 * per read; kernel/modexcl/sysfs.c shows and sets it.
 */
#define pr_fmt(fmt) "modexcl: " fmt

#include <linux/init.h>
#include <linux/kernel_read_file.h>
#include <linux/kernel_read_file_policy.h>
#include <linux/moduleparam.h>
#include <linux/modexcl.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "modexcl."

#define MODE_NAME_MAX		16

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
 * modexcl_reader_has_policy() - whether a reader has a policy of its own
 * @id: the reader
 *
 * Return: false for READING_UNKNOWN, ids out of range and readers whose
 * reads follow another reader's policy (kernel_read_file_policy_id()).
 * Only the others are named in sysfs, the boot parameter and netlink.
 */
bool modexcl_reader_has_policy(int id)
{
	return id > READING_UNKNOWN && id < READING_MAX_ID &&
	       kernel_read_file_policy_id(id) == id;
}

/**
 * modexcl_reader_parse() - reader named by a string
 * @buf: the kernel_read_file_id_str() name of a reader with a policy of its
 *	own (modexcl_reader_has_policy()); one trailing newline is ignored
 *
 * Return: the enum kernel_read_file_id, or -EINVAL.
 */
int modexcl_reader_parse(const char *buf)
{
	int id;

	for (id = READING_UNKNOWN + 1; id < READING_MAX_ID; id++)
		if (modexcl_reader_has_policy(id) &&
		    sysfs_streq(buf, kernel_read_file_id_str(id)))
			return id;
	return -EINVAL;
}

/**
 * modexcl_mode_valid() - whether a reader may have a mode
 * @id: the reader
 * @mode: the mode
 *
 * Return: true for shared and exclusive on every reader with a policy of
 * its own, and for hold on kernel-module when modules are built.
 */
bool modexcl_mode_valid(enum kernel_read_file_id id,
			enum modexcl_read_mode mode)
{
	if (!modexcl_reader_has_policy(id))
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
 * Return: the enum modexcl_read_mode, or -EINVAL for a reader without a
 * policy of its own (see modexcl_reader_has_policy()).
 */
int modexcl_policy_get(enum kernel_read_file_id id)
{
	if (!modexcl_reader_has_policy(id))
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

	for (id = READING_UNKNOWN + 1; id < READING_MAX_ID; id++) {
		if (!modexcl_reader_has_policy(id))
			continue;
		len += sysfs_emit_at(buf, len, "%s%s:%s",
				     len ? "," : "", kernel_read_file_id_str(id),
				     modexcl_mode_name(READ_ONCE(policy[id])));
	}
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}

static const struct kernel_param_ops policy_param_ops = {
	.set = policy_param_set,
	.get = policy_param_get,
};
module_param_cb(policy, &policy_param_ops, NULL, 0);
MODULE_PARM_DESC(policy, "reader:mode[,reader:mode...] at boot");

#if IS_ENABLED(CONFIG_MODEXCL_KUNIT_TEST)
#include "policy_test.c"
#endif
