/*
 * changes.c - 'edsync changes': the change files the district's system
 * dropped in changes/ become change bundles (sync on save).
 *
 * A change file is changes/<Object>.<anything>.csv: a first column _op
 * (upsert | delete), then fields of the object (objcsv.h, OBJCSV_OPS).
 * Files still being written are left alone: names starting with '.' or
 * ending in ".part", and files changed less than the settle time ago.
 * Settled files are taken oldest first (modification time, then name):
 *
 *   - a file that cannot be read as a whole (no such object, a bad header,
 *     not CSV) is set aside in var/changes/rejected/ with a .reason file;
 *   - a bad row is reported (file:line: field: reason) and kept in the
 *     rejects file; the file's other rows go on;
 *   - an upsert that data setup withholds (its own rules, the year) goes
 *     as a delete, so that the state does not keep what it should not hold;
 *   - each upsert carries the fields that sync on save (and the key).
 *
 * Every file of one run goes into one bundle, in order: per record only
 * what the state needs to end where the files end (upsert then upsert:
 * the last; then delete: the delete; a delete then an upsert: both, so
 * fields the upsert does not carry are not taken from the deleted record).
 * A file whose fields differ from those already in the bundle for its
 * object starts the next bundle.
 *
 * Exactly once: before a bundle is committed, var/changes/pending names
 * its sequence and its files (with device, inode, size and time); after,
 * the files move to var/changes/done/ and the journal goes.  A run finding
 * the journal moves the files of a committed bundle (still the same
 * files), or forgets the journal of one that never reached the outbox.
 */
#include "stages.h"
#include "../formats/bundle.h"
#include "../formats/chgrow.h"
#include "../formats/csvr.h"
#include "../formats/csvw.h"
#include "../formats/keys.h"
#include "../formats/manifest.h"
#include "../formats/objcsv.h"
#include "../formats/registry.h"
#include "../formats/withhold.h"
#include "../pipeline/cli.h"
#include "../pipeline/home.h"
#include "../pipeline/outbox.h"
#include "../pipeline/rejects.h"
#include "../spool/spool.h"
#include "../util/fsio.h"
#include "../util/keyset.h"
#include "../util/msg.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

/* A bundle closes after this many rows, so one stays a manageable size. */
#define BATCH_ROWS 1000000

/* One record's net change in a batch. */
struct entry {
	size_t key_off, key_len;
	size_t row_off, row_len;	/* the upsert row (CSV line), when ups */
	unsigned char del, ups;
};

/* One object's part of a batch. */
struct objbatch {
	unsigned char carry[REG_MAX_FIELDS];	/* the member's fields */
	int used;
	struct keyset *idx;			/* key hash -> entry index + 1 */
	struct entry *e;
	size_t n, cap;
	struct sb keys, rows;
	uint64_t upserts, deletes;		/* rows read */
};

/* A settled change file. */
struct cfile {
	char *name;
	const struct reg_object *o;		/* NULL: no such object */
	struct stat st;
};

/* One file's rows, read before they join the batch (a file goes whole). */
struct fileops {
	const struct reg_object *o;
	struct objcsv *oc;
	struct withhold *wh;
	struct rejects *rj, *wj;
	const char *label;
	unsigned char carry[REG_MAX_FIELDS];
	int have_carry;
	struct sb ops;		/* per op: 1 byte op, 4 bytes key length, key, 4 bytes row length, row */
	struct sb key, row, pfields, preasons;
	uint64_t n, bad;
};

struct run {
	struct home *h;
	struct objbatch *ob;	/* by object index */
	struct cfile **files;	/* of the batch */
	size_t nfiles;
	uint64_t rows;		/* ops in the batch */
	struct rejects *rj, *wj;
	struct withhold *wh;
	struct changes_result *res;
	es_status worst;
};

