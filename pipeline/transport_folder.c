/*
 * transport_folder.c - 'send' to a folder: the state's home, or a mounted
 * drop folder laid out like one; see transport.h.
 *
 * A bundle is copied under a temporary name that starts with '.' (so no
 * loader takes it half-written), fsynced, renamed into place and the folder
 * fsynced (fsio_copy).
 */
#include "transport.h"
#include "home.h"
#include "../spool/spool.h"
#include "../util/fsio.h"
#include "../util/msg.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct folder {
	struct transport base;
	char *inbox;
	char *retdir;		/* or NULL: a plain drop folder */
};

static es_status folder_put(struct transport *t, const char *path, const char *name)
{
	struct folder *f = (struct folder *)t;
	char *to = xpath(f->inbox, name);
	es_status st = ES_OK;

	if (fsio_copy(path, to, 0600) < 0) {
		msg_error("%s: cannot deliver %s: %s", f->inbox, name, strerror(errno));
		st = errno == ENOSPC || errno == EIO ? ES_IO : ES_UNAVAILABLE;
	}
	free(to);
	return st;
}

static es_status folder_list(struct transport *t, char ***names, size_t *n)
{
	struct folder *f = (struct folder *)t;
	es_status st;

	*names = NULL;
	*n = 0;
	if (!f->retdir || !fsio_is_dir(f->retdir))
		return ES_OK;
	st = spool_list(f->retdir, "", names, n);
	if (st != ES_OK)
		msg_error("%s: cannot list: %s", f->retdir, strerror(errno));
	return st;
}

static es_status folder_fetch(struct transport *t, const char *name, const char *dir)
{
	struct folder *f = (struct folder *)t;
	char *from = xpath(f->retdir, name);
	char *to = xpath(dir, name);
	es_status st = ES_OK;

	if (fsio_copy(from, to, 0600) < 0) {
		msg_error("%s: cannot fetch %s: %s", f->retdir, name, strerror(errno));
		st = ES_IO;
	}
	free(from);
	free(to);
	return st;
}

static es_status folder_remove(struct transport *t, const char *name)
{
	struct folder *f = (struct folder *)t;
	char *from = xpath(f->retdir, name);
	es_status st = ES_OK;

	if (unlink(from) < 0 || fsio_fsync_dir(f->retdir) < 0) {
		/* Fetched twice at worst; the district's load takes each once. */
		msg_warn("%s: fetched, but cannot remove it: %s", from, strerror(errno));
		st = ES_IO;
	}
	free(from);
	return st;
}

static void folder_close(struct transport *t)
{
	struct folder *f = (struct folder *)t;

	free(f->inbox);
	free(f->retdir);
	free(f);
}

static const struct transport_ops folder_ops = {
	folder_put, folder_list, folder_fetch, folder_remove, folder_close
};

es_status transport_folder_open(const char *dest, const struct transport_params *p,
				struct transport **out)
{
	struct folder *f;

	*out = NULL;
	errno = 0;
	if (!fsio_is_dir(dest)) {
		msg_error("send: %s: cannot reach the destination folder: %s", dest,
			  strerror(errno ? errno : ENOTDIR));
		return ES_UNAVAILABLE;
	}
	f = xcalloc(1, sizeof *f);
	f->base.ops = &folder_ops;
	f->inbox = xpath(dest, HOME_INBOX);
	if (fsio_is_dir(f->inbox)) {
		f->retdir = xasprintf("%s/%s/%s", dest, HOME_OUTBOX, p->district);
	} else {
		free(f->inbox);
		f->inbox = xstrdup(dest);
	}
	*out = &f->base;
	return ES_OK;
}
