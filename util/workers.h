/*
 * workers.h - run independent jobs on the machine's cores.
 *
 * workers_run() calls fn(ctx, i) once for every i in [0, njobs), on up to
 * workers_count() threads (the calling thread is one of them), jobs taken
 * in increasing order, and returns when all are done.  fn must be safe to
 * run concurrently with itself for different i; what it reports should go
 * through msg_capture() so the caller can print it in job order.
 */
#ifndef EDSYNC_WORKERS_H
#define EDSYNC_WORKERS_H

#include <stddef.h>

/* Online cores, at most 8; EDSYNC_THREADS=N overrides (1 = no threads). */
unsigned workers_count(void);
void workers_run(size_t njobs, void (*fn)(void *ctx, size_t job), void *ctx);

/*
 * The same, but job i starts only when every job listed in deps[i]
 * (ndeps[i] of them, all below i) is done; among the jobs ready, the
 * lowest first.
 */
void workers_run_deps(size_t njobs, const size_t *const *deps, const size_t *ndeps,
		      void (*fn)(void *ctx, size_t job), void *ctx);

#endif
