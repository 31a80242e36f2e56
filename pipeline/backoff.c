/* backoff.c - when to try a transfer again; see backoff.h. */
#include "backoff.h"

int backoff_retryable(es_status st)
{
	return st == ES_UNAVAILABLE || st == ES_TEMP;
}

unsigned backoff_delay(unsigned n, uint32_t r)
{
	unsigned d = BACKOFF_BASE;

	if (n == 0)
		return 0;
	/* doubling, stopped at the cap before it can overflow */
	while (--n && d < BACKOFF_MAX)
		d *= 2;
	if (d > BACKOFF_MAX)
		d = BACKOFF_MAX;
	return d - (unsigned)(r % (d / 4 + 1));
}

int backoff_record(struct backoff *b, es_status st, time_t now, uint32_t r)
{
	b->last = st;
	if (st == ES_OK) {
		b->failures = 0;
		b->next = 0;
		return 0;
	}
	if (!backoff_retryable(st)) {
		b->failures = 0;
		b->next = now + BACKOFF_MAX;
		return 0;
	}
	if (b->failures < 1000)
		b->failures++;
	b->next = now + (time_t)backoff_delay(b->failures, r);
	return 1;
}

int backoff_due(const struct backoff *b, time_t now)
{
	return now >= b->next;
}
