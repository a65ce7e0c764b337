// SPDX-License-Identifier: GPL-2.0
/*
 * The Prometheus view (exact text: labels, sums, escaping, policy and why it
 * does not apply, filters)
 * and the textfile write (the file is replaced whole or not at all).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests.h"
#include "textfile.h"
#include "view_prometheus.h"

#define HELP_AND_TYPE(name, help, type) "# HELP " name " " help "\n# TYPE " name " " type "\n"

#define LOADS_HEAD HELP_AND_TYPE("modexcl_loads_total", \
	"Reads of the file that went on to a load attempt.", "counter")
#define DUPS_HEAD HELP_AND_TYPE("modexcl_duplicate_loads_total", \
	"Duplicate loads: concurrent joined a load in flight and serial was refused " \
	"by hold, reading nothing; read read the file in vain.", "counter")
#define FAILED_HEAD HELP_AND_TYPE("modexcl_failed_loads_total", \
	"Load attempts that read the file and failed for another reason than a duplicate.", \
	"counter")
#define FORMAT_REFUSED_HEAD HELP_AND_TYPE("modexcl_format_refused_total", \
	"finit_module() calls of a compressed file without MODULE_INIT_COMPRESSED_FILE, " \
	"failed as stock fails them and not counted as failed loads; the loader then " \
	"decompresses it and retries with init_module().", "counter")
#define WASTED_HEAD HELP_AND_TYPE("modexcl_bytes_wasted_total", \
	"Bytes read by duplicates of kind read, counted as MODULE_STATS counts them.", \
	"counter")
#define AVOIDED_HEAD HELP_AND_TYPE("modexcl_bytes_avoided_total", \
	"File bytes not read thanks to duplicates of kind concurrent and serial.", "counter")
#define WAIT_HEAD HELP_AND_TYPE("modexcl_wait_seconds_total", \
	"Time duplicates spent waiting for the holder of the file.", "counter")
#define WAITING_HEAD HELP_AND_TYPE("modexcl_waiting_loads", \
	"Callers waiting now for the holder of the file: loads joining one in flight and " \
	"exclusive reads.", "gauge")
#define HELD_CLAIMS_HEAD HELP_AND_TYPE("modexcl_held_claims", \
	"Records a hold claim covers now: the next duplicate of the file (or image) fails " \
	"with EEXIST before it is read or copied.", "gauge")
#define RECORDS_HEAD HELP_AND_TYPE("modexcl_records", \
	"Records of the kernel's table that the filters pass.", "gauge")
#define POLICY_HEAD HELP_AND_TYPE("modexcl_policy", \
	"Read policy of a reader: 1 for the mode in force, 0 for its other modes.", "gauge")
#define INACTIVE_HEAD HELP_AND_TYPE("modexcl_policy_inactive", \
	"Why the mode of a reader does not apply now, its reads running as shared: " \
	"1 for each reason that holds, 0 for the others.", "gauge")

/* The exposition of @m, as a string the caller frees. */
static char *exposition(const struct mx_model *m)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(mx_view_prometheus(f, m), 0);
	fclose(f);
	return text;
}

static struct mx_record record_of(uint32_t reader, const char *module, const char *path,
				  uint64_t ino)
{
	struct mx_record r = test_record(module, ino, 0, 0, 0);

	r.reader = reader;
	snprintf(r.path, sizeof(r.path), "%s", path);
	return r;
}

/*
 * Two files of virtio_net (one series), e1000 (offered compressed without
 * the flag twice), and two firmware files (no module: one series under
 * module=""), with loads waiting on three of them, as a kernel that
 * reports it says; a hold claim on virtio_net's first file, none on its
 * other nor on e1000's, none reported for the firmware files;
 * kernel-module under hold, which
 * an IMA rule keeps from applying, firmware exclusive, the other readers'
 * policy unknown.
 */
