/* test_registry.c - the object registry: its invariants over every object,
 * and its lookups. */
#include "../../formats/registry.h"

#include <check.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

START_TEST(test_at_and_index)
{
	size_t i, n = reg_count();

	ck_assert_uint_ge(n, 4);
	for (i = 0; i < n; i++) {
		const struct reg_object *o = reg_at(i);

		ck_assert_ptr_nonnull(o);
		ck_assert_uint_eq(o->index, i);
		ck_assert_ptr_eq(reg_find(o->name), o);
	}
	ck_assert_ptr_null(reg_at(n));
	ck_assert_ptr_null(reg_at((size_t)-1));
}
END_TEST

START_TEST(test_names_unique)
{
	size_t i, j, k, n = reg_count();

	for (i = 0; i < n; i++) {
		const struct reg_object *o = reg_at(i);

		ck_assert_uint_gt(strlen(o->name), 0);
		for (j = i + 1; j < n; j++)
			ck_assert_str_ne(o->name, reg_at(j)->name);
		for (j = 0; j < o->nfields; j++) {
			ck_assert_uint_gt(strlen(o->fields[j].name), 0);
			for (k = j + 1; k < o->nfields; k++)
				ck_assert_msg(strcmp(o->fields[j].name, o->fields[k].name) != 0,
					      "%s: field %s twice", o->name, o->fields[j].name);
		}
	}
}
END_TEST

START_TEST(test_parents_listed_earlier)
{
	size_t i, n = reg_count();

	for (i = 0; i < n; i++) {
		const struct reg_object *o = reg_at(i);
		const char *s = o->parents;

		while (*s) {
			const char *e = strchr(s, ';');
			size_t len = e ? (size_t)(e - s) : strlen(s);
			const struct reg_object *p = reg_find_n(s, len);

			ck_assert_msg(len > 0, "%s: empty parent name in \"%s\"", o->name, o->parents);
			ck_assert_msg(p != NULL, "%s: parent %.*s is not a registry object",
				      o->name, (int)len, s);
			ck_assert_msg(p->index < o->index, "%s: parent %s is listed after it",
				      o->name, p->name);
			s += len;
			if (*s == ';') {
				s++;
				ck_assert_msg(*s != '\0', "%s: parents end in ';'", o->name);
			}
		}
	}
}
END_TEST

START_TEST(test_keys_save_resync)
{
	size_t i, j, n = reg_count();

	for (i = 0; i < n; i++) {
		const struct reg_object *o = reg_at(i);
		size_t nkey = 0;

		ck_assert_uint_le(o->nfields, REG_MAX_FIELDS);
		ck_assert_msg(o->nkeys >= 1, "%s has no key field", o->name);
		ck_assert_uint_le(o->nkeys, REG_MAX_KEYS);
		for (j = 0; j < o->nfields; j++) {
			const struct reg_field *f = &o->fields[j];

			/* only the four flags exist; every field syncs somehow */
			ck_assert_uint_eq(f->flags & ~(REG_KEY | REG_SAVE | REG_RESYNC | REG_YEAR), 0);
			ck_assert_msg(f->flags & (REG_SAVE | REG_RESYNC),
				      "%s.%s: syncs neither on save nor on resync", o->name, f->name);
			if (!(f->flags & REG_KEY))
				continue;
			ck_assert_msg((f->flags & (REG_SAVE | REG_RESYNC)) == (REG_SAVE | REG_RESYNC),
				      "%s.%s: a key field without SAVE and RESYNC", o->name, f->name);
			/* key[] lists the key fields in field order */
			ck_assert_uint_lt(nkey, o->nkeys);
			ck_assert_uint_eq(o->key[nkey], j);
			nkey++;
		}
		ck_assert_uint_eq(nkey, o->nkeys);
	}
}
END_TEST

START_TEST(test_types_codes_areas_states)
{
	size_t i, j, n = reg_count();

	for (i = 0; i < n; i++) {
		const struct reg_object *o = reg_at(i);
		const char *s;

		ck_assert_int_ge(o->area, REG_AREA_NONE);
		ck_assert_int_lt(o->area, REG_AREA_COUNT);
		for (j = 0; j < o->nfields; j++) {
			const struct reg_field *f = &o->fields[j];

			ck_assert_int_ge(f->type, REG_TEXT);
			ck_assert_int_le(f->type, REG_CODE);
			ck_assert_ptr_nonnull(f->codes);
			if (f->type == REG_CODE) {
				size_t len = strlen(f->codes);

				/* a non-empty list without empty entries */
				ck_assert_msg(len > 0, "%s.%s: no codes", o->name, f->name);
				ck_assert_int_ne(f->codes[0], ';');
				ck_assert_int_ne(f->codes[len - 1], ';');
				ck_assert_ptr_null(strstr(f->codes, ";;"));
			} else {
				ck_assert_str_eq(f->codes, "");
			}
		}
		/* states: "" or two upper-case letters, ';'-separated */
		for (s = o->states; *s; s += 3) {
			ck_assert_msg(isupper((unsigned char)s[0]) && isupper((unsigned char)s[1]),
				      "%s: bad states \"%s\"", o->name, o->states);
			ck_assert_msg(s[2] == ';' || s[2] == '\0', "%s: bad states \"%s\"",
				      o->name, o->states);
			if (s[2] == '\0')
				break;
		}
	}
}
END_TEST

