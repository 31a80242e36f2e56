/*
 * stages.h - the commands.  Each stage is one file and one function that
 * takes the command's own argv (argv[0] is the command name), parses its
 * options with pipeline/cli.h, does its work and returns the exit status.
 */
#ifndef EDSYNC_STAGES_H
#define EDSYNC_STAGES_H

#include "../util/status.h"

es_status cmd_init(int argc, char **argv);
es_status cmd_trust(int argc, char **argv);
es_status cmd_key(int argc, char **argv);
es_status cmd_objects(int argc, char **argv);
es_status cmd_fields(int argc, char **argv);
es_status cmd_resync(int argc, char **argv);
es_status cmd_digest(int argc, char **argv);
es_status cmd_send(int argc, char **argv);
es_status cmd_load(int argc, char **argv);
es_status cmd_export(int argc, char **argv);
es_status cmd_verify(int argc, char **argv);
es_status cmd_inspect(int argc, char **argv);
es_status cmd_status(int argc, char **argv);

/* 'load' on a district home (load_district.c); cmd_load() picks it. */
struct home;
es_status load_district(struct home *h);

#endif
