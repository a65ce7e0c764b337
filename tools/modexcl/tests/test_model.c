// SPDX-License-Identifier: GPL-2.0
/* The records model: dump merge, events, deltas, rates, sorting, keys. */
#include <string.h>

#include "tests.h"

#define SEC 1000000000ULL
#define MIB (1ULL << 20)

static void a_dump_fills_the_table_and_the_totals(void **state)
{
	struct mx_record recs[] = {
		test_record("a", 1, 3, 0, 6 * MIB),
		test_record("b", 2, 0, 2, 4 * MIB),
	};
	struct mx_model m;

	(void)state;
	test_model(&m, recs, 2);
	assert_int_equal(m.nr_rows, 2);
	assert_int_equal(m.total.dup_concurrent, 3);
	assert_int_equal(m.total.dup_serial, 2);
	assert_int_equal(mx_counts_u64(&m.total, MX_KEY_DUPS), 5);
	assert_int_equal(m.total.bytes_avoided, 10 * MIB);
	assert_int_equal(m.total.loads, 2);
	mx_model_free(&m);
}

static void a_dump_drops_records_the_kernel_no_longer_has(void **state)
{
	struct mx_record recs[] = { test_record("a", 1, 1, 0, 0), test_record("b", 2, 1, 0, 0) };
	struct mx_model m;

	(void)state;
	test_model(&m, recs, 2);
	mx_model_dump_begin(&m);
	assert_int_equal(mx_model_dump_add(&m, &recs[1]), 0);
	mx_model_dump_end(&m);
	assert_int_equal(m.nr_rows, 1);
	assert_string_equal(m.order[0]->rec.module, "b");
	assert_int_equal(m.total.dup_concurrent, 1);
	mx_model_free(&m);
}

static void the_same_file_under_another_reader_is_another_record(void **state)
{
	struct mx_record recs[] = { test_record("a", 1, 1, 0, 0), test_record("a", 1, 1, 0, 0) };
	struct mx_model m;

	(void)state;
	recs[1].reader = MODEXCL_READER_FIRMWARE;
	test_model(&m, recs, 2);
	assert_int_equal(m.nr_rows, 2);
	mx_model_free(&m);
}

static void the_first_interval_has_no_deltas(void **state)
{
	struct mx_record rec = test_record("a", 1, 5, 5, 10 * MIB);
	struct mx_model m;

	(void)state;
	test_model(&m, &rec, 1);
	assert_int_equal(mx_counts_u64(&m.rows[0].delta, MX_KEY_DUPS), 0);
	assert_int_equal(m.total_delta.bytes_avoided, 0);
	assert_true(m.rates.dups == 0);
	mx_model_free(&m);
}

static void deltas_and_rates_cover_the_last_interval(void **state)
{
	struct mx_record rec = test_record("a", 1, 1, 0, 2 * MIB);
	struct mx_model m;

	(void)state;
	test_model(&m, &rec, 1);
	rec.counts.dup_concurrent = 5;		/* +4 */
	rec.counts.dup_serial = 4;		/* +4 */
	rec.counts.bytes_avoided = 18 * MIB;	/* +16 MiB */
	mx_model_dump_begin(&m);
	mx_model_dump_add(&m, &rec);
	mx_model_dump_end(&m);
	mx_model_tick(&m, 2 * SEC);
	assert_int_equal(mx_counts_u64(&m.rows[0].delta, MX_KEY_DUPS), 8);
	assert_int_equal(m.rows[0].delta.bytes_avoided, 16 * MIB);
	assert_int_equal(mx_counts_u64(&m.total_delta, MX_KEY_DUPS), 8);
	assert_true(m.interval_s == 2.0);
	assert_true(m.rates.dups == 4.0);
	assert_true(m.rates.bytes_avoided == 8.0 * MIB);
	/* A quiet interval brings them back to zero. */
	mx_model_tick(&m, 3 * SEC);
	assert_int_equal(mx_counts_u64(&m.rows[0].delta, MX_KEY_DUPS), 0);
	assert_true(m.rates.dups == 0);
	mx_model_free(&m);
}

/*
 * Format refusals: summed over the records and grown per interval like every
 * counter, a sort key with '+' too; in neither failed nor the duplicates.
 */
static void format_refusals_count_grow_and_sort_on_their_own(void **state)
{
	struct mx_record recs[] = { test_record("a", 1, 1, 0, 0), test_record("b", 2, 1, 0, 0) };
	struct mx_model m;
	enum mx_key key;
	bool growth;

	(void)state;
	recs[0].counts.format_refused = 5;
	recs[1].counts.format_refused = 1;
	recs[1].source = MODEXCL_SOURCE_IMAGE;
	test_model(&m, recs, 2);
	assert_int_equal(m.total.format_refused, 6);
	assert_int_equal(m.total.failed, 0);
	assert_int_equal(mx_counts_u64(&m.total, MX_KEY_DUPS), 2);
	recs[1].counts.format_refused += 3;
	mx_model_dump_begin(&m);
	mx_model_dump_add(&m, &recs[0]);
	mx_model_dump_add(&m, &recs[1]);
	mx_model_dump_end(&m);
	mx_model_tick(&m, SEC);
	assert_int_equal(m.total.format_refused, 9);
	assert_int_equal(mx_counts_u64(&m.total_delta, MX_KEY_FORMAT_REFUSED), 3);
	assert_int_equal(mx_counts_u64(&m.total_delta, MX_KEY_DUPS), 0);
	/* By value a has more; b grew. */
	assert_int_equal(mx_sort_parse("format-refused", &m.sort_key, &m.sort_by_growth), 0);
	mx_model_sort(&m);
	assert_string_equal(m.order[0]->rec.module, "a");
	assert_int_equal(mx_sort_parse("+format-refused", &key, &growth), 0);
	assert_int_equal(key, MX_KEY_FORMAT_REFUSED);
	assert_true(growth);
	m.sort_by_growth = growth;
	mx_model_sort(&m);
	assert_string_equal(m.order[0]->rec.module, "b");
	/* The source is a key, no counter: the image's record first, as numbers go. */
	assert_int_equal(mx_sort_parse("source", &m.sort_key, &m.sort_by_growth), 0);
	mx_model_sort(&m);
	assert_string_equal(m.order[0]->rec.module, "b");
	assert_int_equal(mx_sort_parse("+source", &key, &growth), -1);
	mx_model_free(&m);
}

