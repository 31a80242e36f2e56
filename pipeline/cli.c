/* cli.c - option parsing shared by every command; see cli.h. */
#include "cli.h"
#include "../util/msg.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void cli_init(struct cli *c, const char *cmd)
{
	memset(c, 0, sizeof *c);
	c->cmd = cmd;
	optind = 1;
	opterr = 0;
}

int cli_next(struct cli *c, int argc, char **argv, const struct option *opts)
{
	for (;;) {
		int idx = -1;
		int ch = getopt_long(argc, argv, ":", opts, &idx);

		switch (ch) {
		case CLI_OPT_HOME:
			c->home = optarg;
			continue;
		case CLI_OPT_WAIT:
			c->wait = 1;
			continue;
		case CLI_OPT_QUIET:
			c->quiet = 1;
			msg_set_quiet(1);
			continue;
		case CLI_OPT_HELP:
			cli_print_help(c->cmd);
			return CLI_HELP;
		case '?':
			if (optopt)
				cli_usage(c, "option '%s' needs no value or is unknown",
					  argv[optind - 1]);
			else
				cli_usage(c, "unknown option '%s'", argv[optind - 1]);
			return CLI_ERROR;
		case ':':
			cli_usage(c, "option '%s' needs a value", argv[optind - 1]);
			return CLI_ERROR;
		default:
			return ch;
		}
	}
}

es_status cli_usage(const struct cli *c, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	msg_error("%s: %s (see 'edsync help %s')", c->cmd, buf, c->cmd);
	return ES_USAGE;
}

es_status cli_no_operands(const struct cli *c, int argc, char **argv)
{
	if (optind < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind]);
	return ES_OK;
}
