// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/kernel/modexcl/policy/<reader>, the mode of each kernel_read_file()
 * reader, and /sys/kernel/modexcl/inactive/<reader>, why it does not
 * apply now; both through the policy API of kernel/modexcl/policy.c.
 */
#define pr_fmt(fmt) "modexcl: " fmt

#include <linux/capability.h>
#include <linux/init.h>
#include <linux/kernel_read_file.h>
#include <linux/kernel_read_file_policy.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>

static const struct {
	u32 bit;
	const char *name;
} inactive_names[] = {
	{ MODEXCL_INACTIVE_BY_IMA_POLICY, "ima-policy" },
	{ MODEXCL_INACTIVE_BY_NO_LSM_NOTIFIER, "no-lsm-notifier" },
	{ MODEXCL_INACTIVE_BY_NO_FILE_WATCH, "no-file-watch" },
};

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

	for (id = READING_UNKNOWN + 1; id < READING_MAX_ID; id++) {
		if (!modexcl_reader_has_policy(id))
			continue;
		policy_attr_init(&policy_attrs[id], id, 0644, policy_show);
		policy_attr_list[n] = &policy_attrs[id].attr.attr;
		policy_attr_init(&inactive_attrs[id], id, 0444, inactive_show);
		inactive_attr_list[n++] = &inactive_attrs[id].attr.attr;
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
