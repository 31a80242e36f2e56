/*
 * import.c - 'edsync import FILE': take in offline media (formats/media.h)
 * written for this home by the other side's 'send --media'.
 *
 * On the state, the media holds a district's bundles; on a district, what
 * the state left for it (receipts, requests).  Either way the files go into
 * inbox/, where 'load' takes them up as if they had come by folder or SFTP
 * (and applies a bundle it has applied already once only).
 *
 * All or nothing: every file is first written, fsynced, into a private
 * staging folder inside inbox/.tmp/; only when the whole media has been
 * read and holds (the end record, the FINAL chunk, the end of the file, the
 * sender's signature) do the files move into inbox/, each by one rename
 * that never replaces a file already there (a second copy gets a ".N"
 * suffix, as spool_move does).  A media that is not for this home's key,
 * or whose signature does not hold, is refused (77), one that is damaged
 * or truncated is refused (65): nothing is imported.  Killed while moving,
 * the media can simply be imported again.
 *
 * Media from a key this home does not trust (yet) is imported with a
 * warning: a district that rotated its key signs with the new key, which
 * the state pins only when it applies the announcement inside.  What such
 * media carries gets no more trust than a file dropped in the inbox:
 * 'load' checks every bundle against the pinned keys before reading it.
 */
#include "stages.h"
#include "../formats/keys.h"
#include "../formats/media.h"
#include "../pipeline/cli.h"
#include "../pipeline/home.h"
#include "../spool/spool.h"
#include "../util/fsio.h"
#include "../util/msg.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STAGING_PREFIX "import-"

/* Staging folders of killed imports (we hold the lock: none is live). */
static void clean_staging(const char *tmpdir)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, STAGING_PREFIX, strlen(STAGING_PREFIX)) == 0) {
			char *p = xpath(tmpdir, e->d_name);

			fsio_remove_tree(p);
			free(p);
		}
	}
	closedir(d);
}

/* One file of the media into staging/name, fsynced. */
static es_status stage_file(struct media_reader *r, const char *staging, const char *name,
			    const char *file, struct sb *why)
{
	char *path = xpath(staging, name);
	char buf[65536];
	es_status st = ES_OK;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0) {
		if (errno == EEXIST) {
			sb_addf(why, "damaged: it holds %s twice", name);
			st = ES_DATA;
		} else {
			msg_error("%s: cannot write: %s", path, strerror(errno));
			st = ES_IO;
		}
		goto out;
	}
	for (;;) {
		size_t got;

		st = media_read(r, buf, sizeof buf, &got, why);
		if (st != ES_OK || got == 0)
			break;
		if (fsio_write_all(fd, buf, got) < 0) {
			msg_error("%s: cannot write %s from %s: %s", staging, name, file,
				  strerror(errno));
			st = ES_IO;
			break;
		}
	}
	if (st == ES_OK && fsync(fd) < 0) {
		msg_error("%s: cannot write %s from %s: %s", staging, name, file, strerror(errno));
		st = ES_IO;
	}
	if (close(fd) < 0 && st == ES_OK) {
		msg_error("%s: cannot write %s from %s: %s", staging, name, file, strerror(errno));
		st = ES_IO;
	}
out:
	free(path);
	return st;
}

