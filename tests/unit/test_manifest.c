/* test_manifest.c - manifest encoding and strict parsing (formats/manifest.h). */
#include "../../formats/manifest.h"
#include "../../formats/registry.h"
#include "../../util/sb.h"
#include "../../util/xalloc.h"

#include <check.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define H64A "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
#define H64B "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"
#define H64C "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"

/* A valid manifest: one member of each type. */
static const char base_text[] =
	"[bundle]\n"
	"format = 1\n"
	"kind = resync\n"
	"district = 0042\n"
	"state = NV\n"
	"year = 2027\n"
	"sequence = 17\n"
	"scope = full\n"
	"created = 2026-11-29T21:47:34Z\n"
	"key = 0123456789abcdef\n"
	"\n"
	"[member]\nname = PersonIdentity.csv\n"
	"object = PersonIdentity\n"
	"type = records\n"
	"complete = 1\n"
	"bytes = 123\n"
	"rows = 4\n"
	"blake2b = " H64A "\n"
	"\n"
	"[member]\nname = Enrollment.keep.csv\n"
	"object = Enrollment\n"
	"type = keep\n"
	"bytes = 10\n"
	"rows = 1\n"
	"blake2b = " H64B "\n"
	"\n"
	"[member]\nname = School.digest.csv\n"
	"object = School\n"
	"type = digest\n"
	"fields = 0123456789abcdef\n"
	"bytes = 50\n"
	"rows = 2\n"
	"blake2b = " H64C "\n";

/* base_text with the first `find` replaced by `repl` (find "" appends). */
static char *edit(const char *find, const char *repl)
{
	struct sb s = SB_INIT;
	const char *at;

	if (!*find) {
		sb_addstr(&s, base_text);
		sb_addstr(&s, repl);
		return sb_detach(&s);
	}
	at = strstr(base_text, find);
	ck_assert_msg(at != NULL, "test bug: '%s' not in the base text", find);
	sb_add(&s, base_text, (size_t)(at - base_text));
	sb_addstr(&s, repl);
	sb_addstr(&s, at + strlen(find));
	return sb_detach(&s);
}

static void hex_of(const unsigned char *p, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
}

START_TEST(test_base_parses)
{
	struct manifest m;
	struct sb err = SB_INIT;
	char hex[65];

	ck_assert_int_eq(mf_parse(base_text, strlen(base_text), &m, &err), 0);
	ck_assert_uint_eq(err.len, 0);
	ck_assert_int_eq(m.format, 1);
	ck_assert_str_eq(m.kind, "resync");
	ck_assert_str_eq(m.district, "0042");
	ck_assert_str_eq(m.state, "NV");
	ck_assert_int_eq(m.year, 2027);
	ck_assert_uint_eq(m.sequence, 17);
	ck_assert_str_eq(m.scope, "full");
	ck_assert_str_eq(m.created, "2026-11-29T21:47:34Z");
	ck_assert_str_eq(m.key, "0123456789abcdef");
	ck_assert_uint_eq(m.nmembers, 3);
	ck_assert_str_eq(m.members[0].name, "PersonIdentity.csv");
	ck_assert_str_eq(m.members[0].object, "PersonIdentity");
	ck_assert_int_eq(m.members[0].type, MF_RECORDS);
	ck_assert_int_eq(m.members[0].complete, 1);
	ck_assert_uint_eq(m.members[0].bytes, 123);
	ck_assert_uint_eq(m.members[0].rows, 4);
	hex_of(m.members[0].blake2b, 32, hex);
	ck_assert_str_eq(hex, H64A);
	ck_assert_str_eq(m.members[1].name, "Enrollment.keep.csv");
	ck_assert_int_eq(m.members[1].type, MF_KEEP);
	ck_assert_uint_eq(m.members[1].bytes, 10);
	ck_assert_uint_eq(m.members[1].rows, 1);
	hex_of(m.members[1].blake2b, 32, hex);
	ck_assert_str_eq(hex, H64B);
	ck_assert_str_eq(m.members[2].name, "School.digest.csv");
	ck_assert_int_eq(m.members[2].type, MF_DIGEST);
	ck_assert_uint_eq(m.members[2].fields, UINT64_C(0x0123456789abcdef));
	ck_assert_uint_eq(m.members[2].bytes, 50);
	ck_assert_uint_eq(m.members[2].rows, 2);
	hex_of(m.members[2].blake2b, 32, hex);
	ck_assert_str_eq(hex, H64C);
	mf_free(&m);
	ck_assert_ptr_null(m.members);
	ck_assert_uint_eq(m.nmembers, 0);
	sb_release(&err);
}
END_TEST

