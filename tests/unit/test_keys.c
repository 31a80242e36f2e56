/* test_keys.c - key pairs, key files, signatures, the keyring (formats/keys.h). */
#include "../../formats/keys.h"
#include "../../util/sb.h"
#include "../../util/xalloc.h"
#include "helpers/testutil.h"

#include <check.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *dir;

static void setup(void)
{
	dir = tu_tmpdir();
}

static void teardown(void)
{
	tu_rmtree(dir);
	free(dir);
	dir = NULL;
}

static unsigned mode_of(const char *path)
{
	struct stat st;

	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	return (unsigned)(st.st_mode & 07777);
}

/* Generate name.pub / name.sec in dir; paths returned malloc'd. */
static void gen(const char *name, const char *role, const char *owner, const char *state,
		char **pub, char **sec)
{
	char *p = xasprintf("%s/%s.pub", dir, name);
	char *s = xasprintf("%s/%s.sec", dir, name);

	ck_assert_int_eq(key_generate(p, s, role, owner, state), ES_OK);
	*pub = p;
	*sec = s;
}

static void id_of(const unsigned char pk[32], unsigned char id[KEY_ID_BYTES])
{
	unsigned char h[16];

	crypto_generichash(h, sizeof h, pk, 32, NULL, 0);
	memcpy(id, h, KEY_ID_BYTES);
}

START_TEST(test_generate_modes_whatever_the_umask)
{
	static const mode_t masks[] = { 0, 022, 077, 0777 };
	size_t i;

	for (i = 0; i < sizeof masks / sizeof masks[0]; i++) {
		mode_t old = umask(masks[i]);
		char name[16];
		char *pub, *sec;

		snprintf(name, sizeof name, "k%zu", i);
		gen(name, "district", "0042", "NV", &pub, &sec);
		umask(old);
		ck_assert_uint_eq(mode_of(sec), 0600);
		ck_assert_uint_eq(mode_of(pub), 0644);
		free(pub);
		free(sec);
	}
}
END_TEST

START_TEST(test_generate_and_load_back)
{
	struct key_pub p;
	struct key_secret *k = NULL;
	const struct key_pub *kp;
	struct sb err = SB_INIT, text = SB_INIT, want = SB_INIT;
	unsigned char id[KEY_ID_BYTES];
	char idhex[17];
	char *pub, *sec, *file;
	size_t n;

	gen("d", "district", "0042", "NV", &pub, &sec);
	ck_assert_int_eq(key_load_public(pub, &p, &err), ES_OK);
	ck_assert_uint_eq(err.len, 0);
	ck_assert_str_eq(p.role, "district");
	ck_assert_str_eq(p.owner, "0042");
	ck_assert_str_eq(p.state, "NV");
	/* the id is the first 8 bytes of BLAKE2b-128 of the public key */
	id_of(p.pk, id);
	ck_assert_mem_eq(p.id, id, KEY_ID_BYTES);

	ck_assert_int_eq(key_load_secret(sec, &k, &err), ES_OK);
	ck_assert_ptr_nonnull(k);
	kp = key_secret_public(k);
	ck_assert_mem_eq(kp->pk, p.pk, 32);
	ck_assert_mem_eq(kp->id, p.id, KEY_ID_BYTES);
	ck_assert_str_eq(kp->role, "district");
	ck_assert_str_eq(kp->owner, "0042");
	ck_assert_str_eq(kp->state, "NV");

	/* the .pub file is exactly key_public_text, in the documented form */
	file = tu_read(pub, &n);
	key_public_text(&p, &text);
	ck_assert_uint_eq(n, text.len);
	ck_assert_mem_eq(file, text.buf, n);
	key_id_hex(p.id, idhex);
	sb_addf(&want, "# edsync public key for district 0042\n[public key]\nalgorithm = ed25519\n"
		"role = district\nowner = 0042\nstate = NV\nid = %s\nkey = ", idhex);
	sb_addhex(&want, p.pk, 32);
	sb_addch(&want, '\n');
	ck_assert_str_eq(file, want.buf);
	free(file);
	/* the secret file names the same id and holds no more than one key */
	file = tu_read(sec, &n);
	ck_assert_ptr_nonnull(strstr(file, "[secret key]\n"));
	ck_assert_ptr_nonnull(strstr(file, idhex));
	free(file);

	key_secret_free(k);
	key_secret_free(NULL);
	free(pub);
	free(sec);
	sb_release(&err);
	sb_release(&text);
	sb_release(&want);
}
END_TEST

