/*
 * watch.c - 'edsync watch': stay running and react to new files within a
 * second, until SIGTERM or SIGINT.
 *
 *   district: changes/ -> a change bundle ('changes'); then, when a
 *             destination is set ([send] to, or --to), send it and bring
 *             back what the state left; the inbox -> 'load' (receipts).
 *   state:    inbox/ -> 'load'.
 *
 * The folders are scanned at start-up (what arrived while nobody watched),
 * after every wake-up (pipeline/watch.h: hints only), when a settling
 * change file comes of age, and on a slow timer (--rescan).  Each step
 * takes the home's lock for itself and lets it go after, so a command run
 * by hand waits its turn rather than failing.  A step's failure is
 * reported and the watcher goes on: a bad file is set aside by 'changes',
 * an unreachable destination is tried again on a back-off schedule
 * (pipeline/backoff.h).  A stop request is taken between steps.
 */
#include "stages.h"
#include "../pipeline/backoff.h"
#include "../pipeline/cli.h"
#include "../pipeline/home.h"
#include "../pipeline/watch.h"
#include "../spool/spool.h"
#include "../util/msg.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <signal.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TAG_CHANGES 0
#define TAG_INBOX 1

struct watcher {
	struct home *h;
	const char *to;		/* district: where to send, or NULL */
	long settle_ms, rescan_s;
	struct backoff bo;
	int outbox_waiting;	/* bundles to send */
	long next_changes_ms;	/* a change file settles then (0: none waits) */
};

static void stamp(const char *what)
{
	char now[32];
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
	printf("watch: %s %s\n", now, what);
	fflush(stdout);
}

/* Anything complete in dir? */
static int has_files(const struct home *h, const char *rel)
{
	char *dir = home_path(h, rel), **names;
	size_t n = 0;
	int any = 0;

	if (spool_list(dir, "", &names, &n) == ES_OK) {
		any = n > 0;
		spool_list_free(names, n);
	}
	free(dir);
	return any;
}

/* One step under the home's lock. */
static es_status locked(struct watcher *w, es_status (*step)(struct watcher *))
{
	es_status st = home_lock(w->h, 1);

	if (st != ES_OK)
		return st;
	st = step(w);
	home_unlock(w->h);
	fflush(stdout);
	return st;
}

static es_status step_changes(struct watcher *w)
{
	struct changes_result r;
	es_status st = changes_process(w->h, w->settle_ms, &r);

	w->next_changes_ms = r.waiting ? r.next_ms + 1 : 0;
	if (r.bundles)
		w->outbox_waiting = 1;
	return st;
}

static es_status step_send(struct watcher *w)
{
	time_t now = time(NULL);
	es_status st;

	if (!backoff_due(&w->bo, now))
		return ES_OK;
	st = send_run(w->h, w->to);
	backoff_record(&w->bo, st, now, randombytes_random());
	if (st == ES_OK)
		w->outbox_waiting = 0;
	else
		msg_warn("watch: send to %s failed; next try in %ld s", w->to,
			 (long)(w->bo.next - now));
	return st;
}

static es_status step_load_district(struct watcher *w)
{
	return has_files(w->h, HOME_INBOX) ? load_district(w->h) : ES_OK;
}

static es_status step_load_state(struct watcher *w)
{
	return has_files(w->h, HOME_INBOX) ? load_state(w->h) : ES_OK;
}

/* A district's round: changes, send, receipts. */
static void district_round(struct watcher *w, unsigned tags, int all)
{
	if (all || (tags & (1u << TAG_CHANGES)) || w->next_changes_ms)
		locked(w, step_changes);
	if (w->to && (w->outbox_waiting || all || has_files(w->h, HOME_OUTBOX)))
		locked(w, step_send);
	if (all || (tags & (1u << TAG_INBOX)) || has_files(w->h, HOME_INBOX)) {
		locked(w, step_load_district);
		/* a request of the state's, carried out: its answer goes now */
		if (w->to && has_files(w->h, HOME_OUTBOX)) {
			w->outbox_waiting = 1;
			locked(w, step_send);
		}
	}
}

