/* store_sqlite.c - the state store in one SQLite file; see store.h. */
#include "store.h"
#include "../formats/registry.h"
#include "../util/msg.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Prepared once per object, on first use. */
struct obj_stmts {
	sqlite3_stmt *upsert, *touch, *unseen, *get, *scan;
};

struct store {
	sqlite3 *db;
	char *path;
	struct obj_stmts *os;		/* indexed by reg_object.index */
	sqlite3_stmt *last_seq, *bundle_add, *district_set, *bundle_hash;
	struct rec_val *vals;		/* store_get / store_scan output */
	struct sb getbuf;		/* store_get's copy of its row */
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

/* Identifiers come from the registry, never from input; quote anyway. */
static void ident(struct sb *q, const char *name)
{
	sb_addch(q, '"');
	sb_addstr(q, name);
	sb_addch(q, '"');
}

static int has_column(struct store *s, const char *table, const char *col)
{
	sqlite3_stmt *st;
	int found = 0;
	char *sql = xasprintf("PRAGMA table_info(\"%s\")", table);

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			if (!strcmp((const char *)sqlite3_column_text(st, 1), col))
				found = 1;
		sqlite3_finalize(st);
	}
	free(sql);
	return found;
}

static es_status create_object_table(struct store *s, const struct reg_object *o)
{
	struct sb q = SB_INIT;
	es_status st;
	size_t i;

	sb_addstr(&q, "CREATE TABLE IF NOT EXISTS ");
	ident(&q, o->name);
	sb_addstr(&q, " (_district TEXT NOT NULL");
	for (i = 0; i < o->nfields; i++) {
		sb_addstr(&q, ", ");
		ident(&q, o->fields[i].name);
		sb_addstr(&q, " TEXT NOT NULL DEFAULT ''");
	}
	sb_addstr(&q, ", _hash BLOB NOT NULL, _seq INTEGER NOT NULL, "
		      "_changed INTEGER NOT NULL, PRIMARY KEY (_district");
	for (i = 0; i < o->nkeys; i++) {
		sb_addstr(&q, ", ");
		ident(&q, o->fields[o->key[i]].name);
	}
	sb_addstr(&q, ")) WITHOUT ROWID");
	st = exec(s, q.buf);
	/* A field added to the registry since the table was made. */
	for (i = 0; st == ES_OK && i < o->nfields; i++) {
		if (has_column(s, o->name, o->fields[i].name))
			continue;
		sb_reset(&q);
		sb_addstr(&q, "ALTER TABLE ");
		ident(&q, o->name);
		sb_addstr(&q, " ADD COLUMN ");
		ident(&q, o->fields[i].name);
		sb_addstr(&q, " TEXT NOT NULL DEFAULT ''");
		st = exec(s, q.buf);
	}
	sb_release(&q);
	return st;
}

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS edsync_district ("
	"  district TEXT PRIMARY KEY, last_seq INTEGER NOT NULL, updated TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS edsync_bundle ("
	"  district TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,"
	"  manifest_hash BLOB NOT NULL, file TEXT NOT NULL, applied TEXT NOT NULL,"
	"  rows INTEGER NOT NULL, orphans INTEGER NOT NULL,"
	"  PRIMARY KEY (district, seq));";

es_status store_open_sqlite(const char *path, struct store **out)
{
	struct store *s = xcalloc(1, sizeof *s);
	es_status st;
	size_t i;

	*out = NULL;
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
	/* WAL: readers (verify, export) never block the loader.  FULL: a
	 * commit is on disk before the bundle is filed as applied.  The page
	 * cache is bounded so memory stays flat whatever the size. */
	st = exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
		     "PRAGMA cache_size=-16384; PRAGMA foreign_keys=OFF;");
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
	if (st != ES_OK) {
		store_close(s);
		return st;
	}
	*out = s;
	return ES_OK;
}

void store_close(struct store *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; s->os && i < reg_count(); i++) {
		sqlite3_finalize(s->os[i].upsert);
		sqlite3_finalize(s->os[i].touch);
		sqlite3_finalize(s->os[i].unseen);
		sqlite3_finalize(s->os[i].get);
		sqlite3_finalize(s->os[i].scan);
	}
	sqlite3_finalize(s->last_seq);
	sqlite3_finalize(s->bundle_add);
	sqlite3_finalize(s->district_set);
	sqlite3_finalize(s->bundle_hash);
	if (s->in_tx)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(s->db);
	free(s->os);
	free(s->vals);
	sb_release(&s->getbuf);
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
	es_status st = exec(s, "COMMIT");

	if (st == ES_OK)
		s->in_tx = 0;
	return st;
}

void store_rollback(struct store *s)
{
	if (s->in_tx)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = 0;
}

static es_status step_done(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_error(s, what);
	return ES_OK;
}

