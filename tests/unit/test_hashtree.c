/* test_hashtree.c - range hashes and the tree member (formats/hashtree.h). */
#include "../../formats/hashtree.h"
#include "../../formats/record.h"
#include "../../formats/registry.h"
#include "../../util/sb.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

static const struct reg_object *school(void)
{
	const struct reg_object *o = reg_find("School");

	ck_assert_ptr_nonnull(o);
	return o;
}

/* The range hash is XXH3-128 of the concatenated record hashes. */
START_TEST(test_range_hash)
{
	struct ht_acc *a = ht_acc_new();
	unsigned char h1[16], h2[16], out[16], want[16], cat[32];
	XXH128_canonical_t c;

	memset(h1, 0x11, 16);
	memset(h2, 0x22, 16);
	ht_acc_digest(a, out);
	XXH128_canonicalFromHash(&c, XXH3_128bits("", 0));
	ck_assert_mem_eq(out, c.digest, 16);
	ck_assert_uint_eq(ht_acc_count(a), 0);
	ht_acc_add(a, h1);
	ht_acc_add(a, h2);
	ht_acc_digest(a, out);
	memcpy(cat, h1, 16);
	memcpy(cat + 16, h2, 16);
	XXH128_canonicalFromHash(&c, XXH3_128bits(cat, 32));
	memcpy(want, c.digest, 16);
	ck_assert_mem_eq(out, want, 16);
	ck_assert_uint_eq(ht_acc_count(a), 2);
	ht_acc_reset(a);
	ck_assert_uint_eq(ht_acc_count(a), 0);
	ht_acc_free(a);
	ck_assert_int_lt(ht_key_cmp("10", 2, "9", 1), 0);
	ck_assert_int_lt(ht_key_cmp("1", 1, "10", 2), 0);
	ck_assert_int_eq(ht_key_cmp("1\0" "2", 3, "1\0" "2", 3), 0);
}
END_TEST

/* Written rows read back: kinds, counts, hashes, keys, find. */
START_TEST(test_round_trip)
{
	const struct reg_object *o = school();
	struct sb text = SB_INIT, why = SB_INIT;
	struct ht_list l;
	unsigned char h[16];

	memset(h, 0xab, 16);
	ht_header(o, &text);
	ht_row(o, NULL, 0, HT_SUMMARY, 3, h, &text);
	ht_row(o, "200", 3, HT_ROWS, 2, h, &text);
	ht_row(o, "300", 3, HT_SKIP, 0, NULL, &text);
	ck_assert_str_eq(text.buf, "schoolID,records,xxh3_128,range\n"
			 ",3,abababababababababababababababab,summary\n"
			 "200,2,abababababababababababababababab,rows\n"
			 "300,,,skip\n");
	ck_assert_int_eq(ht_list_parse(o, text.buf, text.len, &l, &why), 0);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_ptr_null(l.r[0].key);
	ck_assert_int_eq(l.r[0].kind, HT_SUMMARY);
	ck_assert_uint_eq(l.r[0].count, 3);
	ck_assert_mem_eq(l.r[1].hash, h, 16);
	ck_assert_str_eq(l.r[1].key, "200");
	ck_assert_int_eq(l.r[2].kind, HT_SKIP);
	ck_assert_uint_eq(ht_list_find(&l, "1", 1), 0);
	ck_assert_uint_eq(ht_list_find(&l, "200", 3), 1);
	ck_assert_uint_eq(ht_list_find(&l, "250", 3), 1);
	ck_assert_uint_eq(ht_list_find(&l, "9", 1), 2);
	ht_list_free(&l);
	sb_release(&text);
	sb_release(&why);
}
END_TEST

#define H "00112233445566778899aabbccddeeff"
static const struct {
	const char *text, *why;
} bad[] = {
	{ "", "line 1: no header row" },
	{ "schoolID,records,xxh3_128,range\n", "line 2: no range" },
	{ "schoolID,records,xxh3_128\n", "line 1: wrong number of columns" },
	{ "number,records,xxh3_128,range\n", "line 1: header does not name the key fields" },
	{ "schoolID,records,xxh3,range\n", "line 1: header lacks records, xxh3_128 and range" },
	{ "schoolID,records,xxh3_128,range\n1,1," H ",summary\n",
	  "line 2: the first range must start before every key (empty key)" },
	{ "schoolID,records,xxh3_128,range\n,1," H ",summary\n2,1," H ",summary\n1,1," H ",rows\n",
	  "line 4: ranges are not in increasing key order" },
	{ "schoolID,records,xxh3_128,range\n,1," H ",summary\n2,1," H ",summary\n2,1," H ",rows\n",
	  "line 4: ranges are not in increasing key order" },
	{ "schoolID,records,xxh3_128,range\n,x," H ",summary\n", "line 2: records is not a count" },
	{ "schoolID,records,xxh3_128,range\n,1,00,summary\n", "line 2: hash is not 32 hex digits" },
	{ "schoolID,records,xxh3_128,range\n,1," H ",all\n",
	  "line 2: range is not summary, rows or skip" },
	{ "schoolID,records,xxh3_128,range\n,1," H ",skip\n",
	  "line 2: a skipped range has no records or hash" },
	{ "schoolID,records,xxh3_128,range\n,1," H ",summary\nx y,1," H ",rows\n",
	  "line 3: key value is not valid" },
};

START_TEST(test_refusals)
{
	struct ht_list l;
	struct sb why = SB_INIT;

	ck_assert_int_eq(ht_list_parse(school(), bad[_i].text, strlen(bad[_i].text), &l, &why), -1);
	ck_assert_str_eq(why.buf, bad[_i].why);
	ck_assert_uint_eq(l.n, 0);
	sb_release(&why);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hashtree");
	TCase *tc = tcase_create("hashtree");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_range_hash);
	tcase_add_test(tc, test_round_trip);
	tcase_add_loop_test(tc, test_refusals, 0, (int)(sizeof bad / sizeof bad[0]));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
