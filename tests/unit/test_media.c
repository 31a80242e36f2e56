/* test_media.c - offline media (formats/media.h): round trips, chunk
 * boundaries, names, media built from the specification; every byte
 * flipped, every truncation, wrong recipient, an impostor key, a bad
 * signature and malformed records refused; an unknown sender told apart. */
#include "../../formats/keys.h"
#include "../../formats/media.h"
#include "../../util/sb.h"
#include "../../util/xalloc.h"
#include "helpers/testutil.h"

#include <check.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *dir;
static struct key_secret *district;	/* the sender */
static struct key_pub state_pub, other_pub, district_pub;
static struct media_key *state_key, *other_key;
static struct keyring trusted;		/* the state's: the district's key */

static void gen(const char *name, const char *role, const char *owner, struct key_pub *pub,
		char **sec_out)
{
	char *p = xasprintf("%s/%s.pub", dir, name);
	char *s = xasprintf("%s/%s.key", dir, name);
	struct sb err = SB_INIT;

	ck_assert_int_eq(key_generate(p, s, role, owner, "NV"), ES_OK);
	ck_assert_int_eq(key_load_public(p, pub, &err), ES_OK);
	free(p);
	*sec_out = s;
	sb_release(&err);
}

static void setup(void)
{
	struct sb err = SB_INIT;
	char *sec;

	dir = tu_tmpdir();
	gen("district", "district", "0042", &district_pub, &sec);
	ck_assert_int_eq(key_load_secret(sec, &district, &err), ES_OK);
	free(sec);
	gen("state", "state", "NV", &state_pub, &sec);
	ck_assert_int_eq(media_key_load(sec, &state_key, &err), ES_OK);
	ck_assert_mem_eq(media_key_public(state_key)->pk, state_pub.pk, 32);
	free(sec);
	gen("other", "state", "NV", &other_pub, &sec);
	ck_assert_int_eq(media_key_load(sec, &other_key, &err), ES_OK);
	free(sec);
	trusted.keys = NULL;
	trusted.n = 0;
	keyring_add(&trusted, &district_pub);
	sb_release(&err);
}

static void teardown(void)
{
	key_secret_free(district);
	media_key_free(state_key);
	media_key_free(other_key);
	keyring_free(&trusted);
	tu_rmtree(dir);
	free(dir);
}

struct file_in {
	const char *name;
	size_t size;
	unsigned char *data;
};

/* A media of files to `to`, written in uneven pieces; malloc'd bytes. */
static unsigned char *make_media(const struct key_pub *to, const struct file_in *f, size_t n,
				 size_t *len)
{
	char *path = xpath(dir, "out.media");
	struct media_writer *w;
	struct sb why = SB_INIT;
	unsigned char *m;
	size_t i;
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(media_writer_new(fd, to, district, &w, &why), ES_OK);
	for (i = 0; i < n; i++) {
		size_t off = 0, piece = 1;

		ck_assert_int_eq(media_add_begin(w, f[i].name, f[i].size, &why), ES_OK);
		while (off < f[i].size) {
			size_t k = f[i].size - off < piece ? f[i].size - off : piece;

			ck_assert_int_eq(media_add_write(w, f[i].data + off, k, &why), ES_OK);
			off += k;
			piece = piece * 3 + 7;
		}
	}
	ck_assert_uint_eq(media_writer_count(w), n);
	ck_assert_int_eq(media_writer_finish(w, &why), ES_OK);
	media_writer_free(w);
	ck_assert_int_eq(close(fd), 0);
	m = (unsigned char *)tu_read(path, len);
	free(path);
	sb_release(&why);
	return m;
}

struct got {
	size_t n;
	char names[8][MEDIA_NAME_MAX + 1];
	struct sb data[8];
	char sender[17];
};

static void got_free(struct got *g)
{
	size_t i;

	for (i = 0; i < 8; i++)
		sb_release(&g->data[i]);
}

/*
 * Read media bytes m[0..len) as `me` trusting kr; files into g (skip: the
 * index of a file not to read, only skipped); the status, why set.
 */
