/*
 * watch.h - waiting for files to appear in folders (inotify), and for the
 * signal to stop.
 *
 * A wake-up is a hint, never the truth: the caller scans its folders after
 * each one, at start-up (what came while nobody watched), and when a
 * wait times out (its slow timer).  Files that appear by rename
 * (IN_MOVED_TO), by close after writing (IN_CLOSE_WRITE) and by hard link
 * (IN_CREATE) wake it; names starting with '.' or ending in ".part" do not
 * (someone is still writing them).  When the kernel's queue overflows
 * (IN_Q_OVERFLOW) every folder counts as woken.
 *
 * After the first event, watch_wait() goes on collecting for quiet_ms
 * after the last one (at most WATCH_BURST_MS in all), so that a burst of
 * files is one wake-up and one bundle, not one per file.
 *
 * SIGTERM and SIGINT are blocked while the watcher lives and read through
 * a signalfd: a stop request arrives between two scans, never inside one,
 * and nothing is left half done.
 */
#ifndef EDSYNC_WATCH_H
#define EDSYNC_WATCH_H

#include "../util/status.h"

#define WATCH_BURST_MS 1000

enum watch_event {
	WATCH_FILES,	/* *tags has a bit set for each folder woken */
	WATCH_TIMEOUT,
	WATCH_STOP,	/* SIGTERM or SIGINT */
	WATCH_ERROR	/* reported */
};

struct watch;

/* NULL on failure (reported). */
struct watch *watch_new(void);
/* Watch dir; its wake-ups carry bit tag (0 to 31). Reported. */
es_status watch_add(struct watch *w, const char *dir, int tag);
/* timeout_ms < 0: no timeout. */
enum watch_event watch_wait(struct watch *w, long timeout_ms, long quiet_ms, unsigned *tags);
/* The signal that stopped it (after WATCH_STOP). */
int watch_signal(const struct watch *w);
/* Restores the signal mask. */
void watch_free(struct watch *w);

#endif
