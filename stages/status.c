/*
 * status.c - 'edsync status': what is queued, sent, applied, held and
 * refused.  On a district: the outbox and the bundles sent; on the state:
 * for each district the last applied sequence and what waits or was
 * refused.  --json for scripts.
 */
#include "stages.h"
#include "../formats/bundle.h"
#include "../formats/manifest.h"
#include "../pipeline/cli.h"
#include "../pipeline/home.h"
#include "../pipeline/storeopen.h"
#include "../spool/spool.h"
#include "../store/store.h"
#include "../util/msg.h"
#include "../util/xalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void list_json(const char *key, char **names, size_t n, int last)
{
	size_t i;

	printf("  \"%s\": [", key);
	for (i = 0; i < n; i++)
		printf("%s\"%s\"", i ? ", " : "", names[i]);
	printf("]%s\n", last ? "" : ",");
}

static void list_text(const char *what, char **names, size_t n)
{
	size_t i;

	printf("%s: %zu\n", what, n);
	for (i = 0; i < n; i++)
		printf("  %s\n", names[i]);
}

struct lists {
	const char *key;
	const char *dir;
	const char *suffix;
	char **names;
	size_t n;
};

es_status cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		CLI_COMMON_OPTIONS
	};
	struct lists district[] = {
		{ "queued", HOME_OUTBOX, BUNDLE_SUFFIX, NULL, 0 },
		{ "sent", HOME_SENT, BUNDLE_SUFFIX, NULL, 0 },
		{ "rejects", HOME_REJECTS, ".csv", NULL, 0 },
		{ "received", HOME_INBOX, "", NULL, 0 },
	};
	struct lists state[] = {
		{ "inbox", HOME_INBOX, "", NULL, 0 },
		{ "held", HOME_HELD, "", NULL, 0 },
		{ "quarantined", HOME_QUARANTINE, BUNDLE_SUFFIX, NULL, 0 },
	};
	struct cli cli;
	struct home h;
	struct lists *ls;
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
		printf("{\n  \"role\": \"%s\",\n  \"state\": \"%s\",\n  \"year\": %d,\n",
		       cfg_role_name(h.cfg.role), h.cfg.state, h.cfg.year);
		if (h.cfg.role == CFG_DISTRICT)
			printf("  \"district\": \"%s\",\n", h.cfg.district);
		for (i = 0; i < nls; i++)
			list_json(ls[i].key, ls[i].names, ls[i].n, i + 1 == nls);
		printf("}\n");
	} else {
		if (h.cfg.role == CFG_DISTRICT)
			printf("district %s of %s, school year %d\n", h.cfg.district, h.cfg.state,
			       h.cfg.year);
		else
			printf("state %s, school year %d\n", h.cfg.state, h.cfg.year);
		for (i = 0; i < nls; i++)
			list_text(ls[i].key, ls[i].names, ls[i].n);
	}
	for (i = 0; i < nls; i++)
		spool_list_free(ls[i].names, ls[i].n);
	home_close(&h);
	return ES_OK;
}
