/*
 * home.h - a node's home folder: where everything of one district or of the
 * state lives, and the names of its folders.
 *
 * district home                     state home
 *   edsync.conf                       edsync.conf
 *   keys/district.key (0600) .pub     keys/state.key (0600) .pub
 *   keys/trusted/state.pub            keys/trusted/district-<ID>.pub
 *   keys/retired/ keys rotated out    keys/retired/district-<ID>-<id>.pub
 *   source/   the extract             inbox/    the drop folder
 *   changes/  change files            outbox/<ID>/  for each district
 *   outbox/   bundles to send         store.db  the records
 *   outbox/rejects/  rejected rows    var/claimed/ applied/ held/ quarantine/
 *   outbox/withheld/ withheld records
 *   inbox/    what the state sent     var/digests/<ID>.bundle
 *   var/sent/ bundles sent            var/lock
 *   var/received/ receipts taken
 *   var/reports/ the state's reports
 *   var/quarantine/ refused files
 *   var/ledger.db what the state did
 *   var/sequence, var/lock
 *   var/rotation a key rotation under way
 *   var/changes/done/ rejected/ pending   change files taken, set aside
 *   var/index/<Object>.idx   what sync last sent, key and hash per record
 *   var/selective.csv  the history of selective syncs
 *
 * home_open() reads and checks the config and the secret key's permissions
 * (ES_CONFIG on any problem, reported).  Paths handed out are malloc'd.
 */
#ifndef EDSYNC_HOME_H
#define EDSYNC_HOME_H

#include "config.h"
#include "../util/status.h"

#define HOME_CONFIG "edsync.conf"
#define HOME_KEYS "keys"
#define HOME_TRUSTED "keys/trusted"
#define HOME_SOURCE "source"
#define HOME_CHANGES "changes"
#define HOME_OUTBOX "outbox"
#define HOME_REJECTS "outbox/rejects"
#define HOME_WITHHELD "outbox/withheld"
#define HOME_INBOX "inbox"
#define HOME_SENT "var/sent"
#define HOME_CLAIMED "var/claimed"
#define HOME_APPLIED "var/applied"
#define HOME_HELD "var/held"
#define HOME_QUARANTINE "var/quarantine"
#define HOME_DIGESTS "var/digests"
#define HOME_RECEIVED "var/received"
#define HOME_REPORTS "var/reports"
#define HOME_LOCK "var/lock"
#define HOME_SEQUENCE "var/sequence"
#define HOME_RETIRED "keys/retired"
#define HOME_INDEX "var/index"
#define HOME_SELECTIVE "var/selective.csv"
#define HOME_CHANGES_DONE "var/changes/done"
#define HOME_CHANGES_REJECTED "var/changes/rejected"
#define HOME_CHANGES_PENDING "var/changes/pending"
#define HOME_ROTATION "var/rotation"

struct key_secret;

struct home {
	char *dir;
	struct config cfg;
	int lock_fd;
};

/* The home folder a command uses: --home, else $EDSYNC_HOME, else ".". */
const char *home_default(const char *opt);

es_status home_open(struct home *h, const char *dir);
void home_close(struct home *h);

/* dir/rel, malloc'd */
char *home_path(const struct home *h, const char *rel);
/* the secret and public key files of this node */
char *home_secret_key_path(const struct home *h);
char *home_public_key_path(const struct home *h);

/* One writer per home: ES_TEMP (reported) when another edsync holds it. */
es_status home_lock(struct home *h, int wait);
/* Let the lock go (a long-running command between its steps). */
void home_unlock(struct home *h);

/* Load this node's secret key (reported on failure). */
es_status home_secret_key(const struct home *h, struct key_secret **k);

/*
 * The public keys this home checks the other side's signatures with:
 * keys/trusted, and the retired keys of keys/retired (each good up to its
 * retired_after).  Never its own key.  Reported.
 */
struct keyring;
es_status home_keyring(const struct home *h, struct keyring *kr);

/* Make the folders of a home of this role (init, and self-repair). */
es_status home_make_folders(const char *dir, enum cfg_role role);



/*
 * The usual start of a command: open the home at dir, insist on a role
 * (CFG_NONE: either), and take the lock when lock is set.  Reported.
 */
es_status home_start(struct home *h, const char *dir, const char *cmd, enum cfg_role need,
		     int lock, int wait);
#endif