es_status store_last_seq(struct store *s, const char *district, uint64_t *seq)
{
	int rc;

	*seq = 0;
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
	es_status st;

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

static void key_where(struct sb *q, const struct reg_object *o, int first_param)
{
	size_t i;

	sb_addstr(q, " WHERE _district = ?1");
	for (i = 0; i < o->nkeys; i++) {
		sb_addstr(q, " AND ");
		ident(q, o->fields[o->key[i]].name);
		sb_addf(q, " = ?%d", first_param + (int)i);
	}
}

static void key_order(struct sb *q, const struct reg_object *o)
{
	size_t i;

	sb_addstr(q, " ORDER BY ");
	for (i = 0; i < o->nkeys; i++) {
		if (i)
			sb_addstr(q, ", ");
		ident(q, o->fields[o->key[i]].name);
	}
}

static void column_list(struct sb *q, const struct reg_object *o)
{
	size_t i;

	for (i = 0; i < o->nfields; i++) {
		if (i)
			sb_addstr(q, ", ");
		ident(q, o->fields[i].name);
	}
}

static es_status stmt_upsert(struct store *s, const struct reg_object *o, sqlite3_stmt **out)
{
	struct sb q = SB_INIT;
	es_status st;
	size_t i;

	sb_addstr(&q, "INSERT INTO ");
	ident(&q, o->name);
	sb_addstr(&q, " (_district, ");
	column_list(&q, o);
	sb_addstr(&q, ", _hash, _seq, _changed) VALUES (?1");
	for (i = 0; i < o->nfields; i++)
		sb_addf(&q, ", ?%zu", i + 2);
	sb_addf(&q, ", ?%zu, ?%zu, ?%zu) ON CONFLICT (_district", o->nfields + 2,
		o->nfields + 3, o->nfields + 3);
	for (i = 0; i < o->nkeys; i++) {
		sb_addstr(&q, ", ");
		ident(&q, o->fields[o->key[i]].name);
	}
	sb_addstr(&q, ") DO UPDATE SET ");
	for (i = 0; i < o->nfields; i++) {
		if (o->fields[i].flags & REG_KEY)
			continue;
		ident(&q, o->fields[i].name);
		sb_addstr(&q, " = excluded.");
		ident(&q, o->fields[i].name);
		sb_addstr(&q, ", ");
	}
	sb_addstr(&q, "_changed = CASE WHEN _hash = excluded._hash THEN _changed "
		      "ELSE excluded._seq END, _hash = excluded._hash, _seq = excluded._seq");
	st = prepare(s, q.buf, out);
	sb_release(&q);
	return st;
}

static es_status stmts(struct store *s, const struct reg_object *o, struct obj_stmts **out)
{
	struct obj_stmts *os = &s->os[o->index];
	struct sb q = SB_INIT;
	es_status st = ES_OK;

	*out = os;
	if (os->upsert)
		return ES_OK;
	st = stmt_upsert(s, o, &os->upsert);
	if (st == ES_OK) {
		sb_addstr(&q, "UPDATE ");
		ident(&q, o->name);
		sb_addf(&q, " SET _seq = ?%zu", o->nkeys + 2);
		key_where(&q, o, 2);
		st = prepare(s, q.buf, &os->touch);
	}
	if (st == ES_OK) {
		sb_reset(&q);
		sb_addstr(&q, "DELETE FROM ");
		ident(&q, o->name);
		sb_addstr(&q, " WHERE _district = ?1 AND _seq < ?2");
		st = prepare(s, q.buf, &os->unseen);
	}
	if (st == ES_OK) {
		sb_reset(&q);
		sb_addstr(&q, "SELECT ");
		column_list(&q, o);
		sb_addstr(&q, ", _hash FROM ");
		ident(&q, o->name);
		key_where(&q, o, 2);
		st = prepare(s, q.buf, &os->get);
	}
	if (st == ES_OK) {
		sb_reset(&q);
		sb_addstr(&q, "SELECT ");
		column_list(&q, o);
		sb_addstr(&q, ", _hash FROM ");
		ident(&q, o->name);
		sb_addstr(&q, " WHERE _district = ?1");
		key_order(&q, o);
		st = prepare(s, q.buf, &os->scan);
	}
	sb_release(&q);
	return st;
}

static void bind_keys(sqlite3_stmt *st, const struct reg_object *o, const char *district,
		      const struct rec_val *v)
{
	size_t i;

	sqlite3_bind_text(st, 1, district, -1, SQLITE_STATIC);
	for (i = 0; i < o->nkeys; i++)
		sqlite3_bind_text(st, (int)i + 2, v[o->key[i]].p, (int)v[o->key[i]].n,
				  SQLITE_STATIC);
}

es_status store_upsert(struct store *s, const struct reg_object *o, const char *district,
		       const struct rec_val *v, const unsigned char hash[REC_HASH_BYTES],
		       uint64_t seq)
{
	struct obj_stmts *os;
	es_status st = stmts(s, o, &os);
	size_t i;

	if (st != ES_OK)
		return st;
	sqlite3_bind_text(os->upsert, 1, district, -1, SQLITE_STATIC);
	for (i = 0; i < o->nfields; i++)
		sqlite3_bind_text(os->upsert, (int)i + 2, v[i].n ? v[i].p : "", (int)v[i].n,
				  SQLITE_STATIC);
	sqlite3_bind_blob(os->upsert, (int)o->nfields + 2, hash, REC_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(os->upsert, (int)o->nfields + 3, (sqlite3_int64)seq);
	return step_done(s, os->upsert, "cannot store a record");
}

es_status store_touch(struct store *s, const struct reg_object *o, const char *district,
		      const struct rec_val *v, uint64_t seq)
{
	struct obj_stmts *os;
	es_status st = stmts(s, o, &os);

	if (st != ES_OK)
		return st;
	bind_keys(os->touch, o, district, v);
	sqlite3_bind_int64(os->touch, (int)o->nkeys + 2, (sqlite3_int64)seq);
	return step_done(s, os->touch, "cannot mark a record");
}

es_status store_delete_unseen(struct store *s, const struct reg_object *o,
			      const char *district, uint64_t seq, uint64_t *deleted)
{
	struct obj_stmts *os;
	es_status st = stmts(s, o, &os);

	*deleted = 0;
	if (st != ES_OK)
		return st;
	sqlite3_bind_text(os->unseen, 1, district, -1, SQLITE_STATIC);
	sqlite3_bind_int64(os->unseen, 2, (sqlite3_int64)seq);
	st = step_done(s, os->unseen, "cannot remove orphaned records");
	if (st == ES_OK)
		*deleted = (uint64_t)sqlite3_changes(s->db);
	return st;
}

static void row_values(struct store *s, sqlite3_stmt *st, const struct reg_object *o)
{
	size_t i;

	for (i = 0; i < o->nfields; i++) {
		const char *p = (const char *)sqlite3_column_text(st, (int)i);

		s->vals[i].n = (size_t)sqlite3_column_bytes(st, (int)i);
		s->vals[i].p = p ? p : "";
	}
}

es_status store_get(struct store *s, const struct reg_object *o, const char *district,
		    const struct rec_val *v, struct rec_val *out, int *found)
{
	struct obj_stmts *os;
	es_status st = stmts(s, o, &os);
	int rc;

	*found = 0;
	if (st != ES_OK)
		return st;
	bind_keys(os->get, o, district, v);
	rc = sqlite3_step(os->get);
	if (rc == SQLITE_ROW) {
		size_t i, off = 0;

		/* Copied: the row's memory goes with the reset below. */
		row_values(s, os->get, o);
		sb_reset(&s->getbuf);
		for (i = 0; i < o->nfields; i++)
			sb_add(&s->getbuf, s->vals[i].p, s->vals[i].n);
		for (i = 0; i < o->nfields; i++) {
			out[i].p = s->getbuf.buf + off;
			out[i].n = s->vals[i].n;
			off += out[i].n;
		}
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
};

es_status store_cursor_open(struct store *s, const struct reg_object *o,
			    const char *district, struct store_cursor **out)
{
	struct obj_stmts *os;
	es_status st = stmts(s, o, &os);
	struct store_cursor *c;

	*out = NULL;
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
	const struct reg_object *o = c->o;
	int rc = sqlite3_step(c->st);

	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW) {
		db_error(c->s, "cannot read records");
		return -1;
	}
	if (sqlite3_column_bytes(c->st, (int)o->nfields) != REC_HASH_BYTES) {
		msg_error("%s: %s: a record hash is damaged", c->s->path, o->name);
		return -1;
	}
	row_values(c->s, c->st, o);
	*hash = sqlite3_column_blob(c->st, (int)o->nfields);
	*v = c->s->vals;
	return 1;
}

void store_cursor_close(struct store_cursor *c)
{
	if (!c)
		return;
	sqlite3_reset(c->st);
	free(c);
}

es_status store_count(struct store *s, const struct reg_object *o, const char *district,
		      uint64_t *n)
{
	sqlite3_stmt *st;
	char *sql = xasprintf("SELECT count(*) FROM \"%s\" WHERE _district = ?1", o->name);
	es_status rc = ES_OK;

	*n = 0;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		free(sql);
		return db_error(s, "cannot count records");
	}
	free(sql);
	sqlite3_bind_text(st, 1, district, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		*n = (uint64_t)sqlite3_column_int64(st, 0);
	else
		rc = db_error(s, "cannot count records");
	sqlite3_finalize(st);
	return rc;
}