static void rich_model_with(struct mx_model *m, const struct mx_record *extra)
{
	struct mx_record recs[] = {
		record_of(MODEXCL_READER_KERNEL_MODULE, "virtio_net",
			  "/lib/modules/6.12/kernel/drivers/net/virtio_net.ko", 1),
		record_of(MODEXCL_READER_KERNEL_MODULE, "virtio_net", "/tmp/virtio_net.ko", 2),
		record_of(MODEXCL_READER_KERNEL_MODULE, "e1000",
			  "/lib/modules/6.12/kernel/drivers/net/e1000.ko", 3),
		record_of(MODEXCL_READER_FIRMWARE, "", "/lib/firmware/a.bin", 4),
		record_of(MODEXCL_READER_FIRMWARE, "", "/lib/firmware/b.bin", 5),
		{ 0 },
	};
	size_t n = sizeof(recs) / sizeof(recs[0]) - 1;

	recs[0].counts = (struct mx_counts){ .loads = 1, .dup_concurrent = 3, .dup_serial = 2,
		.dup_read = 1, .bytes_wasted = 100, .bytes_avoided = 500, .wait_ns = 1500000000 };
	recs[1].counts = (struct mx_counts){ .loads = 1, .dup_serial = 1, .bytes_avoided = 100,
		.wait_ns = 250000000, .failed = 1 };
	recs[2].counts = (struct mx_counts){ .loads = 1, .dup_concurrent = 1,
		.bytes_avoided = 8192, .wait_ns = 1, .format_refused = 2 };
	recs[3].counts = (struct mx_counts){ .loads = 2, .dup_read = 1, .bytes_wasted = 4096 };
	recs[4].counts = (struct mx_counts){ .loads = 1 };
	for (size_t i = 0; i < n; i++)
		recs[i].has_waiting = true;
	recs[0].waiting = 2;
	recs[1].waiting = 1;
	recs[4].waiting = 4;
	for (size_t i = 0; i < 3; i++)
		recs[i].has_claim = true;
	recs[0].claim = MODEXCL_CLAIM_HELD;
	if (extra)
		recs[n++] = *extra;
	test_model(m, recs, n);
	mx_model_set_policy(m, MODEXCL_READER_KERNEL_MODULE, MODEXCL_MODE_HOLD,
			    MODEXCL_INACTIVE_IMA_POLICY);
	mx_model_set_policy(m, MODEXCL_READER_FIRMWARE, MODEXCL_MODE_EXCLUSIVE, 0);
}

static void rich_model(struct mx_model *m)
{
	rich_model_with(m, NULL);
}

#define FW "reader=\"firmware\",module=\"\""
#define E1000 "reader=\"kernel-module\",module=\"e1000\""
#define VIRTIO "reader=\"kernel-module\",module=\"virtio_net\""

