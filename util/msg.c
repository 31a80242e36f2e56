/* msg.c - diagnostics; see msg.h. */
#include "msg.h"

#include "sb.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define CAPTURE_MAX (8u << 20)

static _Atomic unsigned long error_count;
static int quiet;
static _Thread_local struct sb *capture;

void msg_capture(struct sb *buf)
{
	capture = buf;
}

static void vsay(const char *fmt, va_list ap)
{
	/* One fputs of one buffer, so that lines of two processes sharing
	 * stderr do not interleave mid-line. */
	char line[4096];
	int n = vsnprintf(line, sizeof line - 1, fmt, ap);

	if (n < 0)
		return;
	if ((size_t)n > sizeof line - 2)
		n = sizeof line - 2;
	line[n] = '\n';
	line[n + 1] = '\0';
	if (capture && capture->len < CAPTURE_MAX) {
		sb_addstr(capture, "edsync: ");
		sb_add(capture, line, (size_t)n + 1);
		return;
	}
	fputs("edsync: ", stderr);
	fputs(line, stderr);
}

void msg_error(const char *fmt, ...)
{
	va_list ap;

	error_count++;
	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
}

void msg_warn(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
}

void msg_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	exit(70);
}

void msg_panic(const char *fmt, ...)
{
	va_list ap;

	fputs("edsync: panic: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

unsigned long msg_error_count(void)
{
	return error_count;
}

void msg_set_quiet(int q)
{
	quiet = q;
}

int msg_is_quiet(void)
{
	return quiet;
}

char *msg_quote(char *out, const char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0, i;
	size_t shown = n > 64 ? 64 : n;

	/* Never cut inside a UTF-8 sequence: the message would not be UTF-8.
	 * p[shown] is the first byte left out; step back over at most three
	 * continuation bytes to the lead byte of its sequence. */
	if (shown < n) {
		size_t k = shown;

		while (k > 0 && shown - k < 3 && ((unsigned char)p[k] & 0xc0) == 0x80)
			k--;
		if (((unsigned char)p[k] & 0xc0) != 0x80)
			shown = k;
	}
	out[o++] = '\'';
	for (i = 0; i < shown; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '\n') {
			out[o++] = '\\'; out[o++] = 'n';
		} else if (c == '\t') {
			out[o++] = '\\'; out[o++] = 't';
		} else if (c == '\r') {
			out[o++] = '\\'; out[o++] = 'r';
		} else if (c == '\'' || c == '\\') {
			out[o++] = '\\'; out[o++] = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			out[o++] = '\\'; out[o++] = 'x';
			out[o++] = hex[c >> 4]; out[o++] = hex[c & 15];
		} else {
			out[o++] = (char)c;
		}
	}
	out[o++] = '\'';
	if (shown < n) {
		out[o++] = '.'; out[o++] = '.'; out[o++] = '.';
	}
	out[o] = '\0';
	return out;
}
