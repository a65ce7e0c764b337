/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The records in Prometheus' text exposition format (0.0.4), the one
 * node_exporter's textfile collector reads: one counter family per record
 * counter, labelled by reader and module only; the loads waiting now, the
 * records hold claims cover now, the size of the table and the policy of
 * each reader and why it does not apply, as gauges.
 */
#ifndef MODEXCL_VIEW_PROMETHEUS_H
#define MODEXCL_VIEW_PROMETHEUS_H

#include <stdio.h>

#include "model.h"

/*
 * Print the records @m shows (its filter applies), summed per label set
 * and sorted by label values, then its policy and the reasons a mode does
 * not apply. 0, or -ENOMEM.
 */
int mx_view_prometheus(FILE *out, const struct mx_model *m);

/* Print @s as the exposition format quotes a label value, without the quotes. */
void mx_prom_label_value(FILE *out, const char *s);

#endif
