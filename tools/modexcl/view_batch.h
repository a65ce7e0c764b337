/* SPDX-License-Identifier: GPL-2.0 */
/* `top` in batch mode: snapshots, one per interval, like top -b: text or JSON Lines. */
#ifndef MODEXCL_VIEW_BATCH_H
#define MODEXCL_VIEW_BATCH_H

#include <stdint.h>
#include <stdio.h>

#include "model.h"

void mx_view_batch(FILE *out, const struct mx_model *m, int64_t realtime_ns);
/*
 * One snapshot as one line of JSON Lines: the array of records `stats -j`
 * prints, never pretty. 0, -ENOMEM, or the failed write's -errno.
 */
int mx_view_batch_json(FILE *out, const struct mx_model *m);

#endif
