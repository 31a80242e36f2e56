/* test_store.c - the state store, SQLite backend, in a real file (store/store.h). */
#include "../../store/store.h"
#include "../../formats/record.h"
#include "../../formats/registry.h"
#include "../../util/sb.h"
#include "../../util/xalloc.h"
#include "helpers/testutil.h"

#include <check.h>
#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static const struct reg_object *obj(const char *name)
{
	const struct reg_object *o = reg_find(name);

	ck_assert_ptr_nonnull(o);
	return o;
}

static struct store *open_store(void)
{
	struct store *s = NULL;

	ck_assert_int_eq(store_open_sqlite(dbpath, &s), ES_OK);
	ck_assert_ptr_nonnull(s);
	return s;
}

/* A School record: key, name, address; number and exclude fixed. */
static void school(struct rec_val v[5], const char *id, const char *name, const char *addr)
{
	v[0].p = id, v[0].n = strlen(id);
	v[1].p = "N", v[1].n = 1;
	v[2].p = name, v[2].n = strlen(name);
	v[3].p = addr, v[3].n = strlen(addr);
	v[4].p = "0", v[4].n = 1;
}

static void hash_of(const struct reg_object *o, const struct rec_val *v,
		    unsigned char h[REC_HASH_BYTES])
{
	struct sb scratch = SB_INIT;

	rec_hash(o, v, &scratch, h);
	sb_release(&scratch);
}

static void put_school(struct store *s, const char *district, const char *id, const char *name,
		       uint64_t seq)
{
	struct rec_val v[5];
	unsigned char h[REC_HASH_BYTES];

	school(v, id, name, "");
	hash_of(obj("School"), v, h);
	ck_assert_int_eq(store_upsert(s, obj("School"), district, v, seq), ES_OK);
}

/* Every record of o for district, as "v0|v1|...\n" lines in cursor order. */
static void scan_text(struct store *s, const struct reg_object *o, const char *district,
		      struct sb *out)
{
	struct store_cursor *c = NULL;
	const struct rec_val *v;
	const unsigned char *h;
	unsigned char want[REC_HASH_BYTES];
	size_t i;
	int rc;

	sb_reset(out);
	ck_assert_int_eq(store_cursor_open(s, o, district, &c), ES_OK);
	while ((rc = store_cursor_next(c, &v, &h)) == 1) {
		for (i = 0; i < o->nfields; i++) {
			if (i)
				sb_addch(out, '|');
			sb_add(out, v[i].p, v[i].n);
		}
		sb_addch(out, '\n');
		hash_of(o, v, want);	/* each record came with its own hash */
		ck_assert_mem_eq(h, want, REC_HASH_BYTES);
	}
	ck_assert_int_eq(rc, 0);
	store_cursor_close(c);
}

static uint64_t count(struct store *s, const char *object, const char *district)
{
	uint64_t n = 99999;

	ck_assert_int_eq(store_count(s, obj(object), district, &n), ES_OK);
	return n;
}

/* One integer from SQL run straight on the file. */
static long long sql_int(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long v = -1;

	ck_assert_int_eq(sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

START_TEST(test_open_creates_tables)
{
	struct store *s = open_store();
	struct sb q = SB_INIT;
	size_t i;

	store_close(s);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
				 "name IN ('edsync_district', 'edsync_bundle')"), 2);
	for (i = 0; i < reg_count(); i++) {
		sb_reset(&q);
		sb_addf(&q, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '%s'",
			reg_at(i)->name);
		ck_assert_msg(sql_int(q.buf) == 1, "no table for %s", reg_at(i)->name);
		sb_reset(&q);
		sb_addf(&q, "SELECT count(*) FROM pragma_table_info('%s') WHERE name IN "
			"('_district', '_key', '_data', '_seq', '_changed')", reg_at(i)->name);
		ck_assert_int_eq(sql_int(q.buf), 5);
	}
	ck_assert_int_eq(sql_int("PRAGMA user_version"), 3);
	sb_release(&q);
}
END_TEST

