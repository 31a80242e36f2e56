/*
 * stateout.h - what the state leaves for a district besides receipts:
 * requests and reports, each a bundle signed with the state's key, in
 * outbox/<ID>/ where the district's send brings it back, numbered in the
 * district's receipt sequence (store_next_out_seq()).
 *
 * so_send() writes the members given (small texts) into one bundle of the
 * kind given, durably (spool: temp, fsync, rename, fsync the folder), and
 * reports any failure.  *seq and name get the bundle's number and file
 * name.
 */
#ifndef EDSYNC_STATEOUT_H
#define EDSYNC_STATEOUT_H

#include <stddef.h>
#include <stdint.h>

#include "../formats/manifest.h"
#include "../util/status.h"

struct home;
struct key_secret;
struct store;

struct so_member {
	const char *object;
	enum mf_type type;
	const char *data;
	size_t len;
	uint64_t rows;
	uint64_t fields;	/* tree members: the field-list fingerprint */
};

es_status so_send(const struct home *h, struct store *s, const struct key_secret *k,
		  const char *district, const char *kind, const struct so_member *m, size_t n,
		  uint64_t *seq, char *name, size_t name_size);

#endif