static es_status read_media(const unsigned char *m, size_t len, const struct media_key *me,
			    const struct keyring *kr, struct got *g, size_t skip, struct sb *why)
{
	char *path = tu_write(dir, "in.media", m, len);
	struct media_reader *r = NULL;
	es_status st;
	int fd = open(path, O_RDONLY);

	memset(g, 0, sizeof *g);
	ck_assert_int_ge(fd, 0);
	st = media_reader_open(fd, me, kr, &r, why);
	if (st == ES_OK)
		snprintf(g->sender, sizeof g->sender, "%s", media_sender(r)->owner);
	while (st == ES_OK) {
		const char *name;
		uint64_t size;

		st = media_next(r, &name, &size, why);
		if (st != ES_OK || !name)
			break;
		ck_assert_uint_lt(g->n, 8);
		snprintf(g->names[g->n], sizeof g->names[g->n], "%s", name);
		if (g->n != skip) {
			unsigned char buf[1000];
			size_t k;

			do {
				st = media_read(r, buf, sizeof buf, &k, why);
				sb_add(&g->data[g->n], buf, k);
			} while (st == ES_OK && k);
			if (st == ES_OK)
				ck_assert_uint_eq(g->data[g->n].len, size);
		}
		g->n++;
	}
	media_reader_free(r);
	close(fd);
	free(path);
	return st;
}

static unsigned char *random_bytes(size_t n)
{
	unsigned char *p = xmalloc(n ? n : 1);

	randombytes_buf(p, n);
	return p;
}

START_TEST(test_round_trip)
{
	char longname[MEDIA_NAME_MAX + 1];
	struct file_in f[4];
	struct got g;
	struct sb why = SB_INIT;
	unsigned char *m;
	size_t len, i;

	memset(longname, 'x', MEDIA_NAME_MAX);
	longname[MEDIA_NAME_MAX] = '\0';
	f[0] = (struct file_in){ "0042-0000000001-resync.bundle", 200000, random_bytes(200000) };
	f[1] = (struct file_in){ "empty", 0, random_bytes(0) };
	f[2] = (struct file_in){ longname, 100, random_bytes(100) };
	f[3] = (struct file_in){ "note_2.TXT", 65536, random_bytes(65536) };
	m = make_media(&state_pub, f, 4, &len);
	ck_assert_mem_eq(m, MEDIA_MAGIC, 16);
	ck_assert_mem_eq(m + 16, state_pub.id, KEY_ID_BYTES);
	/* nothing of the files in clear */
	ck_assert_ptr_null(memmem(m, len, "resync", 6));
	ck_assert_ptr_null(memmem(m, len, f[0].data + 1000, 16));
	ck_assert_int_eq(read_media(m, len, state_key, &trusted, &g, 99, &why), ES_OK);
	ck_assert_str_eq(why.buf ? why.buf : "", "");
	ck_assert_str_eq(g.sender, "0042");
	ck_assert_uint_eq(g.n, 4);
	for (i = 0; i < 4; i++) {
		ck_assert_str_eq(g.names[i], f[i].name);
		ck_assert_uint_eq(g.data[i].len, f[i].size);
		if (f[i].size)
			ck_assert_mem_eq(g.data[i].buf, f[i].data, f[i].size);
	}
	got_free(&g);
	/* a file left unread is skipped whole */
	ck_assert_int_eq(read_media(m, len, state_key, &trusted, &g, 0, &why), ES_OK);
	ck_assert_uint_eq(g.n, 4);
	ck_assert_mem_eq(g.data[3].buf, f[3].data, f[3].size);
	got_free(&g);
	/* no files at all */
	free(m);
	m = make_media(&state_pub, f, 0, &len);
	ck_assert_int_eq(read_media(m, len, state_key, &trusted, &g, 99, &why), ES_OK);
	ck_assert_uint_eq(g.n, 0);
	got_free(&g);
	for (i = 0; i < 4; i++)
		free(f[i].data);
	free(m);
	sb_release(&why);
}
END_TEST

