/*
 * fuzz_objcsv.c - one object's CSV reader (formats/objcsv.h), with
 * OBJCSV_UNIQUE, for PersonIdentity (one key) and Enrollment.
 *
 * Input: byte 0 picks the object (bit 0) and adds OBJCSV_KEYS (bit 1), or
 * with bit 2 reads a change file (OBJCSV_OPS alone); then the chunking
 * prefix of fuzzutil.h; then the CSV bytes.
 *
 * With OBJCSV_OPS: a delete delivers valid key values (its other values
 * unchecked), an upsert valid values; keys may repeat; a reject's field is
 * a field of the object or _op.
 *
 * Invariants:
 *   - a delivered record passes val_check() for every field of the object;
 *     fields without a column (and, with OBJCSV_KEYS, every non-key field)
 *     are empty; no two delivered records have the same key;
 *   - a reject has a reason; a header reject is on line 1, comes once and
 *     first, and then no record is delivered; a last reject with key_ok has
 *     valid key values; the values and raw row of a last reject are readable;
 *   - lines of records and row rejects never decrease;
 *   - objcsv_good() is the number of records delivered; objcsv_bad() the
 *     number of last row rejects (with a bad header, at least that many:
 *     the rows after it are counted without a report each).
 */
#include "../../formats/objcsv.h"
#include "../../formats/csvr.h"
#include "../../formats/registry.h"
#include "../../formats/value.h"
#include "../../util/sb.h"
#include "fuzzutil.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A set of exact keys: open addressing over offsets into one buffer. */
struct keys {
	struct sb buf;		/* each key: its encoding, preceded by its length */
	size_t *slot;		/* offset + 1; 0: empty */
	size_t cap, n;
};

static uint64_t fnv(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
	return h;
}

static void keys_put(struct keys *k, size_t off);

static void keys_grow(struct keys *k)
{
	size_t *old = k->slot, ocap = k->cap, i;

	k->cap = ocap ? ocap * 2 : 256;
	k->slot = calloc(k->cap, sizeof *k->slot);
	if (!k->slot)
		abort();
	for (i = 0; i < ocap; i++)
		if (old[i])
			keys_put(k, old[i] - 1);
	free(old);
}

static const char *key_at(const struct keys *k, size_t off, size_t *n)
{
	memcpy(n, k->buf.buf + off, sizeof *n);
	return k->buf.buf + off + sizeof *n;
}

static void keys_put(struct keys *k, size_t off)
{
	size_t n, i;
	const char *p = key_at(k, off, &n);

	i = (size_t)fnv(p, n) & (k->cap - 1);
	while (k->slot[i])
		i = (i + 1) & (k->cap - 1);
	k->slot[i] = off + 1;
}

/* Add the key in scratch; 1 if it was already there. */
static int keys_add(struct keys *k, const struct sb *key)
{
	size_t i, off, n;

	if ((k->n + 1) * 2 > k->cap)
		keys_grow(k);
	i = (size_t)fnv(key->buf, key->len) & (k->cap - 1);
	while (k->slot[i]) {
		const char *p = key_at(k, k->slot[i] - 1, &n);

		if (n == key->len && memcmp(p, key->buf, n) == 0)
			return 1;
		i = (i + 1) & (k->cap - 1);
	}
	off = k->buf.len;
	sb_add(&k->buf, &key->len, sizeof key->len);
	sb_add(&k->buf, key->buf, key->len);
	k->slot[i] = off + 1;
	k->n++;
	return 0;
}

struct ctx {
	const struct reg_object *o;
	unsigned flags;
	struct objcsv *r;
	uint64_t recs, last_rejects, header_rejects, last_line;
	int in_row;		/* a row's non-last rejects were seen */
	struct keys keys;
	struct sb scratch;
	volatile unsigned sink;
};

static void touch(struct ctx *c, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		c->sink += (unsigned char)p[i];
}

