/* status.c - status helpers; see status.h. */
#include "status.h"

#include <errno.h>

/* How serious each status is, for es_worst(). */
static int rank(es_status s)
{
	switch (s) {
	case ES_OK: return 0;
	case ES_DIFFER: return 1;
	case ES_DATA: return 2;
	case ES_NOINPUT: return 3;
	case ES_TEMP: return 4;
	case ES_UNAVAILABLE: return 5;
	case ES_REFUSED: return 6;
	case ES_IO: return 7;
	case ES_USAGE: return 8;
	case ES_CONFIG: return 9;
	case ES_SOFTWARE: return 10;
	}
	return 10;
}

es_status es_worst(es_status a, es_status b)
{
	return rank(b) > rank(a) ? b : a;
}

es_status es_from_errno(int err)
{
	switch (err) {
	case ENOENT:
	case ENOTDIR:
		return ES_NOINPUT;
	default:
		return ES_IO;
	}
}
