/*
 * media.h - offline media: one file that carries files to one recipient
 * and that nobody else can read (a lost USB stick exposes nothing).
 *
 * A district writes its spooled bundles to the state on media; the state
 * writes what it left for a district (receipts, requests) to that
 * district.  The file is encrypted to the recipient's pinned Ed25519 key,
 * converted to X25519: a random 32-byte stream key is sealed to it with
 * crypto_box_seal, and everything after the header is one libsodium
 * secretstream (XChaCha20-Poly1305) in chunks of at most 64 KiB, the first
 * bound to the header, the last tagged FINAL.  Inside the stream, the
 * sender names its key, then come the files (name, size, bytes), then an
 * end record with the count and the sender's Ed25519 signature of all of
 * it.  docs/FORMATS.md, "Offline media", is the full specification.
 *
 * Writing:
 *     media_writer_new(fd, recipient, sender_secret, &w, why)
 *     for each file: media_add_begin(w, name, size, why)
 *                    media_add_write(w, bytes, n, why) ... (size bytes in all)
 *                or  media_add_fd(w, name, fd, why)
 *     media_writer_finish(w, why)        the end record and the last chunk
 *     media_writer_free(w)
 * The writer writes to fd as it goes and never fsyncs: the caller writes
 * into a temporary file and commits it (util/fsio.h).
 *
 * Reading checks before it gives anything out, and gives out nothing it
 * has not authenticated:
 *     media_reader_open(fd, me, trusted, &r, why)
 *         the header: magic, made for this home's key (else ES_REFUSED),
 *         the sealed key opens; then the first chunk and the sender's key:
 *         one of trusted (media_sender_trusted()), or a key this home does
 *         not know (the caller decides; see below), never another key
 *         under the id of a trusted one (ES_REFUSED)
 *     media_next(r, &name, &size, why)  the next file, or name NULL at the
 *         end, which is reported only once the end record, the count, the
 *         FINAL tag, the end of the file and the sender's signature hold
 *     media_read(r, buf, cap, &got, why)  the current file's bytes; got 0 at
 *         its end
 *     media_reader_free(r)
 * A file's bytes are authenticated chunk by chunk as they are read, but
 * the media as a whole only when media_next() reports its end: a caller
 * stages the files and keeps none of them unless the end is reached.
 *
 * Whoever has the recipient's public key can make media for it: the
 * signature tells a trusted sender's media (and any change to it) apart,
 * but the files inside must stand on their own (edsync carries signed
 * bundles, which 'load' checks against the pinned keys).  A sender the
 * recipient does not know is not refused here: a district that has just
 * rotated its key signs with a key the state learns only from the
 * announcement inside.
 *
 * Every function returns ES_OK or a status with the reason in why (no
 * message is printed): ES_DATA for a file that is not media, damaged or
 * truncated (and for names the format cannot carry, when writing),
 * ES_REFUSED for media made for another key, or whose signature does not
 * hold, ES_IO for a failed read or write.
 */
#ifndef EDSYNC_MEDIA_H
#define EDSYNC_MEDIA_H

#include <stddef.h>
#include <stdint.h>

#include "../util/status.h"

struct key_pub;
struct key_secret;
struct keyring;
struct sb;

#define MEDIA_MAGIC "edsync media v1\n"		/* the first 16 bytes */
#define MEDIA_HEADER_BYTES 128
#define MEDIA_CHUNK_MAX 65536			/* plaintext bytes per chunk */
#define MEDIA_NAME_MAX 255
#define MEDIA_FILES_MAX 65536
#define MEDIA_SUFFIX ".media"

/*
 * Is name one a media file can carry: 1 to MEDIA_NAME_MAX bytes of
 * [A-Za-z0-9._-], not starting with '.', not ending in ".part".
 */
int media_name_ok(const char *name);

/* ---- the recipient's key ---- */

/* A secret key that opens media: the X25519 form of an edsync secret key. */
struct media_key;

/*
 * Load the secret key file at path (formats/keys.h: permissions and format
 * checked as key_load_secret does); ES_CONFIG or ES_IO with the reason in
 * err.  Freed (wiped) by media_key_free.
 */
es_status media_key_load(const char *path, struct media_key **out, struct sb *err);
const struct key_pub *media_key_public(const struct media_key *k);
void media_key_free(struct media_key *k);

/* ---- writing ---- */

struct media_writer;

es_status media_writer_new(int fd, const struct key_pub *to, const struct key_secret *from,
			   struct media_writer **out, struct sb *why);
/* A file of exactly size bytes, given by media_add_write. */
es_status media_add_begin(struct media_writer *w, const char *name, uint64_t size,
			  struct sb *why);
es_status media_add_write(struct media_writer *w, const void *p, size_t n, struct sb *why);
/* A whole file from fd (read to its end; its size must not change meanwhile). */
es_status media_add_fd(struct media_writer *w, const char *name, int fd, struct sb *why);
/* The end record and the last chunk: the media is complete (not synced). */
es_status media_writer_finish(struct media_writer *w, struct sb *why);
/* Files added so far. */
uint64_t media_writer_count(const struct media_writer *w);
void media_writer_free(struct media_writer *w);

/* ---- reading ---- */

struct media_reader;

es_status media_reader_open(int fd, const struct media_key *me, const struct keyring *trusted,
			    struct media_reader **out, struct sb *why);
/* The sender's key: the pinned one (role, owner, state) when trusted, else
 * only its public key and id. */
const struct key_pub *media_sender(const struct media_reader *r);
int media_sender_trusted(const struct media_reader *r);
/*
 * The next file (what is left of the current one is skipped): *name (valid
 * until the next call) and *size; *name NULL once the whole media is read
 * and holds.
 */
es_status media_next(struct media_reader *r, const char **name, uint64_t *size,
		     struct sb *why);
/* Up to cap bytes of the current file into buf; *got 0 at its end. */
es_status media_read(struct media_reader *r, void *buf, size_t cap, size_t *got,
		     struct sb *why);
void media_reader_free(struct media_reader *r);

#endif
