/* test_config.c - a home's edsync.conf (pipeline/config.h). */
#include "../../pipeline/config.h"
#include "../../util/msg.h"
#include "../../util/sb.h"
#include "../../util/xalloc.h"
#include "helpers/testutil.h"

#include <check.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *dir;

static void setup(void)
{
	dir = tu_tmpdir();
}

static void teardown(void)
{
	tu_rmtree(dir);
	free(dir);
}

/*
 * cfg_load of text written to dir/edsync.conf, stderr captured into *err
 * (malloc'd); returns the status.  Every failure is reported exactly once.
 */
static es_status load(const char *text, struct config *c, char **path, char **err)
{
	char *errpath = xpath(dir, "stderr");
	unsigned long before = msg_error_count();
	es_status st;
	int saved, fd;

	*path = text ? tu_write_str(dir, "edsync.conf", text) : xpath(dir, "edsync.conf");
	fflush(stderr);
	saved = dup(2);
	fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(dup2(fd, 2), 2);
	close(fd);
	st = cfg_load(*path, c);
	fflush(stderr);
	ck_assert_int_eq(dup2(saved, 2), 2);
	close(saved);
	*err = tu_read(errpath, NULL);
	ck_assert_uint_eq(msg_error_count() - before, st == ES_OK ? 0 : 1);
	free(errpath);
	return st;
}

#define DIST_SFTP "[node]\nrole = district\ndistrict = 0042\nstate = NV\nyear = 2027\n" \
	"[send]\nto = sftp://d0042@sftp.example:2222/\nkey = keys/sftp_ed25519\n" \
	"known_hosts = /etc/edsync/known_hosts\n"

START_TEST(test_valid_district)
{
	static const char text[] =
		"# edsync home configuration\n"
		"[node]\n"
		"role = district\n"
		"district = 0042\n"
		"state = NV\n"
		"year = 2027\n"
		"\n"
		"; a comment\n"
		"[send]\n"
		"to = /srv/state home/inbox\n";
	struct config c;
	char *path, *err;

	ck_assert_int_eq(load(text, &c, &path, &err), ES_OK);
	ck_assert_str_eq(err, "");
	ck_assert_int_eq(c.role, CFG_DISTRICT);
	ck_assert_str_eq(c.district, "0042");
	ck_assert_str_eq(c.state, "NV");
	ck_assert_int_eq(c.year, 2027);
	ck_assert_str_eq(c.send_to, "/srv/state home/inbox");
	ck_assert_ptr_null(c.store_path);
	cfg_free(&c);
	ck_assert_ptr_null(c.send_to);
	free(path);
	free(err);
}
END_TEST

/* the SFTP settings: kept as written (relative to the home or absolute) */
START_TEST(test_valid_sftp_settings)
{
	struct config c;
	char *path, *err;

	ck_assert_int_eq(load(DIST_SFTP, &c, &path, &err), ES_OK);
	ck_assert_str_eq(err, "");
	ck_assert_str_eq(c.send_to, "sftp://d0042@sftp.example:2222/");
	ck_assert_str_eq(c.send_key, "keys/sftp_ed25519");
	ck_assert_str_eq(c.send_known_hosts, "/etc/edsync/known_hosts");
	cfg_free(&c);
	ck_assert_ptr_null(c.send_key);
	ck_assert_ptr_null(c.send_known_hosts);
	free(path);
	free(err);
}
END_TEST

START_TEST(test_valid_state)
{
	struct config c;
	char *path, *err;

	ck_assert_int_eq(load("[node]\nstate = NV\nyear = 2199\nrole = state\n"
			      "[store]\npath = data/my store.db\n", &c, &path, &err), ES_OK);
	ck_assert_str_eq(err, "");
	ck_assert_int_eq(c.role, CFG_STATE);
	ck_assert_str_eq(c.district, "");
	ck_assert_str_eq(c.state, "NV");
	ck_assert_int_eq(c.year, 2199);
	ck_assert_ptr_null(c.send_to);
	ck_assert_str_eq(c.store_path, "data/my store.db");
	cfg_free(&c);
	free(path);
	free(err);
	/* without [store], the store is store.db */
	ck_assert_int_eq(load("[node]\nrole = state\nstate = WY\nyear = 1901\n", &c, &path, &err),
			 ES_OK);
	ck_assert_str_eq(c.store_path, "store.db");
	ck_assert_int_eq(c.year, 1901);
	cfg_free(&c);
	free(path);
	free(err);
}
END_TEST

