/* test_objcsv.c - reading one object's CSV (formats/objcsv.h). */
#include "../../formats/objcsv.h"
#include "../../formats/csvr.h"
#include "../../formats/registry.h"
#include "../../util/sb.h"

#include <check.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the callbacks saw, each as one line of text. */
struct seen {
	const struct reg_object *o;
	struct sb recs;		/* "line:v0|v1|...\n" per record */
	struct sb rejs;		/* "line|field|reason|last|key_ok|header\n" per report */
	struct sb lastv;	/* "line:v0|v1|..." of each last report's values */
	size_t nrecs, nrejs;
	unsigned flags;
	struct objcsv *r;	/* with OBJCSV_OPS records read "line:u:..." or "line:d:..." */
};

static void add_values(struct sb *s, const struct reg_object *o, const struct rec_val *v)
{
	size_t i;

	for (i = 0; i < o->nfields; i++) {
		if (i)
			sb_addch(s, '|');
		sb_add(s, v[i].p, v[i].n);
	}
}

static int on_rec(void *ctx, const struct rec_val *v, uint64_t line)
{
	struct seen *s = ctx;

	sb_addf(&s->recs, "%llu:", (unsigned long long)line);
	if (s->flags & OBJCSV_OPS)
		sb_addstr(&s->recs, objcsv_op(s->r) == OBJCSV_DELETE ? "d:" : "u:");
	add_values(&s->recs, s->o, v);
	sb_addch(&s->recs, '\n');
	s->nrecs++;
	return 0;
}

static void on_rej(void *ctx, const struct objcsv_reject *r)
{
	struct seen *s = ctx;

	sb_addf(&s->rejs, "%llu|%s|%s|%d|%d|%d\n", (unsigned long long)r->line,
		r->field ? r->field : "-", r->reason, r->last, r->key_ok, r->header);
	if (r->last && r->v && !r->header) {
		sb_addf(&s->lastv, "%llu:", (unsigned long long)r->line);
		add_values(&s->lastv, s->o, r->v);
		sb_addch(&s->lastv, '\n');
	}
	if (!r->last)	/* only the last report carries the row */
		ck_assert_ptr_null(r->v);
	s->nrejs++;
}

static void seen_free(struct seen *s)
{
	sb_release(&s->recs);
	sb_release(&s->rejs);
	sb_release(&s->lastv);
}

/* Read text (n bytes) in pieces of `piece` bytes (0: at once). */
static struct objcsv *run(const char *object, unsigned flags, const char *text, size_t n,
			  size_t piece, struct seen *s)
{
	struct objcsv *r;
	size_t off = 0;

	memset(s, 0, sizeof *s);
	s->o = reg_find(object);
	ck_assert_ptr_nonnull(s->o);
	s->flags = flags;
	r = objcsv_new(s->o, flags, on_rec, on_rej, s);
	s->r = r;
	while (off < n) {
		size_t take = piece && n - off > piece ? piece : n - off;

		ck_assert_int_eq(objcsv_feed(r, text + off, take), 0);
		off += take;
	}
	ck_assert_int_eq(objcsv_finish(r), 0);
	return r;
}

#define T(s) (s), sizeof(s) - 1

struct ocase {
	const char *what;
	const char *object;
	unsigned flags;
	const char *text;
	size_t n;
	const char *recs;	/* exact */
	const char *rejs;	/* exact */
	unsigned long long good, bad;
};

#define MALFORMED "malformed quoting (a quote inside an unquoted field, or text after a closing quote)"

