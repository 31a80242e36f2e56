/*
 * load_district.c - 'edsync load' on a district: take in what the state
 * sent back (inbox/, brought by send): receipts, each checked against the
 * pinned state key before it is parsed, their lines kept in the ledger
 * (var/ledger.db), the files filed in var/received/; requests, carried out
 * at once (a district cannot decline: dverify.h spools the answer in the
 * outbox, in the district's sequence); reports (the state's Verification
 * Summary), kept in var/reports/ for people and status.  Anything refused
 * goes to var/quarantine/ with a .reason file.
 */
#include "stages.h"
#include "scope.h"
#include "dverify.h"
#include "vkeep.h"
#include "../formats/bundle.h"
#include "../formats/keys.h"
#include "../formats/manifest.h"
#include "../formats/receipt.h"
#include "../formats/fieldset.h"
#include "../formats/objcsv.h"
#include "../formats/registry.h"
#include "../formats/report.h"
#include "../formats/request.h"
#include "../pipeline/cli.h"
#include "../formats/school.h"
#include "../pipeline/home.h"
#include "../pipeline/ledger.h"
#include "../pipeline/outbox.h"
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

struct dload {
	struct home *h;
	struct keyring kr;
	struct ledger *led;
	char *inbox, *received, *quarantine;
	size_t receipts, lines, counts[4], requests, reports;
	uint64_t cur_receipt;	/* the sequence of the receipt being taken */
	int failed;
	es_status worst;
};

/* The objects a receipt line lists as Object=rows/orphans: the orphans of each. */
static void orphans_by_object(const char *objects)
{
	const char *p = objects;

	while (*p) {
		size_t n = strcspn(p, ";");
		const char *eq = memchr(p, '=', n), *sl = memchr(p, '/', n);

		if (eq && sl && sl > eq)
			printf("  %-32.*s %8.*s orphan%s removed\n", (int)(eq - p), p,
			       (int)(p + n - sl - 1), sl + 1,
			       (p + n - sl - 1 == 1 && sl[1] == '1') ? "" : "s");
		p += n;
		if (*p == ';')
			p++;
	}
}

static int take_line(void *ctx, const struct receipt_line *l)
{
	struct dload *dl = ctx;
	static const char *const kinds[4] = { "applied", "duplicate", "held", "refused" };
	size_t k;

	if (ledger_outcome(dl->led, l, dl->cur_receipt) != ES_OK) {
		dl->failed = 1;
		return -1;
	}
	for (k = 0; k < 4; k++)
		if (!strcmp(l->outcome, kinds[k]))
			dl->counts[k]++;
	dl->lines++;
	if (!strcmp(l->outcome, "refused"))
		printf("refused by the state: %s (sequence %" PRIu64 "): %s\n", l->file, l->seq,
		       l->reason);
	else if (!strcmp(l->outcome, "held"))
		printf("held by the state: %s (sequence %" PRIu64 "): %s\n", l->file, l->seq,
		       l->reason);
	else if (strstr(l->file, "-changes.bundle"))
		printf("%s: %s (sequence %" PRIu64 "): %" PRIu64 " upserted, %" PRIu64
		       " deleted%s\n", l->outcome, l->file, l->seq, l->records, l->orphans,
		       l->held ? ", some held at the state" : "");
	else
		printf("%s: %s (sequence %" PRIu64 "): %" PRIu64 " records, %" PRIu64
		       " orphans removed%s\n", l->outcome, l->file, l->seq, l->records, l->orphans,
		       l->held ? ", some held at the state" : "");
	if (!strcmp(l->outcome, "applied"))
		orphans_by_object(l->objects);
	return 0;
}

struct member_text {
	struct sb text;
	int overflow;
};

/* A receipt member is small: read it whole (at most 16 MiB). */
static es_status read_receipt_member(void *ctx, struct bundle *b, const struct mf_member *mm)
{
	struct member_text *mt = ctx;
	char buf[1 << 14];
	ssize_t r;

	if (mm->type != MF_RECEIPT)
		return ES_DATA;
	while ((r = bundle_member_read(b, buf, sizeof buf)) > 0) {
		if (mt->text.len + (size_t)r > (16u << 20)) {
			mt->overflow = 1;
			return ES_DATA;
		}
		sb_add(&mt->text, buf, (size_t)r);
	}
	return r < 0 ? ES_REFUSED : ES_OK;
}

