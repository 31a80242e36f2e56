/* registry.c - the object registry, expanded from registry.def. */
#include "registry.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define KEY REG_KEY
#define SAVE REG_SAVE
#define RESYNC REG_RESYNC
#define YEAR REG_YEAR

/* First expansion: one field array per object. */
#define OBJECT(name, area, parents, states) \
	static const struct reg_field name##_fields[] = {
#define FIELD(fname, type, flags, codes, ref) { #fname, REG_##type, (flags), codes, ref },
#define RULE(kind, field, value, rname)
#define END };
#include "registry.def"
#undef OBJECT
#undef FIELD
#undef RULE
#undef END

/* Second expansion: one rule array per object, ended by REG_RULE_NONE
 * (field indexes are filled in by init()). */
#define OBJECT(name, area, parents, states) \
	static struct reg_rule name##_rules[] = {
#define FIELD(fname, type, flags, codes, ref)
#define RULE(kind, field, value, rname) { REG_RULE_##kind, #field, value, rname, -1 },
#define END { REG_RULE_NONE, NULL, NULL, NULL, -1 } };
#include "registry.def"
#undef OBJECT
#undef FIELD
#undef RULE
#undef END

/* Third expansion: the object table; derived parts are filled in by init(). */
#define OBJECT(name, area, parents, states) \
	{ #name, REG_AREA_##area, parents, states, name##_fields, \
	  sizeof name##_fields / sizeof name##_fields[0], 0, { 0 }, 0, name##_rules, \
	  sizeof name##_rules / sizeof name##_rules[0] - 1, -1, 0, 0, { NULL }, -1, -1, -1 },
#define FIELD(fname, type, flags, codes, ref)
#define RULE(kind, field, value, rname)
#define END
static struct reg_object objects[] = {
#include "registry.def"
};
#undef OBJECT
#undef FIELD
#undef RULE
#undef END

#define NOBJECTS (sizeof objects / sizeof objects[0])

static int field_named(const struct reg_object *o, const char *name)
{
	size_t j;

	for (j = 0; j < o->nfields; j++)
		if (!strcmp(o->fields[j].name, name))
			return (int)j;
	return -1;
}

/* What the data implies: key indexes, rule field indexes, scoping links.
 * A rule naming an unknown field is a registry defect: tests catch it. */
static void fill_derived(void)
{
	size_t i, j;

	for (i = 0; i < NOBJECTS; i++) {
		struct reg_object *o = &objects[i];
		struct reg_rule *r;

		o->index = i;
		o->nkeys = 0;
		for (j = 0; j < o->nfields; j++) {
			const struct reg_field *f = &o->fields[j];

			if ((f->flags & REG_KEY) && o->nkeys < REG_MAX_KEYS)
				o->key[o->nkeys++] = j;
			if ((f->flags & REG_YEAR) && o->year_field < 0)
				o->year_field = (int)j;
			if (!strcmp(f->ref, "PersonIdentity") && o->person_field < 0)
				o->person_field = (int)j;
			if (!strcmp(f->ref, "School") && o->school_field < 0)
				o->school_field = (int)j;
			if (!strcmp(f->ref, "Calendar") && o->calendar_field < 0)
				o->calendar_field = (int)j;
		}
		for (r = (struct reg_rule *)o->rules; r->kind != REG_RULE_NONE; r++)
			r->findex = field_named(o, r->field);
		/* Parents come first, so their levels are known, and whether
		 * they withhold. */
		o->withholds = o->nrules > 0 || o->year_field >= 0;
		for (j = 0; j < o->nfields; j++) {
			size_t k;

			o->refobj[j] = NULL;
			for (k = 0; o->fields[j].ref[0] && k < i; k++)
				if (!strcmp(objects[k].name, o->fields[j].ref)) {
					o->refobj[j] = &objects[k];
					if (objects[k].withholds)
						o->withholds = 1;
				}
		}
		o->level = 0;
		{
			const char *p = o->parents;

			while (*p) {
				const char *e = strchr(p, ';');
				size_t n = e ? (size_t)(e - p) : strlen(p), k;

				for (k = 0; k < i; k++)
					if (strlen(objects[k].name) == n &&
					    !memcmp(objects[k].name, p, n) &&
					    objects[k].level + 1 > o->level)
						o->level = objects[k].level + 1;
				p += n;
				if (*p == ';')
					p++;
			}
		}
	}
}

/* Once, whichever thread asks first. */
static void init(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, fill_derived);
}

size_t reg_count(void)
{
	return NOBJECTS;
}

const struct reg_object *reg_at(size_t i)
{
	init();
	return i < NOBJECTS ? &objects[i] : NULL;
}

const struct reg_object *reg_find_n(const char *name, size_t n)
{
	size_t i;

	init();
	for (i = 0; i < NOBJECTS; i++)
		if (strlen(objects[i].name) == n && memcmp(objects[i].name, name, n) == 0)
			return &objects[i];
	return NULL;
}

const struct reg_object *reg_find(const char *name)
{
	return reg_find_n(name, strlen(name));
}

int reg_field_index(const struct reg_object *o, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < o->nfields; i++)
		if (strlen(o->fields[i].name) == n && memcmp(o->fields[i].name, name, n) == 0)
			return (int)i;
	return -1;
}

int reg_sent_by_state(const struct reg_object *o, const char *state)
{
	const char *s = o->states;
	size_t sl = strlen(state);

	if (!*s)
		return 1;
	while (*s) {
		const char *e = strchr(s, ';');
		size_t n = e ? (size_t)(e - s) : strlen(s);

		if (n == sl && memcmp(s, state, n) == 0)
			return 1;
		s += n;
		if (*s == ';')
			s++;
	}
	return 0;
}

const char *reg_area_name(enum reg_area a)
{
	static const char *const names[REG_AREA_COUNT] = {
		"Behavior", "Employment", "Employment Assignment", "Enrollment",
		"Graduation", "English Learner", "Person/Identity", "Test Scores"
	};

	if (a < 0 || a >= REG_AREA_COUNT)
		return "";
	return names[a];
}

const char *reg_type_name(enum reg_type t)
{
	switch (t) {
	case REG_TEXT: return "text";
	case REG_INTEGER: return "integer";
	case REG_DECIMAL: return "decimal";
	case REG_DATE: return "date";
	case REG_BOOLEAN: return "boolean";
	case REG_CODE: return "code";
	}
	return "text";
}

const char *reg_rule_kind_name(enum reg_rule_kind k)
{
	switch (k) {
	case REG_RULE_EMPTY: return "empty";
	case REG_RULE_EQUALS: return "equals";
	case REG_RULE_NOT_EQUALS: return "not equals";
	case REG_RULE_NONE: break;
	}
	return "";
}

const char *reg_key_names(const struct reg_object *o, char *buf, size_t size)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < o->nkeys; i++) {
		int n = snprintf(buf + used, size - used, "%s%s", i ? ";" : "",
				 o->fields[o->key[i]].name);

		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
	return buf;
}
