/*
 * bundle.h - signed bundles: writing and checked reading.
 *
 * A bundle is one file: a tar archive (ustar) compressed as one zstd frame
 * (the body), then the seal, a 166-byte line
 *   "edsync-seal ed25519 <key id hex> <signature hex>\n"
 * whose Ed25519 signature covers BLAKE2b-256 of every byte of the body, so
 * no byte of the file can change unnoticed.  The archive's members are, in
 * this order,
 *   manifest        the manifest text (manifest.h)
 *   manifest.sig    "ed25519 <key id hex> <signature hex>\n": the Ed25519
 *                   signature of the manifest's bytes
 *   <members>       in the manifest's order, each hashed there (BLAKE2b-256)
 * docs/FORMATS.md is the full specification.
 *
 * Writing (bw_*): members are streamed into unlinked scratch files (their
 * sizes must precede them in the archive), hashed as they are written, and
 * assembled with the manifest and signature by bw_finish() into out_fd,
 * which the caller commits to a spool.
 *
 * Reading is three steps, so that nothing is parsed before it is
 * authenticated:
 *   bundle_open()           checks the seal (a trusted key; its signature
 *                           over the whole body) before decompressing a
 *                           byte, then reads the first two members, checks
 *                           the manifest's own signature, and only then
 *                           parses the manifest; checks that the signer
 *                           owns what the manifest claims
 *   bundle_check_members()  streams every member through BLAKE2b, checking
 *                           names, types, order, sizes and hashes against
 *                           the manifest; parses nothing
 *   bundle_each_member()    hands each member to the caller as a byte
 *                           stream (bundle_member_read), bounded by its
 *                           declared size
 * Each returns ES_OK, ES_REFUSED (integrity: untrusted key, bad signature,
 * altered or extra member, damaged archive) or ES_DATA/ES_IO, with the
 * reason in why.  Member names are flat (no '/', no leading '.'), members
 * are regular files only (no links, devices or folders).
 */
#ifndef EDSYNC_BUNDLE_H
#define EDSYNC_BUNDLE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "manifest.h"
#include "../util/status.h"

struct keyring;
struct key_secret;
struct key_pub;
struct sb;

#define BUNDLE_SUFFIX ".bundle"
#define BUNDLE_SIG_BYTES 154
#define BUNDLE_SEAL_BYTES 166

/* "<district>-<sequence, 10 digits>-<kind>.bundle" */
void bundle_file_name(char *out, size_t size, const char *district, uint64_t seq,
		      const char *kind);
/* Parse such a name; 0 on success. */
int bundle_name_parse(const char *name, char *district, size_t dsize, uint64_t *seq);

/* ---- writing ---- */

struct bundle_writer;
struct bw_member;

struct bundle_writer *bw_new(const char *scratch_dir);

/*
 * Members staged independently, by any number of threads: open, write, and
 * end (the member joins the bundle) or abort.  The bundle lists its
 * members in increasing order; members of one writer must not share an
 * order.  NULL with *st set on failure.
 */
struct bw_member *bw_member_open(struct bundle_writer *w, const char *object,
				 enum mf_type type, int complete, uint64_t fields,
				 uint64_t order, es_status *st);
es_status bwm_write(struct bw_member *m, const void *p, size_t n);
/* The member joins the bundle, or (on failure) is dropped; m is gone. */
es_status bwm_end(struct bw_member *m, uint64_t rows);
void bwm_abort(struct bw_member *m);

/* The same for one member at a time, listed in the order begun. */
es_status bw_member_begin(struct bundle_writer *w, const char *object, enum mf_type type,
			  int complete, uint64_t fields);
es_status bw_member_write(struct bundle_writer *w, const void *p, size_t n);
es_status bw_member_end(struct bundle_writer *w, uint64_t rows);
/* Drop the member being written (it turned out empty or unusable). */
void bw_member_abort(struct bundle_writer *w);
size_t bw_member_count(const struct bundle_writer *w);
/*
 * Write the bundle to out_fd.  head carries the [bundle] fields (its key
 * field is filled in from k); the members written so far are appended.
 */
es_status bw_finish(struct bundle_writer *w, struct manifest *head,
		    const struct key_secret *k, int out_fd, struct sb *why);
void bw_free(struct bundle_writer *w);
/*
 * Append a seal by k to the file at path, whose bytes are a bundle's body
 * (bw_finish seals what it writes; this is for bodies made otherwise, as
 * tests make them).  0, or -1 with errno.
 */
int bundle_seal_file(const char *path, const struct key_secret *k);

/* ---- reading ---- */

struct bundle;

/*
 * *out is set whenever the file could be opened, even when the result is
 * ES_REFUSED, so that inspect can say what it found; a refused bundle's
 * manifest is not parsed (bundle_manifest() returns NULL), and a bundle
 * whose seal does not hold is not even decompressed (no manifest text).
 */
es_status bundle_open(const char *path, const struct keyring *kr, struct bundle **out,
		      struct sb *why);
const struct manifest *bundle_manifest(const struct bundle *b);
const struct key_pub *bundle_key(const struct bundle *b);
/* The manifest bytes as stored (unparsed when the signature failed). */
const char *bundle_manifest_text(const struct bundle *b, size_t *n);
/* The key id named by the signature, hex. */
const char *bundle_key_id(const struct bundle *b);
/* BLAKE2b-256 of the manifest: names a bundle's content (duplicates). */
const unsigned char *bundle_manifest_hash(const struct bundle *b);

es_status bundle_check_members(struct bundle *b, struct sb *why);

typedef es_status (*bundle_member_fn)(void *ctx, struct bundle *b,
				      const struct mf_member *m);
es_status bundle_each_member(struct bundle *b, bundle_member_fn fn, void *ctx,
			     struct sb *why);
/* Inside the callback: the next bytes of the member; 0 at its end; -1 on error. */
ssize_t bundle_member_read(struct bundle *b, void *buf, size_t n);

void bundle_close(struct bundle *b);

#endif
