/*
 * dverify.h - the district's side of a verification: the digest, and the
 * answers to what the state asks (request.h).
 *
 * dv_run() reads source/ for the objects in scope (and the objects they
 * reference, to withhold what data setup withholds, as resync does),
 * hashes every record over the compared fields (fieldset.h), sorts by key
 * in a private temporary database (bounded memory), and spools one signed
 * bundle in the outbox, in the district's sequence:
 *   verify, form full  <Object>.digest.csv: a hash per record
 *   verify, form tree  <Object>.tree.csv: the records in nodes of about a
 *                      64th of the object (at least DV_NODE_MIN records):
 *                      count and hash of each (hashtree.h)
 *   expand             for each range the state sent: summary when the
 *                      district's count and hash are the state's, else rows,
 *                      with the range's records in <Object>.csv
 *   records            the records with the keys the state sent, <Object>.csv
 * The bundle is of kind "verify" and starts with request.ini, echoing rq;
 * with legacy set (a plain 'edsync digest'), of kind "digest" without it,
 * as before verification requests existed.
 *
 * What the state asked for travels in struct dv_asks, filled from the
 * request bundle's members.  Everything is reported; the status is the
 * command's.
 */
#ifndef EDSYNC_DVERIFY_H
#define EDSYNC_DVERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "../util/status.h"

struct home;
struct request;
struct reg_object;
struct sb;
struct dv_asks;

#define DV_NODES 64
#define DV_NODE_MIN 4096

struct dv_asks *dv_asks_new(void);
void dv_asks_free(struct dv_asks *a);
/* An expand request's tree member for o; 0, or -1 with the reason. */
int dv_asks_tree(struct dv_asks *a, const struct reg_object *o, const char *text, size_t n,
		 struct sb *why);
/* A key (joined, record.h) a records request wants. */
void dv_asks_key(struct dv_asks *a, const struct reg_object *o, const char *key, size_t klen);

/* quiet: no table of objects on stdout (answers carried out by load);
 * node: records per node of a tree (0: a DV_NODES-th of the object, at
 * least DV_NODE_MIN) */
es_status dv_run(struct home *h, const struct request *rq, const struct dv_asks *asks,
		 int legacy, int quiet, uint64_t node, char *name, size_t name_size);

#endif
