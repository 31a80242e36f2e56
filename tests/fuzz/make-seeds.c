/*
 * make-seeds.c - writes the seed corpora of the fuzz targets into
 * tests/fuzz/corpus/<target>/ (or the folder given as the argument): small
 * valid inputs made with edsync's own writers (mf_encode, key_public_text,
 * cfg_render, digest_row, the bundle writer) and near misses.  The seed
 * bundles are signed and sealed by the fixed, public fuzzing key of
 * fuzzutil.h, which fuzz_bundle trusts; its secret key file only ever lives
 * in a temporary folder.
 *
 * Not built by the Makefile.  From the top of the repository:
 *
 *   clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=address,undefined \
 *     -o build/make-seeds tests/fuzz/make-seeds.c \
 *     util/msg.c util/status.c util/xalloc.c util/sb.c util/fsio.c \
 *     util/keyset.c formats/registry.c formats/value.c formats/csvr.c \
 *     formats/csvw.c formats/record.c formats/manifest.c formats/keys.c \
 *     formats/bundle.c formats/objcsv.c formats/digest.c formats/media.c \
 *     pipeline/config.c -larchive -lsodium -linih -lxxhash -lzstd -lcsv
 *   build/make-seeds
 *
 * The corpus folders also hold inputs the fuzzers found (named for the bug
 * they found); this program writes only its own files beside them.
 *
 * The output is deterministic except for the bundles' zstd framing, which
 * may differ between libzstd versions; any run gives valid seeds.
 */
#include "../../formats/bundle.h"
#include "../../formats/digest.h"
#include "../../formats/keys.h"
#include "../../formats/manifest.h"
#include "../../formats/media.h"
#include "../../formats/record.h"
#include "../../formats/registry.h"
#include "../../pipeline/config.h"
#include "../../util/fsio.h"
#include "../../util/sb.h"
#include "../../util/xalloc.h"
#include "fuzzutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zstd.h>

static const char *outdir = "tests/fuzz/corpus";

