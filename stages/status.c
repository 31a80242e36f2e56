/*
 * status.c - 'edsync status': what is queued, sent, applied, held and
 * refused.  On a district: the outbox, the bundles sent, rejected rows and
 * what came back.  On the state: for each district the last applied
 * sequence, the records held because what they reference is not there,
 * the bundles waiting for a gap to fill, and the refused ones.  --json for
 * scripts.
 */
#include "stages.h"
#include "../formats/bundle.h"
#include "../formats/csvr.h"
#include "../formats/manifest.h"
#include "../formats/record.h"
#include "../formats/registry.h"
#include "../formats/report.h"
#include "../pipeline/cli.h"
#include "../pipeline/home.h"
#include "../pipeline/ledger.h"
#include "../pipeline/storeopen.h"
#include "../spool/spool.h"
#include "../store/store.h"
#include "../util/fsio.h"
#include "../util/msg.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct list {
	const char *key;
	const char *dir;
	const char *suffix;
	char **names;
	size_t n;
};

static void list_json(struct sb *out, const struct list *l)
{
	size_t i;

	sb_addf(out, "  \"%s\": [", l->key);
	for (i = 0; i < l->n; i++) {
		if (i)
			sb_addstr(out, ", ");
		sb_addjson(out, l->names[i], strlen(l->names[i]));
	}
	sb_addstr(out, "]");
}

static void list_text(struct sb *out, const struct list *l)
{
	size_t i;

	sb_addf(out, "%s: %zu\n", l->key, l->n);
	for (i = 0; i < l->n; i++)
		sb_addf(out, "  %s\n", l->names[i]);
}

/* How many names of the list start with "<district>-". */
static size_t count_of(const struct list *l, const char *district)
{
	size_t i, n = 0, dl = strlen(district);

	for (i = 0; i < l->n; i++)
		if (!strncmp(l->names[i], district, dl) && l->names[i][dl] == '-')
			n++;
	return n;
}

struct state_ctx {
	struct store *s;
	struct sb *out;
	int json;
	int first;
	const struct list *held_bundles, *quarantined;
	es_status st;
};

/* One held record: object, key (values joined by ';'), reason. */
static void held_line(struct state_ctx *c, const struct store_held *h, int first)
{
	struct sb key = SB_INIT;
	size_t i;

	for (i = 0; i < h->klen; i++)
		sb_addch(&key, h->key[i] ? h->key[i] : ';');
	if (c->json) {
		sb_addstr(c->out, first ? "\n     " : ",\n     ");
		sb_addstr(c->out, "{\"object\": ");
		sb_addjson(c->out, h->o->name, strlen(h->o->name));
		sb_addstr(c->out, ", \"key\": ");
		sb_addjson(c->out, key.buf ? key.buf : "", key.len);
		sb_addf(c->out, ", \"sequence\": %" PRIu64 ", \"reason\": ", h->seq);
		sb_addjson(c->out, h->reason, strlen(h->reason));
		sb_addstr(c->out, "}");
	} else {
		sb_addf(c->out, "    %s %s (sequence %" PRIu64 "): %s\n", h->o->name,
			key.buf ? key.buf : "", h->seq, h->reason);
	}
	sb_release(&key);
}

/* Orphans a state with [load] orphans = flag lists rather than removes. */
struct orphans {
	struct state_ctx *c;
	struct sb lines;
	uint64_t n;
};

static es_status orphan_line(void *ctx, const struct reg_object *o, const char *key, size_t klen,
			     uint64_t seq, const char *since)
{
	struct orphans *x = ctx;
	struct sb k = SB_INIT;
	size_t i;

	for (i = 0; i < klen; i++)
		sb_addch(&k, key[i] ? key[i] : ';');
	if (x->c->json) {
		sb_addstr(&x->lines, x->n ? ",\n     " : "\n     ");
		sb_addstr(&x->lines, "{\"object\": ");
		sb_addjson(&x->lines, o->name, strlen(o->name));
		sb_addstr(&x->lines, ", \"key\": ");
		sb_addjson(&x->lines, k.buf ? k.buf : "", k.len);
		sb_addf(&x->lines, ", \"sequence\": %" PRIu64 ", \"since\": \"%s\"}", seq, since);
	} else if (x->n < 20) {
		sb_addf(&x->lines, "    %s %s (sequence %" PRIu64 ")\n", o->name,
			k.buf ? k.buf : "", seq);
	}
	x->n++;
	sb_release(&k);
	return ES_OK;
}

