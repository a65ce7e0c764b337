// SPDX-License-Identifier: GPL-2.0
/* The views: table text, batch snapshots, JSON shape, live-view keys. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cgroup.h"
#include "clock.h"
#include "format.h"
#include "tests.h"
#include "view_batch.h"
#include "view_json.h"
#include "view_table.h"
#include "view_top.h"

#define MIB (1ULL << 20)

/* What @print wrote, as a string the caller frees. */
static char *capture(void (*print)(FILE *, const struct mx_model *), const struct mx_model *m)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	print(f, m);
	fclose(f);
	return text;
}

static void batch_now(FILE *f, const struct mx_model *m)
{
	mx_view_batch(f, m, 0);
}

static void the_table_shows_human_units_and_totals(void **state)
{
	struct mx_record recs[] = {
		test_record("modexcl_test_big", 1, 15, 8, 46 * MIB),
		test_record("modexcl_test_plain", 2, 1, 0, 8192),
	};
	struct mx_model m;
	char *text;

	(void)state;
	recs[0].holder_pid = 321;
	strcpy(recs[0].holder_comm, "insmod");
	recs[0].counts.failed = 1;
	recs[1].counts.format_refused = 2;
	recs[0].counts.format_refused = 1;
	test_model(&m, recs, 2);
	text = capture(mx_view_table, &m);
	assert_non_null(strstr(text, "READER"));
	assert_non_null(strstr(text, "AVOIDED"));
	assert_non_null(strstr(text, " FAIL   FMT "));
	assert_non_null(strstr(text, "46.0 MiB"));
	assert_non_null(strstr(text, "8.0 KiB"));
	assert_non_null(strstr(text, "insmod"));
	assert_non_null(strstr(text, "/lib/modules/6.12/extra/modexcl_test_big.ko"));
	assert_non_null(strstr(text, "total: 2 records, 2 loads, 24 duplicates (16 concurrent, "
				     "8 serial, 0 read), 1 failed, 3 format-refused, wasted 0 B, "));
	/* Sorted by bytes avoided: the big one first. */
	assert_true(strstr(text, "modexcl_test_big") < strstr(text, "modexcl_test_plain"));
	free(text);
	mx_model_free(&m);
}

static void an_empty_table_still_has_its_header_and_totals(void **state)
{
	struct mx_model m;
	char *text;

	(void)state;
	test_model(&m, NULL, 0);
	text = capture(mx_view_table, &m);
	assert_non_null(strstr(text, "READER"));
	assert_non_null(strstr(text, "total: 0 records"));
	free(text);
	mx_model_free(&m);
}

static void a_batch_snapshot_has_summary_policy_and_rows(void **state)
{
	struct mx_record rec = test_record("modexcl_test_big", 1, 4, 0, 8 * MIB);
	struct mx_model m;
	char *text;

	(void)state;
	test_model(&m, &rec, 1);
	mx_model_set_policy(&m, MODEXCL_READER_KERNEL_MODULE, MODEXCL_MODE_HOLD, 0);
	text = capture(batch_now, &m);
	assert_non_null(strstr(text, "modexcl top - "));
	assert_non_null(strstr(text, "sort dup-bytes"));
	assert_non_null(strstr(text, "kernel-module=hold"));
	assert_non_null(strstr(text, "firmware=?"));
	assert_non_null(strstr(text, "+DUPS"));
	assert_non_null(strstr(text, "modexcl_test_big"));
	free(text);
	mx_model_free(&m);
}

static void narrow_screens_drop_the_optional_columns(void **state)
{
	const struct mx_column *cols[MX_MAX_COLUMNS];
	size_t all = mx_columns_fit(mx_top_columns, mx_nr_top_columns, 0, cols);
	size_t narrow = mx_columns_fit(mx_top_columns, mx_nr_top_columns, MX_TOP_MIN_COLS, cols);
	char line[MX_LINE_MAX];

	(void)state;
	assert_int_equal(all, mx_nr_top_columns);
	assert_true(narrow < all);
	mx_format_line(line, sizeof(line), cols, narrow, NULL, MX_TOP_MIN_COLS);
	assert_true(strlen(line) <= MX_TOP_MIN_COLS);
	assert_non_null(strstr(line, "READER"));
	assert_non_null(strstr(line, "+AVOIDED"));
}

static void the_summary_marks_a_mode_that_does_not_apply(void **state)
{
	char lines[MX_SUMMARY_LINES][MX_LINE_MAX];
	struct mx_model m;

	(void)state;
	test_model(&m, NULL, 0);
	for (uint32_t r = MX_READER_FIRST; r <= MX_READER_LAST; r++)
		mx_model_set_policy(&m, r, MODEXCL_MODE_SHARED, 0);
	mx_model_set_policy(&m, MODEXCL_READER_KERNEL_MODULE, MODEXCL_MODE_HOLD,
			    MODEXCL_INACTIVE_IMA_POLICY);
	mx_format_summary(lines, &m, 0);
	assert_string_equal(lines[2], "policy firmware=shared "
			    "kernel-module=hold(inactive:ima-policy) kexec-image=shared "
			    "kexec-initramfs=shared security-policy=shared x509-certificate=shared");
	/* The reason gone, the mark goes. */
	mx_model_set_policy(&m, MODEXCL_READER_KERNEL_MODULE, MODEXCL_MODE_HOLD, 0);
	mx_format_summary(lines, &m, 0);
	assert_non_null(strstr(lines[2], " kernel-module=hold kexec-image=shared"));
	mx_model_free(&m);
}

/* The lines `modexcl policy` prints for @n readers. */
static char *policy_lines(const uint32_t (*policy)[3], size_t n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		mx_view_policy_line(f, policy[i][0], policy[i][1], policy[i][2]);
	fclose(f);
	return text;
}

