/* config.c - edsync.conf; see config.h. */
#include "config.h"
#include "../formats/inistrict.h"
#include "../formats/manifest.h"
#include "../util/fsio.h"
#include "../util/msg.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ROLE_ANY 0
#define ROLE_D 1
#define ROLE_S 2

struct setting {
	const char *section;
	const char *name;
	int roles;		/* ROLE_ANY, or only for ROLE_D / ROLE_S */
	int required;		/* for the roles it applies to */
	/* check and store value; on error write the reason into why */
	int (*set)(struct config *c, const char *value, struct sb *why);
};

static int set_role(struct config *c, const char *v, struct sb *why)
{
	if (!strcmp(v, "district"))
		c->role = CFG_DISTRICT;
	else if (!strcmp(v, "state"))
		c->role = CFG_STATE;
	else
		return sb_addstr(why, "must be district or state"), -1;
	return 0;
}

static int set_district(struct config *c, const char *v, struct sb *why)
{
	if (!mf_district_ok(v))
		return sb_addstr(why, "is not a district ID (1 to 16 digits)"), -1;
	snprintf(c->district, sizeof c->district, "%s", v);
	return 0;
}

static int set_state(struct config *c, const char *v, struct sb *why)
{
	if (!mf_state_ok(v))
		return sb_addstr(why, "is not a two-letter state code such as NV"), -1;
	snprintf(c->state, sizeof c->state, "%s", v);
	return 0;
}

static int set_year(struct config *c, const char *v, struct sb *why)
{
	char *end;
	long y;

	errno = 0;
	y = strtol(v, &end, 10);
	if (errno || *end || end == v || strlen(v) != 4 || y < 1901 || y > 2199)
		return sb_addstr(why, "is not a school year (YYYY, the year it ends)"), -1;
	c->year = (int)y;
	return 0;
}

static int set_send_to(struct config *c, const char *v, struct sb *why)
{
	if (!*v)
		return sb_addstr(why, "is empty"), -1;
	free(c->send_to);
	c->send_to = xstrdup(v);
	return 0;
}

/* a file named by the config: relative to the home, or absolute */
static int set_file(char **dst, const char *v, struct sb *why)
{
	if (!*v)
		return sb_addstr(why, "is empty"), -1;
	free(*dst);
	*dst = xstrdup(v);
	return 0;
}

static int set_send_key(struct config *c, const char *v, struct sb *why)
{
	return set_file(&c->send_key, v, why);
}

static int set_send_known_hosts(struct config *c, const char *v, struct sb *why)
{
	return set_file(&c->send_known_hosts, v, why);
}

static int set_store_path(struct config *c, const char *v, struct sb *why)
{
	if (!*v)
		return sb_addstr(why, "is empty"), -1;
	free(c->store_path);
	c->store_path = xstrdup(v);
	return 0;
}

static int set_orphans(struct config *c, const char *v, struct sb *why)
{
	if (!strcmp(v, "delete"))
		c->orphans_flag = 0;
	else if (!strcmp(v, "flag"))
		c->orphans_flag = 1;
	else
		return sb_addstr(why, "must be delete or flag"), -1;
	return 0;
}

static int set_years(struct config *c, const char *v, struct sb *why)
{
	const char *p = v;
	unsigned mask = 0;

	while (*p) {
		size_t n = strcspn(p, ",");
		unsigned bit = n == 8 && !strncmp(p, "previous", 8) ? CFG_YEAR_PREVIOUS
			     : n == 7 && !strncmp(p, "current", 7) ? CFG_YEAR_CURRENT
			     : n == 4 && !strncmp(p, "next", 4) ? CFG_YEAR_NEXT : 0;

		if (!bit || (mask & bit))
			return sb_addstr(why, "must list previous, current, next (each once, "
					 "',' between)"), -1;
		mask |= bit;
		p += n;
		if (*p == ',' && !*++p)
			return sb_addstr(why, "ends with ','"), -1;
		while (*p == ' ')
			p++;
	}
	if (!(mask & CFG_YEAR_CURRENT))
		return sb_addstr(why, "must include current"), -1;
	c->years = mask;
	return 0;
}