/* Plaintext that ends just before, on and just after chunk boundaries. */
START_TEST(test_chunk_boundaries)
{
	/* plaintext: sender 9, file record 1+2+1+8, end 5 + 64 */
	const size_t fixed = 9 + 12 + 69;
	size_t base, s;

	for (base = MEDIA_CHUNK_MAX; base <= 2 * MEDIA_CHUNK_MAX; base += MEDIA_CHUNK_MAX) {
		for (s = base - fixed - 70; s <= base - fixed + 3; s++) {
			unsigned char *data = random_bytes(s), *m;
			struct file_in f = { "b", s, data };
			struct got g;
			struct sb why = SB_INIT;
			size_t len;

			m = make_media(&state_pub, &f, 1, &len);
			ck_assert_msg(read_media(m, len, state_key, &trusted, &g, 99, &why) == ES_OK,
				      "size %zu: %s", s, why.buf);
			ck_assert_uint_eq(g.n, 1);
			ck_assert_uint_eq(g.data[0].len, s);
			ck_assert_mem_eq(g.data[0].buf, data, s);
			got_free(&g);
			free(m);
			free(data);
			sb_release(&why);
		}
	}
}
END_TEST

START_TEST(test_names)
{
	static const char *const good[] = {
		"a", "0042-0000000001-resync.bundle", "A.b_c-d", "x.part1", "..a" + 2, "a..b"
	};
	static const char *const bad[] = {
		"", ".hidden", "..", "a/b", "a b", "x.part", "caf\xc3\xa9", "a\n", "a:b", "~a"
	};
	char longname[MEDIA_NAME_MAX + 2];
	size_t i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++)
		ck_assert_msg(media_name_ok(good[i]), "'%s' refused", good[i]);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(!media_name_ok(bad[i]), "'%s' accepted", bad[i]);
	memset(longname, 'n', sizeof longname - 1);
	longname[MEDIA_NAME_MAX] = '\0';
	ck_assert(media_name_ok(longname));
	longname[MEDIA_NAME_MAX] = 'n';
	longname[MEDIA_NAME_MAX + 1] = '\0';
	ck_assert(!media_name_ok(longname));
}
END_TEST

START_TEST(test_writer_refuses_a_bad_name_and_goes_on)
{
	char *path = xpath(dir, "out.media");
	struct media_writer *w;
	struct sb why = SB_INIT;
	struct got g;
	unsigned char *m;
	size_t len;
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	ck_assert_int_eq(media_writer_new(fd, &state_pub, district, &w, &why), ES_OK);
	ck_assert_int_eq(media_add_begin(w, "../etc/passwd", 1, &why), ES_DATA);
	ck_assert_str_eq(why.buf, "a name media cannot carry (1 to 255 of A-Z a-z 0-9 . _ -, "
			 "not starting with '.')");
	sb_reset(&why);
	ck_assert_int_eq(media_add_begin(w, "ok", 2, &why), ES_OK);
	ck_assert_int_eq(media_add_write(w, "hi", 2, &why), ES_OK);
	/* more than declared: a bug of the caller, and the writer stops */
	ck_assert_int_eq(media_add_write(w, "!", 1, &why), ES_SOFTWARE);
	ck_assert_int_eq(media_writer_finish(w, &why), ES_SOFTWARE);
	media_writer_free(w);
	close(fd);

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_eq(media_writer_new(fd, &state_pub, district, &w, &why), ES_OK);
	ck_assert_int_eq(media_add_begin(w, "bad name", 1, &why), ES_DATA);
	ck_assert_int_eq(media_add_begin(w, "ok", 2, &why), ES_OK);
	ck_assert_int_eq(media_add_write(w, "hi", 2, &why), ES_OK);
	ck_assert_int_eq(media_writer_finish(w, &why), ES_OK);
	media_writer_free(w);
	close(fd);
	m = (unsigned char *)tu_read(path, &len);
	ck_assert_int_eq(read_media(m, len, state_key, &trusted, &g, 99, &why), ES_OK);
	ck_assert_uint_eq(g.n, 1);
	ck_assert_str_eq(g.names[0], "ok");
	ck_assert_mem_eq(g.data[0].buf, "hi", 2);
	got_free(&g);
	free(m);
	free(path);
	sb_release(&why);
}
END_TEST

