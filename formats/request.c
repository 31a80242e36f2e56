/* request.c - the request member; see request.h. */
#include "request.h"
#include "fieldset.h"
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

const char *rq_what_name(enum rq_what w)
{
	switch (w) {
	case RQ_VERIFY: return "verify";
	case RQ_EXPAND: return "expand";
	case RQ_RECORDS: return "records";
	case RQ_RESYNC: return "resync";
	}
	return "verify";
}

void rq_init(struct request *r, enum rq_what what)
{
	memset(r, 0, sizeof *r);
	r->what = what;
	r->objects = xstrdup("");
	r->fields = xstrdup("");
}

void rq_free(struct request *r)
{
	free(r->objects);
	free(r->fields);
	r->objects = r->fields = NULL;
}

void rq_encode(const struct request *r, struct sb *out)
{
	sb_addf(out, "[request]\nwhat = %s\nrequest = %" PRIu64 "\ndigest = %" PRIu64
		"\nform = %s\nobjects = %s\nschool = %s\nfields = %s\nfull = %d\n",
		rq_what_name(r->what), r->request, r->digest, r->tree ? "tree" : "full",
		r->objects ? r->objects : "", r->school, r->fields ? r->fields : "", r->full);
	if (r->expires[0])
		sb_addf(out, "expires = %s\n", r->expires);
}

int rq_expired(const struct request *r, const char *now)
{
	/* the fixed-width form orders as text */
	return r->expires[0] && strcmp(now, r->expires) >= 0;
}

int rq_has_object(const struct request *r, const char *name)
{
	const char *p = r->objects;
	size_t n = strlen(name);

	if (!p || !*p)
		return 1;
	while (*p) {
		const char *e = strchr(p, ';');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && !memcmp(p, name, n))
			return 1;
		p += len;
		if (*p == ';')
			p++;
	}
	return 0;
}

enum {
	K_WHAT = 1 << 0, K_REQUEST = 1 << 1, K_DIGEST = 1 << 2, K_FORM = 1 << 3,
	K_OBJECTS = 1 << 4, K_SCHOOL = 1 << 5, K_FIELDS = 1 << 6, K_FULL = 1 << 7,
	K_ALL = (1 << 8) - 1,	/* required */
	K_EXPIRES = 1 << 8
};
static const char *const key_names[] = {
	"what", "request", "digest", "form", "objects", "school", "fields", "full", "expires"
};

struct parse {
	struct request *r;
	struct sb *why;
	unsigned seen;
	int failed;
};

static int fail(struct parse *ps, const char *name, const char *reason)
{
	if (!ps->failed) {
		if (*name)
			sb_addf(ps->why, "request: %s: %s", name, reason);
		else
			sb_addf(ps->why, "request: %s", reason);
	}
	ps->failed = 1;
	return 0;
}

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

/* ';'-separated registry object names, each once; "" allowed. */
static int objects_ok(const char *v)
{
	const char *p = v;

	while (*p) {
		const char *e = strchr(p, ';');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (!len || !reg_find_n(p, len))
			return 0;
		p += len;
		if (*p == ';' && !*++p)
			return 0;
	}
	return 1;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct parse *ps = user;
	struct request *r = ps->r;
	unsigned bit;
	size_t i;

	if (ps->failed)
		return 0;
	if (strcmp(section, "request") != 0)
		return fail(ps, "", "unknown section");
	for (i = 0, bit = 0; i < sizeof key_names / sizeof *key_names; i++)
		if (!strcmp(name, key_names[i]))
			bit = 1u << i;
	if (!bit)
		return fail(ps, name, "unknown field");
	if (ps->seen & bit)
		return fail(ps, name, "given twice");
	ps->seen |= bit;
	switch (bit) {
	case K_WHAT:
		if (!strcmp(value, "verify"))
			r->what = RQ_VERIFY;
		else if (!strcmp(value, "expand"))
			r->what = RQ_EXPAND;
		else if (!strcmp(value, "records"))
			r->what = RQ_RECORDS;
		else if (!strcmp(value, "resync"))
			r->what = RQ_RESYNC;
		else
			return fail(ps, name, "not verify, expand, records or resync");
		break;
	case K_REQUEST:
		if (parse_u64(value, &r->request) < 0)
			return fail(ps, name, "not a sequence number");
		break;
	case K_DIGEST:
		if (parse_u64(value, &r->digest) < 0)
			return fail(ps, name, "not a sequence number");
		break;
	case K_FORM:
		if (strcmp(value, "tree") && strcmp(value, "full"))
			return fail(ps, name, "not tree or full");
		r->tree = !strcmp(value, "tree");
		break;
	case K_OBJECTS:
		if (!objects_ok(value))
			return fail(ps, name, "not a ';'-separated list of objects");
		free(r->objects);
		r->objects = xstrdup(value);
		break;
	case K_SCHOOL:
		if (*value && (!val_integer_ok(value, strlen(value)) || !mf_district_ok(value)))
			return fail(ps, name, "not a school number");
		snprintf(r->school, sizeof r->school, "%s", value);
		break;
	case K_FIELDS: {
		struct fieldset fs;
		struct sb err = SB_INIT;
		int bad = fs_parse(&fs, value, &err) < 0;

		if (!bad)
			fs_free(&fs);
		sb_release(&err);
		if (bad)
			return fail(ps, name, "names a field no object has");
		free(r->fields);
		r->fields = xstrdup(value);
		break;
	}
	case K_FULL:
		if (strcmp(value, "0") && strcmp(value, "1"))
			return fail(ps, name, "not 0 or 1");
		r->full = value[0] == '1';
		break;
	case K_EXPIRES:
		if (!mf_time_ok(value))
			return fail(ps, name, "not a UTC time YYYY-MM-DDTHH:MM:SSZ");
		snprintf(r->expires, sizeof r->expires, "%s", value);
		break;
	}
	return 1;
}

int rq_parse(const char *text, size_t n, struct request *r, struct sb *why)
{
	struct parse ps;
	char *copy;
	int rc;

	rq_init(r, RQ_VERIFY);
	memset(&ps, 0, sizeof ps);
	ps.r = r;
	ps.why = why;
	if (n > RQ_MAX_BYTES || memchr(text, '\0', n) || !val_utf8_ok(text, n)) {
		sb_addstr(why, "request: not UTF-8 text of at most 64 KiB");
		rq_free(r);
		return -1;
	}
	copy = xstrndup(text, n);
	ini_strict();
	rc = ini_parse_string(copy, handler, &ps);
	free(copy);
	if (!ps.failed && rc != 0) {
		sb_addf(why, "request: line %d: not a section or name = value", rc);
		ps.failed = 1;
	}
	if (!ps.failed && (ps.seen & K_ALL) != K_ALL) {
		size_t i;

		for (i = 0; (ps.seen >> i) & 1; i++)
			;
		sb_addf(why, "request: %s: missing", key_names[i]);
		ps.failed = 1;
	}
	if (ps.failed) {
		rq_free(r);
		return -1;
	}
	return 0;
}
