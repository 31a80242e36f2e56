/*
 * digest.c - 'edsync digest' on a district: one hash per record of every
 * object in a verification area, sorted by key, signed and spooled.
 *
 * The digest describes source/ as it is, so a row is hashed whenever its
 * key is sound, even if another of its values is not: such a record is
 * then "different" or "missing at state" in the Verification Summary,
 * which is the truth.  Records that data setup withholds (withhold.h) are
 * left out, as resync leaves them out; the objects they depend on are read
 * too, in registry order, to know which are withheld.  Sorting uses a private temporary SQLite database so
 * memory stays bounded whatever the size of the district.
 */
#include "stages.h"
#include "../formats/bundle.h"
#include "../formats/digest.h"
#include "../formats/keys.h"
#include "../formats/objcsv.h"
#include "../formats/registry.h"
#include "../formats/withhold.h"
#include "../pipeline/cli.h"
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

struct dg {
	const struct reg_object *o;
	const char *label;
	struct withhold *wh;
	int emit;		/* a verification area's object, not only a parent */
	sqlite3 *db;
	sqlite3_stmt *ins;
	struct sb key, row, scratch, prevkey;
	uint64_t rows, skipped, withheld;
	int sorted;		/* keys so far in increasing order: no sort needed */
	int failed;
};

/* The sort key: key values joined by NUL, which no valid key value holds,
 * so bytewise order of the join is the field-by-field key order. */
static int add_record(struct dg *d, const struct rec_val *v)
{
	unsigned char hash[REC_HASH_BYTES];
	size_t i;

	/* Withheld records are not at the state, and should not be. */
	if (wh_check(d->wh, d->o, v, &i) >= 0) {
		wh_mark(d->wh, d->o, v);
		d->withheld++;
		return 0;
	}
	if (!d->emit)
		return 0;
	rec_hash(d->o, v, &d->scratch, hash);
	sb_reset(&d->key);
	for (i = 0; i < d->o->nkeys; i++) {
		if (i)
			sb_addch(&d->key, '\0');
		sb_add(&d->key, v[d->o->key[i]].p, v[d->o->key[i]].n);
	}
	if (d->sorted && d->rows) {
		size_t n = d->key.len < d->prevkey.len ? d->key.len : d->prevkey.len;
		int c = n ? memcmp(d->key.buf, d->prevkey.buf, n) : 0;

		if (c < 0 || (c == 0 && d->key.len < d->prevkey.len))
			d->sorted = 0;
	}
	sb_reset(&d->prevkey);
	sb_add(&d->prevkey, d->key.buf, d->key.len);
	sb_reset(&d->row);
	digest_row(d->o, v, hash, &d->row);
	sqlite3_bind_blob(d->ins, 1, d->key.buf, (int)d->key.len, SQLITE_STATIC);
	sqlite3_bind_text(d->ins, 2, d->row.buf, (int)d->row.len, SQLITE_STATIC);
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
	struct dg *d = ctx;

	if (r->field)
		msg_warn("%s:%" PRIu64 ": %s: %s", d->label, r->line, r->field, r->reason);
	else
		msg_warn("%s:%" PRIu64 ": %s", d->label, r->line, r->reason);
	if (!r->last)
		return;
	if (r->key_ok && !r->header && !d->failed)
		add_record(d, r->v);
	else
		d->skipped++;
}