START_TEST(test_upsert_scan_byte_exact_in_key_order)
{
	struct store *s = open_store();
	struct sb text = SB_INIT;
	static const char *const ids[] = { "9", "10", "1", "0042", "100", "042" };
	struct rec_val v[5];
	unsigned char h[REC_HASH_BYTES];
	size_t i;

	ck_assert_int_eq(store_begin(s), ES_OK);
	for (i = 0; i < 6; i++) {
		char name[32];

		snprintf(name, sizeof name, "school %s", ids[i]);
		put_school(s, "0042", ids[i], name, 1);
	}
	/* tricky bytes, kept exactly */
	school(v, "7", "  two\nlines, \"quoted\" \xc3\xa9 ", "\t");
	hash_of(obj("School"), v, h);
	ck_assert_int_eq(store_upsert(s, obj("School"), "0042", v, 1), ES_OK);
	ck_assert_int_eq(store_commit(s), ES_OK);

	scan_text(s, obj("School"), "0042", &text);
	/* BINARY order: "0042" < "042" < "1" < "10" < "100" < "7" < "9" */
	ck_assert_str_eq(text.buf,
			 "0042|N|school 0042||0\n"
			 "042|N|school 042||0\n"
			 "1|N|school 1||0\n"
			 "10|N|school 10||0\n"
			 "100|N|school 100||0\n"
			 "7|N|  two\nlines, \"quoted\" \xc3\xa9 |\t|0\n"
			 "9|N|school 9||0\n");
	ck_assert_uint_eq(count(s, "School", "0042"), 7);
	ck_assert_uint_eq(count(s, "School", "0099"), 0);
	ck_assert_uint_eq(count(s, "Calendar", "0042"), 0);
	scan_text(s, obj("School"), "0099", &text);
	ck_assert_uint_eq(text.len, 0);
	store_close(s);
	sb_release(&text);
}
END_TEST

START_TEST(test_upsert_replaces_and_changed)
{
	struct store *s = open_store();
	struct rec_val v[5], out[5];
	int found = 0;

	ck_assert_int_eq(store_begin(s), ES_OK);
	put_school(s, "0042", "5", "old", 1);
	put_school(s, "0042", "6", "other", 1);
	ck_assert_int_eq(store_commit(s), ES_OK);
	/* the same record again at seq 2: _changed stays 1 */
	ck_assert_int_eq(store_begin(s), ES_OK);
	put_school(s, "0042", "5", "old", 2);
	ck_assert_int_eq(store_commit(s), ES_OK);
	store_close(s);
	ck_assert_int_eq(sql_int("SELECT _seq FROM School WHERE _key = CAST('5' AS BLOB)"), 2);
	ck_assert_int_eq(sql_int("SELECT _changed FROM School WHERE _key = CAST('5' AS BLOB)"), 1);
	/* changed at seq 3: replaced, _changed 3 */
	s = open_store();
	ck_assert_int_eq(store_begin(s), ES_OK);
	put_school(s, "0042", "5", "new name", 3);
	ck_assert_int_eq(store_commit(s), ES_OK);
	school(v, "5", "", "");
	ck_assert_int_eq(store_get(s, obj("School"), "0042", v, out, &found), ES_OK);
	ck_assert_int_eq(found, 1);
	ck_assert_uint_eq(out[2].n, 8);
	ck_assert_mem_eq(out[2].p, "new name", 8);
	ck_assert_uint_eq(count(s, "School", "0042"), 2);
	store_close(s);
	ck_assert_int_eq(sql_int("SELECT _seq FROM School WHERE _key = CAST('5' AS BLOB)"), 3);
	ck_assert_int_eq(sql_int("SELECT _changed FROM School WHERE _key = CAST('5' AS BLOB)"), 3);
	ck_assert_int_eq(sql_int("SELECT _changed FROM School WHERE _key = CAST('6' AS BLOB)"), 1);
}
END_TEST