static const struct ocase cases[] = {
	/* change files: _op first; a delete's other values are not checked;
	 * keys may repeat */
	{ "change file", "School", OBJCSV_OPS,
	  T("_op,schoolID,exclude\nupsert,7,1\ndelete,7,x\nupsert,7,0\ndelete,8,\n"),
	  "2:u:7||||1\n3:d:7||||x\n4:u:7||||0\n5:d:8||||\n", "", 4, 0 },
	{ "change file, bad _op and a delete's bad key", "School", OBJCSV_OPS,
	  T("_op,schoolID,exclude\nupdate,7,1\ndelete,x,\nupsert,9,2\n"),
	  "",
	  "2|_op|must be upsert or delete|1|1|0\n"
	  "3|schoolID|'x' is not an integer|1|0|0\n"
	  "4|exclude|'2' is not a boolean (0 or 1)|1|1|0\n", 0, 3 },
	{ "change file, _op and a field both bad", "School", OBJCSV_OPS,
	  T("_op,schoolID,exclude\nUPSERT,7,2\n"), "",
	  "2|_op|must be upsert or delete|0|0|0\n"
	  "2|exclude|'2' is not a boolean (0 or 1)|1|1|0\n", 0, 1 },
	{ "change file without _op first", "School", OBJCSV_OPS, T("schoolID,_op\n7,upsert\n"),
	  "", "1|_op|the first column of a change file must be _op|1|0|1\n", 0, 1 },
	{ "change file, _op only", "School", OBJCSV_OPS, T("_op\nupsert\n"),
	  "", "1|schoolID|key column is missing|1|0|1\n", 0, 1 },
	{ "_op in an extract", "School", 0, T("_op,schoolID\nupsert,7\n"),
	  "", "1|-|column '_op' is not a field of School|1|0|1\n", 0, 1 },
	{ "header in any order", "School", 0, T("name,exclude,schoolID\nNorth,0,7\nSouth,,8\n"),
	  "2:7||North||0\n3:8||South||\n", "", 2, 0 },
	{ "unknown column", "School", 0, T("schoolID,color\n1,red\n2,blue\n"),
	  "", "1|-|column 'color' is not a field of School|1|0|1\n", 0, 2 },
	{ "unknown column, case differs", "School", 0, T("schoolid\n1\n"),
	  "", "1|-|column 'schoolid' is not a field of School|1|0|1\n", 0, 1 },
	{ "duplicate column", "School", 0, T("schoolID,name,name\n1,a,b\n"),
	  "", "1|name|column appears twice in the header|1|0|1\n", 0, 1 },
	{ "missing key column", "School", 0, T("name,address\nx,y\nz,w\n"),
	  "", "1|schoolID|key column is missing|1|0|1\n", 0, 2 },
	{ "header with too many columns", "School", 0,
	  T("schoolID,a,b,c,d,e,f,g,h,i,j,k,l,m\n1\n"),
	  "", "1|-|the header has more columns than the object has fields|1|0|1\n", 0, 1 },
	{ "empty file", "School", 0, T(""),
	  "", "1|-|the file is empty: no header row|1|0|1\n", 0, 0 },
	{ "bad header, then a malformed row", "School", 0,
	  T("schoolID,color\n1,x\n\"2\"x,y\n3,z\n"),
	  "", "1|-|column 'color' is not a field of School|1|0|1\n", 0, 3 },
	{ "malformed header", "School", 0, T("\"schoolID\"x\n1\n"),
	  "", "1|-|" MALFORMED "|1|0|1\n", 0, 1 },
	{ "bad date", "Calendar", 0, T("calendarID,startDate\n1,2026-02-30\n2,2026-02-28\n"),
	  "3:2||||2026-02-28||\n", "2|startDate|'2026-02-30' is not a date|1|1|0\n", 1, 1 },
	{ "bad code", "PersonIdentity", 0, T("personID,gender\n1,Q\n2,F\n3,m\n"),
	  "3:2|||||||||F||||\n",
	  "2|gender|'Q' is not one of M, F, X|1|1|0\n4|gender|'m' is not one of M, F, X|1|1|0\n", 1, 2 },
	{ "NUL byte", "School", 0, T("schoolID,name\n1,a\0b\n2,c\n"),
	  "3:2||c||\n", "2|name|contains a NUL byte|1|1|0\n", 1, 1 },
	{ "invalid UTF-8", "School", 0, T("schoolID,name\n1,caf\xe9\n2,caf\xc3\xa9\n"),
	  "3:2||caf\xc3\xa9||\n", "2|name|is not valid UTF-8|1|1|0\n", 1, 1 },
	{ "control byte in text", "School", 0, T("schoolID,name\n1,a\x01z\n"),
	  "", "2|name|'a\\x01z' contains a control character|1|1|0\n", 0, 1 },
	{ "too few fields", "School", 0, T("schoolID,name,address\n1,a\n2,b,c\n"),
	  "3:2||b|c|\n", "2|-|row has 2 fields, the header has 3|1|1|0\n", 1, 1 },
	{ "too many fields", "School", 0, T("schoolID,name\n1,a,b\n"),
	  "", "2|-|row has 3 fields, the header has 2|1|1|0\n", 0, 1 },
	{ "far too many fields", "School", 0, T("schoolID\n1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"),
	  "", "2|-|row has more than 13 fields, the header has 1|1|1|0\n", 0, 1 },
	{ "too few fields, key missing", "School", 0, T("name,schoolID\nx\n"),
	  "", "2|-|row has 1 fields, the header has 2|1|0|0\n", 0, 1 },
	{ "duplicate key, unique", "School", OBJCSV_UNIQUE, T("schoolID,name\n7,a\n8,b\n7,c\n"),
	  "2:7||a||\n3:8||b||\n",
	  "4|schoolID|duplicate key (schoolID 7), first on line 2|1|1|0\n", 2, 1 },
	{ "duplicate key next to it", "School", OBJCSV_UNIQUE, T("schoolID\n1\n7\n7\n7\n"),
	  "2:1||||\n3:7||||\n",
	  "4|schoolID|duplicate key (schoolID 7), first on line 3|1|1|0\n"
	  "5|schoolID|duplicate key (schoolID 7), first on line 3|1|1|0\n", 2, 2 },
	{ "duplicate key, unsorted", "School", OBJCSV_UNIQUE, T("schoolID\n9\n7\n8\n7\n9\n"),
	  "2:9||||\n3:7||||\n4:8||||\n",
	  "5|schoolID|duplicate key (schoolID 7), first on line 3|1|1|0\n"
	  "6|schoolID|duplicate key (schoolID 9), first on line 2|1|1|0\n", 3, 2 },
	{ "leading zeros are other keys", "School", OBJCSV_UNIQUE, T("schoolID\n7\n07\n007\n"),
	  "2:7||||\n3:07||||\n4:007||||\n", "", 3, 0 },
	{ "duplicate key, not unique", "School", 0, T("schoolID\n7\n7\n"),
	  "2:7||||\n3:7||||\n", "", 2, 0 },
	{ "a bad row's key is not remembered", "School", OBJCSV_UNIQUE,
	  T("schoolID,exclude\n7,x\n7,1\n"),
	  "3:7||||1\n", "2|exclude|'x' is not a boolean (0 or 1)|1|1|0\n", 1, 1 },
	{ "two bad fields", "Calendar", 0, T("calendarID,startDate,exclude\n1,2026-13-01,2\n"),
	  "", "2|startDate|'2026-13-01' is not a date|0|0|0\n"
	  "2|exclude|'2' is not a boolean (0 or 1)|1|1|0\n", 0, 1 },
	{ "bad key", "School", 0, T("schoolID,name\nabc,x\n"),
	  "", "2|schoolID|'abc' is not an integer|1|0|0\n", 0, 1 },
	{ "empty key", "School", 0, T("schoolID,name\n,x\n"),
	  "", "2|schoolID|key field is empty|1|0|0\n", 0, 1 },
	{ "key too long", "School", 0,
	  T("schoolID\n12345678901234567890123456789012345678901234567890123456789012345\n"),
	  "", "2|schoolID|is 65 bytes long, more than the 64 allowed|1|0|0\n", 0, 1 },
	{ "values byte-exact", "School", 0,
	  T("schoolID,number,name,address\n0042, 007 ,\"  two\nlines \",\"a \"\"q\"\", b\"\n"
	    "-1,,\t,\r\n"),
	  "2:0042| 007 |  two\nlines |a \"q\", b|\n4:-1||\t||\n", "", 2, 0 },
	{ "malformed row", "School", 0, T("schoolID,name\n1,\"a\"b\n2,c\n"),
	  "3:2||c||\n", "2|-|" MALFORMED "|1|0|0\n", 1, 1 },
	{ "byte-order mark", "School", 0, T("\xef\xbb\xbfschoolID\n5\n"), "2:5||||\n", "", 1, 0 },
	{ "blank lines", "School", 0, T("schoolID\n\n5\n\n\n6\n"), "3:5||||\n6:6||||\n", "", 2, 0 },
	{ "keys only: other column", "School", OBJCSV_KEYS, T("schoolID,name\n1,x\n"),
	  "", "1|-|column 'name' is not a key field of School|1|0|1\n", 0, 1 },
	{ "keys only: unknown column", "School", OBJCSV_KEYS, T("schoolID,zz\n1,x\n"),
	  "", "1|-|column 'zz' is not a key field of School|1|0|1\n", 0, 1 },
	{ "keys only", "School", OBJCSV_KEYS | OBJCSV_UNIQUE, T("schoolID\n1\n2\n1\n"),
	  "2:1||||\n3:2||||\n", "4|schoolID|duplicate key (schoolID 1), first on line 2|1|1|0\n",
	  2, 1 },
};

