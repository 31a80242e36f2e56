/* test_value.c - field value validation, table-driven. */
#include "../../formats/registry.h"
#include "../../formats/value.h"
#include "../../util/sb.h"
#include "../../util/xalloc.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SR (REG_SAVE | REG_RESYNC)

static const struct reg_field f_text = { "note", REG_TEXT, SR, "", "" };
static const struct reg_field f_tkey = { "stateID", REG_TEXT, REG_KEY | SR, "", "" };
static const struct reg_field f_int = { "endYear", REG_INTEGER, SR, "", "" };
static const struct reg_field f_ikey = { "personID", REG_INTEGER, REG_KEY | SR, "", "" };
static const struct reg_field f_dec = { "score", REG_DECIMAL, SR, "", "" };
static const struct reg_field f_date = { "startDate", REG_DATE, SR, "", "" };
static const struct reg_field f_dkey = { "asOf", REG_DATE, REG_KEY | SR, "", "" };
static const struct reg_field f_bool = { "noShow", REG_BOOLEAN, SR, "", "" };
static const struct reg_field f_code = { "gender", REG_CODE, SR, "M;F;X", "" };
static const struct reg_field f_grade = { "grade", REG_CODE, SR,
	"PK;KG;01;02;03;04;05;06;07;08;09;10;11;12", "" };
static const struct reg_field f_ckey = { "kind", REG_CODE, REG_KEY | SR, "A;B", "" };

struct vcase {
	const struct reg_field *f;
	const char *v;
	size_t n;
	enum val_result want;
};

/* V(field, "literal", result): the literal's bytes, embedded NULs included */
#define V(f, lit, r) { &f, lit, sizeof lit - 1, r }

