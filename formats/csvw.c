/* csvw.c - RFC 4180 CSV writing; see csvw.h. */
#include "csvw.h"
#include "record.h"
#include "../util/sb.h"

#include <string.h>

static int needs_quotes(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] == ',' || p[i] == '"' || p[i] == '\n' || p[i] == '\r')
			return 1;
	return 0;
}

void csvw_field(struct sb *out, const char *p, size_t n)
{
	const char *q;

	if (!needs_quotes(p, n)) {
		sb_add(out, p, n);
		return;
	}
	sb_addch(out, '"');
	while ((q = memchr(p, '"', n)) != NULL) {
		size_t k = (size_t)(q - p) + 1;

		sb_add(out, p, k);
		sb_addch(out, '"');
		p += k;
		n -= k;
	}
	sb_add(out, p, n);
	sb_addch(out, '"');
}

void csvw_cell(struct sb *out, size_t col, const char *p, size_t n)
{
	if (col)
		sb_addch(out, ',');
	csvw_field(out, p, n);
}

void csvw_end(struct sb *out)
{
	sb_addch(out, '\n');
}

void csvw_row(struct sb *out, const struct rec_val *v, size_t n)
{
	size_t i, total = n + 1;
	char *p;

	for (i = 0; i < n; i++)
		total += v[i].n;
	sb_grow(out, total);
	p = out->buf + out->len;
	for (i = 0; i < n; i++) {
		if (i)
			*p++ = ',';
		if (needs_quotes(v[i].p, v[i].n)) {
			/* rare: the general path, which may grow the buffer */
			out->len = (size_t)(p - out->buf);
			csvw_field(out, v[i].p, v[i].n);
			sb_grow(out, total);
			p = out->buf + out->len;
			continue;
		}
		if (v[i].n)
			memcpy(p, v[i].p, v[i].n);
		p += v[i].n;
	}
	*p++ = '\n';
	out->len = (size_t)(p - out->buf);
	out->buf[out->len] = '\0';
}
