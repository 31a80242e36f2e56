/*
 * fuzz_config.c - a home's edsync.conf (pipeline/config.h cfg_load) on a
 * temporary file holding the input.  cfg_load() reports problems on stderr.
 *
 * Invariants: a config that loads has a role and every setting its role
 * requires, checked as the contract says; a config that fails holds no
 * allocation (cfg_free is then not needed: LeakSanitizer checks).
 */
#include "../../pipeline/config.h"
#include "../../formats/manifest.h"
#include "fuzzutil.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;
	const char *path = fuzz_write_input(data, size, 0644);

	if (cfg_load(path, &c) != ES_OK) {
		FUZZ_TRAP(c.send_to == NULL && c.store_path == NULL);
		return 0;
	}
	FUZZ_TRAP(c.role == CFG_DISTRICT || c.role == CFG_STATE);
	FUZZ_TRAP(mf_state_ok(c.state));
	FUZZ_TRAP(c.year >= 1901 && c.year <= 2199);
	if (c.role == CFG_DISTRICT) {
		FUZZ_TRAP(mf_district_ok(c.district));
		FUZZ_TRAP(c.store_path == NULL);
		FUZZ_TRAP(c.send_to == NULL || *c.send_to);
	} else {
		FUZZ_TRAP(c.district[0] == '\0' && c.send_to == NULL);
		FUZZ_TRAP(c.store_path && *c.store_path);
	}
	cfg_free(&c);
	return 0;
}
