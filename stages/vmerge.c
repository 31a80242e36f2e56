/* vmerge.c - the state's side of a verification; see vmerge.h. */
#include "vmerge.h"
#include "../formats/csvw.h"
#include "../formats/fieldset.h"
#include "../formats/hashtree.h"
#include "../formats/registry.h"
#include "../store/store.h"
#include "../util/msg.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* The state's leaves: about this many per expanded node, at least LEAF_MIN
 * records each. */
#define LEAVES_PER_NODE 256
#define LEAF_MIN 16

enum vm_set { SET_MISSING_STATE, SET_MISSING_DISTRICT, SET_DIFFERENT, SET_DUP_DISTRICT,
	      SET_COUNT };
static const char *const set_names[SET_COUNT] = {
	"missing_at_state", "missing_at_district", "different", "duplicate_at_district"
};

struct leaf {
	char *key;		/* NULL: the node's start before every key */
	size_t klen;
	uint64_t n;
	unsigned char hash[REC_HASH_BYTES];
};

struct per_object {
	struct sb tree;		/* expand request: tree member text */
	struct sb keys;		/* records request: keys member text */
	size_t nkeys_wanted;
	FILE *detail;
	uint64_t shown[SET_COUNT];
	uint64_t cut;
};

struct vm {
	struct vm_opts opt;
	struct rp_summary sum;
	struct per_object *po;		/* by object index */
	/* the object being verified */
	const struct reg_object *o;
	struct rp_area *a;
	struct store_scan *scan;
	int have;			/* the state's current record */
	const struct rec_val *sv;
	const char *skey;
	size_t sklen;
	uint64_t schanged;
	unsigned char shash[REC_HASH_BYTES];
	int failed;
	struct sb scratch, prev, text, text2;
	int have_prev;
	struct ht_acc *range;		/* the state's side of a summary range */
	/* the digest node being walked, and the state's leaves in it */
	int in_node;
	struct sb node_start;
	int node_start_null;
	uint64_t leaf_size;
	struct leaf *leaves;
	size_t nleaves;
	struct ht_acc *leaf_acc;
	int node_unresolved;
	/* the expand request's partition so far */
	int exp_started;
	int exp_pending;		/* a skip is owed at exp_end */
	struct sb exp_end;
	struct rec_val dvals[REG_MAX_FIELDS];
};

struct vm *vm_new(const struct vm_opts *opt)
{
	struct vm *m = xcalloc(1, sizeof *m);

	m->opt = *opt;
	m->po = xcalloc(reg_count(), sizeof *m->po);
	m->range = ht_acc_new();
	m->leaf_acc = ht_acc_new();
	snprintf(m->sum.district, sizeof m->sum.district, "%s", opt->district);
	return m;
}

void vm_free(struct vm *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < reg_count(); i++) {
		sb_release(&m->po[i].tree);
		sb_release(&m->po[i].keys);
		if (m->po[i].detail)
			fclose(m->po[i].detail);
	}
	for (i = 0; i < m->nleaves; i++)
		free(m->leaves[i].key);
	free(m->leaves);
	free(m->po);
	store_scan_close(m->scan);
	ht_acc_free(m->range);
	ht_acc_free(m->leaf_acc);
	sb_release(&m->scratch);
	sb_release(&m->prev);
	sb_release(&m->text);
	sb_release(&m->text2);
	sb_release(&m->node_start);
	sb_release(&m->exp_end);
	free(m);
}

const struct rp_summary *vm_figures(const struct vm *m)
{
	return &m->sum;
}

const struct sb *vm_expand_tree(const struct vm *m, const struct reg_object *o)
{
	return &m->po[o->index].tree;
}

const struct sb *vm_keys_wanted(const struct vm *m, const struct reg_object *o)
{
	return &m->po[o->index].keys;
}

FILE *vm_detail(struct vm *m, const struct reg_object *o)
{
	FILE *f = m->po[o->index].detail;

	if (f) {
		fflush(f);
		rewind(f);
	}
	return f;
}

uint64_t vm_detail_cut(const struct vm *m, const struct reg_object *o)
{
	return m->po[o->index].cut;
}

