/* test_keyset.c - the set of 64-bit key hashes with first-seen lines. */
#include "../../util/keyset.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

/* Assertions mark a point through a pipe each: keep them out of big loops. */
#define EXPECT_LINE(got_expr, want_expr) do { \
	uint64_t got_ = (got_expr), want_ = (want_expr); \
	if (got_ != want_) \
		ck_abort_msg("%s: got %llu, want %llu", #got_expr, \
			     (unsigned long long)got_, (unsigned long long)want_); \
} while (0)

START_TEST(test_add_new_then_duplicate)
{
	struct keyset *s = keyset_new();

	ck_assert_uint_eq(keyset_count(s), 0);
	ck_assert_uint_eq(keyset_add(s, 0x1234, 2), 0);
	ck_assert_uint_eq(keyset_add(s, 0x5678, 3), 0);
	ck_assert_uint_eq(keyset_count(s), 2);
	/* a duplicate returns the line it was first seen on, every time */
	ck_assert_uint_eq(keyset_add(s, 0x1234, 9), 2);
	ck_assert_uint_eq(keyset_add(s, 0x1234, 10), 2);
	ck_assert_uint_eq(keyset_add(s, 0x5678, 11), 3);
	/* duplicates are not counted */
	ck_assert_uint_eq(keyset_count(s), 2);
	keyset_free(s);
}
END_TEST

START_TEST(test_extreme_hashes_and_lines)
{
	struct keyset *s = keyset_new();

	/* hash 0 and all-ones are keys like any other */
	ck_assert_uint_eq(keyset_add(s, 0, 5), 0);
	ck_assert_uint_eq(keyset_add(s, UINT64_MAX, 6), 0);
	ck_assert_uint_eq(keyset_add(s, 0, 7), 5);
	ck_assert_uint_eq(keyset_add(s, UINT64_MAX, 8), 6);
	/* a line beyond 32 bits comes back whole */
	ck_assert_uint_eq(keyset_add(s, 42, UINT64_C(5000000000)), 0);
	ck_assert_uint_eq(keyset_add(s, 42, 1), UINT64_C(5000000000));
	ck_assert_uint_eq(keyset_count(s), 3);
	keyset_free(s);
}
END_TEST

START_TEST(test_same_low_bits_probe_and_grow)
{
	/* 5000 hashes that all land in the same slot at every table size
	 * (only the top bits differ): long probe runs across several growths */
	struct keyset *s = keyset_new();
	uint64_t i;

	for (i = 0; i < 5000; i++)
		EXPECT_LINE(keyset_add(s, (i + 1) << 40, i + 1), 0);
	ck_assert_uint_eq(keyset_count(s), 5000);
	for (i = 0; i < 5000; i++)
		EXPECT_LINE(keyset_add(s, (i + 1) << 40, 99999), i + 1);
	ck_assert_uint_eq(keyset_count(s), 5000);
	/* a hash sharing the low bits but new is still new */
	ck_assert_uint_eq(keyset_add(s, (uint64_t)5001 << 40, 7), 0);
	ck_assert_uint_eq(keyset_count(s), 5001);
	keyset_free(s);
}
END_TEST

static uint64_t mix(uint64_t x)
{
	/* splitmix64 finaliser: a bijection, so distinct inputs stay distinct */
	x += UINT64_C(0x9e3779b97f4a7c15);
	x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

#define MANY 1000001u

START_TEST(test_growth_past_a_million_keeps_every_entry)
{
	struct keyset *s = keyset_new();
	uint64_t i;

	for (i = 0; i < MANY; i++)
		EXPECT_LINE(keyset_add(s, mix(i), i + 2), 0);
	ck_assert_uint_eq(keyset_count(s), MANY);
	/* every entry still there, with its own first line */
	for (i = 0; i < MANY; i++)
		EXPECT_LINE(keyset_add(s, mix(i), 1), i + 2);
	ck_assert_uint_eq(keyset_count(s), MANY);
	keyset_free(s);
}
END_TEST

START_TEST(test_sequential_hashes)
{
	struct keyset *s = keyset_new();
	uint64_t i;

	for (i = 0; i < 300000; i++)
		EXPECT_LINE(keyset_add(s, i, i + 10), 0);
	ck_assert_uint_eq(keyset_count(s), 300000);
	for (i = 0; i < 300000; i++)
		EXPECT_LINE(keyset_add(s, i, 1), i + 10);
	ck_assert_uint_eq(keyset_count(s), 300000);
	keyset_free(s);
}
END_TEST

START_TEST(test_free_null)
{
	keyset_free(NULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("keyset");
	TCase *tc = tcase_create("keyset");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_add_new_then_duplicate);
	tcase_add_test(tc, test_extreme_hashes_and_lines);
	tcase_add_test(tc, test_same_low_bits_probe_and_grow);
	tcase_add_test(tc, test_growth_past_a_million_keeps_every_entry);
	tcase_add_test(tc, test_sequential_hashes);
	tcase_add_test(tc, test_free_null);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
