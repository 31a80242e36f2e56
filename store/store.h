/*
 * store.h - the state store: the records the state holds for every
 * district, behind one small interface.  SQLite is the embedded default;
 * another backend (PostgreSQL) implements the same calls.
 *
 * Each registry object has a table of its own, named after the object, with
 * the district (_district), the record's key (_key: the key fields joined
 * by NUL bytes, record.h), the record itself (_data: its packed encoding,
 * rec_pack(), every field of the object byte-exact), the sequence of the
 * bundle that last carried it (_seq) and of the
 * one that last changed it (_changed); the table's key is (_district, _key).
 * One packed column instead of a column per field halves the cost of a
 * bulk load, and keeps the table independent of the registry's fields;
 * 'edsync export' is how people read records.
 *
 * Upserts are batched: they reach SQLite in multi-row statements, flushed
 * by any other call on the store, so a batch never outlives a transaction.
 *
 * Calling sequence for a bundle: store_begin(), any number of writes,
 * store_commit() (durable when it returns) or store_rollback().  Reads may
 * run inside or outside a transaction.
 *
 * Values handed back by store_get() and store_scan() are valid until the
 * next call on the store.  Every call returns ES_OK or a status with the
 * reason already printed (the store knows the statement that failed).
 */
#ifndef EDSYNC_STORE_H
#define EDSYNC_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "../formats/record.h"
#include "../util/status.h"

struct reg_object;
struct store;

/* path: the SQLite database file (created if missing) */
es_status store_open_sqlite(const char *path, struct store **out);
void store_close(struct store *s);

es_status store_begin(struct store *s);
es_status store_commit(struct store *s);
void store_rollback(struct store *s);

/* ---- per-district bookkeeping ---- */

/* Every district the store knows, in ID order: its last applied sequence
 * and when it was applied. */
typedef es_status (*store_district_fn)(void *ctx, const char *district, uint64_t last_seq,
				       const char *updated);
es_status store_each_district(struct store *s, store_district_fn fn, void *ctx);

/*
 * Outcomes: what the state did with each bundle it could authenticate
 * (applied, duplicate, held for a gap, refused), kept until a receipt has
 * carried it to the district.  Logging an applied outcome belongs in the
 * bundle's own transaction; the others stand alone.
 */
struct store_outcome {
	const char *district;
	uint64_t seq;
	const char *file;
	const unsigned char *manifest_hash;	/* 32 bytes */
	const char *outcome;	/* applied | duplicate | held | refused */
	const char *reason;	/* "" when none */
	uint64_t records, orphans, held;
	const char *objects;	/* "School=12;Enrollment=1200" or "" */
	const char *at;		/* when (filled in when read back) */
};
es_status store_outcome_add(struct store *s, const struct store_outcome *o);
/* The district's outcomes no receipt has carried yet, oldest first; the
 * callback's data is valid during the call. */
typedef es_status (*store_outcome_fn)(void *ctx, const struct store_outcome *o);
es_status store_outcomes_pending(struct store *s, const char *district, store_outcome_fn fn,
				 void *ctx, int64_t *last);
/* Those up to last (from store_outcomes_pending) are carried now. */
es_status store_outcomes_carried(struct store *s, const char *district, int64_t last);
/* Districts with outcomes waiting for a receipt. */
es_status store_outcome_districts(struct store *s, store_district_fn fn, void *ctx);
/* The next sequence of what the state sends this district (receipts). */
es_status store_next_out_seq(struct store *s, const char *district, uint64_t *seq);

/* Last applied sequence of a district (0: none yet). */
es_status store_last_seq(struct store *s, const char *district, uint64_t *seq);

struct store_bundle {
	const char *district;
	uint64_t seq;
	const char *kind;
	const char *file;
	const unsigned char *manifest_hash;	/* 32 bytes */
	uint64_t rows;
	uint64_t orphans;
};
/* Record an applied bundle and make its sequence the district's last. */
es_status store_bundle_applied(struct store *s, const struct store_bundle *b);
/* The manifest hash of an applied bundle; *found 0 when none. */
es_status store_bundle_hash(struct store *s, const char *district, uint64_t seq,
			    unsigned char hash[32], int *found);