START_TEST(test_add_fd)
{
	unsigned char *data = random_bytes(150000);
	char *src = tu_write(dir, "src", data, 150000);
	char *path = xpath(dir, "out.media");
	struct media_writer *w;
	struct sb why = SB_INIT;
	struct got g;
	unsigned char *m;
	size_t len;
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600), in = open(src, O_RDONLY);

	ck_assert_int_eq(media_writer_new(fd, &state_pub, district, &w, &why), ES_OK);
	ck_assert_int_eq(media_add_fd(w, "src", in, &why), ES_OK);
	ck_assert_int_eq(media_writer_finish(w, &why), ES_OK);
	media_writer_free(w);
	close(fd);
	close(in);
	m = (unsigned char *)tu_read(path, &len);
	ck_assert_int_eq(read_media(m, len, state_key, &trusted, &g, 99, &why), ES_OK);
	ck_assert_uint_eq(g.n, 1);
	ck_assert_uint_eq(g.data[0].len, 150000);
	ck_assert_mem_eq(g.data[0].buf, data, 150000);
	got_free(&g);
	free(m);
	free(data);
	free(src);
	free(path);
	sb_release(&why);
}
END_TEST

/* A small media: every bit position of every byte flipped is refused. */
START_TEST(test_every_byte_flipped)
{
	unsigned char d1[] = "first", d2[] = "second file";
	struct file_in f[2] = { { "a.bundle", 5, d1 }, { "b.bundle", 11, d2 } };
	size_t len, i;
	unsigned char *m = make_media(&state_pub, f, 2, &len);

	for (i = 0; i < len; i++) {
		struct got g;
		struct sb why = SB_INIT;
		es_status st, want = i >= 16 && i < 24 ? ES_REFUSED : ES_DATA;

		m[i] ^= (unsigned char)(1u << (i % 8));
		st = read_media(m, len, state_key, &trusted, &g, 99, &why);
		ck_assert_msg(st == want, "byte %zu: status %d (%s)", i, st, why.buf);
		ck_assert_uint_gt(why.len, 0);
		m[i] ^= (unsigned char)(1u << (i % 8));
		got_free(&g);
		sb_release(&why);
	}
	free(m);
}
END_TEST

START_TEST(test_every_truncation)
{
	unsigned char d1[] = "first";
	struct file_in f = { "a.bundle", 5, d1 };
	size_t len, i;
	unsigned char *m = make_media(&state_pub, &f, 1, &len);

	for (i = 0; i < len; i++) {
		struct got g;
		struct sb why = SB_INIT;
		char *want = NULL;

		ck_assert_msg(read_media(m, i, state_key, &trusted, &g, 99, &why) == ES_DATA,
			      "%zu bytes accepted", i);
		if (i < 16)
			want = xstrdup("not an edsync media file");
		else if (i < MEDIA_HEADER_BYTES)
			want = xasprintf("truncated: it ends at byte %zu, inside its header", i);
		else if (i == MEDIA_HEADER_BYTES)
			want = xstrdup("truncated: it ends at byte 128, before its last chunk");
		else
			want = xasprintf("truncated: it ends at byte %zu, inside chunk 1", i);
		ck_assert_str_eq(why.buf, want);
		free(want);
		got_free(&g);
		sb_release(&why);
	}
	free(m);
}
END_TEST

START_TEST(test_bytes_after_the_end)
{
	unsigned char d1[] = "first";
	struct file_in f = { "a.bundle", 5, d1 };
	struct got g;
	struct sb why = SB_INIT;
	size_t len;
	unsigned char *m = make_media(&state_pub, &f, 1, &len);

	m = xrealloc(m, len + 1);
	m[len] = 0;
	ck_assert_int_eq(read_media(m, len + 1, state_key, &trusted, &g, 99, &why), ES_DATA);
	ck_assert_str_eq(why.buf, "damaged: there are bytes after its last chunk");
	ck_assert_uint_eq(g.n, 1);	/* read, but the end never held */
	got_free(&g);
	free(m);
	sb_release(&why);
}
END_TEST

