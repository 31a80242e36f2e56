/* csvr.c - strict, bounded streaming CSV over libcsv; see csvr.h. */
#include "csvr.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct csvr {
	struct csv_parser p;
	csvr_row_fn row_fn;
	csvr_err_fn err_fn;
	void *ctx;
	size_t max_fields;

	struct sb row;		/* fields of the row being built, NUL after each */
	size_t *off;		/* offset of each field in row.buf */
	size_t *len;
	const char **v;
	size_t nf;
	int too_many;
	int too_big;		/* over the bound: 1 the row, 2 a field */

	uint64_t line;		/* physical line being fed */
	uint64_t row_line;	/* where the current row started */
	int at_row_start;	/* the next byte not CR or LF starts a row */
	int at_bof;		/* may still see a BOM */
	size_t bom_len;		/* bytes of the BOM seen so far */
	int partial_line;	/* the last segment fed had no newline yet */
	int skip_line;		/* after a malformed row: drop the rest of the line */
	int stop;		/* value returned by the row callback */
};

/*
 * libcsv grows its field buffer through this; refusing is our bound.  It
 * wants a free byte before each byte it reads, and keeps a quoted field's
 * closing quote until the next byte: 2 bytes over, so that a field of
 * exactly CSVR_MAX_FIELD bytes passes quoted or not; on_field() checks the
 * exact bound.
 */
static void *bounded_realloc(void *ptr, size_t size)
{
	if (size > CSVR_MAX_FIELD + 2)
		return NULL;
	return realloc(ptr, size);
}

/* Nothing is white space: values travel byte-exact. */
static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void parser_init(struct csvr *r)
{
	csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI);
	csv_set_space_func(&r->p, no_space);
	csv_set_realloc_func(&r->p, bounded_realloc);
	csv_set_blk_size(&r->p, 4096);
}

struct csvr *csvr_new(size_t max_fields, csvr_row_fn row, csvr_err_fn err, void *ctx)
{
	struct csvr *r = xcalloc(1, sizeof *r);

	r->row_fn = row;
	r->err_fn = err;
	r->ctx = ctx;
	r->max_fields = max_fields ? max_fields : 1;
	r->off = xcalloc(r->max_fields, sizeof *r->off);
	r->len = xcalloc(r->max_fields, sizeof *r->len);
	r->v = xcalloc(r->max_fields, sizeof *r->v);
	r->at_row_start = 1;
	r->at_bof = 1;
	parser_init(r);
	return r;
}

void csvr_free(struct csvr *r)
{
	if (!r)
		return;
	csv_free(&r->p);
	sb_release(&r->row);
	free(r->off);
	free(r->len);
	free(r->v);
	free(r);
}

static void row_reset(struct csvr *r)
{
	sb_reset(&r->row);
	r->nf = 0;
	r->too_many = 0;
	r->too_big = 0;
	r->at_row_start = 1;
}

static void on_field(void *field, size_t n, void *data)
{
	struct csvr *r = data;

	if (r->stop)
		return;
	if (n > CSVR_MAX_FIELD) {
		r->too_big = 2;
		return;
	}
	if (r->nf >= r->max_fields) {
		r->too_many = 1;
		return;
	}
	if (r->row.len + n + 1 > CSVR_MAX_ROW) {
		r->too_big = 1;
		return;
	}
	/* hot path: one growth check and one copy per field */
	sb_grow(&r->row, n + 1);
	r->off[r->nf] = r->row.len;
	r->len[r->nf] = n;
	if (n)
		memcpy(r->row.buf + r->row.len, field, n);
	r->row.len += n + 1;
	r->row.buf[r->row.len - 1] = '\0';
	r->nf++;
}