START_TEST(test_known_objects)
{
	const struct reg_object *school = reg_find("School");
	const struct reg_object *person = reg_find("PersonIdentity");
	const struct reg_object *enr = reg_find("Enrollment");
	const struct reg_object *cal = reg_find("Calendar");
	char buf[256];

	ck_assert_ptr_nonnull(school);
	ck_assert_ptr_nonnull(person);
	ck_assert_ptr_nonnull(enr);
	ck_assert_ptr_nonnull(cal);
	ck_assert_str_eq(school->name, "School");
	ck_assert_int_eq(school->area, REG_AREA_NONE);
	ck_assert_int_eq(person->area, REG_AREA_PERSON);
	ck_assert_int_eq(enr->area, REG_AREA_ENROLLMENT);
	ck_assert_str_eq(enr->parents, "PersonIdentity;Calendar");
	ck_assert_str_eq(cal->parents, "School");
	ck_assert_uint_lt(school->index, cal->index);
	ck_assert_uint_lt(cal->index, enr->index);
	ck_assert_uint_lt(person->index, enr->index);

	ck_assert_uint_eq(school->nkeys, 1);
	ck_assert_uint_eq(school->key[0], 0);
	ck_assert_str_eq(reg_key_names(school, buf, sizeof buf), "schoolID");
	ck_assert_str_eq(reg_key_names(enr, buf, sizeof buf), "enrollmentID");
	ck_assert_str_eq(reg_key_names(person, buf, sizeof buf), "personID");

	/* field types as the contract lists them */
	ck_assert_int_eq(person->fields[reg_field_index(person, "birthDate", 9)].type, REG_DATE);
	ck_assert_int_eq(enr->fields[reg_field_index(enr, "grade", 5)].type, REG_CODE);
	ck_assert_int_eq(enr->fields[reg_field_index(enr, "noShow", 6)].type, REG_BOOLEAN);
	ck_assert_int_eq(school->fields[reg_field_index(school, "schoolID", 8)].type, REG_INTEGER);
	/* effectiveDate syncs on resync only */
	ck_assert_uint_eq(person->fields[reg_field_index(person, "effectiveDate", 13)].flags,
			  REG_RESYNC);
}
END_TEST

START_TEST(test_find)
{
	const struct reg_object *school = reg_find("School");

	ck_assert_ptr_nonnull(school);
	ck_assert_ptr_null(reg_find("school"));		/* exact, case and all */
	ck_assert_ptr_null(reg_find("SCHOOL"));
	ck_assert_ptr_null(reg_find("Schoo"));
	ck_assert_ptr_null(reg_find("Schools"));
	ck_assert_ptr_null(reg_find(" School"));
	ck_assert_ptr_null(reg_find(""));
	ck_assert_ptr_null(reg_find("NoSuchObject"));
	/* by length: the name need not end there */
	ck_assert_ptr_eq(reg_find_n("School,Calendar", 6), school);
	ck_assert_ptr_eq(reg_find_n("Calendar;School", 8), reg_find("Calendar"));
	ck_assert_ptr_null(reg_find_n("School", 5));
	ck_assert_ptr_null(reg_find_n("School", 0));
	ck_assert_ptr_null(reg_find_n("", 0));
}
END_TEST

START_TEST(test_field_index)
{
	const struct reg_object *school = reg_find("School");
	size_t i, n = reg_count();

	ck_assert_int_eq(reg_field_index(school, "schoolID", 8), 0);
	ck_assert_int_eq(reg_field_index(school, "number", 6), 1);
	ck_assert_int_eq(reg_field_index(school, "name", 4), 2);
	ck_assert_int_eq(reg_field_index(school, "exclude", 7), 4);
	ck_assert_int_eq(reg_field_index(school, "name,x", 4), 2);	/* by length */
	ck_assert_int_eq(reg_field_index(school, "nam", 3), -1);
	ck_assert_int_eq(reg_field_index(school, "names", 5), -1);
	ck_assert_int_eq(reg_field_index(school, "Name", 4), -1);
	ck_assert_int_eq(reg_field_index(school, "schoolid", 8), -1);
	ck_assert_int_eq(reg_field_index(school, "", 0), -1);
	/* every field of every object is found at its own index */
	for (i = 0; i < n; i++) {
		const struct reg_object *o = reg_at(i);
		size_t j;

		for (j = 0; j < o->nfields; j++)
			ck_assert_int_eq(reg_field_index(o, o->fields[j].name,
							 strlen(o->fields[j].name)), (int)j);
	}
}
END_TEST

