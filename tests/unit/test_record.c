/* test_record.c - record hash, key order, key text, hash hex (formats/record.h). */
#include "../../formats/record.h"
#include "../../formats/registry.h"
#include "../../util/sb.h"

#include <check.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define V(s) { (s), sizeof(s) - 1 }

/* XXH3-128 of the School record of test_hash_known_record, canonical hex. */
#define GOLDEN_SCHOOL_HASH "15dfafb13ed5ae0b72da0c721e77c980"

static const struct reg_object *school(void)
{
	const struct reg_object *o = reg_find("School");

	ck_assert_ptr_nonnull(o);
	ck_assert_uint_eq(o->nfields, 5);
	ck_assert_uint_eq(o->nkeys, 1);
	ck_assert_str_eq(o->fields[o->key[0]].name, "schoolID");
	return o;
}

/* The expected hash, from the documented encoding built by hand here. */
static void expected_hex(const unsigned char *enc, size_t n, char out[33])
{
	XXH128_canonical_t c;
	static const char hex[] = "0123456789abcdef";
	size_t i;

	XXH128_canonicalFromHash(&c, XXH3_128bits(enc, n));
	for (i = 0; i < 16; i++) {
		out[2 * i] = hex[c.digest[i] >> 4];
		out[2 * i + 1] = hex[c.digest[i] & 15];
	}
	out[32] = '\0';
}

static void hash_hex(const struct reg_object *o, const struct rec_val *v, char out[33])
{
	struct sb scratch = SB_INIT;
	unsigned char h[REC_HASH_BYTES];

	rec_hash(o, v, &scratch, h);
	rec_hash_hex(h, out);
	sb_release(&scratch);
}

START_TEST(test_hash_known_record)
{
	const struct reg_object *o = school();
	const struct rec_val v[5] = { V("0042"), V("N-7"), V("Lincoln High"), V(""), V("0") };
	/* Per field: 4-byte little-endian length, then the bytes. */
	static const unsigned char enc[] =
		"\x04\x00\x00\x00" "0042"
		"\x03\x00\x00\x00" "N-7"
		"\x0c\x00\x00\x00" "Lincoln High"
		"\x00\x00\x00\x00"
		"\x01\x00\x00\x00" "0";
	char want[33], got[33];

	/* the library is the reference XXH3-128: its published empty-input vector */
	expected_hex((const unsigned char *)"", 0, want);
	ck_assert_str_eq(want, "99aa06d3014798d86001c324468d497f");
	expected_hex(enc, sizeof enc - 1, want);
	ck_assert_uint_eq(sizeof enc - 1, 4 * 5 + 4 + 3 + 12 + 0 + 1);
	hash_hex(o, v, got);
	ck_assert_str_eq(got, want);
	/* pinned: the value must never change between releases */
	ck_assert_str_eq(got, GOLDEN_SCHOOL_HASH);
}
END_TEST

START_TEST(test_hash_length_is_little_endian_32bit)
{
	/* A value of 0x0102 = 258 bytes: length bytes 02 01 00 00. */
	const struct reg_object *o = school();
	char big[258];
	struct rec_val v[5] = { V("1"), { big, sizeof big }, V(""), V(""), V("") };
	unsigned char enc[4 + 1 + 4 + 258 + 4 * 3];
	size_t k = 0;
	char want[33], got[33];

	memset(big, 'x', sizeof big);
	memcpy(enc + k, "\x01\x00\x00\x00" "1", 5), k += 5;
	memcpy(enc + k, "\x02\x01\x00\x00", 4), k += 4;
	memcpy(enc + k, big, sizeof big), k += sizeof big;
	memset(enc + k, 0, 12), k += 12;
	ck_assert_uint_eq(k, sizeof enc);
	expected_hex(enc, sizeof enc, want);
	hash_hex(o, v, got);
	ck_assert_str_eq(got, want);
}
END_TEST

