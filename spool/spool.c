/* spool.c - atomic, crash-safe spool folders; see spool.h. */
#include "spool.h"
#include "../util/fsio.h"
#include "../util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

es_status spool_make(const char *dir)
{
	char *tmp = xpath(dir, SPOOL_TMP);
	int rc = fsio_mkdirs(tmp, 0700);

	free(tmp);
	return rc < 0 ? es_from_errno(errno) : ES_OK;
}

int spool_create(const char *dir, const char *suffix, char **tmp_path)
{
	char *tmpdir = xpath(dir, SPOOL_TMP);
	int fd = fsio_create_temp(tmpdir, suffix, 0600, tmp_path);

	if (fd < 0 && errno == ENOENT) {
		fsio_mkdirs(tmpdir, 0700);
		fd = fsio_create_temp(tmpdir, suffix, 0600, tmp_path);
	}
	free(tmpdir);
	return fd;
}

int spool_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || name[0] == '.' || strchr(name, '/'))
		return 0;
	if (n >= 5 && strcmp(name + n - 5, ".part") == 0)
		return 0;
	return 1;
}

/* rename that fails with EEXIST instead of replacing */
static int rename_noreplace(const char *from, const char *to)
{
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* File systems without RENAME_NOREPLACE: link() refuses to replace. */
	if (link(from, to) < 0)
		return -1;
	return unlink(from);
}

es_status spool_commit(int fd, const char *tmp_path, const char *dir, const char *name)
{
	char *final = xpath(dir, name);
	es_status st = ES_OK;

	if (fsync(fd) < 0 || close(fd) < 0) {
		st = ES_IO;
		close(fd);
	} else if (rename_noreplace(tmp_path, final) < 0 || fsio_fsync_dir(dir) < 0) {
		st = ES_IO;
	}
	if (st != ES_OK) {
		int saved = errno;

		unlink(tmp_path);
		errno = saved;
	}
	free(final);
	return st;
}

void spool_abort(int fd, const char *tmp_path)
{
	if (fd >= 0)
		close(fd);
	if (tmp_path)
		unlink(tmp_path);
}

es_status spool_move(const char *from_dir, const char *name, const char *to_dir,
		     char **final_name)
{
	char *from = xpath(from_dir, name);
	char *got = xstrdup(name);
	char *to = xpath(to_dir, name);
	es_status st = ES_OK;
	int i;

	for (i = 1; rename_noreplace(from, to) < 0; i++) {
		if (errno == EXDEV && !fsio_exists(to)) {
			/* Another file system: copy durably, then let go. */
			if (fsio_copy(from, to, 0600) < 0)
				st = es_from_errno(errno);
			else if (unlink(from) < 0)
				st = ES_IO;
			break;
		}
		if (errno == EXDEV)
			errno = EEXIST;	/* taken there too: try the next name */
		if (errno != EEXIST || i > 9999) {
			st = es_from_errno(errno);
			break;
		}
		free(got);
		free(to);
		got = xasprintf("%s.%d", name, i);
		to = xpath(to_dir, got);
	}
	if (st == ES_OK && (fsio_fsync_dir(to_dir) < 0 ||
			    (strcmp(from_dir, to_dir) && fsio_fsync_dir(from_dir) < 0)))
		st = ES_IO;
	free(from);
	free(to);
	if (final_name && st == ES_OK)
		*final_name = got;
	else
		free(got);
	return st;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

es_status spool_list(const char *dir, const char *suffix, char ***names, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t sl = strlen(suffix), cap = 0;

	*names = NULL;
	*n = 0;
	if (!d)
		return es_from_errno(errno);
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		struct stat st;
		char *p;

		if (!spool_name_ok(e->d_name) || len < sl ||
		    strcmp(e->d_name + len - sl, suffix) != 0)
			continue;
		p = xpath(dir, e->d_name);
		if (lstat(p, &st) < 0 || S_ISDIR(st.st_mode)) {
			free(p);
			continue;
		}
		free(p);
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*names = xrealloc(*names, cap * sizeof **names);
		}
		(*names)[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (*n)
		qsort(*names, *n, sizeof **names, name_cmp);
	return ES_OK;
}

void spool_list_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

void spool_clean(const char *dir)
{
	char *tmp = xpath(dir, SPOOL_TMP);

	fsio_remove_prefixed(tmp, ".tmp.");
	free(tmp);
}

es_status spool_lock(const char *lock_path, int wait, int *fd_out)
{
	int fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	*fd_out = -1;
	if (fd < 0)
		return es_from_errno(errno);
	if (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return saved == EWOULDBLOCK ? ES_TEMP : ES_IO;
	}
	*fd_out = fd;
	return ES_OK;
}
