/*
 * rollover.c - 'edsync rollover --to YYYY': the change of school year.
 *
 * District, the mandatory sequence:
 *   1. the end-of-year full resync of the current year must have been
 *      applied by the state: the newest full resync bundle of that year
 *      (in outbox/ or var/sent/) has a receipt saying so (var/ledger.db);
 *      otherwise refused (75: try again once the receipt is in), unless
 *      --force (a warning says what is skipped);
 *   2. the scoped year in edsync.conf becomes YYYY (only that line);
 *   3. the start-of-year full resync of YYYY is spooled.
 * A crash after 2 leaves the new year set and no resync: running rollover
 * --to YYYY again spools it.
 *
 * State: the scoped year becomes YYYY; bundles of a year the state did not
 * accept, held in var/held/, are applied by the next load.
 */
#include "stages.h"
#include "../formats/bundle.h"
#include "../formats/keys.h"
#include "../formats/manifest.h"
#include "../formats/registry.h"
#include "../pipeline/cli.h"
#include "../pipeline/home.h"
#include "../pipeline/ledger.h"
#include "../spool/spool.h"
#include "../util/msg.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct last_full {
	char name[128];
	uint64_t seq;
	int found;
};

/* The newest full resync of the scoped year in dir. */
static void newest_full(struct home *h, const struct keyring *kr, const char *rel,
			struct last_full *lf)
{
	char *dir = home_path(h, rel), **names;
	size_t n = 0, i;

	if (spool_list(dir, BUNDLE_SUFFIX, &names, &n) != ES_OK) {
		free(dir);
		return;
	}
	for (i = 0; i < n; i++) {
		char d[MF_ID_MAX + 1], *path;
		uint64_t seq;
		struct bundle *b = NULL;
		struct sb why = SB_INIT;

		if (!strstr(names[i], "-resync" BUNDLE_SUFFIX) ||
		    bundle_name_parse(names[i], d, sizeof d, &seq) < 0 || seq <= lf->seq)
			continue;
		path = xpath(dir, names[i]);
		if (bundle_open(path, kr, &b, &why) == ES_OK) {
			const struct manifest *m = bundle_manifest(b);

			if (!strcmp(m->scope, "full") && m->year == h->cfg.year) {
				lf->seq = seq;
				lf->found = 1;
				snprintf(lf->name, sizeof lf->name, "%s", names[i]);
			}
		}
		bundle_close(b);
		sb_release(&why);
		free(path);
	}
	spool_list_free(names, n);
	free(dir);
}

/* Has the state applied the end-of-year full resync?  *why says what is missing. */
static es_status year_closed(struct home *h, struct sb *why)
{
	struct keyring kr;
	struct key_pub self;
	struct last_full lf;
	struct ledger *led = NULL;
	struct receipt_line rl;
	struct sb err = SB_INIT;
	char *pub = home_public_key_path(h);
	int found = 0;
	es_status st = home_keyring(h, &kr);

	if (st != ES_OK) {
		free(pub);
		return st;
	}
	/* our own bundles, signed by our key (or one retired since) */
	if (key_load_public(pub, &self, &err) == ES_OK)
		keyring_add(&kr, &self);
	memset(&lf, 0, sizeof lf);
	newest_full(h, &kr, HOME_SENT, &lf);
	newest_full(h, &kr, HOME_OUTBOX, &lf);
	keyring_free(&kr);
	if (!lf.found) {
		sb_addf(why, "no full resync of %d was made: run 'edsync resync --full', send it "
			"and take the state's receipt ('edsync load')", h->cfg.year);
		st = ES_TEMP;
		goto out;
	}
	st = ledger_open(h, &led);
	if (st == ES_OK)
		st = ledger_get(led, lf.seq, &rl, &found);
	if (st != ES_OK)
		goto out;
	if (!found || strcmp(rl.outcome, "applied")) {
		sb_addf(why, "the end-of-year full resync %s (sequence %" PRIu64 ") is %s: send it "
			"and take the state's receipt ('edsync load')", lf.name, lf.seq,
			!found ? "not applied by the state yet" : rl.outcome);
		st = ES_TEMP;
	}
out:
	ledger_close(led);
	sb_release(&err);
	free(pub);
	return st;
}