START_TEST(test_hash_changes_with_any_field)
{
	const struct reg_object *o = school();
	const struct rec_val base[5] = { V("0042"), V("N-7"), V("Lincoln High"), V("1 Main"), V("0") };
	char h0[33], h[33];
	size_t i;

	hash_hex(o, base, h0);
	for (i = 0; i < 5; i++) {
		struct rec_val v[5];
		char changed[64];

		memcpy(v, base, sizeof v);
		/* same length, one byte different */
		memcpy(changed, base[i].p, base[i].n);
		changed[0] ^= 1;
		v[i].p = changed;
		v[i].n = base[i].n;
		hash_hex(o, v, h);
		ck_assert_msg(strcmp(h, h0) != 0, "field %zu changed by a bit, same hash", i);
		/* one byte longer */
		memcpy(changed, base[i].p, base[i].n);
		changed[base[i].n] = ' ';
		v[i].n = base[i].n + 1;
		hash_hex(o, v, h);
		ck_assert_msg(strcmp(h, h0) != 0, "field %zu grew a space, same hash", i);
		/* emptied */
		v[i].p = "";
		v[i].n = 0;
		hash_hex(o, v, h);
		ck_assert_msg(strcmp(h, h0) != 0, "field %zu emptied, same hash", i);
	}
	/* and unchanged values give the same hash again (deterministic) */
	hash_hex(o, base, h);
	ck_assert_str_eq(h, h0);
}
END_TEST

START_TEST(test_hash_field_boundaries_matter)
{
	const struct reg_object *o = school();
	size_t i;

	/* ("ab","c") vs ("a","bc") at every adjacent pair, and ("ab","") vs ("","ab") */
	for (i = 0; i + 1 < 5; i++) {
		struct rec_val a[5] = { V("1"), V("x"), V("y"), V("z"), V("w") };
		struct rec_val b[5] = { V("1"), V("x"), V("y"), V("z"), V("w") };
		char ha[33], hb[33];

		a[i].p = "ab", a[i].n = 2;
		a[i + 1].p = "c", a[i + 1].n = 1;
		b[i].p = "a", b[i].n = 1;
		b[i + 1].p = "bc", b[i + 1].n = 2;
		hash_hex(o, a, ha);
		hash_hex(o, b, hb);
		ck_assert_msg(strcmp(ha, hb) != 0, "moving a byte across fields %zu/%zu", i, i + 1);
		a[i].p = "ab", a[i].n = 2;
		a[i + 1].p = "", a[i + 1].n = 0;
		b[i].p = "", b[i].n = 0;
		b[i + 1].p = "ab", b[i + 1].n = 2;
		hash_hex(o, a, ha);
		hash_hex(o, b, hb);
		ck_assert_msg(strcmp(ha, hb) != 0, "moving a value across fields %zu/%zu", i, i + 1);
	}
}
END_TEST

START_TEST(test_hash_scratch_reused)
{
	/* A dirty scratch buffer must not leak into the next hash. */
	const struct reg_object *o = school();
	const struct rec_val a[5] = { V("1"), V("aaaaaaaaaaaaaaaa"), V("b"), V("c"), V("1") };
	const struct rec_val b[5] = { V("2"), V(""), V(""), V(""), V("") };
	struct sb scratch = SB_INIT;
	unsigned char h1[REC_HASH_BYTES], h2[REC_HASH_BYTES];
	char x[33], y[33];

	rec_hash(o, a, &scratch, h1);
	rec_hash(o, b, &scratch, h2);
	rec_hash_hex(h2, x);
	hash_hex(o, b, y);
	ck_assert_str_eq(x, y);
	sb_release(&scratch);
}
END_TEST

struct cmp_case {
	const char *a, *b;
	int want;		/* sign */
};

static const struct cmp_case cmp_cases[] = {
	{ "10", "9", -1 },
	{ "9", "10", 1 },
	{ "1", "10", -1 },
	{ "10", "1", 1 },
	{ "", "a", -1 },
	{ "a", "", 1 },
	{ "", "", 0 },
	{ "abc", "abc", 0 },
	{ "0042", "042", -1 },
	{ "Z", "a", -1 },		/* bytewise: 'Z' 0x5a < 'a' 0x61 */
	{ "a", "\xc3\xa9", -1 },	/* bytes above 0x7f compare unsigned */
	{ "\xc3\xa9", "z", 1 },
	{ "ab", "abc", -1 },
};

static int sign(int x)
{
	return x < 0 ? -1 : x > 0 ? 1 : 0;
}

START_TEST(test_val_cmp_table)
{
	const struct cmp_case *t = &cmp_cases[_i];
	struct rec_val a = { t->a, strlen(t->a) }, b = { t->b, strlen(t->b) };

	ck_assert_msg(sign(rec_val_cmp(&a, &b)) == t->want, "rec_val_cmp('%s','%s') != %d",
		      t->a, t->b, t->want);
}
END_TEST

