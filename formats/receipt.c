/* receipt.c - the receipt member; see receipt.h. */
#include "receipt.h"
#include "csvr.h"
#include "csvw.h"
#include "manifest.h"
#include "value.h"
#include "../util/sb.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const columns[] = {
	"sequence", "file", "manifest_blake2b", "outcome", "at", "records", "orphans", "held",
	"reason", "objects"
};
#define NCOLS (sizeof columns / sizeof columns[0])

void receipt_header(struct sb *out)
{
	size_t i;

	for (i = 0; i < NCOLS; i++)
		csvw_cell(out, i, columns[i], strlen(columns[i]));
	csvw_end(out);
}

void receipt_row(struct sb *out, const struct receipt_line *l)
{
	char num[4][24], hex[65];
	const char *cells[NCOLS];
	size_t i;

	snprintf(num[0], sizeof num[0], "%" PRIu64, l->seq);
	snprintf(num[1], sizeof num[1], "%" PRIu64, l->records);
	snprintf(num[2], sizeof num[2], "%" PRIu64, l->orphans);
	snprintf(num[3], sizeof num[3], "%" PRIu64, l->held);
	sodium_bin2hex(hex, sizeof hex, l->manifest_hash, 32);
	cells[0] = num[0];
	cells[1] = l->file;
	cells[2] = hex;
	cells[3] = l->outcome;
	cells[4] = l->at;
	cells[5] = num[1];
	cells[6] = num[2];
	cells[7] = num[3];
	cells[8] = l->reason;
	cells[9] = l->objects;
	for (i = 0; i < NCOLS; i++)
		csvw_cell(out, i, cells[i], strlen(cells[i]));
	csvw_end(out);
}

struct rd {
	receipt_fn fn;
	void *ctx;
	struct sb *why;
	int header, stop;
};

static int number(const char *p, size_t n, uint64_t *out)
{
	if (!val_integer_ok(p, n) || p[0] == '-')
		return -1;
	*out = strtoull(p, NULL, 10);
	return 0;
}

static int on_row(void *ctx, const struct csvr_row *row)
{
	struct rd *r = ctx;
	struct receipt_line l;
	size_t i, len = 0;

	if (row->n != NCOLS || row->too_many) {
		sb_addf(r->why, "line %" PRIu64 ": not %zu columns", row->line, NCOLS);
		return r->stop = -1;
	}
	if (!r->header) {
		r->header = 1;
		for (i = 0; i < NCOLS; i++)
			if (row->len[i] != strlen(columns[i]) || memcmp(row->v[i], columns[i], row->len[i])) {
				sb_addstr(r->why, "line 1: not a receipt's header");
				return r->stop = -1;
			}
		return 0;
	}
	for (i = 0; i < NCOLS; i++)
		if (memchr(row->v[i], '\0', row->len[i]) || !val_utf8_ok(row->v[i], row->len[i])) {
			sb_addf(r->why, "line %" PRIu64 ": %s is not text", row->line, columns[i]);
			return r->stop = -1;
		}
	memset(&l, 0, sizeof l);
	if (number(row->v[0], row->len[0], &l.seq) < 0 || l.seq == 0 ||
	    number(row->v[5], row->len[5], &l.records) < 0 ||
	    number(row->v[6], row->len[6], &l.orphans) < 0 ||
	    number(row->v[7], row->len[7], &l.held) < 0 ||
	    sodium_hex2bin(l.manifest_hash, 32, row->v[2], row->len[2], NULL, &len, NULL) != 0 ||
	    len != 32 ||
	    (strcmp(row->v[3], "applied") && strcmp(row->v[3], "duplicate") &&
	     strcmp(row->v[3], "held") && strcmp(row->v[3], "refused"))) {
		sb_addf(r->why, "line %" PRIu64 ": not a receipt line", row->line);
		return r->stop = -1;
	}
	l.file = row->v[1];
	l.outcome = row->v[3];
	l.at = row->v[4];
	l.reason = row->v[8];
	l.objects = row->v[9];
	if (r->fn(r->ctx, &l) != 0)
		return r->stop = -1;
	return 0;
}

static void on_error(void *ctx, uint64_t line, const char *reason)
{
	struct rd *r = ctx;

	if (!r->why->len)
		sb_addf(r->why, "line %" PRIu64 ": %s", line, reason);
	r->stop = -1;
}

int receipt_read(const char *p, size_t n, receipt_fn fn, void *ctx, struct sb *why)
{
	struct rd r;
	struct csvr *c;
	int rc;

	memset(&r, 0, sizeof r);
	r.fn = fn;
	r.ctx = ctx;
	r.why = why;
	c = csvr_new(NCOLS + 1, on_row, on_error, &r);
	rc = csvr_feed(c, p, n);
	if (!rc)
		rc = csvr_finish(c);
	csvr_free(c);
	if (!r.stop && !r.header) {
		sb_addstr(why, "no header");
		r.stop = -1;
	}
	return rc || r.stop ? -1 : 0;
}