START_TEST(test_state_key)
{
	struct key_pub p;
	struct sb err = SB_INIT;
	char *pub, *sec;

	gen("s", "state", "NV", "NV", &pub, &sec);
	ck_assert_int_eq(key_load_public(pub, &p, &err), ES_OK);
	ck_assert_str_eq(p.role, "state");
	ck_assert_str_eq(p.owner, "NV");
	ck_assert_str_eq(p.state, "NV");
	free(pub);
	free(sec);
	sb_release(&err);
}
END_TEST

START_TEST(test_sign_verify_and_bit_flips)
{
	static const char msg[] = "[bundle]\nformat = 1\ndistrict = 0042\n";
	unsigned char sig[KEY_SIG_BYTES], m2[sizeof msg], s2[KEY_SIG_BYTES];
	struct key_secret *k = NULL, *other = NULL;
	struct key_pub p;
	struct sb err = SB_INIT;
	char *pub, *sec, *opub, *osec;
	size_t i;
	int b;

	gen("a", "district", "0042", "NV", &pub, &sec);
	gen("b", "district", "0042", "NV", &opub, &osec);
	ck_assert_int_eq(key_load_public(pub, &p, &err), ES_OK);
	ck_assert_int_eq(key_load_secret(sec, &k, &err), ES_OK);
	ck_assert_int_eq(key_load_secret(osec, &other, &err), ES_OK);

	key_sign(k, msg, sizeof msg - 1, sig);
	ck_assert_int_eq(key_verify(&p, msg, sizeof msg - 1, sig), 1);
	ck_assert_int_eq(key_verify(key_secret_public(k), msg, sizeof msg - 1, sig), 1);
	/* deterministic (Ed25519) */
	key_sign(k, msg, sizeof msg - 1, s2);
	ck_assert_mem_eq(s2, sig, KEY_SIG_BYTES);
	/* every one-bit change of the message fails */
	for (i = 0; i < sizeof msg - 1; i++)
		for (b = 0; b < 8; b++) {
			memcpy(m2, msg, sizeof msg);
			m2[i] ^= (unsigned char)(1u << b);
			ck_assert_msg(key_verify(&p, m2, sizeof msg - 1, sig) == 0,
				      "message bit %zu.%d flipped, still verifies", i, b);
		}
	/* every one-bit change of the signature fails */
	for (i = 0; i < KEY_SIG_BYTES; i++)
		for (b = 0; b < 8; b++) {
			memcpy(s2, sig, KEY_SIG_BYTES);
			s2[i] ^= (unsigned char)(1u << b);
			ck_assert_msg(key_verify(&p, msg, sizeof msg - 1, s2) == 0,
				      "signature bit %zu.%d flipped, still verifies", i, b);
		}
	/* shorter or longer message, another key */
	ck_assert_int_eq(key_verify(&p, msg, sizeof msg - 2, sig), 0);
	ck_assert_int_eq(key_verify(&p, msg, sizeof msg, sig), 0);
	ck_assert_int_eq(key_verify(key_secret_public(other), msg, sizeof msg - 1, sig), 0);
	key_sign(other, msg, sizeof msg - 1, s2);
	ck_assert_int_eq(key_verify(&p, msg, sizeof msg - 1, s2), 0);
	/* the empty message signs too */
	key_sign(k, "", 0, s2);
	ck_assert_int_eq(key_verify(&p, "", 0, s2), 1);
	ck_assert_int_eq(key_verify(&p, "x", 1, s2), 0);

	key_secret_free(k);
	key_secret_free(other);
	free(pub);
	free(sec);
	free(opub);
	free(osec);
	sb_release(&err);
}
END_TEST

static const unsigned loose_modes[] = { 0640, 0604, 0644, 0660, 0606, 0601, 0610, 0666 };

