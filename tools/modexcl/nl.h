/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The netlink transport, the only part of the tool that talks to the
 * kernel: one generic netlink socket bound to the modexcl family, requests
 * and dumps turned into plain structs (record.h), notifications of the
 * monitor group, and the kernel's extended ack message of the last error.
 * Every function returns 0 or a negative errno.
 */
#ifndef MODEXCL_NL_H
#define MODEXCL_NL_H

#include <stdbool.h>
#include <stdint.h>

#include "record.h"

struct mnl_socket;

struct mx_nl {
	struct mnl_socket *sk;
	uint16_t family;
	uint32_t monitor_group;
	uint32_t portid;
	uint32_t seq;
	char *buf;
	bool dump_intr;		/* the last dump saw the records change */
	char ext_msg[256];	/* extack message of the last error, or "" */
};

/* Open a socket and resolve the family: -ENOENT when the kernel has none. */
int mx_nl_open(struct mx_nl *nl);
void mx_nl_close(struct mx_nl *nl);

typedef int (*mx_record_cb)(const struct mx_record *rec, void *data);
/* @inactive: why @mode does not apply now (enum modexcl_inactive), 0 when it does. */
typedef int (*mx_policy_cb)(uint32_t reader, uint32_t mode, uint32_t inactive, void *data);
typedef int (*mx_event_cb)(const struct mx_event *ev, void *data);

/* stats-get dump: @cb once per record; a non-zero return stops the dump. */
int mx_nl_stats_get(struct mx_nl *nl, mx_record_cb cb, void *data);
int mx_nl_stats_reset(struct mx_nl *nl);
int mx_nl_policy_dump(struct mx_nl *nl, mx_policy_cb cb, void *data);
int mx_nl_policy_get(struct mx_nl *nl, uint32_t reader, uint32_t *mode, uint32_t *inactive);
/* Set a mode; *mode and *inactive get what the kernel replied with. */
int mx_nl_policy_set(struct mx_nl *nl, uint32_t reader, uint32_t *mode, uint32_t *inactive);

/* Join the monitor group; the socket becomes non-blocking. */
int mx_nl_monitor_join(struct mx_nl *nl);
int mx_nl_fd(const struct mx_nl *nl);
/*
 * Read the notifications queued now (a bounded batch of them; poll says
 * when more wait), @cb once each. 0, or -ENOBUFS when the kernel dropped
 * some (the caller resyncs).
 */
int mx_nl_monitor_read(struct mx_nl *nl, mx_event_cb cb, void *data);

#endif
