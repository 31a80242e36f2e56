/* watch.c - inotify and signalfd behind watch.h. */
#include "watch.h"
#include "../util/msg.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#define MAX_DIRS 8

struct watch {
	int ifd, sfd;
	sigset_t old_mask;
	int wd[MAX_DIRS];
	int tag[MAX_DIRS];
	size_t n;
	int signo;
};

struct watch *watch_new(void)
{
	struct watch *w = xcalloc(1, sizeof *w);
	sigset_t stop;

	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	w->ifd = w->sfd = -1;
	if (sigprocmask(SIG_BLOCK, &stop, &w->old_mask) < 0) {
		msg_error("watch: cannot block signals: %s", strerror(errno));
		free(w);
		return NULL;
	}
	w->sfd = signalfd(-1, &stop, SFD_NONBLOCK | SFD_CLOEXEC);
	w->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->sfd < 0 || w->ifd < 0) {
		msg_error("watch: %s: %s", w->sfd < 0 ? "signalfd" : "inotify", strerror(errno));
		watch_free(w);
		return NULL;
	}
	return w;
}

es_status watch_add(struct watch *w, const char *dir, int tag)
{
	int wd;

	if (w->n == MAX_DIRS)
		return ES_SOFTWARE;
	wd = inotify_add_watch(w->ifd, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_ONLYDIR);
	if (wd < 0) {
		msg_error("%s: cannot watch: %s", dir, strerror(errno));
		return errno == ENOENT ? ES_NOINPUT : ES_IO;
	}
	w->wd[w->n] = wd;
	w->tag[w->n++] = tag;
	return ES_OK;
}

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Is this name one a writer has finished with? */
static int name_done(const char *name, uint32_t len)
{
	size_t n = strnlen(name, len);

	return n && name[0] != '.' && !(n >= 5 && !strcmp(name + n - 5, ".part"));
}

/* Read what inotify has; the tags of folders woken.  -1 on error. */
static int drain(struct watch *w, unsigned *tags)
{
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	int got = 0;

	for (;;) {
		ssize_t r = read(w->ifd, buf, sizeof buf);
		char *p;

		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return got;
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			msg_error("watch: reading inotify: %s", r < 0 ? strerror(errno) : "end");
			return -1;
		}
		for (p = buf; p < buf + r;) {
			const struct inotify_event *e = (const struct inotify_event *)(void *)p;
			size_t i;

			if (e->mask & IN_Q_OVERFLOW) {
				/* events were lost: every folder is scanned */
				msg_warn("watch: the kernel's event queue overflowed; scanning every folder");
				for (i = 0; i < w->n; i++)
					*tags |= 1u << w->tag[i];
				got = 1;
			} else if (e->len && name_done(e->name, e->len) && !(e->mask & IN_ISDIR)) {
				for (i = 0; i < w->n; i++)
					if (w->wd[i] == e->wd) {
						*tags |= 1u << w->tag[i];
						got = 1;
					}
			}
			p += sizeof *e + e->len;
		}
	}
}

static int take_signal(struct watch *w)
{
	struct signalfd_siginfo si;

	if (read(w->sfd, &si, sizeof si) == (ssize_t)sizeof si) {
		w->signo = (int)si.ssi_signo;
		return 1;
	}
	return 0;
}

enum watch_event watch_wait(struct watch *w, long timeout_ms, long quiet_ms, unsigned *tags)
{
	long start = now_ms(), first = -1;

	*tags = 0;
	for (;;) {
		struct pollfd p[2] = { { w->sfd, POLLIN, 0 }, { w->ifd, POLLIN, 0 } };
		long wait, t = now_ms();
		int r, got;

		if (first >= 0) {
			/* collecting a burst */
			wait = quiet_ms;
			if (t - first + wait > WATCH_BURST_MS)
				wait = first + WATCH_BURST_MS - t;
			if (wait < 0)
				wait = 0;
		} else if (timeout_ms < 0) {
			wait = -1;
		} else {
			wait = start + timeout_ms - t;
			if (wait < 0)
				wait = 0;
		}
		r = poll(p, 2, wait > INT_MAX ? INT_MAX : (int)wait);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			msg_error("watch: poll: %s", strerror(errno));
			return WATCH_ERROR;
		}
		if ((p[0].revents & POLLIN) && take_signal(w))
			return WATCH_STOP;
		if (r == 0) {
			if (first >= 0)
				return WATCH_FILES;
			return WATCH_TIMEOUT;
		}
		if (p[1].revents & POLLIN) {
			got = drain(w, tags);
			if (got < 0)
				return WATCH_ERROR;
			if (got && first < 0)
				first = now_ms();
		}
	}
}

int watch_signal(const struct watch *w)
{
	return w->signo;
}

void watch_free(struct watch *w)
{
	if (!w)
		return;
	if (w->ifd >= 0)
		close(w->ifd);
	if (w->sfd >= 0)
		close(w->sfd);
	sigprocmask(SIG_SETMASK, &w->old_mask, NULL);
	free(w);
}
