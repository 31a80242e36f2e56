# The school year: records outside the scoped year are withheld; a
# district's rollover is refused until the state has applied its
# end-of-year full resync (or --force), then spools the next year's full
# resync; the state holds bundles of a year it does not apply and applies
# them after its own rollover (or when it accepts the next year).
. "$(dirname "$0")/lib.sh"
setup_pair
printf 'schoolID,name\n7,North\n' >D/source/School.csv
printf 'calendarID,schoolID,endYear\n60,7,2026\n70,7,2027\n80,7,2028\n' >D/source/Calendar.csv
printf 'personID,lastName\n1001,A\n' >D/source/PersonIdentity.csv
printf 'enrollmentID,personID,calendarID,grade,startDate\n601,1001,60,04,2025-08-20\n701,1001,70,05,2026-08-20\n801,1001,80,06,2027-08-20\n' \
	>D/source/Enrollment.csv
keys() {
	ok "$E" export --district 0042 --object "$1" --home S
	tail -n +2 out | cut -d, -f1 | tr '\n' ' '
}

# 1. only 2027's records go: the others are withheld (and their enrollments)
ok "$E" resync --full --home D
out_has "Calendar                                    1          0          2"
out_has "Enrollment                                  1          0          2"
deliver
eq "$(keys Calendar)" "70 " "calendars at the state"

# 2. the district's rollover before the receipt of that resync: refused
expect 75 "$E" rollover --to 2028 --home D
err_has "edsync: rollover: refused: the end-of-year full resync 0042-0000000001-resync.bundle (sequence 1) is not applied by the state yet: send it and take the state's receipt ('edsync load'); or use --force"
grep -qx 'year = 2027' D/edsync.conf || fail "the year changed"
expect 64 "$E" rollover --to 2030 --home D
err_has "edsync: rollover: a district rolls over to the next year, 2028 (or use --force) (see 'edsync help rollover')"

# 3. with the receipt in: the year changes, the start-of-year resync is spooled
ok "$E" send --to S --home D
ok "$E" load --home D
ok "$E" rollover --to 2028 --home D
out_has "rollover: the scoped school year is 2028 (was 2027)"
out_has "resync: outbox/0042-0000000002-resync.bundle (sequence 2, scope full)"
out_has "Calendar                                    1          0          2"
grep -qx 'year = 2028' D/edsync.conf || fail "the district's year"
grep -qx '\[send\]' D/edsync.conf || fail "the rest of the config is gone"

# 4. the state (2027) holds the 2028 bundle, and says why
deliver
out_has "held 0042-0000000002-resync.bundle: district 0042 sequence 2 school year 2028 is not one this state applies (scoped 2027): it waits for the state's rollover"
eq "$(keys Calendar)" "70 " "calendars at the state"
[ -f S/var/held/0042-0000000002-resync.bundle ] || fail "not held"

# 5. after the state's rollover, the next load applies it
ok "$E" rollover --to 2028 --home S
out_has "rollover: the scoped school year is 2028 (was 2027)"
out_has "rollover: 1 held bundle will be looked at again by the next load"
ok "$E" load --home S
out_has "applied 0042-0000000002-resync.bundle: district 0042, sequence 2: 4 records, 2 orphans removed"
eq "$(keys Calendar)" "80 " "calendars at the state"
eq "$(keys Enrollment)" "801 " "enrollments at the state"

# 6. a state that also applies the next year takes 2029 before its rollover;
#    --force rolls a district over without the receipt, with a warning
printf '\n[load]\nyears = current,next\n' >>S/edsync.conf
expect 0 "$E" rollover --to 2029 --force --home D
err_has "edsync: rollover: --force: the end-of-year full resync 0042-0000000002-resync.bundle (sequence 2) is not applied by the state yet: send it and take the state's receipt ('edsync load')"
deliver
out_has "applied 0042-0000000003-resync.bundle: district 0042, sequence 3: 2 records, 2 orphans removed"
