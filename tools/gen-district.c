/*
 * gen-district - write a consistent, realistic, generated district.
 *
 *   tools/gen-district --students N --seed S --state XX --out DIR [--year YYYY]
 *
 * Writes DIR/<Object>.csv for every object a district of state XX sends
 * (the registry decides), the same bytes for the same arguments.  Values
 * are realistic and exercise the hard cases: UTF-8 names, commas, quotes,
 * embedded newlines (addresses, incident details, comments), leading-zero
 * IDs and numbers, empty optional fields.  IDs of one kind have one width,
 * so rows written in ID order are also in key (text) order, the order the
 * state exports them in: for a district without errors, 'edsync export'
 * gives back these files byte for byte.
 *
 * The district is a model computed first, from the seed alone: schools and
 * their grade spans, calendars and their school days, students (school,
 * grade, programs, moves, no-shows), staff (school, role, hire date),
 * courses and sections, behavior incidents.  Every reference a generator
 * writes is a key another generator writes from the same model: persons,
 * schools, calendars, enrollments, incidents -> events -> roles ->
 * resolutions, employments and the assignments within them, sections and
 * their rosters.  Values that nothing else depends on come from each
 * object's own random stream (seeded by S and the object's name), so an
 * object's bytes change only when its generator or the model does.
 *
 * A small share of records is withheld by the registry's data-setup rules,
 * as in real districts: one excluded school, ~1% no-show enrollments and a
 * few marked stateExclude, behavior events whose type has no state event
 * code, resolutions whose type has no state resolution code, special
 * education plans not yet locked.  The district's data is as of March 31
 * of the school year's end year (--year, default 2027).
 *
 * Objects are written two at a time (one thread each); each object's file
 * depends on nothing but the model, so the bytes do not depend on the
 * order.
 */
#include "../formats/csvw.h"
#include "../formats/registry.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define NELEM(a) (sizeof a / sizeof a[0])

/* ---- random numbers ---- */

struct rng {
	uint64_t s;
};

static uint64_t next(struct rng *r)
{
	/* splitmix64: tiny, fast, and the same everywhere */
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned pick(struct rng *r, unsigned n)
{
	return (unsigned)(next(r) % n);
}

static int chance(struct rng *r, unsigned percent)
{
	return pick(r, 100) < percent;
}

static struct rng stream(uint64_t seed, const char *name)
{
	struct rng r = { seed * 0x100000001b3ULL };
	const char *p;

	for (p = name; *p; p++)
		r.s = (r.s ^ (unsigned char)*p) * 0x100000001b3ULL;
	next(&r);
	return r;
}

/* The model's facts: a hash of (seed, what, which), the same whichever
 * generator asks. */
static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

enum fact {
	F_GRADE = 1, F_NOSHOW, F_MOVED, F_SPED, F_S504, F_LEP, F_EARLYGRAD, F_CHRONIC,
	F_HOMELESS, F_FOSTER, F_MIGRANT, F_GT, F_EXCL, F_ELECTIVE, F_SECTION, F_MOVEDAY,
	F_SPEDEXIT, F_STAFF, F_HIRE, F_PRIOR, F_SPLIT, F_TRANSFER, F_INCIDENT, F_EVENT,
	F_ROLE, F_RESOLUTION, F_RESPONSE, F_PLAN, F_EW, F_DLI, F_SPRING, F_AGE, F_PARENT,
	F_CTE, F_MEDICAID, F_ABSENT, F_VERIFY
};

static uint64_t g_seed;

static uint64_t hx(enum fact f, uint64_t i)
{
	return mix(g_seed * 0x9e3779b97f4a7c15ULL ^ mix(((uint64_t)f << 40) + i + 0x632be59bd9b4e019ULL));
}

static unsigned hpick(enum fact f, uint64_t i, unsigned n)
{
	return (unsigned)(hx(f, i) % n);
}

static int hchance(enum fact f, uint64_t i, unsigned permille)
{
	return hx(f, i) % 1000 < permille;
}

/* ---- dates: days since 1970-01-01 ---- */

static long days_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* 0 Sunday .. 6 Saturday */
static int weekday(long z)
{
	return (int)(((z + 4) % 7 + 7) % 7);
}

static int year_of(long z)
{
	int y, m, d;

	civil_from_days(z, &y, &m, &d);
	return y;
}

/* the n-th (1..) weekday wd of a month; n = 5: the last */
static long nth_weekday(int y, int m, int wd, int n)
{
	long z;

	if (n == 5) {
		z = days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 1;
		while (weekday(z) != wd)
			z--;
		return z;
	}
	z = days_from_civil(y, m, 1);
	while (weekday(z) != wd)
		z++;
	return z + 7 * (n - 1);
}

/* ---- the district model ---- */

enum {
	S_MOVED = 1u << 0, S_NOSHOW = 1u << 1, S_SPED = 1u << 2, S_504 = 1u << 3,
	S_EARLYGRAD = 1u << 4, S_CHRONIC = 1u << 5, S_HOMELESS = 1u << 6,
	S_FOSTER = 1u << 7, S_MIGRANT = 1u << 8, S_GT = 1u << 9, S_EXCL = 1u << 10,
	S_FEMALE = 1u << 11, S_SPEDEXIT = 1u << 12, S_DLI = 1u << 13
};

enum lep { LEP_NONE, LEP_EL, LEP_EXITED, LEP_PENDING, LEP_NOTEL };

struct student {
	uint32_t school;	/* of the first enrollment */
	uint32_t cur;		/* of the current (last) enrollment */
	uint32_t flags;
	uint8_t grade;		/* 0 KG .. 12 */
	uint8_t lep;
	uint8_t elective;
	uint16_t last;		/* last name index */
	int32_t birth;
	int32_t start;		/* first enrollment's start */
	int32_t first_end;	/* moved: the first enrollment's end */
	int32_t cur_start, cur_end;	/* the current enrollment; cur_end 0: open */
	uint64_t enr;		/* first enrollment ID */
};

/* staff roles, by rank within the school */
struct role {
	const char *code, *title;
	int teacher, licensed;
	const char *area;	/* credential area */
	const char *team;	/* TeamMember role, or NULL */
};

static const struct role roles[] = {
	{ "PRIN", "Principal", 0, 1, "ADMN", "ADM" },
	{ "TCH", "Classroom Teacher", 1, 1, NULL, "TCH" },
	{ "SPED", "Special Education Teacher", 1, 1, "SPED", "CM" },
	{ "COUN", "School Counselor", 0, 1, "COUN", "COUN" },
	{ "PARA", "Paraprofessional", 0, 0, NULL, NULL },
	{ "NURS", "School Nurse", 0, 1, "NURS", "NURS" },
	{ "SLP", "Speech-Language Pathologist", 0, 1, "SPED", "SLP" },
	{ "PSYC", "School Psychologist", 0, 1, "SPED", "PSY" },
	{ "CLRK", "Office Clerk, Attendance", 0, 0, NULL, NULL },
	{ "CUST", "Custodian", 0, 0, NULL, NULL },
	{ "FOOD", "Food Service Worker", 0, 0, NULL, NULL },
	{ "TRAN", "Bus Driver", 0, 0, NULL, NULL },
	{ "LIB", "Library Media Specialist", 0, 1, "LIB", NULL },
	{ "APRN", "Assistant Principal", 0, 1, "ADMN", "ADM" },
	{ "ADMN", "District Administrator", 0, 1, "ADMN", NULL },
};
enum { R_PRIN, R_TCH, R_SPED, R_COUN, R_PARA, R_NURS, R_SLP, R_PSYC, R_CLRK, R_CUST,
       R_FOOD, R_TRAN, R_LIB, R_APRN, R_ADMN };

struct staffer {
	uint32_t school;
	uint8_t role;
	uint8_t female;
	uint8_t age;
	uint8_t split;		/* a second assignment at the next school */
	uint8_t transfer;	/* an earlier assignment at another school */
	uint8_t prior;		/* an earlier, ended employment */
	uint16_t last, first;	/* name indexes */
	int32_t hire;		/* current employment's start */
	int32_t prior_start, prior_end;
};

struct course {
	uint32_t school;
	int8_t grade;		/* -1: an elective */
	uint8_t slot;		/* core subject, or elective index */
	uint32_t count;		/* students */
	uint32_t nsec;
	uint64_t sec_first;	/* index of its first section */
};

struct school {
	int lo, hi;		/* grade span, 0 KG .. 12 */
	unsigned long first, count;	/* block of students (first enrollment) */
	long cal_start, cal_end;
	int excluded;
	long *days;		/* every weekday of the calendar */
	unsigned char *dayev;	/* its event: index into day_events, 0 none */
	size_t ndays;
	long *instr;		/* instructional days */
	size_t ninstr;
	unsigned long grade_count[13];	/* current students by grade */
	size_t course_first, ncourses;
	int core_off[13];	/* offset of a grade's first core course, or -1 */
	int elective_off;	/* -1 without electives */
	unsigned long *teachers;
	size_t nteachers;
	long sped_teacher, counselor, principal, psych, slp, nurse;	/* staff index or -1 */
	int dli;		/* runs a dual language program */
};

struct district {
	unsigned long students, staff, schools;
	int year;
	const char *state;
	uint64_t seed;
	long asof;		/* the extract's date */
	/* ID bases: one width per kind of ID */
	unsigned long person_base, school_base, calendar_base, enrollment_base;
	struct school *sc;
	struct student *st;
	struct staffer *sf;
	struct course *co;
	size_t ncourses;
	unsigned long nsections;
	unsigned long *verify_section;	/* per section: its verification ID, or 0 */
	unsigned long nverify;
	unsigned long incidents;
	unsigned long enrollments;
};

static unsigned long id_base(unsigned long count)
{
	unsigned long base = 10;

	while (base <= count)
		base *= 10;
	return base;
}

static const char *const grade_codes[] = {
	"KG", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"
};

/* ---- realistic values ---- */

static const char *const last_names[] = {
	"Smith", "Johnson", "Williams", "Brown", "Jones", "García", "Miller", "Davis",
	"Rodríguez", "Martínez", "Hernández", "López", "González", "Wilson", "Anderson",
	"Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Pérez", "Thompson",
	"White", "Harris", "Sánchez", "Clark", "Ramírez", "Lewis", "Robinson", "Walker",
	"Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyễn", "Hill", "Flores",
	"Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell",
	"Carter", "Roberts", "O'Brien", "O'Connor", "Müller", "Søren-Larsen", "D'Angelo",
	"Trần", "Lê", "Phạm", "Kowalski", "Begay", "Yazzie", "Tsosie", "Kim", "Park",
	"Chen", "Wang", "Patel", "Shah", "Johnson, Jr.", "Smith, III", "de la Cruz",
	"Van Der Berg", "St. John", "Ó Súilleabháin", "Al-Farsi", "Iyer", "Okafor"
};
static const char *const first_f[] = {
	"Olivia", "Emma", "Charlotte", "Amelia", "Sophia", "Mia", "Isabella", "Ava",
	"Evelyn", "Luna", "Harper", "Camila", "Sofía", "Zoë", "Chloé", "Renée", "Ximena",
	"Valentina", "Mariana", "Aaliyah", "Nizhoni", "Ayasha", "Mei", "Linh", "Thảo",
	"Anaïs", "Björk", "Siobhán", "Priya", "Fatima", "Amara", "Chiamaka", "Hana"
};
static const char *const first_m[] = {
	"Liam", "Noah", "Oliver", "James", "Elijah", "Mateo", "Theodore", "Henry",
	"Lucas", "William", "Benjamin", "Levi", "Sebastián", "José", "Jesús", "Ángel",
	"Andrés", "Joaquín", "Dmitri", "Søren", "François", "Minh", "Huy", "Bao",
	"Kai", "Ahanu", "Takoda", "Arjun", "Mohammed", "Omar", "Chukwuemeka", "Jae-won"
};
static const char *const middle_names[] = {
	"", "", "", "A.", "Marie", "Lee", "James", "Ann", "\"Bud\"", "\"Skip\"", "Rose",
	"Jean-Luc", "María José", "Grace", "Ray", "Lynn", "Thanh", "Xóchitl"
};
static const char *const school_kinds[] = {
	"Elementary School", "Middle School", "High School", "Academy",
	"K-8 School", "Charter School"
};
/* grade spans of the kinds above */
static const int kind_lo[] = { 0, 6, 9, 0, 0, 0 };
static const int kind_hi[] = { 5, 8, 12, 12, 8, 12 };
static const char *const school_names[] = {
	"Lincoln", "Washington", "Roosevelt", "Jefferson", "Sierra Vista", "Desert Pines",
	"Sarah Winnemucca", "Kit Carson", "Dr. Martin Luther King Jr.", "César Chávez",
	"Ruby Mountain", "Great Basin", "Lake Tahoe", "Red Rock", "Valley View",
	"Pine Nut", "Truckee Meadows", "Mesquite", "Juniper Hills", "Walker River"
};
static const char *const streets[] = {
	"Main St", "Virginia St", "Oak Ave", "Sierra Blvd", "Mill St", "Plumas St",
	"Washington Ave", "Stewart St", "Lakeside Dr", "Desert Inn Rd"
};
static const char *const cities[] = {
	"Carson City", "Reno", "Sparks", "Elko", "Las Vegas", "Henderson", "Fallon",
	"Winnemucca", "Ely", "Pahrump"
};

/* ---- writing one object's CSV ---- */

#define VALMAX 1024

struct out {
	FILE *f;
	struct sb row;
	const struct reg_object *o;
	const struct district *d;
	struct rng r;
	int hint;		/* the field after the last one set */
	unsigned long rows;
	char (*buf)[VALMAX];	/* one value per field */
};

static int field_of(struct out *w, const char *field)
{
	const struct reg_object *o = w->o;
	size_t i;

	/* Generators set fields mostly in registry order. */
	if (w->hint >= 0 && (size_t)w->hint < o->nfields && !strcmp(o->fields[w->hint].name, field))
		return w->hint++;
	for (i = 0; i < o->nfields; i++)
		if (!strcmp(o->fields[i].name, field)) {
			w->hint = (int)i + 1;
			return (int)i;
		}
	fprintf(stderr, "gen-district: %s has no field %s\n", o->name, field);
	exit(70);
}

static void set(struct out *w, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set(struct out *w, const char *field, const char *fmt, ...)
{
	int i = field_of(w, field);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->buf[i], VALMAX, fmt, ap);
	va_end(ap);
}

static void set_s(struct out *w, const char *field, const char *s)
{
	int i = field_of(w, field);
	size_t n = strlen(s);

	if (n >= VALMAX)
		n = VALMAX - 1;
	memcpy(w->buf[i], s, n);
	w->buf[i][n] = '\0';
}

static void put_u(char *p, unsigned long v)
{
	char t[24];
	int n = 0;

	do
		t[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n)
		*p++ = t[--n];
	*p = '\0';
}

static void set_u(struct out *w, const char *field, unsigned long v)
{
	put_u(w->buf[field_of(w, field)], v);
}

static void set_b(struct out *w, const char *field, int v)
{
	char *p = w->buf[field_of(w, field)];

	p[0] = v ? '1' : '0';
	p[1] = '\0';
}

static void fmt_date(char *p, long z)
{
	int y, m, d;

	civil_from_days(z, &y, &m, &d);
	p[0] = (char)('0' + y / 1000 % 10);
	p[1] = (char)('0' + y / 100 % 10);
	p[2] = (char)('0' + y / 10 % 10);
	p[3] = (char)('0' + y % 10);
	p[4] = '-';
	p[5] = (char)('0' + m / 10);
	p[6] = (char)('0' + m % 10);
	p[7] = '-';
	p[8] = (char)('0' + d / 10);
	p[9] = (char)('0' + d % 10);
	p[10] = '\0';
}

static void set_date(struct out *w, const char *field, long z)
{
	fmt_date(w->buf[field_of(w, field)], z);
}

/* a decimal from hundredths: 1234 -> "12.34" */
static void set_dec(struct out *w, const char *field, long hundredths)
{
	char *p = w->buf[field_of(w, field)];

	if (hundredths < 0) {
		*p++ = '-';
		hundredths = -hundredths;
	}
	put_u(p, (unsigned long)hundredths / 100);
	p += strlen(p);
	*p++ = '.';
	*p++ = (char)('0' + hundredths / 10 % 10);
	*p++ = (char)('0' + hundredths % 10);
	*p = '\0';
}

static void set_year(struct out *w)
{
	set_u(w, "endYear", (unsigned long)w->d->year);
}

static void emit(struct out *w)
{
	size_t i;

	sb_reset(&w->row);
	for (i = 0; i < w->o->nfields; i++) {
		csvw_cell(&w->row, i, w->buf[i], strlen(w->buf[i]));
		w->buf[i][0] = '\0';
	}
	csvw_end(&w->row);
	fwrite(w->row.buf, 1, w->row.len, w->f);
	w->hint = 0;
	w->rows++;
}

/* ---- calendars: school days ---- */

static const struct {
	const char *code, *comment;
	int instruction;
} day_events[] = {
	{ "", "", 1 },
	{ "HOL", "Labor Day", 0 },
	{ "HOL", "Nevada Day", 0 },
	{ "HOL", "Veterans Day", 0 },
	{ "HOL", "Thanksgiving Break", 0 },
	{ "HOL", "Winter Break", 0 },
	{ "HOL", "Martin Luther King Jr. Day", 0 },
	{ "HOL", "Presidents' Day", 0 },
	{ "HOL", "Spring Break", 0 },
	{ "HOL", "Memorial Day", 0 },
	{ "PD", "Staff development day, no school for students", 0 },
	{ "CONF", "Parent-teacher conferences, no school", 0 },
	{ "ER", "Early release: dismissal at 1:30 p.m.", 1 },
	{ "HOL", "Fall Break", 0 },
};

/* What happens on weekday z of calendar k in school year y (end year). */
static int day_event(const struct district *d, unsigned long k, long z)
{
	int fy = d->year - 1, y, m, dd;
	long spring;

	civil_from_days(z, &y, &m, &dd);
	if (z == nth_weekday(fy, 9, 1, 1))
		return 1;
	if (z == nth_weekday(fy, 10, 5, 5))
		return strcmp(d->state, "NV") ? 13 : 2;
	if (y == fy && m == 11 && dd == 11)
		return 3;
	if (z == nth_weekday(fy, 11, 4, 4) || z == nth_weekday(fy, 11, 4, 4) + 1)
		return 4;
	if (z >= days_from_civil(fy, 12, 22) && z <= days_from_civil(d->year, 1, 2))
		return 5;
	if (z == nth_weekday(d->year, 1, 1, 3))
		return 6;
	if (z == nth_weekday(d->year, 2, 1, 3))
		return 7;
	spring = nth_weekday(d->year, 3, 1, 2) + 7 * (long)hpick(F_SPRING, k, 3);
	if (z >= spring && z < spring + 5)
		return 8;
	if (z == nth_weekday(d->year, 5, 1, 5))
		return 9;
	if (z == nth_weekday(fy, 10, 5, 2) || z == days_from_civil(d->year, 1, 5) +
	    (weekday(days_from_civil(d->year, 1, 5)) == 6 ? 2 :
	     weekday(days_from_civil(d->year, 1, 5)) == 0 ? 1 : 0))
		return 10;
	if (z == nth_weekday(fy, 10, 4, 3) || z == nth_weekday(d->year, 3, 4, 1))
		return 11;
	if (weekday(z) == 3 && dd <= 7)
		return 12;
	return 0;
}

static void school_days(const struct district *d, unsigned long k, struct school *s)
{
	long z, n = s->cal_end - s->cal_start + 1;

	s->days = xcalloc((size_t)n, sizeof *s->days);
	s->dayev = xcalloc((size_t)n, 1);
	s->instr = xcalloc((size_t)n, sizeof *s->instr);
	for (z = s->cal_start; z <= s->cal_end; z++) {
		int ev;

		if (weekday(z) == 0 || weekday(z) == 6)
			continue;
		ev = day_event(d, k, z);
		s->days[s->ndays] = z;
		s->dayev[s->ndays++] = (unsigned char)ev;
		if (day_events[ev].instruction)
			s->instr[s->ninstr++] = z;
	}
}

/* The first instructional day on or after z (the last one if none). */
static long instr_on_or_after(const struct school *s, long z)
{
	size_t lo = 0, hi = s->ninstr;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->instr[mid] < z)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->ninstr ? s->instr[lo] : s->instr[s->ninstr - 1];
}

/* index of the last instructional day on or before z, or -1 */
static long instr_index_before(const struct school *s, long z)
{
	size_t lo = 0, hi = s->ninstr;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->instr[mid] <= z)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)lo - 1;
}

/* The instructional day n school days after z (z itself when n is 0). */
static long instr_after(const struct school *s, long z, long n)
{
	long i = instr_index_before(s, z);

	if (i < 0)
		i = 0;
	i += n;
	if (i >= (long)s->ninstr)
		i = (long)s->ninstr - 1;
	return s->instr[i];
}

/* A random instructional day in [from, to]. */
static long instr_between(const struct school *s, long from, long to, uint64_t h)
{
	long a = instr_index_before(s, from - 1) + 1, b = instr_index_before(s, to);

	if (b < a)
		return instr_on_or_after(s, from);
	return s->instr[a + (long)(h % (uint64_t)(b - a + 1))];
}

/* ---- the model, computed once ---- */

struct person_draw {
	int female, age;
	unsigned last, first, middle;
	long birth;
};

/* PersonIdentity's draws for person i, in its stream's order: the model
 * replays them to know names and ages. */
static void draw_person(struct rng *r, const struct district *d, unsigned long i,
			struct person_draw *p)
{
	int student = i < d->students;

	p->female = chance(r, 50);
	p->age = student ? 5 + (int)pick(r, 2) + d->st[i].grade : 24 + (int)pick(r, 40);
	p->last = pick(r, NELEM(last_names));
	p->first = p->female ? pick(r, NELEM(first_f)) : pick(r, NELEM(first_m));
	p->middle = pick(r, NELEM(middle_names));
}

/* PersonIdentity's row for person i: every draw from its stream, in order;
 * the model replays it (w NULL) to know names and ages. */
static void person_row(struct rng *r, const struct district *d, unsigned long i,
		       struct person_draw *p, struct out *w)
{
	int student = i < d->students;
	const char *suffix = NULL;
	int x, bm, bd, race, hisp, em, ed;

	draw_person(r, d, i, p);
	if (!student && chance(r, 5))
		suffix = chance(r, 50) ? "Jr." : "III";
	x = chance(r, 2);
	bm = 1 + (int)pick(r, 12);
	bd = 1 + (int)pick(r, 28);
	race = 1 + (int)pick(r, 7);
	hisp = chance(r, 30);
	em = 7 + (int)pick(r, 3);
	ed = 1 + (int)pick(r, 28);
	/* students: old enough for their grade by September 1 */
	p->birth = days_from_civil(d->year - 1 - p->age + (student && bm >= 9 ? -1 : 0), bm, bd);
	if (!w)
		return;
	set_u(w, "personID", d->person_base + i);
	set(w, "stateID", "%010lu", 1000000ul + (d->seed % 97) * 10000000ul + i);
	if (student) {
		set(w, "studentNumber", "%07lu", 1 + i);
	} else {
		set(w, "staffNumber", "E%05lu", i - d->students + 1);
		set(w, "staffStateID", "%09lu", 700000000ul + i);
	}
	set_s(w, "lastName", last_names[p->last]);
	set_s(w, "firstName", p->female ? first_f[p->first] : first_m[p->first]);
	set_s(w, "middleName", middle_names[p->middle]);
	if (suffix)
		set_s(w, "suffix", suffix);
	set_s(w, "gender", x ? "X" : p->female ? "F" : "M");
	set_date(w, "birthDate", p->birth);
	set_u(w, "raceEthnicityFed", (unsigned long)race);
	set_s(w, "hispanicEthnicity", hisp ? "Y" : "N");
	set_date(w, "effectiveDate", days_from_civil(d->year - 1, em, ed));
	emit(w);
}