static void put(const char *target, const char *name, const void *p, size_t n)
{
	char *dir = xpath(outdir, target);
	char *path = xpath(dir, name);

	if (fsio_mkdirs(dir, 0755) < 0 || fsio_write_atomic(path, p, n, 0644) < 0) {
		fprintf(stderr, "make-seeds: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	if (n > 4096)
		fprintf(stderr, "make-seeds: warning: %s is %zu bytes\n", path, n);
	printf("%s (%zu bytes)\n", path, n);
	free(dir);
	free(path);
}

/* A seed whose first bytes are the target's parameters (prefix). */
static void put_with(const char *target, const char *name, const void *prefix, size_t np,
		     const char *text)
{
	struct sb s = SB_INIT;

	sb_add(&s, prefix, np);
	sb_addstr(&s, text);
	put(target, name, s.buf, s.len);
	sb_release(&s);
}

/* ---- fuzz_csvr: byte 0 max_fields/stop, then the chunking prefix ---- */
static void csvr_seeds(void)
{
	/* 8 fields, never stop; chunks of 5 and 17 bytes */
	static const unsigned char p8[] = { 0x07, 2, 4, 16 };
	/* 3 fields, stop after 2 rows; one feed */
	static const unsigned char p3[] = { 0x22, 0 };
	/* 2 fields, chunks of 1 byte */
	static const unsigned char p1[] = { 0x01, 1, 0 };
	/* 8 fields, chunks of 3 bytes */
	static const unsigned char p3x[] = { 0x07, 1, 2 };

	put_with("fuzz_csvr", "quotes-newlines", p8, sizeof p8,
		 "personID,lastName,firstName\r\n"
		 "1001,\"O'Brien\",\"Mary \"\"Molly\"\"\nAnn\"\r\n"
		 "\r\n"
		 "1002,Smith,\"a,b\"\n"
		 "1003,,\"\"\n");
	put_with("fuzz_csvr", "bom-cr-too-many", p3, sizeof p3,
		 "\xef\xbb\xbf" "a,b,c,d,e\rf,g\r\"h\ri\",j\r");
	put_with("fuzz_csvr", "malformed-quotes", p1, sizeof p1,
		 "1,a\"b,c\n2,\"d\"e,f\n3,\"g\n");
	put_with("fuzz_csvr", "blank-lines", p8, sizeof p8,
		 "\n\r\n\r\r\nx,y\n\n\"z\"\r\n");
	/* a CRLF blank line cut between its CR and LF by the feeds */
	put_with("fuzz_csvr", "crlf-blank-line-split", p3x, sizeof p3x, "a\n\r\nb\n");
}

/* ---- fuzz_objcsv: byte 0 object/flags, then the chunking prefix ---- */
static void objcsv_seeds(void)
{
	static const unsigned char person[] = { 0x00, 0 };
	static const unsigned char enroll[] = { 0x01, 3, 6, 30, 99 };
	static const unsigned char keys[] = { 0x02, 1, 9 };
	static const unsigned char changes[] = { 0x04, 2, 5, 17 };

	put_with("fuzz_objcsv", "person", person, sizeof person,
		 "personID,lastName,firstName,gender,birthDate,raceEthnicityFed,"
		 "hispanicEthnicity\r\n"
		 "1000001,Garcia,\"Ana \"\"Annie\"\"\nMarie\",F,2012-02-29,5,Y\r\n"
		 "1000002,O'Neil,Sean,M,2011-13-01,9,N\r\n"
		 "1000001,Dup,Row,X,,,\r\n"
		 "0042,Lee,\"Kim\",X,2010-01-31,1,\r\n"
		 "1000003,Short\r\n");
	put_with("fuzz_objcsv", "enrollment", enroll, sizeof enroll,
		 "enrollmentID,personID,calendarID,grade,startDate,startStatus,endDate,"
		 "endStatus,serviceType,noShow,stateExclude,endYear,specialEdStatus\n"
		 "5001,1000001,77,05,2026-08-20,E1,,,P,0,0,2027,N\n"
		 "5002,1000002,77,KG,2026-08-20,R1,2026-12-18,W1,S,1,0,2027,Y\n"
		 "5003,x,77,13,2026-02-30,E9,,,Q,2,0,27,Z\n");
	put_with("fuzz_objcsv", "keep-keys", keys, sizeof keys,
		 "personID\n1000001\n1000002\n\"1000003\"\n1000002\n");
	put_with("fuzz_objcsv", "bad-header", person, sizeof person,
		 "personID,nickname\n1,x\n2,y\n");
	put_with("fuzz_objcsv", "changes", changes, sizeof changes,
		 "_op,personID,lastName,birthDate\n"
		 "upsert,1000001,Garcia,2012-02-29\n"
		 "delete,1000001,,not-a-date\n"
		 "upsert,1000001,Again,2012-13-01\n"
		 "remove,1000002,X,\n"
		 "delete,,,\n");
	put_with("fuzz_objcsv", "changes-no-op", changes, sizeof changes,
		 "personID,_op\n1,upsert\n");
}

/* ---- fuzz_manifest ---- */
static void manifest_head(struct manifest *m)
{
	memset(m, 0, sizeof *m);
	m->format = MF_FORMAT;
	snprintf(m->kind, sizeof m->kind, "resync");
	snprintf(m->district, sizeof m->district, FUZZ_KEY_OWNER);
	snprintf(m->state, sizeof m->state, FUZZ_KEY_STATE);
	m->year = 2027;
	m->sequence = 17;
	snprintf(m->scope, sizeof m->scope, "full");
	snprintf(m->created, sizeof m->created, "2026-11-29T21:47:34Z");
}

static void manifest_seeds(void)
{
	struct manifest m;
	struct mf_member *mm;
	struct key_pub k;
	struct sb s = SB_INIT;
	size_t i;

	fuzz_key(&k, NULL);
	manifest_head(&m);
	key_id_hex(k.id, m.key);
	mm = mf_add_member(&m);
	snprintf(mm->object, sizeof mm->object, "PersonIdentity");
	mm->type = MF_RECORDS;
	mm->complete = 1;
	mm->bytes = 123456;
	mm->rows = 1200;
	for (i = 0; i < sizeof mm->blake2b; i++)
		mm->blake2b[i] = (unsigned char)(i * 7);
	mf_member_name(mm->name, sizeof mm->name, mm->object, mm->type);
	mm = mf_add_member(&m);
	snprintf(mm->object, sizeof mm->object, "Enrollment");
	mm->type = MF_KEEP;
	mm->bytes = 40;
	mm->rows = 3;
	mf_member_name(mm->name, sizeof mm->name, mm->object, mm->type);
	mm = mf_add_member(&m);
	snprintf(mm->object, sizeof mm->object, "Enrollment");
	mm->type = MF_DIGEST;
	mm->fields = rec_fields_fingerprint(reg_find("Enrollment"));
	mm->bytes = 999;
	mm->rows = 20;
	mf_member_name(mm->name, sizeof mm->name, mm->object, mm->type);
	mf_encode(&m, &s);
	put("fuzz_manifest", "valid", s.buf, s.len);

	/* near misses: a member lacking a field, a bundle field given twice */
	{
		const char *cut = strstr(s.buf, "rows = 3\n");
		struct sb t = SB_INIT;

		sb_add(&t, s.buf, (size_t)(cut - s.buf));
		sb_addstr(&t, cut + strlen("rows = 3\n"));
		put("fuzz_manifest", "member-lacks-rows", t.buf, t.len);
		sb_reset(&t);
		sb_addstr(&t, "[bundle]\nformat = 1\nformat = 1\n");
		sb_addstr(&t, s.buf + strlen("[bundle]\nformat = 1\n"));
		put("fuzz_manifest", "field-twice", t.buf, t.len);
		sb_release(&t);
	}
	mf_free(&m);

	manifest_head(&m);
	snprintf(m.kind, sizeof m.kind, "digest");
	snprintf(m.scope, sizeof m.scope, "objects");
	key_id_hex(k.id, m.key);
	sb_reset(&s);
	mf_encode(&m, &s);
	put("fuzz_manifest", "no-members", s.buf, s.len);
	mf_free(&m);
	sb_release(&s);
}

/* ---- fuzz_digest: the chunking prefix, then the digest ---- */
static void digest_seeds(void)
{
	static const unsigned char whole[] = { 0 };
	static const unsigned char small[] = { 2, 6, 40 };
	const struct reg_object *o = reg_find("PersonIdentity");
	const char *ids[] = { "0042", "1000001", "1000001", "1000002" };
	struct rec_val v[REG_MAX_FIELDS];
	struct sb s = SB_INIT, scratch = SB_INIT, t = SB_INIT;
	unsigned char h[REC_HASH_BYTES];
	size_t i, j;

	digest_header(o, &s);
	for (i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		for (j = 0; j < o->nfields; j++)
			v[j].p = "", v[j].n = 0;
		v[o->key[0]].p = ids[i];
		v[o->key[0]].n = strlen(ids[i]);
		v[5].p = "Garcia", v[5].n = 6;
		rec_hash(o, v, &scratch, h);
		digest_row(o, v, h, &s);
	}
	put_with("fuzz_digest", "sorted-with-dup", whole, sizeof whole, s.buf);
	put_with("fuzz_digest", "sorted-chunked", small, sizeof small, s.buf);
	/* near miss: the same rows out of order */
	digest_header(o, &t);
	sb_addstr(&t, strstr(s.buf, "1000002"));
	sb_addstr(&t, strchr(s.buf, '\n') + 1);
	put_with("fuzz_digest", "unsorted", whole, sizeof whole, t.buf);
	put_with("fuzz_digest", "bad-hash", whole, sizeof whole,
		 "personID,xxh3_128\n7,0123456789abcdef0123456789ABCDEF\n");
	sb_release(&s);
	sb_release(&t);
	sb_release(&scratch);
}

/* ---- fuzz_keyfile ---- */
static void keyfile_seeds(void)
{
	struct key_pub k;
	struct sb s = SB_INIT;
	char *p;

	fuzz_key(&k, NULL);
	key_public_text(&k, &s);
	put("fuzz_keyfile", "district.pub", s.buf, s.len);
	/* near miss: the id of another key (one hex digit changed) */
	p = strstr(s.buf, "\nid = ") + 6;
	*p = *p == '0' ? '1' : '0';
	put("fuzz_keyfile", "wrong-id.pub", s.buf, s.len);
	sb_reset(&s);
	snprintf(k.role, sizeof k.role, "state");
	snprintf(k.owner, sizeof k.owner, "NV");
	key_public_text(&k, &s);
	put("fuzz_keyfile", "state.pub", s.buf, s.len);
	sb_release(&s);
}

/* ---- fuzz_config ---- */
static void config_seeds(void)
{
	struct config c;
	char *text;
	struct sb s = SB_INIT;

	memset(&c, 0, sizeof c);
	c.role = CFG_DISTRICT;
	snprintf(c.district, sizeof c.district, "0042");
	snprintf(c.state, sizeof c.state, "NV");
	c.year = 2027;
	text = cfg_render(&c);
	put("fuzz_config", "district.conf", text, strlen(text));
	sb_addstr(&s, text);
	free(text);
	sb_addstr(&s, "to = /srv/state/home\n");
	put("fuzz_config", "district-send.conf", s.buf, s.len);
	c.role = CFG_STATE;
	text = cfg_render(&c);
	put("fuzz_config", "state.conf", text, strlen(text));
	free(text);
	put_with("fuzz_config", "state-with-district.conf", "", 0,
		 "[node]\nrole = state\ndistrict = 0042\nstate = NV\nyear = 2027\n");
	put_with("fuzz_config", "bad-year.conf", "", 0,
		 "[node]\nrole = district\ndistrict = 0042\nstate = NV\nyear = 27\n");
	sb_release(&s);
}

/* ---- fuzz_bundle: real bundles signed by the fuzzing key ---- */
static void member(struct bundle_writer *w, const char *object, enum mf_type t,
		   const char *csv, uint64_t rows)
{
	uint64_t fields = t == MF_DIGEST ? rec_fields_fingerprint(reg_find(object)) : 0;

	if (bw_member_begin(w, object, t, t == MF_RECORDS, fields) != ES_OK ||
	    bw_member_write(w, csv, strlen(csv)) != ES_OK || bw_member_end(w, rows) != ES_OK) {
		fprintf(stderr, "make-seeds: cannot stage a member\n");
		exit(1);
	}
}

/* The tar inside a bundle file. */
static void unzstd(const struct sb *in, struct sb *out)
{
	ZSTD_DCtx *d = ZSTD_createDCtx();
	ZSTD_inBuffer ib = { in->buf, in->len, 0 };
	unsigned char buf[4096];
	size_t r;

	do {
		ZSTD_outBuffer ob = { buf, sizeof buf, 0 };

		r = ZSTD_decompressStream(d, &ob, &ib);
		if (ZSTD_isError(r)) {
			fprintf(stderr, "make-seeds: zstd: %s\n", ZSTD_getErrorName(r));
			exit(1);
		}
		sb_add(out, buf, ob.pos);
	} while (r != 0 || ib.pos < ib.size);
	ZSTD_freeDCtx(d);
}

static size_t tar_size(const char *h)
{
	return (size_t)strtoull(h + 124, NULL, 8);
}

/*
 * A bundle in fuzz_bundle's forms (see fuzz_bundle.c), those in the bit set
 * forms: the sealed file (bit 0: mode 0, read size 641), its body, which the
 * target seals (bit 1: mode 3, read size 321), the tar (bit 2: mode 1, read
 * size 4033), the manifest plus the members' tar, signed by the target
 * (bit 3: mode 2, read size 1), and that with the first member's content
 * changed (bit 4).  The tar forms keep one of the two end-of-archive blocks
 * (enough for a tar reader) so that seeds stay under 4 KiB.
 */
#define FORM_FILE 1
#define FORM_BODY 2
#define FORM_TAR 4
#define FORM_SIGNED 8
#define FORM_ALTERED 16

static void put_forms(const char *name, const struct sb *file, unsigned forms)
{
	struct sb tar = SB_INIT, t = SB_INIT, body = SB_INIT;
	char fname[64];
	size_t mlen, off;

	if (forms & FORM_FILE) {
		sb_addch(&t, (char)(0 | 10 << 2));
		sb_add(&t, file->buf, file->len);
		snprintf(fname, sizeof fname, "%s.bundle", name);
		put("fuzz_bundle", fname, t.buf, t.len);
	}
	sb_add(&body, file->buf, file->len - BUNDLE_SEAL_BYTES);
	if (forms & FORM_BODY) {
		sb_reset(&t);
		sb_addch(&t, (char)(3 | 5 << 2));
		sb_add(&t, body.buf, body.len);
		snprintf(fname, sizeof fname, "%s.body", name);
		put("fuzz_bundle", fname, t.buf, t.len);
	}
	unzstd(&body, &tar);
	tar.len -= 512;
	if (forms & FORM_TAR) {
		sb_reset(&t);
		sb_addch(&t, (char)(1 | 63 << 2));
		sb_add(&t, tar.buf, tar.len);
		snprintf(fname, sizeof fname, "%s.tar", name);
		put("fuzz_bundle", fname, t.buf, t.len);
	}
	mlen = tar_size(tar.buf);
	off = 512 + (mlen + 511) / 512 * 512;
	off += 512 + (tar_size(tar.buf + off) + 511) / 512 * 512;
	sb_reset(&t);
	sb_addch(&t, 2);
	sb_addch(&t, (char)(mlen >> 8));
	sb_addch(&t, (char)(mlen & 255));
	sb_add(&t, tar.buf + 512, mlen);
	sb_add(&t, tar.buf + off, tar.len - off);
	snprintf(fname, sizeof fname, "%s.signed", name);
	if (forms & FORM_SIGNED)
		put("fuzz_bundle", fname, t.buf, t.len);
	if (forms & FORM_ALTERED) {
		t.buf[3 + mlen + 512 + 10] ^= 1;
		snprintf(fname, sizeof fname, "%s-altered-member.signed", name);
		put("fuzz_bundle", fname, t.buf, t.len);
	}
	sb_release(&tar);
	sb_release(&t);
	sb_release(&body);
}

/* kind 0: a resync bundle of three members, 1: a digest bundle of one,
 * 2: a resync bundle of two */
static void bundle_seed(const char *dir, const struct key_secret *ks, const char *name,
			int kind, unsigned forms)
{
	int digest = kind == 1;
	struct bundle_writer *w = bw_new(dir);
	struct manifest head;
	struct sb why = SB_INIT, bytes = SB_INIT;
	char *path = xpath(dir, "seed.bundle");
	int fd;

	manifest_head(&head);
	if (digest) {
		const struct reg_object *o = reg_find("PersonIdentity");
		struct rec_val v[REG_MAX_FIELDS];
		struct sb d = SB_INIT, scratch = SB_INIT;
		unsigned char h[REC_HASH_BYTES];
		size_t j;

		snprintf(head.kind, sizeof head.kind, "digest");
		digest_header(o, &d);
		for (j = 0; j < o->nfields; j++)
			v[j].p = "", v[j].n = 0;
		v[o->key[0]].p = "1000001";
		v[o->key[0]].n = 7;
		rec_hash(o, v, &scratch, h);
		digest_row(o, v, h, &d);
		member(w, "PersonIdentity", MF_DIGEST, d.buf, 1);
		sb_release(&d);
		sb_release(&scratch);
	} else {
		member(w, "PersonIdentity", MF_RECORDS,
		       "personID,lastName,firstName,birthDate\n"
		       "1000001,Garcia,\"Ana\nMarie\",2012-02-29\n"
		       "1000002,\"O'Neil\",Sean,2011-10-01\n", 2);
		member(w, "Enrollment", MF_KEEP, "enrollmentID\n5003\n", 1);
		if (kind == 0)
			member(w, "Enrollment", MF_RECORDS,
			       "enrollmentID,personID,calendarID,grade,startDate\n"
			       "5001,1000001,77,05,2026-08-20\n", 1);
	}
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || bw_finish(w, &head, ks, fd, &why) != ES_OK ||
	    fsio_read_file(path, 1 << 20, &bytes) < 0) {
		fprintf(stderr, "make-seeds: bundle: %s\n", why.len ? why.buf : strerror(errno));
		exit(1);
	}
	close(fd);
	unlink(path);
	put_forms(name, &bytes, forms);
	mf_free(&head);
	bw_free(w);
	free(path);
	sb_release(&why);
	sb_release(&bytes);
}

static void bundle_seeds(void)
{
	char dir[] = "/tmp/edsync-seeds.XXXXXX";
	struct key_secret *ks;

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(1);
	}
	ks = fuzz_secret_key(dir);
	bundle_seed(dir, ks, "resync3", 0, FORM_FILE | FORM_BODY);
	bundle_seed(dir, ks, "digest", 1, FORM_FILE | FORM_TAR | FORM_SIGNED);
	bundle_seed(dir, ks, "resync2", 2, FORM_SIGNED | FORM_ALTERED);
	put_with("fuzz_bundle", "not-a-bundle", "", 0, "\x28manifest\n");
	key_secret_free(ks);
	fsio_remove_tree(dir);
}

