/*
 * fuzz_manifest.c - the bundle manifest parser (formats/manifest.h).
 *
 * mf_parse() on the input; when it succeeds, the result must be a manifest
 * mf_parse() itself would accept (district, state, member names as the
 * contract says), and the round trip must hold: mf_encode() of it parses
 * again, and encodes to the very same bytes.
 */
#include "../../formats/manifest.h"
#include "../../formats/registry.h"
#include "../../util/sb.h"
#include "fuzzutil.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manifest m, m2;
	struct sb err = SB_INIT, enc = SB_INIT, enc2 = SB_INIT, err2 = SB_INIT;
	size_t i;

	if (mf_parse((const char *)data, size, &m, &err) < 0) {
		FUZZ_TRAP(err.len > 0);
		FUZZ_TRAP(m.members == NULL && m.nmembers == 0);
		sb_release(&err);
		return 0;
	}
	FUZZ_TRAP(m.format == MF_FORMAT);
	FUZZ_TRAP(mf_district_ok(m.district) && mf_state_ok(m.state));
	FUZZ_TRAP(m.year >= 1901 && m.year <= 2199 && m.sequence > 0);
	FUZZ_TRAP(strlen(m.key) == 16 && strlen(m.created) == 20);
	FUZZ_TRAP(m.nmembers <= MF_MAX_MEMBERS);
	for (i = 0; i < m.nmembers; i++) {
		const struct mf_member *mm = &m.members[i];
		char expect[sizeof mm->name];

		FUZZ_TRAP(reg_find(mm->object) != NULL);
		mf_member_name(expect, sizeof expect, mm->object, mm->type);
		FUZZ_TRAP(strcmp(expect, mm->name) == 0);
	}

	mf_encode(&m, &enc);
	FUZZ_TRAP(enc.len <= MF_MAX_BYTES);
	if (mf_parse(enc.buf, enc.len, &m2, &err2) < 0)
		__builtin_trap();
	FUZZ_TRAP(m2.nmembers == m.nmembers);
	mf_encode(&m2, &enc2);
	FUZZ_TRAP(enc.len == enc2.len && memcmp(enc.buf, enc2.buf, enc.len) == 0);

	mf_free(&m);
	mf_free(&m2);
	sb_release(&err);
	sb_release(&err2);
	sb_release(&enc);
	sb_release(&enc2);
	return 0;
}
