/* testutil.c - helpers shared by the unit tests; see testutil.h. */
#include "testutil.h"
#include "../../../util/fsio.h"
#include "../../../util/sb.h"
#include "../../../util/xalloc.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *tu_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *tmpl = xasprintf("%s/edsync-test.XXXXXX", base && *base ? base : "/tmp");

	if (!mkdtemp(tmpl))
		ck_abort_msg("mkdtemp failed");
	return tmpl;
}

void tu_rmtree(const char *path)
{
	fsio_remove_tree(path);
}

char *tu_write(const char *dir, const char *name, const void *p, size_t n)
{
	char *path = xpath(dir, name);
	FILE *f = fopen(path, "wb");

	ck_assert_msg(f != NULL, "cannot create %s", path);
	ck_assert_uint_eq(fwrite(p, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

char *tu_write_str(const char *dir, const char *name, const char *s)
{
	return tu_write(dir, name, s, strlen(s));
}

char *tu_read(const char *path, size_t *n)
{
	struct sb s = SB_INIT;

	ck_assert_msg(fsio_read_file(path, (size_t)1 << 30, &s) == 0, "cannot read %s", path);
	if (n)
		*n = s.len;
	return sb_detach(&s);
}