static void policy_lines_say_when_a_mode_does_not_apply_after_reader_and_mode(void **state)
{
	static const uint32_t policy[][3] = {
		{ MODEXCL_READER_FIRMWARE, MODEXCL_MODE_SHARED, 0 },
		{ MODEXCL_READER_KERNEL_MODULE, MODEXCL_MODE_HOLD, MODEXCL_INACTIVE_IMA_POLICY },
		{ MODEXCL_READER_KEXEC_IMAGE, MODEXCL_MODE_EXCLUSIVE, 0 },
	};
	static const uint32_t both[][3] = {
		{ MODEXCL_READER_KERNEL_MODULE, MODEXCL_MODE_HOLD,
		  MODEXCL_INACTIVE_IMA_POLICY | MODEXCL_INACTIVE_NO_LSM_NOTIFIER },
	};
	char *text, *line, *save = NULL, reader[32], mode[32];

	(void)state;
	text = policy_lines(policy, 3);
	assert_string_equal(text,
		"firmware          shared\n"
		"kernel-module     hold  (inactive: ima-policy; reads run as shared)\n"
		"kexec-image       exclusive\n");
	/* What scripts take, awk's $1 and $2, is still reader and mode. */
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		assert_int_equal(sscanf(line, "%31s %31s", reader, mode), 2);
		assert_int_equal(mx_reader_parse(reader, &(uint32_t){ 0 }), 0);
		assert_int_equal(mx_mode_parse(mode, &(uint32_t){ 0 }), 0);
	}
	free(text);
	text = policy_lines(both, 1);
	assert_string_equal(text, "kernel-module     hold  (inactive: ima-policy,no-lsm-notifier; "
			    "reads run as shared)\n");
	free(text);
}

static void json_policy_lists_the_readers_whose_mode_does_not_apply(void **state)
{
	struct json_object *obj;
	struct mx_model m;

	(void)state;
	test_model(&m, NULL, 0);
	mx_model_set_policy(&m, MODEXCL_READER_FIRMWARE, MODEXCL_MODE_SHARED, 0);
	mx_model_set_policy(&m, MODEXCL_READER_KERNEL_MODULE, MODEXCL_MODE_HOLD,
			    MODEXCL_INACTIVE_IMA_POLICY | 1u << 4);
	obj = mx_json_policy(&m);
	/* The reader -> mode pairs as before, and one key more. */
	assert_string_equal(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN),
			    "{\"firmware\":\"shared\",\"kernel-module\":\"hold\","
			    "\"inactive\":{\"kernel-module\":[\"ima-policy\",\"bit-4\"]}}");
	json_object_put(obj);
	/* Every mode applies: an empty object. */
	mx_model_set_policy(&m, MODEXCL_READER_KERNEL_MODULE, MODEXCL_MODE_HOLD, 0);
	obj = mx_json_policy(&m);
	assert_string_equal(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN),
			    "{\"firmware\":\"shared\",\"kernel-module\":\"hold\","
			    "\"inactive\":{}}");
	json_object_put(obj);
	mx_model_free(&m);
}

static void a_summary_reports_missed_events(void **state)
{
	char lines[MX_SUMMARY_LINES][MX_LINE_MAX];
	struct mx_model m;

	(void)state;
	test_model(&m, NULL, 0);
	assert_int_equal(mx_format_summary(lines, &m, 0), 3);
	m.missed = 7;
	assert_int_equal(mx_format_summary(lines, &m, 0), 4);
	assert_string_equal(lines[3], "missed 7 events (resynchronised)");
	mx_model_free(&m);
}

static void a_json_record_has_every_key_with_exact_numbers(void **state)
{
	struct mx_record rec = test_record("modexcl_test_big", 12, 3, 2, (1ULL << 63) + 5);
	struct json_object *obj, *v;

	(void)state;
	rec.module[0] = '\0';
	obj = mx_json_record(&rec);
	/* The record keys, then last-caller and last-seen-time. */
	assert_int_equal(json_object_object_length(obj), MX_KEY_RECORD_COUNT + 2);
	for (int k = 0; k < MX_KEY_RECORD_COUNT; k++)
		assert_true(json_object_object_get_ex(obj, mx_key_name(k), NULL));
	json_object_object_get_ex(obj, "bytes-avoided", &v);
	assert_true(json_object_get_uint64(v) == (1ULL << 63) + 5);
	json_object_object_get_ex(obj, "reader", &v);
	assert_string_equal(json_object_get_string(v), "kernel-module");
	json_object_object_get_ex(obj, "module", &v);
	assert_null(v);		/* not known yet: null */
	json_object_object_get_ex(obj, "ino", &v);
	assert_int_equal(json_object_get_uint64(v), 12);
	json_object_object_get_ex(obj, "dup-serial", &v);
	assert_int_equal(json_object_get_uint64(v), 2);
	json_object_object_get_ex(obj, "format-refused", &v);
	assert_int_equal(json_object_get_uint64(v), 0);
	/* The source by its spec name: a file's record, unless the kernel says otherwise. */
	json_object_object_get_ex(obj, "source", &v);
	assert_string_equal(json_object_get_string(v), "file");
	json_object_put(obj);
	rec.source = MODEXCL_SOURCE_IMAGE;
	strcpy(rec.path, "[init_module]");
	rec.dev = 0;
	rec.counts.format_refused = 3;
	obj = mx_json_record(&rec);
	json_object_object_get_ex(obj, "source", &v);
	assert_string_equal(json_object_get_string(v), "image");
	json_object_object_get_ex(obj, "path", &v);
	assert_string_equal(json_object_get_string(v), "[init_module]");
	json_object_object_get_ex(obj, "format-refused", &v);
	assert_int_equal(json_object_get_uint64(v), 3);
	json_object_put(obj);
	/* A newer kernel's source, by its number. */
	rec.source = 9;
	obj = mx_json_record(&rec);
	json_object_object_get_ex(obj, "source", &v);
	assert_true(json_object_is_type(v, json_type_int));
	assert_int_equal(json_object_get_uint64(v), 9);
	json_object_put(obj);
}

static void json_records_are_one_array_in_sort_order(void **state)
{
	struct mx_record recs[] = { test_record("a", 1, 1, 0, 1), test_record("b", 2, 1, 0, 2) };
	struct json_object *arr, *back, *v;
	struct mx_model m;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	test_model(&m, recs, 2);
	arr = mx_json_records(&m);
	assert_int_equal(json_object_array_length(arr), 2);
	json_object_object_get_ex(json_object_array_get_idx(arr, 0), "module", &v);
	assert_string_equal(json_object_get_string(v), "b");
	/* Printed, it parses back whole. */
	f = open_memstream(&text, &len);
	assert_int_equal(mx_json_print(f, arr, false), 0);
	fclose(f);
	assert_int_equal(text[len - 1], '\n');
	back = json_tokener_parse(text);
	assert_non_null(back);
	assert_true(json_object_is_type(back, json_type_array));
	assert_int_equal(json_object_array_length(back), 2);
	json_object_put(back);
	free(text);
	mx_model_free(&m);
}