static const char rich_exposition[] =
	LOADS_HEAD
	"modexcl_loads_total{" FW "} 3\n"
	"modexcl_loads_total{" E1000 "} 1\n"
	"modexcl_loads_total{" VIRTIO "} 2\n"
	DUPS_HEAD
	"modexcl_duplicate_loads_total{" FW ",kind=\"concurrent\"} 0\n"
	"modexcl_duplicate_loads_total{" FW ",kind=\"read\"} 1\n"
	"modexcl_duplicate_loads_total{" FW ",kind=\"serial\"} 0\n"
	"modexcl_duplicate_loads_total{" E1000 ",kind=\"concurrent\"} 1\n"
	"modexcl_duplicate_loads_total{" E1000 ",kind=\"read\"} 0\n"
	"modexcl_duplicate_loads_total{" E1000 ",kind=\"serial\"} 0\n"
	"modexcl_duplicate_loads_total{" VIRTIO ",kind=\"concurrent\"} 3\n"
	"modexcl_duplicate_loads_total{" VIRTIO ",kind=\"read\"} 1\n"
	"modexcl_duplicate_loads_total{" VIRTIO ",kind=\"serial\"} 3\n"
	FAILED_HEAD
	"modexcl_failed_loads_total{" FW "} 0\n"
	"modexcl_failed_loads_total{" E1000 "} 0\n"
	"modexcl_failed_loads_total{" VIRTIO "} 1\n"
	FORMAT_REFUSED_HEAD
	"modexcl_format_refused_total{" FW "} 0\n"
	"modexcl_format_refused_total{" E1000 "} 2\n"
	"modexcl_format_refused_total{" VIRTIO "} 0\n"
	WASTED_HEAD
	"modexcl_bytes_wasted_total{" FW "} 4096\n"
	"modexcl_bytes_wasted_total{" E1000 "} 0\n"
	"modexcl_bytes_wasted_total{" VIRTIO "} 100\n"
	AVOIDED_HEAD
	"modexcl_bytes_avoided_total{" FW "} 0\n"
	"modexcl_bytes_avoided_total{" E1000 "} 8192\n"
	"modexcl_bytes_avoided_total{" VIRTIO "} 600\n"
	WAIT_HEAD
	"modexcl_wait_seconds_total{" FW "} 0\n"
	"modexcl_wait_seconds_total{" E1000 "} 0.000000001\n"
	"modexcl_wait_seconds_total{" VIRTIO "} 1.75\n"
	WAITING_HEAD
	"modexcl_waiting_loads{" FW "} 4\n"
	"modexcl_waiting_loads{" E1000 "} 0\n"
	"modexcl_waiting_loads{" VIRTIO "} 3\n"
	HELD_CLAIMS_HEAD
	"modexcl_held_claims{" E1000 "} 0\n"
	"modexcl_held_claims{" VIRTIO "} 1\n"
	RECORDS_HEAD
	"modexcl_records 5\n"
	POLICY_HEAD
	"modexcl_policy{reader=\"firmware\",mode=\"exclusive\"} 1\n"
	"modexcl_policy{reader=\"firmware\",mode=\"shared\"} 0\n"
	"modexcl_policy{reader=\"kernel-module\",mode=\"exclusive\"} 0\n"
	"modexcl_policy{reader=\"kernel-module\",mode=\"hold\"} 1\n"
	"modexcl_policy{reader=\"kernel-module\",mode=\"shared\"} 0\n"
	INACTIVE_HEAD
	"modexcl_policy_inactive{reader=\"firmware\",reason=\"ima-policy\"} 0\n"
	"modexcl_policy_inactive{reader=\"firmware\",reason=\"no-file-watch\"} 0\n"
	"modexcl_policy_inactive{reader=\"firmware\",reason=\"no-lsm-notifier\"} 0\n"
	"modexcl_policy_inactive{reader=\"kernel-module\",reason=\"ima-policy\"} 1\n"
	"modexcl_policy_inactive{reader=\"kernel-module\",reason=\"no-file-watch\"} 0\n"
	"modexcl_policy_inactive{reader=\"kernel-module\",reason=\"no-lsm-notifier\"} 0\n";

static void prometheus_sums_files_of_one_label_set_and_sorts_by_labels(void **state)
{
	struct mx_model m;
	char *text;

	(void)state;
	rich_model(&m);
	text = exposition(&m);
	assert_string_equal(text, rich_exposition);
	free(text);
	mx_model_free(&m);
}

static void prometheus_of_no_records_has_the_record_count_and_policy(void **state)
{
	struct mx_model m;
	char *text;

	(void)state;
	test_model(&m, NULL, 0);
	mx_model_set_policy(&m, MODEXCL_READER_X509_CERTIFICATE, MODEXCL_MODE_SHARED, 0);
	text = exposition(&m);
	assert_string_equal(text,
		RECORDS_HEAD
		"modexcl_records 0\n"
		POLICY_HEAD
		"modexcl_policy{reader=\"x509-certificate\",mode=\"exclusive\"} 0\n"
		"modexcl_policy{reader=\"x509-certificate\",mode=\"shared\"} 1\n"
		INACTIVE_HEAD
		"modexcl_policy_inactive{reader=\"x509-certificate\",reason=\"ima-policy\"} 0\n"
		"modexcl_policy_inactive{reader=\"x509-certificate\",reason=\"no-file-watch\"} 0\n"
		"modexcl_policy_inactive{reader=\"x509-certificate\",reason=\"no-lsm-notifier\"} 0\n");
	free(text);
	mx_model_free(&m);
}

static void a_kernel_that_reports_no_waiting_loads_gets_no_waiting_family(void **state)
{
	struct mx_record rec = record_of(MODEXCL_READER_KERNEL_MODULE, "e1000", "/e1000.ko", 1);
	struct mx_model m;
	char *text;

	(void)state;
	test_model(&m, &rec, 1);
	text = exposition(&m);
	assert_null(strstr(text, "modexcl_waiting_loads"));
	assert_non_null(strstr(text, "modexcl_records 1\n"));
	free(text);
	mx_model_free(&m);
	/* One that does: a gauge, 0 while none waits. */
	rec.has_waiting = true;
	test_model(&m, &rec, 1);
	text = exposition(&m);
	assert_non_null(strstr(text, WAITING_HEAD "modexcl_waiting_loads{" E1000 "} 0\n"
			       RECORDS_HEAD));
	free(text);
	mx_model_free(&m);
}