static void a_record_new_in_an_interval_counts_whole(void **state)
{
	struct mx_record a = test_record("a", 1, 1, 0, 0), b = test_record("b", 2, 3, 0, 0);
	struct mx_model m;

	(void)state;
	test_model(&m, &a, 1);
	mx_model_dump_begin(&m);
	mx_model_dump_add(&m, &a);
	mx_model_dump_add(&m, &b);
	mx_model_dump_end(&m);
	mx_model_tick(&m, SEC);
	assert_int_equal(mx_counts_u64(&m.total_delta, MX_KEY_DUPS), 3);
	mx_model_free(&m);
}

static void a_counter_reset_counts_from_zero(void **state)
{
	struct mx_record rec = test_record("a", 1, 10, 0, 20 * MIB);
	struct mx_model m;

	(void)state;
	test_model(&m, &rec, 1);
	rec.counts.dup_concurrent = 2;
	rec.counts.bytes_avoided = 4 * MIB;
	mx_model_dump_begin(&m);
	mx_model_dump_add(&m, &rec);
	mx_model_dump_end(&m);
	mx_model_tick(&m, SEC);
	assert_int_equal(m.rows[0].delta.dup_concurrent, 2);
	assert_int_equal(m.rows[0].delta.bytes_avoided, 4 * MIB);
	mx_model_free(&m);
}

static struct mx_event dup_event(uint64_t seq, uint32_t kind, uint64_t ino, uint64_t bytes)
{
	struct mx_event ev = { .type = MX_EVENT_DUP, .seq = seq, .has_seq = true };

	ev.dup.reader = MODEXCL_READER_KERNEL_MODULE;
	ev.dup.kind = kind;
	ev.dup.ino = ino;
	ev.dup.dev = 0x2a;
	ev.dup.bytes = bytes;
	ev.dup.wait_ns = 1000;
	strcpy(ev.dup.module, "ev");
	strcpy(ev.dup.path, "/lib/modules/6.12/extra/ev.ko");
	return ev;
}

static void events_move_the_counters_between_dumps(void **state)
{
	struct mx_record rec = test_record("a", 1, 0, 0, 0);
	struct mx_event ev;
	struct mx_model m;

	(void)state;
	test_model(&m, &rec, 1);
	ev = dup_event(1, MODEXCL_DUP_KIND_CONCURRENT, 1, 2 * MIB);
	assert_int_equal(mx_model_apply(&m, &ev), 0);
	ev = dup_event(2, MODEXCL_DUP_KIND_SERIAL, 1, 2 * MIB);
	assert_int_equal(mx_model_apply(&m, &ev), 0);
	ev = dup_event(3, MODEXCL_DUP_KIND_READ, 1, MIB);
	assert_int_equal(mx_model_apply(&m, &ev), 0);
	assert_int_equal(m.rows[0].rec.counts.dup_concurrent, 1);
	assert_int_equal(m.rows[0].rec.counts.dup_serial, 1);
	assert_int_equal(m.rows[0].rec.counts.dup_read, 1);
	assert_int_equal(m.rows[0].rec.counts.bytes_avoided, 4 * MIB);
	assert_int_equal(m.rows[0].rec.counts.bytes_wasted, MIB);
	assert_int_equal(m.rows[0].rec.counts.wait_ns, 3000);
	assert_int_equal(m.total.bytes_avoided, 4 * MIB);
	assert_int_equal(mx_counts_u64(&m.total, MX_KEY_DUPS), 3);
	mx_model_free(&m);
}

static void an_event_for_an_unknown_file_adds_a_record(void **state)
{
	struct mx_event ev = dup_event(7, MODEXCL_DUP_KIND_SERIAL, 99, MIB);
	struct mx_model m;

	(void)state;
	test_model(&m, NULL, 0);
	mx_model_apply(&m, &ev);
	assert_int_equal(m.nr_rows, 1);
	assert_ptr_equal(m.order[0], &m.rows[0]);
	assert_string_equal(m.rows[0].rec.module, "ev");
	assert_int_equal(m.rows[0].rec.ino, 99);
	mx_model_free(&m);
}

/*
 * A record's claim is what the latest dump said: a duplicate between dumps
 * leaves it, a record an event made has none until a dump says, and a
 * sort by claim puts the held first.
 */
