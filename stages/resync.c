/*
 * resync.c - 'edsync resync': a batch resync from source/.
 *
 * Streams source/<Object>.csv of every object in scope through the object
 * reader, writes the good rows (the fields that sync on resync and that the
 * source has) into one signed bundle, reports every bad row and keeps it in
 * the rejects file.  A bad row whose key is sound is listed in the bundle's
 * keep member, so that the state neither changes nor removes what it holds
 * for that key: a typo in one date never deletes a student at the state.
 *
 * Objects are independent: each is one job (util/workers.h), run on as
 * many cores as the machine has; each job's messages are captured and
 * printed in registry order, and the bundle lists members in registry
 * order whatever order they finished in.
 */
#include "stages.h"
#include "scope.h"
#include "../formats/bundle.h"
#include "../formats/csvw.h"
#include "../formats/keys.h"
#include "../formats/objcsv.h"
#include "../formats/manifest.h"
#include "../formats/registry.h"
#include "../formats/school.h"
#include "../formats/withhold.h"
#include "../pipeline/cli.h"
#include "../pipeline/home.h"
#include "../pipeline/outbox.h"
#include "../pipeline/rejects.h"
#include "../spool/spool.h"
#include "../util/fsio.h"
#include "../util/msg.h"
#include "../util/progress.h"
#include "../util/sb.h"
#include "../util/workers.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct tally {
	uint64_t sent, rejected, withheld, out_of_scope;
	uint64_t *by_cause;	/* withheld, by cause (formats/withhold.h) */
	int state;		/* 0 not in scope, 1 sent, 2 no source, 3 unreadable */
};

/* One object's job. */
struct rs {
	struct home *h;
	struct progress *pg;
	const struct resync_how *how;
	struct bundle_writer *bw;
	struct rejects *rj, *wj;
	struct withhold *wh;
	const struct reg_object *o;
	struct bw_member *mem;
	char *label;
	struct objcsv *oc;
	unsigned char carry[REG_MAX_FIELDS];
	size_t ncarry;		/* how many fields are carried */
	int header_written;
	struct sb row, keep, pfields, preasons;
	uint64_t rows, keep_rows;
	es_status io;
	/* the job's outcome */
	int named;
	struct tally t;
	es_status st;
	struct sb msgs;		/* its messages, printed in registry order */
};

static void write_header(struct rs *rs)
{
	const struct reg_object *o = rs->o;
	size_t i, col = 0;

	sb_reset(&rs->row);
	rs->ncarry = 0;
	for (i = 0; i < o->nfields; i++) {
		rs->carry[i] = objcsv_has_field(rs->oc, i) &&
			       (o->fields[i].flags & REG_RESYNC) != 0;
		if (rs->carry[i])
			csvw_cell(&rs->row, col++, o->fields[i].name, strlen(o->fields[i].name));
		rs->ncarry += rs->carry[i];
	}
	csvw_end(&rs->row);
	if (rs->io == ES_OK)
		rs->io = bwm_write(rs->mem, rs->row.buf, rs->row.len);
	rs->header_written = 1;
}

static int on_rec(void *ctx, const struct rec_val *v, uint64_t line)
{
	struct rs *rs = ctx;
	size_t i, field;
	int cause;

	if (!rs->header_written)
		write_header(rs);
	if (rs->how->keep && !rs->how->keep(rs->how->ctx, rs->o, v, line)) {
		rs->t.out_of_scope++;
		return 0;
	}
	cause = wh_check(rs->wh, rs->o, v, &field);
	if (cause >= 0) {
		char buf[128];

		/* Not sent; if the state has it, it is an orphan there now. */
		wh_mark(rs->wh, rs->o, v);
		rs->t.withheld++;
		rs->t.by_cause[cause]++;
		rejects_add_record(rs->wj, rs->label, line, rs->o->fields[field].name,
				   wh_cause_name(rs->wh, rs->o, cause, buf, sizeof buf),
				   rs->o, v);
		return 0;
	}
	sb_reset(&rs->row);
	if (rs->ncarry == rs->o->nfields) {
		csvw_row(&rs->row, v, rs->o->nfields);
	} else {
		struct rec_val c[REG_MAX_FIELDS];
		size_t k = 0;

		for (i = 0; i < rs->o->nfields; i++)
			if (rs->carry[i])
				c[k++] = v[i];
		csvw_row(&rs->row, c, k);
	}
	if (rs->io == ES_OK)
		rs->io = bwm_write(rs->mem, rs->row.buf, rs->row.len);
	rs->rows++;
	return rs->io != ES_OK;
}