START_TEST(test_secret_refused_when_loose)
{
	unsigned mode = loose_modes[_i];
	static char dummy;
	struct key_secret *k = (struct key_secret *)(void *)&dummy;	/* must become NULL */
	struct sb err = SB_INIT, want = SB_INIT;
	char *pub, *sec;

	gen("l", "district", "0042", "NV", &pub, &sec);
	ck_assert_int_eq(chmod(sec, mode), 0);
	ck_assert_int_eq(key_load_secret(sec, &k, &err), ES_CONFIG);
	ck_assert_ptr_null(k);
	sb_addf(&want, "%s: secret key is readable by group or others (mode %04o); "
		"run 'chmod 600 %s'", sec, mode, sec);
	ck_assert_str_eq(err.buf, want.buf);
	free(pub);
	free(sec);
	sb_release(&err);
	sb_release(&want);
}
END_TEST

START_TEST(test_secret_tight_modes_accepted)
{
	static const unsigned ok[] = { 0600, 0400 };
	struct key_secret *k = NULL;
	struct sb err = SB_INIT;
	char *pub, *sec;
	size_t i;

	gen("t", "district", "0042", "NV", &pub, &sec);
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(chmod(sec, ok[i]), 0);
		ck_assert_int_eq(key_load_secret(sec, &k, &err), ES_OK);
		ck_assert_ptr_nonnull(k);
		key_secret_free(k);
		k = NULL;
	}
	free(pub);
	free(sec);
	sb_release(&err);
}
END_TEST

/* Replace the value of "name = " in a key file. */
static void set_line(const char *path, const char *name, const char *value, mode_t mode)
{
	struct sb out = SB_INIT, prefix = SB_INIT;
	char *text = tu_read(path, NULL);
	const char *at, *eol;

	sb_addf(&prefix, "\n%s = ", name);
	at = strstr(text, prefix.buf);
	ck_assert_ptr_nonnull(at);
	eol = strchr(at + 1, '\n');
	sb_add(&out, text, (size_t)(at - text) + prefix.len);
	sb_addstr(&out, value);
	sb_addstr(&out, eol);
	ck_assert_int_eq(unlink(path), 0);
	free(tu_write(dir, strrchr(path, '/') + 1, out.buf, out.len));
	ck_assert_int_eq(chmod(path, mode), 0);
	free(text);
	sb_release(&out);
	sb_release(&prefix);
}

START_TEST(test_id_must_match_key)
{
	struct key_pub p, q;
	struct key_secret *k = NULL;
	struct sb err = SB_INIT, want = SB_INIT;
	char *pub, *sec, *pub2, *sec2;
	char other_id[17];

	gen("x", "district", "0042", "NV", &pub, &sec);
	gen("y", "district", "0042", "NV", &pub2, &sec2);
	ck_assert_int_eq(key_load_public(pub2, &q, &err), ES_OK);
	key_id_hex(q.id, other_id);

	/* a public key file that names another key's id */
	set_line(pub, "id", other_id, 0644);
	ck_assert_int_eq(key_load_public(pub, &p, &err), ES_CONFIG);
	sb_addf(&want, "%s: id does not belong to the key", pub);
	ck_assert_str_eq(err.buf, want.buf);

	/* the same for a secret key file */
	sb_reset(&err);
	sb_reset(&want);
	set_line(sec, "id", other_id, 0600);
	ck_assert_int_eq(key_load_secret(sec, &k, &err), ES_CONFIG);
	ck_assert_ptr_null(k);
	sb_addf(&want, "%s: id does not belong to the key", sec);
	ck_assert_str_eq(err.buf, want.buf);

	/* a public key swapped under a kept id */
	sb_reset(&err);
	sb_reset(&want);
	{
		struct sb hex = SB_INIT;

		sb_addhex(&hex, q.pk, 32);
		set_line(pub2, "key", hex.buf, 0644);	/* rewritten as it was: loads */
		ck_assert_int_eq(key_load_public(pub2, &p, &err), ES_OK);
		hex.buf[0] = hex.buf[0] == '0' ? '1' : '0';
		set_line(pub2, "key", hex.buf, 0644);
		ck_assert_int_eq(key_load_public(pub2, &p, &err), ES_CONFIG);
		sb_addf(&want, "%s: id does not belong to the key", pub2);
		ck_assert_str_eq(err.buf, want.buf);
		sb_release(&hex);
	}
	free(pub);
	free(sec);
	free(pub2);
	free(sec2);
	sb_release(&err);
	sb_release(&want);
}
END_TEST

