/* report.c - the Summary's figures and the report member; see report.h. */
#include "report.h"
#include "csvr.h"
#include "csvw.h"
#include "manifest.h"
#include "../util/sb.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *const columns[] = {
	"district", "digest_sequence", "verified_at", "area", "district_total", "state_total",
	"missing_at_state", "missing_at_district", "differences", "duplicates_at_district",
	"duplicates_at_state", "unresolved"
};
#define NCOLS (sizeof columns / sizeof columns[0])
#define NFIG 8

static uint64_t *fig(struct rp_area *a, size_t i)
{
	uint64_t *f[NFIG] = {
		&a->district_total, &a->state_total, &a->missing_at_state,
		&a->missing_at_district, &a->differences, &a->duplicates_at_district,
		&a->duplicates_at_state, &a->unresolved
	};

	return f[i];
}

void rp_total(const struct rp_summary *s, struct rp_area *t)
{
	size_t a, i;

	memset(t, 0, sizeof *t);
	for (a = 0; a < REG_AREA_COUNT; a++)
		for (i = 0; i < NFIG; i++)
			*fig(t, i) += *fig((struct rp_area *)&s->areas[a], i);
}

int rp_in_sync(const struct rp_summary *s)
{
	struct rp_area t;

	rp_total(s, &t);
	return !t.missing_at_state && !t.missing_at_district && !t.differences &&
	       !t.duplicates_at_district && !t.duplicates_at_state && !t.unresolved;
}

int rp_complete(const struct rp_summary *s)
{
	struct rp_area t;

	rp_total(s, &t);
	return t.unresolved == 0;
}

void rp_write(const struct rp_summary *s, struct sb *out)
{
	size_t a, i;
	char num[24];

	for (i = 0; i < NCOLS; i++)
		csvw_cell(out, i, columns[i], strlen(columns[i]));
	csvw_end(out);
	for (a = 0; a < REG_AREA_COUNT; a++) {
		const char *name = reg_area_name((enum reg_area)a);

		csvw_cell(out, 0, s->district, strlen(s->district));
		snprintf(num, sizeof num, "%" PRIu64, s->digest_seq);
		csvw_cell(out, 1, num, strlen(num));
		csvw_cell(out, 2, s->at, strlen(s->at));
		csvw_cell(out, 3, name, strlen(name));
		for (i = 0; i < NFIG; i++) {
			snprintf(num, sizeof num, "%" PRIu64,
				 *fig((struct rp_area *)&s->areas[a], i));
			csvw_cell(out, 4 + i, num, strlen(num));
		}
		csvw_end(out);
	}
}

struct parse {
	struct rp_summary *s;
	struct sb *why;
	size_t rows;
	int failed;
};

static int fail(struct parse *ps, uint64_t line, const char *reason)
{
	if (!ps->failed)
		sb_addf(ps->why, "line %" PRIu64 ": %s", line, reason);
	ps->failed = 1;
	return -1;
}

static int num(const char *v, size_t n, uint64_t *out)
{
	uint64_t x = 0;
	size_t i;

	if (n < 1 || n > 18)
		return -1;
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		x = x * 10 + (uint64_t)(v[i] - '0');
	}
	*out = x;
	return 0;
}

static int on_row(void *ctx, const struct csvr_row *row)
{
	struct parse *ps = ctx;
	struct rp_summary *s = ps->s;
	size_t i, a;
	uint64_t seq;

	if (row->n != NCOLS || row->too_many)
		return fail(ps, row->line, "wrong number of columns");
	if (ps->rows == 0) {
		for (i = 0; i < NCOLS; i++)
			if (row->len[i] != strlen(columns[i]) || memcmp(row->v[i], columns[i], row->len[i]))
				return fail(ps, row->line, "not the report header");
		ps->rows++;
		return 0;
	}
	a = ps->rows - 1;
	if (a >= REG_AREA_COUNT)
		return fail(ps, row->line, "more rows than areas");
	if (row->len[0] >= sizeof s->district || memchr(row->v[0], '\0', row->len[0]) ||
	    !mf_district_ok(row->v[0]))
		return fail(ps, row->line, "district is not a district ID");
	if (num(row->v[1], row->len[1], &seq) < 0)
		return fail(ps, row->line, "digest_sequence is not a number");
	if (row->len[2] != 20 || memchr(row->v[2], '\0', 20) || row->v[2][10] != 'T' ||
	    row->v[2][19] != 'Z')
		return fail(ps, row->line, "verified_at is not a UTC time");
	if (a == 0) {
		snprintf(s->district, sizeof s->district, "%s", row->v[0]);
		s->digest_seq = seq;
		snprintf(s->at, sizeof s->at, "%s", row->v[2]);
	} else if (strcmp(s->district, row->v[0]) || s->digest_seq != seq ||
		   strcmp(s->at, row->v[2])) {
		return fail(ps, row->line, "rows of different verifications");
	}
	if (row->len[3] != strlen(reg_area_name((enum reg_area)a)) ||
	    memcmp(row->v[3], reg_area_name((enum reg_area)a), row->len[3]))
		return fail(ps, row->line, "areas are not the Summary's, in its order");
	for (i = 0; i < NFIG; i++)
		if (num(row->v[4 + i], row->len[4 + i], fig(&s->areas[a], i)) < 0)
			return fail(ps, row->line, "a figure is not a number");
	ps->rows++;
	return 0;
}

static void on_error(void *ctx, uint64_t line, const char *reason)
{
	fail(ctx, line, reason);
}

int rp_read(const char *p, size_t n, struct rp_summary *s, struct sb *why)
{
	struct parse ps;
	struct csvr *r;
	int rc;

	memset(s, 0, sizeof *s);
	memset(&ps, 0, sizeof ps);
	ps.s = s;
	ps.why = why;
	r = csvr_new(NCOLS + 1, on_row, on_error, &ps);
	rc = csvr_feed(r, p, n);
	if (!rc && !ps.failed)
		rc = csvr_finish(r);
	csvr_free(r);
	if (!ps.failed && ps.rows != REG_AREA_COUNT + 1)
		fail(&ps, ps.rows + 1, "not one row per area");
	if (!ps.failed && rc)
		fail(&ps, ps.rows + 1, "unreadable");
	return ps.failed ? -1 : 0;
}

void rp_detail_header(struct sb *out)
{
	static const char *const h[] = {
		"area", "object", "set", "key", "field", "district_value", "state_value", "changed"
	};
	size_t i;

	for (i = 0; i < sizeof h / sizeof *h; i++)
		csvw_cell(out, i, h[i], strlen(h[i]));
	csvw_end(out);
}

void rp_detail_row(struct sb *out, const char *area, const char *object, const char *set,
		   const char *key, size_t klen, const char *field, const char *dv, size_t dn,
		   const char *sv, size_t sn, uint64_t changed)
{
	char num[24] = "";

	if (changed)
		snprintf(num, sizeof num, "%" PRIu64, changed);
	csvw_cell(out, 0, area, strlen(area));
	csvw_cell(out, 1, object, strlen(object));
	csvw_cell(out, 2, set, strlen(set));
	csvw_cell(out, 3, key, klen);
	csvw_cell(out, 4, field, strlen(field));
	csvw_cell(out, 5, dv ? dv : "", dv ? dn : 0);
	csvw_cell(out, 6, sv ? sv : "", sv ? sn : 0);
	csvw_cell(out, 7, num, strlen(num));
	csvw_end(out);
}