static void on_rej(void *ctx, const struct objcsv_reject *r)
{
	struct rs *rs = ctx;

	if (r->field)
		msg_error("%s:%" PRIu64 ": %s: %s", rs->label, r->line, r->field, r->reason);
	else
		msg_error("%s:%" PRIu64 ": %s", rs->label, r->line, r->reason);
	if (rs->pfields.len || rs->preasons.len) {
		sb_addch(&rs->pfields, ';');
		sb_addstr(&rs->preasons, "; ");
	}
	sb_addstr(&rs->pfields, r->field ? r->field : "");
	sb_addstr(&rs->preasons, r->reason);
	if (!r->last)
		return;
	rejects_add(rs->rj, rs->label, r->line, rs->pfields.buf, rs->preasons.buf, r->raw);
	sb_reset(&rs->pfields);
	sb_reset(&rs->preasons);
	if (r->key_ok && !r->header) {
		const struct reg_object *o = rs->o;
		size_t i;

		for (i = 0; i < o->nkeys; i++)
			csvw_cell(&rs->keep, i, r->v[o->key[i]].p, r->v[o->key[i]].n);
		csvw_end(&rs->keep);
		rs->keep_rows++;
	}
}

/* The file into the reader, telling the progress line (if any) as it goes. */
static int feed(struct rs *rs, int fd)
{
	char buf[1 << 16];
	uint64_t rows = 0;

	for (;;) {
		ssize_t got = read(fd, buf, sizeof buf);
		uint64_t now;
		int rc;

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return got < 0 ? -1 : 0;
		rc = objcsv_feed(rs->oc, buf, (size_t)got);
		now = objcsv_good(rs->oc) + objcsv_bad(rs->oc);
		progress_add(rs->pg, (uint64_t)got, now - rows);
		rows = now;
		if (rc)
			return rc;
	}
}

static es_status resync_object(struct rs *rs, const struct reg_object *o, int named,
			       struct tally *t)
{
	char *file;
	es_status st;
	int fd, rc;
	size_t i;

	rs->label = xasprintf("%s/%s.csv", HOME_SOURCE, o->name);
	file = home_path(rs->h, rs->label);
	fd = fsio_open_input(file);
	free(file);
	if (fd < 0) {
		if (errno == ENOENT && !named) {
			t->state = 2;
			return ES_OK;
		}
		msg_error("%s: %s", rs->label, errno == ENOENT ? "no such file" :
			  errno == ELOOP || errno == EINVAL ? "not a regular file" : strerror(errno));
		t->state = 2;
		return errno == ENOENT ? ES_NOINPUT : ES_IO;
	}
	rs->o = o;
	rs->mem = bw_member_open(rs->bw, o->name, MF_RECORDS, rs->how->complete, 0,
				 2 * o->index + 2, &st);
	if (!rs->mem) {
		msg_error("%s: cannot stage the member: %s", HOME_OUTBOX, strerror(errno));
		close(fd);
		return st;
	}
	rs->oc = objcsv_new(o, OBJCSV_UNIQUE, on_rec, on_rej, rs);
	progress_what(rs->pg, o->name);
	rc = feed(rs, fd);
	if (rc < 0 && rs->io == ES_OK) {
		msg_error("%s: read failed: %s", rs->label, strerror(errno));
		rs->io = ES_IO;
	}
	if (rc == 0)
		objcsv_finish(rs->oc);
	close(fd);
	t->rejected = objcsv_bad(rs->oc);
	if (rs->io != ES_OK) {
		bwm_abort(rs->mem);
		st = rs->io;
	} else if (!objcsv_header_ok(rs->oc)) {
		/* Not sent at all: the state keeps what it has for this object. */
		bwm_abort(rs->mem);
		t->state = 3;
		st = ES_DATA;
	} else {
		if (!rs->header_written)
			write_header(rs);
		st = rs->io != ES_OK ? rs->io : bwm_end(rs->mem, rs->rows);
		if (rs->io != ES_OK)
			bwm_abort(rs->mem);
		if (st == ES_OK && rs->keep_rows) {
			struct sb head = SB_INIT;
			struct bw_member *km;

			for (i = 0; i < o->nkeys; i++)
				csvw_cell(&head, i, o->fields[o->key[i]].name,
					  strlen(o->fields[o->key[i]].name));
			csvw_end(&head);
			km = bw_member_open(rs->bw, o->name, MF_KEEP, 0, 0, 2 * o->index + 3, &st);
			if (km)
				st = bwm_write(km, head.buf, head.len);
			if (km && st == ES_OK)
				st = bwm_write(km, rs->keep.buf, rs->keep.len);
			if (km && st == ES_OK)
				st = bwm_end(km, rs->keep_rows);
			else if (km)
				bwm_abort(km);
			sb_release(&head);
		}
		if (st != ES_OK)
			msg_error("%s: cannot stage the member: %s", HOME_OUTBOX, strerror(errno));
		t->sent = rs->rows;
		t->state = 1;
		if (st == ES_OK && t->rejected)
			st = ES_DATA;
	}
	rs->mem = NULL;
	objcsv_free(rs->oc);
	rs->oc = NULL;
	return st;
}