START_TEST(test_key_cmp_table)
{
	/* Only the key field counts; other fields differ on purpose. */
	const struct reg_object *o = school();
	const struct cmp_case *t = &cmp_cases[_i];
	struct rec_val a[5] = { { t->a, strlen(t->a) }, V("zzz"), V(""), V(""), V("") };
	struct rec_val b[5] = { { t->b, strlen(t->b) }, V("aaa"), V(""), V(""), V("") };

	ck_assert_msg(sign(rec_key_cmp(o, a, b)) == t->want, "rec_key_cmp('%s','%s') != %d",
		      t->a, t->b, t->want);
	ck_assert_int_eq(sign(rec_keyvals_cmp(o, &a[0], &b[0])), t->want);
}
END_TEST

/* A two-key object made here: the registry has only one-key objects. */
static const struct reg_field two_fields[] = {
	{ "note", REG_TEXT, REG_SAVE, "", "" },
	{ "a", REG_INTEGER, REG_KEY, "", "" },
	{ "b", REG_TEXT, REG_KEY, "", "" },
};

static struct reg_object two_keys(void)
{
	struct reg_object o;

	memset(&o, 0, sizeof o);
	o.name = "Two";
	o.area = REG_AREA_NONE;
	o.parents = "";
	o.states = "";
	o.fields = two_fields;
	o.nfields = 3;
	o.nkeys = 2;
	o.key[0] = 1;
	o.key[1] = 2;
	return o;
}

START_TEST(test_composite_key_cmp_and_text)
{
	struct reg_object o = two_keys();
	struct rec_val x[3] = { V("zz"), V("1"), V("9") };
	struct rec_val y[3] = { V("aa"), V("1"), V("10") };
	struct rec_val z[3] = { V(""), V("10"), V("") };
	struct rec_val kx[2] = { V("1"), V("9") }, ky[2] = { V("1"), V("10") };
	struct sb s = SB_INIT;

	ck_assert_int_eq(sign(rec_key_cmp(&o, x, y)), 1);	/* "9" > "10" */
	ck_assert_int_eq(sign(rec_key_cmp(&o, y, x)), -1);
	ck_assert_int_eq(sign(rec_key_cmp(&o, x, z)), -1);	/* first key decides */
	ck_assert_int_eq(sign(rec_key_cmp(&o, x, x)), 0);
	ck_assert_int_eq(sign(rec_keyvals_cmp(&o, kx, ky)), 1);
	ck_assert_int_eq(sign(rec_keyvals_cmp(&o, ky, kx)), -1);
	ck_assert(rec_key_hash64(&o, x) != rec_key_hash64(&o, y));
	/* ("1","9") vs ("19",""): the separator keeps them apart */
	{
		struct rec_val p[3] = { V(""), V("1"), V("9") };
		struct rec_val q[3] = { V(""), V("19"), V("") };

		ck_assert(rec_key_hash64(&o, p) != rec_key_hash64(&o, q));
	}
	rec_key_text(&o, x, &s);
	ck_assert_str_eq(s.buf, "a 1, b 9");
	sb_release(&s);
}
END_TEST

START_TEST(test_key_text_single)
{
	const struct reg_object *e = reg_find("Enrollment");
	struct rec_val v[REG_MAX_FIELDS];
	struct sb s = SB_INIT;
	size_t i;

	ck_assert_ptr_nonnull(e);
	for (i = 0; i < e->nfields; i++)
		v[i].p = "x", v[i].n = 1;
	v[0].p = "00123";
	v[0].n = 5;
	sb_addstr(&s, ">");
	rec_key_text(e, v, &s);	/* appends */
	ck_assert_str_eq(s.buf, ">enrollmentID 00123");
	sb_release(&s);
}
END_TEST

