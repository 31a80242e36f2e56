/*
 * announce.h - the key announcement: a district's new public key, in a
 * bundle of kind "key" signed by the key it replaces.
 *
 * The bundle carries one member, key.pub, the text of the new key's public
 * key file.  Its sequence number R orders the change with the district's
 * other bundles: the old key signs sequences up to R, the new one those
 * after.  A state that trusts the old key therefore trusts the new one with
 * no manual step, and a stolen old key cannot sign anything newer.
 */
#ifndef EDSYNC_ANNOUNCE_H
#define EDSYNC_ANNOUNCE_H

#include "../util/status.h"

struct bundle;
struct bundle_writer;
struct key_pub;
struct sb;

/* Add the key.pub member announcing k to a bundle being written. */
es_status announce_write(struct bundle_writer *w, const struct key_pub *k);

/*
 * Read the announced key of an opened (authenticated) key bundle: one
 * member, key.pub, a public key file of a district key for the bundle's
 * district and state, not the key that signed it.  ES_DATA with the reason
 * in why otherwise; ES_REFUSED when the member's bytes do not match.
 */
es_status announce_read(struct bundle *b, struct key_pub *out, struct sb *why);

#endif