static void batch_reset(struct run *r)
{
	size_t i;

	for (i = 0; i < reg_count(); i++) {
		struct objbatch *b = &r->ob[i];

		keyset_free(b->idx);
		free(b->e);
		sb_release(&b->keys);
		sb_release(&b->rows);
		memset(b, 0, sizeof *b);
	}
	for (i = 0; i < r->nfiles; i++) {
		free(r->files[i]->name);
		free(r->files[i]);
	}
	r->nfiles = 0;
	r->rows = 0;
}

/* ---- reading one file ---- */

static void put32(struct sb *s, size_t n)
{
	unsigned char b[4] = { (unsigned char)n, (unsigned char)(n >> 8),
			       (unsigned char)(n >> 16), (unsigned char)(n >> 24) };

	sb_add(s, b, 4);
}

static size_t get32(const char *p)
{
	const unsigned char *b = (const unsigned char *)p;

	return (size_t)b[0] | (size_t)b[1] << 8 | (size_t)b[2] << 16 | (size_t)b[3] << 24;
}

/* The member's fields: the file's fields that sync on save, and the key. */
static void take_carry(struct fileops *f)
{
	const struct reg_object *o = f->o;
	size_t i;

	for (i = 0; i < o->nfields; i++)
		f->carry[i] = objcsv_has_field(f->oc, i) &&
			      (o->fields[i].flags & (REG_SAVE | REG_KEY)) != 0;
	f->have_carry = 1;
}

/* The CSV line of an op (chgrow.h). */
static void op_row(struct fileops *f, int del, const struct rec_val *v)
{
	sb_reset(&f->row);
	if (del)
		chg_delete(&f->row, f->o, f->carry, v);
	else
		chg_upsert(&f->row, f->o, f->carry, v);
}

static int on_op(void *ctx, const struct rec_val *v, uint64_t line)
{
	struct fileops *f = ctx;
	int del = objcsv_op(f->oc) == OBJCSV_DELETE;
	size_t field;

	if (!f->have_carry)
		take_carry(f);
	if (!del) {
		int cause = wh_check(f->wh, f->o, v, &field);

		if (cause >= 0) {
			char buf[128];

			/* not for the state: if it holds the record, it goes */
			rejects_add_record(f->wj, f->label, line, f->o->fields[field].name,
					   wh_cause_name(f->wh, f->o, cause, buf, sizeof buf),
					   f->o, v);
			del = 1;
		}
	}
	sb_reset(&f->key);
	rec_key_encode(f->o, v, &f->key);
	op_row(f, del, v);
	sb_addch(&f->ops, del ? 'd' : 'u');
	put32(&f->ops, f->key.len);
	sb_add(&f->ops, f->key.buf, f->key.len);
	put32(&f->ops, f->row.len);
	sb_add(&f->ops, f->row.buf, f->row.len);
	f->n++;
	return 0;
}

static void on_bad(void *ctx, const struct objcsv_reject *r)
{
	struct fileops *f = ctx;

	if (r->header)
		return;		/* the whole file is set aside, with this reason */
	if (r->field)
		msg_error("%s:%" PRIu64 ": %s: %s", f->label, r->line, r->field, r->reason);
	else
		msg_error("%s:%" PRIu64 ": %s", f->label, r->line, r->reason);
	if (f->pfields.len || f->preasons.len) {
		sb_addch(&f->pfields, ';');
		sb_addstr(&f->preasons, "; ");
	}
	sb_addstr(&f->pfields, r->field ? r->field : "");
	sb_addstr(&f->preasons, r->reason);
	if (!r->last)
		return;
	rejects_add(f->rj, f->label, r->line, f->pfields.buf, f->preasons.buf, r->raw);
	sb_reset(&f->pfields);
	sb_reset(&f->preasons);
	f->bad++;
}

/* The reason a whole file is unusable, from its header's reject. */
struct header_why {
	struct fileops *f;
	struct sb why;
};

