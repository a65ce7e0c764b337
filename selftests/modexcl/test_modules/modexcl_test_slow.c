// SPDX-License-Identifier: GPL-2.0
/*
 * A module whose init and exit take as long as asked: init_ms keeps it
 * COMING so concurrent loads join it, exit_ms keeps it GOING; init_fail
 * makes the init fail with -ENODEV once it has slept.
 */
#include <linux/delay.h>
#include <linux/init.h>
#include <linux/module.h>

static unsigned int init_ms;
module_param(init_ms, uint, 0444);
MODULE_PARM_DESC(init_ms, "milliseconds the init function sleeps");

static unsigned int exit_ms;
module_param(exit_ms, uint, 0444);
MODULE_PARM_DESC(exit_ms, "milliseconds the exit function sleeps");

static bool init_fail;
module_param(init_fail, bool, 0444);
MODULE_PARM_DESC(init_fail, "the init function fails with -ENODEV");

static int __init modexcl_test_slow_init(void)
{
	msleep(init_ms);
	return init_fail ? -ENODEV : 0;
}
module_init(modexcl_test_slow_init);

static void __exit modexcl_test_slow_exit(void)
{
	msleep(exit_ms);
}
module_exit(modexcl_test_slow_exit);

MODULE_DESCRIPTION("modexcl selftest: a module with slow init and exit");
MODULE_LICENSE("GPL");
