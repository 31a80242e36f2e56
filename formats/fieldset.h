/*
 * fieldset.h - which fields a verification compares, and the record hash
 * over them.
 *
 * By default every field of an object is compared (the record hash of
 * record.h).  A user may name fields instead ('verify --fields a,b', the
 * seed's "choose the fields compared"): an item is "field" (that field of
 * every object that has it) or "Object.field".  An object then compares
 * its key fields and the fields named for it; an object none of whose
 * fields is named compares its keys only (whether a record exists).
 *
 * The projected hash is the record hash over the compared fields only: the
 * canonical encoding (record.h) of those fields, in registry order, hashed
 * with XXH3-128.  With every field compared it IS the record hash, so
 * digests made before field selection existed stay comparable.  The
 * fingerprint names the hashed list (XXH3-64 of "name;name;...;") so that
 * a digest is never compared under another selection.
 *
 * fs_parse() returns 0, or -1 with the reason (naming the item) in why.
 * The canonical spec is the items sorted and deduplicated, joined by ';'
 * ("" for every field): two spellings of one selection have one spec.
 */
#ifndef EDSYNC_FIELDSET_H
#define EDSYNC_FIELDSET_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

struct reg_object;
struct sb;

struct fieldset {
	char *spec;		/* canonical, malloc'd; "" = every field */
	uint64_t *mask;		/* by object index: bit i = field i compared */
};

/* Every field of every object. */
void fs_all(struct fieldset *fs);
/* list: items separated by ',' or ';' ("" = every field). */
int fs_parse(struct fieldset *fs, const char *list, struct sb *why);
void fs_free(struct fieldset *fs);

int fs_every_field(const struct fieldset *fs);
uint64_t fs_mask(const struct fieldset *fs, const struct reg_object *o);
int fs_compared(const struct fieldset *fs, const struct reg_object *o, size_t field);
uint64_t fs_fingerprint(const struct fieldset *fs, const struct reg_object *o);
/* scratch: reused between calls (no allocation per record) */
void fs_hash(const struct fieldset *fs, const struct reg_object *o, const struct rec_val *v,
	     struct sb *scratch, unsigned char out[REC_HASH_BYTES]);

#endif
