/* test_digest.c - digest members: writing and the checked reader (formats/digest.h). */
#include "../../formats/digest.h"
#include "../../formats/record.h"
#include "../../formats/registry.h"
#include "../../util/sb.h"

#include <check.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define H1 "00112233445566778899aabbccddeeff"
#define H2 "ffeeddccbbaa99887766554433221100"
#define H3 "0123456789abcdef0123456789abcdef"

static const struct reg_object *school(void)
{
	const struct reg_object *o = reg_find("School");

	ck_assert_ptr_nonnull(o);
	return o;
}

/* A two-key object (the registry's are all one-key), keys a (integer), b (text). */
static const struct reg_field two_fields[] = {
	{ "note", REG_TEXT, REG_SAVE, "", "" },
	{ "a", REG_INTEGER, REG_KEY, "", "" },
	{ "b", REG_TEXT, REG_KEY, "", "" },
};

static struct reg_object two_keys(void)
{
	struct reg_object o;

	memset(&o, 0, sizeof o);
	o.name = "Two";
	o.area = REG_AREA_NONE;
	o.parents = "";
	o.states = "";
	o.fields = two_fields;
	o.nfields = 3;
	o.nkeys = 2;
	o.key[0] = 1;
	o.key[1] = 2;
	return o;
}

START_TEST(test_header_and_row_bytes)
{
	const struct reg_object *o = school();
	struct reg_object t = two_keys();
	struct sb out = SB_INIT;
	unsigned char h[REC_HASH_BYTES];
	struct rec_val v[5] = { { "0042", 4 }, { "N-7", 3 }, { "a,b", 3 }, { "", 0 }, { "1", 1 } };
	struct rec_val tv[3] = { { "x", 1 }, { "7", 1 }, { "say \"hi\", then", 14 } };
	size_t i;

	for (i = 0; i < REC_HASH_BYTES; i++)
		h[i] = (unsigned char)(i * 17);
	digest_header(o, &out);
	ck_assert_str_eq(out.buf, "schoolID,xxh3_128\n");
	digest_row(o, v, h, &out);	/* appends; only the key is written */
	ck_assert_str_eq(out.buf, "schoolID,xxh3_128\n0042," H1 "\n");

	sb_reset(&out);
	digest_header(&t, &out);
	ck_assert_str_eq(out.buf, "a,b,xxh3_128\n");
	sb_reset(&out);
	digest_row(&t, tv, h, &out);
	ck_assert_str_eq(out.buf, "7,\"say \"\"hi\"\", then\"," H1 "\n");
	sb_release(&out);
}
END_TEST

/* ---- reading ---- */

struct got {
	size_t n;
	char keys[16][64];	/* key values joined with '|' */
	char hash[16][33];
	int dup[16];
	size_t stop_at;		/* return 1 on this row (1-based), 0: never */
	size_t nkeys;		/* of the object read */
};

static int on_row(void *ctx, const struct rec_val *keys, const unsigned char hash[REC_HASH_BYTES],
		  int duplicate)
{
	struct got *g = ctx;
	size_t i, off = 0;

	ck_assert_uint_lt(g->n, 16);
	for (i = 0; i < g->nkeys; i++) {
		if (i)
			g->keys[g->n][off++] = '|';
		ck_assert_uint_lt(off + keys[i].n, 64);
		memcpy(g->keys[g->n] + off, keys[i].p, keys[i].n);
		off += keys[i].n;
	}
	g->keys[g->n][off] = '\0';
	rec_hash_hex(hash, g->hash[g->n]);
	g->dup[g->n] = duplicate;
	g->n++;
	return g->stop_at && g->n == g->stop_at ? 1 : 0;
}

/* Read text with the reader, fed in pieces of `piece` bytes (0: all at once). */
static int read_digest(const struct reg_object *o, const char *text, size_t piece, struct got *g,
		       struct sb *err, uint64_t *rows)
{
	struct digest_reader *r;
	size_t n = strlen(text), off = 0;
	int rc = 0;