static void fill_member(struct mf_member *mm, const char *object, enum mf_type t, int complete,
			uint64_t bytes, uint64_t rows, unsigned seed, uint64_t fields)
{
	size_t i;

	snprintf(mm->object, sizeof mm->object, "%s", object);
	mf_member_name(mm->name, sizeof mm->name, object, t);
	mm->type = t;
	mm->complete = complete;
	mm->bytes = bytes;
	mm->rows = rows;
	for (i = 0; i < 32; i++)
		mm->blake2b[i] = (unsigned char)(seed * 31 + i * 7);
	mm->fields = fields;
}

START_TEST(test_round_trip_every_field)
{
	struct manifest m, p;
	struct sb text = SB_INIT, again = SB_INIT, err = SB_INIT;
	size_t i;

	memset(&m, 0, sizeof m);
	m.format = MF_FORMAT;
	snprintf(m.kind, sizeof m.kind, "digest");
	snprintf(m.district, sizeof m.district, "1234567890123456");
	snprintf(m.state, sizeof m.state, "WY");
	m.year = 2199;
	m.sequence = UINT64_C(999999999999999999);
	snprintf(m.scope, sizeof m.scope, "objects");
	snprintf(m.created, sizeof m.created, "2000-02-29T23:59:59Z");
	snprintf(m.key, sizeof m.key, "fedcba9876543210");
	/* several members of each type */
	fill_member(mf_add_member(&m), "School", MF_RECORDS, 1, 0, 0, 1, 0);
	fill_member(mf_add_member(&m), "Calendar", MF_RECORDS, 0, 77, 3, 2, 0);
	fill_member(mf_add_member(&m), "PersonIdentity", MF_RECORDS, 1,
		    UINT64_C(123456789012345678), 987654321, 3, 0);
	fill_member(mf_add_member(&m), "School", MF_KEEP, 0, 5, 1, 4, 0);
	fill_member(mf_add_member(&m), "Enrollment", MF_KEEP, 0, 600, 60, 5, 0);
	fill_member(mf_add_member(&m), "School", MF_DIGEST, 0, 9, 2, 6, UINT64_C(0xfedcba9876543210));
	fill_member(mf_add_member(&m), "Enrollment", MF_DIGEST, 0, 10, 3, 7, 1);
	ck_assert_uint_eq(m.nmembers, 7);

	mf_encode(&m, &text);
	ck_assert_int_eq(mf_parse(text.buf, text.len, &p, &err), 0);
	ck_assert_int_eq(p.format, 1);
	ck_assert_str_eq(p.kind, "digest");
	ck_assert_str_eq(p.district, "1234567890123456");
	ck_assert_str_eq(p.state, "WY");
	ck_assert_int_eq(p.year, 2199);
	ck_assert_uint_eq(p.sequence, UINT64_C(999999999999999999));
	ck_assert_str_eq(p.scope, "objects");
	ck_assert_str_eq(p.created, "2000-02-29T23:59:59Z");
	ck_assert_str_eq(p.key, "fedcba9876543210");
	ck_assert_uint_eq(p.nmembers, m.nmembers);
	for (i = 0; i < m.nmembers; i++) {
		const struct mf_member *a = &m.members[i], *b = &p.members[i];

		ck_assert_str_eq(b->name, a->name);
		ck_assert_str_eq(b->object, a->object);
		ck_assert_int_eq(b->type, a->type);
		ck_assert_int_eq(b->complete, a->complete);
		ck_assert_uint_eq(b->bytes, a->bytes);
		ck_assert_uint_eq(b->rows, a->rows);
		ck_assert_mem_eq(b->blake2b, a->blake2b, 32);
		ck_assert_uint_eq(b->fields, a->fields);
	}
	/* canonical: encoding what was parsed gives the same bytes */
	mf_encode(&p, &again);
	ck_assert_uint_eq(again.len, text.len);
	ck_assert_mem_eq(again.buf, text.buf, text.len);
	mf_free(&m);
	mf_free(&p);
	sb_release(&text);
	sb_release(&again);
	sb_release(&err);
}
END_TEST

