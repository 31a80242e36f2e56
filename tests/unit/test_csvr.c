/* test_csvr.c - the strict, bounded, streaming CSV reader. */
#include "../../formats/csvr.h"
#include "../../util/sb.h"
#include "../../util/xalloc.h"
#include "helpers/testutil.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The reasons the reader gives, exactly. */
#define R_QUOTE "malformed quoting (a quote inside an unquoted field, or text after a closing quote)"
#define R_FIELD "field is longer than the bound of 1 MiB"
#define R_ROW "row is longer than the bound of 4 MiB"
#define R_EOF "unterminated quoted field at end of file"

/*
 * Everything the reader reports, as text:
 *   "<line>:[field][field]\n"   a row ("+" after the fields: too_many)
 *   "<line>!<code>\n"           an error: quote, field, row, eof
 * In fields, LF, CR and NUL are shown as \n, \r, \0.
 */
struct col {
	struct sb log;
	unsigned rows;
	unsigned stop_at;	/* the row callback returns 7 on this row */
	int unterminated;	/* a field was not followed by a NUL byte */
};

static int on_row(void *ctx, const struct csvr_row *row)
{
	struct col *c = ctx;
	size_t i, j;

	c->rows++;
	sb_addf(&c->log, "%llu:", (unsigned long long)row->line);
	for (i = 0; i < row->n; i++) {
		sb_addch(&c->log, '[');
		for (j = 0; j < row->len[i]; j++) {
			char ch = row->v[i][j];

			if (ch == '\n')
				sb_addstr(&c->log, "\\n");
			else if (ch == '\r')
				sb_addstr(&c->log, "\\r");
			else if (ch == '\0')
				sb_addstr(&c->log, "\\0");
			else
				sb_addch(&c->log, ch);
		}
		if (row->v[i][row->len[i]] != '\0')
			c->unterminated = 1;
		sb_addch(&c->log, ']');
	}
	if (row->too_many)
		sb_addch(&c->log, '+');
	sb_addch(&c->log, '\n');
	return c->stop_at && c->rows == c->stop_at ? 7 : 0;
}

static void on_err(void *ctx, uint64_t line, const char *reason)
{
	struct col *c = ctx;
	const char *code = !strcmp(reason, R_QUOTE) ? "quote" :
			   !strcmp(reason, R_FIELD) ? "field" :
			   !strcmp(reason, R_ROW) ? "row" :
			   !strcmp(reason, R_EOF) ? "eof" : reason;

	sb_addf(&c->log, "%llu!%s\n", (unsigned long long)line, code);
}

/*
 * Read p[0..n): cut at each of the cut points (ascending, < n), or in
 * pieces of chunk bytes when chunk > 0.  Returns the log (free it).
 */
static char *read_cuts(const char *p, size_t n, size_t max_fields, size_t chunk,
		       const size_t *cuts, size_t ncuts, unsigned stop_at, int *rc_out)
{
	struct col c = { SB_INIT, 0, stop_at, 0 };
	struct csvr *r = csvr_new(max_fields, on_row, on_err, &c);
	size_t at = 0, k = 0;
	int rc = 0;

	while (at < n && rc == 0) {
		size_t end = n;

		if (chunk)
			end = at + chunk < n ? at + chunk : n;
		else if (k < ncuts)
			end = cuts[k++];
		rc = csvr_feed(r, p + at, end - at);
		at = end;
	}
	if (rc == 0)
		rc = csvr_finish(r);
	csvr_free(r);
	ck_assert_int_eq(c.unterminated, 0);
	if (rc_out)
		*rc_out = rc;
	sb_addstr(&c.log, "");	/* never NULL */
	return sb_detach(&c.log);
}

static char *read_all(const char *p, size_t n, size_t max_fields)
{
	return read_cuts(p, n, max_fields, 0, NULL, 0, 0, NULL);
}

struct rcase {
	const char *in;
	size_t n;
	const char *want;
};

#define RC(lit, want) { lit, sizeof lit - 1, want }

