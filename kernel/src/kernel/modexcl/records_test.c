// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the modexcl record table: insert, lookup, LRU eviction,
 * the bound, reference counts, counter arithmetic and path truncation.
 * Included at the end of records.c to reach its static functions.
 */
#include <kunit/test.h>

static struct record_table *test_table(struct kunit *test, unsigned int max)
{
	struct record_table *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	mutex_init(&t->lock);
	hash_init(t->hash);
	INIT_LIST_HEAD(&t->lru);
	xa_init_flags(&t->ids, XA_FLAGS_ALLOC1);
	t->max = max;
	return t;
}

static void test_table_destroy(struct record_table *t)
{
	struct modexcl_record *rec, *next;

	mutex_lock(&t->lock);
	list_for_each_entry_safe(rec, next, &t->lru, lru_node) {
		rec->refs = 0;
		table_remove(t, rec);
	}
	mutex_unlock(&t->lock);
	xa_destroy(&t->ids);
}

static struct record_key test_key(u64 ino)
{
	return (struct record_key){ .ino = ino, .dev = 8, .reader = READING_MODULE };
}

static void records_insert_and_lookup(struct kunit *test)
{
	struct record_table *t = test_table(test, 4);
	struct record_key k1 = test_key(1), k2 = test_key(2);
	struct modexcl_record *a, *b, *again;

	a = table_get(t, &k1, "/lib/modules/a.ko");
	b = table_get(t, &k2, "/lib/modules/b.ko");
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_PTR_NE(test, a, b);
	KUNIT_EXPECT_NE(test, a->id, b->id);
	KUNIT_EXPECT_STREQ(test, a->path, "/lib/modules/a.ko");

	again = table_get(t, &k1, "ignored");
	KUNIT_EXPECT_PTR_EQ(test, again, a);
	KUNIT_EXPECT_EQ(test, a->refs, 2U);
	KUNIT_EXPECT_EQ(test, t->count, 2U);

	/* Same inode, other reader: another record. */
	k1.reader = READING_FIRMWARE;
	again = table_get(t, &k1, "/lib/firmware/a.bin");
	KUNIT_EXPECT_PTR_NE(test, again, a);
	KUNIT_EXPECT_EQ(test, t->count, 3U);

	table_put(t, a);
	table_put(t, a);
	table_put(t, b);
	table_put(t, again);
	KUNIT_EXPECT_EQ(test, a->refs, 0U);
	test_table_destroy(t);
}

static void records_bound_evicts_lru_unreferenced(struct kunit *test)
{
	struct record_table *t = test_table(test, 2);
	struct record_key k1 = test_key(1), k2 = test_key(2), k3 = test_key(3);
	struct modexcl_record *a, *b, *c;
	unsigned int gen;
	u32 old_id;

	a = table_get(t, &k1, "a");
	b = table_get(t, &k2, "b");
	mutex_lock(&t->lock);
	table_account(t, a, MODEXCL_OUTCOME_DUP_READ, 100, 5);
	mutex_unlock(&t->lock);
	old_id = a->id;
	table_put(t, a);
	gen = t->generation;

	/* b is referenced, a is not: a goes, its counters fold. */
	c = table_get(t, &k3, "c");
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, t->count, 2U);
	KUNIT_EXPECT_EQ(test, t->evicted, 1ULL);
	KUNIT_EXPECT_EQ(test, t->folded.dup_read, 1ULL);
	KUNIT_EXPECT_EQ(test, t->folded.bytes_wasted, 100ULL);
	KUNIT_EXPECT_EQ(test, t->folded.wait_ns, 5ULL);
	KUNIT_EXPECT_NE(test, t->generation, gen);
	KUNIT_EXPECT_NULL(test, xa_load(&t->ids, old_id));

	/* Both referenced and the table full: no record, no eviction. */
	KUNIT_EXPECT_NULL(test, table_get(t, &k1, "a"));
	KUNIT_EXPECT_EQ(test, t->count, 2U);

	/* A new record never reuses an id. */
	table_put(t, b);
	a = table_get(t, &k1, "a");
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_GT(test, a->id, c->id);
	KUNIT_EXPECT_NE(test, a->id, old_id);

	table_put(t, a);
	table_put(t, c);
	test_table_destroy(t);
}