START_TEST(test_batches)
{
	/* 250 upserts: two full batches and a part; a key repeated by a later
	 * bundle; objects and districts interleaved (each change flushes). */
	struct store *s = open_store();
	struct sb text = SB_INIT, want = SB_INIT;
	struct rec_val cv[7];
	unsigned char h[REC_HASH_BYTES];
	char ids[250][8];
	int found;
	size_t i;

	ck_assert_int_eq(store_begin(s), ES_OK);
	for (i = 0; i < 250; i++) {
		snprintf(ids[i], sizeof ids[i], "%zu", 1000 + i);
		put_school(s, "0042", ids[i], "first", 1);
	}
	put_school(s, "0042", "1010", "second", 2);	/* a later bundle's */
	put_school(s, "0042", "1050", "x", 2);
	put_school(s, "0042", "1050", "y", 3);
	put_school(s, "0099", "1000", "other district", 1);
	memset(cv, 0, sizeof cv);
	cv[0].p = "77", cv[0].n = 2;
	cv[1].p = "1000", cv[1].n = 4;
	for (i = 2; i < 7; i++)
		cv[i].p = "", cv[i].n = 0;
	hash_of(obj("Calendar"), cv, h);
	ck_assert_int_eq(store_upsert(s, obj("Calendar"), "0042", cv, 1), ES_OK);
	put_school(s, "0042", "1249", "last", 2);
	ck_assert_int_eq(store_commit(s), ES_OK);

	ck_assert_uint_eq(count(s, "School", "0042"), 250);
	ck_assert_uint_eq(count(s, "School", "0099"), 1);
	ck_assert_uint_eq(count(s, "Calendar", "0042"), 1);
	for (i = 0; i < 250; i++) {
		const char *name = !strcmp(ids[i], "1010") ? "second" :
				   !strcmp(ids[i], "1050") ? "y" :
				   !strcmp(ids[i], "1249") ? "last" : "first";

		sb_addf(&want, "%s|N|%s||0\n", ids[i], name);
	}
	scan_text(s, obj("School"), "0042", &text);
	ck_assert_str_eq(text.buf, want.buf);
	/* a read flushes what is pending */
	ck_assert_int_eq(store_begin(s), ES_OK);
	put_school(s, "0042", "2000", "pending", 2);
	{
		struct rec_val k[5], out[5];

		school(k, "2000", "", "");
		ck_assert_int_eq(store_get(s, obj("School"), "0042", k, out, &found), ES_OK);
		ck_assert_int_eq(found, 1);
		ck_assert_mem_eq(out[2].p, "pending", 7);
	}
	ck_assert_int_eq(store_commit(s), ES_OK);
	store_close(s);
	sb_release(&text);
	sb_release(&want);
}
END_TEST

START_TEST(test_get)
{
	struct store *s = open_store();
	struct rec_val k[5], out[5];
	char big[32768];
	unsigned char h[REC_HASH_BYTES];
	int found = 7;
	size_t i;

	memset(big, 'b', sizeof big);
	ck_assert_int_eq(store_begin(s), ES_OK);
	school(k, "0042", "", "");
	k[2].p = big, k[2].n = sizeof big;
	hash_of(obj("School"), k, h);
	ck_assert_int_eq(store_upsert(s, obj("School"), "0042", k, 1), ES_OK);
	ck_assert_int_eq(store_commit(s), ES_OK);

	school(k, "0042", "ignored", "ignored");	/* only the key counts */
	ck_assert_int_eq(store_get(s, obj("School"), "0042", k, out, &found), ES_OK);
	ck_assert_int_eq(found, 1);
	ck_assert_uint_eq(out[0].n, 4);
	ck_assert_mem_eq(out[0].p, "0042", 4);
	ck_assert_uint_eq(out[1].n, 1);
	ck_assert_uint_eq(out[2].n, sizeof big);
	ck_assert_mem_eq(out[2].p, big, sizeof big);
	ck_assert_uint_eq(out[3].n, 0);
	ck_assert_mem_eq(out[4].p, "0", 1);
	/* not found: other key, other district, other object, "42" for "0042" */
	school(k, "42", "", "");
	found = 7;
	ck_assert_int_eq(store_get(s, obj("School"), "0042", k, out, &found), ES_OK);
	ck_assert_int_eq(found, 0);
	school(k, "0042", "", "");
	found = 7;
	ck_assert_int_eq(store_get(s, obj("School"), "0043", k, out, &found), ES_OK);
	ck_assert_int_eq(found, 0);
	{
		struct rec_val cv[7];

		for (i = 0; i < 7; i++)
			cv[i].p = "", cv[i].n = 0;
		cv[0].p = "0042", cv[0].n = 4;
		found = 7;
		ck_assert_int_eq(store_get(s, obj("Calendar"), "0042", cv, out, &found), ES_OK);
		ck_assert_int_eq(found, 0);
	}
	store_close(s);
}
END_TEST