/*
 * The records hold claims cover, summed per label set: only where the
 * kernel reports a claim, no family from a kernel that reports none.
 */
static void held_claims_are_a_gauge_only_where_the_kernel_reports_them(void **state)
{
	struct mx_record recs[] = {
		record_of(MODEXCL_READER_KERNEL_MODULE, "e1000", "/e1000.ko", 1),
		record_of(MODEXCL_READER_KERNEL_MODULE, "e1000", "[init_module]", 2),
		record_of(MODEXCL_READER_FIRMWARE, "", "/lib/firmware/a.bin", 3),
	};
	struct mx_model m;
	char *text;

	(void)state;
	test_model(&m, recs, 3);
	text = exposition(&m);
	assert_null(strstr(text, "modexcl_held_claims"));
	free(text);
	mx_model_free(&m);
	/* The file's record and the image's of one module, both claimed: 2. */
	recs[0].has_claim = recs[1].has_claim = true;
	recs[0].claim = recs[1].claim = MODEXCL_CLAIM_HELD;
	recs[1].source = MODEXCL_SOURCE_IMAGE;
	recs[1].dev = 0;
	test_model(&m, recs, 3);
	text = exposition(&m);
	assert_non_null(strstr(text, HELD_CLAIMS_HEAD
			       "modexcl_held_claims{" E1000 "} 2\n"
			       RECORDS_HEAD));
	assert_null(strstr(text, "modexcl_held_claims{reader=\"firmware\""));
	free(text);
	mx_model_free(&m);
	/* Voided on one, unknown (a newer kernel's value) on the other: none held. */
	recs[0].claim = MODEXCL_CLAIM_NONE;
	recs[1].claim = 7;
	test_model(&m, recs, 3);
	text = exposition(&m);
	assert_non_null(strstr(text, "\nmodexcl_held_claims{" E1000 "} 0\n"));
	free(text);
	mx_model_free(&m);
}

static void prometheus_escapes_backslash_quote_and_newline_in_label_values(void **state)
{
	struct mx_record rec = record_of(MODEXCL_READER_KERNEL_MODULE, "a\\b\"c\nd", "/x.ko", 1);
	char *text = NULL;
	size_t len = 0;
	struct mx_model m;
	FILE *f;

	(void)state;
	rec.counts.loads = 7;
	test_model(&m, &rec, 1);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	mx_prom_label_value(f, "plain_name-1.2");
	fputc('|', f);
	mx_prom_label_value(f, "\\\"\n\\n");
	fclose(f);
	assert_string_equal(text, "plain_name-1.2|\\\\\\\"\\n\\\\n");
	free(text);
	text = exposition(&m);
	assert_non_null(strstr(text, "modexcl_loads_total{reader=\"kernel-module\","
				     "module=\"a\\\\b\\\"c\\nd\"} 7\n"));
	free(text);
	mx_model_free(&m);
}

/* Every label name in @text, which must be one of @allowed. */
static void assert_label_names_within(const char *text, const char *const *allowed, size_t n)
{
	for (const char *p = strchr(text, '{'); p; p = strchr(p, '{')) {
		const char *end = strchr(p, '}');

		assert_non_null(end);
		for (p++; p < end;) {
			size_t name_len = strcspn(p, "=");
			bool known = false;

			for (size_t i = 0; i < n; i++)
				known |= strlen(allowed[i]) == name_len &&
					 !strncmp(allowed[i], p, name_len);
			if (!known)
				fail_msg("label %.*s is not one of the bounded labels", (int)name_len, p);
			/* Skip ="value", minding escaped quotes. */
			p += name_len + 2;
			while (*p != '"')
				p += *p == '\\' ? 2 : 1;
			p++;
			if (*p == ',')
				p++;
		}
		p = end + 1;
	}
}

