/*
 * digest.c - 'edsync digest' on a district: a verification digest of every
 * record of the verification areas, signed and spooled (dverify.h does the
 * work).
 *
 *   edsync digest                  one hash per record (kind "digest")
 *   edsync digest --tree           the nightly form: node hashes, a few KB
 *                  [--node N]      N records a node (default: a 64th of each
 *                                  object, at least 4096)
 *   edsync digest --fields a,b     hashes over those fields only
 *   edsync digest --objects A,B    those objects only
 *   edsync digest --school N       the records of school N only (school.h)
 */
#include "stages.h"
#include "dverify.h"
#include "../formats/bundle.h"
#include "../formats/fieldset.h"
#include "../formats/manifest.h"
#include "../formats/registry.h"
#include "../formats/request.h"
#include "../pipeline/cli.h"
#include "../pipeline/home.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "A,B" -> "A;B", each an object in a verification area. */
static es_status objects_list(struct cli *cli, const char *arg, char **out)
{
	struct sb s = SB_INIT;
	char *copy = xstrdup(arg), *p, *save = NULL;
	es_status st = ES_OK;

	for (p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		const struct reg_object *o = reg_find(p);

		if (!o || o->area == REG_AREA_NONE) {
			st = cli_usage(cli, "--objects: '%s' is not an object of a verification area",
				       p);
			break;
		}
		if (s.len)
			sb_addch(&s, ';');
		sb_addstr(&s, p);
	}
	free(copy);
	if (st == ES_OK && !s.len)
		st = cli_usage(cli, "--objects: no object named");
	if (st == ES_OK)
		*out = sb_detach(&s);
	sb_release(&s);
	return st;
}

es_status cmd_digest(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tree", no_argument, NULL, 't' },
		{ "fields", required_argument, NULL, 'F' },
		{ "objects", required_argument, NULL, 'o' },
		{ "node", required_argument, NULL, 'N' },
		{ "school", required_argument, NULL, 's' },
		CLI_COMMON_OPTIONS
	};
	struct cli cli;
	struct home h;
	struct request rq;
	struct fieldset fs;
	struct sb why = SB_INIT;
	char name[128];
	es_status st;
	int c, legacy;
	uint64_t node = 0;
	char *end;

	rq_init(&rq, RQ_VERIFY);
	cli_init(&cli, "digest");
	while ((c = cli_next(&cli, argc, argv, opts)) != -1) {
		switch (c) {
		case 't': rq.tree = 1; break;
		case 'F':
			if (fs_parse(&fs, optarg, &why) < 0) {
				st = cli_usage(&cli, "%s", why.buf);
				goto early;
			}
			free(rq.fields);
			rq.fields = xstrdup(fs.spec);
			fs_free(&fs);
			break;
		case 'o':
			free(rq.objects);
			rq.objects = NULL;
			if ((st = objects_list(&cli, optarg, &rq.objects)) != ES_OK)
				goto early;
			break;
		case 'N':
			node = strtoull(optarg, &end, 10);
			if (*end || !node || optarg[0] == '-') {
				st = cli_usage(&cli, "--node is a number of records (at least 1)");
				goto early;
			}
			break;
		case 's':
			if (!mf_district_ok(optarg)) {
				st = cli_usage(&cli, "--school is a school number (schoolID)");
				goto early;
			}
			snprintf(rq.school, sizeof rq.school, "%s", optarg);
			break;
		case CLI_HELP: st = ES_OK; goto early;
		default: st = ES_USAGE; goto early;
		}
	}
	if ((st = cli_no_operands(&cli, argc, argv)) != ES_OK)
		goto early;
	st = home_start(&h, home_default(cli.home), "digest", CFG_DISTRICT, 1, cli.wait);
	if (st != ES_OK)
		goto early;
	/* Without options: the digest every edsync reads, as it always was. */
	legacy = !rq.tree && !*rq.fields && !*rq.objects && !*rq.school;
	st = dv_run(&h, &rq, NULL, legacy, 0, node, name, sizeof name);
	if (st == ES_OK || st == ES_DATA) {
		char d[32];
		uint64_t seq = 0;

		bundle_name_parse(name, d, sizeof d, &seq);
		printf("digest: %s/%s (sequence %" PRIu64 ")\n", HOME_OUTBOX, name, seq);
	}
	home_close(&h);
early:
	if (!rq.objects)
		rq.objects = xstrdup("");
	rq_free(&rq);
	sb_release(&why);
	return st;
}