static const struct setting settings[] = {
	{ "node", "role", ROLE_ANY, 1, set_role },
	{ "node", "district", ROLE_D, 1, set_district },
	{ "node", "state", ROLE_ANY, 1, set_state },
	{ "node", "year", ROLE_ANY, 1, set_year },
	{ "send", "to", ROLE_D, 0, set_send_to },
	{ "send", "key", ROLE_D, 0, set_send_key },
	{ "send", "known_hosts", ROLE_D, 0, set_send_known_hosts },
	{ "store", "path", ROLE_S, 0, set_store_path },
	{ "load", "orphans", ROLE_S, 0, set_orphans },
	{ "load", "years", ROLE_S, 0, set_years },
};
#define NSETTINGS (sizeof settings / sizeof settings[0])

struct load {
	struct config *c;
	unsigned seen;		/* bit per settings[] index */
	struct sb why;		/* the first problem, without the line */
};

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct load *ld = user;
	size_t i;

	for (i = 0; i < NSETTINGS; i++) {
		const struct setting *s = &settings[i];
		struct sb reason = SB_INIT;
		int rc;

		if (strcmp(s->section, section) || strcmp(s->name, name))
			continue;
		if (ld->seen & (1u << i)) {
			sb_addf(&ld->why, "[%s] %s: is set twice", section, name);
			return 0;
		}
		ld->seen |= 1u << i;
		rc = s->set(ld->c, value, &reason);
		if (rc < 0) {
			char q[MSG_QUOTE_MAX];

			sb_addf(&ld->why, "[%s] %s: %s %s", section, name,
				msg_quote(q, value, strlen(value)), reason.buf);
		}
		sb_release(&reason);
		return rc == 0;
	}
	sb_addf(&ld->why, "[%s] %s: unknown setting", section, name);
	return 0;
}

es_status cfg_load(const char *path, struct config *c)
{
	struct load ld;
	FILE *f;
	size_t i;
	int rc;

	memset(c, 0, sizeof *c);
	memset(&ld, 0, sizeof ld);
	ld.c = c;
	f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT)
			msg_error("%s: no such file: not an edsync home (run 'edsync init')", path);
		else
			msg_error("%s: cannot read: %s", path, strerror(errno));
		return ES_CONFIG;
	}
	ini_strict();
	errno = 0;
	rc = ini_parse_file(f, handler, &ld);
	if (ferror(f)) {
		/* a read error (a folder, an I/O error) is not the end of the file */
		msg_error("%s: cannot read: %s", path, strerror(errno ? errno : EIO));
		fclose(f);
		goto bad;
	}
	fclose(f);
	if (rc != 0) {
		msg_error("%s:%d: %s", path, rc,
			  ld.why.len ? ld.why.buf : "not a [section] or name = value line");
		goto bad;
	}
	if (c->role == CFG_NONE) {
		msg_error("%s: [node] role: missing", path);
		goto bad;
	}
	for (i = 0; i < NSETTINGS; i++) {
		const struct setting *s = &settings[i];
		int applies = s->roles == ROLE_ANY ||
			      (s->roles == ROLE_D && c->role == CFG_DISTRICT) ||
			      (s->roles == ROLE_S && c->role == CFG_STATE);

		if (applies && s->required && !(ld.seen & (1u << i))) {
			msg_error("%s: [%s] %s: missing", path, s->section, s->name);
			goto bad;
		}
		if (!applies && (ld.seen & (1u << i))) {
			msg_error("%s: [%s] %s: not a setting of a %s home", path, s->section,
				  s->name, cfg_role_name(c->role));
			goto bad;
		}
	}
	if (c->role == CFG_STATE && !c->store_path)
		c->store_path = xstrdup("store.db");
	if (!c->years)
		c->years = CFG_YEAR_CURRENT;
	sb_release(&ld.why);
	return ES_OK;
bad:
	sb_release(&ld.why);
	cfg_free(c);
	return ES_CONFIG;
}

