/* chgrow.c - the rows of a change member; see chgrow.h. */
#include "chgrow.h"
#include "csvw.h"
#include "registry.h"
#include "../util/sb.h"

#include <string.h>

void chg_header(struct sb *out, const struct reg_object *o, const unsigned char *carry)
{
	size_t i, col = 1;

	csvw_cell(out, 0, "_op", 3);
	for (i = 0; i < o->nfields; i++)
		if (carry[i] || (o->fields[i].flags & REG_KEY))
			csvw_cell(out, col++, o->fields[i].name, strlen(o->fields[i].name));
	csvw_end(out);
}

static void row(struct sb *out, const struct reg_object *o, const unsigned char *carry,
		const struct rec_val *v, int del)
{
	size_t i, col = 1;

	csvw_cell(out, 0, del ? "delete" : "upsert", 6);
	for (i = 0; i < o->nfields; i++) {
		int key = (o->fields[i].flags & REG_KEY) != 0;

		if (!carry[i] && !key)
			continue;
		if (del && !key)
			csvw_cell(out, col++, "", 0);
		else
			csvw_cell(out, col++, v[i].p, v[i].n);
	}
	csvw_end(out);
}

void chg_upsert(struct sb *out, const struct reg_object *o, const unsigned char *carry,
		const struct rec_val *v)
{
	row(out, o, carry, v, 0);
}

void chg_delete(struct sb *out, const struct reg_object *o, const unsigned char *carry,
		const struct rec_val *v)
{
	row(out, o, carry, v, 1);
}