static void on_bad_or_header(void *ctx, const struct objcsv_reject *r)
{
	struct header_why *hw = ctx;

	if (r->header && !hw->why.len)
		sb_addf(&hw->why, "line %" PRIu64 ": %s%s%s", r->line, r->field ? r->field : "",
			r->field ? ": " : "", r->reason);
	on_bad(hw->f, r);
}

static int on_op_hw(void *ctx, const struct rec_val *v, uint64_t line)
{
	return on_op(((struct header_why *)ctx)->f, v, line);
}

/*
 * Read file cf into f.  ES_OK: its rows are in f (bad rows reported);
 * ES_DATA: unusable as a whole, why says why; ES_IO: cannot be read now.
 */
static es_status read_file(struct run *r, const struct cfile *cf, struct fileops *f,
			   struct sb *why)
{
	char *path = xasprintf("%s/%s/%s", r->h->dir, HOME_CHANGES, cf->name);
	struct header_why hw;
	es_status st = ES_OK;
	int fd = fsio_open_input(path), rc;

	free(path);
	if (fd < 0) {
		if (errno == ELOOP || errno == EINVAL) {
			sb_addstr(why, "not a regular file");
			return ES_DATA;
		}
		msg_error("%s: %s", f->label, strerror(errno));
		return ES_IO;
	}
	memset(&hw, 0, sizeof hw);
	hw.f = f;
	f->oc = objcsv_new(cf->o, OBJCSV_OPS, on_op_hw, on_bad_or_header, &hw);
	rc = objcsv_feed_fd(f->oc, fd);
	if (rc < 0) {
		msg_error("%s: read failed: %s", f->label, strerror(errno));
		st = ES_IO;
	} else if (rc == 0) {
		objcsv_finish(f->oc);
	}
	close(fd);
	if (st == ES_OK && !objcsv_header_ok(f->oc)) {
		sb_addstr(why, hw.why.len ? hw.why.buf : "no usable header");
		st = ES_DATA;
	}
	if (st == ES_OK && !f->have_carry)
		take_carry(f);
	sb_release(&hw.why);
	return st;
}

/* ---- the batch ---- */

static void batch_add(struct objbatch *b, char op, const char *key, size_t klen,
		      const char *row, size_t rlen)
{
	uint64_t h = XXH3_64bits(key, klen);
	uint64_t at = b->idx ? keyset_find(b->idx, h) : 0;
	struct entry *e = NULL;

	if (at && b->e[at - 1].key_len == klen &&
	    !memcmp(b->keys.buf + b->e[at - 1].key_off, key, klen))
		e = &b->e[at - 1];
	if (!e) {
		/* (a 64-bit collision between two keys only costs the second its
		 * merging: both go, each in its own entry) */
		if (b->n == b->cap) {
			b->cap = b->cap ? 2 * b->cap : 256;
			b->e = xrealloc(b->e, b->cap * sizeof *b->e);
		}
		e = &b->e[b->n++];
		memset(e, 0, sizeof *e);
		e->key_off = b->keys.len;
		e->key_len = klen;
		sb_add(&b->keys, key, klen);
		if (!b->idx)
			b->idx = keyset_new();
		if (!at)
			keyset_add(b->idx, h, b->n);
	}
	if (op == 'd') {
		/* whatever came before, the record ends deleted */
		e->del = 1;
		e->ups = 0;
		b->deletes++;
	} else {
		/* the newest upsert replaces an older one; after a delete both go */
		e->ups = 1;
		e->row_off = b->rows.len;
		e->row_len = rlen;
		sb_add(&b->rows, row, rlen);
		b->upserts++;
	}
}