static void a_claim_comes_from_the_dump_and_sorts_held_first(void **state)
{
	struct mx_record recs[] = { test_record("a", 1, 9, 0, 9), test_record("b", 2, 1, 0, 1),
				    test_record("c", 3, 5, 0, 5) };
	struct mx_event ev;
	struct mx_model m;
	enum mx_key key;
	bool growth;

	(void)state;
	recs[0].has_claim = true;
	recs[0].claim = MODEXCL_CLAIM_NONE;
	recs[1].has_claim = true;
	recs[1].claim = MODEXCL_CLAIM_HELD;
	test_model(&m, recs, 3);
	assert_int_equal(mx_sort_parse("claim", &m.sort_key, &m.sort_by_growth), 0);
	assert_int_equal(m.sort_key, MX_KEY_CLAIM);
	mx_model_sort(&m);
	assert_string_equal(m.order[0]->rec.module, "b");
	assert_int_equal(mx_sort_parse("+claim", &key, &growth), -1);
	/* A serial duplicate of b counts; its claim stays as the dump said. */
	ev = dup_event(1, MODEXCL_DUP_KIND_SERIAL, 2, MIB);
	mx_model_apply(&m, &ev);
	mx_model_sort_if_stale(&m);
	assert_string_equal(m.order[0]->rec.module, "b");
	assert_true(m.order[0]->rec.has_claim);
	assert_int_equal(m.order[0]->rec.claim, MODEXCL_CLAIM_HELD);
	assert_int_equal(m.order[0]->rec.counts.dup_serial, 1);
	/* A file the table did not have: no claim known until the next dump. */
	ev = dup_event(2, MODEXCL_DUP_KIND_READ, 99, MIB);
	mx_model_apply(&m, &ev);
	for (size_t i = 0; i < m.nr_rows; i++)
		if (m.rows[i].rec.ino == 99)
			assert_false(m.rows[i].rec.has_claim);
	/* The next dump voids b's claim and a's is taken. */
	recs[0].claim = MODEXCL_CLAIM_HELD;
	recs[1].claim = MODEXCL_CLAIM_NONE;
	mx_model_dump_begin(&m);
	for (size_t i = 0; i < 3; i++)
		mx_model_dump_add(&m, &recs[i]);
	mx_model_dump_end(&m);
	assert_string_equal(m.order[0]->rec.module, "a");
	assert_int_equal(m.order[1]->rec.claim, MODEXCL_CLAIM_NONE);
	mx_model_free(&m);
}

static void a_gap_in_sequence_numbers_counts_missed_events(void **state)
{
	struct mx_event ev;
	struct mx_model m;

	(void)state;
	test_model(&m, NULL, 0);
	ev = dup_event(10, MODEXCL_DUP_KIND_CONCURRENT, 1, 0);
	assert_int_equal(mx_model_apply(&m, &ev), 0);	/* the first sets the base */
	ev = dup_event(11, MODEXCL_DUP_KIND_CONCURRENT, 1, 0);
	assert_int_equal(mx_model_apply(&m, &ev), 0);
	ev = dup_event(15, MODEXCL_DUP_KIND_CONCURRENT, 1, 0);
	assert_int_equal(mx_model_apply(&m, &ev), 3);
	assert_int_equal(m.missed, 3);
	/* A policy notification shares the sequence. */
	ev = (struct mx_event){ .type = MX_EVENT_POLICY, .seq = 16, .has_seq = true };
	ev.policy.reader = MODEXCL_READER_KERNEL_MODULE;
	ev.policy.mode = MODEXCL_MODE_HOLD;
	assert_int_equal(mx_model_apply(&m, &ev), 0);
	assert_true(m.policy_known[MODEXCL_READER_KERNEL_MODULE]);
	assert_int_equal(m.policy[MODEXCL_READER_KERNEL_MODULE], MODEXCL_MODE_HOLD);
	mx_model_free(&m);
}

static void an_overflow_counts_and_restarts_the_sequence(void **state)
{
	struct mx_event ev = dup_event(5, MODEXCL_DUP_KIND_CONCURRENT, 1, 0);
	struct mx_model m;

	(void)state;
	test_model(&m, NULL, 0);
	mx_model_apply(&m, &ev);
	mx_model_lost(&m);
	assert_int_equal(m.missed, 1);
	ev.seq = 50;
	assert_int_equal(mx_model_apply(&m, &ev), 0);
	assert_int_equal(m.missed, 1);
	mx_model_free(&m);
}

static void numbers_sort_biggest_first_by_bytes_avoided(void **state)
{
	struct mx_record recs[] = {
		test_record("small", 1, 1, 0, 1 * MIB),
		test_record("big", 2, 1, 0, 9 * MIB),
		test_record("mid", 3, 1, 0, 5 * MIB),
	};
	struct mx_model m;

	(void)state;
	test_model(&m, recs, 3);
	m.sort_key = MX_KEY_BYTES_AVOIDED;
	mx_model_sort(&m);
	assert_string_equal(m.order[0]->rec.module, "big");
	assert_string_equal(m.order[1]->rec.module, "mid");
	assert_string_equal(m.order[2]->rec.module, "small");
	m.reverse = true;
	mx_model_sort(&m);
	assert_string_equal(m.order[0]->rec.module, "small");
	assert_string_equal(m.order[2]->rec.module, "big");
	mx_model_free(&m);
}

static void text_sorts_alphabetically_and_ties_by_path(void **state)
{
	struct mx_record recs[] = {
		test_record("zeta", 1, 4, 0, 0),
		test_record("alpha", 2, 4, 0, 0),
		test_record("mu", 3, 9, 0, 0),
	};
	struct mx_model m;

	(void)state;
	test_model(&m, recs, 3);
	m.sort_key = MX_KEY_MODULE;
	mx_model_sort(&m);
	assert_string_equal(m.order[0]->rec.module, "alpha");
	assert_string_equal(m.order[2]->rec.module, "zeta");
	m.sort_key = MX_KEY_DUP_CONCURRENT;
	mx_model_sort(&m);
	assert_string_equal(m.order[0]->rec.module, "mu");
	assert_string_equal(m.order[1]->rec.module, "alpha");	/* tie: by path */
	assert_string_equal(m.order[2]->rec.module, "zeta");
	mx_model_free(&m);
}

static void every_key_sorts(void **state)
{
	struct mx_record recs[] = { test_record("a", 1, 1, 2, 3), test_record("b", 2, 3, 2, 1) };
	struct mx_model m;

	(void)state;
	recs[1].holder_pid = 42;
	recs[1].last_seen = 7;
	test_model(&m, recs, 2);
	for (int k = 0; k < MX_KEY_COUNT; k++) {
		m.sort_key = k;
		mx_model_sort(&m);
		assert_int_equal(m.nr_rows, 2);
		assert_ptr_not_equal(m.order[0], m.order[1]);
	}
	m.sort_key = MX_KEY_HOLDER_PID;
	mx_model_sort(&m);
	assert_int_equal(m.order[0]->rec.holder_pid, 42);
	mx_model_free(&m);
}