/* ---- detail ---- */

/* The key as people read it: composite keys' values joined by ';'. */
static const char *key_text(struct vm *m, const char *key, size_t klen, size_t *n)
{
	size_t i;

	sb_reset(&m->text);
	sb_add(&m->text, key, klen);
	for (i = 0; i < klen; i++)
		if (!m->text.buf[i])
			m->text.buf[i] = ';';
	*n = klen;
	return m->text.buf ? m->text.buf : "";
}

/* May one more key of this set be listed?  Counts the cut ones. */
static int listed(struct vm *m, enum vm_set set)
{
	struct per_object *p = &m->po[m->o->index];

	if (m->opt.limit && p->shown[set] >= m->opt.limit) {
		p->cut++;
		return 0;
	}
	p->shown[set]++;
	if (!p->detail) {
		p->detail = tmpfile();
		if (!p->detail)
			msg_fatal("cannot make a temporary file for the detail");
	}
	return 1;
}

static void detail_row(struct vm *m, enum vm_set set, const char *key, size_t klen,
		       const char *field, const struct rec_val *dv, const struct rec_val *sv,
		       uint64_t changed)
{
	size_t kn;
	const char *kt = key_text(m, key, klen, &kn);

	sb_reset(&m->text2);
	rp_detail_row(&m->text2, reg_area_name(m->o->area), m->o->name, set_names[set], kt, kn,
		      field, dv ? dv->p : NULL, dv ? dv->n : 0, sv ? sv->p : NULL,
		      sv ? sv->n : 0, changed);
	if (fwrite(m->text2.buf, 1, m->text2.len, m->po[m->o->index].detail) != m->text2.len)
		msg_fatal("cannot write a temporary file for the detail");
}

static void want_values(struct vm *m, const char *key, size_t klen)
{
	struct per_object *p = &m->po[m->o->index];
	const char *q = key, *end = key + klen;
	size_t i;

	if (m->opt.limit && p->nkeys_wanted >= m->opt.limit)
		return;
	if (!p->keys.len) {
		for (i = 0; i < m->o->nkeys; i++)
			csvw_cell(&p->keys, i, m->o->fields[m->o->key[i]].name,
				  strlen(m->o->fields[m->o->key[i]].name));
		csvw_end(&p->keys);
	}
	for (i = 0; i < m->o->nkeys; i++) {
		const char *z = memchr(q, '\0', (size_t)(end - q));
		size_t n = z ? (size_t)(z - q) : (size_t)(end - q);

		csvw_cell(&p->keys, i, q, n);
		q = z ? z + 1 : end;
	}
	csvw_end(&p->keys);
	p->nkeys_wanted++;
}

/* A record on both sides with other compared fields. */
static void different(struct vm *m, const char *key, size_t klen, const struct rec_val *dv)
{
	const struct reg_object *o = m->o;
	size_t i;
	int any = 0;

	m->a->differences++;
	if (!dv && m->opt.values && m->opt.values(m->opt.values_ctx, o, key, klen, m->dvals))
		dv = m->dvals;
	if (!dv)
		want_values(m, key, klen);
	if (!listed(m, SET_DIFFERENT))
		return;
	for (i = 0; dv && i < o->nfields; i++) {
		if (!fs_compared(m->opt.fs, o, i) || !rec_val_cmp(&dv[i], &m->sv[i]))
			continue;
		detail_row(m, SET_DIFFERENT, key, klen, o->fields[i].name, &dv[i], &m->sv[i],
			   m->schanged);
		any = 1;
	}
	/* no values yet (requested), or the district's record changed since its
	 * digest: the key, without fields */
	if (!any)
		detail_row(m, SET_DIFFERENT, key, klen, "", NULL, NULL, m->schanged);
}

/* ---- the state's records ---- */