	g->nkeys = o->nkeys;
	r = digest_reader_new(o, on_row, g);
	while (off < n && rc == 0) {
		size_t take = piece && n - off > piece ? piece : n - off;

		rc = digest_reader_feed(r, text + off, take);
		off += take;
	}
	if (rc == 0)
		rc = digest_reader_finish(r);
	sb_reset(err);
	if (digest_reader_error(r))
		sb_addstr(err, digest_reader_error(r));
	*rows = digest_reader_rows(r);
	digest_reader_free(r);
	return rc;
}

static const size_t pieces[] = { 0, 1, 7 };

START_TEST(test_reads_sorted_rows)
{
	const struct reg_object *o = school();
	/* bytewise key order: "1" < "10" < "9" < "90" */
	const char *text = "schoolID,xxh3_128\n1," H1 "\n10," H2 "\n9," H3 "\n90," H1 "\n";
	struct got g;
	struct sb err = SB_INIT;
	uint64_t rows;

	memset(&g, 0, sizeof g);
	ck_assert_int_eq(read_digest(o, text, pieces[_i], &g, &err, &rows), 0);
	ck_assert_uint_eq(err.len, 0);
	ck_assert_uint_eq(rows, 4);
	ck_assert_uint_eq(g.n, 4);
	ck_assert_str_eq(g.keys[0], "1");
	ck_assert_str_eq(g.keys[1], "10");
	ck_assert_str_eq(g.keys[2], "9");
	ck_assert_str_eq(g.keys[3], "90");
	ck_assert_str_eq(g.hash[0], H1);
	ck_assert_str_eq(g.hash[1], H2);
	ck_assert_str_eq(g.hash[2], H3);
	ck_assert_str_eq(g.hash[3], H1);
	ck_assert_int_eq(g.dup[0] + g.dup[1] + g.dup[2] + g.dup[3], 0);
	sb_release(&err);
}
END_TEST

START_TEST(test_round_trip_with_writer)
{
	const struct reg_object *o = school();
	static const char *const ids[] = { "0042", "1", "100", "2", "42" };	/* sorted */
	struct sb text = SB_INIT, scratch = SB_INIT, err = SB_INIT;
	char want[5][33];
	struct got g;
	uint64_t rows;
	size_t i;

	digest_header(o, &text);
	for (i = 0; i < 5; i++) {
		struct rec_val v[5] = { { ids[i], strlen(ids[i]) }, { "n", 1 }, { "x", 1 },
					{ "", 0 }, { "0", 1 } };
		unsigned char h[REC_HASH_BYTES];

		rec_hash(o, v, &scratch, h);
		rec_hash_hex(h, want[i]);
		digest_row(o, v, h, &text);
	}
	memset(&g, 0, sizeof g);
	ck_assert_int_eq(read_digest(o, text.buf, 0, &g, &err, &rows), 0);
	ck_assert_uint_eq(rows, 5);
	ck_assert_uint_eq(g.n, 5);
	for (i = 0; i < 5; i++) {
		ck_assert_str_eq(g.keys[i], ids[i]);
		ck_assert_str_eq(g.hash[i], want[i]);
		ck_assert_int_eq(g.dup[i], 0);
	}
	sb_release(&text);
	sb_release(&scratch);
	sb_release(&err);
}
END_TEST

START_TEST(test_duplicates_flagged)
{
	const struct reg_object *o = school();
	const char *text = "schoolID,xxh3_128\n1," H1 "\n1," H2 "\n1," H3 "\n2," H1 "\n";
	struct got g;
	struct sb err = SB_INIT;
	uint64_t rows;

	memset(&g, 0, sizeof g);
	ck_assert_int_eq(read_digest(o, text, 0, &g, &err, &rows), 0);
	ck_assert_uint_eq(err.len, 0);
	ck_assert_uint_eq(rows, 4);
	ck_assert_uint_eq(g.n, 4);
	ck_assert_int_eq(g.dup[0], 0);
	ck_assert_int_eq(g.dup[1], 1);
	ck_assert_int_eq(g.dup[2], 1);
	ck_assert_int_eq(g.dup[3], 0);
	ck_assert_str_eq(g.hash[1], H2);
	sb_release(&err);
}
END_TEST

