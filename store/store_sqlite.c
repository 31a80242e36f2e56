/* store_sqlite.c - the state store in one SQLite file; see store.h. */
#include "store.h"
#include "../formats/registry.h"
#include "../util/msg.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* The layout of the tables below; a store of another layout is refused. */
#define STORE_FORMAT 3
/* Rows per multi-row upsert: about half the cost of one row at a time. */
#define BATCH 100

/* Prepared once per object, on first use. */
struct obj_stmts {
	sqlite3_stmt *upsert1, *upsertn, *touch, *unseen, *get, *scan, *count, *exists, *del;
};

/* Upserts waiting for a multi-row statement: one object, one district. */
struct pending {
	const struct reg_object *o;
	char district[32];
	size_t n;
	struct sb keys, datas;
	size_t klen[BATCH], dlen[BATCH];
	uint64_t seq[BATCH];
};

struct store {
	sqlite3 *db;
	char *path;
	struct obj_stmts *os;		/* indexed by reg_object.index */
	sqlite3_stmt *last_seq, *bundle_add, *district_set, *bundle_hash;
	sqlite3_stmt *hold, *held_chunk, *unhold, *unhold_unseen, *held_count;
	struct pending pend;
	struct sb key;			/* one encoded key */
	struct sb getbuf;		/* store_get's copy of its record */
	struct rec_val *vals;		/* decoded values handed out */
	int in_tx;
};

static es_status db_error(struct store *s, const char *what)
{
	msg_error("%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
	return ES_IO;
}

static es_status exec(struct store *s, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		msg_error("%s: %s", s->path, err ? err : sqlite3_errmsg(s->db));
		sqlite3_free(err);
		return ES_IO;
	}
	return ES_OK;
}

static es_status prepare(struct store *s, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
		return db_error(s, "cannot prepare a statement");
	return ES_OK;
}

static es_status step_done(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_error(s, what);
	return ES_OK;
}

/* Object names come from the registry, never from input. */
static es_status create_object_table(struct store *s, const struct reg_object *o)
{
	char *sql = xasprintf("CREATE TABLE IF NOT EXISTS \"%s\" ("
			      "_district TEXT NOT NULL, _key BLOB NOT NULL, _data BLOB NOT NULL, "
			      "_seq INTEGER NOT NULL, _changed INTEGER NOT NULL, "
			      "PRIMARY KEY (_district, _key)) WITHOUT ROWID", o->name);
	es_status st = exec(s, sql);

	free(sql);
	return st;
}

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS edsync_district ("
	"  district TEXT PRIMARY KEY, last_seq INTEGER NOT NULL, updated TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS edsync_bundle ("
	"  district TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,"
	"  manifest_hash BLOB NOT NULL, file TEXT NOT NULL, applied TEXT NOT NULL,"
	"  rows INTEGER NOT NULL, orphans INTEGER NOT NULL,"
	"  PRIMARY KEY (district, seq));"
	"CREATE TABLE IF NOT EXISTS edsync_outcome ("
	"  id INTEGER PRIMARY KEY, district TEXT NOT NULL, seq INTEGER NOT NULL,"
	"  file TEXT NOT NULL, manifest_hash BLOB NOT NULL, outcome TEXT NOT NULL,"
	"  reason TEXT NOT NULL, records INTEGER NOT NULL, orphans INTEGER NOT NULL,"
	"  held INTEGER NOT NULL, objects TEXT NOT NULL, at TEXT NOT NULL,"
	"  carried INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX IF NOT EXISTS edsync_outcome_pending ON edsync_outcome (carried, district, id);"
	"CREATE TABLE IF NOT EXISTS edsync_out_seq ("
	"  district TEXT PRIMARY KEY, last_seq INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS edsync_held ("
	"  district TEXT NOT NULL, object TEXT NOT NULL, key BLOB NOT NULL,"
	"  data BLOB NOT NULL, seq INTEGER NOT NULL,"
	"  reason TEXT NOT NULL, since TEXT NOT NULL,"
	"  PRIMARY KEY (district, object, key));"
	"CREATE TABLE IF NOT EXISTS edsync_orphan ("
	"  district TEXT NOT NULL, object TEXT NOT NULL, key BLOB NOT NULL,"
	"  seq INTEGER NOT NULL, since TEXT NOT NULL,"
	"  PRIMARY KEY (district, object, key)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS edsync_verification ("
	"  district TEXT PRIMARY KEY, digest_seq INTEGER NOT NULL, at TEXT NOT NULL,"
	"  in_sync INTEGER NOT NULL, missing_at_state INTEGER NOT NULL,"
	"  missing_at_district INTEGER NOT NULL, differences INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS edsync_verification_run ("
	"  id INTEGER PRIMARY KEY, district TEXT NOT NULL, digest_seq INTEGER NOT NULL,"
	"  at TEXT NOT NULL, in_sync INTEGER NOT NULL, complete INTEGER NOT NULL,"
	"  missing_at_state INTEGER NOT NULL, missing_at_district INTEGER NOT NULL,"
	"  differences INTEGER NOT NULL, school TEXT NOT NULL, fields TEXT NOT NULL,"
	"  report TEXT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS edsync_verification_run_district"
	"  ON edsync_verification_run (district, id);"
	"CREATE TABLE IF NOT EXISTS edsync_request ("
	"  district TEXT NOT NULL, seq INTEGER NOT NULL, what TEXT NOT NULL,"
	"  digest_seq INTEGER NOT NULL, content BLOB NOT NULL, at TEXT NOT NULL,"
	"  answered INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (district, seq));";

static es_status check_format(struct store *s)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "cannot read the store's format");
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (v == 0) {
		/* new: pages large enough that bulk loads split few of them */
		return exec(s, "PRAGMA page_size=65536; PRAGMA user_version=3");
	}
	if (v != STORE_FORMAT) {
		msg_error("%s: store format %d is not format %d of this edsync", s->path, v,
			  STORE_FORMAT);
		return ES_CONFIG;
	}
	return ES_OK;
}

