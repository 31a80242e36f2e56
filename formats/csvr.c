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
	int too_big;		/* row or field over the bound */

	uint64_t line;		/* physical line being fed */
	uint64_t row_line;	/* where the current row started */
	int at_row_start;	/* next non-blank line starts a row */
	int at_bof;		/* may still see a BOM */
	int partial_line;	/* the last segment fed had no newline yet */
	int stop;		/* value returned by the row callback */
};

/* libcsv grows its field buffer through this; refusing is our bound. */
static void *bounded_realloc(void *ptr, size_t size)
{
	if (size > CSVR_MAX_FIELD + 1)
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
	if (r->nf >= r->max_fields) {
		r->too_many = 1;
		return;
	}
	if (r->row.len + n + 1 > CSVR_MAX_ROW) {
		r->too_big = 1;
		return;
	}
	r->off[r->nf] = r->row.len;
	r->len[r->nf] = n;
	sb_add(&r->row, field, n);
	sb_addch(&r->row, '\0');
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
		r->err_fn(r->ctx, r->row_line, "row is longer than the bound of 4 MiB");
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

static int blank(const char *p, size_t n)
{
	return (n == 1 && p[0] == '\n') || (n == 2 && p[0] == '\r' && p[1] == '\n');
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

static void feed_segment(struct csvr *r, const char *p, size_t n, int ends_line)
{
	if (r->at_row_start && !r->partial_line && !blank(p, n)) {
		r->row_line = r->line;
		r->at_row_start = 0;
	}
	if (csv_parse(&r->p, p, n, on_field, on_row, r) != n && !r->stop)
		parse_failed(r);
	r->partial_line = !ends_line;
}

int csvr_feed(struct csvr *r, const void *data, size_t n)
{
	const char *p = data;

	if (r->at_bof && n) {
		/* A BOM may be split across feeds only in theory; sources are
		 * read in 64 KiB blocks. */
		if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
			p += 3, n -= 3;
		r->at_bof = 0;
	}
	while (n && !r->stop) {
		const char *nl = memchr(p, '\n', n);
		size_t seg = nl ? (size_t)(nl - p) + 1 : n;

		if (!r->partial_line)
			r->line++;
		feed_segment(r, p, seg, nl != NULL);
		p += seg;
		n -= seg;
	}
	return r->stop;
}

int csvr_finish(struct csvr *r)
{
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
