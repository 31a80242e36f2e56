/* rejects.c - the rejects file; see rejects.h. */
#include "rejects.h"
#include "home.h"
#include "../formats/csvr.h"
#include "../formats/csvw.h"
#include "../formats/record.h"
#include "../formats/registry.h"
#include "../spool/spool.h"
#include "../util/fsio.h"
#include "../util/msg.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct rejects {
	pthread_mutex_t lock;	/* rows may come from several threads */
	char *kind;
	char *dir;		/* outbox/<kind> */
	int fd;
	char *tmp;
	uint64_t n;
	int failed;
	struct sb line, row;
};

struct rejects *rejects_new(const struct home *h, const char *kind)
{
	struct rejects *r = xcalloc(1, sizeof *r);
	char *rel = xasprintf("%s/%s", HOME_OUTBOX, kind);

	r->kind = xstrdup(kind);
	r->dir = home_path(h, rel);
	free(rel);
	r->fd = -1;
	pthread_mutex_init(&r->lock, NULL);
	return r;
}

static void add_locked(struct rejects *r, const char *file, uint64_t line, const char *fields,
		       const char *reasons, const struct csvr_row *raw,
		       const struct reg_object *o, const struct rec_val *v);

void rejects_add(struct rejects *r, const char *file, uint64_t line, const char *fields,
		 const char *reasons, const struct csvr_row *raw)
{
	pthread_mutex_lock(&r->lock);
	add_locked(r, file, line, fields, reasons, raw, NULL, NULL);
	pthread_mutex_unlock(&r->lock);
}

void rejects_add_record(struct rejects *r, const char *file, uint64_t line, const char *field,
			const char *reason, const struct reg_object *o, const struct rec_val *v)
{
	pthread_mutex_lock(&r->lock);
	add_locked(r, file, line, field, reason, NULL, o, v);
	pthread_mutex_unlock(&r->lock);
}

static void add_locked(struct rejects *r, const char *file, uint64_t line, const char *fields,
		       const char *reasons, const struct csvr_row *raw,
		       const struct reg_object *o, const struct rec_val *v)
{
	char num[24];
	size_t i;

	if (r->failed)
		return;
	if (r->fd < 0) {
		r->fd = spool_create(r->dir, r->kind, &r->tmp);
		if (r->fd < 0 || fsio_write_all(r->fd, "file,line,field,reason,row\n", 27) < 0) {
			msg_error("%s: cannot write the %s file: %s", r->dir, r->kind, strerror(errno));
			r->failed = 1;
			return;
		}
	}
	sb_reset(&r->line);
	sb_reset(&r->row);
	snprintf(num, sizeof num, "%" PRIu64, line);
	csvw_cell(&r->line, 0, file, strlen(file));
	csvw_cell(&r->line, 1, num, strlen(num));
	csvw_cell(&r->line, 2, fields, strlen(fields));
	csvw_cell(&r->line, 3, reasons, strlen(reasons));
	for (i = 0; raw && i < raw->n; i++)
		csvw_cell(&r->row, i, raw->v[i], raw->len[i]);
	for (i = 0; o && i < o->nfields; i++)
		csvw_cell(&r->row, i, v[i].p, v[i].n);
	csvw_cell(&r->line, 4, r->row.len ? r->row.buf : "", r->row.len);
	csvw_end(&r->line);
	if (fsio_write_all(r->fd, r->line.buf, r->line.len) < 0) {
		msg_error("%s: cannot write the %s file: %s", r->dir, r->kind, strerror(errno));
		r->failed = 1;
		return;
	}
	r->n++;
}

uint64_t rejects_count(const struct rejects *r)
{
	return r->n;
}

es_status rejects_commit(struct rejects *r, const char *base, char **relpath)
{
	char *name;
	es_status st;

	if (relpath)
		*relpath = NULL;
	if (r->failed)
		return ES_IO;
	if (r->fd < 0)
		return ES_OK;
	name = xasprintf("%s.%s.csv", base, r->kind);
	st = spool_commit(r->fd, r->tmp, r->dir, name);
	r->fd = -1;
	if (st != ES_OK)
		msg_error("%s/%s/%s: cannot commit the %s file: %s", HOME_OUTBOX, r->kind, name,
			  r->kind, strerror(errno));
	else if (relpath)
		*relpath = xasprintf("%s/%s/%s", HOME_OUTBOX, r->kind, name);
	free(name);
	return st;
}

void rejects_free(struct rejects *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		spool_abort(r->fd, r->tmp);
	free(r->tmp);
	free(r->dir);
	free(r->kind);
	sb_release(&r->line);
	sb_release(&r->row);
	pthread_mutex_destroy(&r->lock);
	free(r);
}
