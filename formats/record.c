/* record.c - record hash, key order; see record.h. */
#include "record.h"
#include "registry.h"
#include "../util/sb.h"

#include <string.h>
#define XXH_STATIC_LINKING_ONLY /* XXH3_state_t on the stack */
#include <xxhash.h>

void rec_hash(const struct reg_object *o, const struct rec_val *v, struct sb *scratch,
	      unsigned char out[REC_HASH_BYTES])
{
	XXH128_hash_t h;
	XXH128_canonical_t c;
	size_t i;

	sb_reset(scratch);
	for (i = 0; i < o->nfields; i++) {
		unsigned char len[4];
		size_t n = v[i].n;

		len[0] = (unsigned char)n;
		len[1] = (unsigned char)(n >> 8);
		len[2] = (unsigned char)(n >> 16);
		len[3] = (unsigned char)(n >> 24);
		sb_add(scratch, len, 4);
		sb_add(scratch, v[i].p, n);
	}
	h = XXH3_128bits(scratch->buf, scratch->len);
	XXH128_canonicalFromHash(&c, h);
	memcpy(out, c.digest, REC_HASH_BYTES);
}

uint64_t rec_fields_fingerprint(const struct reg_object *o)
{
	struct sb s = SB_INIT;
	uint64_t fp;
	size_t i;

	for (i = 0; i < o->nfields; i++) {
		sb_addstr(&s, o->fields[i].name);
		sb_addch(&s, ';');
	}
	fp = XXH3_64bits(s.buf, s.len);
	sb_release(&s);
	return fp;
}

int rec_val_cmp(const struct rec_val *a, const struct rec_val *b)
{
	size_t n = a->n < b->n ? a->n : b->n;
	int c = n ? memcmp(a->p, b->p, n) : 0;

	if (c)
		return c < 0 ? -1 : 1;
	return a->n < b->n ? -1 : a->n > b->n ? 1 : 0;
}

int rec_key_cmp(const struct reg_object *o, const struct rec_val *a, const struct rec_val *b)
{
	size_t i;

	for (i = 0; i < o->nkeys; i++) {
		int c = rec_val_cmp(&a[o->key[i]], &b[o->key[i]]);

		if (c)
			return c;
	}
	return 0;
}

int rec_keyvals_cmp(const struct reg_object *o, const struct rec_val *a, const struct rec_val *b)
{
	size_t i;

	for (i = 0; i < o->nkeys; i++) {
		int c = rec_val_cmp(&a[i], &b[i]);

		if (c)
			return c;
	}
	return 0;
}

uint64_t rec_key_hash64(const struct reg_object *o, const struct rec_val *v)
{
	XXH3_state_t st;
	size_t i;

	/* A one-key record (nearly all) needs no streaming state. */
	if (o->nkeys == 1)
		return XXH3_64bits(v[o->key[0]].p, v[o->key[0]].n);
	XXH3_64bits_reset(&st);
	for (i = 0; i < o->nkeys; i++) {
		const struct rec_val *k = &v[o->key[i]];

		XXH3_64bits_update(&st, k->p, k->n);
		XXH3_64bits_update(&st, "", 1);
	}
	return XXH3_64bits_digest(&st);
}

void rec_key_text(const struct reg_object *o, const struct rec_val *v, struct sb *out)
{
	size_t i;

	for (i = 0; i < o->nkeys; i++) {
		const struct rec_val *k = &v[o->key[i]];

		sb_addf(out, "%s%s ", i ? ", " : "", o->fields[o->key[i]].name);
		sb_add(out, k->p, k->n);
	}
}

void rec_hash_hex(const unsigned char h[REC_HASH_BYTES], char out[2 * REC_HASH_BYTES + 1])
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < REC_HASH_BYTES; i++) {
		out[2 * i] = hex[h[i] >> 4];
		out[2 * i + 1] = hex[h[i] & 15];
	}
	out[2 * REC_HASH_BYTES] = '\0';
}

int rec_hash_parse(const char *hex, size_t n, unsigned char out[REC_HASH_BYTES])
{
	size_t i;

	if (n != 2 * REC_HASH_BYTES)
		return -1;
	for (i = 0; i < n; i++) {
		char c = hex[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;

		if (d < 0)
			return -1;
		if (i % 2 == 0)
			out[i / 2] = (unsigned char)(d << 4);
		else
			out[i / 2] |= (unsigned char)d;
	}
	return 0;
}
