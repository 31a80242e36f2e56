/*
 * fuzz_digest.c - the digest member reader (formats/digest.h) for
 * PersonIdentity.
 *
 * Input: the chunking prefix of fuzzutil.h, then the digest CSV.
 *
 * Invariants: every delivered row has valid key values (val_check) and
 * follows the previous one in key order, flagged duplicate exactly when its
 * key equals the previous key; digest_reader_rows() counts the rows
 * delivered; a reader that stopped on bad input says why, and one that did
 * not has no error.
 */
#include "../../formats/digest.h"
#include "../../formats/registry.h"
#include "../../formats/value.h"
#include "../../util/sb.h"
#include "fuzzutil.h"

#include <stdint.h>
#include <string.h>

struct ctx {
	const struct reg_object *o;
	uint64_t rows;
	struct sb prev;
	int have_prev;
};

static int on_row(void *vctx, const struct rec_val *keys, const unsigned char hash[REC_HASH_BYTES],
		  int duplicate)
{
	struct ctx *c = vctx;
	const struct reg_object *o = c->o;
	const struct rec_val *k = &keys[0];
	volatile unsigned char sink = 0;
	size_t i;

	FUZZ_TRAP(o->nkeys == 1);
	FUZZ_TRAP(val_check(&o->fields[o->key[0]], k->p, k->n) == VAL_OK);
	for (i = 0; i < REC_HASH_BYTES; i++)
		sink ^= hash[i];
	(void)sink;
	if (c->have_prev) {
		struct rec_val p = { c->prev.buf, c->prev.len };
		int cmp = rec_val_cmp(&p, k);

		FUZZ_TRAP(cmp <= 0);
		FUZZ_TRAP(duplicate == (cmp == 0));
	} else {
		FUZZ_TRAP(!duplicate);
	}
	sb_reset(&c->prev);
	sb_add(&c->prev, k->p, k->n);
	c->have_prev = 1;
	c->rows++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctx c;
	struct fuzz_chunks chunks;
	struct digest_reader *r;
	int rc = 0, first = 1;

	memset(&c, 0, sizeof c);
	c.o = reg_find("PersonIdentity");
	FUZZ_TRAP(c.o != NULL);
	fuzz_chunks_init(&chunks, &data, &size);
	r = digest_reader_new(c.o, on_row, &c);
	while (size && !rc) {
		size_t k = fuzz_chunk_next(&chunks, size);

		if (first && k < 3)	/* a BOM is never split (csvr.h) */
			k = size < 3 ? size : 3;
		first = 0;
		rc = digest_reader_feed(r, data, k);
		data += k;
		size -= k;
	}
	if (!rc)
		rc = digest_reader_finish(r);
	/* the callback never stops the reader: a stop is an input error */
	FUZZ_TRAP((rc != 0) == (digest_reader_error(r) != NULL));
	FUZZ_TRAP(digest_reader_rows(r) == c.rows);
	digest_reader_free(r);
	sb_release(&c.prev);
	return 0;
}
