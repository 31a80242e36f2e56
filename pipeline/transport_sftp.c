/*
 * transport_sftp.c - 'send' to sftp://user@host[:port]/path with libssh;
 * see transport.h and docs/TRANSFER.md.
 *
 * Before anything goes out, the server must show the host key pinned for
 * it in the known_hosts file of the config ([send] known_hosts): an unknown
 * or changed key is refused (77), naming the host and the key's
 * fingerprint.  Login is by the private key of [send] key only (refused
 * when group or others can read it); no agent, no password, no ssh config
 * file is consulted.
 *
 * A bundle is written as PATH/inbox/.<name>.tmp (created or truncated, so
 * what a killed upload left is overwritten by the next one), fsynced on
 * the server when it offers fsync@openssh.com, closed, and renamed to
 * PATH/inbox/<name>; a loader never sees a half bundle under its real name.
 * Killed between the rename and the caller's move to var/sent/, the bundle
 * is sent again next time: the rename then finds it there (or claimed by the
 * state, which applies each sequence once) and replaces it.
 *
 * XXX libssh 0.10 has no pipelined writes: each 32 KiB write waits for the
 * server's answer, so a long round trip bounds the throughput (about 1 MB/s
 * at 30 ms).  libssh 0.11's sftp_aio_* would lift it.
 */
#include "transport.h"
#include "home.h"
#include "../spool/spool.h"
#include "../util/fsio.h"
#include "../util/msg.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <libssh/libssh.h>
#include <libssh/sftp.h>
#include <signal.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SFTP_IO 32768		/* bytes per request: what every SFTP server takes */
#define SFTP_TIMEOUT 15		/* seconds to connect and for each answer */
#define SFTP_UPLOAD_MODE 0640
#define KEY_FILE_MAX 65536

struct sftp_t {
	struct transport base;
	ssh_session ssh;
	sftp_session sftp;
	int can_fsync;
	char *inbox, *retdir;		/* remote paths (retdir NULL: none) */
	char *inbox_label, *ret_label;	/* the same as URLs, for messages */
	unsigned char io[SFTP_IO];
};

/* Why the last SFTP request failed, for a message. */
static const char *sftp_why(struct sftp_t *t)
{
	if (!ssh_is_connected(t->ssh))
		return ssh_get_error(t->ssh);
	switch (sftp_get_error(t->sftp)) {
	case SSH_FX_NO_SUCH_FILE:
	case SSH_FX_NO_SUCH_PATH: return "no such file or folder";
	case SSH_FX_PERMISSION_DENIED: return "permission denied";
	case SSH_FX_FILE_ALREADY_EXISTS: return "it exists";
	case SSH_FX_WRITE_PROTECT: return "the server's file system is read-only";
	case SSH_FX_NO_CONNECTION:
	case SSH_FX_CONNECTION_LOST: return "the connection was lost";
	case SSH_FX_OP_UNSUPPORTED: return "the server does not support it";
	case SSH_FX_OK: return ssh_get_error(t->ssh);
	default: return "the server reports a failure";
	}
}

static char *rjoin(const char *dir, const char *name)
{
	size_t n = strlen(dir);

	if (n && dir[n - 1] == '/')
		return xasprintf("%s%s", dir, name);
	return xasprintf("%s/%s", dir, name);
}

/* ---- the URL ---- */

struct url {
	char *user, *host, *path;
	int port;
};

static void url_free(struct url *u)
{
	free(u->user);
	free(u->host);
	free(u->path);
}

/* sftp://user@host[:port][/path]; host may be [v6]; 0 or -1 */
static int url_parse(const char *s, struct url *u)
{
	const char *p = s + 7, *at, *slash, *h, *hend, *colon = NULL;
	long port = 22;

	memset(u, 0, sizeof *u);
	slash = strchr(p, '/');
	if (!slash)
		slash = p + strlen(p);
	at = memchr(p, '@', (size_t)(slash - p));
	if (!at || at == p)
		return -1;
	h = at + 1;
	if (*h == '[') {
		hend = memchr(h, ']', (size_t)(slash - h));
		if (!hend || hend == h + 1)
			return -1;
		if (hend + 1 < slash) {
			if (hend[1] != ':')
				return -1;
			colon = hend + 1;
		}
		h++;
	} else {
		colon = memchr(h, ':', (size_t)(slash - h));
		hend = colon ? colon : slash;
		if (hend == h)
			return -1;
	}
	if (colon) {
		const char *d;

		if (colon + 1 == slash || slash - colon > 6)
			return -1;
		port = 0;
		for (d = colon + 1; d < slash; d++) {
			if (*d < '0' || *d > '9')
				return -1;
			port = port * 10 + (*d - '0');
		}
		if (port < 1 || port > 65535)
			return -1;
	}
	u->user = xstrndup(p, (size_t)(at - p));
	u->host = xstrndup(h, (size_t)(hend - h));
	u->port = (int)port;
	u->path = xstrdup(*slash ? slash : ".");
	for (p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || (p >= h && p < hend && *p == '@')) {
			url_free(u);
			return -1;
		}
	return 0;
}

