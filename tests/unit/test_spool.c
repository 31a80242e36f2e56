/* test_spool.c - atomic spool folders and the home lock. */
#include "../../spool/spool.h"
#include "../../util/fsio.h"
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Names in dir, "." and ".." left out, sorted, joined with ' '. */
static char *listing(const char *dir)
{
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort), i;
	size_t cap = 1, len = 0;
	char *out;

	ck_assert_int_ge(n, 0);
	for (i = 0; i < n; i++)
		cap += strlen(ents[i]->d_name) + 1;
	out = xmalloc(cap);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;

		if (strcmp(name, ".") && strcmp(name, "..")) {
			len += (size_t)sprintf(out + len, "%s%s", len ? " " : "", name);
		}
		free(ents[i]);
	}
	free(ents);
	return out;
}

static void assert_listing(const char *dir, const char *want)
{
	char *got = listing(dir);

	ck_assert_str_eq(got, want);
	free(got);
}

static void assert_file(const char *dir, const char *name, const char *want)
{
	char *path = xpath(dir, name);
	size_t n;
	char *got = tu_read(path, &n);

	ck_assert_uint_eq(n, strlen(want));
	ck_assert_str_eq(got, want);
	free(got);
	free(path);
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	ck_assert_int_eq(lstat(path, &st), 0);
	return st.st_mode & 07777;
}

/* A spool folder with one committed entry name holding content. */
static void put_entry(const char *dir, const char *name, const char *content)
{
	char *tmp = NULL;
	int fd = spool_create(dir, "t", &tmp);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fsio_write_all(fd, content, strlen(content)), 0);
	ck_assert_int_eq(spool_commit(fd, tmp, dir, name), ES_OK);
	free(tmp);
}

START_TEST(test_make)
{
	char *home = tu_tmpdir();
	char *dir = xpath(home, "outbox/sub");
	char *tmp = xpath(dir, SPOOL_TMP);
	mode_t old = umask(022);

	ck_assert_int_eq(spool_make(dir), ES_OK);
	umask(old);
	ck_assert_int_eq(fsio_is_dir(tmp), 1);
	ck_assert_uint_eq(mode_of(dir), 0700);
	ck_assert_uint_eq(mode_of(tmp), 0700);
	/* again: nothing to do */
	ck_assert_int_eq(spool_make(dir), ES_OK);
	assert_listing(dir, ".tmp");
	free(dir);
	free(tmp);
	tu_rmtree(home);
	free(home);
}
END_TEST

START_TEST(test_create_commit_appears_whole)
{
	char *home = tu_tmpdir();
	char *dir = xpath(home, "outbox");
	char *tmpdir = xpath(dir, SPOOL_TMP);
	char *tmp = NULL;
	char **names;
	size_t n;
	int fd;

	ck_assert_int_eq(spool_make(dir), ES_OK);
	fd = spool_create(dir, "bundle", &tmp);
	ck_assert_int_ge(fd, 0);
	ck_assert_ptr_nonnull(tmp);
	/* written under .tmp/, invisible to the spool until committed */
	ck_assert_int_eq(strncmp(tmp, tmpdir, strlen(tmpdir)), 0);
	ck_assert_int_eq(strncmp(tmp + strlen(tmpdir), "/.tmp.", 6), 0);
	ck_assert_uint_eq(mode_of(tmp), 0600);
	ck_assert_int_eq(fsio_write_all(fd, "part one,", 9), 0);
	assert_listing(dir, ".tmp");
	ck_assert_int_eq(spool_list(dir, "", &names, &n), ES_OK);
	ck_assert_uint_eq(n, 0);
	spool_list_free(names, n);
	ck_assert_int_eq(fsio_write_all(fd, "part two\n", 9), 0);

	ck_assert_int_eq(spool_commit(fd, tmp, dir, "b1.bundle"), ES_OK);
	assert_listing(dir, ".tmp b1.bundle");
	assert_listing(tmpdir, "");
	assert_file(dir, "b1.bundle", "part one,part two\n");
	ck_assert_int_eq(fsio_exists(tmp), 0);
	free(tmp);
	free(tmpdir);
	free(dir);
	tu_rmtree(home);
	free(home);
}
END_TEST

