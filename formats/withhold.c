/* withhold.c - data setup that stops a record from syncing; see withhold.h. */
#include "withhold.h"
#include "registry.h"
#include "../util/keyset.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

struct withhold {
	int year;
	char year_text[8];
	struct hset **sets;	/* withheld keys, by object index (NULL: none) */
};

struct withhold *wh_new(int scoped_year)
{
	struct withhold *w = xcalloc(1, sizeof *w);

	w->year = scoped_year;
	snprintf(w->year_text, sizeof w->year_text, "%d", scoped_year);
	w->sets = xcalloc(reg_count(), sizeof *w->sets);
	return w;
}

void wh_free(struct withhold *w)
{
	size_t i;

	if (!w)
		return;
	for (i = 0; i < reg_count(); i++)
		hset_free(w->sets[i]);
	free(w->sets);
	free(w);
}

static int is(const struct rec_val *v, const char *s)
{
	size_t n = strlen(s);

	return v->n == n && memcmp(v->p, s, n) == 0;
}

int wh_check(const struct withhold *w, const struct reg_object *o, const struct rec_val *v,
	     size_t *field)
{
	const struct reg_rule *r;
	size_t i;

	for (r = o->rules; r->kind != REG_RULE_NONE; r++) {
		const struct rec_val *x = &v[r->findex];
		int hit = r->kind == REG_RULE_EMPTY ? x->n == 0 :
			  r->kind == REG_RULE_EQUALS ? is(x, r->value) : !is(x, r->value);

		if (hit) {
			*field = (size_t)r->findex;
			return (int)(r - o->rules);
		}
	}
	/* An empty year says nothing about the year: not withheld for it. */
	if (o->year_field >= 0 && v[o->year_field].n && !is(&v[o->year_field], w->year_text)) {
		*field = (size_t)o->year_field;
		return (int)WH_YEAR(o);
	}
	for (i = 0; i < o->nfields; i++) {
		const struct reg_field *f = &o->fields[i];
		const struct reg_object *p;

		if (!f->ref[0] || !v[i].n)
			continue;
		p = o->refobj[i];
		if (p && w->sets[p->index] &&
		    hset_has(w->sets[p->index], XXH3_64bits(v[i].p, v[i].n))) {
			*field = i;
			return (int)WH_PARENT(o, i);
		}
	}
	return -1;
}

const char *wh_cause_name(const struct withhold *w, const struct reg_object *o, int cause,
			  char *buf, size_t size)
{
	size_t f;

	if (cause >= 0 && (size_t)cause < o->nrules)
		return o->rules[cause].name;
	if ((size_t)cause == WH_YEAR(o)) {
		snprintf(buf, size, "outside the scoped year %d", w->year);
		return buf;
	}
	f = (size_t)cause - WH_PARENT(o, 0);
	snprintf(buf, size, "references a withheld %s (%s)",
		 f < o->nfields ? o->fields[f].ref : "record",
		 f < o->nfields ? o->fields[f].name : "?");
	return buf;
}

void wh_mark(struct withhold *w, const struct reg_object *o, const struct rec_val *v)
{
	/* Only a single-field key can be referenced (REF fields hold one). */
	if (o->nkeys != 1)
		return;
	if (!w->sets[o->index])
		w->sets[o->index] = hset_new();
	hset_add(w->sets[o->index], rec_key_hash64(o, v));
}
