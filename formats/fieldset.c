/* fieldset.c - the fields a verification compares; see fieldset.h. */
#include "fieldset.h"
#include "registry.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

static uint64_t all_bits(const struct reg_object *o)
{
	return o->nfields >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << o->nfields) - 1;
}

void fs_all(struct fieldset *fs)
{
	size_t i;

	fs->spec = xstrdup("");
	fs->mask = xcalloc(reg_count(), sizeof *fs->mask);
	for (i = 0; i < reg_count(); i++)
		fs->mask[i] = all_bits(reg_at(i));
}

static int item_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Mark one item in every object it names; 0, or -1 when it names nothing. */
static int mark(struct fieldset *fs, const char *item, struct sb *why)
{
	const char *dot = strchr(item, '.');
	size_t i;
	int hit = 0;

	if (dot) {
		const struct reg_object *o = reg_find_n(item, (size_t)(dot - item));
		int f = o ? reg_field_index(o, dot + 1, strlen(dot + 1)) : -1;

		if (!o) {
			sb_addf(why, "--fields: '%.*s' is not an object", (int)(dot - item), item);
			return -1;
		}
		if (f < 0) {
			sb_addf(why, "--fields: %s has no field '%s'", o->name, dot + 1);
			return -1;
		}
		fs->mask[o->index] |= (uint64_t)1 << f;
		return 0;
	}
	for (i = 0; i < reg_count(); i++) {
		const struct reg_object *o = reg_at(i);
		int f = reg_field_index(o, item, strlen(item));

		if (f >= 0) {
			fs->mask[i] |= (uint64_t)1 << f;
			hit = 1;
		}
	}
	if (!hit) {
		sb_addf(why, "--fields: no object has a field '%s'", item);
		return -1;
	}
	return 0;
}

int fs_parse(struct fieldset *fs, const char *list, struct sb *why)
{
	char *copy = xstrdup(list), *p, *save = NULL;
	char **items = NULL;
	size_t n = 0, i, k;
	struct sb spec = SB_INIT;
	int rc = 0;

	memset(fs, 0, sizeof *fs);
	if (!*list) {
		free(copy);
		fs_all(fs);
		return 0;
	}
	fs->mask = xcalloc(reg_count(), sizeof *fs->mask);
	for (p = strtok_r(copy, ",;", &save); p; p = strtok_r(NULL, ",;", &save)) {
		items = xrealloc(items, (n + 1) * sizeof *items);
		items[n++] = p;
	}
	if (!n) {
		sb_addstr(why, "--fields: no field named");
		rc = -1;
	}
	for (i = 0; rc == 0 && i < n; i++)
		rc = mark(fs, items[i], why);
	if (rc == 0) {
		/* key fields are always compared: they are what matches records */
		for (i = 0; i < reg_count(); i++) {
			const struct reg_object *o = reg_at(i);

			for (k = 0; k < o->nkeys; k++)
				fs->mask[i] |= (uint64_t)1 << o->key[k];
		}
		qsort(items, n, sizeof *items, item_cmp);
		for (i = 0; i < n; i++) {
			if (i && !strcmp(items[i], items[i - 1]))
				continue;
			if (spec.len)
				sb_addch(&spec, ';');
			sb_addstr(&spec, items[i]);
		}
		fs->spec = sb_detach(&spec);
	} else {
		free(fs->mask);
		fs->mask = NULL;
	}
	free(items);
	free(copy);
	return rc;
}

void fs_free(struct fieldset *fs)
{
	free(fs->spec);
	free(fs->mask);
	fs->spec = NULL;
	fs->mask = NULL;
}

int fs_every_field(const struct fieldset *fs)
{
	return !fs->spec || !*fs->spec;
}

uint64_t fs_mask(const struct fieldset *fs, const struct reg_object *o)
{
	return fs->mask[o->index];
}

int fs_compared(const struct fieldset *fs, const struct reg_object *o, size_t field)
{
	return field < 64 && (fs->mask[o->index] >> field) & 1;
}

uint64_t fs_fingerprint(const struct fieldset *fs, const struct reg_object *o)
{
	struct sb s = SB_INIT;
	uint64_t fp;
	size_t i;

	for (i = 0; i < o->nfields; i++) {
		if (!fs_compared(fs, o, i))
			continue;
		sb_addstr(&s, o->fields[i].name);
		sb_addch(&s, ';');
	}
	fp = XXH3_64bits(s.buf ? s.buf : "", s.len);
	sb_release(&s);
	return fp;
}

void fs_hash(const struct fieldset *fs, const struct reg_object *o, const struct rec_val *v,
	     struct sb *scratch, unsigned char out[REC_HASH_BYTES])
{
	uint64_t m = fs->mask[o->index];
	size_t i, total = 0;
	char *p;

	if (m == all_bits(o)) {
		rec_hash(o, v, scratch, out);
		return;
	}
	sb_reset(scratch);
	for (i = 0; i < o->nfields; i++)
		if ((m >> i) & 1)
			total += 4 + v[i].n;
	sb_grow(scratch, total + 1);
	p = scratch->buf;
	for (i = 0; i < o->nfields; i++) {
		size_t n = v[i].n;

		if (!((m >> i) & 1))
			continue;
		p[0] = (char)(n & 0xff);
		p[1] = (char)((n >> 8) & 0xff);
		p[2] = (char)((n >> 16) & 0xff);
		p[3] = (char)((n >> 24) & 0xff);
		if (n)
			memcpy(p + 4, v[i].p, n);
		p += 4 + n;
	}
	scratch->len = total;
	scratch->buf[total] = '\0';
	rec_hash_encoded(scratch->buf, total, out);
}