static void prometheus_labels_never_name_a_path_inode_pid_or_command(void **state)
{
	static const char *const bounded[] = { "reader", "module", "kind", "mode", "reason" };
	struct mx_record recs[] = {
		record_of(MODEXCL_READER_KERNEL_MODULE, "virtio_net", "/tmp/secret-dir/vn.ko",
			  987654321),
		record_of(MODEXCL_READER_FIRMWARE, "", "/lib/firmware/iwlwifi-so-a0-gf-a0-89.ucode",
			  5),
		record_of(99, "", "/boot/newer-kernel-reader", 6),
	};
	struct mx_model m;
	char *text;

	(void)state;
	recs[0].holder_pid = 4242;
	strcpy(recs[0].holder_comm, "udevd-worker");
	test_model(&m, recs, 3);
	text = exposition(&m);
	assert_null(strstr(text, "secret-dir"));
	assert_null(strstr(text, "vn.ko"));
	assert_null(strstr(text, "iwlwifi"));
	assert_null(strstr(text, "987654321"));
	assert_null(strstr(text, "4242"));
	assert_null(strstr(text, "udevd"));
	assert_label_names_within(text, bounded, 5);
	/* A reader this tool has no name for keeps its number: bounded too. */
	assert_non_null(strstr(text, "modexcl_loads_total{reader=\"99\",module=\"\"} 1\n"));
	assert_non_null(strstr(text, "modexcl_loads_total{reader=\"firmware\",module=\"\"} 1\n"));
	free(text);
	mx_model_free(&m);
}

static int occurrences(const char *text, const char *what)
{
	int n = 0;

	for (const char *p = strstr(text, what); p; p = strstr(p + 1, what))
		n++;
	return n;
}

static void prometheus_policy_has_one_series_per_mode_the_reader_takes(void **state)
{
	struct mx_model m;
	char *text;

	(void)state;
	test_model(&m, NULL, 0);
	for (uint32_t r = MX_READER_FIRST; r <= MX_READER_LAST; r++)
		mx_model_set_policy(&m, r, MODEXCL_MODE_SHARED, 0);
	mx_model_set_policy(&m, MODEXCL_READER_KEXEC_IMAGE, MODEXCL_MODE_EXCLUSIVE, 0);
	text = exposition(&m);
	assert_non_null(strstr(text, POLICY_HEAD
		"modexcl_policy{reader=\"firmware\",mode=\"exclusive\"} 0\n"
		"modexcl_policy{reader=\"firmware\",mode=\"shared\"} 1\n"
		"modexcl_policy{reader=\"kernel-module\",mode=\"exclusive\"} 0\n"
		"modexcl_policy{reader=\"kernel-module\",mode=\"hold\"} 0\n"
		"modexcl_policy{reader=\"kernel-module\",mode=\"shared\"} 1\n"
		"modexcl_policy{reader=\"kexec-image\",mode=\"exclusive\"} 1\n"
		"modexcl_policy{reader=\"kexec-image\",mode=\"shared\"} 0\n"
		"modexcl_policy{reader=\"kexec-initramfs\",mode=\"exclusive\"} 0\n"
		"modexcl_policy{reader=\"kexec-initramfs\",mode=\"shared\"} 1\n"
		"modexcl_policy{reader=\"security-policy\",mode=\"exclusive\"} 0\n"
		"modexcl_policy{reader=\"security-policy\",mode=\"shared\"} 1\n"
		"modexcl_policy{reader=\"x509-certificate\",mode=\"exclusive\"} 0\n"
		"modexcl_policy{reader=\"x509-certificate\",mode=\"shared\"} 1\n"));
	/* hold is kernel-module's alone. */
	assert_int_equal(occurrences(text, "mode=\"hold\""), 1);
	free(text);
	mx_model_free(&m);
}

