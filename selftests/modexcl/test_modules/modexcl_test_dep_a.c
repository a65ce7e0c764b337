// SPDX-License-Identifier: GPL-2.0
/* The bottom of a chain of three dependent modules: c needs b needs a. */
#include <linux/init.h>
#include <linux/module.h>

#include "modexcl_test_dep.h"

int modexcl_test_dep_a_value(void)
{
	return 1;
}
EXPORT_SYMBOL_GPL(modexcl_test_dep_a_value);

static int __init modexcl_test_dep_a_init(void)
{
	return 0;
}
module_init(modexcl_test_dep_a_init);

static void __exit modexcl_test_dep_a_exit(void)
{
}
module_exit(modexcl_test_dep_a_exit);

MODULE_DESCRIPTION("modexcl selftest: dependency chain, bottom");
MODULE_LICENSE("GPL");
