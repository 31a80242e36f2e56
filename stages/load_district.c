/*
 * load_district.c - 'edsync load' on a district: take in what the state
 * sent back (inbox/, brought by send): receipts, each checked against the
 * pinned state key before it is parsed, their lines kept in the ledger
 * (var/ledger.db), the files filed in var/received/; anything refused goes
 * to var/quarantine/ with a .reason file.
 */
#include "stages.h"
#include "../formats/bundle.h"
#include "../formats/keys.h"
#include "../formats/manifest.h"
#include "../formats/receipt.h"
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
	size_t receipts, lines, counts[4];
	uint64_t cur_receipt;	/* the sequence of the receipt being taken */
	int failed;
	es_status worst;
};

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
	else
		printf("%s: %s (sequence %" PRIu64 "): %" PRIu64 " records, %" PRIu64
		       " orphans removed%s\n", l->outcome, l->file, l->seq, l->records, l->orphans,
		       l->held ? ", some held at the state" : "");
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
	ledger_close(dl.led);
	keyring_free(&dl.kr);
	free(dl.inbox);
	free(dl.received);
	free(dl.quarantine);
	return dl.worst;
}