START_TEST(test_composite_keys)
{
	struct reg_object t = two_keys();
	/* field by field: (1,"b") < (1,"ba") = (1,"ba") < (10,"a") */
	const char *text = "a,b,xxh3_128\n1,b," H1 "\n1,ba," H2 "\n1,ba," H3 "\n10,a," H1 "\n";
	const char *unsorted = "a,b,xxh3_128\n1,b," H1 "\n1,a," H2 "\n";
	struct got g;
	struct sb err = SB_INIT;
	uint64_t rows;

	memset(&g, 0, sizeof g);
	ck_assert_int_eq(read_digest(&t, text, 0, &g, &err, &rows), 0);
	ck_assert_uint_eq(rows, 4);
	ck_assert_str_eq(g.keys[0], "1|b");
	ck_assert_str_eq(g.keys[1], "1|ba");
	ck_assert_str_eq(g.keys[3], "10|a");
	ck_assert_int_eq(g.dup[2], 1);
	ck_assert_int_eq(g.dup[1] + g.dup[3], 0);
	memset(&g, 0, sizeof g);
	ck_assert_int_ne(read_digest(&t, unsorted, 0, &g, &err, &rows), 0);
	ck_assert_str_eq(err.buf, "line 3: rows are not sorted by key");
	ck_assert_uint_eq(g.n, 1);
	sb_release(&err);
}
END_TEST

struct bad_digest {
	const char *what;
	const char *text;
	const char *err;
	size_t delivered;	/* rows handed to the callback before the stop */
};

static const struct bad_digest bad[] = {
	{ "unsorted", "schoolID,xxh3_128\n1," H1 "\n2," H2 "\n10," H3 "\n",
	  "line 4: rows are not sorted by key", 2 },
	{ "unsorted at once", "schoolID,xxh3_128\n9," H1 "\n10," H2 "\n",
	  "line 3: rows are not sorted by key", 1 },
	{ "hash with a bad digit", "schoolID,xxh3_128\n1," H1 "\n2,0011223344556677889900aabbccddeg\n",
	  "line 3: hash is not 32 hex digits", 1 },
	{ "hash too short", "schoolID,xxh3_128\n1,0011\n", "line 2: hash is not 32 hex digits", 0 },
	{ "hash empty", "schoolID,xxh3_128\n1,\n", "line 2: hash is not 32 hex digits", 0 },
	{ "header names another key", "personID,xxh3_128\n1," H1 "\n",
	  "line 1: header does not name the key fields", 0 },
	{ "header without the hash column", "schoolID,hash\n1," H1 "\n",
	  "line 1: header lacks the hash column", 0 },
	{ "header of one column", "schoolID\n1\n", "line 1: wrong number of columns", 0 },
	{ "header of three columns", "schoolID,xxh3_128,x\n", "line 1: wrong number of columns", 0 },
	{ "key not an integer", "schoolID,xxh3_128\n1," H1 "\n1a," H2 "\n",
	  "line 3: key value is not valid", 1 },
	{ "key empty", "schoolID,xxh3_128\n," H1 "\n", "line 2: key value is not valid", 0 },
	{ "key with a space", "schoolID,xxh3_128\n 1," H1 "\n", "line 2: key value is not valid", 0 },
	{ "row with three fields", "schoolID,xxh3_128\n1," H1 ",x\n",
	  "line 2: wrong number of columns", 0 },
	{ "row with one field", "schoolID,xxh3_128\n1," H1 "\n2\n", "line 3: wrong number of columns", 1 },
	{ "blank lines count", "schoolID,xxh3_128\n\n1," H1 "\n\n1a," H2 "\n",
	  "line 5: key value is not valid", 1 },
	{ "bad quoting", "schoolID,xxh3_128\n1," H1 "\n\"2\"x," H2 "\n",
	  "line 3: malformed quoting (a quote inside an unquoted field, or text after a closing quote)", 1 },
	{ "empty input", "", "line 1: no header row", 0 },
};