static int spans(const struct school *s, int g)
{
	return g >= s->lo && g <= s->hi;
}

static int secondary(int g)
{
	return g >= 6;
}

#define NCORE 5
#define NELECTIVE 10
#define CAP_ELEM 24
#define CAP_SEC 28

static int active_student(const struct student *s)
{
	return !(s->flags & S_NOSHOW);
}

/* course index (into d->co) of a student's k-th course, or -1 */
static long student_course(const struct district *d, const struct student *s, int k)
{
	const struct school *sc = &d->sc[s->cur];

	if (!secondary(s->grade))
		return k == 0 ? (long)(sc->course_first + (size_t)sc->core_off[s->grade]) : -1;
	if (k < NCORE)
		return (long)(sc->course_first + (size_t)sc->core_off[s->grade] + (size_t)k);
	if (k == NCORE && sc->elective_off >= 0)
		return (long)(sc->course_first + (size_t)sc->elective_off + s->elective);
	return -1;
}

static int student_ncourses(const struct student *s)
{
	return secondary(s->grade) ? NCORE + 1 : 1;
}

static unsigned long student_section(const struct district *d, unsigned long i, long c)
{
	const struct course *co = &d->co[c];

	return co->sec_first + hx(F_SECTION, i * 8 + (uint64_t)c % 8) % co->nsec;
}

static void build_model(struct district *d)
{
	unsigned long i, j, S = d->schools;
	struct rng r;
	size_t c;

	d->sc = xcalloc(S, sizeof *d->sc);
	d->st = xcalloc(d->students ? d->students : 1, sizeof *d->st);
	d->sf = xcalloc(d->staff ? d->staff : 1, sizeof *d->sf);
	d->asof = days_from_civil(d->year, 3, 31);

	/* schools: grade spans by kind; a district without a school for the
	 * upper grades has its last school serve them */
	for (i = 0; i < S; i++) {
		d->sc[i].lo = kind_lo[i % NELEM(school_kinds)];
		d->sc[i].hi = kind_hi[i % NELEM(school_kinds)];
		d->sc[i].excluded = i == 0 && S > 2;
		d->sc[i].first = (i * d->students + S - 1) / S;
		d->sc[i].dli = i % 4 == 3 || (i % 6 == 0 && i % 4 == 0 && S > 6);
	}
	for (i = 0; i < S; i++) {
		d->sc[i].count = (i + 1 < S ? d->sc[i + 1].first : d->students) - d->sc[i].first;
	}
	if (S < 3) {
		d->sc[S - 1].hi = 12;
		if (S == 2)
			d->sc[1].lo = 6;
	}
	/* calendars: Calendar's stream draws, replayed */
	r = stream(d->seed, "Calendar");
	for (i = 0; i < S; i++) {
		d->sc[i].cal_start = days_from_civil(d->year - 1, 8, 10 + (int)pick(&r, 15));
		d->sc[i].cal_end = days_from_civil(d->year, 6, 1 + (int)pick(&r, 10));
		school_days(d, i, &d->sc[i]);
	}

	/* students */
	for (i = 0; i < d->students; i++) {
		struct student *s = &d->st[i];
		struct school *sc;
		unsigned long k = i * S / (d->students ? d->students : 1);

		s->school = s->cur = (uint32_t)k;
		sc = &d->sc[k];
		s->grade = (uint8_t)(sc->lo + (int)hpick(F_GRADE, i, (unsigned)(sc->hi - sc->lo + 1)));
		if (hchance(F_NOSHOW, i, 10))
			s->flags |= S_NOSHOW;
		if (hchance(F_EXCL, i, 3))
			s->flags |= S_EXCL;
		if (hchance(F_SPED, i, 130))
			s->flags |= S_SPED;
		else if (hchance(F_S504, i, 30))
			s->flags |= S_504;
		else if (hchance(F_SPEDEXIT, i, 15))
			s->flags |= S_SPEDEXIT;
		if (hchance(F_CHRONIC, i, 120))
			s->flags |= S_CHRONIC;
		if (hchance(F_HOMELESS, i, 30))
			s->flags |= S_HOMELESS;
		if (hchance(F_FOSTER, i, 5))
			s->flags |= S_FOSTER;
		if (hchance(F_MIGRANT, i, 10))
			s->flags |= S_MIGRANT;
		if (hchance(F_GT, i, 70) && s->grade >= 2)
			s->flags |= S_GT;
		switch (hpick(F_LEP, i, 1000) / 5) {
		case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7:
		case 8: case 9: case 10: case 11: case 12: case 13: case 14: case 15: case 16:
			s->lep = LEP_EL;
			break;
		case 17: case 18: case 19: case 20: case 21: case 22:
			s->lep = LEP_EXITED;
			break;
		case 23:
			s->lep = LEP_PENDING;
			break;
		case 24:
			s->lep = LEP_NOTEL;
			break;
		default:
			s->lep = LEP_NONE;
		}
		s->elective = (uint8_t)hpick(F_ELECTIVE, i, NELECTIVE);
		s->start = (int32_t)instr_on_or_after(sc, sc->cal_start);
		s->cur_start = s->start;
		if (sc->dli && s->grade <= 5 && hchance(F_DLI, i, 250))
			s->flags |= S_DLI;
		if (!(s->flags & S_NOSHOW) && hchance(F_MOVED, i, 60)) {
			/* moved in winter to another school of the district
			 * that has the student's grade */
			for (j = 1; j < S; j++) {
				unsigned long t = (k + j) % S;

				if (spans(&d->sc[t], s->grade)) {
					long end = days_from_civil(d->year - 1, 12, 10 +
								   (int)hpick(F_MOVEDAY, i, 10));

					s->flags |= S_MOVED;
					s->cur = (uint32_t)t;
					s->first_end = (int32_t)d->sc[k].instr[instr_index_before(sc, end)];
					s->cur_start = (int32_t)instr_on_or_after(&d->sc[t],
						days_from_civil(d->year, 1, 6));
					break;
				}
			}
		}
		if (s->grade == 12 && !(s->flags & (S_MOVED | S_NOSHOW)) &&
		    hchance(F_EARLYGRAD, i, 30)) {
			s->flags |= S_EARLYGRAD;
			s->cur_end = (int32_t)d->sc[k].instr[instr_index_before(sc,
				days_from_civil(d->year - 1, 12, 19))];
		}
	}
	/* enrollment IDs: one each, two for a student who moved */
	d->enrollment_base = id_base(d->students * 2);
	for (i = 0, j = d->enrollment_base; i < d->students; i++) {
		d->st[i].enr = j;
		j += d->st[i].flags & S_MOVED ? 2 : 1;
	}
	d->enrollments = j - d->enrollment_base;

	/* persons: the names and ages PersonIdentity will write */
	r = stream(d->seed, "PersonIdentity");
	for (i = 0; i < d->students + d->staff; i++) {
		struct person_draw p;

		person_row(&r, d, i, &p, NULL);
		if (i < d->students) {
			if (p.female)
				d->st[i].flags |= S_FEMALE;
			d->st[i].last = (uint16_t)p.last;
			d->st[i].birth = (int32_t)p.birth;
		} else {
			struct staffer *f = &d->sf[i - d->students];

			f->female = (uint8_t)p.female;
			f->age = (uint8_t)p.age;
			f->last = (uint16_t)p.last;
			f->first = (uint16_t)p.first;
		}
	}

	/* staff: school, role by rank in the school, hire date */
	for (j = 0; j < d->staff; j++) {
		struct staffer *f = &d->sf[j];
		unsigned long rank = j / S;
		unsigned years, maxy;

		f->school = (uint32_t)(j % S);
		if (rank == 0)
			f->role = R_PRIN;
		else if (rank % 10 >= 1 && rank % 10 <= 6)
			f->role = R_TCH;
		else if (rank % 10 == 7)
			f->role = R_SPED;
		else if (rank % 10 == 8) {
			static const uint8_t r8[] = { R_COUN, R_PARA, R_NURS, R_SLP, R_PSYC, R_PARA };

			f->role = r8[(rank / 10) % NELEM(r8)];
		} else {
			static const uint8_t r9[] = { R_CLRK, R_CUST, R_APRN, R_FOOD, R_TRAN,
						      R_LIB, R_CUST, R_ADMN };

			f->role = r9[(rank / 10) % NELEM(r9)];
		}
		maxy = f->age > 23 ? (unsigned)f->age - 23 : 1;
		if (maxy > 30)
			maxy = 30;
		years = hpick(F_HIRE, j, maxy);
		f->hire = (int32_t)(days_from_civil(d->year - 1 - (int)years, 7, 20) +
				    (long)hpick(F_HIRE, j + 7777777, 30));
		if (years == 0 && hchance(F_HIRE, j + 3333333, 200))	/* hired mid-year */
			f->hire = (int32_t)days_from_civil(d->year - 1, 10 + (int)hpick(F_HIRE, j, 3), 1);
		if (years >= 4 && f->age - (int)years >= 30 && hchance(F_PRIOR, j, 80)) {
			f->prior = 1;
			f->prior_start = f->hire - (int32_t)(365 * (3 + hpick(F_PRIOR, j + 1, 4)));
			f->prior_end = f->hire - 400 - (int32_t)hpick(F_PRIOR, j + 2, 300);
		}
		if (years >= 2 && S > 1 && hchance(F_TRANSFER, j, 250))
			f->transfer = 1;
		if (S > 1 && (f->role == R_TCH || f->role == R_SPED || f->role >= R_NURS) &&
		    f->role != R_PRIN && hchance(F_SPLIT, j, 60))
			f->split = 1;
	}
	for (i = 0; i < S; i++) {
		struct school *s = &d->sc[i];

		s->teachers = xcalloc(d->staff / S + 2, sizeof *s->teachers);
		s->sped_teacher = s->counselor = s->principal = s->psych = s->slp = s->nurse = -1;
	}
	for (j = 0; j < d->staff; j++) {
		struct school *s = &d->sc[d->sf[j].school];

		switch (d->sf[j].role) {
		case R_TCH: s->teachers[s->nteachers++] = j; break;
		case R_SPED:
			if (s->sped_teacher < 0)
				s->sped_teacher = (long)j;
			break;
		case R_COUN: if (s->counselor < 0) s->counselor = (long)j; break;
		case R_PRIN: if (s->principal < 0) s->principal = (long)j; break;
		case R_PSYC: if (s->psych < 0) s->psych = (long)j; break;
		case R_SLP: if (s->slp < 0) s->slp = (long)j; break;
		case R_NURS: if (s->nurse < 0) s->nurse = (long)j; break;
		}
	}
	for (i = 0; i < S; i++) {
		struct school *s = &d->sc[i];

		/* a school without a teacher of its own borrows one */
		if (!s->nteachers)
			s->teachers[s->nteachers++] = i % (d->staff ? d->staff : 1);
		if (s->sped_teacher < 0)
			s->sped_teacher = (long)s->teachers[0];
		if (s->counselor < 0)
			s->counselor = s->principal >= 0 ? s->principal : (long)s->teachers[0];
		if (s->principal < 0)
			s->principal = (long)s->teachers[0];
	}

	/* courses: per school, the core courses of each grade (one homeroom
	 * course for KG-05, five subjects for 06-12) and the electives */
	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];

		if (active_student(s))
			d->sc[s->cur].grade_count[s->grade]++;
	}
	c = 0;
	for (i = 0; i < S; i++) {
		struct school *s = &d->sc[i];
		int g;

		s->course_first = c;
		for (g = 0; g < 13; g++) {
			s->core_off[g] = -1;
			if (!spans(s, g))
				continue;
			s->core_off[g] = (int)(c - s->course_first);
			c += secondary(g) ? NCORE : 1;
		}
		s->elective_off = s->hi >= 6 ? (int)(c - s->course_first) : -1;
		if (s->hi >= 6)
			c += NELECTIVE;
		s->ncourses = c - s->course_first;
	}
	d->ncourses = c;
	d->co = xcalloc(c ? c : 1, sizeof *d->co);
	for (i = 0; i < S; i++) {
		struct school *s = &d->sc[i];
		int g;
		unsigned k;

		for (g = 0; g < 13; g++)
			for (k = 0; s->core_off[g] >= 0 && k < (secondary(g) ? NCORE : 1u); k++) {
				struct course *co = &d->co[s->course_first + (size_t)s->core_off[g] + k];

				co->school = (uint32_t)i;
				co->grade = (int8_t)g;
				co->slot = (uint8_t)k;
			}
		for (k = 0; s->elective_off >= 0 && k < NELECTIVE; k++) {
			struct course *co = &d->co[s->course_first + (size_t)s->elective_off + k];

			co->school = (uint32_t)i;
			co->grade = -1;
			co->slot = (uint8_t)k;
		}
	}
	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		int k;

		if (!active_student(s))
			continue;
		for (k = 0; k < student_ncourses(s); k++) {
			long cc = student_course(d, s, k);

			if (cc >= 0)
				d->co[cc].count++;
		}
	}
	d->nsections = 0;
	for (c = 0; c < d->ncourses; c++) {
		struct course *co = &d->co[c];
		unsigned cap = co->grade >= 0 && !secondary(co->grade) ? CAP_ELEM : CAP_SEC;

		co->nsec = (co->count + cap - 1) / cap;
		co->sec_first = d->nsections;
		d->nsections += co->nsec;
	}
	/* teacher-of-record verification: ELA and math in grades 3-8 */
	d->verify_section = xcalloc(d->nsections ? d->nsections : 1, sizeof *d->verify_section);
	d->nverify = 0;
	for (c = 0; c < d->ncourses; c++) {
		const struct course *co = &d->co[c];
		unsigned long k;

		if (co->grade < 3 || co->grade > 8 || (secondary(co->grade) && co->slot > 1))
			continue;
		for (k = 0; k < co->nsec; k++)
			d->verify_section[co->sec_first + k] = ++d->nverify;
	}
	d->incidents = d->students ? d->students / 10 + 1 : 0;
}

/* the calendar's first instructional day */
static long first_day(const struct school *s)
{
	return s->instr[0];
}

static unsigned long person_of_staff(const struct district *d, unsigned long j)
{
	return d->person_base + d->students + j;
}

static unsigned long person_of_student(const struct district *d, unsigned long i)
{
	return d->person_base + i;
}

/* A student of school k, active on day z, other than not_i; -1 if none
 * is found quickly. */
static long student_at(const struct district *d, unsigned long k, long z, uint64_t h,
		       unsigned long not_i)
{
	const struct school *sc = &d->sc[k];
	unsigned tries;

	if (!sc->count)
		return -1;
	for (tries = 0; tries < 16; tries++) {
		unsigned long i = sc->first + (unsigned long)((h + tries * 7919u) % sc->count);
		const struct student *s = &d->st[i];

		if (i == not_i || !active_student(s) || s->cur != k || z < s->cur_start ||
		    (s->cur_end && z > s->cur_end))
			continue;
		return (long)i;
	}
	return -1;
}

/* ---- generators: the district, schools, calendars, persons ---- */

static const char *state_fips(const char *st)
{
	static const char *const tab[] = {
		"AL01", "AK02", "AZ04", "AR05", "CA06", "CO08", "CT09", "DE10", "FL12", "GA13",
		"HI15", "ID16", "IL17", "IN18", "IA19", "KS20", "KY21", "LA22", "ME23", "MD24",
		"MA25", "MI26", "MN27", "MS28", "MO29", "MT30", "NE31", "NV32", "NH33", "NJ34",
		"NM35", "NY36", "NC37", "ND38", "OH39", "OK40", "OR41", "PA42", "RI44", "SC45",
		"SD46", "TN47", "TX48", "UT49", "VT50", "VA51", "WA53", "WV54", "WI55", "WY56"
	};
	size_t i;

	for (i = 0; i < NELEM(tab); i++)
		if (!strncmp(tab[i], st, 2))
			return tab[i] + 2;
	return "99";
}

static void gen_district(struct out *w)
{
	static const char *const counties[] = {
		"Washoe", "Douglas", "Lyon", "Churchill", "Humboldt", "Elko", "White Pine",
		"Nye", "Lander", "Storey"
	};
	const struct district *d = w->d;
	const char *county = counties[d->seed % NELEM(counties)];

	set_u(w, "districtID", 1);
	set(w, "number", "%04u", (unsigned)(d->seed % 97) + 1);
	if (!strcmp(d->state, "NV"))
		set(w, "name", "%s County School District", county);
	else if (!strcmp(d->state, "NC"))
		set(w, "name", "%s County Public Schools", county);
	else
		set(w, "name", "%s Unified School District", county);
	set(w, "ncesID", "%s%05u", state_fips(d->state), (unsigned)(d->seed % 90000) + 60);
	set_s(w, "districtType", "REG");
	set(w, "address", "%u %s, Suite %u\n%s, %s 89%03u", 100 + pick(&w->r, 900),
	    streets[pick(&w->r, NELEM(streets))], 100 + pick(&w->r, 300),
	    cities[pick(&w->r, NELEM(cities))], d->state, pick(&w->r, 1000));
	set(w, "phone", "(775) 555-%04u", pick(&w->r, 10000));
	set_s(w, "superintendent", "Dr. María Ortiz-Nguyễn");
	emit(w);
}

static void gen_school(struct out *w)
{
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i;

	for (i = 0; i < d->schools; i++) {
		const char *kind = school_kinds[i % NELEM(school_kinds)];
		const char *name = school_names[(i / NELEM(school_kinds)) % NELEM(school_names)];

		set_u(w, "schoolID", d->school_base + i);
		set(w, "number", "%04lu", (d->seed % 50) * 10 + i + 1);
		if (i % 7 == 1)
			set(w, "name", "%s %s, North Campus", name, kind);
		else if (i % 11 == 2)
			set(w, "name", "%s \"Early College\" %s", name, kind);
		else
			set(w, "name", "%s %s", name, kind);
		set(w, "address", "%u %s\n%s, %s 89%03u", 100 + pick(r, 9900),
		    streets[pick(r, NELEM(streets))], cities[pick(r, NELEM(cities))], d->state,
		    pick(r, 1000));
		set_b(w, "exclude", d->sc[i].excluded);
		emit(w);
	}
}

static void gen_calendar(struct out *w)
{
	const struct district *d = w->d;
	unsigned long i;

	for (i = 0; i < d->schools; i++) {
		set_u(w, "calendarID", d->calendar_base + i);
		set_u(w, "schoolID", d->school_base + i);
		set_year(w);
		set(w, "name", "%d-%02d %s", d->year - 1, d->year % 100,
		    school_names[(i / NELEM(school_kinds)) % NELEM(school_names)]);
		set_date(w, "startDate", d->sc[i].cal_start);
		set_date(w, "endDate", d->sc[i].cal_end);
		set_b(w, "exclude", 0);
		emit(w);
	}
}

static void gen_person(struct out *w)
{
	const struct district *d = w->d;
	unsigned long i;

	for (i = 0; i < d->students + d->staff; i++) {
		struct person_draw p;

		person_row(&w->r, d, i, &p, w);
	}
}

static unsigned long structure_of(const struct district *d, unsigned long k)
{
	return (d->calendar_base + k) * 10 + 1;
}

static void gen_enrollment(struct out *w)
{
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i;

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		int moved = (s->flags & S_MOVED) != 0, k;

		/* A student who moved has a closed enrollment and a new one. */
		for (k = 0; k <= moved; k++) {
			unsigned long sch = k ? s->cur : s->school;

			set_u(w, "enrollmentID", s->enr + (unsigned long)k);
			set_u(w, "personID", person_of_student(d, i));
			set_u(w, "calendarID", d->calendar_base + sch);
			set_u(w, "structureID", structure_of(d, sch));
			set_s(w, "grade", grade_codes[s->grade]);
			set_date(w, "startDate", k ? s->cur_start : s->start);
			set_s(w, "startStatus", k ? "E2" : s->grade == 0 || chance(r, 85) ? "E1" : "R1");
			if (moved && !k) {
				set_date(w, "endDate", s->first_end);
				set_s(w, "endStatus", "W1");
			} else if (s->flags & S_EARLYGRAD) {
				set_date(w, "endDate", s->cur_end);
				set_s(w, "endStatus", "G1");
			}
			set_s(w, "serviceType", chance(r, 2) ? "S" : "P");
			set_b(w, "noShow", (s->flags & S_NOSHOW) != 0);
			set_b(w, "stateExclude", (s->flags & S_EXCL) != 0);
			set_year(w);
			if (s->flags & S_SPED) {
				set_s(w, "specialEdStatus", "Y");
			} else if (s->flags & S_SPEDEXIT) {
				set_s(w, "specialEdStatus", "E");
				set_date(w, "spedExitDate", days_from_civil(d->year - 1 - (int)pick(r, 3),
					 5, 10 + (int)pick(r, 18)));
			} else {
				set_s(w, "specialEdStatus", "N");
			}
			emit(w);
		}
	}
}

/* ---- the school year's structure ---- */

static int elementary_only(const struct school *s)
{
	return s->hi <= 5;
}

static void gen_schedule_structure(struct out *w)
{
	const struct district *d = w->d;
	unsigned long k;

	for (k = 0; k < d->schools; k++) {
		const struct school *s = &d->sc[k];

		set_u(w, "structureID", structure_of(d, k));
		set_u(w, "calendarID", d->calendar_base + k);
		set_year(w);
		set_s(w, "name", elementary_only(s) ? "Elementary Day" : "Main Schedule, 7 periods");
		set_b(w, "primaryStructure", 1);
		set_s(w, "attendanceType", elementary_only(s) ? "DAY" : "PER");
		set_u(w, "minutesPerDay", elementary_only(s) ? 360 : 385);
		emit(w);
	}
}

static void gen_structure_grade_level(struct out *w)
{
	const struct district *d = w->d;
	unsigned long k, id = id_base(d->schools * 13);
	int g;

	for (k = 0; k < d->schools; k++)
		for (g = d->sc[k].lo; g <= d->sc[k].hi; g++) {
			set_u(w, "gradeLevelID", id++);
			set_u(w, "structureID", structure_of(d, k));
			set_year(w);
			if (g == 0)
				set_s(w, "name", "Kindergarten");
			else
				set(w, "name", "Grade %s", grade_codes[g]);
			set_s(w, "stateGrade", grade_codes[g]);
			set_u(w, "sequence", (unsigned long)g + 1);
			set_u(w, "standardDayMinutes", g == 0 ? 330 : secondary(g) ? 385 : 360);
			set_s(w, "nextGrade", g == 12 ? "GR" : grade_codes[g + 1]);
			emit(w);
		}
}

static unsigned long term_schedule_of(const struct district *d, unsigned long k)
{
	return id_base(d->schools) + k;
}

static unsigned long period_schedule_of(const struct district *d, unsigned long k, int early)
{
	return id_base(d->schools * 2) + 2 * k + (unsigned long)early;
}

static void gen_term_schedule(struct out *w)
{
	const struct district *d = w->d;
	unsigned long k;

	for (k = 0; k < d->schools; k++) {
		const struct school *s = &d->sc[k];
		int elem = elementary_only(s);

		set_u(w, "termScheduleID", term_schedule_of(d, k));
		set_u(w, "structureID", structure_of(d, k));
		set_year(w);
		set_s(w, "name", elem ? "Trimesters" : "Semesters");
		set_s(w, "termType", elem ? "TRI" : "SEM");
		set_u(w, "termCount", elem ? 3 : 2);
		set_date(w, "startDate", first_day(s));
		set_date(w, "endDate", s->cal_end);
		emit(w);
	}
}

