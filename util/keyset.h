/*
 * keyset.h - a set of 64-bit key hashes, each with the line it was seen on
 * (open addressing, grows by doubling; 16 bytes an entry).
 *
 * Used to find duplicate keys in a stream of rows without keeping the keys:
 * 1,000,000 rows cost about 32 MiB at most.  Two different keys share a
 * 64-bit XXH3 hash with probability about n^2 / 2^65 (1e-8 for a million
 * rows); such a pair would be reported as a duplicate, never lost.
 */
#ifndef EDSYNC_KEYSET_H
#define EDSYNC_KEYSET_H

#include <stddef.h>
#include <stdint.h>

struct keyset;

struct keyset *keyset_new(void);
/* Add h seen on line; returns 0 if new, else the line it was first seen on. */
uint64_t keyset_add(struct keyset *s, uint64_t h, uint64_t line);
/* The line h was added with, or 0 when it is not in the set. */
uint64_t keyset_find(const struct keyset *s, uint64_t h);
size_t keyset_count(const struct keyset *s);
void keyset_free(struct keyset *s);

/*
 * hset: the same without lines, 8 bytes an entry, for membership only
 * (which keys a bundle carries, which were withheld): half the memory and
 * half the cache misses.
 */
struct hset;

struct hset *hset_new(void);
/* Room for n entries without growing (a size known in advance). */
void hset_reserve(struct hset *s, size_t n);
void hset_add(struct hset *s, uint64_t h);
size_t hset_count(const struct hset *s);
int hset_has(const struct hset *s, uint64_t h);
void hset_free(struct hset *s);

#endif
