/* transport.c - a destination of 'send', folder or SFTP; see transport.h. */
#include "transport.h"

#include <string.h>

int transport_is_sftp(const char *dest)
{
	return strncmp(dest, "sftp://", 7) == 0;
}

es_status transport_open(const char *dest, const struct transport_params *p,
			 struct transport **out)
{
	*out = NULL;
	if (transport_is_sftp(dest))
		return transport_sftp_open(dest, p, out);
	return transport_folder_open(dest, p, out);
}

es_status transport_put(struct transport *t, const char *path, const char *name)
{
	return t->ops->put(t, path, name);
}

es_status transport_list(struct transport *t, char ***names, size_t *n)
{
	return t->ops->list(t, names, n);
}

es_status transport_fetch(struct transport *t, const char *name, const char *dir)
{
	return t->ops->fetch(t, name, dir);
}

es_status transport_remove(struct transport *t, const char *name)
{
	return t->ops->remove(t, name);
}

void transport_close(struct transport *t)
{
	if (t)
		t->ops->close(t);
}
