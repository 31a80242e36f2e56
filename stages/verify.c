/*
 * verify.c - 'edsync verify' on the state: the Verification Summary.
 *
 * Compares the district's latest digest (var/digests/<ID>.bundle, checked
 * again: trusted key, signature, hashes) with the state's records for that
 * district.  Both sides are in key order, so one merge pass per object,
 * holding one record of each side at a time, finds the records missing at
 * the state, missing at the district, and different (same key, other
 * hash).  Memory does not grow with the district.
 */
#include "stages.h"
#include "../formats/bundle.h"
#include "../formats/digest.h"
#include "../formats/keys.h"
#include "../formats/manifest.h"
#include "../formats/registry.h"
#include "../pipeline/cli.h"
#include "../pipeline/home.h"
#include "../pipeline/outbox.h"
#include "../pipeline/storeopen.h"
#include "../store/store.h"
#include "../util/fsio.h"
#include "../util/msg.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct area_sum {
	uint64_t district_total, state_total, missing_at_state, missing_at_district, differences;
};

struct vf {
	struct store *s;
	const char *district;
	const struct reg_object *o;
	struct store_cursor *cur;
	const struct rec_val *sv;	/* the state's current record, or NULL at end */
	const unsigned char *sh;
	struct rec_val skeys[REG_MAX_KEYS];
	struct area_sum *a;
	int failed;
};

static void state_advance(struct vf *f)
{
	int rc = store_cursor_next(f->cur, &f->sv, &f->sh);
	size_t i;

	if (rc < 0)
		f->failed = 1;
	if (rc <= 0) {
		f->sv = NULL;
		return;
	}
	f->a->state_total++;
	for (i = 0; i < f->o->nkeys; i++)
		f->skeys[i] = f->sv[f->o->key[i]];
}

static int on_digest_row(void *ctx, const struct rec_val *keys,
			 const unsigned char hash[REC_HASH_BYTES], int dup)
{
	struct vf *f = ctx;
	int c;

	f->a->district_total++;
	if (dup) {
		/* A second record with the key: the state can hold one. */
		f->a->missing_at_state++;
		return 0;
	}
	for (;;) {
		if (f->failed)
			return 1;
		if (!f->sv) {
			f->a->missing_at_state++;
			return 0;
		}
		c = rec_keyvals_cmp(f->o, f->skeys, keys);
		if (c < 0) {
			f->a->missing_at_district++;
			state_advance(f);
			continue;
		}
		if (c > 0) {
			f->a->missing_at_state++;
			return 0;
		}
		if (memcmp(f->sh, hash, REC_HASH_BYTES) != 0)
			f->a->differences++;
		state_advance(f);
		return 0;
	}
}

static es_status verify_member(struct vf *f, struct bundle *b, const struct mf_member *mm,
			       struct sb *why)
{
	struct digest_reader *dr;
	char buf[1 << 16];
	ssize_t r;
	es_status st;

	if (mm->fields != rec_fields_fingerprint(f->o)) {
		sb_addf(why, "the digest of %s covers other fields than this state's registry "
			"(different edsync versions?)", f->o->name);
		return ES_DATA;
	}
	st = store_cursor_open(f->s, f->o, f->district, &f->cur);
	if (st != ES_OK)
		return st;
	state_advance(f);
	dr = digest_reader_new(f->o, on_digest_row, f);
	while ((r = bundle_member_read(b, buf, sizeof buf)) > 0)
		if (digest_reader_feed(dr, buf, (size_t)r) != 0)
			break;
	if (r == 0)
		digest_reader_finish(dr);
	if (r < 0) {
		sb_addf(why, "member %s is damaged", mm->name);
		st = ES_REFUSED;
	} else if (digest_reader_error(dr)) {
		sb_addf(why, "member %s: %s", mm->name, digest_reader_error(dr));
		st = ES_DATA;
	} else if (f->failed) {
		st = ES_IO;
	}
	/* What the state holds beyond the district's last key. */
	while (st == ES_OK && f->sv) {
		f->a->missing_at_district++;
		state_advance(f);
	}
	if (st == ES_OK && f->failed)
		st = ES_IO;
	digest_reader_free(dr);
	store_cursor_close(f->cur);
	f->cur = NULL;
	return st;
}

