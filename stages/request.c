/*
 * request.c - 'edsync request' on the state: a signed request the district
 * carries out when it next loads (it cannot decline).
 *
 *   edsync request --district ID --verify [--full] [--fields a,b] [--objects A,B]
 *                  [--school N] [--expires DAYS | --expires-at TIME]
 *   edsync request --district ID --full | --objects A,B [--school N] [--expires ...]
 *
 * --verify asks for a verification digest: the nightly tree form, or with
 * --full one hash per record; --fields and --objects limit it.  The answer
 * comes back in the district's sequence and is kept for 'edsync verify'.
 * Without --verify it asks for a resync of every object (--full) or of
 * those objects and their parents, of one school with --school; the
 * district's resync bundle names the request, and the state's status shows
 * it answered.  A request not carried out within DAYS (default 7) is
 * refused by the district.
 */
#include "stages.h"
#include "stateout.h"
#include "../formats/fieldset.h"
#include "../formats/keys.h"
#include "../formats/manifest.h"
#include "../formats/registry.h"
#include "../formats/request.h"
#include "../pipeline/cli.h"
#include "../pipeline/home.h"
#include "../pipeline/outbox.h"
#include "../pipeline/storeopen.h"
#include "../store/store.h"
#include "../util/msg.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

es_status cmd_request(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "district", required_argument, NULL, 'd' },
		{ "verify", no_argument, NULL, 'v' },
		{ "full", no_argument, NULL, 'f' },
		{ "fields", required_argument, NULL, 'F' },
		{ "objects", required_argument, NULL, 'o' },
		{ "school", required_argument, NULL, 's' },
		{ "expires", required_argument, NULL, 'x' },
		{ "expires-at", required_argument, NULL, 'X' },
		CLI_COMMON_OPTIONS
	};
	long days = 7;
	const char *expires_at = NULL;
	char *end;
	struct cli cli;
	struct home h;
	struct store *s = NULL;
	struct key_secret *k = NULL;
	struct request rq;
	struct fieldset fs;
	struct so_member mem;
	struct sb ini = SB_INIT, why = SB_INIT, objs = SB_INIT;
	const char *district = NULL;
	char name[128];
	uint64_t seq = 0;
	unsigned char hash[32];
	int c, verify = 0;
	es_status st = ES_OK;

	rq_init(&rq, RQ_VERIFY);
	rq.tree = 1;
	cli_init(&cli, "request");
	while ((c = cli_next(&cli, argc, argv, opts)) != -1) {
		switch (c) {
		case 'd': district = optarg; break;
		case 'v': verify = 1; break;
		case 'f': rq.tree = 0; rq.full = 1; break;
		case 'F':
			if (fs_parse(&fs, optarg, &why) < 0) {
				st = cli_usage(&cli, "%s", why.buf);
				goto early;
			}
			free(rq.fields);
			rq.fields = xstrdup(fs.spec);
			fs_free(&fs);
			break;
		case 'o': {
			char *copy = xstrdup(optarg), *p, *save = NULL;

			for (p = strtok_r(copy, ",", &save); p && st == ES_OK;
			     p = strtok_r(NULL, ",", &save)) {
				if (!reg_find(p))
					st = cli_usage(&cli, "--objects: '%s' is not an object", p);
				if (objs.len)
					sb_addch(&objs, ';');
				sb_addstr(&objs, p);
			}
			free(copy);
			if (st != ES_OK)
				goto early;
			free(rq.objects);
			rq.objects = xstrdup(objs.buf ? objs.buf : "");
			break;
		}
		case 's':
			if (!mf_district_ok(optarg)) {
				st = cli_usage(&cli, "--school is a school number (schoolID)");
				goto early;
			}
			snprintf(rq.school, sizeof rq.school, "%s", optarg);
			break;
		case 'x':
			days = strtol(optarg, &end, 10);
			if (*end || days < 1 || days > 366) {
				st = cli_usage(&cli, "--expires wants days, 1 to 366");
				goto early;
			}
			break;
		case 'X':
			if (!mf_time_ok(optarg)) {
				st = cli_usage(&cli, "--expires-at wants a UTC time "
					       "YYYY-MM-DDTHH:MM:SSZ");
				goto early;
			}
			expires_at = optarg;
			break;
		case CLI_HELP: st = ES_OK; goto early;
		default: st = ES_USAGE; goto early;
		}
	}
	if ((st = cli_no_operands(&cli, argc, argv)) != ES_OK)
		goto early;
	if (!district || !mf_district_ok(district)) {
		st = cli_usage(&cli, "give --district ID");
		goto early;
	}
	if (!verify) {
		if (!rq.full == !rq.objects[0]) {
			st = cli_usage(&cli, "a resync request wants --full or --objects A,B "
				       "(or --verify: a digest)");
			goto early;
		}
		if (rq.fields[0]) {
			st = cli_usage(&cli, "--fields is for --verify");
			goto early;
		}
		rq.what = RQ_RESYNC;
		rq.tree = 0;
	}
	if (expires_at) {
		char now[24];

		snprintf(rq.expires, sizeof rq.expires, "%s", expires_at);
		outbox_now(now);
		if (rq_expired(&rq, now))
			msg_warn("request: it expires at %s, which has passed: the district will "
				 "refuse it", rq.expires);
	} else {
		time_t t = time(NULL) + (time_t)days * 86400;
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(rq.expires, sizeof rq.expires, "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	st = home_start(&h, home_default(cli.home), "request", CFG_STATE, 0, 0);
	if (st != ES_OK)
		goto early;
	rq_encode(&rq, &ini);
	mem.object = "request";
	mem.type = MF_REQUEST;
	mem.data = ini.buf;
	mem.len = ini.len;
	mem.rows = 1;
	mem.fields = 0;
	crypto_generichash(hash, sizeof hash, (const unsigned char *)ini.buf, ini.len, NULL, 0);
	st = home_store_open(&h, &s);
	if (st == ES_OK)
		st = home_secret_key(&h, &k);
	if (st == ES_OK)
		st = so_send(&h, s, k, district, "request", &mem, 1, &seq, name, sizeof name);
	if (st == ES_OK)
		st = store_request_add(s, district, seq, rq_what_name(rq.what), 0, hash);
	if (st == ES_OK)
		printf("request %" PRIu64 " (%s) for district %s, expires %s: %s/%s/%s\n", seq,
		       rq.what == RQ_RESYNC ? (rq.full ? "resync, every object" : "resync") :
		       rq.tree ? "verify, tree digest" : "verify, a hash per record", district,
		       rq.expires, HOME_OUTBOX, district, name);
	key_secret_free(k);
	store_close(s);
	home_close(&h);
early:
	rq_free(&rq);
	sb_release(&ini);
	sb_release(&why);
	sb_release(&objs);
	return st;
}
