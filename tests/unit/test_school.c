/* test_school.c - the records of one school (formats/school.h). */
#include "../../formats/registry.h"
#include "../../formats/school.h"

#include <check.h>
#include <stdarg.h>
#include <string.h>

/* A record of o with the named fields set ("field", "value", ..., NULL). */
static void rec(const struct reg_object *o, struct rec_val *v, ...)
{
	va_list ap;
	const char *f;
	size_t i;

	for (i = 0; i < o->nfields; i++) {
		v[i].p = "";
		v[i].n = 0;
	}
	va_start(ap, v);
	while ((f = va_arg(ap, const char *)) != NULL) {
		const char *val = va_arg(ap, const char *);
		int k = reg_field_index(o, f, strlen(f));

		ck_assert_int_ge(k, 0);
		v[k].p = val;
		v[k].n = strlen(val);
	}
	va_end(ap);
}

START_TEST(test_links)
{
	const struct reg_object *cal = reg_find("Calendar"), *enr = reg_find("Enrollment"),
		*per = reg_find("PersonIdentity"), *lep = reg_find("Lep"),
		*ev = reg_find("BehaviorEvent"), *role = reg_find("BehaviorRole"),
		*asg = reg_find("EmploymentAssignment"), *emp = reg_find("Employment"),
		*test = reg_find("Test");
	struct school_scope *s = sc_new("12");
	struct rec_val v[REG_MAX_FIELDS];

	ck_assert(sc_learns(cal) && sc_learns(enr) && sc_learns(ev) && sc_learns(role));
	ck_assert(!sc_learns(per) && !sc_learns(lep) && !sc_learns(emp));
	rec(cal, v, "calendarID", "100", "schoolID", "12", NULL);
	sc_learn(s, cal, v);
	ck_assert(sc_in(s, cal, v));
	rec(cal, v, "calendarID", "200", "schoolID", "13", NULL);
	sc_learn(s, cal, v);
	ck_assert(!sc_in(s, cal, v));
	rec(enr, v, "enrollmentID", "1", "personID", "7", "calendarID", "100", NULL);
	sc_learn(s, enr, v);
	ck_assert(sc_in(s, enr, v));
	rec(enr, v, "enrollmentID", "2", "personID", "8", "calendarID", "200", NULL);
	sc_learn(s, enr, v);
	ck_assert(!sc_in(s, enr, v));
	rec(asg, v, "assignmentID", "5", "employmentID", "50", "personID", "9", "schoolID", "12", NULL);
	sc_learn(s, asg, v);
	rec(ev, v, "eventID", "30", "calendarID", "100", NULL);
	sc_learn(s, ev, v);
	rec(role, v, "roleID", "40", "eventID", "30", "personID", "8", NULL);
	sc_learn(s, role, v);
	ck_assert(sc_in(s, role, v));
	rec(role, v, "roleID", "41", "eventID", "31", NULL);
	ck_assert(!sc_in(s, role, v));
	/* persons enrolled or assigned at the school; not one only in its behavior */
	rec(per, v, "personID", "7", NULL);
	ck_assert(sc_in(s, per, v));
	rec(per, v, "personID", "9", NULL);
	ck_assert(sc_in(s, per, v));
	rec(per, v, "personID", "8", NULL);
	ck_assert(!sc_in(s, per, v));
	rec(emp, v, "employmentID", "50", NULL);
	ck_assert(sc_in(s, emp, v));
	rec(emp, v, "employmentID", "51", NULL);
	ck_assert(!sc_in(s, emp, v));
	rec(lep, v, "lepID", "3", "personID", "7", NULL);
	ck_assert(sc_in(s, lep, v));
	rec(lep, v, "lepID", "4", "personID", "8", NULL);
	ck_assert(!sc_in(s, lep, v));
	if (test) {
		rec(test, v, "testID", "1", NULL);
		ck_assert(!sc_in(s, test, v));
	}
	sc_free(s);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("school");
	TCase *tc = tcase_create("school");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_links);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
