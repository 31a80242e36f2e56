/* manifest.c - bundle manifest encoding and strict parsing; see manifest.h. */
#include "manifest.h"
#include "registry.h"
#include "value.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include "inistrict.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *mf_type_name(enum mf_type t)
{
	switch (t) {
	case MF_RECORDS: return "records";
	case MF_KEEP: return "keep";
	case MF_DIGEST: return "digest";
	case MF_RECEIPT: return "receipt";
	case MF_KEY: return "key";
	case MF_CHANGES: return "changes";
	case MF_TREE: return "tree";
	case MF_KEYS: return "keys";
	case MF_REQUEST: return "request";
	case MF_REPORT: return "report";
	case MF_DETAIL: return "detail";
	}
	return "records";
}

void mf_member_name(char *out, size_t size, const char *object, enum mf_type t)
{
	switch (t) {
	case MF_RECORDS:
		snprintf(out, size, "%s.csv", object);
		break;
	case MF_KEEP:
		snprintf(out, size, "%s.keep.csv", object);
		break;
	case MF_DIGEST:
		snprintf(out, size, "%s.digest.csv", object);
		break;
	case MF_RECEIPT:
		snprintf(out, size, "receipt.csv");
		break;
	case MF_KEY:
		snprintf(out, size, "key.pub");
		break;
	case MF_CHANGES:
		snprintf(out, size, "%s.changes.csv", object);
		break;
	case MF_TREE:
		snprintf(out, size, "%s.tree.csv", object);
		break;
	case MF_KEYS:
		snprintf(out, size, "%s.keys.csv", object);
		break;
	case MF_REQUEST:
		snprintf(out, size, "request.ini");
		break;
	case MF_REPORT:
		snprintf(out, size, "report.csv");
		break;
	case MF_DETAIL:
		snprintf(out, size, "detail.csv");
		break;
	}
}

struct mf_member *mf_add_member(struct manifest *m)
{
	struct mf_member *mm;

	m->members = xrealloc(m->members, (m->nmembers + 1) * sizeof *m->members);
	mm = &m->members[m->nmembers++];
	memset(mm, 0, sizeof *mm);
	return mm;
}

void mf_free(struct manifest *m)
{
	free(m->members);
	m->members = NULL;
	m->nmembers = 0;
}