static void json_events_name_their_kind_and_keep_the_sequence(void **state)
{
	struct mx_event ev = { .type = MX_EVENT_DUP, .seq = 41, .has_seq = true };
	struct json_object *obj, *v;

	(void)state;
	ev.dup.reader = MODEXCL_READER_KERNEL_MODULE;
	ev.dup.kind = MODEXCL_DUP_KIND_SERIAL;
	ev.dup.bytes = 2101248;
	ev.dup.pid = 77;
	strcpy(ev.dup.module, "modexcl_test_big");
	obj = mx_json_event(&ev, 1700000000123456789LL);
	json_object_object_get_ex(obj, "event", &v);
	assert_string_equal(json_object_get_string(v), "dup-ntf");
	json_object_object_get_ex(obj, "kind", &v);
	assert_string_equal(json_object_get_string(v), "serial");
	json_object_object_get_ex(obj, "seq", &v);
	assert_int_equal(json_object_get_uint64(v), 41);
	json_object_object_get_ex(obj, "bytes", &v);
	assert_int_equal(json_object_get_uint64(v), 2101248);
	json_object_object_get_ex(obj, "time", &v);
	assert_string_equal(json_object_get_string(v), "2023-11-14T22:13:20.123Z");
	json_object_put(obj);

	ev = (struct mx_event){ .type = MX_EVENT_POLICY, .seq = 42, .has_seq = true };
	ev.policy.reader = MODEXCL_READER_FIRMWARE;
	ev.policy.mode = MODEXCL_MODE_EXCLUSIVE;
	ev.policy.old_mode = MODEXCL_MODE_SHARED;
	ev.policy.has_old_mode = true;
	obj = mx_json_event(&ev, 0);
	json_object_object_get_ex(obj, "event", &v);
	assert_string_equal(json_object_get_string(v), "policy-ntf");
	json_object_object_get_ex(obj, "mode", &v);
	assert_string_equal(json_object_get_string(v), "exclusive");
	json_object_object_get_ex(obj, "old-mode", &v);
	assert_string_equal(json_object_get_string(v), "shared");
	json_object_put(obj);
}

static void json_resync_carries_records_and_policy(void **state)
{
	struct mx_record rec = test_record("a", 1, 1, 0, 1);
	struct json_object *obj, *v;
	struct mx_model m;

	(void)state;
	test_model(&m, &rec, 1);
	mx_model_set_policy(&m, MODEXCL_READER_KERNEL_MODULE, MODEXCL_MODE_HOLD, 0);
	obj = mx_json_resync(&m, 0);
	json_object_object_get_ex(obj, "records", &v);
	assert_int_equal(json_object_array_length(v), 1);
	json_object_object_get_ex(obj, "policy", &v);
	/* kernel-module, and "inactive": every mode applies. */
	assert_int_equal(json_object_object_length(v), 2);
	assert_string_equal(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN),
			    "{\"kernel-module\":\"hold\",\"inactive\":{}}");
	json_object_object_get_ex(v, "kernel-module", &v);
	assert_string_equal(json_object_get_string(v), "hold");
	json_object_put(obj);
	obj = mx_json_missed(0, "overflow", 0);
	json_object_object_get_ex(obj, "count", &v);
	assert_null(v);
	json_object_put(obj);
	mx_model_free(&m);
}

static void live_keys_sort_reverse_and_quit(void **state)
{
	struct mx_record recs[] = { test_record("a", 1, 1, 0, 9), test_record("b", 2, 5, 0, 1) };
	struct mx_top_state st = { 0 };
	struct mx_model m;

	(void)state;
	test_model(&m, recs, 2);
	assert_string_equal(m.order[0]->rec.module, "a");
	/* The default is the last key: s wraps to the first, < goes back. */
	assert_int_equal(mx_top_handle_key(&st, &m, 's'), MX_TOP_REDRAW);
	assert_int_equal(m.sort_key, MX_KEY_READER);
	assert_int_equal(mx_top_handle_key(&st, &m, '<'), MX_TOP_REDRAW);
	assert_int_equal(mx_top_handle_key(&st, &m, '<'), MX_TOP_REDRAW);
	assert_int_equal(m.sort_key, MX_KEY_DUPS);
	m.sort_key = MX_KEY_DUP_CONCURRENT - 1;
	mx_top_handle_key(&st, &m, '>');
	assert_string_equal(m.order[0]->rec.module, "b");
	mx_top_handle_key(&st, &m, 'r');
	assert_true(m.reverse);
	assert_string_equal(m.order[0]->rec.module, "a");
	assert_int_equal(mx_top_handle_key(&st, &m, 'x'), MX_TOP_NONE);
	assert_int_equal(mx_top_handle_key(&st, &m, ' '), MX_TOP_REFRESH);
	assert_int_equal(mx_top_handle_key(&st, &m, 'q'), MX_TOP_QUIT);
	mx_model_free(&m);
}

static void the_selection_follows_its_record_across_sorts(void **state)
{
	struct mx_record recs[] = { test_record("a", 1, 1, 0, 9), test_record("b", 2, 5, 0, 1) };
	struct mx_top_state st = { 0 };
	struct mx_model m;

	(void)state;
	test_model(&m, recs, 2);
	mx_top_handle_key(&st, &m, KEY_DOWN);
	assert_int_equal(st.selected, 1);		/* "b" */
	mx_top_handle_key(&st, &m, 'r');
	assert_string_equal(m.order[st.selected]->rec.module, "b");
	assert_int_equal(st.selected, 0);
	mx_top_handle_key(&st, &m, KEY_END);
	mx_top_handle_key(&st, &m, KEY_DOWN);
	assert_int_equal(st.selected, 1);
	mx_model_free(&m);
}

static void p_asks_before_it_cycles_the_policy(void **state)
{
	struct mx_record rec = test_record("a", 1, 1, 0, 9);
	struct mx_top_state st = { 0 };
	struct mx_model m;

	(void)state;
	test_model(&m, &rec, 1);
	/* Unknown policy: nothing to cycle from. */
	assert_int_equal(mx_top_handle_key(&st, &m, 'p'), MX_TOP_REDRAW);
	assert_false(st.confirm);
	mx_model_set_policy(&m, MODEXCL_READER_KERNEL_MODULE, MODEXCL_MODE_EXCLUSIVE, 0);
	assert_int_equal(mx_top_handle_key(&st, &m, 'p'), MX_TOP_REDRAW);
	assert_true(st.confirm);
	assert_int_equal(st.confirm_reader, MODEXCL_READER_KERNEL_MODULE);
	assert_int_equal(st.confirm_mode, MODEXCL_MODE_HOLD);
	assert_non_null(strstr(st.status, "from exclusive to hold? [y/n]"));
	/* Anything but y keeps the policy. */
	assert_int_equal(mx_top_handle_key(&st, &m, 'n'), MX_TOP_REDRAW);
	assert_false(st.confirm);
	assert_string_equal(st.status, "policy unchanged");
	mx_top_handle_key(&st, &m, 'p');
	assert_int_equal(mx_top_handle_key(&st, &m, 'y'), MX_TOP_SET_POLICY);
	assert_false(st.confirm);
	mx_model_free(&m);
}