static es_status flagged_orphans(struct state_ctx *c, const char *district)
{
	struct orphans x;
	es_status st;

	memset(&x, 0, sizeof x);
	x.c = c;
	st = store_orphans_each(c->s, district, orphan_line, &x);
	if (st == ES_OK && c->json) {
		sb_addstr(c->out, ", \"orphans_flagged\": [");
		if (x.n)
			sb_add(c->out, x.lines.buf, x.lines.len);
		sb_addstr(c->out, x.n ? "\n    ]" : "]");
	} else if (st == ES_OK && x.n) {
		sb_addf(c->out, "  orphans flagged: %" PRIu64 " (records the district's last complete "
			"resync did not carry)\n", x.n);
		sb_add(c->out, x.lines.buf, x.lines.len);
		if (x.n > 20)
			sb_addf(c->out, "    ... and %" PRIu64 " more ('edsync status --json' lists "
				"all)\n", x.n - 20);
	}
	sb_release(&x.lines);
	return st;
}

static es_status one_district(void *ctx, const char *district, uint64_t last_seq,
			      const char *updated)
{
	struct state_ctx *c = ctx;
	struct store_held h[256];
	int64_t cursor = 0;
	uint64_t nheld = 0;
	size_t n, i, shown = 0;
	es_status st = store_held_count(c->s, district, &nheld);

	if (st != ES_OK)
		return st;
	struct store_verification v;
	int verified = 0;
	size_t waiting = count_of(c->held_bundles, district);

	if (st == ES_OK)
		st = store_verification_get(c->s, district, &v, &verified);
	if (st != ES_OK)
		return st;
	if (c->json) {
		sb_addstr(c->out, c->first ? "\n   " : ",\n   ");
		sb_addf(c->out, "{\"district\": \"%s\", \"last_applied\": %" PRIu64
			", \"applied_at\": %s%s%s, \"held_bundles\": %zu, \"quarantined\": %zu, ",
			district, last_seq, last_seq ? "\"" : "", last_seq ? updated : "null",
			last_seq ? "\"" : "", waiting, count_of(c->quarantined, district));
		if (waiting)
			sb_addf(c->out, "\"missing_sequence\": %" PRIu64 ", ", last_seq + 1);
		if (verified)
			sb_addf(c->out, "\"last_verification\": {\"at\": \"%s\", \"digest_sequence\": "
				"%" PRIu64 ", \"in_sync\": %s, \"missing_at_state\": %" PRIu64
				", \"missing_at_district\": %" PRIu64 ", \"differences\": %" PRIu64
				"}, ", v.at, v.digest_seq, v.in_sync ? "true" : "false",
				v.missing_at_state, v.missing_at_district, v.differences);
		else
			sb_addstr(c->out, "\"last_verification\": null, ");
		sb_addstr(c->out, "\"held_records\": [");
	} else {
		if (last_seq)
			sb_addf(c->out, "district %s: last applied sequence %" PRIu64 " (%s); ",
				district, last_seq, updated);
		else
			sb_addf(c->out, "district %s: nothing applied yet; ", district);
		sb_addf(c->out, "%zu bundle%s waiting for a gap, %zu refused, %" PRIu64
			" record%s held\n", waiting, waiting == 1 ? "" : "s",
			count_of(c->quarantined, district), nheld, nheld == 1 ? "" : "s");
		if (waiting)
			sb_addf(c->out, "  gap: sequence %" PRIu64 " has not arrived\n", last_seq + 1);
		if (!verified)
			sb_addstr(c->out, "  last verification: none yet\n");
		else if (v.in_sync)
			sb_addf(c->out, "  last verification: %s, digest sequence %" PRIu64
				": in sync\n", v.at, v.digest_seq);
		else
			sb_addf(c->out, "  last verification: %s, digest sequence %" PRIu64
				": differ (%" PRIu64 " missing at the state, %" PRIu64 " missing at "
				"the district, %" PRIu64 " different)\n", v.at, v.digest_seq,
				v.missing_at_state, v.missing_at_district, v.differences);
	}
	c->first = 0;
	/* every held record in JSON; the first 20 for people */
	while (st == ES_OK && (c->json || shown < 20)) {
		st = store_held_chunk(c->s, district, &cursor, h, 256, &n);
		for (i = 0; st == ES_OK && i < n && (c->json || shown < 20); i++, shown++)
			held_line(c, &h[i], shown == 0);
		if (n < 256)
			break;
	}
	if (!c->json && nheld > shown)
		sb_addf(c->out, "    ... and %" PRIu64 " more ('edsync status --json' lists all)\n",
			nheld - shown);
	if (c->json)
		sb_addstr(c->out, shown ? "\n    ]" : "]");
	if (st == ES_OK)
		st = flagged_orphans(c, district);
	if (c->json)
		sb_addstr(c->out, "}");
	return st;
}

