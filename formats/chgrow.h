/*
 * chgrow.h - the rows of a change member (<Object>.changes.csv, manifest
 * type "changes"): a header "_op,<field>,<field>..." of the fields the
 * member carries, in registry order, then one row per operation: "upsert"
 * and the record's values, or "delete" and its key values, the other
 * fields left empty.  The state applies the rows in order (objcsv.h,
 * OBJCSV_OPS reads them).
 *
 * carry[i] says whether field i is carried; key fields always are.
 */
#ifndef EDSYNC_CHGROW_H
#define EDSYNC_CHGROW_H

#include "record.h"

struct reg_object;
struct sb;

void chg_header(struct sb *out, const struct reg_object *o, const unsigned char *carry);
/* v: the record's values, indexed by field */
void chg_upsert(struct sb *out, const struct reg_object *o, const unsigned char *carry,
		const struct rec_val *v);
/* v: at least the key fields, indexed by field (rec_key_decode gives them) */
void chg_delete(struct sb *out, const struct reg_object *o, const unsigned char *carry,
		const struct rec_val *v);

#endif
