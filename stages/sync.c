/*
 * sync.c - 'edsync sync': what changed in source/ since the last sync,
 * found by comparison, for districts whose system writes to its database
 * directly rather than dropping change files.
 *
 * var/index/<Object>.idx holds, for every record last sent, its key and
 * the XXH3-128 hash of what was sent (the fields that sync on resync, as
 * the CSV row carries them).  Each object's source is read once: a record
 * whose key is not in the index is an insert, one whose hash differs an
 * update; an index key the source no longer has is a delete.  A record
 * whose key changed is therefore a delete of the old key and an insert of
 * the new one.  They go out as one change bundle (chgrow.h).
 *
 * Rows the source gets wrong are reported and kept (rejects file); their
 * keys stay in the index as they were, so a typo deletes nothing.  An
 * object whose source is missing or unreadable is left alone.  Withheld
 * records are not sent, and go if they had been.
 *
 * The new index is written beside the old one before the bundle is
 * committed and takes its place only after: a crash in between sends the
 * same changes again, which the state applies harmlessly.  Memory: the old
 * and the new index of one object at a time (about 40 bytes a record).
 */
#include "stages.h"
#include "../formats/bundle.h"
#include "../formats/chgrow.h"
#include "../formats/keys.h"
#include "../formats/manifest.h"
#include "../formats/objcsv.h"
#include "../formats/registry.h"
#include "../formats/withhold.h"
#include "../pipeline/cli.h"
#include "../pipeline/home.h"
#include "../pipeline/outbox.h"
#include "../pipeline/rejects.h"
#include "../spool/spool.h"
#include "../util/fsio.h"
#include "../util/msg.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#define INDEX_MAGIC "edsync-index 1\n"

/* An index: keys in one arena, sorted (bytewise key order). */
struct ient {
	size_t off, len;
	unsigned char hash[16];
	unsigned char seen;
};

struct index {
	struct sb keys;
	struct ient *e;
	size_t n, cap;
};

static void index_add(struct index *x, const char *key, size_t len, const unsigned char *hash)
{
	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 1024;
		x->e = xrealloc(x->e, x->cap * sizeof *x->e);
	}
	x->e[x->n].off = x->keys.len;
	x->e[x->n].len = len;
	memcpy(x->e[x->n].hash, hash, 16);
	x->e[x->n].seen = 0;
	x->n++;
	sb_add(&x->keys, key, len);
}

static void index_free(struct index *x)
{
	sb_release(&x->keys);
	free(x->e);
	memset(x, 0, sizeof *x);
}

static int keycmp(const char *a, size_t na, const char *b, size_t nb)
{
	int c = memcmp(a, b, na < nb ? na : nb);

	return c ? c : (na > nb) - (na < nb);
}

static const char *sort_arena;

static int ient_cmp(const void *a, const void *b)
{
	const struct ient *x = a, *y = b;

	return keycmp(sort_arena + x->off, x->len, sort_arena + y->off, y->len);
}

static void index_sort(struct index *x)
{
	/* qsort has no context argument; one sort at a time */
	sort_arena = x->keys.buf;
	if (x->n > 1)
		qsort(x->e, x->n, sizeof *x->e, ient_cmp);
	sort_arena = NULL;
}

static struct ient *index_find(struct index *x, const char *key, size_t len)
{
	size_t lo = 0, hi = x->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = keycmp(x->keys.buf + x->e[mid].off, x->e[mid].len, key, len);