static void help_opens_on_question_mark_and_any_key_closes_it(void **state)
{
	struct mx_top_state st = { 0 };
	struct mx_model m;

	(void)state;
	test_model(&m, NULL, 0);
	mx_top_handle_key(&st, &m, '?');
	assert_true(st.help);
	assert_int_equal(mx_top_handle_key(&st, &m, 's'), MX_TOP_REDRAW);
	assert_false(st.help);
	assert_int_equal(m.sort_key, MX_KEY_DEFAULT);	/* the key only closed help */
	/* No record: p says what it needs. */
	mx_top_handle_key(&st, &m, 'p');
	assert_false(st.confirm);
	assert_non_null(strstr(st.status, "no record selected"));
	mx_model_free(&m);
}


static void a_0x0_terminal_falls_back_to_columns_lines_then_80x24(void **state)
{
	int cols, lines;

	(void)state;
	/* A terminal that knows its size wins over the environment. */
	mx_top_pick_size(132, 43, "100", "30", &cols, &lines);
	assert_int_equal(cols, 132);
	assert_int_equal(lines, 43);
	/* A serial console reports 0x0: COLUMNS and LINES, as the shell set them. */
	mx_top_pick_size(0, 0, "100", "30", &cols, &lines);
	assert_int_equal(cols, 100);
	assert_int_equal(lines, 30);
	/* Neither: 80x24. */
	mx_top_pick_size(0, 0, NULL, NULL, &cols, &lines);
	assert_int_equal(cols, 80);
	assert_int_equal(lines, 24);
	/* Each dimension on its own; a variable that is no size counts as unset. */
	mx_top_pick_size(120, 0, "abc", "50", &cols, &lines);
	assert_int_equal(cols, 120);
	assert_int_equal(lines, 50);
	mx_top_pick_size(0, 40, "", NULL, &cols, &lines);
	assert_int_equal(cols, 80);
	assert_int_equal(lines, 40);
	mx_top_pick_size(0, 0, "-5", "0", &cols, &lines);
	assert_int_equal(cols, 80);
	assert_int_equal(lines, 24);
	mx_top_pick_size(0, 0, "99999999999", "25x", &cols, &lines);
	assert_int_equal(cols, 80);
	assert_int_equal(lines, 24);
}


/* Where @what starts in the line of @text that holds @key. */
static long column_of(const char *text, const char *key, const char *what)
{
	const char *at = strstr(text, key), *line;

	assert_non_null(at);
	for (line = at; line > text && line[-1] != '\n'; line--)
		;
	at = strstr(at, what);
	assert_non_null(at);
	return at - line;
}

#define LONG_MODULE "snd_soc_intel_sof_realtek_common_x"	/* 34 characters */

static void tables_and_batch_never_cut_a_name_the_screen_marks_its_cut(void **state)
{
	struct mx_record recs[] = {
		test_record(LONG_MODULE, 1, 3, 0, 8 * MIB),
		test_record("ext4", 2, 1, 0, 1 * MIB),
	};
	const struct mx_column *cols[MX_MAX_COLUMNS];
	char line[MX_LINE_MAX], *text;
	struct mx_model m;
	size_t n;

	(void)state;
	test_model(&m, recs, 2);
	text = capture(mx_view_table, &m);
	assert_non_null(strstr(text, "kernel-module    " LONG_MODULE " "));
	/* The columns after it stay aligned: both paths start in one column. */
	assert_int_equal(column_of(text, LONG_MODULE, "/lib/"), column_of(text, "ext4", "/lib/"));
	free(text);
	text = capture(batch_now, &m);
	assert_non_null(strstr(text, "kernel-module    " LONG_MODULE " "));
	free(text);
	/* The screen cuts, and says so with a '+' at the end of the cell. */
	n = mx_columns_fit(mx_top_columns, mx_nr_top_columns, MX_TOP_MIN_COLS, cols);
	mx_format_line(line, sizeof(line), cols, n, m.order[0], MX_TOP_MIN_COLS);
	assert_true(strlen(line) <= MX_TOP_MIN_COLS);
	assert_null(strstr(line, LONG_MODULE));
	assert_non_null(strstr(line, "snd_soc_intel_sof+ "));
	mx_model_free(&m);
}


static void at_80_columns_top_keeps_module_dups_wasted_and_avoided(void **state)
{
	struct mx_record rec = test_record("modexcl_test_big", 1, 0, 0, 0);
	const struct mx_column *cols[MX_MAX_COLUMNS];
	char line[MX_LINE_MAX];
	struct mx_model m;
	size_t n;

	(void)state;
	rec.counts.dup_read = 12;
	rec.counts.bytes_wasted = 25218720;
	test_model(&m, &rec, 1);
	n = mx_columns_fit(mx_top_columns, mx_nr_top_columns, MX_TOP_MIN_COLS, cols);
	mx_format_line(line, sizeof(line), cols, n, NULL, MX_TOP_MIN_COLS);
	assert_true(strlen(line) <= MX_TOP_MIN_COLS);
	assert_non_null(strstr(line, "MODULE"));
	assert_non_null(strstr(line, "DUPS"));
	assert_non_null(strstr(line, "WASTED"));
	assert_non_null(strstr(line, "AVOIDED"));
	/* The reader is still there, by its short name. */
	assert_non_null(strstr(line, "READER"));
	mx_format_line(line, sizeof(line), cols, n, m.order[0], MX_TOP_MIN_COLS);
	assert_true(strncmp(line, "mod ", 4) == 0);
	assert_non_null(strstr(line, "modexcl_test_big"));
	assert_non_null(strstr(line, "24.1 MiB"));
	/* Wide enough, the full name; the batch view has it too. */
	n = mx_columns_fit(mx_top_columns, mx_nr_top_columns, 200, cols);
	mx_format_line(line, sizeof(line), cols, n, m.order[0], 200);
	assert_true(strncmp(line, "kernel-module ", 14) == 0);
	mx_model_free(&m);
}