static void dquarantine(struct dload *dl, const char *name, const char *reason, es_status st)
{
	char *final = NULL;

	msg_error("%s/%s: refused: %s", HOME_INBOX, name, reason);
	dl->worst = es_worst(dl->worst, st);
	if (spool_move(dl->inbox, name, dl->quarantine, &final) == ES_OK) {
		char *rpath = xasprintf("%s/%s.reason", dl->quarantine, final);
		char *text = xasprintf("file: %s\nrefused: %s\nstatus: %d\n", final, reason, (int)st);

		if (fsio_write_atomic(rpath, text, strlen(text), 0600) < 0)
			msg_error("%s: cannot write: %s", rpath, strerror(errno));
		free(text);
		free(rpath);
	} else {
		msg_error("%s/%s: cannot move it to %s: %s", HOME_INBOX, name, HOME_QUARANTINE,
			  strerror(errno));
		dl->worst = es_worst(dl->worst, ES_IO);
	}
	free(final);
}

/* ---- requests: carried out (a district cannot decline) ---- */

struct asked {
	struct request rq;
	int have_rq;
	struct fieldset fs;
	struct dv_asks *asks;
	const struct reg_object *o;
	struct sb text, why, key;
	int bad;
};

static int asked_key(void *ctx, const struct rec_val *v, uint64_t line)
{
	struct asked *a = ctx;

	(void)line;
	sb_reset(&a->key);
	rec_key_encode(a->o, v, &a->key);
	dv_asks_key(a->asks, a->o, a->key.buf, a->key.len);
	return 0;
}

static void asked_rej(void *ctx, const struct objcsv_reject *r)
{
	((struct asked *)ctx)->bad = 1;
	(void)r;
}

static es_status read_request_member(void *ctx, struct bundle *b, const struct mf_member *mm)
{
	struct asked *a = ctx;
	const struct reg_object *o = reg_find(mm->object);

	if (!a->have_rq) {
		if (mm->type != MF_REQUEST) {
			sb_addstr(&a->why, "request.ini must be the first member");
			return ES_DATA;
		}
		if (vk_read_member(b, RQ_MAX_BYTES, &a->text) < 0) {
			sb_addstr(&a->why, "member request.ini is damaged or too long");
			return ES_REFUSED;
		}
		if (rq_parse(a->text.buf ? a->text.buf : "", a->text.len, &a->rq, &a->why) < 0)
			return ES_DATA;
		a->have_rq = 1;
		if (fs_parse(&a->fs, a->rq.fields, &a->why) < 0) {
			memset(&a->fs, 0, sizeof a->fs);
			return ES_DATA;
		}
		return ES_OK;
	}
	if (!o || (mm->type != MF_TREE && mm->type != MF_KEYS)) {
		sb_addf(&a->why, "member %s does not belong in a request", mm->name);
		return ES_DATA;
	}
	if (vk_read_member(b, 64u << 20, &a->text) < 0) {
		sb_addf(&a->why, "member %s is damaged or too long", mm->name);
		return ES_REFUSED;
	}
	if (mm->type == MF_TREE) {
		struct sb e = SB_INIT;
		int rc;

		if (mm->fields != fs_fingerprint(&a->fs, o)) {
			sb_addf(&a->why, "the ranges of %s are over other fields than this district's "
				"registry (different edsync versions?)", o->name);
			return ES_DATA;
		}
		rc = dv_asks_tree(a->asks, o, a->text.buf ? a->text.buf : "", a->text.len, &e);
		if (rc < 0)
			sb_addf(&a->why, "member %s: %s", mm->name, e.buf);
		sb_release(&e);
		return rc < 0 ? ES_DATA : ES_OK;
	} else {
		struct objcsv *oc = objcsv_new(o, OBJCSV_KEYS, asked_key, asked_rej, a);

		a->o = o;
		a->bad = 0;
		objcsv_feed(oc, a->text.buf ? a->text.buf : "", a->text.len);
		objcsv_finish(oc);
		if (!objcsv_header_ok(oc))
			a->bad = 1;
		objcsv_free(oc);
		if (a->bad) {
			sb_addf(&a->why, "member %s: a key that is not one", mm->name);
			return ES_DATA;
		}
	}
	return ES_OK;
}

