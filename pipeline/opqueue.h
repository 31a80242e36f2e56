/*
 * opqueue.h - batches of record operations handed from one thread that
 * reads and checks a bundle to the one thread that owns the store.
 *
 * SQLite wants one writer; parsing, checking, encoding and hashing rows do
 * not need the store.  So the loader runs them on a producer thread and
 * applies what comes out on the store's thread, the two overlapping.
 *
 *   producer: b = opq_get(q)   (an empty batch; NULL: the consumer gave up)
 *             fill b, opq_put(q, b) ... opq_close(q)
 *   consumer: while ((b = opq_take(q))) { apply b; opq_release(q, b); }
 *             opq_abort(q) on a failure, and keep taking until NULL
 *
 * A fixed number of batches circulate, so memory is bounded however large
 * the bundle.  Batches come out in the order they went in.
 */
#ifndef EDSYNC_OPQUEUE_H
#define EDSYNC_OPQUEUE_H

#include <stddef.h>

#include "../formats/record.h"
#include "../formats/registry.h"
#include "../util/sb.h"

#define OPQ_ROWS 1024

enum opq_kind {
	OPQ_UPSERT,	/* key and packed record (rec_pack); the consumer hashes it */
	OPQ_MERGE,	/* as UPSERT, but only the present fields are carried */
	OPQ_TOUCH,	/* key only: the record is kept as it is */
	OPQ_DELETE	/* key only: the record is deleted */
};

struct opq_batch {
	enum opq_kind kind;
	const struct reg_object *o;
	size_t n;
	struct sb keys, datas;
	size_t klen[OPQ_ROWS], dlen[OPQ_ROWS];
	unsigned char present[REG_MAX_FIELDS];	/* OPQ_MERGE: fields carried */
};

struct opq;

struct opq *opq_new(void);
void opq_free(struct opq *q);

struct opq_batch *opq_get(struct opq *q);
void opq_put(struct opq *q, struct opq_batch *b);
void opq_close(struct opq *q);

struct opq_batch *opq_take(struct opq *q);
void opq_release(struct opq *q, struct opq_batch *b);
void opq_abort(struct opq *q);

#endif
