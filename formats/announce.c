/* announce.c - the key announcement member; see announce.h. */
#include "announce.h"
#include "bundle.h"
#include "keys.h"
#include "manifest.h"
#include "../util/sb.h"

#include <string.h>

es_status announce_write(struct bundle_writer *w, const struct key_pub *k)
{
	struct sb text = SB_INIT;
	es_status st = bw_member_begin(w, "key", MF_KEY, 0, 0);

	key_public_text(k, &text);
	if (st == ES_OK)
		st = bw_member_write(w, text.buf, text.len);
	if (st == ES_OK)
		st = bw_member_end(w, 1);
	sb_release(&text);
	return st;
}

struct announce_ctx {
	char text[KEY_TEXT_MAX + 1];
	size_t n;
	int damaged;
};

static es_status take_member(void *ctx, struct bundle *b, const struct mf_member *mm)
{
	struct announce_ctx *ac = ctx;
	ssize_t r = 0;

	(void)mm;
	/* one byte more than allowed, so that a longer member is seen to be */
	while (ac->n < sizeof ac->text &&
	       (r = bundle_member_read(b, ac->text + ac->n, sizeof ac->text - ac->n)) > 0)
		ac->n += (size_t)r;
	if (ac->n < sizeof ac->text && r < 0)
		ac->damaged = 1;
	return ES_OK;
}

es_status announce_read(struct bundle *b, struct key_pub *out, struct sb *why)
{
	const struct manifest *m = bundle_manifest(b);
	const struct key_pub *signer = bundle_key(b);
	struct announce_ctx ac;
	es_status st;

	if (strcmp(m->kind, "key") || m->nmembers != 1 || m->members[0].type != MF_KEY) {
		sb_addstr(why, "a key bundle carries one member, key.pub, and nothing else");
		return ES_DATA;
	}
	if (m->members[0].bytes > KEY_TEXT_MAX) {
		sb_addf(why, "key.pub is longer than %d bytes", KEY_TEXT_MAX);
		return ES_DATA;
	}
	memset(&ac, 0, sizeof ac);
	st = bundle_each_member(b, take_member, &ac, why);
	if (st != ES_OK)
		return st;
	if (ac.damaged) {
		sb_addstr(why, "member key.pub is damaged");
		return ES_REFUSED;
	}
	if (key_parse_public("key.pub", ac.text, ac.n, out, why) != ES_OK)
		return ES_DATA;
	if (strcmp(out->role, "district") || strcmp(out->owner, m->district) ||
	    strcmp(out->state, m->state)) {
		sb_addf(why, "key.pub announces a key of %s %s in %s, not of district %s in %s",
			out->role, out->owner, out->state, m->district, m->state);
		return ES_DATA;
	}
	if (out->retired_after) {
		sb_addstr(why, "key.pub announces a retired key");
		return ES_DATA;
	}
	if (!memcmp(out->pk, signer->pk, sizeof out->pk)) {
		sb_addstr(why, "key.pub announces the key that signed it");
		return ES_DATA;
	}
	return ES_OK;
}
