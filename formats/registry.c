/* registry.c - the object registry, expanded from registry.def. */
#include "registry.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define KEY REG_KEY
#define SAVE REG_SAVE
#define RESYNC REG_RESYNC

/* First expansion: one field array per object. */
#define OBJECT(name, area, parents, states) \
	static const struct reg_field name##_fields[] = {
#define FIELD(fname, type, flags, codes) { #fname, REG_##type, (flags), codes },
#define END };
#include "registry.def"
#undef OBJECT
#undef FIELD
#undef END

/* Second expansion: the object table; keys are filled in by init(). */
#define OBJECT(name, area, parents, states) \
	{ #name, REG_AREA_##area, parents, states, name##_fields, \
	  sizeof name##_fields / sizeof name##_fields[0], 0, { 0 }, 0 },
#define FIELD(fname, type, flags, codes)
#define END
static struct reg_object objects[] = {
#include "registry.def"
};
#undef OBJECT
#undef FIELD
#undef END

#define NOBJECTS (sizeof objects / sizeof objects[0])

static void fill_keys(void)
{
	size_t i, j;

	for (i = 0; i < NOBJECTS; i++) {
		struct reg_object *o = &objects[i];

		o->index = i;
		o->nkeys = 0;
		for (j = 0; j < o->nfields && o->nkeys < REG_MAX_KEYS; j++)
			if (o->fields[j].flags & REG_KEY)
				o->key[o->nkeys++] = j;
	}
}

/* Once, whichever thread asks first. */
static void init(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, fill_keys);
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