/* [load]: orphans and years; which years a state applies */
START_TEST(test_state_load_settings)
{
	struct config c;
	char *path, *err;

	ck_assert_int_eq(load("[node]\nrole = state\nstate = NV\nyear = 2027\n", &c, &path, &err),
			 ES_OK);
	ck_assert_int_eq(c.orphans_flag, 0);
	ck_assert_uint_eq(c.years, CFG_YEAR_CURRENT);
	ck_assert(cfg_year_accepted(&c, 2027));
	ck_assert(!cfg_year_accepted(&c, 2026));
	ck_assert(!cfg_year_accepted(&c, 2028));
	cfg_free(&c);
	free(path);
	free(err);
	ck_assert_int_eq(load("[node]\nrole = state\nstate = NV\nyear = 2027\n[load]\n"
			      "orphans = flag\nyears = next, current\n", &c, &path, &err), ES_OK);
	ck_assert_int_eq(c.orphans_flag, 1);
	ck_assert_uint_eq(c.years, CFG_YEAR_CURRENT | CFG_YEAR_NEXT);
	ck_assert(cfg_year_accepted(&c, 2028));
	ck_assert(!cfg_year_accepted(&c, 2026));
	ck_assert(!cfg_year_accepted(&c, 2029));
	cfg_free(&c);
	free(path);
	free(err);
}
END_TEST

/* cfg_set_year: only the [node] year line changes */
START_TEST(test_set_year)
{
	static const char text[] = "# my notes\n[send]\n# year = 1999 (not this one)\n"
				   "to = /x\n[node]\nrole = district\ndistrict = 0042\n"
				   "state = NV\n  year=2027\n";
	struct config c;
	char *path = tu_write_str(dir, "edsync.conf", text), *got;
	size_t n;

	ck_assert_int_eq(cfg_set_year(path, 2028), ES_OK);
	got = tu_read(path, &n);
	ck_assert_str_eq(got, "# my notes\n[send]\n# year = 1999 (not this one)\nto = /x\n"
			 "[node]\nrole = district\ndistrict = 0042\nstate = NV\nyear = 2028\n");
	ck_assert_int_eq(cfg_load(path, &c), ES_OK);
	ck_assert_int_eq(c.year, 2028);
	cfg_free(&c);
	free(got);
	free(path);
	/* no year line: refused, the file as it was */
	path = tu_write_str(dir, "edsync.conf", "[node]\nrole = state\n");
	ck_assert_int_eq(cfg_set_year(path, 2028), ES_CONFIG);
	got = tu_read(path, &n);
	ck_assert_str_eq(got, "[node]\nrole = state\n");
	free(got);
	free(path);
}
END_TEST

START_TEST(test_render_round_trip)
{
	struct config c, back;
	char *text, *path, *err;

	memset(&c, 0, sizeof c);
	c.role = CFG_DISTRICT;
	snprintf(c.district, sizeof c.district, "1234567890123456");
	snprintf(c.state, sizeof c.state, "UT");
	c.year = 2030;
	text = cfg_render(&c);
	ck_assert_int_eq(load(text, &back, &path, &err), ES_OK);
	ck_assert_int_eq(back.role, CFG_DISTRICT);
	ck_assert_str_eq(back.district, "1234567890123456");
	ck_assert_str_eq(back.state, "UT");
	ck_assert_int_eq(back.year, 2030);
	ck_assert_ptr_null(back.send_to);	/* rendered as a comment */
	cfg_free(&back);
	free(text);
	free(path);
	free(err);

	c.role = CFG_STATE;
	text = cfg_render(&c);
	ck_assert_int_eq(load(text, &back, &path, &err), ES_OK);
	ck_assert_int_eq(back.role, CFG_STATE);
	ck_assert_str_eq(back.store_path, "store.db");
	cfg_free(&back);
	free(text);
	free(path);
	free(err);
	ck_assert_str_eq(cfg_role_name(CFG_DISTRICT), "district");
	ck_assert_str_eq(cfg_role_name(CFG_STATE), "state");
	ck_assert_str_eq(cfg_role_name(CFG_NONE), "unknown");
}
END_TEST