static es_status district_rollover(struct home *h, int year, int force)
{
	char *conf = home_path(h, HOME_CONFIG);
	struct sb why = SB_INIT;
	struct resync_how how;
	unsigned char *sel = NULL, *named = NULL;
	es_status st = ES_OK;
	size_t i;

	if (year != h->cfg.year) {
		st = year_closed(h, &why);
		if (st == ES_TEMP && force) {
			msg_warn("rollover: --force: %s", why.buf);
			st = ES_OK;
		} else if (st == ES_TEMP) {
			msg_error("rollover: refused: %s; or use --force", why.buf);
		}
		if (st != ES_OK)
			goto out;
		st = cfg_set_year(conf, year);
		if (st != ES_OK)
			goto out;
		printf("rollover: the scoped school year is %d (was %d)\n", year, h->cfg.year);
		h->cfg.year = year;
	} else {
		printf("rollover: the scoped school year is %d already: spooling its "
		       "start-of-year full resync\n", year);
	}
	sel = xcalloc(reg_count(), 1);
	named = xcalloc(reg_count(), 1);
	for (i = 0; i < reg_count(); i++)
		sel[i] = reg_sent_by_state(reg_at(i), h->cfg.state);
	memset(&how, 0, sizeof how);
	how.scope = "full";
	how.complete = 1;
	st = resync_run(h, sel, named, &how, NULL);
out:
	free(sel);
	free(named);
	free(conf);
	sb_release(&why);
	return st;
}

static es_status state_rollover(struct home *h, int year)
{
	char *conf = home_path(h, HOME_CONFIG), *held = home_path(h, HOME_HELD), **names;
	size_t n = 0;
	es_status st = ES_OK;

	if (year != h->cfg.year) {
		st = cfg_set_year(conf, year);
		if (st == ES_OK)
			printf("rollover: the scoped school year is %d (was %d)\n", year,
			       h->cfg.year);
	} else {
		printf("rollover: the scoped school year is %d already\n", year);
	}
	if (st == ES_OK && spool_list(held, "", &names, &n) == ES_OK) {
		if (n)
			printf("rollover: %zu held bundle%s will be looked at again by the next "
			       "load\n", n, n == 1 ? "" : "s");
		spool_list_free(names, n);
	}
	free(conf);
	free(held);
	return st;
}

es_status cmd_rollover(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "force", no_argument, NULL, 'f' },
		CLI_COMMON_OPTIONS
	};
	struct cli cli;
	struct home h;
	const char *to = NULL;
	char *end;
	long year = 0;
	int force = 0, c;
	es_status st;

	cli_init(&cli, "rollover");
	while ((c = cli_next(&cli, argc, argv, opts)) != -1) {
		switch (c) {
		case 't': to = optarg; break;
		case 'f': force = 1; break;
		case CLI_HELP: return ES_OK;
		default: return ES_USAGE;
		}
	}
	if ((st = cli_no_operands(&cli, argc, argv)) != ES_OK)
		return st;
	if (to)
		year = strtol(to, &end, 10);
	if (!to || *end || strlen(to) != 4 || year < 1901 || year > 2199)
		return cli_usage(&cli, "give --to YYYY, the school year by its end year");
	st = home_start(&h, home_default(cli.home), "rollover", CFG_NONE, 1, cli.wait);
	if (st != ES_OK)
		return st;
	if (h.cfg.role == CFG_DISTRICT && year != h.cfg.year && year != h.cfg.year + 1 && !force)
		st = cli_usage(&cli, "a district rolls over to the next year, %d (or use --force)",
			       h.cfg.year + 1);
	else if (h.cfg.role == CFG_DISTRICT)
		st = district_rollover(&h, (int)year, force);
	else if (force)
		st = cli_usage(&cli, "--force is for a district");
	else
		st = state_rollover(&h, (int)year);
	home_close(&h);
	return st;
}