es_status store_open_sqlite(const char *path, struct store **out)
{
	static int configured;
	struct store *s;
	es_status st;
	size_t i;

	*out = NULL;
	if (!configured) {
		/* Before SQLite's first use: no global allocation statistics
		 * (a mutex per malloc), which edsync never reads. */
		sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
		configured = 1;
	}
	s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	s->os = xcalloc(reg_count(), sizeof *s->os);
	s->vals = xcalloc(REG_MAX_FIELDS, sizeof *s->vals);
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		db_error(s, "cannot open the store");
		store_close(s);
		return ES_IO;
	}
	sqlite3_busy_timeout(s->db, 10000);
	st = check_format(s);
	/* WAL: readers (verify, export) never block the loader.  FULL: a
	 * commit is on disk before the bundle is filed as applied.  A bounded
	 * page cache keeps memory flat whatever the size of the store. */
	if (st == ES_OK)
		st = exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			     "PRAGMA cache_size=-16384;");
	if (st == ES_OK)
		st = exec(s, "BEGIN");
	if (st == ES_OK)
		st = exec(s, schema);
	for (i = 0; st == ES_OK && i < reg_count(); i++)
		st = create_object_table(s, reg_at(i));
	if (st == ES_OK)
		st = exec(s, "COMMIT");
	if (st == ES_OK)
		st = prepare(s, "SELECT last_seq FROM edsync_district WHERE district = ?1",
			     &s->last_seq);
	if (st == ES_OK)
		st = prepare(s, "INSERT INTO edsync_bundle VALUES (?1, ?2, ?3, ?4, ?5, "
			     "strftime('%Y-%m-%dT%H:%M:%SZ','now'), ?6, ?7)", &s->bundle_add);
	if (st == ES_OK)
		st = prepare(s, "INSERT INTO edsync_district VALUES (?1, ?2, "
			     "strftime('%Y-%m-%dT%H:%M:%SZ','now')) ON CONFLICT (district) "
			     "DO UPDATE SET last_seq = excluded.last_seq, updated = excluded.updated",
			     &s->district_set);
	if (st == ES_OK)
		st = prepare(s, "SELECT manifest_hash FROM edsync_bundle "
			     "WHERE district = ?1 AND seq = ?2", &s->bundle_hash);
	if (st == ES_OK)
		st = prepare(s, "INSERT OR REPLACE INTO edsync_held VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
			     "strftime('%Y-%m-%dT%H:%M:%SZ','now'))", &s->hold);
	if (st == ES_OK)
		st = prepare(s, "SELECT rowid, object, key, data, seq, reason FROM edsync_held "
			     "WHERE district = ?1 AND rowid > ?2 ORDER BY rowid LIMIT ?3",
			     &s->held_chunk);
	if (st == ES_OK)
		st = prepare(s, "DELETE FROM edsync_held WHERE district = ?1 AND object = ?2 "
			     "AND key = ?3", &s->unhold);
	if (st == ES_OK)
		st = prepare(s, "DELETE FROM edsync_held WHERE district = ?1 AND object = ?2 "
			     "AND seq < ?3", &s->unhold_unseen);
	if (st == ES_OK)
		st = prepare(s, "SELECT count(*) FROM edsync_held WHERE ?1 IS NULL OR district = ?1",
			     &s->held_count);
	if (st != ES_OK) {
		store_close(s);
		return st;
	}
	*out = s;
	return ES_OK;
}

static es_status flush(struct store *s);

void store_close(struct store *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; s->os && i < reg_count(); i++) {
		sqlite3_finalize(s->os[i].upsert1);
		sqlite3_finalize(s->os[i].upsertn);
		sqlite3_finalize(s->os[i].touch);
		sqlite3_finalize(s->os[i].unseen);
		sqlite3_finalize(s->os[i].get);
		sqlite3_finalize(s->os[i].scan);
		sqlite3_finalize(s->os[i].count);
		sqlite3_finalize(s->os[i].exists);
		sqlite3_finalize(s->os[i].del);
	}
	sqlite3_finalize(s->hold);
	sqlite3_finalize(s->held_chunk);
	sqlite3_finalize(s->unhold);
	sqlite3_finalize(s->unhold_unseen);
	sqlite3_finalize(s->held_count);
	sqlite3_finalize(s->last_seq);
	sqlite3_finalize(s->bundle_add);
	sqlite3_finalize(s->district_set);
	sqlite3_finalize(s->bundle_hash);
	if (s->in_tx)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(s->db);
	sb_release(&s->pend.keys);
	sb_release(&s->pend.datas);
	sb_release(&s->key);
	sb_release(&s->getbuf);
	free(s->os);
	free(s->vals);
	free(s->path);
	free(s);
}

es_status store_begin(struct store *s)
{
	es_status st = exec(s, "BEGIN IMMEDIATE");

	if (st == ES_OK)
		s->in_tx = 1;
	return st;
}

es_status store_commit(struct store *s)
{
	es_status st = flush(s);

	if (st == ES_OK)
		st = exec(s, "COMMIT");
	if (st == ES_OK)
		s->in_tx = 0;
	return st;
}

void store_rollback(struct store *s)
{
	s->pend.n = 0;
	sb_reset(&s->pend.keys);
	sb_reset(&s->pend.datas);
	if (s->in_tx)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = 0;
}

/* ---- per-district bookkeeping ---- */

es_status store_last_seq(struct store *s, const char *district, uint64_t *seq)
{
	int rc;

	*seq = 0;
	if (flush(s) != ES_OK)
		return ES_IO;
	sqlite3_bind_text(s->last_seq, 1, district, -1, SQLITE_STATIC);
	rc = sqlite3_step(s->last_seq);
	if (rc == SQLITE_ROW)
		*seq = (uint64_t)sqlite3_column_int64(s->last_seq, 0);
	sqlite3_reset(s->last_seq);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(s, "cannot read the district's sequence");
	return ES_OK;
}

es_status store_bundle_applied(struct store *s, const struct store_bundle *b)
{
	es_status st = flush(s);

	if (st != ES_OK)
		return st;
	sqlite3_bind_text(s->bundle_add, 1, b->district, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s->bundle_add, 2, (sqlite3_int64)b->seq);
	sqlite3_bind_text(s->bundle_add, 3, b->kind, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s->bundle_add, 4, b->manifest_hash, 32, SQLITE_STATIC);
	sqlite3_bind_text(s->bundle_add, 5, b->file, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s->bundle_add, 6, (sqlite3_int64)b->rows);
	sqlite3_bind_int64(s->bundle_add, 7, (sqlite3_int64)b->orphans);
	st = step_done(s, s->bundle_add, "cannot record the bundle");
	if (st != ES_OK)
		return st;
	sqlite3_bind_text(s->district_set, 1, b->district, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s->district_set, 2, (sqlite3_int64)b->seq);
	return step_done(s, s->district_set, "cannot record the district's sequence");
}

es_status store_bundle_hash(struct store *s, const char *district, uint64_t seq,
			    unsigned char hash[32], int *found)
{
	int rc;

	*found = 0;
	if (flush(s) != ES_OK)
		return ES_IO;
	sqlite3_bind_text(s->bundle_hash, 1, district, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s->bundle_hash, 2, (sqlite3_int64)seq);
	rc = sqlite3_step(s->bundle_hash);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(s->bundle_hash, 0) == 32) {
		memcpy(hash, sqlite3_column_blob(s->bundle_hash, 0), 32);
		*found = 1;
	}
	sqlite3_reset(s->bundle_hash);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(s, "cannot read the bundle log");
	return ES_OK;
}

/* ---- records ---- */