START_TEST(test_encode_exact_bytes)
{
	struct manifest m;
	struct sb text = SB_INIT;
	struct mf_member *mm;

	memset(&m, 0, sizeof m);
	m.format = 1;
	snprintf(m.kind, sizeof m.kind, "resync");
	snprintf(m.district, sizeof m.district, "0042");
	snprintf(m.state, sizeof m.state, "NV");
	m.year = 2027;
	m.sequence = 17;
	snprintf(m.scope, sizeof m.scope, "full");
	snprintf(m.created, sizeof m.created, "2026-11-29T21:47:34Z");
	snprintf(m.key, sizeof m.key, "0123456789abcdef");
	mm = mf_add_member(&m);
	snprintf(mm->name, sizeof mm->name, "School.digest.csv");
	snprintf(mm->object, sizeof mm->object, "School");
	mm->type = MF_DIGEST;
	mm->fields = 0xab;
	mm->bytes = 50;
	mm->rows = 2;
	memset(mm->blake2b, 0x11, 32);
	mf_encode(&m, &text);
	ck_assert_str_eq(text.buf,
			 "[bundle]\nformat = 1\nkind = resync\ndistrict = 0042\nstate = NV\n"
			 "year = 2027\nsequence = 17\nscope = full\n"
			 "created = 2026-11-29T21:47:34Z\nkey = 0123456789abcdef\n"
			 "\n[member]\nname = School.digest.csv\nobject = School\ntype = digest\n"
			 "fields = 00000000000000ab\nbytes = 50\nrows = 2\nblake2b = "
			 "1111111111111111111111111111111111111111111111111111111111111111\n");
	mf_free(&m);
	sb_release(&text);
}
END_TEST

/* ---- refusals, table-driven ---- */

struct bad_case {
	const char *what;
	const char *find;	/* in base_text; "" appends */
	const char *repl;
	const char *err;	/* exact */
};

#define MEMBER_PI "name = PersonIdentity.csv"
#define MEMBER_PI_SECT "[member PersonIdentity.csv]"

