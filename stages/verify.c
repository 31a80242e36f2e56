/*
 * verify.c - 'edsync verify' on the state: the Verification Summary.
 *
 * What the district said about its records is in var/digests/ (vkeep.h):
 * its latest digest of the scope asked (every field, or some; the whole
 * district), the answer to the last expand request about that digest, and
 * the last records answer (the district's values of differing records).
 * Each is checked again (trusted key, signature, hashes) before it is read.
 * The state's records are merged with that description in key order
 * (vmerge.h), one record of each side at a time.
 *
 * When the description is not enough, verify asks the district: a node of
 * a tree digest whose hash differs is expanded (an expand request carrying
 * the state's leaves in it), and differing records whose values are not
 * known are asked for (a records request); a request is not sent again
 * while the same one waits for its answer (--no-request: none at all).
 * The district carries a request out when it next loads; once its answer is
 * loaded here, 'edsync verify' again gives the complete Summary.
 *
 * Every run is recorded (store_verification_add(), for status and the
 * history), and the Summary goes back to the district as a report bundle in
 * outbox/<ID>/ (--no-report: not).
 */
#include "stages.h"
#include "scope.h"
#include "stateout.h"
#include "vkeep.h"
#include "vmerge.h"
#include "vreport.h"
#include "../formats/bundle.h"
#include "../formats/digest.h"
#include "../formats/fieldset.h"
#include "../formats/hashtree.h"
#include "../formats/keys.h"
#include "../formats/manifest.h"
#include "../formats/objcsv.h"
#include "../formats/registry.h"
#include "../formats/report.h"
#include "../formats/request.h"
#include "../formats/school.h"
#include "../pipeline/cli.h"
#include "../pipeline/home.h"
#include "../pipeline/opqueue.h"
#include "../pipeline/outbox.h"
#include "../pipeline/storeopen.h"
#include "../store/store.h"
#include "../util/fsio.h"
#include "../util/msg.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TREE_MAX (64u << 20)

/* The district's records from its answers, in a private temporary
 * database: rows of expanded ranges, and values of differing records. */
struct vdb {
	sqlite3 *db;
	sqlite3_stmt *ins_row, *ins_val, *sel_rows, *sel_last, *sel_val;
	struct sb key, pack, copy;
	int table;		/* 0: rows, 1: vals (while loading) */
	const struct reg_object *o;
	uint64_t ord;
	int failed;
};

struct vctx {
	struct home *h;
	const char *district;
	struct fieldset fs;
	const char *school;
	struct school_scope *sc;	/* --school: the school's records only */
	struct vm *m;
	struct vdb vdb;
	struct ht_list *ans;		/* the expand answer's ranges, by object */
	int ans_ok;			/* the answer is about the kept digest */
	uint64_t digest_seq;
	struct request drq;		/* the digest's request.ini */
	int have_drq;
	unsigned char *seen;		/* objects the digest covered */
	struct sb text;
	struct sb why;
};

/* ---- the temporary database ---- */