char *cfg_render(const struct config *c)
{
	struct sb s = SB_INIT;

	sb_addstr(&s, "# edsync home configuration (see 'edsync help init')\n[node]\n");
	sb_addf(&s, "role = %s\n", cfg_role_name(c->role));
	if (c->role == CFG_DISTRICT)
		sb_addf(&s, "district = %s\n", c->district);
	sb_addf(&s, "state = %s\nyear = %d\n", c->state, c->year);
	if (c->role == CFG_DISTRICT)
		sb_addstr(&s, "\n[send]\n# to = /path/to/state/home\n"
			   "# or: to = sftp://user@host:port/path, with the SSH key and the\n"
			   "# server's pinned host key (see docs/TRANSFER.md)\n"
			   "# key = keys/sftp_ed25519\n# known_hosts = keys/known_hosts\n");
	if (c->role == CFG_STATE)
		sb_addstr(&s, "\n[store]\npath = store.db\n"
			   "\n[load]\n# what a complete resync did not carry: delete, or flag (listed)\n"
			   "# orphans = delete\n"
			   "# the school years of the bundles applied; others wait in var/held/\n"
			   "# years = current   (or e.g. previous,current,next)\n");
	return sb_detach(&s);
}

void cfg_free(struct config *c)
{
	free(c->send_to);
	free(c->send_key);
	free(c->send_known_hosts);
	free(c->store_path);
	c->send_to = c->send_key = c->send_known_hosts = c->store_path = NULL;
}

es_status cfg_set_year(const char *path, int year)
{
	struct sb in = SB_INIT, out = SB_INIT;
	struct config check;
	char *tmp = NULL, *line, *save = NULL;
	int in_node = 0, done = 0, fd;
	es_status st = ES_OK;

	if (fsio_read_file(path, 1 << 20, &in) < 0) {
		msg_error("%s: cannot read: %s", path, strerror(errno));
		return ES_IO;
	}
	if (!in.buf) {
		msg_error("%s: empty", path);
		sb_release(&in);
		return ES_CONFIG;
	}
	/* only the year line changes: comments and other settings stay */
	for (line = strtok_r(in.buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *p = line + strspn(line, " \t");

		if (*p == '[')
			in_node = !strncmp(p, "[node]", 6);
		else if (in_node && !done && !strncmp(p, "year", 4) &&
			 (p[4] == ' ' || p[4] == '\t' || p[4] == '=')) {
			sb_addf(&out, "year = %d\n", year);
			done = 1;
			continue;
		}
		sb_addf(&out, "%s\n", line);
	}
	if (!done) {
		msg_error("%s: no [node] year line to change", path);
		st = ES_CONFIG;
		goto out;
	}
	/* what is written must read back as a config with that year */
	tmp = xasprintf("%s.new", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || fsio_write_all(fd, out.buf, out.len) < 0 || fsync(fd) < 0) {
		msg_error("%s: cannot write: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		st = ES_IO;
		goto out;
	}
	close(fd);
	if (cfg_load(tmp, &check) != ES_OK) {
		st = ES_CONFIG;
		goto out;
	}
	st = check.year == year ? ES_OK : ES_SOFTWARE;
	cfg_free(&check);
	if (st != ES_OK)
		goto out;
	if (rename(tmp, path) < 0) {
		msg_error("%s: cannot replace: %s", path, strerror(errno));
		st = ES_IO;
		goto out;
	}
	{
		char *dir = xstrdup(path), *slash = strrchr(dir, '/');

		if (slash)
			*slash = '\0';
		fsio_fsync_dir(slash ? dir : ".");
		free(dir);
	}
out:
	if (tmp && st != ES_OK)
		unlink(tmp);
	free(tmp);
	sb_release(&in);
	sb_release(&out);
	return st;
}

int cfg_year_accepted(const struct config *c, int year)
{
	return (year == c->year && (c->years & CFG_YEAR_CURRENT)) ||
	       (year == c->year - 1 && (c->years & CFG_YEAR_PREVIOUS)) ||
	       (year == c->year + 1 && (c->years & CFG_YEAR_NEXT));
}

const char *cfg_role_name(enum cfg_role r)
{
	return r == CFG_DISTRICT ? "district" : r == CFG_STATE ? "state" : "unknown";
}
