/*
 * status.h - the one status type every layer returns.
 *
 * edsync's exit codes are fixed by the contract (sysexits.h), and every
 * failure inside the program maps to exactly one of them.  So instead of
 * returning -1 and translating later, functions that can fail for a reason
 * a user must know return an es_status directly: ES_OK, or the exit code
 * the command will end with.  A command returns the worst status it met.
 *
 * Low-level helpers that only fail with errno (util/fsio.h) keep the
 * 0 / -1 convention; the caller turns errno into a status and a message.
 */
#ifndef EDSYNC_STATUS_H
#define EDSYNC_STATUS_H

typedef enum es_status {
	ES_OK = 0,
	ES_DIFFER = 1,		/* verify only: district and state differ */
	ES_USAGE = 64,		/* unknown command or flag, missing argument */
	ES_DATA = 65,		/* rows or a bundle were rejected */
	ES_NOINPUT = 66,	/* an input file or folder does not exist */
	ES_UNAVAILABLE = 69,	/* a transfer destination cannot be reached */
	ES_SOFTWARE = 70,	/* an internal error (a bug) */
	ES_IO = 74,		/* an I/O error */
	ES_TEMP = 75,		/* another edsync holds the lock */
	ES_REFUSED = 77,	/* a signature does not hold, a key not trusted */
	ES_CONFIG = 78		/* a home or its config is missing or invalid */
} es_status;

/* The status that wins when a command met two: the more serious one. */
es_status es_worst(es_status a, es_status b);

/* Status for an errno from a failed file operation. */
es_status es_from_errno(int err);

#endif
