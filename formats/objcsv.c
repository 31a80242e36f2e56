/* objcsv.c - reading one object's CSV; see objcsv.h. */
#include "objcsv.h"
#include "csvr.h"
#include "registry.h"
#include "value.h"
#include "../util/keyset.h"
#include "../util/msg.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct objcsv {
	const struct reg_object *o;
	unsigned flags;
	objcsv_rec_fn rec_fn;
	objcsv_rej_fn rej_fn;
	void *ctx;
	struct csvr *csv;
	/* Duplicate keys: while keys arrive in increasing order (extracts are
	 * usually sorted by ID) a duplicate can only repeat the previous key,
	 * and the hashes are only appended to an array; the first key out of
	 * order moves them into a hash set, which random access makes slower. */
	struct keyset *keys;
	int sorted;
	struct sb prevkey, curkey;
	uint64_t prevline;
	uint64_t *seen_h, *seen_line;
	size_t nseen, capseen;

	int have_header;
	int header_bad;
	size_t ncols;
	int *col_field;			/* column -> field index */
	char **col_names;
	unsigned char present[REG_MAX_FIELDS];
	struct rec_val v[REG_MAX_FIELDS];
	struct sb why;
	uint64_t good, bad;
	enum objcsv_op op;		/* the current row's, with OBJCSV_OPS */
};

#define OP_COLUMN (-1)

static void reject(struct objcsv *r, uint64_t line, const char *field, const char *reason)
{
	struct objcsv_reject rj;

	memset(&rj, 0, sizeof rj);
	rj.line = line;
	rj.field = field;
	rj.reason = reason;
	r->rej_fn(r->ctx, &rj);
}

static void reject_last(struct objcsv *r, uint64_t line, const char *field,
			const char *reason, int key_ok, const struct csvr_row *raw)
{
	struct objcsv_reject rj;

	memset(&rj, 0, sizeof rj);
	rj.line = line;
	rj.field = field;
	rj.reason = reason;
	rj.last = 1;
	rj.key_ok = key_ok;
	rj.v = r->v;
	rj.raw = raw;
	r->rej_fn(r->ctx, &rj);
	r->bad++;
}

static void header_fail(struct objcsv *r, const char *field, const char *reason)
{
	struct objcsv_reject rj;

	memset(&rj, 0, sizeof rj);
	rj.line = 1;
	rj.field = field;
	rj.reason = reason;
	rj.last = 1;
	rj.header = 1;
	r->rej_fn(r->ctx, &rj);
	r->header_bad = 1;
}

static int take_header(struct objcsv *r, const struct csvr_row *row)
{
	const struct reg_object *o = r->o;
	size_t i;

	r->have_header = 1;
	r->ncols = row->n;
	r->col_field = xcalloc(row->n ? row->n : 1, sizeof *r->col_field);
	r->col_names = xcalloc(row->n ? row->n : 1, sizeof *r->col_names);
	for (i = 0; i < row->n; i++)
		r->col_names[i] = xstrndup(row->v[i], row->len[i]);
	if (row->too_many) {
		header_fail(r, NULL, "the header has more columns than the object has fields");
		return 0;
	}
	if ((r->flags & OBJCSV_OPS) && (row->n == 0 || row->len[0] != 3 ||
					memcmp(row->v[0], "_op", 3))) {
		header_fail(r, "_op", "the first column of a change file must be _op");
		return 0;
	}
	for (i = 0; i < row->n; i++) {
		int f;
		char q[MSG_QUOTE_MAX];

		if (i == 0 && (r->flags & OBJCSV_OPS)) {
			r->col_field[0] = OP_COLUMN;
			continue;
		}
		f = reg_field_index(o, row->v[i], row->len[i]);
		if (f < 0 || ((r->flags & OBJCSV_KEYS) && !(o->fields[f].flags & REG_KEY))) {
			sb_reset(&r->why);
			sb_addf(&r->why, "column %s is not a %sfield of %s",
				msg_quote(q, row->v[i], row->len[i]),
				(r->flags & OBJCSV_KEYS) ? "key " : "", o->name);
			header_fail(r, NULL, r->why.buf);
			return 0;
		}
		if (r->present[f]) {
			header_fail(r, o->fields[f].name, "column appears twice in the header");
			return 0;
		}
		r->present[f] = 1;
		r->col_field[i] = f;
	}
	for (i = 0; i < o->nkeys; i++)
		if (!r->present[o->key[i]]) {
			header_fail(r, o->fields[o->key[i]].name, "key column is missing");
			return 0;
		}
	return 0;
}