static const struct bad_case bad_cases[] = {
	{ "unknown section", "", "\n[extra]\nx = 1\n", "manifest: [extra] x: unknown section" },
	{ "section 'members'", "", "\n[members]\nobject = School\n",
	  "manifest: [members] object: unknown section" },
	{ "unknown bundle key", "scope = full\n", "scope = full\ncolor = red\n",
	  "manifest: [bundle] color: unknown field" },
	{ "unknown member key", "rows = 4\n", "rows = 4\ncolor = red\n",
	  "manifest: " MEMBER_PI_SECT " color: unknown field" },
	{ "bundle key twice", "year = 2027\n", "year = 2027\nyear = 2027\n",
	  "manifest: [bundle] year: given twice" },
	{ "bundle key twice, other value", "kind = resync\n", "kind = resync\nkind = digest\n",
	  "manifest: [bundle] kind: given twice" },
	{ "member key twice", "rows = 4\n", "rows = 4\nrows = 4\n",
	  "manifest: " MEMBER_PI_SECT " rows: given twice" },
	{ "member listed twice", "", "\n[member]\n" MEMBER_PI "\nobject = PersonIdentity\n",
	  "manifest: [member PersonIdentity.csv] name: member listed twice" },
	{ "district letters", "district = 0042", "district = 00a2",
	  "manifest: [bundle] district: not a district ID (1-16 digits)" },
	{ "district 17 digits", "district = 0042", "district = 12345678901234567",
	  "manifest: [bundle] district: not a district ID (1-16 digits)" },
	{ "district empty", "district = 0042", "district =",
	  "manifest: [bundle] district: not a district ID (1-16 digits)" },
	{ "district negative", "district = 0042", "district = -42",
	  "manifest: [bundle] district: not a district ID (1-16 digits)" },
	{ "state lower case", "state = NV", "state = nv",
	  "manifest: [bundle] state: not a two-letter state code" },
	{ "state three letters", "state = NV", "state = NVA",
	  "manifest: [bundle] state: not a two-letter state code" },
	{ "state one letter", "state = NV", "state = N",
	  "manifest: [bundle] state: not a two-letter state code" },
	{ "format 2", "format = 1", "format = 2",
	  "manifest: [bundle] format: unsupported format version" },
	{ "format 01", "format = 1", "format = 01",
	  "manifest: [bundle] format: unsupported format version" },
	{ "kind", "kind = resync", "kind = full",
	  "manifest: [bundle] kind: unknown bundle kind" },
	{ "scope", "scope = full", "scope = all", "manifest: [bundle] scope: unknown scope" },
	{ "inline comment is data", "scope = full", "scope = full ; comment",
	  "manifest: [bundle] scope: unknown scope" },
	{ "year 1900", "year = 2027", "year = 1900", "manifest: [bundle] year: not a school year" },
	{ "year 2200", "year = 2027", "year = 2200", "manifest: [bundle] year: not a school year" },
	{ "year text", "year = 2027", "year = 20x7", "manifest: [bundle] year: not a school year" },
	{ "sequence 0", "sequence = 17", "sequence = 0",
	  "manifest: [bundle] sequence: not a sequence number" },
	{ "sequence negative", "sequence = 17", "sequence = -1",
	  "manifest: [bundle] sequence: not a sequence number" },
	{ "sequence 20 digits", "sequence = 17", "sequence = 18446744073709551616",
	  "manifest: [bundle] sequence: not a sequence number" },
	{ "sequence 19 digits: beyond a signed 64-bit store column", "sequence = 17",
	  "sequence = 9999999999999999999",
	  "manifest: [bundle] sequence: not a sequence number" },
	{ "created with a space", "2026-11-29T21:47:34Z", "2026-11-29 21:47:34Z",
	  "manifest: [bundle] created: not a UTC time YYYY-MM-DDTHH:MM:SSZ" },
	{ "created without Z", "2026-11-29T21:47:34Z", "2026-11-29T21:47:34",
	  "manifest: [bundle] created: not a UTC time YYYY-MM-DDTHH:MM:SSZ" },
	{ "created 30 February", "2026-11-29T21:47:34Z", "2026-02-30T21:47:34Z",
	  "manifest: [bundle] created: not a UTC time YYYY-MM-DDTHH:MM:SSZ" },
	{ "created hour 24", "2026-11-29T21:47:34Z", "2026-11-29T24:00:00Z",
	  "manifest: [bundle] created: not a UTC time YYYY-MM-DDTHH:MM:SSZ" },
	{ "created hour 29", "2026-11-29T21:47:34Z", "2026-11-29T29:00:00Z",
	  "manifest: [bundle] created: not a UTC time YYYY-MM-DDTHH:MM:SSZ" },
	{ "created minute 60", "2026-11-29T21:47:34Z", "2026-11-29T21:60:34Z",
	  "manifest: [bundle] created: not a UTC time YYYY-MM-DDTHH:MM:SSZ" },
	{ "created second 60", "2026-11-29T21:47:34Z", "2026-11-29T21:47:60Z",
	  "manifest: [bundle] created: not a UTC time YYYY-MM-DDTHH:MM:SSZ" },
	{ "key not hex", "key = 0123456789abcdef", "key = 0123456789abcdeg",
	  "manifest: [bundle] key: not a key id (16 hex digits)" },
	{ "key 15 digits", "key = 0123456789abcdef", "key = 0123456789abcde",
	  "manifest: [bundle] key: not a key id (16 hex digits)" },
	{ "key 17 digits", "key = 0123456789abcdef", "key = 0123456789abcdef0",
	  "manifest: [bundle] key: not a key id (16 hex digits)" },
	{ "blake2b 63 digits", H64A "\n",
	  "00112233445566778899aabbccddeeff00112233445566778899aabbccddeef\n",
	  "manifest: " MEMBER_PI_SECT " blake2b: not a BLAKE2b-256 hash (64 hex digits)" },
	{ "blake2b 65 digits", H64A "\n", H64A "0\n",
	  "manifest: " MEMBER_PI_SECT " blake2b: not a BLAKE2b-256 hash (64 hex digits)" },
	{ "blake2b not hex", "blake2b = " H64A, "blake2b = x" H64A,
	  "manifest: " MEMBER_PI_SECT " blake2b: not a BLAKE2b-256 hash (64 hex digits)" },
	{ "blake2b short", "blake2b = " H64A, "blake2b = 0011",
	  "manifest: " MEMBER_PI_SECT " blake2b: not a BLAKE2b-256 hash (64 hex digits)" },
	{ "fields not hex", "fields = 0123456789abcdef", "fields = 0123456789abcdez",
	  "manifest: [member School.digest.csv] fields: not a field-list fingerprint (16 hex digits)" },
	{ "bytes not a number", "bytes = 123", "bytes = 12x",
	  "manifest: " MEMBER_PI_SECT " bytes: not a byte count" },
	{ "rows negative", "rows = 4", "rows = -4", "manifest: " MEMBER_PI_SECT " rows: not a row count" },
	{ "complete 2", "complete = 1", "complete = 2",
	  "manifest: " MEMBER_PI_SECT " complete: not 0 or 1" },
	{ "name ../x", MEMBER_PI, "name = ../x",
	  "manifest: [member ../x] member name does not match its object and type" },
	{ "name of another object", MEMBER_PI, "name = Enrollment.csv",
	  "manifest: [member Enrollment.csv] member name does not match its object and type" },
	{ "name of another type", MEMBER_PI, "name = PersonIdentity.keep.csv",
	  "manifest: [member PersonIdentity.keep.csv] member name does not match its object and type" },
	{ "name with a folder", MEMBER_PI, "name = x/PersonIdentity.csv",
	  "manifest: [member x/PersonIdentity.csv] member name does not match its object and type" },
	{ "name empty", MEMBER_PI, "name = ",
	  "manifest: [member] name: member name too long or empty" },
	{ "a member without its name first", MEMBER_PI "\n", "",
	  "manifest: [member] object: a member starts with its name" },
	{ "unknown object", "object = PersonIdentity", "object = Person",
	  "manifest: " MEMBER_PI_SECT " object: unknown object" },
	{ "unknown type", "type = records", "type = record",
	  "manifest: " MEMBER_PI_SECT " type: unknown member type" },
	{ "member field of another type", "type = keep\n", "type = keep\ncomplete = 0\n",
	  "manifest: [member Enrollment.keep.csv] a field does not belong to this member type" },
	{ "member lacks rows", "rows = 4\n", "",
	  "manifest: " MEMBER_PI_SECT " rows: missing" },
	{ "records member lacks complete", "complete = 1\n", "",
	  "manifest: " MEMBER_PI_SECT " complete: missing" },
	{ "last member lacks fields", "fields = 0123456789abcdef\n", "",
	  "manifest: [member School.digest.csv] fields: missing" },
	{ "member lacks object", "object = Enrollment\n", "",
	  "manifest: [member Enrollment.keep.csv] object: missing" },
	{ "bundle after members", "", "\n[bundle]\nformat = 1\n",
	  "manifest: [bundle] format: [bundle] must come before the members" },
	{ "line without '='", "scope = full\n", "scope = full\ngarbage\n",
	  "manifest: line 9: not a section or name = value" },
	{ "continuation line", "scope = full\n", "scope = full\n  more\n",
	  "manifest: line 9: not a section or name = value" },
	{ "unclosed section", "[member]\n" MEMBER_PI, "[member\n" MEMBER_PI,
	  "manifest: line 12: not a section or name = value" },
	{ "not UTF-8 (Latin-1)", "scope = full\n", "scope = full\n# caf\xe9\n",
	  "manifest: not UTF-8 text" },
	{ "not UTF-8 (overlong '/')", "scope = full\n", "scope = full\n# \xc0\xaf\n",
	  "manifest: not UTF-8 text" },
	{ "not UTF-8 (surrogate)", "scope = full\n", "scope = full\n# \xed\xa0\x80\n",
	  "manifest: not UTF-8 text" },
	{ "not UTF-8 (cut sequence at the end)", "", "# \xe2\x82",
	  "manifest: not UTF-8 text" },
};

