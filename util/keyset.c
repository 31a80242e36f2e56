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

/* 0 marks an empty slot; the hash 0 is stored as 1 (a collision like any). */
struct hset {
	uint64_t *t;
	size_t cap;		/* power of two */
	size_t n;
};

struct hset *hset_new(void)
{
	struct hset *s = xcalloc(1, sizeof *s);

	s->cap = 1024;
	s->t = xcalloc(s->cap, sizeof *s->t);
	return s;
}

static void hset_put(uint64_t *t, size_t cap, uint64_t h)
{
	size_t i = (size_t)(h ^ (h >> 32)) & (cap - 1);

	while (t[i] && t[i] != h)
		i = (i + 1) & (cap - 1);
	t[i] = h;
}

static void hset_resize(struct hset *s, size_t ncap)
{
	uint64_t *nt = xcalloc(ncap, sizeof *nt);
	size_t i;

	for (i = 0; i < s->cap; i++)
		if (s->t[i])
			hset_put(nt, ncap, s->t[i]);
	free(s->t);
	s->t = nt;
	s->cap = ncap;
}

void hset_reserve(struct hset *s, size_t n)
{
	size_t cap = s->cap;

	while (n * 10 > cap * 7)
		cap *= 2;
	if (cap != s->cap)
		hset_resize(s, cap);
}

void hset_add(struct hset *s, uint64_t h)
{
	size_t i;

	if (!h)
		h = 1;
	if ((s->n + 1) * 10 > s->cap * 7)
		hset_resize(s, s->cap * 2);
	i = (size_t)(h ^ (h >> 32)) & (s->cap - 1);
	while (s->t[i] && s->t[i] != h)
		i = (i + 1) & (s->cap - 1);
	if (!s->t[i]) {
		s->t[i] = h;
		s->n++;
	}
}

size_t hset_count(const struct hset *s)
{
	return s->n;
}

int hset_has(const struct hset *s, uint64_t h)
{
	size_t i;

	if (!h)
		h = 1;
	for (i = (size_t)(h ^ (h >> 32)) & (s->cap - 1); s->t[i]; i = (i + 1) & (s->cap - 1))
		if (s->t[i] == h)
			return 1;
	return 0;
}

void hset_free(struct hset *s)
{
	if (!s)
		return;
	free(s->t);
	free(s);
}