START_TEST(test_wrong_recipient)
{
	unsigned char d1[] = "first";
	struct file_in f = { "a.bundle", 5, d1 };
	struct got g;
	struct sb why = SB_INIT;
	char a[17], b[17], *want;
	size_t len;
	unsigned char *m = make_media(&other_pub, &f, 1, &len);

	ck_assert_int_eq(read_media(m, len, state_key, &trusted, &g, 99, &why), ES_REFUSED);
	key_id_hex(other_pub.id, a);
	key_id_hex(state_pub.id, b);
	want = xasprintf("made for key %s, not for this home's key %s", a, b);
	ck_assert_str_eq(why.buf, want);
	ck_assert_uint_eq(g.n, 0);
	/* the other key opens it */
	sb_reset(&why);
	ck_assert_int_eq(read_media(m, len, other_key, &trusted, &g, 99, &why), ES_OK);
	ck_assert_uint_eq(g.n, 1);
	got_free(&g);
	/* a sealed key that does not open for the key the header names */
	memcpy(m + 16, state_pub.id, KEY_ID_BYTES);
	sb_reset(&why);
	ck_assert_int_eq(read_media(m, len, state_key, &trusted, &g, 99, &why), ES_DATA);
	ck_assert_str_eq(why.buf, "damaged: its sealed key does not open");
	free(want);
	free(m);
	sb_release(&why);
}
END_TEST

START_TEST(test_untrusted_sender)
{
	unsigned char d1[] = "first";
	struct file_in f = { "a.bundle", 5, d1 };
	struct keyring none = { NULL, 0 };
	char *path;
	struct media_reader *r;
	struct sb why = SB_INIT;
	const char *name;
	uint64_t size;
	size_t len;
	unsigned char *m = make_media(&state_pub, &f, 1, &len);
	int fd;

	/* not refused: the caller decides; the key is known by its id */
	path = tu_write(dir, "in.media", m, len);
	fd = open(path, O_RDONLY);
	ck_assert_int_eq(media_reader_open(fd, state_key, &none, &r, &why), ES_OK);
	ck_assert_int_eq(media_sender_trusted(r), 0);
	ck_assert_mem_eq(media_sender(r)->id, district_pub.id, KEY_ID_BYTES);
	ck_assert_mem_eq(media_sender(r)->pk, district_pub.pk, 32);
	ck_assert_str_eq(media_sender(r)->role, "");
	ck_assert_int_eq(media_next(r, &name, &size, &why), ES_OK);
	ck_assert_str_eq(name, "a.bundle");
	ck_assert_int_eq(media_next(r, &name, &size, &why), ES_OK);
	ck_assert_ptr_null(name);
	media_reader_free(r);
	close(fd);
	/* trusted: the pinned key, role and owner */
	lseek(fd = open(path, O_RDONLY), 0, SEEK_SET);
	ck_assert_int_eq(media_reader_open(fd, state_key, &trusted, &r, &why), ES_OK);
	ck_assert_int_eq(media_sender_trusted(r), 1);
	ck_assert_str_eq(media_sender(r)->role, "district");
	ck_assert_str_eq(media_sender(r)->owner, "0042");
	media_reader_free(r);
	close(fd);
	free(path);
	free(m);
	sb_release(&why);
}
END_TEST

/* Another key under the id of the pinned one: refused. */
START_TEST(test_impostor_key)
{
	unsigned char d1[] = "first";
	struct file_in f = { "a.bundle", 5, d1 };
	struct keyring fake = { NULL, 0 };
	struct key_pub k = district_pub;
	struct got g;
	struct sb why = SB_INIT;
	char id[17], *want;
	size_t len;
	unsigned char *m = make_media(&state_pub, &f, 1, &len);

	memcpy(k.pk, other_pub.pk, sizeof k.pk);
	keyring_add(&fake, &k);
	ck_assert_int_eq(read_media(m, len, state_key, &fake, &g, 99, &why), ES_REFUSED);
	key_id_hex(district_pub.id, id);
	want = xasprintf("sent by a key that claims the id %s of a pinned key, but is another "
			 "key", id);
	ck_assert_str_eq(why.buf, want);
	free(want);
	got_free(&g);
	keyring_free(&fake);
	free(m);
	sb_release(&why);
}
END_TEST

/*
 * Media built here from the specification (docs/FORMATS.md), not by the
 * writer: plaintext records, cut into chunks of `chunk` bytes, the last
 * tagged FINAL unless no_final.
 */