START_TEST(test_sent_by_state)
{
	static const struct reg_field fields[] = {
		{ "id", REG_INTEGER, REG_KEY | REG_SAVE | REG_RESYNC, "", "" },
	};
	struct reg_object o = { .name = "Local", .area = REG_AREA_NONE, .parents = "", .states = "MN;WI;IA", .fields = fields, .nfields = 1, .nkeys = 1 };
	struct reg_object one = { .name = "One", .area = REG_AREA_NONE, .parents = "", .states = "TX", .fields = fields, .nfields = 1, .nkeys = 1 };
	size_t i, n = reg_count();

	ck_assert_int_eq(reg_sent_by_state(&o, "MN"), 1);
	ck_assert_int_eq(reg_sent_by_state(&o, "WI"), 1);
	ck_assert_int_eq(reg_sent_by_state(&o, "IA"), 1);
	ck_assert_int_eq(reg_sent_by_state(&o, "TX"), 0);
	ck_assert_int_eq(reg_sent_by_state(&o, "M"), 0);
	ck_assert_int_eq(reg_sent_by_state(&o, "MNW"), 0);
	ck_assert_int_eq(reg_sent_by_state(&o, "mn"), 0);
	ck_assert_int_eq(reg_sent_by_state(&o, "MN;WI"), 0);
	ck_assert_int_eq(reg_sent_by_state(&o, ""), 0);
	ck_assert_int_eq(reg_sent_by_state(&one, "TX"), 1);
	ck_assert_int_eq(reg_sent_by_state(&one, "T"), 0);
	/* "" means every state sends it */
	for (i = 0; i < n; i++) {
		const struct reg_object *r = reg_at(i);

		if (r->states[0] == '\0') {
			ck_assert_int_eq(reg_sent_by_state(r, "MN"), 1);
			ck_assert_int_eq(reg_sent_by_state(r, "ZZ"), 1);
		}
	}
}
END_TEST

START_TEST(test_area_names)
{
	static const char *const want[REG_AREA_COUNT] = {
		"Behavior", "Employment", "Employment Assignment", "Enrollment",
		"Graduation", "English Learner", "Person/Identity", "Test Scores"
	};
	int a;

	ck_assert_int_eq(REG_AREA_COUNT, 8);
	ck_assert_int_eq(REG_AREA_BEHAVIOR, 0);
	ck_assert_int_eq(REG_AREA_EMPLOYMENT, 1);
	ck_assert_int_eq(REG_AREA_EMPLOYMENT_ASSIGNMENT, 2);
	ck_assert_int_eq(REG_AREA_ENROLLMENT, 3);
	ck_assert_int_eq(REG_AREA_GRADUATION, 4);
	ck_assert_int_eq(REG_AREA_ENGLISH_LEARNER, 5);
	ck_assert_int_eq(REG_AREA_PERSON, 6);
	ck_assert_int_eq(REG_AREA_TEST_SCORES, 7);
	for (a = 0; a < REG_AREA_COUNT; a++)
		ck_assert_str_eq(reg_area_name((enum reg_area)a), want[a]);
	ck_assert_str_eq(reg_area_name(REG_AREA_NONE), "");
	ck_assert_str_eq(reg_area_name(REG_AREA_COUNT), "");
}
END_TEST

START_TEST(test_type_names)
{
	ck_assert_str_eq(reg_type_name(REG_TEXT), "text");
	ck_assert_str_eq(reg_type_name(REG_INTEGER), "integer");
	ck_assert_str_eq(reg_type_name(REG_DECIMAL), "decimal");
	ck_assert_str_eq(reg_type_name(REG_DATE), "date");
	ck_assert_str_eq(reg_type_name(REG_BOOLEAN), "boolean");
	ck_assert_str_eq(reg_type_name(REG_CODE), "code");
}
END_TEST

START_TEST(test_key_names)
{
	static const struct reg_field fields[] = {
		{ "personID", REG_INTEGER, REG_KEY | REG_SAVE | REG_RESYNC, "", "" },
		{ "note", REG_TEXT, REG_SAVE | REG_RESYNC, "", "" },
		{ "schoolID", REG_INTEGER, REG_KEY | REG_SAVE | REG_RESYNC, "", "" },
		{ "date", REG_DATE, REG_KEY | REG_SAVE | REG_RESYNC, "", "" },
	};
	struct reg_object o = { .name = "Multi", .area = REG_AREA_NONE, .parents = "", .states = "", .fields = fields, .nfields = 4, .nkeys = 3, .key = { 0, 2, 3 } };
	char buf[64];
	char small[12];
	size_t i, n = reg_count();

	ck_assert_str_eq(reg_key_names(&o, buf, sizeof buf), "personID;schoolID;date");
	ck_assert_ptr_eq(reg_key_names(&o, buf, sizeof buf), buf);
	/* a buffer too small still holds a terminated string that fits */
	memset(small, 'Z', sizeof small);
	reg_key_names(&o, small, sizeof small);
	ck_assert_uint_lt(strlen(small), sizeof small);
	ck_assert_int_eq(strncmp(small, "personID;schoolID;date", strlen(small)), 0);
	/* registry objects: the key fields in order */
	for (i = 0; i < n; i++) {
		const struct reg_object *r = reg_at(i);
		char want[256] = "";
		size_t k;

		for (k = 0; k < r->nkeys; k++) {
			if (k)
				strcat(want, ";");
			strcat(want, r->fields[r->key[k]].name);
		}
		ck_assert_str_eq(reg_key_names(r, buf, sizeof buf), want);
	}
}
END_TEST

