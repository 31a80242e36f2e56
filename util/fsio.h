/*
 * fsio.h - durable, careful file operations (generic; knows nothing of
 * edsync's folders).
 *
 * The durable way to make a file appear is: create it under a temporary
 * name with O_EXCL, write, fsync, close, rename() onto the final name, and
 * fsync the folder so the rename itself survives a crash (Postfix
 * mail_queue_enter, redis fsyncFileDir, skalibs openwritenclose).
 * fsio_write_atomic() does all of it; fsio_commit() does the last half for
 * a file the caller wrote itself.
 *
 * All functions return 0 on success and -1 with errno set on failure; they
 * print nothing.  The caller knows which file matters to the user and says
 * so once.
 */
#ifndef EDSYNC_FSIO_H
#define EDSYNC_FSIO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct sb;

/* fsync a folder, so that renames and creations in it are durable. */
int fsio_fsync_dir(const char *dir);

/* mkdir -p with mode for the folders it creates. */
int fsio_mkdirs(const char *path, mode_t mode);

/* Write p[0..n) to path atomically and durably; the file gets mode. */
int fsio_write_atomic(const char *path, const void *p, size_t n, mode_t mode);

/*
 * Create a new temporary file in dir, named ".tmp.<pid>.<counter>.<suffix>",
 * opened O_RDWR|O_CREAT|O_EXCL|O_CLOEXEC with mode.  Returns the fd and
 * stores the malloc'd path in *path_out.
 */
int fsio_create_temp(const char *dir, const char *suffix, mode_t mode, char **path_out);

/* fsync fd, close it (always, even on failure), rename tmp_path to
 * final_path, fsync the final folder. */
int fsio_commit(int fd, const char *tmp_path, const char *final_path);

/*
 * rename() then fsync both folders; when from and to are on different file
 * systems (EXDEV), copy durably under a temporary name in the destination
 * folder, rename it into place, then unlink the source.  A crash leaves the
 * file in the source, or in both; never in neither, never half in the
 * destination.
 */
int fsio_move(const char *from, const char *to);

/* Like fsio_move() but always copies and keeps the source. */
int fsio_copy(const char *from, const char *to, mode_t mode);

/*
 * Open an input file with care (Postfix safe_open): no symlink is followed,
 * it must be a regular file.  Returns the fd.  errno ELOOP for a symlink,
 * EINVAL for something that is not a regular file.
 */
int fsio_open_input(const char *path);

/* Read a whole small file (at most max bytes, else EFBIG) into out. */
int fsio_read_file(const char *path, size_t max, struct sb *out);

/* Write all of p[0..n) to fd, retrying short writes and EINTR. */
int fsio_write_all(int fd, const void *p, size_t n);

/* Does path exist (lstat)? 1 yes, 0 no. */
int fsio_exists(const char *path);

/* Is path an existing folder? */
int fsio_is_dir(const char *path);

/* Remove every file in dir whose name starts with prefix (not recursive). */
int fsio_remove_prefixed(const char *dir, const char *prefix);

/* Remove a folder tree (used for scratch folders only). */
int fsio_remove_tree(const char *path);

#endif
