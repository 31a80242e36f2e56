/*
 * forge - make a signed, sealed bundle from arbitrary member files, for
 * tests that need a bundle edsync itself would never write (a district's
 * key signing another state's objects, a reused sequence, ...).
 *
 *   forge --key SECRET.key --district ID --state XX --seq N [--kind resync]
 *         [--year YYYY] [--scope full] OUT.bundle FILE...
 *
 * Each FILE is a member named by its base name: <Object>.csv (records,
 * complete), <Object>.keep.csv (keep) or <Object>.digest.csv (digest).
 * Rows are counted as lines less the header.  Test code: not installed.
 */
#include "../../formats/bundle.h"
#include "../../formats/keys.h"
#include "../../formats/record.h"
#include "../../formats/registry.h"
#include "../../util/fsio.h"
#include "../../util/sb.h"

#include <fcntl.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "forge: %s\n", what);
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' }, { "district", required_argument, NULL, 'd' },
		{ "state", required_argument, NULL, 's' }, { "seq", required_argument, NULL, 'n' },
		{ "kind", required_argument, NULL, 'K' }, { "year", required_argument, NULL, 'y' },
		{ "scope", required_argument, NULL, 'S' }, { NULL, 0, NULL, 0 }
	};
	const char *key = NULL, *district = NULL, *state = NULL, *kind = "resync", *scope = "full";
	struct key_secret *k = NULL;
	struct manifest head;
	struct bundle_writer *w;
	struct sb err = SB_INIT, tmpl = SB_INIT;
	unsigned long long seq = 0;
	int year = 2027, c, fd;
	time_t now = time(NULL);
	struct tm tm;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'k': key = optarg; break;
		case 'd': district = optarg; break;
		case 's': state = optarg; break;
		case 'n': seq = strtoull(optarg, NULL, 10); break;
		case 'K': kind = optarg; break;
		case 'y': year = atoi(optarg); break;
		case 'S': scope = optarg; break;
		default: die("usage: see the top of tests/tools/forge.c");
		}
	}
	if (!key || !district || !state || !seq || optind + 1 >= argc)
		die("usage: see the top of tests/tools/forge.c");
	if (sodium_init() < 0 || key_load_secret(key, &k, &err) != ES_OK)
		die(err.len ? err.buf : "cannot load the key");
	w = bw_new(".");
	for (c = optind + 1; c < argc; c++) {
		const char *base = strrchr(argv[c], '/') ? strrchr(argv[c], '/') + 1 : argv[c];
		char object[64];
		enum mf_type t = MF_RECORDS;
		size_t n = strcspn(base, ".");
		struct sb data = SB_INIT;
		uint64_t rows = 0, fields = 0;
		size_t i;

		snprintf(object, sizeof object, "%.*s", (int)n, base);
		if (strstr(base, ".keep.csv"))
			t = MF_KEEP;
		else if (strstr(base, ".digest.csv"))
			t = MF_DIGEST;
		if (t == MF_DIGEST && reg_find(object))
			fields = rec_fields_fingerprint(reg_find(object));
		if (fsio_read_file(argv[c], 1u << 30, &data) < 0)
			die("cannot read a member file");
		for (i = 0; i < data.len; i++)
			rows += data.buf[i] == '\n';
		if (rows)
			rows--;
		if (bw_member_begin(w, object, t, t == MF_RECORDS, fields) != ES_OK ||
		    bw_member_write(w, data.buf, data.len) != ES_OK ||
		    bw_member_end(w, rows) != ES_OK)
			die("cannot stage a member");
		sb_release(&data);
	}
	memset(&head, 0, sizeof head);
	snprintf(head.kind, sizeof head.kind, "%s", kind);
	snprintf(head.district, sizeof head.district, "%s", district);
	snprintf(head.state, sizeof head.state, "%s", state);
	snprintf(head.scope, sizeof head.scope, "%s", scope);
	head.year = year;
	head.sequence = seq;
	gmtime_r(&now, &tm);
	strftime(head.created, sizeof head.created, "%Y-%m-%dT%H:%M:%SZ", &tm);
	fd = open(argv[optind], O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || bw_finish(w, &head, k, fd, &err) != ES_OK || close(fd) < 0)
		die(err.len ? err.buf : "cannot write the bundle");
	mf_free(&head);
	bw_free(w);
	key_secret_free(k);
	sb_release(&err);
	sb_release(&tmpl);
	return 0;
}