static const size_t pieces[] = { 0, 1, 5 };

START_TEST(test_cases)
{
	const struct ocase *t = &cases[_i / 3];
	size_t piece = pieces[_i % 3];
	struct seen s;
	struct objcsv *r;

	r = run(t->object, t->flags, t->text, t->n, piece, &s);
	ck_assert_msg(!strcmp(s.rejs.len ? s.rejs.buf : "", t->rejs),
		      "%s (pieces %zu): reports\n%s\nwant\n%s", t->what, piece,
		      s.rejs.len ? s.rejs.buf : "", t->rejs);
	ck_assert_msg(!strcmp(s.recs.len ? s.recs.buf : "", t->recs),
		      "%s (pieces %zu): records\n%s\nwant\n%s", t->what, piece,
		      s.recs.len ? s.recs.buf : "", t->recs);
	ck_assert_msg(objcsv_good(r) == t->good && objcsv_bad(r) == t->bad,
		      "%s: good %llu bad %llu, want %llu %llu", t->what,
		      (unsigned long long)objcsv_good(r), (unsigned long long)objcsv_bad(r),
		      t->good, t->bad);
	ck_assert_uint_eq(s.nrecs, t->good);
	objcsv_free(r);
	seen_free(&s);
}
END_TEST

START_TEST(test_three_bad_fields)
{
	/* Reports in column order; only the last is last, with key_ok 0 since
	 * the key itself was bad. */
	static const char text[] = "exclude,calendarID,endYear\n2,x1,20y\n1,4,2027\n";
	struct seen s;
	struct objcsv *r = run("Calendar", 0, text, sizeof text - 1, 0, &s);

	ck_assert_str_eq(s.rejs.buf,
			 "2|exclude|'2' is not a boolean (0 or 1)|0|0|0\n"
			 "2|calendarID|'x1' is not an integer|0|0|0\n"
			 "2|endYear|'20y' is not an integer|1|0|0\n");
	ck_assert_str_eq(s.recs.buf, "3:4||2027||||1\n");
	ck_assert_uint_eq(objcsv_good(r), 1);
	ck_assert_uint_eq(objcsv_bad(r), 1);
	/* the last report carries the row's values, in registry order */
	ck_assert_str_eq(s.lastv.buf, "2:x1||20y||||2\n");
	objcsv_free(r);
	seen_free(&s);
}
END_TEST