static es_status stmts(struct store *s, const struct reg_object *o, struct obj_stmts **out)
{
	struct obj_stmts *os = &s->os[o->index];
	struct sb q = SB_INIT;
	const char *t = o->name;
	es_status st;
	size_t i;
	char *sql;

	*out = os;
	if (os->upsert1)
		return ES_OK;
	/* The update keeps _changed when the record did not change. */
	sb_addf(&q, "INSERT INTO \"%s\" (_district, _key, _data, _seq, _changed) VALUES ", t);
	for (i = 0; i < BATCH; i++)
		sb_addf(&q, "%s(?%zu, ?%zu, ?%zu, ?%zu, ?%zu)", i ? ", " : "", 4 * i + 1,
			4 * i + 2, 4 * i + 3, 4 * i + 4, 4 * i + 4);
	/* A key the same bundle already wrote is not written again: the row
	 * count of the statement then falls short, which is how a bundle
	 * carrying a key twice is caught without a set of every key. */
	sb_addstr(&q, " ON CONFLICT (_district, _key) DO UPDATE SET "
		  "_changed = CASE WHEN _data = excluded._data THEN _changed "
		  "ELSE excluded._seq END, _data = excluded._data, _seq = excluded._seq "
		  "WHERE _seq <> excluded._seq");
	st = prepare(s, q.buf, &os->upsertn);
	sb_release(&q);
	if (st != ES_OK)
		return st;
	sql = xasprintf("INSERT INTO \"%s\" (_district, _key, _data, _seq, _changed) "
			"VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (_district, _key) DO UPDATE "
			"SET _changed = CASE WHEN _data = excluded._data THEN _changed "
			"ELSE excluded._seq END, _data = excluded._data, _seq = excluded._seq "
			"WHERE _seq <> excluded._seq", t);
	st = prepare(s, sql, &os->upsert1);
	free(sql);
	if (st != ES_OK)
		return st;
#define PREP(field, fmt) \
	do { \
		sql = xasprintf(fmt, t); \
		st = prepare(s, sql, &os->field); \
		free(sql); \
		if (st != ES_OK) \
			return st; \
	} while (0)
	PREP(touch, "UPDATE \"%s\" SET _seq = ?3 WHERE _district = ?1 AND _key = ?2");
	PREP(unseen, "DELETE FROM \"%s\" WHERE _district = ?1 AND _seq < ?2");
	PREP(get, "SELECT _data FROM \"%s\" WHERE _district = ?1 AND _key = ?2");
	PREP(scan, "SELECT _data FROM \"%s\" WHERE _district = ?1 ORDER BY _key");
	PREP(count, "SELECT count(*) FROM \"%s\" WHERE _district = ?1");
	PREP(exists, "SELECT _seq FROM \"%s\" WHERE _district = ?1 AND _key = ?2");
	PREP(del, "DELETE FROM \"%s\" WHERE _district = ?1 AND _key = ?2");
#undef PREP
	return ES_OK;
}

/* Send the waiting upserts to SQLite. */
static es_status flush(struct store *s)
{
	struct pending *p = &s->pend;
	struct obj_stmts *os;
	size_t i, ko = 0, dof = 0;
	es_status st = ES_OK;

	if (!p->n)
		return ES_OK;
	if ((st = stmts(s, p->o, &os)) != ES_OK)
		goto out;
	if (p->n == BATCH) {
		for (i = 0; i < BATCH; i++) {
			int b = (int)(4 * i);

			sqlite3_bind_text(os->upsertn, b + 1, p->district, -1, SQLITE_STATIC);
			sqlite3_bind_blob(os->upsertn, b + 2, p->keys.buf + ko, (int)p->klen[i],
					  SQLITE_STATIC);
			sqlite3_bind_blob(os->upsertn, b + 3, p->datas.buf + dof, (int)p->dlen[i],
					  SQLITE_STATIC);
			sqlite3_bind_int64(os->upsertn, b + 4, (sqlite3_int64)p->seq[i]);
			ko += p->klen[i];
			dof += p->dlen[i];
		}
		st = step_done(s, os->upsertn, "cannot store records");
		if (st == ES_OK && sqlite3_changes(s->db) != BATCH)
			st = ES_DATA;
		goto out;
	}
	for (i = 0; i < p->n && st == ES_OK; i++) {
		sqlite3_bind_text(os->upsert1, 1, p->district, -1, SQLITE_STATIC);
		sqlite3_bind_blob(os->upsert1, 2, p->keys.buf + ko, (int)p->klen[i], SQLITE_STATIC);
		sqlite3_bind_blob(os->upsert1, 3, p->datas.buf + dof, (int)p->dlen[i],
				  SQLITE_STATIC);
		sqlite3_bind_int64(os->upsert1, 4, (sqlite3_int64)p->seq[i]);
		ko += p->klen[i];
		dof += p->dlen[i];
		st = step_done(s, os->upsert1, "cannot store a record");
		if (st == ES_OK && sqlite3_changes(s->db) != 1)
			st = ES_DATA;
	}
out:
	p->n = 0;
	sb_reset(&p->keys);
	sb_reset(&p->datas);
	return st;
}

/* Make room in the pending batch for a row of o for district. */
static es_status pending_for(struct store *s, const struct reg_object *o, const char *district)
{
	struct pending *p = &s->pend;

	if (p->n && (p->o != o || strcmp(p->district, district) != 0)) {
		es_status st = flush(s);

		if (st != ES_OK)
			return st;
	}
	if (!p->n) {
		p->o = o;
		snprintf(p->district, sizeof p->district, "%s", district);
	}
	return ES_OK;
}

static es_status pending_added(struct store *s, size_t kl, size_t dl, uint64_t seq)
{
	struct pending *p = &s->pend;

	p->klen[p->n] = p->keys.len - kl;
	p->dlen[p->n] = p->datas.len - dl;
	p->seq[p->n] = seq;
	if (++p->n == BATCH)
		return flush(s);
	return ES_OK;
}

es_status store_upsert(struct store *s, const struct reg_object *o, const char *district,
		       const struct rec_val *v, uint64_t seq)
{
	struct pending *p = &s->pend;
	es_status st = pending_for(s, o, district);
	size_t kl = p->keys.len, dl = p->datas.len;

	if (st != ES_OK)
		return st;
	rec_key_encode(o, v, &p->keys);
	rec_pack(o, v, &p->datas);
	return pending_added(s, kl, dl, seq);
}

es_status store_upsert_encoded(struct store *s, const struct reg_object *o,
			       const char *district, const char *key, size_t klen,
			       const char *data, size_t dlen, uint64_t seq)
{
	struct pending *p = &s->pend;
	es_status st = pending_for(s, o, district);
	size_t kl = p->keys.len, dl = p->datas.len;

	if (st != ES_OK)
		return st;
	sb_add(&p->keys, key, klen);
	sb_add(&p->datas, data, dlen);
	return pending_added(s, kl, dl, seq);
}

static void bind_key(struct store *s, sqlite3_stmt *st, const struct reg_object *o,
		     const char *district, const struct rec_val *v)
{
	sb_reset(&s->key);
	rec_key_encode(o, v, &s->key);
	sqlite3_bind_text(st, 1, district, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, s->key.len ? s->key.buf : "", (int)s->key.len, SQLITE_STATIC);
}