static void state_fetch(struct vm *m)
{
	int rc;

	m->have = 0;
	if (!m->scan)
		return;
	while ((rc = store_scan_next(m->scan, &m->sv, &m->skey, &m->sklen, &m->schanged)) > 0) {
		if (m->opt.filter && !m->opt.filter(m->opt.filter_ctx, m->o, m->sv))
			continue;
		fs_hash(m->opt.fs, m->o, m->sv, &m->scratch, m->shash);
		m->have = 1;
		return;
	}
	if (rc < 0)
		m->failed = 1;
}

static void leaf_close(struct vm *m)
{
	if (m->nleaves)
		ht_acc_digest(m->leaf_acc, m->leaves[m->nleaves - 1].hash);
}

static void leaf_open(struct vm *m, const char *key, size_t klen)
{
	struct leaf *l;

	m->leaves = xrealloc(m->leaves, (m->nleaves + 1) * sizeof *m->leaves);
	l = &m->leaves[m->nleaves++];
	memset(l, 0, sizeof *l);
	if (key) {
		l->key = xmalloc(klen + 1);
		memcpy(l->key, key, klen);
		l->klen = klen;
	}
	ht_acc_reset(m->leaf_acc);
}

/* The state's current record is passed: into the node's leaves, then the
 * next one. */
static void state_consume(struct vm *m)
{
	if (m->in_node) {
		struct leaf *l = &m->leaves[m->nleaves - 1];

		if (l->n >= m->leaf_size) {
			leaf_close(m);
			leaf_open(m, m->skey, m->sklen);
			l = &m->leaves[m->nleaves - 1];
		}
		ht_acc_add(m->leaf_acc, m->shash);
		l->n++;
	}
	m->a->state_total++;
	state_fetch(m);
}

/* Is the state's current record before end (NULL: the end of all)? */
static int before(const struct vm *m, const char *end, size_t elen)
{
	return m->have && (!end || ht_key_cmp(m->skey, m->sklen, end, elen) < 0);
}

static void missing_at_district(struct vm *m)
{
	m->a->missing_at_district++;
	if (listed(m, SET_MISSING_DISTRICT))
		detail_row(m, SET_MISSING_DISTRICT, m->skey, m->sklen, "", NULL, NULL, m->schanged);
	state_consume(m);
}

/* ---- the expand request ---- */

static void exp_row(struct vm *m, const char *key, size_t klen, enum ht_kind kind, uint64_t n,
		    const unsigned char *hash)
{
	struct sb *t = &m->po[m->o->index].tree;
	static const unsigned char zero[REC_HASH_BYTES];

	if (!t->len)
		ht_header(m->o, t);
	ht_row(m->o, key, klen, kind, n, hash ? hash : zero, t);
}

static void node_finish(struct vm *m, const char *end, size_t elen)
{
	const char *start = m->node_start_null ? NULL : m->node_start.buf;
	size_t slen = m->node_start.len, i;

	if (!m->in_node)
		return;
	leaf_close(m);
	if (m->node_unresolved) {
		if (!m->exp_started && start)
			exp_row(m, NULL, 0, HT_SKIP, 0, NULL);
		else if (m->exp_started && m->exp_pending &&
			 (!start || ht_key_cmp(m->exp_end.buf, m->exp_end.len, start, slen) != 0))
			exp_row(m, m->exp_end.buf, m->exp_end.len, HT_SKIP, 0, NULL);
		m->exp_started = 1;
		for (i = 0; i < m->nleaves; i++)
			exp_row(m, m->leaves[i].key, m->leaves[i].klen, HT_SUMMARY, m->leaves[i].n,
				m->leaves[i].hash);
		m->exp_pending = end != NULL;
		sb_reset(&m->exp_end);
		if (end)
			sb_add(&m->exp_end, end, elen);
	}
	for (i = 0; i < m->nleaves; i++)
		free(m->leaves[i].key);
	m->nleaves = 0;
	m->in_node = 0;
	m->node_unresolved = 0;
}

/* ---- the district's description ---- */

es_status vm_object_begin(struct vm *m, const struct reg_object *o)
{
	es_status st;

	m->o = o;
	m->a = &m->sum.areas[o->area];
	m->failed = 0;
	m->have_prev = 0;
	m->in_node = 0;
	m->exp_started = m->exp_pending = 0;
	st = store_scan_open(m->opt.s, o, m->opt.district, NULL, 0, &m->scan);
	if (st != ES_OK)
		return st;
	state_fetch(m);
	return m->failed ? ES_IO : ES_OK;
}