static void filters_only_remove_rows_from_table_batch_and_json(void **state)
{
	struct mx_record recs[] = {
		test_record("snd_pcm", 1, 2, 0, 2 * MIB),
		test_record("ext4", 2, 5, 0, 9 * MIB),
	};
	struct mx_filter f = { 0 };
	struct json_object *arr, *v;
	struct mx_model m;
	char *text;

	(void)state;
	test_model(&m, recs, 2);
	f.reader = MODEXCL_READER_KERNEL_MODULE;
	mx_filter_set_module(&f, "snd-*");
	mx_model_set_filter(&m, &f);
	text = capture(mx_view_table, &m);
	assert_non_null(strstr(text, "READER"));
	assert_non_null(strstr(text, "snd_pcm"));
	assert_null(strstr(text, "ext4"));
	assert_non_null(strstr(text, "total: 1 records, 1 loads, 2 duplicates"));
	free(text);
	text = capture(batch_now, &m);
	assert_non_null(strstr(text, "records 1 "));
	assert_non_null(strstr(text, "filter module snd_* reader kernel-module (1 of 2)"));
	assert_non_null(strstr(text, "snd_pcm"));
	assert_null(strstr(text, "ext4"));
	free(text);
	/* The same objects, fewer of them. */
	arr = mx_json_records(&m);
	assert_int_equal(json_object_array_length(arr), 1);
	v = json_object_array_get_idx(arr, 0);
	assert_int_equal(json_object_object_length(v), MX_KEY_RECORD_COUNT + 2);
	json_object_put(arr);
	mx_model_free(&m);
}

static void slash_prompts_for_a_module_glob_and_enter_applies_it(void **state)
{
	struct mx_record recs[] = {
		test_record("snd_pcm", 1, 2, 0, 2 * MIB),
		test_record("ext4", 2, 5, 0, 9 * MIB),
	};
	char lines[MX_SUMMARY_LINES][MX_LINE_MAX];
	struct mx_top_state st = { 0 };
	struct mx_model m;

	(void)state;
	test_model(&m, recs, 2);
	assert_int_equal(mx_top_handle_key(&st, &m, '/'), MX_TOP_REDRAW);
	assert_true(st.editing_filter);
	assert_non_null(strstr(st.status, "module glob"));
	/* Keys are text now: q does not quit. */
	assert_int_equal(mx_top_handle_key(&st, &m, 'q'), MX_TOP_REDRAW);
	mx_top_handle_key(&st, &m, KEY_BACKSPACE);
	for (const char *k = "snd-x"; *k; k++)
		mx_top_handle_key(&st, &m, *k);
	mx_top_handle_key(&st, &m, 127);
	mx_top_handle_key(&st, &m, '*');
	assert_string_equal(st.filter_input, "snd-*");
	assert_int_equal(m.nr_shown, 2);		/* nothing applied yet */
	assert_int_equal(mx_top_handle_key(&st, &m, '\n'), MX_TOP_REDRAW);
	assert_false(st.editing_filter);
	assert_int_equal(m.nr_shown, 1);
	assert_string_equal(m.order[0]->rec.module, "snd_pcm");
	assert_string_equal(st.status, "filter module snd_*: 1 of 2 records");
	/* The header says so while it lasts. */
	mx_format_summary(lines, &m, 0);
	assert_non_null(strstr(lines[0], "filter module snd_* (1 of 2)"));
	/* f opens it with the glob in place; Esc keeps it. */
	mx_top_handle_key(&st, &m, 'f');
	assert_string_equal(st.filter_input, "snd_*");
	mx_top_handle_key(&st, &m, 'x');
	assert_int_equal(mx_top_handle_key(&st, &m, 27), MX_TOP_REDRAW);
	assert_string_equal(m.filter.module, "snd_*");
	/* An empty glob shows all again. */
	mx_top_handle_key(&st, &m, '/');
	for (int i = 0; i < 5; i++)
		mx_top_handle_key(&st, &m, KEY_BACKSPACE);
	mx_top_handle_key(&st, &m, KEY_ENTER);
	assert_int_equal(m.nr_shown, 2);
	assert_string_equal(st.status, "no filter: 2 records");
	mx_format_summary(lines, &m, 0);
	assert_null(strstr(lines[0], "filter"));
	mx_model_free(&m);
}

/* The counters' list, as the views must show it. */
#define COUNTER_NAMES(field, ATTR, name, unit, title, ...) { name, title },
static const struct {
	const char *name, *title;
} counter_names[MX_NR_COUNTERS] = { MX_COUNTERS(COUNTER_NAMES) };
#undef COUNTER_NAMES

static void every_counter_is_a_json_key_a_sort_key_and_a_stats_column(void **state)
{
	const struct mx_column *cols[MX_MAX_COLUMNS];
	size_t n = mx_columns_fit(mx_stats_columns, mx_nr_stats_columns, 0, cols);
	struct mx_record rec = test_record("a", 1, 0, 0, 0);
	char titles[MX_LINE_MAX * 2];
	struct json_object *obj, *v;
	enum mx_key key;

	(void)state;
	for (int i = 0; i < MX_NR_COUNTERS; i++)
		rec.counts.v[i] = 1000 + i;
	obj = mx_json_record(&rec);
	mx_format_line(titles, sizeof(titles), cols, n, NULL, 0);
	for (int i = 0; i < MX_NR_COUNTERS; i++) {
		assert_true(json_object_object_get_ex(obj, counter_names[i].name, &v));
		assert_int_equal(json_object_get_uint64(v), 1000 + i);
		assert_int_equal(mx_key_parse(counter_names[i].name, &key), 0);
		assert_int_equal(mx_record_u64(&rec, key), 1000 + i);
		assert_non_null(strstr(titles, counter_names[i].title));
	}
	json_object_put(obj);
}

static void a_delta_column_shows_the_growth_in_the_counters_unit(void **state)
{
	struct mx_record rec = test_record("a", 1, 1, 0, 1 * MIB);
	const struct mx_column *cols[MX_MAX_COLUMNS];
	char line[MX_LINE_MAX * 2];
	struct mx_model m;
	size_t n;

	(void)state;
	test_model(&m, &rec, 1);
	rec.counts.dup_concurrent = 4;
	rec.counts.bytes_avoided = 3 * MIB + 512 * 1024;
	mx_model_dump_begin(&m);
	mx_model_dump_add(&m, &rec);
	mx_model_dump_end(&m);
	mx_model_tick(&m, 1000000000);
	assert_int_equal(mx_counts_u64(&m.rows[0].delta, MX_KEY_DUPS), 3);
	assert_int_equal(mx_counts_u64(&m.rows[0].delta, MX_KEY_DUP_BYTES), 2 * MIB + 512 * 1024);
	assert_int_equal(mx_counts_u64(&m.rows[0].delta, MX_KEY_PATH), 0);
	assert_int_equal(mx_key_unit(MX_KEY_DUP_BYTES), MX_UNIT_BYTES);
	assert_int_equal(mx_key_unit(MX_KEY_WAIT_NS), MX_UNIT_NS);
	n = mx_columns_fit(mx_top_columns, mx_nr_top_columns, 0, cols);
	mx_format_line(line, sizeof(line), cols, n, m.order[0], 0);
	/* DUPS +DUPS WASTED AVOIDED +AVOIDED */
	assert_non_null(strstr(line, " 4      3        0 B    3.5 MiB    2.5 MiB "));
	mx_model_free(&m);
}