START_TEST(test_touch_and_delete_unseen)
{
	struct store *s = open_store();
	struct sb text = SB_INIT;
	struct rec_val k[5], cv[7];
	unsigned char h[REC_HASH_BYTES];
	uint64_t deleted = 99;
	size_t i;

	ck_assert_int_eq(store_begin(s), ES_OK);
	for (i = 1; i <= 5; i++) {
		char id[4];

		snprintf(id, sizeof id, "%zu", i);
		put_school(s, "0042", id, "a", 1);
		if (i <= 3)
			put_school(s, "0099", id, "b", 1);
	}
	for (i = 0; i < 7; i++)
		cv[i].p = "", cv[i].n = 0;
	cv[0].p = "1", cv[0].n = 1;
	hash_of(obj("Calendar"), cv, h);
	ck_assert_int_eq(store_upsert(s, obj("Calendar"), "0042", cv, 1), ES_OK);
	ck_assert_int_eq(store_commit(s), ES_OK);

	/* bundle 2 carries 2 and 4 unchanged, 6 new; 1, 3, 5 are gone */
	ck_assert_int_eq(store_begin(s), ES_OK);
	school(k, "2", "", "");
	ck_assert_int_eq(store_touch(s, obj("School"), "0042", k, 2), ES_OK);
	school(k, "4", "", "");
	ck_assert_int_eq(store_touch(s, obj("School"), "0042", k, 2), ES_OK);
	school(k, "404", "", "");	/* not there: nothing happens */
	ck_assert_int_eq(store_touch(s, obj("School"), "0042", k, 2), ES_OK);
	put_school(s, "0042", "6", "new", 2);
	ck_assert_int_eq(store_delete_unseen(s, obj("School"), "0042", 2, &deleted), ES_OK);
	ck_assert_uint_eq(deleted, 3);
	ck_assert_int_eq(store_commit(s), ES_OK);

	scan_text(s, obj("School"), "0042", &text);
	ck_assert_str_eq(text.buf, "2|N|a||0\n4|N|a||0\n6|N|new||0\n");
	scan_text(s, obj("School"), "0099", &text);	/* other district untouched */
	ck_assert_str_eq(text.buf, "1|N|b||0\n2|N|b||0\n3|N|b||0\n");
	ck_assert_uint_eq(count(s, "Calendar", "0042"), 1);	/* other object untouched */
	/* nothing more to delete at the same seq */
	deleted = 99;
	ck_assert_int_eq(store_delete_unseen(s, obj("School"), "0042", 2, &deleted), ES_OK);
	ck_assert_uint_eq(deleted, 0);
	/* the other object, unseen since 1: its one record goes */
	ck_assert_int_eq(store_delete_unseen(s, obj("Calendar"), "0042", 2, &deleted), ES_OK);
	ck_assert_uint_eq(deleted, 1);
	ck_assert_uint_eq(count(s, "School", "0099"), 3);
	store_close(s);
	/* touching does not change what was stored: _changed stays 1 */
	ck_assert_int_eq(sql_int("SELECT _seq FROM School WHERE _district = '0042' AND _key = CAST('2' AS BLOB)"), 2);
	ck_assert_int_eq(sql_int("SELECT _changed FROM School WHERE _district = '0042' AND _key = CAST('2' AS BLOB)"),
			 1);
	sb_release(&text);
}
END_TEST

START_TEST(test_bookkeeping)
{
	struct store *s = open_store();
	unsigned char mh[32], got[32];
	struct store_bundle b;
	uint64_t seq = 99;
	int found = 7;
	size_t i;

	for (i = 0; i < 32; i++)
		mh[i] = (unsigned char)(0xa0 + i);
	ck_assert_int_eq(store_last_seq(s, "0042", &seq), ES_OK);
	ck_assert_uint_eq(seq, 0);
	memset(&b, 0, sizeof b);
	b.district = "0042";
	b.seq = 3;
	b.kind = "resync";
	b.file = "0042-0000000003-resync.bundle";
	b.manifest_hash = mh;
	b.rows = 1234;
	b.orphans = 5;
	ck_assert_int_eq(store_begin(s), ES_OK);
	ck_assert_int_eq(store_bundle_applied(s, &b), ES_OK);
	ck_assert_int_eq(store_commit(s), ES_OK);
	ck_assert_int_eq(store_last_seq(s, "0042", &seq), ES_OK);
	ck_assert_uint_eq(seq, 3);
	ck_assert_int_eq(store_last_seq(s, "0099", &seq), ES_OK);
	ck_assert_uint_eq(seq, 0);
	memset(got, 0, sizeof got);
	ck_assert_int_eq(store_bundle_hash(s, "0042", 3, got, &found), ES_OK);
	ck_assert_int_eq(found, 1);
	ck_assert_mem_eq(got, mh, 32);
	found = 7;
	ck_assert_int_eq(store_bundle_hash(s, "0042", 4, got, &found), ES_OK);
	ck_assert_int_eq(found, 0);
	found = 7;
	ck_assert_int_eq(store_bundle_hash(s, "0099", 3, got, &found), ES_OK);
	ck_assert_int_eq(found, 0);
	/* the next bundle moves the sequence on */
	b.seq = 4;
	mh[0] = 0;
	ck_assert_int_eq(store_begin(s), ES_OK);
	ck_assert_int_eq(store_bundle_applied(s, &b), ES_OK);
	ck_assert_int_eq(store_commit(s), ES_OK);
	ck_assert_int_eq(store_last_seq(s, "0042", &seq), ES_OK);
	ck_assert_uint_eq(seq, 4);
	ck_assert_int_eq(store_bundle_hash(s, "0042", 4, got, &found), ES_OK);
	ck_assert_int_eq(found, 1);
	ck_assert_uint_eq(got[0], 0);
	ck_assert_int_eq(store_bundle_hash(s, "0042", 3, got, &found), ES_OK);
	ck_assert_uint_eq(got[0], 0xa0);
	store_close(s);
	ck_assert_int_eq(sql_int("SELECT rows FROM edsync_bundle WHERE seq = 3"), 1234);
	ck_assert_int_eq(sql_int("SELECT orphans FROM edsync_bundle WHERE seq = 3"), 5);
}
END_TEST

