/*
 * vreport.h - the Verification Summary for people and programs: text,
 * JSON, CSV, the detail as CSV, and an HTML page (report_html.c).
 *
 * Every format carries the same figures (report.h) and the same detail
 * (vmerge.h's rows: the keys of each set, the differing fields with both
 * values, the bundle that last changed the state's record).  The JSON
 * keeps the contract's object and the order of its fields; what edsync
 * adds comes after them.
 */
#ifndef EDSYNC_VREPORT_H
#define EDSYNC_VREPORT_H

#include <stdint.h>
#include <stdio.h>

struct rp_summary;
struct vm;

struct vr_meta {
	const char *district, *state;
	uint64_t digest_seq;
	const char *digest_made;	/* when the district made its digest */
	const char *verified_at;
	const char *fields;		/* "" = every field */
	const char *school;		/* "" = the whole district */
	const char *note;		/* a pending request, for people, or NULL */
};

void vr_text(FILE *out, const struct vr_meta *mt, const struct rp_summary *s, struct vm *m);
void vr_json(FILE *out, const struct vr_meta *mt, const struct rp_summary *s, struct vm *m);
/* One table: a row per area (the figures), then a row per detail line. */
void vr_csv(FILE *out, const struct vr_meta *mt, const struct rp_summary *s, struct vm *m);
/* detail.csv (report.h), appended to out */
struct sb;
void vr_detail_text(struct vm *m, struct sb *out);
void vr_html(FILE *out, const struct vr_meta *mt, const struct rp_summary *s, struct vm *m);

/* Each detail row of the areas in order: the 8 columns of detail.csv. */
typedef void (*vr_detail_fn)(void *ctx, const char *const *col, const size_t *len);
void vr_each_detail(struct vm *m, int area, vr_detail_fn fn, void *ctx);

#endif
