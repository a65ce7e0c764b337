// SPDX-License-Identifier: GPL-2.0
/*
 * A module with 2 MiB of read-only payload, the size of a large driver, so
 * that every byte a duplicate load reads shows in the statistics.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/sizes.h>

/* Non-zero, so the payload is stored in the file and not as .bss. */
static const u8 modexcl_test_payload[SZ_2M] __used = { 1 };

static int __init modexcl_test_big_init(void)
{
	return 0;
}
module_init(modexcl_test_big_init);

static void __exit modexcl_test_big_exit(void)
{
}
module_exit(modexcl_test_big_exit);

MODULE_DESCRIPTION("modexcl selftest: a 2 MiB module");
MODULE_LICENSE("GPL");
