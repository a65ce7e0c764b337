// SPDX-License-Identifier: GPL-2.0
/*
 * Reader, mode, duplicate-kind, source, claim and inactive-reason names.
 * They follow the YNL spec (uapi/modexcl.yaml), which takes the readers
 * from the kernel's own kernel_read_file_id_str().
 */
#include <stdio.h>
#include <string.h>

#include "names.h"

static const char *const reader_names[] = {
	[MODEXCL_READER_FIRMWARE]		= "firmware",
	[MODEXCL_READER_KERNEL_MODULE]		= "kernel-module",
	[MODEXCL_READER_KEXEC_IMAGE]		= "kexec-image",
	[MODEXCL_READER_KEXEC_INITRAMFS]	= "kexec-initramfs",
	[MODEXCL_READER_SECURITY_POLICY]	= "security-policy",
	[MODEXCL_READER_X509_CERTIFICATE]	= "x509-certificate",
};

static const char *const reader_short_names[] = {
	[MODEXCL_READER_FIRMWARE]		= "fw",
	[MODEXCL_READER_KERNEL_MODULE]		= "mod",
	[MODEXCL_READER_KEXEC_IMAGE]		= "kexec",
	[MODEXCL_READER_KEXEC_INITRAMFS]	= "initrd",
	[MODEXCL_READER_SECURITY_POLICY]	= "policy",
	[MODEXCL_READER_X509_CERTIFICATE]	= "x509",
};

static const char *const mode_names[] = {
	[MODEXCL_MODE_SHARED]		= "shared",
	[MODEXCL_MODE_EXCLUSIVE]	= "exclusive",
	[MODEXCL_MODE_HOLD]		= "hold",
};

static const char *const kind_names[] = {
	[MODEXCL_DUP_KIND_CONCURRENT]		= "concurrent",
	[MODEXCL_DUP_KIND_SERIAL]		= "serial",
	[MODEXCL_DUP_KIND_READ]			= "read",
	[MODEXCL_DUP_KIND_EXCLUSIVE_WAIT]	= "exclusive-wait",
};

static const char *const source_names[] = {
	[MODEXCL_SOURCE_FILE]	= "file",
	[MODEXCL_SOURCE_IMAGE]	= "image",
};

static const char *const claim_names[] = {
	[MODEXCL_CLAIM_NONE]	= "none",
	[MODEXCL_CLAIM_HELD]	= "held",
	[MODEXCL_CLAIM_NEVER]	= "never",
};

/* The inactive reasons, by their flag: the one table of their names. */
static const struct {
	uint32_t flag;
	const char *name;
} inactive_names[] = {
	{ MODEXCL_INACTIVE_IMA_POLICY,		"ima-policy" },
	{ MODEXCL_INACTIVE_NO_LSM_NOTIFIER,	"no-lsm-notifier" },
	{ MODEXCL_INACTIVE_NO_FILE_WATCH,	"no-file-watch" },
};

#define NAME_OF(table, v) ((v) < sizeof(table) / sizeof(table[0]) ? table[v] : NULL)

const char *mx_reader_name(uint32_t reader)
{
	return NAME_OF(reader_names, reader);
}

const char *mx_reader_short_name(uint32_t reader)
{
	return NAME_OF(reader_short_names, reader);
}

const char *mx_mode_name(uint32_t mode)
{
	return NAME_OF(mode_names, mode);
}

const char *mx_dup_kind_name(uint32_t kind)
{
	return NAME_OF(kind_names, kind);
}

const char *mx_source_name(uint32_t source)
{
	return NAME_OF(source_names, source);
}

const char *mx_claim_name(uint32_t claim)
{
	return NAME_OF(claim_names, claim);
}

const char *mx_inactive_name(unsigned int bit)
{
	if (bit >= MX_INACTIVE_BITS)
		return NULL;
	for (size_t i = 0; i < sizeof(inactive_names) / sizeof(inactive_names[0]); i++)
		if (inactive_names[i].flag == 1u << bit)
			return inactive_names[i].name;
	return NULL;
}

const char *mx_inactive_bit_name(unsigned int bit, char buf[MX_INACTIVE_NAME_MAX])
{
	const char *name = mx_inactive_name(bit);

	if (name)
		return name;
	snprintf(buf, MX_INACTIVE_NAME_MAX, "bit-%u", bit);
	return buf;
}

char *mx_inactive_format(char *buf, size_t len, uint32_t flags)
{
	char unknown[MX_INACTIVE_NAME_MAX];
	size_t pos = 0;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (unsigned int bit = 0; bit < MX_INACTIVE_BITS && pos < len; bit++) {
		if (!(flags & 1u << bit))
			continue;
		pos += snprintf(buf + pos, len - pos, "%s%s", pos ? "," : "",
				mx_inactive_bit_name(bit, unknown));
	}
	return buf;
}

static int parse(const char *const *table, size_t n, const char *name, uint32_t *value)
{
	for (size_t i = 0; i < n; i++) {
		if (table[i] && !strcmp(table[i], name)) {
			*value = i;
			return 0;
		}
	}
	return -1;
}

int mx_reader_parse(const char *name, uint32_t *reader)
{
	return parse(reader_names, sizeof(reader_names) / sizeof(reader_names[0]), name, reader);
}

int mx_mode_parse(const char *name, uint32_t *mode)
{
	return parse(mode_names, sizeof(mode_names) / sizeof(mode_names[0]), name, mode);
}

const char *mx_reader_list(void)
{
	return "firmware, kernel-module, kexec-image, kexec-initramfs, security-policy, x509-certificate";
}

const char *mx_mode_list(void)
{
	return "shared, exclusive, hold (kernel-module only)";
}

bool mx_reader_takes_mode(uint32_t reader, uint32_t mode)
{
	if (mode == MODEXCL_MODE_HOLD)
		return reader == MODEXCL_READER_KERNEL_MODULE;
	return mode <= MX_MODE_LAST;
}

uint32_t mx_mode_next(uint32_t reader, uint32_t mode)
{
	switch (mode) {
	case MODEXCL_MODE_SHARED:
		return MODEXCL_MODE_EXCLUSIVE;
	case MODEXCL_MODE_EXCLUSIVE:
		return mx_reader_takes_mode(reader, MODEXCL_MODE_HOLD) ? MODEXCL_MODE_HOLD :
									  MODEXCL_MODE_SHARED;
	default:
		return MODEXCL_MODE_SHARED;
	}
}
