/* test_report.c - the Summary's figures and the report member (formats/report.h). */
#include "../../formats/registry.h"
#include "../../formats/report.h"
#include "../../util/sb.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

static void sample(struct rp_summary *s)
{
	memset(s, 0, sizeof *s);
	strcpy(s->district, "0042");
	s->digest_seq = 12;
	strcpy(s->at, "2026-11-30T02:00:00Z");
	s->areas[REG_AREA_PERSON].district_total = 56;
	s->areas[REG_AREA_PERSON].state_total = 54;
	s->areas[REG_AREA_PERSON].missing_at_state = 4;
	s->areas[REG_AREA_PERSON].missing_at_district = 2;
	s->areas[REG_AREA_PERSON].differences = 3;
	s->areas[REG_AREA_ENROLLMENT].duplicates_at_district = 1;
	s->areas[REG_AREA_BEHAVIOR].unresolved = 7;
}

START_TEST(test_round_trip)
{
	struct rp_summary s, back;
	struct rp_area t;
	struct sb text = SB_INIT, why = SB_INIT;

	sample(&s);
	rp_write(&s, &text);
	ck_assert_ptr_nonnull(strstr(text.buf, "\n0042,12,2026-11-30T02:00:00Z,Person/Identity,"
				     "56,54,4,2,3,0,0,0\n"));
	ck_assert_int_eq(rp_read(text.buf, text.len, &back, &why), 0);
	ck_assert_mem_eq(&back, &s, sizeof s);
	rp_total(&s, &t);
	ck_assert_uint_eq(t.differences, 3);
	ck_assert_uint_eq(t.duplicates_at_district, 1);
	ck_assert(!rp_in_sync(&s));
	ck_assert(!rp_complete(&s));
	memset(s.areas, 0, sizeof s.areas);
	ck_assert(rp_in_sync(&s));
	ck_assert(rp_complete(&s));
	sb_release(&text);
	sb_release(&why);
}
END_TEST

START_TEST(test_detail_row)
{
	struct sb out = SB_INIT;

	rp_detail_header(&out);
	rp_detail_row(&out, "Person/Identity", "PersonIdentity", "different", "1001", 4,
		      "lastName", "O'Brien, Jr", 11, "Brien", 5, 7);
	rp_detail_row(&out, "Enrollment", "Enrollment", "missing_at_state", "5", 1, "", NULL, 0,
		      NULL, 0, 0);
	ck_assert_str_eq(out.buf, "area,object,set,key,field,district_value,state_value,changed\n"
			 "Person/Identity,PersonIdentity,different,1001,lastName,\"O'Brien, Jr\","
			 "Brien,7\nEnrollment,Enrollment,missing_at_state,5,,,,\n");
	sb_release(&out);
}
END_TEST

static const struct {
	int line;	/* 0: the header replaced; else the data row (1-8) replaced */
	const char *row, *why;
} bad[] = {
	{ 0, "district,digest_sequence\n", "line 1: wrong number of columns" },
	{ 0, "a,b,c,d,e,f,g,h,i,j,k,l\n", "line 1: not the report header" },
	{ 1, "42x,12,2026-11-30T02:00:00Z,Behavior,0,0,0,0,0,0,0,0\n",
	  "line 2: district is not a district ID" },
	{ 1, "0042,x,2026-11-30T02:00:00Z,Behavior,0,0,0,0,0,0,0,0\n",
	  "line 2: digest_sequence is not a number" },
	{ 1, "0042,12,yesterday,Behavior,0,0,0,0,0,0,0,0\n",
	  "line 2: verified_at is not a UTC time" },
	{ 2, "0042,13,2026-11-30T02:00:00Z,Employment,0,0,0,0,0,0,0,0\n",
	  "line 3: rows of different verifications" },
	{ 2, "0042,12,2026-11-30T02:00:00Z,Enrollment,0,0,0,0,0,0,0,0\n",
	  "line 3: areas are not the Summary's, in its order" },
	{ 3, "0042,12,2026-11-30T02:00:00Z,Employment Assignment,0,0,-1,0,0,0,0,0\n",
	  "line 4: a figure is not a number" },
	{ 8, "", "line 9: not one row per area" },
};

START_TEST(test_refusals)
{
	struct rp_summary s, back;
	struct sb text = SB_INIT, edited = SB_INIT, why = SB_INIT;
	const char *p;
	int line = 0;

	sample(&s);
	rp_write(&s, &text);
	for (p = text.buf; *p; line++) {
		const char *e = strchr(p, '\n') + 1;

		if (line == bad[_i].line)
			sb_addstr(&edited, bad[_i].row);
		else
			sb_add(&edited, p, (size_t)(e - p));
		p = e;
	}
	ck_assert_int_eq(rp_read(edited.buf, edited.len, &back, &why), -1);
	ck_assert_str_eq(why.buf, bad[_i].why);
	sb_release(&text);
	sb_release(&edited);
	sb_release(&why);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_detail_row);
	tcase_add_loop_test(tc, test_refusals, 0, (int)(sizeof bad / sizeof bad[0]));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
