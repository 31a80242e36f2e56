/* workers.c - run independent jobs on the machine's cores; see workers.h. */
#include "workers.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

struct pool {
	size_t njobs;
	atomic_size_t next;
	void (*fn)(void *ctx, size_t job);
	void *ctx;
};

unsigned workers_count(void)
{
	const char *env = getenv("EDSYNC_THREADS");
	long n = env && *env ? atol(env) : sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	if (n > 8)
		n = 8;
	return (unsigned)n;
}

static void *work(void *arg)
{
	struct pool *p = arg;
	size_t i;

	while ((i = atomic_fetch_add(&p->next, 1)) < p->njobs)
		p->fn(p->ctx, i);
	return NULL;
}

void workers_run(size_t njobs, void (*fn)(void *ctx, size_t job), void *ctx)
{
	struct pool p;
	pthread_t t[8];
	unsigned n = workers_count(), i, started = 0;

	p.njobs = njobs;
	atomic_init(&p.next, 0);
	p.fn = fn;
	p.ctx = ctx;
	if (n > njobs)
		n = (unsigned)(njobs ? njobs : 1);
	/* Threads that cannot start only mean fewer hands. */
	for (i = 1; i < n; i++)
		if (pthread_create(&t[started], NULL, work, &p) == 0)
			started++;
	work(&p);
	for (i = 0; i < started; i++)
		pthread_join(t[i], NULL);
}

struct dag {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	size_t njobs, next_unstarted;
	unsigned char *started, *done;
	const size_t *const *deps;
	const size_t *ndeps;
	void (*fn)(void *ctx, size_t job);
	void *ctx;
};

static int ready(const struct dag *d, size_t i)
{
	size_t k;

	for (k = 0; k < d->ndeps[i]; k++)
		if (!d->done[d->deps[i][k]])
			return 0;
	return 1;
}

static void *dag_work(void *arg)
{
	struct dag *d = arg;

	pthread_mutex_lock(&d->lock);
	for (;;) {
		size_t i, pick = d->njobs;

		while (d->next_unstarted < d->njobs && d->started[d->next_unstarted])
			d->next_unstarted++;
		if (d->next_unstarted == d->njobs)
			break;
		for (i = d->next_unstarted; i < d->njobs; i++)
			if (!d->started[i] && ready(d, i)) {
				pick = i;
				break;
			}
		if (pick == d->njobs) {
			pthread_cond_wait(&d->changed, &d->lock);
			continue;
		}
		d->started[pick] = 1;
		pthread_mutex_unlock(&d->lock);
		d->fn(d->ctx, pick);
		pthread_mutex_lock(&d->lock);
		d->done[pick] = 1;
		pthread_cond_broadcast(&d->changed);
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

void workers_run_deps(size_t njobs, const size_t *const *deps, const size_t *ndeps,
		      void (*fn)(void *ctx, size_t job), void *ctx)
{
	struct dag d;
	pthread_t t[8];
	unsigned n = workers_count(), i, started = 0;

	d.njobs = njobs;
	d.next_unstarted = 0;
	d.started = calloc(njobs ? njobs : 1, 1);
	d.done = calloc(njobs ? njobs : 1, 1);
	if (!d.started || !d.done) {
		/* no memory for the schedule: run in order, which respects it */
		size_t j;

		free(d.started);
		free(d.done);
		for (j = 0; j < njobs; j++)
			fn(ctx, j);
		return;
	}
	d.deps = deps;
	d.ndeps = ndeps;
	d.fn = fn;
	d.ctx = ctx;
	pthread_mutex_init(&d.lock, NULL);
	pthread_cond_init(&d.changed, NULL);
	if (n > njobs)
		n = (unsigned)(njobs ? njobs : 1);
	for (i = 1; i < n; i++)
		if (pthread_create(&t[started], NULL, dag_work, &d) == 0)
			started++;
	dag_work(&d);
	for (i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	pthread_cond_destroy(&d.changed);
	pthread_mutex_destroy(&d.lock);
	free(d.started);
	free(d.done);
}
