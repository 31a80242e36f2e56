/*
 * withhold.h - data setup that stops a record from syncing.
 *
 * A record is withheld (not sent, counted, reported, and removed at the
 * state if it was sent before) when
 *   - one of its object's rules holds (registry.def RULE lines: a state
 *     event code missing, a plan not locked, an excluded calendar ...);
 *   - its school year (the REG_YEAR field) is given and is not the scoped
 *     year;
 *   - a record it references (a REF field) was withheld: the enrollments of
 *     an excluded calendar, the roles of an event without a state code.
 *
 * wh_check() says why a record is withheld, or that it is not; wh_mark()
 * remembers a withheld record's key for the objects that reference it, so
 * an object must be checked after the objects it references (registry
 * levels).  Checking one object on several threads, or several objects of
 * one level at once, is safe: each object's set is written by its own
 * check only and read only by later levels.
 *
 * Keys are remembered as 64-bit hashes (util/keyset.h): a collision could
 * withhold a record wrongly with probability about n / 2^64 per lookup.
 */
#ifndef EDSYNC_WITHHOLD_H
#define EDSYNC_WITHHOLD_H

#include <stddef.h>

#include "record.h"

struct reg_object;
struct withhold;

/* Causes besides the object's rules, numbered after them: the year, then
 * one per field (a withheld record referenced by field f). */
#define WH_YEAR(o) ((o)->nrules)
#define WH_PARENT(o, f) ((o)->nrules + 1 + (f))
#define WH_CAUSES(o) ((o)->nrules + 1 + (o)->nfields)

struct withhold *wh_new(int scoped_year);
void wh_free(struct withhold *w);

/*
 * -1 when v (a record of o) syncs; else the cause: a rule index, WH_YEAR(o)
 * or WH_PARENT(o, f).  *field gets the field concerned.
 */
int wh_check(const struct withhold *w, const struct reg_object *o, const struct rec_val *v,
	     size_t *field);
/* A name for a cause, for reports: the rule's name, "outside the scoped
 * year 2027", "references a withheld Calendar" (buf used when needed). */
const char *wh_cause_name(const struct withhold *w, const struct reg_object *o, int cause,
			  char *buf, size_t size);
void wh_mark(struct withhold *w, const struct reg_object *o, const struct rec_val *v);

#endif