static void gen_period_schedule(struct out *w)
{
	const struct district *d = w->d;
	unsigned long k;
	int e;

	for (k = 0; k < d->schools; k++)
		for (e = 0; e < 2; e++) {
			int elem = elementary_only(&d->sc[k]);

			set_u(w, "periodScheduleID", period_schedule_of(d, k, e));
			set_u(w, "structureID", structure_of(d, k));
			set_year(w);
			set_s(w, "name", e ? "Early Release" : "Regular Day");
			set_u(w, "sequence", (unsigned long)e + 1);
			set_u(w, "periodCount", elem ? 1 : 7);
			set_s(w, "startTime", elem ? "08:15" : "07:45");
			set_s(w, "endTime", e ? "13:30" : elem ? "14:45" : "14:50");
			emit(w);
		}
}

static void gen_day(struct out *w)
{
	const struct district *d = w->d;
	unsigned long k, id = id_base(d->schools * 200);
	size_t i;

	for (k = 0; k < d->schools; k++) {
		const struct school *s = &d->sc[k];

		for (i = 0; i < s->ndays; i++) {
			int ev = s->dayev[i];

			set_u(w, "dayID", id++);
			set_u(w, "calendarID", d->calendar_base + k);
			set_u(w, "structureID", structure_of(d, k));
			set_u(w, "periodScheduleID", period_schedule_of(d, k, ev == 12));
			set_year(w);
			set_date(w, "date", s->days[i]);
			set_b(w, "instruction", day_events[ev].instruction);
			set_b(w, "attendance", day_events[ev].instruction);
			set_s(w, "dayEvent", day_events[ev].code);
			set_s(w, "comments", day_events[ev].comment);
			emit(w);
		}
	}
}

/* ---- staff ---- */

static void staff_name(const struct district *d, unsigned long j, char *buf, size_t size)
{
	const struct staffer *f = &d->sf[j];
	const char *first = f->female ? first_f[f->first] : first_m[f->first];
	size_t n = 0;

	/* "García, J." with the first letter whole (UTF-8) */
	n = (size_t)snprintf(buf, size, "%s, ", last_names[f->last]);
	if (n + 6 < size) {
		size_t k = 1;

		while (((unsigned char)first[k] & 0xc0) == 0x80)
			k++;
		memcpy(buf + n, first, k);
		buf[n + k] = '.';
		buf[n + k + 1] = '\0';
	}
}

static long staff_birth_year(const struct district *d, unsigned long j)
{
	return d->year - 1 - d->sf[j].age;
}

static void gen_employment(struct out *w)
{
	const struct district *d = w->d;
	unsigned long j, id = id_base(d->staff * 2);

	for (j = 0; j < d->staff; j++) {
		const struct staffer *f = &d->sf[j];
		int k;

		for (k = f->prior ? 0 : 1; k < 2; k++) {
			set_u(w, "employmentID", id++);
			set_u(w, "personID", person_of_staff(d, j));
			set_date(w, "startDate", k ? f->hire : f->prior_start);
			if (!k)
				set_date(w, "endDate", f->prior_end);
			set(w, "staffStateID", "%09lu", 700000000ul + d->students + j);
			emit(w);
		}
	}
}

/* the employment ID of staff j's current employment */
static unsigned long employment_of(const struct district *d, unsigned long j, int prior,
				   const unsigned long *first_ids)
{
	return first_ids[j] + (d->sf[j].prior && !prior ? 1 : 0);
}

static unsigned long *employment_ids(const struct district *d)
{
	unsigned long *ids = xcalloc(d->staff + 1, sizeof *ids), j, id = id_base(d->staff * 2);

	for (j = 0; j < d->staff; j++) {
		ids[j] = id;
		id += d->sf[j].prior ? 2 : 1;
	}
	return ids;
}

static void gen_employment_assignment(struct out *w)
{
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long *emp = employment_ids(d);
	unsigned long j, id = id_base(d->staff * 4), S = d->schools;
	long year_start = days_from_civil(d->year - 1, 7, 1);

	for (j = 0; j < d->staff; j++) {
		const struct staffer *f = &d->sf[j];
		const struct role *ro = &roles[f->role];
		long start;

		if (f->prior) {
			/* the earlier employment's assignment, within it */
			set_u(w, "assignmentID", id++);
			set_u(w, "employmentID", employment_of(d, j, 1, emp));
			set_u(w, "personID", person_of_staff(d, j));
			set_u(w, "schoolID", d->school_base + (f->school + 1 + pick(r, (unsigned)S)) % S);
			set_s(w, "title", ro->title);
			set_s(w, "assignmentCode", ro->code);
			set_date(w, "startDate", f->prior_start);
			set_date(w, "endDate", f->prior_end);
			set_b(w, "teacher", ro->teacher);
			set_dec(w, "fte", 100);
			emit(w);
		}
		start = f->hire;
		if (f->transfer && f->hire < year_start - 365) {
			/* at another school until last June */
			set_u(w, "assignmentID", id++);
			set_u(w, "employmentID", employment_of(d, j, 0, emp));
			set_u(w, "personID", person_of_staff(d, j));
			set_u(w, "schoolID", d->school_base + (f->school + S - 1) % S);
			set_s(w, "title", ro->title);
			set_s(w, "assignmentCode", ro->code);
			set_date(w, "startDate", f->hire);
			set_date(w, "endDate", year_start - 1);
			set_b(w, "teacher", ro->teacher);
			set_dec(w, "fte", 100);
			emit(w);
			start = year_start;
		}
		set_u(w, "assignmentID", id++);
		set_u(w, "employmentID", employment_of(d, j, 0, emp));
		set_u(w, "personID", person_of_staff(d, j));
		set_u(w, "schoolID", d->school_base + f->school);
		if (f->role == R_TCH && secondary(d->sc[f->school].hi))
			set(w, "title", "%s, %s", ro->title,
			    (const char *[]){ "English", "Mathematics", "Science", "Social Studies",
					      "Physical Education", "Fine Arts" }[j % 6]);
		else
			set_s(w, "title", ro->title);
		set_s(w, "assignmentCode", ro->code);
		set_date(w, "startDate", start);
		set_b(w, "teacher", ro->teacher);
		set_dec(w, "fte", f->split ? 50 : 100);
		emit(w);
		if (f->split) {
			set_u(w, "assignmentID", id++);
			set_u(w, "employmentID", employment_of(d, j, 0, emp));
			set_u(w, "personID", person_of_staff(d, j));
			set_u(w, "schoolID", d->school_base + (f->school + 1) % S);
			set(w, "title", "%s (itinerant)", ro->title);
			set_s(w, "assignmentCode", ro->code);
			set_date(w, "startDate", start);
			set_b(w, "teacher", ro->teacher);
			set_dec(w, "fte", 50);
			emit(w);
		}
	}
	free(emp);
}

static void gen_employment_background(struct out *w)
{
	static const char *const institutions[] = {
		"University of Nevada, Reno", "University of Nevada, Las Vegas",
		"Arizona State University", "Universidad de Guadalajara", "Université Laval",
		"Brigham Young University", "California State University, Sacramento",
		"Western Governors University", "Truckee Meadows Community College",
		"University of North Carolina at Chapel Hill", "Boise State University"
	};
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long j, id = id_base(d->staff);

	for (j = 0; j < d->staff; j++) {
		const struct staffer *f = &d->sf[j];
		const struct role *ro = &roles[f->role];
		long years = (d->asof - f->hire) / 365, prior = (long)pick(r, 8);
		const char *deg;

		if (!ro->licensed)
			deg = chance(r, 70) ? "HS" : "AA";
		else if (f->role == R_PRIN || f->role == R_APRN || f->role == R_ADMN)
			deg = chance(r, 25) ? "DOC" : chance(r, 50) ? "SPEC" : "MA";
		else if (f->role == R_PSYC || f->role == R_SLP)
			deg = chance(r, 30) ? "SPEC" : "MA";
		else
			deg = chance(r, 45) ? "BA" : chance(r, 60) ? "MA" : "MA30";
		set_u(w, "backgroundID", id + j);
		set_u(w, "personID", person_of_staff(d, j));
		set_s(w, "highestDegree", deg);
		if (strcmp(deg, "HS"))
			set_s(w, "degreeInstitution", institutions[pick(r, NELEM(institutions))]);
		set_date(w, "degreeDate", days_from_civil((int)staff_birth_year(d, j) + 22 +
			 (int)pick(r, 2 + (ro->licensed ? 4 : 0)), 5, 10 + (int)pick(r, 15)));
		set_dec(w, "yearsInDistrict", years * 100 + (chance(r, 20) ? 50 : 0));
		set_dec(w, "yearsInState", (years + prior / 2) * 100);
		set_dec(w, "yearsTotal", (years + prior) * 100);
		emit(w);
	}
}

static void gen_employment_credential(struct out *w)
{
	static const char *const subjects[] = { "ENG", "MATH", "SCI", "SS", "PE", "ART" };
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long j, id = id_base(d->staff * 2);

	for (j = 0; j < d->staff; j++) {
		const struct staffer *f = &d->sf[j];
		const struct role *ro = &roles[f->role];
		int k, n;

		if (!ro->licensed)
			continue;
		n = f->role == R_TCH && chance(r, 40) ? 2 : 1;
		for (k = 0; k < n; k++) {
			/* licenses renew every five years */
			long issue = f->hire + 365L * 5 * ((d->asof - f->hire) / (365L * 5)) -
				     (long)pick(r, 200);
			const char *area = ro->area;

			if (!area)
				area = secondary(d->sc[f->school].hi) ? subjects[(j + (unsigned long)k) % 6]
								      : "ELEM";
			if (k)
				area = f->role == R_TCH ? "ELAD" : area;
			if (issue < f->hire - 200)
				issue = f->hire - 200;
			set_u(w, "credentialID", id++);
			set_u(w, "personID", person_of_staff(d, j));
			set_s(w, "credentialType", k ? "END" : f->role == R_PRIN || f->role == R_APRN ||
				   f->role == R_ADMN ? "ADM" : chance(r, 4) ? "PROV" : "LIC");
			set(w, "credentialNumber", "%08lu", 3100000ul + j * 7 + (unsigned long)k);
			set_s(w, "area", area);
			set_date(w, "issueDate", issue);
			set_date(w, "expirationDate", issue + 365L * 6);
			set_s(w, "status", chance(r, 2) ? "PEND" : "ACT");
			emit(w);
		}
	}
}

/* ---- courses, sections, rosters ---- */

struct catalog {
	const char *name, *number, *sced, *dept;
	int credits;		/* hundredths */
};

/* core courses of grades 06-12 by subject slot */
static const struct catalog core[7][NCORE] = {
	{ { "Language Arts 6", "LA06", "51036", "ENG", 100 }, { "Math 6", "MA06", "52031", "MATH", 100 },
	  { "Earth Science 6", "SC06", "53231", "SCI", 100 }, { "World Cultures", "SS06", "54036", "SS", 100 },
	  { "Physical Education 6", "PE06", "58031", "PE", 50 } },
	{ { "Language Arts 7", "LA07", "51037", "ENG", 100 }, { "Math 7", "MA07", "52032", "MATH", 100 },
	  { "Life Science 7", "SC07", "53232", "SCI", 100 }, { "State History", "SS07", "54037", "SS", 100 },
	  { "Physical Education 7", "PE07", "58032", "PE", 50 } },
	{ { "Language Arts 8", "LA08", "51038", "ENG", 100 }, { "Pre-Algebra", "MA08", "52038", "MATH", 100 },
	  { "Physical Science 8", "SC08", "53233", "SCI", 100 }, { "U.S. History to 1877", "SS08", "54038", "SS", 100 },
	  { "Health & Wellness 8", "PE08", "58033", "HLTH", 50 } },
	{ { "English 9", "ENG101", "01001", "ENG", 100 }, { "Algebra I", "MTH101", "02052", "MATH", 100 },
	  { "Biology", "SCI101", "03051", "SCI", 100 }, { "World Geography", "SOC101", "04001", "SS", 100 },
	  { "Health", "HLT101", "08051", "HLTH", 50 } },
	{ { "English 10", "ENG201", "01002", "ENG", 100 }, { "Geometry", "MTH201", "02072", "MATH", 100 },
	  { "Chemistry", "SCI201", "03101", "SCI", 100 }, { "World History", "SOC201", "04051", "SS", 100 },
	  { "Physical Education II", "PE201", "08001", "PE", 50 } },
	{ { "English 11: American Literature", "ENG301", "01003", "ENG", 100 },
	  { "Algebra II", "MTH301", "02056", "MATH", 100 }, { "Physics", "SCI301", "03151", "SCI", 100 },
	  { "U.S. History", "SOC301", "04101", "SS", 100 }, { "Weight Training", "PE301", "08009", "PE", 50 } },
	{ { "English 12: British & World Literature", "ENG401", "01004", "ENG", 100 },
	  { "Pre-Calculus", "MTH401", "02110", "MATH", 100 },
	  { "Environmental Science", "SCI401", "03003", "SCI", 100 },
	  { "U.S. Government, Economics", "SOC401", "04151", "SS", 100 },
	  { "Lifetime Fitness", "PE401", "08010", "PE", 50 } },
};

static const struct catalog electives[NELECTIVE] = {
	{ "Art I", "ART100", "05154", "ART", 100 },
	{ "Concert Band", "MUS110", "05101", "MUS", 100 },
	{ "Choir", "MUS120", "05110", "MUS", 100 },
	{ "Spanish I", "WL101", "06101", "WL", 100 },
	{ "Computer Science Principles", "CS150", "10019", "CTE", 100 },
	{ "Culinary Arts I", "CTE210", "16052", "CTE", 100 },
	{ "Journalism / Yearbook", "ENG150", "01104", "ENG", 100 },
	{ "Theatre Arts", "ART130", "05053", "ART", 100 },
	{ "Robotics & Engineering", "CTE230", "21007", "CTE", 100 },
	{ "French I", "WL111", "06201", "WL", 100 },
};

static const struct catalog *course_catalog(const struct course *co, struct catalog *elem)
{
	if (co->grade < 0)
		return &electives[co->slot];
	if (secondary(co->grade))
		return &core[co->grade - 6][co->slot];
	/* a self-contained elementary class */
	elem->name = co->grade == 0 ? "Kindergarten" : NULL;
	elem->number = NULL;
	elem->sced = NULL;
	elem->dept = "GEN";
	elem->credits = 0;
	return elem;
}

static unsigned long course_id(const struct district *d, size_t c)
{
	return id_base(d->ncourses) + c;
}

static unsigned long section_id(const struct district *d, unsigned long k)
{
	return id_base(d->nsections) + k;
}

static void gen_course(struct out *w)
{
	const struct district *d = w->d;
	size_t c;

	for (c = 0; c < d->ncourses; c++) {
		const struct course *co = &d->co[c];
		struct catalog el;
		const struct catalog *ca = course_catalog(co, &el);

		set_u(w, "courseID", course_id(d, c));
		set_u(w, "calendarID", d->calendar_base + co->school);
		set_year(w);
		if (ca->number)
			set_s(w, "number", ca->number);
		else
			set(w, "number", "HR%s", grade_codes[co->grade]);
		if (ca->name)
			set_s(w, "name", ca->name);
		else
			set(w, "name", "Grade %d, Self-Contained", co->grade);
		if (ca->sced)
			set_s(w, "stateCode", ca->sced);
		else
			set(w, "stateCode", "7%04d", 3000 + co->grade);
		set_s(w, "department", ca->dept);
		if (ca->credits)
			set_dec(w, "credits", ca->credits);
		set_s(w, "courseType", co->grade >= 11 && co->slot == 0 && c % 3 == 0 ? "HON" : "REG");
		set_b(w, "homeroom", co->grade >= 0 && !secondary(co->grade));
		set_b(w, "active", 1);
		emit(w);
	}
}

static void gen_course_code(struct out *w)
{
	const struct district *d = w->d;
	unsigned long id = id_base(d->ncourses * 2);
	size_t c;

	for (c = 0; c < d->ncourses; c++) {
		const struct course *co = &d->co[c];
		struct catalog el;
		const struct catalog *ca = course_catalog(co, &el);

		set_u(w, "courseCodeID", id++);
		set_u(w, "courseID", course_id(d, c));
		set_s(w, "codeType", "SCED");
		if (ca->sced)
			set_s(w, "code", ca->sced);
		else
			set(w, "code", "7%04d", 3000 + co->grade);
		set_u(w, "sequence", 1);
		emit(w);
		if (co->grade < 0 || secondary(co->grade)) {
			set_u(w, "courseCodeID", id++);
			set_u(w, "courseID", course_id(d, c));
			set_s(w, "codeType", "STATE");
			set(w, "code", "%s-%s", w->d->state, ca->number);
			set_u(w, "sequence", 2);
			emit(w);
		}
	}
}

static unsigned long section_teacher(const struct district *d, size_t c, unsigned long k)
{
	const struct school *s = &d->sc[d->co[c].school];

	return s->teachers[(d->co[c].sec_first + k) % s->nteachers];
}

static void gen_section(struct out *w)
{
	const struct district *d = w->d;
	struct rng *r = &w->r;
	size_t c;

	for (c = 0; c < d->ncourses; c++) {
		const struct course *co = &d->co[c];
		unsigned long k;

		for (k = 0; k < co->nsec; k++) {
			unsigned long t = section_teacher(d, c, k);
			char name[128];

			staff_name(d, t, name, sizeof name);
			set_u(w, "sectionID", section_id(d, co->sec_first + k));
			set_u(w, "courseID", course_id(d, c));
			set_year(w);
			set_u(w, "sectionNumber", k + 1);
			set_u(w, "teacherPersonID", person_of_staff(d, t));
			set_s(w, "teacherDisplay", name);
			if (co->grade < 0 && co->slot == 1)
				set_s(w, "roomName", "Band Room");
			else if (co->grade >= 6 && co->slot == 4)
				set_s(w, "roomName", chance(r, 50) ? "Gym" : "Gym, Aux.");
			else if (chance(r, 8))
				set(w, "roomName", "Portable %u", 1 + pick(r, 6));
			else
				set(w, "roomName", "Room %u%02u", 1 + pick(r, 2), 1 + pick(r, 30));
			set_u(w, "maxStudents", co->grade >= 0 && !secondary(co->grade) ? CAP_ELEM + 2
											   : CAP_SEC + 4);
			set_s(w, "instructionalSetting", chance(r, 2) ? "VIRT" : "REG");
			emit(w);
		}
	}
}

static void gen_course_section(struct out *w)
{
	const struct district *d = w->d;
	size_t c;

	for (c = 0; c < d->ncourses; c++) {
		const struct course *co = &d->co[c];
		int elem = elementary_only(&d->sc[co->school]);
		unsigned long k;

		for (k = 0; k < co->nsec; k++) {
			unsigned long period = co->grade >= 0 && !secondary(co->grade) ? 1 :
					       1 + (co->sec_first + k + co->slot) % 7;

			set_u(w, "courseSectionID", section_id(d, co->sec_first + k));
			set_u(w, "sectionID", section_id(d, co->sec_first + k));
			set_u(w, "termScheduleID", term_schedule_of(d, co->school));
			set_u(w, "periodScheduleID", period_schedule_of(d, co->school, 0));
			set_year(w);
			set_u(w, "termStart", 1);
			set_u(w, "termEnd", elem ? 3 : 2);
			set_u(w, "periodStart", period);
			set_u(w, "periodEnd", period);
			emit(w);
		}
	}
}

static unsigned long roster_base(const struct district *d)
{
	return id_base(d->students * (NCORE + 1));
}

/* Walk every roster of the district in rosterID order. */
typedef void (*roster_fn)(struct out *w, unsigned long i, unsigned long roster, long c,
			  unsigned long section);

static void each_roster(struct out *w, roster_fn fn)
{
	const struct district *d = w->d;
	unsigned long i, id = roster_base(d);

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		int k;

		if (!active_student(s))
			continue;
		for (k = 0; k < student_ncourses(s); k++) {
			long c = student_course(d, s, k);

			if (c < 0 || !d->co[c].nsec)
				continue;
			fn(w, i, id++, c, student_section(d, i, c));
		}
	}
}

static void roster_row(struct out *w, unsigned long i, unsigned long roster, long c,
		       unsigned long section)
{
	const struct district *d = w->d;
	const struct student *s = &d->st[i];

	(void)c;
	set_u(w, "rosterID", roster);
	set_u(w, "sectionID", section_id(d, section));
	set_u(w, "personID", person_of_student(d, i));
	set_year(w);
	set_date(w, "startDate", s->cur_start);
	if (s->cur_end)
		set_date(w, "endDate", s->cur_end);
	set_s(w, "rosterType", s->grade >= 11 && chance(&w->r, 1) ? "TA" : "REG");
	set_b(w, "repeatCourse", s->grade >= 9 && chance(&w->r, 3));
	emit(w);
}

static void gen_roster(struct out *w)
{
	each_roster(w, roster_row);
}

static void gen_roster_verification_request(struct out *w)
{
	const struct district *d = w->d;
	unsigned long k;

	for (k = 0; k < d->schools; k++) {
		set_u(w, "requestID", id_base(d->schools) + k);
		set_u(w, "calendarID", d->calendar_base + k);
		set_year(w);
		set(w, "name", "%d-%02d Teacher of Record Verification, Spring", d->year - 1,
		    d->year % 100);
		set_date(w, "startDate", days_from_civil(d->year, 3, 2));
		set_date(w, "dueDate", days_from_civil(d->year, 4, 17));
		set_s(w, "status", "OPEN");
		set_u(w, "requestedByPersonID", person_of_staff(d, (unsigned long)d->sc[k].principal));
		emit(w);
	}
}

/* a verification section's status: 0 pending, 1 verified, 2 disputed */
static int verify_status(unsigned long v)
{
	unsigned p = hpick(F_VERIFY, v, 100);

	return p < 25 ? 0 : p < 95 ? 1 : 2;
}

static long verify_date(const struct district *d, unsigned long v)
{
	return days_from_civil(d->year, 3, 2) + (long)hpick(F_VERIFY, v + 99999999ul, 29);
}

static unsigned long verify_id(const struct district *d, unsigned long v)
{
	return id_base(d->nverify) + v - 1;
}

static void gen_roster_verification_section(struct out *w)
{
	const struct district *d = w->d;
	size_t c;

	for (c = 0; c < d->ncourses; c++) {
		const struct course *co = &d->co[c];
		unsigned long k;

		for (k = 0; k < co->nsec; k++) {
			unsigned long v = d->verify_section[co->sec_first + k];
			int st = v ? verify_status(v) : 0;

			if (!v)
				continue;
			set_u(w, "verificationSectionID", verify_id(d, v));
			set_u(w, "requestID", id_base(d->schools) + co->school);
			set_u(w, "sectionID", section_id(d, co->sec_first + k));
			set_year(w);
			set_s(w, "status", st == 0 ? "PEND" : st == 1 ? "VER" : "DISP");
			if (st)
				set_date(w, "verifiedDate", verify_date(d, v));
			if (st == 2)
				set_s(w, "comments", chance(&w->r, 50) ?
				      "Two students on this list moved in January; one student "
				      "\"new to section\" is missing." :
				      "Co-taught with SPED teacher since October,\nresponsibility should be split 50/50.");
			emit(w);
		}
	}
}

static void gen_roster_verification_staff(struct out *w)
{
	const struct district *d = w->d;
	unsigned long id = id_base(d->nverify * 2);
	size_t c;

	for (c = 0; c < d->ncourses; c++) {
		const struct course *co = &d->co[c];
		unsigned long k;

		for (k = 0; k < co->nsec; k++) {
			unsigned long v = d->verify_section[co->sec_first + k];
			unsigned long t = section_teacher(d, c, k);
			long sp = d->sc[co->school].sped_teacher;
			int st, co_taught;

			if (!v)
				continue;
			st = verify_status(v);
			co_taught = sp >= 0 && (unsigned long)sp != t && hchance(F_VERIFY, v + 5555555ul, 60);
			set_u(w, "verificationStaffID", id++);
			set_u(w, "verificationSectionID", verify_id(d, v));
			set_u(w, "personID", person_of_staff(d, t));
			set_s(w, "role", "TOR");
			set_b(w, "verified", st == 1);
			if (st)
				set_date(w, "verifiedDate", verify_date(d, v));
			set_dec(w, "responsibility", co_taught ? 5000 : 10000);
			emit(w);
			if (co_taught) {
				set_u(w, "verificationStaffID", id++);
				set_u(w, "verificationSectionID", verify_id(d, v));
				set_u(w, "personID", person_of_staff(d, (unsigned long)sp));
				set_s(w, "role", "CO");
				set_b(w, "verified", st == 1);
				if (st)
					set_date(w, "verifiedDate", verify_date(d, v));
				set_dec(w, "responsibility", 5000);
				emit(w);
			}
		}
	}
}

