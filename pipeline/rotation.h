/*
 * rotation.h - key rotation, on both sides, safe against a crash at any
 * instant.
 *
 * District ('edsync key rotate'):
 *   1. rotation_next_key(): make keys/district.next.key and .pub (or take
 *      up the pair an interrupted rotation made);
 *   2. rotation_record(): var/rotation names the new key and the sequence
 *      R its announcement will carry;
 *   3. the announcement (a key bundle, signed by the old key) is committed
 *      to the outbox with sequence R;
 *   4. rotation_finish(): the old public key goes to keys/retired/ with
 *      retired_after = R, the next pair becomes keys/district.*, and
 *      var/rotation goes.
 * rotation_finish() runs before any secret key is used (home_secret_key),
 * so whatever a crash interrupted is settled first: an announcement that
 * was committed (the outbox's next sequence is past R) is finished; one
 * that was not is abandoned, and the old key stays in use.
 *
 * State (on applying a key bundle of sequence R):
 *   rotation_pin(): the old key goes to keys/retired/district-<ID>-<id>.pub
 *   with retired_after = R, then keys/trusted/district-<ID>.pub becomes the
 *   new key.  Both writes repeat harmlessly when the bundle is applied
 *   again after a crash.
 * Every function reports its failures.
 */
#ifndef EDSYNC_ROTATION_H
#define EDSYNC_ROTATION_H

#include <stdint.h>

#include "../util/status.h"

struct home;
struct key_pub;
struct key_secret;

es_status rotation_next_key(const struct home *h, struct key_pub *next);
es_status rotation_record(const struct home *h, const struct key_pub *next, uint64_t seq);
/* *finished: the announcement's sequence when a rotation was finished, else 0 */
es_status rotation_finish(const struct home *h, uint64_t *finished);

es_status rotation_pin(const struct home *h, const struct key_pub *old,
		       const struct key_pub *next, uint64_t seq);

#endif
