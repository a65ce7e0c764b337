/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The messages of the modexcl family as plain structs (record.h): one
 * parser per attribute set, the task set nested in records and
 * notifications alike. No socket here: nl.c sends and receives, these
 * read what it received, and the unit tests read messages they built.
 */
#ifndef MODEXCL_NL_MSG_H
#define MODEXCL_NL_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

#include "record.h"

/* @attr holds a valid value of @type (mnl_attr_validate()). */
bool mx_attr_ok(const struct nlattr *attr, enum mnl_attr_data_type type);
/* A string attribute into @dst; too long, its tail, as the kernel keeps paths. */
void mx_attr_copy_str(char *dst, size_t len, const struct nlattr *attr);

/* A stats-get record into @rec. */
void mx_msg_record(const struct nlmsghdr *nlh, struct mx_record *rec);
/* A policy reply or notification into @ev (zeroed first); false without a mode. */
bool mx_msg_policy(const struct nlmsghdr *nlh, struct mx_event *ev);
/*
 * A notification of the monitor group of family @family into @ev (zeroed
 * first): false when it is none this tool knows (another family, another
 * command), which the caller skips.
 */
bool mx_msg_event(const struct nlmsghdr *nlh, uint16_t family, struct mx_event *ev);

#endif
