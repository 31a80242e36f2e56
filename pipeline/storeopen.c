/* storeopen.c - the state store of a state home; see storeopen.h. */
#include "storeopen.h"
#include "home.h"
#include "../store/store.h"
#include "../util/xalloc.h"

#include <stdlib.h>

es_status home_store_open(const struct home *h, struct store **out)
{
	char *path = h->cfg.store_path[0] == '/' ? xstrdup(h->cfg.store_path)
						 : home_path(h, h->cfg.store_path);
	es_status st = store_open_sqlite(path, out);

	free(path);
	return st;
}