static void prometheus_policy_inactive_has_one_series_per_reader_and_reason(void **state)
{
	struct mx_model m;
	char *text;

	(void)state;
	test_model(&m, NULL, 0);
	mx_model_set_policy(&m, MODEXCL_READER_KERNEL_MODULE, MODEXCL_MODE_HOLD,
			    MODEXCL_INACTIVE_IMA_POLICY | MODEXCL_INACTIVE_NO_LSM_NOTIFIER);
	/* A reason of a newer kernel shows by its bit while set, in label order. */
	mx_model_set_policy(&m, MODEXCL_READER_FIRMWARE, MODEXCL_MODE_EXCLUSIVE, 1u << 5);
	text = exposition(&m);
	assert_non_null(strstr(text, INACTIVE_HEAD
		"modexcl_policy_inactive{reader=\"firmware\",reason=\"bit-5\"} 1\n"
		"modexcl_policy_inactive{reader=\"firmware\",reason=\"ima-policy\"} 0\n"
		"modexcl_policy_inactive{reader=\"firmware\",reason=\"no-file-watch\"} 0\n"
		"modexcl_policy_inactive{reader=\"firmware\",reason=\"no-lsm-notifier\"} 0\n"
		"modexcl_policy_inactive{reader=\"kernel-module\",reason=\"ima-policy\"} 1\n"
		"modexcl_policy_inactive{reader=\"kernel-module\",reason=\"no-file-watch\"} 0\n"
		"modexcl_policy_inactive{reader=\"kernel-module\",reason=\"no-lsm-notifier\"} 1\n"));
	/* The other readers' policy is unknown: no series, no reason guessed. */
	assert_int_equal(occurrences(text, "modexcl_policy_inactive{"), 7);
	assert_int_equal(occurrences(text, "# TYPE modexcl_policy_inactive gauge\n"), 1);
	free(text);

	/* The reason gone, its series stays, at 0. */
	mx_model_set_policy(&m, MODEXCL_READER_KERNEL_MODULE, MODEXCL_MODE_HOLD, 0);
	text = exposition(&m);
	assert_non_null(strstr(text,
		"modexcl_policy_inactive{reader=\"kernel-module\",reason=\"ima-policy\"} 0\n"
		"modexcl_policy_inactive{reader=\"kernel-module\",reason=\"no-file-watch\"} 0\n"
		"modexcl_policy_inactive{reader=\"kernel-module\",reason=\"no-lsm-notifier\"} 0\n"));
	free(text);
	mx_model_free(&m);
}

static void prometheus_shows_what_the_filters_pass(void **state)
{
	struct mx_filter by_module = { 0 }, by_reader = { 0 };
	struct mx_model m;
	char *text;

	(void)state;
	rich_model(&m);
	mx_filter_set_module(&by_module, "virtio-*");
	mx_model_set_filter(&m, &by_module);
	text = exposition(&m);
	assert_non_null(strstr(text, "modexcl_loads_total{" VIRTIO "} 2\n"));
	assert_null(strstr(text, "e1000"));
	assert_null(strstr(text, FW));
	assert_non_null(strstr(text, "modexcl_records 2\n"));
	/* A module glob says nothing of policy. */
	assert_non_null(strstr(text, "modexcl_policy{reader=\"firmware\",mode=\"exclusive\"} 1\n"));
	free(text);

	by_reader.reader = MODEXCL_READER_FIRMWARE;
	mx_model_set_filter(&m, &by_reader);
	text = exposition(&m);
	assert_non_null(strstr(text, "modexcl_loads_total{" FW "} 3\n"));
	assert_null(strstr(text, "kernel-module"));
	assert_non_null(strstr(text, "modexcl_policy_inactive{reader=\"firmware\","
				     "reason=\"ima-policy\"} 0\n"));
	assert_non_null(strstr(text, "modexcl_records 2\n"));
	/* No firmware record reports a claim: no family. */
	assert_null(strstr(text, "modexcl_held_claims"));
	free(text);
	mx_model_free(&m);
}

static void every_counter_has_its_series_with_its_value(void **state)
{
#define COUNTER_SERIES(field, ATTR, name, unit, title, width, metric, kind, help) \
	{ metric, kind, unit == MX_UNIT_NS },
	static const struct {
		const char *metric, *kind;
		bool seconds;
	} series[MX_NR_COUNTERS] = { MX_COUNTERS(COUNTER_SERIES) };
#undef COUNTER_SERIES
	struct mx_record rec = record_of(MODEXCL_READER_KERNEL_MODULE, "m", "/m.ko", 1);
	char want[256], kind[64], *text;
	struct mx_model m;

	(void)state;
	for (int i = 0; i < MX_NR_COUNTERS; i++)
		rec.counts.v[i] = (1000 + i) * (series[i].seconds ? 1000000000ULL : 1);
	test_model(&m, &rec, 1);
	text = exposition(&m);
	for (int i = 0; i < MX_NR_COUNTERS; i++) {
		kind[0] = '\0';
		if (series[i].kind)
			snprintf(kind, sizeof(kind), ",kind=\"%s\"", series[i].kind);
		snprintf(want, sizeof(want), "\n%s{reader=\"kernel-module\",module=\"m\"%s} %d\n",
			 series[i].metric, kind, 1000 + i);
		assert_non_null(strstr(text, want));
		snprintf(want, sizeof(want), "# TYPE %s counter\n", series[i].metric);
		assert_non_null(strstr(text, want));
	}
	free(text);
	mx_model_free(&m);
}