/* ---- records ---- */

/*
 * Insert or replace a record carried by bundle seq.  A key written twice
 * by the same bundle is ES_DATA (not reported: the caller knows the
 * bundle), from this call or the next one, since upserts are batched.
 */
es_status store_upsert(struct store *s, const struct reg_object *o, const char *district,
		       const struct rec_val *v, uint64_t seq);
/* The same with the record already encoded: its key (rec_key_encode) and
 * its packed encoding (rec_pack). */
es_status store_upsert_encoded(struct store *s, const struct reg_object *o,
			       const char *district, const char *key, size_t klen,
			       const char *data, size_t dlen, uint64_t seq);
/* Mark a record as carried by bundle seq without changing it. */
es_status store_touch(struct store *s, const struct reg_object *o, const char *district,
		      const struct rec_val *v, uint64_t seq);
/* The same by encoded key. */
es_status store_touch_key(struct store *s, const struct reg_object *o, const char *district,
			  const char *key, size_t klen, uint64_t seq);
/* Delete one record by encoded key; *deleted 0 when there was none. */
es_status store_delete_key(struct store *s, const struct reg_object *o, const char *district,
			   const char *key, size_t klen, int *deleted);
/* Delete the district's records of o not carried since bundle seq. */
es_status store_delete_unseen(struct store *s, const struct reg_object *o,
			      const char *district, uint64_t seq, uint64_t *deleted);
/* Every record of o not carried since bundle seq: its key and values. */
typedef es_status (*store_unseen_fn)(void *ctx, const char *key, size_t klen,
				     const struct rec_val *v);
es_status store_unseen_keys(struct store *s, const struct reg_object *o, const char *district,
			    uint64_t seq, store_unseen_fn fn, void *ctx);
/*
 * Orphans kept and listed rather than removed (a state's orphans = flag):
 * flag every record not carried since seq (*flagged: how many of o are
 * flagged now), or one key; clear the flags of what bundle seq carried and
 * of records no longer there; list them.
 */
es_status store_flag_unseen(struct store *s, const struct reg_object *o, const char *district,
			    uint64_t seq, uint64_t *flagged);
es_status store_flag_key(struct store *s, const struct reg_object *o, const char *district,
			 const char *key, size_t klen, uint64_t seq);
es_status store_unflag_carried(struct store *s, const struct reg_object *o,
			       const char *district, uint64_t seq);
typedef es_status (*store_orphan_fn)(void *ctx, const struct reg_object *o, const char *key,
				     size_t klen, uint64_t seq, const char *since);
es_status store_orphans_each(struct store *s, const char *district, store_orphan_fn fn,
			     void *ctx);
/* The record with v's key; *found 0 when none. out has o->nfields values. */
es_status store_get(struct store *s, const struct reg_object *o, const char *district,
		    const struct rec_val *v, struct rec_val *out, int *found);

/* Does the district have a record of o with this encoded key?  With seq
 * not NULL, the sequence of the bundle that last carried it. */
es_status store_exists(struct store *s, const struct reg_object *o, const char *district,
		       const char *key, size_t klen, int *found, uint64_t *seq);

/*
 * Held records: carried by a bundle but waiting for a record they
 * reference (a parent) that the state does not hold yet.  Kept with the
 * reason, listed by status, applied by the loader once the parent is there.
 * Holding a key again replaces what was held for it.
 */
es_status store_hold(struct store *s, const struct reg_object *o, const char *district,
		     const char *key, size_t klen, const char *data, size_t dlen,
		     uint64_t seq, const char *reason);
struct store_held {
	const struct reg_object *o;
	const char *key, *data, *reason;
	size_t klen, dlen;
	uint64_t seq;
};
/*
 * The district's held records, a chunk at a time: fills up to max entries
 * after the position in *cursor (start with 0) and advances it; *n = 0 at
 * the end.  Entries are valid until the next call on the store.
 */
