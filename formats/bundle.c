/* bundle.c - signed bundles; see bundle.h and docs/FORMATS.md. */
#include "bundle.h"
#include "keys.h"
#include "manifest.h"
#include "../util/fsio.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#define IOBUF (1u << 17)
#define SEAL_PREFIX "edsync bundle seal 1\n"
#define SEAL_MSG_BYTES (sizeof SEAL_PREFIX - 1 + 32)
#define ZSTD_LEVEL 1
/* Read-ahead allowed while only the manifest and signature are wanted. */
#define OPEN_LIMIT (MF_MAX_BYTES + (4u << 20))
/* tar header and padding per member, and the end-of-archive blocks */
#define TAR_OVERHEAD(nmembers) ((uint64_t)((nmembers) + 4) * 1024 + 65536)

void bundle_file_name(char *out, size_t size, const char *district, uint64_t seq,
		      const char *kind)
{
	snprintf(out, size, "%s-%010" PRIu64 "-%s" BUNDLE_SUFFIX, district, seq, kind);
}

int bundle_name_parse(const char *name, char *district, size_t dsize, uint64_t *seq)
{
	const char *dash = strchr(name, '-');
	size_t dl;
	uint64_t s = 0;
	const char *p;

	if (!dash)
		return -1;
	dl = (size_t)(dash - name);
	if (dl < 1 || dl >= dsize)
		return -1;
	for (p = dash + 1; *p >= '0' && *p <= '9'; p++)
		s = s * 10 + (uint64_t)(*p - '0');
	if (p - dash - 1 != 10 || *p != '-')
		return -1;
	memcpy(district, name, dl);
	district[dl] = '\0';
	if (!mf_district_ok(district))
		return -1;
	*seq = s;
	return 0;
}

/* Hex as edsync writes it: lower case only, so one signature has one text. */
static int hex_ok(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
			return 0;
	return 1;
}

static int flat_name_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 95 || s[0] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

/* ================= writing ================= */

/* A member being staged: an unlinked scratch file, hashed as written. */
struct bw_member {
	struct bundle_writer *w;
	int fd;
	uint64_t order;
	struct mf_member m;
	crypto_generichash_state hs;
	struct sb buf;
};

struct bundle_writer {
	char *scratch;
	pthread_mutex_t lock;		/* members may be staged by several threads */
	struct bw_member **done;	/* complete members */
	size_t n;
	uint64_t opened;		/* members opened so far: the default order */
	struct bw_member *cur;		/* the sequential API's member */
};

struct bundle_writer *bw_new(const char *scratch_dir)
{
	struct bundle_writer *w = xcalloc(1, sizeof *w);

	w->scratch = xstrdup(scratch_dir);
	pthread_mutex_init(&w->lock, NULL);
	return w;
}

static void member_free(struct bw_member *m)
{
	if (!m)
		return;
	if (m->fd >= 0)
		close(m->fd);
	sb_release(&m->buf);
	free(m);
}

struct bw_member *bw_member_open(struct bundle_writer *w, const char *object,
				 enum mf_type type, int complete, uint64_t fields,
				 uint64_t order, es_status *st)
{
	struct bw_member *m;
	char *path = NULL;
	int fd = fsio_create_temp(w->scratch, "member", 0600, &path);

	if (fd < 0) {
		*st = es_from_errno(errno);
		return NULL;
	}
	/* Unlinked at once: a crash leaves no student record behind. */
	unlink(path);
	free(path);
	m = xcalloc(1, sizeof *m);
	m->w = w;
	m->fd = fd;
	m->order = order;
	snprintf(m->m.object, sizeof m->m.object, "%s", object);
	mf_member_name(m->m.name, sizeof m->m.name, object, type);
	m->m.type = type;
	m->m.complete = complete;
	m->m.fields = fields;
	crypto_generichash_init(&m->hs, NULL, 0, sizeof m->m.blake2b);
	*st = ES_OK;
	return m;
}

static es_status member_flush(struct bw_member *m)
{
	if (!m->buf.len)
		return ES_OK;
	crypto_generichash_update(&m->hs, (const unsigned char *)m->buf.buf, m->buf.len);
	if (fsio_write_all(m->fd, m->buf.buf, m->buf.len) < 0)
		return ES_IO;
	m->m.bytes += m->buf.len;
	sb_reset(&m->buf);
	return ES_OK;
}

es_status bwm_write(struct bw_member *m, const void *p, size_t n)
{
	sb_add(&m->buf, p, n);
	if (m->buf.len >= IOBUF)
		return member_flush(m);
	return ES_OK;
}

