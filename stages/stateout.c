/* stateout.c - requests and reports for a district; see stateout.h. */
#include "stateout.h"
#include "../formats/bundle.h"
#include "../pipeline/home.h"
#include "../pipeline/outbox.h"
#include "../spool/spool.h"
#include "../store/store.h"
#include "../util/msg.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

es_status so_send(const struct home *h, struct store *s, const struct key_secret *k,
		  const char *district, const char *kind, const struct so_member *m, size_t n,
		  uint64_t *seq, char *name, size_t name_size)
{
	char *dir = xasprintf("%s/%s/%s", h->dir, HOME_OUTBOX, district);
	char *scratch = xpath(dir, SPOOL_TMP), *tmp = NULL;
	struct bundle_writer *bw = NULL;
	struct manifest head;
	struct sb why = SB_INIT;
	es_status st;
	int fd = -1;
	size_t i;

	memset(&head, 0, sizeof head);
	*seq = 0;
	st = spool_make(dir);
	if (st == ES_OK)
		st = store_next_out_seq(s, district, seq);
	if (st != ES_OK)
		goto out;
	bw = bw_new(scratch);
	for (i = 0; st == ES_OK && i < n; i++) {
		st = bw_member_begin(bw, m[i].object, m[i].type, 0, m[i].fields);
		if (st == ES_OK && m[i].len)
			st = bw_member_write(bw, m[i].data, m[i].len);
		if (st == ES_OK)
			st = bw_member_end(bw, m[i].rows);
	}
	snprintf(head.kind, sizeof head.kind, "%s", kind);
	snprintf(head.scope, sizeof head.scope, "full");
	snprintf(head.district, sizeof head.district, "%s", district);
	snprintf(head.state, sizeof head.state, "%s", h->cfg.state);
	head.year = h->cfg.year;
	head.sequence = *seq;
	outbox_now(head.created);
	bundle_file_name(name, name_size, district, *seq, kind);
	if (st == ES_OK && (fd = spool_create(dir, kind, &tmp)) < 0)
		st = ES_IO;
	if (st == ES_OK)
		st = bw_finish(bw, &head, k, fd, &why);
	if (st == ES_OK) {
		st = spool_commit(fd, tmp, dir, name);
		fd = -1;
	}
out:
	if (st != ES_OK) {
		msg_error("%s/%s: cannot write a %s%s%s", HOME_OUTBOX, district, kind,
			  why.len ? ": " : "", why.len ? why.buf : strerror(errno));
		if (fd >= 0)
			spool_abort(fd, tmp);
	}
	bw_free(bw);
	mf_free(&head);
	sb_release(&why);
	free(tmp);
	free(scratch);
	free(dir);
	return st;
}