START_TEST(test_header_mapping)
{
	static const char text[] = "address,schoolID,exclude\nMain St,3,1\n";
	const char *const *names;
	struct seen s;
	struct objcsv *r = run("School", 0, text, sizeof text - 1, 0, &s);
	size_t n;

	ck_assert_int_eq(objcsv_header_ok(r), 1);
	ck_assert_int_eq(objcsv_has_field(r, 0), 1);	/* schoolID */
	ck_assert_int_eq(objcsv_has_field(r, 1), 0);	/* number */
	ck_assert_int_eq(objcsv_has_field(r, 2), 0);	/* name */
	ck_assert_int_eq(objcsv_has_field(r, 3), 1);	/* address */
	ck_assert_int_eq(objcsv_has_field(r, 4), 1);	/* exclude */
	ck_assert_int_eq(objcsv_has_field(r, 99), 0);
	n = objcsv_columns(r, &names);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(names[0], "address");
	ck_assert_str_eq(names[1], "schoolID");
	ck_assert_str_eq(names[2], "exclude");
	ck_assert_str_eq(s.recs.buf, "2:3|||Main St|1\n");
	objcsv_free(r);
	seen_free(&s);

	r = run("School", 0, "schoolID,bogus\n", 15, 0, &s);
	ck_assert_int_eq(objcsv_header_ok(r), 0);
	objcsv_free(r);
	seen_free(&s);
}
END_TEST