es_status bwm_end(struct bw_member *m, uint64_t rows)
{
	struct bundle_writer *w = m->w;
	es_status st = member_flush(m);

	if (st != ES_OK) {
		member_free(m);
		return st;
	}
	crypto_generichash_final(&m->hs, m->m.blake2b, sizeof m->m.blake2b);
	m->m.rows = rows;
	sb_release(&m->buf);
	pthread_mutex_lock(&w->lock);
	w->done = xrealloc(w->done, (w->n + 1) * sizeof *w->done);
	w->done[w->n++] = m;
	pthread_mutex_unlock(&w->lock);
	return ES_OK;
}

void bwm_abort(struct bw_member *m)
{
	member_free(m);
}

/* ---- the sequential API: one member at a time, in the order opened ---- */

es_status bw_member_begin(struct bundle_writer *w, const char *object, enum mf_type type,
			  int complete, uint64_t fields)
{
	es_status st;

	if (w->cur)
		return ES_SOFTWARE;
	w->cur = bw_member_open(w, object, type, complete, fields, w->opened++, &st);
	return st;
}

es_status bw_member_write(struct bundle_writer *w, const void *p, size_t n)
{
	return bwm_write(w->cur, p, n);
}

es_status bw_member_end(struct bundle_writer *w, uint64_t rows)
{
	es_status st = bwm_end(w->cur, rows);

	w->cur = NULL;
	return st;
}

void bw_member_abort(struct bundle_writer *w)
{
	bwm_abort(w->cur);
	w->cur = NULL;
}

size_t bw_member_count(const struct bundle_writer *w)
{
	return w->n;
}

void bw_free(struct bundle_writer *w)
{
	size_t i;

	if (!w)
		return;
	member_free(w->cur);
	for (i = 0; i < w->n; i++)
		member_free(w->done[i]);
	free(w->done);
	free(w->scratch);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

static int member_order(const void *a, const void *b)
{
	const struct bw_member *x = *(struct bw_member *const *)a;
	const struct bw_member *y = *(struct bw_member *const *)b;

	return x->order < y->order ? -1 : x->order > y->order;
}

/* libarchive writes the tar stream here; we compress it with zstd. */
struct zout {
	int fd;
	ZSTD_CCtx *cctx;
	unsigned char *obuf;
	crypto_generichash_state hs;	/* of every byte written: the seal's */
	int failed;
};

static int zw_out(struct zout *z, size_t n)
{
	crypto_generichash_update(&z->hs, z->obuf, n);
	return fsio_write_all(z->fd, z->obuf, n);
}

static la_ssize_t zw_write(struct archive *a, void *ud, const void *buf, size_t n)
{
	struct zout *z = ud;
	ZSTD_inBuffer in = { buf, n, 0 };

	while (in.pos < in.size) {
		ZSTD_outBuffer out = { z->obuf, ZSTD_CStreamOutSize(), 0 };
		size_t r = ZSTD_compressStream2(z->cctx, &out, &in, ZSTD_e_continue);

		if (ZSTD_isError(r)) {
			archive_set_error(a, EIO, "zstd: %s", ZSTD_getErrorName(r));
			z->failed = 1;
			return -1;
		}
		if (out.pos && zw_out(z, out.pos) < 0) {
			archive_set_error(a, errno, "write: %s", strerror(errno));
			z->failed = 1;
			return -1;
		}
	}
	return (la_ssize_t)n;
}

static int zw_finish(struct zout *z)
{
	ZSTD_inBuffer in = { NULL, 0, 0 };
	size_t r;

	do {
		ZSTD_outBuffer out = { z->obuf, ZSTD_CStreamOutSize(), 0 };

		r = ZSTD_compressStream2(z->cctx, &out, &in, ZSTD_e_end);
		if (ZSTD_isError(r))
			return -1;
		if (out.pos && zw_out(z, out.pos) < 0)
			return -1;
	} while (r != 0);
	return 0;
}

static int add_entry(struct archive *a, const char *name, uint64_t size)
{
	struct archive_entry *e = archive_entry_new();
	int rc;

	/* Canonical headers: the reader insists on exactly these values. */
	archive_entry_set_pathname(e, name);
	archive_entry_set_size(e, (la_int64_t)size);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0600);
	archive_entry_set_mtime(e, 0, 0);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	rc = archive_write_header(a, e);
	archive_entry_free(e);
	return rc;
}

static int add_bytes(struct archive *a, const char *name, const void *p, size_t n)
{
	if (add_entry(a, name, n) != ARCHIVE_OK)
		return -1;
	return archive_write_data(a, p, n) == (la_ssize_t)n ? 0 : -1;
}