static void verification_student_row(struct out *w, unsigned long i, unsigned long roster,
				      long c, unsigned long section)
{
	const struct district *d = w->d;
	unsigned long v = d->verify_section[section];
	int st;

	(void)c;
	if (!v)
		return;
	st = verify_status(v);
	set_u(w, "verificationStudentID", roster_base(d) + w->rows);
	set_u(w, "verificationSectionID", verify_id(d, v));
	set_u(w, "personID", person_of_student(d, i));
	set_u(w, "rosterID", roster);
	set_b(w, "verified", st == 1);
	if (d->st[i].flags & S_MOVED)
		set_dec(w, "instructionPercent", 5000 + (long)pick(&w->r, 1000));
	else
		set_dec(w, "instructionPercent", 10000);
	if (st == 2 && chance(&w->r, 15))
		set_s(w, "disputeReason", d->st[i].flags & S_MOVED ? "LATE" : "NOTENR");
	emit(w);
}

static void gen_roster_verification_student(struct out *w)
{
	each_roster(w, verification_student_row);
}

/* ---- behavior ---- */

struct btype {
	const char *code, *name, *category, *state;
	int weapon, drug, harass, severity;
	unsigned weight;	/* per 1000 events */
};

static const struct btype btypes[] = {
	{ "FGT", "Fighting", "MAJOR", "FGT", 0, 0, 0, 2, 150 },
	{ "DIS", "Disruptive behavior, classroom", "MINOR", "DIS", 0, 0, 0, 1, 240 },
	{ "DEF", "Defiance / insubordination", "MINOR", "DEF", 0, 0, 0, 1, 140 },
	{ "BULY", "Bullying", "MAJOR", "BULY", 0, 0, 1, 2, 60 },
	{ "CYBR", "Cyberbullying", "MAJOR", "CYBR", 0, 0, 1, 2, 20 },
	{ "HARS", "Harassment", "MAJOR", "HARS", 0, 0, 1, 2, 30 },
	{ "SXHR", "Sexual harassment", "STATE", "SXHR", 0, 0, 1, 3, 10 },
	{ "BAT", "Battery on a student", "STATE", "BAT", 0, 0, 0, 3, 30 },
	{ "ASLT", "Assault", "STATE", "ASLT", 0, 0, 0, 3, 20 },
	{ "THRT", "Threat / intimidation", "MAJOR", "THRT", 0, 0, 0, 2, 50 },
	{ "TOB", "Tobacco or vaping", "MAJOR", "TOB", 0, 1, 0, 2, 70 },
	{ "ALC", "Alcohol, possession or use", "STATE", "ALC", 0, 1, 0, 3, 10 },
	{ "DRG", "Controlled substance, possession or use", "STATE", "DRUG", 0, 1, 0, 3, 25 },
	{ "WPN", "Weapon possession (knife, other)", "STATE", "WPNO", 1, 0, 0, 3, 12 },
	{ "FIRE", "Firearm possession", "STATE", "WPNF", 2, 0, 0, 3, 2 },
	{ "VAN", "Vandalism / damage to property", "MAJOR", "VAND", 0, 0, 0, 2, 30 },
	{ "TRS", "Trespassing", "MAJOR", "TRES", 0, 0, 0, 2, 10 },
	{ "THF", "Theft", "MAJOR", "RBRY", 0, 0, 0, 2, 40 },
	{ "GNG", "Gang-related activity", "STATE", "GANG", 0, 0, 0, 3, 8 },
	{ "ARS", "Arson / fire setting", "STATE", "ARS", 0, 0, 0, 3, 3 },
	/* local types the district never mapped to a state code */
	{ "DRES", "Dress code violation", "MINOR", "", 0, 0, 0, 1, 20 },
	{ "ELEC", "Electronic device misuse", "MINOR", "", 0, 0, 0, 1, 15 },
	{ "PDA", "Public display of affection", "MINOR", "", 0, 0, 0, 1, 5 },
};

static const char *const weapons_other[] = { "KNFS", "KNFL", "BLNT", "REPL", "OTHR" };
static const char *const weapons_fire[] = { "HGUN", "RIFL", "SHOT" };
static const char *const drugs[] = { "MAR", "OPI", "FEN", "COC", "MET", "RX", "OTC", "INH", "SYN" };

struct btype_res {
	const char *code, *name, *state;
	int removal;
};

static const struct btype_res rtypes[] = {
	{ "ISS", "In-school suspension", "ISS", 1 },
	{ "OSS", "Out-of-school suspension", "OSS", 1 },
	{ "EXP", "Expulsion", "EXP", 1 },
	{ "EXPM", "Expulsion, modified (alternative placement)", "EXPM", 1 },
	{ "DAEP", "Disciplinary alternative education placement", "DAEP", 1 },
	{ "DET", "Detention, after school", "DET", 0 },
	{ "SAT", "Saturday school", "SAT", 0 },
	{ "CONF", "Student / administrator conference", "CONF", 0 },
	{ "PARC", "Parent contact or conference", "PARC", 0 },
	{ "LOP", "Loss of privileges", "LOP", 0 },
	{ "BUS", "Bus suspension", "BUS", 0 },
	{ "REST", "Restorative circle", "REST", 0 },
	{ "REF", "Referral to law enforcement", "REF", 0 },
	/* never mapped to a state code */
	{ "WARN", "Verbal warning", "", 0 },
	{ "LDET", "Lunch detention", "", 0 },
};
enum { RT_ISS, RT_OSS, RT_EXP, RT_EXPM, RT_DAEP, RT_DET, RT_SAT, RT_CONF, RT_PARC, RT_LOP,
       RT_BUS, RT_REST, RT_REF, RT_WARN, RT_LDET };

static const struct {
	const char *code, *name, *category;
} resptypes[] = {
	{ "CNSL", "Counseling referral", "CNSL" },
	{ "MENT", "Mentoring", "MENT" },
	{ "CICO", "Check-in / check-out", "CHK" },
	{ "PBIS", "PBIS Tier 2 support", "PBIS" },
	{ "RJ", "Restorative conversation", "REST" },
	{ "MED", "Peer mediation", "MED" },
	{ "MH", "Referral to mental health services", "REF" },
	{ "CONF", "Family conference", "CONF" },
};

enum { ROLE_OFFENDER, ROLE_PARTICIPANT, ROLE_VICTIM };

struct brole {
	unsigned long who;	/* student index, or staff index when staff */
	int staff, role, nres, resp;
};

struct bevent {
	int type, nroles;
	const char *weapon, *drug;
	struct brole ro[4];
};

struct binc {
	unsigned long k, school;
	long date;
	int nev;
	struct bevent ev[2];
};

static int pick_btype(uint64_t h)
{
	unsigned p = (unsigned)(h % 1000), acc = 0;
	size_t t;

	for (t = 0; t < NELEM(btypes); t++) {
		acc += btypes[t].weight;
		if (p < acc)
			return (int)t;
	}
	return 1;
}

static void add_role(struct bevent *ev, unsigned long who, int staff, int role, uint64_t h)
{
	struct brole *ro;

	if (ev->nroles >= 4)
		return;
	ro = &ev->ro[ev->nroles++];
	ro->who = who;
	ro->staff = staff;
	ro->role = role;
	ro->nres = role == ROLE_OFFENDER ? 1 + (h % 100 < 20) : role == ROLE_PARTICIPANT ?
		   (h % 100 < 10) : 0;
	ro->resp = role == ROLE_OFFENDER ? (h >> 8) % 100 < 20 : role == ROLE_VICTIM ?
		   (h >> 8) % 100 < 35 : 0;
}

static void incident_shape(const struct district *d, unsigned long k, struct binc *in)
{
	uint64_t h = hx(F_INCIDENT, k);
	unsigned long u = d->students ? h % d->students : 0;
	const struct student *s = NULL;
	const struct school *sc;
	unsigned tries;
	long last;
	int e;

	memset(in, 0, sizeof *in);
	in->k = k;
	/* the offender: an active student, more often an older one */
	for (tries = 0; tries < 64 && d->students; tries++) {
		unsigned long i = (u + tries * 104729ul) % d->students;

		s = &d->st[i];
		if (!active_student(s) || (s->grade < 3 && (h >> (tries % 32)) % 10 < 7))
			continue;
		u = i;
		break;
	}
	s = &d->st[u];
	in->school = s->cur;
	sc = &d->sc[in->school];
	last = s->cur_end && s->cur_end < d->asof ? s->cur_end : d->asof;
	in->date = instr_between(sc, s->cur_start, last, hx(F_INCIDENT, k + 0x100000000ull));
	in->nev = 1 + (hx(F_EVENT, k * 4) % 100 < 15);
	for (e = 0; e < in->nev; e++) {
		struct bevent *ev = &in->ev[e];
		const struct btype *bt;
		uint64_t he = hx(F_EVENT, k * 4 + 1 + (uint64_t)e);
		long v;

		ev->type = pick_btype(he);
		bt = &btypes[ev->type];
		if (bt->weapon == 1)
			ev->weapon = weapons_other[(he >> 20) % NELEM(weapons_other)];
		else if (bt->weapon == 2)
			ev->weapon = weapons_fire[(he >> 20) % NELEM(weapons_fire)];
		if (bt->drug)
			ev->drug = !strcmp(bt->code, "TOB") ? "VAPE" : !strcmp(bt->code, "ALC") ? "ALC"
				   : drugs[(he >> 24) % NELEM(drugs)];
		add_role(ev, u, 0, ROLE_OFFENDER, hx(F_ROLE, k * 16 + (uint64_t)e * 4));
		if (!strcmp(bt->code, "FGT")) {
			v = student_at(d, in->school, in->date, he >> 13, u);
			if (v >= 0)
				add_role(ev, (unsigned long)v, 0, (he >> 40) % 10 < 7 ? ROLE_OFFENDER
							: ROLE_PARTICIPANT, hx(F_ROLE, k * 16 + (uint64_t)e * 4 + 1));
		}
		if (bt->harass || bt->severity == 3 || !strcmp(bt->code, "THRT") ||
		    !strcmp(bt->code, "THF")) {
			if ((!strcmp(bt->code, "ASLT") || !strcmp(bt->code, "THRT")) && (he >> 44) % 4 == 0)
				add_role(ev, sc->teachers[(he >> 16) % sc->nteachers], 1, ROLE_VICTIM,
					 hx(F_ROLE, k * 16 + (uint64_t)e * 4 + 2));
			else if (!bt->drug && !bt->weapon) {
				v = student_at(d, in->school, in->date, he >> 17, u);
				if (v >= 0)
					add_role(ev, (unsigned long)v, 0, ROLE_VICTIM,
						 hx(F_ROLE, k * 16 + (uint64_t)e * 4 + 2));
			}
		}
		if ((he >> 50) % 10 == 0) {
			v = student_at(d, in->school, in->date, he >> 21, u);
			if (v >= 0)
				add_role(ev, (unsigned long)v, 0, ROLE_PARTICIPANT,
					 hx(F_ROLE, k * 16 + (uint64_t)e * 4 + 3));
		}
	}
}

enum blevel { B_INCIDENT, B_EVENT, B_WEAPON, B_DRUG, B_HARASS, B_ROLE, B_RESOLUTION, B_RESPONSE };

struct bids {
	unsigned long event, weapon, drug, harass, role, res, resp;
};

typedef void (*bh_fn)(struct out *w, const struct binc *in, int e, int ro, int x,
		      const struct bids *ids);

static void bids_init(const struct district *d, struct bids *b)
{
	unsigned long n = d->incidents;

	b->event = b->weapon = b->drug = b->harass = id_base(n * 2);
	b->role = b->resp = id_base(n * 8);
	b->res = id_base(n * 16);
}

static unsigned long incident_id(const struct district *d, unsigned long k)
{
	return id_base(d->incidents) + k;
}

/* Walk every behavior record in key order, calling fn at one level. */
static void each_behavior(struct out *w, enum blevel level, bh_fn fn)
{
	const struct district *d = w->d;
	struct bids ids;
	unsigned long k;

	bids_init(d, &ids);
	for (k = 0; k < d->incidents; k++) {
		struct binc in;
		int e, ro, x;

		incident_shape(d, k, &in);
		if (level == B_INCIDENT)
			fn(w, &in, 0, 0, 0, &ids);
		for (e = 0; e < in.nev; e++) {
			const struct bevent *ev = &in.ev[e];
			const struct btype *bt = &btypes[ev->type];

			if (level == B_EVENT)
				fn(w, &in, e, 0, 0, &ids);
			if (bt->weapon) {
				if (level == B_WEAPON)
					fn(w, &in, e, 0, 0, &ids);
				ids.weapon++;
			}
			if (bt->drug) {
				if (level == B_DRUG)
					fn(w, &in, e, 0, 0, &ids);
				ids.drug++;
			}
			if (bt->harass) {
				if (level == B_HARASS)
					fn(w, &in, e, 0, 0, &ids);
				ids.harass++;
			}
			for (ro = 0; ro < ev->nroles; ro++) {
				if (level == B_ROLE)
					fn(w, &in, e, ro, 0, &ids);
				for (x = 0; x < ev->ro[ro].nres; x++) {
					if (level == B_RESOLUTION)
						fn(w, &in, e, ro, x, &ids);
					ids.res++;
				}
				if (ev->ro[ro].resp) {
					if (level == B_RESPONSE)
						fn(w, &in, e, ro, 0, &ids);
					ids.resp++;
				}
				ids.role++;
			}
			ids.event++;
		}
	}
}

static unsigned long role_person(const struct district *d, const struct brole *ro)
{
	return ro->staff ? person_of_staff(d, ro->who) : person_of_student(d, ro->who);
}

static void gen_behavior_type(struct out *w)
{
	size_t t;

	for (t = 0; t < NELEM(btypes); t++) {
		const struct btype *bt = &btypes[t];

		set_u(w, "typeID", 100 + t);
		set_s(w, "code", bt->code);
		set_s(w, "name", bt->name);
		set_s(w, "category", bt->category);
		set_s(w, "stateEventCode", bt->state);
		set_b(w, "weaponRequired", bt->weapon != 0);
		set_b(w, "drugRequired", bt->drug);
		set_b(w, "harassmentRequired", bt->harass);
		set_b(w, "active", 1);
		set_u(w, "sequence", t + 1);
		emit(w);
	}
}

static void gen_behavior_resolution_type(struct out *w)
{
	size_t t;

	for (t = 0; t < NELEM(rtypes); t++) {
		set_u(w, "resolutionTypeID", 100 + t);
		set_s(w, "code", rtypes[t].code);
		set_s(w, "name", rtypes[t].name);
		set_s(w, "stateResolutionCode", rtypes[t].state);
		set_b(w, "removal", rtypes[t].removal);
		set_b(w, "active", 1);
		set_u(w, "sequence", t + 1);
		emit(w);
	}
}

static void gen_behavior_response_type(struct out *w)
{
	size_t t;

	for (t = 0; t < NELEM(resptypes); t++) {
		set_u(w, "responseTypeID", 10 + t);
		set_s(w, "code", resptypes[t].code);
		set_s(w, "name", resptypes[t].name);
		set_s(w, "category", resptypes[t].category);
		set_b(w, "active", t != 5);
		set_u(w, "sequence", t + 1);
		emit(w);
	}
}

static const char *const locations[] = {
	"CLS", "CLS", "CLS", "HALL", "HALL", "CAF", "GYM", "BUS", "BSTOP", "PLAY", "PARK", "REST",
	"LOCK", "LIB", "OFF", "ONL", "OTH"
};


static const char *btype_verb(const struct btype *bt)
{
	switch (bt->code[0]) {
	case 'F': return bt->code[1] == 'G' ? "fighting with another student" : "in possession of a firearm";
	case 'D': return bt->code[1] == 'I' ? "disrupting instruction repeatedly" :
			 bt->code[1] == 'E' ? "refusing staff directions" :
			 bt->code[1] == 'R' && bt->code[2] == 'G' ? "in possession of a controlled substance" :
			 "out of dress code";
	case 'B': return bt->code[1] == 'U' ? "bullying a younger student" : "hitting another student";
	case 'C': return "posting threatening messages about a classmate online";
	case 'H': return "making harassing comments to a classmate";
	case 'S': return "making unwelcome comments of a sexual nature";
	case 'A': return bt->code[1] == 'L' ? "drinking alcohol on campus" :
			 bt->code[1] == 'S' ? "assaulting another person" : "setting a fire in a trash can";
	case 'T': return bt->code[1] == 'O' ? "vaping in the restroom" :
			 bt->code[1] == 'H' ? (bt->code[2] == 'R' ? "threatening to \"get\" another student" :
					       "taking another student's phone") : "on campus without permission";
	case 'W': return "carrying a pocket knife";
	case 'V': return "damaging school property";
	case 'G': return "displaying gang signs";
	case 'E': return "using a phone during a test";
	case 'P': return "engaged in a public display of affection";
	}
	return "misbehaving";
}

static const char *const location_names[] = {
	"classroom", "classroom", "classroom", "hallway", "hallway", "cafeteria", "gym", "bus",
	"bus stop", "playground", "parking lot", "restroom", "locker room", "library",
	"front office", "school chat", "courtyard"
};

static void incident_row(struct out *w, const struct binc *in, int e, int ro, int x,
			 const struct bids *ids)
{
	const struct district *d = w->d;
	struct rng *r = &w->r;
	const struct btype *bt = &btypes[in->ev[0].type];
	unsigned loc = pick(r, NELEM(locations));
	const char *verb = btype_verb(bt);
	char text[VALMAX];
	unsigned n = pick(r, 7);

	(void)e, (void)ro, (void)x, (void)ids;
	if (!strcmp(locations[loc], "BUS") || !strcmp(locations[loc], "BSTOP"))
		n = 4;
	set_u(w, "incidentID", incident_id(d, in->k));
	set_u(w, "calendarID", d->calendar_base + in->school);
	set_date(w, "incidentDate", in->date);
	set_s(w, "location", locations[loc]);
	set_s(w, "context", !strcmp(locations[loc], "BUS") || !strcmp(locations[loc], "BSTOP") ? "BUS" :
	      !strcmp(locations[loc], "ONL") ?
	      "NSCH" : chance(r, 4) ? "SPON" : "SCH");
	set_s(w, "status", d->asof - in->date < 7 ? (chance(r, 30) ? "DF" : "IP") :
	      chance(r, 5) ? "SB" : "CM");
	if (in->nev > 1)
		set(w, "title", "%s; %s", bt->name, btypes[in->ev[1].type].name);
	else
		set(w, "title", "%s, %s", bt->name, location_names[loc]);
	switch (n) {
	case 0:
		text[0] = '\0';
		break;
	case 1:
		snprintf(text, sizeof text, "Student was observed %s in the %s. Staff intervened immediately.",
			 verb, location_names[loc]);
		break;
	case 2:
		snprintf(text, sizeof text, "Per teacher report, student was %s during passing period; "
			 "student stated \"I didn't start it.\"", verb);
		break;
	case 3:
		snprintf(text, sizeof text, "Administrator was called to the %s after student was "
			 "reported %s.\nParent contacted by phone; left voicemail.", location_names[loc], verb);
		break;
	case 4:
		if (!strcmp(locations[loc], "BUS") || !strcmp(locations[loc], "BSTOP"))
			snprintf(text, sizeof text, "Incident reported by a bus driver: student %s, "
				 "refused to sit down, and used profanity.", verb);
		else
			snprintf(text, sizeof text, "Student was %s. Witness statements collected (3), "
				 "see attached.\nSRO notified, no citation issued.", verb);
		break;
	default:
		snprintf(text, sizeof text, "%s. Student admitted to the behavior in conference, "
			 "and apologized to the class.", bt->name);
		break;
	}
	set_s(w, "details", text);
	if (!strcmp(bt->code, "VAN") || !strcmp(bt->code, "ARS"))
		set_dec(w, "damages", 2500 + (long)pick(r, 120000));
	emit(w);
}

static void gen_behavior_incident(struct out *w)
{
	each_behavior(w, B_INCIDENT, incident_row);
}

static void event_row(struct out *w, const struct binc *in, int e, int ro, int x,
		      const struct bids *ids)
{
	const struct district *d = w->d;
	const struct bevent *ev = &in->ev[e];

	(void)ro, (void)x;
	set_u(w, "eventID", ids->event);
	set_u(w, "incidentID", incident_id(d, in->k));
	set_u(w, "calendarID", d->calendar_base + in->school);
	set_s(w, "eventCode", btypes[ev->type].code);
	set_s(w, "stateEventCode", btypes[ev->type].state);
	if (ev->weapon)
		set_s(w, "weaponCode", ev->weapon);
	if (ev->drug)
		set_s(w, "drugCode", ev->drug);
	emit(w);
}

static void gen_behavior_event(struct out *w)
{
	each_behavior(w, B_EVENT, event_row);
}

static void harassment_row(struct out *w, const struct binc *in, int e, int ro, int x,
			   const struct bids *ids)
{
	static const char *const basis[] = { "RACE", "NAT", "SEX", "SXOR", "GEND", "DIS", "REL", "OTH" };
	struct rng *r = &w->r;
	const struct btype *bt = &btypes[in->ev[e].type];

	(void)ro, (void)x;
	set_u(w, "harassmentID", ids->harass);
	set_u(w, "eventID", ids->event);
	set_s(w, "basis", !strcmp(bt->code, "SXHR") ? "SEX" : basis[pick(r, NELEM(basis))]);
	set_b(w, "bullying", !strcmp(bt->code, "BULY") || !strcmp(bt->code, "CYBR"));
	set_b(w, "cyber", !strcmp(bt->code, "CYBR"));
	set_date(w, "reportedDate", in->date + (chance(r, 80) ? 0 : 1 + (long)pick(r, 3)));
	set_b(w, "investigated", w->d->asof - in->date > 10 || chance(r, 50));
	emit(w);
}

static void gen_behavior_harassment(struct out *w)
{
	each_behavior(w, B_HARASS, harassment_row);
}

static void drug_row(struct out *w, const struct binc *in, int e, int ro, int x,
		     const struct bids *ids)
{
	struct rng *r = &w->r;
	const char *drug = in->ev[e].drug;
	int vape = !strcmp(drug, "VAPE");

	(void)ro, (void)x;
	set_u(w, "drugID", ids->drug);
	set_u(w, "eventID", ids->event);
	set_s(w, "drugCode", drug);
	if (vape) {
		set_dec(w, "quantity", 100);
		set_s(w, "unit", "EA");
	} else if (!strcmp(drug, "ALC")) {
		set_dec(w, "quantity", 5000 + (long)pick(r, 30000));
		set_s(w, "unit", "ML");
	} else if (!strcmp(drug, "RX") || !strcmp(drug, "OTC") || !strcmp(drug, "FEN")) {
		set_dec(w, "quantity", 100 * (1 + (long)pick(r, 6)));
		set_s(w, "unit", "EA");
	} else if (chance(r, 85)) {
		set_dec(w, "quantity", 10 + (long)pick(r, 700));
		set_s(w, "unit", "G");
	}
	set_b(w, "confiscated", chance(r, 92));
	set_b(w, "lawEnforcement", !vape && chance(r, 60));
	emit(w);
}