		if (!c)
			return &x->e[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The file: the magic line, then per entry a 4-byte key length (LE), the
 * key, and the 16-byte hash, in key order. */
static es_status index_load(const char *path, struct index *x)
{
	struct sb t = SB_INIT;
	size_t p = sizeof INDEX_MAGIC - 1;
	es_status st = ES_OK;

	memset(x, 0, sizeof *x);
	if (fsio_read_file(path, (size_t)1 << 34, &t) < 0) {
		if (errno == ENOENT)
			return ES_OK;
		msg_error("%s: %s", path, strerror(errno));
		return ES_IO;
	}
	if (t.len < p || memcmp(t.buf, INDEX_MAGIC, p)) {
		msg_error("%s: not an edsync index; remove it to send every record again", path);
		st = ES_CONFIG;
	}
	while (st == ES_OK && p < t.len) {
		const unsigned char *b = (const unsigned char *)t.buf + p;
		size_t len;

		if (t.len - p < 4)
			break;
		len = (size_t)b[0] | (size_t)b[1] << 8 | (size_t)b[2] << 16 | (size_t)b[3] << 24;
		if (t.len - p - 4 < len || t.len - p - 4 - len < 16)
			break;
		index_add(x, t.buf + p + 4, len, (const unsigned char *)t.buf + p + 4 + len);
		p += 4 + len + 16;
	}
	if (st == ES_OK && p != t.len) {
		msg_error("%s: truncated; remove it to send every record again", path);
		st = ES_CONFIG;
	}
	sb_release(&t);
	if (st != ES_OK)
		index_free(x);
	return st;
}

static es_status index_write(const char *path, const struct index *x)
{
	struct sb t = SB_INIT;
	es_status st = ES_OK;
	size_t i;

	sb_addstr(&t, INDEX_MAGIC);
	for (i = 0; i < x->n; i++) {
		unsigned char b[4] = { (unsigned char)x->e[i].len, (unsigned char)(x->e[i].len >> 8),
				       (unsigned char)(x->e[i].len >> 16),
				       (unsigned char)(x->e[i].len >> 24) };

		sb_add(&t, b, 4);
		sb_add(&t, x->keys.buf + x->e[i].off, x->e[i].len);
		sb_add(&t, x->e[i].hash, 16);
	}
	if (fsio_write_atomic(path, t.buf, t.len, 0600) < 0) {
		msg_error("%s: cannot write: %s", path, strerror(errno));
		st = ES_IO;
	}
	sb_release(&t);
	return st;
}

/* ---- one object ---- */

struct tally {
	uint64_t inserts, updates, deletes, same, rejected, withheld;
	int state;		/* 0 no source, 1 compared, 2 unreadable */
};

struct sy {
	struct home *h;
	const struct reg_object *o;
	struct bundle_writer *bw;
	struct rejects *rj, *wj;
	struct withhold *wh;
	struct objcsv *oc;
	const char *label;
	struct index old, cur;
	unsigned char carry[REG_MAX_FIELDS];
	uint64_t seed;		/* of the hashes: the carried fields */
	int have_carry, member_open;
	struct sb row, key, pfields, preasons;
	uint64_t rows;
	struct tally t;
	es_status io;
};

static void take_carry(struct sy *s)
{
	size_t i;

	for (i = 0; i < s->o->nfields; i++)
		s->carry[i] = objcsv_has_field(s->oc, i) &&
			      (s->o->fields[i].flags & (REG_RESYNC | REG_KEY)) != 0;
	/* which fields a row carries counts, not only their values */
	s->seed = XXH3_64bits(s->carry, s->o->nfields);
	s->have_carry = 1;
}

static void member_row(struct sy *s)
{
	if (s->io != ES_OK)
		return;
	if (!s->member_open) {
		struct sb head = SB_INIT;

		s->io = bw_member_begin(s->bw, s->o->name, MF_CHANGES, 0, 0);
		if (s->io == ES_OK) {
			chg_header(&head, s->o, s->carry);
			s->io = bw_member_write(s->bw, head.buf, head.len);
		}
		sb_release(&head);
		s->member_open = 1;
	}
	if (s->io == ES_OK)
		s->io = bw_member_write(s->bw, s->row.buf, s->row.len);
	s->rows++;
}

static int on_rec(void *ctx, const struct rec_val *v, uint64_t line)
{
	struct sy *s = ctx;
	unsigned char hash[16];
	struct ient *e;
	size_t field;
	int cause;

	if (!s->have_carry)
		take_carry(s);
	cause = wh_check(s->wh, s->o, v, &field);
	if (cause >= 0) {
		char buf[128];

		/* not sent; a delete if it was (it is not marked seen) */
		wh_mark(s->wh, s->o, v);
		s->t.withheld++;
		rejects_add_record(s->wj, s->label, line, s->o->fields[field].name,
				   wh_cause_name(s->wh, s->o, cause, buf, sizeof buf), s->o, v);
		return 0;
	}
	sb_reset(&s->row);
	chg_upsert(&s->row, s->o, s->carry, v);
	XXH128_canonicalFromHash((XXH128_canonical_t *)hash,
				 XXH3_128bits_withSeed(s->row.buf, s->row.len, s->seed));
	sb_reset(&s->key);
	rec_key_encode(s->o, v, &s->key);
	e = index_find(&s->old, s->key.buf, s->key.len);
	if (e) {
		e->seen = 1;
		if (!memcmp(e->hash, hash, 16)) {
			s->t.same++;
		} else {
			s->t.updates++;
			member_row(s);
		}
	} else {
		s->t.inserts++;
		member_row(s);
	}
	index_add(&s->cur, s->key.buf, s->key.len, hash);
	return s->io != ES_OK;
}

static void on_rej(void *ctx, const struct objcsv_reject *r)
{
	struct sy *s = ctx;

	if (r->field)
		msg_error("%s:%" PRIu64 ": %s: %s", s->label, r->line, r->field, r->reason);
	else
		msg_error("%s:%" PRIu64 ": %s", s->label, r->line, r->reason);
	if (s->pfields.len || s->preasons.len) {
		sb_addch(&s->pfields, ';');
		sb_addstr(&s->preasons, "; ");
	}
	sb_addstr(&s->pfields, r->field ? r->field : "");
	sb_addstr(&s->preasons, r->reason);
	if (!r->last)
		return;
	rejects_add(s->rj, s->label, r->line, s->pfields.buf, s->preasons.buf, r->raw);
	sb_reset(&s->pfields);
	sb_reset(&s->preasons);
	if (r->key_ok && !r->header) {
		struct ient *e;

		/* what was sent for this key stays, at the state and here */
		sb_reset(&s->key);
		rec_key_encode(s->o, r->v, &s->key);
		e = index_find(&s->old, s->key.buf, s->key.len);
		if (e && !e->seen) {
			e->seen = 1;
			index_add(&s->cur, s->key.buf, s->key.len, e->hash);
		}
	}
}

/* Compare one object; its member goes into the bundle, its new index into
 * var/index/.<Object>.idx.new (for rename after the commit). */
static es_status sync_object(struct sy *s)
{
	char *src = home_path(s->h, s->label), *dir = home_path(s->h, HOME_INDEX);
	char *ipath = xasprintf("%s/%s.idx", dir, s->o->name);
	char *npath = xasprintf("%s/.%s.idx.new", dir, s->o->name);
	es_status st;
	size_t i;
	int fd = fsio_open_input(src), rc;

	free(src);
	if (fd < 0) {
		st = errno == ENOENT ? ES_OK : ES_IO;
		if (st != ES_OK)
			msg_error("%s: %s", s->label, errno == ELOOP || errno == EINVAL ?
				  "not a regular file" : strerror(errno));
		goto out;
	}
	st = index_load(ipath, &s->old);
	if (st != ES_OK) {
		close(fd);
		goto out;
	}
	s->oc = objcsv_new(s->o, OBJCSV_UNIQUE, on_rec, on_rej, s);
	rc = objcsv_feed_fd(s->oc, fd);
	if (rc < 0 && s->io == ES_OK) {
		msg_error("%s: read failed: %s", s->label, strerror(errno));
		s->io = ES_IO;
	}
	if (rc == 0)
		objcsv_finish(s->oc);
	close(fd);
	s->t.rejected = objcsv_bad(s->oc);
	if (s->io != ES_OK || !objcsv_header_ok(s->oc)) {
		/* the state keeps what it has; the index stays */
		if (s->member_open)
			bw_member_abort(s->bw);
		s->t.state = 2;
		st = s->io != ES_OK ? s->io : ES_DATA;
		goto out;
	}
	if (!s->have_carry)
		take_carry(s);
	/* what the source no longer has */
	for (i = 0; i < s->old.n && s->io == ES_OK; i++) {
		struct rec_val v[REG_MAX_FIELDS];
		const struct ient *e = &s->old.e[i];

		if (e->seen)
			continue;
		if (rec_key_decode(s->o, s->old.keys.buf + e->off, e->len, v) < 0) {
			msg_error("%s: a damaged key; remove it to send every record again", ipath);
			s->io = ES_CONFIG;
			break;
		}
		sb_reset(&s->row);
		chg_delete(&s->row, s->o, s->carry, v);
		member_row(s);
		s->t.deletes++;
	}
	if (s->io == ES_OK && s->member_open)
		s->io = bw_member_end(s->bw, s->rows);
	else if (s->member_open)
		bw_member_abort(s->bw);
	st = s->io;
	if (st == ES_OK) {
		index_sort(&s->cur);
		st = fsio_mkdirs(dir, 0700) < 0 ? ES_IO : index_write(npath, &s->cur);
	}
	s->t.state = st == ES_OK ? 1 : 2;
	if (st == ES_OK && s->t.rejected)
		st = ES_DATA;
out:
	objcsv_free(s->oc);
	s->oc = NULL;
	index_free(&s->old);
	index_free(&s->cur);
	free(ipath);
	free(npath);
	free(dir);
	return st;
}

/* The new indexes take the old ones' place (after the commit). */
static es_status index_swap(const struct home *h, const struct reg_object *o)
{
	char *dir = home_path(h, HOME_INDEX);
	char *ipath = xasprintf("%s/%s.idx", dir, o->name);
	char *npath = xasprintf("%s/.%s.idx.new", dir, o->name);
	es_status st = ES_OK;

	if (rename(npath, ipath) < 0 || fsio_fsync_dir(dir) < 0) {
		msg_error("%s: cannot replace the index: %s (the next sync sends these changes "
			  "again)", ipath, strerror(errno));
		st = ES_IO;
	}
	free(ipath);
	free(npath);
	free(dir);
	return st;
}

static int by_level(const void *a, const void *b)
{
	const struct reg_object *x = *(const struct reg_object *const *)a;
	const struct reg_object *y = *(const struct reg_object *const *)b;

	if (x->level != y->level)
		return x->level < y->level ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

es_status cmd_sync(int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS };
	struct cli cli;
	struct home h;
	struct key_secret *k = NULL;
	struct bundle_writer *bw = NULL;
	struct manifest head;
	struct rejects *rj = NULL, *wj = NULL;
	struct withhold *wh = NULL;
	const struct reg_object **order = NULL;
	struct tally *t = NULL, sum;
	char name[128], *scratch = NULL, *rejpath = NULL, *whpath = NULL;
	uint64_t seq = 0;
	es_status st, worst = ES_OK;
	size_t i, n = 0;
	int c;

	cli_init(&cli, "sync");
	while ((c = cli_next(&cli, argc, argv, opts)) != -1) {
		switch (c) {
		case CLI_HELP: return ES_OK;
		default: return ES_USAGE;
		}
	}
	if ((st = cli_no_operands(&cli, argc, argv)) != ES_OK)
		return st;
	st = home_start(&h, home_default(cli.home), "sync", CFG_DISTRICT, 1, cli.wait);
	if (st != ES_OK)
		return st;
	memset(&head, 0, sizeof head);
	memset(&sum, 0, sizeof sum);
	if ((st = home_secret_key(&h, &k)) != ES_OK || (st = outbox_next_seq(&h, &seq)) != ES_OK)
		goto out;
	{
		char *outbox = home_path(&h, HOME_OUTBOX);

		spool_make(outbox);
		spool_clean(outbox);
		free(outbox);
	}
	scratch = home_path(&h, HOME_OUTBOX "/" SPOOL_TMP);
	bw = bw_new(scratch);
	rj = rejects_new(&h, "rejects");
	wj = rejects_new(&h, "withheld");
	wh = wh_new(h.cfg.year);
	order = xcalloc(reg_count(), sizeof *order);
	t = xcalloc(reg_count(), sizeof *t);
	for (i = 0; i < reg_count(); i++)
		if (reg_sent_by_state(reg_at(i), h.cfg.state))
			order[n++] = reg_at(i);
	/* parents first: their withheld records withhold their children's */
	qsort(order, n, sizeof *order, by_level);
	for (i = 0; i < n; i++) {
		struct sy s;

		memset(&s, 0, sizeof s);
		s.h = &h;
		s.o = order[i];
		s.bw = bw;
		s.rj = rj;
		s.wj = wj;
		s.wh = wh;
		s.label = xasprintf("%s/%s.csv", HOME_SOURCE, s.o->name);
		st = sync_object(&s);
		t[s.o->index] = s.t;
		free((char *)s.label);
		sb_release(&s.row);
		sb_release(&s.key);
		sb_release(&s.pfields);
		sb_release(&s.preasons);
		if (st == ES_IO)
			goto out;
		worst = es_worst(worst, st);
		sum.inserts += s.t.inserts;
		sum.updates += s.t.updates;
		sum.deletes += s.t.deletes;
		sum.same += s.t.same;
		sum.rejected += s.t.rejected;
		sum.withheld += s.t.withheld;
	}
	if (bw_member_count(bw)) {
		snprintf(head.kind, sizeof head.kind, "changes");
		snprintf(head.scope, sizeof head.scope, "objects");
		st = outbox_commit(&h, bw, &head, k, seq, name, sizeof name);
		if (st != ES_OK)
			goto out;
		printf("sync: %" PRIu64 " insert%s, %" PRIu64 " update%s, %" PRIu64 " delete%s -> "
		       "%s/%s (sequence %" PRIu64 ")\n", sum.inserts, sum.inserts == 1 ? "" : "s",
		       sum.updates, sum.updates == 1 ? "" : "s", sum.deletes,
		       sum.deletes == 1 ? "" : "s", HOME_OUTBOX, name, seq);
	} else {
		printf("sync: no changes since the last sync\n");
	}
	/* only now does the index say these changes were sent */
	for (i = 0; i < n; i++)
		if (t[order[i]->index].state == 1 && index_swap(&h, order[i]) != ES_OK)
			worst = es_worst(worst, ES_IO);
	for (i = 0; i < n; i++) {
		const struct tally *x = &t[order[i]->index];

		if (x->inserts || x->updates || x->deletes)
			printf("  %-32s %8" PRIu64 " inserted %8" PRIu64 " updated %8" PRIu64
			       " deleted\n", order[i]->name, x->inserts, x->updates, x->deletes);
	}
	printf("  %" PRIu64 " record%s unchanged\n", sum.same, sum.same == 1 ? "" : "s");
	if (rejects_count(rj) || rejects_count(wj)) {
		char base[128], now[24];

		outbox_now(now);
		snprintf(base, sizeof base, "%s-sync-%s", h.cfg.district, now);
		if (rejects_count(rj) && rejects_commit(rj, base, &rejpath) != ES_OK)
			worst = es_worst(worst, ES_IO);
		if (rejects_count(wj) && rejects_commit(wj, base, &whpath) != ES_OK)
			worst = es_worst(worst, ES_IO);
		if (rejpath)
			printf("  %" PRIu64 " row%s rejected: %s\n", sum.rejected,
			       sum.rejected == 1 ? "" : "s", rejpath);
		if (whpath)
			printf("  %" PRIu64 " record%s withheld: %s\n", sum.withheld,
			       sum.withheld == 1 ? "" : "s", whpath);
	}
	st = worst;
out:
	if (st == ES_IO || st == ES_CONFIG) {
		/* nothing committed: no new index stays behind */
		char *dir = home_path(&h, HOME_INDEX);

		fsio_remove_prefixed(dir, ".");
		free(dir);
	}
	bw_free(bw);
	rejects_free(rj);
	rejects_free(wj);
	wh_free(wh);
	key_secret_free(k);
	mf_free(&head);
	free(order);
	free(t);
	free(scratch);
	free(rejpath);
	free(whpath);
	home_close(&h);
	return st;
}
