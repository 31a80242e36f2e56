/*
 * keys.h - Ed25519 key pairs (libsodium), key files and the keyring.
 *
 * A key file is a small INI text: [public key] or [secret key] with
 * algorithm = ed25519, role (district | state), owner (district ID or state
 * code), state, id and key (hex).  The key id is the first 8 bytes of
 * BLAKE2b-128 of the public key, printed as 16 hex digits; signatures name
 * the key by id so the verifier picks the key without parsing anything it
 * has not authenticated.
 *
 * Secret keys live in sodium_malloc() memory and are wiped on free.  A
 * secret key file readable by group or others is refused (ES_CONFIG), as
 * ssh refuses a loose private key.
 *
 * The keyring is the set of public keys a home trusts: the .pub files of
 * keys/trusted, and on the state those of keys/retired, which carry
 * retired_after = SEQUENCE: the last sequence the retired key may sign.
 */
#ifndef EDSYNC_KEYS_H
#define EDSYNC_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "../util/status.h"

struct sb;

#define KEY_ID_BYTES 8
#define KEY_SIG_BYTES 64

struct key_pub {
	unsigned char pk[32];
	unsigned char id[KEY_ID_BYTES];
	char role[16];		/* "district" or "state" */
	char owner[17];		/* district ID, or the state code */
	char state[3];
	/* A retired key (a district's key after 'edsync key rotate') signs
	 * only bundles up to this sequence; 0: a key in use. */
	uint64_t retired_after;
};

/* The longest key file text accepted from a bundle. */
#define KEY_TEXT_MAX 4096

struct key_secret;		/* opaque: sodium_malloc'd */

/* Make a key pair and write pub_path (0644) and sec_path (0600) durably. */
es_status key_generate(const char *pub_path, const char *sec_path, const char *role,
		       const char *owner, const char *state);

/* Load a public key file; on failure the reason is in err. */
es_status key_load_public(const char *path, struct key_pub *out, struct sb *err);
/* Parse the text of a public key file (from a bundle); name is for messages. */
es_status key_parse_public(const char *name, const char *text, size_t n, struct key_pub *out,
			   struct sb *err);
/* Load a secret key file, refusing loose permissions. */
es_status key_load_secret(const char *path, struct key_secret **out, struct sb *err);
void key_secret_free(struct key_secret *k);
const struct key_pub *key_secret_public(const struct key_secret *k);

void key_sign(const struct key_secret *k, const void *m, size_t n,
	      unsigned char sig[KEY_SIG_BYTES]);
/* 1 when sig is k's signature of m */
int key_verify(const struct key_pub *k, const void *m, size_t n,
	       const unsigned char sig[KEY_SIG_BYTES]);

void key_id_hex(const unsigned char id[KEY_ID_BYTES], char out[2 * KEY_ID_BYTES + 1]);
int key_id_parse(const char *hex, unsigned char id[KEY_ID_BYTES]);

/* The text of a public key file for k (for export and for trust). */
void key_public_text(const struct key_pub *k, struct sb *out);

struct keyring {
	struct key_pub *keys;
	size_t n;
};

/* Load every *.pub in dir (missing dir: an empty ring). */
es_status keyring_load(struct keyring *kr, const char *dir, struct sb *err);
/* Add every *.pub in dir to a loaded ring (missing dir: nothing added). */
es_status keyring_add_dir(struct keyring *kr, const char *dir, struct sb *err);
const struct key_pub *keyring_find(const struct keyring *kr,
				   const unsigned char id[KEY_ID_BYTES]);
void keyring_add(struct keyring *kr, const struct key_pub *k);
void keyring_free(struct keyring *kr);

#endif