static void gen_behavior_drug(struct out *w)
{
	each_behavior(w, B_DRUG, drug_row);
}

static void weapon_row(struct out *w, const struct binc *in, int e, int ro, int x,
		       const struct bids *ids)
{
	struct rng *r = &w->r;
	const char *code = in->ev[e].weapon;

	(void)ro, (void)x;
	set_u(w, "weaponID", ids->weapon);
	set_u(w, "eventID", ids->event);
	set_s(w, "weaponCode", code);
	set_u(w, "quantity", chance(r, 95) ? 1 : 2);
	set_b(w, "confiscated", 1);
	set_b(w, "lawEnforcement", code[0] == 'H' || code[0] == 'R' || code[0] == 'S' ||
	      chance(r, 40));
	if (!strcmp(code, "KNFS"))
		set_s(w, "description", "Folding pocket knife, blade under 2.5\"");
	else if (!strcmp(code, "KNFL"))
		set_s(w, "description", "Fixed-blade hunting knife, 5\" blade, in backpack");
	else if (!strcmp(code, "REPL"))
		set_s(w, "description", "Airsoft pistol, orange tip removed");
	else if (!strcmp(code, "BLNT"))
		set_s(w, "description", "Brass knuckles");
	else if (chance(r, 50))
		set_s(w, "description", "See incident report; item turned over to SRO, case #");
	emit(w);
}

static void gen_behavior_weapon(struct out *w)
{
	each_behavior(w, B_WEAPON, weapon_row);
}

static void role_row(struct out *w, const struct binc *in, int e, int ro, int x,
		     const struct bids *ids)
{
	static const char *const role_names[] = { "Offender", "Participant", "Victim" };
	const struct brole *br = &in->ev[e].ro[ro];

	(void)x;
	set_u(w, "roleID", ids->role);
	set_u(w, "eventID", ids->event);
	set_u(w, "personID", role_person(w->d, br));
	set_s(w, "role", role_names[br->role]);
	set_s(w, "relationshipToSchool", br->staff ? "STF" : "STU");
	emit(w);
}

static void gen_behavior_role(struct out *w)
{
	each_behavior(w, B_ROLE, role_row);
}

static int pick_resolution(struct rng *r, int severity, int role, int x)
{
	static const uint8_t minor[] = {
		RT_CONF, RT_CONF, RT_CONF, RT_CONF, RT_CONF, RT_PARC, RT_PARC, RT_PARC, RT_PARC,
		RT_PARC, RT_DET, RT_DET, RT_DET, RT_DET, RT_LOP, RT_LOP, RT_LOP, RT_REST, RT_REST,
		RT_WARN, RT_LDET, RT_SAT, RT_DET, RT_CONF, RT_PARC, RT_LOP, RT_DET, RT_CONF, RT_PARC,
		RT_REST
	};
	static const uint8_t major[] = { RT_ISS, RT_ISS, RT_OSS, RT_OSS, RT_OSS, RT_DET, RT_SAT,
					 RT_PARC, RT_REST, RT_ISS };
	static const uint8_t state[] = { RT_OSS, RT_OSS, RT_OSS, RT_EXP, RT_EXPM, RT_DAEP, RT_REF,
					 RT_OSS };

	if (x > 0)
		return chance(r, 50) ? RT_PARC : RT_REST;
	if (role == ROLE_PARTICIPANT)
		return chance(r, 50) ? RT_CONF : RT_PARC;
	if (severity == 1)
		return minor[pick(r, NELEM(minor))];
	if (severity == 2)
		return major[pick(r, NELEM(major))];
	return state[pick(r, NELEM(state))];
}

static void resolution_row(struct out *w, const struct binc *in, int e, int ro, int x,
			   const struct bids *ids)
{
	const struct district *d = w->d;
	struct rng *r = &w->r;
	const struct brole *br = &in->ev[e].ro[ro];
	const struct school *sc = &d->sc[in->school];
	int t = pick_resolution(r, btypes[in->ev[e].type].severity, br->role, x);
	long start = instr_after(sc, in->date, chance(r, 60) ? 0 : 1), days = 0;

	switch (t) {
	case RT_ISS: days = 1 + (long)pick(r, 3); break;
	case RT_OSS: days = btypes[in->ev[e].type].severity == 3 ? 3 + (long)pick(r, 8)
								  : 1 + (long)pick(r, 4); break;
	case RT_EXP: case RT_EXPM: days = 45 + (long)pick(r, 45); break;
	case RT_DAEP: days = 20 + (long)pick(r, 25); break;
	case RT_BUS: days = 3 + (long)pick(r, 8); break;
	}
	set_u(w, "resolutionID", ids->res);
	set_u(w, "roleID", ids->role);
	set_u(w, "personID", role_person(d, br));
	set_s(w, "resolutionCode", rtypes[t].code);
	set_s(w, "stateResolutionCode", rtypes[t].state);
	set_date(w, "startDate", start);
	if (days) {
		long end = instr_after(sc, start, days - 1);

		/* past the calendar's last day: counted in calendar days */
		if (instr_index_before(sc, start) + days > (long)sc->ninstr)
			end = start + days * 7 / 5;
		set_date(w, "endDate", end);
		set_dec(w, "schoolDaysDuration", days * 100);
	} else if (t == RT_DET || t == RT_SAT) {
		set_date(w, "endDate", start);
		set_dec(w, "schoolDaysDuration", 0);
	} else if (t == RT_ISS) {
		set_dec(w, "schoolDaysDuration", 50);
	}
	emit(w);
}

static void gen_behavior_resolution(struct out *w)
{
	each_behavior(w, B_RESOLUTION, resolution_row);
}

static void response_row(struct out *w, const struct binc *in, int e, int ro, int x,
			 const struct bids *ids)
{
	static const char *const comments[] = {
		"", "", "Met with counselor twice; student \"doing better\" per teacher.",
		"Referred to school-based mental health provider.\nFollow-up scheduled.",
		"Check-in/check-out with Ms. Peña, daily", "Family declined services, for now."
	};
	struct rng *r = &w->r;
	const struct brole *br = &in->ev[e].ro[ro];
	size_t t = br->role == ROLE_VICTIM ? (chance(r, 70) ? 0 : 6) : pick(r, NELEM(resptypes));
	long date = in->date + 1 + (long)pick(r, 10);

	(void)x;
	if (date > w->d->asof)
		date = w->d->asof;
	set_u(w, "responseID", ids->resp);
	set_u(w, "roleID", ids->role);
	set_u(w, "personID", role_person(w->d, br));
	set_u(w, "responseTypeID", 10 + t);
	set_date(w, "responseDate", date);
	set_b(w, "completed", w->d->asof - date > 30 || chance(r, 40));
	set_s(w, "comments", comments[pick(r, NELEM(comments))]);
	emit(w);
}

static void gen_behavior_response(struct out *w)
{
	each_behavior(w, B_RESPONSE, response_row);
}

/* ---- English learners, dual language ---- */

static long school_year_start(const struct district *d, int years_back)
{
	return days_from_civil(d->year - 1 - years_back, 8, 15);
}

static void gen_lep(struct out *w)
{
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i, id = id_base(d->students);

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		long ident;

		if (s->lep == LEP_NONE)
			continue;
		ident = school_year_start(d, (int)pick(r, (unsigned)s->grade + 1)) + (long)pick(r, 40);
		if (ident < s->birth + 365 * 5)
			ident = s->start;
		set_u(w, "lepID", id++);
		set_u(w, "personID", person_of_student(d, i));
		switch (s->lep) {
		case LEP_EL:
			set_s(w, "programStatus", "EL");
			set_date(w, "identifiedDate", ident);
			set_date(w, "expectedExitDate", days_from_civil(year_of(ident) + 5, 6, 1));
			break;
		case LEP_EXITED: {
			int ey = d->year - 1 - (int)pick(r, 3);

			set_s(w, "programStatus", "ExitedEL");
			set_date(w, "identifiedDate", ident - 365L * (2 + (long)pick(r, 3)));
			set_date(w, "exitDate", days_from_civil(ey, 6, 1 + (int)pick(r, 10)));
			set_date(w, "firstYearMonitoring", days_from_civil(ey, 8, 15));
			if (days_from_civil(ey + 1, 8, 15) <= d->asof)
				set_date(w, "secondYearMonitoring", days_from_civil(ey + 1, 8, 15));
			break;
		}
		case LEP_PENDING:
			set_s(w, "programStatus", "Pending");
			set_date(w, "identifiedDate", d->asof - (long)pick(r, 25));
			break;
		default:
			set_s(w, "programStatus", "NotEL");
			set_date(w, "identifiedDate", s->start + (long)pick(r, 30));
			break;
		}
		emit(w);
	}
}

static const struct {
	const char *code, *name, *cat, *type;
} lep_acc[] = {
	{ "ET", "Extended time", "ALL", "ACC" },
	{ "GLOS", "Word-to-word bilingual glossary", "STATE", "DS" },
	{ "RA", "Read aloud in English (not ELA)", "STATE", "DS" },
	{ "SMG", "Small group, separate setting", "ALL", "DS" },
	{ "TDIR", "Translated test directions", "STATE", "DS" },
	{ "SCR", "Scribe, speaking test", "ELP", "ACC" },
	{ "BRK", "Frequent breaks", "CLASS", "DS" },
	{ "SPAN", "Stacked Spanish translation (math)", "STATE", "DS" },
};

static void gen_lep_accommodation_type(struct out *w)
{
	size_t t;

	for (t = 0; t < NELEM(lep_acc); t++) {
		set_u(w, "accommodationTypeID", 10 + t);
		set_s(w, "code", lep_acc[t].code);
		set_s(w, "name", lep_acc[t].name);
		set_s(w, "testCategory", lep_acc[t].cat);
		set_s(w, "supportType", lep_acc[t].type);
		set_b(w, "active", 1);
		emit(w);
	}
}

/* lepID of each student, or 0 */
static unsigned long *lep_ids(const struct district *d)
{
	unsigned long *ids = xcalloc(d->students + 1, sizeof *ids), i, id = id_base(d->students);

	for (i = 0; i < d->students; i++)
		if (d->st[i].lep != LEP_NONE)
			ids[i] = id++;
	return ids;
}

static void gen_lep_accommodation(struct out *w)
{
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long *lep = lep_ids(d), i, id = id_base(d->students);

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		int n, k;

		if (s->lep != LEP_EL || !active_student(s) || !chance(r, 40))
			continue;
		n = 1 + chance(r, 40);
		for (k = 0; k < n; k++) {
			set_u(w, "accommodationID", id++);
			set_u(w, "lepID", lep[i]);
			set_u(w, "personID", person_of_student(d, i));
			set_u(w, "accommodationTypeID", 10 + (k ? 3 + pick(r, 5) : pick(r, 3)));
			set_date(w, "startDate", s->cur_start + (long)pick(r, 30));
			if (s->cur_end)
				set_date(w, "endDate", s->cur_end);
			if (chance(r, 15))
				set_s(w, "comments", "Per ELD plan, reviewed with family, \"as needed\"");
			emit(w);
		}
	}
	free(lep);
}

static const struct {
	const char *code, *name, *state;
} lep_svc[] = {
	{ "ESL", "English as a Second Language, pull-out", "PULL" },
	{ "ESLP", "ESL push-in support", "PUSH" },
	{ "SEI", "Sheltered English immersion", "SEI" },
	{ "NEWC", "Newcomer program", "NEW" },
	{ "DL", "Dual language program", "DLI" },
	{ "CONT", "Content-based ESL", "CONT" },
};

static void gen_lep_service_type(struct out *w)
{
	size_t t;

	for (t = 0; t < NELEM(lep_svc); t++) {
		set_u(w, "serviceTypeID", 10 + t);
		set_s(w, "code", lep_svc[t].code);
		set_s(w, "name", lep_svc[t].name);
		set_s(w, "stateCode", lep_svc[t].state);
		set_b(w, "active", 1);
		emit(w);
	}
}

static void gen_lep_service(struct out *w)
{
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long *lep = lep_ids(d), i, id = id_base(d->students);

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		unsigned t;

		if (s->lep != LEP_EL || !active_student(s) || chance(r, 8))
			continue;
		t = s->flags & S_DLI ? 4 : secondary(s->grade) ? (chance(r, 15) ? 3 : 5)
			: pick(r, 3);
		set_u(w, "lepServiceID", id++);
		set_u(w, "lepID", lep[i]);
		set_u(w, "personID", person_of_student(d, i));
		set_u(w, "serviceTypeID", 10 + t);
		set_date(w, "startDate", s->cur_start);
		if (s->cur_end)
			set_date(w, "endDate", s->cur_end);
		set_u(w, "minutesPerWeek", 30ul * (4 + pick(r, 7)));
		emit(w);
	}
	free(lep);
}

static void gen_dual_language(struct out *w)
{
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i, id = id_base(d->students);

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];

		if (!(s->flags & S_DLI) || !active_student(s))
			continue;
		set_u(w, "dliID", id++);
		set_u(w, "personID", person_of_student(d, i));
		set_u(w, "schoolID", d->school_base + s->school);
		set_s(w, "programModel", s->lep == LEP_EL ? "TWOWAY" : chance(r, 80) ? "TWOWAY" : "ONEWAY");
		set_s(w, "partnerLanguage", chance(r, 85) ? "spa" : chance(r, 50) ? "zho" : "vie");
		set_s(w, "allocation", s->grade <= 2 ? "9010" : "5050");
		set_date(w, "startDate", school_year_start(d, s->grade) + 10);
		if (s->flags & S_MOVED)
			set_date(w, "endDate", s->first_end);
		set_b(w, "biliteracySeal", 0);
		emit(w);
	}
}

/* ---- tests, graduation, transcripts, GPA, career ---- */

static const struct {
	const char *name, *code, *state, *type, *subject;
	int min, max;
} tests[] = {
	{ "Smarter Balanced ELA/Literacy", "SBAC-ELA", "SBACELA", "STATE", "ELA", 2114, 2795 },
	{ "Smarter Balanced Mathematics", "SBAC-MATH", "SBACMATH", "STATE", "MATH", 2189, 2862 },
	{ "State Science Assessment", "SCI", "NSCI", "STATE", "SCI", 200, 500 },
	{ "WIDA ACCESS for ELLs, Overall", "ACCESS", "WIDA", "ELP", "ELP", 100, 600 },
	{ "ACT, Composite", "ACT-C", "ACT", "NATL", "COMP", 1, 36 },
	{ "PSAT/NMSQT, Total", "PSAT", "PSAT", "NATL", "COMP", 320, 1520 },
	{ "MAP Growth Reading", "MAP-R", "MAPR", "DIST", "ELA", 100, 300 },
	{ "MAP Growth Math", "MAP-M", "MAPM", "DIST", "MATH", 100, 300 },
	{ "SAT, Total", "SAT", "SAT", "NATL", "COMP", 400, 1600 },
	{ "AP Calculus AB", "AP-CALCAB", "AP", "NATL", "MATH", 1, 5 },
};
enum { T_ELA, T_MATH, T_SCI, T_WIDA, T_ACT, T_PSAT, T_MAPR, T_MAPM, T_SAT, T_AP };

static void gen_test(struct out *w)
{
	size_t t;

	for (t = 0; t < NELEM(tests); t++) {
		set_u(w, "testID", 100 + t);
		set_s(w, "name", tests[t].name);
		set_s(w, "code", tests[t].code);
		set_s(w, "stateCode", tests[t].state);
		set_s(w, "testType", tests[t].type);
		set_s(w, "subject", tests[t].subject);
		set_dec(w, "scoreMin", tests[t].min * 100L);
		set_dec(w, "scoreMax", tests[t].max * 100L);
		set_b(w, "active", t != T_SAT);
		emit(w);
	}
}

static void score_row(struct out *w, unsigned long i, int t, long date)
{
	const struct district *d = w->d;
	struct rng *r = &w->r;
	int lo = tests[t].min, hi = tests[t].max;
	int v = lo + (int)((pick(r, 1000) + pick(r, 1000) + pick(r, 1000)) * (unsigned)(hi - lo) / 3000);

	set_u(w, "scoreID", id_base(d->students * 4) + w->rows);
	set_u(w, "personID", person_of_student(d, i));
	set_u(w, "testID", 100 + (unsigned long)t);
	set_date(w, "date", date);
	switch (t) {
	case T_ELA: case T_MATH: case T_SCI:
		set_u(w, "scaleScore", (unsigned long)v);
		set_s(w, "result", (const char *[]){ "1", "2", "3", "4" }[(v - lo) * 4 / (hi - lo + 1)]);
		break;
	case T_WIDA:
		set_u(w, "scaleScore", (unsigned long)v);
		set_s(w, "result", (const char *[]){ "1", "2", "3", "4", "5", "6" }[(v - lo) * 6 / (hi - lo + 1)]);
		break;
	case T_ACT: case T_AP:
		set_u(w, "rawScore", (unsigned long)v);
		set_u(w, "scaleScore", (unsigned long)v);
		set_u(w, "percentile", 1 + (unsigned long)(v - lo) * 98 / (unsigned long)(hi - lo));
		if (t == T_AP)
			set_s(w, "result", v >= 3 ? "P" : "NP");
		break;
	default:
		set_u(w, "scaleScore", (unsigned long)v);
		set_u(w, "percentile", 1 + (unsigned long)(v - lo) * 98 / (unsigned long)(hi - lo));
		break;
	}
	emit(w);
}

static void gen_test_score(struct out *w)
{
	const struct district *d = w->d;
	long spring = days_from_civil(d->year - 1, 4, 14), fall = days_from_civil(d->year - 1, 9, 15);
	unsigned long i;

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		long day = (long)hpick(F_SPRING, i, 21);

		if (!active_student(s))
			continue;
		/* last spring's state tests, grades 3-8 then */
		if (s->grade >= 4 && s->grade <= 9) {
			score_row(w, i, T_ELA, spring + day);
			score_row(w, i, T_MATH, spring + day + 1);
		}
		if (s->grade == 6 || s->grade == 9)
			score_row(w, i, T_SCI, spring + day + 7);
		if (s->grade >= 1 && s->grade <= 3) {
			score_row(w, i, T_MAPR, fall + day);
			score_row(w, i, T_MAPM, fall + day + 2);
		}
		if (s->grade == 11)
			score_row(w, i, T_PSAT, days_from_civil(d->year - 1, 10, 15));
		if (s->grade == 12) {
			score_row(w, i, T_ACT, days_from_civil(d->year - 1, 4, 8) + (day % 3) * 7);
			if (hchance(F_SPRING, i + 1234567, 120))
				score_row(w, i, T_AP, days_from_civil(d->year - 1, 5, 6));
		}
		if (s->lep == LEP_EL)
			score_row(w, i, T_WIDA, days_from_civil(d->year, 2, 2) + day);
	}
}

static void gen_graduation(struct out *w)
{
	static const char *const plans[] = { "4YR", "4YR", "2YR", "2YR", "VOC", "MIL", "EMP", "UND", "OTH" };
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i;

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];

		if (s->grade < 9 || !active_student(s))
			continue;
		set_u(w, "personID", person_of_student(d, i));
		if (s->flags & S_EARLYGRAD) {
			set_date(w, "diplomaDate", s->cur_end);
			set_s(w, "diplomaType", chance(r, 20) ? "ADV" : "STD");
			set_s(w, "diplomaPeriod", "Winter");
			set_s(w, "postGradPlans", plans[pick(r, NELEM(plans))]);
		} else if (s->grade == 12 && chance(r, 40)) {
			set_s(w, "postGradPlans", plans[pick(r, NELEM(plans))]);
		}
		set_date(w, "grade9Date", first_day(&d->sc[s->cur]) - 365L * (s->grade - 9));
		set_u(w, "cohortEndYear", (unsigned long)(d->year + 12 - s->grade));
		emit(w);
	}
}

static const char *const letter[] = { "A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "F" };
static const int letter_points[] = { 400, 370, 330, 300, 270, 230, 200, 170, 130, 100, 0 };

/* The state-reported core courses (ELA, math, science, social studies) of
 * the high-school years completed, one yearly record each. */
static void gen_transcript(struct out *w)
{
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i;

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		int g, k;
		int transfer = hchance(F_MOVED, i + 424242, 60);

		if (s->grade < 10 || !active_student(s))
			continue;
		for (g = 9; g < s->grade; g++) {
			for (k = 0; k < 4; k++) {
				const struct catalog *ca = &core[g - 6][k];
				unsigned q = pick(r, 100);
				int li = q < 30 ? 0 : q < 45 ? 1 : q < 58 ? 2 : q < 70 ? 3 : q < 78 ? 4 :
					 q < 85 ? 5 : q < 91 ? 6 : q < 94 ? 7 : q < 96 ? 8 : q < 98 ? 9 : 10;
				int honors = k == 0 && li <= 1 && g >= 10;

				set_u(w, "transcriptID", id_base(d->students * 12) + w->rows);
				set_u(w, "personID", person_of_student(d, i));
				set_u(w, "endYear", (unsigned long)(d->year - (s->grade - g)));
				if (transfer && g == 9) {
					set_s(w, "schoolNumber", "9999");
					set_s(w, "schoolName", "Out-of-state school, transcript on file");
				} else {
					set(w, "schoolNumber", "%04lu", (d->seed % 50) * 10 + s->cur + 1);
					set(w, "schoolName", "%s %s",
					    school_names[(s->cur / NELEM(school_kinds)) % NELEM(school_names)],
					    school_kinds[s->cur % NELEM(school_kinds)]);
				}
				set_s(w, "grade", grade_codes[g]);
				set_s(w, "courseNumber", ca->number);
				set_s(w, "courseName", ca->name);
				set_s(w, "stateCode", ca->sced);
				set_s(w, "term", "YR");
				set_s(w, "courseType", honors ? "HON" : "REG");
				set_s(w, "score", letter[li]);
				set_dec(w, "gpaValue", letter_points[li] + (honors ? 100 : 0));
				set_dec(w, "creditsAttempted", ca->credits);
				set_dec(w, "creditsEarned", li == 10 ? 0 : ca->credits);
				emit(w);
			}
		}
	}
}

static void gen_school_year_gpa(struct out *w)
{
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i;

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		long g;
		unsigned long size;

		if (s->grade < 9 || !active_student(s))
			continue;
		g = 150 + (long)pick(r, 130) + (long)pick(r, 130);
		if (g > 400)
			g = 400;
		size = d->sc[s->cur].grade_count[s->grade];
		set_u(w, "gpaID", id_base(d->students) + w->rows);
		set_u(w, "personID", person_of_student(d, i));
		set_u(w, "calendarID", d->calendar_base + s->cur);
		set_year(w);
		set_dec(w, "gpaUnweighted", g);
		set_dec(w, "gpaWeighted", g + (g > 330 && s->grade >= 10 ? 25 + (long)pick(r, 40) : 0));
		set_dec(w, "creditsAttempted", 275);
		set_dec(w, "creditsEarned", g < 170 ? 200 + 25 * (long)pick(r, 3) : 275);
		set_u(w, "classRank", size ? 1 + (unsigned long)((400 - g) * (long)size / 251) % size : 1);
		set_u(w, "classSize", size);
		emit(w);
	}
}

