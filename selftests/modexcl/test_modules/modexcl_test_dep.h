/* SPDX-License-Identifier: GPL-2.0 */
/* The symbols of the dependency chain: c needs b needs a. */
#ifndef MODEXCL_TEST_DEP_H
#define MODEXCL_TEST_DEP_H

int modexcl_test_dep_a_value(void);
int modexcl_test_dep_b_value(void);

#endif
