// SPDX-License-Identifier: GPL-2.0
/*
 * The smallest module the modexcl selftests load and unload: it only says
 * it is there, so a test can see that a load ran its init.
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

MODULE_DESCRIPTION("modexcl selftest: a plain module");
MODULE_LICENSE("GPL");