START_TEST(test_refusals)
{
	const struct bad_case *t = &bad_cases[_i];
	struct manifest m;
	struct sb err = SB_INIT;
	char *text = edit(t->find, t->repl);
	const char *want = t->err;

	memset(&m, 0x5a, sizeof m);
	ck_assert_msg(mf_parse(text, strlen(text), &m, &err) == -1, "%s: accepted", t->what);
	ck_assert_msg(err.buf && strcmp(err.buf, want) == 0, "%s: err '%s', want '%s'", t->what,
		      err.buf ? err.buf : "(none)", want);
	/* a refused manifest holds nothing to free */
	ck_assert_ptr_null(m.members);
	ck_assert_uint_eq(m.nmembers, 0);
	free(text);
	sb_release(&err);
}
END_TEST

static const char *const bundle_fields[] = {
	"format", "kind", "district", "state", "year", "sequence", "scope", "created", "key"
};

START_TEST(test_missing_bundle_field)
{
	const char *f = bundle_fields[_i];
	struct manifest m;
	struct sb err = SB_INIT, line = SB_INIT, want = SB_INIT;
	const char *at, *eol;
	char *text;

	sb_addf(&line, "\n%s = ", f);
	at = strstr(base_text, line.buf);
	ck_assert_ptr_nonnull(at);
	eol = strchr(at + 1, '\n');
	sb_reset(&line);
	sb_add(&line, base_text, (size_t)(at - base_text));
	sb_addstr(&line, eol);
	text = sb_detach(&line);
	sb_addf(&want, "manifest: [bundle] %s: missing", f);
	ck_assert_int_eq(mf_parse(text, strlen(text), &m, &err), -1);
	ck_assert_str_eq(err.buf, want.buf);
	free(text);
	sb_release(&err);
	sb_release(&want);
}
END_TEST

