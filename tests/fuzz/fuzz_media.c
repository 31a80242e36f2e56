/*
 * fuzz_media.c - offline media (formats/media.h): media_reader_open(),
 * media_next() and media_read() over the whole input, read as the fixed
 * fuzzing key of fuzzutil.h, which also is the one trusted sender.
 *
 * Media is one authenticated stream: a mutation of real media never gets
 * past the first chunk.  So byte 0 (its low bit) picks how the rest becomes
 * the file:
 *   0  the rest is the file as it is (magic, recipient, sealed key, chunk
 *      framing, truncation; the checks before and of decryption);
 *   1  the rest is the plaintext (after fuzz_chunks' prefix of chunk
 *      sizes): the target writes a header for the fuzzing key, seals a fresh
 *      stream key to it and encrypts the plaintext in chunks of those sizes,
 *      the last tagged FINAL, as docs/FORMATS.md says (the records, cut
 *      anywhere, behind encryption that holds; the signature holds only
 *      where the seed's was left alone).
 * Byte 0 >> 1 sets the read size of media_read (1 to 128 bytes).  The seed
 * corpus (tests/fuzz/make-seeds.c) holds both forms.
 *
 * Invariants: nothing crashes or leaks; a refusal gives a reason; no file
 * yields more bytes than its declared size, every name is one
 * media_name_ok() accepts, at most MEDIA_FILES_MAX files; media read to
 * its end holds, and written again by media_writer with the same files it
 * reads back the same (names, sizes, bytes, sender).
 */
#include "../../formats/keys.h"
#include "../../formats/media.h"
#include "../../util/sb.h"
#include "../../util/xalloc.h"
#include "fuzzutil.h"

#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct keyring ring;
static struct key_pub me_pub;
static struct media_key *me;
static struct key_secret *fuzz_ks;

/* The fuzzing key as media_key_load wants it: a secret key file. */
static void init(void)
{
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
	char id[2 * KEY_ID_BYTES + 1], hex[2 * sizeof sk + 1];
	char *path;
	struct sb err = SB_INIT;
	FILE *f;

	if (me)
		return;
	fuzz_key(&me_pub, sk);
	keyring_add(&ring, &me_pub);
	fuzz_ks = fuzz_secret_key(fuzz_tmpdir());
	key_id_hex(me_pub.id, id);
	sodium_bin2hex(hex, sizeof hex, sk, sizeof sk);
	path = xpath(fuzz_tmpdir(), "media.key");
	unlink(path);
	f = fopen(path, "w");
	FUZZ_TRAP(f != NULL);
	fprintf(f, "[secret key]\nalgorithm = ed25519\nrole = %s\nowner = %s\nstate = %s\n"
		"id = %s\nkey = %s\n", me_pub.role, me_pub.owner, me_pub.state, id, hex);
	FUZZ_TRAP(fclose(f) == 0);
	chmod(path, 0600);
	if (media_key_load(path, &me, &err) != ES_OK) {
		fprintf(stderr, "fuzz_media: %s\n", err.buf);
		abort();
	}
	unlink(path);
	free(path);
	sodium_memzero(sk, sizeof sk);
	sodium_memzero(hex, sizeof hex);
	sb_release(&err);
}

/* Mode 1: the plaintext wrapped as the specification says. */
static void wrap(const uint8_t *pt, size_t n, struct fuzz_chunks *ch, struct sb *out)
{
	unsigned char key[32], xpk[32], head[MEDIA_HEADER_BYTES];
	unsigned char *ct = xmalloc(MEDIA_CHUNK_MAX + crypto_secretstream_xchacha20poly1305_ABYTES);
	crypto_secretstream_xchacha20poly1305_state ss;
	size_t off = 0;

	memcpy(head, MEDIA_MAGIC, 16);
	memcpy(head + 16, me_pub.id, KEY_ID_BYTES);
	crypto_secretstream_xchacha20poly1305_keygen(key);
	FUZZ_TRAP(crypto_sign_ed25519_pk_to_curve25519(xpk, me_pub.pk) == 0);
	crypto_box_seal(head + 24, key, sizeof key, xpk);
	crypto_secretstream_xchacha20poly1305_init_push(&ss, head + 104, key);
	sb_add(out, head, sizeof head);
	do {
		size_t k = fuzz_chunk_next(ch, n - off);
		unsigned long long clen;
		unsigned char l[4];

		if (k > MEDIA_CHUNK_MAX)
			k = MEDIA_CHUNK_MAX;
		crypto_secretstream_xchacha20poly1305_push(&ss, ct, &clen, pt + off, k,
			off ? NULL : head, off ? 0 : sizeof head,
			off + k == n ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
		l[0] = (unsigned char)clen;
		l[1] = (unsigned char)(clen >> 8);
		l[2] = (unsigned char)(clen >> 16);
		l[3] = (unsigned char)(clen >> 24);
		sb_add(out, l, 4);
		sb_add(out, ct, (size_t)clen);
		off += k;
	} while (off < n);
	free(ct);
}

struct files {
	size_t n;
	char **names;
	struct sb *data;
	struct key_pub sender;
	int trusted;
};

static void files_free(struct files *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->names[i]);
		sb_release(&f->data[i]);
	}
	free(f->names);
	free(f->data);
}