/* A job: one object, on whichever thread takes it. */
static void run_job(void *ctx, size_t i)
{
	struct rs **jobs = ctx, *rs = jobs[i];

	msg_capture(&rs->msgs);
	rs->st = resync_object(rs, rs->o, rs->named, &rs->t);
	msg_capture(NULL);
	free(rs->label);
	rs->label = NULL;
}

/* Mark o and, recursively, every parent it depends on. */
static int select_with_parents(const struct reg_object *o, unsigned char *sel,
			       const char *state, struct cli *cli)
{
	const char *p = o->parents;

	if (!reg_sent_by_state(o, state)) {
		cli_usage(cli, "%s is not sent by districts of %s", o->name, state);
		return -1;
	}
	sel[o->index] = 1;
	while (*p) {
		const char *e = strchr(p, ';');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		const struct reg_object *parent = reg_find_n(p, n);

		if (!parent)
			msg_panic("registry: %s names an unknown parent", o->name);
		if (select_with_parents(parent, sel, state, cli) < 0)
			return -1;
		p += n;
		if (*p == ';')
			p++;
	}
	return 0;
}

static void print_summary(const char *name, uint64_t seq, const char *scope,
			  const struct rs *jobs, const struct withhold *wh,
			  const char *rejects_path, const char *withheld_path)
{
	uint64_t sent = 0, rej = 0, held = 0;
	size_t i;
	int c;

	if (name)
		printf("resync: %s/%s (sequence %" PRIu64 ", scope %s)\n", HOME_OUTBOX, name, seq,
		       scope);
	else
		printf("resync: no bundle made\n");
	printf("%-34s %10s %10s %10s\n", "OBJECT", "SENT", "REJECTED", "WITHHELD");
	for (i = 0; i < reg_count(); i++) {
		const struct reg_object *o = reg_at(i);
		const struct tally *t = &jobs[i].t;

		if (t->state == 0)
			continue;
		if (t->state == 2)
			printf("%-34s %10s %10s %10s  (no source file)\n", o->name, "-", "-", "-");
		else if (t->state == 3)
			printf("%-34s %10s %10" PRIu64 " %10s  (file unreadable: not sent)\n",
			       o->name, "-", t->rejected, "-");
		else
			printf("%-34s %10" PRIu64 " %10" PRIu64 " %10" PRIu64 "\n", o->name, t->sent,
			       t->rejected, t->withheld);
		sent += t->sent;
		rej += t->rejected;
		held += t->withheld;
	}
	printf("%-34s %10" PRIu64 " %10" PRIu64 " %10" PRIu64 "\n", "total", sent, rej, held);
	if (rejects_path)
		printf("rejected rows: %s\n", rejects_path);
	if (withheld_path)
		printf("withheld records: %s\n", withheld_path);
	/* how many records each rule withheld */
	for (i = 0; i < reg_count(); i++) {
		const struct reg_object *o = reg_at(i);
		const struct tally *t = &jobs[i].t;

		for (c = 0; t->by_cause && c < (int)WH_CAUSES(o); c++) {
			char buf[128];

			if (t->by_cause[c])
				printf("  withheld %-24s %8" PRIu64 "  %s\n", o->name, t->by_cause[c],
				       wh_cause_name(wh, o, c, buf, sizeof buf));
		}
	}
}

static int in_school(void *ctx, const struct reg_object *o, const struct rec_val *v,
		     uint64_t line)
{
	(void)line;
	return sc_in(ctx, o, v);
}