static const struct vcase vcases[] = {
	/* ---- integers: -?[0-9]{1,18}, leading zeros are data */
	V(f_int, "0", VAL_OK),
	V(f_int, "42", VAL_OK),
	V(f_int, "0042", VAL_OK),
	V(f_int, "-7", VAL_OK),
	V(f_int, "-0", VAL_OK),
	V(f_int, "123456789012345678", VAL_OK),		/* 18 digits */
	V(f_int, "-123456789012345678", VAL_OK),
	V(f_int, "000000000000000001", VAL_OK),
	V(f_int, "1234567890123456789", VAL_NOT_INTEGER),	/* 19 digits */
	V(f_int, "-1234567890123456789", VAL_NOT_INTEGER),
	V(f_int, "0000000000000000001", VAL_NOT_INTEGER),
	V(f_int, "", VAL_OK),
	V(f_int, "-", VAL_NOT_INTEGER),
	V(f_int, "+1", VAL_NOT_INTEGER),
	V(f_int, "--1", VAL_NOT_INTEGER),
	V(f_int, " 1", VAL_NOT_INTEGER),
	V(f_int, "1 ", VAL_NOT_INTEGER),
	V(f_int, "1.0", VAL_NOT_INTEGER),
	V(f_int, "1e3", VAL_NOT_INTEGER),
	V(f_int, "0x1f", VAL_NOT_INTEGER),
	V(f_int, "1,000", VAL_NOT_INTEGER),
	V(f_int, "12a", VAL_NOT_INTEGER),
	V(f_int, "\xd9\xa3", VAL_NOT_INTEGER),		/* an Arabic-Indic digit */
	V(f_ikey, "1", VAL_OK),
	V(f_ikey, "", VAL_EMPTY_KEY),
	V(f_ikey, "x", VAL_NOT_INTEGER),

	/* ---- decimals: -?[0-9]{1,15}(.[0-9]{1,6})? */
	V(f_dec, "0", VAL_OK),
	V(f_dec, "3.5", VAL_OK),
	V(f_dec, "-3.5", VAL_OK),
	V(f_dec, "007.250", VAL_OK),
	V(f_dec, "123456789012345", VAL_OK),		/* 15 digits */
	V(f_dec, "123456789012345.123456", VAL_OK),
	V(f_dec, "-123456789012345.123456", VAL_OK),
	V(f_dec, "1234567890123456", VAL_NOT_DECIMAL),	/* 16 digits */
	V(f_dec, "1234567890123456.5", VAL_NOT_DECIMAL),
	V(f_dec, "1.1234567", VAL_NOT_DECIMAL),		/* 7 decimals */
	V(f_dec, "1.", VAL_NOT_DECIMAL),
	V(f_dec, ".5", VAL_NOT_DECIMAL),
	V(f_dec, "-.5", VAL_NOT_DECIMAL),
	V(f_dec, "-", VAL_NOT_DECIMAL),
	V(f_dec, "1.2.3", VAL_NOT_DECIMAL),
	V(f_dec, "1,5", VAL_NOT_DECIMAL),
	V(f_dec, "1e5", VAL_NOT_DECIMAL),
	V(f_dec, "+1.5", VAL_NOT_DECIMAL),
	V(f_dec, " 1.5", VAL_NOT_DECIMAL),
	V(f_dec, "1.5 ", VAL_NOT_DECIMAL),
	V(f_dec, "1.-5", VAL_NOT_DECIMAL),
	V(f_dec, "", VAL_OK),

	/* ---- dates: YYYY-MM-DD, real days, 1900-2199 */
	V(f_date, "2024-02-29", VAL_OK),		/* leap year */
	V(f_date, "2023-02-29", VAL_NOT_DATE),
	V(f_date, "1900-02-29", VAL_NOT_DATE),		/* century, not leap */
	V(f_date, "2000-02-29", VAL_OK),		/* divisible by 400 */
	V(f_date, "2100-02-29", VAL_NOT_DATE),
	V(f_date, "2023-02-28", VAL_OK),
	V(f_date, "2024-02-30", VAL_NOT_DATE),
	V(f_date, "2024-01-31", VAL_OK),
	V(f_date, "2024-01-32", VAL_NOT_DATE),
	V(f_date, "2024-03-31", VAL_OK),
	V(f_date, "2024-04-30", VAL_OK),
	V(f_date, "2024-04-31", VAL_NOT_DATE),
	V(f_date, "2024-06-31", VAL_NOT_DATE),
	V(f_date, "2024-09-31", VAL_NOT_DATE),
	V(f_date, "2024-11-31", VAL_NOT_DATE),
	V(f_date, "2024-12-31", VAL_OK),
	V(f_date, "2024-13-01", VAL_NOT_DATE),
	V(f_date, "2024-00-10", VAL_NOT_DATE),
	V(f_date, "2024-01-00", VAL_NOT_DATE),
	V(f_date, "1900-01-01", VAL_OK),
	V(f_date, "1899-12-31", VAL_NOT_DATE),
	V(f_date, "2199-12-31", VAL_OK),
	V(f_date, "2200-01-01", VAL_NOT_DATE),
	V(f_date, "0000-01-01", VAL_NOT_DATE),
	V(f_date, "2024-1-01", VAL_NOT_DATE),
	V(f_date, "2024-01-1", VAL_NOT_DATE),
	V(f_date, "2024/01/01", VAL_NOT_DATE),
	V(f_date, "20240101", VAL_NOT_DATE),
	V(f_date, "2024-01-01 ", VAL_NOT_DATE),
	V(f_date, " 2024-01-01", VAL_NOT_DATE),
	V(f_date, "2024-01-01T00:00", VAL_NOT_DATE),
	V(f_date, "01/02/2024", VAL_NOT_DATE),
	V(f_date, "2024-0a-01", VAL_NOT_DATE),
	V(f_date, "2024--1-01", VAL_NOT_DATE),
	V(f_date, "-024-01-01", VAL_NOT_DATE),
	V(f_date, "", VAL_OK),
	V(f_dkey, "", VAL_EMPTY_KEY),
	V(f_dkey, "2024-05-06", VAL_OK),

	/* ---- booleans: 0 or 1 */
	V(f_bool, "0", VAL_OK),
	V(f_bool, "1", VAL_OK),
	V(f_bool, "", VAL_OK),
	V(f_bool, "2", VAL_NOT_BOOLEAN),
	V(f_bool, "00", VAL_NOT_BOOLEAN),
	V(f_bool, "01", VAL_NOT_BOOLEAN),
	V(f_bool, "true", VAL_NOT_BOOLEAN),
	V(f_bool, "Y", VAL_NOT_BOOLEAN),
	V(f_bool, " 1", VAL_NOT_BOOLEAN),
	V(f_bool, "-1", VAL_NOT_BOOLEAN),

	/* ---- codes: exactly one of the listed values */
	V(f_code, "M", VAL_OK),
	V(f_code, "F", VAL_OK),
	V(f_code, "X", VAL_OK),
	V(f_code, "", VAL_OK),
	V(f_code, "m", VAL_NOT_CODE),
	V(f_code, "MF", VAL_NOT_CODE),
	V(f_code, "M;F", VAL_NOT_CODE),
	V(f_code, ";", VAL_NOT_CODE),
	V(f_code, "M ", VAL_NOT_CODE),
	V(f_code, "Q", VAL_NOT_CODE),
	V(f_grade, "PK", VAL_OK),
	V(f_grade, "01", VAL_OK),
	V(f_grade, "12", VAL_OK),
	V(f_grade, "1", VAL_NOT_CODE),		/* leading zeros are data */
	V(f_grade, "P", VAL_NOT_CODE),		/* a prefix of a code */
	V(f_grade, "PKK", VAL_NOT_CODE),
	V(f_grade, "13", VAL_NOT_CODE),
	V(f_ckey, "A", VAL_OK),
	V(f_ckey, "", VAL_EMPTY_KEY),
	V(f_ckey, "C", VAL_NOT_CODE),

	/* ---- text: tab, CR, LF allowed; other controls not */
	V(f_text, "plain", VAL_OK),
	V(f_text, "", VAL_OK),
	V(f_text, " padded ", VAL_OK),
	V(f_text, "a\tb", VAL_OK),
	V(f_text, "line1\nline2", VAL_OK),
	V(f_text, "line1\r\nline2", VAL_OK),
	V(f_text, "a\x01z", VAL_CONTROL),
	V(f_text, "a\x1f", VAL_CONTROL),
	V(f_text, "\x1b[0m", VAL_CONTROL),
	V(f_text, "del\x7f", VAL_CONTROL),
	V(f_text, "a\0b", VAL_NUL),
	V(f_text, "\0", VAL_NUL),
	V(f_text, "Jos\xc3\xa9", VAL_OK),			/* U+00E9 */
	V(f_text, "\xe2\x82\xac", VAL_OK),			/* U+20AC */
	V(f_text, "\xf0\x9f\x98\x80", VAL_OK),			/* U+1F600 */
	V(f_text, "\xc2\x80", VAL_OK),				/* U+0080, smallest 2-byte */
	V(f_text, "\xdf\xbf", VAL_OK),				/* U+07FF */
	V(f_text, "\xe0\xa0\x80", VAL_OK),			/* U+0800, smallest 3-byte */
	V(f_text, "\xed\x9f\xbf", VAL_OK),			/* U+D7FF */
	V(f_text, "\xee\x80\x80", VAL_OK),			/* U+E000 */
	V(f_text, "\xef\xbf\xbf", VAL_OK),			/* U+FFFF */
	V(f_text, "\xf0\x90\x80\x80", VAL_OK),			/* U+10000 */
	V(f_text, "\xf4\x8f\xbf\xbf", VAL_OK),			/* U+10FFFF */
	V(f_text, "\xc0\x80", VAL_UTF8),			/* overlong NUL */
	V(f_text, "\xc1\xbf", VAL_UTF8),			/* overlong */
	V(f_text, "\xe0\x80\x80", VAL_UTF8),			/* overlong 3-byte */
	V(f_text, "\xe0\x9f\xbf", VAL_UTF8),
	V(f_text, "\xf0\x80\x80\x80", VAL_UTF8),		/* overlong 4-byte */
	V(f_text, "\xf0\x8f\xbf\xbf", VAL_UTF8),
	V(f_text, "\xed\xa0\x80", VAL_UTF8),			/* surrogate D800 */
	V(f_text, "\xed\xbf\xbf", VAL_UTF8),			/* surrogate DFFF */
	V(f_text, "\xf4\x90\x80\x80", VAL_UTF8),		/* above U+10FFFF */
	V(f_text, "\xf5\x80\x80\x80", VAL_UTF8),
	V(f_text, "\xf8\x88\x80\x80\x80", VAL_UTF8),
	V(f_text, "\xfe", VAL_UTF8),
	V(f_text, "\xff", VAL_UTF8),
	V(f_text, "\x80", VAL_UTF8),				/* lone continuation */
	V(f_text, "a\xbf", VAL_UTF8),
	V(f_text, "\xc3", VAL_UTF8),				/* truncated 2-byte */
	V(f_text, "\xc3" "a", VAL_UTF8),
	V(f_text, "\xe2\x82", VAL_UTF8),			/* truncated 3-byte */
	V(f_text, "\xe2\x82" "a", VAL_UTF8),
	V(f_text, "\xe2" "a" "\xac", VAL_UTF8),
	V(f_text, "\xf0\x9f\x98", VAL_UTF8),			/* truncated 4-byte */
	V(f_text, "\xf0\x9f", VAL_UTF8),
	V(f_text, "\xf0", VAL_UTF8),
	V(f_text, "ok\xf0\x9f\x98" "a", VAL_UTF8),
	/* a NUL is reported before anything else about the value */
	V(f_text, "\xff\0", VAL_NUL),

	/* ---- key text: not empty, no control bytes at all, <= 64 bytes */
	V(f_tkey, "S-0001", VAL_OK),
	V(f_tkey, "", VAL_EMPTY_KEY),
	V(f_tkey, " ", VAL_OK),
	V(f_tkey, "a\tb", VAL_CONTROL),
	V(f_tkey, "a\nb", VAL_CONTROL),
	V(f_tkey, "a\rb", VAL_CONTROL),
	V(f_tkey, "\x7f", VAL_CONTROL),
	V(f_tkey, "a\0b", VAL_NUL),
	V(f_tkey, "\xc0\x80", VAL_UTF8),
	V(f_tkey, "0123456789012345678901234567890123456789012345678901234567890123", VAL_OK),
	V(f_tkey, "01234567890123456789012345678901234567890123456789012345678901234",
	  VAL_TOO_LONG),
};

