/*
 * cli.h - option parsing shared by every command.
 *
 * Each command lists its own long options and ends the list with
 * CLI_COMMON_OPTIONS; cli_next() is getopt_long() that also handles the
 * common ones (--home DIR, --wait, --quiet, --help) and turns a bad option
 * into one clear message and CLI_ERROR (the command returns ES_USAGE):
 *
 *     static const struct option opts[] = {
 *         { "full", no_argument, NULL, 'f' },
 *         CLI_COMMON_OPTIONS
 *     };
 *     while ((c = cli_next(&cli, argc, argv, opts)) != -1) switch (c) { ... }
 *
 * CLI_HELP is returned after the command's help was printed (the command
 * returns ES_OK).  Operands start at argv[optind].
 */
#ifndef EDSYNC_CLI_H
#define EDSYNC_CLI_H

#include <getopt.h>

#include "../util/status.h"

#define CLI_OPT_HOME 1001
#define CLI_OPT_WAIT 1002
#define CLI_OPT_QUIET 1003
#define CLI_OPT_HELP 1004
#define CLI_ERROR 2001
#define CLI_HELP 2002

#define CLI_COMMON_OPTIONS \
	{ "home", required_argument, NULL, CLI_OPT_HOME }, \
	{ "wait", no_argument, NULL, CLI_OPT_WAIT }, \
	{ "quiet", no_argument, NULL, CLI_OPT_QUIET }, \
	{ "help", no_argument, NULL, CLI_OPT_HELP }, \
	{ NULL, 0, NULL, 0 }

struct cli {
	const char *cmd;	/* the command's name, for messages */
	const char *home;	/* --home, or NULL */
	int wait;
	int quiet;
};

void cli_init(struct cli *c, const char *cmd);
int cli_next(struct cli *c, int argc, char **argv, const struct option *opts);
/* Report a usage problem of command c: returns ES_USAGE. */
es_status cli_usage(const struct cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* No operands allowed after the options. */
es_status cli_no_operands(const struct cli *c, int argc, char **argv);

/* The help text of a command (main.c's table). */
void cli_print_help(const char *cmd);

#endif