static int add_staged(struct archive *a, struct bw_member *s)
{
	static char buf[IOBUF];
	uint64_t left = s->m.bytes;

	if (add_entry(a, s->m.name, s->m.bytes) != ARCHIVE_OK)
		return -1;
	if (lseek(s->fd, 0, SEEK_SET) < 0)
		return -1;
	while (left) {
		ssize_t r = read(s->fd, buf, left < sizeof buf ? left : sizeof buf);

		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			return -1;
		}
		if (archive_write_data(a, buf, (size_t)r) != r)
			return -1;
		left -= (uint64_t)r;
	}
	return 0;
}

/* The message a seal signs: a fixed prefix and BLAKE2b-256 of the body. */
static void seal_message(const unsigned char body_hash[32], unsigned char msg[SEAL_MSG_BYTES])
{
	memcpy(msg, SEAL_PREFIX, sizeof SEAL_PREFIX - 1);
	memcpy(msg + sizeof SEAL_PREFIX - 1, body_hash, 32);
}

static int write_seal(crypto_generichash_state *hs, const struct key_secret *k, int fd)
{
	unsigned char h[32], msg[SEAL_MSG_BYTES], sig[KEY_SIG_BYTES];
	char id[2 * KEY_ID_BYTES + 1];
	struct sb line = SB_INIT;
	int rc;

	crypto_generichash_final(hs, h, sizeof h);
	seal_message(h, msg);
	key_sign(k, msg, sizeof msg, sig);
	key_id_hex(key_secret_public(k)->id, id);
	sb_addf(&line, "edsync-seal ed25519 %s ", id);
	sb_addhex(&line, sig, sizeof sig);
	sb_addch(&line, '\n');
	rc = line.len == BUNDLE_SEAL_BYTES ? fsio_write_all(fd, line.buf, line.len) : -1;
	sb_release(&line);
	return rc;
}

int bundle_seal_file(const char *path, const struct key_secret *k)
{
	crypto_generichash_state hs;
	unsigned char buf[1 << 16];
	int fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW), rc;
	ssize_t r;

	if (fd < 0)
		return -1;
	crypto_generichash_init(&hs, NULL, 0, 32);
	while ((r = read(fd, buf, sizeof buf)) > 0)
		crypto_generichash_update(&hs, buf, (unsigned long long)r);
	rc = r < 0 ? -1 : write_seal(&hs, k, fd);
	if (close(fd) < 0)
		rc = -1;
	return rc;
}

es_status bw_finish(struct bundle_writer *w, struct manifest *head,
		    const struct key_secret *k, int out_fd, struct sb *why)
{
	const struct key_pub *pub = key_secret_public(k);
	struct sb text = SB_INIT, sig = SB_INIT;
	unsigned char sigbin[KEY_SIG_BYTES];
	struct archive *a = NULL;
	struct zout z;
	es_status st = ES_OK;
	size_t i;

	if (w->cur)
		return ES_SOFTWARE;
	/* Members in the order their callers asked for, however many threads
	 * staged them: parents before children. */
	if (w->n)
		qsort(w->done, w->n, sizeof *w->done, member_order);
	head->format = MF_FORMAT;
	key_id_hex(pub->id, head->key);
	mf_free(head);
	for (i = 0; i < w->n; i++)
		*mf_add_member(head) = w->done[i]->m;
	mf_encode(head, &text);
	key_sign(k, text.buf, text.len, sigbin);
	sb_addf(&sig, "ed25519 %s ", head->key);
	sb_addhex(&sig, sigbin, sizeof sigbin);
	sb_addch(&sig, '\n');

	memset(&z, 0, sizeof z);
	z.fd = out_fd;
	crypto_generichash_init(&z.hs, NULL, 0, 32);
	z.cctx = ZSTD_createCCtx();
	z.obuf = xmalloc(ZSTD_CStreamOutSize());
	ZSTD_CCtx_setParameter(z.cctx, ZSTD_c_compressionLevel, ZSTD_LEVEL);
	/* A frame checksum too: damage is named as damage, not only as a
	 * seal that does not hold. */
	ZSTD_CCtx_setParameter(z.cctx, ZSTD_c_checksumFlag, 1);
	/* Compress on both cores; a libzstd without threads refuses and we
	 * stay single-threaded. */
	ZSTD_CCtx_setParameter(z.cctx, ZSTD_c_nbWorkers, 2);

	a = archive_write_new();
	if (archive_write_set_format_ustar(a) != ARCHIVE_OK ||
	    archive_write_set_bytes_per_block(a, 65536) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK ||
	    archive_write_open(a, &z, NULL, zw_write, NULL) != ARCHIVE_OK)
		goto fail;
	if (add_bytes(a, "manifest", text.buf, text.len) < 0 ||
	    add_bytes(a, "manifest.sig", sig.buf, sig.len) < 0)
		goto fail;
	for (i = 0; i < w->n; i++)
		if (add_staged(a, w->done[i]) < 0)
			goto fail;
	if (archive_write_close(a) != ARCHIVE_OK || zw_finish(&z) < 0)
		goto fail;
	if (write_seal(&z.hs, k, out_fd) < 0)
		goto fail;
	goto out;
fail:
	sb_addf(why, "cannot write bundle: %s",
		z.failed || !archive_error_string(a) ? strerror(errno) : archive_error_string(a));
	st = ES_IO;
out:
	if (a)
		archive_write_free(a);
	ZSTD_freeCCtx(z.cctx);
	free(z.obuf);
	sb_release(&text);
	sb_release(&sig);
	return st;
}