/* Every case is run; the failure lists every case that went wrong. */
START_TEST(test_check_table)
{
	struct sb bad = SB_INIT;
	size_t i;

	for (i = 0; i < sizeof vcases / sizeof vcases[0]; i++) {
		const struct vcase *c = &vcases[i];
		enum val_result got = val_check(c->f, c->v, c->n);

		if (got != c->want)
			sb_addf(&bad, "case %zu: %s (%zu bytes): got %d, want %d\n",
				i, c->f->name, c->n, (int)got, (int)c->want);
	}
	sb_addstr(&bad, "");
	ck_assert_msg(bad.len == 0, "%s", bad.buf);
	sb_release(&bad);
}
END_TEST

START_TEST(test_text_length_bounds)
{
	char *big = xmalloc(VAL_MAX_TEXT + 2);

	memset(big, 'a', VAL_MAX_TEXT + 1);
	ck_assert_int_eq(val_check(&f_text, big, VAL_MAX_TEXT), VAL_OK);
	ck_assert_int_eq(val_check(&f_text, big, VAL_MAX_TEXT + 1), VAL_TOO_LONG);
	/* the bound is on every type's value */
	ck_assert_int_eq(val_check(&f_code, big, VAL_MAX_TEXT + 1), VAL_TOO_LONG);
	ck_assert_int_eq(val_check(&f_ikey, big, VAL_MAX_KEY + 1), VAL_TOO_LONG);
	memset(big, '7', VAL_MAX_KEY + 1);
	ck_assert_int_eq(val_check(&f_ikey, big, VAL_MAX_KEY + 1), VAL_TOO_LONG);
	/* a NUL is found even in a value too long */
	big[VAL_MAX_TEXT] = '\0';
	ck_assert_int_eq(val_check(&f_text, big, VAL_MAX_TEXT + 1), VAL_NUL);
	free(big);
}
END_TEST