int mf_district_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 1 || n > MF_ID_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int mf_state_ok(const char *s)
{
	return strlen(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

void mf_encode(const struct manifest *m, struct sb *out)
{
	size_t i;

	sb_addf(out, "[bundle]\nformat = %d\nkind = %s\ndistrict = %s\nstate = %s\n"
		"year = %d\nsequence = %" PRIu64 "\nscope = %s\ncreated = %s\nkey = %s\n",
		m->format, m->kind, m->district, m->state, m->year, m->sequence,
		m->scope, m->created, m->key);
	for (i = 0; i < m->nmembers; i++) {
		const struct mf_member *mm = &m->members[i];

		sb_addf(out, "\n[member]\nname = %s\nobject = %s\ntype = %s\n", mm->name,
			mm->object, mf_type_name(mm->type));
		if (mm->type == MF_RECORDS)
			sb_addf(out, "complete = %d\n", mm->complete);
		if (mm->type == MF_DIGEST || mm->type == MF_TREE)
			sb_addf(out, "fields = %016" PRIx64 "\n", mm->fields);
		sb_addf(out, "bytes = %" PRIu64 "\nrows = %" PRIu64 "\nblake2b = ",
			mm->bytes, mm->rows);
		sb_addhex(out, mm->blake2b, sizeof mm->blake2b);
		sb_addch(out, '\n');
	}
}

/* ---- parsing ---- */

enum {
	B_FORMAT = 1 << 0, B_KIND = 1 << 1, B_DISTRICT = 1 << 2, B_STATE = 1 << 3,
	B_YEAR = 1 << 4, B_SEQ = 1 << 5, B_SCOPE = 1 << 6, B_CREATED = 1 << 7,
	B_KEY = 1 << 8, B_ALL = (1 << 9) - 1
};
enum {
	M_OBJECT = 1 << 0, M_TYPE = 1 << 1, M_COMPLETE = 1 << 2, M_BYTES = 1 << 3,
	M_ROWS = 1 << 4, M_HASH = 1 << 5, M_FIELDS = 1 << 6
};

/* Field names by bit, for "missing" reasons. */
static const char *const bundle_names[] = {
	"format", "kind", "district", "state", "year", "sequence", "scope", "created", "key"
};
static const char *const member_names[] = {
	"object", "type", "complete", "bytes", "rows", "blake2b", "fields"
};

/* The name of the lowest bit of need missing from seen. */
static const char *first_missing(unsigned need, unsigned seen, const char *const *names)
{
	unsigned i;

	for (i = 0; !((need & ~seen) & (1u << i)); i++)
		;
	return names[i];
}

struct parse {
	struct manifest *m;
	struct sb *err;
	unsigned seen;		/* B_* */
	unsigned mseen;		/* M_* of the current member */
	struct mf_member *cur;
	int failed;
};

static int fail(struct parse *ps, const char *section, const char *name, const char *why)
{
	if (!ps->failed) {
		sb_reset(ps->err);
		if (*name)
			sb_addf(ps->err, "manifest: [%s] %s: %s", section, name, why);
		else
			sb_addf(ps->err, "manifest: [%s] %s", section, why);
	}
	ps->failed = 1;
	return 0;
}

/* Decimal, at most 18 digits: every value fits a signed 64-bit store column. */
static int parse_u64(const char *v, uint64_t *out)
{
	uint64_t x = 0;
	size_t i, n = strlen(v);

	if (n < 1 || n > 18)
		return -1;
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		x = x * 10 + (uint64_t)(v[i] - '0');
	}
	*out = x;
	return 0;
}

static int parse_hex(const char *v, unsigned char *out, size_t nbytes)
{
	size_t i;

	if (strlen(v) != nbytes * 2)
		return -1;
	for (i = 0; i < nbytes * 2; i++) {
		char c = v[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;

		if (d < 0)
			return -1;
		if (i % 2 == 0)
			out[i / 2] = (unsigned char)(d << 4);
		else
			out[i / 2] |= (unsigned char)d;
	}
	return 0;
}

int mf_time_ok(const char *v)
{
	/* YYYY-MM-DDTHH:MM:SSZ */
	return strlen(v) == 20 && val_date_ok(v, 10) && v[10] == 'T' && v[13] == ':' &&
	       v[16] == ':' && v[19] == 'Z' &&
	       v[11] >= '0' && v[11] <= '2' && v[12] >= '0' && v[12] <= '9' &&
	       (v[11] < '2' || v[12] <= '3') &&
	       v[14] >= '0' && v[14] <= '5' && v[15] >= '0' && v[15] <= '9' &&
	       v[17] >= '0' && v[17] <= '5' && v[18] >= '0' && v[18] <= '9';
}

static int bundle_key(struct parse *ps, const char *s, const char *k, const char *v)
{
	struct manifest *m = ps->m;
	unsigned bit;
	uint64_t u;

	if (!strcmp(k, "format")) {
		bit = B_FORMAT;
		if (strcmp(v, "1") != 0)
			return fail(ps, s, k, "unsupported format version");
		m->format = 1;
	} else if (!strcmp(k, "kind")) {
		bit = B_KIND;
		if (strcmp(v, "resync") && strcmp(v, "digest") && strcmp(v, "receipt") &&
		    strcmp(v, "key") && strcmp(v, "changes") && strcmp(v, "request") &&
		    strcmp(v, "report") && strcmp(v, "verify"))
			return fail(ps, s, k, "unknown bundle kind");
		snprintf(m->kind, sizeof m->kind, "%s", v);
	} else if (!strcmp(k, "district")) {
		bit = B_DISTRICT;
		if (!mf_district_ok(v))
			return fail(ps, s, k, "not a district ID (1-16 digits)");
		snprintf(m->district, sizeof m->district, "%s", v);
	} else if (!strcmp(k, "state")) {
		bit = B_STATE;
		if (!mf_state_ok(v))
			return fail(ps, s, k, "not a two-letter state code");
		snprintf(m->state, sizeof m->state, "%s", v);
	} else if (!strcmp(k, "year")) {
		bit = B_YEAR;
		if (parse_u64(v, &u) < 0 || u < 1901 || u > 2199)
			return fail(ps, s, k, "not a school year");
		m->year = (int)u;
	} else if (!strcmp(k, "sequence")) {
		bit = B_SEQ;
		if (parse_u64(v, &u) < 0 || u == 0)
			return fail(ps, s, k, "not a sequence number");
		m->sequence = u;
	} else if (!strcmp(k, "scope")) {
		bit = B_SCOPE;
		if (strcmp(v, "full") && strcmp(v, "objects") && strcmp(v, "selective") &&
		    (strncmp(v, "school:", 7) || !mf_district_ok(v + 7)))
			return fail(ps, s, k, "unknown scope");
		snprintf(m->scope, sizeof m->scope, "%s", v);
	} else if (!strcmp(k, "created")) {
		bit = B_CREATED;
		if (!mf_time_ok(v))
			return fail(ps, s, k, "not a UTC time YYYY-MM-DDTHH:MM:SSZ");
		snprintf(m->created, sizeof m->created, "%s", v);
	} else if (!strcmp(k, "key")) {
		unsigned char id[8];

		bit = B_KEY;
		if (parse_hex(v, id, sizeof id) < 0)
			return fail(ps, s, k, "not a key id (16 hex digits)");
		snprintf(m->key, sizeof m->key, "%s", v);
	} else {
		return fail(ps, s, k, "unknown field");
	}
	if (ps->seen & bit)
		return fail(ps, s, k, "given twice");
	ps->seen |= bit;
	return 1;
}

static int member_key(struct parse *ps, const char *s, const char *k, const char *v)
{
	struct mf_member *mm = ps->cur;
	unsigned bit;
	uint64_t u;

	if (!strcmp(k, "object")) {
		/* checked with the type, in member_done() */
		bit = M_OBJECT;
		if (strlen(v) >= sizeof mm->object)
			return fail(ps, s, k, "unknown object");
		snprintf(mm->object, sizeof mm->object, "%s", v);
	} else if (!strcmp(k, "type")) {
		bit = M_TYPE;
		if (!strcmp(v, "records"))
			mm->type = MF_RECORDS;
		else if (!strcmp(v, "keep"))
			mm->type = MF_KEEP;
		else if (!strcmp(v, "digest"))
			mm->type = MF_DIGEST;
		else if (!strcmp(v, "receipt"))
			mm->type = MF_RECEIPT;
		else if (!strcmp(v, "key"))
			mm->type = MF_KEY;
		else if (!strcmp(v, "changes"))
			mm->type = MF_CHANGES;
		else if (!strcmp(v, "tree"))
			mm->type = MF_TREE;
		else if (!strcmp(v, "keys"))
			mm->type = MF_KEYS;
		else if (!strcmp(v, "request"))
			mm->type = MF_REQUEST;
		else if (!strcmp(v, "report"))
			mm->type = MF_REPORT;
		else if (!strcmp(v, "detail"))
			mm->type = MF_DETAIL;
		else
			return fail(ps, s, k, "unknown member type");
	} else if (!strcmp(k, "complete")) {
		bit = M_COMPLETE;
		if (strcmp(v, "0") && strcmp(v, "1"))
			return fail(ps, s, k, "not 0 or 1");
		mm->complete = v[0] == '1';
	} else if (!strcmp(k, "bytes")) {
		bit = M_BYTES;
		if (parse_u64(v, &u) < 0)
			return fail(ps, s, k, "not a byte count");
		mm->bytes = u;
	} else if (!strcmp(k, "rows")) {
		bit = M_ROWS;
		if (parse_u64(v, &u) < 0)
			return fail(ps, s, k, "not a row count");
		mm->rows = u;
	} else if (!strcmp(k, "blake2b")) {
		bit = M_HASH;
		if (parse_hex(v, mm->blake2b, sizeof mm->blake2b) < 0)
			return fail(ps, s, k, "not a BLAKE2b-256 hash (64 hex digits)");
	} else if (!strcmp(k, "fields")) {
		unsigned char fp[8];
		size_t i;

		bit = M_FIELDS;
		if (parse_hex(v, fp, sizeof fp) < 0)
			return fail(ps, s, k, "not a field-list fingerprint (16 hex digits)");
		mm->fields = 0;
		for (i = 0; i < 8; i++)
			mm->fields = (mm->fields << 8) | fp[i];
	} else {
		return fail(ps, s, k, "unknown field");
	}
	if (ps->mseen & bit)
		return fail(ps, s, k, "given twice");
	ps->mseen |= bit;
	return 1;
}

static int member_done(struct parse *ps)
{
	struct mf_member *mm = ps->cur;
	unsigned need = M_OBJECT | M_TYPE | M_BYTES | M_ROWS | M_HASH;
	char expect[sizeof mm->name];
	char section[128];

	if (!mm)
		return 1;
	snprintf(section, sizeof section, "member %s", mm->name);
	if (mm->type == MF_RECORDS)
		need |= M_COMPLETE;
	if (mm->type == MF_DIGEST || mm->type == MF_TREE)
		need |= M_FIELDS;
	if ((ps->mseen & need) != need)
		return fail(ps, section, first_missing(need, ps->mseen, member_names), "missing");
	if (ps->mseen & ~need)
		return fail(ps, section, "", "a field does not belong to this member type");
	if ((mm->type == MF_RECEIPT && strcmp(mm->object, "receipt")) ||
	    (mm->type == MF_KEY && strcmp(mm->object, "key")) ||
	    (mm->type == MF_REQUEST && strcmp(mm->object, "request")) ||
	    (mm->type == MF_REPORT && strcmp(mm->object, "report")) ||
	    (mm->type == MF_DETAIL && strcmp(mm->object, "detail")) ||
	    (mm->type != MF_RECEIPT && mm->type != MF_KEY && mm->type != MF_REQUEST &&
	     mm->type != MF_REPORT && mm->type != MF_DETAIL && !reg_find(mm->object)))
		return fail(ps, section, "object", "unknown object");
	mf_member_name(expect, sizeof expect, mm->object, mm->type);
	if (strcmp(expect, mm->name) != 0)
		return fail(ps, section, "", "member name does not match its object and type");
	return 1;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct parse *ps = user;

	if (ps->failed)
		return 0;
	if (!strcmp(section, "bundle")) {
		if (ps->cur)
			return fail(ps, section, name, "[bundle] must come before the members");
		return bundle_key(ps, section, name, value);
	}
	/* [member] sections, each starting with its name: inih cuts section
	 * names at 49 bytes, too short for the longest member names. */
	if (!strcmp(section, "member")) {
		char sect[128];
		size_t i;

		if (strcmp(name, "name") != 0) {
			if (!ps->cur)
				return fail(ps, section, name, "a member starts with its name");
			snprintf(sect, sizeof sect, "member %s", ps->cur->name);
			return member_key(ps, sect, name, value);
		}
		if (!member_done(ps))
			return 0;
		snprintf(sect, sizeof sect, "member %s", value);
		if (strlen(value) >= sizeof ps->cur->name || !*value)
			return fail(ps, section, name, "member name too long or empty");
		for (i = 0; i < ps->m->nmembers; i++)
			if (!strcmp(ps->m->members[i].name, value))
				return fail(ps, sect, name, "member listed twice");
		if (ps->m->nmembers >= MF_MAX_MEMBERS)
			return fail(ps, sect, name, "too many members");
		ps->cur = mf_add_member(ps->m);
		snprintf(ps->cur->name, sizeof ps->cur->name, "%s", value);
		ps->mseen = 0;
		return 1;
	}
	return fail(ps, section, name, "unknown section");
}

int mf_parse(const char *text, size_t n, struct manifest *m, struct sb *err)
{
	struct parse ps;
	char *copy;
	int rc;

	memset(m, 0, sizeof *m);
	memset(&ps, 0, sizeof ps);
	ps.m = m;
	ps.err = err;
	if (n > MF_MAX_BYTES || memchr(text, '\0', n) || !val_utf8_ok(text, n)) {
		sb_reset(err);
		if (n > MF_MAX_BYTES)
			sb_addf(err, "manifest: longer than %d bytes", MF_MAX_BYTES);
		else if (memchr(text, '\0', n))
			sb_addstr(err, "manifest: contains a NUL byte");
		else
			sb_addstr(err, "manifest: not UTF-8 text");
		return -1;
	}
	copy = xstrndup(text, n);
	ini_strict();
	rc = ini_parse_string(copy, handler, &ps);
	free(copy);
	if (!ps.failed && rc != 0) {
		sb_reset(err);
		sb_addf(err, "manifest: line %d: not a section or name = value", rc);
		ps.failed = 1;
	}
	if (!ps.failed)
		member_done(&ps);
	if (!ps.failed && (ps.seen & B_ALL) != B_ALL) {
		sb_reset(err);
		sb_addf(err, "manifest: [bundle] %s: missing",
			first_missing(B_ALL, ps.seen, bundle_names));
		ps.failed = 1;
	}
	if (ps.failed) {
		mf_free(m);
		return -1;
	}
	return 0;
}
