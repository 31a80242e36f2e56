/* test_csvw.c - writing RFC 4180 CSV: exact bytes, and a round trip
 * through the reader. */
#include "../../formats/csvr.h"
#include "../../formats/csvw.h"
#include "../../formats/record.h"
#include "../../util/sb.h"
#include "../../util/xalloc.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wcase {
	const char *in;
	size_t n;
	const char *out;
	size_t out_n;
};

#define WC(lit, out) { lit, sizeof lit - 1, out, sizeof out - 1 }

static const struct wcase wcases[] = {
	WC("", ""),
	WC("abc", "abc"),
	WC("0042", "0042"),
	/* spaces, tabs and other bytes are data: no quotes */
	WC(" a b ", " a b "),
	WC("\ta\t", "\ta\t"),
	WC("caf\xc3\xa9", "caf\xc3\xa9"),
	WC("semi;colon", "semi;colon"),
	WC("it's", "it's"),
	WC("a\0b", "a\0b"),
	/* quoted only for comma, quote, CR, LF */
	WC("a,b", "\"a,b\""),
	WC(",", "\",\""),
	WC("a\"b", "\"a\"\"b\""),
	WC("\"", "\"\"\"\""),
	WC("\"\"", "\"\"\"\"\"\""),
	WC("say \"hi\"", "\"say \"\"hi\"\"\""),
	WC("a\nb", "\"a\nb\""),
	WC("a\rb", "\"a\rb\""),
	WC("a\r\nb", "\"a\r\nb\""),
	WC("\n", "\"\n\""),
	WC(" x, \"y\"\n", "\" x, \"\"y\"\"\n\""),
};

START_TEST(test_field_exact_bytes)
{
	const struct wcase *c = &wcases[_i];
	struct sb out = SB_INIT;

	sb_addstr(&out, "");
	csvw_field(&out, c->in, c->n);
	ck_assert_uint_eq(out.len, c->out_n);
	ck_assert_mem_eq(out.buf, c->out, c->out_n);
	ck_assert_int_eq(out.buf[out.len], '\0');
	sb_release(&out);
}
END_TEST

START_TEST(test_cells_and_rows)
{
	struct sb out = SB_INIT;

	csvw_cell(&out, 0, "id", 2);
	csvw_cell(&out, 1, "name", 4);
	csvw_cell(&out, 2, "note", 4);
	csvw_end(&out);
	csvw_cell(&out, 0, "1", 1);
	csvw_cell(&out, 1, "Doe, Jane", 9);
	csvw_cell(&out, 2, "", 0);
	csvw_end(&out);
	csvw_cell(&out, 0, "", 0);
	csvw_cell(&out, 1, "", 0);
	csvw_end(&out);
	/* appends: what was there stays */
	ck_assert_str_eq(out.buf, "id,name,note\n1,\"Doe, Jane\",\n,\n");
	sb_release(&out);
}
END_TEST

/* ---- round trip: rows written by csvw, read back by csvr ---- */

struct rt {
	const char *const *want;	/* fields of every row, one after the other */
	size_t nfields;			/* per row */
	size_t row;			/* rows seen */
	size_t nrows;
	int bad;
	char msg[200];
};

static int rt_row(void *ctx, const struct csvr_row *row)
{
	struct rt *t = ctx;
	size_t i;

	if (t->bad)
		return 0;
	if (t->row >= t->nrows || row->n != t->nfields || row->too_many) {
		t->bad = 1;
		snprintf(t->msg, sizeof t->msg, "row %zu: %zu fields", t->row, row->n);
		return 0;
	}
	for (i = 0; i < row->n; i++) {
		const char *w = t->want[t->row * t->nfields + i];

		if (row->len[i] != strlen(w) || memcmp(row->v[i], w, row->len[i]) != 0) {
			t->bad = 1;
			snprintf(t->msg, sizeof t->msg, "row %zu field %zu differs", t->row, i);
			return 0;
		}
	}
	t->row++;
	return 0;
}

static void rt_err(void *ctx, uint64_t line, const char *reason)
{
	struct rt *t = ctx;

	t->bad = 1;
	snprintf(t->msg, sizeof t->msg, "line %llu: %s", (unsigned long long)line, reason);
}

