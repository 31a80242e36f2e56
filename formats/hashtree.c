/* hashtree.c - key ranges, their hashes, the tree member; see hashtree.h. */
#include "hashtree.h"
#include "csvr.h"
#include "csvw.h"
#include "registry.h"
#include "value.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define XXH_STATIC_LINKING_ONLY /* XXH3_state_t inside struct ht_acc */
#include <xxhash.h>

struct ht_acc {
	XXH3_state_t st;
	uint64_t n;
};

struct ht_acc *ht_acc_new(void)
{
	struct ht_acc *a = xcalloc(1, sizeof *a);

	ht_acc_reset(a);
	return a;
}

void ht_acc_reset(struct ht_acc *a)
{
	XXH3_128bits_reset(&a->st);
	a->n = 0;
}

void ht_acc_add(struct ht_acc *a, const unsigned char hash[REC_HASH_BYTES])
{
	XXH3_128bits_update(&a->st, hash, REC_HASH_BYTES);
	a->n++;
}

uint64_t ht_acc_count(const struct ht_acc *a)
{
	return a->n;
}

void ht_acc_digest(const struct ht_acc *a, unsigned char out[REC_HASH_BYTES])
{
	XXH128_canonical_t c;

	XXH128_canonicalFromHash(&c, XXH3_128bits_digest(&a->st));
	memcpy(out, c.digest, REC_HASH_BYTES);
}

void ht_acc_free(struct ht_acc *a)
{
	free(a);
}

int ht_key_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t n = an < bn ? an : bn;
	int c = n ? memcmp(a, b, n) : 0;

	if (c)
		return c < 0 ? -1 : 1;
	return an < bn ? -1 : an > bn ? 1 : 0;
}

const char *ht_kind_name(enum ht_kind k)
{
	switch (k) {
	case HT_SUMMARY: return "summary";
	case HT_ROWS: return "rows";
	case HT_SKIP: return "skip";
	}
	return "skip";
}

void ht_header(const struct reg_object *o, struct sb *out)
{
	size_t i;

	for (i = 0; i < o->nkeys; i++)
		csvw_cell(out, i, o->fields[o->key[i]].name, strlen(o->fields[o->key[i]].name));
	csvw_cell(out, o->nkeys, "records", 7);
	csvw_cell(out, o->nkeys + 1, "xxh3_128", 8);
	csvw_cell(out, o->nkeys + 2, HT_RANGE_COLUMN, strlen(HT_RANGE_COLUMN));
	csvw_end(out);
}

void ht_row(const struct reg_object *o, const char *key, size_t klen, enum ht_kind kind,
	    uint64_t count, const unsigned char hash[REC_HASH_BYTES], struct sb *out)
{
	const char *p = key, *end = key ? key + klen : NULL;
	char num[24], hex[2 * REC_HASH_BYTES + 1];
	const char *kn = ht_kind_name(kind);
	size_t i;

	for (i = 0; i < o->nkeys; i++) {
		const char *z = p ? memchr(p, '\0', (size_t)(end - p)) : NULL;
		size_t n = !p ? 0 : z ? (size_t)(z - p) : (size_t)(end - p);

		csvw_cell(out, i, p ? p : "", n);
		if (p)
			p = z ? z + 1 : end;
	}
	if (kind == HT_SKIP) {
		csvw_cell(out, o->nkeys, "", 0);
		csvw_cell(out, o->nkeys + 1, "", 0);
	} else {
		snprintf(num, sizeof num, "%" PRIu64, count);
		rec_hash_hex(hash, hex);
		csvw_cell(out, o->nkeys, num, strlen(num));
		csvw_cell(out, o->nkeys + 1, hex, 2 * REC_HASH_BYTES);
	}
	csvw_cell(out, o->nkeys + 2, kn, strlen(kn));
	csvw_end(out);
}

void ht_list_add(struct ht_list *l, const char *key, size_t klen, enum ht_kind kind,
		 uint64_t count, const unsigned char *hash)
{
	struct ht_range *r;

	l->r = xrealloc(l->r, (l->n + 1) * sizeof *l->r);
	r = &l->r[l->n++];
	memset(r, 0, sizeof *r);
	if (key) {
		r->key = xmalloc(klen + 1);
		memcpy(r->key, key, klen);
		r->key[klen] = '\0';
		r->klen = klen;
	}
	r->kind = kind;
	r->count = count;
	if (hash)
		memcpy(r->hash, hash, REC_HASH_BYTES);
}

void ht_list_free(struct ht_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->r[i].key);
	free(l->r);
	l->r = NULL;
	l->n = 0;
}

