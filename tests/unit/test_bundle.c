/* test_bundle.c - signed bundles: writing, checked reading, refusals (formats/bundle.h). */
#include "../../formats/bundle.h"
#include "../../formats/keys.h"
#include "../../formats/manifest.h"
#include "../../util/sb.h"
#include "../../util/xalloc.h"
#include "helpers/testutil.h"

#include <archive.h>
#include <archive_entry.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

/* ---------------- fixture: a folder, keys, a keyring ---------------- */

static char *dir;
static struct key_secret *kd;		/* district 0042 of NV */
static struct key_secret *ko;		/* district 0099 of NV */
static struct keyring ring;		/* trusts kd and ko */

static struct key_secret *make_key(const char *name, const char *role, const char *owner,
				   const char *state)
{
	char *pub = xasprintf("%s/%s.pub", dir, name);
	char *sec = xasprintf("%s/%s.sec", dir, name);
	struct key_secret *k = NULL;
	struct sb err = SB_INIT;

	ck_assert_int_eq(key_generate(pub, sec, role, owner, state), ES_OK);
	ck_assert_int_eq(key_load_secret(sec, &k, &err), ES_OK);
	unlink(pub);
	unlink(sec);
	free(pub);
	free(sec);
	sb_release(&err);
	return k;
}

/*
 * A key made from a fixed seed, written as a key file by hand, so that a
 * bundle it signs is the same bytes on every run (flip offsets reproducible).
 */
static struct key_secret *seeded_key(const char *role, const char *owner, const char *state,
				     unsigned char seed)
{
	unsigned char sd[crypto_sign_SEEDBYTES], pk[32], sk[64], h[16];
	struct sb text = SB_INIT, err = SB_INIT;
	struct key_secret *k = NULL;
	char *path;

	memset(sd, seed, sizeof sd);
	crypto_sign_seed_keypair(pk, sk, sd);
	crypto_generichash(h, sizeof h, pk, 32, NULL, 0);
	sb_addf(&text, "[secret key]\nalgorithm = ed25519\nrole = %s\nowner = %s\n"
		"state = %s\nid = ", role, owner, state);
	sb_addhex(&text, h, KEY_ID_BYTES);
	sb_addstr(&text, "\nkey = ");
	sb_addhex(&text, sk, sizeof sk);
	sb_addch(&text, '\n');
	path = tu_write(dir, "seeded.sec", text.buf, text.len);
	ck_assert_int_eq(chmod(path, 0600), 0);
	ck_assert_int_eq(key_load_secret(path, &k, &err), ES_OK);
	ck_assert_mem_eq(key_secret_public(k)->pk, pk, 32);
	unlink(path);
	free(path);
	sodium_memzero(sk, sizeof sk);
	sodium_memzero(text.buf, text.len);
	sb_release(&text);
	sb_release(&err);
	return k;
}

static void setup(void)
{
	dir = tu_tmpdir();
	kd = seeded_key("district", "0042", "NV", 0x42);
	ko = seeded_key("district", "0099", "NV", 0x99);
	ring.keys = NULL;
	ring.n = 0;
	keyring_add(&ring, key_secret_public(kd));
	keyring_add(&ring, key_secret_public(ko));
}

static void teardown(void)
{
	keyring_free(&ring);
	key_secret_free(kd);
	key_secret_free(ko);
	tu_rmtree(dir);
	free(dir);
	dir = NULL;
}

static void head_init(struct manifest *h, const char *district, const char *state)
{
	memset(h, 0, sizeof *h);
	snprintf(h->kind, sizeof h->kind, "resync");
	snprintf(h->district, sizeof h->district, "%s", district);
	snprintf(h->state, sizeof h->state, "%s", state);
	h->year = 2027;
	h->sequence = 5;
	snprintf(h->scope, sizeof h->scope, "full");
	snprintf(h->created, sizeof h->created, "2026-11-29T21:47:34Z");
}

/* ---------------- members written with bw_* ---------------- */

struct mdef {
	const char *object;
	enum mf_type type;
	int complete;
	uint64_t fields;
	struct sb data;
	uint64_t rows;
};

static void csv_rows(struct sb *s, size_t nrows)
{
	uint32_t x = 12345;
	size_t i;

	sb_addstr(s, "enrollmentID,personID,calendarID,grade,startDate\n");
	for (i = 0; i < nrows; i++) {
		x = x * 1103515245u + 12345u;
		sb_addf(s, "%zu,%u,%u,%02u,2026-%02u-%02u\n", 100000 + i, x % 9999991u,
			(x >> 8) % 97u, (x >> 3) % 12u + 1, (x >> 5) % 12u + 1, (x >> 7) % 28u + 1);
	}
}

/* Three members: two records members and a keep member. */
static void std_members(struct mdef m[3], size_t big_rows)
{
	memset(m, 0, 3 * sizeof *m);
	m[0].object = "PersonIdentity";
	m[0].type = MF_RECORDS;
	m[0].complete = 1;
	sb_addstr(&m[0].data, "personID,lastName,firstName\n1,Smith,Ann\n02,\"O'Brien, Jr\",\"two\nlines\"\n");
	m[0].rows = 2;
	m[1].object = "Enrollment";
	m[1].type = MF_RECORDS;
	m[1].complete = 0;
	csv_rows(&m[1].data, big_rows);
	m[1].rows = big_rows;
	m[2].object = "School";
	m[2].type = MF_KEEP;
	sb_addstr(&m[2].data, "schoolID\n7\n");
	m[2].rows = 1;
}

static void mdefs_free(struct mdef *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sb_release(&m[i].data);
}

/* Write a bundle of the members to path with bw_*, signed by k. */
static void write_bundle(const char *path, struct manifest *head, struct mdef *m, size_t n,
			 const struct key_secret *k)
{
	struct bundle_writer *w = bw_new(dir);
	struct sb why = SB_INIT;
	size_t i;
	int fd;

	for (i = 0; i < n; i++) {
		size_t off = 0, step = 1;

		ck_assert_int_eq(bw_member_begin(w, m[i].object, m[i].type, m[i].complete,
						 m[i].fields), ES_OK);
		/* uneven pieces: 1, 3, 9, ... bytes, then 64 KiB ones */
		while (off < m[i].data.len) {
			size_t take = m[i].data.len - off < step ? m[i].data.len - off : step;

			ck_assert_int_eq(bw_member_write(w, m[i].data.buf + off, take), ES_OK);
			off += take;
			step = step < 65536 ? step * 3 : 65536;
		}
		ck_assert_int_eq(bw_member_end(w, m[i].rows), ES_OK);
	}
	/* a member begun and dropped leaves no trace */
	ck_assert_int_eq(bw_member_begin(w, "Calendar", MF_RECORDS, 1, 0), ES_OK);
	ck_assert_int_eq(bw_member_write(w, "junk", 4), ES_OK);
	ck_assert_uint_eq(bw_member_count(w), n);
	bw_member_abort(w);
	ck_assert_uint_eq(bw_member_count(w), n);

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bw_finish(w, head, k, fd, &why), ES_OK);
	ck_assert_int_eq(close(fd), 0);
	bw_free(w);
	sb_release(&why);
}

