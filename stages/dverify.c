/*
 * dverify.c - the district's side of a verification; see dverify.h.
 *
 * The digest describes source/ as it is, so a row is hashed whenever its
 * key is sound, even if another of its values is not: such a record is
 * then "different" or "missing at state" in the Verification Summary,
 * which is the truth.  Records that data setup withholds (withhold.h) are
 * left out, as resync leaves them out; the objects they depend on are read
 * too, in registry order, to know which are withheld.
 */
#include "dverify.h"
#include "../formats/bundle.h"
#include "../formats/csvw.h"
#include "../formats/digest.h"
#include "../formats/fieldset.h"
#include "../formats/hashtree.h"
#include "../formats/keys.h"
#include "../formats/objcsv.h"
#include "../formats/registry.h"
#include "../formats/request.h"
#include "../formats/school.h"
#include "../formats/withhold.h"
#include "../pipeline/home.h"
#include "../pipeline/outbox.h"
#include "../spool/spool.h"
#include "../util/fsio.h"
#include "../util/msg.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct keylist {
	char **k;
	size_t *len;
	size_t n;
};

struct dv_asks {
	struct ht_list *trees;		/* by object index */
	struct keylist *keys;
};

struct dv_asks *dv_asks_new(void)
{
	struct dv_asks *a = xcalloc(1, sizeof *a);

	a->trees = xcalloc(reg_count(), sizeof *a->trees);
	a->keys = xcalloc(reg_count(), sizeof *a->keys);
	return a;
}

void dv_asks_free(struct dv_asks *a)
{
	size_t i, j;

	if (!a)
		return;
	for (i = 0; i < reg_count(); i++) {
		ht_list_free(&a->trees[i]);
		for (j = 0; j < a->keys[i].n; j++)
			free(a->keys[i].k[j]);
		free(a->keys[i].k);
		free(a->keys[i].len);
	}
	free(a->trees);
	free(a->keys);
	free(a);
}

int dv_asks_tree(struct dv_asks *a, const struct reg_object *o, const char *text, size_t n,
		 struct sb *why)
{
	ht_list_free(&a->trees[o->index]);
	return ht_list_parse(o, text, n, &a->trees[o->index], why);
}

void dv_asks_key(struct dv_asks *a, const struct reg_object *o, const char *key, size_t klen)
{
	struct keylist *l = &a->keys[o->index];

	l->k = xrealloc(l->k, (l->n + 1) * sizeof *l->k);
	l->len = xrealloc(l->len, (l->n + 1) * sizeof *l->len);
	l->k[l->n] = xmalloc(klen + 1);
	memcpy(l->k[l->n], key, klen);
	l->k[l->n][klen] = '\0';
	l->len[l->n++] = klen;
}

struct dv {
	const struct request *rq;
	const struct dv_asks *asks;
	struct fieldset fs;
	struct withhold *wh;
	sqlite3 *db;
	sqlite3_stmt *ins;
	const struct reg_object *o;
	const char *label;
	int emit;		/* an object in scope, not only a parent */
	int keep_data;		/* the records themselves are needed */
	struct sb key, pack, prevkey, scratch, out;
	uint64_t rows, skipped, withheld;
	int sorted;		/* keys so far in increasing order: no sort needed */
	int failed;
	uint64_t node;		/* records per node (0: the default) */
	struct school_scope *sc;	/* a school's records only, or NULL */
	int learning;		/* the first pass of a school's verification */
	struct ht_acc *acc;
	struct rec_val vals[REG_MAX_FIELDS];
};

static int add_record(struct dv *d, const struct rec_val *v)
{
	unsigned char hash[REC_HASH_BYTES];
	size_t i;

	/* Withheld records are not at the state, and should not be. */
	if (wh_check(d->wh, d->o, v, &i) >= 0) {
		wh_mark(d->wh, d->o, v);
		d->withheld++;
		return 0;
	}
	if (d->learning) {
		sc_learn(d->sc, d->o, v);
		return 0;
	}
	if (!d->emit || (d->sc && !sc_in(d->sc, d->o, v)))
		return 0;
	fs_hash(&d->fs, d->o, v, &d->scratch, hash);
	sb_reset(&d->key);
	rec_key_encode(d->o, v, &d->key);
	if (d->sorted && d->rows &&
	    ht_key_cmp(d->key.buf, d->key.len, d->prevkey.buf, d->prevkey.len) < 0)
		d->sorted = 0;
	sb_reset(&d->prevkey);
	sb_add(&d->prevkey, d->key.buf, d->key.len);
	sqlite3_bind_blob(d->ins, 1, d->key.buf, (int)d->key.len, SQLITE_STATIC);
	sqlite3_bind_blob(d->ins, 2, hash, REC_HASH_BYTES, SQLITE_STATIC);
	if (d->keep_data) {
		sb_reset(&d->pack);
		rec_pack(d->o, v, &d->pack);
		sqlite3_bind_blob(d->ins, 3, d->pack.buf, (int)d->pack.len, SQLITE_STATIC);
	} else {
		sqlite3_bind_null(d->ins, 3);
	}
	if (sqlite3_step(d->ins) != SQLITE_DONE) {
		msg_error("digest: temporary sort failed: %s", sqlite3_errmsg(d->db));
		d->failed = 1;
	}
	sqlite3_reset(d->ins);
	d->rows++;
	return d->failed;
}