size_t ht_list_find(const struct ht_list *l, const char *key, size_t klen)
{
	size_t lo = 0, hi = l->n;

	/* the first range starts before every key */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (ht_key_cmp(l->r[mid].key, l->r[mid].klen, key, klen) <= 0)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

struct parse {
	const struct reg_object *o;
	struct ht_list *l;
	struct sb *why;
	struct sb key;
	int have_header;
	int failed;
};

static int fail(struct parse *ps, uint64_t line, const char *reason)
{
	if (!ps->failed)
		sb_addf(ps->why, "line %" PRIu64 ": %s", line, reason);
	ps->failed = 1;
	return -1;
}

static int parse_count(const char *v, size_t n, uint64_t *out)
{
	uint64_t x = 0;
	size_t i;

	if (n < 1 || n > 18)
		return -1;
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		x = x * 10 + (uint64_t)(v[i] - '0');
	}
	*out = x;
	return 0;
}

static int on_row(void *ctx, const struct csvr_row *row)
{
	struct parse *ps = ctx;
	const struct reg_object *o = ps->o;
	size_t nk = o->nkeys, i, empty = 0;
	enum ht_kind kind;
	unsigned char hash[REC_HASH_BYTES];
	uint64_t count = 0;
	const char *kv;
	size_t kl;

	if (row->n != nk + 3 || row->too_many)
		return fail(ps, row->line, "wrong number of columns");
	if (!ps->have_header) {
		for (i = 0; i < nk; i++)
			if (row->len[i] != strlen(o->fields[o->key[i]].name) ||
			    memcmp(row->v[i], o->fields[o->key[i]].name, row->len[i]) != 0)
				return fail(ps, row->line, "header does not name the key fields");
		if (strcmp(row->v[nk], "records") || strcmp(row->v[nk + 1], "xxh3_128") ||
		    strcmp(row->v[nk + 2], HT_RANGE_COLUMN) || row->len[nk] != 7 ||
		    row->len[nk + 1] != 8 || row->len[nk + 2] != strlen(HT_RANGE_COLUMN))
			return fail(ps, row->line, "header lacks records, xxh3_128 and range");
		ps->have_header = 1;
		return 0;
	}
	kv = row->v[nk + 2];
	kl = row->len[nk + 2];
	if (kl == 7 && !memcmp(kv, "summary", 7))
		kind = HT_SUMMARY;
	else if (kl == 4 && !memcmp(kv, "rows", 4))
		kind = HT_ROWS;
	else if (kl == 4 && !memcmp(kv, "skip", 4))
		kind = HT_SKIP;
	else
		return fail(ps, row->line, "range is not summary, rows or skip");
	if (kind == HT_SKIP) {
		if (row->len[nk] || row->len[nk + 1])
			return fail(ps, row->line, "a skipped range has no records or hash");
		memset(hash, 0, sizeof hash);
	} else {
		if (parse_count(row->v[nk], row->len[nk], &count) < 0)
			return fail(ps, row->line, "records is not a count");
		if (rec_hash_parse(row->v[nk + 1], row->len[nk + 1], hash) < 0)
			return fail(ps, row->line, "hash is not 32 hex digits");
	}
	for (i = 0; i < nk; i++)
		empty += row->len[i] == 0;
	if (ps->l->n == 0) {
		if (empty != nk)
			return fail(ps, row->line, "the first range must start before every key "
				    "(empty key)");
		ht_list_add(ps->l, NULL, 0, kind, count, hash);
		return 0;
	}
	sb_reset(&ps->key);
	for (i = 0; i < nk; i++) {
		if (val_check(&o->fields[o->key[i]], row->v[i], row->len[i]) != VAL_OK)
			return fail(ps, row->line, "key value is not valid");
		if (i)
			sb_addch(&ps->key, '\0');
		sb_add(&ps->key, row->v[i], row->len[i]);
	}
	{
		const struct ht_range *prev = &ps->l->r[ps->l->n - 1];

		if (prev->key && ht_key_cmp(prev->key, prev->klen, ps->key.buf, ps->key.len) >= 0)
			return fail(ps, row->line, "ranges are not in increasing key order");
	}
	ht_list_add(ps->l, ps->key.buf, ps->key.len, kind, count, hash);
	return 0;
}

static void on_error(void *ctx, uint64_t line, const char *reason)
{
	fail(ctx, line, reason);
}

int ht_list_parse(const struct reg_object *o, const char *p, size_t n, struct ht_list *l,
		  struct sb *why)
{
	struct parse ps;
	struct csvr *r;
	int rc;

	memset(&ps, 0, sizeof ps);
	memset(l, 0, sizeof *l);
	ps.o = o;
	ps.l = l;
	ps.why = why;
	r = csvr_new(o->nkeys + 4, on_row, on_error, &ps);
	rc = csvr_feed(r, p, n);
	if (!rc && !ps.failed)
		rc = csvr_finish(r);
	csvr_free(r);
	if (!ps.failed && !ps.have_header)
		fail(&ps, 1, "no header row");
	if (!ps.failed && l->n == 0)
		fail(&ps, 2, "no range");
	sb_release(&ps.key);
	if (ps.failed || rc) {
		if (!ps.failed)
			sb_addstr(why, "unreadable");
		ht_list_free(l);
		return -1;
	}
	return 0;
}