struct collected {
	size_t n;
	char name[8][96];
	struct sb data[8];
	size_t stop_after;	/* read at most this many bytes of each member (0: all) */
	int fail_at;		/* member index whose callback returns ES_DATA, or -1 */
};

static es_status collect(void *ctx, struct bundle *b, const struct mf_member *m)
{
	struct collected *c = ctx;
	char buf[777];
	ssize_t r;

	ck_assert_uint_lt(c->n, 8);
	snprintf(c->name[c->n], sizeof c->name[c->n], "%s", m->name);
	if ((int)c->n == c->fail_at) {
		c->n++;
		return ES_DATA;
	}
	while ((r = bundle_member_read(b, buf, sizeof buf)) > 0) {
		sb_add(&c->data[c->n], buf, (size_t)r);
		if (c->stop_after && c->data[c->n].len >= c->stop_after)
			break;
	}
	ck_assert_int_ge(r, 0);
	c->n++;
	return ES_OK;
}

static void collected_free(struct collected *c)
{
	size_t i;

	for (i = 0; i < 8; i++)
		sb_release(&c->data[i]);
}

/* ---------------- the good bundle ---------------- */

START_TEST(test_write_open_check_read)
{
	char *path = xpath(dir, "b.bundle");
	struct manifest head;
	struct mdef m[3];
	struct bundle *b = NULL;
	const struct manifest *mf;
	struct sb why = SB_INIT, enc = SB_INIT;
	struct collected c;
	unsigned char h[32];
	char idhex[17];
	const char *text;
	size_t i, n;

	std_members(m, 6000);	/* Enrollment.csv: well over the 128 KiB write buffer */
	ck_assert_uint_gt(m[1].data.len, 150000);
	head_init(&head, "0042", "NV");
	write_bundle(path, &head, m, 3, kd);
	ck_assert_uint_eq(head.nmembers, 3);	/* the caller's head got the members */
	key_id_hex(key_secret_public(kd)->id, idhex);
	ck_assert_str_eq(head.key, idhex);

	ck_assert_int_eq(bundle_open(path, &ring, &b, &why), ES_OK);
	ck_assert_msg(why.len == 0, "why: %s", why.buf);
	ck_assert_ptr_nonnull(b);
	mf = bundle_manifest(b);
	ck_assert_ptr_nonnull(mf);
	ck_assert_int_eq(mf->format, 1);
	ck_assert_str_eq(mf->kind, "resync");
	ck_assert_str_eq(mf->district, "0042");
	ck_assert_str_eq(mf->state, "NV");
	ck_assert_int_eq(mf->year, 2027);
	ck_assert_uint_eq(mf->sequence, 5);
	ck_assert_str_eq(mf->scope, "full");
	ck_assert_str_eq(mf->created, "2026-11-29T21:47:34Z");
	ck_assert_str_eq(mf->key, idhex);
	ck_assert_str_eq(bundle_key_id(b), idhex);
	ck_assert_ptr_eq(bundle_key(b), keyring_find(&ring, key_secret_public(kd)->id));
	ck_assert_uint_eq(mf->nmembers, 3);
	for (i = 0; i < 3; i++) {
		const struct mf_member *mm = &mf->members[i];
		char name[96];

		mf_member_name(name, sizeof name, m[i].object, m[i].type);
		ck_assert_str_eq(mm->name, name);
		ck_assert_str_eq(mm->object, m[i].object);
		ck_assert_int_eq(mm->type, m[i].type);
		ck_assert_int_eq(mm->complete, m[i].complete);
		ck_assert_uint_eq(mm->bytes, m[i].data.len);
		ck_assert_uint_eq(mm->rows, m[i].rows);
		crypto_generichash(h, 32, (const unsigned char *)m[i].data.buf, m[i].data.len,
				   NULL, 0);
		ck_assert_mem_eq(mm->blake2b, h, 32);
	}
	/* the stored manifest is the encoding of what was parsed; its hash names it */
	text = bundle_manifest_text(b, &n);
	mf_encode(mf, &enc);
	ck_assert_uint_eq(n, enc.len);
	ck_assert_mem_eq(text, enc.buf, n);
	crypto_generichash(h, 32, (const unsigned char *)text, n, NULL, 0);
	ck_assert_mem_eq(bundle_manifest_hash(b), h, 32);

	ck_assert_int_eq(bundle_check_members(b, &why), ES_OK);
	ck_assert_msg(why.len == 0, "why: %s", why.buf);
	/* check twice: the reader starts over each time */
	ck_assert_int_eq(bundle_check_members(b, &why), ES_OK);

	memset(&c, 0, sizeof c);
	c.fail_at = -1;
	ck_assert_int_eq(bundle_each_member(b, collect, &c, &why), ES_OK);
	ck_assert_uint_eq(c.n, 3);
	for (i = 0; i < 3; i++) {
		ck_assert_str_eq(c.name[i], mf->members[i].name);
		ck_assert_uint_eq(c.data[i].len, m[i].data.len);
		ck_assert_mem_eq(c.data[i].buf, m[i].data.buf, m[i].data.len);
	}
	collected_free(&c);

	/* a callback that stops early: the rest is still read and hashed */
	memset(&c, 0, sizeof c);
	c.fail_at = -1;
	c.stop_after = 100;
	ck_assert_int_eq(bundle_each_member(b, collect, &c, &why), ES_OK);
	ck_assert_uint_eq(c.n, 3);
	ck_assert_uint_eq(c.data[1].len, 777);
	collected_free(&c);

	/* a callback's failure stops the walk with its status */
	memset(&c, 0, sizeof c);
	c.fail_at = 1;
	ck_assert_int_eq(bundle_each_member(b, collect, &c, &why), ES_DATA);
	ck_assert_uint_eq(c.n, 2);
	collected_free(&c);

	bundle_close(b);
	bundle_close(NULL);
	mf_free(&head);
	mdefs_free(m, 3);
	free(path);
	sb_release(&why);
	sb_release(&enc);
}
END_TEST

START_TEST(test_empty_bundle)
{
	char *path = xpath(dir, "e.bundle");
	struct manifest head;
	struct bundle *b = NULL;
	struct sb why = SB_INIT;

	head_init(&head, "0042", "NV");
	write_bundle(path, &head, NULL, 0, kd);
	ck_assert_int_eq(bundle_open(path, &ring, &b, &why), ES_OK);
	ck_assert_uint_eq(bundle_manifest(b)->nmembers, 0);
	ck_assert_int_eq(bundle_check_members(b, &why), ES_OK);
	bundle_close(b);
	mf_free(&head);
	free(path);
	sb_release(&why);
}
END_TEST