static const struct rcase rcases[] = {
	RC("", ""),
	RC("a,b,c\n1,2,3\n", "1:[a][b][c]\n2:[1][2][3]\n"),
	/* no newline at the end: the last row comes with csvr_finish() */
	RC("a,b\nc,d", "1:[a][b]\n2:[c][d]\n"),
	RC("x", "1:[x]\n"),
	/* CRLF line endings: no CR in the values */
	RC("a,b\r\nc,d\r\n", "1:[a][b]\n2:[c][d]\n"),
	RC("a,b\r\nc,d", "1:[a][b]\n2:[c][d]\n"),
	/* quoted fields: commas, doubled quotes */
	RC("\"x,y\",z\n", "1:[x,y][z]\n"),
	RC("\"say \"\"hi\"\"\",2\n", "1:[say \"hi\"][2]\n"),
	RC("\"\"\"\"\n", "1:[\"]\n"),
	RC("\"\",\"\"\n", "1:[][]\n"),
	/* embedded newlines: the row's line is where it starts */
	RC("id,note\n1,\"line1\nline2\"\n2,x\n", "1:[id][note]\n2:[1][line1\\nline2]\n4:[2][x]\n"),
	RC("1,\"a\r\nb\"\r\n2,c\r\n", "1:[1][a\\r\\nb]\n3:[2][c]\n"),
	RC("\"a\n\n\nb\"\nc\n", "1:[a\\n\\n\\nb]\n5:[c]\n"),
	RC("\"\n\",\"\n\"\n\"x\"\n", "1:[\\n][\\n]\n4:[x]\n"),
	/* nothing is trimmed */
	RC(" a , b \n", "1:[ a ][ b ]\n"),
	RC("\ta\t,\t\n", "1:[\ta\t][\t]\n"),
	RC("\" a \"\n", "1:[ a ]\n"),
	/* a byte-order mark at the start is skipped, nowhere else */
	RC("\xef\xbb\xbf" "a,b\n", "1:[a][b]\n"),
	RC("\xef\xbb\xbf" "\"a\"\n", "1:[a]\n"),
	RC("\xef\xbb\xbf", ""),
	RC("\xef\xbb\xbf\xef\xbb\xbf" "a\n", "1:[\xef\xbb\xbf" "a]\n"),
	RC("a\n\xef\xbb\xbf" "b\n", "1:[a]\n2:[\xef\xbb\xbf" "b]\n"),
	/* not a BOM: the bytes are data */
	RC("\xef\xbb" "a\n", "1:[\xef\xbb" "a]\n"),
	RC("\xef" "a\n", "1:[\xef" "a]\n"),
	RC("\xef\xbb", "1:[\xef\xbb]\n"),
	/* blank lines are skipped but counted */
	RC("\n\na\n\n\r\nb\n\n", "3:[a]\n6:[b]\n"),
	RC("\r\n\r\na,b\r\n\r\nc\r\n", "3:[a][b]\n5:[c]\n"),
	RC("\n\r\n\n", ""),
	/* empty fields */
	RC("a,,\n,\n\"\"\n", "1:[a][][]\n2:[][]\n3:[]\n"),
	/* NUL bytes are data (length tells) */
	RC("a\0b,c\n", "1:[a\\0b][c]\n"),
	/* UTF-8 passes byte-exact */
	RC("caf\xc3\xa9,\xf0\x9f\x98\x80\n", "1:[caf\xc3\xa9][\xf0\x9f\x98\x80]\n"),
	/* malformed quoting: reported on its line, the next line goes on */
	RC("x,y\na\"b,c\nz,w\n", "1:[x][y]\n2!quote\n3:[z][w]\n"),
	RC("\"a\"b,c\nok\n", "1!quote\n2:[ok]\n"),
	RC("ok1\n\"a\"b\r\nok2\r\n", "1:[ok1]\n2!quote\n3:[ok2]\n"),
	RC("x, \"a\"\ny\n", "1!quote\n2:[y]\n"),
	RC("\"a\" ,b\ny\n", "1!quote\n2:[y]\n"),
	RC("a\"b\"c,\"d\",e\nf\n", "1!quote\n2:[f]\n"),
	/* a malformed row that started lines earlier: reported where it starts */
	RC("h\n\"a\nb\"x,y\nok\n", "1:[h]\n2!quote\n4:[ok]\n"),
	RC("a\"\nb\"\nc\n", "1!quote\n2!quote\n3:[c]\n"),
	RC("a\"b\na\"b\na\"b", "1!quote\n2!quote\n3!quote\n"),
	/* an unterminated quote at the end */
	RC("a\n\"abc\nmore", "1:[a]\n2!eof\n"),
	RC("a\n\"abc\nmore\n", "1:[a]\n2!eof\n"),
	RC("\"", "1!eof\n"),
};

