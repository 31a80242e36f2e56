/*
 * storeopen.h - opening the state store a state home is configured for.
 * Reported on failure.
 */
#ifndef EDSYNC_STOREOPEN_H
#define EDSYNC_STOREOPEN_H

#include "../util/status.h"

struct home;
struct store;

es_status home_store_open(const struct home *h, struct store **out);

#endif
