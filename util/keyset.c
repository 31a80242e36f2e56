/* keyset.c - a set of 64-bit hashes; see keyset.h. */
#include "keyset.h"
#include "xalloc.h"

#include <stdlib.h>

struct slot {
	uint64_t h;
	uint64_t line;		/* 0: empty */
};

struct keyset {
	struct slot *t;
	size_t cap;		/* power of two */
	size_t n;
};

struct keyset *keyset_new(void)
{
	struct keyset *s = xcalloc(1, sizeof *s);

	s->cap = 1024;
	s->t = xcalloc(s->cap, sizeof *s->t);
	return s;
}

static void put(struct slot *t, size_t cap, uint64_t h, uint64_t line)
{
	size_t i = (size_t)h & (cap - 1);

	while (t[i].line)
		i = (i + 1) & (cap - 1);
	t[i].h = h;
	t[i].line = line;
}

static void grow(struct keyset *s)
{
	size_t ncap = s->cap * 2, i;
	struct slot *nt = xcalloc(ncap, sizeof *nt);

	for (i = 0; i < s->cap; i++)
		if (s->t[i].line)
			put(nt, ncap, s->t[i].h, s->t[i].line);
	free(s->t);
	s->t = nt;
	s->cap = ncap;
}

uint64_t keyset_add(struct keyset *s, uint64_t h, uint64_t line)
{
	size_t i = (size_t)h & (s->cap - 1);

	if (line == 0)
		line = 1;
	while (s->t[i].line) {
		if (s->t[i].h == h)
			return s->t[i].line;
		i = (i + 1) & (s->cap - 1);
	}
	s->t[i].h = h;
	s->t[i].line = line;
	if (++s->n * 10 > s->cap * 7)
		grow(s);
	return 0;
}

uint64_t keyset_find(const struct keyset *s, uint64_t h)
{
	size_t i = (size_t)h & (s->cap - 1);

	while (s->t[i].line) {
		if (s->t[i].h == h)
			return s->t[i].line;
		i = (i + 1) & (s->cap - 1);
	}
	return 0;
}

size_t keyset_count(const struct keyset *s)
{
	return s->n;
}

void keyset_free(struct keyset *s)
{
	if (!s)
		return;
	free(s->t);
	free(s);
}