START_TEST(test_hash_hex_round_trip)
{
	unsigned char h[REC_HASH_BYTES], back[REC_HASH_BYTES];
	char hex[2 * REC_HASH_BYTES + 1];
	size_t i;

	for (i = 0; i < REC_HASH_BYTES; i++)
		h[i] = (unsigned char)(i * 17);
	rec_hash_hex(h, hex);
	ck_assert_str_eq(hex, "00112233445566778899aabbccddeeff");
	memset(back, 0x5a, sizeof back);
	ck_assert_int_eq(rec_hash_parse(hex, strlen(hex), back), 0);
	ck_assert_mem_eq(back, h, sizeof h);
	/* every byte value survives */
	for (i = 0; i < 256; i += REC_HASH_BYTES) {
		size_t j;

		for (j = 0; j < REC_HASH_BYTES; j++)
			h[j] = (unsigned char)(i + j);
		rec_hash_hex(h, hex);
		ck_assert_int_eq(rec_hash_parse(hex, 32, back), 0);
		ck_assert_mem_eq(back, h, sizeof h);
	}
}
END_TEST

START_TEST(test_hash_parse_rejects)
{
	static const struct {
		const char *s;
		size_t n;
	} bad[] = {
		{ "", 0 },
		{ "00112233445566778899aabbccddeef", 31 },		/* too short */
		{ "00112233445566778899aabbccddeeff0", 33 },		/* too long */
		{ "00112233445566778899aabbccddeefg", 32 },		/* 'g' */
		{ "0011223344556677 899aabbccddeeff", 32 },		/* space */
		{ "00112233445566778899aabbccddee-f", 32 },		/* '-' */
		{ "0011223344556677\0" "899aabbccddeeff", 32 },	/* NUL inside */
		{ "x0112233445566778899aabbccddeeff", 32 },
		{ "0x112233445566778899aabbccddeeff", 32 },
	};
	unsigned char out[REC_HASH_BYTES];
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(rec_hash_parse(bad[i].s, bad[i].n, out) == -1,
			      "case %zu accepted", i);
	/* n is honoured: a good prefix of a longer string parses */
	ck_assert_int_eq(rec_hash_parse("00112233445566778899aabbccddeeffXYZ", 32, out), 0);
	ck_assert_uint_eq(out[15], 0xff);
}
END_TEST

START_TEST(test_fields_fingerprint)
{
	const struct reg_object *o = school();
	struct reg_object t = two_keys();
	uint64_t fp = rec_fields_fingerprint(o);
	const char list[] = "schoolID;number;name;address;exclude;";

	ck_assert_uint_eq(fp, XXH3_64bits(list, sizeof list - 1));
	ck_assert(fp != rec_fields_fingerprint(&t));
	ck_assert(fp != rec_fields_fingerprint(reg_find("Calendar")));
}
END_TEST

START_TEST(test_encode_exact_and_decode)
{
	const struct reg_object *o = school();
	const struct rec_val v[5] = { V("0042"), V("N-7"), V("Lincoln High"), V(""), V("0") };
	static const char enc[] =
		"\x04\x00\x00\x00" "0042"
		"\x03\x00\x00\x00" "N-7"
		"\x0c\x00\x00\x00" "Lincoln High"
		"\x00\x00\x00\x00"
		"\x01\x00\x00\x00" "0";
	struct sb s = SB_INIT;
	struct rec_val back[5];
	unsigned char h1[REC_HASH_BYTES], h2[REC_HASH_BYTES];
	struct sb scratch = SB_INIT;
	size_t i;

	sb_addstr(&s, "prefix");		/* appends */
	rec_encode(o, v, &s);
	ck_assert_uint_eq(s.len, 6 + sizeof enc - 1);
	ck_assert_mem_eq(s.buf, "prefix", 6);
	ck_assert_mem_eq(s.buf + 6, enc, sizeof enc - 1);
	ck_assert_int_eq(s.buf[s.len], '\0');
	/* decode gives the values back, pointing into the encoding */
	ck_assert_int_eq(rec_decode(o, s.buf + 6, s.len - 6, back), 0);
	for (i = 0; i < 5; i++) {
		ck_assert_uint_eq(back[i].n, v[i].n);
		ck_assert_mem_eq(back[i].p, v[i].p, v[i].n);
		ck_assert(back[i].p >= s.buf + 6 && back[i].p <= s.buf + s.len);
	}
	/* the hash of the encoding is the record hash */
	rec_hash_encoded(s.buf + 6, s.len - 6, h1);
	rec_hash(o, v, &scratch, h2);
	ck_assert_mem_eq(h1, h2, REC_HASH_BYTES);
	{
		char hex[33];

		rec_hash_hex(h1, hex);
		ck_assert_str_eq(hex, GOLDEN_SCHOOL_HASH);
	}
	sb_release(&s);
	sb_release(&scratch);
}
END_TEST

