/*
 * csvw.h - writing RFC 4180 CSV.
 *
 * A field is quoted only when it must be (it holds a comma, a quote, CR or
 * LF); quotes inside are doubled; spaces are data and stay as they are.
 * Rows end with LF.  The writer appends to a struct sb; the caller flushes it.
 */
#ifndef EDSYNC_CSVW_H
#define EDSYNC_CSVW_H

#include <stddef.h>

struct sb;

void csvw_field(struct sb *out, const char *p, size_t n);
/* field with its separator: a comma before every field but the first */
void csvw_cell(struct sb *out, size_t col, const char *p, size_t n);
void csvw_end(struct sb *out);

/* A whole row of n fields (p[i], len[i]) and its LF: one growth check for
 * the row, one copy for each field that needs no quotes (the hot path). */
struct rec_val;
void csvw_row(struct sb *out, const struct rec_val *v, size_t n);

#endif
