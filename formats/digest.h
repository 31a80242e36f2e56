/*
 * digest.h - the digest member: one line per record of an object, its key
 * fields and its record hash (record.h), sorted by key.
 *
 *   personID,xxh3_128
 *   1000001,9f0c...32 hex digits
 *
 * The district writes it (digest_header, digest_row); the state reads it
 * with digest_reader, which checks the header, every key value, every hash
 * and the order (each key >= the one before; equal keys are duplicates,
 * delivered and flagged).  Any problem stops the reader with the reason.
 */
#ifndef EDSYNC_DIGEST_H
#define EDSYNC_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

struct reg_object;
struct sb;

#define DIGEST_HASH_COLUMN "xxh3_128"

void digest_header(const struct reg_object *o, struct sb *out);
/* v: the record's values by field; only its key fields are written */
void digest_row(const struct reg_object *o, const struct rec_val *v,
		const unsigned char hash[REC_HASH_BYTES], struct sb *out);

/* keys: o->nkeys key values in key order */
typedef int (*digest_row_fn)(void *ctx, const struct rec_val *keys,
			     const unsigned char hash[REC_HASH_BYTES], int duplicate);

struct digest_reader;

struct digest_reader *digest_reader_new(const struct reg_object *o, digest_row_fn fn,
					void *ctx);
/* 0 go on; nonzero: stopped (by the callback, or an error: see why) */
int digest_reader_feed(struct digest_reader *r, const void *p, size_t n);
int digest_reader_finish(struct digest_reader *r);
/* The reason the reader stopped on bad input, or NULL. */
const char *digest_reader_error(const struct digest_reader *r);
uint64_t digest_reader_rows(const struct digest_reader *r);
void digest_reader_free(struct digest_reader *r);

#endif