/* Each bundle the district made: queued, sent, or what the state did. */
static void district_bundles(struct home *h, struct sb *out, int json, const struct list *queued,
			     const struct list *sent)
{
	struct ledger *led = NULL;
	size_t i, n = 0;
	int pass;

	{
		/* status only reads: no ledger yet means no receipt yet */
		char *lp = home_path(h, LEDGER_FILE);

		if (fsio_exists(lp))
			ledger_open(h, &led);
		free(lp);
	}
	if (json)
		sb_addstr(out, "  \"bundles\": [");
	else
		sb_addstr(out, "bundles:\n");
	/* sent first (older), then queued */
	for (pass = 0; pass < 2; pass++) {
		const struct list *l = pass ? queued : sent;

		for (i = 0; i < l->n; i++) {
			char d[MF_ID_MAX + 1];
			uint64_t seq = 0;
			struct receipt_line rl;
			int found = 0;
			const char *state = pass ? "queued" : "sent";

			if (bundle_name_parse(l->names[i], d, sizeof d, &seq) < 0)
				continue;
			if (!pass && led && ledger_get(led, seq, &rl, &found) == ES_OK && found)
				state = rl.outcome;
			if (json) {
				sb_addstr(out, n++ ? ",\n    " : "\n    ");
				sb_addstr(out, "{\"file\": ");
				sb_addjson(out, l->names[i], strlen(l->names[i]));
				sb_addf(out, ", \"sequence\": %" PRIu64 ", \"state\": \"%s\"", seq, state);
				if (found) {
					sb_addf(out, ", \"records\": %" PRIu64 ", \"orphans\": %" PRIu64
						", \"held\": %" PRIu64 ", \"at\": ", rl.records, rl.orphans,
						rl.held);
					sb_addjson(out, rl.at, strlen(rl.at));
					sb_addstr(out, ", \"reason\": ");
					sb_addjson(out, rl.reason, strlen(rl.reason));
					sb_addstr(out, ", \"objects\": ");
					sb_addjson(out, rl.objects, strlen(rl.objects));
				}
				sb_addstr(out, "}");
			} else {
				sb_addf(out, "  %-40s %s", l->names[i], state);
				if (found && !strcmp(state, "applied") && !strncmp(rl.objects, "key=", 4))
					sb_addf(out, "%*skey %s", (int)(10 - strlen(state)), "",
						rl.objects + 4);
				else if (found && (!strcmp(state, "applied") ||
						   !strcmp(state, "duplicate")))
					sb_addf(out, "%*s%" PRIu64 " records, %" PRIu64 " orphans removed%s",
						(int)(10 - strlen(state)), "", rl.records, rl.orphans,
						rl.held ? ", some held" : "");
				else if (found && *rl.reason)
					sb_addf(out, "%*s%s", (int)(10 - strlen(state)), "", rl.reason);
				sb_addch(out, '\n');
			}
		}
	}
	if (json)
		sb_addstr(out, n ? "\n  ],\n" : "],\n");
	ledger_close(led);
}

