/*
 * objcsv.h - reading the CSV of one registry object: a source extract, a
 * change file, or a bundle member.
 *
 * The first row is the header: column names are field names of the object
 * in any order.  A column that is not a field, a column given twice, or a
 * missing key column makes the whole file unreadable (reported once, on
 * line 1).  Every following row is checked: its field count, every value
 * against its field's type (value.h), and, with OBJCSV_UNIQUE, that its key
 * was not seen before in the file.
 *
 * With OBJCSV_OPS the first column must be _op (upsert or delete); a
 * delete needs only its key fields, any others are ignored.
 *
 * A good row goes to the record callback as the object's values in registry
 * order (fields without a column are empty).  Each problem of a bad row
 * goes to the reject callback (a row with two bad values: two calls), with
 * the line, the field (or NULL) and the reason; the last call for a row has
 * last set, with key_ok telling whether the row's key itself is valid and
 * v (its values as far as they go) so the caller can keep the row.
 */
#ifndef EDSYNC_OBJCSV_H
#define EDSYNC_OBJCSV_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

struct reg_object;
struct csvr_row;

#define OBJCSV_UNIQUE 1u	/* a key seen twice is an error */
#define OBJCSV_KEYS 2u		/* only key columns are expected (keep files) */
/* The first column is _op: upsert or delete (change files and change
 * members).  A delete row's non-key values are not checked. */
#define OBJCSV_OPS 4u

enum objcsv_op { OBJCSV_UPSERT, OBJCSV_DELETE };

struct objcsv_reject {
	uint64_t line;
	const char *field;	/* or NULL when about the row */
	const char *reason;
	int last;		/* the row's last problem */
	int key_ok;		/* (last only) the key fields are valid */
	int header;		/* the file's header is unusable */
	const struct rec_val *v;	/* (last only) the row's values */
	const struct csvr_row *raw;	/* (last only) the row as read, or NULL */
};

typedef int (*objcsv_rec_fn)(void *ctx, const struct rec_val *v, uint64_t line);
typedef void (*objcsv_rej_fn)(void *ctx, const struct objcsv_reject *r);

struct objcsv;

struct objcsv *objcsv_new(const struct reg_object *o, unsigned flags, objcsv_rec_fn rec,
			  objcsv_rej_fn rej, void *ctx);
/* as csvr_feed / csvr_finish: nonzero when a callback stopped the reader */
int objcsv_feed(struct objcsv *r, const void *p, size_t n);
int objcsv_finish(struct objcsv *r);
int objcsv_feed_fd(struct objcsv *r, int fd);
void objcsv_free(struct objcsv *r);

/* In the record callback, with OBJCSV_OPS: the row's _op. */
enum objcsv_op objcsv_op(const struct objcsv *r);

/* After the header: was field i a column?  Is the header usable? */
int objcsv_has_field(const struct objcsv *r, size_t i);
int objcsv_header_ok(const struct objcsv *r);
/* The header as read (column names), for rejects files. */
size_t objcsv_columns(const struct objcsv *r, const char *const **names);
uint64_t objcsv_good(const struct objcsv *r);
uint64_t objcsv_bad(const struct objcsv *r);

#endif