es_status cmd_resync(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "full", no_argument, NULL, 'f' },
		{ "objects", required_argument, NULL, 'o' },
		{ "school", required_argument, NULL, 's' },
		CLI_COMMON_OPTIONS
	};
	struct resync_how how;
	struct cli cli;
	struct home h;
	unsigned char *sel = NULL, *named = NULL;
	const char *objects = NULL, *school = NULL;
	struct school_scope *sc = NULL;
	char scope[32];
	int full = 0, c;
	es_status st;
	size_t i;

	cli_init(&cli, "resync");
	while ((c = cli_next(&cli, argc, argv, opts)) != -1) {
		switch (c) {
		case 'f': full = 1; break;
		case 'o': objects = optarg; break;
		case 's':
			if (!mf_district_ok(optarg))
				return cli_usage(&cli, "--school wants a school number (schoolID)");
			school = optarg;
			break;
		case CLI_HELP: return ES_OK;
		default: return ES_USAGE;
		}
	}
	if ((st = cli_no_operands(&cli, argc, argv)) != ES_OK)
		return st;
	if (full == !!objects)
		return cli_usage(&cli, "give --full, or --objects A,B");

	st = home_start(&h, home_default(cli.home), "resync", CFG_DISTRICT, 1, cli.wait);
	if (st != ES_OK)
		return st;
	sel = xcalloc(reg_count(), 1);
	named = xcalloc(reg_count(), 1);
	if (objects) {
		st = resync_select(objects, h.cfg.state, sel, named, &cli);
		if (st != ES_OK)
			goto out;
	} else {
		for (i = 0; i < reg_count(); i++)
			sel[i] = reg_sent_by_state(reg_at(i), h.cfg.state);
	}
	memset(&how, 0, sizeof how);
	how.scope = full ? "full" : "objects";
	how.complete = 1;
	if (school) {
		/* the complete set of the school's records: the state's orphans
		 * are sought among its records of that school only */
		st = scope_school_source(&h, school, &sc);
		if (st != ES_OK)
			goto out;
		snprintf(scope, sizeof scope, "school:%s", school);
		how.scope = scope;
		how.keep = in_school;
		how.ctx = sc;
	}
	st = resync_run(&h, sel, named, &how, NULL);
out:
	sc_free(sc);
	free(sel);
	free(named);
	home_close(&h);
	return st;
}

es_status resync_select(const char *objects, const char *state, unsigned char *sel,
			unsigned char *named, struct cli *cli)
{
	const char *p = objects;

	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		const struct reg_object *o = reg_find_n(p, n);

		if (!o)
			return cli_usage(cli, "no object named '%.*s' ('edsync objects' lists them)",
					 (int)n, p);
		named[o->index] = 1;
		if (select_with_parents(o, sel, state, cli) < 0)
			return ES_USAGE;
		p += n;
		if (*p == ',')
			p++;
	}
	return ES_OK;
}