/* ================= reading ================= */

/* We decompress, libarchive reads tar: a checksum on the whole stream, a
 * bound on its size and no bytes after it. */
struct zin {
	int fd;
	uint64_t left;			/* body bytes not yet read from fd */
	ZSTD_DCtx *d;
	unsigned char *ibuf;
	unsigned char *obuf;
	ZSTD_inBuffer in;
	uint64_t total;
	uint64_t limit;
	int frame_done;
	char why[160];
};

struct bundle {
	int fd;
	char *path;
	uint64_t body;			/* file size less the seal */
	struct sb mtext;
	char key_hex[2 * KEY_ID_BYTES + 1];
	unsigned char mhash[32];
	const struct key_pub *key;
	int parsed;
	struct manifest m;
	struct archive *a;
	struct zin z;
	uint64_t member_left;
	crypto_generichash_state hs;
};

static void zin_fail(struct zin *z, const char *why)
{
	if (!z->why[0])
		snprintf(z->why, sizeof z->why, "%s", why);
}

static la_ssize_t zr_read(struct archive *a, void *ud, const void **buf)
{
	struct zin *z = ud;

	for (;;) {
		ZSTD_outBuffer out = { z->obuf, ZSTD_DStreamOutSize(), 0 };
		size_t r;

		if (z->in.pos == z->in.size) {
			size_t want = ZSTD_DStreamInSize();
			ssize_t got;

			if (want > z->left)
				want = (size_t)z->left;
			got = want ? read(z->fd, z->ibuf, want) : 0;
			if (got > 0)
				z->left -= (uint64_t)got;

			if (got < 0) {
				if (errno == EINTR)
					continue;
				zin_fail(z, strerror(errno));
				archive_set_error(a, errno, "read failed");
				return -1;
			}
			if (got == 0) {
				if (z->frame_done)
					return 0;
				zin_fail(z, "compressed stream is truncated");
				archive_set_error(a, EIO, "truncated");
				return -1;
			}
			z->in.src = z->ibuf;
			z->in.size = (size_t)got;
			z->in.pos = 0;
		}
		if (z->frame_done) {
			zin_fail(z, "bytes follow the end of the compressed stream");
			archive_set_error(a, EIO, "trailing data");
			return -1;
		}
		r = ZSTD_decompressStream(z->d, &out, &z->in);
		if (ZSTD_isError(r)) {
			char msg[128];

			snprintf(msg, sizeof msg, "compressed stream is damaged (%s)",
				 ZSTD_getErrorName(r));
			zin_fail(z, msg);
			archive_set_error(a, EIO, "zstd");
			return -1;
		}
		if (r == 0)
			z->frame_done = 1;
		if (out.pos) {
			z->total += out.pos;
			if (z->total > z->limit) {
				zin_fail(z, "decompresses to more than its manifest declares");
				archive_set_error(a, EFBIG, "too large");
				return -1;
			}
			*buf = z->obuf;
			return (la_ssize_t)out.pos;
		}
	}
}

static void archive_end(struct bundle *b)
{
	if (b->a) {
		archive_read_free(b->a);
		b->a = NULL;
	}
}