static int in_school(void *ctx, const struct reg_object *o, const struct rec_val *v,
		     uint64_t line)
{
	(void)line;
	return sc_in(ctx, o, v);
}

/* A resync request: the resync it asks for, naming the request. */
static es_status carry_out_resync(struct dload *dl, const struct request *rq, char *answer,
				  size_t answer_size)
{
	unsigned char *sel = xcalloc(reg_count(), 1), *named = xcalloc(reg_count(), 1);
	struct school_scope *sc = NULL;
	struct resync_how how;
	struct resync_done done;
	struct sb ini = SB_INIT;
	char scope[32];
	es_status st = ES_OK;
	size_t i;

	memset(&how, 0, sizeof how);
	how.scope = rq->full ? "full" : "objects";
	how.complete = 1;
	if (rq->full) {
		for (i = 0; i < reg_count(); i++)
			sel[i] = reg_sent_by_state(reg_at(i), dl->h->cfg.state);
	} else {
		char *list = xstrdup(rq->objects), *p;
		struct cli cli;

		for (p = list; *p; p++)
			if (*p == ';')
				*p = ',';
		cli_init(&cli, "load");
		st = resync_select(list, dl->h->cfg.state, sel, named, &cli);
		free(list);
	}
	if (st == ES_OK && rq->school[0]) {
		st = scope_school_source(dl->h, rq->school, &sc);
		snprintf(scope, sizeof scope, "school:%s", rq->school);
		how.scope = scope;
		how.keep = in_school;
		how.ctx = sc;
	}
	if (st == ES_OK) {
		rq_encode(rq, &ini);
		how.request = ini.buf;
		how.request_len = ini.len;
		st = resync_run(dl->h, sel, named, &how, &done);
		snprintf(answer, answer_size, "%s", done.made ? done.name : "(nothing sent)");
	}
	sc_free(sc);
	sb_release(&ini);
	free(sel);
	free(named);
	return st;
}

static void take_request(struct dload *dl, const char *name, struct bundle *b)
{
	const struct manifest *m = bundle_manifest(b);
	struct asked a;
	char *done = xpath(dl->received, name);
	char answer[128];
	es_status st;

	memset(&a, 0, sizeof a);
	a.asks = dv_asks_new();
	if (fsio_exists(done)) {
		/* carried out already: a copy brought back twice */
		printf("request %" PRIu64 " from the state: carried out already\n", m->sequence);
		goto file;
	}
	st = bundle_each_member(b, read_request_member, &a, &a.why);
	if (st == ES_OK && !a.have_rq) {
		sb_addstr(&a.why, "no request.ini");
		st = ES_DATA;
	}
	if (st == ES_OK) {
		char now[24];

		outbox_now(now);
		if (rq_expired(&a.rq, now)) {
			sb_addf(&a.why, "request %" PRIu64 " expired at %s: not carried out",
				m->sequence, a.rq.expires);
			st = ES_DATA;
		}
	}
	if (st != ES_OK) {
		dquarantine(dl, name, a.why.len ? a.why.buf : "not a request", st);
		goto out;
	}
	a.rq.request = m->sequence;
	if (a.rq.what == RQ_RESYNC)
		st = carry_out_resync(dl, &a.rq, answer, sizeof answer);
	else
		st = dv_run(dl->h, &a.rq, a.asks, 0, 1, 0, answer, sizeof answer);
	if (st != ES_OK && st != ES_DATA) {
		dl->worst = es_worst(dl->worst, st);
		goto out;
	}
	dl->requests++;
	printf("request %" PRIu64 " from the state (%s): answered in %s/%s\n", m->sequence,
	       rq_what_name(a.rq.what), HOME_OUTBOX, answer);
file:
	if (spool_move(dl->inbox, name, dl->received, NULL) != ES_OK) {
		msg_error("%s/%s: carried out, but cannot file it: %s", HOME_INBOX, name,
			  strerror(errno));
		dl->worst = es_worst(dl->worst, ES_IO);
	}
out:
	if (a.have_rq) {
		rq_free(&a.rq);
		fs_free(&a.fs);
	}
	dv_asks_free(a.asks);
	sb_release(&a.text);
	sb_release(&a.why);
	sb_release(&a.key);
	free(done);
}

