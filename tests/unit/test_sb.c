/* test_sb.c - the string buffer (also the pattern every unit test follows). */
#include "../../util/sb.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

START_TEST(test_add_keeps_nul_and_grows)
{
	struct sb s = SB_INIT;
	size_t i;

	for (i = 0; i < 1000; i++)
		sb_addch(&s, (char)('a' + i % 26));
	ck_assert_uint_eq(s.len, 1000);
	ck_assert_int_eq(s.buf[1000], '\0');
	ck_assert_int_eq(s.buf[27], 'b');
	sb_release(&s);
	ck_assert_ptr_null(s.buf);
}
END_TEST

START_TEST(test_addf_hex_reset_detach)
{
	struct sb s = SB_INIT;
	const unsigned char bytes[] = { 0x00, 0xab, 0xff };
	char *d;

	sb_addf(&s, "%s-%d", "x", 42);
	ck_assert_str_eq(s.buf, "x-42");
	sb_reset(&s);
	ck_assert_uint_eq(s.len, 0);
	sb_addhex(&s, bytes, sizeof bytes);
	ck_assert_str_eq(s.buf, "00abff");
	d = sb_detach(&s);
	ck_assert_str_eq(d, "00abff");
	ck_assert_ptr_null(s.buf);
	free(d);
	d = sb_detach(&s);	/* an empty buffer detaches as "" */
	ck_assert_str_eq(d, "");
	free(d);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sb");
	TCase *tc = tcase_create("sb");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_add_keeps_nul_and_grows);
	tcase_add_test(tc, test_addf_hex_reset_detach);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
