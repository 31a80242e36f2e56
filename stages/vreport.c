/* vreport.c - the Summary in text, JSON and CSV; see vreport.h. */
#include "vreport.h"
#include "vmerge.h"
#include "../formats/csvr.h"
#include "../formats/csvw.h"
#include "../formats/registry.h"
#include "../formats/report.h"
#include "../util/msg.h"
#include "../util/sb.h"

#include <inttypes.h>
#include <string.h>
#include <unistd.h>

struct each {
	vr_detail_fn fn;
	void *ctx;
};

static int each_row(void *ctx, const struct csvr_row *row)
{
	struct each *e = ctx;

	if (row->n == 8)
		e->fn(e->ctx, (const char *const *)row->v, row->len);
	return 0;
}

static void each_err(void *ctx, uint64_t line, const char *reason)
{
	(void)ctx;
	msg_warn("verify: detail line %" PRIu64 ": %s", line, reason);
}

void vr_each_detail(struct vm *m, int area, vr_detail_fn fn, void *ctx)
{
	struct each e = { fn, ctx };
	size_t i;

	for (i = 0; i < reg_count(); i++) {
		const struct reg_object *o = reg_at(i);
		FILE *f;
		struct csvr *r;
		char buf[1 << 14];
		size_t n;

		if ((int)o->area != area || !(f = vm_detail(m, o)))
			continue;
		r = csvr_new(9, each_row, each_err, &e);
		while ((n = fread(buf, 1, sizeof buf, f)) > 0)
			csvr_feed(r, buf, n);
		csvr_finish(r);
		csvr_free(r);
	}
}

/* ---- text ---- */

static void text_value(FILE *out, const char *p, size_t n)
{
	char q[MSG_QUOTE_MAX];

	fputs(msg_quote(q, p, n), out);
}

static void text_row(void *ctx, const char *const *c, const size_t *len)
{
	FILE *out = ctx;

	fprintf(out, "  %-20s %-22s %s", c[1], c[2], c[3]);
	if (len[4]) {
		fprintf(out, "  %s: district ", c[4]);
		text_value(out, c[5], len[5]);
		fputs(", state ", out);
		text_value(out, c[6], len[6]);
	}
	if (len[7])
		fprintf(out, "  (changed at the state by bundle %s)", c[7]);
	fputc('\n', out);
}

void vr_text(FILE *out, const struct vr_meta *mt, const struct rp_summary *s, struct vm *m)
{
	struct rp_area t;
	int a;
	size_t i;

	fprintf(out, "Verification Summary: district %s of %s, digest sequence %" PRIu64
		" made %s\n", mt->district, mt->state, mt->digest_seq, mt->digest_made);
	if (*mt->school)
		fprintf(out, "school %s only\n", mt->school);
	if (*mt->fields)
		fprintf(out, "fields compared: %s (and the keys)\n", mt->fields);
	fputc('\n', out);
	fprintf(out, "%-22s %10s %10s %12s %12s %12s %12s %12s %10s\n", "AREA", "DISTRICT", "STATE",
		"MISSING AT", "MISSING AT", "DIFFERENCES", "DUPLICATES", "DUPLICATES", "PENDING");
	fprintf(out, "%-22s %10s %10s %12s %12s %12s %12s %12s %10s\n", "", "", "", "STATE",
		"DISTRICT", "", "AT DISTRICT", "AT STATE", "");
	for (a = 0; a < REG_AREA_COUNT; a++) {
		const struct rp_area *r = &s->areas[a];

		fprintf(out, "%-22s %10" PRIu64 " %10" PRIu64 " %12" PRIu64 " %12" PRIu64 " %12"
			PRIu64 " %12" PRIu64 " %12" PRIu64 " %10" PRIu64 "\n",
			reg_area_name((enum reg_area)a), r->district_total, r->state_total,
			r->missing_at_state, r->missing_at_district, r->differences,
			r->duplicates_at_district, r->duplicates_at_state, r->unresolved);
	}
	fprintf(out, "\n%s\n", rp_in_sync(s) ? "in sync: district and state agree"
					    : "NOT in sync: district and state differ");
	rp_total(s, &t);
	if (t.unresolved)
		fprintf(out, "pending: %" PRIu64 " records of the district are in ranges whose "
			"differences the district's answer will tell\n", t.unresolved);
	if (mt->note)
		fprintf(out, "%s\n", mt->note);
	if (rp_in_sync(s))
		return;
	fprintf(out, "\nDetail (OBJECT, SET, KEY, and for a differing record each field "
		"that differs):\n");
	for (a = 0; a < REG_AREA_COUNT; a++) {
		uint64_t cut = 0;

		for (i = 0; i < reg_count(); i++)
			if ((int)reg_at(i)->area == a)
				cut += vm_detail_cut(m, reg_at(i));
		vr_each_detail(m, a, text_row, out);
		if (cut)
			fprintf(out, "  %s: %" PRIu64 " more keys not listed (--limit)\n",
				reg_area_name((enum reg_area)a), cut);
	}
}

/* ---- JSON ---- */

struct jctx {
	FILE *out;
	int first;
	struct sb s;
};

static void jfield(struct jctx *j, const char *name, const char *p, size_t n, int last)
{
	sb_reset(&j->s);
	sb_addjson(&j->s, p, n);
	fprintf(j->out, "\"%s\": %s%s", name, j->s.buf, last ? "" : ", ");
}

