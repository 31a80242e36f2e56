/*
 * vmerge.h - the state's side of a verification: what the district says
 * about its records, in key order, merged with the state's records.
 *
 * For each object: vm_object_begin(), then the district's description in
 * key order, then vm_object_end().  The description is a sequence of
 * ranges (hashtree.h), each inside a node of the digest (vm_node):
 *   vm_summary()   the district's count and hash of the range up to end:
 *                  equal to the state's, the range agrees; a range the
 *                  district or the state has no record in is resolved too;
 *                  otherwise its records are "unresolved" and the node is
 *                  added to the expand request (the state's own leaves in
 *                  it, vm_expand_tree())
 *   vm_row()       one district record (its projected hash, and its values
 *                  when the district sent them); vm_rows_end() ends a range
 *                  of rows.  Rows are matched with the state's records one
 *                  by one: missing at the state or the district, different,
 *                  duplicates.
 * The state's records are read with store_scan, hashed over the compared
 * fields (fieldset.h), and those a filter rejects (a school's scope) are
 * skipped.  One record of each side is held at a time, so memory does not
 * grow with the district.
 *
 * Detail: each key of each set, and each differing field of a differing
 * record with the district's value (from its row, or from values_fn: the
 * district's answer to a records request) and the state's, and the
 * sequence of the bundle that last changed the state's record, goes to a
 * temporary file per object as detail.csv rows (report.h), at most limit
 * keys per set and object (0: all).  Differing records whose values the
 * district has not sent are collected for a records request
 * (vm_keys_wanted()), as many as the limit.
 */
#ifndef EDSYNC_VMERGE_H
#define EDSYNC_VMERGE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../formats/record.h"
#include "../formats/report.h"
#include "../util/status.h"

struct fieldset;
struct reg_object;
struct sb;
struct store;
struct vm;

/* 1 when the record is in scope (a school's), 0 when not. */
typedef int (*vm_filter_fn)(void *ctx, const struct reg_object *o, const struct rec_val *v);
/* The district's values for a key, from its answer to a records request:
 * 1 with out (o->nfields values) set, 0 when not known. */
typedef int (*vm_values_fn)(void *ctx, const struct reg_object *o, const char *key,
			    size_t klen, struct rec_val *out);

struct vm_opts {
	struct store *s;
	const char *district;
	const struct fieldset *fs;
	size_t limit;
	vm_filter_fn filter;
	void *filter_ctx;
	vm_values_fn values;
	void *values_ctx;
};

struct vm *vm_new(const struct vm_opts *opt);
void vm_free(struct vm *m);

es_status vm_object_begin(struct vm *m, const struct reg_object *o);
/* A digest node starts at start (NULL: before every key); dcount: its
 * district records, which sizes the state's leaves. */
es_status vm_node(struct vm *m, const char *start, size_t slen, uint64_t dcount);
/* end: the next range's start key, NULL for the end of the key order */
es_status vm_summary(struct vm *m, const char *end, size_t elen, uint64_t dcount,
		     const unsigned char dhash[REC_HASH_BYTES]);
/* values: the record's o->nfields values, or NULL */
es_status vm_row(struct vm *m, const char *key, size_t klen,
		 const unsigned char hash[REC_HASH_BYTES], const struct rec_val *values);
es_status vm_rows_end(struct vm *m, const char *end, size_t elen);
/* The object's records are all at the state's side only (no digest). */
es_status vm_state_only(struct vm *m);
es_status vm_object_end(struct vm *m);

const struct rp_summary *vm_figures(const struct vm *m);
/* Object index -> the expand request's tree member text (empty: nothing
 * to expand); the keys wanted, as a keys member text (empty: none). */
const struct sb *vm_expand_tree(const struct vm *m, const struct reg_object *o);
const struct sb *vm_keys_wanted(const struct vm *m, const struct reg_object *o);
/* The object's detail rows (detail.csv without header), rewound; or NULL. */
FILE *vm_detail(struct vm *m, const struct reg_object *o);
/* How many detail keys were left out by the limit, over every set. */
uint64_t vm_detail_cut(const struct vm *m, const struct reg_object *o);

#endif
