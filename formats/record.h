/*
 * record.h - one record: its values, its key, its canonical hash.
 *
 * A record is the array of its object's field values in registry order
 * (struct rec_val v[o->nfields]); a value the source lacks is empty.
 *
 * The record hash, used by the digest at the district and by verify at the
 * state (and so defined once, here): XXH3-128 over the canonical encoding,
 * which is, for every field of the object in registry order, the value's
 * byte length as 4 bytes little-endian followed by the value's bytes.  It
 * is printed as the 32 hex digits of XXH128_canonical_t (big-endian).
 *
 * Key order: field by field in key order, each compared bytewise (memcmp,
 * then shorter first), which is SQLite's BINARY collation, so the state's
 * "ORDER BY" and the district's sort agree.
 */
#ifndef EDSYNC_RECORD_H
#define EDSYNC_RECORD_H

#include <stddef.h>
#include <stdint.h>

struct reg_object;
struct sb;

struct rec_val {
	const char *p;
	size_t n;
};

#define REC_HASH_BYTES 16

/* The canonical encoding of a record, appended to out. */
void rec_encode(const struct reg_object *o, const struct rec_val *v, struct sb *out);
/*
 * Split a canonical encoding back into o->nfields values pointing into
 * data; 0, or -1 when data is not the encoding of a record of o.
 */
int rec_decode(const struct reg_object *o, const char *data, size_t n, struct rec_val *v);
/*
 * The packed encoding, for storage: every field's length as a LEB128
 * varint (one byte below 128) then its bytes.  A third smaller than the
 * canonical encoding on typical records; never hashed.
 */
void rec_pack(const struct reg_object *o, const struct rec_val *v, struct sb *out);
int rec_unpack(const struct reg_object *o, const char *data, size_t n, struct rec_val *v);

/* XXH3-128 of a canonical encoding. */
void rec_hash_encoded(const char *data, size_t n, unsigned char out[REC_HASH_BYTES]);
/*
 * The key as one byte string: the key fields joined by NUL bytes, which no
 * valid key value holds, so that bytewise order of joined keys is the key
 * order.  Appended to out.
 */
void rec_key_encode(const struct reg_object *o, const struct rec_val *v, struct sb *out);
/* Back: v (indexed by field) gets the key fields, pointing into key, and
 * every other field empty.  -1 when key does not have o's key fields. */
int rec_key_decode(const struct reg_object *o, const char *key, size_t n, struct rec_val *v);

/* scratch: a buffer reused between calls (hot path: no allocation per row) */
void rec_hash(const struct reg_object *o, const struct rec_val *v, struct sb *scratch,
	      unsigned char out[REC_HASH_BYTES]);
/* Fingerprint of the list of fields rec_hash covers, for digest manifests. */
uint64_t rec_fields_fingerprint(const struct reg_object *o);

int rec_val_cmp(const struct rec_val *a, const struct rec_val *b);
/* Compare two records' keys (v indexed by field). */
int rec_key_cmp(const struct reg_object *o, const struct rec_val *a, const struct rec_val *b);
/* Compare keys given as arrays of o->nkeys key values only. */
int rec_keyvals_cmp(const struct reg_object *o, const struct rec_val *a, const struct rec_val *b);
/* 64-bit hash of the key, for duplicate detection. */
uint64_t rec_key_hash64(const struct reg_object *o, const struct rec_val *v);
/* "enrollmentID 123" (composite: "a 1, b 2") for messages and listings. */
void rec_key_text(const struct reg_object *o, const struct rec_val *v, struct sb *out);

void rec_hash_hex(const unsigned char h[REC_HASH_BYTES], char out[2 * REC_HASH_BYTES + 1]);
int rec_hash_parse(const char *hex, size_t n, unsigned char out[REC_HASH_BYTES]);

#endif