es_status store_touch(struct store *s, const struct reg_object *o, const char *district,
		      const struct rec_val *v, uint64_t seq)
{
	struct obj_stmts *os;
	es_status st = flush(s);

	if (st == ES_OK)
		st = stmts(s, o, &os);
	if (st != ES_OK)
		return st;
	bind_key(s, os->touch, o, district, v);
	sqlite3_bind_int64(os->touch, 3, (sqlite3_int64)seq);
	return step_done(s, os->touch, "cannot mark a record");
}

es_status store_touch_key(struct store *s, const struct reg_object *o, const char *district,
			  const char *key, size_t klen, uint64_t seq)
{
	struct obj_stmts *os;
	es_status st = flush(s);

	if (st == ES_OK)
		st = stmts(s, o, &os);
	if (st != ES_OK)
		return st;
	sqlite3_bind_text(os->touch, 1, district, -1, SQLITE_STATIC);
	sqlite3_bind_blob(os->touch, 2, klen ? key : "", (int)klen, SQLITE_STATIC);
	sqlite3_bind_int64(os->touch, 3, (sqlite3_int64)seq);
	return step_done(s, os->touch, "cannot mark a record");
}

es_status store_delete_key(struct store *s, const struct reg_object *o, const char *district,
			   const char *key, size_t klen, int *deleted)
{
	struct obj_stmts *os;
	es_status st = flush(s);

	*deleted = 0;
	if (st == ES_OK)
		st = stmts(s, o, &os);
	if (st != ES_OK)
		return st;
	sqlite3_bind_text(os->del, 1, district, -1, SQLITE_STATIC);
	sqlite3_bind_blob(os->del, 2, klen ? key : "", (int)klen, SQLITE_STATIC);
	st = step_done(s, os->del, "cannot delete a record");
	if (st == ES_OK)
		*deleted = sqlite3_changes(s->db) > 0;
	return st;
}

es_status store_delete_unseen(struct store *s, const struct reg_object *o,
			      const char *district, uint64_t seq, uint64_t *deleted)
{
	struct obj_stmts *os;
	es_status st = flush(s);

	*deleted = 0;
	if (st == ES_OK)
		st = stmts(s, o, &os);
	if (st != ES_OK)
		return st;
	sqlite3_bind_text(os->unseen, 1, district, -1, SQLITE_STATIC);
	sqlite3_bind_int64(os->unseen, 2, (sqlite3_int64)seq);
	st = step_done(s, os->unseen, "cannot remove orphaned records");
	if (st == ES_OK)
		*deleted = (uint64_t)sqlite3_changes(s->db);
	return st;
}

static es_status damaged(struct store *s, const struct reg_object *o)
{
	msg_error("%s: %s: a stored record is damaged", s->path, o->name);
	return ES_IO;
}

es_status store_unseen_keys(struct store *s, const struct reg_object *o, const char *district,
			    uint64_t seq, store_unseen_fn fn, void *ctx)
{
	struct rec_val v[REG_MAX_FIELDS];
	sqlite3_stmt *q;
	es_status st = flush(s);
	char *sql;
	int r;

	if (st != ES_OK)
		return st;
	sql = xasprintf("SELECT _key, _data FROM \"%s\" WHERE _district = ?1 AND _seq < ?2",
			o->name);
	st = prepare(s, sql, &q);
	free(sql);
	if (st != ES_OK)
		return st;
	sqlite3_bind_text(q, 1, district, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, (sqlite3_int64)seq);
	while (st == ES_OK && (r = sqlite3_step(q)) == SQLITE_ROW) {
		const char *key = sqlite3_column_blob(q, 0);
		int kn = sqlite3_column_bytes(q, 0);
		const char *data = sqlite3_column_blob(q, 1);
		int dn = sqlite3_column_bytes(q, 1);

		if (rec_unpack(o, data ? data : "", (size_t)dn, v) < 0) {
			st = damaged(s, o);
			break;
		}
		st = fn(ctx, key ? key : "", (size_t)kn, v);
	}
	if (st == ES_OK && r != SQLITE_DONE)
		st = db_error(s, "cannot read the records not carried");
	sqlite3_finalize(q);
	return st;
}

es_status store_flag_unseen(struct store *s, const struct reg_object *o, const char *district,
			    uint64_t seq, uint64_t *flagged)
{
	sqlite3_stmt *q;
	char *sql, now[32];
	time_t t = time(NULL);
	struct tm tm;
	es_status st = flush(s);

	*flagged = 0;
	if (st != ES_OK)
		return st;
	gmtime_r(&t, &tm);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
	sql = xasprintf("INSERT OR IGNORE INTO edsync_orphan (district, object, key, seq, since) "
			"SELECT ?1, ?3, _key, ?2, ?4 FROM \"%s\" WHERE _district = ?1 AND _seq < ?2",
			o->name);
	st = prepare(s, sql, &q);
	free(sql);
	if (st != ES_OK)
		return st;
	sqlite3_bind_text(q, 1, district, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, (sqlite3_int64)seq);
	sqlite3_bind_text(q, 3, o->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, now, -1, SQLITE_STATIC);
	st = step_done(s, q, "cannot flag orphaned records");
	sqlite3_finalize(q);
	if (st != ES_OK)
		return st;
	/* flagged now or before: what this resync did not carry */
	sql = xasprintf("SELECT count(*) FROM edsync_orphan WHERE district = ?1 AND object = ?2");
	st = prepare(s, sql, &q);
	free(sql);
	if (st != ES_OK)
		return st;
	sqlite3_bind_text(q, 1, district, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, o->name, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW)
		*flagged = (uint64_t)sqlite3_column_int64(q, 0);
	else
		st = db_error(s, "cannot count orphaned records");
	sqlite3_finalize(q);
	return st;
}