/* ---- the registry's data: the 87 objects of the seed and their links ---- */

/* Every object of the seed's "Fields Which Sync Between District and
 * State" (81) and "State-Specific Objects" (6), in strcmp order. */
static const char *const all_objects[] = {
	"AdHocFilter", "AdultEducation", "AttDayAggregation", "AttExtractCount",
	"AttendanceExcuse", "AttributeMapping", "BehaviorDrug", "BehaviorEvent",
	"BehaviorHarassment", "BehaviorIncident", "BehaviorResolution",
	"BehaviorResolutionType", "BehaviorResponse", "BehaviorResponseType", "BehaviorRole",
	"BehaviorType", "BehaviorWeapon", "Calendar", "CalendarToolPublishedTab",
	"CareerReadiness", "CareerTechnicalEducation", "CensusContactSummary", "ContactLog",
	"Course", "CourseCode", "CourseSection", "DISVerificationResult",
	"DataCertificationObjectMember", "DataCertificationTypeMember", "DataValidationDef",
	"DatasetSnapshot", "Day", "District", "DualLanguageImmersion", "EarlyWarning",
	"EarlyWarningScoreDaily", "EarlyWarningScoreMonthly", "EarlyWarningScoreYearly",
	"Employment", "EmploymentAssignment", "EmploymentBackground", "EmploymentCredential",
	"Enrollment", "Evaluation", "ExtendedLearningOpportunity", "Form", "FosterCare",
	"Graduation", "HealthScreening", "Homeless", "HomelessService", "ImmCertificate",
	"InstructionMode", "LEPService", "LEPServiceType", "Lep", "LepAccommodation",
	"LepAccommodationType", "MedicaidInsurance", "Migrant", "PeriodSchedule",
	"PersonIdentity", "Plan", "PlanProgressReport", "PregnantAndParenting",
	"ProgramParticipation", "PublishedTabCustomStudent", "Roster",
	"RosterVerificationRequest", "RosterVerificationSection",
	"RosterVerificationSectionStaff", "RosterVerificationSectionStudent",
	"ScheduleStructure", "School", "SchoolMonth", "SchoolYearGPA", "Section", "Section504",
	"SpecialEdState", "StructureGradeLevel", "TeamMember", "TermSchedule", "Test",
	"TestScore", "TranscriptCourseSE", "TwentyFirstCCLC", "VaccineShot"
};

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Is name[0..n) one of the ';'-separated entries of list? */
static int in_list(const char *list, const char *name, size_t n)
{
	const char *s = list;

	while (*s) {
		const char *e = strchr(s, ';');
		size_t len = e ? (size_t)(e - s) : strlen(s);

		if (len == n && memcmp(s, name, n) == 0)
			return 1;
		s += len;
		if (*s == ';')
			s++;
	}
	return 0;
}

static int is_identifier(const char *s)
{
	if (!isalpha((unsigned char)*s))
		return 0;
	for (s++; *s; s++)
		if (!isalnum((unsigned char)*s))
			return 0;
	return 1;
}

START_TEST(test_all_objects)
{
	const char *names[128];
	size_t i, n = reg_count();

	ck_assert_uint_eq(NELEM(all_objects), 87);
	ck_assert_uint_eq(n, 87);
	for (i = 0; i < n; i++)
		names[i] = reg_at(i)->name;
	qsort(names, n, sizeof names[0], cmp_str);
	for (i = 0; i < n; i++)
		ck_assert_str_eq(names[i], all_objects[i]);
	/* the list above is itself sorted and without repeats */
	for (i = 1; i < NELEM(all_objects); i++)
		ck_assert_int_lt(strcmp(all_objects[i - 1], all_objects[i]), 0);
	for (i = 0; i < NELEM(all_objects); i++)
		ck_assert_ptr_nonnull(reg_find(all_objects[i]));
}
END_TEST

