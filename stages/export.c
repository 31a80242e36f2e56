/* export.c - 'edsync export': what the state holds for one district and
 * object, as CSV with the registry's header, sorted by key. */
#include "stages.h"
#include "../formats/csvw.h"
#include "../formats/manifest.h"
#include "../formats/registry.h"
#include "../pipeline/cli.h"
#include "../pipeline/home.h"
#include "../pipeline/storeopen.h"
#include "../store/store.h"
#include "../util/fsio.h"
#include "../util/msg.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FLUSH_AT (1u << 16)

static int flush(int fd, struct sb *buf)
{
	int rc = fsio_write_all(fd, buf->buf, buf->len);

	sb_reset(buf);
	return rc;
}

es_status cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "district", required_argument, NULL, 'd' },
		{ "object", required_argument, NULL, 'o' },
		{ "out", required_argument, NULL, 'O' },
		CLI_COMMON_OPTIONS
	};
	struct cli cli;
	struct home h;
	struct store *s = NULL;
	struct store_cursor *cur = NULL;
	const struct reg_object *o;
	const char *district = NULL, *object = NULL, *out = NULL;
	char *tmp = NULL, *dir = NULL;
	struct sb buf = SB_INIT;
	const struct rec_val *v;
	const unsigned char *hash;
	es_status st;
	int c, fd = 1, rc;
	size_t i;

	cli_init(&cli, "export");
	while ((c = cli_next(&cli, argc, argv, opts)) != -1) {
		switch (c) {
		case 'd': district = optarg; break;
		case 'o': object = optarg; break;
		case 'O': out = optarg; break;
		case CLI_HELP: return ES_OK;
		default: return ES_USAGE;
		}
	}
	if ((st = cli_no_operands(&cli, argc, argv)) != ES_OK)
		return st;
	if (!district || !mf_district_ok(district))
		return cli_usage(&cli, "give --district ID");
	if (!object)
		return cli_usage(&cli, "give --object OBJECT");
	o = reg_find(object);
	if (!o)
		return cli_usage(&cli, "no object named '%s' ('edsync objects' lists them)", object);
	st = home_start(&h, home_default(cli.home), "export", CFG_STATE, 0, 0);
	if (st != ES_OK)
		return st;
	st = home_store_open(&h, &s);
	if (st != ES_OK)
		goto out;
	if (out) {
		const char *slash = strrchr(out, '/');

		dir = slash ? xstrndup(out, (size_t)(slash - out) + (slash == out)) : xstrdup(".");
		fd = fsio_create_temp(dir, "export", 0600, &tmp);
		if (fd < 0) {
			msg_error("%s: cannot write: %s", out, strerror(errno));
			st = ES_IO;
			goto out;
		}
	}
	for (i = 0; i < o->nfields; i++)
		csvw_cell(&buf, i, o->fields[i].name, strlen(o->fields[i].name));
	csvw_end(&buf);
	st = store_cursor_open(s, o, district, &cur);
	while (st == ES_OK && (rc = store_cursor_next(cur, &v, &hash)) != 0) {
		if (rc < 0) {
			st = ES_IO;
			break;
		}
		for (i = 0; i < o->nfields; i++)
			csvw_cell(&buf, i, v[i].p, v[i].n);
		csvw_end(&buf);
		if (buf.len >= FLUSH_AT && flush(fd, &buf) < 0) {
			msg_error("%s: write failed: %s", out ? out : "stdout", strerror(errno));
			st = ES_IO;
		}
	}
	if (st == ES_OK && buf.len && flush(fd, &buf) < 0) {
		msg_error("%s: write failed: %s", out ? out : "stdout", strerror(errno));
		st = ES_IO;
	}
	if (out) {
		if (st == ES_OK && fsio_commit(fd, tmp, out) < 0) {
			msg_error("%s: cannot write: %s", out, strerror(errno));
			st = ES_IO;
		} else if (st != ES_OK) {
			close(fd);
		}
		if (st != ES_OK)
			unlink(tmp);
	}
out:
	store_cursor_close(cur);
	store_close(s);
	sb_release(&buf);
	free(tmp);
	free(dir);
	home_close(&h);
	return st;
}