static void keys_are_the_spec_attribute_names(void **state)
{
	static const char *const names[] = {
		"reader", "module", "path", "ino", "dev", "loads", "dup-concurrent",
		"dup-serial", "dup-read", "bytes-wasted", "bytes-avoided", "wait-ns",
		"last-seen", "failed", "holder-pid", "holder-comm", "waiting",
		"format-refused", "source", "claim",
	};
	enum mx_key key;

	(void)state;
	assert_int_equal(sizeof(names) / sizeof(names[0]), MX_KEY_RECORD_COUNT);
	for (int k = 0; k < MX_KEY_RECORD_COUNT; k++) {
		assert_string_equal(mx_key_name(k), names[k]);
		assert_int_equal(mx_key_parse(names[k], &key), 0);
		assert_int_equal(key, k);
		assert_non_null(strstr(mx_key_list(), names[k]));
	}
	/* Then the computed keys, sort keys only. */
	assert_int_equal(mx_key_parse("dups", &key), 0);
	assert_int_equal(key, MX_KEY_DUPS);
	assert_int_equal(mx_key_parse("dup-bytes", &key), 0);
	assert_int_equal(key, MX_KEY_DUP_BYTES);
	assert_non_null(strstr(mx_key_list(),
			       "holder-comm, waiting, format-refused, source, claim, dups, "
			       "dup-bytes"));
	assert_int_equal(mx_key_parse("bytes", &key), -1);
	assert_int_equal(mx_key_parse("", &key), -1);
}

static void record_values_come_from_their_fields(void **state)
{
	struct mx_record r = test_record("m", 77, 3, 4, 5);

	(void)state;
	r.dev = 0x800001;
	r.holder_pid = 4242;
	r.counts.bytes_wasted = 1ULL << 40;
	strcpy(r.holder_comm, "udevd");
	assert_int_equal(mx_record_u64(&r, MX_KEY_INO), 77);
	assert_int_equal(mx_record_u64(&r, MX_KEY_DEV), 0x800001);
	assert_int_equal(mx_record_u64(&r, MX_KEY_DUP_SERIAL), 4);
	assert_int_equal(mx_record_u64(&r, MX_KEY_BYTES_WASTED), 1ULL << 40);
	assert_int_equal(mx_record_u64(&r, MX_KEY_HOLDER_PID), 4242);
	assert_int_equal(mx_record_u64(&r, MX_KEY_READER), MODEXCL_READER_KERNEL_MODULE);
	assert_string_equal(mx_record_str(&r, MX_KEY_HOLDER_COMM), "udevd");
	assert_null(mx_record_str(&r, MX_KEY_LOADS));
	/* A file's record, unless the kernel says otherwise. */
	assert_int_equal(mx_record_u64(&r, MX_KEY_SOURCE), MODEXCL_SOURCE_FILE);
	r.source = MODEXCL_SOURCE_IMAGE;
	assert_int_equal(mx_record_u64(&r, MX_KEY_SOURCE), MODEXCL_SOURCE_IMAGE);
	assert_false(mx_key_is_counter(MX_KEY_SOURCE));
	/* Format refusals are a counter of their own, in no sum. */
	r.counts.format_refused = 6;
	assert_int_equal(mx_record_u64(&r, MX_KEY_FORMAT_REFUSED), 6);
	assert_true(mx_key_is_counter(MX_KEY_FORMAT_REFUSED));
	assert_int_equal(mx_record_u64(&r, MX_KEY_DUPS), 3 + 4);
	assert_int_equal(mx_record_u64(&r, MX_KEY_FAILED), 0);
	/* The claim is a key from its field, no counter. */
	assert_int_equal(mx_record_u64(&r, MX_KEY_CLAIM), MODEXCL_CLAIM_NONE);
	r.claim = MODEXCL_CLAIM_HELD;
	r.has_claim = true;
	assert_int_equal(mx_record_u64(&r, MX_KEY_CLAIM), MODEXCL_CLAIM_HELD);
	assert_false(mx_key_is_counter(MX_KEY_CLAIM));
	assert_false(mx_key_is_string(MX_KEY_CLAIM));
}

static void names_round_trip_and_modes_cycle(void **state)
{
	uint32_t v;

	(void)state;
	for (uint32_t r = MX_READER_FIRST; r <= MX_READER_LAST; r++) {
		assert_int_equal(mx_reader_parse(mx_reader_name(r), &v), 0);
		assert_int_equal(v, r);
	}
	assert_int_equal(mx_reader_parse("unknown", &v), -1);
	assert_int_equal(mx_mode_parse("hold", &v), 0);
	assert_int_equal(v, MODEXCL_MODE_HOLD);
	assert_int_equal(mx_mode_parse("fast", &v), -1);
	assert_null(mx_reader_name(0));
	assert_null(mx_reader_name(99));
	assert_null(mx_mode_name(3));
	assert_string_equal(mx_source_name(MODEXCL_SOURCE_FILE), "file");
	assert_string_equal(mx_source_name(MODEXCL_SOURCE_IMAGE), "image");
	assert_null(mx_source_name(2));
	assert_string_equal(mx_claim_name(MODEXCL_CLAIM_NONE), "none");
	assert_string_equal(mx_claim_name(MODEXCL_CLAIM_HELD), "held");
	assert_string_equal(mx_claim_name(MODEXCL_CLAIM_NEVER), "never");
	assert_null(mx_claim_name(3));
	/* hold only for kernel-module */
	assert_int_equal(mx_mode_next(MODEXCL_READER_KERNEL_MODULE, MODEXCL_MODE_SHARED),
			 MODEXCL_MODE_EXCLUSIVE);
	assert_int_equal(mx_mode_next(MODEXCL_READER_KERNEL_MODULE, MODEXCL_MODE_EXCLUSIVE),
			 MODEXCL_MODE_HOLD);
	assert_int_equal(mx_mode_next(MODEXCL_READER_KERNEL_MODULE, MODEXCL_MODE_HOLD),
			 MODEXCL_MODE_SHARED);
	assert_int_equal(mx_mode_next(MODEXCL_READER_FIRMWARE, MODEXCL_MODE_EXCLUSIVE),
			 MODEXCL_MODE_SHARED);
}

