/*
 * value.h - validating one field value against its registry type.
 *
 * Values are bytes, kept exactly as the district wrote them: validation
 * never trims, pads or normalises (leading zeros are data).  Rules:
 *   every value   valid UTF-8, no NUL byte, at most VAL_MAX_TEXT bytes
 *   text          no control bytes but tab, CR and LF
 *   integer       -?[0-9]{1,18}   (leading zeros kept: "0042" != "42")
 *   decimal       -?[0-9]{1,15}(.[0-9]{1,6})?
 *   date          YYYY-MM-DD, a real calendar day, years 1900-2199
 *   boolean       0 or 1
 *   code          one of the field's listed codes
 *   key fields    not empty, no control bytes, at most VAL_MAX_KEY bytes
 * An empty value is valid for every non-key field.
 *
 * val_check() returns VAL_OK or the reason; val_describe() turns a reason
 * into the message text after "field: ", quoting the value only where the
 * message is about that value's content.
 */
#ifndef EDSYNC_VALUE_H
#define EDSYNC_VALUE_H

#include <stddef.h>

struct reg_field;
struct sb;

#define VAL_MAX_TEXT 32768
#define VAL_MAX_KEY 64

enum val_result {
	VAL_OK,
	VAL_NUL,
	VAL_UTF8,
	VAL_CONTROL,
	VAL_TOO_LONG,
	VAL_EMPTY_KEY,
	VAL_NOT_INTEGER,
	VAL_NOT_DECIMAL,
	VAL_NOT_DATE,
	VAL_NOT_BOOLEAN,
	VAL_NOT_CODE
};

enum val_result val_check(const struct reg_field *f, const char *p, size_t n);
void val_describe(struct sb *out, const struct reg_field *f, enum val_result r,
		  const char *p, size_t n);

/* Building blocks, exported for the config and manifest readers. */
int val_utf8_ok(const char *p, size_t n);
int val_date_ok(const char *p, size_t n);
int val_integer_ok(const char *p, size_t n);

#endif