START_TEST(test_syntax_and_limits)
{
	size_t i, j, n = reg_count();

	for (i = 0; i < n; i++) {
		const struct reg_object *o = reg_at(i);

		ck_assert_msg(is_identifier(o->name), "object name %s", o->name);
		ck_assert_uint_ge(o->nfields, 4);
		ck_assert_uint_le(o->nfields, REG_MAX_FIELDS);
		for (j = 0; j < o->nfields; j++) {
			const struct reg_field *f = &o->fields[j];
			const char *c;

			ck_assert_msg(is_identifier(f->name), "%s: field name \"%s\"", o->name,
				      f->name);
			ck_assert_ptr_nonnull(f->ref);
			if (f->type != REG_CODE)
				continue;
			/* codes: [A-Za-z0-9]+ separated by ';', none twice */
			for (c = f->codes; *c; c++)
				ck_assert_msg(isalnum((unsigned char)*c) || *c == ';',
					      "%s.%s: bad code list \"%s\"", o->name, f->name, f->codes);
			for (c = f->codes; *c;) {
				const char *e = strchr(c, ';');
				size_t len = e ? (size_t)(e - c) : strlen(c);

				ck_assert_uint_gt(len, 0);
				ck_assert_msg(!in_list(e ? e + 1 : "", c, len), "%s.%s: code %.*s twice",
					      o->name, f->name, (int)len, c);
				c += len;
				if (*c == ';')
					c++;
			}
		}
	}
}
END_TEST

/* One local ID key per object: a single INTEGER field, SAVE and RESYNC. */
START_TEST(test_single_integer_key)
{
	size_t i, n = reg_count();

	for (i = 0; i < n; i++) {
		const struct reg_object *o = reg_at(i);
		const struct reg_field *k;

		ck_assert_msg(o->nkeys == 1, "%s has %zu key fields", o->name, o->nkeys);
		k = &o->fields[o->key[0]];
		ck_assert_msg(k->type == REG_INTEGER, "%s.%s: key not INTEGER", o->name, k->name);
		ck_assert_uint_eq(k->flags & (REG_KEY | REG_SAVE | REG_RESYNC),
				  REG_KEY | REG_SAVE | REG_RESYNC);
		ck_assert_msg(!(k->flags & REG_YEAR), "%s: the key is the year", o->name);
		ck_assert_msg(k->type == REG_INTEGER && k->codes[0] == '\0', "%s", o->name);
	}
	/* Graduation: one record a student, keyed by personID */
	{
		const struct reg_object *g = reg_find("Graduation");
		char buf[64];

		ck_assert_str_eq(reg_key_names(g, buf, sizeof buf), "personID");
		ck_assert_str_eq(g->fields[g->key[0]].ref, "PersonIdentity");
	}
}
END_TEST

/* A REF field names an object among the object's parents, listed earlier;
 * every parent is referenced by a field.  (No exception is documented in
 * registry.def: when one is, it is listed here.) */
START_TEST(test_refs_and_parents)
{
	static const char *const unreferenced_ok[] = { NULL };
	size_t i, j, n = reg_count();

	for (i = 0; i < n; i++) {
		const struct reg_object *o = reg_at(i);
		const char *s = o->parents;

		for (j = 0; j < o->nfields; j++) {
			const struct reg_field *f = &o->fields[j];
			const struct reg_object *p;

			if (!f->ref[0])
				continue;
			p = reg_find(f->ref);
			ck_assert_msg(p != NULL, "%s.%s references unknown %s", o->name, f->name,
				      f->ref);
			ck_assert_msg(p != o, "%s.%s references its own object", o->name, f->name);
			ck_assert_msg(p->index < o->index, "%s.%s: %s comes later", o->name,
				      f->name, f->ref);
			ck_assert_msg(in_list(o->parents, f->ref, strlen(f->ref)),
				      "%s.%s: %s is not among the parents \"%s\"", o->name,
				      f->name, f->ref, o->parents);
			/* a reference holds the other object's (single, INTEGER) key */
			ck_assert_int_eq(f->type, p->fields[p->key[0]].type);
		}
		while (*s) {
			const char *e = strchr(s, ';');
			size_t len = e ? (size_t)(e - s) : strlen(s);
			int used = 0, k;

			for (j = 0; j < o->nfields; j++)
				if (strlen(o->fields[j].ref) == len &&
				    memcmp(o->fields[j].ref, s, len) == 0)
					used = 1;
			for (k = 0; unreferenced_ok[k]; k++)
				if (!strcmp(unreferenced_ok[k], o->name))
					used = 1;
			ck_assert_msg(used, "%s: parent %.*s is referenced by no field", o->name,
				      (int)len, s);
			ck_assert_msg(!in_list(e ? e + 1 : "", s, len), "%s: parent %.*s twice",
				      o->name, (int)len, s);
			s += len;
			if (*s == ';')
				s++;
		}
	}
}
END_TEST