/* The whole store as text, for before/after comparisons. */
static void snapshot(struct sb *out)
{
	struct store *s = open_store();
	struct sb t = SB_INIT;
	uint64_t seq;
	size_t i;

	static const char *const names[] = { "School", "Calendar", "PersonIdentity",
					     "Enrollment" };

	sb_reset(out);
	/* the objects the tests write; the registry may hold many more */
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		scan_text(s, obj(names[i]), "0042", &t);
		sb_addf(out, "[%s]\n%s", names[i], t.len ? t.buf : "");
	}
	ck_assert_int_eq(store_last_seq(s, "0042", &seq), ES_OK);
	sb_addf(out, "seq %llu\n", (unsigned long long)seq);
	store_close(s);
	sb_release(&t);
}

START_TEST(test_rollback_and_reopen)
{
	struct store *s = open_store();
	struct sb before = SB_INIT, after = SB_INIT;
	struct store_bundle b;
	unsigned char mh[32];
	struct rec_val k[5], out[5];
	uint64_t deleted, seq;
	int found;
	size_t i;

	memset(mh, 1, sizeof mh);
	memset(&b, 0, sizeof b);
	b.district = "0042";
	b.kind = "resync";
	b.file = "f";
	b.manifest_hash = mh;
	ck_assert_int_eq(store_begin(s), ES_OK);
	put_school(s, "0042", "1", "one", 1);
	put_school(s, "0042", "2", "two", 1);
	b.seq = 1;
	ck_assert_int_eq(store_bundle_applied(s, &b), ES_OK);
	ck_assert_int_eq(store_commit(s), ES_OK);
	store_close(s);
	snapshot(&before);
	ck_assert_str_eq(before.buf, "[School]\n1|N|one||0\n2|N|two||0\n[Calendar]\n"
			 "[PersonIdentity]\n[Enrollment]\nseq 1\n");

	/* every kind of write, then rollback */
	s = open_store();
	ck_assert_int_eq(store_begin(s), ES_OK);
	put_school(s, "0042", "1", "changed", 2);
	school(k, "2", "", "");
	ck_assert_int_eq(store_touch(s, obj("School"), "0042", k, 2), ES_OK);
	ck_assert_int_eq(store_delete_unseen(s, obj("School"), "0042", 2, &deleted), ES_OK);
	ck_assert_uint_eq(deleted, 0);
	put_school(s, "0042", "3", "three", 2);
	ck_assert_int_eq(store_delete_unseen(s, obj("School"), "0042", 3, &deleted), ES_OK);
	ck_assert_uint_eq(deleted, 3);
	b.seq = 2;
	ck_assert_int_eq(store_bundle_applied(s, &b), ES_OK);
	for (i = 0; i < 150; i++) {	/* and some still pending in a batch */
		char id[8];

		snprintf(id, sizeof id, "9%zu", i);
		put_school(s, "0042", id, "pending", 2);
	}
	store_rollback(s);
	/* unchanged in this handle */
	ck_assert_uint_eq(count(s, "School", "0042"), 2);
	ck_assert_int_eq(store_last_seq(s, "0042", &seq), ES_OK);
	ck_assert_uint_eq(seq, 1);
	school(k, "1", "", "");
	ck_assert_int_eq(store_get(s, obj("School"), "0042", k, out, &found), ES_OK);
	ck_assert_int_eq(found, 1);
	store_close(s);
	/* and on disk */
	snapshot(&after);
	ck_assert_str_eq(after.buf, before.buf);

	/* closing inside a transaction rolls back too */
	s = open_store();
	ck_assert_int_eq(store_begin(s), ES_OK);
	put_school(s, "0042", "4", "four", 2);
	ck_assert_uint_eq(count(s, "School", "0042"), 3);
	store_close(s);
	snapshot(&after);
	ck_assert_str_eq(after.buf, before.buf);

	/* a committed change survives reopening */
	s = open_store();
	ck_assert_int_eq(store_begin(s), ES_OK);
	put_school(s, "0042", "4", "four", 2);
	ck_assert_int_eq(store_commit(s), ES_OK);
	store_close(s);
	snapshot(&after);
	ck_assert_str_eq(after.buf, "[School]\n1|N|one||0\n2|N|two||0\n4|N|four||0\n[Calendar]\n"
			 "[PersonIdentity]\n[Enrollment]\nseq 1\n");
	sb_release(&before);
	sb_release(&after);
}
END_TEST