/* ---- reports: the state's Verification Summary, kept in var/reports/ ---- */

struct report_in {
	struct sb summary, detail;
	int bad;
};

static es_status read_report_member(void *ctx, struct bundle *b, const struct mf_member *mm)
{
	struct report_in *r = ctx;

	if (mm->type == MF_REPORT)
		return vk_read_member(b, 1u << 20, &r->summary) < 0 ? ES_REFUSED : ES_OK;
	if (mm->type == MF_DETAIL)
		return vk_read_member(b, 256u << 20, &r->detail) < 0 ? ES_REFUSED : ES_OK;
	r->bad = 1;
	return ES_DATA;
}

static void take_report(struct dload *dl, const char *name, struct bundle *b)
{
	struct report_in r;
	struct rp_summary s;
	struct rp_area t;
	struct sb why = SB_INIT;
	char *dir = home_path(dl->h, HOME_REPORTS), *p1 = NULL, *p2 = NULL;
	size_t stem = strlen(name) - (strlen(name) > 7 ? 7 : 0);	/* less ".bundle" */
	es_status st;

	memset(&r, 0, sizeof r);
	st = bundle_each_member(b, read_report_member, &r, &why);
	if (st == ES_OK && rp_read(r.summary.buf ? r.summary.buf : "", r.summary.len, &s,
				   &why) < 0)
		st = ES_DATA;
	if (st != ES_OK) {
		dquarantine(dl, name, why.len ? why.buf : "not a report", st);
		goto out;
	}
	p1 = xasprintf("%s/%.*s.summary.csv", dir, (int)stem, name);
	p2 = xasprintf("%s/%.*s.detail.csv", dir, (int)stem, name);
	if (fsio_mkdirs(dir, 0700) < 0 ||
	    fsio_write_atomic(p1, r.summary.buf, r.summary.len, 0600) < 0 ||
	    fsio_write_atomic(p2, r.detail.buf ? r.detail.buf : "", r.detail.len, 0600) < 0) {
		msg_error("%s: cannot keep the report: %s", HOME_REPORTS, strerror(errno));
		dl->worst = es_worst(dl->worst, ES_IO);
		goto out;
	}
	rp_total(&s, &t);
	dl->reports++;
	if (rp_in_sync(&s))
		printf("report from the state: verified %s against digest sequence %" PRIu64
		       ": in sync\n", s.at, s.digest_seq);
	else
		printf("report from the state: verified %s against digest sequence %" PRIu64
		       ": differ (%" PRIu64 " missing at the state, %" PRIu64 " missing at the "
		       "district, %" PRIu64 " different, %" PRIu64 " duplicates%s); %s/%.*s.detail.csv\n",
		       s.at, s.digest_seq, t.missing_at_state, t.missing_at_district, t.differences,
		       t.duplicates_at_district + t.duplicates_at_state,
		       t.unresolved ? ", more pending" : "", HOME_REPORTS, (int)stem, name);
	if (spool_move(dl->inbox, name, dl->received, NULL) != ES_OK) {
		msg_error("%s/%s: kept, but cannot file it: %s", HOME_INBOX, name, strerror(errno));
		dl->worst = es_worst(dl->worst, ES_IO);
	}
out:
	sb_release(&r.summary);
	sb_release(&r.detail);
	sb_release(&why);
	free(p1);
	free(p2);
	free(dir);
}

