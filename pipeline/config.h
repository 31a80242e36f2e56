/*
 * config.h - a home's edsync.conf: INI, read with libinih, checked at start.
 *
 * Every setting is an entry of one table in config.c (section, name, which
 * roles may set it, how its value is checked); anything else in the file is
 * an error.  cfg_load() reports the first problem once, as
 *     edsync: HOME/edsync.conf:LINE: [section] name: what is wrong
 * and returns ES_CONFIG; a command never starts on a bad config.
 *
 *   [node]   role = district | state      (required)
 *            district = 0042              (district: required)
 *            state = NV                   (required)
 *            year = 2027                  (required: the scoped school year)
 *   [send]   to = DEST                    (district: default for 'send')
 *            key = PATH                   (district, sftp: the private key)
 *            known_hosts = PATH           (district, sftp: pinned host keys)
 *   [store]  path = store.db              (state: the SQLite file)
 *   [load]   orphans = delete | flag      (state: what a complete resync
 *                                          did not carry; flag lists them)
 *            years = current              (state: the school years applied,
 *                                          of previous, current, next)
 */
#ifndef EDSYNC_CONFIG_H
#define EDSYNC_CONFIG_H

#include "../util/status.h"

enum cfg_role {
	CFG_NONE,
	CFG_DISTRICT,
	CFG_STATE
};

struct config {
	enum cfg_role role;
	char district[17];
	char state[3];
	int year;
	char *send_to;		/* or NULL */
	char *send_key;		/* sftp login key, as written (or NULL) */
	char *send_known_hosts;	/* sftp pinned host keys, as written (or NULL) */
	char *store_path;	/* relative to the home, or absolute */
	int orphans_flag;	/* [load] orphans = flag */
	unsigned years;		/* [load] years: CFG_YEAR_* */
};

#define CFG_YEAR_PREVIOUS 1u
#define CFG_YEAR_CURRENT 2u
#define CFG_YEAR_NEXT 4u

/* Change the [node] year of the config file at path, nothing else (the
 * result is read back before it replaces the file).  Reported. */
es_status cfg_set_year(const char *path, int year);
/* Does a state with config c apply bundles of school year year? */
int cfg_year_accepted(const struct config *c, int year);

es_status cfg_load(const char *path, struct config *c);
/* The text of a new config for init. */
char *cfg_render(const struct config *c);
void cfg_free(struct config *c);
const char *cfg_role_name(enum cfg_role r);

#endif