static int archive_begin(struct bundle *b, uint64_t limit)
{
	archive_end(b);
	if (lseek(b->fd, 0, SEEK_SET) < 0)
		return -1;
	if (!b->z.d) {
		b->z.d = ZSTD_createDCtx();
		b->z.ibuf = xmalloc(ZSTD_DStreamInSize());
		b->z.obuf = xmalloc(ZSTD_DStreamOutSize());
		/* No window larger than 128 MiB: bounded memory whatever the
		 * frame header asks for. */
		ZSTD_DCtx_setParameter(b->z.d, ZSTD_d_windowLogMax, 27);
	}
	ZSTD_DCtx_reset(b->z.d, ZSTD_reset_session_only);
	b->z.fd = b->fd;
	b->z.left = b->body;
	b->z.in.src = b->z.ibuf;
	b->z.in.size = b->z.in.pos = 0;
	b->z.total = 0;
	b->z.limit = limit;
	b->z.frame_done = 0;
	b->z.why[0] = '\0';
	b->a = archive_read_new();
	archive_read_support_format_tar(b->a);
	if (archive_read_open(b->a, &b->z, NULL, zr_read, NULL) != ARCHIVE_OK)
		return -1;
	return 0;
}

/* Why the archive failed: our reason if the stream failed, else libarchive's. */
static void archive_why(struct bundle *b, struct sb *why, const char *what)
{
	sb_addf(why, "%s: %s", what,
		b->z.why[0] ? b->z.why :
		archive_error_string(b->a) ? archive_error_string(b->a) : "damaged archive");
}

/* Next header, which must be a canonical regular file with a flat name. */
static int next_entry(struct bundle *b, struct archive_entry **e, struct sb *why)
{
	int rc = archive_read_next_header(b->a, e);
	const char *name;

	if (rc == ARCHIVE_EOF)
		return 0;
	if (rc != ARCHIVE_OK) {
		archive_why(b, why, "archive is damaged");
		return -1;
	}
	name = archive_entry_pathname(*e);
	if (!name || !flat_name_ok(name)) {
		sb_addstr(why, "archive holds a member whose name is not a flat file name");
		return -1;
	}
	if (archive_entry_filetype(*e) != AE_IFREG || archive_entry_hardlink(*e) ||
	    archive_entry_symlink(*e)) {
		sb_addf(why, "archive member %s is not a regular file", name);
		return -1;
	}
	if (archive_entry_perm(*e) != 0600 || archive_entry_mtime(*e) != 0 ||
	    archive_entry_uid(*e) != 0 || archive_entry_gid(*e) != 0 ||
	    (archive_entry_uname(*e) && *archive_entry_uname(*e)) ||
	    (archive_entry_gname(*e) && *archive_entry_gname(*e)) ||
	    !archive_entry_size_is_set(*e) || archive_entry_size(*e) < 0) {
		sb_addf(why, "archive member %s has an altered header", name);
		return -1;
	}
	return 1;
}

static int read_small(struct bundle *b, struct archive_entry *e, size_t max,
		      struct sb *out, struct sb *why)
{
	la_int64_t size = archive_entry_size(e);
	char buf[4096];

	if (size < 0 || (uint64_t)size > max) {
		sb_addf(why, "archive member %s is larger than %zu bytes",
			archive_entry_pathname(e), max);
		return -1;
	}
	sb_reset(out);
	for (;;) {
		la_ssize_t r = archive_read_data(b->a, buf, sizeof buf);

		if (r < 0) {
			archive_why(b, why, "archive is damaged");
			return -1;
		}
		if (r == 0)
			break;
		if (out->len + (size_t)r > max) {
			sb_addstr(why, "archive member is longer than its header says");
			return -1;
		}
		sb_add(out, buf, (size_t)r);
	}
	if (out->len != (size_t)size) {
		sb_addstr(why, "archive member is shorter than its header says");
		return -1;
	}
	return 0;
}

static int parse_sig(const struct sb *s, unsigned char id[KEY_ID_BYTES],
		     unsigned char sig[KEY_SIG_BYTES], char key_hex[2 * KEY_ID_BYTES + 1])
{
	size_t len = 0;

	if (s->len != BUNDLE_SIG_BYTES || memcmp(s->buf, "ed25519 ", 8) != 0 ||
	    s->buf[24] != ' ' || s->buf[BUNDLE_SIG_BYTES - 1] != '\n')
		return -1;
	memcpy(key_hex, s->buf + 8, 2 * KEY_ID_BYTES);
	key_hex[2 * KEY_ID_BYTES] = '\0';
	if (key_id_parse(key_hex, id) < 0 || !hex_ok(s->buf + 25, 2 * KEY_SIG_BYTES))
		return -1;
	if (sodium_hex2bin(sig, KEY_SIG_BYTES, s->buf + 25, 2 * KEY_SIG_BYTES, NULL, &len,
			   NULL) != 0 || len != KEY_SIG_BYTES)
		return -1;
	return 0;
}