struct keyfile_case {
	const char *what;
	const char *text;	/* a public key file; ID is replaced by the real id */
	const char *err;	/* after "<path>" */
};

START_TEST(test_public_file_refusals)
{
	static const struct keyfile_case cases[] = {
		{ "unknown field", "[public key]\nalgorithm = ed25519\ncolor = red\n",
		  ":3: color: unknown field" },
		{ "algorithm", "[public key]\nalgorithm = rsa\n",
		  ":2: algorithm: only ed25519 keys are known" },
		{ "role", "[public key]\nrole = admin\n", ":2: role: must be district or state" },
		{ "owner", "# c\n[public key]\nowner = 00a2\n",
		  ":3: owner: not a district ID or state code" },
		{ "state", "[public key]\nstate = nv\n", ":2: state: not a two-letter state code" },
		{ "id length", "[public key]\nid = 0011\n", ":2: id: not a key id" },
		{ "key not hex", "[public key]\nkey = zz\n",
		  ":2: key: not a 32-byte ed25519 public key in hex" },
		{ "secret section", "[secret key]\nalgorithm = ed25519\n",
		  ":2: secret key: unexpected section" },
		{ "not ini", "[public key]\njunk\n", ":2: not a key file" },
		{ "incomplete", "[public key]\nalgorithm = ed25519\nrole = state\n",
		  ": not a complete edsync key file" },
		{ "empty", "", ": not a complete edsync key file" },
		{ "retired_after zero", "[public key]\nretired_after = 0\n",
		  ":2: retired_after: not a sequence number" },
		{ "retired_after sign", "[public key]\nretired_after = +4\n",
		  ":2: retired_after: not a sequence number" },
		{ "retired_after junk", "[public key]\nretired_after = 4x\n",
		  ":2: retired_after: not a sequence number" },
		{ "retired_after huge", "[public key]\nretired_after = 99999999999999999999\n",
		  ":2: retired_after: not a sequence number" },
		{ "retired_after twice", "[public key]\nretired_after = 4\nretired_after = 5\n",
		  ":3: retired_after: given twice" },
	};
	struct sb err = SB_INIT, want = SB_INIT;
	struct key_pub p;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *path = tu_write_str(dir, "bad.pub", cases[i].text);

		sb_reset(&err);
		sb_reset(&want);
		ck_assert_msg(key_load_public(path, &p, &err) == ES_CONFIG, "%s: not ES_CONFIG",
			      cases[i].what);
		sb_addf(&want, "%s%s", path, cases[i].err);
		ck_assert_msg(!strcmp(err.buf, want.buf), "%s: '%s', want '%s'", cases[i].what,
			      err.buf, want.buf);
		unlink(path);
		free(path);
	}
	sb_release(&err);
	sb_release(&want);
}
END_TEST

/* A retired key's file carries retired_after; the text round-trips through
 * key_parse_public(), which takes what a key bundle carries. */