static void batch_take(struct run *r, struct fileops *f)
{
	struct objbatch *b = &r->ob[f->o->index];
	size_t p = 0;

	if (!b->used) {
		memcpy(b->carry, f->carry, sizeof b->carry);
		b->used = 1;
	}
	while (p < f->ops.len) {
		char op = f->ops.buf[p];
		size_t klen = get32(f->ops.buf + p + 1), rlen;
		const char *key = f->ops.buf + p + 5, *row;

		rlen = get32(key + klen);
		row = key + klen + 4;
		batch_add(b, op, key, klen, row, rlen);
		p += 1 + 4 + klen + 4 + rlen;
	}
	r->rows += f->n;
}

/* ---- the journal ---- */

static char *journal_path(const struct home *h)
{
	return home_path(h, HOME_CHANGES_PENDING);
}

static es_status journal_write(struct run *r, uint64_t seq)
{
	struct sb t = SB_INIT;
	char *path = journal_path(r->h);
	es_status st = ES_OK;
	size_t i;

	sb_addf(&t, "%" PRIu64 "\n", seq);
	for (i = 0; i < r->nfiles; i++) {
		const struct stat *s = &r->files[i]->st;

		sb_addf(&t, "%ju %ju %jd %jd.%09ld %s\n", (uintmax_t)s->st_dev,
			(uintmax_t)s->st_ino, (intmax_t)s->st_size, (intmax_t)s->st_mtim.tv_sec,
			s->st_mtim.tv_nsec, r->files[i]->name);
	}
	if (fsio_write_atomic(path, t.buf, t.len, 0600) < 0) {
		msg_error("%s: cannot write: %s", path, strerror(errno));
		st = ES_IO;
	}
	sb_release(&t);
	free(path);
	return st;
}

static es_status journal_clear(const struct home *h)
{
	char *path = journal_path(h), *dir = home_path(h, "var/changes");
	es_status st = ES_OK;

	if ((unlink(path) < 0 && errno != ENOENT) || fsio_fsync_dir(dir) < 0) {
		msg_error("%s: cannot remove: %s", path, strerror(errno));
		st = ES_IO;
	}
	free(path);
	free(dir);
	return st;
}

/* Move a processed file to var/changes/done/, if it is still the one read. */
static es_status file_done(const struct home *h, const char *name, const struct stat *was)
{
	char *dir = home_path(h, HOME_CHANGES), *done = home_path(h, HOME_CHANGES_DONE);
	char *path = xpath(dir, name);
	struct stat now;
	es_status st = ES_OK;

	if (lstat(path, &now) == 0 && now.st_dev == was->st_dev && now.st_ino == was->st_ino &&
	    now.st_size == was->st_size && now.st_mtim.tv_sec == was->st_mtim.tv_sec &&
	    now.st_mtim.tv_nsec == was->st_mtim.tv_nsec &&
	    spool_move(dir, name, done, NULL) != ES_OK) {
		msg_error("%s/%s: cannot move it to %s: %s", HOME_CHANGES, name, HOME_CHANGES_DONE,
			  strerror(errno));
		st = ES_IO;
	}
	free(path);
	free(dir);
	free(done);
	return st;
}

/*
 * What a crash left: the files of a committed bundle are moved now; the
 * journal of a bundle that never reached the outbox is dropped (its files
 * are still in changes/ and go into the next bundle).
 */
