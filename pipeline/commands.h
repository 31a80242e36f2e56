/*
 * commands.h - the table of edsync commands (commands.c).
 */
#ifndef EDSYNC_COMMANDS_H
#define EDSYNC_COMMANDS_H

#include <stdio.h>

#include "../util/status.h"

struct command {
	const char *name;
	es_status (*run)(int argc, char **argv);
	const char *synopsis;
	const char *help;
};

/* by name, or NULL */
const struct command *commands_find(const char *name);
/* the list of commands, for 'edsync help' */
void commands_usage(FILE *out);

#endif
