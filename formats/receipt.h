/*
 * receipt.h - the receipt member: what the state did with a district's
 * bundles, one line per outcome.
 *
 *   sequence,file,manifest_blake2b,outcome,at,records,orphans,held,reason,objects
 *   3,0042-0000000003-resync.bundle,<64 hex>,applied,2026-11-29T23:30:00Z,1200,2,0,,School=12;Enrollment=1188
 *
 * outcome: applied | duplicate | held (waits for a gap) | refused (reason
 * says why).  records: applied; orphans: removed; held: records held
 * because what they reference is not at the state; objects: records per
 * object.  The state writes it (receipt_header, receipt_row); the district
 * reads it with receipt_read(), which checks every line.
 */
#ifndef EDSYNC_RECEIPT_H
#define EDSYNC_RECEIPT_H

#include <stddef.h>
#include <stdint.h>

struct sb;

struct receipt_line {
	uint64_t seq;
	const char *file;
	unsigned char manifest_hash[32];
	const char *outcome;
	const char *at;
	uint64_t records, orphans, held;
	const char *reason;
	const char *objects;
};

void receipt_header(struct sb *out);
void receipt_row(struct sb *out, const struct receipt_line *l);

typedef int (*receipt_fn)(void *ctx, const struct receipt_line *l);
/* Read a whole receipt member; 0, or -1 with the reason in why. */
int receipt_read(const char *p, size_t n, receipt_fn fn, void *ctx, struct sb *why);

#endif
