/* opqueue.c - record batches between two threads; see opqueue.h. */
#include "opqueue.h"
#include "../util/xalloc.h"

#include <pthread.h>
#include <stdlib.h>

#define NBATCHES 4

struct opq {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct opq_batch *all[NBATCHES];
	struct opq_batch *free_[NBATCHES];
	size_t nfree;
	struct opq_batch *full[NBATCHES];	/* a ring, in order */
	size_t head, nfull;
	int closed, aborted;
};

struct opq *opq_new(void)
{
	struct opq *q = xcalloc(1, sizeof *q);
	size_t i;

	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->changed, NULL);
	for (i = 0; i < NBATCHES; i++) {
		q->all[i] = xcalloc(1, sizeof *q->all[i]);
		q->free_[q->nfree++] = q->all[i];
	}
	return q;
}

void opq_free(struct opq *q)
{
	size_t i;

	if (!q)
		return;
	for (i = 0; i < NBATCHES; i++) {
		sb_release(&q->all[i]->keys);
		sb_release(&q->all[i]->datas);
		free(q->all[i]);
	}
	pthread_cond_destroy(&q->changed);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

struct opq_batch *opq_get(struct opq *q)
{
	struct opq_batch *b = NULL;

	pthread_mutex_lock(&q->lock);
	while (!q->aborted && !q->nfree)
		pthread_cond_wait(&q->changed, &q->lock);
	if (!q->aborted) {
		b = q->free_[--q->nfree];
		b->n = 0;
		sb_reset(&b->keys);
		sb_reset(&b->datas);
	}
	pthread_mutex_unlock(&q->lock);
	return b;
}

void opq_put(struct opq *q, struct opq_batch *b)
{
	pthread_mutex_lock(&q->lock);
	q->full[(q->head + q->nfull) % NBATCHES] = b;
	q->nfull++;
	pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->lock);
}

void opq_close(struct opq *q)
{
	pthread_mutex_lock(&q->lock);
	q->closed = 1;
	pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->lock);
}

struct opq_batch *opq_take(struct opq *q)
{
	struct opq_batch *b = NULL;

	pthread_mutex_lock(&q->lock);
	while (!q->nfull && !q->closed)
		pthread_cond_wait(&q->changed, &q->lock);
	if (q->nfull) {
		b = q->full[q->head];
		q->head = (q->head + 1) % NBATCHES;
		q->nfull--;
	}
	pthread_mutex_unlock(&q->lock);
	return b;
}

void opq_release(struct opq *q, struct opq_batch *b)
{
	pthread_mutex_lock(&q->lock);
	q->free_[q->nfree++] = b;
	pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->lock);
}

void opq_abort(struct opq *q)
{
	pthread_mutex_lock(&q->lock);
	q->aborted = 1;
	pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->lock);
}