static void inactive_reasons_are_named_unknown_bits_as_bit_n(void **state)
{
	char buf[MX_INACTIVE_LEN], small[12], unknown[MX_INACTIVE_NAME_MAX];

	(void)state;
	assert_string_equal(mx_inactive_format(buf, sizeof(buf), 0), "");
	assert_string_equal(mx_inactive_format(buf, sizeof(buf), MODEXCL_INACTIVE_IMA_POLICY),
			    "ima-policy");
	assert_string_equal(mx_inactive_format(buf, sizeof(buf), MODEXCL_INACTIVE_NO_LSM_NOTIFIER),
			    "no-lsm-notifier");
	assert_string_equal(mx_inactive_format(buf, sizeof(buf), MODEXCL_INACTIVE_IMA_POLICY |
					       MODEXCL_INACTIVE_NO_LSM_NOTIFIER | 1u << 31),
			    "ima-policy,no-lsm-notifier,bit-31");
	assert_string_equal(mx_inactive_name(2), "no-file-watch");
	assert_null(mx_inactive_name(3));
	assert_null(mx_inactive_name(MX_INACTIVE_BITS));
	assert_string_equal(mx_inactive_bit_name(0, unknown), "ima-policy");
	assert_string_equal(mx_inactive_bit_name(7, unknown), "bit-7");
	/* Every bit fits; a short buffer is cut, not overrun. */
	mx_inactive_format(buf, sizeof(buf), UINT32_MAX);
	assert_true(strlen(buf) < sizeof(buf) - 1);
	assert_non_null(strstr(buf, ",no-file-watch,bit-3,"));
	assert_string_equal(buf + strlen(buf) - 7, ",bit-31");
	assert_string_equal(mx_inactive_format(small, sizeof(small), UINT32_MAX), "ima-policy,");
}

static void a_policy_notification_sets_the_mode_and_why_it_does_not_apply(void **state)
{
	struct mx_event ev = { .type = MX_EVENT_POLICY };
	struct mx_model m;

	(void)state;
	test_model(&m, NULL, 0);
	ev.policy.reader = MODEXCL_READER_KERNEL_MODULE;
	ev.policy.mode = MODEXCL_MODE_HOLD;
	ev.policy.inactive = MODEXCL_INACTIVE_IMA_POLICY;
	mx_model_apply(&m, &ev);
	assert_int_equal(m.policy[MODEXCL_READER_KERNEL_MODULE], MODEXCL_MODE_HOLD);
	assert_int_equal(m.policy_inactive[MODEXCL_READER_KERNEL_MODULE],
			 MODEXCL_INACTIVE_IMA_POLICY);
	/* The reason gone (or a kernel that never sends one): the mode applies. */
	ev.policy.inactive = 0;
	mx_model_apply(&m, &ev);
	assert_int_equal(m.policy_inactive[MODEXCL_READER_KERNEL_MODULE], 0);
	/* A dump's reply sets both too. */
	mx_model_set_policy(&m, MODEXCL_READER_KERNEL_MODULE, MODEXCL_MODE_HOLD,
			    MODEXCL_INACTIVE_NO_LSM_NOTIFIER);
	assert_int_equal(m.policy_inactive[MODEXCL_READER_KERNEL_MODULE],
			 MODEXCL_INACTIVE_NO_LSM_NOTIFIER);
	mx_model_set_policy(&m, MODEXCL_READER_KERNEL_MODULE, MODEXCL_MODE_SHARED, 0);
	assert_int_equal(m.policy_inactive[MODEXCL_READER_KERNEL_MODULE], 0);
	mx_model_free(&m);
}

static void a_thousand_records_merge_and_sort(void **state)
{
	struct mx_model m;
	struct mx_record r;

	(void)state;
	test_model(&m, NULL, 0);
	for (int round = 0; round < 2; round++) {
		mx_model_dump_begin(&m);
		for (uint64_t i = 0; i < 1024; i++) {
			r = test_record("many", i + 1, i, round, i * 4096);
			assert_int_equal(mx_model_dump_add(&m, &r), 0);
		}
		mx_model_dump_end(&m);
		mx_model_tick(&m, (round + 1) * SEC);
	}
	assert_int_equal(m.nr_rows, 1024);
	assert_int_equal(m.order[0]->rec.ino, 1024);
	assert_int_equal(m.total_delta.dup_serial, 1024);
	assert_true(m.rates.dups == 1024.0);
	mx_model_free(&m);
}


static void the_default_sort_ranks_files_by_duplicate_bytes_under_any_policy(void **state)
{
	/* Under shared, serial duplicates read: bytes wasted, nothing avoided. */
	struct mx_record recs[] = {
		test_record("small", 1, 0, 0, 0),
		test_record("big", 2, 0, 0, 0),
		test_record("held", 3, 0, 2, 3 * MIB),
	};
	struct mx_model m;

	(void)state;
	recs[0].counts.dup_read = 5;
	recs[0].counts.bytes_wasted = 1 * MIB;
	recs[1].counts.dup_read = 2;
	recs[1].counts.bytes_wasted = 8 * MIB;
	test_model(&m, recs, 3);
	assert_string_equal(mx_key_name(m.sort_key), "dup-bytes");
	assert_int_equal(mx_record_u64(&recs[1], m.sort_key), 8 * MIB);
	assert_int_equal(mx_record_u64(&recs[2], m.sort_key), 3 * MIB);
	assert_string_equal(m.order[0]->rec.module, "big");
	assert_string_equal(m.order[1]->rec.module, "held");
	assert_string_equal(m.order[2]->rec.module, "small");
	/* Total duplicates, the other policy-free order. */
	assert_int_equal(mx_key_parse("dups", &m.sort_key), 0);
	mx_model_sort(&m);
	assert_string_equal(m.order[0]->rec.module, "small");
	assert_int_equal(mx_record_u64(&recs[0], m.sort_key), 5);
	mx_model_free(&m);
}