static void take_one(struct dload *dl, const char *name)
{
	char *path = xpath(dl->inbox, name);
	struct bundle *b = NULL;
	struct sb why = SB_INIT;
	struct member_text mt;
	const struct manifest *m;
	es_status st = bundle_open(path, &dl->kr, &b, &why);
	int taken = 0;

	memset(&mt, 0, sizeof mt);
	if (st != ES_OK) {
		dquarantine(dl, name, why.buf, st);
		goto out;
	}
	m = bundle_manifest(b);
	if (strcmp(m->district, dl->h->cfg.district) || strcmp(m->state, dl->h->cfg.state)) {
		sb_reset(&why);
		sb_addf(&why, "addressed to district %s of %s, this is %s of %s", m->district,
			m->state, dl->h->cfg.district, dl->h->cfg.state);
		dquarantine(dl, name, why.buf, ES_REFUSED);
		goto out;
	}
	if (strcmp(bundle_key(b)->role, "state") != 0) {
		dquarantine(dl, name, "not signed by the state's key", ES_REFUSED);
		goto out;
	}
	if (!strcmp(m->kind, "request")) {
		take_request(dl, name, b);
		goto out;
	}
	if (!strcmp(m->kind, "report")) {
		take_report(dl, name, b);
		goto out;
	}
	if (strcmp(m->kind, "receipt") != 0) {
		sb_reset(&why);
		sb_addf(&why, "a %s bundle is not something a district takes", m->kind);
		dquarantine(dl, name, why.buf, ES_DATA);
		goto out;
	}
	if (ledger_receipt_taken(dl->led, m->sequence, &taken) != ES_OK) {
		dl->worst = es_worst(dl->worst, ES_IO);
		goto out;
	}
	if (!taken) {
		sb_reset(&why);
		st = bundle_each_member(b, read_receipt_member, &mt, &why);
		if (st != ES_OK) {
			dquarantine(dl, name, mt.overflow ? "receipt larger than 16 MiB" :
				    why.len ? why.buf : "not a receipt", st);
			goto out;
		}
		sb_reset(&why);
		if (ledger_begin(dl->led) != ES_OK) {
			dl->worst = es_worst(dl->worst, ES_IO);
			goto out;
		}
		dl->cur_receipt = m->sequence;
		dl->failed = 0;
		if (receipt_read(mt.text.buf ? mt.text.buf : "", mt.text.len, take_line, dl,
				 &why) < 0 && !dl->failed) {
			ledger_rollback(dl->led);
			dquarantine(dl, name, why.buf, ES_DATA);
			goto out;
		}
		if (dl->failed || ledger_take_receipt(dl->led, m->sequence, name) != ES_OK ||
		    ledger_commit(dl->led) != ES_OK) {
			ledger_rollback(dl->led);
			dl->worst = es_worst(dl->worst, ES_IO);
			goto out;
		}
		dl->receipts++;
	}
	if (spool_move(dl->inbox, name, dl->received, NULL) != ES_OK) {
		msg_error("%s/%s: taken, but cannot file it: %s", HOME_INBOX, name, strerror(errno));
		dl->worst = es_worst(dl->worst, ES_IO);
	}
out:
	bundle_close(b);
	sb_release(&why);
	sb_release(&mt.text);
	free(path);
}

es_status load_district(struct home *h)
{
	struct dload dl;
	char **names;
	size_t n, i;
	es_status st;

	memset(&dl, 0, sizeof dl);
	dl.h = h;
	home_make_folders(h->dir, CFG_DISTRICT);
	st = home_keyring(h, &dl.kr);
	if (st != ES_OK)
		return st;
	if ((st = ledger_open(h, &dl.led)) != ES_OK) {
		keyring_free(&dl.kr);
		return st;
	}
	dl.inbox = home_path(h, HOME_INBOX);
	dl.received = home_path(h, HOME_RECEIVED);
	dl.quarantine = home_path(h, HOME_QUARANTINE);
	st = spool_list(dl.inbox, "", &names, &n);
	if (st != ES_OK) {
		msg_error("%s: cannot list: %s", dl.inbox, strerror(errno));
		dl.worst = ES_IO;
		n = 0;
		names = NULL;
	}
	for (i = 0; i < n; i++)
		take_one(&dl, names[i]);
	spool_list_free(names, n);
	printf("load: %zu receipt%s taken: %zu applied, %zu duplicate, %zu held, %zu refused\n",
	       dl.receipts, dl.receipts == 1 ? "" : "s", dl.counts[0], dl.counts[1], dl.counts[2],
	       dl.counts[3]);
	if (dl.requests || dl.reports)
		printf("load: %zu request%s carried out, %zu report%s kept\n", dl.requests,
		       dl.requests == 1 ? "" : "s", dl.reports, dl.reports == 1 ? "" : "s");
	ledger_close(dl.led);
	keyring_free(&dl.kr);
	free(dl.inbox);
	free(dl.received);
	free(dl.quarantine);
	return dl.worst;
}