/*
 * Check the seal: the last BUNDLE_SEAL_BYTES of the file name a trusted key
 * whose signature covers BLAKE2b-256 of everything before them.  Returns
 * the key, or NULL with the reason in why.
 */
static const struct key_pub *check_seal(struct bundle *b, const struct keyring *kr,
					unsigned char id[KEY_ID_BYTES], struct sb *why)
{
	static const char head[] = "edsync-seal ed25519 ";
	unsigned char msg[SEAL_MSG_BYTES], sig[KEY_SIG_BYTES], h[32];
	char line[BUNDLE_SEAL_BYTES];
	crypto_generichash_state hs;
	const struct key_pub *k;
	struct stat st;
	uint64_t left;
	size_t len = 0;

	if (fstat(b->fd, &st) < 0 || st.st_size < (off_t)BUNDLE_SEAL_BYTES + 16) {
		sb_addstr(why, "not a bundle: too short to hold a seal");
		return NULL;
	}
	b->body = (uint64_t)st.st_size - BUNDLE_SEAL_BYTES;
	if (pread(b->fd, line, sizeof line, (off_t)b->body) != (ssize_t)sizeof line ||
	    memcmp(line, head, sizeof head - 1) != 0 || line[sizeof head - 1 + 16] != ' ' ||
	    line[BUNDLE_SEAL_BYTES - 1] != '\n') {
		sb_addstr(why, "not a bundle: it does not end with a seal");
		return NULL;
	}
	memcpy(b->key_hex, line + sizeof head - 1, 2 * KEY_ID_BYTES);
	b->key_hex[2 * KEY_ID_BYTES] = '\0';
	if (key_id_parse(b->key_hex, id) < 0 ||
	    !hex_ok(line + sizeof head - 1 + 17, 2 * KEY_SIG_BYTES) ||
	    sodium_hex2bin(sig, sizeof sig, line + sizeof head - 1 + 17, 2 * KEY_SIG_BYTES,
			   NULL, &len, NULL) != 0 || len != KEY_SIG_BYTES) {
		sb_addstr(why, "not a bundle: its seal is malformed");
		return NULL;
	}
	k = keyring_find(kr, id);
	if (!k) {
		sb_addf(why, "signed by key %s, which is not trusted here", b->key_hex);
		return NULL;
	}
	crypto_generichash_init(&hs, NULL, 0, sizeof h);
	if (lseek(b->fd, 0, SEEK_SET) < 0) {
		sb_addf(why, "cannot read: %s", strerror(errno));
		return NULL;
	}
	for (left = b->body; left; ) {
		unsigned char buf[1 << 16];
		ssize_t r = read(b->fd, buf, left < sizeof buf ? (size_t)left : sizeof buf);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			sb_addf(why, "cannot read: %s", r < 0 ? strerror(errno) : "file shrank");
			return NULL;
		}
		crypto_generichash_update(&hs, buf, (unsigned long long)r);
		left -= (uint64_t)r;
	}
	crypto_generichash_final(&hs, h, sizeof h);
	seal_message(h, msg);
	if (!key_verify(k, msg, sizeof msg, sig)) {
		sb_addf(why, "seal by key %s does not hold: the file was altered", b->key_hex);
		return NULL;
	}
	return k;
}

es_status bundle_open(const char *path, const struct keyring *kr, struct bundle **out,
		      struct sb *why)
{
	struct bundle *b;
	struct archive_entry *e;
	struct sb sigtext = SB_INIT;
	unsigned char id[KEY_ID_BYTES], mid[KEY_ID_BYTES], sig[KEY_SIG_BYTES];
	char mhex[2 * KEY_ID_BYTES + 1];
	const struct key_pub *k;
	es_status st = ES_REFUSED;
	int fd;

	*out = NULL;
	fd = fsio_open_input(path);
	if (fd < 0) {
		sb_addf(why, "cannot open: %s", errno == EINVAL || errno == ELOOP ?
			"not a regular file" : strerror(errno));
		return errno == ENOENT ? ES_NOINPUT : errno == EINVAL || errno == ELOOP ?
		       ES_REFUSED : ES_IO;
	}
	b = xcalloc(1, sizeof *b);
	b->fd = fd;
	b->path = xstrdup(path);
	*out = b;

