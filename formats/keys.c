/* keys.c - Ed25519 keys, key files and the keyring; see keys.h. */
#include "keys.h"
#include "inistrict.h"
#include "manifest.h"
#include "../util/fsio.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct key_secret {
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
	struct key_pub pub;
};

static void key_id_of(const unsigned char pk[32], unsigned char id[KEY_ID_BYTES])
{
	unsigned char h[16];

	crypto_generichash(h, sizeof h, pk, 32, NULL, 0);
	memcpy(id, h, KEY_ID_BYTES);
}

void key_id_hex(const unsigned char id[KEY_ID_BYTES], char out[2 * KEY_ID_BYTES + 1])
{
	sodium_bin2hex(out, 2 * KEY_ID_BYTES + 1, id, KEY_ID_BYTES);
}

int key_id_parse(const char *hex, unsigned char id[KEY_ID_BYTES])
{
	size_t len = 0, i;

	if (strlen(hex) != 2 * KEY_ID_BYTES)
		return -1;
	/* lower case only: one id, one spelling */
	for (i = 0; i < 2 * KEY_ID_BYTES; i++)
		if (!((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f')))
			return -1;
	if (sodium_hex2bin(id, KEY_ID_BYTES, hex, strlen(hex), NULL, &len, NULL) != 0 ||
	    len != KEY_ID_BYTES)
		return -1;
	return 0;
}

static void key_text(struct sb *out, const char *section, const struct key_pub *p,
		     const unsigned char *key, size_t keylen)
{
	char id[2 * KEY_ID_BYTES + 1];

	key_id_hex(p->id, id);
	sb_addf(out, "# edsync %s for %s %s\n[%s]\nalgorithm = ed25519\nrole = %s\n"
		"owner = %s\nstate = %s\nid = %s\nkey = ",
		section, p->role, p->owner, section, p->role, p->owner, p->state, id);
	sb_addhex(out, key, keylen);
	sb_addch(out, '\n');
	if (p->retired_after)
		sb_addf(out, "retired_after = %" PRIu64 "\n", p->retired_after);
}

void key_public_text(const struct key_pub *k, struct sb *out)
{
	key_text(out, "public key", k, k->pk, sizeof k->pk);
}

es_status key_generate(const char *pub_path, const char *sec_path, const char *role,
		       const char *owner, const char *state)
{
	struct key_secret *k = sodium_malloc(sizeof *k);
	struct sb text = SB_INIT;
	es_status st = ES_OK;

	if (!k)
		return ES_IO;
	memset(&k->pub, 0, sizeof k->pub);
	crypto_sign_keypair(k->pub.pk, k->sk);
	key_id_of(k->pub.pk, k->pub.id);
	snprintf(k->pub.role, sizeof k->pub.role, "%s", role);
	snprintf(k->pub.owner, sizeof k->pub.owner, "%s", owner);
	snprintf(k->pub.state, sizeof k->pub.state, "%s", state);

	key_text(&text, "secret key", &k->pub, k->sk, sizeof k->sk);
	if (fsio_write_atomic(sec_path, text.buf, text.len, 0600) < 0)
		st = ES_IO;
	sodium_memzero(text.buf, text.len);
	sb_reset(&text);
	if (st == ES_OK) {
		key_public_text(&k->pub, &text);
		if (fsio_write_atomic(pub_path, text.buf, text.len, 0644) < 0)
			st = ES_IO;
	}
	sb_release(&text);
	sodium_free(k);
	return st;
}

/* ---- reading key files ---- */

struct keyparse {
	const char *section;	/* "public key" or "secret key" */
	struct key_pub *pub;
	unsigned char *sk;	/* secret key destination, or NULL */
	char id_hex[2 * KEY_ID_BYTES + 1];
	unsigned seen;
	char why[128];
};

static int keyfail(struct keyparse *kp, const char *name, const char *why)
{
	if (!kp->why[0])
		snprintf(kp->why, sizeof kp->why, "%s: %s", name, why);
	return 0;
}

static int key_handler(void *user, const char *section, const char *name, const char *value)
{
	static const char *const names[] = { "algorithm", "role", "owner", "state", "id", "key",
					     "retired_after" };
	struct keyparse *kp = user;
	size_t len = 0, i;

	if (strcmp(section, kp->section) != 0)
		return keyfail(kp, section, "unexpected section");
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(name, names[i]) && (kp->seen & (1u << i)))
			return keyfail(kp, name, "given twice");
	if (!strcmp(name, "algorithm")) {
		if (strcmp(value, "ed25519"))
			return keyfail(kp, name, "only ed25519 keys are known");
		kp->seen |= 1;
	} else if (!strcmp(name, "role")) {
		if (strcmp(value, "district") && strcmp(value, "state"))
			return keyfail(kp, name, "must be district or state");
		snprintf(kp->pub->role, sizeof kp->pub->role, "%s", value);
		kp->seen |= 2;
	} else if (!strcmp(name, "owner")) {
		if (!mf_district_ok(value) && !mf_state_ok(value))
			return keyfail(kp, name, "not a district ID or state code");
		snprintf(kp->pub->owner, sizeof kp->pub->owner, "%s", value);
		kp->seen |= 4;
	} else if (!strcmp(name, "state")) {
		if (!mf_state_ok(value))
			return keyfail(kp, name, "not a two-letter state code");
		snprintf(kp->pub->state, sizeof kp->pub->state, "%s", value);
		kp->seen |= 8;
	} else if (!strcmp(name, "id")) {
		if (strlen(value) != 2 * KEY_ID_BYTES)
			return keyfail(kp, name, "not a key id");
		snprintf(kp->id_hex, sizeof kp->id_hex, "%s", value);
		kp->seen |= 16;
	} else if (!strcmp(name, "key")) {
		if (kp->sk) {
			if (sodium_hex2bin(kp->sk, crypto_sign_SECRETKEYBYTES, value,
					   strlen(value), NULL, &len, NULL) != 0 ||
			    len != crypto_sign_SECRETKEYBYTES)
				return keyfail(kp, name, "not a 64-byte ed25519 secret key in hex");
			crypto_sign_ed25519_sk_to_pk(kp->pub->pk, kp->sk);
		} else if (sodium_hex2bin(kp->pub->pk, sizeof kp->pub->pk, value,
					  strlen(value), NULL, &len, NULL) != 0 ||
			   len != sizeof kp->pub->pk) {
			return keyfail(kp, name, "not a 32-byte ed25519 public key in hex");
		}
		kp->seen |= 32;
	} else if (!strcmp(name, "retired_after") && !kp->sk) {
		char *end;

		errno = 0;
		if (value[0] < '1' || value[0] > '9' ||
		    (kp->pub->retired_after = strtoull(value, &end, 10), errno || *end))
			return keyfail(kp, name, "not a sequence number");
		kp->seen |= 64;
	} else {
		return keyfail(kp, name, "unknown field");
	}
	return 1;
}

/* What is left to check once the parser has run (rc is inih's). */
static es_status parse_key_end(int rc, const char *path, struct keyparse *kp, struct sb *err)
{
	char want[2 * KEY_ID_BYTES + 1];

	if (rc != 0 || kp->why[0]) {
		sb_addf(err, "%s:%d: %s", path, rc > 0 ? rc : 0,
			kp->why[0] ? kp->why : "not a key file");
		return ES_CONFIG;
	}
	if ((kp->seen & 63) != 63) {
		sb_addf(err, "%s: not a complete edsync key file", path);
		return ES_CONFIG;
	}
	key_id_of(kp->pub->pk, kp->pub->id);
	key_id_hex(kp->pub->id, want);
	if (strcmp(want, kp->id_hex) != 0) {
		sb_addf(err, "%s: id does not belong to the key", path);
		return ES_CONFIG;
	}
	return ES_OK;
}

static es_status parse_key_fd(int fd, const char *path, struct keyparse *kp, struct sb *err)
{
	FILE *f = fdopen(fd, "r");
	int rc;

	if (!f) {
		close(fd);
		sb_addf(err, "%s: %s", path, strerror(errno));
		return ES_IO;
	}
	ini_strict();
	rc = ini_parse_file(f, key_handler, kp);
	fclose(f);
	return parse_key_end(rc, path, kp, err);
}

es_status key_parse_public(const char *name, const char *text, size_t n, struct key_pub *out,
			   struct sb *err)
{
	struct keyparse kp;
	char *copy;
	int rc;

	memset(&kp, 0, sizeof kp);
	memset(out, 0, sizeof *out);
	if (n > KEY_TEXT_MAX || memchr(text, '\0', n)) {
		sb_addf(err, "%s: not a public key file", name);
		return ES_CONFIG;
	}
	kp.section = "public key";
	kp.pub = out;
	copy = xmalloc(n + 1);
	memcpy(copy, text, n);
	copy[n] = '\0';
	ini_strict();
	rc = ini_parse_string(copy, key_handler, &kp);
	free(copy);
	return parse_key_end(rc, name, &kp, err);
}

es_status key_load_public(const char *path, struct key_pub *out, struct sb *err)
{
	struct keyparse kp;
	int fd = fsio_open_input(path);

	if (fd < 0) {
		sb_addf(err, "%s: %s", path, strerror(errno));
		return es_from_errno(errno);
	}
	memset(&kp, 0, sizeof kp);
	memset(out, 0, sizeof *out);
	kp.section = "public key";
	kp.pub = out;
	return parse_key_fd(fd, path, &kp, err);
}

es_status key_load_secret(const char *path, struct key_secret **out, struct sb *err)
{
	struct keyparse kp;
	struct key_secret *k;
	struct stat st;
	es_status rc;
	int fd = fsio_open_input(path);

	*out = NULL;
	if (fd < 0) {
		sb_addf(err, "%s: %s", path, strerror(errno));
		return errno == ENOENT ? ES_CONFIG : ES_IO;
	}
	if (fstat(fd, &st) < 0 || (st.st_mode & 077)) {
		sb_addf(err, "%s: secret key is readable by group or others (mode %04o); "
			"run 'chmod 600 %s'", path, (unsigned)(st.st_mode & 07777), path);
		close(fd);
		return ES_CONFIG;
	}
	k = sodium_malloc(sizeof *k);
	if (!k) {
		close(fd);
		sb_addf(err, "%s: cannot allocate secure memory", path);
		return ES_IO;
	}
	memset(&kp, 0, sizeof kp);
	memset(&k->pub, 0, sizeof k->pub);
	kp.section = "secret key";
	kp.pub = &k->pub;
	kp.sk = k->sk;
	rc = parse_key_fd(fd, path, &kp, err);
	if (rc != ES_OK) {
		sodium_free(k);
		return rc;
	}
	*out = k;
	return ES_OK;
}

void key_secret_free(struct key_secret *k)
{
	if (k)
		sodium_free(k);
}

const struct key_pub *key_secret_public(const struct key_secret *k)
{
	return &k->pub;
}

void key_sign(const struct key_secret *k, const void *m, size_t n,
	      unsigned char sig[KEY_SIG_BYTES])
{
	crypto_sign_detached(sig, NULL, m, n, k->sk);
}

int key_verify(const struct key_pub *k, const void *m, size_t n,
	       const unsigned char sig[KEY_SIG_BYTES])
{
	return crypto_sign_verify_detached(sig, m, n, k->pk) == 0;
}

/* ---- keyring ---- */

void keyring_add(struct keyring *kr, const struct key_pub *k)
{
	kr->keys = xrealloc(kr->keys, (kr->n + 1) * sizeof *kr->keys);
	kr->keys[kr->n++] = *k;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

es_status keyring_load(struct keyring *kr, const char *dir, struct sb *err)
{
	kr->keys = NULL;
	kr->n = 0;
	return keyring_add_dir(kr, dir, err);
}

es_status keyring_add_dir(struct keyring *kr, const char *dir, struct sb *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, i;
	es_status st = ES_OK;

	if (!d)
		return errno == ENOENT ? ES_OK : ES_IO;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (e->d_name[0] == '.' || len < 5 || strcmp(e->d_name + len - 4, ".pub"))
			continue;
		names = xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = xpath(dir, e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, name_cmp);
	for (i = 0; i < n; i++) {
		struct key_pub k;

		if (st == ES_OK) {
			st = key_load_public(names[i], &k, err);
			if (st == ES_OK)
				keyring_add(kr, &k);
		}
		free(names[i]);
	}
	free(names);
	return st;
}

const struct key_pub *keyring_find(const struct keyring *kr,
				   const unsigned char id[KEY_ID_BYTES])
{
	size_t i;

	for (i = 0; i < kr->n; i++)
		if (memcmp(kr->keys[i].id, id, KEY_ID_BYTES) == 0)
			return &kr->keys[i];
	return NULL;
}

void keyring_free(struct keyring *kr)
{
	free(kr->keys);
	kr->keys = NULL;
	kr->n = 0;
}