struct vctx {
	struct vf f;
	struct area_sum sums[REG_AREA_COUNT];
	unsigned char seen[512];	/* objects the digest covered, by index */
};

static es_status each_member(void *ctx, struct bundle *b, const struct mf_member *mm)
{
	struct vctx *v = ctx;
	const struct reg_object *o = reg_find(mm->object);
	struct sb why = SB_INIT;
	es_status st;

	if (mm->type != MF_DIGEST || o->area == REG_AREA_NONE)
		return ES_OK;
	v->f.o = o;
	v->f.a = &v->sums[o->area];
	if (o->index < sizeof v->seen)
		v->seen[o->index] = 1;
	st = verify_member(&v->f, b, mm, &why);
	if (st != ES_OK && why.len)
		msg_error("verify: %s", why.buf);
	sb_release(&why);
	return st;
}

static void print_json(FILE *out, const char *district, int in_sync, const struct area_sum *s)
{
	int a;

	fprintf(out, "{\"district\": \"%s\", \"in_sync\": %s,\n \"areas\": [\n", district,
		in_sync ? "true" : "false");
	for (a = 0; a < REG_AREA_COUNT; a++)
		fprintf(out, "  {\"area\": \"%s\", \"district_total\": %" PRIu64
			", \"state_total\": %" PRIu64 ",\n   \"missing_at_state\": %" PRIu64
			", \"missing_at_district\": %" PRIu64 ", \"differences\": %" PRIu64 "}%s\n",
			reg_area_name((enum reg_area)a), s[a].district_total, s[a].state_total,
			s[a].missing_at_state, s[a].missing_at_district, s[a].differences,
			a + 1 < REG_AREA_COUNT ? "," : "");
	fprintf(out, " ]}\n");
}

static void print_text(FILE *out, const char *district, const struct manifest *m, int in_sync,
		       const struct area_sum *s)
{
	int a;

	fprintf(out, "Verification Summary: district %s of %s, digest sequence %" PRIu64
		" made %s\n\n", district, m->state, m->sequence, m->created);
	fprintf(out, "%-22s %10s %10s %12s %12s %12s\n", "AREA", "DISTRICT", "STATE",
		"MISSING AT", "MISSING AT", "DIFFERENCES");
	fprintf(out, "%-22s %10s %10s %12s %12s %12s\n", "", "", "", "STATE", "DISTRICT", "");
	for (a = 0; a < REG_AREA_COUNT; a++)
		fprintf(out, "%-22s %10" PRIu64 " %10" PRIu64 " %12" PRIu64 " %12" PRIu64
			" %12" PRIu64 "\n", reg_area_name((enum reg_area)a), s[a].district_total,
			s[a].state_total, s[a].missing_at_state, s[a].missing_at_district,
			s[a].differences);
	fprintf(out, "\n%s\n", in_sync ? "in sync: district and state agree"
				       : "NOT in sync: district and state differ");
}

static void print_csv(FILE *out, const char *district, const struct area_sum *s)
{
	int a;

	fprintf(out, "district,area,district_total,state_total,missing_at_state,"
		"missing_at_district,differences\n");
	for (a = 0; a < REG_AREA_COUNT; a++)
		fprintf(out, "%s,%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 "\n",
			district, reg_area_name((enum reg_area)a), s[a].district_total,
			s[a].state_total, s[a].missing_at_state, s[a].missing_at_district,
			s[a].differences);
}

