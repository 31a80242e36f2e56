/*
 * fuzz_bundle.c - signed bundles (formats/bundle.h): bundle_open() with a
 * keyring that trusts the fixed fuzzing key (fuzzutil.h), then
 * bundle_check_members() and bundle_each_member() reading every member to
 * its end.  The bundle file is written to a per-process temporary folder.
 *
 * A bundle is a zstd body sealed as a whole (an Ed25519 signature over its
 * BLAKE2b-256 at the end of the file), around a tar whose first member, the
 * manifest, is signed again: a mutation of a real bundle never gets past the
 * seal.  So byte 0 of the input (its low two bits) picks how the rest becomes
 * the file; the target signs with the fuzzing key, through edsync's own
 * bundle_seal_file() and key_sign():
 *   0  the rest is the file as it is (the seal's own checks);
 *   3  the rest is the body: the target seals it (zstd and tar damage
 *      behind a seal that holds);
 *   1  the rest is the tar: the target fixes the tar header checksums,
 *      compresses it (zstd, frame checksum) and seals it (tar and member
 *      checks; the manifest signature holds only if the manifest is left
 *      alone);
 *   2  two bytes of length n (big-endian), n bytes of manifest, then the
 *      tar of the members: the target signs the manifest, writes the
 *      manifest and manifest.sig members, appends the rest (header checksums
 *      fixed), compresses and seals (everything after the signatures:
 *      mf_parse of trusted bytes, sizes, hashes, order, extra members).
 * Byte 0 >> 2 also sets the read size of bundle_each_member's callback.
 * The seed corpus (tests/fuzz/make-seeds.c) holds real bundles signed by the
 * fuzzing key in all four forms.
 *
 * FUZZ_VERBOSE=1 in the environment prints what became of each input.
 *
 * Invariants: nothing crashes or leaks; a bundle that opens has a parsed
 * manifest and the trusted key; a refused one has no manifest and a reason;
 * bundle_member_read() never returns more than asked nor more than the
 * member's declared size, and 0 for ever at its end; when
 * bundle_check_members() passes, bundle_each_member() passes too and reads
 * every declared byte.
 */
#include "../../formats/bundle.h"
#include "../../formats/keys.h"
#include "../../formats/manifest.h"
#include "../../util/sb.h"
#include "fuzzutil.h"

#include <stdint.h>
#include <string.h>
#include <zstd.h>

static struct keyring ring;
static struct key_secret *fuzz_ks;
static ZSTD_CCtx *cctx;

/* ---- building the bundle file from the input ---- */

static void tar_checksum(unsigned char *h)
{
	unsigned sum = 0;
	size_t i;

	memset(h + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum & 0777777);
	h[155] = ' ';
}

static void tar_header(unsigned char *h, const char *name, size_t size)
{
	memset(h, 0, 512);
	snprintf((char *)h, 100, "%s", name);
	memcpy(h + 100, "0000600", 8);
	memcpy(h + 108, "0000000", 8);
	memcpy(h + 116, "0000000", 8);
	snprintf((char *)h + 124, 12, "%011llo", (unsigned long long)size);
	memcpy(h + 136, "00000000000", 12);
	h[156] = '0';
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	tar_checksum(h);
}

/* Fix the checksum of every header of the tar in p[0..n), walking by the
 * sizes the headers give, up to the first zero block. */
static void tar_fix(unsigned char *p, size_t n)
{
	size_t off = 0;

	while (off + 512 <= n) {
		unsigned char *h = p + off;
		uint64_t size = 0;
		size_t i;

		for (i = 0; i < 512 && !h[i]; i++)
			;
		if (i == 512)
			break;
		tar_checksum(h);
		for (i = 124; i < 136 && h[i] == ' '; i++)
			;
		for (; i < 136 && h[i] >= '0' && h[i] <= '7'; i++)
			size = size * 8 + (uint64_t)(h[i] - '0');
		if (size > n)
			break;
		off += 512 + (size_t)((size + 511) / 512) * 512;
	}
}

/* The body of the bundle for the input (modes 1 and 2), in out. */
static void build(unsigned mode, const uint8_t *data, size_t size, struct sb *out)
{
	struct sb tar = SB_INIT;
	size_t off;

	sb_reset(out);
	if (mode == 1) {
		sb_add(&tar, data, size);
		off = 0;
	} else {
		unsigned char h[512], sig[KEY_SIG_BYTES];
		char id[2 * KEY_ID_BYTES + 1];
		struct sb sigtext = SB_INIT;
		size_t mlen = size >= 2 ? (size_t)data[0] << 8 | data[1] : 0;

		data += size >= 2 ? 2 : size;
		size -= size >= 2 ? 2 : size;
		if (mlen > size)
			mlen = size;
		tar_header(h, "manifest", mlen);
		sb_add(&tar, h, sizeof h);
		sb_add(&tar, data, mlen);
		memset(h, 0, sizeof h);
		sb_add(&tar, h, (512 - mlen % 512) % 512);
		key_sign(fuzz_ks, data, mlen, sig);
		key_id_hex(ring.keys[0].id, id);
		sb_addf(&sigtext, "ed25519 %s ", id);
		sb_addhex(&sigtext, sig, sizeof sig);
		sb_addch(&sigtext, '\n');
		tar_header(h, "manifest.sig", sigtext.len);
		sb_add(&tar, h, sizeof h);
		sb_add(&tar, sigtext.buf, sigtext.len);
		memset(h, 0, sizeof h);
		sb_add(&tar, h, (512 - sigtext.len % 512) % 512);
		sb_release(&sigtext);
		off = tar.len;
		sb_add(&tar, data + mlen, size - mlen);
	}
	if (tar.len > off)
		tar_fix((unsigned char *)tar.buf + off, tar.len - off);
	{
		size_t bound = ZSTD_compressBound(tar.len), r;

		sb_grow(out, bound);
		r = ZSTD_compress2(cctx, out->buf, bound, tar.len ? tar.buf : "", tar.len);
		FUZZ_TRAP(!ZSTD_isError(r));
		out->len = r;
	}
	sb_release(&tar);
}

