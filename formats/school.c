/* school.c - the records of one school; see school.h. */
#include "school.h"
#include "registry.h"
#include "../util/keyset.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

enum how { NEVER, KEY_IS_SCHOOL, BY_SCHOOL, BY_CALENDAR, BY_PARENT, BY_LEARNED_KEY, BY_PERSON };

struct school_scope {
	char *school;
	struct hset **in;	/* by object index: keys of the school's records */
	enum how *how;		/* by object index, worked out once */
	int *field;
};

static int is(const struct reg_object *o, const char *name)
{
	return !strcmp(o->name, name);
}

/* Is o referenced by an object that has a school or calendar field? */
static int referenced_by_direct(const struct reg_object *o)
{
	size_t i, f;

	for (i = 0; i < reg_count(); i++) {
		const struct reg_object *c = reg_at(i);

		if (c->school_field < 0 && c->calendar_field < 0)
			continue;
		for (f = 0; f < c->nfields; f++)
			if (c->refobj[f] == o)
				return 1;
	}
	return 0;
}

/* How a record of o is decided; *field: the field it is decided by. */
static enum how how(const struct reg_object *o, int *field)
{
	size_t f;

	*field = -1;
	if (is(o, "School"))
		return KEY_IS_SCHOOL;
	if (o->school_field >= 0) {
		*field = o->school_field;
		return BY_SCHOOL;
	}
	if (o->calendar_field >= 0) {
		*field = o->calendar_field;
		return BY_CALENDAR;
	}
	for (f = 0; f < o->nfields; f++) {
		const struct reg_object *p = o->refobj[f];
		int pf;

		if (p && p != o && !is(p, "PersonIdentity")) {
			enum how ph = how(p, &pf);

			if (ph == BY_SCHOOL || ph == BY_CALENDAR || ph == BY_PARENT) {
				*field = (int)f;
				return BY_PARENT;
			}
		}
	}
	if (!is(o, "Calendar") && referenced_by_direct(o))
		return BY_LEARNED_KEY;
	if (o->person_field >= 0) {
		*field = o->person_field;
		return BY_PERSON;
	}
	return NEVER;
}

struct school_scope *sc_new(const char *school)
{
	struct school_scope *s = xcalloc(1, sizeof *s);
	size_t i;

	s->school = xstrdup(school);
	s->in = xcalloc(reg_count(), sizeof *s->in);
	s->how = xcalloc(reg_count(), sizeof *s->how);
	s->field = xcalloc(reg_count(), sizeof *s->field);
	for (i = 0; i < reg_count(); i++) {
		s->in[i] = hset_new();
		s->how[i] = how(reg_at(i), &s->field[i]);
	}
	return s;
}

void sc_free(struct school_scope *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < reg_count(); i++)
		hset_free(s->in[i]);
	free(s->in);
	free(s->how);
	free(s->field);
	free(s->school);
	free(s);
}

int sc_learns(const struct reg_object *o)
{
	int f;
	enum how h = how(o, &f);

	return h == BY_SCHOOL || h == BY_CALENDAR || h == BY_PARENT;
}

static uint64_t hv(const struct rec_val *v)
{
	return XXH3_64bits(v->p, v->n);
}

static int has(const struct school_scope *s, const struct reg_object *o, const struct rec_val *v)
{
	return o && hset_has(s->in[o->index], hv(v));
}

int sc_in(const struct school_scope *s, const struct reg_object *o, const struct rec_val *v)
{
	int f = s->field[o->index];
	enum how h = s->how[o->index];
	const struct reg_object *cal = reg_find("Calendar");

	switch (h) {
	case KEY_IS_SCHOOL:
		return v[o->key[0]].n == strlen(s->school) &&
		       !memcmp(v[o->key[0]].p, s->school, v[o->key[0]].n);
	case BY_SCHOOL:
		return v[f].n == strlen(s->school) && !memcmp(v[f].p, s->school, v[f].n);
	case BY_CALENDAR:
		return has(s, cal, &v[f]);
	case BY_PARENT:
		return has(s, o->refobj[f], &v[f]);
	case BY_LEARNED_KEY:
		return hset_has(s->in[o->index], rec_key_hash64(o, v));
	case BY_PERSON:
		return has(s, reg_find("PersonIdentity"), &v[f]);
	case NEVER:
		break;
	}
	return 0;
}

void sc_learn(struct school_scope *s, const struct reg_object *o, const struct rec_val *v)
{
	enum how h = s->how[o->index];
	size_t i;

	if ((h != BY_SCHOOL && h != BY_CALENDAR && h != BY_PARENT) || !sc_in(s, o, v))
		return;
	hset_add(s->in[o->index], rec_key_hash64(o, v));
	if (h != BY_SCHOOL && h != BY_CALENDAR)
		return;
	/* what a record of the school references belongs to it too */
	for (i = 0; i < o->nfields; i++) {
		const struct reg_object *p = o->refobj[i];

		if (p && v[i].n && s->how[p->index] == BY_LEARNED_KEY)
			hset_add(s->in[p->index], hv(&v[i]));
	}
}

int sc_owned(const struct reg_object *o)
{
	int f;
	enum how h = how(o, &f);

	return h == KEY_IS_SCHOOL || h == BY_SCHOOL || h == BY_CALENDAR || h == BY_PARENT;
}
