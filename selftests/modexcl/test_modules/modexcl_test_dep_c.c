// SPDX-License-Identifier: GPL-2.0
/* The top of a chain of three dependent modules: c needs b needs a. */
#include <linux/init.h>
#include <linux/module.h>

#include "modexcl_test_dep.h"

static int __init modexcl_test_dep_c_init(void)
{
	return modexcl_test_dep_b_value() == 2 ? 0 : -EINVAL;
}
module_init(modexcl_test_dep_c_init);

static void __exit modexcl_test_dep_c_exit(void)
{
}
module_exit(modexcl_test_dep_c_exit);

MODULE_DESCRIPTION("modexcl selftest: dependency chain, top");
MODULE_LICENSE("GPL");