/* Note a case that went wrong; every case runs, the failure lists them. */
static void expect_log(struct sb *bad, size_t i, const char *how, char *got, const char *want)
{
	if (strcmp(got, want) != 0)
		sb_addf(bad, "case %zu, %s: got \"%s\", want \"%s\"\n", i, how, got, want);
	free(got);
}

START_TEST(test_read_table)
{
	struct sb bad = SB_INIT;
	size_t i;

	for (i = 0; i < sizeof rcases / sizeof rcases[0]; i++)
		expect_log(&bad, i, "one chunk", read_all(rcases[i].in, rcases[i].n, 16),
			   rcases[i].want);
	sb_addstr(&bad, "");
	ck_assert_msg(bad.len == 0, "%s", bad.buf);
	sb_release(&bad);
}
END_TEST

START_TEST(test_read_table_any_chunking)
{
	/* the same rows, lines and errors however the input is cut */
	struct sb bad = SB_INIT;
	char how[64];
	size_t i, k, cuts[2];

	for (i = 0; i < sizeof rcases / sizeof rcases[0]; i++) {
		const struct rcase *c = &rcases[i];

		expect_log(&bad, i, "1-byte chunks",
			   read_cuts(c->in, c->n, 16, 1, NULL, 0, 0, NULL), c->want);
		expect_log(&bad, i, "2-byte chunks",
			   read_cuts(c->in, c->n, 16, 2, NULL, 0, 0, NULL), c->want);
		for (k = 1; k < c->n; k++) {
			cuts[0] = k;
			snprintf(how, sizeof how, "cut at %zu", k);
			expect_log(&bad, i, how, read_cuts(c->in, c->n, 16, 0, cuts, 1, 0, NULL),
				   c->want);
		}
		for (k = 1; k + 1 < c->n; k++) {
			cuts[0] = k;
			cuts[1] = k + 1;
			snprintf(how, sizeof how, "cut at %zu and %zu", k, k + 1);
			expect_log(&bad, i, how, read_cuts(c->in, c->n, 16, 0, cuts, 2, 0, NULL),
				   c->want);
		}
	}
	sb_addstr(&bad, "");
	ck_assert_msg(bad.len == 0, "%s", bad.buf);
	sb_release(&bad);
}
END_TEST

START_TEST(test_too_many_fields)
{
	static const char in[] = "a,b,c\nd,e\nf\n\"g,h\",i,j,k\n";
	char *got = read_all(in, sizeof in - 1, 2);

	/* delivered with the first max_fields, too_many set */
	ck_assert_str_eq(got, "1:[a][b]+\n2:[d][e]\n3:[f]\n4:[g,h][i]+\n");
	free(got);
	got = read_cuts(in, sizeof in - 1, 2, 1, NULL, 0, 0, NULL);
	ck_assert_str_eq(got, "1:[a][b]+\n2:[d][e]\n3:[f]\n4:[g,h][i]+\n");
	free(got);
	got = read_all(in, sizeof in - 1, 1);
	ck_assert_str_eq(got, "1:[a]+\n2:[d]+\n3:[f]\n4:[g,h]+\n");
	free(got);
}
END_TEST

