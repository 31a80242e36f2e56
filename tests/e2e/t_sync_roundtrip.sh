# A generated district synced whole: every object exported by the state is
# byte-identical to the district's source, and the Verification Summary
# says so, in JSON exactly as the contract fixes it.
. "$(dirname "$0")/lib.sh"
setup_pair 300

ok "$E" resync --full --home D
out_has "resync: outbox/0042-0000000001-resync.bundle (sequence 1, scope full)"
eq "$(ls D/outbox/.tmp | wc -l)" 0 "debris in outbox/.tmp"
persons=$(( $(wc -l <D/source/PersonIdentity.csv) - 1 ))
enrollments=$(( $(wc -l <D/source/Enrollment.csv) - 1 ))
eq "$persons" 321 "generated persons (300 students + 21 staff)"
out_has "$(printf '%-34s %10s %10s %10s' PersonIdentity 321 0 0)"
withheld=$(awk '$1 == "Enrollment" { print $4 }' out)
[ "$withheld" -gt 0 ] || fail "no withheld no-show enrollments in a generated district"
deliver
# 2 schools and 2 calendars for 300 students
out_has "applied 0042-0000000001-resync.bundle: district 0042, sequence 1: $((persons + enrollments + 4 - withheld)) records, 0 orphans removed"
for o in School Calendar PersonIdentity; do
	ok "$E" export --district 0042 --object "$o" --out "$o.csv" --home S
	cmp -s "$o.csv" "D/source/$o.csv" || fail "export of $o differs from the source"
done
# Enrollment: the source less the withheld (no-show) enrollments, byte for byte
ok "$E" export --district 0042 --object Enrollment --out Enrollment.csv --home S
awk -F, 'NR == 1 || $11 != 1' D/source/Enrollment.csv | cmp -s - Enrollment.csv ||
	fail "export of Enrollment differs from the source without its no-shows"
eq "$(( $(wc -l <Enrollment.csv) - 1 ))" "$((enrollments - withheld))" "enrollments held"

ok "$E" digest --home D
deliver
ok "$E" verify --district 0042 --format json --home S
cat >expected.json <<JSON
{"district": "0042", "in_sync": true,
 "areas": [
  {"area": "Behavior", "district_total": 0, "state_total": 0,
   "missing_at_state": 0, "missing_at_district": 0, "differences": 0},
  {"area": "Employment", "district_total": 0, "state_total": 0,
   "missing_at_state": 0, "missing_at_district": 0, "differences": 0},
  {"area": "Employment Assignment", "district_total": 0, "state_total": 0,
   "missing_at_state": 0, "missing_at_district": 0, "differences": 0},
  {"area": "Enrollment", "district_total": $((enrollments - withheld)), "state_total": $((enrollments - withheld)),
   "missing_at_state": 0, "missing_at_district": 0, "differences": 0},
  {"area": "Graduation", "district_total": 0, "state_total": 0,
   "missing_at_state": 0, "missing_at_district": 0, "differences": 0},
  {"area": "English Learner", "district_total": 0, "state_total": 0,
   "missing_at_state": 0, "missing_at_district": 0, "differences": 0},
  {"area": "Person/Identity", "district_total": $persons, "state_total": $persons,
   "missing_at_state": 0, "missing_at_district": 0, "differences": 0},
  {"area": "Test Scores", "district_total": 0, "state_total": 0,
   "missing_at_state": 0, "missing_at_district": 0, "differences": 0}
 ]}
JSON
cmp -s out expected.json || { diff out expected.json >&2; fail "verify JSON"; }
