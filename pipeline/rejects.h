/*
 * rejects.h - the rejects file: every row a command refused, kept; and the
 * withheld file, the same for records data setup keeps from syncing.
 *
 * Rows refused at the district are never silently dropped: each is written
 * to outbox/rejects/<name>.rejects.csv (mode 0600: it holds student data),
 * one line per refused row:
 *
 *     file,line,field,reason,row
 *     source/Enrollment.csv,17,startDate,'2024-13-01' is not a date,"1001,..."
 *
 * field and reason list every problem of the row (';' and '; ' between);
 * row is the row as read, re-encoded as one CSV line.  The file is built in
 * outbox/.tmp and appears whole, or not at all, at rejects_commit().
 */
#ifndef EDSYNC_REJECTS_H
#define EDSYNC_REJECTS_H

#include <stddef.h>
#include <stdint.h>

#include "../util/status.h"

struct home;
struct csvr_row;
struct rejects;

/* kind: "rejects" (outbox/rejects/<name>.rejects.csv, rows as read) or
 * "withheld" (outbox/withheld/<name>.withheld.csv, records by field) */
struct rejects *rejects_new(const struct home *h, const char *kind);
/* reported on failure; later adds are then ignored */
void rejects_add(struct rejects *r, const char *file, uint64_t line, const char *fields,
		 const char *reasons, const struct csvr_row *raw);
/* The same with the record's values, all fields in registry order. */
struct reg_object;
struct rec_val;
void rejects_add_record(struct rejects *r, const char *file, uint64_t line, const char *field,
			const char *reason, const struct reg_object *o, const struct rec_val *v);
uint64_t rejects_count(const struct rejects *r);
/* Commit as outbox/<kind>/<base>.<kind>.csv if any row was added;
 * *relpath (may be NULL) gets the path relative to the home. */
es_status rejects_commit(struct rejects *r, const char *base, char **relpath);
void rejects_free(struct rejects *r);

#endif
