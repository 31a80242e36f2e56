/* init.c - 'edsync init': make a district or state home. */
#include "stages.h"
#include "../formats/keys.h"
#include "../formats/manifest.h"
#include "../pipeline/cli.h"
#include "../pipeline/home.h"
#include "../util/fsio.h"
#include "../util/msg.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The school year under way, named by the year it ends (July starts one). */
static int current_school_year(void)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	return tm.tm_year + 1900 + (tm.tm_mon >= 6);
}

es_status cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "district", required_argument, NULL, 'd' },
		{ "state", required_argument, NULL, 's' },
		{ "year", required_argument, NULL, 'y' },
		CLI_COMMON_OPTIONS
	};
	struct cli cli;
	struct config cfg;
	const char *role = NULL, *district = NULL, *state = NULL, *year = NULL, *dir;
	char *conf = NULL, *text = NULL, *pub = NULL, *sec = NULL, *end;
	es_status st;
	int c;

	cli_init(&cli, "init");
	while ((c = cli_next(&cli, argc, argv, opts)) != -1) {
		switch (c) {
		case 'r': role = optarg; break;
		case 'd': district = optarg; break;
		case 's': state = optarg; break;
		case 'y': year = optarg; break;
		case CLI_HELP: return ES_OK;
		default: return ES_USAGE;
		}
	}
	if ((st = cli_no_operands(&cli, argc, argv)) != ES_OK)
		return st;
	memset(&cfg, 0, sizeof cfg);
	if (!role || (strcmp(role, "district") && strcmp(role, "state")))
		return cli_usage(&cli, "give --role district or --role state");
	cfg.role = !strcmp(role, "district") ? CFG_DISTRICT : CFG_STATE;
	if (cfg.role == CFG_DISTRICT && (!district || !mf_district_ok(district)))
		return cli_usage(&cli, "a district needs --district ID (1 to 16 digits)");
	if (cfg.role == CFG_STATE && district)
		return cli_usage(&cli, "--district is for a district home");
	if (!state || !mf_state_ok(state))
		return cli_usage(&cli, "give --state XX, the two-letter state code");
	cfg.year = current_school_year();
	if (year) {
		long y = strtol(year, &end, 10);

		if (*end || strlen(year) != 4 || y < 1901 || y > 2199)
			return cli_usage(&cli, "--year wants the school year's end year, YYYY");
		cfg.year = (int)y;
	}
	if (district)
		snprintf(cfg.district, sizeof cfg.district, "%s", district);
	snprintf(cfg.state, sizeof cfg.state, "%s", state);

	dir = home_default(cli.home);
	conf = xpath(dir, HOME_CONFIG);
	if (fsio_exists(conf)) {
		msg_error("%s: already an edsync home; nothing changed", dir);
		st = ES_CONFIG;
		goto out;
	}
	if (fsio_mkdirs(dir, 0700) < 0) {
		msg_error("%s: cannot make the home folder: %s", dir, strerror(errno));
		st = ES_IO;
		goto out;
	}
	st = home_make_folders(dir, cfg.role);
	if (st != ES_OK)
		goto out;
	pub = xasprintf("%s/%s/%s.pub", dir, HOME_KEYS, role);
	sec = xasprintf("%s/%s/%s.key", dir, HOME_KEYS, role);
	st = key_generate(pub, sec, role, cfg.role == CFG_DISTRICT ? cfg.district : cfg.state,
			  cfg.state);
	if (st != ES_OK) {
		msg_error("%s: cannot write the key pair: %s", sec, strerror(errno));
		goto out;
	}
	/* The config last: a home is a home once edsync.conf exists. */
	text = cfg_render(&cfg);
	if (fsio_write_atomic(conf, text, strlen(text), 0600) < 0) {
		msg_error("%s: cannot write: %s", conf, strerror(errno));
		st = ES_IO;
		goto out;
	}
	if (cfg.role == CFG_DISTRICT)
		printf("district %s of %s, school year %d: home %s\n"
		       "public key: %s\n"
		       "next: give that file to the state ('edsync trust --district %s FILE' "
		       "there), and trust the state's key here ('edsync trust --state FILE')\n",
		       cfg.district, cfg.state, cfg.year, dir, pub, cfg.district);
	else
		printf("state %s, school year %d: home %s\n"
		       "public key: %s\n"
		       "next: trust each district's key ('edsync trust --district ID FILE') "
		       "and give this one to the districts\n",
		       cfg.state, cfg.year, dir, pub);
out:
	free(conf);
	free(text);
	free(pub);
	free(sec);
	return st;
}
