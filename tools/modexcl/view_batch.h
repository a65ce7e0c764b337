/* SPDX-License-Identifier: GPL-2.0 */
/* `top` in batch mode: plain-text snapshots, one per interval, like top -b. */
#ifndef MODEXCL_VIEW_BATCH_H
#define MODEXCL_VIEW_BATCH_H

#include <stdint.h>
#include <stdio.h>

#include "model.h"

void mx_view_batch(FILE *out, const struct mx_model *m, int64_t realtime_ns);

#endif