struct dcase {
	const struct reg_field *f;
	const char *v;
	size_t n;
	const char *want;
};

#define D(f, lit, msg) { &f, lit, sizeof lit - 1, msg }

/* the message text for a value, after "field: " */
static const struct dcase dcases[] = {
	D(f_date, "2024-13-01", "'2024-13-01' is not a date"),
	D(f_date, "2023-02-29", "'2023-02-29' is not a date"),
	D(f_int, "12a", "'12a' is not an integer"),
	D(f_dec, "1.", "'1.' is not a decimal number"),
	D(f_bool, "yes", "'yes' is not a boolean (0 or 1)"),
	D(f_code, "Q", "'Q' is not one of M, F, X"),
	D(f_grade, "1", "'1' is not one of PK, KG, 01, 02, 03, 04, 05, 06, 07, 08, 09, 10, "
	  "11, 12"),
	D(f_text, "a\x01z", "'a\\x01z' contains a control character"),
	D(f_tkey, "a\tb", "'a\\tb' contains a control character"),
	D(f_text, "a\0b", "contains a NUL byte"),
	D(f_text, "\xed\xa0\x80", "is not valid UTF-8"),
	D(f_text, "caf\xc3", "is not valid UTF-8"),
	/* broken UTF-8 is never echoed, whatever else is wrong */
	D(f_date, "2024-01-0\xff", "is not valid UTF-8"),
	D(f_int, "\xc0\x80", "is not valid UTF-8"),
	D(f_code, "\xf5", "is not valid UTF-8"),
	D(f_tkey, "", "key field is empty"),
	D(f_ikey, "", "key field is empty"),
	D(f_tkey, "01234567890123456789012345678901234567890123456789012345678901234",
	  "is 65 bytes long, more than the 64 allowed"),
	D(f_text, "fine", "is valid"),
	/* quotes inside the value are escaped */
	D(f_date, "'", "'\\'' is not a date"),
};

