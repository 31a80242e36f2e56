/*
 * ledger.h - the district's record of what the state did with its
 * bundles, from the receipts the state sent back (var/ledger.db, SQLite).
 *
 * For every bundle sequence the latest outcome a receipt reported
 * (applied, duplicate, held, refused) with its counts and reason; and every
 * receipt taken, so a receipt delivered twice counts once.  Reported on
 * failure.
 */
#ifndef EDSYNC_LEDGER_H
#define EDSYNC_LEDGER_H

#include <stdint.h>

#include "../formats/receipt.h"
#include "../util/status.h"

struct home;
struct ledger;

#define LEDGER_FILE "var/ledger.db"

es_status ledger_open(const struct home *h, struct ledger **out);
void ledger_close(struct ledger *l);
es_status ledger_begin(struct ledger *l);
es_status ledger_commit(struct ledger *l);
void ledger_rollback(struct ledger *l);

/* Has the receipt with this sequence been taken already? */
es_status ledger_receipt_taken(struct ledger *l, uint64_t receipt_seq, int *taken);
es_status ledger_take_receipt(struct ledger *l, uint64_t receipt_seq, const char *file);
/* Record one line of receipt receipt_seq: a later receipt's line wins,
 * except over applied, which is final (a later duplicate or replay of an
 * applied sequence does not undo it). */
es_status ledger_outcome(struct ledger *l, const struct receipt_line *line,
			 uint64_t receipt_seq);
/* The outcome known for bundle seq; *found 0 when none.  Strings valid
 * until the next call. */
es_status ledger_get(struct ledger *l, uint64_t seq, struct receipt_line *out, int *found);

#endif
