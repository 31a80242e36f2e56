# Referential integrity at the state: a record whose parent the state does
# not hold is neither applied blindly nor dropped: it is held, listed by
# status, and applied as soon as its parent arrives; a full resync that
# no longer carries it drops it.
. "$(dirname "$0")/lib.sh"
setup_pair
printf 'personID,lastName\n1001,A\n1002,B\n' >D/source/PersonIdentity.csv
printf 'enrollmentID,personID,grade\n5001,1001,05\n5002,1003,06\n5003,1002,07\n' \
	>D/source/Enrollment.csv
ok "$E" resync --full --home D
deliver
out_has "applied 0042-0000000001-resync.bundle: district 0042, sequence 1: 5 records, 0 orphans removed"
out_has "  held 1 record: a record they reference is not at the state ('edsync status' lists them)"
eq "$(state_rows Enrollment)" 2 "enrollments applied"
grep -q '^5002,' export.csv && fail "the held enrollment was applied"
ok "$E" status --home S
out_has "district 0042: last applied sequence 1 ($(sqlite3 S/store.db "select updated from edsync_district")); 0 bundles waiting for a gap, 0 refused, 1 record held"
out_has "    Enrollment 5002 (sequence 1): PersonIdentity '1003' (personID) is not at the state"
ok "$E" status --json --home S
grep -q '"held_records": \[$' out || fail "held records in JSON"
grep -qF '"key": "5002", "sequence": 1, "reason": "PersonIdentity '"'"'1003'"'"' (personID) is not at the state"}' out ||
	fail "held record in JSON"

# the parent arrives: the held record is applied, once
printf 'personID,lastName\n1001,A\n1002,B\n1003,C\n' >D/source/PersonIdentity.csv
ok "$E" resync --objects PersonIdentity --home D
deliver
out_has "  released 1 held record: what they reference has arrived"
eq "$(state_rows Enrollment)" 3 "enrollments after the parent arrived"
grep -qx '5002,1003,,,06,,,,,,,,,,' export.csv || fail "the released enrollment"
eq "$(sqlite3 S/store.db 'select count(*) from edsync_held')" 0 "held after release"

# held again, then a full resync without that enrollment drops it
printf 'enrollmentID,personID,grade\n5001,1001,05\n5004,1009,08\n' >D/source/Enrollment.csv
ok "$E" resync --objects Enrollment --home D
deliver
out_has "  held 1 record: a record they reference is not at the state ('edsync status' lists them)"
eq "$(sqlite3 S/store.db 'select count(*) from edsync_held')" 1 "held"
printf 'enrollmentID,personID,grade\n5001,1001,05\n' >D/source/Enrollment.csv
ok "$E" resync --objects Enrollment --home D
deliver
eq "$(sqlite3 S/store.db 'select count(*) from edsync_held')" 0 "held after a resync without it"
eq "$(state_rows Enrollment)" 1 "enrollments"
