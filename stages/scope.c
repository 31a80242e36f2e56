/* scope.c - a school's records, learned from source/ or from the store; see scope.h. */
#include "scope.h"
#include "../formats/objcsv.h"
#include "../formats/registry.h"
#include "../formats/school.h"
#include "../formats/withhold.h"
#include "../pipeline/home.h"
#include "../store/store.h"
#include "../util/fsio.h"
#include "../util/msg.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct learn {
	struct school_scope *sc;
	struct withhold *wh;
	const struct reg_object *o;
	int learns;		/* o decides; else only its withheld keys matter */
};

static int learn_rec(void *ctx, const struct rec_val *v, uint64_t line)
{
	struct learn *l = ctx;
	size_t field;

	(void)line;
	if (wh_check(l->wh, l->o, v, &field) >= 0) {
		wh_mark(l->wh, l->o, v);
		return 0;
	}
	if (l->learns)
		sc_learn(l->sc, l->o, v);
	return 0;
}

static void learn_rej(void *ctx, const struct objcsv_reject *r)
{
	(void)ctx;
	(void)r;	/* the resync itself reports bad rows */
}

/* o and, recursively, the objects it references */
static void with_refs(unsigned char *need, const struct reg_object *o)
{
	size_t f;

	if (need[o->index])
		return;
	need[o->index] = 1;
	for (f = 0; f < o->nfields; f++)
		if (o->refobj[f] && o->refobj[f] != o)
			with_refs(need, o->refobj[f]);
}

es_status scope_school_source(struct home *h, const char *school, struct school_scope **out)
{
	unsigned char *need = xcalloc(reg_count(), 1);
	struct learn l;
	es_status st = ES_OK;
	size_t i;

	memset(&l, 0, sizeof l);
	l.sc = sc_new(school);
	l.wh = wh_new(h->cfg.year);
	for (i = 0; i < reg_count(); i++)
		if (reg_sent_by_state(reg_at(i), h->cfg.state) && sc_learns(reg_at(i)))
			with_refs(need, reg_at(i));
	/* registry order: what an object references comes before it */
	for (i = 0; st == ES_OK && i < reg_count(); i++) {
		char *path;
		struct objcsv *oc;
		int fd, rc;

		if (!need[i] || !reg_sent_by_state(reg_at(i), h->cfg.state))
			continue;
		path = xasprintf("%s/%s/%s.csv", h->dir, HOME_SOURCE, reg_at(i)->name);
		fd = fsio_open_input(path);
		free(path);
		if (fd < 0)
			continue;	/* the resync says what is missing */
		l.o = reg_at(i);
		l.learns = sc_learns(l.o);
		oc = objcsv_new(l.o, 0, learn_rec, learn_rej, &l);
		rc = objcsv_feed_fd(oc, fd);
		if (rc < 0) {
			msg_error("%s/%s.csv: read failed: %s", HOME_SOURCE, l.o->name,
				  strerror(errno));
			st = ES_IO;
		} else if (rc == 0) {
			objcsv_finish(oc);
		}
		objcsv_free(oc);
		close(fd);
	}
	wh_free(l.wh);
	free(need);
	if (st != ES_OK) {
		sc_free(l.sc);
		l.sc = NULL;
	}
	*out = l.sc;
	return st;
}

es_status scope_school_store(struct store *s, const char *district, const char *school,
			     struct school_scope **out)
{
	struct school_scope *sc = sc_new(school);
	struct store_scan *c = NULL;
	const struct rec_val *vals;
	const char *key;
	size_t klen, i;
	uint64_t changed;
	es_status st = ES_OK;
	int rc = 0;

	for (i = 0; st == ES_OK && i < reg_count(); i++) {
		const struct reg_object *o = reg_at(i);

		if (!sc_learns(o))
			continue;
		st = store_scan_open(s, o, district, NULL, 0, &c);
		while (st == ES_OK && (rc = store_scan_next(c, &vals, &key, &klen, &changed)) > 0)
			sc_learn(sc, o, vals);
		if (st == ES_OK && rc < 0)
			st = ES_IO;
		store_scan_close(c);
		c = NULL;
	}
	if (st != ES_OK) {
		sc_free(sc);
		sc = NULL;
	}
	*out = sc;
	return st;
}