static void gen_cte(struct out *w)
{
	static const struct {
		const char *cluster, *program;
	} prog[] = {
		{ "AG", "Agricultural Mechanics" }, { "HS", "Health Science, CNA pathway" },
		{ "IT", "Computer Science & Cybersecurity" }, { "MN", "Welding Technology" },
		{ "HT", "Culinary Arts" }, { "ST", "Engineering Design" }, { "BM", "Business Management" },
		{ "AR", "Digital Media, \"Graphic Design\"" }, { "LW", "Law Enforcement Services" },
		{ "ED", "Teaching & Training" }, { "TD", "Automotive Technology" },
	};
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i;

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		unsigned p;
		int years;

		if (s->grade < 9 || !active_student(s) || !hchance(F_CTE, i, 250))
			continue;
		p = hpick(F_CTE, i + 1, NELEM(prog));
		years = 1 + (int)pick(r, (unsigned)s->grade - 8);
		set_u(w, "cteID", id_base(d->students) + w->rows);
		set_u(w, "personID", person_of_student(d, i));
		set_u(w, "schoolID", d->school_base + s->cur);
		set_s(w, "clusterCode", prog[p].cluster);
		set_s(w, "programName", prog[p].program);
		set_date(w, "startDate", school_year_start(d, years - 1) + 5);
		set_b(w, "concentrator", years >= 2);
		set_b(w, "completer", years >= 3 && s->grade == 12 && chance(r, 60));
		set_b(w, "credentialEarned", years >= 3 && chance(r, 30));
		set_b(w, "workBasedLearning", s->grade >= 11 && chance(r, 25));
		emit(w);
	}
}

static void gen_career_readiness(struct out *w)
{
	static const char *const ind[] = { "WBL", "IRC", "DUAL", "AP", "ACT", "ASVAB", "NCRC", "SEAL", "CTE" };
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i;

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		int n, k;

		if (s->grade < 11 || !active_student(s) || !chance(r, 35))
			continue;
		n = 1 + chance(r, 30);
		for (k = 0; k < n; k++) {
			const char *x = ind[pick(r, NELEM(ind))];

			set_u(w, "readinessID", id_base(d->students) + w->rows);
			set_u(w, "personID", person_of_student(d, i));
			set_s(w, "indicator", x);
			set_date(w, "earnedDate", d->asof - 30 - (long)pick(r, 500));
			if (!strcmp(x, "ACT"))
				set_u(w, "score", 21 + pick(r, 14));
			else if (!strcmp(x, "ASVAB"))
				set_u(w, "score", 31 + pick(r, 60));
			else if (!strcmp(x, "NCRC"))
				set_dec(w, "score", 300 + 100 * (long)pick(r, 3));
			set_b(w, "verified", chance(r, 80));
			if (!strcmp(x, "WBL"))
				set_s(w, "comments", "Internship at Renown Health, 120 hours; supervisor: \"excellent\"");
			emit(w);
		}
	}
}

/* ---- special education, 504, teams ---- */

static const char *const disabilities[] = {
	"SLD", "SLD", "SLD", "SLD", "SLI", "SLI", "SLI", "OHI", "OHI", "AUT", "AUT", "DD", "ED",
	"ID", "MD", "HI", "OI", "VI", "TBI", "DB"
};

struct plans {
	int prior;		/* a locked plan of last year */
	int locked;		/* the current plan is locked */
	long start;		/* the current plan's start */
	const char *disability;
};

static void plans_of(const struct district *d, unsigned long i, struct plans *p)
{
	uint64_t h = hx(F_PLAN, i);

	p->start = d->asof - (long)(h % 340) - 5;
	p->prior = (h >> 16) % 100 < 60 && d->st[i].grade > 0;
	p->locked = (h >> 24) % 100 >= 5;
	p->disability = disabilities[(h >> 32) % NELEM(disabilities)];
}

static void gen_plan(struct out *w)
{
	static const char *const lre[] = { "RC80", "RC80", "RC80", "RC80", "RC4079", "RC4079",
					   "RC40", "SEP", "RES", "HOME" };
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i, id = id_base(d->students * 2);

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		struct plans p;
		const char *setting;
		int k;

		if (!(s->flags & S_SPED))
			continue;
		plans_of(d, i, &p);
		setting = lre[pick(r, NELEM(lre))];
		for (k = p.prior ? 0 : 1; k < 2; k++) {
			long start = k ? p.start : p.start - 365;
			int locked = k ? p.locked : 1;

			set_u(w, "planID", id++);
			set_u(w, "personID", person_of_student(d, i));
			set_s(w, "planType", !k || !chance(r, 10) ? "IEP" : "IEPA");
			set_date(w, "startDate", start);
			set_date(w, "endDate", k ? start + 364 : p.start - 1);
			set_date(w, "meetingDate", start - (long)pick(r, 10));
			set_s(w, "primaryDisability", p.disability);
			set_s(w, "lreCode", setting);
			set_b(w, "specialTransport", !strcmp(setting, "SEP") || chance(r, 4));
			set_b(w, "locked", locked);
			if (locked)
				set_date(w, "lockedDate", start - (long)pick(r, 3));
			emit(w);
		}
	}
}

/* the current plan's ID of each student in special education, or 0; the
 * prior plan's is one less */
static unsigned long *plan_ids(const struct district *d)
{
	unsigned long *ids = xcalloc(d->students + 1, sizeof *ids), i, id = id_base(d->students * 2);

	for (i = 0; i < d->students; i++) {
		struct plans p;

		if (!(d->st[i].flags & S_SPED))
			continue;
		plans_of(d, i, &p);
		id += p.prior ? 1 : 0;
		ids[i] = id++;
	}
	return ids;
}

static void gen_plan_progress(struct out *w)
{
	static const char *const codes[] = { "SP", "SP", "SP", "IP", "IP", "NP", "MET", "NA" };
	static const char *const comments[] = {
		"", "Reading fluency up from 62 to 78 wcpm; on track to meet goal.",
		"Inconsistent progress, absences in January.\nTeam to review at next meeting.",
		"Goal met; new goal to be written at annual review.",
		"Student uses \"first, then\" visual schedule independently, 4/5 trials.",
	};
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long *plan = plan_ids(d), i, id = id_base(d->students * 8);
	const long when[2] = { days_from_civil(d->year - 1, 11, 20), days_from_civil(d->year, 2, 20) };

	for (i = 0; i < d->students; i++) {
		struct plans p;
		int k, g, goals;

		if (!(d->st[i].flags & S_SPED) || !active_student(&d->st[i]))
			continue;
		plans_of(d, i, &p);
		goals = 1 + (int)hpick(F_PLAN, i + 777, 2);
		for (k = 0; k < 2; k++) {
			unsigned long planid;

			if (when[k] >= p.start && p.locked)
				planid = plan[i];
			else if (when[k] < p.start && p.prior)
				planid = plan[i] - 1;
			else
				continue;
			for (g = 1; g <= goals; g++) {
				set_u(w, "progressReportID", id++);
				set_u(w, "planID", planid);
				set_u(w, "personID", person_of_student(d, i));
				set_date(w, "reportDate", when[k] + (long)pick(r, 5));
				set_u(w, "goalNumber", (unsigned long)g);
				set_s(w, "progressCode", codes[pick(r, NELEM(codes))]);
				set_s(w, "comments", comments[pick(r, NELEM(comments))]);
				emit(w);
			}
		}
	}
	free(plan);
}

static void gen_evaluation(struct out *w)
{
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i;

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		struct plans p;
		int sped = (s->flags & S_SPED) != 0;
		long consent, eval;

		if (sped) {
			plans_of(d, i, &p);
			if (!chance(r, 33))
				continue;
		} else if (!active_student(s) || !chance(r, 1)) {
			continue;
		} else {
			p.start = d->asof - (long)pick(r, 60);
			p.disability = disabilities[pick(r, NELEM(disabilities))];
			p.locked = 0;
		}
		consent = p.start - 60 - (long)pick(r, 20);
		eval = consent + 20 + (long)pick(r, 30);
		set_u(w, "evaluationID", id_base(d->students) + w->rows);
		set_u(w, "personID", person_of_student(d, i));
		set_s(w, "evaluationType", sped ? (chance(r, 5) ? "IEE" : "REEV") : "INIT");
		set_date(w, "consentDate", consent);
		if (eval <= d->asof) {
			set_date(w, "evaluationDate", eval);
			if (sped || chance(r, 60)) {
				set_date(w, "eligibilityDate", eval + 5);
				set_s(w, "eligible", sped || chance(r, 65) ? "Y" : "N");
				set_s(w, "primaryDisability", p.disability);
				set_b(w, "locked", 1);
			} else {
				set_s(w, "eligible", "P");
				set_b(w, "locked", 0);
			}
		} else {
			set_s(w, "eligible", "P");
			set_b(w, "locked", 0);
		}
		emit(w);
	}
}

static void gen_form(struct out *w)
{
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i;

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		struct plans p;

		if (!(s->flags & S_SPED))
			continue;
		plans_of(d, i, &p);
		if (chance(r, 50)) {
			set_u(w, "formID", id_base(d->students * 4) + w->rows);
			set_u(w, "personID", person_of_student(d, i));
			set_s(w, "formType", "MTGNOT");
			set_date(w, "formDate", p.start - 20);
			set_date(w, "signedDate", p.start - 14 - (long)pick(r, 5));
			set_b(w, "locked", 1);
			emit(w);
		}
		set_u(w, "formID", id_base(d->students * 4) + w->rows);
		set_u(w, "personID", person_of_student(d, i));
		set_s(w, "formType", "PWN");
		set_date(w, "formDate", p.start);
		if (p.locked)
			set_date(w, "signedDate", p.start + (long)pick(r, 4));
		set_b(w, "locked", p.locked);
		if (chance(r, 10))
			set_s(w, "comments", "Parent requested copy in Spanish; sent home 2 copies, \"translated\".");
		emit(w);
		if (s->grade >= 9 && chance(r, 40)) {
			set_u(w, "formID", id_base(d->students * 4) + w->rows);
			set_u(w, "personID", person_of_student(d, i));
			set_s(w, "formType", "TRANS");
			set_date(w, "formDate", p.start);
			set_b(w, "locked", p.locked);
			emit(w);
		}
	}
}

static void gen_section504(struct out *w)
{
	static const char *const imp[] = { "LEARN", "READ", "CONC", "CONC", "THINK", "BRTH", "WALK",
					   "SEE", "HEAR", "EAT", "SLEEP", "OTH" };
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i;

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		long elig;

		if (!(s->flags & S_504))
			continue;
		elig = d->asof - 30 - (long)pick(r, 700);
		if (elig < s->birth + 365 * 5)
			elig = s->start;
		set_u(w, "section504ID", id_base(d->students) + w->rows);
		set_u(w, "personID", person_of_student(d, i));
		set_date(w, "startDate", elig + 7);
		if (!active_student(s))
			set_date(w, "endDate", s->start);
		set_date(w, "eligibilityDate", elig);
		set_s(w, "impairment", imp[pick(r, NELEM(imp))]);
		set_date(w, "reviewDate", elig + 365 * (1 + (d->asof - elig) / 365));
		set_b(w, "planOnFile", chance(r, 96));
		emit(w);
	}
}

static void gen_team_member(struct out *w)
{
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i;

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		const struct school *sc = &d->sc[s->cur];
		long who[3];
		const char *role[3], *module;
		int n = 0, k;

		if (!active_student(s))
			continue;
		if (s->flags & S_SPED) {
			module = "SPED";
			who[n] = sc->sped_teacher, role[n++] = "CM";
			if (sc->slp >= 0 && chance(r, 40))
				who[n] = sc->slp, role[n++] = "SLP";
			if (sc->psych >= 0 && chance(r, 30))
				who[n] = sc->psych, role[n++] = "PSY";
		} else if (s->flags & S_504) {
			module = "504";
			who[n] = sc->counselor, role[n++] = "COUN";
			if (sc->nurse >= 0 && chance(r, 30))
				who[n] = sc->nurse, role[n++] = "NURS";
		} else {
			continue;
		}
		for (k = 0; k < n; k++) {
			set_u(w, "teamMemberID", id_base(d->students * 4) + w->rows);
			set_u(w, "personID", person_of_student(d, i));
			set_u(w, "staffPersonID", person_of_staff(d, (unsigned long)who[k]));
			set_s(w, "role", role[k]);
			set_s(w, "module", module);
			set_date(w, "startDate", s->cur_start);
			if (s->cur_end)
				set_date(w, "endDate", s->cur_end);
			set_b(w, "caseManager", k == 0 && !strcmp(module, "SPED"));
			emit(w);
		}
	}
}

/* ---- health ---- */

static void gen_health_screening(struct out *w)
{
	static const char *const comments[] = {
		"", "", "", "Wears glasses, screened with glasses on.",
		"Referral letter sent home; parent to schedule with optometrist.",
		"Unable to complete: student uncooperative, \"will retry\" next week."
	};
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i;

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		int g = s->grade, t;

		if (!active_student(s))
			continue;
		for (t = 0; t < 2; t++) {
			unsigned q;
			const char *res;

			if (t == 0 && !(g == 0 || g == 1 || g == 3 || g == 5 || g == 7 || g == 9))
				continue;
			if (t == 1 && !(g == 0 || g == 1 || g == 3))
				continue;
			q = pick(r, 100);
			res = q < 88 ? "PASS" : q < 95 ? "REF" : q < 98 ? "FAIL" : "UNAB";
			set_u(w, "screeningID", id_base(d->students * 2) + w->rows);
			set_u(w, "personID", person_of_student(d, i));
			set_s(w, "screeningType", t ? "HEAR" : "VIS");
			set_date(w, "screeningDate", instr_between(&d->sc[s->cur], s->cur_start,
				 s->cur_start + 70, next(r)));
			set_s(w, "result", res);
			set_b(w, "referred", res[0] == 'R' || res[0] == 'F');
			if (res[0] == 'R' || res[0] == 'F')
				set_date(w, "followUpDate", s->cur_start + 90 + (long)pick(r, 30));
			set_s(w, "comments", res[0] == 'U' ? comments[5] : res[0] == 'R' ? comments[4] :
			      comments[pick(r, 4)]);
			emit(w);
		}
	}
}

static void gen_imm_certificate(struct out *w)
{
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i;

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		unsigned q;
		const char *type, *status;

		if (!active_student(s) || !(s->grade == 0 || s->grade == 7 || (s->flags & S_MOVED) ||
					   chance(r, 2)))
			continue;
		q = pick(r, 100);
		type = q < 88 ? "COMP" : q < 93 ? "PROV" : q < 95 ? "COND" : q < 97 ? "MEDEX" : "RELEX";
		status = type[0] == 'C' && type[1] == 'O' && type[2] == 'M' ? "CMP" :
			 type[0] == 'M' || type[0] == 'R' ? "EXM" : chance(r, 30) ? "OVD" : "INC";
		set_u(w, "certificateID", id_base(d->students) + w->rows);
		set_u(w, "personID", person_of_student(d, i));
		set_s(w, "certificateType", type);
		set_s(w, "status", status);
		set_date(w, "issuedDate", s->cur_start - (long)pick(r, 60));
		if (!strcmp(type, "PROV") || !strcmp(type, "COND"))
			set_date(w, "expirationDate", s->cur_start + 30);
		if (type[0] == 'R')
			set_s(w, "comments", "Religious exemption form on file, signed by parent/guardian");
		emit(w);
	}
}

static void gen_vaccine_shot(struct out *w)
{
	static const struct {
		const char *code;
		int months[5];	/* age at each dose; 0 ends */
	} series_k[] = {
		{ "DTAP", { 2, 4, 6, 16, 50 } }, { "IPV", { 2, 4, 12, 50, 0 } },
		{ "MMR", { 12, 50, 0, 0, 0 } }, { "HEPB", { 0, 2, 7, 0, 0 } }, { "VAR", { 13, 50, 0, 0, 0 } },
	}, series_7[] = { { "TDAP", { 132, 0, 0, 0, 0 } }, { "MCV4", { 134, 0, 0, 0, 0 } } };
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i;

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		size_t v, n;
		int k;

		if (!active_student(s) || (s->grade != 0 && s->grade != 7))
			continue;
		n = s->grade == 0 ? NELEM(series_k) : NELEM(series_7);
		for (v = 0; v < n; v++) {
			const char *code = s->grade == 0 ? series_k[v].code : series_7[v].code;
			const int *m = s->grade == 0 ? series_k[v].months : series_7[v].months;

			for (k = 0; k < 5 && (k == 0 || m[k]); k++) {
				long date = s->birth + m[k] * 30L + (long)pick(r, 20);

				if (date > d->asof)
					break;
				set_u(w, "shotID", id_base(d->students * 16) + w->rows);
				set_u(w, "personID", person_of_student(d, i));
				set_s(w, "vaccineCode", code);
				set_date(w, "shotDate", date);
				set_u(w, "doseNumber", (unsigned long)k + 1);
				set_s(w, "source", chance(r, 70) ? "REG" : chance(r, 60) ? "PHY" : "PAR");
				emit(w);
			}
		}
	}
}

static void gen_medicaid(struct out *w)
{
	static const char *const cov[] = { "MCD", "MCD", "MCO", "MCO", "CHIP" };
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i;

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		long start;

		if (!hchance(F_MEDICAID, i, 350))
			continue;
		start = d->asof - (long)pick(r, 1500);
		if (start < s->birth)
			start = s->birth + 30;
		set_u(w, "medicaidID", id_base(d->students) + w->rows);
		set_u(w, "personID", person_of_student(d, i));
		set(w, "medicaidNumber", "%010lu", 4200000ul + i * 13);
		set_s(w, "coverageType", cov[pick(r, NELEM(cov))]);
		set_date(w, "startDate", start);
		if (chance(r, 8))
			set_date(w, "endDate", d->asof - (long)pick(r, 60));
		if (chance(r, 75)) {
			set_date(w, "consentDate", s->start + (long)pick(r, 20));
			set_b(w, "consentOnFile", 1);
		} else {
			set_b(w, "consentOnFile", 0);
		}
		emit(w);
	}
}

/* ---- programs ---- */

static void gen_foster_care(struct out *w)
{
	static const char *const pl[] = { "FAM", "FAM", "KIN", "KIN", "GRP", "RES", "PRE", "OTH" };
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i;

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		long start;

		if (!(s->flags & S_FOSTER))
			continue;
		start = d->asof - 20 - (long)pick(r, 900);
		if (start < s->birth)
			start = s->birth + 100;
		set_u(w, "fosterCareID", id_base(d->students) + w->rows);
		set_u(w, "personID", person_of_student(d, i));
		set_date(w, "startDate", start);
		if (chance(r, 20))
			set_date(w, "endDate", d->asof - (long)pick(r, 20));
		set_s(w, "placementType", pl[pick(r, NELEM(pl))]);
		set_s(w, "agencyName", chance(r, 50) ? "Division of Child & Family Services" :
		      "Washoe County Human Services Agency, Children's Services");
		set_date(w, "bestInterestDate", start + 3 + (long)pick(r, 10));
		set_b(w, "transportProvided", chance(r, 60));
		emit(w);
	}
}

static void gen_homeless(struct out *w)
{
	static const char *const res[] = { "DBL", "DBL", "DBL", "DBL", "DBL", "DBL", "SHEL", "SHEL",
					   "HTL", "UNSH" };
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i, id = id_base(d->students);

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		const char *x;

		if (!(s->flags & S_HOMELESS))
			continue;
		x = res[hpick(F_HOMELESS, i + 1, NELEM(res))];
		set_u(w, "homelessID", id++);
		set_u(w, "personID", person_of_student(d, i));
		set_date(w, "startDate", s->start + (long)hpick(F_HOMELESS, i + 2, 150));
		if (chance(r, 15))
			set_date(w, "endDate", d->asof - (long)pick(r, 20));
		set_s(w, "nighttimeResidence", x);
		set_b(w, "unaccompaniedYouth", s->grade >= 9 && chance(r, 15));
		if (!strcmp(x, "HTL"))
			set_s(w, "comments", "Family at the \"Sands Motel\", room 12; bus stop changed.");
		emit(w);
	}
}

static void gen_homeless_service(struct out *w)
{
	static const char *const svc[] = { "TRAN", "TRAN", "SUPL", "CLTH", "TUTR", "HLTH", "REFR",
					   "COUN", "RECD" };
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i, hid = id_base(d->students), id = id_base(d->students * 4);

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		long start;
		int n, k;

		if (!(s->flags & S_HOMELESS))
			continue;
		start = s->start + (long)hpick(F_HOMELESS, i + 2, 150);
		n = (int)pick(r, 4);
		for (k = 0; k < n; k++) {
			const char *x = svc[pick(r, NELEM(svc))];
			long date = start + (long)pick(r, 60);

			set_u(w, "homelessServiceID", id++);
			set_u(w, "homelessID", hid);
			set_u(w, "personID", person_of_student(d, i));
			set_s(w, "serviceCode", x);
			set_date(w, "serviceDate", date > d->asof ? d->asof : date);
			set_s(w, "provider", !strcmp(x, "TRAN") ? "District Transportation" :
			      !strcmp(x, "CLTH") ? "Clothes Closet, Family Resource Center" :
			      "McKinney-Vento Liaison");
			if (!strcmp(x, "RECD"))
				set_s(w, "comments", "Birth certificate requested from Vital Records,\nfee waived.");
			emit(w);
		}
		hid++;
	}
}

static void gen_migrant(struct out *w)
{
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i;

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		long qad;

		if (!(s->flags & S_MIGRANT))
			continue;
		qad = d->asof - 60 - (long)pick(r, 1000);
		if (qad < s->birth)
			qad = s->birth + 200;
		set_u(w, "migrantID", id_base(d->students) + w->rows);
		set_u(w, "personID", person_of_student(d, i));
		set(w, "coeNumber", "%s%06lu", d->state, 10000 + i);
		set_date(w, "qualifyingArrivalDate", qad);
		set_date(w, "coeDate", qad + 10 + (long)pick(r, 60));
		set_date(w, "startDate", qad + 10);
		set_date(w, "endDate", qad + 365 * 3);
		set_b(w, "priorityForServices", chance(r, 30));
		emit(w);
	}
}

static void gen_pregnant_parenting(struct out *w)
{
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i;

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		int preg;

		if (s->grade < 9 || !active_student(s) || !hchance(F_PARENT, i,
								(s->flags & S_FEMALE) ? 15 : 4))
			continue;
		preg = (s->flags & S_FEMALE) && chance(r, 40);
		set_u(w, "pregnantParentingID", id_base(d->students) + w->rows);
		set_u(w, "personID", person_of_student(d, i));
		set_s(w, "status", preg ? "PREG" : "PAR");
		set_date(w, "startDate", d->asof - (long)pick(r, 400));
		set_b(w, "servicesReceived", chance(r, 70));
		set_b(w, "childcare", !preg && chance(r, 50));
		emit(w);
	}
}

static void gen_program_participation(struct out *w)
{
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i;

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		const char *prog[4];
		int n = 0, k;

		if (!active_student(s))
			continue;
		if (s->flags & S_GT)
			prog[n++] = "GT";
		if (s->grade <= 5 && s->cur % 2 == 0 && hchance(F_GT, i + 1, 120))
			prog[n++] = "TI";
		if (s->grade <= 3 && hchance(F_GT, i + 2, 60))
			prog[n++] = "READ";
		if (s->grade >= 6 && hchance(F_GT, i + 3, 30))
			prog[n++] = s->grade >= 9 && hchance(F_GT, i + 4, 400) ? "JROTC" : "AVID";
		for (k = 0; k < n; k++) {
			int gt = !strcmp(prog[k], "GT");

			set_u(w, "participationID", id_base(d->students * 4) + w->rows);
			set_u(w, "personID", person_of_student(d, i));
			set_u(w, "schoolID", d->school_base + s->cur);
			set_s(w, "programCode", prog[k]);
			set_date(w, "startDate", gt ? school_year_start(d, (int)pick(r, (unsigned)s->grade - 1)) :
				 s->cur_start + (long)pick(r, 20));
			if (!gt && chance(r, 8)) {
				set_date(w, "endDate", d->asof - (long)pick(r, 40));
				set_s(w, "status", "EXIT");
				set_s(w, "exitReason", chance(r, 50) ? "Met benchmark, exited to Tier 1" :
				      "Parent request, see note");
			} else {
				set_s(w, "status", "ACT");
			}
			emit(w);
		}
	}
}

