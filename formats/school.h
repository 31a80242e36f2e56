/*
 * school.h - which records belong to a school, for a verification of one
 * school ('verify --school N', a request with school = N).
 *
 * A record belongs to school N (its schoolID) by the registry's links:
 *   School                     its key is N
 *   a schoolID field           (Calendar, EmploymentAssignment) it is N
 *   a calendarID field         (Enrollment, BehaviorIncident, BehaviorEvent)
 *                              the calendar is one of school N
 *   a link to such a record    (BehaviorRole -> BehaviorEvent,
 *                              BehaviorResolution -> BehaviorRole) that
 *                              record belongs to N
 *   referenced by a record with a school or calendar link
 *                              (PersonIdentity, Employment): a record of N
 *                              references it: a person enrolled or assigned
 *                              at N, an employment with an assignment at N
 *   a personID field           (Lep, TestScore, Graduation) the person
 *                              belongs to N
 * Anything else belongs to no school.  A person enrolled at two schools
 * belongs to both.
 *
 * Deciding needs what other objects hold: sc_learn() is given, in registry
 * order, every record (not withheld) of each object sc_learns() names;
 * then sc_in() decides for any record.  Keys are remembered as 64-bit
 * hashes of the records of that school only (util/keyset.h), so memory
 * grows with the school, not the district.
 */
#ifndef EDSYNC_SCHOOL_H
#define EDSYNC_SCHOOL_H

#include "record.h"

struct reg_object;
struct school_scope;

struct school_scope *sc_new(const char *school);
void sc_free(struct school_scope *s);
int sc_learns(const struct reg_object *o);
void sc_learn(struct school_scope *s, const struct reg_object *o, const struct rec_val *v);
int sc_in(const struct school_scope *s, const struct reg_object *o, const struct rec_val *v);
/*
 * Does a record of o belong to a school by its own fields (School, a
 * schoolID or calendarID, a link to such a record)?  Not a person or an
 * employment, which belong by what refers to them, nor a person's records:
 * those a school's resync does not carry are not orphans (the person may
 * have moved to another school).
 */
int sc_owned(const struct reg_object *o);

#endif
