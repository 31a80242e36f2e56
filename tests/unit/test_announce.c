/* test_announce.c - the key announcement of a key bundle (formats/announce.h). */
#include "../../formats/announce.h"
#include "../../formats/bundle.h"
#include "../../formats/keys.h"
#include "../../formats/manifest.h"
#include "../../util/sb.h"
#include "../../util/xalloc.h"
#include "helpers/testutil.h"

#include <check.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *dir;
static struct key_secret *old;		/* district 0042's key, which signs */
static struct keyring ring;

static struct key_pub make_key(const char *name, const char *role, const char *owner,
			       const char *state)
{
	char *p = xasprintf("%s/%s.pub", dir, name), *s = xasprintf("%s/%s.key", dir, name);
	struct sb err = SB_INIT;
	struct key_pub k;

	ck_assert_int_eq(key_generate(p, s, role, owner, state), ES_OK);
	ck_assert_int_eq(key_load_public(p, &k, &err), ES_OK);
	free(p);
	free(s);
	sb_release(&err);
	return k;
}

static void setup(void)
{
	struct sb err = SB_INIT;
	char *s;

	dir = tu_tmpdir();
	make_key("old", "district", "0042", "NV");
	s = xasprintf("%s/old.key", dir);
	ck_assert_int_eq(key_load_secret(s, &old, &err), ES_OK);
	memset(&ring, 0, sizeof ring);
	keyring_add(&ring, key_secret_public(old));
	free(s);
	sb_release(&err);
}

static void teardown(void)
{
	keyring_free(&ring);
	key_secret_free(old);
	tu_rmtree(dir);
	free(dir);
}

/* A bundle of kind kind announcing each of keys[0..n) (then a records
 * member, with extra), signed by old. */
static char *write_bundle(const char *kind, const struct key_pub *keys, size_t n, int extra)
{
	char *path = xasprintf("%s/k.bundle", dir);
	struct bundle_writer *w = bw_new(dir);
	struct manifest head;
	struct sb why = SB_INIT;
	size_t i;
	int fd;

	for (i = 0; i < n; i++)
		ck_assert_int_eq(announce_write(w, &keys[i]), ES_OK);
	if (extra) {
		ck_assert_int_eq(bw_member_begin(w, "PersonIdentity", MF_RECORDS, 1, 0), ES_OK);
		ck_assert_int_eq(bw_member_write(w, "personID\n1\n", 11), ES_OK);
		ck_assert_int_eq(bw_member_end(w, 1), ES_OK);
	}
	memset(&head, 0, sizeof head);
	snprintf(head.kind, sizeof head.kind, "%s", kind);
	snprintf(head.district, sizeof head.district, "0042");
	snprintf(head.state, sizeof head.state, "NV");
	head.year = 2027;
	head.sequence = 9;
	snprintf(head.scope, sizeof head.scope, "full");
	snprintf(head.created, sizeof head.created, "2026-11-29T23:00:00Z");
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bw_finish(w, &head, old, fd, &why), ES_OK);
	close(fd);
	bw_free(w);
	mf_free(&head);
	sb_release(&why);
	return path;
}

/* announce_read on the bundle: its status, and the reason in why */
static es_status read_back(const char *path, struct key_pub *out, struct sb *why)
{
	struct bundle *b = NULL;
	es_status st;

	sb_reset(why);
	st = bundle_open(path, &ring, &b, why);
	ck_assert_msg(st == ES_OK, "%s", why->buf);
	st = announce_read(b, out, why);
	bundle_close(b);
	return st;
}

START_TEST(test_round_trip)
{
	struct key_pub next = make_key("next", "district", "0042", "NV"), got;
	struct sb why = SB_INIT;
	char *path = write_bundle("key", &next, 1, 0);

	ck_assert_int_eq(read_back(path, &got, &why), ES_OK);
	ck_assert_mem_eq(got.pk, next.pk, 32);
	ck_assert_mem_eq(got.id, next.id, KEY_ID_BYTES);
	ck_assert_str_eq(got.owner, "0042");
	ck_assert_uint_eq(got.retired_after, 0);
	free(path);
	sb_release(&why);
}
END_TEST

START_TEST(test_refusals)
{
	struct key_pub state = make_key("st", "state", "NV", "NV");
	struct key_pub other = make_key("other", "district", "0043", "NV");
	struct key_pub elsewhere = make_key("else", "district", "0042", "UT");
	struct key_pub retired = make_key("ret", "district", "0042", "NV");
	struct key_pub self = *key_secret_public(old), got, two[1];
	struct sb why = SB_INIT;
	char *path;

	retired.retired_after = 4;
	path = write_bundle("key", &state, 1, 0);
	ck_assert_int_eq(read_back(path, &got, &why), ES_DATA);
	ck_assert_str_eq(why.buf, "key.pub announces a key of state NV in NV, not of district "
			 "0042 in NV");
	free(path);
	path = write_bundle("key", &other, 1, 0);
	ck_assert_int_eq(read_back(path, &got, &why), ES_DATA);
	ck_assert_str_eq(why.buf, "key.pub announces a key of district 0043 in NV, not of "
			 "district 0042 in NV");
	free(path);
	path = write_bundle("key", &elsewhere, 1, 0);
	ck_assert_int_eq(read_back(path, &got, &why), ES_DATA);
	ck_assert_str_eq(why.buf, "key.pub announces a key of district 0042 in UT, not of "
			 "district 0042 in NV");
	free(path);
	path = write_bundle("key", &retired, 1, 0);
	ck_assert_int_eq(read_back(path, &got, &why), ES_DATA);
	ck_assert_str_eq(why.buf, "key.pub announces a retired key");
	free(path);
	path = write_bundle("key", &self, 1, 0);
	ck_assert_int_eq(read_back(path, &got, &why), ES_DATA);
	ck_assert_str_eq(why.buf, "key.pub announces the key that signed it");
	free(path);
	two[0] = make_key("n2", "district", "0042", "NV");
	path = write_bundle("key", two, 1, 1);
	ck_assert_int_eq(read_back(path, &got, &why), ES_DATA);
	ck_assert_str_eq(why.buf, "a key bundle carries one member, key.pub, and nothing else");
	free(path);
	path = write_bundle("resync", two, 1, 0);
	ck_assert_int_eq(read_back(path, &got, &why), ES_DATA);
	ck_assert_str_eq(why.buf, "a key bundle carries one member, key.pub, and nothing else");
	free(path);
	sb_release(&why);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("announce");
	TCase *tc = tcase_create("announce");
	SRunner *sr;
	int failed;

	if (sodium_init() < 0)
		return 1;
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_refusals);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