/* ---- settings ---- */

static char *setting_path(const struct transport_params *p, const char *v)
{
	return v[0] == '/' ? xstrdup(v) : xpath(p->home, v);
}

/* The private key, refused when group or others can read it. */
static es_status load_key(const char *path, ssh_key *key)
{
	struct stat st;
	char *text = NULL;
	size_t n = 0;
	es_status rc = ES_OK;
	int fd = fsio_open_input(path);

	*key = NULL;
	if (fd < 0) {
		msg_error("%s: cannot read the sftp key ([send] key): %s", path, strerror(errno));
		return ES_CONFIG;
	}
	if (fstat(fd, &st) < 0 || (st.st_mode & 077)) {
		msg_error("%s: sftp key is readable by group or others (mode %04o); "
			  "run 'chmod 600 %s'", path, (unsigned)(st.st_mode & 07777), path);
		close(fd);
		return ES_CONFIG;
	}
	text = sodium_malloc(KEY_FILE_MAX);
	if (!text) {
		close(fd);
		msg_error("%s: cannot allocate secure memory", path);
		return ES_IO;
	}
	for (;;) {
		ssize_t r = read(fd, text + n, KEY_FILE_MAX - 1 - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
		if (n == KEY_FILE_MAX - 1)
			break;
	}
	close(fd);
	text[n] = '\0';
	if (ssh_pki_import_privkey_base64(text, NULL, NULL, NULL, key) != SSH_OK) {
		msg_error("%s: not a private key edsync can use (an OpenSSH private key "
			  "without a passphrase)", path);
		*key = NULL;
		rc = ES_CONFIG;
	}
	sodium_free(text);
	return rc;
}

/* ---- the connection ---- */

/* The server's host key must be the one pinned for it. */
static es_status check_host(struct sftp_t *t, const char *dest, const struct url *u,
			    const char *kh)
{
	enum ssh_known_hosts_e k = ssh_session_is_known_server(t->ssh);
	ssh_key srv = NULL;
	unsigned char *hash = NULL;
	size_t hlen = 0;
	char *fp = NULL, *label;
	const char *type = "?";
	es_status st = ES_OK;

	if (k == SSH_KNOWN_HOSTS_OK)
		return ES_OK;
	label = u->port == 22 ? xstrdup(u->host) : xasprintf("[%s]:%d", u->host, u->port);
	if (ssh_get_server_publickey(t->ssh, &srv) == SSH_OK) {
		type = ssh_key_type_to_char(ssh_key_type(srv));
		if (ssh_get_publickey_hash(srv, SSH_PUBLICKEY_HASH_SHA256, &hash, &hlen) == 0)
			fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hlen);
	}
	switch (k) {
	case SSH_KNOWN_HOSTS_CHANGED:
	case SSH_KNOWN_HOSTS_OTHER:
		msg_error("send: %s: host key of %s changed: the server shows %s %s, not the key "
			  "pinned in %s; refused", dest, label, type ? type : "?",
			  fp ? fp : "?", kh);
		st = ES_REFUSED;
		break;
	case SSH_KNOWN_HOSTS_UNKNOWN:
	case SSH_KNOWN_HOSTS_NOT_FOUND:
		msg_error("send: %s: host key of %s is not pinned in %s: the server shows %s %s; "
			  "refused", dest, label, kh, type ? type : "?", fp ? fp : "?");
		st = ES_REFUSED;
		break;
	default:
		msg_error("send: %s: cannot check the host key of %s against %s: %s", dest, label,
			  kh, ssh_get_error(t->ssh));
		st = ES_UNAVAILABLE;
		break;
	}
	free(label);
	if (fp)
		ssh_string_free_char(fp);
	ssh_clean_pubkey_hash(&hash);
	ssh_key_free(srv);
	return st;
}

