# Per school, on request: 'verify --school N' asks the district for a digest
# of school N's records, and counts exactly the records of that school
# (school.h's rules, worked out here again from the state's exports).
. "$(dirname "$0")/lib.sh"
setup_pair 80
ok "$E" resync --full --home D
deliver
for o in Calendar Enrollment Employment EmploymentAssignment BehaviorIncident BehaviorEvent \
	BehaviorRole BehaviorResolution Lep TestScore Graduation PersonIdentity; do
	ok "$E" export --district 0042 --object $o --out export.$o.csv --home S
done
school=$(python3 -c '
import csv, collections
c = collections.Counter(r["schoolID"] for r in csv.DictReader(open("export.Calendar.csv")))
print(sorted(c)[0])')
python3 - "$school" <<'PY' || fail "expected figures"
import csv, json, sys
N = sys.argv[1]
rd = lambda o: list(csv.DictReader(open("export.%s.csv" % o, newline="", encoding="utf-8")))
cal = {r["calendarID"] for r in rd("Calendar") if r["schoolID"] == N}
enr = [r for r in rd("Enrollment") if r["calendarID"] in cal]
asg = [r for r in rd("EmploymentAssignment") if r["schoolID"] == N]
persons = {r["personID"] for r in enr} | {r["personID"] for r in asg}
emp = {r["employmentID"] for r in asg}
inc = [r for r in rd("BehaviorIncident") if r["calendarID"] in cal]
ev = [r for r in rd("BehaviorEvent") if r["calendarID"] in cal]
evs = {r["eventID"] for r in ev}
roles = [r for r in rd("BehaviorRole") if r["eventID"] in evs]
rs = {r["roleID"] for r in roles}
res = [r for r in rd("BehaviorResolution") if r["roleID"] in rs]
count = {
    "Behavior": len(inc) + len(ev) + len(roles) + len(res),
    "Employment": sum(1 for r in rd("Employment") if r["employmentID"] in emp),
    "Employment Assignment": len(asg),
    "Enrollment": len(enr),
    "Graduation": sum(1 for r in rd("Graduation") if r["personID"] in persons),
    "English Learner": sum(1 for r in rd("Lep") if r["personID"] in persons),
    "Person/Identity": sum(1 for r in rd("PersonIdentity") if r["personID"] in persons),
    "Test Scores": sum(1 for r in rd("TestScore") if r["personID"] in persons),
}
assert 0 < count["Enrollment"] < len(rd("Enrollment")), count
json.dump({"count": count, "enrollment": enr[0]["enrollmentID"],
           "other": next(r["enrollmentID"] for r in rd("Enrollment") if r["calendarID"] not in cal)},
          open("school.json", "w"))
PY

# no digest of the school yet: asked for
expect 66 "$E" verify --district 0042 --school "$school" --home S
err_has "edsync: verify: no digest of school $school from district 0042 yet: asked for one (outbox/0042/0042-0000000002-request.bundle)"
ok "$E" send --to S --home D
ok "$E" load --home D
deliver
ok "$E" verify --district 0042 --school "$school" --format json --home S
python3 - <<'PY' || fail "the school's figures"
import json
v = json.load(open("out"))
want = json.load(open("school.json"))["count"]
assert v["school"] is not None and v["in_sync"] is True
for a in v["areas"]:
    assert a["district_total"] == a["state_total"] == want[a["area"]], (a, want[a["area"]])
PY

# a change in one of the school's enrollments, and one in another school's
python3 - <<'PY'
import csv, json
s = json.load(open("school.json"))
rows = list(csv.reader(open("D/source/Enrollment.csv", newline="", encoding="utf-8")))
i = rows[0].index("startDate")
for r in rows[1:]:
    if r[0] in (s["enrollment"], s["other"]):
        r[i] = "2026-08-03" if r[i] != "2026-08-03" else "2026-08-04"
csv.writer(open("D/source/Enrollment.csv", "w", newline="", encoding="utf-8"),
           lineterminator="\n").writerows(rows)
PY
ok "$E" digest --school "$school" --home D
deliver
expect 1 "$E" verify --district 0042 --school "$school" --format csv --no-report --home S
grep -q "^0042,Enrollment,[0-9]*,[0-9]*,0,0,1,0,0,0,,,,,,,$" out || fail "one difference in the school"
grep -q "^0042,Enrollment,,,,,,,,,Enrollment,different,$(python3 -c 'import json; print(json.load(open("school.json"))["enrollment"])'),," out ||
	fail "the school's enrollment listed"
# the whole district sees both
ok "$E" digest --home D
deliver
expect 1 "$E" verify --district 0042 --format csv --no-request --no-report --home S
grep -q "^0042,Enrollment,[0-9]*,[0-9]*,0,0,2,0,0,0,,,,,,,$" out || fail "two differences in the district"
