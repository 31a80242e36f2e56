/*
 * key.c - 'edsync key rotate': a district's new key pair, announced to the
 * state in a key bundle signed by the old key (pipeline/rotation.h has the
 * steps and how a crash between them is settled).
 */
#include "stages.h"
#include "../formats/announce.h"
#include "../formats/bundle.h"
#include "../formats/keys.h"
#include "../formats/manifest.h"
#include "../pipeline/cli.h"
#include "../pipeline/home.h"
#include "../pipeline/outbox.h"
#include "../pipeline/rotation.h"
#include "../spool/spool.h"
#include "../util/msg.h"
#include "../util/xalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static es_status rotate(struct home *h)
{
	struct key_secret *old = NULL;
	struct key_pub next;
	struct bundle_writer *bw = NULL;
	struct manifest head;
	char name[128], oldid[2 * KEY_ID_BYTES + 1], newid[2 * KEY_ID_BYTES + 1];
	char *outbox = home_path(h, HOME_OUTBOX), *scratch = NULL;
	uint64_t seq, done = 0;
	es_status st;

	memset(&head, 0, sizeof head);
	/* home_secret_key settles an interrupted rotation first */
	if ((st = home_secret_key(h, &old)) != ES_OK || (st = outbox_next_seq(h, &seq)) != ES_OK)
		goto out;
	if ((st = rotation_next_key(h, &next)) != ES_OK ||
	    (st = rotation_record(h, &next, seq)) != ES_OK)
		goto out;
	spool_make(outbox);
	scratch = xpath(outbox, SPOOL_TMP);
	bw = bw_new(scratch);
	st = announce_write(bw, &next);
	if (st != ES_OK) {
		msg_error("%s: cannot write the announcement", scratch);
		goto out;
	}
	snprintf(head.kind, sizeof head.kind, "key");
	snprintf(head.scope, sizeof head.scope, "full");
	st = outbox_commit(h, bw, &head, old, seq, name, sizeof name);
	if (st != ES_OK)
		goto out;
	st = rotation_finish(h, &done);
	if (st != ES_OK)
		goto out;
	key_id_hex(key_secret_public(old)->id, oldid);
	key_id_hex(next.id, newid);
	printf("key rotated: %s signs from sequence %" PRIu64 " on; %s is retired after "
	       "sequence %" PRIu64 "\n", newid, seq + 1, oldid, seq);
	printf("announcement: %s/%s (send it to the state; it needs no other step)\n",
	       HOME_OUTBOX, name);
out:
	bw_free(bw);
	mf_free(&head);
	key_secret_free(old);
	free(scratch);
	free(outbox);
	return st;
}

es_status cmd_key(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS
	};
	struct cli cli;
	struct home h;
	es_status st;
	int c;

	cli_init(&cli, "key");
	while ((c = cli_next(&cli, argc, argv, opts)) != -1) {
		switch (c) {
		case CLI_HELP: return ES_OK;
		default: return ES_USAGE;
		}
	}
	if (optind + 1 != argc || strcmp(argv[optind], "rotate"))
		return cli_usage(&cli, "the key command is 'edsync key rotate'");
	st = home_start(&h, home_default(cli.home), "key rotate", CFG_DISTRICT, 1, cli.wait);
	if (st != ES_OK)
		return st;
	st = rotate(&h);
	home_close(&h);
	return st;
}