/* "a," + a field of n bytes (quoted if asked) + ",z\n" + "next,row\n" */
static char *long_field_input(size_t n, int quoted, size_t *len)
{
	size_t total = 2 + n + 2 * (quoted != 0) + 3 + 9, at = 0;
	char *p = xmalloc(total + 1);

	memcpy(p + at, "a,", 2);
	at += 2;
	if (quoted)
		p[at++] = '"';
	memset(p + at, 'v', n);
	at += n;
	if (quoted)
		p[at++] = '"';
	memcpy(p + at, ",z\nnext,row\n", 12);
	at += 12;
	ck_assert_uint_eq(at, total);
	*len = total;
	return p;
}

/* Read it in pieces of chunk bytes (0: in one piece). */
static void check_long_field(size_t n, int quoted, size_t chunk, const char *want)
{
	size_t len;
	char *in = long_field_input(n, quoted, &len);
	char *got = read_cuts(in, len, 8, chunk, NULL, 0, 0, NULL);

	ck_assert_msg(strcmp(got, want) == 0, "field of %zu bytes (quoted %d, chunks of %zu): "
		      "got \"%.60s\"", n, quoted, chunk, got);
	free(got);
	free(in);
}

START_TEST(test_field_bound)
{
	/* longer than CSVR_MAX_FIELD: an error for that row, then go on,
	 * in one piece or in the 64 KiB blocks csvr_feed_fd() reads */
	check_long_field(CSVR_MAX_FIELD + 1, 0, 0, "1!field\n2:[next][row]\n");
	check_long_field(CSVR_MAX_FIELD + 1, 1, 65536, "1!field\n2:[next][row]\n");
	check_long_field(CSVR_MAX_FIELD + 1, 1, 0, "1!field\n2:[next][row]\n");
	check_long_field(3 * CSVR_MAX_FIELD, 0, 65536, "1!field\n2:[next][row]\n");
}
END_TEST

/* The row as the log shows it: "1:[a][vvv...][z]\n2:[next][row]\n". */
static char *long_field_log(size_t n)
{
	char *s = xmalloc(n + 64);
	size_t at = 0;

	memcpy(s, "1:[a][", 6);
	at = 6;
	memset(s + at, 'v', n);
	at += n;
	strcpy(s + at, "][z]\n2:[next][row]\n");
	return s;
}

START_TEST(test_field_at_bound_is_fine)
{
	char *want = long_field_log(CSVR_MAX_FIELD);

	check_long_field(CSVR_MAX_FIELD, 0, 65536, want);
	check_long_field(CSVR_MAX_FIELD, 1, 0, want);
	free(want);
}
END_TEST

START_TEST(test_row_bound)
{
	/* five fields of 1,000,000 bytes: more than 4 MiB in one row */
	size_t f = 1000000, nf = 5, i, at = 0;
	size_t len = nf * (f + 1) + 9 + 6;
	char *in = xmalloc(len);
	char *got;

	memcpy(in, "first\n", 6);
	at = 6;
	for (i = 0; i < nf; i++) {
		memset(in + at, (char)('a' + i), f);
		at += f;
		in[at++] = i + 1 < nf ? ',' : '\n';
	}
	memcpy(in + at, "next,row\n", 9);
	at += 9;
	ck_assert_uint_eq(at, len);
	got = read_cuts(in, len, 8, 65536, NULL, 0, 0, NULL);
	ck_assert_str_eq(got, "1:[first]\n2!row\n3:[next][row]\n");
	free(got);
	free(in);
}
END_TEST

START_TEST(test_callback_stops)
{
	static const char in[] = "r1\nr2\nr3\nr4\n";
	int rc = -1;
	char *got;

	got = read_cuts(in, sizeof in - 1, 4, 0, NULL, 0, 2, &rc);
	ck_assert_int_eq(rc, 7);
	ck_assert_str_eq(got, "1:[r1]\n2:[r2]\n");
	free(got);
	got = read_cuts(in, sizeof in - 1, 4, 1, NULL, 0, 2, &rc);
	ck_assert_int_eq(rc, 7);
	ck_assert_str_eq(got, "1:[r1]\n2:[r2]\n");
	free(got);
	/* the last row, delivered by csvr_finish() */
	got = read_cuts("r1\nr2", 5, 4, 0, NULL, 0, 2, &rc);
	ck_assert_int_eq(rc, 7);
	ck_assert_str_eq(got, "1:[r1]\n2:[r2]\n");
	free(got);
}
END_TEST