START_TEST(test_empty_and_members_only)
{
	struct manifest m;
	struct sb err = SB_INIT;
	const char *members = strstr(base_text, "[member]");

	ck_assert_int_eq(mf_parse("", 0, &m, &err), -1);
	ck_assert_str_eq(err.buf, "manifest: [bundle] format: missing");
	ck_assert_int_eq(mf_parse(members, strlen(members), &m, &err), -1);
	ck_assert_str_eq(err.buf, "manifest: [bundle] format: missing");
	sb_release(&err);
}
END_TEST

START_TEST(test_nul_byte)
{
	struct manifest m;
	struct sb err = SB_INIT;
	size_t n = strlen(base_text);
	char *text = xmalloc(n + 16);
	size_t at[] = { 0, 20, n - 1 };
	size_t i;

	for (i = 0; i < 3; i++) {
		memcpy(text, base_text, n);
		text[at[i]] = '\0';
		ck_assert_int_eq(mf_parse(text, n, &m, &err), -1);
		ck_assert_str_eq(err.buf, "manifest: contains a NUL byte");
	}
	/* a NUL just past n is not part of the text */
	memcpy(text, base_text, n);
	text[n] = '\0';
	ck_assert_int_eq(mf_parse(text, n, &m, &err), 0);
	mf_free(&m);
	free(text);
	sb_release(&err);
}
END_TEST

/* base_text padded with comment lines and blank lines to exactly n bytes */
static char *padded(size_t n)
{
	struct sb s = SB_INIT;

	sb_addstr(&s, base_text);
	while (s.len + 65 <= n)
		sb_addstr(&s, "# padding padding padding padding padding padding padding paddin\n");
	while (s.len < n)
		sb_addch(&s, '\n');
	ck_assert_uint_eq(s.len, n);
	return sb_detach(&s);
}

START_TEST(test_size_bound)
{
	struct manifest m;
	struct sb err = SB_INIT;
	char *text = padded(MF_MAX_BYTES);

	ck_assert_int_eq(mf_parse(text, MF_MAX_BYTES, &m, &err), 0);
	ck_assert_uint_eq(m.nmembers, 3);
	mf_free(&m);
	free(text);
	text = padded(MF_MAX_BYTES + 1);
	ck_assert_int_eq(mf_parse(text, MF_MAX_BYTES + 1, &m, &err), -1);
	ck_assert_str_eq(err.buf, "manifest: longer than 65536 bytes");
	free(text);
	sb_release(&err);
}
END_TEST

static void add_member_text(struct sb *s, const char *name, const char *object, const char *type)
{
	sb_addf(s, "\n[member]\nname = %s\nobject = %s\ntype = %s\n", name, object, type);
	if (!strcmp(type, "records"))
		sb_addstr(s, "complete = 1\n");
	if (!strcmp(type, "digest"))
		sb_addstr(s, "fields = 0000000000000001\n");
	sb_addstr(s, "bytes = 1\nrows = 1\nblake2b = " H64A "\n");
}

