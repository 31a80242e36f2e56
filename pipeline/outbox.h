/*
 * outbox.h - the district's outbox: sequence numbers and committed bundles.
 *
 * Every bundle a district makes carries the next number of one sequence,
 * which the state applies in order.  A number is never given to two
 * bundles: the next one is one more than the highest of var/sequence (the
 * last committed) and every bundle still in outbox/ or var/sent/, so a
 * crash between committing a bundle and recording its number is harmless.
 *
 * outbox_commit() fills in the manifest's district, state, year, sequence
 * and time, writes the bundle into outbox/.tmp, renames it into outbox/
 * durably and records the number.  Reported on failure.
 */
#ifndef EDSYNC_OUTBOX_H
#define EDSYNC_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "../util/status.h"

struct home;
struct bundle_writer;
struct manifest;
struct key_secret;

es_status outbox_next_seq(const struct home *h, uint64_t *seq);
es_status outbox_commit(const struct home *h, struct bundle_writer *bw, struct manifest *head,
			const struct key_secret *k, uint64_t seq, char *name, size_t name_size);
/* Current UTC time as YYYY-MM-DDTHH:MM:SSZ */
void outbox_now(char out[24]);

#endif
