// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/modexcl.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "modexcl-nl-gen.h"

#include <uapi/linux/modexcl.h>

/* MODEXCL_CMD_POLICY_GET - do */
static const struct nla_policy modexcl_policy_get_nl_policy[MODEXCL_A_POLICY_READER + 1] = {
	[MODEXCL_A_POLICY_READER] = NLA_POLICY_RANGE(NLA_U32, 1, 6),
};

/* MODEXCL_CMD_POLICY_SET - do */
static const struct nla_policy modexcl_policy_set_nl_policy[MODEXCL_A_POLICY_MODE + 1] = {
	[MODEXCL_A_POLICY_READER] = NLA_POLICY_RANGE(NLA_U32, 1, 6),
	[MODEXCL_A_POLICY_MODE] = NLA_POLICY_MAX(NLA_U32, 2),
};

/* Ops table for modexcl */
static const struct genl_split_ops modexcl_nl_ops[] = {
	{
		.cmd	= MODEXCL_CMD_STATS_GET,
		.start	= modexcl_nl_stats_get_start,
		.dumpit	= modexcl_nl_stats_get_dumpit,
		.done	= modexcl_nl_stats_get_done,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= MODEXCL_CMD_STATS_RESET,
		.pre_doit	= modexcl_nl_pre_doit,
		.doit		= modexcl_nl_stats_reset_doit,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= MODEXCL_CMD_POLICY_GET,
		.pre_doit	= modexcl_nl_pre_doit,
		.doit		= modexcl_nl_policy_get_doit,
		.policy		= modexcl_policy_get_nl_policy,
		.maxattr	= MODEXCL_A_POLICY_READER,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= MODEXCL_CMD_POLICY_GET,
		.start	= modexcl_nl_policy_get_start,
		.dumpit	= modexcl_nl_policy_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= MODEXCL_CMD_POLICY_SET,
		.pre_doit	= modexcl_nl_pre_doit,
		.doit		= modexcl_nl_policy_set_doit,
		.policy		= modexcl_policy_set_nl_policy,
		.maxattr	= MODEXCL_A_POLICY_MODE,
		.flags		= GENL_CMD_CAP_DO,
	},
};

static const struct genl_multicast_group modexcl_nl_mcgrps[] = {
	[MODEXCL_NLGRP_MONITOR] = { "monitor", .flags = GENL_MCAST_CAP_SYS_ADMIN, },
};

struct genl_family modexcl_nl_family __ro_after_init = {
	.name		= MODEXCL_FAMILY_NAME,
	.version	= MODEXCL_FAMILY_VERSION,
	.netnsok	= false,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.split_ops	= modexcl_nl_ops,
	.n_split_ops	= ARRAY_SIZE(modexcl_nl_ops),
	.mcgrps		= modexcl_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(modexcl_nl_mcgrps),
};
