/* digest.c - digest members; see digest.h. */
#include "digest.h"
#include "csvr.h"
#include "csvw.h"
#include "registry.h"
#include "value.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void digest_header(const struct reg_object *o, struct sb *out)
{
	size_t i;

	for (i = 0; i < o->nkeys; i++)
		csvw_cell(out, i, o->fields[o->key[i]].name, strlen(o->fields[o->key[i]].name));
	csvw_cell(out, o->nkeys, DIGEST_HASH_COLUMN, strlen(DIGEST_HASH_COLUMN));
	csvw_end(out);
}

void digest_row(const struct reg_object *o, const struct rec_val *v,
		const unsigned char hash[REC_HASH_BYTES], struct sb *out)
{
	char hex[2 * REC_HASH_BYTES + 1];
	size_t i;

	for (i = 0; i < o->nkeys; i++)
		csvw_cell(out, i, v[o->key[i]].p, v[o->key[i]].n);
	rec_hash_hex(hash, hex);
	csvw_cell(out, o->nkeys, hex, 2 * REC_HASH_BYTES);
	csvw_end(out);
}

struct digest_reader {
	const struct reg_object *o;
	digest_row_fn fn;
	void *ctx;
	struct csvr *csv;
	int have_header;
	uint64_t rows;
	struct sb prev;		/* previous row's keys, NUL-separated */
	size_t prev_len[REG_MAX_KEYS];
	int have_prev;
	struct sb why;
};

static int fail(struct digest_reader *r, uint64_t line, const char *reason)
{
	if (!r->why.len)
		sb_addf(&r->why, "line %llu: %s", (unsigned long long)line, reason);
	return -1;
}

static int on_row(void *ctx, const struct csvr_row *row)
{
	struct digest_reader *r = ctx;
	const struct reg_object *o = r->o;
	struct rec_val keys[REG_MAX_KEYS], prev[REG_MAX_KEYS];
	unsigned char hash[REC_HASH_BYTES];
	int dup = 0, c;
	size_t i;

	if (row->n != o->nkeys + 1 || row->too_many)
		return fail(r, row->line, "wrong number of columns");
	if (!r->have_header) {
		r->have_header = 1;
		for (i = 0; i < o->nkeys; i++)
			if (row->len[i] != strlen(o->fields[o->key[i]].name) ||
			    memcmp(row->v[i], o->fields[o->key[i]].name, row->len[i]) != 0)
				return fail(r, row->line, "header does not name the key fields");
		if (row->len[o->nkeys] != strlen(DIGEST_HASH_COLUMN) ||
		    memcmp(row->v[o->nkeys], DIGEST_HASH_COLUMN, row->len[o->nkeys]) != 0)
			return fail(r, row->line, "header lacks the hash column");
		return 0;
	}
	for (i = 0; i < o->nkeys; i++) {
		if (val_check(&o->fields[o->key[i]], row->v[i], row->len[i]) != VAL_OK)
			return fail(r, row->line, "key value is not valid");
		keys[i].p = row->v[i];
		keys[i].n = row->len[i];
	}
	if (rec_hash_parse(row->v[o->nkeys], row->len[o->nkeys], hash) < 0)
		return fail(r, row->line, "hash is not 32 hex digits");
	if (r->have_prev) {
		size_t off = 0;

		for (i = 0; i < o->nkeys; i++) {
			prev[i].p = r->prev.buf + off;
			prev[i].n = r->prev_len[i];
			off += r->prev_len[i] + 1;
		}
		c = rec_keyvals_cmp(o, prev, keys);
		if (c > 0)
			return fail(r, row->line, "rows are not sorted by key");
		dup = c == 0;
	}
	sb_reset(&r->prev);
	for (i = 0; i < o->nkeys; i++) {
		sb_add(&r->prev, keys[i].p, keys[i].n);
		sb_addch(&r->prev, '\0');
		r->prev_len[i] = keys[i].n;
	}
	r->have_prev = 1;
	r->rows++;
	return r->fn(r->ctx, keys, hash, dup);
}

static void on_error(void *ctx, uint64_t line, const char *reason)
{
	struct digest_reader *r = ctx;

	fail(r, line, reason);
}

struct digest_reader *digest_reader_new(const struct reg_object *o, digest_row_fn fn,
					void *ctx)
{
	struct digest_reader *r = xcalloc(1, sizeof *r);

	r->o = o;
	r->fn = fn;
	r->ctx = ctx;
	r->csv = csvr_new(o->nkeys + 2, on_row, on_error, r);
	return r;
}

int digest_reader_feed(struct digest_reader *r, const void *p, size_t n)
{
	int rc = csvr_feed(r->csv, p, n);

	return rc ? rc : r->why.len ? -1 : 0;
}

int digest_reader_finish(struct digest_reader *r)
{
	int rc = csvr_finish(r->csv);

	if (!rc && !r->why.len && !r->have_header)
		fail(r, 1, "no header row");
	return rc ? rc : r->why.len ? -1 : 0;
}

const char *digest_reader_error(const struct digest_reader *r)
{
	return r->why.len ? r->why.buf : NULL;
}

uint64_t digest_reader_rows(const struct digest_reader *r)
{
	return r->rows;
}

void digest_reader_free(struct digest_reader *r)
{
	if (!r)
		return;
	csvr_free(r->csv);
	sb_release(&r->prev);
	sb_release(&r->why);
	free(r);
}
