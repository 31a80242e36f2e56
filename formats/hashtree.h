/*
 * hashtree.h - key ranges and their hashes: the tree member that lets a
 * district and the state compare millions of records with a few kilobytes.
 *
 * A range is a stretch of key order, from its start key up to (not
 * including) the start key of the next range.  Its hash is XXH3-128 of
 * the 16-byte record hashes of its records, in key order (ht_acc); its
 * count is how many records it holds.  Two sides that hold the same
 * records in a range have the same count and hash; any change, addition or
 * loss changes them.
 *
 * The tree member (<Object>.tree.csv) partitions the whole key order:
 *
 *   personID,records,xxh3_128,range
 *   ,65536,9f0c...,summary          first range: starts before every key
 *   1065536,65536,77aa...,summary
 *   2131072,,,skip
 *
 * Columns: the key fields (empty on the first row only), then records,
 * xxh3_128 and range, which is
 *   summary  records and hash describe the range
 *   rows     so do they, and the range's records travel in the same
 *            bundle (a digest or records member of the object)
 *   skip     this member says nothing about the range (records and hash
 *            empty)
 * Start keys strictly increase.  The district's nightly digest has summary
 * ranges of many records each (nodes); the state asks for differing nodes
 * with its own finer ranges (leaves) inside them, and the district answers
 * each leaf as summary (it agrees) or rows (here are its records).
 *
 * Keys here are joined keys (record.h: key values joined by NUL bytes),
 * whose bytewise order is key order.  ht_list_parse() checks everything
 * (header, key values, order, counts, hashes) and returns 0, or -1 with
 * the reason in why ("line N: ...").
 */
#ifndef EDSYNC_HASHTREE_H
#define EDSYNC_HASHTREE_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

struct reg_object;
struct sb;

/* ---- range hashes ---- */

struct ht_acc;
struct ht_acc *ht_acc_new(void);
void ht_acc_reset(struct ht_acc *a);
void ht_acc_add(struct ht_acc *a, const unsigned char hash[REC_HASH_BYTES]);
uint64_t ht_acc_count(const struct ht_acc *a);
/* The hash so far (the accumulator goes on). */
void ht_acc_digest(const struct ht_acc *a, unsigned char out[REC_HASH_BYTES]);
void ht_acc_free(struct ht_acc *a);

/* Bytewise order of joined keys (shorter first on a tie). */
int ht_key_cmp(const char *a, size_t an, const char *b, size_t bn);

/* ---- the tree member ---- */

enum ht_kind { HT_SUMMARY, HT_ROWS, HT_SKIP };

#define HT_RANGE_COLUMN "range"

struct ht_range {
	char *key;		/* joined start key; NULL (klen 0) for the first */
	size_t klen;
	enum ht_kind kind;
	uint64_t count;
	unsigned char hash[REC_HASH_BYTES];
};

struct ht_list {
	struct ht_range *r;
	size_t n;
};

const char *ht_kind_name(enum ht_kind k);

void ht_header(const struct reg_object *o, struct sb *out);
/* key: joined start key, NULL for the first range */
void ht_row(const struct reg_object *o, const char *key, size_t klen, enum ht_kind kind,
	    uint64_t count, const unsigned char hash[REC_HASH_BYTES], struct sb *out);

/* Append a range (the key is copied). */
void ht_list_add(struct ht_list *l, const char *key, size_t klen, enum ht_kind kind,
		 uint64_t count, const unsigned char *hash);
int ht_list_parse(const struct reg_object *o, const char *p, size_t n, struct ht_list *l,
		  struct sb *why);
void ht_list_free(struct ht_list *l);
/* The range holding key (joined): the last whose start is <= key. */
size_t ht_list_find(const struct ht_list *l, const char *key, size_t klen);

#endif
