/*
 * progress.h - a progress line on a terminal: done, rows, rate, time left,
 * and what is being worked on.
 *
 * Only when standard error is a terminal (and not --quiet): a thread
 * rewrites one line there four times a second, and the line is cleared
 * when the work ends, so logs and pipes never see it.  Any thread may add
 * what it has done.
 *
 *     struct progress *p = progress_start("resync", total_bytes);  (NULL: none)
 *     progress_add(p, bytes, rows);    ...    progress_stop(p);
 */
#ifndef EDSYNC_PROGRESS_H
#define EDSYNC_PROGRESS_H

#include <stdint.h>

struct progress;

struct progress *progress_start(const char *what, uint64_t total_bytes);
/* p may be NULL */
void progress_add(struct progress *p, uint64_t bytes, uint64_t rows);
/* What is being worked on now (a static string, shown on the line). */
void progress_what(struct progress *p, const char *now);
void progress_stop(struct progress *p);

#endif