START_TEST(test_describe_table)
{
	struct sb bad = SB_INIT, out = SB_INIT;
	size_t i;

	for (i = 0; i < sizeof dcases / sizeof dcases[0]; i++) {
		const struct dcase *c = &dcases[i];
		enum val_result r = val_check(c->f, c->v, c->n);

		sb_reset(&out);
		sb_addstr(&out, "");
		val_describe(&out, c->f, r, c->v, c->n);
		if (strcmp(out.buf, c->want) != 0)
			sb_addf(&bad, "case %zu: got \"%s\", want \"%s\"\n", i, out.buf, c->want);
	}
	sb_addstr(&bad, "");
	ck_assert_msg(bad.len == 0, "%s", bad.buf);
	sb_release(&bad);
	sb_release(&out);
}
END_TEST

START_TEST(test_describe_appends_and_long_text)
{
	struct sb out = SB_INIT;
	char *big = xmalloc(VAL_MAX_TEXT + 6);

	sb_addstr(&out, "grade: ");
	val_describe(&out, &f_code, VAL_NOT_CODE, "Z", 1);
	ck_assert_str_eq(out.buf, "grade: 'Z' is not one of M, F, X");
	sb_reset(&out);

	memset(big, 'a', VAL_MAX_TEXT + 5);
	val_describe(&out, &f_text, val_check(&f_text, big, VAL_MAX_TEXT + 5), big,
		     VAL_MAX_TEXT + 5);
	ck_assert_str_eq(out.buf, "is 32773 bytes long, more than the 32768 allowed");
	sb_reset(&out);

	/* a long bad value is cut in the message */
	memset(big, '9', 100);
	big[99] = 'x';
	val_describe(&out, &f_int, val_check(&f_int, big, 100), big, 100);
	ck_assert_str_eq(out.buf, "'9999999999999999999999999999999999999999999999999999999999999999'"
			 "... is not an integer");
	sb_release(&out);
	free(big);
}
END_TEST

