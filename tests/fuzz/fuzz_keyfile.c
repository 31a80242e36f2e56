/*
 * fuzz_keyfile.c - public key files (formats/keys.h key_load_public) on a
 * temporary file holding the input.
 *
 * Invariants: a key that loads has a role, owner and state the contract
 * allows, and an id that is the one derived from its public key (checked by
 * loading the same text twice: the result must not depend on anything but
 * the bytes).
 */
#include "../../formats/keys.h"
#include "../../formats/manifest.h"
#include "../../util/sb.h"
#include "fuzzutil.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct key_pub k, k2;
	struct sb err = SB_INIT, text = SB_INIT;
	const char *path = fuzz_write_input(data, size, 0644);
	es_status st = key_load_public(path, &k, &err);

	if (st != ES_OK) {
		FUZZ_TRAP(err.len > 0);
		sb_release(&err);
		return 0;
	}
	FUZZ_TRAP(!strcmp(k.role, "district") || !strcmp(k.role, "state"));
	FUZZ_TRAP(mf_district_ok(k.owner) || mf_state_ok(k.owner));
	FUZZ_TRAP(mf_state_ok(k.state));
	{
		unsigned char h[16];

		crypto_generichash(h, sizeof h, k.pk, sizeof k.pk, NULL, 0);
		FUZZ_TRAP(memcmp(h, k.id, KEY_ID_BYTES) == 0);
	}
	/* The text edsync writes for the key loads back as the same key. */
	key_public_text(&k, &text);
	path = fuzz_write_input((const uint8_t *)text.buf, text.len, 0644);
	FUZZ_TRAP(key_load_public(path, &k2, &err) == ES_OK);
	/* (not memcmp of the structs: a field given twice may leave bytes
	 * after the NUL of the shorter last value) */
	FUZZ_TRAP(memcmp(k.pk, k2.pk, sizeof k.pk) == 0 && memcmp(k.id, k2.id, sizeof k.id) == 0);
	FUZZ_TRAP(!strcmp(k.role, k2.role) && !strcmp(k.owner, k2.owner) &&
		  !strcmp(k.state, k2.state));
	sb_release(&err);
	sb_release(&text);
	return 0;
}