es_status store_flag_key(struct store *s, const struct reg_object *o, const char *district,
			 const char *key, size_t klen, uint64_t seq)
{
	sqlite3_stmt *q;
	char now[32];
	time_t t = time(NULL);
	struct tm tm;
	es_status st = flush(s);

	if (st != ES_OK)
		return st;
	gmtime_r(&t, &tm);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
	st = prepare(s, "INSERT OR IGNORE INTO edsync_orphan (district, object, key, seq, since) "
		     "VALUES (?1, ?2, ?3, ?4, ?5)", &q);
	if (st != ES_OK)
		return st;
	sqlite3_bind_text(q, 1, district, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, o->name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(q, 3, klen ? key : "", (int)klen, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, (sqlite3_int64)seq);
	sqlite3_bind_text(q, 5, now, -1, SQLITE_STATIC);
	st = step_done(s, q, "cannot flag an orphaned record");
	sqlite3_finalize(q);
	return st;
}

es_status store_unflag_carried(struct store *s, const struct reg_object *o,
			       const char *district, uint64_t seq)
{
	sqlite3_stmt *q;
	char *sql;
	es_status st = flush(s);
	int any;

	if (st != ES_OK)
		return st;
	/* most districts have none: one look at the index first */
	st = prepare(s, "SELECT 1 FROM edsync_orphan WHERE district = ?1 AND object = ?2 LIMIT 1",
		     &q);
	if (st != ES_OK)
		return st;
	sqlite3_bind_text(q, 1, district, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, o->name, -1, SQLITE_STATIC);
	any = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_finalize(q);
	if (!any)
		return ES_OK;
	/* what bundle seq carried is no orphan; neither is what is gone */
	sql = xasprintf("DELETE FROM edsync_orphan WHERE district = ?1 AND object = ?2 AND "
			"(EXISTS (SELECT 1 FROM \"%s\" r WHERE r._district = ?1 AND "
			"r._key = edsync_orphan.key AND r._seq = ?3) OR NOT EXISTS (SELECT 1 FROM "
			"\"%s\" r WHERE r._district = ?1 AND r._key = edsync_orphan.key))",
			o->name, o->name);
	st = prepare(s, sql, &q);
	free(sql);
	if (st != ES_OK)
		return st;
	sqlite3_bind_text(q, 1, district, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, o->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, (sqlite3_int64)seq);
	st = step_done(s, q, "cannot clear orphan flags");
	sqlite3_finalize(q);
	return st;
}

es_status store_orphans_each(struct store *s, const char *district, store_orphan_fn fn,
			     void *ctx)
{
	sqlite3_stmt *q;
	es_status st = flush(s);
	int r;

	if (st != ES_OK)
		return st;
	st = prepare(s, "SELECT object, key, seq, since FROM edsync_orphan WHERE district = ?1 "
		     "ORDER BY object, key", &q);
	if (st != ES_OK)
		return st;
	sqlite3_bind_text(q, 1, district, -1, SQLITE_STATIC);
	while (st == ES_OK && (r = sqlite3_step(q)) == SQLITE_ROW) {
		const struct reg_object *o = reg_find((const char *)sqlite3_column_text(q, 0));
		const char *key = sqlite3_column_blob(q, 1);

		if (!o)
			continue;
		st = fn(ctx, o, key ? key : "", (size_t)sqlite3_column_bytes(q, 1),
			(uint64_t)sqlite3_column_int64(q, 2), (const char *)sqlite3_column_text(q, 3));
	}
	if (st == ES_OK && r != SQLITE_DONE)
		st = db_error(s, "cannot read the orphaned records");
	sqlite3_finalize(q);
	return st;
}

es_status store_get(struct store *s, const struct reg_object *o, const char *district,
		    const struct rec_val *v, struct rec_val *out, int *found)
{
	struct obj_stmts *os;
	es_status st = flush(s);
	int rc;

	*found = 0;
	if (st == ES_OK)
		st = stmts(s, o, &os);
	if (st != ES_OK)
		return st;
	bind_key(s, os->get, o, district, v);
	rc = sqlite3_step(os->get);
	if (rc == SQLITE_ROW) {
		/* Copied: the row's memory goes with the reset below. */
		sb_reset(&s->getbuf);
		sb_add(&s->getbuf, sqlite3_column_blob(os->get, 0),
		       (size_t)sqlite3_column_bytes(os->get, 0));
		if (rec_unpack(o, s->getbuf.buf, s->getbuf.len, out) < 0)
			st = damaged(s, o);
		else
			*found = 1;
	} else if (rc != SQLITE_DONE) {
		st = db_error(s, "cannot read a record");
	}
	sqlite3_reset(os->get);
	return st;
}

struct store_cursor {
	struct store *s;
	const struct reg_object *o;
	sqlite3_stmt *st;
	struct sb scratch;
	unsigned char hash[REC_HASH_BYTES];
};

es_status store_cursor_open(struct store *s, const struct reg_object *o,
			    const char *district, struct store_cursor **out)
{
	struct obj_stmts *os;
	es_status st = flush(s);
	struct store_cursor *c;

	*out = NULL;
	if (st == ES_OK)
		st = stmts(s, o, &os);
	if (st != ES_OK)
		return st;
	c = xcalloc(1, sizeof *c);
	c->s = s;
	c->o = o;
	c->st = os->scan;
	sqlite3_reset(c->st);
	sqlite3_bind_text(c->st, 1, district, -1, SQLITE_TRANSIENT);
	*out = c;
	return ES_OK;
}

int store_cursor_next(struct store_cursor *c, const struct rec_val **v,
		      const unsigned char **hash)
{
	int rc = sqlite3_step(c->st);

	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW) {
		db_error(c->s, "cannot read records");
		return -1;
	}
	if (rec_unpack(c->o, sqlite3_column_blob(c->st, 0),
		       (size_t)sqlite3_column_bytes(c->st, 0), c->s->vals) < 0) {
		damaged(c->s, c->o);
		return -1;
	}
	rec_hash(c->o, c->s->vals, &c->scratch, c->hash);
	*hash = c->hash;
	*v = c->s->vals;
	return 1;
}

void store_cursor_close(struct store_cursor *c)
{
	if (!c)
		return;
	sqlite3_reset(c->st);
	sb_release(&c->scratch);
	free(c);
}

es_status store_count(struct store *s, const struct reg_object *o, const char *district,
		      uint64_t *n)
{
	struct obj_stmts *os;
	es_status st = flush(s);

	*n = 0;
	if (st == ES_OK)
		st = stmts(s, o, &os);
	if (st != ES_OK)
		return st;
	sqlite3_bind_text(os->count, 1, district, -1, SQLITE_STATIC);
	if (sqlite3_step(os->count) == SQLITE_ROW)
		*n = (uint64_t)sqlite3_column_int64(os->count, 0);
	else
		st = db_error(s, "cannot count records");
	sqlite3_reset(os->count);
	return st;
}

es_status store_exists(struct store *s, const struct reg_object *o, const char *district,
		       const char *key, size_t klen, int *found, uint64_t *seq)
{
	struct obj_stmts *os;
	es_status st = flush(s);
	int rc;

	*found = 0;
	if (st == ES_OK)
		st = stmts(s, o, &os);
	if (st != ES_OK)
		return st;
	sqlite3_bind_text(os->exists, 1, district, -1, SQLITE_STATIC);
	sqlite3_bind_blob(os->exists, 2, klen ? key : "", (int)klen, SQLITE_STATIC);
	rc = sqlite3_step(os->exists);
	if (rc == SQLITE_ROW) {
		*found = 1;
		if (seq)
			*seq = (uint64_t)sqlite3_column_int64(os->exists, 0);
	}
	else if (rc != SQLITE_DONE)
		st = db_error(s, "cannot look a record up");
	sqlite3_reset(os->exists);
	return st;
}