static int on_rec(void *ctx, const struct rec_val *v, uint64_t line)
{
	(void)line;
	return add_record(ctx, v);
}

static void on_rej(void *ctx, const struct objcsv_reject *r)
{
	struct dv *d = ctx;

	/* said once: in the second pass of a school's verification */
	if (r->field && !d->learning)
		msg_warn("%s:%" PRIu64 ": %s: %s", d->label, r->line, r->field, r->reason);
	else if (!d->learning)
		msg_warn("%s:%" PRIu64 ": %s", d->label, r->line, r->reason);
	if (!r->last)
		return;
	if (r->key_ok && !r->header && !d->failed)
		add_record(d, r->v);
	else
		d->skipped++;
}

static es_status sort_failed(struct dv *d);

/* Read source/<Object>.csv into the scratch table. */
static es_status read_object(struct home *h, struct dv *d)
{
	char *path = home_path(h, d->label);
	struct objcsv *oc;
	int fd, rc;

	d->rows = d->skipped = d->withheld = 0;
	d->sorted = 1;
	if (sqlite3_exec(d->db, "DROP INDEX IF EXISTS dk; DELETE FROM d", NULL, NULL,
			 NULL) != SQLITE_OK) {
		free(path);
		return sort_failed(d);
	}
	fd = fsio_open_input(path);
	free(path);
	if (fd < 0) {
		if (errno == ENOENT)
			return ES_NOINPUT;
		msg_error("%s: %s", d->label, strerror(errno));
		return ES_IO;
	}
	/* one transaction, no journal: it is scratch */
	if (sqlite3_exec(d->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		close(fd);
		return sort_failed(d);
	}
	oc = objcsv_new(d->o, 0, on_rec, on_rej, d);
	rc = objcsv_feed_fd(oc, fd);
	if (rc == 0)
		objcsv_finish(oc);
	else if (rc < 0)
		msg_error("%s: read failed: %s", d->label, strerror(errno));
	close(fd);
	if (sqlite3_exec(d->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		d->failed = 1;
	if (rc < 0 || d->failed) {
		objcsv_free(oc);
		return ES_IO;
	}
	if (!objcsv_header_ok(oc)) {
		objcsv_free(oc);
		return ES_DATA;
	}
	objcsv_free(oc);
	return ES_OK;
}

/* ---- writing members from the sorted scratch table ---- */

static es_status sort_failed(struct dv *d)
{
	msg_error("digest: temporary sort failed: %s", sqlite3_errmsg(d->db));
	return ES_IO;
}

static es_status flush_out(struct dv *d, struct bundle_writer *bw)
{
	es_status st = ES_OK;

	if (d->out.len)
		st = bw_member_write(bw, d->out.buf, d->out.len);
	sb_reset(&d->out);
	return st;
}

/* The whole object, one hash per record. */
static es_status write_full(struct dv *d, struct bundle_writer *bw)
{
	const struct reg_object *o = d->o;
	sqlite3_stmt *sel = NULL;
	es_status st;
	int rc = SQLITE_DONE;

	st = bw_member_begin(bw, o->name, MF_DIGEST, 0, fs_fingerprint(&d->fs, o));
	if (st != ES_OK)
		return st;
	sb_reset(&d->out);
	digest_header(o, &d->out);
	/* Sources are usually in key order already: then no sort at all.
	 * Equal keys keep the source's order. */
	if (sqlite3_prepare_v2(d->db, d->sorted ? "SELECT k, h FROM d ORDER BY rowid"
						: "SELECT k, h FROM d ORDER BY k, rowid", -1, &sel,
			       NULL) != SQLITE_OK)
		st = sort_failed(d);
	while (st == ES_OK && (rc = sqlite3_step(sel)) == SQLITE_ROW) {
		if (rec_key_decode(o, sqlite3_column_blob(sel, 0),
				   (size_t)sqlite3_column_bytes(sel, 0), d->vals) < 0) {
			st = ES_SOFTWARE;
			break;
		}
		digest_row(o, d->vals, sqlite3_column_blob(sel, 1), &d->out);
		if (d->out.len >= (1 << 16))
			st = flush_out(d, bw);
	}
	if (st == ES_OK && rc != SQLITE_DONE)
		st = sort_failed(d);
	sqlite3_finalize(sel);
	if (st == ES_OK)
		st = flush_out(d, bw);
	if (st == ES_OK)
		st = bw_member_end(bw, d->rows);
	else
		bw_member_abort(bw);
	return st;
}

/* Nodes of about a DV_NODES-th of the object; equal keys never straddle two. */
static es_status write_tree(struct dv *d, struct bundle_writer *bw)
{
	const struct reg_object *o = d->o;
	uint64_t node = (d->rows + DV_NODES - 1) / DV_NODES, nodes = 0;
	sqlite3_stmt *sel = NULL;
	struct sb start = SB_INIT;
	unsigned char hash[REC_HASH_BYTES];
	int have_start = 0, rc = SQLITE_DONE;
	es_status st;

	if (node < DV_NODE_MIN)
		node = DV_NODE_MIN;
	if (d->node)
		node = d->node;
	st = bw_member_begin(bw, o->name, MF_TREE, 0, fs_fingerprint(&d->fs, o));
	if (st != ES_OK)
		return st;
	sb_reset(&d->out);
	ht_header(o, &d->out);
	ht_acc_reset(d->acc);
	if (sqlite3_prepare_v2(d->db, d->sorted ? "SELECT k, h FROM d ORDER BY rowid"
						: "SELECT k, h FROM d ORDER BY k, rowid", -1, &sel,
			       NULL) != SQLITE_OK)
		st = sort_failed(d);
	while (st == ES_OK && (rc = sqlite3_step(sel)) == SQLITE_ROW) {
		const char *k = sqlite3_column_blob(sel, 0);
		size_t kl = (size_t)sqlite3_column_bytes(sel, 0);

		if (ht_acc_count(d->acc) >= node &&
		    ht_key_cmp(k, kl, d->prevkey.buf, d->prevkey.len) != 0) {
			ht_acc_digest(d->acc, hash);
			ht_row(o, have_start ? start.buf : NULL, start.len, HT_SUMMARY,
			       ht_acc_count(d->acc), hash, &d->out);
			nodes++;
			sb_reset(&start);
			sb_add(&start, k, kl);
			have_start = 1;
			ht_acc_reset(d->acc);
		}
		ht_acc_add(d->acc, sqlite3_column_blob(sel, 1));
		sb_reset(&d->prevkey);
		sb_add(&d->prevkey, k, kl);
	}
	if (st == ES_OK && rc != SQLITE_DONE)
		st = sort_failed(d);
	sqlite3_finalize(sel);
	if (st == ES_OK) {
		ht_acc_digest(d->acc, hash);
		ht_row(o, have_start ? start.buf : NULL, start.len, HT_SUMMARY,
		       ht_acc_count(d->acc), hash, &d->out);
		nodes++;
		st = flush_out(d, bw);
	}
	sb_release(&start);
	if (st == ES_OK)
		st = bw_member_end(bw, nodes);
	else
		bw_member_abort(bw);
	return st;
}

static void records_header(const struct reg_object *o, struct sb *out)
{
	size_t i;

	for (i = 0; i < o->nfields; i++)
		csvw_cell(out, i, o->fields[i].name, strlen(o->fields[i].name));
	csvw_end(out);
}

/* Write the records of rows selected by sel (columns h, d) into rec. */
static es_status emit_records(struct dv *d, sqlite3_stmt *sel, struct sb *rec, uint64_t *n,
			      struct ht_acc *acc)
{
	int rc;

	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		if (acc)
			ht_acc_add(acc, sqlite3_column_blob(sel, 0));
		if (rec) {
			if (rec_unpack(d->o, sqlite3_column_blob(sel, 1),
				       (size_t)sqlite3_column_bytes(sel, 1), d->vals) < 0)
				return ES_SOFTWARE;
			csvw_row(rec, d->vals, d->o->nfields);
			(*n)++;
		}
	}
	return rc == SQLITE_DONE ? ES_OK : sort_failed(d);
}

/* sel[0] for a range with an end, sel[1] for the last (no "OR" in the
 * query: the index bounds both ends) */
static sqlite3_stmt *bind_range(sqlite3_stmt *const *sel, const struct ht_list *l, size_t i)
{
	sqlite3_stmt *s = sel[i + 1 < l->n ? 0 : 1];

	sqlite3_reset(s);
	sqlite3_bind_blob(s, 1, l->r[i].key ? l->r[i].key : "", (int)l->r[i].klen,
			  SQLITE_STATIC);
	if (i + 1 < l->n)
		sqlite3_bind_blob(s, 2, l->r[i + 1].key, (int)l->r[i + 1].klen, SQLITE_STATIC);
	return s;
}

/* An expand answer: each of the state's ranges, agreed or with its records. */
static es_status write_expand(struct dv *d, struct bundle_writer *bw)
{
	const struct reg_object *o = d->o;
	const struct ht_list *l = &d->asks->trees[o->index];
	sqlite3_stmt *sel[2] = { NULL, NULL }, *q;
	struct sb rec = SB_INIT;
	unsigned char hash[REC_HASH_BYTES];
	uint64_t nrec = 0;
	es_status st = ES_OK;
	size_t i;

	if (sqlite3_exec(d->db, "CREATE INDEX dk ON d (k)", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(d->db, "SELECT h, d FROM d WHERE k >= ?1 AND k < ?2 "
			       "ORDER BY k, rowid", -1, &sel[0], NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(d->db, "SELECT h, d FROM d WHERE k >= ?1 ORDER BY k, rowid", -1,
			       &sel[1], NULL) != SQLITE_OK) {
		sqlite3_finalize(sel[0]);
		sqlite3_finalize(sel[1]);
		return sort_failed(d);
	}
	sb_reset(&d->out);
	ht_header(o, &d->out);
	records_header(o, &rec);
	for (i = 0; st == ES_OK && i < l->n; i++) {
		const struct ht_range *r = &l->r[i];

		if (r->kind == HT_SKIP) {
			ht_row(o, r->key, r->klen, HT_SKIP, 0, NULL, &d->out);
			continue;
		}
		ht_acc_reset(d->acc);
		q = bind_range(sel, l, i);
		st = emit_records(d, q, NULL, NULL, d->acc);
		if (st != ES_OK)
			break;
		ht_acc_digest(d->acc, hash);
		if (ht_acc_count(d->acc) == r->count && !memcmp(hash, r->hash, REC_HASH_BYTES)) {
			ht_row(o, r->key, r->klen, HT_SUMMARY, r->count, hash, &d->out);
			continue;
		}
		ht_row(o, r->key, r->klen, HT_ROWS, ht_acc_count(d->acc), hash, &d->out);
		q = bind_range(sel, l, i);
		st = emit_records(d, q, &rec, &nrec, NULL);
	}
	sqlite3_finalize(sel[0]);
	sqlite3_finalize(sel[1]);
	if (st == ES_OK)
		st = bw_member_begin(bw, o->name, MF_TREE, 0, fs_fingerprint(&d->fs, o));
	if (st == ES_OK) {
		st = flush_out(d, bw);
		if (st == ES_OK)
			st = bw_member_end(bw, l->n);
		else
			bw_member_abort(bw);
	}
	if (st == ES_OK && nrec) {
		st = bw_member_begin(bw, o->name, MF_RECORDS, 0, 0);
		if (st == ES_OK)
			st = bw_member_write(bw, rec.buf, rec.len);
		if (st == ES_OK)
			st = bw_member_end(bw, nrec);
		else
			bw_member_abort(bw);
	}
	sb_release(&rec);
	return st;
}

/* A records answer: the records with the keys asked for. */
static es_status write_records(struct dv *d, struct bundle_writer *bw)
{
	const struct reg_object *o = d->o;
	const struct keylist *l = &d->asks->keys[o->index];
	sqlite3_stmt *sel = NULL;
	struct sb rec = SB_INIT;
	uint64_t nrec = 0;
	es_status st = ES_OK;
	size_t i;

	if (sqlite3_exec(d->db, "CREATE INDEX dk ON d (k)", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(d->db, "SELECT h, d FROM d WHERE k = ?1 ORDER BY rowid", -1, &sel,
			       NULL) != SQLITE_OK) {
		sqlite3_finalize(sel);
		return sort_failed(d);
	}
	records_header(o, &rec);
	for (i = 0; st == ES_OK && i < l->n; i++) {
		sqlite3_reset(sel);
		sqlite3_bind_blob(sel, 1, l->k[i], (int)l->len[i], SQLITE_STATIC);
		st = emit_records(d, sel, &rec, &nrec, NULL);
	}
	sqlite3_finalize(sel);
	if (st == ES_OK && nrec) {
		st = bw_member_begin(bw, o->name, MF_RECORDS, 0, 0);
		if (st == ES_OK)
			st = bw_member_write(bw, rec.buf, rec.len);
		if (st == ES_OK)
			st = bw_member_end(bw, nrec);
		else
			bw_member_abort(bw);
	}
	sb_release(&rec);
	return st;
}

/* ---- carrying out ---- */

/* Mark o and every object it depends on in need (with mark, unless set). */
static void need_with_parents(unsigned char *need, const struct reg_object *o, unsigned char mark)
{
	const char *p = o->parents;

	if (!need[o->index])
		need[o->index] = mark;
	while (*p) {
		const char *e = strchr(p, ';');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		const struct reg_object *parent = reg_find_n(p, n);

		if (parent)
			need_with_parents(need, parent, 1);
		p += n;
		if (*p == ';')
			p++;
	}
}

/*
 * A school's verification: first what decides which records are the
 * school's (calendars, enrollments, assignments ..., school.h), read with
 * data setup's withholding as everything else.
 */
static es_status learn_school(struct home *h, struct dv *d)
{
	unsigned char *need = xcalloc(reg_count(), 1);
	es_status st = ES_OK;
	size_t i;

	d->sc = sc_new(d->rq->school);
	d->wh = wh_new(h->cfg.year);
	d->learning = 1;
	for (i = 0; i < reg_count(); i++)
		if (reg_sent_by_state(reg_at(i), h->cfg.state) && sc_learns(reg_at(i)))
			need_with_parents(need, reg_at(i), 1);
	for (i = 0; st == ES_OK && i < reg_count(); i++) {
		char *label;

		if (!need[i])
			continue;
		label = xasprintf("%s/%s.csv", HOME_SOURCE, reg_at(i)->name);
		d->o = reg_at(i);
		d->label = label;
		d->emit = 0;
		st = read_object(h, d);
		if (st == ES_NOINPUT || st == ES_DATA)
			st = ES_OK;	/* said in the second pass */
		free(label);
	}
	d->learning = 0;
	wh_free(d->wh);
	d->wh = NULL;
	free(need);
	return st;
}

/* Is o one the request is about (not only a parent read for withholding)? */
static int in_scope(const struct dv *d, const struct reg_object *o, const char *state)
{
	if (o->area == REG_AREA_NONE || !reg_sent_by_state(o, state))
		return 0;
	switch (d->rq->what) {
	case RQ_EXPAND:
		return d->asks && d->asks->trees[o->index].n > 0;
	case RQ_RECORDS:
		return d->asks && d->asks->keys[o->index].n > 0;
	default:
		return rq_has_object(d->rq, o->name);
	}
}

static es_status write_object(struct dv *d, struct bundle_writer *bw)
{
	switch (d->rq->what) {
	case RQ_EXPAND:
		return write_expand(d, bw);
	case RQ_RECORDS:
		return write_records(d, bw);
	default:
		return d->rq->tree ? write_tree(d, bw) : write_full(d, bw);
	}
}

es_status dv_run(struct home *h, const struct request *rq, const struct dv_asks *asks,
		 int legacy, int quiet, uint64_t node, char *name, size_t name_size)
{
	struct key_secret *k = NULL;
	struct bundle_writer *bw = NULL;
	struct manifest head;
	struct dv d;
	struct sb why = SB_INIT;
	char *scratch = NULL, *outbox = NULL;
	unsigned char *need = NULL;
	uint64_t seq;
	es_status st, worst = ES_OK;
	size_t i;

	memset(&d, 0, sizeof d);
	memset(&head, 0, sizeof head);
	d.rq = rq;
	d.asks = asks;
	d.node = node;
	if (fs_parse(&d.fs, rq->fields, &why) < 0) {
		msg_error("%s", why.buf);
		sb_release(&why);
		return ES_DATA;
	}
	d.keep_data = rq->what == RQ_EXPAND || rq->what == RQ_RECORDS;
	d.acc = ht_acc_new();
	if ((st = home_secret_key(h, &k)) != ES_OK || (st = outbox_next_seq(h, &seq)) != ES_OK)
		goto out;
	outbox = home_path(h, HOME_OUTBOX);
	spool_make(outbox);
	spool_clean(outbox);
	scratch = xpath(outbox, SPOOL_TMP);
	/* "" opens a private database on disk, removed when closed. */
	if (sqlite3_open("", &d.db) != SQLITE_OK ||
	    sqlite3_exec(d.db, "PRAGMA cache_size=-8192; PRAGMA temp_store=FILE;"
			 "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
			 "CREATE TABLE d (k BLOB NOT NULL, h BLOB NOT NULL, d BLOB)", NULL, NULL,
			 NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(d.db, "INSERT INTO d VALUES (?1, ?2, ?3)", -1, &d.ins,
			       NULL) != SQLITE_OK) {
		msg_error("digest: cannot make a temporary database: %s", sqlite3_errmsg(d.db));
		st = ES_IO;
		goto out;
	}
	bw = bw_new(scratch);
	if (!legacy) {
		sb_reset(&why);
		rq_encode(rq, &why);
		st = bw_member_begin(bw, "request", MF_REQUEST, 0, 0);
		if (st == ES_OK)
			st = bw_member_write(bw, why.buf, why.len);
		if (st == ES_OK)
			st = bw_member_end(bw, 1);
		if (st != ES_OK)
			goto out;
	}
	/* The objects in scope, and every object they depend on (whose
	 * withheld records withhold theirs). */
	need = xcalloc(reg_count(), 1);
	for (i = reg_count(); i-- > 0; ) {
		const struct reg_object *o = reg_at(i);
		const char *p = o->parents;

		if (!reg_sent_by_state(o, h->cfg.state))
			continue;
		if (in_scope(&d, o, h->cfg.state))
			need[i] = 2;
		while (need[i] && *p) {
			const char *e = strchr(p, ';');
			size_t n = e ? (size_t)(e - p) : strlen(p);
			const struct reg_object *parent = reg_find_n(p, n);

			if (parent && !need[parent->index])
				need[parent->index] = 1;
			p += n;
			if (*p == ';')
				p++;
		}
	}
	if (*rq->school) {
		st = learn_school(h, &d);
		if (st != ES_OK)
			goto out;
	}
	d.wh = wh_new(h->cfg.year);
	if (!quiet)
		printf("%-34s %10s %10s\n", "OBJECT", "RECORDS", "WITHHELD");
	for (i = 0; i < reg_count(); i++) {
		const struct reg_object *o = reg_at(i);
		char *label;

		if (!need[i])
			continue;
		label = xasprintf("%s/%s.csv", HOME_SOURCE, o->name);
		d.o = o;
		d.label = label;
		d.emit = need[i] == 2;
		st = read_object(h, &d);
		if (st == ES_NOINPUT) {
			if (d.emit && !quiet)
				printf("%-34s %10s %10s  (no source file)\n", o->name, "-", "-");
			/* nothing at the district: an empty object, said so */
			st = d.emit && rq->what != RQ_VERIFY ? write_object(&d, bw) : ES_OK;
		} else if (st == ES_DATA) {
			if (!quiet)
				printf("%-34s %10s %10s  (file unreadable: left out)\n", o->name, "-",
				       "-");
			worst = es_worst(worst, ES_DATA);
			st = ES_OK;
		} else if (st == ES_OK && d.emit) {
			if (!quiet)
				printf("%-34s %10" PRIu64 " %10" PRIu64 "%s\n", o->name, d.rows,
				       d.withheld, d.skipped ? "  (rows with a bad key left out)" : "");
			st = write_object(&d, bw);
		}
		free(label);
		if (st != ES_OK)
			goto out;
	}
	snprintf(head.kind, sizeof head.kind, "%s", legacy ? "digest" : "verify");
	snprintf(head.scope, sizeof head.scope, "full");
	st = outbox_commit(h, bw, &head, k, seq, name, name_size);
	if (st == ES_OK)
		st = worst;
out:
	if (d.ins)
		sqlite3_finalize(d.ins);
	if (d.db)
		sqlite3_close(d.db);
	sb_release(&d.key);
	sb_release(&d.prevkey);
	sb_release(&d.pack);
	sb_release(&d.out);
	sb_release(&d.scratch);
	sb_release(&why);
	ht_acc_free(d.acc);
	sc_free(d.sc);
	fs_free(&d.fs);
	bw_free(bw);
	wh_free(d.wh);
	free(need);
	key_secret_free(k);
	mf_free(&head);
	free(scratch);
	free(outbox);
	return st;
}
