/*
 * transport.h - where 'send' delivers: a folder or an SFTP server, behind
 * one interface, so that the send loop (stages/send.c) is written once.
 *
 * A destination is laid out as a state home's drop folder: DEST/inbox/
 * takes the bundles, DEST/outbox/<district ID>/ holds what the state left
 * for the district (its return folder).  A destination without inbox/ is a
 * plain drop folder: bundles go straight into it and nothing comes back.
 *
 *     transport_open(dest, &params, &t)    reach the destination
 *     transport_put(t, path, name)          deliver the local file as
 *                                           inbox/name: written under a
 *                                           temporary name starting with
 *                                           '.', synced, renamed
 *     transport_list(t, &names, &n)         what waits in the return folder
 *                                           (complete files only, sorted)
 *     transport_fetch(t, name, dir)         bring it durably into the local
 *                                           folder dir (temporary name,
 *                                           fsync, rename, fsync the folder)
 *     transport_remove(t, name)             remove it from the return folder;
 *                                           only after a fetch
 *     transport_close(t)
 *
 * Destinations:
 *   a folder path                      (transport_folder.c)
 *   sftp://user@host[:port]/path       (transport_sftp.c, libssh): key
 *       login with params->key, the server's host key pinned in
 *       params->known_hosts; files are uploaded mode 0640 (the state's
 *       loader reads them through the drop folder's group, see
 *       docs/TRANSFER.md)
 *
 * Every function reports its own failure as one message and returns its
 * status: ES_UNAVAILABLE (69) when the destination cannot be reached or
 * cannot take a file, ES_REFUSED (77) for a host key that is not the one
 * pinned or a login the server refuses, ES_CONFIG (78) for a missing or
 * loose setting, ES_USAGE for a destination that is not one, ES_IO for a
 * local failure.  transport_remove()'s failure is a warning (the file was
 * fetched; fetching it again is harmless).
 */
#ifndef EDSYNC_TRANSPORT_H
#define EDSYNC_TRANSPORT_H

#include <stddef.h>

#include "../util/status.h"

struct transport_params {
	const char *home;		/* relative settings are relative to it */
	const char *district;		/* the return folder is outbox/<district> */
	const char *key;		/* sftp: private key file, or NULL */
	const char *known_hosts;	/* sftp: pinned host keys, or NULL */
};

struct transport;

struct transport_ops {
	es_status (*put)(struct transport *t, const char *path, const char *name);
	es_status (*list)(struct transport *t, char ***names, size_t *n);
	es_status (*fetch)(struct transport *t, const char *name, const char *dir);
	es_status (*remove)(struct transport *t, const char *name);
	void (*close)(struct transport *t);
};

/* Each transport's state starts with this. */
struct transport {
	const struct transport_ops *ops;
};

es_status transport_open(const char *dest, const struct transport_params *p,
			 struct transport **out);
es_status transport_put(struct transport *t, const char *path, const char *name);
/* names: free with spool_list_free() */
es_status transport_list(struct transport *t, char ***names, size_t *n);
es_status transport_fetch(struct transport *t, const char *name, const char *dir);
es_status transport_remove(struct transport *t, const char *name);
void transport_close(struct transport *t);

/* The two kinds, for transport_open(). */
int transport_is_sftp(const char *dest);
es_status transport_folder_open(const char *dest, const struct transport_params *p,
				struct transport **out);
es_status transport_sftp_open(const char *dest, const struct transport_params *p,
			      struct transport **out);

#endif