/* Setup: a directory of its own under /tmp, as the state; teardown empties and removes it. */
static int make_dir(void **state)
{
	char *dir = strdup("/tmp/modexcl-test.XXXXXX");

	if (!dir || !mkdtemp(dir)) {
		free(dir);
		return -1;
	}
	*state = dir;
	return 0;
}

/* The names in @dir besides . and .., joined by spaces, sorted. */
static void dir_entries(const char *dir, char *buf, size_t len)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	size_t pos = 0;

	assert_true(n >= 0);
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, ".."))
			pos += snprintf(buf + pos, len - pos, "%s%s", pos ? " " : "",
					names[i]->d_name);
		free(names[i]);
	}
	free(names);
}

static int remove_dir(void **state)
{
	char *dir = *state;
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	char path[512];

	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, ".."))
			unlink(path);
		free(names[i]);
	}
	free(names);
	rmdir(dir);
	free(dir);
	return 0;
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* The content of @dir/@name ("<none>" when it does not exist), freed by the caller. */
static char *read_file(const char *dir, const char *name)
{
	char path[512], *text = NULL;
	size_t len = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return strdup("<none>");
	assert_int_equal(getdelim(&text, &len, '\0', f) >= 0 || feof(f), 1);
	fclose(f);
	return text ? text : strdup("");
}

struct writer_probe {
	const char *dir;
	const char *before;	/* what modexcl.prom must hold while the new one is written */
	int fail_with;		/* 0, or the error the writer returns halfway */
	int calls;
};

static int probe_writer(FILE *out, void *data)
{
	struct writer_probe *probe = data;
	char entries[512], *seen;

	probe->calls++;
	fputs("# half\n", out);
	fflush(out);
	/* The final name still holds the old content: the new one is elsewhere. */
	seen = read_file(probe->dir, MX_TEXTFILE_NAME);
	assert_string_equal(seen, probe->before);
	free(seen);
	dir_entries(probe->dir, entries, sizeof(entries));
	assert_non_null(strstr(entries, ".modexcl.prom."));
	if (probe->fail_with)
		return probe->fail_with;
	fputs("modexcl_records 1\n", out);
	return 0;
}

static void textfile_replaces_the_file_whole_and_world_readable(void **state)
{
	char *dir = *state, *text, entries[512], err[256] = "", path[512];
	struct writer_probe probe = { .before = "<none>" };
	struct stat st;

	probe.dir = dir;
	/* First there is no file, then one with the old content. */
	assert_int_equal(mx_textfile_write(dir, MX_TEXTFILE_NAME, probe_writer, &probe, err,
					   sizeof(err)), 0);
	write_file(dir, MX_TEXTFILE_NAME, "old\n");
	probe.before = "old\n";
	assert_int_equal(mx_textfile_write(dir, MX_TEXTFILE_NAME, probe_writer, &probe, err,
					   sizeof(err)), 0);
	assert_int_equal(probe.calls, 2);
	text = read_file(dir, MX_TEXTFILE_NAME);
	assert_string_equal(text, "# half\nmodexcl_records 1\n");
	free(text);
	dir_entries(dir, entries, sizeof(entries));
	assert_string_equal(entries, MX_TEXTFILE_NAME);
	snprintf(path, sizeof(path), "%s/%s", dir, MX_TEXTFILE_NAME);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
}

static void a_failed_textfile_write_keeps_the_old_file_and_no_temporary(void **state)
{
	char *dir = *state, *text, entries[512], err[256] = "";
	struct writer_probe probe = { .before = "old\n", .fail_with = -ENOMEM };

	probe.dir = dir;
	write_file(dir, MX_TEXTFILE_NAME, "old\n");
	assert_int_equal(mx_textfile_write(dir, MX_TEXTFILE_NAME, probe_writer, &probe, err,
					   sizeof(err)), -ENOMEM);
	assert_non_null(strstr(err, dir));
	text = read_file(dir, MX_TEXTFILE_NAME);
	assert_string_equal(text, "old\n");
	free(text);
	dir_entries(dir, entries, sizeof(entries));
	assert_string_equal(entries, MX_TEXTFILE_NAME);
}