static unsigned char *wrap(const struct sb *pt, size_t chunk, int no_final, size_t *len)
{
	struct sb out = SB_INIT;
	unsigned char key[32], xpk[32], head[128], *ct = xmalloc(chunk + 17);
	crypto_secretstream_xchacha20poly1305_state ss;
	size_t off = 0;

	memcpy(head, "edsync media v1\n", 16);
	memcpy(head + 16, state_pub.id, 8);
	crypto_secretstream_xchacha20poly1305_keygen(key);
	ck_assert_int_eq(crypto_sign_ed25519_pk_to_curve25519(xpk, state_pub.pk), 0);
	crypto_box_seal(head + 24, key, 32, xpk);
	crypto_secretstream_xchacha20poly1305_init_push(&ss, head + 104, key);
	sb_add(&out, head, sizeof head);
	do {
		size_t n = pt->len - off < chunk ? pt->len - off : chunk;
		int last = off + n == pt->len;
		unsigned long long clen;
		unsigned char l[4];

		crypto_secretstream_xchacha20poly1305_push(&ss, ct, &clen,
			(const unsigned char *)pt->buf + off, n, off ? NULL : head, off ? 0 : 128,
			last && !no_final ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
		l[0] = (unsigned char)clen;
		l[1] = (unsigned char)(clen >> 8);
		l[2] = (unsigned char)(clen >> 16);
		l[3] = (unsigned char)(clen >> 24);
		sb_add(&out, l, 4);
		sb_add(&out, ct, (size_t)clen);
		off += n;
	} while (off < pt->len);
	free(ct);
	*len = out.len;
	return (unsigned char *)sb_detach(&out);
}

static void le(struct sb *s, uint64_t v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sb_addch(s, (char)(v >> (8 * i)));
}

static void rec_sender(struct sb *pt)
{
	sb_addch(pt, 'S');
	sb_add(pt, district_pub.pk, 32);
}

static void rec_file(struct sb *pt, const char *name, const char *data)
{
	sb_addch(pt, 'F');
	le(pt, strlen(name), 2);
	sb_addstr(pt, name);
	le(pt, strlen(data), 8);
	sb_addstr(pt, data);
}

/* The end record, signed as the specification says (bad: a wrong one). */
static void rec_end(struct sb *pt, uint64_t count, int bad)
{
	unsigned char h[32], sig[64];
	struct sb msg = SB_INIT;

	sb_addch(pt, 'E');
	le(pt, count, 4);
	crypto_generichash(h, sizeof h, (const unsigned char *)pt->buf, pt->len, NULL, 0);
	sb_addstr(&msg, "edsync media signature 1\n");
	sb_add(&msg, state_pub.id, 8);
	sb_add(&msg, h, 32);
	key_sign(district, msg.buf, msg.len, sig);
	if (bad)
		sig[7] ^= 1;
	sb_add(pt, sig, 64);
	sb_release(&msg);
}

START_TEST(test_built_from_the_specification)
{
	struct sb pt = SB_INIT, why = SB_INIT;
	struct got g;
	unsigned char *m;
	size_t len, chunk;

	rec_sender(&pt);
	rec_file(&pt, "one.bundle", "1234567890");
	rec_file(&pt, "two", "");
	rec_end(&pt, 2, 0);
	/* records cut anywhere by chunks of any size */
	for (chunk = 1; chunk <= pt.len; chunk += chunk < 20 ? 1 : 37) {
		m = wrap(&pt, chunk, 0, &len);
		ck_assert_msg(read_media(m, len, state_key, &trusted, &g, 99, &why) == ES_OK,
			      "chunks of %zu: %s", chunk, why.buf);
		ck_assert_uint_eq(g.n, 2);
		ck_assert_str_eq(g.names[0], "one.bundle");
		ck_assert_mem_eq(g.data[0].buf, "1234567890", 10);
		ck_assert_str_eq(g.names[1], "two");
		ck_assert_uint_eq(g.data[1].len, 0);
		got_free(&g);
		free(m);
	}
	sb_release(&pt);
	sb_release(&why);
}
END_TEST

struct bad_pt {
	const char *what;
	int case_no;
	es_status st;
	const char *why;
};

static const struct bad_pt bad_pts[] = {
	{ "signature", 0, ES_REFUSED, "the sender's signature does not hold" },
	{ "count", 1, ES_DATA, "damaged: its end counts 2 files, it holds 1" },
	{ "unknown record", 2, ES_DATA, "damaged: an unknown record after file 1" },
	{ "no sender first", 3, ES_DATA, "damaged: it does not name its sender first" },
	{ "name with a slash", 4, ES_DATA, "damaged: file 1 has a name media cannot carry" },
	{ "name of 0 bytes", 5, ES_DATA, "damaged: file 1 has a name of 0 bytes" },
	{ "more after the end", 6, ES_DATA, "damaged: there is more after its end record" },
	{ "no FINAL chunk", 7, ES_DATA, "damaged: its end record is not in its last chunk" },
	{ "a record past FINAL", 8, ES_DATA, "damaged: its records run past its last chunk" },
	{ "a dot name", 9, ES_DATA, "damaged: file 1 has a name media cannot carry" },
};

START_TEST(test_bad_plaintext)
{
	const struct bad_pt *t = &bad_pts[_i];
	struct sb pt = SB_INIT, why = SB_INIT;
	struct got g;
	unsigned char *m;
	size_t len, chunk = 4096;
	int no_final = 0;

	if (t->case_no != 3)
		rec_sender(&pt);
	switch (t->case_no) {
	case 0: rec_file(&pt, "a", "x"); rec_end(&pt, 1, 1); break;
	case 1: rec_file(&pt, "a", "x"); rec_end(&pt, 2, 0); break;
	case 2: rec_file(&pt, "a", "x"); sb_addch(&pt, 'X'); rec_end(&pt, 1, 0); break;
	case 3: rec_file(&pt, "a", "x"); rec_end(&pt, 1, 0); break;
	case 4: rec_file(&pt, "a/b", "x"); rec_end(&pt, 1, 0); break;
	case 5: sb_addch(&pt, 'F'); le(&pt, 0, 2); le(&pt, 0, 8); rec_end(&pt, 1, 0); break;
	case 6: rec_file(&pt, "a", "x"); rec_end(&pt, 1, 0); sb_addch(&pt, 'F'); break;
	case 7: rec_file(&pt, "a", "x"); rec_end(&pt, 1, 0); no_final = 1; break;
	case 8: rec_file(&pt, "a", "x"); rec_end(&pt, 1, 0); pt.len -= 10; chunk = 1; break;
	case 9: rec_file(&pt, ".a", "x"); rec_end(&pt, 1, 0); break;
	}
	m = wrap(&pt, chunk, no_final, &len);
	ck_assert_msg(read_media(m, len, state_key, &trusted, &g, 99, &why) == t->st, "%s: %s",
		      t->what, why.buf);
	ck_assert_str_eq(why.buf, t->why);
	got_free(&g);
	free(m);
	sb_release(&pt);
	sb_release(&why);
}
END_TEST

START_TEST(test_key_load_refuses_loose_and_missing)
{
	char *s = xasprintf("%s/state.key", dir), *missing = xasprintf("%s/none.key", dir);
	struct media_key *k = NULL;
	struct sb err = SB_INIT;

	ck_assert_int_eq(chmod(s, 0640), 0);
	ck_assert_int_eq(media_key_load(s, &k, &err), ES_CONFIG);
	ck_assert_ptr_null(k);
	ck_assert_ptr_nonnull(strstr(err.buf, "secret key is readable by group or others"));
	sb_reset(&err);
	ck_assert_int_eq(media_key_load(missing, &k, &err), ES_CONFIG);
	ck_assert_ptr_null(k);
	free(s);
	free(missing);
	sb_release(&err);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("media");
	TCase *tc = tcase_create("media");
	SRunner *sr;
	int failed;

	if (sodium_init() < 0)
		return 1;
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_chunk_boundaries);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_writer_refuses_a_bad_name_and_goes_on);
	tcase_add_test(tc, test_add_fd);
	tcase_add_test(tc, test_every_byte_flipped);
	tcase_add_test(tc, test_every_truncation);
	tcase_add_test(tc, test_bytes_after_the_end);
	tcase_add_test(tc, test_wrong_recipient);
	tcase_add_test(tc, test_untrusted_sender);
	tcase_add_test(tc, test_impostor_key);
	tcase_add_test(tc, test_built_from_the_specification);
	tcase_add_loop_test(tc, test_bad_plaintext, 0, (int)(sizeof bad_pts / sizeof bad_pts[0]));
	tcase_add_test(tc, test_key_load_refuses_loose_and_missing);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
