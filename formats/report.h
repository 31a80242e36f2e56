/*
 * report.h - the Verification Summary as data: the figures of each area,
 * and the report member that carries them back to the district.
 *
 * report.csv (in a bundle of kind "report", made and signed by the state):
 *
 *   district,digest_sequence,verified_at,area,district_total,state_total,
 *     missing_at_state,missing_at_district,differences,
 *     duplicates_at_district,duplicates_at_state,unresolved
 *   0042,12,2026-11-30T02:00:00Z,Behavior,310,310,0,0,0,0,0,0
 *   ... one row per area, in the Summary's order
 *
 * detail.csv (same bundle): the detail the state printed, one row per key
 * of a set, or per differing field of a differing record (rp_detail_*).
 *
 * rp_read() checks every row (the eight areas in order, one district,
 * digest sequence and time, every count a number); 0, or -1 with the reason
 * in why.
 */
#ifndef EDSYNC_REPORT_H
#define EDSYNC_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "registry.h"

struct sb;

#define RP_MEMBER "report.csv"
#define RP_DETAIL_MEMBER "detail.csv"

struct rp_area {
	uint64_t district_total, state_total;
	uint64_t missing_at_state, missing_at_district, differences;
	uint64_t duplicates_at_district, duplicates_at_state;
	/* records in ranges whose difference is not known yet (the district's
	 * answer is awaited); 0 in a complete Summary */
	uint64_t unresolved;
};

struct rp_summary {
	char district[17];
	uint64_t digest_seq;
	char at[24];		/* when verified, YYYY-MM-DDTHH:MM:SSZ */
	struct rp_area areas[REG_AREA_COUNT];
};

/* Sums over the areas. */
void rp_total(const struct rp_summary *s, struct rp_area *t);
int rp_in_sync(const struct rp_summary *s);
int rp_complete(const struct rp_summary *s);

void rp_write(const struct rp_summary *s, struct sb *out);
int rp_read(const char *p, size_t n, struct rp_summary *s, struct sb *why);

/* detail.csv: area,object,set,key,field,district_value,state_value,changed */
void rp_detail_header(struct sb *out);
void rp_detail_row(struct sb *out, const char *area, const char *object, const char *set,
		   const char *key, size_t klen, const char *field, const char *dv, size_t dn,
		   const char *sv, size_t sn, uint64_t changed);

#endif