static long next_wait_ms(const struct watcher *w)
{
	long wait = w->rescan_s * 1000;
	time_t now = time(NULL);

	if (w->next_changes_ms && w->next_changes_ms < wait)
		wait = w->next_changes_ms;
	if (w->to && w->outbox_waiting && w->bo.next) {
		long b = (long)(w->bo.next - now) * 1000;

		if (b < 0)
			b = 0;
		if (b < wait)
			wait = b;
	}
	return wait;
}

static es_status run(struct watcher *w)
{
	struct watch *wt = watch_new();
	int district = w->h->cfg.role == CFG_DISTRICT;
	char *changes = home_path(w->h, HOME_CHANGES), *inbox = home_path(w->h, HOME_INBOX);
	es_status st = ES_OK;

	if (!wt) {
		st = ES_IO;
		goto out;
	}
	if ((district && (st = watch_add(wt, changes, TAG_CHANGES)) != ES_OK) ||
	    (st = watch_add(wt, inbox, TAG_INBOX)) != ES_OK)
		goto out;
	stamp(district ? (w->to ? "watching changes/ and inbox/, sending to the destination"
				: "watching changes/ and inbox/ (no destination: not sending)")
		       : "watching inbox/");
	/* what arrived while nobody watched */
	if (district)
		district_round(w, 0, 1);
	else
		locked(w, step_load_state);
	for (;;) {
		unsigned tags = 0;
		enum watch_event e = watch_wait(wt, district ? next_wait_ms(w) : w->rescan_s * 1000,
						50, &tags);

		if (e == WATCH_STOP) {
			stamp(watch_signal(wt) == SIGINT ? "stopping (SIGINT)" : "stopping (SIGTERM)");
			break;
		}
		if (e == WATCH_ERROR) {
			st = ES_IO;
			break;
		}
		/* a timeout is the slow rescan (or a settling file's time) */
		if (district)
			district_round(w, tags, e == WATCH_TIMEOUT && !w->next_changes_ms);
		else
			locked(w, step_load_state);
	}
out:
	watch_free(wt);
	free(changes);
	free(inbox);
	return st;
}

es_status cmd_watch(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "settle", required_argument, NULL, 's' },
		{ "rescan", required_argument, NULL, 'r' },
		CLI_COMMON_OPTIONS
	};
	struct watcher w;
	struct cli cli;
	struct home h;
	char *end;
	es_status st;
	int c;

	memset(&w, 0, sizeof w);
	w.settle_ms = CHANGES_SETTLE_MS;
	w.rescan_s = 60;
	cli_init(&cli, "watch");
	while ((c = cli_next(&cli, argc, argv, opts)) != -1) {
		switch (c) {
		case 't': w.to = optarg; break;
		case 's':
			w.settle_ms = strtol(optarg, &end, 10);
			if (*end || w.settle_ms < 0 || w.settle_ms > 3600000)
				return cli_usage(&cli, "--settle wants milliseconds, 0 to 3600000");
			break;
		case 'r':
			w.rescan_s = strtol(optarg, &end, 10);
			if (*end || w.rescan_s < 1 || w.rescan_s > 86400)
				return cli_usage(&cli, "--rescan wants seconds, 1 to 86400");
			break;
		case CLI_HELP: return ES_OK;
		default: return ES_USAGE;
		}
	}
	if ((st = cli_no_operands(&cli, argc, argv)) != ES_OK)
		return st;
	st = home_start(&h, home_default(cli.home), "watch", CFG_NONE, 0, 0);
	if (st != ES_OK)
		return st;
	if (h.cfg.role == CFG_STATE && w.to) {
		home_close(&h);
		return cli_usage(&cli, "--to is for a district");
	}
	w.h = &h;
	if (!w.to && h.cfg.role == CFG_DISTRICT)
		w.to = h.cfg.send_to;
	home_make_folders(h.dir, h.cfg.role);
	st = run(&w);
	home_close(&h);
	return st;
}