struct known {
	char district[MF_ID_MAX + 1];
	uint64_t last_seq;
	char updated[32];
};

struct known_list {
	struct known *k;
	size_t n;
};

static struct known *known_add(struct known_list *l, const char *district)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->k[i].district, district))
			return &l->k[i];
	l->k = xrealloc(l->k, (l->n + 1) * sizeof *l->k);
	memset(&l->k[l->n], 0, sizeof *l->k);
	snprintf(l->k[l->n].district, sizeof l->k[l->n].district, "%s", district);
	return &l->k[l->n++];
}

static es_status known_from_store(void *ctx, const char *district, uint64_t last_seq,
				  const char *updated)
{
	struct known *k = known_add(ctx, district);

	k->last_seq = last_seq;
	snprintf(k->updated, sizeof k->updated, "%s", updated);
	return ES_OK;
}

static int known_cmp(const void *a, const void *b)
{
	return strcmp(((const struct known *)a)->district, ((const struct known *)b)->district);
}

/* Every district the state trusts or holds records of, in order. */
static es_status each_known_district(const struct home *h, struct store *s,
				     struct state_ctx *sc)
{
	struct known_list l = { NULL, 0 };
	char *dir = home_path(h, HOME_TRUSTED), **names = NULL;
	size_t n = 0, i;
	es_status st = store_each_district(s, known_from_store, &l);

	if (st == ES_OK && spool_list(dir, ".pub", &names, &n) == ES_OK) {
		for (i = 0; i < n; i++) {
			char id[MF_ID_MAX + 1];
			size_t len = strlen(names[i]);

			/* district-<ID>.pub */
			if (!strncmp(names[i], "district-", 9) && len - 13 <= MF_ID_MAX) {
				snprintf(id, sizeof id, "%.*s", (int)(len - 13), names[i] + 9);
				if (mf_district_ok(id))
					known_add(&l, id);
			}
		}
		spool_list_free(names, n);
	}
	if (l.n)
		qsort(l.k, l.n, sizeof *l.k, known_cmp);
	for (i = 0; st == ES_OK && i < l.n; i++)
		st = one_district(sc, l.k[i].district, l.k[i].last_seq, l.k[i].updated);
	free(l.k);
	free(dir);
	return st;
}

/* The district: the last selective syncs (var/selective.csv). */
#define SELECTIVE_SHOWN 5

struct sel_rows {
	struct sb rows[SELECTIVE_SHOWN];	/* the last ones, as output lines */
	size_t n;				/* rows read (past the header) */
	int json;
};

static int sel_row(void *ctx, const struct csvr_row *r)
{
	struct sel_rows *x = ctx;
	struct sb *o;

	if (r->line == 1 || r->n != 6)
		return 0;
	o = &x->rows[x->n++ % SELECTIVE_SHOWN];
	sb_reset(o);
	if (x->json) {
		size_t i;
		static const char *const k[6] = { "at", "asked", "found", "not_found", "bundle",
						   "sequence" };

		sb_addch(o, '{');
		for (i = 0; i < 6; i++) {
			sb_addf(o, "%s\"%s\": ", i ? ", " : "", k[i]);
			sb_addjson(o, r->v[i], r->len[i]);
		}
		sb_addch(o, '}');
	} else {
		sb_addf(o, "  %.*s  asked: %.*s", (int)r->len[0], r->v[0], (int)r->len[1], r->v[1]);
		if (r->len[3])
			sb_addf(o, "; not found: %.*s", (int)r->len[3], r->v[3]);
		sb_addf(o, "; %s%.*s\n", r->len[4] ? "sent in " : "nothing sent",
			(int)r->len[4], r->v[4]);
	}
	return 0;
}

static void sel_err(void *ctx, uint64_t line, const char *reason)
{
	(void)ctx;
	(void)line;
	(void)reason;	/* a damaged line is not shown */
}

