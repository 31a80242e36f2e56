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