es_status store_hold(struct store *s, const struct reg_object *o, const char *district,
		     const char *key, size_t klen, const char *data, size_t dlen,
		     uint64_t seq, const char *reason)
{
	es_status st = flush(s);

	if (st != ES_OK)
		return st;
	sqlite3_bind_text(s->hold, 1, district, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->hold, 2, o->name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s->hold, 3, klen ? key : "", (int)klen, SQLITE_STATIC);
	sqlite3_bind_blob(s->hold, 4, dlen ? data : "", (int)dlen, SQLITE_STATIC);
	sqlite3_bind_int64(s->hold, 5, (sqlite3_int64)seq);
	sqlite3_bind_text(s->hold, 6, reason, -1, SQLITE_STATIC);
	return step_done(s, s->hold, "cannot hold a record");
}

es_status store_held_chunk(struct store *s, const char *district, int64_t *cursor,
			   struct store_held *out, size_t max, size_t *n)
{
	es_status st = flush(s);
	size_t off = 0, i;
	int rc;

	*n = 0;
	if (st != ES_OK)
		return st;
	sb_reset(&s->getbuf);
	sqlite3_bind_text(s->held_chunk, 1, district, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s->held_chunk, 2, *cursor);
	sqlite3_bind_int64(s->held_chunk, 3, (sqlite3_int64)max);
	/* Copied out: the caller writes to the store between chunks. */
	while ((rc = sqlite3_step(s->held_chunk)) == SQLITE_ROW) {
		struct store_held *h = &out[*n];
		const char *obj = (const char *)sqlite3_column_text(s->held_chunk, 1);

		*cursor = sqlite3_column_int64(s->held_chunk, 0);
		h->o = obj ? reg_find(obj) : NULL;
		if (!h->o)
			continue;	/* an object this registry no longer has */
		h->klen = (size_t)sqlite3_column_bytes(s->held_chunk, 2);
		h->dlen = (size_t)sqlite3_column_bytes(s->held_chunk, 3);
		h->seq = (uint64_t)sqlite3_column_int64(s->held_chunk, 4);
		sb_add(&s->getbuf, sqlite3_column_blob(s->held_chunk, 2), h->klen);
		sb_add(&s->getbuf, sqlite3_column_blob(s->held_chunk, 3), h->dlen);
		sb_addstr(&s->getbuf, (const char *)sqlite3_column_text(s->held_chunk, 5));
		sb_addch(&s->getbuf, '\0');
		(*n)++;
	}
	if (rc != SQLITE_DONE)
		st = db_error(s, "cannot read held records");
	sqlite3_reset(s->held_chunk);
	/* pointers only now: the buffer no longer moves */
	for (i = 0; i < *n; i++) {
		out[i].key = s->getbuf.buf + off;
		off += out[i].klen;
		out[i].data = s->getbuf.buf + off;
		off += out[i].dlen;
		out[i].reason = s->getbuf.buf + off;
		off += strlen(out[i].reason) + 1;
	}
	return st;
}

es_status store_unhold(struct store *s, const struct reg_object *o, const char *district,
		       const char *key, size_t klen)
{
	es_status st = flush(s);

	if (st != ES_OK)
		return st;
	sqlite3_bind_text(s->unhold, 1, district, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->unhold, 2, o->name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s->unhold, 3, klen ? key : "", (int)klen, SQLITE_STATIC);
	return step_done(s, s->unhold, "cannot release a held record");
}

es_status store_unhold_unseen(struct store *s, const struct reg_object *o,
			      const char *district, uint64_t seq, uint64_t *dropped)
{
	es_status st = flush(s);

	*dropped = 0;
	if (st != ES_OK)
		return st;
	sqlite3_bind_text(s->unhold_unseen, 1, district, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->unhold_unseen, 2, o->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s->unhold_unseen, 3, (sqlite3_int64)seq);
	st = step_done(s, s->unhold_unseen, "cannot drop held records");
	if (st == ES_OK)
		*dropped = (uint64_t)sqlite3_changes(s->db);
	return st;
}

es_status store_held_count(struct store *s, const char *district, uint64_t *n)
{
	es_status st = flush(s);
	int rc;

	*n = 0;
	if (st != ES_OK)
		return st;
	if (district)
		sqlite3_bind_text(s->held_count, 1, district, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s->held_count, 1);
	rc = sqlite3_step(s->held_count);
	if (rc == SQLITE_ROW)
		*n = (uint64_t)sqlite3_column_int64(s->held_count, 0);
	else
		st = db_error(s, "cannot count held records");
	sqlite3_reset(s->held_count);
	return st;
}

es_status store_each_district(struct store *s, store_district_fn fn, void *ctx)
{
	sqlite3_stmt *st;
	es_status rc = flush(s);
	int r;

	if (rc != ES_OK)
		return rc;
	if (sqlite3_prepare_v2(s->db, "SELECT district, last_seq, updated FROM edsync_district "
			       "ORDER BY district", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "cannot list districts");
	while (rc == ES_OK && (r = sqlite3_step(st)) == SQLITE_ROW)
		rc = fn(ctx, (const char *)sqlite3_column_text(st, 0),
			(uint64_t)sqlite3_column_int64(st, 1), (const char *)sqlite3_column_text(st, 2));
	if (rc == ES_OK && r != SQLITE_DONE)
		rc = db_error(s, "cannot list districts");
	sqlite3_finalize(st);
	return rc;
}

es_status store_outcome_add(struct store *s, const struct store_outcome *o)
{
	sqlite3_stmt *st;
	es_status rc = flush(s);

	if (rc != ES_OK)
		return rc;
	if (sqlite3_prepare_v2(s->db, "INSERT INTO edsync_outcome (district, seq, file, "
			       "manifest_hash, outcome, reason, records, orphans, held, objects, at) "
			       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
			       "strftime('%Y-%m-%dT%H:%M:%SZ','now'))", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "cannot log an outcome");
	sqlite3_bind_text(st, 1, o->district, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)o->seq);
	sqlite3_bind_text(st, 3, o->file, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, o->manifest_hash, 32, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, o->outcome, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, o->reason ? o->reason : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)o->records);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)o->orphans);
	sqlite3_bind_int64(st, 9, (sqlite3_int64)o->held);
	sqlite3_bind_text(st, 10, o->objects ? o->objects : "", -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? ES_OK : db_error(s, "cannot log an outcome");
	sqlite3_finalize(st);
	return rc;
}

