/* rotation.c - key rotation; see rotation.h. */
#include "rotation.h"
#include "home.h"
#include "outbox.h"
#include "../formats/keys.h"
#include "../util/fsio.h"
#include "../util/msg.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <ini.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NEXT_KEY "keys/district.next.key"
#define NEXT_PUB "keys/district.next.pub"

es_status rotation_next_key(const struct home *h, struct key_pub *next)
{
	char *sec = home_path(h, NEXT_KEY), *pub = home_path(h, NEXT_PUB);
	struct key_secret *k = NULL;
	struct sb err = SB_INIT;
	es_status st;

	/* the pair an interrupted rotation made, when it is whole */
	if (key_load_secret(sec, &k, &err) == ES_OK && key_load_public(pub, next, &err) == ES_OK &&
	    !memcmp(next->pk, key_secret_public(k)->pk, sizeof next->pk)) {
		st = ES_OK;
		goto out;
	}
	st = key_generate(pub, sec, "district", h->cfg.district, h->cfg.state);
	if (st != ES_OK) {
		msg_error("%s: cannot make the new key pair: %s", sec, strerror(errno));
		goto out;
	}
	sb_reset(&err);
	st = key_load_public(pub, next, &err);
	if (st != ES_OK)
		msg_error("%s", err.buf);
out:
	key_secret_free(k);
	sb_release(&err);
	free(sec);
	free(pub);
	return st;
}

es_status rotation_record(const struct home *h, const struct key_pub *next, uint64_t seq)
{
	char *path = home_path(h, HOME_ROTATION), *text, id[2 * KEY_ID_BYTES + 1];
	es_status st = ES_OK;

	key_id_hex(next->id, id);
	text = xasprintf("# a key rotation in progress: edsync finishes or abandons it\n"
			 "key = %s\nsequence = %" PRIu64 "\n", id, seq);
	if (fsio_write_atomic(path, text, strlen(text), 0600) < 0) {
		msg_error("%s: cannot write: %s", path, strerror(errno));
		st = ES_IO;
	}
	free(text);
	free(path);
	return st;
}

struct pending {
	char key[2 * KEY_ID_BYTES + 1];
	uint64_t seq;
	int bad;
};

static int pending_field(void *user, const char *section, const char *name, const char *value)
{
	struct pending *p = user;
	char *end;

	if (section[0]) {
		p->bad = 1;
	} else if (!strcmp(name, "key")) {
		snprintf(p->key, sizeof p->key, "%s", value);
	} else if (!strcmp(name, "sequence")) {
		errno = 0;
		p->seq = strtoull(value, &end, 10);
		if (errno || *end || !p->seq)
			p->bad = 1;
	} else {
		p->bad = 1;
	}
	return 1;
}

static es_status unlink_durably(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	es_status st = ES_OK;

	*slash = '\0';
	if ((unlink(path) < 0 && errno != ENOENT) || fsio_fsync_dir(dir) < 0) {
		msg_error("%s: cannot remove: %s", path, strerror(errno));
		st = ES_IO;
	}
	free(dir);
	return st;
}

/* Put the old public key in keys/retired/ (unless it is the new one already). */
static es_status retire_own(const struct home *h, const struct pending *p)
{
	char *pub = home_public_key_path(h), *dir = home_path(h, HOME_RETIRED), *dest = NULL;
	char id[2 * KEY_ID_BYTES + 1];
	struct key_pub old;
	struct sb err = SB_INIT, text = SB_INIT;
	es_status st = key_load_public(pub, &old, &err);

	if (st != ES_OK) {
		msg_error("%s", err.buf);
		goto out;
	}
	key_id_hex(old.id, id);
	if (!strcmp(id, p->key))
		goto out;
	old.retired_after = p->seq;
	key_public_text(&old, &text);
	dest = xasprintf("%s/district-%s.pub", dir, id);
	if (fsio_mkdirs(dir, 0755) < 0 || fsio_write_atomic(dest, text.buf, text.len, 0644) < 0) {
		msg_error("%s: cannot write: %s", dest, strerror(errno));
		st = ES_IO;
	}
out:
	sb_release(&err);
	sb_release(&text);
	free(dest);
	free(dir);
	free(pub);
	return st;
}

