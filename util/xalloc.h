/*
 * xalloc.h - allocation that cannot fail.
 *
 * Running out of memory is an environment failure: these die through
 * msg_fatal() so that call sites stay readable.  Everything returned is
 * owned by the caller and released with free().
 */
#ifndef EDSYNC_XALLOC_H
#define EDSYNC_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* a "/" b, a new string */
char *xpath(const char *a, const char *b);

#endif