START_TEST(test_decode_rejects)
{
	const struct reg_object *o = school();
	static const char enc[] =
		"\x01\x00\x00\x00" "1"
		"\x00\x00\x00\x00"
		"\x00\x00\x00\x00"
		"\x00\x00\x00\x00"
		"\x01\x00\x00\x00" "0";
	size_t n = sizeof enc - 1, cut;
	struct rec_val v[5];
	char buf[64];

	ck_assert_int_eq(rec_decode(o, enc, n, v), 0);
	ck_assert_uint_eq(v[4].n, 1);
	ck_assert_int_eq(v[4].p[0], '0');
	/* every truncation is refused */
	for (cut = 0; cut < n; cut++)
		ck_assert_msg(rec_decode(o, enc, cut, v) == -1, "truncated to %zu accepted", cut);
	/* a byte more is refused */
	memcpy(buf, enc, n);
	buf[n] = 'x';
	ck_assert_int_eq(rec_decode(o, buf, n + 1, v), -1);
	/* a length running past the end is refused */
	memcpy(buf, enc, n);
	buf[n - 5] = 2;
	ck_assert_int_eq(rec_decode(o, buf, n, v), -1);
	/* a huge length does not wrap around */
	memcpy(buf, enc, n);
	memcpy(buf + n - 5, "\xff\xff\xff\xff", 4);
	ck_assert_int_eq(rec_decode(o, buf, n, v), -1);
	/* the encoding of another object (fewer fields) is refused */
	ck_assert_int_eq(rec_decode(reg_find("Calendar"), enc, n, v), -1);
}
END_TEST

START_TEST(test_key_encode)
{
	struct reg_object o = two_keys();
	struct rec_val x[3] = { V("note"), V("1"), V("9") };
	struct rec_val y[3] = { V(""), V("10"), V("a") };
	struct rec_val z[3] = { V(""), V("1"), V("90") };
	const struct reg_object *school_o = school();
	struct rec_val sv[5] = { V("0042"), V("x"), V(""), V(""), V("") };
	struct sb a = SB_INIT, b = SB_INIT, c = SB_INIT;
	size_t n;
	int cmp;

	rec_key_encode(&o, x, &a);
	ck_assert_uint_eq(a.len, 3);
	ck_assert_mem_eq(a.buf, "1\0" "9", 3);
	rec_key_encode(&o, y, &b);
	ck_assert_mem_eq(b.buf, "10\0" "a", 4);
	rec_key_encode(&o, z, &c);
	/* bytewise order of the encodings is the key order */
	n = a.len < b.len ? a.len : b.len;
	cmp = memcmp(a.buf, b.buf, n);
	ck_assert_int_lt(cmp, 0);
	ck_assert_int_lt(rec_key_cmp(&o, x, y), 0);
	n = a.len < c.len ? a.len : c.len;
	cmp = memcmp(a.buf, c.buf, n);
	ck_assert(cmp < 0 || (cmp == 0 && a.len < c.len));
	ck_assert_int_lt(rec_key_cmp(&o, x, z), 0);
	/* one key: the value itself, appended */
	sb_reset(&a);
	sb_addstr(&a, ">");
	rec_key_encode(school_o, sv, &a);
	ck_assert_str_eq(a.buf, ">0042");
	sb_release(&a);
	sb_release(&b);
	sb_release(&c);
}
END_TEST

/* rec_key_decode: the key fields back, every other field empty; refusals. */
START_TEST(test_key_decode)
{
	struct reg_object o = two_keys();
	struct rec_val x[3] = { V("note"), V("1"), V("9") }, back[3];
	const struct reg_object *school_o = school();
	struct rec_val sb1[REG_MAX_FIELDS];
	struct sb a = SB_INIT;

	rec_key_encode(&o, x, &a);
	ck_assert_int_eq(rec_key_decode(&o, a.buf, a.len, back), 0);
	ck_assert_uint_eq(back[0].n, 0);
	ck_assert_uint_eq(back[1].n, 1);
	ck_assert_mem_eq(back[1].p, "1", 1);
	ck_assert_uint_eq(back[2].n, 1);
	ck_assert_mem_eq(back[2].p, "9", 1);
	ck_assert_int_eq(rec_key_cmp(&o, x, back), 0);
	/* too few, too many key values; a trailing separator */
	ck_assert_int_eq(rec_key_decode(&o, "1", 1, back), -1);
	ck_assert_int_eq(rec_key_decode(&o, "1\0" "2\0" "3", 5, back), -1);
	ck_assert_int_eq(rec_key_decode(&o, "1\0" "2\0", 4, back), -1);
	/* one key: all of it, even empty */
	ck_assert_int_eq(rec_key_decode(school_o, "0042", 4, sb1), 0);
	ck_assert_uint_eq(sb1[school_o->key[0]].n, 4);
	ck_assert_mem_eq(sb1[school_o->key[0]].p, "0042", 4);
	ck_assert_int_eq(rec_key_decode(school_o, "", 0, sb1), 0);
	ck_assert_uint_eq(sb1[school_o->key[0]].n, 0);
	ck_assert_int_eq(rec_key_decode(school_o, "a\0" "b", 3, sb1), -1);
	sb_release(&a);
}
END_TEST