/* ---- fuzz_media: byte 0 mode (bit 0) and read size; mode 1: the chunk
 * sizes prefix, then the plaintext the target encrypts ---- */
static void le_put(struct sb *s, uint64_t v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sb_addch(s, (char)(v >> (8 * i)));
}

/* plaintext records as docs/FORMATS.md says, signed by the fuzzing key */
static void media_plaintext(const struct key_secret *ks, uint64_t count_said, struct sb *pt)
{
	const struct key_pub *k = key_secret_public(ks);
	unsigned char h[32], sig[KEY_SIG_BYTES];
	struct sb msg = SB_INIT;

	sb_addch(pt, 'S');
	sb_add(pt, k->pk, sizeof k->pk);
	sb_addch(pt, 'F');
	le_put(pt, 8, 2);
	sb_addstr(pt, "a.bundle");
	le_put(pt, 5, 8);
	sb_addstr(pt, "hello");
	sb_addch(pt, 'F');
	le_put(pt, 1, 2);
	sb_addstr(pt, "b");
	le_put(pt, 0, 8);
	sb_addch(pt, 'E');
	le_put(pt, count_said, 4);
	crypto_generichash(h, sizeof h, (const unsigned char *)pt->buf, pt->len, NULL, 0);
	sb_addstr(&msg, "edsync media signature 1\n");
	sb_add(&msg, k->id, KEY_ID_BYTES);
	sb_add(&msg, h, sizeof h);
	key_sign(ks, msg.buf, msg.len, sig);
	sb_add(pt, sig, sizeof sig);
	sb_release(&msg);
}