/* The line a row's key (in r->v) was first seen on, or 0 if it is new. */
static uint64_t seen_before(struct objcsv *r, uint64_t line)
{
	uint64_t h = rec_key_hash64(r->o, r->v);
	size_t i;

	if (r->sorted) {
		struct sb t;
		size_t n;
		int c;

		sb_reset(&r->curkey);
		rec_key_encode(r->o, r->v, &r->curkey);
		n = r->curkey.len < r->prevkey.len ? r->curkey.len : r->prevkey.len;
		c = n ? memcmp(r->curkey.buf, r->prevkey.buf, n) : 0;
		if (!c)
			c = r->curkey.len < r->prevkey.len ? -1 : r->curkey.len > r->prevkey.len;
		if (r->nseen && c == 0)
			return r->prevline;
		if (!r->nseen || c > 0) {
			if (r->nseen == r->capseen) {
				r->capseen = r->capseen ? 2 * r->capseen : 1024;
				r->seen_h = xrealloc(r->seen_h, r->capseen * sizeof *r->seen_h);
				r->seen_line = xrealloc(r->seen_line,
							r->capseen * sizeof *r->seen_line);
			}
			r->seen_h[r->nseen] = h;
			r->seen_line[r->nseen++] = line;
			t = r->prevkey;
			r->prevkey = r->curkey;
			r->curkey = t;
			r->prevline = line;
			return 0;
		}
		/* out of order: from now on, the hash set */
		r->sorted = 0;
		r->keys = keyset_new();
		for (i = 0; i < r->nseen; i++)
			keyset_add(r->keys, r->seen_h[i], r->seen_line[i]);
		free(r->seen_h);
		free(r->seen_line);
		r->seen_h = r->seen_line = NULL;
	}
	return keyset_add(r->keys, h, line);
}

static int on_row(void *ctx, const struct csvr_row *row)
{
	struct objcsv *r = ctx;
	const struct reg_object *o = r->o;
	int problems = 0, key_ok = 1;
	const char *last_field = NULL;
	size_t i;

	if (!r->have_header)
		return take_header(r, row);
	if (r->header_bad) {
		r->bad++;
		return 0;
	}
	for (i = 0; i < o->nfields; i++) {
		r->v[i].p = "";
		r->v[i].n = 0;
	}
	if (row->n != r->ncols || row->too_many) {
		sb_reset(&r->why);
		sb_addf(&r->why, "row has %s%zu fields, the header has %zu",
			row->too_many ? "more than " : "", row->n, r->ncols);
		for (i = 0; i < row->n && i < r->ncols; i++) {
			if (r->col_field[i] == OP_COLUMN)
				continue;
			r->v[r->col_field[i]].p = row->v[i];
			r->v[r->col_field[i]].n = row->len[i];
		}
		for (i = 0; i < o->nkeys; i++)
			if (val_check(&o->fields[o->key[i]], r->v[o->key[i]].p,
				      r->v[o->key[i]].n) != VAL_OK)
				key_ok = 0;
		reject_last(r, row->line, NULL, r->why.buf, key_ok, row);
		return 0;
	}
	r->op = OBJCSV_UPSERT;
	for (i = 0; i < row->n; i++) {
		if (r->col_field[i] == OP_COLUMN) {
			if (row->len[0] == 6 && !memcmp(row->v[0], "delete", 6)) {
				r->op = OBJCSV_DELETE;
			} else if (row->len[0] != 6 || memcmp(row->v[0], "upsert", 6)) {
				problems++;
				last_field = "_op";
				sb_reset(&r->why);
				sb_addstr(&r->why, "must be upsert or delete");
			}
			continue;
		}
		r->v[r->col_field[i]].p = row->v[i];
		r->v[r->col_field[i]].n = row->len[i];
	}
	/* Every problem of the row is reported, one per field; the last
	 * report waits until we know there is no other. */
	for (i = 0; i < row->n; i++) {
		const struct reg_field *f;
		enum val_result vr;

		if (r->col_field[i] == OP_COLUMN)
			continue;
		f = &o->fields[r->col_field[i]];
		/* a delete names a record: only its key counts */
		if (r->op == OBJCSV_DELETE && !(f->flags & REG_KEY))
			continue;
		vr = val_check(f, row->v[i], row->len[i]);
		if (vr == VAL_OK)
			continue;
		if (f->flags & REG_KEY)
			key_ok = 0;
		if (problems++)
			reject(r, row->line, last_field, r->why.buf);
		sb_reset(&r->why);
		val_describe(&r->why, f, vr, row->v[i], row->len[i]);
		last_field = f->name;
	}
	if (!problems && (r->flags & OBJCSV_UNIQUE)) {
		uint64_t first = seen_before(r, row->line);

		if (first) {
			sb_reset(&r->why);
			sb_addf(&r->why, "duplicate key (");
			rec_key_text(o, r->v, &r->why);
			sb_addf(&r->why, "), first on line %llu", (unsigned long long)first);
			problems++;
			last_field = o->fields[o->key[0]].name;
		}
	}
	if (problems) {
		reject_last(r, row->line, last_field, r->why.buf, key_ok, row);
		return 0;
	}
	r->good++;
	return r->rec_fn(r->ctx, r->v, row->line);
}

