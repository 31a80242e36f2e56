/*
 * send.c - 'edsync send': move spooled bundles to the state, and bring
 * back what the state left for this district; or write them to offline
 * media.
 *
 * send [--to DEST] (district): DEST is a folder or an SFTP server
 * (pipeline/transport.h), laid out as the state's drop folder: DEST/inbox/
 * takes our bundles, DEST/outbox/<ID>/ holds what the state left for us.
 * Each bundle is delivered under a temporary name that starts with '.' (so
 * no loader takes it half-written), synced, renamed into place; only then
 * does it leave our outbox for var/sent/.  Killed between the two, the
 * bundle is both delivered and still queued: sending it again is harmless,
 * the state applies each sequence once.  What comes back is written into
 * inbox/ durably before it is removed from DEST.
 *
 * send --media FILE (district): every spooled bundle into one file
 * encrypted to the pinned state key (formats/media.h), written under a
 * temporary name, fsynced and renamed; only then do the bundles move to
 * var/sent/.  send --media FILE --district ID (state): the same for what
 * outbox/<ID>/ holds, encrypted to that district's pinned key, removed from
 * outbox/<ID>/ once the file is durable.  'edsync import' takes media in.
 */
#include "stages.h"
#include "../formats/bundle.h"
#include "../formats/keys.h"
#include "../formats/manifest.h"
#include "../formats/media.h"
#include "../pipeline/cli.h"
#include "../pipeline/home.h"
#include "../pipeline/transport.h"
#include "../spool/spool.h"
#include "../util/fsio.h"
#include "../util/msg.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- to a destination ---- */

static es_status deliver(struct home *h, struct transport *t, size_t *sent)
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

		st = transport_put(t, from, names[i]);
		if (st != ES_OK) {
			/* reported */
		} else if (spool_move(outbox, names[i], sentdir, NULL) != ES_OK) {
			msg_error("%s/%s: delivered, but cannot move it to %s: %s", HOME_OUTBOX,
				  names[i], HOME_SENT, strerror(errno));
			st = ES_IO;
		} else {
			printf("sent %s\n", names[i]);
			(*sent)++;
		}
		free(from);
	}
	spool_list_free(names, n);
out:
	free(outbox);
	free(sentdir);
	return st;
}

static es_status bring_back(struct home *h, struct transport *t, size_t *got)
{
	char *inbox = home_path(h, HOME_INBOX);
	char **names;
	size_t n, i;
	es_status st = transport_list(t, &names, &n);

	for (i = 0; i < n && st == ES_OK; i++) {
		st = transport_fetch(t, names[i], inbox);
		if (st != ES_OK)
			break;
		/* durably here now: only then may it leave the destination */
		if (transport_remove(t, names[i]) == ES_OK)
			printf("received %s\n", names[i]);
		(*got)++;
	}
	if (names)
		spool_list_free(names, n);
	free(inbox);
	return st;
}

es_status send_run(struct home *h, const char *to)
{
	struct transport_params p;
	struct transport *t;
	size_t sent = 0, got = 0;
	es_status st;

	p.home = h->dir;
	p.district = h->cfg.district;
	p.key = h->cfg.send_key;
	p.known_hosts = h->cfg.send_known_hosts;
	st = transport_open(to, &p, &t);
	if (st != ES_OK)
		return st;
	st = deliver(h, t, &sent);
	if (st == ES_OK)
		st = bring_back(h, t, &got);
	transport_close(t);
	printf("send: %zu bundle%s delivered to %s, %zu file%s received\n", sent,
	       sent == 1 ? "" : "s", to, got, got == 1 ? "" : "s");
	return st;
}

/* ---- to offline media ---- */

