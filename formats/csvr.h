/*
 * csvr.h - a strict, bounded, streaming CSV reader (RFC 4180) over libcsv.
 *
 * Push style: the caller reads bytes from wherever they are (a source file,
 * an archive member) and feeds them with csvr_feed(); each complete row is
 * handed to the row callback, each unreadable row to the error callback,
 * both with the physical line (1-based) where the row starts.  Nothing is
 * trimmed: values arrive byte-exact.  A UTF-8 byte-order mark at the start
 * is skipped.
 *
 * Bounds: a field longer than CSVR_MAX_FIELD bytes, or a row of more than
 * CSVR_MAX_ROW bytes, is an error for that row, not a growing buffer; a row
 * with more than max_fields fields is delivered with the first max_fields
 * and too_many set.  After a malformed row the reader starts again at the
 * next line, so one bad quote costs one row, not the file.
 *
 * The row callback returns 0 to go on; anything else stops the reader and
 * is returned by csvr_feed()/csvr_finish().  Field pointers are valid only
 * during the callback; each field is followed by a NUL byte (fields may
 * still contain NUL bytes of their own: use len).
 */
#ifndef EDSYNC_CSVR_H
#define EDSYNC_CSVR_H

#include <stddef.h>
#include <stdint.h>

#define CSVR_MAX_FIELD (1u << 20)
#define CSVR_MAX_ROW (4u << 20)

struct csvr_row {
	uint64_t line;
	size_t n;
	const char *const *v;
	const size_t *len;
	int too_many;
};

typedef int (*csvr_row_fn)(void *ctx, const struct csvr_row *row);
typedef void (*csvr_err_fn)(void *ctx, uint64_t line, const char *reason);

struct csvr;

struct csvr *csvr_new(size_t max_fields, csvr_row_fn row, csvr_err_fn err, void *ctx);
int csvr_feed(struct csvr *r, const void *p, size_t n);
/* End of input: delivers a last row without a final newline. */
int csvr_finish(struct csvr *r);
void csvr_free(struct csvr *r);

/* Convenience: feed a whole open file descriptor (read errors: -1, errno). */
int csvr_feed_fd(struct csvr *r, int fd);

#endif