/* The chains the Verification Summary and the data-setup rules rely on. */
static void assert_ref(const char *object, const char *field, const char *ref)
{
	const struct reg_object *o = reg_find(object);
	int f;

	ck_assert_msg(o != NULL, "%s missing", object);
	f = reg_field_index(o, field, strlen(field));
	ck_assert_msg(f >= 0, "%s.%s missing", object, field);
	ck_assert_msg(!strcmp(o->fields[f].ref, ref), "%s.%s references \"%s\", not %s",
		      object, field, o->fields[f].ref, ref);
}

START_TEST(test_required_chains)
{
	assert_ref("BehaviorResolution", "roleID", "BehaviorRole");
	assert_ref("BehaviorResolution", "personID", "PersonIdentity");
	assert_ref("BehaviorRole", "eventID", "BehaviorEvent");
	assert_ref("BehaviorRole", "personID", "PersonIdentity");
	assert_ref("BehaviorEvent", "incidentID", "BehaviorIncident");
	assert_ref("BehaviorEvent", "calendarID", "Calendar");
	assert_ref("BehaviorIncident", "calendarID", "Calendar");
	assert_ref("Enrollment", "personID", "PersonIdentity");
	assert_ref("Enrollment", "calendarID", "Calendar");
	assert_ref("EmploymentAssignment", "employmentID", "Employment");
	assert_ref("EmploymentAssignment", "personID", "PersonIdentity");
	assert_ref("EmploymentAssignment", "schoolID", "School");
	assert_ref("Employment", "personID", "PersonIdentity");
	assert_ref("Calendar", "schoolID", "School");
	assert_ref("Lep", "personID", "PersonIdentity");
	assert_ref("TestScore", "personID", "PersonIdentity");
	assert_ref("TestScore", "testID", "Test");
	assert_ref("Graduation", "personID", "PersonIdentity");
	assert_ref("Plan", "personID", "PersonIdentity");
	assert_ref("SpecialEdState", "planID", "Plan");
	/* derived scoping links */
	ck_assert_int_eq(reg_find("Enrollment")->person_field, 1);
	ck_assert_int_eq(reg_find("Enrollment")->calendar_field, 2);
	ck_assert_int_eq(reg_find("Calendar")->school_field, 1);
	ck_assert_int_eq(reg_find("School")->person_field, -1);
}
END_TEST

/* Every person-, school- and calendar-level link is a REF: a field named
 * personID, schoolID or calendarID (or *PersonID) names its object. */
START_TEST(test_links_are_refs)
{
	size_t i, j, n = reg_count();

	for (i = 0; i < n; i++) {
		const struct reg_object *o = reg_at(i);

		for (j = 0; j < o->nfields; j++) {
			const struct reg_field *f = &o->fields[j];
			size_t len = strlen(f->name);
			const char *want = NULL;

			if (f->flags & REG_KEY && !f->ref[0])
				continue;	/* the object's own ID */
			if (!strcmp(f->name, "personID") ||
			    (len > 8 && !strcmp(f->name + len - 8, "PersonID")))
				want = "PersonIdentity";
			else if (!strcmp(f->name, "schoolID"))
				want = "School";
			else if (!strcmp(f->name, "calendarID"))
				want = "Calendar";
			if (want)
				ck_assert_msg(!strcmp(f->ref, want), "%s.%s should reference %s",
					      o->name, f->name, want);
		}
	}
}
END_TEST

/* The rules: exactly the known data setups, each on a field that exists,
 * with a value the field can hold. */
START_TEST(test_rules)
{
	static const struct {
		const char *object;
		enum reg_rule_kind kind;
		const char *field, *value;
	} want[] = {
		{ "School", REG_RULE_EQUALS, "exclude", "1" },
		{ "Calendar", REG_RULE_EQUALS, "exclude", "1" },
		{ "Enrollment", REG_RULE_EQUALS, "noShow", "1" },
		{ "Enrollment", REG_RULE_EQUALS, "stateExclude", "1" },
		{ "BehaviorEvent", REG_RULE_EMPTY, "stateEventCode", "" },
		{ "BehaviorResolution", REG_RULE_EMPTY, "stateResolutionCode", "" },
		{ "Plan", REG_RULE_NOT_EQUALS, "locked", "1" },
	};
	size_t i, j, n = reg_count(), total = 0;

	for (i = 0; i < n; i++) {
		const struct reg_object *o = reg_at(i);
		const struct reg_rule *r;
		size_t k = 0;

		for (r = o->rules; r->kind != REG_RULE_NONE; r++, k++) {
			const struct reg_field *f;

			ck_assert_msg(r->findex >= 0 && (size_t)r->findex < o->nfields,
				      "%s: rule on unknown field %s", o->name, r->field);
			f = &o->fields[r->findex];
			ck_assert_str_eq(f->name, r->field);
			ck_assert_msg(r->name && r->name[0], "%s: a rule without a name", o->name);
			ck_assert_msg(!(f->flags & REG_KEY), "%s: a rule on the key", o->name);
			if (r->kind == REG_RULE_EQUALS || r->kind == REG_RULE_NOT_EQUALS) {
				ck_assert_msg(f->type == REG_BOOLEAN || f->type == REG_CODE,
					      "%s.%s: compared but neither BOOLEAN nor CODE",
					      o->name, f->name);
				if (f->type == REG_BOOLEAN)
					ck_assert_msg(!strcmp(r->value, "0") || !strcmp(r->value, "1"),
						      "%s.%s: '%s' is not a boolean", o->name,
						      f->name, r->value);
				else
					ck_assert_msg(in_list(f->codes, r->value, strlen(r->value)),
						      "%s.%s: '%s' is not one of its codes",
						      o->name, f->name, r->value);
			}
			for (j = 0; j < NELEM(want); j++)
				if (!strcmp(want[j].object, o->name) && want[j].kind == r->kind &&
				    !strcmp(want[j].field, r->field) &&
				    !strcmp(want[j].value, r->value))
					break;
			ck_assert_msg(j < NELEM(want), "%s: unexpected rule on %s", o->name,
				      r->field);
		}
		ck_assert_uint_eq(k, o->nrules);
		total += k;
	}
	ck_assert_uint_eq(total, NELEM(want));
	/* Plan has its lock flag as a BOOLEAN */
	{
		const struct reg_object *p = reg_find("Plan");
		int f = reg_field_index(p, "locked", 6);

		ck_assert_int_ge(f, 0);
		ck_assert_int_eq(p->fields[f].type, REG_BOOLEAN);
	}
}
END_TEST

