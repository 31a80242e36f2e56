/*
 * report_html.c - the Verification Summary as one self-contained HTML page
 * (vreport.h): a summary table whose area names link to each area's
 * detail, and the detail of each area with a link back.  No script, no
 * external file; every value is escaped.  Figures sit in cells with ids
 * ("fig-<area>-<figure>") so that a test or a script can read them from the
 * rendered page.
 */
#include "vreport.h"
#include "vmerge.h"
#include "../formats/registry.h"
#include "../formats/report.h"
#include "../util/sb.h"

#include <inttypes.h>
#include <string.h>

static void esc(FILE *out, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		switch (p[i]) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc(p[i], out);
		}
	}
}

static void escs(FILE *out, const char *s)
{
	esc(out, s, strlen(s));
}

/* "Person/Identity" -> "Person-Identity": an id and fragment. */
static void slug(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') ? *s : '-', out);
}

static const char *const fig_names[] = {
	"district_total", "state_total", "missing_at_state", "missing_at_district",
	"differences", "duplicates_at_district", "duplicates_at_state", "unresolved"
};
static const char *const fig_heads[] = {
	"District", "State", "Missing at state", "Missing at district", "Differences",
	"Duplicates at district", "Duplicates at state", "Pending"
};

struct hctx {
	FILE *out;
	size_t rows;
};

static void html_row(void *ctx, const char *const *c, const size_t *len)
{
	struct hctx *h = ctx;
	size_t i;

	if (!h->rows++)
		fputs("<table class=\"detail\"><thead><tr><th>Object</th><th>Set</th><th>Key</th>"
		      "<th>Field</th><th>District's value</th><th>State's value</th>"
		      "<th>Changed at the state by bundle</th></tr></thead><tbody>\n", h->out);
	fputs("<tr>", h->out);
	for (i = 1; i < 8; i++) {
		fputs(i == 2 ? "<td class=\"set\">" : "<td>", h->out);
		esc(h->out, c[i], len[i]);
		fputs("</td>", h->out);
	}
	fputs("</tr>\n", h->out);
}

void vr_html(FILE *out, const struct vr_meta *mt, const struct rp_summary *s, struct vm *m)
{
	int a;
	size_t i;

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
	      "Verification Summary: district ", out);
	escs(out, mt->district);
	fputs("</title>\n<style>\nbody{font-family:sans-serif;margin:2em}"
	      "table{border-collapse:collapse;margin:1em 0}"
	      "th,td{border:1px solid #999;padding:.2em .5em}"
	      "td.n{text-align:right}tr.differ td{background:#fde}"
	      ".insync{color:#060}.differ{color:#a00}\n</style>\n</head>\n<body>\n", out);
	fputs("<h1 id=\"top\">Verification Summary</h1>\n<p>District ", out);
	escs(out, mt->district);
	fputs(" of ", out);
	escs(out, mt->state);
	fprintf(out, ", digest sequence <span id=\"digest-sequence\">%" PRIu64 "</span> made ",
		mt->digest_seq);
	escs(out, mt->digest_made);
	fputs(", verified ", out);
	escs(out, mt->verified_at);
	fputs(".", out);
	if (*mt->school) {
		fputs(" School ", out);
		escs(out, mt->school);
		fputs(" only.", out);
	}
	if (*mt->fields) {
		fputs(" Fields compared: ", out);
		escs(out, mt->fields);
		fputs(" (and the keys).", out);
	}
	fprintf(out, "</p>\n<p id=\"status\" class=\"%s\">%s</p>\n",
		rp_in_sync(s) ? "insync" : "differ",
		rp_in_sync(s) ? "in sync: district and state agree"
			      : "NOT in sync: district and state differ");
	if (mt->note) {
		fputs("<p id=\"pending\">", out);
		escs(out, mt->note);
		fputs("</p>\n", out);
	}
	fputs("<table id=\"summary\">\n<thead><tr><th>Area</th>", out);
	for (i = 0; i < sizeof fig_heads / sizeof *fig_heads; i++)
		fprintf(out, "<th>%s</th>", fig_heads[i]);
	fputs("</tr></thead>\n<tbody>\n", out);
	for (a = 0; a < REG_AREA_COUNT; a++) {
		const struct rp_area *r = &s->areas[a];
		const char *name = reg_area_name((enum reg_area)a);
		const uint64_t f[] = {
			r->district_total, r->state_total, r->missing_at_state,
			r->missing_at_district, r->differences, r->duplicates_at_district,
			r->duplicates_at_state, r->unresolved
		};
		int differ = f[2] || f[3] || f[4] || f[5] || f[6] || f[7];

		fprintf(out, "<tr%s><td><a href=\"#area-", differ ? " class=\"differ\"" : "");
		slug(out, name);
		fputs("\">", out);
		escs(out, name);
		fputs("</a></td>", out);
		for (i = 0; i < sizeof f / sizeof *f; i++) {
			fputs("<td class=\"n\" id=\"fig-", out);
			slug(out, name);
			fprintf(out, "-%s\">%" PRIu64 "</td>", fig_names[i], f[i]);
		}
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n</table>\n", out);
	for (a = 0; a < REG_AREA_COUNT; a++) {
		const char *name = reg_area_name((enum reg_area)a);
		struct hctx h = { out, 0 };
		uint64_t cut = 0;

		fputs("<h2 id=\"area-", out);
		slug(out, name);
		fputs("\">", out);
		escs(out, name);
		fputs("</h2>\n", out);
		vr_each_detail(m, a, html_row, &h);
		for (i = 0; i < reg_count(); i++)
			if ((int)reg_at(i)->area == a)
				cut += vm_detail_cut(m, reg_at(i));
		if (h.rows)
			fputs("</tbody></table>\n", out);
		else if (!s->areas[a].unresolved)
			fputs("<p>No difference.</p>\n", out);
		if (s->areas[a].unresolved)
			fprintf(out, "<p>Pending: %" PRIu64 " records of the district are in ranges whose "
				"differences the district's answer will tell.</p>\n",
				s->areas[a].unresolved);
		if (cut)
			fprintf(out, "<p>%" PRIu64 " more keys not listed (--limit).</p>\n", cut);
		fputs("<p><a href=\"#summary\">Back to the summary</a></p>\n", out);
	}
	fputs("</body>\n</html>\n", out);
}