static void media_seeds(void)
{
	static const unsigned char mode1[] = { 0x0f, 3, 4, 16, 200 };	/* read 8; chunks */
	static const unsigned char mode0[] = { 0x1e };			/* read 16 */
	char dir[] = "/tmp/edsync-seeds.XXXXXX";
	struct key_secret *ks;
	struct media_writer *w;
	struct sb why = SB_INIT, bytes = SB_INIT, pt = SB_INIT, seed = SB_INIT;
	char *path;
	int fd;

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(1);
	}
	ks = fuzz_secret_key(dir);
	media_plaintext(ks, 2, &pt);
	sb_add(&seed, mode1, sizeof mode1);
	sb_add(&seed, pt.buf, pt.len);
	put("fuzz_media", "plaintext", seed.buf, seed.len);
	sb_reset(&pt);
	sb_reset(&seed);
	media_plaintext(ks, 3, &pt);	/* a count that is wrong */
	sb_add(&seed, mode1, sizeof mode1);
	sb_add(&seed, pt.buf, pt.len);
	put("fuzz_media", "plaintext-miscounted", seed.buf, seed.len);

	/* real media, made by the writer (new random bytes on every run) */
	path = xpath(dir, "seed.media");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || media_writer_new(fd, key_secret_public(ks), ks, &w, &why) != ES_OK ||
	    media_add_begin(w, "0042-0000000001-resync.bundle", 11, &why) != ES_OK ||
	    media_add_write(w, "bundle body", 11, &why) != ES_OK ||
	    media_writer_finish(w, &why) != ES_OK || fsio_read_file(path, 1 << 20, &bytes) < 0) {
		fprintf(stderr, "make-seeds: media: %s\n", why.len ? why.buf : strerror(errno));
		exit(1);
	}
	media_writer_free(w);
	close(fd);
	sb_reset(&seed);
	sb_add(&seed, mode0, sizeof mode0);
	sb_add(&seed, bytes.buf, bytes.len);
	put("fuzz_media", "media", seed.buf, seed.len);
	put_with("fuzz_media", "not-media", mode0, sizeof mode0, "edsync media v2\n");
	key_secret_free(ks);
	fsio_remove_tree(dir);
	free(path);
	sb_release(&why);
	sb_release(&bytes);
	sb_release(&pt);
	sb_release(&seed);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		outdir = argv[1];
	if (sodium_init() < 0)
		return 1;
	csvr_seeds();
	objcsv_seeds();
	manifest_seeds();
	digest_seeds();
	keyfile_seeds();
	config_seeds();
	bundle_seeds();
	media_seeds();
	return 0;
}