	/* The seal first: no byte is decompressed before it holds. */
	k = check_seal(b, kr, id, why);
	if (!k)
		goto done;
	if (archive_begin(b, OPEN_LIMIT) < 0) {
		archive_why(b, why, "not a bundle");
		goto done;
	}
	if (next_entry(b, &e, why) <= 0 || strcmp(archive_entry_pathname(e), "manifest")) {
		if (!why->len)
			sb_addstr(why, "not a bundle: the first member is not the manifest");
		goto done;
	}
	if (read_small(b, e, MF_MAX_BYTES, &b->mtext, why) < 0)
		goto done;
	if (next_entry(b, &e, why) <= 0 || strcmp(archive_entry_pathname(e), "manifest.sig")) {
		if (!why->len)
			sb_addstr(why, "not a bundle: the second member is not the signature");
		goto done;
	}
	if (read_small(b, e, BUNDLE_SIG_BYTES, &sigtext, why) < 0)
		goto done;
	if (parse_sig(&sigtext, mid, sig, mhex) < 0) {
		sb_addstr(why, "signature member is malformed");
		goto done;
	}
	crypto_generichash(b->mhash, sizeof b->mhash, (const unsigned char *)b->mtext.buf,
			   b->mtext.len, NULL, 0);
	if (memcmp(mid, id, KEY_ID_BYTES) != 0) {
		sb_addf(why, "manifest signed by key %s, the seal by key %s", mhex, b->key_hex);
		goto done;
	}
	if (!key_verify(k, b->mtext.buf, b->mtext.len, sig)) {
		sb_addf(why, "signature by key %s does not hold: the manifest was altered",
			b->key_hex);
		goto done;
	}
	b->key = k;
	/* Authenticated: only now is the manifest parsed. */
	if (mf_parse(b->mtext.buf, b->mtext.len, &b->m, why) < 0) {
		st = ES_DATA;
		goto done;
	}
	b->parsed = 1;
	if (strcmp(b->m.key, b->key_hex) != 0) {
		sb_addstr(why, "manifest names another key than the one that signed it");
		goto done;
	}
	if (!strcmp(k->role, "district") &&
	    (strcmp(b->m.district, k->owner) || strcmp(b->m.state, k->state))) {
		sb_addf(why, "bundle claims district %s of %s but is signed by the key of "
			"district %s of %s", b->m.district, b->m.state, k->owner, k->state);
		goto done;
	}
	if (!strcmp(k->role, "state") && strcmp(b->m.state, k->owner)) {
		sb_addf(why, "bundle claims state %s but is signed by the key of state %s",
			b->m.state, k->owner);
		goto done;
	}
	st = ES_OK;
done:
	sb_release(&sigtext);
	archive_end(b);
	if (st != ES_OK && b->parsed) {
		mf_free(&b->m);
		b->parsed = 0;
	}
	return st;
}

const struct manifest *bundle_manifest(const struct bundle *b)
{
	return b->parsed ? &b->m : NULL;
}

const struct key_pub *bundle_key(const struct bundle *b)
{
	return b->key;
}

const char *bundle_manifest_text(const struct bundle *b, size_t *n)
{
	*n = b->mtext.len;
	return b->mtext.buf ? b->mtext.buf : "";
}

const char *bundle_key_id(const struct bundle *b)
{
	return b->key_hex;
}

const unsigned char *bundle_manifest_hash(const struct bundle *b)
{
	return b->mhash;
}

static uint64_t declared_total(const struct manifest *m)
{
	uint64_t t = MF_MAX_BYTES + BUNDLE_SIG_BYTES + TAR_OVERHEAD(m->nmembers);
	size_t i;

	for (i = 0; i < m->nmembers; i++)
		t += m->members[i].bytes + 512;
	return t;
}

/* Open the archive and step past manifest and signature. */
static es_status begin_members(struct bundle *b, struct sb *why)
{
	struct archive_entry *e;
	int i;

	if (!b->parsed)
		return ES_SOFTWARE;
	if (archive_begin(b, declared_total(&b->m)) < 0) {
		archive_why(b, why, "archive is damaged");
		return ES_REFUSED;
	}
	for (i = 0; i < 2; i++)
		if (next_entry(b, &e, why) <= 0) {
			if (!why->len)
				sb_addstr(why, "archive changed while being read");
			return ES_REFUSED;
		}
	return ES_OK;
}