static void d_prompts_for_the_refresh_interval_and_parses_it_as_the_option_does(void **state)
{
	struct mx_top_state st = { .interval_s = 2 };
	struct mx_model m;

	(void)state;
	test_model(&m, NULL, 0);
	assert_int_equal(mx_top_handle_key(&st, &m, 'd'), MX_TOP_REDRAW);
	assert_true(st.editing_interval);
	assert_non_null(strstr(st.status, "refresh interval in seconds, now 2 "));
	/* Keys are text now: q does not quit. */
	assert_int_equal(mx_top_handle_key(&st, &m, 'q'), MX_TOP_REDRAW);
	mx_top_handle_key(&st, &m, KEY_BACKSPACE);
	for (const char *k = "0.25"; *k; k++)
		mx_top_handle_key(&st, &m, *k);
	assert_string_equal(st.interval_input, "0.25");
	assert_int_equal(mx_top_handle_key(&st, &m, '\n'), MX_TOP_SET_INTERVAL);
	assert_false(st.editing_interval);
	assert_true(st.interval_s == 0.25);
	assert_string_equal(st.status, "refresh every 0.25s");
	/* Out of -d's range or not a number: nothing changes. */
	for (const char *bad = "0\0" "1,5\0" "86401\0" "\0"; ; bad += strlen(bad) + 1) {
		mx_top_handle_key(&st, &m, 'd');
		assert_non_null(strstr(st.status, "now 0.25 "));
		for (const char *k = bad; *k; k++)
			mx_top_handle_key(&st, &m, *k);
		assert_int_equal(mx_top_handle_key(&st, &m, KEY_ENTER), MX_TOP_REDRAW);
		assert_true(st.interval_s == 0.25);
		assert_non_null(strstr(st.status, "interval unchanged: seconds from 0.1 to 86400"));
		if (!*bad)
			break;
	}
	/* Esc keeps it too. */
	mx_top_handle_key(&st, &m, 'd');
	mx_top_handle_key(&st, &m, '9');
	assert_int_equal(mx_top_handle_key(&st, &m, 27), MX_TOP_REDRAW);
	assert_string_equal(st.status, "interval unchanged");
	assert_true(st.interval_s == 0.25);
	mx_top_handle_key(&st, &m, 'd');
	for (const char *k = "86400"; *k; k++)
		mx_top_handle_key(&st, &m, *k);
	assert_int_equal(mx_top_handle_key(&st, &m, '\r'), MX_TOP_SET_INTERVAL);
	assert_string_equal(st.status, "refresh every 86400s");
	mx_model_free(&m);
}

static void plus_toggles_sorting_by_growth_and_the_header_says_so(void **state)
{
	struct mx_record recs[] = { test_record("a", 1, 9, 0, 9), test_record("b", 2, 1, 0, 1) };
	char lines[MX_SUMMARY_LINES][MX_LINE_MAX];
	struct mx_top_state st = { 0 };
	struct mx_model m;

	(void)state;
	test_model(&m, recs, 2);
	recs[1].counts.bytes_avoided += 100;
	mx_model_dump_begin(&m);
	mx_model_dump_add(&m, &recs[0]);
	mx_model_dump_add(&m, &recs[1]);
	mx_model_dump_end(&m);
	mx_model_tick(&m, 1000000000);
	assert_string_equal(m.order[0]->rec.module, "b");	/* 101 dup-bytes against 9 */
	m.sort_key = MX_KEY_DUPS;
	mx_model_sort(&m);
	assert_string_equal(m.order[0]->rec.module, "a");
	assert_int_equal(mx_top_handle_key(&st, &m, '+'), MX_TOP_REDRAW);
	assert_true(m.sort_by_growth);
	assert_string_equal(st.status, "sort by the growth of dups over the last interval");
	mx_format_summary(lines, &m, 0);
	assert_non_null(strstr(lines[0], "  sort +dups"));
	/* No dups grew: the biggest first still. */
	assert_string_equal(m.order[0]->rec.module, "a");
	mx_top_handle_key(&st, &m, 's');
	assert_string_equal(st.status, "sort by +dup-bytes");
	assert_string_equal(m.order[0]->rec.module, "b");
	mx_format_summary(lines, &m, 0);
	assert_non_null(strstr(lines[0], "  sort +dup-bytes"));
	/* A key that does not grow: + says so and the header has no '+'. */
	mx_top_handle_key(&st, &m, 's');
	assert_int_equal(m.sort_key, MX_KEY_READER);
	mx_format_summary(lines, &m, 0);
	assert_non_null(strstr(lines[0], "  sort reader"));
	mx_top_handle_key(&st, &m, '+');
	assert_true(m.sort_by_growth);
	assert_non_null(strstr(st.status, "reader does not grow"));
	mx_top_handle_key(&st, &m, '<');
	assert_int_equal(mx_top_handle_key(&st, &m, '+'), MX_TOP_REDRAW);
	assert_false(m.sort_by_growth);
	assert_string_equal(st.status, "sort by dup-bytes");
	mx_format_summary(lines, &m, 0);
	assert_non_null(strstr(lines[0], "  sort dup-bytes"));
	mx_model_free(&m);
}

static void json_batch_frames_are_one_line_each_the_array_stats_j_prints(void **state)
{
	struct mx_record recs[] = { test_record("a", 1, 1, 0, 1), test_record("b", 2, 1, 0, 2) };
	char *text = NULL, *stats = NULL, *second;
	size_t len = 0, stats_len = 0;
	struct mx_model m;
	FILE *f;

	(void)state;
	test_model(&m, recs, 2);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	assert_int_equal(mx_view_batch_json(f, &m), 0);
	assert_int_equal(mx_view_batch_json(f, &m), 0);
	fclose(f);
	f = open_memstream(&stats, &stats_len);
	assert_non_null(f);
	assert_int_equal(mx_json_print(f, mx_json_records(&m), false), 0);
	fclose(f);
	/* JSON Lines: each frame whole on its own line, as stats -j prints it off a terminal. */
	assert_non_null(strchr(stats, '\n'));
	assert_ptr_equal(strchr(stats, '\n'), stats + stats_len - 1);
	assert_int_equal(len, 2 * stats_len);
	second = text + stats_len;
	assert_memory_equal(text, stats, stats_len);
	assert_memory_equal(second, stats, stats_len);
	free(text);
	free(stats);
	mx_model_free(&m);
}

