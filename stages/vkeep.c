/* vkeep.c - keeping a district's verification bundles; see vkeep.h. */
#include "vkeep.h"
#include "../formats/bundle.h"
#include "../formats/digest.h"
#include "../formats/fieldset.h"
#include "../formats/hashtree.h"
#include "../formats/objcsv.h"
#include "../formats/registry.h"
#include "../formats/request.h"
#include "../pipeline/home.h"
#include "../util/fsio.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* A tree member lists at most this many ranges' worth of text. */
#define TREE_MAX (64u << 20)

char *vk_slot(const struct home *h, const char *district, const char *school,
	      const char *fields, const char *part)
{
	struct sb name = SB_INIT;
	char *path;

	sb_addstr(&name, district);
	if (strcmp(part, ".records") != 0) {
		if (school && *school)
			sb_addf(&name, "-s%s", school);
		if (fields && *fields)
			sb_addf(&name, "-f%016llx",
				(unsigned long long)XXH3_64bits(fields, strlen(fields)));
	}
	sb_addf(&name, "%s.bundle", part);
	path = xasprintf("%s/%s/%s", h->dir, HOME_DIGESTS, name.buf);
	sb_release(&name);
	return path;
}

int vk_read_member(struct bundle *b, size_t max, struct sb *out)
{
	char buf[1 << 14];
	ssize_t r;

	sb_reset(out);
	while ((r = bundle_member_read(b, buf, sizeof buf)) > 0) {
		if (out->len + (size_t)r > max)
			return -1;
		sb_add(out, buf, (size_t)r);
	}
	return r < 0 ? -1 : 0;
}

struct check {
	const char *state;
	struct request rq;
	int have_rq;
	struct fieldset fs;
	struct sb text;
	struct sb *why;
	uint64_t rows;
	int bad;
};

static int count_row(void *ctx, const struct rec_val *keys, const unsigned char *hash, int dup)
{
	(void)keys;
	(void)hash;
	(void)dup;
	((struct check *)ctx)->rows++;
	return 0;
}

static int count_rec(void *ctx, const struct rec_val *v, uint64_t line)
{
	(void)v;
	(void)line;
	((struct check *)ctx)->rows++;
	return 0;
}

/* A value the district's source has wrong is still its value: the record
 * counts when its key is sound. */
static void count_rej(void *ctx, const struct objcsv_reject *r)
{
	struct check *c = ctx;

	if (!r->last)
		return;
	if (r->key_ok && !r->header)
		c->rows++;
	else
		c->bad = 1;
}

