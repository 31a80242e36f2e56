/* ledger.c - the district's record of receipts; see ledger.h. */
#include "ledger.h"
#include "home.h"
#include "../util/msg.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

struct ledger {
	sqlite3 *db;
	char *path;
	struct sb buf;
};

static es_status fail(struct ledger *l, const char *what)
{
	msg_error("%s: %s: %s", l->path, what, sqlite3_errmsg(l->db));
	return ES_IO;
}

static es_status exec(struct ledger *l, const char *sql)
{
	return sqlite3_exec(l->db, sql, NULL, NULL, NULL) == SQLITE_OK ? ES_OK : fail(l, "failed");
}

es_status ledger_open(const struct home *h, struct ledger **out)
{
	struct ledger *l = xcalloc(1, sizeof *l);
	es_status st;

	*out = NULL;
	l->path = home_path(h, LEDGER_FILE);
	if (sqlite3_open_v2(l->path, &l->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		fail(l, "cannot open");
		ledger_close(l);
		return ES_IO;
	}
	sqlite3_busy_timeout(l->db, 10000);
	st = exec(l, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
		     "CREATE TABLE IF NOT EXISTS outcome ("
		     "  seq INTEGER PRIMARY KEY, file TEXT NOT NULL, manifest_hash BLOB NOT NULL,"
		     "  outcome TEXT NOT NULL, at TEXT NOT NULL, records INTEGER NOT NULL,"
		     "  orphans INTEGER NOT NULL, held INTEGER NOT NULL, reason TEXT NOT NULL,"
		     "  objects TEXT NOT NULL, receipt_seq INTEGER NOT NULL);"
		     "CREATE TABLE IF NOT EXISTS receipt ("
		     "  seq INTEGER PRIMARY KEY, file TEXT NOT NULL, taken TEXT NOT NULL);");
	if (st != ES_OK) {
		ledger_close(l);
		return st;
	}
	*out = l;
	return ES_OK;
}

void ledger_close(struct ledger *l)
{
	if (!l)
		return;
	sqlite3_close(l->db);
	sb_release(&l->buf);
	free(l->path);
	free(l);
}

es_status ledger_begin(struct ledger *l)
{
	return exec(l, "BEGIN IMMEDIATE");
}

es_status ledger_commit(struct ledger *l)
{
	return exec(l, "COMMIT");
}

void ledger_rollback(struct ledger *l)
{
	sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
}

es_status ledger_receipt_taken(struct ledger *l, uint64_t receipt_seq, int *taken)
{
	sqlite3_stmt *st;
	int rc;

	*taken = 0;
	if (sqlite3_prepare_v2(l->db, "SELECT 1 FROM receipt WHERE seq = ?1", -1, &st, NULL) !=
	    SQLITE_OK)
		return fail(l, "cannot read receipts");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)receipt_seq);
	rc = sqlite3_step(st);
	*taken = rc == SQLITE_ROW;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? ES_OK : fail(l, "cannot read receipts");
}

es_status ledger_take_receipt(struct ledger *l, uint64_t receipt_seq, const char *file)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(l->db, "INSERT OR IGNORE INTO receipt VALUES (?1, ?2, "
			       "strftime('%Y-%m-%dT%H:%M:%SZ','now'))", -1, &st, NULL) != SQLITE_OK)
		return fail(l, "cannot record a receipt");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)receipt_seq);
	sqlite3_bind_text(st, 2, file, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? ES_OK : fail(l, "cannot record a receipt");
}

es_status ledger_outcome(struct ledger *l, const struct receipt_line *x, uint64_t receipt_seq)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(l->db, "INSERT INTO outcome VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
			       "?8, ?9, ?10, ?11) ON CONFLICT (seq) DO UPDATE SET file = excluded.file, "
			       "manifest_hash = excluded.manifest_hash, outcome = excluded.outcome, "
			       "at = excluded.at, records = excluded.records, orphans = excluded.orphans, "
			       "held = excluded.held, reason = excluded.reason, objects = excluded.objects, "
			       "receipt_seq = excluded.receipt_seq "
			       "WHERE excluded.receipt_seq >= outcome.receipt_seq "
			       "AND outcome.outcome NOT IN ('applied', 'duplicate')", -1, &st,
			       NULL) != SQLITE_OK)
		return fail(l, "cannot record an outcome");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)x->seq);
	sqlite3_bind_text(st, 2, x->file, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, x->manifest_hash, 32, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, x->outcome, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, x->at, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)x->records);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)x->orphans);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)x->held);
	sqlite3_bind_text(st, 9, x->reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, x->objects, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 11, (sqlite3_int64)receipt_seq);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? ES_OK : fail(l, "cannot record an outcome");
}

es_status ledger_get(struct ledger *l, uint64_t seq, struct receipt_line *out, int *found)
{
	sqlite3_stmt *st;
	int rc;

	*found = 0;
	if (sqlite3_prepare_v2(l->db, "SELECT file, manifest_hash, outcome, at, records, orphans, "
			       "held, reason, objects FROM outcome WHERE seq = ?1", -1, &st,
			       NULL) != SQLITE_OK)
		return fail(l, "cannot read outcomes");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		size_t off[5], i;

		/* copied: the statement is finalized below */
		sb_reset(&l->buf);
		for (i = 0; i < 5; i++) {
			static const int col[5] = { 0, 2, 3, 7, 8 };
			const char *t = (const char *)sqlite3_column_text(st, col[i]);

			off[i] = l->buf.len;
			sb_addstr(&l->buf, t ? t : "");
			sb_addch(&l->buf, '\0');
		}
		memset(out, 0, sizeof *out);
		out->seq = seq;
		if (sqlite3_column_bytes(st, 1) == 32)
			memcpy(out->manifest_hash, sqlite3_column_blob(st, 1), 32);
		out->records = (uint64_t)sqlite3_column_int64(st, 4);
		out->orphans = (uint64_t)sqlite3_column_int64(st, 5);
		out->held = (uint64_t)sqlite3_column_int64(st, 6);
		out->file = l->buf.buf + off[0];
		out->outcome = l->buf.buf + off[1];
		out->at = l->buf.buf + off[2];
		out->reason = l->buf.buf + off[3];
		out->objects = l->buf.buf + off[4];
		*found = 1;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? ES_OK : fail(l, "cannot read outcomes");
}
