/*
 * gen-district - write a consistent, realistic, generated district.
 *
 *   tools/gen-district --students N --seed S --state XX --out DIR [--year YYYY]
 *
 * Writes DIR/<Object>.csv for every object a district of state XX sends
 * (the registry decides), the same bytes for the same arguments.  Values
 * are realistic and exercise the hard cases: UTF-8 names, commas, quotes,
 * embedded newlines (addresses), leading-zero IDs.  IDs of one kind have
 * one width, so rows written in ID order are also in key (text) order, the
 * order the state exports them in: for a district without errors,
 * 'edsync export' gives back these files byte for byte.
 *
 * Each object draws from its own random stream (seeded by S and the
 * object's name), so adding an object to the registry leaves the bytes of
 * the others unchanged.  Objects without a generator of their own get
 * values by field type, linked to persons, calendars and schools by the
 * usual field names.
 */
#include "../formats/csvw.h"
#include "../formats/registry.h"
#include "../util/sb.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* ---- the district's shape ---- */

struct district {
	unsigned long students, staff, schools;
	int year;
	const char *state;
	uint64_t seed;
	/* ID bases: one width per kind of ID */
	unsigned long person_base, school_base, calendar_base, enrollment_base;
};

static unsigned long id_base(unsigned long count)
{
	unsigned long base = 10;

	while (base <= count)
		base *= 10;
	return base;
}

static unsigned long school_of_student(const struct district *d, unsigned long i)
{
	return i * d->schools / (d->students ? d->students : 1);
}

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

#define NELEM(a) (sizeof a / sizeof a[0])

struct out {
	FILE *f;
	struct sb row;
	const struct reg_object *o;
	struct rec {
		char buf[REG_MAX_FIELDS][256];
	} *rec;
};

