/*
 * fuzz_request.c - the request member parser (formats/request.h).
 *
 * Invariants: a parse fails with a reason or succeeds; a parsed request
 * encodes to text that parses to the same request (encode is a fixed point
 * after one round).
 */
#include "../../formats/request.h"
#include "../../util/sb.h"
#include "fuzzutil.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct request r, back;
	struct sb why = SB_INIT, text = SB_INIT, again = SB_INIT;

	if (rq_parse((const char *)data, size, &r, &why) < 0) {
		FUZZ_TRAP(why.len > 0);
		sb_release(&why);
		return 0;
	}
	FUZZ_TRAP(why.len == 0);
	rq_encode(&r, &text);
	FUZZ_TRAP(rq_parse(text.buf, text.len, &back, &why) == 0);
	rq_encode(&back, &again);
	FUZZ_TRAP(text.len == again.len && !memcmp(text.buf, again.buf, text.len));
	FUZZ_TRAP(back.what == r.what && back.request == r.request && back.digest == r.digest);
	rq_free(&back);
	rq_free(&r);
	sb_release(&why);
	sb_release(&text);
	sb_release(&again);
	return 0;
}