/* ---------------- refusals of signer and key ---------------- */

/* Open (and when that passes, check) path; the result and the reason. */
static es_status open_and_check(const char *path, const struct keyring *kr, struct sb *why,
				int *opened)
{
	struct bundle *b = NULL;
	es_status st;

	sb_reset(why);
	st = bundle_open(path, kr, &b, why);
	*opened = st == ES_OK;
	if (st == ES_OK)
		st = bundle_check_members(b, why);
	if (st != ES_OK && b && !*opened)
		ck_assert_ptr_null(bundle_manifest(b));
	bundle_close(b);
	return st;
}

START_TEST(test_untrusted_key)
{
	char *path = xpath(dir, "u.bundle");
	struct keyring only_o = { NULL, 0 };
	struct manifest head;
	struct mdef m[3];
	struct bundle *b = NULL;
	struct sb why = SB_INIT, want = SB_INIT;
	char idhex[17];
	size_t n;

	std_members(m, 10);
	head_init(&head, "0042", "NV");
	write_bundle(path, &head, m, 3, kd);
	key_id_hex(key_secret_public(kd)->id, idhex);
	sb_addf(&want, "signed by key %s, which is not trusted here", idhex);

	/* an empty keyring */
	ck_assert_int_eq(bundle_open(path, &only_o, &b, &why), ES_REFUSED);
	ck_assert_str_eq(why.buf, want.buf);
	ck_assert_ptr_nonnull(b);		/* set even when refused */
	ck_assert_ptr_null(bundle_manifest(b));	/* but nothing parsed */
	ck_assert_ptr_null(bundle_key(b));
	ck_assert_str_eq(bundle_key_id(b), idhex);
	/* the seal did not hold: not a byte was decompressed */
	ck_assert_uint_eq((bundle_manifest_text(b, &n), n), 0);
	bundle_close(b);

	/* a keyring with another key only */
	keyring_add(&only_o, key_secret_public(ko));
	sb_reset(&why);
	ck_assert_int_eq(bundle_open(path, &only_o, &b, &why), ES_REFUSED);
	ck_assert_str_eq(why.buf, want.buf);
	bundle_close(b);

	keyring_free(&only_o);
	mf_free(&head);
	mdefs_free(m, 3);
	free(path);
	sb_release(&why);
	sb_release(&want);
}
END_TEST

START_TEST(test_key_of_another_district_or_state)
{
	char *path = xpath(dir, "o.bundle");
	struct key_secret *ku = seeded_key("district", "0042", "UT", 1);
	struct key_secret *ks = seeded_key("state", "UT", "UT", 2);
	struct key_secret *kn = make_key("n", "state", "NV", "NV");	/* key_generate too */
	struct manifest head;
	struct mdef m[3];
	struct sb why = SB_INIT;
	int opened;

	keyring_add(&ring, key_secret_public(ku));
	keyring_add(&ring, key_secret_public(ks));
	keyring_add(&ring, key_secret_public(kn));
	std_members(m, 10);

	/* the manifest claims district 0042, the key is district 0099's */
	head_init(&head, "0042", "NV");
	write_bundle(path, &head, m, 3, ko);
	ck_assert_int_eq(open_and_check(path, &ring, &why, &opened), ES_REFUSED);
	ck_assert_int_eq(opened, 0);
	ck_assert_str_eq(why.buf, "bundle claims district 0042 of NV but is signed by the key "
			 "of district 0099 of NV");
	mf_free(&head);

	/* same district ID, another state */
	head_init(&head, "0042", "NV");
	write_bundle(path, &head, m, 3, ku);
	ck_assert_int_eq(open_and_check(path, &ring, &why, &opened), ES_REFUSED);
	ck_assert_str_eq(why.buf, "bundle claims district 0042 of NV but is signed by the key "
			 "of district 0042 of UT");
	mf_free(&head);

	/* a state key of another state */
	head_init(&head, "0042", "NV");
	write_bundle(path, &head, m, 3, ks);
	ck_assert_int_eq(open_and_check(path, &ring, &why, &opened), ES_REFUSED);
	ck_assert_str_eq(why.buf, "bundle claims state NV but is signed by the key of state UT");
	mf_free(&head);

	/* the state's own key is accepted */
	head_init(&head, "0042", "NV");
	write_bundle(path, &head, m, 3, kn);
	ck_assert_int_eq(open_and_check(path, &ring, &why, &opened), ES_OK);
	mf_free(&head);

	/* and district 0099 signing for itself is accepted */
	head_init(&head, "0099", "NV");
	write_bundle(path, &head, m, 3, ko);
	ck_assert_int_eq(open_and_check(path, &ring, &why, &opened), ES_OK);
	mf_free(&head);

	key_secret_free(ku);
	key_secret_free(ks);
	key_secret_free(kn);
	mdefs_free(m, 3);
	free(path);
	sb_release(&why);
}
END_TEST

/* ---------------- damage to the file ---------------- */

static void write_bytes(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(n ? fwrite(p, 1, n, f) : 0, n);
	ck_assert_int_eq(fclose(f), 0);
}

/* Must be refused by bundle_open or bundle_check_members, with a reason. */
static void assert_refused(const char *path, const char *what)
{
	struct sb why = SB_INIT;
	int opened;
	es_status st = open_and_check(path, &ring, &why, &opened);

	ck_assert_msg(st == ES_REFUSED, "%s: status %d (%s), want ES_REFUSED", what, st,
		      why.len ? why.buf : "no reason");
	ck_assert_msg(why.len > 0, "%s: refused without a reason", what);
	sb_release(&why);
}

/* The bytes a whole zstd stream decompresses to; -1 unless it is exactly
 * one complete frame whose checksum holds. */
static int zstd_plain(const char *p, size_t n, struct sb *out)
{
	ZSTD_DCtx *d = ZSTD_createDCtx();
	ZSTD_inBuffer in = { p, n, 0 };
	char buf[65536];
	size_t r = 1;

	sb_reset(out);
	while (in.pos < in.size) {
		ZSTD_outBuffer o = { buf, sizeof buf, 0 };

		r = ZSTD_decompressStream(d, &o, &in);
		if (ZSTD_isError(r))
			break;
		sb_add(out, buf, o.pos);
		if (r == 0)
			break;
	}
	ZSTD_freeDCtx(d);
	return !ZSTD_isError(r) && r == 0 && in.pos == in.size ? 0 : -1;
}

/*
 * Damage byte off of orig with x: the seal covers every byte of the body
 * and the seal itself is signed, so the copy must be refused, whatever the
 * byte and whatever the bit.  Returns 1 if it was (wrongly) accepted.
 */
