/* record.c - record hash, key order; see record.h. */
#include "record.h"
#include "registry.h"
#include "../util/sb.h"

#include <string.h>
#define XXH_STATIC_LINKING_ONLY /* XXH3_state_t on the stack */
#include <xxhash.h>

void rec_encode(const struct reg_object *o, const struct rec_val *v, struct sb *out)
{
	size_t i, total = 0;
	char *p;

	for (i = 0; i < o->nfields; i++)
		total += 4 + v[i].n;
	sb_grow(out, total);
	p = out->buf + out->len;
	for (i = 0; i < o->nfields; i++) {
		size_t n = v[i].n;

		p[0] = (char)(n & 0xff);
		p[1] = (char)((n >> 8) & 0xff);
		p[2] = (char)((n >> 16) & 0xff);
		p[3] = (char)((n >> 24) & 0xff);
		if (n)
			memcpy(p + 4, v[i].p, n);
		p += 4 + n;
	}
	out->len += total;
	out->buf[out->len] = '\0';
}

int rec_decode(const struct reg_object *o, const char *data, size_t n, struct rec_val *v)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t off = 0, i;

	for (i = 0; i < o->nfields; i++) {
		size_t len;

		if (n - off < 4)
			return -1;
		len = (size_t)p[off] | (size_t)p[off + 1] << 8 | (size_t)p[off + 2] << 16 |
		      (size_t)p[off + 3] << 24;
		off += 4;
		if (len > n - off)
			return -1;
		v[i].p = data + off;
		v[i].n = len;
		off += len;
	}
	return off == n ? 0 : -1;
}

void rec_pack(const struct reg_object *o, const struct rec_val *v, struct sb *out)
{
	size_t i, total = 0;
	unsigned char *p;

	for (i = 0; i < o->nfields; i++)
		total += 5 + v[i].n;
	sb_grow(out, total);
	p = (unsigned char *)out->buf + out->len;
	for (i = 0; i < o->nfields; i++) {
		size_t n = v[i].n;

		while (n >= 0x80) {
			*p++ = (unsigned char)(n | 0x80);
			n >>= 7;
		}
		*p++ = (unsigned char)n;
		if (v[i].n)
			memcpy(p, v[i].p, v[i].n);
		p += v[i].n;
	}
	out->len = (size_t)((char *)p - out->buf);
	out->buf[out->len] = '\0';
}

int rec_unpack(const struct reg_object *o, const char *data, size_t n, struct rec_val *v)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t off = 0, i;

	for (i = 0; i < o->nfields; i++) {
		size_t len = 0;
		unsigned shift = 0;

		for (;;) {
			unsigned char c;

			if (off == n || shift > 28)
				return -1;
			c = p[off++];
			len |= (size_t)(c & 0x7f) << shift;
			if (!(c & 0x80))
				break;
			shift += 7;
		}
		if (len > n - off)
			return -1;
		v[i].p = data + off;
		v[i].n = len;
		off += len;
	}
	return off == n ? 0 : -1;
}

void rec_hash_encoded(const char *data, size_t n, unsigned char out[REC_HASH_BYTES])
{
	XXH128_canonical_t c;

	XXH128_canonicalFromHash(&c, XXH3_128bits(data, n));
	memcpy(out, c.digest, REC_HASH_BYTES);
}

void rec_key_encode(const struct reg_object *o, const struct rec_val *v, struct sb *out)
{
	size_t i;

	for (i = 0; i < o->nkeys; i++) {
		if (i)
			sb_addch(out, '\0');
		sb_add(out, v[o->key[i]].p, v[o->key[i]].n);
	}
}

int rec_key_decode(const struct reg_object *o, const char *key, size_t n, struct rec_val *v)
{
	const char *p = key, *end = key + n;
	size_t i;

	for (i = 0; i < o->nfields; i++) {
		v[i].p = "";
		v[i].n = 0;
	}
	for (i = 0; i < o->nkeys; i++) {
		const char *z = memchr(p, '\0', (size_t)(end - p));

		if (!z)
			z = end;
		if (i + 1 < o->nkeys && z == end)
			return -1;
		v[o->key[i]].p = p;
		v[o->key[i]].n = (size_t)(z - p);
		p = z + (z < end);
	}
	return p == end && (n == 0 || key[n - 1] != '\0') ? 0 : -1;
}

void rec_hash(const struct reg_object *o, const struct rec_val *v, struct sb *scratch,
	      unsigned char out[REC_HASH_BYTES])
{
	sb_reset(scratch);
	rec_encode(o, v, scratch);
	rec_hash_encoded(scratch->buf, scratch->len, out);
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
