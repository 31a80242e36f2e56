/* test_msg.c - diagnostics: msg_quote escaping and truncation, the error
 * count, the one-line stderr format, quiet, fatal and panic. */
#include "../../util/msg.h"
#include "helpers/testutil.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct quote_case {
	const char *in;
	size_t n;
	const char *out;
};

#define QC(lit, out) { lit, sizeof lit - 1, out }

static const struct quote_case quote_cases[] = {
	QC("", "''"),
	QC("abc", "'abc'"),
	QC("a b", "'a b'"),
	QC("a\nb", "'a\\nb'"),
	QC("a\tb", "'a\\tb'"),
	QC("a\rb", "'a\\rb'"),
	QC("it's", "'it\\'s'"),
	QC("back\\slash", "'back\\\\slash'"),
	QC("\x01", "'\\x01'"),
	QC("\x1f", "'\\x1f'"),
	QC("\x7f", "'\\x7f'"),
	QC("\x1b[31m", "'\\x1b[31m'"),
	QC("a\0b", "'a\\x00b'"),
	QC("\"q\"", "'\"q\"'"),
	/* bytes >= 0x80 are passed through (UTF-8 text stays readable) */
	QC("caf\xc3\xa9", "'caf\xc3\xa9'"),
	/* exactly 64 bytes: shown whole, no "..." */
	QC("0123456789012345678901234567890123456789012345678901234567890123",
	   "'0123456789012345678901234567890123456789012345678901234567890123'"),
	/* 65 bytes: the first 64, then "..." after the closing quote */
	QC("01234567890123456789012345678901234567890123456789012345678901234",
	   "'0123456789012345678901234567890123456789012345678901234567890123'..."),
	/* the cut counts value bytes, not escaped output */
	QC("\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n"
	   "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\nX",
	   "'\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n"
	   "\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n"
	   "\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n'..."),
	/* a cut never splits a UTF-8 sequence: 63 bytes + "\xc3\xa9" shows 63 */
	QC("012345678901234567890123456789012345678901234567890123456789012\xc3\xa9",
	   "'012345678901234567890123456789012345678901234567890123456789012'..."),
	/* 62 bytes + a 4-byte sequence: the sequence would end at 66, so 62 */
	QC("01234567890123456789012345678901234567890123456789012345678901\xf0\x9f\x98\x80",
	   "'01234567890123456789012345678901234567890123456789012345678901'..."),
	/* 60 bytes + a 4-byte sequence ending exactly at 64: shown, no cut */
	QC("012345678901234567890123456789012345678901234567890123456789\xf0\x9f\x98\x80",
	   "'012345678901234567890123456789012345678901234567890123456789\xf0\x9f\x98\x80'"),
};

START_TEST(test_quote_table)
{
	const struct quote_case *c = &quote_cases[_i];
	char out[MSG_QUOTE_MAX];
	char *r;

	memset(out, 'Z', sizeof out);
	r = msg_quote(out, c->in, c->n);
	ck_assert_ptr_eq(r, out);
	ck_assert_str_eq(out, c->out);
}
END_TEST

START_TEST(test_quote_worst_case_fits)
{
	/* 1000 control bytes: 64 shown as \xNN, 2 quotes, "...", NUL */
	char in[1000];
	char out[MSG_QUOTE_MAX];
	size_t i;

	memset(in, 0x01, sizeof in);
	msg_quote(out, in, sizeof in);
	ck_assert_uint_eq(strlen(out), 1 + 64 * 4 + 1 + 3);
	ck_assert_int_eq(out[0], '\'');
	for (i = 0; i < 64; i++)
		ck_assert_mem_eq(out + 1 + 4 * i, "\\x01", 4);
	ck_assert_str_eq(out + 1 + 64 * 4, "'...");
}
END_TEST

/* Run fn with stderr going to a file; return what it printed. */
static char *capture_stderr(void (*fn)(void))
{
	char *dir = tu_tmpdir();
	char *path = tu_write_str(dir, "err", "");
	FILE *f = fopen(path, "w");
	int saved = dup(2);
	char *got;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(saved, 0);
	fflush(stderr);
	ck_assert_int_eq(dup2(fileno(f), 2), 2);
	fn();
	fflush(stderr);
	ck_assert_int_eq(dup2(saved, 2), 2);
	close(saved);
	fclose(f);
	got = tu_read(path, NULL);
	free(path);
	tu_rmtree(dir);
	free(dir);
	return got;
}

static void say_error(void)
{
	msg_error("%s:%d: %s: %s", "enrollment.csv", 12, "grade", "is not one of PK, KG");
}

START_TEST(test_error_counts_and_prints_one_line)
{
	unsigned long before = msg_error_count();
	char *got = capture_stderr(say_error);

	ck_assert_str_eq(got, "edsync: enrollment.csv:12: grade: is not one of PK, KG\n");
	ck_assert_uint_eq(msg_error_count(), before + 1);
	free(got);
	got = capture_stderr(say_error);
	free(got);
	ck_assert_uint_eq(msg_error_count(), before + 2);
}
END_TEST

static void say_warn_quiet(void)
{
	msg_set_quiet(1);
	msg_warn("hidden %d", 1);
	msg_error("shown %d", 2);	/* errors are never silenced */
	msg_set_quiet(0);
	msg_warn("shown %d", 3);
}

START_TEST(test_warn_quiet_and_not_counted)
{
	unsigned long before = msg_error_count();
	char *got = capture_stderr(say_warn_quiet);

	ck_assert_str_eq(got, "edsync: shown 2\nedsync: shown 3\n");
	/* warnings are not errors */
	ck_assert_uint_eq(msg_error_count(), before + 1);
	free(got);
}
END_TEST

static void say_long(void)
{
	char big[10000];

	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	msg_error("%s", big);
}

START_TEST(test_long_message_cut_to_one_line)
{
	char *got = capture_stderr(say_long);
	size_t n = strlen(got);

	/* "edsync: " + 4094 bytes + "\n": still one line, still ends in \n */
	ck_assert_uint_eq(n, 8 + 4094 + 1);
	ck_assert_mem_eq(got, "edsync: xxx", 11);
	ck_assert_int_eq(got[n - 2], 'x');
	ck_assert_int_eq(got[n - 1], '\n');
	ck_assert_ptr_eq(strchr(got, '\n'), got + n - 1);
	free(got);
}
END_TEST

/* Send stderr to /dev/null (fatal and panic tests: the test process ends). */
static void silence_stderr(void)
{
	ck_assert_ptr_nonnull(freopen("/dev/null", "w", stderr));
}

START_TEST(test_fatal_exits_70)
{
	silence_stderr();
	msg_fatal("out of memory (%d bytes)", 12);
}
END_TEST

START_TEST(test_panic_aborts)
{
	silence_stderr();
	msg_panic("broken invariant %d", 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("msg");
	TCase *tc = tcase_create("msg");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_quote_table, 0,
			    (int)(sizeof quote_cases / sizeof quote_cases[0]));
	tcase_add_test(tc, test_quote_worst_case_fits);
	tcase_add_test(tc, test_error_counts_and_prints_one_line);
	tcase_add_test(tc, test_warn_quiet_and_not_counted);
	tcase_add_test(tc, test_long_message_cut_to_one_line);
	tcase_add_exit_test(tc, test_fatal_exits_70, 70);
	tcase_add_test_raise_signal(tc, test_panic_aborts, SIGABRT);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