static void selective_history(struct home *h, struct sb *out, int json)
{
	char *path = home_path(h, HOME_SELECTIVE);
	struct sel_rows x;
	struct sb text = SB_INIT;
	size_t i, first, shown;

	memset(&x, 0, sizeof x);
	x.json = json;
	if (fsio_read_file(path, 1u << 26, &text) == 0 && text.len) {
		struct csvr *c = csvr_new(8, sel_row, sel_err, &x);

		csvr_feed(c, text.buf, text.len);
		csvr_finish(c);
		csvr_free(c);
	}
	shown = x.n < SELECTIVE_SHOWN ? x.n : SELECTIVE_SHOWN;
	first = x.n - shown;
	if (json) {
		sb_addf(out, "  \"selective\": {\"runs\": %zu, \"last\": [", x.n);
		for (i = 0; i < shown; i++) {
			struct sb *r = &x.rows[(first + i) % SELECTIVE_SHOWN];

			sb_addstr(out, i ? ", " : "");
			sb_add(out, r->buf, r->len);
		}
		sb_addstr(out, "]},\n");
	} else if (x.n) {
		sb_addf(out, "selective syncs: %zu (the last %zu, %s)\n", x.n, shown,
			HOME_SELECTIVE);
		for (i = 0; i < shown; i++) {
			struct sb *r = &x.rows[(first + i) % SELECTIVE_SHOWN];

			sb_add(out, r->buf, r->len);
		}
	}
	for (i = 0; i < SELECTIVE_SHOWN; i++)
		sb_release(&x.rows[i]);
	sb_release(&text);
	free(path);
}

/* The district: the last Verification Summary the state sent back
 * (var/reports/, kept by load). */
static void last_report(struct home *h, struct sb *out, int json)
{
	char *dir = home_path(h, HOME_REPORTS), **names = NULL, *path = NULL;
	struct sb text = SB_INIT, why = SB_INIT;
	struct rp_summary s;
	struct rp_area t;
	size_t n = 0;
	int ok = 0;

	if (spool_list(dir, ".summary.csv", &names, &n) == ES_OK && n) {
		path = xpath(dir, names[n - 1]);
		ok = fsio_read_file(path, 1u << 20, &text) == 0 &&
		     rp_read(text.buf ? text.buf : "", text.len, &s, &why) == 0;
	}
	if (ok)
		rp_total(&s, &t);
	if (json && !ok) {
		sb_addstr(out, "  \"last_report\": null,\n");
	} else if (json) {
		sb_addf(out, "  \"last_report\": {\"file\": \"%s/%s\", \"verified_at\": \"%s\", "
			"\"digest_sequence\": %" PRIu64 ", \"in_sync\": %s, \"complete\": %s, "
			"\"missing_at_state\": %" PRIu64 ", \"missing_at_district\": %" PRIu64
			", \"differences\": %" PRIu64 ", \"duplicates\": %" PRIu64 "},\n",
			HOME_REPORTS, names[n - 1], s.at, s.digest_seq,
			rp_in_sync(&s) ? "true" : "false", rp_complete(&s) ? "true" : "false",
			t.missing_at_state, t.missing_at_district, t.differences,
			t.duplicates_at_district + t.duplicates_at_state);
	} else if (!ok) {
		sb_addstr(out, "last verification report: none yet\n");
	} else if (rp_in_sync(&s)) {
		sb_addf(out, "last verification report: %s, digest sequence %" PRIu64 ": in sync\n",
			s.at, s.digest_seq);
	} else {
		sb_addf(out, "last verification report: %s, digest sequence %" PRIu64 ": differ (%"
			PRIu64 " missing at the state, %" PRIu64 " missing at the district, %" PRIu64
			" different, %" PRIu64 " duplicates%s): %s/%.*s.detail.csv\n", s.at,
			s.digest_seq, t.missing_at_state, t.missing_at_district, t.differences,
			t.duplicates_at_district + t.duplicates_at_state,
			t.unresolved ? ", more pending" : "", HOME_REPORTS,
			(int)(strlen(names[n - 1]) - strlen(".summary.csv")), names[n - 1]);
	}
	spool_list_free(names, n);
	sb_release(&text);
	sb_release(&why);
	free(path);
	free(dir);
}