/* Read the media file at path; ES_OK only when read to its end. */
static es_status read_all(const char *path, size_t rsize, struct files *f)
{
	struct media_reader *r = NULL;
	struct sb why = SB_INIT;
	unsigned char buf[128];
	es_status st;
	int fd = open(path, O_RDONLY);

	FUZZ_TRAP(fd >= 0);
	memset(f, 0, sizeof *f);
	st = media_reader_open(fd, me, &ring, &r, &why);
	if (st == ES_OK) {
		f->sender = *media_sender(r);
		f->trusted = media_sender_trusted(r);
	}
	while (st == ES_OK) {
		const char *name;
		uint64_t fsize;
		size_t got;

		st = media_next(r, &name, &fsize, &why);
		if (st != ES_OK || !name)
			break;
		FUZZ_TRAP(media_name_ok(name));
		FUZZ_TRAP(f->n < MEDIA_FILES_MAX);
		f->names = xrealloc(f->names, (f->n + 1) * sizeof *f->names);
		f->data = xrealloc(f->data, (f->n + 1) * sizeof *f->data);
		f->names[f->n] = xstrdup(name);
		memset(&f->data[f->n], 0, sizeof f->data[f->n]);
		do {
			st = media_read(r, buf, rsize, &got, &why);
			FUZZ_TRAP(got <= rsize);
			sb_add(&f->data[f->n], buf, got);
			FUZZ_TRAP(f->data[f->n].len <= fsize);
		} while (st == ES_OK && got);
		if (st == ES_OK)
			FUZZ_TRAP(f->data[f->n].len == fsize);
		f->n++;
	}
	if (st != ES_OK)
		FUZZ_TRAP(why.len > 0);
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "fuzz_media: %d %zu files %s\n", st, f->n, why.len ? why.buf : "");
	media_reader_free(r);
	close(fd);
	sb_release(&why);
	return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sb file = SB_INIT, why = SB_INIT;
	struct files f, g;
	struct fuzz_chunks ch;
	const char *path;
	size_t rsize, i;
	int mode;

	init();
	if (size < 1)
		return 0;
	mode = data[0] & 1;
	rsize = (size_t)(data[0] >> 1) + 1;
	data++, size--;
	if (mode == 1) {
		fuzz_chunks_init(&ch, &data, &size);
		wrap(data, size, &ch, &file);
		path = fuzz_write_input((const uint8_t *)file.buf, file.len, 0600);
	} else {
		path = fuzz_write_input(data, size, 0600);
	}
	if (read_all(path, rsize, &f) == ES_OK) {
		/* the writer makes the same files into media that reads back the same */
		struct media_writer *w = NULL;
		char *out = xpath(fuzz_tmpdir(), "again.media");
		int fd;

		unlink(out);
		fd = open(out, O_RDWR | O_CREAT | O_EXCL, 0600);
		FUZZ_TRAP(fd >= 0);
		FUZZ_TRAP(media_writer_new(fd, &me_pub, fuzz_ks, &w, &why) == ES_OK);
		for (i = 0; i < f.n; i++) {
			FUZZ_TRAP(media_add_begin(w, f.names[i], f.data[i].len, &why) == ES_OK);
			FUZZ_TRAP(media_add_write(w, f.data[i].buf, f.data[i].len, &why) == ES_OK);
		}
		FUZZ_TRAP(media_writer_finish(w, &why) == ES_OK);
		media_writer_free(w);
		close(fd);
		FUZZ_TRAP(read_all(out, 128, &g) == ES_OK);
		FUZZ_TRAP(g.n == f.n && g.trusted == 1);
		for (i = 0; i < f.n; i++) {
			FUZZ_TRAP(!strcmp(g.names[i], f.names[i]));
			FUZZ_TRAP(g.data[i].len == f.data[i].len);
			FUZZ_TRAP(!f.data[i].len || !memcmp(g.data[i].buf, f.data[i].buf,
							    f.data[i].len));
		}
		files_free(&g);
		unlink(out);
		free(out);
	}
	files_free(&f);
	sb_release(&file);
	sb_release(&why);
	return 0;
}