struct bcase {
	const char *v;
	size_t n;
	int ok;
};

#define B(lit, ok) { lit, sizeof lit - 1, ok }

static const struct bcase utf8_cases[] = {
	B("", 1), B("abc", 1), B("\xc3\xa9", 1), B("\xed\x9f\xbf", 1),
	B("\xc0\x80", 0), B("\xed\xa0\x80", 0), B("\xf5\x80\x80\x80", 0), B("\xe2\x82", 0),
	B("a\0b", 1),	/* NUL is valid UTF-8; val_check() refuses it separately */
};

static const struct bcase date_cases[] = {
	B("2024-02-29", 1), B("2023-02-29", 0), B("1900-02-29", 0), B("2000-02-29", 1),
	B("", 0), B("2024-02-2", 0), B("2024-02-290", 0),
};

static const struct bcase int_cases[] = {
	B("0042", 1), B("-1", 1), B("123456789012345678", 1), B("1234567890123456789", 0),
	B("", 0), B("-", 0), B("1.5", 0),
};

START_TEST(test_building_blocks)
{
	size_t i;

	for (i = 0; i < sizeof utf8_cases / sizeof utf8_cases[0]; i++)
		ck_assert_msg(val_utf8_ok(utf8_cases[i].v, utf8_cases[i].n) == utf8_cases[i].ok,
			      "utf8 case %zu", i);
	for (i = 0; i < sizeof date_cases / sizeof date_cases[0]; i++)
		ck_assert_msg(val_date_ok(date_cases[i].v, date_cases[i].n) == date_cases[i].ok,
			      "date case %zu", i);
	for (i = 0; i < sizeof int_cases / sizeof int_cases[0]; i++)
		ck_assert_msg(val_integer_ok(int_cases[i].v, int_cases[i].n) == int_cases[i].ok,
			      "integer case %zu", i);
}
END_TEST

START_TEST(test_length_not_nul_terminated)
{
	/* only n bytes are looked at: what follows does not matter */
	ck_assert_int_eq(val_check(&f_date, "2024-02-29XYZ", 10), VAL_OK);
	ck_assert_int_eq(val_check(&f_int, "12x", 2), VAL_OK);
	ck_assert_int_eq(val_check(&f_code, "MX", 1), VAL_OK);
	ck_assert_int_eq(val_check(&f_text, "ab\0", 2), VAL_OK);
	ck_assert_int_eq(val_check(&f_text, "\xc3\xa9", 1), VAL_UTF8);
}
END_TEST

START_TEST(test_every_day_of_the_range)
{
	/* every YYYY-MM-DD from 1899-00-00 to 2200-13-32: exactly the days of
	 * 1900-01-01 .. 2199-12-31 are dates */
	char d[48];
	int y, m, day, valid = 0;

	for (y = 1899; y <= 2200; y++)
		for (m = 0; m <= 13; m++)
			for (day = 0; day <= 32; day++) {
				snprintf(d, sizeof d, "%04d-%02d-%02d", y, m, day);
				if (val_date_ok(d, 10))
					valid++;
			}
	/* 1900..2199: 300 years, 73 leap years (2000 yes; 1900, 2100 no) */
	ck_assert_int_eq(valid, 300 * 365 + 73);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("value");
	TCase *tc = tcase_create("value");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_check_table);
	tcase_add_test(tc, test_text_length_bounds);
	tcase_add_test(tc, test_describe_table);
	tcase_add_test(tc, test_describe_appends_and_long_text);
	tcase_add_test(tc, test_building_blocks);
	tcase_add_test(tc, test_length_not_nul_terminated);
	tcase_add_test(tc, test_every_day_of_the_range);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
