/* test_fsio.c - durable, careful file operations. */
#include "../../util/fsio.h"
#include "../../util/sb.h"
#include "../../util/xalloc.h"
#include "helpers/testutil.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static mode_t mode_of(const char *path)
{
	struct stat st;

	ck_assert_msg(lstat(path, &st) == 0, "lstat %s", path);
	return st.st_mode & 07777;
}

/* Number of entries in dir, "." and ".." not counted. */
static size_t entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void assert_content(const char *path, const void *want, size_t n)
{
	size_t got_n;
	char *got = tu_read(path, &got_n);

	ck_assert_uint_eq(got_n, n);
	ck_assert_mem_eq(got, want, n);
	free(got);
}

struct atomic_case {
	const char *content;
	size_t n;
	mode_t mode;
	mode_t umask;
};

static const struct atomic_case atomic_cases[] = {
	{ "hello\n", 6, 0600, 022 },
	{ "hello\n", 6, 0644, 022 },
	/* the umask neither tightens nor loosens the mode asked for */
	{ "hello\n", 6, 0644, 077 },
	{ "a\0b", 3, 0600, 0 },
	{ "", 0, 0644, 027 },
};

START_TEST(test_write_atomic_content_and_mode)
{
	const struct atomic_case *c = &atomic_cases[_i];
	char *dir = tu_tmpdir();
	char *path = xpath(dir, "out.csv");
	mode_t old = umask(c->umask);

	ck_assert_int_eq(fsio_write_atomic(path, c->content, c->n, c->mode), 0);
	umask(old);
	assert_content(path, c->content, c->n);
	ck_assert_uint_eq(mode_of(path), c->mode);
	/* nothing else left in the folder: the temporary name is gone */
	ck_assert_uint_eq(entries(dir), 1);
	free(path);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_write_atomic_replaces_and_big)
{
	char *dir = tu_tmpdir();
	char *path = tu_write_str(dir, "f", "old content that is longer");
	size_t n = 200000, i;
	char *big = xmalloc(n);

	ck_assert_int_eq(fsio_write_atomic(path, "new", 3, 0600), 0);
	assert_content(path, "new", 3);
	ck_assert_uint_eq(mode_of(path), 0600);
	for (i = 0; i < n; i++)
		big[i] = (char)(i * 7);
	ck_assert_int_eq(fsio_write_atomic(path, big, n, 0644), 0);
	assert_content(path, big, n);
	ck_assert_uint_eq(mode_of(path), 0644);
	ck_assert_uint_eq(entries(dir), 1);
	free(big);
	free(path);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_write_atomic_missing_folder)
{
	char *dir = tu_tmpdir();
	char *path = xpath(dir, "no/such/f");

	errno = 0;
	ck_assert_int_eq(fsio_write_atomic(path, "x", 1, 0600), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_uint_eq(entries(dir), 0);
	free(path);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_create_temp_naming_mode_commit)
{
	char *dir = tu_tmpdir();
	char *t1 = NULL, *t2 = NULL;
	char *prefix = xasprintf("%s/.tmp.%ld.", dir, (long)getpid());
	char *final = xpath(dir, "final.bin");
	mode_t old = umask(077);
	int fd1 = fsio_create_temp(dir, "bundle", 0644, &t1);
	int fd2 = fsio_create_temp(dir, "bundle", 0600, &t2);
	const char *base;
	size_t tl;

	umask(old);
	ck_assert_int_ge(fd1, 0);
	ck_assert_int_ge(fd2, 0);
	ck_assert_ptr_nonnull(t1);
	ck_assert_ptr_nonnull(t2);
	/* dir/.tmp.<pid>.<counter>.<suffix>, different each time */
	ck_assert_str_ne(t1, t2);
	ck_assert_int_eq(strncmp(t1, prefix, strlen(prefix)), 0);
	ck_assert_int_eq(strncmp(t2, prefix, strlen(prefix)), 0);
	base = strrchr(t1, '/') + 1;
	ck_assert_int_eq(strncmp(base, ".tmp.", 5), 0);
	tl = strlen(t1);
	ck_assert_str_eq(t1 + tl - strlen(".bundle"), ".bundle");
	/* the counter is digits only */
	ck_assert_uint_eq(strspn(t1 + strlen(prefix), "0123456789"),
			  tl - strlen(prefix) - strlen(".bundle"));
	ck_assert_uint_eq(mode_of(t1), 0644);
	ck_assert_uint_eq(mode_of(t2), 0600);
	/* opened read-write, close-on-exec */
	ck_assert_int_eq(fcntl(fd1, F_GETFL) & O_ACCMODE, O_RDWR);
	ck_assert_int_ne(fcntl(fd1, F_GETFD) & FD_CLOEXEC, 0);

	ck_assert_int_eq(fsio_write_all(fd1, "payload", 7), 0);
	ck_assert_int_eq(fsio_commit(fd1, t1, final), 0);
	/* commit closed the fd */
	errno = 0;
	ck_assert_int_eq(fcntl(fd1, F_GETFD), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(fsio_exists(t1), 0);
	assert_content(final, "payload", 7);
	ck_assert_uint_eq(mode_of(final), 0644);

	close(fd2);
	unlink(t2);
	ck_assert_uint_eq(entries(dir), 1);
	free(t1);
	free(t2);
	free(prefix);
	free(final);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_create_temp_missing_folder)
{
	char *dir = tu_tmpdir();
	char *sub = xpath(dir, "nope");
	char *t = NULL;

	errno = 0;
	ck_assert_int_eq(fsio_create_temp(sub, "x", 0600, &t), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_ptr_null(t);
	free(sub);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_commit_failure_closes_fd)
{
	char *dir = tu_tmpdir();
	char *t = NULL;
	char *final = xpath(dir, "missing/final");
	int fd = fsio_create_temp(dir, "x", 0600, &t);

	ck_assert_int_ge(fd, 0);
	errno = 0;
	ck_assert_int_eq(fsio_commit(fd, t, final), -1);
	ck_assert_int_eq(errno, ENOENT);
	/* closed even on failure; the temporary file is the caller's */
	ck_assert_int_eq(fcntl(fd, F_GETFD), -1);
	ck_assert_int_eq(fsio_exists(t), 1);
	unlink(t);
	free(t);
	free(final);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_move_within_folder)
{
	char *dir = tu_tmpdir();
	char *from = tu_write_str(dir, "a.csv", "row1\nrow2\n");
	char *to = xpath(dir, "b.csv");
	char *other = tu_write_str(dir, "c.csv", "other\n");

	chmod(from, 0640);
	ck_assert_int_eq(fsio_move(from, to), 0);
	ck_assert_int_eq(fsio_exists(from), 0);
	assert_content(to, "row1\nrow2\n", 10);
	ck_assert_uint_eq(mode_of(to), 0640);
	/* rename semantics: an existing destination is replaced */
	ck_assert_int_eq(fsio_move(other, to), 0);
	assert_content(to, "other\n", 6);
	ck_assert_int_eq(fsio_exists(other), 0);
	ck_assert_uint_eq(entries(dir), 1);
	/* a missing source */
	errno = 0;
	ck_assert_int_eq(fsio_move(from, to), -1);
	ck_assert_int_eq(errno, ENOENT);
	assert_content(to, "other\n", 6);
	free(from);
	free(to);
	free(other);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_move_between_folders)
{
	char *dir = tu_tmpdir();
	char *a = xpath(dir, "a");
	char *b = xpath(dir, "b");
	char *from, *to;

	ck_assert_int_eq(mkdir(a, 0700), 0);
	ck_assert_int_eq(mkdir(b, 0700), 0);
	from = tu_write_str(a, "x", "data");
	to = xpath(b, "y");
	ck_assert_int_eq(fsio_move(from, to), 0);
	ck_assert_uint_eq(entries(a), 0);
	ck_assert_uint_eq(entries(b), 1);
	assert_content(to, "data", 4);
	free(from);
	free(to);
	free(a);
	free(b);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

/* A folder on another file system than dir, or NULL when there is none. */
static char *other_fs_tmpdir(const char *dir)
{
	static const char *const bases[] = { "/dev/shm", "/run/shm", "/tmp" };
	struct stat a, b;
	size_t i;

	ck_assert_int_eq(stat(dir, &a), 0);
	for (i = 0; i < sizeof bases / sizeof bases[0]; i++) {
		char *t;

		if (stat(bases[i], &b) < 0 || b.st_dev == a.st_dev || access(bases[i], W_OK) < 0)
			continue;
		t = xasprintf("%s/edsync-test.XXXXXX", bases[i]);
		if (mkdtemp(t))
			return t;
		free(t);
	}
	return NULL;
}

START_TEST(test_move_across_file_systems)
{
	char *dir = tu_tmpdir();
	char *other = other_fs_tmpdir(dir);
	char *from, *to;

	if (!other) {
		/* nothing to cross here: say so rather than pass silently */
		fprintf(stderr, "test_move_across_file_systems: no second file system, skipped\n");
		tu_rmtree(dir);
		free(dir);
		return;
	}
	from = tu_write_str(dir, "x.bundle", "signed bytes");
	chmod(from, 0640);
	to = xpath(other, "x.bundle");
	ck_assert_int_eq(fsio_move(from, to), 0);
	ck_assert_int_eq(fsio_exists(from), 0);
	assert_content(to, "signed bytes", 12);
	ck_assert_uint_eq(mode_of(to), 0640);
	/* no temporary copy left behind in the destination */
	ck_assert_uint_eq(entries(other), 1);
	ck_assert_uint_eq(entries(dir), 0);
	free(from);
	free(to);
	tu_rmtree(other);
	free(other);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_copy_keeps_source)
{
	char *dir = tu_tmpdir();
	char *from = tu_write(dir, "src", "a\0b\nc", 5);
	char *to = xpath(dir, "dst");
	char *link = xpath(dir, "lnk");
	char *missing = xpath(dir, "missing");

	chmod(from, 0644);
	ck_assert_int_eq(fsio_copy(from, to, 0600), 0);
	assert_content(from, "a\0b\nc", 5);
	assert_content(to, "a\0b\nc", 5);
	ck_assert_uint_eq(mode_of(to), 0600);
	ck_assert_uint_eq(mode_of(from), 0644);
	ck_assert_uint_eq(entries(dir), 2);
	/* copy over an existing file replaces it */
	ck_assert_int_eq(fsio_write_atomic(from, "second", 6, 0644), 0);
	ck_assert_int_eq(fsio_copy(from, to, 0644), 0);
	assert_content(to, "second", 6);
	ck_assert_uint_eq(mode_of(to), 0644);
	/* the source is opened with care: a symlink is refused */
	ck_assert_int_eq(symlink(from, link), 0);
	errno = 0;
	ck_assert_int_eq(fsio_copy(link, missing, 0600), -1);
	ck_assert_int_eq(errno, ELOOP);
	errno = 0;
	ck_assert_int_eq(fsio_copy(missing, to, 0600), -1);
	ck_assert_int_eq(errno, ENOENT);
	assert_content(to, "second", 6);
	/* nothing left behind by the failures */
	ck_assert_uint_eq(entries(dir), 3);
	free(from);
	free(to);
	free(link);
	free(missing);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_copy_large)
{
	char *dir = tu_tmpdir();
	size_t n = (1 << 16) * 3 + 17, i;	/* several copy buffers and a tail */
	char *data = xmalloc(n);
	char *from, *to = xpath(dir, "dst");

	for (i = 0; i < n; i++)
		data[i] = (char)(i * 31 + (i >> 8));
	from = tu_write(dir, "src", data, n);
	ck_assert_int_eq(fsio_copy(from, to, 0600), 0);
	assert_content(to, data, n);
	free(data);
	free(from);
	free(to);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_open_input)
{
	char *dir = tu_tmpdir();
	char *file = tu_write_str(dir, "f", "x");
	char *link = xpath(dir, "link");
	char *dirlink = xpath(dir, "dirlink");
	char *sub = xpath(dir, "sub");
	char *fifo = xpath(dir, "fifo");
	char *missing = xpath(dir, "missing");
	char c;
	int fd;

	ck_assert_int_eq(symlink(file, link), 0);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	ck_assert_int_eq(symlink(sub, dirlink), 0);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);

	fd = fsio_open_input(file);
	ck_assert_int_ge(fd, 0);
	/* O_NONBLOCK was only for the open */
	ck_assert_int_eq(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	ck_assert_int_ne(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
	ck_assert_int_eq(read(fd, &c, 1), 1);
	ck_assert_int_eq(c, 'x');
	close(fd);

	errno = 0;
	ck_assert_int_eq(fsio_open_input(link), -1);
	ck_assert_int_eq(errno, ELOOP);
	errno = 0;
	ck_assert_int_eq(fsio_open_input(dirlink), -1);
	ck_assert_int_eq(errno, ELOOP);
	errno = 0;
	ck_assert_int_eq(fsio_open_input(sub), -1);
	ck_assert_int_eq(errno, EINVAL);
	/* a FIFO is refused at once, not waited on */
	errno = 0;
	ck_assert_int_eq(fsio_open_input(fifo), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(fsio_open_input(missing), -1);
	ck_assert_int_eq(errno, ENOENT);

	free(file);
	free(link);
	free(dirlink);
	free(sub);
	free(fifo);
	free(missing);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_read_file_max)
{
	char *dir = tu_tmpdir();
	size_t n = 20000, i;	/* more than one read buffer */
	char *data = xmalloc(n);
	char *path, *empty, *link;
	struct sb s = SB_INIT;

	for (i = 0; i < n; i++)
		data[i] = (char)i;
	path = tu_write(dir, "f", data, n);
	empty = tu_write(dir, "e", "", 0);
	link = xpath(dir, "l");
	ck_assert_int_eq(symlink(path, link), 0);

	/* exactly max bytes: read whole, NUL after */
	ck_assert_int_eq(fsio_read_file(path, n, &s), 0);
	ck_assert_uint_eq(s.len, n);
	ck_assert_mem_eq(s.buf, data, n);
	ck_assert_int_eq(s.buf[n], '\0');
	/* one byte over max: EFBIG */
	errno = 0;
	ck_assert_int_eq(fsio_read_file(path, n - 1, &s), -1);
	ck_assert_int_eq(errno, EFBIG);
	errno = 0;
	ck_assert_int_eq(fsio_read_file(path, 10, &s), -1);
	ck_assert_int_eq(errno, EFBIG);
	/* an empty file is "" (never a NULL buffer) and replaces old content */
	ck_assert_int_eq(fsio_read_file(empty, 0, &s), 0);
	ck_assert_uint_eq(s.len, 0);
	ck_assert_ptr_nonnull(s.buf);
	ck_assert_str_eq(s.buf, "");
	sb_release(&s);
	ck_assert_int_eq(fsio_read_file(empty, 100, &s), 0);
	ck_assert_ptr_nonnull(s.buf);
	ck_assert_uint_eq(s.len, 0);
	/* the careful open applies */
	errno = 0;
	ck_assert_int_eq(fsio_read_file(link, n, &s), -1);
	ck_assert_int_eq(errno, ELOOP);
	errno = 0;
	ck_assert_int_eq(fsio_read_file(dir, n, &s), -1);
	ck_assert_int_eq(errno, EINVAL);

	sb_release(&s);
	free(data);
	free(path);
	free(empty);
	free(link);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_mkdirs)
{
	char *dir = tu_tmpdir();
	char *deep = xpath(dir, "a/b/c");
	char *a = xpath(dir, "a");
	char *ab = xpath(dir, "a/b");
	char *file = tu_write_str(dir, "file", "x");
	char *under_file = xpath(dir, "file/sub");
	char *trailing = xpath(dir, "t/u/");
	char *tu = xpath(dir, "t/u");
	mode_t old = umask(022);

	ck_assert_int_eq(fsio_mkdirs(deep, 0700), 0);
	ck_assert_int_eq(fsio_is_dir(deep), 1);
	ck_assert_uint_eq(mode_of(a), 0700);
	ck_assert_uint_eq(mode_of(ab), 0700);
	ck_assert_uint_eq(mode_of(deep), 0700);
	/* existing folders are fine, and keep their mode */
	ck_assert_int_eq(fsio_mkdirs(deep, 0755), 0);
	ck_assert_uint_eq(mode_of(deep), 0700);
	ck_assert_int_eq(fsio_mkdirs(dir, 0700), 0);
	ck_assert_int_eq(fsio_mkdirs(trailing, 0750), 0);
	ck_assert_int_eq(fsio_is_dir(tu), 1);
	ck_assert_uint_eq(mode_of(tu), 0750);
	/* a file in the way */
	errno = 0;
	ck_assert_int_eq(fsio_mkdirs(file, 0700), -1);
	ck_assert_int_eq(errno, ENOTDIR);
	errno = 0;
	ck_assert_int_eq(fsio_mkdirs(under_file, 0700), -1);
	ck_assert_int_eq(errno, ENOTDIR);
	/* an empty path names no folder */
	errno = 0;
	ck_assert_int_eq(fsio_mkdirs("", 0700), -1);
	ck_assert_int_eq(errno, ENOENT);
	/* the root exists */
	ck_assert_int_eq(fsio_mkdirs("/", 0700), 0);
	umask(old);

	free(deep);
	free(a);
	free(ab);
	free(file);
	free(under_file);
	free(trailing);
	free(tu);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_mkdirs_relative)
{
	char *dir = tu_tmpdir();
	char *cwd = getcwd(NULL, 0);
	char *want = xpath(dir, "r/s");

	ck_assert_ptr_nonnull(cwd);
	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_int_eq(fsio_mkdirs("r/s", 0700), 0);
	ck_assert_int_eq(chdir(cwd), 0);
	ck_assert_int_eq(fsio_is_dir(want), 1);
	free(cwd);
	free(want);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_exists_is_dir)
{
	char *dir = tu_tmpdir();
	char *file = tu_write_str(dir, "f", "");
	char *dangling = xpath(dir, "dangling");
	char *dirlink = xpath(dir, "dirlink");
	char *missing = xpath(dir, "missing");

	ck_assert_int_eq(symlink(missing, dangling), 0);
	ck_assert_int_eq(symlink(dir, dirlink), 0);
	ck_assert_int_eq(fsio_exists(file), 1);
	ck_assert_int_eq(fsio_exists(dir), 1);
	ck_assert_int_eq(fsio_exists(missing), 0);
	ck_assert_int_eq(fsio_exists(dangling), 1);	/* lstat: the link exists */
	ck_assert_int_eq(fsio_is_dir(dir), 1);
	ck_assert_int_eq(fsio_is_dir(file), 0);
	ck_assert_int_eq(fsio_is_dir(missing), 0);
	ck_assert_int_eq(fsio_is_dir(dirlink), 1);
	free(file);
	free(dangling);
	free(dirlink);
	free(missing);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_remove_prefixed)
{
	char *dir = tu_tmpdir();
	char *keep_sub = xpath(dir, ".tmp.dir");
	char *missing = xpath(dir, "missing");
	char name[64];
	char *p;
	int i;

	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof name, ".tmp.%d.%d.w", 4242, i);
		p = tu_write_str(dir, name, "x");
		free(p);
	}
	free(tu_write_str(dir, "keep.csv", "k"));
	free(tu_write_str(dir, ".tm", "k"));
	free(tu_write_str(dir, "x.tmp.1", "k"));
	ck_assert_int_eq(mkdir(keep_sub, 0700), 0);
	ck_assert_uint_eq(entries(dir), 304);

	ck_assert_int_eq(fsio_remove_prefixed(dir, ".tmp."), 0);
	/* every prefixed file gone; other files and sub-folders stay */
	ck_assert_uint_eq(entries(dir), 4);
	ck_assert_int_eq(fsio_is_dir(keep_sub), 1);
	p = xpath(dir, "keep.csv");
	ck_assert_int_eq(fsio_exists(p), 1);
	free(p);
	p = xpath(dir, ".tm");
	ck_assert_int_eq(fsio_exists(p), 1);
	free(p);
	p = xpath(dir, "x.tmp.1");
	ck_assert_int_eq(fsio_exists(p), 1);
	free(p);

	errno = 0;
	ck_assert_int_eq(fsio_remove_prefixed(missing, ".tmp."), -1);
	ck_assert_int_eq(errno, ENOENT);
	free(keep_sub);
	free(missing);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_remove_tree)
{
	char *dir = tu_tmpdir();
	char *outside = tu_tmpdir();
	char *tree = xpath(dir, "tree");
	char *deep = xpath(dir, "tree/a/b/c");
	char *link = xpath(dir, "tree/a/to-outside");
	char *precious;
	char *lone;

	ck_assert_int_eq(fsio_mkdirs(deep, 0700), 0);
	free(tu_write_str(deep, "f1", "1"));
	free(tu_write_str(deep, ".hidden", "2"));
	free(tu_write_str(tree, "top", "3"));
	precious = tu_write_str(outside, "precious", "keep me");
	/* a link to a folder is removed, never followed */
	ck_assert_int_eq(symlink(outside, link), 0);
	ck_assert_int_eq(fsio_remove_tree(tree), 0);
	ck_assert_int_eq(fsio_exists(tree), 0);
	ck_assert_uint_eq(entries(dir), 0);
	assert_content(precious, "keep me", 7);
	/* a missing tree is already removed */
	ck_assert_int_eq(fsio_remove_tree(tree), 0);
	/* a plain file */
	lone = tu_write_str(dir, "lone", "x");
	ck_assert_int_eq(fsio_remove_tree(lone), 0);
	ck_assert_int_eq(fsio_exists(lone), 0);

	free(lone);
	free(precious);
	free(tree);
	free(deep);
	free(link);
	tu_rmtree(outside);
	free(outside);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_write_all_and_fsync_dir)
{
	char *dir = tu_tmpdir();
	char *t = NULL;
	char *missing = xpath(dir, "missing");
	int fd = fsio_create_temp(dir, "w", 0600, &t);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fsio_write_all(fd, "abc", 3), 0);
	ck_assert_int_eq(fsio_write_all(fd, "", 0), 0);
	ck_assert_int_eq(fsio_write_all(fd, "de", 2), 0);
	close(fd);
	assert_content(t, "abcde", 5);
	errno = 0;
	ck_assert_int_eq(fsio_write_all(-1, "x", 1), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(fsio_fsync_dir(dir), 0);
	errno = 0;
	ck_assert_int_eq(fsio_fsync_dir(missing), -1);
	ck_assert_int_eq(errno, ENOENT);
	errno = 0;
	ck_assert_int_eq(fsio_fsync_dir(t), -1);
	ck_assert_int_eq(errno, ENOTDIR);
	unlink(t);
	free(t);
	free(missing);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fsio");
	TCase *tc = tcase_create("fsio");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_write_atomic_content_and_mode, 0,
			    (int)(sizeof atomic_cases / sizeof atomic_cases[0]));
	tcase_add_test(tc, test_write_atomic_replaces_and_big);
	tcase_add_test(tc, test_write_atomic_missing_folder);
	tcase_add_test(tc, test_create_temp_naming_mode_commit);
	tcase_add_test(tc, test_create_temp_missing_folder);
	tcase_add_test(tc, test_commit_failure_closes_fd);
	tcase_add_test(tc, test_move_within_folder);
	tcase_add_test(tc, test_move_between_folders);
	tcase_add_test(tc, test_move_across_file_systems);
	tcase_add_test(tc, test_copy_keeps_source);
	tcase_add_test(tc, test_copy_large);
	tcase_add_test(tc, test_open_input);
	tcase_add_test(tc, test_read_file_max);
	tcase_add_test(tc, test_mkdirs);
	tcase_add_test(tc, test_mkdirs_relative);
	tcase_add_test(tc, test_exists_is_dir);
	tcase_add_test(tc, test_remove_prefixed);
	tcase_add_test(tc, test_remove_tree);
	tcase_add_test(tc, test_write_all_and_fsync_dir);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