static int on_rec(void *vctx, const struct rec_val *v, uint64_t line)
{
	struct ctx *c = vctx;
	const struct reg_object *o = c->o;
	size_t i;

	FUZZ_TRAP(c->header_rejects == 0);
	FUZZ_TRAP(!c->in_row);
	FUZZ_TRAP(line >= 1 && line >= c->last_line);
	c->last_line = line;
	for (i = 0; i < o->nfields; i++) {
		FUZZ_TRAP(v[i].p != NULL);
		if ((c->flags & OBJCSV_OPS) && objcsv_op(c->r) == OBJCSV_DELETE &&
		    !(o->fields[i].flags & REG_KEY)) {
			touch(c, v[i].p, v[i].n);
			continue;
		}
		FUZZ_TRAP(val_check(&o->fields[i], v[i].p, v[i].n) == VAL_OK);
		if (!objcsv_has_field(c->r, i))
			FUZZ_TRAP(v[i].n == 0);
		if ((c->flags & OBJCSV_KEYS) && !(o->fields[i].flags & REG_KEY))
			FUZZ_TRAP(v[i].n == 0);
	}
	sb_reset(&c->scratch);
	for (i = 0; i < o->nkeys; i++) {
		const struct rec_val *k = &v[o->key[i]];

		sb_add(&c->scratch, &k->n, sizeof k->n);
		sb_add(&c->scratch, k->p, k->n);
	}
	if (!(c->flags & OBJCSV_OPS))
		FUZZ_TRAP(!keys_add(&c->keys, &c->scratch));
	c->recs++;
	return 0;
}

static void on_rej(void *vctx, const struct objcsv_reject *rj)
{
	struct ctx *c = vctx;
	const struct reg_object *o = c->o;
	size_t i;

	FUZZ_TRAP(rj->reason && *rj->reason);
	FUZZ_TRAP(!rj->field || reg_field_index(o, rj->field, strlen(rj->field)) >= 0 ||
		  ((c->flags & OBJCSV_OPS) && !strcmp(rj->field, "_op")));
	if (rj->header) {
		FUZZ_TRAP(rj->line == 1 && rj->last);
		FUZZ_TRAP(c->header_rejects == 0 && c->recs == 0 && c->last_rejects == 0);
		FUZZ_TRAP(!c->in_row);
		c->header_rejects++;
		return;
	}
	FUZZ_TRAP(rj->line >= 1 && rj->line >= c->last_line);
	c->last_line = rj->line;
	if (!rj->last) {
		FUZZ_TRAP(rj->field != NULL);
		c->in_row = 1;
		return;
	}
	c->in_row = 0;
	c->last_rejects++;
	FUZZ_TRAP(rj->v != NULL);
	/* "its values as far as they go": readable, whatever the problem */
	for (i = 0; i < o->nfields; i++)
		if (rj->v[i].n)
			touch(c, rj->v[i].p, rj->v[i].n);
	if (rj->key_ok)
		for (i = 0; i < o->nkeys; i++) {
			const struct rec_val *k = &rj->v[o->key[i]];

			FUZZ_TRAP(k->p && val_check(&o->fields[o->key[i]], k->p, k->n) == VAL_OK);
		}
	if (rj->raw)
		for (i = 0; i < rj->raw->n; i++) {
			FUZZ_TRAP(rj->raw->v[i][rj->raw->len[i]] == '\0');
			touch(c, rj->raw->v[i], rj->raw->len[i]);
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctx c;
	struct fuzz_chunks chunks;
	int rc = 0, first = 1;

	if (size < 1)
		return 0;
	memset(&c, 0, sizeof c);
	c.o = reg_find(data[0] & 1 ? "Enrollment" : "PersonIdentity");
	c.flags = data[0] & 4 ? OBJCSV_OPS : OBJCSV_UNIQUE | (data[0] & 2 ? OBJCSV_KEYS : 0);
	FUZZ_TRAP(c.o != NULL);
	data++, size--;
	fuzz_chunks_init(&chunks, &data, &size);

	c.r = objcsv_new(c.o, c.flags, on_rec, on_rej, &c);
	while (size && !rc) {
		size_t k = fuzz_chunk_next(&chunks, size);

		if (first && k < 3)	/* a BOM is never split (csvr.h) */
			k = size < 3 ? size : 3;
		first = 0;
		rc = objcsv_feed(c.r, data, k);
		data += k;
		size -= k;
	}
	FUZZ_TRAP(rc == 0);
	FUZZ_TRAP(objcsv_finish(c.r) == 0);
	FUZZ_TRAP(!c.in_row);

	FUZZ_TRAP(objcsv_good(c.r) == c.recs);
	FUZZ_TRAP(c.header_rejects <= 1);
	FUZZ_TRAP(objcsv_header_ok(c.r) == (c.header_rejects == 0));
	if (c.header_rejects) {
		FUZZ_TRAP(c.recs == 0);
		FUZZ_TRAP(objcsv_bad(c.r) >= c.last_rejects);
	} else {
		FUZZ_TRAP(objcsv_bad(c.r) == c.last_rejects);
	}
	objcsv_free(c.r);
	sb_release(&c.scratch);
	sb_release(&c.keys.buf);
	free(c.keys.slot);
	return 0;
}