static void a_module_glob_matches_with_dash_as_underscore(void **state)
{
	struct mx_record snd = test_record("snd_hda_intel", 1, 1, 0, 0);
	struct mx_record ext4 = test_record("ext4", 2, 1, 0, 0);
	struct mx_filter f = { 0 };

	(void)state;
	assert_true(mx_filter_record(&f, &snd));
	assert_false(mx_filter_active(&f));
	assert_int_equal(mx_filter_set_module(&f, "snd_*"), 0);
	assert_true(mx_filter_active(&f));
	assert_true(mx_filter_record(&f, &snd));
	assert_false(mx_filter_record(&f, &ext4));
	/* modprobe takes snd-hda-intel: so does the filter; brackets stay as written. */
	assert_int_equal(mx_filter_set_module(&f, "snd-hda-*"), 0);
	assert_string_equal(f.module, "snd_hda_*");
	assert_true(mx_filter_record(&f, &snd));
	assert_int_equal(mx_filter_set_module(&f, "[a-f]xt[!-]"), 0);
	assert_string_equal(f.module, "[a-f]xt[!-]");
	assert_true(mx_filter_record(&f, &ext4));
	assert_int_equal(mx_filter_set_module(&f, "ext"), 0);
	assert_false(mx_filter_record(&f, &ext4));
	/* A file whose module is not known yet has no name to match. */
	snd.module[0] = '\0';
	assert_int_equal(mx_filter_set_module(&f, "snd*"), 0);
	assert_false(mx_filter_record(&f, &snd));
	assert_int_equal(mx_filter_set_module(&f, "0123456789012345678901234567890123456789"
					       "012345678901234567890123"), -1);
}

static void reader_pid_and_comm_filter_records_by_their_holder(void **state)
{
	struct mx_record rec = test_record("ext4", 1, 1, 0, 0);
	struct mx_filter f = { 0 };
	char text[192];

	(void)state;
	rec.holder_pid = 321;
	strcpy(rec.holder_comm, "systemd-udevd");
	f.reader = MODEXCL_READER_KERNEL_MODULE;
	assert_true(mx_filter_record(&f, &rec));
	f.reader = MODEXCL_READER_FIRMWARE;
	assert_false(mx_filter_record(&f, &rec));
	f.reader = 0;
	f.pid = 321;
	assert_true(mx_filter_record(&f, &rec));
	f.pid = 322;
	assert_false(mx_filter_record(&f, &rec));
	f.pid = 0;
	assert_int_equal(mx_filter_set_comm(&f, "systemd-*"), 0);
	assert_true(mx_filter_record(&f, &rec));
	assert_int_equal(mx_filter_set_comm(&f, "modprobe"), 0);
	assert_false(mx_filter_record(&f, &rec));
	/* Every criterion must match. */
	assert_int_equal(mx_filter_set_comm(&f, "systemd-udevd"), 0);
	f.pid = 321;
	f.reader = MODEXCL_READER_KERNEL_MODULE;
	assert_int_equal(mx_filter_set_module(&f, "ext?"), 0);
	assert_true(mx_filter_record(&f, &rec));
	mx_filter_describe(&f, text, sizeof(text));
	assert_string_equal(text, "module ext? reader kernel-module pid 321 comm systemd-udevd");
	f.pid = 1;
	assert_false(mx_filter_record(&f, &rec));
}

static void pid_and_comm_filters_match_the_last_caller_too(void **state)
{
	struct mx_record rec = test_record("ext4", 1, 1, 0, 0);
	struct mx_filter f = { 0 };

	(void)state;
	rec.holder_pid = 321;
	strcpy(rec.holder_comm, "modprobe");
	f.pid = 412;
	assert_false(mx_filter_record(&f, &rec));	/* an older kernel: the holder only */
	rec.last_caller = (struct mx_task){
		.has = MX_TASK_HAS(PID) | MX_TASK_HAS(COMM), .pid = 412, .comm = "systemd-udevd",
	};
	assert_true(mx_filter_record(&f, &rec));
	mx_filter_set_comm(&f, "systemd-*");
	assert_true(mx_filter_record(&f, &rec));
	/* PID and command of one task: the caller's PID, the holder's command is no match. */
	mx_filter_set_comm(&f, "modprobe");
	assert_false(mx_filter_record(&f, &rec));
	f.pid = 321;
	assert_true(mx_filter_record(&f, &rec));
	f.pid = 0;
	mx_filter_set_comm(&f, "udev*");
	assert_false(mx_filter_record(&f, &rec));
}

static void events_filter_by_their_task_and_policy_events_by_reader(void **state)
{
	struct mx_event dup = { .type = MX_EVENT_DUP };
	struct mx_event pol = { .type = MX_EVENT_POLICY };
	struct mx_filter f = { 0 };

	(void)state;
	dup.dup.reader = MODEXCL_READER_KERNEL_MODULE;
	dup.dup.pid = 77;
	strcpy(dup.dup.module, "snd_hda_intel");
	pol.policy.reader = MODEXCL_READER_FIRMWARE;
	mx_filter_set_module(&f, "snd-*");
	assert_true(mx_filter_event(&f, &dup, NULL));
	assert_true(mx_filter_event(&f, &pol, NULL));	/* no module: not asked */
	f.pid = 78;
	assert_false(mx_filter_event(&f, &dup, NULL));
	f.pid = 77;
	assert_true(mx_filter_event(&f, &dup, NULL));
	/* A command glob needs the task's command: gone, it does not match. */
	mx_filter_set_comm(&f, "modprobe");
	assert_false(mx_filter_event(&f, &dup, NULL));
	assert_true(mx_filter_event(&f, &dup, "modprobe"));
	assert_true(mx_filter_event(&f, &pol, NULL));
	f.reader = MODEXCL_READER_KERNEL_MODULE;
	assert_false(mx_filter_event(&f, &pol, NULL));
	assert_true(mx_filter_event(&f, &dup, "modprobe"));
}

