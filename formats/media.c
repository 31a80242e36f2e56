/* media.c - offline media; see media.h and docs/FORMATS.md ("Offline media"). */
#include "media.h"
#include "inistrict.h"
#include "keys.h"
#include "../util/fsio.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ABYTES crypto_secretstream_xchacha20poly1305_ABYTES
#define SEALED_BYTES (crypto_box_SEALBYTES + crypto_secretstream_xchacha20poly1305_KEYBYTES)

/* header layout */
#define OFF_ID 16
#define OFF_SEALED (OFF_ID + KEY_ID_BYTES)
#define OFF_STREAM (OFF_SEALED + SEALED_BYTES)

_Static_assert(sizeof MEDIA_MAGIC - 1 == OFF_ID, "the magic is 16 bytes");
_Static_assert(OFF_STREAM + crypto_secretstream_xchacha20poly1305_HEADERBYTES ==
	       MEDIA_HEADER_BYTES, "the header is 128 bytes");

/* records of the plaintext */
#define REC_SENDER 'S'
#define REC_FILE 'F'
#define REC_END 'E'

/* what the sender's signature covers: this, the recipient's key id, and
 * BLAKE2b-256 of the plaintext from its first byte to the end's count */
#define SIG_DOMAIN "edsync media signature 1\n"
#define SIG_MSG_BYTES (sizeof SIG_DOMAIN - 1 + KEY_ID_BYTES + 32)

