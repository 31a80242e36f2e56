/*
 * scope.h - which records a school's resync covers (formats/school.h),
 * learned from either side's records.
 *
 * scope_school_source() reads, on a district, the source files of the
 * objects that decide it (School, Calendar, Enrollment, ... and the
 * objects they reference), with data setup's withholding, in registry
 * order.  scope_school_store() reads the same from a district's records
 * at the state.  Both report their failures; *out is NULL then.
 */
#ifndef EDSYNC_SCOPE_H
#define EDSYNC_SCOPE_H

#include "../util/status.h"

struct home;
struct store;
struct school_scope;

es_status scope_school_source(struct home *h, const char *school, struct school_scope **out);
es_status scope_school_store(struct store *s, const char *district, const char *school,
			     struct school_scope **out);

#endif