static es_status connect_login(struct sftp_t *t, const char *dest, const struct url *u,
			       const char *kh, ssh_key key)
{
	long timeout = SFTP_TIMEOUT;
	int verbosity = SSH_LOG_NOLOG, nodelay = 1;
	bool no = false;
	int rc;
	es_status st;

	if (!t->ssh)
		msg_fatal("libssh: cannot make a session");
	if (ssh_options_set(t->ssh, SSH_OPTIONS_LOG_VERBOSITY, &verbosity) < 0 ||
	    ssh_options_set(t->ssh, SSH_OPTIONS_PROCESS_CONFIG, &no) < 0 ||
	    ssh_options_set(t->ssh, SSH_OPTIONS_HOST, u->host) < 0 ||
	    ssh_options_set(t->ssh, SSH_OPTIONS_PORT, &u->port) < 0 ||
	    ssh_options_set(t->ssh, SSH_OPTIONS_USER, u->user) < 0 ||
	    ssh_options_set(t->ssh, SSH_OPTIONS_TIMEOUT, &timeout) < 0 ||
	    /* each request waits for its answer: no Nagle delay on top */
	    ssh_options_set(t->ssh, SSH_OPTIONS_NODELAY, &nodelay) < 0 ||
	    ssh_options_set(t->ssh, SSH_OPTIONS_KNOWNHOSTS, kh) < 0 ||
	    ssh_options_set(t->ssh, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, kh) < 0) {
		msg_error("send: %s: %s", dest, ssh_get_error(t->ssh));
		return ES_USAGE;
	}
	if (ssh_connect(t->ssh) != SSH_OK) {
		msg_error("send: %s: cannot connect: %s", dest, ssh_get_error(t->ssh));
		return ES_UNAVAILABLE;
	}
	st = check_host(t, dest, u, kh);
	if (st != ES_OK)
		return st;
	rc = ssh_userauth_publickey(t->ssh, NULL, key);
	if (rc != SSH_AUTH_SUCCESS) {
		if (rc == SSH_AUTH_ERROR && !ssh_is_connected(t->ssh)) {
			msg_error("send: %s: cannot log in: %s", dest, ssh_get_error(t->ssh));
			return ES_UNAVAILABLE;
		}
		msg_error("send: %s: the server refused the login of %s with the key of "
			  "[send] key; refused", dest, u->user);
		return ES_REFUSED;
	}
	t->sftp = sftp_new(t->ssh);
	if (!t->sftp || sftp_init(t->sftp) != SSH_OK) {
		msg_error("send: %s: no SFTP service: %s", dest, ssh_get_error(t->ssh));
		return ES_UNAVAILABLE;
	}
	t->can_fsync = sftp_extension_supported(t->sftp, "fsync@openssh.com", "1");
	return ES_OK;
}

/* ---- the operations ---- */

static es_status sftp_put(struct transport *tt, const char *path, const char *name)
{
	struct sftp_t *t = (struct sftp_t *)tt;
	char *tmpname = xasprintf(".%s.tmp", name);
	char *tmp = rjoin(t->inbox, tmpname);
	char *final = rjoin(t->inbox, name);
	sftp_file f = NULL;
	es_status st = ES_OK;
	int rc, fd = fsio_open_input(path);

	if (fd < 0) {
		msg_error("%s: cannot read: %s", path, strerror(errno));
		st = ES_IO;
		goto out;
	}
	f = sftp_open(t->sftp, tmp, O_WRONLY | O_CREAT | O_TRUNC, SFTP_UPLOAD_MODE);
	if (!f)
		goto remote;
	for (;;) {
		ssize_t r = read(fd, t->io, sizeof t->io);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			msg_error("%s: cannot read: %s", path, strerror(errno));
			st = ES_IO;
			goto out;
		}
		if (r == 0)
			break;
		if (sftp_write(f, t->io, (size_t)r) != r)
			goto remote;
	}
	if (t->can_fsync && sftp_fsync(f) < 0)
		goto remote;
	rc = sftp_close(f);
	f = NULL;
	if (rc != SSH_OK)
		goto remote;
	if (sftp_rename(t->sftp, tmp, final) < 0) {
		/* SFTP v3 does not replace: a copy sent before is there (the
		 * same bundle: same name); replace it. */
		sftp_attributes a = sftp_stat(t->sftp, final);

		if (!a)
			goto remote;
		sftp_attributes_free(a);
		if (sftp_unlink(t->sftp, final) < 0 || sftp_rename(t->sftp, tmp, final) < 0)
			goto remote;
	}
	goto out;
