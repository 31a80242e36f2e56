/*
 * vkeep.h - what the state keeps of a district's verification bundles
 * (kind "verify": a digest, or the answer to an expand or records
 * request), and where.
 *
 *   var/digests/<ID>.bundle            the district's latest digest (also
 *                                      the classic kind "digest")
 *   var/digests/<ID>.expand.bundle     the answer to the latest expand
 *                                      request about that digest
 *   var/digests/<ID>.records.bundle    the latest records answer (values)
 * A digest limited to some fields or to a school has slots of its own:
 * <ID>-s<school>-f<16 hex of the field list>.bundle and .expand.bundle.
 *
 * vk_keep() checks every member of an authenticated bundle (request.ini
 * first; tree, digest and records members of objects the district's state
 * sends, each read in full by its reader, rows counted against the
 * manifest, field fingerprints against this registry) and only then copies
 * it into its slot, durably.  ES_DATA (or ES_REFUSED for a damaged member)
 * with the reason in why; ES_IO reported.
 */
#ifndef EDSYNC_VKEEP_H
#define EDSYNC_VKEEP_H

#include <stddef.h>
#include <stdint.h>

#include "../util/status.h"

struct bundle;
struct home;
struct sb;

/* part: "" (the digest), ".expand" or ".records" (school, fields ignored) */
char *vk_slot(const struct home *h, const char *district, const char *school,
	      const char *fields, const char *part);
/* *answered: the state's request the bundle answers, 0 when none. */
es_status vk_keep(const struct home *h, struct bundle *b, const char *path,
		  uint64_t *answered, struct sb *why);
/* The current member, whole, into out (at most max bytes); 0, or -1. */
int vk_read_member(struct bundle *b, size_t max, struct sb *out);

#endif
