# Partial resyncs: by object (with the parents it needs), by school; the
# state removes the orphans in that scope only, counted per object in its
# output and in the receipt; with [load] orphans = flag they are listed
# instead, and a record carried again is no longer flagged.
. "$(dirname "$0")/lib.sh"
setup_pair
printf 'schoolID,name\n7,North\n8,South\n' >D/source/School.csv
printf 'calendarID,schoolID,endYear\n70,7,2027\n80,8,2027\n' >D/source/Calendar.csv
printf 'personID,lastName\n1001,A\n1002,B\n1003,C\n1004,D\n' >D/source/PersonIdentity.csv
printf 'enrollmentID,personID,calendarID,grade,startDate\n501,1001,70,05,2026-08-20\n502,1002,70,06,2026-08-20\n503,1003,80,07,2026-08-20\n504,1004,80,08,2026-08-20\n' \
	>D/source/Enrollment.csv
ok "$E" resync --full --home D
deliver
keys() {
	ok "$E" export --district 0042 --object "$1" --home S
	tail -n +2 out | cut -d, -f1 | tr '\n' ' '
}

# deleted directly in the district's database: one enrollment of each school
sed -i '/^502,/d; /^504,/d' D/source/Enrollment.csv

# 1. by school: only school 7's orphans go; person 1002 (no longer
#    enrolled there) stays, as do school 8's records
ok "$E" resync --objects Enrollment --school 7 --home D
out_has "resync: outbox/0042-0000000002-resync.bundle (sequence 2, scope school:7)"
out_has "School                                      1          0          0"
out_has "Calendar                                    1          0          0"
out_has "PersonIdentity                              1          0          0"
out_has "Enrollment                                  1          0          0"
deliver
out_has "applied 0042-0000000002-resync.bundle: district 0042, sequence 2: 4 records, 1 orphan removed"
out_has "  Enrollment                                1  1 orphan removed"
eq "$(keys Enrollment)" "501 503 504 " "enrollments at the state"
eq "$(keys PersonIdentity)" "1001 1002 1003 1004 " "persons at the state"
eq "$(keys School)" "7 8 " "schools at the state"

# 2. by object: Enrollment brings its parents (dependency expansion);
#    the other orphan goes; the receipt counts orphans per object
ok "$E" resync --objects Enrollment --home D
out_has "School                                      2          0          0"
out_has "Calendar                                    2          0          0"
out_has "PersonIdentity                              4          0          0"
out_has "Enrollment                                  2          0          0"
deliver
out_has "  Enrollment                                2  1 orphan removed"
eq "$(keys Enrollment)" "501 503 " "enrollments at the state"
ok "$E" send --to S --home D
ok "$E" load --home D
out_has "applied: 0042-0000000003-resync.bundle (sequence 3): 10 records, 1 orphans removed"
grep -qE '^  Enrollment +1 orphan removed$' out || fail "the receipt's per-object orphans"

# 3. a state that flags orphans: listed, not removed; carried again: cleared
printf '\n[load]\norphans = flag\n' >>S/edsync.conf
sed -i '/^1004,/d' D/source/PersonIdentity.csv
sed -i '/^503,/d' D/source/Enrollment.csv
ok "$E" resync --full --home D
deliver
out_has "  PersonIdentity                            3  1 orphan flagged"
out_has "  Enrollment                                1  1 orphan flagged"
eq "$(keys PersonIdentity)" "1001 1002 1003 1004 " "persons kept"
ok "$E" status --home S
out_has "  orphans flagged: 2 (records the district's last complete resync did not carry)"
out_has "    Enrollment 503 (sequence 4)"
out_has "    PersonIdentity 1004 (sequence 4)"
printf '1004,D\n' >>D/source/PersonIdentity.csv
ok "$E" resync --objects PersonIdentity --home D
deliver
ok "$E" status --home S
out_has "  orphans flagged: 1 (records the district's last complete resync did not carry)"
out_has "    Enrollment 503 (sequence 4)"
