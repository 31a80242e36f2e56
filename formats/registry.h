/*
 * registry.h - the object registry: every object edsync syncs, its fields,
 * their types and when each field syncs.
 *
 * The registry is data, kept in one place: formats/registry.def, expanded
 * here at compile time.  Adding an object means adding its definition there
 * and nothing else; no stage names an object.  For each object: its fields
 * (type, key, when each syncs, the object a field references), its parents,
 * its verification area, the states it is limited to, and the data-setup
 * rules that withhold a record.
 *
 * Objects come in dependency order: every parent is listed before its
 * children, so applying members in registry order applies parents first.
 * Field names are the vendor's column names; a record's key is the list of
 * its REG_KEY fields in field order.
 *
 * Lookups return pointers into static tables: never freed, never NULL
 * except where "or NULL" is said.
 */
#ifndef EDSYNC_REGISTRY_H
#define EDSYNC_REGISTRY_H

#include <stddef.h>

enum reg_type {
	REG_TEXT,
	REG_INTEGER,
	REG_DECIMAL,
	REG_DATE,
	REG_BOOLEAN,
	REG_CODE
};

/* field flags */
#define REG_KEY		1u	/* part of the record's key */
#define REG_SAVE	2u	/* syncs when the record is saved */
#define REG_RESYNC	4u	/* syncs on a batch resync */
#define REG_YEAR	8u	/* the record's school year (end year): scoping */

/* Verification areas, in the order the Verification Summary prints them. */
enum reg_area {
	REG_AREA_NONE = -1,
	REG_AREA_BEHAVIOR,
	REG_AREA_EMPLOYMENT,
	REG_AREA_EMPLOYMENT_ASSIGNMENT,
	REG_AREA_ENROLLMENT,
	REG_AREA_GRADUATION,
	REG_AREA_ENGLISH_LEARNER,
	REG_AREA_PERSON,
	REG_AREA_TEST_SCORES,
	REG_AREA_COUNT
};

#define REG_MAX_KEYS 4
#define REG_MAX_FIELDS 64

struct reg_field {
	const char *name;
	enum reg_type type;
	unsigned flags;
	const char *codes;	/* REG_CODE: allowed values, ';'-separated */
	const char *ref;	/* the object whose key this field holds, or "" */
};

/*
 * Data setup that stops a record from syncing ("withheld"): the record is
 * not sent, counted per rule, listed in the withheld report, and removed
 * at the state if it was sent before.  Besides these rules, a record is
 * withheld when a record it references (a REF field) is withheld, and when
 * its REG_YEAR field is not the scoped year.
 */
enum reg_rule_kind {
	REG_RULE_NONE,		/* end of the list */
	REG_RULE_EMPTY,		/* withheld when field is empty */
	REG_RULE_EQUALS,	/* withheld when field == value */
	REG_RULE_NOT_EQUALS	/* withheld when field != value */
};

struct reg_rule {
	enum reg_rule_kind kind;
	const char *field;
	const char *value;
	const char *name;	/* for reports: "no state event code" */
	int findex;		/* the field's index */
};

struct reg_object {
	const char *name;
	enum reg_area area;
	const char *parents;	/* ';'-separated object names, or "" */
	const char *states;	/* ';'-separated state codes; "" = every state */
	const struct reg_field *fields;
	size_t nfields;
	size_t nkeys;
	size_t key[REG_MAX_KEYS];	/* indexes of the key fields */
	size_t index;		/* position in the registry */
	const struct reg_rule *rules;	/* ends with REG_RULE_NONE */
	size_t nrules;
	int year_field;		/* index of the REG_YEAR field, or -1 */
	int level;		/* 0 without parents, else 1 + the deepest parent's */
	int withholds;		/* can a record of it be withheld (rules, year, or
				 * a REF to an object that withholds)? */
	/* for each field, the object it references, or NULL */
	const struct reg_object *refobj[REG_MAX_FIELDS];
	/* scoping links, derived from the REF fields: index or -1 */
	int person_field, school_field, calendar_field;
};

size_t reg_count(void);
const struct reg_object *reg_at(size_t i);
/* by exact name, or NULL */
const struct reg_object *reg_find(const char *name);
const struct reg_object *reg_find_n(const char *name, size_t n);
/* index of field name[0..n) in o, or -1 */
int reg_field_index(const struct reg_object *o, const char *name, size_t n);
/* Does a district of state XX send this object? */
int reg_sent_by_state(const struct reg_object *o, const char *state);

const char *reg_area_name(enum reg_area a);	/* "Person/Identity" */
const char *reg_type_name(enum reg_type t);	/* "date" */

/* The rule kind's name for listings: "empty", "equals", "not equals". */
const char *reg_rule_kind_name(enum reg_rule_kind k);

/* The key field names joined with ';' into buf (for listings). */
const char *reg_key_names(const struct reg_object *o, char *buf, size_t size);

#endif
