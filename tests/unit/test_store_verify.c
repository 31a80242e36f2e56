/* test_store_verify.c - the store's part in verification (store/store.h):
 * key-ordered scans with _changed, the history of runs, the request log. */
#include "../../store/store.h"
#include "../../formats/record.h"
#include "../../formats/registry.h"
#include "../../util/sb.h"
#include "../../util/xalloc.h"
#include "helpers/testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir, *dbpath;

static void setup(void)
{
	dir = tu_tmpdir();
	dbpath = xpath(dir, "store.db");
}

static void teardown(void)
{
	tu_rmtree(dir);
	free(dir);
	free(dbpath);
}

static void school(struct rec_val v[5], const char *id, const char *name)
{
	v[0].p = id, v[0].n = strlen(id);
	v[1].p = "N", v[1].n = 1;
	v[2].p = name, v[2].n = strlen(name);
	v[3].p = "", v[3].n = 0;
	v[4].p = "0", v[4].n = 1;
}

/* In key order ("10" < "9"), from a key on, with the bundle that changed each. */
START_TEST(test_scan)
{
	const struct reg_object *o = reg_find("School");
	struct store *s = NULL;
	struct store_scan *c = NULL;
	struct rec_val v[5];
	const struct rec_val *got;
	const char *key;
	size_t klen;
	uint64_t changed;
	struct sb seen = SB_INIT;

	ck_assert_int_eq(store_open_sqlite(dbpath, &s), ES_OK);
	ck_assert_int_eq(store_begin(s), ES_OK);
	school(v, "9", "Nine");
	ck_assert_int_eq(store_upsert(s, o, "0042", v, 1), ES_OK);
	school(v, "10", "Ten");
	ck_assert_int_eq(store_upsert(s, o, "0042", v, 1), ES_OK);
	school(v, "20", "Twenty");
	ck_assert_int_eq(store_upsert(s, o, "0042", v, 1), ES_OK);
	school(v, "5", "Other district");
	ck_assert_int_eq(store_upsert(s, o, "0043", v, 1), ES_OK);
	ck_assert_int_eq(store_commit(s), ES_OK);
	ck_assert_int_eq(store_begin(s), ES_OK);
	school(v, "20", "Twenty, renamed");
	ck_assert_int_eq(store_upsert(s, o, "0042", v, 2), ES_OK);
	school(v, "9", "Nine");
	ck_assert_int_eq(store_upsert(s, o, "0042", v, 2), ES_OK);	/* unchanged */
	ck_assert_int_eq(store_commit(s), ES_OK);

	ck_assert_int_eq(store_scan_open(s, o, "0042", NULL, 0, &c), ES_OK);
	while (store_scan_next(c, &got, &key, &klen, &changed) == 1)
		sb_addf(&seen, "%.*s=%.*s@%llu;", (int)klen, key, (int)got[2].n, got[2].p,
			(unsigned long long)changed);
	store_scan_close(c);
	ck_assert_str_eq(seen.buf, "10=Ten@1;20=Twenty, renamed@2;9=Nine@1;");
	sb_reset(&seen);
	ck_assert_int_eq(store_scan_open(s, o, "0042", "11", 2, &c), ES_OK);
	while (store_scan_next(c, &got, &key, &klen, &changed) == 1)
		sb_addf(&seen, "%.*s;", (int)klen, key);
	store_scan_close(c);
	ck_assert_str_eq(seen.buf, "20;9;");
	store_close(s);
	sb_release(&seen);
}
END_TEST

static es_status collect(void *ctx, const struct store_verification_run *r)
{
	sb_addf(ctx, "%llu,%d,%d,%llu,%s,%s,%s;", (unsigned long long)r->v.digest_seq,
		r->v.in_sync, r->complete, (unsigned long long)r->v.differences, r->school,
		r->fields, r->report);
	return ES_OK;
}

/* Every run kept, newest first; the last one is the one status shows. */
START_TEST(test_history)
{
	struct store *s = NULL;
	struct store_verification_run r;
	struct store_verification last;
	struct sb seen = SB_INIT;
	int found = 0;

	ck_assert_int_eq(store_open_sqlite(dbpath, &s), ES_OK);
	memset(&r, 0, sizeof r);
	r.v.district = "0042";
	r.v.digest_seq = 3;
	r.v.at = "2026-11-30T01:00:00Z";
	r.v.differences = 2;
	r.complete = 0;
	r.school = "";
	r.fields = "lastName";
	r.report = "R1";
	ck_assert_int_eq(store_verification_add(s, &r), ES_OK);
	r.v.digest_seq = 4;
	r.v.at = "2026-11-30T02:00:00Z";
	r.v.in_sync = 1;
	r.v.differences = 0;
	r.complete = 1;
	r.school = "12";
	r.fields = "";
	r.report = "R2";
	ck_assert_int_eq(store_verification_add(s, &r), ES_OK);
	ck_assert_int_eq(store_verification_runs(s, "0042", 10, collect, &seen), ES_OK);
	ck_assert_str_eq(seen.buf, "4,1,1,0,12,,R2;3,0,0,2,,lastName,R1;");
	sb_reset(&seen);
	ck_assert_int_eq(store_verification_runs(s, "0042", 1, collect, &seen), ES_OK);
	ck_assert_str_eq(seen.buf, "4,1,1,0,12,,R2;");
	ck_assert_int_eq(store_verification_get(s, "0042", &last, &found), ES_OK);
	ck_assert_int_eq(found, 1);
	ck_assert_uint_eq(last.digest_seq, 4);
	ck_assert_str_eq(last.at, "2026-11-30T02:00:00Z");
	store_close(s);
	sb_release(&seen);
}
END_TEST

/* A request waits until the district answers it (or a later one of its kind). */
START_TEST(test_requests)
{
	struct store *s = NULL;
	unsigned char h1[32], h2[32];
	uint64_t seq = 0;
	char at[24];

	memset(h1, 1, 32);
	memset(h2, 2, 32);
	ck_assert_int_eq(store_open_sqlite(dbpath, &s), ES_OK);
	ck_assert_int_eq(store_request_waiting(s, "0042", h1, &seq, at), ES_OK);
	ck_assert_uint_eq(seq, 0);
	ck_assert_int_eq(store_request_add(s, "0042", 3, "expand", 7, h1), ES_OK);
	ck_assert_int_eq(store_request_add(s, "0042", 4, "records", 7, h2), ES_OK);
	ck_assert_int_eq(store_request_waiting(s, "0042", h1, &seq, at), ES_OK);
	ck_assert_uint_eq(seq, 3);
	ck_assert_uint_eq(strlen(at), 20);
	ck_assert_int_eq(store_request_waiting(s, "0043", h1, &seq, at), ES_OK);
	ck_assert_uint_eq(seq, 0);
	ck_assert_int_eq(store_request_answered(s, "0042", 3), ES_OK);
	ck_assert_int_eq(store_request_waiting(s, "0042", h1, &seq, at), ES_OK);
	ck_assert_uint_eq(seq, 0);
	ck_assert_int_eq(store_request_waiting(s, "0042", h2, &seq, at), ES_OK);
	ck_assert_uint_eq(seq, 4);	/* another kind: still waiting */
	store_close(s);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("store_verify");
	TCase *tc = tcase_create("store_verify");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_scan);
	tcase_add_test(tc, test_history);
	tcase_add_test(tc, test_requests);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
