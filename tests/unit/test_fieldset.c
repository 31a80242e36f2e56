/* test_fieldset.c - the compared fields and the projected hash (formats/fieldset.h). */
#include "../../formats/fieldset.h"
#include "../../formats/record.h"
#include "../../formats/registry.h"
#include "../../util/sb.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static const struct reg_object *obj(const char *name)
{
	const struct reg_object *o = reg_find(name);

	ck_assert_ptr_nonnull(o);
	return o;
}

/* With every field compared, the projected hash is the record hash. */
START_TEST(test_every_field_is_the_record_hash)
{
	const struct reg_object *o = obj("PersonIdentity");
	struct rec_val v[REG_MAX_FIELDS];
	struct fieldset fs;
	struct sb s1 = SB_INIT, s2 = SB_INIT, err = SB_INIT;
	unsigned char a[REC_HASH_BYTES], b[REC_HASH_BYTES];
	size_t i;

	for (i = 0; i < o->nfields; i++) {
		v[i].p = "";
		v[i].n = 0;
	}
	v[0].p = "1001";
	v[0].n = 4;
	v[5].p = "O'Brien";
	v[5].n = 7;
	ck_assert_int_eq(fs_parse(&fs, "", &err), 0);
	ck_assert(fs_every_field(&fs));
	ck_assert_str_eq(fs.spec, "");
	fs_hash(&fs, o, v, &s1, a);
	rec_hash(o, v, &s2, b);
	ck_assert_mem_eq(a, b, REC_HASH_BYTES);
	ck_assert_uint_eq(fs_fingerprint(&fs, o), rec_fields_fingerprint(o));
	fs_free(&fs);
	sb_release(&s1);
	sb_release(&s2);
	sb_release(&err);
}
END_TEST

/* A field not compared changes nothing; one compared changes the hash. */
START_TEST(test_projection)
{
	const struct reg_object *o = obj("PersonIdentity");
	struct rec_val v[REG_MAX_FIELDS];
	struct fieldset fs;
	struct sb s = SB_INIT, err = SB_INIT, enc = SB_INIT;
	unsigned char a[REC_HASH_BYTES], b[REC_HASH_BYTES], c[REC_HASH_BYTES], x[REC_HASH_BYTES];
	int last = reg_field_index(o, "lastName", 8), first = reg_field_index(o, "firstName", 9);
	size_t i;

	for (i = 0; i < o->nfields; i++) {
		v[i].p = "";
		v[i].n = 0;
	}
	v[0].p = "7";
	v[0].n = 1;
	v[first].p = "Ann";
	v[first].n = 3;
	ck_assert_int_eq(fs_parse(&fs, "firstName,Enrollment.grade,firstName", &err), 0);
	ck_assert_str_eq(fs.spec, "Enrollment.grade;firstName");
	ck_assert(!fs_every_field(&fs));
	ck_assert(fs_compared(&fs, o, 0));	/* the key, always */
	ck_assert(fs_compared(&fs, o, (size_t)first));
	ck_assert(!fs_compared(&fs, o, (size_t)last));
	fs_hash(&fs, o, v, &s, a);
	v[last].p = "Other";
	v[last].n = 5;
	fs_hash(&fs, o, v, &s, b);
	ck_assert_mem_eq(a, b, REC_HASH_BYTES);
	v[first].p = "Ben";
	fs_hash(&fs, o, v, &s, c);
	ck_assert_mem_ne(a, c, REC_HASH_BYTES);
	/* the canonical encoding of the compared fields, in registry order */
	sb_add(&enc, "\x01\x00\x00\x00" "7", 5);
	sb_add(&enc, "\x03\x00\x00\x00" "Ben", 7);
	rec_hash_encoded(enc.buf, enc.len, x);
	ck_assert_mem_eq(c, x, REC_HASH_BYTES);
	ck_assert_uint_ne(fs_fingerprint(&fs, o), rec_fields_fingerprint(o));
	/* an object none of whose fields is named compares its keys only */
	ck_assert(fs_compared(&fs, obj("Lep"), 0));
	ck_assert(!fs_compared(&fs, obj("Lep"), 1));
	ck_assert(fs_compared(&fs, obj("Enrollment"), (size_t)reg_field_index(obj("Enrollment"),
									    "grade", 5)));
	fs_free(&fs);
	sb_release(&s);
	sb_release(&err);
	sb_release(&enc);
}
END_TEST

static const struct {
	const char *list, *why;
} bad[] = {
	{ "nosuch", "--fields: no object has a field 'nosuch'" },
	{ "Nosuch.x", "--fields: 'Nosuch' is not an object" },
	{ "Enrollment.lastName", "--fields: Enrollment has no field 'lastName'" },
	{ ",;,", "--fields: no field named" },
};

START_TEST(test_refusals)
{
	struct fieldset fs;
	struct sb err = SB_INIT;

	ck_assert_int_eq(fs_parse(&fs, bad[_i].list, &err), -1);
	ck_assert_str_eq(err.buf, bad[_i].why);
	ck_assert_ptr_null(fs.mask);
	sb_release(&err);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fieldset");
	TCase *tc = tcase_create("fieldset");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_every_field_is_the_record_hash);
	tcase_add_test(tc, test_projection);
	tcase_add_loop_test(tc, test_refusals, 0, (int)(sizeof bad / sizeof bad[0]));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
