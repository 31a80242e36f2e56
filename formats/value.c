/* value.c - field value validation; see value.h. */
#include "value.h"
#include "registry.h"
#include "../util/msg.h"
#include "../util/sb.h"

#include <string.h>

int val_utf8_ok(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		unsigned char c = p[i];

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			if (i + 1 >= n || (p[i + 1] & 0xc0) != 0x80)
				return 0;
			i += 2;
		} else if (c >= 0xe0 && c <= 0xef) {
			unsigned char lo = c == 0xe0 ? 0xa0 : 0x80;
			unsigned char hi = c == 0xed ? 0x9f : 0xbf;

			if (i + 2 >= n || p[i + 1] < lo || p[i + 1] > hi ||
			    (p[i + 2] & 0xc0) != 0x80)
				return 0;
			i += 3;
		} else if (c >= 0xf0 && c <= 0xf4) {
			unsigned char lo = c == 0xf0 ? 0x90 : 0x80;
			unsigned char hi = c == 0xf4 ? 0x8f : 0xbf;

			if (i + 3 >= n || p[i + 1] < lo || p[i + 1] > hi ||
			    (p[i + 2] & 0xc0) != 0x80 || (p[i + 3] & 0xc0) != 0x80)
				return 0;
			i += 4;
		} else {
			return 0;
		}
	}
	return 1;
}

static int digits(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

int val_integer_ok(const char *p, size_t n)
{
	if (n && p[0] == '-')
		p++, n--;
	return n >= 1 && n <= 18 && digits(p, n);
}

static int decimal_ok(const char *p, size_t n)
{
	const char *dot;
	size_t ip;

	if (n && p[0] == '-')
		p++, n--;
	dot = memchr(p, '.', n);
	if (!dot)
		return n >= 1 && n <= 15 && digits(p, n);
	ip = (size_t)(dot - p);
	return ip >= 1 && ip <= 15 && digits(p, ip) &&
	       n - ip - 1 >= 1 && n - ip - 1 <= 6 && digits(dot + 1, n - ip - 1);
}

static int num(const char *p, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (p[i] - '0');
	return v;
}

int val_date_ok(const char *p, size_t n)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, max;

	if (n != 10 || p[4] != '-' || p[7] != '-' ||
	    !digits(p, 4) || !digits(p + 5, 2) || !digits(p + 8, 2))
		return 0;
	y = num(p, 4);
	m = num(p + 5, 2);
	d = num(p + 8, 2);
	if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1)
		return 0;
	max = mdays[m - 1];
	if (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		max = 29;
	return d <= max;
}

static int code_ok(const char *codes, const char *p, size_t n)
{
	const char *s = codes;

	/* Walk the list once; no strchr/strlen per code. */
	for (;;) {
		size_t i = 0;

		while (i < n && s[i] && s[i] != ';' && s[i] == p[i])
			i++;
		if (i == n && (s[i] == ';' || s[i] == '\0'))
			return 1;
		while (*s && *s != ';')
			s++;
		if (!*s)
			return 0;
		s++;
	}
}

static int has_control(const char *p, size_t n, int allow_space_controls)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c < 0x20 || c == 0x7f) {
			if (allow_space_controls && (c == '\t' || c == '\n' || c == '\r'))
				continue;
			return 1;
		}
	}
	return 0;
}

enum val_result val_check(const struct reg_field *f, const char *p, size_t n)
{
	int key = (f->flags & REG_KEY) != 0;

	if (memchr(p, '\0', n))
		return VAL_NUL;
	if (n > (key ? VAL_MAX_KEY : VAL_MAX_TEXT))
		return VAL_TOO_LONG;
	if (n == 0)
		return key ? VAL_EMPTY_KEY : VAL_OK;
	switch (f->type) {
	case REG_TEXT: {
		size_t i;

		/* Nearly every value is printable ASCII: one pass decides. */
		for (i = 0; i < n; i++) {
			unsigned char c = (unsigned char)p[i];

			if (c < 0x20 || c >= 0x7f)
				break;
		}
		if (i == n)
			return VAL_OK;
		if (!val_utf8_ok(p, n))
			return VAL_UTF8;
		if (has_control(p, n, !key))
			return VAL_CONTROL;
		return VAL_OK;
	}
	case REG_INTEGER:
		return val_integer_ok(p, n) ? VAL_OK : VAL_NOT_INTEGER;
	case REG_DECIMAL:
		return decimal_ok(p, n) ? VAL_OK : VAL_NOT_DECIMAL;
	case REG_DATE:
		return val_date_ok(p, n) ? VAL_OK : VAL_NOT_DATE;
	case REG_BOOLEAN:
		return n == 1 && (p[0] == '0' || p[0] == '1') ? VAL_OK : VAL_NOT_BOOLEAN;
	case REG_CODE:
		return code_ok(f->codes, p, n) ? VAL_OK : VAL_NOT_CODE;
	}
	return VAL_OK;
}

void val_describe(struct sb *out, const struct reg_field *f, enum val_result r,
		  const char *p, size_t n)
{
	char q[MSG_QUOTE_MAX];

	/* Bytes that are not text are never echoed: a NUL or a broken UTF-8
	 * sequence would corrupt the message itself. */
	if (r != VAL_NUL && r != VAL_UTF8 && r != VAL_TOO_LONG && r != VAL_EMPTY_KEY &&
	    !val_utf8_ok(p, n))
		r = VAL_UTF8;
	switch (r) {
	case VAL_OK:
		sb_addstr(out, "is valid");
		break;
	case VAL_NUL:
		sb_addstr(out, "contains a NUL byte");
		break;
	case VAL_UTF8:
		sb_addstr(out, "is not valid UTF-8");
		break;
	case VAL_CONTROL:
		sb_addf(out, "%s contains a control character", msg_quote(q, p, n));
		break;
	case VAL_TOO_LONG:
		sb_addf(out, "is %zu bytes long, more than the %d allowed", n,
			(f->flags & REG_KEY) ? VAL_MAX_KEY : VAL_MAX_TEXT);
		break;
	case VAL_EMPTY_KEY:
		sb_addstr(out, "key field is empty");
		break;
	case VAL_NOT_INTEGER:
		sb_addf(out, "%s is not an integer", msg_quote(q, p, n));
		break;
	case VAL_NOT_DECIMAL:
		sb_addf(out, "%s is not a decimal number", msg_quote(q, p, n));
		break;
	case VAL_NOT_DATE:
		sb_addf(out, "%s is not a date", msg_quote(q, p, n));
		break;
	case VAL_NOT_BOOLEAN:
		sb_addf(out, "%s is not a boolean (0 or 1)", msg_quote(q, p, n));
		break;
	case VAL_NOT_CODE: {
		const char *s;

		sb_addf(out, "%s is not one of ", msg_quote(q, p, n));
		for (s = f->codes; *s; s++)
			if (*s == ';')
				sb_addstr(out, ", ");
			else
				sb_addch(out, *s);
		break;
	}
	}
}
