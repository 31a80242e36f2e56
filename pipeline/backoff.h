/*
 * backoff.h - when to try a transfer again: exponential back-off for the
 * watcher ('edsync watch'), which sends whenever there is something to send
 * and must neither hammer an unreachable server nor give up on it.
 *
 * Only a temporary failure is retried on a schedule: the destination cannot
 * be reached (ES_UNAVAILABLE, 69) or another edsync holds the home
 * (ES_TEMP, 75).  After the n-th consecutive one the next attempt waits
 *     min(BACKOFF_BASE * 2^(n-1), BACKOFF_MAX) seconds
 * less a random part of up to a quarter of it (jitter: districts cut off
 * together do not all come back in the same second).  A success resets the
 * count.  Any other failure is permanent (a refused host key or login, a
 * bad config, bad data): retrying will not help until someone changes
 * something, so it is scheduled after BACKOFF_MAX only, as a reminder, and
 * backoff_record() says it is not worth retrying sooner.
 *
 *     struct backoff b = BACKOFF_INIT;
 *     for (;;) {
 *         wait for work, and until backoff_due(&b, now);
 *         st = send ...;
 *         backoff_record(&b, st, now, randombytes_random());
 *     }
 *
 * Pure functions of their arguments (the caller gives the time and the
 * random number), so that they are tested without sleeping.
 */
#ifndef EDSYNC_BACKOFF_H
#define EDSYNC_BACKOFF_H

#include <stdint.h>
#include <time.h>

#include "../util/status.h"

#define BACKOFF_BASE 5		/* seconds after the first failure */
#define BACKOFF_MAX 600		/* the longest wait: ten minutes */

struct backoff {
	unsigned failures;	/* consecutive temporary failures */
	time_t next;		/* no attempt before this time (0: any time) */
	es_status last;		/* the last attempt's status */
};

#define BACKOFF_INIT { 0, 0, ES_OK }

/* Is st worth retrying on a schedule (a temporary failure)? */
int backoff_retryable(es_status st);

/* Seconds to wait after the n-th consecutive failure (n >= 1; 0 for n 0);
 * r is a random 32-bit number for the jitter. */
unsigned backoff_delay(unsigned n, uint32_t r);

/* Record an attempt made at now with result st: sets next.  Returns 1 when
 * it is a temporary failure (retry at next), else 0. */
int backoff_record(struct backoff *b, es_status st, time_t now, uint32_t r);

/* May the next attempt start at now? */
int backoff_due(const struct backoff *b, time_t now);

#endif