static es_status journal_recover(const struct home *h, uint64_t *moved)
{
	char *path = journal_path(h);
	struct sb t = SB_INIT;
	uint64_t seq, next = 0;
	es_status st = ES_OK;
	char *line, *save = NULL;

	*moved = 0;
	if (!fsio_exists(path)) {
		free(path);
		return ES_OK;
	}
	if (fsio_read_file(path, 1 << 26, &t) < 0) {
		msg_error("%s: %s", path, strerror(errno));
		free(path);
		return ES_IO;
	}
	free(path);
	seq = strtoull(t.buf ? t.buf : "0", NULL, 10);
	st = outbox_next_seq(h, &next);
	if (st == ES_OK && seq && next > seq) {
		line = strtok_r(t.buf, "\n", &save);	/* the sequence */
		while (st == ES_OK && (line = strtok_r(NULL, "\n", &save)) != NULL) {
			struct stat was;
			uintmax_t dev, ino;
			intmax_t size, sec;
			long nsec;
			int off = 0;

			memset(&was, 0, sizeof was);
			if (sscanf(line, "%ju %ju %jd %jd.%ld %n", &dev, &ino, &size, &sec, &nsec,
				   &off) != 5 || !off)
				continue;
			was.st_dev = (dev_t)dev;
			was.st_ino = (ino_t)ino;
			was.st_size = (off_t)size;
			was.st_mtim.tv_sec = (time_t)sec;
			was.st_mtim.tv_nsec = nsec;
			st = file_done(h, line + off, &was);
			if (st == ES_OK)
				(*moved)++;
		}
	}
	if (st == ES_OK)
		st = journal_clear(h);
	sb_release(&t);
	return st;
}

/* ---- writing a bundle ---- */

static es_status write_member(struct bundle_writer *bw, const struct reg_object *o,
			      struct objbatch *b, uint64_t *rows)
{
	struct sb head = SB_INIT, dl = SB_INIT;
	es_status st;
	size_t i;

	*rows = 0;
	chg_header(&head, o, b->carry);
	st = bw_member_begin(bw, o->name, MF_CHANGES, 0, 0);
	if (st == ES_OK)
		st = bw_member_write(bw, head.buf, head.len);
	for (i = 0; st == ES_OK && i < b->n; i++) {
		const struct entry *e = &b->e[i];

		if (e->del) {
			struct rec_val v[REG_MAX_FIELDS];

			/* the delete row from the key alone */
			if (rec_key_decode(o, b->keys.buf + e->key_off, e->key_len, v) < 0) {
				st = ES_SOFTWARE;
				break;
			}
			sb_reset(&dl);
			chg_delete(&dl, o, b->carry, v);
			st = bw_member_write(bw, dl.buf, dl.len);
			(*rows)++;
		}
		if (st == ES_OK && e->ups) {
			st = bw_member_write(bw, b->rows.buf + e->row_off, e->row_len);
			(*rows)++;
		}
	}
	if (st == ES_OK)
		st = bw_member_end(bw, *rows);
	else
		bw_member_abort(bw);
	sb_release(&head);
	sb_release(&dl);
	return st;
}

/* The batch as one change bundle, then its files moved to done. */
static es_status flush(struct run *r, const struct key_secret *k)
{
	struct bundle_writer *bw;
	struct manifest head;
	char *scratch, name[128];
	uint64_t seq = 0, ups = 0, dels = 0;
	es_status st;
	size_t i;

	if (!r->nfiles)
		return ES_OK;
	memset(&head, 0, sizeof head);
	scratch = home_path(r->h, HOME_OUTBOX "/" SPOOL_TMP);
	bw = bw_new(scratch);
	st = outbox_next_seq(r->h, &seq);
	for (i = 0; st == ES_OK && i < reg_count(); i++) {
		struct objbatch *b = &r->ob[i];
		uint64_t rows;
		size_t j;

		if (!b->used || !b->n)
			continue;
		st = write_member(bw, reg_at(i), b, &rows);
		for (j = 0; j < b->n; j++) {
			ups += b->e[j].ups;
			dels += b->e[j].del;
		}
		if (st != ES_OK)
			msg_error("%s: cannot stage the member: %s", HOME_OUTBOX, strerror(errno));
	}
	if (st == ES_OK)
		st = journal_write(r, seq);
	if (st == ES_OK && bw_member_count(bw)) {
		snprintf(head.kind, sizeof head.kind, "changes");
		snprintf(head.scope, sizeof head.scope, "objects");
		st = outbox_commit(r->h, bw, &head, k, seq, name, sizeof name);
		if (st == ES_OK) {
			printf("changes: %zu file%s: %" PRIu64 " upsert%s, %" PRIu64 " delete%s -> "
			       "%s/%s (sequence %" PRIu64 ")\n", r->nfiles, r->nfiles == 1 ? "" : "s",
			       ups, ups == 1 ? "" : "s", dels, dels == 1 ? "" : "s", HOME_OUTBOX,
			       name, seq);
			r->res->bundles++;
			snprintf(r->res->last_bundle, sizeof r->res->last_bundle, "%s", name);
		}
	} else if (st == ES_OK) {
		/* every row bad or withheld away: nothing to send, the files are done */
		printf("changes: %zu file%s: nothing to send\n", r->nfiles,
		       r->nfiles == 1 ? "" : "s");
	}
	for (i = 0; st == ES_OK && i < r->nfiles; i++)
		st = file_done(r->h, r->files[i]->name, &r->files[i]->st);
	if (st == ES_OK) {
		r->res->files += r->nfiles;
		st = journal_clear(r->h);
	}
	bw_free(bw);
	mf_free(&head);
	free(scratch);
	batch_reset(r);
	return st;
}

