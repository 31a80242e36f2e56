/*
 * commands.c - the table of edsync commands: name, stage, synopsis, help.
 * One place lists every command; main() and 'edsync help' read it.
 */
#include "commands.h"
#include "cli.h"
#include "../stages/stages.h"

#include <stdio.h>
#include <string.h>

static const struct command commands[] = {
	{ "init", cmd_init,
	  "init --role district --district ID --state XX [--year YYYY] --home DIR\n"
	  "       init --role state --state XX [--year YYYY] --home DIR",
	  "Make a home: its config, an Ed25519 key pair (the secret key mode 0600) and\n"
	  "its folders.  ID is the district number as the state knows it (leading\n"
	  "zeros kept), XX the state code, YYYY the school year by its end year." },
	{ "trust", cmd_trust,
	  "trust --district ID FILE.pub   (state)\n       trust --state FILE.pub         (district)",
	  "Pin the other side's public key: the state applies only bundles signed by\n"
	  "the key pinned for their district." },
	{ "key", cmd_key, "key rotate   (district)",
	  "A new key pair.  Its public key is announced to the state in a key bundle\n"
	  "signed by the old key, sent like any other; the state trusts the new key\n"
	  "from the bundle after the announcement on, and refuses anything newer\n"
	  "signed by the old one.  The old public key is kept in keys/retired/." },
	{ "objects", cmd_objects, "objects [--csv]",
	  "List every synced object: its key, verification area, parents and states." },
	{ "fields", cmd_fields, "fields OBJECT [--csv]",
	  "List an object's fields: type, key, whether each syncs on save and on resync." },
	{ "resync", cmd_resync, "resync --full | --objects A,B [--school N]",
	  "Batch resync from source/: every record of the objects in scope, checked,\n"
	  "signed and spooled in outbox/.  --objects adds the parents the objects need;\n"
	  "--school N keeps the records of school N (its calendars, enrollments,\n"
	  "assignments, and the persons and records linked to them).  The state removes\n"
	  "what it holds in that scope that the resync lacks (orphans; or flags them,\n"
	  "with [load] orphans = flag).  Bad rows are reported (file:line: field:\n"
	  "reason), kept in outbox/rejects/, and the state keeps what it holds for\n"
	  "their keys; exit 65 when any.  On a terminal, a progress line." },
	{ "changes", cmd_changes, "changes [--settle MS]",
	  "Turn the change files in changes/ (<Object>.<anything>.csv, first column\n"
	  "_op: upsert or delete) into one signed change bundle, oldest file first,\n"
	  "carrying the fields that sync on save.  Files named .* or *.part, and files\n"
	  "changed less than MS milliseconds ago (default 200), are left for later.\n"
	  "Bad rows are reported and kept in outbox/rejects/ (exit 65); a file that\n"
	  "cannot be read at all is set aside in var/changes/rejected/ with a reason.\n"
	  "Taken files move to var/changes/done/ once their bundle is in the outbox." },
	{ "selective", cmd_selective,
	  "selective --person ID[,ID...] | --person-file F | --enrollment ID[,ID...]",
	  "Send now the PersonIdentity and Enrollment records of those persons (an\n"
	  "enrollment names its person; a person file has one personID a line).  An ID\n"
	  "that matches nothing is reported as not found and changes nothing (exit 65).\n"
	  "The state upserts what comes and removes nothing.  Each run is recorded in\n"
	  "var/selective.csv; 'status' shows the last ones." },
	{ "rollover", cmd_rollover, "rollover --to YYYY [--force]",
	  "The change of school year.  District: refused (75) until the state has\n"
	  "applied the end-of-year full resync of the current year (its receipt is in;\n"
	  "--force overrides, with a warning), then the scoped year becomes YYYY and\n"
	  "the start-of-year full resync is spooled.  State: the scoped year becomes\n"
	  "YYYY; bundles of a year it did not apply, held, go at the next load." },
	{ "sync", cmd_sync, "sync",
	  "Compare source/ with what the last sync sent (var/index/) and spool only\n"
	  "what changed: inserts, updates and deletions, one change bundle.  A record\n"
	  "whose key changed goes as a delete and an insert.  Bad rows are reported\n"
	  "and kept (exit 65); their records stay as they were.  The first sync, with\n"
	  "no index yet, sends every record." },
	{ "watch", cmd_watch, "watch [--to DEST] [--settle MS] [--rescan SEC]",
	  "Stay running until SIGTERM or SIGINT.  A district turns new change files\n"
	  "into bundles ('changes'), sends them to DEST (default [send] to; none: it\n"
	  "only spools) and takes the receipts that come back ('load'); the state\n"
	  "loads what arrives in inbox/.  Woken by inotify within a second; the\n"
	  "folders are also scanned at start and every SEC seconds (default 60)." },
	{ "digest", cmd_digest,
	  "digest [--tree [--node N]] [--fields a,b] [--objects A,B] [--school N]",
	  "Spool a verification digest: one hash per record of every verification area.\n"
	  "--tree: the nightly form, a few kilobytes: hashes of key ranges (nodes); the\n"
	  "state asks for the differing ones (--node N: N records a node; default a\n"
	  "64th of each object, at least 4096).  --fields: hashes over those fields only.\n"
	  "--school N: the records of school N only (its calendars, enrollments,\n"
	  "assignments, and the persons and records linked to them).\n"
	  "--objects: those objects only." },
	{ "send", cmd_send,
	  "send [--to DEST]\n       send --media FILE                (district)\n"
	  "       send --media FILE --district ID  (state)",
	  "Deliver the spooled bundles to DEST (the state's home or a drop folder with\n"
	  "inbox/), default [send] to of the config, and bring back what the state left\n"
	  "in DEST/outbox/ID/.  Exit 69 when DEST cannot be reached.\n"
	  "DEST may be sftp://user@host[:port]/path: login with the key of [send] key,\n"
	  "the server's host key pinned in [send] known_hosts (an unknown or changed\n"
	  "host key is refused, exit 77).  See docs/TRANSFER.md.\n"
	  "--media FILE writes every spooled bundle into one new file encrypted to the\n"
	  "pinned state key, for offline carriage; the bundles move to var/sent/ once\n"
	  "it is safely written.  On the state, --media FILE --district ID writes what\n"
	  "outbox/ID/ holds, encrypted to that district's pinned key." },
	{ "load", cmd_load, "load",
	  "State: check and apply every bundle in inbox/, each district's in sequence,\n"
	  "each once; refused bundles go to var/quarantine/ with a .reason file\n"
	  "(exit 77 or 65), bundles after a gap wait in var/held/." },
	{ "export", cmd_export, "export --district ID --object OBJECT [--out FILE]",
	  "State: the records held for the district and object, as CSV, by key." },
	{ "verify", cmd_verify,
	  "verify --district ID [--format text|json|csv|html] [--out FILE] [--fields a,b]\n"
	  "              [--school N] [--limit N] [--no-request] [--no-report]",
	  "State: the Verification Summary against the district's latest digest: per\n"
	  "area the records at the district and at the state, missing on either side,\n"
	  "different, duplicated; then the detail: the keys of each set and, for each\n"
	  "differing record, the fields that differ with both values and the bundle\n"
	  "that last changed it here (--limit N keys per set and object, default 100,\n"
	  "0 all).  --fields compares only those fields (and the keys); --school N\n"
	  "the records of school N only (a digest of that school is asked for).  When the\n"
	  "digest is not enough (a tree digest's differing nodes, values not sent yet)\n"
	  "verify asks the district with a request in outbox/ID/ (not with\n"
	  "--no-request); once the answer is loaded, verify again.  Each run is kept\n"
	  "(status) and sent back to the district as a report (not with --no-report).\n"
	  "Exit 0 when district and state agree, 1 when they differ." },
	{ "request", cmd_request,
	  "request --district ID --full | --objects A,B [--school N]\n"
	  "               [--expires DAYS | --expires-at TIME]\n"
	  "       request --district ID --verify [--full] [--fields a,b] [--objects A,B]\n"
	  "               [--school N] [--expires DAYS | --expires-at TIME]",
	  "State: a signed request the district carries out when it next loads, or at\n"
	  "once under watch (it cannot decline): a resync of every object (--full), of\n"
	  "those objects and their parents, of one school; or with --verify a\n"
	  "verification digest, the nightly tree form (--full: one hash per record).\n"
	  "The district's answer names the request; the state's load says it carries\n"
	  "it out.  Not carried out after DAYS (default 7) or TIME (UTC), the district\n"
	  "refuses it." },
	{ "inspect", cmd_inspect, "inspect BUNDLE",
	  "Show a bundle's manifest and members, and whether signature and hashes hold." },
	{ "status", cmd_status, "status [--json]",
	  "What is queued, sent, held and refused in this home." },
	{ "import", cmd_import, "import FILE",
	  "Take in offline media written for this home by 'send --media': the files go\n"
	  "into inbox/ (for 'load'), all or none.  Media for another key, or whose\n"
	  "signature does not hold, is refused (exit 77); damaged or truncated media is\n"
	  "refused (exit 65).  Media from a key this home does not trust is taken in\n"
	  "with a warning: 'load' checks every bundle against the pinned keys." },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

const struct command *commands_find(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

void cli_print_help(const char *cmd)
{
	const struct command *c = commands_find(cmd);

	if (!c)
		return;
	printf("usage: edsync %s\n\n%s\n\nEvery command takes --home DIR (default $EDSYNC_HOME, "
	       "else .),\n--wait (wait for the home's lock) and --quiet.\n", c->synopsis, c->help);
}

void commands_usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: edsync COMMAND [OPTIONS]   (edsync help COMMAND)\n\ncommands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %s\n", commands[i].synopsis);
}

