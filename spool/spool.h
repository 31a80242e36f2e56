/*
 * spool.h - atomic, crash-safe spool folders (after Postfix's queues and
 * maildir).
 *
 * A spool folder holds complete entries only, one file each; an entry is
 * written in the folder's hidden ".tmp/" sub-folder and appears in the
 * spool by one rename, after fsync of the file, and the folder is fsynced
 * after:
 *
 *     fd = spool_create(dir, "bundle", &tmp);     write(fd, ...)
 *     spool_commit(fd, tmp, dir, name)            -> dir/name, durable
 *   or spool_abort(fd, tmp)                       -> nothing left behind
 *
 * Moving an entry between spools (outbox -> sent, inbox -> claimed ->
 * applied | held | quarantine) is spool_move(): a rename that never
 * replaces an entry already there (a second copy gets a ".N" suffix) and
 * fsyncs both folders.  A process killed at any instant therefore leaves
 * every entry whole, in exactly one folder; the only debris is in .tmp/,
 * which spool_clean() empties (only under the home's lock).
 *
 * Names are flat: no '/', no leading '.', not ending in ".part": a name
 * starting with '.' or ending in ".part" is a file still being written by
 * someone, and every listing skips it.  spool_list() returns the complete
 * entries of a folder with a suffix, sorted by name.
 *
 * The lock: one writer per home.  spool_lock() takes an exclusive flock on
 * a lock file and returns its fd (keep it open); with wait = 0 a held lock
 * is ES_TEMP.
 *
 * Library convention: es_status results; messages are the caller's, so
 * failures leave errno set for it.
 */
#ifndef EDSYNC_SPOOL_H
#define EDSYNC_SPOOL_H

#include <stddef.h>

#include "../util/status.h"

#define SPOOL_TMP ".tmp"

/* Make dir and dir/.tmp (mode 0700). */
es_status spool_make(const char *dir);
/* Start a new entry: returns fd, *tmp_path (free it) set. */
int spool_create(const char *dir, const char *suffix, char **tmp_path);
es_status spool_commit(int fd, const char *tmp_path, const char *dir, const char *name);
void spool_abort(int fd, const char *tmp_path);

/*
 * Move from_dir/name into to_dir durably, never over an existing entry.
 * *final_name (if not NULL) receives the name it got (free it).
 */
es_status spool_move(const char *from_dir, const char *name, const char *to_dir,
		     char **final_name);

/* Complete entries of dir whose name ends in suffix ("" = any), sorted. */
es_status spool_list(const char *dir, const char *suffix, char ***names, size_t *n);
void spool_list_free(char **names, size_t n);

/* Is name an acceptable entry name (flat, not in progress)? */
int spool_name_ok(const char *name);

/* Remove leftovers of killed writers from dir/.tmp. */
void spool_clean(const char *dir);

/* Lock file: exclusive, held while the returned fd stays open. */
es_status spool_lock(const char *lock_path, int wait, int *fd_out);

#endif