static void json_row(void *ctx, const char *const *c, const size_t *len)
{
	struct jctx *j = ctx;

	fputs(j->first ? "\n  {" : ",\n  {", j->out);
	j->first = 0;
	jfield(j, "area", c[0], len[0], 0);
	jfield(j, "object", c[1], len[1], 0);
	jfield(j, "set", c[2], len[2], 0);
	jfield(j, "key", c[3], len[3], 0);
	jfield(j, "field", c[4], len[4], 0);
	jfield(j, "district_value", c[5], len[5], 0);
	jfield(j, "state_value", c[6], len[6], 0);
	fprintf(j->out, "\"changed\": %s}", len[7] ? c[7] : "null");
}

void vr_json(FILE *out, const struct vr_meta *mt, const struct rp_summary *s, struct vm *m)
{
	struct jctx j = { out, 1, SB_INIT };
	int a;

	fprintf(out, "{\"district\": \"%s\", \"in_sync\": %s,\n \"areas\": [\n", mt->district,
		rp_in_sync(s) ? "true" : "false");
	for (a = 0; a < REG_AREA_COUNT; a++) {
		const struct rp_area *r = &s->areas[a];

		fprintf(out, "  {\"area\": \"%s\", \"district_total\": %" PRIu64
			", \"state_total\": %" PRIu64 ",\n   \"missing_at_state\": %" PRIu64
			", \"missing_at_district\": %" PRIu64 ", \"differences\": %" PRIu64 ",\n"
			"   \"duplicates_at_district\": %" PRIu64 ", \"duplicates_at_state\": %"
			PRIu64 ", \"unresolved\": %" PRIu64 "}%s\n", reg_area_name((enum reg_area)a),
			r->district_total, r->state_total, r->missing_at_state,
			r->missing_at_district, r->differences, r->duplicates_at_district,
			r->duplicates_at_state, r->unresolved, a + 1 < REG_AREA_COUNT ? "," : "");
	}
	fprintf(out, " ],\n \"complete\": %s, \"digest_sequence\": %" PRIu64 ", \"digest_made\": \"%s\", "
		"\"verified_at\": \"%s\",\n \"school\": ", rp_complete(s) ? "true" : "false",
		mt->digest_seq, mt->digest_made, mt->verified_at);
	sb_addjson(&j.s, mt->school, strlen(mt->school));
	fprintf(out, "%s, \"fields\": ", *mt->school ? j.s.buf : "null");
	sb_reset(&j.s);
	sb_addjson(&j.s, mt->fields, strlen(mt->fields));
	fprintf(out, "%s, \"pending\": ", *mt->fields ? j.s.buf : "null");
	sb_reset(&j.s);
	if (mt->note)
		sb_addjson(&j.s, mt->note, strlen(mt->note));
	fprintf(out, "%s,\n \"detail\": [", mt->note ? j.s.buf : "null");
	for (a = 0; a < REG_AREA_COUNT; a++)
		vr_each_detail(m, a, json_row, &j);
	fprintf(out, "%s]}\n", j.first ? "" : "\n ");
	sb_release(&j.s);
}

/* ---- CSV: one table, a row per area, then a row per detail line ---- */

struct cctx {
	FILE *out;
	const char *district;
	struct sb s;
};

static void csv_row(void *ctx, const char *const *c, const size_t *len)
{
	struct cctx *x = ctx;
	size_t i;

	sb_reset(&x->s);
	csvw_cell(&x->s, 0, x->district, strlen(x->district));
	csvw_cell(&x->s, 1, c[0], len[0]);
	for (i = 2; i < 10; i++)
		csvw_cell(&x->s, i, "", 0);
	for (i = 1; i < 8; i++)
		csvw_cell(&x->s, 9 + i, c[i], len[i]);
	csvw_end(&x->s);
	fwrite(x->s.buf, 1, x->s.len, x->out);
}

void vr_csv(FILE *out, const struct vr_meta *mt, const struct rp_summary *s, struct vm *m)
{
	struct cctx x = { out, mt->district, SB_INIT };
	int a;

	fprintf(out, "district,area,district_total,state_total,missing_at_state,"
		"missing_at_district,differences,duplicates_at_district,duplicates_at_state,"
		"unresolved,object,set,key,field,district_value,state_value,changed\n");
	for (a = 0; a < REG_AREA_COUNT; a++) {
		const struct rp_area *r = &s->areas[a];

		fprintf(out, "%s,%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
			",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",,,,,,,\n", mt->district,
			reg_area_name((enum reg_area)a), r->district_total, r->state_total,
			r->missing_at_state, r->missing_at_district, r->differences,
			r->duplicates_at_district, r->duplicates_at_state, r->unresolved);
	}
	for (a = 0; a < REG_AREA_COUNT; a++)
		vr_each_detail(m, a, csv_row, &x);
	sb_release(&x.s);
}

/* The report member's detail.csv: the detail rows as they are. */
void vr_detail_text(struct vm *m, struct sb *out)
{
	int a;
	size_t i;

	rp_detail_header(out);
	for (a = 0; a < REG_AREA_COUNT; a++)
		for (i = 0; i < reg_count(); i++) {
			const struct reg_object *o = reg_at(i);
			FILE *f;
			char buf[1 << 14];
			size_t n;

			if ((int)o->area != a || !(f = vm_detail(m, o)))
				continue;
			while ((n = fread(buf, 1, sizeof buf, f)) > 0)
				sb_add(out, buf, n);
		}
}
