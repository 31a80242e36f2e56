/*
 * stages.h - the commands.  Each stage is one file and one function that
 * takes the command's own argv (argv[0] is the command name), parses its
 * options with pipeline/cli.h, does its work and returns the exit status.
 */
#ifndef EDSYNC_STAGES_H
#define EDSYNC_STAGES_H

#include "../util/status.h"

#include <stddef.h>
#include <stdint.h>

es_status cmd_init(int argc, char **argv);
es_status cmd_trust(int argc, char **argv);
es_status cmd_key(int argc, char **argv);
es_status cmd_changes(int argc, char **argv);
es_status cmd_sync(int argc, char **argv);
es_status cmd_selective(int argc, char **argv);
es_status cmd_rollover(int argc, char **argv);
es_status cmd_watch(int argc, char **argv);
es_status cmd_objects(int argc, char **argv);
es_status cmd_fields(int argc, char **argv);
es_status cmd_resync(int argc, char **argv);
es_status cmd_digest(int argc, char **argv);
es_status cmd_send(int argc, char **argv);
es_status cmd_load(int argc, char **argv);
es_status cmd_export(int argc, char **argv);
es_status cmd_verify(int argc, char **argv);
es_status cmd_request(int argc, char **argv);
es_status cmd_inspect(int argc, char **argv);
es_status cmd_status(int argc, char **argv);
es_status cmd_import(int argc, char **argv);

struct home;

/* What 'changes' did (changes.c); 'watch' runs it too. */
#define CHANGES_SETTLE_MS 200
struct changes_result {
	size_t files;		/* taken into bundles */
	size_t set_aside;	/* unusable as a whole */
	size_t waiting;		/* not settled yet */
	long next_ms;		/* when the first of those will be (0: none) */
	uint64_t rejected;	/* bad rows */
	size_t bundles;
	char last_bundle[128];
};
es_status changes_process(struct home *h, long settle_ms, struct changes_result *res);

/*
 * A resync of the objects sel marks (named: those the user named, whose
 * missing source is an error), as resync.c does it: how says the
 * manifest's scope, whether members carry the complete set of records in
 * scope (orphans go at the state), and which records are in scope (keep:
 * NULL for all; called from several threads at once).  Prints its summary;
 * done (may be NULL) gets the bundle made.
 */
struct cli;
struct reg_object;
struct rec_val;
struct resync_how {
	const char *scope;
	int complete;
	int (*keep)(void *ctx, const struct reg_object *o, const struct rec_val *v,
		    uint64_t line);
	void *ctx;
	/* the state's request this resync carries out (request.ini), or NULL */
	const char *request;
	size_t request_len;
};
struct resync_done {
	int made;
	uint64_t seq, sent;
	char name[128];
};
es_status resync_run(struct home *h, const unsigned char *sel, const unsigned char *named,
		     const struct resync_how *how, struct resync_done *done);
/* --objects A,B: those (named) and the parents they need (sel); usage errors reported. */
es_status resync_select(const char *objects, const char *state, unsigned char *sel,
			unsigned char *named, struct cli *cli);

/* 'load' on each side (load.c, load_district.c); cmd_load() picks one;
 * 'watch' runs them too, under the home's lock. */
es_status load_state(struct home *h);
es_status load_district(struct home *h);
/* 'send' to a destination (send.c), for 'watch'. */
es_status send_run(struct home *h, const char *to);

#endif