START_TEST(test_create_makes_missing_tmp)
{
	char *dir = tu_tmpdir();
	char *tmp = NULL;
	int fd = spool_create(dir, "x", &tmp);

	/* dir exists but its .tmp/ does not: made on demand */
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(spool_commit(fd, tmp, dir, "e1"), ES_OK);
	assert_listing(dir, ".tmp e1");
	assert_file(dir, "e1", "");
	free(tmp);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_commit_never_replaces)
{
	char *dir = tu_tmpdir();
	char *tmpdir = xpath(dir, SPOOL_TMP);
	char *tmp = NULL;
	int fd;

	put_entry(dir, "same", "first");
	fd = spool_create(dir, "t", &tmp);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fsio_write_all(fd, "second", 6), 0);
	errno = 0;
	ck_assert_int_eq(spool_commit(fd, tmp, dir, "same"), ES_IO);
	ck_assert_int_eq(errno, EEXIST);
	/* the first entry is untouched, the failed one cleaned up */
	assert_file(dir, "same", "first");
	assert_listing(tmpdir, "");
	free(tmp);
	free(tmpdir);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_abort_leaves_nothing)
{
	char *dir = tu_tmpdir();
	char *tmpdir = xpath(dir, SPOOL_TMP);
	char *tmp = NULL;
	int fd;

	ck_assert_int_eq(spool_make(dir), ES_OK);
	fd = spool_create(dir, "bundle", &tmp);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fsio_write_all(fd, "half", 4), 0);
	spool_abort(fd, tmp);
	ck_assert_int_eq(fcntl(fd, F_GETFD), -1);	/* closed */
	assert_listing(tmpdir, "");
	assert_listing(dir, ".tmp");
	/* nothing to abort is fine too */
	spool_abort(-1, NULL);
	free(tmp);
	free(tmpdir);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_move_never_replaces)
{
	char *home = tu_tmpdir();
	char *in = xpath(home, "inbox");
	char *done = xpath(home, "applied");
	char *got = NULL;

	ck_assert_int_eq(spool_make(in), ES_OK);
	ck_assert_int_eq(spool_make(done), ES_OK);

	put_entry(in, "b.bundle", "one");
	ck_assert_int_eq(spool_move(in, "b.bundle", done, &got), ES_OK);
	ck_assert_str_eq(got, "b.bundle");
	free(got);
	assert_listing(in, ".tmp");

	/* a second entry of the same name gets ".1", a third ".2" */
	put_entry(in, "b.bundle", "two");
	ck_assert_int_eq(spool_move(in, "b.bundle", done, &got), ES_OK);
	ck_assert_str_eq(got, "b.bundle.1");
	free(got);
	put_entry(in, "b.bundle", "three");
	ck_assert_int_eq(spool_move(in, "b.bundle", done, &got), ES_OK);
	ck_assert_str_eq(got, "b.bundle.2");
	free(got);
	assert_listing(done, ".tmp b.bundle b.bundle.1 b.bundle.2");
	assert_listing(in, ".tmp");
	assert_file(done, "b.bundle", "one");
	assert_file(done, "b.bundle.1", "two");
	assert_file(done, "b.bundle.2", "three");

	/* final_name may be NULL */
	put_entry(in, "b.bundle", "four");
	ck_assert_int_eq(spool_move(in, "b.bundle", done, NULL), ES_OK);
	assert_file(done, "b.bundle.3", "four");

	/* a missing entry */
	got = NULL;
	errno = 0;
	ck_assert_int_eq(spool_move(in, "nope", done, &got), ES_NOINPUT);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_ptr_null(got);
	assert_listing(done, ".tmp b.bundle b.bundle.1 b.bundle.2 b.bundle.3");
	free(in);
	free(done);
	tu_rmtree(home);
	free(home);
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

START_TEST(test_move_across_file_systems_never_replaces)
{
	char *home = tu_tmpdir();
	char *other = other_fs_tmpdir(home);
	char *got = NULL;

	if (!other) {
		fprintf(stderr, "test_move_across_file_systems_never_replaces: "
			"no second file system, skipped\n");
		tu_rmtree(home);
		free(home);
		return;
	}
	put_entry(home, "x.bundle", "one");
	ck_assert_int_eq(spool_move(home, "x.bundle", other, &got), ES_OK);
	ck_assert_str_eq(got, "x.bundle");
	free(got);
	put_entry(home, "x.bundle", "two");
	ck_assert_int_eq(spool_move(home, "x.bundle", other, &got), ES_OK);
	ck_assert_str_eq(got, "x.bundle.1");
	free(got);
	assert_listing(home, ".tmp");
	assert_listing(other, "x.bundle x.bundle.1");
	assert_file(other, "x.bundle", "one");
	assert_file(other, "x.bundle.1", "two");
	/* a missing entry is the same status as on one file system */
	got = NULL;
	errno = 0;
	ck_assert_int_eq(spool_move(home, "nope", other, &got), ES_NOINPUT);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_ptr_null(got);
	assert_listing(other, "x.bundle x.bundle.1");
	tu_rmtree(other);
	free(other);
	tu_rmtree(home);
	free(home);
}
END_TEST

struct name_case {
	const char *name;
	int ok;
};

static const struct name_case name_cases[] = {
	{ "a", 1 },
	{ "b.bundle", 1 },
	{ "b.bundle.1", 1 },
	{ "x.partial", 1 },
	{ "part", 1 },
	{ "", 0 },
	{ ".", 0 },
	{ "..", 0 },
	{ ".hidden", 0 },
	{ ".tmp", 0 },
	{ "a/b", 0 },
	{ "/abs", 0 },
	{ "x.part", 0 },
	{ ".part", 0 },
};

START_TEST(test_name_ok)
{
	const struct name_case *c = &name_cases[_i];

	ck_assert_msg(spool_name_ok(c->name) == c->ok, "spool_name_ok(\"%s\") = %d, want %d",
		      c->name, spool_name_ok(c->name), c->ok);
}
END_TEST

/* spool_list(dir, suffix) joined with ' ' */
static char *list_joined(const char *dir, const char *suffix)
{
	char **names;
	size_t n, i, cap = 1, len = 0;
	char *out;

	ck_assert_int_eq(spool_list(dir, suffix, &names, &n), ES_OK);
	for (i = 0; i < n; i++)
		cap += strlen(names[i]) + 1;
	out = xmalloc(cap);
	out[0] = '\0';
	for (i = 0; i < n; i++)
		len += (size_t)sprintf(out + len, "%s%s", i ? " " : "", names[i]);
	spool_list_free(names, n);
	return out;
}

START_TEST(test_list)
{
	char *dir = tu_tmpdir();
	static const char *const files[] = {
		"c.bundle", "a.bundle", "b.bundle.1", "B.bundle", "notes.txt",
		".hidden.bundle", ".tmp.1.2.bundle", "d.bundle.part", "e.part", "bundle",
		".bundle",
	};
	char *sub = xpath(dir, "folder.bundle");
	char *link = xpath(dir, "link.bundle");
	char *missing = xpath(dir, "missing");
	char **names;
	size_t i, n;
	char *got;

	for (i = 0; i < sizeof files / sizeof files[0]; i++)
		free(tu_write_str(dir, files[i], "x"));
	ck_assert_int_eq(spool_make(dir), ES_OK);	/* .tmp/ is a folder and hidden */
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	ck_assert_int_eq(symlink("a.bundle", link), 0);

	/* sorted bytewise; dotfiles, *.part and folders skipped */
	got = list_joined(dir, "");
	ck_assert_str_eq(got, "B.bundle a.bundle b.bundle.1 bundle c.bundle link.bundle notes.txt");
	free(got);
	got = list_joined(dir, ".bundle");
	ck_assert_str_eq(got, "B.bundle a.bundle c.bundle link.bundle");
	free(got);
	got = list_joined(dir, "bundle");
	ck_assert_str_eq(got, "B.bundle a.bundle bundle c.bundle link.bundle");
	free(got);
	got = list_joined(dir, ".txt");
	ck_assert_str_eq(got, "notes.txt");
	free(got);
	got = list_joined(dir, ".csv");
	ck_assert_str_eq(got, "");
	free(got);

	/* a missing folder */
	names = (char **)1;
	n = 99;
	ck_assert_int_eq(spool_list(missing, "", &names, &n), ES_NOINPUT);
	ck_assert_ptr_null(names);
	ck_assert_uint_eq(n, 0);
	free(sub);
	free(link);
	free(missing);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_list_many_sorted)
{
	char *dir = tu_tmpdir();
	char name[32];
	char **names;
	size_t n, i;

	/* more than the first allocation, written in reverse order */
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof name, "e%03zu.csv", 99 - i);
		free(tu_write_str(dir, name, ""));
	}
	ck_assert_int_eq(spool_list(dir, ".csv", &names, &n), ES_OK);
	ck_assert_uint_eq(n, 100);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof name, "e%03zu.csv", i);
		ck_assert_str_eq(names[i], name);
	}
	spool_list_free(names, n);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_clean_removes_tmp_leftovers)
{
	char *dir = tu_tmpdir();
	char *tmpdir = xpath(dir, SPOOL_TMP);
	char *t1 = NULL, *t2 = NULL;
	int fd1, fd2;

	put_entry(dir, "keep.bundle", "whole");
	/* two writers killed mid-write: their temporaries stay in .tmp/ */
	fd1 = spool_create(dir, "bundle", &t1);
	fd2 = spool_create(dir, "csv", &t2);
	ck_assert_int_ge(fd1, 0);
	ck_assert_int_ge(fd2, 0);
	ck_assert_int_eq(fsio_write_all(fd1, "half", 4), 0);
	close(fd1);
	close(fd2);
	free(tu_write_str(tmpdir, "not-ours", "x"));
	free(tu_write_str(dir, ".tmp.1.1.x", "top level is not .tmp/"));

	spool_clean(dir);
	ck_assert_int_eq(fsio_exists(t1), 0);
	ck_assert_int_eq(fsio_exists(t2), 0);
	assert_listing(tmpdir, "not-ours");
	assert_listing(dir, ".tmp .tmp.1.1.x keep.bundle");
	assert_file(dir, "keep.bundle", "whole");
	/* a folder without .tmp/ is fine */
	spool_clean(tmpdir);
	free(t1);
	free(t2);
	free(tmpdir);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

/* In a child: try the lock once without waiting; exit with the status. */
static int child_try_lock(const char *path)
{
	pid_t pid = fork();
	int wst;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int fd;
		es_status st = spool_lock(path, 0, &fd);

		_exit((int)st);
	}
	ck_assert_int_eq(waitpid(pid, &wst, 0), pid);
	ck_assert(WIFEXITED(wst));
	return WEXITSTATUS(wst);
}