static es_status take_next(const struct home *h, const char *from_rel, const char *to)
{
	char *from = home_path(h, from_rel);
	es_status st = ES_OK;

	if (fsio_exists(from) && fsio_move(from, to) < 0) {
		msg_error("%s: cannot move it to %s: %s", from, to, strerror(errno));
		st = ES_IO;
	}
	free(from);
	return st;
}

es_status rotation_finish(const struct home *h, uint64_t *finished)
{
	char *path = home_path(h, HOME_ROTATION), *sec = NULL, *pub = NULL;
	struct pending p;
	uint64_t next_seq = 0;
	es_status st;
	int rc;

	memset(&p, 0, sizeof p);
	*finished = 0;
	if (!fsio_exists(path)) {
		free(path);
		return ES_OK;
	}
	rc = ini_parse(path, pending_field, &p);
	if (rc != 0 || p.bad || !p.seq || strlen(p.key) != 2 * KEY_ID_BYTES) {
		msg_error("%s: not a record of a key rotation; look at it, then remove it", path);
		st = ES_CONFIG;
		goto out;
	}
	st = outbox_next_seq(h, &next_seq);
	if (st != ES_OK)
		goto out;
	if (next_seq <= p.seq) {
		/* The announcement never reached the outbox: nobody knows the new
		 * key, so the old one stays. */
		msg_warn("an interrupted key rotation to key %s was not announced; the key "
			 "stays as it was (run 'edsync key rotate' again)", p.key);
		st = unlink_durably(path);
		if (st == ES_OK) {
			char *nk = home_path(h, NEXT_KEY), *np = home_path(h, NEXT_PUB);

			st = unlink_durably(nk);
			if (st == ES_OK)
				st = unlink_durably(np);
			free(nk);
			free(np);
		}
		goto out;
	}
	/* The announcement is out: from sequence R+1 on only the new key counts. */
	sec = home_secret_key_path(h);
	pub = home_public_key_path(h);
	st = retire_own(h, &p);
	if (st == ES_OK)
		st = take_next(h, NEXT_KEY, sec);
	if (st == ES_OK)
		st = take_next(h, NEXT_PUB, pub);
	if (st == ES_OK)
		st = unlink_durably(path);
	if (st == ES_OK)
		*finished = p.seq;
out:
	free(sec);
	free(pub);
	free(path);
	return st;
}

es_status rotation_pin(const struct home *h, const struct key_pub *old,
		       const struct key_pub *next, uint64_t seq)
{
	char *dir = home_path(h, HOME_RETIRED), *retired, *trusted;
	char id[2 * KEY_ID_BYTES + 1];
	struct key_pub r = *old;
	struct sb text = SB_INIT;
	es_status st = ES_OK;

	key_id_hex(old->id, id);
	retired = xasprintf("%s/district-%s-%s.pub", dir, old->owner, id);
	trusted = xasprintf("%s/%s/district-%s.pub", h->dir, HOME_TRUSTED, old->owner);
	r.retired_after = seq;
	key_public_text(&r, &text);
	if (fsio_mkdirs(dir, 0755) < 0 ||
	    fsio_write_atomic(retired, text.buf, text.len, 0644) < 0) {
		msg_error("%s: cannot write: %s", retired, strerror(errno));
		st = ES_IO;
		goto out;
	}
	sb_reset(&text);
	key_public_text(next, &text);
	if (fsio_write_atomic(trusted, text.buf, text.len, 0644) < 0) {
		msg_error("%s: cannot write: %s", trusted, strerror(errno));
		st = ES_IO;
	}
out:
	sb_release(&text);
	free(retired);
	free(trusted);
	free(dir);
	return st;
}