static void gen_cclc(struct out *w)
{
	static const char *const act[] = { "ACAD", "ACAD", "STEM", "ART", "PHYS", "ENR", "FAM", "TUTR" };
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i;

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		unsigned long days;

		if (!active_student(s) || s->grade > 8 || s->cur % 3 != 1 || !chance(r, 15))
			continue;
		days = 10 + pick(r, 90);
		set_u(w, "cclcID", id_base(d->students) + w->rows);
		set_u(w, "personID", person_of_student(d, i));
		set_u(w, "schoolID", d->school_base + s->cur);
		set_s(w, "activity", act[pick(r, NELEM(act))]);
		set_date(w, "startDate", s->cur_start + 14);
		set_u(w, "daysAttended", days);
		set_dec(w, "hoursAttended", (long)days * (200 + 25 * (long)pick(r, 4)));
		emit(w);
	}
}

static void gen_elo(struct out *w)
{
	static const char *const type[] = { "BEF", "AFT", "AFT", "SAT", "INT", "ONL" };
	static const char *const subj[] = { "ELA", "MATH", "MATH", "SCI", "ENR", "MULT" };
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i;

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		long start;

		if (!active_student(s) || !chance(r, 4))
			continue;
		start = instr_between(&d->sc[s->cur], s->cur_start, d->asof - 30, next(r));
		set_u(w, "eloID", id_base(d->students) + w->rows);
		set_u(w, "personID", person_of_student(d, i));
		set_u(w, "schoolID", d->school_base + s->cur);
		set_s(w, "programType", type[pick(r, NELEM(type))]);
		set_s(w, "subject", subj[pick(r, NELEM(subj))]);
		set_date(w, "startDate", start);
		set_date(w, "endDate", start + 28 + 7 * (long)pick(r, 8));
		set_dec(w, "hours", 100L * (8 + (long)pick(r, 40)));
		set_s(w, "provider", chance(r, 60) ? "School staff" : "Boys & Girls Club, \"Club Tech\"");
		emit(w);
	}
}

static void gen_instruction_mode(struct out *w)
{
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i;

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		unsigned q;

		if (!active_student(s) || !chance(r, 3))
			continue;
		q = pick(r, 10);
		set_u(w, "instructionModeID", id_base(d->students) + w->rows);
		set_u(w, "enrollmentID", s->enr + ((s->flags & S_MOVED) ? 1 : 0));
		set_u(w, "personID", person_of_student(d, i));
		set_year(w);
		set_s(w, "modeCode", q < 5 ? "REM" : q < 9 ? "HYB" : "HOME");
		set_date(w, "startDate", s->cur_start + (q < 5 ? 0 : 7 * (long)pick(r, 10)));
		if (s->cur_end)
			set_date(w, "endDate", s->cur_end);
		set_u(w, "percentRemote", q < 5 ? 100 : q < 9 ? 40 + 10 * pick(r, 3) : 100);
		emit(w);
	}
}

/* ---- early warning ---- */

/* 0 low, 1 moderate, 2 high */
static int ew_risk(const struct district *d, unsigned long i)
{
	unsigned q = hpick(F_EW, i, 100);

	if (d->st[i].flags & S_CHRONIC)
		return q < 50 ? 1 : 2;
	return q < 78 ? 0 : q < 95 ? 1 : 2;
}

static int ew_student(const struct student *s)
{
	return active_student(s) && s->grade >= 6 && !(s->flags & S_EARLYGRAD);
}

static const char *const risk_codes[] = { "LOW", "MOD", "HIGH" };

/* a graduation indicator score for risk level k: 0-100, higher is better */
static long ew_gis(struct rng *r, int k)
{
	return k == 0 ? 7000 + (long)pick(r, 3000) : k == 1 ? 4500 + (long)pick(r, 2500) :
	       1000 + (long)pick(r, 3500);
}

static void gen_early_warning(struct out *w)
{
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i, id = id_base(d->students);

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		int k;

		if (!ew_student(s))
			continue;
		k = ew_risk(d, i);
		set_u(w, "earlyWarningID", id++);
		set_u(w, "personID", person_of_student(d, i));
		set_u(w, "calendarID", d->calendar_base + s->cur);
		set_year(w);
		set_s(w, "riskLevel", risk_codes[k]);
		set_dec(w, "gis", ew_gis(r, k));
		set_b(w, "attendanceFlag", (s->flags & S_CHRONIC) != 0);
		set_b(w, "behaviorFlag", k == 2 && chance(r, 50));
		set_b(w, "academicFlag", k > 0 && chance(r, 60));
		set_date(w, "calculatedDate", d->asof - 1);
		set_b(w, "interventionPlanned", k == 2 && chance(r, 70));
		emit(w);
	}
}

static void ew_scores(struct out *w, struct rng *r, int k)
{
	set_dec(w, "gis", ew_gis(r, k));
	set_dec(w, "attendanceScore", ew_gis(r, k));
	set_dec(w, "behaviorScore", ew_gis(r, k > 0 ? k - 1 : 0));
	set_dec(w, "academicScore", ew_gis(r, k));
}

static void gen_ew_daily(struct out *w)
{
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i, ew = id_base(d->students), id = id_base(d->students * 10);

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		const struct school *sc = &d->sc[s->cur];
		long last, n;

		if (!ew_student(s))
			continue;
		if (ew_risk(d, i) == 2) {
			/* the last ten school days */
			last = instr_index_before(sc, d->asof);
			for (n = last >= 9 ? last - 9 : 0; n <= last; n++) {
				set_u(w, "scoreDailyID", id++);
				set_u(w, "earlyWarningID", ew);
				set_u(w, "personID", person_of_student(d, i));
				set_year(w);
				set_date(w, "scoreDate", sc->instr[n]);
				ew_scores(w, r, 2);
				emit(w);
			}
		}
		ew++;
	}
}

static void gen_ew_monthly(struct out *w)
{
	static const int months[] = { 9, 10, 11, 12, 1, 2, 3 };
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i, ew = id_base(d->students), id = id_base(d->students * 8);

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		int k;
		size_t m;

		if (!ew_student(s))
			continue;
		k = ew_risk(d, i);
		if (k > 0)
			for (m = 0; m < NELEM(months); m++) {
				int km = m < 2 && k == 2 ? 1 : k;

				if (s->cur_start > days_from_civil(months[m] >= 8 ? d->year - 1 : d->year,
								   months[m], 28))
					continue;
				set_u(w, "scoreMonthlyID", id++);
				set_u(w, "earlyWarningID", ew);
				set_u(w, "personID", person_of_student(d, i));
				set_year(w);
				set_u(w, "month", (unsigned long)months[m]);
				set_s(w, "riskLevel", risk_codes[km]);
				ew_scores(w, r, km);
				emit(w);
			}
		ew++;
	}
}

static void gen_ew_yearly(struct out *w)
{
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i, ew = id_base(d->students);

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		int k;

		if (!ew_student(s))
			continue;
		k = ew_risk(d, i);
		set_u(w, "scoreYearlyID", ew);
		set_u(w, "earlyWarningID", ew);
		set_u(w, "personID", person_of_student(d, i));
		set_year(w);
		set_s(w, "riskLevel", risk_codes[k]);
		set_dec(w, "gis", ew_gis(r, k));
		set_dec(w, "attendanceRate", (s->flags & S_CHRONIC) ? 7500 + (long)pick(r, 1400)
								     : 9000 + (long)pick(r, 1000));
		set_u(w, "suspensions", k == 2 ? pick(r, 4) : 0);
		set_u(w, "coursesFailed", k == 0 ? 0 : pick(r, 2 + 2 * (unsigned)k));
		emit(w);
		ew++;
	}
}

/* ---- contacts ---- */

static void gen_census_contact(struct out *w)
{
	static const char *const langs[] = { "spa", "spa", "spa", "spa", "vie", "tgl", "zho", "ara",
					     "kor", "amh", "nav", "oth" };
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i;

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		int n = 1 + chance(r, 30), k;
		const char *lang = s->lep != LEP_NONE ? langs[pick(r, NELEM(langs))] : "eng";
		unsigned street = 100 + pick(r, 9900), city = pick(r, NELEM(cities));
		unsigned st_ix = pick(r, NELEM(streets));

		for (k = 0; k < n; k++) {
			int foster = (s->flags & S_FOSTER) && k == 0;
			const char *rel = foster ? "FOSTER" : k == 0 ? (chance(r, 75) ? "MOTHER" : chance(r, 70)
				? "FATHER" : chance(r, 50) ? "GRANDP" : "GUARD") : chance(r, 80) ? "FATHER" :
				chance(r, 50) ? "STEP" : "OTHER";
			int female = !strcmp(rel, "MOTHER") || (!strcmp(rel, "FATHER") ? 0 : chance(r, 60));
			const char *first = female ? first_f[pick(r, NELEM(first_f))]
						   : first_m[pick(r, NELEM(first_m))];
			const char *last = foster || chance(r, 15) ? last_names[pick(r, NELEM(last_names))]
								   : last_names[s->last];

			set_u(w, "contactSummaryID", id_base(d->students * 2) + w->rows);
			set_u(w, "personID", person_of_student(d, i));
			set_s(w, "relationship", rel);
			set(w, "contactName", "%s %s", first, last);
			set_b(w, "guardian", strcmp(rel, "OTHER") && strcmp(rel, "STEP"));
			set_b(w, "mailing", k == 0);
			set_u(w, "sequence", (unsigned long)k + 1);
			if (k == 0 && chance(r, 40))
				set(w, "homePhone", "(775) 555-%04u", pick(r, 10000));
			if (chance(r, 92))
				set(w, "cellPhone", "(775) %03u-%04u", 200 + pick(r, 800), pick(r, 10000));
			if (chance(r, 70))
				set(w, "email", "%c.parent%u@example.net",
				    (unsigned char)first[0] < 0x80 ? first[0] | 0x20 : 'x', pick(r, 100000));
			set_s(w, "language", lang);
			if (k == 0 || chance(r, 40))
				set(w, "address", "%u %s%s\n%s, %s 89%03u", street, streets[st_ix],
				    chance(r, 10) ? ", Apt. 4B" : "", cities[city], d->state,
				    (unsigned)(i * 7 % 1000));
			emit(w);
		}
	}
}

static void gen_contact_log(struct out *w)
{
	static const char *const types[] = { "PHONE", "PHONE", "PHONE", "EMAIL", "EMAIL", "INPER",
					     "LETTER", "TEXT", "HOME", "VIRT" };
	static const char *const reasons[] = { "ATT", "ATT", "BEH", "ACAD", "ACAD", "HLTH", "SPED", "GEN" };
	static const char *const comments[] = {
		"Called mom re: absences; she said student has been sick, will send note.",
		"Left voicemail. No answer at home number, tried cell.",
		"Emailed dad about missing assignments (3) in Algebra I, \"will check in weekly\".",
		"Met with grandmother after school.\nDiscussed tutoring options, signed up for Tues/Thurs.",
		"Home visit: family moved, new address on file; bus route updated.",
		"Parent asked for a meeting with the counselor; scheduled for next week.",
		"",
	};
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i;

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		const struct school *sc = &d->sc[s->cur];
		int n, k;

		if (!active_student(s) || !chance(r, 15))
			continue;
		n = 1 + chance(r, 30);
		for (k = 0; k < n; k++) {
			long staff = chance(r, 50) ? (long)sc->teachers[pick(r, (unsigned)sc->nteachers)]
						   : sc->counselor;
			long last = s->cur_end && s->cur_end < d->asof ? s->cur_end : d->asof;

			set_u(w, "contactLogID", id_base(d->students * 2) + w->rows);
			set_u(w, "personID", person_of_student(d, i));
			set_u(w, "staffPersonID", person_of_staff(d, (unsigned long)staff));
			set_date(w, "contactDate", s->cur_start + (long)pick(r, (unsigned)(last - s->cur_start + 1)));
			set_s(w, "contactType", types[pick(r, NELEM(types))]);
			set_s(w, "reason", reasons[pick(r, NELEM(reasons))]);
			set_s(w, "comments", comments[pick(r, NELEM(comments))]);
			set_b(w, "private", chance(r, 5));
			emit(w);
		}
	}
}

/* ---- state-published attributes, filters, validation, certification ---- */

static const struct {
	const char *object, *element, *label, *type;
	int state_owned, required;
} attributes[] = {
	{ "Calendar", "countDayDate", "Count Day date", "DATE", 1, 1 },
	{ "Calendar", "instructionalMinutes", "Instructional minutes per day", "NUM", 1, 1 },
	{ "Calendar", "titleISchoolwide", "Title I schoolwide program", "BOOL", 1, 0 },
	{ "School", "starRating", "School performance rating (stars)", "NUM", 1, 0 },
	{ "Student", "fosterCareCaseNumber", "Foster care case #", "TEXT", 0, 0 },
	{ "Student", "militaryConnected", "Military-connected student", "DICT", 1, 0 },
	{ "Student", "countyOfResidence", "County of residence", "DICT", 1, 0 },
	{ "Student", "tribalAffiliation", "Tribal affiliation", "TEXT", 0, 0 },
	{ "Enrollment", "zonedSchool", "Zoned school number", "TEXT", 1, 0 },
	{ "Enrollment", "distanceEdPercent", "Distance education, percent", "NUM", 1, 0 },
	{ "Person", "preferredName", "Preferred name", "TEXT", 0, 0 },
	{ "Person", "ssnLast4Verified", "SSN last 4 verified", "BOOL", 1, 0 },
};

static void gen_attribute_mapping(struct out *w)
{
	size_t t;

	for (t = 0; t < NELEM(attributes); t++) {
		set_u(w, "attributeID", 100 + t);
		set_s(w, "objectName", attributes[t].object);
		set_s(w, "element", attributes[t].element);
		set_s(w, "label", attributes[t].label);
		set_s(w, "dataType", attributes[t].type);
		set_b(w, "stateOwned", attributes[t].state_owned);
		set_b(w, "required", attributes[t].required);
		set_u(w, "sequence", t + 1);
		emit(w);
	}
}

static void gen_calendar_published_tab(struct out *w)
{
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long k, id = id_base(d->schools * 3);

	for (k = 0; k < d->schools; k++) {
		const struct school *sc = &d->sc[k];
		char date[16];

		fmt_date(date, instr_on_or_after(sc, days_from_civil(d->year - 1, 10, 1)));
		set_u(w, "tabValueID", id++);
		set_u(w, "calendarID", d->calendar_base + k);
		set_u(w, "attributeID", 100);
		set_year(w);
		set_s(w, "value", date);
		set_date(w, "modifiedDate", first_day(sc) - 10);
		emit(w);
		set_u(w, "tabValueID", id++);
		set_u(w, "calendarID", d->calendar_base + k);
		set_u(w, "attributeID", 101);
		set_year(w);
		set(w, "value", "%u", elementary_only(sc) ? 330u : 360u + 5 * pick(r, 5));
		set_date(w, "modifiedDate", first_day(sc) - 10);
		emit(w);
		set_u(w, "tabValueID", id++);
		set_u(w, "calendarID", d->calendar_base + k);
		set_u(w, "attributeID", 102);
		set_year(w);
		set_s(w, "value", k % 2 == 0 && sc->lo == 0 ? "1" : "0");
		set_date(w, "modifiedDate", first_day(sc) - 10);
		emit(w);
	}
}

static void gen_published_tab_student(struct out *w)
{
	static const char *const counties[] = { "Washoe", "Carson City", "Douglas", "Lyon", "Storey" };
	static const char *const tribes[] = { "Pyramid Lake Paiute Tribe", "Washoe Tribe of Nevada & California",
					      "Reno-Sparks Indian Colony", "Navajo Nation (Diné)" };
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i;

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		unsigned q;

		if (!active_student(s) || !chance(r, 6))
			continue;
		q = pick(r, 10);
		set_u(w, "customStudentID", id_base(d->students) + w->rows);
		set_u(w, "personID", person_of_student(d, i));
		if (q < 4) {
			set_u(w, "attributeID", 106);
			set_s(w, "value", counties[pick(r, NELEM(counties))]);
		} else if (q < 7) {
			set_u(w, "attributeID", 105);
			set_s(w, "value", chance(r, 50) ? "Y-ACTIVE" : "Y-GUARD");
		} else if (q < 8 && (s->flags & S_FOSTER)) {
			set_u(w, "attributeID", 104);
			set(w, "value", "%07lu", 30000ul + i);
		} else {
			set_u(w, "attributeID", 107);
			set_s(w, "value", tribes[pick(r, NELEM(tribes))]);
		}
		set_date(w, "date", s->cur_start + (long)pick(r, 60));
		emit(w);
	}
}

static void gen_adhoc_filter(struct out *w)
{
	static const struct {
		const char *name, *type, *data, *desc;
		int state;
	} filters[] = {
		{ "Active students, all schools", "QUERY", "STU", "", 0 },
		{ "Chronically absent (10%+), current term", "QUERY", "STU",
		  "Absent 10% or more of enrolled days; excludes no-shows.", 0 },
		{ "State: Count Day enrollment", "QUERY", "STU", "Published by the state; do not edit.", 1 },
		{ "State: Special ed child count (Dec 1)", "SQL", "STU",
		  "SELECT p.personID, p.stateID\nFROM Person p JOIN Plan pl ON pl.personID = p.personID\n"
		  "WHERE pl.locked = 1 AND pl.startDate <= '12-01'", 1 },
		{ "Staff with expiring licenses", "QUERY", "STF", "Expiring within 90 days", 0 },
		{ "Homeroom teachers, \"elementary\"", "QUERY", "STF", "", 0 },
		{ "Parent emails, 8th grade", "EXPORT", "CEN", "For the high school transition letter, sent in March.", 0 },
		{ "Course catalog, secondary", "QUERY", "CRS", "", 0 },
		{ "EL students, WIDA roster", "SET", "STU", "", 1 },
		{ "504 plans due for review", "QUERY", "STU", "Review date within 30 days", 0 },
		{ "McKinney-Vento, transportation", "QUERY", "STU", "", 0 },
		{ "Graduation cohort, at risk", "QUERY", "STU", "GIS below 50 and credits behind", 0 },
	};
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long n = NELEM(filters) + d->staff / 40, k;

	for (k = 0; k < n; k++) {
		size_t f = k % NELEM(filters);
		const struct school *sc = &d->sc[k % d->schools];
		long owner = k % 3 == 0 ? sc->principal : k % 3 == 1 ? sc->counselor
						       : (long)sc->teachers[k % sc->nteachers];

		set_u(w, "filterID", id_base(n) + k);
		if (k < NELEM(filters))
			set_s(w, "name", filters[f].name);
		else
			set(w, "name", "%s (copy %lu)", filters[f].name, k / NELEM(filters));
		set_s(w, "filterType", filters[f].type);
		set_s(w, "dataType", filters[f].data);
		set_u(w, "ownerPersonID", person_of_staff(d, (unsigned long)owner));
		set_b(w, "statePublished", filters[f].state);
		set_date(w, "createdDate", d->asof - 30 - (long)pick(r, 1500));
		set_s(w, "description", filters[f].desc);
		emit(w);
	}
}

static void gen_data_validation(struct out *w)
{
	static const struct {
		const char *name, *cat, *sev, *desc, *sql;
	} rules[] = {
		{ "Enrollment without a start status", "ENR", "ERR", "Every enrollment needs a start status.",
		  "SELECT e.enrollmentID\nFROM Enrollment e\nWHERE e.startStatus IS NULL" },
		{ "Overlapping primary enrollments", "ENR", "ERR",
		  "Two primary (serviceType P) enrollments of one student overlap.",
		  "SELECT a.personID FROM Enrollment a\nJOIN Enrollment b ON a.personID = b.personID\n"
		  "  AND a.enrollmentID < b.enrollmentID\nWHERE a.serviceType = 'P' AND b.serviceType = 'P'\n"
		  "  AND a.startDate <= COALESCE(b.endDate, '9999-12-31')" },
		{ "Behavior event type not mapped", "BEH", "WARN",
		  "The event's type has no state event code: it will not be sent.",
		  "SELECT eventID FROM BehaviorEvent WHERE stateEventCode IS NULL" },
		{ "Resolution type not mapped", "BEH", "WARN", "No state resolution code: not sent.",
		  "SELECT resolutionID FROM BehaviorResolution WHERE stateResolutionCode IS NULL" },
		{ "IEP not locked", "SPED", "WARN", "Plans sync only when locked.",
		  "SELECT planID FROM Plan WHERE locked = 0" },
		{ "Missing birth date", "DEM", "ERR", "", "SELECT personID FROM Person WHERE birthDate IS NULL" },
		{ "Staff without an assignment", "STF", "WARN", "",
		  "SELECT e.personID FROM Employment e\nLEFT JOIN EmploymentAssignment a ON a.employmentID = e.employmentID\n"
		  "WHERE a.assignmentID IS NULL" },
		{ "EL without an identification date", "EL", "ERR", "",
		  "SELECT lepID FROM Lep WHERE programStatus = 'EL' AND identifiedDate IS NULL" },
		{ "Attendance on a non-instructional day", "ATT", "ERR", "",
		  "SELECT a.personID, a.date FROM AttDayAggregation a\nJOIN Day d ON d.calendarID = a.calendarID AND d.date = a.date\n"
		  "WHERE d.instruction = 0" },
		{ "Graduate without a diploma type", "GRAD", "ERR", "",
		  "SELECT personID FROM Graduation WHERE diplomaDate IS NOT NULL AND diplomaType IS NULL" },
		{ "Name contains a digit", "DEM", "INFO", "Possible data-entry error, e.g. \"J0hn\".",
		  "SELECT personID FROM Person WHERE lastName ~ '[0-9]' OR firstName ~ '[0-9]'" },
		{ "Duplicate state IDs", "DEM", "ERR", "",
		  "SELECT stateID, COUNT(*) FROM Person\nGROUP BY stateID HAVING COUNT(*) > 1" },
	};
	const struct district *d = w->d;
	size_t k;

	for (k = 0; k < NELEM(rules); k++) {
		set_u(w, "validationID", 100 + k);
		set_s(w, "name", rules[k].name);
		set_s(w, "category", rules[k].cat);
		set_s(w, "severity", rules[k].sev);
		set_b(w, "active", k != 10);
		set_s(w, "description", rules[k].desc);
		set_s(w, "sqlText", rules[k].sql);
		set_date(w, "modifiedDate", d->asof - 200 - 17 * (long)k);
		emit(w);
	}
}

static const struct {
	const char *type;
	int month, day;		/* when it was certified */
	int open;
} certs[] = {
	{ "OCT1", 10, 20, 0 }, { "DEC1", 12, 15, 0 }, { "STAFF", 11, 5, 0 }, { "EOY", 6, 30, 1 },
};

static void gen_cert_type_member(struct out *w)
{
	const struct district *d = w->d;
	unsigned long k, id = id_base(d->schools * NELEM(certs));
	size_t c;

	for (k = 0; k < d->schools; k++)
		for (c = 0; c < NELEM(certs); c++) {
			set_u(w, "certTypeMemberID", id++);
			set_u(w, "schoolID", d->school_base + k);
			set_year(w);
			set_s(w, "certificationType", certs[c].type);
			if (certs[c].open) {
				set_s(w, "status", "OPEN");
				set_u(w, "certifierPersonID", person_of_staff(d, (unsigned long)d->sc[k].principal));
			} else {
				set_s(w, "status", k % 9 == 4 && c == 0 ? "REOPEN" : "CERT");
				set_u(w, "certifierPersonID", person_of_staff(d, (unsigned long)d->sc[k].principal));
				set_date(w, "certifiedDate", days_from_civil(d->year - 1, certs[c].month,
									     certs[c].day));
				if (k % 9 == 4 && c == 0)
					set_s(w, "comments", "Reopened by the state: 3 enrollments, \"no show\" status corrected.");
			}
			emit(w);
		}
}