static es_status check_member(void *ctx, struct bundle *b, const struct mf_member *mm)
{
	struct check *c = ctx;
	const struct reg_object *o = reg_find(mm->object);
	char buf[1 << 16];
	ssize_t r = 0;

	if (!c->have_rq) {
		if (mm->type != MF_REQUEST) {
			sb_addstr(c->why, "request.ini must be the first member");
			return ES_DATA;
		}
		if (vk_read_member(b, RQ_MAX_BYTES, &c->text) < 0) {
			sb_addstr(c->why, "member request.ini is damaged or too long");
			return ES_REFUSED;
		}
		if (rq_parse(c->text.buf ? c->text.buf : "", c->text.len, &c->rq, c->why) < 0)
			return ES_DATA;
		c->have_rq = 1;
		if (fs_parse(&c->fs, c->rq.fields, c->why) < 0) {
			rq_free(&c->rq);
			c->have_rq = 0;
			return ES_DATA;
		}
		return ES_OK;
	}
	if (!o || (mm->type != MF_TREE && mm->type != MF_DIGEST && mm->type != MF_RECORDS)) {
		sb_addf(c->why, "member %s does not belong in a verify bundle", mm->name);
		return ES_DATA;
	}
	if (!reg_sent_by_state(o, c->state)) {
		sb_addf(c->why, "carries %s, which districts of %s do not send", o->name, c->state);
		return ES_DATA;
	}
	if ((mm->type == MF_TREE || mm->type == MF_DIGEST) &&
	    mm->fields != fs_fingerprint(&c->fs, o)) {
		sb_addf(c->why, "the digest of %s covers other fields than this state's registry "
			"(different edsync versions?)", o->name);
		return ES_DATA;
	}
	c->rows = 0;
	c->bad = 0;
	if (mm->type == MF_TREE) {
		struct ht_list l;
		struct sb e = SB_INIT;

		if (vk_read_member(b, TREE_MAX, &c->text) < 0) {
			sb_addf(c->why, "member %s is damaged or too long", mm->name);
			return ES_REFUSED;
		}
		if (ht_list_parse(o, c->text.buf ? c->text.buf : "", c->text.len, &l, &e) < 0) {
			sb_addf(c->why, "member %s: %s", mm->name, e.buf);
			sb_release(&e);
			return ES_DATA;
		}
		sb_release(&e);
		c->rows = l.n;
		ht_list_free(&l);
	} else if (mm->type == MF_DIGEST) {
		struct digest_reader *dr = digest_reader_new(o, count_row, c);

		while ((r = bundle_member_read(b, buf, sizeof buf)) > 0)
			if (digest_reader_feed(dr, buf, (size_t)r) != 0)
				break;
		if (r == 0)
			digest_reader_finish(dr);
		if (r >= 0 && digest_reader_error(dr))
			sb_addf(c->why, "member %s: %s", mm->name, digest_reader_error(dr));
		digest_reader_free(dr);
	} else {
		struct objcsv *oc = objcsv_new(o, 0, count_rec, count_rej, c);

		while ((r = bundle_member_read(b, buf, sizeof buf)) > 0)
			if (objcsv_feed(oc, buf, (size_t)r) != 0)
				break;
		if (r == 0)
			objcsv_finish(oc);
		if (r >= 0 && (c->bad || !objcsv_header_ok(oc)))
			sb_addf(c->why, "member %s: a row without a sound key, or no usable header",
				mm->name);
		objcsv_free(oc);
	}
	if (r < 0) {
		sb_addf(c->why, "member %s is damaged", mm->name);
		return ES_REFUSED;
	}
	if (c->why->len)
		return ES_DATA;
	if (c->rows != mm->rows) {
		sb_addf(c->why, "member %s has %" PRIu64 " rows, the manifest says %" PRIu64,
			mm->name, c->rows, mm->rows);
		return ES_DATA;
	}
	return ES_OK;
}

es_status vk_keep(const struct home *h, struct bundle *b, const char *path,
		  uint64_t *answered, struct sb *why)
{
	const struct manifest *m = bundle_manifest(b);
	struct check c;
	char *dest = NULL, *dir = NULL;
	es_status st;

	memset(&c, 0, sizeof c);
	c.state = m->state;
	c.why = why;
	*answered = 0;
	st = bundle_each_member(b, check_member, &c, why);
	if (st == ES_OK && !c.have_rq) {
		sb_addstr(why, "no request.ini");
		st = ES_DATA;
	}
	if (st == ES_OK && c.rq.what != RQ_VERIFY && c.rq.what != RQ_EXPAND &&
	    c.rq.what != RQ_RECORDS) {
		sb_addf(why, "a verify bundle does not carry out a %s", rq_what_name(c.rq.what));
		st = ES_DATA;
	}
	if (st == ES_OK) {
		*answered = c.rq.request;
		dest = vk_slot(h, m->district, c.rq.school, c.fs.spec,
			       c.rq.what == RQ_VERIFY ? "" : c.rq.what == RQ_EXPAND ? ".expand"
										 : ".records");
		dir = xasprintf("%s/%s", h->dir, HOME_DIGESTS);
		if (fsio_mkdirs(dir, 0700) < 0 || fsio_copy(path, dest, 0600) < 0) {
			sb_addf(why, "cannot keep it in %s: %s", HOME_DIGESTS, strerror(errno));
			st = ES_IO;
		}
	}
	if (c.have_rq) {
		rq_free(&c.rq);
		fs_free(&c.fs);
	}
	sb_release(&c.text);
	free(dest);
	free(dir);
	return st;
}