/* A record whose latest duplicate systemd-udevd[412] made a minute ago, 3 loads waiting. */
static struct mx_record attributed_record(void)
{
	struct mx_record rec = test_record("virtio_net", 1, 14, 0, 393624);

	rec.has_waiting = true;
	rec.waiting = 3;
	rec.last_seen = mx_now_boot() - 60 * 1000000000ULL;
	rec.last_caller = (struct mx_task){
		.has = (1u << MX_NR_TASK_ATTRS) - 1, .pid = 412, .comm = "systemd-udevd",
		.ppid = 1, .parent_comm = "systemd", .cgroup = 1,
	};
	return rec;
}

/* Is @s, a date and time, between the times @lo and @hi (real, ns)? */
static void assert_datetime_within(const char *s, int64_t lo, int64_t hi)
{
	char a[MX_FMT_LEN], b[MX_FMT_LEN];

	mx_fmt_datetime(a, sizeof(a), lo);
	mx_fmt_datetime(b, sizeof(b), hi);
	assert_int_equal(strlen(s), 23);
	assert_true(strcmp(a, s) <= 0 && strcmp(s, b) <= 0);
}

/* The 23 characters of @key's line in @text under the title @title. */
static void cell_under(char *buf, size_t len, const char *text, const char *key,
		       const char *title)
{
	long col = column_of(text, "READER", title);
	const char *line = strstr(text, key);

	assert_non_null(line);
	while (line > text && line[-1] != '\n')
		line--;
	snprintf(buf, len, "%.23s", line + col);
}

static void the_table_shows_waiting_loads_the_last_caller_and_when(void **state)
{
	int64_t before = mx_now_real() - 60000000000LL, after;
	char *text = NULL, seen[24];
	struct mx_record recs[2];
	struct mx_model m;
	size_t len = 0;
	FILE *f;

	(void)state;
	/* Its minute ago is between these two. */
	recs[0] = attributed_record();
	recs[1] = test_record("e1000", 2, 1, 0, 1);
	mx_cgroup_set_root("/nonexistent");
	test_model(&m, recs, 2);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	mx_view_table(f, &m);
	fclose(f);
	after = mx_now_real() - 60000000000LL;
	assert_non_null(strstr(text, " WAITING "));
	assert_non_null(strstr(text, " CALLER "));
	assert_non_null(strstr(text, " CGROUP "));
	assert_non_null(strstr(text, " LAST-SEEN "));
	/* A cgroup not found is its number; the other record has no caller, no time. */
	assert_non_null(strstr(text, "      3 "));
	assert_non_null(strstr(text, " systemd-udevd[412]   1 "));
	cell_under(seen, sizeof(seen), text, "virtio_net", "LAST-SEEN");
	assert_datetime_within(seen, before, after);
	assert_non_null(strstr(strstr(text, "e1000"), " - "));
	free(text);
	/* JSON: waiting, last-caller and last-seen-time; an older kernel's record: null. */
	{
		struct json_object *obj = mx_json_record(&recs[0]), *v, *c;

		json_object_object_get_ex(obj, "waiting", &v);
		assert_int_equal(json_object_get_uint64(v), 3);
		json_object_object_get_ex(obj, "last-caller", &c);
		json_object_object_get_ex(c, "comm", &v);
		assert_string_equal(json_object_get_string(v), "systemd-udevd");
		json_object_object_get_ex(c, "cgroup-path", &v);
		assert_null(v);
		json_object_object_get_ex(obj, "last-seen-time", &v);
		assert_int_equal(strlen(json_object_get_string(v)), 24);
		json_object_put(obj);
		obj = mx_json_record(&recs[1]);
		assert_true(json_object_object_get_ex(obj, "waiting", &v));
		assert_null(v);
		assert_true(json_object_object_get_ex(obj, "last-caller", &v));
		assert_null(v);
		assert_true(json_object_object_get_ex(obj, "last-seen-time", &v));
		assert_null(v);
		json_object_put(obj);
	}
	mx_model_free(&m);
	mx_cgroup_free();
}

static void top_shows_waiting_loads_at_80_columns_and_the_caller_where_it_fits(void **state)
{
	struct mx_record rec = attributed_record();
	const struct mx_column *cols[MX_MAX_COLUMNS];
	char line[MX_LINE_MAX];
	struct mx_model m;
	size_t n;

	(void)state;
	mx_cgroup_set_root("/nonexistent");
	test_model(&m, &rec, 1);
	n = mx_columns_fit(mx_top_columns, mx_nr_top_columns, MX_TOP_MIN_COLS, cols);
	mx_format_line(line, sizeof(line), cols, n, NULL, MX_TOP_MIN_COLS);
	assert_non_null(strstr(line, " WAITING"));
	assert_null(strstr(line, "CALLER"));
	mx_format_line(line, sizeof(line), cols, n, m.order[0], MX_TOP_MIN_COLS);
	assert_true(strlen(line) <= MX_TOP_MIN_COLS);
	assert_int_equal(line[strlen(line) - 1], '3');
	/* Wider, the caller comes before the wait and the path. */
	n = mx_columns_fit(mx_top_columns, mx_nr_top_columns, 132, cols);
	mx_format_line(line, sizeof(line), cols, n, m.order[0], 132);
	assert_non_null(strstr(line, " systemd-udevd[412]"));
	/* The batch view has every column: the time of the latest attempt too. */
	{
		char *text = capture(batch_now, &m);

		assert_non_null(strstr(text, " LAST-SEEN "));
		assert_non_null(strstr(text, " systemd-udevd[412] "));
		free(text);
	}
	mx_model_free(&m);
	mx_cgroup_free();
}

/*
 * virtio_net's file under a hold claim, e1000's without one, a firmware
 * file's record, which has no claim to report.
 */
static void claimed_records(struct mx_record recs[3])
{
	recs[0] = test_record("virtio_net", 1, 0, 6, 6 * MIB);
	recs[1] = test_record("e1000", 2, 0, 1, MIB);
	recs[2] = test_record("", 3, 0, 0, 0);
	recs[0].has_claim = true;
	recs[0].claim = MODEXCL_CLAIM_HELD;
	recs[1].has_claim = true;
	recs[1].claim = MODEXCL_CLAIM_NONE;
	recs[2].reader = MODEXCL_READER_FIRMWARE;
	strcpy(recs[2].path, "/lib/firmware/fw.bin");
}