static void an_events_caller_named_by_the_kernel_is_what_the_filter_matches(void **state)
{
	struct mx_event dup = { .type = MX_EVENT_DUP };
	struct mx_event reset = { .type = MX_EVENT_RESET };
	struct mx_filter f = { 0 };

	(void)state;
	dup.dup.reader = MODEXCL_READER_KERNEL_MODULE;
	dup.dup.pid = 77;
	dup.dup.caller = (struct mx_task){
		.has = MX_TASK_HAS(PID) | MX_TASK_HAS(COMM), .pid = 77, .comm = "insmod",
	};
	mx_filter_set_comm(&f, "insmod");
	/* The kernel's name wins over /proc's, which may be another task's by now. */
	assert_true(mx_filter_event(&f, &dup, NULL));
	assert_true(mx_filter_event(&f, &dup, "bash"));
	mx_filter_set_comm(&f, "bash");
	assert_false(mx_filter_event(&f, &dup, "bash"));
	/* A reset drops every record: every filter passes it. */
	f.reader = MODEXCL_READER_FIRMWARE;
	f.pid = 1;
	mx_filter_set_module(&f, "snd-*");
	assert_true(mx_filter_event(&f, &reset, NULL));
}

static void a_duplicate_names_its_files_last_caller_and_a_reset_drops_every_row(void **state)
{
	struct mx_record recs[] = { test_record("a", 1, 1, 0, 1), test_record("b", 2, 1, 0, 2) };
	struct mx_event ev = { .type = MX_EVENT_DUP, .seq = 1, .has_seq = true };
	struct mx_model m;

	(void)state;
	test_model(&m, recs, 2);
	ev.dup.reader = recs[0].reader;
	ev.dup.dev = recs[0].dev;
	ev.dup.ino = recs[0].ino;
	ev.dup.kind = MODEXCL_DUP_KIND_SERIAL;
	/* An older kernel's event: no caller, no time; the row keeps what it had. */
	mx_model_apply(&m, &ev);
	assert_int_equal(m.rows[0].rec.last_caller.has, 0);
	assert_int_equal(m.rows[0].rec.last_seen, 0);
	ev.seq = 2;
	ev.has_time = true;
	ev.time_ns = 5000000000ULL;
	ev.dup.caller = (struct mx_task){ .has = MX_TASK_HAS(PID), .pid = 412 };
	mx_model_apply(&m, &ev);
	assert_int_equal(m.rows[0].rec.last_caller.pid, 412);
	assert_int_equal(m.rows[0].rec.last_seen, 5000000000ULL);
	assert_int_equal(m.rows[0].rec.counts.dup_serial, 2);
	/* The reset: no row, no total, and the sequence goes on. */
	ev = (struct mx_event){ .type = MX_EVENT_RESET, .seq = 3, .has_seq = true };
	assert_int_equal(mx_model_apply(&m, &ev), 0);
	assert_int_equal(m.nr_rows, 0);
	assert_int_equal(m.nr_shown, 0);
	assert_int_equal(mx_counts_u64(&m.total, MX_KEY_DUPS), 0);
	assert_int_equal(m.last_seq, 3);
	mx_model_free(&m);
}

static void a_filter_limits_order_totals_and_rates_and_clears(void **state)
{
	struct mx_record recs[] = {
		test_record("snd_pcm", 1, 2, 0, 2 * MIB),
		test_record("ext4", 2, 5, 0, 9 * MIB),
		test_record("snd_timer", 3, 1, 0, 1 * MIB),
	};
	struct mx_filter f = { 0 };
	struct mx_event ev = { .type = MX_EVENT_DUP };
	struct mx_model m;

	(void)state;
	test_model(&m, recs, 3);
	mx_filter_set_module(&f, "snd_*");
	mx_model_set_filter(&m, &f);
	assert_int_equal(m.nr_rows, 3);
	assert_int_equal(m.nr_shown, 2);
	assert_string_equal(m.order[0]->rec.module, "snd_pcm");
	assert_string_equal(m.order[1]->rec.module, "snd_timer");
	assert_int_equal(m.total.dup_concurrent, 3);
	assert_int_equal(m.total.bytes_avoided, 3 * MIB);
	/* The next interval: ext4 grows, and only snd_pcm counts. */
	recs[0].counts.dup_concurrent = 4;
	recs[1].counts.dup_concurrent = 50;
	mx_model_dump_begin(&m);
	for (int i = 0; i < 3; i++)
		mx_model_dump_add(&m, &recs[i]);
	mx_model_dump_end(&m);
	mx_model_tick(&m, SEC);
	assert_int_equal(m.nr_shown, 2);
	assert_int_equal(m.total.dup_concurrent, 5);
	assert_int_equal(mx_counts_u64(&m.total_delta, MX_KEY_DUPS), 2);
	assert_true(m.rates.dups == 2);
	/* Events of hidden files move their rows, not the totals shown. */
	ev.dup.reader = recs[1].reader;
	ev.dup.dev = recs[1].dev;
	ev.dup.ino = recs[1].ino;
	ev.dup.kind = MODEXCL_DUP_KIND_CONCURRENT;
	ev.dup.bytes = MIB;
	mx_model_apply(&m, &ev);
	assert_int_equal(m.total.dup_concurrent, 5);
	ev.dup.dev = recs[2].dev;
	ev.dup.ino = recs[2].ino;
	mx_model_apply(&m, &ev);
	assert_int_equal(m.total.dup_concurrent, 6);
	/* Cleared: every row, the totals and the growth of all. */
	memset(&f, 0, sizeof(f));
	mx_model_set_filter(&m, &f);
	assert_int_equal(m.nr_shown, 3);
	assert_string_equal(m.order[0]->rec.module, "ext4");
	assert_int_equal(m.total.dup_concurrent, 4 + 51 + 2);
	assert_int_equal(mx_counts_u64(&m.total_delta, MX_KEY_DUPS), 2 + 45);
	assert_true(m.rates.dups == 47);
	mx_model_free(&m);
}