es_status store_held_chunk(struct store *s, const char *district, int64_t *cursor,
			   struct store_held *out, size_t max, size_t *n);
es_status store_unhold(struct store *s, const struct reg_object *o, const char *district,
		       const char *key, size_t klen);
/* Drop what is held for o and the district from bundles before seq. */
es_status store_unhold_unseen(struct store *s, const struct reg_object *o,
			      const char *district, uint64_t seq, uint64_t *dropped);
/* How many records are held for the district (every district: NULL). */
es_status store_held_count(struct store *s, const char *district, uint64_t *n);

/*
 * Every record of the district for o, in key order (record.h), one at a
 * time: store_cursor_next() returns 1 with *v (o->nfields values) and *hash
 * (the record hash, computed from the stored record)
 * set, 0 at the end, or -1 (reported).  One cursor at a time per store.
 */
struct store_cursor;
es_status store_cursor_open(struct store *s, const struct reg_object *o,
			    const char *district, struct store_cursor **out);
int store_cursor_next(struct store_cursor *c, const struct rec_val **v,
		      const unsigned char **hash);
void store_cursor_close(struct store_cursor *c);

/* Number of the district's records of o. */
es_status store_count(struct store *s, const struct reg_object *o, const char *district,
		      uint64_t *n);

/* The last verification of a district (verify records it, status shows it). */
struct store_verification {
	const char *district;
	uint64_t digest_seq;
	const char *at;		/* YYYY-MM-DDTHH:MM:SSZ */
	int in_sync;
	uint64_t missing_at_state, missing_at_district, differences;
	char at_buf[32];	/* what at points to, after store_verification_get() */
};
es_status store_verification_put(struct store *s, const struct store_verification *v);
es_status store_verification_get(struct store *s, const char *district,
				 struct store_verification *v, int *found);

/*
 * The history of verifications: every run of 'edsync verify', with its
 * figures (report.csv text, formats/report.h), the school and fields it
 * was limited to ("" when not), and whether it was complete.  Adding a run
 * also makes it the last (store_verification_put), in one transaction.
 */
struct store_verification_run {
	struct store_verification v;
	int complete;		/* every range resolved */
	const char *school, *fields;
	const char *report;	/* report.csv text */
	int64_t id;
};
es_status store_verification_add(struct store *s, const struct store_verification_run *r);
/* The district's runs, newest first, at most max; the callback's strings
 * are valid during the call. */
typedef es_status (*store_run_fn)(void *ctx, const struct store_verification_run *r);
es_status store_verification_runs(struct store *s, const char *district, size_t max,
				  store_run_fn fn, void *ctx);

/*
 * Every record of the district for o in key order, from the first whose
 * joined key (record.h) is >= from (NULL: the first), with its joined key
 * and the sequence of the bundle that last changed it (_changed); no hash
 * computed.  store_scan_next() returns 1, 0 at the end, -1 (reported);
 * what it hands out is valid until the next call on the scan.  A scan has
 * statements of its own: several may be open at once, beside a cursor.
 */
struct store_scan;
es_status store_scan_open(struct store *s, const struct reg_object *o, const char *district,
			  const char *from, size_t flen, struct store_scan **out);
int store_scan_next(struct store_scan *c, const struct rec_val **v, const char **key,
		    size_t *klen, uint64_t *changed);
void store_scan_close(struct store_scan *c);

/*
 * Requests the state sent a district (verification requests and the like):
 * logged when sent, with a hash of their content, so that a request is not
 * sent again while the same one waits for its answer.
 */
es_status store_request_add(struct store *s, const char *district, uint64_t seq,
			    const char *what, uint64_t digest_seq, const unsigned char hash[32]);
/* The newest unanswered request with this content: *seq 0 when none;
 * at (24 bytes) when it was sent. */
es_status store_request_waiting(struct store *s, const char *district,
				const unsigned char hash[32], uint64_t *seq, char at[24]);
/* The district answered request seq (and every earlier one of that kind). */
es_status store_request_answered(struct store *s, const char *district, uint64_t seq);

#endif
