# Data setup that stops a record from syncing: each rule withholds its
# records (counted per rule, listed in outbox/withheld/), children of a
# withheld record are withheld too, and a record that becomes withheld
# after it was sent is removed at the state.
. "$(dirname "$0")/lib.sh"
setup_pair
cat >D/source/School.csv <<CSV
schoolID,number,name,exclude
10,0010,North,0
11,0011,South,1
CSV
cat >D/source/Calendar.csv <<CSV
calendarID,schoolID,endYear,name,exclude
100,10,2027,North 2026-27,0
101,10,2027,North summer,1
102,11,2027,South 2026-27,0
103,10,2026,North 2025-26,0
CSV
printf 'personID,lastName\n1001,A\n1002,B\n1003,C\n1004,D\n1005,E\n1006,F\n' \
	>D/source/PersonIdentity.csv
cat >D/source/Enrollment.csv <<CSV
enrollmentID,personID,calendarID,endYear,noShow,stateExclude
5001,1001,100,2027,0,0
5002,1002,100,2027,1,0
5003,1003,100,2027,0,1
5004,1004,101,2027,0,0
5005,1005,102,2027,0,0
5006,1006,103,2026,0,0
CSV
ok "$E" resync --full --home D
out_has "$(printf '%-34s %10s %10s %10s' School 1 0 1)"
out_has "$(printf '%-34s %10s %10s %10s' Calendar 1 0 3)"
out_has "$(printf '%-34s %10s %10s %10s' Enrollment 1 0 5)"
out_has "$(printf '  withheld %-24s %8s  %s' School 1 'school excluded from state reporting')"
out_has "$(printf '  withheld %-24s %8s  %s' Calendar 1 'calendar excluded from state reporting')"
out_has "$(printf '  withheld %-24s %8s  %s' Calendar 1 'outside the scoped year 2027')"
out_has "$(printf '  withheld %-24s %8s  %s' Calendar 1 'references a withheld School (schoolID)')"
out_has "$(printf '  withheld %-24s %8s  %s' Enrollment 1 'no-show enrollment')"
out_has "$(printf '  withheld %-24s %8s  %s' Enrollment 1 'enrollment marked stateExclude')"
out_has "$(printf '  withheld %-24s %8s  %s' Enrollment 1 'outside the scoped year 2027')"
# a record is counted under the first cause that holds: its own rules,
# then its year, then what it references
out_has "$(printf '  withheld %-24s %8s  %s' Enrollment 2 'references a withheld Calendar (calendarID)')"
out_has "withheld records: outbox/withheld/0042-0000000001-resync.withheld.csv"
w=D/outbox/withheld/0042-0000000001-resync.withheld.csv
eq "$(stat -c %a "$w")" 600 "withheld file mode"
eq "$(grep -c '^source/' "$w")" 9 "records in the withheld file"
grep -qxF 'source/Enrollment.csv,3,noShow,no-show enrollment,"5002,1002,100,,,,,,,,1,0,2027,,"' "$w" ||
	fail "the withheld file lists the no-show with its values"
deliver
eq "$(state_rows Enrollment)" 1 "enrollments at the state"
grep -qx '5001,1001,100,,,,,,,,0,0,2027,,' export.csv || fail "the enrollment that syncs"

# 5001 becomes a no-show after it was sent: removed at the state
sed -i 's/^5001,1001,100,2027,0,0$/5001,1001,100,2027,1,0/' D/source/Enrollment.csv
ok "$E" resync --full --home D
out_has "$(printf '%-34s %10s %10s %10s' Enrollment 0 0 6)"
deliver
out_has "applied 0042-0000000002-resync.bundle: district 0042, sequence 2: 8 records, 1 orphan removed"
eq "$(state_rows Enrollment)" 0 "enrollments at the state"

# the digest leaves withheld records out: in sync
ok "$E" digest --home D
out_has "$(printf '%-34s %10s %10s' Enrollment 0 6)"
deliver
ok "$E" verify --district 0042 --home S