static es_status digest_object(struct home *h, struct bundle_writer *bw, struct dg *d)
{
	const struct reg_object *o = d->o;
	char *path = home_path(h, d->label);
	struct objcsv *oc;
	sqlite3_stmt *sel = NULL;
	es_status st = ES_OK;
	int fd = fsio_open_input(path), rc;

	free(path);
	if (fd < 0) {
		if (errno == ENOENT)
			return ES_NOINPUT;
		msg_error("%s: %s", d->label, strerror(errno));
		return ES_IO;
	}
	/* one transaction, no journal: it is scratch */
	if (sqlite3_exec(d->db, "DELETE FROM d; BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		close(fd);
		return ES_IO;
	}
	d->rows = d->skipped = d->withheld = 0;
	d->sorted = 1;
	oc = objcsv_new(o, 0, on_rec, on_rej, d);
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
	if (!d->emit)
		return ES_OK;

	st = bw_member_begin(bw, o->name, MF_DIGEST, 0, rec_fields_fingerprint(o));
	if (st != ES_OK)
		return st;
	sb_reset(&d->row);
	digest_header(o, &d->row);
	st = bw_member_write(bw, d->row.buf, d->row.len);
	/* Sources are usually in key order already: then no sort at all. */
	if (sqlite3_prepare_v2(d->db, d->sorted ? "SELECT r FROM d ORDER BY rowid"
						: "SELECT r FROM d ORDER BY k", -1, &sel,
			       NULL) != SQLITE_OK)
		st = ES_IO;
	while (st == ES_OK && (rc = sqlite3_step(sel)) == SQLITE_ROW)
		st = bw_member_write(bw, sqlite3_column_text(sel, 0),
				     (size_t)sqlite3_column_bytes(sel, 0));
	if (st == ES_OK && rc != SQLITE_DONE) {
		msg_error("digest: temporary sort failed: %s", sqlite3_errmsg(d->db));
		st = ES_IO;
	}
	sqlite3_finalize(sel);
	if (st == ES_OK)
		st = bw_member_end(bw, d->rows);
	else
		bw_member_abort(bw);
	return st;
}

es_status cmd_digest(int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS };
	struct cli cli;
	struct home h;
	struct key_secret *k = NULL;
	struct bundle_writer *bw = NULL;
	struct manifest head;
	struct dg d;
	char name[128], *scratch = NULL, *outbox = NULL;
	unsigned char *need = NULL;
	uint64_t seq;
	es_status st, worst = ES_OK;
	int c;
	size_t i;

	cli_init(&cli, "digest");
	while ((c = cli_next(&cli, argc, argv, opts)) != -1) {
		switch (c) {
		case CLI_HELP: return ES_OK;
		default: return ES_USAGE;
		}
	}
	if ((st = cli_no_operands(&cli, argc, argv)) != ES_OK)
		return st;
	st = home_start(&h, home_default(cli.home), "digest", CFG_DISTRICT, 1, cli.wait);
	if (st != ES_OK)
		return st;
	memset(&d, 0, sizeof d);
	memset(&head, 0, sizeof head);
	if ((st = home_secret_key(&h, &k)) != ES_OK || (st = outbox_next_seq(&h, &seq)) != ES_OK)
		goto out;
	outbox = home_path(&h, HOME_OUTBOX);
	spool_make(outbox);
	spool_clean(outbox);
	scratch = xpath(outbox, SPOOL_TMP);
	/* "" opens a private database on disk, removed when closed. */
	if (sqlite3_open("", &d.db) != SQLITE_OK ||
	    sqlite3_exec(d.db, "PRAGMA cache_size=-8192; PRAGMA temp_store=FILE;"
			 "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
			 "CREATE TABLE d (k BLOB NOT NULL, r TEXT NOT NULL)", NULL, NULL,
			 NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(d.db, "INSERT INTO d VALUES (?1, ?2)", -1, &d.ins, NULL) != SQLITE_OK) {
		msg_error("digest: cannot make a temporary database: %s", sqlite3_errmsg(d.db));
		st = ES_IO;
		goto out;
	}
	bw = bw_new(scratch);
	/* The verification areas' objects, and every object they depend on
	 * (whose withheld records withhold theirs). */
	need = xcalloc(reg_count(), 1);
	for (i = reg_count(); i-- > 0; ) {
		const struct reg_object *o = reg_at(i);
		const char *p = o->parents;

		if (!reg_sent_by_state(o, h.cfg.state))
			continue;
		if (o->area != REG_AREA_NONE)
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
	d.wh = wh_new(h.cfg.year);
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
		st = digest_object(&h, bw, &d);
		if (st == ES_NOINPUT) {
			if (d.emit)
				printf("%-34s %10s %10s  (no source file)\n", o->name, "-", "-");
			st = ES_OK;
		} else if (st == ES_DATA) {
			printf("%-34s %10s %10s  (file unreadable: left out)\n", o->name, "-", "-");
			worst = es_worst(worst, ES_DATA);
			st = ES_OK;
		} else if (st == ES_OK && d.emit) {
			printf("%-34s %10" PRIu64 " %10" PRIu64 "%s\n", o->name, d.rows, d.withheld,
			       d.skipped ? "  (rows with a bad key left out)" : "");
		}
		free(label);
		if (st != ES_OK)
			goto out;
	}
	snprintf(head.kind, sizeof head.kind, "digest");
	snprintf(head.scope, sizeof head.scope, "full");
	st = outbox_commit(&h, bw, &head, k, seq, name, sizeof name);
	if (st == ES_OK) {
		printf("digest: %s/%s (sequence %" PRIu64 ")\n", HOME_OUTBOX, name, seq);
		st = worst;
	}
out:
	if (d.ins)
		sqlite3_finalize(d.ins);
	if (d.db)
		sqlite3_close(d.db);
	sb_release(&d.key);
	sb_release(&d.prevkey);
	sb_release(&d.row);
	sb_release(&d.scratch);
	bw_free(bw);
	wh_free(d.wh);
	free(need);
	key_secret_free(k);
	mf_free(&head);
	free(scratch);
	free(outbox);
	home_close(&h);
	return st;
}