es_status cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "district", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'O' },
		CLI_COMMON_OPTIONS
	};
	struct cli cli;
	struct home h;
	struct keyring kr = { NULL, 0 };
	struct bundle *b = NULL;
	struct vctx *v = NULL;
	struct sb why = SB_INIT;
	const char *district = NULL, *format = "text", *out = NULL;
	char *path = NULL;
	FILE *fp = stdout;
	int c, in_sync, a;
	es_status st;
	size_t i;

	cli_init(&cli, "verify");
	while ((c = cli_next(&cli, argc, argv, opts)) != -1) {
		switch (c) {
		case 'd': district = optarg; break;
		case 'f': format = optarg; break;
		case 'O': out = optarg; break;
		case CLI_HELP: return ES_OK;
		default: return ES_USAGE;
		}
	}
	if ((st = cli_no_operands(&cli, argc, argv)) != ES_OK)
		return st;
	if (!district || !mf_district_ok(district))
		return cli_usage(&cli, "give --district ID");
	if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "csv"))
		return cli_usage(&cli, "--format is text, json or csv");
	st = home_start(&h, home_default(cli.home), "verify", CFG_STATE, 0, 0);
	if (st != ES_OK)
		return st;
	v = xcalloc(1, sizeof *v);
	path = xasprintf("%s/%s/%s.bundle", h.dir, HOME_DIGESTS, district);
	if (!fsio_exists(path)) {
		msg_error("verify: no digest from district %s yet: run 'edsync digest' there, "
			  "send it and load it here", district);
		st = ES_NOINPUT;
		goto out;
	}
	st = home_keyring(&h, &kr);
	if (st == ES_OK)
		st = bundle_open(path, &kr, &b, &why);
	if (st == ES_OK)
		st = bundle_check_members(b, &why);
	if (st == ES_OK && strcmp(bundle_manifest(b)->district, district) != 0) {
		sb_addstr(&why, "the kept digest belongs to another district");
		st = ES_REFUSED;
	}
	if (st != ES_OK) {
		msg_error("%s/%s.bundle: %s", HOME_DIGESTS, district, why.buf);
		goto out;
	}
	st = home_store_open(&h, &v->f.s);
	if (st != ES_OK)
		goto out;
	v->f.district = district;
	st = bundle_each_member(b, each_member, v, &why);
	if (st != ES_OK) {
		if (why.len)
			msg_error("%s/%s.bundle: %s", HOME_DIGESTS, district, why.buf);
		goto out;
	}
	/* Objects of an area the digest left out: the state's records count
	 * on its side only. */
	for (i = 0; i < reg_count() && i < sizeof v->seen; i++) {
		const struct reg_object *o = reg_at(i);
		uint64_t n = 0;

		if (v->seen[i] || o->area == REG_AREA_NONE)
			continue;
		if ((st = store_count(v->f.s, o, district, &n)) != ES_OK)
			goto out;
		v->sums[o->area].state_total += n;
		v->sums[o->area].missing_at_district += n;
	}
	in_sync = 1;
	for (a = 0; a < REG_AREA_COUNT; a++)
		if (v->sums[a].missing_at_state || v->sums[a].missing_at_district ||
		    v->sums[a].differences)
			in_sync = 0;
	if (out) {
		fp = fopen(out, "w");
		if (!fp) {
			msg_error("%s: cannot write: %s", out, strerror(errno));
			st = ES_IO;
			goto out;
		}
	}
	if (!strcmp(format, "json"))
		print_json(fp, district, in_sync, v->sums);
	else if (!strcmp(format, "csv"))
		print_csv(fp, district, v->sums);
	else
		print_text(fp, district, bundle_manifest(b), in_sync, v->sums);
	if (out && fclose(fp) != 0) {
		msg_error("%s: write failed: %s", out, strerror(errno));
		st = ES_IO;
		goto out;
	}
	fflush(stdout);
	{
		/* for status; the comparison stands even when it cannot be recorded */
		struct store_verification rec;
		char now[24];

		memset(&rec, 0, sizeof rec);
		outbox_now(now);
		rec.district = district;
		rec.digest_seq = bundle_manifest(b)->sequence;
		rec.at = now;
		rec.in_sync = in_sync;
		for (a = 0; a < REG_AREA_COUNT; a++) {
			rec.missing_at_state += v->sums[a].missing_at_state;
			rec.missing_at_district += v->sums[a].missing_at_district;
			rec.differences += v->sums[a].differences;
		}
		store_verification_put(v->f.s, &rec);
	}
	st = in_sync ? ES_OK : ES_DIFFER;
out:
	if (v)
		store_close(v->f.s);
	free(v);
	bundle_close(b);
	keyring_free(&kr);
	sb_release(&why);
	free(path);
	home_close(&h);
	return st;
}
