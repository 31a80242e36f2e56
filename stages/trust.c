/* trust.c - 'edsync trust': pin the other side's public key. */
#include "stages.h"
#include "../formats/keys.h"
#include "../formats/manifest.h"
#include "../pipeline/cli.h"
#include "../pipeline/home.h"
#include "../util/fsio.h"
#include "../util/msg.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

es_status cmd_trust(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "district", required_argument, NULL, 'd' },
		{ "state", no_argument, NULL, 's' },
		CLI_COMMON_OPTIONS
	};
	struct cli cli;
	struct home h;
	struct key_pub k, old;
	struct sb err = SB_INIT, text = SB_INIT;
	const char *district = NULL, *file;
	char *dest = NULL, id[17], oldid[17];
	int want_state = 0, c;
	es_status st;

	cli_init(&cli, "trust");
	while ((c = cli_next(&cli, argc, argv, opts)) != -1) {
		switch (c) {
		case 'd': district = optarg; break;
		case 's': want_state = 1; break;
		case CLI_HELP: return ES_OK;
		default: return ES_USAGE;
		}
	}
	if (optind + 1 != argc)
		return cli_usage(&cli, "give one public key file");
	file = argv[optind];
	if (!!district == want_state)
		return cli_usage(&cli, "give --district ID (on the state) or --state (on a district)");
	if (district && !mf_district_ok(district))
		return cli_usage(&cli, "--district wants a district ID (1 to 16 digits)");

	st = home_start(&h, home_default(cli.home), "trust",
			district ? CFG_STATE : CFG_DISTRICT, 1, cli.wait);
	if (st != ES_OK)
		return st;
	st = key_load_public(file, &k, &err);
	if (st != ES_OK) {
		msg_error("%s", err.buf);
		if (st == ES_CONFIG)
			st = ES_DATA;
		goto out;
	}
	key_id_hex(k.id, id);
	if (district && (strcmp(k.role, "district") || strcmp(k.owner, district))) {
		msg_error("%s: this is the key of %s %s, not of district %s; not trusted",
			  file, k.role, k.owner, district);
		st = ES_REFUSED;
		goto out;
	}
	if (strcmp(k.state, h.cfg.state) != 0 ||
	    (want_state && (strcmp(k.role, "state") || strcmp(k.owner, h.cfg.state)))) {
		msg_error("%s: this is a key of %s %s in %s, not of this home's state %s; not trusted",
			  file, k.role, k.owner, k.state, h.cfg.state);
		st = ES_REFUSED;
		goto out;
	}
	dest = district ? xasprintf("%s/%s/district-%s.pub", h.dir, HOME_TRUSTED, district)
			: xasprintf("%s/%s/state.pub", h.dir, HOME_TRUSTED);
	sb_reset(&err);
	if (fsio_exists(dest) && key_load_public(dest, &old, &err) == ES_OK &&
	    memcmp(old.pk, k.pk, sizeof k.pk) != 0) {
		key_id_hex(old.id, oldid);
		msg_warn("%s: replacing the pinned key %s with %s", dest, oldid, id);
	}
	key_public_text(&k, &text);
	if (fsio_write_atomic(dest, text.buf, text.len, 0644) < 0) {
		msg_error("%s: cannot write: %s", dest, strerror(errno));
		st = ES_IO;
		goto out;
	}
	printf("trusted %s %s: key %s\n", k.role, k.owner, id);
out:
	sb_release(&err);
	sb_release(&text);
	free(dest);
	home_close(&h);
	return st;
}
