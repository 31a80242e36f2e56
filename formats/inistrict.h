/*
 * inistrict.h - the one inih setting edsync uses everywhere.
 *
 * Debian's libinih reads its options from globals at run time.  edsync's
 * INI files (config, key files, manifests) are machine-checked data: no
 * value continues on an indented line, and ';' inside a value is data, not
 * a comment.  Call before every ini_parse*().
 */
#ifndef EDSYNC_INISTRICT_H
#define EDSYNC_INISTRICT_H

#include <ini.h>

static inline void ini_strict(void)
{
	ini_allow_multiline = 0;
	ini_allow_inline_comments = 0;
	ini_stop_on_first_error = 1;
	ini_use_stack = 0;
	ini_allow_realloc = 1;
	ini_max_line = 4096;
}

#endif
