/*
 * manifest.h - a bundle's manifest: what the bundle is and what it holds.
 *
 * The manifest is a short INI text (docs/FORMATS.md has the grammar), the
 * first member of every bundle and the only bytes the signature covers; it
 * carries the BLAKE2b-256 hash of every other member, so one signature
 * authenticates the whole bundle.
 *
 *   [bundle]                      [member]
 *   format = 1                    name = Enrollment.csv
 *   kind = resync                 object = Enrollment
 *   district = 0042               type = records
 *   state = NV                    complete = 1
 *   year = 2027                   bytes = 123456
 *   sequence = 17                 rows = 1200
 *   scope = full                  blake2b = <64 hex>
 *   created = 2026-11-29T21:47:34Z
 *   key = 0123456789abcdef
 *
 * mf_parse() is strict: every [bundle] field is required, unknown sections
 * and keys are errors, every value is checked (district digits, state two
 * capitals, names flat and matching object and type), at most MF_MAX_MEMBERS
 * members.  It is only ever called on bytes whose signature has been
 * checked, and fuzzed all the same.
 */
#ifndef EDSYNC_MANIFEST_H
#define EDSYNC_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

struct sb;

#define MF_FORMAT 1
#define MF_MAX_BYTES 65536
#define MF_MAX_MEMBERS 512
#define MF_ID_MAX 16		/* district ID: 1-16 digits */

enum mf_type {
	MF_RECORDS,	/* <Object>.csv: the records, upserted */
	MF_KEEP,	/* <Object>.keep.csv: keys of rows rejected at the district;
			 * the state keeps what it holds for them */
	MF_DIGEST,	/* <Object>.digest.csv: key fields and XXH3-128 per record */
	MF_RECEIPT,	/* receipt.csv (object "receipt"): what the state did with
			 * a district's bundles */
	MF_KEY,		/* key.pub (object "key"): a district's new public key,
			 * announced under its old one */
	MF_CHANGES,	/* <Object>.changes.csv: _op (upsert | delete) and fields,
			 * applied row by row in order */
	MF_TREE,	/* <Object>.tree.csv: key ranges and their hashes
			 * (hashtree.h) */
	MF_KEYS,	/* <Object>.keys.csv: key columns only: the records a
			 * request asks for */
	MF_REQUEST,	/* request.ini (object "request"): what a request asks,
			 * or what a district's answer carries out (request.h) */
	MF_REPORT,	/* report.csv (object "report"): a Verification Summary's
			 * figures (report.h) */
	MF_DETAIL	/* detail.csv (object "detail"): its detail */
};

struct mf_member {
	char name[96];
	char object[64];
	enum mf_type type;
	int complete;		/* records: every record of the object in scope */
	uint64_t bytes;
	uint64_t rows;
	unsigned char blake2b[32];
	uint64_t fields;	/* digest: fingerprint of the hashed field list */
};

struct manifest {
	int format;
	char kind[16];		/* resync | changes | digest | key | verify
				 * (district -> state); receipt | request |
				 * report (state -> district) */
	char district[MF_ID_MAX + 1];
	char state[3];
	int year;
	uint64_t sequence;
	char scope[64];		/* full | objects */
	char created[24];	/* UTC, YYYY-MM-DDTHH:MM:SSZ */
	char key[17];		/* hex id of the signing key */
	size_t nmembers;
	struct mf_member *members;
};

void mf_encode(const struct manifest *m, struct sb *out);
/* 0, or -1 with the reason in err */
int mf_parse(const char *text, size_t n, struct manifest *m, struct sb *err);
void mf_free(struct manifest *m);

/* "<Object>.csv", "<Object>.keep.csv", "<Object>.digest.csv", "receipt.csv",
 * "key.pub" */
void mf_member_name(char *out, size_t size, const char *object, enum mf_type t);
const char *mf_type_name(enum mf_type t);

/* A member added to m (zeroed), growing the array. */
struct mf_member *mf_add_member(struct manifest *m);

/* Is s a district ID: 1-16 digits? */
/* A UTC time as manifests write it: YYYY-MM-DDTHH:MM:SSZ. */
int mf_time_ok(const char *v);
int mf_district_ok(const char *s);
/* Is s a state code: two capitals? */
int mf_state_ok(const char *s);

#endif
