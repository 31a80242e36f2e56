/*
 * inspect.c - 'edsync inspect BUNDLE': what a bundle says and whether its
 * signature and hashes hold, checked with the keys of the home (its own
 * and the ones it trusts).  A bundle whose manifest signature does not hold
 * has its manifest shown as stored text, escaped, never parsed; one whose
 * seal does not hold is not even decompressed.
 */
#include "stages.h"
#include "../formats/bundle.h"
#include "../formats/keys.h"
#include "../pipeline/cli.h"
#include "../pipeline/home.h"
#include "../util/fsio.h"
#include "../util/msg.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_escaped(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f))
			putchar(c);
		else
			printf("\\x%02x", c);
	}
	if (n && p[n - 1] != '\n')
		putchar('\n');
}

es_status cmd_inspect(int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS };
	struct cli cli;
	struct home h;
	struct keyring kr = { NULL, 0 };
	struct bundle *b = NULL;
	struct sb why = SB_INIT;
	const struct manifest *m;
	int c, have_home = 0;
	const char *text;
	size_t n, i;
	es_status st;

	cli_init(&cli, "inspect");
	while ((c = cli_next(&cli, argc, argv, opts)) != -1) {
		switch (c) {
		case CLI_HELP: return ES_OK;
		default: return ES_USAGE;
		}
	}
	if (optind + 1 != argc)
		return cli_usage(&cli, "give one bundle file");
	{
		const char *dir = home_default(cli.home);
		char *conf = xpath(dir, HOME_CONFIG);

		/* A home is optional: without one nothing can be trusted. */
		if (fsio_exists(conf) || cli.home) {
			struct key_pub self;
			char *pub;

			free(conf);
			if ((st = home_open(&h, dir)) != ES_OK)
				return st;
			have_home = 1;
			if (home_keyring(&h, &kr) != ES_OK)
				memset(&kr, 0, sizeof kr);
			pub = home_public_key_path(&h);
			sb_reset(&why);
			if (key_load_public(pub, &self, &why) == ES_OK)
				keyring_add(&kr, &self);
			sb_reset(&why);
			free(pub);
		} else {
			free(conf);
		}
	}
	st = bundle_open(argv[optind], &kr, &b, &why);
	if (!b) {
		msg_error("%s: %s", argv[optind], why.buf);
		goto out;
	}
	m = bundle_manifest(b);
	if (st == ES_OK && bundle_key(b)->retired_after &&
	    m->sequence > bundle_key(b)->retired_after) {
		sb_addf(&why, "signed by key %s, retired after sequence %" PRIu64, bundle_key_id(b),
			bundle_key(b)->retired_after);
		st = ES_REFUSED;
	}
	printf("bundle: %s\n", argv[optind]);
	printf("signature: key %s: %s\n", bundle_key_id(b),
	       st == ES_OK ? "holds (trusted key)" : why.buf);
	if (!m) {
		text = bundle_manifest_text(b, &n);
		if (!n) {
			printf("manifest: not read (nothing is decompressed before the seal holds)\n");
			goto out;
		}
		printf("manifest (not verified, shown as stored):\n");
		print_escaped(text, n);
		goto out;
	}
	printf("kind: %s\ndistrict: %s\nstate: %s\nyear: %d\nsequence: %" PRIu64
	       "\nscope: %s\ncreated: %s\nmembers:\n", m->kind, m->district, m->state,
	       m->year, m->sequence, m->scope, m->created);
	for (i = 0; i < m->nmembers; i++) {
		const struct mf_member *mm = &m->members[i];

		printf("  %-36s %-8s %10" PRIu64 " rows %12" PRIu64 " bytes%s\n", mm->name,
		       mf_type_name(mm->type), mm->rows, mm->bytes,
		       mm->type == MF_RECORDS && mm->complete ? "  complete" : "");
	}
	sb_reset(&why);
	st = bundle_check_members(b, &why);
	printf("members: %s\n", st == ES_OK ? "every hash holds" : why.buf);
out:
	if (st != ES_OK && b)
		msg_error("%s: %s", argv[optind], why.len ? why.buf : "does not hold");
	bundle_close(b);
	keyring_free(&kr);
	sb_release(&why);
	if (have_home)
		home_close(&h);
	return st;
}