es_status vm_node(struct vm *m, const char *start, size_t slen, uint64_t dcount)
{
	node_finish(m, start, slen);
	m->in_node = 1;
	m->node_unresolved = 0;
	m->node_start_null = start == NULL;
	sb_reset(&m->node_start);
	if (start)
		sb_add(&m->node_start, start, slen);
	m->leaf_size = (dcount + LEAVES_PER_NODE - 1) / LEAVES_PER_NODE;
	if (m->leaf_size < LEAF_MIN)
		m->leaf_size = LEAF_MIN;
	leaf_open(m, start, slen);
	return ES_OK;
}

es_status vm_summary(struct vm *m, const char *end, size_t elen, uint64_t dcount,
		     const unsigned char dhash[REC_HASH_BYTES])
{
	unsigned char shash[REC_HASH_BYTES];
	uint64_t scount;

	m->a->district_total += dcount;
	if (dcount == 0) {
		/* nothing at the district here: every state record is missing there */
		while (before(m, end, elen))
			missing_at_district(m);
		return m->failed ? ES_IO : ES_OK;
	}
	ht_acc_reset(m->range);
	while (before(m, end, elen)) {
		ht_acc_add(m->range, m->shash);
		state_consume(m);
	}
	scount = ht_acc_count(m->range);
	ht_acc_digest(m->range, shash);
	if (scount != dcount || memcmp(shash, dhash, REC_HASH_BYTES) != 0) {
		/* Which records differ is not known from here: the district's
		 * answer to an expand request will tell. */
		m->a->unresolved += dcount;
		m->node_unresolved = 1;
	}
	m->have_prev = 0;
	return m->failed ? ES_IO : ES_OK;
}

es_status vm_row(struct vm *m, const char *key, size_t klen,
		 const unsigned char hash[REC_HASH_BYTES], const struct rec_val *values)
{
	int dup = m->have_prev && ht_key_cmp(m->prev.buf, m->prev.len, key, klen) == 0;
	int c;

	m->a->district_total++;
	sb_reset(&m->prev);
	sb_add(&m->prev, key, klen);
	m->have_prev = 1;
	while (before(m, key, klen))
		missing_at_district(m);
	if (dup) {
		/* A second record with the key: the state holds one per key. */
		m->a->duplicates_at_district++;
		if (listed(m, SET_DUP_DISTRICT))
			detail_row(m, SET_DUP_DISTRICT, key, klen, "", NULL, NULL, 0);
		return m->failed ? ES_IO : ES_OK;
	}
	c = m->have ? ht_key_cmp(m->skey, m->sklen, key, klen) : 1;
	if (c == 0) {
		if (memcmp(m->shash, hash, REC_HASH_BYTES) != 0)
			different(m, key, klen, values);
		state_consume(m);
	} else {
		m->a->missing_at_state++;
		if (listed(m, SET_MISSING_STATE))
			detail_row(m, SET_MISSING_STATE, key, klen, "", NULL, NULL, 0);
	}
	return m->failed ? ES_IO : ES_OK;
}

es_status vm_rows_end(struct vm *m, const char *end, size_t elen)
{
	while (before(m, end, elen))
		missing_at_district(m);
	m->have_prev = 0;
	return m->failed ? ES_IO : ES_OK;
}

es_status vm_state_only(struct vm *m)
{
	return vm_rows_end(m, NULL, 0);
}

es_status vm_object_end(struct vm *m)
{
	es_status st = m->failed ? ES_IO : ES_OK;

	/* what the state holds beyond the district's description */
	if (st == ES_OK)
		st = vm_rows_end(m, NULL, 0);
	node_finish(m, NULL, 0);
	if (m->exp_started && m->exp_pending)
		exp_row(m, m->exp_end.buf, m->exp_end.len, HT_SKIP, 0, NULL);
	store_scan_close(m->scan);
	m->scan = NULL;
	return st;
}