/* The header of member i, which must match the manifest exactly. */
static es_status member_header(struct bundle *b, size_t i, struct sb *why)
{
	const struct mf_member *mm = &b->m.members[i];
	struct archive_entry *e;
	int rc = next_entry(b, &e, why);

	if (rc < 0)
		return ES_REFUSED;
	if (rc == 0) {
		sb_addf(why, "member %s is missing from the archive", mm->name);
		return ES_REFUSED;
	}
	if (strcmp(archive_entry_pathname(e), mm->name) != 0) {
		sb_addf(why, "archive member %s is not the manifest's member %s",
			archive_entry_pathname(e), mm->name);
		return ES_REFUSED;
	}
	if ((uint64_t)archive_entry_size(e) != mm->bytes) {
		sb_addf(why, "member %s is %" PRId64 " bytes, the manifest says %" PRIu64,
			mm->name, (int64_t)archive_entry_size(e), mm->bytes);
		return ES_REFUSED;
	}
	b->member_left = mm->bytes;
	crypto_generichash_init(&b->hs, NULL, 0, 32);
	return ES_OK;
}

ssize_t bundle_member_read(struct bundle *b, void *buf, size_t n)
{
	la_ssize_t r;

	if (b->member_left == 0)
		return 0;
	if (n > b->member_left)
		n = (size_t)b->member_left;
	r = archive_read_data(b->a, buf, n);
	if (r <= 0)
		return -1;
	b->member_left -= (uint64_t)r;
	crypto_generichash_update(&b->hs, buf, (unsigned long long)r);
	return r;
}

/* After a member is read through: does its hash hold? */
static es_status member_tail(struct bundle *b, size_t i, struct sb *why)
{
	const struct mf_member *mm = &b->m.members[i];
	unsigned char h[32];

	if (b->member_left != 0) {
		archive_why(b, why, "archive is damaged");
		return ES_REFUSED;
	}
	crypto_generichash_final(&b->hs, h, sizeof h);
	if (sodium_memcmp(h, mm->blake2b, sizeof h) != 0) {
		sb_addf(why, "member %s does not match its hash in the manifest: it was altered",
			mm->name);
		return ES_REFUSED;
	}
	return ES_OK;
}

static es_status members_end(struct bundle *b, struct sb *why)
{
	struct archive_entry *e;
	int rc = next_entry(b, &e, why);

	if (rc > 0) {
		sb_addf(why, "archive holds a member the manifest does not list: %s",
			archive_entry_pathname(e));
		return ES_REFUSED;
	}
	if (rc < 0)
		return ES_REFUSED;
	/* Drain to the end of the stream so trailing bytes are seen. */
	{
		const void *p;
		la_ssize_t r;

		while ((r = zr_read(b->a, &b->z, &p)) > 0)
			;
		if (r < 0) {
			archive_why(b, why, "archive is damaged");
			return ES_REFUSED;
		}
	}
	/* Nothing follows the end-of-archive blocks (the writer pads no
	 * block): bytes there, a hidden member included, are not the bundle's. */
	if (archive_filter_bytes(b->a, 0) < 0 ||
	    (uint64_t)archive_filter_bytes(b->a, 0) != b->z.total) {
		sb_addstr(why, "bytes follow the end of the archive");
		return ES_REFUSED;
	}
	return ES_OK;
}

es_status bundle_check_members(struct bundle *b, struct sb *why)
{
	static char buf[IOBUF];
	es_status st = begin_members(b, why);
	size_t i;

	for (i = 0; st == ES_OK && i < b->m.nmembers; i++) {
		ssize_t r;

		st = member_header(b, i, why);
		while (st == ES_OK && (r = bundle_member_read(b, buf, sizeof buf)) != 0)
			if (r < 0) {
				archive_why(b, why, "archive is damaged");
				st = ES_REFUSED;
			}
		if (st == ES_OK)
			st = member_tail(b, i, why);
	}
	if (st == ES_OK)
		st = members_end(b, why);
	archive_end(b);
	return st;
}

es_status bundle_each_member(struct bundle *b, bundle_member_fn fn, void *ctx,
			     struct sb *why)
{
	es_status st = begin_members(b, why);
	size_t i;

	for (i = 0; st == ES_OK && i < b->m.nmembers; i++) {
		st = member_header(b, i, why);
		if (st == ES_OK)
			st = fn(ctx, b, &b->m.members[i]);
		if (st == ES_OK) {
			/* The callback may stop early; the rest still counts. */
			char buf[4096];
			ssize_t r;

			while ((r = bundle_member_read(b, buf, sizeof buf)) > 0)
				;
			st = member_tail(b, i, why);
		}
	}
	archive_end(b);
	return st;
}

void bundle_close(struct bundle *b)
{
	if (!b)
		return;
	archive_end(b);
	if (b->parsed)
		mf_free(&b->m);
	ZSTD_freeDCtx(b->z.d);
	free(b->z.ibuf);
	free(b->z.obuf);
	sb_release(&b->mtext);
	close(b->fd);
	free(b->path);
	free(b);
}
