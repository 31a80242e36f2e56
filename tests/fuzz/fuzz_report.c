/*
 * fuzz_report.c - the report member parser (formats/report.h).
 *
 * Invariants: a failed read says why; a read Summary written back reads
 * to the same figures.
 */
#include "../../formats/report.h"
#include "../../util/sb.h"
#include "fuzzutil.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rp_summary s, back;
	struct sb why = SB_INIT, text = SB_INIT;

	if (rp_read((const char *)data, size, &s, &why) < 0) {
		FUZZ_TRAP(why.len > 0);
		sb_release(&why);
		return 0;
	}
	rp_write(&s, &text);
	FUZZ_TRAP(rp_read(text.buf, text.len, &back, &why) == 0);
	FUZZ_TRAP(!memcmp(&s, &back, sizeof s));
	sb_release(&why);
	sb_release(&text);
	return 0;
}