es_status cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		CLI_COMMON_OPTIONS
	};
	struct list district[] = {
		{ "queued", HOME_OUTBOX, BUNDLE_SUFFIX, NULL, 0 },
		{ "sent", HOME_SENT, BUNDLE_SUFFIX, NULL, 0 },
		{ "rejects", HOME_REJECTS, ".csv", NULL, 0 },
		{ "withheld", HOME_WITHHELD, ".csv", NULL, 0 },
		{ "received", HOME_INBOX, "", NULL, 0 },
	};
	struct list state[] = {
		{ "inbox", HOME_INBOX, "", NULL, 0 },
		{ "held_bundles", HOME_HELD, "", NULL, 0 },
		{ "quarantined", HOME_QUARANTINE, BUNDLE_SUFFIX, NULL, 0 },
	};
	struct cli cli;
	struct home h;
	struct list *ls;
	struct sb out = SB_INIT;
	size_t nls, i;
	int json = 0, c;
	es_status st;

	cli_init(&cli, "status");
	while ((c = cli_next(&cli, argc, argv, opts)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case CLI_HELP: return ES_OK;
		default: return ES_USAGE;
		}
	}
	if ((st = cli_no_operands(&cli, argc, argv)) != ES_OK)
		return st;
	st = home_start(&h, home_default(cli.home), "status", CFG_NONE, 0, 0);
	if (st != ES_OK)
		return st;
	ls = h.cfg.role == CFG_DISTRICT ? district : state;
	nls = h.cfg.role == CFG_DISTRICT ? sizeof district / sizeof *district
					 : sizeof state / sizeof *state;
	for (i = 0; i < nls; i++) {
		char *dir = home_path(&h, ls[i].dir);

		spool_list(dir, ls[i].suffix, &ls[i].names, &ls[i].n);
		free(dir);
	}
	if (json) {
		sb_addf(&out, "{\n  \"role\": \"%s\",\n  \"state\": \"%s\",\n  \"year\": %d,\n",
			cfg_role_name(h.cfg.role), h.cfg.state, h.cfg.year);
		if (h.cfg.role == CFG_DISTRICT) {
			sb_addf(&out, "  \"district\": \"%s\",\n", h.cfg.district);
			district_bundles(&h, &out, 1, &district[0], &district[1]);
			last_report(&h, &out, 1);
			selective_history(&h, &out, 1);
		}
		for (i = 0; i < nls; i++) {
			list_json(&out, &ls[i]);
			sb_addstr(&out, i + 1 < nls || h.cfg.role == CFG_STATE ? ",\n" : "\n");
		}
	} else if (h.cfg.role == CFG_DISTRICT) {
		sb_addf(&out, "district %s of %s, school year %d\n", h.cfg.district, h.cfg.state,
			h.cfg.year);
		district_bundles(&h, &out, 0, &district[0], &district[1]);
		last_report(&h, &out, 0);
		selective_history(&h, &out, 0);
		for (i = 2; i < nls; i++)
			list_text(&out, &ls[i]);
	} else {
		sb_addf(&out, "state %s, school year %d\n", h.cfg.state, h.cfg.year);
		for (i = 0; i < nls; i++)
			list_text(&out, &ls[i]);
	}
	if (h.cfg.role == CFG_STATE) {
		struct state_ctx sc;

		memset(&sc, 0, sizeof sc);
		sc.out = &out;
		sc.json = json;
		sc.first = 1;
		sc.held_bundles = &state[1];
		sc.quarantined = &state[2];
		st = home_store_open(&h, &sc.s);
		if (json)
			sb_addstr(&out, "  \"districts\": [");
		if (st == ES_OK)
			st = each_known_district(&h, sc.s, &sc);
		if (json)
			sb_addstr(&out, sc.first ? "]\n" : "\n  ]\n");
		store_close(sc.s);
	}
	if (json)
		sb_addstr(&out, "}\n");
	if (st == ES_OK)
		fwrite(out.buf, 1, out.len, stdout);
	sb_release(&out);
	for (i = 0; i < nls; i++)
		spool_list_free(ls[i].names, ls[i].n);
	home_close(&h);
	return st;
}
