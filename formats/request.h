/*
 * request.h - the request member (request.ini): what the state asks a
 * district to do, and, echoed in the district's answer, what the answer
 * carries out.
 *
 *   [request]
 *   what = expand            ; verify | expand | records | resync
 *   request = 3              ; the state's request this answers (0: none)
 *   digest = 12              ; expand: the digest whose nodes are expanded
 *   form = tree              ; verify: tree (nightly) or full (a hash per record)
 *   objects = Enrollment     ; ';'-separated; empty: every object in scope
 *   school = 105             ; a school's records only; empty: the district
 *   fields = lastName        ; compare only these (fieldset.h); empty: all
 *   full = 0                 ; resync: every object
 *   expires = 2026-12-06T00:00:00Z   ; (optional) not carried out after
 *
 * A request bundle (kind "request", made and signed by the state) carries
 * request.ini and, for expand, the state's ranges for each object
 * (<Object>.tree.csv, hashtree.h), for records the keys wanted
 * (<Object>.keys.csv, key columns only).  The district carries it out when
 * it next loads (it cannot decline) and spools its answer, a bundle of
 * kind "verify" in its own sequence, with request.ini echoed.
 *
 * rq_parse() is strict (libinih): every key at most once, none unknown,
 * every value checked; 0, or -1 with the reason in why.
 */
#ifndef EDSYNC_REQUEST_H
#define EDSYNC_REQUEST_H

#include <stddef.h>
#include <stdint.h>

struct sb;

#define RQ_MEMBER "request.ini"
#define RQ_MAX_BYTES 65536

enum rq_what { RQ_VERIFY, RQ_EXPAND, RQ_RECORDS, RQ_RESYNC };

struct request {
	enum rq_what what;
	uint64_t request;
	uint64_t digest;
	int tree;		/* verify: form = tree */
	int full;		/* resync: every object */
	char school[17];	/* "" or 1-16 digits */
	char expires[24];	/* UTC, YYYY-MM-DDTHH:MM:SSZ; "" never */
	char *objects;		/* malloc'd; "" = every object in scope */
	char *fields;		/* malloc'd; "" = every field */
};

const char *rq_what_name(enum rq_what w);
/* A request with empty lists (to fill in). */
void rq_init(struct request *r, enum rq_what what);
void rq_encode(const struct request *r, struct sb *out);
int rq_parse(const char *text, size_t n, struct request *r, struct sb *why);
void rq_free(struct request *r);
/* Has r expired at now (a UTC time as expires is written)? */
int rq_expired(const struct request *r, const char *now);
/* Is object name listed in r->objects (or the list empty)? */
int rq_has_object(const struct request *r, const char *name);

#endif
