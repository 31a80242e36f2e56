/*
 * msg.h - diagnostics.
 *
 * Every diagnostic is one line on stderr that starts with "edsync: " and
 * says what went wrong and where (file:line: field: reason), lowercase,
 * no full stop.  Say it once, at the level that knows.
 *
 *   msg_error()  a failure the caller reports as a returned status
 *   msg_warn()   worth knowing, does not fail the command
 *   msg_fatal()  the environment is broken (out of memory): exits 70
 *   msg_panic()  an invariant is broken: aborts
 *
 * Student records are protected data: a value is quoted only in the error
 * about that value, through msg_quote(), which escapes control bytes and
 * cuts long values.
 */
#ifndef EDSYNC_MSG_H
#define EDSYNC_MSG_H

#include <stddef.h>

#define MSG_PRINTF(f, a) __attribute__((format(printf, f, a)))

void msg_error(const char *fmt, ...) MSG_PRINTF(1, 2);
void msg_warn(const char *fmt, ...) MSG_PRINTF(1, 2);
_Noreturn void msg_fatal(const char *fmt, ...) MSG_PRINTF(1, 2);
_Noreturn void msg_panic(const char *fmt, ...) MSG_PRINTF(1, 2);

/* Count of msg_error() calls so far (tests and summaries use it). */
unsigned long msg_error_count(void);

/* Silence msg_warn() (for --quiet); errors are never silenced. */
void msg_set_quiet(int quiet);
int msg_is_quiet(void);

/*
 * Capture this thread's messages into buf (whole lines, "edsync: " and
 * all) instead of writing them, so that work done by several threads can
 * be reported in a fixed order; NULL writes to stderr again.  A capture
 * that grows past 8 MiB is written out as it is rather than held.
 */
struct sb;
void msg_capture(struct sb *buf);

/*
 * Render value p[0..n) for a message: quoted with single quotes, control
 * bytes and quotes escaped as \n, \t, \', \xNN, at most 64 bytes of the
 * value (then "..."). Writes into out (size >= MSG_QUOTE_MAX) and returns it.
 */
#define MSG_QUOTE_MAX 300
char *msg_quote(char *out, const char *p, size_t n);

#endif