static void gen_cert_object_member(struct out *w)
{
	static const char *const objects[] = { "PersonIdentity", "Enrollment", "Lep", "Plan",
					       "EmploymentAssignment" };
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long k, tm = id_base(d->schools * NELEM(certs)), id = id_base(d->schools * NELEM(certs) * 5);
	size_t c, o;

	for (k = 0; k < d->schools; k++)
		for (c = 0; c < NELEM(certs); c++, tm++)
			for (o = 0; o < NELEM(objects); o++) {
				unsigned long n = d->sc[k].count;

				if (!strcmp(certs[c].type, "STAFF") != !strcmp(objects[o], "EmploymentAssignment"))
					continue;
				if (o == 2)
					n = n / 8;
				else if (o == 3)
					n = n * 13 / 100;
				else if (o == 4)
					n = d->staff / d->schools;
				set_u(w, "certObjectMemberID", id++);
				set_u(w, "certTypeMemberID", tm);
				set_s(w, "objectName", objects[o]);
				set_u(w, "recordCount", n);
				set_u(w, "errorCount", certs[c].open ? pick(r, 5) : 0);
				set_b(w, "certified", !certs[c].open);
				emit(w);
			}
}

static void gen_dataset_snapshot(struct out *w)
{
	const struct district *d = w->d;
	size_t c;

	for (c = 0; c < 3; c++) {
		set_u(w, "snapshotID", 10 + c);
		set(w, "name", "%d-%02d %s", d->year - 1, d->year % 100,
		    (const char *[]){ "Count Day (October 1)", "Child Count, Dec. 1", "CRDC, fall" }[c]);
		set_s(w, "collection", (const char *[]){ "OCT1", "DEC1", "CRDC" }[c]);
		set_year(w);
		set_date(w, "snapshotDate", days_from_civil(d->year - 1, (int[]){ 10, 12, 10 }[c], 1));
		set_s(w, "status", "DONE");
		set_u(w, "recordCount", c == 1 ? d->students * 13 / 100 : d->students);
		if (c == 2)
			set_s(w, "comments", "Civil Rights Data Collection, part 1;\nresubmitted after corrections");
		emit(w);
	}
}

static void gen_dis_verification(struct out *w)
{
	static const char *const areas[] = { "Behavior", "Employment", "EmploymentAssignment",
					     "Enrollment", "Graduation", "EnglishLearner",
					     "PersonIdentity", "TestScores" };
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long totals[8];
	size_t a;

	totals[0] = d->incidents * 4;
	totals[1] = d->staff + d->staff / 16;
	totals[2] = d->staff + d->staff / 6;
	totals[3] = d->enrollments;
	totals[4] = d->students * 4 / 13;
	totals[5] = d->students / 8;
	totals[6] = d->students + d->staff;
	totals[7] = d->students * 12 / 10;
	for (a = 0; a < NELEM(areas); a++) {
		unsigned long ms = pick(r, 4), md = pick(r, 2), df = pick(r, 6);

		if (ms > totals[a])
			ms = totals[a];
		if (df > totals[a] - ms)
			df = totals[a] - ms;

		set_u(w, "resultID", 10 + a);
		set_s(w, "area", areas[a]);
		set_year(w);
		set_date(w, "verifiedDate", d->asof - 14);
		set_u(w, "districtTotal", totals[a]);
		set_u(w, "stateTotal", totals[a] - ms + md);
		set_u(w, "missingAtState", ms);
		set_u(w, "missingAtDistrict", md);
		set_u(w, "differences", df);
		emit(w);
	}
}

/* ---- Nevada ---- */

static void gen_adult_education(struct out *w)
{
	static const char *const prog[] = { "CR", "CR", "CR", "ASE", "ASE", "HSE", "ESL", "ABE" };
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i;

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		long entry;

		if (s->grade < 11 || !active_student(s) || !chance(r, 3))
			continue;
		entry = s->cur_start + 7 * (long)pick(r, 12);
		set_u(w, "adultEdID", id_base(d->students) + w->rows);
		set_u(w, "personID", person_of_student(d, i));
		set_u(w, "schoolID", d->school_base + s->cur);
		set_year(w);
		set_s(w, "programType", prog[pick(r, NELEM(prog))]);
		set_date(w, "entryDate", entry);
		if (chance(r, 30)) {
			set_date(w, "exitDate", entry + 60 + (long)pick(r, 60) > d->asof ? d->asof :
				 entry + 60 + (long)pick(r, 60));
			set_s(w, "exitReason", chance(r, 70) ? "COMP" : "DROP");
		}
		set_dec(w, "creditsEarned", 50 * (long)pick(r, 5));
		set_b(w, "diplomaEarned", 0);
		emit(w);
	}
}

static const struct {
	const char *code, *desc, *status, *excuse, *state;
} excuses[] = {
	{ "ILL", "Excused, illness", "A", "E", "ILL" },
	{ "MED", "Excused, medical / dental appointment", "A", "E", "MED" },
	{ "FAM", "Excused, family emergency", "A", "E", "FAM" },
	{ "REL", "Excused, religious observance", "A", "E", "REL" },
	{ "UNX", "Unexcused", "A", "U", "UNX" },
	{ "TRU", "Truant", "A", "U", "TRU" },
	{ "OSS", "Out-of-school suspension", "A", "X", "SUS" },
	{ "SCH", "School activity, field trip", "A", "X", "SCH" },
	{ "TAR", "Tardy, unexcused", "T", "U", "UNX" },
	{ "ELP", "Early release, parent request", "E", "E", "FAM" },
};

static unsigned long excuse_id(const struct district *d, unsigned long k, size_t e)
{
	return id_base(d->schools * NELEM(excuses)) + k * NELEM(excuses) + e;
}

static void gen_attendance_excuse(struct out *w)
{
	const struct district *d = w->d;
	unsigned long k;
	size_t e;

	for (k = 0; k < d->schools; k++)
		for (e = 0; e < NELEM(excuses); e++) {
			set_u(w, "excuseID", excuse_id(d, k, e));
			set_u(w, "calendarID", d->calendar_base + k);
			set_year(w);
			set_s(w, "code", excuses[e].code);
			set_s(w, "description", excuses[e].desc);
			set_s(w, "status", excuses[e].status);
			set_s(w, "excuse", excuses[e].excuse);
			set_s(w, "stateCode", excuses[e].state);
			set_b(w, "active", e != 5 || k % 2);
			emit(w);
		}
}

#define ATT_WINDOW 15	/* school days of day-level attendance kept */

/* Absences and partial days of the last ATT_WINDOW school days. */
static void gen_att_day_aggregation(struct out *w)
{
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long i, id = id_base(d->students * ATT_WINDOW);

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		const struct school *sc = &d->sc[s->cur];
		long last = instr_index_before(sc, d->asof), n;
		unsigned rate = s->flags & S_CHRONIC ? 180 : 40;
		unsigned long minutes = secondary(s->grade) ? 385 : s->grade == 0 ? 330 : 360;

		if (!active_student(s))
			continue;
		for (n = last >= ATT_WINDOW - 1 ? last - (ATT_WINDOW - 1) : 0; n <= last; n++) {
			long z = sc->instr[n];
			size_t e;
			unsigned long present;

			if (z < s->cur_start || (s->cur_end && z > s->cur_end) ||
			    hpick(F_ABSENT, i * 256 + (uint64_t)n, 1000) >= rate)
				continue;
			if (chance(r, 20)) {	/* tardy or left early */
				e = chance(r, 60) ? 8 : 9;
				present = minutes - 15 - 15 * pick(r, 8);
			} else {
				static const uint8_t full[] = { 0, 0, 0, 0, 1, 1, 2, 3, 4, 4, 5, 6, 7 };

				e = full[pick(r, NELEM(full))];
				present = 0;
			}
			set_u(w, "aggregationID", id + (unsigned long)w->rows);
			set_u(w, "enrollmentID", s->enr + ((s->flags & S_MOVED) ? 1 : 0));
			set_u(w, "personID", person_of_student(d, i));
			set_u(w, "calendarID", d->calendar_base + s->cur);
			set_u(w, "excuseID", excuse_id(d, s->cur, e));
			set_year(w);
			set_date(w, "date", z);
			set_u(w, "minutesScheduled", minutes);
			set_u(w, "minutesPresent", present);
			set_dec(w, "presentValue", present ? (present * 2 >= minutes ? 50 : 0) +
				(present * 4 >= minutes * 3 ? 50 : 0) : 0);
			set_dec(w, "absentValue", present ? 100 - ((present * 2 >= minutes ? 50 : 0) +
				(present * 4 >= minutes * 3 ? 50 : 0)) : 100);
			emit(w);
		}
	}
}

#define MONTH_DAYS 20

static unsigned long school_month_id(const struct district *d, unsigned long k, unsigned long m)
{
	return id_base(d->schools * 12) + k * 12 + m;
}

static void gen_school_month(struct out *w)
{
	const struct district *d = w->d;
	unsigned long k, m;

	for (k = 0; k < d->schools; k++) {
		const struct school *sc = &d->sc[k];

		for (m = 0; m * MONTH_DAYS < sc->ninstr; m++) {
			size_t a = m * MONTH_DAYS, b = a + MONTH_DAYS - 1;

			if (b >= sc->ninstr)
				b = sc->ninstr - 1;
			set_u(w, "schoolMonthID", school_month_id(d, k, m));
			set_u(w, "calendarID", d->calendar_base + k);
			set_year(w);
			set_u(w, "monthNumber", m + 1);
			set(w, "name", "Month %lu", m + 1);
			set_date(w, "startDate", sc->instr[a]);
			set_date(w, "endDate", sc->instr[b]);
			set_u(w, "instructionalDays", (unsigned long)(b - a + 1));
			emit(w);
		}
	}
}

static void gen_att_extract_count(struct out *w)
{
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long k, m, id = id_base(d->schools * 12 * 13);
	int g;

	for (k = 0; k < d->schools; k++) {
		const struct school *sc = &d->sc[k];

		/* the school months over by the extract's date */
		for (m = 0; (m + 1) * MONTH_DAYS <= sc->ninstr &&
		     sc->instr[(m + 1) * MONTH_DAYS - 1] <= d->asof; m++)
			for (g = sc->lo; g <= sc->hi; g++) {
				unsigned long n = sc->grade_count[g];
				long memb, att;

				if (!n)
					continue;
				memb = (long)n * MONTH_DAYS * 100 - (long)pick(r, (unsigned)n * 30 + 1);
				att = memb * (930 + (long)pick(r, 40)) / 1000;
				set_u(w, "countID", id++);
				set_u(w, "schoolMonthID", school_month_id(d, k, m));
				set_u(w, "calendarID", d->calendar_base + k);
				set_year(w);
				set_s(w, "grade", grade_codes[g]);
				set_u(w, "enrolledCount", n);
				set_dec(w, "daysMembership", memb);
				set_dec(w, "daysAttendance", att);
				set_dec(w, "averageDailyMembership", memb / MONTH_DAYS);
				set_dec(w, "averageDailyAttendance", att / MONTH_DAYS);
				emit(w);
			}
	}
}

/* ---- North Carolina ---- */

static void gen_special_ed_state(struct out *w)
{
	static const struct {
		const char *ic, *nc;
	} dis[] = {
		{ "AUT", "AU" }, { "DB", "DB" }, { "DD", "DD" }, { "ED", "ED" }, { "HI", "HI" },
		{ "ID", "ID" }, { "MD", "MU" }, { "OHI", "OH" }, { "OI", "OI" }, { "SLD", "LD" },
		{ "SLI", "SI" }, { "TBI", "TB" }, { "VI", "VI" },
	};
	static const char *const env[] = { "REG", "REG", "REG", "RES", "RES", "SEP", "PSS", "HOM" };
	const struct district *d = w->d;
	struct rng *r = &w->r;
	unsigned long *plan = plan_ids(d), i, id = id_base(d->students);

	for (i = 0; i < d->students; i++) {
		const struct student *s = &d->st[i];
		struct plans p;
		size_t k;

		if (!(s->flags & S_SPED) || !active_student(s))
			continue;
		plans_of(d, i, &p);
		for (k = 0; k < NELEM(dis) && strcmp(dis[k].ic, p.disability); k++)
			;
		set_u(w, "specialEdStateID", id++);
		set_u(w, "personID", person_of_student(d, i));
		set_u(w, "planID", plan[i]);
		set_year(w);
		set_s(w, "primaryDisability", dis[k < NELEM(dis) ? k : 0].nc);
		set_s(w, "educationalEnvironment", env[pick(r, NELEM(env))]);
		set_date(w, "headcountDate", days_from_civil(d->year - 1, 12, 1));
		set_date(w, "eligibilityDate", p.start - 365L * (p.prior ? 1 + (long)pick(r, 4) : 0) - 10);
		if (s->flags & S_EARLYGRAD) {
			set_date(w, "exitDate", s->cur_end);
			set_s(w, "exitReason", "GRD");
		}
		emit(w);
	}
	free(plan);
}

/* ---- the objects ---- */

static const struct {
	const char *object;
	void (*gen)(struct out *);
} generators[] = {
	{ "District", gen_district },
	{ "School", gen_school },
	{ "Calendar", gen_calendar },
	{ "PersonIdentity", gen_person },
	{ "Enrollment", gen_enrollment },
	{ "ScheduleStructure", gen_schedule_structure },
	{ "StructureGradeLevel", gen_structure_grade_level },
	{ "TermSchedule", gen_term_schedule },
	{ "PeriodSchedule", gen_period_schedule },
	{ "Day", gen_day },
	{ "Employment", gen_employment },
	{ "EmploymentAssignment", gen_employment_assignment },
	{ "EmploymentBackground", gen_employment_background },
	{ "EmploymentCredential", gen_employment_credential },
	{ "Course", gen_course },
	{ "CourseCode", gen_course_code },
	{ "Section", gen_section },
	{ "CourseSection", gen_course_section },
	{ "Roster", gen_roster },
	{ "RosterVerificationRequest", gen_roster_verification_request },
	{ "RosterVerificationSection", gen_roster_verification_section },
	{ "RosterVerificationSectionStaff", gen_roster_verification_staff },
	{ "RosterVerificationSectionStudent", gen_roster_verification_student },
	{ "BehaviorType", gen_behavior_type },
	{ "BehaviorResolutionType", gen_behavior_resolution_type },
	{ "BehaviorResponseType", gen_behavior_response_type },
	{ "BehaviorIncident", gen_behavior_incident },
	{ "BehaviorEvent", gen_behavior_event },
	{ "BehaviorHarassment", gen_behavior_harassment },
	{ "BehaviorDrug", gen_behavior_drug },
	{ "BehaviorWeapon", gen_behavior_weapon },
	{ "BehaviorRole", gen_behavior_role },
	{ "BehaviorResolution", gen_behavior_resolution },
	{ "BehaviorResponse", gen_behavior_response },
	{ "Lep", gen_lep },
	{ "LepAccommodationType", gen_lep_accommodation_type },
	{ "LepAccommodation", gen_lep_accommodation },
	{ "LEPServiceType", gen_lep_service_type },
	{ "LEPService", gen_lep_service },
	{ "DualLanguageImmersion", gen_dual_language },
	{ "Test", gen_test },
	{ "TestScore", gen_test_score },
	{ "Graduation", gen_graduation },
	{ "TranscriptCourseSE", gen_transcript },
	{ "SchoolYearGPA", gen_school_year_gpa },
	{ "CareerTechnicalEducation", gen_cte },
	{ "CareerReadiness", gen_career_readiness },
	{ "Plan", gen_plan },
	{ "PlanProgressReport", gen_plan_progress },
	{ "Evaluation", gen_evaluation },
	{ "Form", gen_form },
	{ "Section504", gen_section504 },
	{ "TeamMember", gen_team_member },
	{ "HealthScreening", gen_health_screening },
	{ "ImmCertificate", gen_imm_certificate },
	{ "VaccineShot", gen_vaccine_shot },
	{ "MedicaidInsurance", gen_medicaid },
	{ "FosterCare", gen_foster_care },
	{ "Homeless", gen_homeless },
	{ "HomelessService", gen_homeless_service },
	{ "Migrant", gen_migrant },
	{ "PregnantAndParenting", gen_pregnant_parenting },
	{ "ProgramParticipation", gen_program_participation },
	{ "TwentyFirstCCLC", gen_cclc },
	{ "ExtendedLearningOpportunity", gen_elo },
	{ "InstructionMode", gen_instruction_mode },
	{ "EarlyWarning", gen_early_warning },
	{ "EarlyWarningScoreDaily", gen_ew_daily },
	{ "EarlyWarningScoreMonthly", gen_ew_monthly },
	{ "EarlyWarningScoreYearly", gen_ew_yearly },
	{ "CensusContactSummary", gen_census_contact },
	{ "ContactLog", gen_contact_log },
	{ "AttributeMapping", gen_attribute_mapping },
	{ "CalendarToolPublishedTab", gen_calendar_published_tab },
	{ "PublishedTabCustomStudent", gen_published_tab_student },
	{ "AdHocFilter", gen_adhoc_filter },
	{ "DataValidationDef", gen_data_validation },
	{ "DataCertificationTypeMember", gen_cert_type_member },
	{ "DataCertificationObjectMember", gen_cert_object_member },
	{ "DatasetSnapshot", gen_dataset_snapshot },
	{ "DISVerificationResult", gen_dis_verification },
	{ "AdultEducation", gen_adult_education },
	{ "AttendanceExcuse", gen_attendance_excuse },
	{ "AttDayAggregation", gen_att_day_aggregation },
	{ "SchoolMonth", gen_school_month },
	{ "AttExtractCount", gen_att_extract_count },
	{ "SpecialEdState", gen_special_ed_state },
};

/* An object without a generator of its own (one added to the registry
 * later): one row per school, values by type, linked by the usual names. */
static void gen_generic(struct out *w)
{
	const struct reg_object *o = w->o;
	const struct district *d = w->d;
	unsigned long i;
	size_t f;

	for (i = 0; i < d->schools; i++) {
		for (f = 0; f < o->nfields; f++) {
			const struct reg_field *fl = &o->fields[f];
			char *v = w->buf[f];

			if (fl->flags & REG_KEY)
				put_u(v, id_base(d->schools) + i);
			else if (!strcmp(fl->ref, "PersonIdentity"))
				put_u(v, person_of_student(d, d->sc[i].first));
			else if (!strcmp(fl->ref, "School"))
				put_u(v, d->school_base + i);
			else if (!strcmp(fl->ref, "Calendar"))
				put_u(v, d->calendar_base + i);
			else if (fl->ref[0])
				v[0] = '\0';	/* unknown key: left empty */
			else if (fl->flags & REG_YEAR)
				put_u(v, (unsigned long)d->year);
			else if (fl->type == REG_INTEGER)
				put_u(v, pick(&w->r, 1000));
			else if (fl->type == REG_DECIMAL)
				snprintf(v, VALMAX, "%u.%02u", pick(&w->r, 100), pick(&w->r, 100));
			else if (fl->type == REG_DATE)
				fmt_date(v, d->asof - (long)pick(&w->r, 200));
			else if (fl->type == REG_BOOLEAN)
				put_u(v, chance(&w->r, 10));
			else if (fl->type == REG_CODE)
				snprintf(v, VALMAX, "%.*s", (int)strcspn(fl->codes, ";"), fl->codes);
			else
				snprintf(v, VALMAX, "%s %lu", fl->name, i + 1);
		}
		emit(w);
	}
}

static int write_object(const char *dir, const struct reg_object *o, const struct district *d)
{
	char *path = xasprintf("%s/%s.csv", dir, o->name);
	struct out w;
	size_t i;
	int rc = 0;

	memset(&w, 0, sizeof w);
	w.o = o;
	w.d = d;
	w.r = stream(d->seed, o->name);
	w.buf = xcalloc(REG_MAX_FIELDS, VALMAX);
	w.f = fopen(path, "w");
	if (!w.f) {
		fprintf(stderr, "gen-district: %s: %s\n", path, strerror(errno));
		free(path);
		free(w.buf);
		return -1;
	}
	setvbuf(w.f, NULL, _IOFBF, 1 << 20);
	for (i = 0; i < o->nfields; i++)
		csvw_cell(&w.row, i, o->fields[i].name, strlen(o->fields[i].name));
	csvw_end(&w.row);
	fwrite(w.row.buf, 1, w.row.len, w.f);
	for (i = 0; i < NELEM(generators); i++)
		if (!strcmp(generators[i].object, o->name))
			break;
	if (i < NELEM(generators))
		generators[i].gen(&w);
	else
		gen_generic(&w);
	if (ferror(w.f) | (fclose(w.f) != 0)) {
		fprintf(stderr, "gen-district: %s: %s\n", path, strerror(errno));
		rc = -1;
	}
	sb_release(&w.row);
	free(w.buf);
	free(path);
	return rc;
}

/* ---- two writers ---- */

struct job {
	const char *dir;
	const struct district *d;
	pthread_mutex_t lock;
	size_t next;
	int failed;
};

static void *writer(void *arg)
{
	struct job *j = arg;

	for (;;) {
		const struct reg_object *o;
		size_t i;

		pthread_mutex_lock(&j->lock);
		i = j->next++;
		pthread_mutex_unlock(&j->lock);
		if (i >= reg_count())
			return NULL;
		o = reg_at(i);
		if (reg_sent_by_state(o, j->d->state) && write_object(j->dir, o, j->d) < 0) {
			pthread_mutex_lock(&j->lock);
			j->failed = 1;
			pthread_mutex_unlock(&j->lock);
		}
	}
}

/* mkdir -p */
static int mkdirs(const char *dir)
{
	char *p = xstrdup(dir), *s;
	int rc = 0;

	for (s = p + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			if (mkdir(p, 0700) < 0 && errno != EEXIST)
				rc = -1;
			*s = '/';
		}
	if (mkdir(p, 0700) < 0 && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

static void usage(void)
{
	fprintf(stderr, "usage: gen-district --students N --seed S --state XX --out DIR "
		"[--year YYYY]\n");
	exit(64);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "students", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "state", required_argument, NULL, 't' },
		{ "out", required_argument, NULL, 'o' },
		{ "year", required_argument, NULL, 'y' },
		{ NULL, 0, NULL, 0 }
	};
	struct district d;
	struct job job;
	pthread_t t;
	const char *out = NULL;
	char *end;
	int c, helper;

	memset(&d, 0, sizeof d);
	d.students = (unsigned long)-1;
	d.year = 2027;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n': d.students = strtoul(optarg, &end, 10); if (*end) usage(); break;
		case 's': d.seed = strtoull(optarg, &end, 10); if (*end) usage(); break;
		case 't': d.state = optarg; break;
		case 'o': out = optarg; break;
		case 'y': d.year = (int)strtol(optarg, &end, 10); if (*end) usage(); break;
		default: usage();
		}
	}
	if (d.students == (unsigned long)-1 || !d.state || !out || optind != argc ||
	    strlen(d.state) != 2 || d.year < 1911 || d.year > 2189 || d.students > 100000000ul)
		usage();
	g_seed = d.seed;
	d.staff = d.students / 15 + 1;
	d.schools = d.students / 450 + 2;
	/* a principal and a teacher in every school, however small */
	if (d.staff < 2 * d.schools)
		d.staff = 2 * d.schools;
	d.person_base = id_base(d.students + d.staff);
	d.school_base = id_base(d.schools);
	d.calendar_base = id_base(d.schools) * 10;
	build_model(&d);
	if (mkdirs(out) < 0) {
		fprintf(stderr, "gen-district: %s: %s\n", out, strerror(errno));
		return 74;
	}
	memset(&job, 0, sizeof job);
	job.dir = out;
	job.d = &d;
	pthread_mutex_init(&job.lock, NULL);
	helper = pthread_create(&t, NULL, writer, &job) == 0;
	writer(&job);
	if (helper)
		pthread_join(t, NULL);
	return job.failed ? 74 : 0;
}