START_TEST(test_stopped_reader_stays_stopped)
{
	struct col c = { SB_INIT, 0, 1, 0 };
	struct csvr *r = csvr_new(4, on_row, on_err, &c);

	ck_assert_int_eq(csvr_feed(r, "a\nb\n", 4), 7);
	ck_assert_int_eq(csvr_feed(r, "c\n", 2), 7);
	ck_assert_int_eq(csvr_feed(r, "\"bad", 4), 7);
	ck_assert_int_eq(csvr_finish(r), 7);
	ck_assert_uint_eq(c.rows, 1);
	ck_assert_str_eq(c.log.buf, "1:[a]\n");
	csvr_free(r);
	sb_release(&c.log);
}
END_TEST

START_TEST(test_feed_fd)
{
	static const char in[] = "\xef\xbb\xbfid,name\r\n1,\"Ann, B\"\r\n\r\n2,\"C\"\"D\"\r\n";
	char *dir = tu_tmpdir();
	char *path = tu_write(dir, "in.csv", in, sizeof in - 1);
	struct col c = { SB_INIT, 0, 0, 0 };
	struct csvr *r = csvr_new(4, on_row, on_err, &c);
	int fd = open(path, O_RDONLY);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(csvr_feed_fd(r, fd), 0);
	ck_assert_int_eq(csvr_finish(r), 0);
	close(fd);
	ck_assert_str_eq(c.log.buf, "1:[id][name]\n2:[1][Ann, B]\n4:[2][C\"D]\n");
	/* a read error is -1 with errno */
	errno = 0;
	ck_assert_int_eq(csvr_feed_fd(r, -1), -1);
	ck_assert_int_eq(errno, EBADF);
	csvr_free(r);
	sb_release(&c.log);
	free(path);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_many_rows_lines)
{
	/* 10000 rows, every third one spanning two lines, every fifth line blank */
	struct sb in = SB_INIT, want = SB_INIT;
	unsigned long line = 1, i;
	char *got;

	for (i = 0; i < 10000; i++) {
		if (i % 5 == 0) {
			sb_addstr(&in, "\r\n");
			line++;
		}
		if (i % 3 == 0) {
			sb_addf(&in, "%lu,\"x\ny\"\r\n", i);
			sb_addf(&want, "%lu:[%lu][x\\ny]\n", line, i);
			line += 2;
		} else {
			sb_addf(&in, "%lu,z\n", i);
			sb_addf(&want, "%lu:[%lu][z]\n", line, i);
			line++;
		}
	}
	got = read_all(in.buf, in.len, 4);
	ck_assert_str_eq(got, want.buf);
	free(got);
	got = read_cuts(in.buf, in.len, 4, 7, NULL, 0, 0, NULL);
	ck_assert_str_eq(got, want.buf);
	free(got);
	sb_release(&in);
	sb_release(&want);
}
END_TEST

START_TEST(test_free_null)
{
	csvr_free(NULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("csvr");
	TCase *tc = tcase_create("csvr");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_read_table);
	tcase_add_test(tc, test_read_table_any_chunking);
	tcase_add_test(tc, test_too_many_fields);
	tcase_add_test(tc, test_field_bound);
	tcase_add_test(tc, test_field_at_bound_is_fine);
	tcase_add_test(tc, test_row_bound);
	tcase_add_test(tc, test_callback_stops);
	tcase_add_test(tc, test_stopped_reader_stays_stopped);
	tcase_add_test(tc, test_feed_fd);
	tcase_add_test(tc, test_many_rows_lines);
	tcase_add_test(tc, test_free_null);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
