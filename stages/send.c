/*
 * send.c - 'edsync send': move spooled bundles to the state, and bring
 * back what the state left for this district.
 *
 * A destination folder is the state's home or a mounted drop folder laid
 * out the same way: DEST/inbox/ takes our bundles, DEST/outbox/<ID>/ holds
 * what the state left for us.  (A folder without inbox/ is a plain drop
 * folder: bundles go straight into it and nothing comes back.)
 *
 * Each bundle is copied under a temporary name that starts with '.' (so no
 * loader takes it half-written), fsynced, renamed into place, the folder
 * fsynced; only then does it leave our outbox for var/sent/.  Killed
 * between the two, the bundle is both delivered and still queued: sending
 * it again is harmless, the state applies each sequence once.
 */
#include "stages.h"
#include "../formats/bundle.h"
#include "../pipeline/cli.h"
#include "../pipeline/home.h"
#include "../spool/spool.h"
#include "../util/fsio.h"
#include "../util/msg.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static es_status deliver(struct home *h, const char *inbox, size_t *sent)
{
	char *outbox = home_path(h, HOME_OUTBOX);
	char *sentdir = home_path(h, HOME_SENT);
	char **names;
	size_t n, i;
	es_status st = spool_list(outbox, BUNDLE_SUFFIX, &names, &n);

	if (st != ES_OK) {
		msg_error("%s: cannot list: %s", outbox, strerror(errno));
		goto out;
	}
	for (i = 0; i < n && st == ES_OK; i++) {
		char *from = xpath(outbox, names[i]);
		char *to = xpath(inbox, names[i]);

		if (fsio_copy(from, to, 0600) < 0) {
			msg_error("%s: cannot deliver %s: %s", inbox, names[i], strerror(errno));
			st = errno == ENOSPC || errno == EIO ? ES_IO : ES_UNAVAILABLE;
		} else if (spool_move(outbox, names[i], sentdir, NULL) != ES_OK) {
			msg_error("%s/%s: delivered, but cannot move it to %s: %s", HOME_OUTBOX,
				  names[i], HOME_SENT, strerror(errno));
			st = ES_IO;
		} else {
			printf("sent %s\n", names[i]);
			(*sent)++;
		}
		free(from);
		free(to);
	}
	spool_list_free(names, n);
out:
	free(outbox);
	free(sentdir);
	return st;
}

static es_status bring_back(struct home *h, const char *retdir, size_t *got)
{
	char *inbox = home_path(h, HOME_INBOX);
	char **names;
	size_t n, i;
	es_status st = ES_OK;

	if (!fsio_is_dir(retdir))
		goto out;
	st = spool_list(retdir, "", &names, &n);
	if (st != ES_OK) {
		msg_error("%s: cannot list: %s", retdir, strerror(errno));
		goto out;
	}
	for (i = 0; i < n && st == ES_OK; i++) {
		char *from = xpath(retdir, names[i]);
		char *to = xpath(inbox, names[i]);

		if (fsio_copy(from, to, 0600) < 0) {
			msg_error("%s: cannot fetch %s: %s", retdir, names[i], strerror(errno));
			st = ES_IO;
		} else if (unlink(from) < 0 || fsio_fsync_dir(retdir) < 0) {
			/* Fetched twice at worst; the district's load takes each once. */
			msg_warn("%s: fetched, but cannot remove it: %s", from, strerror(errno));
			(*got)++;
		} else {
			printf("received %s\n", names[i]);
			(*got)++;
		}
		free(from);
		free(to);
	}
	spool_list_free(names, n);
out:
	free(inbox);
	return st;
}

es_status cmd_send(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "media", required_argument, NULL, 'm' },
		CLI_COMMON_OPTIONS
	};
	struct cli cli;
	struct home h;
	const char *to = NULL;
	char *inbox = NULL, *retdir = NULL;
	size_t sent = 0, got = 0;
	es_status st;
	int c;

	cli_init(&cli, "send");
	while ((c = cli_next(&cli, argc, argv, opts)) != -1) {
		switch (c) {
		case 't': to = optarg; break;
		case 'm': return cli_usage(&cli, "--media is not supported yet");
		case CLI_HELP: return ES_OK;
		default: return ES_USAGE;
		}
	}
	if ((st = cli_no_operands(&cli, argc, argv)) != ES_OK)
		return st;
	st = home_start(&h, home_default(cli.home), "send", CFG_DISTRICT, 1, cli.wait);
	if (st != ES_OK)
		return st;
	if (!to)
		to = h.cfg.send_to;
	if (!to) {
		st = cli_usage(&cli, "no destination: give --to DEST or set [send] to in %s/%s",
			       h.dir, HOME_CONFIG);
		goto out;
	}
	if (!strncmp(to, "sftp://", 7)) {
		st = cli_usage(&cli, "sftp destinations are not supported yet");
		goto out;
	}
	if (!fsio_is_dir(to)) {
		msg_error("send: %s: cannot reach the destination folder: %s", to,
			  strerror(errno ? errno : ENOTDIR));
		st = ES_UNAVAILABLE;
		goto out;
	}
	inbox = xpath(to, HOME_INBOX);
	if (fsio_is_dir(inbox)) {
		retdir = xasprintf("%s/%s/%s", to, HOME_OUTBOX, h.cfg.district);
	} else {
		free(inbox);
		inbox = xstrdup(to);
	}
	st = deliver(&h, inbox, &sent);
	if (st == ES_OK && retdir)
		st = bring_back(&h, retdir, &got);
	printf("send: %zu bundle%s delivered to %s, %zu file%s received\n", sent,
	       sent == 1 ? "" : "s", to, got, got == 1 ? "" : "s");
out:
	free(inbox);
	free(retdir);
	home_close(&h);
	return st;
}
