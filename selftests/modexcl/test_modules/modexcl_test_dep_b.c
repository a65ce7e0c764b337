// SPDX-License-Identifier: GPL-2.0
/* The middle of a chain of three dependent modules: c needs b needs a. */
#include <linux/init.h>
#include <linux/module.h>

#include "modexcl_test_dep.h"

int modexcl_test_dep_b_value(void)
{
	return modexcl_test_dep_a_value() + 1;
}
EXPORT_SYMBOL_GPL(modexcl_test_dep_b_value);

static int __init modexcl_test_dep_b_init(void)
{
	return modexcl_test_dep_b_value() == 2 ? 0 : -EINVAL;
}
module_init(modexcl_test_dep_b_init);

static void __exit modexcl_test_dep_b_exit(void)
{
}
module_exit(modexcl_test_dep_b_exit);

MODULE_DESCRIPTION("modexcl selftest: dependency chain, middle");
MODULE_LICENSE("GPL");