es_status store_outcomes_pending(struct store *s, const char *district, store_outcome_fn fn,
				 void *ctx, int64_t *last)
{
	sqlite3_stmt *st;
	es_status rc = flush(s);
	int r;

	*last = 0;
	if (rc != ES_OK)
		return rc;
	if (sqlite3_prepare_v2(s->db, "SELECT id, seq, file, manifest_hash, outcome, reason, "
			       "records, orphans, held, objects, at FROM edsync_outcome "
			       "WHERE carried = 0 AND district = ?1 ORDER BY id", -1, &st,
			       NULL) != SQLITE_OK)
		return db_error(s, "cannot read outcomes");
	sqlite3_bind_text(st, 1, district, -1, SQLITE_STATIC);
	while (rc == ES_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_outcome o;

		if (sqlite3_column_bytes(st, 3) != 32)
			continue;
		o.district = district;
		*last = sqlite3_column_int64(st, 0);
		o.seq = (uint64_t)sqlite3_column_int64(st, 1);
		o.file = (const char *)sqlite3_column_text(st, 2);
		o.manifest_hash = sqlite3_column_blob(st, 3);
		o.outcome = (const char *)sqlite3_column_text(st, 4);
		o.reason = (const char *)sqlite3_column_text(st, 5);
		o.records = (uint64_t)sqlite3_column_int64(st, 6);
		o.orphans = (uint64_t)sqlite3_column_int64(st, 7);
		o.held = (uint64_t)sqlite3_column_int64(st, 8);
		o.objects = (const char *)sqlite3_column_text(st, 9);
		o.at = (const char *)sqlite3_column_text(st, 10);
		rc = fn(ctx, &o);
	}
	if (rc == ES_OK && r != SQLITE_DONE)
		rc = db_error(s, "cannot read outcomes");
	sqlite3_finalize(st);
	return rc;
}

es_status store_outcomes_carried(struct store *s, const char *district, int64_t last)
{
	sqlite3_stmt *st;
	es_status rc = flush(s);

	if (rc != ES_OK)
		return rc;
	if (sqlite3_prepare_v2(s->db, "UPDATE edsync_outcome SET carried = 1 "
			       "WHERE carried = 0 AND district = ?1 AND id <= ?2", -1, &st,
			       NULL) != SQLITE_OK)
		return db_error(s, "cannot mark outcomes");
	sqlite3_bind_text(st, 1, district, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, last);
	rc = sqlite3_step(st) == SQLITE_DONE ? ES_OK : db_error(s, "cannot mark outcomes");
	sqlite3_finalize(st);
	return rc;
}

es_status store_outcome_districts(struct store *s, store_district_fn fn, void *ctx)
{
	sqlite3_stmt *st;
	es_status rc = flush(s);
	int r;

	if (rc != ES_OK)
		return rc;
	if (sqlite3_prepare_v2(s->db, "SELECT DISTINCT district FROM edsync_outcome "
			       "WHERE carried = 0 ORDER BY district", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "cannot read outcomes");
	while (rc == ES_OK && (r = sqlite3_step(st)) == SQLITE_ROW)
		rc = fn(ctx, (const char *)sqlite3_column_text(st, 0), 0, "");
	if (rc == ES_OK && r != SQLITE_DONE)
		rc = db_error(s, "cannot read outcomes");
	sqlite3_finalize(st);
	return rc;
}

es_status store_next_out_seq(struct store *s, const char *district, uint64_t *seq)
{
	sqlite3_stmt *st;
	es_status rc = flush(s);

	*seq = 0;
	if (rc != ES_OK)
		return rc;
	if (sqlite3_prepare_v2(s->db, "INSERT INTO edsync_out_seq VALUES (?1, 1) "
			       "ON CONFLICT (district) DO UPDATE SET last_seq = last_seq + 1 "
			       "RETURNING last_seq", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "cannot number a receipt");
	sqlite3_bind_text(st, 1, district, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		*seq = (uint64_t)sqlite3_column_int64(st, 0);
	else
		rc = db_error(s, "cannot number a receipt");
	sqlite3_reset(st);
	sqlite3_finalize(st);
	return rc;
}

/* ---- the last verification of each district ---- */

es_status store_verification_put(struct store *s, const struct store_verification *v)
{
	sqlite3_stmt *st;
	es_status rc = flush(s);

	if (rc != ES_OK)
		return rc;
	if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO edsync_verification "
			       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "cannot record the verification");
	sqlite3_bind_text(st, 1, v->district, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)v->digest_seq);
	sqlite3_bind_text(st, 3, v->at, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, v->in_sync);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)v->missing_at_state);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)v->missing_at_district);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)v->differences);
	rc = step_done(s, st, "cannot record the verification");
	sqlite3_finalize(st);
	return rc;
}

es_status store_verification_get(struct store *s, const char *district,
				 struct store_verification *v, int *found)
{
	sqlite3_stmt *st;
	es_status rc = flush(s);
	int r;

	*found = 0;
	memset(v, 0, sizeof *v);
	if (rc != ES_OK)
		return rc;
	if (sqlite3_prepare_v2(s->db, "SELECT digest_seq, at, in_sync, missing_at_state, "
			       "missing_at_district, differences FROM edsync_verification "
			       "WHERE district = ?1", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "cannot read the last verification");
	sqlite3_bind_text(st, 1, district, -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		v->district = district;
		v->digest_seq = (uint64_t)sqlite3_column_int64(st, 0);
		snprintf(v->at_buf, sizeof v->at_buf, "%s", (const char *)sqlite3_column_text(st, 1));
		v->at = v->at_buf;
		v->in_sync = sqlite3_column_int(st, 2);
		v->missing_at_state = (uint64_t)sqlite3_column_int64(st, 3);
		v->missing_at_district = (uint64_t)sqlite3_column_int64(st, 4);
		v->differences = (uint64_t)sqlite3_column_int64(st, 5);
		*found = 1;
	} else if (r != SQLITE_DONE) {
		rc = db_error(s, "cannot read the last verification");
	}
	sqlite3_finalize(st);
	return rc;
}

/* ---- the history of verifications ---- */

es_status store_verification_add(struct store *s, const struct store_verification_run *r)
{
	sqlite3_stmt *st;
	es_status rc = flush(s);
	int own = !s->in_tx;

	if (rc != ES_OK)
		return rc;
	if (own && (rc = exec(s, "BEGIN IMMEDIATE")) != ES_OK)
		return rc;
	if (sqlite3_prepare_v2(s->db, "INSERT INTO edsync_verification_run (district, digest_seq, "
			       "at, in_sync, complete, missing_at_state, missing_at_district, "
			       "differences, school, fields, report) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
			       "?7, ?8, ?9, ?10, ?11)", -1, &st, NULL) != SQLITE_OK) {
		rc = db_error(s, "cannot record the verification");
		goto out;
	}
	sqlite3_bind_text(st, 1, r->v.district, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)r->v.digest_seq);
	sqlite3_bind_text(st, 3, r->v.at, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, r->v.in_sync);
	sqlite3_bind_int(st, 5, r->complete);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)r->v.missing_at_state);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)r->v.missing_at_district);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)r->v.differences);
	sqlite3_bind_text(st, 9, r->school ? r->school : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, r->fields ? r->fields : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, r->report ? r->report : "", -1, SQLITE_STATIC);
	rc = step_done(s, st, "cannot record the verification");
	sqlite3_finalize(st);
	if (rc == ES_OK)
		rc = store_verification_put(s, &r->v);
out:
	if (own)
		rc = rc == ES_OK ? exec(s, "COMMIT") : (exec(s, "ROLLBACK"), rc);
	return rc;
}

