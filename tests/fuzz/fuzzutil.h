/*
 * fuzzutil.h - shared by the fuzz targets (tests/fuzz/fuzz_*.c) and the seed
 * generator (tests/fuzz/make-seeds.c): a per-process temporary folder, a way
 * to put the fuzzer's input into a file, input splitting helpers, and the
 * fixed, public fuzzing key.
 *
 * The fuzzing key is derived from FUZZ_KEY_SEED, which is published here on
 * purpose: it signs the seed bundle so that fuzz_bundle starts past the
 * signature check.  It is trusted by nothing but the fuzz targets.
 */
#ifndef EDSYNC_FUZZUTIL_H
#define EDSYNC_FUZZUTIL_H

#include "../../formats/keys.h"
#include "../../util/sb.h"

#include <fcntl.h>
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FUZZ_TRAP(cond) do { if (!(cond)) __builtin_trap(); } while (0)

/* 32 bytes: the Ed25519 seed of the fuzzing key (public, never trusted). */
#define FUZZ_KEY_SEED "edsync fuzzing key - not secret"
#define FUZZ_KEY_ROLE "district"
#define FUZZ_KEY_OWNER "0042"
#define FUZZ_KEY_STATE "NV"

/*
 * The fuzzing key pair, public part as keys.c builds it: the id is the first
 * KEY_ID_BYTES bytes of BLAKE2b-128 of the public key.  sk may be NULL.
 */
static inline void fuzz_key(struct key_pub *pub, unsigned char sk[crypto_sign_SECRETKEYBYTES])
{
	unsigned char seed[crypto_sign_SEEDBYTES];
	unsigned char skbuf[crypto_sign_SECRETKEYBYTES];
	unsigned char h[16];

	_Static_assert(sizeof FUZZ_KEY_SEED == crypto_sign_SEEDBYTES, "seed is 32 bytes");
	if (sodium_init() < 0)
		abort();
	memcpy(seed, FUZZ_KEY_SEED, sizeof seed);
	memset(pub, 0, sizeof *pub);
	crypto_sign_seed_keypair(pub->pk, skbuf, seed);
	crypto_generichash(h, sizeof h, pub->pk, sizeof pub->pk, NULL, 0);
	memcpy(pub->id, h, KEY_ID_BYTES);
	snprintf(pub->role, sizeof pub->role, "%s", FUZZ_KEY_ROLE);
	snprintf(pub->owner, sizeof pub->owner, "%s", FUZZ_KEY_OWNER);
	snprintf(pub->state, sizeof pub->state, "%s", FUZZ_KEY_STATE);
	if (sk)
		memcpy(sk, skbuf, sizeof skbuf);
	sodium_memzero(skbuf, sizeof skbuf);
}

/*
 * The fuzzing key as a struct key_secret, through a secret key file written
 * to dir (mode 0600) in the format keys.c reads, then removed.  Dies on
 * failure.
 */
static inline struct key_secret *fuzz_secret_key(const char *dir)
{
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
	struct key_pub k;
	struct key_secret *ks = NULL;
	char id[2 * KEY_ID_BYTES + 1], path[256], hex[2 * sizeof sk + 1];
	char err[512] = "";
	FILE *f;
	int fd;

	fuzz_key(&k, sk);
	key_id_hex(k.id, id);
	sodium_bin2hex(hex, sizeof hex, sk, sizeof sk);
	snprintf(path, sizeof path, "%s/fuzzing.key", dir);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (f) {
		struct sb why = SB_INIT;

		fprintf(f, "[secret key]\nalgorithm = ed25519\nrole = %s\nowner = %s\n"
			"state = %s\nid = %s\nkey = %s\n", k.role, k.owner, k.state, id, hex);
		if (fclose(f) == 0 && key_load_secret(path, &ks, &why) != ES_OK)
			snprintf(err, sizeof err, "%s", why.buf ? why.buf : "");
		sb_release(&why);
	}
	unlink(path);
	sodium_memzero(sk, sizeof sk);
	sodium_memzero(hex, sizeof hex);
	if (!ks) {
		fprintf(stderr, "fuzzing key: cannot load: %s\n", err[0] ? err : path);
		abort();
	}
	return ks;
}

/* The per-process temporary folder, made on first use, removed at exit. */
static char fuzz_tmpdir_path[64];
static char fuzz_tmpfile_path[96];

static void fuzz_tmpdir_cleanup(void)
{
	if (fuzz_tmpfile_path[0])
		unlink(fuzz_tmpfile_path);
	if (fuzz_tmpdir_path[0])
		rmdir(fuzz_tmpdir_path);
}

static inline const char *fuzz_tmpdir(void)
{
	if (!fuzz_tmpdir_path[0]) {
		const char *base = getenv("TMPDIR");

		snprintf(fuzz_tmpdir_path, sizeof fuzz_tmpdir_path, "%s/edsync-fuzz.XXXXXX",
			 base && *base && strlen(base) < 40 ? base : "/tmp");
		if (!mkdtemp(fuzz_tmpdir_path)) {
			perror("mkdtemp");
			abort();
		}
		atexit(fuzz_tmpdir_cleanup);
	}
	return fuzz_tmpdir_path;
}

/* Write data to the one input file of this process (mode mode); its path. */
static inline const char *fuzz_write_input(const uint8_t *data, size_t size, mode_t mode)
{
	int fd;

	if (!fuzz_tmpfile_path[0])
		snprintf(fuzz_tmpfile_path, sizeof fuzz_tmpfile_path, "%s/input", fuzz_tmpdir());
	unlink(fuzz_tmpfile_path);
	fd = open(fuzz_tmpfile_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0) {
		perror(fuzz_tmpfile_path);
		abort();
	}
	while (size) {
		ssize_t w = write(fd, data, size);

		if (w <= 0) {
			perror("write");
			abort();
		}
		data += w;
		size -= (size_t)w;
	}
	close(fd);
	return fuzz_tmpfile_path;
}

/*
 * Chunking taken from the input: byte 0 is a count k (mod 8) of chunk sizes
 * that follow, each 1..256 bytes; the payload after them is fed in chunks of
 * those sizes, cycling (k == 0: one feed).  fuzz_chunks_init consumes the
 * prefix.
 */
struct fuzz_chunks {
	unsigned char size[8];
	size_t k, i;
};

static inline void fuzz_chunks_init(struct fuzz_chunks *c, const uint8_t **data, size_t *size)
{
	size_t j;

	memset(c, 0, sizeof *c);
	if (*size < 1)
		return;
	c->k = (*data)[0] % 8;
	(*data)++, (*size)--;
	if (c->k > *size)
		c->k = *size;
	for (j = 0; j < c->k; j++)
		c->size[j] = (*data)[j];
	*data += c->k;
	*size -= c->k;
}

/* The length of the next chunk of at most left bytes. */
static inline size_t fuzz_chunk_next(struct fuzz_chunks *c, size_t left)
{
	size_t n;

	if (!c->k)
		return left;
	n = (size_t)c->size[c->i++ % c->k] + 1;
	return n < left ? n : left;
}

#endif