/* ---- the folder ---- */

static int cfile_cmp(const void *a, const void *b)
{
	const struct cfile *x = *(const struct cfile *const *)a;
	const struct cfile *y = *(const struct cfile *const *)b;

	if (x->st.st_mtim.tv_sec != y->st.st_mtim.tv_sec)
		return x->st.st_mtim.tv_sec < y->st.st_mtim.tv_sec ? -1 : 1;
	if (x->st.st_mtim.tv_nsec != y->st.st_mtim.tv_nsec)
		return x->st.st_mtim.tv_nsec < y->st.st_mtim.tv_nsec ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The object a change file name names: <Object>.<anything>.csv or <Object>.csv */
static const struct reg_object *object_of(const char *name)
{
	size_t len = strlen(name), n;
	char obj[64];

	if (len < 5 || strcmp(name + len - 4, ".csv"))
		return NULL;
	n = strcspn(name, ".");
	if (n == 0 || n >= sizeof obj)
		return NULL;
	memcpy(obj, name, n);
	obj[n] = '\0';
	return reg_find(obj);
}

/* Settled files of changes/, oldest first; *waiting counts those that are not yet. */
static es_status list_files(const struct home *h, long settle_ms, struct cfile ***out,
			    size_t *nout, struct changes_result *res)
{
	char *dir = home_path(h, HOME_CHANGES), **names;
	struct timespec now;
	size_t n, i;
	es_status st = spool_list(dir, "", &names, &n);

	*out = NULL;
	*nout = 0;
	if (st != ES_OK) {
		msg_error("%s: cannot list: %s", dir, strerror(errno));
		free(dir);
		return ES_IO;
	}
	clock_gettime(CLOCK_REALTIME, &now);
	for (i = 0; i < n; i++) {
		char *path = xpath(dir, names[i]);
		struct cfile *cf;
		struct stat s;
		long age_ms;

		if (lstat(path, &s) < 0 || S_ISDIR(s.st_mode)) {
			free(path);
			free(names[i]);
			continue;
		}
		free(path);
		age_ms = (long)((now.tv_sec - s.st_mtim.tv_sec) * 1000 +
				(now.tv_nsec - s.st_mtim.tv_nsec) / 1000000);
		if (age_ms < settle_ms) {
			long left = settle_ms - age_ms;

			res->waiting++;
			if (!res->next_ms || left < res->next_ms)
				res->next_ms = left;
			free(names[i]);
			continue;
		}
		cf = xcalloc(1, sizeof *cf);
		cf->name = names[i];
		cf->o = object_of(names[i]);
		cf->st = s;
		*out = xrealloc(*out, (*nout + 1) * sizeof **out);
		(*out)[(*nout)++] = cf;
	}
	free(names);
	free(dir);
	if (*nout)
		qsort(*out, *nout, sizeof **out, cfile_cmp);
	return ES_OK;
}

/* Set a file aside, with the reason beside it. */
static es_status set_aside(struct run *r, const char *name, const char *reason)
{
	char *dir = home_path(r->h, HOME_CHANGES), *rej = home_path(r->h, HOME_CHANGES_REJECTED);
	char *final = NULL, *rpath, *text, now[24];
	es_status st = ES_OK;

	msg_error("%s/%s: set aside in %s: %s", HOME_CHANGES, name, HOME_CHANGES_REJECTED, reason);
	r->res->set_aside++;
	if (spool_move(dir, name, rej, &final) != ES_OK) {
		msg_error("%s/%s: cannot move it to %s: %s", HOME_CHANGES, name,
			  HOME_CHANGES_REJECTED, strerror(errno));
		st = ES_IO;
	} else {
		outbox_now(now);
		rpath = xasprintf("%s/%s.reason", rej, final);
		text = xasprintf("file: %s\nrefused: %s\nat: %s\n", name, reason, now);
		if (fsio_write_atomic(rpath, text, strlen(text), 0600) < 0) {
			msg_error("%s: cannot write: %s", rpath, strerror(errno));
			st = ES_IO;
		}
		free(text);
		free(rpath);
	}
	free(final);
	free(dir);
	free(rej);
	return st;
}

static es_status one_file(struct run *r, struct cfile *cf, const struct key_secret *k)
{
	struct fileops f;
	struct sb why = SB_INIT;
	char *label = xasprintf("%s/%s", HOME_CHANGES, cf->name);
	es_status st;

	memset(&f, 0, sizeof f);
	f.o = cf->o;
	f.wh = r->wh;
	f.rj = r->rj;
	f.wj = r->wj;
	f.label = label;
	if (!cf->o) {
		sb_addstr(&why, "not a change file: the name is not <Object>.<anything>.csv of a "
			  "synced object ('edsync objects' lists them)");
		st = ES_DATA;
	} else if (!reg_sent_by_state(cf->o, r->h->cfg.state)) {
		sb_addf(&why, "districts of %s do not send %s", r->h->cfg.state, cf->o->name);
		st = ES_DATA;
	} else {
		st = read_file(r, cf, &f, &why);
	}
	if (st == ES_DATA) {
		r->worst = es_worst(r->worst, ES_DATA);
		st = set_aside(r, cf->name, why.buf);
		free(cf->name);
		free(cf);
		goto out;
	}
	if (st != ES_OK) {
		/* left in changes/ for the next run */
		r->worst = es_worst(r->worst, st);
		free(cf->name);
		free(cf);
		st = ES_OK;
		goto out;
	}
	if (f.bad)
		r->worst = es_worst(r->worst, ES_DATA);
	r->res->rejected += f.bad;
	/* a file with other fields, or a full batch: the batch goes first */
	if ((r->ob[cf->o->index].used &&
	     memcmp(r->ob[cf->o->index].carry, f.carry, sizeof f.carry)) ||
	    r->rows + f.n > BATCH_ROWS)
		st = flush(r, k);
	if (st == ES_OK) {
		batch_take(r, &f);
		r->files = xrealloc(r->files, (r->nfiles + 1) * sizeof *r->files);
		r->files[r->nfiles++] = cf;
	}
out:
	objcsv_free(f.oc);
	sb_release(&f.ops);
	sb_release(&f.key);
	sb_release(&f.row);
	sb_release(&f.pfields);
	sb_release(&f.preasons);
	sb_release(&why);
	free(label);
	return st;
}

es_status changes_process(struct home *h, long settle_ms, struct changes_result *res)
{
	struct run r;
	struct key_secret *k = NULL;
	struct cfile **files = NULL;
	uint64_t moved = 0;
	size_t nfiles = 0, i;
	char *outbox = home_path(h, HOME_OUTBOX), *rejpath = NULL, *whpath = NULL;
	es_status st;

	memset(res, 0, sizeof *res);
	memset(&r, 0, sizeof r);
	r.h = h;
	r.res = res;
	spool_make(outbox);
	spool_clean(outbox);
	free(outbox);
	st = home_secret_key(h, &k);
	if (st == ES_OK)
		st = journal_recover(h, &moved);
	if (st != ES_OK)
		goto out;
	if (moved)
		msg_warn("%s: %" PRIu64 " file%s of a bundle committed before a crash moved to %s",
			 HOME_CHANGES, moved, moved == 1 ? "" : "s", HOME_CHANGES_DONE);
	st = list_files(h, settle_ms, &files, &nfiles, res);
	if (st != ES_OK || !nfiles)
		goto out;
	r.ob = xcalloc(reg_count(), sizeof *r.ob);
	r.rj = rejects_new(h, "rejects");
	r.wj = rejects_new(h, "withheld");
	r.wh = wh_new(h->cfg.year);
	for (i = 0; st == ES_OK && i < nfiles; i++) {
		st = one_file(&r, files[i], k);
		files[i] = NULL;	/* the run owns it now, or it is gone */
	}
	if (st == ES_OK)
		st = flush(&r, k);
	if (rejects_count(r.rj) || rejects_count(r.wj)) {
		char base[128], now[24];

		outbox_now(now);
		snprintf(base, sizeof base, "%s-changes-%s", h->cfg.district, now);
		if (rejects_count(r.rj) && rejects_commit(r.rj, base, &rejpath) != ES_OK)
			st = es_worst(st, ES_IO);
		if (rejects_count(r.wj) && rejects_commit(r.wj, base, &whpath) != ES_OK)
			st = es_worst(st, ES_IO);
		if (rejpath)
			printf("changes: %" PRIu64 " row%s rejected: %s\n", res->rejected,
			       res->rejected == 1 ? "" : "s", rejpath);
		if (whpath)
			printf("changes: %" PRIu64 " upsert%s withheld, sent as deletes: %s\n",
			       rejects_count(r.wj), rejects_count(r.wj) == 1 ? "" : "s", whpath);
	}
	st = es_worst(st, r.worst);
out:
	for (i = 0; i < nfiles; i++)
		if (files[i]) {
			free(files[i]->name);
			free(files[i]);
		}
	free(files);
	if (r.ob)
		batch_reset(&r);
	free(r.files);
	free(r.ob);
	rejects_free(r.rj);
	rejects_free(r.wj);
	wh_free(r.wh);
	key_secret_free(k);
	free(rejpath);
	free(whpath);
	return st;
}

es_status cmd_changes(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "settle", required_argument, NULL, 's' },
		CLI_COMMON_OPTIONS
	};
	struct changes_result res;
	struct cli cli;
	struct home h;
	long settle = CHANGES_SETTLE_MS;
	char *end;
	es_status st;
	int c;

	cli_init(&cli, "changes");
	while ((c = cli_next(&cli, argc, argv, opts)) != -1) {
		switch (c) {
		case 's':
			settle = strtol(optarg, &end, 10);
			if (*end || settle < 0 || settle > 3600000)
				return cli_usage(&cli, "--settle wants milliseconds, 0 to 3600000");
			break;
		case CLI_HELP: return ES_OK;
		default: return ES_USAGE;
		}
	}
	if ((st = cli_no_operands(&cli, argc, argv)) != ES_OK)
		return st;
	st = home_start(&h, home_default(cli.home), "changes", CFG_DISTRICT, 1, cli.wait);
	if (st != ES_OK)
		return st;
	st = changes_process(&h, settle, &res);
	if (!res.files && !res.set_aside && st == ES_OK)
		printf("changes: nothing to do%s\n", res.waiting ? " yet (files still settling)" : "");
	home_close(&h);
	return st;
}