static int flip_checked(char *orig, size_t n, size_t off, unsigned char x, const struct sb *plain,
			const char *bad)
{
	struct sb why = SB_INIT;
	int opened;
	es_status st;

	(void)plain;
	orig[off] ^= (char)x;
	write_bytes(bad, orig, n);
	st = open_and_check(bad, &ring, &why, &opened);
	ck_assert_msg(st == ES_REFUSED && why.len > 0, "byte %zu ^ 0x%02x: status %d (%s)",
		      off, x, st, why.buf);
	orig[off] ^= (char)x;
	sb_release(&why);
	return st == ES_OK;
}

START_TEST(test_flipped_bytes)
{
	char *path = xpath(dir, "f.bundle");
	char *bad = xpath(dir, "bad.bundle");
	struct manifest head;
	struct mdef m[3];
	struct sb plain = SB_INIT;
	char *orig;
	size_t n, i, offs[32], noffs = 0;
	int b;

	std_members(m, 6000);
	head_init(&head, "0042", "NV");
	write_bundle(path, &head, m, 3, kd);
	orig = tu_read(path, &n);
	ck_assert_uint_gt(n, 2048);
	ck_assert_int_eq(zstd_plain(orig, n - BUNDLE_SEAL_BYTES, &plain), 0);
	offs[noffs++] = 0;		/* start: the zstd magic */
	offs[noffs++] = 4;		/* frame header descriptor */
	offs[noffs++] = 5;		/* window descriptor */
	offs[noffs++] = 6;		/* first block header */
	offs[noffs++] = 40;		/* inside the first 512 bytes: manifest */
	offs[noffs++] = 200;
	offs[noffs++] = 511;
	offs[noffs++] = n / 3;		/* the middle: member data */
	offs[noffs++] = n / 2;
	offs[noffs++] = 2 * n / 3;
	for (i = n - BUNDLE_SEAL_BYTES - 10; i < n - BUNDLE_SEAL_BYTES; i++)
		offs[noffs++] = i;	/* the end of the body: last block, checksum */
	offs[noffs++] = n - BUNDLE_SEAL_BYTES;		/* the seal: its name */
	offs[noffs++] = n - BUNDLE_SEAL_BYTES + 25;	/* its key id */
	offs[noffs++] = n - 40;				/* its signature */
	offs[noffs++] = n - 1;				/* its newline */
	for (i = 0; i < noffs; i++) {
		char what[64];

		/* a changed byte is refused */
		orig[offs[i]] ^= (char)0xff;
		write_bytes(bad, orig, n);
		orig[offs[i]] ^= (char)0xff;
		snprintf(what, sizeof what, "byte %zu of %zu inverted", offs[i], n);
		assert_refused(bad, what);
		/* a changed bit is refused or changes nothing that is carried */
		for (b = 0; b < 8; b++)
			flip_checked(orig, n, offs[i], (unsigned char)(1u << b), &plain, bad);
	}
	/* the original still passes (the damage was in the copies) */
	{
		struct sb why = SB_INIT;
		int opened;

		ck_assert_int_eq(open_and_check(path, &ring, &why, &opened), ES_OK);
		sb_release(&why);
	}
	free(orig);
	sb_release(&plain);
	mf_free(&head);
	mdefs_free(m, 3);
	free(path);
	free(bad);
}
END_TEST

START_TEST(test_every_byte_of_a_small_bundle)
{
	char *path = xpath(dir, "s.bundle");
	char *bad = xpath(dir, "bad.bundle");
	struct manifest head;
	struct mdef m[1];
	struct sb plain = SB_INIT;
	char *orig;
	size_t n, i, accepted = 0;

	memset(m, 0, sizeof m);
	m[0].object = "School";
	m[0].type = MF_RECORDS;
	m[0].complete = 1;
	sb_addstr(&m[0].data, "schoolID,name\n1,North\n2,South\n");
	m[0].rows = 2;
	head_init(&head, "0042", "NV");
	write_bundle(path, &head, m, 1, kd);
	orig = tu_read(path, &n);
	ck_assert_int_eq(zstd_plain(orig, n - BUNDLE_SEAL_BYTES, &plain), 0);
	for (i = 0; i < n; i++) {
		char what[64];

		orig[i] ^= (char)0xff;
		write_bytes(bad, orig, n);
		orig[i] ^= (char)0xff;
		snprintf(what, sizeof what, "byte %zu of %zu inverted", i, n);
		assert_refused(bad, what);
		/* one bit of every byte, each bit position in turn */
		accepted += (size_t)flip_checked(orig, n, i, (unsigned char)(1u << (i % 8)), &plain,
						 bad);
	}
	/* every bit of every byte, seal included, is covered */
	ck_assert_uint_eq(accepted, 0);
	free(orig);
	sb_release(&plain);
	mf_free(&head);
	mdefs_free(m, 1);
	free(path);
	free(bad);
}
END_TEST

START_TEST(test_truncated_extended_empty_foreign)
{
	char *path = xpath(dir, "t.bundle");
	char *bad = xpath(dir, "bad.bundle");
	struct manifest head;
	struct mdef m[3];
	struct bundle *b = NULL;
	struct sb why = SB_INIT;
	char *orig, *longer;
	size_t n;

	std_members(m, 3000);
	head_init(&head, "0042", "NV");
	write_bundle(path, &head, m, 3, kd);
	orig = tu_read(path, &n);

	write_bytes(bad, orig, n - 1);
	assert_refused(bad, "truncated by 1 byte");
	write_bytes(bad, orig, n / 2);
	assert_refused(bad, "truncated to half");
	write_bytes(bad, orig, 100);
	assert_refused(bad, "first 100 bytes");

	longer = xmalloc(n + 5);
	memcpy(longer, orig, n);
	memcpy(longer + n, "\0\0\0\0\0", 5);
	write_bytes(bad, longer, n + 5);
	assert_refused(bad, "5 zero bytes appended");
	memcpy(longer + n, "hello", 5);
	write_bytes(bad, longer, n + 5);
	assert_refused(bad, "5 bytes appended");
	free(longer);
	/* a second copy of the whole stream appended (a second zstd frame) */
	longer = xmalloc(2 * n);
	memcpy(longer, orig, n);
	memcpy(longer + n, orig, n);
	write_bytes(bad, longer, 2 * n);
	assert_refused(bad, "the bundle twice");
	free(longer);

	write_bytes(bad, "", 0);
	assert_refused(bad, "empty file");
	write_bytes(bad, "manifest\nthis is not zstd at all\n", 33);
	assert_refused(bad, "text file");
	write_bytes(bad, "\x28\xb5\x2f\xfd", 4);
	assert_refused(bad, "zstd magic only");

	/* a folder, a symlink and a missing file are refused at open */
	sb_reset(&why);
	ck_assert_int_eq(bundle_open(dir, &ring, &b, &why), ES_REFUSED);
	ck_assert_ptr_null(b);
	ck_assert_str_eq(why.buf, "cannot open: not a regular file");
	{
		char *ln = xpath(dir, "link.bundle");

		ck_assert_int_eq(symlink(path, ln), 0);
		sb_reset(&why);
		ck_assert_int_eq(bundle_open(ln, &ring, &b, &why), ES_REFUSED);
		ck_assert_ptr_null(b);
		ck_assert_str_eq(why.buf, "cannot open: not a regular file");
		free(ln);
	}
	{
		char *none = xpath(dir, "none.bundle");

		sb_reset(&why);
		ck_assert_int_eq(bundle_open(none, &ring, &b, &why), ES_NOINPUT);
		ck_assert_ptr_null(b);
		free(none);
	}
	free(orig);
	mf_free(&head);
	mdefs_free(m, 3);
	free(path);
	free(bad);
	sb_release(&why);
}
END_TEST

