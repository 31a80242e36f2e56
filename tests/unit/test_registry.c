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

			/* only the three flags exist */
			ck_assert_uint_eq(f->flags & ~(REG_KEY | REG_SAVE | REG_RESYNC), 0);
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
		{ "id", REG_INTEGER, REG_KEY | REG_SAVE | REG_RESYNC, "" },
	};
	struct reg_object o = { "Local", REG_AREA_NONE, "", "MN;WI;IA", fields, 1, 1, { 0 }, 0 };
	struct reg_object one = { "One", REG_AREA_NONE, "", "TX", fields, 1, 1, { 0 }, 0 };
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
		{ "personID", REG_INTEGER, REG_KEY | REG_SAVE | REG_RESYNC, "" },
		{ "note", REG_TEXT, REG_SAVE | REG_RESYNC, "" },
		{ "schoolID", REG_INTEGER, REG_KEY | REG_SAVE | REG_RESYNC, "" },
		{ "date", REG_DATE, REG_KEY | REG_SAVE | REG_RESYNC, "" },
	};
	struct reg_object o = { "Multi", REG_AREA_NONE, "", "", fields, 4, 3, { 0, 2, 3 }, 0 };
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
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