static void put_le(unsigned char *p, uint64_t v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *p, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void sig_message(unsigned char msg[SIG_MSG_BYTES], const unsigned char to_id[KEY_ID_BYTES],
			const unsigned char hash[32])
{
	memcpy(msg, SIG_DOMAIN, sizeof SIG_DOMAIN - 1);
	memcpy(msg + sizeof SIG_DOMAIN - 1, to_id, KEY_ID_BYTES);
	memcpy(msg + sizeof SIG_DOMAIN - 1 + KEY_ID_BYTES, hash, 32);
}

int media_name_ok(const char *name)
{
	size_t n = strlen(name), i;

	if (n == 0 || n > MEDIA_NAME_MAX || name[0] == '.')
		return 0;
	if (n >= 5 && strcmp(name + n - 5, ".part") == 0)
		return 0;
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

/* ---- the recipient's key ---- */

struct media_key {
	unsigned char xsk[crypto_box_SECRETKEYBYTES];
	unsigned char xpk[crypto_box_PUBLICKEYBYTES];
	struct key_pub pub;
};

struct skparse {
	unsigned char *sk;
	int got;
};

static int sk_handler(void *user, const char *section, const char *name, const char *value)
{
	struct skparse *p = user;
	size_t len = 0;

	if (!strcmp(section, "secret key") && !strcmp(name, "key") &&
	    sodium_hex2bin(p->sk, crypto_sign_SECRETKEYBYTES, value, strlen(value), NULL, &len,
			   NULL) == 0 && len == crypto_sign_SECRETKEYBYTES)
		p->got = 1;
	return 1;
}

es_status media_key_load(const char *path, struct media_key **out, struct sb *err)
{
	enum { TEXT_MAX = 8192 };
	struct key_secret *ks = NULL;
	struct media_key *k;
	struct skparse p;
	unsigned char *sk, pk[crypto_sign_PUBLICKEYBYTES];
	char *text;
	size_t n = 0;
	es_status st;
	int fd;

	*out = NULL;
	/* permissions, format and id, checked as for signing */
	st = key_load_secret(path, &ks, err);
	if (st != ES_OK)
		return st;
	k = sodium_malloc(sizeof *k);
	sk = sodium_malloc(crypto_sign_SECRETKEYBYTES);
	text = sodium_malloc(TEXT_MAX);
	if (!k || !sk || !text) {
		sb_addf(err, "%s: cannot allocate secure memory", path);
		st = ES_IO;
		goto out;
	}
	k->pub = *key_secret_public(ks);
	/*
	 * XXX keys.h gives out no secret key bytes (they never leave keys.c
	 * for signing), so the file key_load_secret just checked is read a
	 * second time for its key line.  When keys.h has an accessor for the
	 * X25519 form, use it instead.
	 */
	fd = fsio_open_input(path);
	if (fd < 0) {
		sb_addf(err, "%s: %s", path, strerror(errno));
		st = es_from_errno(errno);
		goto out;
	}
	for (;;) {
		ssize_t r = read(fd, text + n, TEXT_MAX - 1 - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
		if (n == TEXT_MAX - 1)
			break;
	}
	close(fd);
	text[n] = '\0';
	p.sk = sk;
	p.got = 0;
	ini_strict();
	ini_parse_string(text, sk_handler, &p);
	crypto_sign_ed25519_sk_to_pk(pk, sk);
	if (!p.got || memcmp(pk, k->pub.pk, sizeof pk) != 0 ||
	    crypto_sign_ed25519_sk_to_curve25519(k->xsk, sk) != 0) {
		sb_addf(err, "%s: the secret key changed while it was read", path);
		st = ES_CONFIG;
		goto out;
	}
	crypto_scalarmult_base(k->xpk, k->xsk);
	*out = k;
	k = NULL;
out:
	if (text)
		sodium_free(text);	/* wipes */
	if (sk)
		sodium_free(sk);
	if (k)
		sodium_free(k);
	key_secret_free(ks);
	return st;
}

const struct key_pub *media_key_public(const struct media_key *k)
{
	return &k->pub;
}

void media_key_free(struct media_key *k)
{
	if (k)
		sodium_free(k);
}

/* ---- writing ---- */

struct media_writer {
	int fd;
	es_status failed;	/* sticky */
	int finished;
	crypto_secretstream_xchacha20poly1305_state ss;
	crypto_generichash_state hash;
	unsigned char header[MEDIA_HEADER_BYTES];
	unsigned char to_id[KEY_ID_BYTES];
	const struct key_secret *from;
	uint64_t chunks, count, left;
	size_t len;
	unsigned char pt[MEDIA_CHUNK_MAX];
	unsigned char ct[4 + MEDIA_CHUNK_MAX + ABYTES];
	unsigned char io[MEDIA_CHUNK_MAX];
};

static es_status w_fail(struct media_writer *w, es_status st, struct sb *why, const char *what)
{
	if (why)
		sb_addstr(why, what);
	w->failed = st;
	return st;
}

/* Encrypt and write the buffered plaintext as one chunk. */
static es_status emit(struct media_writer *w, unsigned char tag, struct sb *why)
{
	unsigned long long clen = 0;

	crypto_secretstream_xchacha20poly1305_push(&w->ss, w->ct + 4, &clen, w->pt, w->len,
						   w->chunks ? NULL : w->header,
						   w->chunks ? 0 : MEDIA_HEADER_BYTES, tag);
	put_le(w->ct, clen, 4);
	if (fsio_write_all(w->fd, w->ct, 4 + (size_t)clen) < 0) {
		sb_addf(why, "cannot write: %s", strerror(errno));
		w->failed = ES_IO;
		return ES_IO;
	}
	w->chunks++;
	w->len = 0;
	return ES_OK;
}

/* Append plaintext (hashed when hashed is set); a full chunk goes out
 * only when more follows, so the last chunk is never empty. */
static es_status put(struct media_writer *w, const void *p, size_t n, int hashed,
		     struct sb *why)
{
	const unsigned char *c = p;

	if (hashed)
		crypto_generichash_update(&w->hash, c, n);
	while (n) {
		size_t k;

		if (w->len == MEDIA_CHUNK_MAX && emit(w, 0, why) != ES_OK)
			return w->failed;
		k = MEDIA_CHUNK_MAX - w->len;
		if (k > n)
			k = n;
		memcpy(w->pt + w->len, c, k);
		w->len += k;
		c += k;
		n -= k;
	}
	return ES_OK;
}

es_status media_writer_new(int fd, const struct key_pub *to, const struct key_secret *from,
			   struct media_writer **out, struct sb *why)
{
	struct media_writer *w;
	unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
	unsigned char xpk[crypto_box_PUBLICKEYBYTES];
	unsigned char rec[1 + crypto_sign_PUBLICKEYBYTES];

	*out = NULL;
	if (crypto_sign_ed25519_pk_to_curve25519(xpk, to->pk) != 0) {
		sb_addstr(why, "the recipient's key cannot be used for encryption");
		return ES_DATA;
	}
	w = xcalloc(1, sizeof *w);
	w->fd = fd;
	w->from = from;
	memcpy(w->to_id, to->id, KEY_ID_BYTES);
	crypto_secretstream_xchacha20poly1305_keygen(key);
	memcpy(w->header, MEDIA_MAGIC, OFF_ID);
	memcpy(w->header + OFF_ID, to->id, KEY_ID_BYTES);
	crypto_box_seal(w->header + OFF_SEALED, key, sizeof key, xpk);
	crypto_secretstream_xchacha20poly1305_init_push(&w->ss, w->header + OFF_STREAM, key);
	sodium_memzero(key, sizeof key);
	crypto_generichash_init(&w->hash, NULL, 0, 32);
	if (fsio_write_all(fd, w->header, sizeof w->header) < 0) {
		sb_addf(why, "cannot write: %s", strerror(errno));
		media_writer_free(w);
		return ES_IO;
	}
	rec[0] = REC_SENDER;
	memcpy(rec + 1, key_secret_public(from)->pk, crypto_sign_PUBLICKEYBYTES);
	put(w, rec, sizeof rec, 1, why);	/* only buffers */
	*out = w;
	return ES_OK;
}

es_status media_add_begin(struct media_writer *w, const char *name, uint64_t size,
			  struct sb *why)
{
	unsigned char rec[1 + 2 + MEDIA_NAME_MAX + 8];
	size_t n;

	if (w->failed)
		return w->failed;
	if (w->finished || w->left)
		return w_fail(w, ES_SOFTWARE, why, "media: a file begun out of turn");
	if (!media_name_ok(name)) {
		sb_addstr(why, "a name media cannot carry (1 to 255 of A-Z a-z 0-9 . _ -, "
			  "not starting with '.')");
		return ES_DATA;	/* not sticky: nothing was written */
	}
	if (w->count >= MEDIA_FILES_MAX) {
		sb_addf(why, "more than %d files for one media", MEDIA_FILES_MAX);
		return ES_DATA;
	}
	n = strlen(name);
	rec[0] = REC_FILE;
	put_le(rec + 1, n, 2);
	memcpy(rec + 3, name, n);
	put_le(rec + 3 + n, size, 8);
	w->count++;
	w->left = size;
	return put(w, rec, 3 + n + 8, 1, why);
}

es_status media_add_write(struct media_writer *w, const void *p, size_t n, struct sb *why)
{
	if (w->failed)
		return w->failed;
	if (n > w->left)
		return w_fail(w, ES_SOFTWARE, why, "media: more bytes than the file's size");
	w->left -= n;
	return put(w, p, n, 1, why);
}

es_status media_add_fd(struct media_writer *w, const char *name, int fd, struct sb *why)
{
	struct stat st;
	es_status rc;

	if (w->failed)
		return w->failed;
	if (fstat(fd, &st) < 0) {
		sb_addf(why, "cannot read: %s", strerror(errno));
		return ES_IO;
	}
	rc = media_add_begin(w, name, (uint64_t)st.st_size, why);
	while (rc == ES_OK) {
		size_t want = w->left < sizeof w->io ? (size_t)w->left : sizeof w->io;
		ssize_t r = read(fd, w->io, want ? want : 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			sb_addf(why, "cannot read: %s", strerror(errno));
			return w_fail(w, ES_IO, NULL, "");
		}
		if (want == 0) {
			if (r > 0)
				return w_fail(w, ES_IO, why, "it grew while being written");
			break;
		}
		if (r == 0)
			return w_fail(w, ES_IO, why, "it shrank while being written");
		rc = media_add_write(w, w->io, (size_t)r, why);
	}
	return rc;
}

es_status media_writer_finish(struct media_writer *w, struct sb *why)
{
	unsigned char rec[1 + 4], hash[32], msg[SIG_MSG_BYTES], sig[KEY_SIG_BYTES];

	if (w->failed)
		return w->failed;
	if (w->finished || w->left)
		return w_fail(w, ES_SOFTWARE, why, "media: finished with a file short");
	rec[0] = REC_END;
	put_le(rec + 1, w->count, 4);
	if (put(w, rec, sizeof rec, 1, why) != ES_OK)
		return w->failed;
	crypto_generichash_final(&w->hash, hash, sizeof hash);
	sig_message(msg, w->to_id, hash);
	key_sign(w->from, msg, sizeof msg, sig);
	if (put(w, sig, sizeof sig, 0, why) != ES_OK ||
	    emit(w, crypto_secretstream_xchacha20poly1305_TAG_FINAL, why) != ES_OK)
		return w->failed;
	w->finished = 1;
	return ES_OK;
}

uint64_t media_writer_count(const struct media_writer *w)
{
	return w->count;
}

void media_writer_free(struct media_writer *w)
{
	if (!w)
		return;
	sodium_memzero(w, sizeof *w);
	free(w);
}

/* ---- reading ---- */

struct media_reader {
	int fd;
	es_status failed;	/* sticky */
	int final;		/* the FINAL chunk is read */
	int done;		/* the end is read and holds */
	crypto_secretstream_xchacha20poly1305_state ss;
	crypto_generichash_state hash;
	unsigned char header[MEDIA_HEADER_BYTES];
	unsigned char me_id[KEY_ID_BYTES];
	struct key_pub sender;
	int trusted;		/* the sender's key is pinned here */
	uint64_t offset;	/* bytes of the file read */
	uint64_t chunks, count, left;
	size_t pos, len;
	char name[MEDIA_NAME_MAX + 1];
	unsigned char pt[MEDIA_CHUNK_MAX];
	unsigned char ct[MEDIA_CHUNK_MAX + ABYTES];
};

static es_status r_fail(struct media_reader *r, es_status st, struct sb *why, const char *fmt,
			...) __attribute__((format(printf, 4, 5)));

static es_status r_fail(struct media_reader *r, es_status st, struct sb *why, const char *fmt,
			...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	sb_addstr(why, buf);
	r->failed = st;
	return st;
}

/* Read up to n bytes (fewer only at the end of the file); -1 on error. */
static ssize_t read_full(int fd, void *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t k = read(fd, (char *)buf + got, n - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		got += (size_t)k;
	}
	return (ssize_t)got;
}

static es_status next_chunk(struct media_reader *r, struct sb *why)
{
	unsigned char lb[4], tag = 0;
	unsigned long long mlen = 0;
	uint64_t at = r->offset, no = r->chunks + 1;
	ssize_t got;
	size_t clen;

	if (r->final)
		return r_fail(r, ES_DATA, why, "damaged: its records run past its last chunk");
	got = read_full(r->fd, lb, sizeof lb);
	if (got < 0)
		return r_fail(r, ES_IO, why, "cannot read: %s", strerror(errno));
	if (got == 0)
		return r_fail(r, ES_DATA, why, "truncated: it ends at byte %llu, before its last chunk",
			      (unsigned long long)at);
	if (got < 4)
		return r_fail(r, ES_DATA, why, "truncated: it ends at byte %llu, inside chunk %llu",
			      (unsigned long long)(at + (uint64_t)got), (unsigned long long)no);
	clen = (size_t)get_le(lb, 4);
	if (clen <= ABYTES || clen > MEDIA_CHUNK_MAX + ABYTES)
		return r_fail(r, ES_DATA, why, "damaged: chunk %llu (at byte %llu) has an impossible "
			      "length", (unsigned long long)no, (unsigned long long)at);
	got = read_full(r->fd, r->ct, clen);
	if (got < 0)
		return r_fail(r, ES_IO, why, "cannot read: %s", strerror(errno));
	if ((size_t)got < clen)
		return r_fail(r, ES_DATA, why, "truncated: it ends at byte %llu, inside chunk %llu",
			      (unsigned long long)(at + 4 + (uint64_t)got), (unsigned long long)no);
	if (crypto_secretstream_xchacha20poly1305_pull(&r->ss, r->pt, &mlen, &tag, r->ct, clen,
						       r->chunks ? NULL : r->header,
						       r->chunks ? 0 : MEDIA_HEADER_BYTES) != 0)
		return r_fail(r, ES_DATA, why, "damaged: chunk %llu (at byte %llu) does not "
			      "authenticate", (unsigned long long)no, (unsigned long long)at);
	if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL)
		r->final = 1;
	else if (tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE)
		return r_fail(r, ES_DATA, why, "damaged: chunk %llu (at byte %llu) has an unknown tag",
			      (unsigned long long)no, (unsigned long long)at);
	r->chunks = no;
	r->offset = at + 4 + clen;
	r->pos = 0;
	r->len = (size_t)mlen;
	return ES_OK;
}

/* The next n plaintext bytes into p (hashed when hashed is set). */
static es_status get(struct media_reader *r, void *p, size_t n, int hashed, struct sb *why)
{
	unsigned char *c = p;

	while (n) {
		size_t k;

		if (r->pos == r->len && next_chunk(r, why) != ES_OK)
			return r->failed;
		k = r->len - r->pos;
		if (k > n)
			k = n;
		memcpy(c, r->pt + r->pos, k);
		if (hashed)
			crypto_generichash_update(&r->hash, c, k);
		r->pos += k;
		c += k;
		n -= k;
	}
	return ES_OK;
}

es_status media_reader_open(int fd, const struct media_key *me, const struct keyring *trusted,
			    struct media_reader **out, struct sb *why)
{
	struct media_reader *r = xcalloc(1, sizeof *r);
	unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
	unsigned char rec[1 + crypto_sign_PUBLICKEYBYTES], h[16];
	const struct key_pub *k;
	char a[2 * KEY_ID_BYTES + 1], b[2 * KEY_ID_BYTES + 1];
	ssize_t got;
	es_status st = ES_OK;

	*out = NULL;
	r->fd = fd;
	memcpy(r->me_id, me->pub.id, KEY_ID_BYTES);
	got = read_full(fd, r->header, sizeof r->header);
	if (got < 0) {
		st = r_fail(r, ES_IO, why, "cannot read: %s", strerror(errno));
		goto out;
	}
	if ((size_t)got < OFF_ID || memcmp(r->header, MEDIA_MAGIC, OFF_ID) != 0) {
		st = r_fail(r, ES_DATA, why, "not an edsync media file");
		goto out;
	}
	if ((size_t)got < sizeof r->header) {
		st = r_fail(r, ES_DATA, why, "truncated: it ends at byte %zd, inside its header",
			    got);
		goto out;
	}
	r->offset = sizeof r->header;
	if (memcmp(r->header + OFF_ID, me->pub.id, KEY_ID_BYTES) != 0) {
		key_id_hex(r->header + OFF_ID, a);
		key_id_hex(me->pub.id, b);
		st = r_fail(r, ES_REFUSED, why, "made for key %s, not for this home's key %s", a, b);
		goto out;
	}
	if (crypto_box_seal_open(key, r->header + OFF_SEALED, SEALED_BYTES, me->xpk,
				 me->xsk) != 0) {
		st = r_fail(r, ES_DATA, why, "damaged: its sealed key does not open");
		goto out;
	}
	if (crypto_secretstream_xchacha20poly1305_init_pull(&r->ss, r->header + OFF_STREAM,
							    key) != 0) {
		sodium_memzero(key, sizeof key);
		st = r_fail(r, ES_DATA, why, "damaged: its stream header is not valid");
		goto out;
	}
	sodium_memzero(key, sizeof key);
	crypto_generichash_init(&r->hash, NULL, 0, 32);
	if ((st = get(r, rec, sizeof rec, 1, why)) != ES_OK)
		goto out;
	if (rec[0] != REC_SENDER) {
		st = r_fail(r, ES_DATA, why, "damaged: it does not name its sender first");
		goto out;
	}
	/* the sender's key id, as keys.h derives it: BLAKE2b-128, 8 bytes */
	memcpy(r->sender.pk, rec + 1, sizeof r->sender.pk);
	crypto_generichash(h, sizeof h, r->sender.pk, sizeof r->sender.pk, NULL, 0);
	memcpy(r->sender.id, h, KEY_ID_BYTES);
	k = keyring_find(trusted, r->sender.id);
	if (k && memcmp(k->pk, r->sender.pk, sizeof k->pk) != 0) {
		key_id_hex(r->sender.id, a);
		st = r_fail(r, ES_REFUSED, why, "sent by a key that claims the id %s of a pinned "
			    "key, but is another key", a);
		goto out;
	}
	if (k) {
		r->sender = *k;
		r->trusted = 1;
	}
out:
	if (st != ES_OK) {
		media_reader_free(r);
		return st;
	}
	*out = r;
	return ES_OK;
}

const struct key_pub *media_sender(const struct media_reader *r)
{
	return &r->sender;
}

int media_sender_trusted(const struct media_reader *r)
{
	return r->trusted;
}

/* The end record: count, signature, and nothing after. */
static es_status read_end(struct media_reader *r, struct sb *why)
{
	unsigned char cnt[4], hash[32], msg[SIG_MSG_BYTES], sig[KEY_SIG_BYTES], extra;
	uint64_t n;
	ssize_t got;

	if (get(r, cnt, sizeof cnt, 1, why) != ES_OK)
		return r->failed;
	n = get_le(cnt, 4);
	if (n != r->count)
		return r_fail(r, ES_DATA, why, "damaged: its end counts %llu files, it holds %llu",
			      (unsigned long long)n, (unsigned long long)r->count);
	crypto_generichash_final(&r->hash, hash, sizeof hash);
	if (get(r, sig, sizeof sig, 0, why) != ES_OK)
		return r->failed;
	sig_message(msg, r->me_id, hash);
	if (!key_verify(&r->sender, msg, sizeof msg, sig))
		return r_fail(r, ES_REFUSED, why, "the sender's signature does not hold");
	if (r->pos != r->len)
		return r_fail(r, ES_DATA, why, "damaged: there is more after its end record");
	if (!r->final)
		return r_fail(r, ES_DATA, why, "damaged: its end record is not in its last chunk");
	got = read_full(r->fd, &extra, 1);
	if (got < 0)
		return r_fail(r, ES_IO, why, "cannot read: %s", strerror(errno));
	if (got > 0)
		return r_fail(r, ES_DATA, why, "damaged: there are bytes after its last chunk");
	r->done = 1;
	return ES_OK;
}

es_status media_next(struct media_reader *r, const char **name, uint64_t *size,
		     struct sb *why)
{
	unsigned char type, b[8];
	size_t n;

	*name = NULL;
	*size = 0;
	if (r->failed)
		return r->failed;
	if (r->done)
		return ES_OK;
	/* skip what is left of the current file */
	while (r->left) {
		size_t k;

		if (r->pos == r->len) {
			if (next_chunk(r, why) != ES_OK)
				return r->failed;
			continue;
		}
		k = r->len - r->pos;
		if (k > r->left)
			k = (size_t)r->left;
		crypto_generichash_update(&r->hash, r->pt + r->pos, k);
		r->pos += k;
		r->left -= k;
	}
	if (get(r, &type, 1, 1, why) != ES_OK)
		return r->failed;
	if (type == REC_END) {
		if (read_end(r, why) != ES_OK)
			return r->failed;
		return ES_OK;
	}
	if (type != REC_FILE)
		return r_fail(r, ES_DATA, why, "damaged: an unknown record after file %llu",
			      (unsigned long long)r->count);
	if (r->count >= MEDIA_FILES_MAX)
		return r_fail(r, ES_DATA, why, "damaged: more than %d files", MEDIA_FILES_MAX);
	if (get(r, b, 2, 1, why) != ES_OK)
		return r->failed;
	n = (size_t)get_le(b, 2);
	if (n == 0 || n > MEDIA_NAME_MAX)
		return r_fail(r, ES_DATA, why, "damaged: file %llu has a name of %zu bytes",
			      (unsigned long long)r->count + 1, n);
	if (get(r, r->name, n, 1, why) != ES_OK)
		return r->failed;
	r->name[n] = '\0';
	if (memchr(r->name, '\0', n) || !media_name_ok(r->name))
		return r_fail(r, ES_DATA, why, "damaged: file %llu has a name media cannot carry",
			      (unsigned long long)r->count + 1);
	if (get(r, b, 8, 1, why) != ES_OK)
		return r->failed;
	r->count++;
	r->left = get_le(b, 8);
	*name = r->name;
	*size = r->left;
	return ES_OK;
}

es_status media_read(struct media_reader *r, void *buf, size_t cap, size_t *got,
		     struct sb *why)
{
	size_t n = cap;

	*got = 0;
	if (r->failed)
		return r->failed;
	if (n > r->left)
		n = (size_t)r->left;
	if (n && get(r, buf, n, 1, why) != ES_OK)
		return r->failed;
	r->left -= n;
	*got = n;
	return ES_OK;
}

void media_reader_free(struct media_reader *r)
{
	if (!r)
		return;
	sodium_memzero(r, sizeof *r);
	free(r);
}
