/* test_request.c - the request member (formats/request.h). */
#include "../../formats/request.h"
#include "../../util/sb.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

START_TEST(test_round_trip)
{
	struct request r, back;
	struct sb text = SB_INIT, why = SB_INIT;

	rq_init(&r, RQ_EXPAND);
	r.request = 3;
	r.digest = 12;
	r.tree = 1;
	free(r.objects);
	r.objects = strdup("PersonIdentity;Enrollment");
	free(r.fields);
	r.fields = strdup("lastName");
	strcpy(r.school, "105");
	rq_encode(&r, &text);
	ck_assert_str_eq(text.buf, "[request]\nwhat = expand\nrequest = 3\ndigest = 12\n"
			 "form = tree\nobjects = PersonIdentity;Enrollment\nschool = 105\n"
			 "fields = lastName\nfull = 0\n");
	ck_assert_int_eq(rq_parse(text.buf, text.len, &back, &why), 0);
	ck_assert_int_eq(back.what, RQ_EXPAND);
	ck_assert_uint_eq(back.request, 3);
	ck_assert_uint_eq(back.digest, 12);
	ck_assert_int_eq(back.tree, 1);
	ck_assert_str_eq(back.objects, "PersonIdentity;Enrollment");
	ck_assert_str_eq(back.school, "105");
	ck_assert_str_eq(back.fields, "lastName");
	ck_assert(rq_has_object(&back, "Enrollment"));
	ck_assert(!rq_has_object(&back, "Enroll"));
	ck_assert(!rq_has_object(&back, "Lep"));
	rq_free(&back);
	rq_free(&r);
	rq_init(&r, RQ_VERIFY);
	ck_assert(rq_has_object(&r, "Lep"));	/* empty: every object */
	rq_free(&r);
	sb_release(&text);
	sb_release(&why);
}
END_TEST

#define OK_TAIL "request = 0\ndigest = 0\nform = full\nobjects = \nschool = \nfields = \nfull = 0\n"
static const struct {
	const char *text, *why;
} bad[] = {
	{ "[request]\nwhat = purge\n" OK_TAIL, "request: what: not verify, expand, records or resync" },
	{ "[request]\nwhat = verify\nwhat = verify\n" OK_TAIL, "request: what: given twice" },
	{ "[request]\n" OK_TAIL, "request: what: missing" },
	{ "[request]\nwhat = verify\nextra = 1\n" OK_TAIL, "request: extra: unknown field" },
	{ "[other]\nwhat = verify\n", "request: unknown section" },
	{ "[request]\nwhat = verify\nrequest = -1\n", "request: request: not a sequence number" },
	{ "[request]\nwhat = verify\nform = big\n", "request: form: not tree or full" },
	{ "[request]\nwhat = verify\nobjects = Nope\n",
	  "request: objects: not a ';'-separated list of objects" },
	{ "[request]\nwhat = verify\nobjects = Lep;\n",
	  "request: objects: not a ';'-separated list of objects" },
	{ "[request]\nwhat = verify\nschool = 12a\n", "request: school: not a school number" },
	{ "[request]\nwhat = verify\nfields = nosuch\n",
	  "request: fields: names a field no object has" },
	{ "[request]\nwhat = verify\nfull = 2\n", "request: full: not 0 or 1" },
	{ "[request]\nwhat\n", "request: line 2: not a section or name = value" },
	{ "[request]\nwhat = resync\nexpires = 2026-12-06\n",
	  "request: expires: not a UTC time YYYY-MM-DDTHH:MM:SSZ" },
	{ "[request]\nwhat = resync\nexpires = 2026-12-06T00:00:00Z\nexpires = "
	  "2026-12-07T00:00:00Z\n", "request: expires: given twice" },
};

/* A resync request with an expiry: round trip, and when it has expired. */
START_TEST(test_expires)
{
	struct request r, back;
	struct sb text = SB_INIT, why = SB_INIT;

	rq_init(&r, RQ_RESYNC);
	r.full = 1;
	strcpy(r.expires, "2026-12-06T12:00:00Z");
	rq_encode(&r, &text);
	ck_assert_ptr_nonnull(strstr(text.buf, "\nfull = 1\nexpires = 2026-12-06T12:00:00Z\n"));
	ck_assert_int_eq(rq_parse(text.buf, text.len, &back, &why), 0);
	ck_assert_int_eq(back.what, RQ_RESYNC);
	ck_assert_str_eq(back.expires, "2026-12-06T12:00:00Z");
	ck_assert(!rq_expired(&back, "2026-12-06T11:59:59Z"));
	ck_assert(rq_expired(&back, "2026-12-06T12:00:00Z"));
	ck_assert(rq_expired(&back, "2027-01-01T00:00:00Z"));
	rq_free(&back);
	/* none: never */
	r.expires[0] = '\0';
	sb_reset(&text);
	rq_encode(&r, &text);
	ck_assert_ptr_null(strstr(text.buf, "expires"));
	ck_assert_int_eq(rq_parse(text.buf, text.len, &back, &why), 0);
	ck_assert(!rq_expired(&back, "2199-01-01T00:00:00Z"));
	rq_free(&back);
	rq_free(&r);
	sb_release(&text);
	sb_release(&why);
}
END_TEST

START_TEST(test_refusals)
{
	struct request r;
	struct sb why = SB_INIT;

	ck_assert_int_eq(rq_parse(bad[_i].text, strlen(bad[_i].text), &r, &why), -1);
	ck_assert_str_eq(why.buf, bad[_i].why);
	ck_assert_ptr_null(r.objects);
	sb_release(&why);
}
END_TEST

START_TEST(test_not_text)
{
	struct request r;
	struct sb why = SB_INIT;

	ck_assert_int_eq(rq_parse("[request]\0", 10, &r, &why), -1);
	ck_assert_str_eq(why.buf, "request: not UTF-8 text of at most 64 KiB");
	sb_release(&why);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("request");
	TCase *tc = tcase_create("request");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_round_trip);
	tcase_add_loop_test(tc, test_refusals, 0, (int)(sizeof bad / sizeof bad[0]));
	tcase_add_test(tc, test_not_text);
	tcase_add_test(tc, test_expires);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
