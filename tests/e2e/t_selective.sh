# selective: the PersonIdentity and Enrollment records of chosen persons,
# by personID, a file of them, or an enrollment; an ID that matches nothing
# is reported and changes nothing; the state upserts and removes nothing;
# every run is recorded.
. "$(dirname "$0")/lib.sh"
setup_pair
printf 'personID,lastName\n1001,A\n1002,B\n1003,C\n' >D/source/PersonIdentity.csv
printf 'schoolID,name\n7,North\n' >D/source/School.csv
printf 'calendarID,schoolID,endYear\n70,7,2027\n' >D/source/Calendar.csv
printf 'enrollmentID,personID,calendarID,grade,startDate\n501,1001,70,05,2026-08-20\n502,1002,70,06,2026-08-20\n503,1002,70,06,2027-01-05\n504,1003,70,07,2026-08-20\n' \
	>D/source/Enrollment.csv
ok "$E" resync --full --home D
deliver
# at the district: names change, an enrollment goes away
printf 'personID,lastName\n1001,Aa\n1002,Bb\n1003,Cc\n' >D/source/PersonIdentity.csv
printf 'enrollmentID,personID,calendarID,grade,startDate\n501,1001,70,05,2026-08-21\n502,1002,70,06,2026-08-21\n504,1003,70,07,2026-08-21\n' \
	>D/source/Enrollment.csv

# 1. one person: only its records go; nothing is removed at the state
ok "$E" selective --person 1002 --home D
out_has "resync: outbox/0042-0000000002-resync.bundle (sequence 2, scope selective)"
out_has "PersonIdentity                              1          0          0"
out_has "Enrollment                                  1          0          0"
deliver
ok "$E" export --district 0042 --object PersonIdentity --home S
eq "$(tail -n +2 out | cut -d, -f1,6 | tr '\n' ' ')" "1001,A 1002,Bb 1003,C " "persons at the state"
ok "$E" export --district 0042 --object Enrollment --home S
eq "$(tail -n +2 out | cut -d, -f1,6 | tr '\n' ' ')" \
	"501,2026-08-20 502,2026-08-21 503,2027-01-05 504,2026-08-20 " "enrollments at the state"

# 2. by enrollment and from a file; unknown IDs are reported, the rest goes
printf '1001\n# a comment\n\n9999\n' >ids.txt
expect 65 "$E" selective --person-file ids.txt --enrollment 504,777 --home D
err_has "edsync: selective: enrollment 777: not found in source/Enrollment.csv"
err_has "edsync: selective: person 9999: not found in source/PersonIdentity.csv"
err_lines 2
out_has "PersonIdentity                              2          0          0"
out_has "Enrollment                                  2          0          0"
deliver
ok "$E" export --district 0042 --object PersonIdentity --home S
eq "$(tail -n +2 out | cut -d, -f1,6 | tr '\n' ' ')" "1001,Aa 1002,Bb 1003,Cc " "persons at the state"

# 3. nothing found: no bundle; a bad ID is a usage error
expect 65 "$E" selective --person 8888 --home D
out_has "selective: nothing to send: none of the persons asked for was found"
[ -z "$(ls D/outbox/*.bundle 2>/dev/null)" ] || fail "a bundle for nobody"
expect 64 "$E" selective --person 12x --home D
err_has "edsync: selective: --person: '12x' is not a personID (see 'edsync help selective')"
expect 64 "$E" selective --home D

# 4. the history
eq "$(wc -l <D/var/selective.csv)" 4 "history lines"
eq "$(sed -n 2p D/var/selective.csv | cut -d, -f2-)" "person 1002,1002,,0042-0000000002-resync.bundle,2" "first run"
eq "$(sed -n 3p D/var/selective.csv | cut -d, -f2-)" \
	"enrollment 504;enrollment 777;person 1001;person 9999,1001;1003,enrollment 777;person 9999,0042-0000000003-resync.bundle,3" \
	"second run"
eq "$(sed -n 4p D/var/selective.csv | cut -d, -f2-)" "person 8888,,person 8888,," "third run"

# 5. status shows the history, the last runs first to last
ok "$E" status --home D
out_has "selective syncs: 3 (the last 3, var/selective.csv)"
grep -qE '^  [0-9-]{10}T[0-9:]{8}Z  asked: person 1002; sent in 0042-0000000002-resync.bundle$' out ||
	fail "first run in status"
grep -qE '^  [0-9-]{10}T[0-9:]{8}Z  asked: person 8888; not found: person 8888; nothing sent$' out ||
	fail "third run in status"
ok "$E" status --json --home D
grep -q '"selective": {"runs": 3, "last": \[{"at": "' out || fail "selective in JSON"
