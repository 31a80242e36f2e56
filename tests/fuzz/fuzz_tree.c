/*
 * fuzz_tree.c - the tree member parser (formats/hashtree.h) for
 * PersonIdentity.
 *
 * Invariants: a failed parse says why and leaves an empty list; a parsed
 * list has at least one range, the first before every key, the others with
 * strictly increasing keys; written back with ht_row it parses to the same
 * list.
 */
#include "../../formats/hashtree.h"
#include "../../formats/registry.h"
#include "../../util/sb.h"
#include "fuzzutil.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct reg_object *o = reg_find("PersonIdentity");
	struct ht_list l, back;
	struct sb why = SB_INIT, text = SB_INIT;
	size_t i;

	FUZZ_TRAP(o != NULL);
	if (ht_list_parse(o, (const char *)data, size, &l, &why) < 0) {
		FUZZ_TRAP(why.len > 0 && l.n == 0);
		sb_release(&why);
		return 0;
	}
	FUZZ_TRAP(l.n > 0 && l.r[0].key == NULL);
	ht_header(o, &text);
	for (i = 0; i < l.n; i++) {
		if (i)
			FUZZ_TRAP(ht_key_cmp(l.r[i - 1].key, l.r[i - 1].klen, l.r[i].key,
					     l.r[i].klen) < 0);
		ht_row(o, l.r[i].key, l.r[i].klen, l.r[i].kind, l.r[i].count, l.r[i].hash, &text);
	}
	FUZZ_TRAP(ht_list_parse(o, text.buf, text.len, &back, &why) == 0);
	FUZZ_TRAP(back.n == l.n);
	for (i = 0; i < l.n; i++) {
		FUZZ_TRAP(back.r[i].kind == l.r[i].kind && back.r[i].count == l.r[i].count);
		FUZZ_TRAP(back.r[i].klen == l.r[i].klen);
		FUZZ_TRAP(!l.r[i].klen || !memcmp(back.r[i].key, l.r[i].key, l.r[i].klen));
	}
	ht_list_free(&back);
	ht_list_free(&l);
	sb_release(&why);
	sb_release(&text);
	return 0;
}