static const char *const rt_values[] = {
	/* 3 fields a row */
	"1", "plain", "",
	"2", "a,b", "\"quoted\"",
	"3", "line1\nline2", "cr\rhere",
	"4", "crlf\r\ninside", " spaced ",
	"5", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "\"",
	"6", ",", "\n",
	"7", "\"\"", ",,\"\",,",
	"8", "", "",
	"", "first empty", "x",
	"\xef\xbb\xbf" "not at start", "tab\there", "trailing comma,",
	"\n\n", "\r", "end\n",
};

START_TEST(test_round_trip)
{
	size_t nf = 3, nrows = sizeof rt_values / sizeof rt_values[0] / 3, r, f;
	struct sb out = SB_INIT;
	struct rt t = { rt_values, 3, 0, 0, 0, "" };
	struct csvr *rd;

	t.nrows = nrows;
	for (r = 0; r < nrows; r++) {
		for (f = 0; f < nf; f++) {
			const char *v = rt_values[r * nf + f];

			csvw_cell(&out, f, v, strlen(v));
		}
		csvw_end(&out);
	}
	rd = csvr_new(nf, rt_row, rt_err, &t);
	ck_assert_int_eq(csvr_feed(rd, out.buf, out.len), 0);
	ck_assert_int_eq(csvr_finish(rd), 0);
	csvr_free(rd);
	ck_assert_msg(!t.bad, "%s", t.msg);
	ck_assert_uint_eq(t.row, nrows);

	/* and fed a byte at a time */
	memset(&t, 0, sizeof t);
	t.want = rt_values;
	t.nfields = nf;
	t.nrows = nrows;
	rd = csvr_new(nf, rt_row, rt_err, &t);
	for (f = 0; f < out.len; f++)
		ck_assert_int_eq(csvr_feed(rd, out.buf + f, 1), 0);
	ck_assert_int_eq(csvr_finish(rd), 0);
	csvr_free(rd);
	ck_assert_msg(!t.bad, "%s", t.msg);
	ck_assert_uint_eq(t.row, nrows);
	sb_release(&out);
}
END_TEST

START_TEST(test_round_trip_every_byte)
{
	/* every byte value but NUL, in one field, next to the special ones */
	char v[256];
	const char *const want[] = { v, "x" };
	struct sb out = SB_INIT;
	struct rt t = { want, 2, 0, 1, 0, "" };
	struct csvr *rd;
	int i;

	for (i = 1; i < 256; i++)
		v[i - 1] = (char)i;
	v[255] = '\0';
	csvw_cell(&out, 0, v, 255);
	csvw_cell(&out, 1, "x", 1);
	csvw_end(&out);
	rd = csvr_new(2, rt_row, rt_err, &t);
	ck_assert_int_eq(csvr_feed(rd, out.buf, out.len), 0);
	ck_assert_int_eq(csvr_finish(rd), 0);
	csvr_free(rd);
	ck_assert_msg(!t.bad, "%s", t.msg);
	ck_assert_uint_eq(t.row, 1);
	sb_release(&out);
}
END_TEST

/* csvw_row: the same bytes as cell by cell, quoting where needed, and it
 * keeps what the buffer held before. */
START_TEST(test_row_equals_cells)
{
	static const char *const vals[] = {
		"1001", "", "plain", "a,b", "say \"hi\"", "two\nlines", "cr\r", "Zo\xc3\xab",
		" spaced ", ","
	};
	struct rec_val v[10];
	struct sb row = SB_INIT, cells = SB_INIT;
	size_t i, n;

	for (i = 0; i < 10; i++) {
		v[i].p = vals[i];
		v[i].n = strlen(vals[i]);
	}
	for (n = 1; n <= 10; n++) {
		sb_reset(&row);
		sb_reset(&cells);
		sb_addstr(&row, "before|");
		sb_addstr(&cells, "before|");
		csvw_row(&row, v, n);
		for (i = 0; i < n; i++)
			csvw_cell(&cells, i, v[i].p, v[i].n);
		csvw_end(&cells);
		ck_assert_uint_eq(row.len, cells.len);
		ck_assert_int_eq(memcmp(row.buf, cells.buf, row.len), 0);
	}
	ck_assert_str_eq(row.buf, "before|1001,,plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\","
			 "\"cr\r\",Zo\xc3\xab, spaced ,\",\"\n");
	sb_release(&row);
	sb_release(&cells);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("csvw");
	TCase *tc = tcase_create("csvw");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_field_exact_bytes, 0, (int)(sizeof wcases / sizeof wcases[0]));
	tcase_add_test(tc, test_cells_and_rows);
	tcase_add_test(tc, test_row_equals_cells);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_round_trip_every_byte);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