remote:
	msg_error("%s: cannot deliver %s: %s", t->inbox_label, name, sftp_why(t));
	st = ES_UNAVAILABLE;
	if (f) {
		sftp_close(f);
		f = NULL;
	}
	/* leave no temporary behind when the server is still there */
	if (ssh_is_connected(t->ssh))
		sftp_unlink(t->sftp, tmp);
out:
	if (f)
		sftp_close(f);
	if (fd >= 0)
		close(fd);
	free(tmpname);
	free(tmp);
	free(final);
	return st;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static es_status sftp_list(struct transport *tt, char ***names, size_t *n)
{
	struct sftp_t *t = (struct sftp_t *)tt;
	sftp_dir d;
	sftp_attributes a;
	size_t cap = 0;

	*names = NULL;
	*n = 0;
	if (!t->retdir)
		return ES_OK;
	d = sftp_opendir(t->sftp, t->retdir);
	if (!d) {
		int e = sftp_get_error(t->sftp);

		if (ssh_is_connected(t->ssh) && (e == SSH_FX_NO_SUCH_FILE || e == SSH_FX_NO_SUCH_PATH))
			return ES_OK;
		msg_error("%s: cannot list: %s", t->ret_label, sftp_why(t));
		return ES_UNAVAILABLE;
	}
	while ((a = sftp_readdir(t->sftp, d)) != NULL) {
		if (a->name && a->type == SSH_FILEXFER_TYPE_REGULAR && spool_name_ok(a->name)) {
			if (*n == cap) {
				cap = cap ? 2 * cap : 16;
				*names = xrealloc(*names, cap * sizeof **names);
			}
			(*names)[(*n)++] = xstrdup(a->name);
		}
		sftp_attributes_free(a);
	}
	if (!sftp_dir_eof(d)) {
		msg_error("%s: cannot list: %s", t->ret_label, sftp_why(t));
		sftp_closedir(d);
		spool_list_free(*names, *n);
		*names = NULL;
		*n = 0;
		return ES_UNAVAILABLE;
	}
	sftp_closedir(d);
	if (*n)
		qsort(*names, *n, sizeof **names, name_cmp);
	return ES_OK;
}

