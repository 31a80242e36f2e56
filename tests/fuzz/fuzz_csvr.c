/*
 * fuzz_csvr.c - the strict CSV reader (formats/csvr.h).
 *
 * Input: byte 0 sets max_fields (low nibble + 1) and a row count after which
 * the row callback stops the reader (high nibble; 0: never); then the
 * chunking prefix of fuzzutil.h; then the CSV bytes.
 *
 * Invariants, checked in the callbacks: n <= max_fields, len[i] <=
 * CSVR_MAX_FIELD, v[i][len[i]] == '\0', the line of a row is a real physical
 * line (1 .. newlines + 1) and never less than the line of the row before.
 * After the run: the rows and errors seen when the bytes are fed in the
 * fuzzed chunks are exactly those seen when they are fed at once (the
 * reader is push style: callers feed whatever block sizes their source
 * gives; only a BOM split across feeds is outside the contract, so the
 * first chunk is at least 3 bytes).
 */
#include "../../formats/csvr.h"
#include "../../util/sb.h"
#include "fuzzutil.h"

#include <stdint.h>
#include <string.h>

struct run {
	size_t max_fields;
	unsigned stop_after;	/* rows; 0: never stop */
	unsigned rows;
	uint64_t max_line;	/* newlines in the input + 1 */
	uint64_t last_line;
	struct sb log;		/* every event, serialised, for the comparison */
};

static void log_u64(struct sb *s, uint64_t x)
{
	sb_add(s, &x, sizeof x);
}

static int on_row(void *ctx, const struct csvr_row *row)
{
	struct run *r = ctx;
	size_t i;

	FUZZ_TRAP(row->n <= r->max_fields);
	FUZZ_TRAP(row->line >= 1 && row->line <= r->max_line);
	FUZZ_TRAP(row->line >= r->last_line);
	FUZZ_TRAP(row->too_many == 0 || row->too_many == 1);
	r->last_line = row->line;
	sb_addch(&r->log, 'R');
	log_u64(&r->log, row->line);
	log_u64(&r->log, row->n);
	sb_addch(&r->log, (char)row->too_many);
	for (i = 0; i < row->n; i++) {
		FUZZ_TRAP(row->len[i] <= CSVR_MAX_FIELD);
		FUZZ_TRAP(row->v[i][row->len[i]] == '\0');
		log_u64(&r->log, row->len[i]);
		sb_add(&r->log, row->v[i], row->len[i]);
	}
	r->rows++;
	return r->stop_after && r->rows >= r->stop_after ? 7 : 0;
}

static void on_err(void *ctx, uint64_t line, const char *reason)
{
	struct run *r = ctx;

	FUZZ_TRAP(reason && *reason);
	FUZZ_TRAP(line >= 1 && line <= r->max_line);
	sb_addch(&r->log, 'E');
	log_u64(&r->log, line);
	sb_addstr(&r->log, reason);
	sb_addch(&r->log, '\0');
}

static int run_csv(struct run *r, const uint8_t *p, size_t n, struct fuzz_chunks *chunks)
{
	struct csvr *c = csvr_new(r->max_fields, on_row, on_err, r);
	int rc = 0, first = 1;

	while (n && !rc) {
		size_t k = chunks ? fuzz_chunk_next(chunks, n) : n;

		if (first && k < 3)
			k = n < 3 ? n : 3;
		first = 0;
		rc = csvr_feed(c, p, k);
		p += k;
		n -= k;
	}
	if (rc)
		FUZZ_TRAP(rc == 7 && csvr_finish(c) == 7);
	else
		rc = csvr_finish(c);
	FUZZ_TRAP(rc == 0 || rc == 7);
	sb_addch(&r->log, 'F');
	sb_addch(&r->log, (char)rc);
	csvr_free(c);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run whole, chunked;
	struct fuzz_chunks chunks;
	size_t max_fields;
	unsigned stop_after;
	uint64_t lines = 1;
	size_t i;

	if (size < 1)
		return 0;
	max_fields = (size_t)(data[0] & 15) + 1;
	stop_after = data[0] >> 4;
	data++, size--;
	fuzz_chunks_init(&chunks, &data, &size);
	for (i = 0; i < size; i++)
		lines += data[i] == '\n';

	memset(&whole, 0, sizeof whole);
	whole.max_fields = max_fields;
	whole.stop_after = stop_after;
	whole.max_line = lines;
	chunked = whole;

	run_csv(&whole, data, size, NULL);
	run_csv(&chunked, data, size, &chunks);
	FUZZ_TRAP(whole.log.len == chunked.log.len);
	FUZZ_TRAP(whole.log.len == 0 || memcmp(whole.log.buf, chunked.log.buf, whole.log.len) == 0);
	sb_release(&whole.log);
	sb_release(&chunked.log);
	return 0;
}
