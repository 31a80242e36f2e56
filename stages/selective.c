/*
 * selective.c - 'edsync selective': the PersonIdentity and Enrollment
 * records of chosen persons, sent now (the seed's selective sync).
 *
 * Persons are named by personID (--person, --person-file: one a line) or
 * through one of their enrollments (--enrollment: its person).  A first
 * pass over source/ finds which of them exist; an ID that matches nothing
 * is reported as not found and changes nothing.  Then a resync (resync.c)
 * of PersonIdentity and Enrollment keeps only the records of the persons
 * found: every enrollment of each.  The members are not complete: the
 * state upserts what they carry and removes nothing (a resync does).
 *
 * Each run is added to var/selective.csv (when, the IDs asked for, found,
 * not found, the bundle), which 'status' shows.
 */
#include "stages.h"
#include "../formats/csvw.h"
#include "../formats/objcsv.h"
#include "../formats/registry.h"
#include "../formats/value.h"
#include "../pipeline/cli.h"
#include "../pipeline/home.h"
#include "../pipeline/outbox.h"
#include "../util/fsio.h"
#include "../util/msg.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A sorted set of IDs (strings). */
struct ids {
	char **v;
	size_t n;
};

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void ids_add(struct ids *s, const char *p, size_t n)
{
	s->v = xrealloc(s->v, (s->n + 1) * sizeof *s->v);
	s->v[s->n++] = xstrndup(p, n);
}

static void ids_sort(struct ids *s)
{
	size_t i, j = 0;

	if (!s->n)
		return;
	qsort(s->v, s->n, sizeof *s->v, str_cmp);
	for (i = 0; i < s->n; i++) {
		if (j && !strcmp(s->v[j - 1], s->v[i])) {
			free(s->v[i]);
			continue;
		}
		s->v[j++] = s->v[i];
	}
	s->n = j;
}

