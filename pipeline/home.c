/* home.c - a node's home folder; see home.h. */
#include "home.h"
#include "rotation.h"
#include "../formats/keys.h"
#include "../spool/spool.h"
#include "../util/fsio.h"
#include "../util/msg.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *home_default(const char *opt)
{
	const char *env;

	if (opt)
		return opt;
	env = getenv("EDSYNC_HOME");
	return env && *env ? env : ".";
}

char *home_path(const struct home *h, const char *rel)
{
	return xpath(h->dir, rel);
}

char *home_secret_key_path(const struct home *h)
{
	return xasprintf("%s/%s/%s.key", h->dir, HOME_KEYS, cfg_role_name(h->cfg.role));
}

char *home_public_key_path(const struct home *h)
{
	return xasprintf("%s/%s/%s.pub", h->dir, HOME_KEYS, cfg_role_name(h->cfg.role));
}

static es_status check_secret_key_mode(const struct home *h)
{
	char *path = home_secret_key_path(h);
	struct stat st;
	es_status rc = ES_OK;

	if (lstat(path, &st) < 0) {
		msg_error("%s: %s: the home has no secret key", path, strerror(errno));
		rc = ES_CONFIG;
	} else if (!S_ISREG(st.st_mode)) {
		msg_error("%s: not a regular file", path);
		rc = ES_CONFIG;
	} else if (st.st_mode & 077) {
		msg_error("%s: secret key is readable by group or others (mode %04o); "
			  "run 'chmod 600 %s'", path, (unsigned)(st.st_mode & 07777), path);
		rc = ES_CONFIG;
	}
	free(path);
	return rc;
}

es_status home_open(struct home *h, const char *dir)
{
	char *conf;
	es_status st;

	memset(h, 0, sizeof *h);
	h->lock_fd = -1;
	if (!fsio_is_dir(dir)) {
		msg_error("%s: no such home folder (run 'edsync init' or give --home)", dir);
		return ES_CONFIG;
	}
	h->dir = xstrdup(dir);
	conf = home_path(h, HOME_CONFIG);
	st = cfg_load(conf, &h->cfg);
	free(conf);
	if (st == ES_OK)
		st = check_secret_key_mode(h);
	if (st != ES_OK) {
		home_close(h);
		return st;
	}
	return ES_OK;
}

void home_close(struct home *h)
{
	if (h->lock_fd >= 0)
		close(h->lock_fd);
	h->lock_fd = -1;
	cfg_free(&h->cfg);
	free(h->dir);
	h->dir = NULL;
}

es_status home_lock(struct home *h, int wait)
{
	char *path = home_path(h, HOME_LOCK);
	es_status st;

	if (h->lock_fd >= 0) {
		free(path);
		return ES_OK;
	}
	st = spool_lock(path, wait, &h->lock_fd);
	if (st == ES_TEMP)
		msg_error("%s: another edsync is working in this home; try again later "
			  "(or use --wait)", h->dir);
	else if (st != ES_OK)
		msg_error("%s: cannot take the lock: %s", path, strerror(errno));
	free(path);
	return st;
}

void home_unlock(struct home *h)
{
	if (h->lock_fd >= 0)
		close(h->lock_fd);
	h->lock_fd = -1;
}

es_status home_secret_key(const struct home *h, struct key_secret **k)
{
	char *path;
	struct sb err = SB_INIT;
	uint64_t rotated = 0;
	es_status st;

	/* what a crash left of a key rotation is settled before any signing */
	if (h->cfg.role == CFG_DISTRICT) {
		st = rotation_finish(h, &rotated);
		if (st != ES_OK)
			return st;
		if (rotated)
			msg_warn("finished an interrupted key rotation: the new key signs from "
				 "sequence %" PRIu64 " on", rotated + 1);
	}
	path = home_secret_key_path(h);
	st = key_load_secret(path, k, &err);

	if (st != ES_OK)
		msg_error("%s", err.buf);
	sb_release(&err);
	free(path);
	return st;
}

es_status home_keyring(const struct home *h, struct keyring *kr)
{
	char *trusted = home_path(h, HOME_TRUSTED), *retired = home_path(h, HOME_RETIRED);
	struct sb err = SB_INIT;
	es_status st = keyring_load(kr, trusted, &err);

	if (st == ES_OK)
		st = keyring_add_dir(kr, retired, &err);
	if (st != ES_OK) {
		msg_error("%s", err.len ? err.buf : "cannot read the trusted keys");
		keyring_free(kr);
		st = st == ES_IO ? ES_IO : ES_CONFIG;
	}
	sb_release(&err);
	free(trusted);
	free(retired);
	return st;
}

es_status home_make_folders(const char *dir, enum cfg_role role)
{
	static const char *const district[] = {
		HOME_KEYS, HOME_TRUSTED, HOME_SOURCE, HOME_CHANGES, HOME_OUTBOX,
		HOME_REJECTS, HOME_WITHHELD, HOME_INBOX, HOME_SENT, HOME_RECEIVED,
		HOME_QUARANTINE, "var", "var/changes", HOME_CHANGES_DONE, HOME_CHANGES_REJECTED, NULL
	};
	static const char *const state[] = {
		HOME_KEYS, HOME_TRUSTED, HOME_INBOX, HOME_OUTBOX, HOME_CLAIMED,
		HOME_APPLIED, HOME_HELD, HOME_QUARANTINE, HOME_DIGESTS, "var", NULL
	};
	const char *const *list = role == CFG_DISTRICT ? district : state;
	size_t i;

	for (i = 0; list[i]; i++) {
		char *p = xpath(dir, list[i]);
		int rc = fsio_mkdirs(p, 0700);

		if (rc < 0) {
			msg_error("%s: cannot make folder: %s", p, strerror(errno));
			free(p);
			return ES_IO;
		}
		free(p);
	}
	return ES_OK;
}

es_status home_start(struct home *h, const char *dir, const char *cmd, enum cfg_role need,
		     int lock, int wait)
{
	es_status st = home_open(h, dir);

	if (st != ES_OK)
		return st;
	if (need != CFG_NONE && h->cfg.role != need) {
		msg_error("%s: '%s' runs on a %s home; %s is a %s home", cmd, cmd,
			  cfg_role_name(need), h->dir, cfg_role_name(h->cfg.role));
		home_close(h);
		return ES_USAGE;
	}
	if (lock) {
		st = home_lock(h, wait);
		if (st != ES_OK) {
			home_close(h);
			return st;
		}
	}
	return ES_OK;
}