static es_status import_media(struct home *h, const char *file)
{
	struct media_key *me = NULL;
	struct media_reader *r = NULL;
	struct keyring kr = { NULL, 0 };
	struct sb why = SB_INIT;
	char *keypath = home_secret_key_path(h);
	char *trusted = home_path(h, HOME_TRUSTED);
	char *inbox = home_path(h, HOME_INBOX);
	char *tmpdir = xpath(inbox, SPOOL_TMP);
	char *staging = NULL;
	char **names = NULL;
	size_t n = 0, i;
	const struct key_pub *from;
	const char *want = h->cfg.role == CFG_STATE ? "district" : "state";
	char fromid[2 * KEY_ID_BYTES + 1];
	es_status st;
	int fd = -1, staged = 0;

	st = media_key_load(keypath, &me, &why);
	if (st != ES_OK) {
		msg_error("%s", why.buf);
		goto out;
	}
	st = keyring_load(&kr, trusted, &why);
	if (st != ES_OK) {
		msg_error("%s", why.len ? why.buf : "cannot read the trusted keys");
		st = st == ES_IO ? ES_IO : ES_CONFIG;
		goto out;
	}
	fd = fsio_open_input(file);
	if (fd < 0) {
		msg_error("%s: cannot read: %s", file, strerror(errno));
		st = errno == ENOENT ? ES_NOINPUT : ES_IO;
		goto out;
	}
	st = media_reader_open(fd, me, &kr, &r, &why);
	if (st != ES_OK)
		goto refused;
	from = media_sender(r);
	key_id_hex(from->id, fromid);
	if (!media_sender_trusted(r)) {
		/* e.g. a district's media signed by the key it has just rotated
		 * to, announced by a bundle inside: what it carries is checked by
		 * 'load' against the pinned keys, as anything in the inbox is */
		msg_warn("%s: sent by key %s, which this home does not trust; its files go to "
			 "%s/ all the same, for 'load' to check", file, fromid, HOME_INBOX);
	} else if (strcmp(from->role, want) != 0) {
		sb_addf(&why, "sent by %s %s, not by a %s", from->role, from->owner, want);
		st = ES_REFUSED;
		goto refused;
	}

	/* stage every file; keep none unless the whole media holds */
	if (spool_make(inbox) != ES_OK) {
		msg_error("%s: cannot make folder: %s", tmpdir, strerror(errno));
		st = ES_IO;
		goto out;
	}
	clean_staging(tmpdir);
	staging = xasprintf("%s/%s%ld", tmpdir, STAGING_PREFIX, (long)getpid());
	if (mkdir(staging, 0700) < 0) {
		msg_error("%s: cannot make folder: %s", staging, strerror(errno));
		st = ES_IO;
		goto out;
	}
	staged = 1;
	for (;;) {
		const char *name;
		uint64_t size;

		st = media_next(r, &name, &size, &why);
		if (st != ES_OK)
			goto refused;
		if (!name)
			break;
		st = stage_file(r, staging, name, file, &why);
		if (st != ES_OK) {
			if (why.len)
				goto refused;
			goto out;
		}
		names = xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = xstrdup(name);
	}

	/* the media holds: into the inbox */
	for (i = 0; i < n; i++) {
		char *got = NULL;

		if (spool_move(staging, names[i], inbox, &got) != ES_OK) {
			msg_error("%s/%s: cannot move it into %s: %s", staging, names[i], HOME_INBOX,
				  strerror(errno));
			st = ES_IO;
			goto out;
		}
		if (strcmp(got, names[i]) != 0)
			printf("imported %s as %s (a file of that name is waiting in %s/)\n",
			       names[i], got, HOME_INBOX);
		else
			printf("imported %s\n", names[i]);
		free(got);
	}
	if (media_sender_trusted(r))
		printf("import: %zu file%s from %s %s into %s/\n", n, n == 1 ? "" : "s",
		       from->role, from->owner, HOME_INBOX);
	else
		printf("import: %zu file%s from key %s (not trusted) into %s/\n", n,
		       n == 1 ? "" : "s", fromid, HOME_INBOX);
	goto out;
refused:
	if (st == ES_IO && !why.len)
		goto out;
	msg_error("%s: %s; nothing imported", file, why.buf);
out:
	if (staged)
		fsio_remove_tree(staging);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	media_reader_free(r);
	media_key_free(me);
	keyring_free(&kr);
	if (fd >= 0)
		close(fd);
	sb_release(&why);
	free(keypath);
	free(trusted);
	free(inbox);
	free(tmpdir);
	free(staging);
	return st;
}

es_status cmd_import(int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS };
	struct cli cli;
	struct home h;
	es_status st;
	int c;

	cli_init(&cli, "import");
	while ((c = cli_next(&cli, argc, argv, opts)) != -1) {
		switch (c) {
		case CLI_HELP: return ES_OK;
		default: return ES_USAGE;
		}
	}
	if (optind + 1 != argc)
		return cli_usage(&cli, "give one media file");
	st = home_start(&h, home_default(cli.home), "import", CFG_NONE, 1, cli.wait);
	if (st != ES_OK)
		return st;
	st = import_media(&h, argv[optind]);
	home_close(&h);
	return st;
}