/* The pinned public key media for the other side is encrypted to. */
static es_status pinned_key(const struct home *h, const char *district, struct key_pub *k)
{
	char *path = district ? xasprintf("%s/%s/district-%s.pub", h->dir, HOME_TRUSTED, district)
			      : xasprintf("%s/%s/state.pub", h->dir, HOME_TRUSTED);
	struct sb err = SB_INIT;
	es_status st = ES_OK;

	if (!fsio_exists(path)) {
		if (district)
			msg_error("%s: no key is pinned for district %s: run 'edsync trust "
				  "--district %s FILE.pub' first", path, district, district);
		else
			msg_error("%s: no state key is pinned: run 'edsync trust --state "
				  "FILE.pub' first", path);
		st = ES_CONFIG;
	} else if ((st = key_load_public(path, k, &err)) != ES_OK) {
		msg_error("%s", err.buf);
		st = ES_CONFIG;
	}
	sb_release(&err);
	free(path);
	return st;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/*
 * Write names (files of dir, shown as rel/NAME) to a new media file,
 * encrypted to `to`, signed by the home's key: durable when ES_OK.
 */
static es_status write_media(const struct home *h, const char *file, const struct key_pub *to,
			     const char *dir, const char *rel, char **names, size_t n)
{
	struct key_secret *me = NULL;
	struct media_writer *w = NULL;
	struct sb why = SB_INIT;
	char *fdir = dir_of(file), *tmp = NULL;
	size_t i;
	es_status st;
	int fd = -1;

	if (fsio_exists(file)) {
		msg_error("%s: exists; not overwritten (it may hold what was not imported yet): "
			  "give a new file name", file);
		st = ES_USAGE;
		goto out;
	}
	st = home_secret_key(h, &me);
	if (st != ES_OK)
		goto out;
	fd = fsio_create_temp(fdir, "media", 0600, &tmp);
	if (fd < 0) {
		msg_error("%s: cannot write: %s", file, strerror(errno));
		st = ES_IO;
		goto out;
	}
	st = media_writer_new(fd, to, me, &w, &why);
	for (i = 0; i < n && st == ES_OK; i++) {
		char *path = xpath(dir, names[i]);
		int in = fsio_open_input(path);

		if (in < 0) {
			msg_error("%s/%s: cannot read: %s", rel, names[i], strerror(errno));
			st = ES_IO;
		} else if ((st = media_add_fd(w, names[i], in, &why)) != ES_OK) {
			msg_error("%s/%s: cannot write it to %s: %s", rel, names[i], file, why.buf);
			sb_reset(&why);
		}
		if (in >= 0)
			close(in);
		free(path);
	}
	if (st == ES_OK)
		st = media_writer_finish(w, &why);
	if (st != ES_OK && why.len)
		msg_error("%s: %s", file, why.buf);
	if (st == ES_OK) {
		/* fsync, rename, fsync the folder: the media is there, whole */
		int rc = fsio_commit(fd, tmp, file);

		fd = -1;
		if (rc < 0) {
			msg_error("%s: cannot write: %s", file, strerror(errno));
			st = ES_IO;
		}
	}
out:
	if (fd >= 0)
		close(fd);
	if (st != ES_OK && tmp)
		unlink(tmp);
	media_writer_free(w);
	key_secret_free(me);
	sb_release(&why);
	free(tmp);
	free(fdir);
	return st;
}

/* district: every spooled bundle, then into var/sent/ */
static es_status media_district(struct home *h, const char *file)
{
	char *outbox = home_path(h, HOME_OUTBOX);
	char *sentdir = home_path(h, HOME_SENT);
	struct key_pub to;
	char **names = NULL;
	size_t n = 0, i, moved = 0;
	es_status st = pinned_key(h, NULL, &to);

	if (st != ES_OK)
		goto out;
	st = spool_list(outbox, BUNDLE_SUFFIX, &names, &n);
	if (st != ES_OK) {
		msg_error("%s: cannot list: %s", outbox, strerror(errno));
		goto out;
	}
	st = write_media(h, file, &to, outbox, HOME_OUTBOX, names, n);
	for (i = 0; i < n && st == ES_OK; i++) {
		if (spool_move(outbox, names[i], sentdir, NULL) != ES_OK) {
			msg_error("%s/%s: written to %s, but cannot move it to %s: %s", HOME_OUTBOX,
				  names[i], file, HOME_SENT, strerror(errno));
			st = ES_IO;
		} else {
			printf("sent %s\n", names[i]);
			moved++;
		}
	}
	if (st == ES_OK)
		printf("send: %zu bundle%s written to %s\n", moved, moved == 1 ? "" : "s", file);
out:
	if (names)
		spool_list_free(names, n);
	free(outbox);
	free(sentdir);
	return st;
}

/* state: what outbox/<ID>/ holds, then removed from it */
static es_status media_state(struct home *h, const char *file, const char *district)
{
	char *rel = xasprintf("%s/%s", HOME_OUTBOX, district);
	char *dir = home_path(h, rel);
	struct key_pub to;
	char **names = NULL;
	size_t n = 0, i, removed = 0;
	es_status st = pinned_key(h, district, &to);

	if (st != ES_OK)
		goto out;
	if (fsio_is_dir(dir)) {
		st = spool_list(dir, "", &names, &n);
		if (st != ES_OK) {
			msg_error("%s: cannot list: %s", dir, strerror(errno));
			goto out;
		}
	}
	st = write_media(h, file, &to, dir, rel, names, n);
	for (i = 0; i < n && st == ES_OK; i++) {
		char *path = xpath(dir, names[i]);

		if (unlink(path) < 0) {
			msg_error("%s/%s: written to %s, but cannot remove it: %s", rel, names[i],
				  file, strerror(errno));
			st = ES_IO;
		} else {
			printf("sent %s\n", names[i]);
			removed++;
		}
		free(path);
	}
	if (n && fsio_fsync_dir(dir) < 0 && st == ES_OK) {
		msg_error("%s: cannot sync: %s", dir, strerror(errno));
		st = ES_IO;
	}
	if (st == ES_OK)
		printf("send: %zu file%s for district %s written to %s\n", removed,
		       removed == 1 ? "" : "s", district, file);
out:
	if (names)
		spool_list_free(names, n);
	free(rel);
	free(dir);
	return st;
}

es_status cmd_send(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "media", required_argument, NULL, 'm' },
		{ "district", required_argument, NULL, 'd' },
		CLI_COMMON_OPTIONS
	};
	struct cli cli;
	struct home h;
	const char *to = NULL, *media = NULL, *district = NULL;
	es_status st;
	int c;

	cli_init(&cli, "send");
	while ((c = cli_next(&cli, argc, argv, opts)) != -1) {
		switch (c) {
		case 't': to = optarg; break;
		case 'm': media = optarg; break;
		case 'd': district = optarg; break;
		case CLI_HELP: return ES_OK;
		default: return ES_USAGE;
		}
	}
	if ((st = cli_no_operands(&cli, argc, argv)) != ES_OK)
		return st;
	if (to && media)
		return cli_usage(&cli, "give --to DEST or --media FILE, not both");
	if (media && !*media)
		return cli_usage(&cli, "--media wants a file name");
	if (district && !media)
		return cli_usage(&cli, "--district goes with --media (the state's offline media)");
	if (district && !mf_district_ok(district))
		return cli_usage(&cli, "--district wants a district ID (1 to 16 digits)");
	st = home_start(&h, home_default(cli.home), "send", media ? CFG_NONE : CFG_DISTRICT, 1,
			cli.wait);
	if (st != ES_OK)
		return st;
	if (media) {
		if (h.cfg.role == CFG_STATE && !district)
			st = cli_usage(&cli, "on the state, give --district ID: whose files to write");
		else if (h.cfg.role == CFG_DISTRICT && district)
			st = cli_usage(&cli, "--district is for the state; a district writes its own "
				       "bundles");
		else if (h.cfg.role == CFG_STATE)
			st = media_state(&h, media, district);
		else
			st = media_district(&h, media);
		goto out;
	}
	if (!to)
		to = h.cfg.send_to;
	if (!to) {
		st = cli_usage(&cli, "no destination: give --to DEST or set [send] to in %s/%s",
			       h.dir, HOME_CONFIG);
		goto out;
	}
	st = send_run(&h, to);
out:
	home_close(&h);
	return st;
}