es_status store_verification_runs(struct store *s, const char *district, size_t max,
				  store_run_fn fn, void *ctx)
{
	sqlite3_stmt *st;
	es_status rc = flush(s);
	int r;

	if (rc != ES_OK)
		return rc;
	if (sqlite3_prepare_v2(s->db, "SELECT id, digest_seq, at, in_sync, complete, "
			       "missing_at_state, missing_at_district, differences, school, fields, "
			       "report FROM edsync_verification_run WHERE district = ?1 "
			       "ORDER BY id DESC LIMIT ?2", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "cannot read the verifications");
	sqlite3_bind_text(st, 1, district, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
	while (rc == ES_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_verification_run run;

		memset(&run, 0, sizeof run);
		run.id = sqlite3_column_int64(st, 0);
		run.v.district = district;
		run.v.digest_seq = (uint64_t)sqlite3_column_int64(st, 1);
		snprintf(run.v.at_buf, sizeof run.v.at_buf, "%s",
			 (const char *)sqlite3_column_text(st, 2));
		run.v.at = run.v.at_buf;
		run.v.in_sync = sqlite3_column_int(st, 3);
		run.complete = sqlite3_column_int(st, 4);
		run.v.missing_at_state = (uint64_t)sqlite3_column_int64(st, 5);
		run.v.missing_at_district = (uint64_t)sqlite3_column_int64(st, 6);
		run.v.differences = (uint64_t)sqlite3_column_int64(st, 7);
		run.school = (const char *)sqlite3_column_text(st, 8);
		run.fields = (const char *)sqlite3_column_text(st, 9);
		run.report = (const char *)sqlite3_column_text(st, 10);
		rc = fn(ctx, &run);
	}
	if (rc == ES_OK && r != SQLITE_DONE)
		rc = db_error(s, "cannot read the verifications");
	sqlite3_finalize(st);
	return rc;
}

/* ---- key-ordered scans with _changed ---- */

struct store_scan {
	struct store *s;
	const struct reg_object *o;
	sqlite3_stmt *st;
	struct rec_val *vals;
};

es_status store_scan_open(struct store *s, const struct reg_object *o, const char *district,
			  const char *from, size_t flen, struct store_scan **out)
{
	struct store_scan *c;
	char *sql;
	es_status st = flush(s);

	*out = NULL;
	if (st != ES_OK)
		return st;
	c = xcalloc(1, sizeof *c);
	c->s = s;
	c->o = o;
	c->vals = xcalloc(REG_MAX_FIELDS, sizeof *c->vals);
	/* Object names come from the registry, never from input. */
	sql = xasprintf("SELECT _key, _data, _changed FROM \"%s\" WHERE _district = ?1 "
			"AND _key >= ?2 ORDER BY _key", o->name);
	if (sqlite3_prepare_v2(s->db, sql, -1, &c->st, NULL) != SQLITE_OK) {
		free(sql);
		st = db_error(s, "cannot read records");
		store_scan_close(c);
		return st;
	}
	free(sql);
	sqlite3_bind_text(c->st, 1, district, -1, SQLITE_TRANSIENT);
	sqlite3_bind_blob(c->st, 2, from && flen ? from : "", from ? (int)flen : 0,
			  SQLITE_TRANSIENT);
	*out = c;
	return ES_OK;
}

int store_scan_next(struct store_scan *c, const struct rec_val **v, const char **key,
		    size_t *klen, uint64_t *changed)
{
	int rc = sqlite3_step(c->st);

	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW) {
		db_error(c->s, "cannot read records");
		return -1;
	}
	if (rec_unpack(c->o, sqlite3_column_blob(c->st, 1),
		       (size_t)sqlite3_column_bytes(c->st, 1), c->vals) < 0) {
		damaged(c->s, c->o);
		return -1;
	}
	*key = sqlite3_column_blob(c->st, 0);
	*klen = (size_t)sqlite3_column_bytes(c->st, 0);
	if (!*key)
		*key = "";
	*changed = (uint64_t)sqlite3_column_int64(c->st, 2);
	*v = c->vals;
	return 1;
}

void store_scan_close(struct store_scan *c)
{
	if (!c)
		return;
	sqlite3_finalize(c->st);
	free(c->vals);
	free(c);
}

/* ---- requests sent to districts ---- */

es_status store_request_add(struct store *s, const char *district, uint64_t seq,
			    const char *what, uint64_t digest_seq, const unsigned char hash[32])
{
	sqlite3_stmt *st;
	es_status rc = flush(s);

	if (rc != ES_OK)
		return rc;
	if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO edsync_request (district, seq, "
			       "what, digest_seq, content, at) VALUES (?1, ?2, ?3, ?4, ?5, "
			       "strftime('%Y-%m-%dT%H:%M:%SZ','now'))", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "cannot log the request");
	sqlite3_bind_text(st, 1, district, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
	sqlite3_bind_text(st, 3, what, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)digest_seq);
	sqlite3_bind_blob(st, 5, hash, 32, SQLITE_STATIC);
	rc = step_done(s, st, "cannot log the request");
	sqlite3_finalize(st);
	return rc;
}

es_status store_request_waiting(struct store *s, const char *district,
				const unsigned char hash[32], uint64_t *seq, char at[24])
{
	sqlite3_stmt *st;
	es_status rc = flush(s);
	int r;

	*seq = 0;
	at[0] = '\0';
	if (rc != ES_OK)
		return rc;
	if (sqlite3_prepare_v2(s->db, "SELECT seq, at FROM edsync_request WHERE district = ?1 "
			       "AND content = ?2 AND answered = 0 ORDER BY seq DESC LIMIT 1", -1,
			       &st, NULL) != SQLITE_OK)
		return db_error(s, "cannot read the requests");
	sqlite3_bind_text(st, 1, district, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, hash, 32, SQLITE_STATIC);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		*seq = (uint64_t)sqlite3_column_int64(st, 0);
		snprintf(at, 24, "%s", (const char *)sqlite3_column_text(st, 1));
	} else if (r != SQLITE_DONE) {
		rc = db_error(s, "cannot read the requests");
	}
	sqlite3_finalize(st);
	return rc;
}

es_status store_request_answered(struct store *s, const char *district, uint64_t seq)
{
	sqlite3_stmt *st;
	es_status rc = flush(s);

	if (rc != ES_OK)
		return rc;
	if (sqlite3_prepare_v2(s->db, "UPDATE edsync_request SET answered = 1 WHERE "
			       "district = ?1 AND what = (SELECT what FROM edsync_request WHERE "
			       "district = ?1 AND seq = ?2) AND seq <= ?2", -1, &st,
			       NULL) != SQLITE_OK)
		return db_error(s, "cannot log the answer");
	sqlite3_bind_text(st, 1, district, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
	rc = step_done(s, st, "cannot log the answer");
	sqlite3_finalize(st);
	return rc;
}