/* The CLAIM cells of claimed_records() in a table or batch @text. */
static void assert_claim_cells(const char *text)
{
	char cell[24];

	cell_under(cell, sizeof(cell), text, "virtio_net", "CLAIM");
	assert_memory_equal(cell, "held  ", 6);
	cell_under(cell, sizeof(cell), text, "e1000", "CLAIM");
	assert_memory_equal(cell, "none  ", 6);
	/* The kernel did not say: "-", not none. */
	cell_under(cell, sizeof(cell), text, "/lib/firmware/fw.bin", "CLAIM");
	assert_memory_equal(cell, "-     ", 6);
}

static void the_table_and_json_say_whether_a_hold_claim_covers_a_record(void **state)
{
	struct mx_record recs[3];
	struct json_object *obj, *v;
	struct mx_model m;
	char cell[24], *text;

	(void)state;
	claimed_records(recs);
	test_model(&m, recs, 3);
	text = capture(mx_view_table, &m);
	/* Between the loads waiting for the holder and the holder. */
	assert_non_null(strstr(text, " WAITING CLAIM     PID "));
	assert_claim_cells(text);
	free(text);
	/* A newer kernel's value, by its number. */
	m.rows[1].rec.claim = 7;
	text = capture(mx_view_table, &m);
	cell_under(cell, sizeof(cell), text, "e1000", "CLAIM");
	assert_memory_equal(cell, "7     ", 6);
	free(text);
	mx_model_free(&m);

	/* JSON: the spec's names; null where the kernel did not say, as for waiting. */
	obj = mx_json_record(&recs[0]);
	assert_true(json_object_object_get_ex(obj, "claim", &v));
	assert_string_equal(json_object_get_string(v), "held");
	json_object_put(obj);
	obj = mx_json_record(&recs[1]);
	assert_true(json_object_object_get_ex(obj, "claim", &v));
	assert_string_equal(json_object_get_string(v), "none");
	json_object_put(obj);
	obj = mx_json_record(&recs[2]);
	assert_true(json_object_object_get_ex(obj, "claim", &v));
	assert_null(v);
	assert_int_equal(json_object_object_length(obj), MX_KEY_RECORD_COUNT + 2);
	json_object_put(obj);
	recs[1].claim = 7;
	obj = mx_json_record(&recs[1]);
	json_object_object_get_ex(obj, "claim", &v);
	assert_true(json_object_is_type(v, json_type_int));
	assert_int_equal(json_object_get_uint64(v), 7);
	json_object_put(obj);
}

static void top_shows_the_claim_where_it_fits_and_keeps_its_80_columns(void **state)
{
	const struct mx_column *cols[MX_MAX_COLUMNS];
	struct mx_record recs[3];
	char line[MX_LINE_MAX], *text;
	struct mx_model m;
	size_t n;

	(void)state;
	claimed_records(recs);
	test_model(&m, recs, 3);
	/* 80 columns are as they were: no claim. */
	n = mx_columns_fit(mx_top_columns, mx_nr_top_columns, MX_TOP_MIN_COLS, cols);
	mx_format_line(line, sizeof(line), cols, n, NULL, MX_TOP_MIN_COLS);
	assert_null(strstr(line, "CLAIM"));
	assert_non_null(strstr(line, " WAITING"));
	/* With the holder's PID, right before it. */
	n = mx_columns_fit(mx_top_columns, mx_nr_top_columns, 132, cols);
	mx_format_line(line, sizeof(line), cols, n, NULL, 132);
	assert_non_null(strstr(line, " CLAIM     PID "));
	mx_format_line(line, sizeof(line), cols, n, m.order[0], 132);
	assert_non_null(strstr(line, "virtio_net"));
	assert_non_null(strstr(line, " held        - "));
	/* The batch view has every column. */
	text = capture(batch_now, &m);
	assert_claim_cells(text);
	free(text);
	mx_model_free(&m);
}

const struct CMUnitTest view_tests[] = {
	cmocka_unit_test(the_table_shows_human_units_and_totals),
	cmocka_unit_test(an_empty_table_still_has_its_header_and_totals),
	cmocka_unit_test(a_batch_snapshot_has_summary_policy_and_rows),
	cmocka_unit_test(narrow_screens_drop_the_optional_columns),
	cmocka_unit_test(the_summary_marks_a_mode_that_does_not_apply),
	cmocka_unit_test(policy_lines_say_when_a_mode_does_not_apply_after_reader_and_mode),
	cmocka_unit_test(json_policy_lists_the_readers_whose_mode_does_not_apply),
	cmocka_unit_test(a_summary_reports_missed_events),
	cmocka_unit_test(a_json_record_has_every_key_with_exact_numbers),
	cmocka_unit_test(json_records_are_one_array_in_sort_order),
	cmocka_unit_test(json_events_name_their_kind_and_keep_the_sequence),
	cmocka_unit_test(json_resync_carries_records_and_policy),
	cmocka_unit_test(live_keys_sort_reverse_and_quit),
	cmocka_unit_test(the_selection_follows_its_record_across_sorts),
	cmocka_unit_test(p_asks_before_it_cycles_the_policy),
	cmocka_unit_test(help_opens_on_question_mark_and_any_key_closes_it),
	cmocka_unit_test(a_0x0_terminal_falls_back_to_columns_lines_then_80x24),
	cmocka_unit_test(tables_and_batch_never_cut_a_name_the_screen_marks_its_cut),
	cmocka_unit_test(at_80_columns_top_keeps_module_dups_wasted_and_avoided),
	cmocka_unit_test(filters_only_remove_rows_from_table_batch_and_json),
	cmocka_unit_test(slash_prompts_for_a_module_glob_and_enter_applies_it),
	cmocka_unit_test(every_counter_is_a_json_key_a_sort_key_and_a_stats_column),
	cmocka_unit_test(a_delta_column_shows_the_growth_in_the_counters_unit),
	cmocka_unit_test(d_prompts_for_the_refresh_interval_and_parses_it_as_the_option_does),
	cmocka_unit_test(plus_toggles_sorting_by_growth_and_the_header_says_so),
	cmocka_unit_test(json_batch_frames_are_one_line_each_the_array_stats_j_prints),
	cmocka_unit_test(the_table_shows_waiting_loads_the_last_caller_and_when),
	cmocka_unit_test(top_shows_waiting_loads_at_80_columns_and_the_caller_where_it_fits),
	cmocka_unit_test(the_table_and_json_say_whether_a_hold_claim_covers_a_record),
	cmocka_unit_test(top_shows_the_claim_where_it_fits_and_keeps_its_80_columns),
};
const size_t nr_view_tests = sizeof(view_tests) / sizeof(view_tests[0]);
