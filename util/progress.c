/* progress.c - the progress line; see progress.h. */
#include "progress.h"
#include "msg.h"
#include "xalloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

struct progress {
	const char *what;
	uint64_t total;
	_Atomic uint64_t bytes, rows;
	_Atomic(const char *) now;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
	pthread_t t;
	struct timespec start;
};

static double since(const struct timespec *s)
{
	struct timespec n;

	clock_gettime(CLOCK_MONOTONIC, &n);
	return (double)(n.tv_sec - s->tv_sec) + (double)(n.tv_nsec - s->tv_nsec) / 1e9;
}

static void draw(struct progress *p)
{
	uint64_t b = atomic_load(&p->bytes), r = atomic_load(&p->rows);
	double t = since(&p->start), rate = t > 0 ? (double)r / t : 0;
	int pct = p->total ? (int)(100.0 * (double)b / (double)p->total) : 0;

	if (pct > 100)
		pct = 100;
	fprintf(stderr, "\r%s: %3d%%  %llu rows  %.0f rows/s", p->what, pct,
		(unsigned long long)r, rate);
	if (b && b < p->total && t > 1)
		fprintf(stderr, "  about %.0f s left", t * (double)(p->total - b) / (double)b);
	{
		const char *now = atomic_load(&p->now);

		if (now && b < p->total)
			fprintf(stderr, "  (%s)", now);
	}
	fprintf(stderr, "\033[K");
	fflush(stderr);
}

static void *run(void *arg)
{
	struct progress *p = arg;

	pthread_mutex_lock(&p->mu);
	while (!p->stop) {
		struct timespec until;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 250000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&p->cv, &p->mu, &until);
		if (!p->stop)
			draw(p);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct progress *progress_start(const char *what, uint64_t total_bytes)
{
	struct progress *p;

	if (!isatty(STDERR_FILENO) || msg_is_quiet())
		return NULL;
	p = xcalloc(1, sizeof *p);
	p->what = what;
	p->total = total_bytes;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	if (pthread_create(&p->t, NULL, run, p) != 0) {
		pthread_mutex_destroy(&p->mu);
		pthread_cond_destroy(&p->cv);
		free(p);
		return NULL;
	}
	return p;
}

void progress_add(struct progress *p, uint64_t bytes, uint64_t rows)
{
	if (!p)
		return;
	atomic_fetch_add(&p->bytes, bytes);
	atomic_fetch_add(&p->rows, rows);
}

void progress_what(struct progress *p, const char *now)
{
	if (p)
		atomic_store(&p->now, now);
}

void progress_stop(struct progress *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->t, NULL);
	/* the final figures stay, then the line is cleared for what follows */
	draw(p);
	fprintf(stderr, "\r\033[K");
	fflush(stderr);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
}
