/* test_status.c - es_worst ordering and es_from_errno. */
#include "../../util/status.h"

#include <check.h>
#include <errno.h>
#include <stdlib.h>

/* Every status, least serious first: the order es_worst() decides by. */
static const es_status by_seriousness[] = {
	ES_OK, ES_DIFFER, ES_DATA, ES_NOINPUT, ES_TEMP, ES_UNAVAILABLE,
	ES_REFUSED, ES_IO, ES_USAGE, ES_CONFIG, ES_SOFTWARE
};
#define NSTATUS (sizeof by_seriousness / sizeof by_seriousness[0])

START_TEST(test_exit_codes_are_sysexits)
{
	ck_assert_int_eq(ES_OK, 0);
	ck_assert_int_eq(ES_DIFFER, 1);
	ck_assert_int_eq(ES_USAGE, 64);
	ck_assert_int_eq(ES_DATA, 65);
	ck_assert_int_eq(ES_NOINPUT, 66);
	ck_assert_int_eq(ES_UNAVAILABLE, 69);
	ck_assert_int_eq(ES_SOFTWARE, 70);
	ck_assert_int_eq(ES_IO, 74);
	ck_assert_int_eq(ES_TEMP, 75);
	ck_assert_int_eq(ES_REFUSED, 77);
	ck_assert_int_eq(ES_CONFIG, 78);
}
END_TEST

START_TEST(test_worst_every_pair)
{
	size_t i, j;

	for (i = 0; i < NSTATUS; i++) {
		for (j = 0; j < NSTATUS; j++) {
			es_status want = by_seriousness[i > j ? i : j];

			ck_assert_msg(es_worst(by_seriousness[i], by_seriousness[j]) == want,
				      "es_worst(%d, %d) = %d, want %d",
				      by_seriousness[i], by_seriousness[j],
				      es_worst(by_seriousness[i], by_seriousness[j]), want);
		}
	}
}
END_TEST

START_TEST(test_worst_examples)
{
	/* the ones stages rely on, spelled out */
	ck_assert_int_eq(es_worst(ES_OK, ES_DATA), ES_DATA);
	ck_assert_int_eq(es_worst(ES_DATA, ES_OK), ES_DATA);
	ck_assert_int_eq(es_worst(ES_DATA, ES_IO), ES_IO);
	ck_assert_int_eq(es_worst(ES_IO, ES_DATA), ES_IO);
	ck_assert_int_eq(es_worst(ES_DIFFER, ES_DATA), ES_DATA);
	ck_assert_int_eq(es_worst(ES_NOINPUT, ES_DATA), ES_NOINPUT);
	ck_assert_int_eq(es_worst(ES_REFUSED, ES_TEMP), ES_REFUSED);
	ck_assert_int_eq(es_worst(ES_SOFTWARE, ES_CONFIG), ES_SOFTWARE);
	ck_assert_int_eq(es_worst(ES_OK, ES_OK), ES_OK);
}
END_TEST

START_TEST(test_worst_folds_to_maximum)
{
	/* folding any sequence gives its most serious member, whatever order */
	es_status w = ES_OK;
	size_t i;

	for (i = NSTATUS; i-- > 0;)
		w = es_worst(w, by_seriousness[i]);
	ck_assert_int_eq(w, ES_SOFTWARE);
	w = ES_OK;
	for (i = 0; i < NSTATUS - 1; i++)
		w = es_worst(by_seriousness[i], w);
	ck_assert_int_eq(w, ES_CONFIG);
}
END_TEST

struct errno_case {
	int err;
	es_status want;
};

static const struct errno_case errno_cases[] = {
	{ ENOENT, ES_NOINPUT },
	{ ENOTDIR, ES_NOINPUT },
	{ EIO, ES_IO },
	{ EACCES, ES_IO },
	{ EPERM, ES_IO },
	{ ENOSPC, ES_IO },
	{ EDQUOT, ES_IO },
	{ EEXIST, ES_IO },
	{ EISDIR, ES_IO },
	{ ELOOP, ES_IO },
	{ EINVAL, ES_IO },
	{ EFBIG, ES_IO },
	{ EROFS, ES_IO },
	{ EXDEV, ES_IO },
	{ 0, ES_IO },
};

START_TEST(test_from_errno)
{
	const struct errno_case *c = &errno_cases[_i];

	ck_assert_msg(es_from_errno(c->err) == c->want, "es_from_errno(%d) = %d, want %d",
		      c->err, es_from_errno(c->err), c->want);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("status");
	TCase *tc = tcase_create("status");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_exit_codes_are_sysexits);
	tcase_add_test(tc, test_worst_every_pair);
	tcase_add_test(tc, test_worst_examples);
	tcase_add_test(tc, test_worst_folds_to_maximum);
	tcase_add_loop_test(tc, test_from_errno, 0,
			    (int)(sizeof errno_cases / sizeof errno_cases[0]));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
