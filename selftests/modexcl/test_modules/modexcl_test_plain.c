// SPDX-License-Identifier: GPL-2.0
/*
 * The smallest module the modexcl selftests load and unload. Its version
 * string is a fixed-size marker a test rewrites in place, to prove that a
 * changed file is read again.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

static int __init modexcl_test_plain_init(void)
{
	pr_info("loaded\n");
	return 0;
}
module_init(modexcl_test_plain_init);

static void __exit modexcl_test_plain_exit(void)
{
}
module_exit(modexcl_test_plain_exit);

MODULE_VERSION("modexcl-v1");
MODULE_DESCRIPTION("modexcl selftest: a plain module");
MODULE_LICENSE("GPL");