static es_status sftp_fetch(struct transport *tt, const char *name, const char *dir)
{
	struct sftp_t *t = (struct sftp_t *)tt;
	char *from = rjoin(t->retdir, name);
	char *to = xpath(dir, name);
	char *tmp = NULL;
	sftp_file f;
	es_status st = ES_OK;
	int fd = -1;

	f = sftp_open(t->sftp, from, O_RDONLY, 0);
	if (!f) {
		msg_error("%s: cannot fetch %s: %s", t->ret_label, name, sftp_why(t));
		st = ES_UNAVAILABLE;
		goto out;
	}
	fd = fsio_create_temp(dir, "fetch", 0600, &tmp);
	if (fd < 0) {
		msg_error("%s: cannot fetch %s: %s", t->ret_label, name, strerror(errno));
		st = ES_IO;
		goto out;
	}
	for (;;) {
		ssize_t r = sftp_read(f, t->io, sizeof t->io);

		if (r < 0) {
			msg_error("%s: cannot fetch %s: %s", t->ret_label, name, sftp_why(t));
			st = ES_UNAVAILABLE;
			goto out;
		}
		if (r == 0)
			break;
		if (fsio_write_all(fd, t->io, (size_t)r) < 0) {
			msg_error("%s: cannot fetch %s: %s", t->ret_label, name, strerror(errno));
			st = ES_IO;
			goto out;
		}
	}
	if (fsio_commit(fd, tmp, to) < 0) {
		fd = -1;
		msg_error("%s: cannot fetch %s: %s", t->ret_label, name, strerror(errno));
		st = ES_IO;
		goto out;
	}
	fd = -1;
	free(tmp);
	tmp = NULL;
out:
	if (f)
		sftp_close(f);
	if (fd >= 0)
		close(fd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	free(from);
	free(to);
	return st;
}

static es_status sftp_remove(struct transport *tt, const char *name)
{
	struct sftp_t *t = (struct sftp_t *)tt;
	char *from = rjoin(t->retdir, name);
	es_status st = ES_OK;

	if (sftp_unlink(t->sftp, from) < 0) {
		/* Fetched twice at worst; the district's load takes each once. */
		msg_warn("%s/%s: fetched, but cannot remove it: %s", t->ret_label, name,
			 sftp_why(t));
		st = ES_UNAVAILABLE;
	}
	free(from);
	return st;
}

static void sftp_close_t(struct transport *tt)
{
	struct sftp_t *t = (struct sftp_t *)tt;

	if (t->sftp)
		sftp_free(t->sftp);
	if (t->ssh) {
		if (ssh_is_connected(t->ssh))
			ssh_disconnect(t->ssh);
		ssh_free(t->ssh);
	}
	free(t->inbox);
	free(t->retdir);
	free(t->inbox_label);
	free(t->ret_label);
	free(t);
}

static const struct transport_ops sftp_ops = {
	sftp_put, sftp_list, sftp_fetch, sftp_remove, sftp_close_t
};

/* 1 a folder, 0 something else, -1 cannot stat (sftp_why() says why) */
static int remote_is_dir(struct sftp_t *t, const char *path)
{
	sftp_attributes a = sftp_stat(t->sftp, path);
	int dir;

	if (!a)
		return -1;
	dir = a->type == SSH_FILEXFER_TYPE_DIRECTORY;
	sftp_attributes_free(a);
	return dir;
}

es_status transport_sftp_open(const char *dest, const struct transport_params *p,
			      struct transport **out)
{
	struct sftp_t *t = NULL;
	struct url u;
	ssh_key key = NULL;
	char *keypath = NULL, *kh = NULL;
	es_status st;
	int rc;

	*out = NULL;
	if (url_parse(dest, &u) < 0) {
		msg_error("send: %s: not an sftp destination (sftp://user@host[:port]/path)", dest);
		return ES_USAGE;
	}
	/* the settings first: a config problem shows whether or not the
	 * server is up */
	if (!p->key || !p->known_hosts) {
		msg_error("send: %s: sftp needs [send] %s = PATH in %s/%s", dest,
			  !p->key ? "key" : "known_hosts", p->home, HOME_CONFIG);
		st = ES_CONFIG;
		goto out;
	}
	keypath = setting_path(p, p->key);
	kh = setting_path(p, p->known_hosts);
	if (!fsio_exists(kh)) {
		msg_error("%s: cannot read the pinned host keys ([send] known_hosts): %s", kh,
			  strerror(ENOENT));
		st = ES_CONFIG;
		goto out;
	}
	st = load_key(keypath, &key);
	if (st != ES_OK)
		goto out;

	/* a server that goes away mid-write must not kill us with SIGPIPE */
	signal(SIGPIPE, SIG_IGN);
	t = xcalloc(1, sizeof *t);
	t->base.ops = &sftp_ops;
	t->ssh = ssh_new();
	st = connect_login(t, dest, &u, kh, key);
	if (st != ES_OK)
		goto out;
	rc = remote_is_dir(t, u.path);
	if (rc != 1) {
		msg_error("send: %s: cannot reach the destination folder: %s", dest,
			  rc < 0 ? sftp_why(t) : "not a folder");
		st = ES_UNAVAILABLE;
		goto out;
	}
	t->inbox = rjoin(u.path, HOME_INBOX);
	if (remote_is_dir(t, t->inbox) == 1) {
		char *rel = xasprintf("%s/%s", HOME_OUTBOX, p->district);

		t->retdir = rjoin(u.path, rel);
		t->ret_label = rjoin(dest, rel);
		t->inbox_label = rjoin(dest, HOME_INBOX);
		free(rel);
	} else {
		free(t->inbox);
		t->inbox = xstrdup(u.path);
		t->inbox_label = xstrdup(dest);
	}
	*out = &t->base;
	t = NULL;
out:
	if (t)
		sftp_close_t(&t->base);
	ssh_key_free(key);
	free(keypath);
	free(kh);
	url_free(&u);
	return st;
}