static int ids_has(const struct ids *s, const char *p, size_t n)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(s->v[mid], p, n);

		if (!c && s->v[mid][n])
			c = 1;
		if (!c)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static void ids_free(struct ids *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

/* IDs from "a,b,c" or a file of one a line; each checked as field f. */
static es_status ids_parse(struct ids *s, const char *list, char sep, const struct reg_field *f,
			   const char *what, struct cli *cli)
{
	const char *p = list;

	while (*p) {
		const char *e = strchr(p, sep);
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (sep == '\n' && n && p[n - 1] == '\r')
			n--;
		if (n && !(sep == '\n' && p[0] == '#')) {
			if (val_check(f, p, n) != VAL_OK)
				return cli_usage(cli, "%s: '%.*s' is not a %s", what, (int)n, p,
						 f->name);
			ids_add(s, p, n);
		}
		p += n;
		while (*p == '\r' || *p == sep)
			p++;
	}
	return ES_OK;
}

/* ---- the first pass: who exists ---- */

struct pass {
	const struct reg_object *o;
	int person;		/* personID's field index in o */
	int enrollment;		/* enrollmentID's, in Enrollment */
	const struct ids *want_persons, *want_enrollments;
	struct ids found_persons, found_enrollments, persons_of_enrollments;
};

static int pass_rec(void *ctx, const struct rec_val *v, uint64_t line)
{
	struct pass *ps = ctx;
	const struct rec_val *pid = &v[ps->person];

	(void)line;
	if (ps->enrollment >= 0) {
		const struct rec_val *eid = &v[ps->enrollment];

		if (ids_has(ps->want_enrollments, eid->p, eid->n)) {
			ids_add(&ps->found_enrollments, eid->p, eid->n);
			ids_add(&ps->persons_of_enrollments, pid->p, pid->n);
		}
	} else if (ids_has(ps->want_persons, pid->p, pid->n)) {
		ids_add(&ps->found_persons, pid->p, pid->n);
	}
	return 0;
}

static void pass_rej(void *ctx, const struct objcsv_reject *r)
{
	(void)ctx;
	(void)r;	/* the resync reports bad rows */
}

static es_status first_pass(struct home *h, struct pass *ps)
{
	char *path = xasprintf("%s/%s/%s.csv", h->dir, HOME_SOURCE, ps->o->name);
	struct objcsv *oc;
	int fd = fsio_open_input(path), rc;
	es_status st = ES_OK;

	if (fd < 0) {
		msg_error("%s/%s.csv: %s", HOME_SOURCE, ps->o->name,
			  errno == ENOENT ? "no such file" : strerror(errno));
		free(path);
		return errno == ENOENT ? ES_NOINPUT : ES_IO;
	}
	oc = objcsv_new(ps->o, 0, pass_rec, pass_rej, ps);
	rc = objcsv_feed_fd(oc, fd);
	if (rc < 0) {
		msg_error("%s/%s.csv: read failed: %s", HOME_SOURCE, ps->o->name, strerror(errno));
		st = ES_IO;
	} else if (rc == 0) {
		objcsv_finish(oc);
	}
	if (st == ES_OK && !objcsv_header_ok(oc)) {
		msg_error("%s/%s.csv: no usable header: nothing sent", HOME_SOURCE, ps->o->name);
		st = ES_DATA;
	}
	objcsv_free(oc);
	close(fd);
	free(path);
	return st;
}

/* ---- the resync ---- */

struct scope {
	const struct reg_object *person_o, *enrollment_o;
	int person_f, enrollment_person_f;
	const struct ids *persons;
};

static int in_scope(void *ctx, const struct reg_object *o, const struct rec_val *v,
		    uint64_t line)
{
	const struct scope *sc = ctx;
	const struct rec_val *pid;

	(void)line;
	pid = &v[o == sc->person_o ? sc->person_f : sc->enrollment_person_f];
	return ids_has(sc->persons, pid->p, pid->n);
}

/* One line of var/selective.csv, appended durably. */
static void history_add(struct home *h, const char *asked, const struct ids *found,
			const char *not_found, const struct resync_done *done)
{
	char *path = home_path(h, HOME_SELECTIVE), now[24], seq[24];
	struct sb line = SB_INIT, list = SB_INIT;
	int fd, fresh = !fsio_exists(path);
	size_t i;

	for (i = 0; i < found->n; i++)
		sb_addf(&list, "%s%s", i ? ";" : "", found->v[i]);
	outbox_now(now);
	snprintf(seq, sizeof seq, "%" PRIu64, done->seq);
	if (fresh)
		sb_addstr(&line, "at,asked,found,not_found,bundle,sequence\n");
	csvw_cell(&line, 0, now, strlen(now));
	csvw_cell(&line, 1, asked, strlen(asked));
	csvw_cell(&line, 2, list.len ? list.buf : "", list.len);
	csvw_cell(&line, 3, not_found, strlen(not_found));
	csvw_cell(&line, 4, done->name, strlen(done->name));
	csvw_cell(&line, 5, done->made ? seq : "", done->made ? strlen(seq) : 0);
	csvw_end(&line);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0 || fsio_write_all(fd, line.buf, line.len) < 0 || fsync(fd) < 0)
		msg_warn("%s: cannot record this selective sync: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	sb_release(&line);
	sb_release(&list);
	free(path);
}

es_status cmd_selective(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "person", required_argument, NULL, 'p' },
		{ "person-file", required_argument, NULL, 'F' },
		{ "enrollment", required_argument, NULL, 'e' },
		CLI_COMMON_OPTIONS
	};
	const struct reg_object *po = reg_find("PersonIdentity"), *eo = reg_find("Enrollment");
	struct ids persons = { NULL, 0 }, enrollments = { NULL, 0 };
	struct pass pp, ep;
	struct resync_how how;
	struct resync_done done;
	struct scope sc;
	struct sb asked = SB_INIT, missing = SB_INIT, file = SB_INIT;
	struct cli cli;
	struct home h;
	unsigned char *sel = NULL, *named = NULL;
	const char *person = NULL, *person_file = NULL, *enrollment = NULL;
	es_status st;
	size_t i;
	int c, pf, ef, epf;

	cli_init(&cli, "selective");
	while ((c = cli_next(&cli, argc, argv, opts)) != -1) {
		switch (c) {
		case 'p': person = optarg; break;
		case 'F': person_file = optarg; break;
		case 'e': enrollment = optarg; break;
		case CLI_HELP: return ES_OK;
		default: return ES_USAGE;
		}
	}
	if ((st = cli_no_operands(&cli, argc, argv)) != ES_OK)
		return st;
	if (!person && !person_file && !enrollment)
		return cli_usage(&cli, "give --person ID,..., --person-file F or --enrollment ID,...");
	pf = reg_field_index(po, "personID", 8);
	ef = reg_field_index(eo, "enrollmentID", 12);
	epf = reg_field_index(eo, "personID", 8);
	if (pf < 0 || ef < 0 || epf < 0)
		msg_panic("registry: PersonIdentity or Enrollment lacks its ID fields");
	if (person && (st = ids_parse(&persons, person, ',', &po->fields[pf], "--person",
				      &cli)) != ES_OK)
		goto early;
	if (person_file) {
		if (fsio_read_file(person_file, 1 << 26, &file) < 0) {
			msg_error("%s: %s", person_file, strerror(errno));
			st = errno == ENOENT ? ES_NOINPUT : ES_IO;
			goto early;
		}
		if ((st = ids_parse(&persons, file.buf ? file.buf : "", '\n', &po->fields[pf],
				    person_file, &cli)) != ES_OK)
			goto early;
	}
	if (enrollment && (st = ids_parse(&enrollments, enrollment, ',', &eo->fields[ef],
					  "--enrollment", &cli)) != ES_OK)
		goto early;
	ids_sort(&persons);
	ids_sort(&enrollments);
	if (!persons.n && !enrollments.n) {
		st = cli_usage(&cli, "no IDs given");
		goto early;
	}

	st = home_start(&h, home_default(cli.home), "selective", CFG_DISTRICT, 1, cli.wait);
	if (st != ES_OK)
		goto early;
	memset(&pp, 0, sizeof pp);
	memset(&ep, 0, sizeof ep);
	for (i = 0; i < enrollments.n; i++)
		sb_addf(&asked, "%senrollment %s", asked.len ? ";" : "", enrollments.v[i]);
	for (i = 0; i < persons.n; i++)
		sb_addf(&asked, "%sperson %s", asked.len ? ";" : "", persons.v[i]);
	/* the persons the enrollments name join those asked for */
	if (enrollments.n) {
		ep.o = eo;
		ep.person = epf;
		ep.enrollment = ef;
		ep.want_enrollments = &enrollments;
		if ((st = first_pass(&h, &ep)) != ES_OK)
			goto out;
		ids_sort(&ep.found_enrollments);
		for (i = 0; i < ep.persons_of_enrollments.n; i++)
			ids_add(&persons, ep.persons_of_enrollments.v[i],
				strlen(ep.persons_of_enrollments.v[i]));
		ids_sort(&persons);
	}
	pp.o = po;
	pp.person = pf;
	pp.enrollment = -1;
	pp.want_persons = &persons;
	if ((st = first_pass(&h, &pp)) != ES_OK)
		goto out;
	ids_sort(&pp.found_persons);

	/* what was asked for, and what of it is not there */
	for (i = 0; i < enrollments.n; i++) {
		if (!ids_has(&ep.found_enrollments, enrollments.v[i], strlen(enrollments.v[i]))) {
			msg_error("selective: enrollment %s: not found in %s/Enrollment.csv",
				  enrollments.v[i], HOME_SOURCE);
			sb_addf(&missing, "%senrollment %s", missing.len ? ";" : "",
				enrollments.v[i]);
		}
	}
	for (i = 0; i < persons.n; i++) {
		if (!ids_has(&pp.found_persons, persons.v[i], strlen(persons.v[i]))) {
			msg_error("selective: person %s: not found in %s/PersonIdentity.csv",
				  persons.v[i], HOME_SOURCE);
			sb_addf(&missing, "%sperson %s", missing.len ? ";" : "", persons.v[i]);
		}
	}
	memset(&done, 0, sizeof done);
	if (pp.found_persons.n) {
		sel = xcalloc(reg_count(), 1);
		named = xcalloc(reg_count(), 1);
		sel[po->index] = named[po->index] = 1;
		sel[eo->index] = 1;
		memset(&sc, 0, sizeof sc);
		sc.person_o = po;
		sc.enrollment_o = eo;
		sc.person_f = pf;
		sc.enrollment_person_f = epf;
		sc.persons = &pp.found_persons;
		memset(&how, 0, sizeof how);
		how.scope = "selective";
		how.complete = 0;
		how.keep = in_scope;
		how.ctx = &sc;
		st = resync_run(&h, sel, named, &how, &done);
	} else {
		printf("selective: nothing to send: none of the persons asked for was found\n");
	}
	history_add(&h, asked.buf ? asked.buf : "", &pp.found_persons,
		    missing.buf ? missing.buf : "", &done);
	if (missing.len)
		st = es_worst(st, ES_DATA);
out:
	ids_free(&pp.found_persons);
	ids_free(&ep.found_enrollments);
	ids_free(&ep.persons_of_enrollments);
	free(sel);
	free(named);
	home_close(&h);
early:
	ids_free(&persons);
	ids_free(&enrollments);
	sb_release(&asked);
	sb_release(&missing);
	sb_release(&file);
	return st;
}
