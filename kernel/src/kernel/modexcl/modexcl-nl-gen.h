/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/modexcl.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_MODEXCL_GEN_H
#define _LINUX_MODEXCL_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/modexcl.h>

int modexcl_nl_pre_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
			struct genl_info *info);
int modexcl_nl_stats_get_start(struct netlink_callback *cb);
int modexcl_nl_policy_get_start(struct netlink_callback *cb);
int modexcl_nl_stats_get_done(struct netlink_callback *cb);

int modexcl_nl_stats_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb);
int modexcl_nl_stats_reset_doit(struct sk_buff *skb, struct genl_info *info);
int modexcl_nl_policy_get_doit(struct sk_buff *skb, struct genl_info *info);
int modexcl_nl_policy_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb);
int modexcl_nl_policy_set_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	MODEXCL_NLGRP_MONITOR,
};

extern struct genl_family modexcl_nl_family;

#endif /* _LINUX_MODEXCL_GEN_H */
