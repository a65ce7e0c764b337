/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The names the kernel gives readers, modes, kinds of duplicates, the
 * sources of records, their hold claims and the reasons a mode does not
 * apply, as the uapi enums number them, and the policy modes each reader
 * accepts.
 */
#ifndef MODEXCL_NAMES_H
#define MODEXCL_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/modexcl.h>

#define MX_READER_FIRST MODEXCL_READER_FIRMWARE
#define MX_READER_LAST  MODEXCL_READER_X509_CERTIFICATE
#define MX_MODE_LAST    MODEXCL_MODE_HOLD

/* Names, or NULL for a value this tool does not know. */
const char *mx_reader_name(uint32_t reader);
/* At most 6 characters ("fw", "mod"), for narrow screens. */
const char *mx_reader_short_name(uint32_t reader);
const char *mx_mode_name(uint32_t mode);
const char *mx_dup_kind_name(uint32_t kind);
/* What a record's attempts come from: "file" or "image" (init_module()). */
const char *mx_source_name(uint32_t source);
/* Whether a hold claim covers a record now: "none" or "held". */
const char *mx_claim_name(uint32_t claim);

/*
 * The inactive flags (enum modexcl_inactive): why a reader's mode does not
 * apply now, its reads running as shared. Bit @bit is the flag 1 << @bit;
 * mx_inactive_name() gives NULL for a bit this tool does not know, and
 * mx_inactive_bit_name() its "bit-N" instead, in @buf.
 */
#define MX_INACTIVE_BITS 32
#define MX_INACTIVE_NAME_MAX 24
const char *mx_inactive_name(unsigned int bit);
const char *mx_inactive_bit_name(unsigned int bit, char buf[MX_INACTIVE_NAME_MAX]);
/* Every bit set, by name: "ima-policy,no-lsm-notifier,bit-7" */
#define MX_INACTIVE_LEN 256
/* "" for 0. Returns @buf. */
char *mx_inactive_format(char *buf, size_t len, uint32_t flags);

/* 0 and the value, or -1 for an unknown name. */
int mx_reader_parse(const char *name, uint32_t *reader);
int mx_mode_parse(const char *name, uint32_t *mode);

/* "a, b, c": every reader or mode name, for error messages. */
const char *mx_reader_list(void);
const char *mx_mode_list(void);

/* Whether @reader accepts @mode: hold is kernel-module's alone. */
bool mx_reader_takes_mode(uint32_t reader, uint32_t mode);

/* The mode after @mode in the cycle shared, exclusive[, hold]. */
uint32_t mx_mode_next(uint32_t reader, uint32_t mode);

#endif