START_TEST(test_last_report_values)
{
	/* too few fields: the values as far as they go */
	static const char text[] = "schoolID,name,address\n01,a\n";
	struct seen s;
	struct objcsv *r = run("School", 0, text, sizeof text - 1, 0, &s);

	ck_assert_str_eq(s.lastv.buf, "2:01||a||\n");
	objcsv_free(r);
	seen_free(&s);
}
END_TEST

static int stop_rec(void *ctx, const struct rec_val *v, uint64_t line)
{
	size_t *n = ctx;

	(void)v;
	(void)line;
	return ++*n == 2 ? 7 : 0;
}

static void no_rej(void *ctx, const struct objcsv_reject *r)
{
	(void)ctx;
	ck_abort_msg("unexpected report: %s", r->reason);
}

START_TEST(test_record_callback_stops)
{
	static const char text[] = "schoolID\n1\n2\n3\n";
	size_t n = 0;
	struct objcsv *r = objcsv_new(reg_find("School"), 0, stop_rec, no_rej, &n);

	ck_assert_int_eq(objcsv_feed(r, text, sizeof text - 1), 7);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(objcsv_good(r), 2);
	objcsv_free(r);
	objcsv_free(NULL);
}
END_TEST

START_TEST(test_many_rows_counts)
{
	/* 5000 rows, every 7th a bad date and every 11th a duplicate of the row before */
	const struct reg_object *o = reg_find("Calendar");
	struct sb text = SB_INIT;
	struct seen s;
	struct objcsv *r;
	unsigned long long good = 0, bad = 0, i;

	sb_addstr(&text, "calendarID,startDate\n");
	for (i = 0; i < 5000; i++) {
		if (i % 7 == 3) {
			sb_addf(&text, "%llu,2026-02-29\n", 100000 + i);
			bad++;
		} else if (i % 11 == 5 && i % 7 != 4) {
			sb_addf(&text, "%llu,2026-01-01\n", 100000 + i - 1);
			bad++;
		} else {
			sb_addf(&text, "%llu,2028-02-29\n", 100000 + i);
			good++;
		}
	}
	ck_assert_ptr_nonnull(o);
	r = run("Calendar", OBJCSV_UNIQUE, text.buf, text.len, 0, &s);
	ck_assert_uint_eq(objcsv_good(r), good);
	ck_assert_uint_eq(objcsv_bad(r), bad);
	ck_assert_uint_eq(s.nrecs, good);
	ck_assert_uint_eq(s.nrejs, bad);
	objcsv_free(r);
	seen_free(&s);
	sb_release(&text);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("objcsv");
	TCase *tc = tcase_create("objcsv");
	SRunner *sr;
	int failed;

	if (sodium_init() < 0)
		return 1;
	tcase_add_loop_test(tc, test_cases, 0, (int)(3 * (sizeof cases / sizeof cases[0])));
	tcase_add_test(tc, test_three_bad_fields);
	tcase_add_test(tc, test_header_mapping);
	tcase_add_test(tc, test_last_report_values);
	tcase_add_test(tc, test_record_callback_stops);
	tcase_add_test(tc, test_many_rows_counts);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