START_TEST(test_refusals)
{
	const struct bad_digest *t = &bad[_i / 3];
	struct got g;
	struct sb err = SB_INIT;
	uint64_t rows;

	memset(&g, 0, sizeof g);
	ck_assert_msg(read_digest(school(), t->text, pieces[_i % 3], &g, &err, &rows) != 0,
		      "%s: accepted", t->what);
	ck_assert_msg(!strcmp(err.buf ? err.buf : "", t->err), "%s (pieces of %zu): '%s', want '%s'",
		      t->what, pieces[_i % 3], err.buf ? err.buf : "", t->err);
	ck_assert_msg(g.n == t->delivered, "%s: %zu rows delivered, want %zu", t->what, g.n,
		      t->delivered);
	ck_assert_uint_eq(rows, t->delivered);
	sb_release(&err);
}
END_TEST

START_TEST(test_callback_stops)
{
	const char *text = "schoolID,xxh3_128\n1," H1 "\n2," H2 "\n3," H3 "\n";
	struct digest_reader *r;
	struct got g;

	memset(&g, 0, sizeof g);
	g.nkeys = 1;
	g.stop_at = 2;
	r = digest_reader_new(school(), on_row, &g);
	ck_assert_int_eq(digest_reader_feed(r, text, strlen(text)), 1);
	ck_assert_uint_eq(g.n, 2);
	ck_assert_ptr_null(digest_reader_error(r));	/* stopped, not bad input */
	ck_assert_uint_eq(digest_reader_rows(r), 2);
	digest_reader_free(r);
	digest_reader_free(NULL);
}
END_TEST

START_TEST(test_no_final_newline_and_crlf)
{
	struct got g;
	struct sb err = SB_INIT;
	uint64_t rows;

	memset(&g, 0, sizeof g);
	ck_assert_int_eq(read_digest(school(), "schoolID,xxh3_128\n1," H1, 0, &g, &err, &rows), 0);
	ck_assert_uint_eq(rows, 1);
	ck_assert_str_eq(g.hash[0], H1);
	memset(&g, 0, sizeof g);
	ck_assert_int_eq(read_digest(school(), "schoolID,xxh3_128\r\n1," H1 "\r\n2," H2 "\r\n", 0, &g,
				     &err, &rows), 0);
	ck_assert_uint_eq(rows, 2);
	ck_assert_str_eq(g.hash[1], H2);
	/* a header alone is a digest of no records */
	memset(&g, 0, sizeof g);
	ck_assert_int_eq(read_digest(school(), "schoolID,xxh3_128\n", 0, &g, &err, &rows), 0);
	ck_assert_uint_eq(rows, 0);
	sb_release(&err);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("digest");
	TCase *tc = tcase_create("digest");
	SRunner *sr;
	int failed;

	if (sodium_init() < 0)
		return 1;
	tcase_add_test(tc, test_header_and_row_bytes);
	tcase_add_loop_test(tc, test_reads_sorted_rows, 0, 3);
	tcase_add_test(tc, test_round_trip_with_writer);
	tcase_add_test(tc, test_duplicates_flagged);
	tcase_add_test(tc, test_composite_keys);
	tcase_add_loop_test(tc, test_refusals, 0, (int)(3 * (sizeof bad / sizeof bad[0])));
	tcase_add_test(tc, test_callback_stops);
	tcase_add_test(tc, test_no_final_newline_and_crlf);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
