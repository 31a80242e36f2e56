/* sb.c - growable byte string; see sb.h. */
#include "sb.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb_grow(struct sb *s, size_t extra)
{
	size_t need = s->len + extra + 1;

	if (need <= s->alloc)
		return;
	if (need < 64)
		need = 64;
	if (need < s->alloc * 2)
		need = s->alloc * 2;
	s->buf = xrealloc(s->buf, need);
	s->alloc = need;
}

void sb_add(struct sb *s, const void *p, size_t n)
{
	sb_grow(s, n);
	if (n)
		memcpy(s->buf + s->len, p, n);
	s->len += n;
	s->buf[s->len] = '\0';
}

void sb_addstr(struct sb *s, const char *str)
{
	sb_add(s, str, strlen(str));
}

void sb_addch(struct sb *s, char c)
{
	sb_grow(s, 1);
	s->buf[s->len++] = c;
	s->buf[s->len] = '\0';
}

void sb_addf(struct sb *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	sb_grow(s, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(s->buf + s->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	s->len += (size_t)n;
}

void sb_reset(struct sb *s)
{
	s->len = 0;
	if (s->buf)
		s->buf[0] = '\0';
}

void sb_release(struct sb *s)
{
	free(s->buf);
	s->buf = NULL;
	s->len = s->alloc = 0;
}

char *sb_detach(struct sb *s)
{
	char *p;

	if (!s->buf)
		sb_grow(s, 0), s->buf[0] = '\0';
	p = s->buf;
	s->buf = NULL;
	s->len = s->alloc = 0;
	return p;
}

void sb_addhex(struct sb *s, const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	sb_grow(s, n * 2);
	for (i = 0; i < n; i++) {
		s->buf[s->len++] = hex[p[i] >> 4];
		s->buf[s->len++] = hex[p[i] & 15];
	}
	s->buf[s->len] = '\0';
}

void sb_addjson(struct sb *s, const char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	sb_addch(s, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '"' || c == '\\') {
			sb_addch(s, '\\');
			sb_addch(s, (char)c);
		} else if (c == '\n') {
			sb_addstr(s, "\\n");
		} else if (c < 0x20 || c == 0x7f) {
			sb_addstr(s, "\\u00");
			sb_addch(s, hex[c >> 4]);
			sb_addch(s, hex[c & 15]);
		} else {
			sb_addch(s, (char)c);
		}
	}
	sb_addch(s, '"');
}