START_TEST(test_states)
{
	static const struct {
		const char *object, *states;
	} want[] = {
		{ "AdultEducation", "NV" }, { "AttDayAggregation", "NV" },
		{ "AttendanceExcuse", "NV" }, { "SchoolMonth", "NV" },
		{ "AttExtractCount", "NV" }, { "SpecialEdState", "NC" },
	};
	size_t i, j, n = reg_count(), nv = 0, nc = 0, ca = 0;

	for (i = 0; i < n; i++) {
		const struct reg_object *o = reg_at(i);

		for (j = 0; j < NELEM(want); j++)
			if (!strcmp(want[j].object, o->name))
				break;
		if (j < NELEM(want))
			ck_assert_str_eq(o->states, want[j].states);
		else
			ck_assert_msg(o->states[0] == '\0', "%s: states \"%s\"", o->name,
				      o->states);
		nv += (size_t)reg_sent_by_state(o, "NV");
		nc += (size_t)reg_sent_by_state(o, "NC");
		ca += (size_t)reg_sent_by_state(o, "CA");
	}
	ck_assert_uint_eq(nv, 86);
	ck_assert_uint_eq(nc, 82);
	ck_assert_uint_eq(ca, 81);
}
END_TEST

START_TEST(test_areas)
{
	static const struct {
		const char *object;
		enum reg_area area;
	} want[] = {
		{ "BehaviorIncident", REG_AREA_BEHAVIOR },
		{ "BehaviorEvent", REG_AREA_BEHAVIOR },
		{ "BehaviorRole", REG_AREA_BEHAVIOR },
		{ "BehaviorResolution", REG_AREA_BEHAVIOR },
		{ "Employment", REG_AREA_EMPLOYMENT },
		{ "EmploymentAssignment", REG_AREA_EMPLOYMENT_ASSIGNMENT },
		{ "Enrollment", REG_AREA_ENROLLMENT },
		{ "Graduation", REG_AREA_GRADUATION },
		{ "Lep", REG_AREA_ENGLISH_LEARNER },
		{ "PersonIdentity", REG_AREA_PERSON },
		{ "TestScore", REG_AREA_TEST_SCORES },
	};
	size_t count[REG_AREA_COUNT] = { 0 };
	size_t i, j, n = reg_count();
	int a;

	for (i = 0; i < n; i++) {
		const struct reg_object *o = reg_at(i);
		enum reg_area expect = REG_AREA_NONE;

		for (j = 0; j < NELEM(want); j++)
			if (!strcmp(want[j].object, o->name))
				expect = want[j].area;
		ck_assert_msg(o->area == expect, "%s: area %d, expected %d", o->name, o->area,
			      expect);
		if (o->area != REG_AREA_NONE)
			count[o->area]++;
	}
	for (a = 0; a < REG_AREA_COUNT; a++)
		ck_assert_uint_eq(count[a], a == REG_AREA_BEHAVIOR ? 4 : 1);
}
END_TEST

/* YEAR: at most one field, an INTEGER, found by year_field; the year-bound
 * objects have one, persons, schools and employments do not. */