START_TEST(test_member_count)
{
	static const char *const types[] = { "records", "keep", "digest" };
	struct manifest m;
	struct sb s = SB_INIT, err = SB_INIT;
	const char *end_of_head = strstr(base_text, "\n\n");
	size_t i, t, n = 0;

	/* Every possible member at once: registry objects x 3 types. */
	sb_add(&s, base_text, (size_t)(end_of_head - base_text) + 1);
	for (i = 0; i < reg_count(); i++)
		for (t = 0; t < 3; t++) {
			char name[96];

			mf_member_name(name, sizeof name, reg_at(i)->name, (enum mf_type)t);
			add_member_text(&s, name, reg_at(i)->name, types[t]);
			n++;
		}
	ck_assert_int_eq(mf_parse(s.buf, s.len, &m, &err), 0);
	ck_assert_uint_eq(m.nmembers, n);
	ck_assert_uint_eq(m.nmembers, reg_count() * 3);
	mf_free(&m);

	/*
	 * More than MF_MAX_MEMBERS: only reg_count() * 3 distinct names can
	 * be valid, so the extra members are refused by name before the
	 * count is reached; what matters is that none of this parses.
	 */
	for (i = n; i <= MF_MAX_MEMBERS; i++)
		sb_addf(&s, "[member]\nname = m%04zu.csv\nobject = School\n", i);
	ck_assert_uint_le(s.len, MF_MAX_BYTES);	/* refused for its members, not its size */
	ck_assert_int_eq(mf_parse(s.buf, s.len, &m, &err), -1);
	{
		char want[64];

		snprintf(want, sizeof want, "manifest: [member m%04zu.csv] type: missing", n);
		ck_assert_str_eq(err.buf, want);
	}
	ck_assert_ptr_null(m.members);
	sb_release(&s);
	sb_release(&err);
}
END_TEST

START_TEST(test_mf_helpers)
{
	static const struct {
		const char *s;
		int ok;
	} districts[] = {
		{ "0", 1 }, { "0042", 1 }, { "1234567890123456", 1 },
		{ "12345678901234567", 0 }, { "", 0 }, { "42a", 0 }, { " 42", 0 }, { "4 2", 0 },
	}, states[] = {
		{ "NV", 1 }, { "ZZ", 1 }, { "nv", 0 }, { "N", 0 }, { "NVX", 0 }, { "N1", 0 }, { "", 0 },
	};
	char name[96];
	size_t i;

	for (i = 0; i < sizeof districts / sizeof districts[0]; i++)
		ck_assert_msg(mf_district_ok(districts[i].s) == districts[i].ok, "district '%s'",
			      districts[i].s);
	for (i = 0; i < sizeof states / sizeof states[0]; i++)
		ck_assert_msg(mf_state_ok(states[i].s) == states[i].ok, "state '%s'", states[i].s);
	mf_member_name(name, sizeof name, "Enrollment", MF_RECORDS);
	ck_assert_str_eq(name, "Enrollment.csv");
	mf_member_name(name, sizeof name, "Enrollment", MF_KEEP);
	ck_assert_str_eq(name, "Enrollment.keep.csv");
	mf_member_name(name, sizeof name, "Enrollment", MF_DIGEST);
	ck_assert_str_eq(name, "Enrollment.digest.csv");
	ck_assert_str_eq(mf_type_name(MF_RECORDS), "records");
	ck_assert_str_eq(mf_type_name(MF_KEEP), "keep");
	ck_assert_str_eq(mf_type_name(MF_DIGEST), "digest");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("manifest");
	TCase *tc = tcase_create("manifest");
	SRunner *sr;
	int failed;

	if (sodium_init() < 0)
		return 1;
	tcase_add_test(tc, test_base_parses);
	tcase_add_test(tc, test_round_trip_every_field);
	tcase_add_test(tc, test_encode_exact_bytes);
	tcase_add_loop_test(tc, test_refusals, 0, (int)(sizeof bad_cases / sizeof bad_cases[0]));
	tcase_add_loop_test(tc, test_missing_bundle_field, 0,
			    (int)(sizeof bundle_fields / sizeof bundle_fields[0]));
	tcase_add_test(tc, test_empty_and_members_only);
	tcase_add_test(tc, test_nul_byte);
	tcase_add_test(tc, test_size_bound);
	tcase_add_test(tc, test_member_count);
	tcase_add_test(tc, test_mf_helpers);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