static void plus_key_sorts_by_growth_over_the_last_interval_then_by_value(void **state)
{
	/* big is biggest; small and mid grew alike in the last interval, more than big. */
	struct mx_record recs[] = {
		test_record("big", 1, 0, 0, 90 * MIB),
		test_record("small", 2, 0, 0, 1 * MIB),
		test_record("mid", 3, 0, 0, 5 * MIB),
	};
	struct mx_model m;
	enum mx_key key;
	bool growth;

	(void)state;
	test_model(&m, recs, 3);
	recs[0].counts.bytes_avoided += 1 * MIB;
	recs[1].counts.bytes_avoided += 4 * MIB;
	recs[2].counts.bytes_avoided += 4 * MIB;
	mx_model_dump_begin(&m);
	for (int i = 0; i < 3; i++)
		mx_model_dump_add(&m, &recs[i]);
	mx_model_dump_end(&m);
	mx_model_tick(&m, SEC);
	assert_int_equal(mx_sort_parse("+bytes-avoided", &m.sort_key, &m.sort_by_growth), 0);
	assert_int_equal(m.sort_key, MX_KEY_BYTES_AVOIDED);
	assert_true(m.sort_by_growth);
	mx_model_sort(&m);
	assert_string_equal(m.order[0]->rec.module, "mid");
	assert_string_equal(m.order[1]->rec.module, "small");
	assert_string_equal(m.order[2]->rec.module, "big");
	m.reverse = true;
	mx_model_sort(&m);
	assert_string_equal(m.order[0]->rec.module, "big");
	assert_string_equal(m.order[2]->rec.module, "mid");
	/* Sums of counters grow too; without '+', the value alone. */
	assert_int_equal(mx_sort_parse("dup-bytes", &m.sort_key, &m.sort_by_growth), 0);
	assert_false(m.sort_by_growth);
	m.reverse = false;
	mx_model_sort(&m);
	assert_string_equal(m.order[0]->rec.module, "big");
	assert_int_equal(mx_sort_parse("+dup-bytes", &key, &growth), 0);
	assert_true(growth);
	assert_int_equal(mx_sort_parse("+dups", &key, &growth), 0);
	assert_int_equal(key, MX_KEY_DUPS);
	/* What does not grow, or does not exist, is no order. */
	key = MX_KEY_LOADS;
	growth = false;
	assert_int_equal(mx_sort_parse("+module", &key, &growth), -1);
	assert_int_equal(mx_sort_parse("+last-seen", &key, &growth), -1);
	assert_int_equal(mx_sort_parse("+", &key, &growth), -1);
	assert_int_equal(mx_sort_parse("++dups", &key, &growth), -1);
	assert_int_equal(mx_sort_parse("+bogus", &key, &growth), -1);
	assert_int_equal(key, MX_KEY_LOADS);
	assert_false(growth);
	assert_true(mx_key_is_counter(MX_KEY_WAIT_NS));
	assert_false(mx_key_is_counter(MX_KEY_INO));
	mx_model_free(&m);
}

const struct CMUnitTest model_tests[] = {
	cmocka_unit_test(a_dump_fills_the_table_and_the_totals),
	cmocka_unit_test(a_dump_drops_records_the_kernel_no_longer_has),
	cmocka_unit_test(the_same_file_under_another_reader_is_another_record),
	cmocka_unit_test(the_first_interval_has_no_deltas),
	cmocka_unit_test(deltas_and_rates_cover_the_last_interval),
	cmocka_unit_test(format_refusals_count_grow_and_sort_on_their_own),
	cmocka_unit_test(a_record_new_in_an_interval_counts_whole),
	cmocka_unit_test(a_counter_reset_counts_from_zero),
	cmocka_unit_test(events_move_the_counters_between_dumps),
	cmocka_unit_test(an_event_for_an_unknown_file_adds_a_record),
	cmocka_unit_test(a_claim_comes_from_the_dump_and_sorts_held_first),
	cmocka_unit_test(a_gap_in_sequence_numbers_counts_missed_events),
	cmocka_unit_test(an_overflow_counts_and_restarts_the_sequence),
	cmocka_unit_test(numbers_sort_biggest_first_by_bytes_avoided),
	cmocka_unit_test(the_default_sort_ranks_files_by_duplicate_bytes_under_any_policy),
	cmocka_unit_test(text_sorts_alphabetically_and_ties_by_path),
	cmocka_unit_test(every_key_sorts),
	cmocka_unit_test(keys_are_the_spec_attribute_names),
	cmocka_unit_test(record_values_come_from_their_fields),
	cmocka_unit_test(names_round_trip_and_modes_cycle),
	cmocka_unit_test(inactive_reasons_are_named_unknown_bits_as_bit_n),
	cmocka_unit_test(a_policy_notification_sets_the_mode_and_why_it_does_not_apply),
	cmocka_unit_test(a_thousand_records_merge_and_sort),
	cmocka_unit_test(a_module_glob_matches_with_dash_as_underscore),
	cmocka_unit_test(reader_pid_and_comm_filter_records_by_their_holder),
	cmocka_unit_test(events_filter_by_their_task_and_policy_events_by_reader),
	cmocka_unit_test(pid_and_comm_filters_match_the_last_caller_too),
	cmocka_unit_test(an_events_caller_named_by_the_kernel_is_what_the_filter_matches),
	cmocka_unit_test(a_duplicate_names_its_files_last_caller_and_a_reset_drops_every_row),
	cmocka_unit_test(a_filter_limits_order_totals_and_rates_and_clears),
	cmocka_unit_test(plus_key_sorts_by_growth_over_the_last_interval_then_by_value),
};
const size_t nr_model_tests = sizeof(model_tests) / sizeof(model_tests[0]);
