/* test_backoff.c - when a transfer is tried again (pipeline/backoff.h). */
#include "../../pipeline/backoff.h"

#include <check.h>
#include <stdint.h>

START_TEST(test_retryable)
{
	static const es_status temporary[] = { ES_UNAVAILABLE, ES_TEMP };
	static const es_status permanent[] = {
		ES_OK, ES_DIFFER, ES_USAGE, ES_DATA, ES_NOINPUT, ES_SOFTWARE, ES_IO, ES_REFUSED,
		ES_CONFIG
	};
	size_t i;

	for (i = 0; i < sizeof temporary / sizeof temporary[0]; i++)
		ck_assert(backoff_retryable(temporary[i]));
	for (i = 0; i < sizeof permanent / sizeof permanent[0]; i++)
		ck_assert_msg(!backoff_retryable(permanent[i]), "%d retried", permanent[i]);
}
END_TEST

/* Without jitter (r = 0): 5, 10, 20, ... doubling up to the cap. */
START_TEST(test_delay_doubles_to_the_cap)
{
	static const unsigned want[] = { 0, 5, 10, 20, 40, 80, 160, 320, 600, 600, 600 };
	unsigned n;

	for (n = 0; n < sizeof want / sizeof want[0]; n++)
		ck_assert_uint_eq(backoff_delay(n, 0), want[n]);
	/* far past the cap: no overflow */
	ck_assert_uint_eq(backoff_delay(64, 0), BACKOFF_MAX);
	ck_assert_uint_eq(backoff_delay(1000000, 0), BACKOFF_MAX);
	ck_assert_uint_eq(backoff_delay(~0u, 0), BACKOFF_MAX);
}
END_TEST

/* The jitter takes at most a quarter off, and spans that range. */
START_TEST(test_jitter_bounds)
{
	unsigned n;

	for (n = 1; n < 20; n++) {
		unsigned full = backoff_delay(n, 0), lo = full, hi = 0;
		uint32_t r;

		for (r = 0; r < 5000; r++) {
			unsigned d = backoff_delay(n, r * 2654435761u);

			ck_assert_uint_le(d, full);
			ck_assert_uint_ge(d * 4, full * 3);
			if (d < lo)
				lo = d;
			if (d > hi)
				hi = d;
		}
		ck_assert_uint_eq(hi, full);
		ck_assert_uint_eq(lo, full - full / 4);
	}
}
END_TEST

START_TEST(test_record_schedule)
{
	struct backoff b = BACKOFF_INIT;
	time_t now = 1000000;

	ck_assert(backoff_due(&b, now));
	/* three unreachable attempts: 5, 10, 20 seconds */
	ck_assert_int_eq(backoff_record(&b, ES_UNAVAILABLE, now, 0), 1);
	ck_assert_uint_eq(b.failures, 1);
	ck_assert(!backoff_due(&b, now + 4));
	ck_assert(backoff_due(&b, now + 5));
	now += 5;
	ck_assert_int_eq(backoff_record(&b, ES_UNAVAILABLE, now, 0), 1);
	ck_assert(!backoff_due(&b, now + 9));
	ck_assert(backoff_due(&b, now + 10));
	now += 10;
	ck_assert_int_eq(backoff_record(&b, ES_TEMP, now, 0), 1);
	ck_assert_int_eq(b.next, now + 20);
	ck_assert_int_eq(b.last, ES_TEMP);
	/* success: any time again, the count starts over */
	now += 20;
	ck_assert_int_eq(backoff_record(&b, ES_OK, now, 0), 0);
	ck_assert_uint_eq(b.failures, 0);
	ck_assert(backoff_due(&b, now));
	ck_assert_int_eq(backoff_record(&b, ES_UNAVAILABLE, now, 0), 1);
	ck_assert_int_eq(b.next, now + 5);
	/* a permanent failure: not worth retrying soon; a reminder at the cap */
	ck_assert_int_eq(backoff_record(&b, ES_REFUSED, now, 0), 0);
	ck_assert_uint_eq(b.failures, 0);
	ck_assert_int_eq(b.next, now + BACKOFF_MAX);
	ck_assert_int_eq(b.last, ES_REFUSED);
}
END_TEST

START_TEST(test_many_failures_stay_capped)
{
	struct backoff b = BACKOFF_INIT;
	time_t now = 0;
	int i;

	for (i = 0; i < 5000; i++) {
		ck_assert_int_eq(backoff_record(&b, ES_UNAVAILABLE, now, 0xffffffffu), 1);
		ck_assert_int_le(b.next - now, BACKOFF_MAX);
		ck_assert_int_ge(b.next - now, BACKOFF_BASE * 3 / 4);
		now = b.next;
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("backoff");
	TCase *tc = tcase_create("backoff");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_retryable);
	tcase_add_test(tc, test_delay_doubles_to_the_cap);
	tcase_add_test(tc, test_jitter_bounds);
	tcase_add_test(tc, test_record_schedule);
	tcase_add_test(tc, test_many_failures_stay_capped);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