START_TEST(test_lock_excludes_other_process)
{
	char *dir = tu_tmpdir();
	char *path = xpath(dir, "lock");
	int fd = -7, fd2 = -7;

	ck_assert_int_eq(spool_lock(path, 0, &fd), ES_OK);
	ck_assert_int_ge(fd, 0);
	ck_assert_uint_eq(mode_of(path), 0600);
	/* another process: refused at once */
	ck_assert_int_eq(child_try_lock(path), ES_TEMP);
	/* another open in this process too (flock is per open file) */
	ck_assert_int_eq(spool_lock(path, 0, &fd2), ES_TEMP);
	ck_assert_int_eq(fd2, -1);
	close(fd);
	/* let go: the next one gets it */
	ck_assert_int_eq(child_try_lock(path), ES_OK);
	ck_assert_int_eq(spool_lock(path, 0, &fd2), ES_OK);
	ck_assert_int_ge(fd2, 0);
	close(fd2);
	free(path);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

START_TEST(test_lock_wait_gets_it_after_holder_exits)
{
	char *dir = tu_tmpdir();
	char *path = xpath(dir, "lock");
	int ready[2];
	pid_t pid;
	char c;
	int fd = -7, wst;
	double t0;

	ck_assert_int_eq(pipe(ready), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int lfd;

		close(ready[0]);
		if (spool_lock(path, 0, &lfd) != ES_OK)
			_exit(1);
		if (write(ready[1], "L", 1) != 1)
			_exit(2);
		usleep(300 * 1000);
		_exit(0);	/* the lock goes with the process */
	}
	close(ready[1]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	close(ready[0]);

	ck_assert_int_eq(spool_lock(path, 0, &fd), ES_TEMP);
	ck_assert_int_eq(fd, -1);
	t0 = now();
	ck_assert_int_eq(spool_lock(path, 1, &fd), ES_OK);
	ck_assert_int_ge(fd, 0);
	/* we waited for the holder, and it is gone by now */
	ck_assert_double_ge(now() - t0, 0.1);
	ck_assert_int_eq(waitpid(pid, &wst, 0), pid);
	ck_assert(WIFEXITED(wst));
	ck_assert_int_eq(WEXITSTATUS(wst), 0);
	close(fd);
	free(path);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_lock_missing_folder)
{
	char *dir = tu_tmpdir();
	char *path = xpath(dir, "no/lock");
	int fd = -7;

	ck_assert_int_eq(spool_lock(path, 0, &fd), ES_NOINPUT);
	ck_assert_int_eq(fd, -1);
	free(path);
	tu_rmtree(dir);
	free(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("spool");
	TCase *tc = tcase_create("spool");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_make);
	tcase_add_test(tc, test_create_commit_appears_whole);
	tcase_add_test(tc, test_create_makes_missing_tmp);
	tcase_add_test(tc, test_commit_never_replaces);
	tcase_add_test(tc, test_abort_leaves_nothing);
	tcase_add_test(tc, test_move_never_replaces);
	tcase_add_test(tc, test_move_across_file_systems_never_replaces);
	tcase_add_loop_test(tc, test_name_ok, 0, (int)(sizeof name_cases / sizeof name_cases[0]));
	tcase_add_test(tc, test_list);
	tcase_add_test(tc, test_list_many_sorted);
	tcase_add_test(tc, test_clean_removes_tmp_leftovers);
	tcase_add_test(tc, test_lock_excludes_other_process);
	tcase_add_test(tc, test_lock_wait_gets_it_after_holder_exits);
	tcase_add_test(tc, test_lock_missing_folder);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