/* The packed encoding: varint lengths, exact bytes, round trip, refusals. */
START_TEST(test_pack_unpack)
{
	const struct reg_object *o = reg_find("School");
	struct rec_val v[REG_MAX_FIELDS], back[REG_MAX_FIELDS];
	struct sb out = SB_INIT, big = SB_INIT;
	size_t i;

	ck_assert_ptr_nonnull(o);
	ck_assert_uint_eq(o->nfields, 5);
	for (i = 0; i < 300; i++)
		sb_addch(&big, (char)('a' + i % 26));
	v[0].p = "10"; v[0].n = 2;
	v[1].p = ""; v[1].n = 0;
	v[2].p = big.buf; v[2].n = 300;		/* 300 = 0xac 0x02 as LEB128 */
	v[3].p = "x\ny"; v[3].n = 3;
	v[4].p = "0"; v[4].n = 1;
	rec_pack(o, v, &out);
	ck_assert_uint_eq(out.len, 1 + 2 + 1 + 2 + 300 + 1 + 3 + 1 + 1);
	ck_assert_int_eq(memcmp(out.buf, "\x02" "10" "\x00" "\xac\x02", 6), 0);
	ck_assert_int_eq(memcmp(out.buf + 306, "\x03x\ny\x01" "0", 6), 0);
	ck_assert_int_eq(rec_unpack(o, out.buf, out.len, back), 0);
	for (i = 0; i < 5; i++) {
		ck_assert_uint_eq(back[i].n, v[i].n);
		ck_assert_int_eq(memcmp(back[i].p, v[i].p, v[i].n), 0);
	}
	/* every shorter prefix, and one byte more, are refused */
	for (i = 0; i < out.len; i++)
		ck_assert_int_eq(rec_unpack(o, out.buf, i, back), -1);
	sb_addch(&out, 'z');
	ck_assert_int_eq(rec_unpack(o, out.buf, out.len, back), -1);
	/* a varint that never ends is refused */
	ck_assert_int_eq(rec_unpack(o, "\xff\xff\xff\xff\xff\xff", 6, back), -1);
	sb_release(&out);
	sb_release(&big);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("record");
	TCase *tc = tcase_create("record");
	SRunner *sr;
	int failed;

	if (sodium_init() < 0)
		return 1;
	tcase_add_test(tc, test_hash_known_record);
	tcase_add_test(tc, test_pack_unpack);
	tcase_add_test(tc, test_hash_length_is_little_endian_32bit);
	tcase_add_test(tc, test_hash_changes_with_any_field);
	tcase_add_test(tc, test_hash_field_boundaries_matter);
	tcase_add_test(tc, test_hash_scratch_reused);
	tcase_add_loop_test(tc, test_val_cmp_table, 0, (int)(sizeof cmp_cases / sizeof cmp_cases[0]));
	tcase_add_loop_test(tc, test_key_cmp_table, 0, (int)(sizeof cmp_cases / sizeof cmp_cases[0]));
	tcase_add_test(tc, test_composite_key_cmp_and_text);
	tcase_add_test(tc, test_key_text_single);
	tcase_add_test(tc, test_hash_hex_round_trip);
	tcase_add_test(tc, test_hash_parse_rejects);
	tcase_add_test(tc, test_fields_fingerprint);
	tcase_add_test(tc, test_encode_exact_and_decode);
	tcase_add_test(tc, test_decode_rejects);
	tcase_add_test(tc, test_key_encode);
	tcase_add_test(tc, test_key_decode);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