static void set(struct out *w, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set(struct out *w, const char *field, const char *fmt, ...)
{
	int i = reg_field_index(w->o, field, strlen(field));
	va_list ap;

	if (i < 0)
		return;		/* the registry no longer has this field */
	va_start(ap, fmt);
	vsnprintf(w->rec->buf[i], sizeof w->rec->buf[i], fmt, ap);
	va_end(ap);
}

static void emit(struct out *w)
{
	size_t i;

	sb_reset(&w->row);
	for (i = 0; i < w->o->nfields; i++) {
		csvw_cell(&w->row, i, w->rec->buf[i], strlen(w->rec->buf[i]));
		w->rec->buf[i][0] = '\0';
	}
	csvw_end(&w->row);
	fwrite(w->row.buf, 1, w->row.len, w->f);
}

static void date_in(struct rng *r, char *out, size_t size, int year, int month_lo,
		    int month_hi)
{
	unsigned m = (unsigned)month_lo + pick(r, (unsigned)(month_hi - month_lo + 1));
	unsigned d = 1 + pick(r, 28);

	snprintf(out, size, "%04u-%02u-%02u", (unsigned)year % 10000u, m % 100u, d % 100u);
}

static void gen_school(struct out *w, struct rng *r, const struct district *d)
{
	unsigned long i;

	for (i = 0; i < d->schools; i++) {
		const char *kind = school_kinds[i % NELEM(school_kinds)];
		const char *name = school_names[(i / NELEM(school_kinds)) % NELEM(school_names)];

		set(w, "schoolID", "%lu", d->school_base + i);
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
		set(w, "exclude", "%d", i == 0 && d->schools > 2 ? 1 : 0);
		emit(w);
	}
}

static void gen_calendar(struct out *w, struct rng *r, const struct district *d)
{
	unsigned long i;

	for (i = 0; i < d->schools; i++) {
		set(w, "calendarID", "%lu", d->calendar_base + i);
		set(w, "schoolID", "%lu", d->school_base + i);
		set(w, "endYear", "%d", d->year);
		set(w, "name", "%d-%02d %s", d->year - 1, d->year % 100,
		    school_names[(i / NELEM(school_kinds)) % NELEM(school_names)]);
		set(w, "startDate", "%d-08-%02u", d->year - 1, 10 + pick(r, 15));
		set(w, "endDate", "%d-06-%02u", d->year, 1 + pick(r, 10));
		set(w, "exclude", "0");
		emit(w);
	}
}

static void gen_person(struct out *w, struct rng *r, const struct district *d)
{
	unsigned long i, total = d->students + d->staff;

	for (i = 0; i < total; i++) {
		int student = i < d->students;
		int female = chance(r, 50);
		int age = student ? 5 + (int)pick(r, 13) : 24 + (int)pick(r, 40);
		char date[16];

		set(w, "personID", "%lu", d->person_base + i);
		set(w, "stateID", "%010lu", 1000000ul + (d->seed % 97) * 10000000ul + i);
		if (student) {
			set(w, "studentNumber", "%07lu", 1 + i);
		} else {
			set(w, "staffNumber", "E%05lu", i - d->students + 1);
			set(w, "staffStateID", "%09lu", 700000000ul + i);
		}
		set(w, "lastName", "%s", last_names[pick(r, NELEM(last_names))]);
		set(w, "firstName", "%s", female ? first_f[pick(r, NELEM(first_f))]
						 : first_m[pick(r, NELEM(first_m))]);
		set(w, "middleName", "%s", middle_names[pick(r, NELEM(middle_names))]);
		if (!student && chance(r, 5))
			set(w, "suffix", "%s", chance(r, 50) ? "Jr." : "III");
		set(w, "gender", "%s", chance(r, 2) ? "X" : female ? "F" : "M");
		date_in(r, date, sizeof date, d->year - 1 - age, 1, 12);
		set(w, "birthDate", "%s", date);
		set(w, "raceEthnicityFed", "%u", 1 + pick(r, 7));
		set(w, "hispanicEthnicity", "%s", chance(r, 30) ? "Y" : "N");
		date_in(r, date, sizeof date, d->year - 1, 7, 9);
		set(w, "effectiveDate", "%s", date);
		emit(w);
	}
}

static const char *grade_for(unsigned long i)
{
	static const char *const grades[] = {
		"KG", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"
	};

	return grades[i % NELEM(grades)];
}

static void gen_enrollment(struct out *w, struct rng *r, const struct district *d)
{
	unsigned long i, id = d->enrollment_base;

	for (i = 0; i < d->students; i++) {
		unsigned long cal = d->calendar_base + school_of_student(d, i);
		int moved = chance(r, 6);
		int sped = chance(r, 13);
		int k;

		/* A student who moved has a closed enrollment and a new one. */
		for (k = 0; k <= moved; k++) {
			unsigned long c = k ? d->calendar_base + (school_of_student(d, i) + 1) % d->schools
					    : cal;

			set(w, "enrollmentID", "%lu", id++);
			set(w, "personID", "%lu", d->person_base + i);
			set(w, "calendarID", "%lu", c);
			set(w, "structureID", "%lu", c * 10 + 1);
			set(w, "grade", "%s", grade_for(i));
			set(w, "startDate", "%d-%s", k ? d->year : d->year - 1,
			    k ? "01-08" : "08-17");
			set(w, "startStatus", "%s", k ? "E2" : "E1");
			if (moved && !k) {
				set(w, "endDate", "%d-12-%02u", d->year - 1, 10 + pick(r, 10));
				set(w, "endStatus", "W1");
			}
			set(w, "serviceType", "%s", chance(r, 2) ? "S" : "P");
			set(w, "noShow", "%d", chance(r, 1));
			set(w, "stateExclude", "0");
			set(w, "endYear", "%d", d->year);
			set(w, "specialEdStatus", "%s", sped ? "Y" : "N");
			emit(w);
		}
	}
}

/* An object without a generator of its own: values by type and name. */
static void gen_generic(struct out *w, struct rng *r, const struct district *d)
{
	const struct reg_object *o = w->o;
	unsigned long n = 0, i;
	size_t f;
	int per_person = reg_field_index(o, "personID", 8) >= 0;

	n = per_person ? d->students / 4 + 1 : d->schools;
	for (i = 0; i < n; i++) {
		for (f = 0; f < o->nfields; f++) {
			const struct reg_field *fl = &o->fields[f];
			char *v = w->rec->buf[f];
			size_t sz = sizeof w->rec->buf[f];

			if (fl->flags & REG_KEY)
				snprintf(v, sz, "%lu", id_base(n) + i);
			else if (!strcmp(fl->name, "personID"))
				snprintf(v, sz, "%lu", d->person_base + pick(r, (unsigned)d->students));
			else if (!strcmp(fl->name, "schoolID"))
				snprintf(v, sz, "%lu", d->school_base + pick(r, (unsigned)d->schools));
			else if (!strcmp(fl->name, "calendarID"))
				snprintf(v, sz, "%lu", d->calendar_base + pick(r, (unsigned)d->schools));
			else if (!strcmp(fl->name, "endYear"))
				snprintf(v, sz, "%d", d->year);
			else if (fl->type == REG_INTEGER)
				snprintf(v, sz, "%u", pick(r, 1000));
			else if (fl->type == REG_DECIMAL)
				snprintf(v, sz, "%u.%02u", pick(r, 100), pick(r, 100));
			else if (fl->type == REG_DATE)
				date_in(r, v, sz, d->year - 1 + (int)pick(r, 2), 1, 6);
			else if (fl->type == REG_BOOLEAN)
				snprintf(v, sz, "%d", chance(r, 10));
			else if (fl->type == REG_CODE) {
				const char *c = fl->codes, *e = strchr(c, ';');

				snprintf(v, sz, "%.*s", (int)(e ? (size_t)(e - c) : strlen(c)), c);
			} else
				snprintf(v, sz, "%s %lu", fl->name, i + 1);
		}
		emit(w);
	}
}

static const struct {
	const char *object;
	void (*gen)(struct out *, struct rng *, const struct district *);
} generators[] = {
	{ "School", gen_school },
	{ "Calendar", gen_calendar },
	{ "PersonIdentity", gen_person },
	{ "Enrollment", gen_enrollment },
};

static int write_object(const char *dir, const struct reg_object *o, const struct district *d)
{
	char *path = xasprintf("%s/%s.csv", dir, o->name);
	struct out w;
	struct rng r = stream(d->seed, o->name);
	size_t i;
	int rc = 0;

	memset(&w, 0, sizeof w);
	w.o = o;
	w.rec = xcalloc(1, sizeof *w.rec);
	w.f = fopen(path, "w");
	if (!w.f) {
		fprintf(stderr, "gen-district: %s: %s\n", path, strerror(errno));
		free(path);
		free(w.rec);
		return -1;
	}
	for (i = 0; i < o->nfields; i++)
		csvw_cell(&w.row, i, o->fields[i].name, strlen(o->fields[i].name));
	csvw_end(&w.row);
	fwrite(w.row.buf, 1, w.row.len, w.f);
	for (i = 0; i < NELEM(generators); i++)
		if (!strcmp(generators[i].object, o->name))
			break;
	if (i < NELEM(generators))
		generators[i].gen(&w, &r, d);
	else
		gen_generic(&w, &r, d);
	if (fclose(w.f) != 0) {
		fprintf(stderr, "gen-district: %s: %s\n", path, strerror(errno));
		rc = -1;
	}
	sb_release(&w.row);
	free(w.rec);
	free(path);
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
	const char *out = NULL;
	char *end;
	size_t i;
	int c;

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
	    strlen(d.state) != 2 || d.year < 1901 || d.year > 2199)
		usage();
	d.staff = d.students / 15 + 1;
	d.schools = d.students / 450 + 2;
	d.person_base = id_base(d.students + d.staff);
	d.school_base = id_base(d.schools);
	d.calendar_base = id_base(d.schools) * 10;
	d.enrollment_base = id_base(d.students * 2);
	if (mkdir(out, 0700) < 0 && errno != EEXIST) {
		fprintf(stderr, "gen-district: %s: %s\n", out, strerror(errno));
		return 74;
	}
	for (i = 0; i < reg_count(); i++) {
		const struct reg_object *o = reg_at(i);

		if (reg_sent_by_state(o, d.state) && write_object(out, o, &d) < 0)
			return 74;
	}
	return 0;
}