static es_status vdb_open(struct vdb *d)
{
	memset(d, 0, sizeof *d);
	if (sqlite3_open("", &d->db) != SQLITE_OK ||
	    sqlite3_exec(d->db, "PRAGMA cache_size=-8192; PRAGMA temp_store=FILE;"
			 "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
			 "CREATE TABLE r (o INTEGER, k BLOB, ord INTEGER, d BLOB);"
			 "CREATE TABLE v (o INTEGER, k BLOB, d BLOB);"
			 "CREATE INDEX rk ON r (o, k, ord); CREATE INDEX vk ON v (o, k)",
			 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(d->db, "INSERT INTO r VALUES (?1, ?2, ?3, ?4)", -1, &d->ins_row,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(d->db, "INSERT INTO v VALUES (?1, ?2, ?3)", -1, &d->ins_val,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(d->db, "SELECT k, d FROM r WHERE o = ?1 AND k >= ?2 AND k < ?3 "
			       "ORDER BY k, ord", -1, &d->sel_rows, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(d->db, "SELECT k, d FROM r WHERE o = ?1 AND k >= ?2 "
			       "ORDER BY k, ord", -1, &d->sel_last, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(d->db, "SELECT d FROM v WHERE o = ?1 AND k = ?2 LIMIT 1", -1,
			       &d->sel_val, NULL) != SQLITE_OK) {
		msg_error("verify: cannot make a temporary database: %s", sqlite3_errmsg(d->db));
		return ES_IO;
	}
	return ES_OK;
}

static void vdb_close(struct vdb *d)
{
	sqlite3_finalize(d->ins_row);
	sqlite3_finalize(d->ins_val);
	sqlite3_finalize(d->sel_rows);
	sqlite3_finalize(d->sel_last);
	sqlite3_finalize(d->sel_val);
	if (d->db)
		sqlite3_close(d->db);
	sb_release(&d->key);
	sb_release(&d->pack);
	sb_release(&d->copy);
}

static int vdb_add(struct vdb *d, const struct rec_val *v)
{
	sqlite3_stmt *st = d->table ? d->ins_val : d->ins_row;

	sb_reset(&d->key);
	sb_reset(&d->pack);
	rec_key_encode(d->o, v, &d->key);
	rec_pack(d->o, v, &d->pack);
	sqlite3_bind_int64(st, 1, (sqlite3_int64)d->o->index);
	sqlite3_bind_blob(st, 2, d->key.buf, (int)d->key.len, SQLITE_STATIC);
	if (d->table) {
		sqlite3_bind_blob(st, 3, d->pack.buf, (int)d->pack.len, SQLITE_STATIC);
	} else {
		sqlite3_bind_int64(st, 3, (sqlite3_int64)d->ord++);
		sqlite3_bind_blob(st, 4, d->pack.buf, (int)d->pack.len, SQLITE_STATIC);
	}
	if (sqlite3_step(st) != SQLITE_DONE)
		d->failed = 1;
	sqlite3_reset(st);
	return d->failed;
}

static int vdb_rec(void *ctx, const struct rec_val *v, uint64_t line)
{
	(void)line;
	return vdb_add(ctx, v);
}

/* A value the district has wrong is its value all the same. */
static void vdb_rej(void *ctx, const struct objcsv_reject *r)
{
	if (r->last && r->key_ok && !r->header)
		vdb_add(ctx, r->v);
}

/* The district's values for a key (vmerge.h's values_fn). */
static int vdb_values(void *ctx, const struct reg_object *o, const char *key, size_t klen,
		      struct rec_val *out)
{
	struct vdb *d = ctx;
	int found = 0;

	sqlite3_reset(d->sel_val);
	sqlite3_bind_int64(d->sel_val, 1, (sqlite3_int64)o->index);
	sqlite3_bind_blob(d->sel_val, 2, key, (int)klen, SQLITE_STATIC);
	if (sqlite3_step(d->sel_val) == SQLITE_ROW) {
		sb_reset(&d->copy);
		sb_add(&d->copy, sqlite3_column_blob(d->sel_val, 0),
		       (size_t)sqlite3_column_bytes(d->sel_val, 0));
		found = rec_unpack(o, d->copy.buf, d->copy.len, out) == 0;
	}
	sqlite3_reset(d->sel_val);
	return found;
}

/* ---- reading the kept bundles ---- */

static es_status open_kept(struct vctx *v, const char *path, const struct keyring *kr,
			   struct bundle **b)
{
	struct sb why = SB_INIT;
	/* The seal covers every byte, and each member's hash is checked again
	 * as it streams by: no separate pass over the members. */
	es_status st = bundle_open(path, kr, b, &why);

	if (st == ES_OK && strcmp(bundle_manifest(*b)->district, v->district) != 0) {
		sb_addstr(&why, "kept for another district");
		st = ES_REFUSED;
	}
	if (st != ES_OK)
		msg_error("%s/%s: %s", HOME_DIGESTS, strrchr(path, '/') + 1, why.buf);
	sb_release(&why);
	return st;
}

/* The answers: an expand answer's ranges and rows, or a records answer's
 * values, into memory and the temporary database. */
static es_status answer_member(void *ctx, struct bundle *b, const struct mf_member *mm)
{
	struct vctx *v = ctx;
	const struct reg_object *o = reg_find(mm->object);
	char buf[1 << 16];
	ssize_t r;

	if (mm->type == MF_REQUEST) {
		struct request rq;
		struct sb why = SB_INIT;

		if (vk_read_member(b, RQ_MAX_BYTES, &v->text) < 0 ||
		    rq_parse(v->text.buf ? v->text.buf : "", v->text.len, &rq, &why) < 0) {
			sb_release(&why);
			return ES_DATA;
		}
		/* an expand answer counts only for the digest it expands */
		if (!v->vdb.table)
			v->ans_ok = rq.what == RQ_EXPAND && rq.digest == v->digest_seq;
		rq_free(&rq);
		sb_release(&why);
		return ES_OK;
	}
	if (!o || (!v->vdb.table && !v->ans_ok))
		return ES_OK;
	if (mm->type == MF_TREE && !v->vdb.table) {
		struct sb why = SB_INIT;
		int rc;

		if (vk_read_member(b, TREE_MAX, &v->text) < 0)
			return ES_REFUSED;
		ht_list_free(&v->ans[o->index]);
		rc = ht_list_parse(o, v->text.buf ? v->text.buf : "", v->text.len, &v->ans[o->index],
				   &why);
		sb_release(&why);
		return rc < 0 ? ES_DATA : ES_OK;
	}
	if (mm->type == MF_RECORDS) {
		struct objcsv *oc;

		v->vdb.o = o;
		oc = objcsv_new(o, 0, vdb_rec, vdb_rej, &v->vdb);
		sqlite3_exec(v->vdb.db, "BEGIN", NULL, NULL, NULL);
		while ((r = bundle_member_read(b, buf, sizeof buf)) > 0)
			if (objcsv_feed(oc, buf, (size_t)r) != 0)
				break;
		if (r == 0)
			objcsv_finish(oc);
		objcsv_free(oc);
		sqlite3_exec(v->vdb.db, "COMMIT", NULL, NULL, NULL);
		if (r < 0)
			return ES_REFUSED;
		if (v->vdb.failed) {
			msg_error("verify: temporary database: %s", sqlite3_errmsg(v->vdb.db));
			return ES_IO;
		}
	}
	return ES_OK;
}

static es_status read_answer(struct vctx *v, const char *path, const struct keyring *kr,
			     int values)
{
	struct bundle *b = NULL;
	struct sb why = SB_INIT;
	es_status st;

	if (!fsio_exists(path))
		return ES_OK;
	st = open_kept(v, path, kr, &b);
	v->vdb.table = values;
	if (st == ES_OK)
		st = bundle_each_member(b, answer_member, v, &why);
	if (st != ES_OK && st != ES_IO)
		msg_error("%s/%s: %s", HOME_DIGESTS, strrchr(path, '/') + 1,
			  why.len ? why.buf : "unreadable");
	bundle_close(b);
	sb_release(&why);
	return st;
}

/* ---- walking the digest ---- */

/* Does the expand answer describe node [start, end) wholly?  *first: its
 * first range there. */
static int covered(const struct ht_list *a, const struct ht_range *start, const char *end,
		   size_t elen, size_t *first)
{
	size_t j, m;

	if (!a->n)
		return 0;
	j = start->key ? ht_list_find(a, start->key, start->klen) : 0;
	if (a->r[j].kind == HT_SKIP ||
	    ht_key_cmp(a->r[j].key, a->r[j].klen, start->key, start->klen) != 0 ||
	    (!start->key) != (!a->r[j].key))
		return 0;
	for (m = j + 1; m < a->n && (!end || ht_key_cmp(a->r[m].key, a->r[m].klen, end, elen) < 0);
	     m++)
		if (a->r[m].kind == HT_SKIP)
			return 0;
	if (end && (m == a->n || ht_key_cmp(a->r[m].key, a->r[m].klen, end, elen) != 0))
		return 0;
	if (!end && m != a->n)
		return 0;
	*first = j;
	return 1;
}

/* The district's records of an expanded range, from its answer. */
static es_status rows_of(struct vctx *v, const struct reg_object *o, const struct ht_range *r,
			 const char *end, size_t elen)
{
	struct vdb *d = &v->vdb;
	struct rec_val vals[REG_MAX_FIELDS];
	unsigned char hash[REC_HASH_BYTES];
	/* no "OR" in the query: the index bounds both ends */
	sqlite3_stmt *q = end ? d->sel_rows : d->sel_last;
	es_status st = ES_OK;
	int rc;

	sqlite3_reset(q);
	sqlite3_bind_int64(q, 1, (sqlite3_int64)o->index);
	sqlite3_bind_blob(q, 2, r->key ? r->key : "", (int)r->klen, SQLITE_STATIC);
	if (end)
		sqlite3_bind_blob(q, 3, end, (int)elen, SQLITE_STATIC);
	while (st == ES_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *key = sqlite3_column_blob(q, 0);
		size_t klen = (size_t)sqlite3_column_bytes(q, 0);

		if (rec_unpack(o, sqlite3_column_blob(q, 1),
			       (size_t)sqlite3_column_bytes(q, 1), vals) < 0) {
			st = ES_SOFTWARE;
			break;
		}
		fs_hash(&v->fs, o, vals, &v->text, hash);
		st = vm_row(v->m, key ? key : "", klen, hash, vals);
	}
	sqlite3_reset(q);
	if (st == ES_OK)
		st = vm_rows_end(v->m, end, elen);
	return st;
}

static es_status run_tree(struct vctx *v, const struct reg_object *o, const struct ht_list *dl)
{
	const struct ht_list *a = &v->ans[o->index];
	es_status st = vm_object_begin(v->m, o);
	size_t i, j;

	for (i = 0; st == ES_OK && i < dl->n; i++) {
		const struct ht_range *n = &dl->r[i];
		const char *end = i + 1 < dl->n ? dl->r[i + 1].key : NULL;
		size_t elen = i + 1 < dl->n ? dl->r[i + 1].klen : 0;

		st = vm_node(v->m, n->key, n->klen, n->count);
		if (st != ES_OK)
			break;
		if (!v->ans_ok || !covered(a, n, end, elen, &j)) {
			st = vm_summary(v->m, end, elen, n->count, n->hash);
			continue;
		}
		for (; st == ES_OK && j < a->n &&
		       (!end || ht_key_cmp(a->r[j].key, a->r[j].klen, end, elen) < 0); j++) {
			const char *aend = j + 1 < a->n ? a->r[j + 1].key : NULL;
			size_t alen = j + 1 < a->n ? a->r[j + 1].klen : 0;

			if (a->r[j].kind == HT_SUMMARY)
				st = vm_summary(v->m, aend, alen, a->r[j].count, a->r[j].hash);
			else
				st = rows_of(v, o, &a->r[j], aend, alen);
		}
	}
	if (st == ES_OK)
		st = vm_object_end(v->m);
	return st;
}

/*
 * A digest with a hash per record is read (decompressed, parsed, checked)
 * on a thread of its own while this one reads the store and merges: rows
 * travel in batches of OPQ_ROWS (keys joined, hashes 16 bytes each).
 */
struct producer {
	struct bundle *b;
	const struct reg_object *o;
	struct opq *q;
	struct opq_batch *cur;
	struct digest_reader *dr;
	ssize_t r;
	int stopped;		/* the consumer gave up */
};

static int produce_row(void *ctx, const struct rec_val *keys,
		       const unsigned char hash[REC_HASH_BYTES], int dup)
{
	struct producer *p = ctx;
	size_t i, kl;

	(void)dup;	/* vmerge finds duplicates itself */
	if (!p->cur) {
		p->cur = opq_get(p->q);
		if (!p->cur) {
			p->stopped = 1;
			return 1;
		}
		p->cur->o = p->o;
		p->cur->kind = OPQ_TOUCH;
	}
	kl = p->cur->keys.len;
	for (i = 0; i < p->o->nkeys; i++) {
		if (i)
			sb_addch(&p->cur->keys, '\0');
		sb_add(&p->cur->keys, keys[i].p, keys[i].n);
	}
	sb_add(&p->cur->datas, hash, REC_HASH_BYTES);
	p->cur->klen[p->cur->n] = p->cur->keys.len - kl;
	p->cur->dlen[p->cur->n] = REC_HASH_BYTES;
	if (++p->cur->n == OPQ_ROWS) {
		opq_put(p->q, p->cur);
		p->cur = NULL;
	}
	return 0;
}

static void *produce(void *arg)
{
	struct producer *p = arg;
	char buf[1 << 16];

	while ((p->r = bundle_member_read(p->b, buf, sizeof buf)) > 0)
		if (digest_reader_feed(p->dr, buf, (size_t)p->r) != 0)
			break;
	if (p->r == 0 && !p->stopped)
		digest_reader_finish(p->dr);
	if (p->cur) {
		if (p->cur->n)
			opq_put(p->q, p->cur);
		else
			opq_release(p->q, p->cur);
	}
	p->cur = NULL;
	opq_close(p->q);
	return NULL;
}

static es_status full_digest(struct vctx *v, struct bundle *b, const struct reg_object *o,
			     const struct mf_member *mm)
{
	struct producer p;
	struct opq_batch *bt;
	pthread_t t;
	es_status st;

	memset(&p, 0, sizeof p);
	p.b = b;
	p.o = o;
	st = vm_object_begin(v->m, o);
	if (st == ES_OK)
		st = vm_node(v->m, NULL, 0, mm->rows);
	if (st != ES_OK)
		return st;
	p.q = opq_new();
	p.dr = digest_reader_new(o, produce_row, &p);
	if (pthread_create(&t, NULL, produce, &p) != 0) {
		msg_error("verify: cannot start a thread");
		digest_reader_free(p.dr);
		opq_free(p.q);
		return ES_IO;
	}
	while ((bt = opq_take(p.q)) != NULL) {
		size_t i, ko = 0;

		for (i = 0; st == ES_OK && i < bt->n; i++) {
			st = vm_row(v->m, bt->keys.buf + ko, bt->klen[i],
				    (const unsigned char *)bt->datas.buf + i * REC_HASH_BYTES, NULL);
			ko += bt->klen[i];
		}
		if (st != ES_OK)
			opq_abort(p.q);
		sb_reset(&bt->keys);
		sb_reset(&bt->datas);
		bt->n = 0;
		opq_release(p.q, bt);
	}
	pthread_join(t, NULL);
	if (st == ES_OK && p.r < 0) {
		sb_addf(&v->why, "member %s is damaged", mm->name);
		st = ES_REFUSED;
	} else if (st == ES_OK && digest_reader_error(p.dr)) {
		sb_addf(&v->why, "member %s: %s", mm->name, digest_reader_error(p.dr));
		st = ES_DATA;
	}
	if (st == ES_OK)
		st = vm_object_end(v->m);
	digest_reader_free(p.dr);
	opq_free(p.q);
	return st;
}

static es_status digest_member(void *ctx, struct bundle *b, const struct mf_member *mm)
{
	struct vctx *v = ctx;
	const struct reg_object *o = reg_find(mm->object);
	es_status st;

	if (mm->type == MF_REQUEST) {
		if (vk_read_member(b, RQ_MAX_BYTES, &v->text) < 0 ||
		    rq_parse(v->text.buf ? v->text.buf : "", v->text.len, &v->drq, &v->why) < 0)
			return ES_DATA;
		v->have_drq = 1;
		return ES_OK;
	}
	if (!o || o->area == REG_AREA_NONE || (mm->type != MF_TREE && mm->type != MF_DIGEST))
		return ES_OK;
	if (mm->fields != fs_fingerprint(&v->fs, o)) {
		sb_addf(&v->why, "the digest of %s covers other fields than this state's registry "
			"(different edsync versions?)", o->name);
		return ES_DATA;
	}
	v->seen[o->index] = 1;
	if (mm->type == MF_TREE) {
		struct ht_list dl;

		if (vk_read_member(b, TREE_MAX, &v->text) < 0) {
			sb_addf(&v->why, "member %s is damaged", mm->name);
			return ES_REFUSED;
		}
		if (ht_list_parse(o, v->text.buf ? v->text.buf : "", v->text.len, &dl, &v->why) < 0)
			return ES_DATA;
		st = run_tree(v, o, &dl);
		ht_list_free(&dl);
		return st;
	}
	return full_digest(v, b, o, mm);
}

/* ---- asking the district ---- */

static uint64_t lines(const struct sb *s)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < s->len; i++)
		n += s->buf[i] == '\n';
	return n ? n - 1 : 0;	/* less the header */
}

/*
 * Send one request (expand, else records) when the Summary needs it and
 * the same one is not waiting for its answer already.  note: what people
 * are told.
 */
static es_status ask(struct vctx *v, struct store *s, struct sb *note)
{
	struct request rq;
	struct so_member *mem = NULL;
	struct sb ini = SB_INIT, objs = SB_INIT;
	struct key_secret *k = NULL;
	crypto_generichash_state hs;
	unsigned char hash[32];
	char name[128], at[24];
	uint64_t seq = 0, waiting = 0;
	size_t n = 0, i;
	int pass;
	es_status st = ES_OK;

	for (pass = 0; pass < 2 && !n; pass++) {
		rq_init(&rq, pass ? RQ_RECORDS : RQ_EXPAND);
		sb_reset(&objs);
		for (i = 0; i < reg_count(); i++) {
			const struct reg_object *o = reg_at(i);
			const struct sb *t = pass ? vm_keys_wanted(v->m, o) : vm_expand_tree(v->m, o);

			if (!t->len)
				continue;
			mem = xrealloc(mem, (n + 2) * sizeof *mem);
			mem[n + 1].object = o->name;
			mem[n + 1].type = pass ? MF_KEYS : MF_TREE;
			mem[n + 1].data = t->buf;
			mem[n + 1].len = t->len;
			mem[n + 1].rows = lines(t);
			mem[n + 1].fields = pass ? 0 : fs_fingerprint(&v->fs, o);
			n++;
			if (objs.len)
				sb_addch(&objs, ';');
			sb_addstr(&objs, o->name);
		}
		if (!n) {
			rq_free(&rq);
			continue;
		}
		rq.digest = v->digest_seq;
		free(rq.objects);
		rq.objects = xstrdup(objs.buf);
		free(rq.fields);
		rq.fields = xstrdup(v->fs.spec);
		snprintf(rq.school, sizeof rq.school, "%s", v->school);
	}
	if (!n)
		goto out;
	rq_encode(&rq, &ini);
	mem[0].object = "request";
	mem[0].type = MF_REQUEST;
	mem[0].data = ini.buf;
	mem[0].len = ini.len;
	mem[0].rows = 1;
	mem[0].fields = 0;
	crypto_generichash_init(&hs, NULL, 0, sizeof hash);
	for (i = 0; i <= n; i++)
		crypto_generichash_update(&hs, (const unsigned char *)mem[i].data, mem[i].len);
	crypto_generichash_final(&hs, hash, sizeof hash);
	st = store_request_waiting(s, v->district, hash, &waiting, at);
	if (st == ES_OK && waiting) {
		sb_addf(note, "waiting for the district's answer to %s request %" PRIu64
			" (sent %s): load it, then verify again", rq_what_name(rq.what), waiting, at);
		goto out;
	}
	if (st == ES_OK)
		st = home_secret_key(v->h, &k);
	if (st == ES_OK)
		st = so_send(v->h, s, k, v->district, "request", mem, n + 1, &seq, name, sizeof name);
	if (st == ES_OK)
		st = store_request_add(s, v->district, seq, rq_what_name(rq.what), v->digest_seq,
				       hash);
	if (st == ES_OK)
		sb_addf(note, "%s request sent to the district: %s/%s/%s; once its answer is "
			"loaded, verify again", rq_what_name(rq.what), HOME_OUTBOX, v->district,
			name);
out:
	if (n)
		rq_free(&rq);
	key_secret_free(k);
	free(mem);
	sb_release(&ini);
	sb_release(&objs);
	return st;
}

/* Send the Summary back to the district: report.csv and detail.csv. */
static es_status report_back(struct vctx *v, struct store *s, const struct rp_summary *sum,
			     const char *report)
{
	struct sb detail = SB_INIT;
	struct key_secret *k = NULL;
	struct so_member mem[2];
	char name[128];
	uint64_t seq;
	es_status st;

	vr_detail_text(v->m, &detail);
	mem[0].object = "report";
	mem[0].type = MF_REPORT;
	mem[0].data = report;
	mem[0].len = strlen(report);
	mem[0].rows = REG_AREA_COUNT;
	mem[0].fields = 0;
	mem[1].object = "detail";
	mem[1].type = MF_DETAIL;
	mem[1].data = detail.buf;
	mem[1].len = detail.len;
	mem[1].rows = lines(&detail);
	mem[1].fields = 0;
	(void)sum;
	st = home_secret_key(v->h, &k);
	if (st == ES_OK)
		st = so_send(v->h, s, k, v->district, "report", mem, 2, &seq, name, sizeof name);
	key_secret_free(k);
	sb_release(&detail);
	return st;
}

/* "the fields a;b of school 12", for messages (into buf) */
static const char *scope_name(const struct vctx *v, struct sb *buf)
{
	sb_reset(buf);
	if (!fs_every_field(&v->fs))
		sb_addf(buf, "the fields %s", v->fs.spec);
	if (*v->school)
		sb_addf(buf, "%sschool %s", buf->len ? " of " : "", v->school);
	return buf->buf;
}

/* vmerge's filter: a record of the school? */
static int in_school(void *ctx, const struct reg_object *o, const struct rec_val *v)
{
	return sc_in(ctx, o, v);
}

static es_status parse_limit(struct cli *cli, const char *arg, size_t *out)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = strtoull(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-')
		return cli_usage(cli, "--limit is a number (0: every key)");
	*out = (size_t)n;
	return ES_OK;
}

es_status cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "district", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'O' },
		{ "fields", required_argument, NULL, 'F' },
		{ "school", required_argument, NULL, 's' },
		{ "limit", required_argument, NULL, 'l' },
		{ "no-request", no_argument, NULL, 'n' },
		{ "no-report", no_argument, NULL, 'r' },
		CLI_COMMON_OPTIONS
	};
	struct cli cli;
	struct home h;
	struct keyring kr = { NULL, 0 };
	struct bundle *b = NULL;
	struct store *s = NULL;
	struct vctx v;
	struct vm_opts vo;
	struct vr_meta mt;
	struct sb note = SB_INIT, report = SB_INIT;
	const char *district = NULL, *format = "text", *out = NULL, *fields = "", *school = "";
	char *path = NULL, *epath = NULL, *rpath = NULL, now[24];
	size_t limit = 100, i;
	int c, no_request = 0, no_report = 0, home_open_ok = 0;
	FILE *fp = stdout;
	es_status st, done;
	struct rp_summary sum;

	memset(&v, 0, sizeof v);
	cli_init(&cli, "verify");
	while ((c = cli_next(&cli, argc, argv, opts)) != -1) {
		switch (c) {
		case 'd': district = optarg; break;
		case 'f': format = optarg; break;
		case 'O': out = optarg; break;
		case 'F': fields = optarg; break;
		case 's':
			if (!mf_district_ok(optarg))
				return cli_usage(&cli, "--school is a school number (schoolID)");
			school = optarg;
			break;
		case 'l':
			if ((st = parse_limit(&cli, optarg, &limit)) != ES_OK)
				return st;
			break;
		case 'n': no_request = 1; break;
		case 'r': no_report = 1; break;
		case CLI_HELP: return ES_OK;
		default: return ES_USAGE;
		}
	}
	if ((st = cli_no_operands(&cli, argc, argv)) != ES_OK)
		return st;
	if (!district || !mf_district_ok(district))
		return cli_usage(&cli, "give --district ID");
	if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "csv") &&
	    strcmp(format, "html"))
		return cli_usage(&cli, "--format is text, json, csv or html");
	if (fs_parse(&v.fs, fields, &v.why) < 0) {
		st = cli_usage(&cli, "%s", v.why.buf);
		sb_release(&v.why);
		return st;
	}
	st = home_start(&h, home_default(cli.home), "verify", CFG_STATE, 0, 0);
	if (st != ES_OK) {
		fs_free(&v.fs);
		sb_release(&v.why);
		return st;
	}
	home_open_ok = 1;
	v.h = &h;
	v.district = district;
	v.school = school;
	v.ans = xcalloc(reg_count(), sizeof *v.ans);
	v.seen = xcalloc(reg_count(), 1);
	path = vk_slot(&h, district, v.school, v.fs.spec, "");
	epath = vk_slot(&h, district, v.school, v.fs.spec, ".expand");
	rpath = vk_slot(&h, district, v.school, v.fs.spec, ".records");
	if (!fsio_exists(path)) {
		if (fs_every_field(&v.fs) && !*v.school) {
			msg_error("verify: no digest from district %s yet: run 'edsync digest' there, "
				  "send it and load it here", district);
			st = ES_NOINPUT;
			goto out;
		}
		st = home_store_open(&h, &s);
		if (st == ES_OK && !no_request) {
			struct request rq;
			struct key_secret *k = NULL;
			struct so_member mem;
			char name[128];
			uint64_t seq;

			rq_init(&rq, RQ_VERIFY);
			rq.tree = 1;
			free(rq.fields);
			rq.fields = xstrdup(v.fs.spec);
			snprintf(rq.school, sizeof rq.school, "%s", v.school);
			rq_encode(&rq, &note);
			mem.object = "request";
			mem.type = MF_REQUEST;
			mem.data = note.buf;
			mem.len = note.len;
			mem.rows = 1;
			mem.fields = 0;
			st = home_secret_key(&h, &k);
			if (st == ES_OK)
				st = so_send(&h, s, k, district, "request", &mem, 1, &seq, name,
					     sizeof name);
			key_secret_free(k);
			rq_free(&rq);
			if (st == ES_OK)
				msg_error("verify: no digest of %s from district %s yet: asked for one "
					  "(%s/%s/%s)", scope_name(&v, &note), district, HOME_OUTBOX,
					  district, name);
		} else if (st == ES_OK) {
			msg_error("verify: no digest of %s from district %s yet",
				  scope_name(&v, &note), district);
		}
		st = st == ES_OK ? ES_NOINPUT : st;
		goto out;
	}
	st = home_keyring(&h, &kr);
	if (st == ES_OK)
		st = open_kept(&v, path, &kr, &b);
	if (st != ES_OK)
		goto out;
	v.digest_seq = bundle_manifest(b)->sequence;
	if ((st = vdb_open(&v.vdb)) != ES_OK)
		goto out;
	if ((st = read_answer(&v, epath, &kr, 0)) != ES_OK ||
	    (st = read_answer(&v, rpath, &kr, 1)) != ES_OK)
		goto out;
	st = home_store_open(&h, &s);
	if (st == ES_OK && *v.school)
		st = scope_school_store(s, v.district, v.school, &v.sc);
	if (st != ES_OK)
		goto out;
	memset(&vo, 0, sizeof vo);
	vo.s = s;
	vo.district = district;
	vo.fs = &v.fs;
	vo.limit = limit;
	vo.values = vdb_values;
	vo.values_ctx = &v.vdb;
	if (v.sc) {
		vo.filter = in_school;
		vo.filter_ctx = v.sc;
	}
	v.m = vm_new(&vo);
	st = bundle_each_member(b, digest_member, &v, &v.why);
	if (st != ES_OK) {
		if (v.why.len)
			msg_error("%s/%s: %s", HOME_DIGESTS, strrchr(path, '/') + 1, v.why.buf);
		goto out;
	}
	/* Objects of an area the digest left out: the state's records count
	 * on its side only. */
	for (i = 0; st == ES_OK && i < reg_count(); i++) {
		const struct reg_object *o = reg_at(i);

		if (v.seen[i] || o->area == REG_AREA_NONE)
			continue;
		st = vm_object_begin(v.m, o);
		if (st == ES_OK)
			st = vm_state_only(v.m);
		if (st == ES_OK)
			st = vm_object_end(v.m);
	}
	if (st != ES_OK)
		goto out;
	sum = *vm_figures(v.m);
	outbox_now(now);
	snprintf(sum.at, sizeof sum.at, "%s", now);
	sum.digest_seq = v.digest_seq;
	done = ES_OK;
	if (!no_request)
		done = ask(&v, s, &note);
	memset(&mt, 0, sizeof mt);
	mt.district = district;
	mt.state = bundle_manifest(b)->state;
	mt.digest_seq = v.digest_seq;
	mt.digest_made = bundle_manifest(b)->created;
	mt.verified_at = now;
	mt.fields = v.fs.spec;
	mt.school = v.school;
	mt.note = note.len ? note.buf : NULL;
	if (out) {
		fp = fopen(out, "w");
		if (!fp) {
			msg_error("%s: cannot write: %s", out, strerror(errno));
			st = ES_IO;
			goto out;
		}
	}
	if (!strcmp(format, "json"))
		vr_json(fp, &mt, &sum, v.m);
	else if (!strcmp(format, "csv"))
		vr_csv(fp, &mt, &sum, v.m);
	else if (!strcmp(format, "html"))
		vr_html(fp, &mt, &sum, v.m);
	else
		vr_text(fp, &mt, &sum, v.m);
	if (out && fclose(fp) != 0) {
		msg_error("%s: write failed: %s", out, strerror(errno));
		st = ES_IO;
		goto out;
	}
	fflush(stdout);
	rp_write(&sum, &report);
	{
		/* for status and the history; the comparison stands even when it
		 * cannot be recorded (the store said why) */
		struct store_verification_run run;
		struct rp_area t;

		rp_total(&sum, &t);
		memset(&run, 0, sizeof run);
		run.v.district = district;
		run.v.digest_seq = v.digest_seq;
		run.v.at = now;
		run.v.in_sync = rp_in_sync(&sum);
		run.v.missing_at_state = t.missing_at_state;
		run.v.missing_at_district = t.missing_at_district;
		run.v.differences = t.differences;
		run.complete = rp_complete(&sum);
		run.school = v.school;
		run.fields = v.fs.spec;
		run.report = report.buf;
		store_verification_add(s, &run);
	}
	if (!no_report)
		done = es_worst(done, report_back(&v, s, &sum, report.buf));
	st = done != ES_OK ? done : rp_in_sync(&sum) ? ES_OK : ES_DIFFER;
out:
	if (v.have_drq)
		rq_free(&v.drq);
	vm_free(v.m);
	sc_free(v.sc);
	vdb_close(&v.vdb);
	store_close(s);
	for (i = 0; v.ans && i < reg_count(); i++)
		ht_list_free(&v.ans[i]);
	free(v.ans);
	free(v.seen);
	fs_free(&v.fs);
	sb_release(&v.text);
	sb_release(&v.why);
	sb_release(&note);
	sb_release(&report);
	bundle_close(b);
	keyring_free(&kr);
	free(path);
	free(epath);
	free(rpath);
	if (home_open_ok)
		home_close(&h);
	return st;
}