START_TEST(test_retired_and_parsed_from_text)
{
	struct key_pub a, b;
	struct sb err = SB_INIT, text = SB_INIT;
	char *pub, *sec, *path;

	gen("a", "district", "0042", "NV", &pub, &sec);
	ck_assert_int_eq(key_load_public(pub, &a, &err), ES_OK);
	ck_assert_uint_eq(a.retired_after, 0);
	key_public_text(&a, &text);
	ck_assert_ptr_null(strstr(text.buf, "retired_after"));
	a.retired_after = 18446744073709551615u;
	sb_reset(&text);
	key_public_text(&a, &text);
	ck_assert_ptr_nonnull(strstr(text.buf, "\nretired_after = 18446744073709551615\n"));
	path = tu_write_str(dir, "retired.pub", text.buf);
	ck_assert_int_eq(key_load_public(path, &b, &err), ES_OK);
	ck_assert_uint_eq(b.retired_after, 18446744073709551615u);
	ck_assert_mem_eq(b.pk, a.pk, 32);
	ck_assert_int_eq(key_parse_public("key.pub", text.buf, text.len, &b, &err), ES_OK);
	ck_assert_uint_eq(b.retired_after, 18446744073709551615u);
	ck_assert_str_eq(b.owner, "0042");

	/* a secret key file never carries it */
	{
		struct sb s2 = SB_INIT;
		struct key_secret *k;
		char *loose, *orig;
		size_t n;

		orig = tu_read(sec, &n);
		sb_add(&s2, orig, n);
		free(orig);
		sb_addstr(&s2, "retired_after = 3\n");
		loose = tu_write_str(dir, "r.sec", s2.buf);
		chmod(loose, 0600);
		sb_reset(&err);
		ck_assert_int_eq(key_load_secret(loose, &k, &err), ES_CONFIG);
		ck_assert_ptr_nonnull(strstr(err.buf, "retired_after: unknown field"));
		free(loose);
		sb_release(&s2);
	}

	/* from text: too long, a NUL inside, not a key, the wrong id */
	sb_reset(&err);
	{
		char *big = xmalloc(KEY_TEXT_MAX + 2);

		memset(big, '#', KEY_TEXT_MAX + 1);
		big[KEY_TEXT_MAX + 1] = '\0';
		ck_assert_int_eq(key_parse_public("key.pub", big, KEY_TEXT_MAX + 1, &b, &err),
				 ES_CONFIG);
		ck_assert_str_eq(err.buf, "key.pub: not a public key file");
		free(big);
	}
	sb_reset(&err);
	ck_assert_int_eq(key_parse_public("key.pub", text.buf, 12, &b, &err), ES_CONFIG);
	sb_reset(&err);
	text.buf[5] = '\0';
	ck_assert_int_eq(key_parse_public("key.pub", text.buf, text.len, &b, &err), ES_CONFIG);
	ck_assert_str_eq(err.buf, "key.pub: not a public key file");
	sb_reset(&err);
	ck_assert_int_eq(key_parse_public("key.pub", "[public key]\nrole = x\n", 22, &b, &err),
			 ES_CONFIG);
	ck_assert_str_eq(err.buf, "key.pub:2: role: must be district or state");

	free(path);
	free(pub);
	free(sec);
	sb_release(&err);
	sb_release(&text);
}
END_TEST

START_TEST(test_missing_and_symlinked_files)
{
	struct key_pub p;
	struct key_secret *k = NULL;
	struct sb err = SB_INIT;
	char *missing = xpath(dir, "none.pub");
	char *pub, *sec, *link_path = xpath(dir, "link.pub"), *slink = xpath(dir, "link.sec");

	ck_assert_int_eq(key_load_public(missing, &p, &err), ES_NOINPUT);
	sb_reset(&err);
	ck_assert_int_eq(key_load_secret(missing, &k, &err), ES_CONFIG);
	ck_assert_ptr_null(k);
	gen("r", "district", "0042", "NV", &pub, &sec);
	ck_assert_int_eq(symlink(pub, link_path), 0);
	ck_assert_int_eq(symlink(sec, slink), 0);
	sb_reset(&err);
	ck_assert_int_ne(key_load_public(link_path, &p, &err), ES_OK);
	ck_assert_uint_gt(err.len, 0);
	sb_reset(&err);
	ck_assert_int_ne(key_load_secret(slink, &k, &err), ES_OK);
	ck_assert_ptr_null(k);
	free(missing);
	free(pub);
	free(sec);
	free(link_path);
	free(slink);
	sb_release(&err);
}
END_TEST