struct ctx {
	size_t members;
	size_t bufsize;		/* read size, from the input */
	uint64_t total;
	unsigned char h[32];
	crypto_generichash_state hs;
};

static es_status on_member(void *vctx, struct bundle *b, const struct mf_member *m)
{
	struct ctx *c = vctx;
	unsigned char buf[4096];
	uint64_t got = 0;
	ssize_t r;

	c->members++;
	while ((r = bundle_member_read(b, buf, c->bufsize)) > 0) {
		FUZZ_TRAP((size_t)r <= c->bufsize);
		got += (uint64_t)r;
		FUZZ_TRAP(got <= m->bytes);
		crypto_generichash_update(&c->hs, buf, (unsigned long long)r);
	}
	/* at its end, the member keeps saying so */
	if (r == 0) {
		FUZZ_TRAP(got == m->bytes);
		FUZZ_TRAP(bundle_member_read(b, buf, c->bufsize) == 0);
	}
	c->total += got;
	return ES_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bundle *b = NULL;
	struct sb why = SB_INIT;
	struct ctx c;
	static struct sb file = SB_INIT;
	const char *path;
	es_status st, chk;
	unsigned mode;
	static int verbose = -1;

	if (!ring.n) {
		struct key_pub k;

		fuzz_key(&k, NULL);
		keyring_add(&ring, &k);
		fuzz_ks = fuzz_secret_key(fuzz_tmpdir());
		FUZZ_TRAP(!memcmp(key_secret_public(fuzz_ks)->id, k.id, sizeof k.id));
		cctx = ZSTD_createCCtx();
		ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 1);
		ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
	}
	if (verbose < 0)	/* FUZZ_VERBOSE=1: say what became of each input */
		verbose = getenv("FUZZ_VERBOSE") != NULL;
	if (size < 1)
		return 0;
	memset(&c, 0, sizeof c);
	mode = data[0] & 3;
	c.bufsize = (size_t)(data[0] >> 2) * 64 + 1;
	if (mode == 0 || mode == 3) {
		path = fuzz_write_input(data + 1, size - 1, 0600);
	} else {
		build(mode, data + 1, size - 1, &file);
		path = fuzz_write_input((const uint8_t *)file.buf, file.len, 0600);
	}
	if (mode != 0 && bundle_seal_file(path, fuzz_ks) < 0)
		__builtin_trap();
	st = bundle_open(path, &ring, &b, &why);
	if (st != ES_OK) {
		FUZZ_TRAP(why.len > 0);
		FUZZ_TRAP(!b || bundle_manifest(b) == NULL);
		goto out;
	}
	FUZZ_TRAP(b != NULL && bundle_manifest(b) != NULL);
	FUZZ_TRAP(bundle_key(b) == &ring.keys[0]);
	FUZZ_TRAP(bundle_manifest(b)->nmembers <= MF_MAX_MEMBERS);

	chk = bundle_check_members(b, &why);
	FUZZ_TRAP(chk == ES_OK || why.len > 0);
	if (verbose && chk != ES_OK)
		fprintf(stderr, "fuzz_bundle: check: %s\n", why.buf);
	sb_reset(&why);
	crypto_generichash_init(&c.hs, NULL, 0, sizeof c.h);
	st = bundle_each_member(b, on_member, &c, &why);
	FUZZ_TRAP(st == ES_OK || why.len > 0);
	if (chk == ES_OK) {
		const struct manifest *m = bundle_manifest(b);
		uint64_t want = 0;
		size_t i;

		FUZZ_TRAP(st == ES_OK);
		FUZZ_TRAP(c.members == m->nmembers);
		for (i = 0; i < m->nmembers; i++)
			want += m->members[i].bytes;
		FUZZ_TRAP(c.total == want);
	}
	crypto_generichash_final(&c.hs, c.h, sizeof c.h);
	if (verbose)
		fprintf(stderr, "fuzz_bundle: mode %u: check %d, each %d, %zu members: %s\n",
			mode, chk, st, c.members, why.len ? why.buf : "ok");
	goto done;
out:
	if (verbose)
		fprintf(stderr, "fuzz_bundle: mode %u: open %d: %s\n", mode, st, why.buf);
done:
	bundle_close(b);
	sb_release(&why);
	return 0;
}