struct bad_cfg {
	const char *what;
	const char *text;	/* NULL: no file */
	const char *msg;	/* after "edsync: <path>" */
};

#define DIST "[node]\nrole = district\ndistrict = 0042\nstate = NV\nyear = 2027\n"
#define STATE "[node]\nrole = state\nstate = NV\nyear = 2027\n"

static const struct bad_cfg bad[] = {
	{ "unknown section", DIST "[sned]\nto = /x\n", ":7: [sned] to: unknown setting" },
	{ "unknown key", "[node]\nrole = district\ncolour = red\n", ":3: [node] colour: unknown setting" },
	{ "key of another section", DIST "[store]\nto = /x\n", ":7: [store] to: unknown setting" },
	{ "key before any section", "role = district\n", ":1: [] role: unknown setting" },
	{ "key twice", "[node]\nrole = district\nrole = district\n", ":3: [node] role: is set twice" },
	{ "key twice, other section", DIST "[send]\nto = /a\n[send]\nto = /b\n",
	  ":9: [send] to: is set twice" },
	{ "bad role", "[node]\nrole = admin\n", ":2: [node] role: 'admin' must be district or state" },
	{ "role in capitals", "[node]\nrole = District\n",
	  ":2: [node] role: 'District' must be district or state" },
	{ "district with a letter", "[node]\nrole = district\ndistrict = 00a2\n",
	  ":3: [node] district: '00a2' is not a district ID (1 to 16 digits)" },
	{ "district of 17 digits", "[node]\nrole = district\ndistrict = 12345678901234567\n",
	  ":3: [node] district: '12345678901234567' is not a district ID (1 to 16 digits)" },
	{ "district empty", "[node]\nrole = district\ndistrict =\n",
	  ":3: [node] district: '' is not a district ID (1 to 16 digits)" },
	{ "state lower case", "[node]\nstate = nv\n",
	  ":2: [node] state: 'nv' is not a two-letter state code such as NV" },
	{ "state with a comment", "[node]\nstate = NV ; Nevada\n",
	  ":2: [node] state: 'NV ; Nevada' is not a two-letter state code such as NV" },
	{ "year with a letter", "[node]\nrole = district\ndistrict = 0042\nyear = 20x7\n",
	  ":4: [node] year: '20x7' is not a school year (YYYY, the year it ends)" },
	{ "year of two digits", "[node]\nyear = 27\n",
	  ":2: [node] year: '27' is not a school year (YYYY, the year it ends)" },
	{ "year 1900", "[node]\nyear = 1900\n",
	  ":2: [node] year: '1900' is not a school year (YYYY, the year it ends)" },
	{ "year 2200", "[node]\nyear = 2200\n",
	  ":2: [node] year: '2200' is not a school year (YYYY, the year it ends)" },
	{ "year with a sign", "[node]\nyear = +207\n",
	  ":2: [node] year: '+207' is not a school year (YYYY, the year it ends)" },
	{ "send to empty", DIST "[send]\nto =\n", ":7: [send] to: '' is empty" },
	{ "store path empty", STATE "[store]\npath =\n", ":6: [store] path: '' is empty" },
	{ "send key empty", DIST "[send]\nkey =\n", ":7: [send] key: '' is empty" },
	{ "known_hosts empty", DIST "[send]\nknown_hosts =\n",
	  ":7: [send] known_hosts: '' is empty" },
	{ "send key twice", DIST "[send]\nkey = a\nkey = b\n", ":8: [send] key: is set twice" },
	{ "send key in a state config", STATE "[send]\nkey = k\n",
	  ": [send] key: not a setting of a state home" },
	{ "known_hosts in a state config", STATE "[send]\nknown_hosts = kh\n",
	  ": [send] known_hosts: not a setting of a state home" },
	{ "not name = value", "[node]\nrole = district\njunk\n",
	  ":3: not a [section] or name = value line" },
	{ "unclosed section", "[node\nrole = district\n", ":1: not a [section] or name = value line" },
	{ "continuation line", "[node]\nrole = district\n  and more\n",
	  ":3: not a [section] or name = value line" },
	{ "missing role", "[node]\nstate = NV\nyear = 2027\n", ": [node] role: missing" },
	{ "empty file", "", ": [node] role: missing" },
	{ "missing district", "[node]\nrole = district\nstate = NV\nyear = 2027\n",
	  ": [node] district: missing" },
	{ "missing state", "[node]\nrole = state\nyear = 2027\n", ": [node] state: missing" },
	{ "missing year", "[node]\nrole = district\ndistrict = 1\nstate = NV\n",
	  ": [node] year: missing" },
	{ "district key in a state config", "[node]\nrole = state\ndistrict = 0042\nstate = NV\n"
	  "year = 2027\n", ": [node] district: not a setting of a state home" },
	{ "send in a state config", STATE "[send]\nto = /x\n",
	  ": [send] to: not a setting of a state home" },
	{ "store in a district config", DIST "[store]\npath = s.db\n",
	  ": [store] path: not a setting of a district home" },
	{ "orphans neither", STATE "[load]\norphans = keep\n",
	  ":6: [load] orphans: 'keep' must be delete or flag" },
	{ "orphans in a district", DIST "[load]\norphans = flag\n",
	  ": [load] orphans: not a setting of a district home" },
	{ "years without current", STATE "[load]\nyears = previous,next\n",
	  ":6: [load] years: 'previous,next' must include current" },
	{ "years twice the same", STATE "[load]\nyears = current,current\n",
	  ":6: [load] years: 'current,current' must list previous, current, next (each once, ',' between)" },
	{ "years unknown", STATE "[load]\nyears = current,last\n",
	  ":6: [load] years: 'current,last' must list previous, current, next (each once, ',' between)" },
	{ "years trailing comma", STATE "[load]\nyears = current,\n",
	  ":6: [load] years: 'current,' ends with ','" },
	{ "missing file", NULL, ": no such file: not an edsync home (run 'edsync init')" },
};

