/*
 * testutil.h - small helpers shared by the Check unit tests.
 * Everything aborts the test (ck_abort) on failure; paths are malloc'd.
 */
#ifndef EDSYNC_TESTUTIL_H
#define EDSYNC_TESTUTIL_H

#include <stddef.h>

/* A new empty folder under $TMPDIR (or /tmp), removed by tu_rmtree. */
char *tu_tmpdir(void);
void tu_rmtree(const char *path);
/* Write n bytes to dir/name (mode 0644); returns the path. */
char *tu_write(const char *dir, const char *name, const void *p, size_t n);
char *tu_write_str(const char *dir, const char *name, const char *s);
/* Read a whole file; *n gets its size; NUL-terminated. */
char *tu_read(const char *path, size_t *n);

#endif
