/*
 * load.c - 'edsync load' on the state: check and apply every bundle waiting
 * in the inbox, each district's in sequence order, each exactly once.
 *
 *   1. claim     every file of inbox/ -> var/claimed/ (what was claimed before a crash
 *                is still there and is taken up again)
 *   2. open      each claimed or held bundle: trusted key, signature, and
 *                only then the manifest (bundle_open); addressed to us
 *   3. order     by district, then sequence
 *   4. for each  sequence <= last applied: the same manifest is a
 *                duplicate (filed, ignored); another is a replay (refused).
 *                last + 1: one transaction: upserts, keeps, orphans, the
 *                bundle log and the district's sequence; committed, then
 *                filed as applied.  The seal authenticated every byte
 *                before anything was parsed; each member's hash is checked
 *                again as it streams by, and a mismatch rolls back.
 *                beyond: held in var/held/ until the gap is filled.
 * A refused bundle goes to var/quarantine/ with a .reason file beside it;
 * the store is unchanged.  The loader goes on with the next bundle.
 * (On a district home, load takes receipts instead: load_district.c.)
 */
#include "stages.h"
#include "scope.h"
#include "vkeep.h"
#include "../formats/announce.h"
#include "../formats/bundle.h"
#include "../formats/receipt.h"
#include "../formats/digest.h"
#include "../formats/keys.h"
#include "../formats/objcsv.h"
#include "../formats/registry.h"
#include "../formats/request.h"
#include "../formats/school.h"
#include "../pipeline/cli.h"
#include "../pipeline/home.h"
#include "../pipeline/ledger.h"
#include "../pipeline/opqueue.h"
#include "../pipeline/outbox.h"
#include "../pipeline/rotation.h"
#include "../pipeline/storeopen.h"
#include "../spool/spool.h"
#include "../store/store.h"
#include "../util/fsio.h"
#include "../util/keyset.h"
#include "../util/msg.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* Keys remembered per object for references within a bundle (16 MiB). */
#define CARRIED_MAX (1u << 20)

struct cand {
	char *name;
	int held;		/* in var/held rather than var/claimed */
	char district[MF_ID_MAX + 1];
	uint64_t seq;
	char kind[16];
	int year;
	unsigned char mhash[32];
};

/* A key announced by a key bundle of this run, not yet pinned. */
struct announced {
	unsigned char id[KEY_ID_BYTES];
	uint64_t seq;		/* the announcement's */
};

struct loader {
	struct home *h;
	struct keyring kr;	/* trusted, retired and announced keys */
	struct announced *ann;
	size_t nann;
	struct store *s;
	char *claimed, *held, *applied, *quarantine, *digests;
	size_t n_applied, n_held, n_dup, n_refused;
	es_status worst;
};

/* Where a candidate is, for messages: where the user put it, or held. */
static const char *where(const struct cand *c)
{
	return c->held ? HOME_HELD : HOME_INBOX;
}

static void quarantine(struct loader *ld, const char *dir, const char *name, const char *shown,
		       const char *reason, es_status st)
{
	char *final = NULL;
	char now[24];

	msg_error("%s/%s: refused: %s", shown, name, reason);
	ld->n_refused++;
	ld->worst = es_worst(ld->worst, st);
	if (spool_move(dir, name, ld->quarantine, &final) != ES_OK) {
		msg_error("%s/%s: cannot move it to %s: %s", shown, name, HOME_QUARANTINE,
			  strerror(errno));
		ld->worst = es_worst(ld->worst, ES_IO);
		return;
	} else {
		char *rpath = xasprintf("%s/%s.reason", ld->quarantine, final);
		char *text;

		outbox_now(now);
		text = xasprintf("bundle: %s\nrefused: %s\nstatus: %d\nat: %s\n", final, reason,
				 (int)st, now);
		if (fsio_write_atomic(rpath, text, strlen(text), 0600) < 0)
			msg_error("%s: cannot write: %s", rpath, strerror(errno));
		free(text);
		free(rpath);
	}
	free(final);
}

/* Log what happened to an authenticated bundle, for its district's receipt.
 * A failure to log is reported and costs only the receipt line. */
static void log_outcome(struct loader *ld, const struct cand *c, const char *outcome,
			const char *reason)
{
	struct store_outcome o;

	memset(&o, 0, sizeof o);
	o.district = c->district;
	o.seq = c->seq;
	o.file = c->name;
	o.manifest_hash = c->mhash;
	o.outcome = outcome;
	o.reason = reason;
	if (store_outcome_add(ld->s, &o) != ES_OK)
		ld->worst = es_worst(ld->worst, ES_IO);
}

/* ---- applying a records bundle ----
 *
 * Two threads: the producer (produce()) reads the bundle's members, checks
 * every row and encodes it with its key and hash into batches; the store's
 * thread (apply_batch()) writes the batches.  The producer owns struct
 * apply until it closes the queue; then the store's thread reads it.
 */

struct apply {
	struct loader *ld;
	const struct manifest *m;
	struct bundle *b;
	struct store *s;
	const struct reg_object *o;
	struct objcsv *oc;
	int checked_fields, full;
	struct opq *q;
	struct opq_batch *cur;
	uint64_t rows, total;
	unsigned char *complete;	/* by object index */
	uint64_t *count;		/* rows applied, by object index */
	uint64_t *orphans;		/* removed or flagged, by object index */
	es_status st;			/* the producer's */
	struct sb why;
	struct sb bwhy;			/* bundle_each_member's reason */
	/* keys this bundle carries whose references all resolved here, for
	 * the objects other objects reference (the store's thread) */
	struct hset **carried;
	uint64_t held;			/* records held: a reference is missing */
	uint64_t deletes;		/* delete rows of a change bundle */
	uint64_t answers;		/* the state's request a resync carries out */
	uint64_t deleted;		/* records they deleted (the store's thread) */
	/* the store's thread */
	struct rec_val merged[REG_MAX_FIELDS];
	struct sb mkey, mdata, reason;
};