START_TEST(test_year_fields)
{
	static const char *const with_year[] = {
		"Calendar", "Enrollment", "Day", "Roster", "Section", "SchoolYearGPA",
		"AttDayAggregation", "AttExtractCount", "SchoolMonth", "AttendanceExcuse"
	};
	static const char *const without_year[] = {
		"PersonIdentity", "School", "District", "Employment", "EmploymentAssignment",
		"Graduation", "Lep", "TranscriptCourseSE"
	};
	size_t i, j, n = reg_count();

	for (i = 0; i < n; i++) {
		const struct reg_object *o = reg_at(i);
		int first = -1;
		size_t k = 0;

		for (j = 0; j < o->nfields; j++) {
			if (!(o->fields[j].flags & REG_YEAR))
				continue;
			if (first < 0)
				first = (int)j;
			k++;
			ck_assert_msg(o->fields[j].type == REG_INTEGER, "%s.%s: YEAR not INTEGER",
				      o->name, o->fields[j].name);
			ck_assert_msg(o->fields[j].flags & REG_RESYNC, "%s", o->name);
		}
		ck_assert_msg(k <= 1, "%s has %zu YEAR fields", o->name, k);
		ck_assert_int_eq(o->year_field, first);
	}
	for (i = 0; i < NELEM(with_year); i++)
		ck_assert_msg(reg_find(with_year[i])->year_field >= 0, "%s: no YEAR",
			      with_year[i]);
	for (i = 0; i < NELEM(without_year); i++)
		ck_assert_msg(reg_find(without_year[i])->year_field < 0, "%s: YEAR",
			      without_year[i]);
}
END_TEST

/* The fields the domain notes list for the verified objects are there,
 * with the key the notes give. */
START_TEST(test_domain_fields)
{
	static const struct {
		const char *object, *key, *fields;
	} want[] = {
		{ "BehaviorIncident", "incidentID",
		  "incidentID;calendarID;incidentDate;location;context;status;title;details;damages" },
		{ "BehaviorEvent", "eventID",
		  "eventID;incidentID;calendarID;eventCode;stateEventCode;weaponCode;drugCode" },
		{ "BehaviorRole", "roleID", "roleID;eventID;personID;role;relationshipToSchool" },
		{ "BehaviorResolution", "resolutionID",
		  "resolutionID;roleID;personID;resolutionCode;stateResolutionCode;startDate;endDate;schoolDaysDuration" },
		{ "Lep", "lepID",
		  "lepID;personID;programStatus;identifiedDate;expectedExitDate;exitDate;firstYearMonitoring;secondYearMonitoring" },
		{ "Employment", "employmentID", "employmentID;personID;startDate;endDate;staffStateID" },
		{ "EmploymentAssignment", "assignmentID",
		  "assignmentID;employmentID;personID;schoolID;title;assignmentCode;startDate;endDate;teacher;fte" },
		{ "Graduation", "personID",
		  "personID;diplomaDate;diplomaType;diplomaPeriod;postGradPlans;grade9Date;cohortEndYear" },
		{ "TestScore", "scoreID",
		  "scoreID;personID;testID;date;rawScore;scaleScore;percentile;result" },
	};
	size_t i, j;
	char buf[64];

	for (i = 0; i < NELEM(want); i++) {
		const struct reg_object *o = reg_find(want[i].object);
		const char *s = want[i].fields;

		ck_assert_ptr_nonnull(o);
		ck_assert_str_eq(reg_key_names(o, buf, sizeof buf), want[i].key);
		j = 0;
		while (*s) {
			const char *e = strchr(s, ';');
			size_t len = e ? (size_t)(e - s) : strlen(s);

			ck_assert_msg(reg_field_index(o, s, len) == (int)j, "%s: %.*s not field %zu",
				      o->name, (int)len, s, j);
			j++;
			s += len;
			if (*s == ';')
				s++;
		}
		ck_assert_uint_eq(o->nfields, j);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("registry");
	TCase *tc = tcase_create("registry");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_at_and_index);
	tcase_add_test(tc, test_names_unique);
	tcase_add_test(tc, test_parents_listed_earlier);
	tcase_add_test(tc, test_keys_save_resync);
	tcase_add_test(tc, test_types_codes_areas_states);
	tcase_add_test(tc, test_known_objects);
	tcase_add_test(tc, test_find);
	tcase_add_test(tc, test_field_index);
	tcase_add_test(tc, test_sent_by_state);
	tcase_add_test(tc, test_area_names);
	tcase_add_test(tc, test_type_names);
	tcase_add_test(tc, test_key_names);
	tcase_add_test(tc, test_all_objects);
	tcase_add_test(tc, test_syntax_and_limits);
	tcase_add_test(tc, test_single_integer_key);
	tcase_add_test(tc, test_refs_and_parents);
	tcase_add_test(tc, test_required_chains);
	tcase_add_test(tc, test_links_are_refs);
	tcase_add_test(tc, test_rules);
	tcase_add_test(tc, test_states);
	tcase_add_test(tc, test_areas);
	tcase_add_test(tc, test_year_fields);
	tcase_add_test(tc, test_domain_fields);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