static void on_row(int c, void *data)
{
	struct csvr *r = data;
	struct csvr_row row;
	size_t i;

	(void)c;
	if (r->stop)
		return;
	if (r->too_big) {
		r->err_fn(r->ctx, r->row_line, r->too_big == 2
			  ? "field is longer than the bound of 1 MiB"
			  : "row is longer than the bound of 4 MiB");
		row_reset(r);
		return;
	}
	for (i = 0; i < r->nf; i++)
		r->v[i] = r->row.buf + r->off[i];
	row.line = r->row_line;
	row.n = r->nf;
	row.v = r->v;
	row.len = r->len;
	row.too_many = r->too_many;
	r->stop = r->row_fn(r->ctx, &row);
	row_reset(r);
}

/* Recover from a malformed row: report it and start over at the next line. */
static void parse_failed(struct csvr *r)
{
	int e = csv_error(&r->p);

	r->err_fn(r->ctx, r->row_line,
		  e == CSV_ENOMEM ? "field is longer than the bound of 1 MiB"
				  : "malformed quoting (a quote inside an unquoted field, or text after a closing quote)");
	csv_free(&r->p);
	parser_init(r);
	row_reset(r);
}

/*
 * Bytes go to libcsv in pieces that end at every CR and LF, so that a row
 * can only end at the end of a piece: the next row starts at the first byte
 * of a later piece that is not CR or LF (libcsv skips those between rows),
 * and its line is known exactly however the caller cuts the input.
 */
static size_t piece_len(const char *p, size_t n)
{
	/* the first CR or LF: two vectorised scans beat one byte loop */
	const char *lf = memchr(p, '\n', n);
	size_t upto = lf ? (size_t)(lf - p) + 1 : n;
	const char *cr = memchr(p, '\r', upto);

	return cr ? (size_t)(cr - p) + 1 : upto;
}

static void feed_segment(struct csvr *r, const char *p, size_t n, int ends_line)
{
	if (r->skip_line) {
		/* the rest of a malformed row's line, whatever the feeds */
		r->skip_line = !ends_line;
		return;
	}
	if (r->at_row_start && p[0] != '\n' && p[0] != '\r') {
		r->row_line = r->line;
		r->at_row_start = 0;
	}
	if (csv_parse(&r->p, p, n, on_field, on_row, r) != n && !r->stop) {
		parse_failed(r);
		r->skip_line = !ends_line;
	}
}

static const char bom[3] = "\xef\xbb\xbf";

static int feed_bytes(struct csvr *r, const char *p, size_t n)
{
	while (n && !r->stop) {
		size_t seg = piece_len(p, n);
		int ends_line = p[seg - 1] == '\n';

		if (!r->partial_line)
			r->line++;
		feed_segment(r, p, seg, ends_line);
		r->partial_line = !ends_line;
		p += seg;
		n -= seg;
	}
	return r->stop;
}

int csvr_feed(struct csvr *r, const void *data, size_t n)
{
	const char *p = data;

	/* A BOM at the start is skipped, however the feeds cut it (a pipe or
	 * an archive member may hand over a byte at a time). */
	while (r->at_bof && n) {
		if (*p != bom[r->bom_len]) {
			/* not a BOM after all: what looked like one is data */
			r->at_bof = 0;
			feed_bytes(r, bom, r->bom_len);
			break;
		}
		p++, n--;
		if (++r->bom_len == sizeof bom)
			r->at_bof = 0;
	}
	return feed_bytes(r, p, n);
}

int csvr_finish(struct csvr *r)
{
	if (r->at_bof) {
		/* the input was a BOM's first byte or two, and nothing else */
		r->at_bof = 0;
		feed_bytes(r, bom, r->bom_len);
	}
	if (r->stop)
		return r->stop;
	if (csv_fini(&r->p, on_field, on_row, r) != 0 && !r->stop) {
		r->err_fn(r->ctx, r->row_line, "unterminated quoted field at end of file");
		row_reset(r);
	}
	return r->stop;
}

int csvr_feed_fd(struct csvr *r, int fd)
{
	char buf[1 << 16];

	for (;;) {
		ssize_t got = read(fd, buf, sizeof buf);
		int rc;

		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (got == 0)
			return 0;
		rc = csvr_feed(r, buf, (size_t)got);
		if (rc)
			return rc;
	}
}
