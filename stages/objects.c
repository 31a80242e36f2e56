/* objects.c - 'edsync objects' and 'edsync fields': the registry, listed. */
#include "stages.h"
#include "../formats/csvw.h"
#include "../formats/registry.h"
#include "../pipeline/cli.h"
#include "../util/sb.h"

#include <stdio.h>
#include <string.h>

static void list_cell(struct sb *out, size_t col, const char *list)
{
	csvw_cell(out, col, list, strlen(list));
}

/* ES_OK, ES_USAGE, or -1 when --help was answered */
static int parse_csv_flag(struct cli *cli, const char *cmd, int argc, char **argv, int *csv)
{
	static const struct option opts[] = {
		{ "csv", no_argument, NULL, 'c' },
		CLI_COMMON_OPTIONS
	};
	int c;

	cli_init(cli, cmd);
	while ((c = cli_next(cli, argc, argv, opts)) != -1) {
		switch (c) {
		case 'c': *csv = 1; break;
		case CLI_HELP: return -1;
		default: return ES_USAGE;
		}
	}
	return ES_OK;
}

es_status cmd_objects(int argc, char **argv)
{
	struct cli cli;
	struct sb out = SB_INIT;
	char keys[256];
	int csv = 0;
	int rc = parse_csv_flag(&cli, "objects", argc, argv, &csv);
	es_status st;
	size_t i;

	if (rc != ES_OK)
		return rc < 0 ? ES_OK : (es_status)rc;
	if ((st = cli_no_operands(&cli, argc, argv)) != ES_OK)
		return st;
	if (csv)
		sb_addstr(&out, "object,key,area,parents,states\n");
	else
		sb_addf(&out, "%-34s %-22s %-22s %-30s %s\n", "OBJECT", "KEY", "AREA",
			"PARENTS", "STATES");
	for (i = 0; i < reg_count(); i++) {
		const struct reg_object *o = reg_at(i);
		const char *area = reg_area_name(o->area);

		reg_key_names(o, keys, sizeof keys);
		if (csv) {
			list_cell(&out, 0, o->name);
			list_cell(&out, 1, keys);
			list_cell(&out, 2, area);
			list_cell(&out, 3, o->parents);
			list_cell(&out, 4, o->states);
			csvw_end(&out);
		} else {
			sb_addf(&out, "%-34s %-22s %-22s %-30s %s\n", o->name, keys,
				*area ? area : "-", *o->parents ? o->parents : "-",
				*o->states ? o->states : "all");
		}
	}
	fwrite(out.buf, 1, out.len, stdout);
	sb_release(&out);
	return ES_OK;
}

es_status cmd_fields(int argc, char **argv)
{
	struct cli cli;
	struct sb out = SB_INIT;
	const struct reg_object *o;
	int csv = 0;
	int rc = parse_csv_flag(&cli, "fields", argc, argv, &csv);
	size_t i;

	if (rc != ES_OK)
		return rc < 0 ? ES_OK : (es_status)rc;
	if (optind + 1 != argc)
		return cli_usage(&cli, "give one object name ('edsync objects' lists them)");
	o = reg_find(argv[optind]);
	if (!o)
		return cli_usage(&cli, "no object named '%s' ('edsync objects' lists them)",
				 argv[optind]);
	if (csv)
		sb_addstr(&out, "field,type,key,on_save,on_resync\n");
	else
		sb_addf(&out, "%s\n%-24s %-8s %-4s %-8s %s\n", o->name, "FIELD", "TYPE", "KEY",
			"ON SAVE", "ON RESYNC");
	for (i = 0; i < o->nfields; i++) {
		const struct reg_field *f = &o->fields[i];

		if (csv)
			sb_addf(&out, "%s,%s,%d,%d,%d\n", f->name, reg_type_name(f->type),
				!!(f->flags & REG_KEY), !!(f->flags & REG_SAVE),
				!!(f->flags & REG_RESYNC));
		else
			sb_addf(&out, "%-24s %-8s %-4s %-8s %s\n", f->name, reg_type_name(f->type),
				(f->flags & REG_KEY) ? "yes" : "", (f->flags & REG_SAVE) ? "yes" : "no",
				(f->flags & REG_RESYNC) ? "yes" : "no");
	}
	fwrite(out.buf, 1, out.len, stdout);
	sb_release(&out);
	return ES_OK;
}