/* ---------------- hand-made archives ---------------- */

enum ekind { E_FILE, E_SYMLINK, E_DIR, E_HARDLINK, E_CHR, E_FIFO };

struct ent {
	char name[128];
	enum ekind kind;
	struct sb data;
	unsigned perm;
	time_t mtime;
	int uid;
	const char *uname;	/* or NULL */
	const char *gname;
};

struct handmade {
	struct manifest m;
	struct sb mtext, sig;
	struct ent e[12];
	size_t n;
};

static la_ssize_t sb_write_cb(struct archive *a, void *ud, const void *p, size_t n)
{
	(void)a;
	sb_add(ud, p, n);
	return (la_ssize_t)n;
}

/* tar the entries into out (libarchive ustar, uncompressed) */
static void tar_entries(const struct ent *e, size_t n, struct sb *out)
{
	struct archive *a = archive_write_new();
	size_t i;

	ck_assert_int_eq(archive_write_set_format_ustar(a), ARCHIVE_OK);
	/* as bw_finish: the last block is not padded */
	ck_assert_int_eq(archive_write_set_bytes_in_last_block(a, 1), ARCHIVE_OK);
	ck_assert_int_eq(archive_write_open(a, out, NULL, sb_write_cb, NULL), ARCHIVE_OK);
	for (i = 0; i < n; i++) {
		struct archive_entry *x = archive_entry_new();

		archive_entry_set_pathname(x, e[i].name);
		archive_entry_set_perm(x, e[i].perm);
		archive_entry_set_mtime(x, e[i].mtime, 0);
		archive_entry_set_uid(x, e[i].uid);
		archive_entry_set_gid(x, 0);
		if (e[i].uname)
			archive_entry_set_uname(x, e[i].uname);
		if (e[i].gname)
			archive_entry_set_gname(x, e[i].gname);
		switch (e[i].kind) {
		case E_FILE:
			archive_entry_set_filetype(x, AE_IFREG);
			archive_entry_set_size(x, (la_int64_t)e[i].data.len);
			break;
		case E_SYMLINK:
			archive_entry_set_filetype(x, AE_IFLNK);
			archive_entry_set_symlink(x, "/etc/passwd");
			archive_entry_set_size(x, 0);
			break;
		case E_DIR:
			archive_entry_set_filetype(x, AE_IFDIR);
			archive_entry_set_size(x, 0);
			break;
		case E_HARDLINK:
			archive_entry_set_filetype(x, AE_IFREG);
			archive_entry_set_hardlink(x, "manifest");
			archive_entry_set_size(x, 0);
			break;
		case E_CHR:
			archive_entry_set_filetype(x, AE_IFCHR);
			archive_entry_set_rdevmajor(x, 1);
			archive_entry_set_rdevminor(x, 3);
			archive_entry_set_size(x, 0);
			break;
		case E_FIFO:
			archive_entry_set_filetype(x, AE_IFIFO);
			archive_entry_set_size(x, 0);
			break;
		}
		ck_assert_int_eq(archive_write_header(a, x), ARCHIVE_OK);
		if (e[i].kind == E_FILE && e[i].data.len)
			ck_assert_int_eq(archive_write_data(a, e[i].data.buf, e[i].data.len),
					 (la_ssize_t)e[i].data.len);
		archive_entry_free(x);
	}
	ck_assert_int_eq(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
}

static void zstd_file(const char *path, const struct sb *raw)
{
	ZSTD_CCtx *c = ZSTD_createCCtx();
	size_t cap = ZSTD_compressBound(raw->len), n;
	char *z = xmalloc(cap);

	ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
	n = ZSTD_compress2(c, z, cap, raw->buf, raw->len);
	ck_assert(!ZSTD_isError(n));
	write_bytes(path, z, n);
	/* Sealed by a trusted key like a real bundle, so that what is tested
	 * is what lies beyond the seal. */
	ck_assert_int_eq(bundle_seal_file(path, kd), 0);
	free(z);
	ZSTD_freeCCtx(c);
}

static void ent_set(struct ent *e, const char *name, const char *data, size_t n)
{
	snprintf(e->name, sizeof e->name, "%s", name);
	e->kind = E_FILE;
	sb_reset(&e->data);
	sb_add(&e->data, data, n);
	e->perm = 0600;
	e->mtime = 0;
	e->uid = 0;
	e->uname = NULL;
	e->gname = NULL;
}

/*
 * Sign h->m with k into mtext and sig, the signature naming key id, and
 * make entries 0 and 1 of them.
 */
static void hm_sign_as(struct handmade *h, const struct key_secret *k,
		       const unsigned char id[KEY_ID_BYTES])
{
	unsigned char s[KEY_SIG_BYTES];
	char idhex[2 * KEY_ID_BYTES + 1];

	sb_reset(&h->mtext);
	sb_reset(&h->sig);
	mf_encode(&h->m, &h->mtext);
	key_sign(k, h->mtext.buf, h->mtext.len, s);
	key_id_hex(id, idhex);
	sb_addf(&h->sig, "ed25519 %s ", idhex);
	sb_addhex(&h->sig, s, sizeof s);
	sb_addch(&h->sig, '\n');
	ck_assert_uint_eq(h->sig.len, BUNDLE_SIG_BYTES);
	ent_set(&h->e[0], "manifest", h->mtext.buf, h->mtext.len);
	ent_set(&h->e[1], "manifest.sig", h->sig.buf, h->sig.len);
}

static void hm_sign(struct handmade *h, const struct key_secret *k)
{
	hm_sign_as(h, k, key_secret_public(k)->id);
}

/* A correct bundle of two members, made by hand: the base for the refusals. */
static void hm_init(struct handmade *h, const struct key_secret *k)
{
	static const char *const objects[] = { "PersonIdentity", "School" };
	static const char *const datas[] = { "personID\n1\n2\n", "schoolID,name\n7,West\n" };
	size_t i;

	memset(h, 0, sizeof *h);
	head_init(&h->m, "0042", "NV");
	h->m.format = 1;
	key_id_hex(key_secret_public(k)->id, h->m.key);
	for (i = 0; i < 2; i++) {
		struct mf_member *mm = mf_add_member(&h->m);

		snprintf(mm->object, sizeof mm->object, "%s", objects[i]);
		mm->type = MF_RECORDS;
		mm->complete = 1;
		mf_member_name(mm->name, sizeof mm->name, objects[i], MF_RECORDS);
		mm->bytes = strlen(datas[i]);
		mm->rows = i ? 1 : 2;
		crypto_generichash(mm->blake2b, 32, (const unsigned char *)datas[i],
				   strlen(datas[i]), NULL, 0);
		ent_set(&h->e[2 + i], mm->name, datas[i], strlen(datas[i]));
	}
	h->n = 4;
	hm_sign(h, k);
}

static void hm_write(struct handmade *h, const char *path)
{
	struct sb raw = SB_INIT;

	tar_entries(h->e, h->n, &raw);
	zstd_file(path, &raw);
	sb_release(&raw);
}

static void hm_free(struct handmade *h)
{
	size_t i;

	for (i = 0; i < 12; i++)
		sb_release(&h->e[i].data);
	sb_release(&h->mtext);
	sb_release(&h->sig);
	mf_free(&h->m);
}

/* The result and reason for the hand-made bundle. */
static es_status hm_result(struct handmade *h, struct sb *why, int *opened)
{
	char *path = xpath(dir, "hm.bundle");
	es_status st;

	hm_write(h, path);
	st = open_and_check(path, &ring, why, opened);
	free(path);
	return st;
}

START_TEST(test_handmade_good_is_accepted)
{
	struct handmade h;
	struct sb why = SB_INIT;
	int opened;

	/* the hand-made base is accepted, so each refusal below is about its change */
	hm_init(&h, kd);
	ck_assert_int_eq(hm_result(&h, &why, &opened), ES_OK);
	ck_assert_int_eq(opened, 1);
	hm_free(&h);
	sb_release(&why);
}
END_TEST

struct hm_case {
	const char *what;
	int at_open;		/* refused by bundle_open (else by check_members) */
	es_status st;
	const char *why;
};

static const struct hm_case hm_cases[] = {
	{ "member named ../x", 0, ES_REFUSED,
	  "archive holds a member whose name is not a flat file name" },
	{ "symlink member", 0, ES_REFUSED, "archive member PersonIdentity.csv is not a regular file" },
	{ "hard link member", 0, ES_REFUSED, "archive member PersonIdentity.csv is not a regular file" },
	{ "folder member", 0, ES_REFUSED,	/* tar names a folder "School.csv/" */
	  "archive holds a member whose name is not a flat file name" },
	{ "extra member", 0, ES_REFUSED, "archive holds a member the manifest does not list: extra.csv" },
	{ "members out of order", 0, ES_REFUSED,
	  "archive member School.csv is not the manifest's member PersonIdentity.csv" },
	{ "member missing", 0, ES_REFUSED, "member School.csv is missing from the archive" },
	{ "member altered, same size", 0, ES_REFUSED,
	  "member School.csv does not match its hash in the manifest: it was altered" },
	{ "member one byte longer", 0, ES_REFUSED, "member School.csv is 22 bytes, the manifest says 21" },
	{ "member mode 0644", 0, ES_REFUSED, "archive member School.csv has an altered header" },
	{ "member mtime set", 0, ES_REFUSED, "archive member School.csv has an altered header" },
	{ "member uid set", 0, ES_REFUSED, "archive member School.csv has an altered header" },
	{ "hidden member name", 0, ES_REFUSED,
	  "archive holds a member whose name is not a flat file name" },
	{ "member in a folder", 0, ES_REFUSED,
	  "archive holds a member whose name is not a flat file name" },
	{ "signature first", 1, ES_REFUSED, "not a bundle: the first member is not the manifest" },
	{ "no signature", 1, ES_REFUSED, "not a bundle: the second member is not the signature" },
	{ "manifest altered after signing", 1, ES_REFUSED, NULL /* names the key */ },
	{ "signature malformed", 1, ES_REFUSED, "signature member is malformed" },
	{ "manifest names another key", 1, ES_REFUSED,
	  "manifest names another key than the one that signed it" },
	{ "signed manifest that does not parse", 1, ES_DATA,
	  "manifest: [bundle] format: unsupported format version" },
	{ "manifest over the size bound", 1, ES_REFUSED,
	  "archive member manifest is larger than 65536 bytes" },
	{ "device member", 0, ES_REFUSED, "archive member School.csv is not a regular file" },
	{ "fifo member", 0, ES_REFUSED, "archive member School.csv is not a regular file" },
	{ "member with a user name", 0, ES_REFUSED, "archive member School.csv has an altered header" },
	{ "member with a group name", 0, ES_REFUSED, "archive member School.csv has an altered header" },
	{ "manifest with a user name", 1, ES_REFUSED, "archive member manifest has an altered header" },
};

START_TEST(test_handmade_refusals)
{
	const struct hm_case *t = &hm_cases[_i];
	struct handmade h;
	struct sb why = SB_INIT, want = SB_INIT;
	int opened;
	es_status st;

	hm_init(&h, kd);
	switch (_i) {
	case 0:
		snprintf(h.e[2].name, sizeof h.e[2].name, "../x");
		break;
	case 1:
		h.e[2].kind = E_SYMLINK;
		break;
	case 2:
		h.e[2].kind = E_HARDLINK;
		break;
	case 3:
		h.e[3].kind = E_DIR;
		break;
	case 4:
		ent_set(&h.e[4], "extra.csv", "x\n", 2);
		h.n = 5;
		break;
	case 5: {
		struct ent tmp = h.e[2];

		h.e[2] = h.e[3];
		h.e[3] = tmp;
		break;
	}
	case 6:
		h.n = 3;
		break;
	case 7:
		h.e[3].data.buf[h.e[3].data.len - 2] ^= 1;	/* "West" -> "Wesu" */
		break;
	case 8:
		sb_addch(&h.e[3].data, '\n');
		break;
	case 9:
		h.e[3].perm = 0644;
		break;
	case 10:
		h.e[3].mtime = 1700000000;
		break;
	case 11:
		h.e[3].uid = 1000;
		break;
	case 12:
		snprintf(h.e[3].name, sizeof h.e[3].name, ".School.csv");
		break;
	case 13:
		snprintf(h.e[3].name, sizeof h.e[3].name, "sub/School.csv");
		break;
	case 14: {
		struct ent tmp = h.e[0];

		h.e[0] = h.e[1];
		h.e[1] = tmp;
		break;
	}
	case 15:
		sb_release(&h.e[1].data);
		h.e[1] = h.e[2];
		h.e[2] = h.e[3];
		memset(&h.e[3], 0, sizeof h.e[3]);
		h.n = 3;
		break;
	case 16:
		h.e[0].data.buf[h.e[0].data.len - 3] ^= 1;	/* in a blake2b value */
		sb_addf(&want, "signature by key %s does not hold: the manifest was altered",
			h.m.key);
		break;
	case 17:
		h.e[1].data.buf[7] = '_';	/* "ed25519_" */
		break;
	case 18:
		/* signed by kd and the signature says so, but the manifest names ko */
		key_id_hex(key_secret_public(ko)->id, h.m.key);
		hm_sign_as(&h, kd, key_secret_public(kd)->id);
		break;
	case 19:
		h.m.format = 2;
		hm_sign(&h, kd);
		break;
	case 20: {
		char *big = xmalloc(MF_MAX_BYTES + 1);

		memset(big, '\n', MF_MAX_BYTES + 1);
		ent_set(&h.e[0], "manifest", big, MF_MAX_BYTES + 1);
		free(big);
		break;
	}
	case 21:
		h.e[3].kind = E_CHR;
		break;
	case 22:
		h.e[3].kind = E_FIFO;
		break;
	case 23:
		h.e[3].uname = "root";
		break;
	case 24:
		h.e[3].gname = "wheel";
		break;
	case 25:
		h.e[0].uname = "x";
		break;
	default:
		ck_abort_msg("no such case");
	}
	st = hm_result(&h, &why, &opened);
	ck_assert_msg(st == t->st, "%s: status %d (%s), want %d", t->what, st, why.buf, t->st);
	ck_assert_msg(opened == !t->at_open, "%s: refused at the wrong step", t->what);
	if (t->why) {
		sb_reset(&want);
		sb_addstr(&want, t->why);
	}
	ck_assert_msg(!strcmp(why.buf, want.buf), "%s: '%s', want '%s'", t->what, why.buf,
		      want.buf);
	hm_free(&h);
	sb_release(&why);
	sb_release(&want);
}
END_TEST

START_TEST(test_bytes_after_the_archive_end)
{
	/* After the two end-of-archive blocks, inside the same checked frame */
	struct handmade h;
	struct sb raw = SB_INIT, why = SB_INIT, hidden = SB_INIT;
	char *path = xpath(dir, "tail.bundle");
	int opened;
	size_t i;

	hm_init(&h, kd);
	tar_entries(h.e, h.n, &raw);
	ck_assert_uint_eq(raw.len % 512, 0);
	zstd_file(path, &raw);
	ck_assert_int_eq(open_and_check(path, &ring, &why, &opened), ES_OK);
	tar_entries(&h.e[2], 1, &hidden);	/* a whole tar of one more member */
	for (i = 0; i < 3; i++) {
		struct sb t = SB_INIT;

		sb_add(&t, raw.buf, raw.len);
		if (i == 0)
			sb_addstr(&t, "hello");
		else if (i == 1)
			sb_add(&t, hidden.buf, hidden.len);
		else
			sb_add(&t, hidden.buf + hidden.len - 512, 512);	/* zeros */
		zstd_file(path, &t);
		ck_assert_int_eq(open_and_check(path, &ring, &why, &opened), ES_REFUSED);
		ck_assert_int_eq(opened, 1);
		ck_assert_str_eq(why.buf, "bytes follow the end of the archive");
		sb_release(&t);
	}
	hm_free(&h);
	free(path);
	sb_release(&raw);
	sb_release(&hidden);
	sb_release(&why);
}
END_TEST

/* ---------------- archive bombs ---------------- */

/*
 * A zstd frame made by hand (RFC 8878): prefix as raw blocks, then `zeros`
 * zero bytes as RLE blocks of 128 KiB (4 bytes each), then the last block.
 * 64 GiB of zeros costs 2 MiB of file.
 */
static void block_header(struct sb *z, uint32_t size, unsigned type, int last)
{
	uint32_t h = (size << 3) | (type << 1) | (last ? 1u : 0u);
	unsigned char b[3] = { (unsigned char)h, (unsigned char)(h >> 8), (unsigned char)(h >> 16) };

	sb_add(z, b, 3);
}

static void rle_bomb_file(const char *path, const struct sb *prefix, uint64_t zeros)
{
	struct sb z = SB_INIT;
	size_t off = 0;

	/* magic; descriptor: no content size, no checksum; window 2^17 */
	sb_add(&z, "\x28\xb5\x2f\xfd\x00\x38", 6);
	while (off < prefix->len) {
		size_t n = prefix->len - off < 131072 ? prefix->len - off : 131072;

		block_header(&z, (uint32_t)n, 0, 0);
		sb_add(&z, prefix->buf + off, n);
		off += n;
	}
	while (zeros) {
		uint32_t n = zeros < 131072 ? (uint32_t)zeros : 131072;

		zeros -= n;
		block_header(&z, n, 1, zeros == 0);
		sb_addch(&z, '\0');
	}
	write_bytes(path, z.buf, z.len);
	ck_assert_int_eq(bundle_seal_file(path, kd), 0);
	sb_release(&z);
}

struct capture {
	struct sb *out;
	int closed;	/* refuse further writes: the huge entry is never written */
};

static la_ssize_t capture_cb(struct archive *a, void *ud, const void *p, size_t n)
{
	struct capture *c = ud;

	if (c->closed) {
		archive_set_error(a, EIO, "stop");
		return -1;
	}
	sb_add(c->out, p, n);
	return (la_ssize_t)n;
}

/*
 * The tar stream up to and including the header of a last entry of `size`
 * bytes (pax, so sizes over 8 GiB can be said); its data is not written.
 */
static void tar_prefix(const struct ent *e, size_t n, const char *huge_name, uint64_t size,
		       struct sb *out)
{
	struct archive *a = archive_write_new();
	struct capture c = { out, 0 };
	struct archive_entry *x;
	size_t i;

	ck_assert_int_eq(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
	ck_assert_int_eq(archive_write_set_bytes_per_block(a, 0), ARCHIVE_OK);
	ck_assert_int_eq(archive_write_open(a, &c, NULL, capture_cb, NULL), ARCHIVE_OK);
	for (i = 0; i < n; i++) {
		x = archive_entry_new();
		archive_entry_set_pathname(x, e[i].name);
		archive_entry_set_filetype(x, AE_IFREG);
		archive_entry_set_perm(x, 0600);
		archive_entry_set_mtime(x, 0, 0);
		archive_entry_set_size(x, (la_int64_t)e[i].data.len);
		ck_assert_int_eq(archive_write_header(a, x), ARCHIVE_OK);
		ck_assert_int_eq(archive_write_data(a, e[i].data.buf, e[i].data.len),
				 (la_ssize_t)e[i].data.len);
		archive_entry_free(x);
	}
	x = archive_entry_new();
	archive_entry_set_pathname(x, huge_name);
	archive_entry_set_filetype(x, AE_IFREG);
	archive_entry_set_perm(x, 0600);
	archive_entry_set_mtime(x, 0, 0);
	archive_entry_set_size(x, (la_int64_t)size);
	ck_assert_int_eq(archive_write_header(a, x), ARCHIVE_OK);
	archive_entry_free(x);
	c.closed = 1;
	archive_write_free(a);	/* fails to pad the entry: nothing more is written */
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define BOMB_SIZE (UINT64_C(64) << 30)
#define BOMB_ZEROS (BOMB_SIZE + 1024)	/* the data, then the end-of-archive blocks */

START_TEST(test_bomb_member)
{
	struct handmade h;
	struct sb prefix = SB_INIT, why = SB_INIT, want = SB_INIT;
	char *path = xpath(dir, "bomb.bundle");
	double t0, t;
	int opened;
	es_status st;

	/* the manifest declares PersonIdentity.csv of 13 bytes; its entry is 64 GiB */
	hm_init(&h, kd);
	tar_prefix(h.e, 2, "PersonIdentity.csv", BOMB_SIZE, &prefix);
	rle_bomb_file(path, &prefix, BOMB_ZEROS);
	t0 = now();
	st = open_and_check(path, &ring, &why, &opened);
	t = now() - t0;
	ck_assert_int_eq(opened, 1);	/* manifest and signature are fine */
	ck_assert_int_eq(st, ES_REFUSED);
	sb_addf(&want, "member PersonIdentity.csv is %" PRIu64 " bytes, the manifest says 13",
		BOMB_SIZE);
	ck_assert_str_eq(why.buf, want.buf);
	ck_assert_msg(t < 1.0, "took %.2f s: the bomb was decompressed", t);
	/* and bundle_each_member refuses it the same way, without calling back */
	{
		struct bundle *b = NULL;
		struct collected c;

		memset(&c, 0, sizeof c);
		c.fail_at = -1;
		sb_reset(&why);
		t0 = now();
		ck_assert_int_eq(bundle_open(path, &ring, &b, &why), ES_OK);
		ck_assert_int_eq(bundle_each_member(b, collect, &c, &why), ES_REFUSED);
		ck_assert_msg(now() - t0 < 1.0, "each_member decompressed the bomb");
		ck_assert_uint_eq(c.n, 0);
		ck_assert_str_eq(why.buf, want.buf);
		bundle_close(b);
		collected_free(&c);
	}
	hm_free(&h);
	free(path);
	sb_release(&prefix);
	sb_release(&why);
	sb_release(&want);
}
END_TEST

START_TEST(test_bomb_manifest)
{
	struct sb prefix = SB_INIT, why = SB_INIT;
	char *path = xpath(dir, "bomb.bundle");
	double t0;
	int opened;

	/* the first entry, "manifest", is 64 GiB of zeros */
	tar_prefix(NULL, 0, "manifest", BOMB_SIZE, &prefix);
	rle_bomb_file(path, &prefix, BOMB_ZEROS);
	t0 = now();
	ck_assert_int_eq(open_and_check(path, &ring, &why, &opened), ES_REFUSED);
	ck_assert_msg(now() - t0 < 1.0, "the manifest bomb was decompressed");
	ck_assert_int_eq(opened, 0);
	ck_assert_str_eq(why.buf, "archive member manifest is larger than 65536 bytes");
	free(path);
	sb_release(&prefix);
	sb_release(&why);
}
END_TEST

START_TEST(test_bomb_after_the_archive)
{
	/* A correct archive, then 64 GiB of zeros inside the same frame. */
	struct handmade h;
	struct sb raw = SB_INIT, why = SB_INIT;
	char *path = xpath(dir, "bomb.bundle");
	double t0, t;
	int opened;
	es_status st;

	hm_init(&h, kd);
	tar_entries(h.e, h.n, &raw);
	rle_bomb_file(path, &raw, BOMB_ZEROS);
	t0 = now();
	st = open_and_check(path, &ring, &why, &opened);
	t = now() - t0;
	ck_assert_int_eq(opened, 1);
	ck_assert_msg(st == ES_REFUSED, "status %d (%s)", st, why.buf);
	ck_assert_str_eq(why.buf,
			 "archive is damaged: decompresses to more than its manifest declares");
	ck_assert_msg(t < 1.0, "took %.2f s: the zeros were decompressed", t);
	hm_free(&h);
	free(path);
	sb_release(&raw);
	sb_release(&why);
}
END_TEST

/* ---------------- names ---------------- */

START_TEST(test_file_names)
{
	static const char *const bad[] = {
		"0042-17-resync.bundle", "0042-00000000170-resync.bundle", "0042_0000000017-resync.bundle",
		"-0000000017-resync.bundle", "00a2-0000000017-resync.bundle",
		"12345678901234567-0000000017-resync.bundle", "0042-0000000017resync.bundle", "",
	};
	char name[128], district[MF_ID_MAX + 1];
	uint64_t seq = 0;
	size_t i;

	bundle_file_name(name, sizeof name, "0042", 17, "resync");
	ck_assert_str_eq(name, "0042-0000000017-resync.bundle");
	ck_assert_int_eq(bundle_name_parse(name, district, sizeof district, &seq), 0);
	ck_assert_str_eq(district, "0042");
	ck_assert_uint_eq(seq, 17);
	bundle_file_name(name, sizeof name, "1234567890123456", 9999999999u, "digest");
	ck_assert_str_eq(name, "1234567890123456-9999999999-digest.bundle");
	ck_assert_int_eq(bundle_name_parse(name, district, sizeof district, &seq), 0);
	ck_assert_str_eq(district, "1234567890123456");
	ck_assert_uint_eq(seq, 9999999999u);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(bundle_name_parse(bad[i], district, sizeof district, &seq) == -1,
			      "'%s' parsed", bad[i]);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bundle");
	TCase *tc = tcase_create("bundle");
	SRunner *sr;
	int failed;

	if (sodium_init() < 0)
		return 1;
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_write_open_check_read);
	tcase_add_test(tc, test_empty_bundle);
	tcase_add_test(tc, test_untrusted_key);
	tcase_add_test(tc, test_key_of_another_district_or_state);
	tcase_add_test(tc, test_flipped_bytes);
	tcase_add_test(tc, test_every_byte_of_a_small_bundle);
	tcase_add_test(tc, test_truncated_extended_empty_foreign);
	tcase_add_test(tc, test_handmade_good_is_accepted);
	tcase_add_loop_test(tc, test_handmade_refusals, 0,
			    (int)(sizeof hm_cases / sizeof hm_cases[0]));
	tcase_add_test(tc, test_bytes_after_the_archive_end);
	tcase_add_test(tc, test_bomb_member);
	tcase_add_test(tc, test_bomb_manifest);
	tcase_add_test(tc, test_bomb_after_the_archive);
	tcase_add_test(tc, test_file_names);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