/* stderr into a file around a call */
static int stderr_to(const char *path)
{
	int saved, fd;

	fflush(stderr);
	saved = dup(2);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(dup2(fd, 2), 2);
	close(fd);
	return saved;
}

static char *stderr_back(int saved, const char *path)
{
	fflush(stderr);
	ck_assert_int_eq(dup2(saved, 2), 2);
	close(saved);
	return tu_read(path, NULL);
}

START_TEST(test_other_format_refused)
{
	struct store *s = NULL;
	sqlite3 *db;
	char *errpath = xpath(dir, "stderr");
	char *got, *want;
	int saved;

	s = open_store();
	store_close(s);
	ck_assert_int_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "PRAGMA user_version = 2", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	saved = stderr_to(errpath);
	s = (struct store *)(void *)errpath;	/* must become NULL */
	ck_assert_int_eq(store_open_sqlite(dbpath, &s), ES_CONFIG);
	got = stderr_back(saved, errpath);
	ck_assert_ptr_null(s);
	want = xasprintf("edsync: %s: store format 2 is not format 3 of this edsync\n", dbpath);
	ck_assert_str_eq(got, want);
	free(got);
	free(want);
	free(errpath);
}
END_TEST

/* One bundle writing one key twice: ES_DATA, in a full batch or alone. */
START_TEST(test_key_twice_in_one_bundle)
{
	struct store *s = open_store();
	struct rec_val v[5];
	size_t i, n;
	es_status st = ES_OK;
	char id[16];

	for (n = 2; n <= 100; n += 98) {
		ck_assert_int_eq(store_begin(s), ES_OK);
		/* n - 1 distinct keys, then the first again: a batch of n rows */
		for (i = 0; i < n && st == ES_OK; i++) {
			snprintf(id, sizeof id, "%zu", i + 1 == n ? (size_t)5000 : 5000 + i);
			school(v, id, "twice", "");
			st = store_upsert(s, obj("School"), "0042", v, 7);
		}
		if (st == ES_OK)
			st = store_commit(s);	/* a part batch flushes here */
		ck_assert_int_eq(st, ES_DATA);
		store_rollback(s);
		st = ES_OK;
	}
	ck_assert_uint_eq(count(s, "School", "0042"), 0);
	store_close(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");
	SRunner *sr;
	int failed;

	if (sodium_init() < 0)
		return 1;
	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_open_creates_tables);
	tcase_add_test(tc, test_key_twice_in_one_bundle);
	tcase_add_test(tc, test_upsert_scan_byte_exact_in_key_order);
	tcase_add_test(tc, test_upsert_replaces_and_changed);
	tcase_add_test(tc, test_batches);
	tcase_add_test(tc, test_get);
	tcase_add_test(tc, test_touch_and_delete_unseen);
	tcase_add_test(tc, test_bookkeeping);
	tcase_add_test(tc, test_rollback_and_reopen);
	tcase_add_test(tc, test_other_format_refused);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