es_status resync_run(struct home *h, const unsigned char *sel, const unsigned char *named,
		     const struct resync_how *how, struct resync_done *done)
{
	struct rs *jobs = NULL;
	struct bundle_writer *bw = NULL;
	struct rejects *rj = NULL;
	struct key_secret *k = NULL;
	struct manifest head;
	struct withhold *wh = NULL;
	struct rejects *wj = NULL;
	struct rs **level = NULL;
	size_t **deps = NULL, *ndeps = NULL;
	char name[128] = "", *rejpath = NULL, *whpath = NULL, *scratch = NULL;
	uint64_t seq = 0;
	int made = 0;
	es_status st, worst = ES_OK;
	size_t i;
	int lv;

	memset(&head, 0, sizeof head);
	st = home_secret_key(h, &k);
	if (st != ES_OK)
		goto out;
	st = outbox_next_seq(h, &seq);
	if (st != ES_OK)
		goto out;
	scratch = home_path(h, HOME_OUTBOX "/" SPOOL_TMP);
	{
		char *outbox = home_path(h, HOME_OUTBOX);

		spool_make(outbox);
		spool_clean(outbox);
		free(outbox);
	}
	bw = bw_new(scratch);
	if (how->request) {
		/* the state's request this resync carries out, echoed first */
		struct bw_member *rm = bw_member_open(bw, "request", MF_REQUEST, 0, 0, 0, &st);

		if (rm)
			st = bwm_write(rm, how->request, how->request_len);
		if (rm && st == ES_OK)
			st = bwm_end(rm, 1);
		else if (rm)
			bwm_abort(rm);
		if (st != ES_OK) {
			msg_error("%s: cannot stage the request member", HOME_OUTBOX);
			goto out;
		}
	}
	rj = rejects_new(h, "rejects");
	wj = rejects_new(h, "withheld");
	wh = wh_new(h->cfg.year);
	jobs = xcalloc(reg_count(), sizeof *jobs);
	level = xcalloc(reg_count(), sizeof *level);
	deps = xcalloc(reg_count(), sizeof *deps);
	ndeps = xcalloc(reg_count(), sizeof *ndeps);
	for (i = 0; i < reg_count(); i++) {
		jobs[i].t.by_cause = xcalloc(WH_CAUSES(reg_at(i)), sizeof *jobs[i].t.by_cause);
		if (!sel[i])
			continue;
		jobs[i].h = h;
		jobs[i].bw = bw;
		jobs[i].rj = rj;
		jobs[i].wj = wj;
		jobs[i].wh = wh;
		jobs[i].o = reg_at(i);
		jobs[i].named = named[i];
		jobs[i].how = how;
	}
	/* An object's records are checked after those of the objects it
	 * references that can withhold records: it needs their withheld keys.
	 * Everything else runs in parallel. */
	{
		size_t n = 0, *pos = xcalloc(reg_count(), sizeof *pos);
		struct progress *pg;
		uint64_t total = 0;

		for (i = 0; i < reg_count(); i++)
			if (jobs[i].o) {
				pos[i] = n;
				level[n] = &jobs[i];
				deps[n] = xcalloc(reg_at(i)->nfields + 1, sizeof **deps);
				ndeps[n] = 0;
				for (lv = 0; lv < (int)reg_at(i)->nfields; lv++) {
					const struct reg_object *p = reg_at(i)->refobj[lv];

					if (p && p->withholds && jobs[p->index].o)
						deps[n][ndeps[n]++] = pos[p->index];
				}
				n++;
			}
		/* the progress line counts bytes of every source file in scope */
		for (i = 0; i < n; i++) {
			char *src = xasprintf("%s/%s/%s.csv", h->dir, HOME_SOURCE, level[i]->o->name);
			struct stat sb;

			if (stat(src, &sb) == 0)
				total += (uint64_t)sb.st_size;
			free(src);
		}
		pg = progress_start("resync", total);
		for (i = 0; i < n; i++)
			level[i]->pg = pg;
		workers_run_deps(n, (const size_t *const *)deps, ndeps, run_job, level);
		progress_stop(pg);
		for (i = 0; i < n; i++)
			free(deps[i]);
		free(pos);
	}
	for (i = 0; i < reg_count(); i++) {
		/* what each object had to say, in registry order */
		fwrite(jobs[i].msgs.buf ? jobs[i].msgs.buf : "", 1, jobs[i].msgs.len, stderr);
		if (jobs[i].st == ES_IO)
			st = ES_IO;
		worst = es_worst(worst, jobs[i].st);
	}
	if (st == ES_IO)
		goto out;
	snprintf(head.kind, sizeof head.kind, "resync");
	snprintf(head.scope, sizeof head.scope, "%s", how->scope);
	if (bw_member_count(bw) > 0) {
		st = outbox_commit(h, bw, &head, k, seq, name, sizeof name);
		if (st != ES_OK)
			goto out;
		made = 1;
	} else {
		msg_error("resync: nothing to send: no object in scope could be read");
		worst = es_worst(worst, ES_NOINPUT);
	}
	if (rejects_count(rj)) {
		char base[128];

		if (made) {
			snprintf(base, sizeof base, "%.*s",
				 (int)(strlen(name) - strlen(BUNDLE_SUFFIX)), name);
		} else {
			char now[24];

			outbox_now(now);
			snprintf(base, sizeof base, "%s-resync-%s", h->cfg.district, now);
		}
		if (rejects_commit(rj, base, &rejpath) != ES_OK)
			worst = es_worst(worst, ES_IO);
	}
	if (made && rejects_count(wj)) {
		char base[128];

		snprintf(base, sizeof base, "%.*s", (int)(strlen(name) - strlen(BUNDLE_SUFFIX)),
			 name);
		if (rejects_commit(wj, base, &whpath) != ES_OK)
			worst = es_worst(worst, ES_IO);
	}
	print_summary(made ? name : NULL, seq, head.scope, jobs, wh, rejpath, whpath);
	if (done) {
		memset(done, 0, sizeof *done);
		done->made = made;
		done->seq = made ? seq : 0;
		snprintf(done->name, sizeof done->name, "%s", made ? name : "");
		for (i = 0; i < reg_count(); i++)
			done->sent += jobs[i].t.sent;
	}
	st = worst;
out:
	bw_free(bw);
	rejects_free(rj);
	rejects_free(wj);
	wh_free(wh);
	free(level);
	free(deps);
	free(ndeps);
	free(whpath);
	for (i = 0; jobs && i < reg_count(); i++) {
		free(jobs[i].t.by_cause);
		sb_release(&jobs[i].row);
		sb_release(&jobs[i].keep);
		sb_release(&jobs[i].pfields);
		sb_release(&jobs[i].preasons);
		sb_release(&jobs[i].msgs);
	}
	free(jobs);
	key_secret_free(k);
	mf_free(&head);
	free(rejpath);
	free(scratch);
	return st;
}
