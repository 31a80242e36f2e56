/* outbox.c - sequence numbers and committed bundles; see outbox.h. */
#include "outbox.h"
#include "home.h"
#include "../formats/bundle.h"
#include "../formats/manifest.h"
#include "../spool/spool.h"
#include "../util/fsio.h"
#include "../util/msg.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void outbox_now(char out[24])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static uint64_t highest_in(const char *dir, const char *district)
{
	char **names;
	size_t n, i;
	uint64_t best = 0;

	if (spool_list(dir, BUNDLE_SUFFIX, &names, &n) != ES_OK)
		return 0;
	for (i = 0; i < n; i++) {
		char d[MF_ID_MAX + 1];
		uint64_t seq;

		if (bundle_name_parse(names[i], d, sizeof d, &seq) == 0 &&
		    !strcmp(d, district) && seq > best)
			best = seq;
	}
	spool_list_free(names, n);
	return best;
}

es_status outbox_next_seq(const struct home *h, uint64_t *seq)
{
	char *path = home_path(h, HOME_SEQUENCE);
	char *outbox = home_path(h, HOME_OUTBOX);
	char *sent = home_path(h, HOME_SENT);
	struct sb text = SB_INIT;
	uint64_t last = 0, x;
	es_status st = ES_OK;

	if (fsio_read_file(path, 64, &text) == 0) {
		char *end;

		errno = 0;
		last = strtoull(text.buf, &end, 10);
		if (errno || end == text.buf || (*end && *end != '\n')) {
			msg_error("%s: damaged: not a sequence number", path);
			st = ES_IO;
		}
	} else if (errno != ENOENT) {
		msg_error("%s: %s", path, strerror(errno));
		st = ES_IO;
	}
	x = highest_in(outbox, h->cfg.district);
	if (x > last)
		last = x;
	x = highest_in(sent, h->cfg.district);
	if (x > last)
		last = x;
	*seq = last + 1;
	sb_release(&text);
	free(path);
	free(outbox);
	free(sent);
	return st;
}

es_status outbox_commit(const struct home *h, struct bundle_writer *bw, struct manifest *head,
			const struct key_secret *k, uint64_t seq, char *name, size_t name_size)
{
	char *outbox = home_path(h, HOME_OUTBOX);
	char *seqpath = home_path(h, HOME_SEQUENCE);
	char *tmp = NULL;
	struct sb why = SB_INIT;
	char num[32];
	es_status st;
	int fd;

	snprintf(head->district, sizeof head->district, "%s", h->cfg.district);
	snprintf(head->state, sizeof head->state, "%s", h->cfg.state);
	head->year = h->cfg.year;
	head->sequence = seq;
	outbox_now(head->created);
	bundle_file_name(name, name_size, h->cfg.district, seq, head->kind);

	fd = spool_create(outbox, "bundle", &tmp);
	if (fd < 0) {
		msg_error("%s: cannot create a bundle: %s", outbox, strerror(errno));
		st = ES_IO;
		goto out;
	}
	st = bw_finish(bw, head, k, fd, &why);
	if (st != ES_OK) {
		msg_error("%s/%s: %s", HOME_OUTBOX, name, why.buf);
		spool_abort(fd, tmp);
		goto out;
	}
	st = spool_commit(fd, tmp, outbox, name);
	if (st != ES_OK) {
		msg_error("%s/%s: cannot commit the bundle: %s", HOME_OUTBOX, name, strerror(errno));
		goto out;
	}
	snprintf(num, sizeof num, "%" PRIu64 "\n", seq);
	if (fsio_write_atomic(seqpath, num, strlen(num), 0600) < 0) {
		/* The bundle is committed; its number is found from its name. */
		msg_warn("%s: cannot record the sequence: %s", seqpath, strerror(errno));
	}
out:
	sb_release(&why);
	free(tmp);
	free(outbox);
	free(seqpath);
	return st;
}