static void on_csv_error(void *ctx, uint64_t line, const char *reason)
{
	struct objcsv *r = ctx;
	size_t i;

	if (!r->have_header) {
		r->have_header = 1;
		header_fail(r, NULL, reason);
		return;
	}
	if (r->header_bad) {
		/* the file was reported once, on its header */
		r->bad++;
		return;
	}
	/* An unreadable row has no values: not those of the row before, whose
	 * bytes the CSV reader has since reused. */
	for (i = 0; i < r->o->nfields; i++) {
		r->v[i].p = "";
		r->v[i].n = 0;
	}
	reject_last(r, line, NULL, reason, 0, NULL);
}

struct objcsv *objcsv_new(const struct reg_object *o, unsigned flags, objcsv_rec_fn rec,
			  objcsv_rej_fn rej, void *ctx)
{
	struct objcsv *r = xcalloc(1, sizeof *r);

	r->o = o;
	r->flags = flags;
	r->rec_fn = rec;
	r->rej_fn = rej;
	r->ctx = ctx;
	/* a few columns more than fields, so "too many" can be seen */
	r->csv = csvr_new(o->nfields + 8, on_row, on_csv_error, r);
	r->sorted = 1;
	return r;
}

int objcsv_feed(struct objcsv *r, const void *p, size_t n)
{
	return csvr_feed(r->csv, p, n);
}

int objcsv_finish(struct objcsv *r)
{
	int rc = csvr_finish(r->csv);

	if (!r->have_header && !rc) {
		r->have_header = 1;
		header_fail(r, NULL, "the file is empty: no header row");
	}
	return rc;
}

int objcsv_feed_fd(struct objcsv *r, int fd)
{
	return csvr_feed_fd(r->csv, fd);
}

void objcsv_free(struct objcsv *r)
{
	size_t i;

	if (!r)
		return;
	csvr_free(r->csv);
	keyset_free(r->keys);
	free(r->seen_h);
	free(r->seen_line);
	sb_release(&r->prevkey);
	sb_release(&r->curkey);
	for (i = 0; i < r->ncols; i++)
		free(r->col_names[i]);
	free(r->col_names);
	free(r->col_field);
	sb_release(&r->why);
	free(r);
}

enum objcsv_op objcsv_op(const struct objcsv *r)
{
	return r->op;
}

int objcsv_has_field(const struct objcsv *r, size_t i)
{
	return i < REG_MAX_FIELDS && r->present[i];
}

int objcsv_header_ok(const struct objcsv *r)
{
	return r->have_header && !r->header_bad;
}

size_t objcsv_columns(const struct objcsv *r, const char *const **names)
{
	*names = (const char *const *)r->col_names;
	return r->ncols;
}

uint64_t objcsv_good(const struct objcsv *r)
{
	return r->good;
}

uint64_t objcsv_bad(const struct objcsv *r)
{
	return r->bad;
}
