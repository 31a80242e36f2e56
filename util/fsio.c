/* fsio.c - durable, careful file operations; see fsio.h. */
#include "fsio.h"
#include "sb.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int fsio_fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc, saved;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

int fsio_mkdirs(const char *path, mode_t mode)
{
	char *p = xstrdup(path);
	char *s;
	int rc = 0;

	/* Skip the leading '/' of an absolute path; "" must not be read past. */
	for (s = p + (*p == '/'); ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, mode) < 0 && errno != EEXIST) {
				rc = -1;
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	if (rc == 0 && !fsio_is_dir(path)) {
		errno = ENOTDIR;
		rc = -1;
	}
	free(p);
	return rc;
}

int fsio_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t w = write(fd, c, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

int fsio_create_temp(const char *dir, const char *suffix, mode_t mode, char **path_out)
{
	static unsigned counter;
	int tries;

	for (tries = 0; tries < 1000; tries++) {
		char *path = xasprintf("%s/.tmp.%ld.%u.%s", dir, (long)getpid(),
				       counter++, suffix);
		int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);

		if (fd >= 0) {
			/* The umask must not loosen or tighten what was asked. */
			if (fchmod(fd, mode) < 0) {
				int saved = errno;

				close(fd);
				unlink(path);
				free(path);
				errno = saved;
				return -1;
			}
			*path_out = path;
			return fd;
		}
		free(path);
		if (errno != EEXIST)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

int fsio_commit(int fd, const char *tmp_path, const char *final_path)
{
	char *dir;
	int rc;

	if (fsync(fd) < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	if (close(fd) < 0)
		return -1;
	if (rename(tmp_path, final_path) < 0)
		return -1;
	dir = dir_of(final_path);
	rc = fsio_fsync_dir(dir);
	free(dir);
	return rc;
}

int fsio_write_atomic(const char *path, const void *p, size_t n, mode_t mode)
{
	char *dir = dir_of(path);
	char *tmp = NULL;
	int fd = fsio_create_temp(dir, "w", mode, &tmp);
	int saved;

	free(dir);
	if (fd < 0)
		return -1;
	if (fsio_write_all(fd, p, n) < 0) {
		saved = errno;
		close(fd);
		unlink(tmp);
		free(tmp);
		errno = saved;
		return -1;
	}
	if (fsio_commit(fd, tmp, path) < 0) {
		saved = errno;
		unlink(tmp);
		free(tmp);
		errno = saved;
		return -1;
	}
	free(tmp);
	return 0;
}

static int copy_fd(int in, int out)
{
	char buf[1 << 16];

	for (;;) {
		ssize_t r = read(in, buf, sizeof buf);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			return 0;
		if (fsio_write_all(out, buf, (size_t)r) < 0)
			return -1;
	}
}

int fsio_copy(const char *from, const char *to, mode_t mode)
{
	char *dir = dir_of(to);
	char *tmp = NULL;
	int in, out, saved;

	in = fsio_open_input(from);
	if (in < 0) {
		free(dir);
		return -1;
	}
	out = fsio_create_temp(dir, "copy", mode, &tmp);
	free(dir);
	if (out < 0) {
		saved = errno;
		close(in);
		errno = saved;
		return -1;
	}
	if (copy_fd(in, out) < 0) {
		saved = errno;
		close(in);
		close(out);
		unlink(tmp);
		free(tmp);
		errno = saved;
		return -1;
	}
	close(in);
	if (fsio_commit(out, tmp, to) < 0) {
		saved = errno;
		unlink(tmp);
		free(tmp);
		errno = saved;
		return -1;
	}
	free(tmp);
	return 0;
}

int fsio_move(const char *from, const char *to)
{
	char *fdir, *tdir;
	int rc;

	if (rename(from, to) < 0) {
		struct stat st;

		if (errno != EXDEV)
			return -1;
		if (lstat(from, &st) < 0)
			return -1;
		if (fsio_copy(from, to, st.st_mode & 07777) < 0)
			return -1;
		if (unlink(from) < 0)
			return -1;
	}
	tdir = dir_of(to);
	fdir = dir_of(from);
	rc = fsio_fsync_dir(tdir);
	if (rc == 0 && strcmp(fdir, tdir) != 0)
		rc = fsio_fsync_dir(fdir);
	free(tdir);
	free(fdir);
	return rc;
}

int fsio_open_input(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	/* O_NONBLOCK only kept a FIFO from blocking the open. */
	fcntl(fd, F_SETFL, 0);
	return fd;
}

int fsio_read_file(const char *path, size_t max, struct sb *out)
{
	int fd = fsio_open_input(path);
	char buf[8192];

	if (fd < 0)
		return -1;
	sb_reset(out);
	for (;;) {
		ssize_t r = read(fd, buf, sizeof buf);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		if (out->len + (size_t)r > max) {
			close(fd);
			errno = EFBIG;
			return -1;
		}
		sb_add(out, buf, (size_t)r);
	}
	close(fd);
	if (!out->buf)
		sb_grow(out, 0), out->buf[0] = '\0';
	return 0;
}

int fsio_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

int fsio_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int fsio_remove_prefixed(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t pl = strlen(prefix);

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, prefix, pl) == 0) {
			char *p = xpath(dir, e->d_name);

			unlink(p);
			free(p);
		}
	}
	closedir(d);
	return 0;
}

int fsio_remove_tree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL) {
		char *p;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		p = xpath(path, e->d_name);
		fsio_remove_tree(p);
		free(p);
	}
	closedir(d);
	return rmdir(path);
}