static void a_missing_or_unwritable_textfile_directory_is_named(void **state)
{
	char *dir = *state, missing[512], file[512], err[512] = "";
	struct writer_probe probe = { .before = "<none>" };
	struct stat st;

	snprintf(missing, sizeof(missing), "%s/no-such-dir", dir);
	assert_int_equal(mx_textfile_check_dir(missing, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, missing));
	assert_non_null(strstr(err, "does not exist"));
	err[0] = '\0';
	assert_int_equal(mx_textfile_write(missing, MX_TEXTFILE_NAME, probe_writer, &probe, err,
					   sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, missing));

	write_file(dir, "a-file", "");
	snprintf(file, sizeof(file), "%s/a-file", dir);
	assert_int_equal(mx_textfile_check_dir(file, err, sizeof(err)), -ENOTDIR);
	assert_non_null(strstr(err, "not a directory"));
	assert_int_equal(mx_textfile_check_dir(dir, err, sizeof(err)), 0);
	assert_int_equal(probe.calls, 0);

	/* sysfs takes no new files, not even from root. */
	if (stat("/sys/kernel", &st) == 0) {
		int ret = mx_textfile_write("/sys", MX_TEXTFILE_NAME, probe_writer, &probe, err,
					    sizeof(err));

		assert_true(ret == -EACCES || ret == -EPERM || ret == -EROFS);
		assert_non_null(strstr(err, "/sys"));
		assert_int_equal(probe.calls, 0);
	}
}

static int print_exposition(FILE *out, void *data)
{
	return mx_view_prometheus(out, data);
}

/*
 * For run.sh, which has promtool check it: the rich model and an escaped
 * module name, written to $MODEXCL_TEST_PROM_DIR/modexcl.prom.
 */
static void an_exposition_for_promtool(void **state)
{
	const char *dir = getenv("MODEXCL_TEST_PROM_DIR");
	struct mx_record odd = record_of(MODEXCL_READER_KERNEL_MODULE, "q\"b\\n\nx", "/q.ko", 9);
	char err[256] = "";
	struct mx_model m;

	(void)state;
	if (!dir)
		skip();		/* run.sh sets it */
	odd.counts.dup_read = 2;
	odd.counts.wait_ns = 12345678901;
	odd.has_waiting = true;
	odd.waiting = 7;
	rich_model_with(&m, &odd);
	if (mx_textfile_write(dir, MX_TEXTFILE_NAME, print_exposition, &m, err, sizeof(err)))
		fail_msg("%s", err);
	mx_model_free(&m);
}

const struct CMUnitTest prometheus_tests[] = {
	cmocka_unit_test(prometheus_sums_files_of_one_label_set_and_sorts_by_labels),
	cmocka_unit_test(prometheus_of_no_records_has_the_record_count_and_policy),
	cmocka_unit_test(a_kernel_that_reports_no_waiting_loads_gets_no_waiting_family),
	cmocka_unit_test(held_claims_are_a_gauge_only_where_the_kernel_reports_them),
	cmocka_unit_test(prometheus_escapes_backslash_quote_and_newline_in_label_values),
	cmocka_unit_test(prometheus_labels_never_name_a_path_inode_pid_or_command),
	cmocka_unit_test(prometheus_policy_has_one_series_per_mode_the_reader_takes),
	cmocka_unit_test(prometheus_policy_inactive_has_one_series_per_reader_and_reason),
	cmocka_unit_test(prometheus_shows_what_the_filters_pass),
	cmocka_unit_test(every_counter_has_its_series_with_its_value),
	cmocka_unit_test_setup_teardown(textfile_replaces_the_file_whole_and_world_readable,
					make_dir, remove_dir),
	cmocka_unit_test_setup_teardown(a_failed_textfile_write_keeps_the_old_file_and_no_temporary,
					make_dir, remove_dir),
	cmocka_unit_test_setup_teardown(a_missing_or_unwritable_textfile_directory_is_named,
					make_dir, remove_dir),
	cmocka_unit_test(an_exposition_for_promtool),
};
const size_t nr_prometheus_tests = sizeof(prometheus_tests) / sizeof(prometheus_tests[0]);
