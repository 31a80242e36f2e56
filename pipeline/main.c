/*
 * main.c - the edsync command line: 'edsync COMMAND [OPTIONS]'.
 *
 * Finds the command in the table (commands.c), hands it its argv and exits
 * with the status it returns (sysexits.h codes, fixed by the contract).
 */
#include "cli.h"
#include "commands.h"
#include "../util/msg.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	const struct command *c;

	if (sodium_init() < 0) {
		fprintf(stderr, "edsync: cannot initialise libsodium\n");
		return ES_SOFTWARE;
	}
	if (argc < 2) {
		commands_usage(stderr);
		return ES_USAGE;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help")) {
		if (argc > 2) {
			if (!commands_find(argv[2])) {
				msg_error("help: no command '%s'", argv[2]);
				return ES_USAGE;
			}
			cli_print_help(argv[2]);
		} else {
			commands_usage(stdout);
		}
		return ES_OK;
	}
	c = commands_find(argv[1]);
	if (!c) {
		msg_error("'%s' is not an edsync command (see 'edsync help')", argv[1]);
		return ES_USAGE;
	}
	return c->run(argc - 1, argv + 1);
}