static void apply_fail(struct apply *ap, es_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void apply_fail(struct apply *ap, es_status st, const char *fmt, ...)
{
	va_list va;
	char buf[512];

	if (ap->st != ES_OK)
		return;
	va_start(va, fmt);
	vsnprintf(buf, sizeof buf, fmt, va);
	va_end(va);
	sb_addstr(&ap->why, buf);
	ap->st = st;
}

static void batch_send(struct apply *ap)
{
	if (ap->cur && ap->cur->n)
		opq_put(ap->q, ap->cur);
	else if (ap->cur)
		opq_release(ap->q, ap->cur);
	ap->cur = NULL;
}

/* The batch the next row of this kind goes into. */
static struct opq_batch *batch_for(struct apply *ap, enum opq_kind kind)
{
	struct opq_batch *b = ap->cur;
	size_t i;

	if (b && (b->kind != kind || b->o != ap->o || b->n == OPQ_ROWS))
		batch_send(ap);
	if (!ap->cur) {
		ap->cur = opq_get(ap->q);
		if (!ap->cur) {
			apply_fail(ap, ES_IO, "the store stopped");
			return NULL;
		}
		ap->cur->kind = kind;
		ap->cur->o = ap->o;
		for (i = 0; i < ap->o->nfields; i++)
			ap->cur->present[i] = (unsigned char)objcsv_has_field(ap->oc, i);
	}
	return ap->cur;
}

/* Does every record v references travel in this bundle (applied before it)? */
static int refs_resolved(const struct apply *ap, const struct reg_object *o,
			 const struct rec_val *v)
{
	size_t i;

	for (i = 0; i < o->nfields; i++) {
		const struct reg_object *p;

		if (!o->fields[i].ref[0] || !v[i].n)
			continue;
		p = o->refobj[i];
		if (!p || !ap->carried[p->index] ||
		    !hset_has(ap->carried[p->index], XXH3_64bits(v[i].p, v[i].n)))
			return 0;
	}
	return 1;
}

static int ap_rec(void *ctx, const struct rec_val *v, uint64_t line)
{
	struct apply *ap = ctx;
	const struct reg_object *o = ap->o;
	struct opq_batch *b;
	size_t i, kl, dl;

	(void)line;
	if (ap->st != ES_OK)
		return 1;
	if (!ap->checked_fields) {
		ap->full = 1;
		for (i = 0; i < o->nfields; i++)
			if (!objcsv_has_field(ap->oc, i))
				ap->full = 0;
		ap->checked_fields = 1;
	}
	/* Fields the bundle does not carry keep what the state holds: a
	 * merge the store's thread does. */
	b = batch_for(ap, ap->full ? OPQ_UPSERT : OPQ_MERGE);
	if (!b)
		return 1;
	kl = b->keys.len;
	dl = b->datas.len;
	rec_key_encode(o, v, &b->keys);
	rec_pack(o, v, &b->datas);
	b->klen[b->n] = b->keys.len - kl;
	b->dlen[b->n] = b->datas.len - dl;
	b->n++;
	ap->rows++;
	return 0;
}

static int key_only(struct apply *ap, const struct rec_val *v, enum opq_kind kind)
{
	struct opq_batch *b;
	size_t kl;

	if (ap->st != ES_OK)
		return 1;
	b = batch_for(ap, kind);
	if (!b)
		return 1;
	kl = b->keys.len;
	rec_key_encode(ap->o, v, &b->keys);
	b->klen[b->n] = b->keys.len - kl;
	b->dlen[b->n] = 0;
	b->n++;
	ap->rows++;
	if (kind == OPQ_DELETE)
		ap->deletes++;
	return 0;
}

static int ap_keep(void *ctx, const struct rec_val *v, uint64_t line)
{
	(void)line;
	return key_only(ctx, v, OPQ_TOUCH);
}

/* A change member's row: an upsert (merged when not every field comes) or
 * a delete, in the order of the member. */
static int ap_change(void *ctx, const struct rec_val *v, uint64_t line)
{
	struct apply *ap = ctx;

	if (objcsv_op(ap->oc) == OBJCSV_DELETE)
		return key_only(ap, v, OPQ_DELETE);
	return ap_rec(ctx, v, line);
}

static void ap_rej(void *ctx, const struct objcsv_reject *r)
{
	struct apply *ap = ctx;

	apply_fail(ap, ES_DATA, "member %s.csv line %" PRIu64 ": %s%s%s", ap->o->name, r->line,
		   r->field ? r->field : "", r->field ? ": " : "", r->reason);
}

/*
 * The store's thread: apply a record whose references this bundle did not
 * vouch for, or hold it when a record it references is not at the state.
 * Held, its earlier version (if any) is kept as it is, not an orphan.
 * *applied (if not NULL) tells which happened.
 */
static es_status upsert_or_hold(struct apply *ap, const struct reg_object *o, const char *key,
				size_t klen, const char *data, size_t dlen, uint64_t seq,
				int *applied)
{
	/* applied != NULL: releasing; a record still waiting stays as held */
	const char *d = ap->m->district;
	struct rec_val v[REG_MAX_FIELDS];
	es_status st = ES_OK;
	size_t i;

	if (applied)
		*applied = 0;
	if (rec_unpack(o, data, dlen, v) < 0)
		return ES_SOFTWARE;
	for (i = 0; i < o->nfields; i++) {
		const struct reg_object *p;
		int found = 0;

		if (!o->fields[i].ref[0] || !v[i].n)
			continue;
		p = o->refobj[i];
		if (!p)
			continue;
		st = store_exists(ap->s, p, d, v[i].p, v[i].n, &found, NULL);
		if (st != ES_OK)
			return st;
		if (!found && applied)
			return ES_OK;
		if (!found) {
			char q[MSG_QUOTE_MAX];

			sb_reset(&ap->reason);
			sb_addf(&ap->reason, "%s %s (%s) is not at the state", p->name,
				msg_quote(q, v[i].p, v[i].n), o->fields[i].name);
			st = store_hold(ap->s, o, d, key, klen, data, dlen, seq, ap->reason.buf);
			if (st == ES_OK)
				st = store_touch_key(ap->s, o, d, key, klen, seq);
			ap->held++;
			return st;
		}
	}
	if (applied)
		*applied = 1;
	return store_upsert_encoded(ap->s, o, d, key, klen, data, dlen, seq);
}

/*
 * After a bundle: the district's held records whose references have
 * arrived are applied, unless a later version of the record is there.
 */
static es_status release_held(struct apply *ap, uint64_t *released)
{
	struct store_held h[256];
	int64_t cursor = 0;
	size_t n, i;
	es_status st;

	*released = 0;
	for (;;) {
		st = store_held_chunk(ap->s, ap->m->district, &cursor, h, 256, &n);
		if (st != ES_OK || n == 0)
			return st;
		/* The chunk's memory is the store's: copy what we keep. */
		for (i = 0; i < n && st == ES_OK; i++) {
			struct sb key = SB_INIT, data = SB_INIT;
			uint64_t cur_seq = 0, seq = h[i].seq;
			const struct reg_object *o = h[i].o;
			int found = 0, applied = 0;

			sb_add(&key, h[i].key, h[i].klen);
			sb_add(&data, h[i].data, h[i].dlen);
			st = store_exists(ap->s, o, ap->m->district, key.buf, key.len, &found, &cur_seq);
			if (st == ES_OK && found && cur_seq > seq) {
				st = store_unhold(ap->s, o, ap->m->district, key.buf, key.len);
			} else if (st == ES_OK) {
				st = upsert_or_hold(ap, o, key.buf, key.len, data.buf, data.len, seq,
						    &applied);
				if (st == ES_OK && applied) {
					st = store_unhold(ap->s, o, ap->m->district, key.buf, key.len);
					(*released)++;
				}
			}
			sb_release(&key);
			sb_release(&data);
			if (st == ES_OK && i + 1 == n)
				break;
		}
		if (st != ES_OK)
			return st;
		if (n < 256)
			return ES_OK;
		/* the held rows released were deleted; the cursor still moves on */
	}
}

/* The store's thread: write one batch. */
static es_status apply_batch(struct apply *ap, struct opq_batch *b)
{
	const struct reg_object *o = b->o;
	const char *d = ap->m->district;
	uint64_t seq = ap->m->sequence;
	size_t i, ko = 0, dof = 0;
	es_status st = ES_OK;

	for (i = 0; st == ES_OK && i < b->n; i++) {
		const char *key = b->keys.buf + ko, *data = b->datas.buf + dof;

		ko += b->klen[i];
		dof += b->dlen[i];
		if (b->kind == OPQ_UPSERT) {
			struct rec_val v[REG_MAX_FIELDS];

			/* References here, on the store's thread, which would
			 * otherwise wait for the reading one. */
			if (rec_unpack(o, data, b->dlen[i], v) < 0)
				return ES_SOFTWARE;
			if (refs_resolved(ap, o, v)) {
				/* Only a record sure to be applied vouches for its
				 * children.  Past CARRIED_MAX keys the children ask the
				 * store instead: slower, but memory stays bounded. */
				if (ap->carried[o->index] &&
				    hset_count(ap->carried[o->index]) < CARRIED_MAX)
					hset_add(ap->carried[o->index], rec_key_hash64(o, v));
				st = store_upsert_encoded(ap->s, o, d, key, b->klen[i], data,
							  b->dlen[i], seq);
			} else {
				st = upsert_or_hold(ap, o, key, b->klen[i], data, b->dlen[i], seq,
						    NULL);
			}
		} else if (b->kind == OPQ_TOUCH) {
			st = store_touch_key(ap->s, o, d, key, b->klen[i], seq);
		} else if (b->kind == OPQ_DELETE) {
			int gone = 0;

			/* and whatever was held for it: a later version no longer */
			st = store_delete_key(ap->s, o, d, key, b->klen[i], &gone);
			if (st == ES_OK)
				st = store_unhold(ap->s, o, d, key, b->klen[i]);
			ap->deleted += (uint64_t)gone;
		} else {
			struct rec_val v[REG_MAX_FIELDS], old[REG_MAX_FIELDS];
			int found = 0;
			size_t f;

			if (rec_unpack(o, data, b->dlen[i], v) < 0)
				return ES_SOFTWARE;
			st = store_get(ap->s, o, d, v, old, &found);
			for (f = 0; st == ES_OK && f < o->nfields; f++) {
				if (b->present[f])
					ap->merged[f] = v[f];
				else if (found)
					ap->merged[f] = old[f];
				else
					ap->merged[f].p = "", ap->merged[f].n = 0;
			}
			if (st == ES_OK) {
				struct sb *pk = &ap->mkey;

				sb_reset(pk);
				sb_reset(&ap->mdata);
				rec_key_encode(o, ap->merged, pk);
				rec_pack(o, ap->merged, &ap->mdata);
				st = upsert_or_hold(ap, o, pk->buf, pk->len, ap->mdata.buf,
						    ap->mdata.len, seq, NULL);
			}
		}
	}
	return st;
}

static int digest_check_row(void *ctx, const struct rec_val *keys,
			    const unsigned char hash[REC_HASH_BYTES], int dup)
{
	(void)ctx;
	(void)keys;
	(void)hash;
	(void)dup;
	return 0;
}

/* A resync carrying out the state's request names it: answered once applied. */
static es_status take_answered(struct apply *ap, struct bundle *b, const struct mf_member *mm)
{
	struct request rq;
	struct sb text = SB_INIT, why = SB_INIT;

	if (vk_read_member(b, RQ_MAX_BYTES, &text) < 0) {
		apply_fail(ap, ES_REFUSED, "member %s is damaged or too long", mm->name);
	} else if (rq_parse(text.buf ? text.buf : "", text.len, &rq, &why) < 0) {
		apply_fail(ap, ES_DATA, "member %s: %s", mm->name, why.buf);
	} else {
		if (rq.what != RQ_RESYNC)
			apply_fail(ap, ES_DATA, "member %s: a resync answers a resync request, "
				   "not a %s request", mm->name, rq_what_name(rq.what));
		ap->answers = rq.request;
		rq_free(&rq);
	}
	sb_release(&text);
	sb_release(&why);
	return ap->st;
}

static es_status apply_member(void *ctx, struct bundle *b, const struct mf_member *mm)
{
	struct apply *ap = ctx;
	const struct reg_object *o = reg_find(mm->object);
	char buf[1 << 16];
	ssize_t r;

	ap->o = o;
	ap->rows = 0;
	ap->checked_fields = 0;
	if (mm->type == MF_REQUEST && !strcmp(ap->m->kind, "resync"))
		return take_answered(ap, b, mm);
	if (!strcmp(ap->m->kind, "digest") ? mm->type != MF_DIGEST
	    : !strcmp(ap->m->kind, "changes") ? mm->type != MF_CHANGES
	    : mm->type != MF_RECORDS && mm->type != MF_KEEP) {
		apply_fail(ap, ES_DATA, "member %s does not belong in a %s bundle", mm->name,
			   ap->m->kind);
		return ap->st;
	}
	if (!reg_sent_by_state(o, ap->m->state)) {
		apply_fail(ap, ES_DATA, "carries %s, which districts of %s do not send", o->name,
			   ap->m->state);
		return ap->st;
	}
	if (mm->type == MF_DIGEST) {
		struct digest_reader *dr = digest_reader_new(o, digest_check_row, ap);

		while ((r = bundle_member_read(b, buf, sizeof buf)) > 0)
			if (digest_reader_feed(dr, buf, (size_t)r) != 0)
				break;
		if (r == 0)
			digest_reader_finish(dr);
		if (r < 0)
			apply_fail(ap, ES_REFUSED, "member %s is damaged", mm->name);
		else if (digest_reader_error(dr))
			apply_fail(ap, ES_DATA, "member %s: %s", mm->name, digest_reader_error(dr));
		else if (digest_reader_rows(dr) != mm->rows)
			apply_fail(ap, ES_DATA, "member %s has %" PRIu64 " rows, the manifest says %"
				   PRIu64, mm->name, digest_reader_rows(dr), mm->rows);
		digest_reader_free(dr);
		return ap->st;
	}
	/* No set of every key to find duplicates: the store finds a key written
	 * twice by one bundle (store_upsert). */
	ap->oc = mm->type == MF_CHANGES ? objcsv_new(o, OBJCSV_OPS, ap_change, ap_rej, ap)
		: objcsv_new(o, mm->type == MF_KEEP ? OBJCSV_KEYS : 0,
			     mm->type == MF_KEEP ? ap_keep : ap_rec, ap_rej, ap);
	while ((r = bundle_member_read(b, buf, sizeof buf)) > 0)
		if (objcsv_feed(ap->oc, buf, (size_t)r) != 0)
			break;
	if (r == 0 && ap->st == ES_OK)
		objcsv_finish(ap->oc);
	if (r < 0)
		apply_fail(ap, ES_REFUSED, "member %s is damaged", mm->name);
	if (ap->st == ES_OK && !objcsv_header_ok(ap->oc))
		apply_fail(ap, ES_DATA, "member %s has no usable header", mm->name);
	if (ap->st == ES_OK && ap->rows != mm->rows)
		apply_fail(ap, ES_DATA, "member %s has %" PRIu64 " rows, the manifest says %" PRIu64,
			   mm->name, ap->rows, mm->rows);
	if (ap->st == ES_OK)
		batch_send(ap);
	objcsv_free(ap->oc);
	ap->oc = NULL;
	if (ap->st == ES_OK && (mm->type == MF_RECORDS || mm->type == MF_CHANGES)) {
		if (mm->complete && !strcmp(ap->m->kind, "resync"))
			ap->complete[o->index] = 1;
		ap->count[o->index] += ap->rows;
		ap->total += ap->rows;
	}
	return ap->st;
}

/* The producer thread: every member, then no more batches. */
static void *produce(void *arg)
{
	struct apply *ap = arg;
	es_status st = bundle_each_member(ap->b, apply_member, ap, &ap->bwhy);

	if (st != ES_OK && ap->st == ES_OK) {
		ap->st = st;
		sb_addstr(&ap->why, ap->bwhy.buf ? ap->bwhy.buf : "");
	}
	if (ap->cur)
		opq_release(ap->q, ap->cur);
	ap->cur = NULL;
	opq_close(ap->q);
	return NULL;
}

/* Apply the records of bundle b on two threads; the store's status. */
static es_status apply_records(struct apply *ap)
{
	struct opq_batch *bt;
	pthread_t t;
	es_status cst = ES_OK;

	ap->q = opq_new();
	if (pthread_create(&t, NULL, produce, ap) != 0) {
		opq_free(ap->q);
		msg_error("load: cannot start a thread");
		return ES_IO;
	}
	while ((bt = opq_take(ap->q)) != NULL) {
		if (cst == ES_OK) {
			cst = apply_batch(ap, bt);
			if (cst != ES_OK)
				opq_abort(ap->q);
		}
		opq_release(ap->q, bt);
	}
	pthread_join(t, NULL);
	opq_free(ap->q);
	ap->q = NULL;
	return cst;
}

/* Copy a digest bundle to var/digests/<district>.bundle, replacing the last. */
static es_status keep_digest(struct loader *ld, const char *path, const char *district,
			     struct sb *why)
{
	char *dest = xasprintf("%s/%s.bundle", ld->digests, district);
	es_status st = ES_OK;

	if (fsio_copy(path, dest, 0600) < 0) {
		sb_addf(why, "cannot keep the digest: %s", strerror(errno));
		st = ES_IO;
	}
	free(dest);
	return st;
}

/* The provisional key announced by an opened key bundle, if any. */
static const struct announced *announced_find(const struct loader *ld, const unsigned char *id)
{
	size_t i;

	for (i = 0; i < ld->nann; i++)
		if (!memcmp(ld->ann[i].id, id, KEY_ID_BYTES))
			return &ld->ann[i];
	return NULL;
}

/*
 * May the key that signed b sign its sequence?  A retired key signs up to
 * the sequence of the announcement that retired it; a key announced in
 * this run (and not pinned yet) signs only after its announcement.
 */
static es_status key_allows(const struct loader *ld, struct bundle *b, struct sb *why)
{
	const struct key_pub *k = bundle_key(b);
	const struct manifest *m = bundle_manifest(b);
	const struct announced *a = announced_find(ld, k->id);
	char id[2 * KEY_ID_BYTES + 1];

	key_id_hex(k->id, id);
	if (k->retired_after && m->sequence > k->retired_after) {
		sb_addf(why, "signed by key %s, which district %s retired after sequence %" PRIu64,
			id, k->owner, k->retired_after);
		return ES_REFUSED;
	}
	if (a && m->sequence <= a->seq) {
		sb_addf(why, "signed by key %s, which district %s announced only in sequence %"
			PRIu64, id, k->owner, a->seq);
		return ES_REFUSED;
	}
	return ES_OK;
}

/*
 * A key bundle: pin the announced key and retire the one that signed it,
 * the key files first and then the bundle's log, so that a crash between
 * the two applies the bundle again (the retired key still signs its
 * sequence) and writes the same files.
 */
static void apply_key(struct loader *ld, struct cand *c, struct bundle **bp, const char *dir)
{
	struct key_pub old = *bundle_key(*bp), next;
	struct sb why = SB_INIT;
	char oldid[2 * KEY_ID_BYTES + 1], newid[2 * KEY_ID_BYTES + 1], objs[64];
	const struct key_pub *known;
	es_status st = announce_read(*bp, &next, &why);
	size_t i;

	known = st == ES_OK ? keyring_find(&ld->kr, next.id) : NULL;
	if (known && known->retired_after) {
		sb_addstr(&why, "key.pub announces a retired key");
		st = ES_DATA;
	}
	if (st != ES_OK) {
		log_outcome(ld, c, "refused", why.buf);
		quarantine(ld, dir, c->name, where(c), why.buf, st);
		goto out;
	}
	key_id_hex(old.id, oldid);
	key_id_hex(next.id, newid);
	if (rotation_pin(ld->h, &old, &next, c->seq) != ES_OK) {
		ld->worst = es_worst(ld->worst, ES_IO);
		goto out;
	}
	snprintf(objs, sizeof objs, "key=%s", newid);
	st = store_begin(ld->s);
	if (st == ES_OK) {
		struct store_bundle sb = {
			c->district, c->seq, c->kind, c->name, c->mhash, 0, 0
		};

		st = store_bundle_applied(ld->s, &sb);
	}
	if (st == ES_OK) {
		struct store_outcome o;

		memset(&o, 0, sizeof o);
		o.district = c->district;
		o.seq = c->seq;
		o.file = c->name;
		o.manifest_hash = c->mhash;
		o.outcome = "applied";
		o.reason = "";
		o.objects = objs;
		st = store_outcome_add(ld->s, &o);
	}
	if (st == ES_OK)
		st = store_commit(ld->s);
	if (st != ES_OK) {
		store_rollback(ld->s);
		ld->worst = es_worst(ld->worst, ES_IO);
		goto out;
	}
	/* this run's keyring follows the files */
	bundle_close(*bp);
	*bp = NULL;
	for (i = 0; i < ld->kr.n; i++)
		if (!memcmp(ld->kr.keys[i].id, old.id, KEY_ID_BYTES))
			ld->kr.keys[i].retired_after = c->seq;
	if (!keyring_find(&ld->kr, next.id))
		keyring_add(&ld->kr, &next);
	for (i = 0; i < ld->nann; i++)
		if (!memcmp(ld->ann[i].id, next.id, KEY_ID_BYTES))
			ld->ann[i] = ld->ann[--ld->nann];
	if (spool_move(dir, c->name, ld->applied, NULL) != ES_OK)
		msg_warn("%s/%s: applied, but cannot file it: %s", where(c), c->name,
			 strerror(errno));
	ld->n_applied++;
	printf("applied %s: district %s, sequence %" PRIu64 ": key %s replaces key %s\n",
	       c->name, c->district, c->seq, newid, oldid);
out:
	sb_release(&why);
}

/*
 * A verify bundle (a digest, or a district's answer to the state's
 * request): its members checked and the bundle kept for verify
 * (stages/vkeep.h), then logged as applied in the district's sequence; a
 * request it answers is answered.
 */
static void apply_verify(struct loader *ld, struct cand *c, struct bundle *b, const char *dir,
			 const char *path)
{
	struct sb why = SB_INIT;
	uint64_t answered = 0;
	es_status st = vk_keep(ld->h, b, path, &answered, &why);

	if (st == ES_IO) {
		msg_error("%s: %s", HOME_DIGESTS, why.buf);
		ld->worst = es_worst(ld->worst, ES_IO);
		goto out;
	}
	if (st != ES_OK) {
		log_outcome(ld, c, "refused", why.buf);
		quarantine(ld, dir, c->name, where(c), why.buf, st);
		goto out;
	}
	st = store_begin(ld->s);
	if (st == ES_OK) {
		struct store_bundle sb = {
			c->district, c->seq, c->kind, c->name, c->mhash, 0, 0
		};

		st = store_bundle_applied(ld->s, &sb);
	}
	if (st == ES_OK && answered)
		st = store_request_answered(ld->s, c->district, answered);
	if (st == ES_OK) {
		struct store_outcome o;

		memset(&o, 0, sizeof o);
		o.district = c->district;
		o.seq = c->seq;
		o.file = c->name;
		o.manifest_hash = c->mhash;
		o.outcome = "applied";
		o.reason = "";
		o.objects = "";
		st = store_outcome_add(ld->s, &o);
	}
	if (st == ES_OK)
		st = store_commit(ld->s);
	if (st != ES_OK) {
		store_rollback(ld->s);
		ld->worst = es_worst(ld->worst, ES_IO);
		goto out;
	}
	if (spool_move(dir, c->name, ld->applied, NULL) != ES_OK)
		msg_warn("%s/%s: applied, but cannot file it: %s", where(c), c->name,
			 strerror(errno));
	ld->n_applied++;
	printf("applied %s: district %s, sequence %" PRIu64 ": kept for verify%s\n", c->name,
	       c->district, c->seq, answered ? " (an answer to the state's request)" : "");
out:
	sb_release(&why);
}

/* ---- orphans: what a complete resync did not carry ---- */

/* The school a bundle's scope names ("school:N"), or NULL. */
static const char *scope_school(const struct manifest *m)
{
	return !strncmp(m->scope, "school:", 7) ? m->scope + 7 : NULL;
}

struct in_school {
	struct school_scope *sc;
	const struct reg_object *o;
	struct sb keys;		/* each: 4-byte length, then the key */
	size_t n;
};

static es_status collect_in_school(void *ctx, const char *key, size_t klen,
				   const struct rec_val *v)
{
	struct in_school *x = ctx;
	uint32_t len = (uint32_t)klen;

	if (!sc_in(x->sc, x->o, v))
		return ES_OK;
	sb_add(&x->keys, &len, sizeof len);
	sb_add(&x->keys, key, klen);
	x->n++;
	return ES_OK;
}

/* The school's records of o that bundle seq did not carry: deleted or flagged. */
static es_status orphans_in_school(struct loader *ld, const struct reg_object *o,
				   const char *district, uint64_t seq,
				   struct school_scope *sc, uint64_t *n)
{
	struct in_school x;
	es_status st;
	size_t p = 0;

	memset(&x, 0, sizeof x);
	x.sc = sc;
	x.o = o;
	*n = 0;
	/* collected first: the table is not changed under its own scan */
	st = store_unseen_keys(ld->s, o, district, seq, collect_in_school, &x);
	while (st == ES_OK && p < x.keys.len) {
		uint32_t len;
		const char *key;
		int gone = 0;

		memcpy(&len, x.keys.buf + p, sizeof len);
		key = x.keys.buf + p + sizeof len;
		p += sizeof len + len;
		if (ld->h->cfg.orphans_flag) {
			st = store_flag_key(ld->s, o, district, key, len, seq);
			gone = 1;
		} else {
			st = store_delete_key(ld->s, o, district, key, len, &gone);
			if (st == ES_OK)
				st = store_unhold(ld->s, o, district, key, len);
		}
		*n += (uint64_t)gone;
	}
	sb_release(&x.keys);
	return st;
}

/*
 * After a resync's records: for each object it carries complete, what it
 * did not carry goes (or, with [load] orphans = flag, is listed); only the
 * school's records when its scope is a school.  Flags of records carried
 * again are cleared.
 */
static es_status remove_orphans(struct loader *ld, struct apply *ap, uint64_t *total)
{
	const char *school = scope_school(ap->m), *d = ap->m->district;
	struct school_scope *sc = NULL;
	uint64_t seq = ap->m->sequence;
	es_status st = ES_OK;
	size_t i;

	for (i = 0; st == ES_OK && i < reg_count(); i++) {
		const struct reg_object *o = reg_at(i);
		uint64_t n = 0, dropped = 0;

		/* a record not the school's own (a person) missing from its
		 * resync is no orphan: it may belong to another school now */
		if (!ap->complete[i] || (school && !sc_owned(o)))
			continue;
		if (school) {
			if (!sc)
				st = scope_school_store(ld->s, d, school, &sc);
			if (st == ES_OK)
				st = orphans_in_school(ld, o, d, seq, sc, &n);
		} else if (ld->h->cfg.orphans_flag) {
			st = store_flag_unseen(ld->s, o, d, seq, &n);
		} else {
			st = store_delete_unseen(ld->s, o, d, seq, &n);
			/* what earlier bundles left held for this object is superseded */
			if (st == ES_OK)
				st = store_unhold_unseen(ld->s, o, d, seq, &dropped);
		}
		ap->orphans[i] = n;
		*total += n;
	}
	for (i = 0; st == ES_OK && i < reg_count(); i++)
		if (ap->count[i] || ap->complete[i])
			st = store_unflag_carried(ld->s, reg_at(i), d, seq);
	sc_free(sc);
	return st;
}

static void apply_one(struct loader *ld, struct cand *c)
{
	const char *dir = c->held ? ld->held : ld->claimed;
	char *path = xpath(dir, c->name);
	struct bundle *b = NULL;
	struct apply ap;
	struct sb why = SB_INIT;
	uint64_t orphans = 0, released = 0;
	es_status st;
	size_t i;

	memset(&ap, 0, sizeof ap);
	st = bundle_open(path, &ld->kr, &b, &why);
	if (st == ES_OK)
		st = key_allows(ld, b, &why);
	if (st != ES_OK) {
		quarantine(ld, dir, c->name, where(c), why.buf, st);
		goto out;
	}
	if (!strcmp(bundle_manifest(b)->kind, "key")) {
		apply_key(ld, c, &b, dir);
		goto out;
	}
	if (!strcmp(bundle_manifest(b)->kind, "verify")) {
		apply_verify(ld, c, b, dir, path);
		goto out;
	}
	ap.ld = ld;
	ap.m = bundle_manifest(b);
	ap.s = ld->s;
	ap.complete = xcalloc(reg_count(), 1);
	ap.count = xcalloc(reg_count(), sizeof *ap.count);
	ap.orphans = xcalloc(reg_count(), sizeof *ap.orphans);
	ap.carried = xcalloc(reg_count(), sizeof *ap.carried);
	for (i = 0; i < reg_count(); i++) {
		const struct reg_object *o = reg_at(i);
		size_t f;

		for (f = 0; f < o->nfields; f++) {
			const struct reg_object *p = o->refobj[f];

			if (p && !ap.carried[p->index])
				ap.carried[p->index] = hset_new();
		}
	}
	/* as large as the bundle says they will get */
	for (i = 0; i < ap.m->nmembers; i++) {
		const struct reg_object *o = reg_find(ap.m->members[i].object);

		if (o && ap.carried[o->index] && ap.m->members[i].type == MF_RECORDS)
			hset_reserve(ap.carried[o->index], ap.m->members[i].rows < CARRIED_MAX ?
				     (size_t)ap.m->members[i].rows : CARRIED_MAX);
	}
	if (store_begin(ld->s) != ES_OK) {
		ld->worst = es_worst(ld->worst, ES_IO);
		goto out;
	}
	ap.b = b;
	st = apply_records(&ap);
	if (st == ES_OK) {
		st = ap.st;
	} else if (st == ES_DATA) {
		sb_reset(&ap.why);
		sb_addstr(&ap.why, "the bundle carries a record's key twice");
	} else if (ap.st == ES_IO || ap.st == ES_OK) {
		sb_reset(&ap.why);	/* the store's failure, already reported */
	}
	if (st == ES_OK)
		st = remove_orphans(ld, &ap, &orphans);
	/* a change bundle's deletes are the records it removed */
	orphans += ap.deleted;
	if (st == ES_OK)
		st = release_held(&ap, &released);
	if (st == ES_OK && !strcmp(ap.m->kind, "digest")) {
		/* our own disk's trouble: reported, the bundle stays for a retry */
		sb_reset(&why);
		st = keep_digest(ld, path, ap.m->district, &why);
		if (st != ES_OK)
			msg_error("%s: %s", HOME_DIGESTS, why.buf);
	}
	if (st == ES_OK) {
		struct store_bundle sb = {
			ap.m->district, ap.m->sequence, ap.m->kind, c->name,
			bundle_manifest_hash(b), ap.total, orphans
		};

		st = store_bundle_applied(ld->s, &sb);
	}
	if (st == ES_OK && ap.answers)
		st = store_request_answered(ld->s, ap.m->district, ap.answers);
	if (st == ES_OK) {
		/* the receipt's line, in the same transaction as the records */
		struct store_outcome o;
		struct sb objs = SB_INIT;

		for (i = 0; i < reg_count(); i++) {
			if (!ap.count[i] && !ap.complete[i])
				continue;
			sb_addf(&objs, "%s%s=%" PRIu64, objs.len ? ";" : "", reg_at(i)->name,
				ap.count[i]);
			if (ap.orphans[i])
				sb_addf(&objs, "/%" PRIu64, ap.orphans[i]);
		}
		memset(&o, 0, sizeof o);
		o.district = c->district;
		o.seq = c->seq;
		o.file = c->name;
		o.manifest_hash = c->mhash;
		o.outcome = "applied";
		o.reason = "";
		o.records = ap.total - ap.deletes - ap.held;
		o.orphans = orphans;
		o.held = ap.held;
		o.objects = objs.len ? objs.buf : "";
		st = store_outcome_add(ld->s, &o);
		sb_release(&objs);
	}
	if (st == ES_OK)
		st = store_commit(ld->s);
	if (st != ES_OK) {
		store_rollback(ld->s);
		if (st == ES_IO && !ap.why.len) {
			ld->worst = es_worst(ld->worst, ES_IO);
			goto out;
		}
		log_outcome(ld, c, "refused", ap.why.len ? ap.why.buf : "not applied");
		quarantine(ld, dir, c->name, where(c), ap.why.len ? ap.why.buf : "not applied", st);
		goto out;
	}
	if (spool_move(dir, c->name, ld->applied, NULL) != ES_OK) {
		/* Applied and committed: a retry finds it a duplicate. */
		msg_warn("%s/%s: applied, but cannot file it: %s", where(c), c->name,
			 strerror(errno));
	}
	ld->n_applied++;
	if (!strcmp(ap.m->kind, "digest")) {
		printf("applied %s: district %s, sequence %" PRIu64 ": digest kept for verify\n",
		       c->name, ap.m->district, ap.m->sequence);
	} else if (!strcmp(ap.m->kind, "changes")) {
		uint64_t ups = ap.total - ap.deletes;

		printf("applied %s: district %s, sequence %" PRIu64 ": %" PRIu64 " upsert%s, %"
		       PRIu64 " delete%s (%" PRIu64 " record%s removed)\n", c->name, ap.m->district,
		       ap.m->sequence, ups, ups == 1 ? "" : "s", ap.deletes,
		       ap.deletes == 1 ? "" : "s", ap.deleted, ap.deleted == 1 ? "" : "s");
		if (ap.held)
			printf("  held %" PRIu64 " record%s: a record they reference is not at the "
			       "state ('edsync status' lists them)\n", ap.held, ap.held == 1 ? "" : "s");
		if (released)
			printf("  released %" PRIu64 " held record%s: what they reference has "
			       "arrived\n", released, released == 1 ? "" : "s");
	} else {
		printf("applied %s: district %s, sequence %" PRIu64 ": %" PRIu64 " record%s, %"
		       PRIu64 " orphan%s %s\n", c->name, ap.m->district, ap.m->sequence,
		       ap.total, ap.total == 1 ? "" : "s", orphans, orphans == 1 ? "" : "s",
		       ld->h->cfg.orphans_flag ? "flagged" : "removed");
		if (ap.answers)
			printf("  carries out request %" PRIu64 " of the state\n", ap.answers);
		if (ap.held)
			printf("  held %" PRIu64 " record%s: a record they reference is not at the "
			       "state ('edsync status' lists them)\n", ap.held, ap.held == 1 ? "" : "s");
		if (released)
			printf("  released %" PRIu64 " held record%s: what they reference has "
			       "arrived\n", released, released == 1 ? "" : "s");
		for (i = 0; i < reg_count(); i++) {
			if (!ap.count[i] && !ap.complete[i])
				continue;
			printf("  %-32s %10" PRIu64, reg_at(i)->name, ap.count[i]);
			if (ap.orphans[i])
				printf("  %" PRIu64 " orphan%s %s", ap.orphans[i],
				       ap.orphans[i] == 1 ? "" : "s",
				       ld->h->cfg.orphans_flag ? "flagged" : "removed");
			printf("\n");
		}
	}
out:
	bundle_close(b);
	sb_release(&why);
	for (i = 0; ap.carried && i < reg_count(); i++)
		hset_free(ap.carried[i]);
	free(ap.carried);
	sb_release(&ap.mkey);
	sb_release(&ap.mdata);
	sb_release(&ap.reason);
	sb_release(&ap.why);
	sb_release(&ap.bwhy);
	free(ap.complete);
	free(ap.count);
	free(ap.orphans);
	free(path);
}

/* ---- claiming and ordering ---- */

static void claim_inbox(struct loader *ld)
{
	char *inbox = home_path(ld->h, HOME_INBOX);
	char **names;
	size_t n, i;

	if (spool_list(inbox, "", &names, &n) != ES_OK) {
		msg_error("%s: cannot list: %s", inbox, strerror(errno));
		ld->worst = es_worst(ld->worst, ES_IO);
		free(inbox);
		return;
	}
	for (i = 0; i < n; i++)
		if (spool_move(inbox, names[i], ld->claimed, NULL) != ES_OK) {
			msg_error("%s/%s: cannot claim: %s", HOME_INBOX, names[i], strerror(errno));
			ld->worst = es_worst(ld->worst, ES_IO);
		}
	spool_list_free(names, n);
	free(inbox);
}

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	int c = strcmp(x->district, y->district);

	if (c)
		return c;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Trust, for this run, the key a key bundle announces: for its own district,
 * for the sequences after the announcement.  Pinned when it is applied. */
static int take_announcement(struct loader *ld, struct bundle *b)
{
	const struct manifest *m = bundle_manifest(b);
	struct key_pub next;
	struct announced a;
	struct sb why = SB_INIT;
	int added = 0;

	if (announce_read(b, &next, &why) == ES_OK && !keyring_find(&ld->kr, next.id)) {
		memcpy(a.id, next.id, KEY_ID_BYTES);
		a.seq = m->sequence;
		ld->ann = xrealloc(ld->ann, (ld->nann + 1) * sizeof *ld->ann);
		ld->ann[ld->nann++] = a;
		added = 1;
	}
	/* a bad announcement is refused when its turn comes */
	sb_release(&why);
	if (added)
		keyring_add(&ld->kr, &next);
	return added;
}

struct found {
	char *name;
	int held;
	struct sb why;
	es_status st;
};

/* Open one claimed or held file: a candidate, or why it is refused. */
static int open_candidate(struct loader *ld, struct found *f, struct cand **cs, size_t *nc,
			  int *announced)
{
	char *path = xpath(f->held ? ld->held : ld->claimed, f->name);
	struct bundle *b = NULL;
	es_status st;

	sb_reset(&f->why);
	st = bundle_open(path, &ld->kr, &b, &f->why);
	if (st == ES_OK && strcmp(bundle_manifest(b)->state, ld->h->cfg.state) != 0) {
		sb_addf(&f->why, "addressed to state %s, this is %s",
			bundle_manifest(b)->state, ld->h->cfg.state);
		st = ES_REFUSED;
	}
	if (st == ES_OK && !strcmp(bundle_manifest(b)->kind, "receipt")) {
		sb_addstr(&f->why, "a receipt is for a district, not for the state");
		st = ES_DATA;
	}
	if (st == ES_OK)
		st = key_allows(ld, b, &f->why);
	f->st = st;
	if (st == ES_OK) {
		const struct manifest *m = bundle_manifest(b);
		struct cand c;

		memset(&c, 0, sizeof c);
		c.held = f->held;
		c.name = f->name;
		snprintf(c.district, sizeof c.district, "%s", m->district);
		snprintf(c.kind, sizeof c.kind, "%s", m->kind);
		c.seq = m->sequence;
		c.year = m->year;
		memcpy(c.mhash, bundle_manifest_hash(b), 32);
		*cs = xrealloc(*cs, (*nc + 1) * sizeof **cs);
		(*cs)[(*nc)++] = c;
		if (!strcmp(m->kind, "key"))
			*announced = take_announcement(ld, b);
	}
	bundle_close(b);
	free(path);
	return st == ES_OK;
}

/*
 * Open every claimed and held file.  A bundle signed by a key that a key
 * bundle among them announces opens once that announcement is read: the
 * rounds go on while they find new keys.  What never opens is refused.
 */
static void gather(struct loader *ld, struct cand **cs, size_t *nc)
{
	struct found *fs = NULL;
	size_t n = 0, i, left;
	int pass, more = 1;

	for (pass = 0; pass < 2; pass++) {
		char *dir = pass ? ld->held : ld->claimed, **names;
		size_t k, count;

		if (spool_list(dir, "", &names, &count) != ES_OK)
			continue;
		fs = xrealloc(fs, (n + count) * sizeof *fs);
		for (k = 0; k < count; k++) {
			memset(&fs[n], 0, sizeof fs[n]);
			fs[n].name = names[k];
			fs[n++].held = pass;
		}
		free(names);
	}
	left = n;
	while (more && left) {
		more = 0;
		for (i = 0; i < n; i++) {
			int announced = 0;

			if (!fs[i].name || !open_candidate(ld, &fs[i], cs, nc, &announced))
				continue;
			fs[i].name = NULL;	/* the candidate owns it */
			left--;
			more |= announced;
		}
	}
	for (i = 0; i < n; i++) {
		if (fs[i].name) {
			quarantine(ld, fs[i].held ? ld->held : ld->claimed, fs[i].name,
				   fs[i].held ? HOME_HELD : HOME_INBOX, fs[i].why.buf, fs[i].st);
			free(fs[i].name);
		}
		sb_release(&fs[i].why);
	}
	free(fs);
}

static void process(struct loader *ld, struct cand *c)
{
	const char *dir = c->held ? ld->held : ld->claimed;
	uint64_t last = 0;
	unsigned char h[32];
	int found = 0;

	if (store_last_seq(ld->s, c->district, &last) != ES_OK) {
		ld->worst = es_worst(ld->worst, ES_IO);
		return;
	}
	if (c->seq <= last) {
		if (store_bundle_hash(ld->s, c->district, c->seq, h, &found) != ES_OK) {
			ld->worst = es_worst(ld->worst, ES_IO);
			return;
		}
		if (found && memcmp(h, c->mhash, 32) == 0) {
			log_outcome(ld, c, "duplicate", "this sequence is applied already");
			printf("duplicate %s: sequence %" PRIu64 " of district %s is applied already; "
			       "ignored\n", c->name, c->seq, c->district);
			ld->n_dup++;
			if (spool_move(dir, c->name, ld->applied, NULL) != ES_OK)
				msg_warn("%s/%s: cannot file the duplicate: %s", where(c), c->name,
					 strerror(errno));
			return;
		}
		{
			char reason[256];

			snprintf(reason, sizeof reason, "replay: sequence %" PRIu64 " of district %s "
				 "was applied with other content (last applied: %" PRIu64 ")",
				 c->seq, c->district, last);
			log_outcome(ld, c, "refused", reason);
			quarantine(ld, dir, c->name, where(c), reason, ES_REFUSED);
		}
		return;
	}
	if (c->seq > last + 1 || !cfg_year_accepted(&ld->h->cfg, c->year)) {
		char reason[160];

		if (c->seq > last + 1)
			snprintf(reason, sizeof reason, "waits for sequence %" PRIu64, last + 1);
		else
			snprintf(reason, sizeof reason, "school year %d is not one this state applies "
				 "(scoped %d): it waits for the state's rollover", c->year,
				 ld->h->cfg.year);
		/* one line per wait, not one per load that finds it still held */
		if (!c->held)
			log_outcome(ld, c, "held", reason);
		printf("held %s: district %s sequence %" PRIu64 " %s\n", c->name, c->district,
		       c->seq, reason);
		ld->n_held++;
		if (!c->held && spool_move(dir, c->name, ld->held, NULL) != ES_OK) {
			msg_error("%s/%s: cannot hold: %s", where(c), c->name, strerror(errno));
			ld->worst = es_worst(ld->worst, ES_IO);
		}
		return;
	}
	apply_one(ld, c);
}

/* ---- receipts ---- */

struct receipt_ctx {
	struct loader *ld;
	struct key_secret *k;
	struct sb rows;
	size_t n;
	int failed;
};

static es_status receipt_line_of(void *ctx, const struct store_outcome *o)
{
	struct receipt_ctx *rc = ctx;
	struct receipt_line l;

	l.seq = o->seq;
	l.file = o->file;
	memcpy(l.manifest_hash, o->manifest_hash, 32);
	l.outcome = o->outcome;
	l.at = o->at;
	l.records = o->records;
	l.orphans = o->orphans;
	l.held = o->held;
	l.reason = o->reason;
	l.objects = o->objects;
	receipt_row(&rc->rows, &l);
	rc->n++;
	return ES_OK;
}

/*
 * One signed receipt for a district: every outcome not yet carried, in
 * outbox/<ID>/ for its send to bring back.  The outcomes are marked carried
 * only once the receipt is durable: a crash repeats a receipt, never loses
 * one, and the district takes each line once.
 */
static es_status write_receipt(void *ctx, const char *district, uint64_t unused1,
			       const char *unused2)
{
	struct receipt_ctx *rc = ctx;
	struct loader *ld = rc->ld;
	struct bundle_writer *bw = NULL;
	struct manifest head;
	struct sb why = SB_INIT;
	char *dir = xasprintf("%s/%s/%s", ld->h->dir, HOME_OUTBOX, district);
	char *tmp = NULL, *scratch = xpath(dir, SPOOL_TMP), name[128];
	int64_t last = 0;
	uint64_t seq = 0;
	es_status st;
	int fd = -1;

	(void)unused1;
	(void)unused2;
	memset(&head, 0, sizeof head);
	sb_reset(&rc->rows);
	rc->n = 0;
	receipt_header(&rc->rows);
	st = spool_make(dir);
	if (st == ES_OK)
		st = store_outcomes_pending(ld->s, district, receipt_line_of, rc, &last);
	if (st == ES_OK)
		st = store_next_out_seq(ld->s, district, &seq);
	if (st != ES_OK)
		goto out;
	bw = bw_new(scratch);
	st = bw_member_begin(bw, "receipt", MF_RECEIPT, 0, 0);
	if (st == ES_OK)
		st = bw_member_write(bw, rc->rows.buf, rc->rows.len);
	if (st == ES_OK)
		st = bw_member_end(bw, rc->n);
	snprintf(head.kind, sizeof head.kind, "receipt");
	snprintf(head.scope, sizeof head.scope, "full");
	snprintf(head.district, sizeof head.district, "%s", district);
	snprintf(head.state, sizeof head.state, "%s", ld->h->cfg.state);
	head.year = ld->h->cfg.year;
	head.sequence = seq;
	outbox_now(head.created);
	bundle_file_name(name, sizeof name, district, seq, "receipt");
	if (st == ES_OK && (fd = spool_create(dir, "receipt", &tmp)) < 0)
		st = ES_IO;
	if (st == ES_OK)
		st = bw_finish(bw, &head, rc->k, fd, &why);
	if (st == ES_OK) {
		st = spool_commit(fd, tmp, dir, name);
		fd = -1;
	}
	if (st == ES_OK)
		st = store_outcomes_carried(ld->s, district, last);
	if (st == ES_OK)
		printf("receipt %s/%s/%s: %zu line%s\n", HOME_OUTBOX, district, name, rc->n,
		       rc->n == 1 ? "" : "s");
out:
	if (st != ES_OK) {
		msg_error("%s: cannot write a receipt%s%s", dir, why.len ? ": " : "",
			  why.len ? why.buf : strerror(errno));
		if (fd >= 0)
			spool_abort(fd, tmp);
		ld->worst = es_worst(ld->worst, st);
	}
	bw_free(bw);
	mf_free(&head);
	sb_release(&why);
	free(tmp);
	free(scratch);
	free(dir);
	return ES_OK;	/* one district's trouble does not stop the others' */
}

static void write_receipts(struct loader *ld)
{
	struct receipt_ctx rc;

	memset(&rc, 0, sizeof rc);
	rc.ld = ld;
	if (home_secret_key(ld->h, &rc.k) != ES_OK) {
		ld->worst = es_worst(ld->worst, ES_CONFIG);
		return;
	}
	if (store_outcome_districts(ld->s, write_receipt, &rc) != ES_OK)
		ld->worst = es_worst(ld->worst, ES_IO);
	key_secret_free(rc.k);
	sb_release(&rc.rows);
}

es_status load_state(struct home *h)
{
	struct loader ld;
	struct sb err = SB_INIT;
	struct cand *cs = NULL;
	size_t nc = 0, i;
	es_status st;

	memset(&ld, 0, sizeof ld);
	ld.h = h;
	st = home_keyring(h, &ld.kr);
	if (st != ES_OK)
		return st;
	st = home_store_open(h, &ld.s);
	if (st != ES_OK) {
		keyring_free(&ld.kr);
		return st;
	}
	ld.claimed = home_path(h, HOME_CLAIMED);
	ld.held = home_path(h, HOME_HELD);
	ld.applied = home_path(h, HOME_APPLIED);
	ld.quarantine = home_path(h, HOME_QUARANTINE);
	ld.digests = home_path(h, HOME_DIGESTS);
	home_make_folders(h->dir, CFG_STATE);

	claim_inbox(&ld);
	gather(&ld, &cs, &nc);
	if (nc)
		qsort(cs, nc, sizeof *cs, cand_cmp);
	for (i = 0; i < nc; i++) {
		process(&ld, &cs[i]);
		free(cs[i].name);
	}
	write_receipts(&ld);
	printf("load: %zu applied, %zu held, %zu duplicate%s, %zu refused\n", ld.n_applied,
	       ld.n_held, ld.n_dup, ld.n_dup == 1 ? "" : "s", ld.n_refused);
	free(cs);
	store_close(ld.s);
	keyring_free(&ld.kr);
	free(ld.ann);
	free(ld.claimed);
	free(ld.held);
	free(ld.applied);
	free(ld.quarantine);
	free(ld.digests);
	sb_release(&err);
	return ld.worst;
}

es_status cmd_load(int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS };
	struct cli cli;
	struct home h;
	es_status st;
	int c;

	cli_init(&cli, "load");
	while ((c = cli_next(&cli, argc, argv, opts)) != -1) {
		switch (c) {
		case CLI_HELP: return ES_OK;
		default: return ES_USAGE;
		}
	}
	if ((st = cli_no_operands(&cli, argc, argv)) != ES_OK)
		return st;
	st = home_start(&h, home_default(cli.home), "load", CFG_NONE, 1, cli.wait);
	if (st != ES_OK)
		return st;
	st = h.cfg.role == CFG_STATE ? load_state(&h) : load_district(&h);
	home_close(&h);
	return st;
}