static void records_counter_arithmetic(struct kunit *test)
{
	struct modexcl_counters c = {}, sum = {};
	int outcome;

	for (outcome = 0; outcome < MODEXCL_OUTCOME_MAX; outcome++)
		counters_add(&c, outcome, 10, 1);
	KUNIT_EXPECT_EQ(test, c.loads, 1ULL);
	KUNIT_EXPECT_EQ(test, c.dup_concurrent, 1ULL);
	KUNIT_EXPECT_EQ(test, c.dup_serial, 1ULL);
	KUNIT_EXPECT_EQ(test, c.dup_read, 1ULL);
	KUNIT_EXPECT_EQ(test, c.format_refused, 1ULL);
	KUNIT_EXPECT_EQ(test, c.failed, 1ULL);
	/* Bytes avoided by concurrent and serial, wasted by dup-read only. */
	KUNIT_EXPECT_EQ(test, c.bytes_avoided, 20ULL);
	KUNIT_EXPECT_EQ(test, c.bytes_wasted, 10ULL);
	KUNIT_EXPECT_EQ(test, c.wait_ns, (u64)MODEXCL_OUTCOME_MAX);

	/* Each attempt lands in exactly one bucket. */
	KUNIT_EXPECT_EQ(test, c.loads + c.dup_concurrent + c.dup_serial +
			c.dup_read + c.format_refused + c.failed,
			(u64)MODEXCL_OUTCOME_MAX);

	counters_sum(&sum, &c);
	counters_sum(&sum, &c);
	KUNIT_EXPECT_EQ(test, sum.dup_read, 2ULL);
	KUNIT_EXPECT_EQ(test, sum.bytes_avoided, 40ULL);
}

static void records_reset_keeps_referenced(struct kunit *test)
{
	struct record_table *t = test_table(test, 4);
	struct record_key k1 = test_key(1), k2 = test_key(2);
	struct modexcl_record *a, *b;

	a = table_get(t, &k1, "a");
	b = table_get(t, &k2, "b");
	mutex_lock(&t->lock);
	table_account(t, a, MODEXCL_OUTCOME_LOAD, 0, 0);
	table_account(t, b, MODEXCL_OUTCOME_DUP_SERIAL, 7, 0);
	table_account(t, NULL, MODEXCL_OUTCOME_FAILED, 0, 0);
	mutex_unlock(&t->lock);
	KUNIT_EXPECT_EQ(test, t->folded.failed, 1ULL);
	table_put(t, b);
	/* A caller waits on a: the reset must not lose it. */
	a->waiting = 1;
	a->last_caller.pid = 42;

	table_reset(t);
	KUNIT_EXPECT_EQ(test, t->count, 1U);
	KUNIT_EXPECT_EQ(test, a->counters.loads, 0ULL);
	KUNIT_EXPECT_EQ(test, a->waiting, 1U);
	KUNIT_EXPECT_EQ(test, a->last_caller.pid, 0);
	a->waiting = 0;
	KUNIT_EXPECT_EQ(test, t->folded.failed, 0ULL);
	KUNIT_EXPECT_PTR_EQ(test, table_find_get(t, &k1), a);
	KUNIT_EXPECT_NULL(test, table_find_get(t, &k2));

	table_put(t, a);
	table_put(t, a);
	test_table_destroy(t);
}

static void records_path_keeps_tail(struct kunit *test)
{
	char out[MODEXCL_PATH_LEN];
	char long_path[200];
	size_t len;

	path_copy_tail(out, "/lib/modules/x.ko");
	KUNIT_EXPECT_STREQ(test, out, "/lib/modules/x.ko");

	memset(long_path, 'd', sizeof(long_path));
	strscpy(long_path + sizeof(long_path) - 12, "/e1000.ko", 12);
	path_copy_tail(out, long_path);
	len = strlen(out);
	KUNIT_EXPECT_EQ(test, len, (size_t)MODEXCL_PATH_LEN - 1);
	KUNIT_EXPECT_EQ(test, strncmp(out, "...", 3), 0);
	KUNIT_EXPECT_STREQ(test, out + len - 9, "/e1000.ko");
}

static void records_record_fits_384_bytes(struct kunit *test)
{
	KUNIT_ASSERT_NOT_NULL(test, record_cache);
	KUNIT_EXPECT_LE(test, kmem_cache_size(record_cache), 384U);
}

static struct kunit_case modexcl_records_cases[] = {
	KUNIT_CASE(records_insert_and_lookup),
	KUNIT_CASE(records_bound_evicts_lru_unreferenced),
	KUNIT_CASE(records_counter_arithmetic),
	KUNIT_CASE(records_reset_keeps_referenced),
	KUNIT_CASE(records_path_keeps_tail),
	KUNIT_CASE(records_record_fits_384_bytes),
	{}
};

static struct kunit_suite modexcl_records_suite = {
	.name = "modexcl-records",
	.test_cases = modexcl_records_cases,
};

kunit_test_suite(modexcl_records_suite);
