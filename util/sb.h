/*
 * sb.h - a growable byte string (after git's strbuf).
 *
 * Invariants: buf is NULL only while alloc == 0; otherwise buf[len] == '\0'
 * so the bytes can be used as a C string when they hold no NUL.  Start with
 * SB_INIT; sb_reset() empties without freeing (reuse across rows on a hot
 * path); sb_release() frees; sb_detach() hands the buffer to the caller.
 */
#ifndef EDSYNC_SB_H
#define EDSYNC_SB_H

#include <stddef.h>

struct sb {
	char *buf;
	size_t len;
	size_t alloc;
};

#define SB_INIT { NULL, 0, 0 }

void sb_grow(struct sb *s, size_t extra);
void sb_add(struct sb *s, const void *p, size_t n);
void sb_addstr(struct sb *s, const char *str);
void sb_addch(struct sb *s, char c);
void sb_addf(struct sb *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_reset(struct sb *s);
void sb_release(struct sb *s);
/* The buffer, now the caller's (never NULL); s is left empty. */
char *sb_detach(struct sb *s);
/* A JSON string (quotes included) of p[0..n), escaped; bytes >= 0x80 are
 * passed through (the text is UTF-8). */
void sb_addjson(struct sb *s, const char *p, size_t n);
/* Lower-case hex of n bytes. */
void sb_addhex(struct sb *s, const unsigned char *p, size_t n);

#endif