START_TEST(test_refusals)
{
	const struct bad_cfg *t = &bad[_i];
	struct config c;
	char *path, *err, *want;

	memset(&c, 0x5a, sizeof c);
	ck_assert_msg(load(t->text, &c, &path, &err) == ES_CONFIG, "%s: not ES_CONFIG", t->what);
	want = xasprintf("edsync: %s%s\n", path, t->msg);
	ck_assert_msg(!strcmp(err, want), "%s:\n got '%s'\nwant '%s'", t->what, err, want);
	/* nothing is left to free */
	ck_assert_ptr_null(c.send_to);
	ck_assert_ptr_null(c.send_key);
	ck_assert_ptr_null(c.send_known_hosts);
	ck_assert_ptr_null(c.store_path);
	free(want);
	free(path);
	free(err);
}
END_TEST

START_TEST(test_unreadable_file)
{
	struct config c;
	char *path, *err, *want;

	/* a folder where the file should be: not ENOENT */
	path = xpath(dir, "edsync.conf");
	ck_assert_int_eq(mkdir(path, 0700), 0);
	free(path);
	ck_assert_int_eq(load(NULL, &c, &path, &err), ES_CONFIG);
	/* fopen of a folder succeeds on Linux; reading it fails with EISDIR */
	want = xasprintf("edsync: %s: cannot read: Is a directory\n", path);
	ck_assert_str_eq(err, want);
	free(want);
	free(path);
	free(err);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");
	SRunner *sr;
	int failed;

	if (sodium_init() < 0)
		return 1;
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_valid_district);
	tcase_add_test(tc, test_valid_state);
	tcase_add_test(tc, test_valid_sftp_settings);
	tcase_add_test(tc, test_render_round_trip);
	tcase_add_test(tc, test_state_load_settings);
	tcase_add_test(tc, test_set_year);
	tcase_add_loop_test(tc, test_refusals, 0, (int)(sizeof bad / sizeof bad[0]));
	tcase_add_test(tc, test_unreadable_file);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