START_TEST(test_keyring)
{
	struct keyring kr = { NULL, 0 };
	struct key_pub a, b;
	struct sb err = SB_INIT;
	unsigned char unknown[KEY_ID_BYTES];
	const struct key_pub *f;
	char *ring = xpath(dir, "trusted");
	char *pa, *sa, *pb, *sb_, *junk;
	char *save = dir;

	ck_assert_int_eq(mkdir(ring, 0755), 0);
	dir = ring;
	gen("a", "district", "0042", "NV", &pa, &sa);
	gen("b", "state", "NV", "NV", &pb, &sb_);
	dir = save;
	/* not keys: a secret file (.sec), a hidden .pub, other files */
	free(tu_write_str(ring, "notes.txt", "hello\n"));
	free(tu_write_str(ring, ".hidden.pub", "not a key\n"));
	free(tu_write_str(ring, "x.pub.bak", "not a key\n"));
	ck_assert_int_eq(key_load_public(pa, &a, &err), ES_OK);
	ck_assert_int_eq(key_load_public(pb, &b, &err), ES_OK);

	ck_assert_int_eq(keyring_load(&kr, ring, &err), ES_OK);
	ck_assert_uint_eq(kr.n, 2);
	f = keyring_find(&kr, a.id);
	ck_assert_ptr_nonnull(f);
	ck_assert_mem_eq(f->pk, a.pk, 32);
	ck_assert_str_eq(f->role, "district");
	ck_assert_str_eq(f->owner, "0042");
	f = keyring_find(&kr, b.id);
	ck_assert_ptr_nonnull(f);
	ck_assert_mem_eq(f->pk, b.pk, 32);
	ck_assert_str_eq(f->role, "state");
	ck_assert_str_eq(f->owner, "NV");
	memcpy(unknown, a.id, KEY_ID_BYTES);
	unknown[7] ^= 1;
	ck_assert_ptr_null(keyring_find(&kr, unknown));
	memset(unknown, 0, sizeof unknown);
	ck_assert_ptr_null(keyring_find(&kr, unknown));
	keyring_free(&kr);
	ck_assert_uint_eq(kr.n, 0);
	ck_assert_ptr_null(kr.keys);

	/* keyring_add */
	keyring_add(&kr, &b);
	ck_assert_uint_eq(kr.n, 1);
	ck_assert_ptr_null(keyring_find(&kr, a.id));
	ck_assert_ptr_nonnull(keyring_find(&kr, b.id));
	keyring_free(&kr);

	/* a missing folder: an empty ring */
	junk = xpath(dir, "no-such-folder");
	ck_assert_int_eq(keyring_load(&kr, junk, &err), ES_OK);
	ck_assert_uint_eq(kr.n, 0);
	keyring_free(&kr);
	free(junk);

	/* a bad .pub in the folder fails the load, with the file named */
	junk = tu_write_str(ring, "zz.pub", "[public key]\nalgorithm = rsa\n");
	sb_reset(&err);
	ck_assert_int_eq(keyring_load(&kr, ring, &err), ES_CONFIG);
	ck_assert_ptr_nonnull(strstr(err.buf, junk));
	keyring_free(&kr);

	free(junk);
	free(ring);
	free(pa);
	free(sa);
	free(pb);
	free(sb_);
	sb_release(&err);
}
END_TEST

START_TEST(test_key_id_hex_parse)
{
	static const unsigned char id[KEY_ID_BYTES] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };
	static const char *const bad[] = {
		"", "0123456789abcde", "0123456789abcdef0", "0123456789abcdeg", "0123456789 abcde",
		"0x23456789abcdef", "0123456789abcd:f",
	};
	unsigned char back[KEY_ID_BYTES];
	char hex[2 * KEY_ID_BYTES + 1];
	size_t i;

	key_id_hex(id, hex);
	ck_assert_str_eq(hex, "0123456789abcdef");
	memset(back, 0, sizeof back);
	ck_assert_int_eq(key_id_parse(hex, back), 0);
	ck_assert_mem_eq(back, id, KEY_ID_BYTES);
	ck_assert_int_eq(key_id_parse("ffffffffffffffff", back), 0);
	for (i = 0; i < KEY_ID_BYTES; i++)
		ck_assert_uint_eq(back[i], 0xff);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(key_id_parse(bad[i], back) == -1, "'%s' accepted", bad[i]);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("keys");
	TCase *tc = tcase_create("keys");
	SRunner *sr;
	int failed;

	if (sodium_init() < 0)
		return 1;
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_generate_modes_whatever_the_umask);
	tcase_add_test(tc, test_generate_and_load_back);
	tcase_add_test(tc, test_state_key);
	tcase_add_test(tc, test_sign_verify_and_bit_flips);
	tcase_add_loop_test(tc, test_secret_refused_when_loose, 0,
			    (int)(sizeof loose_modes / sizeof loose_modes[0]));
	tcase_add_test(tc, test_secret_tight_modes_accepted);
	tcase_add_test(tc, test_id_must_match_key);
	tcase_add_test(tc, test_public_file_refusals);
	tcase_add_test(tc, test_missing_and_symlinked_files);
	tcase_add_test(tc, test_retired_and_parsed_from_text);
	tcase_add_test(tc, test_keyring);
	tcase_add_test(tc, test_key_id_hex_parse);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
