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
#define CHANGES_SETTLE_MS 500
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

/* 'load' on a district home (load_district.c); cmd_load() picks it. */
es_status load_district(struct home *h);
/* 'send' to a destination (send.c). */
es_status send_run(struct home *h, const char *to);

#endif
